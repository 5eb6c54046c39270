//! Languages on the web: which language a page speaks (`pick`: `?lang=`,
//! then `Accept-Language`, then English) and the message catalogs the
//! browser reads (`GET /locales/{lang}/{file}`: the field app's and the
//! report form's messages as JSON, from `ledger_core::i18n`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ledger_core::i18n::{self, BROWSER_FILES, Lang};

use crate::api::Problem;

/// The language of a page: a `?lang=` the node speaks, then the best of
/// the request's `Accept-Language` (q-values honoured), else English. A
/// `?lang=` the node does not speak is ignored, not an error: the page is
/// still worth showing.
pub fn pick(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
    query_lang
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::negotiate)
        })
        .unwrap_or(Lang::En)
}

/// A browser catalog as served: its JSON body and the body's ETag.
struct Served {
    body: Vec<u8>,
    etag: String,
}

fn served(lang: Lang, file: &str) -> Option<&'static Served> {
    static ALL: OnceLock<BTreeMap<(Lang, &'static str), Served>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut all = BTreeMap::new();
        for l in Lang::ALL {
            for f in BROWSER_FILES {
                let messages: serde_json::Map<String, serde_json::Value> =
                    i18n::browser_messages(l, f)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, serde_json::Value::String(v)))
                        .collect();
                let body = serde_json::to_vec(&messages).unwrap_or_else(|_| b"{}".to_vec());
                let etag = format!("\"{}\"", ledger_core::hash::sha256(&body).to_hex());
                all.insert((l, f), Served { body, etag });
            }
        }
        all
    });
    let file = BROWSER_FILES.into_iter().find(|f| *f == file)?;
    all.get(&(lang, file))
}

/// `GET /locales/{lang}/{file}`: a browser catalog (`app`, `report`) in
/// one language (`en`, `fr`, `sw`) as a JSON object from message id to
/// pattern, each placeholder written `{ $name }` (spec/http.md, "Pages").
/// Strong `ETag`, `Cache-Control: no-cache`, 304 on `If-None-Match`; 404
/// problem for a language or file the node does not have.
pub async fn locale_file(
    Path((lang, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let file = file.strip_suffix(".json").unwrap_or(&file);
    // Only an exact code: `/locales/fr-CD/app` is not a file.
    let lang_ok = Lang::ALL.into_iter().find(|l| l.code() == lang);
    let Some(s) = lang_ok.and_then(|l| served(l, file)) else {
        return Problem::not_found(format!(
            "no catalog {lang:?}/{file:?}: languages {}, files {}",
            Lang::ALL.map(Lang::code).join(", "),
            BROWSER_FILES.join(", ")
        ))
        .into_response();
    };
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == s.etag));
    let mut res = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], s.body.clone()).into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&s.etag) {
        h.insert(header::ETAG, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn the_query_comes_first_then_accept_language_then_english() {
        assert_eq!(pick(Some("sw"), &headers("fr")), Lang::Sw);
        assert_eq!(pick(Some("fr-CD"), &HeaderMap::new()), Lang::Fr);
        assert_eq!(pick(Some("de"), &headers("en;q=0.2, sw;q=0.8")), Lang::Sw);
        assert_eq!(pick(None, &headers("rw, fr;q=0.5")), Lang::Fr);
        assert_eq!(pick(None, &headers("de")), Lang::En);
        assert_eq!(pick(None, &HeaderMap::new()), Lang::En);
    }
}
