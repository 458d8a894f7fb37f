//! The settings file: what CSP Desk connects to and a few defaults, in TOML under the app's
//! config dir.
//!
//! Why a file and not a database row: people read, diff and copy it, so each field carries its
//! doc comment in the file too ([`Settings::render`] writes it from a template). What it
//! deliberately never holds: a secret. The sign-in lives in the OS keychain
//! ([`crate::auth::store`]), and [`Settings`] has no field a token could go in.
//!
//! A malformed file must not stop the app: [`Settings::load`] reports the problem with its line
//! and column, keeps the broken file aside as `settings.toml.broken-<UTC time>` (so saving new
//! settings never overwrites it), and goes on with the defaults. Endpoint overrides go through
//! [`Endpoints::check_secure`] while the file is read, so a plain-`http` address that is not
//! on this machine is refused right there, with its line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::Endpoints;

pub mod form;

/// File name inside the config dir.
pub const FILE_NAME: &str = "settings.toml";

/// Market used when the settings name none.
pub const FALLBACK_MARKET: &str = "US";

/// Where the settings file lives when nothing says otherwise (`…/cspdesk/settings.toml` in the
/// platform's config dir).
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("com", "CSP Desk", "cspdesk")
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".cspdesk"))
        .join(FILE_NAME)
}

/// What CSP Desk connects to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionKind {
    /// The built-in Partner Center simulator: no sign-in, no real data.
    #[default]
    Sandbox,
    /// Microsoft Partner Center, with the signed-in account.
    PartnerCenter,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Sandbox => "sandbox",
            ConnectionKind::PartnerCenter => "partner-center",
        }
    }
}

/// The desktop app's language: the operating system's, or one chosen in Settings. (The CLI
/// speaks English.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    /// Whatever the operating system's language is (English where it is not Korean).
    #[default]
    System,
    /// English.
    En,
    /// Korean (한국어).
    Ko,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::System => "system",
            Language::En => "en",
            Language::Ko => "ko",
        }
    }
}

/// The operating system's language as a BCP 47 tag (`ko-KR`), from the POSIX locale variables
/// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`); `None` where they name none (or `C`/`POSIX`).
///
/// Why not only the webview's `navigator.language`: WebKitGTK derives it from `setlocale`, which
/// falls back to `C` (and so `en-US`) when the named locale is not generated on the machine, so
/// `LANG=ko_KR.UTF-8` alone reads as English there. The variables say what the person chose.
pub fn os_language() -> Option<String> {
    os_language_from(|k| std::env::var(k).ok())
}

fn os_language_from(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| var(k))
        .find(|v| !v.trim().is_empty())?;
    // ko_KR.UTF-8@euro → ko-KR
    let tag = value.split(['.', '@']).next()?.trim().replace('_', "-");
    (!tag.is_empty() && tag != "C" && tag != "POSIX").then_some(tag)
}

/// Optional replacements of the service base URLs. Each must be `https://`, or `http://` on
/// this machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointOverrides {
    /// Partner Center REST API (default `https://api.partnercenter.microsoft.com`).
    #[serde(
        deserialize_with = "secure_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_center: Option<Url>,
    /// Partner API, for price sheets (default `https://api.partner.microsoft.com`).
    #[serde(
        deserialize_with = "secure_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner_api: Option<Url>,
    /// Azure Resource Manager, for the marketplace catalog (default `https://management.azure.com`).
    #[serde(
        deserialize_with = "secure_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub arm: Option<Url>,
    /// Microsoft Entra ID sign-in authority (default `https://login.microsoftonline.com`).
    #[serde(
        deserialize_with = "secure_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub authority: Option<Url>,
}

/// The settings. `Default` is what a missing file means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Where CSP Desk connects: the built-in sandbox, or Partner Center.
    pub connection: ConnectionKind,
    /// Directory (tenant) id of the partner organization (a GUID, or a domain such as
    /// `contoso.onmicrosoft.com`). `None`: any work account may sign in (`organizations`).
    #[serde(deserialize_with = "tenant", skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Application (client) id of the app registration CSP Desk signs in with (a GUID).
    #[serde(deserialize_with = "guid", skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Azure subscription id the marketplace catalog is read through (a GUID).
    #[serde(deserialize_with = "guid", skip_serializing_if = "Option::is_none")]
    pub arm_subscription: Option<String>,
    /// Default markets (two-letter country codes); the first is used when a command names none.
    #[serde(deserialize_with = "markets")]
    pub markets: Vec<String>,
    /// Where exports go when no file is named. `None`: the Downloads folder.
    #[serde(deserialize_with = "folder", skip_serializing_if = "Option::is_none")]
    pub export_dir: Option<PathBuf>,
    /// The desktop app's language (`system`: the operating system's).
    pub language: Language,
    /// Optional service address overrides.
    pub endpoints: EndpointOverrides,
    /// Updates of the desktop app (automatic checks, the feed).
    pub updates: UpdateSettings,
}

/// How the desktop app looks for updates (`[updates]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateSettings {
    /// Check the feed at start, at most once a day.
    pub check_automatically: bool,
    /// The update feed (`latest.json`); `None`: the one built into the app. `https://`, or
    /// `http://` on this machine.
    #[serde(deserialize_with = "feed_url", skip_serializing_if = "Option::is_none")]
    pub feed: Option<Url>,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        UpdateSettings {
            check_automatically: true,
            feed: None,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connection: ConnectionKind::Sandbox,
            tenant_id: None,
            client_id: None,
            arm_subscription: None,
            markets: vec![FALLBACK_MARKET.to_string()],
            export_dir: None,
            language: Language::System,
            endpoints: EndpointOverrides::default(),
            updates: UpdateSettings::default(),
        }
    }
}

// The doc comments written into the file, one per field (kept next to the template below).
const HEADER: &str = "\
# CSP Desk settings.
#
# Change them in the app, or edit this file while CSP Desk is closed. A setting that is
# commented out (`# name = …`) takes its default. No password or token is ever written here:
# the sign-in is kept in the operating system's keychain.
";
const DOC_CONNECTION: &str = "\
Where CSP Desk connects:
  \"sandbox\"        the built-in Partner Center simulator: no sign-in, invented data;
  \"partner-center\" Microsoft Partner Center, with the account you sign in with
                   (in the app: Sign in; on the command line: cspdesk login --device-code).";
const DOC_TENANT: &str = "\
Directory (tenant) id of your partner organization in Microsoft Entra ID: a GUID, or a domain
such as contoso.onmicrosoft.com. Left out: any work account may sign in (\"organizations\").";
const DOC_CLIENT: &str = "\
Application (client) id of the app registration CSP Desk signs in with (a GUID). The README
says how to register one (\"Connect a real Partner Center account\").";
const DOC_ARM: &str = "\
Azure subscription id (a GUID) that the Azure Marketplace catalog (categories, support
contacts, trials) is read through. Left out: offers are synced without those details.";
const DOC_MARKETS: &str = "\
Default markets, as two-letter country codes. The first is used when a command names none.";
const DOC_EXPORT: &str = "\
Folder that exports go to when no file is named. Left out: your Downloads folder.";
const DOC_LANGUAGE: &str = "\
The desktop app's language: \"system\" (the operating system's; English unless it is Korean),
\"en\" (English) or \"ko\" (Korean, 한국어). The command line always speaks English.";
const DOC_ENDPOINTS: &str = "\
Optional service addresses, e.g. a proxy, or a sandbox started with `cspdesk sandbox serve`.
Only https:// is accepted, or http:// on this machine (127.0.0.1, localhost): tokens must
not travel unencrypted.";
const DOC_EP_PC: &str = "Partner Center REST API. Default: https://api.partnercenter.microsoft.com";
const DOC_EP_PAPI: &str =
    "Partner API, for price sheets. Default: https://api.partner.microsoft.com";
const DOC_EP_ARM: &str =
    "Azure Resource Manager, for the marketplace catalog. Default: https://management.azure.com";
const DOC_EP_AUTH: &str =
    "Microsoft Entra ID sign-in authority. Default: https://login.microsoftonline.com";

const DOC_UPDATES: &str = "\
Updates of the desktop app. An administrator can point every install at the company's own
update feed here (a latest.json, https:// only, or http:// on this machine).";
const DOC_UP_AUTO: &str = "Check for a new version at start, at most once a day.";
const DOC_UP_FEED: &str = "Update feed. Left out: the one built into the app.";

const TOP_KEYS: [&str; 9] = [
    "connection",
    "tenant_id",
    "client_id",
    "arm_subscription",
    "markets",
    "export_dir",
    "language",
    "endpoints",
    "updates",
];
const UPDATE_KEYS: [&str; 2] = ["check_automatically", "feed"];
const ENDPOINT_KEYS: [&str; 4] = ["partner_center", "partner_api", "arm", "authority"];

/// Why the settings file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsProblem {
    pub path: Option<PathBuf>,
    /// 1-based line and column of the offending text, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What is wrong, in the parser's or validator's words.
    pub message: String,
    /// Where the broken file was kept.
    pub moved_to: Option<PathBuf>,
}

impl std::fmt::Display for SettingsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "settings file {}", p.display())?,
            None => f.write_str("settings")?,
        }
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
            if let Some(col) = self.column {
                write!(f, ", column {col}")?;
            }
        }
        write!(f, ": {}", self.message.trim_end_matches('.'))?;
        if self.path.is_some() {
            f.write_str(". CSP Desk is using the default settings")?;
            if let (Some(m), Some(p)) = (&self.moved_to, &self.path) {
                let name = p
                    .file_name()
                    .map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy());
                write!(
                    f,
                    "; the file was kept as {}: fix it there and rename it back to {name}",
                    m.display()
                )?;
            }
        }
        Ok(())
    }
}

impl From<SettingsProblem> for Error {
    fn from(p: SettingsProblem) -> Error {
        Error::Invalid(p.to_string())
    }
}

/// The outcome of [`Settings::load`]: always settings to run with, plus what went wrong.
#[derive(Debug, Clone)]
pub struct LoadedSettings {
    pub settings: Settings,
    pub path: PathBuf,
    /// Whether the file existed.
    pub found: bool,
    /// The file could not be used: `settings` are the defaults.
    pub problem: Option<SettingsProblem>,
    /// Things that were ignored, e.g. an unknown setting name.
    pub warnings: Vec<String>,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Settings {
    /// Parses settings from TOML text, validating every field.
    pub fn from_toml(text: &str) -> std::result::Result<Settings, SettingsProblem> {
        toml::from_str::<Settings>(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            SettingsProblem {
                path: None,
                line,
                column,
                message: e.message().trim().to_string(),
                moved_to: None,
            }
        })
    }

    /// Reads the settings file. Never fails: a missing file gives the defaults; an unreadable
    /// or malformed one gives the defaults plus a [`SettingsProblem`], and a malformed file is
    /// moved aside (`settings.toml.broken-<UTC time>`) so that it is never overwritten.
    pub fn load(path: &Path) -> LoadedSettings {
        let mut out = LoadedSettings {
            settings: Settings::default(),
            path: path.to_path_buf(),
            found: false,
            problem: None,
            warnings: vec![],
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return out,
            Err(e) => {
                out.found = true;
                out.problem = Some(SettingsProblem {
                    path: Some(path.to_path_buf()),
                    line: None,
                    column: None,
                    message: format!("could not be read ({e})"),
                    moved_to: None,
                });
                return out;
            }
        };
        out.found = true;
        let parsed = match String::from_utf8(bytes) {
            Ok(text) => Settings::from_toml(&text).map(|s| (s, text)),
            Err(e) => Err(SettingsProblem {
                path: None,
                line: None,
                column: None,
                message: format!("the file is not UTF-8 text ({e})"),
                moved_to: None,
            }),
        };
        match parsed {
            Ok((settings, text)) => {
                out.warnings = unknown_keys(&text);
                out.settings = settings;
            }
            Err(mut problem) => {
                problem.path = Some(path.to_path_buf());
                match move_aside(path) {
                    Ok(to) => problem.moved_to = Some(to),
                    Err(e) => problem.message.push_str(&format!(
                        " (and the file could not be moved aside: {e}; it is left as it is)"
                    )),
                }
                tracing::info!(%problem, "settings file not used");
                out.problem = Some(problem);
            }
        }
        out
    }

    /// [`Settings::load`] from [`default_path`].
    pub fn load_default() -> LoadedSettings {
        Settings::load(&default_path())
    }

    /// Checks the settings as [`Settings::from_toml`] would (for settings built in code).
    pub fn validate(&self) -> Result<()> {
        Settings::from_toml(&self.render())
            .map(|_| ())
            .map_err(Error::from)
    }

    /// Writes the settings to `path` (atomically, creating the folder), from the documented
    /// template. An existing file that does not parse is first kept aside, never overwritten.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.validate()?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        if let Ok(existing) = std::fs::read(path) {
            let ok = String::from_utf8(existing)
                .ok()
                .is_some_and(|t| Settings::from_toml(&t).is_ok());
            if !ok {
                let to = move_aside(path)?;
                tracing::warn!(kept = %to.display(), "the old settings file did not parse; kept aside");
            }
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| Error::io(format!("writing settings in {}", dir.display()), e))?;
        std::io::Write::write_all(&mut tmp, self.render().as_bytes())
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        tmp.persist(path)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e.error))?;
        Ok(())
    }

    /// The file's text: every field with its doc comment; unset optional fields are written
    /// commented out with an example.
    pub fn render(&self) -> String {
        let s = |v: &str| toml::Value::String(v.to_string()).to_string();
        let url = |u: &Option<Url>| u.as_ref().map(|u| s(u.as_str()));
        let mut out = String::from(HEADER);
        out.push('\n');
        field(
            &mut out,
            "connection",
            DOC_CONNECTION,
            Some(s(self.connection.as_str())),
            "\"sandbox\"",
        );
        field(
            &mut out,
            "tenant_id",
            DOC_TENANT,
            self.tenant_id.as_deref().map(s),
            "\"00000000-0000-0000-0000-000000000000\"",
        );
        field(
            &mut out,
            "client_id",
            DOC_CLIENT,
            self.client_id.as_deref().map(s),
            "\"00000000-0000-0000-0000-000000000000\"",
        );
        field(
            &mut out,
            "arm_subscription",
            DOC_ARM,
            self.arm_subscription.as_deref().map(s),
            "\"00000000-0000-0000-0000-000000000000\"",
        );
        let markets = toml::Value::Array(
            self.markets
                .iter()
                .map(|m| toml::Value::String(m.clone()))
                .collect(),
        )
        .to_string();
        field(&mut out, "markets", DOC_MARKETS, Some(markets), "[\"US\"]");
        field(
            &mut out,
            "export_dir",
            DOC_EXPORT,
            self.export_dir.as_ref().map(|p| s(&p.to_string_lossy())),
            "\"/home/me/Exports\"",
        );
        field(
            &mut out,
            "language",
            DOC_LANGUAGE,
            (self.language != Language::System).then(|| s(self.language.as_str())),
            "\"system\"",
        );
        comment(&mut out, DOC_ENDPOINTS);
        out.push_str("[endpoints]\n\n");
        let e = &self.endpoints;
        field(
            &mut out,
            "partner_center",
            DOC_EP_PC,
            url(&e.partner_center),
            "\"https://api.partnercenter.microsoft.com/\"",
        );
        field(
            &mut out,
            "partner_api",
            DOC_EP_PAPI,
            url(&e.partner_api),
            "\"https://api.partner.microsoft.com/\"",
        );
        field(
            &mut out,
            "arm",
            DOC_EP_ARM,
            url(&e.arm),
            "\"https://management.azure.com/\"",
        );
        field(
            &mut out,
            "authority",
            DOC_EP_AUTH,
            url(&e.authority),
            "\"https://login.microsoftonline.com/\"",
        );
        comment(&mut out, DOC_UPDATES);
        out.push_str("[updates]\n\n");
        field(
            &mut out,
            "check_automatically",
            DOC_UP_AUTO,
            Some(self.updates.check_automatically.to_string()),
            "true",
        );
        field(
            &mut out,
            "feed",
            DOC_UP_FEED,
            url(&self.updates.feed),
            "\"https://updates.example.com/cspdesk/latest.json\"",
        );
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// Microsoft's endpoints with the overrides applied (each checked by
    /// [`Endpoints::check_secure`]).
    pub fn endpoints(&self) -> Result<Endpoints> {
        let ms = Endpoints::microsoft();
        let pick = |o: &Option<Url>, d: Url| -> Result<Url> {
            match o {
                Some(u) => {
                    Endpoints::check_secure(u)?;
                    Ok(u.clone())
                }
                None => Ok(d),
            }
        };
        let e = &self.endpoints;
        Ok(Endpoints {
            partner_center: pick(&e.partner_center, ms.partner_center)?,
            partner_api: pick(&e.partner_api, ms.partner_api)?,
            arm: pick(&e.arm, ms.arm)?,
            authority: pick(&e.authority, ms.authority)?,
            // No override of its own: a sandbox set as the Partner Center endpoint serves Graph too.
            graph: match &e.partner_center {
                Some(u) if Endpoints::is_loopback(u) => u.clone(),
                _ => ms.graph,
            },
        })
    }

    /// The tenant path segment used for sign-in: the tenant id, or `organizations`.
    pub fn tenant(&self) -> &str {
        self.tenant_id.as_deref().unwrap_or("organizations")
    }

    /// The market used when a command names none.
    pub fn default_market(&self) -> &str {
        self.markets
            .first()
            .map(String::as_str)
            .unwrap_or(FALLBACK_MARKET)
    }

    /// The folder exports go to when no file is named: the setting, else the first of
    /// Downloads, Documents and the home folder that exists, else the working directory.
    pub fn export_dir(&self) -> PathBuf {
        if let Some(d) = &self.export_dir {
            return d.clone();
        }
        directories::UserDirs::new()
            .and_then(|u| {
                [u.download_dir(), u.document_dir(), Some(u.home_dir())]
                    .into_iter()
                    .flatten()
                    .find(|d| d.is_dir())
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

fn comment(out: &mut String, doc: &str) {
    for line in doc.lines() {
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn field(out: &mut String, key: &str, doc: &str, value: Option<String>, example: &str) {
    comment(out, doc);
    match value {
        Some(v) => out.push_str(&format!("{key} = {v}\n\n")),
        None => out.push_str(&format!("# {key} = {example}\n\n")),
    }
}

/// Renames `path` to `path.broken-<UTC time>` (with a counter if that exists).
fn move_aside(path: &Path) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| FILE_NAME.to_string());
    let mut to = path.with_file_name(format!("{name}.broken-{stamp}"));
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = path.with_file_name(format!("{name}.broken-{stamp}-{n}"));
    }
    std::fs::rename(path, &to).map_err(|e| {
        Error::io(
            format!("moving the broken settings file {} aside", path.display()),
            e,
        )
    })?;
    Ok(to)
}

/// Names in the file that are not settings (ignored, but worth a warning: likely a typo).
fn unknown_keys(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return vec![];
    };
    let line_of = |key: &str| {
        text.lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
                    || l.trim_start_matches('[').starts_with(key)
            })
            .map(|i| format!(", line {}", i + 1))
            .unwrap_or_default()
    };
    let mut out = vec![];
    for (k, v) in &table {
        if !TOP_KEYS.contains(&k.as_str()) {
            out.push(format!("unknown setting `{k}`{} ignored", line_of(k)));
        } else if k == "endpoints" {
            if let Some(t) = v.as_table() {
                for ek in t.keys().filter(|ek| !ENDPOINT_KEYS.contains(&ek.as_str())) {
                    out.push(format!(
                        "unknown setting `endpoints.{ek}`{} ignored",
                        line_of(ek)
                    ));
                }
            }
        } else if k == "updates" {
            if let Some(t) = v.as_table() {
                for uk in t.keys().filter(|uk| !UPDATE_KEYS.contains(&uk.as_str())) {
                    out.push(format!(
                        "unknown setting `updates.{uk}`{} ignored",
                        line_of(uk)
                    ));
                }
            }
        }
    }
    out
}

fn feed_url<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Url>, D::Error> {
    let Some(s) = text(d)? else { return Ok(None) };
    let url = Url::parse(&s)
        .map_err(|e| serde::de::Error::custom(format!("`{s}` is not a URL ({e})")))?;
    crate::desktop::update::check_feed(&url).map_err(serde::de::Error::custom)?;
    Ok(Some(url))
}

// --- field validation while deserializing (so errors carry the line) ---

fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    Ok(s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// A GUID setting (client id, Azure subscription), trimmed and lower-cased; why not, as a code.
pub fn guid_setting(s: &str) -> std::result::Result<String, Message> {
    let s = s.trim();
    uuid::Uuid::parse_str(s)
        .map(|_| s.to_ascii_lowercase())
        .map_err(|_| Message::SettingNotGuid { value: s.into() })
}

/// The tenant setting: a GUID or a domain.
pub fn tenant_setting(s: &str) -> std::result::Result<String, Message> {
    let s = s.trim();
    let ok = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(s.to_string())
    } else {
        Err(Message::SettingNotTenant { value: s.into() })
    }
}

/// A market setting: two letters, upper-cased.
pub fn market_setting(m: &str) -> std::result::Result<String, Message> {
    let m = m.trim().to_ascii_uppercase();
    if m.len() == 2 && m.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(m)
    } else {
        Err(Message::SettingNotMarket { value: m })
    }
}

fn said<E: serde::de::Error>(m: Message) -> E {
    E::custom(m.english())
}

fn guid<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let Some(s) = text(d)? else { return Ok(None) };
    guid_setting(&s).map(Some).map_err(said)
}

fn tenant<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let Some(s) = text(d)? else { return Ok(None) };
    tenant_setting(&s).map(Some).map_err(said)
}

fn markets<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let v: Vec<String> = Vec::deserialize(d)?;
    v.iter().map(|m| market_setting(m).map_err(said)).collect()
}

fn folder<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<PathBuf>, D::Error> {
    Ok(text(d)?.map(PathBuf::from))
}

fn secure_url<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Url>, D::Error> {
    let Some(s) = text(d)? else { return Ok(None) };
    endpoint_setting(&s).map(Some).map_err(said)
}

/// An endpoint override: a URL, `https://` or `http://` on this machine (tokens must not travel
/// in clear text), its path ending in `/`; why not, as a code.
pub fn endpoint_setting(s: &str) -> std::result::Result<Url, Message> {
    let s = s.trim();
    let mut url = Url::parse(s).map_err(|e| Message::SettingNotUrl {
        value: s.into(),
        why: e.to_string(),
    })?;
    if Endpoints::check_secure(&url).is_err() {
        return Err(Message::SettingNotSecure {
            value: url.to_string(),
            scheme: url.scheme().into(),
        });
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_render_and_parse_back() {
        let d = Settings::default();
        let text = d.render();
        assert_eq!(Settings::from_toml(&text).unwrap(), d);
        // Every field is documented in the file.
        for key in TOP_KEYS
            .iter()
            .chain(ENDPOINT_KEYS.iter())
            .chain(UPDATE_KEYS.iter())
        {
            let at = text
                .find(&format!("{key} ="))
                .or_else(|| text.find(&format!("[{key}]")));
            let at = at.unwrap_or_else(|| panic!("{key} missing from\n{text}"));
            let before = text[..at].trim_end_matches("# ");
            assert!(
                before.trim_end().lines().last().unwrap().starts_with('#'),
                "{key}"
            );
        }
        assert_eq!(Settings::from_toml("").unwrap(), d);
    }

    #[test]
    fn a_full_file_round_trips() {
        let s = Settings {
            connection: ConnectionKind::PartnerCenter,
            tenant_id: Some("contoso.onmicrosoft.com".into()),
            client_id: Some("11111111-2222-3333-4444-555555555555".into()),
            arm_subscription: Some("0f3a9c2e-7b1d-4c58-a6e2-3d9b8f1c4e70".into()),
            markets: vec!["GB".into(), "US".into()],
            export_dir: Some(PathBuf::from("/tmp/exports \"q\"")),
            language: Language::Ko,
            endpoints: EndpointOverrides {
                partner_center: Some(Url::parse("http://127.0.0.1:9000/").unwrap()),
                authority: Some(Url::parse("https://login.example.com/").unwrap()),
                ..Default::default()
            },
            updates: UpdateSettings {
                check_automatically: false,
                feed: Some(Url::parse("https://updates.example.com/cspdesk/latest.json").unwrap()),
            },
        };
        assert_eq!(Settings::from_toml(&s.render()).unwrap(), s);
        assert_eq!(s.default_market(), "GB");
        assert_eq!(
            s.endpoints().unwrap().partner_center.as_str(),
            "http://127.0.0.1:9000/"
        );
        assert_eq!(
            s.endpoints().unwrap().partner_api.as_str(),
            "https://api.partner.microsoft.com/"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let text = "connection = \"partner-center\"\nclient_id = \"nope\"\n";
        let p = Settings::from_toml(text).unwrap_err();
        assert_eq!(p.line, Some(2), "{p}");
        assert!(p.to_string().contains("not a GUID"), "{p}");

        let p = Settings::from_toml("markets = [\"US\"\nconnection = 1\n").unwrap_err();
        assert!(p.line.is_some(), "{p}");

        let p = Settings::from_toml("connection = \"azure\"\n").unwrap_err();
        assert_eq!(p.line, Some(1));
        assert!(p.to_string().contains("partner-center"), "{p}");
    }

    #[test]
    fn plain_http_override_off_this_machine_is_refused_with_its_line() {
        let text = "[endpoints]\n\npartner_center = \"http://proxy.example.com/\"\n";
        let p = Settings::from_toml(text).unwrap_err();
        assert_eq!(p.line, Some(3), "{p}");
        assert!(p.message.contains("only https://"), "{p}");
        assert!(Settings::from_toml("[endpoints]\narm = \"http://localhost:8080\"\n").is_ok());
        // Settings built in code are checked too.
        let s = Settings {
            endpoints: EndpointOverrides {
                arm: Some(Url::parse("http://example.com/").unwrap()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(s.endpoints().is_err());
        assert!(s.validate().is_err());
    }

    #[test]
    fn the_os_language_comes_from_the_locale_variables() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            os_language_from(env(&[("LANG", "ko_KR.UTF-8")])).as_deref(),
            Some("ko-KR")
        );
        assert_eq!(
            os_language_from(env(&[("LC_ALL", "en_GB.UTF-8"), ("LANG", "ko_KR.UTF-8")])).as_deref(),
            Some("en-GB")
        );
        assert_eq!(
            os_language_from(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "ko_KR"),
                ("LANG", "C")
            ]))
            .as_deref(),
            Some("ko-KR")
        );
        assert_eq!(os_language_from(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(os_language_from(env(&[])), None);
    }

    #[test]
    fn unknown_keys_warn() {
        let w = unknown_keys("conection = \"sandbox\"\n[endpoints]\nparter_center = \"x\"\n");
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("`conection`, line 1"), "{w:?}");
    }
}
