//! Writing price rows to `.xlsx` (rust_xlsxwriter, constant-memory mode) or `.csv`, on a thread
//! of its own.
//!
//! Rows arrive over a bounded channel in batches ([`RowBatch`]: the rows' text in one buffer),
//! so the sheet is read and joined on one core while the other writes, and memory holds a few
//! batches whatever the number of rows. The file is written to a temporary file beside the
//! target and renamed into place only when complete, so a failed, cancelled or killed export
//! leaves no file (and an earlier file of that name stays as it was).

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::layout::{Col, Layout, Pricing};
use super::rows::{OutRow, RowSink};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::pricing::WinnerCache;
pub use crate::tabular::{currency_symbol, price_format, ExportFormat};
use crate::tabular::{persist, target_dir, temp_beside};

/// Rows a batch holds before it is sent (about 300 bytes a row).
pub const BATCH_ROWS: usize = 512;

/// Batches in flight between the two threads. With 2,048-row batches and 8 in flight, the
/// batches of an .xlsx export's two lanes took 11 MB of its peak (heaptrack, 1M rows); a
/// writer that waits for rows is not what limits the export, so a little is enough.
pub const CHANNEL_BATCHES: usize = 4;

/// Where the writer reports the rows it wrote and learns of a cancel.
#[derive(Debug, Default)]
pub struct WriteProgress {
    pub rows: AtomicU64,
    pub cancel: AtomicBool,
}

/// What the reading side sends the writer.
pub enum Msg {
    /// The next market's sheet starts (xlsx: a worksheet with the currency's price format).
    Sheet {
        name: String,
        currency: String,
        /// The market's place in the export (its worksheet's place in the workbook).
        index: usize,
    },
    Rows(RowBatch),
    /// Every row was sent: save the file.
    Finish,
}

#[derive(Debug, Clone, Copy)]
struct BatchRow {
    text: [(u32, u32); 11],
    unit_price: f64,
    erp_price: Option<f64>,
    effective_start: Option<NaiveDate>,
    effective_end: Option<NaiveDate>,
    free_trial: &'static str,
    /// The layout's price (the sell price in a customer's list) and rule.
    pricing: Pricing,
}

/// Rows on their way to the writer: their text in one buffer, no allocation per field.
#[derive(Debug, Default)]
pub struct RowBatch {
    text: String,
    rows: Vec<BatchRow>,
}

impl RowBatch {
    pub fn with_capacity(rows: usize) -> RowBatch {
        RowBatch {
            text: String::with_capacity(rows * 160),
            rows: Vec::with_capacity(rows),
        }
    }

    pub fn push(&mut self, r: &OutRow<'_>, pricing: Pricing) {
        let text = r.texts().map(|s| {
            let start = self.text.len() as u32;
            self.text.push_str(s);
            (start, s.len() as u32)
        });
        self.rows.push(BatchRow {
            text,
            unit_price: r.unit_price,
            erp_price: r.erp_price,
            effective_start: r.effective_start,
            effective_end: r.effective_end,
            free_trial: r.free_trial,
            pricing,
        });
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row as it came (its unit price the cost), with the layout's price.
    pub fn iter(&self) -> impl Iterator<Item = (OutRow<'_>, Pricing)> {
        self.rows.iter().map(|b| {
            let t = |i: usize| {
                let (s, l) = b.text[i];
                &self.text[s as usize..(s + l) as usize]
            };
            let row = OutRow {
                market: t(0),
                currency: t(1),
                product_id: t(2),
                product: t(3),
                sku_id: t(4),
                plan: t(5),
                publisher: t(6),
                offer_type: t(7),
                category: t(8),
                term: t(9),
                billing_plan: t(10),
                unit_price: b.unit_price,
                erp_price: b.erp_price,
                effective_start: b.effective_start,
                effective_end: b.effective_end,
                free_trial: b.free_trial,
            };
            (row, b.pricing)
        })
    }
}

/// The reading side's end of the channel: rows go out in batches, a market's sheet is
/// announced before its first row.
pub struct BatchSender {
    tx: SyncSender<Msg>,
    batch: RowBatch,
    /// The market whose sheet is yet to be announced, and its place in the export.
    pending_sheet: Option<(String, usize)>,
    /// Rows sent for the current market.
    pub market_rows: u64,
    layout: Arc<Layout>,
    cache: WinnerCache,
}

impl BatchSender {
    /// A sender whose rows are priced as `layout` says.
    pub fn new(tx: SyncSender<Msg>, layout: Arc<Layout>) -> BatchSender {
        BatchSender {
            tx,
            batch: RowBatch::with_capacity(BATCH_ROWS),
            pending_sheet: None,
            market_rows: 0,
            layout,
            cache: WinnerCache::default(),
        }
    }

    fn send(&self, msg: Msg) -> Result<()> {
        // The writer only hangs up when it failed; its error is the one reported.
        self.tx.send(msg).map_err(|_| Error::Cancelled)
    }

    /// The next rows are `market`'s, the export's `index`th market.
    pub fn start_market(&mut self, market: &str, index: usize) -> Result<()> {
        self.flush()?;
        self.pending_sheet = Some((market.to_string(), index));
        self.market_rows = 0;
        Ok(())
    }

    /// Announce the current market's sheet (once), with its currency.
    pub fn announce(&mut self, currency: &str) -> Result<()> {
        if let Some((name, index)) = self.pending_sheet.take() {
            self.send(Msg::Sheet {
                name,
                currency: currency.to_string(),
                index,
            })?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.batch, RowBatch::with_capacity(BATCH_ROWS));
        self.send(Msg::Rows(full))
    }

    /// Every row was sent.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.send(Msg::Finish)
    }
}

impl RowSink for BatchSender {
    fn row(&mut self, r: &OutRow<'_>) -> Result<()> {
        let pricing = self.layout.price(r, &mut self.cache);
        self.batch.push(r, pricing);
        self.market_rows += 1;
        if self.batch.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }
}

/// A channel between the reading side and [`write`].
pub fn channel() -> (SyncSender<Msg>, Receiver<Msg>) {
    std::sync::mpsc::sync_channel(CHANNEL_BATCHES)
}

/// Write what arrives on `rx` (the rows of `markets`, in this order) to `out` until
/// [`Msg::Finish`]. Returns the rows written. If the channel closes without `Finish` (the
/// reading side failed) nothing is written.
pub fn write(
    out: &Path,
    format: ExportFormat,
    bom: bool,
    markets: &[&str],
    layout: &Arc<Layout>,
    rx: Receiver<Msg>,
    progress: &WriteProgress,
) -> Result<u64> {
    match format {
        ExportFormat::Xlsx => {
            let book = XlsxBook::new(out, markets.iter().copied(), layout.clone())?;
            let written = write_xlsx_lane(&book, rx, progress)?;
            book.save(progress)?;
            Ok(written)
        }
        ExportFormat::Csv => write_csv(out, bom, layout, rx, progress),
    }
}

fn check_cancel(progress: &WriteProgress) -> Result<()> {
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    Ok(())
}

/// A write failure that says which file, and says so plainly when the disk is full.
fn io_error(out: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return Message::DiskFull {
            path: out.display().to_string(),
        }
        .into();
    }
    Error::io(format!("writing {}", out.display()), e)
}

fn xlsx_err(out: &Path, e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(e) | XlsxError::ZipError(zip::result::ZipError::Io(e)) => {
            io_error(out, e)
        }
        e => Message::SpreadsheetFailed { why: e.to_string() }.into(),
    }
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// What every market's worksheet shares.
struct SheetLook {
    header: Format,
    label: Format,
    date: Format,
}

impl SheetLook {
    fn new() -> SheetLook {
        SheetLook {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xDDE7F3),
            label: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }

    /// Name `ws`, set its columns, and write the block above the table and the header row.
    fn open(
        &self,
        ws: &mut Worksheet,
        name: &str,
        currency: &str,
        layout: &Layout,
    ) -> Result<(), XlsxError> {
        let price_fmt = Format::new().set_num_format(price_format(currency));
        ws.set_name(name)?;
        for (i, c) in layout.cols.iter().enumerate() {
            let i = i as u16;
            ws.set_column_width(i, c.width())?;
            // Column formats instead of per-cell ones: unformatted cells take their column's
            // format, which spares a format lookup per cell (a tenth of the run time at 1M rows).
            if c.is_money() {
                ws.set_column_format(i, &price_fmt)?;
            } else if c.is_date() {
                ws.set_column_format(i, &self.date)?;
            }
        }
        for (r, (label, value)) in layout.block.iter().enumerate() {
            ws.write_string_with_format(r as u32, 0, label, &self.label)?;
            if !value.is_empty() {
                ws.write_string(r as u32, 3, value)?;
            }
        }
        let top = layout.table_row();
        for (c, h) in layout.headers().iter().enumerate() {
            ws.write_string_with_format(top, c as u16, *h, &self.header)?;
        }
        ws.set_freeze_panes(top + 1, 0)?;
        Ok(())
    }
}

/// A market's worksheet being written: its place in the export and its last row.
struct OpenSheet {
    index: usize,
    ws: Worksheet,
    row: u32,
    top: u32,
}

impl OpenSheet {
    fn write(&mut self, batch: &RowBatch, layout: &Layout) -> Result<(), XlsxError> {
        let ws = &mut self.ws;
        for (r, p) in batch.iter() {
            self.row += 1;
            let row = self.row;
            let texts = r.texts();
            for (c, col) in layout.cols.iter().enumerate() {
                let c = c as u16;
                match *col {
                    Col::Text(i) => {
                        if !texts[i].is_empty() {
                            ws.write_string(row, c, texts[i])?;
                        }
                    }
                    Col::Price => {
                        ws.write_number(row, c, p.sell)?;
                    }
                    Col::Erp => {
                        if let Some(erp) = r.erp_price {
                            ws.write_number(row, c, erp)?;
                        }
                    }
                    Col::Start | Col::End => {
                        if let Some(d) = col.date_of(&r) {
                            ws.write_datetime(row, c, excel_date(d)?)?;
                        }
                    }
                    Col::Trial => {
                        ws.write_string(row, c, r.free_trial)?;
                    }
                    Col::Cost => {
                        ws.write_number(row, c, r.unit_price)?;
                    }
                    Col::Margin => {
                        ws.write_number(row, c, money(p.sell - r.unit_price))?;
                    }
                    Col::Rule => {
                        let words = layout.rule_words(p.rule);
                        if !words.is_empty() {
                            ws.write_string(row, c, words)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn close(mut self, layout: &Layout) -> Result<(usize, Worksheet), XlsxError> {
        self.ws.autofilter(
            self.top,
            0,
            self.row.max(self.top + 1),
            (layout.cols.len() - 1) as u16,
        )?;
        Ok((self.index, self.ws))
    }
}

/// The workbook of an .xlsx export, whose markets' worksheets may be written on several
/// threads at once ([`write_xlsx_lane`]): each takes its worksheet out of the workbook while it
/// writes, and [`XlsxBook::save`] puts them back in the markets' order. The cells wait in the
/// workbook's own (unnamed) temporary files; the file beside the target only exists while it is
/// saved.
pub struct XlsxBook {
    out: std::path::PathBuf,
    names: Vec<String>,
    layout: Arc<Layout>,
    inner: Mutex<(Workbook, Vec<Option<Worksheet>>)>,
}

impl XlsxBook {
    /// A workbook for `markets`, in this order.
    pub fn new<'a>(
        out: &Path,
        markets: impl IntoIterator<Item = &'a str>,
        layout: Arc<Layout>,
    ) -> Result<XlsxBook> {
        target_dir(out)?;
        let mut workbook = Workbook::new();
        // Level 1: about half the save time of the default 6 for a somewhat larger file
        // (rust_xlsxwriter docs).
        workbook.set_zip_compression_level(1);
        let mut used = HashSet::new();
        let names: Vec<String> = markets
            .into_iter()
            .map(|m| sheet_name(m, &mut used))
            .collect();
        let sheets = names.iter().map(|_| None).collect();
        Ok(XlsxBook {
            out: out.to_path_buf(),
            names,
            layout,
            inner: Mutex::new((workbook, sheets)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Workbook, Vec<Option<Worksheet>>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new worksheet of the workbook, set up for the export's `index`th market.
    fn open(&self, index: usize, currency: &str, look: &SheetLook) -> Result<OpenSheet> {
        let xe = |e: XlsxError| xlsx_err(&self.out, e);
        let name = self.names.get(index).ok_or_else(|| {
            Error::Invalid(format!("the export has no market number {}", index + 1))
        })?;
        let mut ws = {
            let mut inner = self.lock();
            inner.0.add_worksheet_with_constant_memory().map_err(xe)?;
            let added = inner.0.worksheets_mut().last_mut().expect("just added");
            std::mem::replace(added, Worksheet::new())
        };
        look.open(&mut ws, name, currency, &self.layout)
            .map_err(xe)?;
        let top = self.layout.table_row();
        Ok(OpenSheet {
            index,
            ws,
            row: top,
            top,
        })
    }

    fn close(&self, sheet: OpenSheet) -> Result<()> {
        let (index, ws) = sheet
            .close(&self.layout)
            .map_err(|e| xlsx_err(&self.out, e))?;
        self.lock().1[index] = Some(ws);
        Ok(())
    }

    /// Save the workbook, its worksheets in the markets' order, to the target (through a
    /// temporary file renamed into place).
    pub fn save(self, progress: &WriteProgress) -> Result<()> {
        let out = self.out;
        let xe = |e: XlsxError| xlsx_err(&out, e);
        let (mut workbook, sheets) = self.inner.into_inner().unwrap_or_else(|p| p.into_inner());
        let sheets: Option<Vec<Worksheet>> = sheets.into_iter().collect();
        let Some(sheets) = sheets else {
            return Err(Error::Invalid(
                "a market's worksheet was not written".into(),
            ));
        };
        *workbook.worksheets_mut() = sheets;
        check_cancel(progress)?;
        let tmp = temp_beside(&out)?;
        workbook.save(tmp.path()).map_err(xe)?;
        check_cancel(progress)?;
        persist(tmp, &out)?;
        Ok(())
    }
}

/// A worksheet name Excel accepts, unique in the workbook.
fn sheet_name(market: &str, used: &mut HashSet<String>) -> String {
    let mut name: String = market
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if name.is_empty() || !used.insert(name.to_lowercase()) {
        name = format!("Sheet{}", used.len() + 1);
        used.insert(name.to_lowercase());
    }
    name
}

/// Write the markets' worksheets that arrive on `rx` into `book` until [`Msg::Finish`].
/// Returns the rows written. If the channel closes without `Finish` (the reading side failed)
/// it stops with [`Error::Cancelled`].
pub fn write_xlsx_lane(
    book: &XlsxBook,
    rx: Receiver<Msg>,
    progress: &WriteProgress,
) -> Result<u64> {
    let look = SheetLook::new();
    let mut written = 0u64;
    let mut sheet: Option<OpenSheet> = None;
    loop {
        let Ok(msg) = rx.recv() else {
            // The reading side stopped without finishing: leave nothing.
            return Err(Error::Cancelled);
        };
        check_cancel(progress)?;
        match msg {
            Msg::Sheet {
                currency, index, ..
            } => {
                if let Some(done) = sheet.take() {
                    book.close(done)?;
                }
                sheet = Some(book.open(index, &currency, &look)?);
            }
            Msg::Rows(batch) => {
                let Some(open) = sheet.as_mut() else {
                    return Err(Error::Invalid(
                        "price rows arrived before their market's sheet".into(),
                    ));
                };
                open.write(&batch, &book.layout)
                    .map_err(|e| xlsx_err(&book.out, e))?;
                written += batch.len() as u64;
                progress
                    .rows
                    .fetch_add(batch.len() as u64, Ordering::Relaxed);
            }
            Msg::Finish => break,
        }
    }
    if let Some(done) = sheet.take() {
        book.close(done)?;
    }
    Ok(written)
}

/// `d` as `%Y-%m-%d`, without parsing a format string per row (a tenth of a CSV export).
fn iso_date(buf: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    use std::fmt::Write as _;
    if (0..=9999).contains(&d.year()) {
        let _ = write!(buf, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
    }
}

fn write_csv(
    out: &Path,
    bom: bool,
    layout: &Layout,
    rx: Receiver<Msg>,
    progress: &WriteProgress,
) -> Result<u64> {
    let tmp = temp_beside(out)?;
    let io = |e: std::io::Error| io_error(out, e);
    let mut file = BufWriter::with_capacity(1 << 16, tmp.as_file());
    if bom {
        file.write_all(b"\xEF\xBB\xBF").map_err(io)?;
    }
    // The block above the table has two fields a line, the table its own number.
    let mut w = csv::WriterBuilder::new()
        .flexible(!layout.block.is_empty())
        .from_writer(file);
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => io_error(out, e),
        other => Message::WriteFailed {
            path: out.display().to_string(),
            why: format!("{other:?}"),
        }
        .into(),
    };
    for (label, value) in &layout.block {
        w.write_record([label, value]).map_err(csv_err)?;
    }
    w.write_record(layout.headers()).map_err(csv_err)?;
    let mut written = 0u64;
    let mut cells: Vec<String> = vec![String::new(); layout.cols.len()];
    loop {
        let Ok(msg) = rx.recv() else {
            return Err(Error::Cancelled);
        };
        check_cancel(progress)?;
        let batch = match msg {
            Msg::Sheet { .. } => continue,
            Msg::Rows(batch) => batch,
            Msg::Finish => break,
        };
        for (r, p) in batch.iter() {
            use std::fmt::Write as _;
            let texts = r.texts();
            for (cell, col) in cells.iter_mut().zip(&layout.cols) {
                cell.clear();
                let _ = match *col {
                    Col::Text(i) => {
                        cell.push_str(texts[i]);
                        Ok(())
                    }
                    Col::Price => write!(cell, "{}", p.sell),
                    Col::Erp => match r.erp_price {
                        Some(e) => write!(cell, "{e}"),
                        None => Ok(()),
                    },
                    Col::Start | Col::End => {
                        if let Some(d) = col.date_of(&r) {
                            iso_date(cell, d);
                        }
                        Ok(())
                    }
                    Col::Trial => {
                        cell.push_str(r.free_trial);
                        Ok(())
                    }
                    Col::Cost => write!(cell, "{}", r.unit_price),
                    Col::Margin => write!(cell, "{}", money(p.sell - r.unit_price)),
                    Col::Rule => {
                        cell.push_str(layout.rule_words(p.rule));
                        Ok(())
                    }
                };
            }
            w.write_record(&cells).map_err(csv_err)?;
        }
        written += batch.len() as u64;
        progress
            .rows
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
    let file = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.error().to_string())))?;
    let file = file.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    check_cancel(progress)?;
    persist(tmp, out)?;
    Ok(written)
}

/// A difference of two prices without the float's noise (12.99 - 10 is 2.99, not
/// 2.9900000000000002).
fn money(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// The writer alone (the benchmark's writer-only figure): one market's rows, made by `produce`
/// into the sink it is given, written on the writer's thread.
pub fn write_rows(
    out: &Path,
    format: ExportFormat,
    market: &str,
    currency: &str,
    produce: impl FnOnce(&mut dyn RowSink) -> Result<()>,
) -> Result<u64> {
    let progress = WriteProgress::default();
    let (tx, rx) = channel();
    let layout = Arc::new(Layout::plain());
    std::thread::scope(|s| {
        let writer = s.spawn(|| write(out, format, false, &[market], &layout, rx, &progress));
        let mut sender = BatchSender::new(tx, layout.clone());
        let sent = (|| {
            sender.start_market(market, 0)?;
            sender.announce(currency)?;
            produce(&mut sender)?;
            sender.finish()
        })();
        let written = writer
            .join()
            .map_err(|_| Error::Invalid("the writer thread failed".into()))?;
        settle(sent, written).map(|((), n)| n)
    })
}

/// The outcome of the two sides: the reading side's error first, unless it only failed because
/// the writer hung up (then the writer's error says why).
pub fn settle<T>(read: Result<T>, written: Result<u64>) -> Result<(T, u64)> {
    match (read, written) {
        (Ok(t), Ok(n)) => Ok((t, n)),
        (Ok(_), Err(e)) | (Err(Error::Cancelled), Err(e)) => Err(e),
        (Err(e), _) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 1, 5),
            (1, 12, 31),
            (999, 2, 28),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut buf = String::new();
            iso_date(&mut buf, date);
            assert_eq!(buf, date.format("%Y-%m-%d").to_string());
        }
    }
}
