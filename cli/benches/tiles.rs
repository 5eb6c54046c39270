//! Copies of the tiles benchmark: `cargo bench -p cli --bench tiles`.
//!
//! On a generated ledger of `MADINI_BENCH_ENTRIES` entries (default
//! 1,000,000; `MADINI_BENCH_DATA` names one already generated with
//! `madini-node generate`), in one run on this machine:
//! 1. `madini-node publish --to DIR`, against the limit: the same files, read
//!    into memory first, written with plain `fs::write` and one `sync -f`;
//! 2. `madini-node publish --to s3://...` to a single-node Garage on
//!    loopback (`node/tests/common/garage.rs`; skipped without it), against
//!    the limit: the same objects PUT by object_store directly, 32 in flight,
//!    no look-up first;
//! 3. `madini audit` against the node's API and `madini audit --tiles` against
//!    the node's tiles, alternated twice, entries per second (target: tiles at
//!    least 0.8 of the API).

#[path = "../../node/tests/common/garage.rs"]
mod garage;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};

fn bin(name: &str) -> PathBuf {
    let madini = PathBuf::from(env!("CARGO_BIN_EXE_madini"));
    let p = madini.with_file_name(name);
    if !p.exists() {
        let ok = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "-p", "node", "--bin", name])
            .status()
            .unwrap()
            .success();
        assert!(ok, "could not build {name}");
    }
    p
}

fn run(c: &mut Command) -> (Duration, String) {
    let t = Instant::now();
    let out = c.output().unwrap();
    let took = t.elapsed();
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{c:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every file under `dir` (but the publisher's temporary directory), with
/// its path relative to `dir`.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".madini-tmp") {
                continue;
            }
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn main() {
    let work = std::env::temp_dir().join(format!("madini-bench-tiles-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let node = bin("madini-node");
    let data = match std::env::var_os("MADINI_BENCH_DATA") {
        Some(d) => PathBuf::from(d),
        None => {
            let entries: usize = std::env::var("MADINI_BENCH_ENTRIES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(1_000_000);
            let data = work.join("data");
            // About 7.6 entries per lot (measured).
            let lots = (entries * 100 / 763).to_string();
            run(Command::new(&node)
                .args(["generate", "--lots", &lots, "--data"])
                .arg(&data));
            data
        }
    };
    println!(
        "tiles benchmark ({} cores)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| measurement | figure |");
    println!("| --- | --- |");

    // 1. A directory.
    let dir = work.join("copy");
    let (took, said) = run(Command::new(&node)
        .args(["publish", "--data"])
        .arg(&data)
        .arg("--to")
        .arg(&dir));
    let all = files(&dir);
    let bytes: usize = all.iter().map(|(_, b)| b.len()).sum();
    let limit_dir = work.join("limit");
    let t = Instant::now();
    for (rel, b) in &all {
        let p = limit_dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b).unwrap();
    }
    assert!(
        Command::new("sync")
            .arg("-f")
            .arg(&limit_dir)
            .status()
            .unwrap()
            .success()
    );
    let limit = t.elapsed();
    println!("| {} |", said.trim());
    println!(
        "| publish to a directory: {} files, {:.0} MB (target < 10 s; limit, the same files written and synced: {:.2} s) | {:.2} s |",
        all.len(),
        bytes as f64 / 1e6,
        limit.as_secs_f64(),
        took.as_secs_f64()
    );

    // 2. An object store.
    if let Some(g) = garage::garage() {
        let g = garage::Garage::start(&g, &work.join("garage"));
        let mut c = Command::new(&node);
        c.args(["publish", "--data"])
            .arg(&data)
            .args(["--to", &format!("s3://{}/bench", garage::BUCKET)])
            .env("MADINI_LOG", "error")
            .envs(g.env());
        let (took, _) = run(&mut c);
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = object_store::aws::AmazonS3Builder::new().with_bucket_name(garage::BUCKET);
        for (k, v) in g.env() {
            b = b.with_config(k.to_lowercase().parse().unwrap(), v);
        }
        let store: Arc<dyn ObjectStore> = Arc::new(b.build().unwrap());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let t = Instant::now();
        rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for (rel, b) in all.iter().cloned() {
                while set.len() >= 32 {
                    set.join_next().await.unwrap().unwrap();
                }
                let s = store.clone();
                set.spawn(async move {
                    s.put(
                        &object_store::path::Path::from(format!("limit/{rel}")),
                        PutPayload::from(b),
                    )
                    .await
                    .unwrap();
                });
            }
            while let Some(r) = set.join_next().await {
                r.unwrap();
            }
        });
        let limit = t.elapsed();
        println!(
            "| publish to Garage on loopback: {} objects (target < 60 s; limit, the same objects PUT 32 at once: {:.2} s) | {:.2} s |",
            all.len(),
            limit.as_secs_f64(),
            took.as_secs_f64()
        );
    } else {
        println!("| publish to an object store | not measured: garage is not installed |");
    }

    // 3. Audits against the node: its API, then its tiles.
    let mut child = Command::new(&node)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("MADINI_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split(" at ")
        .last()
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    let home = work.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let madini = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_madini"));
        c.env("MADINI_HOME", &home)
            .env("LANG", "C")
            .args(["--node", &url])
            .args(args);
        c
    };
    run(&mut madini(&["log", "status"]));
    let (mut api, mut tiles) = (Duration::MAX, Duration::MAX);
    let mut size = 0;
    for _ in 0..2 {
        let (t, out) = run(&mut madini(&["--json", "audit"]));
        api = api.min(t);
        size = serde_json::from_str::<serde_json::Value>(&out).unwrap()["tree_size"]
            .as_u64()
            .unwrap();
        let (t, _) = run(&mut madini(&["--json", "audit", "--tiles", &url]));
        tiles = tiles.min(t);
    }
    let _ = child.kill();
    let _ = child.wait();
    let rate = |d: Duration| size as f64 / d.as_secs_f64();
    println!(
        "| madini audit against the node's API, {size} entries (best of 2) | {:.0} entries/s |",
        rate(api)
    );
    println!(
        "| madini audit --tiles against the node's tiles (best of 2) | {:.0} entries/s |",
        rate(tiles)
    );
    println!(
        "| audit --tiles / audit (target >= 0.8) | {:.2} |",
        rate(tiles) / rate(api)
    );
    let _ = std::fs::remove_dir_all(&work);
}
