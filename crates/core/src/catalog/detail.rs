//! One offer in full, as the detail panel shows it: the stored offer (Partner Center's SKUs,
//! terms and billing cycles) plus the ARM catalog's product detail, which alone carries the
//! publisher's support contacts and the legal links a partner must read before buying.
//!
//! The ARM detail is fetched once per product and market and cached in the store's
//! `arm_details` table; a stale or unreachable ARM falls back to the cache, and with no cache at
//! all the detail still shows everything Partner Center knows and says why contacts are missing.
//! Building the DTO ([`build`]) is pure, so it is tested without a server.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{categories, MatchKind, Offer, OfferType};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::arm::ArmProductDetail;
use crate::partner_center::models::BillingCycle;
use crate::partner_center::{api, json, Client};
use crate::store::Store;

/// How long a cached ARM detail is used without asking ARM again.
pub const ARM_DETAIL_TTL_HOURS: i64 = 24;

/// A link with the label to show for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NamedLink {
    pub label: String,
    pub uri: String,
}

/// Who publishes the offer and how to reach their support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherContacts {
    pub name: String,
    /// ARM publisher id, when the offer matched the marketplace catalog.
    pub id: Option<String>,
    pub microsoft: bool,
    pub support_uri: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Other links the publisher lists (website, documentation, …).
    pub links: Vec<NamedLink>,
}

/// One term of a plan: its length and how it is billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanTerm {
    /// ISO-8601 duration as Partner Center sends it (`P1M`, `P1Y`).
    pub duration: String,
    /// `1 month`, `1 year`, …
    pub duration_label: String,
    /// `monthly`, `annual`, `none` (a free trial), …
    pub billing_cycle: String,
    pub billing_label: String,
    pub description: String,
    pub trial: bool,
    /// How long after purchase a full refund is possible (`72 hours`), when stated.
    pub refund_window: Option<String>,
}

/// A SKU ("plan") with its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanDetail {
    pub id: String,
    pub title: String,
    pub description: String,
    pub min_quantity: u32,
    pub max_quantity: u32,
    pub trial: bool,
    pub billing_cycles: Vec<String>,
    pub terms: Vec<PlanTerm>,
}

/// Everything the detail panel shows about one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OfferDetail {
    pub key: String,
    pub product_id: Option<String>,
    pub market: String,
    pub title: String,
    pub description: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    pub type_label: String,
    pub categories: Vec<String>,
    pub publisher: PublisherContacts,
    pub free_trial: bool,
    /// `1 month`, when a trial term or the marketplace says how long.
    pub trial_length: Option<String>,
    pub plans: Vec<PlanDetail>,
    /// Markets where the offer is sold, among the markets synced on this machine.
    pub markets: Vec<String>,
    pub terms_of_use_uri: Option<String>,
    pub csp_terms_uri: Option<String>,
    pub privacy_policy_uri: Option<String>,
    /// Only marketplace SaaS can be bought through CSP.
    pub purchasable: bool,
    /// Why it cannot be bought through CSP, when it cannot (the CLI's words, the UI's fallback).
    pub purchase_note: Option<String>,
    /// The same as a code, for the UI.
    pub purchase_message: Option<Message>,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
    /// Why the marketplace detail (contacts, legal links) is missing, when it is (the CLI's
    /// words, the UI's fallback).
    pub marketplace_note: Option<String>,
    /// The same as a code, for the UI.
    pub marketplace_message: Option<Message>,
}

/// `P1M` → `1 month`, `P3Y` → `3 years`, `P72H`/`PT72H` → `72 hours`; other text as it is.
pub fn duration_label(iso: &str) -> String {
    let s = iso.trim().to_ascii_uppercase();
    let body = s.trim_start_matches('P').trim_start_matches('T');
    let digits: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
    let unit = &body[digits.len()..];
    let Ok(n) = digits.parse::<u32>() else {
        return iso.to_string();
    };
    let word = match unit {
        "D" => "day",
        "W" => "week",
        "M" if s.contains('T') => "minute",
        "M" => "month",
        "Y" => "year",
        "H" => "hour",
        _ => return iso.to_string(),
    };
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn billing_label(c: &BillingCycle) -> String {
    match c {
        BillingCycle::Monthly => "Billed monthly".into(),
        BillingCycle::Annual => "Billed annually".into(),
        BillingCycle::None => "Free trial (not billed)".into(),
        BillingCycle::OneTime => "Billed once".into(),
        BillingCycle::Triennial => "Billed every 3 years".into(),
        BillingCycle::Biennial => "Billed every 2 years".into(),
        other => format!("Billed {}", other.as_str()),
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Why an offer that cannot be bought through CSP cannot.
pub fn purchase_note(offer: &Offer) -> Option<Message> {
    if offer.purchasable_through_csp() {
        return None;
    }
    Some(if offer.offer_type == OfferType::Saas {
        Message::PurchaseSaasNotInCatalog
    } else {
        Message::PurchaseNotCsp {
            offer_type: offer.offer_type,
        }
    })
}

/// Everything the detail panel (and `cspdesk offers show`) shows about `offer`: the stored
/// offer plus, when it matched the marketplace catalog and an Azure subscription is set, the
/// publisher's contacts and legal links from ARM. A missing ARM detail is a note, not an error.
pub async fn offer_detail(
    conn: &crate::connection::Connection,
    offer: &Offer,
    market: &str,
) -> Result<OfferDetail> {
    let (arm, note) = match (&offer.marketplace_id, &conn.arm_subscription) {
        (None, _) => (None, Some(Message::MarketplaceNoMatch)),
        (Some(_), None) => (None, Some(Message::MarketplaceNoSubscription)),
        (Some(id), Some(sub)) => {
            match arm_detail(&conn.client, &conn.store, sub, id, market).await {
                Ok(d) => (Some(d), None),
                Err(e) => {
                    tracing::warn!(error = %e, "marketplace detail unavailable");
                    let why = match (&e, e.status()) {
                        (Error::Network { .. }, _) => "it could not be reached".to_string(),
                        (_, Some(status)) => format!("it answered HTTP {status}"),
                        _ => e.to_string(),
                    };
                    (None, Some(Message::MarketplaceUnreadable { why }))
                }
            }
        }
    };
    let markets = markets_of(&conn.store, offer.key())?;
    Ok(build(offer, arm.as_ref(), markets, note))
}

/// The detail DTO from the stored offer and, when known, the ARM product detail.
pub fn build(
    offer: &Offer,
    arm: Option<&ArmProductDetail>,
    markets: Vec<String>,
    marketplace_note: Option<Message>,
) -> OfferDetail {
    let plans: Vec<PlanDetail> = offer
        .skus
        .iter()
        .map(|s| {
            let mut terms = Vec::new();
            for a in &s.availabilities {
                for t in &a.terms {
                    let refund_window = t
                        .cancellation_policies
                        .iter()
                        .flat_map(|p| p.refund_options.iter())
                        .map(|r| duration_label(&r.expires_after))
                        .find(|l| !l.is_empty());
                    let term = PlanTerm {
                        duration: t.duration.clone(),
                        duration_label: duration_label(&t.duration),
                        billing_cycle: t.billing_cycle.as_str().to_string(),
                        billing_label: billing_label(&t.billing_cycle),
                        description: t.description.clone(),
                        trial: t.is_trial(),
                        refund_window,
                    };
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                }
            }
            PlanDetail {
                id: s.sku.id.clone(),
                title: s.sku.title.clone(),
                description: s.sku.description.clone(),
                min_quantity: s.sku.minimum_quantity,
                max_quantity: s.sku.maximum_quantity,
                trial: s.has_trial(),
                billing_cycles: s
                    .sku
                    .supported_billing_cycles
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                terms,
            }
        })
        .collect();

    let trial_length = plans
        .iter()
        .flat_map(|p| p.terms.iter())
        .find(|t| t.trial && !t.duration.is_empty())
        .map(|t| t.duration_label.clone())
        .or_else(|| {
            arm.and_then(|d| {
                d.plans
                    .iter()
                    .flat_map(|p| p.availabilities.iter())
                    .filter(|a| a.has_free_trials)
                    .flat_map(|a| a.terms.iter())
                    .map(|t| t.unit().to_string())
                    .find(|u| !u.is_empty())
                    .map(|u| duration_label(&u))
            })
        })
        .or_else(|| {
            // A trial SKU's or the marketplace's trial, attached to its paid plan (catalog::trials).
            offer
                .skus
                .iter()
                .find_map(|s| s.trial.as_ref())
                .map(|t| duration_label(&t.length))
        });

    let mut publisher = PublisherContacts {
        name: offer.publisher_name.clone(),
        id: offer.publisher_id.clone(),
        microsoft: offer.is_microsoft_product,
        support_uri: None,
        email: None,
        phone: None,
        links: vec![],
    };
    let (mut terms_of_use_uri, mut csp_terms_uri, mut privacy_policy_uri) = (None, None, None);
    if let Some(d) = arm {
        publisher.support_uri = non_empty(&d.support_uri);
        for l in &d.links {
            let uri = l.uri.trim();
            let lower = uri.to_ascii_lowercase();
            if let Some(mail) = lower.strip_prefix("mailto:") {
                publisher.email.get_or_insert_with(|| mail.to_string());
            } else if lower.starts_with("tel:") {
                publisher
                    .phone
                    .get_or_insert_with(|| uri[4..].trim().to_string());
            } else if !uri.is_empty() {
                publisher.links.push(NamedLink {
                    label: if l.display_name.is_empty() {
                        l.id.clone()
                    } else {
                        l.display_name.clone()
                    },
                    uri: uri.to_string(),
                });
            }
        }
        terms_of_use_uri = non_empty(&d.legal_terms_uri);
        csp_terms_uri = non_empty(&d.csp_legal_terms_uri);
        privacy_policy_uri = non_empty(&d.privacy_policy_uri);
    }
    if terms_of_use_uri.is_none() {
        // Partner Center's own SKU terms, when ARM has none.
        terms_of_use_uri = offer
            .skus
            .iter()
            .find_map(|s| non_empty(&s.sku.terms_of_use_uri));
    }

    let mut markets = markets;
    if !markets
        .iter()
        .any(|m| m.eq_ignore_ascii_case(&offer.market))
    {
        markets.push(offer.market.to_ascii_uppercase());
    }
    markets.sort();
    markets.dedup();

    OfferDetail {
        key: offer.key().to_string(),
        product_id: offer.product_id.clone(),
        market: offer.market.clone(),
        title: offer.title.clone(),
        description: match arm {
            Some(d) if offer.description.is_empty() && !d.description.is_empty() => {
                d.description.clone()
            }
            _ => offer.description.clone(),
        },
        offer_type: offer.offer_type,
        type_label: offer.offer_type.label().to_string(),
        categories: offer
            .categories
            .iter()
            .map(|c| categories::display_name(c))
            .collect(),
        publisher,
        free_trial: offer.free_trial,
        trial_length: if offer.free_trial { trial_length } else { None },
        plans,
        markets,
        terms_of_use_uri,
        csp_terms_uri,
        privacy_policy_uri,
        purchasable: offer.purchasable_through_csp(),
        purchase_note: purchase_note(offer).map(|m| m.english()),
        purchase_message: purchase_note(offer),
        match_kind: offer.match_kind,
        marketplace_note: marketplace_note.as_ref().map(Message::english),
        marketplace_message: marketplace_note,
    }
}

/// A cached ARM detail and when it was fetched.
pub fn cached_arm_detail(
    store: &Store,
    unique_product_id: &str,
    market: &str,
) -> Result<Option<(ArmProductDetail, DateTime<Utc>)>> {
    let conn = store.conn();
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT json, fetched_at FROM arm_details WHERE unique_product_id = ?1 AND market = ?2",
            params![unique_product_id, market.to_ascii_uppercase()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((json, at)) = row else {
        return Ok(None);
    };
    let Ok(detail) = serde_json::from_str::<ArmProductDetail>(&json) else {
        return Ok(None); // unreadable cache: fetch again
    };
    let at = DateTime::parse_from_rfc3339(&at)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    Ok(Some((detail, at)))
}

pub fn save_arm_detail(store: &Store, market: &str, detail: &ArmProductDetail) -> Result<()> {
    let json = serde_json::to_string(detail).map_err(|e| Error::Invalid(e.to_string()))?;
    store.conn().execute(
        "INSERT OR REPLACE INTO arm_details (unique_product_id, market, json, fetched_at) VALUES (?1, ?2, ?3, ?4)",
        params![detail.unique_product_id, market.to_ascii_uppercase(), json, Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

/// The ARM detail of a product: from the cache while fresh, else from ARM (and cached). When
/// ARM fails, a stale cached copy is returned rather than the error.
pub async fn arm_detail(
    client: &Client,
    store: &Store,
    subscription: &str,
    unique_product_id: &str,
    market: &str,
) -> Result<ArmProductDetail> {
    let cached = cached_arm_detail(store, unique_product_id, market)?;
    if let Some((d, at)) = &cached {
        if Utc::now() - *at < Duration::hours(ARM_DETAIL_TTL_HOURS) {
            return Ok(d.clone());
        }
    }
    let market_code = market.to_ascii_uppercase();
    let fetched = crate::partner_center::arm::versioned(client, |version| {
        let req = api::arm_product_at(subscription, unique_product_id, &market_code, version)
            .cast::<serde_json::Value>();
        async move {
            let what = req.describe();
            client.execute(&req).await.and_then(|mut v| {
                tolerate_bare_prices(&mut v);
                json::decode_value::<ArmProductDetail>(v, &what)
            })
        }
    })
    .await;
    match fetched {
        Ok(mut d) => {
            if d.unique_product_id.is_empty() {
                d.unique_product_id = unique_product_id.to_string();
            }
            save_arm_detail(store, market, &d)?;
            Ok(d)
        }
        Err(e) => match cached {
            Some((d, _)) => {
                tracing::warn!(error = %e, "ARM detail unavailable; using the cached copy");
                Ok(d)
            }
            None => Err(e),
        },
    }
}

/// `billingPlan.price` arrives as an object `{currencyCode, listPrice, msrp}` like the term's own
/// price, or as a bare number (the reference names the field but not its shape). A number is
/// read as the list price, so either shape decodes.
fn tolerate_bare_prices(detail: &mut serde_json::Value) {
    let Some(plans) = detail.get_mut("plans").and_then(|p| p.as_array_mut()) else {
        return;
    };
    let terms = plans
        .iter_mut()
        .filter_map(|p| p.get_mut("availabilities")?.as_array_mut())
        .flatten()
        .filter_map(|a| a.get_mut("terms")?.as_array_mut())
        .flatten();
    for term in terms {
        if let Some(price) = term.pointer_mut("/billingPlan/price") {
            if price.is_number() {
                *price = serde_json::json!({ "listPrice": price.clone() });
            }
        }
    }
}

/// Synced markets whose catalog holds the offer with this key.
pub fn markets_of(store: &Store, key: &str) -> Result<Vec<String>> {
    let conn = store.conn();
    let mut stmt = conn.prepare("SELECT market FROM offers WHERE key = ?1 ORDER BY market")?;
    let rows = stmt.query_map(params![key], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OfferSku;
    use crate::partner_center::json::decode;

    fn offer(ty: OfferType, with_pc: bool) -> Offer {
        let sku: crate::partner_center::models::Sku = decode(
            br#"{"id":"0001","productId":"P1","title":"Gold","minimumQuantity":1,"maximumQuantity":100,
                "supportedBillingCycles":["monthly","annual"],"termsOfUseUri":"https://pc.example.com/tou"}"#,
            "sku",
        )
        .unwrap();
        let avail: crate::partner_center::models::Availability = decode(
            br#"{"id":"A1","terms":[
                {"duration":"P1M","billingCycle":"none","description":"One month free trial"},
                {"duration":"P1Y","billingCycle":"Monthly","description":"1 year, billed monthly",
                 "cancellationPolicies":[{"refundOptions":[{"sequenceId":1,"type":"Full","expiresAfter":"P3D"}]}]},
                {"duration":"P1Y","billingCycle":"Monthly","description":"1 year, billed monthly",
                 "cancellationPolicies":[{"refundOptions":[{"sequenceId":1,"type":"Full","expiresAfter":"P3D"}]}]}]}"#,
            "availability",
        )
        .unwrap();
        Offer {
            product_id: with_pc.then(|| "P1".to_string()),
            market: "US".into(),
            title: "Sentinel".into(),
            description: "Guards things".into(),
            publisher_name: "Contoso Ltd".into(),
            publisher_id: Some("contoso".into()),
            is_microsoft_product: false,
            offer_type: ty,
            categories: vec!["security".into()],
            free_trial: true,
            skus: vec![OfferSku {
                sku,
                availabilities: vec![avail],
                trial: None,
                trial_of: None,
            }],
            marketplace_id: Some("contoso.sentinel".into()),
            match_kind: MatchKind::Exact,
        }
    }

    fn arm() -> ArmProductDetail {
        serde_json::from_value(serde_json::json!({
            "uniqueProductId": "contoso.sentinel",
            "supportUri": "https://contoso.example.com/support",
            "privacyPolicyUri": "https://contoso.example.com/privacy",
            "legalTermsUri": "https://contoso.example.com/terms",
            "links": [
                {"id": "email", "displayName": "Support email", "uri": "mailto:help@contoso.example.com"},
                {"id": "phone", "displayName": "Support phone", "uri": "tel:+1-425-555-0100"},
                {"id": "docs", "displayName": "Documentation", "uri": "https://contoso.example.com/docs"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn saas_detail_has_contacts_terms_trial_and_plans() {
        let d = build(
            &offer(OfferType::Saas, true),
            Some(&arm()),
            vec!["GB".into()],
            None,
        );
        assert!(d.purchasable);
        assert!(d.purchase_note.is_none());
        assert_eq!(
            d.publisher.support_uri.as_deref(),
            Some("https://contoso.example.com/support")
        );
        assert_eq!(
            d.publisher.email.as_deref(),
            Some("help@contoso.example.com")
        );
        assert_eq!(d.publisher.phone.as_deref(), Some("+1-425-555-0100"));
        assert_eq!(d.publisher.links.len(), 1);
        assert_eq!(
            d.terms_of_use_uri.as_deref(),
            Some("https://contoso.example.com/terms")
        );
        assert_eq!(
            d.privacy_policy_uri.as_deref(),
            Some("https://contoso.example.com/privacy")
        );
        assert_eq!(d.trial_length.as_deref(), Some("1 month"));
        assert_eq!(d.markets, ["GB", "US"]);
        assert_eq!(d.categories, ["Security"]);
        let plan = &d.plans[0];
        assert_eq!(plan.billing_cycles, ["monthly", "annual"]);
        assert_eq!(plan.terms.len(), 2, "duplicate terms are shown once");
        assert!(plan.terms[0].trial);
        assert_eq!(plan.terms[1].duration_label, "1 year");
        assert_eq!(plan.terms[1].billing_label, "Billed monthly");
        assert_eq!(plan.terms[1].refund_window.as_deref(), Some("3 days"));
    }

    #[test]
    fn non_saas_says_it_is_billed_through_the_azure_portal() {
        let d = build(
            &offer(OfferType::Vm, true),
            None,
            vec![],
            Some(Message::MarketplaceUnreadable {
                why: "ARM down".into(),
            }),
        );
        assert!(!d.purchasable);
        assert!(d
            .purchase_note
            .as_deref()
            .unwrap()
            .contains("managed and billed through the Azure portal"));
        // without ARM, Partner Center's own terms of use are shown
        assert_eq!(
            d.terms_of_use_uri.as_deref(),
            Some("https://pc.example.com/tou")
        );
        assert!(d.publisher.support_uri.is_none());
        assert!(d
            .marketplace_note
            .as_deref()
            .unwrap()
            .contains("(ARM down)"));
        assert_eq!(
            d.marketplace_message,
            Some(Message::MarketplaceUnreadable {
                why: "ARM down".into()
            })
        );
    }

    #[test]
    fn saas_outside_partner_center_is_not_purchasable() {
        let d = build(&offer(OfferType::Saas, false), Some(&arm()), vec![], None);
        assert!(!d.purchasable);
        assert!(d
            .purchase_note
            .unwrap()
            .contains("not in the Partner Center"));
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_label("P1M"), "1 month");
        assert_eq!(duration_label("P3Y"), "3 years");
        assert_eq!(duration_label("PT72H"), "72 hours");
        assert_eq!(duration_label("P14D"), "14 days");
        assert_eq!(duration_label("weird"), "weird");
    }

    #[test]
    fn arm_detail_cache_round_trip() {
        let store = Store::open_in_memory().unwrap();
        assert!(cached_arm_detail(&store, "contoso.sentinel", "us")
            .unwrap()
            .is_none());
        save_arm_detail(&store, "us", &arm()).unwrap();
        let (d, at) = cached_arm_detail(&store, "contoso.sentinel", "US")
            .unwrap()
            .unwrap();
        assert_eq!(d, arm());
        assert!(Utc::now() - at < Duration::minutes(1));
    }

    #[test]
    fn billing_plan_price_may_be_a_bare_number() {
        let mut v = serde_json::json!({
            "uniqueProductId": "p",
            "plans": [{"availabilities": [{"terms": [
                {"termUnits": "P1Y", "billingPlan": {"billingPeriod": "P1M", "price": 2.04}},
                {"termUnits": "P1M", "billingPlan": {"billingPeriod": "P1M", "price": {"listPrice": 3.0}}},
                {"termUnits": "P1M", "billingPlan": null}
            ]}]}]
        });
        tolerate_bare_prices(&mut v);
        let d: ArmProductDetail = json::decode_value(v, "detail").unwrap();
        let terms = &d.plans[0].availabilities[0].terms;
        let price = |i: usize| {
            terms[i]
                .billing_plan
                .as_ref()
                .and_then(|b| b.price.as_ref())
                .and_then(|p| p.list_price)
        };
        assert_eq!(price(0), Some(2.04));
        assert_eq!(price(1), Some(3.0));
        assert!(terms[2].billing_plan.is_none());
    }
}
