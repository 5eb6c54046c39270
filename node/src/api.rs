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
use serde_json::{Value, json};

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
    /// Cores: signature-check workers, and threads that decode leaves for
    /// reports.
    pub cores: usize,
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
            cores,
        }
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
    pub fn body(&self) -> Value {
        json!({
            "type": format!("/problems/{}", self.id),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
            "rule": self.id,
        })
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
        let status = match r.rule {
            Rule::InvalidEvent | Rule::UnsupportedVersion | Rule::WrongLog | Rule::InvalidLeaf => {
                StatusCode::BAD_REQUEST
            }
            Rule::BadSignature
            | Rule::UnknownKey
            | Rule::KeyRevoked
            | Rule::KeyRetired
            | Rule::RoleNotAllowed
            | Rule::NotCustodian
            | Rule::OfferNotForYou
            | Rule::NotSiteOperator
            | Rule::CertNotYours => StatusCode::FORBIDDEN,
            Rule::StaleHead
            | Rule::DuplicateEvent
            | Rule::GenesisRepeated
            | Rule::GenesisRequired
            | Rule::ActorExists
            | Rule::KeyExists
            | Rule::LicenceExists
            | Rule::SiteExists
            | Rule::InspectionExists
            | Rule::TagsOverlap
            | Rule::TagUsed
            | Rule::LotExists
            | Rule::LotClosed
            | Rule::NoPendingOffer
            | Rule::CertExists
            | Rule::RequestExists => StatusCode::CONFLICT,
            Rule::Storage => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Problem::new(status, r.rule.id(), rule_title(r.rule), r.message.clone())
    }
}

/// A short title per rule.
pub fn rule_title(r: Rule) -> &'static str {
    match r {
        Rule::InvalidEvent => "Invalid event",
        Rule::UnsupportedVersion => "Unsupported event version",
        Rule::InvalidLeaf => "Invalid leaf",
        Rule::WrongLog => "Event for another log",
        Rule::DuplicateEvent => "Duplicate event",
        Rule::GenesisRequired => "Genesis required",
        Rule::GenesisRepeated => "Genesis repeated",
        Rule::UnknownKey => "Unknown key",
        Rule::KeyRevoked => "Key revoked",
        Rule::KeyRetired => "Key retired",
        Rule::BadSignature => "Bad signature",
        Rule::RoleNotAllowed => "Role not allowed",
        Rule::WeakKey => "Weak key",
        Rule::KeyExists => "Key already registered",
        Rule::KeyUnknown => "Key not of this actor",
        Rule::ActorExists => "Actor already registered",
        Rule::ActorUnknown => "Unknown actor",
        Rule::LicenceExists => "Licence already registered",
        Rule::SiteExists => "Site already registered",
        Rule::SiteUnknown => "Unknown site",
        Rule::NotSiteOperator => "Not an operator of the site",
        Rule::MineralNotAtSite => "Mineral not registered at the site",
        Rule::InspectionExists => "Inspection already recorded",
        Rule::TagsOverlap => "Tag ranges overlap",
        Rule::TagNotAllocated => "Tag not allocated",
        Rule::TagWrongSite => "Tag allocated to another site",
        Rule::TagUsed => "Tag already used",
        Rule::LotExists => "Lot already registered",
        Rule::LotUnknown => "Unknown lot",
        Rule::LotClosed => "Lot closed",
        Rule::StaleHead => "Stale lot head",
        Rule::NotCustodian => "Not the custodian",
        Rule::NoPendingOffer => "No pending offer",
        Rule::OfferNotForYou => "Offer addressed to someone else",
        Rule::MineralMismatch => "Minerals differ",
        Rule::CertExists => "Certificate already issued",
        Rule::CertUnknown => "Unknown certificate",
        Rule::CertNotYours => "Certificate of another exporter",
        Rule::LotNotOnCert => "Lot not on the certificate",
        Rule::RequestExists => "Request already registered",
        Rule::RequestUnknown => "Unknown request",
        Rule::NotCorrectable => "Not correctable",
        Rule::CaseUnknown => "Unknown incident case",
        _ => "Refused",
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut r = (self.status, self.body().to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

fn ok_json(status: StatusCode, v: Value) -> Response {
    (status, axum::Json(v)).into_response()
}

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
            Some(v) => v.parse().map(Some).map_err(|_| {
                Problem::bad_parameter(format!("{name}={v:?} is not a non-negative integer"))
            }),
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

impl P {
    fn index(&self) -> Result<u64, Problem> {
        self.0
            .parse()
            .map_err(|_| Problem::bad_parameter(format!("{:?} is not an entry index", self.0)))
    }
}

/// Every route, for the router and the OpenAPI coverage test.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/lots/{lot}"),
    ("GET", "/t/{tag}"),
    ("GET", "/healthz"),
    ("GET", "/checkpoint"),
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
];

/// The OpenAPI document (`spec/openapi.json`).
pub const OPENAPI: &str = include_str!("../../spec/openapi.json");

/// Builds the router.
pub fn app(state: AppState) -> Router {
    use tower::ServiceBuilder;
    let router = Router::new()
        .route("/", get(crate::pages::home))
        .route("/lots/{lot}", get(crate::lotpage::lot_page))
        .route("/t/{tag}", get(crate::lotpage::tag_page))
        .route("/healthz", get(healthz))
        .route("/checkpoint", get(checkpoint))
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
        .fallback(|| async { Problem::not_found("no such endpoint; see /openapi.json") })
        .with_state(state);
    router.layer(
        ServiceBuilder::new()
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

async fn healthz(State(s): State<AppState>) -> Response {
    match s.ledger.stopped() {
        None => ok_json(StatusCode::OK, json!({"status": "ok"})),
        Some(why) => Problem::stopped(&why).into_response(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn problem_doc(P(rule): P) -> Response {
    let known = Rule::from_id(&rule).map(|r| (r.id(), rule_title(r)));
    let extra = [
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
    ];
    let text = match known {
        Some((id, title)) => format!("{title}: see spec/events.md, rule `{id}`."),
        None => match extra.iter().find(|(id, _)| *id == rule) {
            Some((_, t)) => (*t).to_string(),
            None => return Problem::not_found(format!("no problem type {rule:?}")).into_response(),
        },
    };
    ok_json(
        StatusCode::OK,
        json!({"type": format!("/problems/{rule}"), "description": text}),
    )
}

async fn checkpoint(State(s): State<AppState>) -> Response {
    let cp = s.ledger.checkpoint();
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        cp.note.clone(),
    )
        .into_response()
}

async fn log_info(State(s): State<AppState>) -> Response {
    let l = &s.ledger;
    let cp = l.checkpoint();
    ok_json(
        StatusCode::OK,
        json!({
            "origin": l.origin.as_str(),
            "vkey": l.note_key.vkey(),
            "log_key": l.log_key.to_string(),
            "tree_size": cp.size,
            "root_hash": cp.root.to_base64(),
            "checkpoint": cp.note,
            "checkpoint_signed_at": cp.signed_at,
            "checkpoint_signed_at_iso": ledger_core::time::rfc3339(cp.signed_at),
            "writes": match l.stopped() { None => json!("accepting"), Some(w) => json!({"stopped": w}) },
        }),
    )
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

enum Parsed {
    Ready(Box<Item>),
    Refused(Refusal),
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

async fn post_events(State(s): State<AppState>, RawBody(body): RawBody) -> Response {
    if let Some(why) = s.ledger.stopped() {
        return Problem::stopped(&why).into_response();
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Problem::bad_request(format!("the body is not JSON: {e}")).into_response();
        }
    };
    let (raw, batch) = match &value {
        Value::Object(m) if m.contains_key("events") => {
            if m.len() != 1 {
                return Problem::bad_request("a batch is {\"events\": [...]} with no other fields")
                    .into_response();
            }
            match &m["events"] {
                Value::Array(a) => (a.clone(), true),
                _ => {
                    return Problem::bad_request(
                        "field `events` must be an array of signed events",
                    )
                    .into_response();
                }
            }
        }
        Value::Object(_) => (vec![value.clone()], false),
        _ => {
            return Problem::bad_request(
                "send one signed event {\"event\", \"sig\"} or a batch {\"events\": [...]}",
            )
            .into_response();
        }
    };
    if raw.is_empty() {
        return Problem::bad_request("the batch holds no events").into_response();
    }
    if raw.len() > MAX_BATCH {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch-too-large",
            "Batch too large",
            format!(
                "a POST carries at most {MAX_BATCH} events, this one {}",
                raw.len()
            ),
        )
        .into_response();
    }
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
        match tokio::task::spawn_blocking(move || decode(indexed)).await {
            Ok(d) => d,
            Err(_) => return Problem::internal("decoding task failed").into_response(),
        }
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
    let parsed: Vec<(usize, Parsed)> = decoded
        .into_iter()
        .zip(modes)
        .enumerate()
        .map(|(i, (d, sig))| {
            (
                i,
                match d {
                    Ok(sub) => Parsed::Ready(Box::new(Item {
                        sub,
                        sig,
                        record_time: None,
                    })),
                    Err(r) => Parsed::Refused(r),
                },
            )
        })
        .collect();
    let mut items = Vec::new();
    let mut slots: Vec<Result<usize, Refusal>> = Vec::new();
    for (_, p) in parsed {
        match p {
            Parsed::Ready(item) => {
                slots.push(Ok(items.len()));
                items.push(*item);
            }
            Parsed::Refused(r) => slots.push(Err(r)),
        }
    }
    let (outcomes, cp) = if items.is_empty() {
        (Vec::new(), s.ledger.checkpoint())
    } else {
        match s.ledger.submit(items).await {
            Ok(x) => x,
            Err(e) => return Problem::stopped(&e).into_response(),
        }
    };
    let results: Vec<Result<Outcome, Refusal>> = slots
        .into_iter()
        .map(|slot| slot.map(|i| outcomes[i].clone()))
        .collect();
    if !batch {
        return match &results[0] {
            Err(r) => Problem::refusal(r).into_response(),
            Ok(Outcome::Refused(r)) => Problem::refusal(r).into_response(),
            Ok(Outcome::Failed(why)) => Problem::stopped(why).into_response(),
            Ok(o) => {
                let status = if matches!(o, Outcome::Accepted { .. }) {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                };
                let mut v = outcome_json(o);
                v["checkpoint"] = json!(cp.note);
                ok_json(status, v)
            }
        };
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let list: Vec<Value> = results
        .iter()
        .map(|r| {
            let v = match r {
                Err(refusal) => {
                    json!({"status": "refused", "problem": Problem::refusal(refusal).body()})
                }
                Ok(o) => outcome_json(o),
            };
            *counts
                .entry(match v["status"].as_str().unwrap_or("") {
                    "accepted" => "accepted",
                    "existing" => "existing",
                    "refused" => "refused",
                    _ => "failed",
                })
                .or_default() += 1;
            v
        })
        .collect();
    ok_json(
        StatusCode::OK,
        json!({
            "results": list,
            "accepted": counts.get("accepted").copied().unwrap_or(0),
            "existing": counts.get("existing").copied().unwrap_or(0),
            "refused": counts.get("refused").copied().unwrap_or(0),
            "failed": counts.get("failed").copied().unwrap_or(0),
            "checkpoint": cp.note,
        }),
    )
}

fn outcome_json(o: &Outcome) -> Value {
    match o {
        Outcome::Accepted {
            index,
            leaf_hash,
            event_hash,
        } => {
            json!({"status": "accepted", "index": index, "leaf_hash": leaf_hash.to_base64(), "event_hash": event_hash.to_hex()})
        }
        Outcome::Existing {
            index,
            leaf_hash,
            event_hash,
        } => {
            json!({"status": "existing", "index": index, "leaf_hash": leaf_hash.to_base64(), "event_hash": event_hash.to_hex()})
        }
        Outcome::Refused(r) => json!({"status": "refused", "problem": Problem::refusal(r).body()}),
        Outcome::Failed(why) => {
            json!({"status": "failed", "problem": Problem::stopped(why).body()})
        }
    }
}

/// The JSON view of entry `index`: exact leaf bytes, hashes and the decoded event.
///
/// # Errors
/// Not found, or storage failures.
pub fn entry_view(ledger: &Ledger, index: u64) -> Result<Value, Problem> {
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
    let signer = match ledger.store().key(&ev.key).map_err(Problem::internal)? {
        Some(k) => match k.owner {
            KeyOwner::Actor(a) => {
                json!({"kind": "actor", "actor": a.as_str(), "key": ev.key.to_string()})
            }
            KeyOwner::Log => json!({"kind": "log", "key": ev.key.to_string()}),
        },
        None => json!({"kind": "anonymous", "key": ev.key.to_string()}),
    };
    let event: Value = serde_json::from_slice(&leaf.event).map_err(Problem::internal)?;
    Ok(json!({
        "index": index,
        "leaf": B64.encode(&bytes),
        "leaf_hash": leaf_hash(&bytes).to_base64(),
        "record_time": leaf.record_time,
        "record_time_iso": ledger_core::time::rfc3339(leaf.record_time),
        "claimed_time_iso": ledger_core::time::rfc3339(ev.time.0),
        "prev_leaf_hash": leaf.prev_leaf.to_base64(),
        "event_hash": ledger_core::event::event_hash(&leaf.event).to_hex(),
        "type": ev.type_name(),
        "signer": signer,
        "sig": B64.encode(leaf.signature),
        "event": event,
    }))
}

async fn entry(State(s): State<AppState>, p: P) -> Response {
    match p.index().and_then(|i| entry_view(&s.ledger, i)) {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn entries(State(s): State<AppState>, q: Q) -> Response {
    let run = || -> Result<Value, Problem> {
        let size = s.ledger.checkpoint().size;
        let start = q.u64("start")?.unwrap_or(0);
        let limit = q.u64("limit")?.unwrap_or(100).clamp(1, 1000);
        let end = (start.saturating_add(limit)).min(size);
        let mut out = Vec::new();
        for i in start..end {
            let b = s
                .ledger
                .leaf(i)
                .map_err(Problem::internal)?
                .ok_or_else(|| Problem::not_found("entry"))?;
            out.push(json!({"index": i, "leaf": B64.encode(b)}));
        }
        Ok(
            json!({"tree_size": size, "start": start, "entries": out, "next": if end < size { json!(end) } else { Value::Null }}),
        )
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

fn hashes(h: &[Hash]) -> Vec<String> {
    h.iter().map(Hash::to_base64).collect()
}

async fn proof_inclusion(State(s): State<AppState>, q: Q) -> Response {
    let run = || -> Result<Value, Problem> {
        let index = q.required("index")?;
        let size = q
            .u64("tree_size")?
            .unwrap_or_else(|| s.ledger.checkpoint().size);
        let proof = s
            .ledger
            .prove_inclusion(index, size)
            .map_err(|e| Problem::bad_parameter(e.to_string()))?;
        let lh = s.ledger.leaf_hash(index).map_err(Problem::internal)?;
        Ok(
            json!({"index": index, "tree_size": size, "leaf_hash": lh.to_base64(), "hashes": hashes(&proof)}),
        )
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn proof_consistency(State(s): State<AppState>, q: Q) -> Response {
    let run = || -> Result<Value, Problem> {
        let from = q.required("from")?;
        let to = q.u64("to")?.unwrap_or_else(|| s.ledger.checkpoint().size);
        let proof = s
            .ledger
            .prove_consistency(from, to)
            .map_err(|e| Problem::bad_parameter(e.to_string()))?;
        Ok(json!({"from": from, "to": to, "hashes": hashes(&proof)}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

fn lot_summary(l: &ledger_core::state::LotState) -> Value {
    json!({
        "id": l.id.as_str(),
        "mineral": l.mineral.code(),
        "mineral_name": l.mineral.name_en(),
        "mass_g": l.mass.0,
        "grade_bp": l.grade.0,
        "custodian": l.custodian.as_str(),
        "status": l.status,
        "pending_offer_to": l.pending_offer.as_ref().map(|a| a.as_str()),
        "head": l.head.to_hex(),
        "tag": l.tag.as_ref().map(|t| t.as_str()),
        "created_index": l.created,
    })
}

async fn lots(State(s): State<AppState>, q: Q) -> Response {
    let run = || -> Result<Value, Problem> {
        let limit = q.u64("limit")?.unwrap_or(50).clamp(1, 500) as usize;
        let after = q.u64("after")?;
        let page = s
            .ledger
            .store()
            .lots_page(after, limit)
            .map_err(Problem::internal)?;
        let size = s.ledger.checkpoint().size;
        let mut out = Vec::new();
        for (_, id) in page.iter().filter(|(i, _)| *i < size) {
            if let Some(l) = s.ledger.store().lot(id).map_err(Problem::internal)? {
                out.push(lot_summary(&l));
            }
        }
        let next = if page.len() == limit {
            page.last().map(|p| json!(p.0))
        } else {
            None
        };
        Ok(json!({"lots": out, "next": next.unwrap_or(Value::Null)}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

/// The JSON view of a lot: current state and every event in its history.
///
/// # Errors
/// Not found, or storage failures.
pub fn lot_view(ledger: &Ledger, id: &str) -> Result<Value, Problem> {
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
    let mut v = lot_summary(&l);
    v["history"] = json!(history);
    Ok(v)
}

async fn lot(State(s): State<AppState>, P(id): P) -> Response {
    match lot_view(&s.ledger, &id) {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn lot_provenance(State(s): State<AppState>, P(id): P) -> Response {
    let run = || -> Result<Value, Problem> {
        if s.ledger
            .store()
            .lot(&id)
            .map_err(Problem::internal)?
            .is_none()
        {
            return Err(Problem::not_found(format!("no lot {id:?}")));
        }
        let mut entries = Vec::new();
        for i in s.ledger.provenance(&id).map_err(Problem::internal)? {
            entries.push(entry_view(&s.ledger, i)?);
        }
        Ok(json!({"lot": id, "entries": entries}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn lot_bundle(State(s): State<AppState>, P(id): P) -> Response {
    let run = || -> Result<Value, Problem> {
        let lid =
            ledger_core::types::Id::new(id.clone()).map_err(|e| Problem::bad_parameter(e.0))?;
        if s.ledger
            .store()
            .lot(&id)
            .map_err(Problem::internal)?
            .is_none()
        {
            return Err(Problem::not_found(format!("no lot {id:?}")));
        }
        let b = s.ledger.bundle(&lid).map_err(Problem::internal)?;
        serde_json::to_value(b).map_err(Problem::internal)
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn tag(State(s): State<AppState>, P(tag): P) -> Response {
    let run = || -> Result<Value, Problem> {
        let lot = s
            .ledger
            .store()
            .tag_lot(&tag)
            .map_err(Problem::internal)?
            .ok_or_else(|| Problem::not_found(format!("tag {tag:?} is attached to no lot")))?;
        let l = s.ledger.store().lot(&lot).map_err(Problem::internal)?;
        Ok(json!({"tag": tag, "lot": lot.as_str(), "state": l.as_ref().map(lot_summary)}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn keys(State(s): State<AppState>) -> Response {
    let run = || -> Result<Value, Problem> {
        let store = s.ledger.store();
        let mut out = Vec::new();
        for a in store.actors().map_err(Problem::internal)? {
            for k in &a.keys {
                if let Some(e) = store.key(k).map_err(Problem::internal)? {
                    out.push(json!({
                        "key_id": k.to_string(),
                        "public_key": e.pk.to_string(),
                        "actor": a.profile.id.as_str(),
                        "roles": a.profile.roles,
                        "status": e.status,
                    }));
                }
            }
        }
        Ok(json!({"keys": out}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

async fn actors(State(s): State<AppState>) -> Response {
    match s.ledger.store().actors() {
        Ok(a) => ok_json(StatusCode::OK, json!({"actors": a})),
        Err(e) => Problem::internal(e).into_response(),
    }
}

async fn actor(State(s): State<AppState>, P(id): P) -> Response {
    match s.ledger.store().actor(&id) {
        Ok(Some(a)) => ok_json(StatusCode::OK, json!(a)),
        Ok(None) => Problem::not_found(format!("no actor {id:?}")).into_response(),
        Err(e) => Problem::internal(e).into_response(),
    }
}

async fn sites(State(s): State<AppState>) -> Response {
    match s.ledger.store().sites() {
        Ok(a) => ok_json(StatusCode::OK, json!({"sites": a})),
        Err(e) => Problem::internal(e).into_response(),
    }
}

async fn site(State(s): State<AppState>, P(id): P) -> Response {
    match s.ledger.store().site(&id) {
        Ok(Some(a)) => ok_json(StatusCode::OK, json!(a)),
        Ok(None) => Problem::not_found(format!("no site {id:?}")).into_response(),
        Err(e) => Problem::internal(e).into_response(),
    }
}

async fn case(State(s): State<AppState>, P(id): P) -> Response {
    let run = || -> Result<Value, Problem> {
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
        Ok(json!({"case": c, "history": history}))
    };
    match run() {
        Ok(v) => ok_json(StatusCode::OK, v),
        Err(p) => p.into_response(),
    }
}

/// An empty body (for tests).
pub fn empty() -> Body {
    Body::empty()
}
