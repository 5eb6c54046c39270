//! SHA-256 hashes: the `Hash` type, its text forms, and the RFC 6962 leaf and node hashes.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

/// A SHA-256 hash. Shown as lowercase hex (`Display`, `FromStr`); Merkle
/// proofs and checkpoints carry it as base64 (`to_base64`, `from_base64`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash(pub [u8; 32]);

/// Why a hash could not be read from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashParseError {
    /// Hex text that is not exactly 64 lowercase hex digits.
    #[error("a hash is 64 lowercase hexadecimal characters")]
    BadHex,
    /// Base64 text that is not standard base64 of 32 bytes.
    #[error("a hash is the standard base64 of 32 bytes")]
    BadBase64,
}

impl Hash {
    /// The hash of the empty string: the root of the empty Merkle tree (RFC 6962, 2.1).
    pub fn empty() -> Hash {
        sha256(b"")
    }

    /// The standard base64 form (RFC 4648 section 4, padded), as in checkpoints and proofs.
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Reads the standard base64 form of exactly 32 bytes.
    ///
    /// # Errors
    /// `BadBase64` for anything else.
    pub fn from_base64(s: &str) -> Result<Hash, HashParseError> {
        let bytes = B64.decode(s).map_err(|_| HashParseError::BadBase64)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| HashParseError::BadBase64)?;
        Ok(Hash(arr))
    }

    /// Lowercase hex form (same as `Display`).
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl FromStr for Hash {
    type Err = HashParseError;
    fn from_str(s: &str) -> Result<Hash, HashParseError> {
        let v = hex_decode(s).ok_or(HashParseError::BadHex)?;
        let arr: [u8; 32] = v.try_into().map_err(|_| HashParseError::BadHex)?;
        Ok(Hash(arr))
    }
}

impl serde::Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_hex())
        } else {
            s.serialize_bytes(&self.0)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        if d.is_human_readable() {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            s.parse().map_err(|_| {
                serde::de::Error::custom("expected 64 lowercase hexadecimal characters")
            })
        } else {
            let b = de_bytes(d)?;
            b.as_slice()
                .try_into()
                .map(Hash)
                .map_err(|_| serde::de::Error::custom("expected 32 bytes"))
        }
    }
}

/// Reads a byte string from a binary serde format (bytes or a sequence of u8).
///
/// # Errors
/// The deserializer's error.
pub fn de_bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
    d.deserialize_bytes(V)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash {
    Hash(Sha256::digest(data).into())
}

/// RFC 6962 leaf hash: `SHA-256(0x00 || leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    Hash(h.finalize().into())
}

/// RFC 6962 interior node hash: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(&left.0);
    buf[33..].copy_from_slice(&right.0);
    Hash(Sha256::digest(buf).into())
}

/// Lowercase hex of `bytes`.
pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Decodes lowercase hex; `None` for odd length or any other character
/// (uppercase is refused so that every value has one text form).
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|p| Some((digit(p[0])? << 4) | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        let h = sha256(b"madini");
        assert_eq!(h.to_hex().parse::<Hash>().unwrap(), h);
        assert_eq!(Hash::from_base64(&h.to_base64()).unwrap(), h);
        assert!("ABCDEF".parse::<Hash>().is_err());
        assert!(h.to_hex().to_uppercase().parse::<Hash>().is_err());
        assert!(Hash::from_base64("AAAA").is_err());
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            Hash::empty().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
