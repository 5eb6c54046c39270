//! The witness (`spec/log.md` section 7): C2SP tlog-cosignature/v1
//! cosignatures (`Cosigner::cosign` / `verify_cosignature`) and the
//! witness's vkey (`WitnessKey`), the C2SP tlog-witness `add-checkpoint`
//! body (`AddCheckpoint::parse` / `Display`), the witness network's log
//! list (`LogList`, `FromStr` / `Display`), and what a witness answers
//! (`Witness::check`, then `Witness::decide` against its stored state).
//! No I/O and no clock: the stored record and the time come from the
//! caller, so a log that asks witnesses runs the same code.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::crypto::{PublicKey, SecretKey, verify_raw};
use crate::hash::{Hash, sha256};
use crate::merkle::verify_consistency;
use crate::note::{
    Checkpoint, NoteError, NoteKey, NoteSignature, format_vkey, key_hash, parse_decimal,
    parse_vkey, split_note, verify_note_signatures,
};

/// Signature type byte of timestamped Ed25519 cosignatures (C2SP
/// signed-note, "Signature types").
pub const COSIGNATURE_TYPE: u8 = 0x04;
/// The most consistency-proof lines an `add-checkpoint` body may hold.
pub const MAX_PROOF_LINES: usize = 63;
/// The largest `add-checkpoint` body, in bytes.
pub const MAX_BODY_BYTES: usize = 20 * 1024;
/// The largest cosignature time, 2^63 - 1 (C2SP tlog-cosignature).
pub const MAX_TIME: u64 = (1 << 63) - 1;
/// The media type of a 409's body (C2SP tlog-witness).
pub const SIZE_MEDIA_TYPE: &str = "text/x.tlog.size";
/// The media type of every other answer.
pub const TEXT_MEDIA_TYPE: &str = "text/plain; charset=utf-8";

/// The message a `cosignature/v1` signs: the header line, the time line and
/// the checkpoint's note text (`spec/log.md` section 7, "Cosignature").
pub fn cosignature_message(text: &str, time: u64) -> String {
    format!("cosignature/v1\ntime {time}\n{text}")
}

/// The lowercase hex SHA-256 of an origin: C2SP tlog-witness's origin hash,
/// which names a witness's record of a log (`spec/log.md` section 7).
pub fn origin_hash(origin: &str) -> String {
    sha256(origin.as_bytes()).to_hex()
}

/// The key name of the witness of the log `origin`: the origin and
/// `/witness` (`spec/log.md` section 7, "The witness key").
pub fn witness_name(origin: &str) -> String {
    format!("{origin}/witness")
}

/// A witness's verifier key: key name, key hash (signature type 0x04) and
/// Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct WitnessKey {
    /// The key name.
    pub name: String,
    /// First 4 bytes of `SHA-256(name || 0x0A || 0x04 || key)`.
    pub key_hash: u32,
    /// The public key.
    pub key: PublicKey,
}

impl WitnessKey {
    /// The cosignature key `key` under `name`.
    ///
    /// # Errors
    /// `BadVkey` if the name is empty or holds spaces or `+`.
    pub fn new(name: &str, key: PublicKey) -> Result<WitnessKey, NoteError> {
        Ok(WitnessKey {
            name: name.to_string(),
            key_hash: key_hash(name, COSIGNATURE_TYPE, &key)?,
            key,
        })
    }

    /// The vkey string `name+hash+base64(0x04 || key)`.
    pub fn vkey(&self) -> String {
        format_vkey(&self.name, self.key_hash, COSIGNATURE_TYPE, &self.key)
    }
}

impl FromStr for WitnessKey {
    type Err = NoteError;

    /// Parses a vkey of type 0x04 and checks its key hash.
    fn from_str(vkey: &str) -> Result<WitnessKey, NoteError> {
        let (name, key_hash, key) = parse_vkey(vkey, COSIGNATURE_TYPE)?;
        Ok(WitnessKey {
            name: name.to_string(),
            key_hash,
            key,
        })
    }
}

impl fmt::Display for WitnessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.vkey())
    }
}

impl fmt::Debug for WitnessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WitnessKey({self})")
    }
}

/// Why a cosignature was not made or not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CosignError {
    /// A time of 0 or above 2^63 - 1 seconds.
    #[error("the time {0} is not 1 to 2^63 - 1 seconds since the epoch")]
    Time(u64),
    /// The lines are not note signature lines.
    #[error("malformed cosignature: {0}")]
    Malformed(NoteError),
    /// No line's key name and key hash are the witness key's.
    #[error("no cosignature from {0}")]
    NotFound(String),
    /// A line from the witness key does not verify (or is not 76 bytes).
    #[error("the cosignature does not verify")]
    BadSignature,
}

/// A witness's signing key with its name.
#[derive(Clone)]
pub struct Cosigner {
    key: WitnessKey,
    secret: SecretKey,
}

impl fmt::Debug for Cosigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cosigner({})", self.key)
    }
}

impl Cosigner {
    /// The cosigner `name` signing with `secret`.
    ///
    /// # Errors
    /// `BadVkey` for a name that is not a key name.
    pub fn new(name: &str, secret: SecretKey) -> Result<Cosigner, NoteError> {
        Ok(Cosigner {
            key: WitnessKey::new(name, secret.public())?,
            secret,
        })
    }

    /// The verifier key.
    pub fn key(&self) -> &WitnessKey {
        &self.key
    }

    /// The `cosignature/v1` line over the note text `text` at `time`
    /// (`spec/log.md` section 7), ending in a newline.
    ///
    /// # Errors
    /// `Time` for a time of 0 or above 2^63 - 1.
    pub fn cosign(&self, text: &str, time: u64) -> Result<String, CosignError> {
        if time == 0 || time > MAX_TIME {
            return Err(CosignError::Time(time));
        }
        let sig = self
            .secret
            .sign_raw(cosignature_message(text, time).as_bytes());
        let mut blob = Vec::with_capacity(76);
        blob.extend_from_slice(&self.key.key_hash.to_be_bytes());
        blob.extend_from_slice(&time.to_be_bytes());
        blob.extend_from_slice(&sig);
        Ok(format!("\u{2014} {} {}\n", self.key.name, B64.encode(blob)))
    }
}

/// Checks the cosignature from `key` among `lines` (note signature lines,
/// such as a witness's 200 body) over the note text `text`, and returns
/// its time. Lines from other keys are ignored; every line from `key` must
/// verify.
///
/// # Errors
/// `Malformed` for lines that are not signature lines, `NotFound` when
/// none is from `key`, `BadSignature` when one from `key` fails.
pub fn verify_cosignature(text: &str, lines: &str, key: &WitnessKey) -> Result<u64, CosignError> {
    let note = format!("{text}\n{lines}");
    let (_, sigs) = split_note(&note).map_err(CosignError::Malformed)?;
    verify_cosignature_lines(text, &sigs, key)
}

/// As `verify_cosignature`, on the signature lines of a note read by
/// `split_note` (a cosigned checkpoint).
///
/// # Errors
/// As `verify_cosignature`.
pub fn verify_cosignature_lines(
    text: &str,
    sigs: &[NoteSignature<'_>],
    key: &WitnessKey,
) -> Result<u64, CosignError> {
    let mut time = None;
    for s in sigs {
        if s.name != key.name || s.key_hash != key.key_hash {
            continue;
        }
        if s.sig.len() != 72 {
            return Err(CosignError::BadSignature);
        }
        let (t, sig) = s.sig.split_at(8);
        let t = u64::from_be_bytes(t.try_into().map_err(|_| CosignError::BadSignature)?);
        let sig: [u8; 64] = sig.try_into().map_err(|_| CosignError::BadSignature)?;
        verify_raw(&key.key, cosignature_message(text, t).as_bytes(), &sig)
            .map_err(|_| CosignError::BadSignature)?;
        time.get_or_insert(t);
    }
    time.ok_or_else(|| CosignError::NotFound(key.vkey()))
}

/// Why an `add-checkpoint` body is malformed (`spec/log.md` section 7,
/// rule 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// More than `MAX_BODY_BYTES`.
    #[error("the body is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// Not UTF-8.
    #[error("the body is not UTF-8")]
    NotUtf8,
    /// The first line is not `old <size>`.
    #[error("the first line is not `old <size>` (decimal, no leading zeros)")]
    OldLine,
    /// More than 63 proof lines.
    #[error("more than {MAX_PROOF_LINES} consistency proof lines")]
    TooManyProofLines,
    /// Proof line `n` (from 1) is not base64 of 32 bytes.
    #[error("consistency proof line {0} is not the base64 of a 32-byte hash")]
    ProofLine(usize),
    /// No empty line before the checkpoint.
    #[error("no empty line before the checkpoint")]
    NoEmptyLine,
    /// The checkpoint is not a well-formed signed note or checkpoint.
    #[error("{0}")]
    Checkpoint(NoteError),
}

/// A C2SP tlog-witness `add-checkpoint` request: the size of the last
/// checkpoint the witness cosigned, a consistency proof from it, and the
/// new checkpoint as a signed note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddCheckpoint {
    old: u64,
    proof: Vec<Hash>,
    note: String,
    checkpoint: Checkpoint,
}

impl AddCheckpoint {
    /// A request, checked as `parse` checks a body.
    ///
    /// # Errors
    /// `TooManyProofLines`, `Checkpoint`, `TooLarge`.
    pub fn new(old: u64, proof: Vec<Hash>, note: String) -> Result<AddCheckpoint, BodyError> {
        if proof.len() > MAX_PROOF_LINES {
            return Err(BodyError::TooManyProofLines);
        }
        let (text, _) = split_note(&note).map_err(BodyError::Checkpoint)?;
        let checkpoint = Checkpoint::parse_body(text).map_err(BodyError::Checkpoint)?;
        let req = AddCheckpoint {
            old,
            proof,
            note,
            checkpoint,
        };
        if req.to_string().len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        Ok(req)
    }

    /// Parses a body (`spec/log.md` section 7, rule 1): the old size line,
    /// at most 63 proof lines, an empty line, and a signed note whose text
    /// is a checkpoint. No signature is verified.
    ///
    /// # Errors
    /// A `BodyError` naming what is wrong.
    pub fn parse(body: &[u8]) -> Result<AddCheckpoint, BodyError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        let body = std::str::from_utf8(body).map_err(|_| BodyError::NotUtf8)?;
        let (first, mut rest) = body.split_once('\n').ok_or(BodyError::OldLine)?;
        let old = first
            .strip_prefix("old ")
            .and_then(parse_decimal)
            .ok_or(BodyError::OldLine)?;
        let mut proof = Vec::new();
        loop {
            let (line, after) = rest.split_once('\n').ok_or(BodyError::NoEmptyLine)?;
            rest = after;
            if line.is_empty() {
                break;
            }
            if proof.len() == MAX_PROOF_LINES {
                return Err(BodyError::TooManyProofLines);
            }
            proof.push(Hash::from_base64(line).map_err(|_| BodyError::ProofLine(proof.len() + 1))?);
        }
        AddCheckpoint::new(old, proof, rest.to_string())
    }

    /// The old size.
    pub fn old(&self) -> u64 {
        self.old
    }

    /// The consistency proof.
    pub fn proof(&self) -> &[Hash] {
        &self.proof
    }

    /// The checkpoint note, as sent.
    pub fn note(&self) -> &str {
        &self.note
    }

    /// The checkpoint the note's text holds (unverified).
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }
}

impl fmt::Display for AddCheckpoint {
    /// The body, as C2SP tlog-witness writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "old {}", self.old)?;
        for h in &self.proof {
            writeln!(f, "{}", h.to_base64())?;
        }
        write!(f, "\n{}", self.note)
    }
}

/// A log a witness follows: its origin, its checkpoint key, and the list's
/// `qpd` and `contact`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedLog {
    /// The origin its checkpoints carry.
    pub origin: String,
    /// The key its checkpoints must be signed with.
    pub key: NoteKey,
    /// Requests a day the log may make (read, not enforced).
    pub qpd: u32,
    /// Who runs it.
    pub contact: String,
}

/// The logs a witness follows, in the witness network's log list format
/// (`spec/log.md` section 7, "The log list").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogList {
    logs: Vec<ListedLog>,
    by_origin: BTreeMap<String, usize>,
}

/// What is wrong with a log list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogListErrorKind {
    /// The first line is not `logs/v0`.
    #[error("the list does not start with `logs/v0`")]
    NoHeader,
    /// A second `logs/v0`.
    #[error("a second `logs/v0`")]
    SecondHeader,
    /// A keyword the format does not have.
    #[error("unknown keyword {0:?}")]
    UnknownKeyword(String),
    /// A keyword out of the order `vkey`, `origin`, `qpd`, `contact`.
    #[error("`{found}` where `{expected}` was expected")]
    OutOfOrder {
        /// The keyword found.
        found: &'static str,
        /// What the format wants here.
        expected: &'static str,
    },
    /// A keyword without its value.
    #[error("`{0}` has no value")]
    NoValue(&'static str),
    /// A vkey that is not an Ed25519 note key, or whose hash does not match.
    #[error("{0}")]
    Vkey(NoteError),
    /// A `qpd` that is not 1 to 2^31 - 1 without leading zeros.
    #[error("qpd {0:?} is not 1 to 2^31 - 1 (decimal, no leading zeros)")]
    Qpd(String),
    /// An origin listed twice.
    #[error("origin {0:?} is listed twice")]
    DuplicateOrigin(String),
    /// The last log lacks its `qpd` or `contact`.
    #[error("the last log is incomplete: `{0}` is missing")]
    Incomplete(&'static str),
}

/// A log list refused, with the line (from 1) where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("log list line {line}: {kind}")]
pub struct LogListError {
    /// The line, from 1 (the last line for an incomplete list).
    pub line: usize,
    /// What is wrong.
    pub kind: LogListErrorKind,
}

impl LogList {
    /// The list of no log: every well-formed request is a 404.
    pub fn empty() -> LogList {
        LogList::default()
    }

    /// The log of `origin`, if listed.
    pub fn get(&self, origin: &str) -> Option<&ListedLog> {
        self.by_origin.get(origin).map(|&i| &self.logs[i])
    }

    /// Every log, in list order.
    pub fn logs(&self) -> &[ListedLog] {
        &self.logs
    }

    /// Adds a log at the end.
    ///
    /// # Errors
    /// `DuplicateOrigin`, `Qpd` (0 or 2^31 and above), `NoValue` for an
    /// empty contact or origin.
    pub fn push(&mut self, log: ListedLog) -> Result<(), LogListErrorKind> {
        if log.qpd == 0 || log.qpd > i32::MAX as u32 {
            return Err(LogListErrorKind::Qpd(log.qpd.to_string()));
        }
        if log.contact.trim().is_empty() || log.contact.contains('\n') {
            return Err(LogListErrorKind::NoValue("contact"));
        }
        if log.origin.trim().is_empty() || log.origin.contains('\n') {
            return Err(LogListErrorKind::NoValue("origin"));
        }
        if self.by_origin.contains_key(&log.origin) {
            return Err(LogListErrorKind::DuplicateOrigin(log.origin));
        }
        self.by_origin.insert(log.origin.clone(), self.logs.len());
        self.logs.push(log);
        Ok(())
    }
}

impl FromStr for LogList {
    type Err = LogListError;

    /// Parses the witness network's log list format.
    fn from_str(text: &str) -> Result<LogList, LogListError> {
        use LogListErrorKind as K;
        // What the next line must be: the keyword expected and what has
        // been read of the log under way.
        enum Next {
            Header,
            Vkey,
            OriginOrQpd(NoteKey),
            Qpd(NoteKey, String),
            Contact(NoteKey, String, u32),
        }
        let mut list = LogList::empty();
        let mut next = Next::Header;
        let mut last = 0;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            last = line_no;
            let err = |kind| LogListError {
                line: line_no,
                kind,
            };
            let (keyword, value) = match line.split_once(' ') {
                Some((k, v)) => (k, v.trim()),
                None => (line, ""),
            };
            let keyword: &'static str = match keyword {
                "logs/v0" => "logs/v0",
                "vkey" => "vkey",
                "origin" => "origin",
                "qpd" => "qpd",
                "contact" => "contact",
                other => return Err(err(K::UnknownKeyword(other.to_string()))),
            };
            if keyword != "logs/v0" && value.is_empty() {
                return Err(err(K::NoValue(keyword)));
            }
            next = match (next, keyword) {
                (Next::Header, "logs/v0") if value.is_empty() => Next::Vkey,
                (Next::Header, _) => return Err(err(K::NoHeader)),
                (_, "logs/v0") => return Err(err(K::SecondHeader)),
                (Next::Vkey, "vkey") => {
                    Next::OriginOrQpd(NoteKey::from_vkey(value).map_err(|e| err(K::Vkey(e)))?)
                }
                (Next::Vkey, found) => {
                    return Err(err(K::OutOfOrder {
                        found,
                        expected: "vkey",
                    }));
                }
                (Next::OriginOrQpd(key), "origin") => Next::Qpd(key, value.to_string()),
                (Next::OriginOrQpd(key), "qpd") => {
                    let origin = key.name.clone();
                    Next::Contact(key, origin, parse_qpd(value).map_err(err)?)
                }
                (Next::Qpd(key, origin), "qpd") => {
                    Next::Contact(key, origin, parse_qpd(value).map_err(err)?)
                }
                (Next::OriginOrQpd(_) | Next::Qpd(..), found) => {
                    return Err(err(K::OutOfOrder {
                        found,
                        expected: "qpd",
                    }));
                }
                (Next::Contact(key, origin, qpd), "contact") => {
                    list.push(ListedLog {
                        origin,
                        key,
                        qpd,
                        contact: value.to_string(),
                    })
                    .map_err(err)?;
                    Next::Vkey
                }
                (Next::Contact(..), found) => {
                    return Err(err(K::OutOfOrder {
                        found,
                        expected: "contact",
                    }));
                }
            };
        }
        let missing = match next {
            Next::Header => Some(K::NoHeader),
            Next::Vkey => None,
            Next::OriginOrQpd(_) | Next::Qpd(..) => Some(K::Incomplete("qpd")),
            Next::Contact(..) => Some(K::Incomplete("contact")),
        };
        match missing {
            Some(kind) => Err(LogListError {
                line: last.max(1),
                kind,
            }),
            None => Ok(list),
        }
    }
}

fn parse_qpd(value: &str) -> Result<u32, LogListErrorKind> {
    parse_decimal(value)
        .filter(|&q| (1..1 << 31).contains(&q))
        .map(|q| q as u32)
        .ok_or_else(|| LogListErrorKind::Qpd(value.to_string()))
}

impl fmt::Display for LogList {
    /// The list in its canonical form: the header, then each log with an
    /// `origin` line only where the origin is not the vkey's key name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "logs/v0")?;
        for log in &self.logs {
            writeln!(f, "\nvkey {}", log.key.vkey())?;
            if log.origin != log.key.name {
                writeln!(f, "origin {}", log.origin)?;
            }
            writeln!(f, "qpd {}", log.qpd)?;
            writeln!(f, "contact {}", log.contact)?;
        }
        Ok(())
    }
}

/// Why a witness does not cosign, each with its HTTP status (`spec/log.md`
/// section 7, the table's rules).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WitnessError {
    /// 400, rule 1: the body is malformed.
    #[error("{0}")]
    Malformed(BodyError),
    /// 404, rule 2: the origin is not in the log list.
    #[error("the witness does not follow a log with origin {0:?}")]
    UnknownLog(String),
    /// 403, rule 3: no valid signature from the log's key.
    #[error("the checkpoint has no valid signature from the log's key")]
    Unverified,
    /// 400, rule 4: `old` is larger than the checkpoint's size.
    #[error("old size {old} is larger than the checkpoint's size {size}")]
    OldTooLarge {
        /// The request's old size.
        old: u64,
        /// The checkpoint's size.
        size: u64,
    },
    /// 409, rule 5: `old` is not the size the witness cosigned last.
    #[error("the witness's latest cosigned checkpoint has size {0}")]
    Stale(u64),
    /// 422, rule 6: the checkpoint is not shown consistent with the one
    /// cosigned last.
    #[error("{0}")]
    Inconsistent(&'static str),
    /// 500: the stored record does not hold a checkpoint of this origin.
    #[error("the stored checkpoint cannot be read: {0}")]
    BadState(String),
    /// 500: the time given cannot be a cosignature's.
    #[error("{0}")]
    Clock(CosignError),
}

impl WitnessError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            WitnessError::Malformed(_) | WitnessError::OldTooLarge { .. } => 400,
            WitnessError::Unverified => 403,
            WitnessError::UnknownLog(_) => 404,
            WitnessError::Stale(_) => 409,
            WitnessError::Inconsistent(_) => 422,
            WitnessError::BadState(_) | WitnessError::Clock(_) => 500,
        }
    }

    /// The `Content-Type` of the answer.
    pub fn content_type(&self) -> &'static str {
        match self {
            WitnessError::Stale(_) => SIZE_MEDIA_TYPE,
            _ => TEXT_MEDIA_TYPE,
        }
    }

    /// The body: for a 409 the witness's size and a newline (C2SP); for a
    /// 500 a sentence without the details, which are the operator's;
    /// otherwise one line saying why.
    pub fn body(&self) -> String {
        match self {
            WitnessError::Stale(size) => format!("{size}\n"),
            WitnessError::BadState(_) | WitnessError::Clock(_) => {
                "the witness cannot answer now\n".to_string()
            }
            e => format!("{e}\n"),
        }
    }
}

/// A request that passed rules 1 to 4: what `Witness::decide` needs.
#[derive(Clone, Debug)]
pub struct Checked {
    request: AddCheckpoint,
    text: String,
    log_lines: String,
}

impl Checked {
    /// The request.
    pub fn request(&self) -> &AddCheckpoint {
        &self.request
    }

    /// The checkpoint's origin.
    pub fn origin(&self) -> &str {
        &self.request.checkpoint.origin
    }
}

/// A cosignature made: the line to answer, and the record to store before
/// answering (`spec/log.md` section 7, "The state").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosigned {
    /// The `cosignature/v1` line, the 200 body.
    pub line: String,
    /// The cosigned note: text, empty line, the log's verified signature
    /// lines, the cosignature.
    pub record: String,
}

/// A witness: its cosigner and the logs it follows.
#[derive(Clone, Debug)]
pub struct Witness {
    cosigner: Cosigner,
    logs: LogList,
}

impl Witness {
    /// The witness signing with `cosigner` for the logs of `logs`.
    pub fn new(cosigner: Cosigner, logs: LogList) -> Witness {
        Witness { cosigner, logs }
    }

    /// The witness's verifier key.
    pub fn key(&self) -> &WitnessKey {
        self.cosigner.key()
    }

    /// The logs it follows.
    pub fn logs(&self) -> &LogList {
        &self.logs
    }

    /// Rules 1 to 4 of `spec/log.md` section 7, which need no state: the
    /// body parses, its origin is listed, the log's key signed it, and
    /// `old` is not beyond the checkpoint.
    ///
    /// # Errors
    /// `Malformed`, `UnknownLog`, `Unverified`, `OldTooLarge`.
    pub fn check(&self, body: &[u8]) -> Result<Checked, WitnessError> {
        let request = AddCheckpoint::parse(body).map_err(WitnessError::Malformed)?;
        let cp = &request.checkpoint;
        let log = self
            .logs
            .get(&cp.origin)
            .ok_or_else(|| WitnessError::UnknownLog(cp.origin.clone()))?;
        let (text, sigs) = split_note(&request.note)
            .map_err(|e| WitnessError::Malformed(BodyError::Checkpoint(e)))?;
        let verified =
            verify_note_signatures(text, &sigs, &log.key).map_err(|_| WitnessError::Unverified)?;
        if request.old > cp.size {
            return Err(WitnessError::OldTooLarge {
                old: request.old,
                size: cp.size,
            });
        }
        let log_lines = verified.iter().map(|s| s.line).collect();
        Ok(Checked {
            text: text.to_string(),
            log_lines,
            request,
        })
    }

    /// Rules 5 to 7: against `stored`, the record of the checkpoint last
    /// cosigned for the origin (`None`: never), the request is either
    /// refused or cosigned at `now` (seconds since the epoch), or at the
    /// time of the stored cosignature if that is later, so the witness's
    /// statements never go back in time when its clock does. The caller
    /// stores `Cosigned::record` in place of `stored`, by compare-and-swap,
    /// before answering.
    ///
    /// # Errors
    /// `Stale`, `Inconsistent`; `BadState` for a record that is not a
    /// checkpoint of the origin; `Clock` for a time of 0 or above 2^63 - 1.
    pub fn decide(
        &self,
        req: &Checked,
        stored: Option<&str>,
        now: u64,
    ) -> Result<Cosigned, WitnessError> {
        let new = &req.request.checkpoint;
        let proof = &req.request.proof;
        let last = stored
            .map(|r| stored_checkpoint(r, &new.origin))
            .transpose()?;
        let last_size = last.as_ref().map_or(0, |c| c.size);
        if req.request.old != last_size {
            return Err(WitnessError::Stale(last_size));
        }
        if new.size == 0 && new.root != Hash::empty() {
            return Err(WitnessError::Inconsistent(
                "a checkpoint of size 0 must have the empty tree's root",
            ));
        }
        match &last {
            Some(last) if last.size > 0 => {
                verify_consistency(last.size, new.size, &last.root.0, &new.root.0, proof).map_err(
                    |_| {
                        WitnessError::Inconsistent(
                            "the consistency proof does not verify from the cosigned checkpoint",
                        )
                    },
                )?
            }
            _ if !proof.is_empty() => {
                return Err(WitnessError::Inconsistent(
                    "old size 0 takes an empty consistency proof",
                ));
            }
            _ => {}
        }
        let line = self
            .cosigner
            .cosign(&req.text, now.max(stored.map_or(0, |r| self.last_time(r))))
            .map_err(WitnessError::Clock)?;
        let record = format!("{}\n{}{line}", req.text, req.log_lines);
        Ok(Cosigned { line, record })
    }

    /// The time of this witness's cosignature in a stored record (0 if it
    /// holds none, as after a change of key). Read, not verified: the
    /// record is the witness's own.
    fn last_time(&self, record: &str) -> u64 {
        let key = self.key();
        split_note(record)
            .ok()
            .and_then(|(_, sigs)| {
                sigs.iter()
                    .find(|s| s.name == key.name && s.key_hash == key.key_hash)
                    .and_then(|s| s.sig.get(..8)?.try_into().ok())
                    .map(u64::from_be_bytes)
            })
            .unwrap_or(0)
    }

    /// `check` then `decide`: the whole answer to one body.
    ///
    /// # Errors
    /// As `check` and `decide`.
    pub fn add_checkpoint(
        &self,
        body: &[u8],
        stored: Option<&str>,
        now: u64,
    ) -> Result<Cosigned, WitnessError> {
        self.decide(&self.check(body)?, stored, now)
    }
}

/// The checkpoint of a stored record (a cosigned note), without checking
/// its signatures again: the record is the witness's own.
///
/// # Errors
/// `BadState` when it is not a note whose text is a checkpoint of `origin`.
pub fn stored_checkpoint(record: &str, origin: &str) -> Result<Checkpoint, WitnessError> {
    let bad = |e: NoteError| WitnessError::BadState(e.to_string());
    let (text, _) = split_note(record).map_err(bad)?;
    let cp = Checkpoint::parse_body(text).map_err(bad)?;
    if cp.origin != origin {
        return Err(WitnessError::BadState(format!(
            "it holds origin {:?}",
            cp.origin
        )));
    }
    Ok(cp)
}

/// The witness's record key of `origin`: `witness/` and the origin hash
/// (`spec/storage.md`, "Records").
pub fn record_key(origin: &str) -> String {
    format!("witness/{}", origin_hash(origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MemoryTree, prove_consistency};
    use crate::note::sign_checkpoint;

    const ORIGIN: &str = "example.org/log";

    fn tree(n: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.append(crate::hash::leaf_hash(format!("leaf {i}").as_bytes()));
        }
        t
    }

    fn fixture() -> (Witness, SecretKey) {
        let log = SecretKey::from_seed(&[7; 32]);
        let mut list = LogList::empty();
        list.push(ListedLog {
            origin: ORIGIN.into(),
            key: NoteKey::new(ORIGIN, log.public()).unwrap(),
            qpd: 24,
            contact: "ops@example.org".into(),
        })
        .unwrap();
        let w = Cosigner::new("example.net/witness", SecretKey::from_seed(&[9; 32])).unwrap();
        (Witness::new(w, list), log)
    }

    fn body(log: &SecretKey, t: &MemoryTree, old: u64, size: u64) -> String {
        let cp = Checkpoint {
            origin: ORIGIN.into(),
            size,
            root: crate::merkle::tree_hash(size, t).unwrap(),
        };
        let proof = if old == 0 {
            vec![]
        } else {
            prove_consistency(old, size, t).unwrap()
        };
        AddCheckpoint::new(old, proof, sign_checkpoint(&cp, log).unwrap())
            .unwrap()
            .to_string()
    }

    /// Every pair of sizes up to 20: cosigned with the right proof, refused
    /// with one bit of a proof hash flipped (three bits of each), and
    /// the cosignature verifies with its time.
    #[test]
    fn witnesses_every_growth_of_a_small_tree() {
        let (w, log) = fixture();
        let t = tree(20);
        for m in 1..=20 {
            let first = w
                .add_checkpoint(body(&log, &t, 0, m).as_bytes(), None, 5)
                .unwrap();
            for n in m..=20 {
                let b = body(&log, &t, m, n);
                let c = w
                    .add_checkpoint(b.as_bytes(), Some(&first.record), 1_700_000_000)
                    .unwrap();
                let req = AddCheckpoint::parse(b.as_bytes()).unwrap();
                let (text, _) = split_note(req.note()).unwrap();
                assert_eq!(
                    verify_cosignature(text, &c.line, w.key()),
                    Ok(1_700_000_000)
                );
                assert_eq!(stored_checkpoint(&c.record, ORIGIN).unwrap().size, n);
                for (i, h) in req.proof().iter().enumerate() {
                    for bit in [0, 255, (m * n) as usize % 256] {
                        let mut proof = req.proof().to_vec();
                        proof[i].0[bit / 8] ^= 1 << (bit % 8);
                        let bad = AddCheckpoint::new(m, proof, req.note().into()).unwrap();
                        assert_eq!(
                            w.add_checkpoint(bad.to_string().as_bytes(), Some(&first.record), 9)
                                .map(|_| ())
                                .map_err(|e| e.status()),
                            Err(422),
                            "{m} -> {n}, hash {i} {h:?} bit {bit}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_clock_that_goes_back_does_not_take_the_cosignature_time_back() {
        let (w, log) = fixture();
        let t = tree(9);
        let first = w
            .add_checkpoint(body(&log, &t, 0, 4).as_bytes(), None, 1000)
            .unwrap();
        let next = w
            .add_checkpoint(body(&log, &t, 4, 9).as_bytes(), Some(&first.record), 400)
            .unwrap();
        let (text, _) = split_note(&next.record).unwrap();
        assert_eq!(verify_cosignature(text, &next.line, w.key()), Ok(1000));
        let later = w
            .add_checkpoint(body(&log, &t, 9, 9).as_bytes(), Some(&next.record), 2000)
            .unwrap();
        assert_eq!(verify_cosignature(text, &later.line, w.key()), Ok(2000));
    }

    #[test]
    fn a_record_of_another_origin_or_a_bad_time_is_a_500() {
        let (w, log) = fixture();
        let t = tree(9);
        let b = body(&log, &t, 0, 4);
        let other = format!(
            "other.org/log\n4\n{}\n\n\u{2014} k AAAAAAAA\n",
            Hash::empty().to_base64()
        );
        assert!(stored_checkpoint(&other, "other.org/log").is_ok());
        for record in ["not a note", other.as_str()] {
            let e = w.add_checkpoint(b.as_bytes(), Some(record), 5).unwrap_err();
            assert!(matches!(e, WitnessError::BadState(_)), "{e:?}");
            assert_eq!(
                (e.status(), e.body()),
                (500, "the witness cannot answer now\n".into())
            );
        }
        for time in [0, MAX_TIME + 1] {
            let e = w.add_checkpoint(b.as_bytes(), None, time).unwrap_err();
            assert_eq!(e, WitnessError::Clock(CosignError::Time(time)));
        }
    }

    proptest::proptest! {
        /// Any old size and proof of at most 63 hashes: the body formats and
        /// parses back to the same request.
        #[test]
        fn bodies_round_trip(
            old in proptest::prelude::any::<u64>(),
            hashes in proptest::collection::vec(proptest::prelude::any::<[u8; 32]>(), 0..=63),
        ) {
            let (_, log) = fixture();
            let note = sign_checkpoint(
                &Checkpoint { origin: ORIGIN.into(), size: 3, root: Hash::empty() },
                &log,
            )
            .unwrap();
            let req = AddCheckpoint::new(old, hashes.into_iter().map(Hash).collect(), note).unwrap();
            let text = req.to_string();
            proptest::prop_assert_eq!(AddCheckpoint::parse(text.as_bytes()).unwrap(), req);
        }
    }

    #[test]
    fn body_round_trips_and_refuses_64_proof_lines() {
        let (_, log) = fixture();
        let t = tree(9);
        let b = body(&log, &t, 3, 9);
        assert_eq!(AddCheckpoint::parse(b.as_bytes()).unwrap().to_string(), b);
        let line = format!("{}\n", Hash::empty().to_base64());
        let cp = b.split_once("\n\n").unwrap().1;
        let make = |n: usize| format!("old 3\n{}\n{cp}", line.repeat(n));
        assert!(AddCheckpoint::parse(make(63).as_bytes()).is_ok());
        assert_eq!(
            AddCheckpoint::parse(make(64).as_bytes()),
            Err(BodyError::TooManyProofLines)
        );
        for bad in ["old 03\n\n", "old -1\n\n", "new 3\n\n", "old 3\n", "old 3"] {
            assert!(AddCheckpoint::parse(format!("{bad}{cp}").as_bytes()).is_err());
        }
    }

    #[test]
    fn vkeys_round_trip_and_types_are_not_confused() {
        let (w, log) = fixture();
        let vkey = w.key().vkey();
        assert_eq!(vkey.parse::<WitnessKey>().unwrap(), *w.key());
        assert!(NoteKey::from_vkey(&vkey).is_err());
        let log_vkey = NoteKey::new(ORIGIN, log.public()).unwrap().vkey();
        assert!(log_vkey.parse::<WitnessKey>().is_err());
    }

    #[test]
    fn log_lists_round_trip() {
        let (w, _) = fixture();
        let text = w.logs().to_string();
        assert_eq!(text.parse::<LogList>().unwrap(), *w.logs());
        assert_eq!("logs/v0\n".parse::<LogList>().unwrap(), LogList::empty());
        let e = "vkey x".parse::<LogList>().unwrap_err();
        assert_eq!(e.kind, LogListErrorKind::NoHeader);
    }
}
