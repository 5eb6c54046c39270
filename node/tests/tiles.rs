//! The C2SP tlog-tiles endpoints (`spec/log.md` section 6) on every
//! backend: the vector log's tiles byte for byte, the partial tiles of
//! every size that had a checkpoint while the log grows, 404 beyond the
//! latest checkpoint, 400 for malformed paths, and a reader over a real
//! socket on 127.0.0.1 port 0 that checks every entry and the consistency
//! of two checkpoints from tiles alone.

mod common;

use std::ffi::OsStr;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use ledger_core::hash::{hex_decode, leaf_hash};
use ledger_core::merkle::{
    prove_consistency, prove_inclusion, verify_consistency, verify_inclusion,
};
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::tiles::{Tile, TileHashReader, new_tiles, partial_tiles};
use ledger_core::vectors::{TILES_LOG_SIZE, base_world, tile_bytes, tiles_world};
use node::api::{AppState, app};
use node::ledger::{Item, Ledger, Outcome};
use serde_json::Value;
use tower::ServiceExt;

struct Got {
    status: StatusCode,
    content_type: String,
    cache: String,
    body: Vec<u8>,
}

async fn get(router: &axum::Router, path: &str) -> Got {
    let r = router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let h = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (status, content_type, cache) = (r.status(), h("content-type"), h("cache-control"));
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    Got {
        status,
        content_type,
        cache,
        body,
    }
}

fn vector(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/vectors/tiles")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// A tile the node serves: 200, its bytes, immutable.
async fn served(router: &axum::Router, tile: &Tile, want: &[u8], what: &str) {
    let g = get(router, &format!("/{tile}")).await;
    assert_eq!(g.status, StatusCode::OK, "{what}: {tile}");
    assert_eq!(g.content_type, "application/octet-stream", "{tile}");
    assert_eq!(g.cache, "public, max-age=31536000, immutable", "{tile}");
    assert!(g.body == want, "{what}: {tile}: the bytes differ");
}

/// A path the node refuses, with a line of plain text (never a problem).
async fn refused(router: &axum::Router, path: &str, status: StatusCode) {
    let g = get(router, path).await;
    assert_eq!(g.status, status, "{path}");
    assert_eq!(g.content_type, "text/plain; charset=utf-8", "{path}");
    assert_eq!(g.cache, "no-store", "{path}");
    let text = String::from_utf8(g.body).unwrap();
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{path}: {text:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_backend_serves_the_vector_tiles_byte_for_byte() {
    let (w, _, _) = tiles_world();
    for b in BACKENDS {
        let (ledger, _dir) = ledger_from(&w, b);
        let router = app(AppState::new(ledger));
        let cp = get(&router, "/checkpoint").await;
        assert_eq!(cp.content_type, "text/plain; charset=utf-8");
        assert_eq!(cp.cache, "no-cache");
        let latest = vector(&format!("size-{TILES_LOG_SIZE}.json"));
        assert_eq!(
            String::from_utf8(cp.body).unwrap(),
            latest["checkpoint"].as_str().unwrap(),
            "{b:?}: /checkpoint is the vector's note"
        );
        // The tiles of the latest checkpoint and those of the older one.
        for file in ["size-300.json", "size-200.json"] {
            for t in vector(file)["tiles"].as_array().unwrap() {
                let tile: Tile = t["path"].as_str().unwrap().parse().unwrap();
                let want = hex_decode(t["hex"].as_str().unwrap()).unwrap();
                served(&router, &tile, &want, &format!("{b:?} {file}")).await;
            }
        }
        let answers = vector("answers.json");
        for p in answers["served"].as_array().unwrap() {
            let tile: Tile = p.as_str().unwrap().parse().unwrap();
            let want = tile_bytes(&w, &tile, TILES_LOG_SIZE);
            served(&router, &tile, &want, &format!("{b:?} answers")).await;
        }
        for p in answers["not_found"].as_array().unwrap() {
            refused(
                &router,
                &format!("/{}", p["path"].as_str().unwrap()),
                StatusCode::NOT_FOUND,
            )
            .await;
        }
        for p in answers["malformed"].as_array().unwrap() {
            let path = format!("/{}", p["path"].as_str().unwrap());
            refused(&router, &path, StatusCode::BAD_REQUEST).await;
        }
        for path in ["/tile/0/000.p/0", "/tile/entries/001.p/0", "/tile/entries"] {
            refused(&router, path, StatusCode::BAD_REQUEST).await;
        }
        // A long path is refused without being echoed.
        let long = format!("/tile/0/{}000", "x001/".repeat(2000));
        refused(&router, &long, StatusCode::BAD_REQUEST).await;
        assert_eq!(get(&router, &long).await.body, b"malformed tile path\n");
        // Percent-encoded unreserved characters name the same resource
        // (RFC 3986 section 6.2.2.2).
        let same = get(&router, "/tile/0/%30%30%30.p/1").await;
        assert_eq!(
            same.body,
            tile_bytes(&w, &"tile/0/000.p/1".parse().unwrap(), TILES_LOG_SIZE)
        );
        // Entry bundles are gzip-compressed when the client allows it.
        let r = router
            .clone()
            .oneshot(
                Request::get("/tile/entries/000")
                    .header("accept-encoding", "gzip")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], "gzip");
        // HEAD answers as GET does, without the body.
        let r = router
            .clone()
            .oneshot(Request::head("/tile/0/000").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
}

/// Grows a node's log group by group (the vector log's events, with their
/// record times, so the leaves are the vector log's). After every group:
/// the tiles of the new checkpoint are served with the bytes ledger-core
/// computes, the partial tiles of every earlier checkpoint still are, and
/// nothing beyond the latest checkpoint is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_tiles_of_every_checkpoint_are_served_as_the_log_grows() {
    let (w, _, _) = tiles_world();
    let base = base_world().log.size() as usize;
    let leaves = w.log.leaves();
    let record_time = |i: usize| {
        ledger_core::leaf::Leaf::decode(&leaves[i])
            .unwrap()
            .record_time
    };
    let ends = [base + 1, 100, 199, 200, 255, 256, 257, 299, 300];
    for b in BACKENDS {
        let (ledger, _dir) = ledger_from(&base_world(), b);
        let router = app(AppState::new(ledger.clone()));
        let mut sizes = vec![base as u64];
        let mut from = base;
        for &end in &ends {
            submit(&ledger, &w, from, end, record_time);
            from = end;
            let size = ledger.checkpoint().size;
            assert_eq!(size, end as u64, "{b:?}");
            sizes.push(size);
            for tile in new_tiles(0, size) {
                served(
                    &router,
                    &tile,
                    &tile_bytes(&w, &tile, size),
                    &format!("{b:?} at {size}"),
                )
                .await;
            }
            for &old in &sizes {
                for tile in partial_tiles(old) {
                    served(
                        &router,
                        &tile,
                        &tile_bytes(&w, &tile, old),
                        &format!("{b:?} at {size}, of {old}"),
                    )
                    .await;
                }
            }
            // Just beyond the tree: one wider, the next tile, the full tile
            // while it is partial.
            for tile in partial_tiles(size) {
                let wider = Tile {
                    width: tile.width + 1,
                    ..tile
                };
                let next = Tile {
                    n: tile.n + 1,
                    width: 1,
                    ..tile
                };
                for t in [wider, next] {
                    if t.width < 256 {
                        refused(&router, &format!("/{t}"), StatusCode::NOT_FOUND).await;
                    }
                }
                let full = Tile { width: 256, ..tile };
                refused(&router, &format!("/{full}"), StatusCode::NOT_FOUND).await;
            }
        }
    }
}

fn submit(
    ledger: &Ledger,
    w: &ledger_core::world::World,
    from: usize,
    to: usize,
    record_time: impl Fn(usize) -> u64,
) {
    let items = (from..to)
        .map(|i| Item {
            sub: w.accepted[i].submission().unwrap(),
            sig: ledger_core::rules::SigMode::Verify,
            record_time: Some(record_time(i)),
        })
        .collect();
    let (out, _) = ledger.submit_blocking(items).unwrap();
    for o in out {
        assert!(matches!(o, Outcome::Accepted { .. }), "{o:?}");
    }
}

/// A tlog-tiles reader over a real socket: the node's checkpoint verifies,
/// every tile it needs checks against it, every entry is a leaf with an
/// inclusion proof computed from tiles, and the vector's older checkpoint
/// (200 entries) is consistent with the node's.
/// A node's app on a real socket on 127.0.0.1 port 0.
struct Served {
    rt: tokio::runtime::Runtime,
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl Served {
    fn start(ledger: std::sync::Arc<Ledger>) -> Served {
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
        Served {
            rt,
            url: format!("http://{addr}"),
            stop: Some(stop_tx),
            server: Some(server),
        }
    }

    fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(h) = self.server.take() {
            self.rt.block_on(h).unwrap();
        }
    }
}

/// A tlog-tiles reader over a real socket: the node's checkpoint verifies,
/// every tile it needs checks against it, every entry is a leaf with an
/// inclusion proof computed from tiles, and the vector's older checkpoint
/// (200 entries) is consistent with the node's.
#[test]
fn a_reader_over_a_socket_checks_every_entry_and_consistency() {
    let (w, old_note, _) = tiles_world();
    let (ledger, _dir) = ledger_from(&w, Backend::Sled);
    let served = Served::start(ledger);
    let url = served.url.clone();
    let a = agent();
    let key = NoteKey::from_vkey(vector("size-300.json")["vkey"].as_str().unwrap()).unwrap();
    let note = a
        .get(&format!("{url}/checkpoint"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let cp = open_checkpoint(&note, &key).unwrap();
    let old = open_checkpoint(&old_note, &key).unwrap();
    let fetch = |t: &Tile| -> Result<Vec<u8>, String> {
        let mut r = a
            .get(&format!("{url}/{t}"))
            .call()
            .map_err(|e| e.to_string())?;
        if r.status() != 200 {
            return Err(format!("HTTP {}", r.status().as_u16()));
        }
        r.body_mut()
            .with_config()
            .limit(1 << 24)
            .read_to_vec()
            .map_err(|e| e.to_string())
    };
    let reader = TileHashReader::new(cp.size, cp.root, fetch).unwrap();
    let mut n = 0u64;
    for bundle in 0..cp.size.div_ceil(256) {
        for leaf in reader.entries(bundle).unwrap() {
            let proof = prove_inclusion(n, cp.size, &reader).unwrap();
            verify_inclusion(&leaf_hash(&leaf).0, n, cp.size, &proof, &cp.root.0).unwrap();
            assert_eq!(leaf, w.log.leaves()[n as usize]);
            n += 1;
        }
    }
    assert_eq!(n, cp.size);
    let proof = prove_consistency(old.size, cp.size, &reader).unwrap();
    verify_consistency(old.size, cp.size, &old.root.0, &cp.root.0, &proof).unwrap();
    // A reader asking for a tile beyond the checkpoint gets a 404.
    let beyond = Tile::entries(1, 45).unwrap();
    assert_eq!(fetch(&beyond), Err("HTTP 404".to_string()));
    served.stop();
}

/// Go's `golang.org/x/mod/sumdb/tlog` reads a node's tiles over a socket
/// (`spec/crosscheck/tiles/main.go`, C2SP paths): every entry proven into
/// the node's checkpoint, the older checkpoint's partial tiles served and
/// consistent, a tampered tile refused, 404 beyond the checkpoint. Skipped
/// without Go unless `MADINI_REQUIRE_GO` is set, as `ledger-core`'s
/// cross-check.
#[test]
fn go_reads_a_nodes_tiles_over_a_socket() {
    let (w, old_note, _) = tiles_world();
    for b in BACKENDS {
        let (ledger, dir) = ledger_from(&w, b);
        let old_file = dir.join("old-checkpoint");
        std::fs::write(&old_file, &old_note).unwrap();
        let served = Served::start(ledger);
        let vkey = vector("size-300.json")["vkey"]
            .as_str()
            .unwrap()
            .to_string();
        let Some(out) = common::go_run(
            "spec/crosscheck/tiles/main.go",
            &[
                OsStr::new(&served.url),
                OsStr::new(&vkey),
                old_file.as_os_str(),
            ],
        ) else {
            served.stop();
            return;
        };
        served.stop();
        printed(
            &format!("{b:?}: Go"),
            &out,
            &[
                "at the older checkpoint: tree size 200, 200 entries proven",
                ": tree size 300, 300 entries proven",
                "tree 200 consistent with tree 300",
                "entry 0 not proven through a tampered tile/0/000",
                "/tile/0/001.p/45: 404 beyond the checkpoint",
                "/tile/entries/001.p/45: 404 beyond the checkpoint",
                "every entry proven from tiles",
            ],
        );
    }
}

/// Cloudflare's `tlog_tiles` crate (`spec/crosscheck/rust/`) reads the
/// tiles a node serves over a socket: the checkpoint and every tile of
/// the node's size, and the partial tiles of the vector's older
/// checkpoint, fetched from the node and written in the vector layout,
/// on every backend.
#[test]
fn tlog_tiles_crate_reads_a_nodes_tiles() {
    use std::process::Command;
    let (w, old_note, _) = tiles_world();
    for b in BACKENDS {
        let (ledger, dir) = ledger_from(&w, b);
        let served = Served::start(ledger);
        let a = agent();
        let get = |path: &str| -> Vec<u8> {
            let mut r = a.get(&format!("{}/{path}", served.url)).call().unwrap();
            assert_eq!(r.status(), 200, "{b:?}: {path}");
            r.body_mut()
                .with_config()
                .limit(1 << 24)
                .read_to_vec()
                .unwrap()
        };
        let note = String::from_utf8(get("checkpoint")).unwrap();
        let vkey = vector("size-300.json")["vkey"].clone();
        let key = NoteKey::from_vkey(vkey.as_str().unwrap()).unwrap();
        let out = dir.join("fetched");
        std::fs::create_dir_all(&out).unwrap();
        for (file, note, tiles) in [
            ("size-300.json", &note, new_tiles(0, TILES_LOG_SIZE)),
            ("size-200.json", &old_note, partial_tiles(200)),
        ] {
            let cp = open_checkpoint(note, &key).unwrap();
            let listing: Vec<Value> = tiles
                .iter()
                .map(|t| {
                    serde_json::json!({"path": t.to_string(), "hex": ledger_core::hash::hex_encode(&get(&t.to_string()))})
                })
                .collect();
            let v = serde_json::json!({"vkey": vkey, "checkpoint": note, "tree_size": cp.size, "tiles": listing});
            std::fs::write(out.join(file), v.to_string()).unwrap();
        }
        served.stop();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let run = Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--locked",
                "--manifest-path",
                "spec/crosscheck/rust/Cargo.toml",
                "--",
            ])
            .arg(&out)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("crosscheck-rs"),
            )
            .output()
            .expect("run cargo");
        printed(
            &format!("{b:?}: tlog_tiles"),
            &run,
            &[
                "size-200.json: tree size 200, 200 entries proven",
                "size-300.json: tree size 300, 300 entries proven",
                "tree 200 consistent with tree 300",
                "every entry proven from tiles",
            ],
        );
    }
}
