//! Customer subscriptions: creation from an order line, the wire JSON, listing, activation
//! links, and the PATCH that cancels, toggles auto-renew, changes quantity or renames
//! (reference §7). Cancellation is allowed only up to `cancellationAllowedUntilDate`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Months, Utc};
use rand::Rng;
use serde_json::{json, Value};

use super::customers;
use super::data::{Customer, MARKETS};
use super::http::{self, ci_bool, ci_i64, ci_str, link, parse_body, pc_error, Query};
use super::orders::mint_links;
use super::products::{Catalog, Product, Sku, Term};
use super::state::{store_failed, Change, SubRec};
use super::Shared;

pub(crate) fn add_months(t: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    t.checked_add_months(Months::new(n))
        .unwrap_or(t + Duration::days(30 * i64::from(n)))
}

/// What a new subscription is made from.
pub(crate) struct NewSub<'a> {
    pub id: String,
    pub customer: &'a Customer,
    pub order_id: &'a str,
    pub product: &'a Product,
    pub sku: &'a Sku,
    pub market: usize,
    /// `None` = free trial.
    pub term: Option<Term>,
    pub quantity: u32,
    pub friendly_name: Option<String>,
    pub renews_to: Option<String>,
    pub created: DateTime<Utc>,
}

/// A pending subscription as checkout creates it.
pub(crate) fn new_sub(cat: &Catalog, n: NewSub<'_>) -> SubRec {
    let p = n.product;
    let publisher = cat.publisher(p);
    let offer_name = format!("{} - {}", p.title, n.sku.title);
    let (cycle, duration, months, window_days) = match n.term {
        Some(t) => (t.cycle(), t.duration(), t.term_months(), t.refund_days()),
        None => ("none", "P1M", 1, 30),
    };
    let end = add_months(n.created, months);
    let cancel_until = match n.term {
        Some(t) => n.created + Duration::days(t.refund_days()),
        None => end,
    };
    SubRec {
        id: n.id,
        customer_id: n.customer.id.clone(),
        order_id: n.order_id.to_string(),
        country: MARKETS[n.market].code.to_string(),
        currency: MARKETS[n.market].currency.to_string(),
        product_id: p.id.clone(),
        sku_id: n.sku.id.clone(),
        availability_id: cat.availability_id(p, n.sku, n.market),
        publisher_id: publisher.id.clone(),
        publisher_name: publisher.name.clone(),
        is_microsoft: publisher.microsoft,
        plan_id: n.sku.plan_id.clone(),
        offer_name: offer_name.clone(),
        friendly_name: n
            .friendly_name
            .filter(|f| !f.trim().is_empty())
            .unwrap_or(offer_name),
        quantity: n.quantity,
        created: n.created,
        effective_start: n.created,
        commitment_end: end - Duration::days(1),
        cancel_until,
        window_days,
        status: "pending".into(),
        auto_renew: n.term.is_some(),
        is_trial: n.term.is_none(),
        billing_cycle: cycle.into(),
        term_duration: duration.into(),
        renewal_term: n.renews_to,
        etag: new_etag(),
        activated: None,
        ended: None,
    }
}

pub(crate) fn new_etag() -> String {
    rand::thread_rng().gen::<u64>().to_string()
}

pub(crate) fn sub_json(s: &SubRec) -> Value {
    let q = format!("country={}", s.country);
    let mut links = json!({
        "product": link(format!("/products/{}?{q}", s.product_id)),
        "sku": link(format!("/products/{}/skus/{}?{q}", s.product_id, s.sku_id)),
        "availability": link(format!("/products/{}/skus/{}/availabilities/{}?{q}", s.product_id, s.sku_id, s.availability_id)),
        "self": link(format!("/customers/{}/subscriptions/{}", s.customer_id, s.id)),
    });
    if s.status == "pending" {
        links["activationLinks"] = link(format!(
            "/customers/{}/subscriptions/{}/activationlinks",
            s.customer_id, s.id
        ));
    }
    json!({
        "id": s.id,
        "offerId": format!("{}:{}:{}", s.product_id, s.sku_id, s.availability_id),
        "offerName": s.offer_name,
        "friendlyName": s.friendly_name,
        "quantity": s.quantity,
        "unitType": "License(s)",
        "hasPurchasableAddons": false,
        "creationDate": http::ts(s.created),
        "effectiveStartDate": http::ts(s.effective_start),
        "commitmentEndDate": http::ts(s.commitment_end),
        "cancellationAllowedUntilDate": http::ts(s.cancel_until),
        "status": s.status,
        "autoRenewEnabled": s.auto_renew,
        "isTrial": s.is_trial,
        "billingType": "license",
        "billingCycle": s.billing_cycle,
        "termDuration": s.term_duration,
        "renewalTermDuration": s.renewal_term.clone().unwrap_or_default(),
        "refundOptions": [{"type": "Full", "expiresAt": http::ts(s.cancel_until)}],
        "isMicrosoftProduct": s.is_microsoft,
        "partnerId": "",
        "contractType": "subscription",
        "publisherName": s.publisher_name,
        "orderId": s.order_id,
        "productType": {"id": "Azure", "displayName": "Azure", "subType": {"id": "SaaS", "displayName": "SaaS"}},
        "links": links,
        "attributes": {"etag": s.etag, "objectType": "Subscription"},
    })
}

fn sub_not_found(sid: &str) -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        20003,
        &format!("Subscription with ID {sid} not found."),
    )
}

fn find(app: &Shared, cid: &str, sid: &str) -> Result<SubRec, Response> {
    customers::find(app, cid)?;
    app.with_state(|st| {
        st.subs
            .get(&sid.to_ascii_lowercase())
            .filter(|s| s.customer_id.eq_ignore_ascii_case(cid))
            .cloned()
    })
    .ok_or_else(|| sub_not_found(sid))
}

/// `GET /v1/customers/{cid}/subscriptions[?order_id=]`.
pub(crate) async fn list(
    State(app): State<Shared>,
    Path(cid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(r) = customers::find(&app, &cid) {
        return r;
    }
    let q = Query::parse(raw.as_deref());
    let order = q.get("order_id").map(str::to_string);
    let mut subs: Vec<SubRec> = app.with_state(|st| {
        st.subs
            .values()
            .filter(|s| {
                s.customer_id.eq_ignore_ascii_case(&cid)
                    && order.as_ref().is_none_or(|o| &s.order_id == o)
            })
            .cloned()
            .collect()
    });
    subs.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    let items = subs.iter().map(sub_json).collect();
    let uri = match &order {
        Some(o) => format!("/customers/{cid}/subscriptions?order_id={o}"),
        None => format!("/customers/{cid}/subscriptions"),
    };
    http::ok(&http::collection(items, &uri))
}

pub(crate) async fn get_one(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
) -> Response {
    match find(&app, &cid, &sid) {
        Ok(s) => http::ok(&sub_json(&s)),
        Err(r) => r,
    }
}

/// `GET …/subscriptions/{id}/activationlinks`: a fresh link while pending, else empty.
pub(crate) async fn links(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
) -> Response {
    let s = match find(&app, &cid, &sid) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let uri = format!(
        "/customers/{}/subscriptions/{}/activationlinks",
        s.customer_id, s.id
    );
    let result = app.with_state(|st| {
        let Some(order) = st.orders.get(&s.order_id).cloned() else {
            return Ok(vec![]);
        };
        let line = order
            .lines
            .iter()
            .find(|l| l.subscription_id.eq_ignore_ascii_case(&s.id))
            .map(|l| l.number);
        let (items, changes) = mint_links(&app, st, &order, line);
        app.commit(st, changes).map(|_| items)
    });
    match result {
        Ok(items) => http::ok(&http::collection(items, &uri)),
        Err(e) => store_failed(&e),
    }
}

fn refuse(code: u64, msg: &str) -> Response {
    pc_error(StatusCode::BAD_REQUEST, code, msg)
}

/// `PATCH …/subscriptions/{id}` with a full Subscription body.
pub(crate) async fn patch(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = find(&app, &cid, &sid) {
        return r;
    }
    let now = app.clock.now();
    let result = app.with_state(|st| {
        let Some(cur) = st.subs.get(&sid.to_ascii_lowercase()).cloned() else {
            return Err(sub_not_found(&sid));
        };
        let next = apply_patch(&app, &cur, &body, now)?;
        let out = sub_json(&next);
        app.commit(st, vec![Change::Sub(Box::new(next))])
            .map_err(|e| store_failed(&e))?;
        Ok(out)
    });
    match result {
        Ok(v) => http::ok(&v),
        Err(r) => r,
    }
}

fn apply_patch(
    app: &Shared,
    cur: &SubRec,
    body: &Value,
    now: DateTime<Utc>,
) -> Result<SubRec, Response> {
    let status = ci_str(body, "status")
        .map(str::to_ascii_lowercase)
        .filter(|s| *s != cur.status);
    let auto = ci_bool(body, "autoRenewEnabled").filter(|a| *a != cur.auto_renew);
    let quantity = match ci_i64(body, "quantity") {
        Some(q) if q != i64::from(cur.quantity) => Some(q),
        _ => None,
    };
    let name = ci_str(body, "friendlyName")
        .filter(|n| *n != cur.friendly_name)
        .map(str::to_string);
    let changed = status.is_some() || auto.is_some() || quantity.is_some() || name.is_some();
    if !changed {
        return Ok(cur.clone());
    }
    if cur.status == "deleted" {
        return Err(refuse(
            2011,
            &format!(
                "Subscription with ID {} and deleted status cannot be updated.",
                cur.id
            ),
        ));
    }
    if cur.status == "suspended" {
        return Err(refuse(
            800091,
            "Cannot update a subscription with suspended status",
        ));
    }
    let mut next = cur.clone();
    if let Some(s) = status {
        if s != "deleted" {
            return Err(refuse(
                800096,
                "Cannot update the status for this subscription",
            ));
        }
        // ASSUMPTION: 900117 is the code for a cancellation after the window (reference §7.5).
        if now > cur.cancel_until {
            return Err(refuse(
                900117,
                &format!("You have passed your {}-day cancellation window. We are unable to cancel your purchase", cur.window_days),
            ));
        }
        next.status = "deleted".into();
        next.auto_renew = false;
        next.ended = Some(now);
        next.etag = new_etag();
        return Ok(next);
    }
    if cur.status == "pending" {
        return Err(refuse(
            800081,
            "Cannot update a subscription before activating it",
        ));
    }
    if let Some(a) = auto {
        if cur.is_trial {
            return Err(refuse(
                800093,
                "The subscription is not eligible to be auto-renewed",
            ));
        }
        next.auto_renew = a;
    }
    if let Some(q) = quantity {
        let bounds = app
            .cat
            .pc_product(&cur.product_id)
            .and_then(|(_, p)| app.cat.sku(p, &cur.sku_id))
            .map_or((1, u32::MAX), |s| (s.min_q, s.max_q));
        if q < i64::from(bounds.0) || q > i64::from(bounds.1) {
            return Err(refuse(
                800017,
                "The quantity is not available for this catalog item",
            ));
        }
        next.quantity = u32::try_from(q).unwrap_or(bounds.0);
    }
    if let Some(n) = name {
        next.friendly_name = n;
    }
    next.etag = new_etag();
    Ok(next)
}
