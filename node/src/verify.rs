//! Signature checks for submissions, batched across concurrent requests.
//!
//! Handlers hand the signatures they can check before sequencing (those whose
//! key is known) to a pool of worker threads, one per core. A worker takes
//! everything queued at that moment (waiting up to `GATHER_WAIT` for at
//! least `GATHER`), up to `MAX_BATCH` signatures from many requests, and
//! checks it with `ledger_core::batch::verify_batch`, which
//! gives `verify_strict`'s verdicts; small amounts go to `verify_strict`
//! directly, where the batch's fixed cost would not pay off.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use ledger_core::batch::{Item, verify_batch};
use ledger_core::crypto::{PublicKey, Signature, verify_raw};

/// Most signatures one batch takes.
pub const MAX_BATCH: usize = 2048;
/// A worker holding fewer signatures than this waits up to `GATHER_WAIT`
/// for more before checking them.
pub const GATHER: usize = 512;
/// How long a worker waits to gather a batch.
pub const GATHER_WAIT: std::time::Duration = std::time::Duration::from_millis(1);
/// Fewer signatures than this are checked one by one.
pub const MIN_BATCH: usize = 64;
/// Fewer signatures than this are checked by the calling task.
pub const INLINE: usize = 4;

/// One signature: key, the signed message, signature.
pub type Check = (PublicKey, Vec<u8>, Signature);

struct Job {
    checks: Vec<Check>,
    reply: tokio::sync::oneshot::Sender<Vec<bool>>,
}

/// The worker pool.
pub struct Verifier {
    tx: Mutex<Option<Sender<Job>>>,
}

impl Verifier {
    /// Starts `threads` workers.
    pub fn start(threads: usize) -> Arc<Verifier> {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads.max(1) {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("verify-{n}"))
                .spawn(move || worker(&rx));
        }
        Arc::new(Verifier {
            tx: Mutex::new(Some(tx)),
        })
    }

    /// Checks `checks`; verdicts in the same order. A few signatures are
    /// checked right here: handing them to a worker costs two thread
    /// switches, more than `verify_strict` itself.
    pub async fn check(&self, checks: Vec<Check>) -> Vec<bool> {
        if checks.len() < INLINE {
            return checks
                .iter()
                .map(|(k, m, s)| verify_raw(k, m, s).is_ok())
                .collect();
        }
        let (reply, rx) = tokio::sync::oneshot::channel();
        let n = checks.len();
        let sent = self
            .tx
            .lock()
            .ok()
            .and_then(|tx| tx.as_ref().map(|tx| tx.send(Job { checks, reply }).is_ok()))
            .unwrap_or(false);
        if !sent {
            return vec![false; n];
        }
        rx.await.unwrap_or_else(|_| vec![false; n])
    }
}

impl Drop for Verifier {
    fn drop(&mut self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
    }
}

fn worker(rx: &Mutex<Receiver<Job>>) {
    loop {
        let mut jobs = Vec::new();
        {
            let Ok(guard) = rx.lock() else { return };
            let Ok(first) = guard.recv() else { return };
            let mut total = first.checks.len();
            jobs.push(first);
            // Take what is queued; below `GATHER`, wait up to `GATHER_WAIT`
            // for more, since a batch's torsion probes cost the same
            // whatever its size.
            let deadline = std::time::Instant::now() + GATHER_WAIT;
            while total < MAX_BATCH {
                let next = match guard.try_recv() {
                    Ok(j) => Some(j),
                    Err(_) if total < GATHER => {
                        let left = deadline.saturating_duration_since(std::time::Instant::now());
                        guard.recv_timeout(left).ok()
                    }
                    Err(_) => None,
                };
                let Some(j) = next else { break };
                total += j.checks.len();
                jobs.push(j);
            }
        }
        let all: Vec<&Check> = jobs.iter().flat_map(|j| j.checks.iter()).collect();
        let verdicts = if all.len() >= MIN_BATCH {
            let mut seed = [0u8; 32];
            if getrandom::fill(&mut seed).is_ok() {
                let items: Vec<Item<'_>> = all
                    .iter()
                    .map(|(k, m, s)| Item {
                        key: k,
                        message: m,
                        signature: s,
                    })
                    .collect();
                verify_batch(&items, &seed)
            } else {
                all.iter()
                    .map(|(k, m, s)| verify_raw(k, m, s).is_ok())
                    .collect()
            }
        } else {
            all.iter()
                .map(|(k, m, s)| verify_raw(k, m, s).is_ok())
                .collect()
        };
        let mut it = verdicts.into_iter();
        for j in jobs {
            let v: Vec<bool> = it.by_ref().take(j.checks.len()).collect();
            let _ = j.reply.send(v);
        }
    }
}
