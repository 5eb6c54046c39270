//! The embedded store: `LogStore` over a data directory (the leaves and
//! checkpoints journals, the indexes of `store.rs`, the records files), and
//! the start-up recovery that only a journal needs (torn tails and
//! unfinished groups cut, the unsynced index hash files checked against the
//! journal). `spec/storage.md`, "Recovery", and `ARCHITECTURE.md`, "The
//! storage contract".

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use ledger_core::event::event_hash;
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::leaf::Leaf;
use ledger_core::note::Checkpoint;

use crate::journal::{HEADER, Journal, JournalReader, Positions, RecordPos};
use crate::ledger::dir::{DirLock, files, io, sync_dir};
use crate::ledger::{NodeError, OpenReport};
use crate::logstore::{
    CommitError, Group, LeafIter, Lease, LogStore, LogWriter, RecordError, Resolution,
    StorageError, check_record,
};
use crate::store::Store;

/// Writes the journals of a new ledger: its first leaf and first
/// checkpoint, each synced (`init`).
///
/// # Errors
/// I/O.
pub fn create_journals(dir: &Path, leaf: &[u8], note: &str) -> Result<(), NodeError> {
    let (mut leaves, _) = Journal::open(&dir.join(files::LEAVES), |_, _| Ok(()))?;
    leaves.append(&[(0, leaf)])?;
    leaves.sync()?;
    let (mut cps, _) = Journal::open(&dir.join(files::CHECKPOINTS), |_, _| Ok(()))?;
    cps.append(&[(0, note.as_bytes())])?;
    cps.sync()?;
    Ok(())
}

/// What readers and the writer share: where the durable leaves are, and
/// where the latest checkpoint note is.
struct Shared {
    positions: RwLock<Positions>,
    last_checkpoint: RwLock<Option<RecordPos>>,
}

/// The journals, held by the writer.
struct Journals {
    leaves: Journal,
    checkpoints: Journal,
    checkpoint_count: u64,
}

/// A data directory as a `LogStore`.
pub struct EmbeddedStore {
    dir: PathBuf,
    index: Arc<dyn Store>,
    leaves: JournalReader,
    checkpoints: JournalReader,
    shared: Arc<Shared>,
    journals: Mutex<Option<Journals>>,
    /// `unsigned_commits`, found by the start-up scan.
    unsigned: Result<Vec<u64>, String>,
    records: Mutex<()>,
    _lock: DirLock,
}

impl EmbeddedStore {
    /// Opens the ledger in `dir`, whose lock the caller took, with `index`
    /// as its indexes, and runs the journal's own recovery: scans both
    /// journals (a torn tail is cut; damage before it is refused), cuts the
    /// leaves of a group that never finished its sync, refuses indexes
    /// ahead of the journal, and rewrites the index hash files where they
    /// differ from the journal. Catching the indexes up is left to the
    /// ledger's start-up, as for every backend.
    ///
    /// # Errors
    /// Anything that does not add up, with what to do about it.
    pub fn open(
        dir: &Path,
        lock: DirLock,
        index: Arc<dyn Store>,
    ) -> Result<(EmbeddedStore, OpenReport), NodeError> {
        let mut positions = Positions::default();
        let mut commits: Vec<u64> = Vec::new();
        let mut leaf_hashes: Vec<Hash> = Vec::new();
        let mut event_hashes: Vec<Hash> = Vec::new();
        let (mut leaves, tail) = Journal::open(&dir.join(files::LEAVES), |p, payload| {
            if p.commit {
                commits.push(p.seq + 1);
            }
            positions.push(p);
            leaf_hashes.push(leaf_hash(payload));
            // A leaf that does not decode gets a zero event hash here; the
            // catch-up or the index check names it.
            event_hashes.push(
                Leaf::decode(payload)
                    .map(|l| event_hash(&l.event))
                    .unwrap_or_default(),
            );
            Ok(())
        })?;
        // Leaves after the last commit flag never finished their group's sync,
        // so none was acknowledged: cut them (`spec/storage.md`, recovery 2).
        let committed = commits.last().map_or(0, |&n| n as usize);
        let mut uncommitted = 0;
        if committed < positions.len() {
            uncommitted = (positions.len() - committed) as u64;
            let first = positions
                .get(committed)
                .ok_or_else(|| io("journal positions"))?;
            leaves.cut(first.offset - HEADER as u64)?;
            positions.truncate(committed);
            leaf_hashes.truncate(committed);
            event_hashes.truncate(committed);
        }
        let count = positions.len() as u64;
        if count == 0 {
            return Err(NodeError::Empty(dir.display().to_string()));
        }
        let reader = JournalReader::open(&dir.join(files::LEAVES))?;
        let mut last_checkpoint = None;
        let mut checkpoint_count = 0;
        let (checkpoints, _) = Journal::open(&dir.join(files::CHECKPOINTS), |p, _| {
            last_checkpoint = Some(p);
            checkpoint_count += 1;
            Ok(())
        })?;
        let checkpoints_reader = JournalReader::open(&dir.join(files::CHECKPOINTS))?;
        let report = OpenReport {
            entries: count,
            cut_bytes: tail.cut_bytes,
            uncommitted,
            ..OpenReport::default()
        };
        let indexed = index.size()?;
        if indexed > count {
            return Err(NodeError::Inconsistent(format!(
                "the indexes hold {indexed} entries but the journal only {count}: the journal lost entries it had acknowledged. \
                 Restore {} from a backup; `madini-node fsck` shows details",
                dir.join(files::LEAVES).display()
            )));
        }
        // The Merkle hashes of what is indexed must match the journal.
        let rebuilt_hashes = index.repair_hashes(&leaf_hashes[..indexed as usize])?;
        drop(leaf_hashes);
        let rebuilt_events = index.repair_events(&event_hashes[..indexed as usize])?;
        drop(event_hashes);
        // The commits after the last stored checkpoint (lost from the
        // unsynced checkpoints journal); only these commit boundaries are kept.
        let last_size = match last_checkpoint {
            None => None,
            Some(p) => {
                let note = String::from_utf8_lossy(&checkpoints_reader.read(p)?).into_owned();
                let body = note.split_once("\n\n").map_or("", |(b, _)| b);
                Checkpoint::parse_body(&format!("{body}\n"))
                    .ok()
                    .map(|c| c.size)
            }
        };
        let unsigned = match last_size {
            // No checkpoint, or one that does not parse: start-up's check of
            // the latest checkpoint refuses it first.
            None => Ok(Vec::new()),
            Some(size) if commits.binary_search(&size).is_ok() => {
                Ok(commits.into_iter().filter(|b| *b > size).collect())
            }
            Some(size) => Err(format!(
                "the last signed checkpoint (size {size}) does not end a group commit of the journal; run `madini-node fsck`"
            )),
        };
        let store = EmbeddedStore {
            dir: dir.to_path_buf(),
            index,
            leaves: reader,
            checkpoints: checkpoints_reader,
            shared: Arc::new(Shared {
                positions: RwLock::new(positions),
                last_checkpoint: RwLock::new(last_checkpoint),
            }),
            journals: Mutex::new(Some(Journals {
                leaves,
                checkpoints,
                checkpoint_count,
            })),
            unsigned,
            records: Mutex::new(()),
            _lock: lock,
        };
        Ok((
            store,
            OpenReport {
                rebuilt_hashes,
                rebuilt_events,
                ..report
            },
        ))
    }

    fn position(&self, index: u64) -> Result<Option<RecordPos>, StorageError> {
        let p = self
            .shared
            .positions
            .read()
            .map_err(|_| StorageError::Unavailable("positions lock poisoned".into()))?;
        Ok(usize::try_from(index).ok().and_then(|i| p.get(i)))
    }

    fn record_path(&self, key: &str) -> PathBuf {
        // Keys may hold '/': the file is named by the key's bytes in hex.
        let name: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        self.dir.join(files::RECORDS).join(name)
    }
}

fn unavailable(e: impl std::fmt::Display) -> StorageError {
    StorageError::Unavailable(e.to_string())
}

impl LogStore for EmbeddedStore {
    fn location(&self) -> String {
        self.dir.display().to_string()
    }

    fn size(&self) -> Result<u64, StorageError> {
        self.shared
            .positions
            .read()
            .map(|p| p.len() as u64)
            .map_err(|_| StorageError::Unavailable("positions lock poisoned".into()))
    }

    fn leaf(&self, index: u64) -> Result<Option<Vec<u8>>, StorageError> {
        match self.position(index)? {
            None => Ok(None),
            Some(p) => Ok(Some(self.leaves.read(p)?)),
        }
    }

    fn leaves(&self, from: u64, to: u64) -> LeafIter<'_> {
        // One buffered stream of its own, each record checked
        // (`JournalReader::stream`), rather than a read a leaf.
        let mut stream: Option<crate::journal::Stream> = None;
        Box::new((from..to).map(move |i| {
            if stream.is_none() {
                let first = self
                    .position(i)?
                    .ok_or_else(|| StorageError::Corrupt(format!("no journal record {i}")))?;
                stream = Some(self.leaves.stream(first)?);
            }
            let s = stream.as_mut().ok_or_else(|| unavailable("leaf stream"))?;
            Ok((i, s.next_payload()?))
        }))
    }

    fn indexes(&self) -> &dyn Store {
        &*self.index
    }

    fn checkpoint(&self) -> Result<Option<String>, StorageError> {
        let p = *self
            .shared
            .last_checkpoint
            .read()
            .map_err(|_| unavailable("checkpoint lock poisoned"))?;
        match p {
            None => Ok(None),
            Some(p) => Ok(Some(
                String::from_utf8_lossy(&self.checkpoints.read(p)?).into_owned(),
            )),
        }
    }

    fn unsigned_commits(&self) -> Result<Vec<u64>, StorageError> {
        self.unsigned.clone().map_err(StorageError::Corrupt)
    }

    fn record(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        match fs::read(self.record_path(key)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(unavailable(format!("record {key}: {e}"))),
        }
    }

    fn swap_record(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<(), RecordError> {
        check_record(key, value)?;
        let _one_at_a_time = self
            .records
            .lock()
            .map_err(|_| unavailable("records lock poisoned"))?;
        let current = self.record(key)?;
        if current.as_deref() != expected {
            return Err(RecordError::Changed {
                key: key.to_string(),
                current,
            });
        }
        // Written beside, synced, renamed over, and the rename synced: a
        // crash leaves the old value or the new one.
        let dir = self.dir.join(files::RECORDS);
        if !dir.exists() {
            fs::create_dir_all(&dir).map_err(unavailable)?;
            sync_dir(&self.dir).map_err(unavailable)?;
        }
        let tmp = dir.join(".writing");
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&tmp)?;
            std::io::Write::write_all(&mut f, value)?;
            f.sync_all()?;
            fs::rename(&tmp, self.record_path(key))
        };
        write().map_err(|e| unavailable(format!("record {key}: {e}")))?;
        sync_dir(&dir).map_err(unavailable)?;
        Ok(())
    }

    fn writer(&self) -> Result<Box<dyn LogWriter>, StorageError> {
        let journals = self
            .journals
            .lock()
            .map_err(|_| unavailable("writer lock poisoned"))?
            .take()
            .ok_or_else(|| unavailable("the journals already have their writer"))?;
        Ok(Box::new(EmbeddedWriter {
            journals,
            shared: self.shared.clone(),
            index: self.index.clone(),
        }))
    }
}

/// The embedded store's writer. Its lease is the directory's lock, held
/// while the store is open: it never expires and its token never changes.
struct EmbeddedWriter {
    journals: Journals,
    shared: Arc<Shared>,
    index: Arc<dyn Store>,
}

impl EmbeddedWriter {
    fn append_checkpoint(&mut self, note: &str) -> Result<(), CommitError> {
        let j = &mut self.journals;
        let pos = j
            .checkpoints
            .append(&[(j.checkpoint_count, note.as_bytes())])
            .map_err(|e| CommitError::Unknown(format!("checkpoint journal failed: {e}")))?;
        j.checkpoint_count += 1;
        if let Ok(mut c) = self.shared.last_checkpoint.write() {
            *c = pos.first().copied();
        }
        Ok(())
    }
}

impl LogWriter for EmbeddedWriter {
    fn lease(&self) -> Lease {
        Lease {
            fence: 0,
            expires: None,
        }
    }

    /// Journal, one `fdatasync`, index, checkpoint (appended, not synced:
    /// it can be signed again). Every failure is `Unknown`: after a failed
    /// write or sync the group may still turn up whole after a restart.
    fn commit(&mut self, group: &Group<'_>) -> Result<(), CommitError> {
        let first = group.first;
        let recs: Vec<(u64, &[u8])> = group
            .leaves
            .iter()
            .enumerate()
            .map(|(i, l)| (first + i as u64, l.as_slice()))
            .collect();
        let positions = self
            .journals
            .leaves
            .append(&recs)
            .map_err(|e| CommitError::Unknown(format!("journal write failed: {e}")))?;
        self.journals.leaves.sync().map_err(|e| {
            CommitError::Unknown(format!(
                "journal sync failed: {e}; entries from {first} were not acknowledged"
            ))
        })?;
        if let Ok(mut p) = self.shared.positions.write() {
            p.extend(positions);
        }
        self.index.commit(group.index).map_err(|e| {
            CommitError::Unknown(format!(
                "index write failed after the journal sync: {e}; restart the node to re-index"
            ))
        })?;
        self.append_checkpoint(group.checkpoint)
    }

    fn resolve(&mut self, _group: &Group<'_>) -> Result<Resolution, StorageError> {
        Err(StorageError::Unavailable(
            "the journal cannot tell whether a failed write reached the disk; \
             restart the node: start-up resolves it from the journal"
                .into(),
        ))
    }

    fn put_checkpoints(&mut self, notes: &[String]) -> Result<(), CommitError> {
        for n in notes {
            self.append_checkpoint(n)?;
        }
        if !notes.is_empty() {
            self.journals
                .checkpoints
                .sync()
                .map_err(|e| CommitError::Unknown(e.to_string()))?;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), StorageError> {
        self.journals.checkpoints.sync().map_err(Into::into)
    }
}
