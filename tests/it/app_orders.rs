//! The desktop's buy flow through `AppCore` against the sandbox: customer search, purchase
//! options, one order per review even when "Place order" is pressed twice at once, the activation
//! link, and the customer's detail and the Orders view listing the order.

use crate::support::common;

use cspdesk_core::app::orders::{OrderState, PurchaseChoice};
use cspdesk_core::app::AppCore;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::Error;

async fn app(
    sb: &cspdesk_sandbox::Sandbox,
) -> (
    AppCore,
    cspdesk_core::partner_center::Client,
    tempfile::TempDir,
) {
    let (conn, dir) = common::connection(sb).await;
    let client = conn.client.clone();
    (AppCore::with_connection(conn), client, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_are_found_by_name_domain_and_tenant_id() {
    let sb = common::sandbox().await;
    let (core, _client, _dir) = app(&sb).await;
    let all = core.customers("", false).await.unwrap();
    assert!(all.len() > 3, "the sandbox has customers: {}", all.len());
    let names: Vec<String> = all.iter().map(|c| c.company_name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by company name");

    let c = &all[all.len() / 2];
    let word: String = c.company_name.chars().take(5).collect();
    let by_name = core.customers(&word.to_uppercase(), false).await.unwrap();
    assert!(by_name.iter().any(|r| r.id == c.id), "{word}");
    assert!(by_name.iter().all(
        |r| r.company_name.to_lowercase().contains(&word.to_lowercase())
            || r.domain.to_lowercase().contains(&word.to_lowercase())
            || r.tenant_id.to_lowercase().contains(&word.to_lowercase())
    ));
    let by_domain = core.customers(&c.domain, false).await.unwrap();
    assert_eq!(by_domain.first().map(|r| &r.id), Some(&c.id));
    let by_tenant = core.customers(&c.tenant_id[..8], true).await.unwrap();
    assert!(by_tenant.iter().any(|r| r.id == c.id));
    assert!(core
        .customers("no customer is called this", false)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_place_gives_one_order_with_its_link_in_the_customer_detail() {
    let sb = common::sandbox().await;
    let (core, client, _dir) = app(&sb).await;
    let b = common::buyable(&client, 0, false).await;
    let cid = b.customer.id.clone();

    // Step 1–2: the options are what the availability in the billing country lists.
    let opts = core
        .purchase_options(&cid, &b.product.id, &b.country, None)
        .await
        .unwrap();
    assert!(opts.not_sold.is_none());
    assert_eq!(opts.country, b.country);
    let plan = opts
        .plans
        .iter()
        .find(|p| p.sku_id == b.sku.id)
        .expect("the plan is offered");
    assert_eq!(plan.availability_id, b.availability.id);
    assert_eq!(plan.terms.len(), b.availability.terms.len());
    for t in &plan.terms {
        assert!(b
            .availability
            .terms
            .iter()
            .any(|a| a.duration == t.term_duration));
    }
    let term = plan.terms.iter().find(|t| !t.trial).expect("a paid term");

    // Out of bounds is refused with the bounds named.
    let mut choice = PurchaseChoice {
        customer_id: cid.clone(),
        product_id: b.product.id.clone(),
        sku_id: plan.sku_id.clone(),
        availability_id: Some(plan.availability_id.clone()),
        quantity: plan.maximum_quantity + 1,
        term_duration: Some(term.term_duration.clone()),
        billing_cycle: Some(term.billing_cycle.as_str().to_string()),
        trial: false,
    };
    let err = core.review_order(choice.clone()).await.unwrap_err();
    assert!(
        err.to_string().contains(&plan.maximum_quantity.to_string()),
        "{err}"
    );

    // Step 3: the review has the price and the cancellation window.
    choice.quantity = plan.minimum_quantity;
    let review = core.review_order(choice).await.unwrap();
    let price = review
        .review
        .price
        .clone()
        .expect("a price from the price list");
    assert!(price.unit_price > 0.0 && !price.currency.is_empty());
    assert_eq!(review.review.chosen.term_duration, term.term_duration);
    assert!(review.review.chosen.cancellation.hours >= 24);

    let before = paging::collect_all(&client, api::orders(&cid))
        .await
        .unwrap()
        .len();

    // Step 4: a double click: two places of one review at once. The sandbox answers slowly here
    // so the first is certainly still in flight when the second arrives (on a loaded machine an
    // instant loopback answer could otherwise finish the first before the second is polled).
    sb.set_faults("latency=200ms".parse().unwrap());
    let (a, b2) = tokio::join!(
        core.place_order(&review.review_id),
        core.place_order(&review.review_id)
    );
    sb.set_faults(Default::default());
    let (ok, refused) = match (a, b2) {
        (Ok(c), Err(e)) | (Err(e), Ok(c)) => (c, e),
        (Ok(x), Ok(y)) => panic!("both placed: {} and {}", x.order_id, y.order_id),
        (Err(x), Err(y)) => panic!("neither placed: {x} / {y}"),
    };
    assert!(matches!(refused, Error::Refused { .. }), "{refused:?}");
    assert!(refused.to_string().contains("already being placed"));
    // Pressed again after it finished: the same confirmation, no new order.
    let again = core.place_order(&review.review_id).await.unwrap();
    assert_eq!(again.order_id, ok.order_id);
    let after = paging::collect_all(&client, api::orders(&cid))
        .await
        .unwrap();
    assert_eq!(after.len(), before + 1, "exactly one order for one review");

    assert_eq!(ok.status, "pending");
    assert_eq!(ok.line_items.len(), 1);
    assert_eq!(ok.line_items[0].quantity, review.review.quantity);
    assert!(ok.cancellation_allowed_until.is_some());
    let sub_id = ok.subscription_id.clone().expect("the subscription");

    // The activation link arrives by polling.
    let link = match ok.activation_link.clone() {
        Some(l) => l,
        None => core
            .order_activation_link(&cid, &ok.order_id, 15)
            .await
            .unwrap()
            .expect("the publisher link within 15 s"),
    };
    assert!(link.uri.starts_with("http"), "{}", link.uri);
    assert!(link.uri.contains("token="), "{}", link.uri);
    assert!(link.expires_at > link.fetched_at);

    // The customer's detail: billing country, the new subscription, the order from this app.
    let detail = core.customer_detail(&cid).await.unwrap();
    assert_eq!(detail.billing_country.as_deref(), Some(b.country.as_str()));
    let sub = detail
        .subscriptions
        .iter()
        .find(|s| s.id == sub_id)
        .expect("the new subscription is listed");
    assert_eq!(sub.status, "pending");
    assert!(sub.cancellation_deadline.is_some());
    assert_eq!(detail.orders.len(), 1);
    assert_eq!(
        detail.orders[0].order_id.as_deref(),
        Some(ok.order_id.as_str())
    );
    assert_eq!(detail.orders[0].state, OrderState::Placed);

    // The Orders view, filtered by customer.
    let mine = core.orders(Some(&cid)).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].plan.as_deref(),
        Some(review.review.plan.as_str()),
        "the Orders view names the plan the review showed"
    );
    assert_ne!(
        review.review.plan, mine[0].sku_id,
        "a plan name, not the SKU id"
    );
    let all = core.orders(None).await.unwrap();
    assert_eq!(all.len(), 1);
    let other = core
        .customers("", false)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id != cid)
        .unwrap();
    assert!(core.orders(Some(&other.id)).await.unwrap().is_empty());

    // Reconciling at start finds nothing open and changes nothing.
    assert!(core.reconcile_orders().await.unwrap().is_empty());
    assert_eq!(
        paging::collect_all(&client, api::orders(&cid))
            .await
            .unwrap()
            .len(),
        before + 1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_review_is_not_placed() {
    let sb = common::sandbox().await;
    let (core, _client, _dir) = app(&sb).await;
    let err = core.place_order("not-a-review").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(core.orders(None).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn not_sold_names_the_country_and_non_saas_says_where_to_go() {
    let sb = common::sandbox().await;
    let (core, client, _dir) = app(&sb).await;
    let b = common::buyable(&client, 0, false).await;
    let products = paging::collect_all(&client, api::products(&b.country, "OnlineServices"))
        .await
        .unwrap();

    // A VM in the customer's own country: refused, pointing to the Azure portal.
    let vm = products
        .iter()
        .find(|p| !p.is_saas())
        .expect("a non-SaaS offer");
    let err = core
        .purchase_options(&b.customer.id, &vm.id, &b.country, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("SaaS"), "{err}");
    assert!(format!("{err:?}").contains("Azure portal"), "{err:?}");

    // A SaaS offer sold elsewhere but not in the customer's billing country.
    let here: std::collections::HashSet<&str> = products.iter().map(|p| p.id.as_str()).collect();
    let other = if b.country == "US" { "GB" } else { "US" };
    let elsewhere = paging::collect_all(&client, api::products(other, "OnlineServices"))
        .await
        .unwrap();
    let p = elsewhere
        .iter()
        .find(|p| p.is_saas() && !here.contains(p.id.as_str()))
        .expect("a SaaS offer not sold in the customer's country");
    let opts = core
        .purchase_options(&b.customer.id, &p.id, other, None)
        .await
        .unwrap();
    let not_sold = opts.not_sold.expect("not sold there");
    assert_eq!(not_sold.country, b.country);
    assert!(
        not_sold.message.contains(&b.country),
        "{}",
        not_sold.message
    );
    assert!(
        not_sold.message.contains("not sold"),
        "{}",
        not_sold.message
    );
    assert!(opts.plans.is_empty());
}
