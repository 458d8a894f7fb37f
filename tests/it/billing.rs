//! Invoices against the sandbox: line items across pages, filters, trial lines, export read back.

use crate::support::common;

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::billing::{self, LineFilter};
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::pricelist::export::ExportFormat;

#[tokio::test(flavor = "multi_thread")]
async fn line_items_span_pages_and_export_reads_back() {
    let sb = common::sandbox().await;
    let (conn, dir) = common::connection(&sb).await;
    let invoices = billing::invoices(&conn.client).await.unwrap();
    assert!(invoices.len() >= 6, "a year of monthly invoices");
    let newest = &invoices[0];
    let period = billing::period_of_invoice(newest).unwrap();
    assert_eq!(
        newest.invoice_date.unwrap().date_naive(),
        period.invoice_available
    );

    // Pick the invoice with the most lines and read it 10 lines a page.
    let mut best = (String::new(), 0usize);
    for inv in &invoices {
        let n = billing::line_items(&conn.client, &inv.id, &LineFilter::default())
            .await
            .unwrap()
            .len();
        if n > best.1 {
            best = (inv.id.clone(), n);
        }
    }
    let pages: Vec<Vec<_>> = futures::TryStreamExt::try_collect(paging::pages(
        conn.client.clone(),
        api::invoice_line_items(&best.0, 10),
    ))
    .await
    .unwrap();
    assert!(
        pages.len() >= 3,
        "{} lines in {} pages",
        best.1,
        pages.len()
    );
    assert_eq!(pages.iter().map(Vec::len).sum::<usize>(), best.1);

    let lines = billing::line_items(&conn.client, &best.0, &LineFilter::default())
        .await
        .unwrap();
    let publisher = lines[0].publisher_name.clone();
    let by_pub = billing::line_items(
        &conn.client,
        &best.0,
        &LineFilter {
            publisher: Some(publisher.to_uppercase()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(!by_pub.is_empty() && by_pub.len() <= lines.len());
    assert!(by_pub.iter().all(|l| l.publisher_name == publisher));

    let out = dir.path().join("inv.xlsx");
    assert_eq!(
        billing::export_lines(&out, ExportFormat::Xlsx, &best.0, &lines).unwrap() as usize,
        lines.len()
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range(&best.0).unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), lines.len() + 1);
    assert_eq!(rows[0][0], Data::String("Invoice".into()));
    assert!(
        matches!(rows[1][11], Data::DateTime(_)),
        "{:?}",
        rows[1][11]
    );
    let csv_out = dir.path().join("inv.csv");
    billing::export_lines(&csv_out, ExportFormat::Csv, &best.0, &lines).unwrap();
    assert_eq!(
        csv::Reader::from_path(&csv_out).unwrap().records().count(),
        lines.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn trial_lines_at_zero_are_marked_and_the_current_period_is_unbilled() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let mut trials = 0;
    for inv in billing::invoices(&conn.client).await.unwrap() {
        for l in billing::line_items(&conn.client, &inv.id, &LineFilter::default())
            .await
            .unwrap()
        {
            if l.is_trial() {
                trials += 1;
                assert_eq!(l.unit_price.unwrap_or(0.0), 0.0, "{l:?}");
            }
        }
    }
    assert!(trials > 0, "the sandbox bills some free trials");
    let unbilled = billing::line_items(&conn.client, "unbilled", &LineFilter::default())
        .await
        .unwrap();
    let current = billing::period_of(sb.clock().now().date_naive());
    assert!(unbilled.iter().all(|l| l
        .charge_start_date
        .is_none_or(|d| d.date_naive() >= current.start)));
}
