//! Feeding registries (`spec/exports.md`, `spec/http.md`): reports, ICGLR
//! documents and EPCIS documents, computed from the log's leaves by
//! ledger-core's `export` module, the same code `madini report --from-log`
//! and `madini export` run, so anyone can recompute every figure. Reports
//! and the ICGLR catalog are cached per tree size; EPCIS documents are
//! streamed as they are produced.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ledger_core::export::epcis::{self, Header, Selection};
use ledger_core::export::icglr::Catalog;
use ledger_core::export::report::Reports;
use ledger_core::export::views::{self, Kind, What};
use ledger_core::types::Id;
use ledger_core::wire::IcglrPage;
use serde_json::Value;

use crate::api::{AppState, Json, P, P2, Problem, Q};
use crate::ledger::Ledger;

/// The `year` a report may be asked for.
pub const YEARS: std::ops::RangeInclusive<i64> = 1970..=9999;

/// The renderings of `GET /v1/reports/{kind}?format=`.
pub const FORMATS: &[&str] = &["json", "csv", "geojson"];
/// The tables of `GET /v1/reports/taxes?format=csv&part=`.
pub const PARTS: &[&str] = &["lines", "periods", "untaxed"];

/// Cached views of one tree size.
#[derive(Default)]
pub struct Views {
    reports: Mutex<Option<(u64, i64, Arc<Reports>)>>,
    catalog: Mutex<Option<(u64, Arc<Catalog>)>>,
}

/// The leaves of the tree of `size`, in order.
fn leaves(l: &Ledger, size: u64) -> impl Iterator<Item = Result<(u64, Vec<u8>), String>> + '_ {
    l.leaves(0, size).map(|r| r.map_err(|e| e.to_string()))
}

fn last_record_time(l: &Ledger, size: u64) -> u64 {
    if size == 0 {
        return 0;
    }
    l.leaf(size - 1)
        .ok()
        .flatten()
        .map_or(0, |b| views::record_time(&b))
}

/// The reports of the current tree (for `year`, default the last entry's),
/// cached per tree size.
pub(crate) fn reports(s: &AppState, year: Option<i64>) -> Result<(Arc<Reports>, u64), Problem> {
    let l = &s.ledger;
    let size = l.checkpoint().size;
    let year = year.unwrap_or_else(|| views::default_year(last_record_time(l, size)));
    // A panic while computing (a bug) leaves the cache as it was: recover
    // the lock rather than refuse every later report.
    let mut cache = s
        .views
        .reports
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((n, y, r)) = cache.as_ref()
        && *n == size
        && *y == year
    {
        return Ok((r.clone(), size));
    }
    let r = Arc::new(
        views::compute_reports(year, leaves(l, size), s.cores).map_err(Problem::internal)?,
    );
    *cache = Some((size, year, r.clone()));
    Ok((r, size))
}

fn catalog(s: &AppState) -> Result<Arc<Catalog>, Problem> {
    let l = &s.ledger;
    let size = l.checkpoint().size;
    let mut cache = s
        .views
        .catalog
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((n, c)) = cache.as_ref()
        && *n == size
    {
        return Ok(c.clone());
    }
    let c = Arc::new(views::compute_catalog(leaves(l, size), s.cores).map_err(Problem::internal)?);
    *cache = Some((size, c.clone()));
    Ok(c)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Problem::internal(e.to_string()))?
}

/// `GET /v1/reports/{kind}?format=json|csv|geojson&part=&year=`: the body
/// is JSON, CSV or GeoJSON by `format`, so it is rendered by ledger-core
/// and sent with its media type.
pub async fn report(State(s): State<AppState>, P(kind): P, q: Q) -> Result<Response, Problem> {
    let kind = Kind::parse(&kind).ok_or_else(|| {
        Problem::bad_parameter(format!(
            "no report {kind:?}: use taxes, flows, actors or sites"
        ))
    })?;
    // Unknown values are refused whatever the kind, before any work; which
    // formats and parts a kind has is `views::render`'s to say.
    let format = q.0.get("format").cloned().unwrap_or_else(|| "json".into());
    if !FORMATS.contains(&format.as_str()) {
        return Err(Problem::bad_parameter(format!(
            "format={format:?}: use json, csv or geojson"
        )));
    }
    let part = q.0.get("part").cloned();
    if let Some(p) = &part
        && !PARTS.contains(&p.as_str())
    {
        return Err(Problem::bad_parameter(format!(
            "part={p:?}: use lines, periods or untaxed"
        )));
    }
    let year = match q.0.get("year") {
        None => None,
        // The years a record time can fall in (`time::parse` starts at
        // 1970); outside them the report arithmetic would overflow.
        Some(y) => Some(
            y.parse::<i64>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| {
                    Problem::bad_parameter(format!(
                        "year={y:?} is not a year from {} to {}",
                        YEARS.start(),
                        YEARS.end()
                    ))
                })?,
        ),
    };
    let st = s.clone();
    let r = blocking(move || {
        let (r, _) = reports(&st, year)?;
        views::render(&r, kind, &format, part.as_deref()).map_err(Problem::bad_parameter)
    })
    .await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, r.media_type)],
        r.body,
    )
        .into_response())
}

fn what(w: &str) -> Result<What, Problem> {
    What::parse(w).ok_or_else(|| {
        Problem::bad_parameter(format!(
            "no ICGLR document kind {w:?}: use sites, lots, certificates or entities"
        ))
    })
}

/// `GET /v1/icglr/{what}?offset=&limit=`: documents in id order, a page at a time.
pub async fn icglr_list(
    State(s): State<AppState>,
    P(w): P,
    q: Q,
) -> Result<Json<IcglrPage>, Problem> {
    let w = what(&w)?;
    let offset = q.u64("offset")?.unwrap_or(0);
    let limit = q.u64("limit")?.unwrap_or(100).clamp(1, 1000);
    let st = s.clone();
    let page = blocking(move || {
        let c = catalog(&st)?;
        let ids = views::ids(&c, w);
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let documents: Vec<_> = ids
            .iter()
            .skip(start)
            .take(limit as usize)
            .filter_map(|id| views::document(&c, w, id))
            .collect();
        let total = ids.len() as u64;
        let end = offset.saturating_add(documents.len() as u64);
        Ok(IcglrPage {
            total,
            offset,
            next: (end < total).then_some(end),
            documents,
        })
    })
    .await?;
    Ok(Json(page))
}

/// `GET /v1/icglr/{what}/{id}`: one document, as ledger-core writes it.
pub async fn icglr_doc(State(s): State<AppState>, P2(w, id): P2) -> Result<Json<Value>, Problem> {
    let w = what(&w)?;
    let st = s.clone();
    let doc = blocking(move || {
        let c = catalog(&st)?;
        views::document(&c, w, &id)
            .ok_or_else(|| Problem::not_found(format!("no such document: {id:?}")))
    })
    .await?;
    Ok(Json(doc))
}

fn time_param(q: &HashMap<String, String>, name: &str) -> Result<Option<u64>, Problem> {
    match q.get(name) {
        None => Ok(None),
        Some(v) => {
            // Milliseconds: 1 to 15 digits (up to the year 33658), so the
            // value is an integer every JSON client holds exactly.
            if (1..=15).contains(&v.len())
                && v.bytes().all(|b| b.is_ascii_digit())
                && let Ok(ms) = v.parse::<u64>()
            {
                return Ok(Some(ms));
            }
            ledger_core::time::parse(v)
                .map(Some)
                .map_err(|e| Problem::bad_parameter(format!("{name}: {e}")))
        }
    }
}

/// `GET /v1/epcis/events?lot=L` (one lot's provenance) or `?from=&to=`
/// (record times, ms or dates; `to` excluded), or everything: an EPCIS 2.0
/// document, streamed.
pub async fn epcis(State(s): State<AppState>, q: Q) -> Result<Response, Problem> {
    // Every parameter is checked, and a lot and a time window together are
    // refused rather than the window silently ignored.
    let from = time_param(&q.0, "from")?;
    let to = time_param(&q.0, "to")?;
    let selection = match (q.0.get("lot"), from, to) {
        (Some(lot), None, None) => {
            Selection::Lot(Id::new(lot.clone()).map_err(|e| Problem::bad_parameter(e.0))?)
        }
        (Some(_), _, _) => {
            return Err(Problem::bad_parameter(
                "ask for a lot or for a time window (from, to), not both",
            ));
        }
        (None, None, None) => Selection::All,
        (None, f, t) => Selection::Window {
            from: f.unwrap_or(0),
            to: t.unwrap_or(u64::MAX),
        },
    };
    let ledger = s.ledger.clone();
    let size = ledger.checkpoint().size;
    let header = Header {
        origin: ledger.origin.clone(),
        created: last_record_time(&ledger, size),
    };
    // First pass (lineage, corrections) before answering, so a bad leaf is
    // a clean error rather than a truncated document.
    let l2 = ledger.clone();
    let plan = blocking(move || {
        epcis::plan(selection, leaves(&l2, size)).map_err(|e| Problem::internal(e.to_string()))
    })
    .await?;
    // Second pass on a blocking thread, chunks handed over a small channel.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        for chunk in epcis::chunks(header, plan, leaves(&ledger, size), 256 * 1024) {
            let item = chunk.map_err(|e| std::io::Error::other(e.to_string()));
            let stop = item.is_err();
            if tx.blocking_send(item).is_err() || stop {
                break;
            }
        }
    });
    // Fused: the compression layer may poll again after the end.
    let stream =
        futures_util::StreamExt::fuse(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        }));
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/ld+json")],
        Body::from_stream(stream),
    )
        .into_response())
}
