//! The marketplace catalog: sync with progress, windowed queries, one offer's detail.

use cspdesk_core::app::PublisherOption;
use cspdesk_core::catalog::detail::OfferDetail;
use cspdesk_core::catalog::query::{OfferFilter, OfferQuery, OfferWindow};
use cspdesk_core::catalog::sync::{Progress, SyncState};
use tauri::ipc::Channel;
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn last_sync(
    state: State<'_, AppState>,
    market: String,
) -> Result<Option<SyncState>, IpcError> {
    Ok(state.core.last_sync(&market).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, on_progress), err(Debug))]
pub async fn sync_catalog(
    state: State<'_, AppState>,
    market: String,
    on_progress: Channel<Progress>,
) -> Result<SyncState, IpcError> {
    let send = move |p: Progress| {
        let _ = on_progress.send(p);
    };
    Ok(state.core.sync(&market, send).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn cancel_sync(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.core.cancel_sync();
    Ok(())
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn query_offers(
    state: State<'_, AppState>,
    market: String,
    query: OfferQuery,
) -> Result<OfferWindow, IpcError> {
    Ok(state.core.query_offers(&market, query).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn offer_detail(
    state: State<'_, AppState>,
    market: String,
    key: String,
) -> Result<OfferDetail, IpcError> {
    Ok(state.core.offer_detail(&market, &key).await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn publishers(
    state: State<'_, AppState>,
    market: String,
    prefix: String,
    filter: OfferFilter,
) -> Result<Vec<PublisherOption>, IpcError> {
    Ok(state.core.publishers(&market, &prefix, filter, 12).await?)
}
