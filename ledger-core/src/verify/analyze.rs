//! The findings of `spec/verifier.md` section 3, computed in one pass over
//! the log: each entry is shown to `Analyzer::observe` with the ledger
//! state as it was just before the entry, then committed by the caller.
//! Memory grows with lots, sites and actors, not with entries.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::policy::{Bp, Policy};
use super::{Arg, EventRef, Finding, FindingRule, Severity, Texts, msg};
use crate::event::{Body, Event, Point};
use crate::hash::Hash;
use crate::rules::{Refusal, Rule};
use crate::state::{LotState, SiteState, StateError, StateRead};
use crate::text::{kg, percent as pct};
use crate::types::{Id, Mineral};

mod plausible;

const DAY: u64 = 86_400_000;
const HOUR: u64 = 3_600_000;

/// An entry as the analyzer sees it.
#[derive(Clone, Copy, Debug)]
pub struct Seen<'a> {
    /// Log index.
    pub index: u64,
    /// Leaf hash.
    pub leaf_hash: &'a Hash,
    /// Record time, ms.
    pub record_time: u64,
    /// The event.
    pub event: &'a Event,
    /// Its event hash.
    pub event_hash: &'a Hash,
    /// The actor that signed it, if an actor did.
    pub signer: Option<&'a Id>,
}

/// Where a tag was used, in this log or another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagSeen {
    /// Log origin.
    pub origin: String,
    /// The lot it was attached to.
    pub lot: String,
    /// Log index of the registration.
    pub index: u64,
}

/// A lot's origin countries (ISO 3166-1 alpha-2 codes, two ASCII bytes
/// each), sorted and without repeats. A log has a LotInfo per lot, and a set
/// of strings costs a tree node and a string per lot (about 300 bytes) where
/// this costs a few.
#[derive(Clone, Debug, Default)]
struct Countries(Vec<[u8; 2]>);

impl Countries {
    fn one(code: &str) -> Countries {
        let mut c = Countries::default();
        c.add(code);
        c
    }

    fn add(&mut self, code: &str) {
        // Codes come from validated `Country` and site ids: two bytes.
        if let [a, b] = code.as_bytes() {
            let k = [*a, *b];
            if let Err(i) = self.0.binary_search(&k) {
                self.0.insert(i, k);
            }
        }
    }

    fn extend(&mut self, other: &Countries) {
        for k in &other.0 {
            if let Err(i) = self.0.binary_search(k) {
                self.0.insert(i, *k);
            }
        }
    }

    /// The codes not in `declared`, in order.
    fn missing_from(&self, declared: &BTreeSet<String>) -> Vec<String> {
        self.0
            .iter()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .filter(|c| !declared.contains(c))
            .collect()
    }
}

#[derive(Clone, Debug, Default)]
struct LotInfo {
    mineral: Option<Mineral>,
    countries: Countries,
    taxed: bool,
    eligible: bool,
    last_time: u64,
    place: Option<(Point, u64)>,
    custodian: Option<Id>,
    offer: Option<Offer>,
    parents: Vec<Id>,
    site: Option<String>,
}

#[derive(Clone, Debug)]
struct Offer {
    mass: u64,
    grade: u64,
    giver: Id,
    at: EventRef,
}

#[derive(Clone, Debug, Default)]
struct SiteInfo {
    /// The claimed time of its registration.
    registered: u64,
    /// Status records: (date, status MDC.01, is an inspection), in log
    /// order (not date order: see `status_at`).
    history: Vec<(u64, u8, bool)>,
    /// Mass registered, by claimed time (summed when two registrations
    /// claim the same millisecond): all the capacity window needs; the
    /// finding names lots and events from the registration at hand.
    regs: BTreeMap<u64, u64>,
    /// Index into `findings` of the capacity finding still open, if any.
    over: Option<usize>,
    lots: Vec<Id>,
}

/// Computes findings while the log is replayed.
pub struct Analyzer {
    policy: Policy,
    origin: String,
    findings: Vec<Finding>,
    /// Boxed: a table of 2^18 slots holds 133k lots, and an empty slot of
    /// an inline LotInfo (about 260 bytes) costs as much as a full one.
    lots: HashMap<Id, Box<LotInfo>>,
    children: HashMap<Id, Vec<Id>>,
    sites: HashMap<String, SiteInfo>,
    stock: HashMap<(Id, Mineral), i128>,
    stock_low: HashSet<(Id, Mineral)>,
    /// Lots an actor handed over beyond what it held, by actor and mineral.
    oversold: HashMap<(Id, Mineral), Vec<String>>,
    cert_exported: HashMap<Id, u64>,
    cert_checked: HashSet<Id>,
    tags: HashMap<String, TagSeen>,
    foreign: HashMap<String, TagSeen>,
    cases: Vec<(Hash, crate::event::Subjects, EventRef)>,
    partial: bool,
    /// Licences granted for a site: (granted, expires, minerals).
    licences: HashMap<String, Vec<(u64, u64, Vec<Mineral>)>>,
    /// Per signing key, the latest time an event it signed claims, and that
    /// entry's index, leaf hash and type.
    key_claims: HashMap<crate::crypto::KeyId, (u64, u64, Hash, &'static str)>,
}

pub(super) fn exceeds(a: u64, reference: u64, tol: Bp) -> bool {
    u128::from(a) * 10_000 > u128::from(reference) * u128::from(10_000 + tol)
}

pub(super) fn below(a: u64, reference: u64, tol: Bp) -> bool {
    u128::from(a) * 10_000 < u128::from(reference) * u128::from(10_000u64.saturating_sub(tol))
}

/// `part` as basis points of `whole` (rounded down).
pub(super) fn ratio_bp(part: u128, whole: u128) -> i64 {
    if whole == 0 {
        return i64::MAX;
    }
    i64::try_from(part * 10_000 / whole).unwrap_or(i64::MAX)
}

fn gp(bp: u64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Great-circle distance in metres between two points in microdegrees
/// (haversine on a 6 371 km sphere). Floating point is fine here: it is a
/// plausibility check, never signed data.
pub fn distance_m(a: Point, b: Point) -> f64 {
    let to_rad = |v: i64| (v as f64 / 1e6).to_radians();
    let (la1, lo1, la2, lo2) = (
        to_rad(a.lat_e6.0),
        to_rad(a.lon_e6.0),
        to_rad(b.lat_e6.0),
        to_rad(b.lon_e6.0),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

struct F {
    rule: FindingRule,
    severity: Severity,
    lots: Vec<String>,
    events: Vec<EventRef>,
    actors: Vec<String>,
    figures: Vec<(&'static str, i64)>,
    tolerance: Option<String>,
    msg: Texts,
}

impl F {
    fn build(self) -> Finding {
        debug_assert!(
            self.rule.severities().contains(&self.severity),
            "{} is never {:?} (spec/verifier.md section 3)",
            self.rule,
            self.severity
        );
        Finding {
            rule: self.rule,
            family: self.rule.family(),
            severity: self.severity,
            lots: self.lots,
            events: self.events,
            actors: self.actors,
            figures: self
                .figures
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            tolerance: self.tolerance,
            message: self.msg,
        }
    }
}

fn here(s: &Seen<'_>) -> EventRef {
    EventRef {
        index: s.index,
        leaf_hash: s.leaf_hash.to_base64(),
        kind: s.event.type_name().to_string(),
    }
}

fn lots_of(ev: &Event) -> Vec<String> {
    let one = |l: &Id| vec![l.to_string()];
    match &ev.body {
        Body::LotRegister(b) => one(&b.lot),
        Body::LotOffer(b) => one(&b.lot),
        Body::LotAccept(b) => one(&b.lot),
        Body::LotRefuse(b) => one(&b.lot),
        Body::LotSplit(b) => one(&b.lot),
        Body::LotMerge(b) => one(&b.lot),
        Body::LotProcess(b) => one(&b.lot),
        Body::LotTransport(b) => one(&b.lot),
        Body::LotStore(b) => one(&b.lot),
        Body::LotTax(b) => one(&b.lot),
        Body::LotExport(b) => one(&b.lot),
        Body::LotCorrect(b) => one(&b.lot),
        _ => Vec::new(),
    }
}

impl Analyzer {
    /// An analyzer for the log `origin` under `policy`.
    pub fn new(origin: &str, policy: Policy) -> Analyzer {
        Analyzer {
            policy,
            origin: origin.into(),
            findings: Vec::new(),
            lots: HashMap::new(),
            children: HashMap::new(),
            sites: HashMap::new(),
            stock: HashMap::new(),
            stock_low: HashSet::new(),
            oversold: HashMap::new(),
            cert_exported: HashMap::new(),
            cert_checked: HashSet::new(),
            tags: HashMap::new(),
            foreign: HashMap::new(),
            cases: Vec::new(),
            partial: false,
            licences: HashMap::new(),
            key_claims: HashMap::new(),
        }
    }

    /// For a partial view of the log (a bundle): rules that need every
    /// entry (running stock, site capacity) are not computed.
    pub fn partial(mut self) -> Analyzer {
        self.partial = true;
        self
    }

    /// The same analyzer for the log `origin` (learned from its genesis).
    pub fn rename(mut self, origin: &str) -> Analyzer {
        self.origin = origin.into();
        self
    }

    /// Tags used in other logs this verifier knows of (rule 8 across logs).
    pub fn with_foreign_tags(mut self, tags: HashMap<String, TagSeen>) -> Analyzer {
        self.foreign = tags;
        self
    }

    /// Every tag attached in this log so far.
    pub fn tags(&self) -> &HashMap<String, TagSeen> {
        &self.tags
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    fn push(&mut self, f: F) -> usize {
        self.findings.push(f.build());
        self.findings.len() - 1
    }

    /// An entry that broke a hard rule: the log contains what the rules forbid.
    pub fn refused(&mut self, s: &Seen<'_>, r: &Refusal) {
        let lots = lots_of(s.event);
        let n = s.index;
        let why = &r.message;
        let (rule, msg) = if r.rule == Rule::StaleHead {
            (
                FindingRule::DoubleSpend,
                msg!("finding-double-spend", n, why),
            )
        } else {
            let id = r.rule.to_string();
            (
                FindingRule::LogBreaksRule,
                msg!("finding-log-breaks-rule", n, id, why),
            )
        };
        self.push(F {
            rule,
            severity: Severity::Critical,
            lots,
            events: vec![here(s)],
            actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
            figures: Vec::new(),
            tolerance: None,
            msg,
        });
    }

    /// Observes an entry that applied, with `state` as it was just before it.
    ///
    /// # Errors
    /// Only a failing state reader.
    pub fn observe<S: StateRead + ?Sized>(
        &mut self,
        state: &S,
        s: &Seen<'_>,
    ) -> Result<(), StateError> {
        self.time_checks(s);
        self.plausible(s);
        let t = s.event.time.0;
        match &s.event.body {
            Body::SiteRegister(b) => {
                let e = self.sites.entry(b.site.id.to_string()).or_default();
                e.registered = t;
            }
            Body::SiteInspect(b) => {
                let e = self.sites.entry(b.site.to_string()).or_default();
                e.history
                    .push((b.inspection.date.0, b.inspection.result.0, true));
            }
            Body::SiteStatus(b) => {
                let e = self.sites.entry(b.site.to_string()).or_default();
                e.history.push((t, b.status.0, false));
            }
            Body::LotRegister(b) => self.register(state, s, b)?,
            Body::LotOffer(b) => {
                if let Some(l) = state.lot(&b.lot)? {
                    let g = u64::from(b.grade_bp.0);
                    if g != u64::from(l.grade.0) {
                        self.grade_possible(s, &b.lot, l.mineral, g);
                    }
                    self.offer(s, &l, b.mass_g.0, u64::from(b.grade_bp.0), &b.to);
                }
            }
            Body::LotAccept(b) => {
                if let Some(l) = state.lot(&b.lot)? {
                    let g = u64::from(b.grade_bp.0);
                    if g != u64::from(l.grade.0) {
                        self.grade_possible(s, &b.lot, l.mineral, g);
                    }
                    self.accept(s, &l, b.mass_g.0, u64::from(b.grade_bp.0));
                }
            }
            Body::LotRefuse(b) => {
                self.touch(&b.lot, t, s);
                if let Some(info) = self.lots.get_mut(&b.lot) {
                    info.offer = None;
                }
            }
            Body::LotSplit(b) => {
                if let Some(l) = state.lot(&b.lot)? {
                    for c in &b.children {
                        self.grade_possible(s, &c.lot, l.mineral, u64::from(c.grade_bp.0));
                    }
                    self.split(s, &l, b);
                }
            }
            Body::LotMerge(b) => {
                let inputs = self.inputs(state, &b.inputs)?;
                if let Some(first) = inputs.first() {
                    self.grade_possible(s, &b.lot, first.mineral, u64::from(b.grade_bp.0));
                }
                self.combine(
                    s,
                    &inputs,
                    &b.lot,
                    b.mass_g.0,
                    u64::from(b.grade_bp.0),
                    false,
                );
            }
            Body::LotProcess(b) => {
                let inputs = self.inputs(state, &b.inputs)?;
                if let Some(first) = inputs.first() {
                    self.grade_possible(s, &b.lot, first.mineral, u64::from(b.grade_bp.0));
                }
                self.combine(
                    s,
                    &inputs,
                    &b.lot,
                    b.mass_g.0,
                    u64::from(b.grade_bp.0),
                    true,
                );
            }
            Body::LotTransport(b) => self.transport(s, b),
            Body::LotStore(b) => {
                self.touch(&b.lot, t, s);
                if let Some(p) = b.place.point() {
                    self.moved(s, &b.lot, p, t, t);
                }
            }
            Body::LotTax(b) => {
                self.touch(&b.lot, t, s);
                self.lots.entry(b.lot.clone()).or_default().taxed = true;
            }
            Body::CertIssue(b) => self.cert_issue(state, s, &b.cert)?,
            Body::LotExport(b) => {
                if let Some(l) = state.lot(&b.lot)? {
                    let cert = state.cert(&b.cert)?;
                    self.export(s, &l, b, cert.as_ref());
                }
            }
            Body::LotCorrect(b) => {
                if let Some(g) = b.grade_bp
                    && let Some(l) = state.lot(&b.lot)?
                {
                    self.grade_possible(s, &b.lot, l.mineral, u64::from(g.0));
                }
                self.correct(state, s, b)?;
            }
            Body::IncidentReport(b) => {
                self.cases
                    .push((*s.event_hash, b.subjects.clone(), here(s)));
            }
            _ => {}
        }
        Ok(())
    }

    fn time_checks(&mut self, s: &Seen<'_>) {
        let t = s.event.time.0;
        let p = &self.policy.time;
        let lots = lots_of(s.event);
        let lot_event = !lots.is_empty();
        if s.record_time > t && s.record_time - t > p.backdating_days * DAY {
            let days = (s.record_time - t) / DAY;
            let max = p.backdating_days;
            let n = s.index;
            self.push(F {
                rule: FindingRule::BackDating,
                severity: if lot_event {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                lots,
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![
                    ("claimed_ms", i(t)),
                    ("recorded_ms", i(s.record_time)),
                    ("delay_days", i(days)),
                ],
                tolerance: Some(format!("{max} days")),
                msg: msg!("finding-back-dating", n, days, max),
            });
        } else if t > s.record_time + p.future_slack_minutes * 60_000 {
            let mins = (t - s.record_time) / 60_000;
            let n = s.index;
            self.push(F {
                rule: FindingRule::FutureDated,
                severity: Severity::Warning,
                lots,
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![("claimed_ms", i(t)), ("recorded_ms", i(s.record_time))],
                tolerance: Some(format!("{} minutes", p.future_slack_minutes)),
                msg: msg!("finding-future-dated", n, mins),
            });
        }
    }

    /// Ordering: a lot event should not claim a time before its predecessor's.
    fn touch(&mut self, lot: &Id, t: u64, s: &Seen<'_>) {
        let slack = self.policy.time.order_slack_hours * HOUR;
        let Some(info) = self.lots.get_mut(lot) else {
            return;
        };
        let last = info.last_time;
        info.last_time = info.last_time.max(t);
        if t + slack < last {
            let hours = (last - t) / HOUR;
            let n = s.index;
            self.push(F {
                rule: FindingRule::TimeOrder,
                severity: Severity::Warning,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![("claimed_ms", i(t)), ("previous_ms", i(last))],
                tolerance: Some(format!("{} hours", slack / HOUR)),
                msg: msg!("finding-time-order", n, lot, hours),
            });
        }
    }

    fn stock_add(&mut self, s: &Seen<'_>, actor: &Id, mineral: Mineral, delta: i128, lot: &Id) {
        if self.partial {
            return;
        }
        let key = (actor.clone(), mineral);
        let v = self.stock.entry(key.clone()).or_insert(0);
        *v += delta;
        let now = *v;
        if now >= 0 {
            self.stock_low.remove(&key);
            return;
        }
        if !self.stock_low.insert(key) {
            return;
        }
        let short = u64::try_from(-now).unwrap_or(u64::MAX);
        // Name the lots it handed over beyond what it held: that is where
        // the extra stock came from.
        let mut lots: Vec<String> = self
            .oversold
            .get(&(actor.clone(), mineral))
            .cloned()
            .unwrap_or_default();
        lots.push(lot.to_string());
        lots.dedup();
        let (sk, n) = (kg(short), s.index);
        self.push(F {
            rule: FindingRule::StockBalance,
            severity: Severity::Error,
            lots,
            events: vec![here(s)],
            actors: vec![actor.to_string()],
            figures: vec![("stock_g", i64::try_from(now).unwrap_or(i64::MIN))],
            tolerance: None,
            msg: msg!(
                "finding-stock-balance-negative",
                n,
                actor,
                sk,
                mineral = Arg::Mineral(mineral)
            ),
        });
    }

    fn status_at(&self, site: &str, t: u64) -> (u8, &'static str) {
        let p = &self.policy.status;
        let Some(info) = self.sites.get(site) else {
            return (0, "");
        };
        // The record dated latest at or before t (a later-recorded one on
        // a tie), whatever order they were recorded in; before any, the
        // registration's Blue.
        let (mut status, mut since) = (0u8, info.registered);
        let mut latest: Option<u64> = None;
        let mut inspected: Option<u64> = None;
        for &(at, st, insp) in &info.history {
            if at <= t {
                if latest.is_none_or(|d| at >= d) {
                    latest = Some(at);
                    status = st;
                    since = at;
                }
                if insp {
                    inspected = Some(inspected.map_or(at, |x: u64| x.max(at)));
                }
            }
        }
        match status {
            1 => {
                let base = inspected.unwrap_or(since).max(since);
                let lapse = base + p.green_lapse_days * DAY;
                if t > lapse {
                    if t > lapse + p.blue_to_red_days * DAY {
                        (3, "lapsed")
                    } else {
                        (0, "lapsed")
                    }
                } else {
                    (1, "")
                }
            }
            2 if t > since + p.yellow_grace_days * DAY => (2, "grace-over"),
            0 if t > since + p.blue_to_red_days * DAY => (3, "lapsed"),
            s => (s, ""),
        }
    }

    fn register<S: StateRead + ?Sized>(
        &mut self,
        state: &S,
        s: &Seen<'_>,
        b: &crate::event::LotRegister,
    ) -> Result<(), StateError> {
        let t = s.event.time.0;
        let site = state.site(&b.site)?;
        let (status, why) = self.status_at(&b.site, t);
        let eligible = match status {
            3 => false,
            2 => why != "grace-over",
            _ => true,
        };
        let point = b
            .gps
            .or_else(|| site.as_ref().map(|st| st.record.location.point()));
        let country = site
            .as_ref()
            .map(|st| st.record.country.to_string())
            .unwrap_or_else(|| b.site.country().to_string());
        self.lots.insert(
            b.lot.clone(),
            Box::new(LotInfo {
                mineral: Some(b.mineral),
                countries: Countries::one(&country),
                taxed: false,
                eligible,
                last_time: t,
                place: point.map(|p| (p, t)),
                custodian: s.signer.cloned(),
                offer: None,
                parents: Vec::new(),
                site: Some(b.site.to_string()),
            }),
        );
        if let Some(a) = s.signer {
            self.stock_add(s, a, b.mineral, i128::from(b.mass_g.0), &b.lot);
        }
        let (lot, sid, n) = (&b.lot, &b.site, s.index);
        if !eligible || status == 0 && why == "lapsed" {
            let msg = match why {
                "grace-over" => msg!("finding-site-status-grace-over", lot, sid),
                "lapsed" => msg!(
                    "finding-site-status-lapsed",
                    lot,
                    sid,
                    status = Arg::SiteStatus(status)
                ),
                _ => msg!("finding-site-status-red", lot, sid),
            };
            self.push(F {
                rule: FindingRule::SiteStatus,
                severity: if eligible {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![("status", i64::from(status))],
                tolerance: None,
                msg,
            });
        }
        if let Some(st) = &site
            && st.record.activity.0 != 1
        {
            let a = st.record.activity.0;
            self.push(F {
                rule: FindingRule::SiteInactive,
                severity: Severity::Warning,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: Vec::new(),
                figures: vec![("activity", i64::from(a))],
                tolerance: None,
                msg: msg!("finding-site-inactive", lot, sid, a),
            });
        }
        self.register_plausible(state, s, b, site.as_ref())?;
        // Rule 6: production in the capacity window.
        if let Some(st) = site.as_ref().filter(|_| !self.partial) {
            self.capacity(s, st, b.mass_g.0, lot);
        }
        self.sites
            .entry(b.site.to_string())
            .or_default()
            .lots
            .push(lot.clone());
        // Rule 8: one-time tags, across logs too.
        let seen = TagSeen {
            origin: self.origin.clone(),
            lot: lot.to_string(),
            index: n,
        };
        if let Some(other) = self.foreign.get(b.tag.as_str()).cloned() {
            let (tag, ol, oo) = (&b.tag, &other.lot, &other.origin);
            self.push(F {
                rule: FindingRule::TagReuse,
                severity: Severity::Critical,
                lots: vec![lot.to_string(), other.lot.clone()],
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![("other_index", i(other.index))],
                tolerance: None,
                msg: msg!("finding-tag-reuse", tag, lot, ol, oo),
            });
        }
        self.tags.insert(b.tag.to_string(), seen);
        Ok(())
    }

    fn capacity(&mut self, s: &Seen<'_>, st: &SiteState, mass: u64, lot: &Id) {
        let t = s.event.time.0;
        let cap = st.record.capacity.mass_g.0;
        let days = u64::from(st.record.capacity.days.0);
        let tol = self.policy.capacity.tolerance_bp;
        let sid = st.record.id.to_string();
        let info = self.sites.entry(sid.clone()).or_default();
        let at = info.regs.entry(t).or_default();
        *at = at.saturating_add(mass);
        let from = t.saturating_sub(days * DAY);
        let window: u64 = info
            .regs
            .range(from.saturating_add(1)..=t)
            .fold(0u64, |sum, (_, m)| sum.saturating_add(*m));
        if !exceeds(window, cap, tol) {
            info.over = None;
            return;
        }
        if let Some(fi) = info.over {
            let f = &mut self.findings[fi];
            f.lots.push(lot.to_string());
            f.events.push(here(s));
            if let Some(w) = f.figures.get_mut("window_mass_g") {
                *w = (*w).max(i(window));
            }
            return;
        }
        let (w, c, n) = (kg(window), kg(cap), s.index);
        let fi = self.push(F {
            rule: FindingRule::SiteCapacity,
            severity: Severity::Error,
            lots: vec![lot.to_string()],
            events: vec![here(s)],
            actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
            figures: vec![
                ("window_mass_g", i(window)),
                ("capacity_g", i(cap)),
                ("window_days", i(days)),
            ],
            tolerance: Some(format!("{} above capacity", pct(tol))),
            msg: msg!("finding-site-capacity", n, sid, w, days, c),
        });
        if let Some(info) = self.sites.get_mut(&sid) {
            info.over = Some(fi);
        }
    }

    fn offer(&mut self, s: &Seen<'_>, l: &LotState, mass: u64, grade: u64, to: &Id) {
        let lot = &l.id;
        self.touch(lot, s.event.time.0, s);
        let giver = s.signer.cloned().unwrap_or_else(|| l.custodian.clone());
        let (held, hg, n) = (l.mass.0, u64::from(l.grade.0), s.index);
        let stock_tol = self.policy.stock.tolerance_bp;
        let tr = self.policy.transfer.clone();
        if exceeds(mass, held, stock_tol) {
            self.oversold
                .entry((giver.clone(), l.mineral))
                .or_default()
                .push(lot.to_string());
            let (m, h) = (kg(mass), kg(held));
            self.push(F {
                rule: FindingRule::StockBalance,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: vec![giver.to_string(), to.to_string()],
                figures: vec![("handed_over_g", i(mass)), ("held_g", i(held))],
                tolerance: Some(format!("{} of mass", pct(stock_tol))),
                msg: msg!("finding-stock-balance-offer", n, giver, m, lot, h),
            });
        } else if below(mass, held, tr.mass_bp) {
            let (m, h) = (kg(mass), kg(held));
            self.push(F {
                rule: FindingRule::TransferMass,
                severity: Severity::Warning,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: vec![giver.to_string()],
                figures: vec![("handed_over_g", i(mass)), ("held_g", i(held))],
                tolerance: Some(format!("{} of mass", pct(tr.mass_bp))),
                msg: msg!("finding-transfer-mass-remainder", n, giver, m, lot, h),
            });
        }
        if grade.abs_diff(hg) > tr.grade_bp {
            let (g1, g2) = (gp(grade), gp(hg));
            self.push(F {
                rule: FindingRule::TransferGrade,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: vec![giver.to_string()],
                figures: vec![("offered_bp", i(grade)), ("held_bp", i(hg))],
                tolerance: Some(format!("{} grade points", gp(tr.grade_bp))),
                msg: msg!("finding-transfer-grade-offer", n, lot, g1, g2),
            });
        }
        let at = here(s);
        let info = self.lots.entry(lot.clone()).or_default();
        info.offer = Some(Offer {
            mass,
            grade,
            giver,
            at,
        });
    }

    fn accept(&mut self, s: &Seen<'_>, l: &LotState, mass: u64, grade: u64) {
        let lot = &l.id;
        self.touch(lot, s.event.time.0, s);
        let Some(info) = self.lots.get_mut(lot) else {
            return;
        };
        let Some(o) = info.offer.take() else {
            return;
        };
        info.custodian = s.signer.cloned();
        let mineral = info.mineral.unwrap_or(l.mineral);
        let tr = self.policy.transfer.clone();
        let receiver = s.signer.cloned().unwrap_or_else(|| l.custodian.clone());
        let n = s.index;
        let (sent, got) = (kg(o.mass), kg(mass));
        if exceeds(mass, o.mass, tr.mass_bp) || below(mass, o.mass, tr.mass_bp) {
            let gain = mass > o.mass;
            let giver = &o.giver;
            let msg = if gain {
                msg!(
                    "finding-transfer-mass-gain",
                    n,
                    receiver,
                    got,
                    lot,
                    giver,
                    sent
                )
            } else {
                msg!(
                    "finding-transfer-mass-loss",
                    n,
                    receiver,
                    got,
                    lot,
                    giver,
                    sent
                )
            };
            self.push(F {
                rule: FindingRule::TransferMass,
                severity: if gain {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                lots: vec![lot.to_string()],
                events: vec![o.at.clone(), here(s)],
                actors: vec![o.giver.to_string(), receiver.to_string()],
                figures: vec![("handed_over_g", i(o.mass)), ("received_g", i(mass))],
                tolerance: Some(format!("{} of mass", pct(tr.mass_bp))),
                msg,
            });
        }
        if grade.abs_diff(o.grade) > tr.grade_bp {
            let (g1, g2) = (gp(o.grade), gp(grade));
            self.push(F {
                rule: FindingRule::TransferGrade,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![o.at.clone(), here(s)],
                actors: vec![o.giver.to_string(), receiver.to_string()],
                figures: vec![("offered_bp", i(o.grade)), ("received_bp", i(grade))],
                tolerance: Some(format!("{} grade points", gp(tr.grade_bp))),
                msg: msg!("finding-transfer-grade-accept", lot, g1, g2, n),
            });
        }
        self.stock_add(s, &o.giver, mineral, -i128::from(o.mass), lot);
        self.stock_add(s, &receiver, mineral, i128::from(mass), lot);
    }

    fn split(&mut self, s: &Seen<'_>, l: &LotState, b: &crate::event::LotSplit) {
        let lot = &l.id;
        let t = s.event.time.0;
        self.touch(lot, t, s);
        let p = self.policy.split.clone();
        let sum: u64 = b.children.iter().map(|c| c.mass_g.0).sum();
        let n = s.index;
        let kids: Vec<String> = b.children.iter().map(|c| c.lot.to_string()).collect();
        if exceeds(sum, l.mass.0, p.mass_bp) {
            let (a, m) = (kg(sum), kg(l.mass.0));
            let mut lots = vec![lot.to_string()];
            lots.extend(kids.iter().cloned());
            self.push(F {
                rule: FindingRule::SplitMass,
                severity: Severity::Error,
                lots,
                events: vec![here(s)],
                actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                figures: vec![("children_g", i(sum)), ("parent_g", i(l.mass.0))],
                tolerance: Some(format!("{} of mass", pct(p.mass_bp))),
                msg: msg!("finding-split-mass", n, lot, m, a),
            });
        }
        for c in &b.children {
            let (cg, pg) = (u64::from(c.grade_bp.0), u64::from(l.grade.0));
            if cg.abs_diff(pg) > p.grade_bp {
                let (cl, g1, g2) = (&c.lot, gp(cg), gp(pg));
                self.push(F {
                    rule: FindingRule::SplitGrade,
                    severity: Severity::Error,
                    lots: vec![lot.to_string(), c.lot.to_string()],
                    events: vec![here(s)],
                    actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
                    figures: vec![("child_bp", i(cg)), ("parent_bp", i(pg))],
                    tolerance: Some(format!("{} grade points", gp(p.grade_bp))),
                    msg: msg!("finding-split-grade", n, cl, lot, g1, g2),
                });
            }
        }
        let parent = self.lots.get(lot).cloned().unwrap_or_default();
        for c in &b.children {
            let mut info = parent.clone();
            info.parents = vec![lot.clone()];
            info.offer = None;
            info.last_time = parent.last_time.max(t);
            info.custodian = s.signer.cloned().or_else(|| Some(l.custodian.clone()));
            info.site = None;
            self.lots.insert(c.lot.clone(), info);
            self.children
                .entry(lot.clone())
                .or_default()
                .push(c.lot.clone());
        }
        if let Some(a) = s.signer {
            self.stock_add(s, a, l.mineral, i128::from(sum) - i128::from(l.mass.0), lot);
        }
    }

    fn inputs<S: StateRead + ?Sized>(
        &self,
        state: &S,
        inputs: &[crate::event::Input],
    ) -> Result<Vec<LotState>, StateError> {
        let mut out = Vec::new();
        for i in inputs {
            if let Some(l) = state.lot(&i.lot)? {
                out.push(l);
            }
        }
        Ok(out)
    }

    fn combine(
        &mut self,
        s: &Seen<'_>,
        inputs: &[LotState],
        out: &Id,
        mass: u64,
        grade: u64,
        processing: bool,
    ) {
        let t = s.event.time.0;
        for l in inputs {
            self.touch(&l.id, t, s);
        }
        let sum: u64 = inputs.iter().map(|l| l.mass.0).sum();
        let metal_in: u128 = inputs
            .iter()
            .map(|l| u128::from(l.mass.0) * u128::from(l.grade.0))
            .sum();
        let metal_out = u128::from(mass) * u128::from(grade);
        let weighted = if sum == 0 {
            0
        } else {
            u64::try_from(metal_in / u128::from(sum)).unwrap_or(0)
        };
        let mut lots: Vec<String> = inputs.iter().map(|l| l.id.to_string()).collect();
        lots.push(out.to_string());
        let actors: Vec<String> = s.signer.map(|a| vec![a.to_string()]).unwrap_or_default();
        let n = s.index;
        let mineral = inputs.first().map(|l| l.mineral);
        if processing {
            let p = self.policy.processing.clone();
            let recovery = ratio_bp(metal_out, metal_in);
            // Contained metal in gram-basis-points; shown in grams.
            let (ci, co) = (metal_in / 10_000, metal_out / 10_000);
            if metal_out * 10_000 > metal_in * u128::from(10_000 + p.assay_bp) {
                self.push(F {
                    rule: FindingRule::ProcessingMetal,
                    severity: Severity::Error,
                    lots: lots.clone(),
                    events: vec![here(s)],
                    actors: actors.clone(),
                    figures: vec![
                        ("metal_in_g", i64::try_from(ci).unwrap_or(i64::MAX)),
                        ("metal_out_g", i64::try_from(co).unwrap_or(i64::MAX)),
                        ("recovery_bp", recovery),
                    ],
                    tolerance: Some(format!("{} assay tolerance", pct(p.assay_bp))),
                    msg: msg!("finding-processing-metal", n, ci, out, co),
                });
            } else if let Some(m) = mineral {
                let floor = p.min_recovery_bp.of(m);
                if recovery < i(floor) {
                    let r = pct(u64::try_from(recovery.max(0)).unwrap_or(0));
                    let f = pct(floor);
                    self.push(F {
                        rule: FindingRule::ProcessingRecovery,
                        severity: Severity::Warning,
                        lots: lots.clone(),
                        events: vec![here(s)],
                        actors: actors.clone(),
                        figures: vec![("recovery_bp", recovery), ("floor_bp", i(floor))],
                        tolerance: Some(format!("recovery at least {f}")),
                        msg: msg!("finding-processing-recovery", n, r, out, f),
                    });
                }
            }
        } else {
            let p = self.policy.merge.clone();
            let (a, m) = (kg(sum), kg(mass));
            if exceeds(mass, sum, p.mass_bp) || below(mass, sum, p.mass_bp) {
                let gain = mass > sum;
                let msg = if gain {
                    msg!("finding-merge-mass-gain", n, a, out, m)
                } else {
                    msg!("finding-merge-mass-loss", n, a, out, m)
                };
                self.push(F {
                    rule: FindingRule::MergeMass,
                    severity: if gain {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    lots: lots.clone(),
                    events: vec![here(s)],
                    actors: actors.clone(),
                    figures: vec![("inputs_g", i(sum)), ("output_g", i(mass))],
                    tolerance: Some(format!("{} of mass", pct(p.mass_bp))),
                    msg,
                });
            }
            if grade.abs_diff(weighted) > p.grade_bp {
                let (g1, g2) = (gp(grade), gp(weighted));
                self.push(F {
                    rule: FindingRule::MergeGrade,
                    severity: Severity::Error,
                    lots: lots.clone(),
                    events: vec![here(s)],
                    actors: actors.clone(),
                    figures: vec![("output_bp", i(grade)), ("weighted_mean_bp", i(weighted))],
                    tolerance: Some(format!("{} grade points", gp(p.grade_bp))),
                    msg: msg!("finding-merge-grade", n, out, g1, g2),
                });
            }
        }
        // The output inherits its inputs' origins.
        let mut info = LotInfo {
            mineral,
            taxed: !inputs.is_empty(),
            eligible: true,
            last_time: t,
            custodian: s.signer.cloned(),
            ..LotInfo::default()
        };
        for l in inputs {
            let pi = self.lots.get(&l.id).cloned().unwrap_or_default();
            info.countries.extend(&pi.countries);
            info.taxed &= pi.taxed;
            info.eligible &= pi.eligible;
            info.last_time = info.last_time.max(pi.last_time);
            info.parents.push(l.id.clone());
            self.children
                .entry(l.id.clone())
                .or_default()
                .push(out.clone());
        }
        self.lots.insert(out.clone(), Box::new(info));
        if let (Some(a), Some(m)) = (s.signer, mineral) {
            self.stock_add(s, a, m, i128::from(mass) - i128::from(sum), out);
        }
    }

    fn transport(&mut self, s: &Seen<'_>, b: &crate::event::LotTransport) {
        self.touch(&b.lot, s.event.time.0, s);
        let (dep, arr) = (b.departed.0, b.arrived.0);
        if let (Some(from), Some(to)) = (b.from.point(), b.to.point()) {
            self.moved(s, &b.lot, from, dep, dep);
            self.speed(s, &b.lot, &from, &to, dep, arr, &b.from.name, &b.to.name);
            if let Some(info) = self.lots.get_mut(&b.lot) {
                info.place = Some((to, arr));
            }
        }
    }

    /// The lot is seen at `p` at time `t` (claimed by event at `at`):
    /// check the jump from where it was last seen.
    fn moved(&mut self, s: &Seen<'_>, lot: &Id, p: Point, t: u64, _at: u64) {
        let prev = self.lots.get(lot).and_then(|i| i.place);
        if let Some((q, tq)) = prev {
            let km = distance_m(q, p) / 1000.0;
            if km >= self.policy.time.min_jump_km as f64 {
                self.speed(s, lot, &q, &p, tq, t, "", "");
            }
        }
        if let Some(info) = self.lots.get_mut(lot) {
            info.place = Some((p, t));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn speed(
        &mut self,
        s: &Seen<'_>,
        lot: &Id,
        from: &Point,
        to: &Point,
        t0: u64,
        t1: u64,
        from_name: &str,
        to_name: &str,
    ) {
        let km = distance_m(*from, *to) / 1000.0;
        let max = self.policy.time.max_speed_kmh;
        let hours = t1.saturating_sub(t0) as f64 / HOUR as f64;
        let fast = if hours <= 0.0 {
            km >= 1.0
        } else {
            km / hours > max as f64
        };
        if !fast {
            return;
        }
        let kmh = if hours > 0.0 {
            km / hours
        } else {
            f64::INFINITY
        };
        let n = s.index;
        let (kmr, kmhr) = (
            km.round() as i64,
            if kmh.is_finite() {
                kmh.round() as i64
            } else {
                i64::MAX
            },
        );
        let mins = t1.saturating_sub(t0) / 60_000;
        let route = if from_name.is_empty() {
            String::new()
        } else {
            format!(" ({from_name} → {to_name})")
        };
        self.push(F {
            rule: FindingRule::Teleport,
            severity: Severity::Error,
            lots: vec![lot.to_string()],
            events: vec![here(s)],
            actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
            figures: vec![
                ("distance_km", kmr),
                ("minutes", i(mins)),
                ("speed_kmh", kmhr),
            ],
            tolerance: Some(format!("{max} km/h")),
            msg: msg!("finding-teleport", n, lot, kmr, mins, route, max),
        });
    }

    fn cert_issue<S: StateRead + ?Sized>(
        &mut self,
        state: &S,
        s: &Seen<'_>,
        c: &crate::event::Cert,
    ) -> Result<(), StateError> {
        let mut held = 0u64;
        for l in &c.lots {
            if let Some(ls) = state.lot(l)? {
                held += ls.mass.0;
            }
        }
        let p = self.policy.export.clone();
        let (cid, n) = (&c.id, s.index);
        if exceeds(c.mass_g.0, held, p.mass_bp) {
            let (cm, hm) = (kg(c.mass_g.0), kg(held));
            self.push(F {
                rule: FindingRule::CertMass,
                severity: Severity::Error,
                lots: c.lots.iter().map(ToString::to_string).collect(),
                events: vec![here(s)],
                actors: vec![c.exporter.to_string()],
                figures: vec![("certified_g", i(c.mass_g.0)), ("lots_g", i(held))],
                tolerance: Some(format!("{} of mass", pct(p.mass_bp))),
                msg: msg!("finding-cert-mass", cid, n, cm, hm),
            });
        }
        // Compared in milliseconds (spec: expires - issued > max days): a
        // certificate valid 90 days and some hours is over a 90-day limit.
        // The figure shown is rounded up to whole days.
        let span = c.expires.0.saturating_sub(c.issued.0);
        let validity = span.div_ceil(DAY);
        if span > p.max_validity_days.saturating_mul(DAY) {
            let max = p.max_validity_days;
            self.push(F {
                rule: FindingRule::CertValidity,
                severity: Severity::Warning,
                lots: c.lots.iter().map(ToString::to_string).collect(),
                events: vec![here(s)],
                actors: vec![c.exporter.to_string()],
                figures: vec![("validity_days", i(validity))],
                tolerance: Some(format!("{max} days")),
                msg: msg!("finding-cert-validity", cid, n, validity, max),
            });
        }
        Ok(())
    }

    fn export(
        &mut self,
        s: &Seen<'_>,
        l: &LotState,
        b: &crate::event::LotExport,
        cert: Option<&crate::event::Cert>,
    ) {
        let lot = &l.id;
        let t = s.event.time.0;
        self.touch(lot, t, s);
        let info = self.lots.get(lot).cloned().unwrap_or_default();
        let n = s.index;
        let actors: Vec<String> = s.signer.map(|a| vec![a.to_string()]).unwrap_or_default();
        let Some(c) = cert else {
            return;
        };
        let cid = &c.id;
        // Origin countries: the certificate must name every ancestor's country.
        let declared: BTreeSet<String> = c.origins.iter().map(ToString::to_string).collect();
        let missing: Vec<String> = info.countries.missing_from(&declared);
        if !missing.is_empty() {
            let (m, d) = (
                missing.join(", "),
                c.origins
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            self.push(F {
                rule: FindingRule::ExportOrigin,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: vec![("missing_countries", i(missing.len() as u64))],
                tolerance: None,
                msg: msg!("finding-export-origin", lot, cid, d, m),
            });
        }
        if t > c.expires.0 {
            let days = (t - c.expires.0) / DAY;
            self.push(F {
                rule: FindingRule::ExportExpired,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: vec![("expired_days", i(days))],
                tolerance: None,
                msg: msg!("finding-export-expired", lot, cid, days),
            });
        }
        let total = self.cert_exported.entry(c.id.clone()).or_insert(0);
        *total += b.mass_g.0;
        let total = *total;
        let tol = self.policy.export.mass_bp;
        if exceeds(total, c.mass_g.0, tol) && self.cert_checked.insert(c.id.clone()) {
            let (a, cm) = (kg(total), kg(c.mass_g.0));
            self.push(F {
                rule: FindingRule::ExportMass,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: vec![("exported_g", i(total)), ("certified_g", i(c.mass_g.0))],
                tolerance: Some(format!("{} of mass", pct(tol))),
                msg: msg!("finding-export-mass", cid, a, cm),
            });
        }
        if exceeds(b.mass_g.0, l.mass.0, self.policy.stock.tolerance_bp) {
            let (a, h) = (kg(b.mass_g.0), kg(l.mass.0));
            self.push(F {
                rule: FindingRule::StockBalance,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: vec![("exported_g", i(b.mass_g.0)), ("held_g", i(l.mass.0))],
                tolerance: Some(format!("{} of mass", pct(self.policy.stock.tolerance_bp))),
                msg: msg!("finding-stock-balance-export", n, a, lot, h),
            });
        }
        if !info.eligible {
            self.push(F {
                rule: FindingRule::ExportEligibility,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: Vec::new(),
                tolerance: None,
                msg: msg!("finding-export-eligibility", lot, cid),
            });
        }
        if !info.taxed {
            self.push(F {
                rule: FindingRule::UntaxedExport,
                severity: Severity::Error,
                lots: vec![lot.to_string()],
                events: vec![here(s)],
                actors: actors.clone(),
                figures: Vec::new(),
                tolerance: None,
                msg: msg!("finding-untaxed-export", lot, n),
            });
        }
        if let Some(a) = s.signer {
            self.stock_add(s, a, l.mineral, -i128::from(b.mass_g.0), lot);
        }
    }

    fn correct<S: StateRead + ?Sized>(
        &mut self,
        state: &S,
        s: &Seen<'_>,
        b: &crate::event::LotCorrect,
    ) -> Result<(), StateError> {
        let n = s.index;
        let lot = &b.lot;
        let target = state.event_index(&b.corrects)?;
        let mut figures = Vec::new();
        if let Some(m) = b.mass_g {
            figures.push(("mass_g", i(m.0)));
        }
        if let Some(g) = b.grade_bp {
            figures.push(("grade_bp", i64::from(g.0)));
        }
        if let Some(ti) = target {
            figures.push(("corrected_index", i(ti)));
        }
        let t = target.map_or_else(|| "?".to_string(), |x| x.to_string());
        let reason = b.reason.to_string();
        self.push(F {
            rule: FindingRule::Correction,
            severity: Severity::Info,
            lots: vec![lot.to_string()],
            events: vec![here(s)],
            actors: s.signer.map(|a| vec![a.to_string()]).unwrap_or_default(),
            figures,
            tolerance: None,
            msg: msg!("finding-correction", n, t, lot, reason),
        });
        // Keep the running stock in step when the lot's current mass changes.
        if let (Some(l), Some(m)) = (state.lot(lot)?, b.mass_g) {
            let figs = state.figures(lot)?;
            let current = figs.get(l.current_figure as usize).map(|f| f.event);
            if current == Some(b.corrects) {
                let who = self
                    .lots
                    .get(lot)
                    .and_then(|i| i.custodian.clone())
                    .unwrap_or_else(|| l.custodian.clone());
                self.stock_add(
                    s,
                    &who,
                    l.mineral,
                    i128::from(m.0) - i128::from(l.mass.0),
                    lot,
                );
            }
        }
        Ok(())
    }

    /// Ends the pass: open incidents mark lots "under review". Returns the
    /// findings and the lots under review.
    ///
    /// # Errors
    /// Only a failing state reader.
    pub fn finish<S: StateRead + ?Sized>(
        mut self,
        state: &S,
    ) -> Result<(Vec<Finding>, Vec<String>), StateError> {
        let mut review: BTreeSet<String> = BTreeSet::new();
        let cases = std::mem::take(&mut self.cases);
        for (case, subj, at) in cases {
            let open = state.case(&case)?.is_none_or(|c| c.status.is_open());
            if !open {
                continue;
            }
            let mut roots: Vec<Id> = subj.lots().to_vec();
            for site in subj.sites() {
                if let Some(si) = self.sites.get(site.as_str()) {
                    roots.extend(si.lots.iter().cloned());
                }
            }
            let actors: BTreeSet<&str> = subj.actors().iter().map(|a| a.as_str()).collect();
            for (id, info) in &self.lots {
                if info
                    .custodian
                    .as_ref()
                    .is_some_and(|c| actors.contains(c.as_str()))
                {
                    roots.push(id.clone());
                }
            }
            // Everything made from a flagged lot is flagged too.
            let mut affected = BTreeSet::new();
            while let Some(l) = roots.pop() {
                if affected.insert(l.to_string())
                    && let Some(ch) = self.children.get(&l)
                {
                    roots.extend(ch.iter().cloned());
                }
            }
            let c = case.to_hex();
            let k = affected.len();
            let mut names: Vec<String> = subj.lots().iter().map(ToString::to_string).collect();
            names.extend(subj.sites().iter().map(ToString::to_string));
            names.extend(subj.actors().iter().map(ToString::to_string));
            let about = names.join(", ");
            review.extend(affected.iter().cloned());
            self.push(F {
                rule: FindingRule::IncidentOpen,
                severity: Severity::Warning,
                lots: affected.into_iter().collect(),
                events: vec![at],
                actors: subj.actors().iter().map(ToString::to_string).collect(),
                figures: vec![("lots_under_review", i(k as u64))],
                tolerance: None,
                msg: msg!("finding-incident-open", c, about, k),
            });
        }
        Ok((self.findings, review.into_iter().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_are_exact_integers() {
        assert!(!exceeds(10_100, 10_000, 100));
        assert!(exceeds(10_101, 10_000, 100));
        assert!(!below(9_900, 10_000, 100));
        assert!(below(9_899, 10_000, 100));
        assert_eq!(ratio_bp(61, 100), 6100);
    }

    #[test]
    fn distance_is_about_right() {
        use crate::types::{Lat, Lon};
        let goma = Point {
            lat_e6: Lat(-1_679_000),
            lon_e6: Lon(29_222_000),
        };
        let kigali = Point {
            lat_e6: Lat(-1_944_000),
            lon_e6: Lon(30_062_000),
        };
        let km = distance_m(goma, kigali) / 1000.0;
        assert!((90.0..100.0).contains(&km), "{km}");
    }
}
