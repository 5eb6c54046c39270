//! Temporary directories of test processes, shared by the node and CLI
//! test helpers (`#[path]`-included by both).

use std::path::PathBuf;

/// The directory holding this test process's temporary directories,
/// `TMP/madini-tests/<pid>`. The first call removes those of earlier test
/// processes that have ended, so a run leaves behind only its own (kept for
/// a look after a failure) until the next run.
pub fn temp_root() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let base = std::env::temp_dir().join("madini-tests");
        if let Ok(entries) = std::fs::read_dir(&base) {
            for e in entries.flatten() {
                let ended = e
                    .file_name()
                    .to_str()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
                if ended {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        base.join(std::process::id().to_string())
    })
    .clone()
}
