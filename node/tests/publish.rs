//! Publishing the tiles to a directory (`spec/log.md` section 6, "Copies
//! of the tiles"): the copy holds exactly the node's bytes for every tile
//! of every checkpoint it published, grows incrementally, refuses a copy of
//! another tree, and survives `madini-node publish` killed at random
//! moments: a reader of the copy never meets a checkpoint whose tiles are
//! not all there, and the next run completes. `MADINI_PUBLISH_KILLS` sets
//! the number of kills (default 12; the full run, 50).

mod common;

use std::path::Path;

use common::*;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::scenario::Rng;
use ledger_core::tiles::{Tile, TileHashReader, new_tiles, partial_tiles};
use ledger_core::vectors::{base_world, tile_bytes, tiles_world};
use node::ledger::{Item, Ledger, Outcome};
use node::publish::{PublishError, TileCopy};

fn submit(ledger: &Ledger, w: &ledger_core::world::World, from: usize, to: usize) {
    let leaves = w.log.leaves();
    let items = (from..to)
        .map(|i| Item {
            sub: w.accepted[i].submission().unwrap(),
            sig: ledger_core::rules::SigMode::Verify,
            record_time: Some(
                ledger_core::leaf::Leaf::decode(&leaves[i])
                    .unwrap()
                    .record_time,
            ),
        })
        .collect();
    let (out, _) = ledger.submit_blocking(items).unwrap();
    for o in out {
        assert!(matches!(o, Outcome::Accepted { .. }), "{o:?}");
    }
}

/// What a reader of the copy checks: its checkpoint verifies under `key`,
/// and every tile that checkpoint needs is there and checks against it,
/// every entry bundle included. Answers the size, 0 for no checkpoint yet.
fn read_copy(dir: &Path, key: &NoteKey) -> u64 {
    let Ok(note) = std::fs::read_to_string(dir.join("checkpoint")) else {
        return 0;
    };
    let cp = open_checkpoint(&note, key).unwrap_or_else(|e| panic!("the copy's checkpoint: {e}"));
    let source = |t: &Tile| std::fs::read(dir.join(t.to_string())).map_err(|e| format!("{t}: {e}"));
    let reader = TileHashReader::new(cp.size, cp.root, source)
        .unwrap_or_else(|e| panic!("the copy at {}: {e}", cp.size));
    for n in 0..cp.size.div_ceil(256) {
        reader
            .entries(n)
            .unwrap_or_else(|e| panic!("the copy at {}: {e}", cp.size));
    }
    // Every hash tile too, not only those the entries needed.
    for t in new_tiles(0, cp.size) {
        if let ledger_core::tiles::TileKind::Hashes(level) = t.kind {
            reader
                .hash_tile(level, t.n)
                .unwrap_or_else(|e| panic!("the copy at {}: {t}: {e}", cp.size));
        }
    }
    cp.size
}

#[test]
fn a_directory_copy_holds_the_node_s_bytes_and_grows_with_the_log() {
    let (w, _, _) = tiles_world();
    let base = base_world().log.size() as usize;
    let (ledger, _dir) = ledger_from(&base_world(), Backend::Sled);
    let key = NoteKey::new(&w.origin, w.log_key.public()).unwrap();
    let copy_dir = tempdir("copy");
    let copy = TileCopy::dir(&copy_dir).unwrap();
    let mut sizes = vec![];
    let mut from = base;
    for end in [base, 200, 255, 256, 257, 300] {
        submit(&ledger, &w, from, end);
        from = end;
        let p = copy.publish(&ledger).unwrap();
        let size = ledger.checkpoint().size;
        assert_eq!(p.size, size);
        assert_eq!(p.from, sizes.last().copied().unwrap_or(0));
        assert_eq!(read_copy(&copy_dir, &key), size);
        sizes.push(size);
        // Every tile of this size and the partial tiles of every size
        // published before, with the bytes the node serves.
        for t in new_tiles(0, size) {
            assert_eq!(
                std::fs::read(copy_dir.join(t.to_string())).unwrap(),
                tile_bytes(&w, &t, size),
                "{t} at {size}"
            );
        }
        for &old in &sizes {
            for t in partial_tiles(old) {
                assert!(copy_dir.join(t.to_string()).exists(), "{t} of {old}");
            }
        }
        assert_eq!(
            std::fs::read_to_string(copy_dir.join("checkpoint")).unwrap(),
            ledger.checkpoint().note
        );
    }
    // Published again with nothing new: nothing written.
    let p = copy.publish(&ledger).unwrap();
    assert_eq!((p.written, p.unchanged), (0, 0));
    // Nothing but tiles, the checkpoint and the (empty) temporary directory.
    let tmp = copy_dir.join(node::publish::TMP_DIR);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn a_copy_of_another_tree_is_refused_and_left_as_it_was() {
    let (w, _, _) = tiles_world();
    let (ledger, _dir) = ledger_from(&w, Backend::Sled);
    // Another log's checkpoint.
    let other = tempdir("copy-other");
    let mut stranger = ledger_core::world::World::new("other.example/log", "RW");
    stranger
        .register_actor("T", "T", "RW", &[ledger_core::types::Role::Trader])
        .unwrap();
    let foreign = stranger.checkpoint();
    std::fs::write(other.join("checkpoint"), &foreign).unwrap();
    let e = TileCopy::dir(&other).unwrap().publish(&ledger).unwrap_err();
    assert!(matches!(e, PublishError::OtherTree { .. }), "{e}");
    assert!(e.to_string().contains("other.example/log"), "{e}");
    assert_eq!(
        std::fs::read_to_string(other.join("checkpoint")).unwrap(),
        foreign
    );
    // A tile with other bytes than this tree's.
    let bad = tempdir("copy-bad-tile");
    let t = new_tiles(0, ledger.checkpoint().size)[0];
    std::fs::create_dir_all(bad.join(t.to_string()).parent().unwrap()).unwrap();
    std::fs::write(bad.join(t.to_string()), b"not this tree").unwrap();
    let e = TileCopy::dir(&bad).unwrap().publish(&ledger).unwrap_err();
    assert!(e.to_string().contains(&t.to_string()), "{e}");
    assert!(!bad.join("checkpoint").exists());
    // A copy ahead of the ledger (this ledger restored from an older backup).
    let (small, _d) = ledger_from(&base_world(), Backend::Sled);
    let ahead = tempdir("copy-ahead");
    TileCopy::dir(&ahead).unwrap().publish(&ledger).unwrap();
    let e = TileCopy::dir(&ahead).unwrap().publish(&small).unwrap_err();
    assert!(e.to_string().contains("older backup"), "{e}");
}

/// `madini-node publish` killed at random moments of a publication of a
/// generated ledger: after every kill the copy is readable (a checkpoint
/// with all its tiles, or none yet), and a last run completes it.
#[test]
fn publish_killed_at_any_moment_leaves_a_readable_copy_and_resumes() {
    let kills: usize = std::env::var("MADINI_PUBLISH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let root = tempdir("publish-kill");
    let data = root.join("data");
    let bin = env!("CARGO_BIN_EXE_madini-node");
    node_ok(&["generate", "--lots", "600"], &data);
    let (key, size) = {
        let store = std::sync::Arc::new(open_sled(&data));
        let (l, _) = Ledger::open(&data, store).unwrap();
        let size = l.checkpoint().size;
        (l.note_key.clone(), size)
    };
    let copy = root.join("copy");
    let publish = || {
        std::process::Command::new(bin)
            .args(["publish", "--data"])
            .arg(&data)
            .arg("--to")
            .arg(&copy)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // How long a whole run takes here, to kill within it.
    let t = std::time::Instant::now();
    let first = publish().wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let whole = t.elapsed().as_micros() as u64;
    std::fs::remove_dir_all(&copy).unwrap();
    let mut rng = Rng::new(7);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..kills {
        let mut child = publish();
        std::thread::sleep(std::time::Duration::from_micros(
            rng.range(0, whole + whole / 4),
        ));
        let _ = child.kill();
        let _ = child.wait();
        let at = read_copy(&copy, &key);
        assert!(
            at == 0 || at == size,
            "a checkpoint of a size never signed: {at}"
        );
        seen.insert(at);
        // Sometimes start again from nothing, so that kills land early too.
        if at == size && rng.chance(60) {
            std::fs::remove_dir_all(&copy).unwrap();
        }
    }
    let last = publish().wait_with_output().unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    assert_eq!(read_copy(&copy, &key), size);
    eprintln!(
        "publish: {kills} kills within a {whole} µs run of {size} entries; copies seen at sizes {seen:?}"
    );
}

/// `serve --publish-to`: the copy reaches the node's checkpoint at start,
/// and follows it as events are accepted.
#[test]
fn a_serving_node_keeps_its_copy_current() {
    let (w, _, _) = tiles_world();
    let base = base_world();
    let (ledger, dir) = ledger_from(&base, Backend::Sled);
    drop(ledger);
    let copy = tempdir("copy-serve");
    let node = NodeProc::spawn_with(
        &dir,
        None,
        &[std::ffi::OsStr::new("--publish-to"), copy.as_os_str()],
    );
    let key = NoteKey::new(&w.origin, w.log_key.public()).unwrap();
    let wait_for = |size: u64| {
        for _ in 0..200 {
            if std::fs::read_to_string(copy.join("checkpoint"))
                .is_ok_and(|n| open_checkpoint(&n, &key).is_ok_and(|c| c.size == size))
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("the copy did not reach {size} entries");
    };
    let start = base.log.size();
    wait_for(start);
    let a = agent();
    for ev in &w.accepted[start as usize..start as usize + 3] {
        let env = ev.envelope();
        let r = a
            .post(&format!("{}/v1/events", node.url))
            .header("content-type", "application/json")
            .send(serde_json::json!({"event": env.event, "sig": env.sig}).to_string())
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }
    wait_for(start + 3);
    assert_eq!(read_copy(&copy, &key), start + 3);
}
