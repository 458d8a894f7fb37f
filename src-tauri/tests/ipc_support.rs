//! The Invoices and Publishers commands are registered and take the UI's camelCase arguments;
//! bad input comes back as `{kind: "invalid", message}` before any connection is made.

mod common;

use common::{mock_app, request};
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use tauri::test::get_ipc_response;

#[test]
fn support_commands_check_their_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let (_app, webview) = mock_app(core);

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
            // The UI passes a channel for the Graph export's progress (`__CHANNEL__:<id>`).
            serde_json::json!({
                "query": { "invoiceId": "../../etc", "limit": 50 },
                "onProgress": "__CHANNEL__:1",
            }),
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
