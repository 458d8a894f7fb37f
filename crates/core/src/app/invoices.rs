//! Invoices and their marketplace line items (issue 7), as the desktop's IPC types. The rules
//! (which ids, filters, sort, totals, the short-lived copy of the lines) are
//! [`crate::billing::lines`]'; this file maps them to windows of rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AppCore, MAX_WINDOW};
use crate::billing::{self, lines, LineFilter};
use crate::error::{Error, Result};
use crate::partner_center::models::InvoiceLineItem;
use crate::tabular::{self, ExportFormat, ExportResult};

pub use crate::billing::lines::InvoiceSummary;
pub use crate::billing::{
    BillingPeriod as BillingPeriodInfo, CurrencyTotal, LineSortKey, UNBILLED,
};

/// What the line table asks for: an invoice, its filters, the sort and a window.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LineQuery {
    /// An invoice id, or `unbilled`.
    pub invoice_id: String,
    /// Customer id, name or domain (part of it, any case).
    pub customer: Option<String>,
    /// Publisher name or id (part of it).
    pub publisher: Option<String>,
    /// Product id, product or plan name (part of it).
    pub product: Option<String>,
    pub sort: LineSortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
    /// Read the lines from Partner Center again rather than from the last few minutes' copy.
    pub refresh: bool,
}

impl LineQuery {
    fn select<'a>(&self, all: &'a [InvoiceLineItem]) -> Vec<&'a InvoiceLineItem> {
        let filter = LineFilter::new(
            self.customer.clone(),
            self.publisher.clone(),
            self.product.clone(),
        );
        lines::select(all, &filter, self.sort, self.descending)
    }
}

/// One marketplace line item as the table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LineRow {
    pub customer_id: String,
    pub customer_name: String,
    pub customer_domain_name: String,
    pub customer_country: String,
    pub publisher_name: String,
    pub publisher_id: String,
    pub product_id: String,
    pub product_name: String,
    pub sku_id: String,
    pub sku_name: String,
    pub charge_type: String,
    /// A free trial line (charged at 0).
    pub trial: bool,
    pub charge_start_date: Option<DateTime<Utc>>,
    pub charge_end_date: Option<DateTime<Utc>>,
    pub quantity: Option<f64>,
    pub unit_price: Option<f64>,
    pub subtotal: Option<f64>,
    pub total: Option<f64>,
    pub currency: String,
    pub order_id: String,
    pub subscription_id: String,
    pub subscription_description: String,
    pub term_and_billing_cycle: String,
}

impl From<&InvoiceLineItem> for LineRow {
    fn from(l: &InvoiceLineItem) -> Self {
        LineRow {
            customer_id: l.customer_id.clone(),
            customer_name: l.customer_name.clone(),
            customer_domain_name: l.customer_domain_name.clone(),
            customer_country: l.customer_country.clone(),
            publisher_name: l.publisher_name.clone(),
            publisher_id: l.publisher_id.clone(),
            product_id: l.product_id.clone(),
            product_name: l.product_name.clone(),
            sku_id: l.sku_id.clone(),
            sku_name: l.sku_name.clone(),
            charge_type: l.charge_type.clone(),
            trial: l.is_trial(),
            charge_start_date: l.charge_start_date,
            charge_end_date: l.charge_end_date,
            quantity: l.quantity,
            unit_price: l.unit_price,
            subtotal: l.subtotal,
            total: l.amount(),
            currency: l.currency.clone(),
            order_id: l.order_id.clone(),
            subscription_id: l.subscription_id.clone(),
            subscription_description: l.subscription_description.clone(),
            term_and_billing_cycle: l.term_and_billing_cycle.clone(),
        }
    }
}

/// A window of an invoice's lines under the filters, with what the whole filtered set adds up to.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LineWindow {
    pub invoice_id: String,
    /// Lines matching the filters.
    pub total: u32,
    /// Lines of the invoice, unfiltered.
    pub all: u32,
    pub offset: u32,
    pub rows: Vec<LineRow>,
    /// Sum of the matching lines, per currency (one, on any real invoice).
    pub totals: Vec<CurrencyTotal>,
    /// Matching lines that are free trials.
    pub trials: u32,
    /// The invoice's customers, publishers and products (for the filter suggestions).
    pub customers: Vec<String>,
    pub publishers: Vec<String>,
    pub products: Vec<String>,
    pub fetched_at: DateTime<Utc>,
}

pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl AppCore {
    /// The current period's unbilled charges first, then every invoice, newest first; each with
    /// its billing period's rule in words.
    pub async fn invoices(&self) -> Result<Vec<InvoiceSummary>> {
        let c = self.connection().await?;
        let list = billing::invoices(&c.client).await?;
        Ok(lines::invoice_list(&list, c.now().date_naive()))
    }

    /// A window of an invoice's marketplace lines under the filters, sorted, with totals.
    /// The window is capped at [`MAX_WINDOW`].
    pub async fn invoice_lines(&self, q: LineQuery) -> Result<LineWindow> {
        self.invoice_lines_telling(q, &|_| {}).await
    }

    /// [`AppCore::invoice_lines`]; `progress` hears how a Graph export that has to run first
    /// is getting on (the events the CLI prints).
    pub async fn invoice_lines_telling(
        &self,
        q: LineQuery,
        progress: billing::Progress<'_>,
    ) -> Result<LineWindow> {
        let c = self.connection().await?;
        let id = billing::invoice_id(&q.invoice_id)?;
        let (all, fetched_at) = self
            .invoice_lines
            .lines(&c, &id, q.refresh, &|p| {
                tracing::info!(invoice = %id, "{}", billing::describe_progress(&p));
                progress(p)
            })
            .await?;
        let rows = q.select(&all);
        let offset = (q.offset as usize).min(rows.len());
        let limit = (q.limit as usize).clamp(1, MAX_WINDOW);
        Ok(LineWindow {
            invoice_id: id,
            total: count(rows.len()),
            all: count(all.len()),
            offset: count(offset),
            rows: rows[offset..]
                .iter()
                .take(limit)
                .map(|l| LineRow::from(*l))
                .collect(),
            totals: lines::totals(&rows),
            trials: count(rows.iter().filter(|l| l.is_trial()).count()),
            customers: lines::distinct(&all, |l| &l.customer_name),
            publishers: lines::distinct(&all, |l| &l.publisher_name),
            products: lines::distinct(&all, |l| &l.product_name),
            fetched_at,
        })
    }

    /// Export the lines matching `q`'s filters, in its sort, to `path` (`.xlsx` or `.csv`), or
    /// to the export folder as `invoice-<id>-lines.<format>`. Written to a temporary file, then
    /// renamed into place.
    pub async fn export_invoice_lines(
        &self,
        q: LineQuery,
        path: Option<String>,
        format: Option<ExportFormat>,
    ) -> Result<ExportResult> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let c = self.connection().await?;
        let id = billing::invoice_id(&q.invoice_id)?;
        let (out, format) = tabular::export_path(
            path.as_deref(),
            format,
            &self.export_dir(),
            &lines::export_name(&id, c.now().date_naive()),
        )?;
        let (all, _) = self
            .invoice_lines
            .lines(&c, &id, q.refresh, &|_| {})
            .await?;
        let chosen: Vec<InvoiceLineItem> = q.select(&all).into_iter().cloned().collect();
        let out2 = out.clone();
        let n =
            tokio::task::spawn_blocking(move || billing::export_lines(&out2, format, &id, &chosen))
                .await
                .map_err(|e| Error::Internal(format!("the export stopped: {e}")))??;
        tracing::info!(path = %out.display(), rows = n, "invoice lines exported");
        self.remember_written(&out);
        Ok(ExportResult::new(&out, n, format))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trial_line_is_shown_as_one() {
        let l: InvoiceLineItem = serde_json::from_value(serde_json::json!({
            "customerName": "Adatum", "productName": "P", "totalForCustomer": 0.0,
            "currency": "USD", "productQualifiers": ["Trial"],
        }))
        .unwrap();
        let row = LineRow::from(&l);
        assert!(row.trial);
        assert_eq!(row.total, Some(0.0));
    }
}
