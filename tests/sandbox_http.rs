//! The sandbox over real HTTP, driven with reqwest as a client would.

use std::time::{Duration, Instant};

use cspdesk::sandbox::{FaultSpec, Sandbox, SandboxConfig, SANDBOX_ARM_SUBSCRIPTION};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

struct Env {
    sb: Sandbox,
    http: Client,
}

async fn start_with(cfg: SandboxConfig) -> Env {
    let sb = Sandbox::start(cfg).await.expect("sandbox starts");
    Env {
        sb,
        http: Client::new(),
    }
}

async fn start() -> Env {
    start_with(SandboxConfig {
        offers: 300,
        ..Default::default()
    })
    .await
}

struct Resp {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Env {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.url(), path.trim_start_matches('/'))
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth("test-token");
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("response");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("valid JSON")
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None, &[]).await
    }

    /// A US customer id.
    async fn us_customer(&self) -> String {
        let list = self.get("/v1/customers?size=50").await;
        for c in list.body["items"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let full = self.get(&format!("/v1/customers/{id}")).await;
            if full.body["billingProfile"]["defaultAddress"]["country"] == "US" {
                return id.to_string();
            }
        }
        panic!("no US customer");
    }

    /// (product, sku, availability) of the first product of `subtype` sold in `country`
    /// whose first SKU's availability has a term matching `term`.
    async fn offer(
        &self,
        country: &str,
        subtype: &str,
        term: impl Fn(&Value) -> bool,
    ) -> (Value, Value, Value) {
        let products = self
            .get(&format!(
                "/v1/products?country={country}&targetView=OnlineServices"
            ))
            .await;
        for p in products.body["items"].as_array().unwrap() {
            if p["productType"]["subType"]["id"] != subtype {
                continue;
            }
            let id = p["id"].as_str().unwrap();
            let skus = self
                .get(&format!("/v1/products/{id}/skus?country={country}"))
                .await;
            let sku = skus.body["items"][0].clone();
            let avs = self
                .get(&format!(
                    "/v1/products/{id}/skus/{}/availabilities?country={country}",
                    sku["id"].as_str().unwrap()
                ))
                .await;
            let Some(av) = avs.body["items"].get(0).cloned() else {
                continue;
            };
            if av["terms"].as_array().unwrap().iter().any(&term) {
                return (p.clone(), sku, av);
            }
        }
        panic!("no {subtype} offer in {country}");
    }

    async fn monthly_saas(&self) -> (Value, Value, Value) {
        self.offer("US", "SaaS", |t| {
            t["duration"] == "P1M" && t["billingCycle"] == "Monthly"
        })
        .await
    }

    async fn cart(&self, cid: &str, av: &Value, qty: u64, extra: &[(&str, &str)]) -> Resp {
        let body = json!({"lineItems": [{"id": 0, "catalogItemId": av["catalogItemId"], "quantity": qty, "billingCycle": "monthly", "termDuration": "P1M"}]});
        self.call(
            Method::POST,
            &format!("/v1/customers/{cid}/carts"),
            Some(body),
            extra,
        )
        .await
    }

    /// Buys one monthly seat of `av` and returns the checkout response.
    async fn buy(&self, cid: &str, av: &Value, sku: &Value) -> Resp {
        let cart = self
            .cart(cid, av, sku["minimumQuantity"].as_u64().unwrap(), &[])
            .await;
        assert_eq!(cart.status, StatusCode::CREATED, "{}", cart.body);
        let id = cart.body["id"].as_str().unwrap();
        self.call(
            Method::POST,
            &format!("/v1/customers/{cid}/carts/{id}/checkout"),
            None,
            &[],
        )
        .await
    }

    async fn activation_link(&self, cid: &str, order_id: &str) -> String {
        for _ in 0..100 {
            let links = self
                .get(&format!(
                    "/v1/customers/{cid}/orders/{order_id}/lineitems/0/activationlinks"
                ))
                .await;
            assert_eq!(links.status, StatusCode::OK);
            if let Some(uri) = links.body["items"][0]["link"]["uri"].as_str() {
                return uri.to_string();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no activation link");
    }

    async fn subscription_of(&self, cid: &str, order_id: &str) -> Value {
        let order = self
            .get(&format!("/v1/customers/{cid}/orders/{order_id}"))
            .await;
        let sid = order.body["lineItems"][0]["subscriptionId"]
            .as_str()
            .unwrap()
            .to_string();
        self.get(&format!("/v1/customers/{cid}/subscriptions/{sid}"))
            .await
            .body
    }
}

fn assert_pc_error(r: &Resp, status: u16, code: u64) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(r.body["code"], code, "{}", r.body);
    assert_eq!(r.body["source"], "PartnerFD");
    assert!(r.body["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn auth_ids_and_unknown_routes() {
    let env = start().await;
    let r = env
        .http
        .get(env.url("/v1/customers"))
        .header("MS-RequestId", "abc-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["ms-requestid"], "abc-1");
    assert!(r.headers().contains_key("ms-correlationid"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"code": 800001, "description": "Partner Token missing in request context", "data": [], "source": "PartnerFD"})
    );
    let ok = env.get("/v1/customers").await;
    assert_eq!(
        ok.headers["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(ok.headers.contains_key("ms-requestid"));
    assert_pc_error(&env.get("/v1/nothing/here").await, 404, 1000);
    assert_pc_error(&env.get("/v1/products?targetView=Azure").await, 400, 800002);
    assert_pc_error(
        &env.get("/v1/products/NOPE00000000?country=US").await,
        404,
        400013,
    );
}

#[tokio::test]
async fn same_seed_same_catalog() {
    let a = start_with(SandboxConfig {
        seed: 7,
        offers: 200,
        ..Default::default()
    })
    .await;
    let b = start_with(SandboxConfig {
        seed: 7,
        offers: 200,
        ..Default::default()
    })
    .await;
    let c = start_with(SandboxConfig {
        seed: 8,
        offers: 200,
        ..Default::default()
    })
    .await;
    let path = "/v1/products?country=US&targetView=OnlineServices";
    let (pa, pb, pc) = (
        a.get(path).await.body,
        b.get(path).await.body,
        c.get(path).await.body,
    );
    assert_eq!(pa["items"][0], pb["items"][0]);
    assert_eq!(pa["items"], pb["items"]);
    assert_ne!(pa["items"][0]["id"], pc["items"][0]["id"]);
    let id = pa["items"][0]["id"].as_str().unwrap();
    assert_eq!(id.len(), 12);
    assert!(id
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    let sa = a
        .get(&format!("/v1/products/{id}/skus?country=US"))
        .await
        .body;
    let sb = b
        .get(&format!("/v1/products/{id}/skus?country=US"))
        .await
        .body;
    assert_eq!(sa, sb);
    assert_eq!(
        a.get("/v1/customers").await.body["items"],
        b.get("/v1/customers").await.body["items"]
    );
}

#[tokio::test]
async fn customers_seek_paging_and_filter() {
    let env = start().await;
    let mut ids = std::collections::HashSet::new();
    let mut page = env.get("/v1/customers?size=20").await;
    let mut pages = 1;
    loop {
        for c in page.body["items"].as_array().unwrap() {
            assert!(ids.insert(c["id"].as_str().unwrap().to_string()));
            assert_eq!(c["relationshipToPartner"], "reseller");
        }
        let Some(token) = page.body["continuationToken"].as_str() else {
            break;
        };
        assert_eq!(page.headers["ms-continuationtoken"], token);
        let next = &page.body["links"]["next"];
        assert_eq!(next["headers"][0]["key"], "MS-ContinuationToken");
        assert_eq!(next["headers"][0]["value"], token);
        let uri = next["uri"].as_str().unwrap().to_string();
        page = env
            .call(
                Method::GET,
                &format!("/v1{uri}"),
                None,
                &[("MS-ContinuationToken", token)],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        pages += 1;
    }
    assert_eq!(ids.len(), 50);
    assert!(pages >= 3);
    let first = env.get("/v1/customers?size=1").await.body["items"][0]["companyProfile"]
        ["companyName"]
        .as_str()
        .unwrap()
        .to_string();
    let prefix = first[..3].to_lowercase();
    let filter = format!(
        "{{\"Field\":\"CompanyName\",\"Value\":\"{prefix}\",\"Operator\":\"starts_with\"}}"
    );
    let enc: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
    let found = env.get(&format!("/v1/customers?size=0&filter={enc}")).await;
    let items = found.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|c| c["companyProfile"]["companyName"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .starts_with(&prefix)));
}

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
async fn price_sheet_csv_and_zip() {
    let env = start().await;
    let path = "/v1.0/sales/pricesheets(Market='us',PricesheetView='marketplace')/$value";
    let csv = env
        .http
        .get(env.url(path))
        .bearer_auth("t")
        .header("Accept-Encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=pricesheet"
    );
    let text = csv.text().await.unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "\"ProductTitle\",\"ProductId\",\"SkuId\",\"SkuTitle\",\"Publisher\",\"SkuDescription\",\"UnitOfMeasure\",\"TermDuration\",\"BillingPlan\",\"Market\",\"Currency\",\"UnitPrice\",\"PricingTierRangeMin\",\"PricingTierRangeMax\",\"EffectiveStartDate\",\"EffectiveEndDate\",\"Tags\",\"ERP Price\""
    );
    assert!(text.lines().count() > 50);
    assert!(text.lines().nth(1).unwrap().contains("\"US\",\"USD\""));
    let zipped = env
        .http
        .get(env.url(path))
        .bearer_auth("t")
        .header("Accept-Encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(
        zipped.headers()["content-disposition"],
        "attachment; filename=pricesheet.zip"
    );
    let bytes = zipped.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut entry = archive.by_name("pricesheet.csv").unwrap();
    let mut inner = String::new();
    std::io::Read::read_to_string(&mut entry, &mut inner).unwrap();
    assert_eq!(inner, text);
    let bad = env
        .get("/v1.0/sales/pricesheets(Market='XX',PricesheetView='marketplace')/$value")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"]["code"], "invalidRequest");
    let view = env
        .get("/v1.0/sales/pricesheets(Market='US',PricesheetView='nope')/$value")
        .await;
    assert_eq!(view.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn arm_catalog_paging_and_detail() {
    let env = start().await;
    let base = format!(
        "/subscriptions/{SANDBOX_ARM_SUBSCRIPTION}/providers/Microsoft.Marketplace/products"
    );
    let mut next = Some(env.url(&format!("{base}?api-version=2023-01-01-preview")));
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    let mut first = None;
    while let Some(url) = next {
        let page: Value = env
            .http
            .get(&url)
            .bearer_auth("arm")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["value"].as_array().unwrap();
        assert!(items.len() <= 100);
        for p in items {
            assert!(seen.insert(p["uniqueProductId"].as_str().unwrap().to_string()));
            first.get_or_insert_with(|| p.clone());
        }
        next = page["nextLink"].as_str().map(str::to_string);
        pages += 1;
    }
    assert!(pages >= 3, "{pages}");
    let first = first.unwrap();
    for f in [
        "offerId",
        "displayName",
        "publisherId",
        "publisherDisplayName",
        "publisherType",
        "productType",
        "categoryIds",
        "pricingTypes",
        "plans",
        "lastModifiedDateTime",
    ] {
        assert!(first.get(f).is_some(), "{f}");
    }
    let id = first["uniqueProductId"].as_str().unwrap();
    let detail = env
        .get(&format!(
            "{base}/{id}?api-version=2023-01-01-preview&market=US"
        ))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["displayName"] == "Publisher website"));
    assert!(detail.body["supportUri"].is_string());
    assert!(detail.body["plans"][0]["availabilities"].is_array());
    let missing = env
        .get(&format!(
            "{base}/nobody.nothing?api-version=2023-01-01-preview"
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["error"]["code"].is_string());
    let search = env
        .get(&format!(
            "{base}?api-version=2023-01-01-preview&$search=zzzzzz"
        ))
        .await;
    assert_eq!(search.body["value"], json!([]));
}

#[tokio::test]
async fn invoices_and_line_item_paging() {
    let env = start().await;
    let list = env.get("/v1/invoices").await;
    let invoices = list.body["items"].as_array().unwrap().clone();
    assert!(invoices.len() >= 11);
    let mut best = (0, String::new());
    for inv in &invoices {
        let id = inv["id"].as_str().unwrap();
        assert!(id.starts_with('G') && id.len() == 10);
        assert_eq!(inv["invoiceType"], "OneTime");
        let n = env
            .get(&format!(
                "/v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems"
            ))
            .await
            .body["totalCount"]
            .as_u64()
            .unwrap();
        best = best.max((n, id.to_string()));
    }
    assert!(best.0 > 20, "largest invoice has {} rows", best.0);
    let mut page = env.get(&format!("/v1/invoices/{}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=10", best.1)).await;
    let mut rows = 0;
    let mut pages = 1;
    loop {
        for r in page.body["items"].as_array().unwrap() {
            assert!(
                r["unitPrice"].is_number()
                    && r["quantity"].is_number()
                    && r["subtotal"].is_number()
            );
            assert_eq!(r["invoiceNumber"], best.1.as_str());
            rows += 1;
        }
        let Some(tok) = page.body["continuationToken"].as_str().map(str::to_string) else {
            break;
        };
        let uri = page.body["links"]["next"]["uri"]
            .as_str()
            .unwrap()
            .to_string();
        page = env
            .call(
                Method::GET,
                &format!("/v1{uri}"),
                None,
                &[("MS-ContinuationToken", &tok)],
            )
            .await;
        pages += 1;
    }
    assert_eq!(rows, best.0);
    assert!(pages >= 3);
    let unbilled = env.get("/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current").await;
    assert_eq!(unbilled.status, StatusCode::OK);
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
    assert!(matches!(err, cspdesk::Error::Invalid(_)), "{err}");
}

#[tokio::test]
async fn starts_with_100k_offers() {
    let t = Instant::now();
    let env = start_with(SandboxConfig {
        offers: 100_000,
        ..Default::default()
    })
    .await;
    let took = t.elapsed();
    assert!(took < Duration::from_secs(30), "startup took {took:?}");
    let page = env
        .get("/v1/products?country=US&targetView=OnlineServices")
        .await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1000);
    assert!(page.body["continuationToken"].is_string());
    let arm = env.get(&format!("/subscriptions/{SANDBOX_ARM_SUBSCRIPTION}/providers/Microsoft.Marketplace/products?api-version=2023-01-01-preview")).await;
    assert_eq!(arm.body["value"].as_array().unwrap().len(), 100);
    eprintln!("100k startup: {took:?}");
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

#[tokio::test]
async fn invoices_carry_trial_rows() {
    let env = start_with(SandboxConfig::default()).await;
    let list = env.get("/v1/invoices").await;
    let mut trial_rows = 0;
    for inv in list.body["items"].as_array().unwrap() {
        let id = inv["id"].as_str().unwrap();
        let rows = env
            .get(&format!(
                "/v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems"
            ))
            .await
            .body;
        for r in rows["items"].as_array().unwrap() {
            if r["productQualifiers"] == json!(["Trial"]) {
                assert_eq!(r["unitPrice"], 0.0);
                assert_eq!(r["termAndBillingCycle"], "One-Month commitment for trial");
                trial_rows += 1;
            }
        }
    }
    assert!(trial_rows > 0);
}

#[tokio::test]
async fn prices_drift_from_day_to_day() {
    let env = start().await;
    let path = "/v1.0/sales/pricesheets(Market='US',PricesheetView='marketplace')/$value";
    let sheet = |env: &Env| {
        let req = env
            .http
            .get(env.url(path))
            .bearer_auth("t")
            .header("Accept-Encoding", "identity");
        async move {
            let text = req.send().await.unwrap().text().await.unwrap();
            text.lines()
                .skip(1)
                .map(|l| {
                    let f: Vec<&str> = l.split("\",\"").collect();
                    (
                        (
                            f[1].to_string(),
                            f[2].to_string(),
                            f[7].to_string(),
                            f[8].to_string(),
                        ),
                        f[11].to_string(),
                    )
                })
                .collect::<std::collections::HashMap<_, _>>()
        }
    };
    let today = sheet(&env).await;
    assert_eq!(sheet(&env).await, today, "same day, same prices");
    env.sb.clock().advance(chrono::Duration::days(5));
    let later = sheet(&env).await;
    let common: Vec<_> = today.keys().filter(|k| later.contains_key(*k)).collect();
    let changed = common.iter().filter(|k| today[**k] != later[**k]).count();
    assert!(changed > 0, "some prices move");
    assert!(
        changed * 3 < common.len(),
        "most prices stay: {changed} of {}",
        common.len()
    );
}
