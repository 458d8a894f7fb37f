//! The margin rules in the local store, beside the catalog and the snapshots. The table is made
//! on first use; an import replaces every rule in one transaction, so a bad file changes nothing.

use rusqlite::params;

use super::{check, MarginRule, MarkupBasis, NewRule, Rounding, RuleScope, RuleSet};
use crate::error::Result;
use crate::store::Store;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS margin_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    percent REAL,
    fixed REAL,
    basis TEXT NOT NULL,
    rounding TEXT NOT NULL,
    product_type TEXT,
    publisher TEXT,
    category TEXT,
    product_id TEXT,
    sku_id TEXT,
    market TEXT,
    promotion INTEGER NOT NULL,
    created_at TEXT NOT NULL
)";

fn insert(conn: &rusqlite::Connection, r: &NewRule) -> Result<i64> {
    let s = &r.scope;
    conn.execute(
        "INSERT INTO margin_rules (percent, fixed, basis, rounding, product_type, publisher, category, product_id, sku_id, market, promotion, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.percent,
            r.fixed,
            match r.basis {
                MarkupBasis::Unit => "unit",
                MarkupBasis::Erp => "erp",
            },
            r.rounding.as_str(),
            s.product_type,
            s.publisher,
            s.category,
            s.product_id,
            s.sku_id,
            s.market,
            r.promotion,
            chrono::Utc::now().to_rfc3339(),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Add a rule (checked first); returns it with its id.
pub fn add(store: &Store, rule: &NewRule) -> Result<MarginRule> {
    let rule = check(rule)?;
    let conn = store.conn();
    conn.execute_batch(TABLE)?;
    let id = insert(&conn, &rule)?;
    Ok(MarginRule { id, rule })
}

/// Every rule, oldest first.
pub fn list(store: &Store) -> Result<Vec<MarginRule>> {
    let conn = store.conn();
    conn.execute_batch(TABLE)?;
    let mut stmt = conn.prepare(
        "SELECT id, percent, fixed, basis, rounding, product_type, publisher, category, product_id, sku_id, market, promotion FROM margin_rules ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<f64>>(1)?,
            r.get::<_, Option<f64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            [
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ],
            r.get::<_, bool>(11)?,
        ))
    })?;
    let mut out = vec![];
    for row in rows {
        let (
            id,
            percent,
            fixed,
            basis,
            rounding,
            [ty, publisher, category, product, sku, market],
            promotion,
        ) = row?;
        out.push(MarginRule {
            id,
            rule: NewRule {
                percent,
                fixed,
                basis: MarkupBasis::parse(&basis).unwrap_or_default(),
                rounding: Rounding::parse(&rounding).unwrap_or_default(),
                scope: RuleScope::of(ty, publisher, category, product, sku, market),
                promotion,
            },
        });
    }
    Ok(out)
}

/// The rules, indexed for pricing rows.
pub fn rule_set(store: &Store) -> Result<RuleSet> {
    Ok(RuleSet::new(list(store)?))
}

/// Remove rule `id`; one that is not there is "not found".
pub fn remove(store: &Store, id: i64) -> Result<()> {
    let conn = store.conn();
    conn.execute_batch(TABLE)?;
    if conn.execute("DELETE FROM margin_rules WHERE id = ?1", params![id])? == 0 {
        return Err(crate::message::Message::RuleMissing { id }.not_found());
    }
    Ok(())
}

/// Replace every rule with `rules` (each checked first), in one transaction.
pub fn replace_all(store: &Store, rules: &[NewRule]) -> Result<Vec<MarginRule>> {
    let checked = rules.iter().map(check).collect::<Result<Vec<_>>>()?;
    {
        let mut conn = store.conn();
        conn.execute_batch(TABLE)?;
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM margin_rules", [])?;
        for r in &checked {
            insert(&tx, r)?;
        }
        tx.commit()?;
    }
    list(store)
}
