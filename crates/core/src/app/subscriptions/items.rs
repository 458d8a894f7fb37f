//! The Subscriptions view's IPC types, and how a core [`SubscriptionRow`] becomes one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::subscriptions::policy::DeadlineSource;
pub use crate::subscriptions::policy::PolicyInfo;
use crate::subscriptions::{
    product_and_plan, refund_message, refund_text, StatusLabel, SubscriptionRow,
};
pub use crate::subscriptions::{QuantityBounds, SubscriptionCounts, SubscriptionSet};

/// Status as partners read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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
pub struct CancellationDeadline {
    pub at: DateTime<Utc>,
    pub kind: DeadlineKind,
    /// "cancellationAllowedUntilDate on the subscription", "refund option (refundOptions.expiresAt)",
    /// or "policy: <the policy's source>" (the CLI's words, the UI's fallback).
    pub source: String,
    /// The same source as a code (with the policy's own source as a parameter), for the UI.
    pub message: Message,
}

/// One subscription as the list and the detail panel show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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
    /// Until when Cancel is allowed (the deadline, when the status allows it at all).
    pub cancellable_until: Option<DateTime<Utc>>,
    /// Why Cancel is refused whatever the time (the status, or no window), when it is.
    pub cancel_blocked: Option<Message>,
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
    /// `refund` as a code.
    pub refund_message: Message,
    pub order_id: String,
}

/// One answer of the list: the rows of the set asked for, the counts of every set, and the
/// time the answer was made (count down from there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionList {
    pub now: DateTime<Utc>,
    pub rows: Vec<SubscriptionItem>,
    pub counts: SubscriptionCounts,
    pub policy: PolicyInfo,
}

/// A subscription whose window closes in under 2 hours (for a desktop notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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
pub struct SubscriptionBadges {
    pub now: DateTime<Utc>,
    pub counts: SubscriptionCounts,
    pub urgent: Vec<UrgentSubscription>,
}

/// A subscription named by its customer and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRef {
    pub customer_id: String,
    pub subscription_id: String,
}

/// One row of a bulk auto-renew change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
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

impl SubscriptionItem {
    pub(super) fn from_row(r: SubscriptionRow, now: DateTime<Utc>) -> SubscriptionItem {
        let deadline = r.deadline.as_ref().map(|d| {
            let (kind, message) = match &d.source {
                DeadlineSource::CancellationAllowedUntilDate => (
                    DeadlineKind::SubscriptionField,
                    Message::DeadlineSubscriptionField,
                ),
                DeadlineSource::RefundOptions => {
                    (DeadlineKind::RefundOption, Message::DeadlineRefundOption)
                }
                DeadlineSource::Policy(src) => (
                    DeadlineKind::Policy,
                    Message::DeadlinePolicy {
                        source: src.clone(),
                    },
                ),
            };
            CancellationDeadline {
                at: d.at,
                kind,
                source: message.english(),
                message,
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
            cancellable_until: r.cancellable_until(),
            cancel_blocked: r.cancel_blocked(),
            closing_soon,
            closing_soon_from,
            urgent,
            urgent_from,
            refund: refund_text(s),
            refund_message: refund_message(s),
            order_id: s.order_id.clone(),
        }
    }
}
