//! Whistle-blowing over HTTP (`spec/http.md`, "Whistle-blowing"): the plain
//! form recorded as an intake report under the log key, anonymous reports
//! signed by their own key, every bad input refused in the reporter's
//! language with nothing on the log, receipts that lead back to the case,
//! no cookie, no caching, and the per-address rate limit.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use common::{Backend, ledger_from};
use http_body_util::BodyExt;
use ledger_core::event::{
    Body as EvBody, CaseStatus, Category, IncidentReport, IncidentStatus, Subjects,
};
use ledger_core::hash::Hash;
use ledger_core::log::SignedEvent;
use ledger_core::receipt::Receipt;
use ledger_core::vectors::{S1, base_world};
use ledger_core::world::{World, id, long, named_key, site_id};
use node::api::{AppState, app};
use serde_json::Value;
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

struct Node {
    app: axum::Router,
    ledger: std::sync::Arc<node::ledger::Ledger>,
    _dir: std::path::PathBuf,
    world: World,
}

fn node() -> Node {
    let w = base_world();
    let (ledger, dir) = ledger_from(&w, Backend::Memory);
    Node {
        app: app(AppState::new(ledger.clone())),
        ledger,
        _dir: dir,
        world: w,
    }
}

impl Node {
    fn size(&self) -> u64 {
        self.ledger.checkpoint().size
    }

    async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        let resp = Resp {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        };
        // No whistle-blowing response ever sets a cookie or may be cached.
        assert!(resp.headers.get("set-cookie").is_none(), "a cookie was set");
        resp
    }

    async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn form(&self, fields: &[(&str, &str)], from: Option<&str>) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.form_raw(body, from).await
    }

    async fn form_raw(&self, body: String, from: Option<&str>) -> Resp {
        self.post("/report", "application/x-www-form-urlencoded", body, from)
            .await
    }

    async fn signed(&self, ev: &SignedEvent, from: Option<&str>) -> Resp {
        let e = ev.envelope();
        let body = serde_json::json!({"event": e.event, "sig": e.sig}).to_string();
        self.post("/report/signed", "application/json", body, from)
            .await
    }

    /// A POST from the client address `from` (None: the router called
    /// in-process, which the rate limit does not count).
    async fn post(&self, path: &str, content_type: &str, body: String, from: Option<&str>) -> Resp {
        let mut req = Request::post(path)
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap();
        if let Some(a) = from {
            req.extensions_mut()
                .insert(ConnectInfo(a.parse::<SocketAddr>().unwrap()));
        }
        self.send(req).await
    }
}

fn private(r: &Resp) {
    assert_eq!(r.header("cache-control"), "no-store", "{}", r.text);
    assert_eq!(r.header("referrer-policy"), "no-referrer");
}

fn anonymous(w: &World, name: &str, subjects: Subjects, summary: &str) -> SignedEvent {
    anonymous_sealed(w, name, subjects, summary, None)
}

fn anonymous_sealed(
    w: &World,
    name: &str,
    subjects: Subjects,
    summary: &str,
    sealed: Option<ledger_core::seal::Sealed>,
) -> SignedEvent {
    let key = named_key(name);
    let event = ledger_core::event::Event {
        log: w.origin.clone(),
        key: key.public().key_id(),
        time: ledger_core::types::Millis(w.now),
        body: EvBody::IncidentReport(IncidentReport {
            subjects,
            category: Category::Violence,
            summary: long(summary),
            evidence_sha256: None,
            anonymous_key: Some(key.public()),
            sealed,
        }),
    };
    SignedEvent::sign(&event, &key).unwrap()
}

fn about_site() -> Subjects {
    Subjects {
        sites: Some(vec![site_id(S1)]),
        ..Subjects::default()
    }
}

#[tokio::test]
async fn the_form_warns_that_the_log_is_public_in_every_language() {
    let n = node();
    for (lang, warning, send) in [
        ("en", "stays there for ever", "Send the report"),
        ("fr", "y reste pour toujours", "Envoyer le signalement"),
        ("sw", "kinabaki humo milele", "Tuma ripoti"),
    ] {
        let r = n.get(&format!("/report?lang={lang}")).await;
        assert_eq!(r.status, 200);
        private(&r);
        assert!(r.text.contains(&format!("<html lang=\"{lang}\">")));
        let w = r
            .text
            .find(warning)
            .unwrap_or_else(|| panic!("{lang}: no warning"));
        let b = r.text.find(send).unwrap();
        assert!(w < b, "{lang}: the warning comes after the send button");
        assert!(r.text.contains("action=\"/report\""));
        assert!(r.text.contains("value=\"violence\""));
        assert!(!r.text.contains("<script>"), "inline script");
        assert!(!r.text.contains("style="), "inline style");
    }
    let mut h = Request::get("/report").body(Body::empty()).unwrap();
    h.headers_mut()
        .insert("accept-language", "sw-TZ,fr;q=0.5".parse().unwrap());
    assert!(n.send(h).await.text.contains("<html lang=\"sw\">"));
}

#[tokio::test]
async fn a_plain_form_is_recorded_under_the_intake_key_and_followed_by_its_receipt() {
    let n = node();
    let before = n.size();
    let r = n
        .form(
            &[
                ("lang", "fr"),
                ("category", "armed-group"),
                ("site", &S1.to_lowercase()),
                ("actor", ""),
                ("lot", ""),
                ("summary", "Des militaires\r\nprennent 5 USD par sac."),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    private(&r);
    assert_eq!(n.size(), before + 1);
    let location = r.header("location").to_string();
    assert!(
        location.starts_with("/r/") && location.ends_with("?lang=fr&new=1"),
        "{location}"
    );
    // The entry: signed by the log key, no anonymous key, the text as typed
    // with its line end as LF.
    let e = n.get(&format!("/v1/entries/{before}")).await.json();
    assert_eq!(e["type"], "incident.report");
    assert_eq!(e["signer"]["kind"], "log", "{e}");
    assert_eq!(e["event"]["key"], n.ledger.log_key.key_id().to_string());
    assert!(e["event"].get("anonymous_key").is_none());
    assert_eq!(
        e["event"]["summary"],
        "Des militaires\nprennent 5 USD par sac."
    );
    assert_eq!(e["event"]["subjects"]["sites"][0], S1);
    let case = e["event_hash"].as_str().unwrap().to_string();
    let receipt = Receipt::new(before, &case.parse::<Hash>().unwrap()).to_string();
    assert_eq!(location, format!("/r/{receipt}?lang=fr&new=1"));
    // The receipt page: the receipt as text and QR, the case, the intake mark.
    let page = n.get(&location).await;
    assert_eq!(page.status, 200, "{}", page.text);
    private(&page);
    assert!(page.text.contains(&format!(
        "<p id=\"receipt\" class=\"receipt-text\">{receipt}</p>"
    )));
    assert!(
        page.text
            .contains("<svg role=\"img\" aria-label=\"Code QR du reçu")
    );
    assert!(page.text.contains("data-signer=\"intake\""));
    assert!(
        page.text
            .contains("Des militaires\nprennent 5 USD par sac.")
    );
    assert!(page.text.contains("Notez ce reçu"));
    assert!(page.text.contains(&format!("/v1/cases/{case}")));
    // The case page and its JSON.
    let c = n.get(&format!("/cases/{case}?lang=sw")).await;
    assert_eq!(c.status, 200);
    assert!(c.text.contains("Iko wazi"), "{}", c.text);
    assert_eq!(
        n.get(&format!("/v1/cases/{case}")).await.json()["case"]["status"],
        "open"
    );
}

#[tokio::test]
async fn bad_plain_reports_are_refused_in_the_reporters_language_with_nothing_on_the_log() {
    let n = node();
    let before = n.size();
    let long_text = "é".repeat(2001);
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("site", S1),
                ("summary", "   "),
            ],
            400,
            "Please write what you saw.",
        ),
        (
            vec![
                ("lang", "fr"),
                ("category", "fraud"),
                ("site", S1),
                ("summary", ""),
            ],
            400,
            "Écrivez ce que vous avez vu.",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("site", S1),
                ("summary", &long_text),
            ],
            400,
            "The text is too long",
        ),
        (
            vec![("lang", "sw"), ("category", "fraud"), ("summary", "hakuna")],
            400,
            "Tafadhali taja mgodi",
        ),
        (
            vec![("lang", "en"), ("site", S1), ("summary", "no category")],
            400,
            "Please choose what happened.",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "nonsense"),
                ("site", S1),
                ("summary", "x"),
            ],
            400,
            "Please choose what happened.",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("site", "KIVU MINE"),
                ("summary", "x"),
            ],
            400,
            "is not a mine site number",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("lot", "<b>x</b>"),
                ("summary", "x"),
            ],
            400,
            "&#60;b&#62;x&#60;/b&#62; is not a valid number",
        ),
        (
            vec![
                ("lang", "fr"),
                ("category", "fraud"),
                ("site", "CD-1.0000+29.0000-99999"),
                ("summary", "site inconnu"),
            ],
            422,
            "Le site minier CD-1.0000+29.0000-99999 n",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("actor", "NOBODY"),
                ("summary", "x"),
            ],
            422,
            "Nobody with the number NOBODY",
        ),
        (
            vec![
                ("lang", "en"),
                ("category", "fraud"),
                ("lot", "NO-SUCH-LOT"),
                ("summary", "x"),
            ],
            422,
            "The lot NO-SUCH-LOT is not in this register.",
        ),
    ];
    for (fields, status, sentence) in cases {
        let r = n.form(&fields, None).await;
        assert_eq!(r.status.as_u16(), status, "{fields:?}: {}", r.text);
        private(&r);
        assert!(
            r.text.contains(sentence),
            "{fields:?}: no {sentence:?} in {}",
            r.text
        );
        assert!(r.text.contains("role=\"alert\""));
        assert_eq!(n.size(), before, "{fields:?} reached the log");
    }
    // The reporter's text is kept, escaped, when the form comes back.
    let r = n
        .form(
            &[
                ("lang", "en"),
                ("category", "fraud"),
                ("summary", "<script>x</script> kept"),
            ],
            None,
        )
        .await;
    assert!(
        r.text
            .contains("&#60;script&#62;x&#60;/script&#62; kept</textarea>"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("<script>x"));
    // A body over 16 KiB.
    let r = n
        .form_raw(
            format!("category=fraud&summary={}", "a".repeat(20_000)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text.contains("The report is too large"));
    assert_eq!(n.size(), before);
}

#[tokio::test]
async fn anonymous_reports_signed_in_the_browser_get_a_receipt_and_bad_ones_nothing() {
    let n = node();
    let w = &n.world;
    let before = n.size();
    let ev = anonymous(
        w,
        "ANON-REPORT-1",
        about_site(),
        "Coups de fouet au puits 3.",
    );
    let r = n.signed(&ev, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    private(&r);
    let v = r.json();
    let hash = ev.submission().unwrap().hash;
    assert_eq!(v["status"], "accepted");
    assert_eq!(v["index"], before);
    assert_eq!(v["case"], hash.to_hex());
    let receipt = Receipt::new(before, &hash).to_string();
    assert_eq!(v["receipt"], receipt);
    assert_eq!(v["receipt_url"], format!("/r/{receipt}"));
    assert_eq!(n.size(), before + 1);
    let e = n.get(&format!("/v1/entries/{before}")).await.json();
    assert_eq!(e["signer"]["kind"], "anonymous");
    // A replay records nothing and gives the same receipt.
    let r = n.signed(&ev, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "existing");
    assert_eq!(r.json()["receipt"], receipt);
    assert_eq!(n.size(), before + 1);
    // The receipt page says it was anonymous.
    let page = n.get(&format!("/r/{receipt}")).await;
    assert!(
        page.text.contains("data-signer=\"anonymous\""),
        "{}",
        page.text
    );

    let problem = |r: &Resp, status: u16, rule: &str| {
        assert_eq!(r.status.as_u16(), status, "{}", r.text);
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert_eq!(r.json()["rule"], rule, "{}", r.text);
        private(r);
    };
    // A forged signature: the signature of another report on these bytes.
    let other = anonymous(w, "ANON-REPORT-2", about_site(), "another");
    let mut forged = anonymous(w, "ANON-REPORT-2", about_site(), "forged text");
    forged.signature = other.signature;
    problem(&n.signed(&forged, None).await, 403, "bad-signature");
    // One bit of a valid signature flipped.
    let mut flipped = anonymous(w, "ANON-REPORT-3", about_site(), "flip");
    flipped.signature[5] ^= 1;
    problem(&n.signed(&flipped, None).await, 403, "bad-signature");
    // An actor's event is not taken here.
    let actor_report = w.sign(
        "TR1",
        EvBody::IncidentReport(IncidentReport {
            subjects: about_site(),
            category: Category::Fraud,
            summary: long("signed by a trader"),
            evidence_sha256: None,
            anonymous_key: None,
            sealed: None,
        }),
    );
    problem(
        &n.signed(&actor_report, None).await,
        422,
        "not-anonymous-report",
    );
    // Unknown subjects.
    let unknown_lot = anonymous(
        w,
        "ANON-REPORT-4",
        Subjects {
            lots: Some(vec![id("NO-SUCH-LOT")]),
            ..Subjects::default()
        },
        "x",
    );
    problem(&n.signed(&unknown_lot, None).await, 422, "lot-unknown");
    // Not an envelope, and too large.
    let req = Request::post("/report/signed")
        .header("content-type", "application/json")
        .body(Body::from("{\"summary\": \"plain\"}"))
        .unwrap();
    problem(&n.send(req).await, 400, "malformed-request");
    let req = Request::post("/report/signed")
        .body(Body::from(vec![b'x'; 200_000]))
        .unwrap();
    problem(&n.send(req).await, 413, "body-too-large");
    assert_eq!(n.size(), before + 1);
}

#[tokio::test]
async fn receipts_lead_to_their_case_and_odd_ones_get_a_page_that_says_so() {
    let n = node();
    let w = &n.world;
    let ev = anonymous(w, "ANON-RECEIPT", about_site(), "Enfants au puits.");
    let v = n.signed(&ev, None).await.json();
    let receipt = v["receipt"].as_str().unwrap().to_string();
    let case = v["case"].as_str().unwrap().to_string();
    let index = v["index"].as_u64().unwrap();
    // As written, sloppily typed, and through the lookup form.
    for typed in [
        receipt.clone(),
        receipt.to_lowercase(),
        receipt.replace('-', ""),
        receipt.replace('0', "O").replace('1', "l"),
    ] {
        let r = n.get(&format!("/r/{}", node::pages::seg(&typed))).await;
        assert_eq!(r.status, 200, "{typed}: {}", r.text);
        assert!(r.text.contains(&format!("data-case=\"{case}\"")), "{typed}");
    }
    let r = n.get(&format!("/r?receipt={}&lang=fr", receipt)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("/r/{receipt}?lang=fr"));
    let r = n.get("/r?lang=sw").await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("Fuatilia kesi"));
    // A status change shows on the receipt page.
    let status = w.sign(
        "INSP",
        EvBody::IncidentStatus(IncidentStatus {
            case: case.parse().unwrap(),
            status: CaseStatus::Investigating,
            note: long("visite prévue"),
        }),
    );
    let e = status.envelope();
    let req = Request::post("/v1/events")
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({"event": e.event, "sig": e.sig}).to_string(),
        ))
        .unwrap();
    assert_eq!(n.send(req).await.status, StatusCode::CREATED);
    let r = n.get(&format!("/r/{receipt}?lang=en")).await;
    assert!(
        r.text.contains("data-status=\"investigating\""),
        "{}",
        r.text
    );
    assert!(r.text.contains("visite prévue"));
    // Malformed receipts.
    // A wrong check symbol: every single wrong symbol is caught.
    let last = receipt.chars().last().unwrap();
    let wrong_check = format!(
        "{}{}",
        &receipt[..receipt.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    for bad in ["ABC", "16J-KWY2-U", "%3Cscript%3E", &wrong_check] {
        let r = n.get(&format!("/r/{bad}?lang=en")).await;
        assert_eq!(r.status, 400, "{bad}");
        private(&r);
        assert!(r.text.contains("is not a receipt"), "{bad}: {}", r.text);
        assert!(!r.text.contains("<script>"));
    }
    // Well formed, but no case: a wrong hash part, an entry that is not a
    // report, an index beyond the log.
    let wrong_hash = Receipt::new(index, &Hash([0xaa; 32])).to_string();
    let not_a_report = Receipt::new(1, &Hash([0; 32])).to_string();
    let beyond = Receipt::new(n.size() + 5, &Hash([0; 32])).to_string();
    for unknown in [wrong_hash, not_a_report, beyond] {
        let r = n.get(&format!("/r/{unknown}?lang=fr")).await;
        assert_eq!(r.status, 404, "{unknown}");
        assert!(r.text.contains("Aucun dossier n"), "{}", r.text);
    }
    let r = n.get(&format!("/cases/{}", "0".repeat(64))).await;
    assert_eq!(r.status, 404);
    let r = n.get("/cases/not-hex").await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn one_address_gets_ten_reports_per_ten_minutes_others_are_not_affected() {
    let n = node();
    let w = &n.world;
    let before = n.size();
    // Attempts count whether or not they are recorded: nine refused ones...
    for _ in 0..9 {
        let r = n
            .form(
                &[("category", "fraud"), ("site", S1), ("summary", "")],
                Some("192.0.2.7:40000"),
            )
            .await;
        assert_eq!(r.status, 400);
    }
    // ...a tenth, signed, from another port of the same address...
    let ev = anonymous(w, "ANON-RATE", about_site(), "tenth");
    assert_eq!(n.signed(&ev, Some("192.0.2.7:40001")).await.status, 201);
    // ...and the eleventh is refused on both routes, recording nothing.
    let r = n
        .form(
            &[
                ("lang", "fr"),
                ("category", "fraud"),
                ("site", S1),
                ("summary", "onze"),
            ],
            Some("192.0.2.7:40002"),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("Attendez 10 minutes"), "{}", r.text);
    assert!(r.header("retry-after").parse::<u64>().unwrap() > 0);
    let ev2 = anonymous(w, "ANON-RATE-2", about_site(), "twelfth");
    let r = n.signed(&ev2, Some("192.0.2.7:40003")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["rule"], "rate-limited");
    assert_eq!(n.size(), before + 1);
    // Another address is not affected.
    let r = n.signed(&ev2, Some("198.51.100.9:1234")).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn sealed_reports_keep_their_text_for_the_keys_they_name() {
    use ledger_core::seal::{open, seal_with};
    let n = node();
    let w = &n.world;
    let before = n.size();
    // The form offers the authorities' active keys to seal to.
    let auth = named_key("AUTH");
    let form = n.get("/report?lang=en").await;
    let offered = format!("{} {}", auth.public().key_id(), auth.public());
    assert!(form.text.contains(&offered), "{}", form.text);
    assert!(!form.text.contains(&named_key("TR1").public().to_string()));
    let text = "Les enfants descendent au puits 3 la nuit.";
    let sealed = seal_with(text, &[auth.public()], [5; 32], [6; 32], [7; 12]).unwrap();
    let ev = anonymous_sealed(
        w,
        "ANON-SEALED",
        about_site(),
        "The reporter sealed the text for the registry's case handlers.",
        Some(sealed.clone()),
    );
    let r = n.signed(&ev, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let case = r.json()["case"].as_str().unwrap().to_string();
    // The case page names who can read it and shows only the public text.
    let page = n.get(&format!("/cases/{case}?lang=en")).await;
    assert!(page.text.contains("id=\"case-sealed\""), "{}", page.text);
    assert!(
        page.text.contains("National Mining Registry"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("puits 3"));
    // What the log holds opens with the authority's key, and only with it.
    let v = n.get(&format!("/v1/cases/{case}")).await.json();
    let held: ledger_core::seal::Sealed =
        serde_json::from_value(v["history"][0]["event"]["sealed"].clone()).unwrap();
    assert_eq!(held, sealed);
    assert_eq!(open(&held, &auth).unwrap(), text);
    assert!(open(&held, &named_key("TR1")).is_err());

    // A malformed sealed member is `invalid-event`, and nothing is recorded.
    let key = named_key("ANON-SEALED-BAD");
    let mut bad: Value = serde_json::from_slice(&ev.bytes).unwrap();
    bad["key"] = serde_json::json!(key.public().key_id().to_string());
    bad["anonymous_key"] = serde_json::json!(key.public().to_string());
    bad["sealed"]["epk"] = serde_json::json!("AAAA");
    let bytes = ledger_core::jcs::encode(&bad).unwrap();
    let forged = SignedEvent {
        signature: key.sign_event(&bytes),
        bytes,
    };
    let r = n.signed(&forged, None).await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.text);
    assert_eq!(r.json()["rule"], "invalid-event", "{}", r.text);
    assert!(r.text.contains("sealed.epk"), "{}", r.text);
    assert_eq!(n.size(), before + 1);
}
