//! Billing periods and invoices for marketplace charges.
//!
//! The rule (Partner Center, marketplace): a billing period runs from the first to the last day of
//! the calendar month, and its invoice is available on the 8th of the following month. Invoices
//! come from `/v1/invoices`; their marketplace lines are the `onetime` billing line items, paged
//! with continuation tokens, and the current month's are the unbilled ones.

use chrono::{Datelike, NaiveDate};
use futures::TryStreamExt;
use serde::Serialize;

use crate::error::Result;
use crate::partner_center::models::{Invoice, InvoiceLineItem};
use crate::partner_center::{api, paging, Client};

/// Page size for invoice line items (Partner Center's maximum is 2000).
pub const LINE_PAGE_SIZE: u32 = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub invoice_available: NaiveDate,
    /// "October 2026 charges · invoice available 8 November 2026"
    pub label: String,
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
    let label = format!(
        "{} charges · invoice available {}",
        start.format("%B %Y"),
        invoice_available.format("%-d %B %Y")
    );
    BillingPeriod {
        start,
        end,
        invoice_available,
        label,
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

/// The marketplace line items of an invoice (`"unbilled"` for the current period), all pages.
pub async fn line_items(
    client: &Client,
    invoice_id: &str,
    filter: &LineFilter,
) -> Result<Vec<InvoiceLineItem>> {
    let req = if invoice_id.eq_ignore_ascii_case("unbilled") {
        api::unbilled_line_items("USD", "current", LINE_PAGE_SIZE)
    } else {
        api::invoice_line_items(invoice_id, LINE_PAGE_SIZE)
    };
    paging::items(client.clone(), req)
        .try_filter(|l| futures::future::ready(filter.matches(l)))
        .try_collect()
        .await
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
