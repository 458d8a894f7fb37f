//! Price changes that touch customers (issue 20): the day's changes (new, removed, up, down)
//! matched against the plans customers hold in active subscriptions, so the account manager can
//! tell them before the renewal.
//!
//! The rule, decided here and only here:
//! - A subscription is matched by product and plan (SKU), then by term and billing plan where
//!   both sides say them (a change of the plan's monthly price does not touch an annual
//!   subscription); where the subscription's term is unknown, every change of its plan counts.
//! - A subscription is matched in its customer's market (the billing country); a customer whose
//!   country is not known is matched in every market asked for.
//! - Only subscriptions that will renew or still run count: active, pending, or suspended.
//! - Removed plans come first, then by next renewal (soonest first, unknown last), then customer.
//!
//! The match is one hash lookup per subscription over an index of the changes, so 1M changes
//! and 10,000 subscriptions take well under a second.

use std::collections::HashMap;
use std::hash::Hasher;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::diff::{ChangeKind, PriceChange};
use crate::partner_center::models::{Customer, Subscription, SubscriptionStatus};
use crate::tabular::{Cell, Table};

/// A plan a customer holds, as the match reads it.
#[derive(Debug, Clone)]
pub struct Held {
    pub customer_id: String,
    pub customer_name: String,
    /// Two-letter billing country, upper case; empty when not known.
    pub country: String,
    pub subscription: Subscription,
}

impl Held {
    /// `s` of customer `c`, if it still counts (active, pending or suspended).
    pub fn of(c: &Customer, s: Subscription) -> Option<Held> {
        let counts = matches!(
            s.status,
            SubscriptionStatus::Active
                | SubscriptionStatus::Pending
                | SubscriptionStatus::Suspended
        );
        counts.then(|| Held {
            customer_id: c.id.clone(),
            customer_name: c.company_profile.company_name.clone(),
            country: c
                .billing_country()
                .map(str::to_ascii_uppercase)
                .unwrap_or_default(),
            subscription: s,
        })
    }
}

/// One subscription touched by one change.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImpactRow {
    pub market: String,
    pub customer_id: String,
    pub customer_name: String,
    pub subscription_id: String,
    /// The subscription's friendly name.
    pub subscription: String,
    /// The change that touches it: product, plan, term, billing plan, kind, prices.
    #[serde(flatten)]
    #[ts(flatten)]
    pub change: PriceChange,
    /// When the subscription's term ends and it renews (its commitment end date).
    pub renewal: Option<DateTime<Utc>>,
    pub auto_renew: bool,
    pub quantity: u32,
}

/// One market's changes between two days.
pub struct MarketChanges<'a> {
    pub market: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub changes: &'a [PriceChange],
}

/// A product and plan, case folded, as a hash (checked again on a hit).
fn plan_key(product: &str, sku: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for b in product.bytes() {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.write_u8(0xff);
    for b in sku.bytes() {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.finish()
}

/// Whether a change's billing plan (`Monthly`, `Annual`, …) is the subscription's cycle.
fn same_billing(change: &str, cycle: &str) -> bool {
    change.is_empty() || cycle.is_empty() || change.eq_ignore_ascii_case(cycle)
}

/// Every (subscription, change) pair that touches a customer, in the order the account
/// manager reads them (see the module doc).
pub fn match_held(markets: &[MarketChanges<'_>], held: &[Held]) -> Vec<ImpactRow> {
    let mut out = vec![];
    for m in markets {
        let mut index: HashMap<u64, Vec<&PriceChange>> = HashMap::new();
        for c in m.changes {
            index
                .entry(plan_key(&c.product_id, &c.sku_id))
                .or_default()
                .push(c);
        }
        for h in held {
            if !h.country.is_empty() && !h.country.eq_ignore_ascii_case(m.market) {
                continue;
            }
            let s = &h.subscription;
            let (Some(product), Some(sku)) = s.product_and_sku() else {
                continue;
            };
            let Some(found) = index.get(&plan_key(product, sku)) else {
                continue;
            };
            let cycle = s.billing_cycle.as_str();
            for c in found {
                let same_plan = c.product_id.eq_ignore_ascii_case(product)
                    && c.sku_id.eq_ignore_ascii_case(sku);
                let same_term = s.term_duration.is_empty()
                    || c.term.is_empty()
                    || c.term.eq_ignore_ascii_case(&s.term_duration);
                if !(same_plan && same_term && same_billing(&c.billing_plan, cycle)) {
                    continue;
                }
                out.push(ImpactRow {
                    market: m.market.to_string(),
                    customer_id: h.customer_id.clone(),
                    customer_name: h.customer_name.clone(),
                    subscription_id: s.id.clone(),
                    subscription: s.friendly_name.clone(),
                    change: (*c).clone(),
                    renewal: s.commitment_end_date,
                    auto_renew: s.auto_renew_enabled,
                    quantity: s.quantity,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        let removed = |r: &ImpactRow| r.change.kind != ChangeKind::Removed;
        removed(a)
            .cmp(&removed(b))
            .then_with(|| match (a.renewal, b.renewal) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.customer_name.cmp(&b.customer_name))
            .then_with(|| a.subscription_id.cmp(&b.subscription_id))
    });
    out
}

/// The impact list as a table to write (.xlsx or .csv).
pub fn table(rows: &[ImpactRow]) -> Table {
    let headers = [
        "Renewal",
        "Customer",
        "Subscription",
        "Market",
        "Product",
        "Plan",
        "Publisher",
        "Term",
        "Billing plan",
        "Change",
        "Old price",
        "New price",
        "Percent",
        "Auto-renew",
        "Seats",
        "Subscription ID",
    ];
    let money = Cell::money;
    let text = |s: &str| Cell::Text(s.to_string());
    Table {
        name: "Impact".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.renewal
                        .map(|d| Cell::Date(d.date_naive()))
                        .unwrap_or(Cell::Empty),
                    text(&r.customer_name),
                    text(&r.subscription),
                    text(&r.market),
                    text(&r.change.product),
                    text(&r.change.plan),
                    text(&r.change.publisher),
                    text(&r.change.term),
                    text(&r.change.billing_plan),
                    text(r.change.kind.label()),
                    money(r.change.old_price, &r.change.currency),
                    money(r.change.new_price, &r.change.currency),
                    r.change.percent.map(Cell::Number).unwrap_or(Cell::Empty),
                    text(if r.auto_renew { "On" } else { "Off" }),
                    Cell::Number(f64::from(r.quantity)),
                    text(&r.subscription_id),
                ]
            })
            .collect(),
    }
}

/// The days one market's changes were taken between.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImpactSpan {
    pub market: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Changes that day, whether or not they touch a customer.
    #[ts(type = "number")]
    pub changes: u64,
}

/// `prices impact`: who is touched, and which days were compared.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImpactReport {
    pub spans: Vec<ImpactSpan>,
    /// Markets with nothing to compare yet, and why (e.g. a single day's snapshot).
    pub skipped: Vec<ImpactSkip>,
    pub rows: Vec<ImpactRow>,
}

/// A market with nothing to compare yet (fewer than two snapshots to compare): "GB: why".
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImpactSkip {
    pub market: String,
    /// Why, in the CLI's words.
    pub reason: String,
}

impl std::fmt::Display for ImpactSkip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.market, self.reason)
    }
}

/// The changes of `markets` (each: its newest snapshot against the one `days` before it, or
/// the one before it when `days` is `None`), matched against every customer's subscriptions.
pub async fn impact(
    conn: &crate::connection::Connection,
    markets: &[String],
    days: Option<u32>,
) -> crate::error::Result<ImpactReport> {
    let mut reports = vec![];
    let mut skipped = vec![];
    for market in markets {
        let market = market.to_ascii_uppercase();
        let from = match days {
            Some(n) => {
                let snaps = super::snapshot::list(&conn.store, &market)?;
                let newest = snaps.first().map(|s| s.day);
                newest.and_then(|to| {
                    let edge = to - chrono::Duration::days(i64::from(n.max(1)));
                    snaps.iter().map(|s| s.day).find(|d| *d <= edge)
                })
            }
            None => None,
        };
        match super::changes_in(&conn.store, &market, from, None) {
            Ok(r) => reports.push(r),
            Err(e @ crate::error::Error::NotFound { .. }) => {
                skipped.push(ImpactSkip {
                    market: market.clone(),
                    reason: e.to_string(),
                });
            }
            Err(e) => return Err(e),
        }
    }
    let mut held = vec![];
    if reports.iter().any(|r| !r.changes.is_empty()) {
        let customers = crate::customers::list(&conn.client, None).await?;
        use crate::subscriptions::{of_customers, Country};
        for (c, subs) in of_customers(&conn.client, customers, Country::Needed).await? {
            held.extend(subs.into_iter().filter_map(|s| Held::of(&c, s)));
        }
    }
    let spans: Vec<MarketChanges<'_>> = reports
        .iter()
        .map(|r| MarketChanges {
            market: &r.market,
            from: r.from,
            to: r.to,
            changes: &r.changes,
        })
        .collect();
    let rows = match_held(&spans, &held);
    Ok(ImpactReport {
        spans: reports
            .iter()
            .map(|r| ImpactSpan {
                market: r.market.clone(),
                from: r.from,
                to: r.to,
                changes: r.changes.len() as u64,
            })
            .collect(),
        skipped,
        rows,
    })
}
