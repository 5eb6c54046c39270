//! The signed registration claim a tag carries (`spec/tags.md` sections 2
//! and 3): its fields, the exact claim bytes, signing and verification.

use ledger_core::crypto::{KeyId, PublicKey, SecretKey, Signature, domain_message, verify_raw};
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId};

/// Domain-separation prefix of tag-claim signatures (followed by one 0x00 byte).
pub const CLAIM_DOMAIN: &[u8] = b"madini/tag-claim/v1";
/// The claim format version: the first byte of the claim bytes and the first
/// field of the claim text.
pub const CLAIM_VERSION: u8 = 1;
/// Longest tag id a claim may carry, in bytes (`spec/tags.md` section 5).
pub const MAX_TAG_LEN: usize = 20;
/// Longest lot id a claim may carry, in bytes.
pub const MAX_LOT_LEN: usize = 20;
/// Longest site id a claim may carry, in bytes.
pub const MAX_SITE_LEN: usize = 28;
/// One day in milliseconds.
const DAY_MS: u64 = 86_400_000;

/// What a cooperative states about one bag when it registers the lot: the
/// fields of its `lot.register` event that an inspector checks against the
/// bag, plus the signing key's id and the registration day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The tag id printed on the label.
    pub tag: TagId,
    /// The lot registered with this tag.
    pub lot: Id,
    /// The mine site (ICGLR id).
    pub site: SiteId,
    /// The mineral.
    pub mineral: Mineral,
    /// The registered mass.
    pub mass: Grams,
    /// The registered grade.
    pub grade: Grade,
    /// The registration day: whole days since 1970-01-01 (UTC), 0 to 65535.
    pub day: u16,
    /// The id of the cooperative key that signs the claim.
    pub key_id: KeyId,
}

/// Why a claim cannot be signed or carried by a tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
    /// An id is longer than a tag can carry.
    #[error("{field} is {len} bytes, more than the {max} a tag can carry")]
    TooLong {
        /// `tag`, `lot` or `site`.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The signing key is not the key the claim names.
    #[error("the claim names key {claim}, but the signing key is {key}")]
    WrongKey {
        /// The key id in the claim.
        claim: KeyId,
        /// The id of the key that was offered.
        key: KeyId,
    },
}

/// Why a signed claim does not verify. `BadSignature` carries no detail on
/// purpose; a wrong key is reported precisely because key ids are public.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The claim names another key than the one it was checked against.
    #[error("the claim names key {claim}, not the given key {key}")]
    WrongKey {
        /// The key id in the claim.
        claim: KeyId,
        /// The id of the given public key.
        key: KeyId,
    },
    /// The signature does not verify under the given key.
    #[error("signature does not verify")]
    BadSignature,
}

impl VerifyError {
    /// A stable identifier of the error kind, as the vectors name it:
    /// `wrong-key` or `bad-signature`.
    pub fn id(&self) -> &'static str {
        match self {
            VerifyError::WrongKey { .. } => "wrong-key",
            VerifyError::BadSignature => "bad-signature",
        }
    }
}

/// The code of a mineral in claim bytes and claim text (`spec/tags.md`
/// section 2): 1 cassiterite, 2 coltan, 3 wolframite, 4 gold.
pub fn mineral_code(m: Mineral) -> u8 {
    match m {
        Mineral::Cassiterite => 1,
        Mineral::Coltan => 2,
        Mineral::Wolframite => 3,
        Mineral::Gold => 4,
    }
}

/// The mineral with code `code`, if any.
pub fn mineral_from_code(code: u8) -> Option<Mineral> {
    Mineral::ALL.into_iter().find(|m| mineral_code(*m) == code)
}

impl Claim {
    /// The registration day of an event time (ms since the Unix epoch), or
    /// `None` after 2149-06-06, the last day a claim can carry.
    pub fn day_of(time_ms: u64) -> Option<u16> {
        u16::try_from(time_ms / DAY_MS).ok()
    }

    /// Checks that every id fits a tag.
    ///
    /// # Errors
    /// `ClaimError::TooLong` naming the first id over its limit.
    pub fn check(&self) -> Result<(), ClaimError> {
        for (field, len, max) in [
            ("tag", self.tag.len(), MAX_TAG_LEN),
            ("lot", self.lot.len(), MAX_LOT_LEN),
            ("site", self.site.len(), MAX_SITE_LEN),
        ] {
            if len > max {
                return Err(ClaimError::TooLong { field, len, max });
            }
        }
        Ok(())
    }

    /// The claim bytes of `spec/tags.md` section 2: version, key id, mineral,
    /// mass, grade, day, then the tag, lot and site ids each after a length
    /// byte. Only meaningful for a claim that passes [`Claim::check`]; an id
    /// over 255 bytes cannot occur because every ledger-core id is at most 64.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(33 + self.tag.len() + self.lot.len() + self.site.len());
        b.push(CLAIM_VERSION);
        b.extend_from_slice(&self.key_id.0);
        b.push(mineral_code(self.mineral));
        b.extend_from_slice(&self.mass.0.to_be_bytes());
        b.extend_from_slice(&self.grade.0.to_be_bytes());
        b.extend_from_slice(&self.day.to_be_bytes());
        for id in [self.tag.as_str(), self.lot.as_str(), self.site.as_str()] {
            // Ids are at most 64 bytes (ledger-core checks it), so the
            // length always fits one byte.
            b.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
            b.extend_from_slice(id.as_bytes());
        }
        b
    }

    /// The message a claim signature covers:
    /// `"madini/tag-claim/v1" || 0x00 || claim bytes`.
    pub fn message(&self) -> Vec<u8> {
        domain_message(CLAIM_DOMAIN, &self.encode())
    }

    /// Signs the claim with the key it names.
    ///
    /// # Errors
    /// `ClaimError::TooLong` if an id does not fit a tag,
    /// `ClaimError::WrongKey` if `key` is not the key named by `key_id`.
    pub fn sign(&self, key: &SecretKey) -> Result<SignedClaim, ClaimError> {
        self.check()?;
        let key_id = key.public().key_id();
        if key_id != self.key_id {
            return Err(ClaimError::WrongKey {
                claim: self.key_id,
                key: key_id,
            });
        }
        Ok(SignedClaim {
            claim: self.clone(),
            signature: key.sign_raw(&self.message()),
        })
    }

    /// Checks `signature` over this claim against `key` (`spec/tags.md`
    /// section 4): the claim must name `key`, and the signature must pass
    /// `verify_strict` over [`Claim::message`].
    ///
    /// # Errors
    /// `VerifyError::WrongKey` or the opaque `VerifyError::BadSignature`.
    pub fn verify(&self, signature: &Signature, key: &PublicKey) -> Result<(), VerifyError> {
        let key_id = key.key_id();
        if key_id != self.key_id {
            return Err(VerifyError::WrongKey {
                claim: self.key_id,
                key: key_id,
            });
        }
        verify_raw(key, &self.message(), signature).map_err(|_| VerifyError::BadSignature)
    }
}

/// A claim with its signature. Every `SignedClaim` passes [`Claim::check`],
/// so it always fits a tag; the signature is only known to be good after
/// [`SignedClaim::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedClaim {
    claim: Claim,
    signature: Signature,
}

impl SignedClaim {
    /// Pairs a claim with a signature made elsewhere (by a hardware signer,
    /// or read from a tag), without checking the signature.
    ///
    /// # Errors
    /// `ClaimError::TooLong` if an id does not fit a tag.
    pub fn from_parts(claim: Claim, signature: Signature) -> Result<SignedClaim, ClaimError> {
        claim.check()?;
        Ok(SignedClaim { claim, signature })
    }

    /// The claim.
    pub fn claim(&self) -> &Claim {
        &self.claim
    }

    /// The Ed25519 signature (R || S).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Checks the signature against `key`, as [`Claim::verify`].
    ///
    /// # Errors
    /// `VerifyError::WrongKey` or `VerifyError::BadSignature`.
    pub fn verify(&self, key: &PublicKey) -> Result<(), VerifyError> {
        self.claim.verify(&self.signature, key)
    }
}
