//! The account manager's desk (issue 20) in the real window: a margin rule added in the Pricing
//! tab and listed in words; a customer price list exported from the Export tab and read back
//! (header block, sell prices up to .99, no ERP column); the daily export's "Run now" recorded
//! in its runs; the Customers touched tab before there are two days to compare, then with
//! yesterday's prices a tenth lower (every held plan went up, with the tab's badge). Screenshots of
//! each at 1280×800 and 1024×700, in the light theme and again in the dark one
//! (`GTK_THEME=Adwaita:dark`, checked through `prefers-color-scheme`).

use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::pricelist::layout::CustomerList;
use cspdesk_core::pricelist::sheet::PriceSheet;
use cspdesk_core::pricelist::snapshot;
use cspdesk_core::schedule::{self, ScheduleSettings};
use cspdesk_core::store::Store;
use cspdesk_core::tabular::ExportFormat;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::common::*;

async fn js(c: &Client, script: &str) -> Result<Value, CmdError> {
    c.execute(script, vec![]).await
}

async fn tab(c: &Client, id: &str) -> Result<(), CmdError> {
    click(c, &format!("#tab-{id}")).await?;
    wait_css(
        c,
        &format!("[aria-labelledby='tab-{id}'], #panel-{id}"),
        Duration::from_secs(10),
    )
    .await
}

async fn both_sizes(c: &Client, name: &str, theme: &str) -> Result<(), CmdError> {
    c.set_window_size(1280, 800).await?;
    shot(c, &format!("desk-{name}-{theme}-1280x800")).await?;
    c.set_window_size(1024, 700).await?;
    shot(c, &format!("desk-{name}-{theme}-1024x700")).await?;
    c.set_window_size(1280, 800).await
}

async fn desk(theme: &str) {
    let env: &[(&str, &str)] = if theme == "dark" {
        &[("GTK_THEME", "Adwaita:dark")]
    } else {
        &[]
    };
    let (_driver, data_dir) = start_driver_with(&format!("e2e-desk-{theme}"), None, env);
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        wait_first_rows(&c).await?;
        let dark = js(&c, "return matchMedia('(prefers-color-scheme: dark)').matches;").await?;
        eprintln!("e2e: desk theme {theme}: prefers-color-scheme dark = {dark}");
        js(&c, "Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes('Price lists')).click();").await?;
        wait_css(&c, "#tab-pricing", Duration::from_secs(10)).await?;

        // Pricing: +20 %, up to .99, for everything.
        tab(&c, "pricing").await?;
        let percent = c.find(Locator::Css(".rule-form input")).await?;
        percent.send_keys("20").await?;
        // The rounding: the second select of the form, its option picked as a person would.
        let selects = c.find_all(Locator::Css(".rule-form select")).await?;
        selects[1].select_by_value("up99").await?;
        click(&c, ".rule-form button[type='submit']").await?;
        wait_for(&c, "the rule in words", "document.querySelector('.rules-table tbody')?.textContent ?? ''", Duration::from_secs(10), |v| {
            v.as_str().is_some_and(|t| t.contains("+20%"))
        })
        .await?;
        both_sizes(&c, "pricing", theme).await?;

        // A customer's price list from the Export tab.
        tab(&c, "export").await?;
        click(&c, "#for-customer").await?;
        c.find(Locator::Id("price-customer")).await?.send_keys("Fabrikam Ltd").await?;
        c.find(Locator::Id("price-partner")).await?.send_keys("Contoso Partners").await?;
        let out = data_dir.join(format!("fabrikam-{theme}.xlsx"));
        let field = c.find(Locator::Css("#price-export-path")).await?;
        field.click().await?;
        field.send_keys("\u{E009}a\u{E000}").await?;
        field.send_keys(&out.display().to_string()).await?;
        both_sizes(&c, "customer-export", theme).await?;
        click(&c, "#price-export-button").await?;
        wait_for(&c, "the customer's file", "document.getElementById('price-result-path')?.textContent ?? ''", Duration::from_secs(120), |v| {
            v.as_str() == Some(out.display().to_string().as_str())
        })
        .await?;
        let mut wb: Xlsx<_> = calamine::open_workbook(&out).expect("a valid xlsx");
        let cells: Vec<Vec<Data>> = wb.worksheet_range("US").expect("a US sheet").rows().map(<[Data]>::to_vec).collect();
        assert_eq!(cells[0][3], Data::String("for Fabrikam Ltd".into()));
        assert_eq!(cells[1][3], Data::String("Contoso Partners".into()));
        let top = cells.iter().position(|r| r[0] == Data::String("Market".into())).expect("a header row");
        assert!(!cells[top].contains(&Data::String("ERP price".into())), "no ERP column for the customer");

        // The daily export, set in the store (registering it would touch this machine's
        // crontab), then "Run now" in the window: a run by hand, done, with its file.
        let store = Store::open(&data_dir.join("cspdesk.sqlite")).expect("the app's store");
        let settings = schedule::check(&ScheduleSettings {
            at: "06:30".into(),
            markets: vec!["US".into()],
            formats: vec![ExportFormat::Csv],
            dir: data_dir.join("daily").display().to_string(),
            customer_prices: false,
            customer_list: CustomerList::default(),
            keep_days: 30,
        })
        .expect("settings");
        schedule::save(&store, &settings, chrono::Utc::now()).expect("saved");
        tab(&c, "schedule").await?;
        js(&c, "Array.from(document.querySelectorAll('.schedule-form button')).find(b => b.textContent === 'Run now').click();").await?;
        wait_for(&c, "the run by hand", "document.querySelector('.runs-table tbody')?.textContent ?? ''", Duration::from_secs(120), |v| {
            v.as_str().is_some_and(|t| t.contains("By hand") && t.contains("Done"))
        })
        .await?;
        both_sizes(&c, "schedule", theme).await?;

        // Customers touched: one day of snapshots, nothing to compare yet.
        tab(&c, "impact").await?;
        wait_for(&c, "nothing to compare", "document.querySelector('#panel-impact')?.textContent ?? ''", Duration::from_secs(30), |v| {
            v.as_str().is_some_and(|t| t.contains("Nothing to compare yet"))
        })
        .await?;
        // Yesterday every paid price was a tenth lower: each plan a US customer holds went up.
        let snaps = snapshot::list(&store, "US").expect("snapshots");
        let today = snaps[0].day;
        let mut rows = snapshot::load(&store, "US", today).expect("today's rows");
        for r in rows.iter_mut().filter(|r| r.unit_price > 0.0) {
            r.unit_price = (r.unit_price * 0.9 * 100.0).round() / 100.0;
        }
        let sheet = PriceSheet { market: "US".into(), rows, bad_rows: vec![] };
        snapshot::save(&store, &sheet, today.pred_opt().expect("a day before"), snaps[0].fetched_at).expect("yesterday's snapshot");
        tab(&c, "export").await?;
        tab(&c, "impact").await?;
        wait_for(&c, "touched subscriptions", "document.querySelectorAll('#impact-table .tr .td.num').length", Duration::from_secs(60), |v| {
            v.as_u64().unwrap_or(0) > 0
        })
        .await?;
        let first = text_of(&c, "#impact-table .tr[aria-rowindex=\"2\"]").await?;
        assert!(first.contains("Price up"), "{first}");
        let badge = text_of(&c, "#tab-impact .badge").await?;
        assert!(badge.trim().parse::<u32>().is_ok_and(|n| n > 0), "the tab's badge: {badge}");
        both_sizes(&c, "impact", theme).await?;
        Ok::<_, CmdError>(())
    }
    .await;
    if result.is_err() {
        let _ = shot(&c, &format!("desk-{theme}-failure")).await;
    }
    c.close().await.ok();
    result.expect("the desk e2e");
}

#[tokio::test]
async fn desk_light() {
    if enabled() {
        desk("light").await;
    }
}

#[tokio::test]
async fn desk_dark() {
    if enabled() {
        desk("dark").await;
    }
}
