//! Benchmarks for ledger-core (filled in below).
fn main() {}
