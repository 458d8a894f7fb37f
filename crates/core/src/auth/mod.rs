//! Signing in to Partner Center as App+User, and staying signed in.
//!
//! [`Auth`] is what the desktop and the CLI call: sign in through the browser (authorization
//! code + PKCE over a loopback redirect) or with a device code, sign out, and tell who is
//! signed in. The refresh token goes to the OS keychain ([`store`]); access tokens stay in
//! memory in [`OAuthTokens`], which the Partner Center client uses as its
//! [`TokenProvider`](crate::partner_center::auth::TokenProvider).
//!
//! What it deliberately does not do: validate id_token signatures. The claims are decoded for
//! display only (who is signed in, to which tenant); every real decision is the server's.

pub mod audiences;
pub mod oauth;
pub mod store;
pub mod tokens;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

pub use oauth::{check_openable, AuthConfig, DeviceCode, SIGN_IN, SIGN_IN_AGAIN};
pub use store::{KeyringStore, MemoryStore, SecretStore};
pub use tokens::OAuthTokens;

use crate::error::{Error, Result};
use crate::partner_center::client::build_oauth_http_client;
use crate::secrets::Secret;
use crate::settings::Settings;
use store::run_blocking;

/// How long the browser sign-in waits for the person by default.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// Who is signed in. Not a secret: shown in the app and by `cspdesk whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The sign-in name (`preferred_username`, `upn` or `email` claim).
    pub username: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Directory (tenant) id the account signed in to (`tid`).
    pub tenant_id: Option<String>,
    /// The user's object id (`oid`).
    pub object_id: Option<String>,
    /// The app registration the refresh token belongs to.
    pub client_id: String,
    /// The sign-in authority.
    pub authority: String,
    pub signed_in_at: DateTime<Utc>,
}

impl Account {
    fn from_claims(claims: &serde_json::Value, cfg: &AuthConfig) -> Account {
        let s = |k: &str| {
            claims
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Account {
            username: s("preferred_username")
                .or_else(|| s("upn"))
                .or_else(|| s("email"))
                .or_else(|| s("unique_name")),
            name: s("name"),
            tenant_id: s("tid"),
            object_id: s("oid"),
            client_id: cfg.client_id.clone(),
            authority: cfg.authority.to_string(),
            signed_in_at: Utc::now(),
        }
    }

    fn to_secret(&self) -> Secret {
        Secret::new(serde_json::to_string(self).unwrap_or_default())
    }

    fn from_secret(s: &Secret) -> Option<Account> {
        serde_json::from_str(s.expose()).ok()
    }
}

/// The claims of a JWT-shaped token, decoded without any validation, for display only.
pub fn decode_claims(jwt: &str) -> Option<serde_json::Value> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Keychain entry names for one sign-in authority.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub refresh_token: String,
    pub account: String,
}

impl Keys {
    pub fn for_authority(authority: &Url) -> Keys {
        let host = authority.host_str().unwrap_or("authority");
        let id = match authority.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        Keys {
            refresh_token: format!("refresh-token@{id}"),
            account: format!("account@{id}"),
        }
    }
}

/// Whether someone is signed in, and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInStatus {
    pub signed_in: bool,
    /// The account signed in, or the last one when the sign-in has expired (to offer it again).
    pub account: Option<Account>,
    pub authority: String,
}

/// Sign-in, sign-out and status for one authority and app registration.
#[derive(Debug, Clone)]
pub struct Auth {
    cfg: AuthConfig,
    http: reqwest::Client,
    store: Arc<dyn SecretStore>,
}

impl Auth {
    pub fn new(cfg: AuthConfig, store: Arc<dyn SecretStore>) -> Result<Auth> {
        Ok(Auth {
            cfg,
            http: build_oauth_http_client()?,
            store,
        })
    }

    /// From the settings (authority override, tenant, client id), with the OS keychain.
    pub fn from_settings(settings: &Settings) -> Result<Auth> {
        let endpoints = settings.endpoints()?;
        let client_id = settings.client_id.clone().unwrap_or_default();
        Auth::new(
            AuthConfig::new(endpoints.authority, settings.tenant(), client_id)?,
            Arc::new(KeyringStore::new()),
        )
    }

    pub fn config(&self) -> &AuthConfig {
        &self.cfg
    }

    fn keys(&self) -> Keys {
        Keys::for_authority(&self.cfg.authority)
    }

    /// Signs in through the system browser. `open` receives the sign-in URL (already checked
    /// by [`check_openable`]) and must open it, e.g. with the desktop's opener; the call then
    /// waits up to `timeout` for the browser to come back to the loopback redirect.
    pub async fn sign_in_with_browser(
        &self,
        open: impl FnOnce(&Url) -> Result<()> + Send,
        timeout: Duration,
    ) -> Result<Account> {
        let grant = oauth::authorization_code(&self.cfg, &self.http, open, timeout).await?;
        self.keep(grant).await
    }

    /// Starts a device code sign-in; show [`DeviceCode::message`] to the person.
    pub async fn start_device_code(&self) -> Result<DeviceCode> {
        oauth::device_code_start(&self.cfg, &self.http).await
    }

    /// Waits until the person has entered the code (or it expires), then keeps the sign-in.
    pub async fn finish_device_code(&self, code: &DeviceCode) -> Result<Account> {
        let grant = oauth::device_code_finish(&self.cfg, &self.http, code).await?;
        self.keep(grant).await
    }

    async fn keep(&self, grant: oauth::Grant) -> Result<Account> {
        let refresh_token = grant.refresh_token.clone().ok_or_else(|| {
            Error::auth(
                crate::error::AuthReason::AppRegistration,
                "Microsoft Entra ID did not return a refresh token, so CSP Desk could not stay signed in. \
                 Check that the app registration may request offline_access, then sign in again",
            )
        })?;
        let claims = grant
            .id_token
            .as_ref()
            .and_then(|t| decode_claims(t.expose()))
            .or_else(|| decode_claims(grant.access_token.expose()))
            .unwrap_or_default();
        let account = Account::from_claims(&claims, &self.cfg);
        let (store, keys, acc) = (self.store.clone(), self.keys(), account.clone());
        run_blocking(move || {
            store.set(&keys.refresh_token, &refresh_token)?;
            store.set(&keys.account, &acc.to_secret())
        })
        .await?;
        tracing::info!(username = ?account.username, tenant = ?account.tenant_id, "signed in");
        Ok(account)
    }

    /// Forgets the sign-in: removes the refresh token and the account from the keychain.
    /// Access tokens already handed to a running [`OAuthTokens`] die with it (drop it, or
    /// call [`OAuthTokens::forget`]).
    pub async fn sign_out(&self) -> Result<()> {
        let (store, keys) = (self.store.clone(), self.keys());
        run_blocking(move || {
            store.delete(&keys.refresh_token)?;
            store.delete(&keys.account)
        })
        .await?;
        tracing::info!("signed out");
        Ok(())
    }

    /// Who is signed in, from the keychain (no network).
    pub async fn status(&self) -> Result<SignInStatus> {
        let (store, keys) = (self.store.clone(), self.keys());
        let (account, has_token) = run_blocking(move || {
            Ok((
                store.get(&keys.account)?,
                store.get(&keys.refresh_token)?.is_some(),
            ))
        })
        .await?;
        let account = account.and_then(|a| Account::from_secret(&a));
        Ok(SignInStatus {
            signed_in: has_token && account.is_some(),
            account,
            authority: self.cfg.authority.to_string(),
        })
    }

    /// The token provider for the signed-in account, or `None` when nobody is signed in.
    pub async fn tokens(&self) -> Result<Option<OAuthTokens>> {
        OAuthTokens::load(&self.cfg.authority, self.store.clone(), self.http.clone()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_futures_are_send_for_the_desktop() {
        fn send<T: Send>(_: &T) {}
        let cfg =
            AuthConfig::new(Url::parse("https://login.example.com").unwrap(), "", "c").unwrap();
        let auth = Auth::new(cfg, MemoryStore::new()).unwrap();
        send(&auth.sign_in_with_browser(|_| Ok(()), BROWSER_TIMEOUT));
        send(&auth.start_device_code());
        send(&auth.sign_out());
        send(&auth.status());
        send(&auth.tokens());
    }

    #[test]
    fn claims_are_decoded_for_display() {
        let b64 = |v: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        };
        let jwt = format!(
            "{}.{}.sig",
            b64(&serde_json::json!({"alg": "none"})),
            b64(
                &serde_json::json!({"preferred_username": "ann@contoso.com", "tid": "t-1", "name": "Ann"})
            )
        );
        let cfg =
            AuthConfig::new(Url::parse("https://login.example.com").unwrap(), "", "c").unwrap();
        let a = Account::from_claims(&decode_claims(&jwt).unwrap(), &cfg);
        assert_eq!(a.username.as_deref(), Some("ann@contoso.com"));
        assert_eq!(a.tenant_id.as_deref(), Some("t-1"));
        assert!(decode_claims("not-a-jwt").is_none());
        let k = Keys::for_authority(&Url::parse("http://127.0.0.1:4000/").unwrap());
        assert_eq!(k.refresh_token, "refresh-token@127.0.0.1:4000");
    }
}
