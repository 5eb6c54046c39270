//! A closed standard output (`madini ... | head`) ends a command quietly: no
//! panic message, and the exit code the command has when its output is read.

mod common;

use std::process::{Command, Stdio};

use common::*;

/// Runs `madini ARGS` on `d` with standard output a pipe whose read end is
/// closed before the command starts, so its first write fails with EPIPE
/// (not only when the output outgrows the pipe's buffer).
fn run_closed(d: &Device, args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_madini"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &d.home)
        .env("MADINI_HOME", &d.home)
        .env("MADINI_NODE", &d.node)
        .env("MADINI_ACTOR", &d.actor)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_never_panics() {
    let l = Ledger::new("pipes");
    l.coop
        .run(&lot_register_args("L-1", "T-000001", "40kg", "61%"))
        .expect(0);
    let cases: &[&[&str]] = &[
        &["--json", "lot", "show", "L-1"],
        &["lot", "show", "L-1"],
        &["lot", "history", "L-1"],
        &["--json", "lot", "list"],
        &["lot", "list"],
        &["site", "list"],
        &["outbox"],
        &["log", "status"],
        &["--json", "key", "show"],
        // A failing command prints its JSON error on stdout too.
        &["--json", "lot", "show", "NOPE"],
        &["--help"],
    ];
    for args in cases {
        let usual = l.coop.run(args).code;
        let (code, stderr) = run_closed(&l.coop, args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(code, usual, "{args:?}: {stderr}");
    }
}
