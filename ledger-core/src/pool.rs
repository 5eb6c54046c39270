//! The signature-check pool: worker threads that check signatures off the
//! caller's thread, gathering what is queued into batches for
//! [`crate::batch::verify_batch`], so every verdict is `verify_strict`'s.
//! The node (signatures of concurrent requests), the auditor (a whole log)
//! and the bundle verifier (one lot's entries) all check through it.
//!
//! The pool takes no randomness of its own: the caller gives a secret seed
//! and each batch's coefficients are derived from it. Its one use of time is
//! the gathering wait of [`PoolConfig::gather_wait`], which changes how
//! signatures are grouped into batches, never a verdict.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::batch::{Item, verify_batch};
use crate::crypto::{PublicKey, Signature, verify_raw};

/// One signature to check: the key, the exact signed (domain-separated)
/// message, the signature.
pub type Check = (PublicKey, Vec<u8>, Signature);

/// How a pool groups and checks signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// Worker threads. With 0, nothing is checked until
    /// [`SigPool::finish`], on the caller's thread.
    pub threads: usize,
    /// Most signatures a worker takes at once (it stops taking jobs once it
    /// holds this many).
    pub max_batch: usize,
    /// A worker holding fewer signatures than this waits up to
    /// `gather_wait` for more: a batch's fixed cost (its torsion probes) is
    /// the same whatever its size.
    pub gather: usize,
    /// How long a worker waits to gather `gather` signatures.
    pub gather_wait: Duration,
    /// Fewer signatures than this are checked one by one with
    /// `verify_strict`, where a batch's fixed cost would not pay off.
    pub min_batch: usize,
    /// Jobs that may wait in the queue before [`SigPool::submit`] blocks
    /// (bounding the memory of signed messages held); 0 for no bound.
    pub max_queued: usize,
}

type Done = Box<dyn FnOnce(Vec<bool>) + Send>;

struct Job {
    checks: Vec<Check>,
    done: Done,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
    /// A worker is gathering a batch: the others leave new jobs to it.
    gathering: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when a job arrives for an idle worker, or the queue closes.
    ready: Condvar,
    /// Signalled when a job arrives while a worker gathers.
    more: Condvar,
    /// Signalled when a job leaves the queue.
    room: Condvar,
    config: PoolConfig,
    seed: [u8; 32],
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock leaves the queue consistent (every
        // change to it is a single push or pop), so carry on.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Worker threads checking signatures; see the module documentation.
pub struct SigPool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

impl SigPool {
    /// Starts `config.threads` workers named `name-N`. `seed` must be 32
    /// secret random bytes: batch verification's coefficients are derived
    /// from it.
    ///
    /// # Panics
    /// If the system cannot start a thread.
    pub fn start(config: PoolConfig, seed: [u8; 32], name: &str) -> SigPool {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            ready: Condvar::new(),
            more: Condvar::new(),
            room: Condvar::new(),
            config,
            seed,
        });
        let workers = (0..config.threads)
            .map(|n| {
                let shared = shared.clone();
                std::thread::Builder::new()
                    .name(format!("{name}-{n}"))
                    .spawn(move || {
                        let mut batches = 0u64;
                        while let Some(jobs) = take(&shared, true) {
                            check(&shared, jobs, n as u64, batches);
                            batches += 1;
                        }
                    })
                    .expect("the system could not start a signature worker thread")
            })
            .collect();
        SigPool { shared, workers }
    }

    /// Queues `checks`; `done` gets their verdicts in the same order, on a
    /// worker thread (or on the thread that calls `finish`). Blocks while
    /// `max_queued` jobs wait. On a closed pool, `done` is called at once
    /// with every verdict false.
    pub fn submit(&self, checks: Vec<Check>, done: impl FnOnce(Vec<bool>) + Send + 'static) {
        let mut q = self.shared.lock();
        let bound = self.shared.config.max_queued;
        while bound > 0 && q.jobs.len() >= bound && !q.closed && !self.workers.is_empty() {
            q = self
                .shared
                .room
                .wait(q)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if q.closed {
            drop(q);
            let n = checks.len();
            done(vec![false; n]);
            return;
        }
        q.jobs.push_back(Job {
            checks,
            done: Box::new(done),
        });
        let gathering = q.gathering;
        drop(q);
        if gathering {
            self.shared.more.notify_one();
        } else {
            self.shared.ready.notify_one();
        }
    }

    /// Closes the queue, checks what is still queued on this thread beside
    /// the workers, and waits for the workers to end.
    ///
    /// # Panics
    /// If a worker panicked (a bug in signature checking): the panic is
    /// passed on.
    pub fn finish(mut self) {
        self.close();
        let mut batches = 0u64;
        while let Some(jobs) = take(&self.shared, false) {
            check(&self.shared, jobs, u64::MAX, batches);
            batches += 1;
        }
        for w in std::mem::take(&mut self.workers) {
            if let Err(panic) = w.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }

    fn close(&self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_all();
        self.shared.more.notify_all();
        self.shared.room.notify_all();
    }
}

impl Drop for SigPool {
    /// Closes the queue; the workers check what is queued and end.
    fn drop(&mut self) {
        self.close();
    }
}

/// The next jobs to check together: the first queued (waiting for one when
/// `wait`), then whatever else is queued up to `max_batch` signatures,
/// waiting up to `gather_wait` while fewer than `gather` are held. One
/// worker gathers at a time, so jobs that arrive meanwhile join its batch
/// instead of starting small ones. `None` when the queue is closed and empty
/// (or empty and not `wait`).
fn take(shared: &Shared, wait: bool) -> Option<Vec<Job>> {
    let c = shared.config;
    let mut q = shared.lock();
    let first = loop {
        if !q.gathering
            && let Some(j) = q.jobs.pop_front()
        {
            break j;
        }
        if q.closed && q.jobs.is_empty() {
            return None;
        }
        if !wait {
            if q.jobs.is_empty() {
                return None;
            }
            // Closed and a worker still gathering: take a job beside it.
            if let Some(j) = q.jobs.pop_front() {
                break j;
            }
        }
        q = shared.ready.wait(q).unwrap_or_else(PoisonError::into_inner);
    };
    let mut total = first.checks.len();
    let mut jobs = vec![first];
    let deadline = (wait && total < c.gather && !c.gather_wait.is_zero())
        .then(|| Instant::now() + c.gather_wait);
    q.gathering = deadline.is_some();
    while total < c.max_batch {
        if let Some(j) = q.jobs.pop_front() {
            total += j.checks.len();
            jobs.push(j);
            continue;
        }
        let Some(deadline) = deadline.filter(|_| total < c.gather && !q.closed) else {
            break;
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        q = shared
            .more
            .wait_timeout(q, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    let left_over = !q.jobs.is_empty();
    q.gathering = false;
    drop(q);
    if left_over {
        shared.ready.notify_one();
    }
    shared.room.notify_all();
    Some(jobs)
}

/// Checks a group of jobs and hands each its verdicts.
fn check(shared: &Shared, jobs: Vec<Job>, worker: u64, batch: u64) {
    let all: Vec<&Check> = jobs.iter().flat_map(|j| j.checks.iter()).collect();
    let verdicts = if all.len() >= shared.config.min_batch.max(2) {
        // A fresh secret seed per batch, derived from the pool's.
        let mut h = Sha256::new();
        h.update(b"madini/pool-seed/v1\0");
        h.update(shared.seed);
        h.update(worker.to_le_bytes());
        h.update(batch.to_le_bytes());
        let seed: [u8; 32] = h.finalize().into();
        let items: Vec<Item<'_>> = all
            .iter()
            .map(|(key, message, signature)| Item {
                key,
                message,
                signature,
            })
            .collect();
        verify_batch(&items, &seed)
    } else {
        all.iter()
            .map(|(k, m, s)| verify_raw(k, m, s).is_ok())
            .collect()
    };
    let mut it = verdicts.into_iter();
    for j in jobs {
        let v: Vec<bool> = it.by_ref().take(j.checks.len()).collect();
        (j.done)(v);
    }
}

/// `f` applied to every item, in order, on up to `threads` threads (the
/// caller's among them), each taking one contiguous part of `items`.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let part = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut parts = items.chunks(part);
        let first = parts.next().unwrap_or(&[]);
        let handles: Vec<_> = parts
            .map(|p| scope.spawn(move || p.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        for h in handles {
            // A worker only panics if `f` panics, which is a bug: pass it on.
            out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;
    use std::sync::mpsc;

    fn checks(n: usize, bad: &[usize]) -> Vec<Check> {
        let k = SecretKey::from_seed(&[3; 32]);
        (0..n)
            .map(|i| {
                let m = format!("message {i}").into_bytes();
                let mut s = k.sign_raw(&m);
                if bad.contains(&i) {
                    s[0] ^= 1;
                }
                (k.public(), m, s)
            })
            .collect()
    }

    fn config(threads: usize, min_batch: usize) -> PoolConfig {
        PoolConfig {
            threads,
            max_batch: 256,
            gather: 64,
            gather_wait: Duration::from_millis(1),
            min_batch,
            max_queued: 2,
        }
    }

    #[test]
    fn verdicts_come_back_in_order_batched_or_not() {
        for (threads, min_batch) in [(0, 0), (1, 0), (2, 4), (2, usize::MAX)] {
            let pool = SigPool::start(config(threads, min_batch), [9; 32], "test");
            let (tx, rx) = mpsc::channel();
            for job in 0..6usize {
                let tx = tx.clone();
                let bad = [job, 2 * job + 1];
                pool.submit(checks(10 + job * 7, &bad), move |v| {
                    tx.send((job, v)).unwrap();
                });
            }
            pool.finish();
            drop(tx);
            let mut got: Vec<(usize, Vec<bool>)> = rx.iter().collect();
            got.sort();
            assert_eq!(got.len(), 6, "{threads} threads");
            for (job, v) in got {
                assert_eq!(v.len(), 10 + job * 7);
                for (i, ok) in v.iter().enumerate() {
                    assert_eq!(
                        *ok,
                        i != job && i != 2 * job + 1,
                        "job {job}, signature {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_closed_pool_answers_false() {
        let pool = SigPool::start(config(1, 0), [1; 32], "test");
        pool.close();
        let (tx, rx) = mpsc::channel();
        pool.submit(checks(3, &[]), move |v| tx.send(v).unwrap());
        assert_eq!(rx.recv().unwrap(), vec![false; 3]);
        pool.finish();
    }
}
