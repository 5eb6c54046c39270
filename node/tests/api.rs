//! The HTTP API through `app(state).oneshot`, on the in-memory and the sled
//! store: submissions, every hard rule as a problem, a corpus of hostile
//! requests, and the read endpoints checked with ledger-core's verifiers.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use ledger_core::bundle::{Bundle, verify_bundle};
use ledger_core::event::{Body, LotTransport, Place};
use ledger_core::log::SignedEvent;
use ledger_core::merkle::{verify_consistency, verify_inclusion};
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::types::Millis;
use ledger_core::vectors::{base_world, rule_cases};
use ledger_core::world::{id, text};
use serde_json::{Value, json};

fn transport(w: &ledger_core::world::World, lot: &str, prev: ledger_core::hash::Hash) -> Body {
    Body::LotTransport(LotTransport {
        lot: id(lot),
        prev,
        from: Place {
            name: text("Rubaya"),
            lat_e6: None,
            lon_e6: None,
        },
        to: Place {
            name: text("Goma"),
            lat_e6: None,
            lon_e6: None,
        },
        departed: Millis(w.now),
        arrived: Millis(w.now + 3_600_000),
        carrier: None,
        method: None,
    })
}

#[tokio::test]
async fn log_info_and_checkpoint_verify() {
    let w = base_world();
    for b in BACKENDS {
        let (l, _dir) = ledger_from(&w, b);
        let c = Client::new(l);
        let info = c.get("/v1/log").await.json();
        assert_eq!(info["origin"], ledger_core::vectors::ORIGIN);
        assert_eq!(info["tree_size"].as_u64(), Some(w.log.size()));
        assert_eq!(info["root_hash"], w.log.root().to_base64());
        let key = NoteKey::from_vkey(info["vkey"].as_str().unwrap()).unwrap();
        let note = c.get("/checkpoint").await;
        assert!(note.content_type.starts_with("text/plain"));
        let cp = open_checkpoint(&note.text, &key).unwrap();
        assert_eq!((cp.size, cp.root), (w.log.size(), w.log.root()));
        assert_eq!(c.get("/healthz").await.status, 200);
        // The dashboard names the tree it was computed for.
        let home = c.get("/").await.text;
        assert!(home.contains("Mineral registry"), "{home}");
        assert!(
            home.contains(&format!("<span id=\"size\">{}</span>", w.log.size())),
            "{home}"
        );
    }
}

#[tokio::test]
async fn submit_accept_then_existing_and_read_back() {
    let w = base_world();
    for b in BACKENDS {
        let (l, _dir) = ledger_from(&w, b);
        let c = Client::new(l);
        let size = c.size();
        let ev = w.sign("TR1", transport(&w, "L1", w.head("L1")));
        let r = c.submit(&ev).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let v = r.json();
        assert_eq!(v["status"], "accepted");
        assert_eq!(v["index"].as_u64(), Some(size));
        assert_eq!(v["event_hash"], ev.hash().to_hex());
        let key =
            NoteKey::from_vkey(c.get("/v1/log").await.json()["vkey"].as_str().unwrap()).unwrap();
        let cp = open_checkpoint(v["checkpoint"].as_str().unwrap(), &key).unwrap();
        assert_eq!(
            cp.size,
            size + 1,
            "the returned checkpoint covers the entry"
        );
        let again = c.submit(&ev).await;
        assert_eq!(again.status, 200);
        assert_eq!(again.json()["status"], "existing");
        assert_eq!(again.json()["index"].as_u64(), Some(size));
        assert_eq!(c.size(), size + 1);
        // Read it back and check it against the checkpoint.
        let e = c.get(&format!("/v1/entries/{size}")).await.json();
        let leaf = B64.decode(e["leaf"].as_str().unwrap()).unwrap();
        assert_eq!(
            ledger_core::hash::leaf_hash(&leaf).to_base64(),
            e["leaf_hash"].as_str().unwrap()
        );
        assert_eq!(e["type"], "lot.transport");
        assert_eq!(e["signer"]["actor"], "TR1");
        let p = c
            .get(&format!("/v1/proof/inclusion?index={size}"))
            .await
            .json();
        let hashes: Vec<Vec<u8>> = p["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| B64.decode(h.as_str().unwrap()).unwrap())
            .collect();
        verify_inclusion(
            &ledger_core::hash::leaf_hash(&leaf).0,
            size,
            cp.size,
            &hashes,
            &cp.root.0,
        )
        .unwrap();
        let cons = c
            .get(&format!(
                "/v1/proof/consistency?from={}&to={}",
                size,
                size + 1
            ))
            .await
            .json();
        let hashes: Vec<Vec<u8>> = cons["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| B64.decode(h.as_str().unwrap()).unwrap())
            .collect();
        verify_consistency(size, size + 1, &w.log.root().0, &cp.root.0, &hashes).unwrap();
    }
}

#[tokio::test]
async fn every_hard_rule_is_refused_over_http() {
    let w = base_world();
    let cases = rule_cases(&w);
    for b in BACKENDS {
        for case in &cases {
            if case.from_empty {
                // A node always starts from genesis: submitting a non-genesis
                // first entry cannot happen over HTTP; a second genesis can.
                continue;
            }
            let (l, _dir) = ledger_from(&w, b);
            let c = Client::new(l);
            for s in &case.setup {
                let r = c.submit(s).await;
                assert_eq!(r.status, 201, "{}: setup refused: {}", case.name, r.text);
            }
            let size = c.size();
            let root = c.get("/v1/log").await.json()["root_hash"].clone();
            let r = c.submit(&case.bad).await;
            if case.rule == ledger_core::rules::Rule::DuplicateEvent {
                // Over HTTP a resubmission is answered with the existing entry.
                assert_eq!(r.status, 200, "{}", r.text);
                assert_eq!(r.json()["status"], "existing");
            } else {
                assert_problem(&r, case.rule.id());
            }
            assert_eq!(c.size(), size, "{}: the tree grew", case.name);
            assert_eq!(c.get("/v1/log").await.json()["root_hash"], root);
            if let Some(g) = &case.good {
                let r = c.submit(g).await;
                assert_eq!(
                    r.status, 201,
                    "{}: counterpart refused: {}",
                    case.name, r.text
                );
            }
        }
    }
}

#[tokio::test]
async fn batches_apply_in_order_with_per_event_results() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Sled);
    let c = Client::new(l);
    let mut w2 = w.clone();
    let offer = w2.sign(
        "TR1",
        Body::LotOffer(ledger_core::event::LotOffer {
            lot: id("L1"),
            prev: w2.head("L1"),
            to: id("TR2"),
            mass_g: ledger_core::world::grams(50_000),
            grade_bp: ledger_core::world::grade(6500),
            price: None,
        }),
    );
    w2.submit_signed(&offer).unwrap();
    let accept = w2.sign(
        "TR2b",
        Body::LotAccept(ledger_core::event::LotAccept {
            lot: id("L1"),
            prev: w2.head("L1"),
            mass_g: ledger_core::world::grams(50_000),
            grade_bp: ledger_core::world::grade(6500),
        }),
    );
    let mut forged = accept.clone();
    forged.signature[3] ^= 1;
    let env = |e: &SignedEvent| {
        let x = e.envelope();
        json!({"event": x.event, "sig": x.sig})
    };
    let size = c.size();
    let r = c
        .post(&json!({"events": [env(&offer), env(&forged), env(&accept), env(&offer)]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let res = v["results"].as_array().unwrap();
    assert_eq!(res[0]["status"], "accepted");
    assert_eq!(res[1]["status"], "refused");
    assert_eq!(res[1]["problem"]["rule"], "bad-signature");
    assert_eq!(res[2]["status"], "accepted");
    assert_eq!(res[2]["index"].as_u64(), Some(size + 1));
    assert_eq!(res[3]["status"], "existing");
    assert_eq!(
        (
            v["accepted"].as_u64(),
            v["refused"].as_u64(),
            v["existing"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(c.size(), size + 2);
    let lot = c.get("/v1/lots/L1").await.json();
    assert_eq!(lot["custodian"], "TR2");
}

#[tokio::test]
async fn read_endpoints_and_bundles_verify() {
    let w = base_world();
    for b in BACKENDS {
        let (l, _dir) = ledger_from(&w, b);
        let c = Client::new(l);
        let key =
            NoteKey::from_vkey(c.get("/v1/log").await.json()["vkey"].as_str().unwrap()).unwrap();
        // Every lot's bundle verifies offline.
        let mut cursor: Option<u64> = None;
        let mut seen = 0;
        loop {
            let uri = match cursor {
                Some(cur) => format!("/v1/lots?limit=4&after={cur}"),
                None => "/v1/lots?limit=4".into(),
            };
            let page = c.get(&uri).await.json();
            for lot in page["lots"].as_array().unwrap() {
                seen += 1;
                let id = lot["id"].as_str().unwrap();
                let bundle: Bundle =
                    serde_json::from_value(c.get(&format!("/v1/lots/{id}/bundle")).await.json())
                        .unwrap();
                let vb =
                    verify_bundle(&bundle, &key).unwrap_or_else(|e| panic!("bundle of {id}: {e}"));
                assert!(vb.entries.iter().any(|e| e.index == 0));
                let view = c.get(&format!("/v1/lots/{id}")).await.json();
                assert!(!view["history"].as_array().unwrap().is_empty());
            }
            match page["next"].as_u64() {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        assert_eq!(
            seen,
            w.log.state.lots().count(),
            "paging lists every lot once"
        );
        let t = c.get("/v1/tags/CD26-000001").await.json();
        assert_eq!(t["lot"], "L1");
        assert!(
            c.get("/v1/actors").await.json()["actors"]
                .as_array()
                .unwrap()
                .len()
                > 5
        );
        assert_eq!(c.get("/v1/actors/TR1").await.json()["profile"]["id"], "TR1");
        assert!(
            c.get("/v1/sites").await.json()["sites"]
                .as_array()
                .unwrap()
                .len()
                == 2
        );
        let case = w.log.state.cases().min_by_key(|c| c.opened).unwrap().id;
        let cv = c.get(&format!("/v1/cases/{case}")).await.json();
        assert_eq!(cv["history"].as_array().unwrap().len(), 2);
        for (uri, rule) in [
            ("/v1/entries/99999", "not-found"),
            ("/v1/entries/abc", "bad-parameter"),
            ("/v1/lots/NOPE", "not-found"),
            ("/v1/lots/NOPE/bundle", "not-found"),
            ("/v1/tags/XX-1", "not-found"),
            ("/v1/proof/inclusion", "bad-parameter"),
            ("/v1/proof/inclusion?index=x", "bad-parameter"),
            (
                "/v1/proof/inclusion?index=5&tree_size=999999",
                "bad-parameter",
            ),
            ("/v1/proof/consistency?from=0", "bad-parameter"),
            ("/v1/cases/zz", "bad-parameter"),
            ("/nowhere", "not-found"),
            ("/problems/no-such", "not-found"),
        ] {
            assert_problem(&c.get(uri).await, rule);
        }
        assert_eq!(c.get("/problems/stale-head").await.status, 200);
        let page = c.get("/v1/entries?start=3&limit=5").await.json();
        assert_eq!(page["entries"].as_array().unwrap().len(), 5);
        assert_eq!(page["entries"][0]["index"], 3);
    }
}

/// `spec/openapi.json` is the document the node generates, byte for byte.
/// `MADINI_BLESS=1 cargo test -p node --test api openapi` rewrites it.
#[test]
fn spec_openapi_json_is_the_generated_document() {
    let generated = node::openapi::document();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.json");
    if std::env::var_os("MADINI_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "spec/openapi.json differs from the generated document: run `MADINI_BLESS=1 cargo test -p node --test api openapi` and commit the result"
    );
}

/// The router, `api::ROUTES` and the OpenAPI paths name the same routes:
/// every listed route is answered by its handler (not the fallback), and
/// the document has exactly the listed operations.
#[tokio::test]
async fn router_routes_and_openapi_paths_agree() {
    let doc: Value = serde_json::from_str(&node::openapi::document()).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut listed: Vec<(String, String)> = node::api::ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_string(), (*p).to_string()))
        .collect();
    listed.sort();
    assert_eq!(
        listed, documented,
        "api::ROUTES and the OpenAPI paths differ"
    );
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    for (method, path) in node::api::ROUTES {
        // Any value will do: the fallback must not answer a listed route.
        let uri = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "x" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let req = axum::http::Request::builder()
            .method(*method)
            .uri(&uri)
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let r = c.send(req).await;
        assert!(
            !r.text.contains("no such endpoint"),
            "{method} {path} ({uri}) is not routed: {}",
            r.text
        );
    }
    let r = c.get("/v1/nothing-here").await;
    assert!(r.text.contains("no such endpoint"), "{}", r.text);
}

/// Reads `uri` as wire type `T` and writes it back: the same bytes, so a
/// Rust client that deserialises the wire types loses nothing.
async fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(c: &Client, uri: &str) -> T {
    let r = c.get(uri).await;
    assert_eq!(r.status, 200, "{uri}: {}", r.text);
    let v: T = serde_json::from_str(&r.text)
        .unwrap_or_else(|e| panic!("{uri} is not its wire type: {e}: {}", r.text));
    let again = ledger_core::export::to_json(&serde_json::to_value(&v).unwrap());
    assert_eq!(again, r.text, "{uri} does not round-trip");
    v
}

/// Every JSON body deserialises into its `ledger_core::wire` type and
/// serialises back to the bytes the node sent.
#[tokio::test]
async fn every_json_body_is_its_wire_type() {
    use ledger_core::wire::*;
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    round_trip::<Health>(&c, "/healthz").await;
    round_trip::<ProblemType>(&c, "/problems/stale-head").await;
    let log = round_trip::<LogInfo>(&c, "/v1/log").await;
    assert_eq!(log.writes, Writes::Accepting);
    round_trip::<EntriesPage>(&c, "/v1/entries?start=0&limit=1000").await;
    for i in 0..log.tree_size {
        round_trip::<EntryView>(&c, &format!("/v1/entries/{i}")).await;
    }
    round_trip::<InclusionProof>(&c, "/v1/proof/inclusion?index=3").await;
    round_trip::<ConsistencyProof>(&c, "/v1/proof/consistency?from=3").await;
    let lots = round_trip::<LotsPage>(&c, "/v1/lots?limit=500").await;
    for l in &lots.lots {
        round_trip::<LotView>(&c, &format!("/v1/lots/{}", l.id)).await;
        round_trip::<Provenance>(&c, &format!("/v1/lots/{}/provenance", l.id)).await;
        round_trip::<Bundle>(&c, &format!("/v1/lots/{}/bundle", l.id)).await;
        if let Some(t) = &l.tag {
            round_trip::<TagView>(&c, &format!("/v1/tags/{t}")).await;
        }
    }
    round_trip::<KeysPage>(&c, "/v1/keys").await;
    let actors = round_trip::<ActorsPage>(&c, "/v1/actors").await;
    for a in &actors.actors {
        round_trip::<ActorView>(&c, &format!("/v1/actors/{}", a.profile.id.as_str())).await;
    }
    let sites = round_trip::<SitesPage>(&c, "/v1/sites").await;
    for s in &sites.sites {
        round_trip::<SiteView>(&c, &format!("/v1/sites/{}", s.record.id.as_str())).await;
    }
    for case in w.log.state.cases() {
        round_trip::<CaseView>(&c, &format!("/v1/cases/{}", case.id)).await;
    }
    for what in ["sites", "lots", "certificates", "entities"] {
        round_trip::<IcglrPage>(&c, &format!("/v1/icglr/{what}")).await;
    }
    let r = c.get("/v1/lots/NOPE").await;
    let p: ProblemBody = serde_json::from_str(&r.text).unwrap();
    assert_eq!((p.status, p.rule.as_str()), (404, "not-found"));
    // Submissions: a single one, and a batch with every kind of result.
    let ev = w.sign("TR1", transport(&w, "L1", w.head("L1")));
    let r = c.submit(&ev).await;
    let one: SubmitResponse = serde_json::from_str(&r.text).unwrap();
    let SubmitResponse::One(one) = one else {
        panic!("a single submission answered as a batch: {}", r.text)
    };
    assert_eq!(one.status, Recorded::Accepted);
    let e = ev.envelope();
    let r = c
        .post(&json!({"events": [{"event": e.event, "sig": e.sig}, {"event": "", "sig": ""}]}))
        .await;
    let batch: SubmitResponse = serde_json::from_str(&r.text).unwrap();
    let SubmitResponse::Batch(b) = batch else {
        panic!("a batch answered as a single submission: {}", r.text)
    };
    assert!(matches!(b.results[0], BatchItem::Existing(_)));
    assert!(matches!(b.results[1], BatchItem::Refused(_)));
    assert_eq!((b.existing, b.refused), (1, 1));
    assert_eq!(
        ledger_core::export::to_json(&serde_json::to_value(&b).unwrap()),
        r.text
    );
}

/// `/openapi.json` serves the generated document.
#[tokio::test]
async fn openapi_json_is_served() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    let r = c.get("/openapi.json").await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    assert_eq!(r.text, node::openapi::document());
}

/// Reads that schemathesis found the node or its document wrong on
/// (`spec/http.md`, "Conformance"), each answered with its problem, and the
/// reports still served afterwards (a panicking report once poisoned the
/// cache lock, so every later report was a 500).
#[tokio::test]
async fn hostile_reads_are_problems() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    let size = c.size();
    let hex = "A".repeat(64);
    for (uri, status, rule) in [
        // Integers beyond 2^53 - 1 were clamped or answered with empty pages.
        ("/v1/lots?limit=9223372036854775808", 400, "bad-parameter"),
        ("/v1/lots?after=9007199254740992", 400, "bad-parameter"),
        (
            "/v1/entries?start=18446744073709551616",
            400,
            "bad-parameter",
        ),
        ("/v1/entries?limit=-1", 400, "bad-parameter"),
        ("/v1/entries/9007199254740992", 400, "bad-parameter"),
        ("/v1/entries/-1", 400, "bad-parameter"),
        (
            "/v1/icglr/sites?offset=9223372036854775808",
            400,
            "bad-parameter",
        ),
        (
            "/v1/proof/inclusion?index=0&tree_size=9223372036854775806",
            400,
            "bad-parameter",
        ),
        ("/v1/proof/consistency?from=0", 400, "bad-parameter"),
        // The year of a report: i64::MIN overflowed the report arithmetic.
        (
            "/v1/reports/taxes?year=-9223372036854775808",
            400,
            "bad-parameter",
        ),
        ("/v1/reports/flows?year=10000", 400, "bad-parameter"),
        ("/v1/reports/taxes?year=1969", 400, "bad-parameter"),
        ("/v1/reports/taxes?year=x", 400, "bad-parameter"),
        // Unknown kinds, formats and parts.
        ("/v1/reports/nope", 400, "bad-parameter"),
        ("/v1/reports/taxes?part=AAA", 400, "bad-parameter"),
        ("/v1/reports/flows?format=xml", 400, "bad-parameter"),
        ("/v1/reports/flows?format=geojson", 400, "bad-parameter"),
        ("/v1/icglr/nope", 400, "bad-parameter"),
        ("/v1/icglr/nope/x", 400, "bad-parameter"),
        ("/v1/icglr/sites/%FF", 400, "bad-parameter"),
        // EPCIS: a lot and a window together, an empty lot, bad times.
        (
            "/v1/epcis/events?lot=L1&from=2024-01-01",
            400,
            "bad-parameter",
        ),
        ("/v1/epcis/events?lot=&from=", 400, "bad-parameter"),
        ("/v1/epcis/events?lot=", 400, "bad-parameter"),
        (
            "/v1/epcis/events?from=1234567890123456",
            400,
            "bad-parameter",
        ),
        ("/v1/epcis/events?to=2024-13-01", 400, "bad-parameter"),
        // Paths that are not UTF-8, and ids of the wrong form.
        ("/lots/%FF", 400, "bad-parameter"),
        ("/t/%FF", 400, "bad-parameter"),
        ("/v1/lots/%FF", 400, "bad-parameter"),
        ("/v1/lots/%20/bundle", 400, "bad-parameter"),
        ("/v1/cases/zz", 400, "bad-parameter"),
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.text);
        assert_problem(&r, rule);
    }
    let r = c.get(&format!("/v1/cases/{hex}")).await;
    assert_problem(&r, "bad-parameter");
    for uri in [
        "/v1/reports/taxes?year=2024",
        "/v1/reports/taxes?format=csv&part=periods",
        "/v1/reports/sites?format=geojson",
        "/v1/icglr/sites?offset=9007199254740991",
        "/v1/entries?start=9007199254740991&limit=0",
        "/lots/L1?lang=xx",
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text);
    }
    assert_eq!(c.size(), size);
}

/// A batch element that is not an envelope (here one with an unknown
/// field) is refused alone in the batch's results, as `spec/http.md` says
/// and the OpenAPI document declares (batch items are any value).
#[tokio::test]
async fn batch_element_that_is_not_an_envelope_is_refused_alone() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    let size = c.size();
    let r = c
        .post(&json!({"events": [{"event": "", "sig": "", "x-schemathesis-unknown-property": 42}, 1]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["refused"], 2);
    for item in v["results"].as_array().unwrap() {
        assert_eq!(item["status"], "refused");
        assert_eq!(item["problem"]["rule"], "invalid-event");
    }
    assert_eq!(c.size(), size);
}

/// At least 200 malformed or hostile requests: each gets its status, a
/// problem body where it is an error, and the tree never changes.
#[tokio::test]
async fn hostile_requests_change_nothing() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Sled);
    let c = Client::new(l);
    let size = c.size();
    let good = w.sign("TR1", transport(&w, "L1", w.head("L1")));
    let ge = good.envelope();
    let mut cases: Vec<(String, String, &str, u16)> = Vec::new(); // (name, body, rule, status)
    let mut add = |name: String, body: String, rule: &'static str, status: u16| {
        cases.push((name, body, rule, status))
    };
    // Not JSON, or not the expected shape.
    for (i, b) in [
        "",
        "{",
        "}",
        "nope",
        "[]",
        "[1,2]",
        "1",
        "\"x\"",
        "null",
        "true",
        "{\"event\":",
        "{\"events\":{}}",
        "{\"events\":[]}",
        "{\"events\":\"x\"}",
        "{\"events\":[1],\"x\":1}",
        "\u{0}",
        "{\"event\":\"e30=\",\"sig\":\"AA==\",\"events\":[]}",
    ]
    .iter()
    .enumerate()
    {
        add(
            format!("shape-{i}"),
            (*b).to_string(),
            "malformed-request",
            400,
        );
    }
    // Envelopes that are not envelopes.
    for (i, body) in [
        json!({"event": ge.event}),
        json!({"sig": ge.sig}),
        json!({"event": ge.event, "sig": ge.sig, "extra": 1}),
        json!({"event": 5, "sig": ge.sig}),
        json!({"event": ge.event, "sig": 5}),
        json!({"event": "%%%", "sig": ge.sig}),
        json!({"event": ge.event, "sig": "%%%"}),
        json!({"event": ge.event, "sig": B64.encode([0u8; 63])}),
        json!({"event": ge.event, "sig": B64.encode([0u8; 65])}),
        json!({"event": "", "sig": ge.sig}),
        json!({"event": B64.encode([0xffu8; 10]), "sig": ge.sig}),
        json!({"event": B64.encode(b"[]"), "sig": ge.sig}),
        json!({"event": B64.encode(b"{}"), "sig": ge.sig}),
    ]
    .iter()
    .enumerate()
    {
        add(
            format!("envelope-{i}"),
            body.to_string(),
            "invalid-event",
            400,
        );
    }
    // Event bytes mutated: every field replaced by hostile values, re-signed
    // by the right key (so only the content is wrong).
    let base: Value = serde_json::from_slice(&good.bytes).unwrap();
    let hostile = [
        json!(null),
        json!(-1),
        json!(1.5),
        json!(9007199254740992u64),
        json!(""),
        json!("x".repeat(70_000)),
        json!([]),
        json!({}),
        json!(true),
        json!("\u{0}"),
        json!(-9007199254740991i64),
    ];
    for field in base.as_object().unwrap().keys() {
        for (k, h) in hostile.iter().enumerate() {
            let mut v = base.clone();
            v[field] = h.clone();
            let bytes = match ledger_core::jcs::encode(&v) {
                Ok(b) => b,
                Err(_) => serde_json::to_vec(&v).unwrap(),
            };
            let sig = ledger_core::world::named_key("TR1").sign_event(&bytes);
            let body = json!({"event": B64.encode(&bytes), "sig": B64.encode(sig)}).to_string();
            let (rule, status) = if field == "log"
                && h.is_string()
                && !h.as_str().unwrap().is_empty()
                && h.as_str().unwrap().len() < 200
                && h.as_str().unwrap() != "\u{0}"
            {
                ("wrong-log", 400)
            } else {
                ("invalid-event", 400)
            };
            add(format!("field-{field}-{k}"), body, rule, status);
        }
    }
    // Non-canonical forms of the good event.
    let text = String::from_utf8(good.bytes.clone()).unwrap();
    for (i, t) in [
        text.replacen(':', ": ", 1),
        format!(" {text}"),
        format!("{text}\n"),
        text.replace("\"v\":1", "\"v\":1.0"),
        text.replace("\"v\":1", "\"v\":01"),
        serde_json::to_string_pretty(&base).unwrap(),
        text.replacen("\"arrived\"", "\"zzz\":1,\"arrived\"", 1),
        text.replace("\"type\":\"lot.transport\"", "\"type\":\"lot.teleport\""),
        text.replace("\"v\":1", "\"v\":2"),
    ]
    .iter()
    .enumerate()
    {
        let sig = ledger_core::world::named_key("TR1").sign_event(t.as_bytes());
        let rule = if i == 8 {
            "unsupported-version"
        } else {
            "invalid-event"
        };
        add(
            format!("noncanonical-{i}"),
            json!({"event": B64.encode(t), "sig": B64.encode(sig)}).to_string(),
            rule,
            400,
        );
    }
    // Forged signatures: every 8th bit flipped, and another actor's key.
    for bit in (0..512).step_by(8) {
        let mut f = good.clone();
        f.signature[bit / 8] ^= 1 << (bit % 8);
        let e = f.envelope();
        add(
            format!("forged-{bit}"),
            json!({"event": e.event, "sig": e.sig}).to_string(),
            "bad-signature",
            403,
        );
    }
    let other = ledger_core::world::named_key("TR2").sign_event(&good.bytes);
    add(
        "other-key".into(),
        json!({"event": ge.event, "sig": B64.encode(other)}).to_string(),
        "bad-signature",
        403,
    );
    // Stale head (a double spend), wrong roles, custody.
    let old_head = w.figure("L1", Some(0));
    for (name, ev, rule, status) in [
        (
            "stale-head",
            w.sign("TR1", transport(&w, "L1", old_head)),
            "stale-head",
            409,
        ),
        (
            "not-custodian",
            w.sign("TR2", transport(&w, "L1", w.head("L1"))),
            "not-custodian",
            403,
        ),
        (
            "role",
            w.sign(
                "TR1",
                Body::SiteStatus(ledger_core::event::SiteStatus {
                    site: ledger_core::world::site_id(ledger_core::vectors::S1),
                    status: ledger_core::types::CertStatus::RED,
                    reason: ledger_core::world::long("x"),
                }),
            ),
            "role-not-allowed",
            403,
        ),
        (
            "unknown-key",
            w.sign("NOBODY", transport(&w, "L1", w.head("L1"))),
            "unknown-key",
            403,
        ),
    ] {
        let e = ev.envelope();
        add(
            name.into(),
            json!({"event": e.event, "sig": e.sig}).to_string(),
            rule,
            status,
        );
    }
    // Batches: too many events, and a body that is too large.
    let many: Vec<Value> = (0..1001)
        .map(|_| json!({"event": ge.event, "sig": ge.sig}))
        .collect();
    add(
        "batch-1001".into(),
        json!({"events": many}).to_string(),
        "batch-too-large",
        413,
    );
    add(
        "body-5MiB".into(),
        format!("{{\"event\":\"{}\",\"sig\":\"\"}}", "A".repeat(5 << 20)),
        "body-too-large",
        413,
    );
    assert!(cases.len() >= 200, "only {} hostile cases", cases.len());
    for (name, body, rule, status) in &cases {
        let r = c.post_raw(body.clone(), "application/json").await;
        assert_eq!(r.status.as_u16(), *status, "{name}: {}", r.text);
        assert_problem(&r, rule);
        assert_eq!(c.size(), size, "{name} changed the tree");
    }
    // Wrong media type.
    let r = c
        .post_raw(
            json!({"event": ge.event, "sig": ge.sig}).to_string(),
            "text/plain",
        )
        .await;
    assert_problem(&r, "unsupported-media-type");
    // A replay of an existing entry is not an error and changes nothing.
    let first = w.accepted[5].envelope();
    let r = c
        .post(&json!({"event": first.event, "sig": first.sig}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "existing");
    assert_eq!(c.size(), size);
    eprintln!(
        "{} hostile requests refused with their problem types",
        cases.len()
    );
}
