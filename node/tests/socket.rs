//! Over a real socket on 127.0.0.1 port 0: the demo ledger served by the
//! binary's own `serve` path, and every proof the node serves for every
//! index of a few-thousand-entry log checked with ledger-core's verifier.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use ledger_core::merkle::{verify_consistency, verify_inclusion};
use ledger_core::note::{NoteKey, open_checkpoint};
use node::api::{AppState, app};
use serde_json::Value;

fn hashes(v: &Value) -> Vec<Vec<u8>> {
    v["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| B64.decode(h.as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn demo_ledger_over_a_socket_serves_proofs_for_every_index_in_memory() {
    proofs_for_every_index(Backend::Memory);
}

#[test]
fn demo_ledger_over_a_socket_serves_proofs_for_every_index_on_sled() {
    proofs_for_every_index(Backend::Sled);
}

fn proofs_for_every_index(backend: Backend) {
    let dir = tempdir("socket");
    let (ledger, report) =
        node::demo::create(&dir, node::ledger::now_ms(), store(backend, &dir)).unwrap();
    assert!(
        report.entries > 2000,
        "the demo ledger has {} entries",
        report.entries
    );
    assert!(report.planted.len() >= 5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(async move {
        axum::serve(listener, app(AppState::new(ledger)))
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
    });
    let url = format!("http://{addr}");
    let a = agent();
    let get = |path: &str| -> Value {
        a.get(&format!("{url}{path}"))
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap()
    };
    let log = get("/v1/log");
    let key = NoteKey::from_vkey(log["vkey"].as_str().unwrap()).unwrap();
    let note = a
        .get(&format!("{url}/checkpoint"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let cp = open_checkpoint(&note, &key).unwrap();
    let n = cp.size;
    // Every inclusion proof to the checkpoint, from the leaves the node serves.
    let mut start = 0;
    let mut leaves = Vec::new();
    while start < n {
        let page = get(&format!("/v1/entries?start={start}&limit=1000"));
        for e in page["entries"].as_array().unwrap() {
            leaves.push(B64.decode(e["leaf"].as_str().unwrap()).unwrap());
        }
        start = page["next"].as_u64().unwrap_or(n);
    }
    assert_eq!(leaves.len() as u64, n);
    let mut tree = ledger_core::merkle::MemoryTree::new();
    for (i, leaf) in leaves.iter().enumerate() {
        let lh = ledger_core::hash::leaf_hash(leaf);
        tree.append(lh);
        let p = get(&format!("/v1/proof/inclusion?index={i}&tree_size={n}"));
        verify_inclusion(&lh.0, i as u64, n, &hashes(&p), &cp.root.0)
            .unwrap_or_else(|e| panic!("index {i}: {e}"));
    }
    assert_eq!(
        tree.root(),
        cp.root,
        "the served leaves hash to the checkpoint's root"
    );
    // Consistency from every older size, checked against roots we computed.
    for m in 1..=n {
        let p = get(&format!("/v1/proof/consistency?from={m}&to={n}"));
        let old = ledger_core::merkle::tree_hash(m, &tree).unwrap();
        verify_consistency(m, n, &old.0, &cp.root.0, &hashes(&p))
            .unwrap_or_else(|e| panic!("{m}->{n}: {e}"));
    }
    // gzip is offered: asked over a raw socket, so no client library
    // decompresses it behind our back; the body must be a gzip stream.
    {
        use std::io::{Read, Write};
        let host = url.trim_start_matches("http://");
        let mut sock = std::net::TcpStream::connect(host).unwrap();
        write!(
            sock,
            "GET /v1/entries?limit=100 HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        sock.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-encoding: gzip"), "{head}");
        // Chunked or not, the gzip magic number opens the body's data.
        assert!(
            raw[split + 4..].windows(2).any(|w| w == [0x1f, 0x8b]),
            "the body is not gzip"
        );
    }
    let _ = stop_tx.send(());
    rt.block_on(server).unwrap();
}

#[test]
fn serve_demo_binary_prints_the_url_and_serves() {
    let dir = tempdir("serve-demo");
    std::fs::remove_dir_all(&dir).unwrap();
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_madini-node"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .env("MADINI_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.contains("serving") && line.contains("http://127.0.0.1:"),
        "{line}"
    );
    let url = line
        .split("at ")
        .last()
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    let mut r = agent().get(&format!("{url}/")).call().unwrap();
    assert!(
        r.body_mut()
            .read_to_string()
            .unwrap()
            .contains("Mineral registry")
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
}
