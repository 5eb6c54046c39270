//! The QR matrix vectors in `spec/vectors/qr/` (`spec/tags.md` section 8):
//! the module matrix the tag printer draws for every tag vector's payload
//! and for texts that fill each version 1 to 10 at level M, in byte mode and
//! in alphanumeric mode. Any other QR encoder that uses the same segments
//! (the field app's `node/assets/js/qr.js`, tested in
//! `node/tests/browser/qr.test.mjs`) must draw the same modules, mask
//! included. This test derives every file again and fails when a committed
//! one differs, is missing or is stale; regenerate with
//! `MADINI_BLESS=1 cargo test -p tag-printer --test qr_vectors`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use qrcode::bits::Bits;
use qrcode::optimize::{Parser, Segment};
use qrcode::types::Mode;
use qrcode::{EcLevel, QrCode, Version};
use serde_json::{Value, json};
use tag_printer::{QrError, QrMatrix};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors")
}

/// Data codewords of versions 1 to 10 at level M (ISO/IEC 18004 table 7).
const DATA_CODEWORDS_M: [usize; 10] = [16, 28, 44, 64, 86, 108, 124, 154, 182, 216];

/// The longest byte-mode and alphanumeric-mode texts version `v` holds at
/// level M, as one segment each.
fn capacity(v: usize) -> (usize, usize) {
    let bits = 8 * DATA_CODEWORDS_M[v - 1] - 4;
    let byte = (bits - if v < 10 { 8 } else { 16 }) / 8;
    let alnum_bits = bits - if v < 10 { 9 } else { 11 };
    let alnum = 2 * (alnum_bits / 11) + usize::from(alnum_bits % 11 >= 6);
    (byte, alnum)
}

/// `n` characters cycling through `alphabet`.
fn cycle(alphabet: &str, n: usize) -> String {
    alphabet.chars().cycle().take(n).collect()
}

/// Every case: file name and text.
fn cases() -> Vec<(String, String)> {
    let mut cases = Vec::new();
    let mut tags: Vec<PathBuf> = fs::read_dir(root().join("tags"))
        .expect("tag vectors")
        .map(|e| e.expect("entry").path())
        .collect();
    tags.sort();
    for path in tags {
        let v: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        if v.get("qr_version_m").is_some() {
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let payload = v["payload"].as_str().expect("payload").to_owned();
            cases.push((format!("tag-{name}"), payload));
        }
    }
    for v in 1..=10 {
        let (byte, alnum) = capacity(v);
        cases.push((format!("byte-v{v}"), cycle("madini-tag_", byte)));
        cases.push((
            format!("alphanumeric-v{v}"),
            cycle("ABCDEFGHIJKLMNOPQRSTUVWXYZ/-", alnum),
        ));
    }
    cases
}

/// The QR alphanumeric set (ISO/IEC 18004 table 5).
const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// The segments the printer chose for `text` in `version`, named after the
/// rule that gave them (`spec/tags.md` section 5: of one byte segment, the
/// split before the longest alphanumeric suffix, and qrcode's optimiser, the
/// fewest bits, ties to the earlier), and their bits.
fn segments(text: &str, version: u8) -> (&'static str, Vec<Segment>, Bits) {
    let t = text.as_bytes();
    let v = Version::Normal(i16::from(version));
    let split = t.len()
        - t.iter()
            .rev()
            .take_while(|c| ALPHANUMERIC.contains(c))
            .count();
    let byte = |begin, end| Segment {
        mode: Mode::Byte,
        begin,
        end,
    };
    let alnum = |begin, end| Segment {
        mode: Mode::Alphanumeric,
        begin,
        end,
    };
    let mut options = vec![("byte", vec![byte(0, t.len())])];
    if split < t.len() {
        let mut two = if split > 0 {
            vec![byte(0, split)]
        } else {
            Vec::new()
        };
        two.push(alnum(split, t.len()));
        options.push(("split", two));
    }
    options.push(("qrcode", Parser::new(t).optimize(v).collect()));
    let mut best: Option<(&'static str, Vec<Segment>, Bits)> = None;
    for (rule, segs) in options {
        let mut bits = Bits::new(v);
        if bits.push_segments(t, segs.iter().copied()).is_err() {
            continue;
        }
        if best.as_ref().is_none_or(|(_, _, b)| bits.len() < b.len()) {
            best = Some((rule, segs, bits));
        }
    }
    best.expect("a segmentation fits")
}

fn render(text: &str) -> String {
    let m = QrMatrix::encode(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let rows: Vec<String> = (0..m.width())
        .map(|y| {
            (0..m.width())
                .map(|x| if m.is_dark(x, y) { '1' } else { '0' })
                .collect()
        })
        .collect();
    // The segments stated in the file are the ones the printer drew: qrcode
    // draws the same modules from them.
    let (rule, segs, mut bits) = segments(text, m.version());
    bits.push_terminator(EcLevel::M).expect("fits");
    let again = QrCode::with_bits(bits, EcLevel::M).expect("encodes");
    for (y, row) in rows.iter().enumerate() {
        for (x, c) in row.chars().enumerate() {
            assert_eq!(
                c == '1',
                again[(x, y)] == qrcode::Color::Dark,
                "{text}: ({x}, {y})"
            );
        }
    }
    let segs: Vec<Value> = segs
        .iter()
        .map(|s| {
            let mode = match s.mode {
                Mode::Byte => "byte",
                Mode::Alphanumeric => "alphanumeric",
                Mode::Numeric => "numeric",
                Mode::Kanji => "kanji",
            };
            json!({ "mode": mode, "length": s.end - s.begin })
        })
        .collect();
    let v = json!({
        "text": text,
        "version": m.version(),
        "size": m.width(),
        "segmentation": rule,
        "segments": segs,
        "rows": rows,
    });
    format!("{}\n", serde_json::to_string_pretty(&v).expect("json"))
}

#[test]
fn committed_qr_vectors_match_the_printer() {
    let dir = root().join("qr");
    let bless = std::env::var_os("MADINI_BLESS").is_some();
    let expected: BTreeMap<String, String> = cases()
        .into_iter()
        .map(|(name, text)| (format!("{name}.json"), render(&text)))
        .collect();
    assert!(expected.len() >= 30, "only {} QR vectors", expected.len());
    if bless {
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("mkdir");
        for (name, content) in &expected {
            fs::write(dir.join(name), content).expect("write");
        }
        return;
    }
    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    on_disk.sort();
    let drift: Vec<&String> = expected
        .iter()
        .filter(|(name, content)| {
            fs::read_to_string(dir.join(name)).ok().as_ref() != Some(*content)
        })
        .map(|(name, _)| name)
        .collect();
    let stale: Vec<&String> = on_disk
        .iter()
        .filter(|n| !expected.contains_key(*n))
        .collect();
    assert!(
        drift.is_empty() && stale.is_empty(),
        "QR vectors differ from the printer (MADINI_BLESS=1 after a deliberate change): {drift:?}, stale {stale:?}"
    );
}

#[test]
fn capacity_texts_fill_their_version_and_one_more_character_does_not() {
    for v in 1..=10u8 {
        let (byte, alnum) = capacity(usize::from(v));
        for (alphabet, n) in [
            ("madini-tag_", byte),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZ/-", alnum),
        ] {
            let m = QrMatrix::encode(&cycle(alphabet, n)).expect("fits");
            assert_eq!(m.version(), v, "{n} characters of {alphabet}");
            let more = QrMatrix::encode(&cycle(alphabet, n + 1));
            if v < 10 {
                assert_eq!(more.expect("fits the next version").version(), v + 1);
            } else {
                assert_eq!(more, Err(QrError::TooLarge(n + 1)));
            }
        }
    }
}
