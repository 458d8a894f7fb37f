//! Subscriptions: deadlines, activation queue, cancel, auto-renew, plan and quantity changes (issue 6).
//!
//! The facade over [`crate::subscriptions`]: every answer carries `now` as the connection sees it
//! (the embedded sandbox's clock, else the system clock), and every deadline as an absolute
//! time, so the UI counts down locally without asking again. The rules themselves (deadline,
//! window, bounds, link freshness) stay in the core.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AppCore;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::partner_center::models::{Customer, Subscription};
use crate::subscriptions::plans::{self, PlanChange, PlanChoices};
use crate::subscriptions::policy::{CancellationPolicy, DeadlineSource};
pub use crate::subscriptions::QuantityBounds;
use crate::subscriptions::{
    self as core, product_and_plan, refund_text, ListFilter, StatusLabel, SubscriptionRow,
};
use crate::tabular::{self, Cell, ExportResult, Table};

/// Which set of subscriptions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SubscriptionSet {
    #[default]
    All,
    /// Cancellation window open and closing within 24 hours.
    ClosingSoon,
    /// Pending fulfillment: waiting for the customer or partner to activate on the publisher's site.
    WaitingForActivation,
}

/// Status as partners read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SubscriptionState {
    PendingFulfillment,
    Active,
    Suspended,
    Cancelled,
    Other,
}

impl From<StatusLabel> for SubscriptionState {
    fn from(s: StatusLabel) -> Self {
        match s {
            StatusLabel::PendingFulfillment => SubscriptionState::PendingFulfillment,
            StatusLabel::Active => SubscriptionState::Active,
            StatusLabel::Suspended => SubscriptionState::Suspended,
            StatusLabel::Cancelled => SubscriptionState::Cancelled,
            StatusLabel::Other => SubscriptionState::Other,
        }
    }
}

/// Where a cancellation deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DeadlineKind {
    /// The subscription's `cancellationAllowedUntilDate`.
    SubscriptionField,
    /// The latest `refundOptions[].expiresAt`.
    RefundOption,
    /// Computed from the purchase time and the cancellation policy.
    Policy,
}

/// A cancellation deadline with its source, for the column and the detail panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CancellationDeadline {
    pub at: DateTime<Utc>,
    pub kind: DeadlineKind,
    /// "cancellationAllowedUntilDate on the subscription", "refund option (refundOptions.expiresAt)",
    /// or "policy: <the policy's source>".
    pub source: String,
}

/// One subscription as the list and the detail panel show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionItem {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub offer_id: String,
    pub product_id: String,
    pub sku_id: String,
    /// The product's name (the offer name less its plan).
    pub product_name: String,
    /// The plan's name as the offer name gives it, else the SKU id.
    pub plan_name: String,
    pub friendly_name: String,
    pub publisher_name: String,
    pub quantity: u32,
    pub unit_type: String,
    /// ISO 8601, e.g. `P1M`, `P1Y`.
    pub term_duration: String,
    pub billing_cycle: String,
    pub status: SubscriptionState,
    pub is_trial: bool,
    pub auto_renew_enabled: bool,
    pub creation_date: Option<DateTime<Utc>>,
    pub effective_start_date: Option<DateTime<Utc>>,
    pub commitment_end_date: Option<DateTime<Utc>>,
    pub deadline: Option<CancellationDeadline>,
    /// Cancel is allowed now (open status and inside the window).
    pub can_cancel: bool,
    /// Inside the window and closing within 24 hours (the core's rule, at the time of the answer).
    pub closing_soon: bool,
    /// From when the window counts as closing soon (the view's countdown compares with this).
    pub closing_soon_from: Option<DateTime<Utc>>,
    /// The window closes in under 2 hours (a desktop notification).
    pub urgent: bool,
    /// From when the window counts as urgent (the countdown turns red).
    pub urgent_from: Option<DateTime<Utc>>,
    /// What cancelling refunds, e.g. "Full refund".
    pub refund: String,
    pub order_id: String,
}

/// How many are in each set, for the tabs and the sidebar badges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionCounts {
    pub all: u32,
    pub closing_soon: u32,
    pub waiting_for_activation: u32,
}

/// The cancellation policy as data, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PolicyInfo {
    pub monthly_hours: u32,
    pub annual_hours: u32,
    pub source: String,
    pub source_url: Option<String>,
    /// The file it was read from: the data folder's override, or the default shipped with CSP Desk.
    pub origin: String,
}

/// One answer of the list: the rows of the set asked for, the counts of every set, and the
/// time the answer was made (count down from there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionList {
    pub now: DateTime<Utc>,
    pub rows: Vec<SubscriptionItem>,
    pub counts: SubscriptionCounts,
    pub policy: PolicyInfo,
}

/// A subscription whose window closes in under 2 hours (for a desktop notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UrgentSubscription {
    pub customer_id: String,
    pub subscription_id: String,
    pub customer_name: String,
    pub product_name: String,
    pub deadline: DateTime<Utc>,
}

/// What the sidebar badges and the notifications need, polled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionBadges {
    pub now: DateTime<Utc>,
    pub counts: SubscriptionCounts,
    pub urgent: Vec<UrgentSubscription>,
}

/// A subscription named by its customer and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubscriptionRef {
    pub customer_id: String,
    pub subscription_id: String,
}

/// One row of a bulk auto-renew change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoRenewResult {
    pub customer_id: String,
    pub subscription_id: String,
    pub ok: bool,
    /// The value read back from Partner Center, when it could be read.
    pub auto_renew_enabled: Option<bool>,
    /// Why this row failed, in the server's words where it gave any.
    pub error: Option<String>,
}

/// An activation link with its age and expiry, and where to email it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivationLinkInfo {
    pub subscription_id: String,
    pub uri: String,
    pub fetched_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Whether this call fetched it anew (the one held was missing or older than 24 hours).
    pub refreshed: bool,
    pub customer_name: String,
    /// The customer's contact email from Partner Center, when it has one.
    pub customer_email: Option<String>,
    pub now: DateTime<Utc>,
}

/// "now" as the connection sees it: the embedded sandbox's clock (so a test or a demo can move
/// it), else the system clock.
fn now_of(c: &Connection) -> DateTime<Utc> {
    c.now()
}

fn policy_of(c: &Connection) -> Result<(CancellationPolicy, PolicyInfo)> {
    let p = CancellationPolicy::load(&c.data_dir)?;
    let file = c.data_dir.join("cancellation_policy.json");
    let origin = if file.is_file() {
        format!("{} (overrides the default)", file.display())
    } else {
        "the default shipped with CSP Desk (data/cancellation_policy.json)".to_string()
    };
    let info = PolicyInfo {
        monthly_hours: p.monthly_hours,
        annual_hours: p.annual_hours,
        source: p.source.clone(),
        source_url: p.source_url.clone(),
        origin,
    };
    Ok((p, info))
}

impl SubscriptionItem {
    fn from_row(r: SubscriptionRow, now: DateTime<Utc>) -> SubscriptionItem {
        let deadline = r.deadline.as_ref().map(|d| {
            let (kind, source) = match &d.source {
                DeadlineSource::CancellationAllowedUntilDate => (
                    DeadlineKind::SubscriptionField,
                    "cancellationAllowedUntilDate on the subscription".to_string(),
                ),
                DeadlineSource::RefundOptions => (
                    DeadlineKind::RefundOption,
                    "refund option expiry (refundOptions.expiresAt)".to_string(),
                ),
                DeadlineSource::Policy(src) => (DeadlineKind::Policy, format!("policy: {src}")),
            };
            CancellationDeadline {
                at: d.at,
                kind,
                source,
            }
        });
        let closing_soon = r.closing_soon(now);
        let closing_soon_from = r.closing_soon_from();
        let urgent = r.urgent(now);
        let urgent_from = r.urgent_from();
        let s = &r.subscription;
        let (product_name, plan_name) = product_and_plan(s);
        let (product_id, sku_id) = s.product_and_sku();
        SubscriptionItem {
            id: s.id.clone(),
            customer_id: r.customer_id.clone(),
            customer_name: r.customer_name.clone(),
            offer_id: s.offer_id.clone(),
            product_id: product_id.unwrap_or_default().to_string(),
            sku_id: sku_id.unwrap_or_default().to_string(),
            product_name,
            plan_name,
            friendly_name: s.friendly_name.clone(),
            publisher_name: s.publisher_name.clone(),
            quantity: s.quantity,
            unit_type: s.unit_type.clone(),
            term_duration: s.term_duration.clone(),
            billing_cycle: s.billing_cycle.to_string(),
            status: r.status_label.into(),
            is_trial: s.is_trial,
            auto_renew_enabled: s.auto_renew_enabled,
            creation_date: s.creation_date,
            effective_start_date: s.effective_start_date,
            commitment_end_date: s.commitment_end_date,
            deadline,
            can_cancel: r.can_cancel,
            closing_soon,
            closing_soon_from,
            urgent,
            urgent_from,
            refund: refund_text(s),
            order_id: s.order_id.clone(),
        }
    }
}

fn counts_of(items: &[SubscriptionItem]) -> SubscriptionCounts {
    SubscriptionCounts {
        all: items.len() as u32,
        closing_soon: items.iter().filter(|i| i.closing_soon).count() as u32,
        waiting_for_activation: items
            .iter()
            .filter(|i| i.status == SubscriptionState::PendingFulfillment)
            .count() as u32,
    }
}

fn in_set(i: &SubscriptionItem, set: SubscriptionSet) -> bool {
    match set {
        SubscriptionSet::All => true,
        SubscriptionSet::ClosingSoon => i.closing_soon,
        SubscriptionSet::WaitingForActivation => i.status == SubscriptionState::PendingFulfillment,
    }
}

fn customer_filter(customer_id: Option<String>) -> Option<String> {
    customer_id
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

impl AppCore {
    /// Every subscription of one customer or of all, as items, with `now` and the policy.
    async fn all_items(
        &self,
        customer_id: Option<String>,
    ) -> Result<(DateTime<Utc>, Vec<SubscriptionItem>, PolicyInfo)> {
        let c = self.connection().await?;
        let (policy, info) = policy_of(&c)?;
        let now = now_of(&c);
        let filter = ListFilter {
            customer_id: customer_filter(customer_id),
            ..Default::default()
        };
        let rows = core::list(&c, &filter, &policy, now).await?;
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
        let (now, items, policy) = self.all_items(customer_id).await?;
        let counts = counts_of(&items);
        let mut rows: Vec<SubscriptionItem> =
            items.into_iter().filter(|i| in_set(i, set)).collect();
        if set == SubscriptionSet::ClosingSoon {
            // The one closing first on top.
            rows.sort_by_key(|i| i.deadline.as_ref().map(|d| d.at));
        }
        Ok(SubscriptionList {
            now,
            rows,
            counts,
            policy,
        })
    }

    /// Counts for the sidebar badges across all customers, and the subscriptions whose window
    /// closes in under 2 hours (each gets one desktop notification).
    pub async fn subscription_badges(&self) -> Result<SubscriptionBadges> {
        let (now, items, _) = self.all_items(None).await?;
        let counts = counts_of(&items);
        let mut urgent: Vec<UrgentSubscription> = items
            .into_iter()
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
            return Err(Error::Invalid(
                "no subscriptions selected: tick the rows to change first".into(),
            ));
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
        if quantity == 0 {
            return Err(Error::Invalid(
                "a quantity of 0 is not a seat count: to end the subscription, cancel it or turn auto-renew off".into(),
            ));
        }
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
            customer_email: customer
                .company_profile
                .email
                .clone()
                .filter(|e| e.contains('@')),
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

    /// Export the listed subscriptions (`keys`, in the order shown) to `.xlsx` or `.csv`, read
    /// fresh from Partner Center. Written to a temporary file and renamed into place.
    pub async fn export_subscriptions(
        &self,
        path: PathBuf,
        customer_id: Option<String>,
        keys: Vec<SubscriptionRef>,
    ) -> Result<ExportResult> {
        let (path, format) = tabular::checked_path(&path.display().to_string(), None)?;
        let (_, items, _) = self.all_items(customer_id).await?;
        let by_key: std::collections::HashMap<(&str, &str), &SubscriptionItem> = items
            .iter()
            .map(|i| ((i.customer_id.as_str(), i.id.as_str()), i))
            .collect();
        let chosen: Vec<&SubscriptionItem> = keys
            .iter()
            .filter_map(|k| {
                by_key
                    .get(&(k.customer_id.as_str(), k.subscription_id.as_str()))
                    .copied()
            })
            .collect();
        let table = export_table(&chosen);
        let out = path.clone();
        let rows = tokio::task::spawn_blocking(move || tabular::write(&out, format, &[table]))
            .await
            .map_err(|e| Error::Internal(format!("the export stopped: {e}")))??;
        self.remember_written(&path);
        Ok(ExportResult::new(&path, rows, format))
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

fn state_text(s: SubscriptionState) -> &'static str {
    match s {
        SubscriptionState::PendingFulfillment => "Pending fulfillment",
        SubscriptionState::Active => "Active",
        SubscriptionState::Suspended => "Suspended",
        SubscriptionState::Cancelled => "Cancelled",
        SubscriptionState::Other => "Other",
    }
}

fn date_cell(d: Option<DateTime<Utc>>) -> Cell {
    d.map(|d| Cell::Date(d.date_naive())).unwrap_or(Cell::Empty)
}

fn export_table(items: &[&SubscriptionItem]) -> Table {
    let headers = [
        "Customer",
        "Customer ID",
        "Product",
        "Publisher",
        "Plan",
        "Quantity",
        "Term",
        "Billing cycle",
        "Status",
        "Auto-renew",
        "Created",
        "Commitment end",
        "Cancellation deadline (UTC)",
        "Deadline source",
        "Subscription ID",
    ];
    Table {
        name: "Subscriptions".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: items
            .iter()
            .map(|i| {
                vec![
                    Cell::Text(i.customer_name.clone()),
                    Cell::Text(i.customer_id.clone()),
                    Cell::Text(i.product_name.clone()),
                    Cell::Text(i.publisher_name.clone()),
                    Cell::Text(i.plan_name.clone()),
                    Cell::Number(i.quantity as f64),
                    Cell::Text(i.term_duration.clone()),
                    Cell::Text(i.billing_cycle.clone()),
                    Cell::Text(state_text(i.status).into()),
                    Cell::Text(if i.auto_renew_enabled { "On" } else { "Off" }.into()),
                    date_cell(i.creation_date),
                    date_cell(i.commitment_end_date),
                    i.deadline
                        .as_ref()
                        .map(|d| Cell::Text(d.at.format("%Y-%m-%d %H:%M").to_string()))
                        .unwrap_or(Cell::Empty),
                    i.deadline
                        .as_ref()
                        .map(|d| Cell::Text(d.source.clone()))
                        .unwrap_or(Cell::Empty),
                    Cell::Text(i.id.clone()),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(json: &str) -> Subscription {
        crate::partner_center::json::decode(json.as_bytes(), "sub").unwrap()
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
            item_of(
                &customer,
                sub(&format!(
                    r#"{{"id":"x","status":"{status}","billingCycle":"monthly","cancellationAllowedUntilDate":"{until}"}}"#
                )),
                &policy,
                now,
            )
        };
        let soon = with("active", "2026-11-21T10:00:00Z");
        assert!(soon.can_cancel && soon.closing_soon);
        assert_eq!(soon.deadline.unwrap().kind, DeadlineKind::SubscriptionField);
        assert!(!with("active", "2026-11-23T10:00:00Z").closing_soon);
        let closed = with("active", "2026-11-21T07:59:00Z");
        assert!(!closed.can_cancel && !closed.closing_soon);
        assert!(!with("deleted", "2026-11-21T10:00:00Z").closing_soon);
    }
}
