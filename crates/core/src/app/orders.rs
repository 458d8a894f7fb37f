//! The orders journal (issue 5): every order placed, or attempted, from this app, settled
//! against Partner Center once per run.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::AppCore;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::orders::buy::ReviewBook;
use crate::orders::journal::{self, JournalEntry, JournalState};
use crate::orders::{self};

pub use super::buy::*;

/// The buy flow's state inside [`AppCore`].
#[derive(Debug, Default)]
pub struct OrdersState {
    pub(super) reviews: ReviewBook,
    reconciled: tokio::sync::OnceCell<()>,
}

/// Where a journal entry stands, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OrderState {
    /// Sent; the outcome is not known yet (checked against Partner Center at start).
    Started,
    CartCreated,
    Placed,
    Refused,
    NotPlaced,
}

impl From<JournalState> for OrderState {
    fn from(s: JournalState) -> Self {
        match s {
            JournalState::Started => OrderState::Started,
            JournalState::CartCreated => OrderState::CartCreated,
            JournalState::Placed => OrderState::Placed,
            JournalState::Refused => OrderState::Refused,
            JournalState::NotPlaced => OrderState::NotPlaced,
        }
    }
}

/// One entry of the orders journal (an order placed, or attempted, from this app).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderRow {
    /// The journal entry's id.
    #[ts(type = "number")]
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub product_id: String,
    pub product_title: String,
    pub sku_id: String,
    /// The plan's name, for orders placed since it is kept.
    pub plan: Option<String>,
    pub quantity: u32,
    pub term_duration: String,
    pub billing_cycle: String,
    pub trial: bool,
    /// Partner Center's order id, once known.
    pub order_id: Option<String>,
    pub subscription_id: Option<String>,
    pub state: OrderState,
    /// Partner Center's order status (`pending`, `completed`…), when known.
    pub status: Option<String>,
    pub error: Option<String>,
    /// The `MS-RequestId` the checkout was (or will be) sent with.
    pub checkout_request_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<JournalEntry> for OrderRow {
    fn from(e: JournalEntry) -> Self {
        OrderRow {
            id: e.id,
            customer_id: e.customer_id,
            customer_name: e.customer_name,
            product_id: e.product_id,
            product_title: e.product_title,
            sku_id: e.sku_id,
            plan: e.plan,
            quantity: e.quantity,
            term_duration: e.term_duration,
            billing_cycle: e.billing_cycle,
            trial: e.trial,
            order_id: e.order_id,
            subscription_id: e.subscription_id,
            state: e.state.into(),
            status: e.status,
            error: e.error,
            checkout_request_id: e.checkout_request_id,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

impl AppCore {
    /// The orders journal, newest first, optionally for one customer.
    pub async fn orders(&self, customer_id: Option<&str>) -> Result<Vec<OrderRow>> {
        let c = self.connection().await?;
        let id = customer_id.map(str::trim).filter(|s| !s.is_empty());
        Ok(journal::list(&c.store, id)?
            .into_iter()
            .map(OrderRow::from)
            .collect())
    }

    /// Settle journal entries whose outcome is unknown against Partner Center, once per run
    /// (the desktop calls it in the background at start). Returns the entries it changed.
    pub async fn reconcile_orders(&self) -> Result<Vec<OrderRow>> {
        let c = self.connection().await?;
        let mut changed = None;
        self.orders
            .reconciled
            .get_or_try_init(|| async {
                changed = Some(reconcile(&c).await?);
                Ok::<_, Error>(())
            })
            .await?;
        Ok(changed.unwrap_or_default())
    }
}

async fn reconcile(c: &Connection) -> Result<Vec<OrderRow>> {
    let changed = orders::reconcile(c).await?;
    if !changed.is_empty() {
        tracing::info!(entries = changed.len(), "orders journal reconciled");
    }
    Ok(changed.into_iter().map(OrderRow::from).collect())
}
