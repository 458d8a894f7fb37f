//! The desktop app's facade over the core: one method per IPC command, no Tauri types.
//!
//! [`AppCore`] opens the [`Connection`] lazily on first use (so the window paints before the
//! embedded sandbox has started), keeps one in-memory [`OfferIndex`] per market behind a std
//! `RwLock` (never held across `.await`), and rebuilds it after each sync. A query against a
//! market never synced syncs it first. It deliberately holds no UI state: filters, selection and
//! windows are the UI's, and every answer is a bounded window or one offer.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::Mutex;

pub use crate::catalog::markets::Market;
use crate::catalog::markets::{self, market_code};
use crate::catalog::query::OfferIndex;
pub use crate::connection::options_from_env;
use crate::connection::{ConnectOptions, Connection, Mode};
use crate::error::Result;
pub use catalog::PublisherOption;

// One file per area of the app; each adds its own `impl AppCore` block and IPC types.
pub mod account;
mod buy;
pub mod catalog;
pub mod customers;
mod desktop;
mod files;
pub mod invoices;
pub mod orders;
pub mod prices;
pub mod pricing;
pub mod publishers;
pub mod subscriptions;

/// Largest window one query may return: the UI asks for the visible rows plus overscan.
pub const MAX_WINDOW: usize = 500;

/// What the app is connected to, for the top bar and the sandbox banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionStatus {
    pub mode: Mode,
    /// `Sandbox`, the endpoint's host, or `Partner Center`.
    pub label: String,
    pub sandbox: bool,
    /// The Partner Center base URL in use.
    pub endpoint: String,
    pub data_dir: String,
}

/// The core as the desktop app sees it.
pub struct AppCore {
    /// How to connect; a settings change replaces it (see `account.rs`).
    opts: RwLock<ConnectOptions>,
    /// The open connection, if any. Swapped (not mutated) when the settings or the sign-in
    /// change, so work in flight finishes on the connection it started on.
    conn: RwLock<Option<Arc<Connection>>>,
    /// One open at a time.
    opening: Mutex<()>,
    indexes: RwLock<HashMap<String, Arc<OfferIndex>>>,
    /// One catalog sync at a time.
    sync_lock: Mutex<()>,
    cancel: Arc<AtomicBool>,
    /// Settings file and sign-in (`account.rs`).
    account: account::AccountState,
    /// The buy flow's reviews and in-flight guard, the customer cache (see `orders.rs`).
    orders: orders::OrdersState,
    /// The customer list as last read (see `customers.rs`).
    customers: customers::CustomerCache,
    /// Files exported in this session (see `files.rs`).
    written: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Cancel flags of running price exports (see `prices.rs`).
    export_cancels: prices::ExportCancels,
    /// The lines of the last invoices read.
    invoice_lines: crate::billing::LineCache,
    /// Exports and orders running now: an update waits for them (see `desktop.rs`).
    in_flight: crate::desktop::update::InFlight,
}

impl std::fmt::Debug for AppCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCore")
            .field("connected", &self.connected().is_some())
            .finish()
    }
}

fn write_lock<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppCore {
    pub fn new(opts: ConnectOptions) -> AppCore {
        AppCore {
            account: account::AccountState::new(&opts),
            opts: RwLock::new(opts),
            conn: Default::default(),
            opening: Mutex::new(()),
            indexes: RwLock::new(HashMap::new()),
            sync_lock: Mutex::new(()),
            cancel: Arc::new(AtomicBool::new(false)),
            orders: orders::OrdersState::default(),
            customers: Default::default(),
            written: Default::default(),
            export_cancels: Default::default(),
            invoice_lines: Default::default(),
            in_flight: Default::default(),
        }
    }

    /// An already open connection (tests).
    pub fn with_connection(conn: Connection) -> AppCore {
        let core = AppCore::new(ConnectOptions::default());
        *write_lock(&core.conn) = Some(Arc::new(conn));
        core
    }

    /// The connection, opened (and the embedded sandbox started) on first use. A failed open is
    /// retried on the next call.
    pub async fn connection(&self) -> Result<Arc<Connection>> {
        if let Some(c) = self.connected() {
            return Ok(c);
        }
        let _one = self.opening.lock().await;
        if let Some(c) = self.connected() {
            return Ok(c);
        }
        let conn = Arc::new(Connection::open(self.opts()).await?);
        tracing::info!(mode = ?conn.mode, data_dir = %conn.data_dir.display(), "connected");
        *write_lock(&self.conn) = Some(conn.clone());
        Ok(conn)
    }

    /// The open connection, if there is one.
    pub(crate) fn connected(&self) -> Option<Arc<Connection>> {
        self.conn
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Drops the open connection: the next call opens one with the current options. Work in
    /// flight keeps the connection it holds until it ends. What was read through the old one
    /// (the catalog indexes, the invoice lines) is dropped with it.
    pub(crate) fn reconnect(&self) {
        let old = write_lock(&self.conn).take();
        write_lock(&self.indexes).clear();
        self.invoice_lines.clear();
        if let Some(c) = old {
            tracing::info!(mode = ?c.mode, "connection closed; the next call reconnects");
        }
    }

    /// The connection options as they stand.
    pub(crate) fn opts(&self) -> ConnectOptions {
        self.opts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub async fn status(&self) -> Result<ConnectionStatus> {
        let c = self.connection().await?;
        let endpoint = c.client.endpoints().partner_center.to_string();
        let label = match c.mode {
            Mode::EmbeddedSandbox => "Sandbox".to_string(),
            Mode::Endpoint => c
                .client
                .endpoints()
                .partner_center
                .host_str()
                .unwrap_or("Custom endpoint")
                .to_string(),
            Mode::PartnerCenter => "Partner Center".to_string(),
        };
        Ok(ConnectionStatus {
            mode: c.mode,
            label,
            sandbox: c.is_sandbox(),
            endpoint,
            data_dir: c.data_dir.display().to_string(),
        })
    }

    /// Where exports go when no file is named (the settings' export folder or its fallback).
    pub(crate) fn export_dir(&self) -> PathBuf {
        self.opts().settings.export_dir()
    }

    pub fn markets(&self) -> Vec<Market> {
        markets::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markets_are_two_letter_codes() {
        let core = AppCore::new(ConnectOptions::default());
        let markets = core.markets();
        assert_eq!(markets[0].code, "US");
        assert!(markets.iter().all(|m| m.code.len() == 2));
    }

    #[test]
    fn env_without_endpoint_or_token_means_sandbox() {
        // Only reads: these variables are unset in the test environment.
        let opts = options_from_env(PathBuf::from("/tmp/x")).unwrap();
        if std::env::var("CSPDESK_ENDPOINT").is_err() {
            assert!(opts.endpoint.is_none());
        }
        assert!(opts.data_dir.is_some());
    }
}
