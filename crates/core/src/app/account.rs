//! Settings, sign-in and sign-out, who is signed in (issue 8).
//!
//! The desktop reads the same settings file as the CLI (`settings::default_path()`, or
//! `CSPDESK_SETTINGS`) and the same keychain entries, so `cspdesk login` and the app's Sign in
//! are one sign-in. [`desktop_options`] turns the file into the connect options; the
//! `CSPDESK_*` variables still override it (tests, E2E, a token from elsewhere).
//!
//! Reconnecting: [`AppCore::connection`] hands out an `Arc<Connection>` from a swappable slot.
//! Saving settings that change the connection, signing in and signing out drop the slot's
//! connection, so the next call opens one on the new settings or sign-in, with no restart;
//! work in flight finishes on the connection it started with.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::Notify;
use url::Url;

use super::{options_from_env, AppCore};
use crate::auth::{check_openable, Auth, KeyringStore, SecretStore, BROWSER_TIMEOUT};
use crate::connection::{ConnectOptions, Mode};
use crate::error::{Error, Result};
use crate::partner_center::auth::{Audience, TokenProvider};
use crate::settings::form::{same_connection, values_of};
pub use crate::settings::form::{
    settings_from_values, ConnectionChoice, EndpointValues, FieldError, SettingsValues,
};
use crate::settings::{self, ConnectionKind, LoadedSettings, Settings};

/// The settings file the desktop uses: `CSPDESK_SETTINGS`, else the CLI's default path.
pub fn desktop_settings_path() -> PathBuf {
    std::env::var("CSPDESK_SETTINGS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(settings::default_path)
}

/// The desktop's connect options: the settings file's, with the `CSPDESK_*` variables of
/// [`options_from_env`] on top (an endpoint or token from the environment wins).
pub fn desktop_options(settings: &Settings, default_data_dir: PathBuf) -> Result<ConnectOptions> {
    let mut opts = options_from_env(default_data_dir)?;
    opts.settings = settings.clone();
    Ok(opts)
}

/// What the account side of [`AppCore`] keeps: the settings file and the sign-in in progress.
pub(crate) struct AccountState {
    /// The settings file; `None` when the core was built without one (tests of other areas).
    path: RwLock<Option<PathBuf>>,
    /// The settings as last read or saved (the connection may still run on older ones).
    current: RwLock<Settings>,
    /// What was wrong with the file at startup, and what was ignored in it.
    problem: RwLock<Option<settings::SettingsProblem>>,
    warnings: RwLock<Vec<String>>,
    signing_in: AtomicBool,
    cancel: Notify,
}

impl AccountState {
    pub(crate) fn new(opts: &ConnectOptions) -> AccountState {
        AccountState {
            path: RwLock::new(None),
            current: RwLock::new(opts.settings.clone()),
            problem: RwLock::new(None),
            warnings: RwLock::new(vec![]),
            signing_in: AtomicBool::new(false),
            cancel: Notify::new(),
        }
    }
}

fn read<T: Clone>(l: &RwLock<T>) -> T {
    l.read().unwrap_or_else(|p| p.into_inner()).clone()
}

fn write<T>(l: &RwLock<T>, v: T) {
    *l.write().unwrap_or_else(|p| p.into_inner()) = v;
}

// ---------- IPC types ----------

/// Why the settings file could not be used at startup (the app runs on the defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingsFileProblem {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    /// Where the broken file was kept.
    pub moved_to: Option<String>,
    /// The whole explanation, with what to do.
    pub text: String,
}

/// The Settings view's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingsView {
    pub values: SettingsValues,
    /// The settings file.
    pub path: String,
    /// Whether the file exists (else these are the defaults).
    pub found: bool,
    pub problem: Option<SettingsFileProblem>,
    /// Things in the file that were ignored (e.g. an unknown setting name).
    pub warnings: Vec<String>,
    /// Where exports go when no folder is set (the Downloads folder).
    pub default_export_dir: String,
    /// Environment variables that override the file for this run, in plain words.
    pub overridden_by: Vec<String>,
}

/// The outcome of saving: saved, or the fields to correct (nothing written then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaveOutcome {
    pub saved: bool,
    pub errors: Vec<FieldError>,
    pub path: String,
}

/// One of the four token audiences, and what it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AudienceCheck {
    /// `Partner Center`, `Partner API`, `Azure Resource Manager`, `Microsoft Graph`.
    pub audience: String,
    /// The features that need it.
    pub serves: String,
    pub ok: bool,
    /// When not ok: "{features} unavailable: {why}. {what to do}".
    pub problem: Option<String>,
}

/// Who is signed in, and to which tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WhoAmI {
    /// The settings' connection (the saved settings, which the next start uses).
    pub connection: ConnectionChoice,
    /// This run needs no sign-in: the built-in sandbox, or a token from `CSPDESK_ACCESS_TOKEN`.
    pub sign_in_needed: bool,
    /// Why no sign-in is needed, or why it cannot happen yet (e.g. no client id).
    pub note: Option<String>,
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
#[ts(export)]
pub struct AccountChange {
    pub who: WhoAmI,
}

// ---------- conversions ----------

fn problem_of(p: &settings::SettingsProblem) -> SettingsFileProblem {
    SettingsFileProblem {
        line: p.line.map(|l| u32::try_from(l).unwrap_or(u32::MAX)),
        column: p.column.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
        message: p.message.clone(),
        moved_to: p.moved_to.as_ref().map(|m| m.display().to_string()),
        text: p.to_string(),
    }
}

const PARTNER_CENTER_SERVES: &str = "customers, orders, subscriptions and invoices";
const PARTNER_API_SERVES: &str = "price lists";
const ARM_SERVES: &str = "marketplace categories and publisher contacts";
const GRAPH_SERVES: &str = "invoice line items (billing reconciliation)";

impl AppCore {
    /// The desktop's core: the settings file at `settings_path` (a malformed one is reported,
    /// kept aside, and the defaults used), the environment on top, data in `default_data_dir`
    /// unless `CSPDESK_DATA_DIR`.
    pub fn for_desktop(
        settings_path: PathBuf,
        default_data_dir: PathBuf,
        sandbox_starter: Option<crate::connection::SandboxStarter>,
    ) -> Result<AppCore> {
        let loaded = Settings::load(&settings_path);
        let mut opts = desktop_options(&loaded.settings, default_data_dir)?;
        opts.sandbox_starter = sandbox_starter;
        Ok(AppCore::new(opts).with_settings_file(loaded))
    }

    /// Ties the core to its settings file, with what loading it found.
    pub fn with_settings_file(self, loaded: LoadedSettings) -> AppCore {
        for w in &loaded.warnings {
            tracing::warn!(path = %loaded.path.display(), "settings: {w}");
        }
        write(&self.account.path, Some(loaded.path));
        write(&self.account.problem, loaded.problem);
        write(&self.account.warnings, loaded.warnings);
        write(&self.account.current, loaded.settings);
        self
    }

    /// The settings as last read or saved (e.g. the export folder and default markets).
    pub fn settings(&self) -> Settings {
        read(&self.account.current)
    }

    fn settings_path(&self) -> PathBuf {
        read(&self.account.path).unwrap_or_else(desktop_settings_path)
    }

    fn overridden_by(&self) -> Vec<String> {
        let mut out = vec![];
        if self.opts().access_token.is_some() {
            out.push(
                "CSPDESK_ACCESS_TOKEN is set: this run uses that token, not the sign-in".into(),
            );
        }
        if let Some(e) = &self.opts().endpoint {
            out.push(format!(
                "CSPDESK_ENDPOINT is set: this run talks to {e}, not to the connection chosen here"
            ));
        }
        if self.opts().arm_subscription.is_some() {
            out.push("CSPDESK_ARM_SUBSCRIPTION is set: it replaces the Azure subscription id for this run".into());
        }
        out
    }

    /// The Settings view: the values in effect, the file, and what was wrong with it.
    pub fn read_settings(&self) -> SettingsView {
        let problem = read(&self.account.problem);
        let path = self.settings_path();
        SettingsView {
            values: values_of(&self.settings()),
            found: path.exists(),
            path: path.display().to_string(),
            problem: problem.as_ref().map(problem_of),
            warnings: read(&self.account.warnings),
            default_export_dir: Settings::default().export_dir().display().to_string(),
            overridden_by: self.overridden_by(),
        }
    }

    /// Validates and saves the settings (atomically; a broken file is kept aside, never
    /// overwritten). Invalid fields come back in [`SaveOutcome::errors`] and nothing is written.
    pub fn save_settings(&self, values: SettingsValues) -> Result<SaveOutcome> {
        let path = self.settings_path();
        let settings = match settings_from_values(&values) {
            Ok(s) => s,
            Err(errors) => {
                return Ok(SaveOutcome {
                    saved: false,
                    errors,
                    path: path.display().to_string(),
                })
            }
        };
        settings.save(&path)?;
        tracing::info!(path = %path.display(), "settings saved");
        let reconnect = !same_connection(&settings, &self.opts().settings);
        super::write_lock(&self.opts).settings = settings.clone();
        write(&self.account.current, settings);
        if reconnect {
            self.reconnect();
        }
        // The problem was about the old file; the new one is good.
        write(&self.account.problem, None);
        write(&self.account.warnings, vec![]);
        Ok(SaveOutcome {
            saved: true,
            errors: vec![],
            path: path.display().to_string(),
        })
    }

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
    fn no_sign_in_reason(&self) -> Option<String> {
        let explicit = self.opts().endpoint.is_some();
        if self.opts().access_token.is_some() {
            return Some(
                "This run uses the access token from CSPDESK_ACCESS_TOKEN: no sign-in is needed."
                    .into(),
            );
        }
        if !explicit && self.settings().connection == ConnectionKind::Sandbox {
            return Some(
                "CSP Desk is set to use its built-in sandbox, which needs no sign-in. To sign in, choose Partner Center under Connection, enter your app registration's ids and save."
                    .into(),
            );
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
            note,
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
            who.audiences = self.check_audiences(&auth, &s).await?;
            // A dead sign-in is forgotten by the first refusal: report it as such.
            if !auth.status().await?.signed_in {
                who.signed_in = false;
                who.expired = true;
            }
        }
        Ok(who)
    }

    async fn check_audiences(&self, auth: &Auth, s: &Settings) -> Result<Vec<AudienceCheck>> {
        let Some(tokens) = auth.tokens().await? else {
            return Ok(vec![]);
        };
        let arm_subscription = self
            .opts()
            .arm_subscription
            .clone()
            .or_else(|| s.arm_subscription.clone());
        let mut out = vec![];
        for (audience, label, serves) in [
            (
                Audience::PartnerCenter,
                "Partner Center",
                PARTNER_CENTER_SERVES,
            ),
            (Audience::PartnerApi, "Partner API", PARTNER_API_SERVES),
            (Audience::Arm, "Azure Resource Manager", ARM_SERVES),
            (Audience::Graph, "Microsoft Graph", GRAPH_SERVES),
        ] {
            let problem = match (tokens.token(audience).await, &arm_subscription) {
                (Err(e), _) => Some(format!("{serves} unavailable: {e}")),
                (Ok(_), None) if audience == Audience::Arm => Some(format!(
                    "{serves} unavailable: no Azure subscription. Enter the Azure subscription id the marketplace catalog is read through in Settings"
                )),
                (Ok(_), Some(sub)) if audience == Audience::Arm => self.probe_arm(sub).await,
                (Ok(_), _) => None,
            };
            out.push(AudienceCheck {
                audience: label.into(),
                serves: serves.into(),
                ok: problem.is_none(),
                problem,
            });
        }
        Ok(out)
    }

    /// Settings → Check connection: one read-only call per service (see [`crate::doctor`]).
    pub async fn check_connection(&self) -> Result<crate::doctor::ConnectionReport> {
        let c = self.connection().await?;
        Ok(crate::doctor::check(&c).await)
    }

    /// ARM gives tokens to anyone; whether it lets this account read the marketplace through
    /// `sub` shows only on a call. One small search, on the open signed-in connection only.
    async fn probe_arm(&self, sub: &str) -> Option<String> {
        let c = self
            .connected()
            .filter(|c| c.mode != Mode::EmbeddedSandbox)?;
        let probe = crate::partner_center::api::arm_products(sub, Some("cspdesk access check"));
        match c.client.execute(&probe).await {
            Ok(_) => None,
            Err(e) if matches!(e.status(), Some(401 | 403)) => Some(format!(
                "{ARM_SERVES} unavailable: no Azure subscription this account can read the catalog through \
                 (subscription {sub}: {e}). Give the account the Reader role on that subscription, or enter \
                 another subscription id in Settings"
            )),
            Err(e) => Some(format!("{ARM_SERVES} could not be checked: {e}")),
        }
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
            return Err(Error::refused("There is nothing to sign in to", why));
        }
        let auth = self.sign_in_auth()?;
        auth.config().require_client_id()?;
        // Listen for Cancel before saying a sign-in is waiting, so a Cancel pressed right away
        // is never missed.
        let cancelled = self.account.cancel.notified();
        if self.account.signing_in.swap(true, Ordering::SeqCst) {
            return Err(Error::refused(
                "A sign-in is already waiting for the browser",
                "Finish it in the browser, or press Cancel and start again",
            ));
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
