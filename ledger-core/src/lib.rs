//! `ledger-core`: Madini's formats, cryptography, Merkle log, rules and verifier.
//!
//! Everything an auditor must be able to re-check lives here, so the node, the
//! CLI and any other verifier run the same code. The crate does no I/O and
//! reads no clock: storage comes in through small reader traits and time as
//! arguments. The byte formats are specified in `spec/` and pinned by the
//! vectors in `spec/vectors/`.
//!
//! The `testkit` feature adds the fixtures: `world` (a deterministic driver
//! with keys derived from names), `scenario` (the regional supply-chain
//! generator behind the demo ledger and the benchmarks) and `vectors` (the
//! spec's test vectors). They are for tests and demos only and are off by
//! default.

pub mod authz;
pub mod batch;
pub mod bundle;
pub mod crypto;
pub mod event;
pub mod export;
pub mod hash;
pub mod i18n;
pub mod jcs;
pub mod leaf;
pub mod log;
pub mod merkle;
pub mod note;
pub mod pool;
pub mod receipt;
pub mod rules;
pub mod seal;
pub mod state;
pub mod subtree;
pub mod text;
pub mod tiles;
pub mod time;
pub mod tlogproof;
pub mod types;
pub mod verify;
pub mod wire;
pub mod witness;

// Fixtures and generators: not part of the ledger's API. They sign with keys
// derived from names, so nothing built on them may reach a real log. Tests,
// benches, the node's `serve --demo` and `generate` turn them on explicitly
// with the `testkit` feature.
#[cfg(feature = "testkit")]
pub mod scenario;
#[cfg(feature = "testkit")]
pub mod vectors;
#[cfg(feature = "testkit")]
pub mod world;
