//! The ledger a node serves: opening and checking a data directory, the
//! sequencer thread that group-commits submissions (verify, apply, append,
//! sync, index, sign, acknowledge), and the read side (entries, proofs, lots,
//! bundles). See `ARCHITECTURE.md`, "The write path".

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use ledger_core::bundle::{self, Bundle, LogIndex, Ref};
use ledger_core::crypto::{KeyId, PublicKey, SecretKey};
use ledger_core::event::{Body, Event, LotLink, event_hash};
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::leaf::Leaf;
use ledger_core::merkle::{self, HashReader, TreeError};
use ledger_core::note::{Checkpoint, NoteKey, open_checkpoint, sign_checkpoint};
use ledger_core::rules::{Refusal, Rule, SigMode, Submission, apply};
use ledger_core::state::{Change, KeyOwner, Overlay, StateError, StateRead};
use ledger_core::types::{Id, Origin};

use crate::journal::{Journal, JournalError, JournalReader, Positions, RecordPos};
use crate::keyfile;
use crate::store::{CommitBatch, Store};

/// File names inside a data directory.
pub mod files {
    /// The log's private key.
    pub const LOG_KEY: &str = "log.key";
    /// The leaves journal.
    pub const LEAVES: &str = "leaves.journal";
    /// The checkpoints journal.
    pub const CHECKPOINTS: &str = "checkpoints.journal";
    /// The sled indexes.
    pub const INDEX: &str = "index";
    /// Held while a process uses the directory.
    pub const LOCK: &str = "LOCK";
}

/// The most events one group commit takes.
pub const MAX_GROUP: usize = 4096;

/// Why a data directory cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// I/O on the data directory.
    #[error("{0}")]
    Io(String),
    /// The journal is damaged.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The key file.
    #[error(transparent)]
    Key(#[from] keyfile::KeyFileError),
    /// The indexes failed.
    #[error("index storage: {0}")]
    Store(#[from] StateError),
    /// The data does not add up; the message says what and what to do.
    #[error("{0}")]
    Inconsistent(String),
    /// Another process holds the directory.
    #[error("data directory {0} is in use by another madini-node process")]
    Locked(String),
    /// No ledger in the directory.
    #[error("no ledger in {0}: create one with `madini-node init --data {0} --origin NAME ...`")]
    Empty(String),
}

impl From<TreeError> for NodeError {
    fn from(e: TreeError) -> NodeError {
        NodeError::Store(StateError(e.to_string()))
    }
}

/// A signed checkpoint and when it was signed.
#[derive(Clone, Debug)]
pub struct SignedCheckpoint {
    /// The C2SP signed note.
    pub note: String,
    /// Tree size.
    pub size: u64,
    /// Root.
    pub root: Hash,
    /// When the node signed it (ms; not part of the signed text).
    pub signed_at: u64,
}

/// What happened to one submitted event.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Appended at this index.
    Accepted {
        /// Log index.
        index: u64,
        /// Leaf hash.
        leaf_hash: Hash,
        /// Event hash.
        event_hash: Hash,
    },
    /// Already in the log: its existing entry.
    Existing {
        /// Log index.
        index: u64,
        /// Leaf hash.
        leaf_hash: Hash,
        /// Event hash.
        event_hash: Hash,
    },
    /// Refused by a rule; nothing written.
    Refused(Refusal),
    /// Not acknowledged: the node could not make it durable and stopped writing.
    Failed(String),
}

/// One event handed to the sequencer.
pub struct Item {
    /// The decoded event.
    pub sub: Submission,
    /// Signature verdict if already checked (under the key its id names).
    pub sig: SigMode,
    /// Record time to use instead of the clock (only the demo loader sets it).
    pub record_time: Option<u64>,
}

type Reply = (Vec<Outcome>, Arc<SignedCheckpoint>);

/// Where the sequencer sends a job's outcomes: an async or a blocking waiter.
enum ReplyTo {
    Async(tokio::sync::oneshot::Sender<Reply>),
    Blocking(mpsc::Sender<Reply>),
}

impl ReplyTo {
    fn send(self, r: Reply) {
        match self {
            ReplyTo::Async(tx) => {
                let _ = tx.send(r);
            }
            ReplyTo::Blocking(tx) => {
                let _ = tx.send(r);
            }
        }
    }
}

struct Job {
    items: Vec<Item>,
    reply: ReplyTo,
}

/// State shared between the sequencer and readers.
struct Shared {
    positions: RwLock<Positions>,
    checkpoint: RwLock<Arc<SignedCheckpoint>>,
    stopped: RwLock<Option<String>>,
}

/// A source of durability for the sequencer: the real journals, or a test
/// double that fails on demand.
pub trait Durable: Send {
    /// Appends leaves (sequence = entry index).
    ///
    /// # Errors
    /// I/O.
    fn append_leaves(&mut self, first: u64, leaves: &[Vec<u8>]) -> Result<Vec<RecordPos>, String>;
    /// Makes appended leaves durable.
    ///
    /// # Errors
    /// The sync failed.
    fn sync_leaves(&mut self) -> Result<(), String>;
    /// Appends a checkpoint note. Not synced on its own: a lost note is
    /// signed again, byte for byte, at start-up (`spec/storage.md`).
    ///
    /// # Errors
    /// I/O.
    fn append_checkpoint(&mut self, note: &str) -> Result<(), String>;
    /// Syncs the checkpoints journal (at shutdown).
    ///
    /// # Errors
    /// I/O.
    fn sync_checkpoints(&mut self) -> Result<(), String>;
}

/// The journals of a data directory.
pub struct Journals {
    leaves: Journal,
    checkpoints: Journal,
    checkpoint_count: u64,
}

impl Durable for Journals {
    fn append_leaves(&mut self, first: u64, leaves: &[Vec<u8>]) -> Result<Vec<RecordPos>, String> {
        let recs: Vec<(u64, &[u8])> = leaves
            .iter()
            .enumerate()
            .map(|(i, l)| (first + i as u64, l.as_slice()))
            .collect();
        self.leaves.append(&recs).map_err(|e| e.to_string())
    }
    fn sync_leaves(&mut self) -> Result<(), String> {
        self.leaves.sync().map_err(|e| e.to_string())
    }
    fn append_checkpoint(&mut self, note: &str) -> Result<(), String> {
        self.checkpoints
            .append(&[(self.checkpoint_count, note.as_bytes())])
            .map_err(|e| e.to_string())?;
        self.checkpoint_count += 1;
        Ok(())
    }
    fn sync_checkpoints(&mut self) -> Result<(), String> {
        self.checkpoints.sync().map_err(|e| e.to_string())
    }
}

/// Wraps a `Durable` and fails its syncs after `n` successes (fault-injection tests).
pub struct FailAfter<D: Durable> {
    /// Inner.
    pub inner: D,
    /// Syncs left before failing.
    pub syncs_left: Arc<Mutex<u64>>,
}

impl<D: Durable> Durable for FailAfter<D> {
    fn append_leaves(&mut self, first: u64, leaves: &[Vec<u8>]) -> Result<Vec<RecordPos>, String> {
        self.inner.append_leaves(first, leaves)
    }
    fn sync_leaves(&mut self) -> Result<(), String> {
        let mut left = self.syncs_left.lock().map_err(|_| "lock".to_string())?;
        if *left == 0 {
            return Err("injected fdatasync failure (EIO)".into());
        }
        *left -= 1;
        self.inner.sync_leaves()
    }
    fn append_checkpoint(&mut self, note: &str) -> Result<(), String> {
        self.inner.append_checkpoint(note)
    }
    fn sync_checkpoints(&mut self) -> Result<(), String> {
        self.inner.sync_checkpoints()
    }
}

/// An open ledger.
pub struct Ledger {
    /// The log origin.
    pub origin: Origin,
    /// The checkpoint verifier key.
    pub note_key: NoteKey,
    /// The log's public key.
    pub log_key: PublicKey,
    /// Where the data lives.
    pub dir: PathBuf,
    store: Arc<dyn Store>,
    reader: JournalReader,
    shared: Arc<Shared>,
    tx: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    _lock: DirLock,
}

/// Milliseconds since the epoch, from the system clock.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn io(e: impl std::fmt::Display) -> NodeError {
    NodeError::Io(e.to_string())
}

/// The data directory's lock (`LOCK`, flock), held until dropped.
///
/// Dropping it releases the lock explicitly rather than by closing the
/// file: a child process that another thread forks shares the open file
/// until it calls `exec`, and an flock is held until every sharer closes,
/// so a plain close could leave the directory locked for a moment.
#[derive(Debug)]
pub struct DirLock(File);

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Takes the data directory's lock.
///
/// # Errors
/// `Locked` when another process holds it; I/O.
pub fn lock_dir(dir: &Path) -> Result<DirLock, NodeError> {
    let f = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(files::LOCK))
        .map_err(io)?;
    f.try_lock()
        .map_err(|_| NodeError::Locked(dir.display().to_string()))?;
    Ok(DirLock(f))
}

/// What `init` needs: origin, log key, genesis event.
pub struct Genesis {
    /// The signed genesis event.
    pub event: ledger_core::log::SignedEvent,
    /// Its record time (ms).
    pub record_time: u64,
}

/// Creates a new ledger in `dir`: writes the log key (0600), checks and
/// journals the genesis entry, and signs the first checkpoint.
///
/// # Errors
/// An existing ledger, an invalid genesis, or I/O.
pub fn init(dir: &Path, log_key: &SecretKey, genesis: &Genesis) -> Result<(), NodeError> {
    fs::create_dir_all(dir).map_err(io)?;
    let _lock = lock_dir(dir)?;
    let leaves_path = dir.join(files::LEAVES);
    if leaves_path.exists() && fs::metadata(&leaves_path).map_err(io)?.len() > 0 {
        return Err(NodeError::Inconsistent(format!(
            "{} already holds a ledger; choose an empty directory",
            dir.display()
        )));
    }
    let mut log = ledger_core::log::MemLog::new();
    log.submit(&genesis.event, genesis.record_time)
        .map_err(|r| NodeError::Inconsistent(format!("genesis refused: {r}")))?;
    if log_key.public().key_id()
        != ledger_core::event::Event::decode(&genesis.event.bytes)
            .map(|e| e.key)
            .map_err(|e| NodeError::Inconsistent(e.to_string()))?
    {
        return Err(NodeError::Inconsistent(
            "genesis is not signed by the log key".into(),
        ));
    }
    // A key left by an earlier `init` that did not finish is kept only if it
    // is the key this genesis is signed with.
    let key_path = dir.join(files::LOG_KEY);
    if key_path.exists() {
        if keyfile::read(&key_path)?.public() != log_key.public() {
            return Err(NodeError::Inconsistent(format!(
                "{} holds another key than the one this genesis is signed with; move it away and run init again",
                key_path.display()
            )));
        }
    } else {
        keyfile::write(&key_path, log_key)?;
    }
    let (mut leaves, _) = Journal::open(&leaves_path, |_, _| Ok(()))?;
    leaves.append(&[(0, log.leaf(0).unwrap_or_default())])?;
    leaves.sync()?;
    let note = log
        .checkpoint(log_key)
        .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
    let (mut cps, _) = Journal::open(&dir.join(files::CHECKPOINTS), |_, _| Ok(()))?;
    cps.append(&[(0, note.as_bytes())])?;
    cps.sync()?;
    sync_dir(dir)?;
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), NodeError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io)
}

/// Progress of opening: what the startup checks found.
#[derive(Debug, Default, Clone)]
pub struct OpenReport {
    /// Entries in the journal.
    pub entries: u64,
    /// Bytes of a torn final record cut from the leaves journal.
    pub cut_bytes: u64,
    /// Entries indexed during start-up (the index was behind the journal).
    pub caught_up: u64,
    /// Leaves cut because their group commit never completed.
    pub uncommitted: u64,
    /// The stored Merkle hashes were rebuilt from the journal.
    pub rebuilt_hashes: bool,
    /// The event index was rewritten from the journal.
    pub rebuilt_events: bool,
    /// Checkpoints signed again at start-up (lost from the unsynced checkpoints journal).
    pub resigned: u64,
}

/// Reads the checkpoints journal: every note, in order.
fn read_checkpoints(dir: &Path) -> Result<(Journal, Vec<String>), NodeError> {
    let mut notes = Vec::new();
    let (j, _) = Journal::open(&dir.join(files::CHECKPOINTS), |_, payload| {
        notes.push(String::from_utf8_lossy(payload).into_owned());
        Ok(())
    })?;
    Ok((j, notes))
}

impl Ledger {
    /// Opens the ledger in `dir` with `store` as its indexes, runs the
    /// start-up checks, and starts the sequencer.
    ///
    /// # Errors
    /// Anything that does not add up, with what to do about it.
    pub fn open(dir: &Path, store: Arc<dyn Store>) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        Self::open_with(dir, store, |j| Box::new(j))
    }

    /// As `open`, with a wrapper around the journals (fault injection).
    ///
    /// # Errors
    /// As `open`.
    pub fn open_with(
        dir: &Path,
        store: Arc<dyn Store>,
        wrap: impl FnOnce(Journals) -> Box<dyn Durable>,
    ) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        if !dir.join(files::LEAVES).exists() {
            return Err(NodeError::Empty(dir.display().to_string()));
        }
        let lock = lock_dir(dir)?;
        let log_sk = keyfile::read(&dir.join(files::LOG_KEY))?;
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
            // catch-up or the index check below names it.
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
            leaves.cut(first.offset - crate::journal::HEADER as u64)?;
            positions.truncate(committed);
            leaf_hashes.truncate(committed);
            event_hashes.truncate(committed);
        }
        let boundaries = commits;
        let count = positions.len() as u64;
        if count == 0 {
            return Err(NodeError::Empty(dir.display().to_string()));
        }
        let reader = JournalReader::open(&dir.join(files::LEAVES))?;
        let (checkpoints, notes) = read_checkpoints(dir)?;
        let mut report = OpenReport {
            entries: count,
            cut_bytes: tail.cut_bytes,
            uncommitted,
            ..OpenReport::default()
        };
        let indexed = store.size()?;
        if indexed > count {
            return Err(NodeError::Inconsistent(format!(
                "the indexes hold {indexed} entries but the journal only {count}: the journal lost entries it had acknowledged. \
                 Restore {} from a backup; `madini-node fsck` shows details",
                dir.join(files::LEAVES).display()
            )));
        }
        // The Merkle hashes of what is indexed must match the journal.
        report.rebuilt_hashes = store.repair_hashes(&leaf_hashes[..indexed as usize])?;
        drop(leaf_hashes);
        report.rebuilt_events = store.repair_events(&event_hashes[..indexed as usize])?;
        drop(event_hashes);
        // Catch up: entries synced to the journal but not yet indexed.
        if indexed < count {
            report.caught_up = count - indexed;
            index_range(&*store, &reader, &positions, indexed, count)?;
        }
        // Spot-check the tail of the index against the journal.
        for i in count.saturating_sub(64)..count {
            let leaf = reader.read(positions.at(i).map_err(io)?)?;
            if store.read_hash(0, i)? != leaf_hash(&leaf) {
                return Err(NodeError::Inconsistent(format!(
                    "the index does not match the journal at entry {i}; rebuild it with `madini-node reindex --data {}`",
                    dir.display()
                )));
            }
        }
        let origin = store.origin()?.ok_or_else(|| {
            NodeError::Inconsistent("the index has no origin; run `madini-node reindex`".into())
        })?;
        let note_key = NoteKey::new(&origin, log_sk.public())
            .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
        // The last signed checkpoint must describe a prefix of this journal.
        let last = notes.last().ok_or_else(|| {
            NodeError::Inconsistent("no signed checkpoint: the checkpoints journal is empty".into())
        })?;
        let cp = open_checkpoint(last, &note_key).map_err(|e| {
            NodeError::Inconsistent(format!(
                "the last checkpoint does not verify under the log key: {e}"
            ))
        })?;
        if cp.size > count {
            return Err(NodeError::Inconsistent(format!(
                "the last signed checkpoint covers {} entries but the journal holds {count}: acknowledged entries were lost. \
                 Restore the journal from a backup",
                cp.size
            )));
        }
        if merkle::tree_hash(cp.size, &*store)? != cp.root {
            return Err(NodeError::Inconsistent(format!(
                "the Merkle root at size {} does not match the last signed checkpoint; run `madini-node fsck --data {}`",
                cp.size,
                dir.display()
            )));
        }
        if !boundaries.contains(&cp.size) {
            return Err(NodeError::Inconsistent(format!(
                "the last signed checkpoint (size {}) does not end a group commit of the journal; run `madini-node fsck`",
                cp.size
            )));
        }
        let mut journals = Journals {
            leaves,
            checkpoints,
            checkpoint_count: notes.len() as u64,
        };
        let mut current = SignedCheckpoint {
            note: last.clone(),
            size: cp.size,
            root: cp.root,
            signed_at: now_ms(),
        };
        // Sign again the checkpoints of commits after the last one stored: the
        // same bytes as before, since Ed25519 signing is deterministic.
        for &size in boundaries.iter().filter(|b| **b > cp.size) {
            let root = merkle::tree_hash(size, &*store)?;
            let note = sign_checkpoint(
                &Checkpoint {
                    origin: origin.to_string(),
                    size,
                    root,
                },
                &log_sk,
            )
            .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
            journals.append_checkpoint(&note).map_err(NodeError::Io)?;
            current = SignedCheckpoint {
                note,
                size,
                root,
                signed_at: now_ms(),
            };
            report.resigned += 1;
        }
        if report.resigned > 0 {
            journals.sync_checkpoints().map_err(NodeError::Io)?;
        }
        let last_leaf = reader.read(positions.at(count - 1).map_err(io)?)?;
        let last_time = Leaf::decode(&last_leaf).map(|l| l.record_time).unwrap_or(0);
        let shared = Arc::new(Shared {
            positions: RwLock::new(positions),
            checkpoint: RwLock::new(Arc::new(current)),
            stopped: RwLock::new(None),
        });
        let (tx, rx) = mpsc::sync_channel::<Job>(1024);
        let seq = Sequencer {
            frontier: frontier_of(count, &*store)?,
            store: store.clone(),
            durable: wrap(journals),
            shared: shared.clone(),
            log_key: log_sk.clone(),
            origin: origin.clone(),
            size: count,
            last_leaf: leaf_hash(&last_leaf),
            last_time,
        };
        let thread = std::thread::Builder::new()
            .name("sequencer".into())
            .spawn(move || seq.run(rx))
            .map_err(io)?;
        let ledger = Ledger {
            origin,
            log_key: log_sk.public(),
            note_key,
            dir: dir.to_path_buf(),
            store,
            reader,
            shared,
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            _lock: lock,
        };
        Ok((Arc::new(ledger), report))
    }

    /// Submits events to the sequencer and waits for their outcomes and the
    /// checkpoint that covers them.
    ///
    /// # Errors
    /// `Failed` outcomes come back as values; this errs only if the node is
    /// shutting down.
    pub async fn submit(
        &self,
        items: Vec<Item>,
    ) -> Result<(Vec<Outcome>, Arc<SignedCheckpoint>), String> {
        let (reply, rx) = tokio::sync::oneshot::channel();
        let tx = self
            .tx
            .lock()
            .map_err(|_| "sequencer lock poisoned".to_string())?
            .clone()
            .ok_or("the node is shutting down")?;
        let mut job = Job {
            items,
            reply: ReplyTo::Async(reply),
        };
        loop {
            match tx.try_send(job) {
                Ok(()) => break,
                Err(TrySendError::Full(j)) => {
                    job = j;
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
                Err(TrySendError::Disconnected(_)) => {
                    return Err("the node is shutting down".into());
                }
            }
        }
        rx.await.map_err(|_| "the sequencer stopped".to_string())
    }

    /// Blocking variant of `submit` for non-async callers (tools, tests).
    ///
    /// # Errors
    /// As `submit`.
    pub fn submit_blocking(
        &self,
        items: Vec<Item>,
    ) -> Result<(Vec<Outcome>, Arc<SignedCheckpoint>), String> {
        let (reply, rx) = mpsc::channel();
        let tx = self
            .tx
            .lock()
            .map_err(|_| "sequencer lock poisoned".to_string())?
            .clone()
            .ok_or("the node is shutting down")?;
        tx.send(Job {
            items,
            reply: ReplyTo::Blocking(reply),
        })
        .map_err(|_| "the node is shutting down".to_string())?;
        rx.recv().map_err(|_| "the sequencer stopped".to_string())
    }

    /// Stops the sequencer after the jobs already queued, and waits for it.
    pub fn shutdown(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Ok(mut t) = self.thread.lock()
            && let Some(h) = t.take()
        {
            let _ = h.join();
        }
        let _ = self.store.flush();
    }

    /// Why writes are stopped, if they are.
    pub fn stopped(&self) -> Option<String> {
        self.shared.stopped.read().ok().and_then(|s| s.clone())
    }

    /// The latest signed checkpoint.
    pub fn checkpoint(&self) -> Arc<SignedCheckpoint> {
        self.shared
            .checkpoint
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Entries in the journal (may briefly run ahead of the checkpoint).
    pub fn journal_size(&self) -> u64 {
        self.shared
            .positions
            .read()
            .map(|p| p.len() as u64)
            .unwrap_or(0)
    }

    /// The indexes.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The encoded leaf at `index`, if it is covered by the latest checkpoint.
    ///
    /// # Errors
    /// I/O.
    pub fn leaf(&self, index: u64) -> Result<Option<Vec<u8>>, NodeError> {
        if index >= self.checkpoint().size {
            return Ok(None);
        }
        let pos = self
            .shared
            .positions
            .read()
            .map_err(|_| io("positions lock poisoned"))?
            .get(index as usize);
        match pos {
            None => Ok(None),
            Some(p) => Ok(Some(self.reader.read(p)?)),
        }
    }

    /// The encoded leaves `from..to` (`to` at most the checkpoint's size),
    /// read in order through one buffered stream (`JournalReader::stream`,
    /// each record checked) rather than a read a leaf: for reports and
    /// exports over the whole log.
    pub fn leaves(
        &self,
        from: u64,
        to: u64,
    ) -> impl Iterator<Item = Result<(u64, Vec<u8>), NodeError>> + '_ {
        let to = to.min(self.checkpoint().size);
        let mut stream: Option<crate::journal::Stream> = None;
        (from..to).map(move |i| {
            if stream.is_none() {
                let first = self
                    .shared
                    .positions
                    .read()
                    .map_err(|_| io("positions lock poisoned"))?
                    .at(i)
                    .map_err(io)?;
                stream = Some(self.reader.stream(first)?);
            }
            let s = stream.as_mut().ok_or_else(|| io("leaf stream"))?;
            Ok((i, s.next_payload()?))
        })
    }

    /// Inclusion proof of `index` in the tree of `size` (at most the checkpoint's).
    ///
    /// # Errors
    /// `TreeError::Range` for out-of-range arguments.
    pub fn prove_inclusion(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError> {
        if size > self.checkpoint().size {
            return Err(TreeError::Range(
                "tree size is beyond the latest checkpoint",
            ));
        }
        merkle::prove_inclusion(index, size, &*self.store)
    }

    /// Consistency proof from `from` to `to` (at most the checkpoint's size).
    ///
    /// # Errors
    /// `TreeError::Range` for out-of-range arguments.
    pub fn prove_consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, TreeError> {
        if to > self.checkpoint().size {
            return Err(TreeError::Range(
                "tree size is beyond the latest checkpoint",
            ));
        }
        merkle::prove_consistency(from, to, &*self.store)
    }

    /// The leaf hash of `index`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, TreeError> {
        self.store.read_hash(0, index)
    }

    /// Indexes of the events in `r`'s history, up to the checkpoint. A lot's
    /// history is not indexed: it is its hash chain, walked back from its
    /// head through the event index (`ARCHITECTURE.md`, "Storage").
    ///
    /// # Errors
    /// Storage errors, or a chain that does not hold together.
    pub fn history(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        let size = self.checkpoint().size;
        let all = match r {
            Ref::Lot(lot) => self.lot_chain(lot)?,
            _ => self.store.entries(r)?,
        };
        Ok(all.into_iter().filter(|i| *i < size).collect())
    }

    /// The entries of a lot's provenance: its own chain and the chains of
    /// every lot it came from (through splits, merges and processing), in
    /// log order.
    ///
    /// # Errors
    /// Storage errors, or a chain that does not hold together.
    pub fn provenance(&self, lot: &str) -> Result<Vec<u64>, StateError> {
        let size = self.checkpoint().size;
        let mut seen_lots = std::collections::BTreeSet::new();
        let mut todo = vec![lot.to_string()];
        let mut out = std::collections::BTreeSet::new();
        while let Some(l) = todo.pop() {
            if !seen_lots.insert(l.clone()) {
                continue;
            }
            for index in self.lot_chain(&l)? {
                out.insert(index);
                let bytes = self.read_leaf(index)?;
                let (_, ev) = decode_entry(&bytes).map_err(StateError)?;
                if ev.lot_link(&l) != LotLink::Creates {
                    continue;
                }
                match &ev.body {
                    Body::LotSplit(b) => todo.push(b.lot.to_string()),
                    Body::LotMerge(b) => todo.extend(b.inputs.iter().map(|i| i.lot.to_string())),
                    Body::LotProcess(b) => {
                        todo.extend(b.inputs.iter().map(|i| i.lot.to_string()));
                    }
                    _ => {}
                }
            }
        }
        Ok(out.into_iter().filter(|i| *i < size).collect())
    }

    fn lot_chain(&self, lot: &str) -> Result<Vec<u64>, StateError> {
        let Some(state) = self.store.lot(lot)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut at = state.head;
        loop {
            let index = self.store.event_index(&at)?.ok_or_else(|| {
                StateError(format!("lot {lot}: event {at} of its chain is not indexed"))
            })?;
            out.push(index);
            let bytes = self.read_leaf(index)?;
            let (_, ev) = decode_entry(&bytes).map_err(StateError)?;
            match ev.lot_link(lot) {
                LotLink::Follows(prev) => at = prev,
                LotLink::Creates => break,
                LotLink::None => {
                    return Err(StateError(format!(
                        "lot {lot}: entry {index} is not in its chain"
                    )));
                }
            }
            if out.len() > 1_000_000 {
                return Err(StateError(format!("lot {lot}: chain does not end")));
            }
        }
        out.reverse();
        Ok(out)
    }

    fn read_leaf(&self, index: u64) -> Result<Vec<u8>, StateError> {
        let pos = self
            .shared
            .positions
            .read()
            .map_err(|_| StateError("positions lock poisoned".into()))?
            .get(index as usize)
            .ok_or_else(|| StateError(format!("no entry {index}")))?;
        self.reader.read(pos).map_err(|e| StateError(e.to_string()))
    }

    /// The offline bundle of `lot` against the latest checkpoint.
    ///
    /// # Errors
    /// Storage errors.
    pub fn bundle(&self, lot: &Id) -> Result<Bundle, StateError> {
        let cp = self.checkpoint();
        bundle::build_bundle(self, lot, &self.origin, &cp.note, cp.size, |i, n| {
            merkle::prove_inclusion(i, n, &*self.store).map_err(|e| StateError(e.to_string()))
        })
    }

    /// The actor that owns a key.
    ///
    /// # Errors
    /// Storage errors.
    pub fn key_actor(&self, key: &KeyId) -> Result<Option<Id>, StateError> {
        Ok(self.store.key(key)?.and_then(|k| match k.owner {
            KeyOwner::Actor(a) => Some(a),
            KeyOwner::Log => None,
        }))
    }
}

impl LogIndex for Ledger {
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        self.history(r)
    }
    fn leaf(&self, index: u64) -> Result<Vec<u8>, StateError> {
        Ledger::leaf(self, index)
            .map_err(|e| StateError(e.to_string()))?
            .ok_or_else(|| StateError(format!("no entry {index}")))
    }
    fn key_owner(&self, key: &KeyId) -> Result<Option<Id>, StateError> {
        self.key_actor(key)
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Indexes entries `from..to` of the journal into `store`, checking every
/// rule and signature again and the linear chain.
///
/// # Errors
/// A leaf that does not replay, or storage errors.
pub fn index_range(
    store: &dyn Store,
    reader: &JournalReader,
    positions: &Positions,
    from: u64,
    to: u64,
) -> Result<(), NodeError> {
    let mut prev = if from == 0 {
        Hash::default()
    } else {
        store.read_hash(0, from - 1)?
    };
    let mut i = from;
    while i < to {
        let end = (i + 1024).min(to);
        let mut overlay = Overlay::new(store)?;
        let mut batch = CommitBatch::default();
        let mut hashes = PendingHashes::new(store);
        for k in i..end {
            let bytes = reader.read(positions.at(k).map_err(io)?)?;
            let leaf = Leaf::decode(&bytes)
                .map_err(|e| NodeError::Inconsistent(format!("journal entry {k}: {e}")))?;
            if leaf.prev_leaf != prev {
                return Err(NodeError::Inconsistent(format!(
                    "journal entry {k}: previous-leaf hash does not match entry {}",
                    k.wrapping_sub(1)
                )));
            }
            let sub = Submission::decode(leaf.event.clone(), leaf.signature)
                .map_err(|r| NodeError::Inconsistent(format!("journal entry {k}: {r}")))?;
            let applied = apply(&overlay, &sub, SigMode::Verify).map_err(|r| {
                NodeError::Inconsistent(format!("journal entry {k} breaks a rule: {r}"))
            })?;
            let lh = leaf_hash(&bytes);
            hashes.append(k, lh, &mut batch)?;
            add_refs(&sub, &applied.changes, k, &mut batch);
            overlay.commit(&applied.changes);
            prev = lh;
        }
        batch.changes = std::mem::take(&mut overlay.pending);
        batch.size = end;
        store.commit(&batch)?;
        i = end;
    }
    Ok(())
}

/// The stored hashes that cover a tree of `n` leaves: one complete subtree
/// per set bit of `n`. Appending a leaf reads only these (its left
/// siblings), and so does the root, so the sequencer keeps them in memory.
type Frontier = std::collections::HashMap<(u8, u64), Hash>;

fn frontier_of(n: u64, r: &(impl HashReader + ?Sized)) -> Result<Frontier, TreeError> {
    let mut f = Frontier::new();
    let mut start = 0u64;
    for level in (0..64u8).rev() {
        if n & (1u64 << level) != 0 {
            let index = start >> level;
            f.insert((level, index), r.read_hash(level, index)?);
            start += 1u64 << level;
        }
    }
    Ok(f)
}

/// Merkle hashes of a batch not yet in the store, readable together with
/// the frontier and the store.
struct PendingHashes<'a> {
    store: &'a dyn Store,
    frontier: Frontier,
    new: std::collections::HashMap<(u8, u64), Hash>,
}

impl<'a> PendingHashes<'a> {
    fn new(store: &'a dyn Store) -> Self {
        PendingHashes {
            store,
            frontier: Frontier::new(),
            new: std::collections::HashMap::new(),
        }
    }

    fn with_frontier(store: &'a dyn Store, frontier: Frontier) -> Self {
        PendingHashes {
            store,
            frontier,
            new: std::collections::HashMap::new(),
        }
    }

    fn append(&mut self, index: u64, lh: Hash, batch: &mut CommitBatch) -> Result<(), TreeError> {
        let add = merkle::hashes_to_store(index, lh, self)?;
        for (l, i, h) in add {
            self.new.insert((l, i), h);
            batch.hashes.push((l, i, h));
        }
        Ok(())
    }
}

impl HashReader for PendingHashes<'_> {
    fn read_hash(&self, level: u8, index: u64) -> Result<Hash, TreeError> {
        match self
            .new
            .get(&(level, index))
            .or_else(|| self.frontier.get(&(level, index)))
        {
            Some(h) => Ok(*h),
            None => self.store.read_hash(level, index),
        }
    }
}

/// The root of `n` leaves and the frontier of that tree, from a batch's reader.
fn tree_root(n: u64, r: &PendingHashes<'_>) -> Result<(Hash, Frontier), TreeError> {
    Ok((merkle::tree_hash(n, r)?, frontier_of(n, r)?))
}

/// History index entries and created lots of one applied event.
fn add_refs(sub: &Submission, changes: &[Change], index: u64, batch: &mut CommitBatch) {
    // Lot histories are their hash chains; only the other histories are indexed.
    for r in bundle::subjects(&sub.event, &sub.hash) {
        if !matches!(r, Ref::Lot(_)) {
            batch.refs.push((r, index));
        }
    }
    for c in changes {
        if let Change::Lot { lot } = c
            && lot.created == index
        {
            batch.lots.push((index, lot.id.clone()));
        }
    }
}

struct Sequencer {
    frontier: Frontier,
    store: Arc<dyn Store>,
    durable: Box<dyn Durable>,
    shared: Arc<Shared>,
    log_key: SecretKey,
    origin: Origin,
    size: u64,
    last_leaf: Hash,
    last_time: u64,
}

impl Sequencer {
    fn run(mut self, rx: Receiver<Job>) {
        while let Ok(first) = rx.recv() {
            let mut jobs = vec![first];
            let mut count = jobs[0].items.len();
            while count < MAX_GROUP {
                match rx.try_recv() {
                    Ok(j) => {
                        count += j.items.len();
                        jobs.push(j);
                    }
                    Err(_) => break,
                }
            }
            self.group_commit(jobs);
        }
        if let Err(e) = self.durable.sync_checkpoints() {
            tracing::error!(error = %e, "could not sync the checkpoints journal at shutdown; start-up will sign them again");
        }
    }

    fn stop(&self, why: String) {
        tracing::error!(reason = %why, "writes stopped");
        if let Ok(mut s) = self.shared.stopped.write()
            && s.is_none()
        {
            *s = Some(why);
        }
    }

    fn checkpoint(&self) -> Arc<SignedCheckpoint> {
        self.shared
            .checkpoint
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn group_commit(&mut self, jobs: Vec<Job>) {
        let stopped = self.shared.stopped.read().ok().and_then(|s| s.clone());
        if let Some(why) = stopped {
            let cp = self.checkpoint();
            for j in jobs {
                let n = j.items.len();
                j.reply
                    .send((vec![Outcome::Failed(why.clone()); n], cp.clone()));
            }
            return;
        }
        let store = self.store.clone();
        let mut overlay = match Overlay::new(&*store) {
            Ok(o) => o,
            Err(e) => {
                self.stop(format!("index storage failed: {e}"));
                return self.group_commit(jobs);
            }
        };
        let mut batch = CommitBatch::default();
        let mut hashes = PendingHashes::with_frontier(&*store, self.frontier.clone());
        let mut leaves: Vec<Vec<u8>> = Vec::new();
        let mut outcomes: Vec<Vec<Outcome>> = Vec::with_capacity(jobs.len());
        let mut new_leaf_hashes: std::collections::HashMap<u64, Hash> =
            std::collections::HashMap::new();
        let first_index = self.size;
        for job in &jobs {
            let mut out = Vec::with_capacity(job.items.len());
            for item in &job.items {
                out.push(self.one(
                    item,
                    &mut overlay,
                    &mut hashes,
                    &mut batch,
                    &mut leaves,
                    &mut new_leaf_hashes,
                ));
            }
            outcomes.push(out);
        }
        if !leaves.is_empty() {
            let result = match tree_root(self.size, &hashes) {
                Ok((root, frontier)) => self
                    .make_durable(first_index, &leaves, overlay, batch, root)
                    .map(|()| frontier),
                Err(e) => Err(e.to_string()),
            };
            match result {
                Ok(frontier) => self.frontier = frontier,
                Err(why) => {
                    self.stop(why.clone());
                    // Nothing from this group reached the disk: an
                    // acceptance, or a duplicate pointing at an index this
                    // group assigned, must not be acknowledged.
                    for o in outcomes.iter_mut().flatten() {
                        let unsynced = match o {
                            Outcome::Accepted { .. } => true,
                            Outcome::Existing { index, .. } => *index >= first_index,
                            _ => false,
                        };
                        if unsynced {
                            *o = Outcome::Failed(why.clone());
                        }
                    }
                    self.size = first_index;
                }
            }
        }
        let cp = self.checkpoint();
        for (job, out) in jobs.into_iter().zip(outcomes) {
            job.reply.send((out, cp.clone()));
        }
    }

    fn one(
        &mut self,
        item: &Item,
        overlay: &mut Overlay<'_, dyn Store>,
        hashes: &mut PendingHashes<'_>,
        batch: &mut CommitBatch,
        leaves: &mut Vec<Vec<u8>>,
        new_leaf_hashes: &mut std::collections::HashMap<u64, Hash>,
    ) -> Outcome {
        let sub = &item.sub;
        match overlay.event_index(&sub.hash) {
            Ok(Some(index)) => {
                let leaf_hash = match new_leaf_hashes.get(&index) {
                    Some(h) => *h,
                    None => match self.store.read_hash(0, index) {
                        Ok(h) => h,
                        Err(e) => return Outcome::Failed(e.to_string()),
                    },
                };
                return Outcome::Existing {
                    index,
                    leaf_hash,
                    event_hash: sub.hash,
                };
            }
            Ok(None) => {}
            Err(e) => return Outcome::Failed(e.to_string()),
        }
        let applied = match apply(&*overlay, sub, item.sig) {
            Ok(a) => a,
            Err(r) if r.rule == Rule::Storage => return Outcome::Failed(r.message),
            Err(r) => return Outcome::Refused(r),
        };
        let index = self.size;
        let record_time = item.record_time.unwrap_or_else(now_ms).max(self.last_time);
        let leaf = Leaf {
            record_time,
            prev_leaf: self.last_leaf,
            signature: sub.signature,
            event: sub.bytes.clone(),
        }
        .encode();
        let lh = leaf_hash(&leaf);
        if let Err(e) = hashes.append(index, lh, batch) {
            return Outcome::Failed(e.to_string());
        }
        add_refs(sub, &applied.changes, index, batch);
        overlay.commit(&applied.changes);
        leaves.push(leaf);
        new_leaf_hashes.insert(index, lh);
        self.size += 1;
        self.last_leaf = lh;
        self.last_time = record_time;
        Outcome::Accepted {
            index,
            leaf_hash: lh,
            event_hash: sub.hash,
        }
    }

    /// Journal, sync, index, sign, publish. Any failure stops writes.
    fn make_durable(
        &mut self,
        first: u64,
        leaves: &[Vec<u8>],
        overlay: Overlay<'_, dyn Store>,
        mut batch: CommitBatch,
        root: Hash,
    ) -> Result<(), String> {
        let positions = self
            .durable
            .append_leaves(first, leaves)
            .map_err(|e| format!("journal write failed: {e}"))?;
        self.durable.sync_leaves().map_err(|e| {
            format!("journal sync failed: {e}; entries from {first} were not acknowledged")
        })?;
        if let Ok(mut p) = self.shared.positions.write() {
            p.extend(positions);
        }
        batch.changes = overlay.pending;
        batch.size = self.size;
        self.store.commit(&batch).map_err(|e| {
            format!("index write failed after the journal sync: {e}; restart the node to re-index")
        })?;
        let note = sign_checkpoint(
            &Checkpoint {
                origin: self.origin.to_string(),
                size: self.size,
                root,
            },
            &self.log_key,
        )
        .map_err(|e| e.to_string())?;
        self.durable
            .append_checkpoint(&note)
            .map_err(|e| format!("checkpoint journal failed: {e}"))?;
        if let Ok(mut c) = self.shared.checkpoint.write() {
            *c = Arc::new(SignedCheckpoint {
                note,
                size: self.size,
                root,
                signed_at: now_ms(),
            });
        }
        Ok(())
    }
}

/// Reads a leaf's event for views.
///
/// # Errors
/// A leaf or event that does not decode.
pub fn decode_entry(bytes: &[u8]) -> Result<(Leaf, Event), String> {
    let leaf = Leaf::decode(bytes).map_err(|e| e.to_string())?;
    let ev = Event::decode(&leaf.event).map_err(|e| e.to_string())?;
    Ok((leaf, ev))
}
