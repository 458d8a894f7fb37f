//! Built-in Partner Center simulator, served over real HTTP on loopback.
//!
//! The app and its tests talk to the sandbox exactly as they would talk to Microsoft: the same
//! paths, JSON shapes, status codes and headers (see `shared/reference/partner-center-api.md`),
//! only the base URL differs. One base URL serves Partner Center (`/v1/…`), the Partner API
//! price sheets (`/v1.0/…`), the ARM marketplace catalog (`/subscriptions/…`), the SaaS
//! fulfillment API (`/api/saas/…`), the publishers' landing pages (`/publisher/…`) and the
//! Entra ID sign-in (`/{tenant}/oauth2/v2.0/…`, `/devicelogin`; see `identity.rs`).
//! The catalog is generated deterministically from a seed; mutable state lives in memory or in
//! an SQLite file; failures can be injected with a [`FaultSpec`]; all time comes from a
//! [`SandboxClock`] that tests can move.

// Handlers' helpers return a ready error `Response` as their `Err`; those are cold paths where
// boxing would only add noise.
#![allow(clippy::result_large_err)]

mod arm;
mod billing;
mod carts;
mod catalog;
mod customers;
mod data;
mod faults;
mod graph;
mod http;
mod identity;
mod orders;
mod persist;
mod pricesheet;
mod products;
mod publisher;
mod seedstate;
mod state;
mod subscriptions;
mod terms;
mod transitions;
mod upgrades;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use url::Url;

pub use data::category_display_name;
pub use faults::{FaultSpec, FaultStats};
pub use graph::GraphExportOptions;
pub use identity::{SANDBOX_DOMAIN, SANDBOX_USER};
/// The price sheet's columns as the sandbox writes them (the documented header).
pub use pricesheet::HEADER as PRICE_SHEET_HEADER;

use cspdesk_client::{Error, Result};

pub use cspdesk_client::sandbox_ids::{
    SANDBOX_ARM_SUBSCRIPTION, SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, SANDBOX_TOKEN,
};

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Seed of the generated catalog, customers and history.
    pub seed: u64,
    /// Number of products in the catalog.
    pub offers: usize,
    /// SQLite file for mutable state; `None` keeps it in memory.
    pub state: Option<PathBuf>,
    /// Failures to inject.
    pub faults: FaultSpec,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 42,
            offers: 2000,
            state: None,
            faults: FaultSpec::default(),
        }
    }
}

struct ClockInner {
    offset_ms: AtomicI64,
    store: Option<Arc<persist::Store>>,
}

/// The sandbox's notion of "now": system time plus an adjustable offset. Cloneable.
#[derive(Clone)]
pub struct SandboxClock {
    inner: Arc<ClockInner>,
}

impl std::fmt::Debug for SandboxClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxClock")
            .field("now", &self.now())
            .finish()
    }
}

impl SandboxClock {
    fn new(offset_ms: i64, store: Option<Arc<persist::Store>>) -> SandboxClock {
        SandboxClock {
            inner: Arc::new(ClockInner {
                offset_ms: AtomicI64::new(offset_ms),
                store,
            }),
        }
    }

    /// The current sandbox time.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        now.checked_add_signed(chrono::Duration::milliseconds(self.offset_ms()))
            .unwrap_or(now)
    }

    /// Sets the sandbox time; it keeps running from there.
    pub fn set(&self, t: DateTime<Utc>) {
        self.store_offset(t.signed_duration_since(Utc::now()).num_milliseconds());
    }

    /// Moves the sandbox time forward (or back, for a negative duration).
    pub fn advance(&self, d: chrono::Duration) {
        self.store_offset(self.offset_ms().saturating_add(d.num_milliseconds()));
    }

    fn offset_ms(&self) -> i64 {
        self.inner.offset_ms.load(Ordering::SeqCst)
    }

    fn store_offset(&self, ms: i64) {
        self.inner.offset_ms.store(ms, Ordering::SeqCst);
        if let Some(store) = &self.inner.store {
            if let Err(e) = store.save_clock(ms) {
                tracing::warn!("sandbox could not save its clock: {e}");
            }
        }
    }
}

/// Everything the handlers share.
pub(crate) struct App {
    pub base: Url,
    pub cat: products::Catalog,
    pub clock: SandboxClock,
    pub state: Mutex<state::Mutable>,
    pub store: Option<Arc<persist::Store>>,
    pub faults: faults::Faults,
    pub write_lock: tokio::sync::Mutex<()>,
    pub identity: identity::Identity,
    /// The day's price sheets, built once (reference §8: the sheet changes at most daily).
    pub sheets: pricesheet::SheetCache,
    pub graph: graph::Exports,
    /// ARM refuses api-version 2025-05-01 (an older ARM deployment), serving only the preview.
    pub arm_preview_only: std::sync::atomic::AtomicBool,
    /// Services told to refuse every call (status per service), whatever the token.
    pub refusals: Mutex<Vec<(http::Svc, u16)>>,
    /// Transition eligibilities list a SaaS subscription's other plans (optimistic reading).
    pub optimistic_plan_changes: std::sync::atomic::AtomicBool,
    /// Price sheets leave this column out (header and rows), as a changed layout would.
    pub sheet_without_column: std::sync::Mutex<Option<String>>,
}

/// A service the sandbox plays, for [`Sandbox::refuse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxService {
    PartnerCenter,
    PartnerApi,
    Arm,
    Graph,
}

pub(crate) type Shared = Arc<App>;

impl App {
    /// Runs `f` on the locked mutable state; a poisoned lock is recovered (state is plain data).
    pub fn with_state<T>(&self, f: impl FnOnce(&mut state::Mutable) -> T) -> T {
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

/// A running sandbox. Dropping it (or [`Sandbox::shutdown`]) stops the server.
pub struct Sandbox {
    url: Url,
    app: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Generates the world, binds, spawns the server task and returns once listening.
    pub async fn start(cfg: SandboxConfig) -> Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(cfg.addr)
            .await
            .map_err(|e| Error::io(format!("could not start the sandbox on {}", cfg.addr), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io("could not read the sandbox's address", e))?;
        let url = Url::parse(&format!("http://{local}/"))
            .map_err(|e| Error::Invalid(format!("sandbox address {local}: {e}")))?;
        let (seed, offers) = (cfg.seed, cfg.offers);
        let cat = tokio::task::spawn_blocking(move || products::Catalog::generate(seed, offers))
            .await
            .map_err(|e| Error::Invalid(format!("sandbox catalog generation failed: {e}")))?;
        let (store, loaded) = match &cfg.state {
            Some(path) => {
                let (s, l) = persist::Store::open(path, seed, offers)?;
                (Some(Arc::new(s)), l)
            }
            None => (None, None),
        };
        let offset = loaded.as_ref().map_or(0, |l| l.clock_offset_ms);
        let clock = SandboxClock::new(offset, store.clone());
        let fresh = loaded.is_none();
        let app = Arc::new(App {
            base: url.clone(),
            cat,
            clock,
            state: Mutex::new(loaded.map(|l| l.state).unwrap_or_default()),
            store,
            faults: faults::Faults::new(cfg.faults.clone()),
            write_lock: tokio::sync::Mutex::new(()),
            identity: identity::Identity::default(),
            sheets: pricesheet::SheetCache::default(),
            graph: graph::Exports::default(),
            arm_preview_only: std::sync::atomic::AtomicBool::new(false),
            refusals: Mutex::new(vec![]),
            optimistic_plan_changes: std::sync::atomic::AtomicBool::new(false),
            sheet_without_column: std::sync::Mutex::new(None),
        });
        if fresh {
            let changes = seedstate::generate(&app.cat, app.clock.now());
            let result = app.with_state(|st| app.commit(st, changes));
            result?;
        }
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let router = router(app.clone());
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::error!("sandbox server stopped: {e}");
            }
        });
        tracing::info!("sandbox listening on {url} (seed {seed}, {offers} offers)");
        Ok(Sandbox {
            url,
            app,
            stop: Some(tx),
            task,
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:PORT/`; serves Partner Center, Partner API and ARM.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Changes the injected failures at run time.
    pub fn set_faults(&self, f: FaultSpec) {
        self.app.faults.set(f);
    }

    /// What the sandbox has counted so far.
    pub fn stats(&self) -> FaultStats {
        self.app.faults.stats()
    }

    /// Handle on the sandbox clock.
    pub fn clock(&self) -> SandboxClock {
        self.app.clock.clone()
    }

    #[cfg(feature = "test-switches")]
    /// Revokes every refresh token issued so far (as a password reset or an admin would): the
    /// next renewal answers `invalid_grant` AADSTS50173. Access tokens live on until they expire.
    pub fn revoke_refresh_tokens(&self) {
        self.app.identity.revoke_refresh_tokens();
    }

    #[cfg(feature = "test-switches")]
    /// Lifetime of the access tokens issued from now on (default 3599 s). Below 30 s, a client
    /// that renews 30 s early renews on every call.
    pub fn set_access_token_lifetime(&self, d: std::time::Duration) {
        self.app.identity.set_access_token_lifetime(d);
    }

    #[cfg(feature = "test-switches")]
    /// Makes ARM answer 403 `AuthorizationFailed` to signed-in users, as it does for a user
    /// without an Azure subscription to read the catalog through.
    pub fn set_arm_refused(&self, refused: bool) {
        self.app.identity.set_arm_refused(refused);
    }

    /// Plan changes of marketplace SaaS: by default the eligibility probe lists nothing (the
    /// reference's safest reading); `true` lists the other plans as eligible, so the change
    /// flow behind the probe can be exercised.
    pub fn set_optimistic_plan_changes(&self, on: bool) {
        self.app
            .optimistic_plan_changes
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Makes `service` refuse every call with `status` (401: the sign-in is not accepted; 403:
    /// a role or permission is missing), in the service's own error shape; `None` lifts it.
    pub fn refuse(&self, service: SandboxService, status: Option<u16>) {
        let svc = match service {
            SandboxService::PartnerCenter => http::Svc::PartnerCenter,
            SandboxService::PartnerApi => http::Svc::PartnerApi,
            SandboxService::Arm => http::Svc::Arm,
            SandboxService::Graph => http::Svc::Graph,
        };
        let mut r = self
            .app
            .refusals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        r.retain(|(s, _)| *s != svc);
        if let Some(status) = status {
            r.push((svc, status));
        }
    }

    /// Makes ARM refuse api-version `2025-05-01` with `NoRegisteredProviderFound`, serving only
    /// `2023-01-01-preview` (its `items`/`nextPageLink` pages).
    pub fn set_arm_preview_only(&self, on: bool) {
        self.app
            .arm_preview_only
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    #[cfg(feature = "test-switches")]
    /// Serves price sheets without the column `name` of [`PRICE_SHEET_HEADER`] (in the header
    /// and in every row), as a changed layout would; `None` serves them whole again.
    pub fn drop_sheet_column(&self, name: Option<&str>) {
        *self
            .app
            .sheet_without_column
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = name.map(str::to_string);
    }

    #[cfg(feature = "test-switches")]
    /// Makes the token endpoint refuse renewals for scopes starting with `scope_prefix` with
    /// `invalid_grant` and `AADSTS{aadsts}` (65001: no consent; 50076: MFA required).
    pub fn refuse_scope(&self, scope_prefix: &str, aadsts: u32) {
        self.app.identity.refuse_scope(scope_prefix, aadsts);
    }

    /// How the Graph billing reconciliation exports behave from now on (speed, failures,
    /// damaged files, SAS lifetime, a 403 for a missing permission).
    pub fn set_graph_exports(&self, o: GraphExportOptions) {
        self.app.graph.set(o);
    }

    /// The signature of every SAS token the Graph exports' manifests handed out (the secret
    /// part of the token), for leak tests.
    pub fn issued_sas_signatures(&self) -> Vec<cspdesk_client::secrets::Secret> {
        self.app
            .graph
            .issued_signatures()
            .into_iter()
            .map(cspdesk_client::secrets::Secret::new)
            .collect()
    }

    /// Export files served so far (refused ones included).
    pub fn graph_downloads(&self) -> u64 {
        self.app
            .graph
            .downloads
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    #[cfg(feature = "test-switches")]
    /// Every code and token the sign-in endpoints have handed out, for leak tests.
    pub fn issued_secrets(&self) -> Vec<cspdesk_client::secrets::Secret> {
        self.app
            .identity
            .issued()
            .into_iter()
            .map(cspdesk_client::secrets::Secret::new)
            .collect()
    }

    /// Stops accepting requests and waits (up to 5 s) for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let abort = self.task.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(5), &mut self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
}

fn router(app: Shared) -> Router {
    let api = Router::new()
        .route("/v1/customers", get(customers::list))
        .route("/v1/customers/{cid}", get(customers::get_one))
        .route(
            "/v1/customers/{cid}/profiles/billing",
            get(customers::billing_profile),
        )
        .route("/v1/products", get(catalog::list_products))
        .route("/v1/products/{pid}", get(catalog::get_product))
        .route("/v1/products/{pid}/skus", get(catalog::list_skus))
        .route("/v1/products/{pid}/skus/{sid}", get(catalog::get_sku))
        .route(
            "/v1/products/{pid}/skus/{sid}/availabilities",
            get(catalog::list_availabilities),
        )
        .route(
            "/v1/products/{pid}/skus/{sid}/availabilities/{aid}",
            get(catalog::get_availability),
        )
        .route("/v1/customers/{cid}/carts", post(carts::create_cart))
        .route(
            "/v1/customers/{cid}/carts/{cart}",
            get(carts::get_cart).put(carts::update_cart),
        )
        .route(
            "/v1/customers/{cid}/carts/{cart}/checkout",
            post(carts::checkout),
        )
        .route("/v1/customers/{cid}/orders", get(orders::list_orders))
        .route("/v1/customers/{cid}/orders/{oid}", get(orders::get_order))
        .route(
            "/v1/customers/{cid}/orders/{oid}/activationlinks",
            get(orders::order_links),
        )
        .route(
            "/v1/customers/{cid}/orders/{oid}/lineitems/{n}/activationlinks",
            get(orders::line_links),
        )
        .route(
            "/v1/customers/{cid}/subscriptions",
            get(subscriptions::list),
        )
        .route(
            "/v1/customers/{cid}/subscriptions/{sid}",
            get(subscriptions::get_one).patch(subscriptions::patch),
        )
        .route(
            "/v1/customers/{cid}/subscriptions/{sid}/upgrades",
            get(upgrades::list).post(upgrades::perform),
        )
        .route(
            "/v1/customers/{cid}/subscriptions/{sid}/activationlinks",
            get(subscriptions::links),
        )
        .route(
            "/v1/customers/{cid}/subscriptions/{sid}/transitionEligibilities",
            get(transitions::list),
        )
        .route(
            "/v1/customers/{cid}/subscriptions/{sid}/transitioneligibilities",
            get(transitions::list),
        )
        .route("/v1/invoices", get(billing::list_invoices))
        .route(
            "/v1/invoices/unbilled/lineitems",
            get(billing::unbilled_line_items),
        )
        .route("/v1/invoices/{iid}", get(billing::get_invoice))
        .route("/v1/invoices/{iid}/lineitems", get(billing::line_items))
        .route("/v1.0/sales/{*rest}", get(pricesheet::get))
        .route(
            "/v1.0/reports/partners/billing/reconciliation/billed/export",
            post(graph::billed_export),
        )
        .route(
            "/v1.0/reports/partners/billing/reconciliation/unbilled/export",
            post(graph::unbilled_export),
        )
        .route(
            "/v1.0/reports/partners/billing/operations/{id}",
            get(graph::get_operation),
        )
        .route(
            "/v1.0/reports/partners/billing/manifests/{id}",
            get(graph::get_manifest),
        )
        .route(
            "/subscriptions/{sub}/providers/Microsoft.Marketplace/products",
            get(arm::list),
        )
        .route(
            "/subscriptions/{sub}/providers/Microsoft.Marketplace/products/{id}",
            get(arm::get_one),
        )
        .route_layer(from_fn_with_state(app.clone(), state::idempotency))
        .route_layer(from_fn_with_state(app.clone(), faults::layer))
        .route_layer(from_fn_with_state(app.clone(), http::require_bearer));
    let saas = Router::new()
        .route("/api/saas/subscriptions/resolve", post(publisher::resolve))
        .route(
            "/api/saas/subscriptions/{id}/activate",
            post(publisher::saas_activate),
        )
        .route_layer(from_fn_with_state(app.clone(), state::idempotency))
        .route_layer(from_fn_with_state(app.clone(), faults::layer))
        .route_layer(from_fn_with_state(app.clone(), http::require_bearer));
    // Export files: behind their SAS token, not a bearer; faults apply.
    let blobs = Router::new()
        .route("/blob/{*path}", get(graph::get_blob))
        .route_layer(from_fn_with_state(app.clone(), faults::layer));
    let pages = Router::new()
        .route("/publisher/{pid}/landing", get(publisher::landing))
        .route("/publisher/{pid}/activate", post(publisher::activate));
    Router::new()
        .merge(api)
        .merge(saas)
        .merge(blobs)
        .merge(pages)
        .merge(identity::routes())
        .fallback(|| async { http::not_found_route() })
        .method_not_allowed_fallback(|| async {
            http::pc_error(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                1000,
                "The requested method is not allowed on this resource.",
            )
        })
        .layer(from_fn(http::request_ids))
        .with_state(app)
}

/// Starts a sandbox for a core connection's embedded mode (state in the given file): what the
/// CLI and the desktop pass as `ConnectOptions::sandbox_starter`.
pub fn starter() -> cspdesk_client::embedded::SandboxStarter {
    use cspdesk_client::embedded::{Clock, RunningSandbox, SandboxStart};
    std::sync::Arc::new(|start: SandboxStart| {
        Box::pin(async move {
            let mut cfg = SandboxConfig {
                state: Some(start.state),
                ..Default::default()
            };
            if let Some(n) = start.offers {
                cfg.offers = n;
            }
            let sandbox = Sandbox::start(cfg).await?;
            let clock = sandbox.clock();
            Ok(RunningSandbox {
                url: sandbox.url().clone(),
                clock: Clock::from_fn(move || clock.now()),
                guard: Box::new(sandbox),
            })
        })
    })
}
