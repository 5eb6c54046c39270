//! Helpers the server-rendered pages share: HTML escaping and path
//! segments. The landing page is the dashboard of `public.rs`.

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Path segments are percent-encoded as RFC 3986 says.
pub use ledger_core::text::percent_encode as seg;
