//! Reads the C2SP tiles of `spec/vectors/tiles/` with Cloudflare's
//! `tlog_tiles` (its `TileHashReader`, `prove_record`, `check_record`,
//! `prove_tree`, `check_tree`), fetching Go-style tile coordinates from
//! their C2SP paths: every entry proven from its entry bundle into the
//! checkpoint, the older checkpoint consistent with the newer, a tampered
//! tile refused. Signatures are Go's cross-check's (`../main.go`); here
//! the checkpoint body is parsed with `tlog_tiles::Checkpoint`.
//!
//! Usage: `madini-crosscheck-tlog-tiles DIR`. One line per check; exits
//! non-zero on any disagreement.

use std::cell::Cell;
use std::collections::HashMap;
use std::process::ExitCode;

use tlog_tiles::{
    check_record, check_tree, prove_record, prove_tree, record_hash, stored_hash_index, Checkpoint,
    Error, Hash, HashReader, Tile, TileHashReader, TileReader,
};

const HEIGHT: u8 = 8;

/// The C2SP path of a tile: Go's without the height, `entries` for `data`.
fn c2sp_path(t: &Tile) -> String {
    let p = t.path();
    let rest = p
        .strip_prefix(&format!("tile/{HEIGHT}/"))
        .expect("height-8 tile path");
    match rest.strip_prefix("data/") {
        Some(n) => format!("tile/entries/{n}"),
        None => format!("tile/{rest}"),
    }
}

/// Go's path of a C2SP path, for `Tile::from_path`.
fn go_path(c2sp: &str) -> String {
    let rest = c2sp.strip_prefix("tile/").unwrap_or(c2sp);
    match rest.strip_prefix("entries/") {
        Some(n) => format!("tile/{HEIGHT}/data/{n}"),
        None => format!("tile/{HEIGHT}/{rest}"),
    }
}

struct Tiles<'a> {
    files: &'a HashMap<String, Vec<u8>>,
    /// A path whose bytes get one bit flipped, and which byte.
    tamper: Option<(&'a str, usize)>,
    reads: Cell<usize>,
}

impl TileReader for Tiles<'_> {
    fn height(&self) -> u8 {
        HEIGHT
    }
    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, Error> {
        tiles
            .iter()
            .map(|t| {
                let path = c2sp_path(t);
                let mut b =
                    self.files.get(&path).cloned().ok_or_else(|| {
                        Error::InvalidInput(format!("{path} is not in the vector"))
                    })?;
                if let Some((p, at)) = self.tamper {
                    if p == path {
                        b[at] ^= 0x40;
                    }
                }
                self.reads.set(self.reads.get() + 1);
                Ok(b)
            })
            .collect()
    }
    fn save_tiles(&self, _: &[Tile], _: &[Vec<u8>]) {}
}

struct Vector {
    size: u64,
    root: Hash,
    files: HashMap<String, Vec<u8>>,
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err("odd hex".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

fn load(file: &str, fails: &mut Vec<String>) -> Option<Vector> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| fails.push(format!("{file}: {e}")))
        .ok()?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| fails.push(format!("{file}: {e}")))
        .ok()?;
    let note = v["checkpoint"].as_str().unwrap_or("");
    let mut r = std::io::Cursor::new(note.as_bytes());
    let cp = Checkpoint::from_reader(&mut r, false)
        .map_err(|e| fails.push(format!("{file}: checkpoint: {e}")))
        .ok()?;
    let mut files = HashMap::new();
    for t in v["tiles"].as_array().into_iter().flatten() {
        let path = t["path"].as_str().unwrap_or("").to_string();
        match Tile::from_path(&go_path(&path)) {
            Ok(tile) if c2sp_path(&tile) == path => {}
            other => fails.push(format!(
                "{file}: {path} is not a path tlog_tiles reads ({other:?})"
            )),
        }
        match unhex(t["hex"].as_str().unwrap_or("")) {
            Ok(b) => {
                files.insert(path, b);
            }
            Err(e) => fails.push(format!("{file}: {path}: {e}")),
        }
    }
    Some(Vector {
        size: cp.size(),
        root: *cp.hash(),
        files,
    })
}

/// The leaves of entry bundle `n` of a tree of `size`: a big-endian u16
/// length before each, nothing after the last.
fn entries(files: &HashMap<String, Vec<u8>>, n: u64, size: u64) -> Result<Vec<Vec<u8>>, String> {
    let w = (size - n * 256).min(256);
    let tile = Tile::new(HEIGHT, 0, n, u32::try_from(w).expect("width"), true);
    let path = c2sp_path(&tile);
    let mut b: &[u8] = files.get(&path).ok_or(format!("{path} missing"))?;
    let mut out = Vec::new();
    for i in 0..w {
        let cut = || format!("{path}: entry {} cut short", n * 256 + i);
        if b.len() < 2 {
            return Err(cut());
        }
        let l = usize::from(u16::from_be_bytes([b[0], b[1]]));
        if b.len() < 2 + l {
            return Err(cut());
        }
        out.push(b[2..2 + l].to_vec());
        b = &b[2 + l..];
    }
    if !b.is_empty() {
        return Err(format!("{path}: {} bytes after the last entry", b.len()));
    }
    Ok(out)
}

fn prove_all(name: &str, v: &Vector, fails: &mut Vec<String>) {
    let tr = Tiles {
        files: &v.files,
        tamper: None,
        reads: Cell::new(0),
    };
    let thr = TileHashReader::new(v.size, v.root, &tr);
    let mut proven = 0u64;
    for n in 0..v.size.div_ceil(256) {
        let leaves = match entries(&v.files, n, v.size) {
            Ok(l) => l,
            Err(e) => {
                fails.push(format!("{name}: {e}"));
                continue;
            }
        };
        for (k, leaf) in leaves.iter().enumerate() {
            let i = n * 256 + k as u64;
            let h = record_hash(leaf);
            match thr.read_hashes(&[stored_hash_index(0, i)]) {
                Ok(got) if got[0] == h => {}
                other => {
                    fails.push(format!(
                        "{name}: entry {i} does not hash to its tile hash ({other:?})"
                    ));
                    continue;
                }
            }
            let checked =
                prove_record(v.size, i, &thr).and_then(|p| check_record(&p, v.size, v.root, i, h));
            match checked {
                Ok(()) => proven += 1,
                Err(e) => fails.push(format!("{name}: entry {i}: {e}")),
            }
        }
    }
    println!(
        "ok   {name}: tree size {}, {proven} entries proven from tiles ({} tile reads)",
        v.size,
        tr.reads.get()
    );
    if proven != v.size {
        fails.push(format!("{name}: {proven} of {} entries proven", v.size));
    }
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: madini-crosscheck-tlog-tiles DIR");
        return ExitCode::from(2);
    };
    let mut fails = Vec::new();
    let old = load(&format!("{dir}/size-200.json"), &mut fails);
    let new = load(&format!("{dir}/size-300.json"), &mut fails);
    if let (Some(old), Some(new)) = (&old, &new) {
        prove_all("size-200.json", old, &mut fails);
        prove_all("size-300.json", new, &mut fails);
        let tr = Tiles {
            files: &new.files,
            tamper: None,
            reads: Cell::new(0),
        };
        let thr = TileHashReader::new(new.size, new.root, &tr);
        match prove_tree(new.size, old.size, &thr)
            .and_then(|p| check_tree(&p, new.size, new.root, old.size, old.root))
        {
            Ok(()) => println!(
                "ok   size-300.json: tree {} consistent with tree {} through tiles",
                old.size, new.size
            ),
            Err(e) => fails.push(format!("consistency {} to {}: {e}", old.size, new.size)),
        }
        // Entry 1's hash in tile/0/000, the first hash of entry 0's proof.
        let bad = Tiles {
            files: &new.files,
            tamper: Some(("tile/0/000", 32 + 5)),
            reads: Cell::new(0),
        };
        let thr = TileHashReader::new(new.size, new.root, &bad);
        if thr.read_hashes(&[stored_hash_index(0, 1)]).is_ok() {
            println!("note size-300.json: tlog_tiles' TileHashReader handed out a hash of a tampered tile/0/000 unchecked");
        }
        let leaf0 = entries(&new.files, 0, new.size).map(|l| record_hash(&l[0]));
        match leaf0.map(|h| {
            prove_record(new.size, 0, &thr).and_then(|p| check_record(&p, new.size, new.root, 0, h))
        }) {
            Ok(Err(e)) => println!(
                "ok   size-300.json: entry 0 not proven through a tampered tile/0/000 ({e})"
            ),
            Ok(Ok(())) => fails.push("entry 0 proven through a tampered tile/0/000".into()),
            Err(e) => fails.push(e),
        }
    }
    for f in &fails {
        println!("FAIL {f}");
    }
    if fails.is_empty() {
        println!("every entry proven from tiles");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
