//! The OpenAPI document of the node (`spec/openapi.json`), generated with
//! utoipa from the wire types of `ledger_core::wire` and one operation per
//! route of `api::ROUTES`; served at `/openapi.json`.
//!
//! The operations are described here rather than on the handlers, so the
//! whole document reads in one place and the handlers stay plain axum
//! functions; `tests/api.rs` checks that the router, `api::ROUTES` and
//! these paths name the same routes, and that `spec/openapi.json` is this
//! document byte for byte.
//!
//! Every error is a problem (`application/problem+json`), each status
//! listed on the operations that can send it. The exceptions are the
//! bodies whose format another specification fixes: `GET /checkpoint` (a
//! C2SP signed note, `text/plain`), the EPCIS document (`application/ld+json`)
//! and the HTML pages.

use std::sync::OnceLock;

use ledger_core::wire::{
    ActorView, ActorsPage, BatchItem, BatchRequest, BatchResponse, Bundle, BundleEntry, Case,
    CaseView, ConsistencyProof, DeviceOffer, DeviceSite, DeviceTagRange, DeviceView, EntriesPage,
    EntryView, Envelope, Health, IcglrPage, InclusionProof, KeyStatus, KeyView, KeysPage, Leaf,
    LogInfo, LotSummary, LotView, LotsPage, NotRecorded, Placed, ProblemBody, ProblemType,
    Provenance, Recorded, Signer, SiteView, SitesPage, SubmitRequest, SubmitResponse, Submitted,
    TagView, Writes,
};
use utoipa::OpenApi;

/// `GET /v1/reports/{kind}`: the report kinds.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ReportKind {
    Taxes,
    Flows,
    Actors,
    Sites,
}

/// `GET /v1/reports/{kind}?format=`: the renderings.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ReportFormat {
    Json,
    Csv,
    Geojson,
}

/// `GET /v1/reports/taxes?format=csv&part=`: the tables.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum ReportPart {
    Lines,
    Periods,
    Untaxed,
}

/// `GET /v1/icglr/{what}`: the ICGLR document kinds.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum IcglrKind {
    Sites,
    Lots,
    Certificates,
    Entities,
}

/// The generated document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Madini node API",
        version = "1.0.0",
        description = "The HTTP API of madini-node, generated from the wire types of `ledger_core::wire`. Formats are specified in spec/http.md, spec/events.md and spec/log.md. Errors are application/problem+json with `type` /problems/<rule>; GET /checkpoint (a C2SP signed note) the C2SP tlog-tiles resources GET /tile/... (tile bytes; plain-text 400 and 404) and C2SP tlog-witness's POST /add-checkpoint (a cosignature line; text/x.tlog.size for a 409; plain text otherwise), the EPCIS document and the HTML pages are the documented exceptions.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(
        home,
        lot_page,
        tag_page,
        healthz,
        checkpoint,
        tile,
        add_checkpoint,
        openapi,
        problem_doc,
        log_info,
        post_events,
        entries,
        entry,
        proof_inclusion,
        proof_consistency,
        lots,
        lot,
        lot_bundle,
        lot_provenance,
        tag,
        actors,
        keys,
        report,
        icglr_list,
        icglr_doc,
        epcis,
        actor,
        sites,
        site,
        case,
        asset,
        app_redirect,
        app_index,
        app_file
    ),
    components(schemas(
        ProblemBody,
        ProblemType,
        Health,
        Writes,
        LogInfo,
        SubmitRequest,
        BatchRequest,
        Envelope,
        Recorded,
        Submitted,
        Placed,
        NotRecorded,
        BatchItem,
        BatchResponse,
        SubmitResponse,
        Signer,
        EntryView,
        Leaf,
        EntriesPage,
        InclusionProof,
        ConsistencyProof,
        LotSummary,
        LotsPage,
        LotView,
        Provenance,
        Bundle,
        BundleEntry,
        TagView,
        KeyStatus,
        KeyView,
        KeysPage,
        ActorView,
        ActorsPage,
        SiteView,
        SitesPage,
        Case,
        CaseView,
        IcglrPage,
        ReportKind,
        ReportFormat,
        ReportPart,
        IcglrKind
    ))
)]
pub struct ApiDoc;

/// The field app's operations.
#[derive(OpenApi)]
#[openapi(
    paths(device, qr, labels),
    components(schemas(DeviceView, DeviceSite, DeviceTagRange, DeviceOffer))
)]
struct AppDoc;

/// What a device signing with a key needs offline (the field app caches it).
#[utoipa::path(get, path = "/v1/devices/{key}", tag = "app",
    params(("key" = String, Path, description = "key id, 32 lowercase hex characters", pattern = "^[0-9a-f]{32}$")),
    responses(
        (status = 200, description = "the key's status and actor, the actor's sites with their tag ranges, its open lots and the offers waiting for it; a key not registered (yet) has no status and no actor", body = DeviceView),
        (status = 400, description = "not a key id", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn device() {}

/// A text as a QR code (a public key to register, a label to print).
#[utoipa::path(get, path = "/v1/qr", tag = "app",
    params(("text" = String, Query, description = "the text: 1 to 512 printable ASCII characters (a public key, a label payload)", pattern = "^[ -~]{1,512}$")),
    responses(
        (status = 200, description = "the QR code, SVG", body = String, content_type = "image/svg+xml"),
        (status = 400, description = "no text, a text too long, or one with a character outside printable ASCII", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn qr() {}

/// A signed label payload as a printable label (the field app, online).
#[utoipa::path(get, path = "/v1/labels", tag = "app",
    params(
        ("payload" = String, Query, description = "a label's QR text (`spec/tags.md` section 3), as the field app signs it"),
        ("format" = Option<String>, Query, description = "`pdf` (default: one A4 sheet of 8 labels) or `png` (one label, 300 dpi)", pattern = "^(pdf|png)$"),
        ("lang" = Option<String>, Query, description = "the language the fields are named in first (`spec/tags.md` section 6): `en`, `fr` (default) or `sw`", pattern = "^(en|fr|sw)$"),
    ),
    responses(
        (status = 200, description = "the label", content((String = "application/pdf"), (String = "image/png"))),
        (status = 400, description = "no payload, one that does not decode, or another format or language", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`claim-unverified`: the claim's key is not a registered actor's, or its signature does not verify", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn labels() {}

/// The document as `spec/openapi.json` holds it: pretty JSON and a final
/// newline.
pub fn document() -> String {
    #[allow(unused_mut)]
    let mut doc = ApiDoc::openapi();
    // The field app (`app.rs`).
    doc.merge(AppDoc::openapi());

    // The public pages (`public.rs`): doc.merge(...)
    doc.merge(crate::public::PublicDoc::openapi());

    // Whistle-blowing (`report.rs`): doc.merge(...)
    doc.merge(<crate::report::ReportApi as OpenApi>::openapi());

    // Languages (`lang.rs`).
    doc.merge(LangDoc::openapi());

    let mut s = doc
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The document served at `/openapi.json`, generated once.
pub fn served() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(document)
}

// The operations. Each function only carries its `#[utoipa::path]`: the
// handlers are in `api`, `exports`, `pages` and `lotpage`.

/// A static file: the page stylesheet, the browser's shared modules.
#[utoipa::path(get, path = "/assets/{path}", tag = "pages",
    params(("path" = String, Path, description = "file path under the node's assets")),
    responses(
        (status = 200, description = "the file, with its type and an ETag", body = String),
        (status = 304, description = "not modified (If-None-Match matched the ETag)"),
        (status = 404, description = "no such file", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn asset() {}

/// The field app's address without its slash: redirects to `/app/`.
#[utoipa::path(get, path = "/app", tag = "app",
    responses((status = 308, description = "redirect to /app/")))]
#[allow(dead_code)]
fn app_redirect() {}

/// The field app (an installable web app).
#[utoipa::path(get, path = "/app/", tag = "app",
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 304, description = "not modified (If-None-Match matched the ETag)"),
        (status = 404, description = "this node was built without the field app", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn app_index() {}

/// A file of the field app.
#[utoipa::path(get, path = "/app/{path}", tag = "app",
    params(("path" = String, Path, description = "file path under the field app")),
    responses(
        (status = 200, description = "the file, with its type and an ETag", body = String),
        (status = 304, description = "not modified (If-None-Match matched the ETag)"),
        (status = 404, description = "no such file", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn app_file() {}

/// The dashboard (`public.rs`): search, the verifier's summary of the whole
/// log, the map of mine sites, production and flows, the latest lots.
#[utoipa::path(get, path = "/", tag = "pages",
    params(
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language, then English"),
    ),
    responses((status = 200, description = "HTML page", body = String, content_type = "text/html")))]
#[allow(dead_code)]
fn home() {}

/// The public lot page: verdict, custody timeline, findings, proof links.
#[utoipa::path(get, path = "/lots/{lot}", tag = "pages",
    params(
        ("lot" = String, Path, description = "lot id"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language, then English"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: the lot is not in this ledger", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn lot_page() {}

/// The page of the lot a tag is attached to.
#[utoipa::path(get, path = "/t/{tag}", tag = "pages",
    params(
        ("tag" = String, Path, description = "tag id"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language, then English"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: the tag is attached to no lot", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn tag_page() {}

/// Whether the node accepts writes.
#[utoipa::path(get, path = "/healthz", tag = "log",
    responses(
        (status = 200, description = "Accepting events", body = Health),
        (status = 503, description = "`writes-stopped`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn healthz() {}

/// The latest checkpoint, a C2SP signed note (the C2SP format, not a
/// problem): C2SP tlog-tiles' checkpoint (`log.md` section 6).
#[utoipa::path(get, path = "/checkpoint", tag = "log",
    responses((status = 200, description = "A C2SP signed note; `Cache-Control: no-cache`", body = String, content_type = "text/plain")))]
#[allow(dead_code)]
fn checkpoint() {}

/// A C2SP tlog-tiles resource (`log.md` section 6): a hash tile
/// `{L}/{N}[.p/{W}]` or an entry bundle `entries/{N}[.p/{W}]`, served when
/// the latest checkpoint covers it. Plain bodies, not problems.
#[utoipa::path(get, path = "/tile/{path}", tag = "log",
    params(("path" = String, Path, description = "the tile path after `/tile/`: `{L}/{N}[.p/{W}]` or `entries/{N}[.p/{W}]`, N in three-digit groups (`x001/x234/067`)")),
    responses(
        (status = 200, description = "the tile's bytes; `Cache-Control: public, max-age=31536000, immutable`", body = String, content_type = "application/octet-stream"),
        (status = 400, description = "a malformed tile path (one line of text)", body = String, content_type = "text/plain"),
        (status = 404, description = "a tile beyond the latest checkpoint (one line of text)", body = String, content_type = "text/plain"),
    ))]
#[allow(dead_code)]
fn tile() {}

/// C2SP tlog-witness `add-checkpoint` (`log.md` section 7): the node
/// cosigns a checkpoint of a log in its `--witness-logs` list that is
/// consistent with the last one it cosigned. Plain bodies, not problems.
#[utoipa::path(post, path = "/add-checkpoint", tag = "witness",
    request_body(content = String, content_type = "text/plain", description = "`old <size>`, up to 63 base64 consistency proof lines, an empty line, the checkpoint as a signed note"),
    responses(
        (status = 200, description = "a `cosignature/v1` note signature line from the witness key", body = String, content_type = "text/plain"),
        (status = 400, description = "a malformed body, or an old size larger than the checkpoint's (one line of text)", body = String, content_type = "text/plain"),
        (status = 403, description = "no valid signature from the log's key (one line of text)", body = String, content_type = "text/plain"),
        (status = 404, description = "a log the witness does not follow (one line of text)", body = String, content_type = "text/plain"),
        (status = 409, description = "the old size is not the witness's: the body is its size and a newline", body = String, content_type = "text/x.tlog.size"),
        (status = 422, description = "the checkpoint is not shown consistent with the one cosigned last (one line of text)", body = String, content_type = "text/plain"),
        (status = 500, description = "the witness's storage failed (one line of text)", body = String, content_type = "text/plain"),
        (status = 503, description = "the node does not hold the writer's lease, or too many concurrent requests (one line of text)", body = String, content_type = "text/plain"),
    ))]
#[allow(dead_code)]
fn add_checkpoint() {}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "log",
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
#[allow(dead_code)]
fn openapi() {}

/// What a problem type means.
#[utoipa::path(get, path = "/problems/{rule}", tag = "log",
    params(("rule" = String, Path, description = "rule or problem id")),
    responses(
        (status = 200, description = "Description", body = ProblemType),
        (status = 404, description = "`not-found`: no such problem type", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn problem_doc() {}

/// Origin, verifier key, tree size, root and checkpoint.
#[utoipa::path(get, path = "/v1/log", tag = "log",
    responses((status = 200, description = "The log", body = LogInfo)))]
#[allow(dead_code)]
fn log_info() {}

/// Submit one signed event or a batch of up to 1000.
///
/// Generated data never carries a valid signature: such an event is refused
/// with a problem naming the rule (`spec/http.md`, "Conformance").
#[utoipa::path(post, path = "/v1/events", tag = "events",
    request_body(content = SubmitRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Accepted: appended, durable, covered by the returned checkpoint", body = Submitted),
        (status = 200, description = "An identical event was already in the log (single), or per-event results (batch)", body = SubmitResponse),
        (status = 400, description = "`malformed-request` (not JSON of either shape, or an empty batch), or a refused event: `invalid-event`, `unsupported-version`, `wrong-log`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "A refused event: `bad-signature`, `unknown-key`, `key-revoked`, `key-retired`, `role-not-allowed`, `not-custodian`, `offer-not-for-you`, `not-site-operator`, `cert-not-yours`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A refused event: `stale-head`, `genesis-*`, `*-exists`, `tags-overlap`, `tag-used`, `lot-closed`, `no-pending-offer`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "`body-too-large` (over 4 MiB) or `batch-too-large` (over 1000 events)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported-media-type`: not application/json", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A refused event: every other rule of spec/events.md section 7", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "`writes-stopped`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn post_events() {}

/// Leaves in index order, for auditors.
#[utoipa::path(get, path = "/v1/entries", tag = "entries",
    params(
        ("start" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "first index (default 0)"),
        ("limit" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "how many (default 100; 0 counts as 1, more than 1000 as 1000)"),
    ),
    responses(
        (status = 200, description = "A page of leaves", body = EntriesPage),
        (status = 400, description = "`bad-parameter`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn entries() {}

/// One entry: exact leaf bytes, hashes and the decoded event.
#[utoipa::path(get, path = "/v1/entries/{index}", tag = "entries",
    params(("index" = u64, Path, minimum = 0, maximum = 9007199254740991_i64, description = "log index")),
    responses(
        (status = 200, description = "The entry", body = EntryView),
        (status = 400, description = "`bad-parameter`: not an index", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "`not-found`: beyond the latest checkpoint", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn entry() {}

/// RFC 6962 inclusion proof.
#[utoipa::path(get, path = "/v1/proof/inclusion", tag = "entries",
    params(
        ("index" = u64, Query, minimum = 0, maximum = 9007199254740991_i64, description = "leaf index, below `tree_size`"),
        ("tree_size" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "at most the latest checkpoint's size, which is the default"),
    ),
    responses(
        (status = 200, description = "The proof", body = InclusionProof),
        (status = 400, description = "`bad-parameter`: missing or malformed, or no such proof (index not below tree_size, tree larger than the log)", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn proof_inclusion() {}

/// RFC 6962 consistency proof.
#[utoipa::path(get, path = "/v1/proof/consistency", tag = "entries",
    params(
        ("from" = u64, Query, minimum = 1, maximum = 9007199254740991_i64, description = "old size, at least 1 and at most `to`"),
        ("to" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "new size, at most the latest checkpoint's, which is the default"),
    ),
    responses(
        (status = 200, description = "The proof", body = ConsistencyProof),
        (status = 400, description = "`bad-parameter`: missing or malformed, or no such proof", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn proof_consistency() {}

/// Lots, newest first.
#[utoipa::path(get, path = "/v1/lots", tag = "lots",
    params(
        ("limit" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "page size (default 50; 0 counts as 1, more than 500 as 500)"),
        ("after" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "the `next` cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of lots", body = LotsPage),
        (status = 400, description = "`bad-parameter`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn lots() {}

/// The lot's state and every entry of its history.
#[utoipa::path(get, path = "/v1/lots/{lot}", tag = "lots",
    params(("lot" = String, Path, description = "lot id")),
    responses(
        (status = 200, description = "The lot", body = LotView),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn lot() {}

/// The offline bundle (`log.md` section 4) against the latest checkpoint.
#[utoipa::path(get, path = "/v1/lots/{lot}/bundle", tag = "lots",
    params(("lot" = String, Path, pattern = r"^[A-Za-z0-9][A-Za-z0-9._:+\-]{0,63}$", description = "lot id (`encoding.md` section 2)")),
    responses(
        (status = 200, description = "The bundle", body = Bundle),
        (status = 400, description = "`bad-parameter`: not a lot id", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn lot_bundle() {}

/// Entries of the lot's chain and of every lot it came from, in log order.
#[utoipa::path(get, path = "/v1/lots/{lot}/provenance", tag = "lots",
    params(("lot" = String, Path, description = "lot id")),
    responses(
        (status = 200, description = "The provenance", body = Provenance),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn lot_provenance() {}

/// The lot a tag is attached to.
#[utoipa::path(get, path = "/v1/tags/{tag}", tag = "lots",
    params(("tag" = String, Path, description = "tag id")),
    responses(
        (status = 200, description = "The tag's lot", body = TagView),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn tag() {}

/// The actor registry.
#[utoipa::path(get, path = "/v1/actors", tag = "registry",
    responses((status = 200, description = "Every actor", body = ActorsPage)))]
#[allow(dead_code)]
fn actors() {}

/// One actor.
#[utoipa::path(get, path = "/v1/actors/{actor}", tag = "registry",
    params(("actor" = String, Path, description = "actor id")),
    responses(
        (status = 200, description = "The actor", body = ActorView),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn actor() {}

/// Every actor key, for devices that check tag claims offline.
#[utoipa::path(get, path = "/v1/keys", tag = "registry",
    responses((status = 200, description = "Every actor key", body = KeysPage)))]
#[allow(dead_code)]
fn keys() {}

/// Mine sites with their certification status.
#[utoipa::path(get, path = "/v1/sites", tag = "registry",
    responses((status = 200, description = "Every site", body = SitesPage)))]
#[allow(dead_code)]
fn sites() {}

/// One mine site.
#[utoipa::path(get, path = "/v1/sites/{site}", tag = "registry",
    params(("site" = String, Path, description = "ICGLR site id")),
    responses(
        (status = 200, description = "The site", body = SiteView),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn site() {}

/// An incident case and its history.
#[utoipa::path(get, path = "/v1/cases/{case}", tag = "registry",
    params(("case" = String, Path, pattern = "^[0-9a-f]{64}$", description = "the report's event hash (lowercase hex)")),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 400, description = "`bad-parameter`: not an event hash", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn case() {}

/// Tax, flow, actor and site reports (`exports.md` section 5).
#[utoipa::path(get, path = "/v1/reports/{kind}", tag = "exports",
    params(
        ("kind" = ReportKind, Path, description = "taxes, flows, actors or sites"),
        ("format" = Option<ReportFormat>, Query, description = "json (default), csv, or geojson (sites)"),
        ("part" = Option<ReportPart>, Query, description = "taxes as CSV: lines, periods or untaxed"),
        ("year" = Option<i64>, Query, minimum = 1970, maximum = 9999, description = "the year of \"production this year\""),
    ),
    responses(
        (status = 200, description = "The report, in the format asked for", content(
            (Object = "application/json"),
            (String = "text/csv"),
            (Object = "application/geo+json"),
        )),
        (status = 400, description = "`bad-parameter`: unknown kind, or a format or part the kind has not", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn report() {}

/// ICGLR documents of one kind, in id order, a page at a time.
#[utoipa::path(get, path = "/v1/icglr/{what}", tag = "exports",
    params(
        ("what" = IcglrKind, Path, description = "sites (MD.01), lots (MD.12), certificates (MD.03) or entities (MD.04)"),
        ("offset" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "first document"),
        ("limit" = Option<u64>, Query, minimum = 0, maximum = 9007199254740991_i64, description = "page size (default 100; 0 counts as 1, more than 1000 as 1000)"),
    ),
    responses(
        (status = 200, description = "A page of documents", body = IcglrPage),
        (status = 400, description = "`bad-parameter`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn icglr_list() {}

/// One ICGLR document (`exports.md` section 3).
#[utoipa::path(get, path = "/v1/icglr/{what}/{id}", tag = "exports",
    params(
        ("what" = IcglrKind, Path, description = "sites, lots, certificates or entities"),
        ("id" = String, Path, description = "document id"),
    ),
    responses(
        (status = 200, description = "The document", body = Object),
        (status = 400, description = "`bad-parameter`: unknown kind", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "`not-found`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn icglr_doc() {}

/// An EPCIS 2.0 document (`exports.md` section 4), streamed.
#[utoipa::path(get, path = "/v1/epcis/events", tag = "exports",
    params(
        ("lot" = Option<String>, Query, pattern = r"^[A-Za-z0-9][A-Za-z0-9._:+\-]{0,63}$", description = "one lot's provenance (a lot id)"),
        ("from" = Option<String>, Query, pattern = r"^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z)?)$", description = "record times from: ms, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z"),
        ("to" = Option<String>, Query, pattern = r"^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z)?)$", description = "record times to, excluded: ms, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z"),
    ),
    responses(
        (status = 200, description = "An EPCIS 2.0 document (its own format, not a problem)", body = Object, content_type = "application/ld+json"),
        (status = 400, description = "`bad-parameter`: not a lot id, or not a time", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn epcis() {}

// Languages (`lang.rs`).

#[derive(OpenApi)]
#[openapi(paths(locale_file))]
struct LangDoc;

/// A message catalog the browser reads (the field app's, the report form's).
#[utoipa::path(get, path = "/locales/{lang}/{file}", tag = "pages",
    params(
        ("lang" = String, Path, description = "`en`, `fr` or `sw`"),
        ("file" = String, Path, description = "`app` or `report` (a `.json` suffix is accepted)"),
    ),
    responses(
        (status = 200, description = "JSON object from message id to pattern, placeholders written `{ $name }`; with an ETag", body = std::collections::BTreeMap<String, String>),
        (status = 304, description = "not modified (If-None-Match matched the ETag)"),
        (status = 404, description = "no such language or file", body = ProblemBody, content_type = "application/problem+json"),
    ))]
#[allow(dead_code)]
fn locale_file() {}
