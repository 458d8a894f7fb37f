//! Billing periods and invoices for marketplace charges.
//!
//! The rule (Partner Center, marketplace): a billing period runs from the first to the last day of
//! the calendar month, and its invoice is available on the 8th of the following month. Invoices
//! come from `/v1/invoices`.
//!
//! Where an invoice's lines come from (reference §13.1), decided here and only here:
//! - a billing period ending after 31 March 2025 → Microsoft Graph's billed reconciliation
//!   export (v2), the only source of new-commerce lines (marketplace SaaS included) since then;
//! - an earlier period → Partner Center's `/v1/invoices/{id}/lineitems?provider=onetime`;
//! - Graph refusing an invoice with code `5000` (legacy commerce, e.g. a `D…` invoice) → v1,
//!   and Graph's refusal stands if v1 has nothing either;
//! - the unbilled current or last period → Graph's unbilled export, in the partner's billing
//!   currency (taken from its newest invoice).
//!
//! A billed invoice never changes, so its lines are kept in the local store after the first read.

use chrono::{Datelike, NaiveDate};
use futures::TryStreamExt;
use serde::Serialize;

use crate::error::Result;
use crate::message::Message;
use crate::partner_center::graph::{self, ExportOptions};
pub use crate::partner_center::graph::{ExportProgress, Progress};
use crate::partner_center::models::{Invoice, InvoiceLineItem};
use crate::partner_center::{api, paging, Client};
use crate::store::Store;

pub mod lines;
pub use lines::{invoice_id, CurrencyTotal, LineCache, LineSortKey, UNBILLED};

/// Page size for invoice line items (Partner Center's maximum is 2000).
pub const LINE_PAGE_SIZE: u32 = 2000;

/// A billing period and its rule in words (`BillingPeriodInfo` over IPC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "BillingPeriodInfo")]
pub struct BillingPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub invoice_available: NaiveDate,
    /// "October 2026 charges · invoice available 8 November 2026" (the CLI's words, the UI's fallback)
    pub label: String,
    /// The same sentence as a code with its dates, for the UI to say in its language.
    pub message: Message,
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// The billing period that contains `day`.
pub fn period_of(day: NaiveDate) -> BillingPeriod {
    let start = day.with_day(1).unwrap_or(day);
    let next = first_of_next_month(start);
    let end = next.pred_opt().unwrap_or(start);
    let invoice_available = next.with_day(8).unwrap_or(next);
    let message = Message::BillingPeriod {
        start,
        invoice_available,
    };
    BillingPeriod {
        start,
        end,
        invoice_available,
        label: message.english(),
        message,
    }
}

/// The period an invoice bills: from its own dates, else the month before its invoice date.
pub fn period_of_invoice(inv: &Invoice) -> Option<BillingPeriod> {
    if let Some(start) = inv.billing_period_start_date {
        return Some(period_of(start.date_naive()));
    }
    let issued = inv.invoice_date?.date_naive();
    Some(period_of(issued.with_day(1)?.pred_opt()?))
}

/// Every invoice, newest first.
pub async fn invoices(client: &Client) -> Result<Vec<Invoice>> {
    let mut list = paging::collect_all(client, api::invoices()).await?;
    list.sort_by_key(|i| std::cmp::Reverse(i.invoice_date));
    Ok(list)
}

/// Filters on line items.
#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub customer: Option<String>,
    pub publisher: Option<String>,
    pub product: Option<String>,
}

impl LineFilter {
    pub fn matches(&self, l: &InvoiceLineItem) -> bool {
        let has = |want: &Option<String>, fields: &[&str]| {
            want.as_ref().is_none_or(|w| {
                let w = w.to_lowercase();
                fields.iter().any(|f| f.to_lowercase().contains(&w))
            })
        };
        has(
            &self.customer,
            &[&l.customer_id, &l.customer_name, &l.customer_domain_name],
        ) && has(&self.publisher, &[&l.publisher_name, &l.publisher_id])
            && has(
                &self.product,
                &[&l.product_id, &l.product_name, &l.sku_name],
            )
    }
}

/// The marketplace line items of an invoice (`"unbilled"` for the current period,
/// `"unbilled-last"` for the previous one), from wherever [`fetch_lines`] finds them.
pub async fn line_items(
    client: &Client,
    invoice_id: &str,
    filter: &LineFilter,
) -> Result<Vec<InvoiceLineItem>> {
    let mut got = fetch_lines(client, None, invoice_id, &ExportOptions::default(), &|_| {}).await?;
    got.lines.retain(|l| filter.matches(l));
    Ok(got.lines)
}

/// Which service answered for an invoice's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Route {
    /// Microsoft Graph billing reconciliation export (v2).
    Graph,
    /// Partner Center `/v1/invoices/{id}/lineitems` (a period before April 2025).
    PartnerCenterV1,
    /// Partner Center v1 after Graph refused the invoice as legacy commerce (code 5000).
    LegacyV1,
}

impl Route {
    /// For a progress or status line.
    pub fn label(self) -> &'static str {
        match self {
            Route::Graph => "Microsoft Graph billing reconciliation (v2)",
            Route::PartnerCenterV1 => "Partner Center invoice line items (v1)",
            Route::LegacyV1 => "Partner Center invoice line items (v1, legacy invoice)",
        }
    }
}

/// An invoice's lines and where they came from.
#[derive(Debug, Clone)]
pub struct Lines {
    pub lines: Vec<InvoiceLineItem>,
    pub route: Route,
    /// Read from the local store (a billed invoice read before).
    pub cached: bool,
}

/// The last day of the last billing period served by v1 only (reference §13.1).
pub fn last_v1_only_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or(NaiveDate::MIN)
}

/// The route for a billed invoice whose period ends on `period_end` (unknown → Graph).
pub fn route_for(period_end: Option<NaiveDate>) -> Route {
    match period_end {
        Some(end) if end <= last_v1_only_day() => Route::PartnerCenterV1,
        _ => Route::Graph,
    }
}

/// `unbilled` → `current`, `unbilled-last` → `last`; `None` for a billed invoice id.
pub fn unbilled_period(invoice_id: &str) -> Option<&'static str> {
    let id = invoice_id.trim().to_ascii_lowercase();
    match id.as_str() {
        "unbilled" | "unbilled-current" => Some("current"),
        "unbilled-last" | "unbilled-previous" => Some("last"),
        _ => None,
    }
}

/// The partner's billing currency, as its newest invoice states it.
pub async fn billing_currency(client: &Client) -> Result<String> {
    let list = invoices(client).await?;
    list.iter()
        .map(|i| i.currency_code.trim().to_ascii_uppercase())
        .find(|c| c.len() == 3)
        .ok_or_else(|| Message::BillingCurrencyUnknown.refused())
}

/// Every line of an invoice (all pages or files), by the route this module's rule picks, from
/// the local store when a billed invoice was read before (`store`). `progress` hears about a
/// Graph export, which can take minutes.
pub async fn fetch_lines(
    client: &Client,
    store: Option<&Store>,
    invoice_id: &str,
    export: &ExportOptions,
    progress: Progress<'_>,
) -> Result<Lines> {
    if let Some(period) = unbilled_period(invoice_id) {
        let currency = billing_currency(client).await?;
        let what = format!("the export of the unbilled {period} period ({currency})");
        let lines = graph::run_export(
            client,
            &graph::unbilled_export(&currency, period)?,
            &what,
            export,
            progress,
        )
        .await?;
        return Ok(Lines {
            lines,
            route: Route::Graph,
            cached: false,
        });
    }
    if let Some(store) = store {
        if let Some(hit) = cache::get(store, invoice_id)? {
            return Ok(hit);
        }
    }
    let invoice = client.execute(&api::invoice(invoice_id)).await?;
    let end = invoice
        .billing_period_end_date
        .map(|d| d.date_naive())
        .or_else(|| period_of_invoice(&invoice).map(|p| p.end));
    let got = match route_for(end) {
        Route::Graph => {
            let what = format!("the export of invoice {}", invoice.id);
            let start = graph::billed_export(&invoice.id)?;
            match graph::run_export(client, &start, &what, export, progress).await {
                Ok(lines) => Lines {
                    lines,
                    route: Route::Graph,
                    cached: false,
                },
                Err(e) if e.code() == Some("5000") => {
                    tracing::info!(invoice = %invoice.id, error = %e, "Graph has no new-commerce lines; trying Partner Center v1 (legacy)");
                    match v1_lines(client, &invoice.id).await {
                        Ok(lines) if !lines.is_empty() || looks_legacy(&invoice.id) => Lines {
                            lines,
                            route: Route::LegacyV1,
                            cached: false,
                        },
                        Ok(_) => return Err(e),
                        Err(v1) => {
                            tracing::info!(error = %v1, "Partner Center v1 has no lines either");
                            return Err(e);
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
        route => Lines {
            lines: v1_lines(client, &invoice.id).await?,
            route,
            cached: false,
        },
    };
    tracing::info!(invoice = %invoice.id, route = got.route.label(), lines = got.lines.len(), "invoice lines read");
    if let Some(store) = store {
        if let Err(e) = cache::put(store, &invoice.id, &got) {
            tracing::warn!(error = %e, "could not keep the invoice's lines in the local store");
        }
    }
    Ok(got)
}

/// Legacy-commerce invoice ids begin with `D` (the one example Microsoft has shown).
fn looks_legacy(invoice_id: &str) -> bool {
    invoice_id.starts_with(['D', 'd'])
}

async fn v1_lines(client: &Client, invoice_id: &str) -> Result<Vec<InvoiceLineItem>> {
    paging::items(
        client.clone(),
        api::invoice_line_items(invoice_id, LINE_PAGE_SIZE),
    )
    .try_collect()
    .await
}

/// Billed invoices' lines in the local store. The table is created on first use (not a numbered
/// migration): it is a cache, safe to drop, and older CSP Desks ignore it.
mod cache {
    use super::{Lines, Route};
    use crate::error::Result;
    use crate::partner_center::models::InvoiceLineItem;
    use crate::store::Store;

    const TABLE: &str = "CREATE TABLE IF NOT EXISTS invoice_lines_cache (
        invoice_id TEXT PRIMARY KEY,
        route TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        json TEXT NOT NULL
    )";

    pub fn get(store: &Store, invoice_id: &str) -> Result<Option<Lines>> {
        let conn = store.conn();
        conn.execute_batch(TABLE)?;
        let row: Option<(String, String)> = conn
            .query_row(
                "SELECT route, json FROM invoice_lines_cache WHERE invoice_id = ?1 COLLATE NOCASE",
                [invoice_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let Some((route, json)) = row else {
            return Ok(None);
        };
        let Ok(lines) = serde_json::from_str::<Vec<InvoiceLineItem>>(&json) else {
            return Ok(None); // an older shape: read it again
        };
        let route = match route.as_str() {
            "graph" => Route::Graph,
            "legacyV1" => Route::LegacyV1,
            _ => Route::PartnerCenterV1,
        };
        Ok(Some(Lines {
            lines,
            route,
            cached: true,
        }))
    }

    pub fn put(store: &Store, invoice_id: &str, lines: &Lines) -> Result<()> {
        let json = serde_json::to_string(&lines.lines)
            .map_err(|e| crate::Error::Invalid(format!("invoice lines: {e}")))?;
        let route = serde_json::to_value(lines.route)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let conn = store.conn();
        conn.execute_batch(TABLE)?;
        conn.execute(
            "INSERT OR REPLACE INTO invoice_lines_cache (invoice_id, route, fetched_at, json) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![invoice_id, route, chrono::Utc::now().to_rfc3339(), json],
        )?;
        Ok(())
    }
}

/// A one-line description of export progress, for the CLI and logs.
pub fn describe_progress(p: &ExportProgress) -> String {
    match p {
        ExportProgress::Started { what } => format!("Microsoft Graph accepted {what}"),
        ExportProgress::Waiting {
            status,
            waited_secs,
            next_check_secs,
        } => format!(
            "Microsoft Graph is preparing it ({status}, {waited_secs} s so far; next check in {next_check_secs} s)"
        ),
        ExportProgress::Downloading { file, files, lines } => {
            format!("Downloading file {file} of {files} ({lines} lines so far)")
        }
        ExportProgress::Done { lines } => format!("{lines} lines read"),
    }
}

/// Export line items to `.xlsx` or `.csv` (one sheet named after the invoice).
pub fn export_lines(
    out: &std::path::Path,
    format: crate::pricelist::export::ExportFormat,
    invoice_id: &str,
    lines: &[InvoiceLineItem],
) -> Result<u64> {
    use crate::tabular::{Cell, Table};
    let headers = [
        "Invoice",
        "Customer",
        "Customer ID",
        "Country",
        "Publisher",
        "Product ID",
        "Product",
        "SKU ID",
        "Plan",
        "Charge type",
        "Trial",
        "Charge start",
        "Charge end",
        "Quantity",
        "Unit price",
        "Subtotal",
        "Total",
        "Currency",
        "Order ID",
        "Subscription ID",
        "Term and billing cycle",
    ];
    let date = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| Cell::Date(d.date_naive())).unwrap_or(Cell::Empty)
    };
    let money = |v: Option<f64>, cur: &str| {
        v.map(|v| Cell::Money(v, cur.to_string()))
            .unwrap_or(Cell::Empty)
    };
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(if l.invoice_number.is_empty() {
                    invoice_id.to_string()
                } else {
                    l.invoice_number.clone()
                }),
                Cell::Text(l.customer_name.clone()),
                Cell::Text(l.customer_id.clone()),
                Cell::Text(l.customer_country.clone()),
                Cell::Text(l.publisher_name.clone()),
                Cell::Text(l.product_id.clone()),
                Cell::Text(l.product_name.clone()),
                Cell::Text(l.sku_id.clone()),
                Cell::Text(l.sku_name.clone()),
                Cell::Text(l.charge_type.clone()),
                Cell::Text(if l.is_trial() {
                    "Trial".into()
                } else {
                    String::new()
                }),
                date(l.charge_start_date),
                date(l.charge_end_date),
                l.quantity.map(Cell::Number).unwrap_or(Cell::Empty),
                money(l.unit_price, &l.currency),
                money(l.subtotal, &l.currency),
                money(l.total_for_customer, &l.currency),
                Cell::Text(l.currency.clone()),
                Cell::Text(l.order_id.clone()),
                Cell::Text(l.subscription_id.clone()),
                Cell::Text(l.term_and_billing_cycle.clone()),
            ]
        })
        .collect();
    crate::tabular::write(
        out,
        format,
        &[Table {
            name: invoice_id.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn october_is_invoiced_on_the_8th_of_november() {
        let p = period_of(d(2026, 10, 17));
        assert_eq!(
            (p.start, p.end, p.invoice_available),
            (d(2026, 10, 1), d(2026, 10, 31), d(2026, 11, 8))
        );
        assert_eq!(
            p.label,
            "October 2026 charges · invoice available 8 November 2026"
        );
    }

    #[test]
    fn december_rolls_into_january_of_the_next_year() {
        let p = period_of(d(2026, 12, 31));
        assert_eq!(
            (p.start, p.end, p.invoice_available),
            (d(2026, 12, 1), d(2026, 12, 31), d(2027, 1, 8))
        );
        assert_eq!(
            p.label,
            "December 2026 charges · invoice available 8 January 2027"
        );
        let jan = period_of(d(2027, 1, 1));
        assert_eq!((jan.start, jan.end), (d(2027, 1, 1), d(2027, 1, 31)));
    }

    #[test]
    fn february_ends_on_the_28th_or_29th() {
        assert_eq!(period_of(d(2026, 2, 10)).end, d(2026, 2, 28));
        assert_eq!(period_of(d(2028, 2, 10)).end, d(2028, 2, 29));
        assert_eq!(period_of(d(2028, 2, 29)).invoice_available, d(2028, 3, 8));
    }

    #[test]
    fn filters_are_case_insensitive_substrings() {
        let l: InvoiceLineItem = serde_json::from_value(serde_json::json!({
            "customerName": "Contoso Ltd", "publisherName": "Fabrikam Security", "productName": "Shield"
        }))
        .unwrap();
        assert!(LineFilter {
            customer: Some("contoso".into()),
            ..Default::default()
        }
        .matches(&l));
        assert!(LineFilter {
            publisher: Some("FABRIKAM".into()),
            product: Some("shi".into()),
            ..Default::default()
        }
        .matches(&l));
        assert!(!LineFilter {
            product: Some("vault".into()),
            ..Default::default()
        }
        .matches(&l));
    }
}
