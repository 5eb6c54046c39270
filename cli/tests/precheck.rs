//! The checks the CLI runs before it signs a lot event (`spec/verifier.md`
//! section 7): what a finding the new event would create looks like in the
//! user's language and in `--json`, that it never stops a signature unless
//! `--strict` is given, and that it works from the cache when offline.

mod common;

use common::{Ledger, lot_register_args};
use serde_json::Value;

fn rules(v: &Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no warnings array: {v}"))
        .iter()
        .map(|w| {
            format!(
                "{}/{}",
                w["rule"].as_str().unwrap(),
                w["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn warnings_before_signing_speak_the_user_s_language_and_strict_stops() {
    let l = Ledger::new("precheck");
    let trader = l.actor("NEG-1", "Négociant Kivu", "trader");
    let r = l
        .coop
        .ok_json(&lot_register_args("L-1", "T-000001", "100kg", "65%"));
    assert_eq!(rules(&r), Vec::<String>::new(), "{r}");
    l.coop.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);

    // Accepting 105 kg of a lot offered as 100 kg: signed, with the
    // verifier's finding as a warning.
    let a = trader.ok_json(&["lot", "accept", "L-1", "--mass", "105kg"]);
    assert_eq!(a["status"], "accepted", "{a}");
    assert_eq!(rules(&a), ["transfer-mass/error"], "{a}");
    let w = &a["warnings"][0];
    assert_eq!(w["figures"]["handed_over_g"], 100_000, "{w}");
    assert_eq!(w["figures"]["received_g"], 105_000, "{w}");
    let text = w["message"].as_str().unwrap();
    assert!(
        text.contains("105.000 kg") && text.contains("100.000 kg"),
        "{text}"
    );

    // Offering more than the lot holds, with --strict: nothing is signed,
    // exit 1, the warning named in French on stderr.
    let before = trader.ok_json(&["lot", "show", "L-1"]);
    let s = trader
        .run(&[
            "--lang", "fr", "--strict", "lot", "offer", "L-1", "--to", "COOP", "--mass", "150kg",
        ])
        .expect(1);
    assert!(
        s.stderr.contains("avertissement avant de signer"),
        "{}",
        s.stderr
    );
    assert!(s.stderr.contains("rien n'a été signé"), "{}", s.stderr);
    assert!(s.stderr.contains("150.000 kg"), "{}", s.stderr);
    let j = trader
        .run(&[
            "--json", "--strict", "lot", "offer", "L-1", "--to", "COOP", "--mass", "150kg",
        ])
        .expect(1)
        .json();
    assert_eq!(rules(&j["error"]), ["stock-balance/error"], "{j}");
    assert_eq!(j["error"]["exit"], 1, "{j}");
    let after = trader.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(before["head"], after["head"], "--strict signed something");
    assert_eq!(
        trader.ok_json(&["outbox"])["waiting"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Just inside the stock tolerance (1 %): no warning, even with --strict.
    let ok = trader.ok_json(&[
        "--strict", "lot", "offer", "L-1", "--to", "COOP", "--mass", "106.05kg",
    ]);
    assert_eq!(rules(&ok), Vec::<String>::new(), "{ok}");
    assert_eq!(ok["status"], "accepted", "{ok}");
}

#[test]
fn offline_the_checks_use_what_the_device_last_saw() {
    let mut l = Ledger::new("precheck-offline");
    let trader = l.actor("NEG-1", "Négociant Kivu", "trader");
    l.coop
        .ok_json(&lot_register_args("L-1", "T-000001", "100kg", "65%"));
    l.coop.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    // The trader's device sees the lot once (its view is cached), then the
    // network goes.
    trader.ok_json(&["lot", "show", "L-1"]);
    trader.run(&["log", "status"]).expect(0);
    l.node.stop();
    let q = trader.ok_json(&[
        "--offline",
        "lot",
        "accept",
        "L-1",
        "--mass",
        "90kg",
        "--grade",
        "61%",
    ]);
    assert_eq!(q["status"], "queued", "{q}");
    let mut got = rules(&q);
    got.sort();
    assert_eq!(
        got,
        ["transfer-grade/error", "transfer-mass/warning"],
        "{q}"
    );
    // In English on stderr without --json.
    let fresh = lot_register_args("L-2", "T-000002", "25kg", "62%");
    let mut back = fresh.clone();
    back.extend(["--time", "2025-01-01T08:00:00Z", "--offline"]);
    let r = l.coop.run(&back).expect(0);
    assert!(r.stderr.contains("warning before signing"), "{}", r.stderr);
    assert!(r.stderr.contains("back-dated"), "{}", r.stderr);
}
