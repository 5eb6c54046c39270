//! Durability: reopen after write, catching up an index that fell behind,
//! torn tails, lost entries, failing syncs (injected in-process and with
//! strace on the real binary), fsck and reindex.

mod common;

use std::process::Command;
use std::sync::{Arc, Mutex};

use common::*;
use ledger_core::event::{ActorRegister, Body};
use ledger_core::log::SignedEvent;
use ledger_core::types::Role;
use ledger_core::vectors::base_world;
use ledger_core::world::World;
use node::ledger::{FailAfter, Fault, Ledger, NodeError, files, init};
use node::store::MemStore;
use serde_json::json;

fn new_actor(w: &World, n: usize) -> SignedEvent {
    let rec = w.actor_record(&format!("NEW{n}"), "New trader", "CD", &[Role::Trader]);
    w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: rec }))
}

#[tokio::test]
async fn reopen_after_write_keeps_everything() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let c = Client::new(l.clone());
    for n in 0..20 {
        assert_eq!(c.submit(&new_actor(&w, n)).await.status, 201);
    }
    let cp = l.checkpoint();
    l.shutdown();
    drop(c);
    drop(l);
    // Same directory, fresh sled handle.
    let (l2, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(report.caught_up, 0);
    assert_eq!(
        (l2.checkpoint().size, l2.checkpoint().root),
        (cp.size, cp.root)
    );
    let c2 = Client::new(l2.clone());
    assert_eq!(c2.get("/v1/actors/NEW19").await.status, 200);
    l2.shutdown();
    drop(c2);
    drop(l2);
    // An index that lost everything (as if sled's unsynced writes were lost)
    // is rebuilt from the journal at start-up.
    let (l3, report) = Ledger::open(&dir, Arc::new(MemStore::new())).unwrap();
    assert_eq!(report.caught_up, cp.size);
    assert_eq!(l3.checkpoint().root, cp.root);
}

#[tokio::test]
async fn damaged_index_files_are_rewritten_and_an_old_index_layout_is_refused() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let lot = w.log.state.lots().next().expect("a lot").id.to_string();
    let before = Client::new(l.clone())
        .get(&format!("/v1/lots/{lot}/bundle"))
        .await;
    assert_eq!(before.status, 200, "{}", before.text);
    l.shutdown();
    drop(l);
    // The event index file is not synced: damage in its middle and a lost
    // tail are both found against the journal and rewritten.
    let events = dir.join(files::INDEX).join("events.hashes");
    let mut bytes = std::fs::read(&events).unwrap();
    assert_eq!(bytes.len() as u64, 32 * w.accepted.len() as u64);
    bytes[32 * 3 + 5] ^= 0x10;
    bytes.truncate(bytes.len() - 64);
    std::fs::write(&events, &bytes).unwrap();
    let (l, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert!(report.rebuilt_events);
    let c = Client::new(l.clone());
    let after = c.get(&format!("/v1/lots/{lot}/bundle")).await;
    assert_eq!(after.text, before.text);
    // Every event is found again: resubmitting any of them is `existing`.
    for (i, ev) in w.accepted.iter().enumerate().step_by(3) {
        let r = c.submit(ev).await;
        assert_eq!(r.json()["status"], "existing", "entry {i}: {}", r.text);
        assert_eq!(r.json()["index"], i as u64, "entry {i}");
    }
    l.shutdown();
    drop(c);
    drop(l);
    let (l, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert!(!report.rebuilt_events);
    l.shutdown();
    drop(l);
    // An index written with another value layout is refused, naming the fix.
    {
        let db = sled::open(dir.join(files::INDEX)).unwrap();
        db.open_tree("state")
            .unwrap()
            .insert([b'v'], &[1u8])
            .unwrap();
        db.flush().unwrap();
    }
    let e = match node::store::open_sled(&dir.join(files::INDEX), 16 << 20) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("opened an index of another layout"),
    };
    assert!(
        e.contains("layout 1") && e.contains("madini-node reindex"),
        "{e}"
    );
}

/// sled 0.34 reads a `snap.*.generating` file as a snapshot; a crash in the
/// middle of writing one (sled writes one at every open) used to stop every
/// later start with a corruption error (found by the crash harness on CI).
#[tokio::test]
async fn a_sled_snapshot_torn_by_a_crash_does_not_stop_the_node() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let cp = l.checkpoint();
    l.shutdown();
    drop(l);
    let index = dir.join(files::INDEX);
    let torn = index.join("snap.7FFFFFFFFFFFFFFF.generating");
    std::fs::write(&torn, [0x5au8; 100]).unwrap();
    // sled on its own refuses the database...
    let e = loop {
        match sled::open(&index) {
            Err(e) if e.to_string().contains("could not acquire lock") => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => break e.to_string(),
            Ok(_) => panic!("sled opened a database with a torn snapshot"),
        }
    };
    assert!(e.contains("corrupt"), "{e}");
    // ...the node removes the unfinished file first, and everything is there.
    let (l, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert!(!torn.exists());
    assert_eq!(report.caught_up, 0);
    assert_eq!(
        (l.checkpoint().size, l.checkpoint().root),
        (cp.size, cp.root)
    );
}

#[test]
fn torn_tail_is_cut_and_lost_entries_are_refused() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let size = l.checkpoint().size;
    l.shutdown();
    drop(l);
    let leaves = dir.join(files::LEAVES);
    let full = std::fs::read(&leaves).unwrap();
    // A half-written record at the end: cut, never acknowledged.
    let mut torn = full.clone();
    torn.extend_from_slice(&node::journal::frame(size, b"half a leaf", true)[..12]);
    std::fs::write(&leaves, &torn).unwrap();
    let (l, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(report.cut_bytes, 12);
    assert_eq!(l.checkpoint().size, size);
    l.shutdown();
    drop(l);
    assert_eq!(std::fs::read(&leaves).unwrap(), full);
    // The journal loses its last record, which a checkpoint covers: refused.
    let mut cut = 0;
    node::journal::Journal::scan(&leaves, |p, _| {
        cut = p.offset - node::journal::HEADER as u64;
        Ok(())
    })
    .unwrap();
    std::fs::write(&leaves, &full[..cut as usize]).unwrap();
    match Ledger::open(&dir, Arc::new(MemStore::new())) {
        Err(NodeError::Inconsistent(m)) => assert!(m.contains("lost"), "{m}"),
        Ok(_) => panic!("opened a ledger that lost a signed entry"),
        Err(e) => panic!("unexpected error {e}"),
    }
    // Damage in the middle of the journal is refused with its offset.
    let mut bad = full.clone();
    bad[200] ^= 0x40;
    std::fs::write(&leaves, &bad).unwrap();
    match Ledger::open(&dir, store(Backend::Sled, &dir)) {
        Err(NodeError::Journal(e)) => assert!(e.to_string().contains("corrupt at byte"), "{e}"),
        Ok(_) => panic!("opened a corrupt journal"),
        Err(e) => panic!("unexpected error {e}"),
    }
}

#[tokio::test]
async fn a_failed_sync_acknowledges_nothing_and_stops_writes() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let size = l.checkpoint().size;
    l.shutdown();
    drop(l);
    let left = Arc::new(Mutex::new(2u64));
    let l2 = left.clone();
    let (l, _) = Ledger::open_with(&dir, store(Backend::Sled, &dir), move |j| {
        Box::new(FailAfter {
            inner: j,
            commits_left: l2,
            fault: Fault::Unwritten,
        })
    })
    .unwrap();
    let c = Client::new(l.clone());
    assert_eq!(c.submit(&new_actor(&w, 1)).await.status, 201);
    assert_eq!(c.submit(&new_actor(&w, 2)).await.status, 201);
    let r = c.submit(&new_actor(&w, 3)).await;
    assert_problem(&r, "writes-stopped");
    assert_eq!(
        c.size(),
        size + 2,
        "the failed entry is not acknowledged or published"
    );
    // Writes stay stopped, even after the disk "recovers".
    *left.lock().unwrap() = 100;
    assert_problem(&c.submit(&new_actor(&w, 4)).await, "writes-stopped");
    assert_problem(&c.get("/healthz").await, "writes-stopped");
    assert!(c.get("/v1/log").await.json()["writes"]["stopped"].is_string());
    assert_eq!(
        c.get("/v1/actors/NEW2").await.status,
        200,
        "reads still work"
    );
    l.shutdown();
    drop(c);
    drop(l);
    // After a restart the acknowledged entries are there; the unacknowledged
    // one is wholly there or wholly absent.
    let (l, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    let c = Client::new(l);
    assert!(c.size() == size + 2 || c.size() == size + 3);
    assert_eq!(c.get("/v1/actors/NEW2").await.status, 200);
    assert_eq!(c.submit(&new_actor(&w, 4)).await.status, 201);
}

/// A duplicate in a group whose sync fails points at an index that never
/// reached the disk: it must fail with the group, not answer `existing`.
#[tokio::test]
async fn a_duplicate_in_a_failed_group_is_not_acknowledged() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let size = l.checkpoint().size;
    l.shutdown();
    drop(l);
    let left = Arc::new(Mutex::new(0u64));
    let l2 = left.clone();
    let (l, _) = Ledger::open_with(&dir, store(Backend::Sled, &dir), move |j| {
        Box::new(FailAfter {
            inner: j,
            commits_left: l2,
            fault: Fault::Unwritten,
        })
    })
    .unwrap();
    let c = Client::new(l.clone());
    let e = new_actor(&w, 1).envelope();
    let one = serde_json::json!({"event": e.event, "sig": e.sig});
    let r = c
        .post(&serde_json::json!({"events": [one.clone(), one]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    for res in v["results"].as_array().unwrap() {
        assert_eq!(res["status"], "failed", "{}", r.text);
    }
    assert_eq!(
        (v["accepted"].as_u64(), v["existing"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(v["failed"].as_u64(), Some(2));
    assert_eq!(c.size(), size);
    l.shutdown();
}

#[test]
fn fsck_and_reindex() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let root = l.checkpoint().root;
    l.shutdown();
    drop(l);
    let s = open_sled(&dir);
    let r = node::fsck::fsck(&dir, Some(&s));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.entries, w.log.size());
    drop(s);
    // Tamper with an early leaf and fix up its frame checksum: the framing
    // passes, but fsck finds the broken signature and checkpoint root.
    let leaves = dir.join(files::LEAVES);
    let mut data = std::fs::read(&leaves).unwrap();
    let mut recs = Vec::new();
    node::journal::Journal::scan(&leaves, |p, payload| {
        recs.push((p, payload.to_vec()));
        Ok(())
    })
    .unwrap();
    let (pos, mut payload) = recs[5].clone();
    let n = payload.len();
    payload[n - 3] ^= 1;
    let framed = node::journal::frame(pos.seq, &payload, pos.commit);
    let start = (pos.offset as usize) - node::journal::HEADER;
    data[start..start + framed.len()].copy_from_slice(&framed);
    let saved = std::fs::read(&leaves).unwrap();
    std::fs::write(&leaves, &data).unwrap();
    let r = node::fsck::fsck(&dir, None);
    assert!(
        r.problems.iter().any(|p| p.contains("entry 5")),
        "{:?}",
        r.problems
    );
    // The binary says so with exit code 1.
    let out = Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["fsck", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(&leaves, saved).unwrap();
    // Reindex rebuilds the same tree.
    let out = Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["reindex", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (l, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(l.checkpoint().root, root);
    l.shutdown();
    drop(l);
    // An index sled cannot even open: fsck says how to fix it (exit 3), and
    // reindex sets it aside, nothing deleted, and rebuilds it.
    std::fs::write(dir.join(files::INDEX).join("conf"), [0xff; 64]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["fsck", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("madini-node reindex"));
    let out = Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["reindex", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("index.broken-"))
        .collect();
    assert_eq!(aside.len(), 1, "the broken index is kept aside");
    let (l, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(l.checkpoint().root, root);
}

#[test]
fn strace_injected_fdatasync_failure_stops_writes() {
    let have_strace = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_strace {
        assert!(
            std::env::var_os("MADINI_REQUIRE_STRACE").is_none(),
            "MADINI_REQUIRE_STRACE is set but strace is not installed"
        );
        eprintln!("skipping: strace is not installed");
        return;
    }
    let origin = "crash.madini.example/log";
    let dir = init_dir("strace", origin);
    // The first two fdatasync calls of the serving process succeed, the rest fail with EIO.
    let node = NodeProc::spawn(&dir, Some("inject=fdatasync:error=EIO:when=3+"));
    let url = node.url.clone();
    let a = agent();
    let post = |ev: &SignedEvent| {
        let e = ev.envelope();
        let mut r = a
            .post(&format!("{url}/v1/events"))
            .send_json(json!({"event": e.event, "sig": e.sig}))
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    let mut acked = Vec::new();
    let mut stopped_at = None;
    for n in 0..6 {
        let ev = register(origin, &format!("T{n}"), 1_767_600_000_000 + n);
        let (status, body) = post(&ev);
        match status {
            201 => acked.push(ev),
            503 => {
                assert!(body.contains("writes-stopped"), "{body}");
                stopped_at.get_or_insert(n);
            }
            s => panic!("unexpected {s}: {body}"),
        }
    }
    assert!(stopped_at.is_some(), "the injected failure was never hit");
    let log: serde_json::Value = a
        .get(&format!("{url}/v1/log"))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(
        log["tree_size"].as_u64(),
        Some(1 + acked.len() as u64),
        "published size counts only acknowledged entries"
    );
    assert!(log["writes"]["stopped"].as_str().unwrap().contains("sync"));
    drop(node);
    // Restarted without injection: every acknowledged entry is there.
    let node = NodeProc::spawn(&dir, None);
    let url = node.url.clone();
    for ev in &acked {
        let e = ev.envelope();
        let mut r = a
            .post(&format!("{url}/v1/events"))
            .send_json(json!({"event": e.event, "sig": e.sig}))
            .unwrap();
        assert_eq!(
            r.status().as_u16(),
            200,
            "{}",
            r.body_mut().read_to_string().unwrap()
        );
    }
    drop(node);
}

#[tokio::test]
async fn lost_checkpoints_are_signed_again_byte_for_byte_and_uncommitted_leaves_cut() {
    let w = base_world();
    let (l, dir) = ledger_from(&w, Backend::Sled);
    let c = Client::new(l.clone());
    let mut notes = Vec::new();
    for n in 0..5 {
        let r = c.submit(&new_actor(&w, n)).await.json();
        notes.push(r["checkpoint"].as_str().unwrap().to_string());
    }
    l.shutdown();
    drop(c);
    drop(l);
    // Lose every checkpoint but the first (the journal is not synced per commit).
    let cps = dir.join(files::CHECKPOINTS);
    let mut first_end = 0;
    node::journal::Journal::scan(&cps, |p, _| {
        if first_end == 0 {
            first_end = p.offset + u64::from(p.len);
        }
        Ok(())
    })
    .unwrap();
    let data = std::fs::read(&cps).unwrap();
    std::fs::write(&cps, &data[..first_end as usize]).unwrap();
    // And append a leaf whose group never committed (no commit flag).
    let leaves = dir.join(files::LEAVES);
    let mut count = 0;
    node::journal::Journal::scan(&leaves, |_, _| {
        count += 1;
        Ok(())
    })
    .unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&leaves)
        .unwrap();
    std::io::Write::write_all(
        &mut f,
        &node::journal::frame(count, b"a leaf of an unfinished group", false),
    )
    .unwrap();
    drop(f);
    let (l, report) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(report.uncommitted, 1);
    assert!(report.resigned >= 5, "{report:?}");
    assert_eq!(
        &l.checkpoint().note,
        notes.last().unwrap(),
        "the re-signed checkpoint is the same bytes"
    );
    let mut stored = Vec::new();
    node::journal::Journal::scan(&cps, |_, p| {
        stored.push(String::from_utf8(p.to_vec()).unwrap());
        Ok(())
    })
    .unwrap();
    for n in &notes {
        assert!(stored.contains(n), "a checkpoint given to a client is kept");
    }
}

/// `init` writes the log key as a private PKCS#8 file that OpenSSL reads,
/// and a key left behind by an `init` that stopped before the genesis entry
/// is taken up, not silently replaced by another one.
#[test]
fn init_writes_a_private_log_key_and_takes_up_a_leftover_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = init_dir("init-key", "init.madini.example/log");
    let key = dir.join(files::LOG_KEY);
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "log.key mode {mode:o}");
    match std::process::Command::new("openssl")
        .args(["pkey", "-noout", "-in"])
        .arg(&key)
        .output()
    {
        Ok(o) => assert!(
            o.status.success(),
            "openssl refused log.key: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => assert!(
            std::env::var_os("MADINI_REQUIRE_OPENSSL").is_none(),
            "openssl is required (MADINI_REQUIRE_OPENSSL) but not installed"
        ),
    }
    let first = node::keyfile::read(&key).unwrap().public();

    // A second directory holding only that key, as an interrupted init
    // leaves it: init uses the key.
    let again = tempdir("init-leftover");
    let kept = again.join(files::LOG_KEY);
    std::fs::copy(&key, &kept).unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args([
            "init",
            "--origin",
            "init2.madini.example/log",
            "--authority-id",
        ])
        .args([
            "AUTH",
            "--authority-name",
            "Registry",
            "--authority-country",
            "RW",
        ])
        .arg("--authority-key")
        .arg(ledger_core::world::named_key("AUTH").public().to_string())
        .arg("--data")
        .arg(&again)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (l, _) = Ledger::open(&again, store(Backend::Sled, &again)).unwrap();
    assert_eq!(l.log_key, first, "the leftover key signs the new ledger");
    l.shutdown();
}

// ---------------------------------------------------------------------------
// The storage seam: one sequencer over either `LogStore`.

use node::ledger::{Genesis, Item, Outcome};
use node::logstore::{LogStore, MAX_RECORD_KEY, RecordError};
use node::memlog::MemLogStore;

fn record_time(w: &World, i: usize) -> u64 {
    ledger_core::leaf::Leaf::decode(&w.log.leaves()[i])
        .unwrap()
        .record_time
}

/// A ledger over the in-memory `LogStore`, holding `w`'s genesis only.
fn memory_ledger(w: &World) -> (Arc<Ledger>, MemLogStore) {
    memory_ledger_with(w, |x| x)
}

fn memory_ledger_with(
    w: &World,
    wrap: impl FnOnce(Box<dyn node::logstore::LogWriter>) -> Box<dyn node::logstore::LogWriter>,
) -> (Arc<Ledger>, MemLogStore) {
    let genesis = Genesis {
        event: w.accepted[0].clone(),
        record_time: record_time(w, 0),
    };
    let mem = MemLogStore::create(&w.log_key, &genesis).unwrap();
    let (l, report) = Ledger::open_store(Arc::new(mem.clone()), w.log_key.clone(), wrap).unwrap();
    assert_eq!(report.caught_up, 1, "the genesis is indexed at start-up");
    (l, mem)
}

/// Submits `events` as one group with these record times; returns the
/// outcomes and the checkpoint note.
fn group(l: &Ledger, events: &[(SignedEvent, u64)]) -> (Vec<Outcome>, String) {
    let items = events
        .iter()
        .map(|(ev, t)| Item {
            sub: ev.submission().unwrap(),
            sig: ledger_core::rules::SigMode::Verify,
            record_time: Some(*t),
        })
        .collect();
    let (out, cp) = l.submit_blocking(items).unwrap();
    (out, cp.note.clone())
}

fn outcome_key(o: &Outcome) -> String {
    match o {
        Outcome::Accepted {
            index, leaf_hash, ..
        } => format!("accepted {index} {leaf_hash}"),
        Outcome::Existing {
            index, leaf_hash, ..
        } => format!("existing {index} {leaf_hash}"),
        Outcome::Refused(r) => format!("refused {}", r.rule),
        Outcome::Failed(f) => format!("failed {f}"),
    }
}

/// The same sequencer scenario on the in-memory store and on the embedded
/// store (journals and sled): every group gets the same outcomes and the
/// same checkpoint, byte for byte, and the logs read back the same.
#[test]
fn one_sequencer_scenario_gives_identical_logs_on_both_stores() {
    let w = base_world();
    let (mem, mem_store) = memory_ledger(&w);
    let dir = tempdir("seam");
    init(
        &dir,
        &w.log_key,
        &Genesis {
            event: w.accepted[0].clone(),
            record_time: record_time(&w, 0),
        },
    )
    .unwrap();
    let (emb, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(mem.checkpoint().note, emb.checkpoint().note);
    // The world's events in groups of 1, 2, 3, ..., then fresh ones mixed
    // with a duplicate and a refusal (a stale signature's replay in another
    // group is `existing`; an actor registered twice breaks a rule).
    let mut groups: Vec<Vec<(SignedEvent, u64)>> = Vec::new();
    let mut i = 1;
    let mut k = 1;
    while i < w.accepted.len() {
        let end = (i + k).min(w.accepted.len());
        groups.push(
            (i..end)
                .map(|j| (w.accepted[j].clone(), record_time(&w, j)))
                .collect(),
        );
        i = end;
        k += 1;
    }
    let t = record_time(&w, w.accepted.len() - 1) + 1000;
    let fresh = new_actor(&w, 1);
    groups.push(vec![
        (fresh.clone(), t),
        (w.accepted[3].clone(), t),
        (new_actor(&w, 2), t + 1),
    ]);
    groups.push(vec![(fresh.clone(), t + 2)]);
    let again = w.sign(
        "AUTH",
        Body::ActorRegister(ActorRegister {
            actor: w.actor_record("NEW1", "Another name", "CD", &[Role::Trader]),
        }),
    );
    groups.push(vec![(again, t + 3), (new_actor(&w, 3), t + 4)]);
    let mut kinds = std::collections::BTreeSet::new();
    for (n, g) in groups.iter().enumerate() {
        let (mo, mn) = group(&mem, g);
        let (eo, en) = group(&emb, g);
        let (mo, eo): (Vec<String>, Vec<String>) = (
            mo.iter().map(outcome_key).collect(),
            eo.iter().map(outcome_key).collect(),
        );
        assert_eq!(mo, eo, "group {n}");
        assert!(
            mo.iter().all(|o| !o.starts_with("failed")),
            "group {n}: {mo:?}"
        );
        assert_eq!(mn, en, "group {n}: the checkpoints differ");
        kinds.extend(
            mo.iter()
                .map(|o| o.split(' ').next().unwrap_or_default().to_string()),
        );
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["accepted", "existing", "refused"]
    );
    let (mcp, ecp) = (mem.checkpoint(), emb.checkpoint());
    assert_eq!((mcp.size, mcp.root), (ecp.size, ecp.root));
    assert_eq!(mcp.size, w.log.size() + 3);
    // Every checkpoint the memory store committed is one the embedded store
    // journalled, in the same order.
    let mut journalled = Vec::new();
    node::journal::Journal::scan(&dir.join(files::CHECKPOINTS), |_, p| {
        journalled.push(String::from_utf8(p.to_vec()).unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(mem_store.checkpoints(), journalled);
    // Read back: leaves one by one and streamed, stored hashes in one
    // batched read, histories, provenance.
    let (a, b) = (mem.log_store(), emb.log_store());
    assert_eq!(a.size().unwrap(), b.size().unwrap());
    let streamed: Vec<_> = a.leaves(0, mcp.size).map(|r| r.unwrap()).collect();
    assert_eq!(
        streamed,
        b.leaves(0, mcp.size)
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
    );
    for (i, leaf) in &streamed {
        assert_eq!(b.leaf(*i).unwrap().as_ref(), Some(leaf));
    }
    let all: Vec<u64> = (0..node::store::stored_hash_count(mcp.size)).collect();
    assert_eq!(a.read_hashes(&all).unwrap(), b.read_hashes(&all).unwrap());
    assert!(b.read_hashes(&[all.len() as u64]).is_err());
    let r = ledger_core::bundle::Ref::Actor("NEW1".to_string());
    assert_eq!(mem.history(&r).unwrap(), emb.history(&r).unwrap());
    for lot in w.log.state.lots() {
        assert_eq!(
            mem.provenance(&lot.id).unwrap(),
            emb.provenance(&lot.id).unwrap()
        );
        assert_eq!(
            format!("{:?}", mem.bundle(&lot.id).unwrap()),
            format!("{:?}", emb.bundle(&lot.id).unwrap())
        );
    }
}

/// A commit whose answer was lost (the connection dropped during COMMIT):
/// the memory store, like a database, reads the group back, finds it
/// committed, and the sequencer acknowledges it. The embedded store cannot
/// tell after a failed sync: it stops writes, and the restart's journal
/// scan resolves it (here: the group is there, whole).
#[test]
fn an_unknown_commit_outcome_is_resolved_by_reading_back_or_stops_writes() {
    let w = base_world();
    let lost = |left| {
        move |inner| -> Box<dyn node::logstore::LogWriter> {
            Box::new(FailAfter {
                inner,
                commits_left: Arc::new(Mutex::new(left)),
                fault: Fault::AnswerLost,
            })
        }
    };
    let t = record_time(&w, w.accepted.len() - 1) + 1;
    let (mem, _) = memory_ledger_with(&w, lost(0));
    let (out, _) = group(&mem, &[(w.accepted[1].clone(), t)]);
    assert!(
        matches!(out[0], Outcome::Accepted { index: 1, .. }),
        "{out:?}"
    );
    assert_eq!(mem.checkpoint().size, 2);
    assert!(mem.stopped().is_none());

    let (l, dir) = ledger_from(&w, Backend::Sled);
    let size = l.checkpoint().size;
    l.shutdown();
    drop(l);
    let (l, _) = Ledger::open_with(&dir, store(Backend::Sled, &dir), lost(0)).unwrap();
    let (out, _) = group(&l, &[(new_actor(&w, 1), t)]);
    assert!(matches!(out[0], Outcome::Failed(_)), "{out:?}");
    assert!(
        l.stopped().unwrap().contains("restart"),
        "{:?}",
        l.stopped()
    );
    assert_eq!(l.checkpoint().size, size);
    l.shutdown();
    drop(l);
    let (l, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(
        l.checkpoint().size,
        size + 1,
        "the synced group is found at restart"
    );
}

/// A commit that certainly did not happen fails its group, and writes go
/// on; a writer whose lease passed to another stops writing.
#[test]
fn a_group_not_committed_fails_alone_and_a_lost_lease_stops_writes() {
    let w = base_world();
    let left = Arc::new(Mutex::new(0u64));
    let l2 = left.clone();
    let (mem, store) = memory_ledger_with(&w, move |inner| {
        Box::new(FailAfter {
            inner,
            commits_left: l2,
            fault: Fault::Unwritten,
        })
    });
    let t = record_time(&w, w.accepted.len() - 1) + 1;
    let (out, _) = group(&mem, &[(w.accepted[1].clone(), t)]);
    assert!(matches!(out[0], Outcome::Failed(_)), "{out:?}");
    assert!(
        mem.stopped().is_none(),
        "read back as not committed: writes go on"
    );
    assert_eq!(mem.checkpoint().size, 1);
    *left.lock().unwrap() = 100;
    let (out, _) = group(
        &mem,
        &[(w.accepted[1].clone(), t), (w.accepted[2].clone(), t)],
    );
    assert!(
        matches!(out[1], Outcome::Accepted { index: 2, .. }),
        "{out:?}"
    );
    // Another node takes the lease: the next commit is fenced out.
    store.take_lease_away();
    let (out, _) = group(&mem, &[(w.accepted[3].clone(), t)]);
    assert!(matches!(out[0], Outcome::Failed(_)), "{out:?}");
    assert!(
        mem.stopped().unwrap().contains("lease"),
        "{:?}",
        mem.stopped()
    );
    assert_eq!(mem.checkpoint().size, 3);
    assert_eq!(
        store.size().unwrap(),
        3,
        "nothing was written under the lost lease"
    );
}

/// Records beside the log: compare-and-swap, durable across a restart of
/// the embedded store.
#[test]
fn records_are_swapped_only_from_the_value_read_and_survive_a_restart() {
    let w = base_world();
    let check = |s: &dyn LogStore| {
        let key = "witness/other.example/log";
        assert_eq!(s.record(key).unwrap(), None);
        s.swap_record(key, None, b"one").unwrap();
        match s.swap_record(key, None, b"two") {
            Err(RecordError::Changed { current, .. }) => {
                assert_eq!(current.as_deref(), Some(&b"one"[..]));
            }
            other => panic!("a swap from a stale value went through: {other:?}"),
        }
        s.swap_record(key, Some(b"one"), b"two").unwrap();
        assert_eq!(s.record(key).unwrap().as_deref(), Some(&b"two"[..]));
        assert!(s.swap_record("", None, b"x").is_err());
        // The longest key a record may have is stored and read back; one
        // byte more is refused.
        let long = format!("witness/{}", "o".repeat(MAX_RECORD_KEY - 8));
        s.swap_record(&long, None, b"long").unwrap();
        assert_eq!(s.record(&long).unwrap().as_deref(), Some(&b"long"[..]));
        assert!(matches!(
            s.swap_record(&format!("{long}x"), None, b"x"),
            Err(RecordError::Invalid(_))
        ));
        assert!(s.swap_record("k", None, &vec![0; 1 << 17]).is_err());
    };
    let (mem, _) = memory_ledger(&w);
    check(mem.log_store());
    let (l, dir) = ledger_from(&w, Backend::Sled);
    check(l.log_store());
    l.shutdown();
    drop(l);
    let (l, _) = Ledger::open(&dir, store(Backend::Sled, &dir)).unwrap();
    assert_eq!(
        l.log_store()
            .record("witness/other.example/log")
            .unwrap()
            .as_deref(),
        Some(&b"two"[..])
    );
}

/// A time-limited lease is renewed by the sequencer while it is idle, and
/// a renewal that finds the lease gone stops writes before any commit.
#[test]
fn an_idle_sequencer_renews_its_lease_and_stops_when_it_is_lost() {
    let w = base_world();
    let genesis = Genesis {
        event: w.accepted[0].clone(),
        record_time: record_time(&w, 0),
    };
    // The sequencer renews 2 s before the end: every 0.3 s here.
    let term = std::time::Duration::from_millis(2300);
    let mem = MemLogStore::create_leased(&w.log_key, &genesis, term).unwrap();
    let (l, _) = Ledger::open_store(Arc::new(mem.clone()), w.log_key.clone(), |x| x).unwrap();
    std::thread::sleep(term + std::time::Duration::from_millis(200));
    let t = record_time(&w, 1);
    let (out, _) = group(&l, &[(w.accepted[1].clone(), t)]);
    assert!(
        matches!(out[0], Outcome::Accepted { .. }),
        "renewed: {out:?}"
    );
    mem.take_lease_away();
    let start = std::time::Instant::now();
    while l.stopped().is_none() && start.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        l.stopped().unwrap_or_default().contains("lease"),
        "{:?}",
        l.stopped()
    );
    assert_eq!(mem.size().unwrap(), 2);
}
