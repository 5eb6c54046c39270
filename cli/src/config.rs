//! Where the CLI keeps things, and the profile (node URL, key file, actor id)
//! read from `config.toml` and overridden by flags and environment variables.
//!
//! Layout: with `MADINI_HOME` set, everything lives under it; otherwise the
//! config file is `$XDG_CONFIG_HOME/madini/config.toml` (default
//! `~/.config/madini`) and the data (outbox, sent receipts, pinned logs,
//! cached lot heads) is under `$XDG_DATA_HOME/madini` (default
//! `~/.local/share/madini`).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};
use crate::msg;

/// The node a fresh install talks to: the default of `madini-node serve`.
pub const DEFAULT_NODE: &str = "http://127.0.0.1:8080";

/// A named set of settings.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Base URL of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Private key file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<PathBuf>,
    /// Actor id this device acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// `en` or `fr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Expected log verifier key (C2SP vkey); pins the log before first contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vkey: Option<String>,
    /// Where the log's C2SP tiles are read from by `audit`, `verify lot`,
    /// `log fetch` and `scan` (a node, or any static copy of its tiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiles: Option<String>,
}

/// The whole config file: the default profile at the top level, named ones
/// under `[profiles.NAME]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Default profile.
    #[serde(flatten)]
    pub default: Profile,
    /// Named profiles.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, Profile>,
}

/// Directories in use.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The config file.
    pub config: PathBuf,
    /// The data directory.
    pub data: PathBuf,
}

impl Paths {
    /// From the environment.
    ///
    /// # Errors
    /// When neither `MADINI_HOME` nor `HOME` is set.
    pub fn from_env() -> Result<Paths> {
        if let Some(home) = std::env::var_os("MADINI_HOME") {
            let home = PathBuf::from(home);
            return Ok(Paths {
                config: home.join("config.toml"),
                data: home,
            });
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let base = |xdg: &str, rel: &str| -> Result<PathBuf> {
            match (std::env::var_os(xdg), &home) {
                (Some(x), _) if !x.is_empty() => Ok(PathBuf::from(x).join("madini")),
                (_, Some(h)) => Ok(h.join(rel).join("madini")),
                _ => Err(
                    CliError::input(msg!("cli-config-cannot-find-home-directory"))
                        .hint("set MADINI_HOME to a directory"),
                ),
            }
        };
        Ok(Paths {
            config: base("XDG_CONFIG_HOME", ".config")?.join("config.toml"),
            data: base("XDG_DATA_HOME", ".local/share")?,
        })
    }

    /// Where `madini key new` writes when not told otherwise.
    pub fn default_key(&self) -> PathBuf {
        self.config
            .parent()
            .unwrap_or(Path::new("."))
            .join("key.pem")
    }
}

impl ConfigFile {
    /// Reads the config file (an absent file is an empty config).
    ///
    /// # Errors
    /// Unreadable or malformed file.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => return Err(CliError::file(path, &e)),
        };
        toml::from_str(&text).map_err(|e| {
            let p = path.display();
            let msg = e.message().to_string();
            CliError::input(msg!(
                "cli-config-config-file-malformed",
                path = p,
                error = msg
            ))
            .hint(msg!("cli-config-fix-delete-file-madini"))
        })
    }

    /// Writes the config file atomically.
    ///
    /// # Errors
    /// I/O.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| CliError::input(e.to_string()))?;
        write_atomic(path, text.as_bytes(), 0o644)
    }

    /// The named profile, or the default one.
    ///
    /// # Errors
    /// An unknown profile name.
    pub fn profile(&self, name: Option<&str>) -> Result<Profile> {
        match name {
            None => Ok(self.default.clone()),
            Some(n) => self.profiles.get(n).cloned().ok_or_else(|| {
                CliError::input(msg!("cli-config-no-profile-named", name = format!("{n:?}")))
                    .hint(format!("madini profile set --profile {n} --node URL ..."))
            }),
        }
    }

    /// Mutable access to a profile, created if absent.
    pub fn profile_mut(&mut self, name: Option<&str>) -> &mut Profile {
        match name {
            None => &mut self.default,
            Some(n) => self.profiles.entry(n.to_string()).or_default(),
        }
    }
}

/// Writes a file so that a crash leaves either the old or the new content:
/// a temporary file in the same directory, synced, renamed, then the
/// directory synced.
///
/// # Errors
/// I/O.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    write_atomic_with(path, mode, |w| w.write_all(bytes)).map_err(|e| CliError::file(path, &e))
}

/// Writes a file by streaming into `fill`, atomically: a temporary file in
/// the same directory, synced, then renamed over `path`, so a failed or
/// interrupted write never leaves a partial file under the final name.
///
/// # Errors
/// Any I/O error, from `fill` or the file system; the temporary file is
/// removed.
pub fn write_atomic_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let res = (|| -> std::io::Result<()> {
        let f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        fs::File::open(dir)?.sync_all()
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res
}
