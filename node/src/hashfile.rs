//! A flat file of 32-byte hashes, hash `k` at byte `32 k`: the index's
//! Merkle stored hashes (`merkle.hashes`) and event hashes
//! (`events.hashes`). Written without syncing; both are checked against the
//! journal at start-up and rewritten when they differ (`Ledger::open`).

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use ledger_core::hash::Hash;
use ledger_core::state::StateError;

/// Hashes read per system call when reading the whole file.
const CHUNK: usize = 1 << 15;

/// One flat hash file.
pub struct HashFile {
    file: File,
    path: PathBuf,
}

impl HashFile {
    /// Opens (or creates) the file at `path`.
    ///
    /// # Errors
    /// I/O, naming the file.
    pub fn open(path: &Path) -> Result<HashFile, StateError> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| StateError(format!("{}: {e}", path.display())))?;
        Ok(HashFile {
            file,
            path: path.to_path_buf(),
        })
    }

    fn err(&self, e: impl std::fmt::Display) -> StateError {
        StateError(format!("{}: {e}", self.path.display()))
    }

    /// Whole hashes in the file.
    ///
    /// # Errors
    /// I/O.
    pub fn count(&self) -> Result<u64, StateError> {
        Ok(self.file.metadata().map_err(|e| self.err(e))?.len() / 32)
    }

    /// Bytes on disk.
    pub fn disk_bytes(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// Hash `k`, if the file holds it.
    ///
    /// # Errors
    /// I/O.
    pub fn read(&self, k: u64) -> Result<Option<Hash>, StateError> {
        let mut b = [0u8; 32];
        match self.file.read_exact_at(&mut b, k * 32) {
            Ok(()) => Ok(Some(Hash(b))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Up to `count` hashes from position `first`, in one read: fewer when
    /// the file ends first.
    ///
    /// # Errors
    /// I/O.
    pub fn read_run(&self, first: u64, count: usize) -> Result<Vec<Hash>, StateError> {
        let have = self.count()?.saturating_sub(first);
        let k = count.min(usize::try_from(have).unwrap_or(usize::MAX));
        let mut b = vec![0u8; 32 * k];
        self.file
            .read_exact_at(&mut b, 32 * first)
            .map_err(|e| self.err(e))?;
        Ok(b.chunks_exact(32)
            .map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                Hash(h)
            })
            .collect())
    }

    /// Every whole hash, in order.
    ///
    /// # Errors
    /// I/O.
    pub fn read_all(&self) -> Result<Vec<Hash>, StateError> {
        let n = usize::try_from(self.count()?).map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(n);
        let mut buf = vec![0u8; 32 * CHUNK.min(n)];
        while out.len() < n {
            let k = (n - out.len()).min(CHUNK);
            let b = &mut buf[..32 * k];
            self.file
                .read_exact_at(b, 32 * out.len() as u64)
                .map_err(|e| self.err(e))?;
            out.extend(b.chunks_exact(32).map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                Hash(h)
            }));
        }
        Ok(out)
    }

    /// Writes `hashes` at positions `first..`, in one write.
    ///
    /// # Errors
    /// I/O.
    pub fn write(&self, first: u64, hashes: &[Hash]) -> Result<(), StateError> {
        let mut buf = Vec::with_capacity(hashes.len() * 32);
        for h in hashes {
            buf.extend_from_slice(&h.0);
        }
        self.file
            .write_all_at(&buf, first * 32)
            .map_err(|e| self.err(e))
    }

    /// Keeps the first `count` hashes.
    ///
    /// # Errors
    /// I/O.
    pub fn truncate(&self, count: u64) -> Result<(), StateError> {
        self.file.set_len(count * 32).map_err(|e| self.err(e))
    }
}
