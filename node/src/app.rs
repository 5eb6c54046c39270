//! The field app's read of the ledger (`GET /v1/devices/{key}`,
//! `spec/http.md`, "The field app"): one answer holding what a phone needs to
//! sign offline until it is next online. The app itself is static files
//! (`node/assets/app/`, served by `assets.rs`); everything it signs goes
//! through `POST /v1/events` and the same rules as any client's.

use axum::Json;
use axum::extract::State;
use ledger_core::bundle::Ref;
use ledger_core::event::Body;
use ledger_core::state::{KeyOwner, LotStatus};
use ledger_core::wire::{
    ActorView, DeviceOffer, DeviceSite, DeviceTagRange, DeviceView, KeyStatus, LotSummary,
};

use crate::api::{ApiResult, AppState, P, Problem, lot_summary};
use crate::ledger::{Ledger, decode_entry};

/// How many lots one device view reads at most, newest first: the node has
/// no index by custodian, so the view scans the lot list (see the note in
/// `spec/http.md`).
const SCAN_LOTS: usize = 100_000;

/// `GET /v1/devices/{key}`.
pub async fn device(State(s): State<AppState>, P(key): P) -> ApiResult<Json<DeviceView>> {
    let id: ledger_core::crypto::KeyId = key
        .parse()
        .map_err(|_| Problem::bad_parameter("a key id is 32 lowercase hex characters"))?;
    let ledger = s.ledger.clone();
    tokio::task::spawn_blocking(move || device_view(&ledger, &id))
        .await
        .map_err(Problem::internal)?
        .map(Json)
}

fn device_view(ledger: &Ledger, id: &ledger_core::crypto::KeyId) -> Result<DeviceView, Problem> {
    let store = ledger.store();
    let checkpoint = ledger.checkpoint();
    let size = checkpoint.size;
    let origin = store
        .origin()
        .map_err(Problem::internal)?
        .map(|o| o.as_str().to_string())
        .unwrap_or_default();
    let mut view = DeviceView {
        log: origin,
        tree_size: size,
        now: crate::ledger::now_ms(),
        key_id: id.to_string(),
        status: None,
        actor: None,
        sites: Vec::new(),
        lots: Vec::new(),
        offers: Vec::new(),
    };
    let Some(entry) = store.key(id).map_err(Problem::internal)? else {
        return Ok(view);
    };
    view.status = Some(KeyStatus::from(entry.status));
    let KeyOwner::Actor(actor_id) = entry.owner else {
        return Ok(view);
    };
    let Some(actor) = store.actor(actor_id.as_str()).map_err(Problem::internal)? else {
        return Ok(view);
    };
    view.actor = Some(ActorView::from(actor));
    for site in store.sites().map_err(Problem::internal)? {
        if !site.record.operators.contains(&actor_id) {
            continue;
        }
        let mut ranges = Vec::new();
        for i in ledger
            .history(&Ref::Site(site.record.id.as_str().to_string()))
            .map_err(Problem::internal)?
        {
            if i >= size {
                continue;
            }
            if let Body::TagsAllocate(a) = event_at(ledger, i)?.body {
                ranges.push(DeviceTagRange {
                    prefix: a.prefix.as_str().to_string(),
                    width: a.width.0,
                    first: a.first,
                    last: a.last,
                });
            }
        }
        view.sites.push(DeviceSite {
            id: site.record.id.as_str().to_string(),
            name: site.record.name.as_str().to_string(),
            minerals: site
                .record
                .minerals
                .iter()
                .map(|m| m.code().to_string())
                .collect(),
            status: site.status.0,
            ranges,
        });
    }
    let mut before = None;
    let mut scanned = 0;
    loop {
        let page = store.lots_page(before, 500).map_err(Problem::internal)?;
        for (created, lot) in &page {
            if *created >= size {
                continue;
            }
            let Some(l) = store.lot(lot.as_str()).map_err(Problem::internal)? else {
                continue;
            };
            if l.status != LotStatus::Open {
                continue;
            }
            if l.pending_offer.as_ref() == Some(&actor_id) {
                view.offers.push(offer(ledger, lot_summary(&l), &l.head)?);
            } else if l.custodian == actor_id {
                view.lots.push(lot_summary(&l));
            }
        }
        scanned += page.len();
        match page.last() {
            Some((created, _)) if page.len() == 500 && scanned < SCAN_LOTS => {
                before = Some(*created)
            }
            _ => break,
        }
    }
    Ok(view)
}

fn event_at(ledger: &Ledger, index: u64) -> Result<ledger_core::event::Event, Problem> {
    let bytes = ledger
        .leaf(index)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::internal(format!("entry {index} is missing")))?;
    Ok(decode_entry(&bytes).map_err(Problem::internal)?.1)
}

fn offer(
    ledger: &Ledger,
    lot: LotSummary,
    head: &ledger_core::hash::Hash,
) -> Result<DeviceOffer, Problem> {
    let index = ledger
        .store()
        .event_index(head)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::internal("a lot's head is not in the log"))?;
    let ev = event_at(ledger, index)?;
    let from = match ledger.store().key(&ev.key).map_err(Problem::internal)? {
        Some(k) => match k.owner {
            KeyOwner::Actor(a) => a.as_str().to_string(),
            KeyOwner::Log => String::new(),
        },
        None => String::new(),
    };
    match ev.body {
        Body::LotOffer(o) => Ok(DeviceOffer {
            lot,
            from,
            mass_g: o.mass_g.0,
            grade_bp: o.grade_bp.0.into(),
            time: ev.time.0,
        }),
        _ => Err(Problem::internal(
            "a lot with a pending offer has no offer at its head",
        )),
    }
}

/// The longest text `GET /v1/qr` encodes, characters of printable ASCII (a label payload is at most
/// 300, `tags.md` section 5).
pub const QR_MAX: usize = 512;

/// `GET /v1/qr?text=...`: the text as a QR code (SVG, error correction M),
/// for the field app to show a public key (a label's QR code it draws
/// itself with `assets/js/qr.js`, offline) or for any client to draw a
/// label payload. The node learns nothing it would not see anyway: both are
/// published.
pub async fn qr(q: crate::api::Q) -> Result<axum::response::Response, Problem> {
    use axum::response::IntoResponse;
    let text =
        q.0.get("text")
            .ok_or_else(|| Problem::bad_parameter("text is required: the text to encode"))?;
    if text.is_empty() || text.len() > QR_MAX {
        return Err(Problem::bad_parameter(format!(
            "text must be 1 to {QR_MAX} characters, not {}",
            text.len()
        )));
    }
    // Public keys and label payloads are printable ASCII; anything else is
    // not what the app asks for.
    if let Some(c) = text.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(Problem::bad_parameter(format!(
            "text must be printable ASCII; {c:?} is not"
        )));
    }
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| {
            Problem::bad_parameter(format!("cannot encode this text as a QR code: {e}"))
        })?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

/// `GET /v1/labels?payload=P[&format=pdf|png][&lang=en|fr|sw]`: the printable label of a
/// signed label payload (`spec/http.md`), for the field app to offer beside
/// the QR code it draws. The claim must verify under the registered key it
/// names; the names on the label come from the registry.
pub async fn label(
    State(s): State<AppState>,
    q: crate::api::Q,
) -> Result<axum::response::Response, Problem> {
    use axum::response::IntoResponse;
    let payload =
        q.0.get("payload")
            .ok_or_else(|| Problem::bad_parameter("payload is required: a label's QR text"))?
            .clone();
    let png = match q.0.get("format").map(String::as_str) {
        None | Some("pdf") => false,
        Some("png") => true,
        Some(other) => {
            return Err(Problem::bad_parameter(format!(
                "format is pdf or png, not {other:?}"
            )));
        }
    };
    // The language the fields are named in first (`spec/tags.md` section
    // 6): the app's; French when none is asked for.
    let lang = match q.0.get("lang") {
        None => ledger_core::text::Lang::Fr,
        Some(l) => ledger_core::text::Lang::ALL
            .into_iter()
            .find(|x| x.code() == l)
            .ok_or_else(|| Problem::bad_parameter(format!("lang is en, fr or sw, not {l:?}")))?,
    };
    let ledger = s.ledger.clone();
    let (bytes, kind) = tokio::task::spawn_blocking(move || -> Result<_, Problem> {
        let decoded = tag_printer::decode_payload(&payload)
            .map_err(|e| Problem::bad_parameter(format!("payload: {e}")))?;
        let claim = decoded.claim.claim().clone();
        let unverified = |why: String| {
            Problem::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "claim-unverified",
                "Label claim does not verify",
                why,
            )
        };
        let store = ledger.store();
        let key = store
            .key(&claim.key_id)
            .map_err(Problem::internal)?
            .ok_or_else(|| unverified(format!("key {} is not registered here", claim.key_id)))?;
        let ledger_core::state::KeyOwner::Actor(owner) = &key.owner else {
            return Err(unverified(format!(
                "key {} is not an actor's key",
                claim.key_id
            )));
        };
        decoded
            .claim
            .verify(&key.pk)
            .map_err(|e| unverified(format!("the claim's signature: {e}")))?;
        let site_name = store
            .site(claim.site.as_str())
            .map_err(Problem::internal)?
            .map_or_else(|| claim.site.to_string(), |st| st.record.name.to_string());
        let coop = store
            .actor(owner.as_str())
            .map_err(Problem::internal)?
            .map_or_else(|| owner.to_string(), |a| a.profile.name.to_string());
        let text = |v: String| {
            ledger_core::types::Text::new(&v).map_err(|e| Problem::internal(format!("{v:?}: {e}")))
        };
        let label = tag_printer::Label {
            tag: claim.tag.clone(),
            lot: claim.lot.clone(),
            mineral: claim.mineral,
            mass: claim.mass,
            grade: claim.grade,
            site_id: claim.site.clone(),
            site_name: text(site_name)?,
            cooperative: text(coop)?,
            day: claim.day,
            payload,
            lang,
        };
        let layout = tag_printer::Layout::A4x8;
        if png {
            let b = tag_printer::render_png(&label, layout, 300).map_err(Problem::internal)?;
            Ok((b, "image/png"))
        } else {
            let b = tag_printer::render_pdf(&[label], layout).map_err(Problem::internal)?;
            Ok((b, "application/pdf"))
        }
    })
    .await
    .map_err(Problem::internal)??;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, kind),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}
