//! The mutable world: carts, orders, subscriptions, activation tokens and remembered writes.
//!
//! Records are plain serde structs so the same value is held in memory and stored as JSON in
//! the optional SQLite file. Every change goes through [`App::commit`], which writes the file
//! first (one transaction) and only then updates memory, so the two never disagree. The
//! idempotency middleware lives here too: it replays the stored answer of a repeated write.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::http::pc_error;
use super::Shared;

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct CartLine {
    pub id: i64,
    pub catalog_item_id: String,
    pub friendly_name: Option<String>,
    pub quantity: u32,
    pub currency: String,
    pub billing_cycle: String,
    pub term_duration: String,
    pub renews_to: Option<String>,
    pub order_group: String,
    pub provisioning_context: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct CartRec {
    pub id: String,
    pub customer_id: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub status: String,
    pub user: String,
    pub lines: Vec<CartLine>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct OrderLine {
    pub number: u32,
    pub offer_id: String,
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: String,
    pub term_duration: String,
    pub friendly_name: String,
    pub quantity: u32,
    pub subscription_id: String,
    pub renews_to: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct OrderRec {
    pub id: String,
    pub alternate_id: String,
    pub customer_id: String,
    pub billing_cycle: String,
    pub currency: String,
    pub symbol: String,
    pub country: String,
    pub created: DateTime<Utc>,
    pub lines: Vec<OrderLine>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct SubRec {
    pub id: String,
    pub customer_id: String,
    pub order_id: String,
    pub country: String,
    pub currency: String,
    pub product_id: String,
    pub sku_id: String,
    pub availability_id: String,
    pub publisher_id: String,
    pub publisher_name: String,
    pub is_microsoft: bool,
    pub plan_id: String,
    pub offer_name: String,
    pub friendly_name: String,
    pub quantity: u32,
    pub created: DateTime<Utc>,
    pub effective_start: DateTime<Utc>,
    pub commitment_end: DateTime<Utc>,
    pub cancel_until: DateTime<Utc>,
    /// Window length in days, for the 900117 message.
    pub window_days: i64,
    pub status: String,
    pub auto_renew: bool,
    pub is_trial: bool,
    pub billing_cycle: String,
    pub term_duration: String,
    pub renewal_term: Option<String>,
    pub etag: String,
    /// When billing started (set by activation); `None` while pending.
    pub activated: Option<DateTime<Utc>>,
    /// When charging stopped (cancel or suspension).
    pub ended: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct TokenRec {
    pub token: String,
    pub subscription_id: String,
    pub expires: DateTime<Utc>,
}

/// A remembered answer to a write, replayed for a repeated `MS-RequestId`.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// One change to commit.
pub(crate) enum Change {
    Cart(CartRec),
    Order(OrderRec),
    Sub(Box<SubRec>),
    Token(TokenRec),
}

#[derive(Default)]
pub(crate) struct Mutable {
    pub carts: HashMap<String, CartRec>,
    pub orders: HashMap<String, OrderRec>,
    pub subs: HashMap<String, SubRec>,
    pub tokens: HashMap<String, TokenRec>,
    pub idem: HashMap<String, StoredResponse>,
}

impl Mutable {
    pub fn apply(&mut self, changes: Vec<Change>) {
        for c in changes {
            match c {
                Change::Cart(r) => {
                    self.carts.insert(r.id.to_ascii_lowercase(), r);
                }
                Change::Order(r) => {
                    self.orders.insert(r.id.clone(), r);
                }
                Change::Sub(r) => {
                    self.subs.insert(r.id.to_ascii_lowercase(), *r);
                }
                Change::Token(r) => {
                    self.tokens.insert(r.token.clone(), r);
                }
            }
        }
    }

    /// Order status: `pending` while any of its subscriptions awaits activation.
    pub fn order_status(&self, o: &OrderRec) -> &'static str {
        let pending = o.lines.iter().any(|l| {
            self.subs
                .get(&l.subscription_id.to_ascii_lowercase())
                .is_none_or(|s| s.status == "pending")
        });
        if pending {
            "pending"
        } else {
            "completed"
        }
    }
}

/// Internal error answer for a failed commit.
pub(crate) fn store_failed(e: &crate::Error) -> Response {
    tracing::error!("sandbox state write failed: {e}");
    pc_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        800003,
        "Unexpected service error",
    )
}

impl super::App {
    /// Writes `changes` to the state file (if any) in one transaction, then applies them.
    pub fn commit(&self, st: &mut Mutable, changes: Vec<Change>) -> crate::Result<()> {
        if let Some(store) = &self.store {
            store.write(&changes, self.clock.offset_ms())?;
        }
        st.apply(changes);
        Ok(())
    }
}

/// Idempotency: (method, path, MS-RequestId) → the first answer, replayed without re-applying.
pub(crate) async fn idempotency(State(app): State<Shared>, req: Request, next: Next) -> Response {
    // Graph does not de-duplicate on MS-RequestId: a repeated export start is a new export.
    let write = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH)
        && super::http::Svc::of(req.uri().path()) != super::http::Svc::Graph;
    let sent_id = req
        .headers()
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let Some(rid) = sent_id.filter(|r| write && !r.trim().is_empty()) else {
        return next.run(req).await;
    };
    let key = format!(
        "{} {} {}",
        req.method(),
        req.uri().path().to_ascii_lowercase(),
        rid.trim().to_ascii_lowercase()
    );
    // Writes are serialised so "seen?" and "apply" cannot interleave for the same key.
    let _guard = app.write_lock.lock().await;
    let stored = app
        .state
        .lock()
        .ok()
        .and_then(|st| st.idem.get(&key).cloned());
    if let Some(s) = stored {
        app.faults.deduplicated.fetch_add(1, Ordering::Relaxed);
        return replay(&s);
    }
    let resp = next.run(req).await;
    let (parts, body) = resp.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            return pc_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                800003,
                "Unexpected service error",
            )
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: bytes.to_vec(),
    };
    if parts.status.as_u16() < 500 {
        if let Some(store) = &app.store {
            if let Err(e) = store.save_idem(&key, &stored) {
                tracing::error!("sandbox could not remember request {key}: {e}");
            }
        }
        if let Ok(mut st) = app.state.lock() {
            st.idem.insert(key, stored);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(s: &StoredResponse) -> Response {
    let mut resp = Response::new(Body::from(s.body.clone()));
    *resp.status_mut() = StatusCode::from_u16(s.status).unwrap_or(StatusCode::OK);
    if let Some(v) = s
        .content_type
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok())
    {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}
