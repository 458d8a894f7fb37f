//! Export of the listed subscriptions to `.xlsx` or `.csv`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::{SubscriptionItem, SubscriptionRef, SubscriptionState};
use crate::app::AppCore;
use crate::error::{Error, Result};
use crate::tabular::{self, Cell, ExportResult, Table};

impl AppCore {
    /// Export the listed subscriptions (`keys`, in the order shown) to `.xlsx` or `.csv`, read
    /// fresh from Partner Center. Written to a temporary file and renamed into place.
    pub async fn export_subscriptions(
        &self,
        path: PathBuf,
        customer_id: Option<String>,
        keys: Vec<SubscriptionRef>,
    ) -> Result<ExportResult> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let (path, format) = tabular::checked_path(&path.display().to_string(), None)?;
        let (_, items, _) = self.all_items(customer_id).await?;
        let by_key: std::collections::HashMap<(&str, &str), &SubscriptionItem> = items
            .iter()
            .map(|i| ((i.customer_id.as_str(), i.id.as_str()), i))
            .collect();
        let chosen: Vec<&SubscriptionItem> = keys
            .iter()
            .filter_map(|k| {
                by_key
                    .get(&(k.customer_id.as_str(), k.subscription_id.as_str()))
                    .copied()
            })
            .collect();
        let table = export_table(&chosen);
        let out = path.clone();
        let rows = tokio::task::spawn_blocking(move || tabular::write(&out, format, &[table]))
            .await
            .map_err(|e| Error::Internal(format!("the export stopped: {e}")))??;
        self.remember_written(&path);
        Ok(ExportResult::new(&path, rows, format))
    }
}

fn state_text(s: SubscriptionState) -> &'static str {
    match s {
        SubscriptionState::PendingFulfillment => "Pending fulfillment",
        SubscriptionState::Active => "Active",
        SubscriptionState::Suspended => "Suspended",
        SubscriptionState::Cancelled => "Cancelled",
        SubscriptionState::Other => "Other",
    }
}

fn date_cell(d: Option<DateTime<Utc>>) -> Cell {
    d.map(|d| Cell::Date(d.date_naive())).unwrap_or(Cell::Empty)
}

fn export_table(items: &[&SubscriptionItem]) -> Table {
    let headers = [
        "Customer",
        "Customer ID",
        "Product",
        "Publisher",
        "Plan",
        "Quantity",
        "Term",
        "Billing cycle",
        "Status",
        "Auto-renew",
        "Created",
        "Commitment end",
        "Cancellation deadline (UTC)",
        "Deadline source",
        "Subscription ID",
    ];
    Table {
        name: "Subscriptions".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: items
            .iter()
            .map(|i| {
                vec![
                    Cell::Text(i.customer_name.clone()),
                    Cell::Text(i.customer_id.clone()),
                    Cell::Text(i.product_name.clone()),
                    Cell::Text(i.publisher_name.clone()),
                    Cell::Text(i.plan_name.clone()),
                    Cell::Number(i.quantity as f64),
                    Cell::Text(i.term_duration.clone()),
                    Cell::Text(i.billing_cycle.clone()),
                    Cell::Text(state_text(i.status).into()),
                    Cell::Text(if i.auto_renew_enabled { "On" } else { "Off" }.into()),
                    date_cell(i.creation_date),
                    date_cell(i.commitment_end_date),
                    i.deadline
                        .as_ref()
                        .map(|d| Cell::Text(d.at.format("%Y-%m-%d %H:%M").to_string()))
                        .unwrap_or(Cell::Empty),
                    i.deadline
                        .as_ref()
                        .map(|d| Cell::Text(d.source.clone()))
                        .unwrap_or(Cell::Empty),
                    Cell::Text(i.id.clone()),
                ]
            })
            .collect(),
    }
}
