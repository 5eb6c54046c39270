//! `madini-node fsck`: checks a data directory without changing it. It
//! replays the whole journal through the rules (every signature and link),
//! compares the indexes with the replay, and checks every signed checkpoint
//! against the replayed tree.

use std::path::Path;

use ledger_core::hash::leaf_hash;
use ledger_core::log::MemLog;
use ledger_core::merkle;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::rules::SigMode;
use ledger_core::state::StateRead;

use crate::journal::Journal;
use crate::keyfile;
use crate::ledger::files;
use crate::store::Store;

/// What fsck found.
#[derive(Debug, Default)]
pub struct FsckReport {
    /// Entries in the journal.
    pub entries: u64,
    /// Signed checkpoints found.
    pub checkpoints: u64,
    /// Problems, one sentence each.
    pub problems: Vec<String>,
    /// Notes that are not problems (a torn tail that start-up will cut).
    pub notes: Vec<String>,
}

/// Checks `dir`. `store` is the opened index (or `None` to skip comparing it).
pub fn fsck(dir: &Path, store: Option<&dyn Store>) -> FsckReport {
    let mut r = FsckReport::default();
    let mut leaves = Vec::new();
    let mut boundaries = std::collections::BTreeSet::new();
    match Journal::scan(&dir.join(files::LEAVES), |p, payload| {
        leaves.push(payload.to_vec());
        if p.commit {
            boundaries.insert(leaves.len() as u64);
        }
        Ok(())
    }) {
        Ok(tail) if tail.cut_bytes > 0 => r.notes.push(format!(
            "the leaves journal ends with a torn record of {} bytes (never acknowledged); start-up will cut it",
            tail.cut_bytes
        )),
        Ok(_) => {}
        Err(e) => r.problems.push(e.to_string()),
    }
    r.entries = leaves.len() as u64;
    if let Some(&b) = boundaries.last()
        && b < r.entries
    {
        r.notes.push(format!(
                "{} leaves at the end never completed their group commit (never acknowledged); start-up will cut them",
                r.entries - b
            ));
    }
    let mut log = MemLog::new();
    for (i, l) in leaves.iter().enumerate() {
        if let Err(e) = log.replay(l, SigMode::Verify) {
            r.problems.push(format!("entry {i} does not replay: {e}"));
            break;
        }
    }
    let replayed = log.size();
    let key = match keyfile::read(&dir.join(files::LOG_KEY)) {
        Ok(k) => Some(k.public()),
        Err(e) => {
            r.problems.push(e.to_string());
            None
        }
    };
    let origin = log.state.origin().ok().flatten();
    let mut notes = Vec::new();
    if let Err(e) = Journal::scan(&dir.join(files::CHECKPOINTS), |_, p| {
        notes.push(String::from_utf8_lossy(p).into_owned());
        Ok(())
    }) {
        r.problems.push(e.to_string());
    }
    r.checkpoints = notes.len() as u64;
    if let (Some(pk), Some(origin)) = (key, origin) {
        match NoteKey::new(&origin, pk) {
            Err(e) => r.problems.push(format!("log key: {e}")),
            Ok(nk) => {
                let mut last = 0;
                for (k, n) in notes.iter().enumerate() {
                    match open_checkpoint(n, &nk) {
                        Err(e) => r.problems.push(format!("checkpoint {k}: {e}")),
                        Ok(cp) => {
                            if cp.size < last {
                                r.problems.push(format!(
                                    "checkpoint {k}: tree size {} is smaller than an earlier checkpoint's {last}",
                                    cp.size
                                ));
                            }
                            last = last.max(cp.size);
                            if !boundaries.contains(&cp.size) {
                                r.problems.push(format!(
                                    "checkpoint {k} (size {}) does not end a group commit of the journal",
                                    cp.size
                                ));
                            }
                            if cp.size > replayed {
                                r.problems.push(format!(
                                    "checkpoint {k} covers {} entries but only {replayed} replay: signed entries are missing",
                                    cp.size
                                ));
                            } else if merkle::tree_hash(cp.size, &log.tree).ok() != Some(cp.root) {
                                r.problems.push(format!(
                                    "checkpoint {k} (size {}) has a root that differs from the journal's: the log was rewritten",
                                    cp.size
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(store) = store {
        compare_store(store, &log, &leaves, &mut r);
    }
    r
}

fn compare_store(store: &dyn Store, log: &MemLog, leaves: &[Vec<u8>], r: &mut FsckReport) {
    let indexed = match store.size() {
        Ok(n) => n,
        Err(e) => {
            r.problems.push(format!("index: {e}"));
            return;
        }
    };
    if indexed > log.size() {
        r.problems.push(format!(
            "the index holds {indexed} entries, the journal only {}",
            log.size()
        ));
    } else if indexed < log.size() {
        r.notes.push(format!(
            "the index is {} entries behind the journal; start-up will catch up",
            log.size() - indexed
        ));
    }
    let n = indexed.min(log.size());
    for i in 0..n {
        if store.read_hash(0, i).ok() != Some(leaf_hash(&leaves[i as usize])) {
            r.problems.push(format!(
                "index: leaf hash of entry {i} differs from the journal; run `madini-node reindex`"
            ));
            return;
        }
    }
    if n > 0 && merkle::tree_hash(n, store).ok() != merkle::tree_hash(n, &log.tree).ok() {
        r.problems.push(format!(
            "index: the Merkle root at size {n} differs; run `madini-node reindex`"
        ));
    }
    if indexed == log.size() {
        for lot in log.state.lots() {
            if store.lot(&lot.id).ok().flatten().as_ref() != Some(lot) {
                r.problems.push(format!(
                    "index: the state of lot {} differs from the replay; run `madini-node reindex`",
                    lot.id
                ));
                return;
            }
        }
    }
}
