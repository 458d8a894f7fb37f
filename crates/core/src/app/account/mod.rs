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
use std::sync::atomic::AtomicBool;
use std::sync::RwLock;

use serde::Serialize;
use tokio::sync::Notify;

mod sign_in;
pub use sign_in::*;

use super::AppCore;
use crate::connection::options_from_vars;
use crate::connection::ConnectOptions;
use crate::error::Result;
use crate::settings::form::{same_connection, values_of};
pub use crate::settings::form::{
    settings_from_values, ConnectionChoice, EndpointValues, FieldError, SettingsValues,
};
pub use crate::settings::Language;
use crate::settings::{self, LoadedSettings, Settings};

/// The settings file the desktop uses: `CSPDESK_SETTINGS`, else the CLI's default path.
pub fn desktop_settings_path() -> PathBuf {
    std::env::var("CSPDESK_SETTINGS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(settings::default_path)
}

/// The desktop's connect options: the settings file's, with the `CSPDESK_*` variables of
/// [`crate::connection::options_from_env`] on top (an endpoint or token from the environment wins).
pub fn desktop_options(settings: &Settings, default_data_dir: PathBuf) -> Result<ConnectOptions> {
    desktop_options_with(settings, default_data_dir, |k| std::env::var(k).ok())
}

/// [`desktop_options`] with the variables read through `lookup` (tests give their own).
pub fn desktop_options_with(
    settings: &Settings,
    default_data_dir: PathBuf,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ConnectOptions> {
    let mut opts = options_from_vars(default_data_dir, lookup)?;
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
    /// The operating system's language (`ko-KR`), when its locale variables name one: what
    /// `language = "system"` follows (the UI falls back to the webview's languages).
    pub os_language: Option<String>,
}

/// The outcome of saving: saved, or the fields to correct (nothing written then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveOutcome {
    pub saved: bool,
    pub errors: Vec<FieldError>,
    pub path: String,
}

fn problem_of(p: &settings::SettingsProblem) -> SettingsFileProblem {
    SettingsFileProblem {
        line: p.line.map(|l| u32::try_from(l).unwrap_or(u32::MAX)),
        column: p.column.map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
        message: p.message.clone(),
        moved_to: p.moved_to.as_ref().map(|m| m.display().to_string()),
        text: p.to_string(),
    }
}

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

    pub fn settings_path(&self) -> PathBuf {
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
            os_language: settings::os_language(),
        }
    }

    /// The settings form's field errors for `values`, as saving them would report them: the
    /// form asks as the person types, so the settings file's rules are checked in one place.
    pub fn check_settings(&self, values: &SettingsValues) -> Vec<FieldError> {
        settings_from_values(values).err().unwrap_or_default()
    }

    /// Validates and saves the settings (atomically; a broken file is kept aside, never
    /// overwritten). Invalid fields come back in [`SaveOutcome::errors`] and nothing is written.
    pub fn save_settings(&self, values: SettingsValues) -> Result<SaveOutcome> {
        let path = self.settings_path();
        let mut settings = match settings_from_values(&values) {
            Ok(s) => s,
            Err(errors) => {
                return Ok(SaveOutcome {
                    saved: false,
                    errors,
                    path: path.display().to_string(),
                })
            }
        };
        // The form does not show the update settings: they stay as they are.
        settings.updates = self.settings().updates;
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
}

/// Keeps `s` as the settings last saved (after a change made outside the settings form).
pub(crate) fn remember_settings(core: &AppCore, s: Settings) {
    write(&core.account.current, s);
}
