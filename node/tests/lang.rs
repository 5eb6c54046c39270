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
