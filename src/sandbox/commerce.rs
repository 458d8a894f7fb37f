//! Buying: carts, checkout, orders and activation links (reference §5, §6).
//!
//! A cart line is validated the way Partner Center does for marketplace SaaS (offer id,
//! customer country, purchasability, quantity bounds, term/billing combination). Checkout
//! makes one order per order group and one pending subscription per line; the publisher's
//! activation link appears 300 ms after the order, minted fresh (24 h token) on every fetch.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use rand::Rng;
use serde_json::{json, Value};

use super::customers;
use super::data::{Customer, MARKETS};
use super::http::{self, ci, ci_i64, ci_str, invalid_input, link, parse_body, pc_error};
use super::products::{Kind, Term};
use super::state::{
    store_failed, CartLine, CartRec, Change, Mutable, OrderLine, OrderRec, TokenRec,
};
use super::subscriptions::{new_sub, NewSub};
use super::{App, Shared};

pub(crate) fn rand_urlsafe(n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| char::from(A[rng.gen_range(0..A.len())]))
        .collect()
}

pub(crate) fn rand_hex(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)]))
        .collect()
}

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

pub(crate) fn order_json(st: &Mutable, o: &OrderRec, with_subscriptions: bool) -> Value {
    let q = format!("country={}", o.country);
    let base = format!("/customers/{}/orders/{}", o.customer_id, o.id);
    let lines: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            let mut links = json!({
                "product": link(format!("/products/{}?{q}", l.product_id)),
                "sku": link(format!("/products/{}/skus/{}?{q}", l.product_id, l.sku_id)),
                "availability": link(format!("/products/{}/skus/{}/availabilities/{}?{q}", l.product_id, l.sku_id, l.availability_id)),
                "activationLinks": link(format!("{base}/lineitems/{}/activationlinks", l.number)),
            });
            let mut v = json!({
                "lineItemNumber": l.number,
                "offerId": l.offer_id,
                "termDuration": l.term_duration,
                "transactionType": "New",
                "friendlyName": l.friendly_name,
                "quantity": l.quantity,
            });
            if with_subscriptions {
                v["subscriptionId"] = json!(l.subscription_id);
                links["subscription"] = link(format!("/customers/{}/subscriptions/{}", o.customer_id, l.subscription_id));
            }
            if let Some(r) = &l.renews_to {
                v["renewsTo"] = json!({"termDuration": r});
            }
            v["links"] = links;
            v
        })
        .collect();
    json!({
        "id": o.id,
        "alternateId": o.alternate_id,
        "referenceCustomerId": o.customer_id,
        "billingCycle": o.billing_cycle,
        "currencyCode": o.currency,
        "currencySymbol": o.symbol,
        "lineItems": lines,
        "creationDate": http::ts(o.created),
        "status": st.order_status(o),
        "transactionType": "UserPurchase",
        "links": {
            "self": link(base.clone()),
            "provisioningStatus": link(format!("{base}/provisioningstatus")),
            "patchOperation": json!({"uri": base, "method": "PATCH", "headers": []}),
        },
        "attributes": {"objectType": "Order"},
    })
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
    let result = app.with_state(|st| {
        let mut ch = changes;
        ch.extend(orders.iter().cloned().map(Change::Order));
        app.commit(st, ch)?;
        Ok::<_, crate::Error>(
            orders
                .iter()
                .map(|o| order_json(st, o, false))
                .collect::<Vec<_>>(),
        )
    });
    match result {
        Ok(orders) => http::json(
            StatusCode::CREATED,
            &json!({"orders": orders, "orderErrors": []}),
        ),
        Err(e) => store_failed(&e),
    }
}

fn find_order(app: &App, cid: &str, oid: &str) -> Result<OrderRec, Response> {
    app.with_state(|st| {
        st.orders
            .get(oid)
            .filter(|o| o.customer_id.eq_ignore_ascii_case(cid))
            .cloned()
    })
    .ok_or_else(|| pc_error(StatusCode::NOT_FOUND, 20000, "Order ID not found"))
}

pub(crate) async fn list_orders(State(app): State<Shared>, Path(cid): Path<String>) -> Response {
    if let Err(r) = customers::find(&app, &cid) {
        return r;
    }
    let items = app.with_state(|st| {
        let mut os: Vec<&OrderRec> = st
            .orders
            .values()
            .filter(|o| o.customer_id.eq_ignore_ascii_case(&cid))
            .collect();
        os.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        os.into_iter().map(|o| order_json(st, o, true)).collect()
    });
    http::ok(&http::collection(
        items,
        &format!("/customers/{cid}/orders"),
    ))
}

pub(crate) async fn get_order(
    State(app): State<Shared>,
    Path((cid, oid)): Path<(String, String)>,
) -> Response {
    match find_order(&app, &cid, &oid) {
        Ok(o) => http::ok(&app.with_state(|st| order_json(st, &o, true))),
        Err(r) => r,
    }
}

/// Activation links for an order's lines (all, or one), minting a fresh 24 h token each.
/// Empty until 300 ms after the order was created, and only for pending subscriptions.
pub(crate) fn mint_links(
    app: &App,
    st: &Mutable,
    o: &OrderRec,
    line: Option<u32>,
) -> (Vec<Value>, Vec<Change>) {
    let now = app.clock.now();
    let mut items = Vec::new();
    let mut changes = Vec::new();
    if now < o.created + Duration::milliseconds(300) {
        return (items, changes);
    }
    for l in o
        .lines
        .iter()
        .filter(|l| line.is_none_or(|n| n == l.number))
    {
        let Some(s) = st.subs.get(&l.subscription_id.to_ascii_lowercase()) else {
            continue;
        };
        if s.status != "pending" {
            continue;
        }
        let token = rand_urlsafe(43);
        let uri = app
            .base
            .join(&format!(
                "publisher/{}/landing?token={token}",
                s.publisher_id
            ))
            .map(String::from)
            .unwrap_or_default();
        items.push(json!({"lineItemNumber": l.number, "link": {"uri": uri, "method": "GET", "headers": []}}));
        changes.push(Change::Token(TokenRec {
            token,
            subscription_id: s.id.clone(),
            expires: now + Duration::hours(24),
        }));
    }
    (items, changes)
}

fn links_response(app: &App, cid: &str, oid: &str, line: Option<&str>) -> Response {
    let o = match find_order(app, cid, oid) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let number = match line.map(|n| n.parse::<u32>()) {
        None => None,
        Some(Ok(n)) if (n as usize) < o.lines.len() => Some(n),
        Some(_) => {
            return pc_error(
                StatusCode::BAD_REQUEST,
                800071,
                "Line Item number should be from 0 to number of line items count",
            )
        }
    };
    let uri = match number {
        Some(n) => format!(
            "/customers/{}/orders/{}/lineitems/{n}/activationlinks",
            o.customer_id, o.id
        ),
        None => format!(
            "/customers/{}/orders/{}/activationlinks",
            o.customer_id, o.id
        ),
    };
    let result = app.with_state(|st| {
        let (items, changes) = mint_links(app, st, &o, number);
        app.commit(st, changes).map(|_| items)
    });
    match result {
        Ok(items) => http::ok(&http::collection(items, &uri)),
        Err(e) => store_failed(&e),
    }
}

pub(crate) async fn order_links(
    State(app): State<Shared>,
    Path((cid, oid)): Path<(String, String)>,
) -> Response {
    links_response(&app, &cid, &oid, None)
}

pub(crate) async fn line_links(
    State(app): State<Shared>,
    Path((cid, oid, n)): Path<(String, String, String)>,
) -> Response {
    links_response(&app, &cid, &oid, Some(&n))
}
