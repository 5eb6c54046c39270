//! The node as a witness (`spec/log.md` section 7): `POST /add-checkpoint`
//! on a real `madini-node serve` over 127.0.0.1, for a log built in the
//! test (a key and a growing Merkle tree) named in its `--witness-logs`
//! file. Every status of the section's table with its body, the state
//! unchanged by each refusal, the state across a SIGKILL and a restart,
//! the witness key file, concurrent requests through the record's
//! compare-and-swap on every backend, and Go (`crypto/ed25519` from the
//! C2SP text, `sumdb/note`) checking a live answer.

mod common;

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{BACKENDS, NodeProc, agent, go_run, init_dir, ledger_from, printed};
use ledger_core::crypto::SecretKey;
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::merkle::{MemoryTree, prove_consistency, tree_hash};
use ledger_core::note::{Checkpoint, NoteKey, open_checkpoint, sign_checkpoint, split_note};
use ledger_core::witness::{AddCheckpoint, LogList, WitnessKey, verify_cosignature, witness_name};
use ledger_core::world::named_key;

const ORIGIN: &str = "registry.test/log";
const WITNESSED: &str = "example.org/witnessed";

/// The log the node witnesses: its key and a tree of 40 leaves, of which
/// each checkpoint shows a prefix.
struct TestLog {
    key: SecretKey,
    tree: MemoryTree,
}

impl TestLog {
    fn new(salt: &str) -> TestLog {
        let mut tree = MemoryTree::new();
        for i in 0..40 {
            tree.append(leaf_hash(format!("{salt} {i}").as_bytes()));
        }
        TestLog {
            key: named_key("witnessed log"),
            tree,
        }
    }

    fn vkey(&self) -> String {
        NoteKey::new(WITNESSED, self.key.public()).unwrap().vkey()
    }

    fn list(&self) -> String {
        format!(
            "# the test's log\nlogs/v0\nvkey {}\nqpd 86400\ncontact test\n",
            self.vkey()
        )
    }

    fn checkpoint(&self, n: u64) -> Checkpoint {
        Checkpoint {
            origin: WITNESSED.into(),
            size: n,
            root: tree_hash(n, &self.tree).unwrap(),
        }
    }

    fn note(&self, n: u64) -> String {
        sign_checkpoint(&self.checkpoint(n), &self.key).unwrap()
    }

    fn proof(&self, m: u64, n: u64) -> Vec<Hash> {
        if m == 0 {
            vec![]
        } else {
            prove_consistency(m, n, &self.tree).unwrap()
        }
    }

    /// The request from `old` to `n` with the right proof.
    fn body(&self, old: u64, n: u64) -> String {
        AddCheckpoint::new(old, self.proof(old, n), self.note(n))
            .unwrap()
            .to_string()
    }
}

struct Answer {
    status: u16,
    content_type: String,
    cache: String,
    text: String,
}

fn post(url: &str, body: &str) -> Answer {
    let mut r = agent()
        .post(format!("{url}/add-checkpoint"))
        .header("Content-Type", "text/plain")
        .send(body)
        .unwrap();
    let header = |h: &str| {
        r.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    Answer {
        status: r.status().as_u16(),
        content_type,
        cache,
        text: r.body_mut().read_to_string().unwrap(),
    }
}

fn log_info(url: &str) -> serde_json::Value {
    agent()
        .get(format!("{url}/v1/log"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap()
}

fn witness_vkey(url: &str) -> WitnessKey {
    log_info(url)["witness_vkey"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A 200 whose line verifies over the checkpoint of `n`, and whose
/// cosigned note still opens under the log's key.
fn cosigned(a: &Answer, log: &TestLog, n: u64, key: &WitnessKey) {
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.content_type, "text/plain; charset=utf-8");
    let note = log.note(n);
    let (text, _) = split_note(&note).unwrap();
    let t = verify_cosignature(text, &a.text, key).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(t <= now && t + 60 > now, "time {t}, now {now}");
    let nk = NoteKey::from_vkey(&log.vkey()).unwrap();
    assert_eq!(
        open_checkpoint(&format!("{note}{}", a.text), &nk).unwrap(),
        log.checkpoint(n)
    );
}

fn refused(a: &Answer, status: u16, contains: &str) {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.content_type, "text/plain; charset=utf-8", "{}", a.text);
    assert_eq!(a.cache, "no-store");
    assert!(
        a.text.ends_with('\n') && a.text.lines().count() == 1,
        "{:?}",
        a.text
    );
    assert!(a.text.contains(contains), "{:?} lacks {contains:?}", a.text);
}

/// The state is still size `size`: a probe from another old size gets the
/// 409 that names it, and changes nothing.
fn still_at(url: &str, log: &TestLog, size: u64) {
    let probe = post(url, &log.body(39, 40));
    assert_eq!(probe.status, 409, "{}", probe.text);
    assert_eq!(probe.content_type, "text/x.tlog.size");
    assert_eq!(probe.text, format!("{size}\n"));
}

fn write_list(dir: &Path, text: &str) -> std::path::PathBuf {
    let f = dir.with_extension("logs");
    std::fs::write(&f, text).unwrap();
    f
}

fn flip_signature(note: &str) -> String {
    let (text, sigs) = split_note(note).unwrap();
    let mut blob = sigs[0].key_hash.to_be_bytes().to_vec();
    let mut sig = sigs[0].sig.clone();
    sig[3] ^= 1;
    blob.extend_from_slice(&sig);
    use base64::Engine as _;
    format!(
        "{text}\n\u{2014} {} {}\n",
        sigs[0].name,
        base64::engine::general_purpose::STANDARD.encode(blob)
    )
}

/// Every status of `spec/log.md` section 7 from a real node, each refusal
/// leaving the state as it was; then a SIGKILL and a restart, after which
/// the persisted state still decides: a replay gets 409, a consistent
/// checkpoint is cosigned; and Go checks a live cosignature.
#[test]
fn add_checkpoint_answers_every_status_and_keeps_its_state_across_a_restart() {
    let dir = init_dir("witness", ORIGIN);
    let log = TestLog::new("leaf");
    let list = write_list(&dir, &log.list());
    let args = [OsStr::new("--witness-logs"), list.as_os_str()];
    let mut node = NodeProc::spawn_with(&dir, None, &args);
    let url = node.url.clone();
    let key = witness_vkey(&url);
    assert_eq!(key.name, witness_name(ORIGIN));
    let node_vkey = NoteKey::from_vkey(log_info(&url)["vkey"].as_str().unwrap()).unwrap();
    assert_ne!(key.key, node_vkey.key, "the witness key is not the log key");

    // Nothing cosigned: a request from 5 gets the size 0.
    let a = post(&url, &log.body(5, 9));
    assert_eq!((a.status, a.text.as_str()), (409, "0\n"));
    // First use.
    cosigned(&post(&url, &log.body(0, 5)), &log, 5, &key);
    still_at(&url, &log, 5);

    let good = log.body(5, 9);
    let cp9 = log.note(9);
    let hash_line = format!("{}\n", Hash::empty().to_base64());
    let other = TestLog::new("other leaf");
    let mut bad_proof = log.proof(5, 9);
    bad_proof[1].0[31] ^= 0x80;
    let stranger = sign_checkpoint(&log.checkpoint(9), &named_key("stranger")).unwrap();
    let unknown = sign_checkpoint(
        &Checkpoint {
            origin: "example.org/unknown".into(),
            ..log.checkpoint(9)
        },
        &log.key,
    )
    .unwrap();
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("garbage", "hello".into(), 400, "old"),
        ("old line", good.replacen("old 5", "old 5x", 1), 400, "old"),
        (
            "64 proof lines",
            format!("old 5\n{}\n{cp9}", hash_line.repeat(64)),
            400,
            "63",
        ),
        (
            "proof line",
            good.replacen("old 5\n", "old 5\nnot base64!\n", 1),
            400,
            "line 1",
        ),
        (
            // The checkpoint's lines are then read as proof lines.
            "no empty line",
            good.replacen("\n\n", "\n", 1),
            400,
            "consistency proof line",
        ),
        (
            "too large",
            format!("old 5\n\n{}", "x".repeat(30_000)),
            400,
            "larger",
        ),
        (
            "old > size",
            log.body(0, 4).replacen("old 0", "old 5", 1),
            400,
            "larger than",
        ),
        (
            "bad signature",
            AddCheckpoint::new(5, log.proof(5, 9), flip_signature(&cp9))
                .unwrap()
                .to_string(),
            403,
            "signature",
        ),
        (
            "wrong key",
            AddCheckpoint::new(5, log.proof(5, 9), stranger)
                .unwrap()
                .to_string(),
            403,
            "signature",
        ),
        (
            "unknown origin",
            AddCheckpoint::new(0, vec![], unknown).unwrap().to_string(),
            404,
            "example.org/unknown",
        ),
        (
            "bad proof",
            AddCheckpoint::new(5, bad_proof, cp9.clone())
                .unwrap()
                .to_string(),
            422,
            "consistency",
        ),
        (
            "fork at the same size",
            AddCheckpoint::new(
                5,
                vec![],
                sign_checkpoint(
                    &Checkpoint {
                        origin: WITNESSED.into(),
                        size: 5,
                        root: tree_hash(5, &other.tree).unwrap(),
                    },
                    &log.key,
                )
                .unwrap(),
            )
            .unwrap()
            .to_string(),
            422,
            "consistency",
        ),
        (
            "a proof to the same size",
            AddCheckpoint::new(5, log.proof(4, 5), log.note(5))
                .unwrap()
                .to_string(),
            422,
            "consistency",
        ),
    ];
    for (what, body, status, says) in &cases {
        let a = post(&url, body);
        assert_eq!(a.status, *status, "{what}: {}", a.text);
        refused(&a, *status, says);
        still_at(&url, &log, 5);
    }
    let a = post(&url, &log.body(3, 9));
    assert_eq!(
        (a.status, a.content_type.as_str(), a.text.as_str()),
        (409, "text/x.tlog.size", "5\n")
    );
    // The same checkpoint again is cosigned again (freshness); then the
    // good request from the same old size still succeeds.
    cosigned(&post(&url, &log.body(5, 5)), &log, 5, &key);
    cosigned(&post(&url, &good), &log, 9, &key);
    // Replays of older requests.
    for old in [log.body(0, 5), good.clone()] {
        let a = post(&url, &old);
        assert_eq!((a.status, a.text.as_str()), (409, "9\n"));
    }

    // SIGKILL: the 200 came after the record was durable.
    node.kill();
    let node = NodeProc::spawn_with(&dir, None, &args);
    let url = node.url.clone();
    assert_eq!(
        witness_vkey(&url),
        key,
        "the witness key survives a restart"
    );
    still_at(&url, &log, 9);
    let a = post(&url, &good);
    assert_eq!((a.status, a.text.as_str()), (409, "9\n"));
    cosigned(&post(&url, &log.body(9, 20)), &log, 20, &key);

    // Go: crypto/ed25519 from the C2SP text, and sumdb/note.
    let body = dir.with_extension("body");
    std::fs::write(&body, log.body(20, 33)).unwrap();
    let (log_vkey, witness_vkey) = (log.vkey(), key.vkey());
    let args = [
        OsStr::new(&url),
        body.as_os_str(),
        OsStr::new(&log_vkey),
        OsStr::new(&witness_vkey),
    ];
    if let Some(out) = go_run("spec/crosscheck/witness/main.go", &args) {
        printed(
            "Go witness check",
            &out,
            &["live: the node's cosignature verifies"],
        );
        still_at(&url, &log, 33);
    }
}

/// Without `--witness-logs` the list is empty: every well-formed request
/// is a 404 and a malformed one a 400. The witness key is created 0600 at
/// `init`, and at the first start of a directory that has none.
#[test]
fn without_a_list_every_request_is_404_and_the_key_file_is_made() {
    let dir = init_dir("witness-empty", ORIGIN);
    let key_file = dir.join("witness.key");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&key_file), 0o600);
    let at_init = node::keyfile::read(&key_file).unwrap().public();
    std::fs::remove_file(&key_file).unwrap();
    let node = NodeProc::spawn(&dir, None);
    assert_eq!(mode(&key_file), 0o600, "made again at start");
    let key = witness_vkey(&node.url);
    assert_eq!(key.key, node::keyfile::read(&key_file).unwrap().public());
    assert_ne!(key.key, at_init);
    let log = TestLog::new("leaf");
    refused(&post(&node.url, &log.body(0, 5)), 404, WITNESSED);
    refused(&post(&node.url, "old 0\n"), 400, "empty line");
}

/// A log list the node refuses stops `serve` with exit 2 and the line.
#[test]
fn a_bad_log_list_stops_the_node() {
    let dir = init_dir("witness-bad-list", ORIGIN);
    let log = TestLog::new("leaf");
    let list = write_list(&dir, &log.list().replace("qpd 86400", "qpd 0"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .arg("--witness-logs")
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("log list line 4: qpd"), "{stderr}");
}

/// Concurrent requests from one state, each to another size: exactly one is
/// cosigned, every other gets the 409 naming that size, and the record
/// holds the cosigned one, on every backend (the swap is what decides).
#[test]
fn concurrent_requests_advance_the_state_once() {
    let log = TestLog::new("leaf");
    let list: LogList = log.list().parse().unwrap();
    for b in BACKENDS {
        let w = ledger_core::vectors::base_world();
        let (ledger, _dir) = ledger_from(&w, b);
        let witness =
            node::witness::witness(w.origin.as_str(), named_key("a witness"), list.clone())
                .unwrap();
        let key = witness.key().clone();
        let state = node::api::AppState::new(ledger.clone()).with_witness(witness);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let answers: Vec<(u16, String, u64)> = rt.block_on(async {
            let first = call(&state, log.body(0, 10)).await;
            assert_eq!(first.0, 200, "{b:?}: {}", first.1);
            let tasks: Vec<_> = (11..=30)
                .map(|n| {
                    let (s, body) = (state.clone(), log.body(10, n));
                    tokio::spawn(async move {
                        let (status, text) = call(&s, body).await;
                        (status, text, n)
                    })
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        });
        let won: Vec<_> = answers.iter().filter(|a| a.0 == 200).collect();
        assert_eq!(won.len(), 1, "{b:?}: {answers:?}");
        let n = won[0].2;
        for a in &answers {
            if a.0 != 200 {
                assert_eq!(
                    (a.0, a.1.as_str()),
                    (409, format!("{n}\n").as_str()),
                    "{b:?}"
                );
            }
        }
        let record = ledger
            .log_store()
            .record(&ledger_core::witness::record_key(WITNESSED))
            .unwrap()
            .unwrap();
        let record = String::from_utf8(record).unwrap();
        let (text, sigs) = split_note(&record).unwrap();
        assert_eq!(text, log.checkpoint(n).body(), "{b:?}");
        assert_eq!(sigs.len(), 2, "the log's line and the witness's");
        assert!(record.ends_with(&won[0].1));
        verify_cosignature(text, &won[0].1, &key).unwrap();
        ledger.shutdown();
    }
}

async fn call(state: &node::api::AppState, body: String) -> (u16, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::post("/add-checkpoint")
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = node::api::app(state.clone()).oneshot(req).await.unwrap();
    let status = r.status().as_u16();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Two nodes over one store (as two processes over one database): the one
/// that took the writer's lease answers as the witness; the one fenced out
/// answers 503 once it knows (here: its next commit was fenced), and the
/// state they share decides for both.
#[test]
fn only_the_node_holding_the_lease_answers_as_witness() {
    use ledger_core::leaf::Leaf;
    use node::ledger::{Genesis, Item, Ledger};
    use node::memlog::MemLogStore;
    use std::sync::Arc;
    let w = ledger_core::vectors::base_world();
    let log = TestLog::new("leaf");
    let list: LogList = log.list().parse().unwrap();
    let genesis = Genesis {
        event: w.accepted[0].clone(),
        record_time: Leaf::decode(&w.log.leaves()[0]).unwrap().record_time,
    };
    let mem = MemLogStore::create(&w.log_key, &genesis).unwrap();
    let open = || {
        let (l, _) = Ledger::open_store(Arc::new(mem.clone()), w.log_key.clone(), |x| x).unwrap();
        let witness =
            node::witness::witness(w.origin.as_str(), named_key("shared witness"), list.clone())
                .unwrap();
        (l.clone(), node::api::AppState::new(l).with_witness(witness))
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (first, first_state) = open();
    assert_eq!(rt.block_on(call(&first_state, log.body(0, 5))).0, 200);
    // The first node's lease runs out and a second node takes it; the
    // first learns it at its next commit.
    mem.take_lease_away();
    let (second, second_state) = open();
    let item = Item {
        sub: w.accepted[1].submission().unwrap(),
        sig: ledger_core::rules::SigMode::Verify,
        record_time: None,
    };
    let _ = first.submit_blocking(vec![item]);
    assert!(first.stopped().is_some(), "the first node was fenced out");
    let (status, text) = rt.block_on(call(&first_state, log.body(5, 9)));
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("lease"), "{text}");
    // The second node reads the state the first one stored.
    assert_eq!(
        rt.block_on(call(&second_state, log.body(0, 9))),
        (409, "5\n".to_string())
    );
    assert_eq!(rt.block_on(call(&second_state, log.body(5, 9))).0, 200);
    first.shutdown();
    second.shutdown();
}
