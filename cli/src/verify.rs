//! `madini verify lot`, `madini audit` and `madini log fetch`: the verifier
//! of `spec/verifier.md` run from the CLI. Nothing the node says is taken
//! on trust: bundles and leaves are checked against the log key this device
//! pinned (or the one given with `--vkey`), with ledger-core's own code.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use ledger_core::bundle::Bundle;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::verify::{
    ARCHIVE_FORMAT, Auditor, LogArchive, Policy, Report, Severity, TagSeen, Verdict, verify_lot,
};
use ledger_core::wire;
use serde_json::json;

use crate::client::unb64;
use crate::config::write_atomic;
use crate::ctx::{Ctx, enc};
use crate::error::{CliError, Exit, Result};
use crate::i18n::{Lang, lang};
use crate::{msg, out, outln};

/// Options shared by `verify lot` and `audit`.
#[derive(Args, Clone, Default)]
pub struct VerifyOpts {
    /// Policy file (TOML, `spec/verifier.md` section 4); default: the built-in policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Trust this log key (C2SP vkey) instead of the one pinned on this device.
    #[arg(long, value_name = "VKEY")]
    pub vkey: Option<String>,
}

/// `madini verify lot`.
#[derive(Args)]
pub struct VerifyLot {
    /// Lot id.
    pub lot: ledger_core::types::Id,
    /// Verify this bundle file, with no network (from `madini lot bundle`).
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
    /// Assemble the lot's bundle from the log's C2SP tiles at this URL (a
    /// node, or any static copy of its tiles) instead of the node's API.
    #[arg(long, value_name = "URL", conflicts_with = "bundle")]
    pub tiles: Option<String>,
    #[command(flatten)]
    pub opts: VerifyOpts,
}

/// `madini audit`.
#[derive(Args)]
pub struct Audit {
    /// Audit a log archive (from `madini log fetch`) instead of the node.
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
    /// Audit from the log's C2SP tiles at this URL (a node, or any static
    /// copy of its tiles) instead of the node's API.
    #[arg(long, value_name = "URL", conflicts_with = "archive")]
    pub tiles: Option<String>,
    /// Threads for signature checks (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub opts: VerifyOpts,
}

fn policy(opts: &VerifyOpts) -> Result<Policy> {
    let Some(p) = &opts.policy else {
        return Ok(Policy::default());
    };
    let text = fs::read_to_string(p).map_err(|e| CliError::file(p, &e))?;
    let bad = |line: usize, key: &str, why: &str| {
        let f = p.display();
        CliError::input(msg!(
            "cli-verify-policy-line",
            file = f,
            line = line,
            key = key,
            error = why
        ))
        .hint(msg!("cli-verify-see-spec-verifier-md"))
    };
    let policy: Policy = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        bad(line, &key_on_line(&text, line), e.message())
    })?;
    policy.validate().map_err(|e| {
        let line = line_of_key(&text, &e.key).unwrap_or(1);
        bad(line, &e.key, e.why)
    })?;
    Ok(policy)
}

/// The dotted key a line of a TOML policy sets (`time.backdating_days`),
/// or the table it opens.
fn key_on_line(text: &str, line: usize) -> String {
    let mut table = String::new();
    for (k, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.starts_with('[') {
            table = l.trim_matches(['[', ']']).trim().to_owned();
        }
        if k + 1 == line {
            return match l.split_once('=') {
                Some((key, _)) if table.is_empty() => key.trim().to_owned(),
                Some((key, _)) => format!("{table}.{}", key.trim()),
                None => table,
            };
        }
    }
    table
}

/// The line that sets the dotted key `path`, if the file sets it.
fn line_of_key(text: &str, path: &str) -> Option<usize> {
    (1..=text.lines().count()).find(|&n| key_on_line(text, n) == path)
}

/// The key to trust for `origin`: `--vkey`, else the profile's, else the
/// one pinned on this device.
pub fn trusted_key(ctx: &Ctx, opts: &VerifyOpts, origin: &str) -> Result<NoteKey> {
    let v = opts
        .vkey
        .clone()
        .or_else(|| ctx.profile.vkey.clone())
        .or_else(|| ctx.node().pinned(origin).map(|p| p.vkey));
    let Some(v) = v else {
        return Err(
            CliError::trust(msg!("cli-verify-device-no-trusted-key", origin = origin))
                .hint(msg!("cli-verify-pass-vkey-key-registry")),
        );
    };
    NoteKey::from_vkey(&v).map_err(|e| CliError::input(format!("--vkey: {e}")))
}

fn seed() -> Result<[u8; 32]> {
    let mut s = [0u8; 32];
    getrandom::fill(&mut s).map_err(|e| CliError::input(e.to_string()))?;
    Ok(s)
}

/// Prints a report: verdict first, then findings by severity.
pub fn print_report(ctx: &Ctx, r: &Report) -> Exit {
    let exit = match r.verdict {
        Verdict::Verified => Exit::Ok,
        Verdict::Findings => Exit::Problems,
        Verdict::Unverifiable => Exit::Trust,
    };
    if ctx.json {
        out::json(&json!(r));
        return exit;
    }
    let fr = lang() == Lang::Fr;
    let (n, root) = (r.tree_size, &r.root_hash);
    let verdict = match r.verdict {
        Verdict::Verified => msg!("cli-verify-verified-every-signature-proof"),
        Verdict::Findings => msg!("cli-verify-verified-findings-data-authentic"),
        Verdict::Unverifiable => msg!("cli-verify-cannot-verified-data-altered"),
    };
    outln!("{verdict}");
    outln!(
        "{}",
        msg!(
            "cli-verify-log-scope-entries-root",
            origin = r.origin,
            scope = r.scope,
            count = n,
            root = root
        )
    );
    outln!(
        "{}",
        msg!(
            "cli-verify-policy",
            policy = r.policy,
            digest = &r.policy_digest[..16]
        )
    );
    let count = |s: Severity| r.counts.get(&s).copied().unwrap_or(0);
    outln!(
        "{}",
        msg!(
            "cli-verify-findings-critical-errors-warnings",
            critical = count(Severity::Critical),
            errors = count(Severity::Error),
            warnings = count(Severity::Warning),
            info = count(Severity::Info)
        )
    );
    if !r.under_review.is_empty() {
        let k = r.under_review.len();
        outln!(
            "{}",
            msg!("cli-verify-under-review-open-incidents", count = k)
        );
    }
    for s in [
        Severity::Critical,
        Severity::Error,
        Severity::Warning,
        Severity::Info,
    ] {
        let group: Vec<_> = r.findings.iter().filter(|f| f.severity == s).collect();
        if group.is_empty() {
            continue;
        }
        let title = match (s, fr) {
            (Severity::Critical, false) => "CRITICAL",
            (Severity::Critical, true) => "CRITIQUE",
            (Severity::Error, false) => "ERRORS",
            (Severity::Error, true) => "ERREURS",
            (Severity::Warning, false) => "WARNINGS",
            (Severity::Warning, true) => "AVERTISSEMENTS",
            (Severity::Info, false) => "INFO",
            (Severity::Info, true) => "INFOS",
        };
        outln!();
        outln!("{title}");
        for f in group {
            let msg = f.message.get(lang());
            outln!("  [{}] {msg}", f.rule);
            let idx: Vec<String> = f.events.iter().map(|e| e.index.to_string()).collect();
            let mut detail = Vec::new();
            if !f.lots.is_empty() {
                let shown: Vec<&str> = f.lots.iter().take(8).map(String::as_str).collect();
                let more = f.lots.len().saturating_sub(8);
                let extra = if more > 0 {
                    format!(" (+{more})")
                } else {
                    String::new()
                };
                detail.push(format!(
                    "{} {}{extra}",
                    msg!("cli-verify-lots"),
                    shown.join(", ")
                ));
            }
            if !idx.is_empty() {
                detail.push(format!("{} {}", msg!("cli-read-entries"), idx.join(", ")));
            }
            if !f.figures.is_empty() {
                let figs: Vec<String> = f.figures.iter().map(|(k, v)| format!("{k}={v}")).collect();
                detail.push(figs.join(" "));
            }
            if let Some(t) = &f.tolerance {
                detail.push(format!("{} {t}", msg!("cli-verify-tolerance")));
            }
            outln!("      {}", detail.join("; "));
        }
    }
    if !r.not_checked.is_empty() {
        outln!();
        outln!("{}", msg!("cli-verify-not-checked-scope"));
        for n in &r.not_checked {
            outln!("  - {n}");
        }
    }
    exit
}

/// `madini verify lot`.
///
/// # Errors
/// Bad input, an unreachable or untrusted node.
pub fn verify_lot_cmd(ctx: &Ctx, a: VerifyLot) -> Result<Exit> {
    let policy = policy(&a.opts)?;
    let bundle: Bundle = match (&a.bundle, ctx.tiles(a.tiles.as_ref())) {
        (None, Some(url)) => lot_from_tiles(ctx, &a.opts, &url, &a.lot)?,
        (Some(p), _) => {
            let text = fs::read_to_string(p).map_err(|e| CliError::file(p, &e))?;
            ledger_core::tlogproof::read_bundle(&text).map_err(|e| {
                let f = p.display();
                CliError::trust(msg!("cli-verify-not-lot-bundle", file = f, error = e))
            })?
        }
        (None, None) => {
            ctx.node().log()?;
            ctx.node()
                .read_as::<Bundle>(&format!("/v1/lots/{}/bundle", enc(&a.lot)))?
        }
    };
    if bundle.lot != a.lot.as_str() {
        let b = &bundle.lot;
        let l = &a.lot;
        return Err(CliError::input(msg!(
            "cli-verify-bundle-lot-not",
            bundle = b,
            lot = l
        )));
    }
    let key = trusted_key(ctx, &a.opts, &bundle.origin)?;
    let report = verify_lot(&bundle, &key, &policy);
    Ok(print_report(ctx, &report))
}

/// `madini lot bundle`: saves a lot's bundle for offline verification.
///
/// # Errors
/// Unreachable node, I/O.
pub fn save_bundle(ctx: &Ctx, lot: &str, out_path: &Path) -> Result<Exit> {
    ctx.node().log()?;
    let b: Bundle = ctx
        .node()
        .read_as(&format!("/v1/lots/{}/bundle", enc(lot)))?;
    // The file holds each entry's proof as a C2SP tlog-proof
    // (`madini-bundle/v2`, spec/log.md section 4).
    let file = ledger_core::tlogproof::ProofBundle::from_bundle(&b).map_err(|e| {
        let f = format!("{}/v1/lots/{}/bundle", ctx.node().url, enc(lot));
        CliError::trust(msg!("cli-verify-not-lot-bundle", file = f, error = e))
    })?;
    // Through a JSON value, so the file's keys stay sorted.
    let text =
        serde_json::to_string_pretty(&json!(file)).map_err(|e| CliError::input(e.to_string()))?;
    write_atomic(out_path, text.as_bytes(), 0o644)?;
    let n = b.entries.len();
    if ctx.json {
        out::json(&json!({"file": out_path.display().to_string(), "entries": n}));
    } else {
        let f = out_path.display();
        outln!(
            "{}",
            msg!(
                "cli-verify-bundle-lot-entries-written",
                lot = lot,
                count = n,
                file = f
            )
        );
    }
    Ok(Exit::Ok)
}

fn tags_path(ctx: &Ctx, origin: &str) -> PathBuf {
    let h = ledger_core::hash::sha256(origin.as_bytes()).to_hex();
    ctx.paths
        .data
        .join("logs")
        .join(format!("tags-{}.json", &h[..16]))
}

/// Tags seen in the other logs this device audited.
fn foreign_tags(ctx: &Ctx, origin: &str) -> HashMap<String, TagSeen> {
    let mut out = HashMap::new();
    let Ok(rd) = fs::read_dir(ctx.paths.data.join("logs")) else {
        return out;
    };
    let mine = tags_path(ctx, origin);
    for e in rd.flatten() {
        let p = e.path();
        if p == mine
            || !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tags-"))
        {
            continue;
        }
        if let Ok(t) = fs::read_to_string(&p)
            && let Ok(m) = serde_json::from_str::<HashMap<String, TagSeen>>(&t)
        {
            out.extend(m);
        }
    }
    out
}

fn bar(ctx: &Ctx, total: u64) -> Option<indicatif::ProgressBar> {
    (!ctx.json).then(|| {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    })
}

/// Leaves per push into the auditor: big enough to keep both cores busy.
const CHUNK: usize = 8192;

/// `madini audit`.
///
/// # Errors
/// Bad input, an unreachable or untrusted node.
pub fn audit(ctx: &Ctx, a: Audit) -> Result<Exit> {
    let policy = policy(&a.opts)?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    match (&a.archive, ctx.tiles(a.tiles.as_ref())) {
        (Some(p), _) => audit_archive(ctx, &a.opts, policy, threads, p),
        (None, Some(url)) => audit_tiles(ctx, &a.opts, policy, threads, &url),
        (None, None) => audit_node(ctx, policy, threads),
    }
}

/// GET `url` + `path` from a tile server: the body of a 200, anything else
/// an error naming what could not be read.
fn tile_get(server: &crate::client::Node, url: &str, path: &str) -> Result<Vec<u8>> {
    server.get_bytes(path).map_err(|e| {
        let what = format!("{url}{path}");
        // get_bytes answers only Unreachable, with the status or cause.
        let e = match e {
            crate::client::ClientError::Unreachable(m) => m,
            other => format!("{other:?}"),
        };
        CliError::trust(msg!("cli-verify-tiles-unreadable", what = what, error = e))
            .hint(msg!("cli-verify-tiles-unreadable-fix"))
    })
}

/// A log read from its C2SP tiles (`spec/log.md` section 6): its checkpoint,
/// verified under the key this device trusts for its origin, and its
/// leaves, from the entry bundles alone. The node's API is never asked.
pub(crate) struct TileLog {
    server: crate::client::Node,
    url: String,
    note: String,
    cp: ledger_core::note::Checkpoint,
    /// The log key the checkpoint verified under.
    pub(crate) key: NoteKey,
}

impl TileLog {
    pub(crate) fn open(ctx: &Ctx, opts: &VerifyOpts, url: &str) -> Result<TileLog> {
        let server = crate::client::Node::new(url, &ctx.paths.data, None, ctx.ca.clone());
        let url = url.trim_end_matches('/').to_owned();
        let note = String::from_utf8(tile_get(&server, &url, "/checkpoint")?).unwrap_or_default();
        let origin = note.lines().next().unwrap_or("").to_owned();
        let key = trusted_key(ctx, opts, &origin)?;
        let cp = open_checkpoint(&note, &key).map_err(|e| {
            CliError::trust(msg!(
                "cli-verify-tiles-checkpoint-bad",
                url = url,
                error = e
            ))
        })?;
        Ok(TileLog {
            server,
            url,
            note,
            cp,
            key,
        })
    }

    /// Every leaf up to the checkpoint's size, in order, bundle by bundle.
    fn each_leaf(&self, mut f: impl FnMut(Vec<u8>) -> Result<()>) -> Result<()> {
        let size = self.cp.size;
        for n in 0..size.div_ceil(256) {
            let width = u16::try_from((size - n * 256).min(256)).unwrap_or(256);
            let Some(tile) = ledger_core::tiles::Tile::entries(n, width) else {
                break;
            };
            let bytes = tile_get(&self.server, &self.url, &format!("/{tile}"))?;
            let leaves = ledger_core::tiles::parse_entry_bundle(&tile, &bytes).map_err(|e| {
                CliError::trust(msg!(
                    "cli-verify-tiles-bundle-bad",
                    url = self.url,
                    error = e
                ))
            })?;
            for leaf in leaves {
                f(leaf.to_vec())?;
            }
        }
        Ok(())
    }
}

impl TileLog {
    /// The whole log replayed from the entry bundles into memory, its root
    /// checked against the checkpoint's. Signatures are checked later, on
    /// the entries a reader uses (a bundle is verified whole).
    pub(crate) fn replay(&self) -> Result<ledger_core::log::MemLog> {
        let mut mem = ledger_core::log::MemLog::new();
        self.each_leaf(|leaf| {
            mem.replay(&leaf, ledger_core::rules::SigMode::Known(true))
                .map(drop)
                .map_err(|r| self.bad(r.to_string()))
        })?;
        if mem.root() != self.cp.root {
            return Err(self.bad(format!(
                "the entry bundles hash to {}, not to the checkpoint's root {}",
                mem.root(),
                self.cp.root
            )));
        }
        Ok(mem)
    }

    fn bad(&self, error: String) -> CliError {
        CliError::trust(msg!(
            "cli-verify-tiles-bundle-bad",
            url = self.url,
            error = error
        ))
    }

    /// A lot's bundle built from a replay of this log, as a node builds it
    /// for `GET /v1/lots/{lot}/bundle`, each entry proved from the tree
    /// the replay built.
    pub(crate) fn bundle(
        &self,
        mem: &ledger_core::log::MemLog,
        lot: &ledger_core::types::Id,
    ) -> Result<Bundle> {
        let index = ledger_core::bundle::MemIndex::new(mem.leaves(), &mem.state);
        ledger_core::bundle::build_bundle(
            &index,
            lot,
            &self.cp.origin,
            &self.note,
            self.cp.size,
            |i, n| {
                mem.prove_inclusion(i, n)
                    .map_err(|e| ledger_core::state::StateError(e.to_string()))
            },
        )
        .map_err(|e| self.bad(e.to_string()))
    }
}

/// `madini verify lot L --tiles URL`: the lot's bundle assembled from the
/// tiles alone (`spec/log.md` section 6, "Reading tiles"). No index is
/// published beside the tiles: this reader reads every entry bundle, checks
/// that the leaves hash to the checkpoint's root, replays them to find the
/// lot's closure (as a node does for `GET /v1/lots/{lot}/bundle`) and
/// proves each entry from the tree it built. The bundle is then verified
/// exactly as one from the node, signatures included, so nothing of the
/// tile server is trusted.
fn lot_from_tiles(
    ctx: &Ctx,
    opts: &VerifyOpts,
    url: &str,
    lot: &ledger_core::types::Id,
) -> Result<Bundle> {
    let log = TileLog::open(ctx, opts, url)?;
    let mem = log.replay()?;
    log.bundle(&mem, lot)
}

/// `madini audit --tiles URL`: the leaves of [`TileLog`] audited exactly
/// as from the node: the auditor recomputes the root from them, so no hash
/// tile is needed, and every tree this device saw signed must be a prefix.
fn audit_tiles(
    ctx: &Ctx,
    opts: &VerifyOpts,
    policy: Policy,
    threads: usize,
    url: &str,
) -> Result<Exit> {
    let log = TileLog::open(ctx, opts, url)?;
    let mut auditor = new_auditor(ctx, policy, threads, log.cp.origin.as_str())?;
    let mut feeder = Feeder::new(ctx, log.cp.size);
    log.each_leaf(|leaf| feeder.feed(&mut auditor, leaf))?;
    feeder.done(&mut auditor)?;
    finish(ctx, auditor, &log.cp)
}

fn new_auditor(ctx: &Ctx, policy: Policy, threads: usize, origin: &str) -> Result<Auditor> {
    let mut auditor =
        Auditor::new(policy, threads, seed()?).with_foreign_tags(foreign_tags(ctx, origin));
    // Every tree this device saw signed for the log must be a prefix.
    if let Some(p) = ctx.node().pinned(origin)
        && let Ok(k) = NoteKey::from_vkey(&p.vkey)
        && let Ok(cp) = open_checkpoint(&p.checkpoint, &k)
    {
        auditor.expect_root(cp.size, cp.root);
    }
    Ok(auditor)
}

fn finish(ctx: &Ctx, auditor: Auditor, cp: &ledger_core::note::Checkpoint) -> Result<Exit> {
    let tags = auditor.tags();
    let origin = cp.origin.clone();
    let report = auditor.finish(cp);
    if report.verdict != Verdict::Unverifiable {
        let bytes = serde_json::to_vec(&tags).map_err(|e| CliError::input(e.to_string()))?;
        write_atomic(&tags_path(ctx, &origin), &bytes, 0o644)?;
    }
    Ok(print_report(ctx, &report))
}

/// Feeds leaves to the auditor in chunks, with a progress bar.
struct Feeder {
    buf: Vec<Vec<u8>>,
    start: u64,
    next: u64,
    pb: Option<indicatif::ProgressBar>,
}

impl Feeder {
    fn new(ctx: &Ctx, total: u64) -> Feeder {
        Feeder {
            buf: Vec::with_capacity(CHUNK),
            start: 0,
            next: 0,
            pb: bar(ctx, total),
        }
    }

    fn feed(&mut self, a: &mut Auditor, leaf: Vec<u8>) -> Result<()> {
        self.buf.push(leaf);
        self.next += 1;
        if self.buf.len() == CHUNK {
            self.flush(a)?;
            if let Some(b) = &self.pb {
                b.set_position(self.next);
            }
        }
        Ok(())
    }

    fn flush(&mut self, a: &mut Auditor) -> Result<()> {
        a.push(self.start, &self.buf)
            .map_err(|e| CliError::input(e.to_string()))?;
        self.buf.clear();
        self.start = self.next;
        Ok(())
    }

    fn done(mut self, a: &mut Auditor) -> Result<()> {
        self.flush(a)?;
        if let Some(b) = self.pb.take() {
            b.finish_and_clear();
        }
        Ok(())
    }
}

fn audit_node(ctx: &Ctx, policy: Policy, threads: usize) -> Result<Exit> {
    let node = ctx.node();
    // What this device verified before, read before the node is asked again.
    let mut auditor = {
        let l = node.log()?;
        new_auditor(ctx, policy, threads, l.origin.as_str())?
    };
    let l = node.log()?.clone();
    let size = l.checkpoint.size;
    let mut feeder = Feeder::new(ctx, size);
    let mut next = 0u64;
    while next < size {
        let v: wire::EntriesPage = node.read_as(&format!("/v1/entries?start={next}&limit=1000"))?;
        let entries = v.entries;
        if entries.is_empty() {
            return Err(CliError::trust(msg!(
                "cli-verify-node-stopped-serving-entries",
                next = next,
                size = size
            )));
        }
        for e in entries.iter().take((size - next) as usize) {
            if e.index != next {
                return Err(CliError::trust(msg!(
                    "cli-verify-node-sent-entries-out",
                    next = next
                )));
            }
            let leaf = unb64(&e.leaf).map_err(|m| {
                CliError::trust(msg!(
                    "cli-verify-entry-node-not-base64",
                    next = next,
                    error = m
                ))
            })?;
            feeder.feed(&mut auditor, leaf)?;
            next += 1;
        }
    }
    feeder.done(&mut auditor)?;
    finish(ctx, auditor, &l.checkpoint)
}

/// The leaves of a log archive, in order, read as they are needed.
pub struct ArchiveLeaves {
    r: BufReader<fs::File>,
    next: u64,
    failed: bool,
}

impl Iterator for ArchiveLeaves {
    type Item = std::result::Result<Vec<u8>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let mut len = [0u8; 4];
        match self.r.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
            Err(e) => {
                self.failed = true;
                return Some(Err(e.to_string()));
            }
        }
        let (i, n) = (self.next, u32::from_be_bytes(len) as usize);
        if n > ledger_core::leaf::MAX_LEAF_BYTES {
            self.failed = true;
            return Some(Err(format!(
                "entry {i}: frame of {n} bytes is larger than a leaf"
            )));
        }
        let mut leaf = vec![0u8; n];
        if self.r.read_exact(&mut leaf).is_err() {
            self.failed = true;
            return Some(Err(format!("entry {i}: the file ends inside it")));
        }
        self.next += 1;
        Some(Ok(leaf))
    }
}

/// Opens a log archive (`spec/verifier.md` section 6): its header, and its
/// leaves as an iterator.
///
/// # Errors
/// An unreadable file or header (exit 3 for a header that is not one).
pub fn open_archive(path: &Path) -> Result<(LogArchive, ArchiveLeaves)> {
    let f = fs::File::open(path).map_err(|e| CliError::file(path, &e))?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let mut line = String::new();
    r.read_line(&mut line)
        .map_err(|e| CliError::file(path, &e))?;
    let header = LogArchive::parse_header(&line).map_err(|why| archive_error(path, &why))?;
    Ok((
        header,
        ArchiveLeaves {
            r,
            next: 0,
            failed: false,
        },
    ))
}

fn archive_error(path: &Path, why: &str) -> CliError {
    let p = path.display();
    CliError::trust(msg!(
        "cli-verify-not-readable-log-archive",
        path = p,
        why = why
    ))
}

fn audit_archive(
    ctx: &Ctx,
    opts: &VerifyOpts,
    policy: Policy,
    threads: usize,
    path: &Path,
) -> Result<Exit> {
    let (header, leaves) = open_archive(path)?;
    let key = trusted_key(ctx, opts, &header.origin)?;
    let cp = open_checkpoint(&header.checkpoint, &key)
        .map_err(|e| CliError::trust(msg!("cli-verify-archive-s-checkpoint-does", error = e)))?;
    let mut auditor = new_auditor(ctx, policy, threads, &header.origin)?;
    let mut feeder = Feeder::new(ctx, cp.size);
    for leaf in leaves {
        let leaf = leaf.map_err(|why| archive_error(path, &why))?;
        feeder.feed(&mut auditor, leaf)?;
    }
    feeder.done(&mut auditor)?;
    finish(ctx, auditor, &cp)
}

/// `madini log fetch`: the whole log into an archive file.
///
/// # Errors
/// Unreachable or untrusted node, I/O.
pub fn fetch(ctx: &Ctx, out_path: &Path, tiles: Option<&str>) -> Result<Exit> {
    let (origin, size) = fetch_from(ctx, out_path, tiles)?;
    if ctx.json {
        out::json(
            &json!({"file": out_path.display().to_string(), "entries": size, "origin": origin}),
        );
    } else {
        let f = out_path.display();
        outln!(
            "{}",
            msg!(
                "cli-verify-entries-log-written-audit",
                size = size,
                origin = origin,
                file = f
            )
        );
    }
    Ok(Exit::Ok)
}

/// Writes the node's whole log (up to its verified checkpoint) to an
/// archive file; returns the origin and the number of entries.
///
/// # Errors
/// Unreachable or untrusted node, I/O.
pub fn fetch_to(ctx: &Ctx, out_path: &Path) -> Result<(String, u64)> {
    fetch_from(ctx, out_path, None)
}

/// [`fetch_to`], from the log's C2SP tiles at `tiles` when given (`madini
/// log fetch --tiles URL`, the checkpoint verified under the key this
/// device trusts), else from the node's API.
///
/// # Errors
/// Unreachable or untrusted node or tile server, I/O.
pub fn fetch_from(ctx: &Ctx, out_path: &Path, tiles: Option<&str>) -> Result<(String, u64)> {
    let tmp = out_path.with_extension("partial");
    let f = fs::File::create(&tmp).map_err(|e| CliError::file(&tmp, &e))?;
    let mut w = BufWriter::new(f);
    let io = |e: std::io::Error| CliError::file(&tmp, &e);
    let (header, size) = match tiles {
        Some(url) => {
            let log = TileLog::open(ctx, &VerifyOpts::default(), url)?;
            let header = archive_header(log.cp.origin.as_str(), log.key.vkey(), &log.note);
            w.write_all(header.header_line().as_bytes()).map_err(io)?;
            let pb = bar(ctx, log.cp.size);
            let mut n = 0;
            log.each_leaf(|leaf| {
                w.write_all(&LogArchive::frame(&leaf)).map_err(io)?;
                n += 1;
                if let Some(b) = &pb {
                    b.set_position(n);
                }
                Ok(())
            })?;
            if let Some(b) = pb {
                b.finish_and_clear();
            }
            (header, log.cp.size)
        }
        None => {
            let node = ctx.node();
            let l = node.log()?.clone();
            let size = l.checkpoint.size;
            let header = archive_header(l.origin.as_str(), l.key.vkey(), &l.note);
            w.write_all(header.header_line().as_bytes()).map_err(io)?;
            let pb = bar(ctx, size);
            let mut next = 0u64;
            while next < size {
                let v: wire::EntriesPage =
                    node.read_as(&format!("/v1/entries?start={next}&limit=1000"))?;
                let before = next;
                for e in &v.entries {
                    if next >= size || e.index != next {
                        break;
                    }
                    let leaf = unb64(&e.leaf).map_err(CliError::trust)?;
                    w.write_all(&LogArchive::frame(&leaf)).map_err(io)?;
                    next += 1;
                }
                if next == before {
                    return Err(CliError::trust(msg!(
                        "cli-verify-node-stopped-serving-entries",
                        next = next,
                        size = size
                    )));
                }
                if let Some(b) = &pb {
                    b.set_position(next);
                }
            }
            if let Some(b) = pb {
                b.finish_and_clear();
            }
            (header, size)
        }
    };
    w.flush().map_err(io)?;
    w.get_ref().sync_all().map_err(io)?;
    drop(w);
    fs::rename(&tmp, out_path).map_err(|e| CliError::file(out_path, &e))?;
    Ok((header.origin, size))
}

fn archive_header(origin: &str, vkey: String, note: &str) -> LogArchive {
    LogArchive {
        format: ARCHIVE_FORMAT.into(),
        origin: origin.to_owned(),
        vkey,
        checkpoint: note.to_owned(),
    }
}
