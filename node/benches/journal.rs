//! Journal read benchmark: `cargo bench -p node --bench journal`.
//!
//! Reads a journal of 1,000,000 records of 418 bytes (the raw leaf size
//! per entry of the node benchmark's big ledger) in order, as reports do:
//! through `JournalReader::stream`, which checks each record's length,
//! checksum and sequence number, and, as the reference, through a plain
//! buffered reader that only takes the length from each header. The
//! difference is what the checks cost.

use std::io::Read;
use std::time::{Duration, Instant};

use node::journal::{HEADER, Journal, JournalReader, Positions};

const RECORDS: u64 = 1_000_000;
const PAYLOAD: usize = 418;
const RUNS: usize = 3;

fn main() {
    let path = std::env::temp_dir().join(format!("madini-bench-journal-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    {
        let (mut j, _) = Journal::open(&path, |_, _| Ok(())).expect("create journal");
        let payload = vec![7u8; PAYLOAD];
        for g in 0..RECORDS / 1000 {
            let recs: Vec<(u64, &[u8])> = (0..1000)
                .map(|k| (g * 1000 + k, payload.as_slice()))
                .collect();
            j.append(&recs).expect("append");
        }
    }
    let mut ps = Positions::default();
    Journal::open(&path, |p, _| {
        ps.push(p);
        Ok(())
    })
    .expect("scan");
    let reader = JournalReader::open(&path).expect("reader");
    let best = |f: &dyn Fn() -> usize| {
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                assert_eq!(f(), RECORDS as usize * PAYLOAD);
                t.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let checked = best(&|| {
        let mut s = reader.stream(ps.at(0).expect("record 0")).expect("stream");
        (0..RECORDS)
            .map(|_| s.next_payload().expect("record").len())
            .sum()
    });
    let plain = best(&|| {
        let f = std::fs::File::open(&path).expect("open");
        let mut r = std::io::BufReader::with_capacity(1 << 20, f);
        let mut n = 0;
        for _ in 0..RECORDS {
            let mut h = [0u8; HEADER];
            r.read_exact(&mut h).expect("header");
            let len = (u32::from_be_bytes([h[0], h[1], h[2], h[3]]) & 0x7fff_ffff) as usize;
            let mut leaf = vec![0u8; len];
            r.read_exact(&mut leaf).expect("payload");
            n += leaf.len();
        }
        n
    });
    println!("journal read benchmark (best of {RUNS}, file in the page cache)\n");
    println!("| measurement | ms |\n| --- | --- |");
    println!(
        "| {RECORDS} records of {PAYLOAD} bytes through `JournalReader::stream` (length, checksum, sequence checked) | {:.0} |",
        checked.as_secs_f64() * 1e3
    );
    println!(
        "| the same through a buffered reader taking only each length (reference) | {:.0} |",
        plain.as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_file(&path);
}
