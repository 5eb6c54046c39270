//! Runs every JSON vector under `shared/reference/rfc6962-vectors` against
//! `ledger_core::merkle` (RFC 6962 / 9162 inclusion and consistency) and
//! `ledger_core::subtree` (draft-ietf-plants-merkle-tree-certs subtree
//! inclusion and consistency).
//!
//! Each file names its inputs and `wantErr`; verification must fail exactly
//! when `wantErr` is true. The directory is required: the test fails rather
//! than skips when it is missing or holds fewer vectors than expected.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ledger_core::merkle::{ProofError, verify_consistency, verify_inclusion};
use ledger_core::subtree::{verify_subtree_consistency, verify_subtree_inclusion};
use serde::Deserialize;

/// The vector directories, one per kind of proof.
const KINDS: [&str; 4] = [
    "inclusion",
    "consistency",
    "subtreeinclusion",
    "subtreeconsistency",
];

/// The suite holds 518 files; fewer than this means files went missing.
const MIN_VECTORS: usize = 500;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Inclusion {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Consistency {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubtreeInclusion {
    leaf_idx: u64,
    start: u64,
    end: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubtreeConsistency {
    start: u64,
    end: u64,
    size: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

/// What one vector asked for and what verification said.
struct Outcome {
    desc: String,
    want_err: bool,
    got: Result<(), ProofError>,
}

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/rfc6962-vectors")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

fn bytes(field: &str, text: &str, path: &Path) -> Vec<u8> {
    B64.decode(text).unwrap_or_else(|e| {
        panic!(
            "{}: field {field} is not standard base64: {e}",
            path.display()
        )
    })
}

fn proof_bytes(proof: Option<&[String]>, path: &Path) -> Vec<Vec<u8>> {
    proof
        .unwrap_or_default()
        .iter()
        .map(|p| bytes("proof", p, path))
        .collect()
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, path: &Path) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(kind: &str, path: &Path) -> Outcome {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match kind {
        "inclusion" => {
            let v: Inclusion = parse(&text, path);
            let proof = proof_bytes(v.proof.as_deref(), path);
            let got = verify_inclusion(
                &bytes("leafHash", &v.leaf_hash, path),
                v.leaf_idx,
                v.tree_size,
                &proof,
                &bytes("root", &v.root, path),
            );
            Outcome {
                desc: v.desc,
                want_err: v.want_err,
                got,
            }
        }
        "consistency" => {
            let v: Consistency = parse(&text, path);
            let proof = proof_bytes(v.proof.as_deref(), path);
            let got = verify_consistency(
                v.size1,
                v.size2,
                &bytes("root1", &v.root1, path),
                &bytes("root2", &v.root2, path),
                &proof,
            );
            Outcome {
                desc: v.desc,
                want_err: v.want_err,
                got,
            }
        }
        "subtreeinclusion" => {
            let v: SubtreeInclusion = parse(&text, path);
            let proof = proof_bytes(v.proof.as_deref(), path);
            let got = verify_subtree_inclusion(
                &bytes("leafHash", &v.leaf_hash, path),
                v.leaf_idx,
                v.start,
                v.end,
                &proof,
                &bytes("root", &v.root, path),
            );
            Outcome {
                desc: v.desc,
                want_err: v.want_err,
                got,
            }
        }
        "subtreeconsistency" => {
            let v: SubtreeConsistency = parse(&text, path);
            let proof = proof_bytes(v.proof.as_deref(), path);
            let got = verify_subtree_consistency(
                v.start,
                v.end,
                v.size,
                &proof,
                &bytes("root1", &v.root1, path),
                &bytes("root2", &v.root2, path),
            );
            Outcome {
                desc: v.desc,
                want_err: v.want_err,
                got,
            }
        }
        other => panic!("{}: unknown vector kind {other}", path.display()),
    }
}

#[test]
fn every_vector_agrees() {
    let root = vector_dir();
    assert!(
        root.is_dir(),
        "vector directory {} is missing; these vectors are required",
        root.display()
    );
    let mut ran = 0usize;
    let mut per_kind = Vec::new();
    let mut disagreements = String::new();
    for kind in KINDS {
        let dir = root.join(kind);
        assert!(dir.is_dir(), "{} is missing", dir.display());
        let mut files = Vec::new();
        json_files(&dir, &mut files);
        files.sort();
        assert!(!files.is_empty(), "{} holds no vectors", dir.display());
        per_kind.push((kind, files.len()));
        for path in &files {
            let outcome = run(kind, path);
            ran += 1;
            if outcome.got.is_err() != outcome.want_err {
                let _ = writeln!(
                    disagreements,
                    "{} ({:?}): wantErr={} but verification returned {:?}",
                    path.display(),
                    outcome.desc,
                    outcome.want_err,
                    outcome.got
                );
            }
        }
    }
    eprintln!("ran {ran} vectors: {per_kind:?}");
    assert!(
        ran >= MIN_VECTORS,
        "only {ran} vector files ran, expected at least {MIN_VECTORS}"
    );
    assert!(
        disagreements.is_empty(),
        "vectors that disagree:\n{disagreements}"
    );
}
