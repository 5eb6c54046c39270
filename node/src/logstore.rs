//! The storage seam (`spec/storage.md`, "The storage contract"): `LogStore`,
//! everything the sequencer and the readers need from storage, and
//! `LogWriter`, the one writer's handle under its lease. The embedded store
//! (`embedded.rs`: journals, sled, hash files) and the in-memory store
//! (`memlog.rs`) implement it; the sequencer, the API and the rules see only
//! these traits. Also the fault-injection double `FailAfter`.
//!
//! The shape follows Sunlight's `Backend`/`LockBackend` (a log whose only
//! coordination is a compare-and-swap on its checkpoint, and which stops
//! when it cannot tell whether a write landed) and Tessera's split of a
//! log's reader from its appender.
//!
//! Source of truth and rebuildable data: the leaves and the commit
//! boundaries are the truth. The checkpoints are a function of the leaves
//! and the log key (Ed25519 is deterministic), so a backend may lose the
//! latest ones as long as it reports them (`unsigned_commits`). The indexes
//! (`Store`: state, Merkle hashes, histories, the event index) can be
//! rebuilt from the leaves at any time. Records (`record`) are truth of
//! their own: they are not derived from the log.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use ledger_core::hash::Hash;
use ledger_core::state::StateError;

use crate::journal::JournalError;
use crate::store::{CommitBatch, Store};

/// Why storage could not be read or written (outside a group commit, whose
/// outcomes are `CommitError`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The backend did not answer or failed (I/O, a lost connection). Trying
    /// again later may work.
    #[error("{0}")]
    Unavailable(String),
    /// Stored data does not check (a bad checksum, a missing entry that
    /// should be there). Trying again will not help.
    #[error("{0}")]
    Corrupt(String),
}

impl From<JournalError> for StorageError {
    fn from(e: JournalError) -> StorageError {
        match e {
            JournalError::Io { .. } => StorageError::Unavailable(e.to_string()),
            JournalError::Corrupt { .. } => StorageError::Corrupt(e.to_string()),
        }
    }
}

impl From<StateError> for StorageError {
    fn from(e: StateError) -> StorageError {
        StorageError::Unavailable(e.0)
    }
}

impl From<StorageError> for StateError {
    fn from(e: StorageError) -> StateError {
        StateError(e.to_string())
    }
}

/// Why a group commit did not end in `Ok`.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CommitError {
    /// The outcome is unknown: the group may be committed, wholly, or not at
    /// all (a failed `fdatasync`; a connection lost during `COMMIT`).
    /// Nothing of the group may be acknowledged or refused until
    /// `LogWriter::resolve` says which.
    #[error("{0}")]
    Unknown(String),
    /// Certainly not committed, and never will be: no reader and no restart
    /// will find any of the group (a transaction rolled back).
    #[error("{0}")]
    NotCommitted(String),
    /// The writer's lease is lost (its fencing token no longer matches):
    /// another writer may be sequencing. Nothing of the group was committed,
    /// because the fence is checked inside the commit.
    #[error("{0}")]
    Fenced(String),
}

/// What reading back found for a group whose commit outcome was unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The whole group is committed, with its checkpoint: acknowledge it.
    Committed,
    /// None of it is committed and none of it will appear later.
    NotCommitted,
}

/// The writer's right to commit: a fencing token and, for a time-limited
/// lease, when it runs out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease {
    /// The fencing token (an epoch that grows with every new holder). Every
    /// commit checks it against the one the backend has recorded, in the
    /// same atomic step as the commit, so a writer that lost the lease
    /// while paused cannot write after waking up.
    pub fence: u64,
    /// When the lease ends unless renewed; `None` for a lease held as long
    /// as the process lives (the embedded store's directory lock).
    pub expires: Option<Instant>,
}

/// One group commit: consecutive leaves, what they change in the indexes,
/// and the checkpoint signed for the tree they end.
#[derive(Clone, Copy, Debug)]
pub struct Group<'a> {
    /// Index of the first leaf; it equals the size before the group.
    pub first: u64,
    /// The encoded leaves (`spec/log.md` section 1), in order.
    pub leaves: &'a [Vec<u8>],
    /// Their index writes (state changes, Merkle hashes, histories, lots);
    /// `index.size` is `first + leaves.len()`.
    pub index: &'a CommitBatch,
    /// The checkpoint note for the tree of `index.size` leaves.
    pub checkpoint: &'a str,
}

/// A record's value did not match the expected one (`LogStore::swap_record`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The record holds something else: `current` is what it holds now.
    #[error("record {key} changed since it was read")]
    Changed {
        /// The record's key.
        key: String,
        /// Its value now (`None`: absent).
        current: Option<Vec<u8>>,
    },
    /// A key that is empty, longer than `MAX_RECORD_KEY` or not printable
    /// ASCII without spaces, or a value longer than `MAX_RECORD_VALUE`.
    #[error(
        "record {0:?}: a key is 1 to 120 printable ASCII bytes without spaces, a value at most 64 KiB"
    )]
    Invalid(String),
    /// Storage failed; the record may or may not have been replaced: read it
    /// again before deciding anything.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The longest record key, in bytes. The embedded store names a record's
/// file by its key in hex, and a file name holds at most 255 bytes on the
/// usual file systems: 120 bytes of key are 240 of name.
pub const MAX_RECORD_KEY: usize = 120;
/// The largest record value, in bytes.
pub const MAX_RECORD_VALUE: usize = 1 << 16;

/// Checks a record's key and value against the bounds.
///
/// # Errors
/// `Invalid`.
pub fn check_record(key: &str, value: &[u8]) -> Result<(), RecordError> {
    let printable = !key.is_empty() && key.bytes().all(|b| (0x21..0x7f).contains(&b));
    if !printable || key.len() > MAX_RECORD_KEY || value.len() > MAX_RECORD_VALUE {
        return Err(RecordError::Invalid(key.to_string()));
    }
    Ok(())
}

/// Leaves read in order (`LogStore::leaves`).
pub type LeafIter<'a> = Box<dyn Iterator<Item = Result<(u64, Vec<u8>), StorageError>> + Send + 'a>;

/// Everything the sequencer and the readers need from storage. Reads may
/// come from any thread, at any time, also while a group commits; writes go
/// through the one `LogWriter`.
///
/// A reader sees a prefix of the log: never a leaf without the leaves
/// before it, never part of a group. What a reader may serve to the public
/// is bounded by the latest checkpoint it was handed, not by `size` (the
/// indexes of a group may become readable before its checkpoint is
/// published).
pub trait LogStore: Send + Sync + 'static {
    /// How an operator names this store: a data directory, a connection
    /// string without its password. Used in messages.
    fn location(&self) -> String;

    /// Leaves committed: the index the next leaf gets.
    ///
    /// # Errors
    /// `Unavailable`.
    fn size(&self) -> Result<u64, StorageError>;

    /// The encoded leaf at `index`, or `None` beyond `size`.
    ///
    /// # Errors
    /// `Unavailable`; `Corrupt` if a committed leaf cannot be read back.
    fn leaf(&self, index: u64) -> Result<Option<Vec<u8>>, StorageError>;

    /// Leaves `from..to` in order, each checked as start-up checks it (the
    /// embedded store: length, checksum and sequence number of each record),
    /// for readers of long ranges (exports, reports, tiles' entry bundles).
    /// `to` must not exceed `size`.
    ///
    /// # Errors
    /// Per item, as `leaf`.
    fn leaves(&self, from: u64, to: u64) -> LeafIter<'_>;

    /// Stored Merkle hashes by their position in Go's `sumdb/tlog` order
    /// (`store::stored_hash_index`), in one batched read, as tlog's
    /// `HashReader.ReadHashes`: what a tile reader or publisher needs.
    /// The hashes are rebuildable data held by the indexes.
    ///
    /// # Errors
    /// `Corrupt` for a hash the committed tree should hold and does not.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, StorageError> {
        self.indexes().read_hashes(indexes).map_err(Into::into)
    }

    /// The indexes: ledger state, Merkle hashes (`HashReader`), histories,
    /// lots, events. Rebuildable from the leaves. They hold at least every
    /// committed group (`size`); a backend that writes them apart from its
    /// leaves (the embedded store, unsynced) may hold fewer after a crash
    /// and catches up at start-up.
    fn indexes(&self) -> &dyn Store;

    /// The latest stored checkpoint note, if any.
    ///
    /// # Errors
    /// `Unavailable`, `Corrupt`.
    fn checkpoint(&self) -> Result<Option<String>, StorageError>;

    /// Tree sizes of group commits that ended after the latest stored
    /// checkpoint, in order. A backend that commits each checkpoint with its
    /// leaves has none; the embedded store's checkpoints journal is not
    /// synced per commit, so after a crash its last notes may be missing, and
    /// start-up signs them again (the same bytes: `spec/storage.md`,
    /// recovery 3). Asked once, at start-up, before the writer commits.
    ///
    /// # Errors
    /// `Corrupt` when the latest stored checkpoint does not end a group
    /// commit.
    fn unsigned_commits(&self) -> Result<Vec<u64>, StorageError>;

    /// A small durable record kept beside the log (a witness's last
    /// cosigned checkpoint per origin, `witness/<origin>`; a publisher's
    /// progress, `publish/<target>`). Records are truth of their own: not
    /// derived from the leaves, not rebuilt, and copied with the log.
    ///
    /// # Errors
    /// `Unavailable`, `Corrupt`.
    fn record(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError>;

    /// Replaces record `key` with `value` if it still holds `expected`
    /// (`None`: absent), durably before `Ok`. The compare-and-swap is what
    /// keeps two writers (two threads, or two nodes on one database) from
    /// both advancing from one state: a witness reads its last cosigned
    /// checkpoint, checks consistency, and swaps; on `Changed` it reads
    /// again and checks again. Not fenced by the writer's lease: its safety
    /// is the swap.
    ///
    /// # Errors
    /// `Changed`; `Invalid`; `Storage`, after which the outcome is unknown
    /// and the record must be read again.
    fn swap_record(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<(), RecordError>;

    /// Takes the writer's role: the lease (`Lease`), then a handle that
    /// commits under it. At most one writer exists at a time; a backend
    /// shared by several processes gives the role to one and fences out the
    /// one before. The new writer must start from what `size`, `leaf` and
    /// `checkpoint` say after this call, never from anything read before.
    ///
    /// # Errors
    /// `Unavailable`, also when another writer holds the lease.
    fn writer(&self) -> Result<Box<dyn LogWriter>, StorageError>;
}

/// The one writer of a `LogStore`, held by the sequencer thread.
pub trait LogWriter: Send {
    /// The lease this writer commits under.
    fn lease(&self) -> Lease;

    /// Extends a time-limited lease (the sequencer calls it before the
    /// lease runs out; a lease without expiry needs nothing).
    ///
    /// # Errors
    /// `Fenced` when the lease was lost; `Unknown` when the renewal's
    /// outcome is unknown (treated as lost).
    fn renew(&mut self) -> Result<Lease, CommitError> {
        Ok(self.lease())
    }

    /// Commits a group atomically and durably: after `Ok`, the leaves, their
    /// index writes and the checkpoint survive any crash, and readers see
    /// the leaves (`size`, `leaf`). Durable means: on the embedded store,
    /// in the leaves journal and synced with `fdatasync` (the indexes and
    /// the checkpoint may be lost and are derived again); on a database,
    /// in a committed transaction. Only after `Ok` (or `resolve` answering
    /// `Committed`) may any event of the group be acknowledged.
    ///
    /// # Errors
    /// `Unknown`, `NotCommitted`, `Fenced`: see `CommitError`.
    fn commit(&mut self, group: &Group<'_>) -> Result<(), CommitError>;

    /// Reads back whether `group`, whose commit answered `Unknown`, is
    /// committed (for a database: are its leaves at their indexes with its
    /// checkpoint). The sequencer acknowledges or refuses nothing of the
    /// group until this answers.
    ///
    /// # Errors
    /// When the backend cannot tell. The embedded store always answers so:
    /// after a failed `fdatasync` the page cache may hold what the disk
    /// lost, so reading back proves nothing; writes stop, and the next
    /// start-up's scan of the journal resolves it.
    fn resolve(&mut self, group: &Group<'_>) -> Result<Resolution, StorageError>;

    /// Stores checkpoints signed again at start-up for `unsigned_commits`,
    /// durably before `Ok`.
    ///
    /// # Errors
    /// `Unknown`, `Fenced`.
    fn put_checkpoints(&mut self, notes: &[String]) -> Result<(), CommitError>;

    /// Ends the writer's work at shutdown: makes anything kept unsynced
    /// durable (the embedded checkpoints journal) and gives up the lease.
    ///
    /// # Errors
    /// `Unavailable`; nothing acknowledged is at risk.
    fn close(&mut self) -> Result<(), StorageError>;
}

/// How `FailAfter` fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The commit never reaches the backend, and the writer says `Unknown`
    /// (as a write or `fdatasync` that fails).
    Unwritten,
    /// The commit is done, but its answer is lost: `Unknown` (a connection
    /// lost during `COMMIT`). Reading back finds the group committed.
    AnswerLost,
}

/// A `LogWriter` that fails its commits with `Unknown` after `commits_left`
/// successes (fault-injection tests); every other call passes through.
pub struct FailAfter {
    /// The writer wrapped.
    pub inner: Box<dyn LogWriter>,
    /// Commits left before failing.
    pub commits_left: Arc<Mutex<u64>>,
    /// How the failing commits fail.
    pub fault: Fault,
}

impl LogWriter for FailAfter {
    fn lease(&self) -> Lease {
        self.inner.lease()
    }
    fn renew(&mut self) -> Result<Lease, CommitError> {
        self.inner.renew()
    }
    fn commit(&mut self, group: &Group<'_>) -> Result<(), CommitError> {
        let mut left = self
            .commits_left
            .lock()
            .map_err(|_| CommitError::Unknown("fault lock poisoned".into()))?;
        if *left > 0 {
            *left -= 1;
            return self.inner.commit(group);
        }
        if self.fault == Fault::AnswerLost {
            self.inner.commit(group)?;
            return Err(CommitError::Unknown(
                "injected: connection lost during COMMIT".into(),
            ));
        }
        Err(CommitError::Unknown(
            "injected fdatasync failure (EIO): journal sync failed".into(),
        ))
    }
    fn resolve(&mut self, group: &Group<'_>) -> Result<Resolution, StorageError> {
        self.inner.resolve(group)
    }
    fn put_checkpoints(&mut self, notes: &[String]) -> Result<(), CommitError> {
        self.inner.put_checkpoints(notes)
    }
    fn close(&mut self) -> Result<(), StorageError> {
        self.inner.close()
    }
}
