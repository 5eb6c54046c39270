//! The running views every export keeps while it reads the log once, in
//! order: the registry (actors, sites with their inspections and status
//! history, licences, tag ranges, certificates) and one record per lot. They
//! hold what the state holds plus the history the exports need, and nothing
//! per event, so their memory grows with actors, sites and lots only.
//!
//! These are effects, not rules: every entry given here was accepted by
//! `rules::apply` already, so each event is taken to do what
//! `spec/events.md` says it does.

use std::collections::{BTreeMap, HashMap};

use crate::event::*;
use crate::hash::Hash;
use crate::rules::Signer;
use crate::state::LotStatus;
use crate::types::{Country, Id, Mineral, SiteId};

use super::Entry;

/// A registered actor.
#[derive(Clone, Debug)]
pub(crate) struct ActorRec {
    pub profile: ActorProfile,
    /// Claimed time of its registration.
    pub registered: u64,
}

/// One inspection of a site, with the inspector who signed it.
#[derive(Clone, Debug)]
pub(crate) struct InspectionRec {
    pub inspection: Inspection,
    pub inspector: Option<Id>,
}

/// A registered site.
#[derive(Clone, Debug)]
pub(crate) struct SiteRec {
    pub record: SiteRecord,
    pub status: u8,
    pub status_since: u64,
    pub last_inspection: Option<u64>,
    pub inspections: Vec<InspectionRec>,
    /// MD.10: (date, new status), in log order, starting with Blue at registration.
    pub history: Vec<(u64, u8)>,
    pub registered: u64,
    /// A status record has been seen (see `state::SiteState::takes_record`).
    pub recorded: bool,
}

impl SiteRec {
    /// Takes a status record dated `date`: the current status is the one
    /// dated latest, whatever the recording order (`spec/verifier.md`,
    /// "Status at time t").
    fn record(&mut self, date: u64, status: u8) {
        if !self.recorded || date >= self.status_since {
            self.status = status;
            self.status_since = date;
        }
        self.recorded = true;
        self.history.push((date, status));
    }
}

/// A tag range.
#[derive(Clone, Debug)]
pub(crate) struct AllocRec {
    pub site: SiteId,
    pub last: u64,
    pub issuer: Option<Id>,
    pub time: u64,
}

/// An export under a certificate.
#[derive(Clone, Debug)]
pub(crate) struct ExportRec {
    pub lot: Id,
    pub mass: u64,
    pub time: u64,
}

/// An issued certificate.
#[derive(Clone, Debug)]
pub(crate) struct CertRec {
    pub cert: Cert,
    pub issuer: Option<Id>,
    pub leaf_hash: Hash,
    pub index: u64,
    pub exports: Vec<ExportRec>,
}

/// The registry as of the entries read so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct RegistryBook {
    pub actors: BTreeMap<Id, ActorRec>,
    pub sites: BTreeMap<SiteId, SiteRec>,
    pub licences: BTreeMap<Id, Licence>,
    /// Keyed by (prefix, width, first), as `MemState` keys allocations.
    pub allocations: BTreeMap<(String, u8, u64), AllocRec>,
    pub certs: BTreeMap<Id, CertRec>,
}

impl RegistryBook {
    pub fn apply(&mut self, e: &Entry) {
        let t = e.event.time.0;
        match &e.event.body {
            Body::Genesis(g) => {
                for a in &g.authorities {
                    self.actor(a.profile(), t);
                }
            }
            Body::ActorRegister(b) => self.actor(b.actor.profile(), t),
            Body::ActorUpdate(b) => {
                if let Some(a) = self.actors.get_mut(&b.actor.id) {
                    a.profile = b.actor.clone();
                }
            }
            Body::LicenceGrant(b) => {
                self.licences
                    .insert(b.licence.id.clone(), b.licence.clone());
            }
            Body::SiteRegister(b) => {
                self.sites.insert(
                    b.site.id.clone(),
                    SiteRec {
                        record: b.site.clone(),
                        status: 0,
                        status_since: t,
                        last_inspection: None,
                        inspections: Vec::new(),
                        history: vec![(t, 0)],
                        registered: t,
                        recorded: false,
                    },
                );
            }
            Body::SiteUpdate(b) => {
                if let Some(s) = self.sites.get_mut(&b.site.id) {
                    s.record = b.site.clone();
                }
            }
            Body::SiteInspect(b) => {
                if let Some(s) = self.sites.get_mut(&b.site) {
                    let date = b.inspection.date.0;
                    s.record(date, b.inspection.result.0);
                    s.last_inspection = Some(s.last_inspection.map_or(date, |l| l.max(date)));
                    s.inspections.push(InspectionRec {
                        inspection: b.inspection.clone(),
                        inspector: e.actor().cloned(),
                    });
                }
            }
            Body::SiteStatus(b) => {
                if let Some(s) = self.sites.get_mut(&b.site) {
                    s.record(t, b.status.0);
                }
            }
            Body::TagsAllocate(b) => {
                self.allocations.insert(
                    (b.prefix.to_string(), b.width.0, b.first),
                    AllocRec {
                        site: b.site.clone(),
                        last: b.last,
                        issuer: e.actor().cloned(),
                        time: t,
                    },
                );
            }
            Body::CertIssue(b) => {
                self.certs.insert(
                    b.cert.id.clone(),
                    CertRec {
                        cert: b.cert.clone(),
                        issuer: e.actor().cloned(),
                        leaf_hash: e.leaf_hash,
                        index: e.index,
                        exports: Vec::new(),
                    },
                );
            }
            Body::LotExport(b) => {
                if let Some(c) = self.certs.get_mut(&b.cert) {
                    c.exports.push(ExportRec {
                        lot: b.lot.clone(),
                        mass: b.mass_g.0,
                        time: t,
                    });
                }
            }
            _ => {}
        }
    }

    fn actor(&mut self, profile: ActorProfile, t: u64) {
        self.actors.insert(
            profile.id.clone(),
            ActorRec {
                profile,
                registered: t,
            },
        );
    }

    /// The allocation holding a tag, with its (prefix, width, first) key.
    pub fn allocation_of(&self, tag: &crate::types::TagId) -> Option<&AllocRec> {
        let (prefix, width, n) = tag.parts();
        let hi = (prefix.to_string(), width, n);
        self.allocations
            .range(..=hi)
            .next_back()
            .filter(|(k, a)| k.0 == prefix && k.1 == width && n <= a.last)
            .map(|(_, a)| a)
    }
}

/// Where a lot's ore was mined: one site, several sites of one country, or
/// several countries.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    Site(SiteId),
    Country(Country),
    Mixed,
}

impl Origin {
    pub fn country(&self) -> Option<Country> {
        match self {
            Origin::Site(s) => Country::new(s.country()).ok(),
            Origin::Country(c) => Some(c.clone()),
            Origin::Mixed => None,
        }
    }

    pub fn site(&self) -> Option<&SiteId> {
        match self {
            Origin::Site(s) => Some(s),
            _ => None,
        }
    }

    /// The origin of a lot made from lots of origins `a` and `b`.
    fn join(a: &Origin, b: &Origin) -> Origin {
        if a == b {
            return a.clone();
        }
        match (a.country(), b.country()) {
            (Some(x), Some(y)) if x == y => Origin::Country(x),
            _ => Origin::Mixed,
        }
    }
}

/// An offer waiting for its answer.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub giver: Id,
    pub to: Id,
    pub offer: Hash,
    pub price: Option<Money>,
}

/// How a lot came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Creation {
    Register,
    Split,
    Merge,
    Process,
}

/// A lot as of the entries read so far.
#[derive(Clone, Debug)]
pub(crate) struct LotRec {
    pub mineral: Mineral,
    /// Current figures (`spec/events.md` section 5), as corrected.
    pub mass: u64,
    pub grade: u16,
    /// The figure event the current figures come from.
    pub current: Hash,
    pub custodian: Id,
    pub creator: Id,
    pub created_time: u64,
    pub creation: Creation,
    pub parents: Vec<Id>,
    pub pending: Option<Pending>,
    pub origin: Origin,
    /// A tax is recorded on this lot or on one of its ancestors.
    pub chain_taxed: bool,
    pub status: LotStatus,
}

/// Every lot. A hash map: lots are looked up on most entries, and listed
/// (sorted) only when a catalog is rendered.
#[derive(Clone, Debug, Default)]
pub(crate) struct LotBook {
    pub lots: HashMap<Id, LotRec>,
}

impl LotBook {
    pub fn get(&self, id: &str) -> Option<&LotRec> {
        self.lots.get(id)
    }

    pub fn apply(&mut self, e: &Entry) {
        let signer = match &e.signer {
            Signer::Actor(a) => a.clone(),
            _ => return,
        };
        let t = e.event.time.0;
        let h = e.event_hash;
        match &e.event.body {
            Body::LotRegister(b) => {
                self.lots.insert(
                    b.lot.clone(),
                    LotRec {
                        mineral: b.mineral,
                        mass: b.mass_g.0,
                        grade: b.grade_bp.0,
                        current: h,
                        custodian: signer.clone(),
                        creator: signer,
                        created_time: t,
                        creation: Creation::Register,
                        parents: Vec::new(),
                        pending: None,
                        origin: Origin::Site(b.site.clone()),
                        chain_taxed: false,
                        status: LotStatus::Open,
                    },
                );
            }
            Body::LotOffer(b) => {
                if let Some(l) = self.lots.get_mut(&b.lot) {
                    l.pending = Some(Pending {
                        giver: l.custodian.clone(),
                        to: b.to.clone(),
                        offer: h,
                        price: b.price.clone(),
                    });
                }
            }
            Body::LotAccept(b) => {
                if let Some(l) = self.lots.get_mut(&b.lot) {
                    l.pending = None;
                    l.custodian = signer;
                    l.mass = b.mass_g.0;
                    l.grade = b.grade_bp.0;
                    l.current = h;
                }
            }
            Body::LotSplit(b) => {
                let Some(parent) = self.lots.get_mut(&b.lot) else {
                    return;
                };
                parent.pending = None;
                parent.status = LotStatus::Split;
                let template = parent.clone();
                for c in &b.children {
                    self.lots.insert(
                        c.lot.clone(),
                        LotRec {
                            mass: c.mass_g.0,
                            grade: c.grade_bp.0,
                            current: h,
                            creator: template.custodian.clone(),
                            created_time: t,
                            creation: Creation::Split,
                            parents: vec![b.lot.clone()],
                            status: LotStatus::Open,
                            ..template.clone()
                        },
                    );
                }
            }
            Body::LotMerge(b) => self.combine(
                &b.inputs,
                &b.lot,
                (b.mass_g.0, b.grade_bp.0),
                Creation::Merge,
                e,
            ),
            Body::LotProcess(b) => self.combine(
                &b.inputs,
                &b.lot,
                (b.mass_g.0, b.grade_bp.0),
                Creation::Process,
                e,
            ),
            Body::LotTax(b) => {
                if let Some(l) = self.lots.get_mut(&b.lot) {
                    l.pending = None;
                    l.chain_taxed = true;
                }
            }
            Body::LotTransport(LotTransport { lot, .. })
            | Body::LotStore(LotStore { lot, .. })
            | Body::LotRefuse(LotRefuse { lot, .. }) => {
                if let Some(l) = self.lots.get_mut(lot) {
                    l.pending = None;
                }
            }
            Body::LotExport(b) => {
                if let Some(l) = self.lots.get_mut(&b.lot) {
                    l.pending = None;
                    l.status = LotStatus::Exported;
                }
            }
            Body::LotCorrect(b) => {
                if let Some(l) = self.lots.get_mut(&b.lot) {
                    l.pending = None;
                    if l.current == b.corrects {
                        if let Some(m) = b.mass_g {
                            l.mass = m.0;
                        }
                        if let Some(g) = b.grade_bp {
                            l.grade = g.0;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn combine(
        &mut self,
        inputs: &[Input],
        out: &Id,
        figures: (u64, u16),
        creation: Creation,
        e: &Entry,
    ) {
        let mut origin: Option<Origin> = None;
        let mut taxed = false;
        let mut mineral = None;
        let mut holder = None;
        for i in inputs {
            if let Some(l) = self.lots.get_mut(&i.lot) {
                l.pending = None;
                l.status = if creation == Creation::Merge {
                    LotStatus::Merged
                } else {
                    LotStatus::Processed
                };
                origin = Some(match origin {
                    None => l.origin.clone(),
                    Some(o) => Origin::join(&o, &l.origin),
                });
                taxed |= l.chain_taxed;
                mineral.get_or_insert(l.mineral);
                holder.get_or_insert_with(|| l.custodian.clone());
            }
        }
        let (Some(mineral), Some(holder), Some(origin)) = (mineral, holder, origin) else {
            return;
        };
        self.lots.insert(
            out.clone(),
            LotRec {
                mineral,
                mass: figures.0,
                grade: figures.1,
                current: e.event_hash,
                custodian: holder.clone(),
                creator: holder,
                created_time: e.event.time.0,
                creation,
                parents: inputs.iter().map(|i| i.lot.clone()).collect(),
                pending: None,
                origin,
                chain_taxed: taxed,
                status: LotStatus::Open,
            },
        );
    }

    /// The lot and every ancestor, each once, the lot first.
    pub fn lineage(&self, id: &Id) -> Vec<Id> {
        let mut seen = std::collections::BTreeSet::new();
        seen.insert(id.clone());
        let mut out = vec![id.clone()];
        let mut i = 0;
        while i < out.len() {
            if let Some(l) = self.lots.get(&out[i]) {
                for p in &l.parents {
                    if seen.insert(p.clone()) {
                        out.push(p.clone());
                    }
                }
            }
            i += 1;
        }
        out
    }
}
