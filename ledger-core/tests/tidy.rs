//! Tidy: checks what ARCHITECTURE.md promises about the code, so an
//! invariant stated there cannot quietly stop holding. It reads the
//! workspace's sources and manifests as text; it builds nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

const CRATES: &[&str] = &["ledger-core", "node", "cli", "tag-printer"];

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The code of a source file without its unit tests (by house style the
/// `#[cfg(test)]` module closes the file) and without comments.
fn code_of(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// **Architecture invariant:** ledger-core does no I/O and reads no clock.
/// The only threads are the ones ARCHITECTURE.md names, and the one timer is
/// the signature pool's gathering wait.
#[test]
fn ledger_core_does_no_io_and_reads_no_clock() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "println!",
        "eprintln!",
        "print!(",
        "File::",
        "OpenOptions",
        "TcpStream",
        "UdpSocket",
        "SystemTime",
        "UNIX_EPOCH",
        "tokio",
        "sled",
        "axum",
        "clap",
        "getrandom",
        "OsRng",
        "thread_rng",
    ];
    // Files allowed to start threads, as ARCHITECTURE.md says.
    let threads_allowed = ["pool.rs", "export/entry.rs"];
    let timer_allowed = ["pool.rs"];
    let mut problems = Vec::new();
    let src = root().join("ledger-core/src");
    for f in rust_files(&src) {
        let name = f
            .strip_prefix(&src)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let code = code_of(&fs::read_to_string(&f).unwrap_or_default());
        for word in forbidden {
            if code.contains(word) {
                problems.push(format!("{}: uses `{word}`", rel(&f)));
            }
        }
        if code.contains("thread::") && !threads_allowed.contains(&name.as_str()) {
            problems.push(format!(
                "{}: starts threads; only {threads_allowed:?} may (ARCHITECTURE.md)",
                rel(&f)
            ));
        }
        if code.contains("Instant") && !timer_allowed.contains(&name.as_str()) {
            problems.push(format!("{}: reads the monotonic clock", rel(&f)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `[dependencies]` (normal, not dev or build) of a manifest that are
/// workspace crates, and all dependency names.
fn dependencies(manifest: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut local = BTreeSet::new();
    let mut all = BTreeSet::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
            continue;
        }
        if !in_deps || t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some((name, rest)) = t.split_once('=') else {
            continue;
        };
        let name = name.trim().trim_end_matches(".workspace").to_string();
        if rest.contains("path =") {
            local.insert(name.clone());
        }
        all.insert(name);
    }
    (local, all)
}

/// **Architecture invariant:** the crate edges are the documented ones:
/// `tag-printer -> ledger-core`, `node -> ledger-core`,
/// `cli -> ledger-core, tag-printer`; nothing depends on `node` or `cli`,
/// and only `node` knows HTTP servers and sled.
#[test]
fn crate_edges_are_the_documented_ones() {
    let expected: BTreeMap<&str, BTreeSet<String>> = [
        ("ledger-core", vec![]),
        ("tag-printer", vec!["ledger-core"]),
        ("node", vec!["ledger-core", "tag-printer"]),
        ("cli", vec!["ledger-core", "tag-printer"]),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.into_iter().map(String::from).collect()))
    .collect();
    let server_only = ["axum", "sled", "tokio", "tower", "tower-http"];
    let io_crates = ["ureq", "clap", "getrandom", "rpassword", "indicatif"];
    for c in CRATES {
        let manifest = fs::read_to_string(root().join(c).join("Cargo.toml"))
            .unwrap_or_else(|e| panic!("{c}/Cargo.toml: {e}"));
        let (local, all) = dependencies(&manifest);
        assert_eq!(
            &local, &expected[c],
            "{c}: workspace dependencies differ from ARCHITECTURE.md's edges"
        );
        for d in &all {
            if *c != "node" {
                assert!(
                    !server_only.contains(&d.as_str()),
                    "{c} depends on {d}: only node knows HTTP servers and sled"
                );
            }
            if *c == "ledger-core" || *c == "tag-printer" {
                assert!(
                    !io_crates.contains(&d.as_str()),
                    "{c} depends on {d}: it does no I/O"
                );
            }
        }
    }
}

/// Every source file opens with a `//!` line saying what it owns.
#[test]
fn every_source_file_opens_with_a_module_comment() {
    let mut problems = Vec::new();
    for c in CRATES {
        for dir in ["src", "tests", "benches"] {
            for f in rust_files(&root().join(c).join(dir)) {
                let text = fs::read_to_string(&f).unwrap_or_default();
                if !text.trim_start().starts_with("//!") {
                    problems.push(rel(&f));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "these files do not open with a `//!` line:\n{}",
        problems.join("\n")
    );
}

/// Every library and binary source file is named in ARCHITECTURE.md's
/// codemap (by its path under `src/` or its file name, in backticks), and
/// every `.rs` file the codemap names exists.
#[test]
fn the_codemap_names_every_source_file_and_no_missing_one() {
    let arch = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut unnamed = Vec::new();
    let mut names = BTreeSet::new();
    for c in CRATES {
        let src = root().join(c).join("src");
        for f in rust_files(&src) {
            let under = f
                .strip_prefix(&src)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            let file = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            names.insert(file.clone());
            names.insert(under.clone());
            let named = match file.as_str() {
                // The crate root is the crate's own section.
                "lib.rs" if under == "lib.rs" => true,
                // A module directory is named as `dir/`.
                "mod.rs" => {
                    let dir = under.trim_end_matches("mod.rs");
                    arch.contains(&format!("`{dir}`"))
                }
                _ => arch.contains(&format!("`{under}`")) || arch.contains(&format!("`{file}`")),
            };
            if !named {
                unnamed.push(rel(&f));
            }
        }
    }
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md's codemap does not name:\n{}",
        unnamed.join("\n")
    );
    // Every `something.rs` the document names is a file of the workspace.
    let mut tests = BTreeSet::new();
    for c in CRATES {
        for dir in ["tests", "benches"] {
            for f in rust_files(&root().join(c).join(dir)) {
                let under = f
                    .strip_prefix(root().join(c))
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                tests.insert(format!("{c}/{under}"));
                tests.insert(under.clone());
                if let Some(n) = f.file_name() {
                    tests.insert(n.to_string_lossy().into_owned());
                }
            }
        }
    }
    let mut missing = Vec::new();
    for piece in arch.split('`').skip(1).step_by(2) {
        // A URL path (`/openapi.json`) is not a file.
        let other_file = piece.contains('/')
            && !piece.starts_with('/')
            && [".md", ".html", ".json", ".toml"]
                .iter()
                .any(|x| piece.ends_with(x));
        if (piece.ends_with(".rs") || other_file) && !piece.contains(' ') {
            let p = piece.trim_start_matches("src/");
            let exists = names.contains(p)
                || tests.contains(piece)
                || root().join(piece).exists()
                || CRATES.iter().any(|c| root().join(c).join(piece).exists());
            if !exists {
                missing.push(piece.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {missing:?}"
    );
}
