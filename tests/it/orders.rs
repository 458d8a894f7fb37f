//! Buying marketplace SaaS against the sandbox: the happy path to an activated subscription, every
//! refusal, and exactly-once under dropped connections, throttling and a crash.

use crate::support::common;

use std::process::Command;

use cspdesk_core::orders::{self, journal::JournalState, PurchaseRequest};
use cspdesk_core::partner_center::models::SubscriptionStatus;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::Error;

fn request(b: &common::Buyable) -> PurchaseRequest {
    PurchaseRequest {
        customer_id: b.customer.id.clone(),
        product_id: b.product.id.clone(),
        sku_id: b.sku.id.clone(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn happy_path_to_an_activated_subscription() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, false).await;
    let review = orders::review(&conn, &request(&b)).await.unwrap();
    assert_eq!(review.country, b.country);
    assert!(!review.chosen.trial);
    assert!(review.options.iter().all(|o| b
        .availability
        .terms
        .iter()
        .any(|t| t.duration == o.term_duration)));
    assert!(
        review.chosen.cancellation.hours == 24 || review.chosen.cancellation.hours == 336,
        "{:?}",
        review.chosen.cancellation
    );
    let price = review.price.clone().expect("price from the price list");
    assert!(price.unit_price > 0.0);

    let c = orders::place(&conn, &review).await.unwrap();
    assert_eq!(c.order.status.as_str(), "pending");
    assert_eq!(c.order.line_items.len(), 1);
    assert_eq!(c.order.line_items[0].offer_id, review.catalog_item_id);
    assert_eq!(c.journal.state, JournalState::Placed);
    let link = c.activation_link.clone().expect("activation link");
    assert!(link.uri.contains("token="), "{}", link.uri);
    assert!(c.cancellation_allowed_until.is_some());
    let sub = c.subscription.clone().expect("subscription");
    assert_eq!(sub.status, SubscriptionStatus::Pending);

    // The publisher's landing page activates it.
    common::activate_via_landing_page(&link.uri).await;
    let after = conn
        .client
        .execute(&api::subscription(&b.customer.id, &sub.id))
        .await
        .unwrap();
    assert_eq!(after.status, SubscriptionStatus::Active);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_country_the_offer_is_not_sold_in_is_named() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let client = &conn.client;
    let customers = paging::collect_all(client, api::customers(100, None))
        .await
        .unwrap();
    for c in customers {
        let full = cspdesk_core::customers::get(client, &c.id).await.unwrap();
        let country = full.billing_country().unwrap().to_string();
        let here: std::collections::HashSet<String> =
            paging::collect_all(client, api::products(&country, "OnlineServices"))
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect();
        let other = if country == "US" { "GB" } else { "US" };
        let elsewhere = paging::collect_all(client, api::products(other, "OnlineServices"))
            .await
            .unwrap();
        let Some(p) = elsewhere
            .iter()
            .find(|p| p.is_saas() && !here.contains(&p.id))
        else {
            continue;
        };
        let skus = paging::collect_all(client, api::skus(&p.id, other))
            .await
            .unwrap();
        let req = PurchaseRequest {
            customer_id: c.id.clone(),
            product_id: p.id.clone(),
            sku_id: skus[0].id.clone(),
            ..Default::default()
        };
        let err = orders::review(&conn, &req).await.unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, Error::Refused { .. } | Error::NotFound { .. }),
            "{err:?}"
        );
        assert!(
            msg.contains(&country),
            "the message names the country: {msg}"
        );
        assert!(
            msg.contains("not sold") || msg.contains("not found"),
            "{msg}"
        );
        return;
    }
    panic!("every offer is sold everywhere");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_saas_offer_says_where_to_go() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let client = &conn.client;
    let b = common::buyable(client, 0, false).await;
    let products = paging::collect_all(client, api::products(&b.country, "OnlineServices"))
        .await
        .unwrap();
    let vm = products
        .iter()
        .find(|p| !p.is_saas())
        .expect("a non-SaaS offer");
    let skus = paging::collect_all(client, api::skus(&vm.id, &b.country))
        .await
        .unwrap();
    let req = PurchaseRequest {
        customer_id: b.customer.id.clone(),
        product_id: vm.id.clone(),
        sku_id: skus[0].id.clone(),
        ..Default::default()
    };
    let msg = orders::review(&conn, &req).await.unwrap_err().to_string();
    assert!(msg.contains("only SaaS"), "{msg}");
    assert!(msg.contains("Azure portal"), "{msg}");
}

#[tokio::test(flavor = "multi_thread")]
async fn quantity_must_lie_within_the_plan_bounds() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 1, false).await;
    let (min, max) = (b.sku.minimum_quantity.max(1), b.sku.maximum_quantity);
    for q in [max + 1, min - 1] {
        if q == 0 && min == 1 {
            let req = PurchaseRequest {
                quantity: Some(0),
                ..request(&b)
            };
            let msg = orders::review(&conn, &req).await.unwrap_err().to_string();
            assert!(msg.contains("outside"), "{msg}");
            continue;
        }
        let req = PurchaseRequest {
            quantity: Some(q),
            ..request(&b)
        };
        let msg = orders::review(&conn, &req).await.unwrap_err().to_string();
        assert!(
            msg.contains("outside") && msg.contains(&max.to_string()),
            "{msg}"
        );
    }
    let ok = PurchaseRequest {
        quantity: Some(max),
        ..request(&b)
    };
    assert_eq!(orders::review(&conn, &ok).await.unwrap().quantity, max);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_listed_terms_and_the_trial_are_offered() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, true).await;
    let review = orders::review(
        &conn,
        &PurchaseRequest {
            trial: true,
            ..request(&b)
        },
    )
    .await
    .unwrap();
    assert!(review.chosen.trial);
    assert_eq!(review.price.as_ref().map(|p| p.total), Some(0.0));
    let c = orders::place(&conn, &review).await.unwrap();
    assert!(c.subscription.unwrap().is_trial);
    let plain = common::buyable(&conn.client, 2, false).await;
    let msg = orders::review(
        &conn,
        &PurchaseRequest {
            trial: true,
            ..request(&plain)
        },
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(msg.contains("no free trial"), "{msg}");
    let msg = orders::review(
        &conn,
        &PurchaseRequest {
            term: Some("P3Y".into()),
            ..request(&plain)
        },
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        msg.contains("not offered") && msg.contains("It offers"),
        "{msg}"
    );
}

async fn orders_of(conn: &cspdesk_core::connection::Connection, customer: &str) -> Vec<String> {
    paging::collect_all(&conn.client, api::orders(customer))
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_connections_after_commit_give_exactly_one_order_per_click() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, false).await;
    let review = orders::review(&conn, &request(&b)).await.unwrap();
    let before = orders_of(&conn, &b.customer.id).await.len();
    sb.set_faults("drop-after-commit=50%".parse().unwrap());
    // Half the writes lose their answer. A click either comes back placed (a retry with the same
    // MS-RequestId got the first result) or, when every retry lost its answer too, reports an
    // unknown outcome that reconciliation settles. Either way: one order per click at most, and
    // none lost.
    let mut answered = Vec::new();
    let mut unknown = 0;
    for _ in 0..8 {
        match orders::place(&conn, &review).await {
            Ok(c) => answered.push(c.order.id),
            Err(e) => {
                assert!(e.to_string().contains("never placed twice"), "{e}");
                unknown += 1;
            }
        }
    }
    sb.set_faults(Default::default());
    assert!(sb.stats().dropped >= 1, "{:?}", sb.stats());
    let settled = orders::reconcile(&conn).await.unwrap();
    assert_eq!(settled.len(), unknown, "every unknown outcome was settled");
    let journal = orders::journal::list(&conn.store, Some(&b.customer.id)).unwrap();
    assert_eq!(journal.len(), 8);
    assert!(journal.iter().all(|e| !e.state.is_open()));
    let placed: Vec<String> = journal
        .iter()
        .filter(|e| e.state == JournalState::Placed)
        .filter_map(|e| e.order_id.clone())
        .collect();
    let after = orders_of(&conn, &b.customer.id).await;
    assert_eq!(
        after.len(),
        before + placed.len(),
        "exactly the placed orders exist in Partner Center"
    );
    for id in placed.iter().chain(&answered) {
        assert_eq!(after.iter().filter(|o| *o == id).count(), 1);
        assert_eq!(placed.iter().filter(|p| *p == id).count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_during_checkout_is_waited_out() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, false).await;
    let review = orders::review(&conn, &request(&b)).await.unwrap();
    let before = orders_of(&conn, &b.customer.id).await.len();
    sb.set_faults("429-every=2".parse().unwrap());
    let c = orders::place(&conn, &review).await.unwrap();
    sb.set_faults(Default::default());
    assert!(sb.stats().throttled >= 1);
    assert!(conn.client.stats().throttled >= 1);
    let after = orders_of(&conn, &b.customer.id).await;
    assert_eq!(after.len(), before + 1);
    assert!(after.contains(&c.order.id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_between_journal_and_response_reconciles_to_one_order() {
    let sb = common::sandbox().await;
    let url = sb.url().to_string();
    let (conn, dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, false).await;
    let before = orders_of(&conn, &b.customer.id).await;
    drop(conn);
    let data_dir = dir.path().to_path_buf();
    let run = move |args: &[&str], failpoint: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cspdesk"));
        cmd.args(["--endpoint", &url, "--data-dir"])
            .arg(&data_dir)
            .args(args);
        if let Some(f) = failpoint {
            cmd.env("CSPDESK_FAILPOINT", f);
        }
        cmd.output().unwrap()
    };
    let (cid, pid, sku) = (
        b.customer.id.clone(),
        b.product.id.clone(),
        b.sku.id.clone(),
    );
    let out = tokio::task::spawn_blocking(move || {
        let crashed = run(
            &[
                "orders",
                "create",
                "--customer",
                &cid,
                "--product",
                &pid,
                "--sku",
                &sku,
            ],
            Some("after-checkout"),
        );
        assert!(!crashed.status.success(), "the process was meant to die");
        run(&["--json", "orders", "list", "--customer", &cid], None)
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{list}");
    assert_eq!(entries[0]["state"], "placed", "{list}");
    assert_eq!(
        entries[0]["plan"].as_str(),
        Some(b.sku.title.as_str()),
        "the journal kept the plan's name through the crash: {list}"
    );
    let order_id = entries[0]["orderId"].as_str().unwrap().to_string();
    let (conn, _d2) = common::connection(&sb).await;
    let after = orders_of(&conn, &b.customer.id).await;
    assert_eq!(after.len(), before.len() + 1, "exactly one order");
    assert!(after.contains(&order_id));
}
