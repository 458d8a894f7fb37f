//! The desktop app's facade over the core: one method per IPC command, no Tauri types.
//!
//! [`AppCore`] opens the [`Connection`] lazily on first use (so the window paints before the
//! embedded sandbox has started), keeps one in-memory [`OfferIndex`] per market behind a std
//! `RwLock` (never held across `.await`), and rebuilds it after each sync. A query against a
//! market never synced syncs it first. It deliberately holds no UI state: filters, selection and
//! windows are the UI's, and every answer is a bounded window or one offer.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::Mutex;

use crate::catalog::detail::{self, OfferDetail};
pub use crate::catalog::markets::Market;
use crate::catalog::markets::{self, market_code};
use crate::catalog::query::{OfferFilter, OfferIndex, OfferQuery, OfferWindow, PublisherFilter};
use crate::catalog::sync::{self, Progress, SyncOptions, SyncState};
use crate::connection::{ConnectOptions, Connection, Mode};
use crate::error::{Error, Result};
use crate::secrets::Secret;

// One file per area of the app; each adds its own `impl AppCore` block and IPC types.
pub mod account;
pub mod customers;
mod files;
pub mod invoices;
pub mod orders;
pub mod prices;
pub mod publishers;
pub mod subscriptions;

/// Largest window one query may return: the UI asks for the visible rows plus overscan.
pub const MAX_WINDOW: usize = 500;

/// A publisher the type-ahead offers, with the rows picking it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublisherOption {
    pub name: String,
    pub count: u32,
}

/// What the app is connected to, for the top bar and the sandbox banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionStatus {
    pub mode: Mode,
    /// `Sandbox`, the endpoint's host, or `Partner Center`.
    pub label: String,
    pub sandbox: bool,
    /// The Partner Center base URL in use.
    pub endpoint: String,
    pub data_dir: String,
}

/// Connection settings from the environment: `CSPDESK_ENDPOINT`, `CSPDESK_ACCESS_TOKEN`,
/// `CSPDESK_ARM_SUBSCRIPTION`, `CSPDESK_SANDBOX_OFFERS`, `CSPDESK_DATA_DIR`. The desktop puts
/// them over the settings file ([`account::desktop_options`]); alone, with none of the first two
/// set, the embedded sandbox is used.
pub fn options_from_env(default_data_dir: PathBuf) -> Result<ConnectOptions> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
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

    /// When the market was last synced, if ever.
    pub async fn last_sync(&self, market: &str) -> Result<Option<SyncState>> {
        let market = market_code(market)?;
        let c = self.connection().await?;
        sync::last_sync(&c.store, &market)
    }

    /// Sync a market's catalog, then rebuild its index. `progress` is called as work advances.
    pub async fn sync(
        &self,
        market: &str,
        progress: impl Fn(Progress) + Send + Sync,
    ) -> Result<SyncState> {
        let market = market_code(market)?;
        let c = self.connection().await?;
        let _one = self.sync_lock.lock().await;
        self.cancel.store(false, Ordering::Relaxed);
        let mut opts = SyncOptions::new(&market);
        opts.arm_subscription = c.arm_subscription.clone();
        opts.cancel = self.cancel.clone();
        let report = sync::sync(&c.client, &c.store, &opts, &progress).await?;
        tracing::info!(market = %market, offers = report.offers, "catalog synced");
        self.rebuild_index(&c, &market).await?;
        sync::last_sync(&c.store, &market)?
            .ok_or_else(|| Error::Invalid("the sync finished but left no record".into()))
    }

    /// Ask a running sync to stop; the stored catalog stays as it was.
    pub fn cancel_sync(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    async fn rebuild_index(&self, c: &Connection, market: &str) -> Result<Arc<OfferIndex>> {
        let store = c.store.clone();
        let m = market.to_string();
        let index = tokio::task::spawn_blocking(move || {
            sync::load_offers(&store, &m).map(|o| Arc::new(OfferIndex::new(o)))
        })
        .await
        .map_err(|e| Error::Internal(format!("building the offer index failed: {e}")))??;
        self.indexes
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(market.to_string(), index.clone());
        Ok(index)
    }

    fn cached_index(&self, market: &str) -> Option<Arc<OfferIndex>> {
        self.indexes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(market)
            .cloned()
    }

    /// The market's index: cached, else built from the store, syncing first if never synced.
    pub async fn index(&self, market: &str) -> Result<Arc<OfferIndex>> {
        let market = market_code(market)?;
        if let Some(i) = self.cached_index(&market) {
            return Ok(i);
        }
        let c = self.connection().await?;
        if sync::last_sync(&c.store, &market)?.is_none() {
            self.sync(&market, |_| {}).await?;
            if let Some(i) = self.cached_index(&market) {
                return Ok(i);
            }
        }
        self.rebuild_index(&c, &market).await
    }

    /// One window of the marketplace with facet counts. The window is capped at [`MAX_WINDOW`].
    pub async fn query_offers(&self, market: &str, mut query: OfferQuery) -> Result<OfferWindow> {
        let index = self.index(market).await?;
        query.limit = query.limit.clamp(1, MAX_WINDOW);
        Ok(index.query(&query))
    }

    /// Publishers for the type-ahead, best first, each with the number of rows it would give
    /// with the other filters in `filter` (its own publisher filter is replaced).
    pub async fn publishers(
        &self,
        market: &str,
        prefix: &str,
        filter: OfferFilter,
        limit: usize,
    ) -> Result<Vec<PublisherOption>> {
        let index = self.index(market).await?;
        let names = index.publisher_names(prefix, limit.clamp(1, 50));
        let mut query = OfferQuery {
            filter,
            limit: 1,
            ..Default::default()
        };
        Ok(names
            .into_iter()
            .map(|name| {
                query.filter.publisher = PublisherFilter::Named(name.clone());
                let count = index.query(&query).total;
                PublisherOption { name, count }
            })
            .collect())
    }

    /// One offer in full, with the publisher's contacts and legal links from the ARM catalog.
    pub async fn offer_detail(&self, market: &str, key: &str) -> Result<OfferDetail> {
        let market = market_code(market)?;
        let index = self.index(&market).await?;
        let offer = index.offer(key).cloned().ok_or_else(|| {
            Error::not_found(
                format!("offer {key} in market {market}"),
                "Sync the catalog again; the offer may have been withdrawn",
            )
        })?;
        let c = self.connection().await?;
        detail::offer_detail(&c, &offer, &market).await
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
