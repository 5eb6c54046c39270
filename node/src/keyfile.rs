//! The log key file: an Ed25519 private key as unencrypted PKCS#8 v1 PEM
//! (which OpenSSL 3 reads), mode 0600, refused if others can read it.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use ledger_core::crypto::SecretKey;

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// I/O.
    #[error("key file {path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Readable by group or others.
    #[error("key file {path} is readable by other users (mode {mode:o}); run `chmod 600 {path}`")]
    Permissions {
        /// File.
        path: String,
        /// Its mode.
        mode: u32,
    },
    /// Not an Ed25519 PKCS#8 PEM key.
    #[error("key file {path} is not an unencrypted Ed25519 PKCS#8 PEM private key: {reason}")]
    Format {
        /// File.
        path: String,
        /// Cause.
        reason: String,
    },
}

/// Writes a new key file with mode 0600; refuses to overwrite.
///
/// # Errors
/// I/O errors, including an existing file.
pub fn write(path: &Path, key: &SecretKey) -> Result<(), KeyFileError> {
    let p = path.display().to_string();
    let pem = key.to_pkcs8_pem().map_err(|reason| KeyFileError::Format {
        path: p.clone(),
        reason,
    })?;
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|source| KeyFileError::Io {
            path: p.clone(),
            source,
        })?;
    f.write_all(pem.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|source| KeyFileError::Io { path: p, source })
}

/// Reads a key file, refusing one that group or others can read.
///
/// # Errors
/// I/O, permissions or format.
pub fn read(path: &Path) -> Result<SecretKey, KeyFileError> {
    let p = path.display().to_string();
    let meta = fs::metadata(path).map_err(|source| KeyFileError::Io {
        path: p.clone(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyFileError::Permissions { path: p, mode });
    }
    let pem = fs::read_to_string(path).map_err(|source| KeyFileError::Io {
        path: p.clone(),
        source,
    })?;
    SecretKey::from_pkcs8_pem(&pem).map_err(|reason| KeyFileError::Format { path: p, reason })
}
