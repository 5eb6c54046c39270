//! Verifier benchmark: `cargo bench -p ledger-core --bench verify`.
//!
//! One run measures, on this machine:
//! 1. the physical limit: batch signature verification (the same
//!    strict-equivalent batch check the auditor uses) of every event of the
//!    log across 2 threads, and `verify_strict` across 2 threads;
//! 2. a full log-scope audit (archive file in, report out) in a child
//!    process, so its peak memory (VmHWM) is the audit's alone;
//! 3. lot-scope verification of a bundle of about 20 entries.
//!
//! The log comes from the scenario generator (about 7.6 entries per lot)
//! and is cached under `target/bench-data/`. `MADINI_BENCH_EVENTS` sets its
//! size (default 1 000 000).

// The allocator of the `madini` binary, which runs real audits.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ledger_core::batch::{Item, verify_batch};
use ledger_core::bundle::{Bundle, MemIndex, build_bundle};
use ledger_core::crypto::{event_message, verify_raw};
use ledger_core::leaf::Leaf;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::rules::Submission;
use ledger_core::scenario::{Config, Fraud, generate};
use ledger_core::types::Id;
use ledger_core::verify::{ARCHIVE_FORMAT, Auditor, LogArchive, Policy, verify_lot};

fn data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&d).expect("bench data dir");
    d
}

fn vm_hwm_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Builds (or reuses) the archive and a ~20-entry bundle.
fn prepare(events: u64) -> (PathBuf, PathBuf) {
    let archive = data_dir().join(format!("log-{events}.archive"));
    let bundle = data_dir().join(format!("log-{events}.bundle.json"));
    if archive.exists() && bundle.exists() {
        return (archive, bundle);
    }
    let lots = (events as f64 / 7.55) as usize;
    eprintln!(
        "generating a scenario with {lots} lots (once; cached in {})",
        archive.display()
    );
    let t = Instant::now();
    let mut cfg = Config::new(2026, lots);
    cfg.frauds = vec![Fraud::OverCapacity, Fraud::MergeGain, Fraud::UntaxedExport];
    let s = generate(&cfg);
    let w = s.main;
    eprintln!(
        "  {} entries in {:.0} s",
        w.log.size(),
        t.elapsed().as_secs_f64()
    );
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).expect("key");
    let header = LogArchive {
        format: ARCHIVE_FORMAT.into(),
        origin: w.origin.to_string(),
        vkey: key.vkey(),
        checkpoint: w.checkpoint(),
    };
    let mut f = std::io::BufWriter::new(std::fs::File::create(&archive).expect("archive"));
    f.write_all(header.header_line().as_bytes()).expect("write");
    for l in w.log.leaves() {
        f.write_all(&LogArchive::frame(l)).expect("write");
    }
    f.flush().expect("flush");
    // The exported lot whose bundle is closest to 20 entries.
    let index = MemIndex::new(w.log.leaves(), &w.log.state);
    let size = w.log.size();
    let mut best: Option<Bundle> = None;
    for lot in w.log.state.lots().take(400) {
        let b = build_bundle(
            &index,
            &lot.id,
            w.origin.as_str(),
            &header.checkpoint,
            size,
            |i, n| {
                w.log
                    .prove_inclusion(i, n)
                    .map_err(|e| ledger_core::state::StateError(e.to_string()))
            },
        )
        .expect("bundle");
        let d = b.entries.len().abs_diff(20);
        if best
            .as_ref()
            .is_none_or(|x| x.entries.len().abs_diff(20) > d)
        {
            best = Some(b);
        }
    }
    let b = best.expect("a lot");
    std::fs::write(&bundle, serde_json::to_string(&b).expect("json")).expect("bundle");
    (archive, bundle)
}

fn read_archive(path: &Path) -> (LogArchive, Vec<Vec<u8>>) {
    let mut r = BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("open"));
    let mut line = String::new();
    r.read_line(&mut line).expect("header");
    let h = LogArchive::parse_header(&line).expect("header");
    let mut leaves = Vec::new();
    let mut len = [0u8; 4];
    while r.read_exact(&mut len).is_ok() {
        let mut leaf = vec![0u8; u32::from_be_bytes(len) as usize];
        r.read_exact(&mut leaf).expect("leaf");
        leaves.push(leaf);
    }
    (h, leaves)
}

/// Child mode: audit the archive, streaming, and print figures as JSON.
fn child_audit(path: &Path, threads: usize) {
    let t = Instant::now();
    let mut r = BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("open"));
    let mut line = String::new();
    r.read_line(&mut line).expect("header");
    let h = LogArchive::parse_header(&line).expect("header");
    let key = NoteKey::from_vkey(&h.vkey).expect("vkey");
    let cp = open_checkpoint(&h.checkpoint, &key).expect("checkpoint");
    let mut a = Auditor::new(Policy::default(), threads, [42; 32]);
    let mut buf = Vec::with_capacity(8192);
    let mut start = 0u64;
    let mut len = [0u8; 4];
    while r.read_exact(&mut len).is_ok() {
        let mut leaf = vec![0u8; u32::from_be_bytes(len) as usize];
        r.read_exact(&mut leaf).expect("leaf");
        buf.push(leaf);
        if buf.len() == 8192 {
            a.push(start, &buf).expect("push");
            start += buf.len() as u64;
            buf.clear();
        }
    }
    a.push(start, &buf).expect("push");
    let report = a.finish(&cp);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "entries": report.tree_size,
            "seconds": secs,
            "verdict": report.verdict,
            "findings": report.findings.len(),
            "rules": report.findings.iter().map(|f| f.rule.as_str()).collect::<std::collections::BTreeSet<_>>(),
            "vm_hwm_mb": vm_hwm_mb(),
        })
    );
}

fn parallel<T: Sync>(threads: usize, items: &[T], f: impl Fn(&[T]) -> usize + Sync) -> usize {
    let per = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let hs: Vec<_> = items.chunks(per).map(|c| s.spawn(|| f(c))).collect();
        hs.into_iter().map(|h| h.join().expect("thread")).sum()
    })
}

fn main() {
    if let Ok(spec) = std::env::var("MADINI_BENCH_CHILD") {
        let (threads, path) = spec.split_once(':').expect("threads:path");
        child_audit(Path::new(path), threads.parse().expect("threads"));
        return;
    }
    let events: u64 = std::env::var("MADINI_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let threads = 2;
    let (archive, bundle_path) = prepare(events);

    // 1. The physical limit on the same events.
    let (_, leaves) = read_archive(&archive);
    let subs: Vec<(
        ledger_core::crypto::PublicKey,
        Vec<u8>,
        ledger_core::crypto::Signature,
    )> = {
        // Keys come from replaying the log once (untimed).
        let mut log = ledger_core::log::MemLog::new();
        leaves
            .iter()
            .map(|b| {
                let (applied, leaf) = log
                    .replay(b, ledger_core::rules::SigMode::Known(true))
                    .expect("replay");
                (applied.pk, event_message(&leaf.event), leaf.signature)
            })
            .collect()
    };
    let n = subs.len();
    let mut batch_rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let ok = parallel(threads, &subs, |part| {
            part.chunks(8192)
                .map(|c| {
                    let items: Vec<Item<'_>> = c
                        .iter()
                        .map(|(k, m, s)| Item {
                            key: k,
                            message: m,
                            signature: s,
                        })
                        .collect();
                    verify_batch(&items, &[9; 32])
                        .into_iter()
                        .filter(|x| *x)
                        .count()
                })
                .sum()
        });
        assert_eq!(ok, n);
        batch_rates.push(n as f64 / t.elapsed().as_secs_f64());
    }
    batch_rates.sort_by(f64::total_cmp);
    let batch = batch_rates[1];
    let strict_sample = &subs[..n.min(200_000)];
    let t = Instant::now();
    let ok = parallel(threads, strict_sample, |part| {
        part.iter()
            .filter(|(k, m, s)| verify_raw(k, m, s).is_ok())
            .count()
    });
    assert_eq!(ok, strict_sample.len());
    let strict = strict_sample.len() as f64 / t.elapsed().as_secs_f64();
    drop(subs);
    drop(leaves);

    // 2. The audit, in a child process (three runs, median).
    let exe = std::env::current_exe().expect("exe");
    let mut runs = Vec::new();
    for _ in 0..3 {
        let out = std::process::Command::new(&exe)
            .env(
                "MADINI_BENCH_CHILD",
                format!("{threads}:{}", archive.display()),
            )
            .output()
            .expect("child");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("child json");
        runs.push(v);
    }
    runs.sort_by(|a, b| {
        a["seconds"]
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&b["seconds"].as_f64().unwrap_or(0.0))
    });
    let mid = &runs[1];
    let entries = mid["entries"].as_u64().unwrap_or(0);
    let secs = mid["seconds"].as_f64().unwrap_or(1.0);
    let audit_rate = entries as f64 / secs;

    // 3. Lot scope from a bundle.
    let b: Bundle = serde_json::from_str(&std::fs::read_to_string(&bundle_path).expect("bundle"))
        .expect("bundle json");
    let (h, _) = (
        LogArchive::parse_header(&{
            let mut r = BufReader::new(std::fs::File::open(&archive).expect("open"));
            let mut l = String::new();
            r.read_line(&mut l).expect("line");
            l
        })
        .expect("header"),
        (),
    );
    let key = NoteKey::from_vkey(&h.vkey).expect("vkey");
    let policy = Policy::default();
    let mut times: Vec<Duration> = Vec::new();
    for k in 0..300 {
        let t = Instant::now();
        let r = verify_lot(&b, &key, &policy);
        let d = t.elapsed();
        assert_ne!(r.verdict, ledger_core::verify::Verdict::Unverifiable);
        if k >= 20 {
            times.push(d);
        }
    }
    times.sort();
    let p50 = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    let _ = Submission::decode;
    let _ = Leaf::decode;
    let _: Option<Id> = None;

    println!(
        "verifier benchmark ({} entries, {} threads)",
        entries, threads
    );
    println!(
        "  physical limit: batch verify (strict verdicts) {:>9.0} sig/s   verify_strict {:>9.0} sig/s",
        batch, strict
    );
    println!(
        "  audit (archive -> report):        {:>9.0} entries/s = {:.2} of the batch limit; {:.1} s; peak RSS {:.0} MB; verdict {} ({} findings: {})",
        audit_rate,
        audit_rate / batch,
        secs,
        mid["vm_hwm_mb"].as_f64().unwrap_or(0.0),
        mid["verdict"],
        mid["findings"],
        mid["rules"]
    );
    println!(
        "  verify lot from a bundle of {} entries: p50 {:.3} ms, p99 {:.3} ms",
        b.entries.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
}
