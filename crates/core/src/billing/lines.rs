//! An invoice's marketplace lines as a table: which invoice ids are accepted, the filters, the
//! sort, the totals per currency, and a short-lived copy of the lines so that sorting,
//! filtering and scrolling do not go back to Microsoft. The app and the CLI both read lines
//! through here.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    fetch_lines, period_of, period_of_invoice, unbilled_period, BillingPeriod, LineFilter, Progress,
};
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::partner_center::models::{Invoice, InvoiceLineItem};

/// One entry of the Invoices list: an invoice, or the current period's unbilled charges.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceSummary {
    /// The invoice id, or `unbilled` for the current period.
    pub id: String,
    pub unbilled: bool,
    pub invoice_date: Option<DateTime<Utc>>,
    pub period: Option<BillingPeriod>,
    /// `None` for the unbilled period (its lines say).
    pub total_charges: Option<f64>,
    pub paid_amount: Option<f64>,
    pub currency_code: String,
    pub currency_symbol: String,
}

/// The current period's unbilled charges first (in the currency of the newest invoice), then
/// every invoice as listed (newest first), each with its billing period's rule in words.
pub fn invoice_list(invoices: &[Invoice], today: NaiveDate) -> Vec<InvoiceSummary> {
    let (currency_code, currency_symbol) = invoices
        .first()
        .map(|i| (i.currency_code.clone(), i.currency_symbol.clone()))
        .unwrap_or_else(|| ("USD".into(), "$".into()));
    let unbilled = InvoiceSummary {
        id: UNBILLED.into(),
        unbilled: true,
        invoice_date: None,
        period: Some(period_of(today)),
        total_charges: None,
        paid_amount: None,
        currency_code,
        currency_symbol,
    };
    std::iter::once(unbilled)
        .chain(invoices.iter().map(|i| InvoiceSummary {
            id: i.id.clone(),
            unbilled: false,
            invoice_date: i.invoice_date,
            period: period_of_invoice(i),
            total_charges: i.total_charges,
            paid_amount: i.paid_amount,
            currency_code: i.currency_code.clone(),
            currency_symbol: i.currency_symbol.clone(),
        }))
        .collect()
}

/// The id the current, not yet invoiced, billing period goes by.
pub const UNBILLED: &str = "unbilled";

/// Checks an invoice id as typed or picked: an id such as `G000123456`, or `unbilled` /
/// `unbilled-last` for the current and previous periods. Returns it trimmed (`unbilled` in
/// lower case).
pub fn invoice_id(id: &str) -> Result<String> {
    let id = id.trim();
    if id.eq_ignore_ascii_case(UNBILLED) {
        return Ok(UNBILLED.into());
    }
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Invalid(format!(
            "`{id}` is not an invoice id: pick an invoice from the list (ids look like G000123456), or `unbilled` for the current period"
        )));
    }
    Ok(id.to_string())
}

impl LineFilter {
    /// A filter from what was typed; blank fields filter nothing.
    pub fn new(
        customer: Option<String>,
        publisher: Option<String>,
        product: Option<String>,
    ) -> LineFilter {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        LineFilter {
            customer: clean(customer),
            publisher: clean(publisher),
            product: clean(product),
        }
    }
}

/// Columns the line table sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum LineSortKey {
    #[default]
    ChargeStart,
    Customer,
    Publisher,
    Product,
    ChargeType,
    Quantity,
    Total,
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    a.unwrap_or(f64::MIN).total_cmp(&b.unwrap_or(f64::MIN))
}

/// The lines of `all` that `filter` keeps, sorted by `sort` (ties keep the invoice's order).
pub fn select<'a>(
    all: &'a [InvoiceLineItem],
    filter: &LineFilter,
    sort: LineSortKey,
    descending: bool,
) -> Vec<&'a InvoiceLineItem> {
    let mut rows: Vec<&InvoiceLineItem> = all.iter().filter(|l| filter.matches(l)).collect();
    let text = |s: &str| s.to_lowercase();
    rows.sort_by(|a, b| {
        let o = match sort {
            LineSortKey::ChargeStart => a.charge_start_date.cmp(&b.charge_start_date),
            LineSortKey::Customer => text(&a.customer_name).cmp(&text(&b.customer_name)),
            LineSortKey::Publisher => text(&a.publisher_name).cmp(&text(&b.publisher_name)),
            LineSortKey::Product => (text(&a.product_name), text(&a.sku_name))
                .cmp(&(text(&b.product_name), text(&b.sku_name))),
            LineSortKey::ChargeType => text(&a.charge_type).cmp(&text(&b.charge_type)),
            LineSortKey::Quantity => cmp_opt(a.quantity, b.quantity),
            LineSortKey::Total => cmp_opt(a.amount(), b.amount()),
        };
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    rows
}

/// The sum of some lines in one currency, rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyTotal {
    pub currency: String,
    pub amount: f64,
}

/// The lines' totals, one per currency, in the order the currencies first appear.
pub fn totals(rows: &[&InvoiceLineItem]) -> Vec<CurrencyTotal> {
    let mut by: Vec<CurrencyTotal> = Vec::new();
    for l in rows {
        let amount = l.amount().unwrap_or(0.0);
        match by.iter_mut().find(|t| t.currency == l.currency) {
            Some(t) => t.amount += amount,
            None => by.push(CurrencyTotal {
                currency: l.currency.clone(),
                amount,
            }),
        }
    }
    for t in &mut by {
        t.amount = (t.amount * 100.0).round() / 100.0;
    }
    by
}

/// The distinct non-empty values of one field, sorted: the choices a filter offers.
pub fn distinct(all: &[InvoiceLineItem], f: impl Fn(&InvoiceLineItem) -> &str) -> Vec<String> {
    all.iter()
        .map(|l| f(l).to_string())
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The file name (without extension) for an export of an invoice's lines nobody named.
pub fn export_name(invoice_id: &str, today: NaiveDate) -> String {
    match unbilled_period(invoice_id) {
        Some(_) => format!("unbilled-{}-lines", period_of(today).start.format("%Y-%m")),
        None => format!("invoice-{invoice_id}-lines"),
    }
}

/// How long a copy of an invoice's lines is used: an issued invoice does not change; the
/// unbilled period grows as the month goes on.
fn max_age(invoice_id: &str) -> Duration {
    if unbilled_period(invoice_id).is_some() {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(30 * 60)
    }
}

/// How many invoices' lines are kept in memory.
const KEPT: usize = 12;

struct Kept {
    at: Instant,
    fetched_at: DateTime<Utc>,
    lines: Arc<Vec<InvoiceLineItem>>,
}

/// The last few invoices' lines, in memory, by data folder and invoice id.
#[derive(Default)]
pub struct LineCache {
    kept: Mutex<HashMap<(PathBuf, String), Kept>>,
}

impl std::fmt::Debug for LineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineCache").finish_non_exhaustive()
    }
}

impl LineCache {
    /// Every marketplace line of an invoice (all pages or files), from the last few minutes'
    /// copy unless `refresh`; with the time it was read.
    pub async fn lines(
        &self,
        c: &Connection,
        id: &str,
        refresh: bool,
        progress: Progress<'_>,
    ) -> Result<(Arc<Vec<InvoiceLineItem>>, DateTime<Utc>)> {
        let id = invoice_id(id)?;
        let key = (c.data_dir.clone(), id.clone());
        if !refresh {
            let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(hit) = kept.get(&key).filter(|h| h.at.elapsed() < max_age(&id)) {
                return Ok((hit.lines.clone(), hit.fetched_at));
            }
        }
        let got = fetch_lines(
            &c.client,
            Some(&c.store),
            &id,
            &Default::default(),
            progress,
        )
        .await?;
        let lines = Arc::new(got.lines);
        let fetched_at = c.now();
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT {
            if let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, v)| v.at)
                .map(|(k, _)| k.clone())
            {
                kept.remove(&oldest);
            }
        }
        kept.insert(
            key,
            Kept {
                at: Instant::now(),
                fetched_at,
                lines: lines.clone(),
            },
        );
        Ok((lines, fetched_at))
    }

    /// Forget every copy (the connection changed).
    pub fn clear(&self) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(customer: &str, publisher: &str, total: f64, trial: bool) -> InvoiceLineItem {
        serde_json::from_value(serde_json::json!({
            "customerName": customer, "publisherName": publisher, "totalForCustomer": total,
            "currency": "USD", "chargeType": if trial { "new" } else { "cycleCharge" },
            "pricingType": if trial { "FreeTrial" } else { "Paid" },
        }))
        .unwrap()
    }

    #[test]
    fn select_filters_sorts_and_totals() {
        let all = vec![
            line("Contoso", "Umbraloop", 10.0, false),
            line("Fabrikam", "Umbraloop", 30.5, false),
            line("contoso ltd", "Other", 0.0, true),
        ];
        let by_total = select(&all, &LineFilter::default(), LineSortKey::Total, true);
        assert_eq!(by_total[0].customer_name, "Fabrikam");
        let contoso = select(
            &all,
            &LineFilter::new(Some(" CONTOSO ".into()), None, None),
            LineSortKey::Customer,
            false,
        );
        assert_eq!(contoso.len(), 2);
        assert_eq!(totals(&contoso)[0].amount, 10.0);
        assert_eq!(
            distinct(&all, |l| &l.publisher_name),
            vec!["Other", "Umbraloop"]
        );
    }

    #[test]
    fn invoice_ids_are_checked() {
        assert_eq!(invoice_id(" G000123 ").unwrap(), "G000123");
        assert_eq!(invoice_id("UNBILLED").unwrap(), "unbilled");
        assert_eq!(invoice_id("unbilled-last").unwrap(), "unbilled-last");
        for bad in ["", "../x", "a b", &"x".repeat(65)] {
            assert!(matches!(invoice_id(bad), Err(Error::Invalid(_))), "{bad:?}");
        }
    }

    #[test]
    fn unbilled_exports_are_named_by_month() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(export_name("unbilled", day), "unbilled-2026-11-lines");
        assert_eq!(export_name("G1", day), "invoice-G1-lines");
    }
}
