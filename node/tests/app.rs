//! The field app's reads: `GET /v1/devices/{key}` against the ledger state
//! it summarises, on both stores, and `GET /v1/qr`.

mod common;

use common::*;
use ledger_core::state::{KeyOwner, LotStatus, StateRead};
use ledger_core::vectors::base_world;

#[tokio::test]
async fn a_device_view_is_what_the_state_says_for_every_key() {
    let w = base_world();
    let state = &w.log.state;
    for b in BACKENDS {
        let (l, _dir) = ledger_from(&w, b);
        let c = Client::new(l);
        let (mut with_sites, mut with_lots) = (0, 0);
        for (key, entry) in state.keys() {
            let KeyOwner::Actor(actor) = &entry.owner else {
                continue;
            };
            let r = c.get(&format!("/v1/devices/{key}")).await;
            assert_eq!(r.status, 200, "{key}");
            let v = r.json();
            assert_eq!(v["key_id"], key.to_string());
            assert_eq!(v["log"], w.origin.as_str());
            assert_eq!(v["actor"]["profile"]["id"], actor.as_str());
            let sites: Vec<&str> = v["sites"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap())
                .collect();
            let mut want_sites: Vec<&str> = state
                .sites()
                .filter(|s| s.record.operators.contains(actor))
                .map(|s| s.record.id.as_str())
                .collect();
            want_sites.sort_unstable();
            let mut got_sites = sites.clone();
            got_sites.sort_unstable();
            assert_eq!(got_sites, want_sites, "sites of {actor}");
            with_sites += usize::from(!sites.is_empty());
            for s in v["sites"].as_array().unwrap() {
                // Each listed range is a real allocation at that site.
                for r in s["ranges"].as_array().unwrap() {
                    let first = r["first"].as_u64().unwrap();
                    let tag = format!(
                        "{}-{:0w$}",
                        r["prefix"].as_str().unwrap(),
                        first,
                        w = r["width"].as_u64().unwrap() as usize
                    );
                    assert!(r["last"].as_u64().unwrap() >= first, "{tag}");
                }
            }
            let mut lots: Vec<String> = v["lots"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["id"].as_str().unwrap().to_string())
                .collect();
            lots.sort();
            let mut want: Vec<String> = state
                .lots()
                .filter(|l| {
                    l.status == LotStatus::Open
                        && l.custodian == *actor
                        && l.pending_offer.as_ref() != Some(actor)
                })
                .map(|l| l.id.as_str().to_string())
                .collect();
            want.sort();
            assert_eq!(lots, want, "lots of {actor}");
            with_lots += usize::from(!lots.is_empty());
            let offers: Vec<&str> = v["offers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["lot"]["id"].as_str().unwrap())
                .collect();
            let want_offers = state
                .lots()
                .filter(|l| l.status == LotStatus::Open && l.pending_offer.as_ref() == Some(actor))
                .count();
            assert_eq!(offers.len(), want_offers, "offers to {actor}");
            for o in v["offers"].as_array().unwrap() {
                assert!(o["mass_g"].as_u64().unwrap() > 0);
                assert!(!o["from"].as_str().unwrap().is_empty());
            }
        }
        assert!(
            with_sites > 0 && with_lots > 0,
            "the world exercises the view"
        );
        // A key that is not registered (yet): no status, no actor.
        let v = c
            .get("/v1/devices/00000000000000000000000000000000")
            .await
            .json();
        assert!(v["status"].is_null() && v["actor"].is_null());
        assert_eq!(v["sites"].as_array().unwrap().len(), 0);
        assert_problem(&c.get("/v1/devices/xyz").await, "bad-parameter");
    }
}

#[tokio::test]
async fn qr_codes_are_svg_and_bad_texts_are_problems() {
    let w = base_world();
    let (l, _dir) = ledger_from(&w, Backend::Memory);
    let c = Client::new(l);
    let r = c
        .get("/v1/qr?text=ed25519%3AqZrTL%2FH5CVoY6oAqf%2FqYDKgsTZ1TyzHBq6RTzvpvpw0%3D")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "image/svg+xml");
    assert!(r.text.contains("<svg") && r.text.contains("</svg>"));
    assert_problem(&c.get("/v1/qr").await, "bad-parameter");
    assert_problem(&c.get("/v1/qr?text=").await, "bad-parameter");
    let long = "A".repeat(600);
    assert_problem(
        &c.get(&format!("/v1/qr?text={long}")).await,
        "bad-parameter",
    );
}

/// The query-string form of a text (RFC 3986 unreserved kept).
fn query(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_signed_label_payload_becomes_a_printable_label_and_a_bad_one_a_problem() {
    use ledger_core::world::named_key;
    use tag_printer::{BaseUrl, Claim, encode_payload};
    let w = base_world();
    let (l, _dir) = ledger_from(&w, BACKENDS[0]);
    let c = Client::new(l);
    let lot = w.log.state.lot("L1").unwrap().unwrap();
    let coop = named_key("COOP1");
    let claim = Claim {
        tag: lot.tag.clone().unwrap(),
        lot: lot.id.clone(),
        site: ledger_core::world::site_id(ledger_core::vectors::S1),
        mineral: lot.mineral,
        mass: ledger_core::world::grams(50_000),
        grade: ledger_core::world::grade(6500),
        day: 20_500,
        key_id: coop.public().key_id(),
    };
    let base = BaseUrl::new("https://registry.example").unwrap();
    let payload = encode_payload(&base, &claim.sign(&coop).unwrap());
    let r = c
        .get(&format!("/v1/labels?payload={}", query(&payload)))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.content_type, "application/pdf");
    assert!(r.text.starts_with("%PDF-"), "{}", &r.text[..20]);
    let r = c
        .get(&format!(
            "/v1/labels?payload={}&format=png",
            query(&payload)
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.content_type, "image/png");
    // The body as lossy UTF-8: the PNG signature 0x89 "PNG" reads as U+FFFD "PNG".
    assert!(r.text.starts_with("\u{fffd}PNG"), "{:?}", &r.text[..8]);
    // The fields are named in the asked language first: French unless
    // another is asked for (the PNG of one label, drawn the same way twice).
    let mut drawn = Vec::new();
    for lang in ["", "&lang=fr", "&lang=en"] {
        let q = format!("/v1/labels?payload={}&format=png{lang}", query(&payload));
        drawn.push(c.get(&q).await);
    }
    let (default, fr, en) = (&drawn[0], &drawn[1], &drawn[2]);
    assert_eq!(en.status, 200, "{}", en.text);
    assert_eq!(default.text, fr.text, "French by default");
    assert_ne!(en.text, fr.text, "English first is another drawing");

    let problem = |r: &common::Resp, status: u16, rule: &str| {
        assert_eq!(r.status.as_u16(), status, "{}", r.text);
        assert_eq!(r.json()["rule"], rule, "{}", r.text);
    };
    // Signed by a key the registry does not know.
    let stranger = named_key("NOT-REGISTERED");
    let forged = Claim {
        key_id: stranger.public().key_id(),
        ..claim.clone()
    };
    let p = encode_payload(&base, &forged.sign(&stranger).unwrap());
    problem(
        &c.get(&format!("/v1/labels?payload={}", query(&p))).await,
        422,
        "claim-unverified",
    );
    // The cooperative's signature moved onto other figures.
    let signed = claim.sign(&coop).unwrap();
    let heavier = Claim {
        mass: ledger_core::world::grams(60_000),
        ..claim.clone()
    };
    let moved = tag_printer::SignedClaim::from_parts(heavier, *signed.signature()).unwrap();
    let p = encode_payload(&base, &moved);
    problem(
        &c.get(&format!("/v1/labels?payload={}", query(&p))).await,
        422,
        "claim-unverified",
    );
    problem(
        &c.get("/v1/labels?payload=hello").await,
        400,
        "bad-parameter",
    );
    problem(&c.get("/v1/labels").await, 400, "bad-parameter");
    problem(
        &c.get(&format!("/v1/labels?payload={}&lang=de", query(&payload)))
            .await,
        400,
        "bad-parameter",
    );
    problem(
        &c.get(&format!(
            "/v1/labels?payload={}&format=gif",
            query(&payload)
        ))
        .await,
        400,
        "bad-parameter",
    );
}
