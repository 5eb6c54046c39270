//! Cross-checks the vectors with Go's reference `sumdb/note` and `sumdb/tlog`
//! (`spec/crosscheck/main.go`, `spec/crosscheck/witness/main.go` for the
//! witness cosignatures of `spec/vectors/cosignature/`, and
//! `spec/crosscheck/tiles/main.go` for the
//! C2SP tiles of `spec/vectors/tiles/`), and the tiles with Cloudflare's
//! `tlog_tiles` crate (`spec/crosscheck/rust/`, a cargo project of its own).
//! Go needs Debian's `golang-go` and `golang-golang-x-mod-dev`; CI installs
//! them and sets `MADINI_REQUIRE_GO=1` so a missing toolchain fails there
//! instead of passing quietly.

use std::path::Path;
use std::process::{Command, Output};

/// `go run PROGRAM ARGS` from the repository root, or `None` (with a note)
/// when Go or golang.org/x/mod is not installed and `MADINI_REQUIRE_GO` is
/// not set.
fn go_run(program: &str, args: &[&str]) -> Option<Output> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let gopath = Path::new("/usr/share/gocode");
    let have_go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_go || !gopath.join("src/golang.org/x/mod/sumdb/note").is_dir() {
        assert!(
            std::env::var_os("MADINI_REQUIRE_GO").is_none(),
            "MADINI_REQUIRE_GO is set but go or golang.org/x/mod is not installed \
             (apt-get install golang-go golang-golang-x-mod-dev)"
        );
        eprintln!("skipping the Go cross-check: go or golang.org/x/mod is not installed");
        return None;
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache");
    Some(
        Command::new("go")
            .arg("run")
            .arg(program)
            .args(args)
            .current_dir(&root)
            .env("GO111MODULE", "off")
            .env("GOPATH", gopath)
            .env("GOCACHE", &cache)
            .output()
            .expect("run go"),
    )
}

#[test]
fn go_reference_implementations_accept_our_formats() {
    let Some(out) = go_run("spec/crosscheck/main.go", &["spec/vectors"]) else {
        return;
    };
    printed("Go cross-check", &out, &["every proof"]);
}

/// Go's `tlog.TileHashReader`, reading C2SP paths, proves every entry of
/// both tile checkpoints from their tiles and the older consistent with
/// the newer, and refuses a tampered tile.
#[test]
fn go_reads_the_vector_tiles() {
    let Some(out) = go_run("spec/crosscheck/tiles/main.go", &["spec/vectors/tiles"]) else {
        return;
    };
    reads_the_vector_tiles("Go", &out);
}

/// Cloudflare's `tlog_tiles` (an independent Rust port of Go's `sumdb/tlog`,
/// built in its own cargo project so its older `sha2` stays out of the
/// workspace) proves every entry of both tile checkpoints from their tiles,
/// the older consistent with the newer, and refuses a tampered tile.
#[test]
fn tlog_tiles_crate_reads_the_vector_tiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--locked",
            "--manifest-path",
            "spec/crosscheck/rust/Cargo.toml",
            "--",
            "spec/vectors/tiles",
        ])
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("crosscheck-rs"),
        )
        .output()
        .expect("run cargo");
    reads_the_vector_tiles("tlog_tiles", &out);
}

/// What both outside readers must print for `spec/vectors/tiles`: every
/// entry of both checkpoints proven, the two consistent, a tampered tile
/// refused, and no failure.
fn reads_the_vector_tiles(reader: &str, out: &Output) {
    printed(
        &format!("{reader} tiles cross-check"),
        out,
        &[
            "size-200.json: tree size 200, 200 entries proven",
            "size-300.json: tree size 300, 300 entries proven",
            "tree 200 consistent with tree 300",
            "entry 0 not proven through a tampered tile/0/000",
            "every entry proven from tiles",
        ],
    );
}

/// An outside checker's run succeeded, printed every line of `wants` and
/// no `FAIL`.
fn printed(checker: &str, out: &Output, wants: &[&str]) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{checker} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in wants {
        assert!(
            stdout.contains(want),
            "{checker}: {want:?} missing:\n{stdout}"
        );
    }
    assert!(!stdout.contains("FAIL"), "{checker}: {stdout}");
}

/// A second implementation of C2SP tlog-cosignature, from the C2SP text on
/// Go's standard `crypto/ed25519` (`spec/crosscheck/witness/main.go`),
/// rebuilds the vector's cosignature line byte for byte from the seed and
/// verifies every cosignature of `spec/vectors/cosignature/`, while Go's
/// `sumdb/note` opens the log's signature on each cosigned note and leaves
/// the witness's line unverified, as a note verifier must.
#[test]
fn go_verifies_the_vector_cosignatures() {
    let Some(out) = go_run(
        "spec/crosscheck/witness/main.go",
        &["spec/vectors/cosignature"],
    ) else {
        return;
    };
    printed(
        "Go witness cross-check",
        &out,
        &[
            "cosignature.json: cosignature rebuilt and verified at time 1767600000",
            "5 add-checkpoint answers cosigned and verified",
            "every cosignature verifies",
        ],
    );
}
