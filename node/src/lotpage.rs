//! The public lot page, `GET /lots/{lot}` and `GET /t/{tag}`: what a phone
//! shows after scanning a bag's QR code. Server-rendered (askama templates,
//! checked at compile time, escaped by default), no scripts, fonts or
//! trackers, small enough for a slow connection. The verdict comes from
//! running ledger-core's lot verifier on this node's own bundle of the lot,
//! so the page says exactly what `madini verify lot` would.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ledger_core::event::{Body, Event};
use ledger_core::text::{Lang, kg, percent as pct};
use ledger_core::types::Id;
use ledger_core::verify::{Policy, Severity, Verdict, verify_lot};

use crate::api::{AppState, P, Q};
use crate::ledger::{Ledger, decode_entry};

/// Page words in one language.
struct Words {
    lot: &'static str,
    mineral: &'static str,
    mass: &'static str,
    grade: &'static str,
    custodian: &'static str,
    status: &'static str,
    tag: &'static str,
    findings: &'static str,
    chain: &'static str,
    entry: &'static str,
    proof: &'static str,
    check: &'static str,
    check_text: &'static str,
    bundle: &'static str,
    checkpoint: &'static str,
    log: &'static str,
    entries: &'static str,
}

const EN: Words = Words {
    lot: "Lot",
    mineral: "Mineral",
    mass: "Mass",
    grade: "Grade",
    custodian: "Held by",
    status: "Status",
    tag: "Tag",
    findings: "What does not add up",
    chain: "Chain of custody",
    entry: "Ledger entry",
    proof: "proof",
    check: "Check it yourself",
    check_text: "Everything above can be checked without trusting this server:",
    bundle: "offline bundle",
    checkpoint: "signed checkpoint",
    log: "Log",
    entries: "entries",
};

const FR: Words = Words {
    lot: "Lot",
    mineral: "Minerai",
    mass: "Masse",
    grade: "Teneur",
    custodian: "Détenu par",
    status: "Statut",
    tag: "Étiquette",
    findings: "Ce qui ne concorde pas",
    chain: "Chaîne de traçabilité",
    entry: "Entrée du registre",
    proof: "preuve",
    check: "Vérifiez vous-même",
    check_text: "Tout ce qui précède se vérifie sans faire confiance à ce serveur :",
    bundle: "paquet hors ligne",
    checkpoint: "point de contrôle signé",
    log: "Journal",
    entries: "entrées",
};

/// One step of the timeline.
struct Step {
    index: u64,
    kind: String,
    what: String,
    date: String,
    actor: String,
    place: Option<String>,
    mass: Option<String>,
    grade: Option<String>,
}

/// One finding in plain words.
struct Shown {
    rule: String,
    severity: &'static str,
    severity_text: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "lot.html")]
struct LotPage<'a> {
    lang: &'static str,
    t: &'a Words,
    lot: String,
    lot_seg: String,
    verdict_id: &'static str,
    verdict_class: &'static str,
    verdict_text: String,
    mineral: String,
    mass: String,
    grade: String,
    custodian: String,
    status: String,
    tag: Option<String>,
    findings: Vec<Shown>,
    steps: Vec<Step>,
    origin: String,
    size: u64,
    /// Provenance graph and path map, drawn by `public.rs`.
    pieces: crate::public::LotPieces,
    pieces_titles: (String, String),
}

/// The page language: `?lang=`, else the browser's Accept-Language, else English.
fn choose_lang(q: &HashMap<String, String>, h: &HeaderMap) -> bool {
    if let Some(l) = q.get("lang") {
        return l.starts_with("fr");
    }
    let accept = h
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The first of English or French in the browser's order wins.
    for part in accept.split(',') {
        let tag = part
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if tag.starts_with("fr") {
            return true;
        }
        if tag.starts_with("en") {
            return false;
        }
    }
    false
}

fn what(ev: &Event, fr: bool) -> String {
    let s = |en: &str, frs: &str| if fr { frs.to_string() } else { en.to_string() };
    match &ev.body {
        Body::LotRegister(b) => {
            if fr {
                format!("Enregistré à la mine, étiquette {}", b.tag)
            } else {
                format!("Registered at the mine, tag {}", b.tag)
            }
        }
        Body::LotOffer(b) => {
            if fr {
                format!("Cédé à {}", b.to)
            } else {
                format!("Handed over to {}", b.to)
            }
        }
        Body::LotAccept(_) => s("Received (custody accepted)", "Reçu (garde acceptée)"),
        Body::LotRefuse(_) => s("Refused by the receiver", "Refusé par le destinataire"),
        Body::LotSplit(b) => {
            let kids: Vec<&str> = b.children.iter().map(|c| c.lot.as_str()).collect();
            if fr {
                format!("Divisé en {}", kids.join(", "))
            } else {
                format!("Split into {}", kids.join(", "))
            }
        }
        Body::LotMerge(b) => {
            let ins: Vec<&str> = b.inputs.iter().map(|c| c.lot.as_str()).collect();
            if fr {
                format!("Fusionné : {} → {}", ins.join(" + "), b.lot)
            } else {
                format!("Merged: {} → {}", ins.join(" + "), b.lot)
            }
        }
        Body::LotProcess(b) => {
            let ins: Vec<&str> = b.inputs.iter().map(|c| c.lot.as_str()).collect();
            if fr {
                format!("Traité ({}) : {} → {}", b.method, ins.join(" + "), b.lot)
            } else {
                format!("Processed ({}): {} → {}", b.method, ins.join(" + "), b.lot)
            }
        }
        Body::LotTransport(b) => {
            if fr {
                format!("Transporté de {} à {}", b.from.name, b.to.name)
            } else {
                format!("Transported from {} to {}", b.from.name, b.to.name)
            }
        }
        Body::LotStore(_) => s("Stored", "Entreposé"),
        Body::LotTax(b) => {
            let amount = b.tax.amount.0;
            if fr {
                format!(
                    "Taxe payée : {} {} {} ({})",
                    b.tax.kind, amount, b.tax.currency, b.tax.authority
                )
            } else {
                format!(
                    "Tax paid: {} {} {} ({})",
                    b.tax.kind, amount, b.tax.currency, b.tax.authority
                )
            }
        }
        Body::LotExport(b) => {
            if fr {
                format!(
                    "Exporté vers {} sous le certificat {}",
                    b.destination, b.cert
                )
            } else {
                format!("Exported to {} under certificate {}", b.destination, b.cert)
            }
        }
        Body::LotCorrect(b) => {
            if fr {
                format!("Correction : {}", b.reason)
            } else {
                format!("Correction: {}", b.reason)
            }
        }
        _ => ev.type_name().to_string(),
    }
}

fn render(ledger: &Ledger, id: &str, fr: bool) -> Result<Option<String>, String> {
    let store = ledger.store();
    let Some(lot) = store.lot(id).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let t = if fr { &FR } else { &EN };
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
        Verdict::Unverifiable => (
            "unverifiable",
            "bad",
            if fr {
                "Invérifiable : les données ne correspondent pas au journal signé".into()
            } else {
                "Cannot be verified: the data does not match the signed log".into()
            },
        ),
        Verdict::Findings => (
            "findings",
            "bad",
            if fr {
                format!("Authentique, mais {serious} problème(s) : les chiffres ne concordent pas")
            } else {
                format!("Authentic, but {serious} problem(s): the numbers do not add up")
            },
        ),
        Verdict::Verified if review => (
            "under-review",
            "review",
            if fr {
                "En cours d'examen : un incident ouvert concerne ce lot".into()
            } else {
                "Under review: an open incident concerns this lot".into()
            },
        ),
        Verdict::Verified => (
            "verified",
            "ok",
            if fr {
                "Vérifié : chaîne d'origine complète, aucun problème trouvé".into()
            } else {
                "Verified: complete chain of origin, no problem found".into()
            },
        ),
    };
    let findings = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| {
            let (severity, severity_text) = match (f.severity, fr) {
                (Severity::Critical, false) => ("critical", "critical"),
                (Severity::Critical, true) => ("critical", "critique"),
                (Severity::Error, false) => ("error", "problem"),
                (Severity::Error, true) => ("error", "problème"),
                (_, false) => ("warning", "warning"),
                (_, true) => ("warning", "attention"),
            };
            Shown {
                rule: f.rule.to_string(),
                severity,
                severity_text,
                text: if fr {
                    f.message.fr.clone()
                } else {
                    f.message.en.clone()
                },
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
        let (_, ev) = decode_entry(&bytes)?;
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
            kind: ev.type_name().to_string(),
            what: what(&ev, fr),
            date: ledger_core::time::date(ev.time.0),
            actor,
            place,
            mass: mass.map(kg),
            grade: grade.map(pct),
        });
    }
    let lang = if fr { Lang::Fr } else { Lang::En };
    let status = ledger_core::text::lot_status(lot.status, lang).to_string();
    let pieces = crate::public::lot_pieces(ledger, id, lang)?;
    let pieces_titles = (
        crate::public::tr(lang, "pages-lot-graph-title", &[]),
        crate::public::tr(lang, "pages-lot-map-title", &[]),
    );
    let page = LotPage {
        pieces,
        pieces_titles,
        lang: if fr { "fr" } else { "en" },
        t,
        lot: id.to_string(),
        lot_seg: crate::pages::seg(id),
        verdict_id,
        verdict_class,
        verdict_text,
        mineral: if fr {
            lot.mineral.name_fr()
        } else {
            lot.mineral.name_en()
        }
        .to_string(),
        mass: kg(lot.mass.0),
        grade: pct(u64::from(lot.grade.0)),
        custodian: name_of(&lot.custodian),
        status,
        tag: lot.tag.as_ref().map(ToString::to_string),
        findings,
        steps,
        origin: ledger.origin.to_string(),
        size: ledger.checkpoint().size,
    };
    page.render().map(Some).map_err(|e| e.to_string())
}

/// The lot's status in the page's language.
fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::VARY, "Accept-Language"),
        ],
        body,
    )
        .into_response()
}

fn not_found(fr: bool, what: &str) -> Response {
    let (title, text) = if fr {
        ("Introuvable", format!("{what} n'est pas dans ce registre."))
    } else {
        ("Not found", format!("{what} is not in this ledger."))
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title}</title></head><body><h1>{title}</h1><p>{}</p><p><a href=\"/\">Madini</a></p></body></html>",
        crate::pages::esc(&text)
    );
    html(StatusCode::NOT_FOUND, body)
}

async fn page_for(s: AppState, id: String, fr: bool) -> Response {
    let ledger = s.ledger.clone();
    let lot = id.clone();
    let r = tokio::task::spawn_blocking(move || render(&ledger, &lot, fr)).await;
    match r {
        Ok(Ok(Some(body))) => html(StatusCode::OK, body),
        Ok(Ok(None)) => not_found(fr, &format!("{} {id}", if fr { "Le lot" } else { "Lot" })),
        Ok(Err(e)) => {
            tracing::error!(lot = %id, error = %e, "lot page");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><p>internal error</p>".into(),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "lot page task");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><p>internal error</p>".into(),
            )
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
    let fr = choose_lang(&q, &headers);
    page_for(s, id, fr).await
}

/// `GET /t/{tag}`: the page of the lot a tag is attached to.
pub async fn tag_page(
    State(s): State<AppState>,
    P(tag): P,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let fr = choose_lang(&q, &headers);
    match s.ledger.store().tag_lot(&tag) {
        Ok(Some(lot)) => page_for(s, lot.to_string(), fr).await,
        Ok(None) => not_found(
            fr,
            &format!("{} {tag}", if fr { "L'étiquette" } else { "Tag" }),
        ),
        Err(e) => {
            tracing::error!(error = %e, "tag page");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><p>internal error</p>".into(),
            )
        }
    }
}
