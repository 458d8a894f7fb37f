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
use crate::partner_center::{api, Client};

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
        self.unit_price == 0.0
            && (self.tags.to_ascii_lowercase().contains("trial")
                || self.billing_plan.eq_ignore_ascii_case("none")
                || self.billing_plan.is_empty())
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
        Error::Invalid(format!(
            "the price sheet arrived zipped but the archive is damaged: {e}"
        ))
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
        Error::Invalid(format!("the zipped price sheet has no readable entry: {e}"))
    })?;
    let mut out = Vec::with_capacity(file.size() as usize);
    file.read_to_end(&mut out)
        .map_err(|e| Error::io("unzipping the price sheet", e))?;
    Ok(out)
}

/// Parse CSV bytes. `market` fills rows whose Market column is missing.
pub fn parse(csv_bytes: &[u8], market: &str, skip_bad_rows: bool) -> Result<PriceSheet> {
    let bytes = csv_bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv_bytes);
    // The documented header closes its last name with a typographic quote (`"ERP Price“`),
    // which would swallow the file as one unterminated field: straighten quotes in line 1.
    let fixed;
    let bytes = match bytes.iter().position(|&b| b == b'\n') {
        Some(nl) if std::str::from_utf8(&bytes[..nl]).is_ok_and(|h| h.contains(['“', '”'])) => {
            let header = std::str::from_utf8(&bytes[..nl])
                .unwrap_or_default()
                .replace(['“', '”'], "\"");
            fixed = [header.as_bytes(), &bytes[nl..]].concat();
            &fixed[..]
        }
        _ => bytes,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| {
            Error::Invalid(format!(
                "price sheet for {market}: the header line cannot be read: {e}"
            ))
        })?
        .clone();
    let folded: Vec<String> = headers.iter().map(fold_header).collect();
    let mut pos: [Option<usize>; 15] = [None; 15];
    for (col, name, aliases, required) in COLUMNS {
        let found = folded.iter().position(|h| aliases.contains(&h.as_str()));
        if found.is_none() && *required {
            let line = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or(b""));
            return Err(Error::Invalid(format!(
                "price sheet for {market}: {MISSING_COLUMN} {name} is missing (columns found: {}). The header line was: {}",
                headers.iter().collect::<Vec<_>>().join(", "),
                line.trim_end_matches('\r').chars().take(1000).collect::<String>()
            )));
        }
        pos[*col as usize] = found;
    }
    let mut sheet = PriceSheet {
        market: market.to_ascii_uppercase(),
        ..Default::default()
    };
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() + 1;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let bad = BadRow {
                    line,
                    column: "(row)".into(),
                    value: String::new(),
                    reason: format!("unreadable CSV: {e}"),
                };
                if skip_bad_rows {
                    sheet.bad_rows.push(bad);
                    continue;
                }
                return Err(Error::Invalid(format!(
                    "price sheet for {market}: {bad}. Use --skip-bad-rows to skip such rows"
                )));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        match read_row(&record, &pos, line, &sheet.market) {
            Ok(row) => sheet.rows.push(row),
            Err(bad) if skip_bad_rows => sheet.bad_rows.push(bad),
            Err(bad) => {
                return Err(Error::Invalid(format!(
                    "price sheet for {market}: {bad}. Use --skip-bad-rows to skip such rows"
                )))
            }
        }
    }
    Ok(sheet)
}

fn read_row(
    r: &csv::StringRecord,
    pos: &[Option<usize>; 15],
    line: u64,
    market: &str,
) -> std::result::Result<SheetRow, BadRow> {
    let get = |c: Col| {
        pos[c as usize]
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .to_string()
    };
    let bad = |column: &str, value: String, reason: String| BadRow {
        line,
        column: column.into(),
        value,
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
    let unit_price = parse_price(&price_raw).map_err(|e| bad("UnitPrice", price_raw.clone(), e))?;
    let erp_raw = get(Col::ErpPrice);
    let erp_price = if erp_raw.is_empty() {
        None
    } else {
        Some(parse_price(&erp_raw).map_err(|e| bad("ERP Price", erp_raw.clone(), e))?)
    };
    let date = |c: Col, name: &str| -> std::result::Result<Option<NaiveDate>, BadRow> {
        let raw = get(c);
        if raw.is_empty() {
            return Ok(None);
        }
        parse_date(&raw).map(Some).ok_or_else(|| {
            bad(
                name,
                raw,
                "not a date (expected M/d/yyyy h:mm:ss AM/PM)".into(),
            )
        })
    };
    let effective_start = date(Col::EffectiveStart, "EffectiveStartDate")?;
    let effective_end = date(Col::EffectiveEnd, "EffectiveEndDate")?;
    let market_col = get(Col::Market);
    Ok(SheetRow {
        product_id,
        sku_id,
        product_title: get(Col::ProductTitle),
        sku_title: get(Col::SkuTitle),
        publisher: get(Col::Publisher),
        unit_of_measure: get(Col::UnitOfMeasure),
        term_duration: get(Col::TermDuration),
        billing_plan: get(Col::BillingPlan),
        market: if market_col.is_empty() {
            market.to_string()
        } else {
            market_col.to_ascii_uppercase()
        },
        currency: get(Col::Currency),
        unit_price,
        erp_price,
        effective_start,
        effective_end,
        tags: get(Col::Tags),
    })
}

/// What the price sheet download accepts: the CSV, or the zip it may come in.
pub const PRICE_SHEET_ACCEPT: &str =
    "text/csv, application/zip, application/octet-stream;q=0.9, */*;q=0.5";

/// Words of the missing-column error (it is the one a changed sheet layout gives).
const MISSING_COLUMN: &str = "required column";

/// Download and parse one market's marketplace price sheet.
pub async fn fetch(client: &Client, market: &str, skip_bad_rows: bool) -> Result<PriceSheet> {
    fetch_keeping_sample(client, market, skip_bad_rows, None).await
}

/// [`fetch`]; when a required column is missing and `sample_dir` is given (the folder beside
/// the logs), the sheet's first lines are saved there for a bug report and the error names the
/// file.
pub async fn fetch_keeping_sample(
    client: &Client,
    market: &str,
    skip_bad_rows: bool,
    sample_dir: Option<&std::path::Path>,
) -> Result<PriceSheet> {
    let raw = client
        .execute_raw(
            &api::price_sheet(market, MARKETPLACE_VIEW)
                .header("Accept-Encoding", "deflate")
                // A file, not JSON (the client sends client-request-id to the Partner API).
                .header("Accept", PRICE_SHEET_ACCEPT),
        )
        .await?;
    let csv = unpack(&raw.body)?;
    match (parse(&csv, market, skip_bad_rows), sample_dir) {
        (Err(Error::Invalid(m)), Some(dir)) if m.contains(MISSING_COLUMN) => {
            Err(Error::Invalid(match save_sample(dir, market, &csv) {
                Ok(path) => format!(
                    "{m}. The sheet's first lines are saved in {} for a bug report",
                    path.display()
                ),
                Err(e) => format!("{m}. (The first lines could not be saved: {e})"),
            }))
        }
        (result, _) => result,
    }
}

/// The first 20 lines of a sheet, as received, in `dir/pricesheet-{market}-{UTC time}.csv`.
fn save_sample(dir: &std::path::Path, market: &str, csv: &[u8]) -> Result<std::path::PathBuf> {
    let end = csv
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(19)
        .map_or(csv.len(), |(i, _)| i + 1);
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join(format!(
        "pricesheet-{}-{}.csv",
        market.to_ascii_uppercase(),
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::write(&path, &csv[..end])
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    Ok(path)
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
