//! Subscriptions across customers: status, activation, cancellation deadlines, cancel inside
//! the window, auto-renew. Every time-dependent rule takes `now` from the caller, so tests inject
//! the clock and nothing depends on today's date.

pub mod plans;
pub mod policy;

use chrono::{DateTime, Duration, Utc};
use futures::{FutureExt, StreamExt, TryStreamExt};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::models::{Customer, RefundType, Subscription, SubscriptionStatus};
use crate::partner_center::{api, paging, Client};
use policy::{deadline, CancellationPolicy, Deadline};

/// How long a fetched activation link's token is good for.
pub const LINK_VALIDITY_HOURS: i64 = 24;

/// Status as partners read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StatusLabel {
    PendingFulfillment,
    Active,
    Suspended,
    Cancelled,
    Other,
}

impl StatusLabel {
    pub fn of(s: &SubscriptionStatus) -> StatusLabel {
        match s {
            SubscriptionStatus::Pending => StatusLabel::PendingFulfillment,
            SubscriptionStatus::Active => StatusLabel::Active,
            SubscriptionStatus::Suspended => StatusLabel::Suspended,
            SubscriptionStatus::Deleted => StatusLabel::Cancelled,
            _ => StatusLabel::Other,
        }
    }
    pub fn text(self) -> &'static str {
        match self {
            StatusLabel::PendingFulfillment => "pending fulfillment",
            StatusLabel::Active => "active",
            StatusLabel::Suspended => "suspended",
            StatusLabel::Cancelled => "cancelled",
            StatusLabel::Other => "other",
        }
    }
}

/// One row of the subscriptions list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRow {
    pub customer_id: String,
    pub customer_name: String,
    pub subscription: Subscription,
    pub status_label: StatusLabel,
    pub deadline: Option<Deadline>,
    /// Whether cancel is allowed now (status and window).
    pub can_cancel: bool,
}

impl SubscriptionRow {
    pub fn new(
        customer: &Customer,
        s: Subscription,
        policy: &CancellationPolicy,
        now: DateTime<Utc>,
    ) -> Self {
        let deadline = deadline(&s, policy);
        let status_label = StatusLabel::of(&s.status);
        let mut row = SubscriptionRow {
            customer_id: customer.id.clone(),
            customer_name: customer.company_profile.company_name.clone(),
            subscription: s,
            status_label,
            deadline,
            can_cancel: false,
        };
        row.can_cancel = row.cancellable_until().is_some_and(|until| now <= until);
        row
    }

    /// Why Cancel is refused at any time, if it is: the status, or no window to cancel in.
    pub fn cancel_blocked(&self) -> Option<Message> {
        match self.status_label {
            StatusLabel::Cancelled => Some(Message::CancelBlockedCancelled),
            StatusLabel::Suspended => Some(Message::CancelBlockedSuspended),
            _ if self.deadline.is_none() => Some(Message::CancelBlockedNoWindow),
            StatusLabel::Other => Some(Message::CancelBlockedStatus),
            StatusLabel::Active | StatusLabel::PendingFulfillment => None,
        }
    }

    /// Until when Cancel is allowed: the window's deadline, unless [`Self::cancel_blocked`]. A
    /// view that counts down compares its clock with this, rather than restating the rule.
    pub fn cancellable_until(&self) -> Option<DateTime<Utc>> {
        match self.cancel_blocked() {
            Some(_) => None,
            None => self.deadline.as_ref().map(|d| d.at),
        }
    }

    /// Time left to cancel, if the window is open.
    pub fn time_left(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.deadline
            .as_ref()
            .filter(|_| self.can_cancel)
            .map(|d| d.at - now)
            .filter(|d| *d >= Duration::zero())
    }

    /// The window is open and closes within [`CLOSING_SOON_HOURS`]: the "Closing soon" set,
    /// `--closing-within 24h` and the badge.
    pub fn closing_soon(&self, now: DateTime<Utc>) -> bool {
        self.time_left(now)
            .is_some_and(|left| left <= Duration::hours(CLOSING_SOON_HOURS))
    }

    /// From when the window counts as closing soon, if it can be cancelled at all. A view that
    /// counts down locally compares its clock with this, rather than restating the rule.
    pub fn closing_soon_from(&self) -> Option<DateTime<Utc>> {
        self.deadline
            .as_ref()
            .filter(|_| self.can_cancel)
            .map(|d| d.at - Duration::hours(CLOSING_SOON_HOURS))
    }

    /// From when the window counts as urgent, if it can be cancelled at all.
    pub fn urgent_from(&self) -> Option<DateTime<Utc>> {
        self.deadline
            .as_ref()
            .filter(|_| self.can_cancel)
            .map(|d| d.at - Duration::hours(URGENT_HOURS))
    }

    /// The window closes in under [`URGENT_HOURS`]: one desktop notification each.
    pub fn urgent(&self, now: DateTime<Utc>) -> bool {
        self.time_left(now)
            .is_some_and(|left| left < Duration::hours(URGENT_HOURS))
    }
}

/// The "Closing soon" horizon: deadlines within this many hours.
pub const CLOSING_SOON_HOURS: i64 = 24;
/// Windows with less than this left are urgent (desktop notification).
pub const URGENT_HOURS: i64 = 2;

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub customer_id: Option<String>,
    pub pending_activation: bool,
    /// Only subscriptions whose cancellation window closes within this time.
    pub closing_within: Option<Duration>,
}

/// Which set of subscriptions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum SubscriptionSet {
    #[default]
    All,
    /// Cancellation window open and closing within 24 hours.
    ClosingSoon,
    /// Pending fulfillment: waiting for the customer or partner to activate on the publisher's site.
    WaitingForActivation,
}

/// How many are in each set, for the tabs and the sidebar badges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionCounts {
    pub all: u32,
    pub closing_soon: u32,
    pub waiting_for_activation: u32,
}

impl SubscriptionCounts {
    /// How many of `rows` are in each set at `now`.
    pub fn of(rows: &[SubscriptionRow], now: DateTime<Utc>) -> SubscriptionCounts {
        let n = |set| rows.iter().filter(|r| r.in_set(set, now)).count() as u32;
        SubscriptionCounts {
            all: n(SubscriptionSet::All),
            closing_soon: n(SubscriptionSet::ClosingSoon),
            waiting_for_activation: n(SubscriptionSet::WaitingForActivation),
        }
    }
}

impl SubscriptionRow {
    /// Whether the subscription is in `set` at `now`.
    pub fn in_set(&self, set: SubscriptionSet, now: DateTime<Utc>) -> bool {
        match set {
            SubscriptionSet::All => true,
            SubscriptionSet::ClosingSoon => self.closing_soon(now),
            SubscriptionSet::WaitingForActivation => {
                self.status_label == StatusLabel::PendingFulfillment
            }
        }
    }
}

/// The rows in `set` at `now`, in the order given, except "closing soon", which lists the one
/// closing first on top.
pub fn in_set(
    rows: Vec<SubscriptionRow>,
    set: SubscriptionSet,
    now: DateTime<Utc>,
) -> Vec<SubscriptionRow> {
    let mut rows: Vec<SubscriptionRow> = rows.into_iter().filter(|r| r.in_set(set, now)).collect();
    if set == SubscriptionSet::ClosingSoon {
        rows.sort_by_key(|r| r.deadline.as_ref().map(|d| d.at));
    }
    rows
}

/// Subscriptions of one customer, or of every customer, newest first.
pub async fn list(
    conn: &Connection,
    filter: &ListFilter,
    policy: &CancellationPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<SubscriptionRow>> {
    let customers = match &filter.customer_id {
        Some(id) => vec![conn.client.execute(&api::customer(id)).await?],
        None => crate::customers::list(&conn.client, None).await?,
    };
    let per_customer = of_customers(&conn.client, customers, Country::AsListed).await?;
    let mut rows: Vec<SubscriptionRow> = per_customer
        .into_iter()
        .flat_map(|(c, subs)| {
            subs.into_iter()
                .map(move |s| SubscriptionRow::new(&c, s, policy, now))
        })
        .filter(|r| !filter.pending_activation || r.status_label == StatusLabel::PendingFulfillment)
        .filter(|r| {
            filter
                .closing_within
                .is_none_or(|w| r.time_left(now).is_some_and(|left| left <= w))
        })
        .collect();
    rows.sort_by(|a, b| {
        b.subscription
            .creation_date
            .cmp(&a.subscription.creation_date)
    });
    Ok(rows)
}

/// Whether [`of_customers`] needs each customer's billing country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    /// The customers as they came (the list of customers leaves out billing profiles).
    AsListed,
    /// A customer listed without one is read again: the customer itself says its country
    /// (its market).
    Needed,
}

/// Each customer with its subscriptions, in the customers' order, eight customers at a time.
pub async fn of_customers(
    client: &Client,
    customers: Vec<Customer>,
    country: Country,
) -> Result<Vec<(Customer, Vec<Subscription>)>> {
    // Collected first (boxed, no closure in the stream's type) so that a caller that must be
    // Send, such as a desktop command, can await it.
    let fetches: Vec<_> = customers
        .into_iter()
        .map(|c| {
            async move {
                let c = if country == Country::Needed && c.billing_country().is_none() {
                    client.execute(&api::customer(&c.id)).await?
                } else {
                    c
                };
                let subs = paging::collect_all(client, api::subscriptions(&c.id)).await?;
                Ok::<_, Error>((c, subs))
            }
            .boxed()
        })
        .collect();
    futures::stream::iter(fetches)
        .buffered(8)
        .try_collect()
        .await
}

/// Parse `24h`, `90m`, `2d`, `1h30m`.
pub fn parse_duration(s: &str) -> Result<Duration> {
    let mut total = Duration::zero();
    let mut num = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num
            .parse()
            .map_err(|_| Error::Invalid(format!("`{s}` is not a duration like 24h, 90m or 2d")))?;
        num.clear();
        total += match c {
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            's' => Duration::seconds(n),
            _ => {
                return Err(Error::Invalid(format!(
                    "`{s}` is not a duration like 24h, 90m or 2d"
                )))
            }
        };
    }
    if !num.is_empty() || total == Duration::zero() {
        return Err(Error::Invalid(format!(
            "`{s}` is not a duration like 24h, 90m or 2d"
        )));
    }
    Ok(total)
}

/// Cancel (PATCH `status` to `deleted`), only inside the window. Returns the subscription as
/// read back from Partner Center.
pub async fn cancel(
    conn: &Connection,
    customer_id: &str,
    id: &str,
    policy: &CancellationPolicy,
    now: DateTime<Utc>,
) -> Result<Subscription> {
    let mut sub = conn
        .client
        .execute(&api::subscription(customer_id, id))
        .await?;
    if sub.status == SubscriptionStatus::Deleted {
        return Err(Message::CancelAlreadyCancelled {
            subscription: id.to_string(),
        }
        .refused());
    }
    match deadline(&sub, policy) {
        Some(d) if now > d.at => {
            return Err(Message::CancelWindowClosed {
                name: sub.friendly_name_or_offer().to_string(),
                at: d.at.format("%Y-%m-%d %H:%M").to_string(),
            }
            .refused())
        }
        None => {
            return Err(Message::CancelNoWindow {
                name: sub.friendly_name_or_offer().to_string(),
            }
            .refused())
        }
        Some(_) => {}
    }
    sub.status = SubscriptionStatus::Deleted;
    conn.client
        .execute(&api::patch_subscription(customer_id, &sub)?)
        .await?;
    conn.client
        .execute(&api::subscription(customer_id, id))
        .await
}

/// Set auto-renew and read the value back from Partner Center.
pub async fn set_auto_renew(
    conn: &Connection,
    customer_id: &str,
    id: &str,
    on: bool,
) -> Result<bool> {
    let mut sub = conn
        .client
        .execute(&api::subscription(customer_id, id))
        .await?;
    if sub.auto_renew_enabled != on {
        sub.auto_renew_enabled = on;
        conn.client
            .execute(&api::patch_subscription(customer_id, &sub)?)
            .await?;
    }
    Ok(conn
        .client
        .execute(&api::subscription(customer_id, id))
        .await?
        .auto_renew_enabled)
}

/// The result of one row of a bulk change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowResult {
    pub customer_id: String,
    pub subscription_id: String,
    pub ok: bool,
    /// The value read back, when it worked.
    pub auto_renew_enabled: Option<bool>,
    pub error: Option<String>,
}

/// Set auto-renew on many subscriptions; each row reports its own outcome.
pub async fn set_auto_renew_bulk(
    conn: &Connection,
    targets: &[(String, String)],
    on: bool,
) -> Vec<RowResult> {
    let changes: Vec<_> = targets
        .iter()
        .map(|(c, s)| {
            async move {
                match set_auto_renew(conn, c, s, on).await {
                    Ok(v) if v == on => RowResult {
                        customer_id: c.clone(),
                        subscription_id: s.clone(),
                        ok: true,
                        auto_renew_enabled: Some(v),
                        error: None,
                    },
                    Ok(v) => RowResult {
                        customer_id: c.clone(),
                        subscription_id: s.clone(),
                        ok: false,
                        auto_renew_enabled: Some(v),
                        error: Some(format!(
                            "Partner Center still reports auto-renew {}",
                            if v { "on" } else { "off" }
                        )),
                    },
                    Err(e) => RowResult {
                        customer_id: c.clone(),
                        subscription_id: s.clone(),
                        ok: false,
                        auto_renew_enabled: None,
                        error: Some(e.to_string()),
                    },
                }
            }
            .boxed()
        })
        .collect();
    futures::stream::iter(changes).buffered(6).collect().await
}

/// Change the seat count within the plan's bounds (PATCH `quantity`), read back.
pub async fn set_quantity(
    conn: &Connection,
    customer_id: &str,
    id: &str,
    quantity: u32,
) -> Result<Subscription> {
    if quantity == 0 {
        return Err(Message::SeatsZero.into());
    }
    set_quantity_with(&conn.client, customer_id, id, quantity).await
}

/// [`set_quantity`] with only a client (the plan changes reuse it).
pub(crate) async fn set_quantity_with(
    client: &Client,
    customer_id: &str,
    id: &str,
    quantity: u32,
) -> Result<Subscription> {
    let mut sub = client.execute(&api::subscription(customer_id, id)).await?;
    if let (Some(product), Some(sku)) = sub.product_and_sku() {
        if let Some(bounds) = plan_bounds(client, customer_id, product, sku).await? {
            bounds.check(quantity)?;
        }
    }
    sub.quantity = quantity;
    client
        .execute(&api::patch_subscription(customer_id, &sub)?)
        .await?;
    client.execute(&api::subscription(customer_id, id)).await
}

/// The seat bounds of a plan (its SKU's `minimumQuantity`..`maximumQuantity`, at least one
/// seat, and a maximum never below the minimum). Every seat-count rule reads them from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanBounds {
    pub title: String,
    pub min: u32,
    pub max: u32,
}

impl PlanBounds {
    pub fn new(title: &str, min: u32, max: u32) -> Self {
        let min = min.max(1);
        PlanBounds {
            title: title.to_string(),
            min,
            max: max.max(min),
        }
    }

    /// The bounds of a plan as the catalog lists it.
    pub fn of(sku: &crate::partner_center::models::Sku) -> Self {
        PlanBounds::new(&sku.title, sku.minimum_quantity, sku.maximum_quantity)
    }

    /// Refuses a quantity outside the bounds, naming them.
    pub fn check(&self, quantity: u32) -> Result<()> {
        let PlanBounds { title, min, max } = self;
        if quantity < *min || quantity > *max {
            return Err(Message::QuantityOutside {
                quantity,
                plan: title.clone(),
                min: *min,
                max: *max,
            }
            .refused());
        }
        Ok(())
    }
}

/// The bounds of `product`/`sku` in the customer's billing country, for a check before a
/// change; `None` when the catalog cannot be read or does not list the SKU (the server still
/// enforces its bounds, so an unreadable catalog does not block the change).
pub(crate) async fn plan_bounds(
    client: &Client,
    customer_id: &str,
    product: &str,
    sku: &str,
) -> Result<Option<PlanBounds>> {
    let country = customer_country(client, customer_id).await?;
    Ok(catalog_bounds(client, product, sku, &country)
        .await
        .ok()
        .flatten())
}

async fn customer_country(client: &Client, customer_id: &str) -> Result<String> {
    Ok(crate::customers::get(client, customer_id)
        .await?
        .billing_country()
        .unwrap_or("US")
        .to_string())
}

/// The bounds of `product`/`sku` as the catalog of `country` lists them.
async fn catalog_bounds(
    client: &Client,
    product: &str,
    sku: &str,
    country: &str,
) -> Result<Option<PlanBounds>> {
    let skus = paging::collect_all(client, api::skus(product, country)).await?;
    Ok(skus.iter().find(|s| s.id == sku).map(PlanBounds::of))
}

/// The seat bounds of a subscription's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct QuantityBounds {
    pub plan_name: String,
    pub min: u32,
    pub max: u32,
    pub unit_type: String,
}

/// The seat bounds of a subscription's plan, from the catalog in the customer's billing
/// country, for the seat-count dialog and `subscriptions quantity`: unlike the check before a
/// change, a catalog that cannot be read or a plan it does not list is an error here.
pub async fn quantity_bounds(
    client: &Client,
    customer_id: &str,
    subscription_id: &str,
) -> Result<QuantityBounds> {
    let sub = client
        .execute(&api::subscription(customer_id, subscription_id))
        .await?;
    let (Some(product), Some(sku)) = sub.product_and_sku() else {
        return Err(Message::SubscriptionPlanUnknown {
            subscription: subscription_id.to_string(),
        }
        .not_found());
    };
    let country = customer_country(client, customer_id).await?;
    let bounds = catalog_bounds(client, product, sku, &country)
        .await?
        .ok_or_else(|| {
            Message::PlanNotInCountry {
                sku: sku.to_string(),
                product: product.to_string(),
                country: country.clone(),
            }
            .not_found()
        })?;
    Ok(QuantityBounds {
        plan_name: if bounds.title.is_empty() {
            product_and_plan(&sub).1
        } else {
            bounds.title
        },
        min: bounds.min,
        max: bounds.max,
        unit_type: sub.unit_type,
    })
}

/// Product and plan from the offer name `Product - Plan`; the SKU id when it has no plan part.
pub fn product_and_plan(s: &Subscription) -> (String, String) {
    let sku = s.product_and_sku().1.unwrap_or_default().to_string();
    let name = if s.offer_name.is_empty() {
        &s.friendly_name
    } else {
        &s.offer_name
    };
    match name.rsplit_once(" - ") {
        Some((product, plan)) if !product.trim().is_empty() && !plan.trim().is_empty() => {
            (product.trim().to_string(), plan.trim().to_string())
        }
        _ if name.is_empty() => (s.id.clone(), sku),
        _ => (name.clone(), sku),
    }
}

/// The refund a cancellation would get, in words: the best of the subscription's refund options.
pub fn refund_text(s: &Subscription) -> String {
    refund_message(s).english()
}

/// [`refund_text`] as a code.
pub fn refund_message(s: &Subscription) -> Message {
    let best = s.refund_options.iter().max_by_key(|r| r.expires_at);
    match best.map(|r| &r.kind) {
        Some(RefundType::Full) => Message::RefundFull,
        Some(RefundType::Partial) => Message::RefundPartial,
        Some(other) => Message::RefundOther {
            kind: other.to_string(),
        },
        None => Message::RefundInWindow,
    }
}

/// An activation link with its age and expiry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationLink {
    pub subscription_id: String,
    pub uri: String,
    pub fetched_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Whether this call fetched it anew.
    pub refreshed: bool,
}

/// The activation link of a pending subscription; fetched anew whenever the one held is older
/// than its token's validity (24 hours), so what is copied, opened or emailed still works.
pub async fn activation_link(
    conn: &Connection,
    customer_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<ActivationLink> {
    let held: Option<(String, String)> = conn
        .store
        .conn()
        .query_row(
            "SELECT uri, fetched_at FROM activation_links WHERE subscription_id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    if let Some((uri, at)) = held {
        let fetched_at = DateTime::parse_from_rfc3339(&at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        if now - fetched_at < Duration::hours(LINK_VALIDITY_HOURS) {
            return Ok(ActivationLink {
                subscription_id: id.into(),
                uri,
                fetched_at,
                expires_at: fetched_at + Duration::hours(LINK_VALIDITY_HOURS),
                refreshed: false,
            });
        }
    }
    let links = conn
        .client
        .execute(&api::subscription_activation_links(customer_id, id))
        .await?;
    let uri = links
        .items
        .into_iter()
        .map(|l| l.link.uri)
        .find(|u| !u.is_empty())
        .ok_or_else(|| {
            Message::ActivationLinkMissing {
                subscription: id.to_string(),
            }
            .not_found()
        })?;
    conn.store.conn().execute(
        "INSERT OR REPLACE INTO activation_links (subscription_id, customer_id, uri, fetched_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, customer_id, uri, now.to_rfc3339()],
    )?;
    Ok(ActivationLink {
        subscription_id: id.into(),
        uri,
        fetched_at: now,
        expires_at: now + Duration::hours(LINK_VALIDITY_HOURS),
        refreshed: true,
    })
}

trait DisplayName {
    fn friendly_name_or_offer(&self) -> String;
}

impl DisplayName for Subscription {
    fn friendly_name_or_offer(&self) -> String {
        if !self.friendly_name.is_empty() {
            self.friendly_name.clone()
        } else if !self.offer_name.is_empty() {
            self.offer_name.clone()
        } else {
            self.id.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(json: &str) -> Subscription {
        crate::partner_center::json::decode(json.as_bytes(), "sub").unwrap()
    }

    #[test]
    fn the_refund_is_the_best_option_as_a_code_with_the_cli_words() {
        let said = |json: &str| {
            let s = sub(json);
            (refund_message(&s), refund_text(&s))
        };
        assert_eq!(
            said(r#"{"id":"s1"}"#),
            (
                Message::RefundInWindow,
                "Full refund (inside the cancellation window)".into()
            )
        );
        assert_eq!(
            said(
                r#"{"id":"s1","refundOptions":[{"type":"Partial","expiresAt":"2026-11-01T00:00:00Z"},{"type":"Full","expiresAt":"2026-10-01T00:00:00Z"}]}"#
            ),
            (Message::RefundPartial, "Partial refund".into())
        );
        assert_eq!(
            said(
                r#"{"id":"s1","refundOptions":[{"type":"Full","expiresAt":"2026-11-01T00:00:00Z"}]}"#
            ),
            (Message::RefundFull, "Full refund".into())
        );
        assert_eq!(
            said(
                r#"{"id":"s1","refundOptions":[{"type":"Prorated","expiresAt":"2026-11-01T00:00:00Z"}]}"#
            ),
            (
                Message::RefundOther {
                    kind: "Prorated".into()
                },
                "Prorated refund".into()
            )
        );
    }

    #[test]
    fn product_and_plan_come_from_the_offer_name() {
        let s = sub(r#"{"id":"s1","offerId":"P1:S1:A1","offerName":"Contoso CRM - Pro - Annual"}"#);
        assert_eq!(
            product_and_plan(&s),
            ("Contoso CRM - Pro".into(), "Annual".into())
        );
        let s = sub(r#"{"id":"s1","offerId":"P1:S1:A1","offerName":"Contoso CRM"}"#);
        assert_eq!(product_and_plan(&s), ("Contoso CRM".into(), "S1".into()));
    }

    #[test]
    fn closing_soon_needs_an_open_window_within_24_hours() {
        let policy = CancellationPolicy::default();
        let customer = Customer::default();
        let now: DateTime<Utc> = "2026-11-21T08:00:00Z".parse().unwrap();
        let with = |status: &str, until: &str| {
            SubscriptionRow::new(
                &customer,
                sub(&format!(
                    r#"{{"id":"x","status":"{status}","billingCycle":"monthly","cancellationAllowedUntilDate":"{until}"}}"#
                )),
                &policy,
                now,
            )
        };
        let soon = with("active", "2026-11-21T10:00:00Z");
        assert!(soon.can_cancel && soon.in_set(SubscriptionSet::ClosingSoon, now));
        assert!(matches!(
            soon.deadline.as_ref().unwrap().source,
            policy::DeadlineSource::CancellationAllowedUntilDate
        ));
        let later = with("active", "2026-11-23T10:00:00Z");
        assert!(!later.in_set(SubscriptionSet::ClosingSoon, now));
        let closed = with("active", "2026-11-21T07:59:00Z");
        assert!(!closed.can_cancel && !closed.in_set(SubscriptionSet::ClosingSoon, now));
        let gone = with("deleted", "2026-11-21T10:00:00Z");
        assert!(!gone.in_set(SubscriptionSet::ClosingSoon, now));
        let rows = vec![later, soon, closed, gone];
        assert_eq!(
            SubscriptionCounts::of(&rows, now),
            SubscriptionCounts {
                all: 4,
                closing_soon: 1,
                waiting_for_activation: 0
            }
        );
        assert_eq!(in_set(rows, SubscriptionSet::ClosingSoon, now).len(), 1);
    }

    #[test]
    fn cancel_is_allowed_until_the_deadline_unless_the_status_or_a_missing_window_blocks_it() {
        let policy = CancellationPolicy::default();
        let customer = Customer::default();
        let now: DateTime<Utc> = "2026-11-21T08:00:00Z".parse().unwrap();
        let row = |json: &str| SubscriptionRow::new(&customer, sub(json), &policy, now);
        let until: DateTime<Utc> = "2026-11-21T10:00:00Z".parse().unwrap();
        for status in ["active", "pending"] {
            let open = row(&format!(
                r#"{{"id":"x","status":"{status}","billingCycle":"monthly","cancellationAllowedUntilDate":"2026-11-21T10:00:00Z"}}"#
            ));
            assert_eq!(
                (open.cancel_blocked(), open.cancellable_until()),
                (None, Some(until))
            );
            assert!(open.can_cancel);
        }
        // Closed by time: not blocked, so the view can say when it closed.
        let closed = row(
            r#"{"id":"x","status":"active","billingCycle":"monthly","cancellationAllowedUntilDate":"2026-11-21T07:00:00Z"}"#,
        );
        assert!(!closed.can_cancel && closed.cancel_blocked().is_none());
        assert!(closed.cancellable_until().is_some());
        let blocked = |json: &str| {
            let r = row(json);
            assert!(!r.can_cancel && r.cancellable_until().is_none());
            r.cancel_blocked()
        };
        assert_eq!(
            blocked(
                r#"{"id":"x","status":"deleted","billingCycle":"monthly","cancellationAllowedUntilDate":"2026-11-21T10:00:00Z"}"#
            ),
            Some(Message::CancelBlockedCancelled)
        );
        assert_eq!(
            blocked(
                r#"{"id":"x","status":"suspended","billingCycle":"monthly","cancellationAllowedUntilDate":"2026-11-21T10:00:00Z"}"#
            ),
            Some(Message::CancelBlockedSuspended)
        );
        let no_window = blocked(r#"{"id":"x","status":"active","billingCycle":"none"}"#);
        assert_eq!(no_window, Some(Message::CancelBlockedNoWindow));
        assert_eq!(
            no_window.unwrap().english(),
            "Partner Center gives no cancellation window for this subscription."
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h").unwrap(), Duration::hours(24));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("2d").unwrap(), Duration::days(2));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("12").is_err());
    }
}
