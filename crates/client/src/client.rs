//! The one HTTP transport for Partner Center, the Partner API, ARM and Microsoft Graph.
//!
//! `build_http_client` is the only place a `reqwest::Client` is made for the APIs (timeouts, user
//! agent, gzip); `build_oauth_http_client`, next to it, the only one for sign-in (no redirects).
//! [`Client::execute`] sends a typed [`Request`] with the Partner Center headers, applies the
//! [`RetryPolicy`] (one `MS-RequestId` across every retry of a logical call), and maps failures
//! to [`Error`] with the server's own words. Base URLs are injectable through [`Endpoints`], so
//! the sandbox and Microsoft differ only in configuration.
//!
//! Why one file of about a thousand lines: building the HTTP clients, sending with the
//! Partner Center headers, retrying (429 with `Retry-After`, drops on safe calls), streaming
//! bodies and mapping every failure to the one `Error` with the server's words, code and request
//! id are one path that every call takes in order, and the unit tests of that path sit beside
//! it. Split, the retry loop and the error mapping would each need the other's internals.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rand::Rng;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::auth::{Audience, TokenProvider};
use super::json;
use super::retry::{parse_retry_after, Outcome, RetryPolicy, Safety};
use crate::error::{Error, Result, Service};

pub const USER_AGENT: &str = concat!("CSPDesk/", env!("CARGO_PKG_VERSION"));

/// Base URLs of the services CSP Desk talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub partner_center: Url,
    pub partner_api: Url,
    pub arm: Url,
    pub authority: Url,
    /// Microsoft Graph (billing reconciliation v2).
    pub graph: Url,
}

impl Endpoints {
    /// Microsoft's public cloud.
    pub fn microsoft() -> Self {
        let u = |s: &str| Url::parse(s).expect("static URL");
        Endpoints {
            partner_center: u("https://api.partnercenter.microsoft.com/"),
            partner_api: u("https://api.partner.microsoft.com/"),
            arm: u("https://management.azure.com/"),
            authority: u("https://login.microsoftonline.com/"),
            graph: u("https://graph.microsoft.com/"),
        }
    }

    /// One base URL for everything: the sandbox.
    pub fn single(base: &Url) -> Self {
        Endpoints {
            partner_center: base.clone(),
            partner_api: base.clone(),
            arm: base.clone(),
            authority: base.clone(),
            graph: base.clone(),
        }
    }

    /// Whether the URL is on this machine (the sandbox).
    pub fn is_loopback(url: &Url) -> bool {
        match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        }
    }

    /// Refuse a plain-`http` endpoint that is not loopback: tokens would travel in clear text.
    pub fn check_secure(url: &Url) -> Result<()> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if Self::is_loopback(url) => Ok(()),
            other => Err(Error::Invalid(format!(
                "endpoint {url} uses `{other}`: only https:// endpoints (or http:// on loopback, for the sandbox) are allowed, \
                 because access tokens would otherwise travel unencrypted"
            ))),
        }
    }
}

/// Which of the services a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    PartnerCenter,
    PartnerApi,
    Arm,
    Graph,
}

impl Host {
    fn service(self) -> Service {
        match self {
            Host::PartnerCenter => Service::PartnerCenter,
            Host::PartnerApi => Service::PartnerApi,
            Host::Arm => Service::Arm,
            Host::Graph => Service::Graph,
        }
    }
    fn audience(self) -> Audience {
        match self {
            Host::PartnerCenter => Audience::PartnerCenter,
            Host::PartnerApi => Audience::PartnerApi,
            Host::Arm => Audience::Arm,
            Host::Graph => Audience::Graph,
        }
    }
}

/// A typed request: method, host, path, query, body, and what it decodes to.
#[derive(Debug)]
pub struct Request<T> {
    pub method: Method,
    pub host: Host,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// A caller-chosen `MS-RequestId` (the orders journal); otherwise one is made per call.
    pub request_id: Option<String>,
    /// A write that may be sent twice without harm (starting a read-only report export), so a
    /// dropped connection or a 5xx is retried like a read.
    pub repeatable: bool,
    _out: PhantomData<fn() -> T>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method.clone(),
            host: self.host,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            request_id: self.request_id.clone(),
            repeatable: self.repeatable,
            _out: PhantomData,
        }
    }
}

impl<T> Request<T> {
    pub fn new(method: Method, host: Host, path: impl Into<String>) -> Self {
        Request {
            method,
            host,
            path: path.into(),
            query: vec![],
            headers: vec![],
            body: None,
            request_id: None,
            repeatable: false,
            _out: PhantomData,
        }
    }
    pub fn get(host: Host, path: impl Into<String>) -> Self {
        Self::new(Method::GET, host, path)
    }
    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }
    pub fn header(mut self, key: &str, value: impl Into<String>) -> Self {
        self.headers.push((key.to_string(), value.into()));
        self
    }
    pub fn json<B: Serialize>(mut self, body: &B) -> Result<Self> {
        self.body = Some(
            serde_json::to_value(body).map_err(|e| Error::Invalid(format!("request body: {e}")))?,
        );
        Ok(self)
    }
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }
    /// Marks a write as safe to send again (see [`Request::repeatable`]).
    pub fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }
    /// Same request, another output type.
    pub fn cast<U>(self) -> Request<U> {
        Request {
            method: self.method,
            host: self.host,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
            request_id: self.request_id,
            repeatable: self.repeatable,
            _out: PhantomData,
        }
    }
    /// `GET /v1/customers` — how errors name the call.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
    fn safety(&self) -> Safety {
        if self.method == Method::GET || self.method == Method::HEAD || self.repeatable {
            Safety::Read
        } else if self.host == Host::PartnerCenter {
            Safety::IdempotentWrite
        } else {
            Safety::UnsafeWrite
        }
    }
}

/// A successful answer before decoding.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

enum Answer {
    Read(RawResponse),
    Streaming(reqwest::Response),
}

/// Counters for benchmarks and the soak test.
#[derive(Debug, Default)]
pub struct ClientStats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub throttled: AtomicU64,
    pub server_errors: AtomicU64,
    pub transport_errors: AtomicU64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    pub requests: u64,
    pub retries: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub transport_errors: u64,
}

/// Paces requests to at most `rps` per second (no bursts), across all tasks sharing the client.
#[derive(Debug)]
struct Pacer {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Pacer {
    fn new(rps: f64) -> Self {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / rps.max(0.001)),
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }
    async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}

/// Options for [`Client::new`].
#[derive(Clone)]
pub struct ClientConfig {
    pub endpoints: Endpoints,
    pub tokens: Arc<dyn TokenProvider>,
    pub retry: RetryPolicy,
    pub locale: String,
    /// Client-side pacing, requests per second.
    pub max_rps: Option<f64>,
    pub timeout: Duration,
}

impl ClientConfig {
    pub fn new(endpoints: Endpoints, tokens: Arc<dyn TokenProvider>) -> Self {
        ClientConfig {
            endpoints,
            tokens,
            retry: RetryPolicy::default(),
            locale: "en-US".into(),
            max_rps: None,
            timeout: Duration::from_secs(60),
        }
    }
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    tokens: Arc<dyn TokenProvider>,
    retry: RetryPolicy,
    locale: String,
    pacer: Option<Pacer>,
    stats: ClientStats,
    /// The ARM catalog api-version that answered in this run (see `arm::versioned`).
    arm_version: std::sync::Mutex<Option<&'static str>>,
}

/// The Partner Center client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoints", &self.inner.endpoints)
            .finish_non_exhaustive()
    }
}

/// The only place a `reqwest::Client` is built.
pub fn build_http_client(timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        .gzip(true)
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .map_err(|e| Error::Invalid(format!("could not set up HTTP: {e}")))
}

/// The HTTP client for the OAuth2 exchanges with Entra ID. It never follows redirects (the
/// `oauth2` crate's advice: a redirected token request could carry codes or tokens elsewhere).
pub fn build_oauth_http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Invalid(format!("could not set up HTTP for sign-in: {e}")))
}

impl Client {
    pub fn new(cfg: ClientConfig) -> Result<Self> {
        for url in [
            &cfg.endpoints.partner_center,
            &cfg.endpoints.partner_api,
            &cfg.endpoints.arm,
            &cfg.endpoints.authority,
            &cfg.endpoints.graph,
        ] {
            Endpoints::check_secure(url)?;
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http: build_http_client(cfg.timeout)?,
                endpoints: cfg.endpoints,
                tokens: cfg.tokens,
                retry: cfg.retry,
                locale: cfg.locale,
                pacer: cfg.max_rps.map(Pacer::new),
                stats: ClientStats::default(),
                arm_version: std::sync::Mutex::new(None),
            }),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// The underlying reqwest client (shared with the OAuth2 flows).
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The ARM catalog api-version that answered earlier in this run, if any.
    pub fn arm_api_version(&self) -> Option<&'static str> {
        *self
            .inner
            .arm_version
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers the ARM catalog api-version that answered.
    pub fn set_arm_api_version(&self, v: &'static str) {
        *self
            .inner
            .arm_version
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(v);
    }

    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.inner.stats;
        StatsSnapshot {
            requests: s.requests.load(Ordering::Relaxed),
            retries: s.retries.load(Ordering::Relaxed),
            throttled: s.throttled.load(Ordering::Relaxed),
            server_errors: s.server_errors.load(Ordering::Relaxed),
            transport_errors: s.transport_errors.load(Ordering::Relaxed),
        }
    }

    fn base(&self, host: Host) -> &Url {
        match host {
            Host::PartnerCenter => &self.inner.endpoints.partner_center,
            Host::PartnerApi => &self.inner.endpoints.partner_api,
            Host::Arm => &self.inner.endpoints.arm,
            Host::Graph => &self.inner.endpoints.graph,
        }
    }

    fn url_for<T>(&self, req: &Request<T>) -> Result<Url> {
        let base = self.base(req.host);
        let mut url = base
            .join(req.path.trim_start_matches('/'))
            .map_err(|e| Error::Invalid(format!("bad request path {}: {e}", req.path)))?;
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        Ok(url)
    }

    /// Send and decode.
    pub async fn execute<T: DeserializeOwned>(&self, req: &Request<T>) -> Result<T> {
        let raw = self.execute_raw(req).await?;
        if raw.body.is_empty() || raw.status == 204 {
            return json::decode(b"null", &req.describe());
        }
        json::decode(&raw.body, &req.describe())
    }

    /// The request with every header CSP Desk sends: the bearer token for the host's audience,
    /// `Accept: application/json` unless the request names its own, the request and correlation
    /// ids (and `client-request-id` for the Partner API and Graph), then the request's headers.
    async fn builder<T>(
        &self,
        req: &Request<T>,
        url: &Url,
        request_id: &str,
        correlation_id: &str,
    ) -> Result<reqwest::RequestBuilder> {
        let token = self.inner.tokens.token(req.host.audience()).await?;
        let mut rb = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .header(AUTHORIZATION, format!("Bearer {}", token.expose()));
        if !req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
        {
            rb = rb.header(ACCEPT, "application/json");
        }
        rb = rb
            .header("MS-RequestId", request_id)
            .header("MS-CorrelationId", correlation_id)
            .header("X-Locale", &self.inner.locale)
            .header("MS-PartnerCenter-Client", "CSP Desk");
        if matches!(req.host, Host::PartnerApi | Host::Graph) {
            rb = rb.header("client-request-id", request_id);
        }
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &req.body {
            rb = rb
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        } else if req.method != Method::GET {
            rb = rb.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        Ok(rb)
    }

    /// What names one logical call: its description, service, URL, `MS-RequestId` (the
    /// caller's, or a new one kept across retries) and a fresh `MS-CorrelationId`.
    fn call_of<T>(&self, req: &Request<T>) -> Result<(String, Service, Url, String, String)> {
        let request_id = req
            .request_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        Ok((
            req.describe(),
            req.host.service(),
            self.url_for(req)?,
            request_id,
            uuid::Uuid::new_v4().to_string(),
        ))
    }

    /// One attempt, no retries, reading at most `max_bytes` of the body (a connection check:
    /// the price sheet's first bytes, not the whole file). Refusals map as for [`Client::execute_raw`].
    pub async fn probe<T>(&self, req: &Request<T>, max_bytes: usize) -> Result<RawResponse> {
        let (what, service, url, request_id, correlation_id) = self.call_of(req)?;
        let rb = self
            .builder(req, &url, &request_id, &correlation_id)
            .await?;
        self.inner.stats.requests.fetch_add(1, Ordering::Relaxed);
        let network = |e: reqwest::Error| Error::Network {
            service,
            what: what.clone(),
            source: e,
        };
        let mut resp = rb.send().await.map_err(network)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = bytes::BytesMut::new();
        while body.len() < max_bytes {
            match resp.chunk().await.map_err(network)? {
                Some(c) => body.extend_from_slice(&c),
                None => break,
            }
        }
        let body = body.freeze();
        if (200..300).contains(&status) {
            return Ok(RawResponse {
                status,
                headers,
                body,
            });
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Err(map_error(
            service,
            &what,
            status,
            retry_after,
            &headers,
            &body,
        ))
    }

    /// Send with retries; return the successful raw answer.
    pub async fn execute_raw<T>(&self, req: &Request<T>) -> Result<RawResponse> {
        match self.send_with_retries(req, false).await? {
            Answer::Read(raw) => Ok(raw),
            Answer::Streaming(_) => unreachable!("asked for the whole body"),
        }
    }

    /// Send with retries (for failures before the body); return the successful answer with its
    /// body still to be read, for large downloads read as they arrive. A connection that drops
    /// mid-body is the caller's to retry.
    pub async fn execute_streamed<T>(&self, req: &Request<T>) -> Result<reqwest::Response> {
        match self.send_with_retries(req, true).await? {
            Answer::Streaming(resp) => Ok(resp),
            Answer::Read(_) => unreachable!("asked for the body unread"),
        }
    }

    async fn send_with_retries<T>(&self, req: &Request<T>, stream: bool) -> Result<Answer> {
        let (what, service, url, request_id, correlation_id) = self.call_of(req)?;
        let safety = req.safety();
        let stats = &self.inner.stats;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if let Some(p) = &self.inner.pacer {
                p.wait().await;
            }
            let rb = self
                .builder(req, &url, &request_id, &correlation_id)
                .await?;
            stats.requests.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(%what, attempt, request_id = %request_id, "request");
            let (outcome, failure) = match rb.send().await {
                Err(e) => {
                    stats.transport_errors.fetch_add(1, Ordering::Relaxed);
                    (
                        Outcome::Transport,
                        Error::Network {
                            service,
                            what: what.clone(),
                            source: e,
                        },
                    )
                }
                Ok(resp) if stream && resp.status().is_success() => {
                    return Ok(Answer::Streaming(resp));
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    match resp.bytes().await {
                        Err(e) => {
                            // The connection dropped mid-answer: the server may have committed.
                            stats.transport_errors.fetch_add(1, Ordering::Relaxed);
                            (
                                Outcome::Transport,
                                Error::Network {
                                    service,
                                    what: what.clone(),
                                    source: e,
                                },
                            )
                        }
                        Ok(body) if (200..300).contains(&status) => {
                            return Ok(Answer::Read(RawResponse {
                                status,
                                headers,
                                body,
                            }));
                        }
                        Ok(body) => {
                            let retry_after = headers
                                .get(RETRY_AFTER)
                                .and_then(|v| v.to_str().ok())
                                .and_then(|v| parse_retry_after(v, SystemTime::now()));
                            if status == 429 {
                                stats.throttled.fetch_add(1, Ordering::Relaxed);
                            } else if status >= 500 {
                                stats.server_errors.fetch_add(1, Ordering::Relaxed);
                            }
                            let err =
                                map_error(service, &what, status, retry_after, &headers, &body);
                            (
                                Outcome::Status {
                                    status,
                                    retry_after,
                                },
                                err,
                            )
                        }
                    }
                }
            };
            let rand01: f64 = rand::thread_rng().gen();
            match self
                .inner
                .retry
                .next_delay(attempt, outcome, safety, rand01)
            {
                Some(delay) => {
                    stats.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(%what, attempt, ?delay, error = %failure, "retrying");
                    tokio::time::sleep(delay).await;
                }
                None => return Err(failure.with_request_id(&request_id)),
            }
        }
    }
}

/// Map a non-success answer to an error carrying the server's own words, for all three shapes:
/// Partner Center `{code, description}`, the throttling gateway `{statusCode, message}`, and
/// the Partner API / ARM `{error: {code, message}}`.
pub fn map_error(
    service: Service,
    what: &str,
    status: u16,
    retry_after: Option<Duration>,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    let hint = access_hint(service, what, status);
    with_hint(
        map_error_words(service, what, status, retry_after, headers, body),
        hint,
    )
}

/// What a 401/403 means for the person: which role the call needs, or that the sign-in is no
/// longer accepted. `None` for other answers.
fn access_hint(service: Service, what: &str, status: u16) -> Option<String> {
    const ASSIGN: &str = "a Partner Center admin assigns roles in Partner Center → Account settings → User management";
    match (service, status) {
        (Service::PartnerCenter, 401) => Some(format!(
            "Partner Center did not accept the sign-in: sign in again with an account that has the Admin Agent \
             or Sales Agent role ({ASSIGN})"
        )),
        (Service::PartnerCenter, 403) if what.contains("/v1/invoices") => Some(format!(
            "Billing data needs the Admin Agent role in Partner Center ({ASSIGN})"
        )),
        (Service::PartnerCenter, 403) => Some(format!(
            "This needs the Admin Agent or Sales Agent role in Partner Center ({ASSIGN})"
        )),
        (Service::PartnerApi, 401 | 403) => Some(format!(
            "Price sheets need a sign-in (App+User) with the Admin Agent or Sales Agent role in Partner Center ({ASSIGN})"
        )),
        (Service::Graph, 401) => Some(format!(
            "Microsoft Graph did not accept the sign-in for billing data. {}",
            crate::error::SIGN_IN_AGAIN
        )),
        (Service::Graph, 403) => Some(
            "Invoice line items come from Microsoft Graph's billing reconciliation, which needs the \
             PartnerBilling.Read.All permission on the app registration with admin consent (Microsoft Entra \
             admin center → App registrations → the app → API permissions), and a partner-tenant account \
             allowed to read billing (Admin Agent in Partner Center; Billing Administrator in Entra)"
                .to_string(),
        ),
        (Service::Arm, 401 | 403) => Some(
            "Reading the marketplace catalog needs an Azure subscription your account can read (e.g. the Reader \
             role), set as arm_subscription in the settings; everything else keeps working without it"
                .to_string(),
        ),
        _ => None,
    }
}

/// The request id a service put on its answer: `MS-RequestId` (Partner Center), `request-id`
/// (Microsoft Graph), `x-ms-request-id` (ARM, Blob Storage), or the echoed `client-request-id`.
pub fn response_request_id(headers: &HeaderMap) -> Option<String> {
    [
        "MS-RequestId",
        "request-id",
        "x-ms-request-id",
        "client-request-id",
    ]
    .iter()
    .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
    .map(str::trim)
    .filter(|v| !v.is_empty())
    .map(str::to_string)
}

fn with_hint(e: Error, hint: Option<String>) -> Error {
    let Some(hint) = hint else { return e };
    let add = |words: String| {
        let w = words.trim().trim_end_matches('.');
        if w.is_empty() {
            hint.clone()
        } else {
            format!("{w}. {hint}")
        }
    };
    match e {
        Error::Api {
            service,
            what,
            status,
            code,
            description,
            request_id,
        } => Error::Api {
            service,
            what,
            status,
            code,
            description: add(description),
            request_id,
        },
        Error::PartnerApi {
            service,
            what,
            status,
            code,
            message,
            request_id,
        } => Error::PartnerApi {
            service,
            what,
            status,
            code,
            message: add(message),
            request_id,
        },
        Error::Http {
            service,
            what,
            status,
            body,
            request_id,
        } => Error::Http {
            service,
            what,
            status,
            body: add(body),
            request_id,
        },
        other => other,
    }
}

fn map_error_words(
    service: Service,
    what: &str,
    status: u16,
    retry_after: Option<Duration>,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    let what = what.to_string();
    let request_id = response_request_id(headers);
    let parsed: Option<Value> = serde_json::from_slice(body).ok().map(|mut v| {
        json::normalize_keys(&mut v);
        v
    });
    let text = |v: Option<&Value>| -> Option<String> {
        v.and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
    };
    if let Some(v) = &parsed {
        if let Some(inner) = v.get("error").filter(|e| e.is_object()) {
            let code = text(inner.get("code")).unwrap_or_else(|| "unknown".into());
            let message = text(inner.get("message")).unwrap_or_default();
            if status == 429 {
                return Error::Throttled {
                    service,
                    what,
                    message,
                    retry_after,
                    request_id,
                };
            }
            return Error::PartnerApi {
                service,
                what,
                status,
                code,
                message,
                request_id,
            };
        }
        let message = text(v.get("description")).or_else(|| text(v.get("message")));
        if status == 429 {
            return Error::Throttled {
                service,
                what,
                message: message.unwrap_or_else(|| "Rate limit is exceeded.".into()),
                retry_after,
                request_id,
            };
        }
        if v.get("code").is_some() || v.get("description").is_some() {
            return Error::Api {
                service,
                what,
                status,
                code: text(v.get("code")).unwrap_or_else(|| "unknown".into()),
                description: message.unwrap_or_default(),
                request_id,
            };
        }
        if let Some(m) = message {
            return Error::Http {
                service,
                what,
                status,
                body: m,
                request_id,
            };
        }
    }
    if status == 429 {
        return Error::Throttled {
            service,
            what,
            message: "Rate limit is exceeded.".into(),
            retry_after,
            request_id,
        };
    }
    let mut body = String::from_utf8_lossy(body).trim().to_string();
    if body.len() > 500 {
        body.truncate(
            body.char_indices()
                .nth(500)
                .map(|(i, _)| i)
                .unwrap_or(body.len()),
        );
        body.push('…');
    }
    if body.is_empty() {
        body = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no body")
            .to_string();
    }
    Error::Http {
        service,
        what,
        status,
        body,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str) -> Error {
        map_error(
            Service::PartnerCenter,
            "GET /v1/x",
            status,
            None,
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn partner_center_shape_with_numeric_code() {
        let e = map(
            404,
            r#"{"code":20003,"description":"Subscription with ID x not found.","data":[],"source":"PartnerFD"}"#,
        );
        assert_eq!(e.code(), Some("20003"));
        assert!(
            e.to_string().contains("Subscription with ID x not found."),
            "{e}"
        );
    }

    #[test]
    fn throttling_shape() {
        let e = map(
            429,
            r#"{ "statusCode": 429, "message": "Rate limit is exceeded. Try again in 57 seconds." }"#,
        );
        assert!(
            matches!(&e, Error::Throttled { message, .. } if message.contains("Try again in 57 seconds")),
            "{e}"
        );
    }

    #[test]
    fn partner_api_shape() {
        let e = map(
            403,
            r#"{"error":{"code":"unAuthorized","message":"Caller is not authorized to access the resource."}}"#,
        );
        assert!(matches!(&e, Error::PartnerApi { code, .. } if code == "unAuthorized"));
        assert!(e.to_string().contains("Caller is not authorized"));
    }

    #[test]
    fn refusals_name_the_role_and_keep_the_servers_words() {
        let e = map(
            403,
            r#"{"code":900000,"description":"Access denied.","data":[],"source":"PartnerFD"}"#,
        );
        let t = e.to_string();
        assert!(
            t.contains("Access denied") && t.contains("Admin Agent or Sales Agent"),
            "{t}"
        );
        assert_eq!(e.code(), Some("900000"));
        let e = map_error(
            Service::PartnerCenter,
            "GET /v1/invoices",
            403,
            None,
            &HeaderMap::new(),
            br#"{"code":1,"description":"Forbidden"}"#,
        );
        assert!(e.to_string().contains("Admin Agent role"), "{e}");
        let e = map(401, "");
        assert!(e.to_string().contains("sign in again"), "{e}");
        assert!(!map(404, r#"{"code":1,"description":"x"}"#)
            .to_string()
            .contains("Agent"));
    }

    #[test]
    fn unknown_body_is_kept_readable() {
        let e = map(502, "<html>Bad gateway</html>");
        assert!(e.to_string().contains("Bad gateway"));
    }

    #[test]
    fn insecure_endpoint_refused() {
        assert!(Endpoints::check_secure(&Url::parse("http://example.com/").unwrap()).is_err());
        assert!(Endpoints::check_secure(&Url::parse("http://127.0.0.1:8080/").unwrap()).is_ok());
        assert!(Endpoints::check_secure(&Url::parse("http://localhost:8080/").unwrap()).is_ok());
        assert!(Endpoints::check_secure(
            &Url::parse("https://api.partnercenter.microsoft.com/").unwrap()
        )
        .is_ok());
    }
}
