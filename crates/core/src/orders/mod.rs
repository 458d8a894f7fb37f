//! Buying marketplace SaaS for a customer: check, review, place, confirm, reconcile.
//!
//! [`review`] applies every rule before money is spent: only SaaS can be bought through Partner
//! Center; the offer must be sold in the customer's billing country; the quantity must lie within
//! the plan's bounds; only the terms and billing cycles the availability lists (plus its free
//! trial) are offered. [`place`] writes the orders journal before sending anything, creates the
//! cart and checks it out with `MS-RequestId`s kept in the journal, so a retry after a timeout or
//! a dropped connection reuses them and Partner Center answers with the first result.
//! [`reconcile`] settles journal entries whose outcome is unknown (after a crash) against
//! Partner Center.

pub mod buy;
pub mod journal;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::sync as catalog_sync;
use crate::catalog::OfferType;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::models::{
    Availability, BillingCycle, CartLineItem, NewCart, Order, RenewsTo, Subscription,
};
use crate::partner_center::{api, paging};
use crate::pricelist::{sheet::SheetRow, snapshot};
use crate::subscriptions::PlanBounds;
use journal::{JournalEntry, JournalState, NewEntry};

/// What the user asked to buy.
#[derive(Debug, Clone, Default)]
pub struct PurchaseRequest {
    pub customer_id: String,
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: Option<String>,
    pub quantity: Option<u32>,
    /// `P1M` or `P1Y`.
    pub term: Option<String>,
    pub billing: Option<BillingCycle>,
    pub trial: bool,
}

/// How long after purchase a subscription can be cancelled with a refund, and where that came
/// from (`WindowInfo` in the UI's bindings).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "WindowInfo")]
pub struct CancellationWindow {
    pub hours: u32,
    /// e.g. "24 hours after purchase" (the CLI's words, the UI's fallback).
    pub text: String,
    /// The same window as a code with its hours or days, for the UI to say in its language.
    pub message: Message,
    /// `availability` (the term's cancellation policy) or `policy` (the marketplace default).
    pub source: String,
}

/// One term + billing cycle the availability offers, or its free trial (`TermChoice` in the UI's
/// bindings).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "TermChoice")]
pub struct PurchaseOption {
    /// `P1M`, `P1Y`, …
    pub term_duration: String,
    /// `monthly`, `annual`, …
    #[ts(type = "string")]
    pub billing_cycle: BillingCycle,
    pub description: String,
    pub trial: bool,
    pub cancellation: CancellationWindow,
}

/// The price from the price list (`PriceInfo` in the UI's bindings).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PriceInfo")]
pub struct Price {
    pub unit_price: f64,
    pub total: f64,
    pub currency: String,
    /// Where the price came from, e.g. "price list of GB, 2026-11-21".
    pub source: String,
}

/// Everything the review step shows before the order is placed.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub customer_id: String,
    pub customer_name: String,
    pub country: String,
    pub product_id: String,
    pub product_title: String,
    pub publisher_name: String,
    pub sku_id: String,
    pub plan: String,
    pub availability_id: String,
    pub catalog_item_id: String,
    pub quantity: u32,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub options: Vec<PurchaseOption>,
    pub chosen: PurchaseOption,
    pub price: Option<Price>,
    pub terms_of_use_uri: Option<String>,
}

/// An activation link and how long it is good for (`OrderActivationLink` in the UI bindings).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "OrderActivationLink")]
pub struct ActivationLinkInfo {
    pub uri: String,
    pub fetched_at: DateTime<Utc>,
    /// Publisher landing-page tokens are valid for about 24 hours.
    pub expires_at: DateTime<Utc>,
}

/// The confirmation after a successful checkout.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation {
    pub journal: JournalEntry,
    pub order: Order,
    pub subscription: Option<Subscription>,
    pub activation_link: Option<ActivationLinkInfo>,
    pub cancellation_allowed_until: Option<DateTime<Utc>>,
}

/// Parse the ISO-8601 durations refund options use (`P1D`, `P14D`, `PT72H`, `P1M`) into hours.
pub fn duration_hours(iso: &str) -> Option<u32> {
    let s = iso.trim().to_ascii_uppercase();
    let rest = s.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut hours = 0u32;
    let mut num = String::new();
    for (part, is_time) in [(date, false), (time, true)] {
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let n: u32 = num.parse().ok()?;
            num.clear();
            hours += match (c, is_time) {
                ('Y', false) => n * 365 * 24,
                ('M', false) => n * 30 * 24,
                ('W', false) => n * 7 * 24,
                ('D', false) => n * 24,
                ('H', true) => n,
                ('M', true) | ('S', true) => 0,
                _ => return None,
            };
        }
    }
    num.is_empty().then_some(hours)
}

/// The marketplace SaaS default when the catalog says nothing: monthly billing 24 hours, annual 14 days.
pub fn default_window_hours(billing: &BillingCycle, term: &str) -> u32 {
    if *billing == BillingCycle::Annual
        || (term.eq_ignore_ascii_case("P1Y") && *billing != BillingCycle::Monthly)
    {
        14 * 24
    } else {
        24
    }
}

/// The terms and billing cycles an availability offers, each with the cancellation window that applies.
pub fn options_of(av: &Availability) -> Vec<PurchaseOption> {
    av.terms
        .iter()
        .map(|t| {
            let from_policy = t
                .cancellation_policies
                .iter()
                .flat_map(|p| p.refund_options.iter())
                .filter_map(|r| duration_hours(&r.expires_after))
                .max();
            let (hours, source) = match from_policy {
                Some(h) => (h, "availability"),
                None => (
                    default_window_hours(&t.billing_cycle, &t.duration),
                    "policy",
                ),
            };
            let trial = t.is_trial();
            PurchaseOption {
                term_duration: t.duration.clone(),
                billing_cycle: t.billing_cycle.clone(),
                description: t.description.clone(),
                trial,
                cancellation: {
                    let message = if trial {
                        Message::WindowTrial
                    } else {
                        Message::window(hours)
                    };
                    CancellationWindow {
                        hours,
                        text: message.english(),
                        message,
                        source: source.into(),
                    }
                },
            }
        })
        .collect()
}

fn option_label(o: &PurchaseOption) -> String {
    if o.trial {
        format!("free trial ({})", o.term_duration)
    } else {
        format!("{} billed {}", o.term_duration, o.billing_cycle.as_str())
    }
}

/// Publisher contacts for messages, from the stored catalog and the marketplace detail.
async fn contacts_hint(conn: &Connection, product_id: &str, publisher: &str) -> Message {
    let mut parts = Vec::new();
    let stored = crate::catalog::detail::markets_of(&conn.store, product_id)
        .ok()
        .and_then(|markets| {
            markets.into_iter().find_map(|m| {
                catalog_sync::load_offers(&conn.store, &m)
                    .ok()?
                    .into_iter()
                    .find(|o| o.product_id.as_deref() == Some(product_id))
                    .map(|o| (m, o))
            })
        });
    if let (Some((market, offer)), Some(sub)) = (stored, conn.arm_subscription.as_deref()) {
        if let Some(id) = offer.marketplace_id.as_deref() {
            if let Ok(d) =
                crate::catalog::detail::arm_detail(&conn.client, &conn.store, sub, id, &market)
                    .await
            {
                let c = crate::catalog::detail::build(&offer, Some(&d), vec![], None).publisher;
                parts.extend(c.support_uri.map(|u| format!("support {u}")));
                parts.extend(c.email);
                parts.extend(c.phone);
            }
        }
    }
    if parts.is_empty() {
        Message::OrderAskPublisher {
            publisher: publisher.to_string(),
            product: product_id.to_string(),
        }
    } else {
        Message::OrderPublisherContacts {
            publisher: publisher.to_string(),
            contacts: parts.join(", "),
        }
    }
}

/// The offer's type as the stored catalog knows it, for products Partner Center will not show.
fn stored_type(conn: &Connection, product_id: &str) -> Option<(OfferType, String)> {
    ["US", "GB", "DE", "FR", "JP", "AU", "CA"]
        .iter()
        .find_map(|m| {
            catalog_sync::load_offers(&conn.store, m)
                .ok()?
                .into_iter()
                .find(|o| o.product_id.as_deref() == Some(product_id))
                .map(|o| (o.offer_type, o.title))
        })
}

fn not_saas(title: &str, ty: OfferType) -> Error {
    Message::OrderNotSaas {
        title: title.to_string(),
        offer_type: ty,
    }
    .refused()
}

/// Check a purchase against every rule and gather what the review step shows.
pub async fn review(conn: &Connection, req: &PurchaseRequest) -> Result<Review> {
    let client = &conn.client;
    let customer = crate::customers::get(client, &req.customer_id).await?;
    let name = customer.company_profile.company_name.clone();
    let country = customer
        .billing_country()
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| {
            Message::OrderNoBillingCountry {
                customer: name.to_string(),
            }
            .refused()
        })?;
    let product = match client
        .execute(&api::product(&req.product_id, &country))
        .await
    {
        Ok(p) => p,
        Err(e) if e.status() == Some(404) => {
            if let Some((ty, title)) = stored_type(conn, &req.product_id) {
                if ty != OfferType::Saas {
                    return Err(not_saas(&title, ty));
                }
            }
            return Err(Message::OrderProductMissing {
                product: req.product_id.clone(),
                country: country.clone(),
            }
            .not_found());
        }
        Err(e) => return Err(e),
    };
    if !product.is_saas() {
        let sub = product
            .product_type
            .sub_type
            .as_ref()
            .map(|s| s.id.as_str())
            .unwrap_or(&product.product_type.id);
        return Err(not_saas(&product.title, OfferType::from_source(sub)));
    }
    let skus = paging::collect_all(client, api::skus(&product.id, &country)).await?;
    let sku = skus
        .iter()
        .find(|s| s.id == req.sku_id)
        .cloned()
        .ok_or_else(|| {
            let ids: Vec<String> = skus
                .iter()
                .map(|s| format!("{} ({})", s.id, s.title))
                .collect();
            Message::OrderPlanMissing {
                sku: req.sku_id.clone(),
                product: product.title.clone(),
                plans: ids.join(", "),
            }
            .not_found()
        })?;
    let avs =
        paging::collect_all(client, api::availabilities(&product.id, &sku.id, &country)).await?;
    let av = match &req.availability_id {
        Some(id) => avs.iter().find(|a| &a.id == id).cloned(),
        None => avs
            .iter()
            .find(|a| a.is_purchasable)
            .cloned()
            .or_else(|| avs.first().cloned()),
    };
    let Some(av) = av.filter(|a| a.country.is_empty() || a.country.eq_ignore_ascii_case(&country))
    else {
        let hint = contacts_hint(conn, &product.id, &product.publisher_name).await;
        return Err(Message::OrderNotSoldIn {
            product: product.title.clone(),
            plan: sku.title.clone(),
            country: country.clone(),
            customer: name.to_string(),
            contacts: Box::new(hint),
        }
        .refused());
    };
    if !av.is_purchasable {
        return Err(Message::OrderNotPurchasable {
            product: product.title.clone(),
            country: country.clone(),
        }
        .refused());
    }
    let bounds = PlanBounds::of(&sku);
    let (min, max) = (bounds.min, bounds.max);
    let quantity = req.quantity.unwrap_or(min);
    bounds.check(quantity)?;
    let options = options_of(&av);
    let offered = || {
        options
            .iter()
            .map(option_label)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = if req.trial {
        options.iter().find(|o| o.trial).cloned().ok_or_else(|| {
            Error::refused(
                format!("{} has no free trial", sku.title),
                format!("It offers: {}", offered()),
            )
        })?
    } else {
        options
            .iter()
            .filter(|o| !o.trial)
            .find(|o| {
                req.term
                    .as_deref()
                    .is_none_or(|t| t.eq_ignore_ascii_case(&o.term_duration))
                    && req.billing.as_ref().is_none_or(|b| *b == o.billing_cycle)
            })
            .cloned()
            .ok_or_else(|| {
                let asked = format!(
                    "{} billed {}",
                    req.term.clone().unwrap_or_else(|| "any term".into()),
                    req.billing
                        .as_ref()
                        .map(|b| b.as_str().to_string())
                        .unwrap_or_else(|| "any way".into())
                );
                Error::refused(
                    format!("{} is not offered as {asked}", sku.title),
                    format!("It offers: {}", offered()),
                )
            })?
    };
    let price = price_for(conn, &country, &product.id, &sku.id, &chosen, quantity).await;
    Ok(Review {
        customer_id: customer.id.clone(),
        customer_name: name,
        country,
        product_id: product.id.clone(),
        product_title: product.title.clone(),
        publisher_name: product.publisher_name.clone(),
        sku_id: sku.id.clone(),
        plan: sku.title.clone(),
        availability_id: av.id.clone(),
        catalog_item_id: av.catalog_item_id.clone(),
        quantity,
        minimum_quantity: min,
        maximum_quantity: max,
        options,
        chosen,
        price,
        terms_of_use_uri: sku.terms_of_use_uri.clone(),
    })
}

/// The unit price from the newest price-list snapshot of the market (fetched if there is none).
async fn price_for(
    conn: &Connection,
    market: &str,
    product: &str,
    sku: &str,
    o: &PurchaseOption,
    qty: u32,
) -> Option<Price> {
    let day = match snapshot::list(&conn.store, market).ok()?.first() {
        Some(s) => s.day,
        None => {
            crate::pricelist::fetch_snapshot(conn, market, true, None)
                .await
                .ok()?;
            snapshot::list(&conn.store, market).ok()?.first()?.day
        }
    };
    let rows: Vec<SheetRow> = snapshot::load(&conn.store, market, day).ok()?;
    let row = rows.iter().find(|r| {
        r.product_id == product
            && r.sku_id == sku
            && !r.is_trial_marker()
            && r.term_duration.eq_ignore_ascii_case(&o.term_duration)
            && crate::partner_center::json::wire_eq(&r.billing_plan, o.billing_cycle.as_str())
    });
    let source = format!("price list of {market}, {day}");
    if o.trial {
        let currency = rows
            .iter()
            .find(|r| r.product_id == product)
            .map(|r| r.currency.clone())
            .unwrap_or_default();
        return Some(Price {
            unit_price: 0.0,
            total: 0.0,
            currency,
            source,
        });
    }
    let row = row?;
    Some(Price {
        unit_price: row.unit_price,
        total: (row.unit_price * qty as f64 * 100.0).round() / 100.0,
        currency: row.currency.clone(),
        source,
    })
}

/// Test hook: `CSPDESK_FAILPOINT=<name>` aborts the process at that point, like `kill -9`.
fn failpoint(name: &str) {
    if std::env::var("CSPDESK_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
}

fn cart_for(r: &Review) -> NewCart {
    let o = &r.chosen;
    let mut line = CartLineItem::new(
        r.catalog_item_id.clone(),
        r.quantity,
        o.billing_cycle.clone(),
        o.term_duration.clone(),
    );
    if o.trial {
        // After the trial the subscription renews to the first paid term (reference §4.5).
        let paid = r
            .options
            .iter()
            .find(|p| !p.trial)
            .map(|p| p.term_duration.clone())
            .unwrap_or_else(|| "P1M".into());
        let mut renews_to = RenewsTo::default();
        renews_to.term_duration = paid;
        line.renews_to = Some(renews_to);
    }
    NewCart {
        line_items: vec![line],
    }
}

fn is_refusal(e: &Error) -> bool {
    matches!(e.status(), Some(s) if (400..500).contains(&s) && s != 408 && s != 429)
}

/// Place the reviewed order. Never two orders for one call, and nothing lost on a crash.
/// Waits up to 20 s for the activation link.
pub async fn place(conn: &Connection, review: &Review) -> Result<Confirmation> {
    place_with(conn, review, Duration::from_secs(20)).await
}

/// [`place`], waiting at most `link_patience` for the activation link (the desktop app shows the
/// confirmation at once and polls for the link with [`poll_activation_link`] while it shows).
pub async fn place_with(
    conn: &Connection,
    review: &Review,
    link_patience: Duration,
) -> Result<Confirmation> {
    let store = &conn.store;
    let client = &conn.client;
    let entry = journal::start(
        store,
        &NewEntry {
            customer_id: review.customer_id.clone(),
            customer_name: review.customer_name.clone(),
            product_id: review.product_id.clone(),
            product_title: review.product_title.clone(),
            sku_id: review.sku_id.clone(),
            plan: review.plan.clone(),
            catalog_item_id: review.catalog_item_id.clone(),
            quantity: review.quantity,
            term_duration: review.chosen.term_duration.clone(),
            billing_cycle: review.chosen.billing_cycle.as_str().to_string(),
            trial: review.chosen.trial,
        },
        Utc::now(),
    )?;
    failpoint("after-journal");
    let req = api::create_cart(&review.customer_id, &cart_for(review))?
        .request_id(entry.cart_request_id.clone());
    let cart = match client.execute(&req).await {
        Ok(c) => c,
        Err(e) => return Err(settle_failure(store, entry.id, e)?),
    };
    journal::set_cart(store, entry.id, &cart.id, Utc::now())?;
    failpoint("after-cart");
    let req =
        api::checkout(&review.customer_id, &cart.id).request_id(entry.checkout_request_id.clone());
    let result = match client.execute(&req).await {
        Ok(r) => r,
        Err(e) => return Err(settle_failure(store, entry.id, e)?),
    };
    failpoint("after-checkout");
    let Some(order) = result.orders.into_iter().next() else {
        let why = result
            .order_errors
            .first()
            .map(|e| format!("{} (code {})", e.description, e.code))
            .unwrap_or_else(|| "no order was returned".into());
        journal::set_closed(store, entry.id, JournalState::Refused, &why, Utc::now())?;
        return Err(Message::OrderNotPlaced { why }.refused());
    };
    journal::set_placed(
        store,
        entry.id,
        &order.id,
        order.status.as_str(),
        Utc::now(),
    )?;
    confirm_with(conn, entry.id, order, link_patience).await
}

/// A failed cart or checkout call: a refusal closes the journal entry (nothing was ordered);
/// anything else leaves it open for reconciliation. Returns the error to show.
fn settle_failure(store: &crate::store::Store, id: i64, e: Error) -> Result<Error> {
    if is_refusal(&e) {
        journal::set_closed(store, id, JournalState::Refused, &e.to_string(), Utc::now())?;
        return Ok(e);
    }
    Ok(unknown_outcome(e, id))
}

fn unknown_outcome(e: Error, id: i64) -> Error {
    Message::OrderOutcomeUnknown {
        why: e.to_string(),
        entry: id,
    }
    .refused()
}

/// Gather the confirmation of a placed order: subscription, deadline, activation link.
pub async fn confirm(conn: &Connection, journal_id: i64, order: Order) -> Result<Confirmation> {
    confirm_with(conn, journal_id, order, Duration::from_secs(20)).await
}

/// [`confirm`], waiting at most `link_patience` for the activation link.
pub async fn confirm_with(
    conn: &Connection,
    journal_id: i64,
    order: Order,
    link_patience: Duration,
) -> Result<Confirmation> {
    let store = &conn.store;
    let entry = journal::get(store, journal_id)?;
    let subscription = paging::collect_all(
        &conn.client,
        api::subscriptions_by_order(&entry.customer_id, &order.id),
    )
    .await
    .ok()
    .and_then(|s| s.into_iter().next());
    if let Some(s) = &subscription {
        journal::set_subscription(store, journal_id, &s.id, None, Utc::now())?;
    }
    let activation_link =
        poll_activation_link(conn, &entry.customer_id, &order.id, link_patience).await?;
    let cancellation_allowed_until = subscription.as_ref().and_then(|s| {
        s.cancellation_allowed_until_date
            .or_else(|| s.refund_options.iter().filter_map(|r| r.expires_at).max())
    });
    Ok(Confirmation {
        journal: journal::get(store, journal_id)?,
        order,
        subscription,
        activation_link,
        cancellation_allowed_until,
    })
}

/// Poll an order's activation link with backoff until Partner Center has it (or `patience` runs out).
pub async fn poll_activation_link(
    conn: &Connection,
    customer_id: &str,
    order_id: &str,
    patience: Duration,
) -> Result<Option<ActivationLinkInfo>> {
    let started = std::time::Instant::now();
    let mut wait = Duration::from_millis(200);
    loop {
        let links = conn
            .client
            .execute(&api::order_line_activation_links(customer_id, order_id, 0))
            .await?;
        if let Some(l) = links.items.into_iter().find(|l| !l.link.uri.is_empty()) {
            let now = Utc::now();
            return Ok(Some(ActivationLinkInfo {
                uri: l.link.uri,
                fetched_at: now,
                expires_at: now + chrono::Duration::hours(24),
            }));
        }
        if started.elapsed() + wait > patience {
            return Ok(None);
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(3));
    }
}

fn line_matches(o: &Order, e: &JournalEntry) -> bool {
    o.line_items
        .iter()
        .any(|l| l.offer_id.eq_ignore_ascii_case(&e.catalog_item_id) && l.quantity == e.quantity)
        && o.creation_date
            .is_none_or(|d| d >= e.created_at - chrono::Duration::minutes(5))
}

/// Settle journal entries whose outcome is unknown, against the customer's orders in Partner Center.
/// Returns the entries it changed.
pub async fn reconcile(conn: &Connection) -> Result<Vec<JournalEntry>> {
    let mut changed = Vec::new();
    for e in journal::open_entries(&conn.store)? {
        if reconcile_entry(conn, &e).await? {
            changed.push(journal::get(&conn.store, e.id)?);
        }
    }
    Ok(changed)
}

async fn reconcile_entry(conn: &Connection, e: &JournalEntry) -> Result<bool> {
    let (client, store) = (&conn.client, &conn.store);
    let Some(cart_id) = &e.cart_id else {
        // The cart was never confirmed, so no checkout was sent: nothing can have been ordered.
        journal::set_closed(
            store,
            e.id,
            JournalState::NotPlaced,
            "the app stopped before the cart was confirmed; nothing was ordered",
            Utc::now(),
        )?;
        return Ok(true);
    };
    // Replaying the checkout with its MS-RequestId returns the first result if it was applied.
    let cart = client.execute(&api::cart(&e.customer_id, cart_id)).await;
    let ordered = match &cart {
        Ok(c) => c.status.as_str().eq_ignore_ascii_case("ordered"),
        Err(err) if err.status() == Some(404) => true, // unknown: look for the order below
        Err(err) => {
            return Err(Error::refused(
                format!("could not check order journal entry {} ({err})", e.id),
                "It stays open and is checked again next time",
            ))
        }
    };
    if !ordered {
        journal::set_closed(
            store,
            e.id,
            JournalState::NotPlaced,
            "the checkout never reached Partner Center; nothing was ordered",
            Utc::now(),
        )?;
        return Ok(true);
    }
    let replay = api::checkout(&e.customer_id, cart_id).request_id(e.checkout_request_id.clone());
    if let Ok(result) = client.execute(&replay).await {
        if let Some(order) = result.orders.into_iter().next() {
            journal::set_placed(store, e.id, &order.id, order.status.as_str(), Utc::now())?;
            return Ok(true);
        }
    }
    let claimed = journal::claimed_orders(store)?;
    let orders = paging::collect_all(client, api::orders(&e.customer_id)).await?;
    if let Some(o) = orders
        .into_iter()
        .filter(|o| !claimed.contains(&o.id))
        .find(|o| line_matches(o, e))
    {
        journal::set_placed(store, e.id, &o.id, o.status.as_str(), Utc::now())?;
        return Ok(true);
    }
    Ok(false)
}
