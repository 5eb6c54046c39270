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
        assert!(c.get("/").await.text.contains("Madini ledger"));
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

#[test]
fn openapi_documents_every_route() {
    let doc: Value = serde_json::from_str(node::api::OPENAPI).unwrap();
    for (method, path) in node::api::ROUTES {
        let op = &doc["paths"][path][method.to_lowercase()];
        assert!(
            op.is_object(),
            "{method} {path} is missing from spec/openapi.json"
        );
    }
    assert_eq!(
        doc["paths"].as_object().unwrap().len(),
        node::api::ROUTES.len(),
        "openapi.json documents routes the node does not have"
    );
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
