//! A whole log in memory: leaves, Merkle tree and ledger state, appended the
//! way the node appends (`MemLog::submit`) or replayed the way a verifier
//! replays (`MemLog::replay`). Also the signed-event envelope that clients
//! submit.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::crypto::{SecretKey, Signature};
use crate::event::Event;
use crate::hash::{Hash, leaf_hash};
use crate::jcs::EncodeError;
use crate::leaf::{ChainBreak, ChainHead, Leaf};
use crate::merkle::{self, MemoryTree, TreeError};
use crate::note::{Checkpoint, NoteError, sign_checkpoint};
use crate::rules::{Applied, Refusal, Rule, SigMode, Submission, apply};
use crate::state::{MemState, StateRead as _};

/// A signed event as clients send it: exact event bytes and signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedEvent {
    /// Canonical event bytes.
    pub bytes: Vec<u8>,
    /// Ed25519 signature over the event message.
    pub signature: Signature,
}

/// The JSON envelope of a signed event: `{"event": base64, "sig": base64}`
/// (`spec/http.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Standard base64 of the event bytes.
    pub event: String,
    /// Standard base64 of the 64-byte signature.
    pub sig: String,
}

/// Why an envelope cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// `event` is not base64.
    #[error("field `event`: not standard base64")]
    Event,
    /// `sig` is not base64 of 64 bytes.
    #[error("field `sig`: not standard base64 of a 64-byte signature")]
    Sig,
}

impl SignedEvent {
    /// Encodes and signs `event` with `key`.
    ///
    /// # Errors
    /// Only if the event cannot be encoded.
    pub fn sign(event: &Event, key: &SecretKey) -> Result<SignedEvent, EncodeError> {
        let bytes = event.encode()?;
        let signature = key.sign_event(&bytes);
        Ok(SignedEvent { bytes, signature })
    }

    /// The event hash.
    pub fn hash(&self) -> Hash {
        crate::event::event_hash(&self.bytes)
    }

    /// The JSON envelope.
    pub fn envelope(&self) -> Envelope {
        Envelope {
            event: B64.encode(&self.bytes),
            sig: B64.encode(self.signature),
        }
    }

    /// Reads a JSON envelope.
    ///
    /// # Errors
    /// `EnvelopeError` for bad base64 or a signature of the wrong size.
    pub fn from_envelope(env: &Envelope) -> Result<SignedEvent, EnvelopeError> {
        let bytes = B64.decode(&env.event).map_err(|_| EnvelopeError::Event)?;
        let sig = B64.decode(&env.sig).map_err(|_| EnvelopeError::Sig)?;
        let signature: Signature = sig.try_into().map_err(|_| EnvelopeError::Sig)?;
        Ok(SignedEvent { bytes, signature })
    }

    /// Decodes into a submission (rule `invalid-event` on failure).
    ///
    /// # Errors
    /// As `Submission::decode`.
    pub fn submission(&self) -> Result<Submission, Refusal> {
        Submission::decode(self.bytes.clone(), self.signature)
    }
}

/// A log held in memory.
#[derive(Clone, Debug, Default)]
pub struct MemLog {
    /// The ledger state after every leaf.
    pub state: MemState,
    /// The Merkle tree.
    pub tree: MemoryTree,
    leaves: Vec<Vec<u8>>,
    last_time: u64,
}

impl MemLog {
    /// An empty log.
    pub fn new() -> MemLog {
        MemLog::default()
    }

    /// Number of entries.
    pub fn size(&self) -> u64 {
        self.leaves.len() as u64
    }

    /// The encoded leaf at `index`.
    pub fn leaf(&self, index: u64) -> Option<&[u8]> {
        self.leaves.get(index as usize).map(Vec::as_slice)
    }

    /// Every encoded leaf.
    pub fn leaves(&self) -> &[Vec<u8>] {
        &self.leaves
    }

    /// The current root.
    pub fn root(&self) -> Hash {
        self.tree.root()
    }

    /// The leaf hash of the last entry (zeros for an empty log).
    pub fn last_leaf_hash(&self) -> Hash {
        self.leaves.last().map(|l| leaf_hash(l)).unwrap_or_default()
    }

    /// Applies and appends a signed event as the node does: checks every
    /// rule, then builds the leaf with `record_time` (raised to the previous
    /// record time if the clock went back) and the previous leaf hash.
    ///
    /// # Errors
    /// The refusal; the log is unchanged.
    pub fn submit(&mut self, ev: &SignedEvent, record_time: u64) -> Result<Applied, Refusal> {
        let sub = ev.submission()?;
        let applied = apply(&self.state, &sub, SigMode::Verify)?;
        let leaf = Leaf {
            record_time: record_time.max(self.last_time),
            prev_leaf: self.last_leaf_hash(),
            signature: ev.signature,
            event: ev.bytes.clone(),
        };
        self.push(leaf.encode(), &applied, leaf.record_time);
        Ok(applied)
    }

    /// Replays an existing leaf as a verifier does: leaf format, linear chain,
    /// then every rule. With `SigMode::Known(true)` the caller verifies the
    /// signature under `Applied::pk` itself.
    ///
    /// # Errors
    /// `invalid-leaf` for a bad leaf or broken chain, else the refusal.
    pub fn replay(&mut self, leaf_bytes: &[u8], mode: SigMode) -> Result<(Applied, Leaf), Refusal> {
        let index = self.size();
        let leaf = Leaf::decode(leaf_bytes).map_err(|e| Refusal {
            rule: Rule::InvalidLeaf,
            message: format!("entry {index}: {e}"),
        })?;
        let head = ChainHead {
            leaf_hash: self.last_leaf_hash(),
            record_time: self.last_time,
        };
        head.check(&leaf.prev_leaf, leaf.record_time)
            .map_err(|b| Refusal {
                rule: Rule::InvalidLeaf,
                message: match b {
                    ChainBreak::PrevLeaf => format!(
                        "entry {index}: previous-leaf hash {} does not match entry {}'s leaf hash {}",
                        leaf.prev_leaf,
                        index.wrapping_sub(1),
                        head.leaf_hash
                    ),
                    ChainBreak::RecordTime => format!(
                        "entry {index}: record time goes back before entry {}'s",
                        index - 1
                    ),
                },
            })?;
        let sub = Submission::decode(leaf.event.clone(), leaf.signature)?;
        let applied = apply(&self.state, &sub, mode)?;
        self.push(leaf_bytes.to_vec(), &applied, leaf.record_time);
        Ok((applied, leaf))
    }

    fn push(&mut self, leaf: Vec<u8>, applied: &Applied, record_time: u64) {
        self.tree.append(leaf_hash(&leaf));
        self.leaves.push(leaf);
        self.state.commit(&applied.changes);
        self.last_time = record_time;
    }

    /// Signs the checkpoint of the current tree with the log key.
    ///
    /// # Errors
    /// If the log has no origin yet or it is not a valid key name.
    pub fn checkpoint(&self, log_key: &SecretKey) -> Result<String, NoteError> {
        let origin = self
            .state
            .origin()
            .ok()
            .flatten()
            .ok_or_else(|| NoteError::Malformed("the log has no genesis yet".into()))?;
        sign_checkpoint(
            &Checkpoint {
                origin: origin.to_string(),
                size: self.size(),
                root: self.root(),
            },
            log_key,
        )
    }

    /// Inclusion proof of `index` in the tree of `size`.
    ///
    /// # Errors
    /// `TreeError::Range` for an index or size out of range.
    pub fn prove_inclusion(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError> {
        if size > self.size() {
            return Err(TreeError::Range("tree size beyond the log"));
        }
        merkle::prove_inclusion(index, size, &self.tree)
    }

    /// Consistency proof between two sizes.
    ///
    /// # Errors
    /// `TreeError::Range` for sizes out of range.
    pub fn prove_consistency(&self, m: u64, n: u64) -> Result<Vec<Hash>, TreeError> {
        if n > self.size() {
            return Err(TreeError::Range("tree size beyond the log"));
        }
        merkle::prove_consistency(m, n, &self.tree)
    }
}
