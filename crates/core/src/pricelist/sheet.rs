//! The marketplace price sheet from the Partner API, read by header name.
//!
//! ASSUMPTION: the `marketplace` view's header is undocumented (reference §8.2); the documented
//! `updatedlicensebased` header is expected. Columns are found by name (case, spacing and stray
//! quotes ignored), extra columns are ignored, and only ProductId, SkuId and UnitPrice are
//! required. A bad row is an error naming its line and column, or, with `skip_bad_rows`, is
//! counted and reported. The body may arrive zipped (`Accept-Encoding: deflate`, reference §8.1).

use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::error::{Error, Result};

/// The price-sheet view CSP Desk reads.
pub const MARKETPLACE_VIEW: &str = "marketplace";

/// One price-sheet row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetRow {
    pub product_id: String,
    pub sku_id: String,
    pub product_title: String,
    pub sku_title: String,
    pub publisher: String,
    pub unit_of_measure: String,
    /// ISO-8601 duration: `P1M`, `P1Y`.
    pub term_duration: String,
    /// `Monthly`, `Annual`, `None`…
    pub billing_plan: String,
    pub market: String,
    pub currency: String,
    pub unit_price: f64,
    pub erp_price: Option<f64>,
    pub effective_start: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
    pub tags: String,
}

impl SheetRow {
    /// A zero-price row that announces a free trial.
    pub fn is_trial_marker(&self) -> bool {
        is_trial_marker(self.unit_price, &self.tags, &self.billing_plan)
    }

    /// The row's fields, borrowed.
    pub fn view(&self) -> RowView<'_> {
        RowView {
            product_id: &self.product_id,
            sku_id: &self.sku_id,
            product_title: &self.product_title,
            sku_title: &self.sku_title,
            publisher: &self.publisher,
            unit_of_measure: &self.unit_of_measure,
            term_duration: &self.term_duration,
            billing_plan: &self.billing_plan,
            market: &self.market,
            currency: &self.currency,
            tags: &self.tags,
            unit_price: self.unit_price,
            erp_price: self.erp_price,
            effective_start: self.effective_start,
            effective_end: self.effective_end,
        }
    }
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadRow {
    /// 1-based line in the CSV (the header is line 1).
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {} (value {:?})",
            self.line, self.column, self.reason, self.value
        )
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceSheet {
    pub market: String,
    pub rows: Vec<SheetRow>,
    pub bad_rows: Vec<BadRow>,
}

#[derive(Clone, Copy)]
enum Col {
    ProductId,
    SkuId,
    ProductTitle,
    SkuTitle,
    Publisher,
    UnitOfMeasure,
    TermDuration,
    BillingPlan,
    Market,
    Currency,
    UnitPrice,
    ErpPrice,
    EffectiveStart,
    EffectiveEnd,
    Tags,
}

const COLUMNS: &[(Col, &str, &[&str], bool)] = &[
    (Col::ProductId, "ProductId", &["productid"], true),
    (Col::SkuId, "SkuId", &["skuid", "planid"], true),
    (Col::UnitPrice, "UnitPrice", &["unitprice", "price"], true),
    (
        Col::ProductTitle,
        "ProductTitle",
        &["producttitle", "productname"],
        false,
    ),
    (
        Col::SkuTitle,
        "SkuTitle",
        &["skutitle", "skuname", "plantitle"],
        false,
    ),
    (
        Col::Publisher,
        "Publisher",
        &["publisher", "publishername"],
        false,
    ),
    (
        Col::UnitOfMeasure,
        "UnitOfMeasure",
        &["unitofmeasure"],
        false,
    ),
    (
        Col::TermDuration,
        "TermDuration",
        &["termduration", "term"],
        false,
    ),
    (
        Col::BillingPlan,
        "BillingPlan",
        &["billingplan", "billingfrequency"],
        false,
    ),
    (Col::Market, "Market", &["market"], false),
    (
        Col::Currency,
        "Currency",
        &["currency", "currencycode"],
        false,
    ),
    (Col::ErpPrice, "ERP Price", &["erpprice", "erp"], false),
    (
        Col::EffectiveStart,
        "EffectiveStartDate",
        &["effectivestartdate", "effectivestart"],
        false,
    ),
    (
        Col::EffectiveEnd,
        "EffectiveEndDate",
        &["effectiveenddate", "effectiveend"],
        false,
    ),
    (Col::Tags, "Tags", &["tags"], false),
];

fn fold_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parse a price-sheet date: `M/d/yyyy h:mm:ss AM/PM` (documented), or ISO `yyyy-mm-dd[Thh:mm:ss]`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = parse_us_date(s.as_bytes()) {
        return Some(d);
    }
    for f in [
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.date());
        }
    }
    for f in ["%m/%d/%Y", "%Y-%m-%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    None
}

/// The documented shape, `M/d/yyyy h:mm:ss AM`, without chrono's general parser (a tenth of
/// the time, and there are two dates on every row). Anything else is left to [`parse_date`]'s
/// formats, so this never accepts what they would refuse.
fn parse_us_date(b: &[u8]) -> Option<NaiveDate> {
    fn digits(b: &[u8], i: &mut usize, max: usize) -> Option<(u32, usize)> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        let n = b[start..*i]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        (*i > start).then_some((n, *i - start))
    }
    fn expect(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
        (b.get(*i) == Some(&c)).then(|| *i += 1)
    }
    let mut i = 0;
    let (month, _) = digits(b, &mut i, 2)?;
    expect(b, &mut i, b'/')?;
    let (day, _) = digits(b, &mut i, 2)?;
    expect(b, &mut i, b'/')?;
    let (year, year_digits) = digits(b, &mut i, 4)?;
    expect(b, &mut i, b' ')?;
    let (hour, _) = digits(b, &mut i, 2)?;
    let rest = b.get(i..)?;
    // ":mm:ss AM"
    if year_digits != 4 || rest.len() != 9 || rest[0] != b':' || rest[3] != b':' || rest[6] != b' '
    {
        return None;
    }
    let two = |x: &[u8]| -> Option<u32> {
        (x[0].is_ascii_digit() && x[1].is_ascii_digit())
            .then(|| u32::from(x[0] - b'0') * 10 + u32::from(x[1] - b'0'))
    };
    let (min, sec) = (two(&rest[1..3])?, two(&rest[4..6])?);
    let ampm = &rest[7..9];
    if !(1..=12).contains(&hour) || min > 59 || sec > 59 || (ampm != b"AM" && ampm != b"PM") {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn parse_price(s: &str) -> std::result::Result<f64, String> {
    let t = s.trim();
    let v: f64 = t.parse().map_err(|_| "not a number".to_string())?;
    if !v.is_finite() || v < 0.0 {
        return Err("not a price (negative or not finite)".into());
    }
    Ok(v)
}

/// Unzip if the body is a zip archive (first entry ending in .csv, else the first entry).
pub fn unpack(body: &[u8]) -> Result<Vec<u8>> {
    if !body.starts_with(b"PK\x03\x04") {
        return Ok(body.to_vec());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).map_err(|e| {
        Error::from(crate::message::Message::SheetZipDamaged { why: e.to_string() })
    })?;
    let index = (0..archive.len())
        .find(|&i| {
            archive
                .by_index(i)
                .ok()
                .and_then(|f| {
                    f.name()
                        .ok()
                        .map(|n| n.to_ascii_lowercase().ends_with(".csv"))
                })
                .unwrap_or(false)
        })
        .unwrap_or(0);
    let mut file = archive.by_index(index).map_err(|e| {
        Error::from(crate::message::Message::SheetZipNoEntry { why: e.to_string() })
    })?;
    let mut out = Vec::with_capacity(file.size() as usize);
    file.read_to_end(&mut out)
        .map_err(|e| Error::io("unzipping the price sheet", e))?;
    Ok(out)
}

/// How many of a sheet's first lines are kept when its header is not as expected.
pub const SAMPLE_LINES: usize = 20;

/// The header line as received (BOM and line end aside), at most 1000 characters.
fn header_text(line: &[u8]) -> String {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    String::from_utf8_lossy(line)
        .trim_end_matches(['\r', '\n'])
        .chars()
        .take(1000)
        .collect()
}

/// The missing-column error: `m` plus the header line as it came, and, with `sample_dir`, the
/// sheet's first lines saved there (the header, then what `rest` still holds), named.
fn missing_column(
    m: String,
    market: &str,
    header: &[u8],
    rest: impl Read,
    sample_dir: Option<&std::path::Path>,
) -> Error {
    let m = format!("{m}. The header line was: {}", header_text(header));
    let Some(dir) = sample_dir else {
        return Error::Invalid(m);
    };
    Error::Invalid(match save_sample(dir, market, header, rest) {
        Ok(path) => format!(
            "{m}. The sheet's first {SAMPLE_LINES} lines are saved in {} for a bug report",
            path.display()
        ),
        Err(e) => format!("{m}. (The first lines could not be saved: {e})"),
    })
}

/// `header` and the lines after it, up to [`SAMPLE_LINES`] in all (and at most 1 MiB), as
/// received, in `dir/pricesheet-{market}-{UTC time}.csv`.
fn save_sample(
    dir: &std::path::Path,
    market: &str,
    header: &[u8],
    rest: impl Read,
) -> Result<std::path::PathBuf> {
    use std::io::BufRead;
    let mut sample = header.to_vec();
    let mut rest = std::io::BufReader::new(rest.take(1 << 20));
    for _ in 1..SAMPLE_LINES {
        // A read error ends the sample early: what arrived is still worth keeping.
        match rest.read_until(b'\n', &mut sample) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join(format!(
        "pricesheet-{}-{}.csv",
        market.to_ascii_uppercase(),
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    std::fs::write(&path, &sample)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
}

/// What the price sheet download accepts: the CSV, or the zip it may come in (not JSON).
pub const PRICE_SHEET_ACCEPT: &str =
    "text/csv, application/zip, application/octet-stream;q=0.9, */*;q=0.5";

/// Column positions of a sheet, found from its header by name.
#[derive(Debug, Clone, Copy)]
pub struct Columns([Option<usize>; 15]);

impl Columns {
    fn from_header(headers: &csv::StringRecord, market: &str) -> Result<Columns> {
        let folded: Vec<String> = headers.iter().map(fold_header).collect();
        let mut pos: [Option<usize>; 15] = [None; 15];
        for (col, name, aliases, required) in COLUMNS {
            let found = folded.iter().position(|h| aliases.contains(&h.as_str()));
            if found.is_none() && *required {
                return Err(Error::Invalid(format!(
                    "price sheet for {market}: required column {name} is missing (columns found: {})",
                    headers.iter().collect::<Vec<_>>().join(", "),
                )));
            }
            pos[*col as usize] = found;
        }
        Ok(Columns(pos))
    }

    /// The field of column `c`, trimmed.
    fn get<'r>(&self, r: &'r csv::StringRecord, c: Col) -> &'r str {
        self.0[c as usize]
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .trim()
    }
}

/// One checked row as read, its text still in the CSV record (no copy per field).
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    record: csv::StringRecord,
    /// The row's market: its Market column in upper case, or the sheet's when that is empty.
    market: String,
    /// 1-based line in the CSV.
    pub line: u64,
    pub unit_price: f64,
    pub erp_price: Option<f64>,
    pub effective_start: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
}

/// The fields of a [`RawRow`], by name.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    pub product_id: &'a str,
    pub sku_id: &'a str,
    pub product_title: &'a str,
    pub sku_title: &'a str,
    pub publisher: &'a str,
    pub unit_of_measure: &'a str,
    pub term_duration: &'a str,
    pub billing_plan: &'a str,
    /// The Market column in upper case, or the sheet's market when the column is empty.
    pub market: &'a str,
    pub currency: &'a str,
    pub tags: &'a str,
    pub unit_price: f64,
    pub erp_price: Option<f64>,
    pub effective_start: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
}

impl RowView<'_> {
    /// A zero-price row that announces a free trial (see [`SheetRow::is_trial_marker`]).
    pub fn is_trial_marker(&self) -> bool {
        is_trial_marker(self.unit_price, self.tags, self.billing_plan)
    }
}

fn is_trial_marker(price: f64, tags: &str, billing_plan: &str) -> bool {
    price == 0.0
        && (tags.to_ascii_lowercase().contains("trial")
            || billing_plan.eq_ignore_ascii_case("none")
            || billing_plan.is_empty())
}

/// Reads a price sheet row by row as its bytes arrive: the header by name, then each row
/// checked (a bad row is an error naming line and column, or is counted and listed when
/// skipping). Memory stays that of one row whatever the sheet's length.
pub struct SheetReader<R: Read> {
    rdr: csv::Reader<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>,
    cols: Columns,
    market: String,
    skip_bad_rows: bool,
    /// Rows that could not be read (only when skipping; the first error otherwise).
    pub bad_rows: Vec<BadRow>,
    /// Good rows read so far.
    pub rows: u64,
    /// The first good row's currency.
    pub currency: Option<String>,
}

impl<R: Read> SheetReader<R> {
    /// Read the header. `market` fills rows whose Market column is missing.
    pub fn new(r: R, market: &str, skip_bad_rows: bool) -> Result<SheetReader<R>> {
        Self::keeping_sample(r, market, skip_bad_rows, None)
    }

    /// [`SheetReader::new`]; when a required column is missing and `sample_dir` is given (the
    /// folder beside the logs), the sheet's first [`SAMPLE_LINES`] lines, as received, are saved
    /// there for a bug report and the error names the file.
    pub fn keeping_sample(
        mut r: R,
        market: &str,
        skip_bad_rows: bool,
        sample_dir: Option<&std::path::Path>,
    ) -> Result<SheetReader<R>> {
        // The header line, byte by byte (it is short), so that nothing past it is consumed.
        let mut first = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match r.read(&mut byte) {
                Ok(0) => break,
                Ok(_) => {
                    first.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(Error::io(
                        format!("reading the price sheet for {market}"),
                        e,
                    ))
                }
            }
        }
        let received = first.clone();
        if first.starts_with(b"\xEF\xBB\xBF") {
            first.drain(..3);
        }
        // The documented header closes its last name with a typographic quote (`"ERP Price“`),
        // which would swallow the file as one unterminated field: straighten quotes in line 1.
        if let Ok(h) = std::str::from_utf8(&first) {
            if h.contains(['“', '”']) {
                first = h.replace(['“', '”'], "\"").into_bytes();
            }
        }
        let builder = || {
            let mut b = csv::ReaderBuilder::new();
            // Fields are trimmed where they are read (`Columns::get`): trimming whole records
            // copied every row, a tenth of a CSV export's reading.
            b.flexible(true).trim(csv::Trim::Headers);
            b
        };
        let header_error = |e: csv::Error| {
            Error::Invalid(format!(
                "price sheet for {market}: the header line cannot be read: {e}"
            ))
        };
        // The header line on its own first, so that a missing column is known before any
        // further byte is read: then the lines after it are still there to keep.
        if let Ok(headers) = builder().from_reader(first.as_slice()).headers() {
            if let Err(Error::Invalid(m)) = Columns::from_header(headers, market) {
                return Err(missing_column(m, market, &received, r, sample_dir));
            }
        }
        let mut rdr = builder()
            .buffer_capacity(1 << 16)
            .from_reader(std::io::Cursor::new(first).chain(r));
        let headers = rdr.headers().map_err(header_error)?.clone();
        let cols = Columns::from_header(&headers, market).map_err(|e| match e {
            Error::Invalid(m) => Error::Invalid(format!(
                "{m}. The header line was: {}",
                header_text(&received)
            )),
            e => e,
        })?;
        Ok(SheetReader {
            rdr,
            cols,
            market: market.to_ascii_uppercase(),
            skip_bad_rows,
            bad_rows: Vec::new(),
            rows: 0,
            currency: None,
        })
    }

    /// The sheet's market, upper case.
    pub fn market(&self) -> &str {
        &self.market
    }

    /// The sheet's columns, to read rows with after the reader is gone.
    pub fn columns(&self) -> Columns {
        self.cols
    }

    /// The next good row into `slot`; `false` at the end of the sheet.
    pub fn next_row(&mut self, slot: &mut RawRow) -> Result<bool> {
        loop {
            let line = self.rdr.position().line() + 1;
            match self.rdr.read_record(&mut slot.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {}
                Err(e) => {
                    if let csv::ErrorKind::Io(_) = e.kind() {
                        let csv::ErrorKind::Io(io) = e.into_kind() else {
                            unreachable!("checked above")
                        };
                        return Err(Error::io(
                            format!("reading the price sheet for {}", self.market),
                            io,
                        ));
                    }
                    self.bad(BadRow {
                        line,
                        column: "(row)".into(),
                        value: String::new(),
                        reason: format!("unreadable CSV: {e}"),
                    })?;
                    continue;
                }
            }
            let line = slot.record.position().map(|p| p.line()).unwrap_or(line);
            if slot.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            match check_row(&slot.record, &self.cols, line) {
                Ok(parsed) => {
                    slot.line = line;
                    (
                        slot.unit_price,
                        slot.erp_price,
                        slot.effective_start,
                        slot.effective_end,
                    ) = parsed;
                    self.rows += 1;
                    let market = self.cols.get(&slot.record, Col::Market);
                    slot.market.clear();
                    slot.market.push_str(if market.is_empty() {
                        &self.market
                    } else {
                        market
                    });
                    slot.market.make_ascii_uppercase();
                    if self.currency.is_none() {
                        self.currency = Some(self.cols.get(&slot.record, Col::Currency).into());
                    }
                    return Ok(true);
                }
                Err(bad) => self.bad(bad)?,
            }
        }
    }

    fn bad(&mut self, bad: BadRow) -> Result<()> {
        if !self.skip_bad_rows {
            return Err(Error::Invalid(format!(
                "price sheet for {}: {bad}. Use --skip-bad-rows to skip such rows",
                self.market
            )));
        }
        self.bad_rows.push(bad);
        Ok(())
    }

    /// The fields of `row`, which this reader read.
    pub fn view<'a>(&self, row: &'a RawRow) -> RowView<'a> {
        self.cols.view(row)
    }

    /// `row` as an owned [`SheetRow`].
    pub fn owned(&self, row: &RawRow) -> SheetRow {
        self.view(row).to_owned_row()
    }
}

impl Columns {
    /// The plan `row` is a price of: its product and SKU ids (what grouping by plan compares,
    /// without reading the other fields).
    pub fn plan_of<'a>(&self, row: &'a RawRow) -> (&'a str, &'a str) {
        (
            self.get(&row.record, Col::ProductId),
            self.get(&row.record, Col::SkuId),
        )
    }

    /// The fields of `row`, read with these columns.
    pub fn view<'a>(&self, row: &'a RawRow) -> RowView<'a> {
        let get = |c: Col| self.get(&row.record, c);
        RowView {
            product_id: get(Col::ProductId),
            sku_id: get(Col::SkuId),
            product_title: get(Col::ProductTitle),
            sku_title: get(Col::SkuTitle),
            publisher: get(Col::Publisher),
            unit_of_measure: get(Col::UnitOfMeasure),
            term_duration: get(Col::TermDuration),
            billing_plan: get(Col::BillingPlan),
            market: &row.market,
            currency: get(Col::Currency),
            tags: get(Col::Tags),
            unit_price: row.unit_price,
            erp_price: row.erp_price,
            effective_start: row.effective_start,
            effective_end: row.effective_end,
        }
    }
}

impl RowView<'_> {
    pub fn to_owned_row(&self) -> SheetRow {
        SheetRow {
            product_id: self.product_id.into(),
            sku_id: self.sku_id.into(),
            product_title: self.product_title.into(),
            sku_title: self.sku_title.into(),
            publisher: self.publisher.into(),
            unit_of_measure: self.unit_of_measure.into(),
            term_duration: self.term_duration.into(),
            billing_plan: self.billing_plan.into(),
            market: self.market.into(),
            currency: self.currency.into(),
            unit_price: self.unit_price,
            erp_price: self.erp_price,
            effective_start: self.effective_start,
            effective_end: self.effective_end,
            tags: self.tags.into(),
        }
    }
}

/// Parse CSV bytes. `market` fills rows whose Market column is missing.
pub fn parse(csv_bytes: &[u8], market: &str, skip_bad_rows: bool) -> Result<PriceSheet> {
    let mut reader = SheetReader::new(csv_bytes, market, skip_bad_rows)?;
    let mut rows = Vec::new();
    let mut slot = RawRow::default();
    while reader.next_row(&mut slot)? {
        rows.push(reader.owned(&slot));
    }
    Ok(PriceSheet {
        market: reader.market.clone(),
        rows,
        bad_rows: reader.bad_rows,
    })
}

type Checked = (f64, Option<f64>, Option<NaiveDate>, Option<NaiveDate>);

fn check_row(
    r: &csv::StringRecord,
    cols: &Columns,
    line: u64,
) -> std::result::Result<Checked, BadRow> {
    let get = |c: Col| cols.get(r, c);
    let bad = |column: &str, value: &str, reason: String| BadRow {
        line,
        column: column.into(),
        value: value.into(),
        reason,
    };
    let product_id = get(Col::ProductId);
    if product_id.is_empty() {
        return Err(bad("ProductId", product_id, "is empty".into()));
    }
    let sku_id = get(Col::SkuId);
    if sku_id.is_empty() {
        return Err(bad("SkuId", sku_id, "is empty".into()));
    }
    let price_raw = get(Col::UnitPrice);
    let unit_price = parse_price(price_raw).map_err(|e| bad("UnitPrice", price_raw, e))?;
    let erp_raw = get(Col::ErpPrice);
    let erp_price = if erp_raw.is_empty() {
        None
    } else {
        Some(parse_price(erp_raw).map_err(|e| bad("ERP Price", erp_raw, e))?)
    };
    let date = |c: Col, name: &str| -> std::result::Result<Option<NaiveDate>, BadRow> {
        let raw = get(c);
        if raw.is_empty() {
            return Ok(None);
        }
        parse_date(raw).map(Some).ok_or_else(|| {
            bad(
                name,
                raw,
                "not a date (expected M/d/yyyy h:mm:ss AM/PM)".into(),
            )
        })
    };
    let effective_start = date(Col::EffectiveStart, "EffectiveStartDate")?;
    let effective_end = date(Col::EffectiveEnd, "EffectiveEndDate")?;
    Ok((unit_price, erp_price, effective_start, effective_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"ProductTitle\",\"ProductId\",\"SkuId\",\"SkuTitle\",\"Publisher\",\"SkuDescription\",\"UnitOfMeasure\",\"TermDuration\",\"BillingPlan\",\"Market\",\"Currency\",\"UnitPrice\",\"PricingTierRangeMin\",\"PricingTierRangeMax\",\"EffectiveStartDate\",\"EffectiveEndDate\",\"Tags\",\"ERP Price“";

    #[test]
    fn reads_the_documented_header_including_the_stray_quote() {
        let csv = format!("{HEADER}\n\"Advanced Communications\",\"CFQ7TTC0HDK0\",\"0001\",\"Advanced Communications\",\"Microsoft Corporation\",\"desc\",\"\",\"P1Y\",\"Annual\",\"US\",\"USD\",\"115.2\",\"\",\"\",\"2/1/2019 12:00:00 AM\",\"2/4/2021 8:35:31 PM\",\"License\",\"144\"\n");
        let s = parse(csv.as_bytes(), "US", false).unwrap();
        assert_eq!(s.rows.len(), 1);
        let r = &s.rows[0];
        assert_eq!(r.unit_price, 115.2);
        assert_eq!(r.erp_price, Some(144.0));
        assert_eq!(r.effective_start, NaiveDate::from_ymd_opt(2019, 2, 1));
        assert_eq!(r.effective_end, NaiveDate::from_ymd_opt(2021, 2, 4));
        assert_eq!(r.billing_plan, "Annual");
    }

    #[test]
    fn extra_columns_ignored_and_optional_ones_may_be_missing() {
        let csv = "Whatever,ProductId,SkuId,UnitPrice,Another\nx,P1,0001,9.99,y\n";
        let s = parse(csv.as_bytes(), "gb", false).unwrap();
        assert_eq!(s.rows[0].product_id, "P1");
        assert_eq!(s.rows[0].market, "GB");
        assert_eq!(s.rows[0].erp_price, None);
    }

    #[test]
    fn missing_required_column_is_named() {
        let err = parse(b"ProductId,UnitPrice\nP1,1\n", "US", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("SkuId"), "{err}");
        assert!(
            err.contains("The header line was: ProductId,UnitPrice"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_row_names_line_and_column_or_is_skipped() {
        let csv = "ProductId,SkuId,UnitPrice,EffectiveStartDate\nP1,0001,1.5,1/1/2026 12:00:00 AM\nP2,0001,abc,1/1/2026 12:00:00 AM\nP3,0001,2,not-a-date\nP4,0001,3,\n";
        let err = parse(csv.as_bytes(), "US", false).unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("UnitPrice") && err.contains("abc"),
            "{err}"
        );
        let s = parse(csv.as_bytes(), "US", true).unwrap();
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.bad_rows.len(), 2);
        assert_eq!(
            (s.bad_rows[0].line, s.bad_rows[0].column.as_str()),
            (3, "UnitPrice")
        );
        assert_eq!(
            (s.bad_rows[1].line, s.bad_rows[1].column.as_str()),
            (4, "EffectiveStartDate")
        );
    }

    #[test]
    fn the_documented_date_shape_reads_as_chrono_would() {
        for s in [
            "2/1/2019 12:00:00 AM",
            "12/31/9999 11:59:59 PM",
            "2/4/2021 8:35:31 PM",
            "02/30/2021 1:00:00 AM",
            "2/1/2019 13:00:00 AM",
            "2/1/19 12:00:00 AM",
            "2/1/2019 12:00:00 am",
            "2/1/2019",
            "2019-02-01",
        ] {
            let slow = NaiveDateTime::parse_from_str(s, "%m/%d/%Y %I:%M:%S %p").map(|d| d.date());
            if let Some(fast) = parse_us_date(s.as_bytes()) {
                assert_eq!(Ok(fast), slow, "{s}");
            }
        }
        assert_eq!(
            parse_date("12/31/9999 11:59:59 PM"),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
        assert_eq!(
            parse_date("2/1/2019 12:00:00 am"),
            NaiveDate::from_ymd_opt(2019, 2, 1)
        );
    }

    #[test]
    fn zipped_sheets_are_unpacked() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("pricesheet.csv", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"ProductId,SkuId,UnitPrice\nP1,0001,3\n")
                .unwrap();
            z.finish().unwrap();
        }
        let csv = unpack(buf.get_ref()).unwrap();
        assert_eq!(parse(&csv, "US", false).unwrap().rows.len(), 1);
        assert!(unpack(b"PK\x03\x04garbage").is_err());
    }
}
