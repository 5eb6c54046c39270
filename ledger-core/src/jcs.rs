//! Canonical JSON (RFC 8785, JCS) restricted as in `spec/encoding.md` section 1:
//! a checker that refuses any byte string that is not already canonical, and an
//! encoder that produces canonical bytes from a JSON value.

use std::cmp::Ordering;
use std::fmt;

/// The largest integer allowed in signed data: 2^53 - 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The deepest nesting of objects and arrays allowed.
pub const MAX_DEPTH: usize = 16;

/// Why bytes are not canonical JSON; `offset` is the 0-based byte offset of the
/// first offending byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JcsError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong there.
    pub kind: JcsErrorKind,
}

/// The kinds of canonical-JSON violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JcsErrorKind {
    /// The bytes are not valid UTF-8.
    InvalidUtf8,
    /// Whitespace between tokens.
    Whitespace,
    /// A byte that cannot start or continue a JSON value here.
    Unexpected,
    /// The input ended inside a value.
    UnexpectedEnd,
    /// Bytes after the top-level value.
    TrailingBytes,
    /// `null`, which Madini never uses.
    Null,
    /// A number with a fraction or exponent.
    Float,
    /// An integer outside -(2^53-1)..=2^53-1.
    IntegerOutOfRange,
    /// An integer written with leading zeros, or `-0`.
    NonCanonicalNumber,
    /// An escape that JCS would not write (`\/`, `\u0041`...).
    NonCanonicalEscape,
    /// An escape that JSON does not define.
    InvalidEscape,
    /// A raw control character inside a string.
    ControlCharacter,
    /// Object members not sorted by UTF-16 code units.
    KeyOrder,
    /// The same member name twice.
    DuplicateKey,
    /// Objects and arrays nested deeper than `MAX_DEPTH`.
    TooDeep,
}

impl JcsErrorKind {
    /// A stable short name, used in test vectors.
    pub fn id(self) -> &'static str {
        match self {
            JcsErrorKind::InvalidUtf8 => "invalid-utf8",
            JcsErrorKind::Whitespace => "whitespace",
            JcsErrorKind::Unexpected => "unexpected",
            JcsErrorKind::UnexpectedEnd => "unexpected-end",
            JcsErrorKind::TrailingBytes => "trailing-bytes",
            JcsErrorKind::Null => "null",
            JcsErrorKind::Float => "float",
            JcsErrorKind::IntegerOutOfRange => "integer-out-of-range",
            JcsErrorKind::NonCanonicalNumber => "non-canonical-number",
            JcsErrorKind::NonCanonicalEscape => "non-canonical-escape",
            JcsErrorKind::InvalidEscape => "invalid-escape",
            JcsErrorKind::ControlCharacter => "control-character",
            JcsErrorKind::KeyOrder => "key-order",
            JcsErrorKind::DuplicateKey => "duplicate-key",
            JcsErrorKind::TooDeep => "too-deep",
        }
    }
}

impl fmt::Display for JcsErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JcsErrorKind::InvalidUtf8 => "invalid UTF-8",
            JcsErrorKind::Whitespace => "whitespace is not allowed in canonical JSON",
            JcsErrorKind::Unexpected => "unexpected character",
            JcsErrorKind::UnexpectedEnd => "unexpected end of input",
            JcsErrorKind::TrailingBytes => "bytes after the end of the JSON value",
            JcsErrorKind::Null => "null is not allowed (omit the field instead)",
            JcsErrorKind::Float => {
                "numbers must be integers (no fraction or exponent); use grams, basis points or minor units"
            }
            JcsErrorKind::IntegerOutOfRange => "integer outside -(2^53-1)..=2^53-1",
            JcsErrorKind::NonCanonicalNumber => "integer not in canonical form (leading zero or -0)",
            JcsErrorKind::NonCanonicalEscape => "string escape that canonical JSON does not use",
            JcsErrorKind::InvalidEscape => "invalid string escape",
            JcsErrorKind::ControlCharacter => "control character must be escaped",
            JcsErrorKind::KeyOrder => "object members are not sorted by UTF-16 code units",
            JcsErrorKind::DuplicateKey => "duplicate object member name",
            JcsErrorKind::TooDeep => "objects and arrays nested too deeply",
        })
    }
}

impl fmt::Display for JcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.kind)
    }
}

impl std::error::Error for JcsError {}

/// Checks that `bytes` are canonical JSON as Madini restricts it.
///
/// # Errors
/// The first violation, with its byte offset.
pub fn check(bytes: &[u8]) -> Result<(), JcsError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(JcsError {
            offset: e.valid_up_to(),
            kind: JcsErrorKind::InvalidUtf8,
        });
    }
    let mut c = Checker { b: bytes, pos: 0 };
    c.value(0)?;
    if c.pos != bytes.len() {
        return Err(c.err(c.kind_at_pos(JcsErrorKind::TrailingBytes)));
    }
    Ok(())
}

struct Checker<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Checker<'_> {
    fn err(&self, kind: JcsErrorKind) -> JcsError {
        JcsError {
            offset: self.pos,
            kind,
        }
    }

    /// Whitespace gets its own message wherever it appears.
    fn kind_at_pos(&self, otherwise: JcsErrorKind) -> JcsErrorKind {
        match self.b.get(self.pos) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => JcsErrorKind::Whitespace,
            None => JcsErrorKind::UnexpectedEnd,
            _ => otherwise,
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), JcsError> {
        if self.b.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), JcsError> {
        match self.b.get(self.pos) {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string(None),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') if self.b[self.pos..].starts_with(b"null") => {
                Err(self.err(JcsErrorKind::Null))
            }
            _ => Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected))),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JcsError> {
        if self.b[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err(JcsErrorKind::Unexpected))
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), JcsError> {
        if depth > MAX_DEPTH {
            return Err(self.err(JcsErrorKind::TooDeep));
        }
        self.pos += 1;
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut prev: Option<String> = None;
        loop {
            let key_start = self.pos;
            if self.b.get(self.pos) != Some(&b'"') {
                return Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected)));
            }
            let mut key = String::new();
            self.string(Some(&mut key))?;
            if let Some(p) = &prev {
                match cmp_utf16(p, &key) {
                    Ordering::Less => {}
                    Ordering::Equal => {
                        return Err(JcsError {
                            offset: key_start,
                            kind: JcsErrorKind::DuplicateKey,
                        });
                    }
                    Ordering::Greater => {
                        return Err(JcsError {
                            offset: key_start,
                            kind: JcsErrorKind::KeyOrder,
                        });
                    }
                }
            }
            prev = Some(key);
            self.expect(b':')?;
            self.value(depth)?;
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected))),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JcsError> {
        if depth > MAX_DEPTH {
            return Err(self.err(JcsErrorKind::TooDeep));
        }
        self.pos += 1;
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(depth)?;
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected))),
            }
        }
    }

    /// Checks a string starting at the opening quote. When `out` is given the
    /// decoded text is written to it (object keys need it for ordering).
    fn string(&mut self, mut out: Option<&mut String>) -> Result<(), JcsError> {
        self.pos += 1;
        let mut run_start = self.pos;
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err(self.err(JcsErrorKind::UnexpectedEnd));
            };
            match c {
                b'"' => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.text(run_start, self.pos));
                    }
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.text(run_start, self.pos));
                    }
                    let ch = self.escape()?;
                    if let Some(o) = out.as_deref_mut() {
                        o.push(ch);
                    }
                    run_start = self.pos;
                }
                0..=0x1f => return Err(self.err(JcsErrorKind::ControlCharacter)),
                _ => self.pos += 1,
            }
        }
    }

    fn text(&self, from: usize, to: usize) -> &str {
        // The whole input was checked to be UTF-8 and both ends sit on ASCII
        // bytes, so this slice is valid UTF-8.
        std::str::from_utf8(&self.b[from..to]).unwrap_or_default()
    }

    /// Checks one escape at `self.pos` (the backslash) and returns the character.
    fn escape(&mut self) -> Result<char, JcsError> {
        let start = self.pos;
        let at = |kind| JcsError {
            offset: start,
            kind,
        };
        let Some(&e) = self.b.get(self.pos + 1) else {
            return Err(at(JcsErrorKind::UnexpectedEnd));
        };
        let ch = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'/' => return Err(at(JcsErrorKind::NonCanonicalEscape)),
            b'u' => {
                let hex = self
                    .b
                    .get(self.pos + 2..self.pos + 6)
                    .ok_or(at(JcsErrorKind::UnexpectedEnd))?;
                let mut v: u32 = 0;
                let mut lower = true;
                for &h in hex {
                    let d = match h {
                        b'0'..=b'9' => h - b'0',
                        b'a'..=b'f' => h - b'a' + 10,
                        b'A'..=b'F' => {
                            lower = false;
                            h - b'A' + 10
                        }
                        _ => return Err(at(JcsErrorKind::InvalidEscape)),
                    };
                    v = v * 16 + u32::from(d);
                }
                let short_form = matches!(v, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d);
                if v >= 0x20 || short_form || !lower {
                    return Err(at(JcsErrorKind::NonCanonicalEscape));
                }
                self.pos += 6;
                return Ok(char::from_u32(v).unwrap_or('\u{0}'));
            }
            _ => return Err(at(JcsErrorKind::InvalidEscape)),
        };
        self.pos += 2;
        Ok(ch)
    }

    fn number(&mut self) -> Result<(), JcsError> {
        let start = self.pos;
        let negative = self.b[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        let mut value: u64 = 0;
        let mut overflow = false;
        while let Some(&d @ b'0'..=b'9') = self.b.get(self.pos) {
            value = match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
            {
                Some(v) => v,
                None => {
                    overflow = true;
                    value
                }
            };
            self.pos += 1;
        }
        let ndigits = self.pos - digits_start;
        if ndigits == 0 {
            return Err(self.err(self.kind_at_pos(JcsErrorKind::Unexpected)));
        }
        if matches!(self.b.get(self.pos), Some(b'.' | b'e' | b'E')) {
            return Err(JcsError {
                offset: start,
                kind: JcsErrorKind::Float,
            });
        }
        let at_start = |kind| JcsError {
            offset: start,
            kind,
        };
        if ndigits > 1 && self.b[digits_start] == b'0' {
            return Err(at_start(JcsErrorKind::NonCanonicalNumber));
        }
        if overflow || value > MAX_SAFE_INTEGER {
            return Err(at_start(JcsErrorKind::IntegerOutOfRange));
        }
        if negative && value == 0 {
            return Err(at_start(JcsErrorKind::NonCanonicalNumber));
        }
        Ok(())
    }
}

/// Compares two strings by their UTF-16 code units (RFC 8785 section 3.2.3).
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.as_bytes().cmp(b.as_bytes());
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Why a value cannot be written as Madini canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A `null` (optional fields must be omitted).
    #[error("null cannot be encoded (at {0})")]
    Null(String),
    /// A number that is not an integer within -(2^53-1)..=2^53-1.
    #[error("number is not an integer within -(2^53-1)..=2^53-1 (at {0})")]
    Number(String),
    /// Nesting deeper than `MAX_DEPTH`.
    #[error("value nested too deeply (at {0})")]
    TooDeep(String),
    /// The value could not be turned into JSON at all.
    #[error("value cannot be represented as JSON: {0}")]
    Serialize(String),
}

/// Writes `value` as canonical JSON.
///
/// # Errors
/// `EncodeError` for `null`, non-integers, out-of-range integers or excessive depth.
pub fn encode(value: &serde_json::Value) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    write_value(value, &mut out, 0, &mut String::from("$"))?;
    Ok(out)
}

/// Serialises any `Serialize` value as canonical JSON.
///
/// # Errors
/// As `encode`, plus `Serialize` when serde cannot represent it.
pub fn to_canonical<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let v = serde_json::to_value(value).map_err(|e| EncodeError::Serialize(e.to_string()))?;
    encode(&v)
}

fn write_value(
    v: &serde_json::Value,
    out: &mut Vec<u8>,
    depth: usize,
    path: &mut String,
) -> Result<(), EncodeError> {
    use serde_json::Value;
    match v {
        Value::Null => return Err(EncodeError::Null(path.clone())),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            let ok = if let Some(i) = n.as_i64() {
                i.unsigned_abs() <= MAX_SAFE_INTEGER
            } else {
                n.as_u64().is_some_and(|u| u <= MAX_SAFE_INTEGER)
            };
            if !ok {
                return Err(EncodeError::Number(path.clone()));
            }
            out.extend_from_slice(n.to_string().as_bytes());
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            if depth + 1 > MAX_DEPTH {
                return Err(EncodeError::TooDeep(path.clone()));
            }
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                write_value(item, out, depth + 1, path)?;
                path.truncate(len);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            if depth + 1 > MAX_DEPTH {
                return Err(EncodeError::TooDeep(path.clone()));
            }
            let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            entries.sort_by(|a, b| cmp_utf16(a.0, b.0));
            out.push(b'{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                let len = path.len();
                path.push('.');
                path.push_str(k);
                write_value(item, out, depth + 1, path)?;
                path.truncate(len);
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<(usize, JcsErrorKind)> {
        check(s.as_bytes()).err().map(|e| (e.offset, e.kind))
    }

    #[test]
    fn accepts_canonical() {
        for s in [
            r#"{}"#,
            r#"{"a":1,"b":[true,false,"x"],"c":{"d":-5}}"#,
            "{\"s\":\"\\\"\\\\\\b\\t\\n\\f\\r\\u0000\\u001f\u{7f}\"}",
            r#"{"m":-9007199254740991,"n":9007199254740991,"z":0}"#,
            "{\"\u{e9}\":\"\u{20ac}\"}",
        ] {
            assert_eq!(kind(s), None, "{s}");
        }
    }

    #[test]
    fn key_order_is_utf16() {
        // U+10000 is a surrogate pair (0xD800 0xDC00) in UTF-16 and sorts before
        // U+FFFF, although its UTF-8 bytes sort after.
        assert_eq!(
            kind("{\"\u{ffff}\":1,\"\u{10000}\":2}").map(|k| k.1),
            Some(JcsErrorKind::KeyOrder)
        );
        assert_eq!(kind("{\"\u{10000}\":1,\"\u{ffff}\":2}"), None);
        let v = serde_json::json!({"\u{ffff}": 1, "\u{10000}": 2});
        let enc = String::from_utf8(encode(&v).unwrap()).unwrap();
        assert_eq!(enc, "{\"\u{10000}\":2,\"\u{ffff}\":1}");
    }

    #[test]
    fn refuses_with_offsets() {
        let cases: &[(&str, usize, JcsErrorKind)] = &[
            (r#"{"a": 1}"#, 5, JcsErrorKind::Whitespace),
            (r#" {"a":1}"#, 0, JcsErrorKind::Whitespace),
            (r#"{"a":1} "#, 7, JcsErrorKind::Whitespace),
            (r#"{"b":1,"a":2}"#, 7, JcsErrorKind::KeyOrder),
            (r#"{"a":1,"a":2}"#, 7, JcsErrorKind::DuplicateKey),
            (r#"{"a":1.0}"#, 5, JcsErrorKind::Float),
            (r#"{"a":1e3}"#, 5, JcsErrorKind::Float),
            (r#"{"a":01}"#, 5, JcsErrorKind::NonCanonicalNumber),
            (r#"{"a":-0}"#, 5, JcsErrorKind::NonCanonicalNumber),
            (
                r#"{"a":9007199254740992}"#,
                5,
                JcsErrorKind::IntegerOutOfRange,
            ),
            (
                r#"{"a":99999999999999999999999}"#,
                5,
                JcsErrorKind::IntegerOutOfRange,
            ),
            (r#"{"a":null}"#, 5, JcsErrorKind::Null),
            (r#"{"a":"\/"}"#, 6, JcsErrorKind::NonCanonicalEscape),
            (r#"{"a":"\u0041"}"#, 6, JcsErrorKind::NonCanonicalEscape),
            (r#"{"a":"\u000a"}"#, 6, JcsErrorKind::NonCanonicalEscape),
            (r#"{"a":"\u001F"}"#, 6, JcsErrorKind::NonCanonicalEscape),
            (r#"{"a":"\x"}"#, 6, JcsErrorKind::InvalidEscape),
            (r#"{"a":"b"#, 7, JcsErrorKind::UnexpectedEnd),
            (r#"{"a":1}{"#, 7, JcsErrorKind::TrailingBytes),
            (r#"{"a":tru}"#, 5, JcsErrorKind::Unexpected),
            (r#"{"a":[1,]}"#, 8, JcsErrorKind::Unexpected),
        ];
        for (s, off, k) in cases {
            assert_eq!(kind(s), Some((*off, *k)), "{s}");
        }
        assert_eq!(
            check(b"{\"a\":\"\x01\"}").unwrap_err().kind,
            JcsErrorKind::ControlCharacter
        );
        assert_eq!(
            check(b"{\"a\":\"\xff\"}").unwrap_err(),
            JcsError {
                offset: 6,
                kind: JcsErrorKind::InvalidUtf8
            }
        );
        let deep = "[".repeat(17) + &"]".repeat(17);
        assert_eq!(kind(&deep).map(|k| k.1), Some(JcsErrorKind::TooDeep));
        let ok = "[".repeat(16) + &"]".repeat(16);
        assert_eq!(kind(&ok), None);
    }

    #[test]
    fn encoder_output_is_canonical() {
        let v =
            serde_json::json!({"z": [1, "a\u{1}b\u{7f}"], "a": {"y": -3, "b": true}, "é": "\"\\/"});
        let enc = encode(&v).unwrap();
        assert_eq!(
            String::from_utf8(enc.clone()).unwrap(),
            "{\"a\":{\"b\":true,\"y\":-3},\"z\":[1,\"a\\u0001b\u{7f}\"],\"é\":\"\\\"\\\\/\"}"
        );
        check(&enc).unwrap();
        assert!(encode(&serde_json::json!({"a": null})).is_err());
        assert!(encode(&serde_json::json!({"a": 1.5})).is_err());
        assert!(encode(&serde_json::json!({"a": 9007199254740992u64})).is_err());
    }
}
