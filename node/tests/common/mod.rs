//! Shared helpers for the node tests: temporary data directories, ledgers
//! built from ledger-core worlds on either store, and an in-process HTTP
//! client over `app(state).oneshot`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use ledger_core::log::SignedEvent;
use ledger_core::world::World;
use node::api::{AppState, app};
use node::ledger::{Ledger, files};
use node::store::{MemStore, Store};
use serde_json::Value;
use tower::ServiceExt;

static N: AtomicU64 = AtomicU64::new(0);

#[path = "tempdirs.rs"]
mod tempdirs;
use tempdirs::temp_root;

/// A fresh, empty directory for one test.
pub fn tempdir(tag: &str) -> PathBuf {
    let d = temp_root().join(format!(
        "madini-test-{tag}-{}",
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Which storage: the embedded store (a data directory's journals) with
/// its indexes in memory or in sled, or the whole log in memory
/// (`MemLogStore`, no directory).
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Memory,
    Sled,
    MemLog,
}

pub const BACKENDS: [Backend; 3] = [Backend::Memory, Backend::Sled, Backend::MemLog];

/// Opens `dir`'s sled index. sled 0.34's background threads may hold the
/// database's file lock for a moment after the last handle in this process
/// is dropped, so reopening right away can race them: try again briefly (a
/// restarted process never sees this).
pub fn open_sled(dir: &std::path::Path) -> node::store::SledStore {
    let path = dir.join(files::INDEX);
    let mut attempt = 0;
    loop {
        match node::store::open_sled(&path, 16 << 20) {
            Ok(s) => return s,
            Err(e) if e.to_string().contains("could not acquire lock") && attempt < 40 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("opening {}: {e}", path.display()),
        }
    }
}

/// The indexes of an embedded store in `dir`.
pub fn store(b: Backend, dir: &std::path::Path) -> Arc<dyn Store> {
    match b {
        Backend::Memory => Arc::new(MemStore::new()),
        Backend::Sled => Arc::new(open_sled(dir)),
        Backend::MemLog => panic!("the memory log keeps its indexes inside it: use ledger_from"),
    }
}

/// A ledger holding exactly `w`'s log: in a new directory, or (`MemLog`)
/// in memory, with an empty directory returned all the same.
pub fn ledger_from(w: &World, b: Backend) -> (Arc<Ledger>, PathBuf) {
    let dir = tempdir("node");
    let l = match b {
        Backend::MemLog => memlog_from(w),
        _ => node::demo::load_world(&dir, w, store(b, &dir)).unwrap(),
    };
    (l, dir)
}

/// `w`'s log fed through the sequencer of a ledger over `MemLogStore`, as
/// `demo::load_world` feeds a data directory: the same leaves and root.
fn memlog_from(w: &World) -> Arc<Ledger> {
    use ledger_core::leaf::Leaf;
    use node::ledger::{Genesis, Item, Outcome};
    let leaves = w.log.leaves();
    let record_time = |i: usize| Leaf::decode(&leaves[i]).unwrap().record_time;
    let genesis = Genesis {
        event: w.accepted[0].clone(),
        record_time: record_time(0),
    };
    let mem = node::memlog::MemLogStore::create(&w.log_key, &genesis).unwrap();
    let (l, _) = Ledger::open_store(Arc::new(mem), w.log_key.clone(), |x| x).unwrap();
    for (chunk_no, chunk) in w.accepted[1..].chunks(500).enumerate() {
        let items = chunk
            .iter()
            .enumerate()
            .map(|(k, ev)| Item {
                sub: ev.submission().unwrap(),
                sig: ledger_core::rules::SigMode::Verify,
                record_time: Some(record_time(1 + chunk_no * 500 + k)),
            })
            .collect();
        let (out, _) = l.submit_blocking(items).unwrap();
        for o in out {
            assert!(
                matches!(o, Outcome::Accepted { .. } | Outcome::Existing { .. }),
                "{o:?}"
            );
        }
    }
    assert_eq!(l.checkpoint().root, w.log.root());
    l
}

/// An in-process client.
#[derive(Clone)]
pub struct Client {
    pub app: axum::Router,
    pub ledger: Arc<Ledger>,
}

pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Client {
    pub fn new(ledger: Arc<Ledger>) -> Client {
        Client {
            app: app(AppState::new(ledger.clone())),
            ledger,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let content_type = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            content_type,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_raw(&self, body: impl Into<Body>, content_type: &str) -> Resp {
        self.send(
            Request::post("/v1/events")
                .header("content-type", content_type)
                .body(body.into())
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, v: &Value) -> Resp {
        self.post_raw(v.to_string(), "application/json").await
    }

    pub async fn submit(&self, ev: &SignedEvent) -> Resp {
        let e = ev.envelope();
        self.post(&serde_json::json!({"event": e.event, "sig": e.sig}))
            .await
    }

    pub fn size(&self) -> u64 {
        self.ledger.checkpoint().size
    }
}

/// Asserts a problem response with this rule id.
pub fn assert_problem(r: &Resp, rule: &str) {
    assert!(
        r.content_type.starts_with("application/problem+json"),
        "expected a problem, got {} {}: {}",
        r.status,
        r.content_type,
        r.text
    );
    let v = r.json();
    assert_eq!(v["rule"], rule, "{}", r.text);
    assert_eq!(v["type"], format!("/problems/{rule}"));
    assert_eq!(v["status"].as_u64(), Some(u64::from(r.status.as_u16())));
    assert!(r.status.is_client_error() || r.status.is_server_error());
}

/// A `madini-node serve` child process (optionally under strace) in its own
/// process group, killed with SIGKILL when dropped.
pub struct NodeProc {
    pub child: std::process::Child,
    pub url: String,
    killed: bool,
}

impl NodeProc {
    pub fn spawn(dir: &std::path::Path, strace_inject: Option<&str>) -> NodeProc {
        Self::spawn_with(dir, strace_inject, &[])
    }

    /// As `spawn`, with more arguments for `serve`.
    pub fn spawn_with(
        dir: &std::path::Path,
        strace_inject: Option<&str>,
        extra: &[&std::ffi::OsStr],
    ) -> NodeProc {
        // A node killed a moment ago may still hold the directory's lock
        // while the kernel tears it down: try again briefly.
        for attempt in 0..20 {
            if let Some(p) = Self::try_spawn(dir, strace_inject, extra) {
                return p;
            }
            std::thread::sleep(std::time::Duration::from_millis(50 * (attempt + 1)));
        }
        let log = std::fs::read_to_string(Self::stderr_path(dir)).unwrap_or_default();
        panic!(
            "madini-node did not start on {}; its last stderr:\n{log}",
            dir.display()
        );
    }

    /// Where the node's stderr goes: beside the data directory, replaced at
    /// each start, so a node that will not start says why.
    fn stderr_path(dir: &std::path::Path) -> PathBuf {
        dir.with_extension("stderr")
    }

    fn try_spawn(
        dir: &std::path::Path,
        strace_inject: Option<&str>,
        extra: &[&std::ffi::OsStr],
    ) -> Option<NodeProc> {
        use std::io::{BufRead, BufReader};
        use std::os::unix::process::CommandExt;
        use std::process::{Command, Stdio};
        let bin = env!("CARGO_BIN_EXE_madini-node");
        let mut cmd = match strace_inject {
            Some(inject) => {
                let mut c = Command::new("strace");
                c.args([
                    "-f",
                    "-qq",
                    "-o",
                    "/dev/null",
                    "-e",
                    "trace=fdatasync",
                    "-e",
                    inject,
                    bin,
                ]);
                c
            }
            None => Command::new(bin),
        };
        let mut child = cmd
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .args(extra)
            .env("MADINI_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(Self::stderr_path(dir)).unwrap())
            .process_group(0)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split("at ")
            .last()
            .unwrap_or_default()
            .trim()
            .trim_end_matches('/')
            .to_string();
        let mut p = NodeProc {
            child,
            url,
            killed: false,
        };
        if p.url.starts_with("http://127.0.0.1:") {
            Some(p)
        } else {
            p.kill();
            None
        }
    }

    /// SIGKILL to the whole process group (the node, and strace if any).
    pub fn kill(&mut self) {
        if std::mem::replace(&mut self.killed, true) {
            return;
        }
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Creates a ledger with `madini-node init`; the authority is `AUTH` (named key).
pub fn init_dir(tag: &str, origin: &str) -> PathBuf {
    let dir = tempdir(tag);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args([
            "init",
            "--origin",
            origin,
            "--authority-id",
            "AUTH",
            "--authority-name",
            "Registry",
            "--authority-country",
            "RW",
            "--authority-key",
        ])
        .arg(ledger_core::world::named_key("AUTH").public().to_string())
        .arg("--data")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// `actor.register` of a new trader `name`, signed by `AUTH`, for `origin`.
pub fn register(origin: &str, name: &str, time: u64) -> SignedEvent {
    use ledger_core::event::{ActorRegister, Body, Event};
    let w = World::new(origin, "RW");
    let rec = w.actor_record(name, "Trader", "RW", &[ledger_core::types::Role::Trader]);
    let ev = Event {
        log: ledger_core::types::Origin::new(origin).unwrap(),
        key: ledger_core::world::named_key("AUTH").public().key_id(),
        time: ledger_core::types::Millis(time),
        body: Body::ActorRegister(ActorRegister { actor: rec }),
    };
    SignedEvent::sign(&ev, &ledger_core::world::named_key("AUTH")).unwrap()
}

/// A blocking HTTP client that returns 4xx and 5xx as responses.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into()
}

/// Runs `madini-node ARGS --data DIR` to completion and asserts that it
/// succeeded, showing its stderr if not.
pub fn node_ok(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(args)
        .arg("--data")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "madini-node {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `go run PROGRAM ARGS` from the repository root with Debian's Go and
/// golang.org/x/mod, or `None` (with a note) when they are not installed
/// and `MADINI_REQUIRE_GO` is not set (CI sets it).
pub fn go_run(program: &str, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    use std::path::Path;
    use std::process::Command;
    let gopath = Path::new("/usr/share/gocode");
    let have_go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_go || !gopath.join("src/golang.org/x/mod/sumdb/note").is_dir() {
        assert!(
            std::env::var_os("MADINI_REQUIRE_GO").is_none(),
            "MADINI_REQUIRE_GO is set but go or golang.org/x/mod is not installed"
        );
        eprintln!("skipping {program}: go or golang.org/x/mod is not installed");
        return None;
    }
    Some(
        Command::new("go")
            .arg("run")
            .arg(program)
            .args(args)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .env("GO111MODULE", "off")
            .env("GOPATH", gopath)
            .env(
                "GOCACHE",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache"),
            )
            .output()
            .expect("run go"),
    )
}

/// An outside checker's run succeeded, printed every line of `wants` and
/// no `FAIL`.
pub fn printed(checker: &str, out: &std::process::Output, wants: &[&str]) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{checker} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in wants {
        assert!(
            stdout.contains(want),
            "{checker}: {want:?} missing:\n{stdout}"
        );
    }
    assert!(!stdout.contains("FAIL"), "{checker}: {stdout}");
}
