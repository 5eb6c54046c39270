//! `tag-printer`: the QR tags on Madini's ore bags.
//!
//! A tag's QR code holds a URL that opens the lot's public page on the
//! issuing node, and in the URL's fragment a compact claim of the lot's
//! registration signed by the cooperative, which an inspector checks offline
//! against the cooperative's public key. `spec/tags.md` is the normative
//! format. The crate is a pure function from lot data to payloads and label
//! images: no network, no clock, no file system.
//!
//! Codemap: `claim` (claim bytes, sign, verify), `payload` (the URL text and
//! its decoder), `qr` (the QR symbol), `label` (label data and layout),
//! `svg`, `png` and `pdf` (renderers), `font` (the embedded fonts).

pub mod claim;
mod font;
pub mod label;
pub mod payload;
mod pdf;
mod png;
pub mod qr;
mod svg;

pub use claim::{Claim, ClaimError, SignedClaim, VerifyError};
pub use label::{Label, Layout, RenderError};
pub use payload::{BaseUrl, BaseUrlError, Payload, PayloadError, decode_payload, encode_payload};
pub use pdf::render_pdf;
pub use png::render_png;
pub use qr::{QrError, QrMatrix};
pub use svg::render_svg;
