//! The installed package (issue 19). `scripts/package-smoke.sh` installs the `.deb`, points
//! `E2E_APP` at the installed `/usr/bin/cspdesk-app`, and runs one case at a time through
//! `E2E_PACKAGE` (this test self-skips without it):
//! - `launch`: the installed app reaches the Marketplace on the embedded sandbox;
//! - `update`: the check at start finds N+1 on the loopback feed (`E2E_FEED`): the prompt shows
//!   the version and notes; Download and install; the status says it is installed and offers a
//!   restart (the script then checks `dpkg -s`);
//! - `refused`: Settings → Check for updates finds an update whose download is tampered with or
//!   signed by another key: the install is refused naming the signature, and the app still works;
//! - `quiet`: the feed cannot be read: one quiet "could not check for updates: REASON" line
//!   (`E2E_EXPECT` is part of the reason) and the app works as usual;
//! - `latest`: a feed offering an older version is ignored: "CSP Desk N is the latest version";
//! - `about`: Settings → About shows the version and commit, and Copy diagnostics answers.
//!
//! Screenshots: `target/e2e-shots/package-*.png`.

use std::time::Duration;

use fantoccini::error::CmdError;
use fantoccini::Client;
use serde_json::Value;

use crate::common::*;

fn case() -> Option<String> {
    if !enabled() {
        return None;
    }
    let c = std::env::var("E2E_PACKAGE").ok().filter(|c| !c.is_empty());
    if c.is_none() {
        eprintln!("E2E_PACKAGE unset: the package cases run from scripts/package-smoke.sh");
    }
    c
}

async fn js(c: &Client, script: &str) -> Result<Value, CmdError> {
    c.execute(script, vec![]).await
}

async fn open_settings_about(c: &Client) -> Result<(), CmdError> {
    wait_css(c, ".nav-item", Duration::from_secs(30)).await?;
    js(
        c,
        "Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes('Settings')).click();",
    )
    .await?;
    wait_css(c, "#check-updates", Duration::from_secs(30)).await?;
    js(c, "document.getElementById('about').scrollIntoView();").await?;
    Ok(())
}

async fn wait_text(
    c: &Client,
    css: &str,
    what: &str,
    timeout: Duration,
    ok: impl Fn(&str) -> bool,
) -> Result<String, CmdError> {
    let js = format!(
        "document.querySelector({})?.textContent ?? ''",
        serde_json::to_string(css).unwrap()
    );
    let v = wait_for(c, what, &js, timeout, |v| v.as_str().is_some_and(&ok)).await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn installed_package() {
    let Some(case) = case() else {
        return;
    };
    // Its own settings file, with the update feed a managed install would set.
    let dir = target_dir().join(format!("e2e-package-{case}-settings"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("settings dir");
    let settings = dir.join("settings.toml");
    let mut text = format!("export_dir = {:?}\n", dir.display().to_string());
    if let Ok(feed) = std::env::var("E2E_FEED") {
        text.push_str(&format!("\n[updates]\nfeed = {feed:?}\n"));
    }
    std::fs::write(&settings, text).expect("settings file");
    std::env::set_var("CSPDESK_SETTINGS", &settings);
    let (_driver, data_dir) = start_driver(&format!("e2e-package-{case}"), None);
    std::env::remove_var("CSPDESK_SETTINGS");
    if case == "refused" || case == "about" || case == "latest" {
        // Checked today already: no check at start, so the Settings button is what checks.
        std::fs::write(
            data_dir.join("last-update-check"),
            chrono::Utc::now().to_rfc3339(),
        )
        .expect("last check");
    }
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        match case.as_str() {
            "launch" => {
                wait_first_rows(&c).await?;
                let title = c.title().await?;
                assert_eq!(title, "CSP Desk");
                shot(&c, "package-marketplace").await?;
            }
            "update" => {
                let version = wait_text(&c, "#update-version", "the update prompt at start", Duration::from_secs(60), |t| t.contains("is available")).await?;
                let want = std::env::var("E2E_NEXT_VERSION").unwrap_or_default();
                assert!(version.contains(&format!("CSP Desk {want} is available")), "{version}");
                let notes = text_of(&c, "#update-notes").await?;
                assert!(!notes.is_empty(), "the release notes are shown");
                shot(&c, "package-update-prompt").await?;
                click(&c, "#update-install").await?;
                let status = wait_text(&c, "#update-status", "the update to install", Duration::from_secs(240), |t| !t.is_empty()).await?;
                assert!(status.contains(&format!("CSP Desk {want} is installed")), "{status}");
                wait_css(&c, "#update-restart", Duration::from_secs(5)).await?;
                shot(&c, "package-update-installed").await?;
            }
            "refused" => {
                open_settings_about(&c).await?;
                click(&c, "#check-updates").await?;
                wait_css(&c, "#update-install", Duration::from_secs(60)).await?;
                click(&c, "#update-install").await?;
                let status = wait_text(&c, "#update-status", "the refusal", Duration::from_secs(120), |t| !t.is_empty()).await?;
                assert!(status.contains("was not installed") && status.contains("signature"), "{status}");
                assert!(status.contains("is unchanged"), "{status}");
                shot(&c, "package-update-refused").await?;
                // Still working: the Marketplace shows its rows.
                js(&c, "Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes('Marketplace')).click();").await?;
                wait_first_rows(&c).await?;
            }
            "quiet" => {
                let expect = std::env::var("E2E_EXPECT").unwrap_or_default();
                let line = wait_text(&c, "#update-quiet", "the quiet failure line", Duration::from_secs(60), |t| !t.is_empty()).await?;
                assert!(line.starts_with("could not check for updates: "), "{line}");
                assert!(line.contains(&expect), "{line} (expected {expect:?})");
                // It never blocks the app.
                wait_first_rows(&c).await?;
                shot(&c, &format!("package-quiet-{}", std::env::var("E2E_SHOT").unwrap_or_else(|_| "feed".into()))).await?;
            }
            "latest" => {
                open_settings_about(&c).await?;
                click(&c, "#check-updates").await?;
                let want = std::env::var("E2E_VERSION").unwrap_or_default();
                let status = wait_text(&c, "#check-status", "the check to end", Duration::from_secs(60), |t| !t.is_empty() && !t.contains('…')).await?;
                assert_eq!(status, format!("CSP Desk {want} is the latest version."));
                assert!(text_of(&c, "#update-prompt").await?.is_empty(), "no prompt for an older version");
            }
            "about" => {
                open_settings_about(&c).await?;
                let version = text_of(&c, "#about-version").await?;
                let want = std::env::var("E2E_VERSION").unwrap_or_default();
                assert_eq!(version, want);
                let commit = text_of(&c, "#about-commit").await?;
                assert!(commit.len() >= 7 && commit != "unknown", "{commit}");
                click(&c, "#copy-diagnostics").await?;
                let note = wait_text(&c, "#diagnostics-status", "diagnostics copied", Duration::from_secs(20), |t| t.contains("copied") || t.contains("clipboard")).await?;
                eprintln!("e2e: diagnostics: {note}");
                shot(&c, "package-about").await?;
            }
            other => panic!("unknown E2E_PACKAGE case {other}"),
        }
        Ok::<_, CmdError>(())
    }
    .await;
    c.close().await.ok();
    result.expect("package e2e steps");
}
