//! The verifier against the scenario generator: the clean supply chain has
//! no error or critical finding; each planted fraud yields its rule's
//! finding naming exactly the planted lots (and the lots the log shows are
//! involved with them), and no other error or critical finding.

use std::collections::BTreeMap;

use ledger_core::event::{Body, Event};
use ledger_core::leaf::Leaf;
use ledger_core::note::open_checkpoint;
use ledger_core::scenario::{Config, Fraud, Scenario, generate};
use ledger_core::verify::{Auditor, Finding, Policy, Report, Severity, Verdict};
use ledger_core::world::{DAY, World};

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
        *rules.entry((f.rule.to_string(), f.severity)).or_default() += 1;
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
    // MADINI_SLOW_TESTS runs a supply chain ten times larger (more than a
    // year); MADINI_CLEAN_LOTS and MADINI_CLEAN_SEEDS (comma-separated) set
    // the size and seeds exactly, for the false-alarm counts of a release
    // run (`cargo test --release -p ledger-core --test verifier clean -- --nocapture`).
    let env = |k: &str| std::env::var(k).ok();
    let lots = env("MADINI_CLEAN_LOTS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if env("MADINI_SLOW_TESTS").is_some() {
            3000
        } else {
            300
        });
    let seeds: Vec<u64> = env("MADINI_CLEAN_SEEDS")
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![7]);
    for seed in seeds {
        let s = scenario(seed, lots, vec![]);
        let (r, _) = audit(&s.main, None);
        let counts = r.counts.clone();
        eprintln!(
            "clean seed {seed}: {} entries, counts {counts:?}, {}",
            r.tree_size,
            summary(&r)
        );
        assert_eq!(
            r.verdict,
            Verdict::Verified,
            "seed {seed}: {:#?}",
            serious(&r)
        );
        assert_eq!(r.tree_size, s.main.log.size());
    }
}

/// Planted cases whose finding is a warning: the log still verifies.
fn warns_only(f: Fraud) -> bool {
    matches!(f, Fraud::HeavyPackage | Fraud::FarFromSite)
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
        Fraud::ImpossibleGrade => &["grade-impossible"],
        Fraud::LapsedLicence => &["licence-lapsed"],
        Fraud::ForeignCooperative => &["operator-country"],
        Fraud::HeavyPackage => &["package-mass"],
        Fraud::SiteAcrossBorder => &["site-outside-country"],
        Fraud::FarFromSite => &["gps-far"],
        Fraud::BeforeSite => &["before-site-registered"],
        Fraud::InspectionAhead => &["inspection-after-record"],
        Fraud::StolenKey => &["claimed-after-revocation"],
    }
}

/// Every event of a log, by index.
fn events(w: &World) -> Vec<Event> {
    w.log
        .leaves()
        .iter()
        .map(|l| Event::decode(&Leaf::decode(l).unwrap().event).unwrap())
        .collect()
}

/// The lot an event acts on (the output, for a merge or processing).
fn lot_of(ev: &Event) -> Option<String> {
    let l = match &ev.body {
        Body::LotRegister(b) => &b.lot,
        Body::LotOffer(b) => &b.lot,
        Body::LotAccept(b) => &b.lot,
        Body::LotSplit(b) => &b.lot,
        Body::LotMerge(b) => &b.lot,
        Body::LotProcess(b) => &b.lot,
        Body::LotTransport(b) => &b.lot,
        Body::LotStore(b) => &b.lot,
        Body::LotTax(b) => &b.lot,
        Body::LotExport(b) => &b.lot,
        _ => return None,
    };
    Some(l.to_string())
}

/// The index of the only event of type `kind` on `lot`.
fn only_event(evs: &[Event], kind: &str, lot: &str) -> u64 {
    let found: Vec<u64> = (0..evs.len())
        .filter(|&k| evs[k].type_name() == kind && lot_of(&evs[k]).as_deref() == Some(lot))
        .map(|k| k as u64)
        .collect();
    assert_eq!(found.len(), 1, "{kind} events on {lot}: {found:?}");
    found[0]
}

/// Registrations of a log: lot -> (index, site, tag).
fn registrations(evs: &[Event]) -> BTreeMap<String, (u64, String, String)> {
    let mut out = BTreeMap::new();
    for (k, ev) in evs.iter().enumerate() {
        if let Body::LotRegister(b) = &ev.body {
            let tag = b.tag.as_str().to_string();
            out.insert(b.lot.to_string(), (k as u64, b.site.to_string(), tag));
        }
    }
    out
}

/// Site capacity recomputed naively (`spec/verifier.md` rule 6, default
/// 10 % tolerance): for each registration at `site`, in log order, the mass
/// registered there with claimed times in (t - days, t] among the
/// registrations seen so far; the runs of registrations over capacity.
fn capacity_excursions(evs: &[Event], site: &str) -> Vec<Vec<String>> {
    let mut cap = None;
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut open = false;
    for ev in evs {
        match &ev.body {
            Body::SiteRegister(b) if b.site.id.to_string() == site => {
                cap = Some((b.site.capacity.mass_g.0, u64::from(b.site.capacity.days.0)));
            }
            Body::SiteUpdate(b) if b.site.id.to_string() == site => {
                cap = Some((b.site.capacity.mass_g.0, u64::from(b.site.capacity.days.0)));
            }
            Body::LotRegister(b) if b.site.to_string() == site => {
                let (mass, days) = cap.expect("site registered");
                let t = ev.time.0;
                seen.push((t, b.mass_g.0));
                let from = t.saturating_sub(days * DAY);
                let window: u64 = seen
                    .iter()
                    .filter(|(at, _)| *at > from && *at <= t)
                    .map(|x| x.1)
                    .sum();
                if u128::from(window) * 10_000 > u128::from(mass) * 11_000 {
                    if !open {
                        runs.push(Vec::new());
                    }
                    open = true;
                    runs.last_mut().unwrap().push(b.lot.to_string());
                } else {
                    open = false;
                }
            }
            _ => {}
        }
    }
    runs
}

#[test]
fn each_fraud_yields_its_finding_and_no_other() {
    // MADINI_SLOW_TESTS plants each fraud in a supply chain five times larger.
    let lots = if std::env::var_os("MADINI_SLOW_TESTS").is_some() {
        1000
    } else {
        200
    };
    for f in Fraud::ALL {
        let s = scenario(11, lots, vec![f]);
        let planted: Vec<String> = s.planted[0].lots.clone();
        let evs = events(&s.main);
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
            .filter(|x| rules.contains(&x.rule.as_str()))
            .filter(|x| x.severity >= Severity::Error || warns_only(f))
            .collect();
        let shown = format!("{f:?}: planted {planted:?}, findings {hits:#?}");
        let at = |h: &Finding| -> Vec<(u64, String)> {
            h.events.iter().map(|e| (e.index, e.kind.clone())).collect()
        };
        let one = |kind: &str, lot: &str| vec![(only_event(&evs, kind, lot), kind.to_string())];
        // The lots each finding must name, exactly, derived from what the
        // scenario planted and the log itself.
        match f {
            Fraud::RedSite
            | Fraud::BackDated
            | Fraud::ImpossibleGrade
            | Fraud::LapsedLicence
            | Fraud::ForeignCooperative
            | Fraud::HeavyPackage
            | Fraud::FarFromSite
            | Fraud::BeforeSite => {
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].lots, planted, "{shown}");
                assert_eq!(at(hits[0]), one("lot.register", &planted[0]), "{shown}");
            }
            Fraud::SiteAcrossBorder | Fraud::InspectionAhead => {
                // The registry's own record: the entry that placed or
                // inspected the planted lot's site, naming no lot.
                let kind = if f == Fraud::SiteAcrossBorder {
                    "site.register"
                } else {
                    "site.inspect"
                };
                let site = registrations(&evs)[&planted[0]].1.clone();
                let k = (0..evs.len())
                    .find(|&k| {
                        evs[k].type_name() == kind
                            && match &evs[k].body {
                                Body::SiteRegister(b) => b.site.id.as_str() == site,
                                Body::SiteInspect(b) => b.site.as_str() == site,
                                _ => false,
                            }
                    })
                    .unwrap();
                assert_eq!(hits.len(), 1, "{shown}");
                assert!(hits[0].lots.is_empty(), "{shown}");
                assert_eq!(at(hits[0]), [(k as u64, kind.to_string())], "{shown}");
            }
            Fraud::StolenKey => {
                // The storage the lost phone signed, then the revocation.
                let k = only_event(&evs, "lot.store", &planted[0]);
                assert_eq!(hits.len(), 1, "{shown}");
                let e = at(hits[0]);
                assert_eq!(e[0], (k, "lot.store".to_string()), "{shown}");
                assert_eq!(e[1].1, "key.revoke", "{shown}");
            }
            Fraud::Teleport => {
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].lots, planted, "{shown}");
                assert_eq!(at(hits[0]), one("lot.transport", &planted[0]), "{shown}");
            }
            Fraud::CertOriginOmitted | Fraud::UntaxedExport => {
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].lots, planted, "{shown}");
                assert_eq!(at(hits[0]), one("lot.export", &planted[0]), "{shown}");
            }
            Fraud::MergeGain | Fraud::MetalFromNothing => {
                // The planted lot is the output; the finding names the
                // inputs too, in the event's order, then the output.
                let kind = if f == Fraud::MergeGain {
                    "lot.merge"
                } else {
                    "lot.process"
                };
                let k = only_event(&evs, kind, &planted[0]);
                let inputs = match &evs[k as usize].body {
                    Body::LotMerge(b) => &b.inputs,
                    Body::LotProcess(b) => &b.inputs,
                    _ => unreachable!(),
                };
                let mut want: Vec<String> = inputs.iter().map(|i| i.lot.to_string()).collect();
                want.extend(planted.iter().cloned());
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].lots, want, "{shown}");
                assert_eq!(at(hits[0]), [(k, kind.to_string())], "{shown}");
            }
            Fraud::TagReuse => {
                // The neighbour's lot, then the main log's lot that wore
                // the tag first.
                let theirs = registrations(&events(&s.neighbour));
                let (nk, _, tag) = theirs[&planted[0]].clone();
                let ours = registrations(&evs);
                let first: Vec<(&String, u64)> = ours
                    .iter()
                    .filter(|(_, r)| r.2 == tag)
                    .map(|(l, r)| (l, r.0))
                    .collect();
                assert_eq!(first.len(), 1, "{shown}");
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].severity, Severity::Critical, "{shown}");
                assert_eq!(hits[0].lots, [planted[0].clone(), first[0].0.clone()]);
                assert_eq!(at(hits[0]), [(nk, "lot.register".to_string())], "{shown}");
                assert_eq!(hits[0].figures["other_index"], first[0].1 as i64);
            }
            Fraud::OverSelling => {
                // At once against the lot: handed over more than it held...
                assert_eq!(hits.len(), 2, "{shown}");
                let (lot_level, running) = (hits[0], hits[1]);
                assert_eq!(lot_level.lots, planted, "{shown}");
                let (handed, held) = (
                    lot_level.figures["handed_over_g"],
                    lot_level.figures["held_g"],
                );
                // The trader's offer: the lot's last, stating the mass flagged.
                let offers: Vec<usize> = (0..evs.len())
                    .filter(|&k| {
                        evs[k].type_name() == "lot.offer"
                            && lot_of(&evs[k]).as_deref() == Some(planted[0].as_str())
                    })
                    .collect();
                let k = *offers.last().unwrap();
                assert_eq!(
                    at(lot_level),
                    [(k as u64, "lot.offer".to_string())],
                    "{shown}"
                );
                let Body::LotOffer(o) = &evs[k].body else {
                    unreachable!()
                };
                assert_eq!(o.mass_g.0 as i64, handed, "{shown}");
                let extra = handed - held;
                assert!(extra > 0, "{shown}");
                // ...and, once its other stock ran out, the giver's running
                // stock: negative by at most the extra, naming the planted
                // lot and the one whose handover took it below zero.
                let giver = &lot_level.actors[0];
                assert_eq!(&running.actors[..], std::slice::from_ref(giver), "{shown}");
                let e = &running.events[0];
                let mut want = planted.clone();
                want.extend(lot_of(&evs[e.index as usize]));
                want.dedup();
                assert_eq!(running.lots, want, "{shown}");
                let stock = running.figures["stock_g"];
                assert!((-extra..0).contains(&stock), "{shown}");
            }
            Fraud::OverCapacity => {
                // One excursion: the lots registered at the site while it
                // was over capacity, recomputed from the log. The burst
                // pushes it over, so the first planted lots are not named,
                // and the site's ordinary lots registered before the window
                // slid back are.
                let regs = registrations(&evs);
                let site = regs[&planted[0]].1.clone();
                assert!(planted.iter().all(|l| regs[l].1 == site), "{shown}");
                let runs = capacity_excursions(&evs, &site);
                assert_eq!(runs.len(), 1, "{runs:?}");
                assert_eq!(hits.len(), 1, "{shown}");
                assert_eq!(hits[0].lots, runs[0], "{shown}");
                let named_planted: Vec<&String> = hits[0]
                    .lots
                    .iter()
                    .filter(|l| planted.contains(l))
                    .collect();
                let tail: Vec<&String> = planted[planted.len() - named_planted.len()..]
                    .iter()
                    .collect();
                assert!(!named_planted.is_empty(), "{shown}");
                assert_eq!(named_planted, tail, "{shown}");
                let want: Vec<(u64, String)> = runs[0]
                    .iter()
                    .map(|l| (regs[l].0, "lot.register".to_string()))
                    .collect();
                assert_eq!(at(hits[0]), want, "{shown}");
            }
        }
        let others: Vec<String> = r
            .findings
            .iter()
            .filter(|x| x.severity >= Severity::Error && !rules.contains(&x.rule.as_str()))
            .map(|x| format!("{} {:?}: {}", x.rule, x.lots, x.message.en))
            .collect();
        assert!(others.is_empty(), "{f:?}: other errors {others:#?}");
        let verdict = if warns_only(f) {
            Verdict::Verified
        } else {
            Verdict::Findings
        };
        assert_eq!(r.verdict, verdict, "{f:?}");
        eprintln!("{f:?}: {}", summary(&r));
    }
}
