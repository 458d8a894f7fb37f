//! Which columns a price-list file has, and what stands above them.
//!
//! - The **plain** list (the partner's cost): [`super::rows::HEADERS`], nothing above.
//! - A **customer** price list (issue 20): the partner's sell price in the `Unit price` column,
//!   no cost, ERP or margin column, and a header block above the table with the partner's
//!   name, the customer's name, the date and how long the prices hold.
//! - Its **internal** variant, for the account manager: the customer's columns, then the cost,
//!   the ERP price, the margin and the rule that set the price.
//!
//! The sell price is worked out on the reading side as each row passes
//! ([`Layout::price`], a cached rule lookup per plan), so a customer price list streams exactly
//! as the plain one does.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::rows::{OutRow, TRIAL};
use crate::pricing::{RuleSet, WinnerCache};

/// One column of a price-list file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// The `i`th of [`OutRow::texts`].
    Text(usize),
    /// The unit price: the cost in the plain list, the sell price in a customer's.
    Price,
    Erp,
    Start,
    End,
    Trial,
    /// The partner's cost (internal variant).
    Cost,
    /// Sell price minus cost (internal variant).
    Margin,
    /// The rule that set the sell price (internal variant).
    Rule,
}

impl Col {
    pub fn header(self) -> &'static str {
        match self {
            Col::Text(i) => super::rows::HEADERS[i],
            Col::Price => "Unit price",
            Col::Erp => "ERP price",
            Col::Start => "Effective start",
            Col::End => "Effective end",
            Col::Trial => "Free trial",
            Col::Cost => "Cost",
            Col::Margin => "Margin",
            Col::Rule => "Rule",
        }
    }

    /// A money column (the market's price format in a workbook).
    pub fn is_money(self) -> bool {
        matches!(self, Col::Price | Col::Erp | Col::Cost | Col::Margin)
    }

    pub fn is_date(self) -> bool {
        matches!(self, Col::Start | Col::End)
    }

    /// The row's date in this column, if it is a date column and the row has one.
    pub fn date_of(self, r: &OutRow<'_>) -> Option<NaiveDate> {
        match self {
            Col::Start => r.effective_start,
            Col::End => r.effective_end,
            _ => None,
        }
    }

    /// A workbook column's width.
    pub fn width(self) -> f64 {
        const TEXT: [f64; 11] = [8.0, 9.0, 15.0, 36.0, 8.0, 22.0, 28.0, 16.0, 26.0, 8.0, 22.0];
        match self {
            Col::Text(i) => TEXT[i],
            Col::Price | Col::Erp | Col::Cost | Col::Margin => 13.0,
            Col::Start | Col::End => 14.0,
            Col::Trial => 11.0,
            Col::Rule => 40.0,
        }
    }
}

/// Who a customer price list is for, and how its prices are set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerList {
    /// The customer's name, in the header block.
    pub customer: String,
    /// The partner's name, in the header block.
    pub partner: String,
    /// Days the prices hold from the list's date.
    pub valid_days: u32,
    /// Add the cost, ERP price, margin and rule columns (for the account manager, not the
    /// customer).
    pub internal: bool,
}

/// Days a customer price list holds when none is said.
pub const DEFAULT_VALID_DAYS: u32 = 30;

/// The columns of one export and what stands above them.
#[derive(Debug)]
pub struct Layout {
    pub cols: Vec<Col>,
    /// Label and value lines above the table; empty for the plain list.
    pub block: Vec<(String, String)>,
    /// The margin rules that price the rows; `None` for the plain list.
    pub rules: Option<Arc<RuleSet>>,
    /// Each rule's words, by its place in `rules`.
    pub rule_words: Vec<String>,
}

const PLAIN: [Col; 16] = [
    Col::Text(0),
    Col::Text(1),
    Col::Text(2),
    Col::Text(3),
    Col::Text(4),
    Col::Text(5),
    Col::Text(6),
    Col::Text(7),
    Col::Text(8),
    Col::Text(9),
    Col::Text(10),
    Col::Price,
    Col::Erp,
    Col::Start,
    Col::End,
    Col::Trial,
];

/// What the rules make of one row: the sell price and the rule's place (`u32::MAX`: none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    pub sell: f64,
    pub rule: u32,
}

impl Layout {
    /// The plain price list.
    pub fn plain() -> Layout {
        Layout {
            cols: PLAIN.to_vec(),
            block: vec![],
            rules: None,
            rule_words: vec![],
        }
    }

    /// A customer price list of `day`, priced by `rules`.
    pub fn customer(list: &CustomerList, rules: Arc<RuleSet>, day: NaiveDate) -> Layout {
        let mut cols: Vec<Col> = PLAIN.iter().copied().filter(|c| *c != Col::Erp).collect();
        if list.internal {
            cols.extend([Col::Cost, Col::Erp, Col::Margin, Col::Rule]);
        }
        let valid = if list.valid_days == 0 {
            DEFAULT_VALID_DAYS
        } else {
            list.valid_days
        };
        let mut block = vec![];
        let title = if list.internal {
            "Price list (internal: cost and margin)"
        } else {
            "Price list"
        };
        block.push((
            title.to_string(),
            if list.customer.trim().is_empty() {
                String::new()
            } else {
                format!("for {}", list.customer.trim())
            },
        ));
        if !list.partner.trim().is_empty() {
            block.push(("From".into(), list.partner.trim().to_string()));
        }
        block.push(("Date".into(), day.format("%Y-%m-%d").to_string()));
        block.push((
            "Valid until".into(),
            (day + Duration::days(i64::from(valid)))
                .format("%Y-%m-%d")
                .to_string(),
        ));
        let rule_words = rules.rules().iter().map(|r| r.describe()).collect();
        Layout {
            cols,
            block,
            rules: Some(rules),
            rule_words,
        }
    }

    /// The header row.
    pub fn headers(&self) -> Vec<&'static str> {
        self.cols.iter().map(|c| c.header()).collect()
    }

    /// The row (0-based) of the table's header: below the block and an empty row.
    pub fn table_row(&self) -> u32 {
        if self.block.is_empty() {
            0
        } else {
            self.block.len() as u32 + 1
        }
    }

    /// The row's price under this layout: its sell price when rules price it, else its unit
    /// price as it came.
    pub fn price(&self, r: &OutRow<'_>, cache: &mut WinnerCache) -> Pricing {
        let Some(rules) = &self.rules else {
            return Pricing {
                sell: r.unit_price,
                rule: u32::MAX,
            };
        };
        let (priced, at) = rules.price_cached(
            &crate::pricing::Row {
                market: r.market,
                product_type: r.offer_type,
                publisher: r.publisher,
                category: r.category,
                product_id: r.product_id,
                sku_id: r.sku_id,
                cost: r.unit_price,
                erp: r.erp_price,
                trial: r.free_trial == TRIAL,
            },
            cache,
        );
        Pricing {
            sell: priced.sell,
            rule: at.map_or(u32::MAX, |i| i as u32),
        }
    }

    /// The words of the rule at `rule` (empty for none).
    pub fn rule_words(&self, rule: u32) -> &str {
        self.rule_words
            .get(rule as usize)
            .map_or("", String::as_str)
    }
}
