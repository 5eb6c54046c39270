//! The browser tests: every `node/tests/browser/*.test.mjs`, run with
//! Node.js's test runner, one file after another, in Debian's headless
//! Chromium through playwright-core (`node/tests/browser/package.json`).
//! They start their own `madini-node` (this package's binary) and use the
//! `madini` CLI next to it. Screenshots and measured figures go to
//! `target/browser-artefacts/`.
//!
//! Without Node.js, Chromium or the npm packages (`npm ci --prefix
//! node/tests/browser`) the test says what is missing and passes, unless
//! `MADINI_REQUIRE_BROWSER=1` (CI sets it), when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `madini` binary next to `madini-node`, built if missing.
fn cli_bin() -> PathBuf {
    let node = PathBuf::from(env!("CARGO_BIN_EXE_madini-node"));
    let cli = node.with_file_name("madini");
    if !cli.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "cli", "--bin", "madini"])
            .current_dir(repo())
            .status()
            .expect("cannot run cargo");
        assert!(status.success(), "could not build madini");
    }
    cli
}

/// What is missing to run the browser tests, if anything.
fn missing(dir: &Path, chromium: &str) -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("Node.js (`node`) is not installed".into());
    }
    if !Path::new(chromium).exists() {
        return Some(format!("{chromium} is missing (Debian package `chromium`)"));
    }
    if !dir.join("node_modules/playwright-core").exists()
        || !dir.join("node_modules/axe-core").exists()
    {
        return Some(format!(
            "the npm packages are missing: run `npm ci --prefix {}`",
            dir.display()
        ));
    }
    None
}

#[test]
fn browser_tests_pass_in_headless_chromium() {
    let dir = repo().join("node/tests/browser");
    let chromium = std::env::var("MADINI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if let Some(why) = missing(&dir, &chromium) {
        assert!(
            std::env::var_os("MADINI_REQUIRE_BROWSER").is_none(),
            "MADINI_REQUIRE_BROWSER is set but {why}"
        );
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no browser test in {}", dir.display());
    let artefacts = repo().join("target/browser-artefacts");
    let tmp = std::env::temp_dir().join(format!("madini-browser-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failed = Vec::new();
    for f in &files {
        let status = Command::new("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .arg(f)
            .current_dir(&dir)
            .env("MADINI_NODE_BIN", env!("CARGO_BIN_EXE_madini-node"))
            .env("MADINI_CLI_BIN", cli_bin())
            .env("MADINI_ARTEFACTS", &artefacts)
            .env("MADINI_CHROMIUM", &chromium)
            .env("MADINI_TMP", &tmp)
            .status()
            .expect("cannot run node");
        if !status.success() {
            failed.push(f.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failed.is_empty(), "browser tests failed: {failed:?}");
}
