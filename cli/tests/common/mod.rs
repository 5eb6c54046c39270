//! Shared helpers for the CLI tests: temporary directories, a real
//! `madini-node` on 127.0.0.1 (port 0), and one `madini` home per actor
//! device, as in the field.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

static N: AtomicU64 = AtomicU64::new(0);

#[path = "../../../node/tests/common/tempdirs.rs"]
mod tempdirs;
use tempdirs::temp_root;

/// A fresh, empty directory for one test.
pub fn tempdir(tag: &str) -> PathBuf {
    let d = temp_root().join(format!(
        "madini-cli-{tag}-{}",
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The `madini-node` binary next to `madini`, built if missing (when only
/// this package's tests are run).
pub fn node_bin() -> PathBuf {
    let madini = PathBuf::from(env!("CARGO_BIN_EXE_madini"));
    let bin = madini.with_file_name("madini-node");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let profile_release = madini.parent().is_some_and(|p| p.ends_with("release"));
        let mut c = Command::new(cargo);
        c.args(["build", "-p", "node", "--bin", "madini-node"]);
        if profile_release {
            c.arg("--release");
        }
        assert!(c.status().unwrap().success(), "could not build madini-node");
    }
    bin
}

/// A node process serving a data directory on loopback, killed on drop.
pub struct NodeProc {
    pub child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl NodeProc {
    /// Starts `madini-node serve` on `data` (port 0) and waits for its URL.
    pub fn start(data: &Path) -> NodeProc {
        Self::start_on(data, "127.0.0.1:0")
    }

    /// Starts on a given address (to restart on the same port).
    pub fn start_on(data: &Path, listen: &str) -> NodeProc {
        for attempt in 0..40 {
            let mut child = Command::new(node_bin())
                .args(["serve", "--listen", listen, "--data"])
                .arg(data)
                .env("MADINI_LOG", "error")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap();
            let mut line = String::new();
            let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
            if let Some(url) = line
                .split(" at ")
                .last()
                .map(|u| u.trim().trim_end_matches('/'))
                && url.starts_with("http://127.0.0.1:")
            {
                return NodeProc {
                    child,
                    url: url.to_string(),
                    data: data.to_path_buf(),
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(std::time::Duration::from_millis(50 * (attempt + 1)));
        }
        panic!("madini-node did not start on {}", data.display());
    }

    /// The port it listens on.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Stops it (SIGKILL).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One device: a `madini` home (config, key, outbox) for one actor.
pub struct Device {
    pub home: PathBuf,
    pub node: String,
    pub actor: String,
}

/// What a `madini` run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} (expected {code})\nstdout: {}\nstderr: {}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Device {
    /// A new device with a fresh key for `actor`, talking to `node`.
    pub fn new(root: &Path, actor: &str, node: &str) -> Device {
        let home = root.join(format!("home-{actor}"));
        std::fs::create_dir_all(&home).unwrap();
        let d = Device {
            home,
            node: node.to_string(),
            actor: actor.to_string(),
        };
        d.run(&["key", "new"]).expect(0);
        d
    }

    /// A `madini` command for this device (English, this home, this node).
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("madini").unwrap();
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("MADINI_HOME", &self.home)
            .env("MADINI_NODE", &self.node)
            .env("MADINI_ACTOR", &self.actor)
            .env("LANG", "C")
            .timeout(std::time::Duration::from_secs(120));
        c
    }

    /// Runs `madini ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        let o = self.cmd().args(args).output().unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs `madini --json ARGS` and expects exit 0.
    pub fn ok_json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        self.run(&a).expect(0).json()
    }

    /// The device's public key.
    pub fn public_key(&self) -> String {
        self.ok_json(&["key", "show"])["public_key"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// A new ledger made with `madini-node init`, whose authority `AUTH` is the
/// returned device.
pub fn init_ledger(root: &Path, origin: &str) -> (PathBuf, Device) {
    let auth = Device::new(root, "AUTH", "http://127.0.0.1:9");
    let data = root.join("node-data");
    let out = Command::new(node_bin())
        .args([
            "init",
            "--origin",
            origin,
            "--authority-id",
            "AUTH",
            "--authority-name",
            "Office national des mines",
            "--authority-country",
            "RW",
            "--authority-key",
            &auth.public_key(),
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "init: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (data, auth)
}

/// `madini-node generate ARGS --data ROOT/gen`: a generated ledger in
/// `ROOT/gen`, and what the generator printed (the planted lots).
pub fn generated(root: &Path, args: &[&str]) -> (PathBuf, String) {
    let data = root.join("gen");
    let out = Command::new(node_bin())
        .arg("generate")
        .args(args)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "generate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (data, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A started node with an authority, an inspector and a Green site `SITE`
/// operated by cooperative `COOP` with tags `T-000001..T-000100`.
pub struct Ledger {
    pub root: PathBuf,
    pub node: NodeProc,
    pub auth: Device,
    pub inspector: Device,
    pub coop: Device,
}

pub const SITE: &str = "RW-1.9641+30.0619-00001";

/// `lot register` of cassiterite at `SITE`, for `Device::run` and friends.
pub fn lot_register_args<'a>(
    lot: &'a str,
    tag: &'a str,
    mass: &'a str,
    grade: &'a str,
) -> Vec<&'a str> {
    vec![
        "lot",
        "register",
        "--lot",
        lot,
        "--site",
        SITE,
        "--tag",
        tag,
        "--mineral",
        "cassiterite",
        "--mass",
        mass,
        "--grade",
        grade,
    ]
}

impl Ledger {
    pub fn new(tag: &str) -> Ledger {
        let root = tempdir(tag);
        let (data, mut auth) = init_ledger(&root, "test.madini.example/log");
        let node = NodeProc::start(&data);
        auth.node = node.url.clone();
        let inspector = Device::new(&root, "INSP", &node.url);
        let coop = Device::new(&root, "COOP", &node.url);
        let l = Ledger {
            root,
            node,
            auth,
            inspector,
            coop,
        };
        l.register(&l.inspector, "Inspection des mines", "inspector");
        l.register(&l.coop, "Coopérative minière de Rutongo", "cooperative");
        l.auth
            .run(&[
                "site",
                "register",
                "--id",
                SITE,
                "--name",
                "Rutongo",
                "--lat",
                "-1.9641",
                "--lon",
                "30.0619",
                "--mineral",
                "cassiterite",
                "--capacity",
                "50t",
                "--capacity-days",
                "30",
                "--operator",
                "COOP",
            ])
            .expect(0);
        l.auth
            .run(&[
                "tags", "allocate", "--site", SITE, "--prefix", "T", "--first", "1", "--last",
                "100",
            ])
            .expect(0);
        l.inspector
            .run(&[
                "site",
                "inspect",
                SITE,
                "--id",
                "INS-1",
                "--date",
                "2026-01-10",
                "--result",
                "green",
            ])
            .expect(0);
        l
    }

    /// A new device for `actor`, registered by the authority with `role`.
    pub fn actor(&self, actor: &str, name: &str, role: &str) -> Device {
        let d = Device::new(&self.root, actor, &self.node.url);
        self.register(&d, name, role);
        d
    }

    pub fn register(&self, d: &Device, name: &str, role: &str) {
        self.auth
            .run(&[
                "actor",
                "register",
                "--id",
                &d.actor,
                "--name",
                name,
                "--country",
                "RW",
                "--role",
                role,
                "--public-key",
                &d.public_key(),
            ])
            .expect(0);
    }
}
