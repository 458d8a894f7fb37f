//! Export rows: price-sheet rows joined with the catalog, with the free-trial rule applied.
//!
//! The rule (Partner Center's "Export price list"): a product with a free trial gets exactly two
//! rows per market and purchasable term (term + billing plan): a trial row at price 0 with the
//! trial's term, then the paid row with the price and term that apply after the trial. Zero rows
//! in the source are dropped and the pairs are rebuilt, so the result is the same whether or not
//! the source carried the zero row, as long as the catalog (or the zero row) says there is a trial.
//! A trial that comes as its own SKU (`isTrial`, reference §16 shape 2) is exported as the pair
//! of the paid plan the catalog attached it to (`catalog::trials`); the trial SKU's own rows are
//! left out, so the trial is listed once.
//!
//! The rule works on one plan's rows at a time ([`expand_plan`]) and hands each export row to a
//! [`RowSink`] as it is made, borrowing its text from the sheet and the catalog: no export row is
//! ever kept. Grouping the sheet's rows into plans is the pipeline's ([`super::pipeline`]).

use chrono::NaiveDate;

use super::lookup::ProductInfo;
use super::sheet::RowView;
use crate::error::Result;

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

/// One export row, borrowing its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutRow<'a> {
    pub market: &'a str,
    pub currency: &'a str,
    pub product_id: &'a str,
    pub product: &'a str,
    pub sku_id: &'a str,
    pub plan: &'a str,
    pub publisher: &'a str,
    pub offer_type: &'a str,
    pub category: &'a str,
    pub term: &'a str,
    pub billing_plan: &'a str,
    pub unit_price: f64,
    pub erp_price: Option<f64>,
    pub effective_start: Option<NaiveDate>,
    pub effective_end: Option<NaiveDate>,
    pub free_trial: &'static str,
}

impl<'a> OutRow<'a> {
    /// The text columns, in [`HEADERS`] order (the first eleven).
    pub fn texts(&self) -> [&'a str; 11] {
        [
            self.market,
            self.currency,
            self.product_id,
            self.product,
            self.sku_id,
            self.plan,
            self.publisher,
            self.offer_type,
            self.category,
            self.term,
            self.billing_plan,
        ]
    }
}

/// Where export rows go, one at a time.
pub trait RowSink {
    fn row(&mut self, r: &OutRow<'_>) -> Result<()>;
}

fn base_row<'a>(r: &RowView<'a>, info: Option<ProductInfo<'a>>) -> OutRow<'a> {
    let plan = info
        .and_then(|i| i.plan(r.sku_id))
        .map(|p| p.0)
        .filter(|t| !t.is_empty());
    OutRow {
        market: r.market,
        currency: r.currency,
        product_id: r.product_id,
        product: if r.product_title.is_empty() {
            info.map(|i| i.title()).unwrap_or_default()
        } else {
            r.product_title
        },
        sku_id: r.sku_id,
        plan: plan.unwrap_or(r.sku_title),
        publisher: if r.publisher.is_empty() {
            info.map(|i| i.publisher()).unwrap_or_default()
        } else {
            r.publisher
        },
        offer_type: info.map(|i| i.offer_type()).unwrap_or_default(),
        category: info.map(|i| i.category()).unwrap_or_default(),
        term: r.term_duration,
        billing_plan: r.billing_plan,
        unit_price: r.unit_price,
        erp_price: r.erp_price,
        effective_start: r.effective_start,
        effective_end: r.effective_end,
        free_trial: NO_TRIAL,
    }
}

/// Expand the rows of one (product, SKU) in one market, in sheet order, into `out`.
pub fn expand_plan(
    rows: &[RowView<'_>],
    info: Option<ProductInfo<'_>>,
    out: &mut dyn RowSink,
) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if info.is_some_and(|i| i.folded_into_paid_plan(first.sku_id)) {
        return Ok(());
    }
    let catalog_trial = info.and_then(|i| i.plan(first.sku_id)).and_then(|p| p.1);
    let marker = rows.iter().find(|r| r.is_trial_marker());
    let trial_term = catalog_trial.or_else(|| {
        marker.map(|m| {
            if m.term_duration.is_empty() {
                "P1M"
            } else {
                m.term_duration
            }
        })
    });
    let Some(trial_term) = trial_term else {
        for r in rows {
            out.row(&base_row(r, info))?;
        }
        return Ok(());
    };
    let mut paid = rows.iter().filter(|r| !r.is_trial_marker()).peekable();
    if paid.peek().is_none() {
        // Only the zero row is known: show the trial on its own.
        if let Some(m) = marker {
            let mut t = base_row(m, info);
            t.free_trial = TRIAL;
            t.term = trial_term;
            out.row(&t)?;
        }
        return Ok(());
    }
    let mut billing = String::new();
    for r in paid {
        billing.clear();
        billing.push_str("Free trial, then ");
        billing.push_str(r.term_duration);
        billing.push(' ');
        billing.push_str(r.billing_plan);
        let billing_plan = billing.trim();
        let mut trial = base_row(r, info);
        trial.unit_price = 0.0;
        trial.erp_price = trial.erp_price.map(|_| 0.0);
        trial.term = trial_term;
        trial.billing_plan = billing_plan;
        trial.free_trial = TRIAL;
        if let Some(m) = marker {
            trial.effective_start = m.effective_start.or(trial.effective_start);
            trial.effective_end = m.effective_end.or(trial.effective_end);
        }
        out.row(&trial)?;
        let mut after = base_row(r, info);
        after.free_trial = AFTER_TRIAL;
        out.row(&after)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricelist::sheet::{RawRow, SheetReader};

    type Shape = Vec<(String, String, f64, String, String)>;

    #[derive(Default)]
    struct Collect(Shape);
    impl RowSink for Collect {
        fn row(&mut self, r: &OutRow<'_>) -> Result<()> {
            self.0.push((
                r.free_trial.to_string(),
                r.term.to_string(),
                r.unit_price,
                r.plan.to_string(),
                r.billing_plan.to_string(),
            ));
            Ok(())
        }
    }

    const HEAD: &str =
        "ProductId,SkuId,SkuTitle,TermDuration,BillingPlan,UnitPrice,Tags,Currency\n";

    /// The rows of `csv` (one plan) through the rule, with the catalog's `trial` term.
    fn expand(csv: &str, trial: Option<&str>, in_catalog: bool) -> Shape {
        let lookup =
            crate::pricelist::lookup::ProductLookup::for_tests("P1", "0001", "Pro plan", trial);
        let text = format!("{HEAD}{csv}");
        let mut reader = SheetReader::new(text.as_bytes(), "GB", false).unwrap();
        let mut raw = Vec::new();
        let mut slot = RawRow::default();
        while reader.next_row(&mut slot).unwrap() {
            raw.push(slot.clone());
        }
        let views: Vec<_> = raw.iter().map(|r| reader.view(r)).collect();
        let info = if in_catalog { lookup.get("P1") } else { None };
        let mut out = Collect::default();
        expand_plan(&views, info, &mut out).unwrap();
        out.0
    }

    fn shape(v: &Shape) -> Vec<(&str, &str, f64)> {
        v.iter()
            .map(|(t, term, p, _, _)| (t.as_str(), term.as_str(), *p))
            .collect()
    }

    #[test]
    fn trial_with_zero_row_in_source_gives_two_rows_per_term() {
        let out = expand(
            "P1,0001,Pro,P1M,None,0,Trial,GBP\nP1,0001,Pro,P1M,Monthly,10,,GBP\nP1,0001,Pro,P1Y,Annual,100,,GBP\n",
            Some("P1M"),
            true,
        );
        assert_eq!(
            shape(&out),
            vec![
                (TRIAL, "P1M", 0.0),
                (AFTER_TRIAL, "P1M", 10.0),
                (TRIAL, "P1M", 0.0),
                (AFTER_TRIAL, "P1Y", 100.0),
            ]
        );
        assert_eq!(out[0].3, "Pro plan");
        assert!(out[2].4.contains("P1Y Annual"), "{}", out[2].4);
    }

    #[test]
    fn trial_without_zero_row_gives_the_same_rows() {
        let with = expand(
            "P1,0001,Pro,P1M,None,0,Trial,GBP\nP1,0001,Pro,P1M,Monthly,10,,GBP\n",
            Some("P1M"),
            true,
        );
        let without = expand("P1,0001,Pro,P1M,Monthly,10,,GBP\n", Some("P1M"), true);
        assert_eq!(shape(&with), shape(&without));
        assert_eq!(without.len(), 2);
    }

    #[test]
    fn zero_row_alone_marks_a_trial_even_without_catalog() {
        let out = expand(
            "P1,0001,Pro,P1M,None,0,Trial,GBP\nP1,0001,Pro,P1Y,Annual,50,,GBP\n",
            None,
            false,
        );
        assert_eq!(
            shape(&out),
            vec![(TRIAL, "P1M", 0.0), (AFTER_TRIAL, "P1Y", 50.0)]
        );
        assert_eq!(out[0].3, "Pro", "the sheet's plan title without a catalog");
    }

    #[test]
    fn no_trial_rows_pass_through() {
        let out = expand("P1,0001,Pro,P1M,Monthly,10,,GBP\n", None, true);
        assert_eq!(shape(&out), vec![(NO_TRIAL, "P1M", 10.0)]);
    }
}
