//! Sandbox purchases, activation, subscriptions, faults and persistence over real HTTP.

use crate::support::sandbox_support;

use std::time::Duration;

use cspdesk_sandbox::{FaultSpec, Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use sandbox_support::*;
use serde_json::{json, Value};

#[tokio::test]
async fn cart_validation_errors() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let ok = env
        .cart(&cid, &av, sku["minimumQuantity"].as_u64().unwrap(), &[])
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(ok.body["status"], "Active");
    assert_eq!(ok.body["lineItems"][0]["currencyCode"], "USD");
    assert_eq!(ok.body["lineItems"][0]["orderGroup"], "0");
    // Quantity above the SKU maximum.
    let too_many = sku["maximumQuantity"].as_u64().unwrap() + 1;
    assert_pc_error(&env.cart(&cid, &av, too_many, &[]).await, 400, 800017);
    // Unknown catalog item.
    assert_pc_error(
        &env.cart(&cid, &json!({"catalogItemId": "NOPE:0001:NOPE"}), 1, &[])
            .await,
        400,
        800004,
    );
    // Availability of another country.
    let (_, gsku, gav) = env.offer("GB", "SaaS", |t| t["duration"] == "P1M").await;
    assert_pc_error(
        &env.cart(&cid, &gav, gsku["minimumQuantity"].as_u64().unwrap(), &[])
            .await,
        400,
        800070,
    );
    // Not a SaaS item.
    let (_, vsku, vav) = env.offer("US", "VirtualMachines", |_| true).await;
    assert_eq!(vav["isPurchasable"], false);
    assert_pc_error(
        &env.cart(&cid, &vav, vsku["minimumQuantity"].as_u64().unwrap(), &[])
            .await,
        403,
        800020,
    );
    // A term the availability does not offer; PascalCase body.
    let body = json!({"LineItems": [{"Id": 0, "CatalogItemId": av["catalogItemId"], "Quantity": sku["minimumQuantity"], "BillingCycle": "triennial", "TermDuration": "P3Y"}]});
    assert_pc_error(
        &env.call(
            Method::POST,
            &format!("/v1/customers/{cid}/carts"),
            Some(body),
            &[],
        )
        .await,
        400,
        800002,
    );
}

#[tokio::test]
async fn checkout_is_idempotent_per_request_id() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let before = env.get(&format!("/v1/customers/{cid}/orders")).await.body["totalCount"]
        .as_u64()
        .unwrap();
    let cart = env
        .cart(&cid, &av, sku["minimumQuantity"].as_u64().unwrap(), &[])
        .await;
    let path = format!(
        "/v1/customers/{cid}/carts/{}/checkout",
        cart.body["id"].as_str().unwrap()
    );
    let rid = [("MS-RequestId", "9a0c7b9e-0000-4000-8000-000000000001")];
    let first = env.call(Method::POST, &path, None, &rid).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let order = &first.body["orders"][0];
    assert_eq!(order["status"], "pending");
    assert_eq!(order["transactionType"], "UserPurchase");
    assert_eq!(order["alternateId"].as_str().unwrap().len(), 12);
    assert!(order["lineItems"][0].get("subscriptionId").is_none());
    assert_eq!(first.body["orderErrors"], json!([]));
    let second = env.call(Method::POST, &path, None, &rid).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.body, first.body);
    assert_eq!(env.sb.stats().deduplicated_writes, 1);
    let after = env.get(&format!("/v1/customers/{cid}/orders")).await.body["totalCount"]
        .as_u64()
        .unwrap();
    assert_eq!(after, before + 1);
    assert_pc_error(&env.call(Method::POST, &path, None, &[]).await, 400, 800065);
    let cart_now = env
        .get(&format!(
            "/v1/customers/{cid}/carts/{}",
            cart.body["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(cart_now.body["status"], "Ordered");
}

#[tokio::test]
async fn drop_after_commit_applies_once() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let cart = env
        .cart(&cid, &av, sku["minimumQuantity"].as_u64().unwrap(), &[])
        .await;
    let before = env.get(&format!("/v1/customers/{cid}/orders")).await.body["totalCount"]
        .as_u64()
        .unwrap();
    env.sb.set_faults("drop-after-commit=100%".parse().unwrap());
    let url = env.url(&format!(
        "/v1/customers/{cid}/carts/{}/checkout",
        cart.body["id"].as_str().unwrap()
    ));
    let rid = "9a0c7b9e-0000-4000-8000-000000000002";
    for _ in 0..2 {
        let sent = env
            .http
            .post(&url)
            .bearer_auth("t")
            .header("MS-RequestId", rid)
            .send()
            .await;
        let outcome = match sent {
            Ok(r) => r.bytes().await.map(|_| ()),
            Err(e) => Err(e),
        };
        assert!(outcome.is_err(), "the client must see a failure");
    }
    env.sb.set_faults(FaultSpec::default());
    let stats = env.sb.stats();
    assert_eq!(stats.dropped, 2);
    assert_eq!(stats.deduplicated_writes, 1);
    let after = env.get(&format!("/v1/customers/{cid}/orders")).await.body["totalCount"]
        .as_u64()
        .unwrap();
    assert_eq!(after, before + 1);
    let retry = env
        .call(
            Method::POST,
            &format!(
                "/v1/customers/{cid}/carts/{}/checkout",
                cart.body["id"].as_str().unwrap()
            ),
            None,
            &[("MS-RequestId", rid)],
        )
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body["orders"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn throttling_and_server_errors() {
    let env = start().await;
    env.sb.set_faults("429-every=2".parse().unwrap());
    assert_eq!(env.get("/v1/customers").await.status, StatusCode::OK);
    let t = env.get("/v1/customers").await;
    assert_eq!(t.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        t.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_eq!(t.body["statusCode"], 429);
    assert!(t.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Rate limit is exceeded. Try again in "));
    env.sb.set_faults("5xx=100%".parse().unwrap());
    let e = env.get("/v1/customers").await;
    assert!(e.status.is_server_error());
    assert_eq!(e.body["source"], "PartnerFD");
    env.sb.set_faults("rate=1/s".parse().unwrap());
    let _ = env.get("/v1/customers").await;
    let limited = env.get("/v1/customers").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    env.sb.set_faults(FaultSpec::default());
    let s = env.sb.stats();
    assert!(s.throttled >= 2 && s.server_errors == 1, "{s:?}");
}

#[tokio::test]
async fn landing_page_activation_and_saas_api() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let checkout = env.buy(&cid, &av, &sku).await;
    let oid = checkout.body["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let link = env.activation_link(&cid, &oid).await;
    assert!(link.starts_with(env.sb.url().as_str()));
    assert!(env.subscription_of(&cid, &oid).await["status"] == "pending");
    let page = env.http.get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Activate") && html.contains("<form"));
    // The token also resolves through the SaaS fulfillment API.
    let token = link.split("token=").nth(1).unwrap();
    let resolved: Value = env
        .http
        .post(env.url("/api/saas/subscriptions/resolve"))
        .bearer_auth("p")
        .header("x-ms-marketplace-token", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        resolved["subscription"]["saasSubscriptionStatus"],
        "PendingFulfillmentStart"
    );
    // Submit the form.
    let action = link
        .replace("/landing?", "/activate?")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let done = env
        .http
        .post(&action)
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("Activated"));
    let sub = env.subscription_of(&cid, &oid).await;
    assert_eq!(sub["status"], "active");
    assert_eq!(
        env.get(&format!("/v1/customers/{cid}/orders/{oid}"))
            .await
            .body["status"],
        "completed"
    );
    let none = env
        .get(&format!(
            "/v1/customers/{cid}/subscriptions/{}/activationlinks",
            sub["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(none.body["totalCount"], 0);
    // Expired link.
    env.sb.clock().advance(chrono::Duration::hours(25));
    let old = env.http.get(&link).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    assert!(old.text().await.unwrap().contains("fresh activation link"));
    // SaaS activate on a second purchase.
    let second = env.buy(&cid, &av, &sku).await;
    let oid2 = second.body["orders"][0]["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(350)).await;
    let sub2 = env.subscription_of(&cid, &oid2).await;
    let sid2 = sub2["id"].as_str().unwrap();
    let plan = resolved["planId"].as_str().unwrap();
    let act = env
        .http
        .post(env.url(&format!("/api/saas/subscriptions/{sid2}/activate")))
        .bearer_auth("p")
        .json(&json!({"planId": plan, "quantity": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(act.status(), StatusCode::OK);
    assert_eq!(env.subscription_of(&cid, &oid2).await["status"], "active");
}

#[tokio::test]
async fn cancel_inside_and_outside_the_window() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let mut subs = Vec::new();
    for _ in 0..2 {
        let c = env.buy(&cid, &av, &sku).await;
        subs.push(
            env.subscription_of(&cid, c.body["orders"][0]["id"].as_str().unwrap())
                .await,
        );
    }
    let created =
        chrono::DateTime::parse_from_rfc3339(subs[0]["creationDate"].as_str().unwrap()).unwrap();
    let until = chrono::DateTime::parse_from_rfc3339(
        subs[0]["cancellationAllowedUntilDate"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(until - created, chrono::Duration::hours(24));
    assert_eq!(subs[0]["refundOptions"][0]["type"], "Full");
    let patch = |s: &Value, change: Value| {
        let mut body = s.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let path = format!(
            "/v1/customers/{cid}/subscriptions/{}",
            s["id"].as_str().unwrap()
        );
        let env = &env;
        async move { env.call(Method::PATCH, &path, Some(body), &[]).await }
    };
    // Quantity on a pending subscription is refused.
    assert_pc_error(
        &patch(&subs[0], json!({"quantity": 999_999})).await,
        400,
        800081,
    );
    let cancelled = patch(&subs[0], json!({"status": "deleted"})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert_eq!(cancelled.body["status"], "deleted");
    assert_pc_error(
        &patch(&cancelled.body, json!({"friendlyName": "x"})).await,
        400,
        2011,
    );
    env.sb.clock().advance(chrono::Duration::days(2));
    let late = patch(&subs[1], json!({"status": "deleted"})).await;
    assert_pc_error(&late, 400, 900117);
    assert!(late.body["description"]
        .as_str()
        .unwrap()
        .contains("1-day cancellation window"));
}

#[tokio::test]
async fn state_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let cfg = SandboxConfig {
        offers: 300,
        state: Some(path.clone()),
        ..Default::default()
    };
    let env = start_with(cfg.clone()).await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env.monthly_saas().await;
    let cart = env
        .cart(&cid, &av, sku["minimumQuantity"].as_u64().unwrap(), &[])
        .await;
    let path_checkout = format!(
        "/v1/customers/{cid}/carts/{}/checkout",
        cart.body["id"].as_str().unwrap()
    );
    let rid = [("MS-RequestId", "9a0c7b9e-0000-4000-8000-000000000003")];
    let first = env.call(Method::POST, &path_checkout, None, &rid).await;
    let oid = first.body["orders"][0]["id"].as_str().unwrap().to_string();
    env.sb.clock().advance(chrono::Duration::days(3));
    let moved = env.sb.clock().now();
    let orders_before = env.get(&format!("/v1/customers/{cid}/orders")).await.body;
    env.sb.shutdown().await;

    let env = start_with(cfg.clone()).await;
    assert_eq!(
        env.get(&format!("/v1/customers/{cid}/orders")).await.body,
        orders_before
    );
    assert!((env.sb.clock().now() - moved).num_seconds().abs() < 60);
    let replay = env.call(Method::POST, &path_checkout, None, &rid).await;
    assert_eq!(replay.body, first.body);
    assert_eq!(
        env.get(&format!("/v1/customers/{cid}/orders/{oid}"))
            .await
            .status,
        StatusCode::OK
    );
    env.sb.shutdown().await;

    let err = Sandbox::start(SandboxConfig { seed: 1, ..cfg })
        .await
        .err()
        .expect("seed mismatch is refused");
    assert!(matches!(err, cspdesk_core::Error::Invalid(_)), "{err}");
}

#[tokio::test]
async fn trial_purchase_and_subscription_updates() {
    let env = start().await;
    let cid = env.us_customer().await;
    let (_, sku, av) = env
        .offer("US", "SaaS", |t| t["billingCycle"] == "None")
        .await;
    let trial_term = av["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["billingCycle"] == "None")
        .unwrap()
        .clone();
    assert_eq!(trial_term["duration"], "P1M");
    let qty = sku["minimumQuantity"].as_u64().unwrap();
    let body = json!({"lineItems": [{"id": 0, "catalogItemId": av["catalogItemId"], "quantity": qty, "billingCycle": "none", "termDuration": "P1M", "renewsTo": {"termDuration": "P1Y"}}]});
    let cart = env
        .call(
            Method::POST,
            &format!("/v1/customers/{cid}/carts"),
            Some(body),
            &[],
        )
        .await;
    assert_eq!(cart.status, StatusCode::CREATED, "{}", cart.body);
    assert_eq!(cart.body["lineItems"][0]["renewsTo"]["termDuration"], "P1Y");
    let checkout = env
        .call(
            Method::POST,
            &format!(
                "/v1/customers/{cid}/carts/{}/checkout",
                cart.body["id"].as_str().unwrap()
            ),
            None,
            &[],
        )
        .await;
    let sub = env
        .subscription_of(&cid, checkout.body["orders"][0]["id"].as_str().unwrap())
        .await;
    assert_eq!(sub["isTrial"], true);
    assert_eq!(sub["autoRenewEnabled"], false);
    assert_eq!(sub["billingCycle"], "none");
    let created =
        chrono::DateTime::parse_from_rfc3339(sub["creationDate"].as_str().unwrap()).unwrap();
    let until =
        chrono::DateTime::parse_from_rfc3339(sub["cancellationAllowedUntilDate"].as_str().unwrap())
            .unwrap();
    assert!((until - created).num_days() >= 28);
    // Activate through the SaaS API, then updates apply.
    let plan = {
        tokio::time::sleep(Duration::from_millis(350)).await;
        let link = env
            .activation_link(&cid, checkout.body["orders"][0]["id"].as_str().unwrap())
            .await;
        let token = link.split("token=").nth(1).unwrap().to_string();
        let r: Value = env
            .http
            .post(env.url("/api/saas/subscriptions/resolve"))
            .bearer_auth("p")
            .header("x-ms-marketplace-token", token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["subscription"]["isFreeTrial"], true);
        r["planId"].as_str().unwrap().to_string()
    };
    let sid = sub["id"].as_str().unwrap();
    let act = env
        .http
        .post(env.url(&format!("/api/saas/subscriptions/{sid}/activate")))
        .bearer_auth("p")
        .json(&json!({"planId": plan}))
        .send()
        .await
        .unwrap();
    assert_eq!(act.status(), StatusCode::OK);
    let path = format!("/v1/customers/{cid}/subscriptions/{sid}");
    let active = env.get(&path).await.body;
    let mut renew = active.clone();
    renew["autoRenewEnabled"] = json!(true);
    assert_pc_error(
        &env.call(Method::PATCH, &path, Some(renew), &[]).await,
        400,
        800093,
    );
    let max = sku["maximumQuantity"].as_u64().unwrap();
    let mut too_many = active.clone();
    too_many["quantity"] = json!(max + 1);
    assert_pc_error(
        &env.call(Method::PATCH, &path, Some(too_many), &[]).await,
        400,
        800017,
    );
    let renamed = env
        .call(
            Method::PATCH,
            &path,
            Some(json!({"FriendlyName": "Renamed"})),
            &[],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["friendlyName"], "Renamed");
    assert_ne!(
        renamed.body["attributes"]["etag"],
        active["attributes"]["etag"]
    );
    // Free trials can be cancelled during the trial.
    env.sb.clock().advance(chrono::Duration::days(10));
    let cancel = env
        .call(
            Method::PATCH,
            &path,
            Some(json!({"status": "deleted"})),
            &[],
        )
        .await;
    assert_eq!(cancel.body["status"], "deleted", "{}", cancel.body);
}
