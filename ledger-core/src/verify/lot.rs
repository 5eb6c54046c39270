//! Lot scope (`spec/verifier.md` section 2): one lot's bundle, offline.
//! `bundle::verify_bundle` checks the checkpoint signature, every inclusion
//! proof, the chain links and every signature while replaying the rules;
//! then the entries are replayed once more for the analyzer. Rules that
//! need the whole log are listed as not checked.

use super::analyze::{Analyzer, Seen};
use super::{Policy, Report, integrity, msg};
use crate::bundle::{Bundle, verify_bundle};
use crate::hash::Hash;
use crate::note::NoteKey;
use crate::rules::Signer;
use crate::state::MemState;

/// Rules a bundle cannot decide: they need every entry of the log.
pub const NOT_IN_LOT_SCOPE: [&str; 3] = [
    "site-capacity (needs every registration at the site)",
    "stock-balance over time (needs every movement of the actors' stock)",
    "tag-reuse in other logs (needs those logs)",
];

/// A lot-scope report.
pub type LotReport = Report;

/// Verifies a bundle against the trusted log key and computes the findings
/// its entries can decide.
pub fn verify_lot(bundle: &Bundle, trusted: &NoteKey, policy: &Policy) -> LotReport {
    let not_checked: Vec<String> = NOT_IN_LOT_SCOPE.iter().map(|s| s.to_string()).collect();
    let vb = match verify_bundle(bundle, trusted) {
        Ok(vb) => vb,
        Err(e) => {
            let msg = e.to_string();
            let index = match &e {
                crate::bundle::BundleError::Entry { index, .. }
                | crate::bundle::BundleError::Replay { index, .. } => Some(*index),
                _ => None,
            };
            let lot = &bundle.lot;
            let f = integrity(index, msg!("finding-integrity-bundle", lot, msg));
            return Report::new(
                "lot",
                &bundle.origin,
                0,
                &Hash::default(),
                policy,
                vec![f],
                Vec::new(),
                not_checked,
            );
        }
    };
    let mut analyzer = Analyzer::new(&bundle.origin, policy.clone()).partial();
    let mut state = MemState::new();
    // The analyzer sees each entry with the state just before it. That is
    // the state verify_bundle built: its replay already checked every rule
    // (and every new key's strength, a scalar multiplication each), so the
    // state is rebuilt from the changes it verified, not by applying again.
    for e in &vb.entries {
        state.skip_to(e.index);
        let signer = match &e.applied.signer {
            Signer::Actor(a) => Some(a.clone()),
            _ => None,
        };
        let seen = Seen {
            index: e.index,
            leaf_hash: &e.leaf_hash,
            record_time: e.leaf.record_time,
            event: &e.event,
            event_hash: &e.event_hash,
            signer: signer.as_ref(),
        };
        let _ = analyzer.observe(&state, &seen);
        state.commit(&e.applied.changes);
    }
    let (findings, review) = analyzer.finish(&state).unwrap_or_else(|e| {
        (
            vec![integrity(None, msg!("finding-integrity-error", error = &e))],
            Vec::new(),
        )
    });
    Report::new(
        "lot",
        &bundle.origin,
        vb.checkpoint.size,
        &vb.checkpoint.root,
        policy,
        findings,
        review,
        not_checked,
    )
}
