//! The updater plugin, driven by the core's rules (`cspdesk_core::desktop::update`): which
//! feed, only TLS, only newer, at most once a day, never while an export or an order runs.
//! The plugin downloads into memory and verifies the minisign signature against the public
//! key in `tauri.conf.json` before anything is written; the package it then hands to
//! `dpkg -i`/`rpm -U` (through pkexec or sudo) lives in a temporary folder that is removed
//! when the install ends, whichever way it ends.

use std::sync::Mutex;
use std::time::Duration;

use cspdesk_core::app::AppCore;
use cspdesk_core::desktop::update::{self, UpdateCheck, UpdateOffer, UpdateProgress};
use cspdesk_core::message::Message;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::UpdaterExt;

/// The update found by the last check, until it is installed.
#[derive(Default)]
pub struct Updates {
    pending: Mutex<Option<tauri_plugin_updater::Update>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Reads the feed. `automatic`: the check at start, which respects the settings and runs at
/// most once a day. A failure is a quiet [`UpdateCheck::Failed`], never an error.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    core: &AppCore,
    updates: &Updates,
    automatic: bool,
) -> UpdateCheck {
    let data_dir = core.data_dir();
    let prefs = core.update_prefs();
    if automatic {
        if !prefs.check_automatically {
            return UpdateCheck::skipped(Message::UpdateSkippedOff);
        }
        if !update::due_now(&data_dir) {
            return UpdateCheck::skipped(Message::UpdateSkippedRecent);
        }
    }
    let Some(feed) = core.update_feed() else {
        return if automatic {
            UpdateCheck::skipped(Message::UpdateSkippedNoFeed)
        } else {
            UpdateCheck::failed(Message::UpdateNoFeed)
        };
    };
    if automatic {
        if let Err(e) = update::record_check_now(&data_dir) {
            tracing::warn!(error = %e, "could not record the update check");
        }
    }
    let other = |e: &dyn std::fmt::Display| Message::UpdateFailed { why: e.to_string() };
    let found = async {
        update::check_feed(&feed).map_err(|e| other(&e))?;
        let current = app.package_info().version.to_string();
        let updater = app
            .updater_builder()
            .endpoints(vec![feed.clone()])
            .map_err(|e| other(&e))?
            .timeout(Duration::from_secs(30))
            .version_comparator(|current, release| {
                update::is_newer(&current.to_string(), &release.version.to_string())
            })
            .build()
            .map_err(|e| other(&e))?;
        let Some(u) = updater.check().await.map_err(|e| check_failure(&e))? else {
            return Ok(UpdateCheck::UpToDate {
                current_version: current,
            });
        };
        update::check_feed(&u.download_url).map_err(|e| other(&e))?;
        let offer = UpdateOffer {
            version: u.version.clone(),
            current_version: current,
            notes: u.body.clone(),
            date: u.date.map(|d| d.to_string()),
        };
        *lock(&updates.pending) = Some(u);
        Ok::<_, Message>(UpdateCheck::Available { offer })
    }
    .await;
    match found {
        Ok(c) => {
            tracing::info!(feed = %feed, result = ?c, "update check");
            c
        }
        Err(why) => {
            let c = UpdateCheck::failed(why);
            tracing::info!(feed = %feed, result = ?c, "update check");
            c
        }
    }
}

/// The plugin's error as a check meets it, coded (`None`: not one a check meets).
fn coded(e: &tauri_plugin_updater::Error) -> Option<Message> {
    use tauri_plugin_updater::Error as E;
    Some(match e {
        E::Reqwest(r) if r.is_timeout() => Message::UpdateTimeout,
        E::Reqwest(r) if r.is_connect() => Message::UpdateUnreachable,
        E::Reqwest(r) if r.is_decode() => Message::UpdateMalformed,
        E::Serialization(s) => Message::UpdateInvalidFeed {
            detail: s.to_string(),
        },
        E::ReleaseNotFound => Message::UpdateNoRelease,
        E::TargetNotFound(t) => Message::UpdateNoPackage { targets: t.clone() },
        E::TargetsNotFound(t) => Message::UpdateNoPackage {
            targets: t.join(", "),
        },
        E::InsecureTransportProtocol => Message::UpdateNotTls,
        _ => return None,
    })
}

/// Why a check failed, as a code.
fn check_failure(e: &tauri_plugin_updater::Error) -> Message {
    coded(e).unwrap_or_else(|| Message::UpdateFailed { why: reason(e) })
}

/// The plugin's error in a user's words.
fn reason(e: &tauri_plugin_updater::Error) -> String {
    use tauri_plugin_updater::Error as E;
    if let Some(why) = coded(e).and_then(|m| m.update_reason()) {
        return why;
    }
    match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::SignedVersionMismatch { .. } => {
            format!("the download's signature does not match CSP Desk's update key, so it may have been tampered with ({e})")
        }
        E::InvalidUpdaterFormat => {
            "the downloaded file is not a package this system can install".into()
        }
        E::Network(n) => format!("the download failed: {n}"),
        E::PackageInstallFailed | E::DebInstallFailed => {
            "the package manager refused the package (see the log)".into()
        }
        E::AuthenticationFailed => "the administrator password was not given".into(),
        other => other.to_string(),
    }
}

/// Downloads, verifies and installs the update the last check found. Refused while an export
/// or an order is in flight; a failed download or verification installs nothing and the
/// running version stays; the app restarts only when the user says so ([`restart`]).
pub async fn install<R: Runtime>(
    app: &AppHandle<R>,
    core: &AppCore,
    updates: &Updates,
    progress: impl Fn(UpdateProgress) + Send,
) -> Result<String, String> {
    let current = app.package_info().version.to_string();
    if let Some(why) = core.update_blocker() {
        return Err(why);
    }
    let Some(u) = lock(&updates.pending).clone() else {
        return Err("No update is waiting: check for updates first.".into());
    };
    let mut downloaded = 0u64;
    let bytes = u
        .download(
            |chunk, total| {
                downloaded += chunk as u64;
                progress(UpdateProgress { downloaded, total });
            },
            || {},
        )
        .await
        .map_err(|e| {
            let why = reason(&e);
            tracing::warn!(version = %u.version, "update download refused: {why}");
            format!(
                "The update to {} was not installed: {why}. CSP Desk {current} is unchanged.",
                u.version
            )
        })?;
    // An export or an order may have started while it downloaded.
    if let Some(why) = core.update_blocker() {
        return Err(why);
    }
    let version = u.version.clone();
    let installed = tauri::async_runtime::spawn_blocking(move || u.install(bytes))
        .await
        .map_err(|e| e.to_string())?;
    installed.map_err(|e| {
        let why = reason(&e);
        tracing::warn!(%version, "update install failed: {why}");
        format!("The update to {version} could not be installed: {why}. CSP Desk {current} is still installed and running.")
    })?;
    lock(&updates.pending).take();
    tracing::info!(%version, "update installed; restart to use it");
    Ok(version)
}
