//! Customers, the buy flow (review, place, confirmation) and the orders journal (issue 5).

use cspdesk_core::app::customers::{CustomerDetail, CustomerRow};
use cspdesk_core::app::orders::{
    OrderConfirmation, OrderReview, OrderRow, PurchaseChoice, PurchaseOptions,
};
use tauri::State;

use crate::{AppState, IpcError};

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn customers(
    state: State<'_, AppState>,
    search: String,
    refresh: bool,
) -> Result<Vec<CustomerRow>, IpcError> {
    Ok(state.core.customers(&search, refresh).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn customer_detail(
    state: State<'_, AppState>,
    customer_id: String,
) -> Result<CustomerDetail, IpcError> {
    Ok(state.core.customer_detail(&customer_id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn purchase_options(
    state: State<'_, AppState>,
    customer_id: String,
    product_id: String,
    market: String,
    offer_key: Option<String>,
) -> Result<PurchaseOptions, IpcError> {
    Ok(state
        .core
        .purchase_options(&customer_id, &product_id, &market, offer_key.as_deref())
        .await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn review_order(
    state: State<'_, AppState>,
    choice: PurchaseChoice,
) -> Result<OrderReview, IpcError> {
    Ok(state.core.review_order(choice).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn place_order(
    state: State<'_, AppState>,
    review_id: String,
) -> Result<OrderConfirmation, IpcError> {
    Ok(state.core.place_order(&review_id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn order_activation_link(
    state: State<'_, AppState>,
    customer_id: String,
    order_id: String,
    wait_secs: u32,
) -> Result<Option<cspdesk_core::orders::ActivationLinkInfo>, IpcError> {
    Ok(state
        .core
        .order_activation_link(&customer_id, &order_id, wait_secs)
        .await?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip(state), err(Debug))]
pub async fn orders(
    state: State<'_, AppState>,
    customer_id: Option<String>,
) -> Result<Vec<OrderRow>, IpcError> {
    Ok(state.core.orders(customer_id.as_deref()).await?)
}
