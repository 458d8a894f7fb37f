//! Export rows: price-sheet rows joined with the catalog, with the free-trial rule applied.
//!
//! The rule (Partner Center's "Export price list"): a product with a free trial gets exactly two
//! rows per market and purchasable term (term + billing plan): a trial row at price 0 with the
//! trial's term, then the paid row with the price and term that apply after the trial. Zero rows
//! in the source are dropped and the pairs are rebuilt, so the result is the same whether or not
//! the source carried the zero row, as long as the catalog (or the zero row) says there is a trial.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::sheet::SheetRow;
use crate::catalog::{categories, Offer};

/// What the "Free trial" column says.
pub const TRIAL: &str = "Trial";
pub const AFTER_TRIAL: &str = "After trial";
pub const NO_TRIAL: &str = "No";

/// The column headers, in order.
pub const HEADERS: [&str; 16] = [
    "Market",
    "Currency",
    "Product ID",
    "Product",
    "SKU ID",
    "Plan",
    "Publisher",
    "Type",
    "Category",
    "Term",
    "Billing plan",
    "Unit price",
    "ERP price",
    "Effective start",
    "Effective end",
    "Free trial",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceRow {
    pub market: String,
    pub currency: String,
    pub product_id: String,
    pub product: String,
    pub sku_id: String,
    pub plan: String,
    pub publisher: String,
    #[serde(rename = "type")]
    pub offer_type: String,
    pub category: String,
    pub term: String,
    pub billing_plan: String,
    pub unit_price: f64,
    pub erp_price: Option<f64>,
    pub effective_start: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
    pub free_trial: String,
}

/// What the catalog knows about a product, for the join.
#[derive(Debug, Clone, Default)]
pub struct ProductInfo {
    pub title: String,
    pub publisher: String,
    pub offer_type: String,
    pub category: String,
    /// SKU id → (plan title, trial term if the plan has a free trial).
    pub plans: HashMap<String, (String, Option<String>)>,
}

/// Product id → what the catalog knows.
pub fn catalog_info(offers: &[Offer]) -> HashMap<String, ProductInfo> {
    let mut map = HashMap::with_capacity(offers.len());
    for o in offers {
        let Some(id) = &o.product_id else { continue };
        let plans = o
            .skus
            .iter()
            .map(|s| {
                let trial_term = s
                    .availabilities
                    .iter()
                    .flat_map(|a| a.terms.iter())
                    .find(|t| t.is_trial())
                    .map(|t| t.duration.clone())
                    .or_else(|| s.sku.is_trial.then(|| "P1M".to_string()));
                (s.sku.id.clone(), (s.sku.title.clone(), trial_term))
            })
            .collect();
        map.insert(
            id.clone(),
            ProductInfo {
                title: o.title.clone(),
                publisher: o.publisher_name.clone(),
                offer_type: o.offer_type.label().to_string(),
                category: o
                    .categories
                    .iter()
                    .map(|c| categories::display_name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                plans,
            },
        );
    }
    map
}

fn base_row(r: &SheetRow, info: Option<&ProductInfo>) -> PriceRow {
    let plan = info
        .and_then(|i| i.plans.get(&r.sku_id))
        .map(|p| p.0.clone())
        .filter(|t| !t.is_empty());
    PriceRow {
        market: r.market.clone(),
        currency: r.currency.clone(),
        product_id: r.product_id.clone(),
        product: if r.product_title.is_empty() {
            info.map(|i| i.title.clone()).unwrap_or_default()
        } else {
            r.product_title.clone()
        },
        sku_id: r.sku_id.clone(),
        plan: plan.unwrap_or_else(|| r.sku_title.clone()),
        publisher: if r.publisher.is_empty() {
            info.map(|i| i.publisher.clone()).unwrap_or_default()
        } else {
            r.publisher.clone()
        },
        offer_type: info.map(|i| i.offer_type.clone()).unwrap_or_default(),
        category: info.map(|i| i.category.clone()).unwrap_or_default(),
        term: r.term_duration.clone(),
        billing_plan: r.billing_plan.clone(),
        unit_price: r.unit_price,
        erp_price: r.erp_price,
        effective_start: r.effective_start,
        effective_end: r.effective_end,
        free_trial: NO_TRIAL.into(),
    }
}

/// Expand the rows of one (product, SKU) in one market, appending to `out`.
pub fn expand_plan(rows: &[SheetRow], info: Option<&ProductInfo>, out: &mut Vec<PriceRow>) {
    let Some(first) = rows.first() else { return };
    let catalog_trial = info
        .and_then(|i| i.plans.get(&first.sku_id))
        .and_then(|p| p.1.clone());
    let marker = rows.iter().find(|r| r.is_trial_marker());
    let trial_term = catalog_trial.or_else(|| {
        marker.map(|m| {
            if m.term_duration.is_empty() {
                "P1M".into()
            } else {
                m.term_duration.clone()
            }
        })
    });
    let paid: Vec<&SheetRow> = rows
        .iter()
        .filter(|r| !(trial_term.is_some() && r.is_trial_marker()))
        .collect();
    let Some(trial_term) = trial_term else {
        out.extend(paid.into_iter().map(|r| base_row(r, info)));
        return;
    };
    if paid.is_empty() {
        // Only the zero row is known: show the trial on its own.
        if let Some(m) = marker {
            let mut t = base_row(m, info);
            t.free_trial = TRIAL.into();
            t.term = trial_term;
            out.push(t);
        }
        return;
    }
    for r in paid {
        let mut trial = base_row(r, info);
        trial.unit_price = 0.0;
        trial.erp_price = trial.erp_price.map(|_| 0.0);
        trial.term = trial_term.clone();
        trial.billing_plan = format!("Free trial, then {} {}", r.term_duration, r.billing_plan)
            .trim()
            .to_string();
        trial.free_trial = TRIAL.into();
        if let Some(m) = marker {
            trial.effective_start = m.effective_start.or(trial.effective_start);
            trial.effective_end = m.effective_end.or(trial.effective_end);
        }
        let mut after = base_row(r, info);
        after.free_trial = AFTER_TRIAL.into();
        out.push(trial);
        out.push(after);
    }
}

/// All export rows of one market's sheet, grouped by product and plan, in sheet order.
pub fn build(
    sheet_rows: &[SheetRow],
    catalog: &HashMap<String, ProductInfo>,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<PriceRow> {
    let mut order: Vec<(&str, &str)> = Vec::new();
    let mut groups: HashMap<(&str, &str), Vec<SheetRow>> = HashMap::new();
    for r in sheet_rows.iter().filter(|r| keep(&r.product_id)) {
        let key = (r.product_id.as_str(), r.sku_id.as_str());
        groups
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(r.clone());
    }
    let mut out = Vec::with_capacity(sheet_rows.len() + sheet_rows.len() / 5);
    for key in order {
        if let Some(rows) = groups.get(&key) {
            expand_plan(rows, catalog.get(key.0), &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(product: &str, sku: &str, term: &str, plan: &str, price: f64, tags: &str) -> SheetRow {
        SheetRow {
            product_id: product.into(),
            sku_id: sku.into(),
            product_title: "Shield".into(),
            sku_title: "Pro".into(),
            publisher: "Contoso".into(),
            unit_of_measure: String::new(),
            term_duration: term.into(),
            billing_plan: plan.into(),
            market: "GB".into(),
            currency: "GBP".into(),
            unit_price: price,
            erp_price: None,
            effective_start: None,
            effective_end: None,
            tags: tags.into(),
        }
    }

    fn info(trial: Option<&str>) -> HashMap<String, ProductInfo> {
        let mut plans = HashMap::new();
        plans.insert(
            "0001".to_string(),
            ("Pro plan".to_string(), trial.map(str::to_string)),
        );
        HashMap::from([(
            "P1".to_string(),
            ProductInfo {
                plans,
                offer_type: "SaaS".into(),
                ..Default::default()
            },
        )])
    }

    fn shape(rows: &[PriceRow]) -> Vec<(String, String, f64)> {
        rows.iter()
            .map(|r| (r.free_trial.clone(), r.term.clone(), r.unit_price))
            .collect()
    }

    #[test]
    fn trial_with_zero_row_in_source_gives_two_rows_per_term() {
        let src = vec![
            row("P1", "0001", "P1M", "None", 0.0, "Trial"),
            row("P1", "0001", "P1M", "Monthly", 10.0, ""),
            row("P1", "0001", "P1Y", "Annual", 100.0, ""),
        ];
        let out = build(&src, &info(Some("P1M")), &|_| true);
        assert_eq!(
            shape(&out),
            vec![
                (TRIAL.into(), "P1M".into(), 0.0),
                (AFTER_TRIAL.into(), "P1M".into(), 10.0),
                (TRIAL.into(), "P1M".into(), 0.0),
                (AFTER_TRIAL.into(), "P1Y".into(), 100.0),
            ]
        );
        assert_eq!(out[0].plan, "Pro plan");
        assert!(
            out[2].billing_plan.contains("P1Y Annual"),
            "{}",
            out[2].billing_plan
        );
    }

    #[test]
    fn trial_without_zero_row_gives_the_same_rows() {
        let with = build(
            &[
                row("P1", "0001", "P1M", "None", 0.0, "Trial"),
                row("P1", "0001", "P1M", "Monthly", 10.0, ""),
            ],
            &info(Some("P1M")),
            &|_| true,
        );
        let without = build(
            &[row("P1", "0001", "P1M", "Monthly", 10.0, "")],
            &info(Some("P1M")),
            &|_| true,
        );
        assert_eq!(shape(&with), shape(&without));
        assert_eq!(without.len(), 2);
    }

    #[test]
    fn zero_row_alone_marks_a_trial_even_without_catalog() {
        let out = build(
            &[
                row("P1", "0001", "P1M", "None", 0.0, "Trial"),
                row("P1", "0001", "P1Y", "Annual", 50.0, ""),
            ],
            &HashMap::new(),
            &|_| true,
        );
        assert_eq!(
            shape(&out),
            vec![
                (TRIAL.into(), "P1M".into(), 0.0),
                (AFTER_TRIAL.into(), "P1Y".into(), 50.0)
            ]
        );
    }

    #[test]
    fn no_trial_rows_pass_through_and_filter_applies() {
        let src = vec![
            row("P1", "0001", "P1M", "Monthly", 10.0, ""),
            row("P2", "0001", "P1M", "Monthly", 5.0, ""),
        ];
        let out = build(&src, &info(None), &|p| p == "P1");
        assert_eq!(shape(&out), vec![(NO_TRIAL.into(), "P1M".into(), 10.0)]);
    }
}
