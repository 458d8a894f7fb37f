//! The price list a user gets, pinned: exports of GB and US from a sandbox at a fixed time, read
//! back with calamine (xlsx) or as bytes (csv), compared with files captured from the exporter
//! before it streamed (issue 16). Sorted and shuffled price sheets, with and without a filter.
//!
//! `BLESS_GOLDEN=1 cargo test --test pricelist_golden` rewrites the fixtures; only do that when
//! the output is meant to change.

use crate::support::common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use calamine::{Data, Reader, Xlsx};
use chrono::TimeZone;
use cspdesk_core::catalog::query::{OfferFilter, PublisherFilter};
use cspdesk_core::catalog::OfferType;
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::pricelist::{self, ExportRequest};
use cspdesk_sandbox::FaultSpec;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pricelist")
        .join(name)
}

/// Every cell of every sheet, one line per row: `s:` text, `f:` number, `d:` date serial.
fn dump_xlsx(path: &Path) -> String {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("a readable xlsx");
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let _ = writeln!(out, "## sheet {name}");
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|d| match d {
                    Data::String(s) => format!("s:{s}"),
                    Data::Float(f) => format!("f:{f}"),
                    Data::Int(i) => format!("f:{i}"),
                    Data::DateTime(t) => format!("d:{}", t.as_f64()),
                    Data::Empty => String::new(),
                    other => format!("?:{other}"),
                })
                .collect();
            let _ = writeln!(out, "{}", cells.join("\t"));
        }
    }
    out
}

fn check(name: &str, actual: &str) {
    let path = fixture(name);
    if std::env::var_os("BLESS_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
        let first = e
            .iter()
            .zip(&a)
            .position(|(x, y)| x != y)
            .unwrap_or(e.len().min(a.len()));
        panic!(
            "{name} differs from the captured export at line {} ({} lines captured, {} now):\n captured: {:?}\n now:      {:?}",
            first + 1,
            e.len(),
            a.len(),
            e.get(first),
            a.get(first)
        );
    }
}

async fn export_all(sheet: &str) {
    let sb = common::sandbox_with(300, "").await;
    sb.clock()
        .set(chrono::Utc.with_ymd_and_hms(2026, 6, 15, 9, 0, 0).unwrap());
    if !sheet.is_empty() {
        sb.set_faults(sheet.parse::<FaultSpec>().unwrap());
    }
    let (conn, dir) = common::connection(&sb).await;
    let cancel = AtomicBool::new(false);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 15);
    let tag = if sheet.is_empty() {
        "sorted"
    } else {
        "shuffled"
    };
    for (format, filtered) in [
        (ExportFormat::Xlsx, false),
        (ExportFormat::Csv, false),
        (ExportFormat::Csv, true),
    ] {
        let ext = if format == ExportFormat::Xlsx {
            "xlsx"
        } else {
            "csv"
        };
        let out = dir.path().join(format!("out-{filtered}.{ext}"));
        let req = ExportRequest {
            markets: vec!["GB".into(), "US".into()],
            format,
            out: out.clone(),
            bom: false,
            filter: if filtered {
                OfferFilter {
                    types: vec![OfferType::Saas],
                    publisher: PublisherFilter::Partner,
                    trial_only: true,
                    ..Default::default()
                }
            } else {
                OfferFilter::default()
            },
            skip_bad_rows: false,
            day,
            customer: None,
        };
        pricelist::export(&conn, &req, &cancel, &|_| {})
            .await
            .unwrap();
        let name = format!(
            "{tag}{}.{}",
            if filtered { "-filtered" } else { "" },
            if format == ExportFormat::Xlsx {
                "xlsx.txt"
            } else {
                "csv"
            }
        );
        let text = match format {
            ExportFormat::Xlsx => dump_xlsx(&out),
            ExportFormat::Csv => std::fs::read_to_string(&out).unwrap(),
        };
        check(&name, &text);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_of_a_sorted_sheet_are_as_captured() {
    export_all("").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_of_a_shuffled_sheet_are_as_captured() {
    export_all("sheet-unsorted=1").await;
}
