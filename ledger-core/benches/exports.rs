//! Export benchmark: `cargo bench -p ledger-core --bench exports`.
//!
//! Builds a log of about `MADINI_BENCH_EVENTS` entries (default 1,000,000)
//! with the scenario generator, writes its leaves to a file (length-prefixed,
//! in the system temp directory), then runs each phase in a child process
//! that streams the leaves back from the file, so the peak resident memory
//! (`VmHWM`) it reports is the phase's own and not the generator's:
//!
//! - decode: `EntryReader::read` over every leaf, on one thread (what
//!   decoding costs);
//! - EPCIS: a whole-log `EPCISDocument` (both passes) into a sink that
//!   counts bytes;
//! - reports: tax monitoring, flow aggregates and registry in one pass;
//! - ICGLR: the catalog, then every site, lot, certificate and actor
//!   document rendered to JSON text.
//!
//! The other phases read with `EntryReader::read_batch` on
//! `MADINI_BENCH_THREADS` threads (default 2), decoding only the event types
//! the phase uses.
//!
//! `MADINI_BENCH_FILE=<path>` keeps the leaves file (and reuses it when it
//! exists); `MADINI_BENCH_PHASES=decode,epcis` runs only some phases.
//!
//! Targets (`spec/exports.md` section 6): reports under 5 s and EPCIS under
//! 30 s and 200 MB for 1,000,000 events.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use ledger_core::export::epcis::{self, Exporter, Header, Selection};
use ledger_core::export::icglr::Catalog;
use ledger_core::export::report::{self, Options};
use ledger_core::export::{EntryReader, to_json};
use ledger_core::scenario::{self, Config};
use ledger_core::types::Origin;

/// A sink that only counts what it is given.
struct Count(u64);

impl fmt::Write for Count {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len() as u64;
        Ok(())
    }
}

/// Peak resident memory of this process, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds (user + system, all threads) this process has used, from
/// `/proc/self/stat` (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (tick(11) + tick(12)) / 100.0
}

/// The leaves of the file, read as a stream.
fn leaves(path: &Path) -> impl Iterator<Item = Result<(u64, Vec<u8>), std::io::Error>> {
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).expect("leaves file"));
    let mut i = 0u64;
    std::iter::from_fn(move || {
        let mut len = [0u8; 4];
        match r.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
            Err(e) => return Some(Err(e)),
        }
        let mut leaf = vec![0u8; u32::from_le_bytes(len) as usize];
        if let Err(e) = r.read_exact(&mut leaf) {
            return Some(Err(e));
        }
        i += 1;
        Some(Ok((i - 1, leaf)))
    })
}

/// The leaves in batches, for `EntryReader::read_batch`.
fn batches(path: &Path) -> impl Iterator<Item = Vec<(u64, Vec<u8>)>> {
    let mut it = leaves(path);
    std::iter::from_fn(move || {
        let batch: Vec<(u64, Vec<u8>)> = it.by_ref().take(8192).map(|r| r.expect("read")).collect();
        (!batch.is_empty()).then_some(batch)
    })
}

/// Decoding threads: `MADINI_BENCH_THREADS`, else 2 (the machine's cores).
fn threads() -> usize {
    std::env::var("MADINI_BENCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

fn origin(path: &Path) -> Origin {
    let mut reader = EntryReader::new();
    let (i, l) = leaves(path).next().expect("a leaf").expect("read");
    reader.read(i, &l).expect("genesis").event.log
}

fn phase(name: &str, path: &Path) {
    let t = Instant::now();
    let (what, amount) = match name {
        "decode" => {
            let mut r = EntryReader::new();
            let mut n = 0u64;
            for item in leaves(path) {
                let (i, l) = item.expect("read");
                std::hint::black_box(r.read(i, &l).expect("entry"));
                n += 1;
            }
            ("entries", n)
        }
        "epcis" => {
            let header = Header {
                origin: origin(path),
                created: 1_800_000_000_000,
            };
            let plan = epcis::plan(Selection::All, leaves(path)).expect("plan");
            let mut sink = Count(0);
            let mut reader = EntryReader::new();
            let mut ex = Exporter::new(header, plan);
            ex.begin(&mut sink).expect("sink");
            for batch in batches(path) {
                for e in reader
                    .read_batch(&batch, Exporter::wants, threads())
                    .expect("entry")
                {
                    ex.entry(&e, &mut sink).expect("sink");
                }
            }
            let summary = ex.end(&mut sink).expect("sink");
            println!(
                "#   {} EPCIS events, {:.0} MiB of JSON",
                summary.events,
                sink.0 as f64 / (1 << 20) as f64
            );
            ("bytes", sink.0)
        }
        "reports" => {
            let mut r = EntryReader::new();
            let mut b = report::Builder::new(Options { year: 2026 });
            for batch in batches(path) {
                for e in r
                    .read_batch(&batch, report::Builder::wants, threads())
                    .expect("entry")
                {
                    b.entry(&e).expect("report");
                }
            }
            let folded_only = t.elapsed().as_secs_f64();
            let out = b.finish().expect("report");
            let folded = t.elapsed().as_secs_f64();
            println!(
                "#   entries folded in {folded_only:.2} s, tables built in {:.2} s",
                folded - folded_only
            );
            let json = report::to_json_string(&out).len();
            let csv = report::flows_csv(&out.flows.monthly).len()
                + report::tax_lines_csv(&out.tax).len()
                + report::sites_csv(&out.registry).len();
            println!(
                "#   aggregates computed in {folded:.2} s, then {:.0} MiB of JSON and {:.0} MiB of CSV rendered",
                json as f64 / (1 << 20) as f64,
                csv as f64 / (1 << 20) as f64
            );
            println!(
                "#   {} flow rows, {} tax lines, {} untaxed exports, {} sites",
                out.flows.monthly.len(),
                out.tax.lines.len(),
                out.tax.untaxed_exports.len(),
                out.registry.sites.len()
            );
            ("bytes", (json + csv) as u64)
        }
        "icglr" => {
            let mut r = EntryReader::new();
            let mut c = Catalog::new();
            for batch in batches(path) {
                for e in r
                    .read_batch(&batch, Catalog::wants, threads())
                    .expect("entry")
                {
                    c.entry(&e);
                }
            }
            let mut bytes = 0u64;
            for id in c.site_ids() {
                bytes += to_json(&c.mine_site(id).expect("site")).len() as u64;
            }
            for id in c.lot_ids() {
                bytes += to_json(&c.lot(id).expect("lot")).len() as u64;
            }
            for id in c.cert_ids() {
                bytes += to_json(&c.export_certificate(id).expect("cert")).len() as u64;
            }
            for id in c.actor_ids() {
                bytes += to_json(&c.business_entity(id).expect("actor")).len() as u64;
            }
            ("bytes", bytes)
        }
        other => panic!("unknown phase {other}"),
    };
    println!(
        "RESULT {name} {:.2} {:.1} {what} {amount} {:.2}",
        t.elapsed().as_secs_f64(),
        peak_mib(),
        cpu_seconds()
    );
}

fn generate(events: usize, path: &Path) -> (u64, f64) {
    let t = Instant::now();
    // The generator writes about 7.7 entries per lot over a 365-day year.
    let mut cfg = Config::new(11, (events * 10 / 77).max(50));
    cfg.days = 365;
    let s = scenario::generate(&cfg);
    let mut out = BufWriter::new(File::create(path).expect("leaves file"));
    for l in s.main.log.leaves() {
        out.write_all(&(l.len() as u32).to_le_bytes())
            .expect("write");
        out.write_all(l).expect("write");
    }
    out.flush().expect("flush");
    (s.main.log.size(), t.elapsed().as_secs_f64())
}

fn main() {
    if let (Ok(name), Ok(path)) = (
        std::env::var("MADINI_BENCH_PHASE"),
        std::env::var("MADINI_BENCH_LEAVES"),
    ) {
        phase(&name, Path::new(&path));
        return;
    }
    let events: usize = std::env::var("MADINI_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // MADINI_BENCH_FILE keeps the generated leaves (and reuses them when the
    // file exists), for repeated runs of the phases on one log.
    let kept = std::env::var_os("MADINI_BENCH_FILE").map(PathBuf::from);
    let path = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "madini-bench-exports-{}-{events}.leaves",
            std::process::id()
        ))
    });
    let (n, gen_s) = if path.exists() {
        let n = leaves(&path).count() as u64;
        (n, 0.0)
    } else {
        generate(events, &path)
    };
    let file_mib = std::fs::metadata(&path).map_or(0, |m| m.len()) as f64 / (1 << 20) as f64;
    println!(
        "# exports benchmark: {n} entries (generated in {gen_s:.0} s), {file_mib:.0} MiB of leaves"
    );
    println!("| phase | seconds | CPU seconds | entries/s | peak RSS MiB | output |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let exe = std::env::current_exe().expect("bench binary");
    let phases = std::env::var("MADINI_BENCH_PHASES")
        .unwrap_or_else(|_| "decode,epcis,reports,icglr".to_string());
    for name in phases.split(',') {
        let out = std::process::Command::new(&exe)
            .env("MADINI_BENCH_PHASE", name)
            .env("MADINI_BENCH_LEAVES", &path)
            .output()
            .expect("child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name} failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for l in stdout.lines().filter(|l| l.starts_with('#')) {
            println!("{l}");
        }
        let r: Vec<&str> = stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .expect("result line")
            .split(' ')
            .collect();
        let secs: f64 = r[1].parse().unwrap_or(f64::NAN);
        println!(
            "| {name} | {secs:.2} | {} | {:.0} | {} | {} {} |",
            r[5],
            n as f64 / secs,
            r[2],
            r[4],
            r[3]
        );
    }
    if kept.is_none() {
        let _ = std::fs::remove_file(&path);
    }
}
