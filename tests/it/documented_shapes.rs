//! Microsoft's documented response shapes (tests/fixtures/documented, see its README), parsed
//! with CSP Desk's models: every documented field must be read as documented. Each fixture is
//! then parsed again with unknown fields added to every object, and must give the same answers.
//! The sandbox is written from the same reading of the docs as the client, so this is the test
//! that notices both drifting away from the real contract together.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use cspdesk_core::partner_center::arm::{ArmProductDetail, ArmProductSummary};
use cspdesk_core::partner_center::graph::{self, Manifest, Operation, OperationState};
use cspdesk_core::partner_center::json;
use cspdesk_core::partner_center::models::{Collection, Invoice, InvoiceLineItem};
use cspdesk_core::partner_center::paging::ArmPage;
use serde_json::{json as j, Value};

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/documented")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Adds an unknown field (with nested values) to every object.
fn with_unknowns(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(with_unknowns);
            m.insert(
                "unknownFutureField".into(),
                j!({"nested": [1, "two", {"three": null}], "flag": true}),
            );
        }
        Value::Array(a) => a.iter_mut().for_each(with_unknowns),
        _ => {}
    }
}

/// Runs `check` on the fixture as published and on its variant with unknown fields.
fn both(name: &str, check: impl Fn(&[u8])) {
    let raw = fixture(name);
    check(&raw);
    let mut v: Value = serde_json::from_slice(&raw).unwrap();
    with_unknowns(&mut v);
    check(&serde_json::to_vec(&v).unwrap());
}

#[test]
fn partner_center_invoice() {
    both("pc-invoice.json", |b| {
        let i: Invoice = json::decode(b, "invoice").unwrap();
        assert_eq!(i.id, "G000024130");
        assert_eq!(
            i.invoice_date.unwrap(),
            Utc.with_ymd_and_hms(2018, 2, 8, 1, 22, 47).unwrap()
                + chrono::Duration::microseconds(603_895)
        );
        assert_eq!(i.total_charges, Some(586366.0));
        assert_eq!(i.paid_amount, Some(0.0));
        assert_eq!(
            (i.currency_code.as_str(), i.currency_symbol.as_str()),
            ("CHF", "CHF")
        );
        assert_eq!(i.invoice_type, "OneTime");
        assert_eq!(i.document_type, "invoice");
        assert_eq!(i.invoice_details.len(), 1);
    });
}

#[test]
fn partner_center_onetime_line_items() {
    both("pc-invoice-lineitems-onetime.json", |b| {
        let c: Collection<InvoiceLineItem> = json::decode(b, "lines").unwrap();
        assert!(c.next_token().unwrap().starts_with("d19617b8-"));
        let l = &c.items[0];
        assert_eq!(l.partner_id, "934f3416-bc2f-47f3-b492-77e517d4e572");
        assert_eq!(l.customer_id, "c139c4bf-2e8b-4ab5-8bed-d9f50dcca7a2");
        assert_eq!(
            l.customer_domain_name,
            "testcustomerr2t2reduce.onmicrosoft.com"
        );
        assert_eq!(l.customer_country, "US");
        assert_eq!(l.invoice_number, "T000773581");
        assert_eq!(l.order_id, "HJVtMZMkgQ2miuCiNv0RSr51zQDans0m1");
        assert_eq!(
            (
                l.product_id.as_str(),
                l.sku_id.as_str(),
                l.availability_id.as_str()
            ),
            ("DZH318Z0BXWC", "0002", "DZH318Z0BP8B")
        );
        assert_eq!(l.product_name, "Test WAF-as-a-Service");
        assert_eq!(l.sku_name, "Test WaaS - Medium Plan");
        assert_eq!(l.charge_type, "New");
        assert_eq!(l.unit_price, Some(820.0));
        assert_eq!(l.effective_unit_price, Some(820.0));
        assert_eq!(l.quantity, Some(1.0));
        assert_eq!(l.subtotal, Some(820.0));
        assert_eq!(l.tax_total, Some(0.0));
        assert_eq!(l.total_for_customer, Some(0.0));
        assert_eq!(l.currency, "USD");
        assert_eq!(l.publisher_name, "Test Networks, Inc.");
        assert_eq!(l.publisher_id, "21223810");
        assert_eq!(l.subscription_id, "12345678-9cf0-4a1f-9514-7fcc7fe9d1fe");
        assert_eq!(
            l.subscription_start_date.unwrap(),
            Utc.with_ymd_and_hms(2019, 2, 1, 0, 0, 0).unwrap()
        );
        // An offset other than Z is converted, not dropped.
        assert_eq!(
            l.charge_start_date
                .unwrap()
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "2019-02-04 17:22"
        );
        assert_eq!(l.term_and_billing_cycle, "1 Year Subscription");
        assert!(!l.is_trial());
        // Documented but unmodelled fields are kept as sent.
        assert_eq!(l.extra["billableQuantity"], j!(3.1618));
        assert_eq!(l.extra["mpnId"], j!("1234567"));
        // The trial row: quoted numbers, the Trial qualifier.
        let t = &c.items[1];
        assert!(t.is_trial());
        assert_eq!(t.quantity, Some(25.0));
        assert_eq!(t.unit_price, Some(0.0));
        assert_eq!(t.product_qualifiers, ["AddOn", "Trial"]);
        assert_eq!(t.term_and_billing_cycle, "One-Month commitment for trial");
    });
}

#[test]
fn graph_operations() {
    both("graph-operation-running.json", |b| {
        let o: Operation = json::decode(b, "op").unwrap();
        assert_eq!(o.id, "6fe687d7-1e0f-4bd6-9091-4672691f64bc");
        assert_eq!(o.state(), OperationState::Pending("running".into()));
        assert_eq!(o.created_date_time.as_deref(), Some("2023-03-09T08:12:53"));
    });
    both("graph-operation-succeeded.json", |b| {
        let o: Operation = json::decode(b, "op").unwrap();
        assert_eq!(
            o.state(),
            OperationState::Succeeded(
                "https://graph.microsoft.com/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db"
                    .into()
            )
        );
        assert_eq!(
            o.last_action_date_time.as_deref(),
            Some("2023-03-09T08:37:48.5046691Z")
        );
    });
    both("graph-operation-failed.json", |b| {
        let o: Operation = json::decode(b, "op").unwrap();
        assert_eq!(
            o.state(),
            OperationState::Failed {
                code: "5000".into(),
                message: "No data available".into()
            }
        );
    });
}

#[test]
fn graph_manifest() {
    both("graph-manifest.json", |b| {
        let m: Manifest = json::decode(b, "manifest").unwrap();
        assert_eq!(m.id, "6fe687d7-1e0f-4bd6-9091-4672691f64bc");
        assert_eq!(m.schema_version, "1");
        assert_eq!(m.data_format, "compressedJSON");
        assert_eq!(m.e_tag, "WYjLro78HdMg6vUWR");
        assert_eq!(m.partner_tenant_id, "0e195b37-4574-4539-bc42-0e539b9684c0");
        assert_eq!(m.partition_type, "Default");
        assert_eq!(m.blob_count, Some(1));
        assert_eq!(m.blobs.len(), 1);
        assert_eq!(m.blobs[0].partition_value, "default");
        assert!(m
            .sas_token
            .expose()
            .ends_with("sig=RpVY0WBGUHJ2APB3N76jtMak8loAWY4oiA0%2FaoJX1bM%3D"));
        let url = m.blob_url(&m.blobs[0]).unwrap();
        assert_eq!(
            url.as_str(),
            format!(
                "{}/part-00049-b016029b-a7a7-4c46-9b5e-c925ac317ac6.c000.json.gz?{}",
                m.root_directory,
                m.sas_token.expose()
            )
        );
        assert!(
            !format!("{m:?}").contains("RpVY0WBG"),
            "the SAS token never prints"
        );
    });
}

fn check_v2_lines(lines: &[InvoiceLineItem]) {
    assert_eq!(lines.len(), 2);
    let l = &lines[0];
    assert_eq!(l.partner_id, "0e195b37-4574-4539-bc42-0e539b9684c0");
    assert_eq!(l.customer_name, "Contoso Ltd");
    assert_eq!(l.customer_domain_name, "contoso.onmicrosoft.com");
    assert_eq!(l.customer_country, "US");
    assert_eq!(l.invoice_number, "G031809528");
    assert_eq!(l.product_id, "DZH318Z0BXWC");
    assert_eq!(l.sku_name, "WaaS - Medium Plan");
    assert_eq!(l.unit_price, Some(820.0));
    assert_eq!(l.effective_unit_price, Some(697.0));
    assert_eq!(l.subtotal, Some(697.0));
    assert_eq!(
        l.total_for_customer,
        Some(697.0),
        "Total is the v1 totalForCustomer"
    );
    assert_eq!(l.publisher_id, "21223810");
    assert_eq!(l.subscription_description, "WAF for Contoso");
    assert_eq!(l.billing_frequency, "Monthly");
    assert_eq!(
        l.charge_end_date.unwrap(),
        Utc.with_ymd_and_hms(2023, 11, 3, 0, 0, 0).unwrap()
    );
    for k in [
        "tier2MpnId",
        "pCToBCExchangeRate",
        "productCategory",
        "billableQuantity",
    ] {
        assert!(l.extra.contains_key(k), "{k} kept");
    }
    let t = &lines[1];
    assert!(t.is_trial());
    assert_eq!(t.currency, "GBP");
    assert_eq!(t.quantity, Some(10.0));
    assert_eq!(t.total_for_customer, Some(0.0));
}

#[test]
fn graph_export_lines_plain_and_gzipped() {
    let raw = fixture("graph-billed-lines.jsonl");
    check_v2_lines(&graph::decode_lines(&raw[..], "fixture.json").unwrap());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &raw).unwrap();
    let gz = gz.finish().unwrap();
    check_v2_lines(&graph::decode_lines(&gz[..], "fixture.json.gz").unwrap());
    // Unknown attributes on every line.
    let text = String::from_utf8(raw).unwrap();
    let augmented: String = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            with_unknowns(&mut v);
            format!("{v}\n")
        })
        .collect();
    check_v2_lines(&graph::decode_lines(augmented.as_bytes(), "x").unwrap());
}

#[test]
fn arm_catalog_pages_both_versions() {
    both("arm-products-2025-05-01.json", |b| {
        let p: ArmPage<ArmProductSummary> = json::decode(b, "page").unwrap();
        assert_eq!(p.next_link, None);
        let s = &p.value[0];
        assert_eq!(s.unique_product_id, "fabrikam.shield-saas");
        assert_eq!(s.display_name, "Fabrikam Shield");
        assert_eq!(s.publisher_id, "fabrikam");
        assert_eq!(s.publisher_display_name, "Fabrikam Security");
        assert_eq!(s.publisher_type, "ThirdParty");
        assert_eq!(s.product_type, "SaaS");
        assert_eq!(s.category_ids, ["security", "it-operations"]);
        assert_eq!(s.summary, "Protects web apps.");
        assert_eq!(s.long_summary, "Protects web apps from common attacks.");
        assert!(s.has_free_trial());
        assert_eq!(s.popularity, Some(12.5));
        assert_eq!(
            s.last_modified_date_time.as_deref(),
            Some("2025-04-11T00:00:00Z")
        );
        let plan = &s.plans[0];
        assert_eq!(
            (
                plan.plan_id.as_str(),
                plan.sku_id.as_str(),
                plan.csp_state.as_str()
            ),
            ("starter", "0001", "OptIn")
        );
        assert_eq!(plan.unique_plan_id, "fabrikam.shield-saas.starter");
        assert!(!plan.is_private);
    });
    both("arm-products-preview.json", |b| {
        let p: ArmPage<ArmProductSummary> = json::decode(b, "page").unwrap();
        assert_eq!(p.value.len(), 1, "items read as the page");
        assert!(p.next_link.as_deref().unwrap().contains("$skiptoken=abc"));
        let sp = p.value[0].starting_price.clone().unwrap();
        assert_eq!(sp.term_units, "P1M");
        assert_eq!(sp.min_term_price, Some(9.5));
    });
}

#[test]
fn arm_product_detail() {
    both("arm-product-2025-05-01.json", |b| {
        let d: ArmProductDetail = json::decode(b, "detail").unwrap();
        assert_eq!(d.offer_id, "shield-saas");
        assert_eq!(
            d.support_uri.as_deref(),
            Some("https://fabrikam.example/support")
        );
        assert_eq!(
            d.privacy_policy_uri.as_deref(),
            Some("https://fabrikam.example/privacy")
        );
        assert_eq!(
            d.legal_terms_uri.as_deref(),
            Some("https://fabrikam.example/terms")
        );
        assert_eq!(
            d.csp_legal_terms_uri.as_deref(),
            Some("https://fabrikam.example/legal/csp")
        );
        assert_eq!(d.links[0].display_name, "Documentation");
        assert!(!d.is_stop_sell);
        assert_eq!(d.is_reseller, Some(false));
        let plan = &d.plans[0];
        assert_eq!((plan.min_quantity, plan.max_quantity), (Some(1), Some(500)));
        let a = &plan.availabilities[0];
        assert!(a.has_free_trials);
        assert_eq!(a.pricing_audience, "Direct-Commercial");
        assert_eq!(a.terms[0].unit(), "P1M", "termUnit, the specs' spelling");
        assert_eq!(a.terms[0].price.as_ref().unwrap().list_price, Some(0.0));
        assert_eq!(a.terms[1].unit(), "P1Y");
        assert_eq!(a.terms[1].is_autorenewable, Some(true));
        let bp = a.terms[1].billing_plan.as_ref().unwrap();
        assert_eq!(bp.billing_period, "P1M");
        assert_eq!(bp.price.as_ref().unwrap().list_price, Some(10.0));
    });
}

#[test]
fn partner_center_customers() {
    use cspdesk_core::partner_center::models::{Customer, Relationship};
    both("pc-customers.json", |b| {
        let c: Collection<Customer> = json::decode(b, "customers").unwrap();
        assert_eq!(c.items.len(), 2);
        let x = &c.items[0];
        assert_eq!(x.id, "b44bb1fb-c595-45b0-9e09-d657365580bf");
        assert_eq!(x.company_profile.tenant_id, "<guid>");
        assert_eq!(x.company_profile.domain, "domain");
        assert_eq!(x.company_profile.company_name, "companyName");
        assert_eq!(x.relationship_to_partner, Relationship::Reseller);
        assert!(
            x.billing_profile.is_none(),
            "the list carries no billing profile"
        );
    });
}

#[test]
fn partner_center_subscription() {
    use cspdesk_core::partner_center::models::{BillingCycle, Subscription, SubscriptionStatus};
    both("pc-subscription.json", |b| {
        let s: Subscription = json::decode(b, "subscription").unwrap();
        assert_eq!(s.id, "6e7aa601-629e-461b-8933-0898c3cc3c7c");
        assert_eq!(s.offer_id, "DZH318Z0BXWC:0001:DZH318Z0BMJX");
        assert_eq!(s.product_and_sku(), (Some("DZH318Z0BXWC"), Some("0001")));
        assert_eq!(
            (s.offer_name.as_str(), s.friendly_name.as_str()),
            ("offer Name", "friendly Name")
        );
        assert_eq!(s.quantity, 1);
        assert_eq!(s.unit_type, "License(s)");
        assert_eq!(s.status, SubscriptionStatus::Deleted);
        assert!(!s.auto_renew_enabled && !s.is_trial && !s.is_microsoft_product);
        assert_eq!(s.billing_type, "license");
        assert_eq!(s.billing_cycle, BillingCycle::Monthly);
        assert_eq!(s.term_duration, "P1M");
        assert_eq!(
            s.commitment_end_date
                .unwrap()
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "2019-02-08 00:21"
        );
        assert_eq!(s.refund_options.len(), 1);
        assert_eq!(
            s.refund_options[0]
                .expires_at
                .unwrap()
                .format("%Y-%m-%d")
                .to_string(),
            "2019-01-10"
        );
        assert_eq!(s.publisher_name, "publishe rName");
        assert_eq!(s.order_id, "ImxjLNL4_fOc-2KoyOxGTZcrlIquzls11");
        // Unmodelled fields are kept, so a PATCH sends the whole resource back.
        assert_eq!(s.extra["contractType"], "subscription");
        assert_eq!(s.extra["hasPurchasableAddons"], false);
    });
}

#[test]
fn partner_center_transition_eligibilities() {
    use cspdesk_core::partner_center::transitions::TransitionEligibility;
    both("pc-transition-eligibilities.json", |b| {
        let c: Collection<TransitionEligibility> = json::decode(b, "eligibilities").unwrap();
        let e = &c.items[0];
        assert_eq!(e.catalog_item_id, "CFQ7TTC0KZCR:0001:CFQ7TTC0K71H");
        assert_eq!(e.title, "Microsoft 365 E5 Test Sku Title");
        assert_eq!(e.quantity, Some(1));
        assert!(e.any_eligible());
        assert_eq!(e.eligibilities[0].transition_type, "transition_only");
        let refused = &e.eligibilities[1];
        assert!(!refused.is_eligible);
        assert_eq!(
            refused.errors[0].code, "3",
            "a numeric code is read as text"
        );
        assert!(refused.errors[0]
            .description
            .contains("conflicting services"));
    });
}

#[test]
fn partner_center_billing_profile() {
    use cspdesk_core::partner_center::models::BillingProfile;
    both("pc-billing-profile.json", |b| {
        let p: BillingProfile = json::decode(b, "billing profile").unwrap();
        assert_eq!(p.id, "<billing-profile-id>");
        assert_eq!(
            (p.first_name.as_deref(), p.last_name.as_deref()),
            (Some("FirstName"), Some("LastName"))
        );
        assert_eq!(p.email.as_deref(), Some("email@sample.com"));
        assert_eq!(p.culture.as_deref(), Some("en-US"));
        assert_eq!(p.language.as_deref(), Some("en"));
        assert_eq!(p.company_name.as_deref(), Some("CompanyName"));
        // The customer's market: the billing country.
        let a = &p.default_address;
        assert_eq!(a.country, "US");
        assert_eq!(
            (
                a.city.as_deref(),
                a.state.as_deref(),
                a.postal_code.as_deref()
            ),
            (Some("Redmond"), Some("WA"), Some("98052"))
        );
        assert_eq!(a.address_line1.as_deref(), Some("1 Microsoft Way"));
        assert_eq!(a.phone_number.as_deref(), Some("4255555555"));
    });
}

#[test]
fn partner_center_products() {
    use cspdesk_core::partner_center::models::Product;
    both("pc-products.json", |b| {
        let c: Collection<Product> = json::decode(b, "products").unwrap();
        let p = &c.items[0];
        assert_eq!(p.id, "DZH318Z0BQ3Q");
        assert_eq!(p.title, "Virtual Machines DSv2 Series");
        assert!(p.description.starts_with("Dsv2-series instances"));
        assert_eq!(p.product_type.id, "Azure");
        assert_eq!(p.product_type.display_name, "Azure");
        let sub = p.product_type.sub_type.as_ref().unwrap();
        assert_eq!(
            (sub.id.as_str(), sub.display_name.as_str()),
            ("VirtualMachines", "VirtualMachines")
        );
        assert!(!p.is_saas(), "a virtual machine is not SaaS");
        assert!(p.is_microsoft_product);
        assert_eq!(p.publisher_name, "Microsoft");
        assert!(c.next_token().is_none(), "the list comes whole");
    });
}

#[test]
fn partner_center_sku() {
    use cspdesk_core::partner_center::models::{BillingCycle, Sku};
    both("pc-sku.json", |b| {
        let s: Sku = json::decode(b, "sku").unwrap();
        assert_eq!(s.id, "0001");
        assert_eq!(s.product_id, "CFQ7TTC0LH18");
        assert_eq!(s.title, "Microsoft 365 Business Basic");
        assert!(s.description.starts_with("Best for businesses"));
        assert_eq!((s.minimum_quantity, s.maximum_quantity), (1, 300));
        assert!(!s.is_trial);
        assert_eq!(
            s.supported_billing_cycles,
            vec![BillingCycle::Annual, BillingCycle::Monthly]
        );
        assert_eq!(s.purchase_prerequisites, vec!["MicrosoftCloudAgreement"]);
        assert!(s.provisioning_variables.is_empty());
    });
}

#[test]
fn partner_center_availabilities() {
    use cspdesk_core::partner_center::models::{Availability, BillingCycle, RefundType};
    both("pc-availabilities.json", |b| {
        let c: Collection<Availability> = json::decode(b, "availabilities").unwrap();
        let a = &c.items[0];
        assert_eq!(a.id, "DZH318XZXVNF");
        assert_eq!(
            (a.product_id.as_str(), a.sku_id.as_str()),
            ("DZH318Z0BQ3Q", "0001")
        );
        assert_eq!(a.catalog_item_id, "DZH318Z0BQ3Q:0001:DZH318XZXVNF");
        assert_eq!(
            (
                a.default_currency.code.as_str(),
                a.default_currency.symbol.as_str()
            ),
            ("USD", "$")
        );
        assert_eq!(
            (a.segment.as_str(), a.country.as_str()),
            ("commercial", "US")
        );
        assert!(a.is_purchasable && !a.is_renewable);
        assert_eq!(a.terms[0].duration, "P1Y");
        assert_eq!(a.terms[0].description, "1 Year Prepaid");
    });
    both("pc-availability-nce.json", |b| {
        let a: Availability = json::decode(b, "availability").unwrap();
        assert_eq!(a.catalog_item_id, "CFQ7TTC0LH18:0001:CFQ7TTC0K971");
        assert!(a.is_purchasable && a.is_renewable);
        let t = &a.terms[0];
        assert_eq!(t.id, "5aeco6mffyxo");
        assert_eq!(t.duration, "P1Y");
        assert_eq!(
            t.description,
            "One-Year commitment for monthly/yearly billing"
        );
        // Capitalised on terms, snake_case elsewhere: both read.
        assert_eq!(t.billing_cycle, BillingCycle::Annual);
        assert!(!t.is_trial());
        let r = &t.cancellation_policies[0].refund_options[0];
        assert_eq!(
            (r.sequence_id, r.kind.clone(), r.expires_after.as_str()),
            (0, RefundType::Full, "P1D")
        );
    });
}

#[test]
fn partner_center_cart() {
    use cspdesk_core::partner_center::models::{BillingCycle, Cart, CartStatus};
    both("pc-cart.json", |b| {
        let c: Cart = json::decode(b, "cart").unwrap();
        assert_eq!(c.id, "3655b1a0-b1c9-4268-9824-577fdbc4d0be");
        assert_eq!(c.status, CartStatus::Active);
        assert_eq!(
            c.creation_timestamp
                .unwrap()
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            "2019-01-16 00:45:41"
        );
        assert_eq!(
            c.expiration_timestamp
                .unwrap()
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            "2019-01-16 01:00:54"
        );
        assert_eq!(c.line_items.len(), 6);
        let saas = &c.line_items[4];
        assert_eq!(saas.catalog_item_id, "DZH318Z0BXWC:0002:DZH318Z0BMRV");
        assert_eq!(saas.billing_cycle, BillingCycle::Monthly);
        assert_eq!(saas.term_duration.as_deref(), Some("P1M"));
        assert_eq!(saas.currency_code.as_deref(), Some("USD"));
        assert_eq!(saas.order_group.as_deref(), Some("1"));
        // The SaaS free trial: billing cycle none, one month, renewing to a year.
        let trial = &c.line_items[5];
        assert_eq!(trial.id, 5);
        assert_eq!(trial.quantity, 10);
        assert_eq!(trial.billing_cycle, BillingCycle::None);
        assert_eq!(trial.renews_to.as_ref().unwrap().term_duration, "P1Y");
        assert_eq!(
            c.line_items[1]
                .provisioning_context
                .get("scope")
                .and_then(Value::as_str),
            Some("shared")
        );
    });
}

#[test]
fn partner_center_checkout_orders() {
    use cspdesk_core::partner_center::models::{BillingCycle, CartCheckoutResult, OrderStatus};
    both("pc-checkout.json", |b| {
        let r: CartCheckoutResult = json::decode(b, "checkout").unwrap();
        assert_eq!(r.orders.len(), 3);
        let saas = &r.orders[2];
        assert_eq!(saas.id, "HVu_cO8Ea7fNRQP4ia1QTpZap-kg_7P71");
        assert_eq!(saas.alternate_id.as_deref(), Some("55a4e6854d54"));
        assert_eq!(
            saas.reference_customer_id,
            "28045616-f6b9-462f-9701-0d89b5e65c44"
        );
        assert_eq!(saas.billing_cycle, BillingCycle::Monthly);
        assert_eq!(saas.currency_symbol.as_deref(), Some("$"));
        assert_eq!(saas.status, OrderStatus::Pending);
        assert_eq!(saas.transaction_type.as_deref(), Some("UserPurchase"));
        assert!(saas.creation_date.is_some());
        let l = &saas.line_items[0];
        assert_eq!(l.offer_id, "DZH318Z0BXWC:0002:DZH318Z0BMRV");
        assert_eq!(
            l.subscription_id, None,
            "a SaaS line has no subscription yet at checkout"
        );
        assert_eq!(l.term_duration.as_deref(), Some("P1M"));
        assert_eq!(
            l.friendly_name.as_deref(),
            Some("Barracuda WaaS - Medium Plan")
        );
        assert_eq!(r.orders[0].status, OrderStatus::Completed);
        assert_eq!(
            r.orders[0].line_items[0].subscription_id.as_deref(),
            Some("EF2E1307-86E6-40E3-A794-872403FBD31C")
        );
        assert_eq!(r.orders[1].billing_cycle, BillingCycle::OneTime);
        assert!(r.order_errors.is_empty());
    });
}

#[test]
fn partner_center_activation_links() {
    use cspdesk_core::partner_center::models::ActivationLink;
    both("pc-activation-links.json", |b| {
        let c: Collection<ActivationLink> = json::decode(b, "activation links").unwrap();
        assert_eq!(c.items.len(), 1);
        assert_eq!(c.items[0].line_item_number, 0);
        assert_eq!(c.items[0].link.uri, "<link populated here>");
        assert_eq!(c.items[0].link.method, "GET");
    });
}

#[test]
fn partner_center_upgrades() {
    use cspdesk_core::partner_center::models::{Upgrade, UpgradeErrorCode, UpgradeType};
    both("pc-upgrades.json", |b| {
        let c: Collection<Upgrade> = json::decode(b, "upgrades").unwrap();
        let ok = &c.items[0];
        assert_eq!(ok.target_offer.id, "796B6B5F-613C-4E24-A17C-EBA730D49C02");
        assert_eq!(ok.target_offer.name, "Office 365 Enterprise E3");
        assert_eq!(
            (
                ok.target_offer.minimum_quantity,
                ok.target_offer.maximum_quantity
            ),
            (1, 10000)
        );
        assert_eq!(ok.target_offer.rank, 30);
        assert_eq!(ok.upgrade_type, UpgradeType::UpgradeWithLicenseTransfer);
        assert!(ok.is_eligible);
        assert_eq!(ok.quantity, 25);
        // The legacy Offer's other fields are kept.
        assert_eq!(ok.target_offer.extra["billing"], "license");
        let no = &c.items[1];
        assert!(!no.is_eligible);
        assert_eq!(no.upgrade_type, UpgradeType::None);
        let e = &no.upgrade_errors[0];
        assert_eq!(e.code, UpgradeErrorCode::SubscriptionAddOnsPresent);
        assert_eq!(
            e.description,
            "The subscription has add-ons that must be removed first."
        );
        assert_eq!(e.additional_details.as_deref(), Some("Add-on 9B8D8B2E"));
    });
}

#[test]
fn price_sheet_header_and_row() {
    use cspdesk_core::pricelist::sheet;
    let raw = String::from_utf8(fixture("pricesheet-updatedlicensebased.csv")).unwrap();
    let check = |csv: &str| {
        let s = sheet::parse(csv.as_bytes(), "US", false).unwrap();
        assert_eq!(s.rows.len(), 1);
        let r = &s.rows[0];
        assert_eq!(r.product_title, "Advanced Communications");
        assert_eq!(
            (r.product_id.as_str(), r.sku_id.as_str()),
            ("CFQ7TTC0HDK0", "0001")
        );
        assert_eq!(r.sku_title, "Advanced Communications");
        assert_eq!(r.publisher, "Microsoft Corporation");
        assert_eq!(r.unit_of_measure, "");
        assert_eq!(
            (r.term_duration.as_str(), r.billing_plan.as_str()),
            ("P1Y", "Annual")
        );
        assert_eq!((r.market.as_str(), r.currency.as_str()), ("US", "USD"));
        assert_eq!(r.unit_price, 115.2);
        assert_eq!(
            r.erp_price,
            Some(144.0),
            "the ERP Price column with its typographic quote"
        );
        assert_eq!(
            r.effective_start,
            chrono::NaiveDate::from_ymd_opt(2019, 2, 1)
        );
        assert_eq!(r.effective_end, chrono::NaiveDate::from_ymd_opt(2021, 2, 4));
        assert_eq!(r.tags, "License");
    };
    check(&raw);
    // An unknown column first and last (the `both` of a CSV).
    let with_unknown: String = raw
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let extra = if i == 0 {
                "\"UnknownFutureColumn\""
            } else {
                "\"x\""
            };
            format!("{extra},{l},{extra}\r\n")
        })
        .collect();
    check(&with_unknown);
}

#[test]
fn entra_token_answers() {
    use cspdesk_core::auth::oauth;
    both("entra-token.json", |b| {
        let t = oauth::read_token_answer(b).unwrap();
        assert_eq!(t.token_type.to_ascii_lowercase(), "bearer");
        assert_eq!(
            t.access_token.expose(),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access"
        );
        assert_eq!(t.expires_in, std::time::Duration::from_secs(3599));
        assert_eq!(
            t.refresh_token.as_ref().map(|s| s.expose()),
            Some("0.AAAA-refresh-token-value")
        );
        assert_eq!(
            t.id_token.as_ref().map(|s| s.expose()),
            Some("eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.id")
        );
        assert_eq!(
            t.scopes,
            vec!["https://api.partnercenter.microsoft.com/user_impersonation"]
        );
    });
    both("entra-devicecode.json", |b| {
        let d = oauth::read_device_code_answer(b).unwrap();
        assert_eq!(d.user_code, "FGKY5RTWN");
        assert_eq!(d.verification_uri, "https://microsoft.com/devicelogin");
        assert_eq!(d.expires_in, std::time::Duration::from_secs(900));
        assert!(
            d.message.contains("enter the code FGKY5RTWN"),
            "{}",
            d.message
        );
    });
    both("entra-error.json", |b| {
        let e = oauth::read_token_error(b).unwrap().to_string();
        assert!(
            e.contains("The provided value for the input parameter 'scope' is not valid"),
            "{e}"
        );
        assert!(
            !e.contains("Trace ID"),
            "only the first line of Entra's words: {e}"
        );
    });
}
