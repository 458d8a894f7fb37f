//! The account commands through real IPC on the mock runtime: the settings cross as the UI
//! sends them (camelCase), a wrong field comes back named, a save writes the file, and a
//! sign-in on the sandbox connection is refused with its reason as `{kind, message}`.

mod common;

use common::{mock_app, request};
use cspdesk_core::app::AppCore;
use cspdesk_core::auth::MemoryStore;
use cspdesk_core::connection::ConnectOptions;
use cspdesk_core::settings::Settings;
use serde_json::{json, Value};
use tauri::test::get_ipc_response;

#[test]
fn settings_and_sign_in_cross_ipc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("settings.toml");
    let core = AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.path().to_path_buf()),
        secrets: Some(MemoryStore::new()),
        ..Default::default()
    })
    .with_settings_file(Settings::load(&path));
    let (_app, webview) = mock_app(core);
    let call = |cmd: &str, body: Value| {
        get_ipc_response(&webview, request(cmd, body))
            .map(|r| r.deserialize::<Value>().expect("json"))
    };

    let view = call("read_settings", json!({})).expect("read_settings");
    assert_eq!(view["found"], false);
    assert_eq!(view["values"]["connection"], "sandbox");
    assert_eq!(view["values"]["markets"], json!(["US"]));
    assert!(view["problem"].is_null());

    let mut values = view["values"].clone();
    values["armSubscription"] = json!("nope");
    let out = call("save_settings", json!({ "values": values })).expect("save_settings");
    assert_eq!(out["saved"], false);
    assert_eq!(out["errors"][0]["field"], "armSubscription");
    assert!(!path.exists());

    values["armSubscription"] = json!("");
    values["markets"] = json!(["GB"]);
    let out = call("save_settings", json!({ "values": values })).expect("save_settings");
    assert_eq!(out["saved"], true, "{out}");
    assert!(std::fs::read_to_string(&path)
        .expect("written")
        .contains("markets = [\"GB\"]"));

    let who = call("whoami", json!({ "check": false })).expect("whoami");
    assert_eq!(who["signInNeeded"], false);
    assert_eq!(who["connection"], "sandbox");
    let err = call("sign_in", json!({})).expect_err("nothing to sign in to");
    assert_eq!(err["kind"], "refused", "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap_or("")
        .contains("built-in sandbox"));
}
