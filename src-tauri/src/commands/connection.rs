//! What the app is connected to, and the markets it can show.

use cspdesk_core::app::{ConnectionStatus, Market};
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn connection_status(state: State<'_, AppState>) -> Result<ConnectionStatus, IpcError> {
    Ok(state.core.status().await?)
}

#[tauri::command]
pub async fn markets(state: State<'_, AppState>) -> Result<Vec<Market>, IpcError> {
    Ok(state.core.markets())
}
