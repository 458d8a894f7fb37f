//! The one error type of the client and the core.
//!
//! Every variant carries what the user needs to act: the server's own words for API failures
//! (all three body shapes Partner Center, its throttling gateway and the Partner API use), the
//! JSON path for a decode failure, and a plain cause plus a next step for domain refusals.
//! It deliberately does not implement `Serialize`: the desktop shell maps it to a small IPC DTO.

use std::time::Duration;

/// What a person is told to do when the sign-in has to happen again.
pub const SIGN_IN_AGAIN: &str =
    "Sign in again (in the app: Sign in; on the command line: cspdesk login --device-code)";

/// Result alias used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a sign-in or a call was not allowed: what the person has to do differs for each, so the
/// app and the CLI say it in plain words and the UI can branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum AuthReason {
    /// Nobody is signed in (or the sign-in was removed).
    SignedOut,
    /// The sign-in expired or was revoked: sign in again.
    Expired,
    /// An administrator has not consented to a permission the app needs.
    ConsentRequired,
    /// The tenant requires multi-factor authentication for this.
    MfaRequired,
    /// The account or the settings point at another tenant.
    WrongTenant,
    /// The account lacks the Partner Center role (or Azure access) the call needs.
    RoleMissing,
    /// The app registration is not set up for this sign-in (client id, redirect, public flows).
    AppRegistration,
    /// The person declined the sign-in, or its code expired before use.
    Declined,
    /// Anything else the identity service or a service said no to.
    Other,
}

/// What kind of failure, as the UI branches on it and the CLI names it. Decided here, once, by
/// an exhaustive match on [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    Network,
    Throttled,
    Api,
    Auth,
    NotFound,
    Refused,
    /// The user's input (a file, an argument, a field).
    Invalid,
    Decode,
    Cancelled,
    Store,
    /// The OS keychain that keeps the sign-in.
    Keychain,
    /// CSP Desk itself failed; not the user's input.
    Internal,
    /// Never sent by the core: the UI's name for an answer it could not read.
    Unknown,
}

/// Which remote service an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `api.partnercenter.microsoft.com`
    PartnerCenter,
    /// `api.partner.microsoft.com` (price sheets)
    PartnerApi,
    /// Azure Resource Manager (marketplace catalog)
    Arm,
    /// Microsoft Entra ID (sign-in)
    Identity,
    /// Microsoft Graph (billing reconciliation exports)
    Graph,
    /// Azure Blob Storage (the files of a billing reconciliation export, behind a SAS token)
    BlobStorage,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Service::PartnerCenter => "Partner Center",
            Service::PartnerApi => "Partner API",
            Service::Arm => "Azure Resource Manager",
            Service::Identity => "Microsoft Entra ID",
            Service::Graph => "Microsoft Graph",
            Service::BlobStorage => "Azure Blob Storage",
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request never got a complete answer: DNS, connect, TLS, a dropped connection, a timeout.
    #[error("could not reach {service} ({what}): {source}. Check the network connection or the endpoint, then try again")]
    Network {
        service: Service,
        what: String,
        #[source]
        source: reqwest::Error,
    },

    /// Partner Center's error body `{code, description, data, source}` (code may be a number).
    /// `request_id` is the `MS-RequestId` Microsoft's support asks for.
    #[error("{service} refused {what} (HTTP {status}, code {code}): {description}")]
    Api {
        service: Service,
        what: String,
        status: u16,
        code: String,
        description: String,
        request_id: Option<String>,
    },

    /// HTTP 429 that outlasted the retry policy; the body is `{statusCode, message}`.
    #[error("{service} is throttling requests ({what}): {message}{}", retry_hint(*.retry_after))]
    Throttled {
        service: Service,
        what: String,
        message: String,
        retry_after: Option<Duration>,
        request_id: Option<String>,
    },

    /// Partner API, ARM and Graph error body `{error: {code, message}}`.
    #[error("{service} refused {what} (HTTP {status}, {code}): {message}{}", request_hint(.request_id))]
    PartnerApi {
        service: Service,
        what: String,
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },

    /// A long-running export (Microsoft Graph billing reconciliation) ended `failed`, with the
    /// service's own code and words, and what to do.
    #[error("{service} could not finish {what} (code {code}): {message}. {hint}")]
    ExportFailed {
        service: Service,
        what: String,
        code: String,
        message: String,
        hint: String,
    },

    /// A non-success answer with a body in none of the known shapes.
    #[error("{service} answered HTTP {status} to {what}: {body}")]
    Http {
        service: Service,
        what: String,
        status: u16,
        body: String,
        request_id: Option<String>,
    },

    /// The body did not match the model. `path` is the JSON path, e.g. `items[3].skus[0].id`.
    #[error("could not read {what}: at `{path}`: {message}")]
    Decode {
        what: String,
        path: String,
        message: String,
    },

    /// Not signed in, token refused, consent or MFA missing, wrong tenant: `reason` says which.
    #[error("{message}")]
    Auth { reason: AuthReason, message: String },

    /// A request the user asked for that the domain rules refuse (non-SaaS purchase, country,
    /// quantity bounds, cancel outside the window, …). `hint` says what to do instead.
    /// `says`: the same sentence as the core's code with parameters, when it has one.
    #[error("{message}. {hint}")]
    Refused {
        message: String,
        hint: String,
        says: Option<serde_json::Value>,
    },

    /// Something the user named does not exist. `says`: as for [`Error::Refused`].
    #[error("{what} not found. {hint}")]
    NotFound {
        what: String,
        hint: String,
        says: Option<serde_json::Value>,
    },

    /// A malformed input file or argument (CSV row, settings file, fault spec…): the user's
    /// input, and only that.
    #[error("{0}")]
    Invalid(String),

    /// The user's input, as the core says it: `message` is its sentence as a code with
    /// parameters (the core's `Message`, as JSON, for the UI to say in its own language) and
    /// `english` the same sentence in English (the CLI's words, and this error's Display).
    #[error("{english}")]
    Said {
        message: serde_json::Value,
        english: String,
    },

    /// CSP Desk itself failed: a worker that panicked, a spreadsheet the writer could not build.
    /// Not the user's input; the message says what failed, and the logs have the rest.
    #[error("{0}")]
    Internal(String),

    /// The continuation token came back unchanged: the server is looping.
    #[error(
        "paging {what} stopped: the server returned the continuation token it was given again"
    )]
    PagingLoop { what: String },

    /// The OS keychain (where the sign-in is kept) could not be used.
    #[error("{0}")]
    Keychain(String),

    /// The local SQLite store.
    #[error("local store: {0}")]
    Store(#[from] rusqlite::Error),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// The user cancelled long work.
    #[error("cancelled")]
    Cancelled,
}

fn request_hint(id: &Option<String>) -> String {
    match id {
        Some(id) if !id.is_empty() => format!(" (request id {id})"),
        _ => String::new(),
    }
}

fn retry_hint(after: Option<Duration>) -> String {
    match after {
        Some(d) => format!(". Try again in {} s", d.as_secs().max(1)),
        None => ". Try again later".to_string(),
    }
}

impl Error {
    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Network { .. } | Error::Throttled { .. } => true,
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::PartnerApi { status, .. } => {
                *status >= 500 || *status == 429 || *status == 408
            }
            _ => false,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Network { .. } => ErrorKind::Network,
            Error::Throttled { .. } => ErrorKind::Throttled,
            Error::Api { status, .. }
            | Error::PartnerApi { status, .. }
            | Error::Http { status, .. } => match status {
                401 | 403 => ErrorKind::Auth,
                404 => ErrorKind::NotFound,
                _ => ErrorKind::Api,
            },
            Error::PagingLoop { .. } | Error::ExportFailed { .. } => ErrorKind::Api,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::Refused { .. } => ErrorKind::Refused,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Invalid(_) | Error::Said { .. } => ErrorKind::Invalid,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Keychain(_) => ErrorKind::Keychain,
            Error::Store(_) | Error::Io { .. } => ErrorKind::Store,
            Error::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// The core's sentence as a code with parameters (`{code, params}`), when it has one.
    pub fn said(&self) -> Option<&serde_json::Value> {
        match self {
            Error::Said { message, .. } => Some(message),
            Error::Refused { says, .. } | Error::NotFound { says, .. } => says.as_ref(),
            _ => None,
        }
    }

    /// HTTP status of a server refusal, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::PartnerApi { status, .. } => Some(*status),
            Error::Throttled { .. } => Some(429),
            _ => None,
        }
    }

    /// Partner Center / Partner API error code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. }
            | Error::PartnerApi { code, .. }
            | Error::ExportFailed { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The request id of the call that failed (`MS-RequestId`), which Microsoft's support asks
    /// for.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::PartnerApi { request_id, .. }
            | Error::Http { request_id, .. }
            | Error::Throttled { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Fills in the request id of the call, where the answer did not carry one.
    pub fn with_request_id(mut self, id: &str) -> Self {
        if let Error::Api { request_id, .. }
        | Error::PartnerApi { request_id, .. }
        | Error::Http { request_id, .. }
        | Error::Throttled { request_id, .. } = &mut self
        {
            request_id.get_or_insert_with(|| id.to_string());
        }
        self
    }

    /// "code 800002 · request id 9c1…": what to quote to Microsoft's support, if anything.
    pub fn details(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.code().map(|c| format!("code {c}")),
            self.request_id().map(|r| format!("request id {r}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Why access was refused, for a sign-in refusal or a service's 401/403.
    pub fn auth_reason(&self) -> Option<AuthReason> {
        match self {
            Error::Auth { reason, .. } => Some(*reason),
            Error::Api { status: 401, .. }
            | Error::PartnerApi { status: 401, .. }
            | Error::Http { status: 401, .. } => Some(AuthReason::Expired),
            Error::Api { status: 403, .. }
            | Error::PartnerApi { status: 403, .. }
            | Error::Http { status: 403, .. } => Some(AuthReason::RoleMissing),
            _ => None,
        }
    }

    pub fn auth(reason: AuthReason, message: impl Into<String>) -> Self {
        Error::Auth {
            reason,
            message: message.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: hint.into(),
            says: None,
        }
    }

    pub fn not_found(what: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::NotFound {
            what: what.into(),
            hint: hint.into(),
            says: None,
        }
    }
}
