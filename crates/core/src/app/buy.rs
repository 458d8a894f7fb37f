//! The buy flow (issue 5), as the desktop's IPC types.
//!
//! The buy flow is four calls: [`AppCore::purchase_options`] (what the offer sells in the
//! customer's billing country, or why not: [`buy::purchase_options`]), [`AppCore::review_order`]
//! (every rule of [`orders::review`], kept under a `reviewId` in the [`ReviewBook`]),
//! [`AppCore::place_order`] (one order per review) and [`AppCore::order_activation_link`]
//! (polled with backoff until Partner Center has the publisher's link).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::app::AppCore;
use crate::error::Result;
use crate::orders::buy::{self, Reviewed};
use crate::orders::{self, PurchaseRequest};
use crate::partner_center::models::BillingCycle;

pub use crate::orders::buy::{NotSold, PlanChoice, PurchaseOptions, TermChoice, WindowInfo};
pub use crate::orders::{Price as PriceInfo, Review};

/// Longest one `activation_link` call waits; the UI calls again while it shows the spinner.
const MAX_LINK_WAIT: Duration = Duration::from_secs(30);

/// What the user chose in the buy flow.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseChoice {
    pub customer_id: String,
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: Option<String>,
    pub quantity: u32,
    /// `P1M`, `P1Y`, …; ignored for a trial.
    pub term_duration: Option<String>,
    /// `monthly`, `annual`, …; ignored for a trial.
    pub billing_cycle: Option<String>,
    pub trial: bool,
}

/// The review step: everything checked, nothing sent yet; the core's [`Review`] under the id
/// to place it with.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderReview {
    /// Pass to [`AppCore::place_order`]; one review places at most one order.
    pub review_id: String,
    #[serde(flatten)]
    pub review: Review,
}

/// One line of the placed order.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub line_item_number: u32,
    pub offer_id: String,
    pub friendly_name: Option<String>,
    pub quantity: u32,
    pub term_duration: Option<String>,
    pub subscription_id: Option<String>,
}

/// The confirmation after checkout.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderConfirmation {
    pub review_id: String,
    #[ts(type = "number")]
    pub journal_id: i64,
    pub order_id: String,
    /// Partner Center's order status (`pending` until the publisher activates it).
    pub status: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub product_title: String,
    pub publisher_name: String,
    pub plan: String,
    pub line_items: Vec<OrderLine>,
    pub subscription_id: Option<String>,
    /// `None` until Partner Center has it: poll with [`AppCore::order_activation_link`].
    pub activation_link: Option<orders::ActivationLinkInfo>,
    /// Until when the subscription can be cancelled with a refund.
    pub cancellation_allowed_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn confirmation(review_id: &str, reviewed: Reviewed, c: orders::Confirmation) -> OrderConfirmation {
    let r = reviewed.review;
    OrderConfirmation {
        review_id: review_id.to_string(),
        journal_id: c.journal.id,
        order_id: c.order.id.clone(),
        status: c.order.status.as_str().to_string(),
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        customer_email: reviewed.customer_email,
        product_title: r.product_title,
        publisher_name: r.publisher_name,
        plan: r.plan,
        line_items: c
            .order
            .line_items
            .iter()
            .map(|l| OrderLine {
                line_item_number: l.line_item_number,
                offer_id: l.offer_id.clone(),
                friendly_name: l.friendly_name.clone(),
                quantity: l.quantity,
                term_duration: l.term_duration.clone(),
                subscription_id: l.subscription_id.clone(),
            })
            .collect(),
        subscription_id: c
            .subscription
            .as_ref()
            .map(|s| s.id.clone())
            .or(c.journal.subscription_id.clone()),
        activation_link: c.activation_link,
        cancellation_allowed_until: c.cancellation_allowed_until,
        created_at: c.order.creation_date.unwrap_or(c.journal.created_at),
    }
}

impl AppCore {
    /// What an offer sells in the customer's billing country ([`buy::purchase_options`]); the
    /// publisher's contacts come from the offer `offer_key` of `market`'s catalog, when given.
    pub async fn purchase_options(
        &self,
        customer_id: &str,
        product_id: &str,
        market: &str,
        offer_key: Option<&str>,
    ) -> Result<PurchaseOptions> {
        let c = self.connection().await?;
        let offer = match offer_key {
            Some(key) => self
                .index(market)
                .await
                .ok()
                .and_then(|i| i.offer(key).cloned()),
            None => None,
        };
        let market = market.trim().to_ascii_uppercase();
        buy::purchase_options(
            &c,
            customer_id,
            product_id,
            offer.as_ref().map(|o| (o, market.as_str())),
        )
        .await
    }

    /// Check the choice against every rule ([`orders::review`]) and keep it for placing.
    pub async fn review_order(&self, choice: PurchaseChoice) -> Result<OrderReview> {
        let c = self.connection().await?;
        let req = PurchaseRequest {
            customer_id: choice.customer_id.clone(),
            product_id: choice.product_id.clone(),
            sku_id: choice.sku_id.clone(),
            availability_id: choice.availability_id.clone(),
            quantity: Some(choice.quantity),
            term: choice.term_duration.clone().filter(|_| !choice.trial),
            billing: choice
                .billing_cycle
                .as_deref()
                .filter(|_| !choice.trial)
                .map(BillingCycle::from_wire),
            trial: choice.trial,
        };
        let (review_id, Reviewed { review, .. }) = self.orders.reviews.review(&c, &req).await?;
        Ok(OrderReview { review_id, review })
    }

    /// Place the reviewed order, at most once per review ([`ReviewBook::place`]). Returns without
    /// waiting for the activation link; poll [`AppCore::order_activation_link`].
    pub async fn place_order(&self, review_id: &str) -> Result<OrderConfirmation> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Order);
        let c = self.connection().await?;
        let (reviewed, done) = self
            .orders
            .reviews
            .place(&c, review_id, Duration::ZERO)
            .await?;
        Ok(confirmation(review_id, reviewed, done))
    }

    /// The order's activation link, polled with backoff for up to `wait_secs` (at most 30 s);
    /// `None` when Partner Center does not have it yet (call again).
    pub async fn order_activation_link(
        &self,
        customer_id: &str,
        order_id: &str,
        wait_secs: u32,
    ) -> Result<Option<orders::ActivationLinkInfo>> {
        let c = self.connection().await?;
        let patience = Duration::from_secs(wait_secs as u64).min(MAX_LINK_WAIT);
        orders::poll_activation_link(&c, customer_id, order_id, patience).await
    }
}
