//! The sandbox plays Microsoft Entra ID too, so sign-in is tested end to end with the same code
//! that talks to `login.microsoftonline.com`.
//!
//! Served on the sandbox's base URL: `/{tenant}/oauth2/v2.0/authorize` (a consent page, whose
//! form redirects to the app's loopback address with a code), `/{tenant}/oauth2/v2.0/token`
//! (authorization code with PKCE S256, refresh token with rotation, device code),
//! `/{tenant}/oauth2/v2.0/devicecode`, and `/devicelogin` (where a person or a test approves a
//! device code). Errors use Entra's body `{error, error_description: "AADSTSnnnn: …",
//! error_codes}`.
//!
//! Access tokens are unsigned JWT-shaped strings that carry their audience (`aud`); the API
//! routes check it, so a Partner Center token is refused by the Partner API (the well-known
//! trap) and ARM can be told to refuse a user without an Azure subscription. Tokens the
//! sandbox did not issue are accepted as before (any bearer, including
//! [`cspdesk_client::sandbox_ids::SANDBOX_TOKEN`]), so scripts and the embedded sandbox need no sign-in.
//! What it deliberately does not do: sign tokens, or persist sign-ins (a restarted sandbox has
//! forgotten every refresh token, which the app must survive by asking to sign in again).
//!
//! Why one file of about a thousand lines: the authorize and consent pages, the three grants
//! (code with PKCE, refresh with rotation, device code) and the token checks of the API routes
//! share one private state (codes, grants, consents, spent tokens) and one error shape. Split,
//! each part would need that state made public to the others; kept together, no other module
//! of the sandbox can touch it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::Digest;

use super::http::{self as wire, error_obj, esc, html_page, pc_error, service_error, Svc};
use super::{Shared, SANDBOX_TENANT_ID};

/// The sandbox tenant's domain; accounts must be in it.
pub const SANDBOX_DOMAIN: &str = "cspdesk-sandbox.onmicrosoft.com";
/// The account offered on the sign-in pages.
pub const SANDBOX_USER: &str = "admin@cspdesk-sandbox.onmicrosoft.com";

const PARTNER_CENTER_AUD: &str = "https://api.partnercenter.microsoft.com";
const PARTNER_API_AUD: &str = "https://api.partner.microsoft.com";
const ARM_AUD: &str = "https://management.azure.com";
const GRAPH_AUD: &str = "00000003-0000-0000-c000-000000000000";

/// Every token the sandbox issues starts with this (the base64 of its fixed JWT header).
fn token_header() -> String {
    b64(br#"{"alg":"none","typ":"JWT","kid":"cspdesk-sandbox"}"#)
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn random(n: usize) -> String {
    let mut buf = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut buf);
    b64(&buf)
}

#[derive(Clone, Debug)]
struct User {
    upn: String,
    name: String,
    oid: String,
}

impl User {
    fn new(upn: &str) -> User {
        let upn = upn.trim().to_ascii_lowercase();
        let local = upn.split('@').next().unwrap_or("user");
        let name = if upn == SANDBOX_USER {
            "Sandbox Admin".to_string()
        } else {
            let mut c = local.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        };
        // A stable object id per account.
        let digest = sha2::Sha256::digest(upn.as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        User {
            oid: uuid::Builder::from_random_bytes(b).into_uuid().to_string(),
            upn,
            name,
        }
    }
}

#[derive(Clone, Debug)]
struct AuthRequest {
    tenant: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: Option<String>,
    challenge: String,
    expires: DateTime<Utc>,
}

#[derive(Clone, Debug)]
struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    scope: String,
    challenge: String,
    user: User,
    expires: DateTime<Utc>,
}

#[derive(Clone, Debug)]
enum DeviceStatus {
    Pending,
    Approved(User),
    Declined,
}

#[derive(Clone, Debug)]
struct DeviceGrant {
    client_id: String,
    scope: String,
    user_code: String,
    status: DeviceStatus,
    expires: DateTime<Utc>,
}

#[derive(Clone, Debug)]
struct RefreshGrant {
    client_id: String,
    user: User,
    issued: DateTime<Utc>,
    last_used: DateTime<Utc>,
    /// When it was redeemed (and replaced by a rotated one).
    spent: Option<DateTime<Utc>>,
}

/// How long a redeemed refresh token still works, so that two processes renewing at the same
/// moment both succeed. ASSUMPTION: Entra keeps old refresh tokens valid until they expire;
/// the sandbox is stricter on purpose, so a client that never saves the rotated token fails
/// here within a minute instead of in production after 90 days.
const SPENT_GRACE: i64 = 60;

#[derive(Clone, Debug)]
struct AccessGrant {
    aud: String,
    expires: DateTime<Utc>,
}

struct IdState {
    requests: HashMap<String, AuthRequest>,
    codes: HashMap<String, CodeGrant>,
    devices: HashMap<String, DeviceGrant>,
    refresh: HashMap<String, RefreshGrant>,
    revoked: HashSet<String>,
    access: HashMap<String, AccessGrant>,
    /// Every secret handed out (codes and tokens), for the leak tests.
    issued: Vec<String>,
    access_lifetime: Duration,
    arm_refused: bool,
    /// Scope prefix → AADSTS code the token endpoint answers instead of a token.
    refused_scopes: Vec<(String, u32)>,
}

impl Default for IdState {
    fn default() -> Self {
        IdState {
            requests: HashMap::new(),
            codes: HashMap::new(),
            devices: HashMap::new(),
            refresh: HashMap::new(),
            revoked: HashSet::new(),
            access: HashMap::new(),
            issued: vec![],
            access_lifetime: Duration::seconds(3599),
            arm_refused: false,
            refused_scopes: vec![],
        }
    }
}

/// The sandbox's Entra ID: who signed in, which tokens are valid.
#[derive(Default)]
pub(crate) struct Identity {
    inner: Mutex<IdState>,
}

impl Identity {
    fn with<T>(&self, f: impl FnOnce(&mut IdState) -> T) -> T {
        let mut g = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }

    // The switches below are for tests only (feature `test-switches`).
    #[cfg(feature = "test-switches")]
    pub fn revoke_refresh_tokens(&self) {
        self.with(|s| {
            let all: Vec<String> = s.refresh.drain().map(|(k, _)| k).collect();
            s.revoked.extend(all);
        });
    }

    #[cfg(feature = "test-switches")]
    pub fn set_access_token_lifetime(&self, d: std::time::Duration) {
        self.with(|s| {
            s.access_lifetime = Duration::from_std(d).unwrap_or(Duration::seconds(3599));
        });
    }

    #[cfg(feature = "test-switches")]
    pub fn set_arm_refused(&self, refused: bool) {
        self.with(|s| s.arm_refused = refused);
    }

    #[cfg(feature = "test-switches")]
    pub fn refuse_scope(&self, scope_prefix: &str, aadsts: u32) {
        self.with(|s| s.refused_scopes.push((scope_prefix.to_string(), aadsts)));
    }

    #[cfg(feature = "test-switches")]
    pub fn issued(&self) -> Vec<String> {
        self.with(|s| s.issued.clone())
    }

    /// Checks a bearer token for a call to `svc`. `Err` is the ready refusal.
    pub fn check_access(&self, token: &str, svc: Svc, now: DateTime<Utc>) -> Result<(), Response> {
        if !token.starts_with(&token_header()) {
            return Ok(()); // not ours: the sandbox token, or any bearer, as before
        }
        let (grant, arm_refused) = self.with(|s| (s.access.get(token).cloned(), s.arm_refused));
        let Some(grant) = grant else {
            return Err(unauthorized(
                svc,
                "InvalidAuthenticationToken",
                "The access token is not valid: it was not issued by this sandbox (was it restarted?). Sign in again.",
            ));
        };
        if grant.expires <= now {
            return Err(unauthorized(
                svc,
                "ExpiredAuthenticationToken",
                "The access token has expired.",
            ));
        }
        let want = match svc {
            Svc::PartnerCenter => PARTNER_CENTER_AUD,
            Svc::PartnerApi => PARTNER_API_AUD,
            Svc::Arm => ARM_AUD,
            Svc::Graph => GRAPH_AUD,
            Svc::Saas | Svc::Publisher | Svc::Blob => return Ok(()),
        };
        if grant.aud != want {
            return Err(unauthorized(
                svc,
                "InvalidAuthenticationTokenAudience",
                &format!(
                    "The access token was obtained for the wrong audience '{}'; this API accepts only tokens for '{want}'.",
                    grant.aud
                ),
            ));
        }
        if svc == Svc::Arm && arm_refused {
            return Err(error_obj(
                StatusCode::FORBIDDEN,
                "AuthorizationFailed",
                "The client does not have authorization to perform action 'Microsoft.Marketplace/products/read' \
                 over the scope of the subscription, or the scope is invalid (the signed-in user has no Azure \
                 subscription that CSP Desk can read).",
            ));
        }
        Ok(())
    }
}

fn unauthorized(svc: Svc, arm_code: &str, message: &str) -> Response {
    let mut resp = match svc {
        Svc::PartnerCenter | Svc::Publisher => pc_error(StatusCode::UNAUTHORIZED, 800001, message),
        Svc::PartnerApi => service_error(svc, StatusCode::UNAUTHORIZED, 0, message),
        Svc::Arm | Svc::Saas | Svc::Graph | Svc::Blob => {
            error_obj(StatusCode::UNAUTHORIZED, arm_code, message)
        }
    };
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"sandbox\", error=\"invalid_token\""),
    );
    resp
}

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize).post(consent),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
        .route("/devicelogin", get(device_page).post(device_answer))
}

// ---------- wire helpers ----------

/// Entra's error body.
fn entra_error(status: StatusCode, error: &str, code: u32, message: &str) -> Response {
    let trace = uuid::Uuid::new_v4();
    let corr = uuid::Uuid::new_v4();
    let now = Utc::now().format("%Y-%m-%d %H:%M:%SZ");
    wire::json(
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {message}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {now}"),
            "error_codes": [code],
            "timestamp": now.to_string(),
            "trace_id": trace.to_string(),
            "correlation_id": corr.to_string(),
        }),
    )
}

fn bad(error: &str, code: u32, message: &str) -> Response {
    entra_error(StatusCode::BAD_REQUEST, error, code, message)
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    html_page(
        status,
        title,
        460,
        "h1{margin:0 0 16px;font-size:1.3rem} label{display:block;margin:12px 0 4px;color:#5a6472}\
         input{width:100%;box-sizing:border-box;padding:8px;font-size:1rem} ul{padding-left:20px}\
         button{margin:18px 8px 0 0} button.no{background:#fff;color:#1b1f24;border:1px solid #8a94a3}",
        body,
        "simulated Microsoft Entra ID sign-in",
    )
}

fn redirect(to: &str) -> Response {
    let mut resp = Response::new(axum::body::Body::empty());
    *resp.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `redirect_uri?k=v…`, for answers to the app.
fn back_to_app(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            u.query_pairs_mut().extend_pairs(pairs.iter());
            redirect(u.as_str())
        }
        Err(_) => html(
            StatusCode::BAD_REQUEST,
            "Sign-in error",
            "<p class=\"err\">Bad redirect address.</p>",
        ),
    }
}

fn tenant_known(tenant: &str) -> bool {
    ["organizations", "common", SANDBOX_TENANT_ID, SANDBOX_DOMAIN]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tenant))
}

fn loopback_redirect(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

/// The resource a scope string asks for (`Err` is Entra's refusal).
fn audience_of(scope: &str) -> Result<String, Response> {
    let mut auds = vec![];
    for s in scope.split_whitespace() {
        let lower = s.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "openid" | "profile" | "offline_access" | "email"
        ) {
            continue;
        }
        let aud = if lower.starts_with("https://api.partnercenter.microsoft.com") {
            PARTNER_CENTER_AUD
        } else if lower.starts_with("https://api.partner.microsoft.com") {
            PARTNER_API_AUD
        } else if lower.starts_with("https://management.azure.com")
            || lower.starts_with("https://management.core.windows.net")
        {
            ARM_AUD
        } else if lower.starts_with("https://graph.microsoft.com") {
            GRAPH_AUD
        } else {
            return Err(bad(
                "invalid_resource",
                500011,
                &format!("The resource principal named {s} was not found in the tenant named CSP Desk Sandbox."),
            ));
        };
        if !auds.contains(&aud) {
            auds.push(aud);
        }
    }
    match auds.len() {
        0 => Ok(GRAPH_AUD.to_string()),
        1 => Ok(auds[0].to_string()),
        _ => Err(bad(
            "invalid_scope",
            28000,
            "Provided value for the input parameter scope is not valid because it contains more than one resource.",
        )),
    }
}

fn has_scope(scope: &str, want: &str) -> bool {
    scope
        .split_whitespace()
        .any(|s| s.eq_ignore_ascii_case(want))
}

fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.{}",
        token_header(),
        b64(claims.to_string().as_bytes()),
        random(32)
    )
}

/// Issues the token answer for `user` and remembers what was issued.
fn issue(
    app: &Shared,
    client_id: &str,
    user: &User,
    scope: &str,
    with_refresh: bool,
) -> Result<Response, Response> {
    let aud = audience_of(scope)?;
    let now = app.clock.now();
    let tenant = SANDBOX_TENANT_ID;
    let iss = format!("{}{tenant}/v2.0", app.base);
    let lifetime = app.identity.with(|s| s.access_lifetime);
    let exp = now + lifetime;
    let scp: Vec<&str> = scope
        .split_whitespace()
        .filter(|s| !s.eq_ignore_ascii_case("offline_access"))
        .collect();
    let access = jwt(&json!({
        "aud": aud, "iss": iss, "iat": now.timestamp(), "nbf": now.timestamp(), "exp": exp.timestamp(),
        "tid": tenant, "oid": user.oid, "upn": user.upn, "name": user.name, "appid": client_id,
        "scp": scp.join(" "), "ver": "2.0", "uti": random(9),
    }));
    let id_token = has_scope(scope, "openid").then(|| {
        jwt(&json!({
            "aud": client_id, "iss": iss, "iat": now.timestamp(), "nbf": now.timestamp(),
            "exp": (now + Duration::hours(1)).timestamp(), "tid": tenant, "oid": user.oid,
            "preferred_username": user.upn, "name": user.name, "ver": "2.0",
        }))
    });
    let refresh = with_refresh.then(|| format!("0.SBX.{}", random(48)));
    app.identity.with(|s| {
        s.access.insert(
            access.clone(),
            AccessGrant {
                aud: aud.clone(),
                expires: exp,
            },
        );
        s.issued.push(access.clone());
        if let Some(id) = &id_token {
            s.issued.push(id.clone());
        }
        if let Some(rt) = &refresh {
            s.refresh.insert(
                rt.clone(),
                RefreshGrant {
                    client_id: client_id.to_string(),
                    user: user.clone(),
                    issued: now,
                    last_used: now,
                    spent: None,
                },
            );
            s.issued.push(rt.clone());
        }
    });
    let secs = lifetime.num_seconds().max(0);
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scp.join(" "),
        "expires_in": secs,
        "ext_expires_in": secs,
        "access_token": access,
    });
    if let Some(rt) = refresh {
        body["refresh_token"] = Value::String(rt);
    }
    if let Some(id) = id_token {
        body["id_token"] = Value::String(id);
    }
    let mut resp = wire::ok(&body);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

fn user_in_tenant(username: &str) -> Result<User, (u32, String)> {
    let u = username.trim();
    let u = if u.is_empty() { SANDBOX_USER } else { u };
    match u.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.eq_ignore_ascii_case(SANDBOX_DOMAIN) => Ok(User::new(u)),
        _ => Err((
            50020,
            format!(
                "User account '{u}' from identity provider 'live.com' does not exist in tenant 'CSP Desk Sandbox' \
                 and cannot access the application in that tenant. The account needs to be added as an external \
                 user in the tenant first."
            ),
        )),
    }
}

// ---------- authorization code ----------

async fn authorize(
    State(app): State<Shared>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(redirect_uri) = get("redirect_uri").filter(|r| loopback_redirect(r)) else {
        return html(
            StatusCode::BAD_REQUEST,
            "Sign-in error",
            "<h1>Sign-in error</h1><p class=\"err\">AADSTS50011: The redirect URI specified in the request does not \
             match the redirect URIs configured for the application. The sandbox accepts loopback addresses \
             (http://localhost:PORT/).</p>",
        );
    };
    let state = get("state");
    let fail = |error: &str, code: u32, message: &str| {
        let d = format!("AADSTS{code}: {message}");
        let mut pairs = vec![("error", error), ("error_description", d.as_str())];
        if let Some(s) = &state {
            pairs.push(("state", s.as_str()));
        }
        back_to_app(&redirect_uri, &pairs)
    };
    if !tenant_known(&tenant) {
        return fail(
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID."
            ),
        );
    }
    let Some(client_id) = get("client_id") else {
        return fail(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    if get("response_type").as_deref() != Some("code") {
        return fail(
            "unsupported_response_type",
            700054,
            "response_type must be 'code' (authorization code flow).",
        );
    }
    let scope = get("scope").unwrap_or_default();
    if audience_of(&scope).is_err() {
        return fail(
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' is not valid.",
        );
    }
    let (Some(challenge), Some("S256")) = (
        get("code_challenge"),
        get("code_challenge_method").as_deref(),
    ) else {
        return fail(
            "invalid_request",
            9002325,
            "Proof Key for Code Exchange (PKCE) with code_challenge_method S256 is required.",
        );
    };
    let handle = random(18);
    let req = AuthRequest {
        tenant,
        client_id: client_id.clone(),
        redirect_uri,
        scope: scope.clone(),
        state,
        challenge,
        expires: app.clock.now() + Duration::minutes(10),
    };
    let login_hint = get("login_hint").unwrap_or_else(|| SANDBOX_USER.to_string());
    app.identity
        .with(|s| s.requests.insert(handle.clone(), req));
    let perms: String = scope
        .split_whitespace()
        .map(|s| format!("<li>{}</li>", esc(s)))
        .collect();
    html(
        StatusCode::OK,
        "Sign in — CSP Desk sandbox",
        &format!(
            "<h1>Sign in to CSP Desk (sandbox)</h1>\
             <p>The app <b>{client}</b> asks to:</p><ul>{perms}</ul>\
             <form method=\"post\"><input type=\"hidden\" name=\"request\" value=\"{handle}\">\
             <label for=\"username\">Account</label>\
             <input id=\"username\" name=\"username\" value=\"{user}\">\
             <button name=\"decision\" value=\"accept\">Accept</button>\
             <button class=\"no\" name=\"decision\" value=\"decline\">Cancel</button></form>",
            client = esc(&client_id),
            handle = esc(&handle),
            user = esc(&login_hint),
        ),
    )
}

async fn consent(
    State(app): State<Shared>,
    Path(_tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let handle = f.get("request").cloned().unwrap_or_default();
    let req = app.identity.with(|s| s.requests.remove(&handle));
    let Some(req) = req.filter(|r| r.expires > app.clock.now()) else {
        return html(
            StatusCode::BAD_REQUEST,
            "Sign-in expired",
            "<h1>This sign-in has expired</h1><p class=\"err\">Start the sign-in again from CSP Desk.</p>",
        );
    };
    let state = req.state.clone().unwrap_or_default();
    let answer = |pairs: Vec<(&str, &str)>| {
        let mut pairs = pairs;
        if req.state.is_some() {
            pairs.push(("state", state.as_str()));
        }
        back_to_app(&req.redirect_uri, &pairs)
    };
    if f.get("decision").map(String::as_str) != Some("accept") {
        return answer(vec![
            ("error", "access_denied"),
            (
                "error_description",
                "AADSTS65004: User declined to consent to access the app.",
            ),
        ]);
    }
    let user = match user_in_tenant(f.get("username").map_or("", String::as_str)) {
        Ok(u) => u,
        Err((code, message)) => {
            let d = format!("AADSTS{code}: {message}");
            return answer(vec![
                ("error", "access_denied"),
                ("error_description", d.as_str()),
            ]);
        }
    };
    tracing::debug!(tenant = %req.tenant, user = %user.upn, "sandbox sign-in accepted");
    let code = format!("sbx-code.{}", random(32));
    app.identity.with(|s| {
        s.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: req.client_id.clone(),
                redirect_uri: req.redirect_uri.clone(),
                scope: req.scope.clone(),
                challenge: req.challenge.clone(),
                user,
                expires: app.clock.now() + Duration::minutes(10),
            },
        );
        s.issued.push(code.clone());
    });
    answer(vec![("code", code.as_str())])
}

// ---------- token endpoint ----------

async fn token(
    State(app): State<Shared>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_known(&tenant) {
        return bad(
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID."
            ),
        );
    }
    let get = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(client_id) = get("client_id") else {
        return bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    let result = match get("grant_type").as_deref() {
        Some("authorization_code") => code_grant(&app, &client_id, &f),
        Some("refresh_token") => refresh_grant(&app, &client_id, &f),
        Some("urn:ietf:params:oauth:grant-type:device_code") => device_grant(&app, &client_id, &f),
        _ => Err(bad(
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        )),
    };
    result.unwrap_or_else(|r| r)
}

fn code_grant(
    app: &Shared,
    client_id: &str,
    f: &HashMap<String, String>,
) -> Result<Response, Response> {
    let code = f.get("code").cloned().unwrap_or_default();
    let grant = app.identity.with(|s| s.codes.remove(&code));
    let invalid = || {
        bad(
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed.",
        )
    };
    let grant = grant.ok_or_else(invalid)?;
    if grant.expires <= app.clock.now() {
        return Err(bad(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity.",
        ));
    }
    if grant.client_id != client_id {
        return Err(invalid());
    }
    if f.get("redirect_uri").map(String::as_str) != Some(grant.redirect_uri.as_str()) {
        return Err(bad(
            "invalid_grant",
            50011,
            "The redirect URI does not match the one of the authorization request.",
        ));
    }
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if b64(&sha2::Sha256::digest(verifier.as_bytes())) != grant.challenge {
        return Err(bad(
            "invalid_grant",
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ));
    }
    let with_refresh = has_scope(&grant.scope, "offline_access");
    issue(app, client_id, &grant.user, &grant.scope, with_refresh)
}

fn refresh_grant(
    app: &Shared,
    client_id: &str,
    f: &HashMap<String, String>,
) -> Result<Response, Response> {
    let rt = f.get("refresh_token").cloned().unwrap_or_default();
    let scope = f.get("scope").cloned().unwrap_or_default();
    let now = app.clock.now();
    let (grant, revoked, refused) = app.identity.with(|s| {
        let refused = s
            .refused_scopes
            .iter()
            .find(|(p, _)| {
                scope
                    .split_whitespace()
                    .any(|sc| sc.starts_with(p.as_str()))
            })
            .map(|(_, c)| *c);
        (
            s.refresh.get(&rt).cloned(),
            s.revoked.contains(&rt),
            refused,
        )
    });
    if revoked {
        return Err(bad(
            "invalid_grant",
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
        ));
    }
    let malformed = || {
        bad(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        )
    };
    let grant = grant.ok_or_else(malformed)?;
    if grant
        .spent
        .is_some_and(|t| now - t > Duration::seconds(SPENT_GRACE))
    {
        app.identity.with(|s| s.refresh.remove(&rt));
        return Err(malformed());
    }
    if now - grant.last_used > Duration::days(90) {
        app.identity.with(|s| s.refresh.remove(&rt));
        return Err(bad(
            "invalid_grant",
            700082,
            &format!(
                "The refresh token has expired due to inactivity. The token was issued on {} and was inactive for 90.00:00:00.",
                grant.issued.to_rfc3339()
            ),
        ));
    }
    if grant.client_id != client_id {
        return Err(bad(
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed.",
        ));
    }
    if let Some(code) = refused {
        let message = match code {
            65001 => format!(
                "The user or administrator has not consented to use the application with ID '{client_id}' named 'CSP Desk'. \
                 Send an interactive authorization request for this user and resource."
            ),
            50076 => "Due to a configuration change made by your administrator, or because you moved to a new location, \
                      you must use multi-factor authentication to access this resource."
                .to_string(),
            _ => "The request was refused by the sandbox.".to_string(),
        };
        return Err(bad("invalid_grant", code, &message));
    }
    let resp = issue(app, client_id, &grant.user, &scope, true)?;
    // Rotation: the redeemed refresh token is spent (see SPENT_GRACE).
    app.identity.with(|s| {
        if let Some(g) = s.refresh.get_mut(&rt) {
            g.spent.get_or_insert(now);
        }
    });
    Ok(resp)
}

fn device_grant(
    app: &Shared,
    client_id: &str,
    f: &HashMap<String, String>,
) -> Result<Response, Response> {
    let dc = f.get("device_code").cloned().unwrap_or_default();
    let now = app.clock.now();
    let grant = app.identity.with(|s| s.devices.get(&dc).cloned());
    let grant = grant.filter(|g| g.client_id == client_id).ok_or_else(|| {
        bad(
            "bad_verification_code",
            70019,
            "Verification code expired or was already used.",
        )
    })?;
    if grant.expires <= now {
        app.identity.with(|s| s.devices.remove(&dc));
        return Err(bad("expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. Device codes expire after 15 minutes."));
    }
    match grant.status {
        DeviceStatus::Pending => Err(bad(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )),
        DeviceStatus::Declined => {
            app.identity.with(|s| s.devices.remove(&dc));
            Err(bad(
                "authorization_declined",
                70000,
                "The user declined the sign-in request.",
            ))
        }
        DeviceStatus::Approved(user) => {
            app.identity.with(|s| s.devices.remove(&dc));
            issue(
                app,
                client_id,
                &user,
                &grant.scope,
                has_scope(&grant.scope, "offline_access"),
            )
        }
    }
}

// ---------- device code ----------

async fn devicecode(
    State(app): State<Shared>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_known(&tenant) {
        return bad(
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID."
            ),
        );
    }
    let Some(client_id) = f.get("client_id").filter(|c| !c.trim().is_empty()).cloned() else {
        return bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    let scope = f.get("scope").cloned().unwrap_or_default();
    if let Err(resp) = audience_of(&scope) {
        return resp;
    }
    let device_code = random(48);
    let user_code: String = {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut buf = [0u8; 9];
        rand::thread_rng().fill_bytes(&mut buf);
        buf.iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect()
    };
    let uri = format!("{}devicelogin", app.base);
    app.identity.with(|s| {
        s.devices.insert(
            device_code.clone(),
            DeviceGrant {
                client_id,
                scope,
                user_code: user_code.clone(),
                status: DeviceStatus::Pending,
                expires: app.clock.now() + Duration::minutes(15),
            },
        );
        s.issued.push(device_code.clone());
    });
    wire::ok(&json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": uri,
        "expires_in": 900,
        "interval": 1,
        "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
    }))
}

async fn device_page(Query(q): Query<HashMap<String, String>>) -> Response {
    let code = q.get("code").cloned().unwrap_or_default();
    html(
        StatusCode::OK,
        "Enter code — CSP Desk sandbox",
        &format!(
            "<h1>Enter the code shown by CSP Desk</h1>\
             <form method=\"post\"><label for=\"user_code\">Code</label>\
             <input id=\"user_code\" name=\"user_code\" value=\"{code}\" autocomplete=\"off\">\
             <label for=\"username\">Account</label><input id=\"username\" name=\"username\" value=\"{user}\">\
             <button name=\"decision\" value=\"approve\">Sign in</button>\
             <button class=\"no\" name=\"decision\" value=\"decline\">Cancel</button></form>",
            code = esc(&code),
            user = esc(SANDBOX_USER),
        ),
    )
}

async fn device_answer(
    State(app): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let code: String = f
        .get("user_code")
        .map(|c| {
            c.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .unwrap_or_default();
    let approve = f.get("decision").map(String::as_str) != Some("decline");
    let user = if approve {
        match user_in_tenant(f.get("username").map_or("", String::as_str)) {
            Ok(u) => Some(u),
            Err((code, message)) => {
                return html(
                    StatusCode::BAD_REQUEST,
                    "Sign-in error",
                    &format!(
                        "<h1>Sign-in error</h1><p class=\"err\">AADSTS{code}: {}</p>",
                        esc(&message)
                    ),
                )
            }
        }
    } else {
        None
    };
    let now = app.clock.now();
    let found = app.identity.with(|s| {
        let g = s.devices.values_mut().find(|g| {
            g.user_code == code && g.expires > now && matches!(g.status, DeviceStatus::Pending)
        })?;
        g.status = match user {
            Some(u) => DeviceStatus::Approved(u),
            None => DeviceStatus::Declined,
        };
        Some(())
    });
    match (found, approve) {
        (None, _) => html(
            StatusCode::BAD_REQUEST,
            "Code not recognized",
            "<h1>That code was not recognized</h1><p class=\"err\">Check the code, or start the sign-in again \
             on your device: codes expire after 15 minutes.</p>",
        ),
        (Some(()), true) => html(
            StatusCode::OK,
            "Signed in",
            "<h1>You have signed in to CSP Desk</h1><p>You can close this window and go back to your device.</p>",
        ),
        (Some(()), false) => html(
            StatusCode::OK,
            "Sign-in cancelled",
            "<h1>Sign-in cancelled</h1><p>CSP Desk on your device was told that you declined.</p>",
        ),
    }
}
