//! Sandbox catalog, customers, billing, price sheet and ARM over real HTTP.

use crate::support::sandbox_support;

use std::time::{Duration, Instant};

use cspdesk_sandbox::{SandboxConfig, SANDBOX_ARM_SUBSCRIPTION};
use reqwest::{Method, StatusCode};
use sandbox_support::*;
use serde_json::{json, Value};

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
    let mut next = Some(env.url(&format!("{base}?api-version=2025-05-01")));
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
        .get(&format!("{base}/{id}?api-version=2025-05-01&market=US"))
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
        .get(&format!("{base}/nobody.nothing?api-version=2025-05-01"))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["error"]["code"].is_string());
    let search = env
        .get(&format!("{base}?api-version=2025-05-01&$search=zzzzzz"))
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
    let arm = env.get(&format!("/subscriptions/{SANDBOX_ARM_SUBSCRIPTION}/providers/Microsoft.Marketplace/products?api-version=2025-05-01")).await;
    assert_eq!(arm.body["value"].as_array().unwrap().len(), 100);
    eprintln!("100k startup: {took:?}");
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
