//! A copy of the tiles in S3-compatible object storage (`spec/log.md`
//! section 6, "To an object store"), against a real store: Garage, a
//! single-node server started here on loopback. `madini-node publish --to
//! s3://...` writes it; the readers (`madini audit --tiles`, `verify lot
//! --tiles`) read it through the store's web endpoint with the node
//! stopped and get the node's reports; a store killed in the middle of a
//! publication is ridden out by retrying; a store that stays down stops the
//! run before its checkpoint; and `publish` killed at random moments never
//! leaves a checkpoint ahead of its tiles. `MADINI_PUBLISH_KILLS` sets the
//! number of kills (default 6; the full run, 50).
//!
//! The store is Garage (`node/tests/common/garage.rs` says why). Without it
//! the tests are skipped, unless `MADINI_REQUIRE_GARAGE` (CI sets it) says
//! they must run.

mod common;
#[path = "../../node/tests/common/garage.rs"]
mod garage;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use garage::{BUCKET, Garage, garage};
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::scenario::Rng;
use ledger_core::tiles::{Tile, TileHashReader, TileKind, new_tiles};

/// `madini-node publish --data DATA --to s3://BUCKET/PREFIX`, not waited for.
fn publish(g: &Garage, data: &Path, prefix: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(node_bin());
    c.args(["publish", "--data"])
        .arg(data)
        .arg("--to")
        .arg(format!("s3://{BUCKET}/{prefix}"))
        .args(extra)
        .env("MADINI_LOG", "error")
        .envs(g.env())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run_ok(mut c: Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "publish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An HTTP GET through the web endpoint: the body, `None` for a 404.
fn fetch(url: &str) -> Option<Vec<u8>> {
    match ureq::get(url).call() {
        Ok(mut r) => Some(r.body_mut().read_to_vec().unwrap()),
        Err(ureq::Error::StatusCode(404)) => None,
        Err(e) => panic!("{url}: {e}"),
    }
}

/// What a reader of the copy checks, through the web endpoint: its
/// checkpoint verifies under `key`, and every tile it needs is there and
/// checks against it. Answers the size, 0 for no checkpoint yet.
fn read_copy(base: &str, key: &NoteKey) -> u64 {
    let Some(note) = fetch(&format!("{base}/checkpoint")) else {
        return 0;
    };
    let note = String::from_utf8(note).unwrap();
    let cp = open_checkpoint(&note, key).unwrap_or_else(|e| panic!("the copy's checkpoint: {e}"));
    let source = |t: &Tile| fetch(&format!("{base}/{t}")).ok_or_else(|| format!("{t}: missing"));
    let reader = TileHashReader::new(cp.size, cp.root, source)
        .unwrap_or_else(|e| panic!("the copy at {}: {e}", cp.size));
    for n in 0..cp.size.div_ceil(256) {
        reader
            .entries(n)
            .unwrap_or_else(|e| panic!("the copy at {}: {e}", cp.size));
    }
    for t in new_tiles(0, cp.size) {
        if let TileKind::Hashes(level) = t.kind {
            reader
                .hash_tile(level, t.n)
                .unwrap_or_else(|e| panic!("the copy at {}: {t}: {e}", cp.size));
        }
    }
    cp.size
}

/// The checkpoint key and size of a ledger, from its node's `GET /v1/log`.
fn log_key_and_size(node: &NodeProc) -> (NoteKey, u64) {
    let log: serde_json::Value = ureq::get(&format!("{}/v1/log", node.url))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    (
        NoteKey::from_vkey(log["vkey"].as_str().unwrap()).unwrap(),
        log["tree_size"].as_u64().unwrap(),
    )
}

/// Published to the store and read back through its web endpoint, the
/// node stopped: the same audit and lot reports as from the node, the
/// node's content types, and nothing rewritten by a second run.
#[test]
fn a_copy_in_an_object_store_verifies_as_the_node_did_with_the_node_stopped() {
    let Some(bin) = garage() else {
        return;
    };
    let root = tempdir("s3-copy");
    let (data, out) = generated(
        &root,
        &["--seed", "9", "--lots", "40", "--frauds", "untaxed-export"],
    );
    let lot = out
        .lines()
        .find_map(|l| l.strip_prefix("planted untaxed-export: "))
        .and_then(|l| l.split(|c: char| c == ',' || c.is_whitespace()).next())
        .unwrap()
        .to_string();
    let mut node = NodeProc::start(&data);
    let d = Device::new(&root, "AUDITOR", &node.url);
    d.run(&["log", "status"]).expect(0);
    let api = d.run(&["--json", "audit"]).expect(1).json();
    let api_lot = d.run(&["--json", "verify", "lot", &lot]).expect(1).json();
    node.stop();
    let g = Garage::start(&bin, &root.join("garage"));
    let said = run_ok(publish(&g, &data, "registry/log", &[]));
    assert!(said.contains("s3://madini-copy/registry/log"), "{said}");
    let web = g.web("registry/log");
    let r = ureq::get(&format!("{web}/checkpoint")).call().unwrap();
    assert_eq!(
        r.headers().get("content-type").unwrap(),
        "text/plain; charset=utf-8"
    );
    let r = ureq::get(&format!("{web}/tile/entries/000"))
        .call()
        .unwrap();
    assert_eq!(
        r.headers().get("content-type").unwrap(),
        "application/octet-stream"
    );
    let tiles = d
        .run(&["--json", "audit", "--tiles", &web])
        .expect(1)
        .json();
    for k in ["verdict", "tree_size", "root_hash", "counts", "findings"] {
        assert_eq!(api[k], tiles[k], "audit: {k}");
    }
    let tiles_lot = d
        .run(&["--json", "verify", "lot", &lot, "--tiles", &web])
        .expect(1)
        .json();
    for k in ["verdict", "findings", "tree_size", "root_hash"] {
        assert_eq!(api_lot[k], tiles_lot[k], "verify lot: {k}");
    }
    // Published again: nothing to write.
    let again = run_ok(publish(&g, &data, "registry/log", &[]));
    assert!(again.contains(" 0 tiles written"), "{again}");
}

/// The store killed during a publication and started again a moment
/// later: the publisher retries and completes. The store refusing writes:
/// the run stops at the first tile with exit 3 naming it, and no
/// checkpoint is written. The store down for good: exit 3 once
/// `--retry-for` has passed, and the next run, the store back, completes. `publish` itself killed at
/// random moments: after each kill a reader finds a checkpoint with all
/// its tiles, or none yet; a last run completes.
#[test]
fn publishing_to_a_store_survives_failed_requests_and_kills() {
    let Some(bin) = garage() else {
        return;
    };
    let kills: usize = std::env::var("MADINI_PUBLISH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let root = tempdir("s3-faults");
    let (data, _) = generated(&root, &["--lots", "600"]);
    let (key, size) = log_key_and_size(&NodeProc::start(&data));
    let mut g = Garage::start(&bin, &root.join("garage"));

    // The store killed mid-run, back 1 s later: retried, completed.
    let t = std::time::Instant::now();
    let child = publish(&g, &data, "a", &[]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(150));
    g.kill();
    std::thread::sleep(Duration::from_secs(1));
    g.run_server();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "a publication across a store restart: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read_copy(&g.web("a"), &key), size);
    eprintln!("publish across a store restart: {:?}", t.elapsed());

    // The store refuses every write (the key made read-only): the first
    // failed tile stops the run, exit 3, and no checkpoint is written.
    g.admin(&["bucket", "deny", "--write", BUCKET, "--key", "madini"]);
    let out = publish(&g, &data, "b", &[]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("s3://madini-copy/b/tile/"), "{err}");
    assert!(err.contains("publish again"), "{err}");
    assert_eq!(read_copy(&g.web("b"), &key), 0);
    g.admin(&["bucket", "allow", "--write", BUCKET, "--key", "madini"]);
    // The store down for good: retried for --retry-for, then exit 3.
    g.kill();
    let t = std::time::Instant::now();
    let out = publish(&g, &data, "b", &["--retry-for", "2"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("s3://madini-copy/b/checkpoint"), "{err}");
    assert!(t.elapsed() >= Duration::from_secs(2), "{:?}", t.elapsed());
    // Back up: the next run completes.
    g.run_server();
    run_ok(publish(&g, &data, "b", &[]));
    assert_eq!(read_copy(&g.web("b"), &key), size);

    // `publish` killed at random moments of a run to a fresh prefix.
    let t = std::time::Instant::now();
    run_ok(publish(&g, &data, "timing", &[]));
    let whole = t.elapsed().as_micros() as u64;
    let mut rng = Rng::new(11);
    let mut seen = std::collections::BTreeSet::new();
    let mut prefix = 0;
    for _ in 0..kills {
        let p = format!("k{prefix}");
        let mut child = publish(&g, &data, &p, &[]).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.range(0, whole + whole / 4)));
        let _ = child.kill();
        let _ = child.wait();
        let at = read_copy(&g.web(&p), &key);
        assert!(
            at == 0 || at == size,
            "a checkpoint of a size never signed: {at}"
        );
        seen.insert(at);
        // Sometimes start again on an empty prefix, so kills land early too.
        if at == size && rng.chance(60) {
            prefix += 1;
        }
    }
    let p = format!("k{prefix}");
    run_ok(publish(&g, &data, &p, &[]));
    assert_eq!(read_copy(&g.web(&p), &key), size);
    eprintln!(
        "publish to a store: {kills} kills within a {whole} µs run of {size} entries; copies seen at sizes {seen:?}"
    );
}

/// Addresses that name no usable store are refused before anything is
/// read, exit 2, in one sentence naming the address.
#[test]
fn a_copy_address_that_names_no_store_is_refused() {
    let root = tempdir("s3-address");
    let (data, _) = generated(&root, &["--lots", "5"]);
    for (to, says) in [
        ("s3://", "name the bucket"),
        ("s3://bucket/../up", "without . or .."),
        (
            "gs://bucket/prefix",
            "a directory or an s3://BUCKET/PREFIX URL",
        ),
    ] {
        let out = Command::new(node_bin())
            .args(["publish", "--data"])
            .arg(&data)
            .args(["--to", to])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
        assert_eq!(err.lines().count(), 1, "{to}: {err}");
    }
}
