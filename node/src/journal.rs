//! The journal: an append-only file of framed records, the node's source of
//! truth (`ARCHITECTURE.md`, "Durability"). The leaves journal holds one leaf
//! per record; the checkpoints journal one signed note per record.
//!
//! Record framing (`spec/storage.md`, all integers big-endian):
//!
//! ```text
//! u32 payload length | commit flag (bit 31) ; u32 CRC-32 ; u64 sequence ; payload
//! ```
//!
//! The checksum is CRC-32 (IEEE, as `crc32fast` computes it) over the length
//! word, the sequence number and the payload. The sequence number is the
//! record's position in the journal (0, 1, 2...; in the leaves journal, the
//! entry index), so a record copied to the wrong place does not pass. The
//! commit flag marks the last record of a group commit. A record is
//! acknowledged only after `sync`.
//!
//! Opening scans every record. A bad record at the very end (short, a
//! checksum mismatch on the last record, or a tail of zero bytes) is a torn
//! write that was never acknowledged and is cut. A bad record followed by
//! more data is corruption, and opening fails with its byte offset.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes of framing before each payload.
pub const HEADER: usize = 16;
/// The largest payload a journal accepts.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// The commit flag in the length word.
const COMMIT: u32 = 1 << 31;

/// A record's place in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordPos {
    /// Offset of the payload.
    pub offset: u64,
    /// Payload length.
    pub len: u32,
    /// Sequence number.
    pub seq: u64,
    /// Last record of a group commit.
    pub commit: bool,
}

/// Why a journal could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// An I/O error.
    #[error("journal {path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: io::Error,
    },
    /// A record in the middle of the file is damaged.
    #[error(
        "journal {path} is corrupt at byte {offset} (record {record}): {reason}; run `madini-node fsck` and restore the journal from a backup"
    )]
    Corrupt {
        /// File.
        path: PathBuf,
        /// Byte offset of the bad record.
        offset: u64,
        /// Its position in the file (0-based).
        record: u64,
        /// What is wrong.
        reason: String,
    },
}

/// What opening found at the end of the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TailReport {
    /// Bytes cut from a torn final record (0 if none).
    pub cut_bytes: u64,
    /// Offset where the file now ends.
    pub end: u64,
}

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    end: u64,
}

impl Extend<RecordPos> for Positions {
    fn extend<T: IntoIterator<Item = RecordPos>>(&mut self, iter: T) {
        for p in iter {
            self.push(p);
        }
    }
}

/// Where every record's payload lies, in 8 bytes a record: records are
/// contiguous, so a payload runs from its offset to the next record's
/// header (or to the end of the last one).
#[derive(Clone, Debug, Default)]
pub struct Positions {
    offsets: Vec<u64>,
    end: u64,
}

impl Positions {
    /// Records held.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// No records.
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// Adds the next record; `p` must start where the last one ended.
    pub fn push(&mut self, p: RecordPos) {
        debug_assert!(self.offsets.is_empty() || p.offset == self.end + HEADER as u64);
        self.offsets.push(p.offset);
        self.end = p.offset + u64::from(p.len);
    }

    /// Record `i`'s payload position (`commit` is not kept: false).
    pub fn get(&self, i: usize) -> Option<RecordPos> {
        let offset = *self.offsets.get(i)?;
        let end = self
            .offsets
            .get(i + 1)
            .map_or(self.end, |next| next - HEADER as u64);
        Some(RecordPos {
            offset,
            len: u32::try_from(end - offset).ok()?,
            seq: i as u64,
            commit: false,
        })
    }

    /// Record `i`'s payload position, or an error naming it.
    ///
    /// # Errors
    /// `i` is beyond the records held.
    pub fn at(&self, i: u64) -> Result<RecordPos, String> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.get(i))
            .ok_or_else(|| format!("no journal record {i}"))
    }

    /// Keeps the first `n` records.
    pub fn truncate(&mut self, n: usize) {
        if n < self.offsets.len() {
            self.end = self.offsets[n] - HEADER as u64;
            self.offsets.truncate(n);
        }
    }
}

fn checksum(word: u32, seq: u64, payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&word.to_be_bytes());
    h.update(&seq.to_be_bytes());
    h.update(payload);
    h.finalize()
}

/// Frames one record.
pub fn frame(seq: u64, payload: &[u8], commit: bool) -> Vec<u8> {
    let word = payload.len() as u32 | if commit { COMMIT } else { 0 };
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&word.to_be_bytes());
    out.extend_from_slice(&checksum(word, seq, payload).to_be_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

impl Journal {
    /// Opens (creating if needed) and scans the journal. Calls `each` for every
    /// good record in order. A torn tail is cut and synced.
    ///
    /// # Errors
    /// I/O errors, or `Corrupt` for damage before the tail.
    pub fn open(
        path: &Path,
        each: impl FnMut(RecordPos, &[u8]) -> Result<(), JournalError>,
    ) -> Result<(Journal, TailReport), JournalError> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Journal::scan_file(path, file, true, each)
    }

    /// Scans a journal without changing it (a torn tail is reported, not cut).
    ///
    /// # Errors
    /// As `open`.
    pub fn scan(
        path: &Path,
        each: impl FnMut(RecordPos, &[u8]) -> Result<(), JournalError>,
    ) -> Result<TailReport, JournalError> {
        let file = File::open(path).map_err(|source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Journal::scan_file(path, file, false, each).map(|(_, t)| t)
    }

    fn scan_file(
        path: &Path,
        mut file: File,
        repair: bool,
        mut each: impl FnMut(RecordPos, &[u8]) -> Result<(), JournalError>,
    ) -> Result<(Journal, TailReport), JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let len = file.metadata().map_err(io_err)?.len();
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        let mut reader = io::BufReader::with_capacity(1 << 20, &file);
        let mut pos = 0u64;
        let mut record = 0u64;
        let mut cut = None;
        let mut buf = Vec::new();
        while pos < len {
            let result = read_record_numbered(&mut reader, pos, len, record, &mut buf);
            match result {
                Ok(p) => {
                    each(p, &buf)?;
                    pos = p.offset + u64::from(p.len);
                    record += 1;
                }
                Err(reason) => {
                    let mut rest = Vec::new();
                    file.read_exact_at_end(pos, &mut rest).map_err(io_err)?;
                    if is_torn_tail(&rest, record) {
                        cut = Some(pos);
                        break;
                    }
                    return Err(JournalError::Corrupt {
                        path: path.to_path_buf(),
                        offset: pos,
                        record,
                        reason,
                    });
                }
            }
        }
        let mut report = TailReport {
            cut_bytes: 0,
            end: pos,
        };
        if let Some(at) = cut {
            report.cut_bytes = len - at;
            if repair {
                file.set_len(at).map_err(io_err)?;
                file.sync_all().map_err(io_err)?;
            }
        }
        Ok((
            Journal {
                path: path.to_path_buf(),
                file,
                end: pos,
            },
            report,
        ))
    }

    /// Appends framed records (not yet durable), the last one with the
    /// commit flag. Returns their positions.
    ///
    /// # Errors
    /// I/O errors; the file may then hold a partial write, which a later
    /// open cuts as a torn tail.
    pub fn append(&mut self, records: &[(u64, &[u8])]) -> Result<Vec<RecordPos>, JournalError> {
        let mut buf = Vec::new();
        let mut out = Vec::with_capacity(records.len());
        for (k, (seq, payload)) in records.iter().enumerate() {
            let commit = k + 1 == records.len();
            let offset = self.end + buf.len() as u64 + HEADER as u64;
            buf.extend_from_slice(&frame(*seq, payload, commit));
            out.push(RecordPos {
                offset,
                len: payload.len() as u32,
                seq: *seq,
                commit,
            });
        }
        self.file
            .write_all(&buf)
            .map_err(|source| JournalError::Io {
                path: self.path.clone(),
                source,
            })?;
        self.end += buf.len() as u64;
        Ok(out)
    }

    /// Makes everything appended so far durable (`fdatasync`).
    ///
    /// # Errors
    /// The sync failed: nothing since the last good sync may be acknowledged.
    pub fn sync(&self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(|source| JournalError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Cuts the file at byte `at` (dropping the records from there on) and
    /// syncs the change.
    ///
    /// # Errors
    /// I/O errors.
    pub fn cut(&mut self, at: u64) -> Result<(), JournalError> {
        let io_err = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.set_len(at).map_err(io_err)?;
        self.file.sync_all().map_err(io_err)?;
        self.end = at;
        Ok(())
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.end
    }

    /// Whether the journal is empty.
    pub fn is_empty(&self) -> bool {
        self.end == 0
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads the record at `pos` into `buf` and checks it.
fn read_record(
    r: &mut impl Read,
    pos: u64,
    file_len: u64,
    buf: &mut Vec<u8>,
) -> Result<RecordPos, String> {
    let left = file_len - pos;
    if left < HEADER as u64 {
        return Err(format!(
            "only {left} bytes left, a record header is {HEADER}"
        ));
    }
    let mut h = [0u8; HEADER];
    r.read_exact(&mut h).map_err(|e| e.to_string())?;
    let word = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
    let len = (word & !COMMIT) as usize;
    let crc = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    let mut s = [0u8; 8];
    s.copy_from_slice(&h[8..16]);
    let seq = u64::from_be_bytes(s);
    if len == 0 || len > MAX_PAYLOAD {
        return Err(format!("record length {len} is out of range"));
    }
    if left < (HEADER + len) as u64 {
        return Err(format!("record of {len} bytes is cut short"));
    }
    buf.resize(len, 0);
    r.read_exact(buf).map_err(|e| e.to_string())?;
    if checksum(word, seq, buf) != crc {
        return Err("checksum mismatch".to_string());
    }
    Ok(RecordPos {
        offset: pos + HEADER as u64,
        len: len as u32,
        seq,
        commit: word & COMMIT != 0,
    })
}

/// As `read_record`, and the record must carry sequence number `seq`.
fn read_record_numbered(
    r: &mut impl Read,
    pos: u64,
    file_len: u64,
    seq: u64,
    buf: &mut Vec<u8>,
) -> Result<RecordPos, String> {
    let p = read_record(r, pos, file_len, buf)?;
    if p.seq == seq {
        Ok(p)
    } else {
        Err(format!(
            "sequence number {} where {seq} was expected",
            p.seq
        ))
    }
}

/// A bad record `record`, whose bytes to the end of the file are `rest`, is
/// a torn tail (a write that never completed, so was never acknowledged)
/// unless a good later record can be found after it: then the damage is in
/// the middle of the journal. Later records carry sequence numbers just
/// above `record`, so a search for one is reliable even when the bad
/// record's own length field is damaged.
fn is_torn_tail(rest: &[u8], record: u64) -> bool {
    (1..rest.len().saturating_sub(HEADER)).all(|q| !is_good_record_at(&rest[q..], record))
}

fn is_good_record_at(b: &[u8], after: u64) -> bool {
    if b.len() < HEADER {
        return false;
    }
    let word = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let len = (word & !COMMIT) as usize;
    let mut s = [0u8; 8];
    s.copy_from_slice(&b[8..16]);
    let seq = u64::from_be_bytes(s);
    if len == 0
        || len > MAX_PAYLOAD
        || b.len() < HEADER + len
        || seq <= after
        || seq > after + 100_000
    {
        return false;
    }
    let crc = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    checksum(word, seq, &b[HEADER..HEADER + len]) == crc
}

trait ReadAtEnd {
    fn read_exact_at_end(&self, pos: u64, out: &mut Vec<u8>) -> io::Result<()>;
}

impl ReadAtEnd for File {
    /// Reads from `pos` to the end of the file.
    fn read_exact_at_end(&self, pos: u64, out: &mut Vec<u8>) -> io::Result<()> {
        let len = self.metadata()?.len();
        out.resize(len.saturating_sub(pos) as usize, 0);
        self.read_exact_at(out, pos)
    }
}

/// Read access to a journal file from any thread (positional reads).
#[derive(Debug)]
pub struct JournalReader {
    file: File,
    path: PathBuf,
}

impl JournalReader {
    /// Opens the file for reading.
    ///
    /// # Errors
    /// I/O errors.
    pub fn open(path: &Path) -> Result<JournalReader, JournalError> {
        Ok(JournalReader {
            file: File::open(path).map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?,
            path: path.to_path_buf(),
        })
    }

    /// Reads the payload at `pos`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn read(&self, pos: RecordPos) -> Result<Vec<u8>, JournalError> {
        let mut buf = vec![0u8; pos.len as usize];
        self.file
            .read_exact_at(&mut buf, pos.offset)
            .map_err(|source| JournalError::Io {
                path: self.path.clone(),
                source,
            })?;
        Ok(buf)
    }
}

impl JournalReader {
    /// Reads records in order from the one whose payload is at `first`,
    /// through one buffered stream of its own rather than a read a record,
    /// each checked as at start-up (length, checksum, sequence number).
    ///
    /// # Errors
    /// I/O errors opening the file.
    pub fn stream(&self, first: RecordPos) -> Result<Stream, JournalError> {
        let io_err = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        // A file of its own: a clone of `self.file` would share its offset.
        let mut file = File::open(&self.path).map_err(io_err)?;
        let len = file.metadata().map_err(io_err)?.len();
        let pos = first.offset.saturating_sub(HEADER as u64);
        file.seek(SeekFrom::Start(pos)).map_err(io_err)?;
        Ok(Stream {
            reader: io::BufReader::with_capacity(1 << 20, file),
            path: self.path.clone(),
            pos,
            len,
            seq: first.seq,
        })
    }
}

/// Records read in order (`JournalReader::stream`).
#[derive(Debug)]
pub struct Stream {
    reader: io::BufReader<File>,
    path: PathBuf,
    pos: u64,
    len: u64,
    seq: u64,
}

impl Stream {
    /// The next record's payload.
    ///
    /// # Errors
    /// A record that does not check, or I/O, as `Corrupt` at its offset.
    pub fn next_payload(&mut self) -> Result<Vec<u8>, JournalError> {
        let mut buf = Vec::new();
        let seq = self.seq;
        let p = read_record_numbered(&mut self.reader, self.pos, self.len, seq, &mut buf);
        let p = p.map_err(|reason| JournalError::Corrupt {
            path: self.path.clone(),
            offset: self.pos,
            record: seq,
            reason,
        })?;
        self.pos = p.offset + u64::from(p.len);
        self.seq += 1;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Records = Vec<(u64, Vec<u8>)>;

    #[test]
    fn positions_give_back_every_payload_in_8_bytes_a_record() {
        let path = std::env::temp_dir().join(format!("madini-positions-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let payloads: Vec<Vec<u8>> = (1..40usize).map(|n| vec![n as u8; n * 7]).collect();
        {
            let (mut j, _) = Journal::open(&path, |_, _| Ok(())).unwrap();
            for (k, chunk) in payloads.chunks(5).enumerate() {
                let recs: Vec<(u64, &[u8])> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((k * 5 + i) as u64, p.as_slice()))
                    .collect();
                j.append(&recs).unwrap();
            }
        }
        let mut ps = Positions::default();
        Journal::open(&path, |p, _| {
            ps.push(p);
            Ok(())
        })
        .unwrap();
        let reader = JournalReader::open(&path).unwrap();
        assert_eq!(ps.len(), payloads.len());
        for (i, want) in payloads.iter().enumerate() {
            assert_eq!(
                &reader.read(ps.at(i as u64).unwrap()).unwrap(),
                want,
                "record {i}"
            );
        }
        // A stream from any record gives back the rest, checked.
        let mut st = reader.stream(ps.at(7).unwrap()).unwrap();
        for want in &payloads[7..] {
            assert_eq!(&st.next_payload().unwrap(), want);
        }
        assert!(st.next_payload().is_err());
        assert!(ps.get(payloads.len()).is_none());
        ps.truncate(10);
        assert_eq!(ps.len(), 10);
        assert_eq!(reader.read(ps.at(9).unwrap()).unwrap(), payloads[9]);
        assert!(ps.at(10).is_err());
        let _ = std::fs::remove_file(&path);
    }

    fn scan(path: &Path) -> Result<(Records, TailReport), JournalError> {
        let mut got = Vec::new();
        let (_, tail) = Journal::open(path, |p, payload| {
            got.push((p.seq, payload.to_vec()));
            Ok(())
        })?;
        Ok((got, tail))
    }

    #[test]
    fn append_sync_reopen() {
        let dir = tempdir();
        let path = dir.join("j");
        let (mut j, _) = Journal::open(&path, |_, _| Ok(())).unwrap();
        let pos = j.append(&[(0, b"zero"), (1, b"one")]).unwrap();
        j.sync().unwrap();
        let r = JournalReader::open(&path).unwrap();
        assert_eq!(r.read(pos[1]).unwrap(), b"one");
        drop(j);
        let (got, tail) = scan(&path).unwrap();
        assert_eq!(got, vec![(0, b"zero".to_vec()), (1, b"one".to_vec())]);
        assert_eq!(tail.cut_bytes, 0);
    }

    #[test]
    fn torn_tail_is_cut_and_middle_damage_is_refused() {
        let dir = tempdir();
        let path = dir.join("j");
        let (mut j, _) = Journal::open(&path, |_, _| Ok(())).unwrap();
        j.append(&[(0, b"zero"), (1, b"one"), (2, b"two")]).unwrap();
        j.sync().unwrap();
        drop(j);
        let full = std::fs::read(&path).unwrap();
        // Cut in the middle of the last record: torn, cut.
        std::fs::write(&path, &full[..full.len() - 2]).unwrap();
        let (got, tail) = scan(&path).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(tail.cut_bytes, (HEADER + 3 - 2) as u64);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), tail.end);
        // Zero-filled tail (a crash after the size grew): cut.
        let mut zeros = full.clone();
        zeros.extend_from_slice(&[0u8; 4096]);
        std::fs::write(&path, &zeros).unwrap();
        assert_eq!(scan(&path).unwrap().0.len(), 3);
        // A flipped byte in the first record, with more records after: corrupt.
        let mut bad = full.clone();
        bad[HEADER + 1] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        match scan(&path) {
            Err(JournalError::Corrupt { offset, record, .. }) => {
                assert_eq!((offset, record), (0, 0));
            }
            other => panic!("expected corruption, got {other:?}"),
        }
        // A damaged length field in the middle is still corruption.
        let mut badlen = full.clone();
        badlen[0] = 0x7f;
        std::fs::write(&path, &badlen).unwrap();
        assert!(matches!(scan(&path), Err(JournalError::Corrupt { .. })));
        // A flipped byte in the last record: torn (never acknowledged).
        let mut last = full.clone();
        let n = last.len();
        last[n - 1] ^= 1;
        std::fs::write(&path, &last).unwrap();
        assert_eq!(scan(&path).unwrap().0.len(), 2);
    }

    /// A directory for one test, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn join(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn tempdir() -> TempDir {
        let d = std::env::temp_dir().join(format!(
            "madini-journal-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
}
