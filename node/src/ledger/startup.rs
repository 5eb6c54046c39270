//! Start-up checks every backend gets, after its own recovery (the
//! embedded store's is in `embedded.rs`): the indexes caught up with the
//! leaves by replaying them through every rule (`replay_into_index`), their
//! tail spot-checked against the leaves, the latest checkpoint verified
//! against the log key and the tree, and the checkpoints of commits the
//! store lost signed again (`ARCHITECTURE.md`, "Start-up checks").

use ledger_core::crypto::SecretKey;
use ledger_core::hash::leaf_hash;
use ledger_core::leaf::{ChainBreak, ChainHead, Leaf, LeafRef};
use ledger_core::merkle;
use ledger_core::note::{Checkpoint, NoteKey, open_checkpoint, sign_checkpoint};
use ledger_core::rules::{SigMode, Submission, apply};
use ledger_core::state::Overlay;
use ledger_core::types::Origin;

use super::sequencer::{PendingHashes, Start, add_refs, frontier_of};
use super::{NodeError, SignedCheckpoint, now_ms};
use crate::logstore::{LogStore, LogWriter};
use crate::store::{CommitBatch, Store};

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

/// What start-up hands the ledger and its sequencer.
pub(super) struct Checked {
    pub(super) origin: Origin,
    pub(super) note_key: NoteKey,
    pub(super) checkpoint: SignedCheckpoint,
    pub(super) start: Start,
}

/// Checks `log` and makes it ready to sequence under `writer`: catches the
/// indexes up, checks the latest checkpoint, signs lost ones again.
pub(super) fn check(
    log: &dyn LogStore,
    writer: &mut dyn LogWriter,
    log_sk: &SecretKey,
    report: &mut OpenReport,
) -> Result<Checked, NodeError> {
    let store = log.indexes();
    let location = log.location();
    let count = log.size()?;
    if count == 0 {
        return Err(NodeError::Empty(location));
    }
    report.entries = count;
    let indexed = store.size()?;
    if indexed > count {
        return Err(NodeError::Inconsistent(format!(
            "the indexes hold {indexed} entries but the log only {count}: the log lost entries it had acknowledged. \
             Restore {location} from a backup; `madini-node fsck` shows details"
        )));
    }
    // Catch up: entries committed but not yet indexed.
    if indexed < count {
        report.caught_up = count - indexed;
        replay_into_index(store, &|k| read_leaf(log, k), indexed, count)?;
    }
    // Spot-check the tail of the index against the journal.
    for i in count.saturating_sub(64)..count {
        let leaf = read_leaf(log, i)?;
        if store.read_hash(0, i)? != leaf_hash(&leaf) {
            return Err(NodeError::Inconsistent(format!(
                "the index does not match the journal at entry {i}; rebuild it with `madini-node reindex --data {location}`"
            )));
        }
    }
    let origin = store.origin()?.ok_or_else(|| {
        NodeError::Inconsistent("the index has no origin; run `madini-node reindex`".into())
    })?;
    let note_key = NoteKey::new(&origin, log_sk.public())
        .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
    // The last signed checkpoint must describe a prefix of this journal.
    let last = log.checkpoint()?.ok_or_else(|| {
        NodeError::Inconsistent("no signed checkpoint: the checkpoints journal is empty".into())
    })?;
    let cp = open_checkpoint(&last, &note_key).map_err(|e| {
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
    if merkle::tree_hash(cp.size, store)? != cp.root {
        return Err(NodeError::Inconsistent(format!(
            "the Merkle root at size {} does not match the last signed checkpoint; run `madini-node fsck --data {location}`",
            cp.size,
        )));
    }
    let unsigned = log
        .unsigned_commits()
        .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
    let mut current = SignedCheckpoint {
        note: last,
        size: cp.size,
        root: cp.root,
        signed_at: now_ms(),
    };
    // Sign again the checkpoints of commits after the last one stored: the
    // same bytes as before, since Ed25519 signing is deterministic.
    let mut notes = Vec::with_capacity(unsigned.len());
    for &size in &unsigned {
        let root = merkle::tree_hash(size, store)?;
        let note = sign_checkpoint(
            &Checkpoint {
                origin: origin.to_string(),
                size,
                root,
            },
            log_sk,
        )
        .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
        notes.push(note.clone());
        current = SignedCheckpoint {
            note,
            size,
            root,
            signed_at: now_ms(),
        };
    }
    report.resigned = notes.len() as u64;
    writer
        .put_checkpoints(&notes)
        .map_err(|e| NodeError::Io(e.to_string()))?;
    let last_leaf = read_leaf(log, count - 1)?;
    let last_time = Leaf::decode(&last_leaf).map(|l| l.record_time).unwrap_or(0);
    Ok(Checked {
        origin,
        note_key,
        checkpoint: current,
        start: Start {
            frontier: frontier_of(count, store)?,
            size: count,
            last_leaf: leaf_hash(&last_leaf),
            last_time,
        },
    })
}

/// A committed leaf, which must be there.
fn read_leaf(log: &dyn LogStore, index: u64) -> Result<Vec<u8>, NodeError> {
    log.leaf(index)?
        .ok_or_else(|| NodeError::Io(format!("no journal record {index}")))
}

/// Replays leaves `from..to` (read by `read`) into `store`, checking each
/// one as a new submission is checked: it decodes, follows the previous
/// leaf in the linear chain (its hash and record time, `ChainHead`), and
/// passes every rule and signature again against the state before it.
/// Writes the index in batches of 1024.
///
/// # Errors
/// A leaf that does not replay (`Inconsistent`, naming it), or storage errors.
pub fn replay_into_index(
    store: &dyn Store,
    read: &dyn Fn(u64) -> Result<Vec<u8>, NodeError>,
    from: u64,
    to: u64,
) -> Result<(), NodeError> {
    let mut head = if from == 0 {
        ChainHead::start()
    } else {
        let before = read(from - 1)?;
        let leaf = LeafRef::parse(&before)
            .map_err(|e| NodeError::Inconsistent(format!("journal entry {}: {e}", from - 1)))?;
        ChainHead {
            leaf_hash: store.read_hash(0, from - 1)?,
            record_time: leaf.record_time,
        }
    };
    let mut i = from;
    while i < to {
        let end = (i + 1024).min(to);
        let mut overlay = Overlay::new(store)?;
        let mut batch = CommitBatch::default();
        let mut hashes = PendingHashes::new(store);
        for k in i..end {
            let bytes = read(k)?;
            let leaf = Leaf::decode(&bytes)
                .map_err(|e| NodeError::Inconsistent(format!("journal entry {k}: {e}")))?;
            let lh = leaf_hash(&bytes);
            head.follow(&leaf.prev_leaf, leaf.record_time, lh)
                .map_err(|b| {
                    let p = k.wrapping_sub(1);
                    NodeError::Inconsistent(match b {
                        ChainBreak::PrevLeaf => format!(
                            "journal entry {k}: previous-leaf hash does not match entry {p}"
                        ),
                        ChainBreak::RecordTime => {
                            format!("journal entry {k}: record time goes back before entry {p}'s")
                        }
                    })
                })?;
            let sub = Submission::decode(leaf.event.clone(), leaf.signature)
                .map_err(|r| NodeError::Inconsistent(format!("journal entry {k}: {r}")))?;
            let applied = apply(&overlay, &sub, SigMode::Verify).map_err(|r| {
                NodeError::Inconsistent(format!("journal entry {k} breaks a rule: {r}"))
            })?;
            hashes.append(k, lh, &mut batch)?;
            add_refs(&sub, &applied.changes, k, &mut batch);
            overlay.commit(&applied.changes);
        }
        batch.changes = std::mem::take(&mut overlay.pending);
        batch.size = end;
        store.commit(&batch)?;
        i = end;
    }
    Ok(())
}
