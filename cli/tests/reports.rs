//! Feeding registries: every report and export the node serves is
//! recomputed by `madini --from-log` from the raw leaves and must match
//! byte for byte, on a generated ledger and on the demo ledger; ICGLR
//! imports record every good record and report every bad one.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

fn get(url: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().unwrap();
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .unwrap();
    assert_eq!(status, 200, "{url}: {body}");
    body
}

fn same_both_ways(d: &Device, args: &[&str]) {
    let mut node = vec!["report"];
    node.extend_from_slice(args);
    let mut local = node.clone();
    local.push("--from-log");
    let a = d.run(&node).expect(0).stdout;
    let b = d.run(&local).expect(0).stdout;
    assert!(a.len() > 20, "{args:?}: {a}");
    assert_eq!(a, b, "{args:?}: node and --from-log differ");
}

fn figures_match(d: &Device, url: &str) {
    for kind in ["taxes", "flows", "actors", "sites"] {
        same_both_ways(d, &[kind, "--format", "json"]);
        same_both_ways(d, &[kind, "--format", "csv"]);
    }
    same_both_ways(d, &["taxes", "--format", "csv", "--part", "periods"]);
    same_both_ways(d, &["taxes", "--format", "csv", "--part", "untaxed"]);
    same_both_ways(d, &["sites", "--format", "geojson"]);
    same_both_ways(d, &["sites", "--format", "json", "--year", "2025"]);
    // The human table reads the same figures.
    let t = d.run(&["report", "flows"]).expect(0).stdout;
    assert!(t.lines().next().unwrap().contains("produced"), "{t}");
    let _ = url;
}

#[test]
fn node_and_cli_agree_on_a_generated_ledger() {
    let root = tempdir("reports");
    let (data, planted) = generated(
        &root,
        &[
            "--seed",
            "31",
            "--lots",
            "150",
            "--frauds",
            "untaxed-export,over-capacity",
        ],
    );
    let node = NodeProc::start(&data);
    let d = Device::new(&root, "AUDITOR", &node.url);
    d.run(&["log", "status"]).expect(0);
    figures_match(&d, &node.url);
    // The untaxed export planted by the generator is listed.
    let lot = planted
        .lines()
        .find_map(|l| l.strip_prefix("planted untaxed-export: "))
        .unwrap()
        .trim()
        .to_string();
    let taxes = d.ok_json(&["report", "taxes"]);
    assert!(
        taxes["untaxed_exports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["lot"] == lot),
        "{lot} not listed"
    );
    // EPCIS: one lot's provenance and a time window, node and CLI identical.
    let epcis = root.join("lot.jsonld");
    d.run(&[
        "export",
        "epcis",
        "--lot",
        &lot,
        "--out",
        epcis.to_str().unwrap(),
    ])
    .expect(0);
    let from_node = get(&format!("{}/v1/epcis/events?lot={lot}", node.url));
    assert_eq!(std::fs::read_to_string(&epcis).unwrap(), from_node);
    let doc: Value = serde_json::from_str(&from_node).unwrap();
    assert_eq!(doc["type"], "EPCISDocument");
    assert!(doc["epcisBody"]["eventList"].as_array().unwrap().len() >= 3);
    let window = root.join("window.jsonld");
    d.run(&[
        "export",
        "epcis",
        "--from",
        "2026-01-15",
        "--to",
        "2026-02-15",
        "--out",
        window.to_str().unwrap(),
    ])
    .expect(0);
    let w_node = get(&format!(
        "{}/v1/epcis/events?from=2026-01-15&to=2026-02-15",
        node.url
    ));
    assert_eq!(std::fs::read_to_string(&window).unwrap(), w_node);
    // ICGLR: every lot document, the same as the node's.
    let dir = root.join("icglr-lots");
    let r = d.ok_json(&[
        "export",
        "icglr",
        "--what",
        "lots",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let listed: Value =
        serde_json::from_str(&get(&format!("{}/v1/icglr/lots?limit=1", node.url))).unwrap();
    assert_eq!(r["documents"], listed["total"]);
    let one: Value =
        serde_json::from_str(&get(&format!("{}/v1/icglr/lots/{lot}", node.url))).unwrap();
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{lot}.json"))).unwrap())
            .unwrap();
    assert_eq!(one, file);
    for what in ["sites", "certificates", "entities"] {
        let dir = root.join(format!("icglr-{what}"));
        let r = d.ok_json(&[
            "export",
            "icglr",
            "--what",
            what,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(r["documents"].as_u64().unwrap() > 0, "{what}");
    }
    // A log archive gives the same figures offline.
    let archive = root.join("log.archive");
    d.run(&["log", "fetch", "--out", archive.to_str().unwrap()])
        .expect(0);
    let a = d
        .run(&["report", "flows", "--format", "json"])
        .expect(0)
        .stdout;
    let b = d
        .run(&[
            "report",
            "flows",
            "--format",
            "json",
            "--archive",
            archive.to_str().unwrap(),
        ])
        .expect(0)
        .stdout;
    assert_eq!(a, b);
    // Bad options are usage errors.
    d.run(&["report", "nonsense"]).expect(2);
    d.run(&["report", "flows", "--format", "geojson"]).expect(2);
    d.run(&[
        "export",
        "icglr",
        "--what",
        "mines",
        "--out",
        dir.to_str().unwrap(),
    ])
    .expect(2);
}

#[test]
fn node_and_cli_agree_on_the_demo_ledger() {
    let root = tempdir("demo-reports");
    let data = root.join("demo");
    let mut child = Command::new(node_bin())
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("MADINI_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split(" at ")
        .last()
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    let d = Device::new(&root, "AUDITOR", &url);
    d.run(&["log", "status"]).expect(0);
    figures_match(&d, &url);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn icglr_imports_record_good_records_and_report_bad_ones() {
    let l = Ledger::new("icglr-import");
    // MD.04 entities exported from one ledger import into another.
    let src = tempdir("icglr-src");
    let (data, _) = generated(&src, &["--seed", "5", "--lots", "20"]);
    let node = NodeProc::start(&data);
    let d = Device::new(&src, "READER", &node.url);
    d.run(&["log", "status"]).expect(0);
    let dir = src.join("entities");
    d.ok_json(&[
        "export",
        "icglr",
        "--what",
        "entities",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let mut docs: Vec<Value> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap()
        })
        .collect();
    docs.retain(|d| d["identifier"] != "AUTH");
    docs.sort_by_key(|d| d.to_string());
    docs.truncate(3);
    // A fourth record with a bad country code.
    let mut bad = docs[0].clone();
    bad["identifier"] = Value::from("BAD-ONE");
    bad["legalAddress"]["country"] = Value::from("XX1");
    docs.push(bad);
    let file = l.root.join("entities.json");
    std::fs::write(&file, serde_json::to_string(&docs).unwrap()).unwrap();
    let mut creds = String::from("id,roles,public_keys\n");
    for (k, doc) in docs.iter().enumerate() {
        let id = doc["identifier"].as_str().unwrap();
        let key = ledger_core::world::named_key(&format!("imported-{k}")).public();
        creds.push_str(&format!("{id},trader,{key}\n"));
    }
    let cfile = l.root.join("credentials.csv");
    std::fs::write(&cfile, creds).unwrap();
    let r = l
        .auth
        .run(&[
            "--json",
            "import",
            "icglr-entities",
            file.to_str().unwrap(),
            "--credentials",
            cfile.to_str().unwrap(),
        ])
        .expect(2)
        .json();
    assert_eq!(r["accepted"], 3, "{r}");
    assert_eq!(r["invalid"], 1, "{r}");
    let badrow = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["status"] == "invalid")
        .unwrap();
    assert!(
        badrow["error"].as_str().unwrap().contains("country"),
        "{badrow}"
    );
    // MD.01 reference examples: the Rwandan site is already registered here
    // (refused), the Congolese one imports once its owner is registered.
    let read = |n: &str| {
        std::fs::read_to_string(format!(
            "{}/../../shared/reference/icglr/examples/{n}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let both = format!(
        "[{},{}]",
        read("mine-site-example.json"),
        read("mine-site-with-multiple-inspections-example.json")
    );
    let sites = l.root.join("sites.json");
    std::fs::write(&sites, both).unwrap();
    let owner = Device::new(&l.root, "COMP-CD-001", &l.node.url);
    l.register(&owner, "Kivu Mining Corporation", "cooperative");
    let r = l
        .auth
        .run(&[
            "--json",
            "import",
            "icglr-sites",
            sites.to_str().unwrap(),
            "--capacity",
            "20t",
        ])
        .expect(2)
        .json();
    assert_eq!(r["accepted"], 1, "{r}");
    assert_eq!(r["refused"], 1, "{r}");
    let refused = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["status"] == "refused")
        .unwrap();
    assert_eq!(refused["rule"], "site-exists");
    let s = l.auth.ok_json(&["site", "show", "CD-1.9403+29.8739-00001"]);
    assert_eq!(s["record"]["name"], "Masisi");
    // A CSV of sites with a malformed row (too few cells) and a bad value
    // among good rows: the good rows land, each bad one is reported by row.
    let csv = l.root.join("sites.csv");
    std::fs::write(
        &csv,
        "id,name,lat,lon,minerals,capacity,operators\n\
         CD-1.5000+29.1000-00011,Bibatama,-1.5,29.1,cassiterite,10t,COOP\n\
         CD-1.5100+29.1100-00012,Luwowo\n\
         CD-1.5200+29.1200-00013,Kalimba,-1.52,29.12,unobtainium,10t,COOP\n\
         CD-1.5300+29.1300-00014,Nyabibwe,-1.53,29.13,cassiterite;coltan,12t,COOP\n",
    )
    .unwrap();
    let r = l
        .auth
        .run(&["--json", "import", "sites", csv.to_str().unwrap()])
        .expect(2)
        .json();
    assert_eq!(
        (r["accepted"].as_u64(), r["invalid"].as_u64()),
        (Some(2), Some(2)),
        "{r}"
    );
    let rows = r["rows"].as_array().unwrap();
    let row_of = |status: &str| -> Vec<u64> {
        let mut v: Vec<u64> = rows
            .iter()
            .filter(|x| x["status"] == status)
            .map(|x| x["row"].as_u64().unwrap())
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(row_of("accepted"), [2, 5], "{r}");
    assert_eq!(row_of("invalid"), [3, 4], "{r}");
    for id in ["CD-1.5000+29.1000-00011", "CD-1.5300+29.1300-00014"] {
        l.auth.run(&["site", "show", id]).expect(0);
    }
    for id in ["CD-1.5100+29.1100-00012", "CD-1.5200+29.1200-00013"] {
        l.auth.run(&["site", "show", id]).expect(2);
    }
    // Not JSON at all: one clear error, nothing recorded.
    std::fs::write(&sites, "{not json").unwrap();
    let r = l
        .auth
        .run(&["--json", "import", "icglr-sites", sites.to_str().unwrap()])
        .expect(2)
        .json();
    assert_eq!(r["accepted"], 0);
}
