//! Server-rendered HTML pages: the landing page (log status, recent lots)
//! and the one-sentence page for what cannot be shown, in the language
//! `lang::pick` chooses, with a language switch.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use ledger_core::i18n::Lang;
use ledger_core::{t, text};

use crate::api::{AppState, Problem, Q};
use crate::lang::{Choice, Speaks, choices, pick};

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

/// One row of the home page's latest lots.
struct Row {
    id: String,
    seg: String,
    mineral: String,
    mass: String,
    grade: String,
    custodian: String,
    status: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    lang: Lang,
    langs: Vec<Choice>,
    /// `?lang=xx` when the language was chosen by the query, so links keep it.
    query: String,
    title: String,
    origin: String,
    entries: String,
    root: String,
    vkey: String,
    rows: Vec<Row>,
}

impl Speaks for Home {
    fn lang(&self) -> Lang {
        self.lang
    }
}

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

/// `GET /`: what this log is and its latest lots, in the language of
/// `?lang=` or the browser's.
pub async fn home(
    State(s): State<AppState>,
    Q(q): Q,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let chosen = q.get("lang").and_then(|v| Lang::parse(v));
    let lang = pick(q.get("lang").map(String::as_str), &headers);
    let l = &s.ledger;
    let cp = l.checkpoint();
    let mut rows = Vec::new();
    let page = l.store().lots_page(None, 30).map_err(Problem::internal)?;
    for (_, id) in page {
        if let Some(lot) = l.store().lot(&id).map_err(Problem::internal)? {
            rows.push(Row {
                seg: seg(&id),
                id: id.to_string(),
                mineral: text::mineral(lot.mineral, lang),
                mass: text::kg(lot.mass.0),
                grade: text::percent(u64::from(lot.grade.0)),
                custodian: lot.custodian.to_string(),
                status: text::lot_status(lot.status, lang),
            });
        }
    }
    let page = Home {
        lang,
        langs: choices(lang),
        query: chosen.map_or_else(String::new, |c| format!("?lang={}", c.code())),
        title: t!(lang, "pages-home-title", origin = l.origin.to_string()),
        origin: l.origin.to_string(),
        entries: t!(lang, "pages-home-entries", count = cp.size),
        root: cp.root.to_base64(),
        vkey: l.note_key.vkey(),
        rows,
    };
    let body = page.render().map_err(Problem::internal)?;
    Ok(([(header::VARY, "Accept-Language")], Html(body)).into_response())
}
