//! Publishing the log's tiles to a directory, for any static web server
//! (`spec/log.md` section 6, "Copies of the tiles"): `madini-node publish`
//! once, `serve --publish-to` after every checkpoint. The copy's own
//! `checkpoint` file is the progress record: it is written last, after
//! every tile it needs is durable, so a reader of the copy never meets a
//! checkpoint whose tiles are missing, and a publisher killed at any point
//! starts again from what the copy says.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ledger_core::note::Checkpoint;
use ledger_core::tiles::new_tiles;

use crate::ledger::Ledger;
use crate::logstore::LogStore;
use crate::tiles::tile_bytes;

/// Where files are written before they are renamed into place.
pub const TMP_DIR: &str = ".madini-tmp";

/// What one publication did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// The size the copy's checkpoint had before (0: none).
    pub from: u64,
    /// The size of the checkpoint now published.
    pub size: u64,
    /// Tiles written.
    pub written: usize,
    /// Tiles already there with the same bytes (after an interrupted run).
    pub unchanged: usize,
}

/// Why a publication stopped. Nothing the copy's readers rely on is
/// changed by a failed run: its checkpoint still names tiles that are there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// A file could not be read or written.
    #[error("{path}: {source}; check that the directory exists and this user may write to it")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The copy holds another log or another tree.
    #[error(
        "{path} {why}: this directory holds another log or another tree; publish to an empty directory, or remove it"
    )]
    OtherTree {
        /// The file.
        path: PathBuf,
        /// What differs.
        why: String,
    },
    /// The ledger could not be read.
    #[error("reading the ledger: {0}")]
    Store(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A directory copy of the log's tiles.
pub struct DirCopy {
    root: PathBuf,
}

impl DirCopy {
    /// The copy under `root`, created if missing.
    ///
    /// # Errors
    /// `Io` if the directory cannot be created.
    pub fn open(root: &Path) -> Result<DirCopy, PublishError> {
        fs::create_dir_all(root.join(TMP_DIR)).map_err(io(root))?;
        // Leftovers of an interrupted run: never renamed, never read.
        let tmp = root.join(TMP_DIR);
        for e in fs::read_dir(&tmp).map_err(io(&tmp))? {
            let p = e.map_err(io(&tmp))?.path();
            fs::remove_file(&p).map_err(io(&p))?;
        }
        Ok(DirCopy {
            root: root.to_path_buf(),
        })
    }

    /// The copy's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The size the copy's checkpoint covers, if it has one that this
    /// ledger signed: same origin, and the root of this tree at that size.
    fn published_size(&self, ledger: &Ledger) -> Result<u64, PublishError> {
        let path = self.root.join("checkpoint");
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(io(&path)(e)),
        };
        let other = |why: String| PublishError::OtherTree {
            path: path.clone(),
            why,
        };
        let body = text.split_once("\n\n").map_or(text.as_str(), |(b, _)| b);
        let cp = Checkpoint::parse_body(&format!("{body}\n"))
            .map_err(|e| other(format!("is not a checkpoint ({e})")))?;
        let ours = ledger.checkpoint();
        let origin = ours.note.lines().next().unwrap_or_default();
        if cp.origin != origin {
            return Err(other(format!("is a checkpoint of {}", cp.origin)));
        }
        if cp.size > ours.size {
            return Err(other(format!(
                "covers {} entries, more than this ledger's {} (a ledger restored from an older backup?)",
                cp.size, ours.size
            )));
        }
        let root = ledger_core::merkle::tree_hash(cp.size, ledger.log_store().indexes())
            .map_err(|e| PublishError::Store(e.to_string()))?;
        if root != cp.root {
            return Err(other(format!(
                "has root {} at size {}, where this log has {root}",
                cp.root, cp.size
            )));
        }
        Ok(cp.size)
    }

    /// Writes `bytes` at `rel` (written aside, then renamed); a file already
    /// there must hold the same bytes. Answers whether it wrote.
    fn put_tile(&self, rel: &str, bytes: &[u8]) -> Result<bool, PublishError> {
        let path = self.root.join(rel);
        match fs::read(&path) {
            Ok(old) if old == bytes => return Ok(false),
            Ok(_) => {
                return Err(PublishError::OtherTree {
                    path,
                    why: "holds other bytes".into(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path)(e)),
        }
        self.write_aside(rel, bytes, false)?;
        Ok(true)
    }

    /// Writes `bytes` to a file in the temporary directory and renames it
    /// to `rel`, syncing it first if `sync`.
    fn write_aside(&self, rel: &str, bytes: &[u8], sync: bool) -> Result<(), PublishError> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let tmp = self.root.join(TMP_DIR).join(rel.replace('/', "_"));
        let mut f = fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        if sync {
            f.sync_all().map_err(io(&tmp))?;
        }
        drop(f);
        fs::rename(&tmp, &path).map_err(io(&path))
    }

    /// Publishes the ledger's latest checkpoint: the tiles the copy lacks,
    /// made durable together (one `syncfs`), then the checkpoint.
    ///
    /// # Errors
    /// `OtherTree` when the copy is not a prefix of this log; `Io`; `Store`.
    pub fn publish(&self, ledger: &Ledger) -> Result<Published, PublishError> {
        let cp = ledger.checkpoint();
        let from = self.published_size(ledger)?;
        let mut out = Published {
            from,
            size: cp.size,
            ..Published::default()
        };
        if from == cp.size && self.root.join("checkpoint").exists() {
            return Ok(out);
        }
        let store: &dyn LogStore = ledger.log_store();
        for tile in new_tiles(from, cp.size) {
            let bytes = tile_bytes(store, &tile).map_err(PublishError::Store)?;
            if self.put_tile(&tile.to_string(), &bytes)? {
                out.written += 1;
            } else {
                out.unchanged += 1;
            }
        }
        // Every tile on disk before the checkpoint that names them.
        let root = fs::File::open(&self.root).map_err(io(&self.root))?;
        rustix::fs::syncfs(&root).map_err(|e| io(&self.root)(e.into()))?;
        self.write_aside("checkpoint", cp.note.as_bytes(), true)?;
        root.sync_all().map_err(io(&self.root))?;
        Ok(out)
    }
}

/// Keeps `copy` at the ledger's latest checkpoint from a thread of its
/// own (`serve --publish-to`): it publishes at start, then whenever the
/// checkpoint has grown, looking every `poll`. A failed run is logged and
/// tried again after `retry`; the copy stays at its last good checkpoint
/// meanwhile. A copy that holds another tree stops the thread.
pub fn keep_published(
    ledger: std::sync::Arc<Ledger>,
    copy: DirCopy,
    poll: std::time::Duration,
    retry: std::time::Duration,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("publish".into())
        .spawn(move || {
            let mut done = None;
            loop {
                let size = ledger.checkpoint().size;
                if done != Some(size) {
                    match copy.publish(&ledger) {
                        Ok(p) => {
                            tracing::info!(
                                size = p.size,
                                written = p.written,
                                dir = %copy.root().display(),
                                "published the tiles"
                            );
                            done = Some(p.size);
                        }
                        Err(e @ PublishError::OtherTree { .. }) => {
                            tracing::error!("publishing stopped: {e}");
                            return;
                        }
                        Err(e) => {
                            tracing::error!("publishing failed, trying again: {e}");
                            std::thread::sleep(retry);
                            continue;
                        }
                    }
                }
                std::thread::sleep(poll);
            }
        })
}
