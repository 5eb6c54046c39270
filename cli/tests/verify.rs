//! `madini verify lot` and `madini audit` against a real node: clean
//! chains verify (exit 0), findings give exit 1, tampered bundles and
//! archives give exit 3, and a node that rewrote history is caught.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn flip_in_base64(text: &str, field: &str) -> String {
    // Flip one character inside the first value of `field`.
    let at = text.find(&format!("\"{field}\"")).unwrap();
    let start = text[at..].find(": \"").unwrap() + at + 3 + 10;
    let mut b = text.as_bytes().to_vec();
    b[start] = if b[start] == b'A' { b'B' } else { b'A' };
    String::from_utf8(b).unwrap()
}

fn journey(l: &Ledger) -> (Device, Device) {
    let t = l.actor("NEG-1", "Négociant", "trader");
    let e = l.actor("EXP-1", "Comptoir", "exporter");
    let c = &l.coop;
    c.ok_json(&[
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
    ]);
    c.ok_json(&[
        "lot",
        "tax",
        "L-1",
        "--type",
        "royalty",
        "--amount",
        "10",
        "--currency",
        "USD",
        "--authority",
        "RRA",
        "--receipt",
        "R1",
    ]);
    c.ok_json(&["lot", "offer", "L-1", "--to", "NEG-1"]);
    t.ok_json(&["lot", "accept", "L-1"]);
    t.ok_json(&["lot", "offer", "L-1", "--to", "EXP-1"]);
    e.ok_json(&["lot", "accept", "L-1"]);
    l.auth.ok_json(&[
        "cert",
        "issue",
        "--id",
        "C-1",
        "--exporter",
        "EXP-1",
        "--lot",
        "L-1",
        "--mineral",
        "cassiterite",
        "--mass",
        "50kg",
        "--origin",
        "RW",
        "--destination",
        "BE",
    ]);
    e.ok_json(&[
        "lot",
        "export",
        "L-1",
        "--cert",
        "C-1",
        "--destination",
        "BE",
    ]);
    (t, e)
}

#[test]
fn verify_and_audit_a_clean_chain_then_catch_tampering() {
    let mut l = Ledger::new("verify");
    let (_t, e) = journey(&l);
    // Online lot verification.
    let v = e.run(&["--json", "verify", "lot", "L-1"]).expect(0).json();
    assert_eq!(v["verdict"], "verified");
    assert_eq!(v["scope"], "lot");
    assert!(v["not_checked"].as_array().unwrap().len() >= 2);
    let human = e.run(&["verify", "lot", "L-1"]).expect(0).stdout;
    assert!(human.starts_with("VERIFIED"), "{human}");
    let fr = e
        .run(&["--lang", "fr", "verify", "lot", "L-1"])
        .expect(0)
        .stdout;
    assert!(fr.starts_with("VÉRIFIÉ"), "{fr}");
    // A bundle file, verified with the node stopped.
    let bundle = l.root.join("L-1.bundle.json");
    e.run(&["lot", "bundle", "L-1", "--out", bundle.to_str().unwrap()])
        .expect(0);
    // The whole log, audited online and from an archive.
    let a = e.run(&["--json", "audit"]).expect(0).json();
    assert_eq!(a["verdict"], "verified", "{a}");
    assert_eq!(a["scope"], "log");
    let archive = l.root.join("log.archive");
    e.run(&["log", "fetch", "--out", archive.to_str().unwrap()])
        .expect(0);
    l.node.stop();
    e.run(&["verify", "lot", "L-1", "--bundle", bundle.to_str().unwrap()])
        .expect(0);
    // The file's proofs are C2SP tlog-proofs; the node's own v1 document
    // verifies the same.
    let text = std::fs::read_to_string(&bundle).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "madini-bundle/v2");
    assert!(
        file["entries"][0]["proof"]
            .as_str()
            .unwrap()
            .starts_with("c2sp.org/tlog-proof@v1\nindex 0\n"),
        "{file}"
    );
    let v1 = l.root.join("L-1.v1.json");
    let doc = ledger_core::tlogproof::read_bundle(&text).unwrap();
    std::fs::write(&v1, serde_json::to_string(&doc).unwrap()).unwrap();
    e.run(&["verify", "lot", "L-1", "--bundle", v1.to_str().unwrap()])
        .expect(0);
    // A tlog-proof with a malformed line: refused, naming the entry and line.
    let bad_proof = l.root.join("bad-proof.json");
    std::fs::write(
        &bad_proof,
        text.replacen("\\nindex 0\\n", "\\nindex 00\\n", 1),
    )
    .unwrap();
    let r = e
        .run(&[
            "verify",
            "lot",
            "L-1",
            "--bundle",
            bad_proof.to_str().unwrap(),
        ])
        .expect(3);
    assert!(
        r.stderr.contains("entries[0]: tlog-proof line 2"),
        "{}",
        r.stderr
    );
    let a = e
        .run(&["--json", "audit", "--archive", archive.to_str().unwrap()])
        .expect(0)
        .json();
    assert_eq!(a["verdict"], "verified");
    // A tampered bundle: exit 3, saying where.
    let text = std::fs::read_to_string(&bundle).unwrap();
    let bad = l.root.join("bad.bundle.json");
    std::fs::write(&bad, flip_in_base64(&text, "leaf")).unwrap();
    let r = e
        .run(&[
            "--json",
            "verify",
            "lot",
            "L-1",
            "--bundle",
            bad.to_str().unwrap(),
        ])
        .expect(3);
    let j = r.json();
    assert_eq!(j["verdict"], "unverifiable");
    assert!(
        j["findings"][0]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("entry"),
        "{j}"
    );
    // A tampered archive: one byte of one leaf.
    let mut raw = std::fs::read(&archive).unwrap();
    let n = raw.len();
    raw[n - 30] ^= 0x01;
    let bad_archive = l.root.join("bad.archive");
    std::fs::write(&bad_archive, &raw).unwrap();
    let r = e
        .run(&["audit", "--archive", bad_archive.to_str().unwrap()])
        .expect(3);
    assert!(r.stdout.starts_with("CANNOT BE VERIFIED"), "{}", r.stdout);
    // A truncated archive.
    std::fs::write(&bad_archive, &raw[..n - 100]).unwrap();
    e.run(&["audit", "--archive", bad_archive.to_str().unwrap()])
        .expect(3);
}

#[test]
fn findings_give_exit_1() {
    let l = Ledger::new("findings");
    // The site turns Red; a lot is registered there anyway.
    l.inspector
        .run(&[
            "site",
            "inspect",
            SITE,
            "--id",
            "INS-2",
            "--date",
            "2026-02-01",
            "--result",
            "red",
        ])
        .expect(0);
    l.coop.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-R",
        "--site",
        SITE,
        "--tag",
        "T-000009",
        "--mineral",
        "cassiterite",
        "--mass",
        "20kg",
        "--grade",
        "55%",
    ]);
    let r = l.coop.run(&["--json", "audit"]).expect(1).json();
    assert_eq!(r["verdict"], "findings");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "site-status")
        .expect("site-status finding");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["lots"][0], "L-R");
    assert!(f["events"][0]["index"].as_u64().is_some());
    assert_eq!(f["events"][0]["leaf_hash"].as_str().unwrap().len(), 44);
    let human = l.coop.run(&["audit"]).expect(1).stdout;
    assert!(human.starts_with("VERIFIED WITH FINDINGS"), "{human}");
    assert!(human.contains("[site-status]"), "{human}");
    l.coop.run(&["verify", "lot", "L-R"]).expect(1);
    // A stricter policy file is named in the report; a bad one is refused.
    let pol = l.root.join("policy.toml");
    std::fs::write(&pol, "name = \"strict\"\n[time]\nbackdating_days = 1\n").unwrap();
    let r = l
        .coop
        .run(&["--json", "audit", "--policy", pol.to_str().unwrap()])
        .expect(1)
        .json();
    assert_eq!(r["policy"], "strict");
    // Each bad policy is refused naming its line and key: an unknown key,
    // a negative tolerance, an impossible constant.
    for (text, line, key) in [
        ("[time]\nbackdating = 1\n", 2, "time.backdating"),
        (
            "name = \"x\"\n[transfer]\nmass_bp = -5\ngrade_bp = 200\n",
            3,
            "transfer.mass_bp",
        ),
        (
            "[plausibility.max_grade_bp]\ncassiterite = 7877\ncoltan = 12000\nwolframite = 8053\ngold = 10000\n",
            3,
            "plausibility.max_grade_bp.coltan",
        ),
    ] {
        std::fs::write(&pol, text).unwrap();
        let r = l
            .coop
            .run(&["audit", "--policy", pol.to_str().unwrap()])
            .expect(2);
        let want = format!("line {line}, key {key}:");
        assert!(r.stderr.contains(&want), "{want} in {}", r.stderr);
    }
}

#[test]
fn a_node_that_rewrote_history_is_caught() {
    let mut l = Ledger::new("rewrite");
    let data = l.node.data.clone();
    let addr = l.node.addr();
    // Snapshot the node's data, then let the log grow one way.
    l.node.stop();
    let fork = l.root.join("fork-data");
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(&data)
        .arg(&fork)
        .status()
        .unwrap();
    assert!(st.success());
    l.node = NodeProc::start_on(&data, &addr);
    l.coop.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-A",
        "--site",
        SITE,
        "--tag",
        "T-000011",
        "--mineral",
        "cassiterite",
        "--mass",
        "20kg",
        "--grade",
        "55%",
    ]);
    l.coop.ok_json(&[
        "lot",
        "register",
        "--lot",
        "L-A2",
        "--site",
        SITE,
        "--tag",
        "T-000012",
        "--mineral",
        "cassiterite",
        "--mass",
        "20kg",
        "--grade",
        "55%",
    ]);
    let auditor = Device::new(&l.root, "AUDITOR", &l.node.url);
    auditor.run(&["audit"]).expect(0);
    // The same node (same key) now serves another history, grown longer by
    // a device that never saw the first one (the cooperative's key, copied).
    l.node.stop();
    l.node = NodeProc::start_on(&fork, &addr);
    let other = l.root.join("home-COOP-copy");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(l.coop.home.join("key.pem"), other.join("key.pem")).unwrap();
    let coop2 = Device {
        home: other,
        node: l.node.url.clone(),
        actor: "COOP".into(),
    };
    for k in 0..3 {
        let lot = format!("L-B{k}");
        let tag = format!("T-0000{}", 20 + k);
        coop2.ok_json(&[
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
            "20kg",
            "--grade",
            "55%",
        ]);
    }
    // Both devices that saw the first history refuse the node.
    let r = auditor.run(&["audit"]).expect(3);
    assert!(r.stderr.contains("rewritten"), "{}", r.stderr);
    let r = l.coop.run(&["log", "status"]).expect(3);
    assert!(r.stderr.contains("rewritten"), "{}", r.stderr);
}

/// `madini audit --tiles URL` reads only the checkpoint and the entry
/// bundles, and gives the report the node's API gives, as does an archive
/// `madini log fetch --tiles` writes; a URL that serves no
/// tiles is refused, naming what could not be read.
#[test]
fn an_audit_from_the_tiles_gives_the_node_s_report() {
    let root = tempdir("audit-tiles");
    let (data, _) = generated(
        &root,
        &["--seed", "9", "--lots", "40", "--frauds", "untaxed-export"],
    );
    let node = NodeProc::start(&data);
    let d = Device::new(&root, "AUDITOR", &node.url);
    d.run(&["log", "status"]).expect(0);
    let api = d.run(&["--json", "audit"]).expect(1).json();
    let tiles = d
        .run(&["--json", "audit", "--tiles", &node.url])
        .expect(1)
        .json();
    // More than one entry bundle: a full one and a partial one at least.
    assert!(
        api["tree_size"].as_u64().unwrap() > 256,
        "{}",
        api["tree_size"]
    );
    for k in [
        "verdict",
        "tree_size",
        "root_hash",
        "counts",
        "findings",
        "under_review",
    ] {
        assert_eq!(api[k], tiles[k], "{k}");
    }
    // The same log written to an archive from the tiles audits the same.
    let archive = root.join("from-tiles.log");
    let arch = archive.to_str().unwrap();
    d.run(&["log", "fetch", "--tiles", &node.url, "--out", arch])
        .expect(0);
    let offline = d
        .run(&["--json", "audit", "--archive", arch])
        .expect(1)
        .json();
    for k in ["verdict", "tree_size", "root_hash", "counts", "findings"] {
        assert_eq!(api[k], offline[k], "{k}");
    }
    let r = d
        .run(&["audit", "--tiles", &format!("{}/nothing", node.url)])
        .expect(3);
    assert!(r.stderr.contains("/nothing/checkpoint"), "{}", r.stderr);
}

/// The nginx binary, or `None` (and the test is skipped, unless CI's
/// `MADINI_REQUIRE_NGINX` says it must run).
fn nginx() -> Option<PathBuf> {
    let found = ["nginx", "/usr/sbin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| {
            std::process::Command::new(p)
                .arg("-v")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("MADINI_REQUIRE_NGINX").is_none(),
            "MADINI_REQUIRE_NGINX is set but nginx is not installed"
        );
        eprintln!("skipping: nginx is not installed");
    }
    found
}

/// nginx serving `dir` on 127.0.0.1 (a port found free), stopped on drop.
struct Nginx {
    child: std::process::Child,
    url: String,
}

impl Nginx {
    fn serve(bin: &Path, dir: &Path, work: &Path) -> Nginx {
        std::fs::create_dir_all(work).unwrap();
        for _ in 0..20 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let w = work.display();
            let conf = format!(
                "daemon off;\nmaster_process off;\npid {w}/nginx.pid;\nerror_log {w}/error.log;\n\
                 events {{ worker_connections 64; }}\n\
                 http {{\n  access_log off;\n  client_body_temp_path {w}/body;\n  proxy_temp_path {w}/proxy;\n\
                 fastcgi_temp_path {w}/fastcgi;\n  uwsgi_temp_path {w}/uwsgi;\n  scgi_temp_path {w}/scgi;\n\
                 default_type application/octet-stream;\n  types {{ text/plain checkpoint; }}\n\
                 server {{ listen 127.0.0.1:{port}; root {}; }}\n}}\n",
                dir.display()
            );
            let path = work.join("nginx.conf");
            std::fs::write(&path, conf).unwrap();
            let mut child = std::process::Command::new(bin)
                .args(["-e", &format!("{w}/error.log"), "-c"])
                .arg(&path)
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let url = format!("http://127.0.0.1:{port}");
            for _ in 0..100 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Nginx { child, url };
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "nginx did not start; see {}",
            work.join("error.log").display()
        );
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of the tiles written by `madini-node publish` and served by
/// nginx, the node stopped: `madini audit --tiles` and `madini verify lot
/// --tiles` give the reports the node gave, and a lot the log does not
/// hold is unverifiable.
#[test]
fn a_published_copy_on_nginx_verifies_as_the_node_did_with_the_node_stopped() {
    let Some(bin) = nginx() else {
        return;
    };
    let root = tempdir("nginx-copy");
    let (data, out) = generated(
        &root,
        &["--seed", "9", "--lots", "40", "--frauds", "untaxed-export"],
    );
    let lot = out
        .lines()
        .find_map(|l| l.strip_prefix("planted untaxed-export: "))
        .and_then(|l| l.split(|c: char| c == ',' || c.is_whitespace()).next())
        .unwrap()
        .to_string();
    let mut node = NodeProc::start(&data);
    let d = Device::new(&root, "AUDITOR", &node.url);
    d.run(&["log", "status"]).expect(0);
    let api = d.run(&["--json", "audit"]).expect(1).json();
    let api_lot = d.run(&["--json", "verify", "lot", &lot]).expect(1).json();
    node.stop();
    let copy = root.join("copy");
    let published = std::process::Command::new(node_bin())
        .args(["publish", "--data"])
        .arg(&data)
        .arg("--to")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        published.status.success(),
        "{}",
        String::from_utf8_lossy(&published.stderr)
    );
    let web = Nginx::serve(&bin, &copy, &root.join("nginx"));
    let tiles = d
        .run(&["--json", "audit", "--tiles", &web.url])
        .expect(1)
        .json();
    for k in ["verdict", "tree_size", "root_hash", "counts", "findings"] {
        assert_eq!(api[k], tiles[k], "audit: {k}");
    }
    let tiles_lot = d
        .run(&["--json", "verify", "lot", &lot, "--tiles", &web.url])
        .expect(1)
        .json();
    for k in ["verdict", "findings", "tree_size", "root_hash"] {
        assert_eq!(api_lot[k], tiles_lot[k], "verify lot: {k}");
    }
    let none = d
        .run(&[
            "--json",
            "verify",
            "lot",
            "NO-SUCH-LOT",
            "--tiles",
            &web.url,
        ])
        .expect(3)
        .json();
    assert_eq!(none["verdict"], "unverifiable", "{none}");
}
