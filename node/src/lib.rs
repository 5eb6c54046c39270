//! `madini-node`: the durable ledger server. A journal of leaves is the
//! source of truth; sled holds indexes rebuilt from it; axum serves the API.
//! See `ARCHITECTURE.md` for the write path and the start-up checks.

pub mod api;
pub mod demo;
pub mod events;
pub mod exports;
pub mod fsck;
pub mod hashfile;
pub mod journal;
pub mod keyfile;
pub mod ledger;
pub mod lotpage;
pub mod openapi;
pub mod pages;
pub mod store;
pub mod verify;
