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
/// Largest leaf.
pub const MAX_LEAF_BYTES: usize = 65_536;
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
        signature.copy_from_slice(&bytes[41..105]);
        Ok(Leaf {
            record_time,
            prev_leaf: Hash(prev),
            signature,
            event: bytes[LEAF_HEADER..].to_vec(),
        })
    }

    /// The RFC 6962 leaf hash of the encoded leaf.
    pub fn hash(&self) -> Hash {
        leaf_hash(&self.encode())
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
}
