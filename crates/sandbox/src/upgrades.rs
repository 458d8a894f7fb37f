//! Plan changes of marketplace SaaS subscriptions: `GET …/subscriptions/{id}/upgrades` lists the
//! other plans (SKUs) of the same product as `Upgrade` resources with their eligibility, and
//! `POST …/upgrades` with one of them moves the subscription to that plan (same subscription
//! id, as a SaaS plan change keeps it) and answers an `UpgradeResult`. Shapes: "Upgrade
//! resources" and "Manage orders - Get upgrades / Perform a subscription upgrade" on
//! learn.microsoft.com (see `subscriptions::plans` for the sources and assumptions).
//!
//! Rules modelled:
//! * only an active subscription may change plan (pending: `subscription_not_provisioned`;
//!   suspended or cancelled: `subscription_status_not_active`); a free trial may not;
//! * the target must be sold with the subscription's term and billing cycle;
//! * publishers that block downgrades (`Catalog::blocks_downgrades`, about half) have their
//!   lower plans LISTED as not eligible (`isEligible: false`, `upgradeType: none`) with an
//!   `UpgradeError` (`code: other`) saying so — the `Upgrade` resource exists to give reasons;
//! * the POST refuses a target not listed, or listed as not eligible, with a Partner Center
//!   error body (400), and a quantity outside the target's bounds (800017);
//! * the sandbox's publishers approve a plan change at once, so the subscription reads back on
//!   the new plan immediately (charges for the rest of the period are not re-rated here).
//!   Repeats with the same `MS-RequestId` replay the first answer (the idempotency layer).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::customers;
use super::data::MARKETS;
use super::http::{self, ci, ci_i64, ci_str, parse_body, pc_error};
use super::products::{Product, Sku, Term};
use super::state::{store_failed, Change, SubRec};
use super::subscriptions::new_etag;
use super::Shared;

/// ASSUMPTION (no documented code): the Partner Center error code of a refused upgrade.
const UPGRADE_REFUSED: u64 = 800_120;

/// One listed target with its eligibility.
struct Target {
    sku: Sku,
    offer_id: String,
    errors: Vec<(&'static str, String)>,
}

fn find_sub(app: &Shared, cid: &str, sid: &str) -> Result<SubRec, Response> {
    customers::find(app, cid)?;
    app.with_state(|st| {
        st.subs
            .get(&sid.to_ascii_lowercase())
            .filter(|s| s.customer_id.eq_ignore_ascii_case(cid))
            .cloned()
    })
    .ok_or_else(|| {
        pc_error(
            StatusCode::NOT_FOUND,
            20003,
            &format!("Subscription with ID {sid} not found."),
        )
    })
}

/// The other plans of the subscription's product, each with the reasons it cannot be chosen.
fn targets(app: &Shared, s: &SubRec) -> Vec<Target> {
    let Some((_, p)) = app.cat.pc_product(&s.product_id) else {
        return vec![];
    };
    let skus = app.cat.skus(p);
    let Some(cur) = skus.iter().find(|k| k.id == s.sku_id) else {
        return vec![];
    };
    let market = MARKETS
        .iter()
        .position(|m| m.code.eq_ignore_ascii_case(&s.country))
        .unwrap_or(0);
    let term = Term::from_cart(&s.term_duration, &s.billing_cycle);
    skus.iter()
        .filter(|k| k.id != cur.id)
        .map(|k| {
            let mut errors = vec![];
            match s.status.as_str() {
                "active" => {}
                "pending" => errors.push((
                    "subscription_not_provisioned",
                    "The subscription is pending fulfillment: it can change plan once it is activated on the publisher's site.".to_string(),
                )),
                other => errors.push((
                    "subscription_status_not_active",
                    format!("The subscription is {other}; only an active subscription can change plan."),
                )),
            }
            if s.is_trial {
                errors.push((
                    "other",
                    "A free trial cannot change plan; buy the plan you want instead.".to_string(),
                ));
            } else if let Some(t) = term.filter(|t| !k.terms.contains(t)) {
                errors.push((
                    "other",
                    format!("{} is not sold with this subscription's term ({}).", k.title, t.description()),
                ));
            }
            if k.index < cur.index && app.cat.blocks_downgrades(p) {
                errors.push((
                    "other",
                    format!("The publisher does not allow downgrades from {} to {}.", cur.title, k.title),
                ));
            }
            Target {
                offer_id: format!("{}:{}:{}", p.id, k.id, app.cat.availability_id(p, k, market)),
                sku: k.clone(),
                errors,
            }
        })
        .collect()
}

fn upgrade_json(p: &Product, s: &SubRec, t: &Target) -> Value {
    let k = &t.sku;
    let mut cycles: Vec<&str> = k.terms.iter().map(|t| t.cycle()).collect();
    cycles.dedup();
    let eligible = t.errors.is_empty();
    json!({
        "targetOffer": {
            "id": t.offer_id,
            "name": k.title,
            "description": k.description,
            "minimumQuantity": k.min_q,
            "maximumQuantity": k.max_q,
            "rank": k.index,
            "locale": "en-US",
            "country": s.country,
            "isAddOn": false,
            "hasAddOns": false,
            "isAvailableForPurchase": true,
            "billing": "license",
            "supportedBillingCycles": cycles,
            "isAutoRenewable": true,
            "isTrial": false,
            "unitType": "License(s)",
            "product": {"id": p.id, "name": p.title, "unit": "License(s)"},
            "attributes": {"objectType": "Offer"},
        },
        "upgradeType": if eligible { "upgrade_only" } else { "none" },
        "isEligible": eligible,
        "quantity": s.quantity,
        "upgradeErrors": t.errors.iter().map(|(code, d)| json!({
            "code": code,
            "description": d,
            "additionalDetails": "",
            "attributes": {"objectType": "UpgradeError"},
        })).collect::<Vec<_>>(),
        "attributes": {"objectType": "Upgrade"},
    })
}

/// `GET /v1/customers/{cid}/subscriptions/{sid}/upgrades`.
pub(crate) async fn list(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
) -> Response {
    let s = match find_sub(&app, &cid, &sid) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let items: Vec<Value> = match app.cat.pc_product(&s.product_id) {
        Some((_, p)) => targets(&app, &s)
            .iter()
            .map(|t| upgrade_json(p, &s, t))
            .collect(),
        None => vec![],
    };
    http::ok(&http::collection(
        items,
        &format!(
            "/customers/{}/subscriptions/{}/upgrades",
            s.customer_id, s.id
        ),
    ))
}

/// `POST /v1/customers/{cid}/subscriptions/{sid}/upgrades` with an `Upgrade` body.
pub(crate) async fn perform(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = find_sub(&app, &cid, &sid) {
        return r;
    }
    // Decide and commit under the state lock, on the record as it is now.
    app.with_state(|st| {
        let Some(cur) = st.subs.get(&sid.to_ascii_lowercase()).cloned() else {
            return pc_error(
                StatusCode::NOT_FOUND,
                20003,
                &format!("Subscription with ID {sid} not found."),
            );
        };
        match upgraded(&app, &cur, &body) {
            Ok((next, result)) => match app.commit(st, vec![Change::Sub(Box::new(next))]) {
                Ok(()) => http::ok(&result),
                Err(e) => store_failed(&e),
            },
            Err(r) => r,
        }
    })
}

/// The subscription moved to the plan `body` asks for, and the `UpgradeResult`; or the refusal.
fn upgraded(app: &Shared, cur: &SubRec, body: &Value) -> Result<(SubRec, Value), Response> {
    let Some(target_id) = ci(body, "targetOffer")
        .and_then(|o| ci_str(o, "id"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Err(pc_error(
            StatusCode::BAD_REQUEST,
            400,
            "targetOffer.id is required: the offer to upgrade to.",
        ));
    };
    let Some((_, p)) = app.cat.pc_product(&cur.product_id) else {
        return Err(pc_error(
            StatusCode::BAD_REQUEST,
            UPGRADE_REFUSED,
            "Upgrade cannot be performed because the source subscription does not have upgrade paths.",
        ));
    };
    let all = targets(app, cur);
    let Some(t) = all
        .iter()
        .find(|t| t.offer_id.eq_ignore_ascii_case(target_id))
    else {
        return Err(pc_error(
            StatusCode::BAD_REQUEST,
            UPGRADE_REFUSED,
            &format!("Upgrade cannot be performed because {target_id} is not an available upgrade path for subscription {}.", cur.id),
        ));
    };
    if let Some((_, why)) = t.errors.first() {
        return Err(pc_error(StatusCode::BAD_REQUEST, UPGRADE_REFUSED, why));
    }
    let quantity = ci_i64(body, "quantity")
        .filter(|q| *q > 0)
        .unwrap_or(i64::from(cur.quantity));
    if quantity < i64::from(t.sku.min_q) || quantity > i64::from(t.sku.max_q) {
        return Err(pc_error(
            StatusCode::BAD_REQUEST,
            800017,
            "The quantity is not available for this catalog item",
        ));
    }
    let mut next = cur.clone();
    let new_name = format!("{} - {}", p.title, t.sku.title);
    if next.friendly_name == next.offer_name {
        next.friendly_name = new_name.clone();
    }
    next.offer_name = new_name;
    next.sku_id = t.sku.id.clone();
    next.plan_id = t.sku.plan_id.clone();
    next.availability_id = t
        .offer_id
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    next.quantity = u32::try_from(quantity).unwrap_or(t.sku.min_q);
    next.etag = new_etag();
    let result = json!({
        "sourceSubscriptionId": cur.id,
        "targetSubscriptionId": cur.id,
        "upgradeType": "upgrade_only",
        "upgradeErrors": [],
        "licenseErrors": [],
        "attributes": {"objectType": "UpgradeResult"},
    });
    Ok((next, result))
}
