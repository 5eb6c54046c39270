//! The views the node serves and the CLI recomputes, from the same leaves
//! with the same code, so the bytes match: the reports in each format, the
//! ICGLR document lists, and the defaults both sides derive from the log
//! (`spec/exports.md` section 6).

use serde_json::{Value, json};

use super::icglr::Catalog;
use super::report::{self, Builder, Options, Reports};
use super::{EntryReader, to_json, to_json_lists};
use crate::leaf::Leaf;

/// The year reports count "production this year" in when none is asked
/// for: the year of the last entry's record time.
pub fn default_year(last_record_time: u64) -> i64 {
    crate::time::civil_from_days((last_record_time / 86_400_000) as i64).0
}

/// The record time of an encoded leaf (0 if it does not decode).
pub fn record_time(leaf: &[u8]) -> u64 {
    Leaf::decode(leaf).map_or(0, |l| l.record_time)
}

/// Leaves read per batch when decoding on several threads.
const BATCH: usize = 8192;

/// Reads `leaves` (in index order from 0) in batches, decoding each batch
/// on `threads` threads, and hands every entry `want` accepts to `f`.
fn each_entry<L: AsRef<[u8]> + Sync, E: std::fmt::Display>(
    leaves: impl IntoIterator<Item = Result<(u64, L), E>>,
    want: impl Fn(&str) -> bool + Sync,
    threads: usize,
    mut f: impl FnMut(&super::Entry) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = EntryReader::new();
    let mut it = leaves.into_iter();
    let mut batch: Vec<(u64, L)> = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        for item in it.by_ref().take(BATCH) {
            batch.push(item.map_err(|e| e.to_string())?);
        }
        if batch.is_empty() {
            return Ok(());
        }
        for e in reader
            .read_batch(&batch, &want, threads)
            .map_err(|e| e.to_string())?
        {
            f(&e)?;
        }
    }
}

/// Computes the reports from leaves in index order from 0, decoding on
/// `threads` threads.
///
/// # Errors
/// A leaf that does not decode or a total that overflows, as a sentence.
pub fn compute_reports<L: AsRef<[u8]> + Sync, E: std::fmt::Display>(
    year: i64,
    leaves: impl IntoIterator<Item = Result<(u64, L), E>>,
    threads: usize,
) -> Result<Reports, String> {
    let mut b = Builder::new(Options { year });
    each_entry(leaves, Builder::wants, threads, |e| {
        b.entry(e).map_err(|e| e.to_string())
    })?;
    b.finish().map_err(|e| e.to_string())
}

/// Builds the ICGLR catalog from leaves in index order from 0, decoding on
/// `threads` threads.
///
/// # Errors
/// A leaf that does not decode, as a sentence.
pub fn compute_catalog<L: AsRef<[u8]> + Sync, E: std::fmt::Display>(
    leaves: impl IntoIterator<Item = Result<(u64, L), E>>,
    threads: usize,
) -> Result<Catalog, String> {
    let mut c = Catalog::new();
    each_entry(leaves, Catalog::wants, threads, |e| {
        c.entry(e);
        Ok(())
    })?;
    Ok(c)
}

/// A report kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Tax monitoring.
    Taxes,
    /// Flow aggregates.
    Flows,
    /// The actor registry.
    Actors,
    /// The site registry.
    Sites,
}

impl Kind {
    /// Parses `taxes`, `flows`, `actors`, `sites`.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "taxes" => Kind::Taxes,
            "flows" => Kind::Flows,
            "actors" => Kind::Actors,
            "sites" => Kind::Sites,
            _ => return None,
        })
    }
}

/// A rendered report: its media type and bytes.
pub struct Rendered {
    /// `application/json`, `text/csv` or `application/geo+json`.
    pub media_type: &'static str,
    /// The document.
    pub body: String,
}

/// Renders one report. Formats: `json` for every kind; `csv` for every kind
/// (taxes: `part` = `lines` (default), `periods` or `untaxed`); `geojson`
/// for sites.
///
/// # Errors
/// A format the kind does not have, as a sentence.
pub fn render(
    r: &Reports,
    kind: Kind,
    format: &str,
    part: Option<&str>,
) -> Result<Rendered, String> {
    let json_of = |v: Value| Rendered {
        media_type: "application/json",
        body: to_json(&v),
    };
    let csv = |body: String| Rendered {
        media_type: "text/csv; charset=utf-8",
        body,
    };
    let v = |x: Result<Value, serde_json::Error>| x.map_err(|e| e.to_string());
    match (kind, format) {
        (Kind::Taxes, "json") => Ok(Rendered {
            media_type: "application/json",
            body: to_json_lists(&[
                ("lines", &r.tax.lines),
                ("periods", &r.tax.periods),
                ("untaxed_exports", &r.tax.untaxed_exports),
            ])
            .map_err(|e| e.to_string())?,
        }),
        (Kind::Taxes, "csv") => match part.unwrap_or("lines") {
            "lines" => Ok(csv(report::tax_lines_csv(&r.tax))),
            "periods" => Ok(csv(report::tax_periods_csv(&r.tax))),
            "untaxed" => Ok(csv(report::untaxed_exports_csv(&r.tax))),
            p => Err(format!("part {p:?}: use lines, periods or untaxed")),
        },
        (Kind::Flows, "json") => Ok(Rendered {
            media_type: "application/json",
            body: to_json_lists(&[("monthly", &r.flows.monthly), ("totals", &r.flows.totals)])
                .map_err(|e| e.to_string())?,
        }),
        (Kind::Flows, "csv") => Ok(csv(report::flows_csv(&r.flows.monthly))),
        (Kind::Actors, "json") => Ok(json_of(json!({
            "year": r.registry.year,
            "actors": v(serde_json::to_value(&r.registry.actors))?,
        }))),
        (Kind::Actors, "csv") => Ok(csv(report::actors_csv(&r.registry))),
        (Kind::Sites, "json") => Ok(json_of(json!({
            "year": r.registry.year,
            "sites": v(serde_json::to_value(&r.registry.sites))?,
        }))),
        (Kind::Sites, "csv") => Ok(csv(report::sites_csv(&r.registry))),
        (Kind::Sites, "geojson") => Ok(Rendered {
            media_type: "application/geo+json",
            body: to_json(&report::sites_geojson(&r.registry)),
        }),
        (_, f) => Err(format!(
            "format {f:?} is not available for this report: use json or csv (geojson for sites)"
        )),
    }
}

/// Which ICGLR documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// MD.01 mine sites (with MD.07 inspections and MD.10 status history).
    Sites,
    /// MD.12 lots (with MD.11 tag and MD.13 taxes).
    Lots,
    /// MD.03 export certificates.
    Certificates,
    /// MD.04 business entities.
    Entities,
}

impl What {
    /// Parses `sites`, `lots`, `certificates`, `entities`.
    pub fn parse(s: &str) -> Option<What> {
        Some(match s {
            "sites" => What::Sites,
            "lots" => What::Lots,
            "certificates" => What::Certificates,
            "entities" => What::Entities,
            _ => return None,
        })
    }
}

/// The ids of the documents of one kind, in order.
pub fn ids(c: &Catalog, what: What) -> Vec<String> {
    match what {
        What::Sites => c.site_ids().map(ToString::to_string).collect(),
        What::Lots => c.lot_ids().map(ToString::to_string).collect(),
        What::Certificates => c.cert_ids().map(ToString::to_string).collect(),
        What::Entities => c.actor_ids().map(ToString::to_string).collect(),
    }
}

/// One ICGLR document.
pub fn document(c: &Catalog, what: What, id: &str) -> Option<Value> {
    match what {
        What::Sites => c.mine_site(id),
        What::Lots => c.lot(id),
        What::Certificates => c.export_certificate(id),
        What::Entities => c.business_entity(id),
    }
}
