//! A real S3-compatible object store for tests and benchmarks: a
//! single-node Garage (`cargo install garage --locked`) on loopback, with
//! one bucket that its web endpoint also serves. Garage is the lightest real
//! S3 server this project's registries offer (one binary, one process,
//! SQLite metadata, no cluster to form); MinIO and Ceph are not packaged
//! there. `MADINI_GARAGE` names the binary, else `garage` on the PATH.
//! Included by path (`#[path]`) where needed; std only.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

/// The access key the tests import into the store (Garage's format:
/// `GK` and 24 hex digits; the secret, 64).
pub const KEY_ID: &str = "GK0123456789abcdef01234567";
pub const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
pub const BUCKET: &str = "madini-copy";
/// The bucket's global alias that the web endpoint serves for requests
/// to `http://localhost:PORT/`, so that readers need no virtual host.
pub const WEB_ALIAS: &str = "localhost";

/// The garage binary, or `None` (and the test is skipped, unless CI's
/// `MADINI_REQUIRE_GARAGE` says it must run).
pub fn garage() -> Option<PathBuf> {
    let found = std::env::var_os("MADINI_GARAGE")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("garage")])
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("MADINI_REQUIRE_GARAGE").is_none(),
            "MADINI_REQUIRE_GARAGE is set but garage is not installed (cargo install garage --locked)"
        );
        eprintln!("skipping: garage is not installed");
    }
    found
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A single-node Garage on loopback with one bucket, served as a website
/// too; killed on drop.
pub struct Garage {
    bin: PathBuf,
    conf: PathBuf,
    work: PathBuf,
    child: Option<Child>,
    s3_port: u16,
    web_port: u16,
}

impl Garage {
    pub fn start(bin: &Path, work: &Path) -> Garage {
        std::fs::create_dir_all(work).unwrap();
        let (rpc, s3_port, web_port, admin) = (free_port(), free_port(), free_port(), free_port());
        let w = work.display();
        let conf = work.join("garage.toml");
        std::fs::write(
            &conf,
            format!(
                "metadata_dir = \"{w}/meta\"\ndata_dir = \"{w}/data\"\ndb_engine = \"sqlite\"\n\
                 replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_public_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_secret = \"{SECRET}\"\n\
                 [s3_api]\ns3_region = \"garage\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\n\
                 root_domain = \".s3.garage.localhost\"\n\
                 [s3_web]\nbind_addr = \"127.0.0.1:{web_port}\"\nroot_domain = \".web.garage.localhost\"\n\
                 index = \"index.html\"\n\
                 [admin]\napi_bind_addr = \"127.0.0.1:{admin}\"\n"
            ),
        )
        .unwrap();
        let mut g = Garage {
            bin: bin.to_path_buf(),
            conf,
            work: work.to_path_buf(),
            child: None,
            s3_port,
            web_port,
        };
        g.run_server();
        let id = g.admin(&["node", "id", "-q"]);
        let id = id.trim().split('@').next().unwrap().to_string();
        g.admin(&["layout", "assign", "-z", "dc1", "-c", "1G", &id]);
        g.admin(&["layout", "apply", "--version", "1"]);
        g.admin(&["key", "import", "--yes", "-n", "madini", KEY_ID, SECRET]);
        g.admin(&["bucket", "create", BUCKET]);
        g.admin(&[
            "bucket", "allow", "--read", "--write", "--owner", BUCKET, "--key", "madini",
        ]);
        g.admin(&["bucket", "alias", BUCKET, WEB_ALIAS]);
        g.admin(&["bucket", "website", "--allow", BUCKET]);
        g
    }

    /// Starts the server process and waits until its ports answer.
    pub fn run_server(&mut self) {
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(self.work.join("garage.log"))
            .unwrap();
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&self.conf)
            .arg("server")
            .env("RUST_LOG", "garage=warn")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", self.s3_port)).is_ok()
                && std::net::TcpStream::connect(("127.0.0.1", self.web_port)).is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "garage did not start; see {}",
            self.work.join("garage.log").display()
        );
    }

    /// Runs a `garage` admin command (retried while the node settles).
    pub fn admin(&self, args: &[&str]) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            let out = Command::new(&self.bin)
                .arg("-c")
                .arg(&self.conf)
                .args(args)
                .output()
                .unwrap();
            if out.status.success() {
                return String::from_utf8_lossy(&out.stdout).into_owned();
            }
            last = String::from_utf8_lossy(&out.stderr).into_owned();
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("garage {args:?}: {last}");
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The AWS variables naming this store for `madini-node publish`.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", self.s3_port),
            ),
            ("AWS_REGION", "garage".into()),
            ("AWS_ACCESS_KEY_ID", KEY_ID.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_ALLOW_HTTP", "true".into()),
        ]
    }

    /// Where readers find the copy under `prefix`: the web endpoint.
    pub fn web(&self, prefix: &str) -> String {
        format!("http://{WEB_ALIAS}:{}/{prefix}", self.web_port)
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        self.kill();
    }
}
