//! The in-memory `LogStore` (tests): leaves, checkpoints and records in
//! memory over a `MemStore`, each group committed atomically with its
//! checkpoint, as a database backend commits one transaction. Its lease is
//! a real one (an epoch bumped by every new writer), so tests can take it
//! away from a running sequencer and watch the fence hold.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use ledger_core::crypto::SecretKey;

use crate::ledger::NodeError;
use crate::ledger::dir::{Genesis, genesis_entry};
use crate::logstore::{
    CommitError, Group, LeafIter, Lease, LogStore, LogWriter, RecordError, Resolution,
    StorageError, check_record,
};
use crate::store::{MemStore, Store};

#[derive(Default)]
struct Inner {
    leaves: Vec<Vec<u8>>,
    checkpoints: Vec<String>,
    records: BTreeMap<String, Vec<u8>>,
}

struct Shared {
    inner: RwLock<Inner>,
    index: MemStore,
    /// The current lease epoch and whether a writer holds it.
    lease: Mutex<(u64, bool)>,
    /// How long a lease lasts unless renewed (`None`: as long as the writer).
    term: Option<Duration>,
}

impl Shared {
    fn inner(&self) -> Result<std::sync::RwLockReadGuard<'_, Inner>, StorageError> {
        self.inner
            .read()
            .map_err(|_| StorageError::Unavailable("memory log lock poisoned".into()))
    }
}

/// A log held in memory.
#[derive(Clone)]
pub struct MemLogStore(Arc<Shared>);

impl MemLogStore {
    /// A new log holding the genesis entry and its checkpoint, with empty
    /// indexes (start-up catches them up, as after a lost index).
    ///
    /// # Errors
    /// As `ledger::init`: a genesis the rules refuse or another key signed.
    pub fn create(log_key: &SecretKey, genesis: &Genesis) -> Result<MemLogStore, NodeError> {
        Self::build(log_key, genesis, None)
    }

    /// As `create`, with writers' leases that end `term` after they were
    /// taken or last renewed, as a database's lease row does.
    ///
    /// # Errors
    /// As `create`.
    pub fn create_leased(
        log_key: &SecretKey,
        genesis: &Genesis,
        term: Duration,
    ) -> Result<MemLogStore, NodeError> {
        Self::build(log_key, genesis, Some(term))
    }

    fn build(
        log_key: &SecretKey,
        genesis: &Genesis,
        term: Option<Duration>,
    ) -> Result<MemLogStore, NodeError> {
        let (leaf, note) = genesis_entry(log_key, genesis)?;
        Ok(MemLogStore(Arc::new(Shared {
            inner: RwLock::new(Inner {
                leaves: vec![leaf],
                checkpoints: vec![note],
                records: BTreeMap::new(),
            }),
            index: MemStore::new(),
            lease: Mutex::new((0, false)),
            term,
        })))
    }

    /// Ends the current writer's lease as if it had run out and another
    /// node had taken it: the old writer's next commit is fenced.
    pub fn take_lease_away(&self) {
        if let Ok(mut l) = self.0.lease.lock() {
            l.0 += 1;
            l.1 = false;
        }
    }

    /// Every checkpoint committed, in order.
    pub fn checkpoints(&self) -> Vec<String> {
        self.0
            .inner()
            .map(|i| i.checkpoints.clone())
            .unwrap_or_default()
    }
}

impl LogStore for MemLogStore {
    fn location(&self) -> String {
        "memory".into()
    }

    fn size(&self) -> Result<u64, StorageError> {
        Ok(self.0.inner()?.leaves.len() as u64)
    }

    fn leaf(&self, index: u64) -> Result<Option<Vec<u8>>, StorageError> {
        let i = usize::try_from(index).unwrap_or(usize::MAX);
        Ok(self.0.inner()?.leaves.get(i).cloned())
    }

    fn leaves(&self, from: u64, to: u64) -> LeafIter<'_> {
        Box::new((from..to).map(move |i| {
            self.leaf(i)?
                .map(|l| (i, l))
                .ok_or_else(|| StorageError::Corrupt(format!("no entry {i}")))
        }))
    }

    fn indexes(&self) -> &dyn Store {
        &self.0.index
    }

    fn checkpoint(&self) -> Result<Option<String>, StorageError> {
        Ok(self.0.inner()?.checkpoints.last().cloned())
    }

    fn unsigned_commits(&self) -> Result<Vec<u64>, StorageError> {
        // Each checkpoint is committed with its group.
        Ok(Vec::new())
    }

    fn record(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.0.inner()?.records.get(key).cloned())
    }

    fn swap_record(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<(), RecordError> {
        check_record(key, value)?;
        let mut g = self
            .0
            .inner
            .write()
            .map_err(|_| StorageError::Unavailable("memory log lock poisoned".into()))?;
        let current = g.records.get(key);
        if current.map(Vec::as_slice) != expected {
            return Err(RecordError::Changed {
                key: key.to_string(),
                current: current.cloned(),
            });
        }
        g.records.insert(key.to_string(), value.to_vec());
        Ok(())
    }

    fn writer(&self) -> Result<Box<dyn LogWriter>, StorageError> {
        let mut l = self
            .0
            .lease
            .lock()
            .map_err(|_| StorageError::Unavailable("lease lock poisoned".into()))?;
        if l.1 {
            return Err(StorageError::Unavailable(
                "another writer holds the lease".into(),
            ));
        }
        l.0 += 1;
        l.1 = true;
        Ok(Box::new(MemWriter {
            shared: self.0.clone(),
            fence: l.0,
            expires: self.0.term.map(|t| Instant::now() + t),
        }))
    }
}

struct MemWriter {
    shared: Arc<Shared>,
    fence: u64,
    expires: Option<Instant>,
}

impl MemWriter {
    fn check_fence(&self) -> Result<(), CommitError> {
        let l = self
            .shared
            .lease
            .lock()
            .map_err(|_| CommitError::Unknown("lease lock poisoned".into()))?;
        if self.expires.is_some_and(|e| Instant::now() >= e) {
            return Err(CommitError::Fenced(format!(
                "the write lease of epoch {} ran out",
                self.fence
            )));
        }
        if l.0 == self.fence {
            Ok(())
        } else {
            Err(CommitError::Fenced(format!(
                "the write lease passed to another writer (epoch {} after {})",
                l.0, self.fence
            )))
        }
    }
}

impl LogWriter for MemWriter {
    fn lease(&self) -> Lease {
        Lease {
            fence: self.fence,
            expires: self.expires,
        }
    }

    fn renew(&mut self) -> Result<Lease, CommitError> {
        self.check_fence()?;
        self.expires = self.shared.term.map(|t| Instant::now() + t);
        Ok(self.lease())
    }

    fn commit(&mut self, group: &Group<'_>) -> Result<(), CommitError> {
        // One lock over the fence check and every write: the transaction.
        let mut g = self
            .shared
            .inner
            .write()
            .map_err(|_| CommitError::Unknown("memory log lock poisoned".into()))?;
        self.check_fence()?;
        if g.leaves.len() as u64 != group.first {
            return Err(CommitError::NotCommitted(format!(
                "the group starts at {} but the log holds {}",
                group.first,
                g.leaves.len()
            )));
        }
        self.shared
            .index
            .commit(group.index)
            .map_err(|e| CommitError::NotCommitted(e.to_string()))?;
        g.leaves.extend(group.leaves.iter().cloned());
        g.checkpoints.push(group.checkpoint.to_string());
        Ok(())
    }

    fn resolve(&mut self, group: &Group<'_>) -> Result<Resolution, StorageError> {
        let g = self.shared.inner()?;
        let first = usize::try_from(group.first).unwrap_or(usize::MAX);
        if g.leaves.len() <= first {
            return Ok(Resolution::NotCommitted);
        }
        let end = first + group.leaves.len();
        if g.leaves.get(first..end) == Some(group.leaves)
            && g.checkpoints.iter().any(|c| c == group.checkpoint)
        {
            Ok(Resolution::Committed)
        } else {
            Err(StorageError::Corrupt(format!(
                "entries from {first} are not the group that was committed there"
            )))
        }
    }

    fn put_checkpoints(&mut self, notes: &[String]) -> Result<(), CommitError> {
        self.check_fence()?;
        let mut g = self
            .shared
            .inner
            .write()
            .map_err(|_| CommitError::Unknown("memory log lock poisoned".into()))?;
        g.checkpoints.extend(notes.iter().cloned());
        Ok(())
    }

    fn close(&mut self) -> Result<(), StorageError> {
        if let Ok(mut l) = self.shared.lease.lock()
            && l.0 == self.fence
        {
            l.1 = false;
        }
        Ok(())
    }
}
