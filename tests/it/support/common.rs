//! Shared test setup: a sandbox on loopback and a client pointed at it.

use std::sync::Arc;

use cspdesk_core::connection::SANDBOX_TOKEN;
use cspdesk_core::partner_center::auth::StaticToken;
use cspdesk_core::partner_center::retry::RetryPolicy;
use cspdesk_core::partner_center::{Client, ClientConfig, Endpoints};
use cspdesk_core::secrets::Secret;
use cspdesk_sandbox::{FaultSpec, Sandbox, SandboxConfig};

pub async fn sandbox_with(offers: usize, faults: &str) -> Sandbox {
    let faults: FaultSpec = faults.parse().expect("fault spec");
    super::start_sandbox(SandboxConfig {
        offers,
        faults,
        ..Default::default()
    })
    .await
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(300, "").await
}

pub fn client_with(sandbox: &Sandbox, retry: RetryPolicy) -> Client {
    let mut cfg = ClientConfig::new(
        Endpoints::single(sandbox.url()),
        Arc::new(StaticToken(Secret::new(SANDBOX_TOKEN))),
    );
    cfg.retry = retry;
    Client::new(cfg).expect("client")
}

pub fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, fast_retry(6))
}

/// Short backoffs so tests stay quick; `Retry-After` is still honoured as sent.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: std::time::Duration::from_millis(5),
        max_delay: std::time::Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

/// A CSP Desk connection (store in a temp dir) to `sandbox`.
pub async fn connection(
    sandbox: &Sandbox,
) -> (cspdesk_core::connection::Connection, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn =
        cspdesk_core::connection::Connection::open(cspdesk_core::connection::ConnectOptions {
            sandbox_starter: Some(cspdesk_sandbox::starter()),
            endpoint: Some(sandbox.url().clone()),
            data_dir: Some(dir.path().to_path_buf()),
            // Never the OS keychain in tests.
            secrets: Some(cspdesk_core::auth::MemoryStore::new()),
            ..Default::default()
        })
        .await
        .expect("connection");
    (conn, dir)
}

/// A customer and a purchasable SaaS offer (product, sku, availability) sold in its billing country.
pub struct Buyable {
    pub customer: cspdesk_core::partner_center::models::Customer,
    pub country: String,
    pub product: cspdesk_core::partner_center::models::Product,
    pub sku: cspdesk_core::partner_center::models::Sku,
    pub availability: cspdesk_core::partner_center::models::Availability,
}

pub async fn buyable(client: &Client, skip: usize, want_trial: bool) -> Buyable {
    use cspdesk_core::partner_center::{api, paging};
    let customers = paging::collect_all(client, api::customers(100, None))
        .await
        .unwrap();
    let mut seen = 0;
    for c in customers {
        let full = cspdesk_core::customers::get(client, &c.id).await.unwrap();
        let Some(country) = full.billing_country().map(str::to_string) else {
            continue;
        };
        let products = paging::collect_all(client, api::products(&country, "OnlineServices"))
            .await
            .unwrap();
        for p in products.into_iter().filter(|p| p.is_saas()) {
            let skus = paging::collect_all(client, api::skus(&p.id, &country))
                .await
                .unwrap();
            for sku in skus {
                let avs =
                    paging::collect_all(client, api::availabilities(&p.id, &sku.id, &country))
                        .await
                        .unwrap();
                let Some(a) = avs.into_iter().find(|a| a.is_purchasable) else {
                    continue;
                };
                let has_trial = a.terms.iter().any(|t| t.is_trial());
                if has_trial != want_trial {
                    continue;
                }
                if seen == skip {
                    return Buyable {
                        customer: full,
                        country,
                        product: p,
                        sku,
                        availability: a,
                    };
                }
                seen += 1;
            }
        }
    }
    panic!("no buyable offer found");
}

/// Press "Activate" on the publisher landing page an activation link opens.
pub async fn activate_via_landing_page(link: &str) {
    let http = reqwest::Client::new();
    let page = http.get(link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Activate"), "{page}");
    let url = url::Url::parse(link).unwrap();
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "token")
        .unwrap()
        .1
        .to_string();
    let activate = url
        .join(&url.path().replace("/landing", "/activate"))
        .unwrap();
    let resp = http
        .post(activate)
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}
