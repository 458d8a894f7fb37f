//! The Azure Marketplace catalog behind Azure Resource Manager (reference §12): product
//! summaries paged 100 at a time with `$skiptoken`, and product details with support
//! contacts, legal links and per-market plan prices. This is where categories and publisher
//! contacts live; Partner Center's catalog has neither. A few offers differ on purpose from
//! Partner Center (names in case/whitespace/™, ~2% missing here, ~1% only here).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use super::data::{market_index, mix, unit, INDUSTRIES, MARKETS};
use super::http::{self, decode_token, encode_token, error_obj, Query};
use super::products::{Catalog, Kind, Product, Sku, Term, F_ARM, F_PC};
use super::Shared;

const PAGE: usize = 100;
/// The version of the public ARM spec: `value`/`nextLink` pages, `market` and `language`.
const API_VERSION: &str = "2025-05-01";
/// The version Microsoft's MCP server sends: `items`/`nextPageLink` pages, `storefront`.
const PREVIEW_API_VERSION: &str = "2023-01-01-preview";

/// The third trial shape (reference §16): about one SaaS product in ten without a Partner Center
/// trial has one in the marketplace catalog only (`FreeTrial` on its first plan,
/// `hasFreeTrials` on that plan's availability), as ARM may say what Partner Center does not.
fn arm_only_trial(p: &Product, s: &Sku, skus: &[Sku]) -> bool {
    p.kind == Kind::SaaS
        && !skus.iter().any(|k| k.trial || k.trial_sku)
        && mix(p.seed, 77).is_multiple_of(10)
        && skus.first().is_some_and(|f| f.id == s.id)
}

/// Whether the marketplace says `s` has a free trial (Partner Center's trial term or trial SKU,
/// or ARM's own). A trial SKU is not a plan here: the paid plan it turns into says `FreeTrial`.
fn arm_trial(p: &Product, s: &Sku, skus: &[Sku]) -> bool {
    s.trial || s.trial_sku || arm_only_trial(p, s, skus)
}

fn plan_pricing(p: &Product, s: &Sku, skus: &[Sku]) -> Vec<&'static str> {
    if p.kind != Kind::SaaS {
        return vec![match mix(p.seed, 31) % 3 {
            0 => "Byol",
            1 => "Free",
            _ => "Payg",
        }];
    }
    let mut v = vec![if s.max_q > 1 { "PerUser" } else { "FlatRate" }];
    if arm_trial(p, s, skus) {
        v.push("FreeTrial");
    }
    v
}

fn summary(cat: &Catalog, p: &Product, day: NaiveDate) -> Value {
    let publisher = cat.publisher(p);
    let skus = cat.skus(p);
    let categories = cat.categories(p);
    let mut pricing: Vec<&str> = Vec::new();
    for s in &skus {
        for t in plan_pricing(p, s, &skus) {
            if !pricing.contains(&t) {
                pricing.push(t);
            }
        }
    }
    let csp = if p.flags & F_PC != 0 {
        "OptIn"
    } else {
        "OptOut"
    };
    let plans: Vec<Value> = skus
        .iter()
        .map(|s| {
            json!({
                "planId": s.plan_id,
                "uniquePlanId": format!("{}.{}.{}", publisher.id, p.offer, s.plan_id),
                "displayName": s.title,
                "skuId": s.id,
                "cspState": csp,
                "categoryIds": categories,
                "pricingTypes": plan_pricing(p, s, &skus),
                "summary": s.description,
                "description": s.description,
                "isPrivate": false,
            })
        })
        .collect();
    let starting = (p.kind == Kind::SaaS).then(|| {
        let min = skus
            .iter()
            .flat_map(|s| s.terms.iter().map(move |t| (s, *t)))
            .map(|(s, t)| cat.price(p, s, t, 0, day).0 / f64::from(t.charge_months()))
            .fold(f64::INFINITY, f64::min);
        json!({"market": "US", "termUnits": "P1M", "minTermPrice": if min.is_finite() { (min * 100.0).round() / 100.0 } else { 0.0 }, "currency": "USD"})
    });
    let description = cat.description(p);
    let industries: Vec<&str> = if mix(p.seed, 41).is_multiple_of(10) {
        vec![INDUSTRIES[(mix(p.seed, 42) % INDUSTRIES.len() as u64) as usize]]
    } else {
        vec![]
    };
    let modified = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(day)
        + Duration::days((mix(p.seed, 43) % 600) as i64);
    json!({
        "uniqueProductId": format!("{}.{}", publisher.id, p.offer),
        "offerId": p.offer,
        "displayName": Catalog::arm_display_name(p),
        "publisherId": publisher.id,
        "publisherDisplayName": publisher.name,
        "publisherType": if publisher.microsoft { "Microsoft" } else { "ThirdParty" },
        "productType": p.kind.arm(),
        "categoryIds": categories,
        "industryIds": industries,
        "summary": description.split(". ").next().unwrap_or(""),
        "longSummary": description,
        "description": description,
        "pricingTypes": pricing,
        "hasFreeTrials": skus.iter().any(|s| arm_trial(p, s, &skus)),
        "popularity": (unit(mix(p.seed, 44)) * 1000.0).round() / 10.0,
        "ratingAverage": 3.0 + (unit(mix(p.seed, 45)) * 20.0).round() / 10.0,
        "startingPrice": starting,
        "plans": plans,
        "lastModifiedDateTime": format!("{modified}T00:00:00Z"),
    })
}

/// Checks the subscription id and api-version (both versions are served unless the sandbox is
/// told to refuse the newer one); `Err` is a ready ARM error. `Ok` is the version asked for.
fn guard(app: &super::App, sub: &str, q: &Query) -> Result<&'static str, Response> {
    if !sub.eq_ignore_ascii_case(super::SANDBOX_ARM_SUBSCRIPTION) {
        return Err(error_obj(
            StatusCode::NOT_FOUND,
            "SubscriptionNotFound",
            &format!("The subscription '{sub}' could not be found."),
        ));
    }
    if q.get("api-version").is_none_or(|v| v.trim().is_empty()) {
        return Err(error_obj(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    }
    let asked = q.get("api-version").unwrap_or("").trim();
    let preview_only = app
        .arm_preview_only
        .load(std::sync::atomic::Ordering::Relaxed);
    let supported = if preview_only {
        format!("'{PREVIEW_API_VERSION}'")
    } else {
        format!("'{API_VERSION}, {PREVIEW_API_VERSION}'")
    };
    match asked {
        v if v == PREVIEW_API_VERSION => Ok(PREVIEW_API_VERSION),
        v if v == API_VERSION && !preview_only => Ok(API_VERSION),
        v => Err(error_obj(
            StatusCode::BAD_REQUEST,
            "NoRegisteredProviderFound",
            &format!(
                "No registered resource provider found for location 'global' and API version '{v}' for type \
                 'products'. The supported api-versions are {supported}. The supported locations are ''."
            ),
        )),
    }
}

/// `GET /subscriptions/{sub}/providers/Microsoft.Marketplace/products?api-version=…[&$search=][&$skiptoken=]`.
pub(crate) async fn list(
    State(app): State<Shared>,
    Path(sub): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let version = match guard(&app, &sub, &q) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (start, search) = match q.get("$skiptoken") {
        Some(tok) => match decode_token(tok).as_deref() {
            Some([kind, start, search]) if kind == "arm" => {
                (start.parse::<usize>().unwrap_or(0), search.clone())
            }
            _ => {
                return error_obj(
                    StatusCode::BAD_REQUEST,
                    "InvalidSkipToken",
                    "The $skiptoken is not valid.",
                )
            }
        },
        None => (0, q.get("$search").unwrap_or("").trim().to_lowercase()),
    };
    let cat = &app.cat;
    let day = app.clock.now().date_naive();
    let matches = |i: usize| {
        let Some(p) = cat.products.get(i) else {
            return false;
        };
        if p.flags & F_ARM == 0 || !cat.present(i, p, day) {
            return false;
        }
        search.is_empty()
            || Catalog::arm_display_name(p)
                .to_lowercase()
                .contains(&search)
            || cat.publisher(p).name.to_lowercase().contains(&search)
    };
    let mut value = Vec::new();
    let mut i = start;
    while i < cat.products.len() && value.len() < PAGE {
        if matches(i) {
            value.push(summary(cat, &cat.products[i], day));
        }
        i += 1;
    }
    // The two versions wrap a page differently (reference §14.3).
    let (items_key, next_key) = if version == API_VERSION {
        ("value", "nextLink")
    } else {
        ("items", "nextPageLink")
    };
    let mut body = json!({});
    body[items_key] = json!(value);
    body[next_key] = Value::Null;
    if (i..cat.products.len()).any(matches) {
        // An opaque continuation inside the server's own link (2025-05-01 defines no $skiptoken).
        let tok = encode_token(&["arm", &i.to_string(), &search]);
        let path = format!("subscriptions/{sub}/providers/Microsoft.Marketplace/products?api-version={version}&$skiptoken={tok}");
        if let Ok(u) = app.base.join(&path) {
            body[next_key] = json!(u.to_string());
        }
    }
    http::ok(&body)
}

fn term_json(cat: &Catalog, p: &Product, s: &Sku, t: Term, market: usize, day: NaiveDate) -> Value {
    let m = &MARKETS[market];
    let (price, _) = cat.price(p, s, t, market, day);
    let total = super::data::round_price(
        price * f64::from(t.term_months() / t.charge_months()),
        m.decimals,
    );
    json!({
        "termId": Catalog::term_id(p, s, Some(t)),
        "termUnit": t.duration(),
        "price": {"currencyCode": m.currency, "listPrice": total, "msrp": total},
        "billingPlan": {"billingPeriod": if t.charge_months() == 12 { "P1Y" } else { "P1M" }, "price": price},
        "isAutorenewable": true,
        "renewTermId": Catalog::term_id(p, s, Some(t)),
        "renewTermUnits": t.duration(),
    })
}

/// `GET …/products/{uniqueProductId}?api-version=…&market=US`.
pub(crate) async fn get_one(
    State(app): State<Shared>,
    Path((sub, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::parse(raw.as_deref());
    if let Err(r) = guard(&app, &sub, &q) {
        return r;
    }
    let market = q.get("market").unwrap_or("US");
    let Some(mi) = market_index(market) else {
        return error_obj(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("Market '{market}' is not supported."),
        );
    };
    let cat = &app.cat;
    let day = app.clock.now().date_naive();
    let Some(i) = cat
        .arm_product(&id)
        .filter(|i| cat.present(*i, &cat.products[*i], day))
    else {
        return error_obj(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("Product '{id}' was not found."),
        );
    };
    let p = &cat.products[i];
    let publisher = cat.publisher(p);
    let mut v = summary(cat, p, day);
    let skus = cat.skus(p);
    let sold = p.kind == Kind::SaaS && Catalog::sold_in(p, mi);
    if let Some(plans) = v["plans"].as_array_mut() {
        for (plan, s) in plans.iter_mut().zip(&skus) {
            let mut terms: Vec<Value> = s
                .terms
                .iter()
                .map(|t| term_json(cat, p, s, *t, mi, day))
                .collect();
            if arm_trial(p, s, &skus) {
                terms.push(json!({
                    "termId": Catalog::term_id(p, s, None),
                    "termUnit": "P1M",
                    "price": {"currencyCode": MARKETS[mi].currency, "listPrice": 0, "msrp": 0},
                    "billingPlan": null,
                    "isAutorenewable": false,
                }));
            }
            let availabilities = if sold {
                json!([{"id": cat.availability_id(p, s, mi), "hasFreeTrials": arm_trial(p, s, &skus), "pricingAudience": "DirectCommercial", "terms": terms}])
            } else {
                json!([])
            };
            plan["availabilities"] = availabilities;
            plan["minQuantity"] = json!(s.min_q);
            plan["maxQuantity"] = json!(s.max_q);
            plan["hasFreeTrials"] = json!(arm_trial(p, s, &skus));
        }
    }
    let mut links = vec![
        json!({"id": "publisher-website", "displayName": "Publisher website", "uri": publisher.website}),
    ];
    if let Some(e) = &publisher.email {
        links.push(json!({"id": "support-email", "displayName": "Support email", "uri": format!("mailto:{e}")}));
    }
    if let Some(t) = &publisher.phone {
        links.push(json!({"id": "support-phone", "displayName": "Support phone", "uri": format!("tel:{t}")}));
    }
    v["supportUri"] = json!(publisher.support_uri);
    v["privacyPolicyUri"] = json!(format!("{}legal/privacy", publisher.website));
    v["legalTermsUri"] = json!(format!("{}legal/terms/{}", publisher.website, p.offer));
    v["cspLegalTermsUri"] = json!(format!("{}legal/csp-terms/{}", publisher.website, p.offer));
    v["links"] = json!(links);
    v["isStopSell"] = json!(false);
    v["stopSellInfo"] = Value::Null;
    v["isReseller"] = json!(false);
    v["market"] = json!(MARKETS[mi].code);
    http::ok(&v)
}
