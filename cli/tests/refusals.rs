//! Refusals reach the user intact: the node's rule and reason, exit 2, and
//! nothing left half-done in the outbox. Bad input is caught before
//! signing, with one sentence naming the option.

mod common;

use common::*;
use serde_json::Value;

fn outbox_clean(d: &Device, refused: usize) {
    let o = d.ok_json(&["outbox"]);
    assert_eq!(o["waiting"], Value::Array(vec![]), "{o}");
    assert_eq!(o["refused"].as_array().unwrap().len(), refused, "{o}");
}

fn refused(r: Run, rule: &str) -> Value {
    let r = r.expect(2);
    assert!(r.stderr.contains(rule), "stderr lacks {rule}: {}", r.stderr);
    assert!(
        r.stderr.contains("the node refused the event"),
        "{}",
        r.stderr
    );
    let j = r.json();
    assert_eq!(j["error"]["rule"], rule);
    assert_eq!(j["error"]["exit"], 2);
    j
}

#[test]
fn the_node_s_refusals_reach_the_user() {
    let l = Ledger::new("refusals");
    let t1 = l.actor("NEG-1", "Négociant Kivu", "trader");
    let t2 = l.actor("NEG-2", "Négociant Sud", "trader");
    l.coop.ok_json(&[
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
        "40kg",
        "--grade",
        "61%",
    ]);

    // Acting on a lot you do not hold.
    let j = refused(
        t2.run(&["--json", "lot", "offer", "L-1", "--to", "NEG-1"]),
        "not-custodian",
    );
    assert!(j["error"]["message"].as_str().unwrap().contains("L-1"));
    outbox_clean(&t2, 1);

    // Accepting a transfer addressed to someone else.
    l.coop.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    refused(
        t2.run(&["--json", "lot", "accept", "L-1"]),
        "offer-not-for-you",
    );
    outbox_clean(&t2, 2);

    // Using a revoked key.
    let kid = t1.ok_json(&["key", "show"])["key_id"]
        .as_str()
        .unwrap()
        .to_string();
    // A registry officer who forgets --owner is told to name it.
    let r = l
        .auth
        .run(&["key", "revoke", "--key-id", &kid, "--reason", "lost"])
        .expect(2);
    assert!(
        r.stderr
            .contains("to revoke another actor's key, name its owner with --owner"),
        "{}",
        r.stderr
    );
    l.auth.ok_json(&[
        "key",
        "revoke",
        "--owner",
        "NEG-1",
        "--key-id",
        &kid,
        "--reason",
        "phone stolen",
    ]);
    refused(t1.run(&["--json", "lot", "accept", "L-1"]), "key-revoked");
    outbox_clean(&t1, 1);
    // The device now knows: it signs nothing more with that key, online or
    // offline, and names the revocation's entry.
    for offline in [false, true] {
        let mut args = vec!["lot", "accept", "L-1"];
        if offline {
            args.insert(0, "--offline");
        }
        let r = t1.run(&args).expect(2);
        assert!(
            r.stderr
                .contains(&format!("this device's key {kid} signs nothing more"))
                && r.stderr.contains("was revoked at entry"),
            "{}",
            r.stderr
        );
    }
    outbox_clean(&t1, 1);

    // A tag already on another bag.
    refused(
        l.coop.run(&[
            "--json",
            "lot",
            "register",
            "--lot",
            "L-2",
            "--site",
            SITE,
            "--tag",
            "T-000001",
            "--mineral",
            "cassiterite",
            "--mass",
            "10kg",
            "--grade",
            "60%",
        ]),
        "tag-used",
    );
    outbox_clean(&l.coop, 1);

    // The lot is unchanged by all of it.
    let s = l.coop.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(s["custodian"], "COOP");
    assert_eq!(s["pending_offer_to"], "NEG-1");

    // French messages keep the node's rule and reason.
    let fr = t2.run(&["--lang", "fr", "lot", "accept", "L-1"]).expect(2);
    assert!(
        fr.stderr.contains("le nœud a refusé l'événement"),
        "{}",
        fr.stderr
    );
    assert!(fr.stderr.contains("offer-not-for-you"), "{}", fr.stderr);
    // So do Swahili ones, with the rule in words and the error and fix
    // labels of the one-sentence error in Swahili too.
    let sw = t2.run(&["--lang", "sw", "lot", "accept", "L-1"]).expect(2);
    for want in [
        "hitilafu: seva imekataa tukio (offer-not-for-you, ofa hii haikuelekezwa kwako)",
        "offer-not-for-you",
    ] {
        assert!(sw.stderr.contains(want), "{want}: {}", sw.stderr);
    }
    // And English names the rule in words as well.
    let en = t2.run(&["lot", "accept", "L-1"]).expect(2);
    assert!(
        en.stderr
            .contains("(offer-not-for-you, the offer is not addressed to you)"),
        "{}",
        en.stderr
    );
}

#[test]
fn bad_input_is_refused_before_signing() {
    let l = Ledger::new("badinput");
    let c = &l.coop;
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "cassiterite",
                "--mass",
                "abc",
                "--grade",
                "60%",
            ],
            "--mass",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "cassiterite",
                "--mass",
                "1.0005kg",
                "--grade",
                "60%",
            ],
            "more than 3 decimals",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "copper",
                "--mass",
                "1kg",
                "--grade",
                "60%",
            ],
            "--mineral",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "gold",
                "--mass",
                "1kg",
                "--grade",
                "101%",
            ],
            "above 100%",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L 1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "gold",
                "--mass",
                "1kg",
                "--grade",
                "60%",
            ],
            "lot",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "gold",
                "--mass",
                "1kg",
                "--grade",
                "60%",
                "--gps",
                "95,10",
            ],
            "--gps",
        ),
        (
            &[
                "lot",
                "register",
                "--lot",
                "L-1",
                "--site",
                SITE,
                "--tag",
                "T-000003",
                "--mineral",
                "gold",
                "--mass",
                "1kg",
                "--grade",
                "60%",
                "--time",
                "yesterday",
            ],
            "--time",
        ),
        (
            &[
                "lot",
                "tax",
                "L-9",
                "--type",
                "royalty",
                "--amount",
                "1.5",
                "--currency",
                "RWF",
                "--authority",
                "RRA",
                "--receipt",
                "1",
                "--prev",
                "00",
            ],
            "--prev",
        ),
        (&["lot", "offer", "NOPE", "--to", "X"], "not in the log"),
    ];
    for (args, needle) in cases {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let r = c.run(&a).expect(2);
        assert!(
            r.stderr.contains(needle),
            "{args:?}: stderr lacks {needle:?}: {}",
            r.stderr
        );
        assert_eq!(
            r.stderr
                .trim()
                .lines()
                .filter(|l| l.starts_with("error:"))
                .count(),
            1
        );
        assert_eq!(r.json()["error"]["exit"], 2);
    }
    let o = c.ok_json(&["outbox"]);
    assert_eq!(o["waiting"], Value::Array(vec![]));
    assert_eq!(o["refused"], Value::Array(vec![]));
    // Usage errors from argument parsing are exit 2 as well.
    c.run(&["lot", "register"]).expect(2);
    c.run(&["no-such-command"]).expect(2);
}

#[test]
fn an_unreachable_node_is_exit_3_and_signing_still_works() {
    let root = tempdir("unreachable");
    let d = Device::new(&root, "X", "http://127.0.0.1:9");
    let r = d.run(&["log", "status"]).expect(3);
    assert!(
        r.stderr
            .contains("cannot reach the node at http://127.0.0.1:9"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("fix:"), "{}", r.stderr);
    // A device that never met the log cannot know what to sign for.
    let r = d
        .run(&[
            "lot",
            "register",
            "--lot",
            "L",
            "--site",
            SITE,
            "--tag",
            "T-1",
            "--mineral",
            "gold",
            "--mass",
            "1kg",
            "--grade",
            "1%",
        ])
        .expect(3);
    assert!(r.stderr.contains("never reached the node"), "{}", r.stderr);
}

#[test]
fn a_node_with_another_log_key_is_not_trusted() {
    let l = Ledger::new("trust");
    let c = &l.coop;
    c.run(&["log", "status"]).expect(0);
    // Another ledger with the same origin on another node.
    let root = tempdir("trust-evil");
    let (data, _) = init_ledger(&root, "test.madini.example/log");
    let evil = NodeProc::start(&data);
    let r = c.run(&["--node", &evil.url, "log", "status"]).expect(3);
    assert!(r.stderr.contains("cannot be trusted"), "{}", r.stderr);
    assert!(r.stderr.contains("pinned"), "{}", r.stderr);
    // A profile that names the expected key refuses a node with another.
    let vkey = c.ok_json(&["log", "status"])["vkey"]
        .as_str()
        .unwrap()
        .to_string();
    c.run(&["profile", "set", "--set-vkey", &vkey]).expect(0);
    c.run(&["log", "status"]).expect(0);
    let root2 = tempdir("trust-evil2");
    let (data2, _) = init_ledger(&root2, "other.example/log");
    let other = NodeProc::start(&data2);
    let r = c.run(&["--node", &other.url, "log", "status"]).expect(3);
    assert!(
        r.stderr.contains("not the one in your profile"),
        "{}",
        r.stderr
    );
}

/// Values with a ledger-core type are read while the arguments are parsed:
/// a bad one is exit 2 with the CLI's one-sentence error naming the option,
/// in the language asked for, before anything runs (the node here does not
/// exist and the device has never reached it, which would be exit 3).
#[test]
fn bad_values_are_refused_while_parsing() {
    let root = tempdir("parse-time");
    let d = Device::new(&root, "COOP", "http://127.0.0.1:9");
    let mut args = lot_register_args("L-1", "T-000001", "abc", "60%");
    let r = d.run(&args).expect(2);
    assert_eq!(
        r.stderr.trim_end(),
        "error: --mass: mass \"abc\": \"abc\" is not a number; write kilograms (25.3kg, up to 3 decimals), tonnes (1.2t) or grams (25300g)"
    );
    args.insert(0, "--json");
    let r = d.run(&args).expect(2);
    assert_eq!(r.json()["error"]["exit"], 2, "{}", r.stdout);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("--mass: ")
    );
    args[0] = "--lang=fr";
    let r = d.run(&args).expect(2);
    assert!(
        r.stderr
            .starts_with("erreur: --mass: masse \"abc\" : \"abc\" n'est pas un nombre ; "),
        "{}",
        r.stderr
    );
    // The language of the environment and of the profile count too.
    let o = d
        .cmd()
        .env("MADINI_LANG", "fr")
        .args(&args[1..])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("erreur: --mass: masse"), "{stderr}");
    d.run(&["profile", "set", "--set-lang", "fr"]).expect(0);
    let r = d.run(&args[1..]).expect(2);
    assert!(
        r.stderr.starts_with("erreur: --mass: masse"),
        "{}",
        r.stderr
    );
    d.run(&["profile", "set", "--set-lang", "en"]).expect(0);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "site", "status", SITE, "--status", "purple", "--reason", "x",
            ],
            "error: --status: \"purple\" is not a site status",
        ),
        (
            &["actor", "register", "--id", "A-1", "--role", "miner"],
            "error: --role: \"miner\" is not a role",
        ),
        (
            &["lot", "offer", "L-1", "--to", "X", "--grade", "101%"],
            "error: --grade: grade \"101%\" is above 100%",
        ),
        (
            &["lot", "split", "L-1", "--child", "L-2"],
            "error: --child: \"L-2\" is not ID:MASS or ID:MASS:GRADE",
        ),
        (
            &["lot", "refuse", "L 1", "--reason", "x"],
            "error: <LOT>: an id is",
        ),
        (
            &[
                "incident", "status", "00", "--status", "open", "--note", "x",
            ],
            "error: <CASE>: \"00\" is not an event hash",
        ),
        (
            &[
                "site",
                "inspect",
                SITE,
                "--id",
                "I-1",
                "--date",
                "2026-01-01",
                "--result",
                "blue",
            ],
            "error: --result: an inspection is green, yellow or red",
        ),
    ];
    for (args, want) in cases {
        let r = d.run(args).expect(2);
        assert!(r.stderr.starts_with(want), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
    }
}
