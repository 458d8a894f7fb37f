//! Helpers shared by the sandbox HTTP tests: a started sandbox plus a reqwest client.

use std::time::Duration;

use cspdesk_sandbox::{Sandbox, SandboxConfig};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

pub struct Env {
    pub sb: Sandbox,
    pub http: Client,
}

pub async fn start_with(cfg: SandboxConfig) -> Env {
    Env {
        sb: super::start_sandbox(cfg).await,
        http: Client::new(),
    }
}

pub async fn start() -> Env {
    start_with(SandboxConfig {
        offers: 300,
        ..Default::default()
    })
    .await
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.url(), path.trim_start_matches('/'))
    }

    pub async fn call(
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

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None, &[]).await
    }

    /// A US customer id.
    pub async fn us_customer(&self) -> String {
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
    pub async fn offer(
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

    pub async fn monthly_saas(&self) -> (Value, Value, Value) {
        self.offer("US", "SaaS", |t| {
            t["duration"] == "P1M" && t["billingCycle"] == "Monthly"
        })
        .await
    }

    pub async fn cart(&self, cid: &str, av: &Value, qty: u64, extra: &[(&str, &str)]) -> Resp {
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
    pub async fn buy(&self, cid: &str, av: &Value, sku: &Value) -> Resp {
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

    pub async fn activation_link(&self, cid: &str, order_id: &str) -> String {
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

    pub async fn subscription_of(&self, cid: &str, order_id: &str) -> Value {
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

pub fn assert_pc_error(r: &Resp, status: u16, code: u64) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(r.body["code"], code, "{}", r.body);
    assert_eq!(r.body["source"], "PartnerFD");
    assert!(r.body["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}
