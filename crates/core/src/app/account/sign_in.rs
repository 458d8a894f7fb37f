//! Signing in and out, and who is signed in, for the Settings view and the top bar.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use url::Url;

use super::{values_of, ConnectionChoice};
use crate::app::AppCore;
use crate::auth::audiences::{self, AudienceCheck};
use crate::auth::{check_openable, Auth, KeyringStore, SecretStore, BROWSER_TIMEOUT};
use crate::connection::Mode;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::settings::ConnectionKind;

/// Who is signed in, and to which tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    /// The settings' connection (the saved settings, which the next start uses).
    pub connection: ConnectionChoice,
    /// This run needs no sign-in: the built-in sandbox, or a token from `CSPDESK_ACCESS_TOKEN`.
    pub sign_in_needed: bool,
    /// Why no sign-in is needed, or why it cannot happen yet (e.g. no client id).
    pub note: Option<String>,
    /// The same as a code, for the UI.
    pub note_message: Option<Message>,
    pub signed_in: bool,
    /// An account is remembered but its sign-in expired or was revoked: sign in again.
    pub expired: bool,
    pub username: Option<String>,
    pub name: Option<String>,
    pub tenant_id: Option<String>,
    /// RFC 3339.
    pub signed_in_at: Option<String>,
    pub authority: String,
    pub client_id: Option<String>,
    /// Filled when asked to check (one token request per audience); empty otherwise.
    pub audiences: Vec<AudienceCheck>,
}

/// The outcome of a sign-in or sign-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountChange {
    pub who: WhoAmI,
}

// ---------- conversions ----------

impl AppCore {
    fn secrets(&self) -> Arc<dyn SecretStore> {
        self.opts()
            .secrets
            .unwrap_or_else(|| Arc::new(KeyringStore::new()))
    }

    /// Where to sign in, as the connection would: `CSPDESK_ENDPOINT` when it is a sandbox on
    /// loopback, else the saved settings' authority.
    fn sign_in_auth(&self) -> Result<Auth> {
        // The saved settings, which the next connection uses.
        let mut opts = self.opts();
        opts.settings = self.settings();
        Auth::new(opts.auth_config(None, None)?, self.secrets())
    }

    /// Whether this run needs a sign-in at all, and if not, why.
    fn no_sign_in_reason(&self) -> Option<Message> {
        let explicit = self.opts().endpoint.is_some();
        if self.opts().access_token.is_some() {
            return Some(Message::NoSignInToken);
        }
        if !explicit && self.settings().connection == ConnectionKind::Sandbox {
            return Some(Message::NoSignInSandbox);
        }
        None
    }

    /// Who is signed in (from the keychain; no network). With `check`, also asks for a token
    /// for each of the three audiences and says which features are unavailable and why.
    pub async fn whoami(&self, check: bool) -> Result<WhoAmI> {
        let s = self.settings();
        let connection = values_of(&s).connection;
        let note = self.no_sign_in_reason();
        let auth = self.sign_in_auth()?;
        // No sign-in needed: the keychain is left alone (no prompt, no error on a headless box).
        let status = match &note {
            Some(_) => crate::auth::SignInStatus {
                signed_in: false,
                account: None,
                authority: auth.config().authority.to_string(),
            },
            None => auth.status().await?,
        };
        let a = status.account.as_ref();
        let mut who = WhoAmI {
            connection,
            sign_in_needed: note.is_none(),
            note: note.as_ref().map(Message::english),
            note_message: note,
            signed_in: status.signed_in,
            expired: a.is_some() && !status.signed_in,
            username: a.and_then(|a| a.username.clone()),
            name: a.and_then(|a| a.name.clone()),
            tenant_id: a.and_then(|a| a.tenant_id.clone()),
            signed_in_at: a.map(|a| a.signed_in_at.to_rfc3339()),
            authority: status.authority.clone(),
            client_id: a
                .map(|a| a.client_id.clone())
                .or_else(|| Some(auth.config().client_id.clone()).filter(|c| !c.is_empty())),
            audiences: vec![],
        };
        if check && who.signed_in {
            let arm_subscription = self
                .opts()
                .arm_subscription
                .clone()
                .or_else(|| s.arm_subscription.clone());
            // ARM's access shows only on a call: made on the open signed-in connection only.
            let live = self.connected().filter(|c| c.mode != Mode::EmbeddedSandbox);
            who.audiences =
                audiences::check(&auth, arm_subscription.as_deref(), live.as_deref()).await?;
            // A dead sign-in is forgotten by the first refusal: report it as such.
            if !auth.status().await?.signed_in {
                who.signed_in = false;
                who.expired = true;
            }
        }
        Ok(who)
    }

    /// Settings → Check connection: one read-only call per service (see [`crate::doctor`]).
    pub async fn check_connection(&self) -> Result<crate::doctor::ConnectionReport> {
        let c = self.connection().await?;
        Ok(crate::doctor::check(&c).await)
    }

    /// Signs in through the system browser (authorization code + PKCE, loopback redirect).
    /// `open` opens the sign-in page (only links [`check_openable`] accepts reach it). Waits
    /// for the browser up to five minutes, or until [`AppCore::cancel_sign_in`].
    pub async fn sign_in(
        &self,
        open: impl FnOnce(&Url) -> Result<()> + Send,
    ) -> Result<AccountChange> {
        self.sign_in_with_timeout(open, BROWSER_TIMEOUT).await
    }

    /// [`AppCore::sign_in`] with a chosen wait.
    pub async fn sign_in_with_timeout(
        &self,
        open: impl FnOnce(&Url) -> Result<()> + Send,
        timeout: Duration,
    ) -> Result<AccountChange> {
        if let Some(why) = self.no_sign_in_reason() {
            return Err(Message::NothingToSignIn { why: Box::new(why) }.refused());
        }
        let auth = self.sign_in_auth()?;
        auth.config().require_client_id()?;
        // Listen for Cancel before saying a sign-in is waiting, so a Cancel pressed right away
        // is never missed.
        let cancelled = self.account.cancel.notified();
        if self.account.signing_in.swap(true, Ordering::SeqCst) {
            return Err(Message::SignInWaiting.refused());
        }
        struct Done<'a>(&'a AtomicBool);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        let _done = Done(&self.account.signing_in);
        let checked_open = move |url: &Url| {
            check_openable(url)?;
            open(url)
        };
        let account = tokio::select! {
            r = auth.sign_in_with_browser(checked_open, timeout) => r?,
            () = cancelled => return Err(Error::Cancelled),
        };
        tracing::info!(username = ?account.username, "signed in from the desktop");
        // The next call opens a connection on the new sign-in; work in flight ends on the old.
        self.reconnect();
        Ok(AccountChange {
            who: self.whoami(false).await?,
        })
    }

    /// Whether a sign-in is waiting for the browser.
    pub fn signing_in(&self) -> bool {
        self.account.signing_in.load(Ordering::SeqCst)
    }

    /// Stops a sign-in that is waiting for the browser (it then fails as cancelled).
    pub fn cancel_sign_in(&self) {
        self.account.cancel.notify_waiters();
    }

    /// Signs out: deletes the refresh token and the account from the keychain, and drops the
    /// open connection, so no call is made on the old sign-in's tokens from then on.
    pub async fn sign_out(&self) -> Result<AccountChange> {
        let auth = self.sign_in_auth()?;
        auth.sign_out().await?;
        self.reconnect();
        Ok(AccountChange {
            who: self.whoami(false).await?,
        })
    }
}
