//! One price-sheet snapshot per market per day in the local store, for day-over-day changes.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::sheet::{PriceSheet, SheetRow};
use crate::error::{Error, Result};
use crate::store::Store;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    pub market: String,
    pub day: NaiveDate,
    pub fetched_at: DateTime<Utc>,
    pub rows: u64,
    pub bad_rows: u64,
}

/// Keep `sheet` as the snapshot of its market for `day` (replacing one taken earlier that day).
pub fn save(store: &Store, sheet: &PriceSheet, day: NaiveDate, at: DateTime<Utc>) -> Result<()> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    let d = day.to_string();
    tx.execute(
        "DELETE FROM price_rows WHERE market = ?1 AND day = ?2",
        params![sheet.market, d],
    )?;
    {
        let mut ins =
            tx.prepare("INSERT INTO price_rows (market, day, seq, json) VALUES (?1, ?2, ?3, ?4)")?;
        for (i, r) in sheet.rows.iter().enumerate() {
            let json = serde_json::to_string(&StoredRow::from(r))
                .map_err(|e| Error::Invalid(e.to_string()))?;
            ins.execute(params![sheet.market, d, i as i64, json])?;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO price_snapshots (market, day, fetched_at, rows, bad_rows) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![sheet.market, d, at.to_rfc3339(), sheet.rows.len() as i64, sheet.bad_rows.len() as i64],
    )?;
    tx.commit()?;
    Ok(())
}

/// The rows of a snapshot.
pub fn load(store: &Store, market: &str, day: NaiveDate) -> Result<Vec<SheetRow>> {
    let conn = store.conn();
    let mut stmt =
        conn.prepare("SELECT json FROM price_rows WHERE market = ?1 AND day = ?2 ORDER BY seq")?;
    let rows = stmt.query_map(params![market.to_ascii_uppercase(), day.to_string()], |r| {
        r.get::<_, String>(0)
    })?;
    let mut out = Vec::new();
    for json in rows {
        let stored: StoredRow = serde_json::from_str(&json?).map_err(|e| {
            Error::Invalid(format!(
                "a stored price snapshot is unreadable ({e}); fetch it again"
            ))
        })?;
        out.push(stored.into_row(market));
    }
    Ok(out)
}

/// Snapshots of a market, newest first.
pub fn list(store: &Store, market: &str) -> Result<Vec<SnapshotInfo>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT market, day, fetched_at, rows, bad_rows FROM price_snapshots WHERE market = ?1 ORDER BY day DESC",
    )?;
    let rows = stmt.query_map(params![market.to_ascii_uppercase()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (market, day, at, n, bad) = row?;
        out.push(SnapshotInfo {
            market,
            day: day
                .parse()
                .map_err(|_| Error::Invalid(format!("bad snapshot day {day:?} in the store")))?,
            fetched_at: DateTime::parse_from_rfc3339(&at)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
            rows: n as u64,
            bad_rows: bad as u64,
        });
    }
    Ok(out)
}

/// Record a finished export.
pub fn record_export(
    store: &Store,
    markets: &[String],
    format: &str,
    path: &str,
    rows: u64,
) -> Result<()> {
    store.conn().execute(
        "INSERT INTO price_exports (at, markets, format, path, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            Utc::now().to_rfc3339(),
            markets.join(","),
            format,
            path,
            rows as i64
        ],
    )?;
    Ok(())
}

/// When the last export finished, and where it went.
/// Whether a price-list export to `path` is on record.
pub fn was_exported(store: &Store, path: &str) -> Result<bool> {
    Ok(store.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM price_exports WHERE path = ?1)",
        [path],
        |r| r.get::<_, bool>(0),
    )?)
}

pub fn last_export(store: &Store) -> Result<Option<(DateTime<Utc>, String, u64)>> {
    let conn = store.conn();
    let mut stmt =
        conn.prepare("SELECT at, path, rows FROM price_exports ORDER BY id DESC LIMIT 1")?;
    let mut rows = stmt.query([])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let at: String = r.get(0)?;
    Ok(Some((
        DateTime::parse_from_rfc3339(&at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
        r.get(1)?,
        r.get::<_, i64>(2)? as u64,
    )))
}

/// Compact storage form of a row (the market is the snapshot's).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredRow {
    p: String,
    s: String,
    pt: String,
    st: String,
    pb: String,
    u: String,
    t: String,
    b: String,
    c: String,
    up: f64,
    e: Option<f64>,
    es: Option<NaiveDate>,
    ee: Option<NaiveDate>,
    g: String,
}

impl From<&SheetRow> for StoredRow {
    fn from(r: &SheetRow) -> Self {
        StoredRow {
            p: r.product_id.clone(),
            s: r.sku_id.clone(),
            pt: r.product_title.clone(),
            st: r.sku_title.clone(),
            pb: r.publisher.clone(),
            u: r.unit_of_measure.clone(),
            t: r.term_duration.clone(),
            b: r.billing_plan.clone(),
            c: r.currency.clone(),
            up: r.unit_price,
            e: r.erp_price,
            es: r.effective_start,
            ee: r.effective_end,
            g: r.tags.clone(),
        }
    }
}

impl StoredRow {
    fn into_row(self, market: &str) -> SheetRow {
        SheetRow {
            product_id: self.p,
            sku_id: self.s,
            product_title: self.pt,
            sku_title: self.st,
            publisher: self.pb,
            unit_of_measure: self.u,
            term_duration: self.t,
            billing_plan: self.b,
            market: market.to_ascii_uppercase(),
            currency: self.c,
            unit_price: self.up,
            erp_price: self.e,
            effective_start: self.es,
            effective_end: self.ee,
            tags: self.g,
        }
    }
}
