//! The Marketplace view: one in-memory [`OfferIndex`] per market, rebuilt after each sync; a
//! market never synced is synced on first use.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde::Serialize;

use super::{AppCore, MAX_WINDOW};
use crate::catalog::detail::{self, OfferDetail};
use crate::catalog::markets::market_code;
use crate::catalog::query::{OfferFilter, OfferIndex, OfferQuery, OfferWindow, PublisherFilter};
use crate::catalog::sync::{self, Progress, SyncOptions, SyncState};
use crate::connection::Connection;
use crate::error::{Error, Result};

/// A publisher the type-ahead offers, with the rows picking it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherOption {
    pub name: String,
    pub count: u32,
}

impl AppCore {
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
            crate::message::Message::OfferMissing {
                offer: key.to_string(),
                market: market.clone(),
            }
            .not_found()
        })?;
        let c = self.connection().await?;
        detail::offer_detail(&c, &offer, &market).await
    }
}
