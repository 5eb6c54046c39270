//! The bytes a command signs are the canonical JSON (RFC 8785) of exactly
//! the fields it was given, as they were when the CLI built events as JSON
//! maps: each case writes the expected event by hand and compares its hash
//! with the one `madini --offline` signed.

mod common;

use common::*;
use ledger_core::hash::sha256;
use serde_json::{Value, json};

const TIME: &str = "2026-01-10T08:00:00Z";
const PREV: &str = "0b1e0c5f3a9a2d7e6f4c8b1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e";

/// Signs `args` offline on `d` at `TIME` and checks the event hash against
/// the canonical bytes of `body` with the common fields added.
fn check(d: &Device, kind: &str, args: &[&str], body: Value) {
    let mut a = vec!["--json", "--offline"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--time", TIME]);
    let got = d.run(&a).expect(0).json();
    let key = d.ok_json(&["key", "show"])["key_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut want = body;
    want["type"] = json!(kind);
    want["v"] = json!(1);
    want["log"] = json!("test.madini.example/log");
    want["key"] = json!(key);
    want["time"] = json!(ledger_core::time::parse(TIME).unwrap());
    let bytes = ledger_core::jcs::encode(&want).unwrap();
    assert_eq!(
        got["event_hash"].as_str(),
        Some(sha256(&bytes).to_hex().as_str()),
        "{kind}: signed bytes differ from {}",
        String::from_utf8_lossy(&bytes)
    );
}

#[test]
fn signed_bytes_are_the_canonical_json_of_the_fields_given() {
    let l = Ledger::new("bytes");
    for d in [&l.coop, &l.auth] {
        d.run(&["log", "status"]).expect(0);
    }
    check(
        &l.coop,
        "lot.register",
        &[
            "lot",
            "register",
            "--lot",
            "L-1",
            "--site",
            SITE,
            "--tag",
            "T-000001",
            "--mineral",
            "tin",
            "--mass",
            "48.5kg",
            "--grade",
            "62%",
            "--miner",
            "Équipe 4",
            "--gps",
            "-1.679,29.222",
            "--packages",
            "2",
        ],
        json!({"lot": "L-1", "site": SITE, "tag": "T-000001", "mineral": "2609.00.00",
               "mass_g": 48_500, "grade_bp": 6200, "miner": "Équipe 4",
               "gps": {"lat_e6": -1_679_000, "lon_e6": 29_222_000}, "packages": 2}),
    );
    check(
        &l.coop,
        "lot.offer",
        &[
            "lot",
            "offer",
            "L-1",
            "--to",
            "NEG-1",
            "--mass",
            "30t",
            "--grade",
            "6550bp",
            "--price",
            "1250,5",
            "--currency",
            "usd",
            "--prev",
            PREV,
        ],
        json!({"lot": "L-1", "prev": PREV, "to": "NEG-1", "mass_g": 30_000_000,
               "grade_bp": 6550, "price": {"amount": 125_050, "currency": "USD"}}),
    );
    check(
        &l.coop,
        "lot.transport",
        &[
            "lot",
            "transport",
            "L-1",
            "--from",
            "Rubaya@-1.55,28.9",
            "--to",
            "Goma",
            "--departed",
            "2026-01-09",
            "--arrived",
            "2026-01-09T12:00:00Z",
            "--method",
            "truck",
            "--prev",
            PREV,
        ],
        json!({"lot": "L-1", "prev": PREV,
               "from": {"name": "Rubaya", "lat_e6": -1_550_000, "lon_e6": 28_900_000},
               "to": {"name": "Goma"},
               "departed": ledger_core::time::parse("2026-01-09").unwrap(),
               "arrived": ledger_core::time::parse("2026-01-09T12:00:00Z").unwrap(),
               "method": "truck"}),
    );
    check(
        &l.coop,
        "lot.split",
        &[
            "lot",
            "split",
            "L-1",
            "--child",
            "L-1a:500g:61%",
            "--child",
            "L-1b:1.5:62",
            "--prev",
            PREV,
        ],
        json!({"lot": "L-1", "prev": PREV, "children": [
            {"lot": "L-1a", "mass_g": 500, "grade_bp": 6100},
            {"lot": "L-1b", "mass_g": 1500, "grade_bp": 6200}]}),
    );
    check(
        &l.auth,
        "actor.register",
        &[
            "actor",
            "register",
            "--id",
            "NEG-1",
            "--name",
            "Négociant Kivu",
            "--country",
            "cd",
            "--role",
            "trader,Exporter",
            "--public-key",
            &l.coop.public_key(),
            "--locality",
            "Goma",
            "--phone",
            "+243990000000",
        ],
        json!({"actor": {"id": "NEG-1", "name": "Négociant Kivu", "country": "CD",
               "roles": ["trader", "exporter"], "keys": [l.coop.public_key()],
               "address": {"locality": "Goma"}, "contact": {"phone": "+243990000000"}}}),
    );
    check(
        &l.auth,
        "site.register",
        &[
            "site",
            "register",
            "--id",
            "RW-1.9641+30.0619-00002",
            "--name",
            "Nyakabingo",
            "--lat",
            "-1.9641",
            "--lon",
            "30.0619",
            "--mineral",
            "wolframite",
            "--capacity",
            "3t",
            "--operator",
            "COOP",
            "--activity",
            "non-active",
        ],
        json!({"site": {"id": "RW-1.9641+30.0619-00002", "name": "Nyakabingo", "country": "RW",
               "location": {"lat_e6": -1_964_100, "lon_e6": 30_061_900},
               "minerals": ["2611.00.00"], "activity": 2,
               "capacity": {"mass_g": 3_000_000, "days": 30}, "operators": ["COOP"]}}),
    );
    check(
        &l.auth,
        "site.status",
        &[
            "site",
            "status",
            SITE,
            "--status",
            "jaune",
            "--reason",
            "grace period",
        ],
        json!({"site": SITE, "status": 2, "reason": "grace period"}),
    );
}
