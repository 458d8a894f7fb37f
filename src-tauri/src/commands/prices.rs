//! Price lists and the Changes view: export with progress and cancel, snapshots, diffs (issue 4).
//!
//! The written file is opened or revealed here, in Rust, and only after the core confirms CSP
//! Desk wrote it: the opener plugin's `open_path` scope is a static glob and `reveal_item_in_dir`
//! has no scope at all, so granting those to the window would let it open any file.

use cspdesk_core::app::prices::{
    Day, ExportProgress, FetchedSnapshot, PriceChanges, PriceExportDone, PriceExportRequest,
    PriceListStatus,
};
use cspdesk_core::tabular::{ExportFormat, ExportResult};
use tauri::ipc::Channel;
use tauri::State;

use crate::{AppState, ErrorKind, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn price_list_status(
    state: State<'_, AppState>,
    markets: Vec<String>,
) -> Result<PriceListStatus, IpcError> {
    Ok(state.core.price_list_status(&markets).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn default_price_list_path(
    state: State<'_, AppState>,
    markets: Vec<String>,
    format: ExportFormat,
    customer: Option<bool>,
) -> Result<String, IpcError> {
    Ok(state
        .core
        .default_price_list_path(&markets, format, customer.unwrap_or(false))
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, on_progress), err(Debug))]
pub async fn export_prices(
    state: State<'_, AppState>,
    request: PriceExportRequest,
    on_progress: Channel<ExportProgress>,
) -> Result<PriceExportDone, IpcError> {
    let send = move |p: ExportProgress| {
        let _ = on_progress.send(p);
    };
    Ok(state.core.export_prices(request, send).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn cancel_price_export(
    state: State<'_, AppState>,
    export_id: String,
) -> Result<(), IpcError> {
    state.core.cancel_price_export(&export_id);
    Ok(())
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn fetch_price_snapshots(
    state: State<'_, AppState>,
    markets: Vec<String>,
) -> Result<Vec<FetchedSnapshot>, IpcError> {
    Ok(state.core.fetch_price_snapshots(&markets).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn price_changes(
    state: State<'_, AppState>,
    market: String,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<PriceChanges, IpcError> {
    Ok(state.core.price_changes(&market, from, to).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn default_changes_path(
    state: State<'_, AppState>,
    market: String,
    from: Day,
    to: Day,
    format: ExportFormat,
) -> Result<String, IpcError> {
    Ok(state
        .core
        .default_changes_path(&market, from, to, format)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_price_changes(
    state: State<'_, AppState>,
    market: String,
    from: Option<Day>,
    to: Option<Day>,
    path: String,
    format: ExportFormat,
) -> Result<ExportResult, IpcError> {
    Ok(state
        .core
        .export_price_changes(&market, from, to, &path, format)
        .await?)
}

fn opener_error(what: &str, path: &str, e: impl std::fmt::Display) -> IpcError {
    IpcError {
        kind: ErrorKind::Internal,
        message: format!("{what} {path} failed ({e}). Open it from your file manager"),
        retryable: false,
        reason: None,
        code: None,
        request_id: None,
        says: None,
    }
}

/// Open a file CSP Desk exported with the system's default app.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn open_exported_file(state: State<'_, AppState>, path: String) -> Result<(), IpcError> {
    let file = state.core.written_file(&path).await?;
    tauri_plugin_opener::open_path(file, None::<&str>)
        .map_err(|e| opener_error("Opening", &path, e))
}

/// Show a file CSP Desk exported in its folder (the file manager, with the file selected).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn reveal_exported_file(
    state: State<'_, AppState>,
    path: String,
) -> Result<(), IpcError> {
    let file = state.core.written_file(&path).await?;
    // It may block on D-Bus: off the async workers.
    tauri::async_runtime::spawn_blocking(move || tauri_plugin_opener::reveal_item_in_dir(file))
        .await
        .map_err(|e| opener_error("Showing", &path, e))?
        .map_err(|e| opener_error("Showing", &path, e))
}
