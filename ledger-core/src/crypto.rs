//! Ed25519 keys, key ids, and the domain-separated signatures of `spec/encoding.md` section 5.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use curve25519_dalek::edwards::CompressedEdwardsY;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::hash::{hex_decode, hex_encode};

/// Domain-separation prefix of event signatures (followed by one 0x00 byte).
pub const EVENT_DOMAIN: &[u8] = b"madini/event/v1";
/// Domain-separation prefix of key ids (followed by one 0x00 byte).
pub const KEY_ID_DOMAIN: &[u8] = b"madini/key-id/v1";
/// Prefix of public keys written as text.
pub const KEY_PREFIX: &str = "ed25519:";

/// An Ed25519 signature (R || S).
pub type Signature = [u8; 64];

/// A public key as written in events: 32 bytes, not yet checked to be a
/// usable point. `check_strong` and `verifying_key` do the checks.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey(pub [u8; 32]);

/// Why a key string or key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not `ed25519:` followed by base64 of 32 bytes.
    #[error("a public key is written \"ed25519:\" followed by the base64 of 32 bytes")]
    Syntax,
    /// The bytes are not the canonical encoding of a prime-order point.
    #[error("weak or invalid Ed25519 public key (not a canonical prime-order point)")]
    Weak,
}

impl PublicKey {
    /// The key id: first 16 bytes of SHA-256("madini/key-id/v1" || 0x00 || key).
    pub fn key_id(&self) -> KeyId {
        let mut h = Sha256::new();
        h.update(KEY_ID_DOMAIN);
        h.update([0u8]);
        h.update(self.0);
        let d: [u8; 32] = h.finalize().into();
        let mut id = [0u8; 16];
        id.copy_from_slice(&d[..16]);
        KeyId(id)
    }

    /// Checks the registration rule: the bytes are a canonical encoding of a
    /// point of prime order (not small order, no torsion component).
    ///
    /// # Errors
    /// `KeyError::Weak` otherwise.
    pub fn check_strong(&self) -> Result<(), KeyError> {
        let point = CompressedEdwardsY(self.0)
            .decompress()
            .ok_or(KeyError::Weak)?;
        if point.compress().0 != self.0 || point.is_small_order() || !point.is_torsion_free() {
            return Err(KeyError::Weak);
        }
        Ok(())
    }

    /// The key as an ed25519-dalek verifying key, if the bytes decode to a point.
    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        VerifyingKey::from_bytes(&self.0).ok()
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{KEY_PREFIX}{}", B64.encode(self.0))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<PublicKey, KeyError> {
        let b64 = s.strip_prefix(KEY_PREFIX).ok_or(KeyError::Syntax)?;
        let bytes = B64.decode(b64).map_err(|_| KeyError::Syntax)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Syntax)?;
        // Only one text per key: refuse base64 that does not round-trip.
        if B64.encode(arr) != b64 {
            return Err(KeyError::Syntax);
        }
        Ok(PublicKey(arr))
    }
}

impl serde::Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_bytes(&self.0)
        }
    }
}

impl<'de> serde::Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PublicKey, D::Error> {
        if d.is_human_readable() {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            let b = crate::hash::de_bytes(d)?;
            b.as_slice()
                .try_into()
                .map(PublicKey)
                .map_err(|_| serde::de::Error::custom("expected 32 bytes"))
        }
    }
}

/// A key id: 16 bytes, written as 32 lowercase hex characters.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub [u8; 16]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex_encode(&self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A key id that is not 32 lowercase hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a key id is 32 lowercase hexadecimal characters")]
pub struct KeyIdError;

impl FromStr for KeyId {
    type Err = KeyIdError;
    fn from_str(s: &str) -> Result<KeyId, KeyIdError> {
        let v = hex_decode(s).ok_or(KeyIdError)?;
        Ok(KeyId(v.try_into().map_err(|_| KeyIdError)?))
    }
}

impl serde::Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_bytes(&self.0)
        }
    }
}

impl<'de> serde::Deserialize<'de> for KeyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeyId, D::Error> {
        if d.is_human_readable() {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            let b = crate::hash::de_bytes(d)?;
            b.as_slice()
                .try_into()
                .map(KeyId)
                .map_err(|_| serde::de::Error::custom("expected 16 bytes"))
        }
    }
}

/// A private signing key. It lives only on the device that owns it; this type
/// never serialises itself.
pub struct SecretKey(SigningKey);

impl Clone for SecretKey {
    fn clone(&self) -> SecretKey {
        SecretKey(self.0.clone())
    }
}

impl SecretKey {
    /// The key whose RFC 8032 private seed is `seed`.
    pub fn from_seed(seed: &[u8; 32]) -> SecretKey {
        SecretKey(SigningKey::from_bytes(seed))
    }

    /// The 32-byte private seed, for writing a key file.
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// The key as unencrypted PKCS#8 v1 PEM (no public key inside, the form
    /// OpenSSL 3 reads; version 2 is refused by OpenSSL).
    ///
    /// # Errors
    /// Only if encoding fails.
    pub fn to_pkcs8_pem(&self) -> Result<String, String> {
        use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
        use ed25519_dalek::pkcs8::{EncodePrivateKey, KeypairBytes};
        KeypairBytes {
            secret_key: self.seed(),
            public_key: None,
        }
        .to_pkcs8_pem(LineEnding::LF)
        .map(|s| s.to_string())
        .map_err(|e| e.to_string())
    }

    /// Reads an unencrypted Ed25519 PKCS#8 PEM key (v1 or v2).
    ///
    /// # Errors
    /// Malformed PEM, another algorithm, or a v2 public key that does not
    /// match the private key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<SecretKey, String> {
        use ed25519_dalek::pkcs8::{DecodePrivateKey, KeypairBytes};
        let kp = KeypairBytes::from_pkcs8_pem(pem).map_err(|e| e.to_string())?;
        let key = SecretKey::from_seed(&kp.secret_key);
        if let Some(pk) = kp.public_key
            && pk.0 != key.public().0
        {
            return Err("the public key in the file does not match its private key".into());
        }
        Ok(key)
    }

    /// Signs an event's bytes under the event domain.
    pub fn sign_event(&self, event: &[u8]) -> Signature {
        self.0.sign(&event_message(event)).to_bytes()
    }

    /// Signs a raw message (checkpoint notes, tag claims build their own).
    pub fn sign_raw(&self, message: &[u8]) -> Signature {
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.public())
    }
}

/// The message an event signature covers: `"madini/event/v1" || 0x00 || event`.
pub fn event_message(event: &[u8]) -> Vec<u8> {
    domain_message(EVENT_DOMAIN, event)
}

/// `domain || 0x00 || body`.
pub fn domain_message(domain: &[u8], body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(domain.len() + 1 + body.len());
    m.extend_from_slice(domain);
    m.push(0);
    m.extend_from_slice(body);
    m
}

/// A signature that does not verify. Deliberately carries no detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("signature does not verify")]
pub struct BadSignature;

/// Checks a raw message signature with `verify_strict`.
///
/// # Errors
/// `BadSignature` for any failure, including a key that is not a point.
pub fn verify_raw(key: &PublicKey, message: &[u8], sig: &Signature) -> Result<(), BadSignature> {
    let vk = key.verifying_key().ok_or(BadSignature)?;
    vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(sig))
        .map_err(|_| BadSignature)
}

/// Checks an event signature (`spec/encoding.md` section 5) with `verify_strict`.
///
/// # Errors
/// `BadSignature` for any failure.
pub fn verify_event(key: &PublicKey, event: &[u8], sig: &Signature) -> Result<(), BadSignature> {
    verify_raw(key, &event_message(event), sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_round_trips_and_is_unique() {
        let k = SecretKey::from_seed(&[7; 32]).public();
        let s = k.to_string();
        assert_eq!(s.parse::<PublicKey>().unwrap(), k);
        assert!(
            s.trim_start_matches(KEY_PREFIX)
                .parse::<PublicKey>()
                .is_err()
        );
        let id = k.key_id();
        assert_eq!(id.to_string().parse::<KeyId>().unwrap(), id);
        assert!(id.to_string().to_uppercase().parse::<KeyId>().is_err());
    }

    #[test]
    fn weak_keys_are_refused() {
        // The identity point and a point of order 8 are small-order.
        let identity = PublicKey({
            let mut b = [0u8; 32];
            b[0] = 1;
            b
        });
        assert_eq!(identity.check_strong(), Err(KeyError::Weak));
        // y = 2^255 - 20 (p + 1, non-canonical encoding of y = 1).
        let mut noncanon = [0xffu8; 32];
        noncanon[0] = 0xee;
        noncanon[31] = 0x7f;
        assert_eq!(PublicKey(noncanon).check_strong(), Err(KeyError::Weak));
        // A mixed-order point: a good key plus the order-2 point (0, -1).
        let good = SecretKey::from_seed(&[1; 32]).public();
        good.check_strong().unwrap();
        let p = CompressedEdwardsY(good.0).decompress().unwrap();
        let mut t2 = [0u8; 32];
        t2[0] = 0xec;
        t2[1..31].fill(0xff);
        t2[31] = 0x7f;
        let order2 = CompressedEdwardsY(t2).decompress().unwrap();
        let mixed = PublicKey((p + order2).compress().0);
        assert_eq!(mixed.check_strong(), Err(KeyError::Weak));
    }

    #[test]
    fn pem_round_trips() {
        let sk = SecretKey::from_seed(&[9; 32]);
        let pem = sk.to_pkcs8_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(
            SecretKey::from_pkcs8_pem(&pem).unwrap().public(),
            sk.public()
        );
        assert!(
            SecretKey::from_pkcs8_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            )
            .is_err()
        );
    }

    #[test]
    fn signatures_are_domain_separated() {
        let sk = SecretKey::from_seed(&[3; 32]);
        let sig = sk.sign_event(b"{}");
        verify_event(&sk.public(), b"{}", &sig).unwrap();
        assert!(verify_raw(&sk.public(), b"{}", &sig).is_err());
        assert!(verify_event(&sk.public(), b"{ }", &sig).is_err());
    }
}
