//! Changes between two snapshots of a market: new and removed offers, price increases and
//! decreases with the amount and percent. A price is identified by product, plan, term and
//! billing plan; zero-price trial markers are left out (they are not prices).
//!
//! The days' rows stream from their snapshot files; what is held is one price per key and day
//! (a hash of the key and the price) and the changes found, never the rows.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use super::sheet::{RawRow, RowView, SheetReader, SheetRow};
use super::snapshot;
use crate::error::Result;
use crate::store::Store;
use crate::tabular::{Cell, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PriceChangeKind")]
pub enum ChangeKind {
    New,
    Removed,
    Increase,
    Decrease,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::New => "New",
            ChangeKind::Removed => "Removed",
            ChangeKind::Increase => "Price increase",
            ChangeKind::Decrease => "Price decrease",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PriceChangeRow")]
pub struct PriceChange {
    pub kind: ChangeKind,
    pub product_id: String,
    pub product: String,
    pub sku_id: String,
    pub plan: String,
    pub publisher: String,
    pub term: String,
    pub billing_plan: String,
    pub currency: String,
    pub old_price: Option<f64>,
    pub new_price: Option<f64>,
    /// new − old
    pub amount: Option<f64>,
    /// (new − old) / old × 100
    pub percent: Option<f64>,
}

/// A day's rows, read as often as the diff needs (a snapshot file streams them each time).
pub trait DayRows {
    fn each(&self, f: &mut dyn FnMut(&RowView<'_>) -> Result<()>) -> Result<()>;
}

/// Rows in memory.
pub struct Rows<'a>(pub &'a [SheetRow]);

impl DayRows for Rows<'_> {
    fn each(&self, f: &mut dyn FnMut(&RowView<'_>) -> Result<()>) -> Result<()> {
        self.0.iter().try_for_each(|r| f(&r.view()))
    }
}

/// A market's snapshot of a day, streamed from its file (bad rows, accepted when it was taken,
/// left out).
pub struct SnapshotRows<'a> {
    pub store: &'a Store,
    pub market: &'a str,
    pub day: NaiveDate,
}

impl DayRows for SnapshotRows<'_> {
    fn each(&self, f: &mut dyn FnMut(&RowView<'_>) -> Result<()>) -> Result<()> {
        if !snapshot::file(self.store, self.market, self.day).is_file() {
            // A snapshot from before snapshots were files.
            let rows = snapshot::load(self.store, self.market, self.day)?;
            return Rows(&rows).each(f);
        }
        snapshot::read(self.store, self.market, self.day, |r| {
            let mut reader = SheetReader::new(r, self.market, true)?;
            let mut slot = RawRow::default();
            while reader.next_row(&mut slot)? {
                f(&reader.view(&slot))?;
            }
            Ok(())
        })
    }
}

/// A price's identity: product, plan, term and billing plan (any case), hashed. Two prices
/// share a hash with odds of about 1 in 10^13 for a million prices.
fn key_hash(r: &RowView<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    r.product_id.hash(&mut h);
    r.sku_id.hash(&mut h);
    r.term_duration.hash(&mut h);
    for b in r.billing_plan.bytes() {
        b.to_ascii_lowercase().hash(&mut h);
    }
    h.finish()
}

fn change(kind: ChangeKind, r: &RowView<'_>, old: Option<f64>, new: Option<f64>) -> PriceChange {
    let amount = old.zip(new).map(|(o, n)| ((n - o) * 100.0).round() / 100.0);
    let percent = old
        .zip(new)
        .and_then(|(o, n)| (o != 0.0).then(|| (((n - o) / o * 100.0) * 100.0).round() / 100.0));
    PriceChange {
        kind,
        product_id: r.product_id.into(),
        product: r.product_title.into(),
        sku_id: r.sku_id.into(),
        plan: r.sku_title.into(),
        publisher: r.publisher.into(),
        term: r.term_duration.into(),
        billing_plan: r.billing_plan.into(),
        currency: r.currency.into(),
        old_price: old,
        new_price: new,
        amount,
        percent,
    }
}

/// Each day's price per key (the later row of a key wins, within a day).
fn prices(day: &dyn DayRows) -> Result<HashMap<u64, f64>> {
    let mut prices = HashMap::new();
    day.each(&mut |r| {
        if !r.is_trial_marker() {
            prices.insert(key_hash(r), r.unit_price);
        }
        Ok(())
    })?;
    Ok(prices)
}

/// Changes from `from` to `to`, grouped by kind then product. Memory: one price per key of each
/// day (16 bytes) and the changes; the days' rows stream past twice each (`from` only once when
/// no price was removed), two at a time on two threads: first both days' prices, then `to`'s
/// new and moved prices beside `from`'s removed ones.
pub fn diff_days(
    from: &(dyn DayRows + Sync),
    to: &(dyn DayRows + Sync),
) -> Result<Vec<PriceChange>> {
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| prices(from));
        let new = prices(to);
        (join(old), new)
    });
    let (old, new) = (old?, new?);
    let gone: HashSet<u64> = old
        .keys()
        .filter(|k| !new.contains_key(k))
        .copied()
        .collect();
    drop(new);
    let (moved, removed) = std::thread::scope(|s| {
        let removed = s.spawn(|| removed_prices(from, &gone));
        let moved = moved_prices(to, &old);
        (moved, join(removed))
    });
    let (moved, removed) = (moved?, removed?);
    let mut out: Vec<PriceChange> = moved.into_values().chain(removed.into_values()).collect();
    out.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then_with(|| x.product.cmp(&y.product))
            .then_with(|| x.sku_id.cmp(&y.sku_id))
            .then_with(|| x.product_id.cmp(&y.product_id))
            .then_with(|| x.term.cmp(&y.term))
            .then_with(|| {
                x.billing_plan
                    .to_ascii_lowercase()
                    .cmp(&y.billing_plan.to_ascii_lowercase())
            })
    });
    Ok(out)
}

fn join<T>(h: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    h.join().unwrap_or_else(|_| {
        Err(crate::error::Error::Invalid(
            "the price diff stopped unexpectedly".into(),
        ))
    })
}

/// `to`'s new prices and moved ones, by key (the later row of a key wins).
fn moved_prices(to: &dyn DayRows, old: &HashMap<u64, f64>) -> Result<HashMap<u64, PriceChange>> {
    let mut moved: HashMap<u64, PriceChange> = HashMap::new();
    to.each(&mut |r| {
        if r.is_trial_marker() {
            return Ok(());
        }
        let k = key_hash(r);
        let c = match old.get(&k) {
            None => Some(change(ChangeKind::New, r, None, Some(r.unit_price))),
            Some(&o) if (r.unit_price - o).abs() > 1e-9 => {
                let kind = if r.unit_price > o {
                    ChangeKind::Increase
                } else {
                    ChangeKind::Decrease
                };
                Some(change(kind, r, Some(o), Some(r.unit_price)))
            }
            Some(_) => None,
        };
        match c {
            Some(c) => moved.insert(k, c),
            None => moved.remove(&k),
        };
        Ok(())
    })?;
    Ok(moved)
}

/// `from`'s prices of the keys `to` no longer has (`gone`), by key (the later row of a key
/// wins). `from` is not read when there are none.
fn removed_prices(from: &dyn DayRows, gone: &HashSet<u64>) -> Result<HashMap<u64, PriceChange>> {
    let mut removed: HashMap<u64, PriceChange> = HashMap::new();
    if gone.is_empty() {
        return Ok(removed);
    }
    from.each(&mut |r| {
        if !r.is_trial_marker() {
            let k = key_hash(r);
            if gone.contains(&k) {
                removed.insert(k, change(ChangeKind::Removed, r, Some(r.unit_price), None));
            }
        }
        Ok(())
    })?;
    Ok(removed)
}

/// Changes from `from` to `to` (rows in memory), grouped by kind then product.
pub fn diff(from: &[SheetRow], to: &[SheetRow]) -> Vec<PriceChange> {
    // Rows in memory cannot fail to read.
    diff_days(&Rows(from), &Rows(to)).unwrap_or_default()
}

/// The changes as a sheet (`prices diff --out` and the app's "Export changes"): one row per
/// change with its kind, the product and plan, and old/new price, amount and percent.
pub fn changes_table(changes: &[PriceChange]) -> Table {
    let headers = [
        "Change",
        "Product ID",
        "Product",
        "SKU ID",
        "Plan",
        "Publisher",
        "Term",
        "Billing plan",
        "Old price",
        "New price",
        "Amount",
        "Percent",
    ];
    let money = Cell::money;
    Table {
        name: "Changes".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: changes
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.kind.label().into()),
                    Cell::Text(c.product_id.clone()),
                    Cell::Text(c.product.clone()),
                    Cell::Text(c.sku_id.clone()),
                    Cell::Text(c.plan.clone()),
                    Cell::Text(c.publisher.clone()),
                    Cell::Text(c.term.clone()),
                    Cell::Text(c.billing_plan.clone()),
                    money(c.old_price, &c.currency),
                    money(c.new_price, &c.currency),
                    money(c.amount, &c.currency),
                    c.percent.map(Cell::Number).unwrap_or(Cell::Empty),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: &str, price: f64) -> SheetRow {
        SheetRow {
            product_id: p.into(),
            sku_id: "0001".into(),
            product_title: format!("Product {p}"),
            sku_title: "Std".into(),
            publisher: "Contoso".into(),
            unit_of_measure: String::new(),
            term_duration: "P1M".into(),
            billing_plan: "Monthly".into(),
            market: "US".into(),
            currency: "USD".into(),
            unit_price: price,
            erp_price: None,
            effective_start: None,
            effective_end: None,
            tags: String::new(),
        }
    }

    #[test]
    fn new_removed_increase_decrease_with_amount_and_percent() {
        let from = vec![r("A", 10.0), r("B", 20.0), r("C", 30.0), r("D", 5.0)];
        let to = vec![r("A", 11.0), r("B", 15.0), r("D", 5.0), r("E", 7.5)];
        let d = diff(&from, &to);
        let kinds: Vec<_> = d.iter().map(|c| (c.kind, c.product_id.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (ChangeKind::New, "E"),
                (ChangeKind::Removed, "C"),
                (ChangeKind::Increase, "A"),
                (ChangeKind::Decrease, "B")
            ]
        );
        let inc = &d[2];
        assert_eq!((inc.amount, inc.percent), (Some(1.0), Some(10.0)));
        let dec = &d[3];
        assert_eq!((dec.amount, dec.percent), (Some(-5.0), Some(-25.0)));
        assert_eq!(d[0].new_price, Some(7.5));
        assert_eq!(d[1].old_price, Some(30.0));
    }

    #[test]
    fn trial_markers_are_not_prices() {
        let mut z = r("A", 0.0);
        z.billing_plan = "None".into();
        z.tags = "Trial".into();
        assert!(diff(&[], &[z]).is_empty());
    }
}
