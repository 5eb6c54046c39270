//! The QR payload (`spec/tags.md` section 3): the lot page's URL with the
//! signed claim in its fragment, `{base}/lots/{lot}#{claim text}`, and its
//! strict decoder.

use std::fmt;
use std::str::FromStr;

use ledger_core::crypto::KeyId;
use ledger_core::types::{Grade, Grams, Id, SiteId, TagId};

use crate::claim::{
    CLAIM_VERSION, Claim, MAX_LOT_LEN, MAX_SITE_LEN, MAX_TAG_LEN, SignedClaim, mineral_code,
    mineral_from_code,
};

/// Longest base URL a payload may carry, in bytes.
pub const MAX_BASE_URL_LEN: usize = 64;
/// Longest payload the decoder reads, in bytes. The longest valid payload is
/// 302 bytes; the bound stops a decoder from doing work on junk.
pub const MAX_PAYLOAD_LEN: usize = 512;
/// Number of `/`-separated fields in the claim text.
pub const CLAIM_FIELDS: usize = 8;
/// Length of the last field: base32 of the key id and the signature.
pub const KEY_SIGNATURE_CHARS: usize = 128;
/// The path segment between the base URL and the lot id.
const LOTS: &str = "/lots/";
/// Names of the claim-text fields, in order, as error messages give them.
const FIELD_NAMES: [&str; CLAIM_FIELDS] = [
    "version",
    "tag",
    "site",
    "mineral",
    "mass",
    "grade",
    "day",
    "key-signature",
];
/// RFC 4648 section 6 base32 alphabet.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The URL of the issuing node under which lot pages live, e.g.
/// `https://registry.example` (`spec/tags.md` section 3.1).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

/// Why a base URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// Empty or longer than [`MAX_BASE_URL_LEN`].
    #[error("a base url is 1 to 64 bytes, this one is {0}")]
    Length(usize),
    /// Not `https://` or `http://` followed by a host.
    #[error("a base url starts with https:// or http:// and a host")]
    Scheme,
    /// A byte outside the allowed set.
    #[error(
        "byte {offset} of the base url ({byte:#04x}) is not allowed (no ?, #, %, space or non-ascii)"
    )]
    Byte {
        /// Offset of the byte in the base URL.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A trailing `/`, which would make the lot page path `//lots/`.
    #[error("a base url does not end with /")]
    TrailingSlash,
}

fn base_url_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~:/@[]!$&'()*+,;=".contains(&c)
}

impl BaseUrl {
    /// Checks `s` against the base URL rule of `spec/tags.md` section 3.1.
    ///
    /// # Errors
    /// The first rule `s` breaks.
    pub fn new(s: impl Into<String>) -> Result<BaseUrl, BaseUrlError> {
        let s = s.into();
        if s.is_empty() || s.len() > MAX_BASE_URL_LEN {
            return Err(BaseUrlError::Length(s.len()));
        }
        if let Some(offset) = s.bytes().position(|c| !base_url_byte(c)) {
            return Err(BaseUrlError::Byte {
                offset,
                byte: s.as_bytes()[offset],
            });
        }
        let host = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or(BaseUrlError::Scheme)?;
        if host.is_empty() || host.starts_with('/') {
            return Err(BaseUrlError::Scheme);
        }
        if s.ends_with('/') {
            return Err(BaseUrlError::TrailingSlash);
        }
        Ok(BaseUrl(s))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lot's public page: `{base}/lots/{lot}`.
    pub fn lot_page(&self, lot: &Id) -> String {
        format!("{}{LOTS}{lot}", self.0)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl FromStr for BaseUrl {
    type Err = BaseUrlError;
    fn from_str(s: &str) -> Result<BaseUrl, BaseUrlError> {
        BaseUrl::new(s)
    }
}

/// A decoded QR payload: where the lot page is, and the signed claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// The issuing node's base URL. Not covered by the signature.
    pub base_url: BaseUrl,
    /// The claim and its signature, not yet verified.
    pub claim: SignedClaim,
}

impl Payload {
    /// The lot page the code opens: everything before the `#`.
    pub fn lot_page(&self) -> String {
        self.base_url.lot_page(&self.claim.claim().lot)
    }
}

impl fmt::Display for Payload {
    /// The payload text, as [`encode_payload`] writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_payload(&self.base_url, &self.claim))
    }
}

impl FromStr for Payload {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Payload, PayloadError> {
        decode_payload(s)
    }
}

/// Why a QR payload does not decode (`spec/tags.md` section 3.3). Each
/// message names what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// Longer than [`MAX_PAYLOAD_LEN`].
    #[error("payload is {0} bytes, more than 512")]
    TooLong(usize),
    /// No `#`: a URL without a claim.
    #[error("no claim: the payload has no '#' fragment")]
    MissingClaim,
    /// The part before `#` does not end in `/lots/{lot}`.
    #[error("the url before '#' does not end in /lots/<lot>")]
    NotALotPage,
    /// The part before `/lots/` is not a valid base URL.
    #[error("base url: {0}")]
    BaseUrl(#[from] BaseUrlError),
    /// The claim's first field is not a version this decoder reads.
    #[error("claim version {0:?} is not supported (this decoder reads version 1)")]
    UnsupportedVersion(String),
    /// The claim text stops before field `field`.
    #[error("claim is truncated: field {0} is missing")]
    Truncated(&'static str),
    /// The key-signature field is shorter than 128 characters.
    #[error("claim is truncated: key-signature has {0} of 128 base32 characters")]
    TruncatedSignature(usize),
    /// More than eight fields.
    #[error("claim has {0} fields, a version 1 claim has 8")]
    ExtraFields(usize),
    /// A field breaks its rule.
    #[error("claim field {field}: {reason}")]
    BadField {
        /// `lot` (from the path), `tag`, `site`, `mineral`, `mass`, `grade`,
        /// `day` or `key-signature`.
        field: &'static str,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A character of the key-signature field outside the base32 alphabet.
    #[error("byte {0} of the payload is not a base32 character (A-Z, 2-7) in key-signature")]
    BadBase32(usize),
}

impl PayloadError {
    /// A stable identifier of the error kind, as the vectors in
    /// `spec/vectors/tags/` name it: `too-long`, `missing-claim`,
    /// `not-a-lot-page`, `base-url`, `unsupported-version`, `truncated`,
    /// `extra-fields`, `bad-field` or `bad-base32`.
    pub fn id(&self) -> &'static str {
        match self {
            PayloadError::TooLong(_) => "too-long",
            PayloadError::MissingClaim => "missing-claim",
            PayloadError::NotALotPage => "not-a-lot-page",
            PayloadError::BaseUrl(_) => "base-url",
            PayloadError::UnsupportedVersion(_) => "unsupported-version",
            PayloadError::Truncated(_) | PayloadError::TruncatedSignature(_) => "truncated",
            PayloadError::ExtraFields(_) => "extra-fields",
            PayloadError::BadField { .. } => "bad-field",
            PayloadError::BadBase32(_) => "bad-base32",
        }
    }
}

/// Writes `bytes` (a multiple of 5 bytes long) as RFC 4648 base32, which
/// then needs no padding.
fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() / 5 * 8);
    for chunk in bytes.chunks(5) {
        let mut v = 0u64;
        for &b in chunk {
            v = (v << 8) | u64::from(b);
        }
        v <<= 8 * (5 - chunk.len());
        for i in (0..8).rev() {
            out.push(char::from(BASE32[((v >> (5 * i)) & 31) as usize]));
        }
    }
    out
}

/// Reads base32 whose length is a multiple of 8 characters; on a bad
/// character returns its index.
fn base32_decode(text: &str) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(text.len() / 8 * 5);
    for (n, chunk) in text.as_bytes().chunks(8).enumerate() {
        let mut v = 0u64;
        for (i, &c) in chunk.iter().enumerate() {
            let d = BASE32.iter().position(|&a| a == c).ok_or(n * 8 + i)?;
            v = (v << 5) | d as u64;
        }
        out.extend_from_slice(&v.to_be_bytes()[3..]);
    }
    Ok(out)
}

/// Encodes the payload `{base}/lots/{lot}#{claim text}` of `spec/tags.md`
/// section 3.
pub fn encode_payload(base_url: &BaseUrl, signed: &SignedClaim) -> String {
    let c = signed.claim();
    let mut seal = Vec::with_capacity(80);
    seal.extend_from_slice(&c.key_id.0);
    seal.extend_from_slice(signed.signature());
    format!(
        "{page}#{CLAIM_VERSION}/{tag}/{site}/{mineral}/{mass}/{grade}/{day}/{seal}",
        page = base_url.lot_page(&c.lot),
        tag = c.tag,
        site = c.site,
        mineral = mineral_code(c.mineral),
        mass = c.mass.0,
        grade = c.grade.0,
        day = c.day,
        seal = base32_encode(&seal),
    )
}

/// Reads a canonical decimal integer: `0` or a non-zero digit followed by
/// digits, at most `max_digits` long.
fn decimal(field: &'static str, s: &str, max_digits: usize) -> Result<u64, PayloadError> {
    let bad = PayloadError::BadField {
        field,
        reason: "not a canonical decimal integer (digits, no sign, no leading zero)",
    };
    if s.is_empty()
        || s.len() > max_digits
        || !s.bytes().all(|c| c.is_ascii_digit())
        || (s.len() > 1 && s.starts_with('0'))
    {
        return Err(bad);
    }
    s.parse().map_err(|_| bad)
}

fn bounded_id<T>(
    field: &'static str,
    s: &str,
    max: usize,
    make: fn(&str) -> Result<T, ledger_core::types::ValueError>,
) -> Result<T, PayloadError> {
    if s.len() > max {
        return Err(PayloadError::BadField {
            field,
            reason: "longer than a tag can carry (tag 20, lot 20, site 28 bytes)",
        });
    }
    make(s).map_err(|e| PayloadError::BadField { field, reason: e.0 })
}

/// Decodes and checks a QR payload (`spec/tags.md` section 3.3) without
/// checking the signature; call [`SignedClaim::verify`] on the result.
///
/// # Errors
/// The first rule the payload breaks, in the order of the spec.
pub fn decode_payload(payload: &str) -> Result<Payload, PayloadError> {
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(PayloadError::TooLong(payload.len()));
    }
    let (url, fragment) = payload.split_once('#').ok_or(PayloadError::MissingClaim)?;
    let (base, lot) = url.rsplit_once(LOTS).ok_or(PayloadError::NotALotPage)?;
    let base_url = BaseUrl::new(base)?;
    let lot = bounded_id("lot", lot, MAX_LOT_LEN, |s| Id::new(s))?;

    if fragment.is_empty() {
        return Err(PayloadError::Truncated(FIELD_NAMES[0]));
    }
    let fields: Vec<&str> = fragment.split('/').collect();
    if fields[0] != CLAIM_VERSION.to_string() {
        return Err(PayloadError::UnsupportedVersion(fields[0].to_string()));
    }
    if fields.len() < CLAIM_FIELDS {
        return Err(PayloadError::Truncated(FIELD_NAMES[fields.len()]));
    }
    if fields.len() > CLAIM_FIELDS {
        return Err(PayloadError::ExtraFields(fields.len()));
    }

    let tag = bounded_id("tag", fields[1], MAX_TAG_LEN, |s| TagId::new(s))?;
    let site = bounded_id("site", fields[2], MAX_SITE_LEN, |s| SiteId::new(s))?;
    let mineral = u8::try_from(decimal("mineral", fields[3], 1)?)
        .ok()
        .and_then(mineral_from_code)
        .ok_or(PayloadError::BadField {
            field: "mineral",
            reason: "not a mineral code (1 cassiterite, 2 coltan, 3 wolframite, 4 gold)",
        })?;
    let mass = Grams::new(decimal("mass", fields[4], 16)?).map_err(|e| PayloadError::BadField {
        field: "mass",
        reason: e.0,
    })?;
    let grade = u16::try_from(decimal("grade", fields[5], 5)?)
        .ok()
        .and_then(|g| Grade::new(g).ok())
        .ok_or(PayloadError::BadField {
            field: "grade",
            reason: "a grade is an integer number of basis points from 0 to 10000",
        })?;
    let day = u16::try_from(decimal("day", fields[6], 5)?).map_err(|_| PayloadError::BadField {
        field: "day",
        reason: "a day is 0 to 65535 (days since 1970-01-01)",
    })?;

    let seal_text = fields[7];
    // The seal is the last bytes of the payload, which gives each of its
    // characters an exact offset in the payload for error messages.
    let seal_offset = payload.len() - seal_text.len();
    let seal = base32_decode(seal_text).map_err(|i| PayloadError::BadBase32(seal_offset + i))?;
    if seal_text.len() < KEY_SIGNATURE_CHARS {
        return Err(PayloadError::TruncatedSignature(seal_text.len()));
    }
    if seal_text.len() > KEY_SIGNATURE_CHARS {
        return Err(PayloadError::BadField {
            field: "key-signature",
            reason: "more than 128 base32 characters",
        });
    }
    let mut key_id = [0u8; 16];
    key_id.copy_from_slice(&seal[..16]);
    let mut signature = [0u8; 64];
    signature.copy_from_slice(&seal[16..80]);

    let claim = Claim {
        tag,
        lot,
        site,
        mineral,
        mass,
        grade,
        day,
        key_id: KeyId(key_id),
    };
    // The length limits were checked field by field above, so this cannot
    // fail; mapping the error keeps the decoder free of panics regardless.
    let claim = SignedClaim::from_parts(claim, signature).map_err(|_| PayloadError::BadField {
        field: "lot",
        reason: "longer than a tag can carry",
    })?;
    Ok(Payload { base_url, claim })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648() {
        // RFC 4648 section 10, the cases whose length is a multiple of 5.
        assert_eq!(base32_encode(b""), "");
        assert_eq!(base32_encode(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_decode("MZXW6YTB"), Ok(b"fooba".to_vec()));
        assert_eq!(base32_decode("MZXW6YtB"), Err(6));
        let all: Vec<u8> = (0..=255).chain(0..4).collect();
        assert_eq!(base32_decode(&base32_encode(&all)), Ok(all));
    }

    #[test]
    fn base_urls() {
        for ok in [
            "https://registry.example",
            "http://127.0.0.1:8080",
            "https://minerals-registry.gov.cd/madini",
        ] {
            assert!(BaseUrl::new(ok).is_ok(), "{ok}");
        }
        assert_eq!(BaseUrl::new(""), Err(BaseUrlError::Length(0)));
        assert_eq!(BaseUrl::new("ftp://x"), Err(BaseUrlError::Scheme));
        assert_eq!(BaseUrl::new("https://"), Err(BaseUrlError::Scheme));
        assert_eq!(BaseUrl::new("https://x/"), Err(BaseUrlError::TrailingSlash));
        assert_eq!(
            BaseUrl::new("https://x?a"),
            Err(BaseUrlError::Byte {
                offset: 9,
                byte: b'?'
            })
        );
        assert!(BaseUrl::new(format!("https://{}", "x".repeat(57))).is_err());
        let b: BaseUrl = "https://registry.example".parse().expect("parses");
        assert_eq!(b.to_string().parse::<BaseUrl>(), Ok(b));
    }
}
