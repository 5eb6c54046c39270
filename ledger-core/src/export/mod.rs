//! Exports and reports computed from the log alone (`spec/exports.md`), so
//! the node, the CLI and any auditor produce the same bytes from the same
//! entries:
//!
//! - `icglr`: ICGLR data-standard documents (MD.01 mine sites, MD.12 lots,
//!   MD.03 export certificates, MD.04 business entities) and the import of
//!   MD.01 and MD.04 records into typed event bodies;
//! - `epcis`: GS1 EPCIS 2.0 events and documents, streamed;
//! - `report`: tax monitoring, public flow aggregates and the registry map,
//!   with CSV and GeoJSON renderings.
//!
//! Everything reads `Entry` values in log order, one pass, keeping state per
//! actor, site and lot but never per event. `EntryReader` turns stored leaves
//! into entries; `Replay` does the same while re-checking every rule.
//!
//! **Architecture Invariant**: no I/O and no clock here. Output goes to a
//! `std::fmt::Write` or comes back as values and strings; any time an output
//! needs (a document's creation date, the year of a report) is an argument.

mod book;
pub mod entry;
pub mod epcis;
pub mod icglr;
pub mod report;
pub mod units;
pub mod views;

pub use entry::{Entry, EntryError, EntryReader, Replay};

use serde_json::Value;

/// Compact JSON with every object's keys in sorted order, whatever
/// `serde_json` features the build enables: the form the node and the CLI
/// both print, so their outputs match byte for byte.
pub fn to_json(v: &Value) -> String {
    let mut out = Vec::new();
    write_json(v, &mut out, None, 0);
    into_string(out)
}

/// As `to_json`, indented by two spaces, one member per line.
pub fn to_json_pretty(v: &Value) -> String {
    let mut out = Vec::new();
    write_json(v, &mut out, Some(2), 0);
    out.push(b'\n');
    into_string(out)
}

/// As `to_json` of an object whose members are lists, without building
/// the whole document as a `Value`: each row becomes a `Value` alone and is
/// written, so a report of hundreds of thousands of rows never exists
/// twice in memory. `lists` must be in sorted key order.
///
/// # Errors
/// A row that does not serialise.
pub fn to_json_lists(lists: &[(&str, &dyn RowList)]) -> Result<String, serde_json::Error> {
    debug_assert!(lists.windows(2).all(|w| w[0].0 < w[1].0));
    let mut out = Vec::new();
    out.push(b'{');
    for (k, (key, rows)) in lists.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write_scalar(*key, &mut out);
        out.push(b':');
        out.push(b'[');
        rows.write_rows(&mut out)?;
        out.push(b']');
    }
    out.push(b'}');
    Ok(into_string(out))
}

/// A list whose rows `to_json_lists` writes one by one.
pub trait RowList {
    /// Writes the rows, comma-separated, as `to_json` writes each.
    ///
    /// # Errors
    /// A row that does not serialise.
    fn write_rows(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

impl<T: serde::Serialize> RowList for Vec<T> {
    fn write_rows(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        for (i, row) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json(&serde_json::to_value(row)?, out, None, 0);
        }
        Ok(())
    }
}

fn into_string(out: Vec<u8>) -> String {
    // serde_json writes only UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes a string or scalar as serde_json's compact form does, straight
/// into `out` (no allocation per value).
fn write_scalar<T: serde::Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail, and these values always serialise.
    let _ = serde_json::to_writer(out, v);
}

fn write_json(v: &Value, out: &mut Vec<u8>, indent: Option<usize>, depth: usize) {
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if let Some(n) = indent {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', n * depth));
        }
    };
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_json(item, out, indent, depth + 1);
            }
            newline(out, depth);
            out.push(b']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write_scalar(k.as_str(), out);
                out.push(b':');
                if indent.is_some() {
                    out.push(b' ');
                }
                write_json(&map[k], out, indent, depth + 1);
            }
            newline(out, depth);
            out.push(b'}');
        }
        other => write_scalar(other, out),
    }
}

/// RFC 4180 CSV: a header row, then one row per record, CRLF line ends,
/// fields quoted when they hold a comma, a quote, CR or LF.
pub(crate) struct Csv {
    out: String,
}

impl Csv {
    pub fn new(header: &[&str]) -> Csv {
        let mut c = Csv { out: String::new() };
        c.row(header.iter().copied());
        c
    }

    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if f.contains([',', '"', '\r', '\n']) {
                self.out.push('"');
                self.out.push_str(&f.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(f);
            }
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let mut c = Csv::new(&["a", "b"]);
        c.row(["plain", "with, comma"]);
        c.row(["say \"hi\"", "two\nlines"]);
        assert_eq!(
            c.finish(),
            "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
    }

    /// Strings and scalars come out exactly as serde_json prints them
    /// alone: escapes, control characters, non-ASCII, big and negative
    /// numbers, in keys and in values.
    #[test]
    fn json_scalars_are_written_as_serde_json_writes_them() {
        let strings = [
            "",
            "plain",
            "quote \" and \\ backslash",
            "tab\tcr\rnl\n",
            "\u{1}\u{1f}\u{7f}",
            "é ü 中 🜨",
            "</script>",
            "\u{2028}\u{2029}",
        ];
        for s in strings {
            let v = serde_json::json!({ s: s, "n": [u64::MAX, -9_007_199_254_740_991i64, 0, true, null] });
            let key = Value::String(s.to_string()).to_string();
            let want = if s < "n" {
                format!(
                    "{{{key}:{key},\"n\":[18446744073709551615,-9007199254740991,0,true,null]}}"
                )
            } else {
                format!(
                    "{{\"n\":[18446744073709551615,-9007199254740991,0,true,null],{key}:{key}}}"
                )
            };
            assert_eq!(to_json(&v), want, "{s:?}");
        }
    }

    #[test]
    fn json_keys_are_sorted_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{"b":[{"z":1,"a":"é\n"}],"a":{}}"#).unwrap();
        assert_eq!(to_json(&v), r#"{"a":{},"b":[{"a":"é\n","z":1}]}"#);
        assert_eq!(
            to_json_pretty(&v),
            "{\n  \"a\": {},\n  \"b\": [\n    {\n      \"a\": \"é\\n\",\n      \"z\": 1\n    }\n  ]\n}\n"
        );
    }
}
