//! One price-sheet snapshot per market per day, for same-day exports and day-over-day changes.
//!
//! A snapshot is the sheet itself, zipped as it arrived (the Partner API zips it when asked),
//! in `price-snapshots/MARKET-DAY.zip` beside the store, plus one index row in the store
//! (`price_snapshots`: when, how many rows, how many bad). It is written once, as the sheet
//! downloads, to a temporary file that is renamed into place only when the whole sheet arrived
//! and read cleanly; so the store grows by about the compressed sheet a market a day, and a
//! cancelled, failed or killed fetch leaves no snapshot. Snapshots taken before this design
//! (rows as JSON in `price_rows`) are still read.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::sheet::{PriceSheet, RawRow, SheetReader, SheetRow};

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

/// Where snapshot files live: `price-snapshots/` beside the store's database.
pub fn dir(store: &Store) -> PathBuf {
    match store.path().and_then(Path::parent) {
        Some(d) => d.join("price-snapshots"),
        // An in-memory store (tests): one folder per process.
        None => {
            std::env::temp_dir().join(format!("cspdesk-price-snapshots-{}", std::process::id()))
        }
    }
}

/// The file of a market's snapshot of `day`.
pub fn file(store: &Store, market: &str, day: NaiveDate) -> PathBuf {
    dir(store).join(format!("{}-{day}.zip", market.to_ascii_uppercase()))
}

/// Whether a snapshot of `market` for `day` is on disk and indexed (so an export reads it
/// instead of fetching).
pub fn exists(store: &Store, market: &str, day: NaiveDate) -> Result<bool> {
    let indexed: bool = store.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM price_snapshots WHERE market = ?1 AND day = ?2)",
        params![market.to_ascii_uppercase(), day.to_string()],
        |r| r.get(0),
    )?;
    Ok(indexed && file(store, market, day).is_file())
}

/// A snapshot being written: the price sheet as it arrives, zipped, in a temporary file beside
/// its final place. Dropped without [`commit`], it leaves nothing behind.
pub struct PendingSnapshot {
    tmp: tempfile::NamedTempFile,
    out: SnapshotOut,
    bytes: u64,
}

enum SnapshotOut {
    /// The sheet arrived zipped: its bytes as they are.
    Raw(BufWriter<File>),
    /// The sheet arrived as plain CSV: zipped here.
    Zip(Box<zip::ZipWriter<BufWriter<File>>>),
}

impl PendingSnapshot {
    /// Start a snapshot; `zipped` says whether the bytes to come are already a zip archive.
    pub fn start(store: &Store, market: &str, zipped: bool) -> Result<PendingSnapshot> {
        let dir = dir(store);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        crate::tabular::remove_stale(
            &dir,
            &format!(".{}-", market.to_ascii_uppercase()),
            ".partial",
        );
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{}-", market.to_ascii_uppercase()))
            .suffix(".partial")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(format!("creating a snapshot file in {}", dir.display()), e))?;
        let file = tmp
            .reopen()
            .map_err(|e| Error::io("opening the snapshot file", e))?;
        let file = BufWriter::with_capacity(1 << 16, file);
        let out = if zipped {
            SnapshotOut::Raw(file)
        } else {
            let mut z = zip::ZipWriter::new(file);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1))
                .large_file(true);
            z.start_file("pricesheet.csv", opts)
                .map_err(|e| Error::Invalid(format!("starting the snapshot file: {e}")))?;
            SnapshotOut::Zip(Box::new(z))
        };
        Ok(PendingSnapshot { tmp, out, bytes: 0 })
    }

    /// Bytes of the sheet written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The temporary file (complete only after a flush).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }
}

impl Write for PendingSnapshot {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.out {
            SnapshotOut::Raw(w) => w.write(buf)?,
            SnapshotOut::Zip(z) => z.write(buf)?,
        };
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            SnapshotOut::Raw(w) => w.flush(),
            SnapshotOut::Zip(z) => z.flush(),
        }
    }
}

/// Keep a complete snapshot as `market`'s of `day` (replacing one taken earlier that day): the
/// file is synced and renamed into place, then indexed, so a crash leaves either the old
/// snapshot or the new one, never half of one.
pub fn commit(
    store: &Store,
    pending: PendingSnapshot,
    market: &str,
    day: NaiveDate,
    at: DateTime<Utc>,
    rows: u64,
    bad_rows: u64,
) -> Result<()> {
    let market = market.to_ascii_uppercase();
    let target = file(store, &market, day);
    let io = |e: std::io::Error| Error::io(format!("writing the snapshot {}", target.display()), e);
    let file = match pending.out {
        SnapshotOut::Raw(w) => w.into_inner().map_err(|e| io(e.into_error()))?,
        SnapshotOut::Zip(z) => z
            .finish()
            .map_err(|e| Error::Invalid(format!("finishing the snapshot file: {e}")))?
            .into_inner()
            .map_err(|e| io(e.into_error()))?,
    };
    file.sync_all().map_err(io)?;
    pending.tmp.persist(&target).map_err(|e| io(e.error))?;
    let d = day.to_string();
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute(
        "DELETE FROM price_rows WHERE market = ?1 AND day = ?2",
        params![market, d],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO price_snapshots (market, day, fetched_at, rows, bad_rows) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![market, d, at.to_rfc3339(), rows as i64, bad_rows as i64],
    )?;
    tx.commit()?;
    Ok(())
}

/// Read the snapshot file of `market` for `day`: `f` gets the sheet's CSV as it unzips.
pub fn read<T>(
    store: &Store,
    market: &str,
    day: NaiveDate,
    f: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    read_file(&file(store, market, day), f)
}

/// Read a zipped sheet from disk (the first entry ending in .csv, else the first entry).
pub fn read_file<T>(path: &Path, f: impl FnOnce(&mut dyn Read) -> Result<T>) -> Result<T> {
    let damaged = |e: zip::result::ZipError| {
        Error::from(crate::message::Message::SnapshotDamaged {
            path: path.display().to_string(),
            why: e.to_string(),
        })
    };
    let file = File::open(path).map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::with_capacity(1 << 16, file)).map_err(damaged)?;
    let index = (0..archive.len())
        .find(|&i| {
            archive
                .name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.to_ascii_lowercase().ends_with(".csv")))
        })
        .unwrap_or(0);
    let mut entry = archive.by_index(index).map_err(damaged)?;
    f(&mut entry)
}

/// Keep `sheet` as the snapshot of its market for `day` (replacing one taken earlier that day),
/// written with the documented column names.
pub fn save(store: &Store, sheet: &PriceSheet, day: NaiveDate, at: DateTime<Utc>) -> Result<()> {
    let mut pending = PendingSnapshot::start(store, &sheet.market, false)?;
    {
        let mut w = csv::Writer::from_writer(&mut pending);
        let err = |e: csv::Error| Error::Invalid(format!("writing the snapshot: {e}"));
        w.write_record(crate::partner_center::api::PRICE_SHEET_HEADER)
            .map_err(err)?;
        let date = |d: Option<NaiveDate>| {
            d.map(|d| format!("{}/{}/{} 12:00:00 AM", d.month(), d.day(), d.year()))
                .unwrap_or_default()
        };
        for r in &sheet.rows {
            w.write_record([
                r.product_title.as_str(),
                &r.product_id,
                &r.sku_id,
                &r.sku_title,
                &r.publisher,
                "", // SkuDescription
                &r.unit_of_measure,
                &r.term_duration,
                &r.billing_plan,
                &r.market,
                &r.currency,
                &r.unit_price.to_string(),
                "", // PricingTierRangeMin
                "", // PricingTierRangeMax
                &date(r.effective_start),
                &date(r.effective_end),
                &r.tags,
                &r.erp_price.map(|e| e.to_string()).unwrap_or_default(),
            ])
            .map_err(err)?;
        }
        w.flush()
            .map_err(|e| Error::io("writing the snapshot", e))?;
    }
    commit(
        store,
        pending,
        &sheet.market,
        day,
        at,
        sheet.rows.len() as u64,
        sheet.bad_rows.len() as u64,
    )
}

/// The rows of a snapshot (bad rows, accepted when it was taken, are left out again).
pub fn load(store: &Store, market: &str, day: NaiveDate) -> Result<Vec<SheetRow>> {
    if !file(store, market, day).is_file() {
        return load_rows(store, market, day);
    }
    read(store, market, day, |r| {
        let mut reader = SheetReader::new(r, market, true)?;
        let mut rows = Vec::new();
        let mut slot = RawRow::default();
        while reader.next_row(&mut slot)? {
            rows.push(reader.owned(&slot));
        }
        Ok(rows)
    })
}

/// A snapshot kept as JSON rows in the store (before snapshots were files).
fn load_rows(store: &Store, market: &str, day: NaiveDate) -> Result<Vec<SheetRow>> {
    let conn = store.conn();
    let mut stmt =
        conn.prepare("SELECT json FROM price_rows WHERE market = ?1 AND day = ?2 ORDER BY seq")?;
    let rows = stmt.query_map(params![market.to_ascii_uppercase(), day.to_string()], |r| {
        r.get::<_, String>(0)
    })?;
    let mut out = Vec::new();
    for json in rows {
        let stored: StoredRow = serde_json::from_str(&json?).map_err(|e| {
            Error::from(crate::message::Message::SnapshotUnreadable { why: e.to_string() })
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
#[derive(serde::Deserialize)]
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
