//! The daily price list: fetch a market's marketplace price sheet, keep one snapshot per market
//! per day, expand free trials into their two rows, apply the marketplace filters, and export to
//! `.xlsx` or `.csv`; plus the changes between two snapshots.

pub mod diff;
pub mod export;
pub mod rows;
pub mod sheet;
pub mod snapshot;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::catalog::query::{OfferFilter, OfferIndex, OfferQuery};
use crate::catalog::sync::{self as catalog_sync, SyncOptions};
use crate::connection::Connection;
use crate::error::{Error, Result};
use export::{ExportControl, ExportFormat, SheetInput};
use sheet::{BadRow, SheetRow};

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub markets: Vec<String>,
    pub format: ExportFormat,
    pub out: PathBuf,
    pub bom: bool,
    pub filter: OfferFilter,
    pub skip_bad_rows: bool,
    /// The snapshot's day; today (UTC) when `None`.
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketSummary {
    pub market: String,
    pub currency: String,
    pub sheet_rows: usize,
    pub rows: usize,
    pub bad_rows: Vec<BadRow>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub path: PathBuf,
    pub format: ExportFormat,
    pub rows: u64,
    pub day: NaiveDate,
    pub markets: Vec<MarketSummary>,
}

/// Parse `GB,US , de` into `["GB", "US", "DE"]`.
pub fn parse_markets(s: &str) -> Result<Vec<String>> {
    let markets: Vec<String> = s
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    if markets.is_empty()
        || markets
            .iter()
            .any(|m| m.len() != 2 || !m.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(Error::Invalid(format!(
            "`{s}` is not a list of two-letter market codes, e.g. GB or GB,US"
        )));
    }
    Ok(markets)
}

/// The catalog of a market, synced first if it never was.
pub async fn catalog(conn: &Connection, market: &str) -> Result<OfferIndex> {
    if catalog_sync::last_sync(&conn.store, market)?.is_none() {
        let mut opts = SyncOptions::new(market);
        opts.arm_subscription = conn.arm_subscription.clone();
        catalog_sync::sync(&conn.client, &conn.store, &opts, &|_| {}).await?;
    }
    Ok(OfferIndex::new(catalog_sync::load_offers(
        &conn.store,
        market,
    )?))
}

/// Fetch today's sheet of `market` and keep it as the day's snapshot.
pub async fn fetch_snapshot(
    conn: &Connection,
    market: &str,
    skip_bad_rows: bool,
    day: Option<NaiveDate>,
) -> Result<sheet::PriceSheet> {
    let logs = conn.data_dir.join("logs");
    let sheet =
        sheet::fetch_keeping_sample(&conn.client, market, skip_bad_rows, Some(&logs)).await?;
    let now = Utc::now();
    snapshot::save(
        &conn.store,
        &sheet,
        day.unwrap_or_else(|| now.date_naive()),
        now,
    )?;
    Ok(sheet)
}

fn is_filtering(f: &OfferFilter) -> bool {
    f != &OfferFilter::default()
}

/// Fetch, snapshot, expand and write. Nothing is written unless every market succeeded.
pub async fn export(
    conn: &Connection,
    req: &ExportRequest,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ExportReport> {
    let day = req.day.unwrap_or_else(|| Utc::now().date_naive());
    let mut prepared: Vec<(MarketSummary, Vec<rows::PriceRow>)> = Vec::new();
    for market in &req.markets {
        let sheet = fetch_snapshot(conn, market, req.skip_bad_rows, Some(day)).await?;
        let index = catalog(conn, market).await?;
        let info = rows::catalog_info(index.offers());
        let allowed: Option<HashSet<String>> = is_filtering(&req.filter).then(|| {
            let q = OfferQuery {
                filter: req.filter.clone(),
                limit: usize::MAX,
                ..Default::default()
            };
            index
                .query(&q)
                .rows
                .into_iter()
                .filter_map(|r| r.product_id)
                .collect()
        });
        let keep = |p: &str| allowed.as_ref().is_none_or(|a| a.contains(p));
        let built = rows::build(&sheet.rows, &info, &keep);
        let currency = sheet
            .rows
            .first()
            .map(|r| r.currency.clone())
            .unwrap_or_default();
        prepared.push((
            MarketSummary {
                market: market.clone(),
                currency,
                sheet_rows: sheet.rows.len(),
                rows: built.len(),
                bad_rows: sheet.bad_rows,
            },
            built,
        ));
    }
    let ctl = ExportControl { cancel, progress };
    let total = match req.format {
        ExportFormat::Xlsx => {
            let sheets = prepared
                .iter()
                .map(|(m, r)| SheetInput {
                    name: m.market.clone(),
                    currency: m.currency.clone(),
                    rows: Box::new(r.iter().cloned()),
                })
                .collect();
            export::write_xlsx(&req.out, sheets, &ctl)?
        }
        ExportFormat::Csv => {
            let mut all = prepared.iter().flat_map(|(_, r)| r.iter().cloned());
            export::write_csv(&req.out, &mut all, req.bom, &ctl)?
        }
    };
    let fmt = match req.format {
        ExportFormat::Xlsx => "xlsx",
        ExportFormat::Csv => "csv",
    };
    snapshot::record_export(
        &conn.store,
        &req.markets,
        fmt,
        &req.out.display().to_string(),
        total,
    )?;
    Ok(ExportReport {
        path: req.out.clone(),
        format: req.format,
        rows: total,
        day,
        markets: prepared.into_iter().map(|(m, _)| m).collect(),
    })
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    pub market: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub changes: Vec<diff::PriceChange>,
}

/// Changes of `market` between two snapshot days (default: the two newest).
pub fn changes(
    conn: &Connection,
    market: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<DiffReport> {
    let snaps = snapshot::list(&conn.store, market)?;
    let days: Vec<NaiveDate> = snaps.iter().map(|s| s.day).collect();
    let pick = |d: NaiveDate| -> Result<NaiveDate> {
        days.contains(&d).then_some(d).ok_or_else(|| {
            Error::not_found(
                format!("a price snapshot of {} for {d}", market.to_uppercase()),
                format!(
                    "Snapshots exist for: {}",
                    days.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    };
    let to = match to {
        Some(d) => pick(d)?,
        None => *days.first().ok_or_else(|| {
            Error::not_found(
                format!("a price snapshot of {}", market.to_uppercase()),
                "Run `cspdesk prices fetch --market CC` (or an export) first",
            )
        })?,
    };
    let from = match from {
        Some(d) => pick(d)?,
        None => *days.iter().find(|d| **d < to).ok_or_else(|| {
            Error::not_found(
                format!(
                    "an earlier price snapshot of {} than {to}",
                    market.to_uppercase()
                ),
                "Changes need two days' snapshots: fetch again on another day, or name --from",
            )
        })?,
    };
    let a: Vec<SheetRow> = snapshot::load(&conn.store, market, from)?;
    let b: Vec<SheetRow> = snapshot::load(&conn.store, market, to)?;
    Ok(DiffReport {
        market: market.to_ascii_uppercase(),
        from,
        to,
        changes: diff::diff(&a, &b),
    })
}
