//! Where the index's disk space goes, by kind of key:
//! `cargo run --release -p node --example diskprof -- LOTS`.
use node::ledger::files;
use node::store::Store;
use std::sync::Arc;
fn dir_bytes(p: &std::path::Path) -> u64 {
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
fn main() {
    let lots: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10000);
    let s = ledger_core::scenario::generate(&ledger_core::scenario::Config::new(7, lots));
    let dir = std::env::temp_dir().join("diskprof");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store: Arc<dyn Store> =
        Arc::new(node::store::open_sled(&dir.join(files::INDEX), 64 << 20).unwrap());
    let l = node::demo::load_world(&dir, &s.main, store).unwrap();
    let n = l.checkpoint().size;
    l.shutdown();
    drop(l);
    let db = sled::Config::new()
        .path(dir.join(files::INDEX))
        .open()
        .unwrap();
    for name in ["state", "merkle", "refs", "lots"] {
        let t = db.open_tree(name).unwrap();
        let (mut k, mut v, mut c) = (0usize, 0usize, 0usize);
        let mut by_prefix = std::collections::BTreeMap::<u8, (usize, usize)>::new();
        for kv in t.iter() {
            let (a, b) = kv.unwrap();
            k += a.len();
            v += b.len();
            c += 1;
            let e = by_prefix.entry(a[0]).or_default();
            e.0 += 1;
            e.1 += a.len() + b.len();
        }
        println!(
            "{name}: {c} keys, {:.0} key bytes/entry, {:.0} value bytes/entry",
            k as f64 / n as f64,
            v as f64 / n as f64
        );
        if name == "state" {
            for (p, (c, b)) in by_prefix {
                println!(
                    "   {}: {c} keys, {:.0} bytes/entry",
                    p as char,
                    b as f64 / n as f64
                );
            }
        }
    }
    println!(
        "sled size_on_disk {:.0} bytes/entry; index dir {:.0}; journal {:.0}; checkpoints {:.0}",
        db.size_on_disk().unwrap() as f64 / n as f64,
        dir_bytes(&dir.join(files::INDEX)) as f64 / n as f64,
        std::fs::metadata(dir.join(files::LEAVES)).unwrap().len() as f64 / n as f64,
        std::fs::metadata(dir.join(files::CHECKPOINTS))
            .unwrap()
            .len() as f64
            / n as f64
    );
}
