//! `ledger-core`: Madini's formats, cryptography, Merkle log, rules and verifier.
//!
//! Everything an auditor must be able to re-check lives here, so the node, the
//! CLI and any other verifier run the same code. The crate does no I/O and
//! reads no clock: storage comes in through small reader traits and time as
//! arguments. The byte formats are specified in `spec/` and pinned by the
//! vectors in `spec/vectors/`.

pub mod batch;
pub mod bundle;
pub mod crypto;
pub mod event;
pub mod export;
pub mod hash;
pub mod jcs;
pub mod leaf;
pub mod log;
pub mod merkle;
pub mod note;
pub mod rules;
pub mod scenario;
pub mod state;
pub mod subtree;
pub mod time;
pub mod types;
pub mod vectors;
pub mod verify;
pub mod wire;
pub mod world;
