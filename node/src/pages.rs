//! Server-rendered HTML pages: the landing page (log status, recent lots).

use axum::extract::State;
use axum::response::Html;

use crate::api::{AppState, Problem};

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

/// `GET /`: what this log is and its latest lots.
pub async fn home(State(s): State<AppState>) -> Result<Html<String>, Problem> {
    let l = &s.ledger;
    let cp = l.checkpoint();
    let mut rows = String::new();
    let page = l.store().lots_page(None, 30).map_err(Problem::internal)?;
    for (_, id) in page {
        if let Some(lot) = l.store().lot(&id).map_err(Problem::internal)? {
            rows.push_str(&format!(
                    "<tr><td><a href=\"/lots/{}\">{}</a></td><td>{}</td><td>{:.1} kg</td><td>{:.2} %</td><td>{}</td><td>{:?}</td></tr>\n",
                    seg(&id),
                    esc(&id),
                    esc(lot.mineral.name_en()),
                    lot.mass.0 as f64 / 1000.0,
                    f64::from(lot.grade.0) / 100.0,
                    esc(&lot.custodian),
                    lot.status
                ));
        }
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>Madini ledger {origin}</title><link rel=\"stylesheet\" href=\"/assets/site.css\"></head><body>\
<h1>Madini ledger</h1><p>Log <code>{origin}</code>: <b>{size}</b> entries. Root <code>{root}</code>.</p>\
<p>Verifier key: <code>{vkey}</code></p>\
<p><a href=\"/checkpoint\">Signed checkpoint</a> · <a href=\"/v1/log\">log (JSON)</a> · <a href=\"/openapi.json\">API (OpenAPI)</a> · <a href=\"/v1/lots\">lots (JSON)</a></p>\
<h2>Latest lots</h2><table><tr><th>Lot</th><th>Mineral</th><th>Mass</th><th>Grade</th><th>Custodian</th><th>Status</th></tr>{rows}</table></body></html>",
        origin = esc(&l.origin),
        size = cp.size,
        root = cp.root.to_base64(),
        vkey = esc(&l.note_key.vkey()),
    );
    Ok(Html(html))
}
