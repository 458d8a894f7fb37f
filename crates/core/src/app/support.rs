//! Invoices and their line items, publishers with contacts and local notes (issue 7).
//!
//! The desktop's side of [`crate::billing`] and [`crate::publishers`]. An invoice's marketplace
//! lines are read once (all pages) and kept for a few minutes, so sorting, filtering and
//! scrolling the table ask for a window of rows without going back to Partner Center; the
//! current (unbilled) period is kept for a shorter time, and `refresh` reads either again.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{market_code, AppCore, MAX_WINDOW};
use crate::billing::{self, BillingPeriod, LineFilter};
use crate::catalog::detail::PublisherContacts;
use crate::error::{Error, Result};
use crate::partner_center::models::{Invoice, InvoiceLineItem};
use crate::pricelist::export::ExportFormat;
use crate::publishers::{self, NewNote, PublisherView, SubscriptionContext};

/// The id the current, not yet invoiced, billing period goes by.
pub const UNBILLED: &str = "unbilled";

/// A billing period and its rule in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BillingPeriodInfo {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub invoice_available: NaiveDate,
    /// "October 2026 charges · invoice available 8 November 2026"
    pub label: String,
}

impl From<BillingPeriod> for BillingPeriodInfo {
    fn from(p: BillingPeriod) -> Self {
        BillingPeriodInfo {
            start: p.start,
            end: p.end,
            invoice_available: p.invoice_available,
            label: p.label,
        }
    }
}

/// One entry of the Invoices list: an invoice, or the current period's unbilled charges.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InvoiceSummary {
    /// The invoice id, or `unbilled` for the current period.
    pub id: String,
    pub unbilled: bool,
    pub invoice_date: Option<DateTime<Utc>>,
    pub period: Option<BillingPeriodInfo>,
    /// `None` for the unbilled period (its lines say).
    pub total_charges: Option<f64>,
    pub paid_amount: Option<f64>,
    pub currency_code: String,
    pub currency_symbol: String,
}

/// Columns the line table sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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

/// What the line table asks for: an invoice, its filters, the sort and a window.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
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

/// One marketplace line item as the table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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
            total: l.total_for_customer.or(l.subtotal),
            currency: l.currency.clone(),
            order_id: l.order_id.clone(),
            subscription_id: l.subscription_id.clone(),
            subscription_description: l.subscription_description.clone(),
            term_and_billing_cycle: l.term_and_billing_cycle.clone(),
        }
    }
}

/// A sum in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CurrencyTotal {
    pub currency: String,
    pub amount: f64,
}

/// A window of an invoice's lines under the filters, with what the whole filtered set adds up to.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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

/// A file written by an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
    /// `xlsx` or `csv`.
    pub format: String,
}

/// One publisher in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublisherRow {
    /// The folded name notes are kept under.
    pub key: String,
    pub name: String,
    pub id: Option<String>,
    pub microsoft: bool,
    pub offers: u32,
    /// Offers that can be bought through CSP.
    pub csp_offers: u32,
    /// The staff's own notes and contacts for this publisher.
    pub notes: u32,
}

/// One offer of a publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublisherOfferRow {
    pub key: String,
    pub product_id: Option<String>,
    pub title: String,
    /// `SaaS`, `Virtual machine`, …
    pub type_label: String,
    /// Can be bought through CSP.
    pub purchasable: bool,
    /// For an offer CSP partners are not offered at all: "Request this offer" (a `mailto:`).
    pub request_mailto: Option<String>,
}

/// A publisher note crosses IPC as the core's own type (`PublisherNote` in the bindings).
pub use crate::publishers::Note as PublisherNote;

/// A new note or contact, as the form sends it.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct NoteInput {
    /// `note` or `contact`.
    pub kind: String,
    pub text: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One publisher in full: who handles what, support contacts, offers, notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublisherDetail {
    pub key: String,
    pub name: String,
    pub id: Option<String>,
    pub microsoft: bool,
    /// The market whose catalog the offers come from (for a subscription: the customer's).
    pub market: Option<String>,
    pub contacts: PublisherContacts,
    /// Why contacts are missing, when they are.
    pub contacts_note: Option<String>,
    /// Who handles what: billing and subscriptions → the partner; technical → the publisher.
    pub responsibilities: Vec<String>,
    pub offers: Vec<PublisherOfferRow>,
    pub notes: Vec<PublisherNote>,
}

impl PublisherDetail {
    fn from_view(v: PublisherView, market: Option<String>) -> Self {
        PublisherDetail {
            key: v.summary.key,
            name: v.summary.name,
            id: v.summary.id,
            microsoft: v.summary.microsoft,
            market,
            contacts: v.contacts,
            contacts_note: v.contacts_note,
            responsibilities: v.responsibilities,
            offers: v
                .offers
                .into_iter()
                .map(|o| PublisherOfferRow {
                    key: o.key,
                    product_id: o.product_id,
                    title: o.title,
                    type_label: o.offer_type,
                    purchasable: o.purchasable,
                    request_mailto: o.request_mailto,
                })
                .collect(),
            notes: v.notes,
        }
    }
}

/// A subscription's details, for the support email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionInfo {
    pub customer_id: String,
    pub customer_name: String,
    pub product: String,
    pub subscription_id: String,
    pub order_id: String,
}

impl From<SubscriptionContext> for SubscriptionInfo {
    fn from(c: SubscriptionContext) -> Self {
        SubscriptionInfo {
            customer_id: c.customer_id,
            customer_name: c.customer_name,
            product: c.product,
            subscription_id: c.subscription_id,
            order_id: c.order_id,
        }
    }
}

/// From a subscription to its publisher: the subscription, the publisher, and the
/// "Contact publisher" email with the subscription's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionLookup {
    pub subscription: SubscriptionInfo,
    pub publisher: PublisherDetail,
    pub contact_mailto: String,
}

// ---- The lines of the last invoices read, so the table can sort and scroll without refetching.

pub(super) struct Cached {
    at: Instant,
    fetched_at: DateTime<Utc>,
    lines: Arc<Vec<InvoiceLineItem>>,
}

type CacheKey = (PathBuf, String);
/// The cache itself, a field of [`AppCore`].
pub(super) type InvoiceLines = Mutex<HashMap<CacheKey, Cached>>;

/// How long a copy of an invoice's lines is used: an issued invoice does not change; the
/// unbilled period grows as the month goes on.
fn max_age(invoice_id: &str) -> Duration {
    if invoice_id == UNBILLED {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(30 * 60)
    }
}
const CACHED_INVOICES: usize = 12;

fn invoice_key(id: &str) -> Result<String> {
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

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    a.unwrap_or(f64::MIN).total_cmp(&b.unwrap_or(f64::MIN))
}

/// The matching lines of `all`, sorted as asked (ties keep the invoice's order).
fn select<'a>(all: &'a [InvoiceLineItem], q: &LineQuery) -> Vec<&'a InvoiceLineItem> {
    let filter = LineFilter {
        customer: clean(&q.customer),
        publisher: clean(&q.publisher),
        product: clean(&q.product),
    };
    let mut rows: Vec<&InvoiceLineItem> = all.iter().filter(|l| filter.matches(l)).collect();
    let text = |s: &str| s.to_lowercase();
    rows.sort_by(|a, b| {
        let o = match q.sort {
            LineSortKey::ChargeStart => a.charge_start_date.cmp(&b.charge_start_date),
            LineSortKey::Customer => text(&a.customer_name).cmp(&text(&b.customer_name)),
            LineSortKey::Publisher => text(&a.publisher_name).cmp(&text(&b.publisher_name)),
            LineSortKey::Product => (text(&a.product_name), text(&a.sku_name))
                .cmp(&(text(&b.product_name), text(&b.sku_name))),
            LineSortKey::ChargeType => text(&a.charge_type).cmp(&text(&b.charge_type)),
            LineSortKey::Quantity => cmp_opt(a.quantity, b.quantity),
            LineSortKey::Total => cmp_opt(
                a.total_for_customer.or(a.subtotal),
                b.total_for_customer.or(b.subtotal),
            ),
        };
        if q.descending {
            o.reverse()
        } else {
            o
        }
    });
    rows
}

fn totals(rows: &[&InvoiceLineItem]) -> Vec<CurrencyTotal> {
    let mut by: Vec<CurrencyTotal> = Vec::new();
    for l in rows {
        let amount = l.total_for_customer.or(l.subtotal).unwrap_or(0.0);
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

fn distinct(all: &[InvoiceLineItem], f: impl Fn(&InvoiceLineItem) -> &str) -> Vec<String> {
    all.iter()
        .map(|l| f(l).to_string())
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A file name for an export nobody named.
fn default_file_name(invoice_id: &str, ext: &str) -> String {
    if invoice_id == UNBILLED {
        let p = billing::period_of(Utc::now().date_naive());
        format!("unbilled-{}-lines.{ext}", p.start.format("%Y-%m"))
    } else {
        format!("invoice-{invoice_id}-lines.{ext}")
    }
}

/// Where an export goes: the file asked for (its extension picks the format), else the
/// export folder with a name from `default_name` and `format` (xlsx when not given).
fn export_target(
    path: Option<&str>,
    format: Option<&str>,
    dir: PathBuf,
    default_name: impl Fn(&str) -> String,
) -> Result<(PathBuf, ExportFormat)> {
    match path.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => {
            let path = PathBuf::from(p);
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_string);
            let format = match (ext, format) {
                (Some(e), _) => ExportFormat::parse(&e).map_err(|_| {
                    Error::Invalid(format!(
                        "{} does not end in .xlsx or .csv: choose one of those file types",
                        path.display()
                    ))
                })?,
                (None, Some(f)) => ExportFormat::parse(f)?,
                (None, None) => ExportFormat::Xlsx,
            };
            Ok((path, format))
        }
        None => {
            let format = ExportFormat::parse(format.unwrap_or("xlsx"))?;
            let ext = match format {
                ExportFormat::Xlsx => "xlsx",
                ExportFormat::Csv => "csv",
            };
            std::fs::create_dir_all(&dir).map_err(|e| {
                Error::io(
                    format!(
                        "creating the export folder {} (choose another with Save as…)",
                        dir.display()
                    ),
                    e,
                )
            })?;
            Ok((dir.join(default_name(ext)), format))
        }
    }
}

fn export_result(path: &Path, rows: u64, format: ExportFormat) -> ExportResult {
    ExportResult {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
        format: match format {
            ExportFormat::Xlsx => "xlsx".into(),
            ExportFormat::Csv => "csv".into(),
        },
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn opt_text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks a note from the form; returns it trimmed.
fn checked_note(n: NoteInput) -> Result<NewNote> {
    let email = opt_text(n.email);
    let phone = opt_text(n.phone);
    if let Some(e) = &email {
        let ok = e
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !e.contains(char::is_whitespace);
        if !ok {
            return Err(Error::Invalid(format!(
                "`{e}` is not an email address: write it as name@example.com, or leave it empty"
            )));
        }
    }
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 3
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().x/".contains(c))
        {
            return Err(Error::Invalid(format!(
                "`{p}` is not a phone number: use digits with an optional + and spaces, or leave it empty"
            )));
        }
    }
    let kind = match n.kind.trim() {
        "" | "note" => "note",
        "contact" => "contact",
        other => {
            return Err(Error::Invalid(format!(
                "`{other}` is not a kind of note: use note or contact"
            )))
        }
    };
    Ok(NewNote {
        kind: kind.into(),
        text: n.text.trim().to_string(),
        name: opt_text(n.name),
        email,
        phone,
    })
}

impl AppCore {
    /// The current period's unbilled charges first, then every invoice, newest first; each with
    /// its billing period's rule in words.
    pub async fn invoices(&self) -> Result<Vec<InvoiceSummary>> {
        let c = self.connection().await?;
        let list = billing::invoices(&c.client).await?;
        let currency = list
            .first()
            .map(|i| (i.currency_code.clone(), i.currency_symbol.clone()))
            .unwrap_or_else(|| ("USD".into(), "$".into()));
        let mut out = vec![InvoiceSummary {
            id: UNBILLED.into(),
            unbilled: true,
            invoice_date: None,
            period: Some(billing::period_of(Utc::now().date_naive()).into()),
            total_charges: None,
            paid_amount: None,
            currency_code: currency.0,
            currency_symbol: currency.1,
        }];
        out.extend(list.iter().map(|i: &Invoice| InvoiceSummary {
            id: i.id.clone(),
            unbilled: false,
            invoice_date: i.invoice_date,
            period: billing::period_of_invoice(i).map(Into::into),
            total_charges: i.total_charges,
            paid_amount: i.paid_amount,
            currency_code: i.currency_code.clone(),
            currency_symbol: i.currency_symbol.clone(),
        }));
        Ok(out)
    }

    /// Every marketplace line of an invoice (all pages), from the last few minutes' copy
    /// unless `refresh`.
    async fn all_lines(
        &self,
        invoice_id: &str,
        refresh: bool,
        progress: billing::Progress<'_>,
    ) -> Result<(Arc<Vec<InvoiceLineItem>>, DateTime<Utc>)> {
        let id = invoice_key(invoice_id)?;
        let c = self.connection().await?;
        let key = (c.data_dir.clone(), id.clone());
        if !refresh {
            let cache = self.invoice_lines.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(hit) = cache.get(&key).filter(|h| h.at.elapsed() < max_age(&id)) {
                return Ok((hit.lines.clone(), hit.fetched_at));
            }
        }
        let got = billing::fetch_lines(&c.client, Some(&c.store), &id, &Default::default(), &|p| {
            tracing::info!(invoice = %id, "{}", billing::describe_progress(&p));
            progress(p)
        })
        .await?;
        let lines = Arc::new(got.lines);
        let fetched_at = Utc::now();
        let mut cache = self.invoice_lines.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= CACHED_INVOICES {
            if let Some(oldest) = cache
                .iter()
                .min_by_key(|(_, v)| v.at)
                .map(|(k, _)| k.clone())
            {
                cache.remove(&oldest);
            }
        }
        cache.insert(
            key,
            Cached {
                at: Instant::now(),
                fetched_at,
                lines: lines.clone(),
            },
        );
        Ok((lines, fetched_at))
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
        let (all, fetched_at) = self.all_lines(&q.invoice_id, q.refresh, progress).await?;
        let rows = select(&all, &q);
        let offset = (q.offset as usize).min(rows.len());
        let limit = (q.limit as usize).clamp(1, MAX_WINDOW);
        Ok(LineWindow {
            invoice_id: invoice_key(&q.invoice_id)?,
            total: count(rows.len()),
            all: count(all.len()),
            offset: count(offset),
            rows: rows[offset..]
                .iter()
                .take(limit)
                .map(|l| LineRow::from(*l))
                .collect(),
            totals: totals(&rows),
            trials: count(rows.iter().filter(|l| l.is_trial()).count()),
            customers: distinct(&all, |l| &l.customer_name),
            publishers: distinct(&all, |l| &l.publisher_name),
            products: distinct(&all, |l| &l.product_name),
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
        format: Option<String>,
    ) -> Result<ExportResult> {
        let id = invoice_key(&q.invoice_id)?;
        let (all, _) = self.all_lines(&id, q.refresh, &|_| {}).await?;
        let (out, format) = export_target(
            path.as_deref(),
            format.as_deref(),
            self.export_dir(),
            |ext| default_file_name(&id, ext),
        )?;
        let lines: Vec<InvoiceLineItem> = select(&all, &q).into_iter().cloned().collect();
        let out2 = out.clone();
        let n =
            tokio::task::spawn_blocking(move || billing::export_lines(&out2, format, &id, &lines))
                .await
                .map_err(|e| Error::Invalid(format!("the export stopped: {e}")))??;
        tracing::info!(path = %out.display(), rows = n, "invoice lines exported");
        self.remember_written(&out);
        Ok(export_result(&out, n, format))
    }

    /// Every publisher of the market's catalog (synced first if never), optionally searched by
    /// name or id, with offer and note counts.
    pub async fn publisher_list(
        &self,
        market: &str,
        search: Option<String>,
    ) -> Result<Vec<PublisherRow>> {
        let market = market_code(market)?;
        self.index(&market).await?; // syncs a market never synced
        let c = self.connection().await?;
        let store = c.store.clone();
        tokio::task::spawn_blocking(move || {
            let search = search
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            let list = publishers::list(&store, &market, search.as_deref())?;
            let mut notes: HashMap<String, u32> = HashMap::new();
            for n in publishers::all_notes(&store)? {
                *notes.entry(n.publisher).or_default() += 1;
            }
            Ok(list
                .into_iter()
                .map(|p| PublisherRow {
                    notes: notes.get(&p.key).copied().unwrap_or(0),
                    key: p.key,
                    name: p.name,
                    id: p.id,
                    microsoft: p.microsoft,
                    offers: count(p.offers),
                    csp_offers: count(p.csp_offers),
                })
                .collect())
        })
        .await
        .map_err(|e| Error::Invalid(format!("listing publishers failed: {e}")))?
    }

    /// One publisher: who handles what, support contacts, offers (with "Request this offer" for
    /// those CSP partners are not offered), and the staff's notes.
    pub async fn publisher_detail(&self, market: &str, name: &str) -> Result<PublisherDetail> {
        let market = market_code(market)?;
        if name.trim().is_empty() {
            return Err(Error::Invalid(
                "no publisher named: pick one from the list".into(),
            ));
        }
        self.index(&market).await?;
        let c = self.connection().await?;
        let view = publishers::show(&c, &market, name.trim()).await?;
        Ok(PublisherDetail::from_view(view, Some(market)))
    }

    /// From a customer's subscription straight to its publisher's contacts, with the
    /// subscription's details and the "Contact publisher" email.
    pub async fn publisher_for_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<SubscriptionLookup> {
        let (customer_id, subscription_id) = (customer_id.trim(), subscription_id.trim());
        if customer_id.is_empty() || subscription_id.is_empty() {
            return Err(Error::Invalid(
                "a customer id and a subscription id are both needed to find the publisher".into(),
            ));
        }
        let c = self.connection().await?;
        let (view, ctx, mailto) =
            publishers::for_subscription(&c, customer_id, subscription_id).await?;
        // The catalog the lookup read: the customer's market, when it is synced.
        let country = crate::customers::get(&c.client, customer_id)
            .await
            .ok()
            .and_then(|cu| cu.billing_country().map(str::to_ascii_uppercase));
        let market = match country {
            Some(m) if crate::catalog::sync::last_sync(&c.store, &m)?.is_some() => Some(m),
            _ => None,
        };
        Ok(SubscriptionLookup {
            subscription: ctx.into(),
            publisher: PublisherDetail::from_view(view, market),
            contact_mailto: mailto,
        })
    }

    /// Add a note or contact to a publisher; kept locally, never touched by a catalog sync.
    pub async fn add_publisher_note(
        &self,
        publisher_name: &str,
        note: NoteInput,
    ) -> Result<PublisherNote> {
        if publisher_name.trim().is_empty() {
            return Err(Error::Invalid(
                "no publisher named: open a publisher first".into(),
            ));
        }
        let note = checked_note(note)?;
        let c = self.connection().await?;
        publishers::add_note(&c.store, publisher_name.trim(), &note)
    }

    pub async fn delete_publisher_note(&self, id: i64) -> Result<()> {
        let c = self.connection().await?;
        let exists = publishers::all_notes(&c.store)?.iter().any(|n| n.id == id);
        if !exists {
            return Err(Error::not_found(
                format!("note #{id}"),
                "It was already deleted; the list is refreshed",
            ));
        }
        publishers::delete_note(&c.store, id)
    }

    /// Export every publisher note to `path`, or to the export folder as
    /// `publisher-notes-<date>.<format>`.
    pub async fn export_publisher_notes(
        &self,
        path: Option<String>,
        format: Option<String>,
    ) -> Result<ExportResult> {
        let c = self.connection().await?;
        let (out, format) = export_target(
            path.as_deref(),
            format.as_deref(),
            self.export_dir(),
            |ext| format!("publisher-notes-{}.{ext}", Utc::now().format("%Y-%m-%d")),
        )?;
        let store = c.store.clone();
        let out2 = out.clone();
        let n =
            tokio::task::spawn_blocking(move || publishers::export_notes(&store, &out2, format))
                .await
                .map_err(|e| Error::Invalid(format!("the export stopped: {e}")))??;
        self.remember_written(&out);
        Ok(export_result(&out, n, format))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(customer: &str, publisher: &str, total: f64, trial: bool) -> InvoiceLineItem {
        serde_json::from_value(serde_json::json!({
            "customerName": customer, "publisherName": publisher, "productName": "P",
            "totalForCustomer": total, "currency": "USD",
            "productQualifiers": if trial { vec!["Trial"] } else { vec![] },
        }))
        .unwrap()
    }

    #[test]
    fn select_filters_sorts_and_totals() {
        let all = vec![
            line("Contoso", "Fabrikam", 10.0, false),
            line("Adatum", "Fabrikam", 0.0, true),
            line("Contoso", "Northwind", 5.5, false),
        ];
        let q = LineQuery {
            customer: Some(" contoso ".into()),
            sort: LineSortKey::Total,
            ..Default::default()
        };
        let rows = select(&all, &q);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].publisher_name, "Northwind");
        assert_eq!(totals(&rows)[0].amount, 15.5);
        let by_customer = select(
            &all,
            &LineQuery {
                sort: LineSortKey::Customer,
                descending: true,
                ..Default::default()
            },
        );
        assert_eq!(by_customer[2].customer_name, "Adatum");
        assert!(LineRow::from(&all[1]).trial);
    }

    #[test]
    fn invoice_ids_are_checked() {
        assert_eq!(invoice_key("UNBILLED").unwrap(), UNBILLED);
        assert_eq!(invoice_key(" G000123 ").unwrap(), "G000123");
        assert!(matches!(invoice_key("../etc"), Err(Error::Invalid(_))));
        assert!(matches!(invoice_key(""), Err(Error::Invalid(_))));
    }

    #[test]
    fn notes_are_checked_and_trimmed() {
        let n = checked_note(NoteInput {
            kind: "contact".into(),
            text: " Partner desk ".into(),
            email: Some(" ana@example.com ".into()),
            phone: Some("+1 (425) 555-0100".into()),
            name: Some("  ".into()),
        })
        .unwrap();
        assert_eq!(
            (n.text.as_str(), n.email.as_deref(), n.name),
            ("Partner desk", Some("ana@example.com"), None)
        );
        let bad = checked_note(NoteInput {
            email: Some("ana at example".into()),
            ..Default::default()
        });
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("not an email address"));
        assert!(checked_note(NoteInput {
            phone: Some("call me".into()),
            ..Default::default()
        })
        .is_err());
    }

    #[test]
    fn exports_go_where_asked_or_to_the_export_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (p, f) = export_target(
            Some("/tmp/x/lines.CSV"),
            Some("xlsx"),
            dir.path().into(),
            |e| e.into(),
        )
        .unwrap();
        assert_eq!(
            (p, f),
            (PathBuf::from("/tmp/x/lines.CSV"), ExportFormat::Csv)
        );
        assert!(
            export_target(Some("/tmp/lines.pdf"), None, dir.path().into(), |e| e
                .into())
            .is_err()
        );
        let (p, f) = export_target(None, Some("csv"), dir.path().join("sub"), |e| {
            default_file_name("G1", e)
        })
        .unwrap();
        assert_eq!(p, dir.path().join("sub/invoice-G1-lines.csv"));
        assert_eq!(f, ExportFormat::Csv);
        assert!(dir.path().join("sub").is_dir());
        assert!(default_file_name(UNBILLED, "xlsx").starts_with("unbilled-"));
    }
}
