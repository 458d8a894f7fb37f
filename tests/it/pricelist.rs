//! The daily price list against the sandbox: trial rows, the written `.xlsx` read back with
//! calamine (header, number and date formats, filters), CSV with BOM, multi-market, diffs, and
//! cancelled or failed exports leaving no file.

use crate::support::common;

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
        customer: None,
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

/// Export `markets` to `out` with the default request, never cancelled.
async fn export_to(
    conn: &cspdesk_core::connection::Connection,
    markets: &[&str],
    format: ExportFormat,
    out: std::path::PathBuf,
) -> cspdesk_core::Result<pricelist::ExportReport> {
    pricelist::export(
        conn,
        &req(markets, format, out),
        &AtomicBool::new(false),
        &|_| {},
    )
    .await
}

fn snapshot_files(conn: &cspdesk_core::connection::Connection) -> Vec<String> {
    let dir = cspdesk_core::pricelist::snapshot::dir(&conn.store);
    if !dir.is_dir() {
        return Vec::new();
    }
    files_in(&dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_row_mid_sheet_stops_with_line_and_column_and_leaves_nothing() {
    let sb = common::sandbox_with(300, "sheet-bad-line=40").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("bad.xlsx");
    let cancel = AtomicBool::new(false);
    let err = export_to(&conn, &["GB"], ExportFormat::Xlsx, out.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 40") && err.contains("UnitPrice") && err.contains("twelve"),
        "{err}"
    );
    assert!(err.contains("--skip-bad-rows"), "{err}");
    assert!(!out.exists());
    assert!(
        !files_in(dir.path()).iter().any(|f| f.ends_with(".partial")),
        "{:?}",
        files_in(dir.path())
    );
    assert!(
        snapshot_files(&conn).is_empty(),
        "{:?}",
        snapshot_files(&conn)
    );
    assert!(pricelist::snapshot::list(&conn.store, "GB")
        .unwrap()
        .is_empty());

    // With --skip-bad-rows: counted and listed, every good row kept.
    let mut r = req(&["GB"], ExportFormat::Csv, dir.path().join("skipped.csv"));
    r.skip_bad_rows = true;
    let report = pricelist::export(&conn, &r, &cancel, &|_| {})
        .await
        .unwrap();
    let m = &report.markets[0];
    assert_eq!(m.bad_rows.len(), 1);
    assert_eq!(
        (m.bad_rows[0].line, m.bad_rows[0].column.as_str()),
        (40, "UnitPrice")
    );
    sb.set_faults(cspdesk_sandbox::FaultSpec::default());
    let clean = pricelist::fetch_snapshot(
        &conn,
        "GB",
        false,
        Some(chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(m.sheet_rows, clean.rows.len() - 1, "every good row is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_row_in_a_workbook_of_several_markets_stops_it_and_leaves_nothing() {
    // Several markets' worksheets are written at once; a bad row in any stops them all.
    let sb = common::sandbox_with(300, "sheet-bad-line=40").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("bad.xlsx");
    let err = export_to(&conn, &["GB", "US", "DE"], ExportFormat::Xlsx, out.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 40") && err.contains("UnitPrice") && err.contains("--skip-bad-rows"),
        "{err}"
    );
    assert!(!out.exists());
    assert!(
        !files_in(dir.path()).iter().any(|f| f.ends_with(".partial")),
        "{:?}",
        files_in(dir.path())
    );
    assert!(
        snapshot_files(&conn).is_empty(),
        "{:?}",
        snapshot_files(&conn)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_connection_starts_the_sheet_again_and_keeps_no_partial_snapshot() {
    let sb = common::sandbox_with(300, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let cancel = AtomicBool::new(false);
    // The catalog first, so that the only drop is the sheet's.
    pricelist::ensure_catalog(&conn, "GB").await.unwrap();
    sb.set_faults("sheet-drop=1".parse().unwrap());
    let out = dir.path().join("after-drop.csv");
    let report = export_to(&conn, &["GB"], ExportFormat::Csv, out.clone())
        .await
        .unwrap();
    assert_eq!(sb.stats().dropped, 1, "the sheet was cut off once");
    let lines = std::fs::read_to_string(&out).unwrap().lines().count() as u64;
    assert_eq!(lines, report.rows + 1);
    assert_eq!(
        snapshot_files(&conn),
        vec![format!("GB-{}.zip", report.day)]
    );

    // Cut off every time: the export fails after its attempts, leaving nothing.
    sb.set_faults("sheet-drop=10".parse().unwrap());
    let mut r = req(&["GB"], ExportFormat::Xlsx, dir.path().join("never.xlsx"));
    r.day = chrono::NaiveDate::from_ymd_opt(2001, 1, 2);
    let err = pricelist::export(&conn, &r, &cancel, &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    assert!(!dir.path().join("never.xlsx").exists());
    assert_eq!(
        snapshot_files(&conn),
        vec![format!("GB-{}.zip", report.day)]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_export_the_same_day_reads_the_snapshot_and_fetches_nothing() {
    let sb = common::sandbox_with(300, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let first = export_to(
        &conn,
        &["GB", "US"],
        ExportFormat::Csv,
        dir.path().join("a.csv"),
    )
    .await
    .unwrap();
    let requests = sb.stats().requests;
    let snaps = snapshot_files(&conn);
    let second = export_to(
        &conn,
        &["GB", "US"],
        ExportFormat::Csv,
        dir.path().join("b.csv"),
    )
    .await
    .unwrap();
    assert_eq!(sb.stats().requests, requests, "nothing fetched");
    assert_eq!(
        snapshot_files(&conn),
        snaps,
        "the snapshot is written once a day"
    );
    assert_eq!(first.rows, second.rows);
    assert_eq!(
        std::fs::read(dir.path().join("a.csv")).unwrap(),
        std::fs::read(dir.path().join("b.csv")).unwrap()
    );
    // The snapshot is the zipped sheet as it arrived: about its size, nothing more.
    let zipped = reqwest::Client::new()
        .get(
            sb.url()
                .join("v1.0/sales/pricesheets(Market='GB',PricesheetView='marketplace')/$value")
                .unwrap(),
        )
        .header("Authorization", "Bearer sandbox-access-token")
        .header("Accept-Encoding", "deflate")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len() as u64;
    let kept = std::fs::metadata(pricelist::snapshot::file(&conn.store, "GB", first.day))
        .unwrap()
        .len();
    assert_eq!(kept, zipped);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelled_mid_write_leaves_no_file_and_no_half_snapshot() {
    let sb = common::sandbox_with(5000, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let out = dir.path().join("cancelled.xlsx");
    let cancel = AtomicBool::new(false);
    let err = pricelist::export(
        &conn,
        &req(&["US", "GB"], ExportFormat::Xlsx, out.clone()),
        &cancel,
        &|rows| {
            if rows > 0 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(!out.exists());
    assert!(
        !files_in(dir.path()).iter().any(|f| f.ends_with(".partial")),
        "{:?}",
        files_in(dir.path())
    );
    assert!(
        snapshot_files(&conn)
            .iter()
            .all(|f| !f.ends_with(".partial")),
        "{:?}",
        snapshot_files(&conn)
    );
}

/// Unmounts a test's tmpfs.
struct Unmount(std::path::PathBuf);
impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_gives_a_clear_error_and_keeps_the_previous_file() {
    // A 256 KiB disk: mounting one needs root, so elsewhere this says so and stops.
    let mnt = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(mnt.path())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let _unmount = Unmount(mnt.path().to_path_buf());
    let sb = common::sandbox_with(2000, "").await;
    let (conn, _dir) = common::connection(&sb).await;
    for (format, name) in [
        (ExportFormat::Csv, "prices.csv"),
        (ExportFormat::Xlsx, "prices.xlsx"),
    ] {
        let out = mnt.path().join(name);
        std::fs::write(&out, b"yesterday's list").unwrap();
        let err = export_to(&conn, &["US", "GB"], format, out.clone())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the disk is full") && err.contains(name),
            "{err}"
        );
        assert_eq!(std::fs::read(&out).unwrap(), b"yesterday's list");
        let mut left = files_in(mnt.path());
        left.sort();
        assert!(left.iter().all(|f| f.starts_with("prices.")), "{left:?}");
    }
}

/// A sheet whose layout changed (a required column gone): the error quotes the header line as
/// it came and names a file beside the logs holding the sheet's first 20 lines, for a bug
/// report; no export file, no snapshot. Both when exporting and when only fetching the sheet.
#[tokio::test(flavor = "multi_thread")]
async fn a_sheet_missing_a_column_quotes_its_header_and_keeps_its_first_lines() {
    let sb = common::sandbox().await;
    sb.drop_sheet_column(Some("SkuId"));
    let (conn, dir) = common::connection(&sb).await;
    let logs = dir.path().join("logs");
    let served_header = cspdesk_sandbox::PRICE_SHEET_HEADER
        .iter()
        .filter(|h| **h != "SkuId")
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(",");

    let out = dir.path().join("prices.xlsx");
    let err = export_to(&conn, &["GB"], ExportFormat::Xlsx, out.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("required column SkuId is missing"), "{err}");
    assert!(
        err.contains(&format!("The header line was: {served_header}")),
        "{err}"
    );
    let saved: Vec<std::path::PathBuf> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("pricesheet-GB-") && name.ends_with(".csv"),
        "{name}"
    );
    assert!(err.contains(&saved[0].display().to_string()), "{err}");
    let sample = std::fs::read_to_string(&saved[0]).unwrap();
    let lines: Vec<&str> = sample.lines().collect();
    assert_eq!(lines.len(), 20, "{sample}");
    assert_eq!(lines[0], served_header);
    let fields = |l: &str| l.matches("\",\"").count();
    assert_eq!(fields(lines[1]), fields(&served_header), "{}", lines[1]);
    assert!(!out.exists());
    assert!(
        snapshot_files(&conn).is_empty(),
        "{:?}",
        snapshot_files(&conn)
    );

    // Fetching the sheet alone says the same, and keeps another sample.
    let err = pricelist::take_snapshot(&conn, "US", false, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("price sheet for US: required column SkuId"),
        "{err}"
    );
    assert!(err.contains("pricesheet-US-"), "{err}");
    assert_eq!(std::fs::read_dir(&logs).unwrap().count(), 2);

    // The sheet whole again: the export goes through.
    sb.drop_sheet_column(None);
    export_to(&conn, &["GB"], ExportFormat::Xlsx, out.clone())
        .await
        .unwrap();
    assert!(out.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sync_builds_the_exports_product_lookup_so_the_first_export_does_not() {
    use cspdesk_core::catalog::sync::{sync, SyncOptions};
    let sb = common::sandbox_with(300, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let kept = dir.path().join("price-lookups/GB.lookup");
    assert!(!kept.exists());
    let opts = SyncOptions::new("GB");
    sync(&conn.client, &conn.store, &opts, &|_| {})
        .await
        .unwrap();
    let built = std::fs::metadata(&kept)
        .expect("the sync kept the lookup")
        .modified()
        .unwrap();

    let report = export_to(&conn, &["GB"], ExportFormat::Csv, dir.path().join("a.csv"))
        .await
        .unwrap();
    assert!(report.rows > 0);
    assert_eq!(
        std::fs::metadata(&kept).unwrap().modified().unwrap(),
        built,
        "the export used the sync's lookup"
    );
    // The same rows as when the export builds the lookup itself.
    std::fs::remove_file(&kept).unwrap();
    export_to(&conn, &["GB"], ExportFormat::Csv, dir.path().join("b.csv"))
        .await
        .unwrap();
    assert!(kept.exists(), "built and kept by the export");
    let a = std::fs::read(dir.path().join("a.csv")).unwrap();
    assert!(String::from_utf8_lossy(&a).lines().count() as u64 > report.rows);
    assert_eq!(a, std::fs::read(dir.path().join("b.csv")).unwrap());
}
