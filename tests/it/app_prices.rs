//! The Price lists view's facade (`AppCore`) against the embedded sandbox: an export with the
//! marketplace filters written and read back with calamine, progress with rows per second,
//! cancel leaving no file, the last snapshot and export, and the changes between snapshots of
//! different days (with their export).

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::app::prices::{
    ChangesState, ExportPhase, ExportProgress, PriceChangeKind, PriceExportRequest,
};
use cspdesk_core::app::AppCore;
use cspdesk_core::catalog::query::{OfferFilter, OfferQuery, PublisherFilter};
use cspdesk_core::connection::ConnectOptions;
use cspdesk_core::pricelist;
use cspdesk_core::tabular::ExportFormat;
use cspdesk_core::Error;

fn core(dir: &Path) -> AppCore {
    AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.to_path_buf()),
        sandbox_offers: Some(300),
        ..Default::default()
    })
}

fn request(id: &str, market: &str, format: ExportFormat, path: &Path) -> PriceExportRequest {
    PriceExportRequest {
        export_id: id.into(),
        markets: vec![market.into()],
        format,
        bom: false,
        path: path.display().to_string(),
        filter: OfferFilter::default(),
        customer: None,
    }
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("a readable xlsx");
    let range = wb.worksheet_range(name).expect("sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn column(rows: &[Vec<Data>], header: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|h| text(h) == header)
        .unwrap_or_else(|| panic!("no {header} column"));
    rows[1..].iter().map(|r| text(&r[i])).collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_with_filters_writes_the_rows_and_is_remembered() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let core = core(data.path());

    let status = core.price_list_status(&["US".into()]).await.unwrap();
    assert!(status.markets[0].days.is_empty());
    assert_eq!(status.markets[0].currency, "USD");
    assert!(status.last_export.is_none());

    // Everything first, with progress.
    let all_path = out.path().join("all.xlsx");
    let events: Arc<Mutex<Vec<ExportProgress>>> = Arc::default();
    let sink = events.clone();
    let all = core
        .export_prices(
            request("t-all", "us", ExportFormat::Xlsx, &all_path),
            move |p| sink.lock().unwrap().push(p),
        )
        .await
        .unwrap();
    assert_eq!(all.path, all_path.display().to_string());
    assert_eq!(all.markets[0].market, "US");
    let all_rows = sheet(&all_path, "US");
    assert!(all.rows > 0);
    assert_eq!(all_rows.len() as u64 - 1, all.rows, "rows read back");
    assert_eq!(all.markets[0].rows, all.rows);
    let events = events.lock().unwrap().clone();
    assert_eq!(events[0].phase, ExportPhase::Preparing);
    let last = events.last().unwrap();
    assert_eq!(last.phase, ExportPhase::Writing);
    assert_eq!(last.rows, all.rows, "the last progress point is the total");
    assert!(events.windows(2).all(|w| w[0].rows <= w[1].rows));

    // Then one publisher's offers, as the marketplace filter would pick them.
    let index = core.index("US").await.unwrap();
    let publisher = index
        .query(&OfferQuery {
            limit: 1,
            ..Default::default()
        })
        .rows[0]
        .publisher_name
        .clone();
    let filter = OfferFilter {
        publisher: PublisherFilter::Named(publisher.clone()),
        ..Default::default()
    };
    let theirs: HashSet<String> = index
        .query(&OfferQuery {
            filter: filter.clone(),
            limit: usize::MAX,
            ..Default::default()
        })
        .rows
        .into_iter()
        .filter_map(|r| r.product_id)
        .collect();
    let some_path = out.path().join("one-publisher"); // the extension is added
    let mut req = request("t-some", "US", ExportFormat::Xlsx, &some_path);
    req.filter = filter;
    let some = core.export_prices(req, |_| {}).await.unwrap();
    let some_file = out.path().join("one-publisher.xlsx");
    assert_eq!(some.path, some_file.display().to_string());
    let ids = column(&sheet(&some_file, "US"), "Product ID");
    assert_eq!(ids.len() as u64, some.rows);
    assert!(
        some.rows > 0 && some.rows < all.rows,
        "{} of {}",
        some.rows,
        all.rows
    );
    assert!(
        ids.iter().all(|id| theirs.contains(id)),
        "only {publisher}'s offers"
    );
    let expected = column(&all_rows, "Product ID")
        .iter()
        .filter(|id| theirs.contains(*id))
        .count();
    assert_eq!(ids.len(), expected, "every row of theirs, none lost");

    // CSV with a byte-order mark.
    let csv_path = out.path().join("prices.csv");
    let mut req = request("t-csv", "US", ExportFormat::Csv, &csv_path);
    req.bom = true;
    let csv = core.export_prices(req, |_| {}).await.unwrap();
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let lines = String::from_utf8(bytes).unwrap().lines().count() as u64;
    assert_eq!(lines - 1, csv.rows);
    assert_eq!(csv.rows, all.rows);

    // The view shows the snapshot and the last export; only written files open.
    let status = core.price_list_status(&["US".into()]).await.unwrap();
    assert_eq!(status.markets[0].days, vec![all.day]);
    assert!(status.markets[0].last_fetched_at.is_some());
    let last = status.last_export.unwrap();
    assert_eq!(last.path, csv.path);
    assert_eq!(last.rows, csv.rows);
    assert!(last.exists);
    assert_eq!(core.written_file(&all.path).await.unwrap(), all_path);
    let stranger = out.path().join("not-ours.xlsx");
    std::fs::write(&stranger, b"x").unwrap();
    let err = core
        .written_file(&stranger.display().to_string())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");

    // The default path is dated, in the settings' export folder, and never replaces a file.
    let default = core
        .default_price_list_path(&["US".into(), "gb".into()], ExportFormat::Xlsx, false)
        .await
        .unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(
        default.ends_with(&format!("pricelist-US-GB-{today}.xlsx")),
        "{default}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_path_uses_the_settings_export_dir_and_skips_taken_names() {
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let mut opts = ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(data.path().to_path_buf()),
        sandbox_offers: Some(50),
        ..Default::default()
    };
    opts.settings.export_dir = Some(exports.path().to_path_buf());
    let core = AppCore::new(opts);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let first = core
        .default_price_list_path(&["US".into()], ExportFormat::Csv, false)
        .await
        .unwrap();
    assert_eq!(
        first,
        exports
            .path()
            .join(format!("pricelist-US-{today}.csv"))
            .display()
            .to_string()
    );
    std::fs::write(&first, b"taken").unwrap();
    let second = core
        .default_price_list_path(&["US".into()], ExportFormat::Csv, false)
        .await
        .unwrap();
    assert!(
        second.ends_with(&format!("pricelist-US-{today}-2.csv")),
        "{second}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_or_refused_exports_leave_no_file() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let core = Arc::new(core(data.path()));

    // Cancelled while it fetches the price sheet (the first progress point).
    for format in [ExportFormat::Xlsx, ExportFormat::Csv] {
        let path = out
            .path()
            .join(format!("cancelled.{format:?}").to_lowercase());
        let canceller = core.clone();
        let err = core
            .export_prices(request("t-cancel", "US", format, &path), move |p| {
                if p.phase == ExportPhase::Preparing {
                    canceller.cancel_price_export("t-cancel");
                }
            })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err:?}");
        assert!(
            files_in(out.path()).is_empty(),
            "left: {:?}",
            files_in(out.path())
        );
    }

    // Cancelled before it started (the Cancel click won the race): still honoured.
    core.cancel_price_export("t-early");
    let err = core
        .export_prices(
            request(
                "t-early",
                "US",
                ExportFormat::Xlsx,
                &out.path().join("early.xlsx"),
            ),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(files_in(out.path()).is_empty());

    // A market that has no price sheet: the cause, and no file.
    let err = core
        .export_prices(
            request(
                "t-xx",
                "XX",
                ExportFormat::Xlsx,
                &out.path().join("xx.xlsx"),
            ),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("XX"), "{err}");
    assert!(files_in(out.path()).is_empty());

    // Bad paths are refused with what to do.
    let err = core
        .export_prices(
            request("t-bad", "US", ExportFormat::Xlsx, &out.path().join("x.csv")),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("change the name or the format"),
        "{err}"
    );
    let err = core
        .export_prices(
            request(
                "t-bad",
                "US",
                ExportFormat::Xlsx,
                &out.path().join("no/x.xlsx"),
            ),
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(files_in(out.path()).is_empty());
    assert!(core
        .price_list_status(&[])
        .await
        .unwrap()
        .last_export
        .is_none());

    // The cancelled ids are spent: the same id exports fine afterwards.
    let path = out.path().join("after.xlsx");
    let done = core
        .export_prices(request("t-cancel", "US", ExportFormat::Xlsx, &path), |_| {})
        .await
        .unwrap();
    assert!(done.rows > 0 && path.is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_between_snapshots_of_different_days() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let core = core(data.path());

    let none = core.price_changes("GB", None, None).await.unwrap();
    assert_eq!(none.state, ChangesState::NoSnapshot);
    assert_eq!(none.currency, "GBP");

    let fetched = core.fetch_price_snapshots(&["GB".into()]).await.unwrap();
    assert!(fetched[0].rows > 0);
    let one = core.price_changes("GB", None, None).await.unwrap();
    assert_eq!(one.state, ChangesState::OneSnapshot);
    assert!(
        one.message
            .as_deref()
            .unwrap()
            .contains("changes appear after tomorrow's"),
        "{:?}",
        one.message
    );
    let err = core
        .export_price_changes(
            "GB",
            None,
            None,
            &out.path().join("c.xlsx").display().to_string(),
            ExportFormat::Xlsx,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("One snapshot"), "{err}");

    // Two earlier days, with the sandbox's clock moved on between them so prices drift.
    let conn = core.connection().await.unwrap();
    let clock = conn
        .embedded_sandbox()
        .and_then(|s| s.downcast_ref::<cspdesk_sandbox::Sandbox>())
        .expect("the embedded sandbox")
        .clock();
    let today = chrono::Utc::now().date_naive();
    let day1 = today - chrono::Duration::days(10);
    pricelist::fetch_snapshot(&conn, "GB", false, Some(day1))
        .await
        .unwrap();
    let mut day2 = day1;
    for d in 1..=5 {
        clock.advance(chrono::Duration::days(1));
        day2 = day1 + chrono::Duration::days(d);
        pricelist::fetch_snapshot(&conn, "GB", false, Some(day2))
            .await
            .unwrap();
        let c = core
            .price_changes("GB", Some(day1), Some(day2))
            .await
            .unwrap();
        if c.changes.iter().any(|c| c.amount.is_some()) {
            break;
        }
    }
    let c = core
        .price_changes("GB", Some(day1), Some(day2))
        .await
        .unwrap();
    assert_eq!(c.state, ChangesState::Ready);
    assert_eq!((c.from, c.to), (Some(day1), Some(day2)));
    assert_eq!(c.snapshots[0], today, "newest first");
    let s = c.summary;
    assert_eq!(
        (s.new + s.removed + s.increases + s.decreases) as usize,
        c.changes.len()
    );
    let moved: Vec<_> = c
        .changes
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                PriceChangeKind::Increase | PriceChangeKind::Decrease
            )
        })
        .collect();
    assert!(!moved.is_empty(), "prices drift day to day in the sandbox");
    for r in &moved {
        let (o, n) = (r.old_price.unwrap(), r.new_price.unwrap());
        assert_eq!(r.kind == PriceChangeKind::Increase, n > o);
        assert!((r.amount.unwrap() - (n - o)).abs() < 0.01);
        assert!((r.percent.unwrap() - (n - o) / o * 100.0).abs() < 0.01);
        assert_eq!(r.currency, "GBP");
    }

    // Default: the two newest snapshots.
    let latest = core.price_changes("gb", None, None).await.unwrap();
    assert_eq!(latest.to, Some(today));
    assert!(latest.from.unwrap() < today);

    // Wrong picks say what to do.
    let err = core
        .price_changes("GB", Some(day2), Some(day1))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("pick an earlier From"), "{err}");
    let err = core
        .price_changes("GB", Some(day1), Some(day1))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("two different"), "{err}");
    let missing = day1 - chrono::Duration::days(1);
    let err = core
        .price_changes("GB", Some(missing), Some(day2))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Snapshots exist for"), "{err}");

    // The changes exported, read back.
    let path = core
        .default_changes_path("GB", day1, day2, ExportFormat::Xlsx)
        .await
        .unwrap();
    assert!(
        path.ends_with(&format!("price-changes-GB-{day1}-to-{day2}.xlsx")),
        "{path}"
    );
    let path = out.path().join("changes.xlsx").display().to_string();
    let written = core
        .export_price_changes("GB", Some(day1), Some(day2), &path, ExportFormat::Xlsx)
        .await
        .unwrap();
    assert_eq!(written.rows as usize, c.changes.len());
    let rows = sheet(Path::new(&path), "Changes");
    assert_eq!(rows.len() - 1, c.changes.len());
    let kinds = column(&rows, "Change");
    assert_eq!(
        kinds.iter().filter(|k| *k == "Price increase").count() as u32,
        s.increases
    );
    assert!(
        core.written_file(&path).await.is_ok(),
        "a changes export opens"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_markets_export_to_one_sheet_each() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let core = core(data.path());
    let path = out.path().join("two.xlsx");
    let mut req = request("t-two", "US", ExportFormat::Xlsx, &path);
    req.markets = vec!["us".into(), "GB".into(), "US".into()]; // a repeat is dropped
    let done = core.export_prices(req, |_| {}).await.unwrap();
    let markets: Vec<&str> = done.markets.iter().map(|m| m.market.as_str()).collect();
    assert_eq!(markets, ["US", "GB"]);
    assert_eq!(done.markets[1].currency, "GBP");
    let us = sheet(&path, "US").len() as u64 - 1;
    let gb = sheet(&path, "GB").len() as u64 - 1;
    assert_eq!((us, gb), (done.markets[0].rows, done.markets[1].rows));
    assert_eq!(us + gb, done.rows);
    let status = core
        .price_list_status(&["US".into(), "GB".into()])
        .await
        .unwrap();
    assert!(status.markets.iter().all(|m| m.days == vec![done.day]));
}
