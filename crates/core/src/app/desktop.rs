//! The desktop conventions' side of the facade: the update settings and the in-flight rule,
//! and the diagnostics report. The shell adds what only it knows (the WebKit version, the log
//! folder, the updater plugin) and calls these.

use std::path::{Path, PathBuf};

use url::Url;

use super::AppCore;
use crate::desktop::diagnostics::{self, Facts};
use crate::desktop::update::{self, InFlight, UpdatePrefs};
use crate::error::Result;

impl AppCore {
    /// Exports and orders running now (see [`InFlight`]).
    pub fn in_flight(&self) -> &InFlight {
        &self.in_flight
    }

    /// Why an update may not be installed now (an export or an order is in flight).
    pub fn update_blocker(&self) -> Option<String> {
        self.in_flight.install_blocker()
    }

    /// The feed to read: the settings file's, else the one built into the app.
    pub fn update_feed(&self) -> Option<Url> {
        self.settings().updates.feed.or_else(update::built_in_feed)
    }

    pub fn update_prefs(&self) -> UpdatePrefs {
        let u = self.settings().updates;
        UpdatePrefs {
            check_automatically: u.check_automatically,
            feed_from_settings: u.feed.is_some(),
            feed: self.update_feed().map(|u| u.to_string()),
        }
    }

    /// Turns the automatic check at start on or off (saved in the settings file).
    pub fn set_automatic_update_checks(&self, on: bool) -> Result<UpdatePrefs> {
        let mut s = self.settings();
        s.updates.check_automatically = on;
        let path = self.settings_path();
        s.save(&path)?;
        super::write_lock(&self.opts).settings.updates = s.updates.clone();
        super::account::remember_settings(self, s);
        Ok(self.update_prefs())
    }

    /// Where the data lives (the store, the orders journal, the last update check).
    pub fn data_dir(&self) -> PathBuf {
        self.opts()
            .data_dir
            .unwrap_or_else(crate::connection::default_data_dir)
    }

    /// The "Copy diagnostics" text: `facts` (the shell's) with the connection filled in, and
    /// the last lines of the log in `log_dir`, every secret removed.
    pub fn diagnostics(&self, mut facts: Facts, log_dir: &Path) -> String {
        let s = self.settings();
        let mut connection = s.connection.as_str().to_string();
        if let Some(c) = self.connected() {
            connection = format!(
                "{} ({})",
                match c.mode {
                    crate::connection::Mode::EmbeddedSandbox => "embedded sandbox",
                    crate::connection::Mode::Endpoint => "custom endpoint",
                    crate::connection::Mode::PartnerCenter => "Partner Center",
                },
                c.client.endpoints().partner_center
            );
        }
        facts.connection = connection;
        facts.data_dir = self.data_dir().display().to_string();
        facts.log_dir = log_dir.display().to_string();
        let lines = diagnostics::last_log_lines(log_dir, diagnostics::LOG_LINES);
        diagnostics::report(&facts, &lines)
    }
}
