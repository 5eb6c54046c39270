//! `madini`: the command-line client (work in progress in this commit).
fn main() {}
