//! Log leaves (`spec/log.md` section 1): the signed event bytes, the record time
//! and the previous leaf's hash, in one binary record.

use std::fmt;

use crate::crypto::Signature;
use crate::hash::{Hash, leaf_hash};
use crate::jcs::MAX_SAFE_INTEGER;

/// Leaf format version.
pub const LEAF_VERSION: u8 = 1;
/// Bytes before the event.
pub const LEAF_HEADER: usize = 105;
/// Largest leaf: 65 535 bytes, the most a C2SP entry bundle's 16-bit length
/// prefix can hold (`spec/log.md` sections 1 and 6), so every leaf can be
/// served as a tile entry.
pub const MAX_LEAF_BYTES: usize = u16::MAX as usize;
/// Smallest leaf (the event `{}`).
pub const MIN_LEAF_BYTES: usize = LEAF_HEADER + 2;

/// A decoded leaf. `event` holds the exact signed bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Leaf {
    /// When the node recorded it, in ms since the epoch.
    pub record_time: u64,
    /// Leaf hash of the previous entry (zeros for entry 0).
    pub prev_leaf: Hash,
    /// Signature over the event message.
    pub signature: Signature,
    /// The canonical JSON event bytes.
    pub event: Vec<u8>,
}

impl fmt::Debug for Leaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Leaf")
            .field("record_time", &self.record_time)
            .field("prev_leaf", &self.prev_leaf)
            .field("event", &String::from_utf8_lossy(&self.event))
            .finish_non_exhaustive()
    }
}

/// Why bytes are not a leaf (rule `invalid-leaf`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LeafError {
    /// Shorter than `MIN_LEAF_BYTES`.
    #[error("leaf is {0} bytes; a leaf is at least {MIN_LEAF_BYTES}")]
    TooShort(usize),
    /// Longer than `MAX_LEAF_BYTES`.
    #[error("leaf is {0} bytes; a leaf is at most {MAX_LEAF_BYTES}")]
    TooLong(usize),
    /// First byte is not 1.
    #[error("byte 0: leaf version {0} is not supported (expected 1)")]
    Version(u8),
    /// Record time above 2^53-1.
    #[error("bytes 1-8: record time {0} is above 2^53-1")]
    RecordTime(u64),
}

impl Leaf {
    /// Encodes the leaf.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LEAF_HEADER + self.event.len());
        out.push(LEAF_VERSION);
        out.extend_from_slice(&self.record_time.to_be_bytes());
        out.extend_from_slice(&self.prev_leaf.0);
        out.extend_from_slice(&self.signature);
        out.extend_from_slice(&self.event);
        out
    }

    /// Decodes a leaf. The event bytes are not checked here (`Event::decode` does).
    ///
    /// # Errors
    /// `LeafError` for a wrong size, version or record time.
    pub fn decode(bytes: &[u8]) -> Result<Leaf, LeafError> {
        let r = LeafRef::parse(bytes)?;
        Ok(Leaf {
            record_time: r.record_time,
            prev_leaf: r.prev_leaf,
            signature: r.signature,
            event: r.event.to_vec(),
        })
    }

    /// The RFC 6962 leaf hash of the encoded leaf.
    pub fn hash(&self) -> Hash {
        leaf_hash(&self.encode())
    }
}

/// A leaf read in place: the header's fields, and the event bytes borrowed
/// from the encoded leaf. The one parser of the leaf format; `Leaf::decode`
/// is this plus a copy of the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeafRef<'a> {
    /// When the node recorded it, in ms since the epoch.
    pub record_time: u64,
    /// Leaf hash of the previous entry (zeros for entry 0).
    pub prev_leaf: Hash,
    /// Signature over the event message.
    pub signature: Signature,
    /// The canonical JSON event bytes, unchecked.
    pub event: &'a [u8],
}

impl<'a> LeafRef<'a> {
    /// Reads an encoded leaf (`spec/log.md` section 1) without copying its
    /// event.
    ///
    /// # Errors
    /// `LeafError` for a wrong size, version or record time.
    pub fn parse(bytes: &'a [u8]) -> Result<LeafRef<'a>, LeafError> {
        if bytes.len() < MIN_LEAF_BYTES {
            return Err(LeafError::TooShort(bytes.len()));
        }
        if bytes.len() > MAX_LEAF_BYTES {
            return Err(LeafError::TooLong(bytes.len()));
        }
        if bytes[0] != LEAF_VERSION {
            return Err(LeafError::Version(bytes[0]));
        }
        let mut t = [0u8; 8];
        t.copy_from_slice(&bytes[1..9]);
        let record_time = u64::from_be_bytes(t);
        if record_time > MAX_SAFE_INTEGER {
            return Err(LeafError::RecordTime(record_time));
        }
        let mut prev = [0u8; 32];
        prev.copy_from_slice(&bytes[9..41]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&bytes[41..LEAF_HEADER]);
        Ok(LeafRef {
            record_time,
            prev_leaf: Hash(prev),
            signature,
            event: &bytes[LEAF_HEADER..],
        })
    }
}

/// How a leaf fails to follow the leaf before it in the linear chain
/// (`spec/log.md` section 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// Its previous-leaf hash is not the previous entry's leaf hash (or, for
    /// entry 0, not zero): an entry was dropped, reordered or duplicated.
    PrevLeaf,
    /// Its record time goes back before the previous entry's.
    RecordTime,
}

/// The end of the linear chain checked so far: the last leaf's hash and
/// record time. Every reader of a log (the node at start-up, the auditor, the
/// bundle verifier, the exports) checks the chain with this one type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainHead {
    /// Leaf hash of the last entry (zeros before entry 0).
    pub leaf_hash: Hash,
    /// Record time of the last entry (0 before entry 0).
    pub record_time: u64,
}

impl ChainHead {
    /// The head before entry 0: a zero hash and time 0, so entry 0 must name
    /// a zero previous leaf.
    pub fn start() -> ChainHead {
        ChainHead::default()
    }

    /// Checks that a leaf with this previous-leaf hash and record time may
    /// come next.
    ///
    /// # Errors
    /// The first `ChainBreak` found: the hash before the time.
    pub fn check(&self, prev_leaf: &Hash, record_time: u64) -> Result<(), ChainBreak> {
        if *prev_leaf != self.leaf_hash {
            return Err(ChainBreak::PrevLeaf);
        }
        if record_time < self.record_time {
            return Err(ChainBreak::RecordTime);
        }
        Ok(())
    }

    /// Checks the next leaf, then moves the head to it.
    ///
    /// # Errors
    /// As `check`; the head is unchanged.
    pub fn follow(
        &mut self,
        prev_leaf: &Hash,
        record_time: u64,
        leaf_hash: Hash,
    ) -> Result<(), ChainBreak> {
        self.check(prev_leaf, record_time)?;
        *self = ChainHead {
            leaf_hash,
            record_time,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let leaf = Leaf {
            record_time: 1_764_201_600_000,
            prev_leaf: Hash([9; 32]),
            signature: [7; 64],
            event: b"{\"a\":1}".to_vec(),
        };
        let bytes = leaf.encode();
        assert_eq!(Leaf::decode(&bytes).unwrap(), leaf);
        assert_eq!(Leaf::decode(&bytes[..106]), Err(LeafError::TooShort(106)));
        let mut v2 = bytes.clone();
        v2[0] = 2;
        assert_eq!(Leaf::decode(&v2), Err(LeafError::Version(2)));
        let mut big_time = bytes.clone();
        big_time[1] = 0xff;
        assert!(matches!(
            Leaf::decode(&big_time),
            Err(LeafError::RecordTime(_))
        ));
        let huge = vec![1u8; MAX_LEAF_BYTES + 1];
        assert_eq!(
            Leaf::decode(&huge),
            Err(LeafError::TooLong(MAX_LEAF_BYTES + 1))
        );
    }

    /// The largest leaf is the largest a tile entry's 16-bit length holds:
    /// 65 535 bytes decode, 65 536 (the maximum before tiles) do not.
    #[test]
    fn the_largest_leaf_fits_a_tile_entry() {
        assert_eq!(MAX_LEAF_BYTES, 65_535);
        let mut max = vec![b' '; MAX_LEAF_BYTES];
        max[0] = LEAF_VERSION;
        max[1..9].copy_from_slice(&0u64.to_be_bytes());
        let leaf = Leaf::decode(&max).unwrap();
        assert_eq!(leaf.event.len(), crate::event::MAX_EVENT_BYTES);
        assert_eq!(leaf.encode(), max);
        max.push(b' ');
        assert_eq!(Leaf::decode(&max), Err(LeafError::TooLong(65_536)));
    }

    #[test]
    fn the_chain_checks_the_hash_then_the_time() {
        let mut head = ChainHead::start();
        assert_eq!(head.check(&Hash([1; 32]), 0), Err(ChainBreak::PrevLeaf));
        head.follow(&Hash::default(), 10, Hash([1; 32])).unwrap();
        assert_eq!(head.check(&Hash::default(), 10), Err(ChainBreak::PrevLeaf));
        assert_eq!(head.check(&Hash([1; 32]), 9), Err(ChainBreak::RecordTime));
        // A broken link leaves the head where it was.
        assert_eq!(
            head.follow(&Hash([2; 32]), 5, Hash([3; 32])),
            Err(ChainBreak::PrevLeaf)
        );
        assert_eq!(head.leaf_hash, Hash([1; 32]));
        head.follow(&Hash([1; 32]), 10, Hash([2; 32])).unwrap();
        assert_eq!(head.record_time, 10);
    }

    #[test]
    fn a_leaf_read_in_place_equals_the_decoded_leaf() {
        let leaf = Leaf {
            record_time: 7,
            prev_leaf: Hash([4; 32]),
            signature: [5; 64],
            event: b"{}".to_vec(),
        };
        let bytes = leaf.encode();
        let r = LeafRef::parse(&bytes).unwrap();
        assert_eq!(r.event, b"{}");
        assert_eq!(
            (r.record_time, r.prev_leaf, r.signature),
            (7, leaf.prev_leaf, leaf.signature)
        );
    }
}
