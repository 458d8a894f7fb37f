//! Invoice lines through Microsoft Graph's billing reconciliation export (reference §13),
//! against the sandbox: route choice, the export → poll → manifest → gzip files flow, the local
//! copy of billed lines, and every way it can go wrong (a legacy refusal, a failed or endless
//! export, a damaged file, a refused or expired SAS token, throttling, a missing permission).

use crate::support::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cspdesk_core::billing::{self, Route};
use cspdesk_core::partner_center::graph::{ExportOptions, ExportProgress};
use cspdesk_core::partner_center::models::InvoiceLineItem;
use cspdesk_core::partner_center::{api, paging, Client};
use cspdesk_core::Error;
use cspdesk_sandbox::{GraphExportOptions, Sandbox};

async fn v1(client: &Client, id: &str) -> Vec<InvoiceLineItem> {
    paging::collect_all(client, api::invoice_line_items(id, 2000))
        .await
        .unwrap()
}

/// What a person reconciles on: who, which subscription, what charge, how much.
fn key(l: &InvoiceLineItem) -> (String, String, String, String, i64) {
    (
        l.customer_id.clone(),
        l.subscription_id.clone(),
        l.charge_type.clone(),
        l.charge_start_date
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        (l.total_for_customer.unwrap_or(f64::NAN) * 100.0).round() as i64,
    )
}

fn keys(lines: &[InvoiceLineItem]) -> Vec<(String, String, String, String, i64)> {
    let mut k: Vec<_> = lines.iter().map(key).collect();
    k.sort();
    k
}

/// The billed invoice with the most lines (v1 and v2 serve the same rows in the sandbox).
async fn fullest(client: &Client) -> (String, Vec<InvoiceLineItem>) {
    let mut best = (String::new(), vec![]);
    for inv in billing::invoices(client).await.unwrap() {
        let lines = v1(client, &inv.id).await;
        if lines.len() > best.1.len() {
            best = (inv.id.clone(), lines);
        }
    }
    assert!(best.1.len() >= 10, "{} lines", best.1.len());
    best
}

fn quick() -> ExportOptions {
    ExportOptions {
        timeout: Duration::from_secs(60),
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_secs(2),
    }
}

fn small_files(sb: &Sandbox) {
    sb.set_graph_exports(GraphExportOptions {
        lines_per_file: 4,
        ..Default::default()
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn billed_lines_come_from_graph_with_progress_and_are_kept_locally() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, from_v1) = fullest(&conn.client).await;
    small_files(&sb);

    let heard = Arc::new(Mutex::new(Vec::<ExportProgress>::new()));
    let h = heard.clone();
    let got = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &move |p| {
        h.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    assert_eq!(got.route, Route::Graph);
    assert!(!got.cached);
    assert_eq!(
        keys(&got.lines),
        keys(&from_v1),
        "v2 and v1 agree line for line"
    );
    assert!(got.lines.iter().all(|l| l.invoice_number == id));
    // The v2-only attributes are kept, not dropped.
    assert!(got
        .lines
        .iter()
        .all(|l| l.extra.contains_key("productCategory")));

    let heard = heard.lock().unwrap().clone();
    assert!(matches!(&heard[0], ExportProgress::Started { what } if what.contains(&id)));
    let waits: Vec<&str> = heard
        .iter()
        .filter_map(|p| match p {
            ExportProgress::Waiting { status, .. } => Some(status.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(waits, ["notStarted", "running"], "{heard:?}");
    let files = heard
        .iter()
        .filter(|p| matches!(p, ExportProgress::Downloading { .. }))
        .count();
    assert_eq!(files, from_v1.len().div_ceil(4), "one step a file");
    assert_eq!(
        heard.last(),
        Some(&ExportProgress::Done {
            lines: from_v1.len()
        })
    );
    let downloads = sb.graph_downloads();
    assert_eq!(downloads as usize, files);

    // A billed invoice never changes: the second read is local, with no export.
    let again = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert!(again.cached);
    assert_eq!(again.route, Route::Graph);
    assert_eq!(keys(&again.lines), keys(&from_v1));
    assert_eq!(sb.graph_downloads(), downloads);
}

#[tokio::test(flavor = "multi_thread")]
async fn unbilled_is_exported_in_the_partners_billing_currency() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    assert_eq!(
        billing::billing_currency(&conn.client).await.unwrap(),
        "USD"
    );
    let got = billing::fetch_lines(&conn.client, None, "unbilled", &quick(), &|_| {})
        .await
        .unwrap();
    assert_eq!(got.route, Route::Graph);
    let v1: Vec<InvoiceLineItem> = paging::collect_all(
        &conn.client,
        api::unbilled_line_items("USD", "current", 2000),
    )
    .await
    .unwrap();
    assert_eq!(keys(&got.lines), keys(&v1));
    let last = billing::fetch_lines(&conn.client, None, "unbilled-last", &quick(), &|_| {})
        .await
        .unwrap();
    let v1_last: Vec<InvoiceLineItem> = paging::collect_all(
        &conn.client,
        api::unbilled_line_items("USD", "previous", 2000),
    )
    .await
    .unwrap();
    assert_eq!(keys(&last.lines), keys(&v1_last));
}

#[test]
fn the_route_follows_the_billing_period() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
    assert_eq!(billing::route_for(d(2025, 3, 31)), Route::PartnerCenterV1);
    assert_eq!(billing::route_for(d(2024, 1, 31)), Route::PartnerCenterV1);
    assert_eq!(billing::route_for(d(2025, 4, 30)), Route::Graph);
    assert_eq!(billing::route_for(None), Route::Graph);
    assert_eq!(billing::unbilled_period("Unbilled"), Some("current"));
    assert_eq!(billing::unbilled_period("unbilled-last"), Some("last"));
    assert_eq!(billing::unbilled_period("G000123"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_legacy_refusal_falls_back_to_v1_and_other_failures_keep_graphs_words() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, from_v1) = fullest(&conn.client).await;
    sb.set_graph_exports(GraphExportOptions {
        fail: Some((
            "5000".into(),
            format!("No reconciliation data available currently for Invoice {id}. Please try again later."),
        )),
        ..Default::default()
    });
    let got = billing::fetch_lines(&conn.client, None, &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert_eq!(got.route, Route::LegacyV1);
    assert_eq!(keys(&got.lines), keys(&from_v1));

    sb.set_graph_exports(GraphExportOptions {
        fail: Some(("7001".into(), "The export service is unavailable".into())),
        ..Default::default()
    });
    let e = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("7001"), "{e}");
    let t = e.to_string();
    assert!(
        t.contains("The export service is unavailable") && t.contains("Try again"),
        "{t}"
    );
    // Nothing was kept: a healthy Graph now answers in full.
    sb.set_graph_exports(GraphExportOptions::default());
    let got = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert!(!got.cached);
    assert_eq!(got.lines.len(), from_v1.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_that_never_finishes_times_out_saying_what_to_do() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, _) = fullest(&conn.client).await;
    sb.set_graph_exports(GraphExportOptions {
        never_finish: true,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let e = billing::fetch_lines(
        &conn.client,
        None,
        &id,
        &ExportOptions {
            timeout: Duration::from_secs(3),
            ..quick()
        },
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let t = e.to_string();
    assert!(matches!(e, Error::Refused { .. }), "{e:?}");
    assert!(
        t.contains("had not finished") && t.contains(&id) && t.contains("Try again later"),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_file_is_fetched_once_more_then_reported_with_nothing_kept() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, from_v1) = fullest(&conn.client).await;
    // One damaged download: fetched again, and the invoice reads in full.
    sb.set_graph_exports(GraphExportOptions {
        lines_per_file: 10_000,
        corrupt_downloads: 1,
        ..Default::default()
    });
    let got = billing::fetch_lines(&conn.client, None, &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert_eq!(keys(&got.lines), keys(&from_v1));
    assert_eq!(sb.graph_downloads(), 2);

    // Damaged twice: reported, naming the file, and no line is kept anywhere.
    sb.set_graph_exports(GraphExportOptions {
        lines_per_file: 10_000,
        corrupt_downloads: 2,
        ..Default::default()
    });
    let e = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &|_| {})
        .await
        .unwrap_err();
    let t = e.to_string();
    assert!(
        t.contains("gzip check") && t.contains(".json.gz") && t.contains("no line of it was kept"),
        "{t}"
    );
    assert_eq!(sb.graph_downloads(), 4);
    let got = billing::fetch_lines(&conn.client, Some(&conn.store), &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert!(!got.cached, "the failed read left nothing in the store");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_or_wrong_sas_token_is_refused_and_never_shown() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, _) = fullest(&conn.client).await;
    // The link has expired by the time the files are fetched.
    sb.set_graph_exports(GraphExportOptions {
        sas_lifetime: chrono::Duration::zero(),
        ..Default::default()
    });
    let e = billing::fetch_lines(&conn.client, None, &id, &quick(), &|_| {})
        .await
        .unwrap_err();
    let t = e.to_string();
    assert_eq!(e.status(), Some(403), "{e:?}");
    assert!(
        t.contains("AuthenticationFailed") && t.contains("new export"),
        "{t}"
    );
    assert!(!t.contains("sig=") && !t.contains("?s"), "{t}");
    assert!(!format!("{e:?}").contains("sig="), "{e:?}");

    // A tampered token: the sandbox's Blob Storage answers 403 too.
    sb.set_graph_exports(GraphExportOptions::default());
    let http = reqwest::Client::new();
    let m = manifest_for(&conn.client, &id).await;
    let good = m.blob_url(&m.blobs[0]).unwrap();
    assert_eq!(http.get(good.clone()).send().await.unwrap().status(), 200);
    let mut bad = good.clone();
    let q = good.query().unwrap().replace("sig=", "sig=x");
    bad.set_query(Some(&q));
    assert_eq!(http.get(bad).send().await.unwrap().status(), 403);
    let mut none = good.clone();
    none.set_query(None);
    assert_eq!(http.get(none).send().await.unwrap().status(), 403);
    sb.clock().advance(chrono::Duration::hours(13));
    assert_eq!(http.get(good).send().await.unwrap().status(), 403);
}

/// Drives the documented flow by hand: POST → 202 Location → poll → manifest.
async fn manifest_for(client: &Client, id: &str) -> cspdesk_core::partner_center::graph::Manifest {
    use cspdesk_core::partner_center::graph::{self, Operation, OperationState};
    use cspdesk_core::partner_center::{Host, Request};
    let raw = client
        .execute_raw(&graph::billed_export(id).unwrap())
        .await
        .unwrap();
    assert_eq!(raw.status, 202);
    let location = raw.headers["location"].to_str().unwrap().to_string();
    let path = url::Url::parse(&location).unwrap().path().to_string();
    loop {
        let op: Operation = client
            .execute(&Request::<Operation>::get(Host::Graph, path.clone()))
            .await
            .unwrap();
        match op.state() {
            OperationState::Succeeded(link) => {
                let path = url::Url::parse(&link).unwrap().path().to_string();
                return client
                    .execute(&Request::get(Host::Graph, path))
                    .await
                    .unwrap();
            }
            OperationState::Failed { code, message } => panic!("{code}: {message}"),
            OperationState::Pending(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_sat_out_as_retry_after_says() {
    let sb = common::sandbox_with(300, "429-every=3").await;
    let client = common::client(&sb);
    let (id, from_v1) = {
        let _quiet = ();
        let mut best = (String::new(), vec![]);
        for inv in billing::invoices(&client).await.unwrap() {
            let l = v1(&client, &inv.id).await;
            if l.len() > best.1.len() {
                best = (inv.id.clone(), l);
            }
        }
        best
    };
    small_files(&sb);
    let got = billing::fetch_lines(&client, None, &id, &quick(), &|_| {})
        .await
        .unwrap();
    assert_eq!(keys(&got.lines), keys(&from_v1));
    assert!(client.stats().throttled > 0, "{:?}", client.stats());
    assert!(sb.stats().throttled > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_permission_is_named_with_the_request_id() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (id, _) = fullest(&conn.client).await;
    sb.set_graph_exports(GraphExportOptions {
        refused: true,
        ..Default::default()
    });
    let e = billing::fetch_lines(&conn.client, None, &id, &quick(), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));
    let t = e.to_string();
    assert!(
        t.contains("Insufficient privileges") && t.contains("PartnerBilling.Read.All"),
        "{t}"
    );
    assert!(e.request_id().is_some(), "{e:?}");
    assert!(t.contains("request id"), "{t}");
}
