//! `madini-node`: the durable ledger server. The sequencer and the API run
//! over the `LogStore` seam (`logstore.rs`); the embedded store (a journal of
//! leaves as the source of truth, sled and flat files as indexes rebuilt from
//! it) implements it, and so does an in-memory one for tests; axum serves the
//! API. See `ARCHITECTURE.md` for the write path, the start-up checks and the
//! storage contract.

pub mod api;
pub mod app;
pub mod assets;
pub mod demo;
pub mod embedded;
pub mod events;
pub mod exports;
pub mod fsck;
pub mod hashfile;
pub mod journal;
pub mod keyfile;
pub mod lang;
pub mod ledger;
pub mod logstore;
pub mod lotpage;
pub mod memlog;
pub mod openapi;
pub mod pages;
pub mod public;
pub mod publish;
pub mod report;
pub mod store;
pub mod tiles;
pub mod verify;
pub mod witness;
