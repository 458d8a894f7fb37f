//! The orders journal (issue 5): every order placed, or attempted, from this app, settled
//! against Partner Center once per run.

use super::AppCore;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::orders::buy::ReviewBook;
use crate::orders::journal::{self};
use crate::orders::{self};

pub use super::buy::*;

/// The buy flow's state inside [`AppCore`].
#[derive(Debug, Default)]
pub struct OrdersState {
    pub(super) reviews: ReviewBook,
    reconciled: tokio::sync::OnceCell<()>,
}

/// A journal entry and where it stands cross IPC as the core's own types.
pub use crate::orders::journal::{JournalEntry as OrderRow, JournalState as OrderState};

impl AppCore {
    /// The orders journal, newest first, optionally for one customer.
    pub async fn orders(&self, customer_id: Option<&str>) -> Result<Vec<OrderRow>> {
        let c = self.connection().await?;
        let id = customer_id.map(str::trim).filter(|s| !s.is_empty());
        journal::list(&c.store, id)
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
    Ok(changed)
}
