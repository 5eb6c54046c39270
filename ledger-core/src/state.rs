//! The ledger state of `spec/events.md` section 2: what the rules read
//! (`StateRead`), what applying an event writes (`Change`), an in-memory
//! state (`MemState`), and an overlay for applying a batch before it is
//! committed (`Overlay`).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::crypto::{KeyId, PublicKey};
use crate::event::{ActorProfile, CaseStatus, Cert, Licence, Request, SiteRecord, Subjects};
use crate::hash::Hash;
use crate::types::{CertStatus, Grade, Grams, Id, Millis, Mineral, Origin, Role, SiteId, TagId};

/// Who owns a registered key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyOwner {
    /// The log key: it signs checkpoints and the genesis event only.
    Log,
    /// An actor.
    Actor(Id),
}

/// Whether a key may still sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// May sign.
    Active,
    /// Replaced by `key.rotate` at this log index.
    Retired {
        /// Log index of the rotation.
        at: u64,
    },
    /// Revoked by `key.revoke` at this log index.
    Revoked {
        /// Log index of the revocation.
        at: u64,
    },
}

/// A registered key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// The public key.
    pub pk: PublicKey,
    /// Owner.
    pub owner: KeyOwner,
    /// Status.
    pub status: KeyStatus,
    /// Log index where it was registered.
    pub added: u64,
}

/// A registered actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorState {
    /// Current profile.
    pub profile: ActorProfile,
    /// Every key ever registered for it, oldest first.
    pub keys: Vec<KeyId>,
    /// Log index of its registration.
    pub registered: u64,
}

impl ActorState {
    /// Whether the actor has `role`.
    pub fn has(&self, role: Role) -> bool {
        self.profile.has(role)
    }
}

/// A registered mine site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteState {
    /// Current profile.
    pub record: SiteRecord,
    /// MDC.01 status.
    pub status: CertStatus,
    /// Since when (the inspection date, or the claimed time of the event that set it).
    pub status_since: Millis,
    /// Date of the latest inspection.
    pub last_inspection: Option<Millis>,
    /// Inspection ids recorded for it.
    pub inspections: Vec<Id>,
    /// Log index of its registration.
    pub registered: u64,
    /// True once a `site.inspect` or `site.status` set the status; until
    /// then it is the registration's Blue, which any record replaces.
    #[serde(default)]
    pub status_recorded: bool,
}

impl SiteState {
    /// Whether a status record dated `date` becomes the current status
    /// (`spec/verifier.md`, "Status at time t"): the record dated latest
    /// wins whatever the order the registry recorded them in, a later one
    /// on a tie, and any record wins over the registration's Blue.
    pub fn takes_record(&self, date: Millis) -> bool {
        let recorded = self.status_recorded || !self.inspections.is_empty();
        !recorded || date >= self.status_since
    }
}

/// A tag range allocated to a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Site.
    pub site: SiteId,
    /// Tag prefix.
    pub prefix: Id,
    /// Digits.
    pub width: u8,
    /// First number.
    pub first: u64,
    /// Last number.
    pub last: u64,
    /// Log index of the allocation.
    pub index: u64,
}

impl Allocation {
    /// Whether the allocation holds tag number `n` of `prefix` and `width`.
    pub fn holds(&self, prefix: &str, width: u8, n: u64) -> bool {
        self.prefix.as_str() == prefix
            && self.width == width
            && (self.first..=self.last).contains(&n)
    }
}

/// What happened to a lot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotStatus {
    /// Can be acted on.
    Open,
    /// Split into children.
    Split,
    /// Merged into another lot.
    Merged,
    /// Processed into another lot.
    Processed,
    /// Exported.
    Exported,
}

impl LotStatus {
    /// The status's code, as serialised: `open`, `split`, `merged`,
    /// `processed`, `exported`. For words people read, see
    /// [`crate::text::lot_status`].
    pub fn as_str(self) -> &'static str {
        match self {
            LotStatus::Open => "open",
            LotStatus::Split => "split",
            LotStatus::Merged => "merged",
            LotStatus::Processed => "processed",
            LotStatus::Exported => "exported",
        }
    }
}

/// Which kind of figure event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// `lot.register`.
    Register,
    /// `lot.offer`.
    Offer,
    /// `lot.accept`.
    Accept,
    /// `lot.split` (as child).
    Split,
    /// `lot.merge` (as output).
    Merge,
    /// `lot.process` (as output).
    Process,
    /// `lot.export`.
    Export,
}

/// An event that stated a lot's figures (`spec/events.md` section 5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureEvent {
    /// Its event hash.
    pub event: Hash,
    /// The actor that signed it.
    pub signer: Id,
    /// Kind.
    pub kind: FigureKind,
}

/// A lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotState {
    /// Lot id.
    pub id: Id,
    /// Mineral.
    pub mineral: Mineral,
    /// Current mass.
    pub mass: Grams,
    /// Current grade.
    pub grade: Grade,
    /// Actor holding custody.
    pub custodian: Id,
    /// Hash of its latest event.
    pub head: Hash,
    /// Addressee of the pending offer, if the head is an offer.
    pub pending_offer: Option<Id>,
    /// Status.
    pub status: LotStatus,
    /// Number of its figure events (stored apart, see `StateRead::figures`).
    pub figure_count: u32,
    /// Position of the figure event its current mass and grade come from.
    pub current_figure: u32,
    /// Tag attached at registration, if it was registered at a mine.
    pub tag: Option<TagId>,
    /// Log index of the event that created it.
    pub created: u64,
}

/// An incident case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    /// Case id: the report's event hash.
    pub id: Hash,
    /// What it is about.
    pub subjects: Subjects,
    /// Latest status.
    pub status: CaseStatus,
    /// Log index of the report.
    pub opened: u64,
}

/// A storage failure while reading or writing the state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger state storage failed: {0}")]
pub struct StateError(pub String);

/// Read access to the ledger state. Implemented in memory here and over sled
/// by the node.
pub trait StateRead {
    /// The log origin (set by genesis), `None` for an empty log.
    ///
    /// # Errors
    /// Storage failures, here and in every method.
    fn origin(&self) -> Result<Option<Origin>, StateError>;
    /// Number of entries applied so far (the next index).
    fn size(&self) -> Result<u64, StateError>;
    /// A registered key.
    fn key(&self, id: &KeyId) -> Result<Option<KeyEntry>, StateError>;
    /// An actor.
    fn actor(&self, id: &str) -> Result<Option<ActorState>, StateError>;
    /// A site.
    fn site(&self, id: &str) -> Result<Option<SiteState>, StateError>;
    /// A licence.
    fn licence(&self, id: &str) -> Result<Option<Licence>, StateError>;
    /// The allocation with this prefix and width whose `first` is the greatest at or below `n`.
    fn allocation_floor(
        &self,
        prefix: &str,
        width: u8,
        n: u64,
    ) -> Result<Option<Allocation>, StateError>;
    /// The lot a tag is attached to.
    fn tag_lot(&self, tag: &str) -> Result<Option<Id>, StateError>;
    /// A lot.
    fn lot(&self, id: &str) -> Result<Option<LotState>, StateError>;
    /// A lot's figure events, in order (`spec/events.md` section 5).
    fn figures(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError>;
    /// A certificate.
    fn cert(&self, id: &str) -> Result<Option<Cert>, StateError>;
    /// A certificate request.
    fn request(&self, id: &str) -> Result<Option<Request>, StateError>;
    /// An incident case.
    fn case(&self, id: &Hash) -> Result<Option<CaseState>, StateError>;
    /// Log index of an event already in the log.
    fn event_index(&self, hash: &Hash) -> Result<Option<u64>, StateError>;
}

/// One write produced by applying an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[allow(missing_docs)]
pub enum Change {
    /// The log's origin (genesis).
    Origin { origin: Origin },
    /// A key added or its status changed.
    Key { id: KeyId, entry: KeyEntry },
    /// An actor added or changed.
    Actor { actor: ActorState },
    /// A site added or changed.
    Site { site: SiteState },
    /// A licence.
    Licence { licence: Licence },
    /// A tag allocation.
    Allocation { allocation: Allocation },
    /// A tag attached to a lot.
    Tag { tag: TagId, lot: Id },
    /// A lot added or changed.
    Lot { lot: LotState },
    /// Figure event number `n` of a lot (appended, never changed).
    Figure {
        lot: Id,
        n: u32,
        figure: FigureEvent,
    },
    /// A certificate.
    Cert { cert: Cert },
    /// A certificate request.
    Request { request: Request },
    /// An incident case opened or changed.
    Case { case: CaseState },
    /// An event recorded at an index.
    Event { hash: Hash, index: u64 },
}

/// Event hash to log index, for every event of a log. A verifier holds one
/// entry per event, so the layout matters at a million events: one hash
/// table would hold 2^21 slots of 41 bytes from 917,505 events on, and both
/// old and new tables while it grows. Instead, 256 shards by the hash's
/// first byte, each a sorted vector of exactly its size plus a small table
/// of recent events merged into it every `EventIndex::MERGE` inserts: about
/// 40 bytes an event, and growth copies one shard at a time.
#[derive(Clone, Debug, Default)]
struct EventIndex {
    /// Empty until the first insert (a state holding a few events, as the
    /// node's per-commit overlay does, allocates nothing), then 256.
    shards: Vec<EventShard>,
}

#[derive(Clone, Debug, Default)]
struct EventShard {
    sorted: Vec<(Hash, u64)>,
    recent: HashMap<Hash, u64>,
}

/// The first eight bytes of a hash as one integer: hashes in this order
/// are in `Hash`'s `Ord` order wherever their first eight bytes differ.
fn word(h: &Hash) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&h.0[..8]);
    u64::from_be_bytes(w)
}

/// The order of `Hash`'s `Ord`, decided by [`word`] where the words differ
/// (random hashes almost always do), with no byte-by-byte comparison call.
fn hash_order(a: &Hash, b: &Hash) -> std::cmp::Ordering {
    word(a).cmp(&word(b)).then_with(|| a.cmp(b))
}

/// `binary_search` over hashes sorted by `Ord`, by interpolation: event
/// hashes are uniform, so guessing the position from the value finds a
/// hash among thousands in two or three reads of memory where halving the
/// range needs a dozen (a million-event audit is bound by those reads).
/// A few rounds of guessing narrow the range, then it is halved as usual,
/// so any input, uniform or not, is searched correctly.
fn search(sorted: &[(Hash, u64)], h: &Hash) -> Result<usize, usize> {
    let (mut lo, mut hi) = (0usize, sorted.len());
    let key = word(h);
    for _ in 0..4 {
        if hi - lo <= 16 {
            break;
        }
        let (a, b) = (word(&sorted[lo].0), word(&sorted[hi - 1].0));
        if key <= a || key >= b {
            break;
        }
        let span = u128::from(b - a);
        let off = u128::from(key - a) * (hi - 1 - lo) as u128 / span;
        // off < hi - 1 - lo, since key < b.
        let guess = lo + usize::try_from(off).unwrap_or(0);
        match hash_order(&sorted[guess].0, h) {
            std::cmp::Ordering::Equal => return Ok(guess),
            std::cmp::Ordering::Less => lo = guess + 1,
            std::cmp::Ordering::Greater => hi = guess,
        }
    }
    sorted[lo..hi]
        .binary_search_by(|(k, _)| hash_order(k, h))
        .map(|p| lo + p)
        .map_err(|p| lo + p)
}

impl EventIndex {
    /// Recent events kept per shard before they are merged in.
    const MERGE: usize = 64;

    fn get(&self, h: &Hash) -> Option<u64> {
        let s = self.shards.get(usize::from(h.0[0]))?;
        if let Some(i) = s.recent.get(h) {
            return Some(*i);
        }
        search(&s.sorted, h).ok().map(|p| s.sorted[p].1)
    }

    fn insert(&mut self, h: Hash, index: u64) {
        if self.shards.is_empty() {
            self.shards = vec![EventShard::default(); 256];
        }
        let s = &mut self.shards[usize::from(h.0[0])];
        if let Ok(p) = search(&s.sorted, &h) {
            s.sorted[p].1 = index;
            return;
        }
        s.recent.insert(h, index);
        if s.recent.len() >= Self::MERGE {
            let mut add: Vec<(Hash, u64)> = s.recent.drain().collect();
            add.sort_unstable_by_key(|e| e.0);
            let mut merged = Vec::with_capacity(s.sorted.len() + add.len());
            let (mut a, mut b) = (s.sorted.iter().peekable(), add.into_iter().peekable());
            loop {
                match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) if x.0 <= y.0 => merged.extend(a.next().copied()),
                    (_, Some(_)) => merged.extend(b.next()),
                    (Some(_), None) => merged.extend(a.next().copied()),
                    (None, None) => break,
                }
            }
            s.sorted = merged;
        }
    }
}

/// The whole state in memory.
#[derive(Clone, Debug, Default)]
pub struct MemState {
    origin: Option<Origin>,
    size: u64,
    keys: HashMap<KeyId, KeyEntry>,
    actors: HashMap<Id, ActorState>,
    sites: HashMap<SiteId, SiteState>,
    licences: HashMap<Id, Licence>,
    allocations: BTreeMap<(String, u8, u64), Allocation>,
    tags: HashMap<TagId, Id>,
    /// Boxed: the table's slots outnumber the lots up to twice, and an
    /// empty slot of an inline LotState costs as much as a full one.
    lots: HashMap<Id, Box<LotState>>,
    /// Each lot's figure events by position. Grouped per lot rather than
    /// keyed by (lot, position): a million-entry audit holds half a million
    /// of them, and a second copy of the lot id plus a tree node apiece was
    /// the largest part of a verifier's memory.
    figures: HashMap<Id, Vec<FigureEvent>>,
    certs: HashMap<Id, Cert>,
    requests: HashMap<Id, Request>,
    cases: HashMap<Hash, CaseState>,
    events: EventIndex,
}

impl MemState {
    /// An empty state (an empty log).
    pub fn new() -> MemState {
        MemState::default()
    }

    /// Writes the changes of one applied entry and counts it.
    pub fn commit(&mut self, changes: &[Change]) {
        for c in changes {
            self.put(c.clone());
        }
        self.size += 1;
    }

    /// Writes changes without counting entries (a store applying a whole
    /// batch sets the count with `set_size`).
    pub fn put_all(&mut self, changes: &[Change]) {
        for c in changes {
            self.put(c.clone());
        }
    }

    /// Sets the entry count.
    pub fn set_size(&mut self, size: u64) {
        self.size = size;
    }

    /// Moves the entry count forward to `index` without applying anything:
    /// replaying a bundle, which holds only some entries of a log.
    pub fn skip_to(&mut self, index: u64) {
        self.size = self.size.max(index);
    }

    fn put(&mut self, c: Change) {
        match c {
            Change::Origin { origin } => self.origin = Some(origin),
            Change::Key { id, entry } => {
                self.keys.insert(id, entry);
            }
            Change::Actor { actor } => {
                self.actors.insert(actor.profile.id.clone(), actor);
            }
            Change::Site { site } => {
                self.sites.insert(site.record.id.clone(), site);
            }
            Change::Licence { licence } => {
                self.licences.insert(licence.id.clone(), licence);
            }
            Change::Allocation { allocation } => {
                let key = (
                    allocation.prefix.to_string(),
                    allocation.width,
                    allocation.first,
                );
                self.allocations.insert(key, allocation);
            }
            Change::Tag { tag, lot } => {
                self.tags.insert(tag, lot);
            }
            Change::Lot { lot } => {
                self.lots.insert(lot.id.clone(), Box::new(lot));
            }
            Change::Figure { lot, n, figure } => {
                let v = self.figures.entry(lot).or_default();
                match usize::try_from(n) {
                    Ok(i) if i < v.len() => v[i] = figure,
                    // Grown one at a time: lots average about five
                    // figure events, and doubling would leave a third of
                    // the space empty across half a million of them.
                    Ok(i) if i == v.len() => {
                        v.reserve_exact(1);
                        v.push(figure);
                    }
                    // Positions come in order from `rules::apply`; a gap
                    // would be a bug there. Keep the order anyway.
                    _ => v.push(figure),
                }
            }
            Change::Cert { cert } => {
                self.certs.insert(cert.id.clone(), cert);
            }
            Change::Request { request } => {
                self.requests.insert(request.id.clone(), request);
            }
            Change::Case { case } => {
                self.cases.insert(case.id, case);
            }
            Change::Event { hash, index } => {
                self.events.insert(hash, index);
            }
        }
    }

    /// Every lot, in no particular order.
    pub fn lots(&self) -> impl Iterator<Item = &LotState> {
        self.lots.values().map(|l| &**l)
    }

    /// Every actor.
    pub fn actors(&self) -> impl Iterator<Item = &ActorState> {
        self.actors.values()
    }

    /// Every site.
    pub fn sites(&self) -> impl Iterator<Item = &SiteState> {
        self.sites.values()
    }

    /// Every incident case.
    pub fn cases(&self) -> impl Iterator<Item = &CaseState> {
        self.cases.values()
    }

    /// Every certificate.
    pub fn certs(&self) -> impl Iterator<Item = &Cert> {
        self.certs.values()
    }

    /// Every tag allocation.
    pub fn allocations(&self) -> impl Iterator<Item = &Allocation> {
        self.allocations.values()
    }

    /// Every licence.
    pub fn licences(&self) -> impl Iterator<Item = &Licence> {
        self.licences.values()
    }

    /// Every registered key.
    pub fn keys(&self) -> impl Iterator<Item = (&KeyId, &KeyEntry)> {
        self.keys.iter()
    }
}

impl StateRead for MemState {
    fn origin(&self) -> Result<Option<Origin>, StateError> {
        Ok(self.origin.clone())
    }
    fn size(&self) -> Result<u64, StateError> {
        Ok(self.size)
    }
    fn key(&self, id: &KeyId) -> Result<Option<KeyEntry>, StateError> {
        Ok(self.keys.get(id).cloned())
    }
    fn actor(&self, id: &str) -> Result<Option<ActorState>, StateError> {
        Ok(self.actors.get(id).cloned())
    }
    fn site(&self, id: &str) -> Result<Option<SiteState>, StateError> {
        Ok(self.sites.get(id).cloned())
    }
    fn licence(&self, id: &str) -> Result<Option<Licence>, StateError> {
        Ok(self.licences.get(id).cloned())
    }
    fn allocation_floor(
        &self,
        prefix: &str,
        width: u8,
        n: u64,
    ) -> Result<Option<Allocation>, StateError> {
        let hi = (prefix.to_string(), width, n);
        Ok(self
            .allocations
            .range(..=hi)
            .next_back()
            .filter(|(k, _)| k.0 == prefix && k.1 == width)
            .map(|(_, a)| a.clone()))
    }
    fn tag_lot(&self, tag: &str) -> Result<Option<Id>, StateError> {
        Ok(self.tags.get(tag).cloned())
    }
    fn lot(&self, id: &str) -> Result<Option<LotState>, StateError> {
        Ok(self.lots.get(id).map(|l| (**l).clone()))
    }
    fn figures(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError> {
        Ok(self.figures.get(lot).cloned().unwrap_or_default())
    }
    fn cert(&self, id: &str) -> Result<Option<Cert>, StateError> {
        Ok(self.certs.get(id).cloned())
    }
    fn request(&self, id: &str) -> Result<Option<Request>, StateError> {
        Ok(self.requests.get(id).cloned())
    }
    fn case(&self, id: &Hash) -> Result<Option<CaseState>, StateError> {
        Ok(self.cases.get(id).cloned())
    }
    fn event_index(&self, hash: &Hash) -> Result<Option<u64>, StateError> {
        Ok(self.events.get(hash))
    }
}

/// Uncommitted changes on top of a base state: what a batch of entries has
/// done so far, readable as if committed. The node applies a group commit
/// through one of these, then writes `pending` to its store.
pub struct Overlay<'a, B: StateRead + ?Sized> {
    base: &'a B,
    top: MemState,
    base_size: u64,
    /// Every change in order, for the store to write.
    pub pending: Vec<Change>,
}

impl<'a, B: StateRead + ?Sized> Overlay<'a, B> {
    /// An overlay with nothing pending.
    ///
    /// # Errors
    /// If the base size cannot be read.
    pub fn new(base: &'a B) -> Result<Overlay<'a, B>, StateError> {
        Ok(Overlay {
            base,
            top: MemState::new(),
            base_size: base.size()?,
            pending: Vec::new(),
        })
    }

    /// Adds one applied entry's changes.
    pub fn commit(&mut self, changes: &[Change]) {
        self.top.commit(changes);
        self.pending.extend_from_slice(changes);
    }

    /// Number of entries added on top of the base.
    pub fn added(&self) -> u64 {
        self.top.size
    }
}

impl<B: StateRead + ?Sized> StateRead for Overlay<'_, B> {
    fn origin(&self) -> Result<Option<Origin>, StateError> {
        match self.top.origin() {
            Ok(Some(o)) => Ok(Some(o)),
            _ => self.base.origin(),
        }
    }
    fn size(&self) -> Result<u64, StateError> {
        Ok(self.base_size + self.top.size)
    }
    fn key(&self, id: &KeyId) -> Result<Option<KeyEntry>, StateError> {
        match self.top.keys.get(id) {
            Some(k) => Ok(Some(k.clone())),
            None => self.base.key(id),
        }
    }
    fn actor(&self, id: &str) -> Result<Option<ActorState>, StateError> {
        match self.top.actors.get(id) {
            Some(a) => Ok(Some(a.clone())),
            None => self.base.actor(id),
        }
    }
    fn site(&self, id: &str) -> Result<Option<SiteState>, StateError> {
        match self.top.sites.get(id) {
            Some(s) => Ok(Some(s.clone())),
            None => self.base.site(id),
        }
    }
    fn licence(&self, id: &str) -> Result<Option<Licence>, StateError> {
        match self.top.licences.get(id) {
            Some(l) => Ok(Some(l.clone())),
            None => self.base.licence(id),
        }
    }
    fn allocation_floor(
        &self,
        prefix: &str,
        width: u8,
        n: u64,
    ) -> Result<Option<Allocation>, StateError> {
        let a = self.top.allocation_floor(prefix, width, n)?;
        let b = self.base.allocation_floor(prefix, width, n)?;
        Ok(match (a, b) {
            (Some(a), Some(b)) => Some(if a.first >= b.first { a } else { b }),
            (a, b) => a.or(b),
        })
    }
    fn tag_lot(&self, tag: &str) -> Result<Option<Id>, StateError> {
        match self.top.tags.get(tag) {
            Some(l) => Ok(Some(l.clone())),
            None => self.base.tag_lot(tag),
        }
    }
    fn lot(&self, id: &str) -> Result<Option<LotState>, StateError> {
        match self.top.lots.get(id) {
            Some(l) => Ok(Some((**l).clone())),
            None => self.base.lot(id),
        }
    }
    fn figures(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError> {
        // Figures are appended: the top holds only those after the base's.
        let mut v = self.base.figures(lot)?;
        v.extend(self.top.figures(lot)?);
        Ok(v)
    }
    fn cert(&self, id: &str) -> Result<Option<Cert>, StateError> {
        match self.top.certs.get(id) {
            Some(c) => Ok(Some(c.clone())),
            None => self.base.cert(id),
        }
    }
    fn request(&self, id: &str) -> Result<Option<Request>, StateError> {
        match self.top.requests.get(id) {
            Some(r) => Ok(Some(r.clone())),
            None => self.base.request(id),
        }
    }
    fn case(&self, id: &Hash) -> Result<Option<CaseState>, StateError> {
        match self.top.cases.get(id) {
            Some(c) => Ok(Some(c.clone())),
            None => self.base.case(id),
        }
    }
    fn event_index(&self, hash: &Hash) -> Result<Option<u64>, StateError> {
        match self.top.events.get(hash) {
            Some(i) => Ok(Some(i)),
            None => self.base.event_index(hash),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast comparison orders hashes exactly as `Ord` does, including
    /// hashes that share their first eight bytes.
    #[test]
    fn hash_order_is_the_byte_order() {
        let mut hs: Vec<Hash> = (0..2000u64)
            .map(|i| crate::hash::leaf_hash(&i.to_be_bytes()))
            .collect();
        for i in 0..50u8 {
            let mut a = hs[usize::from(i)];
            a.0[31] ^= 1 << (i % 8);
            hs.push(a);
        }
        for a in &hs[..300] {
            for b in &hs {
                assert_eq!(hash_order(a, b), a.cmp(b));
            }
        }
    }

    /// Interpolation search answers exactly as `binary_search`, for hashes
    /// present and absent, uniform or bunched together.
    #[test]
    fn search_agrees_with_binary_search() {
        let uniform: Vec<Hash> = (0..5000u64)
            .map(|i| crate::hash::leaf_hash(&i.to_be_bytes()))
            .collect();
        // Bunched: most share their first eight bytes, a few far apart.
        let mut bunched: Vec<Hash> = uniform[..3000]
            .iter()
            .map(|h| {
                let mut b = *h;
                b.0[..8].copy_from_slice(&[7; 8]);
                b
            })
            .collect();
        bunched.extend(uniform[3000..3010].iter().copied());
        for hs in [uniform, bunched] {
            let mut sorted: Vec<(Hash, u64)> = hs.iter().step_by(2).map(|h| (*h, 0)).collect();
            sorted.sort_unstable_by_key(|e| e.0);
            for h in &hs {
                assert_eq!(
                    search(&sorted, h),
                    sorted.binary_search_by(|(k, _)| k.cmp(h)),
                    "{h:?}"
                );
            }
        }
    }

    /// The sharded index answers exactly as a hash map would, across many
    /// merges, for present, absent and overwritten hashes.
    #[test]
    fn event_index_agrees_with_a_hash_map() {
        let mut idx = EventIndex::default();
        let mut model: HashMap<Hash, u64> = HashMap::new();
        let h = |i: u64| crate::hash::leaf_hash(&i.to_be_bytes());
        assert_eq!(idx.get(&h(0)), None);
        for i in 0..40_000u64 {
            idx.insert(h(i), i);
            model.insert(h(i), i);
            if i % 997 == 0 {
                // Overwrite an older entry (whether merged or still recent).
                idx.insert(h(i / 2), i + 1_000_000);
                model.insert(h(i / 2), i + 1_000_000);
            }
        }
        for i in 0..45_000u64 {
            assert_eq!(idx.get(&h(i)), model.get(&h(i)).copied(), "hash of {i}");
        }
        let merged: usize = idx.shards.iter().map(|s| s.sorted.len()).sum();
        assert!(merged > 30_000, "most entries were merged ({merged})");
        for s in &idx.shards {
            assert!(s.sorted.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(s.recent.len() < EventIndex::MERGE);
        }
    }
}
