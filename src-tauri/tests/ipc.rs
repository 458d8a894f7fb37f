//! Wiring smoke test through real IPC on the mock runtime: commands are registered, answers
//! serialise, and a core error crosses as `{kind, message, retryable}`.

mod common;

use common::{mock_app, request};
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use tauri::test::get_ipc_response;

#[test]
fn commands_answer_and_errors_have_a_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let (_app, webview) = mock_app(core);

    let markets = get_ipc_response(&webview, request("markets", serde_json::json!({})))
        .expect("markets answers")
        .deserialize::<serde_json::Value>()
        .expect("json");
    assert_eq!(markets[0]["code"], "US");
    assert!(markets.as_array().expect("array").len() > 10);

    // A bad market is refused before any connection is made.
    let err = get_ipc_response(
        &webview,
        request(
            "query_offers",
            serde_json::json!({ "market": "usa", "query": { "filter": {}, "sort": "title", "descending": false, "offset": 0, "limit": 50 } }),
        ),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "invalid", "{err}");
    assert_eq!(err["retryable"], false);
    assert!(err["message"]
        .as_str()
        .expect("message")
        .contains("two-letter"));
}
