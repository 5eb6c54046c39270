//! Log scope (`spec/verifier.md` section 2): every leaf of a log, in order,
//! from index 0. Each leaf's previous-leaf hash and record time are
//! checked, its leaf hash is folded into a Merkle frontier whose root must
//! equal the signed checkpoint's (and, on the way, every earlier checkpoint
//! this verifier remembers), every event is replayed through the node's
//! rules, and every signature is checked with batch verification whose
//! verdicts equal `verify_strict`'s (`batch.rs`). Work is split over
//! threads: decoding and signature checks run in parallel, the replay runs
//! in log order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::analyze::{Analyzer, Seen, TagSeen};
use super::{Finding, Policy, Report, Texts, integrity, msg};
use crate::crypto::{PublicKey, Signature, event_message};
use crate::hash::{Hash, leaf_hash, node_hash};
use crate::leaf::{ChainBreak, ChainHead, Leaf};
use crate::note::Checkpoint;
use crate::pool::{Check, PoolConfig};
use crate::rules::{Refusal, SigMode, Signer, Submission, apply};
use crate::state::{MemState, StateRead};

/// The first line of a log archive (`spec/verifier.md` section 5).
pub const ARCHIVE_FORMAT: &str = "madini-log/v1";

/// The header of a log archive: a JSON line, then each leaf as a 4-byte
/// big-endian length and the leaf bytes, from index 0 in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogArchive {
    /// Always `madini-log/v1`.
    pub format: String,
    /// The log's origin.
    pub origin: String,
    /// The C2SP verifier key the checkpoint is signed with.
    pub vkey: String,
    /// The signed checkpoint the leaves must hash to.
    pub checkpoint: String,
}

impl LogArchive {
    /// The first line, with its newline.
    pub fn header_line(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses the first line (without its newline).
    ///
    /// # Errors
    /// Not the header of a `madini-log/v1` archive.
    pub fn parse_header(line: &str) -> Result<LogArchive, String> {
        let h: LogArchive = serde_json::from_str(line.trim_end_matches('\n'))
            .map_err(|e| format!("the first line is not an archive header: {e}"))?;
        if h.format != ARCHIVE_FORMAT {
            return Err(format!(
                "format is {:?}, expected {ARCHIVE_FORMAT:?}",
                h.format
            ));
        }
        Ok(h)
    }

    /// One leaf's frame: its length (4 bytes, big-endian) and the leaf.
    pub fn frame(leaf: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + leaf.len());
        out.extend_from_slice(&u32::try_from(leaf.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(leaf);
        out
    }

    /// A whole archive in memory (small logs, test vectors).
    pub fn encode(&self, leaves: &[Vec<u8>]) -> Vec<u8> {
        let mut out = self.header_line().into_bytes();
        for l in leaves {
            out.extend(LogArchive::frame(l));
        }
        out
    }

    /// Reads a whole archive from memory.
    ///
    /// # Errors
    /// A bad header, or a frame that runs past the end or is larger than a leaf can be.
    pub fn decode(bytes: &[u8]) -> Result<(LogArchive, Vec<Vec<u8>>), String> {
        let nl = bytes
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("no header line")?;
        let line = std::str::from_utf8(&bytes[..nl]).map_err(|_| "header is not UTF-8")?;
        let h = LogArchive::parse_header(line)?;
        let mut at = nl + 1;
        let mut leaves = Vec::new();
        while at < bytes.len() {
            let len_bytes: [u8; 4] = bytes
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| format!("byte {at}: truncated frame length"))?;
            let n = u32::from_be_bytes(len_bytes) as usize;
            if n > crate::leaf::MAX_LEAF_BYTES {
                return Err(format!(
                    "byte {at}: frame of {n} bytes is larger than a leaf"
                ));
            }
            let leaf = bytes
                .get(at + 4..at + 4 + n)
                .ok_or_else(|| format!("byte {at}: frame runs past the end"))?;
            leaves.push(leaf.to_vec());
            at += 4 + n;
        }
        Ok((h, leaves))
    }
}

/// Why an audit could not run at all (as opposed to findings).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// Leaves were pushed out of order.
    #[error("leaves pushed out of order: expected index {expected}, got {got}")]
    Order {
        /// Next index expected.
        expected: u64,
        /// Index given.
        got: u64,
    },
}

/// The right edge of an RFC 6962 tree: one hash per perfect subtree, so
/// the root of the leaves seen so far costs O(log n) memory.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    /// (subtree hash, height), largest first.
    stack: Vec<(Hash, u32)>,
    size: u64,
}

impl Frontier {
    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut height = 0;
        while let Some(&(top, th)) = self.stack.last() {
            if th != height {
                break;
            }
            self.stack.pop();
            h = node_hash(&top, &h);
            height += 1;
        }
        self.stack.push((h, height));
        self.size += 1;
    }

    /// Leaves so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The RFC 6962 root of the leaves so far.
    pub fn root(&self) -> Hash {
        let mut it = self.stack.iter().rev();
        let Some(&(mut acc, _)) = it.next() else {
            return Hash::empty();
        };
        for &(h, _) in it {
            acc = node_hash(&h, &acc);
        }
        acc
    }
}

struct Decoded {
    leaf_hash: Hash,
    leaf: Result<(Leaf, Submission), String>,
}

/// A whole-log verification in progress.
pub struct Auditor {
    analyzer: Analyzer,
    state: MemState,
    frontier: Frontier,
    head: ChainHead,
    expect: HashMap<u64, Hash>,
    broken: Option<Finding>,
    threads: usize,
    pool: Option<SigPool>,
    origin: String,
}

/// Signature checks off the replay thread, on the signature pool: a
/// bounded queue (so memory stays bounded and the replay waits when the
/// workers fall behind) of batches, and the indices whose signature failed.
struct SigPool {
    pool: crate::pool::SigPool,
    bad: Arc<Mutex<Vec<u64>>>,
}

impl SigPool {
    fn new(threads: usize, seed: [u8; 32]) -> SigPool {
        let config = PoolConfig {
            threads,
            max_batch: SIG_BATCH,
            gather: 0,
            gather_wait: std::time::Duration::ZERO,
            min_batch: 64,
            // One batch waiting per worker: deeper queues only hold more
            // signed messages in memory (8,192 of them a batch).
            max_queued: threads,
        };
        SigPool {
            pool: crate::pool::SigPool::start(config, seed, "audit-verify"),
            bad: Arc::default(),
        }
    }

    /// Queues one batch: (log index, key, signed message, signature).
    fn send(&self, job: Vec<(u64, PublicKey, Vec<u8>, Signature)>) {
        let (indices, checks): (Vec<u64>, Vec<Check>) =
            job.into_iter().map(|(i, k, m, s)| (i, (k, m, s))).unzip();
        let bad = self.bad.clone();
        self.pool.submit(checks, move |verdicts| {
            let failed: Vec<u64> = verdicts
                .iter()
                .zip(&indices)
                .filter(|(ok, _)| !**ok)
                .map(|(_, i)| *i)
                .collect();
            if !failed.is_empty() {
                bad.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .extend(failed);
            }
        });
    }

    /// Waits for every batch; the indices whose signature failed.
    fn finish(self) -> Vec<u64> {
        self.pool.finish();
        let mut bad = std::mem::take(&mut *self.bad.lock().unwrap_or_else(PoisonError::into_inner));
        bad.sort_unstable();
        bad
    }
}

/// Signatures per batch sent to the pool.
const SIG_BATCH: usize = 8192;

impl Auditor {
    /// A new audit under `policy`, using `threads` threads. `seed` must be
    /// 32 fresh secret random bytes (batch verification's coefficients).
    pub fn new(policy: Policy, threads: usize, seed: [u8; 32]) -> Auditor {
        Auditor {
            analyzer: Analyzer::new("", policy),
            state: MemState::new(),
            frontier: Frontier::default(),
            head: ChainHead::start(),
            expect: HashMap::new(),
            broken: None,
            threads: threads.max(1),
            pool: Some(SigPool::new(threads.max(1), seed)),
            origin: String::new(),
        }
    }

    /// The same audit without the signature checks, for a log whose every
    /// signature its holder already checked: a node's own log, whose
    /// signatures the node verified before appending each entry (and
    /// `fsck` re-checks). Every finding but `integrity` for a bad
    /// signature is computed as by [`Auditor::new`]. A verifier that does
    /// not hold the log itself must not use it.
    #[must_use]
    pub fn signatures_checked_at_ingest(mut self) -> Auditor {
        if let Some(pool) = self.pool.take() {
            pool.finish();
        }
        self
    }

    /// Tags used in other logs (rule 8 across logs).
    pub fn with_foreign_tags(mut self, tags: HashMap<String, TagSeen>) -> Auditor {
        self.analyzer = self.analyzer.with_foreign_tags(tags);
        self
    }

    /// A root this verifier saw signed earlier for a tree of `size`: the
    /// leaves must hash to it when the audit passes that size.
    pub fn expect_root(&mut self, size: u64, root: Hash) {
        self.expect.insert(size, root);
    }

    /// Entries verified so far.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// True once an integrity failure was found (further leaves are ignored).
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// Tags attached in this log.
    pub fn tags(&self) -> HashMap<String, TagSeen> {
        self.analyzer.tags().clone()
    }

    fn fail(&mut self, index: u64, message: Texts) {
        if self.broken.is_none() {
            self.broken = Some(integrity(Some(index), message));
        }
    }

    /// Verifies the next leaves, which start at log index `start`.
    ///
    /// # Errors
    /// `AuditError::Order` if `start` is not the next index.
    pub fn push(&mut self, start: u64, leaves: &[Vec<u8>]) -> Result<(), AuditError> {
        if self.broken.is_some() {
            return Ok(());
        }
        if start != self.frontier.size() {
            return Err(AuditError::Order {
                expected: self.frontier.size(),
                got: start,
            });
        }
        // With signatures to check, decoding runs on the replay thread: the
        // pool's threads are busy with signatures, which cost several times
        // more. Without, it is the heaviest part and runs on every thread.
        let threads = if self.pool.is_some() { 1 } else { self.threads };
        let decoded: Vec<Decoded> = crate::pool::par_map(leaves, threads, |bytes| Decoded {
            leaf_hash: leaf_hash(bytes),
            leaf: Leaf::decode(bytes)
                .map_err(|e| e.to_string())
                .and_then(|leaf| {
                    Submission::decode(leaf.event.clone(), leaf.signature)
                        .map(|sub| (leaf, sub))
                        .map_err(|r| r.to_string())
                }),
        });
        let mut sigs: Vec<(u64, PublicKey, usize)> = Vec::with_capacity(decoded.len());
        // An integrity failure ends the loop but not the chunk's signature
        // checks: a bad signature on an earlier entry is the first thing
        // wrong, and must be reported there, not at the entry after it.
        for (k, d) in decoded.iter().enumerate() {
            let index = start + k as u64;
            let (leaf, sub) = match &d.leaf {
                Ok(x) => x,
                Err(e) => {
                    self.fail(index, msg!("finding-integrity-leaf", index, e));
                    break;
                }
            };
            match self
                .head
                .follow(&leaf.prev_leaf, leaf.record_time, d.leaf_hash)
            {
                Ok(()) => {}
                Err(ChainBreak::PrevLeaf) => {
                    let p = index.saturating_sub(1);
                    self.fail(index, msg!("finding-integrity-chain", index, p));
                    break;
                }
                Err(ChainBreak::RecordTime) => {
                    self.fail(index, msg!("finding-integrity-record-time", index));
                    break;
                }
            }
            self.frontier.push(d.leaf_hash);
            let size = self.frontier.size();
            if let Some(want) = self.expect.get(&size)
                && *want != self.frontier.root()
            {
                self.fail(index, msg!("finding-integrity-rewritten", size));
                break;
            }
            self.state.skip_to(index);
            match apply(&self.state, sub, SigMode::Known(true)) {
                Ok(applied) => {
                    let signer = match &applied.signer {
                        Signer::Actor(a) => Some(a.clone()),
                        _ => None,
                    };
                    if index == 0 {
                        self.origin = sub.event.log.to_string();
                        self.analyzer = std::mem::replace(
                            &mut self.analyzer,
                            Analyzer::new("", Policy::default()),
                        )
                        .rename(&self.origin);
                    }
                    let seen = Seen {
                        index,
                        leaf_hash: &d.leaf_hash,
                        record_time: leaf.record_time,
                        event: &sub.event,
                        event_hash: &sub.hash,
                        signer: signer.as_ref(),
                    };
                    if let Err(e) = self.analyzer.observe(&self.state, &seen) {
                        self.fail(index, msg!("finding-integrity-error", error = &e));
                        break;
                    }
                    self.state.commit(&applied.changes);
                    sigs.push((index, applied.pk, k));
                }
                Err(r) => match self.refused(index, &d.leaf_hash, leaf, sub, &r) {
                    Some(pk) => sigs.push((index, pk, k)),
                    None => break,
                },
            }
        }
        self.state.skip_to(start + leaves.len() as u64);
        self.check_signatures(decoded, &sigs);
        Ok(())
    }

    /// A hard rule broken inside the log. A stale head is a double spend
    /// (a finding), but only against whoever signed it: its signer is
    /// resolved as `apply` resolved it before the head check, and the key
    /// it returns goes to the signature checks like any entry's, so no one
    /// can be accused with a forged or altered entry. Anything else makes
    /// the log invalid. Returns the key to check, or `None` to stop.
    fn refused(
        &mut self,
        index: u64,
        lh: &Hash,
        leaf: &Leaf,
        sub: &Submission,
        r: &Refusal,
    ) -> Option<PublicKey> {
        if r.rule == crate::rules::Rule::StaleHead {
            let (signer, pk) = match crate::rules::resolve_signer(&self.state, sub) {
                Ok(x) => x,
                Err(e) => {
                    let m = e.to_string();
                    self.fail(index, msg!("finding-integrity-signer", index, m));
                    return None;
                }
            };
            let signer = match signer {
                Signer::Actor(a) => Some(a),
                _ => None,
            };
            let seen = Seen {
                index,
                leaf_hash: lh,
                record_time: leaf.record_time,
                event: &sub.event,
                event_hash: &sub.hash,
                signer: signer.as_ref(),
            };
            self.analyzer.refused(&seen, r);
            return Some(pk);
        }
        let id = r.rule.to_string();
        let msg = &r.message;
        self.fail(index, msg!("finding-integrity-rule", index, id, msg));
        None
    }

    fn check_signatures(&mut self, decoded: Vec<Decoded>, sigs: &[(u64, PublicKey, usize)]) {
        let Some(pool) = &self.pool else {
            return;
        };
        let mut leaves: Vec<Option<Leaf>> = decoded
            .into_iter()
            .map(|d| d.leaf.ok().map(|(l, _)| l))
            .collect();
        let mut job = Vec::with_capacity(SIG_BATCH);
        for (index, key, k) in sigs {
            if let Some(leaf) = leaves[*k].take() {
                job.push((*index, *key, event_message(&leaf.event), leaf.signature));
            }
            if job.len() == SIG_BATCH {
                pool.send(std::mem::replace(&mut job, Vec::with_capacity(SIG_BATCH)));
            }
        }
        if !job.is_empty() {
            pool.send(job);
        }
    }

    fn signature_verdict(&mut self) {
        let Some(pool) = self.pool.take() else {
            return;
        };
        if let Some(&index) = pool.finish().first() {
            // A bad signature is reported even if a later entry broke
            // something else: it is the first thing wrong.
            if self
                .broken
                .as_ref()
                .is_none_or(|f| f.events.first().is_none_or(|e| e.index > index))
            {
                self.broken = None;
            }
            self.fail(index, msg!("finding-integrity-signature", index));
        }
    }

    /// Ends the audit against the signed checkpoint (whose signature the
    /// caller checked under the log key it trusts).
    pub fn finish(mut self, checkpoint: &Checkpoint) -> Report {
        self.signature_verdict();
        let policy = self.analyzer.policy().clone();
        let origin = if self.origin.is_empty() {
            checkpoint.origin.clone()
        } else {
            self.origin.clone()
        };
        let mut integrity_findings = Vec::new();
        if let Some(f) = self.broken.clone() {
            integrity_findings.push(f);
        } else if self.frontier.size() != checkpoint.size {
            let (n, m) = (self.frontier.size(), checkpoint.size);
            integrity_findings.push(integrity(Some(n), msg!("finding-integrity-size", n, m)));
        } else if self.frontier.root() != checkpoint.root {
            // Every chain link held, and each link covers the whole entry
            // before it: only the last entry can differ from what was signed.
            let n = self.frontier.size();
            let last = n.saturating_sub(1);
            integrity_findings.push(integrity(
                Some(last),
                msg!("finding-integrity-root", n, last),
            ));
        } else if origin != checkpoint.origin {
            let o = &checkpoint.origin;
            integrity_findings.push(integrity(
                Some(0),
                msg!("finding-integrity-origin", origin, o),
            ));
        } else if let Some((&size, _)) = self.expect.iter().find(|(s, _)| **s > checkpoint.size) {
            let m = checkpoint.size;
            integrity_findings.push(integrity(None, msg!("finding-integrity-shrank", size, m)));
        }
        let (mut findings, review) = match self.analyzer.finish(&self.state) {
            Ok(x) => x,
            Err(e) => (
                vec![integrity(None, msg!("finding-integrity-error", error = &e))],
                Vec::new(),
            ),
        };
        // Where the log stops verifying, what follows proves nothing: a
        // finding resting on an entry from there on (a "double spend" built
        // from a forged entry, say) would accuse someone on no evidence.
        if let Some(at) = integrity_findings
            .first()
            .and_then(|f| f.events.first())
            .map(|e| e.index)
        {
            findings.retain(|f| f.events.iter().all(|e| e.index < at));
        }
        findings.extend(integrity_findings);
        let size = self.state.size().unwrap_or(0);
        Report::new(
            "log",
            &origin,
            size,
            &checkpoint.root,
            &policy,
            findings,
            review,
            Vec::new(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::MemoryTree;

    #[test]
    fn frontier_root_matches_the_tree_at_every_size() {
        let mut f = Frontier::default();
        let mut t = MemoryTree::new();
        assert_eq!(f.root(), t.root());
        for k in 0..300u32 {
            let lh = leaf_hash(&k.to_be_bytes());
            f.push(lh);
            t.append(lh);
            assert_eq!(f.root(), t.root(), "size {}", k + 1);
        }
    }
}
