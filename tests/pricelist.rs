//! The daily price list against the sandbox: trial rows, the written `.xlsx` read back with
//! calamine (header, number and date formats, filters), CSV with BOM, multi-market, diffs, and
//! cancelled or failed exports leaving no file.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::AtomicBool;

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::catalog::query::{OfferFilter, PublisherFilter};
use cspdesk_core::catalog::OfferType;
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::pricelist::rows::{AFTER_TRIAL, HEADERS, TRIAL};
use cspdesk_core::pricelist::{self, ExportRequest};
use cspdesk_core::Error;

fn req(markets: &[&str], format: ExportFormat, out: std::path::PathBuf) -> ExportRequest {
    ExportRequest {
        markets: markets.iter().map(|m| m.to_string()).collect(),
        format,
        out,
        bom: false,
        filter: OfferFilter::default(),
        skip_bad_rows: false,
        day: None,
    }
}

fn sheet_rows(path: &std::path::Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("a readable xlsx");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn xlsx_reads_back_with_header_formats_and_trial_pairs() {
    let sb = common::sandbox_with(400, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("gb.xlsx");
    let cancel = AtomicBool::new(false);
    let report = pricelist::export(
        &conn,
        &req(&["GB"], ExportFormat::Xlsx, out.clone()),
        &cancel,
        &|_| {},
    )
    .await
    .unwrap();
    assert!(report.rows > 50);
    let rows = sheet_rows(&out, "GB");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, HEADERS);
    assert_eq!(rows.len() as u64, report.rows + 1);
    let col = |name: &str| HEADERS.iter().position(|h| *h == name).unwrap();
    for r in &rows[1..] {
        assert_eq!(text(&r[col("Market")]), "GB");
        assert_eq!(text(&r[col("Currency")]), "GBP");
        assert!(
            matches!(r[col("Unit price")], Data::Float(_)),
            "price is a number: {:?}",
            r[col("Unit price")]
        );
        assert!(
            matches!(r[col("Effective start")], Data::DateTime(_)),
            "date is a real date: {:?}",
            r[col("Effective start")]
        );
    }
    // currency number format and frozen header / autofilter in the package
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(
        styles.contains("&quot;£&quot;#,##0.00") || styles.contains("\"£\"#,##0.00"),
        "{styles}"
    );
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("<autoFilter") && sheet.contains("state=\"frozen\""));

    // every trial plan: exactly a trial row (0, trial term) then the paid row, per paid term
    type Plan = Vec<(String, String, f64)>;
    let mut per_plan: HashMap<(String, String), Plan> = HashMap::new();
    for r in &rows[1..] {
        let price = if let Data::Float(f) = r[col("Unit price")] {
            f
        } else {
            -1.0
        };
        per_plan
            .entry((text(&r[col("Product ID")]), text(&r[col("SKU ID")])))
            .or_default()
            .push((text(&r[col("Free trial")]), text(&r[col("Term")]), price));
    }
    let trial_plans: Vec<_> = per_plan
        .values()
        .filter(|v| v.iter().any(|x| x.0 == TRIAL))
        .collect();
    assert!(
        !trial_plans.is_empty(),
        "the sandbox has trial offers in GB"
    );
    for plan in trial_plans {
        assert_eq!(plan.len() % 2, 0, "{plan:?}");
        for pair in plan.chunks(2) {
            assert_eq!(pair[0].0, TRIAL, "{plan:?}");
            assert_eq!(pair[0].2, 0.0);
            assert_eq!(pair[1].0, AFTER_TRIAL, "{plan:?}");
            assert!(pair[1].2 > 0.0);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_apply_to_the_export_and_csv_has_a_bom() {
    let sb = common::sandbox_with(400, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("sec.csv");
    let mut r = req(&["GB"], ExportFormat::Csv, out.clone());
    r.bom = true;
    r.filter = OfferFilter {
        types: vec![OfferType::Saas],
        categories: vec!["security".into()],
        publisher: PublisherFilter::Partner,
        ..Default::default()
    };
    let cancel = AtomicBool::new(false);
    let report = pricelist::export(&conn, &r, &cancel, &|_| {})
        .await
        .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(recs.len() as u64, report.rows);
    assert!(!recs.is_empty());
    for rec in &recs {
        assert_eq!(&rec[7], "SaaS");
        assert!(rec[8].contains("Security"), "{rec:?}");
        assert!(!rec[6].starts_with("Microsoft"), "{rec:?}");
    }
    let all = pricelist::export(
        &conn,
        &req(&["GB"], ExportFormat::Csv, dir.path().join("all.csv")),
        &cancel,
        &|_| {},
    )
    .await
    .unwrap();
    assert!(all.rows > report.rows);
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_market_export_has_one_sheet_per_market() {
    let sb = common::sandbox_with(300, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("two.xlsx");
    let cancel = AtomicBool::new(false);
    let report = pricelist::export(
        &conn,
        &req(&["GB", "US"], ExportFormat::Xlsx, out.clone()),
        &cancel,
        &|_| {},
    )
    .await
    .unwrap();
    let wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), vec!["GB".to_string(), "US".to_string()]);
    let us = sheet_rows(&out, "US");
    assert!(us[1..].iter().all(|r| text(&r[1]) == "USD"));
    assert_eq!(report.markets.len(), 2);
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelled_or_failed_exports_leave_no_file() {
    let sb = common::sandbox_with(300, "").await;
    let (conn, _dir) = common::connection(&sb).await;
    let target = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(true);
    for format in [ExportFormat::Xlsx, ExportFormat::Csv] {
        let out = target.path().join("cancelled.out");
        let err = pricelist::export(&conn, &req(&["GB"], format, out.clone()), &cancel, &|_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err:?}");
        assert!(
            files_in(target.path()).is_empty(),
            "left behind: {:?}",
            files_in(target.path())
        );
    }
    let go = AtomicBool::new(false);
    let err = pricelist::export(
        &conn,
        &req(&["XX"], ExportFormat::Xlsx, target.path().join("bad.xlsx")),
        &go,
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("XX"), "{err}");
    assert!(files_in(target.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn diff_between_two_days_lists_changes_with_amount_and_percent() {
    let sb = common::sandbox_with(800, "").await;
    let (conn, _dir) = common::connection(&sb).await;
    let day1 = sb.clock().now().date_naive();
    pricelist::fetch_snapshot(&conn, "GB", false, Some(day1))
        .await
        .unwrap();
    let mut changes = Vec::new();
    for d in 1..=5 {
        sb.clock().advance(chrono::Duration::days(1));
        let day = day1 + chrono::Duration::days(d);
        pricelist::fetch_snapshot(&conn, "GB", false, Some(day))
            .await
            .unwrap();
        changes = pricelist::changes(&conn, "GB", Some(day1), Some(day))
            .unwrap()
            .changes;
        if changes.iter().any(|c| c.amount.is_some()) {
            break;
        }
    }
    let moved: Vec<_> = changes
        .iter()
        .filter(|c| c.old_price.is_some() && c.new_price.is_some())
        .collect();
    assert!(!moved.is_empty(), "prices drift day to day in the sandbox");
    for c in moved {
        let (o, n) = (c.old_price.unwrap(), c.new_price.unwrap());
        assert!((c.amount.unwrap() - (n - o)).abs() < 0.01);
        assert!((c.percent.unwrap() - (n - o) / o * 100.0).abs() < 0.01);
    }
    let latest = pricelist::changes(&conn, "GB", None, None).unwrap();
    assert!(latest.from < latest.to);
}
