//! Price lists: export the US price list to .xlsx through the view (path typed into its field),
//! wait for "Open file", read the file back; then the Changes tab, first with one snapshot
//! ("changes appear after tomorrow's"), then with yesterday's snapshot in the store, checked
//! against the core's diff of the same two days. Screenshots at 1280×800 and 1024×700.

use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};
use cspdesk_core::pricelist::diff::{self, ChangeKind};
use cspdesk_core::pricelist::sheet::PriceSheet;
use cspdesk_core::pricelist::snapshot;
use cspdesk_core::store::Store;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::common::*;

async fn js(c: &Client, script: &str) -> Result<Value, CmdError> {
    c.execute(script, vec![]).await
}

async fn open_price_lists(c: &Client) -> Result<(), CmdError> {
    js(
        c,
        "Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes('Price lists')).click();",
    )
    .await?;
    wait_css(c, "#tab-export", Duration::from_secs(10)).await
}

#[tokio::test]
async fn price_list_export_and_changes() {
    if !enabled() {
        return;
    }
    let (_driver, data_dir) = start_driver("e2e-prices", None);
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        // The first launch syncs the US catalog; wait for its rows, then open Price lists.
        wait_first_rows(&c).await?;
        open_price_lists(&c).await?;
        wait_css(&c, "#price-export-path", Duration::from_secs(10)).await?;

        // The default path is a dated name; before any export: no snapshot, no export.
        wait_for(
            &c,
            "a default path",
            "document.getElementById('price-export-path').value",
            Duration::from_secs(10),
            |v| v.as_str().is_some_and(|s| s.ends_with(".xlsx") && s.contains("pricelist-US-")),
        )
        .await?;
        assert!(text_of(&c, "#price-last-snapshot").await?.contains("none yet"));
        assert!(text_of(&c, "#price-last-export").await?.contains("none yet"));
        assert!(text_of(&c, "#price-markets").await?.contains("US"));
        shot(&c, "prices-export-form-1280x800").await?;

        // Type the path into the field.
        let out = data_dir.join("prices-us.xlsx");
        let field = c.find(Locator::Css("#price-export-path")).await?;
        field.click().await?;
        // Ctrl+A, then type over it.
        field.send_keys("\u{E009}a\u{E000}").await?;
        field.send_keys(&out.display().to_string()).await?;
        let typed = js(&c, "return document.getElementById('price-export-path').value;").await?;
        assert_eq!(typed.as_str(), Some(out.display().to_string().as_str()), "the path field");

        let t0 = Instant::now();
        click(&c, "#price-export-button").await?;
        let mut saw_progress = false;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let state = js(
                &c,
                "return document.getElementById('price-open-file') ? 'done' : document.getElementById('price-progress') ? 'running' : document.querySelector('.error-banner') ? 'error:' + document.querySelector('.error-banner').textContent : 'idle';",
            )
            .await?;
            let s = state.as_str().unwrap_or_default().to_string();
            if s == "done" {
                break;
            }
            assert!(!s.starts_with("error:"), "the export failed: {s}");
            if s == "running" && !saw_progress {
                saw_progress = true;
                let rows = text_of(&c, "#price-rows").await?;
                assert!(rows.contains("rows written"), "{rows}");
            }
            assert!(Instant::now() < deadline, "no Open file after 120 s ({s})");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!(
            "e2e: price list export (US, xlsx) click to Open file: {:.0} ms; progress seen: {saw_progress}",
            t0.elapsed().as_secs_f64() * 1e3
        );

        // The file is there, a valid workbook with rows; the view says where and how many.
        assert!(out.is_file(), "{} was not written", out.display());
        let mut wb: Xlsx<_> = calamine::open_workbook(&out).expect("a valid xlsx");
        let range = wb.worksheet_range("US").expect("a US sheet");
        let data_rows = range.rows().count() - 1;
        assert!(data_rows > 0, "no price rows");
        let shown_path = text_of(&c, "#price-result-path").await?;
        assert_eq!(shown_path, out.display().to_string());
        let result = text_of(&c, "#price-result").await?;
        let digits: String = result
            .split("rows written")
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        assert_eq!(digits.parse::<usize>().ok(), Some(data_rows), "{result}");
        assert!(text_of(&c, "#price-last-export").await?.contains("prices-us.xlsx"));
        assert!(!text_of(&c, "#price-last-snapshot").await?.contains("none yet"));
        wait_css(&c, "#price-show-in-folder", Duration::from_secs(2)).await?;
        shot(&c, "prices-export-done-1280x800").await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "prices-export-done-1024x700").await?;

        // Changes with one snapshot: says so and offers today's fetch.
        click(&c, "#tab-changes").await?;
        wait_css(&c, "#changes-notice", Duration::from_secs(10)).await?;
        let notice = text_of(&c, "#changes-notice").await?;
        assert!(notice.contains("changes appear after tomorrow's"), "{notice}");
        assert!(notice.contains("Fetch today's snapshot"), "{notice}");
        shot(&c, "prices-changes-one-snapshot-1024x700").await?;

        // Yesterday's snapshot in the store: today's with some prices moved, one offer fewer
        // and one more, as a real day would differ.
        let store = Store::open(&data_dir.join("cspdesk.sqlite")).expect("the app's store");
        let snaps = snapshot::list(&store, "US").expect("snapshots");
        let today = snaps[0].day;
        let yesterday = today.pred_opt().expect("a day before");
        let today_rows = snapshot::load(&store, "US", today).expect("today's rows");
        let mut rows = today_rows.clone();
        for (i, r) in rows.iter_mut().enumerate() {
            if r.unit_price > 0.0 && i % 7 == 0 {
                r.unit_price = (r.unit_price * 1.1 * 100.0).round() / 100.0;
            } else if r.unit_price > 0.0 && i % 11 == 0 {
                r.unit_price = (r.unit_price * 0.8 * 100.0).round() / 100.0;
            }
        }
        // A paid row each (zero-price trial markers are not prices, so the diff leaves them out).
        let paid: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].unit_price > 0.0).collect();
        let mut gone = rows[paid[0]].clone();
        rows.remove(paid[paid.len() / 2]);
        gone.product_id = "E2EGONE00001".into();
        gone.product_title = "Withdrawn Offer".into();
        rows.push(gone);
        let sheet = PriceSheet {
            market: "US".into(),
            rows,
            bad_rows: vec![],
        };
        snapshot::save(&store, &sheet, yesterday, snaps[0].fetched_at).expect("yesterday's snapshot");

        // "Fetch today's snapshot" fetches again and shows the changes since yesterday.
        click(&c, "#fetch-snapshot").await?;
        wait_css(&c, "#changes-summary", Duration::from_secs(60)).await?;
        wait_for(
            &c,
            "changes rows",
            "document.querySelectorAll('#changes-table .tr').length",
            Duration::from_secs(10),
            |v| v.as_u64().unwrap_or(0) > 0,
        )
        .await?;
        let before = snapshot::load(&store, "US", yesterday).expect("yesterday");
        let after = snapshot::load(&store, "US", today).expect("today");
        let expected = diff::diff(&before, &after);
        let n = |k: ChangeKind| expected.iter().filter(|c| c.kind == k).count();
        assert!(n(ChangeKind::Increase) > 0 && n(ChangeKind::Decrease) > 0 && n(ChangeKind::New) > 0 && n(ChangeKind::Removed) > 0);
        let counts = js(
            &c,
            "return Array.from(document.querySelectorAll('#changes-summary .kind-chip')).map(b => [b.dataset.kind, Number(b.querySelector('.count').textContent.replace(/\\D/g, ''))]);",
        )
        .await?;
        let shown = |k: &str| {
            counts
                .as_array()
                .and_then(|a| a.iter().find(|p| p[0] == k))
                .and_then(|p| p[1].as_u64())
                .unwrap_or(u64::MAX) as usize
        };
        assert_eq!(shown("increase"), n(ChangeKind::Increase), "increases");
        assert_eq!(shown("decrease"), n(ChangeKind::Decrease), "decreases");
        assert_eq!(shown("new"), n(ChangeKind::New), "new");
        assert_eq!(shown("removed"), n(ChangeKind::Removed), "removed");
        let summary = text_of(&c, "#changes-summary").await?;
        // The count as the UI's English says it: "1,169 changes".
        let digits = expected.len().to_string();
        let mut grouped = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(d);
        }
        assert!(summary.contains(&format!("{grouped} change")), "{summary}");

        // Sort by amount (largest first on the first click): the first row is an increase.
        click(&c, "#panel-changes .th[data-col='amount']").await?;
        let first_kind = js(&c, "return document.querySelector('#changes-table .tr[aria-rowindex=\"2\"]').dataset.kind;").await?;
        assert_eq!(first_kind.as_str(), Some("increase"));
        shot(&c, "prices-changes-1024x700").await?;
        c.set_window_size(1280, 800).await?;
        shot(&c, "prices-changes-1280x800").await?;

        // The marketplace's filters come along as chips and narrow the export.
        js(&c, "Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes('Marketplace')).click();").await?;
        wait_css(&c, "#trial-only", Duration::from_secs(10)).await?;
        click(&c, "#trial-only").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        open_price_lists(&c).await?;
        click(&c, "#tab-export").await?;
        wait_css(&c, "#price-export-path", Duration::from_secs(10)).await?;
        wait_css(&c, "#price-filter-chips [data-chip='trial']", Duration::from_secs(10)).await?;
        let out2 = data_dir.join("prices-us-trials.xlsx");
        let field = c.find(Locator::Css("#price-export-path")).await?;
        field.click().await?;
        field.send_keys("\u{E009}a\u{E000}").await?;
        field.send_keys(&out2.display().to_string()).await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "prices-export-filters-1024x700").await?;
        click(&c, "#price-export-button").await?;
        wait_for(
            &c,
            "the filtered export",
            "document.getElementById('price-result-path')?.textContent ?? ''",
            Duration::from_secs(120),
            |v| v.as_str() == Some(out2.display().to_string().as_str()),
        )
        .await?;
        let mut wb: Xlsx<_> = calamine::open_workbook(&out2).expect("a valid xlsx");
        let trial_rows = wb.worksheet_range("US").expect("a US sheet").rows().count() - 1;
        assert!(trial_rows > 0 && trial_rows < data_rows, "{trial_rows} trial rows of {data_rows}");
        Ok::<_, CmdError>(())
    }
    .await;
    if result.is_err() {
        let _ = shot(&c, "prices-failure").await;
    }
    c.close().await.ok();
    result.expect("price lists e2e");
}
