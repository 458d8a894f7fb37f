//! The export formats and what every writer shares: the format names, currency number formats,
//! and the write-to-temp-then-rename discipline, so a failed export leaves no file. Also small
//! tables to `.xlsx` or `.csv` (invoices, changes, notes): typed cells, a frozen bold header, an
//! autofilter. The price list's streaming writer ([`crate::pricelist::export`]) builds on this
//! module; this module never depends on it.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::message::Message;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    /// The file extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Result<ExportFormat> {
        match s.trim().to_ascii_lowercase().trim_start_matches('.') {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Message::ExportFormatUnknown {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

/// A finished export: where it went, how many data rows, in which format. Every export of the
/// app and the CLI answers with this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
    pub format: ExportFormat,
}

impl ExportResult {
    pub fn new(path: &Path, rows: u64, format: ExportFormat) -> ExportResult {
        ExportResult {
            path: path.display().to_string(),
            rows,
            format,
        }
    }
}

/// Where an export goes. A path typed or picked is checked and completed ([`checked_path`]);
/// with none, `name` in `folder` (created when missing) in `format` (xlsx when not given), as a
/// name that never replaces an earlier file ([`free_name`]).
pub fn export_path(
    requested: Option<&str>,
    format: Option<ExportFormat>,
    folder: &Path,
    name: &str,
) -> Result<(PathBuf, ExportFormat)> {
    match requested.map(str::trim).filter(|p| !p.is_empty()) {
        Some(raw) => checked_path(raw, format),
        None => {
            let format = format.unwrap_or(ExportFormat::Xlsx);
            std::fs::create_dir_all(folder).map_err(|e| {
                Error::io(
                    format!(
                        "creating the export folder {} (choose another with Save as…)",
                        folder.display()
                    ),
                    e,
                )
            })?;
            Ok((free_name(folder, name, format.ext()), format))
        }
    }
}

fn home() -> Option<PathBuf> {
    directories::UserDirs::new().map(|d| d.home_dir().to_path_buf())
}

/// Checks a path typed or picked by the user and completes it: `~/` is the home folder; the
/// path must be a full path to a file in a folder that exists; its extension, when it has one,
/// is the format (and must agree with `format` when both are given); without one, `format`'s
/// (xlsx when not given) is added.
/// A path typed or picked by the user: `~/` is the home folder, and it must be a full path.
pub fn user_path(raw: &str) -> Result<PathBuf> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Message::FileNotNamed.into());
    }
    let path = match raw.strip_prefix("~/") {
        Some(rest) => home()
            .ok_or_else(|| Error::from(Message::HomeUnknown))?
            .join(rest),
        None => PathBuf::from(raw),
    };
    if !path.is_absolute() {
        return Err(Message::PathNotFull { path: raw.into() }.into());
    }
    Ok(path)
}

pub fn checked_path(raw: &str, format: Option<ExportFormat>) -> Result<(PathBuf, ExportFormat)> {
    let mut path = user_path(raw)?;
    let wanted = format.unwrap_or(ExportFormat::Xlsx);
    if path.is_dir() {
        return Err(Message::PathIsFolder {
            path: path.display().to_string(),
            ext: wanted.ext().into(),
        }
        .into());
    }
    let format = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_string)
    {
        None => {
            path.set_extension(wanted.ext());
            wanted
        }
        Some(ext) => {
            let by_name = ExportFormat::parse(&ext).map_err(|_| {
                Error::from(Message::FileTypeUnknown {
                    path: path.display().to_string(),
                })
            })?;
            match format {
                Some(f) if f != by_name => {
                    return Err(Message::FileTypeMismatch {
                        ext,
                        format: f.ext().into(),
                    }
                    .into())
                }
                _ => by_name,
            }
        }
    };
    let parent = path.parent().unwrap_or(Path::new("/"));
    if !parent.is_dir() {
        return Err(Message::FolderMissing {
            folder: parent.display().to_string(),
        }
        .into());
    }
    Ok((path, format))
}

/// `name.ext` in `dir`, or `name-2.ext`, `name-3.ext`… when taken, so a default never replaces
/// an earlier file.
pub fn free_name(dir: &Path, name: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{name}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..1000)
        .map(|n| dir.join(format!("{name}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

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
    /// An amount in `currency`, or an empty cell when there is none.
    pub fn money(v: Option<f64>, currency: &str) -> Cell {
        v.map(|v| Cell::Money(v, currency.to_string()))
            .unwrap_or(Cell::Empty)
    }

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

/// The folder `out` goes to, which must exist.
pub(crate) fn target_dir(out: &Path) -> Result<&Path> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Message::FolderMissingNow {
            folder: dir.display().to_string(),
        }
        .into());
    }
    Ok(dir)
}

/// A temporary file beside `out`, to be renamed into place when complete.
pub(crate) fn temp_beside(out: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = target_dir(out)?;
    let stem = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "export".into());
    remove_stale(dir, &format!(".{stem}."), ".partial");
    tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("creating a temporary file in {}", dir.display()), e))
}

/// Remove what an earlier write that was killed left behind (`prefix…suffix` files in `dir`).
/// Two writes to the same file at once are not supported: the later one wins.
pub(crate) fn remove_stale(dir: &Path, prefix: &str, suffix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
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

/// A spreadsheet writer's failure: the disk's own error when it is one, else ours (no fault of
/// what the user typed).
pub(crate) fn xe(e: rust_xlsxwriter::XlsxError) -> Error {
    match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::io("writing the spreadsheet", io),
        e => Error::Internal(format!("writing the spreadsheet failed: {e}")),
    }
}

/// Write `tables` (one sheet each for xlsx; concatenated for csv). Returns data rows written.
pub fn write(out: &Path, format: ExportFormat, tables: &[Table]) -> Result<u64> {
    let tmp = temp_beside(out)?;
    let mut rows = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(tmp.as_file());
            let err = |e: csv::Error| {
                Error::from(Message::WriteFailed {
                    path: out.display().to_string(),
                    why: e.to_string(),
                })
            };
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
    fn typed_paths_are_checked_and_completed() {
        use ExportFormat::{Csv, Xlsx};
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let p = checked_path(&format!("{d}/prices"), Some(Xlsx)).unwrap();
        assert_eq!(p, (dir.path().join("prices.xlsx"), Xlsx));
        assert_eq!(
            checked_path(&format!("{d}/prices.CSV"), None).unwrap().1,
            Csv
        );
        let e = checked_path(&format!("{d}/prices.csv"), Some(Xlsx)).unwrap_err();
        assert!(e.to_string().contains("ends in .csv"), "{e}");
        let e = checked_path(&format!("{d}/lines.pdf"), None).unwrap_err();
        assert!(e.to_string().contains(".xlsx or .csv"), "{e}");
        let e = checked_path("prices.xlsx", Some(Xlsx)).unwrap_err();
        assert!(e.to_string().contains("not a full path"), "{e}");
        let e = checked_path(&format!("{d}/nope/prices.xlsx"), None).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = checked_path(&d, None).unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        assert!(checked_path("  ", None).is_err());
    }

    #[test]
    fn default_names_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = free_name(dir.path(), "pricelist-US-2026-11-21", "xlsx");
        assert_eq!(a, dir.path().join("pricelist-US-2026-11-21.xlsx"));
        std::fs::write(&a, b"x").unwrap();
        let b = free_name(dir.path(), "pricelist-US-2026-11-21", "xlsx");
        assert_eq!(b, dir.path().join("pricelist-US-2026-11-21-2.xlsx"));
        // With no path asked for, the export folder is made and a free name is used.
        let folder = dir.path().join("exports");
        let (p, f) = export_path(None, Some(ExportFormat::Csv), &folder, "notes").unwrap();
        assert_eq!((p, f), (folder.join("notes.csv"), ExportFormat::Csv));
        assert!(folder.is_dir());
    }

    #[test]
    fn format_names() {
        assert_eq!(ExportFormat::parse("XLSX").unwrap(), ExportFormat::Xlsx);
        assert!(ExportFormat::parse("pdf").is_err());
    }
}
