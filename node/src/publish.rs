//! Publishing the log's tiles to a directory, for any static web server,
//! or to S3-compatible object storage (`spec/log.md` section 6, "Copies of
//! the tiles"): `madini-node publish` once, `serve --publish-to` after
//! every checkpoint. The copy's own `checkpoint` is the progress record: it
//! is written last, after every tile it needs is durable (synced to disk,
//! or acknowledged by the store), so a reader of the copy never meets a
//! checkpoint whose tiles are missing, and a publisher killed at any point
//! starts again from what the copy says.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ledger_core::note::Checkpoint;
use ledger_core::tiles::new_tiles;
use object_store::{ObjectStore, ObjectStoreExt as _, PutMode, PutOptions, PutPayload};

use crate::ledger::Ledger;
use crate::logstore::LogStore;
use crate::tiles::tile_bytes;

/// Where files are written before they are renamed into place.
pub const TMP_DIR: &str = ".madini-tmp";

/// Tiles made ready and written together (memory: at most this many
/// entry bundles at once).
const BATCH: usize = 256;

/// How long `serve --publish-to` retries one object-store request before
/// the run stops and is tried again (`publish --retry-for`'s default).
pub const RETRY_FOR: Duration = Duration::from_secs(60);

/// Tile requests in flight at once on an object store.
const IN_FLIGHT: usize = 32;

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
    /// The object store failed a request, retries included.
    #[error(
        "{at}: {source}; check the store's address, bucket and credentials (the AWS_* variables), then publish again: it resumes"
    )]
    Remote {
        /// The object.
        at: String,
        /// The cause.
        source: Box<object_store::Error>,
    },
    /// The copy's address cannot be used.
    #[error("{0}")]
    Address(String),
    /// The copy holds another log or another tree.
    #[error(
        "{at} {why}: this copy holds another log or another tree; publish to an empty directory or prefix, or remove it"
    )]
    OtherTree {
        /// The file or object.
        at: String,
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

/// Where a copy is written: the few operations the publishing order of
/// `spec/log.md` needs.
trait Target: Send {
    /// The copy's address, for messages.
    fn describe(&self) -> String;
    /// The address of the file `rel` in the copy.
    fn at(&self, rel: &str) -> String;
    /// The bytes of `rel`, `None` if it is not there.
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, PublishError>;
    /// Writes each tile the copy lacks; a tile already there must hold the
    /// same bytes. Answers how many were written and how many were there.
    fn put_tiles(&self, tiles: Vec<(String, Vec<u8>)>) -> Result<(usize, usize), PublishError>;
    /// Makes every tile written so far durable, then writes `checkpoint`.
    fn put_checkpoint(&self, note: &[u8]) -> Result<(), PublishError>;
}

/// A copy of the log's tiles: a directory or an object store's prefix.
pub struct TileCopy {
    target: Box<dyn Target>,
}

impl TileCopy {
    /// The copy at `to`: `s3://BUCKET[/PREFIX]` for an object store named
    /// by the AWS environment variables, anything else a directory
    /// (created if missing). Nothing is read or written yet.
    ///
    /// # Errors
    /// `Address` for a URL that names no usable store; `Io` if the
    /// directory cannot be created.
    pub fn open(to: &str, retry_for: Duration) -> Result<TileCopy, PublishError> {
        if let Some(rest) = to.strip_prefix("s3://") {
            return Ok(TileCopy {
                target: Box::new(StoreCopy::open(rest, retry_for)?),
            });
        }
        if to.contains("://") {
            return Err(PublishError::Address(format!(
                "{to}: a copy is a directory or an s3://BUCKET/PREFIX URL; name one of those"
            )));
        }
        Self::dir(Path::new(to))
    }

    /// The copy in the directory `root`, created if missing.
    ///
    /// # Errors
    /// `Io` if the directory cannot be created or cleaned.
    pub fn dir(root: &Path) -> Result<TileCopy, PublishError> {
        Ok(TileCopy {
            target: Box::new(DirCopy::open(root)?),
        })
    }

    /// The copy's address, for messages.
    pub fn describe(&self) -> String {
        self.target.describe()
    }

    /// The size the copy's checkpoint covers (`None`: it has none), if it
    /// is one that this ledger signed: same origin, and the root of this
    /// tree at that size.
    fn published_size(&self, ledger: &Ledger) -> Result<Option<u64>, PublishError> {
        let Some(bytes) = self.target.read("checkpoint")? else {
            return Ok(None);
        };
        let other = |why: String| PublishError::OtherTree {
            at: self.target.at("checkpoint"),
            why,
        };
        let text = String::from_utf8(bytes).map_err(|_| other("is not UTF-8".into()))?;
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
        Ok(Some(cp.size))
    }

    /// Publishes the ledger's latest checkpoint: the tiles the copy lacks,
    /// made durable, then the checkpoint.
    ///
    /// # Errors
    /// `OtherTree` when the copy is not a prefix of this log; `Io` or
    /// `Remote` when the copy cannot be written; `Store`.
    pub fn publish(&self, ledger: &Ledger) -> Result<Published, PublishError> {
        let cp = ledger.checkpoint();
        let found = self.published_size(ledger)?;
        let from = found.unwrap_or(0);
        let mut out = Published {
            from,
            size: cp.size,
            ..Published::default()
        };
        if found == Some(cp.size) {
            return Ok(out);
        }
        let store: &dyn LogStore = ledger.log_store();
        for batch in new_tiles(from, cp.size).chunks(BATCH) {
            let files = batch
                .iter()
                .map(|t| Ok((t.to_string(), tile_bytes(store, t)?)))
                .collect::<Result<Vec<_>, String>>()
                .map_err(PublishError::Store)?;
            let (written, unchanged) = self.target.put_tiles(files)?;
            out.written += written;
            out.unchanged += unchanged;
        }
        self.target.put_checkpoint(cp.note.as_bytes())?;
        Ok(out)
    }
}

/// A directory copy of the log's tiles.
struct DirCopy {
    root: PathBuf,
}

impl DirCopy {
    fn open(root: &Path) -> Result<DirCopy, PublishError> {
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
}

impl Target for DirCopy {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn at(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, PublishError> {
        let path = self.root.join(rel);
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }

    fn put_tiles(&self, tiles: Vec<(String, Vec<u8>)>) -> Result<(usize, usize), PublishError> {
        let (mut written, mut unchanged) = (0, 0);
        for (rel, bytes) in tiles {
            match self.read(&rel)? {
                Some(old) if old == bytes => unchanged += 1,
                Some(_) => return Err(differs(self.at(&rel))),
                None => {
                    self.write_aside(&rel, &bytes, false)?;
                    written += 1;
                }
            }
        }
        Ok((written, unchanged))
    }

    /// One `syncfs` makes every tile durable together; then the
    /// checkpoint is written aside, synced, renamed, and the directory
    /// synced.
    fn put_checkpoint(&self, note: &[u8]) -> Result<(), PublishError> {
        let root = fs::File::open(&self.root).map_err(io(&self.root))?;
        rustix::fs::syncfs(&root).map_err(|e| io(&self.root)(e.into()))?;
        self.write_aside("checkpoint", note, true)?;
        root.sync_all().map_err(io(&self.root))
    }
}

fn differs(at: String) -> PublishError {
    PublishError::OtherTree {
        at,
        why: "holds other bytes".into(),
    }
}

/// A copy under a prefix of an S3-compatible bucket.
struct StoreCopy {
    store: Arc<dyn ObjectStore>,
    bucket: String,
    prefix: String,
    retry_for: Duration,
    rt: tokio::runtime::Runtime,
}

impl StoreCopy {
    /// `rest` is `BUCKET[/PREFIX]`, the URL after `s3://`.
    fn open(rest: &str, retry_for: Duration) -> Result<StoreCopy, PublishError> {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        if bucket.is_empty() || prefix.split('/').any(|p| p == "." || p == "..") {
            return Err(PublishError::Address(format!(
                "s3://{rest}: name the bucket and, if any, a prefix without . or .. (s3://BUCKET/PREFIX)"
            )));
        }
        // reqwest's TLS is provider-less: ring, as for the node's HTTPS.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let retry = object_store::RetryConfig {
            backoff: object_store::BackoffConfig {
                init_backoff: Duration::from_millis(100),
                max_backoff: Duration::from_secs(5),
                base: 2.0,
            },
            max_retries: usize::MAX,
            retry_timeout: retry_for,
        };
        use object_store::ClientConfigKey;
        use object_store::aws::AmazonS3ConfigKey::Client;
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_retry(retry)
            // Set one by one: `with_client_options` would drop what the
            // environment said (AWS_ALLOW_HTTP among them).
            .with_config(Client(ClientConfigKey::ConnectTimeout), "5 seconds")
            .with_config(Client(ClientConfigKey::Timeout), "30 seconds")
            .build()
            .map_err(|e| PublishError::Address(format!("s3://{rest}: {e}")))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(io(Path::new(rest)))?;
        Ok(StoreCopy {
            store: Arc::new(store),
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            retry_for,
            rt,
        })
    }

    fn path(&self, rel: &str) -> object_store::path::Path {
        if self.prefix.is_empty() {
            object_store::path::Path::from(rel)
        } else {
            object_store::path::Path::from(format!("{}/{rel}", self.prefix))
        }
    }
}

fn remote(at: String) -> impl FnOnce(object_store::Error) -> PublishError {
    move |e| PublishError::Remote {
        at,
        source: Box::new(e),
    }
}

/// The bytes of `path`, `None` if the store has no such object.
async fn get(
    store: &dyn ObjectStore,
    path: &object_store::path::Path,
) -> Result<Option<Vec<u8>>, object_store::Error> {
    match store.get(path).await {
        Ok(r) => Ok(Some(r.bytes().await?.to_vec())),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Answers whether the tile was written (`false`: it was there already).
/// A tile is created, never replaced: looked up first, then one PUT that
/// the store refuses if the object exists meanwhile (then read back). A
/// PUT whose outcome is unknown (a timeout, a reset connection, which the
/// client does not retry for a conditional request) is resolved the same
/// way, looking again, until `retry_for` has passed.
async fn put_tile(
    store: Arc<dyn ObjectStore>,
    path: object_store::path::Path,
    at: String,
    bytes: Vec<u8>,
    retry_for: Duration,
) -> Result<bool, PublishError> {
    /// What one look-and-write found.
    enum Step {
        Written,
        There,
        Differs,
        /// Appeared or vanished between two requests: look again.
        Again,
    }
    let start = Instant::now();
    let mut pause = Duration::from_millis(100);
    let payload = PutPayload::from(bytes.clone());
    loop {
        let attempt: Result<Step, object_store::Error> = async {
            match store.head(&path).await {
                Ok(_) => {
                    return Ok(match get(store.as_ref(), &path).await? {
                        Some(old) if old == bytes => Step::There,
                        Some(_) => Step::Differs,
                        None => Step::Again,
                    });
                }
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            let opts = PutOptions {
                mode: PutMode::Create,
                attributes: tile_attributes(),
                ..PutOptions::default()
            };
            match store.put_opts(&path, payload.clone(), opts).await {
                Ok(_) => Ok(Step::Written),
                Err(object_store::Error::AlreadyExists { .. }) => Ok(Step::Again),
                Err(e) => Err(e),
            }
        }
        .await;
        match attempt {
            Ok(Step::Written) => return Ok(true),
            Ok(Step::There) => return Ok(false),
            Ok(Step::Differs) => return Err(differs(at)),
            Ok(Step::Again) if start.elapsed() < retry_for => {}
            Ok(Step::Again) => {
                return Err(PublishError::Address(format!(
                    "{at}: the store says the object exists and that it does not; it does not keep S3's read-after-write consistency"
                )));
            }
            Err(e @ object_store::Error::Generic { .. }) if start.elapsed() < retry_for => {
                tracing::warn!("{at}: {e}; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(remote(at)(e)),
        }
    }
}

fn tile_attributes() -> object_store::Attributes {
    let mut a = object_store::Attributes::new();
    a.insert(
        object_store::Attribute::ContentType,
        "application/octet-stream".into(),
    );
    a.insert(
        object_store::Attribute::CacheControl,
        "public, max-age=31536000, immutable".into(),
    );
    a
}

impl Target for StoreCopy {
    fn describe(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }

    fn at(&self, rel: &str) -> String {
        format!("s3://{}/{}", self.bucket, self.path(rel))
    }

    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, PublishError> {
        let path = self.path(rel);
        self.rt
            .block_on(get(self.store.as_ref(), &path))
            .map_err(remote(self.at(rel)))
    }

    fn put_tiles(&self, tiles: Vec<(String, Vec<u8>)>) -> Result<(usize, usize), PublishError> {
        self.rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            let (mut written, mut unchanged) = (0, 0);
            let mut count = |r: Result<Result<bool, PublishError>, tokio::task::JoinError>| {
                match r.map_err(|e| PublishError::Store(e.to_string()))? {
                    Ok(true) => written += 1,
                    Ok(false) => unchanged += 1,
                    Err(e) => return Err(e),
                }
                Ok(())
            };
            for (rel, bytes) in tiles {
                while set.len() >= IN_FLIGHT {
                    if let Some(r) = set.join_next().await {
                        count(r)?;
                    }
                }
                set.spawn(put_tile(
                    self.store.clone(),
                    self.path(&rel),
                    self.at(&rel),
                    bytes,
                    self.retry_for,
                ));
            }
            while let Some(r) = set.join_next().await {
                count(r)?;
            }
            Ok((written, unchanged))
        })
    }

    /// Every tile's PUT has answered success by now (a failed one stopped
    /// the run): the store holds them durably and serves them.
    fn put_checkpoint(&self, note: &[u8]) -> Result<(), PublishError> {
        let mut attributes = object_store::Attributes::new();
        attributes.insert(
            object_store::Attribute::ContentType,
            "text/plain; charset=utf-8".into(),
        );
        attributes.insert(object_store::Attribute::CacheControl, "no-cache".into());
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let path = self.path("checkpoint");
        let payload = PutPayload::from(note.to_vec());
        self.rt
            .block_on(self.store.put_opts(&path, payload, opts))
            .map(|_| ())
            .map_err(remote(self.at("checkpoint")))
    }
}

/// Keeps `copy` at the ledger's latest checkpoint from a thread of its
/// own (`serve --publish-to`): it publishes at start, then whenever the
/// checkpoint has grown, looking every `poll`. A failed run is logged and
/// tried again after `retry`; the copy stays at its last good checkpoint
/// meanwhile. A copy that holds another tree stops the thread.
pub fn keep_published(
    ledger: std::sync::Arc<Ledger>,
    copy: TileCopy,
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
                                to = %copy.describe(),
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
