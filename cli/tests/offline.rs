//! Offline first: events signed while the node is down wait in the outbox
//! and reach the log, in order and exactly once, when `madini sync` runs,
//! even if a push is killed part-way and started again.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use serde_json::Value;

/// Every event hash in the log, with how many times it appears.
fn log_events(url: &str) -> BTreeMap<String, usize> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut out = BTreeMap::new();
    let mut start = 0;
    loop {
        let v: Value = agent
            .get(&format!("{url}/v1/entries?start={start}&limit=1000"))
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        for e in v["entries"].as_array().unwrap() {
            let i = e["index"].as_u64().unwrap();
            let en: Value = agent
                .get(&format!("{url}/v1/entries/{i}"))
                .call()
                .unwrap()
                .body_mut()
                .read_json()
                .unwrap();
            *out.entry(en["event_hash"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        match v["next"].as_u64() {
            Some(n) => start = n,
            None => return out,
        }
    }
}

#[test]
fn offline_events_sync_exactly_once_even_when_the_push_is_killed() {
    let mut l = Ledger::new("offline");
    let trader = l.actor("NEG-1", "Négociant Kivu", "trader");
    // Each device must have met the log once to know what to sign for.
    l.coop.run(&["log", "status"]).expect(0);
    trader.run(&["log", "status"]).expect(0);
    let addr = l.node.addr();
    l.node.stop();

    // At the mine, with no network: register bags and offer them.
    let mut signed = Vec::new();
    for i in 1..=6 {
        let lot = format!("L-{i}");
        let tag = format!("T-{i:06}");
        let r = l.coop.ok_json(&[
            "lot",
            "register",
            "--lot",
            &lot,
            "--site",
            SITE,
            "--tag",
            &tag,
            "--mineral",
            "cassiterite",
            "--mass",
            "25kg",
            "--grade",
            "62%",
            "--time",
            "2026-03-01T08:00:00Z",
        ]);
        assert_eq!(r["status"], "queued", "{r}");
        assert!(r["index"].is_null());
        signed.push(r["event_hash"].as_str().unwrap().to_string());
        let o = l.coop.ok_json(&["lot", "offer", &lot, "--to", "NEG-1"]);
        assert_eq!(o["status"], "queued");
        signed.push(o["event_hash"].as_str().unwrap().to_string());
    }
    let ob = l.coop.ok_json(&["outbox"]);
    assert_eq!(ob["waiting"].as_array().unwrap().len(), 12);
    // Each waiting event shows the time it claims beside the time it was
    // signed, and how long after its claim it was signed: the registrations
    // claim 2026-03-01T08:00:00Z (back-dated), the offers claim now.
    let first = &ob["waiting"][0];
    assert_eq!(first["claimed_time"], 1_772_352_000_000u64, "{first}");
    let signed_at = first["signed_at"].as_u64().unwrap();
    assert_eq!(
        first["delay_ms"].as_i64().unwrap(),
        i64::try_from(signed_at).unwrap() - 1_772_352_000_000,
        "{first}"
    );
    assert!(
        ob["waiting"][1]["delay_ms"].as_i64().unwrap().abs() < 60_000,
        "{ob}"
    );
    let table = l.coop.run(&["outbox"]).expect(0).stdout;
    assert!(
        table.contains("claims") && table.contains("signed after"),
        "{table}"
    );
    assert!(table.contains("2026-03-01T08:00:00"), "{table}");
    assert!(
        table.contains(" days") && table.contains("0 min"),
        "{table}"
    );
    // Sync with the node down: nothing lost, exit 3.
    let r = l.coop.run(&["sync"]).expect(3);
    assert!(r.stderr.contains("12 events still wait"), "{}", r.stderr);

    // The registry, also offline, imports many actors.
    let csv = l.root.join("actors.csv");
    let mut text = String::from("id,name,country,roles,public_keys\n");
    for i in 0..250 {
        let k = ledger_core::world::named_key(&format!("bulk-{i}")).public();
        text.push_str(&format!("A-{i:04},Trader {i},CD,trader,{k}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let imp = l
        .auth
        .run(&[
            "--json",
            "--offline",
            "import",
            "actors",
            csv.to_str().unwrap(),
        ])
        .expect(0);
    assert_eq!(imp.json()["queued"], 250);

    // The node comes back on the same address.
    l.node = NodeProc::start_on(&l.node.data.clone(), &addr);
    let url = l.node.url.clone();

    // Kill the authority's push at later and later moments until a kill
    // lands mid-push (some batches answered, others not), then let one
    // finish. A kill may also fall between the node's answer and the
    // device's record of it: the next push resends, and the node answers
    // `existing`.
    let waiting = |d: &Device| d.ok_json(&["outbox"])["waiting"].as_array().unwrap().len();
    let total = waiting(&l.auth);
    let mut mid_push = false;
    let mut delay = 2u64;
    while !mid_push && delay < 3000 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_madini"))
            .arg("sync")
            .env("MADINI_HOME", &l.auth.home)
            .env("MADINI_NODE", &url)
            .env("LANG", "C")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let left = waiting(&l.auth);
        assert!(
            left > 0,
            "a kill after {delay} ms came too late: all was sent"
        );
        mid_push = left < total;
        delay += 3;
    }
    assert!(mid_push, "no kill landed in the middle of a push");
    eprintln!(
        "a kill after {} ms left {} of {total} events waiting",
        delay - 3,
        waiting(&l.auth)
    );
    let done = l.auth.run(&["--json", "sync"]).expect(0).json();
    assert_eq!(done["waiting"], 0);
    let c = l.coop.run(&["--json", "sync"]).expect(0).json();
    let fates = c["fates"].as_array().unwrap();
    assert_eq!(fates.len(), 12);
    assert!(fates.iter().all(|f| f["status"] == "accepted"), "{c}");
    // In signing order: register before offer for each lot.
    let idx: Vec<u64> = fates.iter().map(|f| f["index"].as_u64().unwrap()).collect();
    assert!(idx.windows(2).all(|w| w[0] < w[1]));

    // Every signed event is in the log exactly once.
    let log = log_events(&url);
    for h in &signed {
        assert_eq!(log.get(h), Some(&1), "event {h}");
    }
    let actors = l.auth.ok_json(&["actor", "list"]);
    let bulk = actors["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["profile"]["id"].as_str().unwrap().starts_with("A-"))
        .count();
    assert_eq!(bulk, 250);
    assert!(log.values().all(|n| *n == 1));
    for d in [&l.coop, &l.auth] {
        let o = d.ok_json(&["outbox"]);
        assert_eq!(o["waiting"].as_array().unwrap().len(), 0);
        assert_eq!(o["refused"].as_array().unwrap().len(), 0);
    }
    // The trader, now online, accepts what was offered offline.
    let a = trader.ok_json(&["lot", "accept", "L-3"]);
    assert_eq!(a["status"], "accepted");
    assert_eq!(
        trader.ok_json(&["lot", "show", "L-3"])["custodian"],
        "NEG-1"
    );
}
