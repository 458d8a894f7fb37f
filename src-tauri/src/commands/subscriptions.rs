//! Subscriptions: deadlines, activation queue, cancel, auto-renew, plan and quantity changes (issue 6).

use std::path::PathBuf;

use cspdesk_core::app::subscriptions::{
    ActivationLinkInfo, AutoRenewResult, PolicyInfo, QuantityBounds, SubscriptionBadges,
    SubscriptionItem, SubscriptionList, SubscriptionRef, SubscriptionSet,
};
use cspdesk_core::subscriptions::plans::{PlanChange, PlanChoices};
use cspdesk_core::tabular::ExportResult;
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn list_subscriptions(
    state: State<'_, AppState>,
    customer_id: Option<String>,
    set: SubscriptionSet,
) -> Result<SubscriptionList, IpcError> {
    Ok(state.core.list_subscriptions(customer_id, set).await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn subscription_badges(
    state: State<'_, AppState>,
) -> Result<SubscriptionBadges, IpcError> {
    Ok(state.core.subscription_badges().await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn get_subscription(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<SubscriptionItem, IpcError> {
    Ok(state
        .core
        .subscription(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn cancel_subscription(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<SubscriptionItem, IpcError> {
    Ok(state
        .core
        .cancel_subscription(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_auto_renew(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
    on: bool,
) -> Result<bool, IpcError> {
    Ok(state
        .core
        .set_auto_renew(&customer_id, &subscription_id, on)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_auto_renew_bulk(
    state: State<'_, AppState>,
    targets: Vec<SubscriptionRef>,
    on: bool,
) -> Result<Vec<AutoRenewResult>, IpcError> {
    Ok(state.core.set_auto_renew_bulk(targets, on).await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn quantity_bounds(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<QuantityBounds, IpcError> {
    Ok(state
        .core
        .quantity_bounds(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_quantity(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
    quantity: u32,
) -> Result<SubscriptionItem, IpcError> {
    Ok(state
        .core
        .set_quantity(&customer_id, &subscription_id, quantity)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn subscription_activation_link(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<ActivationLinkInfo, IpcError> {
    Ok(state
        .core
        .subscription_activation_link(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn cancellation_policy(state: State<'_, AppState>) -> Result<PolicyInfo, IpcError> {
    Ok(state.core.cancellation_policy().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, keys), err(Debug))]
pub async fn export_subscriptions(
    state: State<'_, AppState>,
    path: PathBuf,
    customer_id: Option<String>,
    keys: Vec<SubscriptionRef>,
) -> Result<ExportResult, IpcError> {
    Ok(state
        .core
        .export_subscriptions(path, customer_id, keys)
        .await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn plan_options(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
) -> Result<PlanChoices, IpcError> {
    Ok(state
        .core
        .plan_options(&customer_id, &subscription_id)
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn change_plan(
    state: State<'_, AppState>,
    customer_id: String,
    subscription_id: String,
    target: String,
    quantity: Option<u32>,
) -> Result<PlanChange, IpcError> {
    Ok(state
        .core
        .change_plan(&customer_id, &subscription_id, &target, quantity)
        .await?)
}
