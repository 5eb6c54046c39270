//! Each verifier rule on a small hand-built ledger: the case that breaks it
//! and the case that does not; double spends and rule-breaking logs; and
//! systematic tampering, which must always make the data unverifiable.

use std::collections::BTreeMap;

use ledger_core::bundle::{Bundle, MemIndex, build_bundle};
use ledger_core::event::*;
use ledger_core::hash::leaf_hash;
use ledger_core::leaf::Leaf;
use ledger_core::log::SignedEvent;
use ledger_core::merkle::MemoryTree;
use ledger_core::note::{Checkpoint, NoteKey, open_checkpoint, sign_checkpoint};
use ledger_core::types::*;
use ledger_core::verify::{Auditor, Finding, Policy, Report, Severity, Verdict, verify_lot};
use ledger_core::world::{DAY, MINUTE, World, country, id, long, site_id, text};

const SITE: &str = "RW-1.9641+30.0619-00001";

/// A ledger with an inspector, a cooperative at a Green site, two traders,
/// a processor and an exporter.
fn base() -> World {
    let mut w = World::new("test.example/log", "RW");
    let ok = |r: Result<_, _>| r.expect("setup");
    ok(w.register_actor("INSP", "Inspection", "RW", &[Role::Inspector]));
    ok(w.register_actor("COOP", "Coop", "RW", &[Role::Cooperative]));
    ok(w.register_actor("T1", "Trader 1", "RW", &[Role::Trader]));
    ok(w.register_actor("T2", "Trader 2", "RW", &[Role::Trader]));
    ok(w.register_actor("P", "Processor", "RW", &[Role::Processor]));
    ok(w.register_actor("E", "Exporter", "RW", &[Role::Exporter]));
    let rec = w.site_record(SITE, "Rutongo", &[Mineral::Cassiterite], 100, &["COOP"]);
    ok(w.register_site(rec));
    ok(w.allocate_tags(SITE, "T", 6, 1, 999));
    ok(w.inspect("INSP", SITE, "I-1", 1));
    w
}

fn lot(w: &mut World, n: u64, mass: u64, grade: u16) -> String {
    let l = format!("L-{n}");
    w.register_lot(
        "COOP",
        &l,
        SITE,
        &format!("T-{n:06}"),
        Mineral::Cassiterite,
        mass,
        grade,
    )
    .expect("register");
    l
}

fn audit_leaves(w: &World, leaves: &[Vec<u8>], note: &str) -> Report {
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    let cp = open_checkpoint(note, &key).unwrap();
    let mut a = Auditor::new(Policy::default(), 2, [3; 32]);
    for (k, c) in leaves.chunks(7).enumerate() {
        a.push((k * 7) as u64, c).unwrap();
    }
    let r = a.finish(&cp);
    speaks_every_language(&r);
    r
}

/// Every finding's message is a sentence in every language of the
/// catalogs: formatted (no message id, no placeholder left unfilled) and
/// not English under another name (`spec/verifier.md` section 3).
fn speaks_every_language(r: &Report) {
    use ledger_core::i18n::Lang;
    for f in &r.findings {
        for l in Lang::ALL {
            let m = f.message.get(l);
            assert!(
                !m.is_empty() && !m.starts_with("finding-") && !m.contains("{$"),
                "{} in {l}: {m:?}",
                f.rule
            );
        }
        // An error's own text (`finding-integrity-error`) is the one
        // message that reads the same in all; otherwise each language has
        // its own sentence.
        let m = &f.message;
        if !(m.en == m.fr && m.fr == m.sw) {
            assert!(
                m.en != m.fr && m.en != m.sw && m.fr != m.sw,
                "{}: {m:?}",
                f.rule
            );
        }
    }
}

fn audit(w: &World) -> Report {
    audit_leaves(w, w.log.leaves(), &w.checkpoint())
}

fn has(r: &Report, rule: &str, sev: Severity) -> bool {
    r.findings
        .iter()
        .any(|f| f.rule == rule && f.severity == sev)
}

fn check(name: &str, build: impl Fn(&mut World), rule: &str, sev: Option<Severity>) {
    let mut w = base();
    build(&mut w);
    let r = audit(&w);
    let all: Vec<String> = r
        .findings
        .iter()
        .map(|f| format!("{} {:?}: {}", f.rule, f.severity, f.message.en))
        .collect();
    match sev {
        Some(s) => assert!(
            has(&r, rule, s),
            "{name}: expected {rule} {s:?}, got {all:#?}"
        ),
        None => assert!(
            !r.findings.iter().any(|f| f.rule == rule),
            "{name}: unexpected {rule}: {all:#?}"
        ),
    }
    assert_ne!(r.verdict, Verdict::Unverifiable, "{name}: {all:#?}");
}

#[test]
fn transfer_rules() {
    use Severity::*;
    check(
        "clean transfer",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.transfer("COOP", "T1", &l, 50_000, 6000).unwrap();
        },
        "transfer-mass",
        None,
    );
    check(
        "within 1 %",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
            w.accept("T1", &l, 49_600, 6100).unwrap();
        },
        "transfer-mass",
        None,
    );
    check(
        "mass appears",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
            w.accept("T1", &l, 51_000, 6000).unwrap();
        },
        "transfer-mass",
        Some(Error),
    );
    check(
        "mass lost",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
            w.accept("T1", &l, 45_000, 6000).unwrap();
        },
        "transfer-mass",
        Some(Warning),
    );
    check(
        "grade changed at accept",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
            w.accept("T1", &l, 50_000, 6500).unwrap();
        },
        "transfer-grade",
        Some(Error),
    );
    check(
        "grade changed at offer",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 50_000, 6300).unwrap();
        },
        "transfer-grade",
        Some(Error),
    );
    check(
        "hands over more than held",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 60_000, 6000).unwrap();
        },
        "stock-balance",
        Some(Error),
    );
    check(
        "hands over less than held",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.offer("COOP", "T1", &l, 40_000, 6000).unwrap();
        },
        "transfer-mass",
        Some(Warning),
    );
}

#[test]
fn split_merge_and_processing_rules() {
    use Severity::*;
    let to_p = |w: &mut World, l: &str, m: u64, g: u16| w.transfer("COOP", "P", l, m, g).unwrap();
    check(
        "clean split",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.split("COOP", &l, &[("a", 25_000, 6000), ("b", 25_000, 6000)])
                .unwrap();
        },
        "split-mass",
        None,
    );
    check(
        "split adds mass",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.split("COOP", &l, &[("a", 30_000, 6000), ("b", 25_000, 6000)])
                .unwrap();
        },
        "split-mass",
        Some(Error),
    );
    check(
        "split changes grade",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.split("COOP", &l, &[("a", 25_000, 7000), ("b", 25_000, 6000)])
                .unwrap();
        },
        "split-grade",
        Some(Error),
    );
    check(
        "clean merge",
        |w| {
            let a = lot(w, 1, 40_000, 6000);
            let b = lot(w, 2, 60_000, 5000);
            w.merge("COOP", &[&a, &b], "M", 100_000, 5400).unwrap();
        },
        "merge-grade",
        None,
    );
    check(
        "merge grade off",
        |w| {
            let a = lot(w, 1, 40_000, 6000);
            let b = lot(w, 2, 60_000, 5000);
            w.merge("COOP", &[&a, &b], "M", 100_000, 6000).unwrap();
        },
        "merge-grade",
        Some(Error),
    );
    check(
        "merge gains mass",
        |w| {
            let a = lot(w, 1, 40_000, 6000);
            let b = lot(w, 2, 60_000, 5000);
            w.merge("COOP", &[&a, &b], "M", 110_000, 5400).unwrap();
        },
        "merge-mass",
        Some(Error),
    );
    check(
        "clean processing",
        |w| {
            let a = lot(w, 1, 100_000, 3000);
            to_p(w, &a, 100_000, 3000);
            w.process("P", &[&a], "C", 40_000, 6000).unwrap();
        },
        "processing-metal",
        None,
    );
    check(
        "metal from nothing",
        |w| {
            let a = lot(w, 1, 100_000, 3000);
            to_p(w, &a, 100_000, 3000);
            w.process("P", &[&a], "C", 60_000, 6000).unwrap();
        },
        "processing-metal",
        Some(Error),
    );
    check(
        "implausible recovery",
        |w| {
            let a = lot(w, 1, 100_000, 3000);
            to_p(w, &a, 100_000, 3000);
            w.process("P", &[&a], "C", 10_000, 6000).unwrap();
        },
        "processing-recovery",
        Some(Warning),
    );
}

#[test]
fn site_status_and_capacity_rules() {
    use Severity::*;
    check(
        "Green site",
        |w| {
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        None,
    );
    check(
        "Red site",
        |w| {
            w.inspect("INSP", SITE, "I-2", 3).unwrap();
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        Some(Error),
    );
    check(
        "Yellow within grace",
        |w| {
            w.inspect("INSP", SITE, "I-2", 2).unwrap();
            w.now += 100 * DAY;
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        None,
    );
    check(
        "Yellow past grace",
        |w| {
            w.inspect("INSP", SITE, "I-2", 2).unwrap();
            w.now += 200 * DAY;
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        Some(Error),
    );
    check(
        "Green lapsed to Blue",
        |w| {
            w.now += 400 * DAY;
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        Some(Warning),
    );
    check(
        "Green lapsed to Red",
        |w| {
            w.now += 5 * 365 * DAY;
            lot(w, 1, 50_000, 6000);
        },
        "site-status",
        Some(Error),
    );
    check(
        "within capacity",
        |w| {
            for n in 1..=4 {
                lot(w, n, 20_000, 6000);
            }
        },
        "site-capacity",
        None,
    );
    check(
        "over capacity",
        |w| {
            for n in 1..=8 {
                lot(w, n, 20_000, 6000);
            }
        },
        "site-capacity",
        Some(Error),
    );
    check(
        "capacity window slides",
        |w| {
            for n in 1..=8 {
                lot(w, n, 20_000, 6000);
                w.now += 10 * DAY;
            }
        },
        "site-capacity",
        None,
    );
}

#[test]
fn time_export_tax_and_incident_rules() {
    use Severity::*;
    check(
        "out of order",
        |w| {
            let l = lot(w, 1, 50_000, 6000);
            w.now -= 3 * DAY;
            w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
        },
        "time-order",
        Some(Warning),
    );
    check(
        "back-dated",
        |w| {
            w.now -= 40 * DAY;
            w.record_lag = 40 * DAY;
            lot(w, 1, 50_000, 6000);
        },
        "back-dating",
        Some(Error),
    );
    let exported = |w: &mut World, cert_mass: u64, origins: &[&str], taxed: bool, wait: u64| {
        let l = lot(w, 1, 50_000, 6000);
        if taxed {
            w.pay_tax("COOP", &l, "royalty", 1200, "USD").unwrap();
        }
        w.transfer("COOP", "E", &l, 50_000, 6000).unwrap();
        w.issue_cert(
            "C-1",
            "E",
            &[&l],
            Mineral::Cassiterite,
            cert_mass,
            origins,
            "BE",
        )
        .unwrap();
        w.now += wait;
        w.export("E", &l, "C-1", 50_000, "BE").unwrap();
    };
    check(
        "clean export",
        |w| exported(w, 50_000, &["RW"], true, DAY),
        "export-origin",
        None,
    );
    check(
        "clean export taxed",
        |w| exported(w, 50_000, &["RW"], true, DAY),
        "untaxed-export",
        None,
    );
    check(
        "untaxed",
        |w| exported(w, 50_000, &["RW"], false, DAY),
        "untaxed-export",
        Some(Error),
    );
    check(
        "origin omitted",
        |w| exported(w, 50_000, &["CD"], true, DAY),
        "export-origin",
        Some(Error),
    );
    check(
        "certified more than held",
        |w| exported(w, 70_000, &["RW"], true, DAY),
        "cert-mass",
        Some(Error),
    );
    check(
        "expired certificate",
        |w| exported(w, 50_000, &["RW"], true, 70 * DAY),
        "export-expired",
        Some(Error),
    );
    check(
        "exported more than certified",
        |w| exported(w, 40_000, &["RW"], true, DAY),
        "export-mass",
        Some(Error),
    );
    // An open incident puts the lot and everything made from it under review.
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    let report = IncidentReport {
        subjects: Subjects {
            lots: Some(vec![id(&l)]),
            sites: None,
            actors: None,
        },
        category: Category::TagFraud,
        summary: long("tag seen on two bags"),
        evidence_sha256: None,
        anonymous_key: None,
        sealed: None,
    };
    w.submit("T1", Body::IncidentReport(report)).unwrap();
    w.split(
        "COOP",
        &l,
        &[("L-1a", 25_000, 6000), ("L-1b", 25_000, 6000)],
    )
    .unwrap();
    let r = audit(&w);
    assert!(has(&r, "incident-open", Warning), "{:?}", r.findings);
    assert_eq!(r.under_review, vec!["L-1", "L-1a", "L-1b"]);
    assert_eq!(r.verdict, Verdict::Verified);
}

/// The one finding with rule `rule` in an audit of `w`'s log, which must
/// verify (findings, not integrity failures).
fn the(w: &World, rule: &str) -> Finding {
    let r = audit(w);
    assert_ne!(r.verdict, Verdict::Unverifiable, "{:#?}", r.findings);
    let hits: Vec<&Finding> = r.with_rule(rule).collect();
    assert_eq!(
        hits.len(),
        1,
        "one {rule} finding expected: {:#?}",
        r.findings
    );
    hits[0].clone()
}

/// Asserts that an audit of `w`'s log verifies and has no finding `rule`.
fn no(w: &World, rule: &str) {
    let r = audit(w);
    assert_ne!(r.verdict, Verdict::Unverifiable, "{:#?}", r.findings);
    let hits: Vec<&Finding> = r.with_rule(rule).collect();
    assert!(hits.is_empty(), "unexpected {rule}: {hits:#?}");
}

/// Rule, family and severity of a finding.
fn id_of(f: &Finding) -> (&str, u8, Severity) {
    (f.rule.as_str(), f.family, f.severity)
}

/// The log indexes and event types a finding points at.
fn at(f: &Finding) -> Vec<(u64, &str)> {
    f.events
        .iter()
        .map(|e| (e.index, e.kind.as_str()))
        .collect()
}

fn figs(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Signs `body` as `signer` claiming time `claimed`, and submits it now:
/// the node records it at `w.now + w.record_lag`. Returns its log index.
fn submit_claiming(w: &mut World, signer: &str, body: Body, claimed: u64) -> u64 {
    let now = w.now;
    w.now = claimed;
    let ev = w.sign(signer, body);
    w.now = now;
    let index = w.log.size();
    w.submit_signed(&ev).expect("submit");
    index
}

fn register_body(lot: &str, site: &str, tag: &str) -> Body {
    Body::LotRegister(LotRegister {
        lot: id(lot),
        site: site_id(site),
        tag: TagId::new(tag).unwrap(),
        mineral: Mineral::Cassiterite,
        mass_g: Grams(50_000),
        grade_bp: Grade(6000),
        miner: None,
        gps: None,
        packages: None,
    })
}

/// `cert.issue` by `AUTH` for 50 kg of `lot`, exporter `E`, valid `validity` ms.
fn issue_cert_valid_for(w: &mut World, cert: &str, lot: &str, validity: u64) -> u64 {
    let index = w.log.size();
    let issued = w.now;
    let body = Body::CertIssue(CertIssue {
        cert: Cert {
            id: id(cert),
            exporter: id("E"),
            lots: vec![id(lot)],
            mineral: Mineral::Cassiterite,
            mass_g: Grams(50_000),
            origins: vec![country("RW")],
            destination: country("BE"),
            issued: Millis(issued),
            expires: Millis(issued + validity),
            request: None,
        },
    });
    w.submit("AUTH", body).expect("cert.issue");
    index
}

/// Taxes `lot` (held by `holder`), hands it to the exporter `E`, certifies
/// it and exports it. Returns the export's log index.
fn tax_certify_export(w: &mut World, holder: &str, lot: &str, mass: u64, grade: u16) -> u64 {
    w.pay_tax(holder, lot, "royalty", 1200, "USD").unwrap();
    w.transfer(holder, "E", lot, mass, grade).unwrap();
    let cert = format!("C-{lot}");
    w.issue_cert(
        &cert,
        "E",
        &[lot],
        Mineral::Cassiterite,
        mass,
        &["RW"],
        "BE",
    )
    .unwrap();
    let index = w.log.size();
    w.export("E", lot, &cert, mass, "BE").unwrap();
    index
}

#[test]
fn site_inactive_rule() {
    // The registry records the site as non-active (MDC.02 code 2), or
    // abandoned (0), then a lot is registered there.
    for activity in [2u8, 0] {
        let mut w = base();
        let mut rec = w.site_record(SITE, "Rutongo", &[Mineral::Cassiterite], 100, &["COOP"]);
        rec.activity = Activity(activity);
        w.submit("AUTH", Body::SiteUpdate(SiteUpdate { site: rec }))
            .unwrap();
        let reg = w.log.size();
        lot(&mut w, 1, 50_000, 6000);
        let f = the(&w, "site-inactive");
        assert_eq!(id_of(&f), ("site-inactive", 7, Severity::Warning));
        assert_eq!(f.lots, ["L-1"]);
        assert_eq!(at(&f), [(reg, "lot.register")]);
        assert_eq!(f.figures, figs(&[("activity", i64::from(activity))]));
        assert!(f.message.en.contains(SITE), "{}", f.message.en);
        // Activity is not certification status: the Green site stays eligible.
        no(&w, "site-status");
    }
    // Active (code 1): the base site as registered, and a site made active again.
    let mut w = base();
    lot(&mut w, 1, 50_000, 6000);
    no(&w, "site-inactive");
    let mut w = base();
    let mut rec = w.site_record(SITE, "Rutongo", &[Mineral::Cassiterite], 100, &["COOP"]);
    rec.activity = Activity(2);
    w.submit("AUTH", Body::SiteUpdate(SiteUpdate { site: rec.clone() }))
        .unwrap();
    rec.activity = Activity(1);
    w.submit("AUTH", Body::SiteUpdate(SiteUpdate { site: rec }))
        .unwrap();
    lot(&mut w, 1, 50_000, 6000);
    no(&w, "site-inactive");
}

#[test]
fn future_dated_rule() {
    // Claimed 61 minutes after the node recorded it: beyond the 60-minute slack.
    let mut w = base();
    w.record_lag = 0;
    let recorded = w.now;
    let claimed = recorded + 61 * MINUTE;
    let reg = submit_claiming(
        &mut w,
        "COOP",
        register_body("L-1", SITE, "T-000001"),
        claimed,
    );
    let f = the(&w, "future-dated");
    assert_eq!(id_of(&f), ("future-dated", 10, Severity::Warning));
    assert_eq!(f.lots, ["L-1"]);
    assert_eq!(at(&f), [(reg, "lot.register")]);
    assert_eq!(f.actors, ["COOP"]);
    assert_eq!(
        f.figures,
        figs(&[
            ("claimed_ms", claimed as i64),
            ("recorded_ms", recorded as i64)
        ])
    );
    assert_eq!(f.tolerance.as_deref(), Some("60 minutes"));
    // Exactly 60 minutes ahead is within the slack.
    let mut w = base();
    w.record_lag = 0;
    let claimed = w.now + 60 * MINUTE;
    submit_claiming(
        &mut w,
        "COOP",
        register_body("L-1", SITE, "T-000001"),
        claimed,
    );
    no(&w, "future-dated");
}

#[test]
fn cert_validity_rule() {
    // 91 days between issue and expiry: more than the ICGLR 90.
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "E", &l, 50_000, 6000).unwrap();
    let issue = issue_cert_valid_for(&mut w, "C-1", &l, 91 * DAY);
    let f = the(&w, "cert-validity");
    assert_eq!(id_of(&f), ("cert-validity", 11, Severity::Warning));
    assert_eq!(f.lots, ["L-1"]);
    assert_eq!(at(&f), [(issue, "cert.issue")]);
    assert_eq!(f.actors, ["E"]);
    assert_eq!(f.figures, figs(&[("validity_days", 91)]));
    assert_eq!(f.tolerance.as_deref(), Some("90 days"));
    // Exactly 90 days is allowed.
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "E", &l, 50_000, 6000).unwrap();
    issue_cert_valid_for(&mut w, "C-1", &l, 90 * DAY);
    no(&w, "cert-validity");
    // An hour over 90 days is over (it was rounded down to 90 before).
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "E", &l, 50_000, 6000).unwrap();
    issue_cert_valid_for(&mut w, "C-1", &l, 90 * DAY + 3_600_000);
    let f = the(&w, "cert-validity");
    assert_eq!(f.figures, figs(&[("validity_days", 91)]));
}

#[test]
fn export_eligibility_rule() {
    let eligibility = |w: &World, lot: &str, export: u64| {
        let f = the(w, "export-eligibility");
        assert_eq!(id_of(&f), ("export-eligibility", 11, Severity::Error));
        assert_eq!(f.lots, [lot]);
        assert_eq!(at(&f), [(export, "lot.export")]);
        assert_eq!(f.actors, ["E"]);
        assert!(f.figures.is_empty(), "{:?}", f.figures);
    };
    // A lot registered while its site was Red.
    let mut w = base();
    w.inspect("INSP", SITE, "I-2", 3).unwrap();
    let l = lot(&mut w, 1, 50_000, 6000);
    let export = tax_certify_export(&mut w, "COOP", &l, 50_000, 6000);
    eligibility(&w, "L-1", export);
    // Ineligibility follows the ore: a child of a lot registered while the
    // site was Yellow past its grace period.
    let mut w = base();
    w.inspect("INSP", SITE, "I-2", 2).unwrap();
    w.now += 200 * DAY;
    let l = lot(&mut w, 1, 50_000, 6000);
    w.split(
        "COOP",
        &l,
        &[("L-1a", 25_000, 6000), ("L-1b", 25_000, 6000)],
    )
    .unwrap();
    let export = tax_certify_export(&mut w, "COOP", "L-1a", 25_000, 6000);
    eligibility(&w, "L-1a", export);
    // ... and a merge of a clean lot with a Red one.
    let mut w = base();
    let a = lot(&mut w, 1, 50_000, 6000);
    w.inspect("INSP", SITE, "I-2", 3).unwrap();
    let b = lot(&mut w, 2, 50_000, 6000);
    w.merge("COOP", &[&a, &b], "M", 100_000, 6000).unwrap();
    let export = tax_certify_export(&mut w, "COOP", "M", 100_000, 6000);
    eligibility(&w, "M", export);
    // Eligible: Green, Yellow within its grace, Green lapsed to Blue (a
    // warning at registration, but Blue is eligible).
    for (result, wait) in [(1u8, 0), (2, 100 * DAY), (1, 400 * DAY)] {
        let mut w = base();
        w.inspect("INSP", SITE, "I-2", result).unwrap();
        w.now += wait;
        let l = lot(&mut w, 1, 50_000, 6000);
        tax_certify_export(&mut w, "COOP", &l, 50_000, 6000);
        no(&w, "export-eligibility");
    }
}

#[test]
fn correction_rule() {
    // The cooperative corrects its own registration: 60 kg at 65 %, not 50 kg at 60 %.
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    let reg = w.log.size() - 1;
    let (prev, corrects) = (w.head(&l), w.figure(&l, None));
    let fix = w.log.size();
    w.submit(
        "COOP",
        Body::LotCorrect(LotCorrect {
            lot: id(&l),
            prev,
            corrects,
            mass_g: Some(Grams(60_000)),
            grade_bp: Some(Grade(6500)),
            reason: long("the scale was miscalibrated"),
        }),
    )
    .unwrap();
    // Later checks use the corrected figures: handing over 60 kg at 65 %
    // is neither over-selling nor a grade change, and the cooperative's
    // running stock (50 + 10 - 60) stays at zero.
    w.transfer("COOP", "T1", &l, 60_000, 6500).unwrap();
    let f = the(&w, "correction");
    assert_eq!(id_of(&f), ("correction", 10, Severity::Info));
    assert_eq!(f.lots, ["L-1"]);
    assert_eq!(at(&f), [(fix, "lot.correct")]);
    assert_eq!(f.actors, ["COOP"]);
    assert_eq!(
        f.figures,
        figs(&[
            ("mass_g", 60_000),
            ("grade_bp", 6500),
            ("corrected_index", reg as i64)
        ])
    );
    let r = audit(&w);
    assert_eq!(r.verdict, Verdict::Verified, "{:#?}", r.findings);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    // Without the correction: no finding of this rule, and the same
    // handover is over-selling and a grade change.
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "T1", &l, 50_000, 6000).unwrap();
    no(&w, "correction");
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "T1", &l, 60_000, 6500).unwrap();
    no(&w, "correction");
    let r = audit(&w);
    assert!(
        has(&r, "stock-balance", Severity::Error),
        "{:#?}",
        r.findings
    );
    assert!(
        has(&r, "transfer-grade", Severity::Error),
        "{:#?}",
        r.findings
    );
}

/// `base()` with a second site `site` registered (Blue, never inspected)
/// and its tags `U-000001`..; also its registration's claimed time.
fn second_site(site: &str) -> (World, u64) {
    let mut w = base();
    let registered = w.now;
    let rec = w.site_record(site, "Gakenke", &[Mineral::Cassiterite], 100, &["COOP"]);
    w.register_site(rec).unwrap();
    w.allocate_tags(site, "U", 6, 1, 999).unwrap();
    (w, registered)
}

#[test]
fn blue_site_never_inspected_becomes_red_after_three_years() {
    const SITE2: &str = "RW-1.9700+30.0700-00002";
    // A site registered (Blue) and never inspected; a lot registered there
    // `after` ms later. Returns the world and the registration's index.
    let blue = |after: u64| {
        let (mut w, registered) = second_site(SITE2);
        w.now = registered + after;
        let reg = w.log.size();
        w.register_lot(
            "COOP",
            "L-1",
            SITE2,
            "U-000001",
            Mineral::Cassiterite,
            50_000,
            6000,
        )
        .unwrap();
        (w, reg)
    };
    let (w, reg) = blue(1095 * DAY + MINUTE);
    let f = the(&w, "site-status");
    assert_eq!(id_of(&f), ("site-status", 7, Severity::Error));
    assert_eq!(f.lots, ["L-1"]);
    assert_eq!(at(&f), [(reg, "lot.register")]);
    assert_eq!(f.actors, ["COOP"]);
    assert_eq!(f.figures, figs(&[("status", 3)]));
    assert!(f.message.en.contains("Red"), "{}", f.message.en);
    // Not eligible: its export is flagged too.
    let mut w = w;
    let export = tax_certify_export(&mut w, "COOP", "L-1", 50_000, 6000);
    let e = the(&w, "export-eligibility");
    assert_eq!(at(&e), [(export, "lot.export")]);
    // Blue for exactly three years (1 095 days) is still Blue: valid, no finding.
    let (w, _) = blue(1095 * DAY);
    no(&w, "site-status");
    let (mut w, _) = blue(1000 * DAY);
    no(&w, "site-status");
    tax_certify_export(&mut w, "COOP", "L-1", 50_000, 6000);
    no(&w, "export-eligibility");
}

#[test]
fn running_stock_of_an_actor_never_goes_negative() {
    // T1 receives two lots of 50 kg. It hands over 60 kg of the first
    // (flagged at once against the lot), yet still holds 40 kg in all;
    // only when it later hands over the second in full has it sent on
    // 10 kg more than it ever received.
    let mut w = base();
    let a = lot(&mut w, 1, 50_000, 6000);
    let b = lot(&mut w, 2, 50_000, 6000);
    w.transfer("COOP", "T1", &a, 50_000, 6000).unwrap();
    w.transfer("COOP", "T1", &b, 50_000, 6000).unwrap();
    let over = w.log.size();
    w.transfer("T1", "T2", &a, 60_000, 6000).unwrap();
    w.offer("T1", "T2", &b, 50_000, 6000).unwrap();
    let negative = w.log.size();
    w.accept("T2", &b, 50_000, 6000).unwrap();
    let r = audit(&w);
    assert_eq!(r.verdict, Verdict::Findings, "{:#?}", r.findings);
    let hits: Vec<&Finding> = r.with_rule("stock-balance").collect();
    assert_eq!(hits.len(), 2, "{hits:#?}");
    let (lot_level, running) = (hits[0], hits[1]);
    assert_eq!(id_of(lot_level), ("stock-balance", 5, Severity::Error));
    assert_eq!(lot_level.lots, ["L-1"]);
    assert_eq!(at(lot_level), [(over, "lot.offer")]);
    assert_eq!(lot_level.actors, ["T1", "T2"]);
    assert_eq!(
        lot_level.figures,
        figs(&[("handed_over_g", 60_000), ("held_g", 50_000)])
    );
    assert_eq!(id_of(running), ("stock-balance", 5, Severity::Error));
    assert_eq!(running.lots, ["L-1", "L-2"]);
    assert_eq!(at(running), [(negative, "lot.accept")]);
    assert_eq!(running.actors, ["T1"]);
    assert_eq!(running.figures, figs(&[("stock_g", -10_000)]));
    // The same movements without the extra 10 kg: no finding.
    let mut w = base();
    let a = lot(&mut w, 1, 50_000, 6000);
    let b = lot(&mut w, 2, 50_000, 6000);
    w.transfer("COOP", "T1", &a, 50_000, 6000).unwrap();
    w.transfer("COOP", "T1", &b, 50_000, 6000).unwrap();
    w.transfer("T1", "T2", &a, 50_000, 6000).unwrap();
    w.transfer("T1", "T2", &b, 50_000, 6000).unwrap();
    no(&w, "stock-balance");
    // A bundle cannot see an actor's other movements: the lot-level check
    // still runs there, the running stock is listed as not checked.
    let mut w2 = base();
    let a = lot(&mut w2, 1, 50_000, 6000);
    w2.transfer("COOP", "T1", &a, 50_000, 6000).unwrap();
    w2.transfer("T1", "T2", &a, 60_000, 6000).unwrap();
    let key = NoteKey::new(w2.origin.as_str(), w2.log_key.public()).unwrap();
    let r = verify_lot(&bundle_of(&w2, "L-1"), &key, &Policy::default());
    let hits: Vec<&Finding> = r.with_rule("stock-balance").collect();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(hits[0].figures.contains_key("handed_over_g"));
    assert!(
        r.not_checked.iter().any(|s| s.starts_with("stock-balance")),
        "{:?}",
        r.not_checked
    );
}

/// Appends a leaf that the node would have refused, and signs a checkpoint
/// over it: what a misbehaving node could publish.
fn forge(w: &World, ev: &SignedEvent) -> (Vec<Vec<u8>>, String) {
    let mut leaves: Vec<Vec<u8>> = w.log.leaves().to_vec();
    let last = leaf_hash(leaves.last().unwrap());
    let leaf = Leaf {
        record_time: w.now + 5_000,
        prev_leaf: last,
        signature: ev.signature,
        event: ev.bytes.clone(),
    };
    leaves.push(leaf.encode());
    let mut t = MemoryTree::new();
    for l in &leaves {
        t.append(leaf_hash(l));
    }
    let cp = Checkpoint {
        origin: w.origin.to_string(),
        size: leaves.len() as u64,
        root: t.root(),
    };
    (leaves, sign_checkpoint(&cp, &w.log_key).unwrap())
}

#[test]
fn a_double_spend_in_the_log_is_critical_and_other_broken_rules_make_it_invalid() {
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    let head = w.head(&l);
    w.offer("COOP", "T1", &l, 50_000, 6000).unwrap();
    // A second offer of the same lot from the same head: a double spend.
    let again = w.sign(
        "COOP",
        Body::LotOffer(LotOffer {
            lot: id(&l),
            prev: head,
            to: id("T2"),
            mass_g: Grams(50_000),
            grade_bp: Grade(6000),
            price: None,
        }),
    );
    let (leaves, note) = forge(&w, &again);
    let r = audit_leaves(&w, &leaves, &note);
    assert!(
        has(&r, "double-spend", Severity::Critical),
        "{:?}",
        r.findings
    );
    assert_eq!(r.verdict, Verdict::Findings);
    // An event by someone who does not hold the lot: the log is invalid.
    let theft = w.sign(
        "T2",
        Body::LotOffer(LotOffer {
            lot: id(&l),
            prev: w.head(&l),
            to: id("T2"),
            mass_g: Grams(50_000),
            grade_bp: Grade(6000),
            price: None,
        }),
    );
    let (leaves, note) = forge(&w, &theft);
    let r = audit_leaves(&w, &leaves, &note);
    assert_eq!(r.verdict, Verdict::Unverifiable);
    assert!(
        r.findings[0].message.en.contains("not-custodian"),
        "{:?}",
        r.findings[0]
    );
}

/// The bundle of `lot` at the current tree size.
fn bundle_of(w: &World, lot: &str) -> Bundle {
    let index = MemIndex::new(w.log.leaves(), &w.log.state);
    let note = w.checkpoint();
    build_bundle(
        &index,
        &id(lot),
        w.origin.as_str(),
        &note,
        w.log.size(),
        |i, n| {
            w.log
                .prove_inclusion(i, n)
                .map_err(|e| ledger_core::state::StateError(e.to_string()))
        },
    )
    .unwrap()
}

fn small_log() -> World {
    let mut w = base();
    let l = lot(&mut w, 1, 50_000, 6000);
    w.transfer("COOP", "T1", &l, 50_000, 6000).unwrap();
    w.split("T1", &l, &[("L-1a", 25_000, 6000), ("L-1b", 25_000, 6000)])
        .unwrap();
    w
}

/// The index an integrity finding names, if any.
fn integrity_at(r: &Report) -> (Option<u64>, String) {
    assert_eq!(r.verdict, Verdict::Unverifiable, "{:#?}", r.findings);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "integrity")
        .expect("an integrity finding");
    assert_eq!((f.family, f.severity), (0, Severity::Critical));
    (f.events.first().map(|e| e.index), f.message.en.clone())
}

#[test]
fn tampering_with_any_byte_of_any_leaf_is_caught_where_it_happened() {
    let w = small_log();
    let leaves = w.log.leaves().to_vec();
    let last = leaves.len() - 1;
    let note = w.checkpoint();
    assert_eq!(audit_leaves(&w, &leaves, &note).verdict, Verdict::Verified);
    // Leaf layout (`spec/log.md` section 1): version (byte 0), record time
    // (1-8), previous leaf hash (9-40), signature (41-104), event (105-).
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..leaves.len() {
        for j in 0..leaves[i].len() {
            let mut t = leaves.clone();
            t[i][j] ^= 0x01;
            let r = audit_leaves(&w, &t, &note);
            let (index, msg) = integrity_at(&r);
            let what = format!("leaf {i} byte {j} flipped: {msg}");
            let names_i = msg.contains(&format!("does not name entry {i} "));
            let case = match (j, index) {
                // The signature, the event (a flipped `prev` included: its
                // stale head is signature-checked too), the version and the
                // previous-leaf hash are each caught at the entry itself; so
                // is the last entry's record time, by the root.
                (_, Some(k)) if k == i as u64 => "at the entry",
                // The record time is covered by nothing but the leaf hash (a
                // signature covers the event only): a later, still ordered
                // time leaves the entry valid and breaks the next link,
                // whose finding names this entry.
                (1..=8, Some(k)) if k == i as u64 + 1 && names_i => "record time, next link",
                _ => panic!("{what}"),
            };
            assert!(
                r.with_rule("double-spend").next().is_none(),
                "a tampered entry is never a double spend: {what}"
            );
            *tally.entry(case).or_default() += 1;
        }
    }
    eprintln!("single-byte leaf tamperings caught: {tally:#?}");
    // Dropped, reordered and duplicated entries break the linear chain at
    // the first position that holds the wrong leaf.
    let n = leaves.len() as u64;
    for i in 0..leaves.len() {
        let k = i as u64;
        let mut d = leaves.clone();
        d.remove(i);
        let r = audit_leaves(&w, &d, &note);
        let (index, msg) = integrity_at(&r);
        assert_eq!(index, Some(k), "drop {i}: {msg}");
        if i == last {
            assert!(
                msg.contains(&format!(
                    "holds {} entries but its checkpoint says {n}",
                    n - 1
                )),
                "drop {i}: {msg}"
            );
        } else {
            assert!(msg.contains("linear chain is broken"), "drop {i}: {msg}");
        }
        let mut dup = leaves.clone();
        dup.insert(i + 1, leaves[i].clone());
        let r = audit_leaves(&w, &dup, &note);
        let (index, msg) = integrity_at(&r);
        assert_eq!(index, Some(k + 1), "dup {i}: {msg}");
        assert!(msg.contains("linear chain is broken"), "dup {i}: {msg}");
        if i < last {
            let mut s = leaves.clone();
            s.swap(i, i + 1);
            let r = audit_leaves(&w, &s, &note);
            let (index, msg) = integrity_at(&r);
            assert_eq!(index, Some(k), "swap {i}: {msg}");
            assert!(msg.contains("linear chain is broken"), "swap {i}: {msg}");
        }
    }
}

#[test]
fn tampering_with_a_checkpoint_is_caught() {
    let w = small_log();
    let note = w.checkpoint();
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    for j in 0..note.len() {
        let mut b = note.clone().into_bytes();
        b[j] ^= 0x01;
        let Ok(t) = String::from_utf8(b) else {
            continue;
        };
        assert!(
            open_checkpoint(&t, &key).is_err(),
            "checkpoint byte {j} flipped still opens"
        );
    }
    // A checkpoint for another tree, properly signed, does not fit the leaves.
    let mut leaves = w.log.leaves().to_vec();
    leaves.pop();
    let r = audit_leaves(&w, &leaves, &note);
    assert_eq!(r.verdict, Verdict::Unverifiable);
}

#[test]
fn tampering_with_any_byte_of_a_bundle_is_caught() {
    let w = small_log();
    let b = bundle_of(&w, "L-1a");
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    let ok = verify_lot(&b, &key, &Policy::default());
    assert_eq!(ok.verdict, Verdict::Verified, "{:?}", ok.findings);
    let text = serde_json::to_string(&b).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut caught = 0;
    for j in 0..text.len() {
        let mut bytes = text.clone().into_bytes();
        bytes[j] ^= 0x01;
        let Ok(t) = String::from_utf8(bytes) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else {
            caught += 1;
            continue;
        };
        if v == original {
            continue;
        }
        let Ok(tb) = serde_json::from_value(v) else {
            caught += 1;
            continue;
        };
        let r = verify_lot(&tb, &key, &Policy::default());
        assert_eq!(
            r.verdict,
            Verdict::Unverifiable,
            "bundle byte {j} flipped: {:?}",
            &t[j.saturating_sub(20)..(j + 20).min(t.len())]
        );
        caught += 1;
    }
    eprintln!("{caught} bundle tamperings caught");
}

/// The event type of a bundle entry.
fn entry_type(b: &Bundle, k: usize) -> &'static str {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&b.entries[k].leaf)
        .unwrap();
    let leaf = Leaf::decode(&bytes).unwrap();
    Event::decode(&leaf.event).unwrap().type_name()
}

#[test]
fn dropping_reordering_or_duplicating_bundle_entries_is_caught() {
    // L-1a is split from L-1, then handed from T1 to T2.
    let mut w = small_log();
    w.transfer("T1", "T2", "L-1a", 25_000, 6000).unwrap();
    let b = bundle_of(&w, "L-1a");
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    let verify = |b: &Bundle| verify_lot(b, &key, &Policy::default());
    let ok = verify(&b);
    assert_eq!(ok.verdict, Verdict::Verified, "{:?}", ok.findings);
    let idx: Vec<u64> = b.entries.iter().map(|e| e.index).collect();
    let last = b.entries.len() - 1;
    // Dropping an entry: the replay breaks at a later entry that needed
    // it (a signer's or a site's registration, the lot's previous event),
    // except for what the replay does not need. Those drops go unseen by
    // design (`spec/verifier.md` section 2, `spec/log.md` section 4): the
    // lot's trailing events, and registry events such as an inspection.
    let mut unseen = Vec::new();
    for k in 0..b.entries.len() {
        let mut d = b.clone();
        d.entries.remove(k);
        let r = verify(&d);
        if r.verdict != Verdict::Unverifiable {
            unseen.push((idx[k], entry_type(&b, k)));
            continue;
        }
        let (index, msg) = integrity_at(&r);
        let index = index.unwrap_or_else(|| panic!("drop {}: no index: {msg}", idx[k]));
        assert!(index > idx[k], "drop {}: named {index}: {msg}", idx[k]);
        assert!(
            idx.contains(&index),
            "drop {}: named {index}: {msg}",
            idx[k]
        );
    }
    let inspection = (0..b.entries.len())
        .find(|&k| entry_type(&b, k) == "site.inspect")
        .unwrap();
    assert_eq!(
        unseen,
        [(idx[inspection], "site.inspect"), (idx[last], "lot.accept")],
        "drops that verify"
    );
    // What that costs: a Red inspection left out of a bundle lets a lot
    // from a Red site verify clean in lot scope.
    let mut red = base();
    red.inspect("INSP", SITE, "I-2", 3).unwrap();
    lot(&mut red, 1, 50_000, 6000);
    let rb = bundle_of(&red, "L-1");
    let r = verify(&rb);
    assert_eq!(r.verdict, Verdict::Findings, "{:#?}", r.findings);
    assert!(has(&r, "site-status", Severity::Error), "{:#?}", r.findings);
    let k = (0..rb.entries.len())
        .rev()
        .find(|&k| entry_type(&rb, k) == "site.inspect")
        .unwrap();
    let mut d = rb.clone();
    d.entries.remove(k);
    let r = verify(&d);
    assert_eq!(r.verdict, Verdict::Verified, "{:#?}", r.findings);
    for k in 0..b.entries.len() {
        // Duplicated next to itself, or at the end: indexes no longer
        // strictly increase at the copy.
        for at in [k + 1, b.entries.len()] {
            let mut d = b.clone();
            d.entries.insert(at, b.entries[k].clone());
            let (index, msg) = integrity_at(&verify(&d));
            assert_eq!(index, Some(idx[k]), "dup {} at {at}: {msg}", idx[k]);
            assert!(msg.contains("strictly increasing"), "dup {}: {msg}", idx[k]);
        }
        if k < last {
            // Swapped with the next entry: the replay refuses the later
            // entry played first, or the indexes go backwards.
            let mut s = b.clone();
            s.entries.swap(k, k + 1);
            let (index, msg) = integrity_at(&verify(&s));
            assert!(
                index == Some(idx[k]) || index == Some(idx[k + 1]),
                "swap {}: {index:?}: {msg}",
                idx[k]
            );
            // Leaves and proofs swapped, indexes kept: the proofs fail.
            let mut s = b.clone();
            let (x, y) = (b.entries[k].clone(), b.entries[k + 1].clone());
            s.entries[k].leaf = y.leaf;
            s.entries[k].proof = y.proof;
            s.entries[k + 1].leaf = x.leaf;
            s.entries[k + 1].proof = x.proof;
            let (index, msg) = integrity_at(&verify(&s));
            assert_eq!(index, Some(idx[k]), "swap contents {}: {msg}", idx[k]);
            assert!(
                msg.contains("inclusion proof"),
                "swap contents {}: {msg}",
                idx[k]
            );
        }
    }
}

#[test]
fn tampering_with_the_checkpoint_inside_a_bundle_is_caught() {
    let w = small_log();
    let b = bundle_of(&w, "L-1a");
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    assert_eq!(
        verify_lot(&b, &key, &Policy::default()).verdict,
        Verdict::Verified
    );
    let note = b.checkpoint.clone().into_bytes();
    let mut caught = 0;
    for j in 0..note.len() {
        for bit in [0x01u8, 0x20] {
            let mut t = note.clone();
            t[j] ^= bit;
            let Ok(text) = String::from_utf8(t) else {
                continue;
            };
            let mut tb = b.clone();
            tb.checkpoint = text;
            let r = verify_lot(&tb, &key, &Policy::default());
            let (index, msg) = integrity_at(&r);
            // Not an entry: the finding names the checkpoint.
            assert_eq!(index, None, "checkpoint byte {j} ^ {bit:#x}: {msg}");
            assert!(msg.contains("checkpoint"), "checkpoint byte {j}: {msg}");
            caught += 1;
        }
    }
    assert!(caught >= note.len(), "{caught}");
    // Another log's correctly signed checkpoint does not do either.
    let other = World::new("other.example/log", "RW");
    let mut tb = b.clone();
    tb.checkpoint = other.checkpoint();
    let (index, msg) = integrity_at(&verify_lot(&tb, &key, &Policy::default()));
    assert_eq!(index, None, "{msg}");
}

#[test]
fn the_archive_vector_round_trips_and_audits() {
    use ledger_core::verify::{ARCHIVE_FORMAT, LogArchive};
    let w = small_log();
    let key = NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    let header = LogArchive {
        format: ARCHIVE_FORMAT.into(),
        origin: w.origin.to_string(),
        vkey: key.vkey(),
        checkpoint: w.checkpoint(),
    };
    let bytes = header.encode(w.log.leaves());
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors/archive/small.hex");
    let hex = ledger_core::hash::hex_encode(&bytes);
    if std::env::var_os("MADINI_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{hex}\n")).unwrap();
    }
    let pinned =
        std::fs::read_to_string(&path).expect("run with MADINI_BLESS=1 to create the vector");
    assert_eq!(
        pinned.trim(),
        hex,
        "archive vector drifted (MADINI_BLESS=1 after a deliberate change)"
    );
    let raw = ledger_core::hash::hex_decode(pinned.trim()).unwrap();
    let (h, leaves) = LogArchive::decode(&raw).unwrap();
    assert_eq!(h, header);
    let r = audit_leaves(&w, &leaves, &h.checkpoint);
    assert_eq!(r.verdict, Verdict::Verified);
    assert!(LogArchive::decode(&raw[..raw.len() - 1]).is_err());
    assert!(
        LogArchive::parse_header(
            "{\"format\":\"madini-log/v2\",\"origin\":\"o\",\"vkey\":\"k\",\"checkpoint\":\"c\"}"
        )
        .is_err()
    );
}

/// Status by date (`spec/verifier.md`, "Status at time t"): a registry
/// that registers a site and then enters its earlier inspections, in
/// either order, gets the statuses the inspection dates give: the one
/// dated latest counts, and the registration's Blue does not hide them.
#[test]
fn a_site_s_status_follows_inspection_dates_not_recording_order() {
    use ledger_core::state::StateRead;
    const SITE2: &str = "RW-1.6000+29.7000-00002";
    let history = |red_first: bool| {
        let (mut w, registered) = second_site(SITE2);
        let inspect = |w: &mut World, n: &str, days_before: u64, result: u8| {
            let date = registered - registered % DAY - days_before * DAY;
            w.submit(
                "INSP",
                Body::SiteInspect(SiteInspect {
                    site: site_id(SITE2),
                    inspection: Inspection {
                        id: id(n),
                        date: Millis(date),
                        result: InspectionResult(result),
                        report_sha256: None,
                        report_uri: None,
                        purpose: None,
                        summary: None,
                    },
                }),
            )
            .unwrap();
        };
        // Green a year before the registration, Red 100 days before it.
        if red_first {
            inspect(&mut w, "I-RED", 100, 3);
            inspect(&mut w, "I-GREEN", 365, 1);
        } else {
            inspect(&mut w, "I-GREEN", 365, 1);
            inspect(&mut w, "I-RED", 100, 3);
        }
        w
    };
    for red_first in [false, true] {
        let mut w = history(red_first);
        let site = w.log.state.site(SITE2).unwrap().unwrap();
        assert_eq!(
            site.status.0, 3,
            "red_first={red_first}: the Red one is the latest"
        );
        // The registry report agrees.
        let leaves = w.log.leaves().iter().enumerate();
        let leaves = leaves.map(|(i, l)| Ok::<_, String>((i as u64, l.clone())));
        let r = ledger_core::export::views::compute_reports(2026, leaves, 1).unwrap();
        let row = r
            .registry
            .sites
            .iter()
            .find(|s| s.id.as_str() == SITE2)
            .unwrap();
        assert_eq!(row.status, 3, "red_first={red_first}: the report's status");
        w.register_lot(
            "COOP",
            "L-1",
            SITE2,
            "U-000001",
            Mineral::Cassiterite,
            50_000,
            6000,
        )
        .unwrap();
        let f = the(&w, "site-status");
        assert_eq!(f.figures, figs(&[("status", 3)]), "red_first={red_first}");
    }
    // A lot claimed 200 days before the registration falls under the Green
    // inspection (the Red one is not yet), in both orders.
    for red_first in [false, true] {
        let mut w = history(red_first);
        let now = w.now;
        w.now = now - 200 * DAY;
        w.register_lot(
            "COOP",
            "L-1",
            SITE2,
            "U-000001",
            Mineral::Cassiterite,
            50_000,
            6000,
        )
        .unwrap();
        w.now = now;
        no(&w, "site-status");
    }
}

// ------------------------------------------------ family 14: plausibility

/// `register_body` with its figures, GPS and packages set.
fn register_with(
    lot: &str,
    tag: &str,
    mass: u64,
    grade_bp: u16,
    gps: Option<(i64, i64)>,
    packages: Option<u16>,
) -> Body {
    let Body::LotRegister(mut b) = register_body(lot, SITE, tag) else {
        unreachable!()
    };
    b.mass_g = Grams(mass);
    b.grade_bp = Grade(grade_bp);
    b.gps = gps.map(|(lat, lon)| Point {
        lat_e6: Lat(lat),
        lon_e6: Lon(lon),
    });
    b.packages = packages.map(Packages);
    Body::LotRegister(b)
}

#[test]
fn a_grade_no_ore_can_have_is_an_error_where_it_first_appears() {
    use Severity::Error;
    // Cassiterite holds at most 78.77 % tin; one grade point of assay error.
    let mut w = base();
    w.submit(
        "COOP",
        register_with("L-1", "T-000001", 50_000, 7977, None, None),
    )
    .unwrap();
    no(&w, "grade-impossible");
    w.submit(
        "COOP",
        register_with("L-2", "T-000002", 50_000, 7978, None, None),
    )
    .unwrap();
    // Handed on at the same grade: still the one finding, at the registration.
    w.transfer("COOP", "T1", "L-2", 50_000, 7978).unwrap();
    let f = the(&w, "grade-impossible");
    assert_eq!(id_of(&f), ("grade-impossible", 14, Error));
    assert_eq!(f.figures, figs(&[("grade_bp", 7978), ("max_bp", 7877)]));
    assert_eq!(at(&f)[0].1, "lot.register");
    assert!(
        f.message.en.contains("79.78 %") && f.message.en.contains("78.77 %"),
        "{}",
        f.message.en
    );
    // A split child stating an impossible grade is judged too.
    let mut w = base();
    lot(&mut w, 1, 50_000, 7000);
    w.split(
        "COOP",
        "L-1",
        &[("L-1a", 25_000, 7000), ("L-1b", 25_000, 8100)],
    )
    .unwrap();
    assert_eq!(
        at(&the(&w, "grade-impossible")),
        [(w.log.size() - 1, "lot.split")]
    );
}

#[test]
fn a_package_heavier_than_porters_carry_is_a_warning() {
    let mut w = base();
    w.submit(
        "COOP",
        register_with("L-1", "T-000001", 100_000, 6000, None, None),
    )
    .unwrap();
    w.submit(
        "COOP",
        register_with("L-2", "T-000002", 150_000, 6000, None, Some(2)),
    )
    .unwrap();
    no(&w, "package-mass");
    w.submit(
        "COOP",
        register_with("L-3", "T-000003", 100_001, 6000, None, Some(1)),
    )
    .unwrap();
    let f = the(&w, "package-mass");
    assert_eq!(id_of(&f), ("package-mass", 14, Severity::Warning));
    assert_eq!(
        f.figures,
        figs(&[
            ("per_package_g", 100_001),
            ("packages", 1),
            ("max_g", 100_000)
        ])
    );
}

#[test]
fn a_site_placed_outside_its_country_is_an_error() {
    // Rwanda's box reaches 28.86 E; 10 km of border allowance at 1.68 S is
    // about 0.09 degrees.
    let place = |lon: i64| {
        let mut w = base();
        let mut rec = w.site_record(
            "RW-1.6800+29.0000-00002",
            "Nyamyumba",
            &[Mineral::Cassiterite],
            100,
            &["COOP"],
        );
        rec.location.lat_e6 = Lat(-1_680_000);
        rec.location.lon_e6 = Lon(lon);
        w.register_site(rec).unwrap();
        w
    };
    no(&place(28_780_000), "site-outside-country");
    let f = the(&place(28_700_000), "site-outside-country");
    assert_eq!(id_of(&f), ("site-outside-country", 14, Severity::Error));
    assert_eq!(f.figures["outside_km"], 18, "{:?}", f.figures);
    assert_eq!(at(&f)[0].1, "site.register");
    // A country the table does not hold is not judged.
    let mut w = base();
    let rec = w.site_record(
        "KE-1.0000+36.0000-00001",
        "Elsewhere",
        &[Mineral::Gold],
        100,
        &["COOP"],
    );
    w.register_site(rec).unwrap();
    no(&w, "site-outside-country");
}

#[test]
fn a_cooperative_of_another_country_registering_at_a_site_is_an_error() {
    let mut w = base();
    lot(&mut w, 1, 50_000, 6000);
    no(&w, "operator-country");
    w.register_actor(
        "COOP-CD",
        "Coopérative de Rubaya",
        "CD",
        &[Role::Cooperative],
    )
    .unwrap();
    let mut rec = w.site_record(
        SITE,
        "Rutongo",
        &[Mineral::Cassiterite],
        100,
        &["COOP", "COOP-CD"],
    );
    rec.location = w.site_record(SITE, "Rutongo", &[], 100, &[]).location;
    w.submit("AUTH", Body::SiteUpdate(SiteUpdate { site: rec }))
        .unwrap();
    w.register_lot(
        "COOP-CD",
        "L-2",
        SITE,
        "T-000002",
        Mineral::Cassiterite,
        50_000,
        6000,
    )
    .unwrap();
    let f = the(&w, "operator-country");
    assert_eq!(id_of(&f), ("operator-country", 14, Severity::Error));
    assert_eq!(f.lots, ["L-2"]);
    assert!(
        f.message.en.contains("COOP-CD") && f.message.en.contains("CD"),
        "{}",
        f.message.en
    );
}

#[test]
fn a_bag_registered_far_from_its_site_is_a_warning() {
    let (lat, lon) = ledger_core::world::coords_from_site_id(SITE);
    let mut w = base();
    // 0.17 degrees of latitude is 18.9 km; 0.19 is 21.1 km.
    w.submit(
        "COOP",
        register_with(
            "L-1",
            "T-000001",
            50_000,
            6000,
            Some((lat + 170_000, lon)),
            None,
        ),
    )
    .unwrap();
    no(&w, "gps-far");
    w.submit(
        "COOP",
        register_with(
            "L-2",
            "T-000002",
            50_000,
            6000,
            Some((lat + 190_000, lon)),
            None,
        ),
    )
    .unwrap();
    let f = the(&w, "gps-far");
    assert_eq!(id_of(&f), ("gps-far", 14, Severity::Warning));
    assert_eq!(f.figures, figs(&[("distance_km", 21)]));
}

#[test]
fn a_lot_claimed_before_its_site_was_registered_is_an_error() {
    const SITE2: &str = "RW-1.6000+29.7000-00002";
    let (mut w, registered) = second_site(SITE2);
    let body = |lot: &str, tag: &str| register_body(lot, SITE2, tag);
    submit_claiming(
        &mut w,
        "COOP",
        body("L-1", "U-000001"),
        registered - 23 * HOUR,
    );
    no(&w, "before-site-registered");
    let n = submit_claiming(
        &mut w,
        "COOP",
        body("L-2", "U-000002"),
        registered - 25 * HOUR,
    );
    let f = the(&w, "before-site-registered");
    assert_eq!(id_of(&f), ("before-site-registered", 14, Severity::Error));
    assert_eq!(at(&f), [(n, "lot.register")]);
    assert_eq!(f.figures["site_registered_ms"], registered as i64);
}

const HOUR: u64 = 3_600_000;

#[test]
fn a_lot_registered_outside_every_licence_of_its_site_is_an_error() {
    let grant = |w: &mut World, lic: &str, mineral: Mineral, days: u64| {
        let now = w.now;
        w.submit(
            "AUTH",
            Body::LicenceGrant(LicenceGrant {
                licence: Licence {
                    id: id(lic),
                    kind: LicenceType::ArtisanalPermit,
                    holder: id("COOP"),
                    site: Some(site_id(SITE)),
                    minerals: vec![mineral],
                    granted: Millis(now),
                    expires: Millis(now + days * DAY),
                },
            }),
        )
        .unwrap();
    };
    // No licence recorded for the site: the registry does not track them.
    let mut w = base();
    lot(&mut w, 1, 50_000, 6000);
    no(&w, "licence-lapsed");
    // Within a licence for the mineral.
    grant(&mut w, "LIC-1", Mineral::Cassiterite, 10);
    w.now += 9 * DAY;
    lot(&mut w, 2, 50_000, 6000);
    no(&w, "licence-lapsed");
    // After it expired, with only a gold licence still running.
    grant(&mut w, "LIC-2", Mineral::Gold, 100);
    w.now += 2 * DAY;
    lot(&mut w, 3, 50_000, 6000);
    let f = the(&w, "licence-lapsed");
    assert_eq!(id_of(&f), ("licence-lapsed", 14, Severity::Error));
    assert_eq!(f.lots, ["L-3"]);
    assert_eq!(f.figures["licences"], 2);
}

#[test]
fn an_inspection_dated_after_it_was_recorded_is_an_error() {
    let inspect = |w: &mut World, n: &str, date: u64| {
        w.submit(
            "INSP",
            Body::SiteInspect(SiteInspect {
                site: site_id(SITE),
                inspection: Inspection {
                    id: id(n),
                    date: Millis(date),
                    result: InspectionResult(1),
                    report_sha256: None,
                    report_uri: None,
                    purpose: None,
                    summary: None,
                },
            }),
        )
        .unwrap();
    };
    let mut w = base();
    // Recorded at now + record_lag.
    let recorded = w.now + w.record_lag;
    inspect(&mut w, "I-2", recorded + 24 * HOUR);
    no(&w, "inspection-after-record");
    let recorded = w.now + w.record_lag;
    inspect(&mut w, "I-3", recorded + 24 * HOUR + 1);
    let f = the(&w, "inspection-after-record");
    assert_eq!(id_of(&f), ("inspection-after-record", 14, Severity::Error));
    assert_eq!(f.figures["recorded_ms"], recorded as i64);
}

#[test]
fn a_key_that_signed_after_its_revocation_s_claimed_time_is_an_error() {
    let revoke = |w: &mut World| {
        let key = w.public("T1").key_id();
        w.submit(
            "AUTH",
            Body::KeyRevoke(KeyRevoke {
                actor: id("T1"),
                revoked: key,
                reason: text("phone stolen"),
            }),
        )
        .unwrap();
    };
    let signed_ahead = |ahead: u64| {
        let mut w = base();
        let l = lot(&mut w, 1, 50_000, 6000);
        w.transfer("COOP", "T1", &l, 50_000, 6000).unwrap();
        let at = w.now + ahead;
        let body = Body::LotStore(LotStore {
            lot: id(&l),
            prev: w.head(&l),
            place: Place {
                name: text("Kigali depot"),
                lat_e6: None,
                lon_e6: None,
            },
            warehouse: None,
        });
        let n = submit_claiming(&mut w, "T1", body, at);
        revoke(&mut w);
        (w, n)
    };
    // Within the clock slack of 60 minutes.
    no(&signed_ahead(50 * MINUTE).0, "claimed-after-revocation");
    let (w, n) = signed_ahead(3 * HOUR);
    let f = the(&w, "claimed-after-revocation");
    assert_eq!(id_of(&f), ("claimed-after-revocation", 14, Severity::Error));
    assert_eq!(at(&f), [(n, "lot.store"), (n + 1, "key.revoke")]);
    assert_eq!(f.actors, ["T1"]);
}
