//! Invoices and their line items, publishers with contacts and local notes (issue 7).

use cspdesk_core::app::invoices::{InvoiceSummary, LineQuery, LineWindow};
use cspdesk_core::app::publishers::{
    NoteInput, PublisherDetail, PublisherNote, PublisherRow, SubscriptionLookup,
};
use cspdesk_core::billing::ExportProgress;
use cspdesk_core::tabular::{ExportFormat, ExportResult};
use tauri::ipc::Channel;
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_invoices(state: State<'_, AppState>) -> Result<Vec<InvoiceSummary>, IpcError> {
    Ok(state.core.invoices().await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state, on_progress), err(Debug))]
pub async fn invoice_lines(
    state: State<'_, AppState>,
    query: LineQuery,
    on_progress: Channel<ExportProgress>,
) -> Result<LineWindow, IpcError> {
    let send = move |p: ExportProgress| {
        let _ = on_progress.send(p);
    };
    Ok(state.core.invoice_lines_telling(query, &send).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_invoice_lines(
    state: State<'_, AppState>,
    query: LineQuery,
    path: Option<String>,
    format: Option<ExportFormat>,
) -> Result<ExportResult, IpcError> {
    Ok(state.core.export_invoice_lines(query, path, format).await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn list_publishers(
    state: State<'_, AppState>,
    market: String,
    search: Option<String>,
) -> Result<Vec<PublisherRow>, IpcError> {
    Ok(state.core.publisher_list(&market, search).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn publisher_detail(
    state: State<'_, AppState>,
    market: String,
    name: String,
) -> Result<PublisherDetail, IpcError> {
    Ok(state.core.publisher_detail(&market, &name).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn publisher_for_subscription(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<SubscriptionLookup, IpcError> {
    Ok(state
        .core
        .publisher_for_subscription(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, note), err(Debug))]
pub async fn add_publisher_note(
    state: State<'_, AppState>,
    publisher: String,
    note: NoteInput,
) -> Result<PublisherNote, IpcError> {
    Ok(state.core.add_publisher_note(&publisher, note).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_publisher_note(state: State<'_, AppState>, id: i64) -> Result<(), IpcError> {
    Ok(state.core.delete_publisher_note(id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_publisher_notes(
    state: State<'_, AppState>,
    path: Option<String>,
    format: Option<ExportFormat>,
) -> Result<ExportResult, IpcError> {
    Ok(state.core.export_publisher_notes(path, format).await?)
}
