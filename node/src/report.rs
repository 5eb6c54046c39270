//! Whistle-blowing (`spec/http.md`, "Whistle-blowing"): the report form at
//! `/report` (signed in the browser by `assets/js/report.js`, or, with no
//! JavaScript, posted plain and signed by the node as an intake report),
//! receipts (`ledger_core::receipt`) with their QR code, the receipt and
//! case pages, and the rate limit that identifies no one.
//!
//! Nothing here logs or stores anything about the request: no address, no
//! header, no cookie. The limiter keeps keyed hashes of addresses in
//! memory only, under a secret drawn at start-up.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ledger_core::bundle::Ref;
use ledger_core::event::{Body, CaseStatus, Category, IncidentReport, Subjects};
use ledger_core::hash::{Hash, sha256};
use ledger_core::log::SignedEvent;
use ledger_core::receipt::Receipt;
use ledger_core::rules::{Refusal, Rule, SigMode};
use ledger_core::types::{Id, LongText, SiteId};
use ledger_core::wire::{Envelope, Recorded, ReportReceipt};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::{AppState, P, Problem, Q};
use crate::ledger::{Item, Ledger, Outcome, decode_entry, now_ms};

/// Largest body of `POST /report` (the plain form).
pub const MAX_FORM: usize = 16 << 10;
/// Largest body of `POST /report/signed` (one envelope).
pub const MAX_SIGNED: usize = 96 << 10;
/// Reports one address may send per `WINDOW`.
pub const LIMIT: usize = 10;
/// The rate limit's window.
pub const WINDOW: Duration = Duration::from_secs(600);
/// Addresses the limiter remembers at most.
pub const MAX_ADDRESSES: usize = 65_536;

// ---------------------------------------------------------------------------
// Languages and messages: `ledger_core::i18n`'s report catalog
// (`ledger-core/locales/*/report.ftl`), the page language from
// `lang::pick`.

use ledger_core::i18n::Lang;
use ledger_core::t;

use crate::lang::pick;

/// Message `id` in `lang` with text arguments given at run time (`t!`
/// takes them as names written in the code).
fn tr(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, ledger_core::i18n::Arg<'_>)> =
        args.iter().map(|(k, v)| (*k, (*v).into())).collect();
    ledger_core::i18n::message(lang, id, &args)
}

// ---------------------------------------------------------------------------
// The rate limit.

/// At most `LIMIT` reports per `WINDOW` per IP address, keyed by a hash of
/// the address under a secret that lives only in this process's memory.
pub struct Limiter {
    secret: [u8; 32],
    seen: Mutex<HashMap<[u8; 16], VecDeque<Instant>>>,
}

impl Default for Limiter {
    fn default() -> Limiter {
        Limiter::new()
    }
}

impl Limiter {
    /// A limiter with a fresh random secret.
    pub fn new() -> Limiter {
        let mut secret = [0u8; 32];
        if getrandom::fill(&mut secret).is_err() {
            // Without the system's randomness the table is still held in
            // memory only; the time makes the key differ between runs.
            secret[..16].copy_from_slice(&now_ms().to_le_bytes().repeat(2));
        }
        Limiter {
            secret,
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn key(&self, addr: &std::net::IpAddr) -> [u8; 16] {
        let mut input = self.secret.to_vec();
        input.extend_from_slice(addr.to_string().as_bytes());
        let h = sha256(&input);
        let mut k = [0u8; 16];
        k.copy_from_slice(&h.0[..16]);
        k
    }

    /// Counts an attempt from `addr` at `now`; `Err` with the time until
    /// the next one is allowed when the address is over the limit.
    pub fn attempt(&self, addr: &std::net::IpAddr, now: Instant) -> Result<(), Duration> {
        let key = self.key(addr);
        let Ok(mut seen) = self.seen.lock() else {
            return Ok(());
        };
        if !seen.contains_key(&key) && seen.len() >= MAX_ADDRESSES {
            seen.retain(|_, times| {
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= WINDOW)
                {
                    times.pop_front();
                }
                !times.is_empty()
            });
            if seen.len() >= MAX_ADDRESSES {
                // Forget the address whose latest attempt is the oldest.
                let oldest = seen
                    .iter()
                    .min_by_key(|(_, t)| t.back().copied())
                    .map(|(k, _)| *k);
                if let Some(k) = oldest {
                    seen.remove(&k);
                }
            }
        }
        let times = seen.entry(key).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() >= LIMIT {
            let first = times.front().copied().unwrap_or(now);
            return Err(WINDOW.saturating_sub(now.duration_since(first)));
        }
        times.push_back(now);
        Ok(())
    }
}

fn peer(req: &Request) -> Option<std::net::IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The limiter's verdict for this request; requests with no peer address
/// (the router called in-process) are not counted.
fn limited(limiter: &Limiter, addr: Option<std::net::IpAddr>) -> Result<(), Duration> {
    match addr {
        Some(a) => limiter.attempt(&a, Instant::now()),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Routes.

/// The whistle-blowing routes, with their headers: `Cache-Control:
/// no-store` and `Referrer-Policy: no-referrer` on every response.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/report", get(form_page).post(post_form))
        .route("/report/signed", post(post_signed))
        .route("/r", get(lookup_page))
        .route("/r/{receipt}", get(receipt_page))
        .route("/cases/{case}", get(case_page))
        .layer(Extension(Arc::new(Limiter::new())))
        .layer(Extension(Arc::new(SealTo::default())))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::VARY, "Accept-Language"),
        ],
        body,
    )
        .into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    // The error is the node's own; nothing about the request is logged.
    tracing::error!(error = %e, "whistle-blowing page");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        "<!doctype html><title>Madini</title><p>internal error</p>".into(),
    )
}

// ---------------------------------------------------------------------------
// The form.

struct Choice {
    id: &'static str,
    text: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "report/form.html")]
struct FormPage {
    lang: &'static str,
    l: Lang,
    title: String,
    origin: String,
    categories: Vec<Choice>,
    site: String,
    actor: String,
    lot: String,
    summary: String,
    error: Option<String>,
    /// The keys a sealed text is sealed to: `<key id> <public key>` pairs,
    /// space-separated (`data-seal-to`).
    seal_to: String,
}

impl FormPage {
    fn t(&self, id: &str) -> String {
        t!(self.l, id)
    }
}

/// What the form held, to show it again after a refusal.
#[derive(Default)]
struct Filled {
    category: String,
    site: String,
    actor: String,
    lot: String,
    summary: String,
}

fn form(ledger: &Ledger, seal: &SealTo, l: Lang, filled: Filled, error: Option<String>) -> String {
    let page = FormPage {
        lang: l.code(),
        l,
        title: t!(l, "report-title"),
        origin: ledger.origin.to_string(),
        categories: Category::ALL
            .iter()
            .map(|c| Choice {
                id: c.id(),
                text: t!(l, &format!("report-cat-{}", c.id())),
                checked: filled.category == c.id(),
            })
            .collect(),
        site: filled.site,
        actor: filled.actor,
        lot: filled.lot,
        summary: filled.summary,
        error,
        seal_to: seal.get(ledger),
    };
    page.render().unwrap_or_else(|e| {
        format!(
            "<!doctype html><p>{}</p>",
            crate::pages::esc(&e.to_string())
        )
    })
}

/// The form's `data-seal-to`, computed once per tree size: it reads every
/// actor, which on a registry of thousands took milliseconds per form.
#[derive(Default)]
pub struct SealTo(Mutex<Option<(u64, String)>>);

impl SealTo {
    fn get(&self, ledger: &Ledger) -> String {
        let size = ledger.checkpoint().size;
        let mut cache = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((n, text)) = cache.as_ref()
            && *n == size
        {
            return text.clone();
        }
        let text = seal_recipients(ledger)
            .iter()
            .map(|(id, pk)| format!("{id} {pk}"))
            .collect::<Vec<_>>()
            .join(" ");
        *cache = Some((size, text.clone()));
        text
    }
}

/// The case handlers a report's text is sealed to (`spec/http.md`,
/// "Whistle-blowing"): every active key of every actor with role
/// `authority`, at most [`ledger_core::seal::MAX_RECIPIENTS`]. A store
/// error leaves the list empty, and the form then cannot seal.
fn seal_recipients(ledger: &Ledger) -> Vec<(String, String)> {
    use ledger_core::state::KeyStatus;
    let store = ledger.store();
    let Ok(actors) = store.actors() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in actors
        .iter()
        .filter(|a| a.has(ledger_core::types::Role::Authority))
    {
        for id in &a.keys {
            if let Ok(Some(k)) = store.key(id)
                && k.status == KeyStatus::Active
                && out.len() < ledger_core::seal::MAX_RECIPIENTS
            {
                out.push((id.to_string(), k.pk.to_string()));
            }
        }
    }
    out
}

/// `GET /report`: the form.
pub async fn form_page(
    State(s): State<AppState>,
    Extension(seal): Extension<Arc<SealTo>>,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let l = pick(q.get("lang").map(String::as_str), &headers);
    html(
        StatusCode::OK,
        form(&s.ledger, &seal, l, Filled::default(), None),
    )
}

/// A refusal of the plain form: its status and the sentence.
struct FormError(StatusCode, String);

/// The text as the log takes it: line ends as LF, tabs as spaces, other
/// control characters dropped, trimmed (`spec/http.md`, "Whistle-blowing").
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\r' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks the form's fields and builds the report (no `anonymous_key`).
fn read_form(l: Lang, f: &Filled) -> Result<IncidentReport, FormError> {
    let bad = |id: &str, args: &[(&str, &str)]| FormError(StatusCode::BAD_REQUEST, tr(l, id, args));
    let category =
        Category::from_id(&f.category).ok_or_else(|| bad("report-error-category", &[]))?;
    let summary = clean_text(&f.summary);
    if summary.is_empty() {
        return Err(bad("report-error-no-text", &[]));
    }
    if summary.len() > 4000 {
        return Err(bad("report-error-too-long", &[]));
    }
    let summary = LongText::new(summary).map_err(|_| bad("report-error-too-long", &[]))?;
    let mut subjects = Subjects::default();
    if !f.site.is_empty() {
        let site = SiteId::new(f.site.clone())
            .map_err(|_| bad("report-error-bad-site", &[("id", &f.site)]))?;
        subjects.sites = Some(vec![site]);
    }
    if !f.actor.is_empty() {
        let a = Id::new(f.actor.clone())
            .map_err(|_| bad("report-error-bad-id", &[("id", &f.actor)]))?;
        subjects.actors = Some(vec![a]);
    }
    if !f.lot.is_empty() {
        let lot =
            Id::new(f.lot.clone()).map_err(|_| bad("report-error-bad-id", &[("id", &f.lot)]))?;
        subjects.lots = Some(vec![lot]);
    }
    if subjects.sites.is_none() && subjects.actors.is_none() && subjects.lots.is_none() {
        return Err(bad("report-error-no-subject", &[]));
    }
    Ok(IncidentReport {
        subjects,
        category,
        summary,
        evidence_sha256: None,
        anonymous_key: None,
        sealed: None,
    })
}

/// The sentence for a refused report, in the reporter's language.
fn refusal_text(l: Lang, r: &Refusal, f: &Filled) -> (StatusCode, String) {
    let status = StatusCode::from_u16(r.rule.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let text = match r.rule {
        Rule::SiteUnknown => t!(l, "report-error-site-unknown", id = f.site.as_str()),
        Rule::ActorUnknown => t!(l, "report-error-actor-unknown", id = f.actor.as_str()),
        Rule::LotUnknown => t!(l, "report-error-lot-unknown", id = f.lot.as_str()),
        _ => t!(l, "report-error-refused", reason = r.message.as_str()),
    };
    (status, text)
}

fn see_other(to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, to.to_string())],
        String::new(),
    )
        .into_response()
}

fn receipt_location(r: &Receipt, l: Lang, fresh: bool) -> String {
    format!(
        "/r/{r}?lang={}{}",
        l.code(),
        if fresh { "&new=1" } else { "" }
    )
}

/// `POST /report`: the plain form, signed by the node with the log key
/// as an intake report (`spec/events.md` section 6).
pub async fn post_form(
    State(s): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    Extension(seal): Extension<Arc<SealTo>>,
    req: Request,
) -> Response {
    let addr = peer(&req);
    let headers = req.headers().clone();
    let asked = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<HashMap<String, String>>(q).ok())
        .and_then(|q| q.get("lang").cloned());
    let body = axum::body::to_bytes(req.into_body(), MAX_FORM).await;
    let fields: HashMap<String, String> = match &body {
        Ok(b) => serde_urlencoded::from_bytes::<Vec<(String, String)>>(b)
            .unwrap_or_default()
            .into_iter()
            .rev()
            .collect(),
        Err(_) => HashMap::new(),
    };
    let l = pick(
        fields.get("lang").or(asked.as_ref()).map(String::as_str),
        &headers,
    );
    let field = |name: &str| {
        fields
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let filled = Filled {
        category: field("category"),
        site: field("site").to_ascii_uppercase(),
        actor: field("actor"),
        lot: field("lot"),
        summary: fields.get("summary").cloned().unwrap_or_default(),
    };
    let refuse = |status: StatusCode, text: String, filled: Filled| {
        html(status, form(&s.ledger, &seal, l, filled, Some(text)))
    };
    if body.is_err() {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            t!(l, "report-error-too-large"),
            Filled::default(),
        );
    }
    if let Err(wait) = limited(&limiter, addr) {
        let mut r = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            t!(l, "report-error-too-many"),
            filled,
        );
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return r;
    }
    if s.ledger.stopped().is_some() {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            t!(l, "report-error-stopped"),
            filled,
        );
    }
    let report = match read_form(l, &filled) {
        Ok(r) => r,
        Err(FormError(status, text)) => return refuse(status, text, filled),
    };
    let item = match s.ledger.intake_report(report, now_ms()) {
        Ok(i) => i,
        Err(r) => {
            let (status, text) = refusal_text(l, &r, &filled);
            return refuse(status, text, filled);
        }
    };
    match submit_one(&s.ledger, item).await {
        Ok((_, index, hash, _)) => {
            see_other(&receipt_location(&Receipt::new(index, &hash), l, true))
        }
        Err(Submit::Refused(r)) => {
            let (status, text) = refusal_text(l, &r, &filled);
            refuse(status, text, filled)
        }
        Err(Submit::Stopped(_)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            t!(l, "report-error-stopped"),
            filled,
        ),
    }
}

enum Submit {
    Refused(Refusal),
    Stopped(String),
}

/// Submits one event: whether it was appended now or found, its index,
/// its event hash and the checkpoint note covering it.
async fn submit_one(ledger: &Ledger, item: Item) -> Result<(Recorded, u64, Hash, String), Submit> {
    let (outcomes, cp) = ledger.submit(vec![item]).await.map_err(Submit::Stopped)?;
    match outcomes.into_iter().next() {
        Some(Outcome::Accepted {
            index, event_hash, ..
        }) => Ok((Recorded::Accepted, index, event_hash, cp.note.clone())),
        Some(Outcome::Existing {
            index, event_hash, ..
        }) => Ok((Recorded::Existing, index, event_hash, cp.note.clone())),
        Some(Outcome::Refused(r)) => Err(Submit::Refused(r)),
        Some(Outcome::Failed(why)) => Err(Submit::Stopped(why)),
        None => Err(Submit::Stopped("a submission without an outcome".into())),
    }
}

/// `POST /report/signed`: an anonymous report signed in the browser.
pub async fn post_signed(
    State(s): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
    req: Request,
) -> Response {
    match signed(s, &limiter, req).await {
        Ok((status, body)) => (status, crate::api::Json(body)).into_response(),
        Err(p) => p,
    }
}

async fn signed(
    s: AppState,
    limiter: &Limiter,
    req: Request,
) -> Result<(StatusCode, ReportReceipt), Response> {
    let addr = peer(&req);
    let body = axum::body::to_bytes(req.into_body(), MAX_SIGNED)
        .await
        .map_err(|_| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Body too large",
                format!("a signed report is at most {MAX_SIGNED} bytes"),
            )
            .into_response()
        })?;
    if let Err(wait) = limited(limiter, addr) {
        let mut r = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many reports",
            format!(
                "at most {LIMIT} reports per {} minutes from one address",
                WINDOW.as_secs() / 60
            ),
        )
        .into_response();
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return Err(r);
    }
    if let Some(why) = s.ledger.stopped() {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "writes-stopped",
            "Writes stopped",
            why,
        )
        .into_response());
    }
    let env: Envelope = serde_json::from_slice(&body).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            "Malformed request",
            format!("send one signed event envelope {{\"event\": base64, \"sig\": base64}}: {e}"),
        )
        .into_response()
    })?;
    let refused = |r: &Refusal| Problem::refusal(r).into_response();
    let signed = SignedEvent::from_envelope(&env).map_err(|e| {
        refused(&Refusal {
            rule: Rule::InvalidEvent,
            message: e.to_string(),
        })
    })?;
    let sub = signed.submission().map_err(|r| refused(&r))?;
    if !matches!(
        sub.event.body,
        Body::IncidentReport(IncidentReport {
            anonymous_key: Some(_),
            ..
        })
    ) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-anonymous-report",
            "Not an anonymous report",
            "this route takes only an incident.report signed by its anonymous_key; other events go to POST /v1/events",
        )
        .into_response());
    }
    let item = Item {
        sub,
        sig: SigMode::Verify,
        record_time: None,
    };
    match submit_one(&s.ledger, item).await {
        Ok((status, index, hash, checkpoint)) => {
            let receipt = Receipt::new(index, &hash);
            Ok((
                if status == Recorded::Accepted {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                },
                ReportReceipt {
                    status,
                    index,
                    event_hash: hash.to_hex(),
                    case: hash.to_hex(),
                    receipt: receipt.to_string(),
                    receipt_url: format!("/r/{receipt}"),
                    checkpoint,
                },
            ))
        }
        Err(Submit::Refused(r)) => Err(refused(&r)),
        Err(Submit::Stopped(why)) => Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "writes-stopped",
            "Writes stopped",
            why,
        )
        .into_response()),
    }
}

// ---------------------------------------------------------------------------
// Receipts and cases.

#[derive(Template)]
#[template(path = "report/lookup.html")]
struct LookupPage {
    lang: &'static str,
    l: Lang,
    title: String,
    receipt: String,
    error: Option<String>,
}

impl LookupPage {
    fn t(&self, id: &str) -> String {
        t!(self.l, id)
    }
}

fn lookup(l: Lang, status: StatusCode, receipt: &str, error: Option<String>) -> Response {
    let page = LookupPage {
        lang: l.code(),
        l,
        title: t!(l, "report-lookup-title"),
        receipt: receipt.to_string(),
        error,
    };
    match page.render() {
        Ok(b) => html(status, b),
        Err(e) => internal(e),
    }
}

/// `GET /r`: the form to type a receipt; `?receipt=` goes to its page.
pub async fn lookup_page(Q(q): Q, headers: HeaderMap) -> Response {
    let l = pick(q.get("lang").map(String::as_str), &headers);
    match q.get("receipt").map(|r| r.trim()).filter(|r| !r.is_empty()) {
        Some(r) => see_other(&format!("/r/{}?lang={}", crate::pages::seg(r), l.code())),
        None => lookup(l, StatusCode::OK, "", None),
    }
}

/// The case a receipt names, if this log holds it (`spec/http.md`,
/// "Receipts").
pub fn resolve(ledger: &Ledger, r: &Receipt) -> Result<Option<Hash>, String> {
    if r.index >= ledger.checkpoint().size {
        return Ok(None);
    }
    let Some(bytes) = ledger.leaf(r.index).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let (leaf, ev) = decode_entry(&bytes)?;
    let hash = ledger_core::event::event_hash(&leaf.event);
    Ok((matches!(ev.body, Body::IncidentReport(_)) && r.matches(&hash)).then_some(hash))
}

/// `GET /r/{receipt}`: the case a receipt names, with the receipt as text
/// and QR code.
pub async fn receipt_page(
    State(s): State<AppState>,
    P(text): P,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let l = pick(q.get("lang").map(String::as_str), &headers);
    let Ok(receipt) = text.parse::<Receipt>() else {
        return lookup(
            l,
            StatusCode::BAD_REQUEST,
            &text,
            Some(t!(l, "report-receipt-bad", receipt = text.as_str())),
        );
    };
    let fresh = q.get("new").is_some_and(|v| v == "1");
    let url = receipt_url(&headers, &receipt);
    let ledger = s.ledger.clone();
    let r = tokio::task::spawn_blocking(move || -> Result<Option<String>, String> {
        match resolve(&ledger, &receipt)? {
            Some(case) => render_case(&ledger, &case, l, Some((receipt, url)), fresh),
            None => Ok(None),
        }
    })
    .await;
    match r {
        Ok(Ok(Some(body))) => html(StatusCode::OK, body),
        Ok(Ok(None)) => lookup(
            l,
            StatusCode::NOT_FOUND,
            &text,
            Some(t!(l, "report-receipt-unknown", receipt = text.as_str())),
        ),
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

/// The receipt's URL for its QR code: `https://<Host>/r/<receipt>`
/// (`http` only when a proxy says so), or the bare receipt when the
/// `Host` header is missing or odd.
fn receipt_url(headers: &HeaderMap, r: &Receipt) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("http") => "http",
        _ => "https",
    };
    match host {
        Some(h) => format!("{scheme}://{h}/r/{r}"),
        None => r.to_string(),
    }
}

/// A QR code (level M) of `text` as an SVG element, labelled for screen
/// readers.
pub fn qr_svg(text: &str, label: &str) -> String {
    use qrcode::render::svg;
    use qrcode::{EcLevel, QrCode};
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let svg = &svg[start..];
    format!(
        "<svg role=\"img\" aria-label=\"{}\"{}",
        crate::pages::esc(label),
        svg.strip_prefix("<svg").unwrap_or(svg)
    )
}

/// `GET /cases/{case}`: the case page.
pub async fn case_page(
    State(s): State<AppState>,
    P(id): P,
    Q(q): Q,
    headers: HeaderMap,
) -> Response {
    let l = pick(q.get("lang").map(String::as_str), &headers);
    let unknown = || {
        lookup(
            l,
            StatusCode::NOT_FOUND,
            "",
            Some(t!(l, "report-case-unknown", case = id.as_str())),
        )
    };
    let Ok(case) = id.parse::<Hash>() else {
        return unknown();
    };
    let ledger = s.ledger.clone();
    let r = tokio::task::spawn_blocking(move || render_case(&ledger, &case, l, None, false)).await;
    match r {
        Ok(Ok(Some(body))) => html(StatusCode::OK, body),
        Ok(Ok(None)) => unknown(),
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

struct Subject {
    kind: String,
    id: String,
    href: Option<String>,
}

struct Step {
    index: u64,
    status_id: &'static str,
    what: String,
    note: Option<String>,
    date: String,
    by: Option<String>,
    entry: String,
}

#[derive(Template)]
#[template(path = "report/case.html")]
struct CasePage {
    lang: &'static str,
    l: Lang,
    title: String,
    receipt: Option<String>,
    qr: String,
    fresh: bool,
    case_id: String,
    status_id: &'static str,
    status: String,
    category_id: &'static str,
    category: String,
    subjects: Vec<Subject>,
    signer_id: &'static str,
    signer: String,
    summary: String,
    /// Who can read a sealed text (`events.md`, "Sealed text").
    sealed_for: Option<String>,
    history: Vec<Step>,
}

impl CasePage {
    fn t(&self, id: &str) -> String {
        t!(self.l, id)
    }
}

fn status_id(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Open => "open",
        CaseStatus::Investigating => "investigating",
        CaseStatus::Resolved => "resolved",
        CaseStatus::Dismissed => "dismissed",
    }
}

fn render_case(
    ledger: &Ledger,
    case: &Hash,
    l: Lang,
    receipt: Option<(Receipt, String)>,
    fresh: bool,
) -> Result<Option<String>, String> {
    let store = ledger.store();
    let Some(state) = store.case(case).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let actor_name = |key: &ledger_core::crypto::KeyId| -> Option<String> {
        let a = ledger.key_actor(key).ok().flatten()?;
        Some(
            store
                .actor(a.as_str())
                .ok()
                .flatten()
                .map_or_else(|| a.to_string(), |p| format!("{} ({a})", p.profile.name)),
        )
    };
    let mut report: Option<(IncidentReport, &'static str, String)> = None;
    let mut history = Vec::new();
    for index in ledger
        .history(&Ref::Case(*case))
        .map_err(|e| e.to_string())?
    {
        let bytes = ledger
            .leaf(index)
            .map_err(|e| e.to_string())?
            .ok_or("entry vanished")?;
        let (leaf, ev) = decode_entry(&bytes)?;
        let entry = tr(l, "report-entry", &[("index", &index.to_string())]);
        let date = ledger_core::time::date(leaf.record_time);
        match ev.body {
            Body::IncidentReport(b) => {
                let (signer_id, signer) = if b.anonymous_key.is_some() {
                    ("anonymous", t!(l, "report-signer-anonymous"))
                } else if ev.key == ledger.log_key.key_id() {
                    ("intake", t!(l, "report-signer-intake"))
                } else {
                    let who = actor_name(&ev.key).unwrap_or_else(|| ev.key.to_string());
                    ("actor", t!(l, "report-signer-actor", actor = who.as_str()))
                };
                history.push(Step {
                    index,
                    status_id: "open",
                    what: t!(l, "report-case-opened"),
                    note: None,
                    date,
                    by: None,
                    entry,
                });
                report = Some((b, signer_id, signer));
            }
            Body::IncidentStatus(b) => {
                let sid = status_id(b.status);
                history.push(Step {
                    index,
                    status_id: sid,
                    what: t!(l, &format!("report-status-{sid}")),
                    note: Some(b.note.to_string()),
                    date,
                    by: actor_name(&ev.key)
                        .map(|a| t!(l, "report-signer-inspector", actor = a.as_str())),
                    entry,
                });
            }
            _ => {}
        }
    }
    let Some((b, signer_id, signer)) = report else {
        return Err(format!("case {case} has no report in its history"));
    };
    let mut subjects = Vec::new();
    for s in b.subjects.sites() {
        subjects.push(Subject {
            kind: t!(l, "report-case-site"),
            id: s.to_string(),
            href: Some(format!("/v1/sites/{}", crate::pages::seg(s))),
        });
    }
    for a in b.subjects.actors() {
        subjects.push(Subject {
            kind: t!(l, "report-case-actor"),
            id: a.to_string(),
            href: Some(format!("/v1/actors/{}", crate::pages::seg(a))),
        });
    }
    for lot in b.subjects.lots() {
        subjects.push(Subject {
            kind: t!(l, "report-case-lot"),
            id: lot.to_string(),
            href: Some(format!(
                "/lots/{}?lang={}",
                crate::pages::seg(lot),
                l.code()
            )),
        });
    }
    let hex = case.to_hex();
    let sid = status_id(state.status);
    let (receipt_text, qr) = match receipt {
        Some((r, url)) => {
            let text = r.to_string();
            let label = t!(l, "report-receipt-qr", receipt = text.as_str());
            (Some(text), qr_svg(&url, &label))
        }
        None => (None, String::new()),
    };
    let page = CasePage {
        lang: l.code(),
        l,
        title: t!(l, "report-case-title", case = &hex[..12]),
        receipt: receipt_text,
        qr,
        fresh,
        case_id: hex.clone(),
        status_id: sid,
        status: t!(l, &format!("report-status-{sid}")),
        category_id: b.category.id(),
        category: t!(l, &format!("report-cat-{}", b.category.id())),
        subjects,
        signer_id,
        signer,
        summary: b.summary.to_string(),
        sealed_for: b.sealed.as_ref().map(|sealed| {
            let who: Vec<String> = sealed
                .to
                .iter()
                .map(|r| actor_name(&r.key).unwrap_or_else(|| r.key.to_string()))
                .collect();
            t!(l, "report-case-sealed", who = who.join(", ").as_str())
        }),
        history,
    };
    page.render().map(Some).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// The OpenAPI operations (merged into `openapi::document`).

/// The plain report form's fields (`spec/http.md`, "Whistle-blowing").
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ReportForm {
    /// `en`, `fr` or `sw`.
    lang: Option<String>,
    /// An incident category of `spec/events.md` section 6.
    category: Option<String>,
    /// A mine site id, or empty.
    site: Option<String>,
    /// An actor id, or empty.
    actor: Option<String>,
    /// A lot id, or empty.
    lot: Option<String>,
    /// What happened: 1 to 4000 bytes.
    summary: Option<String>,
}

/// The whistle-blowing operations.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        doc_form,
        doc_post_form,
        doc_post_signed,
        doc_lookup,
        doc_receipt,
        doc_case
    ),
    components(schemas(ReportReceipt, ReportForm, Envelope, Recorded))
)]
pub struct ReportApi;

/// The report form (HTML; works with JavaScript off).
#[utoipa::path(get, path = "/report", tag = "whistle-blowing",
    params(("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language")),
    responses((status = 200, description = "HTML page", body = String, content_type = "text/html")))]
#[allow(dead_code)]
fn doc_form() {}

/// The plain form: the node records an intake report signed with the log
/// key and redirects to its receipt page.
#[utoipa::path(post, path = "/report", tag = "whistle-blowing",
    request_body(content = ReportForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "recorded: the receipt page is at Location"),
        (status = 400, description = "HTML page: the form again with what to fix", body = String, content_type = "text/html"),
        (status = 403, description = "HTML page: refused by a rule", body = String, content_type = "text/html"),
        (status = 409, description = "HTML page: refused by a rule", body = String, content_type = "text/html"),
        (status = 413, description = "HTML page: the body is over 16 KiB", body = String, content_type = "text/html"),
        (status = 422, description = "HTML page: an unknown site, actor or lot", body = String, content_type = "text/html"),
        (status = 429, description = "HTML page: too many reports from this address", body = String, content_type = "text/html"),
        (status = 503, description = "HTML page: the node stopped writes", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn doc_post_form() {}

/// An anonymous report signed in the browser.
#[utoipa::path(post, path = "/report/signed", tag = "whistle-blowing",
    request_body(content = Envelope, content_type = "application/json"),
    responses(
        (status = 201, description = "recorded", body = ReportReceipt),
        (status = 200, description = "already recorded: the same receipt", body = ReportReceipt),
        (status = 400, description = "malformed request or invalid event", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "bad signature", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "refused by a rule (key-exists, duplicate)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "body too large", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "not an anonymous report, or an unknown site, actor or lot", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "rate-limited", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "writes stopped", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn doc_post_signed() {}

/// The form to type a receipt; `?receipt=` redirects to its page.
#[utoipa::path(get, path = "/r", tag = "whistle-blowing",
    params(
        ("receipt" = Option<String>, Query, description = "a receipt"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 303, description = "to /r/{receipt}"),
    ))]
#[allow(dead_code)]
fn doc_lookup() {}

/// A case followed by its receipt, with the receipt as text and QR code.
#[utoipa::path(get, path = "/r/{receipt}", tag = "whistle-blowing",
    params(
        ("receipt" = String, Path, description = "a receipt, e.g. 16J-KWY2-5"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`"),
        ("new" = Option<String>, Query, description = "`1`: the report was just sent"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 400, description = "HTML page: a malformed receipt", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: no case has this receipt", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn doc_receipt() {}

/// The case page.
#[utoipa::path(get, path = "/cases/{case}", tag = "whistle-blowing",
    params(
        ("case" = String, Path, description = "case id: the report's event hash (64 hex)"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: no such case", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn doc_case() {}

use ledger_core::wire::ProblemBody;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_counts_per_address_in_a_window() {
        let l = Limiter::new();
        let a: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let b: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..LIMIT {
            assert!(l.attempt(&a, t0).is_ok());
        }
        assert!(l.attempt(&a, t0).is_err());
        assert!(l.attempt(&b, t0).is_ok());
        assert!(l.attempt(&a, t0 + WINDOW).is_ok());
    }

    #[test]
    fn text_is_cleaned_not_rewritten() {
        assert_eq!(clean_text("  a\r\nb\tc\u{7}d \n"), "a\nb cd");
    }
}
