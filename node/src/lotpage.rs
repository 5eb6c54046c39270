//! The public lot page, `GET /lots/{lot}` and `GET /t/{tag}`: what a phone
//! shows after scanning a bag's QR code. Server-rendered (askama templates,
//! checked at compile time, escaped by default), no scripts, fonts or
//! trackers, small enough for a slow connection. The verdict comes from
//! running ledger-core's lot verifier on this node's own bundle of the lot,
//! so the page says exactly what `madini verify lot` would.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ledger_core::event::{Body, Event};
use ledger_core::i18n::Lang;
use ledger_core::t;
use ledger_core::text::{kg, percent as pct};
use ledger_core::types::Id;
use ledger_core::verify::{Policy, Severity, Verdict, verify_lot};

use crate::api::{AppState, P, Q};
use crate::lang::{Choice, Speaks};
use crate::ledger::{Ledger, decode_entry};
use crate::pages::html;

/// One step of the timeline.
struct Step {
    index: u64,
    entry: String,
    kind: String,
    what: String,
    date: String,
    actor: String,
    place: Option<String>,
    mass: Option<String>,
    grade: Option<String>,
    /// How long after the claimed time the node recorded it, when that is
    /// more than ten minutes (or the claimed time is after the recording).
    delay: Option<String>,
}

/// One finding in plain words.
struct Shown {
    rule: String,
    severity: &'static str,
    severity_text: String,
    text: String,
}

#[derive(Template)]
#[template(path = "lot.html")]
struct LotPage {
    lang: Lang,
    langs: Vec<Choice>,
    title: String,
    lot: String,
    lot_seg: String,
    verdict_id: &'static str,
    verdict_class: &'static str,
    verdict_text: String,
    mineral: String,
    mass: String,
    grade: String,
    custodian: String,
    /// "Offered to ..." for a pending offer: the page links to the field app.
    offered_to: Option<String>,
    status: String,
    tag: Option<String>,
    findings: Vec<Shown>,
    steps: Vec<Step>,
    origin: String,
    entries: String,
    /// Provenance graph and path map, drawn by `public.rs`.
    pieces: crate::public::LotPieces,
}

impl Speaks for LotPage {
    fn lang(&self) -> Lang {
        self.lang
    }
}

fn what(ev: &Event, l: Lang) -> String {
    let join = |v: Vec<&str>, sep: &str| v.join(sep);
    match &ev.body {
        Body::LotRegister(b) => t!(l, "pages-step-register", tag = b.tag.as_str()),
        Body::LotOffer(b) => t!(l, "pages-step-offer", to = b.to.as_str()),
        Body::LotAccept(_) => t!(l, "pages-step-accept"),
        Body::LotRefuse(_) => t!(l, "pages-step-refuse"),
        Body::LotSplit(b) => {
            let kids = b.children.iter().map(|c| c.lot.as_str()).collect();
            t!(l, "pages-step-split", lots = join(kids, ", "))
        }
        Body::LotMerge(b) => {
            let ins = b.inputs.iter().map(|c| c.lot.as_str()).collect();
            t!(
                l,
                "pages-step-merge",
                inputs = join(ins, " + "),
                lot = b.lot.as_str()
            )
        }
        Body::LotProcess(b) => {
            let ins = b.inputs.iter().map(|c| c.lot.as_str()).collect();
            t!(
                l,
                "pages-step-process",
                method = b.method.to_string(),
                inputs = join(ins, " + "),
                lot = b.lot.as_str()
            )
        }
        Body::LotTransport(b) => t!(
            l,
            "pages-step-transport",
            from = b.from.name.as_str(),
            to = b.to.name.as_str()
        ),
        Body::LotStore(_) => t!(l, "pages-step-store"),
        // The amount is in minor units, as signed: shown as an integer so
        // no language's number format changes it.
        Body::LotTax(b) => t!(
            l,
            "pages-step-tax",
            kind = b.tax.kind.to_string(),
            amount = b.tax.amount.0.to_string(),
            currency = b.tax.currency.to_string(),
            authority = b.tax.authority.to_string()
        ),
        Body::LotExport(b) => t!(
            l,
            "pages-step-export",
            destination = b.destination.to_string(),
            cert = b.cert.to_string()
        ),
        Body::LotCorrect(b) => t!(l, "pages-step-correct", reason = b.reason.to_string()),
        _ => ev.type_name().to_string(),
    }
}

fn render(ledger: &Ledger, id: &str, l: Lang) -> Result<Option<String>, String> {
    let store = ledger.store();
    let Some(lot) = store.lot(id).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    // The verdict: this node's bundle, checked by ledger-core's verifier.
    let lot_id = Id::new(id.to_string()).map_err(|e| e.0.to_string())?;
    let bundle = ledger.bundle(&lot_id).map_err(|e| e.to_string())?;
    let report = verify_lot(&bundle, &ledger.note_key, &Policy::default());
    let serious = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .count();
    let review = report.under_review.iter().any(|l| l == id);
    let (verdict_id, verdict_class, verdict_text) = match report.verdict {
        Verdict::Unverifiable => ("unverifiable", "bad", t!(l, "pages-verdict-unverifiable")),
        Verdict::Findings => (
            "findings",
            "bad",
            t!(l, "pages-verdict-findings", count = serious),
        ),
        Verdict::Verified if review => (
            "under-review",
            "review",
            t!(l, "pages-verdict-under-review"),
        ),
        Verdict::Verified => ("verified", "ok", t!(l, "pages-verdict-verified")),
    };
    let findings = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| {
            let severity = match f.severity {
                Severity::Critical => "critical",
                Severity::Error => "error",
                _ => "warning",
            };
            Shown {
                rule: f.rule.to_string(),
                severity,
                severity_text: ledger_core::i18n::message(
                    l,
                    &format!("pages-severity-{severity}"),
                    &[],
                ),
                text: f.message.get(l).to_string(),
            }
        })
        .collect();
    // The timeline: the lot's provenance with names people know.
    let mut names: HashMap<String, String> = HashMap::new();
    let mut name_of = |actor: &str| -> String {
        names
            .entry(actor.to_string())
            .or_insert_with(|| {
                store.actor(actor).ok().flatten().map_or_else(
                    || actor.to_string(),
                    |a| format!("{} ({actor})", a.profile.name),
                )
            })
            .clone()
    };
    let mut steps = Vec::new();
    for index in ledger.provenance(id).map_err(|e| e.to_string())? {
        let bytes = ledger
            .leaf(index)
            .map_err(|e| e.to_string())?
            .ok_or("entry vanished")?;
        let (leaf, ev) = decode_entry(&bytes)?;
        let delay = delay_text(ev.time.0, leaf.record_time, l);
        let actor = ledger
            .key_actor(&ev.key)
            .map_err(|e| e.to_string())?
            .map_or_else(String::new, |a| name_of(&a));
        let place = match &ev.body {
            Body::LotRegister(b) => Some(store.site(&b.site).ok().flatten().map_or_else(
                || b.site.to_string(),
                |s| format!("{} ({})", s.record.name, b.site),
            )),
            Body::LotTransport(b) => Some(format!("{} → {}", b.from.name, b.to.name)),
            Body::LotStore(b) => Some(b.place.name.to_string()),
            _ => None,
        };
        let (mass, grade) = match &ev.body {
            Body::LotRegister(b) => (Some(b.mass_g.0), Some(u64::from(b.grade_bp.0))),
            Body::LotOffer(b) => (Some(b.mass_g.0), Some(u64::from(b.grade_bp.0))),
            Body::LotAccept(b) => (Some(b.mass_g.0), Some(u64::from(b.grade_bp.0))),
            Body::LotMerge(b) => (Some(b.mass_g.0), Some(u64::from(b.grade_bp.0))),
            Body::LotProcess(b) => (Some(b.mass_g.0), Some(u64::from(b.grade_bp.0))),
            Body::LotExport(b) => (Some(b.mass_g.0), None),
            _ => (None, None),
        };
        steps.push(Step {
            index,
            entry: t!(l, "pages-lot-entry", index = index),
            kind: ev.type_name().to_string(),
            what: what(&ev, l),
            date: ledger_core::time::date(ev.time.0),
            delay,
            actor,
            place,
            mass: mass.map(kg),
            grade: grade.map(pct),
        });
    }
    let pieces = crate::public::lot_pieces(ledger, id, l)?;
    let page = LotPage {
        pieces,
        lang: l,
        langs: crate::lang::choices(l),
        title: t!(l, "pages-lot-title", lot = id),
        lot: id.to_string(),
        lot_seg: crate::pages::seg(id),
        verdict_id,
        verdict_class,
        verdict_text,
        mineral: ledger_core::text::mineral(lot.mineral, l),
        mass: kg(lot.mass.0),
        grade: pct(u64::from(lot.grade.0)),
        custodian: name_of(&lot.custodian),
        offered_to: lot
            .pending_offer
            .as_ref()
            .map(|a| t!(l, "pages-lot-offered-to", actor = name_of(a))),
        status: ledger_core::text::lot_status(lot.status, l),
        tag: lot.tag.as_ref().map(ToString::to_string),
        findings,
        steps,
        origin: ledger.origin.to_string(),
        entries: t!(l, "pages-lot-entries", count = ledger.checkpoint().size),
    };
    page.render().map(Some).map_err(|e| e.to_string())
}

/// The delay between an event's claimed time and its recording, in words,
/// when it matters: more than ten minutes late, or recorded before the time
/// it claims.
fn delay_text(claimed: u64, recorded: u64, l: Lang) -> Option<String> {
    const MINUTE: u64 = 60_000;
    let words = |ms: u64| {
        if ms < 2 * 60 * MINUTE {
            t!(l, "pages-lot-minutes", count = ms / MINUTE)
        } else if ms < 2 * 24 * 60 * MINUTE {
            t!(l, "pages-lot-hours", count = ms / (60 * MINUTE))
        } else {
            t!(l, "pages-lot-days", count = ms / (24 * 60 * MINUTE))
        }
    };
    if recorded >= claimed + 10 * MINUTE {
        Some(t!(
            l,
            "pages-lot-recorded-later",
            delay = words(recorded - claimed)
        ))
    } else if claimed > recorded + 10 * MINUTE {
        Some(t!(
            l,
            "pages-lot-claimed-after",
            delay = words(claimed - recorded)
        ))
    } else {
        None
    }
}

fn not_found(text: String, l: Lang) -> Response {
    html(
        StatusCode::NOT_FOUND,
        crate::pages::message_page(l, &t!(l, "pages-not-found-title"), &text),
    )
}

fn internal_error(l: Lang) -> Response {
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        crate::pages::message_page(l, &t!(l, "pages-error-title"), &t!(l, "pages-error-text")),
    )
}

async fn page_for(s: AppState, id: String, l: Lang) -> Response {
    let ledger = s.ledger.clone();
    let lot = id.clone();
    let r = tokio::task::spawn_blocking(move || render(&ledger, &lot, l)).await;
    match r {
        Ok(Ok(Some(body))) => html(StatusCode::OK, body),
        Ok(Ok(None)) => not_found(t!(l, "pages-lot-not-found", lot = id), l),
        Ok(Err(e)) => {
            tracing::error!(lot = %id, error = %e, "lot page");
            internal_error(l)
        }
        Err(e) => {
            tracing::error!(error = %e, "lot page task");
            internal_error(l)
        }
    }
}

/// `GET /lots/{lot}`.
pub async fn lot_page(
    State(s): State<AppState>,
    P(id): P,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let l = crate::lang::pick(q.get("lang").map(String::as_str), &headers);
    page_for(s, id, l).await
}

/// `GET /t/{tag}`: the page of the lot a tag is attached to.
pub async fn tag_page(
    State(s): State<AppState>,
    P(tag): P,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let l = crate::lang::pick(q.get("lang").map(String::as_str), &headers);
    match s.ledger.store().tag_lot(&tag) {
        Ok(Some(lot)) => page_for(s, lot.to_string(), l).await,
        Ok(None) => not_found(t!(l, "pages-tag-not-found", tag = tag), l),
        Err(e) => {
            tracing::error!(error = %e, "tag page");
            internal_error(l)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_said_when_they_matter() {
        let min = 60_000;
        assert_eq!(delay_text(0, 9 * min, Lang::En), None);
        assert_eq!(
            delay_text(0, 45 * min, Lang::En).as_deref(),
            Some("recorded 45 min after the time it claims")
        );
        assert_eq!(
            delay_text(0, 3 * 24 * 60 * min, Lang::En).as_deref(),
            Some("recorded 3 days after the time it claims")
        );
        assert_eq!(
            delay_text(5 * 60 * min, 0, Lang::Fr).as_deref(),
            Some("déclare une heure 5 h après son enregistrement")
        );
        assert!(
            delay_text(0, 3 * 60 * min, Lang::Sw)
                .unwrap()
                .contains("saa 3")
        );
    }
}
