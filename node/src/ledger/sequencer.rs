//! The sequencer thread: takes every job waiting, applies the events in
//! order through the rules against the indexes plus an overlay of the
//! group, builds the leaves and their Merkle hashes, signs the checkpoint
//! for the new tree, and commits the group through the store's one
//! `LogWriter` (`ARCHITECTURE.md`, "The write path"). It knows nothing of
//! the backend: only `LogStore`, `LogWriter` and their contract.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use ledger_core::bundle::{self, Ref};
use ledger_core::crypto::SecretKey;
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::leaf::Leaf;
use ledger_core::merkle::{self, HashReader, TreeError};
use ledger_core::note::{Checkpoint, sign_checkpoint};
use ledger_core::rules::{Rule, Submission, apply};
use ledger_core::state::{Change, Overlay, StateRead};
use ledger_core::types::Origin;

use super::{Item, Outcome, Shared, SignedCheckpoint, now_ms};
use crate::logstore::{CommitError, Group, Lease, LogStore, LogWriter, Resolution};
use crate::store::{CommitBatch, Store};

/// The most events one group commit takes.
pub const MAX_GROUP: usize = 4096;

/// How long before a time-limited lease runs out the sequencer renews it.
const RENEW_MARGIN: Duration = Duration::from_secs(2);

pub(super) type Reply = (Vec<Outcome>, Arc<SignedCheckpoint>);

/// Where the sequencer sends a job's outcomes: an async or a blocking waiter.
pub(super) enum ReplyTo {
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

pub(super) struct Job {
    pub(super) items: Vec<Item>,
    pub(super) reply: ReplyTo,
}

/// The stored hashes that cover a tree of `n` leaves: one complete subtree
/// per set bit of `n`. Appending a leaf reads only these (its left
/// siblings), and so does the root, so the sequencer keeps them in memory.
pub(super) type Frontier = HashMap<(u8, u64), Hash>;

pub(super) fn frontier_of(n: u64, r: &(impl HashReader + ?Sized)) -> Result<Frontier, TreeError> {
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
pub(super) struct PendingHashes<'a> {
    store: &'a dyn Store,
    frontier: Frontier,
    new: HashMap<(u8, u64), Hash>,
}

impl<'a> PendingHashes<'a> {
    pub(super) fn new(store: &'a dyn Store) -> Self {
        PendingHashes {
            store,
            frontier: Frontier::new(),
            new: HashMap::new(),
        }
    }

    fn with_frontier(store: &'a dyn Store, frontier: Frontier) -> Self {
        PendingHashes {
            store,
            frontier,
            new: HashMap::new(),
        }
    }

    pub(super) fn append(
        &mut self,
        index: u64,
        lh: Hash,
        batch: &mut CommitBatch,
    ) -> Result<(), TreeError> {
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
pub(super) fn add_refs(sub: &Submission, changes: &[Change], index: u64, batch: &mut CommitBatch) {
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

/// Where the sequencer starts: the tree the store holds, as start-up found it.
pub(super) struct Start {
    pub(super) frontier: Frontier,
    pub(super) size: u64,
    pub(super) last_leaf: Hash,
    pub(super) last_time: u64,
}

pub(super) struct Sequencer {
    frontier: Frontier,
    log: Arc<dyn LogStore>,
    writer: Box<dyn LogWriter>,
    lease: Lease,
    shared: Arc<Shared>,
    log_key: SecretKey,
    origin: Origin,
    size: u64,
    last_leaf: Hash,
    last_time: u64,
}

impl Sequencer {
    pub(super) fn new(
        log: Arc<dyn LogStore>,
        writer: Box<dyn LogWriter>,
        shared: Arc<Shared>,
        log_key: SecretKey,
        origin: Origin,
        start: Start,
    ) -> Sequencer {
        Sequencer {
            frontier: start.frontier,
            lease: writer.lease(),
            log,
            writer,
            shared,
            log_key,
            origin,
            size: start.size,
            last_leaf: start.last_leaf,
            last_time: start.last_time,
        }
    }

    pub(super) fn run(mut self, rx: Receiver<Job>) {
        loop {
            // A lease without expiry (the embedded store's) needs no timer:
            // wait for work. A time-limited one is renewed ahead of its end,
            // idle or not, until writes stop (then there is nothing to keep).
            let timed = self.lease.expires.filter(|_| !self.is_stopped());
            let first = match timed {
                None => match rx.recv() {
                    Ok(j) => j,
                    Err(_) => break,
                },
                Some(end) => {
                    let wait = end.saturating_duration_since(Instant::now() + RENEW_MARGIN);
                    match rx.recv_timeout(wait) {
                        Ok(j) => j,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            self.keep_lease();
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            self.keep_lease();
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
        if let Err(e) = self.writer.close() {
            tracing::error!(error = %e, "could not sync the checkpoints journal at shutdown; start-up will sign them again");
        }
    }

    /// Renews a time-limited lease that ends within `RENEW_MARGIN`; a lease
    /// that cannot be renewed stops writes (another node may sequence now).
    fn keep_lease(&mut self) {
        let Some(end) = self.lease.expires else {
            return;
        };
        if Instant::now() + RENEW_MARGIN < end || self.is_stopped() {
            return;
        }
        match self.writer.renew() {
            Ok(l) => self.lease = l,
            Err(e) => self.stop(format!("the write lease was lost: {e}")),
        }
    }

    fn is_stopped(&self) -> bool {
        self.shared
            .stopped
            .read()
            .map(|s| s.is_some())
            .unwrap_or(true)
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
        let log = self.log.clone();
        let store = log.indexes();
        let mut overlay = match Overlay::new(store) {
            Ok(o) => o,
            Err(e) => {
                self.stop(format!("index storage failed: {e}"));
                return self.group_commit(jobs);
            }
        };
        let mut batch = CommitBatch::default();
        let mut hashes = PendingHashes::with_frontier(store, self.frontier.clone());
        let mut leaves: Vec<Vec<u8>> = Vec::new();
        let mut outcomes: Vec<Vec<Outcome>> = Vec::with_capacity(jobs.len());
        let mut new_leaf_hashes: HashMap<u64, Hash> = HashMap::new();
        let first_index = self.size;
        let (last_leaf, last_time) = (self.last_leaf, self.last_time);
        for job in &jobs {
            let mut out = Vec::with_capacity(job.items.len());
            for item in &job.items {
                out.push(self.one(
                    store,
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
                Err(e) => Err(Failure::Stop(e.to_string())),
            };
            match result {
                Ok(frontier) => self.frontier = frontier,
                Err(failure) => {
                    let why = match failure {
                        Failure::Stop(why) => {
                            self.stop(why.clone());
                            why
                        }
                        Failure::Retry(why) => why,
                    };
                    // Nothing from this group is committed: an acceptance,
                    // or a duplicate pointing at an index this group
                    // assigned, must not be acknowledged.
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
                    self.last_leaf = last_leaf;
                    self.last_time = last_time;
                }
            }
        }
        let cp = self.checkpoint();
        for (job, out) in jobs.into_iter().zip(outcomes) {
            job.reply.send((out, cp.clone()));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn one(
        &mut self,
        store: &dyn Store,
        item: &Item,
        overlay: &mut Overlay<'_, dyn Store>,
        hashes: &mut PendingHashes<'_>,
        batch: &mut CommitBatch,
        leaves: &mut Vec<Vec<u8>>,
        new_leaf_hashes: &mut HashMap<u64, Hash>,
    ) -> Outcome {
        let sub = &item.sub;
        match overlay.event_index(&sub.hash) {
            Ok(Some(index)) => {
                let leaf_hash = match new_leaf_hashes.get(&index) {
                    Some(h) => *h,
                    None => match store.read_hash(0, index) {
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

    /// Signs the checkpoint of the new tree, commits the group with it
    /// through the writer, and publishes the checkpoint. A commit whose
    /// outcome is unknown is read back before anything is acknowledged.
    fn make_durable(
        &mut self,
        first: u64,
        leaves: &[Vec<u8>],
        overlay: Overlay<'_, dyn Store>,
        mut batch: CommitBatch,
        root: Hash,
    ) -> Result<(), Failure> {
        batch.changes = overlay.pending;
        batch.size = self.size;
        // Signed before the commit, so a database commits it in the same
        // transaction as its leaves; it is handed out only after the commit.
        let note = sign_checkpoint(
            &Checkpoint {
                origin: self.origin.to_string(),
                size: self.size,
                root,
            },
            &self.log_key,
        )
        .map_err(|e| Failure::Stop(e.to_string()))?;
        let group = Group {
            first,
            leaves,
            index: &batch,
            checkpoint: &note,
        };
        match self.writer.commit(&group) {
            Ok(()) => {}
            Err(CommitError::Unknown(why)) => match self.writer.resolve(&group) {
                Ok(Resolution::Committed) => {
                    tracing::warn!(reason = %why, "a commit's answer was lost; reading back found it committed");
                }
                // Resolved: nothing of it is stored, the writer may go on.
                Ok(Resolution::NotCommitted) => return Err(Failure::Retry(why)),
                Err(e) => return Err(Failure::Stop(format!("{why} ({e})"))),
            },
            Err(CommitError::NotCommitted(why)) => return Err(Failure::Retry(why)),
            Err(CommitError::Fenced(why)) => {
                return Err(Failure::Stop(format!(
                    "this node no longer holds the write lease: {why}"
                )));
            }
        }
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

/// Why a group was not committed.
enum Failure {
    /// Writes stop (the outcome could not be resolved, or the lease is lost).
    Stop(String),
    /// Certainly not committed; the sequencer goes on with the next group.
    Retry(String),
}
