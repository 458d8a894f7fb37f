//! Typed requests for every Partner Center, Partner API and ARM call CSP Desk makes.
//!
//! Each function only describes a call (method, host, path, query, body, output type); the
//! [`Client`](super::Client) sends it. Paths and query names follow the SDK URL map
//! (reference Appendix A) exactly, including its casing (`seekOperation`, `order_id`).

use reqwest::Method;
use serde::Serialize;

use super::arm::{ArmProductDetail, ArmProductSummary};
use super::client::{Host, Request};
use super::models::*;
use super::paging::ArmPage;
use crate::error::Result;

/// The ARM api-version of the marketplace catalog: the one the public ARM spec defines.
pub const ARM_API_VERSION: &str = "2025-05-01";
/// The version Microsoft's own Azure MCP server sends; used only when ARM refuses the newer one.
pub const ARM_PREVIEW_API_VERSION: &str = "2023-01-01-preview";
/// The catalog's language (the spec's default).
pub const ARM_LANGUAGE: &str = "en";

fn enc(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Customer search: `{"Field":"CompanyName","Value":"cont","Operator":"starts_with"}`.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerFilter {
    #[serde(rename = "Field")]
    pub field: &'static str,
    #[serde(rename = "Value")]
    pub value: String,
    #[serde(rename = "Operator")]
    pub operator: &'static str,
}

impl CustomerFilter {
    pub fn company_name(prefix: &str) -> Self {
        CustomerFilter {
            field: "CompanyName",
            value: prefix.to_string(),
            operator: "starts_with",
        }
    }
    pub fn domain(prefix: &str) -> Self {
        CustomerFilter {
            field: "Domain",
            value: prefix.to_string(),
            operator: "starts_with",
        }
    }
}

pub fn customers(size: u32, filter: Option<&CustomerFilter>) -> Request<Collection<Customer>> {
    let mut r = Request::get(Host::PartnerCenter, "/v1/customers").query("size", size.to_string());
    if let Some(f) = filter {
        r = r.query("filter", serde_json::to_string(f).unwrap_or_default());
    }
    r
}

pub fn customer(id: &str) -> Request<Customer> {
    Request::get(Host::PartnerCenter, format!("/v1/customers/{}", enc(id)))
}

pub fn billing_profile(customer_id: &str) -> Request<BillingProfile> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/customers/{}/profiles/billing", enc(customer_id)),
    )
}

/// Marketplace items appear under `targetView=OnlineServices` (reference §4.1).
pub fn products(country: &str, target_view: &str) -> Request<Collection<Product>> {
    Request::get(Host::PartnerCenter, "/v1/products")
        .query("country", country)
        .query("targetView", target_view)
}

pub fn product(id: &str, country: &str) -> Request<Product> {
    Request::get(Host::PartnerCenter, format!("/v1/products/{}", enc(id))).query("country", country)
}

pub fn skus(product_id: &str, country: &str) -> Request<Collection<Sku>> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/products/{}/skus", enc(product_id)),
    )
    .query("country", country)
}

pub fn availabilities(
    product_id: &str,
    sku_id: &str,
    country: &str,
) -> Request<Collection<Availability>> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/products/{}/skus/{}/availabilities",
            enc(product_id),
            enc(sku_id)
        ),
    )
    .query("country", country)
}

pub fn create_cart(customer_id: &str, cart: &NewCart) -> Result<Request<Cart>> {
    Request::new(
        Method::POST,
        Host::PartnerCenter,
        format!("/v1/customers/{}/carts", enc(customer_id)),
    )
    .json(cart)
}

pub fn checkout(customer_id: &str, cart_id: &str) -> Request<CartCheckoutResult> {
    Request::new(
        Method::POST,
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/carts/{}/checkout",
            enc(customer_id),
            enc(cart_id)
        ),
    )
}

pub fn orders(customer_id: &str) -> Request<Collection<Order>> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/customers/{}/orders", enc(customer_id)),
    )
}

pub fn order(customer_id: &str, order_id: &str) -> Request<Order> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/orders/{}",
            enc(customer_id),
            enc(order_id)
        ),
    )
}

pub fn order_line_activation_links(
    customer_id: &str,
    order_id: &str,
    line: u32,
) -> Request<Collection<ActivationLink>> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/orders/{}/lineitems/{line}/activationlinks",
            enc(customer_id),
            enc(order_id)
        ),
    )
}

pub fn subscriptions(customer_id: &str) -> Request<Collection<Subscription>> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/customers/{}/subscriptions", enc(customer_id)),
    )
}

pub fn subscriptions_by_order(
    customer_id: &str,
    order_id: &str,
) -> Request<Collection<Subscription>> {
    subscriptions(customer_id).query("order_id", order_id)
}

pub fn subscription(customer_id: &str, id: &str) -> Request<Subscription> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}",
            enc(customer_id),
            enc(id)
        ),
    )
}

/// PATCH with the full subscription resource (reference §7.3).
pub fn patch_subscription(customer_id: &str, sub: &Subscription) -> Result<Request<Subscription>> {
    Request::new(
        Method::PATCH,
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}",
            enc(customer_id),
            enc(&sub.id)
        ),
    )
    .json(sub)
}

pub fn subscription_activation_links(
    customer_id: &str,
    id: &str,
) -> Request<Collection<ActivationLink>> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}/activationlinks",
            enc(customer_id),
            enc(id)
        ),
    )
}

/// `GET …/subscriptions/{id}/upgrades`: the plans the subscription may move to, each with
/// `isEligible` and the reasons when it is not.
pub fn subscription_upgrades(customer_id: &str, id: &str) -> Request<Collection<Upgrade>> {
    Request::get(
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}/upgrades",
            enc(customer_id),
            enc(id)
        ),
    )
}

/// `POST …/subscriptions/{id}/upgrades` with one `Upgrade` (as listed, `quantity` set).
pub fn upgrade_subscription(
    customer_id: &str,
    id: &str,
    upgrade: &Upgrade,
) -> Result<Request<UpgradeResult>> {
    Request::new(
        Method::POST,
        Host::PartnerCenter,
        format!(
            "/v1/customers/{}/subscriptions/{}/upgrades",
            enc(customer_id),
            enc(id)
        ),
    )
    .json(upgrade)
}

pub fn invoices() -> Request<Collection<Invoice>> {
    Request::get(Host::PartnerCenter, "/v1/invoices")
}

pub fn invoice(id: &str) -> Request<Invoice> {
    Request::get(Host::PartnerCenter, format!("/v1/invoices/{}", enc(id)))
}

/// Marketplace billing line items of an invoice (`provider=onetime`).
pub fn invoice_line_items(invoice_id: &str, size: u32) -> Request<Collection<InvoiceLineItem>> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/invoices/{}/lineitems", enc(invoice_id)),
    )
    .query("provider", "onetime")
    .query("invoicelineitemtype", "billinglineitems")
    .query("size", size.to_string())
}

/// The unbilled (current or previous) period's marketplace line items.
pub fn unbilled_line_items(
    currency: &str,
    period: &str,
    size: u32,
) -> Request<Collection<InvoiceLineItem>> {
    invoice_line_items("unbilled", size)
        .query("currencycode", currency)
        .query("period", period)
}

/// The price sheet's columns as documented for the `updatedlicensebased` view (reference
/// §9). ASSUMPTION: the `marketplace` view's columns are undocumented; the same header is
/// expected (same product/SKU/term/billing-plan model). Readers find columns by name, so an
/// added or reordered column is no harm.
pub const PRICE_SHEET_HEADER: [&str; 18] = [
    "ProductTitle",
    "ProductId",
    "SkuId",
    "SkuTitle",
    "Publisher",
    "SkuDescription",
    "UnitOfMeasure",
    "TermDuration",
    "BillingPlan",
    "Market",
    "Currency",
    "UnitPrice",
    "PricingTierRangeMin",
    "PricingTierRangeMax",
    "EffectiveStartDate",
    "EffectiveEndDate",
    "Tags",
    "ERP Price",
];

/// The price sheet of one market and view, as CSV (possibly zipped). Partner API host.
pub fn price_sheet(market: &str, view: &str) -> Request<()> {
    Request::get(
        Host::PartnerApi,
        format!(
            "/v1.0/sales/pricesheets(Market='{}',PricesheetView='{}')/$value",
            enc(market),
            enc(view)
        ),
    )
}

/// One page of the marketplace catalog (US market) at the current api-version.
pub fn arm_products(
    subscription_id: &str,
    search: Option<&str>,
) -> Request<ArmPage<ArmProductSummary>> {
    arm_products_at(subscription_id, "US", search, ARM_API_VERSION)
}

/// The catalog list at `version`: `2025-05-01` takes `market` and `language`; the preview
/// takes `storefront=any` as Microsoft's MCP server sends it.
pub fn arm_products_at(
    subscription_id: &str,
    market: &str,
    search: Option<&str>,
    version: &str,
) -> Request<ArmPage<ArmProductSummary>> {
    let mut r = Request::get(
        Host::Arm,
        format!(
            "/subscriptions/{}/providers/Microsoft.Marketplace/products",
            enc(subscription_id)
        ),
    )
    .query("api-version", version);
    r = if version == ARM_PREVIEW_API_VERSION {
        r.query("storefront", "any")
    } else {
        r.query("market", market.to_ascii_uppercase())
    };
    r = r.query("language", ARM_LANGUAGE);
    if let Some(s) = search {
        r = r.query("$search", s);
    }
    r
}

/// One product's detail at the current api-version.
pub fn arm_product(
    subscription_id: &str,
    unique_product_id: &str,
    market: &str,
) -> Request<ArmProductDetail> {
    arm_product_at(subscription_id, unique_product_id, market, ARM_API_VERSION)
}

pub fn arm_product_at(
    subscription_id: &str,
    unique_product_id: &str,
    market: &str,
    version: &str,
) -> Request<ArmProductDetail> {
    Request::get(
        Host::Arm,
        format!(
            "/subscriptions/{}/providers/Microsoft.Marketplace/products/{}",
            enc(subscription_id),
            enc(unique_product_id)
        ),
    )
    .query("api-version", version)
    .query("market", market)
    .query("language", ARM_LANGUAGE)
}

/// `GET …/carts/{id}`: a cart's status (`Active`, `Ordered`).
pub fn cart(customer_id: &str, cart_id: &str) -> Request<Cart> {
    Request::get(
        Host::PartnerCenter,
        format!("/v1/customers/{}/carts/{}", enc(customer_id), enc(cart_id)),
    )
}
