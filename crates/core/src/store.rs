//! The local SQLite store: the synced catalog, price-list snapshots, the orders journal and
//! support notes.
//!
//! WAL mode, `synchronous=NORMAL`, versioned migrations keyed on `PRAGMA user_version`. A file
//! from a newer CSP Desk is refused with a clear error rather than silently downgraded, and it or a
//! corrupt file is moved aside with a timestamp (never deleted or overwritten).
//!
//! Integrity is checked (`PRAGMA quick_check`) only when the last session did not end cleanly:
//! SQLite removes the write-ahead log when the last connection closes, so a `-wal` file found
//! before opening means a process was killed or crashed mid-session (or is still running). A
//! full check reads the whole file, seconds for a store of synced catalogs, so a clean open does
//! not pay it; a damaged header is still refused on every open.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// Each entry upgrades the schema by one version. Never edit a shipped entry: append.
const MIGRATIONS: &[&str] = &[
    // 1: catalog
    "CREATE TABLE catalog_sync (
        market TEXT PRIMARY KEY,
        fetched_at TEXT NOT NULL,
        offers INTEGER NOT NULL,
        arm_products INTEGER NOT NULL,
        arm_error TEXT
     );
     CREATE TABLE offers (
        market TEXT NOT NULL,
        key TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (market, key)
     );
     CREATE TABLE arm_details (
        unique_product_id TEXT NOT NULL,
        market TEXT NOT NULL,
        json TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (unique_product_id, market)
     );",
    // 2: price-list snapshots, one per market per day, and the export log
    "CREATE TABLE price_snapshots (
        market TEXT NOT NULL,
        day TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        rows INTEGER NOT NULL,
        bad_rows INTEGER NOT NULL,
        PRIMARY KEY (market, day)
     );
     CREATE TABLE price_rows (
        market TEXT NOT NULL,
        day TEXT NOT NULL,
        seq INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (market, day, seq)
     );
     CREATE TABLE price_exports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        markets TEXT NOT NULL,
        format TEXT NOT NULL,
        path TEXT NOT NULL,
        rows INTEGER NOT NULL
     );",
    // 3: the orders journal: written before a checkout is sent, so no click is lost or doubled
    "CREATE TABLE orders_journal (
        id INTEGER PRIMARY KEY,
        customer_id TEXT NOT NULL,
        customer_name TEXT NOT NULL,
        product_id TEXT NOT NULL,
        product_title TEXT NOT NULL,
        sku_id TEXT NOT NULL,
        catalog_item_id TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        term TEXT NOT NULL,
        billing_cycle TEXT NOT NULL,
        trial INTEGER NOT NULL,
        cart_request_id TEXT NOT NULL UNIQUE,
        checkout_request_id TEXT NOT NULL UNIQUE,
        cart_id TEXT,
        order_id TEXT,
        subscription_id TEXT,
        state TEXT NOT NULL,
        status TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
     );
     CREATE INDEX orders_journal_customer ON orders_journal (customer_id);",
    // 4: activation links as last fetched (their token is valid for about 24 hours)
    "CREATE TABLE activation_links (
        subscription_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        uri TEXT NOT NULL,
        fetched_at TEXT NOT NULL
     );",
    // 5: support staff's own notes and contacts per publisher; a catalog sync never touches them
    "CREATE TABLE publisher_notes (
        id INTEGER PRIMARY KEY,
        publisher TEXT NOT NULL,
        publisher_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        name TEXT,
        email TEXT,
        phone TEXT,
        created_at TEXT NOT NULL
     );
     CREATE INDEX publisher_notes_publisher ON publisher_notes (publisher);",
    // 6: the plan's name as the review showed it, so the Orders view need not show a SKU id
    // (entries written before this have none)
    "ALTER TABLE orders_journal ADD COLUMN plan TEXT;",
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The store. One connection behind a mutex: SQLite serialises writers anyway, and every
/// operation here is short.
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Open (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        match Self::open_checked(path) {
            Ok(store) => Ok(store),
            Err(OpenError::Corrupt(detail)) => {
                let aside = move_aside(path, "corrupt")?;
                Err(crate::message::Message::StoreDamaged {
                    path: path.display().to_string(),
                    detail,
                    aside: aside.display().to_string(),
                }
                .into())
            }
            Err(OpenError::TooNew(v)) => {
                let aside = move_aside(path, "newer")?;
                Err(crate::message::Message::StoreTooNew {
                    path: path.display().to_string(),
                    schema: v,
                    known: SCHEMA_VERSION,
                    aside: aside.display().to_string(),
                }
                .into())
            }
            Err(OpenError::Other(e)) => Err(e),
        }
    }

    /// A private in-memory store (tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        migrate(&conn).map_err(|e| match e {
            OpenError::Other(e) => e,
            OpenError::Corrupt(d) => Error::Invalid(d),
            OpenError::TooNew(v) => {
                Error::Invalid(format!("schema {v} is newer than this version"))
            }
        })?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: None,
        })
    }

    fn open_checked(path: &Path) -> std::result::Result<Store, OpenError> {
        // Looked at before opening: opening creates the log.
        let unclean = wal_path(path).exists();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(classify)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(classify)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(classify)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(classify)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(classify)?;
        if unclean {
            tracing::info!(path = %path.display(), "the last session did not close the store: checking it");
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(classify)?;
            if check != "ok" {
                return Err(OpenError::Corrupt(check));
            }
        }
        migrate(&conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
        })
    }

    /// The connection, for the domain modules' own queries.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// `PRAGMA integrity_check`.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

enum OpenError {
    Corrupt(String),
    TooNew(i64),
    Other(Error),
}

fn classify(e: rusqlite::Error) -> OpenError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            OpenError::Corrupt(e.to_string())
        }
        _ => OpenError::Other(Error::Store(e)),
    }
}

fn migrate(conn: &Connection) -> std::result::Result<(), OpenError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(classify)?;
    if version > SCHEMA_VERSION {
        return Err(OpenError::TooNew(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let next = i as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}\nPRAGMA user_version = {next}; COMMIT;"
        ))
        .map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            classify(e)
        })?;
        tracing::info!(version = next, "store migrated");
    }
    Ok(())
}

/// The write-ahead log of the database at `path`.
fn wal_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

/// Move a database (and its WAL/SHM) aside as `<name>.<why>-<timestamp>`.
fn move_aside(path: &Path, why: &str) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = PathBuf::from(format!("{}.{why}-{stamp}", path.display()));
    std::fs::rename(path, &aside)
        .map_err(|e| Error::io(format!("moving {} aside", path.display()), e))?;
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", path.display()));
        if side.exists() {
            let _ = std::fs::rename(&side, format!("{}{ext}", aside.display()));
        }
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        drop(Store::open(&p).unwrap());
        let s = Store::open(&p).unwrap();
        let v: i64 = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = s
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn orders_journal_entries_from_schema_6_keep_everything_and_have_no_plan() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        {
            // A database as version 6 left it, with one order in its journal.
            let c = Connection::open(&p).unwrap();
            for sql in &MIGRATIONS[..6] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "user_version", 6).unwrap();
            c.execute_batch(
                "INSERT INTO orders_journal (customer_id, customer_name, product_id, product_title, sku_id, catalog_item_id, \
                 quantity, term, billing_cycle, trial, cart_request_id, checkout_request_id, order_id, state, created_at, updated_at) \
                 VALUES ('c1', 'Contoso', 'P1', 'Ironsight', '0001', 'P1:0001:A', 5, 'P1Y', 'monthly', 0, 'r1', 'r2', 'O-1', \
                 'placed', '2026-11-01T10:00:00Z', '2026-11-01T10:00:05Z')",
            )
            .unwrap();
        }
        let s = Store::open(&p).unwrap();
        let entries = crate::orders::journal::list(&s, None).unwrap();
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(
            (
                e.customer_name.as_str(),
                e.sku_id.as_str(),
                e.order_id.as_deref(),
                e.quantity
            ),
            ("Contoso", "0001", Some("O-1"), 5)
        );
        assert_eq!(e.plan, None, "no plan name was kept before version 7");
    }

    #[test]
    fn newer_schema_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        drop(Store::open(&p).unwrap());
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", 999)
            .unwrap();
        let err = Store::open(&p).unwrap_err().to_string();
        assert!(
            err.contains("newer CSP Desk") && err.contains("moved aside"),
            "{err}"
        );
        assert!(!p.exists(), "moved aside, never silently replaced");
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .collect();
        assert!(kept
            .iter()
            .any(|e| e.file_name().to_string_lossy().contains(".newer-")));
    }

    #[test]
    fn a_store_damaged_when_a_session_did_not_close_is_found_and_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        {
            let s = Store::open(&p).unwrap();
            s.conn()
                .execute_batch(
                    "CREATE TABLE filler (x BLOB);
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                     INSERT INTO filler SELECT randomblob(500) FROM n;",
                )
                .unwrap();
        }
        assert!(!wal_path(&p).exists(), "a clean close leaves no log");
        // A session that is killed: it wrote, and never closed, so its log stays.
        let killed = Connection::open(&p).unwrap();
        killed
            .execute("INSERT INTO filler VALUES (x'00')", [])
            .unwrap();
        std::mem::forget(killed);
        assert!(wal_path(&p).exists());
        // Meanwhile a page in the middle of the file was damaged.
        let len = std::fs::metadata(&p).unwrap().len();
        let page = 4096 * (len / 4096 / 2);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[page as usize..page as usize + 4096].fill(0x55);
        std::fs::write(&p, &bytes).unwrap();

        let err = Store::open(&p).unwrap_err().to_string();
        assert!(
            err.contains("is damaged") && err.contains("moved aside"),
            "{err}"
        );
        assert!(!p.exists(), "moved aside, never used as it was");
        // the next open starts fresh
        Store::open(&p).unwrap();
    }

    #[test]
    fn corrupt_file_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.sqlite");
        std::fs::write(
            &p,
            b"this is not a database, just some bytes that are long enough to be a header....",
        )
        .unwrap();
        let err = Store::open(&p).unwrap_err().to_string();
        assert!(err.contains("moved aside"), "{err}");
        assert!(!p.exists());
        let moved: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .collect();
        assert!(moved
            .iter()
            .any(|e| e.file_name().to_string_lossy().contains(".corrupt-")));
        // the next open starts fresh
        Store::open(&p).unwrap();
    }
}
