//! Price changes that touch customers (issue 20): snapshots of several days from a sandbox
//! whose prices drift and whose plans come and go, matched against the customers' real
//! subscriptions. The expected pairs are worked out here from the subscriptions and the day's
//! changes as the client reads them; the list must hold exactly those, removed plans first,
//! then by renewal. The written file is read back.

use std::collections::BTreeSet;

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::orders::{self, PurchaseRequest};
use cspdesk_core::partner_center::models::SubscriptionStatus;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::pricelist::{self, diff::ChangeKind, impact};
use cspdesk_core::tabular::{self, ExportFormat};

use crate::support::common;

#[tokio::test(flavor = "multi_thread")]
async fn the_customers_a_price_change_touches_are_listed_by_renewal_removed_plans_first() {
    let sb = common::sandbox_with(800, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let mut customers = vec![];
    for c in cspdesk_core::customers::list(&conn.client, None)
        .await
        .unwrap()
    {
        customers.push(conn.client.execute(&api::customer(&c.id)).await.unwrap());
    }
    let markets: Vec<String> = customers
        .iter()
        .filter_map(|c| c.billing_country().map(str::to_ascii_uppercase))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(!markets.is_empty(), "sandbox customers have countries");

    // Nothing to compare before a second day.
    let day1 = sb.clock().now().date_naive();
    for m in &markets {
        pricelist::fetch_snapshot(&conn, m, false, Some(day1))
            .await
            .unwrap();
    }
    let first = impact::impact(&conn, &markets, None).await.unwrap();
    assert!(first.rows.is_empty() && first.spans.is_empty());
    assert_eq!(first.skipped.len(), markets.len(), "{:?}", first.skipped);

    // Days pass until a plan sold in a customer's market is withdrawn (the sandbox lists one
    // product in a hundred only on some days), while other prices move.
    let t1 = sb.clock().now();
    let mut withdrawn = None;
    let mut days = 0;
    while withdrawn.is_none() && days < 30 {
        days += 1;
        sb.clock().advance(chrono::Duration::days(1));
        let day = day1 + chrono::Duration::days(days);
        for m in &markets {
            pricelist::fetch_snapshot(&conn, m, false, Some(day))
                .await
                .unwrap();
            let changes = pricelist::changes(&conn, m, Some(day1), Some(day))
                .unwrap()
                .changes;
            let buyer = customers.iter().find(|c| {
                c.billing_country()
                    .is_some_and(|b| b.eq_ignore_ascii_case(m))
            });
            let gone = changes.iter().find(|c| {
                c.kind == ChangeKind::Removed && !c.term.is_empty() && !c.billing_plan.is_empty()
            });
            if let (Some(buyer), Some(gone)) = (buyer, gone) {
                withdrawn = Some((buyer.id.clone(), gone.clone()));
                break;
            }
        }
    }
    let (buyer, gone) = withdrawn.expect("a plan is withdrawn within 30 days");
    let later = sb.clock().now();

    // A customer bought that plan on the first day, and still holds it.
    sb.clock().set(t1);
    let review = orders::review(
        &conn,
        &PurchaseRequest {
            customer_id: buyer.clone(),
            product_id: gone.product_id.clone(),
            sku_id: gone.sku_id.clone(),
            availability_id: None,
            quantity: None,
            term: Some(gone.term.clone()),
            billing: Some(
                serde_json::from_value(serde_json::json!(gone.billing_plan.to_lowercase()))
                    .unwrap(),
            ),
            trial: false,
        },
    )
    .await
    .unwrap();
    let bought = orders::place(&conn, &review).await.unwrap();
    sb.clock().set(later);

    // Days pass until prices that customers pay have moved too (the withdrawn plan stays
    // withdrawn on most days).
    let mut report = None;
    for _ in 0..30 {
        let r = impact::impact(&conn, &markets, Some(days as u32))
            .await
            .unwrap();
        let ours = r.rows.iter().any(|r| {
            r.customer_id == buyer
                && r.change.product_id == gone.product_id
                && r.change.sku_id == gone.sku_id
                && r.change.kind == ChangeKind::Removed
        });
        if ours && r.rows.iter().any(|r| r.change.kind != ChangeKind::Removed) {
            report = Some(r);
            break;
        }
        days += 1;
        sb.clock().advance(chrono::Duration::days(1));
        for m in &markets {
            let day = day1 + chrono::Duration::days(days);
            pricelist::fetch_snapshot(&conn, m, false, Some(day))
                .await
                .unwrap();
        }
    }
    let report = report.unwrap_or_else(|| {
        panic!("within 30 days the withdrawn plan bought ({bought:?}) is flagged, and a price customers pay moves")
    });
    assert!(
        report.spans.iter().all(|s| s.from == day1),
        "{:?}",
        report.spans
    );
    assert_eq!(
        report.rows[0].change.kind,
        ChangeKind::Removed,
        "removed plans first"
    );

    // What it should hold, from the subscriptions and the changes.
    let mut expected = BTreeSet::new();
    for c in &customers {
        let country = c.billing_country().unwrap_or_default().to_ascii_uppercase();
        let subs = paging::collect_all(&conn.client, api::subscriptions(&c.id))
            .await
            .unwrap();
        for span in &report.spans {
            if country != span.market {
                continue;
            }
            let changes = pricelist::changes(&conn, &span.market, Some(span.from), Some(span.to))
                .unwrap()
                .changes;
            for s in &subs {
                let live = matches!(
                    s.status,
                    SubscriptionStatus::Active
                        | SubscriptionStatus::Pending
                        | SubscriptionStatus::Suspended
                );
                let mut ids = s.offer_id.split(':');
                let (product, sku) = (ids.next().unwrap(), ids.next().unwrap_or_default());
                for ch in &changes {
                    if live
                        && ch.product_id == product
                        && ch.sku_id == sku
                        && ch.term == s.term_duration
                        && ch
                            .billing_plan
                            .eq_ignore_ascii_case(s.billing_cycle.as_str())
                    {
                        expected.insert((s.id.clone(), ch.term.clone(), ch.kind));
                    }
                }
            }
        }
    }
    let got: BTreeSet<_> = report
        .rows
        .iter()
        .map(|r| {
            (
                r.subscription_id.clone(),
                r.change.term.clone(),
                r.change.kind,
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), report.rows.len(), "each pair once");

    // Removed plans first, then the soonest renewal.
    let removed = report
        .rows
        .iter()
        .take_while(|r| r.change.kind == ChangeKind::Removed)
        .count();
    assert!(report.rows[removed..]
        .iter()
        .all(|r| r.change.kind != ChangeKind::Removed));
    for part in [&report.rows[..removed], &report.rows[removed..]] {
        let renewals: Vec<_> = part.iter().filter_map(|r| r.renewal).collect();
        assert!(renewals.windows(2).all(|w| w[0] <= w[1]), "{renewals:?}");
    }
    for r in report
        .rows
        .iter()
        .filter(|r| r.change.kind != ChangeKind::New)
    {
        assert!(r.change.old_price.is_some(), "{r:?}");
    }

    // Written and read back.
    let out = dir.path().join("impact.xlsx");
    tabular::write(&out, ExportFormat::Xlsx, &[impact::table(&report.rows)]).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range("Impact").unwrap();
    assert_eq!(range.height(), report.rows.len() + 1);
    let first_row: Vec<Data> = range.rows().nth(1).unwrap().to_vec();
    assert_eq!(
        first_row[1],
        Data::String(report.rows[0].customer_name.clone())
    );
    assert_eq!(first_row[9], Data::String("Removed".into()));
}
