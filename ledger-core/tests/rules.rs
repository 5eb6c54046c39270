//! Every hard rule of `spec/events.md` refuses its bad event with its own rule
//! id and leaves the log unchanged, while the valid counterpart is accepted;
//! every condition that a type's rules name has such a case of its own.

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

/// Every condition that a type's rules in `spec/events.md` (sections 4 to 6)
/// name, beyond the first case of each rule id, with the rule case that
/// breaks it: `(event type, condition, case name, rule)`. The case's refused
/// event, or for a condition about what is accepted its valid counterpart,
/// is of that type. One row per line, so `rustfmt` leaves the table alone.
#[rustfmt::skip]
const CONDITIONS: &[(&str, &str, &str, Rule)] = &[
    ("genesis", "weak log key", "genesis-weak-log-key", Rule::WeakKey),
    ("genesis", "weak authority key", "genesis-weak-authority-key", Rule::WeakKey),
    ("genesis", "actor without role authority", "genesis-not-authority", Rule::InvalidEvent),
    ("genesis", "actor id listed twice", "genesis-duplicate-actor", Rule::ActorExists),
    ("genesis", "key shared by two authorities", "genesis-duplicate-key", Rule::KeyExists),
    ("genesis", "log key reused by an authority", "genesis-authority-has-log-key", Rule::KeyExists),
    ("actor.register", "signer not an authority", "role-not-allowed", Rule::RoleNotAllowed),
    ("actor.register", "actor id taken", "actor-exists", Rule::ActorExists),
    ("actor.register", "weak key", "weak-key", Rule::WeakKey),
    ("actor.register", "key registered to another actor", "key-exists", Rule::KeyExists),
    ("actor.register", "key listed twice", "actor-register-key-listed-twice", Rule::InvalidEvent),
    ("key.rotate", "signed by another key, not an authority's", "key-rotate-role-not-allowed", Rule::RoleNotAllowed),
    ("key.rotate", "weak new key", "key-rotate-weak-key", Rule::WeakKey),
    ("key.rotate", "new key already registered", "key-rotate-key-exists", Rule::KeyExists),
    ("key.revoke", "old key not a key of the actor", "key-unknown", Rule::KeyUnknown),
    ("key.revoke", "signed by another actor, not an authority", "key-revoke-role-not-allowed", Rule::RoleNotAllowed),
    ("licence.grant", "licence id taken", "licence-exists", Rule::LicenceExists),
    ("licence.grant", "unknown holder", "licence-actor-unknown", Rule::ActorUnknown),
    ("licence.grant", "unknown site", "licence-site-unknown", Rule::SiteUnknown),
    ("licence.grant", "expires not after granted", "licence-expiry-not-after-grant", Rule::InvalidEvent),
    ("site.register", "site id taken", "site-exists", Rule::SiteExists),
    ("site.register", "country does not match the id", "site-register-country-mismatch", Rule::InvalidEvent),
    ("site.register", "unknown operator", "site-register-operator-unknown", Rule::ActorUnknown),
    ("site.register", "operator not a cooperative", "site-register-operator-not-cooperative", Rule::RoleNotAllowed),
    ("site.update", "country changed", "site-update-country-changed", Rule::InvalidEvent),
    ("site.update", "operator not a cooperative", "site-update-operator-not-cooperative", Rule::RoleNotAllowed),
    ("site.inspect", "signer not an inspector", "site-inspect-role-not-allowed", Rule::RoleNotAllowed),
    ("site.inspect", "inspection id taken at the site", "inspection-exists", Rule::InspectionExists),
    ("site.status", "unknown site", "site-unknown", Rule::SiteUnknown),
    ("tags.allocate", "first above last", "tags-allocate-first-after-last", Rule::InvalidEvent),
    ("tags.allocate", "last does not fit in width digits", "tags-allocate-too-wide", Rule::InvalidEvent),
    ("tags.allocate", "more than 1000000 tags", "tags-allocate-too-many", Rule::InvalidEvent),
    ("tags.allocate", "range overlaps an allocation", "tags-overlap", Rule::TagsOverlap),
    ("cert.issue", "unknown exporter", "cert-issue-exporter-unknown", Rule::ActorUnknown),
    ("cert.issue", "exporter without role exporter", "cert-issue-exporter-not-exporter", Rule::RoleNotAllowed),
    ("cert.issue", "expires not after issued", "cert-issue-expiry-not-after-issue", Rule::InvalidEvent),
    ("cert.issue", "unknown request", "request-unknown", Rule::RequestUnknown),
    ("lot.offer", "unknown receiver", "actor-unknown", Rule::ActorUnknown),
    ("lot.offer", "offer to oneself", "offer-to-oneself", Rule::InvalidEvent),
    ("lot.offer", "receiver without a custody role", "offer-receiver-without-custody-role", Rule::RoleNotAllowed),
    ("lot.split", "child id taken", "split-child-id-taken", Rule::LotExists),
    ("lot.split", "child id repeated", "split-child-repeated", Rule::InvalidEvent),
    ("lot.split", "child id is the parent's", "split-child-is-parent", Rule::InvalidEvent),
    ("lot.merge", "inputs of different minerals", "mineral-mismatch", Rule::MineralMismatch),
    ("lot.merge", "second input stale", "merge-second-input-stale", Rule::StaleHead),
    ("lot.merge", "second input not held", "merge-second-input-not-held", Rule::NotCustodian),
    ("lot.merge", "output is an input", "merge-output-is-input", Rule::InvalidEvent),
    ("lot.process", "signer not a processor", "role-not-allowed-process", Rule::RoleNotAllowed),
    ("lot.transport", "arrived before departed", "transport-arrived-before-departed", Rule::InvalidEvent),
    ("lot.store", "unknown warehouse", "store-warehouse-unknown", Rule::ActorUnknown),
    ("lot.export", "signer not an exporter", "export-role-not-allowed", Rule::RoleNotAllowed),
    ("lot.export", "another exporter's certificate", "cert-not-yours", Rule::CertNotYours),
    ("lot.correct", "not a figure event of the lot", "not-correctable", Rule::NotCorrectable),
    ("lot.correct", "grade for an export", "correct-grade-on-export", Rule::NotCorrectable),
    ("lot.correct", "neither the original signer nor an authority", "correct-wrong-signer", Rule::RoleNotAllowed),
    ("lot.correct", "accepted on a closed lot", "correct-on-closed-lot", Rule::LotClosed),
    ("incident.report", "anonymous key registered", "incident-anonymous-key-exists", Rule::KeyExists),
    ("incident.report", "anonymous key weak", "incident-anonymous-weak-key", Rule::WeakKey),
    ("incident.status", "signer neither authority nor inspector", "incident-status-role-not-allowed", Rule::RoleNotAllowed),
    ("incident.status", "unknown case", "case-unknown", Rule::CaseUnknown),
];

fn event_type(ev: &ledger_core::log::SignedEvent) -> String {
    serde_json::from_slice::<serde_json::Value>(&ev.bytes)
        .ok()
        .and_then(|v| v["type"].as_str().map(str::to_string))
        .unwrap_or_default()
}

#[test]
fn every_listed_condition_has_its_case() {
    let w = base_world();
    let cases = rule_cases(&w);
    let mut names = BTreeSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named {}", c.name);
    }
    for (ty, condition, name, rule) in CONDITIONS {
        let c = cases
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("{ty}, {condition}: no case {name}"));
        assert_eq!(c.rule, *rule, "{ty}, {condition}: case {name}");
        assert!(
            event_type(&c.bad) == *ty || c.good.as_ref().is_some_and(|g| event_type(g) == *ty),
            "{ty}, {condition}: case {name} is about {}",
            event_type(&c.bad)
        );
        // Every condition case has a counterpart, so a refusal cannot come from
        // something the case did not mean to break.
        assert!(
            c.good.is_some(),
            "{ty}, {condition}: case {name} has no counterpart"
        );
    }
}

/// The weak-key cases sign with a key that has a torsion component, and the
/// signature verifies under `verify_strict`: their refusal comes from the key
/// check, wherever it sits in the rule order, never from the signature.
#[test]
fn weak_key_cases_carry_signatures_that_verify() {
    let w = base_world();
    for name in ["genesis-weak-log-key", "incident-anonymous-weak-key"] {
        let c = rule_cases(&w).into_iter().find(|c| c.name == name).unwrap();
        let sub = c.bad.submission().unwrap();
        let pk = sub.embedded_key().unwrap();
        assert!(pk.check_strong().is_err(), "{name}: the key is weak");
        ledger_core::crypto::verify_event(&pk, &c.bad.bytes, &c.bad.signature)
            .unwrap_or_else(|_| panic!("{name}: the signature verifies"));
    }
}

/// `spec/events.md` section 3, rule 1: the checks made when an event is
/// decoded come before every rule that needs the ledger state, so an event
/// that breaks both is `invalid-event`, whatever else it breaks.
#[test]
fn decode_time_checks_come_before_every_ledger_rule() {
    use ledger_core::event::{Body, Event, LotSplit, SplitChild, TagsAllocate};
    use ledger_core::types::{Millis, TagWidth};
    use ledger_core::world::{grade, grams, id, site_id};
    let w = base_world();
    let refuse = |ev: &ledger_core::log::SignedEvent| w.log.clone().submit(ev, 0).unwrap_err();
    // A split naming the parent as a child is invalid-event, not lot-exists,
    // even when signed by someone who does not hold the lot.
    let split = Body::LotSplit(LotSplit {
        lot: id("L1"),
        prev: w.head("L1"),
        children: ["L1", "L1b"]
            .iter()
            .map(|c| SplitChild {
                lot: id(c),
                mass_g: grams(25_000),
                grade_bp: grade(6500),
            })
            .collect(),
    });
    assert_eq!(refuse(&w.sign("TR2", split)).rule, Rule::InvalidEvent);
    // Bad tag bounds, signed by a trader, for an unknown site, for another
    // log: invalid-event before role-not-allowed, site-unknown and wrong-log.
    let tags = Body::TagsAllocate(TagsAllocate {
        site: site_id("CD-0.0000+00.0000-99999"),
        prefix: id("CD27"),
        width: TagWidth(2),
        first: 5,
        last: 100,
    });
    let mut other_log = ledger_core::world::World::new("other.example/log", "CD");
    other_log.now = w.now;
    let ev = other_log.sign("TR1", tags);
    assert_eq!(refuse(&ev).rule, Rule::InvalidEvent);
    // A genesis with a non-authority, in a log that already has one: the
    // decoding refuses it before genesis-repeated.
    let mut rec = w.actor_record(
        "AUTH9",
        "Registry",
        "CD",
        &[ledger_core::types::Role::Trader],
    );
    rec.keys = vec![w.public("AUTH9")];
    let genesis = Event {
        log: w.origin.clone(),
        key: w.log_key.public().key_id(),
        time: Millis(w.now),
        body: Body::Genesis(ledger_core::event::Genesis {
            log_key: w.log_key.public(),
            authorities: vec![rec],
        }),
    };
    let ev = ledger_core::log::SignedEvent::sign(&genesis, &w.log_key).unwrap();
    assert_eq!(refuse(&ev).rule, Rule::InvalidEvent);
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
