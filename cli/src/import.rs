//! Bulk imports: actors and sites from CSV files. Every row is checked on
//! its own; good rows are signed and recorded, bad rows are reported with
//! their row number and reason, and a bad row never stops or spoils a good
//! one. Each row is one event, so no record is ever written in part.
//!
//! Columns (header row required, any order; lists separated by `;`):
//! - actors: `id,name,country,roles,public_keys` and optional
//!   `tin,locality,region_code,region,representative,phone,email`
//! - sites: `id,name,lat,lon,minerals,capacity,operators` and optional
//!   `national_id,region_code,region,locality,activity,capacity_days`
//!   (`capacity` is a mass such as `3t`; `capacity_days` defaults to 30)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use ledger_core::event::{ActorRegister, Body, SiteRegister};
use ledger_core::types::{Activity, Days, Grams, Text, ValueError};
use serde_json::{Value, json};

use crate::ctx::Ctx;
use crate::error::{CliError, Exit, Result};
use crate::out::{self, Table};
use crate::parse::{self, When};
use crate::registry::{ActorArgs, SiteArgs, actor_record, site_record};
use crate::{msg, outln};

/// Import commands.
#[derive(Subcommand)]
pub enum ImportCmd {
    /// Register actors from a CSV file (authority).
    Actors {
        /// The CSV file.
        file: PathBuf,
    },
    /// Register mine sites from a CSV file (authority).
    Sites {
        /// The CSV file.
        file: PathBuf,
    },
    /// Register mine sites from ICGLR MD.01 JSON (one record or an array).
    IcglrSites {
        /// The JSON file.
        file: PathBuf,
        /// Capacity for records that state none (e.g. 3t).
        #[arg(long, value_parser = parse::mass)]
        capacity: Option<Grams>,
        /// Its window in days.
        #[arg(long, default_value = "30", value_parser = parse::days)]
        capacity_days: Days,
    },
    /// Register business entities from ICGLR MD.04 JSON; their keys and
    /// roles come from a CSV file `id,roles,public_keys`.
    IcglrEntities {
        /// The JSON file.
        file: PathBuf,
        /// CSV of each entity's Madini roles and public keys.
        #[arg(long, value_name = "FILE")]
        credentials: PathBuf,
    },
}

const ACTOR_COLS: &[&str] = &[
    "id",
    "name",
    "country",
    "roles",
    "public_keys",
    "tin",
    "locality",
    "region_code",
    "region",
    "representative",
    "phone",
    "email",
];
const ACTOR_REQUIRED: &[&str] = &["id", "name", "country", "roles", "public_keys"];
const SITE_COLS: &[&str] = &[
    "id",
    "name",
    "lat",
    "lon",
    "minerals",
    "capacity",
    "operators",
    "national_id",
    "region_code",
    "region",
    "locality",
    "activity",
    "capacity_days",
];
const SITE_REQUIRED: &[&str] = &[
    "id",
    "name",
    "lat",
    "lon",
    "minerals",
    "capacity",
    "operators",
];

/// One CSV row by column name; empty cells are absent.
type Row = BTreeMap<String, String>;

/// An event to sign for one record: its body, or why the record is bad.
pub type Built = Result<Body>;

/// One input record: its row number (or position), its id, and the event.
pub type Record = (usize, String, Built);

/// Reads a CSV file's rows by column name. A bad header fails the whole file;
/// a malformed row (wrong number of cells, not UTF-8) is that row's error only,
/// so the good rows around it are still imported.
fn read_csv(path: &Path, cols: &[&str], required: &[&str]) -> Result<Vec<(usize, Result<Row>)>> {
    let p = path.display().to_string();
    let mut rd = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_path(path)
        .map_err(|e| CliError::input(msg!("cli-import-cannot-read", path = p, error = e)))?;
    let headers: Vec<String> = rd
        .headers()
        .map_err(|e| CliError::input(format!("{p}: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let expected = cols.join(",");
    for h in &headers {
        if !cols.contains(&h.as_str()) {
            return Err(CliError::input(msg!(
                "cli-import-unknown-column",
                path = p,
                column = format!("{h:?}")
            ))
            .hint(msg!("cli-import-columns", expected = expected)));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            return Err(CliError::input(msg!(
                "cli-import-required-column-missing",
                path = p,
                column = format!("{r:?}")
            ))
            .hint(msg!("cli-import-columns", expected = expected)));
        }
    }
    let mut rows = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let n = i + 2;
        let row = rec
            .map(|rec| {
                headers
                    .iter()
                    .zip(rec.iter())
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(h, v)| (h.clone(), v.to_string()))
                    .collect::<Row>()
            })
            .map_err(|e| CliError::input(msg!("cli-import-row", path = p, row = n, error = e)));
        rows.push((n, row));
    }
    Ok(rows)
}

fn list(row: &Row, k: &str) -> Vec<String> {
    row.get(k)
        .map(|v| {
            v.split([';', '|'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A cell read with `parse` (one of `parse`'s value parsers or a type's
/// `FromStr`), the error naming the column as an option's error names the
/// option; `None` when the cell is empty.
fn cell<T, E: std::fmt::Display>(
    row: &Row,
    col: &str,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
) -> Result<Option<T>> {
    row.get(col)
        .map(|v| parse(v).map_err(|e| CliError::input(format!("{col}: {e}"))))
        .transpose()
}

/// A required cell (`read_csv` has checked that the column exists).
fn need<T, E: std::fmt::Display>(
    row: &Row,
    col: &str,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
) -> Result<T> {
    cell(row, col, parse)?.ok_or_else(|| CliError::input(msg!("cli-import-required", col = col)))
}

/// A `;`-separated list cell, each item read with `parse`.
fn cells<T, E: std::fmt::Display>(
    row: &Row,
    col: &str,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
) -> Result<Vec<T>> {
    list(row, col)
        .iter()
        .map(|v| parse(v).map_err(|e| CliError::input(format!("{col}: {e}"))))
        .collect()
}

fn text(s: &str) -> std::result::Result<Text, ValueError> {
    s.parse()
}

fn actor_row(row: &Row) -> Built {
    let a = ActorArgs {
        id: need(row, "id", str::parse)?,
        name: cell(row, "name", text)?,
        country: cell(row, "country", parse::country)?,
        roles: cells(row, "roles", parse::role)?,
        keys: cells(row, "public_keys", parse::public_key)?,
        key_images: Vec::new(),
        tin: cell(row, "tin", text)?,
        locality: cell(row, "locality", text)?,
        region_code: cell(row, "region_code", text)?,
        region: cell(row, "region", text)?,
        representative: cell(row, "representative", text)?,
        phone: cell(row, "phone", str::parse)?,
        email: cell(row, "email", text)?,
        when: When::default(),
    };
    Ok(Body::ActorRegister(ActorRegister {
        actor: actor_record(&a)?,
    }))
}

fn site_row(row: &Row) -> Built {
    let a = SiteArgs {
        id: need(row, "id", str::parse)?,
        national_id: cell(row, "national_id", str::parse)?,
        name: need(row, "name", text)?,
        lat: need(row, "lat", parse::lat)?,
        lon: need(row, "lon", parse::lon)?,
        region_code: cell(row, "region_code", text)?,
        region: cell(row, "region", text)?,
        locality: cell(row, "locality", text)?,
        minerals: cells(row, "minerals", parse::mineral)?,
        activity: cell(row, "activity", parse::activity)?.unwrap_or(Activity(1)),
        capacity: need(row, "capacity", parse::mass)?,
        capacity_days: cell(row, "capacity_days", parse::days)?.unwrap_or(Days(30)),
        operators: cells(row, "operators", str::parse)?,
        when: When::default(),
    };
    Ok(Body::SiteRegister(SiteRegister {
        site: site_record(&a)?,
    }))
}

/// Runs an import.
///
/// # Errors
/// An unreadable file or untrusted node; row errors are reported, not returned.
pub fn run(ctx: &Ctx, c: ImportCmd) -> Result<Exit> {
    let (path, rows, to_event): (PathBuf, _, fn(&Row) -> Built) = match c {
        ImportCmd::IcglrSites {
            file,
            capacity,
            capacity_days,
        } => return icglr_sites(ctx, &file, capacity, capacity_days),
        ImportCmd::IcglrEntities { file, credentials } => {
            return icglr_entities(ctx, &file, &credentials);
        }
        ImportCmd::Actors { file } => {
            let rows = read_csv(&file, ACTOR_COLS, ACTOR_REQUIRED)?;
            (file, rows, actor_row)
        }
        ImportCmd::Sites { file } => {
            let rows = read_csv(&file, SITE_COLS, SITE_REQUIRED)?;
            (file, rows, site_row)
        }
    };
    let records: Vec<Record> = rows
        .into_iter()
        .map(|(n, row)| match row {
            Ok(row) => (
                n,
                row.get("id").cloned().unwrap_or_default(),
                to_event(&row),
            ),
            Err(e) => (n, String::new(), Err(e)),
        })
        .collect();
    import_records(ctx, &path, records)
}

/// Signs every good record, queues them together, pushes them with a
/// progress bar and reports each record's fate. Shared by every importer.
///
/// # Errors
/// Local I/O or an untrusted node.
pub fn import_records(ctx: &Ctx, path: &Path, records: Vec<Record>) -> Result<Exit> {
    let mut fates: Vec<(usize, String, Value)> = Vec::new();
    let mut signed = Vec::new();
    for (n, id, r) in records {
        let built = r.and_then(|body| ctx.build(body, None, None));
        match built {
            Ok(s) => signed.push((n, id, s)),
            Err(e) => fates.push((n, id, json!({"status": "invalid", "error": e.message}))),
        }
    }
    let outbox = ctx.outbox()?;
    let lock = outbox.lock()?;
    let mut seqs = BTreeMap::new();
    for (n, id, (ev, event)) in &signed {
        let item = outbox.queue(ev, event, &lock)?;
        seqs.insert(item.seq, (*n, id.clone()));
    }
    let mut waiting = signed.len();
    if !ctx.offline {
        let total = outbox.pending()?.len();
        let bar = (!ctx.json).then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        let report = outbox.sync(ctx.node(), &lock, |done, _| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        })?;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        for f in &report.fates {
            if let Some((n, id)) = seqs.remove(&f.seq) {
                waiting -= 1;
                fates.push((
                    n,
                    id,
                    json!({"status": f.status, "index": f.index, "rule": f.rule, "error": f.detail}),
                ));
            }
        }
    }
    for (_, (n, id)) in seqs {
        fates.push((n, id, json!({"status": "queued"})));
    }
    fates.sort_by_key(|f| f.0);
    let count = |s: &str| fates.iter().filter(|f| f.2["status"] == s).count();
    let (ok, existing, refused, invalid) = (
        count("accepted"),
        count("existing"),
        count("refused"),
        count("invalid"),
    );
    if ctx.json {
        out::json(&json!({
            "file": path.display().to_string(),
            "rows": fates.iter().map(|(n, id, f)| { let mut v = f.clone(); v["row"] = json!(n); v["id"] = json!(id); v }).collect::<Vec<_>>(),
            "accepted": ok, "existing": existing, "refused": refused, "invalid": invalid, "queued": waiting,
        }));
    } else {
        let mut t = Table::new([
            msg!("cli-import-row-header"),
            "id".into(),
            msg!("cli-import-result"),
        ]);
        for (n, id, f) in &fates {
            let r = match f["status"].as_str().unwrap_or("") {
                "accepted" => msg!("cli-recorded-at-index", index = f["index"]),
                "existing" => msg!("cli-already-at-index", index = f["index"]),
                "queued" => msg!("cli-import-signed-waiting-outbox"),
                "refused" => msg!(
                    "cli-refused",
                    rule = f["rule"].as_str().unwrap_or(""),
                    detail = f["error"].as_str().unwrap_or("")
                ),
                _ => msg!(
                    "cli-import-invalid",
                    error = f["error"].as_str().unwrap_or("")
                ),
            };
            t.row([n.to_string(), id.clone(), r]);
        }
        t.print();
        outln!(
            "{}",
            msg!(
                "cli-import-recorded-already-there-refused",
                ok = ok,
                existing = existing,
                refused = refused,
                invalid = invalid,
                waiting = waiting
            )
        );
    }
    Ok(if refused + invalid > 0 {
        Exit::Input
    } else if waiting > 0 && !ctx.offline {
        Exit::Trust
    } else {
        Exit::Ok
    })
}

fn icglr_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| CliError::file(path, &e))
}

fn record_error(e: &ledger_core::export::icglr::RecordError) -> CliError {
    let problems: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
    CliError::input(problems.join("; "))
}

/// `madini import icglr-sites`: MD.01 records into `site.register` events.
/// Inspections in the records are reported, not signed: inspectors record them.
fn icglr_sites(ctx: &Ctx, path: &Path, capacity: Option<Grams>, days: Days) -> Result<Exit> {
    use ledger_core::export::icglr::{SiteImport, import_mine_sites};
    let default_capacity = capacity.map(|mass_g| ledger_core::event::Capacity { mass_g, days });
    let text = icglr_text(path)?;
    let results = import_mine_sites(
        &text,
        &SiteImport {
            default_capacity,
            state: None,
        },
    );
    let mut inspections = 0;
    let records: Vec<Record> = results
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(site) => {
                inspections += site.inspections.len();
                (
                    i + 1,
                    site.register.site.id.to_string(),
                    Ok(Body::SiteRegister(site.register.clone())),
                )
            }
            Err(e) => (e.record + 1, String::new(), Err(record_error(e))),
        })
        .collect();
    if inspections > 0 && !ctx.json {
        eprintln!(
            "{}",
            msg!(
                "cli-import-note-file-holds-inspections",
                inspections = inspections
            )
        );
    }
    import_records(ctx, path, records)
}

/// `madini import icglr-entities`: MD.04 records into `actor.register` events.
fn icglr_entities(ctx: &Ctx, path: &Path, credentials: &Path) -> Result<Exit> {
    use ledger_core::export::icglr::{Credentials, EntityImport, import_business_entities};
    let rows = read_csv(
        credentials,
        &["id", "roles", "public_keys"],
        &["id", "roles", "public_keys"],
    )?;
    let mut creds = std::collections::BTreeMap::new();
    for (n, row) in rows {
        // The credentials file is configuration, not data: it must be whole.
        let row = row?;
        let p = credentials.display();
        let id = row.get("id").cloned().unwrap_or_default();
        let roles = list(&row, "roles")
            .iter()
            .map(|r| parse::role(r))
            .collect::<std::result::Result<Vec<ledger_core::types::Role>, _>>()
            .map_err(|_| {
                CliError::input(msg!("cli-import-row-role-not-madini", path = p, row = n))
            })?;
        let keys = list(&row, "public_keys")
            .iter()
            .map(|k| parse::arg("public_keys", parse::public_key(k)))
            .collect::<Result<Vec<_>>>()?;
        creds.insert(id, Credentials { keys, roles });
    }
    let text = icglr_text(path)?;
    let results = import_business_entities(
        &text,
        &EntityImport {
            credentials: &creds,
            state: None,
        },
    );
    let records: Vec<Record> = results
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(a) => (
                i + 1,
                a.actor.id.to_string(),
                Ok(Body::ActorRegister(a.clone())),
            ),
            Err(e) => (e.record + 1, String::new(), Err(record_error(e))),
        })
        .collect();
    import_records(ctx, path, records)
}
