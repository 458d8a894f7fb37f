//! Buying: carts and checkout (reference §5.1, §5.2).
//!
//! A cart line is validated the way Partner Center does for marketplace SaaS (offer id,
//! customer country, purchasability, quantity bounds, term/billing combination). Checkout
//! makes one order per order group (one per line) and one pending subscription per line.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use serde_json::{json, Value};

use super::customers;
use super::data::{Customer, MARKETS};
use super::http::{self, ci, ci_i64, ci_str, invalid_input, link, parse_body, pc_error};
use super::orders::{order_json, rand_hex, rand_urlsafe};
use super::products::{Kind, Term};
use super::state::{store_failed, CartLine, CartRec, Change, OrderLine, OrderRec};
use super::subscriptions::{new_sub, NewSub};
use super::{App, Shared};

fn cart_json(c: &CartRec) -> Value {
    let lines: Vec<Value> = c
        .lines
        .iter()
        .map(|l| {
            let mut v = json!({
                "id": l.id,
                "catalogItemId": l.catalog_item_id,
                "quantity": l.quantity,
                "currencyCode": l.currency,
                "billingCycle": l.billing_cycle,
                "termDuration": l.term_duration,
                "orderGroup": l.order_group,
            });
            if let Some(f) = &l.friendly_name {
                v["friendlyName"] = json!(f);
            }
            if let Some(r) = &l.renews_to {
                v["renewsTo"] = json!({"termDuration": r});
            }
            if let Some(p) = &l.provisioning_context {
                v["provisioningContext"] = p.clone();
            }
            v
        })
        .collect();
    json!({
        "id": c.id,
        "creationTimestamp": http::ts(c.created),
        "lastModifiedTimestamp": http::ts(c.modified),
        "expirationTimestamp": http::ts(c.expires),
        "lastModifiedUser": c.user,
        "status": c.status,
        "lineItems": lines,
        "links": {"self": link(format!("/customers/{}/carts/{}", c.customer_id, c.id))},
        "attributes": {"objectType": "Cart"},
    })
}

fn bad(status: StatusCode, code: u64, msg: &str) -> Response {
    pc_error(status, code, msg)
}

/// Validates one requested cart line against the catalog and the customer's country.
fn validate_line(
    app: &App,
    cust: &Customer,
    index: usize,
    v: &Value,
) -> Result<CartLine, Response> {
    let item = ci_str(v, "catalogItemId")
        .or_else(|| ci_str(v, "catalogId"))
        .unwrap_or("")
        .trim();
    let Some((pi, sku, market)) = app.cat.resolve_item(item) else {
        return Err(bad(StatusCode::BAD_REQUEST, 800004, "Invalid offer Id"));
    };
    let p = &app.cat.products[pi];
    if !app.cat.present(pi, p, app.clock.now().date_naive()) {
        return Err(bad(
            StatusCode::FORBIDDEN,
            2091,
            "The offer is no longer available for purchase",
        ));
    }
    if market != cust.market {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            800070,
            "Offer is not available in the specified country",
        ));
    }
    if p.kind != Kind::SaaS {
        return Err(bad(
            StatusCode::FORBIDDEN,
            800020,
            "The catalog item is not eligible for purchase.",
        ));
    }
    let quantity = ci_i64(v, "quantity").unwrap_or(1);
    if quantity < i64::from(sku.min_q) || quantity > i64::from(sku.max_q) {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            800017,
            "The quantity is not available for this catalog item",
        ));
    }
    let cycle = ci_str(v, "billingCycle")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let duration = ci_str(v, "termDuration")
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    let renews_to = match ci(v, "renewsTo") {
        Some(Value::Array(a)) => a
            .first()
            .and_then(|r| ci_str(r, "termDuration"))
            .map(str::to_string),
        Some(r) => ci_str(r, "termDuration").map(str::to_string),
        None => None,
    };
    let ok = if cycle == "none" {
        sku.trial && duration == "P1M"
    } else {
        Term::from_cart(&duration, &cycle).is_some_and(|t| sku.terms.contains(&t))
    };
    if !ok {
        return Err(invalid_input(&format!(
            "termDuration {duration:?} with billingCycle {cycle:?} is not offered by {item}"
        )));
    }
    Ok(CartLine {
        id: ci_i64(v, "id").unwrap_or(index as i64),
        catalog_item_id: format!(
            "{}:{}:{}",
            p.id,
            sku.id,
            app.cat.availability_id(p, &sku, market)
        ),
        friendly_name: ci_str(v, "friendlyName").map(str::to_string),
        quantity: u32::try_from(quantity).unwrap_or(sku.min_q),
        currency: MARKETS[market].currency.to_string(),
        billing_cycle: cycle,
        term_duration: duration,
        renews_to,
        order_group: index.to_string(),
        provisioning_context: ci(v, "provisioningContext")
            .filter(|p| !p.is_null())
            .cloned(),
    })
}

fn validate_lines(app: &App, cust: &Customer, body: &Value) -> Result<Vec<CartLine>, Response> {
    let lines = match ci(body, "lineItems") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => return Err(invalid_input("the cart needs at least one line item")),
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| validate_line(app, cust, i, l))
        .collect()
}

/// `POST /v1/customers/{cid}/carts` → 201 Cart.
pub(crate) async fn create_cart(
    State(app): State<Shared>,
    Path(cid): Path<String>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let cust = match customers::find(&app, &cid) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let lines = match validate_lines(&app, cust, &body) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let now = app.clock.now();
    let cart = CartRec {
        id: uuid::Uuid::new_v4().to_string(),
        customer_id: cust.id.clone(),
        created: now,
        modified: now,
        expires: now + Duration::minutes(15),
        status: "Active".into(),
        user: super::SANDBOX_TENANT_ID.into(),
        lines,
    };
    let v = cart_json(&cart);
    match app.with_state(|st| app.commit(st, vec![Change::Cart(cart)])) {
        Ok(()) => http::json(StatusCode::CREATED, &v),
        Err(e) => store_failed(&e),
    }
}

fn find_cart(app: &App, cid: &str, cart: &str) -> Result<CartRec, Response> {
    app.with_state(|st| {
        st.carts
            .get(&cart.to_ascii_lowercase())
            .filter(|c| c.customer_id.eq_ignore_ascii_case(cid))
            .cloned()
    })
    .ok_or_else(|| pc_error(StatusCode::NOT_FOUND, 800008, "Unable to retrieve cart Id"))
}

pub(crate) async fn get_cart(
    State(app): State<Shared>,
    Path((cid, cart)): Path<(String, String)>,
) -> Response {
    if let Err(r) = customers::find(&app, &cid) {
        return r;
    }
    match find_cart(&app, &cid, &cart) {
        Ok(c) => http::ok(&cart_json(&c)),
        Err(r) => r,
    }
}

/// `PUT …/carts/{id}` with a full Cart body: replaces the line items.
pub(crate) async fn update_cart(
    State(app): State<Shared>,
    Path((cid, cart)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let cust = match customers::find(&app, &cid) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut c = match find_cart(&app, &cid, &cart) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if c.status != "Active" {
        // ASSUMPTION: an ordered cart cannot be changed; answered like a re-checkout.
        return pc_error(
            StatusCode::BAD_REQUEST,
            800065,
            &format!("Cannot check out an already submitted cart {}.", c.id),
        );
    }
    c.lines = match validate_lines(&app, cust, &body) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let now = app.clock.now();
    c.modified = now;
    c.expires = now + Duration::minutes(15);
    let v = cart_json(&c);
    match app.with_state(|st| app.commit(st, vec![Change::Cart(c)])) {
        Ok(()) => http::ok(&v),
        Err(e) => store_failed(&e),
    }
}

/// `POST …/carts/{id}/checkout` → 201 `{orders, orderErrors}`.
pub(crate) async fn checkout(
    State(app): State<Shared>,
    Path((cid, cart)): Path<(String, String)>,
) -> Response {
    let cust = match customers::find(&app, &cid) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut c = match find_cart(&app, &cid, &cart) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if c.status != "Active" {
        return pc_error(
            StatusCode::BAD_REQUEST,
            800065,
            &format!("Cannot check out an already submitted cart {}.", c.id),
        );
    }
    let now = app.clock.now();
    if now > c.expires {
        // ASSUMPTION: the code for an expired cart is undocumented.
        return invalid_input(&format!(
            "cart {} expired at {}; create a new cart",
            c.id,
            http::ts(c.expires)
        ));
    }
    let mut changes = Vec::new();
    let mut orders = Vec::new();
    for line in &c.lines {
        let Some((pi, sku, market)) = app.cat.resolve_item(&line.catalog_item_id) else {
            return pc_error(StatusCode::BAD_REQUEST, 800004, "Invalid offer Id");
        };
        let p = &app.cat.products[pi];
        let term = Term::from_cart(&line.term_duration, &line.billing_cycle);
        let order_id = format!("{}1", rand_urlsafe(32));
        let sub = new_sub(
            &app.cat,
            NewSub {
                id: uuid::Uuid::new_v4().to_string(),
                customer: cust,
                order_id: &order_id,
                product: p,
                sku: &sku,
                market,
                term,
                quantity: line.quantity,
                friendly_name: line.friendly_name.clone(),
                renews_to: line.renews_to.clone(),
                created: now,
            },
        );
        let order = OrderRec {
            id: order_id,
            alternate_id: rand_hex(12),
            customer_id: cust.id.clone(),
            billing_cycle: line.billing_cycle.clone(),
            currency: MARKETS[market].currency.into(),
            symbol: MARKETS[market].symbol.into(),
            country: MARKETS[market].code.into(),
            created: now,
            lines: vec![OrderLine {
                number: 0,
                offer_id: line.catalog_item_id.clone(),
                product_id: p.id.clone(),
                sku_id: sku.id.clone(),
                availability_id: app.cat.availability_id(p, &sku, market),
                term_duration: line.term_duration.clone(),
                friendly_name: sub.friendly_name.clone(),
                quantity: line.quantity,
                subscription_id: sub.id.clone(),
                renews_to: line.renews_to.clone(),
            }],
        };
        changes.push(Change::Sub(Box::new(sub)));
        orders.push(order);
    }
    c.status = "Ordered".into();
    c.modified = now;
    changes.push(Change::Cart(c));
    let cart_key = cart.to_ascii_lowercase();
    let result = app.with_state(|st| {
        // Re-checked under the lock: two concurrent checkouts of one cart order it once.
        if st
            .carts
            .get(&cart_key)
            .is_some_and(|c| c.status != "Active")
        {
            return Err(pc_error(
                StatusCode::BAD_REQUEST,
                800065,
                &format!("Cannot check out an already submitted cart {cart}."),
            ));
        }
        let mut ch = changes;
        ch.extend(orders.iter().cloned().map(Change::Order));
        app.commit(st, ch).map_err(|e| store_failed(&e))?;
        Ok(orders
            .iter()
            .map(|o| order_json(st, o, false))
            .collect::<Vec<_>>())
    });
    match result {
        Ok(orders) => http::json(
            StatusCode::CREATED,
            &json!({"orders": orders, "orderErrors": []}),
        ),
        Err(r) => r,
    }
}
