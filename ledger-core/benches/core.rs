//! ledger-core benchmark: `cargo bench -p ledger-core --bench core`.
//!
//! Prints one table. Every figure is measured in this run on one core:
//! raw `verify_strict` over the same events is the physical limit that
//! applying a stream of events is compared with (target: at most 1.3x).
//! Set `MADINI_BENCH_QUICK=1` for a short run (no 10^7 tree).

use std::hint::black_box;
use std::time::{Duration, Instant};

use ledger_core::crypto::verify_event;
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::log::MemLog;
use ledger_core::merkle::{MemoryTree, prove_inclusion, tree_hash, verify_inclusion};
use ledger_core::rules::SigMode;
use ledger_core::types::{Mineral, Role};
use ledger_core::world::World;

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| f()).collect();
    v.sort();
    v[v.len() / 2]
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// A stream of valid events: lots registered at two sites, passed through
/// two traders and an exporter, with taxes.
fn stream(lots: usize) -> World {
    let mut w = World::new("bench.madini.example/log", "CD");
    w.record_lag = 0;
    let ok = |r: Result<ledger_core::rules::Applied, ledger_core::rules::Refusal>| {
        r.expect("bench script")
    };
    w.register_actor("INSP", "Inspector", "CD", &[Role::Inspector])
        .map(|_| ())
        .expect("x");
    for c in ["COOP1", "COOP2"] {
        ok(w.register_actor(c, c, "CD", &[Role::Cooperative]));
    }
    for t in ["TR1", "TR2"] {
        ok(w.register_actor(t, t, "CD", &[Role::Trader]));
    }
    ok(w.register_actor("EXP", "EXP", "CD", &[Role::Exporter]));
    let s1 = "CD-1.6790+29.2200-00001";
    let s2 = "CD-1.5000+29.0000-00002";
    let site = w.site_record(s1, "Rubaya", &[Mineral::Cassiterite], 1_000_000, &["COOP1"]);
    ok(w.register_site(site));
    let site = w.site_record(s2, "Masisi", &[Mineral::Cassiterite], 1_000_000, &["COOP2"]);
    ok(w.register_site(site));
    ok(w.allocate_tags(s1, "B1", 7, 1, 999_999));
    ok(w.allocate_tags(s2, "B2", 7, 1, 999_999));
    for i in 0..lots {
        let (coop, site, prefix) = if i % 2 == 0 {
            ("COOP1", s1, "B1")
        } else {
            ("COOP2", s2, "B2")
        };
        let lot = format!("L{i}");
        ok(w.register_lot(
            coop,
            &lot,
            site,
            &format!("{prefix}-{:07}", i + 1),
            Mineral::Cassiterite,
            50_000,
            6500,
        ));
        ok(w.transfer(coop, "TR1", &lot, 50_000, 6500));
        ok(w.transfer("TR1", "TR2", &lot, 50_000, 6500));
        ok(w.pay_tax("TR2", &lot, "royalty", 1_000, "USD"));
    }
    w
}

fn main() {
    let quick = std::env::var_os("MADINI_BENCH_QUICK").is_some();
    let runs = if quick { 3 } else { 5 };
    println!("ledger-core benchmark (one core, medians of {runs} runs)\n");
    println!("| measurement | figure |");
    println!("| --- | --- |");

    // Events: raw verify_strict against applying the same stream.
    let w = stream(if quick { 500 } else { 2500 });
    let leaves: Vec<Vec<u8>> = w.log.leaves().to_vec();
    let events = leaves.len() as u64;
    let decoded: Vec<_> = leaves
        .iter()
        .map(|l| ledger_core::leaf::Leaf::decode(l).expect("leaf"))
        .collect();
    let keys: Vec<_> = {
        let mut log = MemLog::new();
        leaves
            .iter()
            .map(|l| log.replay(l, SigMode::Known(true)).expect("replay").0.pk)
            .collect()
    };
    let raw = median(runs, || {
        let t = Instant::now();
        for (leaf, pk) in decoded.iter().zip(&keys) {
            verify_event(pk, &leaf.event, &leaf.signature).expect("valid");
        }
        t.elapsed()
    });
    let applied = median(runs, || {
        let t = Instant::now();
        let mut log = MemLog::new();
        for l in &leaves {
            log.replay(l, SigMode::Verify).expect("valid");
        }
        black_box(log.root());
        t.elapsed()
    });
    let rules_only = median(runs, || {
        let t = Instant::now();
        let mut log = MemLog::new();
        for l in &leaves {
            log.replay(l, SigMode::Known(true)).expect("valid");
        }
        black_box(log.root());
        t.elapsed()
    });
    let avg_leaf = leaves.iter().map(Vec::len).sum::<usize>() / leaves.len();
    println!("| events in the stream (average leaf {avg_leaf} bytes) | {events} |");
    println!(
        "| raw verify_strict, events/s (the limit) | {:.0} |",
        rate(events, raw)
    );
    println!(
        "| apply (decode, canonical check, verify_strict, rules, leaf hash, Merkle append), events/s | {:.0} |",
        rate(events, applied)
    );
    println!(
        "| apply cost / raw verify cost (target <= 1.3) | {:.3} |",
        applied.as_secs_f64() / raw.as_secs_f64()
    );
    println!(
        "| apply without the signature check, events/s | {:.0} |",
        rate(events, rules_only)
    );

    // Leaf hashing.
    let hashed = median(runs, || {
        let t = Instant::now();
        for _ in 0..20 {
            for l in &leaves {
                black_box(leaf_hash(l));
            }
        }
        t.elapsed()
    });
    println!(
        "| leaves hashed per second ({avg_leaf}-byte leaves) | {:.0} |",
        rate(events * 20, hashed)
    );

    // Merkle proofs at several tree sizes (hashes in memory).
    let sizes: &[u64] = if quick {
        &[1_000, 1_000_000]
    } else {
        &[1_000, 1_000_000, 10_000_000]
    };
    for &n in sizes {
        let t = Instant::now();
        let mut tree = MemoryTree::new();
        for i in 0..n {
            tree.append(leaf_hash(&i.to_be_bytes()));
        }
        let built = t.elapsed();
        let root = tree_hash(n, &tree).expect("root");
        let probes = 20_000u64;
        let idx: Vec<u64> = (0..probes)
            .map(|k| (k.wrapping_mul(2_654_435_761)) % n)
            .collect();
        let mut proofs: Vec<Vec<Hash>> = Vec::with_capacity(idx.len());
        let gen_t = median(runs, || {
            proofs.clear();
            let t = Instant::now();
            for &i in &idx {
                proofs.push(prove_inclusion(i, n, &tree).expect("proof"));
            }
            t.elapsed()
        });
        let ver_t = median(runs, || {
            let t = Instant::now();
            for (&i, p) in idx.iter().zip(&proofs) {
                let leaf = tree.leaf(i).expect("leaf");
                verify_inclusion(&leaf.0, i, n, p, &root.0).expect("verifies");
            }
            t.elapsed()
        });
        println!(
            "| tree of {n} leaves: build {:.2} s; inclusion proofs generated/s | {:.0} |",
            built.as_secs_f64(),
            rate(probes, gen_t)
        );
        println!(
            "| tree of {n} leaves: inclusion proofs verified/s | {:.0} |",
            rate(probes, ver_t)
        );
    }
}
