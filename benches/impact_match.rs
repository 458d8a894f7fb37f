//! Benchmark (one stage, labelled as such): the price-change impact match of issue 20 over
//! 1,000,000 changed rows and 10,000 subscriptions, in process. The changes and subscriptions
//! are made up here; the figure is the match alone (index the changes, look up each held plan,
//! sort), which is what `prices impact` adds to reading the two days' snapshots.
//! `cargo bench --bench impact_match`.

use std::time::Instant;

use cspdesk_core::partner_center::models::{Customer, Subscription};
use cspdesk_core::pricelist::diff::{ChangeKind, PriceChange};
use cspdesk_core::pricelist::impact::{match_held, Held, MarketChanges};
use serde_json::json;

const PRODUCTS: usize = 50_000;
const SKUS: usize = 5;
const TERMS: [(&str, &str); 4] = [
    ("P1M", "Monthly"),
    ("P1Y", "Monthly"),
    ("P1Y", "Annual"),
    ("P3Y", "Annual"),
];

fn main() {
    let kinds = [
        ChangeKind::Increase,
        ChangeKind::Decrease,
        ChangeKind::New,
        ChangeKind::Removed,
    ];
    let mut changes = Vec::with_capacity(PRODUCTS * SKUS * TERMS.len());
    for p in 0..PRODUCTS {
        for s in 0..SKUS {
            for (t, (term, billing)) in TERMS.iter().enumerate() {
                let kind = kinds[(p + s + t) % kinds.len()];
                changes.push(PriceChange {
                    kind,
                    product_id: format!("DZH318Z{p:05}"),
                    product: format!("Product {p}"),
                    sku_id: format!("{s:04}"),
                    plan: format!("Plan {s}"),
                    publisher: format!("Publisher {}", p % 900),
                    term: term.to_string(),
                    billing_plan: billing.to_string(),
                    currency: "GBP".into(),
                    old_price: (kind != ChangeKind::New).then_some(10.0),
                    new_price: (kind != ChangeKind::Removed).then_some(11.0),
                    amount: None,
                    percent: Some(10.0),
                })
            }
        }
    }
    let customer: Customer = serde_json::from_value(json!({
        "id": "c1",
        "companyProfile": {"companyName": "Fabrikam"},
        "billingProfile": {"id": "b", "defaultAddress": {"country": "GB"}}
    }))
    .expect("a customer");
    let held: Vec<Held> = (0..10_000)
        .map(|i| {
            let (term, billing) = TERMS[i % TERMS.len()];
            let sub: Subscription = serde_json::from_value(json!({
                "id": format!("sub-{i}"),
                "offerId": format!("DZH318Z{:05}:{:04}:0001", (i * 7) % PRODUCTS, i % SKUS),
                "friendlyName": format!("Subscription {i}"),
                "quantity": 5,
                "status": "active",
                "autoRenewEnabled": true,
                "billingCycle": billing.to_lowercase(),
                "termDuration": term,
                "commitmentEndDate": format!("2027-{:02}-{:02}T00:00:00Z", i % 12 + 1, i % 28 + 1),
            }))
            .expect("a subscription");
            Held::of(&customer, sub).expect("active")
        })
        .collect();
    let markets = [MarketChanges {
        market: "GB",
        from: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        changes: &changes,
    }];
    let mut best = f64::MAX;
    let mut touched = 0;
    for _ in 0..5 {
        let t = Instant::now();
        touched = match_held(&markets, &held).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "impact match (one stage): {} changed rows x {} subscriptions -> {touched} touched in {:.3} s, best of 5 (target <= 1 s)",
        changes.len(),
        held.len(),
        best
    );
}
