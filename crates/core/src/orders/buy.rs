//! The buy flow's rules around [`super::review`] and [`super::place`]: what an offer sells to one
//! customer (its plans, terms and seat bounds in the customer's billing country, or why it is not
//! sold there and whom to ask), and the book of reviewed orders that places each review at most
//! once, however often "Place order" is pressed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{options_of, review, Confirmation, PurchaseOption, PurchaseRequest, Review};
use crate::catalog::detail::{self, PublisherContacts};
use crate::catalog::Offer;
use crate::connection::Connection;
use crate::error::Result;
use crate::message::Message;
use crate::partner_center::models::Customer;
use crate::partner_center::{api, paging};
use crate::subscriptions::PlanBounds;

pub use super::{CancellationWindow as WindowInfo, PurchaseOption as TermChoice};

/// A plan (SKU) sold in the customer's billing country, with what its availability lists.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChoice {
    pub sku_id: String,
    pub title: String,
    pub description: String,
    pub availability_id: String,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub terms: Vec<PurchaseOption>,
}

/// Why the offer cannot be bought for this customer, and whom to ask.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NotSold {
    /// The billing country it is not sold in.
    pub country: String,
    pub message: String,
    /// `message` as a code.
    pub message_code: Message,
    /// The publisher's contacts, when the marketplace catalog has them.
    pub contacts: Option<PublisherContacts>,
}

/// What the buy flow may offer for one offer and one customer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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

/// The customer's billing country (upper case), which decides what can be sold to it.
pub fn billing_country(c: &Customer) -> Result<String> {
    c.billing_country()
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| {
            Message::OrderNoBillingCountry {
                customer: c.company_profile.company_name.clone(),
            }
            .refused()
        })
}

/// What `product_id` sells in the customer's billing country: its plans with the terms and
/// billing cycles each availability lists (plus the free trial), and seat bounds. When it is not
/// sold there, `not_sold` names the country and carries the publisher's contacts, read through
/// the marketplace catalog's `offer` in `market` when one is given. A non-SaaS offer is refused:
/// only SaaS can be bought through Partner Center.
pub async fn purchase_options(
    c: &Connection,
    customer_id: &str,
    product_id: &str,
    offer: Option<(&Offer, &str)>,
) -> Result<PurchaseOptions> {
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
            // The review's rule and wording (only SaaS through Partner Center, else the Azure portal).
            let req = PurchaseRequest {
                customer_id: customer.id.clone(),
                product_id: product_id.to_string(),
                ..Default::default()
            };
            review(c, &req).await?;
        }
        let skus = paging::collect_all(&c.client, api::skus(&p.id, &country)).await?;
        for sku in skus {
            let avs = paging::collect_all(&c.client, api::availabilities(&p.id, &sku.id, &country))
                .await?;
            let Some(av) = avs.into_iter().find(|a| {
                a.is_purchasable
                    && (a.country.is_empty() || a.country.eq_ignore_ascii_case(&country))
            }) else {
                continue;
            };
            let bounds = PlanBounds::of(&sku);
            out.plans.push(PlanChoice {
                sku_id: sku.id.clone(),
                title: sku.title.clone(),
                description: sku.description.clone(),
                availability_id: av.id.clone(),
                minimum_quantity: bounds.min,
                maximum_quantity: bounds.max,
                terms: options_of(&av),
            });
        }
    }
    if out.plans.is_empty() {
        let detail = match offer {
            Some((offer, market)) => detail::offer_detail(c, offer, market).await.ok(),
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
        let said = Message::NotSoldIn {
            product: title,
            country: country.clone(),
            customer: name.clone(),
        };
        out.not_sold = Some(NotSold {
            message: said.english(),
            message_code: said,
            country,
            contacts: detail.map(|d| d.publisher),
        });
    }
    Ok(out)
}

/// Reviews kept for placing; older ones must be reviewed again.
const MAX_REVIEWS: usize = 64;

/// A reviewed order, placed or not.
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub review: Review,
    /// Where to email the customer (its billing contact), for the confirmation.
    pub customer_email: Option<String>,
}

#[derive(Debug)]
struct Slot {
    reviewed: Reviewed,
    created: Instant,
    state: PlaceState,
}

#[derive(Debug, Clone)]
enum PlaceState {
    Ready,
    InFlight,
    Placed(Box<Confirmation>),
    /// The attempt failed; the review is used up (a new review gives a new journal entry).
    Failed(String),
}

/// The reviews of this run, by review id: each places at most one order.
#[derive(Debug, Default)]
pub struct ReviewBook {
    slots: Mutex<HashMap<String, Slot>>,
}

impl ReviewBook {
    /// Checks the request against every rule ([`review`]) and keeps it under a new review id.
    pub async fn review(
        &self,
        c: &Connection,
        req: &PurchaseRequest,
    ) -> Result<(String, Reviewed)> {
        let review = review(c, req).await?;
        let customer_email = crate::customers::get(&c.client, &review.customer_id)
            .await
            .ok()
            .and_then(|c| crate::customers::contact_email(&c));
        let reviewed = Reviewed {
            review,
            customer_email,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        if slots.len() >= MAX_REVIEWS {
            // Drop the oldest that is not in flight.
            if let Some(old) = slots
                .iter()
                .filter(|(_, s)| !matches!(s.state, PlaceState::InFlight))
                .min_by_key(|(_, s)| s.created)
                .map(|(k, _)| k.clone())
            {
                slots.remove(&old);
            }
        }
        slots.insert(
            id.clone(),
            Slot {
                reviewed: reviewed.clone(),
                created: Instant::now(),
                state: PlaceState::Ready,
            },
        );
        Ok((id, reviewed))
    }

    /// Places the reviewed order ([`super::place_with`]: journal first, `MS-RequestId`s kept),
    /// waiting at most `link_patience` for the activation link. A second call while the first is
    /// in flight is refused, a later call returns the first confirmation, and after a failure
    /// the review is used up.
    pub async fn place(
        &self,
        c: &Connection,
        review_id: &str,
        link_patience: Duration,
    ) -> Result<(Reviewed, Confirmation)> {
        let reviewed = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            let slot = slots.get_mut(review_id).ok_or_else(|| {
                Message::ReviewMissing {
                    review: review_id.to_string(),
                }
                .not_found()
            })?;
            match &slot.state {
                PlaceState::InFlight => return Err(Message::OrderInFlight.refused()),
                PlaceState::Placed(done) => return Ok((slot.reviewed.clone(), (**done).clone())),
                PlaceState::Failed(why) => {
                    return Err(Message::ReviewAlreadyFailed {
                        why: why.to_string(),
                    }
                    .refused())
                }
                PlaceState::Ready => slot.state = PlaceState::InFlight,
            }
            slot.reviewed.clone()
        };
        let result = super::place_with(c, &reviewed.review, link_patience).await;
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let state = match &result {
            Ok(done) => PlaceState::Placed(Box::new(done.clone())),
            Err(e) => PlaceState::Failed(e.to_string()),
        };
        if let Some(slot) = slots.get_mut(review_id) {
            slot.state = state;
        }
        result.map(|done| (reviewed, done))
    }
}
