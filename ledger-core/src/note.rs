//! Checkpoints (`spec/log.md` section 3): the C2SP tlog-checkpoint body, the
//! C2SP signed note around it, and vkey strings, with paired
//! `sign_checkpoint` / `open_checkpoint`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

use crate::crypto::{PublicKey, SecretKey, verify_raw};
use crate::hash::{Hash, hex_decode, hex_encode};

/// Ed25519 signature type byte of C2SP signed notes.
pub const ED25519_TYPE: u8 = 0x01;
/// The most signature lines a note may carry.
pub const MAX_SIGNATURES: usize = 16;
/// The largest note accepted, in bytes.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;

/// A tree head: origin, size and root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// Log origin.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// Merkle root.
    pub root: Hash,
}

impl Checkpoint {
    /// The note text: `origin\nsize\nbase64(root)\n`.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        )
    }

    /// Parses a checkpoint body (extension lines after the root are allowed and ignored).
    ///
    /// # Errors
    /// `NoteError::Malformed` naming the line.
    pub fn parse_body(text: &str) -> Result<Checkpoint, NoteError> {
        let Some(stripped) = text.strip_suffix('\n') else {
            return Err(NoteError::Malformed(
                "checkpoint text must end with a newline".into(),
            ));
        };
        let mut lines = stripped.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() {
            return Err(NoteError::Malformed("line 1: the origin is empty".into()));
        }
        let size_line = lines
            .next()
            .ok_or_else(|| NoteError::Malformed("line 2: the tree size is missing".into()))?;
        let size = parse_decimal(size_line).ok_or_else(|| {
            NoteError::Malformed(format!(
                "line 2: {size_line:?} is not a tree size (decimal, no leading zeros)"
            ))
        })?;
        let root_line = lines
            .next()
            .ok_or_else(|| NoteError::Malformed("line 3: the root hash is missing".into()))?;
        let root = Hash::from_base64(root_line).map_err(|_| {
            NoteError::Malformed("line 3: the root is not base64 of 32 bytes".into())
        })?;
        for (i, ext) in lines.enumerate() {
            if ext.is_empty() {
                return Err(NoteError::Malformed(format!(
                    "line {}: empty extension line",
                    i + 4
                )));
            }
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
        })
    }
}

pub(crate) fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// Why a note or checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// Not a well-formed note or checkpoint; says what and where.
    #[error("malformed checkpoint: {0}")]
    Malformed(String),
    /// No signature line from the trusted key.
    #[error("the checkpoint carries no signature from the trusted key {0}")]
    NotSignedByKey(String),
    /// A signature from the trusted key does not verify.
    #[error("the checkpoint's signature does not verify")]
    BadSignature,
    /// A vkey string that cannot be read.
    #[error("malformed verifier key: {0}")]
    BadVkey(&'static str),
}

/// A note verifier key: key name, key hash and Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct NoteKey {
    /// Key name (the log's origin).
    pub name: String,
    /// C2SP key hash (first 4 bytes of SHA-256(name || 0x0A || 0x01 || key)).
    pub key_hash: u32,
    /// The public key.
    pub key: PublicKey,
}

impl fmt::Debug for NoteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NoteKey({self})")
    }
}

pub(crate) fn valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

impl NoteKey {
    /// The verifier key for `name` and `key`.
    ///
    /// # Errors
    /// `BadVkey` if the name is empty or holds spaces or `+`.
    pub fn new(name: &str, key: PublicKey) -> Result<NoteKey, NoteError> {
        Ok(NoteKey {
            name: name.to_string(),
            key_hash: key_hash(name, ED25519_TYPE, &key)?,
            key,
        })
    }

    /// Parses a vkey string `name+hash+base64(0x01||key)` and checks the hash.
    ///
    /// # Errors
    /// `BadVkey`.
    pub fn from_vkey(vkey: &str) -> Result<NoteKey, NoteError> {
        let (name, key_hash, key) = parse_vkey(vkey, ED25519_TYPE)?;
        Ok(NoteKey {
            name: name.to_string(),
            key_hash,
            key,
        })
    }

    /// The vkey string.
    pub fn vkey(&self) -> String {
        format_vkey(&self.name, self.key_hash, ED25519_TYPE, &self.key)
    }
}

/// The C2SP key hash of an Ed25519 key of signature type `ty`: the first 4
/// bytes of `SHA-256(name || 0x0A || ty || key)`, big-endian.
///
/// # Errors
/// `BadVkey` if the name is empty or holds spaces or `+`.
pub(crate) fn key_hash(name: &str, ty: u8, key: &PublicKey) -> Result<u32, NoteError> {
    if !valid_key_name(name) {
        return Err(NoteError::BadVkey(
            "key names are non-empty, without spaces or +",
        ));
    }
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ty]);
    h.update(key.0);
    let d: [u8; 32] = h.finalize().into();
    Ok(u32::from_be_bytes([d[0], d[1], d[2], d[3]]))
}

/// `name+hex(key hash)+base64(ty || key)`.
pub(crate) fn format_vkey(name: &str, key_hash: u32, ty: u8, key: &PublicKey) -> String {
    let mut raw = vec![ty];
    raw.extend_from_slice(&key.0);
    format!(
        "{name}+{}+{}",
        hex_encode(&key_hash.to_be_bytes()),
        B64.encode(raw)
    )
}

/// Reads a vkey of an Ed25519 key of signature type `ty`, checking its key
/// hash: `(name, key hash, key)`.
///
/// # Errors
/// `BadVkey`.
pub(crate) fn parse_vkey(vkey: &str, ty: u8) -> Result<(&str, u32, PublicKey), NoteError> {
    // Base64 may itself contain '+': split at the first two only.
    let mut parts = vkey.splitn(3, '+');
    let (Some(name), Some(hash), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::BadVkey("a vkey is name+keyhash+key"));
    };
    let hash = hex_decode(hash)
        .filter(|h| h.len() == 4)
        .ok_or(NoteError::BadVkey("the key hash is 8 lowercase hex digits"))?;
    let raw = B64
        .decode(key)
        .map_err(|_| NoteError::BadVkey("the key is not base64"))?;
    if raw.len() != 33 || raw[0] != ty {
        return Err(NoteError::BadVkey(if ty == ED25519_TYPE {
            "the key is not an Ed25519 note key (type 0x01, 32 bytes)"
        } else {
            "the key is not an Ed25519 cosignature key (type 0x04, 32 bytes)"
        }));
    }
    let mut pk = [0u8; 32];
    pk.copy_from_slice(&raw[1..]);
    let computed = key_hash(name, ty, &PublicKey(pk))?;
    if computed.to_be_bytes() != hash.as_slice() {
        return Err(NoteError::BadVkey(
            "the key hash does not match the name and key",
        ));
    }
    Ok((name, computed, PublicKey(pk)))
}

impl fmt::Display for NoteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.vkey())
    }
}

/// Signs `cp` with the log key as a C2SP signed note under key name `cp.origin`.
///
/// # Errors
/// `BadVkey` if the origin is not a valid key name.
pub fn sign_checkpoint(cp: &Checkpoint, key: &SecretKey) -> Result<String, NoteError> {
    let nk = NoteKey::new(&cp.origin, key.public())?;
    let text = cp.body();
    let sig = key.sign_raw(text.as_bytes());
    let mut blob = nk.key_hash.to_be_bytes().to_vec();
    blob.extend_from_slice(&sig);
    Ok(format!(
        "{text}\n\u{2014} {} {}\n",
        nk.name,
        B64.encode(blob)
    ))
}

/// Verifies a signed note with `key` and parses its checkpoint. The
/// checkpoint's origin must equal the key name.
///
/// # Errors
/// `Malformed` for a note that breaks the format, `NotSignedByKey` when no
/// line is from `key`, `BadSignature` when a line from `key` fails.
pub fn open_checkpoint(note: &str, key: &NoteKey) -> Result<Checkpoint, NoteError> {
    let text = open_note(note, key)?;
    let cp = Checkpoint::parse_body(text)?;
    if cp.origin != key.name {
        return Err(NoteError::Malformed(format!(
            "origin {:?} is not the key name {:?}",
            cp.origin, key.name
        )));
    }
    Ok(cp)
}

/// One signature line of a note, as read by `split_note`: key name, key
/// hash and the signature bytes after the hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature<'a> {
    /// The key name.
    pub name: &'a str,
    /// The key hash (the first 4 bytes of the base64 blob, big-endian).
    pub key_hash: u32,
    /// The bytes after the key hash.
    pub sig: Vec<u8>,
    /// The whole line, from the em dash to the newline included.
    pub line: &'a str,
}

/// Splits a C2SP signed note into its text and signature lines, checking
/// the format only (signed-note, "Format"): no signature is verified.
///
/// # Errors
/// `Malformed`, naming what.
pub fn split_note(note: &str) -> Result<(&str, Vec<NoteSignature<'_>>), NoteError> {
    if note.len() > MAX_NOTE_BYTES {
        return Err(NoteError::Malformed(format!(
            "note is larger than {MAX_NOTE_BYTES} bytes"
        )));
    }
    if let Some(pos) = note.find(|c: char| c.is_ascii_control() && c != '\n') {
        return Err(NoteError::Malformed(format!(
            "byte {pos}: control character"
        )));
    }
    if !note.ends_with('\n') {
        return Err(NoteError::Malformed(
            "a signed note ends with a newline".into(),
        ));
    }
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| NoteError::Malformed("no blank line between text and signatures".into()))?;
    let text = &note[..=split];
    let mut out = Vec::new();
    let mut at = split + 2;
    for line in note[split + 2..].split_inclusive('\n') {
        let n = out.len() + 1;
        if n > MAX_SIGNATURES {
            return Err(NoteError::Malformed(format!(
                "more than {MAX_SIGNATURES} signatures"
            )));
        }
        let whole = &note[at..at + line.len()];
        at += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        let rest = line.strip_prefix("\u{2014} ").ok_or_else(|| {
            NoteError::Malformed(format!(
                "signature line {n} does not start with an em dash and a space"
            ))
        })?;
        let (name, b64) = rest.split_once(' ').ok_or_else(|| {
            NoteError::Malformed(format!(
                "signature line {n} has no space after the key name"
            ))
        })?;
        if !valid_key_name(name) {
            return Err(NoteError::Malformed(format!(
                "signature line {n}: invalid key name"
            )));
        }
        let blob = B64
            .decode(b64)
            .map_err(|_| NoteError::Malformed(format!("signature line {n}: not base64")))?;
        if blob.len() < 5 {
            return Err(NoteError::Malformed(format!(
                "signature line {n}: too short"
            )));
        }
        out.push(NoteSignature {
            name,
            key_hash: u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]),
            sig: blob[4..].to_vec(),
            line: whole,
        });
    }
    if out.is_empty() {
        return Err(NoteError::Malformed(
            "the note has no signature lines".into(),
        ));
    }
    Ok((text, out))
}

/// Checks the signature lines of a split note (`split_note`) against
/// `key`: lines from other keys are ignored, every line from `key` must
/// verify over `text`, and at least one must be there. Returns the lines
/// from `key`.
///
/// # Errors
/// `NotSignedByKey` when no line is from `key`, `BadSignature` when one
/// from `key` fails.
pub fn verify_note_signatures<'a, 'b>(
    text: &str,
    sigs: &'b [NoteSignature<'a>],
    key: &NoteKey,
) -> Result<Vec<&'b NoteSignature<'a>>, NoteError> {
    let mut from_key = Vec::new();
    for s in sigs {
        if s.name != key.name || s.key_hash != key.key_hash {
            continue;
        }
        let sig: [u8; 64] = s
            .sig
            .as_slice()
            .try_into()
            .map_err(|_| NoteError::BadSignature)?;
        verify_raw(&key.key, text.as_bytes(), &sig).map_err(|_| NoteError::BadSignature)?;
        from_key.push(s);
    }
    if from_key.is_empty() {
        return Err(NoteError::NotSignedByKey(key.vkey()));
    }
    Ok(from_key)
}

/// Verifies a C2SP signed note and returns its text.
///
/// # Errors
/// As `open_checkpoint`.
pub fn open_note<'a>(note: &'a str, key: &NoteKey) -> Result<&'a str, NoteError> {
    let (text, sigs) = split_note(note)?;
    verify_note_signatures(text, &sigs, key)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (SecretKey, NoteKey, Checkpoint) {
        let sk = SecretKey::from_seed(&[5; 32]);
        let nk = NoteKey::new("example.org/log", sk.public()).unwrap();
        let cp = Checkpoint {
            origin: "example.org/log".into(),
            size: 42,
            root: crate::hash::sha256(b"root"),
        };
        (sk, nk, cp)
    }

    #[test]
    fn sign_open_round_trip() {
        let (sk, nk, cp) = fixture();
        let note = sign_checkpoint(&cp, &sk).unwrap();
        assert_eq!(open_checkpoint(&note, &nk).unwrap(), cp);
        assert_eq!(NoteKey::from_vkey(&nk.vkey()).unwrap(), nk);
    }

    #[test]
    fn vkeys_with_plus_in_the_key_parse() {
        // Find a key whose base64 holds a '+', as many do.
        let nk = (0u8..=255)
            .map(|i| {
                NoteKey::new("example.org/log", SecretKey::from_seed(&[i; 32]).public()).unwrap()
            })
            .find(|k| k.vkey().matches('+').count() > 2)
            .unwrap();
        assert_eq!(NoteKey::from_vkey(&nk.vkey()).unwrap(), nk);
    }

    #[test]
    fn tampering_is_refused() {
        let (sk, nk, cp) = fixture();
        let note = sign_checkpoint(&cp, &sk).unwrap();
        let changed = note.replace("\n42\n", "\n43\n");
        assert_eq!(open_checkpoint(&changed, &nk), Err(NoteError::BadSignature));
        let truncated = &note[..note.len() - 10];
        assert!(open_checkpoint(truncated, &nk).is_err());
        let other =
            NoteKey::new("example.org/log", SecretKey::from_seed(&[6; 32]).public()).unwrap();
        assert!(matches!(
            open_checkpoint(&note, &other),
            Err(NoteError::NotSignedByKey(_))
        ));
        // A foreign extra signature line is ignored.
        let cosigned = format!("{note}\u{2014} witness.example AAAAAAAAAAAAAAAAAAAA\n");
        assert_eq!(open_checkpoint(&cosigned, &nk).unwrap(), cp);
    }

    #[test]
    fn body_parsing_is_strict() {
        assert!(Checkpoint::parse_body("o\n01\nAAAA\n").is_err());
        assert!(Checkpoint::parse_body("o\n1\n").is_err());
        assert!(Checkpoint::parse_body("\n1\nAAAA\n").is_err());
        let root = Hash::empty().to_base64();
        assert!(Checkpoint::parse_body(&format!("o\n1\n{root}\next\n")).is_ok());
        assert!(Checkpoint::parse_body(&format!("o\n1\n{root}")).is_err());
    }
}
