//! Deciding what to talk to: Microsoft, an explicit endpoint, or the built-in sandbox.
//!
//! The rule the CLI and the desktop share: when the settings say `sandbox` (the default) and no
//! endpoint is given, start the built-in sandbox in process (its state in the data dir) and use
//! it. When they say `partner-center`, talk to Microsoft (or the settings' endpoint overrides)
//! as the account signed in with [`crate::auth`]. The client code path is the same either way;
//! only base URLs and the token source differ.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use url::Url;

use crate::auth::{KeyringStore, OAuthTokens, SecretStore, SIGN_IN};
use crate::error::{Error, Result};
use crate::partner_center::auth::{StaticToken, TokenProvider};
pub use crate::partner_center::embedded::{Clock, RunningSandbox, SandboxStart, SandboxStarter};
use crate::partner_center::sandbox_ids::SANDBOX_ARM_SUBSCRIPTION;
use crate::partner_center::{Client, ClientConfig, Endpoints};
use crate::secrets::Secret;
use crate::settings::{ConnectionKind, Settings};
use crate::store::Store;

pub use crate::partner_center::sandbox_ids::SANDBOX_TOKEN;

/// Where the data lives when nothing says otherwise.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("com", "CSP Desk", "cspdesk")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".cspdesk"))
}

#[derive(Clone, Default)]
pub struct ConnectOptions {
    /// Starts the built-in sandbox when the settings or `sandbox` ask for it.
    pub sandbox_starter: Option<SandboxStarter>,
    /// The settings file's contents (connection, endpoint overrides, ARM subscription).
    pub settings: Settings,
    /// Where the sign-in is kept; `None`: the OS keychain.
    pub secrets: Option<Arc<dyn SecretStore>>,
    pub endpoint: Option<Url>,
    pub partner_api: Option<Url>,
    pub arm_endpoint: Option<Url>,
    pub authority: Option<Url>,
    /// Force the built-in sandbox.
    pub sandbox: bool,
    pub data_dir: Option<PathBuf>,
    /// `CSPDESK_ACCESS_TOKEN`: used as it is, with no sign-in.
    pub access_token: Option<Secret>,
    /// Azure subscription the ARM catalog is read through.
    pub arm_subscription: Option<String>,
    /// Catalog size of an embedded sandbox.
    pub sandbox_offers: Option<usize>,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("settings", &self.settings)
            .field("endpoint", &self.endpoint)
            .field("partner_api", &self.partner_api)
            .field("arm_endpoint", &self.arm_endpoint)
            .field("authority", &self.authority)
            .field("sandbox", &self.sandbox)
            .field("data_dir", &self.data_dir)
            .field("has_sandbox_starter", &self.sandbox_starter.is_some())
            .finish_non_exhaustive()
    }
}

/// Where to sign in, decided once for the CLI, the app and the connection.
#[derive(Debug, Clone)]
pub struct SignInTarget {
    /// An explicit `--authority`, a loopback endpoint (a sandbox serves the sign-in too), or the
    /// settings' authority.
    pub authority: Url,
    /// The command line or the environment named it (not the settings).
    pub explicit: bool,
}

impl ConnectOptions {
    /// Where to sign in: `authority`, else a loopback `endpoint` (a sandbox), else the
    /// settings'. An explicit authority must be https (or loopback).
    pub fn sign_in_target(&self) -> Result<SignInTarget> {
        if let Some(a) = &self.authority {
            Endpoints::check_secure(a)?;
            return Ok(SignInTarget {
                authority: a.clone(),
                explicit: true,
            });
        }
        if let Some(e) = self.endpoint.as_ref().filter(|u| Endpoints::is_loopback(u)) {
            return Ok(SignInTarget {
                authority: e.clone(),
                explicit: true,
            });
        }
        Ok(SignInTarget {
            authority: self.settings.endpoints()?.authority,
            explicit: false,
        })
    }

    /// The app registration and tenant to sign in with: the given ones, else the settings',
    /// else (on a sandbox) the sandbox's own app registration.
    pub fn auth_config(
        &self,
        tenant: Option<String>,
        client_id: Option<String>,
    ) -> Result<crate::auth::AuthConfig> {
        let authority = self.sign_in_target()?.authority;
        let tenant = tenant.unwrap_or_else(|| self.settings.tenant().to_string());
        let client_id = client_id
            .or_else(|| self.settings.client_id.clone())
            .or_else(|| {
                Endpoints::is_loopback(&authority)
                    .then(|| crate::partner_center::sandbox_ids::SANDBOX_CLIENT_ID.to_string())
            })
            .unwrap_or_default();
        crate::auth::AuthConfig::new(authority, tenant, client_id)
    }
}

/// What the app or CLI is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// The built-in sandbox, started in this process.
    EmbeddedSandbox,
    /// An explicit endpoint (a sandbox on loopback, or a proxy).
    Endpoint,
    /// Microsoft Partner Center.
    PartnerCenter,
}

pub struct Connection {
    pub client: Client,
    pub store: Arc<Store>,
    pub mode: Mode,
    pub data_dir: PathBuf,
    pub arm_subscription: Option<String>,
    /// The clock every deadline reads.
    pub clock: Clock,
    /// The embedded sandbox, kept alive while the connection lives.
    sandbox: Option<RunningSandbox>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("mode", &self.mode)
            .field("endpoints", self.client.endpoints())
            .finish()
    }
}

impl Connection {
    pub async fn open(opts: ConnectOptions) -> Result<Connection> {
        let (data_dir, store) = open_store(&opts)?;
        let explicit =
            opts.endpoint.is_some() || opts.partner_api.is_some() || opts.arm_endpoint.is_some();
        let wants_sandbox = opts.settings.connection == ConnectionKind::Sandbox;
        if opts.sandbox || (!explicit && opts.access_token.is_none() && wants_sandbox) {
            let start = opts
                .sandbox_starter
                .as_ref()
                .ok_or_else(|| Error::from(crate::message::Message::SandboxMissing))?;
            let sandbox = start(SandboxStart {
                state: data_dir.join("sandbox.sqlite"),
                offers: opts.sandbox_offers,
            })
            .await?;
            let client = Client::new(ClientConfig::new(
                Endpoints::single(&sandbox.url),
                sandbox_tokens(),
            ))?;
            return Ok(Connection {
                client,
                store,
                mode: Mode::EmbeddedSandbox,
                data_dir,
                arm_subscription: Some(SANDBOX_ARM_SUBSCRIPTION.to_string()),
                clock: sandbox.clock.clone(),
                sandbox: Some(sandbox),
            });
        }
        // Explicit addresses win; then the settings' overrides; then Microsoft's.
        let base = opts.settings.endpoints()?;
        // A lone loopback --endpoint is a sandbox: it serves all three hosts and the sign-in.
        let lone_loopback = opts.endpoint.as_ref().filter(|u| Endpoints::is_loopback(u));
        let pick = |given: &Option<Url>, default: &Url| {
            given
                .clone()
                .or_else(|| lone_loopback.cloned())
                .unwrap_or_else(|| default.clone())
        };
        let endpoints = Endpoints {
            partner_center: pick(&opts.endpoint, &base.partner_center),
            partner_api: pick(&opts.partner_api, &base.partner_api),
            arm: pick(&opts.arm_endpoint, &base.arm),
            authority: pick(&opts.authority, &base.authority),
            graph: pick(&None, &base.graph),
        };
        let all_loopback = [
            &endpoints.partner_center,
            &endpoints.partner_api,
            &endpoints.arm,
            &endpoints.graph,
        ]
        .iter()
        .all(|u| Endpoints::is_loopback(u));
        let signed_in = match &opts.access_token {
            Some(_) => None,
            None => signed_in_tokens(&endpoints.authority, opts.secrets.clone()).await,
        };
        let tokens: Arc<dyn TokenProvider> = match (&opts.access_token, signed_in, all_loopback) {
            (Some(t), _, _) => Arc::new(StaticToken(t.clone())),
            (None, Some(oauth), _) => Arc::new(oauth),
            (None, None, true) => sandbox_tokens(),
            (None, None, false) => {
                return Err(Error::auth(
                    crate::error::AuthReason::SignedOut,
                    format!(
                        "You are not signed in to Partner Center. {SIGN_IN}, set CSPDESK_ACCESS_TOKEN \
                         to a bearer token, or set connection = \"sandbox\" in the settings to use the built-in sandbox"
                    ),
                ))
            }
        };
        let arm_subscription = opts
            .arm_subscription
            .clone()
            .or_else(|| opts.settings.arm_subscription.clone())
            .or_else(|| all_loopback.then(|| SANDBOX_ARM_SUBSCRIPTION.to_string()));
        let mode = if explicit {
            Mode::Endpoint
        } else {
            Mode::PartnerCenter
        };
        let client = Client::new(ClientConfig::new(endpoints, tokens))?;
        Ok(Connection {
            client,
            store,
            mode,
            data_dir,
            arm_subscription,
            clock: Clock::system(),
            sandbox: None,
        })
    }

    pub fn is_sandbox(&self) -> bool {
        self.mode == Mode::EmbeddedSandbox
    }

    /// The embedded sandbox's base URL, when this connection started one.
    pub fn sandbox_url(&self) -> Option<&Url> {
        self.sandbox.as_ref().map(|s| &s.url)
    }

    /// The embedded sandbox itself, for a test that needs its switches or its clock
    /// (`downcast_ref::<cspdesk_sandbox::Sandbox>()`).
    pub fn embedded_sandbox(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        self.sandbox.as_ref().map(|s| s.guard.as_ref())
    }

    /// "Now", as every deadline reads it.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The signed-in account's tokens for `authority`, if someone is signed in there. A keychain
/// that cannot be read counts as "not signed in" (logged), so the sandbox still works headless.
async fn signed_in_tokens(
    authority: &Url,
    secrets: Option<Arc<dyn SecretStore>>,
) -> Option<OAuthTokens> {
    let store = secrets.unwrap_or_else(|| Arc::new(KeyringStore::new()));
    let http = match crate::partner_center::client::build_oauth_http_client() {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in unavailable");
            return None;
        }
    };
    match OAuthTokens::load(authority, store, http).await {
        Ok(t) => t,
        Err(e) => {
            tracing::debug!(error = %e, "no usable sign-in in the keychain");
            None
        }
    }
}

/// The data folder these options name (made when missing) and its store, without connecting:
/// for what needs only local data, such as the margin rules.
pub fn open_store(opts: &ConnectOptions) -> Result<(PathBuf, Arc<Store>)> {
    let data_dir = opts.data_dir.clone().unwrap_or_else(default_data_dir);
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| Error::io(format!("creating {}", data_dir.display()), e))?;
    let store = Arc::new(Store::open(&data_dir.join("cspdesk.sqlite"))?);
    Ok((data_dir, store))
}

fn sandbox_tokens() -> Arc<dyn TokenProvider> {
    Arc::new(StaticToken(Secret::new(SANDBOX_TOKEN)))
}
/// Connection settings from the environment: `CSPDESK_ENDPOINT`, `CSPDESK_ACCESS_TOKEN`,
/// `CSPDESK_ARM_SUBSCRIPTION`, `CSPDESK_SANDBOX_OFFERS`, `CSPDESK_DATA_DIR`. The desktop puts
/// them over the settings file ([`account::desktop_options`]); alone, with none of the first two
/// set, the embedded sandbox is used.
pub fn options_from_env(default_data_dir: PathBuf) -> Result<ConnectOptions> {
    options_from_vars(default_data_dir, |k| std::env::var(k).ok())
}

/// [`options_from_env`] with the variables read through `lookup` (tests give their own).
pub fn options_from_vars(
    default_data_dir: PathBuf,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ConnectOptions> {
    let var = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
    let endpoint = match var("CSPDESK_ENDPOINT") {
        Some(u) => Some(url::Url::parse(&u).map_err(|e| {
            Error::Invalid(format!(
                "CSPDESK_ENDPOINT `{u}` is not a URL ({e}); unset it to use the built-in sandbox"
            ))
        })?),
        None => None,
    };
    let sandbox_offers = match var("CSPDESK_SANDBOX_OFFERS") {
        Some(n) => Some(n.parse().map_err(|_| {
            Error::Invalid(format!("CSPDESK_SANDBOX_OFFERS `{n}` is not a number"))
        })?),
        None => None,
    };
    Ok(ConnectOptions {
        endpoint,
        access_token: var("CSPDESK_ACCESS_TOKEN").map(Secret::new),
        arm_subscription: var("CSPDESK_ARM_SUBSCRIPTION"),
        data_dir: Some(
            var("CSPDESK_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or(default_data_dir),
        ),
        sandbox_offers,
        ..Default::default()
    })
}
