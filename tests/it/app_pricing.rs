//! The account manager's desk through the desktop's facade (`AppCore`) against the embedded
//! sandbox: margin rules added, refused below cost, shared as a file (a bad file keeps the
//! rules), a customer price list from the Price lists view's export, "Run now" of the daily
//! export recorded as a run by hand, and the impact list before there are two days to compare.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::app::prices::PriceExportRequest;
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use cspdesk_core::pricelist::layout::CustomerList;
use cspdesk_core::pricing::{Rounding, RuleForm, RuleScope};
use cspdesk_core::schedule::{self, ScheduleSettings};
use cspdesk_core::tabular::ExportFormat;

fn core(dir: &Path) -> AppCore {
    AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.to_path_buf()),
        sandbox_offers: Some(150),
        ..Default::default()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_customer_lists_run_now_and_impact_through_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    assert!(core.margin_rules().await.unwrap().is_empty());

    // The form's numbers as typed: the core reads them as the CLI does.
    let rules = core
        .add_margin_rule(RuleForm {
            percent: " 25% ".into(),
            rounding: Rounding::Up99,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rules.len(), 1);
    assert!(rules[0].words.contains("+25%"), "{}", rules[0].words);
    let below = core
        .add_margin_rule(RuleForm {
            percent: "-10".into(),
            scope: RuleScope {
                publisher: Some("Contoso".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(below.to_string().contains("below cost"), "{below}");
    let typo = core
        .add_margin_rule(RuleForm {
            percent: "lots".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        typo.said().map(|m| m["code"].clone()),
        Some("markupNotPercent".into())
    );
    let amount = core
        .add_margin_rule(RuleForm {
            fixed: "1,5".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let fixed = amount
        .iter()
        .find(|r| r.rule.rule.fixed.is_some())
        .expect("the amount's rule");
    assert_eq!(
        fixed.rule.rule.fixed,
        Some(1.5),
        "a decimal comma is read as a point"
    );
    core.remove_margin_rule(fixed.rule.id).await.unwrap();
    assert_eq!(core.margin_rules().await.unwrap().len(), 1);

    // Shared as a file; a bad file names its line and keeps the rules.
    let file = dir.path().join("rules.toml");
    core.export_margin_rules(&file.display().to_string())
        .await
        .unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().contains("25%"));
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rule]]\nmarkup = \"20%\"\n\n[[rule]]\nmarkup = \"lots\"\n",
    )
    .unwrap();
    let err = core
        .import_margin_rules(&bad.display().to_string())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("line"), "{err}");
    assert_eq!(
        core.margin_rules().await.unwrap().len(),
        1,
        "kept as they were"
    );

    // The Price lists view's "Customer price list…": the sell price, a header block.
    let out = dir.path().join("customer.xlsx");
    let done = core
        .export_prices(
            PriceExportRequest {
                export_id: "c1".into(),
                markets: vec!["GB".into()],
                format: ExportFormat::Xlsx,
                bom: false,
                path: out.display().to_string(),
                filter: Default::default(),
                customer: Some(CustomerList {
                    customer: "Fabrikam".into(),
                    partner: "Contoso Partners".into(),
                    valid_days: 14,
                    internal: false,
                }),
            },
            |_| {},
        )
        .await
        .unwrap();
    assert!(done.rows > 0);
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range("GB").unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(cells[0][3], Data::String("for Fabrikam".into()));
    assert_eq!(cells[1][3], Data::String("Contoso Partners".into()));
    let top = cells
        .iter()
        .position(|r| r[0] == Data::String("Market".into()))
        .unwrap();
    assert!(!cells[top].contains(&Data::String("ERP price".into())));
    let price = cells[top]
        .iter()
        .position(|c| *c == Data::String("Unit price".into()))
        .unwrap();
    let trial = cells[top]
        .iter()
        .position(|c| *c == Data::String("Free trial".into()))
        .unwrap();
    for r in &cells[top + 1..] {
        if let (Data::Float(p), Data::String(t)) = (&r[price], &r[trial]) {
            if t != "Trial" {
                let cents = (p * 100.0).round() as i64;
                assert_eq!(cents % 100, 99, "+25 % rounded up to .99: {r:?}");
            }
        }
    }

    // "Run now" of the daily export: its files, and a run by hand in the history.
    let daily = dir.path().join("daily");
    let store = &core.connection().await.unwrap().store;
    schedule::save(
        store,
        &schedule::check(&ScheduleSettings {
            at: "06:30".into(),
            markets: vec!["GB".into()],
            formats: vec![ExportFormat::Csv],
            dir: daily.display().to_string(),
            customer_prices: true,
            customer_list: CustomerList {
                customer: "Fabrikam".into(),
                ..Default::default()
            },
            keep_days: 7,
        })
        .unwrap(),
        chrono::Utc::now(),
    )
    .unwrap();
    let ran = core.run_schedule_now().await.unwrap();
    assert_eq!(
        ran.files.len(),
        2,
        "the price list and the customer's: {ran:?}"
    );
    assert!(ran.files.iter().any(|f| f.contains("customer-prices-GB-")));
    for f in &ran.files {
        assert!(Path::new(f).is_file(), "{f}");
        core.written_file(f).await.expect("the app may open it");
    }
    let status = core.schedule_status().await.unwrap();
    assert_eq!(status.runs.len(), 1);
    assert!(status.runs[0].ok && status.runs[0].manual);
    assert_eq!(status.runs[0].rows, ran.rows);

    // One day of snapshots: nothing to compare yet, said per market.
    let impact = core.price_impact(&["GB".into()], None).await.unwrap();
    assert!(impact.rows.is_empty());
    assert_eq!(impact.skipped.len(), 1);
    assert_eq!(impact.skipped[0].market, "GB", "{:?}", impact.skipped);
    assert!(
        impact.skipped[0].to_string().starts_with("GB: "),
        "{:?}",
        impact.skipped
    );
}
