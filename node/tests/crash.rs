//! Crash safety: a `madini-node` child under continuous load is killed with
//! SIGKILL at random moments and restarted, again and again. After every
//! restart: every acknowledged event is at its index, the store opens, the
//! root matches the journal (start-up checks it against the last signed
//! checkpoint), and every checkpoint a client was ever given verifies and is
//! consistent with the current tree (none was signed for a tree later lost).
//! Every third cycle also kills a node during its start-up (recovery: torn
//! tail cut, indexes caught up, lost checkpoints signed again), before it
//! serves anything. At the end `madini-node fsck` must pass.
//!
//! `MADINI_CRASH_CYCLES` sets the number of kills under load (default 8; CI
//! runs 40; the full run in the issue note used 200).

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use ledger_core::hash::Hash;
use ledger_core::merkle::verify_consistency;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::scenario::Rng;
use serde_json::{Value, json};

const ORIGIN: &str = "crash.madini.example/log";

#[derive(Default)]
struct Seen {
    acked: Vec<(u64, String)>,
    /// Every distinct checkpoint a client was given, by (size, root line):
    /// two different notes for one size would both be kept, and one of them
    /// would then fail the consistency check.
    checkpoints: BTreeMap<(u64, String), String>,
}

/// The (size, root) key of a checkpoint note, read from its body lines.
fn note_key(note: &str) -> (u64, String) {
    let mut lines = note.lines().skip(1);
    let size = lines
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(u64::MAX);
    (size, lines.next().unwrap_or_default().to_string())
}

fn get(a: &ureq::Agent, url: &str) -> Value {
    a.get(url).call().unwrap().body_mut().read_json().unwrap()
}

/// Every acknowledged event from `from_ack` on at its index; every
/// checkpoint not checked before (`checked`) consistent with the tree.
fn check(
    url: &str,
    key: &NoteKey,
    seen: &Seen,
    from_ack: usize,
    checked: &mut std::collections::BTreeSet<(u64, String)>,
) {
    let a = agent();
    let log = get(&a, &format!("{url}/v1/log"));
    let size = log["tree_size"].as_u64().unwrap();
    let root = Hash::from_base64(log["root_hash"].as_str().unwrap()).unwrap();
    let current = open_checkpoint(log["checkpoint"].as_str().unwrap(), key).unwrap();
    assert_eq!((current.size, current.root), (size, root));
    for (index, event_hash) in &seen.acked[from_ack..] {
        assert!(
            *index < size,
            "acknowledged entry {index} is beyond the tree ({size}): lost"
        );
        let e = get(&a, &format!("{url}/v1/entries/{index}"));
        assert_eq!(
            e["event_hash"].as_str(),
            Some(event_hash.as_str()),
            "entry {index} changed or was lost"
        );
    }
    for (k, note) in &seen.checkpoints {
        if !checked.insert(k.clone()) {
            continue;
        }
        let cp = open_checkpoint(note, key).expect("a checkpoint given to a client verifies");
        assert!(
            cp.size <= size,
            "a checkpoint of size {} was signed for entries later lost (now {size})",
            cp.size
        );
        let p = get(
            &a,
            &format!("{url}/v1/proof/consistency?from={}&to={size}", cp.size),
        );
        let hashes: Vec<Vec<u8>> = p["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| B64.decode(h.as_str().unwrap()).unwrap())
            .collect();
        verify_consistency(cp.size, size, &cp.root.0, &root.0, &hashes).unwrap_or_else(|e| {
            panic!(
                "checkpoint {} is not a prefix of the current tree: {e}",
                cp.size
            )
        });
    }
}

fn load(
    url: String,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    counter: Arc<AtomicU64>,
    batch: bool,
) {
    let a = agent();
    while !stop.load(Ordering::SeqCst) {
        let k = if batch { 8 } else { 1 };
        let evs: Vec<_> = (0..k)
            .map(|_| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                register(ORIGIN, &format!("T{n}"), 1_767_600_000_000 + n)
            })
            .collect();
        let envs: Vec<Value> = evs
            .iter()
            .map(|e| {
                let x = e.envelope();
                json!({"event": x.event, "sig": x.sig})
            })
            .collect();
        let body = if batch {
            json!({"events": envs})
        } else {
            envs[0].clone()
        };
        let resp = a.post(&format!("{url}/v1/events")).send_json(body);
        let Ok(mut resp) = resp else { return };
        let Ok(v) = resp.body_mut().read_json::<Value>() else {
            return;
        };
        let results = if batch {
            v["results"].as_array().cloned().unwrap_or_default()
        } else {
            vec![v.clone()]
        };
        let mut s = seen.lock().unwrap();
        for r in results {
            if r["status"] == "accepted" || r["status"] == "existing" {
                s.acked.push((
                    r["index"].as_u64().unwrap(),
                    r["event_hash"].as_str().unwrap().to_string(),
                ));
            }
        }
        if let Some(cp) = v["checkpoint"].as_str() {
            s.checkpoints
                .entry(note_key(cp))
                .or_insert_with(|| cp.to_string());
        }
    }
}

#[test]
fn sigkill_under_load_loses_no_acknowledged_event() {
    let cycles: u64 = std::env::var("MADINI_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let dir = init_dir("crash", ORIGIN);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let counter = Arc::new(AtomicU64::new(0));
    let mut rng = Rng::new(42);
    let mut key: Option<NoteKey> = None;
    let mut checked_upto = 0;
    let mut checked = std::collections::BTreeSet::new();
    let mut startup_kills = 0;
    for cycle in 0..cycles {
        if cycle % 3 == 2 {
            kill_during_start_up(&dir, rng.range(0, 40));
            startup_kills += 1;
        }
        let mut node = NodeProc::spawn(&dir, None);
        let k = key.get_or_insert_with(|| {
            NoteKey::from_vkey(
                get(&agent(), &format!("{}/v1/log", node.url))["vkey"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap()
        });
        {
            let s = seen.lock().unwrap();
            check(&node.url, k, &s, checked_upto, &mut checked);
            checked_upto = s.acked.len();
        }
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..3)
            .map(|t| {
                let (u, s, st, c) = (
                    node.url.clone(),
                    seen.clone(),
                    stop.clone(),
                    counter.clone(),
                );
                std::thread::spawn(move || load(u, s, st, c, t == 2))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.range(20, 400)));
        node.kill();
        stop.store(true, Ordering::SeqCst);
        for t in threads {
            t.join().unwrap();
        }
    }
    // Final restart: check everything ever acknowledged, then fsck.
    let node = NodeProc::spawn(&dir, None);
    let s = seen.lock().unwrap();
    checked.clear();
    check(&node.url, key.as_ref().unwrap(), &s, 0, &mut checked);
    let acked = s.acked.len();
    let size = get(&agent(), &format!("{}/v1/log", node.url))["tree_size"]
        .as_u64()
        .unwrap();
    drop(node);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["fsck", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fsck after the crashes: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!(
        "crash harness: {cycles} SIGKILL cycles under load and {startup_kills} during start-up, {acked} acknowledged events, {size} entries, 0 lost, {} distinct checkpoints checked",
        s.checkpoints.len()
    );
    assert!(acked > 0);
    assert!(s.checkpoints.len() as u64 >= cycles);
}

/// Starts `madini-node serve` and sends it SIGKILL `ms` milliseconds later,
/// whatever it is doing (opening the journal, catching the indexes up,
/// signing lost checkpoints again).
fn kill_during_start_up(dir: &std::path::Path, ms: u64) {
    use std::os::unix::process::CommandExt;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir)
        .env("MADINI_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    let _ = child.wait();
}
