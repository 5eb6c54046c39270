//! Sealed report text (`spec/events.md` section 6, "Sealed text"): a
//! whistle-blower's text encrypted to case handlers' registered Ed25519
//! keys, through their X25519 form, HKDF-SHA-256 and AES-256-GCM. The
//! randomness comes from the caller (this crate draws none), so sealing is
//! deterministic for the vectors.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use curve25519_dalek::montgomery::MontgomeryPoint;
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::crypto::{KeyId, PublicKey, SecretKey};

/// The one scheme (`x25519-hkdf-sha256-aes256gcm`).
pub const SCHEME: &str = "x25519-hkdf-sha256-aes256gcm";
/// Associated data of the text's encryption.
const AAD: &[u8] = b"madini/seal/v1";
/// HKDF info of a wrapping key.
const WRAP_INFO: &[u8] = b"madini/seal/v1 wrap";
/// Most recipients one text is sealed to.
pub const MAX_RECIPIENTS: usize = 32;
/// Longest sealed text, bytes of UTF-8 (as `LongText`).
pub const MAX_TEXT: usize = 4000;

/// Bytes written as standard base64 in JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({})", B64.encode(&self.0))
    }
}

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        let s = String::deserialize(d)?;
        B64.decode(s.as_bytes())
            .map(Bytes)
            .map_err(|_| serde::de::Error::custom("not standard base64"))
    }
}

/// One recipient of a sealed text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// The key id of the recipient's Ed25519 key.
    pub key: KeyId,
    /// The content key wrapped for it (48 bytes).
    pub wrapped: Bytes,
}

/// The `sealed` member of an `incident.report`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    /// [`SCHEME`].
    pub scheme: String,
    /// The sender's one-time X25519 public key.
    pub epk: Bytes,
    /// Who can open it.
    pub to: Vec<Recipient>,
    /// The text's nonce (12 bytes).
    pub nonce: Bytes,
    /// The text and its tag.
    pub ciphertext: Bytes,
}

/// Why a text cannot be sealed or opened, or a `sealed` member is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// A field breaks the format; the path and what is wrong.
    #[error("{0}: {1}")]
    Format(String, String),
    /// A recipient key is of low order (no shared secret).
    #[error("recipient key {0} cannot receive a sealed text")]
    BadRecipient(KeyId),
    /// The opening key is not among the recipients.
    #[error("this text is not sealed to key {0}")]
    NotARecipient(KeyId),
    /// The tag does not verify: the wrong key, or changed bytes.
    #[error("the sealed text does not open with this key: wrong key or altered bytes")]
    Tag,
}

fn format(path: &str, what: &str) -> SealError {
    SealError::Format(path.to_string(), what.to_string())
}

impl Sealed {
    /// Checks the format (`events.md`: scheme, lengths, recipients).
    ///
    /// # Errors
    /// `SealError::Format` naming the field.
    pub fn check(&self) -> Result<(), SealError> {
        if self.scheme != SCHEME {
            return Err(format("sealed.scheme", &format!("must be {SCHEME}")));
        }
        if self.epk.0.len() != 32 {
            return Err(format("sealed.epk", "must be 32 bytes"));
        }
        if self.nonce.0.len() != 12 {
            return Err(format("sealed.nonce", "must be 12 bytes"));
        }
        let n = self.ciphertext.0.len();
        if !(17..=MAX_TEXT + 16).contains(&n) {
            return Err(format(
                "sealed.ciphertext",
                &format!("must be 17 to {} bytes", MAX_TEXT + 16),
            ));
        }
        if self.to.is_empty() || self.to.len() > MAX_RECIPIENTS {
            return Err(format(
                "sealed.to",
                &format!("must hold 1 to {MAX_RECIPIENTS} recipients"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, r) in self.to.iter().enumerate() {
            if !seen.insert(r.key) {
                return Err(format(&format!("sealed.to[{i}].key"), "listed twice"));
            }
            if r.wrapped.0.len() != 48 {
                return Err(format(
                    &format!("sealed.to[{i}].wrapped"),
                    "must be 48 bytes",
                ));
            }
        }
        Ok(())
    }
}

/// HKDF-SHA-256 (RFC 5869), 32 bytes of output.
fn hkdf32(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut extract = <hmac::Hmac<Sha256>>::new_from_slice(salt).expect("HMAC takes any key");
    extract.update(ikm);
    let prk = extract.finalize().into_bytes();
    let mut expand = <hmac::Hmac<Sha256>>::new_from_slice(&prk).expect("HMAC takes any key");
    expand.update(info);
    expand.update(&[1]);
    expand.finalize().into_bytes().into()
}

fn gcm(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

/// The wrapping key for the one-time key `epk` and a recipient's X25519 `u`.
fn wrapping_key(shared: &MontgomeryPoint, epk: &[u8; 32], u: &MontgomeryPoint) -> [u8; 32] {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(epk);
    salt[32..].copy_from_slice(u.as_bytes());
    hkdf32(&salt, shared.as_bytes(), WRAP_INFO)
}

/// Seals `text` to `recipients` with the given one-time X25519 secret,
/// content key and nonce (which the caller draws fresh for every text).
///
/// # Errors
/// `Format` for an empty or oversized text or recipient list;
/// `BadRecipient` for a key with no shared secret.
pub fn seal_with(
    text: &str,
    recipients: &[PublicKey],
    ephemeral: [u8; 32],
    content_key: [u8; 32],
    nonce: [u8; 12],
) -> Result<Sealed, SealError> {
    if text.is_empty() || text.len() > MAX_TEXT {
        return Err(format("text", &format!("must be 1 to {MAX_TEXT} bytes")));
    }
    let epk = MontgomeryPoint::mul_base_clamped(ephemeral);
    let mut to = Vec::with_capacity(recipients.len());
    for pk in recipients {
        let u = ed25519_dalek::VerifyingKey::from_bytes(&pk.0)
            .map_err(|_| SealError::BadRecipient(pk.key_id()))?
            .to_montgomery();
        let shared = u.mul_clamped(ephemeral);
        if shared.as_bytes() == &[0u8; 32] {
            return Err(SealError::BadRecipient(pk.key_id()));
        }
        let w = wrapping_key(&shared, epk.as_bytes(), &u);
        let wrapped = gcm(&w)
            .encrypt(&Nonce::from([0u8; 12]), content_key.as_slice())
            .map_err(|_| SealError::Tag)?;
        to.push(Recipient {
            key: pk.key_id(),
            wrapped: Bytes(wrapped),
        });
    }
    let ciphertext = gcm(&content_key)
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: text.as_bytes(),
                aad: AAD,
            },
        )
        .map_err(|_| SealError::Tag)?;
    let sealed = Sealed {
        scheme: SCHEME.to_string(),
        epk: Bytes(epk.as_bytes().to_vec()),
        to,
        nonce: Bytes(nonce.to_vec()),
        ciphertext: Bytes(ciphertext),
    };
    sealed.check()?;
    Ok(sealed)
}

/// Opens a sealed text with a recipient's Ed25519 key.
///
/// # Errors
/// `Format` for a malformed member, `NotARecipient`, or `Tag` when the
/// bytes do not open (a wrong key or an alteration).
pub fn open(sealed: &Sealed, key: &SecretKey) -> Result<String, SealError> {
    sealed.check()?;
    let id = key.public().key_id();
    let r = sealed
        .to
        .iter()
        .find(|r| r.key == id)
        .ok_or(SealError::NotARecipient(id))?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&key.seed());
    let scalar = signing.to_scalar_bytes();
    let u = signing.verifying_key().to_montgomery();
    let mut epk = [0u8; 32];
    epk.copy_from_slice(&sealed.epk.0);
    let shared = MontgomeryPoint(epk).mul_clamped(scalar);
    let w = wrapping_key(&shared, &epk, &u);
    let k = gcm(&w)
        .decrypt(&Nonce::from([0u8; 12]), r.wrapped.0.as_slice())
        .map_err(|_| SealError::Tag)?;
    let k: [u8; 32] = k.try_into().map_err(|_| SealError::Tag)?;
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&sealed.nonce.0);
    let text = gcm(&k)
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &sealed.ciphertext.0,
                aad: AAD,
            },
        )
        .map_err(|_| SealError::Tag)?;
    String::from_utf8(text).map_err(|_| format("sealed.ciphertext", "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 5869 appendix A.1, first 32 bytes of its 42-byte output.
    #[test]
    fn hkdf_matches_rfc_5869_case_1() {
        let okm = hkdf32(
            &hex("000102030405060708090a0b0c"),
            &hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            &hex("f0f1f2f3f4f5f6f7f8f9"),
        );
        assert_eq!(
            okm.to_vec(),
            hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf")
        );
    }

    #[test]
    fn sealed_text_opens_for_each_recipient_and_no_one_else() {
        let a = SecretKey::from_seed(&[1; 32]);
        let b = SecretKey::from_seed(&[2; 32]);
        let c = SecretKey::from_seed(&[3; 32]);
        let s = seal_with(
            "Watoto kwenye shimo",
            &[a.public(), b.public()],
            [7; 32],
            [8; 32],
            [9; 12],
        )
        .unwrap();
        assert_eq!(open(&s, &a).unwrap(), "Watoto kwenye shimo");
        assert_eq!(open(&s, &b).unwrap(), "Watoto kwenye shimo");
        assert_eq!(
            open(&s, &c),
            Err(SealError::NotARecipient(c.public().key_id()))
        );
        // Every byte of the text, the nonce, the one-time key and a wrapped
        // key is covered by a tag.
        for field in 0..4 {
            let mut t = s.clone();
            let bytes = match field {
                0 => &mut t.ciphertext.0,
                1 => &mut t.nonce.0,
                2 => &mut t.epk.0,
                _ => &mut t.to[0].wrapped.0,
            };
            bytes[0] ^= 1;
            assert_eq!(open(&t, &a), Err(SealError::Tag), "field {field}");
        }
        // A recipient's entry given another's key id does not open.
        let mut t = s.clone();
        t.to.swap(0, 1);
        let (k0, k1) = (t.to[0].key, t.to[1].key);
        t.to[0].key = k1;
        t.to[1].key = k0;
        assert_eq!(open(&t, &a), Err(SealError::Tag));
    }
}
