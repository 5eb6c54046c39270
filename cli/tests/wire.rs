//! The CLI reads every node answer as its `ledger_core::wire` type: a node
//! whose answer is not what `spec/http.md` says is not believed (exit 3,
//! naming the request and the field), where a string-key read used to see
//! an empty field.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::*;
use serde_json::Value;

/// A proxy in front of `node` that passes every GET through, except that
/// `mangle` may rewrite the JSON answer to a path. Returns its URL.
fn proxy(node: &str, mangle: fn(&str, &mut Value)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let node = node.to_string();
    std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            // The headers: nothing the proxy needs (every request is a GET).
            let mut h = String::new();
            while r.read_line(&mut h).is_ok_and(|n| n > 2) {
                h.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            let Ok(mut resp) = agent.get(&format!("{node}{path}")).call() else {
                continue;
            };
            let status = resp.status().as_u16();
            let mut body = resp.body_mut().read_to_string().unwrap_or_default();
            if let Ok(mut v) = serde_json::from_str::<Value>(&body) {
                mangle(&path, &mut v);
                body = v.to_string();
            }
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// The same device home, talking to another node address.
fn via(d: &Device, node: &str) -> Device {
    Device {
        home: d.home.clone(),
        node: node.to_string(),
        actor: d.actor.clone(),
    }
}

#[test]
fn an_answer_that_is_not_its_wire_type_is_not_believed() {
    let l = Ledger::new("wire");
    l.coop
        .run(&lot_register_args("L-1", "T-000001", "40kg", "61%"))
        .expect(0);

    // Through a faithful proxy the lot reads as it does from the node.
    let same = proxy(&l.node.url, |_, _| {});
    let d = via(&l.coop, &same);
    let direct = l.coop.ok_json(&["lot", "show", "L-1"]);
    assert_eq!(d.ok_json(&["lot", "show", "L-1"]), direct);
    assert_eq!(direct["mass_g"], 40_000, "{direct}");

    // With --json the CLI prints the node's answer as the node sent it,
    // though it read it as a typed value.
    for (args, path) in [
        (&["lot", "show", "L-1"][..], "/v1/lots/L-1"),
        (&["lot", "history", "L-1"], "/v1/lots/L-1/provenance"),
        (&["lot", "list"], "/v1/lots?limit=50"),
        (&["tags", "show", "T-000001"], "/v1/tags/T-000001"),
        (&["actor", "list"], "/v1/actors"),
        (&["actor", "show", "COOP"], "/v1/actors/COOP"),
        (&["site", "list"], "/v1/sites"),
        (&["site", "show", SITE], &format!("/v1/sites/{SITE}")),
    ] {
        let raw: Value = ureq::get(&format!("{}{path}", l.node.url))
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        assert_eq!(l.coop.ok_json(args), raw, "{args:?}");
    }

    // A lot whose mass is not a number of grams.
    let bad = proxy(&l.node.url, |path, v| {
        if path == "/v1/lots/L-1" {
            v["mass_g"] = Value::from("forty kilos");
        }
    });
    let r = via(&l.coop, &bad).run(&["lot", "show", "L-1"]).expect(3);
    assert!(
        r.stderr
            .contains("the node's answer to GET /v1/lots/L-1 is not what spec/http.md says")
            // `LotView` flattens `LotSummary`, and serde loses the path
            // through a flatten: the message names the value instead.
            && r.stderr.contains("\"forty kilos\", expected u64"),
        "{}",
        r.stderr
    );

    // Elsewhere the message gives serde's path to the field.
    let bad_list = proxy(&l.node.url, |path, v| {
        if path.starts_with("/v1/lots?") {
            v["lots"][0]["mass_g"] = Value::from(-1);
        }
    });
    let r = via(&l.coop, &bad_list).run(&["lot", "list"]).expect(3);
    assert!(
        r.stderr.contains("lots[0].mass_g: invalid value"),
        "{}",
        r.stderr
    );

    // A log answer without its checkpoint is refused before anything else.
    let no_cp = proxy(&l.node.url, |path, v| {
        if path == "/v1/log"
            && let Some(o) = v.as_object_mut()
        {
            o.remove("checkpoint");
        }
    });
    let r = via(&l.coop, &no_cp).run(&["log", "status"]).expect(3);
    assert!(
        r.stderr.contains("GET /v1/log") && r.stderr.contains("checkpoint"),
        "{}",
        r.stderr
    );
}
