//! Writing price rows to `.xlsx` (rust_xlsxwriter, constant-memory mode) or `.csv`.
//!
//! Files are written to a temporary file beside the target and renamed into place only when
//! complete, so a failed or cancelled export leaves no file (and never a half-written one).
//! Rows arrive through an iterator, so memory stays flat however many rows there are.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use serde::{Deserialize, Serialize};

use super::rows::{PriceRow, HEADERS};
use crate::error::{Error, Result};
use crate::tabular::{persist, temp_beside};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<ExportFormat> {
        match s.trim().to_ascii_lowercase().trim_start_matches('.') {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::Invalid(format!(
                "unknown export format `{other}`: use xlsx or csv"
            ))),
        }
    }
}

/// One sheet of the workbook: a market's rows.
pub struct SheetInput<'a> {
    pub name: String,
    pub currency: String,
    pub rows: Box<dyn Iterator<Item = PriceRow> + 'a>,
}

/// Progress and cancellation for long exports.
pub struct ExportControl<'a> {
    pub cancel: &'a AtomicBool,
    /// Called with the number of rows written so far (every few thousand rows, and at the end).
    pub progress: &'a (dyn Fn(u64) + Send + Sync),
}

const PROGRESS_EVERY: u64 = 4096;

/// A currency's symbol, for the number format.
pub fn currency_symbol(code: &str) -> &str {
    match code.to_ascii_uppercase().as_str() {
        "USD" | "AUD" | "NZD" | "CAD" | "SGD" | "MXN" => "$",
        "GBP" => "£",
        "EUR" => "€",
        "JPY" => "¥",
        "INR" => "₹",
        "BRL" => "R$",
        "ZAR" => "R",
        "PLN" => "zł",
        "SEK" | "NOK" | "DKK" => "kr",
        "CHF" => "CHF",
        _ => "",
    }
}

/// The Excel number format for unit prices in `currency`.
pub fn price_format(currency: &str) -> String {
    let decimals = if currency.eq_ignore_ascii_case("JPY") {
        "#,##0"
    } else {
        "#,##0.00"
    };
    match currency_symbol(currency) {
        "" => format!("{decimals} \"{}\"", currency.to_ascii_uppercase()),
        s @ ("kr" | "zł" | "CHF") => format!("{decimals} \"{s}\""),
        s => format!("\"{s}\"{decimals}"),
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Invalid(format!("writing the spreadsheet failed: {e}"))
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xlsx_err)
}

/// Write an `.xlsx` workbook with one sheet per market. Returns the rows written.
pub fn write_xlsx(out: &Path, sheets: Vec<SheetInput<'_>>, ctl: &ExportControl<'_>) -> Result<u64> {
    let tmp = temp_beside(out)?;
    let mut workbook = Workbook::new();
    // Level 1: about half the save time of the default 6 for a somewhat larger file (rust_xlsxwriter docs).
    workbook.set_zip_compression_level(1);
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(0xDDE7F3);
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let widths = [
        8.0, 9.0, 15.0, 36.0, 8.0, 22.0, 28.0, 16.0, 26.0, 8.0, 22.0, 13.0, 13.0, 14.0, 14.0, 11.0,
    ];
    let mut written = 0u64;
    let mut used_names = std::collections::HashSet::new();
    for sheet in sheets {
        let price_fmt = Format::new().set_num_format(price_format(&sheet.currency));
        let ws = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_err)?;
        let mut name: String = sheet
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        if name.is_empty() || !used_names.insert(name.to_lowercase()) {
            name = format!("Sheet{}", used_names.len() + 1);
            used_names.insert(name.to_lowercase());
        }
        ws.set_name(&name).map_err(xlsx_err)?;
        for (i, w) in widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w).map_err(xlsx_err)?;
        }
        // Column formats instead of per-cell ones: unformatted cells take their column's
        // format, which spares a format lookup per cell (a tenth of the run time at 1M rows).
        ws.set_column_range_format(11, 12, &price_fmt)
            .map_err(xlsx_err)?;
        ws.set_column_range_format(13, 14, &date_fmt)
            .map_err(xlsx_err)?;
        for (c, h) in HEADERS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header)
                .map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        let mut row = 0u32;
        for r in sheet.rows {
            row += 1;
            let texts = [
                &r.market,
                &r.currency,
                &r.product_id,
                &r.product,
                &r.sku_id,
                &r.plan,
                &r.publisher,
                &r.offer_type,
                &r.category,
                &r.term,
                &r.billing_plan,
            ];
            for (c, t) in texts.iter().enumerate() {
                if !t.is_empty() {
                    ws.write_string(row, c as u16, t.as_str())
                        .map_err(xlsx_err)?;
                }
            }
            ws.write_number(row, 11, r.unit_price).map_err(xlsx_err)?;
            if let Some(erp) = r.erp_price {
                ws.write_number(row, 12, erp).map_err(xlsx_err)?;
            }
            if let Some(d) = r.effective_start {
                ws.write_datetime(row, 13, excel_date(d)?)
                    .map_err(xlsx_err)?;
            }
            if let Some(d) = r.effective_end {
                ws.write_datetime(row, 14, excel_date(d)?)
                    .map_err(xlsx_err)?;
            }
            ws.write_string(row, 15, r.free_trial.as_str())
                .map_err(xlsx_err)?;
            written += 1;
            if written.is_multiple_of(PROGRESS_EVERY) {
                if ctl.cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                (ctl.progress)(written);
            }
        }
        ws.autofilter(0, 0, row.max(1), (HEADERS.len() - 1) as u16)
            .map_err(xlsx_err)?;
    }
    if ctl.cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    workbook.save(tmp.path()).map_err(xlsx_err)?;
    persist(tmp, out)?;
    (ctl.progress)(written);
    Ok(written)
}

/// Write a UTF-8 CSV (optionally with a BOM for Excel). Returns the rows written.
pub fn write_csv(
    out: &Path,
    rows: &mut dyn Iterator<Item = PriceRow>,
    bom: bool,
    ctl: &ExportControl<'_>,
) -> Result<u64> {
    let tmp = temp_beside(out)?;
    let io = |e: std::io::Error| Error::io(format!("writing {}", out.display()), e);
    let mut file = BufWriter::with_capacity(1 << 16, tmp.as_file());
    if bom {
        file.write_all(b"\xEF\xBB\xBF").map_err(io)?;
    }
    let mut w = csv::Writer::from_writer(file);
    let csv_err = |e: csv::Error| Error::Invalid(format!("writing {}: {e}", out.display()));
    w.write_record(HEADERS).map_err(csv_err)?;
    let mut written = 0u64;
    let mut price = String::new();
    let mut erp = String::new();
    for r in rows {
        price.clear();
        erp.clear();
        use std::fmt::Write as _;
        let _ = write!(price, "{}", r.unit_price);
        if let Some(e) = r.erp_price {
            let _ = write!(erp, "{e}");
        }
        let start = r
            .effective_start
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let end = r
            .effective_end
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        w.write_record([
            r.market.as_str(),
            &r.currency,
            &r.product_id,
            &r.product,
            &r.sku_id,
            &r.plan,
            &r.publisher,
            &r.offer_type,
            &r.category,
            &r.term,
            &r.billing_plan,
            &price,
            &erp,
            &start,
            &end,
            &r.free_trial,
        ])
        .map_err(csv_err)?;
        written += 1;
        if written.is_multiple_of(PROGRESS_EVERY) {
            if ctl.cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            (ctl.progress)(written);
        }
    }
    let file = w
        .into_inner()
        .map_err(|e| Error::Invalid(format!("writing {}: {}", out.display(), e.error())))?;
    let file = file.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    if ctl.cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    persist(tmp, out)?;
    (ctl.progress)(written);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_formats_carry_the_currency() {
        assert_eq!(price_format("GBP"), "\"£\"#,##0.00");
        assert_eq!(price_format("JPY"), "\"¥\"#,##0");
        assert_eq!(price_format("SEK"), "#,##0.00 \"kr\"");
        assert_eq!(price_format("XYZ"), "#,##0.00 \"XYZ\"");
    }

    #[test]
    fn format_names() {
        assert_eq!(ExportFormat::parse("XLSX").unwrap(), ExportFormat::Xlsx);
        assert!(ExportFormat::parse("pdf").is_err());
    }
}
