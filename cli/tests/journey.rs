//! The end-to-end journey of a lot through the real `madini` and
//! `madini-node` binaries on loopback: registration at a Green site, two
//! custody transfers accepted by their receivers, a split, a merge with
//! another lot, processing, a tax payment, and export under a certificate.
//! The node's provenance of the final lot must list every step with the
//! right signer.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn a_lot_from_the_mine_to_export() {
    let l = Ledger::new("journey");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    let p = l.actor("PROC-1", "Rwanda Processing Ltd", "processor");
    let e = l.actor("EXP-1", "Comptoir des Grands Lacs", "exporter");
    let c = &l.coop;

    // Registration at the mine: two bags.
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
        "50kg",
        "--grade",
        "60%",
        "--miner",
        "Équipe 3",
        "--gps",
        "-1.9641,30.0619",
    ]);
    assert_eq!(r["status"], "accepted");
    assert_eq!(r["type"], "lot.register");
    assert!(r["index"].as_u64().is_some());
    assert_eq!(r["leaf_hash"].as_str().unwrap().len(), 44);
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
        "55%",
    ]);

    // Transfer 1: cooperative to trader, for both bags.
    for lot in ["L-1", "L-2"] {
        c.ok_json(&[
            "lot",
            "offer",
            lot,
            "--to",
            "NEG-1",
            "--price",
            "310.50",
            "--currency",
            "USD",
        ]);
        let a = t1.ok_json(&["lot", "accept", lot]);
        assert_eq!(a["status"], "accepted", "{a}");
    }
    // Transfer 2: trader to processor, the receiver weighing a little less.
    for lot in ["L-1", "L-2"] {
        t1.ok_json(&["lot", "offer", lot, "--to", "PROC-1"]);
    }
    p.ok_json(&["lot", "accept", "L-1", "--mass", "49.8kg", "--grade", "60%"]);
    p.ok_json(&["lot", "accept", "L-2"]);

    // The processor splits L-1, merges one half with L-2, and processes it.
    p.ok_json(&[
        "lot",
        "split",
        "L-1",
        "--child",
        "L-1a:24.9kg",
        "--child",
        "L-1b:24.9kg",
    ]);
    p.ok_json(&[
        "lot", "merge", "--input", "L-1a", "--input", "L-2", "--lot", "M-1", "--mass", "54.9kg",
        "--grade", "57.7%",
    ]);
    p.ok_json(&[
        "lot", "process", "--input", "M-1", "--lot", "C-1", "--mass", "40kg", "--grade", "70%",
        "--method", "washing",
    ]);
    p.ok_json(&[
        "lot",
        "tax",
        "C-1",
        "--type",
        "royalty",
        "--amount",
        "120.00",
        "--currency",
        "USD",
        "--authority",
        "RRA",
        "--receipt",
        "R-2026-001",
    ]);
    p.ok_json(&["lot", "offer", "C-1", "--to", "EXP-1"]);
    e.ok_json(&["lot", "accept", "C-1"]);

    // Certificate requested by the exporter, issued by the authority.
    e.ok_json(&[
        "cert",
        "request",
        "--id",
        "REQ-1",
        "--lot",
        "C-1",
        "--mineral",
        "cassiterite",
        "--mass",
        "40kg",
        "--destination",
        "BE",
    ]);
    l.auth.ok_json(&[
        "cert",
        "issue",
        "--id",
        "RW-2026-0001",
        "--exporter",
        "EXP-1",
        "--lot",
        "C-1",
        "--mineral",
        "cassiterite",
        "--mass",
        "40kg",
        "--origin",
        "RW",
        "--destination",
        "BE",
        "--request",
        "REQ-1",
    ]);
    let x = e.ok_json(&[
        "lot",
        "export",
        "C-1",
        "--cert",
        "RW-2026-0001",
        "--destination",
        "BE",
    ]);
    assert_eq!(x["status"], "accepted");

    // The node's provenance of C-1 lists every step with its signer.
    let h = e.ok_json(&["lot", "history", "C-1"]);
    let steps: Vec<(String, String, String)> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|en| {
            (
                en["type"].as_str().unwrap().to_string(),
                en["event"]["lot"].as_str().unwrap_or("").to_string(),
                en["signer"]["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expect = [
        ("lot.register", "L-1", "COOP"),
        ("lot.register", "L-2", "COOP"),
        ("lot.offer", "L-1", "COOP"),
        ("lot.accept", "L-1", "NEG-1"),
        ("lot.offer", "L-2", "COOP"),
        ("lot.accept", "L-2", "NEG-1"),
        ("lot.offer", "L-1", "NEG-1"),
        ("lot.offer", "L-2", "NEG-1"),
        ("lot.accept", "L-1", "PROC-1"),
        ("lot.accept", "L-2", "PROC-1"),
        ("lot.split", "L-1", "PROC-1"),
        ("lot.merge", "M-1", "PROC-1"),
        ("lot.process", "C-1", "PROC-1"),
        ("lot.tax", "C-1", "PROC-1"),
        ("lot.offer", "C-1", "PROC-1"),
        ("lot.accept", "C-1", "EXP-1"),
        ("lot.export", "C-1", "EXP-1"),
    ];
    let got: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expect);
    // Entries come in log order.
    let idx: Vec<u64> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|en| en["index"].as_u64().unwrap())
        .collect();
    assert!(idx.windows(2).all(|w| w[0] < w[1]));

    // The lot's state, and the human table.
    let s = e.ok_json(&["lot", "show", "C-1"]);
    assert_eq!(s["status"], "exported");
    assert_eq!(s["custodian"], "EXP-1");
    assert_eq!(s["mass_g"], 40_000);
    let table = e.run(&["lot", "history", "C-1"]).expect(0).stdout;
    let header = table.lines().next().unwrap();
    for col in [
        "index", "lot", "claimed", "recorded", "event", "signer", "mass", "grade",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert!(table.contains("49.800 kg"), "{table}");
    assert!(table.contains("lot.export"), "{table}");
    // The tag lookup finds the first bag.
    let t = c.ok_json(&["tags", "show", "T-000001"]);
    assert_eq!(t["lot"], "L-1");
    // French output.
    let fr = e
        .run(&["--lang", "fr", "lot", "show", "C-1"])
        .expect(0)
        .stdout;
    assert!(fr.contains("détenteur"), "{fr}");
    // Nothing left in any outbox.
    for d in [c, &t1, &p, &e, &l.auth] {
        let o = d.ok_json(&["outbox"]);
        assert_eq!(o["waiting"], Value::Array(vec![]));
        assert_eq!(o["refused"], Value::Array(vec![]));
    }
    // The log status is verified and pinned.
    let st = e.ok_json(&["log", "status"]);
    assert_eq!(st["origin"], "test.madini.example/log");
    assert!(st["tree_size"].as_u64().unwrap() > 20);
}
