//! The local orders journal. An entry is written *before* anything is sent, with the
//! `MS-RequestId`s its cart and checkout will use; every step updates it. After a crash or a
//! dropped connection, entries without a known result are reconciled against Partner Center
//! (see `super::reconcile`), so a click never becomes two orders and never silently vanishes.

use chrono::{DateTime, Utc};
use rusqlite::{params, Row};
use serde::Serialize;

use crate::error::Result;
use crate::store::Store;

/// Where an entry stands (`OrderState` in the UI's bindings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "OrderState")]
pub enum JournalState {
    /// Written; the cart request may or may not have reached Partner Center.
    Started,
    /// The cart exists; the checkout may or may not have been applied.
    CartCreated,
    /// Partner Center answered the checkout with an order.
    Placed,
    /// Partner Center refused it; nothing was ordered.
    Refused,
    /// It never reached checkout (found out by reconciliation); nothing was ordered.
    NotPlaced,
}

impl JournalState {
    pub fn as_str(self) -> &'static str {
        match self {
            JournalState::Started => "started",
            JournalState::CartCreated => "cartCreated",
            JournalState::Placed => "placed",
            JournalState::Refused => "refused",
            JournalState::NotPlaced => "notPlaced",
        }
    }
    fn parse(s: &str) -> JournalState {
        match s {
            "cartCreated" => JournalState::CartCreated,
            "placed" => JournalState::Placed,
            "refused" => JournalState::Refused,
            "notPlaced" => JournalState::NotPlaced,
            _ => JournalState::Started,
        }
    }
    /// Whether the outcome is still unknown.
    pub fn is_open(self) -> bool {
        matches!(self, JournalState::Started | JournalState::CartCreated)
    }
}

/// One order placed (or attempted) from this app (`OrderRow` in the UI's bindings).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "OrderRow")]
pub struct JournalEntry {
    /// The journal entry's id.
    #[ts(type = "number")]
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub product_id: String,
    pub product_title: String,
    pub sku_id: String,
    /// The plan's name as the review showed it (none for entries from before it was kept).
    pub plan: Option<String>,
    pub catalog_item_id: String,
    pub quantity: u32,
    pub term_duration: String,
    pub billing_cycle: String,
    pub trial: bool,
    pub cart_request_id: String,
    /// The `MS-RequestId` the checkout was (or will be) sent with.
    pub checkout_request_id: String,
    pub cart_id: Option<String>,
    pub order_id: Option<String>,
    pub subscription_id: Option<String>,
    pub state: JournalState,
    /// Partner Center's order status (`pending`, `completed`…), when known.
    pub status: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a new entry records.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub customer_id: String,
    pub customer_name: String,
    pub product_id: String,
    pub product_title: String,
    pub sku_id: String,
    /// The plan's name (the SKU's title).
    pub plan: String,
    pub catalog_item_id: String,
    pub quantity: u32,
    pub term_duration: String,
    pub billing_cycle: String,
    pub trial: bool,
}

const COLUMNS: &str = "id, customer_id, customer_name, product_id, product_title, sku_id, catalog_item_id, quantity, term, \
    billing_cycle, trial, cart_request_id, checkout_request_id, cart_id, order_id, subscription_id, state, status, error, created_at, updated_at, plan";

fn time(s: String) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        product_id: r.get(3)?,
        product_title: r.get(4)?,
        sku_id: r.get(5)?,
        catalog_item_id: r.get(6)?,
        quantity: r.get(7)?,
        term_duration: r.get(8)?,
        billing_cycle: r.get(9)?,
        trial: r.get(10)?,
        cart_request_id: r.get(11)?,
        checkout_request_id: r.get(12)?,
        cart_id: r.get(13)?,
        order_id: r.get(14)?,
        subscription_id: r.get(15)?,
        state: JournalState::parse(&r.get::<_, String>(16)?),
        status: r.get(17)?,
        error: r.get(18)?,
        created_at: time(r.get(19)?),
        updated_at: time(r.get(20)?),
        plan: r.get(21)?,
    })
}

/// Write a new entry (committed before the caller sends anything).
pub fn start(store: &Store, e: &NewEntry, now: DateTime<Utc>) -> Result<JournalEntry> {
    let cart_rid = uuid::Uuid::new_v4().to_string();
    let checkout_rid = uuid::Uuid::new_v4().to_string();
    let id = {
        let conn = store.conn();
        conn.execute(
            "INSERT INTO orders_journal (customer_id, customer_name, product_id, product_title, sku_id, catalog_item_id, quantity, term, \
             billing_cycle, trial, cart_request_id, checkout_request_id, state, created_at, updated_at, plan) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
            params![
                e.customer_id, e.customer_name, e.product_id, e.product_title, e.sku_id, e.catalog_item_id, e.quantity, e.term_duration,
                e.billing_cycle, e.trial, cart_rid, checkout_rid, JournalState::Started.as_str(), now.to_rfc3339(), e.plan
            ],
        )?;
        conn.last_insert_rowid()
    };
    get(store, id)
}

pub fn get(store: &Store, id: i64) -> Result<JournalEntry> {
    let conn = store.conn();
    Ok(conn.query_row(
        &format!("SELECT {COLUMNS} FROM orders_journal WHERE id = ?1"),
        params![id],
        from_row,
    )?)
}

/// Entries, newest first, optionally for one customer.
pub fn list(store: &Store, customer_id: Option<&str>) -> Result<Vec<JournalEntry>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM orders_journal WHERE (?1 IS NULL OR customer_id = ?1) ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map(params![customer_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Entries whose outcome is not known yet.
pub fn open_entries(store: &Store) -> Result<Vec<JournalEntry>> {
    Ok(list(store, None)?
        .into_iter()
        .filter(|e| e.state.is_open())
        .collect())
}

/// Order ids already claimed by an entry (so reconciliation never links one order twice).
pub fn claimed_orders(store: &Store) -> Result<Vec<String>> {
    let conn = store.conn();
    let mut stmt =
        conn.prepare("SELECT order_id FROM orders_journal WHERE order_id IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn set_cart(store: &Store, id: i64, cart_id: &str, now: DateTime<Utc>) -> Result<()> {
    store.conn().execute(
        "UPDATE orders_journal SET cart_id = ?2, state = ?3, updated_at = ?4 WHERE id = ?1",
        params![
            id,
            cart_id,
            JournalState::CartCreated.as_str(),
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

pub fn set_placed(
    store: &Store,
    id: i64,
    order_id: &str,
    status: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    store.conn().execute(
        "UPDATE orders_journal SET order_id = ?2, status = ?3, state = ?4, error = NULL, updated_at = ?5 WHERE id = ?1",
        params![id, order_id, status, JournalState::Placed.as_str(), now.to_rfc3339()],
    )?;
    Ok(())
}

pub fn set_subscription(
    store: &Store,
    id: i64,
    subscription_id: &str,
    status: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    store.conn().execute(
        "UPDATE orders_journal SET subscription_id = ?2, status = COALESCE(?3, status), updated_at = ?4 WHERE id = ?1",
        params![id, subscription_id, status, now.to_rfc3339()],
    )?;
    Ok(())
}

pub fn set_closed(
    store: &Store,
    id: i64,
    state: JournalState,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    store.conn().execute(
        "UPDATE orders_journal SET state = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, state.as_str(), error, now.to_rfc3339()],
    )?;
    Ok(())
}
