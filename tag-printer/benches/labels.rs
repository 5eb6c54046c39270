//! Benchmark: an A4 PDF sheet of 1,000 labels, 24 to a page (target: under
//! 2 s on the project's 2-core machines), and the steps before it (signing
//! the claims, encoding the QR symbols). Prints the median of several runs
//! and the size of the PDF.
//!
//! Run with `cargo bench -p tag-printer`; `MADINI_BENCH_REPS` sets the
//! number of repetitions (default 5).

use std::hint::black_box;
use std::time::{Duration, Instant};

use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId, Text};
use ledger_core::world::named_key;
use tag_printer::{BaseUrl, Claim, Label, Layout, QrMatrix, render_pdf};

const LABELS: usize = 1_000;

/// Times `f` `reps` times and returns the median and the last result.
fn median<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let start = Instant::now();
        let out = black_box(f());
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    let out = last.unwrap_or_else(|| panic!("at least one repetition"));
    (times[times.len() / 2], out)
}

/// Signs `n` realistic claims and turns them into labels.
fn labels(n: usize) -> Vec<Label> {
    let key = named_key("COOP-1");
    let base = BaseUrl::new("https://minerals-registry.gov.cd").unwrap_or_else(|e| panic!("{e}"));
    let site = SiteId::new("CD--1.9403+29.8739-00001").unwrap_or_else(|e| panic!("{e}"));
    let site_name = Text::new("Rubaya, puits Bibatama").unwrap_or_else(|e| panic!("{e}"));
    let coop = Text::new("Coopérative des Exploitants Miniers de Masisi")
        .unwrap_or_else(|e| panic!("{e}"));
    (0..n)
        .map(|i| {
            let claim = Claim {
                tag: TagId::new(format!("CD26-{:06}", 100_000 + i))
                    .unwrap_or_else(|e| panic!("{e}")),
                lot: Id::new(format!("LOT-CD-2026-{i:06}")).unwrap_or_else(|e| panic!("{e}")),
                site: site.clone(),
                mineral: Mineral::ALL[i % 4],
                mass: Grams(20_000 + (i as u64 * 137) % 30_000),
                grade: Grade(5_000 + (i as u16 * 7) % 2_000),
                day: 20_458 + (i / 100) as u16,
                key_id: key.public().key_id(),
            };
            let signed = claim.sign(&key).unwrap_or_else(|e| panic!("{e}"));
            Label::new(&base, &signed, site_name.clone(), coop.clone())
        })
        .collect()
}

fn main() {
    let reps: usize = std::env::var("MADINI_BENCH_REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);

    let (t_sign, labels) = median(reps, || labels(LABELS));
    let (t_qr, versions) = median(reps, || {
        labels
            .iter()
            .map(|l| QrMatrix::encode(&l.payload).map(|q| q.version()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let (t_pdf, pdf) = median(reps, || {
        render_pdf(&labels, Layout::A4x24).unwrap_or_else(|e| panic!("{e}"))
    });
    let (t_pdf8, pdf8) = median(reps, || {
        render_pdf(&labels, Layout::A4x8).unwrap_or_else(|e| panic!("{e}"))
    });

    let max_version = versions.iter().max().copied().unwrap_or(0);
    let payload_len = labels.first().map_or(0, |l| l.payload.len());
    println!("tag-printer bench: {LABELS} labels, median of {reps} runs");
    println!(
        "  sign claims + payloads       {:>9.1} ms  ({:.1} us/label)",
        t_sign.as_secs_f64() * 1e3,
        t_sign.as_secs_f64() * 1e6 / LABELS as f64
    );
    println!(
        "  QR symbols only              {:>9.1} ms  ({:.1} us/label, payload {payload_len} bytes, max version {max_version})",
        t_qr.as_secs_f64() * 1e3,
        t_qr.as_secs_f64() * 1e6 / LABELS as f64
    );
    println!(
        "  PDF A4x24 ({} pages)         {:>9.1} ms  {} bytes ({:.0} bytes/label)  target < 2000 ms",
        LABELS.div_ceil(Layout::A4x24.per_page()),
        t_pdf.as_secs_f64() * 1e3,
        pdf.len(),
        pdf.len() as f64 / LABELS as f64
    );
    println!(
        "  PDF A4x8 ({} pages)         {:>9.1} ms  {} bytes ({:.0} bytes/label)",
        LABELS.div_ceil(Layout::A4x8.per_page()),
        t_pdf8.as_secs_f64() * 1e3,
        pdf8.len(),
        pdf8.len() as f64 / LABELS as f64
    );
}
