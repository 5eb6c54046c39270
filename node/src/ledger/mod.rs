//! The ledger a node serves, over any `LogStore`: opening it, the types its
//! callers use, submitting to the sequencer and shutting it down. Split by
//! concern: `dir.rs` (the data directory, its lock, `init`), `startup.rs`
//! (the start-up checks), `sequencer.rs` (group commit), `read.rs` (entries,
//! proofs, lots, bundles). See `ARCHITECTURE.md`, "The write path" and "The
//! storage contract".

pub mod dir;
pub mod read;
pub mod sequencer;
pub mod startup;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use ledger_core::crypto::{PublicKey, SecretKey};
use ledger_core::event::Event;
use ledger_core::hash::Hash;
use ledger_core::leaf::Leaf;
use ledger_core::merkle::TreeError;
use ledger_core::note::NoteKey;
use ledger_core::rules::{Refusal, SigMode, Submission};
use ledger_core::state::StateError;
use ledger_core::types::Origin;

pub use dir::{DirLock, Genesis, files, init, lock_dir};
pub use sequencer::MAX_GROUP;
pub use startup::{OpenReport, replay_into_index};

use crate::embedded::EmbeddedStore;
use crate::journal::JournalError;
use crate::keyfile;
pub use crate::logstore::{FailAfter, Fault};
use crate::logstore::{LogStore, LogWriter, StorageError};
use crate::store::Store;
use sequencer::{Job, ReplyTo, Sequencer};

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

impl From<StorageError> for NodeError {
    fn from(e: StorageError) -> NodeError {
        match e {
            StorageError::Corrupt(m) => NodeError::Inconsistent(m),
            other => NodeError::Io(other.to_string()),
        }
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

/// State shared between the sequencer and readers.
struct Shared {
    checkpoint: RwLock<Arc<SignedCheckpoint>>,
    stopped: RwLock<Option<String>>,
}

/// An open ledger.
pub struct Ledger {
    /// The log origin.
    pub origin: Origin,
    /// The checkpoint verifier key.
    pub note_key: NoteKey,
    /// The log's public key.
    pub log_key: PublicKey,
    /// Where the data lives (empty for a store that is not a directory).
    pub dir: PathBuf,
    /// The log key, which signs checkpoints (in the sequencer) and intake
    /// reports (`Ledger::intake_report`), and nothing else.
    log_sk: SecretKey,
    log: Arc<dyn LogStore>,
    shared: Arc<Shared>,
    tx: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// Milliseconds since the epoch, from the system clock.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Ledger {
    /// Opens the ledger in the data directory `dir` (the embedded store)
    /// with `store` as its indexes, runs the start-up checks, and starts the
    /// sequencer.
    ///
    /// # Errors
    /// Anything that does not add up, with what to do about it.
    pub fn open(dir: &Path, store: Arc<dyn Store>) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        Self::open_with(dir, store, |w| w)
    }

    /// As `open`, with a wrapper around the store's writer (fault injection).
    ///
    /// # Errors
    /// As `open`.
    pub fn open_with(
        dir: &Path,
        store: Arc<dyn Store>,
        wrap: impl FnOnce(Box<dyn LogWriter>) -> Box<dyn LogWriter>,
    ) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        if !dir.join(files::LEAVES).exists() {
            return Err(NodeError::Empty(dir.display().to_string()));
        }
        let lock = lock_dir(dir)?;
        let log_sk = keyfile::read(&dir.join(files::LOG_KEY))?;
        let (log, report) = EmbeddedStore::open(dir, lock, store)?;
        Self::start(Arc::new(log), log_sk, dir.to_path_buf(), report, wrap)
    }

    /// Opens a ledger over any `LogStore`, signing with `log_key`: takes the
    /// writer's lease, runs the start-up checks, and starts the sequencer.
    ///
    /// # Errors
    /// As `open`.
    pub fn open_store(
        log: Arc<dyn LogStore>,
        log_key: SecretKey,
        wrap: impl FnOnce(Box<dyn LogWriter>) -> Box<dyn LogWriter>,
    ) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        Self::start(log, log_key, PathBuf::new(), OpenReport::default(), wrap)
    }

    fn start(
        log: Arc<dyn LogStore>,
        log_sk: SecretKey,
        dir: PathBuf,
        mut report: OpenReport,
        wrap: impl FnOnce(Box<dyn LogWriter>) -> Box<dyn LogWriter>,
    ) -> Result<(Arc<Ledger>, OpenReport), NodeError> {
        // The lease first: the writer starts from what the store holds
        // after taking it, never from anything read before.
        let mut writer = wrap(log.writer()?);
        let checked = startup::check(&*log, &mut *writer, &log_sk, &mut report)?;
        let shared = Arc::new(Shared {
            checkpoint: RwLock::new(Arc::new(checked.checkpoint)),
            stopped: RwLock::new(None),
        });
        let (tx, rx) = mpsc::sync_channel::<Job>(1024);
        let seq = Sequencer::new(
            log.clone(),
            writer,
            shared.clone(),
            log_sk.clone(),
            checked.origin.clone(),
            checked.start,
        );
        let thread = std::thread::Builder::new()
            .name("sequencer".into())
            .spawn(move || seq.run(rx))
            .map_err(dir::io)?;
        let ledger = Ledger {
            origin: checked.origin,
            log_key: log_sk.public(),
            note_key: checked.note_key,
            dir,
            log_sk,
            log,
            shared,
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        };
        Ok((Arc::new(ledger), report))
    }

    /// An intake report (`spec/events.md` section 6): `report`, which must
    /// carry no `anonymous_key`, as an event of this log signed by the log
    /// key at `time`, ready for `submit`. The log key signs nothing else
    /// through this method, so no caller can make it sign another type.
    ///
    /// # Errors
    /// `invalid-event` when the report has an `anonymous_key` or does not
    /// encode (a text over its limit).
    pub fn intake_report(
        &self,
        report: ledger_core::event::IncidentReport,
        time: u64,
    ) -> Result<Item, ledger_core::rules::Refusal> {
        use ledger_core::rules::Rule;
        let invalid = |message: String| Refusal {
            rule: Rule::InvalidEvent,
            message,
        };
        if report.anonymous_key.is_some() {
            return Err(invalid("an intake report carries no anonymous_key".into()));
        }
        let event = ledger_core::event::Event {
            log: self.origin.clone(),
            key: self.log_key.key_id(),
            time: ledger_core::types::Millis(time),
            body: ledger_core::event::Body::IncidentReport(report),
        };
        let bytes = event.encode().map_err(|e| invalid(e.to_string()))?;
        let signature = self.log_sk.sign_event(&bytes);
        let sub = Submission::decode(bytes, signature)?;
        Ok(Item {
            sub,
            sig: SigMode::Known(true),
            record_time: None,
        })
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
        let _ = self.log.indexes().flush();
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

    /// Entries committed to the log (may briefly run ahead of the checkpoint).
    pub fn journal_size(&self) -> u64 {
        self.log.size().unwrap_or(0)
    }

    /// The indexes.
    pub fn store(&self) -> &dyn Store {
        self.log.indexes()
    }

    /// The storage the ledger runs on (tiles, records).
    pub fn log_store(&self) -> &dyn LogStore {
        &*self.log
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        self.shutdown();
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
