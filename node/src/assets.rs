//! Static files: the page stylesheet and the browser's shared modules under
//! `/assets/`, the field app under `/app/`. They are compiled into the
//! binary from `node/assets/` (rust-embed; a debug build reads the folder at
//! run time instead, so the files can be edited without a rebuild), served
//! with their type, a strong `ETag` (their SHA-256) and `Cache-Control:
//! no-cache`, so a browser or the app's service worker revalidates with one
//! small request and picks up a new version as soon as the node has one.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::api::Problem;

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Files;

/// The content type of a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ftl" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The bytes of `path` under `node/assets/`, if there is such a file.
pub fn get(path: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    Files::get(path).map(|f| f.data)
}

/// Every file's path under `node/assets/`.
pub fn paths() -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
    Files::iter()
}

fn serve(path: &str, headers: &HeaderMap) -> Response {
    // rust-embed refuses `..` itself; a hidden file is never served.
    if path.split('/').any(|s| s.is_empty() || s.starts_with('.')) {
        return Problem::not_found(format!("no file {path:?}")).into_response();
    }
    let Some(file) = Files::get(path) else {
        return Problem::not_found(format!("no file {path:?}")).into_response();
    };
    let etag = format!(
        "\"{}\"",
        ledger_core::hash::hex_encode(&file.metadata.sha256_hash())
    );
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, content_type(path))],
            file.data.into_owned(),
        )
            .into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}

/// `GET /assets/{*path}`.
pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(&path, &headers)
}

/// `GET /app/{*path}`: the field app's files (`node/assets/app/`).
pub async fn app_file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(&format!("app/{path}"), &headers)
}

/// `GET /app/`: the field app.
pub async fn app_index(headers: HeaderMap) -> Response {
    serve("app/index.html", &headers)
}

/// `GET /app`: to `/app/`, so relative links and the service worker's scope
/// work.
pub async fn app_redirect() -> Redirect {
    Redirect::permanent("/app/")
}
