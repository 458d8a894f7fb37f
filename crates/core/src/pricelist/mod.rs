//! The daily price list: fetch a market's marketplace price sheet, keep one snapshot per market
//! per day, expand free trials into their two rows, apply the marketplace filters, and export to
//! `.xlsx` or `.csv`; plus the changes between two snapshots.
//!
//! An export streams: each sheet is read as it downloads (or from today's snapshot), joined and
//! written row by row on two threads ([`pipeline`]), so its memory follows the catalog, not the
//! number of rows. The CLI and the app both call [`export`].

pub mod diff;
pub mod export;
pub mod impact;
pub mod layout;
pub mod lookup;
pub mod pipeline;
pub mod rows;
pub mod sheet;
pub mod snapshot;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::catalog::query::{OfferFilter, OfferIndex};
use crate::catalog::sync::{self as catalog_sync, SyncOptions};
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::partner_center::{api, Client};
use crate::store::Store;
use export::{ExportFormat, WriteProgress};
use pipeline::{BodyChunks, Finished, Job, MarketJob};
use sheet::{BadRow, PriceSheet};

/// The price-sheet view CSP Desk reads.
pub use sheet::MARKETPLACE_VIEW;

/// Attempts at a sheet whose connection drops mid-way (each starts from the beginning).
const FETCH_ATTEMPTS: u32 = 3;

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
    /// A customer price list instead of the partner's own (issue 20).
    pub customer: Option<CustomerExport>,
}

/// A customer price list: who it is for, and where its margin rules come from.
#[derive(Debug, Clone)]
pub struct CustomerExport {
    pub list: layout::CustomerList,
    /// A rules file (`--margin FILE`) instead of the rules kept in the store.
    pub rules_file: Option<PathBuf>,
}

impl CustomerExport {
    /// The file's layout on `day`: its rules read (a bad rules file names its line), its block.
    fn layout(&self, store: &Store, day: NaiveDate) -> Result<layout::Layout> {
        let rules = match &self.rules_file {
            Some(f) => crate::pricing::RuleSet::new(
                crate::pricing::file::read(f)?
                    .into_iter()
                    .zip(1..)
                    .map(|(rule, id)| crate::pricing::MarginRule { id, rule })
                    .collect(),
            ),
            None => crate::pricing::store::rule_set(store)?,
        };
        Ok(layout::Layout::customer(&self.list, Arc::new(rules), day))
    }
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
        .filter(|m| !m.trim().is_empty())
        .map(crate::catalog::markets::market_code)
        .collect::<Result<_>>()
        .map_err(|_| {
            Error::Invalid(format!(
                "`{s}` is not a list of two-letter market codes, e.g. GB or GB,US"
            ))
        })?;
    if markets.is_empty() {
        return Err(Error::Invalid(format!(
            "`{s}` is not a list of two-letter market codes, e.g. GB or GB,US"
        )));
    }
    Ok(markets)
}

/// The file name (without extension) of a price list of `markets` exported on `day`, e.g.
/// `pricelist-US-GB-2026-11-21` (`all` when no market is named).
pub fn export_name(markets: &[String], day: NaiveDate) -> String {
    let markets = if markets.is_empty() {
        "all".to_string()
    } else {
        markets.join("-")
    };
    format!("pricelist-{markets}-{}", day.format("%Y-%m-%d"))
}

/// The default name of a customer price list of `markets` on `day` (no extension).
pub fn customer_export_name(markets: &[String], day: NaiveDate) -> String {
    export_name(markets, day).replacen("pricelist-", "customer-prices-", 1)
}

/// Sync the catalog of `market` if it never was (the export joins the sheet to it).
pub async fn ensure_catalog(conn: &Connection, market: &str) -> Result<()> {
    if catalog_sync::last_sync(&conn.store, market)?.is_none() {
        let mut opts = SyncOptions::new(market);
        opts.arm_subscription = conn.arm_subscription.clone();
        catalog_sync::sync(&conn.client, &conn.store, &opts, &|_| {}).await?;
    }
    Ok(())
}

/// The catalog of a market, synced first if it never was.
pub async fn catalog(conn: &Connection, market: &str) -> Result<OfferIndex> {
    ensure_catalog(conn, market).await?;
    Ok(OfferIndex::new(catalog_sync::load_offers(
        &conn.store,
        market,
    )?))
}

/// A snapshot just taken.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotTaken {
    pub market: String,
    pub day: NaiveDate,
    pub rows: u64,
    pub bad_rows: Vec<BadRow>,
    /// Size of the snapshot file (the sheet, zipped).
    pub bytes: u64,
}

/// Download the sheet of `market` and keep it as the snapshot of `day` (today, UTC, when
/// `None`), replacing one taken earlier that day. The sheet is read as it arrives, in memory
/// that does not grow with it; a connection that drops mid-way starts it again.
pub async fn take_snapshot(
    conn: &Connection,
    market: &str,
    skip_bad_rows: bool,
    day: Option<NaiveDate>,
) -> Result<SnapshotTaken> {
    let market = market.to_ascii_uppercase();
    let day = day.unwrap_or_else(|| Utc::now().date_naive());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (tx, rx) = pipeline::body_channel();
        let store = conn.store.clone();
        let m = market.clone();
        let samples = Some(logs_dir(conn));
        let read = tokio::task::spawn_blocking(move || {
            pipeline::snapshot_only(&store, &m, rx, skip_bad_rows, day, samples)
        });
        let (downloaded, read) = tokio::join!(download(&conn.client, &market, tx), read);
        let read =
            read.map_err(|e| Error::Invalid(format!("reading the price sheet failed: {e}")))?;
        match (downloaded, read) {
            (Ok(()), Ok((rows, bad_rows))) => {
                let bytes = std::fs::metadata(snapshot::file(&conn.store, &market, day))
                    .map(|m| m.len())
                    .unwrap_or(0);
                return Ok(SnapshotTaken {
                    market,
                    day,
                    rows,
                    bad_rows,
                    bytes,
                });
            }
            (Err(e), _) if dropped(&e) && attempt < FETCH_ATTEMPTS => {
                tracing::warn!(%market, attempt, error = %e, "price sheet cut off; fetching it again");
            }
            (Err(e), _) => return Err(e),
            (Ok(()), Err(e)) => return Err(e),
        }
    }
}

/// Fetch today's sheet of `market`, keep it as the day's snapshot, and return its rows (all in
/// memory: for one market's prices, not for exports).
pub async fn fetch_snapshot(
    conn: &Connection,
    market: &str,
    skip_bad_rows: bool,
    day: Option<NaiveDate>,
) -> Result<PriceSheet> {
    let taken = take_snapshot(conn, market, skip_bad_rows, day).await?;
    Ok(PriceSheet {
        rows: snapshot::load(&conn.store, &taken.market, taken.day)?,
        market: taken.market,
        bad_rows: taken.bad_rows,
    })
}

/// The folder beside the logs where a sheet with an unexpected header leaves its first lines.
fn logs_dir(conn: &Connection) -> std::path::PathBuf {
    conn.data_dir.join("logs")
}

/// A connection that dropped mid-sheet (worth starting again), as opposed to a refusal.
fn dropped(e: &Error) -> bool {
    matches!(e, Error::Network { .. })
}

/// Stream the sheet of `market` into `tx`, chunk by chunk. A failure is also sent down the
/// channel (so the reading side stops) and returned (so the caller knows why).
async fn download(client: &Client, market: &str, tx: pipeline::BodySender) -> Result<()> {
    // A file, not JSON; the client sends client-request-id to the Partner API.
    let req = api::price_sheet(market, MARKETPLACE_VIEW)
        .header("Accept-Encoding", "deflate")
        .header("Accept", sheet::PRICE_SHEET_ACCEPT);
    let fail = |e: &Error| std::io::Error::other(e.to_string());
    let mut resp = match client.execute_streamed(&req).await {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Err(fail(&e))).await;
            return Err(e);
        }
    };
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if tx.send(Ok(chunk)).await.is_err() {
                    // The reading side stopped (an error or a cancel of its own).
                    return Ok(());
                }
            }
            Ok(None) => return Ok(()),
            Err(source) => {
                let e = Error::Network {
                    service: crate::error::Service::PartnerApi,
                    what: req.describe(),
                    source,
                };
                let _ = tx.send(Err(fail(&e))).await;
                return Err(e);
            }
        }
    }
}

fn is_filtering(f: &OfferFilter) -> bool {
    f != &OfferFilter::default()
}

/// Fetch (or read today's snapshot), join, expand and write, streaming. Nothing is written
/// unless every market succeeded. `progress` gets the rows written so far, a few times a second
/// and at the end; `cancel` stops it (fetching or writing) and leaves no file.
pub async fn export(
    conn: &Connection,
    req: &ExportRequest,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ExportReport> {
    let day = req.day.unwrap_or_else(|| Utc::now().date_naive());
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    for market in &req.markets {
        ensure_catalog(conn, market).await?;
    }
    let mut unsorted: HashSet<String> = HashSet::new();
    let mut drops = 0;
    let (rows, markets) = loop {
        match export_once(conn, req, day, &unsorted, cancel, progress).await {
            Ok(Finished::Done { rows, markets }) => break (rows, markets),
            // Read that market again from the snapshot just kept, in passes.
            Ok(Finished::Unsorted(market)) if !unsorted.contains(&market) => {
                tracing::info!(%market, "price sheet not grouped by plan; reading it in passes");
                unsorted.insert(market);
            }
            Ok(Finished::Unsorted(market)) => {
                return Err(crate::message::Message::SheetUnsorted { market }.into())
            }
            Err(e) if dropped(&e) && drops + 1 < FETCH_ATTEMPTS => {
                drops += 1;
                tracing::warn!(error = %e, "price sheet cut off; starting the export again");
            }
            Err(e) => return Err(e),
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
        rows,
    )?;
    progress(rows);
    Ok(ExportReport {
        path: req.out.clone(),
        format: req.format,
        rows,
        day,
        markets,
    })
}

/// One run of the pipeline: markets with a snapshot of `day` are read from it, the others
/// downloaded (one after the other, each streaming into the pipeline as it reads).
async fn export_once(
    conn: &Connection,
    req: &ExportRequest,
    day: NaiveDate,
    unsorted: &HashSet<String>,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Finished> {
    let mut jobs = Vec::new();
    let mut fetches: Vec<(String, pipeline::BodySender)> = Vec::new();
    for market in &req.markets {
        let market = market.to_ascii_uppercase();
        let body: Option<BodyChunks> = if snapshot::exists(&conn.store, &market, day)? {
            None
        } else {
            let (tx, rx) = pipeline::body_channel();
            fetches.push((market.clone(), tx));
            Some(rx)
        };
        jobs.push(MarketJob {
            unsorted: unsorted.contains(&market),
            market,
            body,
        });
    }
    let shared = Arc::new(WriteProgress::default());
    let job = Job {
        store: conn.store.clone(),
        markets: jobs,
        format: req.format,
        out: req.out.clone(),
        bom: req.bom,
        filter: is_filtering(&req.filter).then(|| req.filter.clone()),
        skip_bad_rows: req.skip_bad_rows,
        day,
        progress: shared.clone(),
        samples: Some(logs_dir(conn)),
        layout: Arc::new(match &req.customer {
            Some(c) => c.layout(&conn.store, day)?,
            None => layout::Layout::plain(),
        }),
    };
    // Stops the pipeline however this future ends (also when it is dropped).
    struct StopOnDrop(Arc<WriteProgress>);
    impl Drop for StopOnDrop {
        fn drop(&mut self) {
            self.0.cancel.store(true, Ordering::Relaxed);
        }
    }
    let stop = StopOnDrop(shared.clone());
    let mut pipeline = tokio::task::spawn_blocking(move || pipeline::run(job));
    // The downloads, in the markets' order, as many at once as the pipeline reads markets at
    // once (each waits for its reader); aborting them (on cancel) ends the bodies the pipeline
    // waits for.
    let client = conn.client.clone();
    let at_once = pipeline::markets_read_at_once(req.format, req.markets.len());
    let mut downloads = tokio::spawn(async move {
        use futures::{StreamExt as _, TryStreamExt as _};
        futures::stream::iter(fetches)
            .map(|(market, tx)| {
                let client = &client;
                async move { download(client, &market, tx).await }
            })
            .buffer_unordered(at_once)
            .try_for_each(|()| async { Ok(()) })
            .await
    });
    let mut downloaded: Option<Result<()>> = None;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut shown = 0u64;
    let finished = loop {
        tokio::select! {
            r = &mut pipeline => break r,
            r = &mut downloads, if downloaded.is_none() => {
                downloaded = Some(r.unwrap_or_else(|e| Err(Error::Invalid(format!("the download stopped: {e}")))));
            }
            _ = tick.tick() => {
                let n = shared.rows.load(Ordering::Relaxed);
                if n > shown {
                    shown = n;
                    progress(n);
                }
                if cancel.load(Ordering::Relaxed) {
                    shared.cancel.store(true, Ordering::Relaxed);
                    downloads.abort();
                }
            }
        }
    };
    drop(stop);
    let finished = finished
        .map_err(|e| Error::Invalid(format!("the price-list export stopped unexpectedly: {e}")))?;
    // A cancel that came after the file was complete changes nothing: the file is there.
    if finished.is_err() && cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    if finished.is_err() && downloaded.is_none() {
        // Why did the body stop? The download knows (it ends promptly once the pipeline stops).
        match tokio::time::timeout(Duration::from_secs(5), &mut downloads).await {
            Ok(r) => {
                downloaded =
                    Some(r.unwrap_or_else(|e| {
                        Err(Error::Invalid(format!("the download stopped: {e}")))
                    }))
            }
            Err(_) => downloads.abort(),
        }
    }
    downloads.abort();
    match (finished, downloaded) {
        // The download's own error says why the sheet stopped short.
        (Err(_), Some(Err(e))) => Err(e),
        (finished, _) => finished,
    }
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
    changes_in(&conn.store, market, from, to)
}

/// [`changes`], from a store.
pub fn changes_in(
    store: &crate::store::Store,
    market: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<DiffReport> {
    let snaps = snapshot::list(store, market)?;
    let days: Vec<NaiveDate> = snaps.iter().map(|s| s.day).collect();
    let pick = |d: NaiveDate| -> Result<NaiveDate> {
        days.contains(&d).then_some(d).ok_or_else(|| {
            crate::message::Message::SnapshotMissingDay {
                market: market.to_uppercase(),
                day: d,
                days: days
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .not_found()
        })
    };
    let to = match to {
        Some(d) => pick(d)?,
        None => *days.first().ok_or_else(|| {
            crate::message::Message::SnapshotNone {
                market: market.to_uppercase(),
            }
            .not_found()
        })?,
    };
    let from = match from {
        Some(d) => pick(d)?,
        None => *days.iter().find(|d| **d < to).ok_or_else(|| {
            crate::message::Message::SnapshotNoEarlier {
                market: market.to_uppercase(),
                to,
            }
            .not_found()
        })?,
    };
    let market = market.to_ascii_uppercase();
    let day = |day| diff::SnapshotRows {
        store,
        market: &market,
        day,
    };
    let changes = diff::diff_days(&day(from), &day(to))?;
    Ok(DiffReport {
        market: market.clone(),
        from,
        to,
        changes,
    })
}
