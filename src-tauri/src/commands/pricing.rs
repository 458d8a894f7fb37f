//! The account manager's desk (issue 20): margin rules, the daily export's schedule, and the
//! price changes that touch customers. Each command calls one core method.

use cspdesk_core::app::pricing::{RuleRow, ScheduleRunDone, ScheduleStatus};
use cspdesk_core::pricelist::impact::ImpactReport;
use cspdesk_core::pricing::RuleForm;
use cspdesk_core::schedule::{Registration, ScheduleSettings};
use cspdesk_core::tabular::{ExportFormat, ExportResult};
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn margin_rules(state: State<'_, AppState>) -> Result<Vec<RuleRow>, IpcError> {
    Ok(state.core.margin_rules().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn add_margin_rule(
    state: State<'_, AppState>,
    rule: RuleForm,
) -> Result<Vec<RuleRow>, IpcError> {
    Ok(state.core.add_margin_rule(rule).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn remove_margin_rule(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<RuleRow>, IpcError> {
    Ok(state.core.remove_margin_rule(id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn import_margin_rules(
    state: State<'_, AppState>,
    path: String,
) -> Result<Vec<RuleRow>, IpcError> {
    Ok(state.core.import_margin_rules(&path).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_margin_rules(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, IpcError> {
    Ok(state.core.export_margin_rules(&path).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn schedule_status(state: State<'_, AppState>) -> Result<ScheduleStatus, IpcError> {
    Ok(state.core.schedule_status().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_schedule(
    state: State<'_, AppState>,
    settings: ScheduleSettings,
) -> Result<Registration, IpcError> {
    Ok(state.core.set_schedule(settings).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn remove_schedule(state: State<'_, AppState>) -> Result<(), IpcError> {
    Ok(state.core.remove_schedule().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn run_schedule_now(state: State<'_, AppState>) -> Result<ScheduleRunDone, IpcError> {
    Ok(state.core.run_schedule_now().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn price_impact(
    state: State<'_, AppState>,
    markets: Vec<String>,
    days: Option<u32>,
) -> Result<ImpactReport, IpcError> {
    Ok(state.core.price_impact(&markets, days).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn export_price_impact(
    state: State<'_, AppState>,
    markets: Vec<String>,
    days: Option<u32>,
    path: String,
    format: ExportFormat,
) -> Result<ExportResult, IpcError> {
    Ok(state
        .core
        .export_price_impact(&markets, days, &path, format)
        .await?)
}
