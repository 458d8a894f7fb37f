//! Changes between two snapshots of a market: new and removed offers, price increases and
//! decreases with the amount and percent. A price is identified by product, plan, term and
//! billing plan; zero-price trial markers are left out (they are not prices).

use std::collections::BTreeMap;

use serde::Serialize;

use super::sheet::SheetRow;
use crate::tabular::{Cell, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "PriceChangeKind")]
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
#[ts(export, rename = "PriceChangeRow")]
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

type Key = (String, String, String, String);

fn keyed(rows: &[SheetRow]) -> BTreeMap<Key, &SheetRow> {
    rows.iter()
        .filter(|r| !r.is_trial_marker())
        .map(|r| {
            (
                (
                    r.product_id.clone(),
                    r.sku_id.clone(),
                    r.term_duration.clone(),
                    r.billing_plan.to_ascii_lowercase(),
                ),
                r,
            )
        })
        .collect()
}

fn change(kind: ChangeKind, r: &SheetRow, old: Option<f64>, new: Option<f64>) -> PriceChange {
    let amount = old.zip(new).map(|(o, n)| ((n - o) * 100.0).round() / 100.0);
    let percent = old
        .zip(new)
        .and_then(|(o, n)| (o != 0.0).then(|| (((n - o) / o * 100.0) * 100.0).round() / 100.0));
    PriceChange {
        kind,
        product_id: r.product_id.clone(),
        product: r.product_title.clone(),
        sku_id: r.sku_id.clone(),
        plan: r.sku_title.clone(),
        publisher: r.publisher.clone(),
        term: r.term_duration.clone(),
        billing_plan: r.billing_plan.clone(),
        currency: r.currency.clone(),
        old_price: old,
        new_price: new,
        amount,
        percent,
    }
}

/// Changes from `from` to `to`, grouped by kind then product.
pub fn diff(from: &[SheetRow], to: &[SheetRow]) -> Vec<PriceChange> {
    let (a, b) = (keyed(from), keyed(to));
    let mut out = Vec::new();
    for (k, new) in &b {
        match a.get(k) {
            None => out.push(change(ChangeKind::New, new, None, Some(new.unit_price))),
            Some(old) if (new.unit_price - old.unit_price).abs() > 1e-9 => {
                let kind = if new.unit_price > old.unit_price {
                    ChangeKind::Increase
                } else {
                    ChangeKind::Decrease
                };
                out.push(change(
                    kind,
                    new,
                    Some(old.unit_price),
                    Some(new.unit_price),
                ));
            }
            Some(_) => {}
        }
    }
    for (k, old) in &a {
        if !b.contains_key(k) {
            out.push(change(ChangeKind::Removed, old, Some(old.unit_price), None));
        }
    }
    out.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then_with(|| x.product.cmp(&y.product))
            .then_with(|| x.sku_id.cmp(&y.sku_id))
    });
    out
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
    let money = |v: Option<f64>, currency: &str| {
        v.map(|v| Cell::Money(v, currency.to_string()))
            .unwrap_or(Cell::Empty)
    };
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
