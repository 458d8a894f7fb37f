//! Settings, sign-in and sign-out, who is signed in (issue 8).

use cspdesk_core::app::account::{
    AccountChange, FieldError, SaveOutcome, SettingsValues, SettingsView, WhoAmI,
};
use cspdesk_core::doctor::ConnectionReport;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn read_settings(state: State<'_, AppState>) -> Result<SettingsView, IpcError> {
    Ok(state.core.read_settings())
}

#[tauri::command]
#[tracing::instrument(skip(state, values), err(Debug))]
pub async fn save_settings(
    state: State<'_, AppState>,
    values: SettingsValues,
) -> Result<SaveOutcome, IpcError> {
    Ok(state.core.save_settings(values)?)
}

/// The settings form's field errors as the person types (nothing is saved).
#[tauri::command]
#[tracing::instrument(skip(state, values))]
pub async fn check_settings(
    state: State<'_, AppState>,
    values: SettingsValues,
) -> Result<Vec<FieldError>, IpcError> {
    Ok(state.core.check_settings(&values))
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn whoami(state: State<'_, AppState>, check: bool) -> Result<WhoAmI, IpcError> {
    Ok(state.core.whoami(check).await?)
}

/// Settings → Check connection: one read-only call per service, answered or refused and why.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn check_connection(state: State<'_, AppState>) -> Result<ConnectionReport, IpcError> {
    Ok(state.core.check_connection().await?)
}

/// Opens the sign-in page in the system browser (the core checks the link first) and waits
/// for the browser to come back.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AccountChange, IpcError> {
    Ok(state
        .core
        .sign_in(move |url| {
            cspdesk_core::auth::check_openable(url)?;
            app.opener()
                .open_url(url.as_str(), None::<&str>)
                .map_err(|e| {
                    cspdesk_core::message::Message::BrowserNotStarted {
                        why: e.to_string(),
                        url: url.to_string(),
                    }
                    .refused()
                })
        })
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn cancel_sign_in(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.core.cancel_sign_in();
    Ok(())
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn sign_out(state: State<'_, AppState>) -> Result<AccountChange, IpcError> {
    Ok(state.core.sign_out().await?)
}
