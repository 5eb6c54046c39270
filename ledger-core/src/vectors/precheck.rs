//! The pre-signing vectors (`spec/verifier.md` section 7): each case is a
//! real log with one more event appended, audited by the whole-log
//! verifier; the vector keeps what a device held before signing and the
//! findings that name the new entry among the rules a device checks.

use serde_json::{Value, json};

use crate::event::*;
use crate::log::SignedEvent;
use crate::note::{NoteKey, open_checkpoint};
use crate::rules::{Applied, Refusal};
use crate::state::StateRead;
use crate::types::*;
use crate::verify::{Auditor, Policy};
use crate::world::*;

/// The rules a device runs before signing (`spec/verifier.md` section 7).
pub const PRECHECK_RULES: [&str; 13] = [
    "stock-balance",
    "transfer-mass",
    "transfer-grade",
    "split-mass",
    "split-grade",
    "merge-mass",
    "merge-grade",
    "processing-metal",
    "processing-recovery",
    "back-dating",
    "future-dated",
    "grade-impossible",
    "package-mass",
];

const SITE: &str = "CD-1.6300+29.0200-00001";
const ORIGIN: &str = "precheck.madini.example/log";

/// A cooperative at a Green site, two traders, a processor, an exporter.
fn base() -> World {
    let mut w = World::new(ORIGIN, "CD");
    let ok = |r: Result<Applied, Refusal>| {
        r.unwrap_or_else(|e| panic!("precheck base script refused: {e}"))
    };
    for (a, name, role) in [
        ("INSP", "Inspection des mines", Role::Inspector),
        ("COOP", "Coopérative de Rubaya", Role::Cooperative),
        ("T1", "Négociant Kivu", Role::Trader),
        ("T2", "Comptoir Goma", Role::Trader),
        ("P", "Usine de traitement", Role::Processor),
        ("E", "Exportateur", Role::Exporter),
    ] {
        ok(w.register_actor(a, name, "CD", &[role]));
    }
    let rec = w.site_record(SITE, "Rubaya", &[Mineral::Cassiterite], 100, &["COOP"]);
    ok(w.register_site(rec));
    ok(w.allocate_tags(SITE, "CD-RUB", 6, 1, 999));
    ok(w.inspect("INSP", SITE, "I-1", 1));
    w
}

/// Registers lot `L-n` (at the cooperative) and sells it to T1.
fn bought(w: &mut World, n: u64, mass: u64, grade: u16) -> String {
    let l = format!("L-{n}");
    let tag = format!("CD-RUB-{n:06}");
    let done = w
        .register_lot("COOP", &l, SITE, &tag, Mineral::Cassiterite, mass, grade)
        .and_then(|_| w.transfer("COOP", "T1", &l, mass, grade));
    done.unwrap_or_else(|e| panic!("precheck setup: {e}"));
    l
}

/// One case: its setup (returning the lots the device holds) and the
/// event it signs, as `(signer, body)` built from the world's state.
struct Case {
    name: &'static str,
    description: &'static str,
    setup: fn(&mut World) -> Vec<String>,
    event: fn(&World) -> (&'static str, Body),
    /// Claimed time relative to the world's clock, ms (back- or future-dating).
    claim_shift: i64,
    /// Delay before the node records the event, ms.
    record_lag: u64,
}

fn offer(w: &World, lot: &str, mass: u64, grade_bp: u16) -> Body {
    Body::LotOffer(LotOffer {
        lot: id(lot),
        prev: w.head(lot),
        to: id("T2"),
        mass_g: grams(mass),
        grade_bp: grade(grade_bp),
        price: None,
    })
}

fn accept(w: &World, lot: &str, mass: u64, grade_bp: u16) -> Body {
    Body::LotAccept(LotAccept {
        lot: id(lot),
        prev: w.head(lot),
        mass_g: grams(mass),
        grade_bp: grade(grade_bp),
    })
}

fn split(w: &World, lot: &str, children: &[(u64, u16)]) -> Body {
    Body::LotSplit(LotSplit {
        lot: id(lot),
        prev: w.head(lot),
        children: children
            .iter()
            .enumerate()
            .map(|(k, (m, g))| SplitChild {
                lot: id(&format!("{lot}-{}", k + 1)),
                mass_g: grams(*m),
                grade_bp: grade(*g),
            })
            .collect(),
    })
}

fn inputs(w: &World, lots: &[&str]) -> Vec<Input> {
    lots.iter()
        .map(|l| Input {
            lot: id(l),
            prev: w.head(l),
        })
        .collect()
}

fn merge(w: &World, lots: &[&str], mass: u64, grade_bp: u16) -> Body {
    Body::LotMerge(LotMerge {
        inputs: inputs(w, lots),
        lot: id("M-1"),
        mass_g: grams(mass),
        grade_bp: grade(grade_bp),
    })
}

fn process(w: &World, lots: &[&str], mass: u64, grade_bp: u16) -> Body {
    Body::LotProcess(LotProcess {
        inputs: inputs(w, lots),
        lot: id("C-1"),
        mass_g: grams(mass),
        grade_bp: grade(grade_bp),
        method: text("gravity and magnetic separation"),
    })
}

/// T1 holds L-1: 100 kg at 65.00 %.
fn one(w: &mut World) -> Vec<String> {
    vec![bought(w, 1, 100_000, 6500)]
}

/// L-1 offered by T1 to T2 at 100 kg, 65.00 %.
fn offered(w: &mut World) -> Vec<String> {
    let l = bought(w, 1, 100_000, 6500);
    w.offer("T1", "T2", &l, 100_000, 6500)
        .unwrap_or_else(|e| panic!("precheck setup: {e}"));
    vec![l]
}

/// T1 holds L-1 (100 kg, 65.00 %) and L-2 (50 kg, 59.00 %).
fn two(w: &mut World) -> Vec<String> {
    vec![bought(w, 1, 100_000, 6500), bought(w, 2, 50_000, 5900)]
}

/// P holds L-1 (100 kg, 65.00 %) and L-2 (50 kg, 59.00 %).
fn two_at_processor(w: &mut World) -> Vec<String> {
    let lots = two(w);
    for l in &lots {
        let (m, g) = match w.log.state.lot(l) {
            Ok(Some(s)) => (s.mass.0, s.grade.0),
            _ => panic!("no lot {l}"),
        };
        w.transfer("T1", "P", l, m, g)
            .unwrap_or_else(|e| panic!("precheck setup: {e}"));
    }
    lots
}

/// E holds L-1 (100 kg, 65.00 %), taxed, under certificate CERT-1.
fn certified(w: &mut World) -> Vec<String> {
    let l = bought(w, 1, 100_000, 6500);
    let done = w
        .transfer("T1", "E", &l, 100_000, 6500)
        .and_then(|_| w.pay_tax("E", &l, "export tax", 120_000, "USD"))
        .and_then(|_| {
            w.issue_cert(
                "CERT-1",
                "E",
                &[&l],
                Mineral::Cassiterite,
                110_000,
                &["CD"],
                "CN",
            )
        });
    done.unwrap_or_else(|e| panic!("precheck setup: {e}"));
    vec![l]
}

fn export(w: &World, lot: &str, mass: u64) -> Body {
    Body::LotExport(LotExport {
        lot: id(lot),
        prev: w.head(lot),
        cert: id("CERT-1"),
        mass_g: grams(mass),
        destination: country("CN"),
    })
}

const DAY_MS: i64 = 86_400_000;

/// Nothing held: a registration names no existing lot.
fn none(_: &mut World) -> Vec<String> {
    Vec::new()
}

/// The cooperative registers `L-9` of cassiterite.
fn register(mass: u64, grade_bp: u16, packages: Option<u16>) -> (&'static str, Body) {
    (
        "COOP",
        Body::LotRegister(LotRegister {
            lot: id("L-9"),
            site: site_id(SITE),
            tag: TagId::new("CD-RUB-000009").unwrap_or_else(|e| panic!("{e}")),
            mineral: Mineral::Cassiterite,
            mass_g: grams(mass),
            grade_bp: grade(grade_bp),
            miner: None,
            gps: None,
            packages: packages.map(Packages),
        }),
    )
}

fn cases() -> Vec<Case> {
    let c = |name, description, setup, event: fn(&World) -> (&'static str, Body)| Case {
        name,
        description,
        setup,
        event,
        claim_shift: 0,
        record_lag: 2_000,
    };
    vec![
        c(
            "register-clean",
            "a 50 kg bag of cassiterite at 65.00 %",
            none,
            |_| register(50_000, 6500, Some(1)),
        ),
        c(
            "register-grade-at-the-limit",
            "cassiterite at 79.77 %: pure SnO2 (78.77 % tin) plus one grade point of assay error",
            none,
            |_| register(50_000, 7977, None),
        ),
        c(
            "register-grade-impossible",
            "cassiterite at 79.78 %: more tin than pure cassiterite holds",
            none,
            |_| register(50_000, 7978, None),
        ),
        c(
            "register-heavy-package",
            "one package of 100.001 kg",
            none,
            |_| register(100_001, 6500, Some(1)),
        ),
        c(
            "register-two-packages",
            "150 kg in two packages of 75 kg",
            none,
            |_| register(150_000, 6500, Some(2)),
        ),
        c(
            "split-grade-impossible",
            "a child stated at 85.00 % tin",
            one,
            |w| ("T1", split(w, "L-1", &[(60_000, 6500), (40_000, 8500)])),
        ),
        c("offer-clean", "an offer of what the lot holds", one, |w| {
            ("T1", offer(w, "L-1", 100_000, 6500))
        }),
        c(
            "offer-more-than-held",
            "an offer 2 % heavier than the lot",
            one,
            |w| ("T1", offer(w, "L-1", 102_000, 6500)),
        ),
        c(
            "offer-within-stock-tolerance",
            "an offer 1 % heavier: within the stock tolerance",
            one,
            |w| ("T1", offer(w, "L-1", 101_000, 6500)),
        ),
        c(
            "offer-remainder",
            "an offer of 90 kg of a 100 kg lot",
            one,
            |w| ("T1", offer(w, "L-1", 90_000, 6500)),
        ),
        c(
            "offer-grade",
            "an offer at 68.00 % of a lot at 65.00 %",
            one,
            |w| ("T1", offer(w, "L-1", 100_000, 6800)),
        ),
        c("accept-clean", "accepting what was offered", offered, |w| {
            ("T2", accept(w, "L-1", 100_000, 6500))
        }),
        c(
            "accept-gain",
            "accepting 105 kg of a lot offered as 100 kg",
            offered,
            |w| ("T2", accept(w, "L-1", 105_000, 6500)),
        ),
        c(
            "accept-within-tolerance",
            "accepting 100.5 kg of 100 kg offered",
            offered,
            |w| ("T2", accept(w, "L-1", 100_500, 6500)),
        ),
        c(
            "accept-loss",
            "accepting 97 kg of 100 kg offered",
            offered,
            |w| ("T2", accept(w, "L-1", 97_000, 6500)),
        ),
        c(
            "accept-grade",
            "accepting at 62.00 % a lot offered at 65.00 %",
            offered,
            |w| ("T2", accept(w, "L-1", 100_000, 6200)),
        ),
        c(
            "split-clean",
            "a split into 60 and 40 kg at the parent's grade",
            one,
            |w| ("T1", split(w, "L-1", &[(60_000, 6500), (40_000, 6500)])),
        ),
        c(
            "split-mass",
            "children weighing 110 kg from a 100 kg parent",
            one,
            |w| ("T1", split(w, "L-1", &[(60_000, 6500), (50_000, 6500)])),
        ),
        c(
            "split-grade",
            "one child 3 grade points above the parent",
            one,
            |w| ("T1", split(w, "L-1", &[(60_000, 6500), (40_000, 6800)])),
        ),
        c(
            "merge-clean",
            "a merge at the inputs' total and weighted grade",
            two,
            |w| ("T1", merge(w, &["L-1", "L-2"], 150_000, 6300)),
        ),
        c("merge-gain", "a merge of 150 kg giving 160 kg", two, |w| {
            ("T1", merge(w, &["L-1", "L-2"], 160_000, 6300))
        }),
        c("merge-loss", "a merge of 150 kg giving 140 kg", two, |w| {
            ("T1", merge(w, &["L-1", "L-2"], 140_000, 6300))
        }),
        c(
            "merge-grade",
            "a merge at 67.00 % of inputs averaging 63.00 %",
            two,
            |w| ("T1", merge(w, &["L-1", "L-2"], 150_000, 6700)),
        ),
        c(
            "process-clean",
            "concentrate holding 80 % of the metal in",
            two_at_processor,
            |w| ("P", process(w, &["L-1", "L-2"], 130_000, 5816)),
        ),
        c(
            "process-metal",
            "concentrate holding more metal than went in",
            two_at_processor,
            |w| ("P", process(w, &["L-1", "L-2"], 140_000, 7200)),
        ),
        c(
            "process-recovery",
            "concentrate holding 20 % of the metal in",
            two_at_processor,
            |w| ("P", process(w, &["L-1", "L-2"], 30_000, 6300)),
        ),
        c(
            "export-clean",
            "an export of what the lot holds",
            certified,
            |w| ("E", export(w, "L-1", 100_000)),
        ),
        c(
            "export-more-than-held",
            "an export 5 % heavier than the lot",
            certified,
            |w| ("E", export(w, "L-1", 105_000)),
        ),
        Case {
            record_lag: 40 * DAY_MS as u64,
            ..c(
                "back-dated",
                "an offer recorded 40 days after its claimed time",
                one,
                |w| ("T1", offer(w, "L-1", 100_000, 6500)),
            )
        },
        Case {
            claim_shift: 3 * 3_600_000,
            ..c(
                "future-dated",
                "an offer claiming a time 3 hours ahead of the record",
                one,
                |w| ("T1", offer(w, "L-1", 100_000, 6500)),
            )
        },
    ]
}

/// What the device holds about a lot: its figures, and the pending offer's.
fn lot_json(w: &World, lot: &str) -> Value {
    let l = match w.log.state.lot(lot) {
        Ok(Some(l)) => l,
        _ => panic!("no lot {lot}"),
    };
    let offer = w
        .accepted
        .iter()
        .find(|e| e.hash() == l.head)
        .and_then(|e| serde_json::from_slice::<Value>(&e.bytes).ok())
        .filter(|v| v["type"] == "lot.offer")
        .map_or(
            Value::Null,
            |v| json!({"mass_g": v["mass_g"], "grade_bp": v["grade_bp"]}),
        );
    json!({
        "id": lot,
        "mineral": l.mineral.code(),
        "mass_g": l.mass.0,
        "grade_bp": l.grade.0,
        "offer": offer,
    })
}

fn run(case: &Case) -> Value {
    let mut w = base();
    let lots = (case.setup)(&mut w);
    let held: Vec<Value> = lots.iter().map(|l| lot_json(&w, l)).collect();
    let (signer, body) = (case.event)(&w);
    let record_lag = w.record_lag;
    let clock = w.now;
    w.now = clock.saturating_add_signed(case.claim_shift);
    let ev: SignedEvent = w.sign(signer, body);
    w.now = clock;
    w.record_lag = case.record_lag;
    let index = w.log.size();
    let recorded = w.now + w.record_lag;
    w.submit_signed(&ev)
        .unwrap_or_else(|e| panic!("precheck case {} refused: {e}", case.name));
    w.record_lag = record_lag;

    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap_or_else(|e| panic!("{e}"));
    let cp = open_checkpoint(&w.checkpoint(), &key).unwrap_or_else(|e| panic!("{e}"));
    let mut a = Auditor::new(Policy::default(), 1, [7; 32]);
    a.push(0, w.log.leaves()).unwrap_or_else(|e| panic!("{e}"));
    let report = a.finish(&cp);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.events.iter().any(|e| e.index == index))
        .filter(|f| PRECHECK_RULES.contains(&f.rule.as_str()))
        // An actor's running stock (`stock_g`) is the log-scope half of
        // `stock-balance`, which a device cannot compute.
        .filter(|f| !f.figures.contains_key("stock_g"))
        .map(|f| json!({"rule": f.rule.as_str(), "severity": f.severity, "figures": f.figures}))
        .collect();
    let event: Value =
        serde_json::from_slice(&ev.bytes).unwrap_or_else(|e| panic!("event bytes: {e}"));
    json!({
        "description": case.description,
        "policy": Policy::default(),
        "now": recorded,
        "lots": held,
        "event": event,
        "findings": findings,
    })
}

/// Every pre-signing vector: `(path relative to spec/vectors, contents)`.
pub fn precheck_vectors(out: &mut Vec<(String, String)>) {
    for case in cases() {
        let v = run(&case);
        out.push((format!("precheck/{}.json", case.name), super::pretty(&v)));
    }
}
