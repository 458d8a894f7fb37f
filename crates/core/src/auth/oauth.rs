//! The OAuth2 exchanges with Microsoft Entra ID (or the sandbox playing it), through the
//! `oauth2` crate: authorization code with PKCE over a loopback redirect, the device code
//! flow, and refresh-token grants per audience. Plus the translation of Entra's refusals
//! (`error` and `AADSTS` codes) into plain words with what to do.
//!
//! What it deliberately does not do: keep anything. Tokens come back as [`Grant`]s to the
//! caller ([`super::Auth`], [`super::OAuthTokens`]), which decide what goes to the keychain.

use std::net::Ipv4Addr;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, CsrfToken, DeviceAuthorizationResponse,
    DeviceAuthorizationUrl, EndpointNotSet, EndpointSet, ErrorResponseType, ExtraTokenFields,
    HttpClientError, PkceCodeChallenge, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardErrorResponse, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{AuthReason, Error, Result, Service};
use crate::partner_center::auth::Audience;
use crate::partner_center::Endpoints;
use crate::secrets::Secret;

pub use crate::error::SIGN_IN_AGAIN;

/// What a person is told to do when nobody is signed in.
pub const SIGN_IN: &str =
    "Sign in (in the app: Sign in; on the command line: cspdesk login --device-code)";

/// Scopes asked for at sign-in: Partner Center, plus a refresh token and the id token.
pub fn sign_in_scopes() -> [&'static str; 4] {
    [
        Audience::PartnerCenter.scope(),
        "offline_access",
        "openid",
        "profile",
    ]
}

/// Where and as which app to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// `https://login.microsoftonline.com/`, or the sandbox's base URL.
    pub authority: Url,
    /// Tenant path segment: a tenant id or domain, or `organizations`.
    pub tenant: String,
    /// Application (client) id of the app registration.
    pub client_id: String,
}

impl AuthConfig {
    pub fn new(
        authority: Url,
        tenant: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<AuthConfig> {
        Endpoints::check_secure(&authority)?;
        let mut authority = authority;
        if !authority.path().ends_with('/') {
            let p = format!("{}/", authority.path());
            authority.set_path(&p);
        }
        let tenant = tenant.into().trim().to_string();
        let tenant = if tenant.is_empty() {
            "organizations".to_string()
        } else {
            tenant
        };
        if !tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(crate::message::Message::SettingNotTenant {
                value: tenant.to_string(),
            }
            .into());
        }
        let client_id = client_id.into().trim().to_string();
        Ok(AuthConfig {
            authority,
            tenant,
            client_id,
        })
    }

    /// Sign-in needs the app registration's id (status and sign-out do not).
    pub fn require_client_id(&self) -> Result<()> {
        if self.client_id.is_empty() {
            return Err(crate::message::Message::ClientIdMissing.into());
        }
        Ok(())
    }

    /// `{authority}{tenant}/oauth2/v2.0/{leaf}`
    pub fn endpoint(&self, leaf: &str) -> Result<Url> {
        self.authority
            .join(&format!("{}/oauth2/v2.0/{leaf}", self.tenant))
            .map_err(|e| Error::Invalid(format!("sign-in address for {leaf}: {e}")))
    }
}

/// Fields Entra adds to the token answer that CSP Desk reads.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(crate) struct EntraFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl std::fmt::Debug for EntraFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntraFields { id_token: <redacted> }")
    }
}

impl ExtraTokenFields for EntraFields {}

/// Fields Entra adds to the device code answer.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct DeviceFields {
    #[serde(default)]
    message: Option<String>,
}

impl oauth2::ExtraDeviceAuthorizationFields for DeviceFields {}

type EntraTokenResponse = StandardTokenResponse<EntraFields, BasicTokenType>;

type EntraClient<HasAuthUrl, HasDeviceUrl> = oauth2::Client<
    BasicErrorResponse,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    HasDeviceUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn client(cfg: &AuthConfig) -> Result<EntraClient<EndpointNotSet, EndpointNotSet>> {
    cfg.require_client_id()?;
    Ok(oauth2::Client::new(ClientId::new(cfg.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(cfg.endpoint("token")?)))
}

/// Tokens from one answer of the token endpoint.
pub(crate) struct Grant {
    pub access_token: Secret,
    pub expires_in: Duration,
    pub refresh_token: Option<Secret>,
    pub id_token: Option<Secret>,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

fn grant(r: EntraTokenResponse) -> Grant {
    Grant {
        access_token: Secret::new(r.access_token().secret().clone()),
        // Entra always sends expires_in; without it, assume the documented hour.
        expires_in: r.expires_in().unwrap_or(Duration::from_secs(3600)),
        refresh_token: r.refresh_token().map(|t| Secret::new(t.secret().clone())),
        id_token: r.extra_fields().id_token.clone().map(Secret::new),
    }
}

/// A refused token request: the error to show, and whether the refresh token itself is dead
/// (expired or revoked), so that it should be forgotten.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub error: Error,
    pub session_dead: bool,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal {
            error,
            session_dead: false,
        }
    }
}

/// `AADSTS65001: …` → 65001
fn aadsts_code(description: &str) -> Option<u32> {
    let at = description.find("AADSTS")? + "AADSTS".len();
    let digits: String = description[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn what_needs(scope: Option<&str>) -> &'static str {
    match scope {
        Some(s) if s == Audience::PartnerApi.scope() => "the Partner API (price sheets)",
        Some(s) if s == Audience::Arm.scope() => {
            "Azure Resource Manager (the marketplace catalog's categories, contacts and trials)"
        }
        Some(s) if s == Audience::Graph.scope() => {
            "Microsoft Graph's billing reconciliation (PartnerBilling.Read.All: invoice line items)"
        }
        _ => "Partner Center",
    }
}

/// Entra's refusal in plain words, with what to do. Entra's own words follow in brackets.
pub(crate) fn explain(error: &str, description: Option<&str>, scope: Option<&str>) -> Refusal {
    let description = description.unwrap_or("").trim();
    let first_line = description.lines().next().unwrap_or("").trim();
    let code = aadsts_code(description);
    let words = if first_line.is_empty() {
        format!("(Entra ID: {error})")
    } else {
        format!("(Entra ID: {error}: {first_line})")
    };
    use AuthReason as R;
    let mut session_dead = false;
    let (reason, plain) = match (code, error) {
        (Some(65001), _) | (_, "consent_required") => (R::ConsentRequired, format!(
            "CSP Desk has no consent to use {} for this account. Ask a Global Administrator of your partner \
             tenant to grant admin consent to the app registration (Microsoft Entra admin center → App \
             registrations → the app → API permissions → Grant admin consent), then sign in again",
            what_needs(scope)
        )),
        (Some(50076 | 50079 | 50074 | 50072 | 50158), _) => (R::MfaRequired, format!(
            "Your organization requires multi-factor authentication (MFA) for {}. Sign in again interactively \
             (in the app: Sign in; on the command line: cspdesk login) and complete the MFA prompt; \
             if MFA is not set up for your account yet, set it up at https://aka.ms/mfasetup first",
            what_needs(scope)
        )),
        (Some(50020), _) => (R::WrongTenant, "The account you signed in with belongs to another organization and is not a \
             member of this tenant. Sign in with an account of your partner tenant, or set tenant_id in the \
             settings to your partner tenant's id"
            .to_string()),
        (Some(90072), _) => (R::WrongTenant, "The account you signed in with does not exist in the tenant CSP Desk signs in to. \
             Sign in with an account of your partner tenant, or check tenant_id in the settings"
            .to_string()),
        (Some(700016), _) => (R::AppRegistration, "The application (client) id is not known in this tenant. Check client_id and \
             tenant_id in the settings: the app must be registered in your partner tenant (or consented to there)"
            .to_string()),
        (Some(90002 | 90023), _) => (
            R::WrongTenant,
            "The tenant was not found. Check tenant_id in the settings (your partner tenant's directory id or domain)"
                .to_string(),
        ),
        (Some(7000218), _) => (R::AppRegistration, "The app registration does not allow this sign-in method. In the Microsoft Entra \
             admin center, open the app registration → Authentication and set \"Allow public client flows\" to Yes"
            .to_string()),
        (Some(50011 | 500113), _) => (R::AppRegistration, "The app registration does not accept CSP Desk's redirect address. Add \
             http://localhost as a redirect URI of the \"Mobile and desktop applications\" platform of the app \
             registration"
            .to_string()),
        (Some(65004), _) | (_, "access_denied" | "authorization_declined") => (
            R::Declined,
            "The sign-in was declined. Start it again and accept the request".to_string(),
        ),
        (_, "expired_token") => (
            R::Declined,
            "The sign-in code expired before it was used. Start the sign-in again".to_string(),
        ),
        (_, "bad_verification_code") => (
            R::Declined,
            "The sign-in code was not recognized. Start the sign-in again".to_string(),
        ),
        (Some(50173 | 70008 | 700082 | 50132 | 50133 | 70043 | 700084 | 9002313), _)
        | (None, "invalid_grant") => {
            session_dead = true;
            (
                R::Expired,
                format!("Your sign-in has expired or was revoked. {SIGN_IN_AGAIN}; the work you had open is kept"),
            )
        }
        _ => (R::Other, format!("Sign-in to {} failed", what_needs(scope))),
    };
    Refusal {
        error: Error::auth(reason, format!("{plain} {words}")),
        session_dead,
    }
}

fn request_error<T: ErrorResponseType + std::fmt::Display + 'static>(
    e: RequestTokenError<HttpClientError<reqwest::Error>, StandardErrorResponse<T>>,
    what: &str,
    scope: Option<&str>,
) -> Refusal {
    match e {
        RequestTokenError::ServerResponse(r) => explain(
            &r.error().to_string(),
            r.error_description().map(String::as_str),
            scope,
        ),
        RequestTokenError::Request(HttpClientError::Reqwest(source)) => Refusal::from(Error::Network {
            service: Service::Identity,
            what: what.to_string(),
            source: *source,
        }),
        RequestTokenError::Request(other) => Refusal::from(Error::auth(
            AuthReason::Other,
            format!("could not reach Microsoft Entra ID ({what}): {other}"),
        )),
        // Never echo the body: it may hold tokens.
        RequestTokenError::Parse(e, _body) => Refusal::from(Error::auth(
            AuthReason::Other,
            format!(
                "Microsoft Entra ID sent an answer to {what} that CSP Desk could not read (at `{}`)",
                e.path()
            ),
        )),
        RequestTokenError::Other(m) => {
            Refusal::from(Error::auth(AuthReason::Other, format!("{what}: {m}")))
        }
    }
}

/// Refuse to open anything but `https://` links, or `http://` links to this machine (the
/// sandbox's sign-in pages), in the browser.
pub fn check_openable(url: &Url) -> Result<()> {
    let ok = match url.scheme() {
        "https" => true,
        "http" => Endpoints::is_loopback(url),
        _ => false,
    } && url.username().is_empty()
        && url.password().is_none();
    if ok {
        Ok(())
    } else {
        Err(crate::message::Message::BrowserRefused {
            url: url.to_string(),
        }
        .refused())
    }
}

// ---------- authorization code + PKCE over a loopback redirect ----------

struct Redirect {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:36em;margin:4em auto\">\
         <h1>{t}</h1><p>{b}</p></body></html>",
        t = html_escape(title),
        b = html_escape(body)
    )
}

/// The query of one HTTP request's first line (`GET /?code=…&state=… HTTP/1.1`). The head is
/// read up to its blank line, at most 16 KiB; anything else is `None`.
async fn read_query(
    sock: &mut tokio::net::TcpStream,
) -> Option<std::collections::HashMap<String, String>> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut buf).await.ok()?;
        if n == 0 || head.len() > 16 * 1024 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = head.split(|b| *b == b'\n').next()?;
    let target = std::str::from_utf8(line).ok()?.split(' ').nth(1)?;
    let query = target.split_once('?').map_or("", |(_, q)| q);
    Some(
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
    )
}

/// Answers one connection on the loopback redirect. Returns what it carried when that was the
/// sign-in's answer (a code or an error).
async fn answer_redirect(mut sock: tokio::net::TcpStream) -> Option<Redirect> {
    use tokio::io::AsyncWriteExt;
    let q = tokio::time::timeout(Duration::from_secs(30), read_query(&mut sock))
        .await
        .ok()
        .flatten()?;
    let done = q.contains_key("code") || q.contains_key("error");
    let html = if !done {
        page(
            "CSP Desk",
            "Waiting for the sign-in to finish. You can close this tab.",
        )
    } else if q.contains_key("code") {
        page(
            "Signed in to CSP Desk",
            "You can close this tab and go back to CSP Desk.",
        )
    } else {
        let detail = q.get("error_description").cloned().unwrap_or_default();
        page(
            "Sign-in did not complete",
            &format!(
                "{} You can close this tab and go back to CSP Desk.",
                detail.lines().next().unwrap_or("")
            ),
        )
    };
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\ncache-control: no-store\r\n\r\n{html}",
        html.len()
    );
    let _ = sock.write_all(reply.as_bytes()).await;
    let _ = sock.shutdown().await;
    done.then(|| Redirect {
        code: q.get("code").cloned(),
        state: q.get("state").cloned(),
        error: q.get("error").cloned(),
        error_description: q.get("error_description").cloned(),
    })
}

/// Serves the loopback redirect until the first answer that carries a code or an error. Each
/// connection is answered on its own task, so a browser's idle pre-connection holds up nothing.
async fn serve_redirect(
    listener: tokio::net::TcpListener,
    tx: tokio::sync::oneshot::Sender<Redirect>,
) {
    let (got_tx, mut got_rx) = tokio::sync::mpsc::channel::<Redirect>(1);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((sock, _)) => {
                    let got = got_tx.clone();
                    tokio::spawn(async move {
                        if let Some(r) = answer_redirect(sock).await {
                            let _ = got.send(r).await;
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!("sign-in redirect listener stopped: {e}");
                    return;
                }
            },
            Some(r) = got_rx.recv() => {
                let _ = tx.send(r);
                return;
            }
        }
    }
}

/// Signs in through the system browser: listens on `127.0.0.1:<free port>`, hands the
/// authorize URL to `open`, waits (up to `timeout`) for the redirect, checks `state`, and
/// redeems the code with the PKCE verifier.
pub(crate) async fn authorization_code(
    cfg: &AuthConfig,
    http: &reqwest::Client,
    open: impl FnOnce(&Url) -> Result<()>,
    timeout: Duration,
) -> Result<Grant> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| Error::io("could not listen on 127.0.0.1 for the sign-in redirect", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("could not read the sign-in listener's address", e))?
        .port();
    let redirect = RedirectUrl::new(format!("http://localhost:{port}/"))
        .map_err(|e| Error::Invalid(format!("redirect address: {e}")))?;
    let client = client(cfg)?
        .set_auth_uri(AuthUrl::from_url(cfg.endpoint("authorize")?))
        .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(sign_in_scopes().map(|s| Scope::new(s.to_string())))
        .add_extra_param("prompt", "select_account")
        .set_pkce_challenge(challenge)
        .url();

    let (tx, rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(serve_redirect(listener, tx));
    let opened = check_openable(&url).and_then(|()| open(&url));
    if let Err(e) = opened {
        server.abort();
        return Err(e);
    }
    let answer = tokio::time::timeout(timeout, rx).await;
    server.abort();
    let answer = match answer {
        Ok(Ok(a)) => a,
        Ok(Err(_)) => return Err(Error::auth(
            AuthReason::Other,
            "the sign-in listener stopped before the browser came back. Start the sign-in again",
        )),
        Err(_) => {
            return Err(Error::auth(
                AuthReason::Declined,
                format!(
                    "the sign-in was not finished in the browser within {} minutes. Start it again",
                    timeout.as_secs().div_ceil(60)
                ),
            ))
        }
    };
    if answer.state.as_deref() != Some(state.secret().as_str()) {
        return Err(Error::auth(
            AuthReason::Other,
            "the browser came back with an answer to another sign-in (state mismatch), so it was \
             ignored. Start the sign-in again",
        ));
    }
    if let Some(error) = &answer.error {
        return Err(explain(error, answer.error_description.as_deref(), None).error);
    }
    let code = answer.code.ok_or_else(|| {
        Error::auth(
            AuthReason::Other,
            "the browser came back without a sign-in code. Start the sign-in again",
        )
    })?;
    let resp = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await
        .map_err(|e| request_error(e, "signing in", None).error)?;
    Ok(grant(resp))
}

// ---------- device code ----------

/// A started device code sign-in: show `message` (or `user_code` and `verification_uri`) to
/// the person, then call [`super::Auth::finish_device_code`].
#[derive(Debug, Clone)]
pub struct DeviceCode {
    /// The code the person types on the verification page.
    pub user_code: String,
    /// The page where the code is entered.
    pub verification_uri: String,
    /// Entra's own instruction, ready to print.
    pub message: String,
    /// How long the code is valid.
    pub expires_in: Duration,
    details: DeviceAuthorizationResponse<DeviceFields>,
}

pub(crate) async fn device_code_start(
    cfg: &AuthConfig,
    http: &reqwest::Client,
) -> Result<DeviceCode> {
    let client = client(cfg)?.set_device_authorization_url(DeviceAuthorizationUrl::from_url(
        cfg.endpoint("devicecode")?,
    ));
    let details: DeviceAuthorizationResponse<DeviceFields> = client
        .exchange_device_code()
        .add_scopes(sign_in_scopes().map(|s| Scope::new(s.to_string())))
        .request_async(http)
        .await
        .map_err(|e| request_error(e, "starting the device code sign-in", None).error)?;
    Ok(device_code(details))
}

fn device_code(details: DeviceAuthorizationResponse<DeviceFields>) -> DeviceCode {
    let user_code = details.user_code().secret().clone();
    let verification_uri = details.verification_uri().to_string();
    let message = details.extra_fields().message.clone().unwrap_or_else(|| {
        format!(
            "To sign in, open {verification_uri} in a web browser and enter the code {user_code}."
        )
    });
    DeviceCode {
        user_code,
        verification_uri,
        message,
        expires_in: details.expires_in(),
        details,
    }
}

pub(crate) async fn device_code_finish(
    cfg: &AuthConfig,
    http: &reqwest::Client,
    code: &DeviceCode,
) -> Result<Grant> {
    let client = client(cfg)?;
    let resp = client
        .exchange_device_access_token(&code.details)
        .request_async(http, tokio::time::sleep, None)
        .await
        .map_err(|e| request_error(e, "finishing the device code sign-in", None).error)?;
    Ok(grant(resp))
}

// ---------- refresh ----------

/// Redeems the refresh token for an access token to `scope` (and, usually, a new refresh token).
pub(crate) async fn refresh(
    cfg: &AuthConfig,
    http: &reqwest::Client,
    refresh_token: &Secret,
    scope: &str,
) -> std::result::Result<Grant, Refusal> {
    let client = client(cfg)?;
    let rt = RefreshToken::new(refresh_token.expose().to_string());
    let resp = client
        .exchange_refresh_token(&rt)
        .add_scope(Scope::new(scope.to_string()))
        .add_scope(Scope::new("offline_access".to_string()))
        .request_async(http)
        .await
        .map_err(|e| request_error(e, "renewing the sign-in", Some(scope)))?;
    Ok(grant(resp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(error: &str, desc: &str, scope: Option<&str>) -> (String, bool) {
        let r = explain(error, Some(desc), scope);
        (r.error.to_string(), r.session_dead)
    }

    #[test]
    fn entra_refusals_in_plain_words() {
        let (m, dead) = msg(
            "invalid_grant",
            "AADSTS65001: The user or administrator has not consented to use the application.\r\nTrace ID: x",
            Some(Audience::Arm.scope()),
        );
        assert!(
            m.contains("admin consent") && m.contains("Azure Resource Manager"),
            "{m}"
        );
        assert!(m.contains("AADSTS65001") && !m.contains("Trace ID"), "{m}");
        assert!(!dead);

        let (m, dead) = msg(
            "invalid_grant",
            "AADSTS50076: Due to a configuration change…",
            None,
        );
        assert!(m.contains("multi-factor"), "{m}");
        assert!(!dead);
        assert!(msg("invalid_grant", "AADSTS50079: …", None)
            .0
            .contains("multi-factor"));
        assert!(msg("invalid_request", "AADSTS50020: User account …", None)
            .0
            .contains("another organization"));
        assert!(msg("invalid_request", "AADSTS90072: …", None)
            .0
            .contains("does not exist in the tenant"));
        assert!(
            msg("unauthorized_client", "AADSTS700016: Application …", None)
                .0
                .contains("client_id")
        );

        let (m, dead) = msg(
            "invalid_grant",
            "AADSTS50173: The provided grant has expired due to it being revoked",
            None,
        );
        assert!(
            m.contains("Sign in again") && m.contains("work you had open is kept"),
            "{m}"
        );
        assert!(dead);
        assert!(
            msg(
                "invalid_grant",
                "AADSTS700082: expired due to inactivity",
                None
            )
            .1
        );
    }

    #[test]
    fn only_https_or_loopback_links_are_opened() {
        let ok = |s: &str| check_openable(&Url::parse(s).unwrap()).is_ok();
        assert!(ok(
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1"
        ));
        assert!(ok(
            "http://127.0.0.1:5000/organizations/oauth2/v2.0/authorize"
        ));
        assert!(ok("http://localhost:5000/devicelogin"));
        assert!(!ok("http://login.example.com/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("javascript:alert(1)"));
        assert!(!ok("https://user:pw@example.com/"));
    }

    #[test]
    fn config_builds_entra_addresses() {
        let c = AuthConfig::new(
            Url::parse("https://login.microsoftonline.com").unwrap(),
            "",
            "11111111-2222-3333-4444-555555555555",
        )
        .unwrap();
        assert_eq!(
            c.endpoint("token").unwrap().as_str(),
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/token"
        );
        assert!(
            AuthConfig::new(Url::parse("http://login.example.com/").unwrap(), "t", "c").is_err()
        );
        assert!(AuthConfig::new(Url::parse("https://x/").unwrap(), "a/b", "c").is_err());
        assert!(AuthConfig::new(Url::parse("https://x/").unwrap(), "t", " ")
            .unwrap()
            .require_client_id()
            .is_err());
    }
}

// ---------- the token endpoint's answers, read by the types the sign-in reads them with ----------

/// What CSP Desk takes from a success answer of Entra's token endpoint. Public for the
/// documented-shape test (`tests/documented_shapes.rs`), which reads Microsoft's samples through
/// the same types the sign-in does.
#[derive(Debug)]
pub struct TokenAnswer {
    pub token_type: String,
    pub access_token: Secret,
    pub expires_in: Duration,
    pub refresh_token: Option<Secret>,
    pub id_token: Option<Secret>,
    pub scopes: Vec<String>,
}

/// Reads a success answer of the token endpoint as the sign-in does.
pub fn read_token_answer(body: &[u8]) -> Result<TokenAnswer> {
    let r: EntraTokenResponse =
        crate::partner_center::json::decode(body, "the token endpoint's answer")?;
    let token_type = r.token_type().as_ref().to_string();
    let scopes = r
        .scopes()
        .map(|s| s.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let g = grant(r);
    Ok(TokenAnswer {
        token_type,
        access_token: g.access_token,
        expires_in: g.expires_in,
        refresh_token: g.refresh_token,
        id_token: g.id_token,
        scopes,
    })
}

/// Reads an error answer of the token endpoint as the sign-in does, and returns the error a
/// person would be shown.
pub fn read_token_error(body: &[u8]) -> Result<Error> {
    let r: BasicErrorResponse =
        crate::partner_center::json::decode(body, "the token endpoint's error")?;
    Ok(explain(
        r.error().as_ref(),
        r.error_description().map(String::as_str),
        None,
    )
    .error)
}

/// Reads the device code endpoint's answer as the sign-in does.
pub fn read_device_code_answer(body: &[u8]) -> Result<DeviceCode> {
    let details: DeviceAuthorizationResponse<DeviceFields> =
        crate::partner_center::json::decode(body, "the device code endpoint's answer")?;
    Ok(device_code(details))
}
