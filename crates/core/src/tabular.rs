//! Small tables to `.xlsx` or `.csv` (invoices, changes, notes): typed cells, a frozen bold
//! header, an autofilter, currency and date formats, and the same write-to-temp-then-rename
//! discipline as the price list, so a failed export leaves no file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::error::{Error, Result};
use crate::pricelist::export::{price_format, ExportFormat};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// An amount in a currency (ISO code).
    Money(f64, String),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) | Cell::Money(n, _) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }
    }
}

pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A temporary file beside `out`, to be renamed into place when complete.
pub(crate) fn temp_beside(out: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "the folder {} does not exist: create it or choose another file",
            dir.display()
        )));
    }
    let stem = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("creating a temporary file in {}", dir.display()), e))
}

pub(crate) fn persist(tmp: tempfile::NamedTempFile, out: &Path) -> Result<PathBuf> {
    tmp.persist(out).map_err(|e| {
        Error::io(
            format!("moving the export into place at {}", out.display()),
            e.error,
        )
    })?;
    Ok(out.to_path_buf())
}

fn xe(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Invalid(format!("writing the spreadsheet failed: {e}"))
}

/// Write `tables` (one sheet each for xlsx; concatenated for csv). Returns data rows written.
pub fn write(out: &Path, format: ExportFormat, tables: &[Table]) -> Result<u64> {
    let tmp = temp_beside(out)?;
    let mut rows = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(tmp.as_file());
            let err = |e: csv::Error| Error::Invalid(format!("writing {}: {e}", out.display()));
            for (i, t) in tables.iter().enumerate() {
                if i == 0 {
                    w.write_record(&t.headers).map_err(err)?;
                }
                for r in &t.rows {
                    w.write_record(r.iter().map(Cell::csv)).map_err(err)?;
                    rows += 1;
                }
            }
            w.flush()
                .map_err(|e| Error::io(format!("writing {}", out.display()), e))?;
        }
        ExportFormat::Xlsx => {
            let mut wb = Workbook::new();
            let bold = Format::new().set_bold().set_background_color(0xDDE7F3);
            let date = Format::new().set_num_format("yyyy-mm-dd");
            for t in tables {
                let ws = wb.add_worksheet();
                ws.set_name(
                    t.name
                        .chars()
                        .filter(|c| !"[]:*?/\\".contains(*c))
                        .take(31)
                        .collect::<String>(),
                )
                .map_err(xe)?;
                for (c, h) in t.headers.iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, h, &bold)
                        .map_err(xe)?;
                    ws.set_column_width(c as u16, (h.len() as f64 + 4.0).max(12.0))
                        .map_err(xe)?;
                }
                ws.set_freeze_panes(1, 0).map_err(xe)?;
                for (i, r) in t.rows.iter().enumerate() {
                    let row = i as u32 + 1;
                    for (c, cell) in r.iter().enumerate() {
                        let c = c as u16;
                        match cell {
                            Cell::Text(s) => ws.write_string(row, c, s).map(|_| ()),
                            Cell::Number(n) => ws.write_number(row, c, *n).map(|_| ()),
                            Cell::Money(n, cur) => ws
                                .write_number_with_format(
                                    row,
                                    c,
                                    *n,
                                    &Format::new().set_num_format(price_format(cur)),
                                )
                                .map(|_| ()),
                            Cell::Date(d) => {
                                use chrono::Datelike;
                                let x = ExcelDateTime::from_ymd(
                                    d.year() as u16,
                                    d.month() as u8,
                                    d.day() as u8,
                                )
                                .map_err(xe)?;
                                ws.write_datetime_with_format(row, c, x, &date).map(|_| ())
                            }
                            Cell::Empty => Ok(()),
                        }
                        .map_err(xe)?;
                    }
                    rows += 1;
                }
                ws.autofilter(
                    0,
                    0,
                    (t.rows.len() as u32).max(1),
                    (t.headers.len().max(1) - 1) as u16,
                )
                .map_err(xe)?;
                ws.autofit();
            }
            wb.save(tmp.path()).map_err(xe)?;
        }
    }
    persist(tmp, out)?;
    Ok(rows)
}
