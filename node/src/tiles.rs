//! The C2SP tlog-tiles endpoints (`spec/log.md` section 6): `GET /tile/...`
//! (hash tiles and entry bundles) and `GET /checkpoint`, read through the
//! storage traits, so every backend serves them. Their bodies and statuses
//! are C2SP's: the bytes, or one line of plain text with a 400 or 404,
//! never a problem document (`spec/http.md`, "Problems").

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ledger_core::tiles::{Tile, TileKind, encode_entry_bundle};

use crate::api::AppState;
use crate::logstore::LogStore;
use crate::store::stored_hash_index;

/// `Cache-Control` of a tile: the bytes at a tile's path never change,
/// partial tiles included (the path names the width).
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of `/checkpoint`: it changes with every group commit.
pub const CHECKPOINT_CACHE: &str = "no-cache";

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        format!("{body}\n"),
    )
        .into_response()
}

/// `GET /checkpoint`: the latest checkpoint, the note `GET /v1/log` and
/// submissions carry (`spec/log.md` section 3).
pub async fn checkpoint(State(s): State<AppState>) -> Response {
    let cp = s.ledger.checkpoint();
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, CHECKPOINT_CACHE),
        ],
        cp.note.clone(),
    )
        .into_response()
}

/// `GET /tile/{*path}`: a hash tile or an entry bundle, if the latest
/// checkpoint covers it; 400 for a malformed path, 404 for a tile the node
/// does not serve.
pub async fn tile(
    State(s): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    // The longest tile path is 53 bytes (`tile/entries/` and seven index
    // groups with a width): anything longer is malformed, and not echoed.
    let rest = match path {
        Ok(Path(rest)) if rest.len() <= 64 => rest,
        _ => return text(StatusCode::BAD_REQUEST, "malformed tile path".into()),
    };
    let path = format!("tile/{rest}");
    let tile: Tile = match path.parse() {
        Ok(t) => t,
        Err(e) => return text(StatusCode::BAD_REQUEST, e.to_string()),
    };
    // One checkpoint per request: a client that read `/checkpoint` before
    // finds every tile that checkpoint needs (the tree only grows).
    let size = s.ledger.checkpoint().size;
    if !tile.served_at(size) {
        return text(
            StatusCode::NOT_FOUND,
            format!("{tile} is not in the tree of the latest checkpoint ({size} entries)"),
        );
    }
    match tile_bytes(s.ledger.log_store(), &tile) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (header::CACHE_CONTROL, IMMUTABLE),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            // The details are the operator's; a reader gets a bare 500.
            tracing::error!("serving {tile}: {e}");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the node could not read this tile".into(),
            )
        }
    }
}

/// The bytes of a tile the tree of `store` holds: what `GET /tile/...`
/// serves and `crate::publish` writes. The caller checks that a checkpoint
/// covers it (`Tile::served_at`).
///
/// # Errors
/// A storage failure, as text for the operator.
pub fn tile_bytes(store: &dyn LogStore, tile: &Tile) -> Result<Vec<u8>, String> {
    match tile.kind {
        TileKind::Hashes(_) => hash_tile(store, tile),
        TileKind::Entries => entry_bundle(store, tile),
    }
}

/// A hash tile's hashes in one batched read through `LogStore::read_hashes`
/// (`spec/storage.md`, "Reads"). At level 0 the tile's leaf hashes lie,
/// with the subtree roots they complete, in one run of consecutive stored
/// positions, which the embedded store reads in one `pread`; higher levels
/// are spread out and read one by one.
fn hash_tile(store: &dyn LogStore, tile: &Tile) -> Result<Vec<u8>, String> {
    let (level, first) = tile
        .hash_range()
        .ok_or_else(|| format!("{tile} is not a hash tile"))?;
    let width = u64::from(tile.width);
    let positions: Vec<u64> = (first..first + width)
        .map(|i| stored_hash_index(level, i))
        .collect();
    let (lo, hi) = (positions[0], positions[positions.len() - 1]);
    let hashes = if level == 0 {
        let span: Vec<u64> = (lo..=hi).collect();
        let all = store.read_hashes(&span).map_err(|e| e.to_string())?;
        positions.iter().map(|p| all[(p - lo) as usize]).collect()
    } else {
        store.read_hashes(&positions).map_err(|e| e.to_string())?
    };
    Ok(hashes.iter().flat_map(|h| h.0).collect())
}

fn entry_bundle(store: &dyn LogStore, tile: &Tile) -> Result<Vec<u8>, String> {
    let from = tile.n * 256;
    let to = from + u64::from(tile.width);
    let leaves = store
        .leaves(from, to)
        .map(|r| r.map(|(_, leaf)| leaf))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    encode_entry_bundle(tile, &leaves).map_err(|e| e.to_string())
}
