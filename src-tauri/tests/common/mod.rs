//! Shared by the `ipc*` tests: the app on Tauri's mock runtime, and a command call made the way
//! the UI makes it.

use cspdesk_app::{build_app, AppState};
use cspdesk_core::app::AppCore;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow};

/// A call of `cmd` with a JSON body, as `invoke` sends it.
pub fn request(cmd: &str, body: serde_json::Value) -> InvokeRequest {
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

/// The app with every command registered, managing `core`, and its main window. Keep the app
/// alive as long as the window is used.
pub fn mock_app(core: AppCore) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = build_app(mock_builder())
        .manage(AppState::new(core))
        .build(mock_context(noop_assets()))
        .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");
    (app, webview)
}
