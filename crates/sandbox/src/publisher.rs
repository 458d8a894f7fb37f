//! The publisher's side of a marketplace SaaS purchase: the landing page the activation link
//! points at, its "Activate" form, and the SaaS Fulfillment API v2 `resolve` / `activate`
//! calls (reference §10). Activation moves a subscription from `pending` to `active`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::http::{self, ci_str, error_obj, esc, html_page, parse_body, Query};
use super::state::{store_failed, Change, Mutable, SubRec};
use super::subscriptions::{add_months, new_etag};
use super::{App, Shared};

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    html_page(
        status,
        title,
        560,
        "h1{font-size:1.4rem;margin:0 0 4px} .pub{color:#5a6472;margin:0 0 24px}\
         dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 16px} dt{color:#5a6472} dd{margin:0;font-weight:600}\
         .ok{color:#107c10;font-weight:700;font-size:1.2rem}",
        body,
        "simulated publisher page",
    )
}

fn expired_page() -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Activation link expired",
        "<h1>This activation link has expired</h1><p class=\"err\">The link is no longer valid.</p>\
         <p>Activation links are valid for 24 hours and each is tied to one subscription. Fetch a fresh \
         activation link from Partner Center (the order's or the subscription's activation links) and open it again.</p>",
    )
}

/// The subscription a token names, if the token is known, unexpired and for this publisher.
fn resolve_token(app: &App, st: &Mutable, token: &str, publisher: Option<&str>) -> Option<SubRec> {
    let t = st.tokens.get(token.trim())?;
    if app.clock.now() > t.expires {
        return None;
    }
    let s = st.subs.get(&t.subscription_id.to_ascii_lowercase())?;
    publisher
        .is_none_or(|p| p.eq_ignore_ascii_case(&s.publisher_id))
        .then(|| s.clone())
}

fn status_text(s: &SubRec) -> &'static str {
    match s.status.as_str() {
        "pending" => "Pending activation",
        "active" => "Activated",
        "suspended" => "Suspended",
        _ => "Cancelled",
    }
}

fn details(app: &App, s: &SubRec) -> String {
    let customer = app
        .cat
        .customer(&s.customer_id)
        .map_or("", |c| c.company.as_str());
    let offer = app
        .cat
        .pc_product(&s.product_id)
        .map_or(s.offer_name.as_str(), |(_, p)| p.title.as_str());
    let plan = s.offer_name.rsplit(" - ").next().unwrap_or("");
    format!(
        "<h1>{offer}</h1><p class=\"pub\">by {publisher}</p><dl><dt>Plan</dt><dd>{plan}</dd><dt>Quantity</dt><dd>{q}</dd>\
         <dt>Customer</dt><dd>{customer}</dd><dt>Subscription</dt><dd>{id}</dd><dt>Status</dt><dd id=\"status\">{status}</dd></dl>",
        offer = esc(offer),
        publisher = esc(&s.publisher_name),
        plan = esc(plan),
        q = s.quantity,
        customer = esc(customer),
        id = esc(&s.id),
        status = status_text(s),
    )
}

/// `GET /publisher/{publisherId}/landing?token=…`.
pub(crate) async fn landing(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let token = q.get("token").unwrap_or("").to_string();
    let Some(s) = app.with_state(|st| resolve_token(&app, st, &token, Some(&pid))) else {
        return expired_page();
    };
    let mut body = details(&app, &s);
    if s.status == "pending" {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/publisher/{pid}/activate\"><input type=\"hidden\" name=\"token\" value=\"{t}\">\
             <p>Set up the account for this customer, then activate the subscription to start billing.</p>\
             <button type=\"submit\">Activate</button></form>",
            pid = esc(&s.publisher_id),
            t = esc(&token)
        ));
    } else if s.status == "active" {
        body.push_str("<p class=\"ok\">Activated</p>");
    }
    page(StatusCode::OK, "Activate your subscription", &body)
}

/// Moves a pending subscription to active (billing starts now).
fn activate_sub(
    app: &App,
    st: &mut Mutable,
    s: &SubRec,
    now: DateTime<Utc>,
) -> crate::Result<SubRec> {
    let mut next = s.clone();
    next.status = "active".into();
    next.effective_start = now;
    next.activated = Some(now);
    let months = if next.term_duration.eq_ignore_ascii_case("P1Y") {
        12
    } else {
        1
    };
    next.commitment_end = add_months(now, months) - chrono::Duration::days(1);
    next.etag = new_etag();
    app.commit(st, vec![Change::Sub(Box::new(next.clone()))])?;
    Ok(next)
}

/// `POST /publisher/{publisherId}/activate` (form field `token`).
pub(crate) async fn activate(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> Response {
    let token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let now = app.clock.now();
    let result = app.with_state(|st| {
        let s = resolve_token(&app, st, &token, Some(&pid))?;
        Some(if s.status == "pending" {
            activate_sub(&app, st, &s, now).map_err(|e| store_failed(&e))
        } else {
            Ok(s)
        })
    });
    match result {
        None => expired_page(),
        Some(Err(r)) => r,
        Some(Ok(s)) if s.status == "active" => {
            let body = format!("{}<p class=\"ok\">Activated</p><p>Billing has started. You can close this page.</p>", details(&app, &s));
            page(StatusCode::OK, "Subscription activated", &body)
        }
        Some(Ok(s)) => page(
            StatusCode::BAD_REQUEST,
            "Cannot activate",
            &format!("{}<p class=\"err\">This subscription cannot be activated in its current state.</p>", details(&app, &s)),
        ),
    }
}

fn saas_status(s: &SubRec) -> &'static str {
    match s.status.as_str() {
        "pending" => "PendingFulfillmentStart",
        "active" => "Subscribed",
        "suspended" => "Suspended",
        _ => "Unsubscribed",
    }
}

fn saas_subscription(app: &App, s: &SubRec) -> Value {
    let offer = app
        .cat
        .pc_product(&s.product_id)
        .map_or(String::new(), |(_, p)| p.offer.clone());
    let customer = app.cat.customer(&s.customer_id);
    let party = |tenant: &str, email: String| json!({"emailId": email, "objectId": tenant, "tenantId": tenant, "puid": "1003BFFD8A4A1D31"});
    let beneficiary = customer.map_or(Value::Null, |c| party(&c.id, format!("admin@{}", c.domain)));
    let unit = if s.term_duration.eq_ignore_ascii_case("P1Y") {
        "P1Y"
    } else {
        "P1M"
    };
    json!({
        "id": s.id,
        "publisherId": s.publisher_id,
        "offerId": offer,
        "name": s.friendly_name,
        "saasSubscriptionStatus": saas_status(s),
        "beneficiary": beneficiary,
        "purchaser": party(super::SANDBOX_TENANT_ID, "admin@sandboxpartner.onmicrosoft.com".into()),
        "planId": s.plan_id,
        "term": {"termUnit": unit, "startDate": http::ts(s.effective_start), "endDate": http::ts(s.commitment_end)},
        "autoRenew": s.auto_renew,
        "isTest": false,
        "isFreeTrial": s.is_trial,
        "allowedCustomerOperations": ["Read"],
        "sandboxType": "None",
        "created": http::ts(s.created),
        "lastModified": http::ts(s.activated.unwrap_or(s.created)),
        "quantity": s.quantity,
        "sessionMode": "None",
    })
}

/// `POST /api/saas/subscriptions/resolve` with `x-ms-marketplace-token`.
/// ASSUMPTION: the SaaS subscription id equals the Partner Center subscription id.
pub(crate) async fn resolve(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let raw = headers
        .get("x-ms-marketplace-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string();
    if raw.is_empty() {
        return error_obj(
            StatusCode::BAD_REQUEST,
            "BadArgument",
            "The x-ms-marketplace-token header is missing.",
        );
    }
    let decoded: String = url::form_urlencoded::parse(format!("t={raw}").as_bytes())
        .map(|(_, v)| v.into_owned())
        .next()
        .unwrap_or_default();
    let found = app.with_state(|st| {
        resolve_token(&app, st, &raw, None).or_else(|| resolve_token(&app, st, &decoded, None))
    });
    let Some(s) = found else {
        return error_obj(
            StatusCode::BAD_REQUEST,
            "BadArgument",
            "The marketplace token is invalid or expired.",
        );
    };
    let sub = saas_subscription(&app, &s);
    http::ok(&json!({
        "id": s.id,
        "subscriptionName": s.friendly_name,
        "offerId": sub["offerId"],
        "planId": s.plan_id,
        "quantity": s.quantity.to_string(),
        "subscription": sub,
    }))
}

/// `POST /api/saas/subscriptions/{id}/activate` with `{planId, quantity}` → 200, no body.
pub(crate) async fn saas_activate(
    State(app): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let plan = ci_str(&body, "planId").unwrap_or("").trim().to_string();
    let quantity = match super::http::ci(&body, "quantity") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().parse().ok().or(Some(u64::MAX)),
        _ => None,
    };
    let now = app.clock.now();
    let result = app.with_state(|st| {
        let Some(s) = st.subs.get(&id.to_ascii_lowercase()).cloned() else {
            return Err(error_obj(
                StatusCode::NOT_FOUND,
                "NotFound",
                "The subscription was not found.",
            ));
        };
        if s.status == "deleted" {
            return Err(error_obj(
                StatusCode::NOT_FOUND,
                "NotFound",
                "The subscription is Unsubscribed.",
            ));
        }
        if s.status != "pending" {
            return Err(error_obj(
                StatusCode::BAD_REQUEST,
                "BadArgument",
                "The subscription is already Subscribed or Suspended.",
            ));
        }
        if plan.is_empty() || !plan.eq_ignore_ascii_case(&s.plan_id) {
            return Err(error_obj(
                StatusCode::BAD_REQUEST,
                "BadArgument",
                "planId is missing or does not match the purchased plan.",
            ));
        }
        if quantity.is_some_and(|q| q != u64::from(s.quantity)) {
            return Err(error_obj(
                StatusCode::BAD_REQUEST,
                "BadArgument",
                "quantity does not match the purchased quantity.",
            ));
        }
        activate_sub(&app, st, &s, now).map_err(|e| store_failed(&e))
    });
    match result {
        Ok(_) => {
            let mut resp = Response::new(axum::body::Body::empty());
            *resp.status_mut() = StatusCode::OK;
            resp
        }
        Err(r) => r,
    }
}
