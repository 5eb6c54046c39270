//! `madini export` and `madini report`: ICGLR and EPCIS documents and the
//! public reports (taxes, flows, actors, sites), recomputed on this device
//! from the log's raw leaves with ledger-core's `export` module, the code
//! the node runs, so the figures can be checked against the node's.
//!
//! The leaves come from a log archive (`--archive`) or are fetched from the
//! node into a temporary archive; either way they must hash to a checkpoint
//! signed by the log key this device trusts, or nothing is computed.

use std::fs;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ledger_core::export::epcis::{self, Header, Selection};
use ledger_core::export::to_json_pretty;
use ledger_core::export::views::{self, Kind, What};
use ledger_core::note::{Checkpoint, open_checkpoint};
use ledger_core::types::{Id, Millis, Origin};
use ledger_core::verify::Frontier;
use serde_json::{Value, json};

use crate::client::now_ms;
use crate::config::write_atomic;
use crate::ctx::{Ctx, enc};
use crate::error::{CliError, Exit, Result};
use crate::out::{self, Table};
use crate::verify::{VerifyOpts, fetch_to, trusted_key};
use crate::{msg, outln, outp, parse};

/// A whole log on disk, checked against a trusted checkpoint.
pub struct LogFile {
    path: PathBuf,
    temp: bool,
    /// The log's origin.
    pub origin: String,
    /// The verified checkpoint.
    pub checkpoint: Checkpoint,
}

impl Drop for LogFile {
    fn drop(&mut self) {
        if self.temp {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl LogFile {
    /// Opens `archive`, or fetches the node's log into a temporary archive;
    /// checks the leaves hash to the trusted checkpoint.
    ///
    /// # Errors
    /// Untrusted or inconsistent data (exit 3), I/O.
    pub fn open(ctx: &Ctx, archive: Option<&Path>, opts: &VerifyOpts) -> Result<LogFile> {
        let (path, temp) = match archive {
            Some(p) => (p.to_path_buf(), false),
            None => {
                let dir = ctx.paths.data.join("tmp");
                fs::create_dir_all(&dir).map_err(|e| CliError::file(&dir, &e))?;
                let p = dir.join(format!("log-{}-{}.archive", std::process::id(), now_ms()));
                fetch_to(ctx, &p)?;
                (p, true)
            }
        };
        let (header, _) = crate::verify::open_archive(&path)?;
        let key = trusted_key(ctx, opts, &header.origin)?;
        let checkpoint = open_checkpoint(&header.checkpoint, &key)
            .map_err(|e| CliError::trust(msg!("cli-exports-log-s-checkpoint-does", error = e)))?;
        let f = LogFile {
            path,
            temp,
            origin: header.origin,
            checkpoint,
        };
        f.check_root()?;
        Ok(f)
    }

    /// The leaves, in order, read from the file.
    pub fn leaves(&self) -> impl Iterator<Item = std::result::Result<(u64, Vec<u8>), String>> {
        let it: Box<dyn Iterator<Item = std::result::Result<Vec<u8>, String>>> =
            match crate::verify::open_archive(&self.path) {
                Ok((_, leaves)) => Box::new(leaves),
                Err(e) => Box::new(std::iter::once(Err(e.message))),
            };
        it.enumerate().map(|(i, l)| l.map(|l| (i as u64, l)))
    }

    fn check_root(&self) -> Result<()> {
        let mut f = Frontier::default();
        for item in self.leaves() {
            let (_, leaf) = item.map_err(CliError::trust)?;
            f.push(ledger_core::hash::leaf_hash(&leaf));
        }
        let cp = &self.checkpoint;
        if f.size() != cp.size || f.root() != cp.root {
            let (n, m) = (f.size(), cp.size);
            return Err(CliError::trust(msg!(
                "cli-exports-log-s-leaves-do",
                leaves = n,
                size = m
            )));
        }
        Ok(())
    }

    fn last_record_time(&self) -> u64 {
        self.leaves()
            .filter_map(std::result::Result::ok)
            .last()
            .map_or(0, |(_, l)| views::record_time(&l))
    }
}

/// `madini export`.
#[derive(Subcommand)]
pub enum ExportCmd {
    /// ICGLR data-standard documents, one JSON file per document in DIR.
    Icglr {
        /// sites (MD.01), lots (MD.12), certificates (MD.03) or entities (MD.04).
        #[arg(long)]
        what: String,
        /// Directory to write into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Read the log from an archive instead of the node.
        #[arg(long, value_name = "FILE")]
        archive: Option<PathBuf>,
        #[command(flatten)]
        opts: VerifyOpts,
    },
    /// A GS1 EPCIS 2.0 document: one lot's provenance, a time window, or everything.
    Epcis {
        /// One lot and everything it came from.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        lot: Option<Id>,
        /// Entries recorded from this date (included).
        #[arg(long, value_parser = parse::millis)]
        from: Option<Millis>,
        /// Entries recorded until this date (excluded).
        #[arg(long, value_parser = parse::millis)]
        to: Option<Millis>,
        /// File to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Read the log from an archive instead of the node.
        #[arg(long, value_name = "FILE")]
        archive: Option<PathBuf>,
        #[command(flatten)]
        opts: VerifyOpts,
    },
}

/// `madini report`.
#[derive(Args)]
pub struct ReportArgs {
    /// taxes, flows, actors or sites.
    pub kind: String,
    /// table, json, csv, or geojson (sites).
    #[arg(long, default_value = "table")]
    pub format: String,
    /// For taxes as CSV: lines, periods or untaxed.
    #[arg(long)]
    pub part: Option<String>,
    /// Year of "production this year" (default: the year of the last entry).
    #[arg(long)]
    pub year: Option<i64>,
    /// Recompute from the raw log on this device instead of asking the node.
    #[arg(long)]
    pub from_log: bool,
    /// Recompute from a log archive (implies --from-log).
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
    #[command(flatten)]
    pub opts: VerifyOpts,
}

/// Threads to decode leaves on.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn bad(e: String) -> CliError {
    CliError::input(e)
}

/// Runs `madini export`.
///
/// # Errors
/// Bad options, untrusted data, I/O.
pub fn export(ctx: &Ctx, c: ExportCmd) -> Result<Exit> {
    match c {
        ExportCmd::Icglr {
            what,
            out: dir,
            archive,
            opts,
        } => {
            let w = What::parse(&what).ok_or_else(|| {
                CliError::input(msg!(
                    "cli-exports-what-use-sites-lots",
                    what = format!("{what:?}")
                ))
            })?;
            let log = LogFile::open(ctx, archive.as_deref(), &opts)?;
            let catalog = views::compute_catalog(log.leaves(), cores()).map_err(CliError::trust)?;
            fs::create_dir_all(&dir).map_err(|e| CliError::file(&dir, &e))?;
            let ids = views::ids(&catalog, w);
            for id in &ids {
                if let Some(doc) = views::document(&catalog, w, id) {
                    let name: String = id
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() || "-_.+".contains(c) {
                                c
                            } else {
                                '_'
                            }
                        })
                        .collect();
                    write_atomic(
                        &dir.join(format!("{name}.json")),
                        to_json_pretty(&doc).as_bytes(),
                        0o644,
                    )?;
                }
            }
            // Actors without full MD.09 contact details make every document
            // naming them fail the ICGLR schema: say which, and the fix.
            let gaps = catalog.contact_gaps();
            if ctx.json {
                let gaps: Vec<Value> = gaps
                    .iter()
                    .map(|(id, f)| json!({"actor": id, "fields": f}))
                    .collect();
                out::json(&json!({
                    "what": what,
                    "documents": ids.len(),
                    "dir": dir.display().to_string(),
                    "incomplete_contacts": gaps,
                }));
            } else {
                let (n, d) = (ids.len(), dir.display());
                outln!(
                    "{}",
                    msg!(
                        "cli-exports-icglr-documents-written",
                        count = n,
                        what = what,
                        dir = d
                    )
                );
                for (id, fields) in &gaps {
                    let f = fields.join(", ");
                    eprintln!(
                        "{}",
                        msg!("cli-exports-warning-actor-lacks-icglr", id = id, fields = f)
                    );
                }
            }
            Ok(Exit::Ok)
        }
        ExportCmd::Epcis {
            lot,
            from,
            to,
            out: file,
            archive,
            opts,
        } => {
            let selection = match (lot, from, to) {
                (Some(l), _, _) => Selection::Lot(l),
                (None, None, None) => Selection::All,
                (None, f, t) => Selection::Window {
                    from: f.map_or(0, |m| m.0),
                    to: t.map_or(u64::MAX, |m| m.0),
                },
            };
            let log = LogFile::open(ctx, archive.as_deref(), &opts)?;
            let header = Header {
                origin: Origin::new(log.origin.clone()).map_err(|e| bad(e.0.to_string()))?,
                created: log.last_record_time(),
            };
            // Streamed to the file as it is produced: a whole national log
            // is gigabytes of JSON, and memory stays flat.
            let mut failure: Option<CliError> = None;
            let mut summary = None;
            let written = crate::config::write_atomic_with(&file, 0o644, |w| {
                let mut sink = IoSink { w, err: None };
                match epcis::write_document(&mut sink, &header, selection, || log.leaves()) {
                    Ok(s) => {
                        summary = Some(s);
                        Ok(())
                    }
                    // The disk failed: reported below as a file error.
                    Err(_) if sink.err.is_some() => Err(sink
                        .err
                        .take()
                        .unwrap_or_else(|| std::io::Error::other("write failed"))),
                    // The log failed to read or verify.
                    Err(e) => {
                        failure = Some(CliError::trust(e.to_string()));
                        Err(std::io::Error::other("export failed"))
                    }
                }
            });
            if let Some(f) = failure {
                return Err(f);
            }
            written.map_err(|e| CliError::file(&file, &e))?;
            let summary = summary.expect("a written document has a summary");
            if ctx.json {
                out::json(
                    &json!({"file": file.display().to_string(), "summary": format!("{summary:?}")}),
                );
            } else {
                let f = file.display();
                outln!("{}", msg!("cli-exports-epcis-document-written", file = f));
            }
            Ok(Exit::Ok)
        }
    }
}

/// Runs `madini report`.
///
/// # Errors
/// Bad options, untrusted data, an unreachable node.
pub fn report(ctx: &Ctx, a: ReportArgs) -> Result<Exit> {
    let kind = Kind::parse(&a.kind).ok_or_else(|| {
        CliError::input(msg!(
            "cli-exports-no-report-use-taxes",
            kind = format!("{:?}", a.kind)
        ))
    })?;
    let format = if ctx.json {
        "json".to_string()
    } else {
        a.format.clone()
    };
    let wire = if format == "table" {
        "json"
    } else {
        format.as_str()
    };
    let body = if a.from_log || a.archive.is_some() {
        let log = LogFile::open(ctx, a.archive.as_deref(), &a.opts)?;
        let year = a
            .year
            .unwrap_or_else(|| views::default_year(log.last_record_time()));
        let r = views::compute_reports(year, log.leaves(), cores()).map_err(CliError::trust)?;
        views::render(&r, kind, wire, a.part.as_deref())
            .map_err(bad)?
            .body
    } else {
        ctx.node().log()?;
        let mut q = format!("/v1/reports/{}?format={}", enc(&a.kind), enc(wire));
        if let Some(p) = &a.part {
            q.push_str(&format!("&part={}", enc(p)));
        }
        if let Some(y) = a.year {
            q.push_str(&format!("&year={y}"));
        }
        raw(ctx, &q)?
    };
    if format != "table" {
        outp!("{body}");
        if !body.ends_with('\n') {
            outln!();
        }
        return Ok(Exit::Ok);
    }
    let v: Value = serde_json::from_str(&body).map_err(|e| CliError::trust(e.to_string()))?;
    table(kind, &v);
    Ok(Exit::Ok)
}

/// A node response body as text (reports come as JSON, CSV or GeoJSON).
fn raw(ctx: &Ctx, path: &str) -> Result<String> {
    let url = format!("{}{path}", ctx.node_url);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(600)))
        .build()
        .into();
    let mut resp = agent
        .get(&url)
        .call()
        .map_err(|e| crate::client::unreachable(&ctx.node_url, &e.to_string()))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(1 << 31)
        .read_to_string()
        .map_err(|e| crate::client::unreachable(&ctx.node_url, &e.to_string()))?;
    if status >= 400 {
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        return Err(crate::client::Problem::from_json(status, &v).refusal());
    }
    Ok(text)
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn kg(v: &Value) -> String {
    v.as_u64().map_or_else(|| s(v), parse::kg)
}

fn table(kind: Kind, v: &Value) {
    match kind {
        Kind::Taxes => {
            let mut t = Table::new([
                msg!("cli-exports-month"),
                msg!("cli-exports-country"),
                msg!("cli-exports-mineral"),
                msg!("cli-exports-produced"),
                msg!("cli-exports-exported"),
                msg!("cli-exports-taxes"),
            ]);
            for p in v["periods"].as_array().into_iter().flatten() {
                t.row([
                    s(&p["month"]),
                    s(&p["country"]),
                    s(&p["mineral"]),
                    kg(&p["produced_g"]),
                    kg(&p["exported_g"]),
                    p["taxes"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|x| format!("{} {}", s(&x["amount"]), s(&x["currency"])))
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .filter(|x| !x.is_empty())
                        .unwrap_or_else(|| "-".into()),
                ]);
            }
            t.print();
            let untaxed = v["untaxed_exports"].as_array().map_or(0, Vec::len);
            outln!();
            outln!(
                "{}",
                msg!("cli-exports-exports-no-tax-recorded", untaxed = untaxed)
            );
            for u in v["untaxed_exports"].as_array().into_iter().flatten() {
                outln!("  {} ({})", s(&u["lot"]), s(&u["index"]));
            }
        }
        Kind::Flows => {
            let mut t = Table::new([
                msg!("cli-exports-country"),
                msg!("cli-exports-site"),
                msg!("cli-exports-mineral"),
                msg!("cli-exports-produced"),
                msg!("cli-exports-transferred"),
                msg!("cli-exports-exported"),
            ]);
            for r in v["totals"].as_array().into_iter().flatten() {
                t.row([
                    s(&r["country"]),
                    s(&r["site"]),
                    s(&r["mineral"]),
                    kg(&r["produced_g"]),
                    kg(&r["transferred_g"]),
                    kg(&r["exported_g"]),
                ]);
            }
            t.print();
        }
        Kind::Actors => {
            let mut t = Table::new([
                msg!("cli-exports-actor"),
                msg!("cli-exports-name"),
                msg!("cli-exports-country"),
                msg!("cli-exports-roles"),
            ]);
            for a in v["actors"].as_array().into_iter().flatten() {
                let roles = a["roles"]
                    .as_array()
                    .map(|r| r.iter().map(s).collect::<Vec<_>>().join(","))
                    .unwrap_or_default();
                t.row([s(&a["id"]), s(&a["name"]), s(&a["country"]), roles]);
            }
            t.print();
        }
        Kind::Sites => {
            let mut t = Table::new([
                msg!("cli-exports-site"),
                msg!("cli-exports-name"),
                msg!("cli-exports-status"),
                msg!("cli-exports-last-inspection"),
                msg!("cli-exports-year"),
                msg!("cli-exports-capacity-year"),
            ]);
            for x in v["sites"].as_array().into_iter().flatten() {
                t.row([
                    s(&x["id"]),
                    s(&x["name"]),
                    s(&x["status_name"]),
                    s(&x["last_inspection"]),
                    kg(&x["produced_year_g"]),
                    kg(&x["capacity_year_g"]),
                ]);
            }
            t.print();
        }
    }
}

/// A `fmt::Write` over an `io::Write`, keeping the first I/O error so the
/// user is told what the disk said, not just that the writer failed.
struct IoSink<'a> {
    w: &'a mut dyn std::io::Write,
    err: Option<std::io::Error>,
}

impl std::fmt::Write for IoSink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.w.write_all(s.as_bytes()).map_err(|e| {
            self.err.get_or_insert(e);
            std::fmt::Error
        })
    }
}
