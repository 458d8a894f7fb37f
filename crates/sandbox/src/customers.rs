//! The partner's customers: the seek-paged list with `starts_with` filtering, one customer
//! with its billing profile, and the billing profile alone (reference §3).
//!
//! The customer's market is `billingProfile.defaultAddress.country`; carts check it.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::data::{Customer, MARKETS};
use super::http::{self, ci_str, continuation, decode_token, encode_token, invalid_input, Query};
use super::Shared;

const DEFAULT_PAGE: usize = 20;
const MAX_PAGE: usize = 500;

fn company_profile(c: &Customer) -> Value {
    json!({
        "tenantId": c.id,
        "domain": c.domain,
        "companyName": c.company,
        "links": {"self": http::link(format!("/customers/{}/profiles/company", c.id))},
        "attributes": {"objectType": "CustomerCompanyProfile"},
    })
}

pub(crate) fn billing_profile_json(c: &Customer) -> Value {
    let m = &MARKETS[c.market];
    json!({
        "id": c.profile_id,
        "firstName": c.first,
        "lastName": c.last,
        "email": format!("{}.{}@{}", c.first.to_lowercase(), c.last.to_lowercase(), c.domain),
        "culture": m.culture,
        "language": m.culture.split('-').next().unwrap_or("en"),
        "companyName": c.company,
        "defaultAddress": {
            "country": m.code,
            "city": c.city,
            "state": c.state,
            "addressLine1": c.street,
            "postalCode": c.postal,
            "firstName": c.first,
            "lastName": c.last,
            "phoneNumber": c.phone,
        },
        "links": {"self": http::link(format!("/customers/{}/profiles/billing", c.id))},
        "attributes": {"etag": c.etag.to_string(), "objectType": "CustomerBillingProfile"},
    })
}

fn summary(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "commerceId": c.id,
        "companyProfile": company_profile(c),
        "relationshipToPartner": "reseller",
        "links": {"self": http::link(format!("/customers/{}", c.id))},
        "attributes": {"objectType": "Customer"},
    })
}

/// `GET /v1/customers?size=&filter=` plus `seekOperation=Next` + `MS-ContinuationToken`.
pub(crate) async fn list(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let (offset, size, filter) = if q.seek_next() {
        let Some(tok) = continuation(&headers, &q) else {
            return invalid_input("seekOperation=Next needs the MS-ContinuationToken header");
        };
        match decode_token(&tok).as_deref() {
            Some([kind, off, size, filter]) if kind == "customers" => (
                off.parse().unwrap_or(0),
                size.parse().unwrap_or(DEFAULT_PAGE),
                filter.clone(),
            ),
            _ => return invalid_input("the continuation token is not valid"),
        }
    } else {
        let size = match q.get("size").map(|s| s.trim().parse::<usize>()) {
            None => DEFAULT_PAGE,
            Some(Ok(0)) => DEFAULT_PAGE,
            Some(Ok(n)) => n.min(MAX_PAGE),
            Some(Err(_)) => return invalid_input("size must be a whole number"),
        };
        (0usize, size, q.get("filter").unwrap_or("").to_string())
    };
    let matcher = match parse_filter(&filter) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let all: Vec<&Customer> = app
        .cat
        .customers
        .iter()
        .filter(|c| matcher.as_ref().is_none_or(|m| m.matches(c)))
        .collect();
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(size)
        .map(|c| summary(c))
        .collect();
    let end = offset + page.len();
    let self_uri = format!("/customers?size={size}");
    let next = (end < all.len()).then(|| {
        let token = encode_token(&["customers", &end.to_string(), &size.to_string(), &filter]);
        (format!("/customers?size={size}&seekOperation=Next"), token)
    });
    let (v, token) = http::seek_collection(page, &self_uri, next);
    http::seek_response(&v, token)
}

struct Filter {
    domain: bool,
    value: String,
}

impl Filter {
    fn matches(&self, c: &Customer) -> bool {
        let field = if self.domain { &c.domain } else { &c.company };
        field.to_lowercase().starts_with(&self.value)
    }
}

fn parse_filter(raw: &str) -> Result<Option<Filter>, Response> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let v: Value = serde_json::from_str(raw).map_err(|_| invalid_input("filter must be JSON like {\"Field\":\"CompanyName\",\"Value\":\"co\",\"Operator\":\"starts_with\"}"))?;
    let field = ci_str(&v, "Field").unwrap_or("");
    let domain = if field.eq_ignore_ascii_case("Domain") {
        true
    } else if field.eq_ignore_ascii_case("CompanyName") {
        false
    } else {
        return Err(invalid_input("filter Field must be CompanyName or Domain"));
    };
    if !ci_str(&v, "Operator")
        .unwrap_or("")
        .eq_ignore_ascii_case("starts_with")
    {
        return Err(invalid_input("filter Operator must be starts_with"));
    }
    Ok(Some(Filter {
        domain,
        value: ci_str(&v, "Value").unwrap_or("").to_lowercase(),
    }))
}

pub(crate) fn find<'a>(app: &'a Shared, cid: &str) -> Result<&'a Customer, Response> {
    app.cat.customer(cid).ok_or_else(|| {
        http::pc_error(
            StatusCode::NOT_FOUND,
            1000,
            &format!("Customer {cid} was not found."),
        )
    })
}

/// `GET /v1/customers/{id}`: the customer with its billing profile.
pub(crate) async fn get_one(State(app): State<Shared>, Path(cid): Path<String>) -> Response {
    match find(&app, &cid) {
        Ok(c) => {
            let mut v = summary(c);
            v["billingProfile"] = billing_profile_json(c);
            v["allowDelegatedAccess"] = Value::Bool(true);
            v["customDomains"] = json!([c.domain]);
            http::ok(&v)
        }
        Err(r) => r,
    }
}

/// `GET /v1/customers/{id}/profiles/billing`.
pub(crate) async fn billing_profile(
    State(app): State<Shared>,
    Path(cid): Path<String>,
) -> Response {
    match find(&app, &cid) {
        Ok(c) => http::ok(&billing_profile_json(c)),
        Err(r) => r,
    }
}
