//! The soak: real work against a faulty sandbox, then checks that nothing was duplicated, lost
//! or half-written. Runnable as `cspdesk soak` and as a test.
//!
//! Faults (default): 10% 429 with `Retry-After`, 5% 5xx, 2% connections dropped after commit,
//! 0–200 ms latency. Work: sync the catalog, export price lists, place orders, toggle auto-renew,
//! cancel inside the window. Afterwards: every order exists exactly once, every export is complete
//! or absent, every auto-renew value read back matches, `PRAGMA integrity_check` is ok.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Serialize;

use cspdesk_core::connection::{ConnectOptions, Connection};
use cspdesk_core::error::{Error, Result};
use cspdesk_core::orders::{self, journal::JournalState, PurchaseRequest};
use cspdesk_core::partner_center::client::StatsSnapshot;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::pricelist::{self, export::ExportFormat, ExportRequest};
use cspdesk_core::subscriptions::{self, policy::CancellationPolicy};
use cspdesk_sandbox::{FaultSpec, FaultStats, Sandbox, SandboxConfig};

pub const DEFAULT_FAULTS: &str = "latency=0-200ms,429=10%,5xx=5%,drop-after-commit=2%";

#[derive(Debug, Clone)]
pub struct SoakConfig {
    pub offers: usize,
    pub orders: usize,
    pub toggles: usize,
    pub cancels: usize,
    pub faults: String,
    pub concurrency: usize,
    /// Work stops being started after this long.
    pub max_duration: Duration,
    pub data_dir: PathBuf,
}

impl SoakConfig {
    pub fn new(data_dir: PathBuf) -> Self {
        SoakConfig {
            offers: 400,
            orders: 200,
            toggles: 100,
            cancels: 50,
            faults: DEFAULT_FAULTS.into(),
            concurrency: 8,
            max_duration: Duration::from_secs(600),
            data_dir,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoakReport {
    pub seconds: f64,
    pub faults_injected: FaultStats,
    pub client: StatsSnapshot,
    pub orders_placed: usize,
    pub orders_failed: usize,
    pub orders_reconciled: usize,
    pub exports_complete: usize,
    pub exports_failed: usize,
    pub auto_renew_changed: usize,
    pub auto_renew_failed: usize,
    pub cancelled: usize,
    pub cancel_failed: usize,
    pub checks: Vec<Check>,
}

impl SoakReport {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

fn check(checks: &mut Vec<Check>, name: &str, ok: bool, detail: String) {
    checks.push(Check {
        name: name.into(),
        ok,
        detail,
    });
}

/// Customers and SaaS plans they can buy (sold in their billing country), from the synced catalog.
async fn shopping_list(conn: &Connection, want: usize) -> Result<Vec<PurchaseRequest>> {
    let customers = cspdesk_core::customers::list(&conn.client, None).await?;
    let mut by_country: HashMap<String, Vec<String>> = HashMap::new();
    for c in &customers {
        let full = cspdesk_core::customers::get(&conn.client, &c.id).await?;
        if let Some(cc) = full.billing_country() {
            by_country
                .entry(cc.to_ascii_uppercase())
                .or_default()
                .push(c.id.clone());
        }
    }
    let mut list = Vec::new();
    'outer: for (country, ids) in &by_country {
        let offers = pricelist::catalog(conn, country).await?;
        let plans: Vec<(String, String, u32)> = offers
            .offers()
            .iter()
            .filter(|o| o.purchasable_through_csp())
            .flat_map(|o| {
                o.skus
                    .iter()
                    .filter(|s| {
                        s.availabilities
                            .iter()
                            .any(|a| a.is_purchasable && a.terms.iter().any(|t| !t.is_trial()))
                    })
                    .map(move |s| {
                        (
                            o.product_id.clone().unwrap_or_default(),
                            s.sku.id.clone(),
                            cspdesk_core::subscriptions::PlanBounds::of(&s.sku).min,
                        )
                    })
            })
            .take(10)
            .collect();
        for (i, id) in ids.iter().enumerate() {
            for (j, (p, s, q)) in plans.iter().enumerate().skip(i % 3).step_by(3) {
                let _ = j;
                list.push(PurchaseRequest {
                    customer_id: id.clone(),
                    product_id: p.clone(),
                    sku_id: s.clone(),
                    quantity: Some(*q),
                    ..Default::default()
                });
                if list.len() >= want {
                    break 'outer;
                }
            }
        }
    }
    if list.is_empty() {
        return Err(Error::Invalid(
            "the sandbox catalog has nothing the customers can buy".into(),
        ));
    }
    // Buying the same plan twice is a legitimate second order; repeat to reach the count.
    let repeated: Vec<PurchaseRequest> = list.iter().cycle().take(want).cloned().collect();
    Ok(repeated)
}

pub async fn run(cfg: &SoakConfig) -> Result<SoakReport> {
    let started = Instant::now();
    let faults: FaultSpec = cfg.faults.parse()?;
    let sandbox = Sandbox::start(SandboxConfig {
        offers: cfg.offers,
        ..Default::default()
    })
    .await?;
    let conn = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        endpoint: Some(sandbox.url().clone()),
        data_dir: Some(cfg.data_dir.clone()),
        ..Default::default()
    })
    .await?;
    let verify = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        endpoint: Some(sandbox.url().clone()),
        data_dir: Some(cfg.data_dir.join("verify")),
        ..Default::default()
    })
    .await?;
    let mut checks = Vec::new();
    let deadline = started + cfg.max_duration;

    // Catalogs and the shopping list are prepared without faults; the work below runs with them.
    let plan = shopping_list(&conn, cfg.orders).await?;
    let customers: HashSet<String> = plan.iter().map(|p| p.customer_id.clone()).collect();
    let mut before: HashMap<String, HashSet<String>> = HashMap::new();
    for c in &customers {
        before.insert(
            c.clone(),
            paging::collect_all(&verify.client, api::orders(c))
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect(),
        );
    }
    sandbox.set_faults(faults.clone());

    // 1. Sync under faults.
    let mut sync_opts = cspdesk_core::catalog::sync::SyncOptions::new("US");
    sync_opts.arm_subscription = conn.arm_subscription.clone();
    let sync =
        cspdesk_core::catalog::sync::sync(&conn.client, &conn.store, &sync_opts, &|_| {}).await;
    check(
        &mut checks,
        "catalog sync completes under faults",
        sync.is_ok(),
        format!("{:?}", sync.as_ref().map(|r| r.offers)),
    );

    // 2. Price-list exports: complete or absent.
    let export_dir = cfg.data_dir.join("exports");
    std::fs::create_dir_all(&export_dir).map_err(|e| Error::io("creating the export folder", e))?;
    let (mut exports_complete, mut exports_failed) = (0, 0);
    for (i, format) in [ExportFormat::Xlsx, ExportFormat::Csv, ExportFormat::Xlsx]
        .into_iter()
        .enumerate()
    {
        let out = export_dir.join(format!(
            "prices-{i}.{}",
            if format == ExportFormat::Xlsx {
                "xlsx"
            } else {
                "csv"
            }
        ));
        let req = ExportRequest {
            markets: vec!["GB".into(), "US".into()],
            format,
            out: out.clone(),
            bom: false,
            filter: Default::default(),
            skip_bad_rows: false,
            day: None,
            customer: None,
        };
        match pricelist::export(&conn, &req, &AtomicBool::new(false), &|_| {}).await {
            Ok(r) => {
                exports_complete += 1;
                let ok = out.exists()
                    && std::fs::metadata(&out)
                        .map(|m| m.len() > 0)
                        .unwrap_or(false)
                    && r.rows > 0;
                check(
                    &mut checks,
                    &format!("export {i} is complete"),
                    ok,
                    out.display().to_string(),
                );
            }
            Err(e) => {
                exports_failed += 1;
                check(
                    &mut checks,
                    &format!("failed export {i} left no file"),
                    !out.exists(),
                    e.to_string(),
                );
            }
        }
    }
    let partial: Vec<_> = std::fs::read_dir(&export_dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".partial"))
                .collect()
        })
        .unwrap_or_default();
    check(
        &mut checks,
        "no half-written export files",
        partial.is_empty(),
        format!("{partial:?}"),
    );

    // 3. Orders, concurrently.
    let results: Vec<Result<orders::Confirmation>> =
        futures::stream::iter(plan.iter().take(cfg.orders).map(|req| {
            let conn = &conn;
            async move {
                if Instant::now() > deadline {
                    return Err(Error::Cancelled);
                }
                let review = orders::review(conn, req).await?;
                orders::place(conn, &review).await
            }
        }))
        .buffer_unordered(cfg.concurrency)
        .collect()
        .await;
    let orders_failed = results.iter().filter(|r| r.is_err()).count();
    sandbox.set_faults(FaultSpec::default());
    let reconciled = orders::reconcile(&conn).await?.len();
    sandbox.set_faults(faults.clone());

    let journal = orders::journal::list(&conn.store, None)?;
    let placed: Vec<_> = journal
        .iter()
        .filter(|e| e.state == JournalState::Placed)
        .collect();
    let placed_ids: Vec<String> = placed.iter().filter_map(|e| e.order_id.clone()).collect();
    let unique: HashSet<&String> = placed_ids.iter().collect();
    check(
        &mut checks,
        "no order id is claimed twice in the journal",
        unique.len() == placed_ids.len(),
        format!("{} placed", placed_ids.len()),
    );
    let open = journal.iter().filter(|e| e.state.is_open()).count();
    check(
        &mut checks,
        "every journal entry has a known outcome after reconciliation",
        open == 0,
        format!("{open} open"),
    );
    let mut new_orders = 0usize;
    let mut missing = Vec::new();
    for c in &customers {
        let now: HashSet<String> = paging::collect_all(&verify.client, api::orders(c))
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        let created: HashSet<&String> = now.difference(&before[c]).collect();
        new_orders += created.len();
        for e in placed.iter().filter(|e| &e.customer_id == c) {
            if let Some(id) = &e.order_id {
                if !now.contains(id) {
                    missing.push(id.clone());
                }
            }
        }
    }
    check(
        &mut checks,
        "every order exists exactly once",
        new_orders == placed_ids.len() && missing.is_empty(),
        format!(
            "{new_orders} new orders in Partner Center, {} placed in the journal, {} missing",
            placed_ids.len(),
            missing.len()
        ),
    );

    // 4. Activate (publisher side, no faults), then toggle auto-renew in bulk.
    let mut active: Vec<(String, String)> = Vec::new();
    for e in placed.iter() {
        let (Some(sub), true) = (
            &e.subscription_id,
            active.len() < cfg.toggles.max(cfg.cancels),
        ) else {
            continue;
        };
        if let Ok(link) =
            subscriptions::activation_link(&verify, &e.customer_id, sub, chrono::Utc::now()).await
        {
            if activate(&link.uri).await {
                active.push((e.customer_id.clone(), sub.clone()));
            }
        }
    }
    let targets: Vec<(String, String)> = active.iter().take(cfg.toggles).cloned().collect();
    let rows = subscriptions::set_auto_renew_bulk(&conn, &targets, false).await;
    let auto_renew_changed = rows.iter().filter(|r| r.ok).count();
    let auto_renew_failed = rows.len() - auto_renew_changed;
    let mut mismatched = 0;
    for r in rows.iter().filter(|r| r.ok) {
        let s = verify
            .client
            .execute(&api::subscription(&r.customer_id, &r.subscription_id))
            .await?;
        if s.auto_renew_enabled {
            mismatched += 1;
        }
    }
    check(
        &mut checks,
        "every auto-renew value read back matches what was asked",
        mismatched == 0,
        format!("{auto_renew_changed} changed, {mismatched} mismatched"),
    );

    // 5. Cancel inside the window.
    let policy = CancellationPolicy::default();
    let (mut cancelled, mut cancel_failed) = (0, 0);
    for (c, s) in active.iter().rev().take(cfg.cancels) {
        match subscriptions::cancel(&conn, c, s, &policy, sandbox.clock().now()).await {
            Ok(sub)
                if sub.status
                    == cspdesk_core::partner_center::models::SubscriptionStatus::Deleted =>
            {
                cancelled += 1
            }
            _ => cancel_failed += 1,
        }
    }
    check(
        &mut checks,
        "cancellations inside the window succeed",
        cancel_failed == 0,
        format!("{cancelled} cancelled, {cancel_failed} failed"),
    );

    let integrity = conn.store.integrity_check()?;
    check(
        &mut checks,
        "PRAGMA integrity_check is ok",
        integrity == "ok",
        integrity,
    );

    let report = SoakReport {
        seconds: started.elapsed().as_secs_f64(),
        faults_injected: sandbox.stats(),
        client: conn.client.stats(),
        orders_placed: placed_ids.len(),
        orders_failed,
        orders_reconciled: reconciled,
        exports_complete,
        exports_failed,
        auto_renew_changed,
        auto_renew_failed,
        cancelled,
        cancel_failed,
        checks,
    };
    sandbox.shutdown().await;
    Ok(report)
}

async fn activate(link: &str) -> bool {
    let Ok(url) = url::Url::parse(link) else {
        return false;
    };
    let Some(token) = url
        .query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.to_string())
    else {
        return false;
    };
    let Ok(target) = url.join(&url.path().replace("/landing", "/activate")) else {
        return false;
    };
    let Ok(http) = cspdesk_core::partner_center::client::build_http_client(Duration::from_secs(30))
    else {
        return false;
    };
    http.post(target)
        .form(&[("token", token)])
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}
