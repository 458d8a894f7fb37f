//! Optional SQLite file for the sandbox's mutable state, so a session survives a restart.
//!
//! The catalog is regenerated from (seed, offers), which are recorded in the file and must
//! match on reopen. Everything mutable — carts, orders, subscriptions, activation tokens,
//! remembered write answers and the clock offset — is stored as JSON rows, written in one
//! transaction per committed change (WAL mode).

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use super::state::{Change, Mutable, StoredResponse};

pub(crate) struct Store {
    conn: Mutex<Connection>,
}

/// What a state file held when opened.
pub(crate) struct Loaded {
    pub state: Mutable,
    pub clock_offset_ms: i64,
}

fn meta(conn: &Connection, key: &str) -> crate::Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn bad_row(kind: &str, e: serde_json::Error) -> crate::Error {
    crate::Error::Invalid(format!(
        "sandbox state file: a stored {kind} could not be read ({e}); use a new state file"
    ))
}

impl Store {
    /// Opens (or creates) the file; `Some(Loaded)` when it already held a sandbox state.
    pub fn open(path: &Path, seed: u64, offers: usize) -> crate::Result<(Store, Option<Loaded>)> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
                                                 PRIMARY KEY (kind, id));
             CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, json TEXT NOT NULL);",
        )?;
        let stored_seed = meta(&conn, "seed")?;
        let stored_offers = meta(&conn, "offers")?;
        let loaded = match (stored_seed, stored_offers) {
            (Some(s), Some(o)) => {
                if s != seed.to_string() || o != offers.to_string() {
                    return Err(crate::Error::Invalid(format!(
                        "sandbox state file {} was created with seed {s} and {o} offers, but this run asks for seed {seed} \
                         and {offers} offers. Start with the same seed and offer count, or use a new state file",
                        path.display()
                    )));
                }
                Some(Self::load(&conn)?)
            }
            _ => {
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('seed', ?1)",
                    [seed.to_string()],
                )?;
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('offers', ?1)",
                    [offers.to_string()],
                )?;
                None
            }
        };
        Ok((
            Store {
                conn: Mutex::new(conn),
            },
            loaded,
        ))
    }

    fn load(conn: &Connection) -> crate::Result<Loaded> {
        let mut st = Mutable::default();
        let mut changes = Vec::new();
        let mut stmt = conn.prepare("SELECT kind, json FROM records")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, json) = row?;
            let change = match kind.as_str() {
                "cart" => {
                    Change::Cart(serde_json::from_str(&json).map_err(|e| bad_row("cart", e))?)
                }
                "order" => {
                    Change::Order(serde_json::from_str(&json).map_err(|e| bad_row("order", e))?)
                }
                "sub" => Change::Sub(
                    serde_json::from_str(&json).map_err(|e| bad_row("subscription", e))?,
                ),
                "token" => {
                    Change::Token(serde_json::from_str(&json).map_err(|e| bad_row("token", e))?)
                }
                _ => continue,
            };
            changes.push(change);
        }
        st.apply(changes);
        let mut stmt = conn.prepare("SELECT key, json FROM idempotency")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, json) = row?;
            let resp: StoredResponse =
                serde_json::from_str(&json).map_err(|e| bad_row("request", e))?;
            st.idem.insert(key, resp);
        }
        let clock_offset_ms = meta(conn, "clock_offset_ms")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(Loaded {
            state: st,
            clock_offset_ms,
        })
    }

    fn lock(&self) -> crate::Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| {
            crate::Error::Invalid("sandbox state file: a previous write panicked".into())
        })
    }

    /// Writes a set of changes and the clock offset in one transaction.
    pub fn write(&self, changes: &[Change], clock_offset_ms: i64) -> crate::Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        for c in changes {
            let (kind, id, json) = match c {
                Change::Cart(r) => ("cart", r.id.to_ascii_lowercase(), serde_json::to_string(r)),
                Change::Order(r) => ("order", r.id.clone(), serde_json::to_string(r)),
                Change::Sub(r) => ("sub", r.id.to_ascii_lowercase(), serde_json::to_string(r)),
                Change::Token(r) => ("token", r.token.clone(), serde_json::to_string(r)),
            };
            let json = json.map_err(|e| crate::Error::Invalid(format!("sandbox state: {e}")))?;
            tx.execute(
                "INSERT OR REPLACE INTO records (kind, id, json) VALUES (?1, ?2, ?3)",
                params![kind, id, json],
            )?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_offset_ms', ?1)",
            [clock_offset_ms.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn save_idem(&self, key: &str, resp: &StoredResponse) -> crate::Result<()> {
        let json = serde_json::to_string(resp)
            .map_err(|e| crate::Error::Invalid(format!("sandbox state: {e}")))?;
        self.lock()?.execute(
            "INSERT OR REPLACE INTO idempotency (key, json) VALUES (?1, ?2)",
            params![key, json],
        )?;
        Ok(())
    }

    pub fn save_clock(&self, offset_ms: i64) -> crate::Result<()> {
        self.lock()?.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_offset_ms', ?1)",
            [offset_ms.to_string()],
        )?;
        Ok(())
    }
}
