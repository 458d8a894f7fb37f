//! Desktop conventions (issue 19): the About box, "Copy diagnostics", the log and data
//! folders, and updates. The rules are the core's (`cspdesk_core::desktop`); the updater work
//! is in `crate::updates`.

use cspdesk_core::desktop::diagnostics::{self, Facts};
use cspdesk_core::desktop::update::{UpdateCheck, UpdatePrefs, UpdateProgress};
use cspdesk_core::desktop::{AboutInfo, LICENCE};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::updates::{self, Updates};
use crate::{AppState, IpcError};

/// The commit this binary was built from (`build.rs`).
pub const COMMIT: &str = env!("CSPDESK_COMMIT");

fn log_dir<R: Runtime>(app: &AppHandle<R>) -> std::path::PathBuf {
    app.path()
        .app_log_dir()
        .unwrap_or_else(|_| std::path::PathBuf::from("."))
}

fn invalid(msg: impl Into<String>) -> IpcError {
    cspdesk_core::Error::Invalid(msg.into()).into()
}

#[tauri::command]
pub async fn about_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AboutInfo, IpcError> {
    Ok(AboutInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        commit: COMMIT.to_string(),
        licence: LICENCE.to_string(),
        homepage: "https://github.com/cspdesk/cspdesk".into(),
        data_dir: state.core.data_dir().display().to_string(),
        log_dir: log_dir(&app).display().to_string(),
        settings_file: state.core.settings_path().display().to_string(),
    })
}

/// The diagnostics text for the clipboard, every secret removed (the core's rule).
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn diagnostics_text<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<String, IpcError> {
    let facts = Facts {
        version: app.package_info().version.to_string(),
        commit: COMMIT.to_string(),
        os: diagnostics::os_description(),
        webkit: tauri::async_runtime::spawn_blocking(diagnostics::webkit_version)
            .await
            .unwrap_or_default(),
        ..Default::default()
    };
    let dir = log_dir(&app);
    let core = state.core.clone();
    tauri::async_runtime::spawn_blocking(move || core.diagnostics(facts, &dir))
        .await
        .map_err(|e| invalid(e.to_string()))
}

/// Opens the log folder or the data folder in the file manager.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn open_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    which: String,
) -> Result<(), IpcError> {
    let dir = match which.as_str() {
        "logs" => log_dir(&app),
        "data" => state.core.data_dir(),
        other => return Err(invalid(format!("no folder called {other}"))),
    };
    std::fs::create_dir_all(&dir).ok();
    tauri_plugin_opener::open_path(&dir, None::<&str>).map_err(|e| {
        cspdesk_core::Error::from(cspdesk_core::message::Message::FolderOpenFailed {
            path: dir.display().to_string(),
            why: e.to_string(),
        })
        .into()
    })
}

#[tauri::command]
pub async fn update_prefs(state: State<'_, AppState>) -> Result<UpdatePrefs, IpcError> {
    Ok(state.core.update_prefs())
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_automatic_update_checks(
    state: State<'_, AppState>,
    on: bool,
) -> Result<UpdatePrefs, IpcError> {
    Ok(state.core.set_automatic_update_checks(on)?)
}

/// Reads the update feed: `automatic` for the check at start (settings, once a day). Never
/// fails: a check that could not be made says why in [`UpdateCheck::Failed`].
#[tauri::command]
pub async fn check_for_updates<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    updates: State<'_, Updates>,
    automatic: bool,
) -> Result<UpdateCheck, IpcError> {
    Ok(updates::check(&app, &state.core, &updates, automatic).await)
}

/// Downloads, verifies and installs the update found; returns the version installed.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    updates: State<'_, Updates>,
    on_progress: Channel<UpdateProgress>,
) -> Result<String, IpcError> {
    let send = move |p: UpdateProgress| {
        let _ = on_progress.send(p);
    };
    updates::install(&app, &state.core, &updates, send)
        .await
        .map_err(invalid)
}

/// Restarts into the installed update (when the user says so).
#[tauri::command]
pub async fn restart_app<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    tracing::info!("restarting into the update");
    app.restart()
}
