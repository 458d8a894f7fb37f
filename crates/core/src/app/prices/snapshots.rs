//! The price lists' snapshots: what each market has, the last export, and fetching today's.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::app::AppCore;
use crate::catalog::markets::{currency_of, market_code};
use crate::error::Result;
use crate::pricelist::{self, snapshot};

/// One market's snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketSnapshots {
    pub market: String,
    pub currency: String,
    /// Days with a snapshot, newest first.
    pub days: Vec<NaiveDate>,
    /// When the newest snapshot was fetched.
    pub last_fetched_at: Option<DateTime<Utc>>,
}

/// The last finished price-list export.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LastExport {
    pub at: DateTime<Utc>,
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
    /// Whether the file is still where it was written.
    pub exists: bool,
}

/// What the Price lists view shows before anything runs.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PriceListStatus {
    pub markets: Vec<MarketSnapshots>,
    pub last_export: Option<LastExport>,
}

/// A snapshot just fetched.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FetchedSnapshot {
    pub market: String,
    pub day: NaiveDate,
    #[ts(type = "number")]
    pub rows: u64,
}

impl AppCore {
    /// The snapshots of each market and the last export.
    pub async fn price_list_status(&self, markets: &[String]) -> Result<PriceListStatus> {
        let c = self.connection().await?;
        let mut out = Vec::new();
        for m in markets {
            let m = market_code(m)?;
            let snaps = snapshot::list(&c.store, &m)?;
            out.push(MarketSnapshots {
                currency: currency_of(&m).unwrap_or_default().to_string(),
                last_fetched_at: snaps.first().map(|s| s.fetched_at),
                days: snaps.iter().map(|s| s.day).collect(),
                market: m,
            });
        }
        let last_export = snapshot::last_export(&c.store)?.map(|(at, path, rows)| LastExport {
            exists: Path::new(&path).is_file(),
            at,
            path,
            rows,
        });
        Ok(PriceListStatus {
            markets: out,
            last_export,
        })
    }

    /// Fetch today's price sheet of each market and keep it as the day's snapshot (replacing an
    /// earlier one of the same day).
    pub async fn fetch_price_snapshots(&self, markets: &[String]) -> Result<Vec<FetchedSnapshot>> {
        let c = self.connection().await?;
        let day = Utc::now().date_naive();
        let mut out = Vec::new();
        for m in markets {
            let m = market_code(m)?;
            let taken = pricelist::take_snapshot(&c, &m, false, Some(day)).await?;
            out.push(FetchedSnapshot {
                market: m,
                day,
                rows: taken.rows,
            });
        }
        Ok(out)
    }
}
