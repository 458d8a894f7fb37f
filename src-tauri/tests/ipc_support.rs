//! The Invoices and Publishers commands are registered and take the UI's camelCase arguments;
//! bad input comes back as `{kind: "invalid", message}` before any connection is made.

use cspdesk::app::AppCore;
use cspdesk::connection::ConnectOptions;
use cspdesk_app::{build_app, AppState};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

fn request(cmd: &str, body: serde_json::Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn support_commands_check_their_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = AppCore::new(ConnectOptions {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let app = build_app(mock_builder())
        .manage(AppState::new(core))
        .build(mock_context(noop_assets()))
        .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");

    let err = get_ipc_response(
        &webview,
        request(
            "publisher_for_subscription",
            serde_json::json!({ "customerId": "c1", "subscriptionId": " " }),
        ),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "invalid", "{err}");
    assert!(err["message"].as_str().unwrap().contains("subscription id"));

    let err = get_ipc_response(
        &webview,
        request(
            "invoice_lines",
            serde_json::json!({ "query": { "invoiceId": "../../etc", "limit": 50 } }),
        ),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "invalid", "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("not an invoice id"));

    let err = get_ipc_response(
        &webview,
        request(
            "publisher_detail",
            serde_json::json!({ "market": "usa", "name": "Contoso" }),
        ),
    )
    .expect_err("refused");
    assert_eq!(err["kind"], "invalid", "{err}");
}
