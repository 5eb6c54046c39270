//! The node as a witness of other logs (`spec/log.md` section 7): the
//! witness key file (`witness.key`, beside `log.key`), the log list of
//! `--witness-logs`, and `POST /add-checkpoint`, which decides with
//! `ledger_core::witness` and keeps its state in the record
//! `witness/<origin hash>` through `LogStore::swap_record`, swapped before
//! it answers. Its bodies are C2SP's, never problem documents.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ledger_core::crypto::SecretKey;
use ledger_core::witness::{
    AddCheckpoint, BodyError, Checked, Cosigner, LogList, MAX_BODY_BYTES, TEXT_MEDIA_TYPE, Witness,
    WitnessError, record_key, witness_name,
};

use crate::api::AppState;
use crate::keyfile::{self, KeyFileError};
use crate::ledger::{NodeError, files};
use crate::logstore::{LogStore, RecordError};

/// How often a request decides again after its swap found the record
/// changed by another request, before it gives up with a 503.
const MAX_SWAPS: usize = 64;

/// Reads `DIR/witness.key`, or creates it (mode 0600, from the system's
/// randomness) when the directory has none: at `init`, and at the first
/// start of a directory made before witnesses existed.
///
/// # Errors
/// The key file's errors; no randomness.
pub fn load_or_create_key(dir: &Path) -> Result<SecretKey, NodeError> {
    let path = dir.join(files::WITNESS_KEY);
    if path.exists() {
        return Ok(keyfile::read(&path)?);
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| NodeError::Io(format!("no system randomness for the witness key: {e}")))?;
    let key = SecretKey::from_seed(&seed);
    match keyfile::write(&path, &key) {
        Ok(()) => {
            crate::ledger::dir::sync_dir(dir)?;
            Ok(key)
        }
        // Another process made it first: take that one.
        Err(KeyFileError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            Ok(keyfile::read(&path)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads a log list file (`--witness-logs`).
///
/// # Errors
/// A sentence naming the file and, for a list it refuses, the line.
pub fn read_log_list(path: &Path) -> Result<LogList, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--witness-logs {}: {e}", path.display()))?;
    text.parse()
        .map_err(|e| format!("--witness-logs {}: {e}", path.display()))
}

/// The witness of the log `origin`, signing with `key` for `logs`.
///
/// # Errors
/// An origin that is not a key name (never for an origin genesis took).
pub fn witness(origin: &str, key: SecretKey, logs: LogList) -> Result<Witness, NodeError> {
    let cosigner = Cosigner::new(&witness_name(origin), key)
        .map_err(|e| NodeError::Inconsistent(format!("witness key name: {e}")))?;
    Ok(Witness::new(cosigner, logs))
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn refused(e: &WitnessError) -> Response {
    if e.status() >= 500 {
        tracing::error!("add-checkpoint: {e}");
    }
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    text(status, e.content_type(), e.body())
}

fn unavailable(why: &str) -> Response {
    text(
        StatusCode::SERVICE_UNAVAILABLE,
        TEXT_MEDIA_TYPE,
        format!("{why}\n"),
    )
}

/// A storage failure: the details are the operator's (logged), the client
/// gets one line.
fn storage_failed(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!("add-checkpoint: {what}: {e}");
    text(
        StatusCode::INTERNAL_SERVER_ERROR,
        TEXT_MEDIA_TYPE,
        "the witness could not read or store its state\n".into(),
    )
}

/// Seconds since the epoch, from the system clock.
fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `POST /add-checkpoint` (C2SP tlog-witness; `spec/log.md` section 7).
pub async fn add_checkpoint(State(s): State<AppState>, req: Request) -> Response {
    let body = match axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return refused(&WitnessError::Malformed(BodyError::TooLarge)),
    };
    // Where several processes share a database only the sequencing one,
    // which holds the writer's lease, answers as a witness.
    if s.ledger.stopped().is_some() {
        return unavailable("this node does not hold the log's writer lease; ask again later");
    }
    let Some(w) = s.witness.clone() else {
        // A node without a witness follows no log: the empty list.
        return refused(&match AddCheckpoint::parse(&body) {
            Ok(r) => WitnessError::UnknownLog(r.checkpoint().origin.clone()),
            Err(e) => WitnessError::Malformed(e),
        });
    };
    let checked = match w.check(&body) {
        Ok(c) => c,
        Err(e) => return refused(&e),
    };
    let ledger = s.ledger.clone();
    let answer =
        tokio::task::spawn_blocking(move || decide_and_swap(&w, ledger.log_store(), &checked))
            .await;
    match answer {
        Ok(r) => r,
        Err(e) => storage_failed("the deciding task", e),
    }
}

/// Rules 5 to 7 against the stored record, and the compare-and-swap
/// before the 200; on a changed record, read and decide again.
fn decide_and_swap(w: &Witness, log: &dyn LogStore, checked: &Checked) -> Response {
    let key = record_key(checked.origin());
    for _ in 0..MAX_SWAPS {
        let current = match log.record(&key) {
            Ok(c) => c,
            Err(e) => return storage_failed(&format!("reading {key}"), e),
        };
        let stored = match current.as_deref().map(std::str::from_utf8).transpose() {
            Ok(s) => s,
            Err(_) => {
                return refused(&WitnessError::BadState(format!("{key} is not UTF-8")));
            }
        };
        let cosigned = match w.decide(checked, stored, now_secs()) {
            Ok(c) => c,
            Err(e) => return refused(&e),
        };
        match log.swap_record(&key, current.as_deref(), cosigned.record.as_bytes()) {
            Ok(()) => return text(StatusCode::OK, TEXT_MEDIA_TYPE, cosigned.line),
            Err(RecordError::Changed { .. }) => continue,
            Err(e) => return storage_failed(&format!("swapping {key}"), e),
        }
    }
    unavailable("too many concurrent requests for this log; ask again")
}
