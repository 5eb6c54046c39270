//! Node benchmark: `cargo bench -p node --bench node`.
//!
//! In one run on this machine:
//! 1. raw `verify_strict` on 2 threads over the same events (the limit);
//! 2. durable ingest over HTTP on 127.0.0.1 (fsync before every ack):
//!    single-event requests from 32 concurrent clients, then batches of 100
//!    from 8 concurrent clients;
//! 3. a ledger of `MADINI_BENCH_ENTRIES` entries (default 1,000,000) from the
//!    scenario generator, served by the `madini-node` binary: p50/p99 latency
//!    of `GET /v1/lots/{lot}/bundle` and of the public lot page
//!    `GET /lots/{lot}`, of full C2SP tiles (`GET /tile/0/N`, `/tile/1/N`,
//!    `/tile/entries/N`, beside `GET /healthz` as the floor), the uncached
//!    `GET /v1/reports/flows`, the node's resident memory, and disk bytes per
//!    entry against the raw leaf bytes;
//! 4. the witness (`POST /add-checkpoint`, `spec/log.md` section 7) on the
//!    embedded store, each 200 after a durable record swap: one log grown
//!    one leaf a request by one client (requests/s, p50/p99), then seven
//!    logs each by its own client at once.
//!
//! `MADINI_BENCH_QUICK=1` runs small sizes (for a smoke test);
//! `MADINI_BENCH_ENTRIES` sets the big ledger's size; `MADINI_BENCH_BIG_ONLY`
//! and `MADINI_BENCH_INGEST_ONLY` run one half; `MADINI_BENCH_WITNESS_ONLY`
//! runs the witness part alone.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ledger_core::crypto::verify_event;
use ledger_core::event::{Body, LotRegister};
use ledger_core::log::SignedEvent;
use ledger_core::scenario;
use ledger_core::types::{Mineral, Packages, Role, TagId};
use ledger_core::world::{World, grade, grams, id, site_id};
use node::api::{AppState, app};
use node::ledger::files;
use node::store::Store;

const SITE: &str = "CD-1.6790+29.2200-00001";

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("madini-bench-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// A small registry: a cooperative at a site with a large tag range.
fn base() -> World {
    let mut w = World::new("bench.madini.example/ingest", "CD");
    w.register_actor("COOP", "Coopérative", "CD", &[Role::Cooperative])
        .unwrap();
    let site = w.site_record(
        SITE,
        "Rubaya",
        &[Mineral::Cassiterite],
        100_000_000,
        &["COOP"],
    );
    w.register_site(site).unwrap();
    w.allocate_tags(SITE, "B", 7, 1, 999_999).unwrap();
    w
}

/// `n` pre-signed lot registrations starting at tag `first`, signed on 2 threads.
fn registrations(w: &World, first: usize, n: usize) -> Vec<SignedEvent> {
    let make = |i: usize| {
        w.sign(
            "COOP",
            Body::LotRegister(LotRegister {
                lot: id(&format!("L{i}")),
                site: site_id(SITE),
                tag: TagId::new(format!("B-{:07}", i + 1)).unwrap(),
                mineral: Mineral::Cassiterite,
                mass_g: grams(50_000),
                grade_bp: grade(6500),
                miner: None,
                gps: None,
                packages: Some(Packages(1)),
            }),
        )
    };
    let mid = first + n / 2;
    std::thread::scope(|s| {
        let a = s.spawn(|| (first..mid).map(make).collect::<Vec<_>>());
        let b = s.spawn(|| (mid..first + n).map(make).collect::<Vec<_>>());
        let mut v = a.join().unwrap();
        v.extend(b.join().unwrap());
        v
    })
}

fn body(evs: &[SignedEvent]) -> String {
    let envs: Vec<serde_json::Value> = evs
        .iter()
        .map(|e| serde_json::json!({"event": B64.encode(&e.bytes), "sig": B64.encode(e.signature)}))
        .collect();
    if envs.len() == 1 {
        envs[0].to_string()
    } else {
        serde_json::json!({ "events": envs }).to_string()
    }
}

/// Posts `bodies` from `clients` threads; returns elapsed time.
fn blast(url: &str, bodies: Vec<(String, usize)>, clients: usize) -> Duration {
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            let (bodies, next) = (bodies.clone(), next.clone());
            s.spawn(move || {
                let a = agent();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((b, n)) = bodies.get(i) else { break };
                    let mut r = a
                        .post(&format!("{url}/v1/events"))
                        .header("content-type", "application/json")
                        .send(b.as_str())
                        .unwrap();
                    let status = r.status().as_u16();
                    let text = r.body_mut().read_to_string().unwrap();
                    assert!(status == 200 || status == 201, "{status}: {text}");
                    if *n > 1 {
                        assert!(text.contains(&format!("\"accepted\":{n}")), "{text}");
                    }
                }
            });
        }
    });
    t.elapsed()
}

fn raw_verify_2_cores(evs: &[SignedEvent]) -> f64 {
    let pk = ledger_core::world::named_key("COOP").public();
    let mid = evs.len() / 2;
    let t = Instant::now();
    std::thread::scope(|s| {
        for part in [&evs[..mid], &evs[mid..]] {
            s.spawn(move || {
                for e in part {
                    verify_event(&pk, &e.bytes, &e.signature).unwrap();
                }
            });
        }
    });
    evs.len() as f64 / t.elapsed().as_secs_f64()
}

fn serve_in_process(
    dir: &Path,
    w: &World,
    witness: Option<ledger_core::witness::Witness>,
) -> (
    String,
    tokio::runtime::Runtime,
    tokio::sync::oneshot::Sender<()>,
) {
    let store: Arc<dyn Store> =
        Arc::new(node::store::open_sled(&dir.join(files::INDEX), 64 << 20).unwrap());
    let ledger = node::demo::load_world(dir, w, store).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = match witness {
        Some(wt) => AppState::new(ledger).with_witness(wt),
        None => AppState::new(ledger),
    };
    rt.spawn(async move {
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    (url, rt, tx)
}

/// CPU seconds this process has used (user + system).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        dir_bytes(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// p50 / p99 of 2,000 GETs of each kind of full tile, spread over the tree
/// (a stride prime to the count), one keep-alive client; `GET /healthz`,
/// the cheapest answer the node has, measured in the same run as the floor.
fn tile_latency(a: &ureq::Agent, url: &str, n: u64) {
    use ledger_core::tiles::Tile;
    let time = |path: &str| {
        let t = Instant::now();
        let mut r = a.get(&format!("{url}{path}")).call().unwrap();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 24)
            .read_to_vec()
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(!body.is_empty(), "{path}");
        t.elapsed()
    };
    let mut floor: Vec<Duration> = (0..2000).map(|_| time("/healthz")).collect();
    let (f50, f99) = (percentile(&mut floor, 0.5), percentile(&mut floor, 0.99));
    let size = n;
    for (kind, level) in [
        ("tile/0/N", Some(0u8)),
        ("tile/1/N", Some(1)),
        ("tile/entries/N", None),
    ] {
        let full = size >> (8 * (u32::from(level.unwrap_or(0)) + 1));
        if full == 0 {
            continue;
        }
        let mut v: Vec<Duration> = (0..2000u64)
            .map(|i| {
                let k = (i * 7919) % full;
                let t = match level {
                    Some(l) => Tile::hashes(l, k, 256),
                    None => Tile::entries(k, 256),
                };
                time(&format!("/{}", t.unwrap()))
            })
            .collect();
        println!(
            "| GET /{kind} (full tiles) on {n} entries, 2000 spread: p50 / p99 ms (target p99 < 2; /healthz same run {:.2} / {:.2}) | {:.2} / {:.2} |",
            f50.as_secs_f64() * 1e3,
            f99.as_secs_f64() * 1e3,
            percentile(&mut v, 0.5).as_secs_f64() * 1e3,
            percentile(&mut v, 0.99).as_secs_f64() * 1e3
        );
    }
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let quick = std::env::var_os("MADINI_BENCH_QUICK").is_some();
    let (single_n, batch_n) = if quick {
        (2_000, 10_000)
    } else {
        (20_000, 100_000)
    };
    println!(
        "node benchmark ({} cores)\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("| measurement | figure |");
    println!("| --- | --- |");

    if std::env::var_os("MADINI_BENCH_WITNESS_ONLY").is_some() {
        witness(quick);
        return;
    }
    // 1 and 2: raw verification, then durable ingest over HTTP.
    if std::env::var_os("MADINI_BENCH_BIG_ONLY").is_none() {
        ingest(single_n, batch_n);
    }
    big(quick);
    if std::env::var_os("MADINI_BENCH_INGEST_ONLY").is_none() {
        witness(quick);
    }
}

/// 4: `POST /add-checkpoint` on the embedded store (sled indexes), every
/// 200 after `swap_record`'s synced write: the bodies are made first, each
/// growing its log by one leaf from the size cosigned before.
fn witness(quick: bool) {
    use ledger_core::hash::leaf_hash;
    use ledger_core::merkle::{MemoryTree, prove_consistency, tree_hash};
    use ledger_core::note::{Checkpoint, NoteKey, sign_checkpoint};
    use ledger_core::witness::AddCheckpoint;
    let (n, logs) = (if quick { 200 } else { 2000 }, 8usize);
    let mut list = String::from("logs/v0\n");
    let mut bodies: Vec<Vec<String>> = Vec::new();
    for l in 0..logs {
        let key = ledger_core::world::named_key(&format!("bench log {l}"));
        let origin = format!("bench.example/log{l}");
        let vkey = NoteKey::new(&origin, key.public()).unwrap();
        list.push_str(&format!("vkey {vkey}\nqpd 86400\ncontact bench\n"));
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append(leaf_hash(format!("{l} {i}").as_bytes()));
        }
        let one: Vec<String> = (1..=n as u64)
            .map(|size| {
                let cp = Checkpoint {
                    origin: origin.clone(),
                    size,
                    root: tree_hash(size, &t).unwrap(),
                };
                let old = size - 1;
                let proof = if old == 0 {
                    vec![]
                } else {
                    prove_consistency(old, size, &t).unwrap()
                };
                AddCheckpoint::new(old, proof, sign_checkpoint(&cp, &key).unwrap())
                    .unwrap()
                    .to_string()
            })
            .collect();
        bodies.push(one);
    }
    let w = base();
    let dir = tempdir("witness");
    let wt = node::witness::witness(
        w.origin.as_str(),
        ledger_core::world::named_key("bench witness"),
        list.parse().unwrap(),
    )
    .unwrap();
    let (url, rt, stop) = serve_in_process(&dir, &w, Some(wt));
    let post = |a: &ureq::Agent, b: &str| {
        let mut r = a.post(&format!("{url}/add-checkpoint")).send(b).unwrap();
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap();
        assert_eq!(status, 200, "{text}");
    };
    let a = agent();
    let t0 = Instant::now();
    let mut lat: Vec<Duration> = bodies[0]
        .iter()
        .map(|b| {
            let t = Instant::now();
            post(&a, b);
            t.elapsed()
        })
        .collect();
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    println!(
        "| witness add-checkpoint, one log, one client, {n} requests: requests/s; p50 / p99 ms | {rate:.0}; {:.2} / {:.2} |",
        percentile(&mut lat, 0.5).as_secs_f64() * 1e3,
        percentile(&mut lat, 0.99).as_secs_f64() * 1e3
    );
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for one in &bodies[1..] {
            let post = &post;
            s.spawn(move || {
                let a = agent();
                for b in one {
                    post(&a, b);
                }
            });
        }
    });
    println!(
        "| witness add-checkpoint, {} logs, a client each, {} requests: requests/s | {:.0} |",
        logs - 1,
        (logs - 1) * n,
        ((logs - 1) * n) as f64 / t0.elapsed().as_secs_f64()
    );
    let _ = stop.send(());
    drop(rt);
    let _ = std::fs::remove_dir_all(&dir);
}

fn ingest(single_n: usize, batch_n: usize) {
    let w = base();
    let evs = registrations(&w, 0, single_n + batch_n);
    let raw = raw_verify_2_cores(&evs);
    println!("| raw verify_strict on 2 threads, events/s (the limit) | {raw:.0} |");
    let dir = tempdir("ingest");
    let (url, rt, stop) = serve_in_process(&dir, &w, None);
    let singles: Vec<(String, usize)> = evs[..single_n]
        .iter()
        .map(|e| (body(std::slice::from_ref(e)), 1))
        .collect();
    let c0 = cpu_seconds();
    let t = blast(&url, singles, 32);
    let single_rate = single_n as f64 / t.as_secs_f64();
    println!(
        "| durable ingest, single-event requests, 32 clients, events/s (target >= 5000) | {single_rate:.0} |"
    );
    println!(
        "| (CPU used by clients and node together, per event, us) | {:.0} |",
        (cpu_seconds() - c0) * 1e6 / single_n as f64
    );
    if std::env::var_os("MADINI_BENCH_SINGLE_ONLY").is_some() {
        return;
    }
    let batches: Vec<(String, usize)> = evs[single_n..]
        .chunks(100)
        .map(|c| (body(c), c.len()))
        .collect();
    let c0 = cpu_seconds();
    let t = blast(&url, batches, 8);
    let batch_rate = batch_n as f64 / t.as_secs_f64();
    println!("| durable ingest, batches of 100, 8 clients, events/s | {batch_rate:.0} |");
    println!(
        "| (CPU used by clients and node together, per event, us) | {:.0} |",
        (cpu_seconds() - c0) * 1e6 / batch_n as f64
    );
    println!(
        "| batched ingest / raw 2-core verify (target >= 0.5) | {:.2} |",
        batch_rate / raw
    );
    let _ = stop.send(());
    drop(rt);
    let _ = std::fs::remove_dir_all(&dir);
}

/// 3: a large ledger served by the binary.
fn big(quick: bool) {
    if std::env::var_os("MADINI_BENCH_INGEST_ONLY").is_some() {
        return;
    }
    let entries: usize = std::env::var("MADINI_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 30_000 } else { 1_000_000 });
    let t = Instant::now();
    // About 7.6 entries per lot over a year (measured).
    let mut cfg = scenario::Config::new(7, entries * 100 / 755);
    cfg.days = 365;
    let s = scenario::generate(&cfg);
    let gen_time = t.elapsed();
    let dir = tempdir("big");
    let store: Arc<dyn Store> =
        Arc::new(node::store::open_sled(&dir.join(files::INDEX), 64 << 20).unwrap());
    let t = Instant::now();
    let ledger = node::demo::load_world(&dir, &s.main, store).unwrap();
    let load_time = t.elapsed();
    let n = ledger.checkpoint().size;
    let lots: Vec<String> = s.main.log.state.lots().map(|l| l.id.to_string()).collect();
    let leaf_bytes: u64 = s.main.log.leaves().iter().map(|l| l.len() as u64).sum();
    ledger.shutdown();
    drop(ledger);
    drop(s);
    println!(
        "| large ledger: entries (generated in {:.0} s, loaded in {:.0} s) | {n} |",
        gen_time.as_secs_f64(),
        load_time.as_secs_f64()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .env("MADINI_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line
        .split("at ")
        .last()
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    let a = agent();
    let mut rng = scenario::Rng::new(1);
    // Warm up, then measure.
    for _ in 0..200 {
        let l = rng.pick(&lots);
        a.get(&format!("{url}/v1/lots/{l}/bundle"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
    }
    let mut lat = Vec::new();
    let mut sizes = 0usize;
    for _ in 0..2000 {
        let l = rng.pick(&lots);
        let t = Instant::now();
        let mut r = a.get(&format!("{url}/v1/lots/{l}/bundle")).call().unwrap();
        let b = r.body_mut().read_to_string().unwrap();
        lat.push(t.elapsed());
        assert_eq!(r.status(), 200);
        sizes += b.matches("\"index\"").count();
    }
    let p50 = percentile(&mut lat, 0.5);
    let p99 = percentile(&mut lat, 0.99);
    println!(
        "| GET /v1/lots/{{lot}}/bundle on {n} entries, 2000 random lots (avg {} entries per bundle): p50 / p99 ms (target p99 < 10) | {:.2} / {:.2} |",
        sizes / 2000,
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    let rss_serving = rss_kb(child.id());
    println!(
        "| node resident memory at {n} entries, serving bundles, MB (target < 200) | {:.0} |",
        rss_serving as f64 / 1024.0
    );
    // The public lot page: verdict (the lot verifier on the node's own
    // bundle), provenance timeline, names.
    for _ in 0..100 {
        let l = rng.pick(&lots);
        a.get(&format!("{url}/lots/{l}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
    }
    let mut page = Vec::new();
    for _ in 0..1000 {
        let l = rng.pick(&lots);
        let t = Instant::now();
        let mut r = a.get(&format!("{url}/lots/{l}")).call().unwrap();
        let b = r.body_mut().read_to_string().unwrap();
        page.push(t.elapsed());
        assert_eq!(r.status(), 200);
        assert!(b.contains("id=\"verdict\""));
    }
    let p50 = percentile(&mut page, 0.5);
    let p99 = percentile(&mut page, 0.99);
    println!(
        "| GET /lots/{{lot}} (HTML page with verdict) on {n} entries, 1000 random lots: p50 / p99 ms (target p99 < 20) | {:.2} / {:.2} |",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    // Aggregates computed by the node from every leaf (first request: no cache).
    let t = Instant::now();
    let mut r = a.get(&format!("{url}/v1/reports/flows")).call().unwrap();
    let _ = r
        .body_mut()
        .with_config()
        .limit(1 << 31)
        .read_to_string()
        .unwrap();
    println!(
        "| GET /v1/reports/flows on {n} entries, uncached: s (target < 5) | {:.2} |",
        t.elapsed().as_secs_f64()
    );
    tile_latency(&a, &url, n);
    let rss = rss_kb(child.id());
    println!(
        "| node resident memory at {n} entries, after lot pages and a full report (report cached), MB | {:.0} |",
        rss as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
    let disk = dir_bytes(&dir);
    println!(
        "| disk bytes per entry / raw leaf bytes per entry (target < 2) | {:.0} / {:.0} = {:.2} |",
        disk as f64 / n as f64,
        leaf_bytes as f64 / n as f64,
        disk as f64 / leaf_bytes as f64
    );
    let _ = std::fs::remove_dir_all(&dir);
}
