//! Customers and a customer's detail (issue 5), as the desktop's IPC types. The customer list is
//! read once and reused for a few minutes; Refresh reads it again.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::orders::OrderRow;
use super::AppCore;
use crate::error::Result;
use crate::orders::journal;
use crate::partner_center::models::Customer;
use crate::partner_center::{api, paging};
use crate::subscriptions::policy::CancellationPolicy;
use crate::subscriptions::SubscriptionRow;

/// How long the customer list is reused before it is read again (Refresh reads it at once).
const CUSTOMERS_TTL: Duration = Duration::from_secs(300);

/// The customer list as last read, a field of [`AppCore`].
pub(super) type CustomerCache = Mutex<Option<(Instant, Vec<Customer>)>>;

/// One customer in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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

/// A customer's detail: billing country, subscriptions and the orders placed from this app.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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

impl AppCore {
    /// Customers whose company name, domain or tenant id contains `search` (any case). The list
    /// is read once and reused for a few minutes; `refresh` reads it again.
    pub async fn customers(&self, search: &str, refresh: bool) -> Result<Vec<CustomerRow>> {
        let cached = if refresh {
            None
        } else {
            self.customers
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
                *self.customers.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((Instant::now(), all.clone()));
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
        let now = c.now();
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
        let orders = journal::list(&c.store, Some(&customer.id))?;
        Ok(CustomerDetail {
            billing_country: customer.billing_country().map(str::to_ascii_uppercase),
            email: crate::customers::contact_email(&customer),
            id: customer.id,
            company_name: customer.company_profile.company_name,
            domain: customer.company_profile.domain,
            tenant_id: customer.company_profile.tenant_id,
            subscriptions,
            orders,
        })
    }
}
