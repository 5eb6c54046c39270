//! Lot bundles (`spec/log.md` section 4): which entries one lot's offline
//! proof needs (`closure`), the JSON document, and `verify_bundle`, which
//! replays the entries through the same rules the node applies.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::crypto::{KeyId, event_message};
use crate::event::{Body, Event};
use crate::hash::{Hash, leaf_hash};
use crate::leaf::{ChainBreak, ChainHead, Leaf};
use crate::merkle::verify_inclusion;
use crate::note::{Checkpoint, NoteKey, open_checkpoint};
use crate::pool::{PoolConfig, SigPool};
use crate::rules::{Applied, Refusal, SigMode, Submission, apply};
use crate::state::{MemState, StateError, StateRead};
use crate::types::Id;

/// The bundle format name.
pub const BUNDLE_FORMAT: &str = "madini-bundle/v1";

/// An entity whose history an event belongs to (what the node indexes).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    /// Events of a lot's chain.
    Lot(String),
    /// Registry events about an actor (registration, updates, keys, licences held).
    Actor(String),
    /// Registry events about a site (registration, updates, inspections, status, tags, licences).
    Site(String),
    /// A certificate's issuance.
    Cert(String),
    /// A certificate request.
    Request(String),
    /// An incident case: its report and status changes.
    Case(Hash),
    /// Incident reports naming a lot.
    IncidentLot(String),
    /// Incident reports naming a site.
    IncidentSite(String),
    /// Incident reports naming an actor.
    IncidentActor(String),
}

impl Ref {
    /// A stable byte key for indexes: a kind byte, then the id.
    pub fn key(&self) -> Vec<u8> {
        let (kind, id): (u8, &[u8]) = match self {
            Ref::Lot(i) => (b'L', i.as_bytes()),
            Ref::Actor(i) => (b'A', i.as_bytes()),
            Ref::Site(i) => (b'S', i.as_bytes()),
            Ref::Cert(i) => (b'C', i.as_bytes()),
            Ref::Request(i) => (b'R', i.as_bytes()),
            Ref::Case(h) => (b'K', &h.0),
            Ref::IncidentLot(i) => (b'l', i.as_bytes()),
            Ref::IncidentSite(i) => (b's', i.as_bytes()),
            Ref::IncidentActor(i) => (b'a', i.as_bytes()),
        };
        let mut k = Vec::with_capacity(id.len() + 2);
        k.push(kind);
        k.extend_from_slice(id);
        k.push(0);
        k
    }
}

/// The histories event `ev` (with hash `hash`) belongs to.
pub fn subjects(ev: &Event, hash: &Hash) -> Vec<Ref> {
    let mut out = Vec::new();
    match &ev.body {
        Body::Genesis(g) => out.extend(g.authorities.iter().map(|a| Ref::Actor(a.id.to_string()))),
        Body::ActorRegister(b) => out.push(Ref::Actor(b.actor.id.to_string())),
        Body::ActorUpdate(b) => out.push(Ref::Actor(b.actor.id.to_string())),
        Body::KeyRotate(b) => out.push(Ref::Actor(b.actor.to_string())),
        Body::KeyRevoke(b) => out.push(Ref::Actor(b.actor.to_string())),
        Body::LicenceGrant(b) => {
            out.push(Ref::Actor(b.licence.holder.to_string()));
            if let Some(s) = &b.licence.site {
                out.push(Ref::Site(s.to_string()));
            }
        }
        Body::SiteRegister(b) => out.push(Ref::Site(b.site.id.to_string())),
        Body::SiteUpdate(b) => out.push(Ref::Site(b.site.id.to_string())),
        Body::SiteInspect(b) => out.push(Ref::Site(b.site.to_string())),
        Body::SiteStatus(b) => out.push(Ref::Site(b.site.to_string())),
        Body::TagsAllocate(b) => out.push(Ref::Site(b.site.to_string())),
        Body::CertRequest(b) => out.push(Ref::Request(b.request.id.to_string())),
        Body::CertIssue(b) => out.push(Ref::Cert(b.cert.id.to_string())),
        Body::LotRegister(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotOffer(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotAccept(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotRefuse(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotSplit(b) => {
            out.push(Ref::Lot(b.lot.to_string()));
            out.extend(b.children.iter().map(|c| Ref::Lot(c.lot.to_string())));
        }
        Body::LotMerge(b) => {
            out.extend(b.inputs.iter().map(|i| Ref::Lot(i.lot.to_string())));
            out.push(Ref::Lot(b.lot.to_string()));
        }
        Body::LotProcess(b) => {
            out.extend(b.inputs.iter().map(|i| Ref::Lot(i.lot.to_string())));
            out.push(Ref::Lot(b.lot.to_string()));
        }
        Body::LotTransport(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotStore(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotTax(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotExport(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::LotCorrect(b) => out.push(Ref::Lot(b.lot.to_string())),
        Body::IncidentReport(b) => {
            out.push(Ref::Case(*hash));
            out.extend(
                b.subjects
                    .lots()
                    .iter()
                    .map(|l| Ref::IncidentLot(l.to_string())),
            );
            out.extend(
                b.subjects
                    .sites()
                    .iter()
                    .map(|s| Ref::IncidentSite(s.to_string())),
            );
            out.extend(
                b.subjects
                    .actors()
                    .iter()
                    .map(|a| Ref::IncidentActor(a.to_string())),
            );
        }
        Body::IncidentStatus(b) => out.push(Ref::Case(b.case)),
    }
    out
}

/// What replaying `ev` needs: histories, each up to an index (inclusive) or whole.
fn needs(ev: &Event, index: u64, signer: Option<&Id>) -> Vec<(Ref, Option<u64>)> {
    let upto = Some(index);
    let mut out: Vec<(Ref, Option<u64>)> = Vec::new();
    if let Some(a) = signer {
        out.push((Ref::Actor(a.to_string()), None));
    }
    let lot = |l: &Id| (Ref::Lot(l.to_string()), upto);
    match &ev.body {
        Body::Genesis(_) => {}
        Body::ActorRegister(_) | Body::ActorUpdate(_) | Body::KeyRotate(_) | Body::KeyRevoke(_) => {
            out.extend(
                subjects(ev, &Hash::default())
                    .into_iter()
                    .map(|r| (r, None)),
            );
        }
        Body::LicenceGrant(_) => {
            out.extend(
                subjects(ev, &Hash::default())
                    .into_iter()
                    .map(|r| (r, None)),
            );
        }
        Body::SiteRegister(b) => out.extend(
            b.site
                .operators
                .iter()
                .map(|o| (Ref::Actor(o.to_string()), None)),
        ),
        Body::SiteUpdate(b) => {
            out.push((Ref::Site(b.site.id.to_string()), None));
            out.extend(
                b.site
                    .operators
                    .iter()
                    .map(|o| (Ref::Actor(o.to_string()), None)),
            );
        }
        Body::SiteInspect(b) => out.push((Ref::Site(b.site.to_string()), None)),
        Body::SiteStatus(b) => out.push((Ref::Site(b.site.to_string()), None)),
        Body::TagsAllocate(b) => out.push((Ref::Site(b.site.to_string()), None)),
        Body::CertRequest(b) => out.extend(b.request.lots.iter().map(lot)),
        Body::CertIssue(b) => {
            out.push((Ref::Actor(b.cert.exporter.to_string()), None));
            out.extend(b.cert.lots.iter().map(lot));
            if let Some(r) = &b.cert.request {
                out.push((Ref::Request(r.to_string()), None));
            }
        }
        Body::LotRegister(b) => out.push((Ref::Site(b.site.to_string()), None)),
        Body::LotOffer(b) => {
            out.push(lot(&b.lot));
            out.push((Ref::Actor(b.to.to_string()), None));
        }
        Body::LotStore(b) => {
            out.push(lot(&b.lot));
            if let Some(w) = &b.warehouse {
                out.push((Ref::Actor(w.to_string()), None));
            }
        }
        Body::LotExport(b) => {
            out.push(lot(&b.lot));
            out.push((Ref::Cert(b.cert.to_string()), None));
        }
        Body::LotSplit(b) => out.push(lot(&b.lot)),
        Body::LotMerge(b) => out.extend(b.inputs.iter().map(|i| lot(&i.lot))),
        Body::LotProcess(b) => out.extend(b.inputs.iter().map(|i| lot(&i.lot))),
        Body::LotAccept(b) => out.push(lot(&b.lot)),
        Body::LotRefuse(b) => out.push(lot(&b.lot)),
        Body::LotTransport(b) => out.push(lot(&b.lot)),
        Body::LotTax(b) => out.push(lot(&b.lot)),
        Body::LotCorrect(b) => out.push(lot(&b.lot)),
        Body::IncidentReport(b) => {
            out.extend(b.subjects.lots().iter().map(lot));
            out.extend(
                b.subjects
                    .sites()
                    .iter()
                    .map(|s| (Ref::Site(s.to_string()), None)),
            );
            out.extend(
                b.subjects
                    .actors()
                    .iter()
                    .map(|a| (Ref::Actor(a.to_string()), None)),
            );
        }
        Body::IncidentStatus(b) => out.push((Ref::Case(b.case), None)),
    }
    out
}

/// Read access to a log and its history indexes, for building bundles.
pub trait LogIndex {
    /// Indexes of the events in `r`'s history, ascending.
    ///
    /// # Errors
    /// Storage failures.
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError>;
    /// The encoded leaf at `index`.
    ///
    /// # Errors
    /// Storage failures, or an index beyond the log.
    fn leaf(&self, index: u64) -> Result<Vec<u8>, StateError>;
    /// The actor owning a key, if any.
    ///
    /// # Errors
    /// Storage failures.
    fn key_owner(&self, key: &KeyId) -> Result<Option<Id>, StateError>;
}

/// The indexes of every entry a bundle for `lot` must hold (`spec/log.md`
/// section 4), limited to entries below `size`.
///
/// # Errors
/// Storage failures, or an entry that cannot be decoded.
pub fn closure(
    index: &(impl LogIndex + ?Sized),
    lot: &Id,
    size: u64,
) -> Result<BTreeSet<u64>, StateError> {
    let mut included: BTreeSet<u64> = BTreeSet::new();
    // Per history: how far it has been scanned (None = whole).
    let mut scanned: HashMap<Ref, Option<u64>> = HashMap::new();
    let mut queue: VecDeque<(Ref, Option<u64>)> = VecDeque::new();
    let mut pending_events: VecDeque<u64> = VecDeque::new();
    if size > 0 {
        included.insert(0);
    }
    queue.push_back((Ref::Lot(lot.to_string()), None));
    loop {
        if let Some(i) = pending_events.pop_front() {
            let leaf =
                Leaf::decode(&index.leaf(i)?).map_err(|e| StateError(format!("entry {i}: {e}")))?;
            let ev =
                Event::decode(&leaf.event).map_err(|e| StateError(format!("entry {i}: {e}")))?;
            let signer = index.key_owner(&ev.key)?;
            for n in needs(&ev, i, signer.as_ref()) {
                queue.push_back(n);
            }
            continue;
        }
        let Some((r, upto)) = queue.pop_front() else {
            break;
        };
        let limit = upto.map_or(size, |u| (u + 1).min(size));
        let from = match scanned.get(&r) {
            Some(None) => continue,
            Some(Some(done)) if upto.is_some_and(|u| u <= *done) => continue,
            Some(Some(done)) => Some(*done),
            None => None,
        };
        scanned.insert(r.clone(), upto);
        for i in index.entries(&r)? {
            if i >= limit {
                break;
            }
            if from.is_some_and(|f| i <= f) {
                continue;
            }
            if included.insert(i) {
                pending_events.push_back(i);
            }
        }
        let incidents = match &r {
            Ref::Lot(l) => Some(Ref::IncidentLot(l.to_string())),
            Ref::Site(s) => Some(Ref::IncidentSite(s.to_string())),
            Ref::Actor(a) => Some(Ref::IncidentActor(a.to_string())),
            _ => None,
        };
        if let Some(inc) = incidents {
            queue.push_back((inc, None));
        }
        if let Ref::IncidentLot(_) | Ref::IncidentSite(_) | Ref::IncidentActor(_) = &r {
            // Each report's case history (its status changes) comes too.
            for i in index.entries(&r)? {
                if i < size {
                    let leaf = Leaf::decode(&index.leaf(i)?)
                        .map_err(|e| StateError(format!("entry {i}: {e}")))?;
                    queue.push_back((Ref::Case(crate::event::event_hash(&leaf.event)), None));
                }
            }
        }
    }
    Ok(included)
}

/// An in-memory history index over a list of leaves (for `MemLog` users:
/// tests, the CLI's offline tools, the scenario generator).
#[derive(Default, Debug, Clone)]
pub struct MemIndex {
    refs: BTreeMap<Ref, Vec<u64>>,
    leaves: Vec<Vec<u8>>,
    owners: HashMap<KeyId, Id>,
}

impl MemIndex {
    /// Indexes entries; `owners` maps every registered key to its actor.
    pub fn new(leaves: &[Vec<u8>], state: &MemState) -> MemIndex {
        let mut idx = MemIndex {
            leaves: leaves.to_vec(),
            ..MemIndex::default()
        };
        for (k, e) in state.keys() {
            if let crate::state::KeyOwner::Actor(a) = &e.owner {
                idx.owners.insert(*k, a.clone());
            }
        }
        for (i, l) in leaves.iter().enumerate() {
            let Ok(leaf) = Leaf::decode(l) else { continue };
            let Ok(ev) = Event::decode(&leaf.event) else {
                continue;
            };
            let h = crate::event::event_hash(&leaf.event);
            for r in subjects(&ev, &h) {
                let v = idx.refs.entry(r).or_default();
                if v.last() != Some(&(i as u64)) {
                    v.push(i as u64);
                }
            }
        }
        idx
    }
}

impl LogIndex for MemIndex {
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        Ok(self.refs.get(r).cloned().unwrap_or_default())
    }
    fn leaf(&self, index: u64) -> Result<Vec<u8>, StateError> {
        self.leaves
            .get(index as usize)
            .cloned()
            .ok_or_else(|| StateError(format!("no entry {index}")))
    }
    fn key_owner(&self, key: &KeyId) -> Result<Option<Id>, StateError> {
        Ok(self.owners.get(key).cloned())
    }
}

/// A lot bundle document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Always `madini-bundle/v1`.
    pub format: String,
    /// Log origin.
    pub origin: String,
    /// The lot.
    pub lot: String,
    /// The signed checkpoint every proof leads to.
    pub checkpoint: String,
    /// Entries in increasing index order.
    pub entries: Vec<BundleEntry>,
}

/// One entry of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry {
    /// Log index.
    pub index: u64,
    /// Standard base64 of the leaf.
    pub leaf: String,
    /// Inclusion proof (standard base64 hashes).
    pub proof: Vec<String>,
}

/// Builds a bundle for `lot` from a log index, with proofs from `prove`
/// (index, tree size) to the tree of `checkpoint`.
///
/// # Errors
/// Storage failures.
pub fn build_bundle(
    index: &(impl LogIndex + ?Sized),
    lot: &Id,
    origin: &str,
    checkpoint_note: &str,
    checkpoint_size: u64,
    prove: impl Fn(u64, u64) -> Result<Vec<Hash>, StateError>,
) -> Result<Bundle, StateError> {
    let set = closure(index, lot, checkpoint_size)?;
    let mut entries = Vec::with_capacity(set.len());
    for i in set {
        let leaf = index.leaf(i)?;
        entries.push(BundleEntry {
            index: i,
            leaf: B64.encode(&leaf),
            proof: prove(i, checkpoint_size)?
                .iter()
                .map(Hash::to_base64)
                .collect(),
        });
    }
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_string(),
        origin: origin.to_string(),
        lot: lot.to_string(),
        checkpoint: checkpoint_note.to_string(),
        entries,
    })
}

/// Why a bundle does not verify. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The JSON is not a bundle.
    #[error("not a Madini bundle: {0}")]
    Format(String),
    /// The checkpoint does not verify under the trusted key.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// An entry is malformed, out of order, or not in the tree.
    #[error("entry {index}: {reason}")]
    Entry {
        /// Log index.
        index: u64,
        /// What is wrong.
        reason: String,
    },
    /// Replaying an entry broke a rule (or the bundle lacks what the rules need).
    #[error("entry {index}: refused on replay: {refusal}")]
    Replay {
        /// Log index.
        index: u64,
        /// The refusal.
        refusal: Refusal,
    },
    /// The lot is not in the bundle.
    #[error("lot {0} is not created by any entry of the bundle")]
    MissingLot(String),
}

/// One verified entry of a bundle.
#[derive(Clone, Debug)]
pub struct VerifiedEntry {
    /// Log index.
    pub index: u64,
    /// The leaf.
    pub leaf: Leaf,
    /// Its leaf hash.
    pub leaf_hash: Hash,
    /// The event.
    pub event: Event,
    /// Event hash.
    pub event_hash: Hash,
    /// What applying it did.
    pub applied: Applied,
}

/// A bundle that verified: its checkpoint, entries and the replayed state.
#[derive(Clone, Debug)]
pub struct VerifiedBundle {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The entries, in order.
    pub entries: Vec<VerifiedEntry>,
    /// The state after replaying them.
    pub state: MemState,
}

/// Signature checks that run beside the replay: the replay hands over each
/// entry's key as soon as it has resolved it, a worker of the signature
/// pool checks them with `verify_strict` while the replay goes on (its rules
/// include a scalar multiplication per new key), and the replay thread takes
/// its share once it is done. Verdicts are `verify_strict`'s, whoever checks.
struct SigChecker {
    pool: SigPool,
    bad: Arc<Mutex<Option<u64>>>,
}

impl SigChecker {
    fn new(entries: usize) -> SigChecker {
        let config = PoolConfig {
            // Below a few entries a thread costs more than it saves.
            threads: usize::from(entries >= 8),
            max_batch: 1,
            gather: 0,
            gather_wait: std::time::Duration::ZERO,
            // One by one: a bundle's entries arrive one at a time, and
            // `verify_strict` needs no seed.
            min_batch: usize::MAX,
            max_queued: 0,
        };
        SigChecker {
            pool: SigPool::start(config, [0; 32], "bundle-verify"),
            bad: Arc::default(),
        }
    }

    fn add(&self, index: u64, pk: crate::crypto::PublicKey, leaf: &Leaf) {
        let bad = self.bad.clone();
        self.pool.submit(
            vec![(pk, event_message(&leaf.event), leaf.signature)],
            move |v| {
                if v.contains(&false) {
                    let mut b = bad.lock().unwrap_or_else(PoisonError::into_inner);
                    *b = Some(b.map_or(index, |x| x.min(index)));
                }
            },
        );
    }

    /// Checks what is left and returns the first entry whose signature
    /// failed, among those handed over.
    fn finish(self) -> Option<u64> {
        self.pool.finish();
        *self.bad.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn bad_signature(index: u64) -> BundleError {
    BundleError::Replay {
        index,
        refusal: Refusal {
            rule: crate::rules::Rule::BadSignature,
            message: "the signature does not verify".into(),
        },
    }
}

/// Verifies a bundle against a trusted log key (`spec/log.md` section 4).
///
/// # Errors
/// The first problem found, saying where.
pub fn verify_bundle(bundle: &Bundle, trusted: &NoteKey) -> Result<VerifiedBundle, BundleError> {
    if bundle.format != BUNDLE_FORMAT {
        return Err(BundleError::Format(format!(
            "format is {:?}, expected {BUNDLE_FORMAT:?}",
            bundle.format
        )));
    }
    let cp = open_checkpoint(&bundle.checkpoint, trusted)
        .map_err(|e| BundleError::Checkpoint(e.to_string()))?;
    if cp.origin != bundle.origin {
        return Err(BundleError::Checkpoint(format!(
            "origin {:?} differs from the bundle's {:?}",
            cp.origin, bundle.origin
        )));
    }
    let checker = SigChecker::new(bundle.entries.len());
    let replayed = replay(bundle, &cp, &checker);
    // A bad signature is the first problem if no earlier entry failed.
    let bad = checker.finish();
    let (out, state) = match replayed {
        Ok(x) => x,
        Err((at, e)) => {
            return Err(match bad {
                Some(i) if i < at => bad_signature(i),
                _ => e,
            });
        }
    };
    if let Some(i) = bad {
        return Err(bad_signature(i));
    }
    if state.lot(&bundle.lot).ok().flatten().is_none() {
        return Err(BundleError::MissingLot(bundle.lot.to_string()));
    }
    Ok(VerifiedBundle {
        checkpoint: cp,
        entries: out,
        state,
    })
}

/// Replays a bundle's entries under its checkpoint: proofs, chain, rules.
/// Each entry's key goes to `checker` as soon as it is known. An error
/// comes with the index of the entry where it was found.
fn replay(
    bundle: &Bundle,
    cp: &Checkpoint,
    checker: &SigChecker,
) -> Result<(Vec<VerifiedEntry>, MemState), (u64, BundleError)> {
    let mut state = MemState::new();
    let mut out = Vec::with_capacity(bundle.entries.len());
    let mut prev: Option<(u64, ChainHead)> = None;
    for e in &bundle.entries {
        let at = |reason: String| {
            (
                e.index,
                BundleError::Entry {
                    index: e.index,
                    reason,
                },
            )
        };
        if e.index >= cp.size {
            return Err(at(format!(
                "index is not below the checkpoint's tree size {}",
                cp.size
            )));
        }
        if let Some((pi, _)) = prev
            && e.index <= pi
        {
            return Err(at(
                "entries are not in strictly increasing index order".into()
            ));
        }
        let bytes = B64
            .decode(&e.leaf)
            .map_err(|_| at("leaf is not base64".into()))?;
        let lh = leaf_hash(&bytes);
        let proof: Vec<Hash> = e
            .proof
            .iter()
            .map(|p| Hash::from_base64(p))
            .collect::<Result<_, _>>()
            .map_err(|_| at("a proof hash is not base64 of 32 bytes".into()))?;
        verify_inclusion(&lh.0, e.index, cp.size, &proof, &cp.root.0)
            .map_err(|err| at(format!("inclusion proof: {err}")))?;
        let leaf = Leaf::decode(&bytes).map_err(|err| at(err.to_string()))?;
        // The chain is checked where two entries are consecutive, and at
        // entry 0 against the start.
        let head = match prev {
            Some((pi, head)) if pi + 1 == e.index => Some((pi, head)),
            None if e.index == 0 => Some((0, ChainHead::start())),
            _ => None,
        };
        if let Some((pi, head)) = head {
            head.check(&leaf.prev_leaf, leaf.record_time)
                .map_err(|b| match (b, prev) {
                    (ChainBreak::PrevLeaf, None) => {
                        at("entry 0 must have a zero previous-leaf hash".into())
                    }
                    (ChainBreak::PrevLeaf, Some(_)) => {
                        at(format!("previous-leaf hash does not match entry {pi}"))
                    }
                    (ChainBreak::RecordTime, _) => {
                        at(format!("record time is earlier than entry {pi}'s"))
                    }
                })?;
        }
        state.skip_to(e.index);
        let replay_err = |refusal| {
            (
                e.index,
                BundleError::Replay {
                    index: e.index,
                    refusal,
                },
            )
        };
        let sub = Submission::decode(leaf.event.clone(), leaf.signature).map_err(replay_err)?;
        // The replay needs only to know which key must verify; the
        // signature itself is checked beside it (SigChecker).
        let applied = apply(&state, &sub, SigMode::Known(true)).map_err(replay_err)?;
        checker.add(e.index, applied.pk, &leaf);
        state.commit(&applied.changes);
        prev = Some((
            e.index,
            ChainHead {
                leaf_hash: lh,
                record_time: leaf.record_time,
            },
        ));
        out.push(VerifiedEntry {
            index: e.index,
            leaf_hash: lh,
            event: sub.event,
            event_hash: sub.hash,
            leaf,
            applied,
        });
    }
    Ok((out, state))
}
