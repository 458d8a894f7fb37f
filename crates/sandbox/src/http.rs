//! Wire conventions shared by every handler: JSON responses, the three error body shapes,
//! collections and seek paging, case-insensitive query and body access, and the request-id
//! and authorization middleware.
//!
//! Keeping these in one place is what makes the simulator consistent: every collection has
//! the same envelope, every error the shape its real service uses (reference §2.2, §2.3, §8.1, §12).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

/// Which real service a path belongs to (decides the error body shape).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Svc {
    PartnerCenter,
    PartnerApi,
    Arm,
    Saas,
    Publisher,
    /// Microsoft Graph (`/v1.0/reports/…`, billing reconciliation).
    Graph,
    /// Azure Blob Storage (`/blob/…`, the export files; SAS, no bearer).
    Blob,
}

impl Svc {
    pub fn of(path: &str) -> Svc {
        if path.starts_with("/v1.0/reports/") {
            Svc::Graph
        } else if path.starts_with("/blob/") {
            Svc::Blob
        } else if path.starts_with("/v1.0/") {
            Svc::PartnerApi
        } else if path.starts_with("/subscriptions/") {
            Svc::Arm
        } else if path.starts_with("/api/saas") {
            Svc::Saas
        } else if path.starts_with("/publisher/") {
            Svc::Publisher
        } else {
            Svc::PartnerCenter
        }
    }
}

/// A JSON response with `Content-Type: application/json; charset=utf-8`.
pub(crate) fn json(status: StatusCode, v: &Value) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

pub(crate) fn ok(v: &Value) -> Response {
    json(StatusCode::OK, v)
}

/// Partner Center error `{code, description, data, source}` (code is a JSON number).
pub(crate) fn pc_error(status: StatusCode, code: u64, description: &str) -> Response {
    json(
        status,
        &json!({"code": code, "description": description, "data": [], "source": "PartnerFD"}),
    )
}

/// `{"error": {"code", "message"}}` — the Partner API and ARM shape.
pub(crate) fn error_obj(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        &json!({"error": {"code": code, "message": message}}),
    )
}

/// An error in the shape of the service that owns the path.
pub(crate) fn service_error(svc: Svc, status: StatusCode, pc_code: u64, message: &str) -> Response {
    match svc {
        Svc::PartnerCenter | Svc::Publisher => pc_error(status, pc_code, message),
        Svc::PartnerApi => {
            let code = match status.as_u16() {
                401 => "unauthenticated",
                503 => "serviceNotAvailable",
                s if s >= 500 => "generalException",
                404 => "itemNotFound",
                _ => "invalidRequest",
            };
            error_obj(status, code, message)
        }
        Svc::Arm | Svc::Saas => {
            let code = match status.as_u16() {
                401 => "AuthenticationFailed",
                503 => "ServiceUnavailable",
                s if s >= 500 => "InternalServerError",
                404 => "NotFound",
                _ => "BadRequest",
            };
            error_obj(status, code, message)
        }
        Svc::Graph => {
            let code = match status.as_u16() {
                401 => "InvalidAuthenticationToken",
                503 => "serviceNotAvailable",
                s if s >= 500 => "generalException",
                404 => "NotFound",
                _ => "BadRequest",
            };
            super::graph::graph_error(status, code, message)
        }
        Svc::Blob => {
            let code = match status.as_u16() {
                503 => "ServerBusy",
                s if s >= 500 => "InternalError",
                404 => "ResourceNotFound",
                _ => "InvalidQueryParameterValue",
            };
            super::graph::blob_error(status, code, message)
        }
    }
}

/// Text for an HTML page.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page the sandbox shows a person (the sign-in, a publisher's landing page): the shared look,
/// `width` px wide, the page's own `css`, its `body`, and a footer naming what it simulates.
pub(crate) fn html_page(
    status: StatusCode,
    title: &str,
    width: u32,
    css: &str,
    body: &str,
    simulated: &str,
) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>\
         body{{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f5f8;color:#1b1f24;margin:0}}\
         main{{max-width:{width}px;margin:48px auto;background:#fff;border-radius:10px;box-shadow:0 2px 12px #0002;padding:32px}}\
         button{{background:#0f6cbd;color:#fff;border:0;border-radius:6px;padding:10px 22px;font-size:1rem;cursor:pointer}}\
         .err{{color:#b10e1c;font-weight:700}} footer{{margin-top:28px;color:#8a94a3;font-size:.8rem}}\
         {css}</style></head><body><main>{body}\
         <footer>CSP Desk sandbox — {simulated}</footer></main></body></html>",
        t = esc(title)
    );
    let mut resp = Response::new(Body::from(page));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

pub(crate) fn not_found_route() -> Response {
    pc_error(StatusCode::NOT_FOUND, 1000, "Not found")
}

pub(crate) fn invalid_input(detail: &str) -> Response {
    pc_error(
        StatusCode::BAD_REQUEST,
        800002,
        &format!("Invalid request input: {detail}"),
    )
}

/// Link object `{uri, method, headers: []}`.
pub(crate) fn link(uri: impl Into<String>) -> Value {
    json!({"uri": uri.into(), "method": "GET", "headers": []})
}

/// Plain collection envelope; `totalCount` is the number of items in this answer.
pub(crate) fn collection(items: Vec<Value>, self_uri: &str) -> Value {
    json!({
        "totalCount": items.len(),
        "items": items,
        "links": {"self": link(self_uri)},
        "attributes": {"objectType": "Collection"},
    })
}

/// Seek-paged collection: adds `continuationToken` and `links.next` when more pages exist.
pub(crate) fn seek_collection(
    items: Vec<Value>,
    self_uri: &str,
    next: Option<(String, String)>,
) -> (Value, Option<String>) {
    let mut v = collection(items, self_uri);
    let mut token_out = None;
    if let Some((next_uri, token)) = next {
        v["continuationToken"] = Value::String(token.clone());
        v["links"]["next"] = json!({
            "uri": next_uri,
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}],
        });
        token_out = Some(token);
    }
    (v, token_out)
}

/// A seek page response: the collection plus the `MS-ContinuationToken` header when paged.
pub(crate) fn seek_response(v: &Value, token: Option<String>) -> Response {
    let mut resp = ok(v);
    if let Some(t) = token.and_then(|t| HeaderValue::from_str(&t).ok()) {
        resp.headers_mut().insert("ms-continuationtoken", t);
    }
    resp
}

/// Opaque continuation tokens: `kind|fields…` hex-encoded with a checksum.
pub(crate) fn encode_token(fields: &[&str]) -> String {
    let raw = fields.join("\u{1f}");
    let sum = raw.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let mut s = format!("{sum:08x}");
    for b in raw.bytes() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

pub(crate) fn decode_token(token: &str) -> Option<Vec<String>> {
    let token = token.trim();
    if token.len() < 8 || !token.len().is_multiple_of(2) || !token.is_ascii() {
        return None;
    }
    let (sum, hex) = token.split_at(8);
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    let check = raw.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (format!("{check:08x}") == sum).then(|| raw.split('\u{1f}').map(str::to_string).collect())
}

/// Query string with case-insensitive names.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        Query(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Whether `seekOperation=Next` was asked for.
    pub fn seek_next(&self) -> bool {
        self.get("seekOperation")
            .is_some_and(|v| v.eq_ignore_ascii_case("next"))
    }
}

/// The continuation token a seek request carries (header, or query as a fallback).
pub(crate) fn continuation(headers: &HeaderMap, q: &Query) -> Option<String> {
    headers
        .get("ms-continuationtoken")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| q.get("continuationToken").map(str::to_string))
}

/// Case-insensitive object member lookup (bodies arrive in camelCase or PascalCase).
pub(crate) fn ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

pub(crate) fn ci_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    ci(v, key).and_then(Value::as_str)
}

/// Integer member, accepting numbers or numeric strings.
pub(crate) fn ci_i64(v: &Value, key: &str) -> Option<i64> {
    match ci(v, key)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn ci_bool(v: &Value, key: &str) -> Option<bool> {
    match ci(v, key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Parses a JSON request body; `Err` is a ready 400 answer.
pub(crate) fn parse_body(bytes: &[u8]) -> Result<Value, Response> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| invalid_input(&format!("the body is not valid JSON ({e})")))
}

/// ISO-8601 UTC with 7 fractional digits trimmed to microseconds, as Partner Center writes them.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[derive(Clone, Debug)]
pub(crate) struct RequestIds {
    pub request_id: String,
    pub correlation_id: String,
}

fn header_or_new(req: &Request, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Echoes `MS-RequestId` / `MS-CorrelationId` (generating them when absent) on every answer.
pub(crate) async fn request_ids(mut req: Request, next: Next) -> Response {
    let ids = RequestIds {
        request_id: header_or_new(&req, "ms-requestid"),
        correlation_id: header_or_new(&req, "ms-correlationid"),
    };
    let (rid, cid) = (ids.request_id.clone(), ids.correlation_id.clone());
    req.extensions_mut().insert(ids);
    let mut resp = next.run(req).await;
    for (name, value) in [("ms-requestid", rid), ("ms-correlationid", cid)] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

/// Requires `Authorization: Bearer <non-empty>`. Tokens the sandbox's sign-in issued must be
/// valid and for the service's audience (see `identity.rs`); any other token is accepted.
/// ASSUMPTION: a missing token is answered in the owning service's error shape (Partner
/// Center 800001 body on `/v1`; `{"error":{…}}` on the Partner API and ARM), as each real
/// service does; the status is 401 everywhere.
pub(crate) async fn require_bearer(
    axum::extract::State(app): axum::extract::State<super::Shared>,
    req: Request,
    next: Next,
) -> Response {
    let svc = Svc::of(req.uri().path());
    let refused = app
        .refusals
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .find(|(s, _)| *s == svc)
        .map(|(_, status)| *status);
    if let Some(status) = refused {
        return refusal(svc, status);
    }
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim().to_string());
    if let Some(token) = token {
        return match app.identity.check_access(&token, svc, app.clock.now()) {
            Ok(()) => next.run(req).await,
            Err(refusal) => refusal,
        };
    }
    let mut resp = match svc {
        Svc::PartnerApi => service_error(
            svc,
            StatusCode::UNAUTHORIZED,
            800001,
            "The request is not authenticated: a Bearer token is required.",
        ),
        Svc::Arm => service_error(
            svc,
            StatusCode::UNAUTHORIZED,
            800001,
            "Authentication failed. The 'Authorization' header is missing.",
        ),
        Svc::Graph => service_error(
            svc,
            StatusCode::UNAUTHORIZED,
            800001,
            "Access token is empty.",
        ),
        _ => pc_error(
            StatusCode::UNAUTHORIZED,
            800001,
            "Partner Token missing in request context",
        ),
    };
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"sandbox\""),
    );
    resp
}

/// The answer of a service told to refuse (see `Sandbox::refuse`), in its own words.
fn refusal(svc: Svc, status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    let mut resp = match (svc, status) {
        (_, 401) => service_error(
            svc,
            StatusCode::UNAUTHORIZED,
            800001,
            "The access token is not valid for this service.",
        ),
        (Svc::PartnerCenter, _) => pc_error(
            code,
            900150,
            "The supplied role does not have the rights to perform the requested operation",
        ),
        (Svc::PartnerApi, _) => error_obj(
            code,
            "unAuthorized",
            "Caller is not authorized to access the resource.",
        ),
        (Svc::Graph, _) => super::graph::graph_error(
            code,
            "Forbidden",
            "Insufficient privileges to complete the operation. The caller needs the PartnerBilling.Read.All \
             permission and a billing role in the partner tenant.",
        ),
        _ => error_obj(
            code,
            "AuthorizationFailed",
            "The client does not have authorization to perform action 'Microsoft.Marketplace/products/read' \
             over the scope of the subscription, or the scope is invalid.",
        ),
    };
    if status == 401 {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sandbox\", error=\"invalid_token\""),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let t = encode_token(&["cust", "20", "x|y"]);
        assert_eq!(decode_token(&t).unwrap(), vec!["cust", "20", "x|y"]);
        let mut bad = t.clone();
        bad.replace_range(9..10, if &t[9..10] == "0" { "1" } else { "0" });
        assert!(decode_token(&bad).is_none());
        assert!(decode_token("zz").is_none());
        assert!(decode_token("ééééééééé").is_none());
    }
}
