//! Sequencer throughput with pre-verified events, on the in-memory and the
//! sled store: `cargo run --release -p node --example seqprof`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ledger_core::event::{Body, LotRegister};
use ledger_core::rules::SigMode;
use ledger_core::types::{Mineral, Packages, Role, TagId};
use ledger_core::world::{World, grade, grams, id, site_id};
use node::ledger::{Item, Ledger, files};
use node::store::{MemStore, Store};
use std::sync::Arc;
use std::time::Instant;
const SITE: &str = "CD-1.6790+29.2200-00001";
fn main() {
    let mut w = World::new("bench.madini.example/ingest", "CD");
    w.register_actor("COOP", "Coop", "CD", &[Role::Cooperative])
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
    let evs: Vec<_> = (0..20000)
        .map(|i| {
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
        })
        .collect();
    for sled in [false, true] {
        let dir = std::env::temp_dir().join(format!("seqprof-{sled}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store: Arc<dyn Store> = if sled {
            Arc::new(node::store::open_sled(&dir.join(files::INDEX), 64 << 20).unwrap())
        } else {
            Arc::new(MemStore::new())
        };
        let l = node::demo::load_world(&dir, &w, store).unwrap();
        let _ = Ledger::checkpoint(&l);
        let t = Instant::now();
        let chunks: Vec<&[ledger_core::log::SignedEvent]> = evs.chunks(100).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(chunk) = chunks.get(i) else { break };
                        let items = chunk
                            .iter()
                            .map(|e| Item {
                                sub: e.submission().unwrap(),
                                sig: SigMode::Known(true),
                                record_time: None,
                            })
                            .collect();
                        l.submit_blocking(items).unwrap();
                    }
                });
            }
        });
        let el = t.elapsed();
        println!(
            "sled={sled}: {:.0} events/s through the sequencer (pre-verified, batches of 1000)",
            20000.0 / el.as_secs_f64()
        );
        l.shutdown();
    }
}
