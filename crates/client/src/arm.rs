//! The Azure Marketplace catalog behind Azure Resource Manager (reference §12).
//!
//! Partner Center's product model has no categories and no publisher contacts; this catalog has
//! both, plus free-trial flags and legal links. Every enum-like field is an open string here,
//! as in Microsoft's own client.

use serde::{Deserialize, Serialize};

use super::api::{ARM_API_VERSION, ARM_PREVIEW_API_VERSION};
use super::Client;
use crate::error::{Error, Result};

/// Whether ARM refused the api-version itself (reference §14.4): HTTP 400 with
/// `NoRegisteredProviderFound`, or a code naming the api-version. Nothing else is a version
/// problem (401/403/404/429/5xx never fall back).
pub fn is_version_refusal(e: &Error) -> bool {
    e.status() == Some(400)
        && e.code().is_some_and(|c| {
            c.eq_ignore_ascii_case("NoRegisteredProviderFound")
                || c.to_ascii_lowercase().contains("apiversion")
        })
}

/// Runs an ARM catalog call at `2025-05-01`, or at the preview when ARM refuses the newer
/// version; the version that answered is logged and kept for the rest of the client's run.
pub async fn versioned<T, F, Fut>(client: &Client, call: F) -> Result<T>
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let known = client.arm_api_version();
    let first = known.unwrap_or(ARM_API_VERSION);
    match call(first).await {
        Ok(v) => {
            if known.is_none() {
                tracing::info!(api_version = first, "the ARM marketplace catalog answered");
                client.set_arm_api_version(first);
            }
            Ok(v)
        }
        Err(e) if first == ARM_API_VERSION && is_version_refusal(&e) => {
            tracing::warn!(error = %e, "ARM refused api-version {ARM_API_VERSION}; trying {ARM_PREVIEW_API_VERSION}");
            let v = call(ARM_PREVIEW_API_VERSION).await?;
            tracing::info!(
                api_version = ARM_PREVIEW_API_VERSION,
                "the ARM marketplace catalog answered (fallback)"
            );
            client.set_arm_api_version(ARM_PREVIEW_API_VERSION);
            Ok(v)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmPlanSummary {
    pub plan_id: String,
    pub unique_plan_id: String,
    pub display_name: String,
    pub sku_id: String,
    pub csp_state: String,
    /// `FreeTrial` here marks this plan's free trial (reference §16.2).
    pub pricing_types: Vec<String>,
    pub summary: String,
    pub description: String,
    pub is_private: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct StartingPrice {
    pub market: String,
    pub term_units: String,
    pub min_term_price: Option<f64>,
    pub currency: String,
}

/// A product summary from the list call.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmProductSummary {
    pub unique_product_id: String,
    pub offer_id: String,
    pub display_name: String,
    pub publisher_id: String,
    pub publisher_display_name: String,
    /// `Microsoft`, `ThirdParty`, …
    pub publisher_type: String,
    /// `SaaS`, `VirtualMachine`, `Container`, `AzureApplication`, …
    pub product_type: String,
    pub category_ids: Vec<String>,
    pub industry_ids: Vec<String>,
    pub summary: String,
    pub long_summary: String,
    pub description: String,
    pub pricing_types: Vec<String>,
    pub popularity: Option<f64>,
    pub starting_price: Option<StartingPrice>,
    pub plans: Vec<ArmPlanSummary>,
    pub last_modified_date_time: Option<String>,
}

impl ArmProductSummary {
    /// Free trial, as the list call says it (`pricingTypes` contains `FreeTrial`).
    pub fn has_free_trial(&self) -> bool {
        self.pricing_types
            .iter()
            .any(|p| p.eq_ignore_ascii_case("freetrial"))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmLink {
    pub id: String,
    pub display_name: String,
    pub uri: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmPrice {
    pub currency_code: String,
    pub list_price: Option<f64>,
    pub msrp: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmBillingPlan {
    pub billing_period: String,
    /// Arrives as an object or a bare number; `catalog::detail` reads both shapes.
    pub price: Option<ArmPrice>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmTerm {
    pub term_id: String,
    /// `P1M`, `P1Y`: the spelling of both public specs.
    pub term_unit: String,
    /// The plural spelling Microsoft's MCP server model uses; read when `termUnit` is absent.
    pub term_units: String,
    pub price: Option<ArmPrice>,
    pub billing_plan: Option<ArmBillingPlan>,
    pub is_autorenewable: Option<bool>,
}

impl ArmTerm {
    /// The term's length (`P1M`), under either spelling.
    pub fn unit(&self) -> &str {
        if self.term_unit.is_empty() {
            &self.term_units
        } else {
            &self.term_unit
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmAvailability {
    pub id: String,
    pub has_free_trials: bool,
    pub pricing_audience: String,
    pub terms: Vec<ArmTerm>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmPlanDetail {
    pub plan_id: String,
    pub display_name: String,
    pub sku_id: String,
    pub csp_state: String,
    pub availabilities: Vec<ArmAvailability>,
    pub min_quantity: Option<u32>,
    pub max_quantity: Option<u32>,
}

/// A product's detail: contacts, legal links, plans with trials.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ArmProductDetail {
    pub unique_product_id: String,
    pub offer_id: String,
    pub display_name: String,
    pub publisher_id: String,
    pub publisher_display_name: String,
    pub publisher_type: String,
    pub product_type: String,
    pub category_ids: Vec<String>,
    pub summary: String,
    pub description: String,
    pub pricing_types: Vec<String>,
    pub support_uri: Option<String>,
    pub privacy_policy_uri: Option<String>,
    pub legal_terms_uri: Option<String>,
    pub csp_legal_terms_uri: Option<String>,
    pub links: Vec<ArmLink>,
    pub is_stop_sell: bool,
    pub is_reseller: Option<bool>,
    pub plans: Vec<ArmPlanDetail>,
}
