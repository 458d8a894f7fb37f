//! Shared setup for the sign-in tests: a sandbox, an [`Auth`] pointed at it with an in-memory
//! keychain, and a scripted "browser" that clicks through the sandbox's consent page.

use std::sync::Arc;

use cspdesk_core::auth::{Auth, AuthConfig, MemoryStore};
use cspdesk_core::connection::{ConnectOptions, Connection};
use cspdesk_core::settings::{ConnectionKind, EndpointOverrides, Settings};
use cspdesk_sandbox::{Sandbox, SANDBOX_CLIENT_ID};
use url::Url;

/// A small sandbox: the sign-in tests need few offers.
pub async fn sandbox() -> Sandbox {
    super::common::sandbox_with(120, "").await
}

pub fn auth(sandbox: &Sandbox, store: Arc<MemoryStore>) -> Auth {
    let cfg = AuthConfig::new(sandbox.url().clone(), "organizations", SANDBOX_CLIENT_ID).unwrap();
    Auth::new(cfg, store).unwrap()
}

/// Settings that point every service, and the sign-in, at the sandbox.
pub fn settings_for(sandbox: &Sandbox) -> Settings {
    let u = Some(sandbox.url().clone());
    Settings {
        connection: ConnectionKind::PartnerCenter,
        client_id: Some(SANDBOX_CLIENT_ID.into()),
        endpoints: EndpointOverrides {
            partner_center: u.clone(),
            partner_api: u.clone(),
            arm: u.clone(),
            authority: u,
        },
        ..Default::default()
    }
}

/// A connection as the app makes it from the settings, signed in through `store`.
pub async fn connect(
    sandbox: &Sandbox,
    store: Arc<MemoryStore>,
    dir: &std::path::Path,
) -> cspdesk_core::Result<Connection> {
    Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        settings: settings_for(sandbox),
        secrets: Some(store),
        data_dir: Some(dir.to_path_buf()),
        ..Default::default()
    })
    .await
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        + start.len();
    let len = text[at..].find(end).unwrap();
    &text[at..at + len]
}

/// What a person does in the browser: open the sign-in page, keep or change the account, and
/// press Accept; the browser then follows the redirect to the app's loopback listener.
pub async fn click_through(url: Url, username: &str, decision: &str) {
    let http = reqwest::Client::new();
    let page = http
        .get(url.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let handle = between(&page, "name=\"request\" value=\"", "\"").to_string();
    let resp = http
        .post(url)
        .form(&[
            ("request", handle.as_str()),
            ("username", username),
            ("decision", decision),
        ])
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}

/// An "open URL" callback for [`Auth::sign_in_with_browser`] that clicks through as `username`.
pub fn browser(
    username: &'static str,
    decision: &'static str,
) -> impl FnOnce(&Url) -> cspdesk_core::Result<()> + Send {
    move |url: &Url| {
        let url = url.clone();
        tokio::spawn(async move { click_through(url, username, decision).await });
        Ok(())
    }
}

/// Enters `user_code` on the sandbox's device-login page as `username`.
pub async fn approve_device_code(
    verification_uri: &str,
    user_code: &str,
    username: &str,
) -> String {
    reqwest::Client::new()
        .post(verification_uri)
        .form(&[
            ("user_code", user_code),
            ("username", username),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
