//! The node's indexes (`ARCHITECTURE.md`, "Storage"): ledger state, Merkle
//! stored hashes, per-entity histories and the lot list, behind the `Store`
//! trait, with a sled implementation and an in-memory one for tests.
//!
//! Everything here can be rebuilt from the journal (`madini-node reindex`);
//! nothing here is the source of truth.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::RwLock;

use ledger_core::bundle::Ref;
use ledger_core::crypto::KeyId;
use ledger_core::event::{Cert, Licence, Request};
use ledger_core::hash::Hash;
use ledger_core::merkle::{HashReader, TreeError};
use ledger_core::state::{
    ActorState, Allocation, CaseState, Change, FigureEvent, KeyEntry, LotState, MemState,
    SiteState, StateError, StateRead,
};
use ledger_core::types::{Id, Origin};

use crate::events::EventIndex;
use crate::hashfile::HashFile;

/// Everything one group commit writes to the indexes.
#[derive(Clone, Debug, Default)]
pub struct CommitBatch {
    /// Number of entries after the batch.
    pub size: u64,
    /// State changes of every entry, in order.
    pub changes: Vec<Change>,
    /// New Merkle stored hashes.
    pub hashes: Vec<(u8, u64, Hash)>,
    /// History index entries: an entity and an entry index.
    pub refs: Vec<(Ref, u64)>,
    /// Lots created: creation index and lot id.
    pub lots: Vec<(u64, Id)>,
}

/// The node's index storage.
pub trait Store: StateRead + HashReader + Send + Sync + 'static {
    /// Entry indexes in `r`'s history, ascending.
    ///
    /// # Errors
    /// Storage failures (here and below).
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError>;
    /// Lots, newest first by creation index, created before `before`.
    fn lots_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<(u64, Id)>, StateError>;
    /// Every actor.
    fn actors(&self) -> Result<Vec<ActorState>, StateError>;
    /// Every site.
    fn sites(&self) -> Result<Vec<SiteState>, StateError>;
    /// Writes one group commit. Writing the same batch twice is harmless
    /// (replay after a crash).
    fn commit(&self, batch: &CommitBatch) -> Result<(), StateError>;
    /// Empties every index (before `reindex`).
    fn clear(&self) -> Result<(), StateError>;
    /// Asks the backend to write its caches out (not a durability point).
    fn flush(&self) -> Result<(), StateError>;
    /// Bytes the backend uses on disk, if it knows.
    fn disk_bytes(&self) -> Option<u64> {
        None
    }
    /// Writes Merkle stored hashes alone, ahead of the rest of a commit.
    ///
    /// # Errors
    /// Storage failures.
    fn append_hashes(&self, hashes: &[(u8, u64, Hash)]) -> Result<(), StateError>;
    /// Makes the stored Merkle hashes exactly those of the indexed entries,
    /// whose leaf hashes are `leaves`, rebuilding them if they do not match
    /// (a backend that keeps them apart from its state, unsynced). Returns
    /// whether it rebuilt.
    fn repair_hashes(&self, leaves: &[Hash]) -> Result<bool, StateError> {
        let _ = leaves;
        Ok(false)
    }
    /// Makes the event index hold exactly `events`, the event hashes of the
    /// indexed entries in order, rewriting it if it differs (a backend that
    /// keeps it apart from its state, unsynced). Returns whether it rewrote.
    fn repair_events(&self, events: &[Hash]) -> Result<bool, StateError> {
        let _ = events;
        Ok(false)
    }
    /// Stored Merkle hashes by their position in `sumdb/tlog` order
    /// (`stored_hash_index`), in one batched read (tlog's `ReadHashes`).
    ///
    /// # Errors
    /// A hash that is not stored, or storage failures.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, StateError> {
        indexes
            .iter()
            .map(|&i| {
                let (level, n) = split_stored_hash_index(i);
                self.read_hash(level, n).map_err(serr)
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// In memory.

#[derive(Default)]
struct MemInner {
    state: MemState,
    hashes: HashMap<(u8, u64), Hash>,
    refs: BTreeMap<Ref, Vec<u64>>,
    lots: BTreeMap<(u64, Id), ()>,
}

/// Indexes held in memory (tests, and a node started with `--memory`).
#[derive(Default)]
pub struct MemStore {
    inner: RwLock<MemInner>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> MemStore {
        MemStore::default()
    }

    fn read<T>(&self, f: impl FnOnce(&MemInner) -> T) -> Result<T, StateError> {
        let g = self
            .inner
            .read()
            .map_err(|_| StateError("store lock poisoned".into()))?;
        Ok(f(&g))
    }
}

impl StateRead for MemStore {
    fn origin(&self) -> Result<Option<Origin>, StateError> {
        self.read(|i| i.state.origin())?
    }
    fn size(&self) -> Result<u64, StateError> {
        self.read(|i| i.state.size())?
    }
    fn key(&self, id: &KeyId) -> Result<Option<KeyEntry>, StateError> {
        self.read(|i| i.state.key(id))?
    }
    fn actor(&self, id: &str) -> Result<Option<ActorState>, StateError> {
        self.read(|i| i.state.actor(id))?
    }
    fn site(&self, id: &str) -> Result<Option<SiteState>, StateError> {
        self.read(|i| i.state.site(id))?
    }
    fn licence(&self, id: &str) -> Result<Option<Licence>, StateError> {
        self.read(|i| i.state.licence(id))?
    }
    fn allocation_floor(
        &self,
        prefix: &str,
        width: u8,
        n: u64,
    ) -> Result<Option<Allocation>, StateError> {
        self.read(|i| i.state.allocation_floor(prefix, width, n))?
    }
    fn tag_lot(&self, tag: &str) -> Result<Option<Id>, StateError> {
        self.read(|i| i.state.tag_lot(tag))?
    }
    fn lot(&self, id: &str) -> Result<Option<LotState>, StateError> {
        self.read(|i| i.state.lot(id))?
    }
    fn figures(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError> {
        self.read(|i| i.state.figures(lot))?
    }
    fn cert(&self, id: &str) -> Result<Option<Cert>, StateError> {
        self.read(|i| i.state.cert(id))?
    }
    fn request(&self, id: &str) -> Result<Option<Request>, StateError> {
        self.read(|i| i.state.request(id))?
    }
    fn case(&self, id: &Hash) -> Result<Option<CaseState>, StateError> {
        self.read(|i| i.state.case(id))?
    }
    fn event_index(&self, hash: &Hash) -> Result<Option<u64>, StateError> {
        self.read(|i| i.state.event_index(hash))?
    }
}

impl HashReader for MemStore {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        let g = self
            .inner
            .read()
            .map_err(|_| TreeError::Storage("store lock poisoned".into()))?;
        g.hashes
            .get(&(level, index))
            .copied()
            .ok_or(TreeError::Missing { level, index })
    }
}

impl Store for MemStore {
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        self.read(|i| i.refs.get(r).cloned().unwrap_or_default())
    }
    fn lots_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<(u64, Id)>, StateError> {
        self.read(|i| {
            i.lots
                .keys()
                .rev()
                .filter(|(idx, _)| before.is_none_or(|b| *idx < b))
                .take(limit)
                .cloned()
                .collect()
        })
    }
    fn actors(&self) -> Result<Vec<ActorState>, StateError> {
        self.read(|i| {
            let mut v: Vec<ActorState> = i.state.actors().cloned().collect();
            v.sort_by(|a, b| a.profile.id.cmp(&b.profile.id));
            v
        })
    }
    fn sites(&self) -> Result<Vec<SiteState>, StateError> {
        self.read(|i| {
            let mut v: Vec<SiteState> = i.state.sites().cloned().collect();
            v.sort_by(|a, b| a.record.id.cmp(&b.record.id));
            v
        })
    }
    fn commit(&self, b: &CommitBatch) -> Result<(), StateError> {
        let mut g = self
            .inner
            .write()
            .map_err(|_| StateError("store lock poisoned".into()))?;
        g.state.put_all(&b.changes);
        g.state.set_size(b.size);
        for (l, i, h) in &b.hashes {
            g.hashes.insert((*l, *i), *h);
        }
        for (r, i) in &b.refs {
            let v = g.refs.entry(r.clone()).or_default();
            if !v.contains(i) {
                v.push(*i);
                v.sort_unstable();
            }
        }
        for (i, id) in &b.lots {
            g.lots.insert((*i, id.clone()), ());
        }
        Ok(())
    }
    fn clear(&self) -> Result<(), StateError> {
        let mut g = self
            .inner
            .write()
            .map_err(|_| StateError("store lock poisoned".into()))?;
        *g = MemInner::default();
        Ok(())
    }
    fn flush(&self) -> Result<(), StateError> {
        Ok(())
    }
    fn append_hashes(&self, hashes: &[(u8, u64, Hash)]) -> Result<(), StateError> {
        let mut g = self
            .inner
            .write()
            .map_err(|_| StateError("store lock poisoned".into()))?;
        for (l, i, h) in hashes {
            g.hashes.insert((*l, *i), *h);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_stored_hash_index_inverts_stored_hash_index() {
        let mut seen = 0u64;
        for n in 0..2000u64 {
            // Appending entry n stores (0, n) and the subtrees it completes.
            for level in 0..=(n + 1).trailing_zeros() as u8 {
                let i = stored_hash_index(level, n >> level);
                assert_eq!(i, seen, "({level}, {n})");
                assert_eq!(split_stored_hash_index(i), (level, n >> level));
                seen += 1;
            }
        }
        assert_eq!(seen, stored_hash_count(2000));
    }

    #[test]
    fn batched_hash_reads_match_single_reads() {
        let s = MemStore::new();
        let mut tree = ledger_core::merkle::MemoryTree::new();
        let mut batch = CommitBatch::default();
        for i in 0..100u64 {
            let lh = ledger_core::hash::sha256(&i.to_be_bytes());
            for (l, k, h) in ledger_core::merkle::hashes_to_store(i, lh, &tree).unwrap() {
                batch.hashes.push((l, k, h));
            }
            tree.append(lh);
        }
        s.commit(&batch).unwrap();
        let want: Vec<Hash> = (0..stored_hash_count(100))
            .map(|i| {
                let (l, n) = split_stored_hash_index(i);
                s.read_hash(l, n).unwrap()
            })
            .collect();
        let all: Vec<u64> = (0..stored_hash_count(100)).collect();
        assert_eq!(s.read_hashes(&all).unwrap(), want);
        assert!(s.read_hashes(&[stored_hash_count(100)]).is_err());
    }
}

// ---------------------------------------------------------------------------
// sled.

/// Position of stored hash `(level, n)` in the append-only order in which
/// appending leaves produces them: leaf `n`'s hash, then the root of every
/// subtree that leaf completes (the same order as Go's `sumdb/tlog`).
pub fn stored_hash_index(level: u8, n: u64) -> u64 {
    // The n-th hash of a level comes right after the (2n+1)-th of the level
    // below; walk down to level 0, where hash m sits after m + m/2 + m/4 + ...
    // hashes of all levels.
    let mut m = n;
    for _ in 0..level {
        m = 2 * m + 1;
    }
    let mut i = 0u64;
    while m > 0 {
        i += m;
        m >>= 1;
    }
    i + u64::from(level)
}

/// The inverse of `stored_hash_index`: the `(level, n)` of the hash stored
/// at position `index` (Go's `tlog.SplitStoredHashIndex`).
pub fn split_stored_hash_index(index: u64) -> (u8, u64) {
    // The leaf hash of entry n sits before position 2n, so the entry whose
    // append stored this hash is at most log2(index) above index / 2.
    let mut n = index / 2;
    let mut at = stored_hash_index(0, n);
    loop {
        // Entry n stores its leaf hash, then the roots of the
        // trailing_zeros(n + 1) subtrees it completes; entry n + 1's leaf
        // hash comes next.
        let next = at + 1 + u64::from((n + 1).trailing_zeros());
        if next > index {
            break;
        }
        n += 1;
        at = next;
    }
    let level = (index - at) as u8;
    (level, n >> level)
}

/// Number of stored hashes of a tree of `n` leaves.
pub fn stored_hash_count(n: u64) -> u64 {
    2 * n - u64::from(n.count_ones())
}

/// Indexes in a sled database.
pub struct SledStore {
    db: sled::Db,
    state: sled::Tree,
    hashes: HashFile,
    events: EventIndex,
    refs: sled::Tree,
    lots: sled::Tree,
    /// The registry (keys, actors, sites, licences, tag ranges, certificates,
    /// requests, cases): small, read by nearly every event, so held in
    /// memory too. Lots, tags and the event index stay in sled only.
    registry: RwLock<MemState>,
}

/// Whether a change belongs to the in-memory registry.
fn is_registry(c: &Change) -> bool {
    !matches!(
        c,
        Change::Lot { .. } | Change::Figure { .. } | Change::Tag { .. } | Change::Event { .. }
    )
}

/// The layout of the values in the `state` tree, stored under `v`. Version
/// 2 keeps each lot's figures in one value and the event index out of sled.
const FORMAT: u8 = 2;

/// Lot states are the values rewritten most (on every lot event), so they
/// use compact postcard; everything else is self-describing CBOR.
fn dec<T: serde::de::DeserializeOwned>(v: &[u8]) -> Result<T, StateError> {
    ciborium::from_reader(v).map_err(|e| StateError(format!("corrupt index value: {e}")))
}

fn serr(e: impl std::fmt::Display) -> StateError {
    StateError(e.to_string())
}

fn key(prefix: u8, id: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(id.len() + 1);
    k.push(prefix);
    k.extend_from_slice(id);
    k
}

fn alloc_key(prefix: &str, width: u8, first: u64) -> Vec<u8> {
    let mut k = key(b'g', prefix.as_bytes());
    k.push(0);
    k.push(width);
    k.extend_from_slice(&first.to_be_bytes());
    k
}

fn change_kv(c: &Change) -> Result<(Vec<u8>, Vec<u8>), StateError> {
    let enc = |v: &dyn erased::Enc| v.enc();
    Ok(match c {
        Change::Origin { origin } => (vec![b'o'], origin.as_bytes().to_vec()),
        Change::Key { id, entry } => (key(b'k', &id.0), enc(entry)?),
        Change::Actor { actor } => (key(b'a', actor.profile.id.as_bytes()), enc(actor)?),
        Change::Site { site } => (key(b's', site.record.id.as_bytes()), enc(site)?),
        Change::Licence { licence } => (key(b'i', licence.id.as_bytes()), enc(licence)?),
        Change::Allocation { allocation: a } => (alloc_key(&a.prefix, a.width, a.first), enc(a)?),
        Change::Tag { tag, lot } => (key(b't', tag.as_bytes()), lot.as_bytes().to_vec()),
        Change::Figure { .. } | Change::Event { .. } => {
            return Err(StateError(
                "figures and events are not single state values".into(),
            ));
        }
        Change::Lot { lot } => (
            key(b'l', lot.id.as_bytes()),
            postcard::to_allocvec(lot).map_err(|e| StateError(format!("encode lot: {e}")))?,
        ),
        Change::Cert { cert } => (key(b'c', cert.id.as_bytes()), enc(cert)?),
        Change::Request { request } => (key(b'r', request.id.as_bytes()), enc(request)?),
        Change::Case { case } => (key(b'x', &case.id.0), enc(case)?),
    })
}

/// CBOR encoding (self-describing, so optional fields may be omitted) through a small object-safe trait, so `change_kv` can
/// encode any of the entity types in one match.
mod erased {
    use ledger_core::state::StateError;
    pub trait Enc {
        fn enc(&self) -> Result<Vec<u8>, StateError>;
    }
    impl<T: serde::Serialize> Enc for T {
        fn enc(&self) -> Result<Vec<u8>, StateError> {
            let mut out = Vec::new();
            ciborium::into_writer(self, &mut out)
                .map_err(|e| StateError(format!("encode: {e}")))?;
            Ok(out)
        }
    }
}

/// The production store.
///
/// # Errors
/// sled errors.
pub fn open_sled(dir: &Path, cache_bytes: u64) -> Result<SledStore, StateError> {
    SledStore::open(dir, cache_bytes)
}

/// sled 0.34 writes a snapshot each time it opens a database: into
/// `snap.<lsn>.generating`, synced, then renamed to `snap.<lsn>`. But when it
/// opens, it takes the last name in sorted order among all `snap.` files,
/// `.generating` ones included, so a process killed in the middle of that
/// write leaves a file every later open reads, finds torn, and refuses with
/// a corruption error. A `.generating` file is unfinished by construction
/// (the rename is what finishes it) and the previous snapshot is still
/// there until the rename, so removing it returns sled to the state it had
/// before the attempt. Done under sled's own lock on `db`, so never under a
/// running sled; if the lock is held, nothing is removed and sled's open
/// reports the lock. Returns how many files were removed.
fn remove_unfinished_snapshots(dir: &Path) -> Result<usize, StateError> {
    let Ok(db) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join("db"))
    else {
        return Ok(0);
    };
    if db.try_lock().is_err() {
        return Ok(0);
    }
    let mut removed = 0;
    for entry in
        std::fs::read_dir(dir).map_err(|e| StateError(format!("{}: {e}", dir.display())))?
    {
        let path = entry.map_err(serr)?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(&path)
                .map_err(|e| StateError(format!("{}: {e}", path.display())))?;
            removed += 1;
        }
    }
    drop(db);
    Ok(removed)
}

impl SledStore {
    /// Opens (or creates) the database in `dir` with a cache of `cache_bytes`.
    ///
    /// # Errors
    /// sled errors.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<SledStore, StateError> {
        let removed = remove_unfinished_snapshots(dir)?;
        if removed > 0 {
            tracing::warn!(
                files = removed,
                "removed an unfinished sled snapshot left by a crash (spec/storage.md, \"The index\")"
            );
        }
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .mode(sled::Mode::LowSpace)
            .flush_every_ms(Some(1000))
            .open()
            .map_err(serr)?;
        let store = SledStore {
            state: db.open_tree("state").map_err(serr)?,
            hashes: HashFile::open(&dir.join("merkle.hashes"))?,
            events: EventIndex::open(&dir.join("events.hashes"))?,
            refs: db.open_tree("refs").map_err(serr)?,
            lots: db.open_tree("lots").map_err(serr)?,
            db,
            registry: RwLock::new(MemState::new()),
        };
        store.check_format(dir)?;
        store.load_registry()?;
        Ok(store)
    }

    /// Marks a new index with `FORMAT`, and refuses one written in another.
    fn check_format(&self, dir: &Path) -> Result<(), StateError> {
        match self.state.get([b'v']).map_err(serr)? {
            Some(v) if v.as_ref() == [FORMAT] => Ok(()),
            None if self.state.is_empty() => {
                self.state.insert([b'v'], &[FORMAT]).map_err(serr)?;
                Ok(())
            }
            found => {
                let version = found.and_then(|v| v.first().copied()).unwrap_or(1);
                Err(StateError(format!(
                    "the index in {} has layout {version}, this madini-node uses layout {FORMAT}; \
                     rebuild it from the journal with `madini-node reindex`",
                    dir.display()
                )))
            }
        }
    }

    fn figure_list(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError> {
        match self.state.get(key(b'f', lot.as_bytes())).map_err(serr)? {
            None => Ok(Vec::new()),
            Some(v) => postcard::from_bytes(&v)
                .map_err(|e| StateError(format!("corrupt figures value: {e}"))),
        }
    }

    fn load_registry(&self) -> Result<(), StateError> {
        let mut changes = Vec::new();
        if let Some(o) = self.state.get([b'o']).map_err(serr)? {
            let origin = Origin::new(String::from_utf8(o.to_vec()).map_err(serr)?).map_err(serr)?;
            changes.push(Change::Origin { origin });
        }
        for prefix in [b'k', b'a', b's', b'i', b'g', b'c', b'r', b'x'] {
            for kv in self.state.scan_prefix([prefix]) {
                let (k, v) = kv.map_err(serr)?;
                changes.push(match prefix {
                    b'k' => Change::Key {
                        id: KeyId(k[1..].try_into().map_err(serr)?),
                        entry: dec(&v)?,
                    },
                    b'a' => Change::Actor { actor: dec(&v)? },
                    b's' => Change::Site { site: dec(&v)? },
                    b'i' => Change::Licence { licence: dec(&v)? },
                    b'g' => Change::Allocation {
                        allocation: dec(&v)?,
                    },
                    b'c' => Change::Cert { cert: dec(&v)? },
                    b'r' => Change::Request { request: dec(&v)? },
                    _ => Change::Case { case: dec(&v)? },
                });
            }
        }
        let mut reg = self
            .registry
            .write()
            .map_err(|_| StateError("registry lock poisoned".into()))?;
        *reg = MemState::new();
        reg.put_all(&changes);
        Ok(())
    }

    fn reg<T>(&self, f: impl FnOnce(&MemState) -> Result<T, StateError>) -> Result<T, StateError> {
        let g = self
            .registry
            .read()
            .map_err(|_| StateError("registry lock poisoned".into()))?;
        f(&g)
    }

    fn id_at(&self, k: &[u8]) -> Result<Option<Id>, StateError> {
        match self.state.get(k).map_err(serr)? {
            None => Ok(None),
            Some(v) => {
                let s = String::from_utf8(v.to_vec()).map_err(serr)?;
                Id::new(s).map(Some).map_err(serr)
            }
        }
    }
}

impl StateRead for SledStore {
    fn origin(&self) -> Result<Option<Origin>, StateError> {
        self.reg(|r| r.origin())
    }
    fn size(&self) -> Result<u64, StateError> {
        match self.state.get([b'n']).map_err(serr)? {
            None => Ok(0),
            Some(v) => Ok(u64::from_be_bytes(v.as_ref().try_into().map_err(serr)?)),
        }
    }
    fn key(&self, id: &KeyId) -> Result<Option<KeyEntry>, StateError> {
        self.reg(|r| r.key(id))
    }
    fn actor(&self, id: &str) -> Result<Option<ActorState>, StateError> {
        self.reg(|r| r.actor(id))
    }
    fn site(&self, id: &str) -> Result<Option<SiteState>, StateError> {
        self.reg(|r| r.site(id))
    }
    fn licence(&self, id: &str) -> Result<Option<Licence>, StateError> {
        self.reg(|r| r.licence(id))
    }
    fn allocation_floor(
        &self,
        prefix: &str,
        width: u8,
        n: u64,
    ) -> Result<Option<Allocation>, StateError> {
        self.reg(|r| r.allocation_floor(prefix, width, n))
    }
    fn tag_lot(&self, tag: &str) -> Result<Option<Id>, StateError> {
        self.id_at(&key(b't', tag.as_bytes()))
    }
    fn lot(&self, id: &str) -> Result<Option<LotState>, StateError> {
        match self.state.get(key(b'l', id.as_bytes())).map_err(serr)? {
            None => Ok(None),
            Some(v) => postcard::from_bytes(&v)
                .map(Some)
                .map_err(|e| StateError(format!("corrupt lot value: {e}"))),
        }
    }
    fn figures(&self, lot: &str) -> Result<Vec<FigureEvent>, StateError> {
        self.figure_list(lot)
    }
    fn cert(&self, id: &str) -> Result<Option<Cert>, StateError> {
        self.reg(|r| r.cert(id))
    }
    fn request(&self, id: &str) -> Result<Option<Request>, StateError> {
        self.reg(|r| r.request(id))
    }
    fn case(&self, id: &Hash) -> Result<Option<CaseState>, StateError> {
        self.reg(|r| r.case(id))
    }
    fn event_index(&self, hash: &Hash) -> Result<Option<u64>, StateError> {
        self.events.get(hash)
    }
}

impl HashReader for SledStore {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        self.hashes
            .read(stored_hash_index(level, index))
            .map_err(|e| TreeError::Storage(e.0))?
            .ok_or(TreeError::Missing { level, index })
    }
}

impl Store for SledStore {
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        let prefix = r.key();
        self.refs
            .scan_prefix(&prefix)
            .map(|kv| {
                let (k, _) = kv.map_err(serr)?;
                let tail: [u8; 8] = k[prefix.len()..].try_into().map_err(serr)?;
                Ok(u64::from_be_bytes(tail))
            })
            .collect()
    }

    fn lots_page(&self, before: Option<u64>, limit: usize) -> Result<Vec<(u64, Id)>, StateError> {
        let hi = before.unwrap_or(u64::MAX).to_be_bytes();
        self.lots
            .range(..hi.as_slice())
            .rev()
            .take(limit)
            .map(|kv| {
                let (k, _) = kv.map_err(serr)?;
                let idx = u64::from_be_bytes(k[..8].try_into().map_err(serr)?);
                let id =
                    Id::new(String::from_utf8(k[8..].to_vec()).map_err(serr)?).map_err(serr)?;
                Ok((idx, id))
            })
            .collect()
    }

    fn actors(&self) -> Result<Vec<ActorState>, StateError> {
        self.reg(|r| {
            let mut v: Vec<ActorState> = r.actors().cloned().collect();
            v.sort_by(|a, b| a.profile.id.cmp(&b.profile.id));
            Ok(v)
        })
    }

    fn sites(&self) -> Result<Vec<SiteState>, StateError> {
        self.reg(|r| {
            let mut v: Vec<SiteState> = r.sites().cloned().collect();
            v.sort_by(|a, b| a.record.id.cmp(&b.record.id));
            Ok(v)
        })
    }

    fn commit(&self, b: &CommitBatch) -> Result<(), StateError> {
        // Merkle hashes arrive in append order; writing them at their
        // positions makes a replayed batch harmless.
        self.append_hashes(&b.hashes)?;
        let mut rb = sled::Batch::default();
        for (r, i) in &b.refs {
            let mut k = r.key();
            k.extend_from_slice(&i.to_be_bytes());
            rb.insert(k, &[][..]);
        }
        self.refs.apply_batch(rb).map_err(serr)?;
        let mut lb = sled::Batch::default();
        for (i, id) in &b.lots {
            let mut k = i.to_be_bytes().to_vec();
            k.extend_from_slice(id.as_bytes());
            lb.insert(k, &[][..]);
        }
        self.lots.apply_batch(lb).map_err(serr)?;
        let events: Vec<(Hash, u64)> = b
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Event { hash, index } => Some((*hash, *index)),
                _ => None,
            })
            .collect();
        self.events.put(&events)?;
        // The state last, with the size in the same atomic batch: after a
        // crash, the size says how far everything above got.
        // Only the last value of each key in the batch is written: a lot
        // changed by several events of one group commit is written once.
        // A lot's figures are one list, figure n at position n, so writing
        // a batch again sets the same positions.
        let mut latest: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let mut figures: BTreeMap<&str, Vec<FigureEvent>> = BTreeMap::new();
        for c in &b.changes {
            match c {
                Change::Event { .. } => {}
                Change::Figure { lot, n, figure } => {
                    let list = match figures.entry(lot.as_str()) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(self.figure_list(lot)?)
                        }
                    };
                    let n = usize::try_from(*n).map_err(serr)?;
                    match n.cmp(&list.len()) {
                        std::cmp::Ordering::Less => list[n] = figure.clone(),
                        std::cmp::Ordering::Equal => list.push(figure.clone()),
                        std::cmp::Ordering::Greater => {
                            return Err(StateError(format!(
                                "lot {lot}: figure {n} written before figure {}",
                                list.len()
                            )));
                        }
                    }
                }
                _ => {
                    let (k, v) = change_kv(c)?;
                    latest.insert(k, v);
                }
            }
        }
        for (lot, list) in figures {
            latest.insert(
                key(b'f', lot.as_bytes()),
                postcard::to_allocvec(&list)
                    .map_err(|e| StateError(format!("encode figures: {e}")))?,
            );
        }
        let mut sb = sled::Batch::default();
        for (k, v) in latest {
            sb.insert(k, v);
        }
        sb.insert(b"n", &b.size.to_be_bytes());
        self.state.apply_batch(sb).map_err(serr)?;
        let reg: Vec<Change> = b
            .changes
            .iter()
            .filter(|c| is_registry(c))
            .cloned()
            .collect();
        self.registry
            .write()
            .map_err(|_| StateError("registry lock poisoned".into()))?
            .put_all(&reg);
        Ok(())
    }

    fn clear(&self) -> Result<(), StateError> {
        for t in [&self.state, &self.refs, &self.lots] {
            t.clear().map_err(serr)?;
        }
        self.hashes.truncate(0)?;
        self.events.clear()?;
        self.state.insert([b'v'], &[FORMAT]).map_err(serr)?;
        self.db.flush().map_err(serr)?;
        self.load_registry()
    }

    fn flush(&self) -> Result<(), StateError> {
        self.db.flush().map(|_| ()).map_err(serr)
    }

    fn disk_bytes(&self) -> Option<u64> {
        let hashes = self.hashes.disk_bytes();
        self.db
            .size_on_disk()
            .ok()
            .map(|d| d + hashes + self.events.disk_bytes())
    }

    fn append_hashes(&self, hashes: &[(u8, u64, Hash)]) -> Result<(), StateError> {
        if let Some((level, index, _)) = hashes.first() {
            let hs: Vec<Hash> = hashes.iter().map(|(_, _, h)| *h).collect();
            self.hashes.write(stored_hash_index(*level, *index), &hs)?;
        }
        Ok(())
    }

    fn repair_events(&self, events: &[Hash]) -> Result<bool, StateError> {
        self.events.repair(events)
    }

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, StateError> {
        // A tile asks for runs of consecutive positions: one read a run.
        let mut out = Vec::with_capacity(indexes.len());
        let mut rest = indexes;
        while let Some(&first) = rest.first() {
            let run = rest
                .iter()
                .zip(first..)
                .take_while(|(i, w)| **i == *w)
                .count();
            let got = self.hashes.read_run(first, run)?;
            if got.len() < run {
                let (level, index) = split_stored_hash_index(first + got.len() as u64);
                return Err(serr(TreeError::Missing { level, index }));
            }
            out.extend(got);
            rest = &rest[run..];
        }
        Ok(out)
    }

    fn repair_hashes(&self, leaves: &[Hash]) -> Result<bool, StateError> {
        let n = leaves.len() as u64;
        let expected = stored_hash_count(n);
        let tail_ok = (n.saturating_sub(64)..n).all(|i| {
            self.hashes.read(stored_hash_index(0, i)).ok().flatten() == Some(leaves[i as usize])
        });
        if self.hashes.count()? >= expected && tail_ok {
            // Hashes of entries beyond the index (written ahead of a commit
            // that a crash lost) are dropped; catching up writes them again.
            self.hashes.truncate(expected)?;
            return Ok(false);
        }
        let mut tree = ledger_core::merkle::MemoryTree::new();
        let mut buf: Vec<Hash> = Vec::with_capacity(expected as usize);
        for (i, lh) in leaves.iter().enumerate() {
            let add = ledger_core::merkle::hashes_to_store(i as u64, *lh, &tree).map_err(serr)?;
            buf.extend(add.into_iter().map(|(_, _, h)| h));
            tree.append(*lh);
        }
        self.hashes.write(0, &buf)?;
        self.hashes.truncate(expected)?;
        Ok(true)
    }
}
