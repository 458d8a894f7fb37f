//! The Price lists commands through real IPC on the mock runtime: the argument names and shapes
//! the UI sends (camelCase, dates as `YYYY-MM-DD`, formats as `xlsx`/`csv`) reach the core, and
//! a file CSP Desk did not write is refused rather than opened.

mod common;

use common::{mock_app, request};
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use serde_json::{json, Value};
use tauri::test::get_ipc_response;

#[test]
fn price_commands_take_the_ui_arguments_and_refuse_foreign_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.path().to_path_buf()),
        sandbox_offers: Some(20),
        ..Default::default()
    };
    opts.settings.export_dir = Some(dir.path().to_path_buf());
    let (_app, webview) = mock_app(AppCore::new(opts));
    let call = |cmd: &str, body: Value| {
        get_ipc_response(&webview, request(cmd, body))
            .map(|r| r.deserialize::<Value>().expect("json"))
    };

    let path = call(
        "default_price_list_path",
        json!({ "markets": ["US", "GB"], "format": "csv" }),
    )
    .expect("a default path");
    let path = path.as_str().expect("a string");
    assert!(
        path.starts_with(&dir.path().display().to_string()),
        "{path}"
    );
    assert!(
        path.contains("pricelist-US-GB-") && path.ends_with(".csv"),
        "{path}"
    );

    let status = call("price_list_status", json!({ "markets": ["US"] })).expect("status");
    assert_eq!(status["markets"][0]["market"], "US");
    assert_eq!(status["lastExport"], Value::Null);

    let changes = call(
        "price_changes",
        json!({ "market": "us", "from": "2026-11-20", "to": "2026-11-21" }),
    )
    .expect("changes");
    assert_eq!(changes["state"], "noSnapshot");
    assert_eq!(changes["currency"], "USD");
    assert!(changes["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Fetch today's snapshot"));

    call(
        "cancel_price_export",
        json!({ "exportId": "nothing-running" }),
    )
    .expect("cancel");

    let foreign = dir.path().join("not-exported.xlsx");
    std::fs::write(&foreign, b"x").expect("a file");
    let err = call(
        "open_exported_file",
        json!({ "path": foreign.display().to_string() }),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "refused", "{err}");
    let err = call(
        "reveal_exported_file",
        json!({ "path": foreign.display().to_string() }),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "refused", "{err}");

    let err = call(
        "export_price_changes",
        json!({ "market": "US", "from": null, "to": null, "path": dir.path().join("c.xlsx").display().to_string(), "format": "xlsx" }),
    )
    .expect_err("nothing to export yet");
    assert_eq!(err["kind"], "invalid", "{err}");
}
