//! Value types of signed data (`spec/encoding.md` sections 2 to 4): identifiers,
//! text, countries, minerals, roles and bounded integers. Each one checks its
//! own rule when deserialised, so a bad value is refused with its field path.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::jcs::MAX_SAFE_INTEGER;

/// Why a text value breaks its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub &'static str);

macro_rules! string_type {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `s` against the rule and wraps it.
            ///
            /// # Errors
            /// The rule's message when `s` breaks it.
            pub fn new(s: impl Into<String>) -> Result<Self, ValueError> {
                let s = s.into();
                let check: fn(&str) -> Result<(), ValueError> = $check;
                check(&s)?;
                Ok($name(s))
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                $name::new(s)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::new(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

fn id_rule(s: &str) -> Result<(), ValueError> {
    const MSG: &str =
        "an id is 1 to 64 characters from A-Z a-z 0-9 . _ : + -, starting with a letter or digit";
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 64 || !b[0].is_ascii_alphanumeric() {
        return Err(ValueError(MSG));
    }
    if b.iter()
        .all(|c| c.is_ascii_alphanumeric() || b"._:+-".contains(c))
    {
        Ok(())
    } else {
        Err(ValueError(MSG))
    }
}

string_type!(
    /// An identifier of an actor, lot, licence, certificate... (`spec/encoding.md` section 2).
    Id,
    id_rule
);

string_type!(
    /// A log origin: also the checkpoint's key name.
    Origin,
    |s| {
        const MSG: &str = "an origin is 1 to 128 characters from a-z A-Z 0-9 . _ / -, starting with a letter or digit";
        let b = s.as_bytes();
        if b.is_empty()
            || b.len() > 128
            || !b[0].is_ascii_alphanumeric()
            || !b.iter().all(|c| c.is_ascii_alphanumeric() || b"._/-".contains(c))
        {
            return Err(ValueError(MSG));
        }
        Ok(())
    }
);

/// Whether `s` matches the ICGLR mine-site id pattern
/// `^[A-Z]{2}-[+-]?[0-9]+\.[0-9]{4}[+-][0-9]+\.[0-9]{4}-[0-9]+$`.
fn icglr_site_pattern(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let take_digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.len() < 3 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_uppercase() || b[2] != b'-' {
        return false;
    }
    i += 3;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    // latitude: digits '.' 4 digits
    if take_digits(&mut i) == 0 || b.get(i) != Some(&b'.') {
        return false;
    }
    i += 1;
    if take_digits(&mut i) != 4 || !matches!(b.get(i), Some(b'+' | b'-')) {
        return false;
    }
    i += 1;
    if take_digits(&mut i) == 0 || b.get(i) != Some(&b'.') {
        return false;
    }
    i += 1;
    if take_digits(&mut i) != 4 || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    take_digits(&mut i) > 0 && i == b.len()
}

string_type!(
    /// An ICGLR mine-site id such as `RW-1.9641+30.0619-12345`.
    SiteId,
    |s| {
        if s.len() <= 64 && icglr_site_pattern(s) {
            Ok(())
        } else {
            Err(ValueError(
                "a site id follows the ICGLR pattern CC-<lat>-<long>-NNNNN, e.g. RW-1.9641+30.0619-12345",
            ))
        }
    }
);

impl SiteId {
    /// The country code at the start of the id.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

string_type!(
    /// A tag id `PREFIX-DIGITS` (`spec/encoding.md` section 2).
    TagId,
    |s| {
        id_rule(s)?;
        if TagId::split(s).is_some() {
            Ok(())
        } else {
            Err(ValueError(
                "a tag id is a prefix, a hyphen and 1 to 12 digits, e.g. RW24-000123",
            ))
        }
    }
);

impl TagId {
    fn split(s: &str) -> Option<(&str, &str)> {
        let (prefix, digits) = s.rsplit_once('-')?;
        if prefix.is_empty()
            || digits.is_empty()
            || digits.len() > 12
            || !digits.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        Some((prefix, digits))
    }

    /// The tag's prefix, width (number of digits) and number.
    pub fn parts(&self) -> (&str, u8, u64) {
        let (prefix, digits) = TagId::split(&self.0).unwrap_or(("", "0"));
        (prefix, digits.len() as u8, digits.parse().unwrap_or(0))
    }

    /// The tag id for `prefix`, `width` and `number`.
    ///
    /// # Errors
    /// If the result breaks the tag-id rule.
    pub fn compose(prefix: &str, width: u8, number: u64) -> Result<TagId, ValueError> {
        TagId::new(format!("{prefix}-{number:0w$}", w = usize::from(width)))
    }
}

fn text_rule(s: &str, max: usize, newline: bool) -> Result<(), ValueError> {
    if s.is_empty() || s.len() > max {
        return Err(ValueError(if max == 200 {
            "text must be 1 to 200 bytes"
        } else {
            "text must be 1 to 4000 bytes"
        }));
    }
    if s.chars()
        .any(|c| (c.is_ascii_control() || c == '\u{7f}') && !(newline && c == '\n'))
    {
        return Err(ValueError("text must not contain control characters"));
    }
    Ok(())
}

string_type!(
    /// Short text: 1 to 200 bytes, no control characters.
    Text,
    |s| text_rule(s, 200, false)
);

string_type!(
    /// Long text: 1 to 4000 bytes, no control characters except newline.
    LongText,
    |s| text_rule(s, 4000, true)
);

string_type!(
    /// An ISO 3166-1 alpha-2 country code.
    Country,
    |s| {
        if s.len() == 2 && s.bytes().all(|c| c.is_ascii_uppercase()) {
            Ok(())
        } else {
            Err(ValueError("a country is an ISO 3166-1 alpha-2 code such as CD or RW"))
        }
    }
);

string_type!(
    /// An ISO 4217 currency code.
    Currency,
    |s| {
        if s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase()) {
            Ok(())
        } else {
            Err(ValueError("a currency is an ISO 4217 code such as USD or RWF"))
        }
    }
);

string_type!(
    /// An E.164 telephone number: `+` and 2 to 15 digits.
    Phone,
    |s| {
        let d = s.strip_prefix('+').unwrap_or("");
        if (2..=15).contains(&d.len()) && d.bytes().all(|c| c.is_ascii_digit()) && !d.starts_with('0') {
            Ok(())
        } else {
            Err(ValueError("a phone number is in E.164 form: + and 2 to 15 digits"))
        }
    }
);

/// A mineral, by its MDC.03 HS code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mineral {
    /// Cassiterite (tin ore).
    #[serde(rename = "2609.00.00")]
    Cassiterite,
    /// Columbite-tantalite (coltan).
    #[serde(rename = "2615.90.00")]
    Coltan,
    /// Wolframite (tungsten ore).
    #[serde(rename = "2611.00.00")]
    Wolframite,
    /// Gold.
    #[serde(rename = "7108.12.00")]
    Gold,
}

impl Mineral {
    /// All four designated minerals.
    pub const ALL: [Mineral; 4] = [
        Mineral::Cassiterite,
        Mineral::Coltan,
        Mineral::Wolframite,
        Mineral::Gold,
    ];

    /// The HS code.
    pub fn code(self) -> &'static str {
        match self {
            Mineral::Cassiterite => "2609.00.00",
            Mineral::Coltan => "2615.90.00",
            Mineral::Wolframite => "2611.00.00",
            Mineral::Gold => "7108.12.00",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Mineral::Cassiterite => "cassiterite (tin)",
            Mineral::Coltan => "coltan (tantalum)",
            Mineral::Wolframite => "wolframite (tungsten)",
            Mineral::Gold => "gold",
        }
    }

    /// French name.
    pub fn name_fr(self) -> &'static str {
        match self {
            Mineral::Cassiterite => "cassitérite (étain)",
            Mineral::Coltan => "coltan (tantale)",
            Mineral::Wolframite => "wolframite (tungstène)",
            Mineral::Gold => "or",
        }
    }
}

impl fmt::Display for Mineral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Mineral {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Mineral, ValueError> {
        let lower = s.to_ascii_lowercase();
        Mineral::ALL
            .into_iter()
            .find(|m| {
                m.code() == s
                    || match m {
                        Mineral::Cassiterite => lower == "cassiterite" || lower == "tin",
                        Mineral::Coltan => lower == "coltan" || lower == "tantalum",
                        Mineral::Wolframite => lower == "wolframite" || lower == "tungsten",
                        Mineral::Gold => lower == "gold",
                    }
            })
            .ok_or(ValueError(
                "a mineral is an HS code: 2609.00.00, 2615.90.00, 2611.00.00 or 7108.12.00",
            ))
    }
}

/// An actor's role (`spec/events.md` section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// National registry or ICGLR secretariat.
    Authority,
    /// Government inspector.
    Inspector,
    /// Miners' cooperative (MDC.05 1).
    Cooperative,
    /// In-country trader (2).
    Trader,
    /// Shipper (3).
    Shipper,
    /// Processor (4).
    Processor,
    /// Warehouse (5).
    Warehouse,
    /// Importer (6).
    Importer,
    /// Exporter (7).
    Exporter,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 9] = [
        Role::Authority,
        Role::Inspector,
        Role::Cooperative,
        Role::Trader,
        Role::Shipper,
        Role::Processor,
        Role::Warehouse,
        Role::Importer,
        Role::Exporter,
    ];

    /// Whether the role may hold custody of lots
    /// (`crate::authz::CUSTODY_ROLES`).
    pub fn holds_custody(self) -> bool {
        crate::authz::CUSTODY_ROLES.contains(&self)
    }

    /// The MDC.05 chain-of-custody role code.
    pub fn mdc05(self) -> u8 {
        match self {
            Role::Cooperative => 1,
            Role::Trader => 2,
            Role::Shipper => 3,
            Role::Processor => 4,
            Role::Warehouse => 5,
            Role::Importer => 6,
            Role::Exporter => 7,
            Role::Authority | Role::Inspector => 8,
        }
    }

    /// The name used in events.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Authority => "authority",
            Role::Inspector => "inspector",
            Role::Cooperative => "cooperative",
            Role::Trader => "trader",
            Role::Shipper => "shipper",
            Role::Processor => "processor",
            Role::Warehouse => "warehouse",
            Role::Importer => "importer",
            Role::Exporter => "exporter",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Role, ValueError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(ValueError(
                "a role is one of authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter",
            ))
    }
}

macro_rules! bounded_int {
    (no_display $(#[$doc:meta])* $name:ident, $inner:ty, $min:expr, $max:expr, $msg:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            /// Checks the range and wraps.
            ///
            /// # Errors
            /// When `v` is out of range.
            pub fn new(v: $inner) -> Result<Self, ValueError> {
                if ($min..=$max).contains(&v) {
                    Ok($name(v))
                } else {
                    Err(ValueError($msg))
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <$inner>::deserialize(d)?;
                $name::new(v).map_err(serde::de::Error::custom)
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, $inner:ty, $min:expr, $max:expr, $msg:expr) => {
        bounded_int!(no_display $(#[$doc])* $name, $inner, $min, $max, $msg);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

bounded_int!(
    no_display
    /// A mass in grams, 1 ..= 2^53-1.
    Grams, u64, 1, MAX_SAFE_INTEGER, "a mass is an integer number of grams from 1 to 2^53-1"
);
bounded_int!(
    no_display
    /// A grade in basis points, 0 ..= 10000.
    Grade, u16, 0, 10_000, "a grade is an integer number of basis points from 0 to 10000"
);
bounded_int!(
    /// A time: milliseconds since the Unix epoch, 0 ..= 2^53-1.
    Millis, u64, 0, MAX_SAFE_INTEGER, "a time is milliseconds since 1970-01-01T00:00:00Z"
);
bounded_int!(
    /// An amount of money in minor units, 0 ..= 2^53-1.
    Minor, u64, 0, MAX_SAFE_INTEGER, "an amount is an integer number of minor units (cents)"
);
bounded_int!(
    /// Latitude in millionths of a degree.
    Lat, i64, -90_000_000, 90_000_000, "a latitude is degrees x 10^6 within ±90000000"
);
bounded_int!(
    /// Longitude in millionths of a degree.
    Lon, i64, -180_000_000, 180_000_000, "a longitude is degrees x 10^6 within ±180000000"
);
bounded_int!(
    no_display
    /// MDC.01 certification status: 0 Blue, 1 Green, 2 Yellow, 3 Red.
    CertStatus, u8, 0, 3, "a certification status is 0 (Blue), 1 (Green), 2 (Yellow) or 3 (Red)"
);
bounded_int!(
    no_display
    /// An inspection result: 1 Green, 2 Yellow, 3 Red.
    InspectionResult, u8, 1, 3, "an inspection result is 1 (Green), 2 (Yellow) or 3 (Red)"
);
bounded_int!(
    no_display
    /// MDC.02 mining activity status: 0 abandoned, 1 active, 2 non-active.
    Activity, u8, 0, 2, "an activity status is 0 (abandoned), 1 (active) or 2 (non-active)"
);
bounded_int!(
    /// Days in a capacity window, 1 ..= 366.
    Days, u16, 1, 366, "a capacity window is 1 to 366 days"
);
bounded_int!(
    /// Number of packages, 1 ..= 1000.
    Packages, u16, 1, 1000, "packages is 1 to 1000"
);
bounded_int!(
    /// Digits of a tag number, 1 ..= 12.
    TagWidth, u8, 1, 12, "a tag width is 1 to 12 digits"
);

impl Grams {
    /// Contained metal in milligram-basis-point units (mass x grade), exact.
    pub fn contained(self, grade: Grade) -> u128 {
        u128::from(self.0) * u128::from(grade.0)
    }
}

impl CertStatus {
    /// Blue: not yet inspected.
    pub const BLUE: CertStatus = CertStatus(0);
    /// Green: eligible.
    pub const GREEN: CertStatus = CertStatus(1);
    /// Yellow: issues found, grace period.
    pub const YELLOW: CertStatus = CertStatus(2);
    /// Red: excluded.
    pub const RED: CertStatus = CertStatus(3);

    /// English colour name.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "Blue",
            1 => "Green",
            2 => "Yellow",
            _ => "Red",
        }
    }
}

// ---------------------------------------------------------------------------
// Text forms of amounts and statuses: what people type (`25.3kg`, `62%`,
// `green`), read exactly. A value that would need rounding is refused, never
// rounded, because a mass or grade is signed as an integer.

/// Why a decimal number cannot be read exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecimalErrorKind {
    /// Not digits with at most one `.`.
    NotANumber,
    /// More fractional digits than the unit allows.
    TooManyDecimals(u32),
    /// Does not fit in the integer.
    TooLarge,
}

/// A decimal number that cannot be read exactly: the number as written and
/// what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalError {
    /// The number as written (trimmed).
    pub number: String,
    /// What is wrong.
    pub kind: DecimalErrorKind,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.number;
        match self.kind {
            DecimalErrorKind::NotANumber => write!(f, "{n:?} is not a number"),
            DecimalErrorKind::TooManyDecimals(scale) => {
                write!(f, "{n:?} has more than {scale} decimals")
            }
            DecimalErrorKind::TooLarge => write!(f, "{n:?} is too large"),
        }
    }
}

impl std::error::Error for DecimalError {}

/// Reads a non-negative decimal (`25.3`, `.5`, `12`) with at most `scale`
/// fractional digits (trailing zeros do not count) into an integer scaled by
/// 10^`scale`: `decimal("25.3", 3)` is 25300.
///
/// # Errors
/// Not a number, too many decimals, or too large for a `u64`.
pub fn decimal(s: &str, scale: u32) -> Result<u64, DecimalError> {
    let s = s.trim();
    let err = |kind| DecimalError {
        number: s.to_string(),
        kind,
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return Err(err(DecimalErrorKind::NotANumber));
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > scale as usize {
        return Err(err(DecimalErrorKind::TooManyDecimals(scale)));
    }
    let too_big = || err(DecimalErrorKind::TooLarge);
    let int: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| too_big())?
    };
    let mut f: u64 = 0;
    for (i, c) in frac.bytes().enumerate() {
        f += u64::from(c - b'0') * 10u64.pow(scale - 1 - i as u32);
    }
    int.checked_mul(10u64.pow(scale))
        .and_then(|v| v.checked_add(f))
        .ok_or_else(too_big)
}

/// Why a text is not a mass.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MassErrorKind {
    /// The number cannot be read exactly in its unit.
    Number(DecimalError),
    /// Zero, or above 2^53-1 grams.
    OutOfRange,
}

/// A text that is not a mass: the text as given and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseMassError {
    /// The text as given.
    pub input: String,
    /// What is wrong.
    pub kind: MassErrorKind,
}

impl fmt::Display for ParseMassError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.input;
        match &self.kind {
            MassErrorKind::Number(e) => write!(f, "mass {s:?}: {e}")?,
            MassErrorKind::OutOfRange => {
                write!(f, "mass {s:?}: must be at least 1 g and below 2^53 g")?;
            }
        }
        f.write_str("; write kilograms (25.3kg, up to 3 decimals), tonnes (1.2t) or grams (25300g)")
    }
}

impl std::error::Error for ParseMassError {}

impl FromStr for Grams {
    type Err = ParseMassError;

    /// Reads `25.3kg`, `25,3 kg`, `1.2t` or `25300g` (case-insensitive); a
    /// bare number is kilograms.
    fn from_str(s: &str) -> Result<Grams, ParseMassError> {
        let err = |kind| ParseMassError {
            input: s.to_string(),
            kind,
        };
        let t = s.trim().to_ascii_lowercase().replace(',', ".");
        let (num, scale) = if let Some(n) = t.strip_suffix("kg") {
            (n, 3)
        } else if let Some(n) = t.strip_suffix('t') {
            (n, 6)
        } else if let Some(n) = t.strip_suffix('g') {
            (n, 0)
        } else {
            (t.as_str(), 3)
        };
        let g = decimal(num, scale).map_err(|e| err(MassErrorKind::Number(e)))?;
        Grams::new(g).map_err(|_| err(MassErrorKind::OutOfRange))
    }
}

impl fmt::Display for Grams {
    /// Grams with the `g` suffix, which `from_str` reads back exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}g", self.0)
    }
}

/// Why a text is not a grade.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GradeErrorKind {
    /// The number cannot be read exactly in its unit.
    Number(DecimalError),
    /// Above 100 % (10000 basis points).
    AboveHundred,
}

/// A text that is not a grade: the text as given and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseGradeError {
    /// The text as given.
    pub input: String,
    /// What is wrong.
    pub kind: GradeErrorKind,
}

impl fmt::Display for ParseGradeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.input;
        match &self.kind {
            GradeErrorKind::Number(e) => write!(
                f,
                "grade {s:?}: {e}; write a percentage (65.5%, up to 2 decimals) or basis points (6550bp)"
            ),
            GradeErrorKind::AboveHundred => write!(f, "grade {s:?} is above 100%"),
        }
    }
}

impl std::error::Error for ParseGradeError {}

impl FromStr for Grade {
    type Err = ParseGradeError;

    /// Reads `65%`, `65,25 %` or `6525bp`; a bare number is percent.
    fn from_str(s: &str) -> Result<Grade, ParseGradeError> {
        let err = |kind| ParseGradeError {
            input: s.to_string(),
            kind,
        };
        let t = s.trim().to_ascii_lowercase().replace(',', ".");
        let bp = if let Some(n) = t.strip_suffix("bp") {
            decimal(n, 0)
        } else {
            decimal(t.trim_end_matches('%'), 2)
        }
        .map_err(|e| err(GradeErrorKind::Number(e)))?;
        u16::try_from(bp)
            .ok()
            .and_then(|v| Grade::new(v).ok())
            .ok_or_else(|| err(GradeErrorKind::AboveHundred))
    }
}

impl fmt::Display for Grade {
    /// Basis points with the `bp` suffix, which `from_str` reads back exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}bp", self.0)
    }
}

/// The colour names of MDC.01 statuses 0 to 3, in English and French.
const COLOURS: [(&str, &str); 4] = [
    ("blue", "bleu"),
    ("green", "vert"),
    ("yellow", "jaune"),
    ("red", "rouge"),
];

/// The MDC.01 code of a colour name (English or French) or digit.
fn colour_code(s: &str) -> Option<u8> {
    let s = s.trim().to_ascii_lowercase();
    (0u8..4).find(|&i| {
        let (en, fr) = COLOURS[usize::from(i)];
        s == en || s == fr || s == i.to_string()
    })
}

impl FromStr for CertStatus {
    type Err = ValueError;

    /// Reads `blue`, `green`, `yellow`, `red` (or `bleu`, `vert`, `jaune`,
    /// `rouge`, or the codes 0 to 3), in any case.
    fn from_str(s: &str) -> Result<CertStatus, ValueError> {
        colour_code(s).map(CertStatus).ok_or(ValueError(
            "a site status is blue, green, yellow or red (MDC.01 0 to 3)",
        ))
    }
}

impl fmt::Display for CertStatus {
    /// The lowercase English colour name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(COLOURS[usize::from(self.0.min(3))].0)
    }
}

impl FromStr for InspectionResult {
    type Err = ValueError;

    /// Reads `green`, `yellow`, `red` (or `vert`, `jaune`, `rouge`, or the
    /// codes 1 to 3), in any case.
    fn from_str(s: &str) -> Result<InspectionResult, ValueError> {
        match colour_code(s) {
            Some(c @ 1..=3) => Ok(InspectionResult(c)),
            _ => Err(ValueError(
                "an inspection is green, yellow or red (blue means not inspected)",
            )),
        }
    }
}

impl fmt::Display for InspectionResult {
    /// The lowercase English colour name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(COLOURS[usize::from(self.0.min(3))].0)
    }
}

/// The MDC.02 activity names of codes 0 to 2.
const ACTIVITIES: [&str; 3] = ["abandoned", "active", "non-active"];

impl FromStr for Activity {
    type Err = ValueError;

    /// Reads `active`, `non-active` (or `inactive`), `abandoned`, or the
    /// codes 0 to 2, in any case.
    fn from_str(s: &str) -> Result<Activity, ValueError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "0" | "abandoned" => Ok(Activity(0)),
            "1" | "active" => Ok(Activity(1)),
            "2" | "non-active" | "inactive" => Ok(Activity(2)),
            _ => Err(ValueError(
                "an activity status is active, non-active or abandoned (MDC.02)",
            )),
        }
    }
}

impl fmt::Display for Activity {
    /// The MDC.02 name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ACTIVITIES[usize::from(self.0.min(2))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(Id::new("LOT-RW-2026-000123").is_ok());
        assert!(Id::new("-x").is_err());
        assert!(Id::new("").is_err());
        assert!(Id::new("a b").is_err());
        assert!(Id::new("x".repeat(65)).is_err());
    }

    #[test]
    fn site_ids_follow_icglr() {
        for ok in [
            "RW-1.9641+30.0619-12345",
            "CD--1.9403+29.8739-00001",
            "UG-+0.3476-32.5825-1",
        ] {
            assert!(SiteId::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "rw-1.9641+30.0619-1",
            "RW-1.964+30.0619-1",
            "RW-1.9641+30.0619-",
            "RW-1.9641+30.0619",
        ] {
            assert!(SiteId::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            SiteId::new("CD-1.9403+29.8739-00001").unwrap().country(),
            "CD"
        );
    }

    #[test]
    fn tags_split_at_last_hyphen() {
        let t = TagId::new("RW-24-000123").unwrap();
        assert_eq!(t.parts(), ("RW-24", 6, 123));
        assert_eq!(TagId::compose("RW-24", 6, 123).unwrap(), t);
        assert!(TagId::new("RW24").is_err());
        assert!(TagId::new("RW-1234567890123").is_err());
    }

    #[test]
    fn text_rules() {
        assert!(Text::new("Coopérative Minière de Rubaya").is_ok());
        assert!(Text::new("a\nb").is_err());
        assert!(LongText::new("a\nb").is_ok());
        assert!(LongText::new("a\tb").is_err());
        assert!(Text::new("").is_err());
        assert!(Text::new("é".repeat(101)).is_err());
    }

    #[test]
    fn minerals_and_roles_parse() {
        assert_eq!("tin".parse::<Mineral>().unwrap(), Mineral::Cassiterite);
        assert_eq!("2615.90.00".parse::<Mineral>().unwrap(), Mineral::Coltan);
        assert_eq!("exporter".parse::<Role>().unwrap(), Role::Exporter);
        assert!("miner".parse::<Role>().is_err());
        assert!(Phone::new("+250788123456").is_ok());
        assert!(Phone::new("0788123456").is_err());
    }

    /// `check(text, parsed)`: `text` parses to `parsed`, and `parsed`'s
    /// Display parses back to itself.
    fn check<T>(text: &str, want: T)
    where
        T: FromStr + fmt::Display + PartialEq + fmt::Debug,
        T::Err: fmt::Debug,
    {
        let got: T = text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(got, want, "{text}");
        let shown = got.to_string();
        assert_eq!(shown.parse::<T>().ok(), Some(got), "{text} -> {shown}");
    }

    #[test]
    fn masses_read_exactly_and_round_trip() {
        check("25.3kg", Grams(25_300));
        check("25,3 kg", Grams(25_300));
        check("48.5KG", Grams(48_500));
        check("1.2t", Grams(1_200_000));
        check("30t", Grams(30_000_000));
        check("500g", Grams(500));
        check("12", Grams(12_000));
        check(".5kg", Grams(500));
        let e = "0.0015kg".parse::<Grams>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "mass \"0.0015kg\": \"0.0015\" has more than 3 decimals; write kilograms (25.3kg, up to 3 decimals), tonnes (1.2t) or grams (25300g)"
        );
        let e = "abc".parse::<Grams>().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("mass \"abc\": \"abc\" is not a number; "),
            "{e}"
        );
        for bad in [
            "-1kg",
            "",
            "kg",
            "1.2.3",
            "99999999999999999999kg",
            "0kg",
            "9007199254740992g",
        ] {
            assert!(bad.parse::<Grams>().is_err(), "{bad}");
        }
        assert_eq!(
            "9007199254740991g".parse::<Grams>(),
            Ok(Grams(MAX_SAFE_INTEGER))
        );
    }

    #[test]
    fn grades_read_exactly_and_round_trip() {
        check("65%", Grade(6500));
        check("65.25", Grade(6525));
        check("62 %", Grade(6200));
        check("6525bp", Grade(6525));
        check("0%", Grade(0));
        check("100%", Grade(10_000));
        let e = "100.01%".parse::<Grade>().unwrap_err();
        assert_eq!(e.to_string(), "grade \"100.01%\" is above 100%");
        let e = "65.125%".parse::<Grade>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "grade \"65.125%\": \"65.125\" has more than 2 decimals; write a percentage (65.5%, up to 2 decimals) or basis points (6550bp)"
        );
        assert!("70000bp".parse::<Grade>().is_err());
        assert!("x%".parse::<Grade>().is_err());
    }

    #[test]
    fn statuses_read_names_and_codes_and_round_trip() {
        check("green", CertStatus::GREEN);
        check("Rouge", CertStatus::RED);
        check("0", CertStatus::BLUE);
        check("yellow", InspectionResult(2));
        check("3", InspectionResult(3));
        assert!("blue".parse::<InspectionResult>().is_err());
        assert!("purple".parse::<CertStatus>().is_err());
        check("active", Activity(1));
        check("inactive", Activity(2));
        check("abandoned", Activity(0));
        assert!("busy".parse::<Activity>().is_err());
        for m in Mineral::ALL {
            check(&m.to_string(), m);
        }
        for r in Role::ALL {
            check(r.as_str(), r);
        }
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal("25.300", 3), Ok(25_300));
        assert_eq!(decimal(" 7 ", 0), Ok(7));
        assert_eq!(
            decimal("1.5", 0).unwrap_err().kind,
            DecimalErrorKind::TooManyDecimals(0)
        );
        assert_eq!(
            decimal("18446744073709551615", 1).unwrap_err().kind,
            DecimalErrorKind::TooLarge
        );
        assert_eq!(
            decimal(".", 2).unwrap_err().kind,
            DecimalErrorKind::NotANumber
        );
    }
}
