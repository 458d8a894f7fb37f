//! Orders and activation links (reference §5.3, §6).
//!
//! An order is `pending` until its subscriptions are activated at the publisher, then
//! `completed`. The publisher's activation link appears 300 ms after the order (clients must
//! poll) and is minted fresh, with a 24 h token, on every fetch.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use rand::Rng;
use serde_json::{json, Value};

use super::customers;
use super::http::{self, link, pc_error};
use super::state::{store_failed, Change, Mutable, OrderRec, TokenRec};
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
