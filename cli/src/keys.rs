//! Key files: an Ed25519 private key as PKCS#8 v1 PEM (the form OpenSSL 3
//! reads), plain or encrypted with a passphrase (PBES2: scrypt and
//! AES-256-CBC), file mode 0600. A key file that other users can read is
//! refused: a key that may have been copied is not one to sign custody with.

use std::fs::{self, OpenOptions};
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use ledger_core::crypto::SecretKey;
use pkcs8::der::pem::LineEnding;
use pkcs8::{EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef, SecretDocument};

use crate::error::{CliError, Result};
use crate::msg;

/// The environment variable a passphrase may come from (for scripts).
pub const PASSPHRASE_ENV: &str = "MADINI_PASSPHRASE";

/// A fresh key from the operating system's random source.
///
/// # Errors
/// When the random source fails.
pub fn generate() -> Result<SecretKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| CliError::input(msg!("cli-keys-system-random-source-failed", error = e)))?;
    let key = SecretKey::from_seed(&seed);
    seed.fill(0);
    Ok(key)
}

/// The PEM text of a key, encrypted when a passphrase is given.
///
/// # Errors
/// Only if encoding fails.
pub fn to_pem(key: &SecretKey, passphrase: Option<&str>) -> Result<String> {
    let plain = key.to_pkcs8_pem().map_err(CliError::input)?;
    let Some(pass) = passphrase else {
        return Ok(plain);
    };
    let err = |e: pkcs8::Error| CliError::input(format!("pkcs8: {e}"));
    let (_, doc) = SecretDocument::from_pem(&plain).map_err(|e| err(e.into()))?;
    let info = PrivateKeyInfoRef::try_from(doc.as_bytes()).map_err(err)?;
    let enc = info.encrypt(pass.as_bytes()).map_err(err)?;
    enc.to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map(|s| s.to_string())
        .map_err(|e| err(e.into()))
}

/// Writes a new key file with mode 0600; never overwrites one.
///
/// # Errors
/// An existing file, or I/O.
pub fn write(path: &Path, key: &SecretKey, passphrase: Option<&str>) -> Result<()> {
    let pem = to_pem(key, passphrase)?;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        fs::create_dir_all(dir).map_err(|e| CliError::file(dir, &e))?;
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            let p = path.display();
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::input(msg!("cli-keys-already-exists-key-file", path = p))
                    .hint(msg!("cli-keys-choose-another-path-out"))
            } else {
                CliError::file(path, &e)
            }
        })?;
    f.write_all(pem.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::file(path, &e))
}

/// Reads a key file, asking for the passphrase if it is encrypted.
///
/// # Errors
/// Missing file, readable by others, not an Ed25519 PKCS#8 key, or a wrong
/// passphrase.
pub fn read(path: &Path) -> Result<SecretKey> {
    let p = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            CliError::input(msg!("cli-keys-key-file-does-not", path = p))
                .hint(msg!("cli-keys-create-one-madini-key"))
        } else {
            CliError::file(path, &e)
        }
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CliError::input(msg!(
            "cli-keys-key-file-read-other",
            path = p,
            mode = format!("{mode:o}")
        ))
        .hint(format!("chmod 600 {p}")));
    }
    let pem = fs::read_to_string(path).map_err(|e| CliError::file(path, &e))?;
    let bad =
        |why: String| CliError::input(msg!("cli-keys-key-file-not-ed25519", path = p, why = why));
    if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        let (_, doc) = SecretDocument::from_pem(&pem).map_err(|e| bad(e.to_string()))?;
        let enc =
            EncryptedPrivateKeyInfoRef::try_from(doc.as_bytes()).map_err(|e| bad(e.to_string()))?;
        let pass = passphrase(&format!("{} ", msg!("cli-keys-passphrase", path = p)))?;
        let plain = enc
            .decrypt(pass.as_bytes())
            .map_err(|_| CliError::input(msg!("cli-keys-wrong-passphrase-key-file", path = p)))?;
        let pem = plain
            .to_pem("PRIVATE KEY", LineEnding::LF)
            .map_err(|e| bad(e.to_string()))?;
        return SecretKey::from_pkcs8_pem(&pem).map_err(bad);
    }
    SecretKey::from_pkcs8_pem(&pem).map_err(bad)
}

/// A passphrase from `MADINI_PASSPHRASE` or, on a terminal, typed without echo.
///
/// # Errors
/// No terminal and no environment variable.
pub fn passphrase(prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            CliError::input(msg!("cli-keys-passphrase-needed-but-there"))
                .hint(format!("set {PASSPHRASE_ENV}")),
        );
    }
    rpassword::prompt_password(prompt).map_err(|e| CliError::input(e.to_string()))
}
