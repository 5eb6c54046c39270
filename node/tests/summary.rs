//! The public pages' summary of the whole log (`spec/http.md`, "Public
//! pages"): computed once per tree size; when the tree grows, a slow one
//! is served as it is, naming its tree size, while it is recomputed in the
//! background, and then the new one replaces it.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use common::{Backend, ledger_from};
use http_body_util::BodyExt;
use ledger_core::vectors::{S1, base_world};
use node::api::{AppState, app};
use node::public::{Cache, summary};
use tower::ServiceExt;

#[tokio::test]
async fn a_slow_summary_is_served_stale_while_it_is_recomputed() {
    let w = base_world();
    let (ledger, _dir) = ledger_from(&w, Backend::Memory);
    let mut state = AppState::new(ledger.clone());
    // Every summary counts as slow: the background path is always taken.
    state.public = Arc::new(Cache::with_inline_ms(0));
    let before = ledger.checkpoint().size;
    let first = summary(&state).unwrap();
    assert_eq!(first.size, before);

    // One more entry: a plain-form report under the node's intake key.
    let form = serde_urlencoded::to_string([
        ("category", "fraud"),
        ("site", S1),
        ("summary", "weighed twice"),
    ])
    .unwrap();
    let r = app(state.clone())
        .oneshot(
            Request::post("/report")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = r.status();
    let body = r.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(status.as_u16(), 303, "{}", String::from_utf8_lossy(&body));
    let after = ledger.checkpoint().size;
    assert_eq!(after, before + 1);

    // The page answers at once with the previous summary, and says so.
    let stale = summary(&state).unwrap();
    assert_eq!(stale.size, before, "the stale summary is served");
    let r = app(state.clone())
        .oneshot(Request::get("/?lang=en").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let html =
        String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        html.contains(&format!("the first {before} entries")),
        "the dashboard names the tree size of its figures"
    );

    // The background computation catches up, counting the new case.
    let deadline = Instant::now() + Duration::from_secs(30);
    let fresh = loop {
        let s = summary(&state).unwrap();
        if s.size == after {
            break s;
        }
        assert!(Instant::now() < deadline, "the summary was never refreshed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(fresh.cases.len(), first.cases.len() + 1);
}
