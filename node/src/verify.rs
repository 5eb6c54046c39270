//! Signature checks for submissions, batched across concurrent requests.
//!
//! Handlers hand the signatures they can check before sequencing (those whose
//! key is known) to ledger-core's signature pool, one worker per core. A
//! worker takes everything queued at that moment (waiting up to
//! `GATHER_WAIT` for at least `GATHER`), up to `MAX_BATCH` signatures from
//! many requests, and checks it with strict-equivalent batch verification;
//! small amounts go to `verify_strict` directly, where the batch's fixed cost
//! would not pay off.

use std::sync::Arc;

use ledger_core::crypto::verify_raw;
use ledger_core::pool::{PoolConfig, SigPool};

pub use ledger_core::pool::Check;

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

/// The node's signature pool.
pub struct Verifier {
    pool: SigPool,
}

impl Verifier {
    /// Starts `threads` workers. Batch verification's coefficients derive
    /// from a secret seed drawn here; without one from the system, every
    /// signature is checked on its own with `verify_strict`.
    pub fn start(threads: usize) -> Arc<Verifier> {
        let mut seed = [0u8; 32];
        let min_batch = if getrandom::fill(&mut seed).is_ok() {
            MIN_BATCH
        } else {
            usize::MAX
        };
        let config = PoolConfig {
            threads: threads.max(1),
            max_batch: MAX_BATCH,
            gather: GATHER,
            gather_wait: GATHER_WAIT,
            min_batch,
            max_queued: 0,
        };
        Arc::new(Verifier {
            pool: SigPool::start(config, seed, "verify"),
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
        let n = checks.len();
        let (reply, rx) = tokio::sync::oneshot::channel();
        self.pool.submit(checks, move |verdicts| {
            // The request may have gone (client hung up): nothing to tell.
            let _ = reply.send(verdicts);
        });
        rx.await.unwrap_or_else(|_| vec![false; n])
    }
}
