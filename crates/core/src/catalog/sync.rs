//! Catalog sync: fetch a market's products → SKUs → availabilities with bounded concurrency,
//! plus the ARM catalog's pages, join them, and replace that market's rows in the store in one
//! transaction (so a sync that fails or is killed leaves the previous catalog intact).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use rusqlite::params;
use serde::Serialize;

use super::{join, FetchedProduct, Offer, OfferSku};
use crate::error::{Error, Result};
use crate::partner_center::arm::ArmProductSummary;
use crate::partner_center::{api, paging, Client};
use crate::store::Store;

/// What a sync is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    Products,
    Details,
    Marketplace,
    Saving,
}

#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub phase: Phase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Clone)]
pub struct SyncOptions {
    pub market: String,
    /// Partner Center `targetView` that lists marketplace items.
    pub target_view: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Azure subscription the ARM catalog is read through; `None` skips ARM.
    pub arm_subscription: Option<String>,
    pub cancel: Arc<AtomicBool>,
}

impl SyncOptions {
    pub fn new(market: &str) -> Self {
        SyncOptions {
            market: market.to_ascii_uppercase(),
            target_view: "OnlineServices".into(),
            concurrency: 16,
            arm_subscription: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// The outcome of a sync.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub market: String,
    pub products: usize,
    pub offers: usize,
    pub marketplace_products: usize,
    /// Why the ARM catalog could not be read, if it could not; the sync still succeeds.
    pub marketplace_error: Option<String>,
    pub fetched_at: DateTime<Utc>,
}

/// Fetch a market's catalog without storing it.
pub async fn fetch(
    client: &Client,
    opts: &SyncOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<(Vec<Offer>, Vec<ArmProductSummary>, Option<String>)> {
    let market = opts.market.as_str();
    let check = || {
        if opts.cancel.load(Ordering::Relaxed) {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    };

    let arm_fut = async {
        let Some(sub) = &opts.arm_subscription else {
            return Ok::<_, Error>((vec![], None));
        };
        progress(Progress {
            phase: Phase::Marketplace,
            done: 0,
            total: 0,
        });
        let listed = crate::partner_center::arm::versioned(client, |version| {
            paging::collect_all(client, api::arm_products_at(sub, market, None, version))
        })
        .await;
        match listed {
            Ok(items) => Ok((items, None)),
            Err(Error::Cancelled) => Err(Error::Cancelled),
            Err(e) => {
                tracing::warn!(error = %e, "marketplace catalog unavailable; continuing without categories");
                Ok((vec![], Some(e.to_string())))
            }
        }
    };

    let pc_fut = async {
        progress(Progress {
            phase: Phase::Products,
            done: 0,
            total: 0,
        });
        let products =
            paging::collect_all(client, api::products(market, &opts.target_view)).await?;
        check()?;
        let total = products.len() as u64;
        let done = AtomicU64::new(0);
        progress(Progress {
            phase: Phase::Details,
            done: 0,
            total,
        });
        let fetched: Vec<FetchedProduct> =
            futures::stream::iter(products.into_iter().map(|product| {
                let done = &done;
                async move {
                    check()?;
                    let skus = paging::collect_all(client, api::skus(&product.id, market)).await?;
                    let mut offer_skus = Vec::with_capacity(skus.len());
                    for sku in skus {
                        check()?;
                        let availabilities = paging::collect_all(
                            client,
                            api::availabilities(&product.id, &sku.id, market),
                        )
                        .await?;
                        offer_skus.push(OfferSku {
                            sku,
                            availabilities,
                            trial: None,
                            trial_of: None,
                        });
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(Progress {
                        phase: Phase::Details,
                        done: n,
                        total,
                    });
                    Ok::<_, Error>(FetchedProduct {
                        product,
                        skus: offer_skus,
                    })
                }
            }))
            .buffered(opts.concurrency.max(1))
            .try_collect()
            .await?;
        Ok::<_, Error>(fetched)
    };

    let (fetched, arm) = futures::try_join!(pc_fut, arm_fut)?;
    let (arm_items, arm_error) = arm;
    let offers = join(market, fetched, &arm_items);
    Ok((offers, arm_items, arm_error))
}

/// Fetch a market's catalog and replace it in the store.
pub async fn sync(
    client: &Client,
    store: &Store,
    opts: &SyncOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<SyncReport> {
    let (offers, arm, arm_error) = fetch(client, opts, progress).await?;
    if opts.cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let total = offers.len() as u64;
    progress(Progress {
        phase: Phase::Saving,
        done: 0,
        total,
    });
    let fetched_at = Utc::now();
    let products = offers.iter().filter(|o| o.product_id.is_some()).count();
    save(
        store,
        &opts.market,
        &offers,
        arm.len(),
        arm_error.as_deref(),
        fetched_at,
    )?;
    let counts = (products, offers.len());
    drop(offers);
    // The price list's join reads the catalog in its own lean form; built now, while the
    // catalog is fresh, not by the day's first export. A failure here only costs that export
    // the time to build it.
    if let Err(e) = crate::pricelist::lookup::ProductLookup::prepare(store, &opts.market) {
        tracing::warn!(market = %opts.market, error = %e, "could not build the price list's product lookup");
    }
    progress(Progress {
        phase: Phase::Saving,
        done: total,
        total,
    });
    let (products, offers) = counts;
    Ok(SyncReport {
        market: opts.market.clone(),
        products,
        offers,
        marketplace_products: arm.len(),
        marketplace_error: arm_error,
        fetched_at,
    })
}

fn save(
    store: &Store,
    market: &str,
    offers: &[Offer],
    arm: usize,
    arm_error: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM offers WHERE market = ?1", params![market])?;
    {
        let mut ins =
            tx.prepare("INSERT OR REPLACE INTO offers (market, key, json) VALUES (?1, ?2, ?3)")?;
        for o in offers {
            let json = serde_json::to_string(o).map_err(|e| Error::Invalid(e.to_string()))?;
            ins.execute(params![market, o.key(), json])?;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO catalog_sync (market, fetched_at, offers, arm_products, arm_error) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![market, at.to_rfc3339(), offers.len() as i64, arm as i64, arm_error],
    )?;
    tx.commit()?;
    Ok(())
}

/// When a market was last synced, if ever.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    pub market: String,
    pub fetched_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub offers: usize,
    #[ts(type = "number")]
    pub marketplace_products: usize,
    pub marketplace_error: Option<String>,
}

pub fn last_sync(store: &Store, market: &str) -> Result<Option<SyncState>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT fetched_at, offers, arm_products, arm_error FROM catalog_sync WHERE market = ?1",
    )?;
    let mut rows = stmt.query(params![market.to_ascii_uppercase()])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let at: String = r.get(0)?;
    Ok(Some(SyncState {
        market: market.to_ascii_uppercase(),
        fetched_at: DateTime::parse_from_rfc3339(&at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
        offers: r.get::<_, i64>(1)? as usize,
        marketplace_products: r.get::<_, i64>(2)? as usize,
        marketplace_error: r.get(3)?,
    }))
}

/// Every stored offer of a market.
pub fn load_offers(store: &Store, market: &str) -> Result<Vec<Offer>> {
    let conn = store.conn();
    let mut stmt = conn.prepare("SELECT key, json FROM offers WHERE market = ?1 ORDER BY rowid")?;
    let rows = stmt.query_map(params![market.to_ascii_uppercase()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, json) = row?;
        let offer: Offer = serde_json::from_str(&json).map_err(|e| {
            Error::from(crate::message::Message::StoredOfferUnreadable {
                offer: key,
                why: e.to_string(),
            })
        })?;
        out.push(offer);
    }
    Ok(out)
}
