//! The Partner Center client against the sandbox over real HTTP: paging, throttling, retries,
//! the three error shapes, and exactly-once checkout when the connection drops after commit.

use crate::support::common;

use std::time::{Duration, Instant};

use cspdesk_core::partner_center::models::{BillingCycle, CartLineItem, NewCart};
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::Error;
use futures::TryStreamExt;

#[tokio::test]
async fn customers_page_across_three_or_more_pages() {
    let sb = common::sandbox().await;
    let client = common::client(&sb);
    let pages: Vec<Vec<_>> = paging::pages(client.clone(), api::customers(10, None))
        .try_collect()
        .await
        .unwrap();
    assert!(pages.len() >= 3, "only {} pages", pages.len());
    let ids: Vec<String> = pages
        .iter()
        .flatten()
        .map(|c: &cspdesk_core::partner_center::models::Customer| c.id.clone())
        .collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), 50, "the sandbox has 50 customers");
    assert_eq!(unique.len(), ids.len(), "no customer repeats across pages");
    // same list as one big page
    let one = paging::collect_all(&client, api::customers(500, None))
        .await
        .unwrap();
    assert_eq!(one.len(), ids.len());
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let sb = common::sandbox_with(300, "429-every=2").await;
    let client = common::client(&sb);
    client.execute(&api::customers(10, None)).await.unwrap();
    let started = Instant::now();
    // the 2nd call is answered 429 with Retry-After; the client waits and the 3rd call succeeds
    let list = client.execute(&api::customers(10, None)).await.unwrap();
    assert!(!list.items.is_empty());
    let s = client.stats();
    assert_eq!(s.throttled, 1, "{s:?}");
    assert_eq!(s.retries, 1, "{s:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After (≥ 1 s) was not honoured: {:?}",
        started.elapsed()
    );
    assert!(sb.stats().throttled >= 1);
}

#[tokio::test]
async fn a_throttling_storm_ends_in_the_servers_words() {
    let sb = common::sandbox_with(300, "429=100%").await;
    let client = common::client_with(&sb, common::fast_retry(1));
    let err = client.execute(&api::customers(10, None)).await.unwrap_err();
    match &err {
        Error::Throttled {
            message,
            retry_after,
            ..
        } => {
            assert!(message.contains("Rate limit is exceeded"), "{message}");
            assert!(retry_after.is_some());
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(err.to_string().contains("Try again"), "{err}");
}

#[tokio::test]
async fn server_errors_on_reads_are_retried() {
    let sb = common::sandbox_with(300, "5xx=50%").await;
    let client = common::client_with(&sb, common::fast_retry(30));
    for _ in 0..20 {
        client
            .execute(&api::customers(10, None))
            .await
            .expect("read retried until it succeeds");
    }
    assert!(
        client.stats().server_errors >= 1,
        "no 5xx was injected: {:?}",
        client.stats()
    );
    assert_eq!(client.stats().server_errors, client.stats().retries);
}

#[tokio::test]
async fn partner_center_error_shape_keeps_the_servers_words() {
    let sb = common::sandbox().await;
    let client = common::client(&sb);
    let customers = paging::collect_all(&client, api::customers(100, None))
        .await
        .unwrap();
    let err = client
        .execute(&api::subscription(&customers[0].id, "no-such-subscription"))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            status,
            code,
            description,
            ..
        } => {
            assert_eq!(*status, 404);
            assert!(!code.is_empty() && code != "unknown", "{code}");
            assert!(!description.is_empty());
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn partner_api_error_shape_keeps_the_servers_words() {
    let sb = common::sandbox().await;
    let client = common::client(&sb);
    let err = client
        .execute_raw(&api::price_sheet("XX", "marketplace"))
        .await
        .unwrap_err();
    match &err {
        Error::PartnerApi {
            status,
            code,
            message,
            ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(code, "invalidRequest");
            assert!(message.contains("XX"), "{message}");
        }
        other => panic!("expected PartnerApi, got {other:?}"),
    }
}

#[tokio::test]
async fn checkout_with_dropped_connections_yields_exactly_one_order_each() {
    let sb = common::sandbox().await;
    let client = common::client_with(&sb, common::fast_retry(40));
    let customers = paging::collect_all(&client, api::customers(100, None))
        .await
        .unwrap();
    let customer = customers
        .iter()
        .find(|c| c.company_profile.company_name.len() > 1)
        .cloned()
        .unwrap();
    let full = cspdesk_core::customers::get(&client, &customer.id)
        .await
        .unwrap();
    let country = full.billing_country().unwrap().to_string();
    // a SaaS offer sold in the customer's country
    let products = paging::collect_all(&client, api::products(&country, "OnlineServices"))
        .await
        .unwrap();
    let mut chosen = None;
    for p in products.iter().filter(|p| p.is_saas()) {
        let skus = paging::collect_all(&client, api::skus(&p.id, &country))
            .await
            .unwrap();
        let sku = &skus[0];
        let av = paging::collect_all(&client, api::availabilities(&p.id, &sku.id, &country))
            .await
            .unwrap();
        if let Some(a) = av.into_iter().find(|a| a.is_purchasable) {
            let term = a.terms.iter().find(|t| !t.is_trial()).cloned().unwrap();
            chosen = Some((a, term, sku.minimum_quantity.max(1)));
            break;
        }
    }
    let (availability, term, qty) = chosen.expect("a purchasable SaaS offer");
    let before = paging::collect_all(&client, api::orders(&customer.id))
        .await
        .unwrap()
        .len();

    sb.set_faults("drop-after-commit=50%".parse().unwrap());
    let mut order_ids = Vec::new();
    for _ in 0..8 {
        let cart = NewCart {
            line_items: vec![CartLineItem::new(
                availability.catalog_item_id.clone(),
                qty,
                term.billing_cycle.clone(),
                term.duration.clone(),
            )],
        };
        let created = client
            .execute(&api::create_cart(&customer.id, &cart).unwrap())
            .await
            .unwrap();
        let result = client
            .execute(&api::checkout(&customer.id, &created.id))
            .await
            .unwrap();
        assert_eq!(result.orders.len(), 1);
        order_ids.push(result.orders[0].id.clone());
    }
    sb.set_faults(Default::default());
    assert!(
        sb.stats().dropped >= 1,
        "no connection was dropped: {:?}",
        sb.stats()
    );
    assert!(sb.stats().deduplicated_writes >= 1, "{:?}", sb.stats());
    let after = paging::collect_all(&client, api::orders(&customer.id))
        .await
        .unwrap();
    assert_eq!(
        after.len(),
        before + 8,
        "every checkout made exactly one order"
    );
    for id in &order_ids {
        assert_eq!(after.iter().filter(|o| &o.id == id).count(), 1);
    }
    assert_ne!(term.billing_cycle, BillingCycle::None);
}
