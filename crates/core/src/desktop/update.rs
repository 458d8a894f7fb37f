//! When and from where the desktop app may update itself. The shell does the work through
//! Tauri's updater plugin (download, minisign verification, `dpkg -i`/`rpm -U`/msi/app
//! install); every decision around it is here:
//! - the feed must come over TLS ([`check_feed`]): `https://`, or `http://` on this machine;
//! - only a newer version is offered ([`is_newer`]): a feed offering the running version or an
//!   older one is ignored;
//! - automatic checks run at start at most once a day ([`due`]) and can be turned off in the
//!   settings (`[updates]`), where a managed install can also set the feed;
//! - an update is never installed while an export or an order is in flight ([`InFlight`]);
//! - a check that fails never blocks the app: it says so quietly ([`quiet_failure`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::message::Message;

/// Automatic checks run at most this often.
pub const CHECK_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The feed built into this binary (a release build sets `CSPDESK_UPDATE_FEED` when compiling);
/// the settings file's `[updates] feed` replaces it.
pub fn built_in_feed() -> Option<Url> {
    option_env!("CSPDESK_UPDATE_FEED").and_then(|u| Url::parse(u).ok())
}

/// Refuses a feed (or a download address from a feed) that is not TLS: `https://` is
/// required, except `http://` on this machine (a local mirror, the tests).
pub fn check_feed(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if crate::partner_center::Endpoints::is_loopback(url) => Ok(()),
        other => Err(Message::UpdateAddressNotTls {
            url: url.to_string(),
            scheme: other.to_string(),
        }
        .into()),
    }
}

/// Whether `offered` is newer than `current` (semantic versions; a pre-release is older than
/// its release). An unreadable version is never newer.
pub fn is_newer(current: &str, offered: &str) -> bool {
    let parse = |v: &str| semver::Version::parse(v.trim().trim_start_matches('v')).ok();
    match (parse(current), parse(offered)) {
        (Some(c), Some(o)) => o > c,
        _ => false,
    }
}

/// Whether an automatic check is due: never checked, or the last check is [`CHECK_EVERY`] old
/// (a last check in the future, after a clock change, counts as old).
pub fn due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match last {
        None => true,
        Some(t) => t > now || now - t >= CHECK_EVERY,
    }
}

/// The line shown when a check could not be made: quiet, and it never blocks the app.
pub fn quiet_failure(reason: &str) -> String {
    let reason = reason.trim().trim_end_matches('.');
    format!("could not check for updates: {reason}")
}

/// File (in the data dir) holding the time of the last automatic check.
pub const LAST_CHECK_FILE: &str = "last-update-check";

/// The last automatic check, from `data_dir` (none if never, or unreadable).
pub fn last_check(data_dir: &Path) -> Option<DateTime<Utc>> {
    let text = std::fs::read_to_string(data_dir.join(LAST_CHECK_FILE)).ok()?;
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Records an automatic check (written to a temp file and renamed).
pub fn record_check(data_dir: &Path, at: DateTime<Utc>) -> Result<()> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::io(format!("creating {}", data_dir.display()), e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(data_dir)
        .map_err(|e| Error::io(format!("writing in {}", data_dir.display()), e))?;
    std::io::Write::write_all(&mut tmp, at.to_rfc3339().as_bytes())
        .map_err(|e| Error::io("writing the last update check", e))?;
    tmp.persist(data_dir.join(LAST_CHECK_FILE))
        .map_err(|e| Error::io("writing the last update check", e.error))?;
    Ok(())
}

/// Whether the automatic check at start is due now (see [`due`]).
pub fn due_now(data_dir: &Path) -> bool {
    due(last_check(data_dir), Utc::now())
}

/// Records an automatic check made now.
pub fn record_check_now(data_dir: &Path) -> Result<()> {
    record_check(data_dir, Utc::now())
}

/// Work that an update must not interrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {
    Export,
    Order,
}

/// What is running now, counted by kind. Each export and each order placement holds a
/// [`WorkGuard`] while it runs; [`InFlight::install_blocker`] is the one rule the updater asks.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<Mutex<HashMap<Work, usize>>>);

impl InFlight {
    /// Marks `work` as running until the guard is dropped (however the work ends).
    pub fn begin(&self, work: Work) -> WorkGuard {
        *self.lock().entry(work).or_default() += 1;
        WorkGuard(self.clone(), work)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Work, usize>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Why an update may not be installed now, or `None` when nothing is in flight.
    pub fn install_blocker(&self) -> Option<String> {
        let m = self.lock();
        let exports = m.get(&Work::Export).copied().unwrap_or(0);
        let orders = m.get(&Work::Order).copied().unwrap_or(0);
        let what = match (exports, orders) {
            (0, 0) => return None,
            (1, 0) => "an export is running".to_string(),
            (n, 0) => format!("{n} exports are running"),
            (0, 1) => "an order is being placed".to_string(),
            (0, n) => format!("{n} orders are being placed"),
            _ => "an export is running and an order is being placed".to_string(),
        };
        Some(format!(
            "The update was not installed: {what}. Install it when that has finished."
        ))
    }
}

/// Holds one piece of work in flight (see [`InFlight::begin`]).
#[derive(Debug)]
pub struct WorkGuard(InFlight, Work);

impl Drop for WorkGuard {
    fn drop(&mut self) {
        let mut m = self.0.lock();
        if let Some(n) = m.get_mut(&self.1) {
            *n = n.saturating_sub(1);
        }
    }
}

/// The update settings, as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePrefs {
    /// Check at start, at most once a day.
    pub check_automatically: bool,
    /// The feed in use (the settings file's, else the built-in one); `None`: no feed.
    pub feed: Option<String>,
    /// The settings file sets the feed (a managed install).
    pub feed_from_settings: bool,
}

/// A newer version offered by the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// Release notes as written in the feed.
    pub notes: Option<String>,
    /// Release date (RFC 3339), if the feed gives one.
    pub date: Option<String>,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UpdateCheck {
    /// No newer version (the feed may offer this one or an older one: ignored).
    UpToDate {
        #[serde(rename = "currentVersion")]
        current_version: String,
    },
    Available {
        offer: UpdateOffer,
    },
    /// The check could not be made; `message` is [`quiet_failure`]'s.
    Failed {
        message: String,
        /// `message` as a code (the UI's own failures have none).
        code: Option<Message>,
    },
    /// Automatic checks are off, or no feed is configured, or one ran less than a day ago.
    Skipped {
        reason: String,
        /// `reason` as a code.
        code: Option<Message>,
    },
}

impl UpdateCheck {
    /// A check that could not be made (`why`: an `Update*` failure), said quietly.
    pub fn failed(why: Message) -> UpdateCheck {
        // The reason ends the line (no full stop of its own), in every language.
        let why = match why {
            Message::UpdateFailed { why } => Message::UpdateFailed {
                why: why.trim().trim_end_matches('.').to_string(),
            },
            m => m,
        };
        UpdateCheck::Failed {
            message: why.english(),
            code: Some(why),
        }
    }

    /// A check at start that did not run (`why`: an `UpdateSkipped*`).
    pub fn skipped(why: Message) -> UpdateCheck {
        UpdateCheck::Skipped {
            reason: why.english(),
            code: Some(why),
        }
    }
}

/// Download progress of an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    #[ts(type = "number")]
    pub downloaded: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tls_feeds_or_this_machine() {
        for ok in [
            "https://updates.example.com/latest.json",
            "http://127.0.0.1:8123/latest.json",
            "http://localhost/latest.json",
            "http://[::1]:9000/latest.json",
        ] {
            check_feed(&Url::parse(ok).unwrap()).unwrap();
        }
        for bad in [
            "http://updates.example.com/latest.json",
            "http://10.0.0.5/latest.json",
            "ftp://example.com/latest.json",
            "file:///tmp/latest.json",
        ] {
            let e = check_feed(&Url::parse(bad).unwrap())
                .unwrap_err()
                .to_string();
            assert!(e.contains("updates must come over TLS"), "{bad}: {e}");
        }
    }

    #[test]
    fn only_a_newer_version_is_offered() {
        assert!(is_newer("0.1.0", "0.1.1"));
        assert!(is_newer("0.1.0", "v0.2.0"));
        assert!(is_newer("0.9.9", "1.0.0"));
        assert!(is_newer("1.0.0-beta.2", "1.0.0"));
        assert!(!is_newer("0.1.1", "0.1.1"));
        assert!(!is_newer("0.1.1", "0.1.0"), "an older version is ignored");
        assert!(!is_newer("1.0.0", "1.0.0-rc.1"));
        assert!(!is_newer("0.1.0", "latest"), "unreadable is never newer");
    }

    #[test]
    fn automatic_checks_at_most_once_a_day() {
        let now = DateTime::parse_from_rfc3339("2026-12-05T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(due(None, now));
        assert!(!due(Some(now - chrono::TimeDelta::hours(23)), now));
        assert!(due(Some(now - chrono::TimeDelta::hours(24)), now));
        assert!(
            due(Some(now + chrono::TimeDelta::hours(2)), now),
            "clock went back"
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(last_check(dir.path()), None);
        record_check(dir.path(), now).unwrap();
        assert_eq!(last_check(dir.path()), Some(now));
        assert!(!due(last_check(dir.path()), now));
    }

    #[test]
    fn nothing_installs_while_an_export_or_an_order_runs() {
        let work = InFlight::default();
        assert_eq!(work.install_blocker(), None);
        let export = work.begin(Work::Export);
        let msg = work.install_blocker().unwrap();
        assert!(msg.contains("an export is running"), "{msg}");
        let order = work.begin(Work::Order);
        assert!(work.install_blocker().unwrap().contains("order"));
        drop(export);
        assert!(work
            .install_blocker()
            .unwrap()
            .contains("an order is being placed"));
        drop(order);
        assert_eq!(work.install_blocker(), None);
    }

    #[test]
    fn a_failed_check_names_its_reason_quietly() {
        assert_eq!(
            quiet_failure("connection refused."),
            "could not check for updates: connection refused"
        );
        let failed = UpdateCheck::failed(Message::UpdateNoPackage {
            targets: "linux-x86_64".into(),
        });
        assert_eq!(
            serde_json::to_value(&failed).unwrap(),
            serde_json::json!({
                "kind": "failed",
                "message": "could not check for updates: the update feed has no package for this system (linux-x86_64)",
                "code": {"code": "updateNoPackage", "params": {"targets": "linux-x86_64"}}
            })
        );
        assert_eq!(
            Message::UpdateNoFeed.english(),
            "could not check for updates: no update feed is configured (Settings file, [updates] feed)"
        );
        assert_eq!(
            Message::UpdateFailed {
                why: "the server said no.".into()
            }
            .english(),
            "could not check for updates: the server said no"
        );
        assert_eq!(
            UpdateCheck::failed(Message::UpdateFailed {
                why: "the server said no.".into()
            }),
            UpdateCheck::Failed {
                message: "could not check for updates: the server said no".into(),
                code: Some(Message::UpdateFailed {
                    why: "the server said no".into()
                })
            }
        );
        assert_eq!(
            UpdateCheck::skipped(Message::UpdateSkippedRecent),
            UpdateCheck::Skipped {
                reason: "checked less than a day ago".into(),
                code: Some(Message::UpdateSkippedRecent)
            }
        );
    }
}
