//! No token leaks: sign in, work, then look for every token the sign-in handed out, and every
//! SAS token of a billing export, in the logs (at `trace`), the SQLite store and the settings
//! file. None may be there.
//!
//! Its own test binary, because it installs the process-wide `tracing` subscriber.

#[allow(dead_code)] // this binary uses part of the shared helpers
#[path = "it/support/mod.rs"]
mod shared;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cspdesk_core::auth::MemoryStore;
use cspdesk_core::catalog::sync::{self, SyncOptions};
use cspdesk_core::connection::{ConnectOptions, Connection};
use cspdesk_core::settings::Settings;
use cspdesk_core::{customers, pricelist};
use cspdesk_sandbox::SANDBOX_USER;

use shared::auth_support as support;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_in_logs_store_or_settings() {
    let logs = Captured::default();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(logs.clone())
        .with_ansi(false)
        .init();

    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    auth.sign_in_with_browser(
        support::browser(SANDBOX_USER, "accept"),
        Duration::from_secs(30),
    )
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let settings_file = dir.path().join("config").join("settings.toml");
    support::settings_for(&sb).save(&settings_file).unwrap();
    let settings = Settings::load(&settings_file);
    assert!(settings.problem.is_none());

    // Short-lived access tokens: every call renews, so many tokens pass through.
    sb.set_access_token_lifetime(Duration::from_secs(20));
    let data = dir.path().join("data");
    let conn = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        settings: settings.settings,
        secrets: Some(store.clone()),
        data_dir: Some(data.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    customers::list(&conn.client, None).await.unwrap();
    let mut opts = SyncOptions::new("US");
    opts.arm_subscription = conn.arm_subscription.clone();
    sync::sync(&conn.client, &conn.store, &opts, &|_| {})
        .await
        .unwrap();
    pricelist::fetch_snapshot(&conn, "US", false, None)
        .await
        .unwrap();
    // Invoice lines through Graph's export (SAS-token downloads), kept in the store; then a
    // download refused because its link expired, logged as an app would.
    let invoices = cspdesk_core::billing::invoices(&conn.client).await.unwrap();
    let fast = cspdesk_core::partner_center::graph::ExportOptions {
        first_poll: Duration::from_millis(50),
        ..Default::default()
    };
    let got = cspdesk_core::billing::fetch_lines(
        &conn.client,
        Some(&conn.store),
        &invoices[0].id,
        &fast,
        &|_| {},
    )
    .await
    .unwrap();
    tracing::info!(lines = got.lines.len(), "invoice read");
    sb.set_graph_exports(cspdesk_sandbox::GraphExportOptions {
        sas_lifetime: chrono::Duration::zero(),
        ..Default::default()
    });
    let e = cspdesk_core::billing::fetch_lines(&conn.client, None, &invoices[1].id, &fast, &|_| {})
        .await
        .unwrap_err();
    tracing::error!(error = %e, debug = ?e, "as an app would log it");
    let sas = sb.issued_sas_signatures();
    assert!(sas.len() >= 2, "{} export links issued", sas.len());

    // And a failure: the refusal is logged and shown, without the token.
    sb.revoke_refresh_tokens();
    let e = customers::list(&conn.client, None).await.unwrap_err();
    tracing::error!(error = %e, debug = ?e, "as an app would log it");
    drop(conn);

    let mut secrets = sb.issued_secrets();
    secrets.extend(sas);
    assert!(secrets.len() > 10, "{} secrets issued", secrets.len());
    let logs = logs.0.lock().unwrap().clone();
    assert!(
        contains(&logs, "renewing the access token"),
        "debug logs were captured"
    );

    let mut haystacks: Vec<(String, Vec<u8>)> = vec![("the logs".into(), logs)];
    haystacks.push((
        settings_file.display().to_string(),
        std::fs::read(&settings_file).unwrap(),
    ));
    // Every file the data dir holds, in its folders too (the price snapshots live in one).
    let mut dirs = vec![data.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                haystacks.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    assert!(
        haystacks
            .iter()
            .any(|(n, h)| n.ends_with("cspdesk.sqlite") && h.len() > 10_000),
        "the store holds the work"
    );
    for secret in &secrets {
        for (name, haystack) in &haystacks {
            assert!(
                !contains(haystack, secret.expose()),
                "a token ({}…) was found in {name}",
                &secret.expose()[..12.min(secret.expose().len())]
            );
        }
    }
}
