//! Languages on the web: the browser catalogs at `/locales/{lang}/{file}`
//! (the catalog's messages as JSON, an ETag, 304, 404 problems).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use ledger_core::i18n::{self, BROWSER_FILES, Lang};
use ledger_core::vectors::base_world;
use serde_json::Value;
use tower::ServiceExt;

async fn get(
    c: &Client,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(uri);
    if let Some(e) = etag {
        req = req.header(header::IF_NONE_MATCH, e);
    }
    let r = c
        .app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = r.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn browser_catalogs_are_served_as_json_with_an_etag() {
    let (l, _dir) = ledger_from(&base_world(), Backend::Memory);
    let c = Client::new(l);
    let mut seen = 0;
    for lang in Lang::ALL {
        for file in BROWSER_FILES {
            let uri = format!("/locales/{}/{file}", lang.code());
            let (status, h, text) = get(&c, &uri, None).await;
            assert_eq!(status, 200, "{uri}: {text}");
            assert_eq!(h[header::CONTENT_TYPE], "application/json");
            assert_eq!(h[header::CACHE_CONTROL], "no-cache");
            let v: Value = serde_json::from_str(&text).unwrap();
            let want = i18n::browser_messages(lang, file).unwrap();
            assert_eq!(v.as_object().unwrap().len(), want.len(), "{uri}");
            for (id, pattern) in &want {
                assert_eq!(v[id], pattern.as_str(), "{uri} {id}");
                seen += 1;
            }
            let etag = h[header::ETAG].to_str().unwrap().to_string();
            assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
            let (status, h, text) = get(&c, &uri, Some(&etag)).await;
            assert_eq!(status, 304);
            assert!(text.is_empty());
            assert_eq!(h[header::ETAG].to_str().unwrap(), etag);
            let (status, _, again) = get(&c, &format!("{uri}.json"), Some("\"other\"")).await;
            assert_eq!(status, 200);
            assert_eq!(again, serde_json::to_string(&v).unwrap());
        }
    }
    assert!(seen > 0, "the browser catalogs hold no message");
    // The placeholders reach the browser as `{ $name }`.
    let (_, _, text) = get(&c, "/locales/sw/app", None).await;
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_ne!(v["app-language"], "app-language");
}

#[tokio::test]
async fn unknown_languages_and_files_are_404_problems() {
    let (l, _dir) = ledger_from(&base_world(), Backend::Memory);
    let c = Client::new(l);
    for uri in [
        "/locales/de/app",
        "/locales/fr-CD/app",
        "/locales/EN/app",
        "/locales/en/cli",
        "/locales/en/pages",
        "/locales/en/..",
        "/locales/en/app.ftl",
        "/locales/%3Cscript%3E/app",
    ] {
        let r = c.get(uri).await;
        assert_eq!(r.status, 404, "{uri}: {}", r.text);
        assert_problem(&r, "not-found");
    }
}

/// Requests `uri` with an `Accept-Language` header.
async fn page(c: &Client, uri: &str, accept: &str) -> (StatusCode, String) {
    let req = Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, accept)
        .body(Body::empty())
        .unwrap();
    let r = c.send(req).await;
    (r.status, r.text)
}

/// The first lot the home page links to.
fn first_lot(home: &str) -> String {
    let at = home
        .find("href=\"/lots/")
        .expect("the home page lists lots")
        + 12;
    let end = at + home[at..].find(['"', '?']).unwrap();
    home[at..end].to_string()
}

/// The home page, a lot page, a tag that is not there and a lot that is
/// not there, in every language: `<html lang>` is the language chosen, the
/// switch links every language, and no message id shows through.
#[tokio::test]
async fn pages_speak_every_language() {
    let (l, _dir) = ledger_from(&base_world(), Backend::Memory);
    let c = Client::new(l);
    let (_, home) = page(&c, "/", "").await;
    let lot = first_lot(&home);
    for lang in Lang::ALL {
        let code = lang.code();
        for (uri, status) in [
            ("/".to_string(), 200),
            (format!("/lots/{lot}"), 200),
            ("/lots/NO-SUCH-LOT".to_string(), 404),
            ("/t/NO-SUCH-TAG".to_string(), 404),
        ] {
            for (query, accept) in [
                (format!("?lang={code}"), "de"),
                (String::new(), &*format!("de, {code};q=0.9, en;q=0.1")),
            ] {
                let (st, text) = page(&c, &format!("{uri}{query}"), accept).await;
                assert_eq!(st, status, "{uri}{query}: {text}");
                assert!(
                    text.contains(&format!("<html lang=\"{code}\"")),
                    "{uri}{query} [{accept}]: {text}"
                );
                for other in Lang::ALL {
                    assert!(
                        // `?lang=xx`, or the page's own path and query with it.
                        text.contains(&format!(
                            "lang={}\" hreflang=\"{0}\" lang=\"{0}\"",
                            other.code()
                        )),
                        "{uri}: no switch to {other}"
                    );
                }
                assert!(
                    text.contains(&format!(
                        "hreflang=\"{code}\" lang=\"{code}\" aria-current=\"page\""
                    )),
                    "{uri}: the current language is not marked"
                );
                assert!(
                    !text.contains("pages-") && !text.contains("core-") && !text.contains("{$"),
                    "{uri} [{code}] shows a message id or an unfilled placeholder: {text}"
                );
            }
        }
    }
    // The languages really differ: the lot page's heading in each.
    let (_, sw) = page(&c, &format!("/lots/{lot}?lang=sw"), "").await;
    assert!(sw.contains(&format!("<h1>Mzigo {lot}</h1>")), "{sw}");
    let (_, fr) = page(&c, "/lots/NO-SUCH-LOT", "fr-CD").await;
    assert!(
        fr.contains("Le lot NO-SUCH-LOT n&#39;est pas dans ce registre."),
        "{fr}"
    );
    let (_, en) = page(&c, "/t/NO-SUCH-TAG", "").await;
    assert!(
        en.contains("Tag NO-SUCH-TAG is not in this ledger."),
        "{en}"
    );
    // A language the node does not speak, in the query, is not an error.
    let (st, text) = page(&c, "/?lang=xx", "sw").await;
    assert_eq!(st, 200);
    assert!(text.contains("<html lang=\"sw\""));
}

/// Markup in a path segment comes back escaped on the not-found page.
#[tokio::test]
async fn not_found_pages_escape_what_they_repeat() {
    let (l, _dir) = ledger_from(&base_world(), Backend::Memory);
    let c = Client::new(l);
    for lang in Lang::ALL {
        let (st, text) = page(
            &c,
            &format!("/lots/%3Cb%3Ex%3C%2Fb%3E?lang={}", lang.code()),
            "",
        )
        .await;
        assert_eq!(st, 404);
        assert!(!text.contains("<b>x</b>"), "{text}");
        assert!(
            text.contains("&#60;b&#62;x&#60;/b&#62;") || text.contains("&lt;b&gt;x&lt;/b&gt;"),
            "{text}"
        );
        assert!(text.contains(&format!("<html lang=\"{}\"", lang.code())));
    }
}
