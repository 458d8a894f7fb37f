//! Customers, the buy flow (review, place, confirmation) and the orders journal (issue 5).
//!
//! The buy flow is four calls: [`AppCore::purchase_options`] (what the offer sells in the
//! customer's billing country, or why it is not sold there, with the publisher's contacts),
//! [`AppCore::review_order`] (every rule of [`orders::review`], kept under a `reviewId`),
//! [`AppCore::place_order`] (one order per review: a second call while the first is in flight is
//! refused, a call after it returns the same confirmation) and [`AppCore::activation_link`]
//! (polled with backoff until Partner Center has the publisher's link).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AppCore;
use crate::catalog::detail::PublisherContacts;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::orders::journal::{self, JournalEntry, JournalState};
use crate::orders::{self, PurchaseOption, PurchaseRequest, Review};
use crate::partner_center::models::{BillingCycle, Customer};
use crate::partner_center::{api, paging};
use crate::subscriptions::policy::CancellationPolicy;
use crate::subscriptions::SubscriptionRow;

/// How long the customer list is reused before it is read again (Refresh reads it at once).
const CUSTOMERS_TTL: Duration = Duration::from_secs(300);
/// Reviews kept for placing; older ones must be reviewed again.
const MAX_REVIEWS: usize = 64;
/// Longest one `activation_link` call waits; the UI calls again while it shows the spinner.
const MAX_LINK_WAIT: Duration = Duration::from_secs(30);

/// The buy flow's state inside [`AppCore`].
#[derive(Debug, Default)]
pub struct OrdersState {
    customers: Mutex<Option<(Instant, Vec<Customer>)>>,
    reviews: Mutex<HashMap<String, ReviewSlot>>,
    reconciled: tokio::sync::OnceCell<()>,
}

#[derive(Debug)]
struct ReviewSlot {
    review: Review,
    customer_email: Option<String>,
    created: Instant,
    state: PlaceState,
}

#[derive(Debug, Clone)]
enum PlaceState {
    Ready,
    InFlight,
    Placed(Box<OrderConfirmation>),
    /// The attempt failed; the review is used up (a new review gives a new journal entry).
    Failed(String),
}

/// One customer in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerRow {
    pub id: String,
    pub company_name: String,
    pub domain: String,
    pub tenant_id: String,
    /// `reseller`, `advisor`, …
    pub relationship: String,
}

impl CustomerRow {
    fn of(c: &Customer) -> CustomerRow {
        CustomerRow {
            id: c.id.clone(),
            company_name: c.company_profile.company_name.clone(),
            domain: c.company_profile.domain.clone(),
            tenant_id: c.company_profile.tenant_id.clone(),
            relationship: c.relationship_to_partner.as_str().to_string(),
        }
    }
}

/// One subscription in a customer's detail.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerSubscription {
    pub id: String,
    pub offer_id: String,
    pub offer_name: String,
    pub friendly_name: String,
    pub publisher_name: String,
    pub quantity: u32,
    /// Partner Center's status (`active`, `pending`, …).
    pub status: String,
    /// As partners read it: `pending fulfillment`, `active`, `cancelled`, …
    pub status_label: String,
    pub term_duration: String,
    pub billing_cycle: String,
    pub auto_renew_enabled: bool,
    pub is_trial: bool,
    pub order_id: String,
    pub creation_date: Option<DateTime<Utc>>,
    /// Until when it can be cancelled with a refund, when known.
    pub cancellation_deadline: Option<DateTime<Utc>>,
    pub can_cancel: bool,
}

/// Where a journal entry stands, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OrderState {
    /// Sent; the outcome is not known yet (checked against Partner Center at start).
    Started,
    CartCreated,
    Placed,
    Refused,
    NotPlaced,
}

impl From<JournalState> for OrderState {
    fn from(s: JournalState) -> Self {
        match s {
            JournalState::Started => OrderState::Started,
            JournalState::CartCreated => OrderState::CartCreated,
            JournalState::Placed => OrderState::Placed,
            JournalState::Refused => OrderState::Refused,
            JournalState::NotPlaced => OrderState::NotPlaced,
        }
    }
}

/// One entry of the orders journal (an order placed, or attempted, from this app).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderRow {
    /// The journal entry's id.
    #[ts(type = "number")]
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub product_id: String,
    pub product_title: String,
    pub sku_id: String,
    /// The plan's name, for orders placed since it is kept.
    pub plan: Option<String>,
    pub quantity: u32,
    pub term_duration: String,
    pub billing_cycle: String,
    pub trial: bool,
    /// Partner Center's order id, once known.
    pub order_id: Option<String>,
    pub subscription_id: Option<String>,
    pub state: OrderState,
    /// Partner Center's order status (`pending`, `completed`…), when known.
    pub status: Option<String>,
    pub error: Option<String>,
    /// The `MS-RequestId` the checkout was (or will be) sent with.
    pub checkout_request_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<JournalEntry> for OrderRow {
    fn from(e: JournalEntry) -> Self {
        OrderRow {
            id: e.id,
            customer_id: e.customer_id,
            customer_name: e.customer_name,
            product_id: e.product_id,
            product_title: e.product_title,
            sku_id: e.sku_id,
            plan: e.plan,
            quantity: e.quantity,
            term_duration: e.term_duration,
            billing_cycle: e.billing_cycle,
            trial: e.trial,
            order_id: e.order_id,
            subscription_id: e.subscription_id,
            state: e.state.into(),
            status: e.status,
            error: e.error,
            checkout_request_id: e.checkout_request_id,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A customer's detail: billing country, subscriptions and the orders placed from this app.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerDetail {
    pub id: String,
    pub company_name: String,
    pub domain: String,
    pub tenant_id: String,
    /// From the billing profile (ISO 3166 alpha-2); `None` when the profile has none.
    pub billing_country: Option<String>,
    /// The billing contact's email, for "Email to customer".
    pub email: Option<String>,
    pub subscriptions: Vec<CustomerSubscription>,
    /// Orders placed from this app for the customer, newest first.
    pub orders: Vec<OrderRow>,
}

/// The cancellation window a term gives.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowInfo {
    pub hours: u32,
    /// e.g. "24 hours after purchase".
    pub text: String,
    /// `availability` (the term's own policy) or `policy` (the marketplace default).
    pub source: String,
}

/// One term + billing cycle the availability lists (or its free trial).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TermChoice {
    /// `P1M`, `P1Y`, …
    pub term_duration: String,
    /// `monthly`, `annual`, …
    pub billing_cycle: String,
    pub description: String,
    pub trial: bool,
    pub cancellation: WindowInfo,
}

impl From<&PurchaseOption> for TermChoice {
    fn from(o: &PurchaseOption) -> Self {
        TermChoice {
            term_duration: o.term_duration.clone(),
            billing_cycle: o.billing_cycle.as_str().to_string(),
            description: o.description.clone(),
            trial: o.trial,
            cancellation: WindowInfo {
                hours: o.cancellation.hours,
                text: o.cancellation.text.clone(),
                source: o.cancellation.source.clone(),
            },
        }
    }
}

/// A plan (SKU) sold in the customer's billing country, with what its availability lists.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanChoice {
    pub sku_id: String,
    pub title: String,
    pub description: String,
    pub availability_id: String,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub terms: Vec<TermChoice>,
}

/// Why the offer cannot be bought for this customer, and whom to ask.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotSold {
    /// The billing country it is not sold in.
    pub country: String,
    pub message: String,
    /// The publisher's contacts, when the marketplace catalog has them.
    pub contacts: Option<PublisherContacts>,
}

/// What the buy flow may offer for one offer and one customer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurchaseOptions {
    pub customer_id: String,
    pub customer_name: String,
    /// The customer's billing country, from the billing profile.
    pub country: String,
    pub product_id: String,
    pub product_title: String,
    pub publisher_name: String,
    /// Set when the offer is not sold in the customer's billing country; `plans` is then empty.
    pub not_sold: Option<NotSold>,
    pub plans: Vec<PlanChoice>,
}

/// What the user chose in the buy flow.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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

/// The price from the price list.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PriceInfo {
    pub unit_price: f64,
    pub total: f64,
    /// ISO 4217, the market's currency.
    pub currency: String,
    /// e.g. "price list of GB, 2026-11-21".
    pub source: String,
}

/// The review step: everything checked, nothing sent yet.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderReview {
    /// Pass to [`AppCore::place_order`]; one review places at most one order.
    pub review_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub country: String,
    pub product_id: String,
    pub product_title: String,
    pub publisher_name: String,
    pub sku_id: String,
    pub plan: String,
    pub quantity: u32,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub chosen: TermChoice,
    /// `None` when the price list has no row for this plan and term.
    pub price: Option<PriceInfo>,
    pub terms_of_use_uri: Option<String>,
}

/// One line of the placed order.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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
#[ts(export)]
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

fn confirmation(
    review_id: &str,
    r: &Review,
    email: Option<String>,
    c: orders::Confirmation,
) -> OrderConfirmation {
    OrderConfirmation {
        review_id: review_id.to_string(),
        journal_id: c.journal.id,
        order_id: c.order.id.clone(),
        status: c.order.status.as_str().to_string(),
        customer_id: r.customer_id.clone(),
        customer_name: r.customer_name.clone(),
        customer_email: email,
        product_title: r.product_title.clone(),
        publisher_name: r.publisher_name.clone(),
        plan: r.plan.clone(),
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

fn billing_country(c: &Customer) -> Result<String> {
    c.billing_country()
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| {
            Error::refused(
                format!(
                    "{} has no billing country in its billing profile",
                    c.company_profile.company_name
                ),
                "Complete the customer's billing profile in Partner Center first",
            )
        })
}

fn billing_email(c: &Customer) -> Option<String> {
    c.billing_profile
        .as_ref()
        .and_then(|b| b.email.clone())
        .or_else(|| c.company_profile.email.clone())
        .filter(|e| !e.trim().is_empty())
}

impl AppCore {
    /// Customers whose company name, domain or tenant id contains `search` (any case). The list
    /// is read once and reused for a few minutes; `refresh` reads it again.
    pub async fn customers(&self, search: &str, refresh: bool) -> Result<Vec<CustomerRow>> {
        let cached = if refresh {
            None
        } else {
            self.orders
                .customers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .as_ref()
                .filter(|(at, _)| at.elapsed() < CUSTOMERS_TTL)
                .map(|(_, all)| all.clone())
        };
        let all = match cached {
            Some(all) => all,
            None => {
                let c = self.connection().await?;
                let mut all = crate::customers::list(&c.client, None).await?;
                all.sort_by_key(|c| c.company_profile.company_name.to_lowercase());
                *self
                    .orders
                    .customers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), all.clone()));
                all
            }
        };
        Ok(all
            .iter()
            .filter(|c| crate::customers::matches(c, search))
            .map(CustomerRow::of)
            .collect())
    }

    /// One customer: billing country, subscriptions, and the orders placed from this app.
    pub async fn customer_detail(&self, customer_id: &str) -> Result<CustomerDetail> {
        let c = self.connection().await?;
        let customer = crate::customers::get(&c.client, customer_id).await?;
        let policy = CancellationPolicy::load(&c.data_dir)?;
        // The customer's subscriptions, as the Subscriptions view reads them, newest first.
        let now = Utc::now();
        let mut subs = paging::collect_all(&c.client, api::subscriptions(&customer.id)).await?;
        subs.sort_by_key(|s| std::cmp::Reverse(s.creation_date));
        let subscriptions = subs
            .into_iter()
            .map(|s| SubscriptionRow::new(&customer, s, &policy, now))
            .map(|r| {
                let s = r.subscription;
                CustomerSubscription {
                    id: s.id,
                    offer_id: s.offer_id,
                    offer_name: s.offer_name,
                    friendly_name: s.friendly_name,
                    publisher_name: s.publisher_name,
                    quantity: s.quantity,
                    status: s.status.as_str().to_string(),
                    status_label: r.status_label.text().to_string(),
                    term_duration: s.term_duration,
                    billing_cycle: s.billing_cycle.as_str().to_string(),
                    auto_renew_enabled: s.auto_renew_enabled,
                    is_trial: s.is_trial,
                    order_id: s.order_id,
                    creation_date: s.creation_date,
                    cancellation_deadline: r.deadline.map(|d| d.at),
                    can_cancel: r.can_cancel,
                }
            })
            .collect();
        let orders = journal::list(&c.store, Some(&customer.id))?
            .into_iter()
            .map(OrderRow::from)
            .collect();
        Ok(CustomerDetail {
            billing_country: customer.billing_country().map(str::to_ascii_uppercase),
            email: billing_email(&customer),
            id: customer.id,
            company_name: customer.company_profile.company_name,
            domain: customer.company_profile.domain,
            tenant_id: customer.company_profile.tenant_id,
            subscriptions,
            orders,
        })
    }

    /// What an offer sells in the customer's billing country: its plans with the terms and
    /// billing cycles each availability lists (plus the free trial), and quantity bounds. When
    /// it is not sold there, `notSold` names the country and carries the publisher's contacts
    /// (read through the offer's detail in `market`, when `offer_key` is given). A non-SaaS
    /// offer is refused: only SaaS can be bought through Partner Center.
    pub async fn purchase_options(
        &self,
        customer_id: &str,
        product_id: &str,
        market: &str,
        offer_key: Option<&str>,
    ) -> Result<PurchaseOptions> {
        let c = self.connection().await?;
        let customer = crate::customers::get(&c.client, customer_id).await?;
        let name = customer.company_profile.company_name.clone();
        let country = billing_country(&customer)?;
        let mut out = PurchaseOptions {
            customer_id: customer.id.clone(),
            customer_name: name.clone(),
            country: country.clone(),
            product_id: product_id.to_string(),
            product_title: String::new(),
            publisher_name: String::new(),
            not_sold: None,
            plans: vec![],
        };
        let product = match c.client.execute(&api::product(product_id, &country)).await {
            Ok(p) => Some(p),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => return Err(e),
        };
        if let Some(p) = &product {
            out.product_title = p.title.clone();
            out.publisher_name = p.publisher_name.clone();
            if !p.is_saas() {
                // The core's rule and wording (only SaaS through Partner Center, else the Azure portal).
                let req = PurchaseRequest {
                    customer_id: customer.id.clone(),
                    product_id: product_id.to_string(),
                    ..Default::default()
                };
                orders::review(&c, &req).await?;
            }
            let skus = paging::collect_all(&c.client, api::skus(&p.id, &country)).await?;
            for sku in skus {
                let avs =
                    paging::collect_all(&c.client, api::availabilities(&p.id, &sku.id, &country))
                        .await?;
                let Some(av) = avs.into_iter().find(|a| {
                    a.is_purchasable
                        && (a.country.is_empty() || a.country.eq_ignore_ascii_case(&country))
                }) else {
                    continue;
                };
                let min = sku.minimum_quantity.max(1);
                out.plans.push(PlanChoice {
                    sku_id: sku.id.clone(),
                    title: sku.title.clone(),
                    description: sku.description.clone(),
                    availability_id: av.id.clone(),
                    minimum_quantity: min,
                    maximum_quantity: sku.maximum_quantity.max(min),
                    terms: orders::options_of(&av)
                        .iter()
                        .map(TermChoice::from)
                        .collect(),
                });
            }
        }
        if out.plans.is_empty() {
            let detail = match offer_key {
                Some(key) => self.offer_detail(market, key).await.ok(),
                None => None,
            };
            if out.product_title.is_empty() {
                if let Some(d) = &detail {
                    out.product_title = d.title.clone();
                    out.publisher_name = d.publisher.name.clone();
                }
            }
            let title = if out.product_title.is_empty() {
                product_id.to_string()
            } else {
                out.product_title.clone()
            };
            out.not_sold = Some(NotSold {
                message: format!("{title} is not sold in {country}, the billing country of {name}"),
                country,
                contacts: detail.map(|d| d.publisher),
            });
        }
        Ok(out)
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
        let review = orders::review(&c, &req).await?;
        let email = crate::customers::get(&c.client, &review.customer_id)
            .await
            .ok()
            .and_then(|c| billing_email(&c));
        let review_id = uuid::Uuid::new_v4().to_string();
        let out = OrderReview {
            review_id: review_id.clone(),
            customer_id: review.customer_id.clone(),
            customer_name: review.customer_name.clone(),
            country: review.country.clone(),
            product_id: review.product_id.clone(),
            product_title: review.product_title.clone(),
            publisher_name: review.publisher_name.clone(),
            sku_id: review.sku_id.clone(),
            plan: review.plan.clone(),
            quantity: review.quantity,
            minimum_quantity: review.minimum_quantity,
            maximum_quantity: review.maximum_quantity,
            chosen: TermChoice::from(&review.chosen),
            price: review.price.as_ref().map(|p| PriceInfo {
                unit_price: p.unit_price,
                total: p.total,
                currency: p.currency.clone(),
                source: p.source.clone(),
            }),
            terms_of_use_uri: review.terms_of_use_uri.clone(),
        };
        let mut reviews = self
            .orders
            .reviews
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if reviews.len() >= MAX_REVIEWS {
            // Drop the oldest that is not in flight.
            if let Some(old) = reviews
                .iter()
                .filter(|(_, s)| !matches!(s.state, PlaceState::InFlight))
                .min_by_key(|(_, s)| s.created)
                .map(|(k, _)| k.clone())
            {
                reviews.remove(&old);
            }
        }
        reviews.insert(
            review_id,
            ReviewSlot {
                review,
                customer_email: email,
                created: Instant::now(),
                state: PlaceState::Ready,
            },
        );
        Ok(out)
    }

    /// Place the reviewed order ([`orders::place`]: journal first, `MS-RequestId`s kept). One
    /// review places at most one order: a second call while the first is in flight is refused,
    /// a later call returns the first confirmation, and after a failure the review is used up.
    /// Returns without waiting for the activation link; poll [`AppCore::order_activation_link`].
    pub async fn place_order(&self, review_id: &str) -> Result<OrderConfirmation> {
        let (review, email) =
            {
                let mut reviews = self
                    .orders
                    .reviews
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                let slot = reviews.get_mut(review_id).ok_or_else(|| {
                    Error::not_found(
                        format!("review {review_id}"),
                        "Review the order again; reviews are kept only while the app runs",
                    )
                })?;
                match &slot.state {
                    PlaceState::InFlight => {
                        return Err(Error::refused(
                            "this order is already being placed",
                            "Wait for its confirmation; it is placed once",
                        ))
                    }
                    PlaceState::Placed(c) => return Ok((**c).clone()),
                    PlaceState::Failed(why) => return Err(Error::refused(
                        format!("this review was already sent and failed ({why})"),
                        "Check the Orders view for its outcome before reviewing the order again",
                    )),
                    PlaceState::Ready => slot.state = PlaceState::InFlight,
                }
                (slot.review.clone(), slot.customer_email.clone())
            };
        let result = match self.connection().await {
            Ok(c) => orders::place_with(&c, &review, Duration::ZERO).await,
            Err(e) => Err(e),
        };
        let mut reviews = self
            .orders
            .reviews
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let set = |reviews: &mut HashMap<String, ReviewSlot>, s: PlaceState| {
            if let Some(slot) = reviews.get_mut(review_id) {
                slot.state = s;
            }
        };
        match result {
            Ok(c) => {
                let conf = confirmation(review_id, &review, email, c);
                set(&mut reviews, PlaceState::Placed(Box::new(conf.clone())));
                Ok(conf)
            }
            Err(e) => {
                set(&mut reviews, PlaceState::Failed(e.to_string()));
                Err(e)
            }
        }
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

    /// The orders journal, newest first, optionally for one customer.
    pub async fn orders(&self, customer_id: Option<&str>) -> Result<Vec<OrderRow>> {
        let c = self.connection().await?;
        let id = customer_id.map(str::trim).filter(|s| !s.is_empty());
        Ok(journal::list(&c.store, id)?
            .into_iter()
            .map(OrderRow::from)
            .collect())
    }

    /// Settle journal entries whose outcome is unknown against Partner Center, once per run
    /// (the desktop calls it in the background at start). Returns the entries it changed.
    pub async fn reconcile_orders(&self) -> Result<Vec<OrderRow>> {
        let c = self.connection().await?;
        let mut changed = None;
        self.orders
            .reconciled
            .get_or_try_init(|| async {
                changed = Some(reconcile(&c).await?);
                Ok::<_, Error>(())
            })
            .await?;
        Ok(changed.unwrap_or_default())
    }
}

async fn reconcile(c: &Connection) -> Result<Vec<OrderRow>> {
    let changed = orders::reconcile(c).await?;
    if !changed.is_empty() {
        tracing::info!(entries = changed.len(), "orders journal reconciled");
    }
    Ok(changed.into_iter().map(OrderRow::from).collect())
}
