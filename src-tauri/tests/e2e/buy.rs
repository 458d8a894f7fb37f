//! The buy flow through the window: Marketplace filtered to SaaS → an offer's detail → Buy for a
//! customer → pick the customer (availability checked) → plan → review → Place order (clicked
//! twice) → the activation link on screen → the Orders view lists the one order.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use cspdesk_core::catalog::sync::load_offers;
use cspdesk_core::connection::{ConnectOptions, Connection};
use cspdesk_core::orders::journal;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::store::Store;
use cspdesk_sandbox::{Sandbox, SandboxConfig};
use fantoccini::error::CmdError;
use fantoccini::Locator;
use serde_json::Value;

use crate::common::*;

/// What the test buys, found in a sandbox built from the same seed and size as the app's
/// embedded one (so the app has the same data).
struct Pick {
    customer_id: String,
    customer_name: String,
    product_id: String,
    /// A customer billed in a country the product is not sold in.
    elsewhere: Option<(String, String, String)>,
}

/// A US customer, a SaaS product with a paid term sold in the US, and a customer billed in a
/// country where that product is not sold.
async fn buyable_pair() -> Pick {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        endpoint: Some(sb.url().clone()),
        data_dir: Some(dir.path().to_path_buf()),
        secrets: Some(cspdesk_core::auth::MemoryStore::new()),
        ..Default::default()
    })
    .await
    .expect("connection");
    let client = &conn.client;
    let customers = cspdesk_core::customers::list(client, None)
        .await
        .expect("customers");
    let mut billed = Vec::new();
    for c in &customers {
        let full = cspdesk_core::customers::get(client, &c.id)
            .await
            .expect("customer");
        if let Some(country) = full.billing_country() {
            billed.push((full.clone(), country.to_string()));
        }
    }
    let (customer, _) = billed
        .iter()
        .find(|(_, country)| country == "US")
        .expect("a customer billed in the US")
        .clone();
    let mut sold_in: HashMap<String, HashSet<String>> = HashMap::new();
    let products = paging::collect_all(client, api::products("US", "OnlineServices"))
        .await
        .expect("products");
    for p in products.iter().filter(|p| p.is_saas()) {
        let skus = paging::collect_all(client, api::skus(&p.id, "US"))
            .await
            .expect("skus");
        let mut buyable = false;
        for sku in skus {
            let avs = paging::collect_all(client, api::availabilities(&p.id, &sku.id, "US"))
                .await
                .expect("availabilities");
            buyable |= avs
                .iter()
                .any(|a| a.is_purchasable && a.terms.iter().any(|t| !t.is_trial()));
        }
        if !buyable {
            continue;
        }
        let mut elsewhere = None;
        for (c, country) in billed.iter().filter(|(_, k)| k != "US") {
            if !sold_in.contains_key(country) {
                let ids = paging::collect_all(client, api::products(country, "OnlineServices"))
                    .await
                    .expect("products")
                    .into_iter()
                    .map(|p| p.id)
                    .collect();
                sold_in.insert(country.clone(), ids);
            }
            if !sold_in[country].contains(&p.id) {
                elsewhere = Some((
                    c.id.clone(),
                    c.company_profile.company_name.clone(),
                    country.clone(),
                ));
                break;
            }
        }
        if elsewhere.is_some() {
            return Pick {
                customer_id: customer.id.clone(),
                customer_name: customer.company_profile.company_name.clone(),
                product_id: p.id.clone(),
                elsewhere,
            };
        }
    }
    panic!("no buyable SaaS offer in the US that some customer's country lacks");
}

#[tokio::test(flavor = "multi_thread")]
async fn buy_for_a_customer_up_to_the_activation_link() {
    if !enabled() {
        return;
    }
    let Pick {
        customer_id,
        customer_name,
        product_id,
        elsewhere,
    } = buyable_pair().await;
    let (_driver, data_dir) = start_driver("e2e-buy", None);
    let c = session().await;
    let steps = async {
        c.set_window_size(1280, 800).await?;
        // First launch syncs the US catalog.
        wait_css(&c, "#offer-table .tr[data-key]", Duration::from_secs(90)).await?;
        let store = Store::open(&data_dir.join("cspdesk.sqlite")).expect("store");
        let offer = load_offers(&store, MARKET)
            .expect("stored offers")
            .into_iter()
            .find(|o| o.product_id.as_deref() == Some(product_id.as_str()))
            .expect("the offer is in the app's catalog");
        let (key, title) = (offer.key().to_string(), offer.title.clone());

        // Marketplace → Type: SaaS → search the offer → its detail.
        click(&c, "[data-type='saas']").await?;
        keys_to(&c, "search", &title).await?;
        let row = format!("#offer-table .tr[data-key='{key}']");
        wait_css(&c, &row, Duration::from_secs(10)).await?;
        shot(&c, "buy-1-marketplace-saas-1280x800").await?;
        click(&c, &row).await?;
        wait_css(&c, "#buy-button", Duration::from_secs(15)).await?;
        shot(&c, "buy-2-detail-1280x800").await?;

        // Buy for a customer → step 1: pick the customer.
        click(&c, "#buy-button").await?;
        wait_css(&c, "#buy-customers li[data-key]", Duration::from_secs(15)).await?;
        // A customer billed where the offer is not sold: the country is named, nothing advances.
        if let Some((other_id, other_name, country)) = &elsewhere {
            let search = c.find(Locator::Css(".pick-search")).await?;
            search.send_keys(other_name).await?;
            let other = format!("#buy-customers li[data-key='{other_id}']");
            wait_css(&c, &other, Duration::from_secs(10)).await?;
            click(&c, &other).await?;
            wait_css(&c, "#not-sold", Duration::from_secs(30)).await?;
            let msg = text_of(&c, "#not-sold").await?;
            assert!(msg.contains(&format!("Not sold in {country}")), "{msg}");
            shot(&c, "buy-3-not-sold-1280x800").await?;
            search.clear().await?;
        }
        let first_word: String = customer_name.split_whitespace().next().unwrap_or("").into();
        c.find(Locator::Css(".pick-search")).await?.send_keys(&first_word).await?;
        let item = format!("#buy-customers li[data-key='{customer_id}']");
        // The search narrows the list (company name, domain or tenant id).
        wait_for(
            &c,
            "the customer search",
            "Array.from(document.querySelectorAll('#buy-customers li[data-key]')).map(l => l.dataset.key)",
            Duration::from_secs(10),
            |v| {
                v.as_array().is_some_and(|a| {
                    a.iter().any(|k| k.as_str() == Some(customer_id.as_str())) && a.len() < 10
                })
            },
        )
        .await?;
        shot(&c, "buy-3-customer-1280x800").await?;
        click(&c, &item).await?;

        // Step 2: plan, term, quantity (defaults: first plan, first paid term, minimum quantity).
        wait_css(&c, "#buy-review:not([disabled])", Duration::from_secs(30)).await?;
        shot(&c, "buy-4-plan-1280x800").await?;
        click(&c, "#buy-review").await?;

        // Step 3: the review with the price and the cancellation window.
        wait_css(&c, "#buy-review-step", Duration::from_secs(30)).await?;
        let price = text_of(&c, "#review-price").await?;
        let window = text_of(&c, "#review-cancellation").await?;
        eprintln!("e2e: review price: {price} · cancellation: {window}");
        assert!(price.contains('$') || price.contains("price list"), "{price}");
        assert!(window.contains("after purchase") || window.contains("trial"), "{window}");
        // Words and numbers read apart ("within 14 days", not "within14 days").
        let glued = window
            .chars()
            .zip(window.chars().skip(1))
            .any(|(a, b)| a.is_alphabetic() && b.is_ascii_digit());
        assert!(!glued, "a word runs into a number: {window}");
        shot(&c, "buy-5-review-1280x800").await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "buy-5-review-1024x700").await?;
        c.set_window_size(1280, 800).await?;

        // Place order, clicked twice in a row: one order.
        c.execute(
            "const b = document.getElementById('buy-place'); b.click(); b.click(); return b.disabled;",
            vec![],
        )
        .await?;
        wait_css(&c, "#buy-confirmation", Duration::from_secs(60)).await?;
        if text_of(&c, "#link-waiting").await?.contains("Waiting") {
            shot(&c, "buy-6-waiting-for-link-1280x800").await?;
        }
        let link = wait_for(
            &c,
            "the activation link on screen",
            "document.getElementById('activation-link')?.textContent ?? ''",
            Duration::from_secs(60),
            |v| v.as_str().is_some_and(|s| s.contains("token=")),
        )
        .await?;
        eprintln!("e2e: activation link {link}");
        let order_id = text_of(&c, "#confirm-order-id").await?;
        assert_eq!(text_of(&c, "#confirm-status").await?, "pending");
        assert!(!order_id.is_empty());
        shot(&c, "buy-7-activation-link-1280x800").await?;

        let entries = journal::list(&store, None).expect("journal");
        assert_eq!(entries.len(), 1, "two clicks placed one order: {entries:?}");
        assert_eq!(entries[0].order_id.as_deref(), Some(order_id.as_str()));

        // The Orders view lists it.
        click(&c, "#buy-show-orders").await?;
        wait_css(
            &c,
            &format!("#orders-table .tr[data-order='{order_id}']"),
            Duration::from_secs(10),
        )
        .await?;
        let rows = c
            .execute(
                "return document.querySelectorAll('#orders-table .tr').length;",
                vec![],
            )
            .await?;
        assert_eq!(rows, Value::from(1));
        // It names the plan the review showed, not the SKU id.
        let plan = entries[0].plan.clone().expect("the journal keeps the plan's name");
        let product_cell = text_of(&c, &format!("#orders-table .tr[data-order='{order_id}'] .td.c-offer")).await?;
        assert!(
            product_cell.contains(&plan) && !product_cell.contains(&format!("· {}", entries[0].sku_id)),
            "{product_cell} (plan {plan}, SKU {})",
            entries[0].sku_id
        );
        shot(&c, "buy-8-orders-1280x800").await?;

        // The customer's detail shows the order and the pending subscription.
        click(&c, "#orders-table .tr button.link").await?;
        wait_css(
            &c,
            &format!("#customer-orders tr[data-order='{order_id}']"),
            Duration::from_secs(20),
        )
        .await?;
        shot(&c, "buy-9-customer-1280x800").await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "buy-9-customer-1024x700").await?;
        c.set_window_size(1280, 800).await?;

        // "Buy…" from the customer: the first step picks a SaaS offer sold in their country.
        click(&c, "#customer-buy").await?;
        wait_css(&c, "#buy-offers li[data-key]", Duration::from_secs(20)).await?;
        shot(&c, "buy-10-from-customer-1280x800").await?;
        c.find(Locator::Css(".pick-search")).await?.send_keys("\u{e00c}").await?; // Esc closes
        wait_for(
            &c,
            "the buy flow closed",
            "document.getElementById('buy-flow') === null",
            Duration::from_secs(5),
            |v| v == &Value::Bool(true),
        )
        .await?;

        // Who supports this? The customer's subscription → its publisher's contacts, with the
        // subscription's details for "Contact publisher".
        let sub_id = c
            .execute(
                "return document.querySelector('#customer-subscriptions tr[data-subscription]').dataset.subscription;",
                vec![],
            )
            .await?;
        let sub_id = sub_id.as_str().unwrap_or_default().to_string();
        assert!(!sub_id.is_empty(), "the customer's subscriptions are listed");
        click(
            &c,
            &format!("#customer-subscriptions tr[data-subscription='{sub_id}'] .publisher-contacts"),
        )
        .await?;
        wait_for(
            &c,
            "the subscription's publisher contacts",
            "document.getElementById('ctx-subscription-id')?.textContent ?? ''",
            Duration::from_secs(20),
            |v| v.as_str() == Some(sub_id.as_str()),
        )
        .await?;
        wait_css(&c, "#publisher-contacts", Duration::from_secs(10)).await?;
        let mailto = c
            .execute(
                "return document.getElementById('contact-publisher').getAttribute('href');",
                vec![],
            )
            .await?;
        assert!(
            mailto.as_str().is_some_and(|m| m.starts_with("mailto:") && m.contains(&sub_id)),
            "Contact publisher carries the subscription id: {mailto}"
        );
        shot(&c, "buy-11-customer-subscription-contacts-1280x800").await?;
        Ok::<_, CmdError>(())
    }
    .await;
    if steps.is_err() {
        shot(&c, "buy-failure").await.ok();
    }
    c.close().await.ok();
    steps.expect("buy flow steps");
}
