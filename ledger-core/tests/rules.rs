//! Every hard rule of `spec/events.md` refuses its bad event with its own rule
//! id and leaves the log unchanged, while the valid counterpart is accepted.

use std::collections::BTreeSet;

use ledger_core::log::MemLog;
use ledger_core::rules::Rule;
use ledger_core::vectors::{base_world, rule_cases};

fn start(from_empty: bool, base: &MemLog) -> MemLog {
    if from_empty {
        MemLog::new()
    } else {
        base.clone()
    }
}

#[test]
fn every_rule_refuses_its_case_and_accepts_the_counterpart() {
    let w = base_world();
    let cases = rule_cases(&w);
    let mut covered = BTreeSet::new();
    for c in &cases {
        let mut log = start(c.from_empty, &w.log);
        for (i, s) in c.setup.iter().enumerate() {
            log.submit(s, 0)
                .unwrap_or_else(|e| panic!("{}: setup event {i} refused: {e}", c.name));
        }
        let (size, root) = (log.size(), log.root());
        let refusal = log
            .submit(&c.bad, 0)
            .err()
            .unwrap_or_else(|| panic!("{}: the bad event was accepted", c.name));
        assert_eq!(
            refusal.rule, c.rule,
            "{}: refused for the wrong rule: {refusal}",
            c.name
        );
        assert!(!refusal.message.is_empty());
        assert_eq!(
            (log.size(), log.root()),
            (size, root),
            "{}: a refused event changed the log",
            c.name
        );
        if let Some(good) = &c.good {
            log.submit(good, 0)
                .unwrap_or_else(|e| panic!("{}: the valid counterpart was refused: {e}", c.name));
        }
        covered.insert(c.rule);
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .filter(|r| !matches!(r, Rule::Storage | Rule::InvalidLeaf) && !covered.contains(r))
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn replaying_the_base_log_gives_the_same_state() {
    let w = base_world();
    let replayed = ledger_core::vectors::replay_all(w.log.leaves()).expect("base log replays");
    assert_eq!(replayed.root(), w.log.root());
    assert_eq!(replayed.size(), w.log.size());
}

#[test]
fn replay_refuses_a_broken_chain_and_a_bad_leaf() {
    let w = base_world();
    let leaves = w.log.leaves();
    // Swapping two entries breaks the previous-leaf chain.
    let mut swapped = leaves.to_vec();
    swapped.swap(3, 4);
    let err = ledger_core::vectors::replay_all(&swapped).unwrap_err();
    assert_eq!(err.rule, Rule::InvalidLeaf, "{err}");
    assert!(err.message.contains("entry 3"), "{err}");
    // A leaf with version 2.
    let mut bad = leaves.to_vec();
    bad[5][0] = 2;
    let err = ledger_core::vectors::replay_all(&bad).unwrap_err();
    assert_eq!(err.rule, Rule::InvalidLeaf);
    // Dropping an entry breaks the chain at the next one.
    let mut dropped = leaves.to_vec();
    dropped.remove(7);
    let err = ledger_core::vectors::replay_all(&dropped).unwrap_err();
    assert_eq!(err.rule, Rule::InvalidLeaf);
    // A duplicated entry is refused too.
    let mut dup = leaves.to_vec();
    dup.insert(8, leaves[7].clone());
    assert!(ledger_core::vectors::replay_all(&dup).is_err());
}

#[test]
fn lot_state_follows_custody() {
    let w = base_world();
    use ledger_core::state::{LotStatus, StateRead};
    let s = &w.log.state;
    let l1 = s.lot("L1").unwrap().unwrap();
    assert_eq!(l1.custodian.as_str(), "TR1");
    assert_eq!(l1.status, LotStatus::Open);
    let l2 = s.lot("L2").unwrap().unwrap();
    assert_eq!(
        l2.custodian.as_str(),
        "COOP1",
        "an offer does not move custody"
    );
    assert_eq!(l2.pending_offer.as_ref().map(|a| a.as_str()), Some("TR1"));
    assert_eq!(s.lot("P1").unwrap().unwrap().status, LotStatus::Split);
    assert_eq!(s.lot("M1").unwrap().unwrap().status, LotStatus::Processed);
    assert_eq!(s.lot("P1a").unwrap().unwrap().status, LotStatus::Exported);
    let l9 = s.lot("L9").unwrap().unwrap();
    assert_eq!(l9.mass.0, 33_000, "the correction changed the current mass");
    let l8 = s.lot("L8").unwrap().unwrap();
    assert_eq!(
        l8.custodian.as_str(),
        "COOP1",
        "a refused offer leaves custody"
    );
    assert!(l8.pending_offer.is_none());
}
