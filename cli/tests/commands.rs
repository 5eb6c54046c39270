//! The commands the journey does not take, through the real `madini` and
//! `madini-node` binaries: refusing an offer, transport and storage,
//! corrections, anonymous incident reports and case status, key rotation,
//! licences, actor and site updates, site status; and where the settings
//! come from (`MADINI_KEY`, the config file alone) and French errors. Each
//! checks the exit code, the `--json` answer and the state read back from
//! the node.

mod common;

use common::*;
use serde_json::{Value, json};

/// Runs a prepared `madini` command.
fn run_cmd(mut c: assert_cmd::Command, args: &[&str]) -> Run {
    let o = c.args(args).output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Checks the `--json` answer of a signing command the node accepted, and
/// returns the event hash.
fn recorded(v: &Value, kind: &str, lots: &[&str]) -> String {
    assert_eq!(v["status"], "accepted", "{v}");
    assert_eq!(v["type"], kind, "{v}");
    assert_eq!(v["lots"], json!(lots), "{v}");
    assert!(v["index"].as_u64().is_some(), "{v}");
    assert_eq!(v["leaf_hash"].as_str().unwrap().len(), 44, "{v}");
    assert_eq!(v["outbox_waiting"], 0, "{v}");
    let h = v["event_hash"].as_str().unwrap();
    assert_eq!(h.len(), 64, "{v}");
    assert!(h.bytes().all(|b| b.is_ascii_hexdigit()), "{v}");
    h.to_string()
}

/// Checks a refusal by the node (exit 2, rule in stderr and in the JSON).
fn refused(r: Run, rule: &str) -> Value {
    let r = r.expect(2);
    assert!(r.stderr.contains(rule), "stderr lacks {rule}: {}", r.stderr);
    let j = r.json();
    assert_eq!(j["error"]["rule"], rule, "{j}");
    assert_eq!(j["error"]["exit"], 2, "{j}");
    j
}

/// Checks bad input caught before signing: exit 2, no rule, `needle` in the message.
fn bad_input(r: Run, needle: &str) {
    let r = r.expect(2);
    assert!(
        r.stderr.contains(needle),
        "stderr lacks {needle}: {}",
        r.stderr
    );
    let j = r.json();
    assert_eq!(j["error"]["rule"], Value::Null, "{j}");
    assert!(
        j["error"]["message"].as_str().unwrap().contains(needle),
        "{j}"
    );
}

fn outbox_clean(d: &Device, refused: usize) {
    let o = d.ok_json(&["outbox"]);
    assert_eq!(o["waiting"], json!([]), "{o}");
    assert_eq!(o["refused"].as_array().unwrap().len(), refused, "{o}");
}

/// `madini --json ARGS` on a device, with its exit code and output.
fn j(d: &Device, args: &[&str]) -> Run {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    d.run(&a)
}

fn register_lot(c: &Device, lot: &str, tag: &str) -> String {
    let r = c.ok_json(&lot_register_args(lot, tag, "40kg", "61%"));
    recorded(&r, "lot.register", &[lot])
}

/// The lot's provenance from the node: entry views.
fn history(d: &Device, lot: &str) -> Vec<Value> {
    let h = d.ok_json(&["lot", "history", lot]);
    assert_eq!(h["lot"], lot);
    h["entries"].as_array().unwrap().clone()
}

/// (type, signing actor) of each entry.
fn steps(h: &[Value]) -> Vec<(String, String)> {
    h.iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["signer"]["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

fn key_id(d: &Device) -> String {
    d.ok_json(&["key", "show"])["key_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A GET on the node's API, as JSON.
fn get(url: &str) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().unwrap();
    assert_eq!(r.status().as_u16(), 200, "{url}");
    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn a_refused_offer_leaves_the_lot_with_the_giver() {
    let l = Ledger::new("cmd-refuse");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    let t2 = l.actor("NEG-2", "Négociant Sud", "trader");
    let c = &l.coop;
    let reg = register_lot(c, "L-1", "T-000001");
    let offer = recorded(
        &c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]),
        "lot.offer",
        &["L-1"],
    );

    // Only the addressee may refuse.
    refused(
        j(&t2, &["lot", "refuse", "L-1", "--reason", "not mine"]),
        "offer-not-for-you",
    );
    let r = t1.ok_json(&["lot", "refuse", "L-1", "--reason", "grade below contract"]);
    let refusal = recorded(&r, "lot.refuse", &["L-1"]);

    // Custody stays with the giver, with no offer pending.
    let s = c.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["custodian"], "COOP");
    assert_eq!(s["pending_offer_to"], Value::Null);
    assert_eq!(s["status"], "open");
    assert_eq!(s["mass_g"], 40_000);
    assert_eq!(s["head"], refusal.as_str());
    let last = s["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "lot.refuse");
    assert_eq!(last["signer"]["actor"], "NEG-1");
    assert_eq!(last["event"]["reason"], "grade below contract");
    assert_eq!(last["event"]["prev"], offer.as_str());
    assert_eq!(last["event_hash"], refusal.as_str());

    // Nothing is pending any more: neither a second refusal nor an acceptance.
    refused(
        j(&t1, &["lot", "refuse", "L-1", "--reason", "again"]),
        "no-pending-offer",
    );
    refused(
        j(
            &t1,
            &["lot", "accept", "L-1", "--mass", "40kg", "--grade", "61%"],
        ),
        "no-pending-offer",
    );
    // --reason is required.
    t1.run(&["lot", "refuse", "L-1"]).expect(2);

    // The giver offers it to someone else, who accepts.
    recorded(
        &c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-2"]),
        "lot.offer",
        &["L-1"],
    );
    recorded(
        &t2.ok_json(&["lot", "accept", "L-1"]),
        "lot.accept",
        &["L-1"],
    );
    let s = c.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["custodian"], "NEG-2");
    assert_eq!(s["pending_offer_to"], Value::Null);

    let h = history(c, "L-1");
    assert_eq!(h[0]["event_hash"], reg.as_str());
    assert_eq!(
        pairs(&steps(&h)),
        [
            ("lot.register", "COOP"),
            ("lot.offer", "COOP"),
            ("lot.refuse", "NEG-1"),
            ("lot.offer", "COOP"),
            ("lot.accept", "NEG-2"),
        ]
    );
    let table = c.run(&["lot", "history", "L-1"]).expect(0).stdout;
    assert!(table.contains("grade below contract"), "{table}");
    outbox_clean(&t1, 2);
    outbox_clean(&t2, 1);
}

#[test]
fn transport_and_storage_are_signed_by_the_custodian() {
    let l = Ledger::new("cmd-transport");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    l.actor("WH-1", "Entrepôt de Gisenyi", "warehouse");
    let c = &l.coop;
    register_lot(c, "L-1", "T-000001");
    c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    t1.ok_json(&["lot", "accept", "L-1"]);

    // Bad places and times are caught before signing.
    let trip = |from: &str, departed: &str, arrived: &str| {
        j(
            &t1,
            &[
                "lot",
                "transport",
                "L-1",
                "--from",
                from,
                "--to",
                "Kigali",
                "--departed",
                departed,
                "--arrived",
                arrived,
                "--carrier",
                "Kivu Transport",
                "--method",
                "truck",
            ],
        )
    };
    bad_input(
        trip("Pit@95,10", "2026-01-11T08:00:00Z", "2026-01-11T12:30:00Z"),
        "--from",
    );
    bad_input(
        trip("Rutongo", "tomorrow", "2026-01-11T12:30:00Z"),
        "--departed",
    );
    bad_input(
        trip("Rutongo", "2026-01-11T12:30:00Z", "2026-01-11T08:00:00Z"),
        "arrived",
    );
    outbox_clean(&t1, 0);

    let r = trip(
        "Rutongo@-1.9641,30.0619",
        "2026-01-11T08:00:00Z",
        "2026-01-11T12:30:00Z",
    )
    .expect(0)
    .json();
    let moved = recorded(&r, "lot.transport", &["L-1"]);

    // Only the custodian records a transport or a storage.
    refused(
        j(
            c,
            &[
                "lot",
                "transport",
                "L-1",
                "--from",
                "A",
                "--to",
                "B",
                "--departed",
                "2026-01-12",
                "--arrived",
                "2026-01-12",
            ],
        ),
        "not-custodian",
    );
    refused(
        j(c, &["lot", "store", "L-1", "--place", "Rutongo shed"]),
        "not-custodian",
    );
    // The warehouse must be a registered actor.
    refused(
        j(
            &t1,
            &[
                "lot",
                "store",
                "L-1",
                "--place",
                "Depot",
                "--warehouse",
                "NOPE",
            ],
        ),
        "actor-unknown",
    );

    let r = t1.ok_json(&[
        "lot",
        "store",
        "L-1",
        "--place",
        "Entrepôt Gisenyi@-1.7,29.25",
        "--warehouse",
        "WH-1",
    ]);
    let stored = recorded(&r, "lot.store", &["L-1"]);
    let r = t1.ok_json(&["lot", "store", "L-1", "--place", "Kigali depot"]);
    let stored2 = recorded(&r, "lot.store", &["L-1"]);

    let h = history(&t1, "L-1");
    assert_eq!(
        pairs(&steps(&h)),
        [
            ("lot.register", "COOP"),
            ("lot.offer", "COOP"),
            ("lot.accept", "NEG-1"),
            ("lot.transport", "NEG-1"),
            ("lot.store", "NEG-1"),
            ("lot.store", "NEG-1"),
        ]
    );
    let tr = &h[3];
    assert_eq!(tr["event_hash"], moved.as_str());
    assert_eq!(tr["signer"]["kind"], "actor");
    assert_eq!(tr["signer"]["key"], key_id(&t1).as_str());
    let ev = &tr["event"];
    assert_eq!(
        ev["from"],
        json!({"name": "Rutongo", "lat_e6": -1_964_100, "lon_e6": 30_061_900})
    );
    assert_eq!(ev["to"], json!({"name": "Kigali"}));
    assert_eq!(ev["departed"], 1_768_118_400_000_u64);
    assert_eq!(ev["arrived"], 1_768_134_600_000_u64);
    assert_eq!(ev["carrier"], "Kivu Transport");
    assert_eq!(ev["method"], "truck");
    assert_eq!(h[4]["event_hash"], stored.as_str());
    assert_eq!(
        h[4]["event"]["place"],
        json!({"name": "Entrepôt Gisenyi", "lat_e6": -1_700_000, "lon_e6": 29_250_000})
    );
    assert_eq!(h[4]["event"]["warehouse"], "WH-1");
    assert_eq!(h[4]["event"]["prev"], moved.as_str());
    assert_eq!(h[5]["event"]["place"], json!({"name": "Kigali depot"}));
    assert!(h[5]["event"].get("warehouse").is_none(), "{}", h[5]);

    // Custody, figures and status are unchanged; the head moved.
    let s = t1.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["custodian"], "NEG-1");
    assert_eq!(s["status"], "open");
    assert_eq!(s["mass_g"], 40_000);
    assert_eq!(s["head"], stored2.as_str());
    let table = t1.run(&["lot", "history", "L-1"]).expect(0).stdout;
    assert!(table.contains("Rutongo → Kigali"), "{table}");
    assert!(table.contains("Entrepôt Gisenyi"), "{table}");
    outbox_clean(&t1, 1);
}

#[test]
fn a_correction_names_an_earlier_event() {
    let l = Ledger::new("cmd-correct");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    let c = &l.coop;
    let reg = register_lot(c, "L-1", "T-000001");
    c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    let acc = recorded(
        &t1.ok_json(&["lot", "accept", "L-1"]),
        "lot.accept",
        &["L-1"],
    );

    // The receiver corrects the mass it stated on acceptance: the lot's mass follows.
    let r = t1.ok_json(&[
        "lot",
        "correct",
        "L-1",
        "--event",
        &acc,
        "--mass",
        "39.5kg",
        "--reason",
        "scale recalibrated",
    ]);
    let c1 = recorded(&r, "lot.correct", &["L-1"]);
    let s = t1.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["mass_g"], 39_500);
    assert_eq!(s["grade_bp"], 6_100);
    assert_eq!(s["head"], c1.as_str());

    // The cooperative corrects its registration (no longer the lot's current
    // figures, so they stay), though it no longer holds the lot.
    let r = c.ok_json(&[
        "lot",
        "correct",
        "L-1",
        "--event",
        &reg,
        "--grade",
        "60.5%",
        "--reason",
        "assay redone",
    ]);
    let c2 = recorded(&r, "lot.correct", &["L-1"]);
    let s = t1.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(
        (s["mass_g"].clone(), s["grade_bp"].clone()),
        (json!(39_500), json!(6_100))
    );

    // Someone else's figures: only their signer or an authority.
    let e = refused(
        j(
            &t1,
            &[
                "lot", "correct", "L-1", "--event", &reg, "--mass", "1kg", "--reason", "x",
            ],
        ),
        "role-not-allowed",
    );
    assert!(
        e["error"]["message"].as_str().unwrap().contains("COOP"),
        "{e}"
    );
    let r = l.auth.ok_json(&[
        "lot",
        "correct",
        "L-1",
        "--event",
        &acc,
        "--grade",
        "62%",
        "--reason",
        "independent assay",
    ]);
    let c3 = recorded(&r, "lot.correct", &["L-1"]);
    let s = t1.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["grade_bp"], 6_200);
    assert_eq!(s["mass_g"], 39_500);
    assert_eq!(s["custodian"], "NEG-1");

    // An event that stated no figures of the lot cannot be corrected.
    refused(
        j(
            &t1,
            &[
                "lot", "correct", "L-1", "--event", &c1, "--mass", "1kg", "--reason", "x",
            ],
        ),
        "not-correctable",
    );
    // Bad input is caught before signing.
    bad_input(
        j(
            &t1,
            &["lot", "correct", "L-1", "--event", &acc, "--reason", "x"],
        ),
        "a correction needs --mass, --grade or both",
    );
    bad_input(
        j(
            &t1,
            &[
                "lot", "correct", "L-1", "--event", "abc", "--mass", "1kg", "--reason", "x",
            ],
        ),
        "--event",
    );
    // The same error in French.
    let fr = t1
        .run(&[
            "--lang", "fr", "lot", "correct", "L-1", "--event", &acc, "--reason", "x",
        ])
        .expect(2);
    assert!(
        fr.stderr
            .contains("erreur: une correction demande --mass, --grade ou les deux"),
        "{}",
        fr.stderr
    );
    assert!(!fr.stderr.contains("needs"), "{}", fr.stderr);

    let h = history(&t1, "L-1");
    let corrections: Vec<&Value> = h.iter().filter(|e| e["type"] == "lot.correct").collect();
    let got: Vec<(&str, &str, &str, &str)> = corrections
        .iter()
        .map(|e| {
            (
                e["event_hash"].as_str().unwrap(),
                e["signer"]["actor"].as_str().unwrap(),
                e["event"]["corrects"].as_str().unwrap(),
                e["event"]["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (c1.as_str(), "NEG-1", acc.as_str(), "scale recalibrated"),
            (c2.as_str(), "COOP", reg.as_str(), "assay redone"),
            (c3.as_str(), "AUTH", acc.as_str(), "independent assay"),
        ]
    );
    assert_eq!(corrections[0]["event"]["mass_g"], 39_500);
    assert!(corrections[0]["event"].get("grade_bp").is_none());
    assert_eq!(corrections[1]["event"]["grade_bp"], 6_050);
    let table = t1.run(&["lot", "history", "L-1"]).expect(0).stdout;
    assert!(table.contains("scale recalibrated"), "{table}");
}

#[test]
fn an_anonymous_report_gets_a_receipt_and_the_registry_follows_the_case() {
    let l = Ledger::new("cmd-incident");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    register_lot(&l.coop, "L-1", "T-000001");
    let me = t1.ok_json(&["key", "show"]);
    let (my_kid, my_pk) = (
        me["key_id"].as_str().unwrap().to_string(),
        me["public_key"].as_str().unwrap().to_string(),
    );

    // The human receipt: the case id and the checked inclusion proof.
    let out = t1
        .run(&[
            "incident",
            "report",
            "--anonymous",
            "--lot",
            "L-1",
            "--site",
            SITE,
            "--category",
            "child-labour",
            "--summary",
            "children carrying bags at the pit",
        ])
        .expect(0)
        .stdout;
    let case1 = out
        .lines()
        .find_map(|l| l.strip_prefix("case id (keep it as your receipt): "))
        .unwrap_or_else(|| panic!("no case id: {out}"))
        .trim()
        .to_string();
    assert_eq!(case1.len(), 64, "{out}");
    let proof = out
        .lines()
        .find_map(|l| l.strip_prefix("inclusion proof checked: entry "))
        .unwrap_or_else(|| panic!("no proof line: {out}"));
    let (i, n) = proof
        .split_once(" is in the signed log of ")
        .unwrap_or_else(|| panic!("{proof}"));
    let (i, n): (u64, u64) = (
        i.parse().unwrap(),
        n.trim_end_matches(" entries").parse().unwrap(),
    );
    assert!(i < n, "{out}");
    assert!(out.contains("incident.report"), "{out}");

    // The JSON receipt.
    let r = t1.ok_json(&[
        "incident",
        "report",
        "--anonymous",
        "--about-actor",
        "COOP",
        "--lot",
        "L-1",
        "--category",
        "illegal-taxation",
        "--summary",
        "a second fee at the road block",
    ]);
    // `lots` names the lots reported on.
    let case2 = recorded(&r, "incident.report", &["L-1"]);
    assert_eq!(r["case"], case2.as_str());
    let rc = &r["receipt"];
    assert_eq!(rc["case"], case2.as_str());
    assert_eq!(rc["index"], r["index"]);
    assert!(rc["tree_size"].as_u64().unwrap() > r["index"].as_u64().unwrap());
    assert_eq!(rc["leaf_hash"], r["leaf_hash"]);
    assert!(rc["inclusion_proof"].is_array(), "{rc}");
    assert!(
        rc["checkpoint"]
            .as_str()
            .unwrap()
            .starts_with("test.madini.example/log\n"),
        "{rc}"
    );

    // On the node: an open case, signed by a throw-away key, not the reporter's.
    let v = l.auth.ok_json(&["incident", "show", &case1]);
    assert_eq!(v["case"]["id"], case1.as_str());
    assert_eq!(v["case"]["status"], "open");
    assert_eq!(
        v["case"]["subjects"],
        json!({"lots": ["L-1"], "sites": [SITE]})
    );
    let rep = &v["history"][0];
    assert_eq!(rep["type"], "incident.report");
    assert_eq!(rep["index"], i);
    assert_eq!(rep["signer"]["kind"], "anonymous");
    assert!(rep["signer"].get("actor").is_none(), "{rep}");
    assert_ne!(rep["signer"]["key"], my_kid.as_str());
    assert_eq!(rep["event"]["key"], rep["signer"]["key"]);
    let anon1 = rep["event"]["anonymous_key"].as_str().unwrap().to_string();
    assert_ne!(anon1, my_pk);
    assert_eq!(rep["event"]["category"], "child-labour");
    let text = rep["event"].to_string();
    for who in [my_kid.as_str(), my_pk.as_str(), "NEG-1"] {
        assert!(!text.contains(who), "{who} in {text}");
    }
    let v2 = l.auth.ok_json(&["incident", "show", &case2]);
    let anon2 = v2["history"][0]["event"]["anonymous_key"].as_str().unwrap();
    assert_ne!(anon1, anon2, "each report has a fresh key");
    assert_eq!(
        v2["case"]["subjects"],
        json!({"actors": ["COOP"], "lots": ["L-1"]})
    );

    // A device never registered may report anonymously, but not in its own name.
    let villager = Device::new(&l.root, "VILLAGER", &l.node.url);
    let r = villager.ok_json(&[
        "incident",
        "report",
        "--anonymous",
        "--site",
        SITE,
        "--category",
        "safety",
        "--summary",
        "no shoring in shaft 2",
    ]);
    recorded(&r, "incident.report", &[]);
    refused(
        j(
            &villager,
            &[
                "incident",
                "report",
                "--site",
                SITE,
                "--category",
                "safety",
                "--summary",
                "x",
            ],
        ),
        "unknown-key",
    );
    bad_input(
        j(
            &t1,
            &[
                "incident",
                "report",
                "--anonymous",
                "--category",
                "other",
                "--summary",
                "x",
            ],
        ),
        "name at least one subject",
    );

    // The inspector and the authority move the case on; a trader may not.
    let r = l.inspector.ok_json(&[
        "incident",
        "status",
        &case1,
        "--status",
        "investigating",
        "--note",
        "team sent",
    ]);
    recorded(&r, "incident.status", &[]);
    assert_eq!(
        l.auth.ok_json(&["incident", "show", &case1])["case"]["status"],
        "investigating"
    );
    let r = l.auth.ok_json(&[
        "incident",
        "status",
        &case1,
        "--status",
        "resolved",
        "--note",
        "children sent to school",
    ]);
    recorded(&r, "incident.status", &[]);
    refused(
        j(
            &t1,
            &[
                "incident",
                "status",
                &case1,
                "--status",
                "dismissed",
                "--note",
                "x",
            ],
        ),
        "role-not-allowed",
    );
    refused(
        j(
            &l.auth,
            &[
                "incident",
                "status",
                &"0".repeat(64),
                "--status",
                "resolved",
                "--note",
                "x",
            ],
        ),
        "case-unknown",
    );
    bad_input(
        j(
            &l.auth,
            &[
                "incident", "status", &case1, "--status", "bogus", "--note", "x",
            ],
        ),
        "status",
    );
    bad_input(
        j(
            &l.auth,
            &[
                "incident", "status", "xyz", "--status", "resolved", "--note", "x",
            ],
        ),
        "not an event hash",
    );

    let v = t1.ok_json(&["incident", "show", &case1]);
    assert_eq!(v["case"]["status"], "resolved");
    let hist: Vec<(&str, &str, &str, &str)> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["signer"]["kind"].as_str().unwrap(),
                e["signer"]["actor"].as_str().unwrap_or(""),
                e["event"]["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        hist,
        [
            ("incident.report", "anonymous", "", ""),
            ("incident.status", "actor", "INSP", "investigating"),
            ("incident.status", "actor", "AUTH", "resolved"),
        ]
    );
    assert_eq!(v["history"][1]["event"]["case"], case1.as_str());
    let table = t1.run(&["incident", "show", &case1]).expect(0).stdout;
    assert!(table.contains("(anonymous)"), "{table}");
    assert!(
        table.contains("resolved: children sent to school"),
        "{table}"
    );
}

#[test]
fn a_rotated_key_signs_and_the_old_one_is_refused() {
    let l = Ledger::new("cmd-rotate");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    let c = &l.coop;
    register_lot(c, "L-1", "T-000001");
    c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    let old = key_id(&t1);

    let new_file = l.root.join("neg1-new.pem");
    let new_path = new_file.to_str().unwrap();
    let made = t1.ok_json(&["key", "new", "--out", new_path]);
    let new = made["key_id"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    // A rotation needs the new key.
    bad_input(j(&t1, &["key", "rotate"]), "--new");
    let r = t1.ok_json(&["key", "rotate", "--new-key-file", new_path]);
    recorded(&r, "key.rotate", &[]);
    let at = r["index"].as_u64().unwrap();

    // The node knows both keys of the actor: the old one retired, the new one active.
    let a = t1.ok_json(&["actor", "show", "NEG-1"]);
    assert_eq!(a["keys"], json!([old, new]));
    let keys = get(&format!("{}/v1/keys", l.node.url));
    let status = |k: &str| {
        keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key_id"] == k)
            .unwrap_or_else(|| panic!("{k} not in {keys}"))
            .clone()
    };
    assert_eq!(status(&old)["status"], json!({"retired": {"at": at}}));
    assert_eq!(status(&new)["status"], "active");
    assert_eq!(status(&new)["actor"], "NEG-1");
    assert_eq!(status(&new)["public_key"], made["public_key"]);

    // The old key is refused with the node's rule.
    let e = refused(j(&t1, &["lot", "accept", "L-1"]), "key-retired");
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains(&old), "{msg}");
    assert!(msg.contains(&format!("entry {at}")), "{msg}");
    outbox_clean(&t1, 1);

    // MADINI_KEY selects the new key file, as --key does.
    let mut with_env = t1.cmd();
    with_env.env("MADINI_KEY", &new_file);
    let shown = run_cmd(with_env, &["--json", "key", "show"])
        .expect(0)
        .json();
    assert_eq!(shown["key_id"], new.as_str());
    assert_eq!(shown["file"], new_path);
    let mut with_env = t1.cmd();
    with_env.env("MADINI_KEY", &new_file);
    let r = run_cmd(with_env, &["--json", "lot", "accept", "L-1"])
        .expect(0)
        .json();
    let accepted = recorded(&r, "lot.accept", &["L-1"]);
    let r = t1.ok_json(&[
        "--key", new_path, "lot", "store", "L-1", "--place", "Musanze",
    ]);
    let stored = recorded(&r, "lot.store", &["L-1"]);
    // The flag wins over the environment.
    let mut both = t1.cmd();
    both.env("MADINI_KEY", t1.home.join("key.pem"));
    let shown = run_cmd(both, &["--json", "--key", new_path, "key", "show"])
        .expect(0)
        .json();
    assert_eq!(shown["key_id"], new.as_str());

    let h = history(&t1, "L-1");
    let signed: Vec<(&str, &str, &str)> = h
        .iter()
        .filter(|e| e["event_hash"] == accepted.as_str() || e["event_hash"] == stored.as_str())
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["signer"]["actor"].as_str().unwrap(),
                e["signer"]["key"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        signed,
        [
            ("lot.accept", "NEG-1", new.as_str()),
            ("lot.store", "NEG-1", new.as_str()),
        ]
    );
    assert_eq!(c.ok_json(&["lot", "show", "L-1"])["custodian"], "NEG-1");

    // An authority rotates another actor's key (a lost phone): --owner, --old, --new.
    let coop_old = key_id(c);
    let coop_file = l.root.join("coop-new.pem");
    let coop_new = c.ok_json(&["key", "new", "--out", coop_file.to_str().unwrap()]);
    // Nobody else may.
    refused(
        j(
            &t1,
            &[
                "--key",
                new_path,
                "key",
                "rotate",
                "--owner",
                "COOP",
                "--old",
                &coop_old,
                "--new",
                coop_new["public_key"].as_str().unwrap(),
            ],
        ),
        "role-not-allowed",
    );
    let r = l.auth.ok_json(&[
        "key",
        "rotate",
        "--owner",
        "COOP",
        "--old",
        &coop_old,
        "--new",
        coop_new["public_key"].as_str().unwrap(),
    ]);
    recorded(&r, "key.rotate", &[]);
    let l2 = lot_register_args("L-2", "T-000002", "10kg", "60%");
    refused(j(c, &l2), "key-retired");
    let r = c.ok_json(&[&["--key", coop_file.to_str().unwrap()][..], &l2].concat());
    recorded(&r, "lot.register", &["L-2"]);
    let h = history(c, "L-2");
    assert_eq!(h[0]["signer"]["key"], coop_new["key_id"]);
    assert_eq!(
        c.ok_json(&["actor", "show", "COOP"])["keys"],
        json!([coop_old, coop_new["key_id"]])
    );
}

#[test]
fn the_config_file_alone_gives_the_node_the_key_and_the_actor() {
    let l = Ledger::new("cmd-profile");
    register_lot(&l.coop, "L-1", "T-000001");
    // A device whose default key (home/key.pem) is not registered: only the
    // key named in the config file is.
    let field = Device::new(&l.root, "NEG-9", &l.node.url);
    let keyfile = l.root.join("keys").join("neg9.pem");
    std::fs::create_dir_all(keyfile.parent().unwrap()).unwrap();
    let keypath = keyfile.to_str().unwrap();
    let decoy = field.ok_json(&["key", "show"]);
    let k = field.ok_json(&["key", "new", "--out", keypath]);
    l.auth
        .run(&[
            "actor",
            "register",
            "--id",
            "NEG-9",
            "--name",
            "Négociant de terrain",
            "--country",
            "RW",
            "--role",
            "trader",
            "--public-key",
            k["public_key"].as_str().unwrap(),
        ])
        .expect(0);
    l.coop.ok_json(&["lot", "offer", "L-1", "--to", "NEG-9"]);
    std::fs::write(
        field.home.join("config.toml"),
        format!(
            "node = \"{}\"\nkey = \"{keypath}\"\nactor = \"NEG-9\"\n\n[profiles.elsewhere]\nnode = \"http://127.0.0.1:9\"\n",
            l.node.url
        ),
    )
    .unwrap();
    // No --node, --key or --actor, and no MADINI_NODE, MADINI_KEY or MADINI_ACTOR.
    let bare = || {
        let mut c = field.cmd();
        c.env_remove("MADINI_NODE").env_remove("MADINI_ACTOR");
        c
    };

    let p = run_cmd(bare(), &["--json", "profile", "show"])
        .expect(0)
        .json();
    assert_eq!(p["profile"], "default");
    assert_eq!(p["node"], l.node.url.as_str());
    assert_eq!(p["key"], keypath);
    assert_eq!(p["actor"], "NEG-9");
    let s = run_cmd(bare(), &["--json", "key", "show"]).expect(0).json();
    assert_eq!(s["key_id"], k["key_id"]);
    assert_ne!(s["key_id"], decoy["key_id"]);
    let st = run_cmd(bare(), &["--json", "log", "status"])
        .expect(0)
        .json();
    assert_eq!(st["node"], l.node.url.as_str());

    let r = run_cmd(bare(), &["--json", "lot", "accept", "L-1"])
        .expect(0)
        .json();
    let acc = recorded(&r, "lot.accept", &["L-1"]);
    let h = history(&l.coop, "L-1");
    let last = h.last().unwrap();
    assert_eq!(last["event_hash"], acc.as_str());
    assert_eq!(last["signer"]["actor"], "NEG-9");
    assert_eq!(last["signer"]["key"], k["key_id"]);
    assert_eq!(
        l.coop.ok_json(&["lot", "show", "L-1"])["custodian"],
        "NEG-9"
    );
    // The actor from the profile is used as the default owner of a rotation.
    let r = run_cmd(
        bare(),
        &[
            "--json",
            "key",
            "rotate",
            "--new",
            decoy["public_key"].as_str().unwrap(),
        ],
    )
    .expect(0)
    .json();
    recorded(&r, "key.rotate", &[]);
    assert_eq!(
        l.auth.ok_json(&["actor", "show", "NEG-9"])["keys"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A named profile, by flag or environment, takes its own node.
    for (flag, env) in [(true, false), (false, true)] {
        let mut c = bare();
        let mut args = vec!["log", "status"];
        if flag {
            args.splice(0..0, ["--profile", "elsewhere"]);
        }
        if env {
            c.env("MADINI_PROFILE", "elsewhere");
        }
        let r = run_cmd(c, &args).expect(3);
        assert!(r.stderr.contains("http://127.0.0.1:9"), "{}", r.stderr);
    }
    let r = run_cmd(bare(), &["--profile", "nope", "log", "status"]).expect(2);
    assert!(r.stderr.contains("no profile named"), "{}", r.stderr);
}

#[test]
fn licences_and_registry_updates() {
    let l = Ledger::new("cmd-registry");
    let a = &l.auth;
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");

    // Licence grant, read back from the node's actors report.
    let grant = |who: &Device, id: &str, kind: &str, holder: &str| {
        j(
            who,
            &[
                "licence",
                "grant",
                "--id",
                id,
                "--type",
                kind,
                "--holder",
                holder,
                "--site",
                SITE,
                "--mineral",
                "cassiterite",
                "--granted",
                "2026-01-01",
                "--expires",
                "2028-12-31",
            ],
        )
    };
    let r = grant(a, "LIC-1", "artisanal_permit", "COOP")
        .expect(0)
        .json();
    recorded(&r, "licence.grant", &[]);
    refused(
        grant(a, "LIC-1", "artisanal_permit", "COOP"),
        "licence-exists",
    );
    refused(grant(a, "LIC-2", "claim", "NOPE"), "actor-unknown");
    refused(grant(&l.coop, "LIC-3", "claim", "COOP"), "role-not-allowed");
    bad_input(grant(a, "LIC-4", "bogus", "COOP"), "--type");
    let rep = a.ok_json(&["report", "actors"]);
    let coop = rep["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "COOP")
        .unwrap();
    assert_eq!(
        coop["licences"],
        json!([{
            "id": "LIC-1",
            "kind": "artisanal_permit",
            "site": SITE,
            "minerals": ["2609.00.00"],
            "granted": "2026-01-01",
            "expires": "2028-12-31",
        }])
    );

    // Actor update: omitted fields keep their value.
    let before = a.ok_json(&["actor", "show", "NEG-1"]);
    let r = a.ok_json(&[
        "actor",
        "update",
        "--id",
        "NEG-1",
        "--phone",
        "+250788000000",
        "--email",
        "neg1@example.org",
        "--locality",
        "Musanze",
    ]);
    recorded(&r, "actor.update", &[]);
    let r = a.ok_json(&[
        "actor",
        "update",
        "--id",
        "NEG-1",
        "--role",
        "trader,exporter",
        "--tin",
        "100200300",
    ]);
    recorded(&r, "actor.update", &[]);
    let after = t1.ok_json(&["actor", "show", "NEG-1"]);
    assert_eq!(
        after["profile"],
        json!({
            "id": "NEG-1",
            "name": "Négociant Kivu",
            "country": "RW",
            "roles": ["trader", "exporter"],
            "tin": "100200300",
            "address": {"locality": "Musanze"},
            "contact": {"phone": "+250788000000", "email": "neg1@example.org"},
        })
    );
    assert_eq!(after["keys"], before["keys"]);
    assert_eq!(after["registered"], before["registered"]);
    refused(
        j(
            &t1,
            &["actor", "update", "--id", "NEG-1", "--name", "Mine now"],
        ),
        "role-not-allowed",
    );
    // An unknown actor is caught when its current record is fetched to
    // merge the update with: exit 2, nothing signed.
    let r = j(
        a,
        &[
            "actor",
            "update",
            "--id",
            "NOPE",
            "--name",
            "X",
            "--country",
            "RW",
            "--role",
            "trader",
        ],
    )
    .expect(2);
    assert!(r.stderr.contains("no actor \"NOPE\""), "{}", r.stderr);
    bad_input(
        j(a, &["actor", "update", "--id", "NEG-1", "--role", "miner"]),
        "--role",
    );

    // Site update: the profile is replaced; status and inspections stay.
    let before = a.ok_json(&["site", "show", SITE]);
    assert_eq!(before["status"], 1);
    let update = |who: &Device, operator: &str| {
        j(
            who,
            &[
                "site",
                "update",
                "--id",
                SITE,
                "--name",
                "Rutongo Nord",
                "--lat",
                "-1.9641",
                "--lon",
                "30.0619",
                "--mineral",
                "cassiterite,coltan",
                "--capacity",
                "80t",
                "--capacity-days",
                "60",
                "--operator",
                operator,
                "--locality",
                "Rutongo",
                "--activity",
                "non-active",
            ],
        )
    };
    refused(update(a, "NEG-1"), "role-not-allowed");
    refused(update(&l.coop, "COOP"), "role-not-allowed");
    let r = update(a, "COOP").expect(0).json();
    recorded(&r, "site.update", &[]);
    let s = t1.ok_json(&["site", "show", SITE]);
    assert_eq!(
        s["record"],
        json!({
            "id": SITE,
            "name": "Rutongo Nord",
            "country": "RW",
            "location": {"lat_e6": -1_964_100, "lon_e6": 30_061_900, "locality": "Rutongo"},
            "minerals": ["2609.00.00", "2615.90.00"],
            "activity": 2,
            "capacity": {"mass_g": 80_000_000, "days": 60},
            "operators": ["COOP"],
        })
    );
    for k in [
        "status",
        "status_since",
        "last_inspection",
        "inspections",
        "registered",
    ] {
        assert_eq!(s[k], before[k], "{k}");
    }

    // Site status: inspector or authority, by name (English or French) or code.
    let set = |who: &Device, status: &str| {
        j(
            who,
            &[
                "site",
                "status",
                SITE,
                "--status",
                status,
                "--reason",
                "field report",
            ],
        )
    };
    recorded(
        &set(&l.inspector, "yellow").expect(0).json(),
        "site.status",
        &[],
    );
    let s = a.ok_json(&["site", "show", SITE]);
    assert_eq!(s["status"], 2);
    assert!(s["status_since"].as_u64() > s["last_inspection"].as_u64());
    assert_eq!(s["inspections"], json!(["INS-1"]));
    recorded(&set(a, "rouge").expect(0).json(), "site.status", &[]);
    assert_eq!(a.ok_json(&["site", "show", SITE])["status"], 3);
    let table = a.run(&["site", "show", SITE]).expect(0).stdout;
    assert!(table.contains("Red"), "{table}");
    assert!(table.contains("Rutongo Nord"), "{table}");
    recorded(&set(a, "0").expect(0).json(), "site.status", &[]);
    assert_eq!(a.ok_json(&["site", "show", SITE])["status"], 0);
    refused(set(&l.coop, "green"), "role-not-allowed");
    refused(
        j(
            a,
            &[
                "site",
                "status",
                "RW-1.0000+30.0000-99999",
                "--status",
                "green",
                "--reason",
                "x",
            ],
        ),
        "site-unknown",
    );
    bad_input(set(a, "purple"), "is not a site status");
    let fr = a
        .run(&[
            "--lang", "fr", "site", "status", SITE, "--status", "purple", "--reason", "x",
        ])
        .expect(2);
    assert!(
        fr.stderr
            .contains("erreur: --status: \"purple\" n'est pas un statut de site"),
        "{}",
        fr.stderr
    );
    outbox_clean(&l.inspector, 0);
}

/// `actor update` keeps every omitted field when the node is reachable,
/// even when --name, --country and --role are all given (they used to drop
/// the contact, address and tax id).
#[test]
fn an_actor_update_with_name_country_and_roles_keeps_the_contact() {
    let l = Ledger::new("cmd-actor-keep");
    let a = &l.auth;
    l.actor("NEG-1", "Négociant Kivu", "trader");
    a.ok_json(&[
        "actor",
        "update",
        "--id",
        "NEG-1",
        "--phone",
        "+250788000000",
        "--locality",
        "Musanze",
    ]);
    a.ok_json(&[
        "actor",
        "update",
        "--id",
        "NEG-1",
        "--name",
        "Négociant Kivu SARL",
        "--country",
        "RW",
        "--role",
        "trader",
    ]);
    let p = a.ok_json(&["actor", "show", "NEG-1"])["profile"].clone();
    assert_eq!(p["name"], "Négociant Kivu SARL");
    assert_eq!(p["contact"]["phone"], "+250788000000", "{p}");
    assert_eq!(p["address"]["locality"], "Musanze", "{p}");
}

/// The ICGLR schema needs every business entity's MD.09 contact details:
/// registering an actor without them warns before signing, `export icglr`
/// lists every actor at fault with the fields and the fix, and once the
/// details are recorded the actor is no longer listed.
#[test]
fn icglr_exports_name_actors_without_contact_details() {
    let l = Ledger::new("contacts");
    let out = l.root.join("md04");
    let out = out.to_str().unwrap();
    let export = |d: &Device| d.ok_json(&["export", "icglr", "--what", "entities", "--out", out]);
    let listed = |v: &Value, id: &str| -> Option<Vec<String>> {
        v["incomplete_contacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["actor"] == id)
            .map(|g| {
                g["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect()
            })
    };
    let v = export(&l.auth);
    assert_eq!(
        listed(&v, "COOP").as_deref(),
        Some(
            &[
                "legalRepresentative".to_string(),
                "contactPhoneNumber".into(),
                "contactEmail".into()
            ][..]
        ),
        "{v}"
    );
    // The human form says it on stderr, with the fix.
    let r = l
        .auth
        .run(&["export", "icglr", "--what", "entities", "--out", out])
        .expect(0);
    assert!(
        r.stderr.contains("actor COOP lacks ICGLR contact details")
            && r.stderr.contains("madini actor update --id COOP"),
        "{}",
        r.stderr
    );
    // An e-mail the schema's pattern refuses is named alone, and the update
    // warns before signing.
    let r = l
        .auth
        .run(&[
            "actor",
            "update",
            "--id",
            "COOP",
            "--representative",
            "Jeanne Uwase",
            "--phone",
            "+250788000001",
            "--email",
            "coop@rutongo.africa",
        ])
        .expect(0);
    assert!(r.stderr.contains("will not validate"), "{}", r.stderr);
    let v = export(&l.auth);
    assert_eq!(
        listed(&v, "COOP").as_deref(),
        Some(&["contactEmail".to_string()][..]),
        "{v}"
    );
    let r = l
        .auth
        .run(&[
            "actor",
            "update",
            "--id",
            "COOP",
            "--email",
            "coop@rutongo.rw",
        ])
        .expect(0);
    assert!(!r.stderr.contains("will not validate"), "{}", r.stderr);
    let v = export(&l.auth);
    assert_eq!(listed(&v, "COOP"), None, "{v}");
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(l.root.join("md04").join("COOP.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["contactDetails"]["contactEmail"], "coop@rutongo.rw");
}
