//! Cross-checks the vectors with Go's reference `sumdb/note` and `sumdb/tlog`
//! (`spec/crosscheck/main.go`). Needs Debian's `golang-go` and
//! `golang-golang-x-mod-dev`; CI installs them and sets `MADINI_REQUIRE_GO=1`
//! so a missing toolchain fails there instead of passing quietly.

use std::path::Path;
use std::process::Command;

#[test]
fn go_reference_implementations_accept_our_formats() {
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
        return;
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache");
    let out = Command::new("go")
        .args(["run", "spec/crosscheck/main.go", "spec/vectors"])
        .current_dir(&root)
        .env("GO111MODULE", "off")
        .env("GOPATH", gopath)
        .env("GOCACHE", &cache)
        .output()
        .expect("run go");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Go cross-check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("every proof"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
}
