//! Partner Center catalog endpoints: products → SKUs → availabilities (reference §4).
//!
//! Everything is derived from the compact generated catalog on each request. Product JSON
//! carries no categories or contacts (those live only in the ARM catalog, reference §12).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::data::{market_index, MARKETS};
use super::http::{
    self, continuation, decode_token, encode_token, invalid_input, link, pc_error, Query,
};
use super::products::{Catalog, Kind, Product, Sku, Term, F_PC};
use super::Shared;

/// ASSUMPTION: Partner Center returns the product list whole; 100 000 products would be one
/// enormous body, so the sandbox pages it at 1000 with the same seek mechanism as customers.
const PRODUCT_PAGE: usize = 1000;

pub(crate) fn product_json(cat: &Catalog, p: &Product, country: &str) -> Value {
    json!({
        "id": p.id,
        "title": p.title,
        "description": cat.description(p),
        "productType": {
            "id": "Azure",
            "displayName": "Azure",
            "subType": {"id": p.kind.pc_subtype(), "displayName": p.kind.pc_subtype()},
        },
        "isMicrosoftProduct": cat.publisher(p).microsoft,
        "publisherName": cat.publisher(p).name,
        "links": {
            "skus": link(format!("/products/{}/skus?country={country}", p.id)),
            "self": link(format!("/products/{}?country={country}", p.id)),
        },
    })
}

pub(crate) fn sku_json(cat: &Catalog, p: &Product, s: &Sku, country: &str) -> Value {
    let mut cycles = Vec::new();
    if s.terms.iter().any(|t| t.cycle() == "monthly") {
        cycles.push("monthly");
    }
    if s.terms.contains(&Term::Y1Annual) {
        cycles.push("annual");
    }
    if s.is_trial {
        cycles.push("none");
    }
    let publisher = cat.publisher(p);
    json!({
        "id": s.id,
        "productId": p.id,
        "title": s.title,
        "description": s.description,
        "minimumQuantity": s.min_q,
        "maximumQuantity": s.max_q,
        "isTrial": s.is_trial,
        "supportedBillingCycles": cycles,
        "purchasePrerequisites": [],
        "inventoryVariables": [],
        "provisioningVariables": [],
        "actions": ["Refund"],
        "dynamicAttributes": {"isMicrosoftProduct": publisher.microsoft, "hasConstraints": false, "isAddon": false, "prerequisiteSkus": []},
        "termsOfUseUri": format!("{}legal/terms-of-use/{}", publisher.website, p.offer),
        "links": {
            "availabilities": link(format!("/products/{}/skus/{}/availabilities?country={country}", p.id, s.id)),
            "self": link(format!("/products/{}/skus/{}?country={country}", p.id, s.id)),
        },
    })
}

pub(crate) fn term_json(p: &Product, s: &Sku, t: Term) -> Value {
    json!({
        "id": Catalog::term_id(p, s, Some(t)),
        "duration": t.duration(),
        "description": t.description(),
        "billingCycle": t.billing(),
        "cancellationPolicies": [{"refundOptions": [{"sequenceId": 0, "type": "Full", "expiresAfter": format!("P{}D", t.refund_days())}]}],
    })
}

/// ASSUMPTION: a SaaS free trial is an extra term with `billingCycle: "None"`.
pub(crate) fn trial_term_json(p: &Product, s: &Sku) -> Value {
    json!({
        "id": Catalog::term_id(p, s, None),
        "duration": "P1M",
        "description": "One-Month free trial",
        "billingCycle": "None",
    })
}

pub(crate) fn availability_json(cat: &Catalog, p: &Product, s: &Sku, market: usize) -> Value {
    let m = &MARKETS[market];
    let aid = cat.availability_id(p, s, market);
    let mut terms: Vec<Value> = s.terms.iter().map(|t| term_json(p, s, *t)).collect();
    if s.trial {
        terms.push(trial_term_json(p, s));
    }
    let saas = p.kind == Kind::SaaS;
    let term_ids: Vec<String> = if s.is_trial {
        vec![Catalog::term_id(p, s, None)]
    } else {
        s.terms
            .iter()
            .map(|t| Catalog::term_id(p, s, Some(*t)))
            .collect()
    };
    // A trial SKU renews to the paid plan it turns into.
    let renew_to = if s.is_trial {
        cat.skus(p).into_iter().find(|k| k.trial_sku).map(|k| k.id)
    } else {
        None
    };
    let renew_to = renew_to.as_deref().unwrap_or(&s.id);
    json!({
        "id": aid,
        "productId": p.id,
        "skuId": s.id,
        "catalogItemId": format!("{}:{}:{}", p.id, s.id, aid),
        "defaultCurrency": {"code": m.currency, "symbol": m.symbol},
        "segment": "commercial",
        "country": m.code,
        "isPurchasable": saas,
        "isRenewable": saas,
        "renewalInstructions": [{
            "applicableTermIds": term_ids,
            "renewalOptions": [{"renewToId": format!("{}:{renew_to}", p.id), "isAutoRenewable": true}],
        }],
        "terms": terms,
        "links": {"self": link(format!("/products/{}/skus/{}/availabilities/{}?country={}", p.id, s.id, aid, m.code))},
    })
}

pub(crate) fn today(app: &Shared) -> NaiveDate {
    app.clock.now().date_naive()
}

/// The `country` query parameter as a market index; `Err` is a ready 400.
fn country(q: &Query) -> Result<usize, Response> {
    let Some(c) = q.get("country").filter(|c| !c.trim().is_empty()) else {
        return Err(invalid_input("the country parameter is required"));
    };
    market_index(c.trim())
        .ok_or_else(|| invalid_input(&format!("country {c} is not a supported market")))
}

fn product_not_found() -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        400013,
        "The parent product was not found.",
    )
}

/// Finds a listed product (visible to Partner Center and present today).
fn find<'a>(app: &'a Shared, pid: &str) -> Result<&'a Product, Response> {
    match app.cat.pc_product(pid) {
        Some((i, p)) if app.cat.present(i, p, today(app)) => Ok(p),
        _ => Err(product_not_found()),
    }
}

/// `GET /v1/products?country=&targetView=` (seek-paged, see [`PRODUCT_PAGE`]).
/// ASSUMPTION: every targetView value returns all marketplace items sold in the country.
pub(crate) async fn list_products(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let (market, view, start) = if q.seek_next() {
        let Some(tok) = continuation(&headers, &q) else {
            return invalid_input("seekOperation=Next needs the MS-ContinuationToken header");
        };
        match decode_token(&tok).as_deref() {
            Some([kind, c, view, start]) if kind == "products" => {
                match (market_index(c), start.parse::<usize>()) {
                    (Some(m), Ok(s)) => (m, view.clone(), s),
                    _ => return invalid_input("the continuation token is not valid"),
                }
            }
            _ => return invalid_input("the continuation token is not valid"),
        }
    } else {
        let m = match country(&q) {
            Ok(m) => m,
            Err(r) => return r,
        };
        let Some(view) = q.get("targetView").filter(|v| !v.trim().is_empty()) else {
            return invalid_input("the targetView parameter is required");
        };
        (m, view.to_string(), 0)
    };
    let code = MARKETS[market].code;
    let day = today(&app);
    let cat = &app.cat;
    let listed = |i: usize| {
        cat.products.get(i).is_some_and(|p| {
            p.flags & F_PC != 0 && Catalog::sold_in(p, market) && cat.present(i, p, day)
        })
    };
    let mut items = Vec::new();
    let mut i = start;
    while i < cat.products.len() && items.len() < PRODUCT_PAGE {
        if listed(i) {
            items.push(product_json(cat, &cat.products[i], code));
        }
        i += 1;
    }
    let more = (i..cat.products.len()).any(listed);
    let self_uri = format!("/products?country={code}&targetView={view}");
    let next = more.then(|| {
        let token = encode_token(&["products", code, &view, &i.to_string()]);
        (
            format!("/products?country={code}&targetView={view}&seekOperation=Next"),
            token,
        )
    });
    let (v, token) = http::seek_collection(items, &self_uri, next);
    http::seek_response(&v, token)
}

/// Common prologue: (market, product, optional sku) or a ready error.
fn lookup<'a>(
    app: &'a Shared,
    raw: Option<&str>,
    pid: &str,
    sid: Option<&str>,
) -> Result<(usize, &'a Product, Option<Sku>), Response> {
    let q = Query::parse(raw);
    let market = country(&q)?;
    let p = find(app, pid)?;
    let sku = match sid {
        Some(sid) => Some(app.cat.sku(p, sid).ok_or_else(|| {
            pc_error(
                StatusCode::NOT_FOUND,
                1000,
                &format!("SKU {sid} of product {} was not found.", p.id),
            )
        })?),
        None => None,
    };
    Ok((market, p, sku))
}

pub(crate) async fn get_product(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    match lookup(&app, raw.as_deref(), &pid, None) {
        Ok((m, p, _)) => http::ok(&product_json(&app.cat, p, MARKETS[m].code)),
        Err(r) => r,
    }
}

pub(crate) async fn list_skus(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    match lookup(&app, raw.as_deref(), &pid, None) {
        Ok((m, p, _)) => {
            let code = MARKETS[m].code;
            let items = app
                .cat
                .listed_skus(p)
                .iter()
                .map(|s| sku_json(&app.cat, p, s, code))
                .collect();
            http::ok(&http::collection(
                items,
                &format!("/products/{}/skus?country={code}", p.id),
            ))
        }
        Err(r) => r,
    }
}

pub(crate) async fn get_sku(
    State(app): State<Shared>,
    Path((pid, sid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    match lookup(&app, raw.as_deref(), &pid, Some(&sid)) {
        Ok((m, p, Some(s))) => http::ok(&sku_json(&app.cat, p, &s, MARKETS[m].code)),
        Ok(_) => product_not_found(),
        Err(r) => r,
    }
}

/// Empty collection when the product is not sold in the country.
pub(crate) async fn list_availabilities(
    State(app): State<Shared>,
    Path((pid, sid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    match lookup(&app, raw.as_deref(), &pid, Some(&sid)) {
        Ok((m, p, Some(s))) => {
            let items = if Catalog::sold_in(p, m) {
                vec![availability_json(&app.cat, p, &s, m)]
            } else {
                vec![]
            };
            let uri = format!(
                "/products/{}/skus/{}/availabilities?country={}",
                p.id, s.id, MARKETS[m].code
            );
            http::ok(&http::collection(items, &uri))
        }
        Ok(_) => product_not_found(),
        Err(r) => r,
    }
}

pub(crate) async fn get_availability(
    State(app): State<Shared>,
    Path((pid, sid, aid)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    match lookup(&app, raw.as_deref(), &pid, Some(&sid)) {
        Ok((m, p, Some(s)))
            if Catalog::sold_in(p, m)
                && app.cat.availability_id(p, &s, m).eq_ignore_ascii_case(&aid) =>
        {
            http::ok(&availability_json(&app.cat, p, &s, m))
        }
        Ok(_) => pc_error(
            StatusCode::NOT_FOUND,
            1000,
            &format!("Availability {aid} was not found."),
        ),
        Err(r) => r,
    }
}
