//! [`OAuthTokens`]: the signed-in [`TokenProvider`]. One refresh token, three audiences.
//!
//! Each audience (Partner Center, the Partner API, ARM) gets its own access token from the one
//! refresh token, on first use, held in memory only and renewed silently 30 s before it
//! expires. Entra rotates refresh tokens: every new one is written back to the keychain.
//! Refreshes are serialized, so two requests never redeem the same refresh token at once.
//! When an audience is refused (no consent, no Azure subscription…), only the calls that need
//! it fail; the other audiences keep working. When the refresh token itself is dead (expired,
//! revoked), it is forgotten and every call says to sign in again.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use super::oauth::{self, AuthConfig, SIGN_IN};
use super::store::{run_blocking, SecretStore};
use super::{Account, Keys};
use crate::error::{Error, Result};
use crate::partner_center::auth::{Audience, TokenProvider};
use crate::secrets::Secret;

/// Renew this long before an access token expires.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(30);

struct Cached {
    token: Secret,
    expires_at: Instant,
}

/// Access tokens for the signed-in account, refreshed silently.
pub struct OAuthTokens {
    cfg: AuthConfig,
    http: reqwest::Client,
    store: Arc<dyn SecretStore>,
    keys: Keys,
    /// Held across a refresh on purpose: refreshes of one refresh token must not overlap.
    cache: tokio::sync::Mutex<HashMap<Audience, Cached>>,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("authority", &self.cfg.authority.as_str())
            .field("client_id", &self.cfg.client_id)
            .finish_non_exhaustive()
    }
}

impl OAuthTokens {
    /// The provider for the account signed in at `authority`, or `None` when nobody is.
    pub async fn load(
        authority: &url::Url,
        store: Arc<dyn SecretStore>,
        http: reqwest::Client,
    ) -> Result<Option<OAuthTokens>> {
        let keys = Keys::for_authority(authority);
        let (s, k) = (store.clone(), keys.clone());
        let (account, has_token) = run_blocking(move || {
            let account = s.get(&k.account)?;
            let has = s.get(&k.refresh_token)?.is_some();
            Ok((account, has))
        })
        .await?;
        let Some(account) = account.and_then(|a| Account::from_secret(&a)) else {
            return Ok(None);
        };
        if !has_token {
            return Ok(None);
        }
        let tenant = account
            .tenant_id
            .clone()
            .unwrap_or_else(|| "organizations".into());
        let cfg = AuthConfig::new(authority.clone(), tenant, account.client_id.clone())?;
        Ok(Some(OAuthTokens {
            cfg,
            http,
            store,
            keys,
            cache: tokio::sync::Mutex::new(HashMap::new()),
        }))
    }

    async fn get(&self, audience: Audience) -> Result<Secret> {
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache.get(&audience) {
            if Instant::now() + RENEW_BEFORE_EXPIRY < c.expires_at {
                return Ok(c.token.clone());
            }
        }
        // The keychain is the source of truth: a sign-in or sign-out elsewhere shows up here.
        let (store, key) = (self.store.clone(), self.keys.refresh_token.clone());
        let refresh_token = run_blocking(move || store.get(&key))
            .await?
            .ok_or_else(|| {
                Error::auth(
                    crate::error::AuthReason::SignedOut,
                    format!("You are not signed in to Partner Center. {SIGN_IN}"),
                )
            })?;
        tracing::debug!(?audience, "renewing the access token");
        match oauth::refresh(&self.cfg, &self.http, &refresh_token, audience.scope()).await {
            Ok(grant) => {
                if let Some(rotated) = grant.refresh_token.filter(|t| *t != refresh_token) {
                    let (store, key) = (self.store.clone(), self.keys.refresh_token.clone());
                    if let Err(e) = run_blocking(move || store.set(&key, &rotated)).await {
                        tracing::warn!(error = %e, "could not keep the renewed sign-in in the keychain");
                    }
                }
                let expires_at = Instant::now() + grant.expires_in;
                cache.insert(
                    audience,
                    Cached {
                        token: grant.access_token.clone(),
                        expires_at,
                    },
                );
                Ok(grant.access_token)
            }
            Err(refusal) => {
                if refusal.session_dead {
                    cache.clear();
                    // Forget it, unless a new sign-in has replaced it meanwhile.
                    let (store, key) = (self.store.clone(), self.keys.refresh_token.clone());
                    let dead = refresh_token;
                    let forget = run_blocking(move || match store.get(&key)? {
                        Some(current) if current == dead => store.delete(&key),
                        _ => Ok(()),
                    });
                    if let Err(e) = forget.await {
                        tracing::warn!(error = %e, "could not remove the expired sign-in from the keychain");
                    }
                }
                tracing::info!(?audience, error = %refusal.error, "access token refused");
                Err(refusal.error)
            }
        }
    }

    /// Drops the access tokens held in memory (after a sign-out in this process).
    pub async fn forget(&self) {
        self.cache.lock().await.clear();
    }
}

impl TokenProvider for OAuthTokens {
    fn token(&self, audience: Audience) -> BoxFuture<'_, Result<Secret>> {
        Box::pin(self.get(audience))
    }
}
