//! The HTTP API (`spec/http.md`): `app(state)` builds the router, so tests
//! call it with `oneshot` and no socket. Every error is an
//! `application/problem+json` body whose `type` names the rule.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ledger_core::bundle::Ref;
use ledger_core::hash::{Hash, leaf_hash};
use ledger_core::log::{Envelope, SignedEvent};
use ledger_core::rules::{Refusal, Rule, SigMode, Submission};
use ledger_core::state::KeyOwner;
use ledger_core::wire::{
    ActorView, ActorsPage, BatchItem, BatchResponse, Bundle, CaseView, ConsistencyProof,
    EntriesPage, EntryView, Health, InclusionProof, KeysPage, Leaf, LogInfo, LotSummary, LotView,
    LotsPage, NotRecorded, Placed, ProblemBody, ProblemType, Provenance, Recorded, Signer,
    SiteView, SitesPage, SubmitResponse, Submitted, TagView, Writes,
};
use serde_json::Value;

use crate::ledger::{Item, Ledger, Outcome, decode_entry};

/// Largest request body.
pub const MAX_BODY: usize = 4 << 20;
/// Most events in one POST.
pub const MAX_BATCH: usize = 1000;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The ledger.
    pub ledger: Arc<Ledger>,
    /// The signature-check pool.
    pub verifier: Arc<crate::verify::Verifier>,
    /// Reports and ICGLR documents, cached per tree size.
    pub views: Arc<crate::exports::Views>,
    /// The public pages' summary of the log, cached per tree size.
    pub public: Arc<crate::public::Cache>,
    /// Cores: signature-check workers, and threads that decode leaves for
    /// reports.
    pub cores: usize,
    /// The witness of other logs (`witness.rs`); `None`: it follows no log
    /// and has no key, so every well-formed `add-checkpoint` is a 404.
    pub witness: Option<Arc<ledger_core::witness::Witness>>,
}

impl AppState {
    /// State for `ledger`, with a signature-check worker per core.
    pub fn new(ledger: Arc<Ledger>) -> AppState {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        AppState {
            ledger,
            verifier: crate::verify::Verifier::start(cores),
            views: Arc::new(crate::exports::Views::default()),
            public: Arc::new(crate::public::Cache::default()),
            cores,
            witness: None,
        }
    }

    /// The same state, witnessing with `witness`.
    pub fn with_witness(mut self, witness: ledger_core::witness::Witness) -> AppState {
        self.witness = Some(Arc::new(witness));
        self
    }
}

/// An error response: `application/problem+json` (RFC 9457).
#[derive(Debug, Clone)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Rule or problem id; the `type` is `/problems/<id>`.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What happened, for people.
    pub detail: String,
}

impl Problem {
    /// A problem.
    pub fn new(
        status: StatusCode,
        id: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Problem {
        Problem {
            status,
            id,
            title,
            detail: detail.into(),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            type_: format!("/problems/{}", self.id),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            rule: self.id.to_string(),
        }
    }

    fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            "Malformed request",
            detail,
        )
    }

    pub(crate) fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub(crate) fn bad_parameter(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-parameter",
            "Bad parameter",
            detail,
        )
    }

    pub(crate) fn internal(detail: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %detail, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the node could not complete the request; the operator's log has details",
        )
    }

    fn stopped(why: &str) -> Problem {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "writes-stopped",
            "Writes stopped",
            format!(
                "the node has stopped accepting events and acknowledges nothing until its operator restarts it: {why}"
            ),
        )
    }

    /// The problem for a refused event.
    pub fn refusal(r: &Refusal) -> Problem {
        // The rules! table gives every rule a status in 400..=599, so the
        // fallback is unreachable; it keeps a bad table from panicking here.
        let status =
            StatusCode::from_u16(r.rule.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        Problem::new(status, r.rule.id(), r.rule.title(), r.message.clone())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        // A problem body is strings and a number: it always serialises.
        let body = sorted_json(&self.body()).unwrap_or_default();
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

/// Compact JSON of `v` with every object's keys sorted: what the node has
/// always sent (it built its bodies as `serde_json::Value`s, whose maps are
/// sorted), now independent of the wire types' field order and of
/// serde_json's `preserve_order` feature.
fn sorted_json<T: serde::Serialize>(v: &T) -> Result<String, serde_json::Error> {
    serde_json::to_value(v).map(|v| ledger_core::export::to_json(&v))
}

/// A JSON response body of a wire type (`ledger_core::wire`), sent as
/// `application/json` with its object keys sorted.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match sorted_json(&self.0) {
            Ok(body) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => Problem::internal(e).into_response(),
        }
    }
}

/// What a handler answers: a body, or a problem.
pub type ApiResult<T> = Result<T, Problem>;

/// A request body read with the node's size limit.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Problem;
    async fn from_request(req: Request, _: &S) -> Result<RawBody, Problem> {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ct.is_empty() && !ct.starts_with("application/json") {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                format!("send events as application/json, not {ct}"),
            ));
        }
        match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
            Ok(b) => Ok(RawBody(b)),
            Err(_) => Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Body too large",
                format!(
                    "a request body is at most {MAX_BODY} bytes; send fewer events per request"
                ),
            )),
        }
    }
}

/// Query parameters, with malformed strings answered as problems.
pub struct Q(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Q {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Q, Problem> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q)
            .map(Q)
            .map_err(|e| Problem::bad_parameter(format!("query string: {e}")))
    }
}

impl Q {
    pub(crate) fn u64(&self, name: &str) -> Result<Option<u64>, Problem> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => safe_integer(v)
                .map(Some)
                .map_err(|why| Problem::bad_parameter(format!("{name}={v:?} {why}"))),
        }
    }

    fn required(&self, name: &str) -> Result<u64, Problem> {
        self.u64(name)?.ok_or_else(|| {
            Problem::bad_parameter(format!("the query parameter {name} is required"))
        })
    }
}

/// A path segment, with bad encoding answered as a problem.
pub struct P(pub String);

impl<S: Send + Sync> FromRequestParts<S> for P {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<P, Problem> {
        axum::extract::Path::<String>::from_request_parts(parts, s)
            .await
            .map(|p| P(p.0))
            .map_err(|e| Problem::bad_parameter(e.body_text()))
    }
}

/// Two path segments, with bad encoding answered as a problem.
pub struct P2(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for P2 {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<P2, Problem> {
        axum::extract::Path::<(String, String)>::from_request_parts(parts, s)
            .await
            .map(|p| P2(p.0.0, p.0.1))
            .map_err(|e| Problem::bad_parameter(e.body_text()))
    }
}

/// A count or index parameter: 0 to 2^53 - 1, the integers every JSON
/// client holds exactly, so a larger one is refused rather than clamped or
/// answered with an empty page (`spec/http.md`).
fn safe_integer(v: &str) -> Result<u64, &'static str> {
    match v.parse::<u64>() {
        Ok(n) if n <= ledger_core::jcs::MAX_SAFE_INTEGER => Ok(n),
        Ok(_) => Err("is larger than 2^53 - 1"),
        Err(_) => Err(NOT_AN_INTEGER),
    }
}

const NOT_AN_INTEGER: &str = "is not a non-negative integer";

impl P {
    fn index(&self) -> Result<u64, Problem> {
        safe_integer(&self.0).map_err(|why| {
            Problem::bad_parameter(match why {
                NOT_AN_INTEGER => format!("{:?} is not an entry index", self.0),
                _ => format!("entry index {:?} {why}", self.0),
            })
        })
    }
}

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route, for the router and the OpenAPI coverage test.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/lots/{lot}"),
    ("GET", "/t/{tag}"),
    ("GET", "/healthz"),
    ("GET", "/checkpoint"),
    ("GET", "/tile/{path}"),
    // C2SP tlog-witness (`witness.rs`).
    ("POST", "/add-checkpoint"),
    ("GET", "/openapi.json"),
    ("GET", "/problems/{rule}"),
    ("GET", "/v1/log"),
    ("POST", "/v1/events"),
    ("GET", "/v1/entries"),
    ("GET", "/v1/entries/{index}"),
    ("GET", "/v1/proof/inclusion"),
    ("GET", "/v1/proof/consistency"),
    ("GET", "/v1/lots"),
    ("GET", "/v1/lots/{lot}"),
    ("GET", "/v1/lots/{lot}/bundle"),
    ("GET", "/v1/lots/{lot}/provenance"),
    ("GET", "/v1/tags/{tag}"),
    ("GET", "/v1/actors"),
    ("GET", "/v1/keys"),
    ("GET", "/v1/reports/{kind}"),
    ("GET", "/v1/icglr/{what}"),
    ("GET", "/v1/icglr/{what}/{id}"),
    ("GET", "/v1/epcis/events"),
    ("GET", "/v1/actors/{actor}"),
    ("GET", "/v1/sites"),
    ("GET", "/v1/sites/{site}"),
    ("GET", "/v1/cases/{case}"),
    ("GET", "/assets/{path}"),
    ("GET", "/app"),
    ("GET", "/app/"),
    ("GET", "/app/{path}"),
    // The field app (`app.rs`).
    ("GET", "/v1/devices/{key}"),
    ("GET", "/v1/qr"),
    ("GET", "/v1/labels"),
    // The public pages (`public.rs`).
    ("GET", "/search"),
    ("GET", "/sites/{site}"),
    ("GET", "/actors/{actor}"),
    // Whistle-blowing (`report.rs`).
    ("GET", "/report"),
    ("POST", "/report"),
    ("POST", "/report/signed"),
    ("GET", "/r"),
    ("GET", "/r/{receipt}"),
    ("GET", "/cases/{case}"),
    // Languages (`lang.rs`).
    ("GET", "/locales/{lang}/{file}"),
];

/// Builds the router.
pub fn app(state: AppState) -> Router {
    use tower::ServiceBuilder;
    let router = Router::new()
        .route("/", get(crate::public::dashboard))
        .route("/lots/{lot}", get(crate::lotpage::lot_page))
        .route("/t/{tag}", get(crate::lotpage::tag_page))
        .route("/healthz", get(healthz))
        // C2SP tlog-tiles (`tiles.rs`).
        .route("/checkpoint", get(crate::tiles::checkpoint))
        .route("/tile/{*path}", get(crate::tiles::tile))
        // C2SP tlog-witness (`witness.rs`).
        .route("/add-checkpoint", post(crate::witness::add_checkpoint))
        .route("/openapi.json", get(openapi))
        .route("/problems/{rule}", get(problem_doc))
        .route("/v1/log", get(log_info))
        .route("/v1/events", post(post_events))
        .route("/v1/entries", get(entries))
        .route("/v1/entries/{index}", get(entry))
        .route("/v1/proof/inclusion", get(proof_inclusion))
        .route("/v1/proof/consistency", get(proof_consistency))
        .route("/v1/lots", get(lots))
        .route("/v1/lots/{lot}", get(lot))
        .route("/v1/lots/{lot}/bundle", get(lot_bundle))
        .route("/v1/lots/{lot}/provenance", get(lot_provenance))
        .route("/v1/tags/{tag}", get(tag))
        .route("/v1/actors", get(actors))
        .route("/v1/keys", get(keys))
        .route("/v1/reports/{kind}", get(crate::exports::report))
        .route("/v1/icglr/{what}", get(crate::exports::icglr_list))
        .route("/v1/icglr/{what}/{id}", get(crate::exports::icglr_doc))
        .route("/v1/epcis/events", get(crate::exports::epcis))
        .route("/v1/actors/{actor}", get(actor))
        .route("/v1/sites", get(sites))
        .route("/v1/sites/{site}", get(site))
        .route("/v1/cases/{case}", get(case))
        .route("/assets/{*path}", get(crate::assets::asset))
        .route("/app", get(crate::assets::app_redirect))
        .route("/app/", get(crate::assets::app_index))
        .route("/app/{*path}", get(crate::assets::app_file))
        // The field app (`app.rs`).
        .route("/v1/devices/{key}", get(crate::app::device))
        .route("/v1/qr", get(crate::app::qr))
        .route("/v1/labels", get(crate::app::label))
        // The public pages (`public.rs`).
        .route("/search", get(crate::public::search))
        .route("/sites/{site}", get(crate::public::site_page))
        .route("/actors/{actor}", get(crate::public::actor_page))
        // Whistle-blowing (`report.rs`).
        .merge(crate::report::routes())
        // Languages (`lang.rs`).
        .route("/locales/{lang}/{file}", get(crate::lang::locale_file))
        .fallback(|| async { Problem::not_found("no such endpoint; see /openapi.json") })
        .with_state(state);
    router.layer(
        ServiceBuilder::new()
            // Every response: no inline script or style, nothing from another
            // origin (spec/http.md, "Pages").
            .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ))
            // One span per request at INFO, so every event logged while
            // serving it (a refusal, a storage error) carries the method and
            // path under the default filter; the per-response line stays at
            // DEBUG to keep the log quiet under load.
            .layer(
                tower_http::trace::TraceLayer::new_for_http().make_span_with(
                    tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO),
                ),
            )
            .layer(axum::error_handling::HandleErrorLayer::new(
                |_: tower::BoxError| async {
                    Problem::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "timeout",
                        "Request timeout",
                        format!(
                            "the request took longer than {} s",
                            REQUEST_TIMEOUT.as_secs()
                        ),
                    )
                },
            ))
            .timeout(REQUEST_TIMEOUT)
            // Fastest deflate: responses are JSON that compresses well even
            // so, and the CPU belongs to signature checks.
            .layer(
                tower_http::compression::CompressionLayer::new()
                    .quality(tower_http::CompressionLevel::Fastest)
                    .compress_when(tower_http::compression::predicate::SizeAbove::new(1024)),
            )
            .layer(axum::extract::DefaultBodyLimit::disable()),
    )
}

async fn healthz(State(s): State<AppState>) -> ApiResult<Json<Health>> {
    if let Some(why) = s.ledger.stopped() {
        return Err(Problem::stopped(&why));
    }
    Ok(Json(Health {
        status: "ok".into(),
    }))
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::served(),
    )
        .into_response()
}

/// Problem ids that are not event rules, with what they mean.
pub const PROBLEMS: &[(&str, &str)] = &[
    (
        "malformed-request",
        "The request body is not valid JSON of the expected shape.",
    ),
    (
        "bad-parameter",
        "A path or query parameter is missing or malformed.",
    ),
    (
        "not-found",
        "The entry, lot, actor, site or endpoint does not exist.",
    ),
    ("body-too-large", "The request body is larger than 4 MiB."),
    ("batch-too-large", "A POST carries more than 1000 events."),
    (
        "unsupported-media-type",
        "Events are sent as application/json.",
    ),
    (
        "writes-stopped",
        "The node could not make an event durable and stopped accepting writes until restarted.",
    ),
    ("timeout", "The request took longer than 30 seconds."),
    ("internal", "The node failed; its operator's log says why."),
    (
        "not-anonymous-report",
        "POST /report/signed takes only an incident.report signed by its anonymous_key.",
    ),
    (
        "rate-limited",
        "Too many reports from one address: at most 10 per 10 minutes (spec/http.md, Whistle-blowing).",
    ),
];

async fn problem_doc(P(rule): P) -> ApiResult<Json<ProblemType>> {
    let description = match Rule::from_id(&rule) {
        Some(r) => format!(
            "{}: see spec/{}, rule `{}`.",
            r.title(),
            r.section(),
            r.id()
        ),
        None => PROBLEMS
            .iter()
            .find(|(id, _)| *id == rule)
            .map(|(_, t)| (*t).to_string())
            .ok_or_else(|| Problem::not_found(format!("no problem type {rule:?}")))?,
    };
    Ok(Json(ProblemType {
        type_: format!("/problems/{rule}"),
        description,
    }))
}

async fn log_info(State(s): State<AppState>) -> Json<LogInfo> {
    let l = &s.ledger;
    let cp = l.checkpoint();
    Json(LogInfo {
        origin: l.origin.as_str().to_string(),
        vkey: l.note_key.vkey(),
        log_key: l.log_key.to_string(),
        tree_size: cp.size,
        root_hash: cp.root.to_base64(),
        checkpoint: cp.note.clone(),
        checkpoint_signed_at: cp.signed_at,
        checkpoint_signed_at_iso: ledger_core::time::rfc3339(cp.signed_at),
        writes: match l.stopped() {
            None => Writes::Accepting,
            Some(w) => Writes::Stopped(w),
        },
        witness_vkey: s.witness.as_ref().map(|w| w.key().vkey()),
    })
}

/// The key that must verify `sub`, if known before sequencing: the key it
/// carries (genesis, anonymous reports) or a registered one.
fn known_key(ledger: &Ledger, sub: &Submission) -> Option<ledger_core::crypto::PublicKey> {
    let pk = match sub.embedded_key() {
        Some(pk) => Some(pk),
        None => ledger
            .store()
            .key(&sub.event.key)
            .ok()
            .flatten()
            .map(|k| k.pk),
    };
    pk.filter(|pk| pk.key_id() == sub.event.key)
}

fn parse_one(v: &Value, at: &str) -> Result<SignedEvent, Refusal> {
    let env: Envelope = serde_json::from_value(v.clone()).map_err(|e| Refusal {
        rule: Rule::InvalidEvent,
        message: format!(
            "{at}: not a signed event envelope {{\"event\": base64, \"sig\": base64}}: {e}"
        ),
    })?;
    SignedEvent::from_envelope(&env).map_err(|e| Refusal {
        rule: Rule::InvalidEvent,
        message: format!("{at}: {e}"),
    })
}

/// The envelopes of a `POST /v1/events` body and whether it was a batch.
/// The body is read as a `Value` first, not straight into
/// `wire::SubmitRequest`, so that each shape error gets its own message and
/// a malformed envelope inside a batch refuses that event only.
fn envelopes(body: &[u8]) -> Result<(Vec<Value>, bool), Problem> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Problem::bad_request(format!("the body is not JSON: {e}")))?;
    let (raw, batch) = match value {
        Value::Object(mut m) if m.contains_key("events") => {
            if m.len() != 1 {
                return Err(Problem::bad_request(
                    "a batch is {\"events\": [...]} with no other fields",
                ));
            }
            match m.remove("events") {
                Some(Value::Array(a)) => (a, true),
                _ => {
                    return Err(Problem::bad_request(
                        "field `events` must be an array of signed events",
                    ));
                }
            }
        }
        v @ Value::Object(_) => (vec![v], false),
        _ => {
            return Err(Problem::bad_request(
                "send one signed event {\"event\", \"sig\"} or a batch {\"events\": [...]}",
            ));
        }
    };
    if raw.is_empty() {
        return Err(Problem::bad_request("the batch holds no events"));
    }
    if raw.len() > MAX_BATCH {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch-too-large",
            "Batch too large",
            format!(
                "a POST carries at most {MAX_BATCH} events, this one {}",
                raw.len()
            ),
        ));
    }
    Ok((raw, batch))
}

async fn post_events(
    State(s): State<AppState>,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<SubmitResponse>)> {
    if let Some(why) = s.ledger.stopped() {
        return Err(Problem::stopped(&why));
    }
    let (raw, batch) = envelopes(&body)?;
    let decode = move |chunk: Vec<(usize, Value)>| -> Vec<Result<Submission, Refusal>> {
        chunk
            .into_iter()
            .map(|(i, v)| {
                let at = if batch {
                    format!("events[{i}]")
                } else {
                    "body".to_string()
                };
                parse_one(&v, &at).and_then(|ev| ev.submission())
            })
            .collect()
    };
    let indexed: Vec<(usize, Value)> = raw.into_iter().enumerate().collect();
    let decoded: Vec<Result<Submission, Refusal>> = if indexed.len() <= 8 {
        decode(indexed)
    } else {
        tokio::task::spawn_blocking(move || decode(indexed))
            .await
            .map_err(|_| Problem::internal("decoding task failed"))?
    };
    // Signatures whose key is known now go to the check pool together.
    let mut checks = Vec::new();
    let mut checked = Vec::new();
    for (i, d) in decoded.iter().enumerate() {
        if let Ok(sub) = d
            && let Some(pk) = known_key(&s.ledger, sub)
        {
            checks.push((
                pk,
                ledger_core::crypto::event_message(&sub.bytes),
                sub.signature,
            ));
            checked.push(i);
        }
    }
    let verdicts = s.verifier.check(checks).await;
    let mut modes = vec![SigMode::Verify; decoded.len()];
    for (i, v) in checked.into_iter().zip(verdicts) {
        modes[i] = SigMode::Known(v);
    }
    let mut items = Vec::new();
    let mut slots: Vec<Result<usize, Refusal>> = Vec::new();
    for (d, sig) in decoded.into_iter().zip(modes) {
        match d {
            Ok(sub) => {
                slots.push(Ok(items.len()));
                items.push(Item {
                    sub,
                    sig,
                    record_time: None,
                });
            }
            Err(r) => slots.push(Err(r)),
        }
    }
    let (outcomes, cp) = if items.is_empty() {
        (Vec::new(), s.ledger.checkpoint())
    } else {
        s.ledger
            .submit(items)
            .await
            .map_err(|e| Problem::stopped(&e))?
    };
    let mut results = slots
        .into_iter()
        .map(|slot| slot.map(|i| outcomes[i].clone()));
    if !batch {
        let one = results
            .next()
            .ok_or_else(|| Problem::internal("a submission without a result"))?
            .map_err(|r| Problem::refusal(&r))?;
        let (status, code, index, leaf_hash, event_hash) = match one {
            Outcome::Accepted {
                index,
                leaf_hash,
                event_hash,
            } => (
                Recorded::Accepted,
                StatusCode::CREATED,
                index,
                leaf_hash,
                event_hash,
            ),
            Outcome::Existing {
                index,
                leaf_hash,
                event_hash,
            } => (
                Recorded::Existing,
                StatusCode::OK,
                index,
                leaf_hash,
                event_hash,
            ),
            Outcome::Refused(r) => return Err(Problem::refusal(&r)),
            Outcome::Failed(why) => return Err(Problem::stopped(&why)),
        };
        return Ok((
            code,
            Json(SubmitResponse::One(Submitted {
                status,
                index,
                leaf_hash: leaf_hash.to_base64(),
                event_hash: event_hash.to_hex(),
                checkpoint: cp.note.clone(),
            })),
        ));
    }
    let results: Vec<BatchItem> = results
        .map(|r| match r {
            Ok(o) => batch_item(&o),
            Err(r) => BatchItem::Refused(NotRecorded {
                problem: Problem::refusal(&r).body(),
            }),
        })
        .collect();
    let count = |f: fn(&BatchItem) -> bool| results.iter().filter(|r| f(r)).count() as u64;
    let response = BatchResponse {
        accepted: count(|r| matches!(r, BatchItem::Accepted(_))),
        existing: count(|r| matches!(r, BatchItem::Existing(_))),
        refused: count(|r| matches!(r, BatchItem::Refused(_))),
        failed: count(|r| matches!(r, BatchItem::Failed(_))),
        checkpoint: cp.note.clone(),
        results,
    };
    Ok((StatusCode::OK, Json(SubmitResponse::Batch(response))))
}

fn batch_item(o: &Outcome) -> BatchItem {
    match o {
        Outcome::Accepted {
            index,
            leaf_hash,
            event_hash,
        } => BatchItem::Accepted(Placed {
            index: *index,
            leaf_hash: leaf_hash.to_base64(),
            event_hash: event_hash.to_hex(),
        }),
        Outcome::Existing {
            index,
            leaf_hash,
            event_hash,
        } => BatchItem::Existing(Placed {
            index: *index,
            leaf_hash: leaf_hash.to_base64(),
            event_hash: event_hash.to_hex(),
        }),
        Outcome::Refused(r) => BatchItem::Refused(NotRecorded {
            problem: Problem::refusal(r).body(),
        }),
        Outcome::Failed(why) => BatchItem::Failed(NotRecorded {
            problem: Problem::stopped(why).body(),
        }),
    }
}

/// The view of entry `index`: exact leaf bytes, hashes and the decoded event.
///
/// # Errors
/// Not found, or storage failures.
pub fn entry_view(ledger: &Ledger, index: u64) -> Result<EntryView, Problem> {
    let bytes = ledger
        .leaf(index)
        .map_err(Problem::internal)?
        .ok_or_else(|| {
            Problem::not_found(format!(
                "no entry {index}: the log has {} entries",
                ledger.checkpoint().size
            ))
        })?;
    let (leaf, ev) = decode_entry(&bytes).map_err(Problem::internal)?;
    let key = ev.key.to_string();
    let signer = match ledger.store().key(&ev.key).map_err(Problem::internal)? {
        Some(k) => match k.owner {
            KeyOwner::Actor(a) => Signer::Actor {
                actor: a.as_str().to_string(),
                key,
            },
            KeyOwner::Log => Signer::Log { key },
        },
        None => Signer::Anonymous { key },
    };
    let event: Value = serde_json::from_slice(&leaf.event).map_err(Problem::internal)?;
    Ok(EntryView {
        index,
        leaf: B64.encode(&bytes),
        leaf_hash: leaf_hash(&bytes).to_base64(),
        record_time: leaf.record_time,
        record_time_iso: ledger_core::time::rfc3339(leaf.record_time),
        claimed_time_iso: ledger_core::time::rfc3339(ev.time.0),
        prev_leaf_hash: leaf.prev_leaf.to_base64(),
        event_hash: ledger_core::event::event_hash(&leaf.event).to_hex(),
        type_: ev.type_name().to_string(),
        signer,
        sig: B64.encode(leaf.signature),
        event,
    })
}

async fn entry(State(s): State<AppState>, p: P) -> ApiResult<Json<EntryView>> {
    Ok(Json(entry_view(&s.ledger, p.index()?)?))
}

async fn entries(State(s): State<AppState>, q: Q) -> ApiResult<Json<EntriesPage>> {
    let size = s.ledger.checkpoint().size;
    let start = q.u64("start")?.unwrap_or(0);
    let limit = q.u64("limit")?.unwrap_or(100).clamp(1, 1000);
    let end = (start.saturating_add(limit)).min(size);
    let mut entries = Vec::new();
    for index in start..end {
        let b = s
            .ledger
            .leaf(index)
            .map_err(Problem::internal)?
            .ok_or_else(|| Problem::not_found("entry"))?;
        entries.push(Leaf {
            index,
            leaf: B64.encode(b),
        });
    }
    Ok(Json(EntriesPage {
        tree_size: size,
        start,
        entries,
        next: (end < size).then_some(end),
    }))
}

fn hashes(h: &[Hash]) -> Vec<String> {
    h.iter().map(Hash::to_base64).collect()
}

async fn proof_inclusion(State(s): State<AppState>, q: Q) -> ApiResult<Json<InclusionProof>> {
    let index = q.required("index")?;
    let tree_size = q
        .u64("tree_size")?
        .unwrap_or_else(|| s.ledger.checkpoint().size);
    let proof = s
        .ledger
        .prove_inclusion(index, tree_size)
        .map_err(|e| Problem::bad_parameter(e.to_string()))?;
    let lh = s.ledger.leaf_hash(index).map_err(Problem::internal)?;
    Ok(Json(InclusionProof {
        index,
        tree_size,
        leaf_hash: lh.to_base64(),
        hashes: hashes(&proof),
    }))
}

async fn proof_consistency(State(s): State<AppState>, q: Q) -> ApiResult<Json<ConsistencyProof>> {
    let from = q.required("from")?;
    let to = q.u64("to")?.unwrap_or_else(|| s.ledger.checkpoint().size);
    let proof = s
        .ledger
        .prove_consistency(from, to)
        .map_err(|e| Problem::bad_parameter(e.to_string()))?;
    Ok(Json(ConsistencyProof {
        from,
        to,
        hashes: hashes(&proof),
    }))
}

/// The wire summary of a lot's state.
pub fn lot_summary(l: &ledger_core::state::LotState) -> LotSummary {
    LotSummary::from(l)
}

async fn lots(State(s): State<AppState>, q: Q) -> ApiResult<Json<LotsPage>> {
    let limit = q.u64("limit")?.unwrap_or(50).clamp(1, 500) as usize;
    let after = q.u64("after")?;
    let page = s
        .ledger
        .store()
        .lots_page(after, limit)
        .map_err(Problem::internal)?;
    let size = s.ledger.checkpoint().size;
    let mut lots = Vec::new();
    for (_, id) in page.iter().filter(|(i, _)| *i < size) {
        if let Some(l) = s.ledger.store().lot(id).map_err(Problem::internal)? {
            lots.push(lot_summary(&l));
        }
    }
    let next = if page.len() == limit {
        page.last().map(|p| p.0)
    } else {
        None
    };
    Ok(Json(LotsPage { lots, next }))
}

/// The view of a lot: current state and every event in its history.
///
/// # Errors
/// Not found, or storage failures.
pub fn lot_view(ledger: &Ledger, id: &str) -> Result<LotView, Problem> {
    let l = ledger
        .store()
        .lot(id)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::not_found(format!("no lot {id:?}")))?;
    let mut history = Vec::new();
    for i in ledger
        .history(&Ref::Lot(id.to_string()))
        .map_err(Problem::internal)?
    {
        history.push(entry_view(ledger, i)?);
    }
    Ok(LotView {
        lot: lot_summary(&l),
        history,
    })
}

async fn lot(State(s): State<AppState>, P(id): P) -> ApiResult<Json<LotView>> {
    Ok(Json(lot_view(&s.ledger, &id)?))
}

fn require_lot(ledger: &Ledger, id: &str) -> Result<(), Problem> {
    match ledger.store().lot(id).map_err(Problem::internal)? {
        Some(_) => Ok(()),
        None => Err(Problem::not_found(format!("no lot {id:?}"))),
    }
}

async fn lot_provenance(State(s): State<AppState>, P(id): P) -> ApiResult<Json<Provenance>> {
    require_lot(&s.ledger, &id)?;
    let mut entries = Vec::new();
    for i in s.ledger.provenance(&id).map_err(Problem::internal)? {
        entries.push(entry_view(&s.ledger, i)?);
    }
    Ok(Json(Provenance { lot: id, entries }))
}

async fn lot_bundle(State(s): State<AppState>, P(id): P) -> ApiResult<Json<Bundle>> {
    let lid = ledger_core::types::Id::new(id.clone()).map_err(|e| Problem::bad_parameter(e.0))?;
    require_lot(&s.ledger, &id)?;
    Ok(Json(s.ledger.bundle(&lid).map_err(Problem::internal)?))
}

async fn tag(State(s): State<AppState>, P(tag): P) -> ApiResult<Json<TagView>> {
    let lot = s
        .ledger
        .store()
        .tag_lot(&tag)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::not_found(format!("tag {tag:?} is attached to no lot")))?;
    let l = s.ledger.store().lot(&lot).map_err(Problem::internal)?;
    Ok(Json(TagView {
        tag,
        lot: lot.as_str().to_string(),
        state: l.as_ref().map(lot_summary),
    }))
}

async fn keys(State(s): State<AppState>) -> ApiResult<Json<KeysPage>> {
    let store = s.ledger.store();
    let actors = store.actors().map_err(Problem::internal)?;
    KeysPage::from_state(&actors, store)
        .map(Json)
        .map_err(Problem::internal)
}

async fn actors(State(s): State<AppState>) -> ApiResult<Json<ActorsPage>> {
    let actors = s.ledger.store().actors().map_err(Problem::internal)?;
    Ok(Json(ActorsPage {
        actors: actors.into_iter().map(ActorView::from).collect(),
    }))
}

async fn actor(State(s): State<AppState>, P(id): P) -> ApiResult<Json<ActorView>> {
    let a = s
        .ledger
        .store()
        .actor(&id)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::not_found(format!("no actor {id:?}")))?;
    Ok(Json(a.into()))
}

async fn sites(State(s): State<AppState>) -> ApiResult<Json<SitesPage>> {
    let sites = s.ledger.store().sites().map_err(Problem::internal)?;
    Ok(Json(SitesPage {
        sites: sites.into_iter().map(SiteView::from).collect(),
    }))
}

async fn site(State(s): State<AppState>, P(id): P) -> ApiResult<Json<SiteView>> {
    let site = s
        .ledger
        .store()
        .site(&id)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::not_found(format!("no site {id:?}")))?;
    Ok(Json(site.into()))
}

async fn case(State(s): State<AppState>, P(id): P) -> ApiResult<Json<CaseView>> {
    let h: Hash = id
        .parse()
        .map_err(|_| Problem::bad_parameter("a case id is the report's event hash (64 hex)"))?;
    let c = s
        .ledger
        .store()
        .case(&h)
        .map_err(Problem::internal)?
        .ok_or_else(|| Problem::not_found(format!("no case {id}")))?;
    let mut history = Vec::new();
    for i in s.ledger.history(&Ref::Case(h)).map_err(Problem::internal)? {
        history.push(entry_view(&s.ledger, i)?);
    }
    Ok(Json(CaseView {
        case: c.into(),
        history,
    }))
}

/// An empty body (for tests).
pub fn empty() -> Body {
    Body::empty()
}
