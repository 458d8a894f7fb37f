//! Subscriptions: deadlines, activation queue, cancel, auto-renew, plan and quantity changes (issue 6).
//!
//! The facade over [`crate::subscriptions`]: every answer carries `now` as the connection sees it
//! (the embedded sandbox's clock, else the system clock), and every deadline as an absolute
//! time, so the UI counts down locally without asking again. The rules themselves (deadline,
//! window, bounds, link freshness) stay in the core.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

mod export;
mod items;
pub use items::*;

use super::AppCore;
use crate::connection::Connection;
use crate::error::Result;
use crate::partner_center::models::{Customer, Subscription};
use crate::subscriptions::plans::{self, PlanChange, PlanChoices};
use crate::subscriptions::policy::CancellationPolicy;
use crate::subscriptions::{self as core, ListFilter, SubscriptionRow};

/// "now" as the connection sees it: the embedded sandbox's clock (so a test or a demo can move
/// it), else the system clock.
fn now_of(c: &Connection) -> DateTime<Utc> {
    c.now()
}

fn policy_of(c: &Connection) -> Result<(CancellationPolicy, PolicyInfo)> {
    CancellationPolicy::in_force(&c.data_dir)
}

impl AppCore {
    /// Every subscription of one customer or of all, with `now` and the policy.
    async fn all_rows(
        &self,
        customer_id: Option<String>,
    ) -> Result<(DateTime<Utc>, Vec<SubscriptionRow>, PolicyInfo)> {
        let c = self.connection().await?;
        let (policy, info) = policy_of(&c)?;
        let now = now_of(&c);
        let filter = ListFilter {
            customer_id: customer_id
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
            ..Default::default()
        };
        Ok((now, core::list(&c, &filter, &policy, now).await?, info))
    }

    /// Every subscription of one customer or of all, as items, with `now` and the policy.
    async fn all_items(
        &self,
        customer_id: Option<String>,
    ) -> Result<(DateTime<Utc>, Vec<SubscriptionItem>, PolicyInfo)> {
        let (now, rows, info) = self.all_rows(customer_id).await?;
        let items = rows
            .into_iter()
            .map(|r| SubscriptionItem::from_row(r, now))
            .collect();
        Ok((now, items, info))
    }

    /// The subscriptions of one customer (or all customers) in `set`, newest first, with the
    /// counts of every set and the time of the answer.
    pub async fn list_subscriptions(
        &self,
        customer_id: Option<String>,
        set: SubscriptionSet,
    ) -> Result<SubscriptionList> {
        let (now, rows, policy) = self.all_rows(customer_id).await?;
        let counts = SubscriptionCounts::of(&rows, now);
        Ok(SubscriptionList {
            now,
            rows: core::in_set(rows, set, now)
                .into_iter()
                .map(|r| SubscriptionItem::from_row(r, now))
                .collect(),
            counts,
            policy,
        })
    }

    /// Counts for the sidebar badges across all customers, and the subscriptions whose window
    /// closes in under 2 hours (each gets one desktop notification).
    pub async fn subscription_badges(&self) -> Result<SubscriptionBadges> {
        let (now, rows, _) = self.all_rows(None).await?;
        let counts = SubscriptionCounts::of(&rows, now);
        let items = rows.into_iter().map(|r| SubscriptionItem::from_row(r, now));
        let mut urgent: Vec<UrgentSubscription> = items
            .filter(|i| i.urgent)
            .filter_map(|i| {
                let at = i.deadline.as_ref()?.at;
                Some(UrgentSubscription {
                    customer_id: i.customer_id,
                    subscription_id: i.id,
                    customer_name: i.customer_name,
                    product_name: i.product_name,
                    deadline: at,
                })
            })
            .collect();
        urgent.sort_by_key(|u| u.deadline);
        Ok(SubscriptionBadges {
            now,
            counts,
            urgent,
        })
    }

    /// One subscription, fresh from Partner Center.
    pub async fn subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<SubscriptionItem> {
        let c = self.connection().await?;
        let (policy, _) = policy_of(&c)?;
        let now = now_of(&c);
        let customer = crate::customers::get(&c.client, customer_id).await?;
        let sub = c
            .client
            .execute(&crate::partner_center::api::subscription(
                customer_id,
                subscription_id,
            ))
            .await?;
        Ok(item_of(&customer, sub, &policy, now))
    }

    /// Cancel one subscription inside its window (the core refuses outside it; a refusal from
    /// Partner Center keeps its own words). Returns it as read back from Partner Center.
    pub async fn cancel_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<SubscriptionItem> {
        let c = self.connection().await?;
        let (policy, _) = policy_of(&c)?;
        let now = now_of(&c);
        let customer = crate::customers::get(&c.client, customer_id).await?;
        let sub = core::cancel(&c, customer_id, subscription_id, &policy, now).await?;
        tracing::info!(customer_id, subscription_id, status = %sub.status, "subscription cancelled");
        Ok(item_of(&customer, sub, &policy, now))
    }

    /// Turn auto-renew on or off; the value read back from Partner Center.
    pub async fn set_auto_renew(
        &self,
        customer_id: &str,
        subscription_id: &str,
        on: bool,
    ) -> Result<bool> {
        let c = self.connection().await?;
        core::set_auto_renew(&c, customer_id, subscription_id, on).await
    }

    /// Auto-renew on or off for many; each row reports its own outcome and the value read back.
    pub async fn set_auto_renew_bulk(
        &self,
        targets: Vec<SubscriptionRef>,
        on: bool,
    ) -> Result<Vec<AutoRenewResult>> {
        if targets.is_empty() {
            return Err(crate::message::Message::NoSubscriptionsSelected.into());
        }
        let mut seen = HashSet::new();
        let pairs: Vec<(String, String)> = targets
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .map(|t| (t.customer_id, t.subscription_id))
            .collect();
        let c = self.connection().await?;
        let results = core::set_auto_renew_bulk(&c, &pairs, on).await;
        Ok(results
            .into_iter()
            .map(|r| AutoRenewResult {
                customer_id: r.customer_id,
                subscription_id: r.subscription_id,
                ok: r.ok,
                auto_renew_enabled: r.auto_renew_enabled,
                error: r.error,
            })
            .collect())
    }

    /// The seat bounds of the subscription's plan, from the catalog in the customer's country.
    pub async fn quantity_bounds(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<QuantityBounds> {
        let c = self.connection().await?;
        core::quantity_bounds(&c.client, customer_id, subscription_id).await
    }

    /// Change the seat count within the plan's bounds; the subscription as read back.
    pub async fn set_quantity(
        &self,
        customer_id: &str,
        subscription_id: &str,
        quantity: u32,
    ) -> Result<SubscriptionItem> {
        let c = self.connection().await?;
        let (policy, _) = policy_of(&c)?;
        let now = now_of(&c);
        let customer = crate::customers::get(&c.client, customer_id).await?;
        let sub = core::set_quantity(&c, customer_id, subscription_id, quantity).await?;
        Ok(item_of(&customer, sub, &policy, now))
    }

    /// The activation link of a subscription pending fulfillment: the one held if under 24 hours
    /// old, else fetched anew; with its expiry and the customer's email.
    pub async fn subscription_activation_link(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<ActivationLinkInfo> {
        let c = self.connection().await?;
        let now = now_of(&c);
        let link = core::activation_link(&c, customer_id, subscription_id, now).await?;
        let customer = crate::customers::get(&c.client, customer_id).await?;
        Ok(ActivationLinkInfo {
            subscription_id: link.subscription_id,
            uri: link.uri,
            fetched_at: link.fetched_at,
            expires_at: link.expires_at,
            refreshed: link.refreshed,
            customer_name: customer.company_profile.company_name.clone(),
            customer_email: crate::customers::contact_email(&customer),
            now,
        })
    }

    /// The plans the subscription may move to (only those Partner Center lists as eligible), and
    /// the others with the reason each is missing or blocked.
    pub async fn plan_options(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<PlanChoices> {
        let c = self.connection().await?;
        plans::plan_options(&c.client, customer_id, subscription_id).await
    }

    /// Move the subscription to `target` (an eligible plan's offer id or SKU), optionally with a
    /// new seat count; read back from Partner Center (it may wait for the publisher's approval).
    pub async fn change_plan(
        &self,
        customer_id: &str,
        subscription_id: &str,
        target: &str,
        quantity: Option<u32>,
    ) -> Result<PlanChange> {
        let c = self.connection().await?;
        let done =
            plans::change_plan(&c.client, customer_id, subscription_id, target, quantity).await?;
        tracing::info!(
            customer_id,
            subscription_id,
            target,
            applied = done.applied,
            "plan change"
        );
        Ok(done)
    }

    /// The cancellation policy in force, with its source.
    pub async fn cancellation_policy(&self) -> Result<PolicyInfo> {
        let c = self.connection().await?;
        Ok(policy_of(&c)?.1)
    }
}

fn item_of(
    customer: &Customer,
    sub: Subscription,
    policy: &CancellationPolicy,
    now: DateTime<Utc>,
) -> SubscriptionItem {
    SubscriptionItem::from_row(SubscriptionRow::new(customer, sub, policy, now), now)
}
