//! Helpers the server-rendered pages share: HTML escaping, path segments and
//! the one-sentence page for what cannot be shown, in the language
//! `lang::pick` chose, with a language switch. The landing page is the
//! dashboard of `public.rs`.

use askama::Template;
use ledger_core::i18n::Lang;

use crate::lang::{Choice, Speaks, choices};

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

#[derive(Template)]
#[template(path = "message.html")]
struct Message<'a> {
    lang: Lang,
    langs: Vec<Choice>,
    title: &'a str,
    text: &'a str,
}

impl Speaks for Message<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }
}

/// A page with a title and one sentence, in `lang`: what a person sees
/// when a page cannot be shown (not found, an error).
pub fn message_page(lang: Lang, title: &str, text: &str) -> String {
    let page = Message {
        lang,
        langs: choices(lang),
        title,
        text,
    };
    // The template has no fallible part; an error would be askama's own.
    page.render().unwrap_or_else(|_| {
        format!(
            "<!doctype html><title>{}</title><p>{}",
            esc(title),
            esc(text)
        )
    })
}

/// An HTML page that is never cached stale and varies by language.
pub fn html(status: axum::http::StatusCode, body: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        status,
        [
            (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
            (axum::http::header::VARY, "Accept-Language"),
        ],
        body,
    )
        .into_response()
}
