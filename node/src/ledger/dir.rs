//! The embedded store's data directory: its file names, its lock (`LOCK`,
//! flock), and `init`, which creates a ledger in an empty directory
//! (`spec/storage.md`, "The embedded store's data directory").

use std::fs::{self, File};
use std::path::Path;

use ledger_core::crypto::SecretKey;

use super::NodeError;
use crate::keyfile;

/// File names inside a data directory.
pub mod files {
    /// The log's private key.
    pub const LOG_KEY: &str = "log.key";
    /// The witness's Ed25519 private key (`spec/log.md` section 7).
    pub const WITNESS_KEY: &str = "witness.key";
    /// The leaves journal.
    pub const LEAVES: &str = "leaves.journal";
    /// The checkpoints journal.
    pub const CHECKPOINTS: &str = "checkpoints.journal";
    /// The sled indexes.
    pub const INDEX: &str = "index";
    /// Held while a process uses the directory.
    pub const LOCK: &str = "LOCK";
    /// Small durable records kept beside the log, one file each (created
    /// on the first record written).
    pub const RECORDS: &str = "records";
}

pub(crate) fn io(e: impl std::fmt::Display) -> NodeError {
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

/// The first leaf and the first checkpoint of a new log, after checking
/// the genesis event with the rules and that the log key signed it (every
/// backend's creation starts here).
///
/// # Errors
/// `Inconsistent` for a genesis the rules refuse or another key signed.
pub fn genesis_entry(
    log_key: &SecretKey,
    genesis: &Genesis,
) -> Result<(Vec<u8>, String), NodeError> {
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
    let note = log
        .checkpoint(log_key)
        .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
    Ok((log.leaf(0).unwrap_or_default().to_vec(), note))
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
    let (leaf, note) = genesis_entry(log_key, genesis)?;
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
    crate::witness::load_or_create_key(dir)?;
    crate::embedded::create_journals(dir, &leaf, &note)?;
    sync_dir(dir)?;
    Ok(())
}

/// Syncs a directory's entries (after creating or renaming files in it).
///
/// # Errors
/// I/O.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), NodeError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io)
}
