//! Partner Center resources as the contract (`shared/reference/partner-center-api.md`) gives them.
//!
//! Every model is `#[non_exhaustive]`, reads tolerantly (missing fields default, enums are open,
//! dates accept the several ISO-8601 spellings Partner Center emits, numbers may arrive quoted)
//! and writes camelCase with Partner Center's own field names. `Subscription` keeps fields this
//! version does not model in `extra`, because a PATCH must send the full resource back.
//!
//! Why one file of about a thousand lines: it is the contract's resource list, one struct per
//! resource with its documented fields, and they refer to each other (an order's line items, a
//! subscription's refund options); splitting by resource would only scatter the cross
//! references. There is no logic here beyond tolerant reading.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::open_enum;

open_enum! {
    /// `BillingCycleType`: snake_case on subscriptions/carts/orders/SKUs, capitalised on availability terms.
    pub enum BillingCycle {
        Monthly = "monthly", Annual = "annual", None = "none", OneTime = "one_time",
        Triennial = "triennial", Biennial = "biennial",
    }
}

open_enum! {
    /// Subscription `status`.
    pub enum SubscriptionStatus {
        None = "none", Active = "active", Pending = "pending", Suspended = "suspended",
        Deleted = "deleted", Expired = "expired", Disabled = "disabled",
    }
}

open_enum! {
    /// Order `status`.
    pub enum OrderStatus { Unspecified = "unknown", Completed = "completed", Pending = "pending", Cancelled = "cancelled" }
}

open_enum! {
    /// Cart `status`.
    pub enum CartStatus { Active = "Active", Ordered = "Ordered", Expired = "Expired" }
}

open_enum! {
    /// Customer `relationshipToPartner`.
    pub enum Relationship {
        None = "none", Reseller = "reseller", Advisor = "advisor", Syndication = "syndication",
        MicrosoftSupport = "microsoft_support",
    }
}

open_enum! {
    /// Refund option `type`.
    pub enum RefundType { Full = "Full", Partial = "Partial" }
}

impl BillingCycle {
    /// The lower-case spelling carts and orders take.
    pub fn cart_value(&self) -> &str {
        self.as_str()
    }
}

/// Tolerant date-time serde: RFC 3339 with any fraction, or a naive time taken as UTC.
pub mod date {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn parse(s: &str) -> Option<DateTime<Utc>> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if let Ok(d) = DateTime::parse_from_rfc3339(s) {
            return Some(d.with_timezone(&Utc));
        }
        if let Ok(n) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            return Some(n.and_utc());
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc())
    }

    pub fn serialize<S: Serializer>(v: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let raw = Option::<String>::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date-time: {s:?}"))),
        }
    }
}

/// Numbers that some Partner Center samples quote as strings (`"unitPrice": "0"`).
pub mod lenient_f64 {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        N(f64),
        S(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        match Option::<NumOrStr>::deserialize(d)? {
            None => Ok(None),
            Some(NumOrStr::N(n)) => Ok(Some(n)),
            Some(NumOrStr::S(s)) if s.trim().is_empty() => Ok(None),
            Some(NumOrStr::S(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("not a number: {s:?}"))),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// `{uri, method, headers}`; URIs are relative and usually omit `/v1`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Link {
    pub uri: String,
    pub method: String,
    pub headers: Vec<KeyValue>,
}

pub type Links = BTreeMap<String, Link>;

/// A Partner Center collection, seek-paged when `continuationToken` is present.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Collection<T> {
    pub total_count: Option<u64>,
    pub items: Vec<T>,
    pub continuation_token: Option<String>,
    pub links: Links,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            total_count: None,
            items: Vec::new(),
            continuation_token: None,
            links: Links::new(),
        }
    }
}

impl<T> Collection<T> {
    /// The continuation token for the next page: top-level, or the `next` link's header.
    pub fn next_token(&self) -> Option<String> {
        if let Some(t) = self.continuation_token.as_ref().filter(|t| !t.is_empty()) {
            return Some(t.clone());
        }
        self.links.get("next").and_then(|l| {
            l.headers
                .iter()
                .find(|h| h.key.eq_ignore_ascii_case("MS-ContinuationToken"))
                .map(|h| h.value.clone())
        })
    }
}

// ---------------------------------------------------------------- customers

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Address {
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub postal_code: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CompanyProfile {
    pub tenant_id: String,
    pub domain: String,
    pub company_name: String,
    pub address: Option<Address>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct BillingProfile {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub culture: Option<String>,
    pub language: Option<String>,
    pub company_name: Option<String>,
    pub default_address: Address,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Customer {
    pub id: String,
    pub commerce_id: Option<String>,
    pub company_profile: CompanyProfile,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_profile: Option<BillingProfile>,
    pub relationship_to_partner: Relationship,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_delegated_access: Option<bool>,
}

impl Default for Customer {
    fn default() -> Self {
        Customer {
            id: String::new(),
            commerce_id: None,
            company_profile: CompanyProfile::default(),
            billing_profile: None,
            relationship_to_partner: Relationship::None,
            allow_delegated_access: None,
        }
    }
}

impl Customer {
    /// Billing country (ISO 3166 alpha-2), when the billing profile is known.
    pub fn billing_country(&self) -> Option<&str> {
        self.billing_profile
            .as_ref()
            .map(|b| b.default_address.country.as_str())
            .filter(|c| !c.is_empty())
    }
}

// ---------------------------------------------------------------- catalog

/// `ItemType`: `{id, displayName, subType?}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ItemType {
    pub id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<Box<ItemType>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Product {
    pub id: String,
    pub title: String,
    pub description: String,
    pub product_type: ItemType,
    pub is_microsoft_product: bool,
    pub publisher_name: String,
}

impl Product {
    /// Marketplace SaaS is `productType` Azure with `subType` SaaS (reference §4.1).
    pub fn is_saas(&self) -> bool {
        self.product_type
            .sub_type
            .as_ref()
            .is_some_and(|s| s.id.eq_ignore_ascii_case("saas"))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Sku {
    pub id: String,
    pub product_id: String,
    pub title: String,
    pub description: String,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub is_trial: bool,
    pub terms_of_use_uri: Option<String>,
    pub supported_billing_cycles: Vec<BillingCycle>,
    pub purchase_prerequisites: Vec<String>,
    pub provisioning_variables: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CurrencyInfo {
    pub code: String,
    pub symbol: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RefundOptionPolicy {
    pub sequence_id: i32,
    #[serde(rename = "type")]
    pub kind: RefundType,
    /// ISO-8601 duration, e.g. `P1D`.
    pub expires_after: String,
}

impl Default for RefundOptionPolicy {
    fn default() -> Self {
        RefundOptionPolicy {
            sequence_id: 0,
            kind: RefundType::Full,
            expires_after: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CancellationPolicy {
    pub refund_options: Vec<RefundOptionPolicy>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AvailabilityTerm {
    pub id: String,
    /// ISO-8601: `P1M`, `P1Y`, `P3Y`.
    pub duration: String,
    pub description: String,
    pub billing_cycle: BillingCycle,
    pub cancellation_policies: Vec<CancellationPolicy>,
}

impl Default for AvailabilityTerm {
    fn default() -> Self {
        AvailabilityTerm {
            id: String::new(),
            duration: String::new(),
            description: String::new(),
            billing_cycle: BillingCycle::None,
            cancellation_policies: Vec::new(),
        }
    }
}

impl AvailabilityTerm {
    /// A free trial term: billing cycle `none` (reference §4.5).
    pub fn is_trial(&self) -> bool {
        self.billing_cycle == BillingCycle::None
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Availability {
    pub id: String,
    pub product_id: String,
    pub sku_id: String,
    /// `product:sku:availability`, the id carts and orders take.
    pub catalog_item_id: String,
    pub default_currency: CurrencyInfo,
    pub segment: String,
    pub country: String,
    pub is_purchasable: bool,
    pub is_renewable: bool,
    pub terms: Vec<AvailabilityTerm>,
}

// ---------------------------------------------------------------- carts and orders

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RenewsTo {
    pub term_duration: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CartLineItemError {
    pub error_code: Value,
    pub error_description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CartLineItem {
    pub id: i64,
    pub catalog_item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    pub quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    pub billing_cycle: BillingCycle,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renews_to: Option<RenewsTo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_group: Option<String>,
    /// Documented as a string dictionary; kept as sent, whatever a value turns out to be.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub provisioning_context: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CartLineItemError>,
}

impl Default for CartLineItem {
    fn default() -> Self {
        CartLineItem {
            id: 0,
            catalog_item_id: String::new(),
            friendly_name: None,
            quantity: 1,
            currency_code: None,
            billing_cycle: BillingCycle::Monthly,
            term_duration: None,
            renews_to: None,
            order_group: None,
            provisioning_context: BTreeMap::new(),
            error: None,
        }
    }
}

impl CartLineItem {
    pub fn new(
        catalog_item_id: impl Into<String>,
        quantity: u32,
        billing_cycle: BillingCycle,
        term: impl Into<String>,
    ) -> Self {
        CartLineItem {
            catalog_item_id: catalog_item_id.into(),
            quantity,
            billing_cycle,
            term_duration: Some(term.into()),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Cart {
    pub id: String,
    #[serde(with = "date")]
    pub creation_timestamp: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub expiration_timestamp: Option<DateTime<Utc>>,
    pub status: CartStatus,
    pub line_items: Vec<CartLineItem>,
}

impl Default for Cart {
    fn default() -> Self {
        Cart {
            id: String::new(),
            creation_timestamp: None,
            expiration_timestamp: None,
            status: CartStatus::Active,
            line_items: vec![],
        }
    }
}

/// The body of `POST …/carts`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NewCart {
    pub line_items: Vec<CartLineItem>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OrderLineItem {
    pub line_item_number: u32,
    pub offer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    pub quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renews_to: Option<RenewsTo>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub links: Links,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Order {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternate_id: Option<String>,
    pub reference_customer_id: String,
    pub billing_cycle: BillingCycle,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_symbol: Option<String>,
    pub line_items: Vec<OrderLineItem>,
    #[serde(with = "date")]
    pub creation_date: Option<DateTime<Utc>>,
    pub status: OrderStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
}

impl Default for Order {
    fn default() -> Self {
        Order {
            id: String::new(),
            alternate_id: None,
            reference_customer_id: String::new(),
            billing_cycle: BillingCycle::Monthly,
            currency_code: None,
            currency_symbol: None,
            line_items: vec![],
            creation_date: None,
            status: OrderStatus::Unspecified,
            transaction_type: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OrderError {
    pub order_group_id: String,
    pub code: Value,
    pub description: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CartCheckoutResult {
    pub orders: Vec<Order>,
    pub order_errors: Vec<OrderError>,
}

/// `OrderLineItemActivationLink`: `{lineItemNumber, link}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ActivationLink {
    pub line_item_number: u32,
    pub link: Link,
}

// ---------------------------------------------------------------- subscriptions

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RefundOption {
    #[serde(rename = "type")]
    pub kind: RefundType,
    #[serde(with = "date")]
    pub expires_at: Option<DateTime<Utc>>,
}

impl Default for RefundOption {
    fn default() -> Self {
        RefundOption {
            kind: RefundType::Full,
            expires_at: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Subscription {
    pub id: String,
    pub offer_id: String,
    pub offer_name: String,
    pub friendly_name: String,
    pub quantity: u32,
    pub unit_type: String,
    #[serde(with = "date")]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub effective_start_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub commitment_end_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub cancellation_allowed_until_date: Option<DateTime<Utc>>,
    pub status: SubscriptionStatus,
    pub auto_renew_enabled: bool,
    pub is_trial: bool,
    pub billing_type: String,
    pub billing_cycle: BillingCycle,
    pub term_duration: String,
    pub refund_options: Vec<RefundOption>,
    pub is_microsoft_product: bool,
    pub publisher_name: String,
    pub order_id: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub links: Links,
    /// Fields this version does not model, kept so a PATCH sends the full resource back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for Subscription {
    fn default() -> Self {
        Subscription {
            id: String::new(),
            offer_id: String::new(),
            offer_name: String::new(),
            friendly_name: String::new(),
            quantity: 0,
            unit_type: String::new(),
            creation_date: None,
            effective_start_date: None,
            commitment_end_date: None,
            cancellation_allowed_until_date: None,
            status: SubscriptionStatus::None,
            auto_renew_enabled: false,
            is_trial: false,
            billing_type: String::new(),
            billing_cycle: BillingCycle::None,
            term_duration: String::new(),
            refund_options: vec![],
            is_microsoft_product: false,
            publisher_name: String::new(),
            order_id: String::new(),
            links: Links::new(),
            extra: Map::new(),
        }
    }
}

impl Subscription {
    /// `productId` and `skuId` from `offerId` (`product:sku:availability`).
    pub fn product_and_sku(&self) -> (Option<&str>, Option<&str>) {
        let mut parts = self.offer_id.split(':');
        (parts.next().filter(|s| !s.is_empty()), parts.next())
    }
}

// ---------------------------------------------------------------- plan changes (upgrades)

open_enum! {
    /// `Upgrade.upgradeType` / `UpgradeResult.upgradeType` (upgrade resources, learn.microsoft.com).
    #[derive(Default)]
    pub enum UpgradeType {
        #[default]
        None = "none", UpgradeOnly = "upgrade_only",
        UpgradeWithLicenseTransfer = "upgrade_with_license_transfer",
    }
}

open_enum! {
    /// `UpgradeError.code`. The .NET SDK's `UpgradeErrorCode` numbers them 0..9 in this order;
    /// a numeric code is read as the same variant.
    #[derive(Default)]
    pub enum UpgradeErrorCode {
        #[default]
        Other = "other",
        DelegatedAdminPermissionsDisabled = "delegated_admin_permissions_disabled",
        SubscriptionStatusNotActive = "subscription_status_not_active",
        ConflictingServiceTypes = "conflicting_service_types",
        ConcurrencyConflicts = "concurrency_conflicts",
        UserContextRequired = "user_context_required",
        SubscriptionAddOnsPresent = "subscription_add_ons_present",
        SubscriptionDoesNotHaveAnyUpgradePaths = "subscription_does_not_have_any_upgrade_paths",
        SubscriptionTargetOfferNotFound = "subscription_target_offer_not_found",
        SubscriptionNotProvisioned = "subscription_not_provisioned",
    }
}

/// Reads `UpgradeError.code` as a string or as the SDK's enum number.
mod upgrade_code {
    use super::UpgradeErrorCode;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    const BY_NUMBER: &[&str] = &[
        "other",
        "delegated_admin_permissions_disabled",
        "subscription_status_not_active",
        "conflicting_service_types",
        "concurrency_conflicts",
        "user_context_required",
        "subscription_add_ons_present",
        "subscription_does_not_have_any_upgrade_paths",
        "subscription_target_offer_not_found",
        "subscription_not_provisioned",
    ];

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<UpgradeErrorCode, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => UpgradeErrorCode::from_wire(&s),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|i| BY_NUMBER.get(i as usize))
                .map(|w| UpgradeErrorCode::from_wire(w))
                .unwrap_or_else(|| UpgradeErrorCode::Unknown(n.to_string())),
            _ => UpgradeErrorCode::Other,
        })
    }
}

/// `UpgradeError`: why an upgrade cannot be performed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct UpgradeError {
    #[serde(deserialize_with = "upgrade_code::deserialize")]
    pub code: UpgradeErrorCode,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_details: Option<String>,
}

/// `Upgrade.targetOffer`: an `Offer` resource. For marketplace SaaS its `id` is the target's
/// catalog item id (`product:sku:availability`, like `Subscription.offerId`). Fields not
/// modelled are kept in `extra` so a POST sends the offer back as it was listed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct UpgradeOffer {
    pub id: String,
    pub name: String,
    pub description: String,
    pub minimum_quantity: u32,
    pub maximum_quantity: u32,
    pub rank: i64,
    pub supported_billing_cycles: Vec<BillingCycle>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UpgradeOffer {
    /// `productId` and `skuId` from `id` (`product:sku:availability`).
    pub fn product_and_sku(&self) -> (Option<&str>, Option<&str>) {
        let mut parts = self.id.split(':');
        (parts.next().filter(|s| !s.is_empty()), parts.next())
    }
}

/// `Upgrade`: one plan a subscription may (or may not) move to. Also the body of
/// `POST …/subscriptions/{id}/upgrades`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Upgrade {
    pub target_offer: UpgradeOffer,
    pub upgrade_type: UpgradeType,
    pub is_eligible: bool,
    pub quantity: u32,
    pub upgrade_errors: Vec<UpgradeError>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `UpgradeResult`: the answer to `POST …/upgrades`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct UpgradeResult {
    pub source_subscription_id: String,
    pub target_subscription_id: String,
    pub upgrade_type: UpgradeType,
    pub upgrade_errors: Vec<UpgradeError>,
    pub license_errors: Vec<Value>,
}

// ---------------------------------------------------------------- invoices

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct InvoiceDetail {
    pub invoice_line_item_type: String,
    pub billing_provider: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub links: Links,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Invoice {
    pub id: String,
    #[serde(with = "date")]
    pub invoice_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub billing_period_start_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub billing_period_end_date: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub total_charges: Option<f64>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub paid_amount: Option<f64>,
    pub currency_code: String,
    pub currency_symbol: String,
    pub invoice_type: String,
    pub document_type: String,
    pub invoice_details: Vec<InvoiceDetail>,
}

/// `OneTimeInvoiceLineItem`, the marketplace reconciliation row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct InvoiceLineItem {
    pub partner_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_domain_name: String,
    pub customer_country: String,
    pub invoice_number: String,
    pub order_id: String,
    #[serde(with = "date")]
    pub order_date: Option<DateTime<Utc>>,
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub product_qualifiers: Vec<String>,
    pub charge_type: String,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub unit_price: Option<f64>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub effective_unit_price: Option<f64>,
    pub unit_type: String,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub quantity: Option<f64>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub subtotal: Option<f64>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub tax_total: Option<f64>,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub total_for_customer: Option<f64>,
    pub currency: String,
    pub publisher_name: String,
    pub publisher_id: String,
    pub subscription_description: String,
    pub subscription_id: String,
    #[serde(with = "date")]
    pub subscription_start_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub subscription_end_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub charge_start_date: Option<DateTime<Utc>>,
    #[serde(with = "date")]
    pub charge_end_date: Option<DateTime<Utc>>,
    pub term_and_billing_cycle: String,
    pub billing_frequency: String,
    /// Fields CSP Desk does not model (v2 adds `tier2MpnId`, `productCategory`, …), kept as sent.
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl InvoiceLineItem {
    /// What the line charges the customer: its total, else its subtotal.
    pub fn amount(&self) -> Option<f64> {
        self.total_for_customer.or(self.subtotal)
    }

    /// A $0 trial line (`productQualifiers` contains `Trial`, or a zero price on a trial term).
    pub fn is_trial(&self) -> bool {
        self.product_qualifiers
            .iter()
            .any(|q| q.eq_ignore_ascii_case("trial"))
            || (self.unit_price == Some(0.0)
                && self
                    .term_and_billing_cycle
                    .to_ascii_lowercase()
                    .contains("trial"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::decode;

    #[test]
    fn unknown_enum_value_is_kept() {
        let s: Subscription = decode(
            br#"{"id":"s1","status":"migrating","billingCycle":"quadrennial"}"#,
            "sub",
        )
        .unwrap();
        assert_eq!(s.status, SubscriptionStatus::Unknown("migrating".into()));
        assert_eq!(s.billing_cycle, BillingCycle::Unknown("quadrennial".into()));
        // and it round-trips verbatim
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["status"], "migrating");
    }

    #[test]
    fn availability_term_billing_cycle_is_case_insensitive() {
        let t: AvailabilityTerm =
            decode(br#"{"duration":"P1Y","billingCycle":"Annual"}"#, "term").unwrap();
        assert_eq!(t.billing_cycle, BillingCycle::Annual);
    }

    #[test]
    fn subscription_keeps_unmodelled_fields_for_patch() {
        let s: Subscription = decode(
            br#"{"id":"s1","status":"active","scheduledNextTermInstructions":{"quantity":3}}"#,
            "sub",
        )
        .unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["scheduledNextTermInstructions"]["quantity"], 3);
    }

    #[test]
    fn dates_accept_seven_fraction_digits_and_offsets() {
        assert!(date::parse("2019-01-04T01:00:12.6647304Z").is_some());
        assert!(date::parse("2019-01-09T00:21:45.9263727+00:00").is_some());
        assert!(date::parse("0001-01-01T00:00:00").is_some());
    }

    #[test]
    fn quoted_numbers_are_read() {
        let l: InvoiceLineItem = decode(
            br#"{"unitPrice":"0","quantity":"25","productQualifiers":["AddOn","Trial"]}"#,
            "line",
        )
        .unwrap();
        assert_eq!(l.unit_price, Some(0.0));
        assert_eq!(l.quantity, Some(25.0));
        assert!(l.is_trial());
    }

    #[test]
    fn continuation_token_from_next_link_header() {
        let c: Collection<Customer> = decode(
            br#"{"items":[],"links":{"next":{"uri":"/customers","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"abc"}]}}}"#,
            "customers",
        )
        .unwrap();
        assert_eq!(c.next_token().as_deref(), Some("abc"));
    }
}
