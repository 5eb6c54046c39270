//! QR labels from the CLI: printed labels decode with a real QR reader
//! (zbarimg) and with `madini scan --image`; genuine claims verify offline
//! and online; tampered, foreign and truncated claims are refused.

mod common;

use std::process::Command;

use common::*;
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId};
use tag_printer::{BaseUrl, Claim, encode_payload};

fn zbar(path: &std::path::Path) -> Option<Vec<String>> {
    let o = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .ok()?;
    Some(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

#[test]
fn labels_print_scan_and_refuse_tampering() {
    let mut l = Ledger::new("tags");
    let c = &l.coop;
    let png = l.root.join("L-1.png");
    let r = c.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-1",
        "--site",
        SITE,
        "--tag",
        "T-000001",
        "--mineral",
        "cassiterite",
        "--mass",
        "25.3kg",
        "--grade",
        "65%",
        "--label",
        png.to_str().unwrap(),
    ]);
    assert_eq!(r["status"], "accepted");
    c.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-2",
        "--site",
        SITE,
        "--tag",
        "T-000002",
        "--mineral",
        "cassiterite",
        "--mass",
        "30kg",
        "--grade",
        "61%",
    ]);
    c.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-3",
        "--site",
        SITE,
        "--tag",
        "T-000003",
        "--mineral",
        "cassiterite",
        "--mass",
        "12kg",
        "--grade",
        "58%",
    ]);
    let pdf = l.root.join("sheet.pdf");
    let p = c.ok_json(&[
        "tags",
        "print",
        "--since",
        "2020-01-01",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(p["labels"], 3);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let svg = l.root.join("L-2.svg");
    let print_l2 = |lang: &[&str]| {
        let mut a = lang.to_vec();
        a.extend(["tags", "print", "L-2", "--format", "svg", "--out"]);
        a.push(svg.to_str().unwrap());
        c.ok_json(&a);
        std::fs::read_to_string(&svg).unwrap()
    };
    let english = print_l2(&[]);
    assert!(english.contains("<svg"));
    // The label names its fields in French and English (spec/tags.md
    // section 6): French first for French, English first otherwise,
    // Swahili included (three names per field do not fit).
    assert!(english.contains("Mass / Masse"), "{english}");
    let french = print_l2(&["--lang", "fr"]);
    assert!(french.contains("Masse / Mass"), "{french}");
    let swahili = print_l2(&["--lang", "sw"]);
    assert!(swahili.contains("Mass / Masse"), "{swahili}");
    assert!(!swahili.contains("Uzito"), "{swahili}");
    // svg holds one label only.
    c.run(&[
        "tags",
        "print",
        "L-1",
        "L-2",
        "--format",
        "svg",
        "--out",
        svg.to_str().unwrap(),
    ])
    .expect(2);
    // Only the registering cooperative's key can sign a tag.
    let other = l.actor("NEG-1", "Négociant", "trader");
    let r = other
        .run(&[
            "tags",
            "print",
            "L-1",
            "--out",
            l.root.join("x.pdf").to_str().unwrap(),
        ])
        .expect(2);
    assert!(
        r.stderr.contains("only the registering cooperative"),
        "{}",
        r.stderr
    );

    // The printed code, read by our own reader and by zbarimg.
    let inspector = Device::new(&l.root, "INSPECTOR-FIELD", &l.node.url);
    let s = inspector.ok_json(&["scan", "--image", png.to_str().unwrap()]);
    assert_eq!(s["signature"], "valid");
    assert_eq!(s["claim"]["lot"], "L-1");
    assert_eq!(s["claim"]["mass_g"], 25_300);
    assert_eq!(s["claim"]["signer"], "COOP");
    assert_eq!(s["online"]["lot"], "L-1");
    assert_eq!(s["online"]["custodian"], "COOP");
    assert_eq!(s["online"]["verdict"], "verified");
    let payload = s["payload"].as_str().unwrap().to_string();
    match zbar(&png) {
        Some(codes) => assert_eq!(codes, vec![payload.clone()]),
        None => assert!(
            std::env::var_os("MADINI_REQUIRE_ZBAR").is_none(),
            "zbarimg is required (MADINI_REQUIRE_ZBAR) but not installed"
        ),
    }
    let human = inspector.run(&["scan", &payload]).expect(0).stdout;
    assert!(human.starts_with("claim VALID"), "{human}");

    // Offline, the claim still verifies against the keys cached on the device.
    let addr = l.node.addr();
    l.node.stop();
    let off = inspector.run(&["scan", &payload]).expect(0).stdout;
    assert!(off.contains("offline: the claim is authentic"), "{off}");
    // A changed mass, a truncated payload: refused, exit 3.
    let tampered = payload.replacen("/25300/", "/35300/", 1);
    assert_ne!(tampered, payload);
    let r = inspector.run(&["scan", &tampered]).expect(3);
    assert!(
        r.stderr.contains("signature does not verify"),
        "{}",
        r.stderr
    );
    let r = inspector
        .run(&["scan", &payload[..payload.len() - 9]])
        .expect(3);
    assert!(r.stderr.contains("cannot be trusted"), "{}", r.stderr);
    // A claim signed by a key no registry knows: refused, exit 3.
    let foreign = ledger_core::world::named_key("forger");
    let claim = Claim {
        tag: TagId::new("T-000001").unwrap(),
        lot: Id::new("L-1").unwrap(),
        site: SiteId::new(SITE).unwrap(),
        mineral: Mineral::Cassiterite,
        mass: Grams(25_300),
        grade: Grade(6_500),
        day: 20_500,
        key_id: foreign.public().key_id(),
    };
    let forged = encode_payload(
        &BaseUrl::new(l.node.url.clone()).unwrap(),
        &claim.sign(&foreign).unwrap(),
    );
    let r = inspector.run(&["scan", &forged]).expect(3);
    assert!(r.stderr.contains("not a registered key"), "{}", r.stderr);

    // Online again: a genuine claim whose tag the log attaches to another lot
    // is caught (a label copied onto another bag).
    l.node = NodeProc::start_on(&l.node.data.clone(), &addr);
    let pem = std::fs::read_to_string(l.coop.home.join("key.pem")).unwrap();
    let coop_key = ledger_core::crypto::SecretKey::from_pkcs8_pem(&pem).unwrap();
    let copied = Claim {
        tag: TagId::new("T-000002").unwrap(),
        lot: Id::new("L-1").unwrap(),
        site: SiteId::new(SITE).unwrap(),
        mineral: Mineral::Cassiterite,
        mass: Grams(25_300),
        grade: Grade(6_500),
        day: 20_500,
        key_id: coop_key.public().key_id(),
    };
    let copied = encode_payload(
        &BaseUrl::new(l.node.url.clone()).unwrap(),
        &copied.sign(&coop_key).unwrap(),
    );
    let r = inspector.run(&["--json", "scan", &copied]).expect(1).json();
    let problems = r["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.as_str().unwrap().contains("attached to lot L-2, not L-1")),
        "{r}"
    );
    // Read from the log's tiles instead of the node's API, the same checks
    // give the same answers: for the genuine label and the copied one.
    for (p, code) in [(&payload, 0), (&copied, 1)] {
        let api = inspector.run(&["--json", "scan", p]).expect(code).json();
        let tiles = inspector
            .run(&["--json", "scan", p, "--tiles", &l.node.url])
            .expect(code)
            .json();
        assert_eq!(api, tiles);
    }
    // A buyer's device that never reached the node and holds no keys: the
    // log key pinned and the tiles named in its profile, the node's API out
    // of reach, the keys and the lot come from the tiles alone.
    let vkey = inspector.ok_json(&["log", "status"])["vkey"]
        .as_str()
        .unwrap()
        .to_string();
    let buyer = Device::new(&l.root, "BUYER", "http://127.0.0.1:9");
    buyer
        .run(&[
            "profile",
            "set",
            "--set-vkey",
            &vkey,
            "--set-tiles",
            &l.node.url,
        ])
        .expect(0);
    let b = buyer.run(&["--json", "scan", &payload]).expect(0).json();
    assert_eq!(b["online"]["verdict"], "verified", "{b}");
    assert_eq!(b["online"]["custodian"], "COOP", "{b}");
    assert_eq!(b["claim"]["signer"], "COOP", "{b}");
    let fr = inspector
        .run(&["--lang", "fr", "scan", &payload])
        .expect(0)
        .stdout;
    assert!(fr.starts_with("déclaration VALIDE"), "{fr}");
}
