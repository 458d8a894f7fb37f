//! Price lists and the Changes view: export with progress and cancel, snapshots, diffs (issue 4).
//!
//! The work is the core's ([`crate::pricelist`]); this adds what a window needs around it: a
//! validated output path with a sensible dated default, progress with rows per second, a cancel
//! flag per export (the UI names each export with an id, so two windows or two tests never cancel
//! each other's), the last snapshot of each market and the last export, and the changes between
//! two snapshots in a shape a table can show. Files are only ever opened or revealed when this
//! app wrote them ([`AppCore::written_file`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod changes;
mod snapshots;
pub use changes::*;
pub use snapshots::*;

use super::AppCore;
use crate::catalog::markets::market_code;
use crate::catalog::query::OfferFilter;
use crate::error::Result;
use crate::pricelist::layout::CustomerList;
use crate::pricelist::{self, CustomerExport, ExportRequest};
use crate::tabular::{self, ExportFormat};

/// A snapshot day (`YYYY-MM-DD` over IPC).
pub type Day = NaiveDate;

/// What the Export button sends.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PriceExportRequest {
    /// Names this export for [`AppCore::cancel_price_export`]; any string unique to the export.
    pub export_id: String,
    pub markets: Vec<String>,
    pub format: ExportFormat,
    /// Start a CSV with a byte-order mark, so Excel reads it as UTF-8.
    #[serde(default)]
    pub bom: bool,
    /// Where to write; `~/` is the home folder. A missing extension is added.
    pub path: String,
    /// The marketplace's filters (type, category, publisher, trial, search).
    #[serde(default)]
    pub filter: OfferFilter,
    /// A customer price list (the partner's sell prices under the margin rules) instead of
    /// the partner's own.
    #[serde(default)]
    pub customer: Option<CustomerList>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportPhase {
    /// Fetching the markets' price sheets (kept as today's snapshots) and their catalogs.
    Preparing,
    /// Writing rows.
    Writing,
}

/// Progress of a running export.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub phase: ExportPhase,
    pub markets: Vec<String>,
    /// Rows written so far.
    #[ts(type = "number")]
    pub rows: u64,
    /// Since the export started.
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Rows written per second while writing; `None` until two progress points are known.
    pub rows_per_second: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketExport {
    pub market: String,
    pub currency: String,
    /// Rows of the market's price sheet.
    #[ts(type = "number")]
    pub sheet_rows: u64,
    /// Rows written for the market (after filters and trial rows).
    #[ts(type = "number")]
    pub rows: u64,
    /// Rows of the price sheet that could not be read (only with skip-bad-rows; 0 otherwise).
    pub bad_rows: u32,
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PriceExportDone {
    pub path: String,
    pub format: ExportFormat,
    #[ts(type = "number")]
    pub rows: u64,
    /// The snapshot day the prices come from.
    pub day: NaiveDate,
    pub markets: Vec<MarketExport>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// Cancel flags of running exports, by the export id the UI chose (a field of [`AppCore`]).
pub(super) type ExportCancels = Arc<Mutex<HashMap<String, Arc<AtomicBool>>>>;

fn cancel_flag(cancels: &ExportCancels, id: &str) -> Arc<AtomicBool> {
    cancels
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(id.to_string())
        .or_default()
        .clone()
}

/// Drops the export's cancel flag when the export ends, however it ends.
struct CancelGuard(ExportCancels, String);
impl Drop for CancelGuard {
    fn drop(&mut self) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

impl AppCore {
    /// A dated file name for a price list of `markets` that does not replace an existing file,
    /// e.g. `~/Downloads/pricelist-US-GB-2026-11-21.xlsx` (`customer-prices-…` for a customer's).
    pub async fn default_price_list_path(
        &self,
        markets: &[String],
        format: ExportFormat,
        customer: bool,
    ) -> Result<String> {
        let markets = markets
            .iter()
            .map(|m| market_code(m))
            .collect::<Result<Vec<_>>>()?;
        let c = self.connection().await?;
        let dir = self.export_dir();
        let day = c.now().date_naive();
        let name = if customer {
            pricelist::customer_export_name(&markets, day)
        } else {
            pricelist::export_name(&markets, day)
        };
        Ok(tabular::free_name(&dir, &name, format.ext())
            .display()
            .to_string())
    }

    /// Export the price list: fetch each market's sheet (kept as today's snapshot), apply the
    /// filters, write to a temporary file beside `path` and rename it into place. `progress` is
    /// called once when it starts and then every few thousand rows. A cancelled or failed export
    /// leaves no file.
    pub async fn export_prices(
        &self,
        req: PriceExportRequest,
        progress: impl Fn(ExportProgress) + Send + Sync,
    ) -> Result<PriceExportDone> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let started = Instant::now();
        let cancel = cancel_flag(&self.export_cancels, &req.export_id);
        let _guard = CancelGuard(self.export_cancels.clone(), req.export_id.clone());
        if req.markets.is_empty() {
            return Err(crate::message::Message::ExportNoMarket.into());
        }
        let mut markets = Vec::new();
        for m in &req.markets {
            let m = market_code(m)?;
            if !markets.contains(&m) {
                markets.push(m);
            }
        }
        let (out, _) = tabular::checked_path(&req.path, Some(req.format))?;
        let c = self.connection().await?;
        let elapsed = || started.elapsed().as_millis() as u64;
        progress(ExportProgress {
            phase: ExportPhase::Preparing,
            markets: markets.clone(),
            rows: 0,
            elapsed_ms: 0,
            rows_per_second: None,
        });
        // The first progress point anchors the rate: writing starts shortly before it.
        let anchor: Mutex<Option<(Instant, u64)>> = Mutex::new(None);
        let on_rows = |rows: u64| {
            let now = Instant::now();
            let mut a = anchor.lock().unwrap_or_else(|p| p.into_inner());
            let rate = match *a {
                None => {
                    *a = Some((now, rows));
                    None
                }
                Some((t, r)) => {
                    let secs = now.duration_since(t).as_secs_f64();
                    (secs > 0.0 && rows > r).then(|| (rows - r) as f64 / secs)
                }
            };
            progress(ExportProgress {
                phase: ExportPhase::Writing,
                markets: markets.clone(),
                rows,
                elapsed_ms: elapsed(),
                rows_per_second: rate,
            });
        };
        let core_req = ExportRequest {
            markets: markets.clone(),
            format: req.format,
            out: out.clone(),
            bom: req.bom && req.format == ExportFormat::Csv,
            filter: req.filter.clone(),
            skip_bad_rows: false,
            day: None,
            customer: req.customer.clone().map(|list| CustomerExport {
                list,
                rules_file: None,
            }),
        };
        // The core watches the cancel flag while it fetches and while it writes, and returns
        // only once its temporary files are gone.
        let report = pricelist::export(&c, &core_req, &cancel, &on_rows).await?;
        tracing::info!(rows = report.rows, path = %report.path.display(), "price list exported");
        Ok(PriceExportDone {
            path: report.path.display().to_string(),
            format: req.format,
            rows: report.rows,
            day: report.day,
            markets: report
                .markets
                .into_iter()
                .map(|m| MarketExport {
                    market: m.market,
                    currency: m.currency,
                    sheet_rows: m.sheet_rows as u64,
                    rows: m.rows as u64,
                    bad_rows: m.bad_rows.len() as u32,
                })
                .collect(),
            elapsed_ms: elapsed(),
        })
    }

    /// Ask the export named `export_id` to stop; it leaves no file.
    pub fn cancel_price_export(&self, export_id: &str) {
        cancel_flag(&self.export_cancels, export_id).store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_flag_belongs_to_one_export() {
        let cancels = ExportCancels::default();
        let a = cancel_flag(&cancels, "test-a");
        let b = cancel_flag(&cancels, "test-b");
        a.store(true, Ordering::Relaxed);
        assert!(!b.load(Ordering::Relaxed));
        drop(CancelGuard(cancels.clone(), "test-a".into()));
        assert!(!cancel_flag(&cancels, "test-a").load(Ordering::Relaxed));
        drop(CancelGuard(cancels.clone(), "test-a".into()));
        drop(CancelGuard(cancels.clone(), "test-b".into()));
    }
}
