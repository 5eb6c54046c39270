//! The verifier against the scenario generator: the clean supply chain has
//! no error or critical finding; each planted fraud yields its rule's
//! finding naming the planted lots, and no other error or critical finding.

use std::collections::BTreeSet;

use ledger_core::note::open_checkpoint;
use ledger_core::scenario::{Config, Fraud, Scenario, generate};
use ledger_core::verify::{Auditor, Policy, Report, Severity, Verdict};
use ledger_core::world::World;

/// Audits a world's log, in chunks, as the CLI does.
pub fn audit(w: &World, foreign: Option<&Report>) -> (Report, Auditor) {
    let _ = foreign;
    let mut a = Auditor::new(Policy::default(), 2, [7; 32]);
    let leaves = w.log.leaves();
    for (k, chunk) in leaves.chunks(500).enumerate() {
        a.push((k * 500) as u64, chunk).unwrap();
    }
    let note = w.checkpoint();
    let key = ledger_core::note::NoteKey::new(w.origin.as_str(), w.log_key.public()).unwrap();
    let cp = open_checkpoint(&note, &key).unwrap();
    let tags = a.tags();
    let r = a.finish(&cp);
    let mut again = Auditor::new(Policy::default(), 1, [1; 32]);
    again = again.with_foreign_tags(tags);
    (r, again)
}

fn serious(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .map(|f| format!("{} {:?}: {}", f.rule, f.lots, f.message.en))
        .collect()
}

fn summary(r: &Report) -> String {
    let mut rules: std::collections::BTreeMap<(String, Severity), usize> = Default::default();
    for f in &r.findings {
        *rules.entry((f.rule.clone(), f.severity)).or_default() += 1;
    }
    format!("{rules:?}")
}

fn scenario(seed: u64, lots: usize, frauds: Vec<Fraud>) -> Scenario {
    let mut cfg = Config::new(seed, lots);
    cfg.frauds = frauds;
    generate(&cfg)
}

#[test]
fn the_clean_supply_chain_has_no_error() {
    // MADINI_SLOW_TESTS runs a supply chain ten times larger (more than a year).
    let lots = if std::env::var_os("MADINI_SLOW_TESTS").is_some() {
        3000
    } else {
        300
    };
    let s = scenario(7, lots, vec![]);
    let (r, _) = audit(&s.main, None);
    eprintln!("clean: {} entries, {}", r.tree_size, summary(&r));
    assert_eq!(r.verdict, Verdict::Verified, "{:#?}", serious(&r));
    assert_eq!(r.tree_size, s.main.log.size());
}

fn expected_rules(f: Fraud) -> &'static [&'static str] {
    match f {
        Fraud::OverCapacity => &["site-capacity"],
        Fraud::RedSite => &["site-status"],
        Fraud::TagReuse => &["tag-reuse"],
        Fraud::MergeGain => &["merge-mass"],
        Fraud::MetalFromNothing => &["processing-metal"],
        Fraud::OverSelling => &["stock-balance"],
        Fraud::BackDated => &["back-dating"],
        Fraud::CertOriginOmitted => &["export-origin"],
        Fraud::UntaxedExport => &["untaxed-export"],
        Fraud::Teleport => &["teleport"],
    }
}

#[test]
fn each_fraud_yields_its_finding_and_no_other() {
    for f in Fraud::ALL {
        let s = scenario(11, 200, vec![f]);
        let planted: BTreeSet<String> = s.planted[0].lots.iter().cloned().collect();
        let (main, next) = audit(&s.main, None);
        let r = if f == Fraud::TagReuse {
            // The neighbour's lot reuses a tag of the main log.
            let mut a = next;
            let leaves = s.neighbour.log.leaves();
            a.push(0, leaves).unwrap();
            let key = ledger_core::note::NoteKey::new(
                s.neighbour.origin.as_str(),
                s.neighbour.log_key.public(),
            )
            .unwrap();
            let cp = open_checkpoint(&s.neighbour.checkpoint(), &key).unwrap();
            let r = a.finish(&cp);
            assert_eq!(main.verdict, Verdict::Verified, "{:#?}", serious(&main));
            r
        } else {
            main
        };
        let rules = expected_rules(f);
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|x| rules.contains(&x.rule.as_str()) && x.severity >= Severity::Error)
            .collect();
        assert!(
            !hits.is_empty(),
            "{f:?}: no {rules:?} finding; {}",
            summary(&r)
        );
        for h in &hits {
            assert!(
                h.lots.iter().any(|l| planted.contains(l)),
                "{f:?}: finding names {:?}, planted {planted:?}",
                h.lots
            );
        }
        let others: Vec<String> = r
            .findings
            .iter()
            .filter(|x| x.severity >= Severity::Error && !rules.contains(&x.rule.as_str()))
            .map(|x| format!("{} {:?}: {}", x.rule, x.lots, x.message.en))
            .collect();
        assert!(others.is_empty(), "{f:?}: other errors {others:#?}");
        assert_eq!(r.verdict, Verdict::Findings);
        eprintln!("{f:?}: {}", summary(&r));
    }
}
