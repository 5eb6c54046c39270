//! The demo ledger of `madini-node serve --demo`: the scenario generator's
//! regional supply chain (a few hundred lots, a handful of planted
//! anomalies), signed by its demo actors with the same ledger-core code the
//! CLI uses, and fed through the node's own sequencer, so every event is
//! checked as a submission would be. Record times are taken from the
//! simulation (the history spans months) instead of the clock; that is the
//! only difference from a live submission.

use std::path::Path;
use std::sync::Arc;

use ledger_core::leaf::Leaf;
use ledger_core::scenario::{self, Config};
use ledger_core::world::World;

use crate::ledger::{self, Genesis, Item, Ledger, NodeError, Outcome};
use crate::store::Store;

/// The origin of the demo log.
pub const ORIGIN: &str = scenario::DEMO_ORIGIN;

/// The demo scenario for a ledger created at `now` (ms): see
/// `ledger_core::scenario::demo_config`.
pub fn config(now: u64) -> Config {
    scenario::demo_config(now)
}

/// What building the demo did.
#[derive(Debug)]
pub struct DemoReport {
    /// Entries written.
    pub entries: u64,
    /// Planted anomalies.
    pub planted: Vec<scenario::Planted>,
}

/// Creates the demo ledger in the empty directory `dir` and loads it.
///
/// # Errors
/// If the directory already holds a ledger, or the node refuses an event
/// (which would be a bug: the generator's events all passed the same rules).
pub fn create(
    dir: &Path,
    now: u64,
    store: Arc<dyn Store>,
) -> Result<(Arc<Ledger>, DemoReport), NodeError> {
    let s = scenario::generate(&config(now));
    let ledger = load_world(dir, &s.main, store)?;
    let entries = ledger.checkpoint().size;
    Ok((
        ledger,
        DemoReport {
            entries,
            planted: s.planted,
        },
    ))
}

/// Creates a ledger in `dir` holding exactly the log `w` built (same
/// leaves, same root): genesis through `init`, every other event through the
/// sequencer with the record times `w` gave it.
///
/// # Errors
/// As `create`.
pub fn load_world(dir: &Path, w: &World, store: Arc<dyn Store>) -> Result<Arc<Ledger>, NodeError> {
    let leaves = w.log.leaves();
    let record_time = |i: usize| Leaf::decode(&leaves[i]).map(|l| l.record_time).unwrap_or(0);
    ledger::init(
        dir,
        &w.log_key,
        &Genesis {
            event: w.accepted[0].clone(),
            record_time: record_time(0),
        },
    )?;
    let (ledger, _) = Ledger::open(dir, store)?;
    for (chunk_no, chunk) in w.accepted[1..].chunks(500).enumerate() {
        let items = chunk
            .iter()
            .enumerate()
            .map(|(k, ev)| {
                let sub = ev
                    .submission()
                    .map_err(|r| NodeError::Inconsistent(format!("event refused: {r}")))?;
                Ok(Item {
                    sub,
                    sig: ledger_core::rules::SigMode::Verify,
                    record_time: Some(record_time(1 + chunk_no * 500 + k)),
                })
            })
            .collect::<Result<Vec<_>, NodeError>>()?;
        let (outcomes, _) = ledger.submit_blocking(items).map_err(NodeError::Io)?;
        for o in outcomes {
            match o {
                Outcome::Accepted { .. } | Outcome::Existing { .. } => {}
                Outcome::Refused(r) => {
                    return Err(NodeError::Inconsistent(format!("event refused: {r}")));
                }
                Outcome::Failed(f) => return Err(NodeError::Io(f)),
            }
        }
    }
    if ledger.checkpoint().root != w.log.root() {
        return Err(NodeError::Inconsistent(
            "the loaded ledger's root differs from the generator's".into(),
        ));
    }
    Ok(ledger)
}
