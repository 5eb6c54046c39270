//! Log entries as the exports read them (`spec/exports.md` section 2): the
//! decoded event of one leaf with its index, leaf hash, record time and
//! signer, produced either by `EntryReader` (decoding a log the node already
//! accepted) or by `Replay` (re-checking every rule on the way).

use std::collections::HashMap;

use crate::crypto::KeyId;
use crate::event::{Body, DecodeError, Event, IncidentReport, event_hash};
use crate::hash::{Hash, leaf_hash};
use crate::leaf::{ChainBreak, ChainHead, Leaf, LeafError, LeafRef};
use crate::rules::{Refusal, Rule, SigMode, Signer, Submission, apply};
use crate::state::{MemState, StateRead as _};
use crate::types::Id;

/// One log entry, decoded: everything an export needs to point back to the
/// entry's inclusion proof and to say who did what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Log index.
    pub index: u64,
    /// RFC 6962 leaf hash of the encoded leaf (`spec/log.md` section 2).
    pub leaf_hash: Hash,
    /// When the node recorded it, ms since the epoch.
    pub record_time: u64,
    /// SHA-256 of the event bytes: what lot chains link.
    pub event_hash: Hash,
    /// The decoded event.
    pub event: Event,
    /// Who signed it.
    pub signer: Signer,
}

impl Entry {
    /// The signing actor, if an actor signed.
    pub fn actor(&self) -> Option<&Id> {
        self.signer.actor()
    }
}

/// Why `EntryReader` could not read a leaf.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The bytes are not a leaf (`spec/log.md` section 1).
    #[error("entry {index}: {source}")]
    Leaf {
        /// Log index.
        index: u64,
        /// What is wrong.
        source: LeafError,
    },
    /// Entry 0 names a previous leaf, or consecutive entries break the linear chain.
    #[error("entry {index}: previous-leaf hash does not match the leaf hash of entry {index}-1")]
    Chain {
        /// Log index.
        index: u64,
    },
    /// The record time goes back from the previous entry's.
    #[error("entry {index}: record time goes back before the previous entry's")]
    RecordTime {
        /// Log index.
        index: u64,
    },
    /// Indexes do not strictly increase.
    #[error("entry {index}: entries must come in strictly increasing index order")]
    Order {
        /// Log index.
        index: u64,
    },
    /// The event bytes do not decode (`spec/events.md` section 3, rule 1).
    #[error("entry {index}: {source}")]
    Event {
        /// Log index.
        index: u64,
        /// What is wrong.
        source: DecodeError,
    },
    /// The signing key was not registered by any entry read before.
    #[error("entry {index}: key {key} was not registered by an earlier entry")]
    UnknownKey {
        /// Log index.
        index: u64,
        /// The key id.
        key: KeyId,
    },
}

/// Who owns a key, as far as the exports care: keys never change owner.
#[derive(Clone, Debug)]
enum Owner {
    Log,
    Actor(Id),
}

/// Decodes leaves into entries without re-checking the rules: for a log
/// whose entries were all accepted by `rules::apply` already (the node's own
/// journal, or a log an auditor has verified). It checks the leaf format, the
/// linear chain between consecutive indexes and the event encoding, and it
/// learns key owners from `genesis`, `actor.register` and `key.rotate`, so
/// its memory grows with the number of keys, never with the number of events.
///
/// Entries may skip indexes (a lot bundle holds only some entries); the chain
/// is checked where two indexes are consecutive. The registrations of every
/// signer must come before the signer's events, as they do in a log and in a
/// bundle (`spec/log.md` section 4, step 4).
#[derive(Clone, Debug, Default)]
pub struct EntryReader {
    keys: HashMap<KeyId, Owner>,
    /// The last index read and the chain's head there.
    prev: Option<(u64, ChainHead)>,
}

impl EntryReader {
    /// A reader that has seen nothing yet.
    pub fn new() -> EntryReader {
        EntryReader::default()
    }

    /// Reads the encoded leaf at `index`.
    ///
    /// # Errors
    /// `EntryError` for a bad leaf, a broken chain, an out-of-order index, a
    /// bad event or a key no earlier entry registered. Nothing is learnt from
    /// a leaf that fails.
    pub fn read(&mut self, index: u64, leaf_bytes: &[u8]) -> Result<Entry, EntryError> {
        // Every type is wanted, so an entry always comes back; the `Order`
        // error below cannot happen.
        self.read_if(index, leaf_bytes, |_| true)
            .and_then(|e| e.ok_or(EntryError::Order { index }))
    }

    /// As `read`, but decodes the event only if `want` accepts its type
    /// (read from the top level of the canonical bytes without decoding
    /// them); otherwise it checks the leaf and the chain and returns `None`.
    /// The registrations that give keys (`genesis`, `actor.register`,
    /// `key.rotate`) are always decoded, for the reader to learn the keys,
    /// but returned only if wanted. Decoding is most of the cost of
    /// reading a leaf, so a report that needs a few event types reads a log
    /// much faster this way.
    ///
    /// # Errors
    /// As `read`.
    pub fn read_if(
        &mut self,
        index: u64,
        leaf_bytes: &[u8],
        want: impl Fn(&str) -> bool,
    ) -> Result<Option<Entry>, EntryError> {
        let pre = pre_read(index, leaf_bytes, &want)?;
        self.complete(pre)
    }

    /// As `read_if` over consecutive items of a source, with the decoding
    /// (the costly, stateless part) spread over `threads` threads and the
    /// chain, order and signer checks done in order after it. Returns the
    /// entries `want` accepted, in order.
    ///
    /// # Errors
    /// The first error in index order, as `read`; the reader has then learnt
    /// from the leaves before it only.
    pub fn read_batch<L: AsRef<[u8]> + Sync>(
        &mut self,
        leaves: &[(u64, L)],
        want: impl Fn(&str) -> bool + Sync,
        threads: usize,
    ) -> Result<Vec<Entry>, EntryError> {
        let parts = crate::pool::par_map(leaves, threads, |(i, l)| pre_read(*i, l.as_ref(), &want));
        let mut entries = Vec::with_capacity(leaves.len());
        for pre in parts {
            if let Some(e) = self.complete(pre?)? {
                entries.push(e);
            }
        }
        Ok(entries)
    }

    /// The stateful part of reading a leaf: order, chain, signer, keys.
    fn complete(&mut self, pre: Pre) -> Result<Option<Entry>, EntryError> {
        let index = pre.index;
        // The chain is checked where two indexes are consecutive, and at
        // entry 0 against the start.
        let head = match self.prev {
            Some((i, _)) if index <= i => return Err(EntryError::Order { index }),
            Some((i, head)) if index == i + 1 => Some(head),
            None if index == 0 => Some(ChainHead::start()),
            _ => None,
        };
        if let Some(head) = head {
            head.check(&pre.prev_leaf, pre.record_time)
                .map_err(|b| match b {
                    ChainBreak::PrevLeaf => EntryError::Chain { index },
                    ChainBreak::RecordTime => EntryError::RecordTime { index },
                })?;
        }
        let next = ChainHead {
            leaf_hash: pre.leaf_hash,
            record_time: pre.record_time,
        };
        let Some((event, event_hash)) = pre
            .event
            .map_err(|source| EntryError::Event { index, source })?
        else {
            self.prev = Some((index, next));
            return Ok(None);
        };
        let signer = match &event.body {
            Body::Genesis(_) => Signer::Log,
            Body::IncidentReport(IncidentReport {
                anonymous_key: Some(_),
                ..
            }) => Signer::Anonymous,
            _ => match self.keys.get(&event.key) {
                Some(Owner::Actor(a)) => Signer::Actor(a.clone()),
                Some(Owner::Log) => Signer::Log,
                None => {
                    return Err(EntryError::UnknownKey {
                        index,
                        key: event.key,
                    });
                }
            },
        };
        self.learn(&event.body);
        self.prev = Some((index, next));
        if !pre.wanted {
            return Ok(None);
        }
        Ok(Some(Entry {
            index,
            leaf_hash: pre.leaf_hash,
            record_time: pre.record_time,
            event_hash,
            event,
            signer,
        }))
    }

    fn learn(&mut self, body: &Body) {
        match body {
            Body::Genesis(g) => {
                self.keys.insert(g.log_key.key_id(), Owner::Log);
                for a in &g.authorities {
                    for k in &a.keys {
                        self.keys.insert(k.key_id(), Owner::Actor(a.id.clone()));
                    }
                }
            }
            Body::ActorRegister(r) => {
                for k in &r.actor.keys {
                    self.keys
                        .insert(k.key_id(), Owner::Actor(r.actor.id.clone()));
                }
            }
            Body::KeyRotate(r) => {
                self.keys
                    .insert(r.new.key_id(), Owner::Actor(r.actor.clone()));
            }
            _ => {}
        }
    }
}

/// What can be read from one leaf alone, before the reader's state is
/// consulted.
struct Pre {
    index: u64,
    record_time: u64,
    prev_leaf: Hash,
    leaf_hash: Hash,
    /// Whether the caller wants this entry (a registration of keys is
    /// decoded for the reader even when the caller does not want it).
    wanted: bool,
    /// The event and its hash, `None` when skipped.
    event: Result<Option<(Event, Hash)>, DecodeError>,
}

fn pre_read(
    index: u64,
    leaf_bytes: &[u8],
    want: &impl Fn(&str) -> bool,
) -> Result<Pre, EntryError> {
    let LeafRef {
        record_time,
        prev_leaf,
        event: bytes,
        ..
    } = LeafRef::parse(leaf_bytes).map_err(|source| EntryError::Leaf { index, source })?;
    let (wanted, skip) = match event_type(bytes) {
        None => (true, false),
        Some(t) => {
            let wanted = want(t);
            (
                wanted,
                !wanted && !matches!(t, "genesis" | "actor.register" | "key.rotate"),
            )
        }
    };
    let event = if skip {
        Ok(None)
    } else {
        Event::decode(bytes).map(|e| Some((e, event_hash(bytes))))
    };
    Ok(Pre {
        index,
        record_time,
        prev_leaf,
        leaf_hash: leaf_hash(leaf_bytes),
        wanted,
        event,
    })
}

/// The `type` member of the top-level object of JSON event bytes, found by
/// skipping every other member's value without decoding it; `None` if the
/// bytes are not such an object or have no string `type` at the top level
/// (the reader then decodes them fully and reports what is wrong).
pub fn event_type(bytes: &[u8]) -> Option<&str> {
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(bytes, i);
        let (key, after) = string_at(bytes, i)?;
        i = skip_ws(bytes, after);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(bytes, i + 1);
        if key == b"type" {
            let (v, _) = string_at(bytes, i)?;
            return std::str::from_utf8(v).ok();
        }
        i = skip_value(bytes, i)?;
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b',') => i += 1,
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The raw contents of the string starting at `i` (escapes left as they
/// are) and the index after its closing quote.
fn string_at(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *b.get(j)? {
            b'"' => return Some((&b[i + 1..j], j + 1)),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
}

/// The index after the JSON value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_at(b, i).map(|(_, j)| j),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *b.get(j)? {
                    b'"' => {
                        j = string_at(b, j)?.1;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while !matches!(b.get(j), None | Some(b',' | b'}' | b']' | b' ' | b'\n')) {
                j += 1;
            }
            Some(j)
        }
    }
}

/// Replays leaves through `rules::apply` over a `MemState`, exactly as
/// `MemLog::replay` does but without keeping the leaves or the Merkle tree:
/// for a verifier that exports while it checks. The state keeps every event
/// hash (rule `duplicate-event`), so its memory grows with the log; an export
/// of a log already verified should use `EntryReader`.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    state: MemState,
    head: ChainHead,
}

impl Replay {
    /// A replay of an empty log.
    pub fn new() -> Replay {
        Replay::default()
    }

    /// The ledger state after every entry pushed so far.
    pub fn state(&self) -> &MemState {
        &self.state
    }

    /// Checks and applies the next leaf of the log (its index is the number
    /// of leaves pushed before).
    ///
    /// # Errors
    /// `invalid-leaf` for a bad leaf or broken chain, else the refusal of
    /// `rules::apply`; the replay is unchanged.
    pub fn push(&mut self, leaf_bytes: &[u8], mode: SigMode) -> Result<Entry, Refusal> {
        // A `MemState` cannot fail to read its own size.
        let index = self.state.size().unwrap_or(0);
        let leaf = Leaf::decode(leaf_bytes).map_err(|e| Refusal {
            rule: Rule::InvalidLeaf,
            message: format!("entry {index}: {e}"),
        })?;
        self.head
            .check(&leaf.prev_leaf, leaf.record_time)
            .map_err(|b| Refusal {
                rule: Rule::InvalidLeaf,
                message: match b {
                    ChainBreak::PrevLeaf => format!(
                        "entry {index}: previous-leaf hash does not match the leaf hash of entry {index}-1"
                    ),
                    ChainBreak::RecordTime => {
                        format!("entry {index}: record time goes back before the previous entry's")
                    }
                },
            })?;
        let record_time = leaf.record_time;
        let sub = Submission::decode(leaf.event, leaf.signature)?;
        let applied = apply(&self.state, &sub, mode)?;
        self.state.commit(&applied.changes);
        self.head = ChainHead {
            leaf_hash: leaf_hash(leaf_bytes),
            record_time,
        };
        Ok(Entry {
            index,
            leaf_hash: self.head.leaf_hash,
            record_time,
            event_hash: sub.hash,
            event: sub.event,
            signer: applied.signer,
        })
    }
}
