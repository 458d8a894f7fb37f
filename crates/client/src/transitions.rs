//! New-commerce transition eligibilities (reference §15.2): the one documented way to ask
//! Partner Center whether a subscription may move to another plan. CSP Desk only reads it, as
//! the probe in front of a plan change (`subscriptions::plans`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::client::{Host, Request};
use super::models::Collection;

/// One reason a transition is not allowed (`TransitionErrorCode`, a number in the sample).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct TransitionError {
    #[serde(deserialize_with = "super::json::string_or_number")]
    pub code: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Eligibility {
    pub is_eligible: bool,
    /// `transition_only`, `transition_with_license_transfer`.
    pub transition_type: String,
    pub errors: Vec<TransitionError>,
}

/// A catalog item the subscription may (or may not) transition to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct TransitionEligibility {
    pub catalog_item_id: String,
    pub title: String,
    pub description: String,
    pub quantity: Option<i64>,
    pub eligibilities: Vec<Eligibility>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl TransitionEligibility {
    pub fn any_eligible(&self) -> bool {
        self.eligibilities.iter().any(|e| e.is_eligible)
    }
}

/// `GET /v1/customers/{c}/subscriptions/{s}/transitionEligibilities?eligibilityType=immediate`.
pub fn eligibilities(
    customer_id: &str,
    subscription_id: &str,
) -> Request<Collection<TransitionEligibility>> {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}/transitionEligibilities",
            enc(customer_id),
            enc(subscription_id)
        ),
    )
    .query("eligibilityType", "immediate")
}
