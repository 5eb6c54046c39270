//! C2SP tlog-proof (`c2sp.org/tlog-proof@v1`): an entry's index, its
//! inclusion proof and the checkpoint it leads to, as one text
//! (`spec/log.md` section 4, "Bundle files"); and the `madini-bundle/v2`
//! file whose entries carry one each.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::bundle::{BUNDLE_FORMAT, Bundle, BundleEntry, BundleError};
use crate::hash::Hash;

/// The first line of every tlog-proof.
pub const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// The most proof lines a reader accepts: a tree of at most 2^63 entries.
pub const MAX_PROOF_LINES: usize = 63;

/// The `format` of a bundle file of tlog-proofs.
pub const BUNDLE_FORMAT_V2: &str = "madini-bundle/v2";

/// One parsed tlog-proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlogProof {
    /// The `extra` data, unauthenticated (Madini writes none).
    pub extra: Option<Vec<u8>>,
    /// The entry's index.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up.
    pub hashes: Vec<Hash>,
    /// The checkpoint note, verbatim.
    pub checkpoint: String,
}

/// Why a text is not a tlog-proof: the line (from 1) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ProofError {
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

fn bad(line: usize, reason: impl Into<String>) -> ProofError {
    ProofError {
        line,
        reason: reason.into(),
    }
}

impl TlogProof {
    /// The proof's text.
    pub fn encode(&self) -> String {
        let mut out = format!("{HEADER}\n");
        if let Some(x) = &self.extra {
            out.push_str(&format!("extra {}\n", B64.encode(x)));
        }
        out.push_str(&format!("index {}\n", self.index));
        for h in &self.hashes {
            out.push_str(&h.to_base64());
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint);
        out
    }

    /// Parses a tlog-proof. The checkpoint is taken verbatim, not opened:
    /// that is the verifier's, against its trusted key.
    ///
    /// # Errors
    /// The first line that breaks the format.
    pub fn parse(text: &str) -> Result<TlogProof, ProofError> {
        let mut rest = text;
        let mut line_no = 0;
        let mut next_line = |what: &str| -> Result<(usize, &str), ProofError> {
            line_no += 1;
            match rest.split_once('\n') {
                Some((l, r)) => {
                    rest = r;
                    Ok((line_no, l))
                }
                None => Err(bad(line_no, format!("the text ends before {what}"))),
            }
        };
        let (n, first) = next_line("the header")?;
        if first != HEADER {
            return Err(bad(n, format!("expected {HEADER:?}")));
        }
        let (mut n, mut line) = next_line("the index line")?;
        let mut extra = None;
        if let Some(x) = line.strip_prefix("extra ") {
            let data = B64
                .decode(x)
                .ok()
                .filter(|d| !d.is_empty())
                .ok_or_else(|| bad(n, "the extra data is not non-empty standard base64"))?;
            extra = Some(data);
            (n, line) = next_line("the index line")?;
        }
        let digits = line
            .strip_prefix("index ")
            .ok_or_else(|| bad(n, "expected \"index <n>\""))?;
        let index = parse_decimal(digits)
            .ok_or_else(|| bad(n, "the index is not a decimal without leading zeros"))?;
        let mut hashes = Vec::new();
        loop {
            let (n, line) = next_line("the empty line before the checkpoint")?;
            if line.is_empty() {
                break;
            }
            if hashes.len() == MAX_PROOF_LINES {
                return Err(bad(
                    n,
                    format!("more than {MAX_PROOF_LINES} inclusion proof lines"),
                ));
            }
            let h = Hash::from_base64(line)
                .map_err(|_| bad(n, "a proof line is not the standard base64 of 32 bytes"))?;
            hashes.push(h);
        }
        if rest.is_empty() {
            return Err(bad(line_no + 1, "the checkpoint is missing"));
        }
        Ok(TlogProof {
            extra,
            index,
            hashes,
            checkpoint: rest.to_string(),
        })
    }
}

fn parse_decimal(s: &str) -> Option<u64> {
    let ok =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if ok { s.parse().ok() } else { None }
}

/// A bundle file of tlog-proofs (`madini-bundle/v2`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofBundle {
    /// Always `madini-bundle/v2`.
    pub format: String,
    /// Log origin.
    pub origin: String,
    /// The lot.
    pub lot: String,
    /// Entries in increasing index order.
    pub entries: Vec<ProofEntry>,
}

/// One entry of a `madini-bundle/v2` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofEntry {
    /// Standard base64 of the leaf.
    pub leaf: String,
    /// Its tlog-proof.
    pub proof: String,
}

impl ProofBundle {
    /// The `v2` form of a `v1` bundle: the same entries, each proof a
    /// tlog-proof to the bundle's checkpoint.
    ///
    /// # Errors
    /// A proof hash of the `v1` document that is not base64 of 32 bytes.
    pub fn from_bundle(b: &Bundle) -> Result<ProofBundle, BundleError> {
        let mut entries = Vec::with_capacity(b.entries.len());
        for e in &b.entries {
            let hashes = e
                .proof
                .iter()
                .map(|h| Hash::from_base64(h))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| BundleError::Entry {
                    index: e.index,
                    reason: "a proof hash is not base64 of 32 bytes".into(),
                })?;
            let proof = TlogProof {
                extra: None,
                index: e.index,
                hashes,
                checkpoint: b.checkpoint.clone(),
            };
            entries.push(ProofEntry {
                leaf: e.leaf.clone(),
                proof: proof.encode(),
            });
        }
        Ok(ProofBundle {
            format: BUNDLE_FORMAT_V2.to_string(),
            origin: b.origin.clone(),
            lot: b.lot.clone(),
            entries,
        })
    }

    /// The `v1` document this file stands for, to be verified as such.
    ///
    /// # Errors
    /// `Format`, naming the entry (its position) and the line of its
    /// tlog-proof, or the checkpoint that differs.
    pub fn to_bundle(&self) -> Result<Bundle, BundleError> {
        if self.format != BUNDLE_FORMAT_V2 {
            return Err(BundleError::Format(format!(
                "format is {:?}, expected {BUNDLE_FORMAT_V2:?}",
                self.format
            )));
        }
        let mut checkpoint: Option<String> = None;
        let mut entries = Vec::with_capacity(self.entries.len());
        for (pos, e) in self.entries.iter().enumerate() {
            let p = TlogProof::parse(&e.proof)
                .map_err(|err| BundleError::Format(format!("entries[{pos}]: tlog-proof {err}")))?;
            match &checkpoint {
                None => checkpoint = Some(p.checkpoint.clone()),
                Some(c) if *c != p.checkpoint => {
                    return Err(BundleError::Format(format!(
                        "entries[{pos}]: its checkpoint differs from entries[0]'s (a bundle is checked against one tree)"
                    )));
                }
                Some(_) => {}
            }
            entries.push(BundleEntry {
                index: p.index,
                leaf: e.leaf.clone(),
                proof: p.hashes.iter().map(Hash::to_base64).collect(),
            });
        }
        Ok(Bundle {
            format: BUNDLE_FORMAT.to_string(),
            origin: self.origin.clone(),
            lot: self.lot.clone(),
            checkpoint: checkpoint.unwrap_or_default(),
            entries,
        })
    }
}

/// Reads a bundle file of either format (`madini-bundle/v1` or `v2`) as
/// the `v1` document to verify.
///
/// # Errors
/// `Format`: not JSON, an unknown format, or a `v2` entry that is not a
/// tlog-proof.
pub fn read_bundle(json: &str) -> Result<Bundle, BundleError> {
    #[derive(Deserialize)]
    struct Head {
        format: String,
    }
    let head: Head = serde_json::from_str(json).map_err(|e| BundleError::Format(e.to_string()))?;
    let not_bundle = |e: serde_json::Error| BundleError::Format(e.to_string());
    match head.format.as_str() {
        BUNDLE_FORMAT => serde_json::from_str(json).map_err(not_bundle),
        BUNDLE_FORMAT_V2 => serde_json::from_str::<ProofBundle>(json)
            .map_err(not_bundle)?
            .to_bundle(),
        other => Err(BundleError::Format(format!(
            "format is {other:?}, expected {BUNDLE_FORMAT:?} or {BUNDLE_FORMAT_V2:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP: &str = "example.org/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.org/log abcd\n";

    fn proof(lines: &[&str]) -> String {
        let mut s = lines.join("\n");
        s.push('\n');
        s.push_str(CP);
        s
    }

    #[test]
    fn round_trips_with_and_without_extra() {
        for extra in [None, Some(b"age".to_vec())] {
            let p = TlogProof {
                extra,
                index: 2,
                hashes: vec![Hash([7; 32]), Hash([9; 32])],
                checkpoint: CP.to_string(),
            };
            assert_eq!(TlogProof::parse(&p.encode()).unwrap(), p);
        }
        let p = TlogProof::parse(&proof(&[HEADER, "index 0", ""])).unwrap();
        assert!(p.hashes.is_empty());
    }

    #[test]
    fn every_malformed_line_is_named() {
        let h = Hash([1; 32]).to_base64();
        let many: Vec<&str> = std::iter::repeat_n(h.as_str(), 64).collect();
        let mut too_many = vec![HEADER, "index 5"];
        too_many.extend(many.iter());
        too_many.push("");
        let cases: Vec<(String, usize)> = vec![
            (proof(&["c2sp.org/tlog-proof@v2", "index 0", ""]), 1),
            (proof(&[HEADER, "extra ", "index 0", ""]), 2),
            (proof(&[HEADER, "extra !!", "index 0", ""]), 2),
            (proof(&[HEADER, "index 01", ""]), 2),
            (proof(&[HEADER, "index -1", ""]), 2),
            (proof(&[HEADER, "index", ""]), 2),
            (proof(&[HEADER, "index 18446744073709551616", ""]), 2),
            (proof(&[HEADER, "index 3", "AAAA", ""]), 3),
            (proof(&too_many), 66),
            (format!("{HEADER}\nindex 3\n{h}"), 3),
            (format!("{HEADER}\nindex 3\n{h}\n\n"), 5),
        ];
        for (text, line) in cases {
            let e = TlogProof::parse(&text).expect_err(&text);
            assert_eq!(e.line, line, "{text:?}: {e}");
        }
    }
}
