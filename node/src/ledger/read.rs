//! The read side of a ledger: leaves, proofs, histories, lot chains and
//! provenance, bundles, all bounded by the latest published checkpoint and
//! read through the `LogStore` only.

use ledger_core::bundle::{self, Bundle, LogIndex, Ref};
use ledger_core::crypto::KeyId;
use ledger_core::event::{Body, LotLink};
use ledger_core::hash::Hash;
use ledger_core::merkle::{self, TreeError};
use ledger_core::state::{KeyOwner, StateError};
use ledger_core::types::Id;

use super::{Ledger, NodeError, decode_entry};

impl Ledger {
    /// The encoded leaf at `index`, if it is covered by the latest checkpoint.
    ///
    /// # Errors
    /// I/O.
    pub fn leaf(&self, index: u64) -> Result<Option<Vec<u8>>, NodeError> {
        if index >= self.checkpoint().size {
            return Ok(None);
        }
        Ok(self.log.leaf(index)?)
    }

    /// The encoded leaves `from..to` (`to` at most the checkpoint's size),
    /// read in order through one stream (`LogStore::leaves`, each record
    /// checked) rather than a read a leaf: for reports and exports over the
    /// whole log.
    pub fn leaves(
        &self,
        from: u64,
        to: u64,
    ) -> impl Iterator<Item = Result<(u64, Vec<u8>), NodeError>> + '_ {
        let to = to.min(self.checkpoint().size);
        self.log
            .leaves(from, to.max(from))
            .map(|r| r.map_err(NodeError::from))
    }

    /// Inclusion proof of `index` in the tree of `size` (at most the checkpoint's).
    ///
    /// # Errors
    /// `TreeError::Range` for out-of-range arguments.
    pub fn prove_inclusion(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError> {
        if size > self.checkpoint().size {
            return Err(TreeError::Range(
                "tree size is beyond the latest checkpoint",
            ));
        }
        merkle::prove_inclusion(index, size, self.log.indexes())
    }

    /// Consistency proof from `from` to `to` (at most the checkpoint's size).
    ///
    /// # Errors
    /// `TreeError::Range` for out-of-range arguments.
    pub fn prove_consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, TreeError> {
        if to > self.checkpoint().size {
            return Err(TreeError::Range(
                "tree size is beyond the latest checkpoint",
            ));
        }
        merkle::prove_consistency(from, to, self.log.indexes())
    }

    /// The leaf hash of `index`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, TreeError> {
        self.log.indexes().read_hash(0, index)
    }

    /// Indexes of the events in `r`'s history, up to the checkpoint. A lot's
    /// history is not indexed: it is its hash chain, walked back from its
    /// head through the event index (`ARCHITECTURE.md`, "Storage").
    ///
    /// # Errors
    /// Storage errors, or a chain that does not hold together.
    pub fn history(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        let size = self.checkpoint().size;
        let all = match r {
            Ref::Lot(lot) => self.lot_chain(lot)?,
            _ => self.log.indexes().entries(r)?,
        };
        Ok(all.into_iter().filter(|i| *i < size).collect())
    }

    /// The entries of a lot's provenance: its own chain and the chains of
    /// every lot it came from (through splits, merges and processing), in
    /// log order.
    ///
    /// # Errors
    /// Storage errors, or a chain that does not hold together.
    pub fn provenance(&self, lot: &str) -> Result<Vec<u64>, StateError> {
        let size = self.checkpoint().size;
        let mut seen_lots = std::collections::BTreeSet::new();
        let mut todo = vec![lot.to_string()];
        let mut out = std::collections::BTreeSet::new();
        while let Some(l) = todo.pop() {
            if !seen_lots.insert(l.clone()) {
                continue;
            }
            for index in self.lot_chain(&l)? {
                out.insert(index);
                let bytes = self.read_leaf(index)?;
                let (_, ev) = decode_entry(&bytes).map_err(StateError)?;
                if ev.lot_link(&l) != LotLink::Creates {
                    continue;
                }
                match &ev.body {
                    Body::LotSplit(b) => todo.push(b.lot.to_string()),
                    Body::LotMerge(b) => todo.extend(b.inputs.iter().map(|i| i.lot.to_string())),
                    Body::LotProcess(b) => {
                        todo.extend(b.inputs.iter().map(|i| i.lot.to_string()));
                    }
                    _ => {}
                }
            }
        }
        Ok(out.into_iter().filter(|i| *i < size).collect())
    }

    fn lot_chain(&self, lot: &str) -> Result<Vec<u64>, StateError> {
        let store = self.log.indexes();
        let Some(state) = store.lot(lot)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut at = state.head;
        loop {
            let index = store.event_index(&at)?.ok_or_else(|| {
                StateError(format!("lot {lot}: event {at} of its chain is not indexed"))
            })?;
            out.push(index);
            let bytes = self.read_leaf(index)?;
            let (_, ev) = decode_entry(&bytes).map_err(StateError)?;
            match ev.lot_link(lot) {
                LotLink::Follows(prev) => at = prev,
                LotLink::Creates => break,
                LotLink::None => {
                    return Err(StateError(format!(
                        "lot {lot}: entry {index} is not in its chain"
                    )));
                }
            }
            if out.len() > 1_000_000 {
                return Err(StateError(format!("lot {lot}: chain does not end")));
            }
        }
        out.reverse();
        Ok(out)
    }

    /// A committed leaf (possibly beyond the checkpoint: lot chains are
    /// filtered by it afterwards).
    fn read_leaf(&self, index: u64) -> Result<Vec<u8>, StateError> {
        self.log
            .leaf(index)?
            .ok_or_else(|| StateError(format!("no entry {index}")))
    }

    /// The offline bundle of `lot` against the latest checkpoint.
    ///
    /// # Errors
    /// Storage errors.
    pub fn bundle(&self, lot: &Id) -> Result<Bundle, StateError> {
        let cp = self.checkpoint();
        bundle::build_bundle(self, lot, &self.origin, &cp.note, cp.size, |i, n| {
            merkle::prove_inclusion(i, n, self.log.indexes()).map_err(|e| StateError(e.to_string()))
        })
    }

    /// The actor that owns a key.
    ///
    /// # Errors
    /// Storage errors.
    pub fn key_actor(&self, key: &KeyId) -> Result<Option<Id>, StateError> {
        Ok(self.log.indexes().key(key)?.and_then(|k| match k.owner {
            KeyOwner::Actor(a) => Some(a),
            KeyOwner::Log => None,
        }))
    }
}

impl LogIndex for Ledger {
    fn entries(&self, r: &Ref) -> Result<Vec<u64>, StateError> {
        self.history(r)
    }
    fn leaf(&self, index: u64) -> Result<Vec<u8>, StateError> {
        Ledger::leaf(self, index)
            .map_err(|e| StateError(e.to_string()))?
            .ok_or_else(|| StateError(format!("no entry {index}")))
    }
    fn key_owner(&self, key: &KeyId) -> Result<Option<Id>, StateError> {
        self.key_actor(key)
    }
}
