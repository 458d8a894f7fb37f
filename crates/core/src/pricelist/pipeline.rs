//! The price list's pipeline, from price sheet to file, in memory that depends on the catalog
//! and not on the number of rows.
//!
//! One thread reads: each market's sheet as it downloads (or from today's snapshot), checks
//! every row, joins it to the [`ProductLookup`] and applies the trial rule one plan at a time;
//! the rows it makes go over a bounded channel to the writer on the other core
//! ([`super::export::write`]). While a sheet downloads, its bytes also go to the day's snapshot
//! file, which is kept only once the whole sheet arrived and read cleanly.
//!
//! The trial rule needs a plan's rows together and the file lists plans in the order the sheet
//! first names them. Sheets list each plan's rows together (the sandbox's and, as far as anyone
//! has seen, Partner Center's), so one plan at a time is held. A sheet that does not is noticed
//! ([`Finished::Unsorted`]); that market is then read again from its snapshot in a few passes,
//! each holding a bounded share of the plans ([`read_unsorted`]), and gives the same rows.
//!
//! What this does not do: talk HTTP (the caller streams the body in, [`super::export`] writes).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{Read as _, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{NaiveDate, Utc};

use super::export::{self, BatchSender, ExportFormat, WriteProgress};
use super::layout::Layout;
use super::lookup::ProductLookup;
use super::rows::expand_plan;
use super::sheet::{BadRow, Columns, RawRow, RowView, SheetReader};
use super::snapshot::{self, PendingSnapshot};
use super::MarketSummary;
use crate::catalog::query::{OfferFilter, OfferIndex, OfferQuery};
use crate::catalog::sync as catalog_sync;
use crate::error::{Error, Result};
use crate::store::Store;

/// Rows of an unsorted sheet held at once while it is put in order.
const UNSORTED_PASS_ROWS: usize = 100_000;

/// The bytes of a downloading sheet: chunks as they arrive, or the error that ended the download.
pub type BodyChunks = tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>;

/// The downloading end of [`BodyChunks`].
pub type BodySender = tokio::sync::mpsc::Sender<std::io::Result<Bytes>>;

/// Chunks of a sheet that wait for the reader. Each chunk is a slice of the HTTP client's read
/// buffer (up to a few hundred KiB on loopback), which stays allocated while the chunk waits:
/// sixteen waiting chunks cost two downloads 23 MB of the export's peak (heaptrack, 1M rows),
/// two keep the reader fed as well (it takes a chunk in well under a millisecond).
const BODY_CHUNKS_WAITING: usize = 2;

/// A channel for one sheet's download.
pub fn body_channel() -> (BodySender, BodyChunks) {
    tokio::sync::mpsc::channel(BODY_CHUNKS_WAITING)
}

/// One market of an export.
pub struct MarketJob {
    pub market: String,
    /// The sheet downloading now; `None` to read today's snapshot.
    pub body: Option<BodyChunks>,
    /// The sheet is known not to list plans together: read it in passes.
    pub unsorted: bool,
}

/// Everything the pipeline needs; it owns it all, so it can run on a thread of its own.
pub struct Job {
    pub store: Arc<Store>,
    pub markets: Vec<MarketJob>,
    pub format: ExportFormat,
    pub out: std::path::PathBuf,
    pub bom: bool,
    pub filter: Option<OfferFilter>,
    pub skip_bad_rows: bool,
    pub day: NaiveDate,
    pub progress: Arc<WriteProgress>,
    /// Where a downloading sheet's first lines are kept when its header is not as expected
    /// (the folder beside the logs); `None` keeps nothing.
    pub samples: Option<std::path::PathBuf>,
    /// The file's columns, and the rules that price its rows in a customer's list.
    pub layout: Arc<Layout>,
}

pub enum Finished {
    Done {
        rows: u64,
        markets: Vec<MarketSummary>,
    },
    /// This market's sheet does not list each plan's rows together; nothing was written. Its
    /// snapshot is kept, so the export can start again and read it in passes.
    Unsorted(String),
}

/// Run an export. A .csv file, or a single market: read on this thread, write on another. An
/// .xlsx of several markets: two lanes, each reading a market and writing its worksheet on a
/// thread pair of its own, take the markets in turn, so both cores write (the writer is the
/// slower side); the workbook is saved once both are done.
pub fn run(mut job: Job) -> Result<Finished> {
    job.progress.rows.store(0, Ordering::Relaxed);
    let markets = std::mem::take(&mut job.markets);
    let names: Vec<String> = markets.iter().map(|m| m.market.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let queue = Queue::new(markets);
    if markets_read_at_once(job.format, names.len()) > 1 {
        return run_lanes(&job, &names, &queue);
    }
    let (tx, rx) = export::channel();
    let progress = job.progress.clone();
    let (format, bom, out) = (job.format, job.bom, job.out.clone());
    std::thread::scope(|s| {
        let layout = &job.layout;
        let writer = s.spawn(|| export::write(&out, format, bom, &names, layout, rx, &progress));
        // Dropping the sender without `Finish` (on an error, or an unsorted sheet) tells the
        // writer to leave nothing.
        let read = read_markets(&job, &queue, BatchSender::new(tx, job.layout.clone()));
        let written = writer
            .join()
            .map_err(|_| Error::Invalid("the price-list writer stopped unexpectedly".into()))?;
        let read = match read {
            Ok(Read::Unsorted(market)) => return Ok(Finished::Unsorted(market)),
            Ok(Read::Done(markets)) => Ok(markets),
            Err(e) => Err(e),
        };
        let (markets, rows) = export::settle(read, written)?;
        Ok(Finished::Done {
            rows,
            markets: markets.into_iter().map(|(_, m)| m).collect(),
        })
    })
}

/// Lanes of an .xlsx export that write markets' worksheets at once.
const LANES: usize = 2;

/// How many markets an export of `markets` to `format` reads at once.
pub fn markets_read_at_once(format: ExportFormat, markets: usize) -> usize {
    if format == ExportFormat::Xlsx && markets > 1 {
        LANES
    } else {
        1
    }
}

fn run_lanes(job: &Job, names: &[&str], queue: &Queue) -> Result<Finished> {
    let book = export::XlsxBook::new(&job.out, names.iter().copied(), job.layout.clone())?;
    let lane = |lane: usize| {
        let (tx, rx) = export::channel();
        std::thread::scope(|s| {
            let writer = s.spawn(|| export::write_xlsx_lane(&book, rx, &job.progress));
            let read = read_markets(job, queue, BatchSender::new(tx, job.layout.clone()));
            if !matches!(read, Ok(Read::Done(_))) {
                // The other lane stops after its market: the export failed or starts again.
                queue.stop(lane);
            }
            let written = writer
                .join()
                .map_err(|_| Error::Invalid("the price-list writer stopped unexpectedly".into()))
                .and_then(|w| w);
            match read {
                Ok(Read::Unsorted(market)) => Ok(Lane::Unsorted(market)),
                Ok(Read::Done(markets)) => export::settle(Ok(markets), written).map(Lane::Done),
                // Stopped because its writer failed: the writer says why.
                Err(Error::Cancelled) => Err(written.err().unwrap_or(Error::Cancelled)),
                Err(e) => Err(e),
            }
        })
    };
    let mut lanes: Vec<Result<Lane>> = std::thread::scope(|s| {
        let lanes: Vec<_> = (0..LANES).map(|i| s.spawn(move || lane(i))).collect();
        lanes
            .into_iter()
            .map(|l| {
                l.join().unwrap_or_else(|_| {
                    Err(Error::Invalid(
                        "the price-list reader stopped unexpectedly".into(),
                    ))
                })
            })
            .collect()
    });
    // The lane that stopped first says why (the others were only stopped).
    if let Some(first) = queue.stopped_by() {
        return match lanes.swap_remove(first)? {
            Lane::Unsorted(market) => Ok(Finished::Unsorted(market)),
            Lane::Done(_) => Err(Error::Invalid(
                "a price-list lane stopped without a reason".into(),
            )),
        };
    }
    let (mut summaries, mut rows) = (Vec::new(), 0u64);
    for lane in lanes {
        match lane? {
            Lane::Done((markets, n)) => {
                summaries.extend(markets);
                rows += n;
            }
            Lane::Unsorted(market) => return Ok(Finished::Unsorted(market)),
        }
    }
    book.save(&job.progress)?;
    summaries.sort_by_key(|(i, _)| *i);
    Ok(Finished::Done {
        rows,
        markets: summaries.into_iter().map(|(_, m)| m).collect(),
    })
}

/// How one lane of [`run_lanes`] ended.
enum Lane {
    Done((Vec<(usize, MarketSummary)>, u64)),
    Unsorted(String),
}

/// The markets of an export not yet taken, with their place in it.
struct Queue {
    markets: std::sync::Mutex<std::collections::VecDeque<(usize, MarketJob)>>,
    /// The lane that stopped the others, if one did.
    stopped_by: std::sync::Mutex<Option<usize>>,
}

impl Queue {
    fn new(markets: Vec<MarketJob>) -> Queue {
        Queue {
            markets: std::sync::Mutex::new(markets.into_iter().enumerate().collect()),
            stopped_by: std::sync::Mutex::new(None),
        }
    }

    fn next(&self) -> Option<(usize, MarketJob)> {
        self.markets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
    }

    /// No market is taken any more: `lane` failed, or found an unsorted sheet.
    fn stop(&self, lane: usize) {
        self.stopped_by
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(lane);
        self.markets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn stopped_by(&self) -> Option<usize> {
        *self.stopped_by.lock().unwrap_or_else(|p| p.into_inner())
    }
}

enum Read {
    /// The summaries of the markets read, with their place in the export.
    Done(Vec<(usize, MarketSummary)>),
    Unsorted(String),
}

fn read_markets(job: &Job, queue: &Queue, mut sink: BatchSender) -> Result<Read> {
    let mut summaries = Vec::new();
    while let Some((index, mj)) = queue.next() {
        let mut lookup = ProductLookup::load(&job.store, &mj.market)?;
        if let Some(filter) = &job.filter {
            lookup.keep_only(&chosen_products(&job.store, &mj.market, filter)?);
        }
        sink.start_market(&mj.market, index)?;
        let mut plans = Plans::new(&lookup, &job.progress);
        let read = match (mj.body, mj.unsorted) {
            (Some(body), _) => fetch_into(job, &mj.market, body, &mut plans, &mut sink)?,
            // Bad rows in a snapshot were accepted when it was taken: skip them again.
            (None, false) => snapshot::read(&job.store, &mj.market, job.day, |r| {
                read_sorted(r, &mj.market, true, None, &mut plans, &mut sink)
            })?,
            (None, true) => read_unsorted(job, &mj.market, &mut plans, &mut sink)?,
        };
        if plans.unsorted {
            return Ok(Read::Unsorted(mj.market));
        }
        sink.announce(read.currency.as_deref().unwrap_or_default())?;
        summaries.push((
            index,
            MarketSummary {
                market: mj.market.clone(),
                currency: read.currency.unwrap_or_default(),
                sheet_rows: read.rows as usize,
                rows: sink.market_rows as usize,
                bad_rows: read.bad_rows,
            },
        ));
    }
    sink.finish()?;
    Ok(Read::Done(summaries))
}

/// The product ids the marketplace's filter picks (the marketplace's own query, so the export
/// and the Marketplace view never disagree). Only built when the export is filtered.
fn chosen_products(store: &Store, market: &str, filter: &OfferFilter) -> Result<HashSet<String>> {
    let index = OfferIndex::new(catalog_sync::load_offers(store, market)?);
    let q = OfferQuery {
        filter: filter.clone(),
        limit: usize::MAX,
        ..Default::default()
    };
    Ok(index
        .query(&q)
        .rows
        .into_iter()
        .filter_map(|r| r.product_id)
        .collect())
}

/// What reading one market's sheet found.
struct SheetRead {
    rows: u64,
    bad_rows: Vec<BadRow>,
    currency: Option<String>,
}

/// The sheet's rows, a plan at a time, through the trial rule into the sink.
struct Plans<'l> {
    lookup: &'l ProductLookup,
    progress: &'l WriteProgress,
    group: Vec<RawRow>,
    spare: Vec<RawRow>,
    /// Hashes of the plans already written (a repeat means the sheet is not grouped by plan).
    done: HashSet<u64>,
    unsorted: bool,
    /// `false` when only checking a sheet (for a snapshot): nothing is joined or sent.
    write: bool,
}

fn plan_key((product_id, sku_id): (&str, &str)) -> u64 {
    let mut h = DefaultHasher::new();
    product_id.hash(&mut h);
    sku_id.hash(&mut h);
    h.finish()
}

impl<'l> Plans<'l> {
    fn new(lookup: &'l ProductLookup, progress: &'l WriteProgress) -> Plans<'l> {
        Plans {
            lookup,
            progress,
            group: Vec::new(),
            spare: Vec::new(),
            done: HashSet::new(),
            unsorted: false,
            write: true,
        }
    }

    fn check_cancel(&self) -> Result<()> {
        if self.progress.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// Take the row in `slot` (the slot gets an empty row back).
    fn push(
        &mut self,
        cols: &Columns,
        slot: &mut RawRow,
        currency: &str,
        sink: &mut BatchSender,
    ) -> Result<()> {
        if !self.write {
            return Ok(());
        }
        let plan = cols.plan_of(slot);
        if !self.lookup.keeps(plan.0) {
            return Ok(());
        }
        let same_plan = self.group.first().map(|g| cols.plan_of(g) == plan);
        if same_plan == Some(false) {
            let key = plan_key(plan);
            self.flush(cols, currency, sink)?;
            if self.done.contains(&key) {
                // This plan was written already: the sheet is not grouped by plan.
                self.unsorted = true;
            }
        }
        let next = self.spare.pop().unwrap_or_default();
        self.group.push(std::mem::replace(slot, next));
        Ok(())
    }

    /// Write the plan held (nothing once the sheet proved unsorted).
    fn flush(&mut self, cols: &Columns, currency: &str, sink: &mut BatchSender) -> Result<()> {
        if self.group.is_empty() {
            return Ok(());
        }
        if !self.unsorted {
            let views: Vec<RowView<'_>> = self.group.iter().map(|r| cols.view(r)).collect();
            self.done
                .insert(plan_key((views[0].product_id, views[0].sku_id)));
            sink.announce(currency)?;
            expand_plan(&views, self.lookup.get(views[0].product_id), sink)?;
        }
        self.spare.append(&mut self.group);
        self.check_cancel()
    }
}

/// Read a sheet whose plans come together, writing as it goes.
fn read_sorted<R: std::io::Read>(
    r: R,
    market: &str,
    skip_bad_rows: bool,
    samples: Option<&std::path::Path>,
    plans: &mut Plans<'_>,
    sink: &mut BatchSender,
) -> Result<SheetRead> {
    let mut reader = SheetReader::keeping_sample(r, market, skip_bad_rows, samples)?;
    let cols = reader.columns();
    let mut slot = RawRow::default();
    let mut n = 0u32;
    while reader.next_row(&mut slot)? {
        let currency = reader.currency.as_deref().unwrap_or_default();
        plans.push(&cols, &mut slot, currency, sink)?;
        n = n.wrapping_add(1);
        if n.is_multiple_of(4096) {
            plans.check_cancel()?;
        }
    }
    let currency = reader.currency.clone().unwrap_or_default();
    plans.flush(&cols, &currency, sink)?;
    Ok(SheetRead {
        rows: reader.rows,
        bad_rows: reader.bad_rows,
        currency: reader.currency,
    })
}

/// Read a sheet whose plans are scattered, from its snapshot: a first pass numbers the plans in
/// the order the sheet first names them, then each pass holds the rows of the next plans (at
/// most about [`UNSORTED_PASS_ROWS`]) and writes them in that order.
fn read_unsorted(
    job: &Job,
    market: &str,
    plans: &mut Plans<'_>,
    sink: &mut BatchSender,
) -> Result<SheetRead> {
    let key_of = |v: &RowView<'_>, buf: &mut String| {
        buf.clear();
        buf.push_str(v.product_id);
        buf.push('\u{1f}');
        buf.push_str(v.sku_id);
    };
    // Pass 1: plan → (order, rows).
    let mut order: HashMap<Box<str>, (u32, u32)> = HashMap::new();
    let mut key = String::new();
    let first = snapshot::read(&job.store, market, job.day, |r| {
        let mut reader = SheetReader::new(r, market, true)?;
        let cols = reader.columns();
        let mut slot = RawRow::default();
        while reader.next_row(&mut slot)? {
            let v = cols.view(&slot);
            if !plans.lookup.keeps(v.product_id) {
                continue;
            }
            key_of(&v, &mut key);
            let next = order.len() as u32;
            match order.get_mut(key.as_str()) {
                Some(e) => e.1 += 1,
                None => {
                    order.insert(key.as_str().into(), (next, 1));
                }
            }
        }
        Ok(SheetRead {
            rows: reader.rows,
            bad_rows: reader.bad_rows,
            currency: reader.currency,
        })
    })?;
    let currency = first.currency.clone().unwrap_or_default();
    let mut counts = vec![0u32; order.len()];
    for (i, n) in order.values() {
        counts[*i as usize] = *n;
    }
    let mut lo = 0usize;
    while lo < counts.len() {
        let mut hi = lo;
        let mut held = 0usize;
        while hi < counts.len() && (hi == lo || held + counts[hi] as usize <= UNSORTED_PASS_ROWS) {
            held += counts[hi] as usize;
            hi += 1;
        }
        let mut buckets: Vec<Vec<RawRow>> = (lo..hi).map(|_| Vec::new()).collect();
        let mut cols = None;
        snapshot::read(&job.store, market, job.day, |r| {
            let mut reader = SheetReader::new(r, market, true)?;
            let c = reader.columns();
            cols = Some(c);
            let mut slot = RawRow::default();
            while reader.next_row(&mut slot)? {
                let v = c.view(&slot);
                key_of(&v, &mut key);
                if let Some((i, _)) = order.get(key.as_str()) {
                    let i = *i as usize;
                    if (lo..hi).contains(&i) {
                        buckets[i - lo].push(slot.clone());
                    }
                }
            }
            Ok(())
        })?;
        if let Some(cols) = cols {
            for bucket in buckets {
                plans.group = bucket;
                plans.flush(&cols, &currency, sink)?;
            }
        }
        lo = hi;
    }
    Ok(first)
}

/// Bytes of the body as they arrive on the channel.
struct ChunkReader {
    rx: BodyChunks,
    chunk: Bytes,
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                None => return Ok(0),
                Some(Ok(c)) => self.chunk = c,
                Some(Err(e)) => return Err(e),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        let _ = self.chunk.split_to(n);
        Ok(n)
    }
}

/// Passes what it reads to a snapshot file as well.
struct Tee<'a, R> {
    inner: R,
    copy: &'a mut PendingSnapshot,
}

impl<R: std::io::Read> std::io::Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

/// Download a sheet into the snapshot of `day`, checking every row, writing no file. Returns
/// the good rows and the bad ones (only when skipping them).
pub fn snapshot_only(
    store: &Arc<Store>,
    market: &str,
    body: BodyChunks,
    skip_bad_rows: bool,
    day: NaiveDate,
    samples: Option<std::path::PathBuf>,
) -> Result<(u64, Vec<BadRow>)> {
    let lookup = ProductLookup::default();
    let progress = WriteProgress::default();
    let mut plans = Plans::new(&lookup, &progress);
    plans.write = false;
    let job = Job {
        store: store.clone(),
        markets: Vec::new(),
        format: ExportFormat::Csv,
        out: std::path::PathBuf::new(),
        bom: false,
        filter: None,
        skip_bad_rows,
        day,
        progress: Arc::new(WriteProgress::default()),
        samples,
        layout: Arc::new(Layout::plain()),
    };
    // Nothing is sent: the sender only satisfies the reading code.
    let (tx, _rx) = export::channel();
    let mut sender = BatchSender::new(tx, job.layout.clone());
    let read = fetch_into(&job, market, body, &mut plans, &mut sender)?;
    Ok((read.rows, read.bad_rows))
}

/// Read a downloading sheet: parse and write as it arrives, keep it as the day's snapshot once
/// it all arrived and read cleanly.
fn fetch_into(
    job: &Job,
    market: &str,
    body: BodyChunks,
    plans: &mut Plans<'_>,
    sink: &mut BatchSender,
) -> Result<SheetRead> {
    let mut body = ChunkReader {
        rx: body,
        chunk: Bytes::new(),
    };
    let failed =
        |e: std::io::Error| Error::io(format!("downloading the price sheet for {market}"), e);
    // Zipped (`Accept-Encoding: deflate`) or plain: the first bytes tell.
    let mut head = Vec::with_capacity(4);
    while head.len() < 4 {
        let mut b = [0u8; 4];
        let n = body.read(&mut b[..4 - head.len()]).map_err(failed)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&b[..n]);
    }
    let zipped = head.starts_with(b"PK\x03\x04");
    let mut pending = PendingSnapshot::start(&job.store, market, zipped)?;
    let read = {
        let mut tee = Tee {
            inner: std::io::Cursor::new(head).chain(body),
            copy: &mut pending,
        };
        let read = if zipped {
            let streamed = match zip::read::read_zipfile_from_stream(&mut tee) {
                Ok(Some(mut entry)) => Some(read_sorted(
                    &mut entry,
                    market,
                    job.skip_bad_rows,
                    job.samples.as_deref(),
                    plans,
                    sink,
                )?),
                Ok(None) => {
                    return Err(Error::Invalid(format!(
                        "the zipped price sheet for {market} holds no file"
                    )))
                }
                // Sizes after the data (a data descriptor): read it once it is all on disk.
                Err(zip::result::ZipError::UnsupportedArchive(_)) => None,
                Err(zip::result::ZipError::Io(e)) => return Err(failed(e)),
                Err(e) => {
                    return Err(Error::Invalid(format!(
                    "the price sheet for {market} arrived zipped but the archive is damaged: {e}"
                )))
                }
            };
            // The rest of the archive (its directory), so the snapshot is whole.
            std::io::copy(&mut tee, &mut std::io::sink()).map_err(failed)?;
            streamed
        } else {
            Some(read_sorted(
                &mut tee,
                market,
                job.skip_bad_rows,
                job.samples.as_deref(),
                plans,
                sink,
            )?)
        };
        read
    };
    let read = match read {
        Some(read) => read,
        None => {
            pending
                .flush()
                .map_err(|e| Error::io("writing the snapshot", e))?;
            snapshot::read_file(pending.path(), |r| {
                read_sorted(
                    r,
                    market,
                    job.skip_bad_rows,
                    job.samples.as_deref(),
                    plans,
                    sink,
                )
            })?
        }
    };
    snapshot::commit(
        &job.store,
        pending,
        market,
        job.day,
        Utc::now(),
        read.rows,
        read.bad_rows.len() as u64,
    )?;
    Ok(read)
}
