//! The partner's own prices (issue 20): margin rules on top of Microsoft's price list.
//!
//! A rule marks a price up by a percentage of the unit price or of the ERP price, by a fixed
//! amount, or both, then rounds the way the partner prices. It applies to everything, or to a
//! product type, a publisher, a category, a product or one plan, optionally in one market only.
//!
//! The rule, decided here and only here:
//! - **The most specific rule wins:** plan, then product, then publisher, then category, then
//!   product type, then everything. At the same level a rule limited to the row's market beats
//!   one for every market, and between two rules that still tie, the newer one (higher id) wins.
//! - **Never below cost** unless the rule is a promotion: a rule whose markup is negative is
//!   refused when it is added or imported, and a non-promotional rule never prices a row below
//!   its cost (an ERP basis below cost is priced at cost, then rounded up).
//! - **A trial row stays at 0.**
//! - A rule on the ERP basis prices a row without an ERP price on its unit price.
//!
//! Finding the winner is a handful of hash lookups per row ([`RuleSet::winner`]), not a scan of
//! the rules, so a customer price list costs about what the plain one does.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::fold_name;
use crate::error::Result;
use crate::message::Message;

pub mod file;
pub mod store;

/// What a percentage markup is taken of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum MarkupBasis {
    /// The partner's cost: the price list's unit price.
    #[default]
    Unit,
    /// The ERP (suggested retail) price, where the price list has one.
    Erp,
}

impl MarkupBasis {
    /// `unit` (or nothing) or `erp`, any case.
    pub fn parse(s: &str) -> Result<MarkupBasis> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "unit" => Ok(MarkupBasis::Unit),
            "erp" => Ok(MarkupBasis::Erp),
            other => Err(crate::message::Message::MarkupBasisUnknown {
                value: other.to_string(),
            }
            .into()),
        }
    }
}

/// How a sell price is rounded after the markup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Rounding {
    #[default]
    None,
    /// Up to the next price ending in .99 (12.30 → 12.99).
    Up99,
    /// Up to the next price ending in .95.
    Up95,
    /// Up to the next price ending in .49.
    Up49,
    /// To the nearest 0.05.
    Nearest005,
    /// To the nearest whole unit.
    Nearest1,
}

impl Rounding {
    /// `0.99`, `.95`, `0.49`, `0.05`, `1`, `none`, as typed on the command line or in a file.
    pub fn parse(s: &str) -> Result<Rounding> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix('0').unwrap_or(&t);
        Ok(match t {
            "" | "none" | "no" => Rounding::None,
            ".99" | "99" => Rounding::Up99,
            ".95" | "95" => Rounding::Up95,
            ".49" | "49" => Rounding::Up49,
            ".05" | "05" => Rounding::Nearest005,
            "1" | "1.00" | "1.0" => Rounding::Nearest1,
            _ => {
                return Err(crate::message::Message::RoundingUnknown {
                    value: s.to_string(),
                }
                .into())
            }
        })
    }

    /// The spelling [`Rounding::parse`] reads back.
    pub fn as_str(self) -> &'static str {
        match self {
            Rounding::None => "none",
            Rounding::Up99 => "0.99",
            Rounding::Up95 => "0.95",
            Rounding::Up49 => "0.49",
            Rounding::Nearest005 => "0.05",
            Rounding::Nearest1 => "1",
        }
    }

    /// `price` rounded; never negative. Works in cents so 12.99 stays 12.99.
    pub fn apply(self, price: f64) -> f64 {
        let cents = (price * 100.0).round() as i64;
        let up_to = |ending: i64| {
            let n = (cents - ending + 99).div_euclid(100);
            n * 100 + ending
        };
        let out = match self {
            // To the price sheet's precision (4 places), without the float's noise.
            Rounding::None => return ((price * 10_000.0).round() / 10_000.0).max(0.0),
            Rounding::Up99 => up_to(99),
            Rounding::Up95 => up_to(95),
            Rounding::Up49 => up_to(49),
            Rounding::Nearest005 => ((cents as f64 / 5.0).round() as i64) * 5,
            Rounding::Nearest1 => ((cents as f64 / 100.0).round() as i64) * 100,
        };
        (out.max(0) as f64) / 100.0
    }
}

impl RuleScope {
    /// A scope from its parts, in the order a rules file and the CLI name them.
    pub fn of(
        product_type: Option<String>,
        publisher: Option<String>,
        category: Option<String>,
        product_id: Option<String>,
        sku_id: Option<String>,
        market: Option<String>,
    ) -> RuleScope {
        RuleScope {
            product_type,
            publisher,
            category,
            product_id,
            sku_id,
            market,
        }
    }
}

/// Which rows a rule applies to; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleScope {
    /// A product type, e.g. `SaaS` (any case).
    pub product_type: Option<String>,
    pub publisher: Option<String>,
    pub category: Option<String>,
    pub product_id: Option<String>,
    /// One plan (SKU id) of `product_id`.
    pub sku_id: Option<String>,
    /// Two-letter market code: the rule applies in this market only.
    pub market: Option<String>,
}

/// A margin rule as the partner writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct NewRule {
    /// Percent, e.g. 20 for +20 %.
    pub percent: Option<f64>,
    /// A fixed amount in the market's currency, added after the percentage.
    pub fixed: Option<f64>,
    pub basis: MarkupBasis,
    pub rounding: Rounding,
    #[serde(flatten)]
    pub scope: RuleScope,
    /// May price below cost.
    pub promotion: bool,
}

/// A rule as the app's form holds it: the markup and the amount as typed, read here as the CLI
/// and a rules file read them ([`file::parse_percent`], [`file::parse_amount`]; empty: none).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleForm {
    /// "20%", "20", "-5 %", "12,5" or empty.
    pub percent: String,
    /// "1.50", "-2" or empty.
    pub fixed: String,
    pub basis: MarkupBasis,
    pub rounding: Rounding,
    #[serde(flatten)]
    #[ts(flatten)]
    pub scope: RuleScope,
    pub promotion: bool,
}

impl RuleForm {
    /// The rule, or why a number typed is not one (the rule's own checks come with adding it).
    pub fn rule(&self) -> Result<NewRule> {
        let typed = |s: &str| Some(s.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        Ok(NewRule {
            percent: typed(&self.percent)
                .map(|t| file::parse_percent(&t))
                .transpose()?,
            fixed: typed(&self.fixed)
                .map(|t| file::parse_amount(&t))
                .transpose()?,
            basis: self.basis,
            rounding: self.rounding,
            scope: self.scope.clone(),
            promotion: self.promotion,
        })
    }
}

/// A stored rule, with the id `margins remove` takes.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MarginRule {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub rule: NewRule,
}

impl MarginRule {
    /// The rule in words, for a row's "Rule" column and the Pricing tab.
    pub fn describe(&self) -> String {
        let r = &self.rule;
        let mut parts = vec![];
        if let Some(p) = r.percent {
            let on = match r.basis {
                MarkupBasis::Unit => "",
                MarkupBasis::Erp => " of ERP",
            };
            parts.push(format!("{p:+}%{on}"));
        }
        if let Some(f) = r.fixed {
            parts.push(format!("{f:+}"));
        }
        if r.rounding != Rounding::None {
            parts.push(format!("round {}", r.rounding.as_str()));
        }
        let s = &r.scope;
        let scope = [
            s.sku_id.as_ref().map(|v| format!("plan {v}")),
            s.product_id.as_ref().map(|v| format!("product {v}")),
            s.publisher.as_ref().map(|v| format!("publisher {v}")),
            s.category.as_ref().map(|v| format!("category {v}")),
            s.product_type.as_ref().map(|v| format!("type {v}")),
            s.market.as_ref().map(|v| format!("in {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
        format!(
            "#{} {} · {}{}",
            self.id,
            parts.join(" "),
            if scope.is_empty() {
                "everything".to_string()
            } else {
                scope.join(", ")
            },
            if r.promotion { " · promotion" } else { "" }
        )
    }
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a rule and returns it tidied (trimmed scope, upper-case market). Refused: no markup
/// at all, a markup that is not a number, a plan without its product, a market that is not a
/// two-letter code, and a negative markup that is not marked as a promotion.
pub fn check(rule: &NewRule) -> Result<NewRule> {
    let mut r = rule.clone();
    let s = &rule.scope;
    r.scope = RuleScope {
        product_type: clean(&s.product_type),
        publisher: clean(&s.publisher),
        // An id or a name, any case: kept as the name a price list shows.
        category: clean(&s.category).map(|c| {
            crate::partner_center::categories::display_name(
                &crate::partner_center::categories::resolve(&c),
            )
        }),
        product_id: clean(&s.product_id),
        sku_id: clean(&s.sku_id),
        market: match clean(&s.market) {
            Some(m) => Some(crate::catalog::markets::market_code(&m)?),
            None => None,
        },
    };
    if r.percent.is_none() && r.fixed.is_none() {
        return Err(Message::RuleNeedsMarkup.into());
    }
    for v in [r.percent, r.fixed].into_iter().flatten() {
        if !v.is_finite() || v.abs() > 1_000_000.0 {
            return Err(Message::RuleMarkupUnusable {
                value: v.to_string(),
            }
            .into());
        }
    }
    if r.scope.sku_id.is_some() && r.scope.product_id.is_none() {
        return Err(Message::RulePlanNeedsProduct.into());
    }
    let lowers = r.percent.is_some_and(|p| p < 0.0) || r.fixed.is_some_and(|f| f < 0.0);
    if lowers && !r.promotion {
        return Err(Message::RuleBelowCost.into());
    }
    Ok(r)
}

/// One price-list row as a rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub market: &'a str,
    pub product_type: &'a str,
    pub publisher: &'a str,
    pub category: &'a str,
    pub product_id: &'a str,
    pub sku_id: &'a str,
    /// The partner's cost (the price list's unit price).
    pub cost: f64,
    pub erp: Option<f64>,
    pub trial: bool,
}

/// A row's sell price and the rule that set it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priced<'a> {
    pub sell: f64,
    pub rule: Option<&'a MarginRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Level {
    Plan,
    Product,
    Publisher,
    Category,
    Type,
    All,
}

/// A row's categories: the price list shows them joined by ", ".
fn categories_of(joined: &str) -> impl Iterator<Item = &str> {
    joined.split(", ").map(str::trim).filter(|c| !c.is_empty())
}

/// The rules, indexed for lookups by what they apply to.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<MarginRule>,
    /// (level, key, market or "") → indexes into `rules`, newest last.
    index: HashMap<(Level, String, String), Vec<usize>>,
}

fn key_of(scope: &RuleScope) -> (Level, String) {
    let low = |v: &Option<String>| v.as_deref().unwrap_or_default().to_lowercase();
    if let Some(sku) = &scope.sku_id {
        (
            Level::Plan,
            format!("{}/{}", low(&scope.product_id), sku.to_lowercase()),
        )
    } else if scope.product_id.is_some() {
        (Level::Product, low(&scope.product_id))
    } else if let Some(p) = &scope.publisher {
        (Level::Publisher, fold_name(p))
    } else if scope.category.is_some() {
        (Level::Category, low(&scope.category))
    } else if scope.product_type.is_some() {
        (Level::Type, low(&scope.product_type))
    } else {
        (Level::All, String::new())
    }
}

impl RuleSet {
    pub fn new(mut rules: Vec<MarginRule>) -> RuleSet {
        rules.sort_by_key(|r| r.id);
        let mut index: HashMap<(Level, String, String), Vec<usize>> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            let (level, key) = key_of(&r.rule.scope);
            let market = r.rule.scope.market.clone().unwrap_or_default();
            index.entry((level, key, market)).or_default().push(i);
        }
        RuleSet { rules, index }
    }

    pub fn rules(&self) -> &[MarginRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether every field a rule sets matches the row (a rule may name more than its level).
    fn matches(rule: &RuleScope, row: &Row) -> bool {
        let eq = |want: &Option<String>, have: &str| {
            want.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(have))
        };
        eq(&rule.product_type, row.product_type)
            && rule
                .publisher
                .as_deref()
                .is_none_or(|p| fold_name(p) == fold_name(row.publisher))
            && rule
                .category
                .as_deref()
                .is_none_or(|c| categories_of(row.category).any(|r| r.eq_ignore_ascii_case(c)))
            && eq(&rule.product_id, row.product_id)
            && eq(&rule.sku_id, row.sku_id)
            && eq(&rule.market, row.market)
    }

    /// The rule that prices `row`: the most specific, then the one for its market, then the
    /// newest (see the module doc).
    pub fn winner(&self, row: &Row) -> Option<&MarginRule> {
        if self.rules.is_empty() {
            return None;
        }
        let low = |s: &str| s.to_lowercase();
        let keys = [
            (
                Level::Plan,
                format!("{}/{}", low(row.product_id), low(row.sku_id)),
            ),
            (Level::Product, low(row.product_id)),
            (Level::Publisher, fold_name(row.publisher)),
            (Level::Type, low(row.product_type)),
            (Level::All, String::new()),
        ];
        let categories: Vec<(Level, String)> = categories_of(row.category)
            .map(|c| (Level::Category, low(c)))
            .collect();
        // A row of several categories: any of them (the first listed wins a tie).
        let keys = keys[..3]
            .iter()
            .cloned()
            .chain(categories)
            .chain(keys[3..].iter().cloned());
        let market = row.market.to_ascii_uppercase();
        for (level, key) in keys {
            for m in [market.as_str(), ""] {
                if let Some(ids) = self.index.get(&(level, key.clone(), m.to_string())) {
                    if let Some(&i) = ids
                        .iter()
                        .rev()
                        .find(|&&i| Self::matches(&self.rules[i].rule.scope, row))
                    {
                        return Some(&self.rules[i]);
                    }
                }
            }
        }
        None
    }

    /// The row's sell price under its winning rule (its cost when no rule applies).
    pub fn price<'a>(&'a self, row: &Row) -> Priced<'a> {
        self.price_with(row, self.winner(row))
    }

    /// [`RuleSet::price`] for rows that come plan by plan (a price list): the winner is looked
    /// up once per plan and market, and kept in `cache` for the plan's next rows. Also returns
    /// the winner's place in [`RuleSet::rules`].
    pub fn price_cached<'a>(
        &'a self,
        row: &Row,
        cache: &mut WinnerCache,
    ) -> (Priced<'a>, Option<usize>) {
        if self.rules.is_empty() {
            return (self.price_with(row, None), None);
        }
        let same = cache.key.0 == row.market
            && cache.key.1 == row.product_id
            && cache.key.2 == row.sku_id
            && cache.key.3 == row.publisher
            && cache.filled;
        if !same {
            cache.key.0.clear();
            cache.key.0.push_str(row.market);
            cache.key.1.clear();
            cache.key.1.push_str(row.product_id);
            cache.key.2.clear();
            cache.key.2.push_str(row.sku_id);
            cache.key.3.clear();
            cache.key.3.push_str(row.publisher);
            cache.winner = self
                .winner(row)
                .and_then(|w| self.rules.iter().position(|r| r.id == w.id));
            cache.filled = true;
        }
        let priced = self.price_with(row, cache.winner.map(|i| &self.rules[i]));
        let at = priced.rule.and(cache.winner);
        (priced, at)
    }

    fn price_with<'a>(&'a self, row: &Row, winner: Option<&'a MarginRule>) -> Priced<'a> {
        if row.trial && row.cost == 0.0 {
            return Priced {
                sell: 0.0,
                rule: None,
            };
        }
        let Some(rule) = winner else {
            return Priced {
                sell: row.cost,
                rule: None,
            };
        };
        Priced {
            sell: sell_price(&rule.rule, row.cost, row.erp),
            rule: Some(rule),
        }
    }
}

/// The last plan's winning rule, for [`RuleSet::price_cached`]. The key holds every field a
/// rule's level reads that can change within a plan's rows: market, product, plan, publisher
/// (type and category are the product's).
#[derive(Debug, Default)]
pub struct WinnerCache {
    key: (String, String, String, String),
    winner: Option<usize>,
    filled: bool,
}

/// The sell price `rule` gives a row costing `cost` with ERP price `erp`.
pub fn sell_price(rule: &NewRule, cost: f64, erp: Option<f64>) -> f64 {
    let base = match (rule.basis, erp) {
        (MarkupBasis::Erp, Some(e)) => e,
        _ => cost,
    };
    let mut sell = base * (1.0 + rule.percent.unwrap_or(0.0) / 100.0) + rule.fixed.unwrap_or(0.0);
    if !rule.promotion {
        sell = sell.max(cost);
    }
    rule.rounding.apply(sell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: i64, percent: f64, scope: RuleScope) -> MarginRule {
        MarginRule {
            id,
            rule: NewRule {
                percent: Some(percent),
                scope,
                ..Default::default()
            },
        }
    }

    fn row<'a>(market: &'a str, publisher: &'a str, product: &'a str, sku: &'a str) -> Row<'a> {
        Row {
            market,
            product_type: "SaaS",
            publisher,
            category: "Finance",
            product_id: product,
            sku_id: sku,
            cost: 10.0,
            erp: Some(12.0),
            trial: false,
        }
    }

    #[test]
    fn the_apps_form_reads_its_numbers_as_the_cli_does() {
        let form = |percent: &str, fixed: &str| {
            RuleForm {
                percent: percent.into(),
                fixed: fixed.into(),
                ..Default::default()
            }
            .rule()
        };
        let r = form("20%", "").unwrap();
        assert_eq!((r.percent, r.fixed), (Some(20.0), None));
        let r = form(" 12,5 % ", "1,50").unwrap();
        assert_eq!((r.percent, r.fixed), (Some(12.5), Some(1.5)));
        let r = form("", "-2").unwrap();
        assert_eq!((r.percent, r.fixed), (None, Some(-2.0)));
        let e = form("lots", "").unwrap_err();
        assert_eq!(e.said().unwrap()["code"], "markupNotPercent");
        assert_eq!(
            e.to_string(),
            file::parse_percent("lots").unwrap_err().to_string()
        );
        assert_eq!(
            form("", "1.5.0").unwrap_err().said().unwrap()["code"],
            "notAnAmount"
        );
    }

    #[test]
    fn a_category_rule_matches_any_of_a_rows_categories_by_id_or_name() {
        let by = |c: &str, id: i64, percent: f64| MarginRule {
            id,
            rule: check(&NewRule {
                percent: Some(percent),
                scope: RuleScope {
                    category: Some(c.into()),
                    ..Default::default()
                },
                ..Default::default()
            })
            .unwrap(),
        };
        let set = RuleSet::new(vec![
            by("it-and-management-tools", 1, 10.0),
            by("SECURITY", 2, 20.0),
        ]);
        assert_eq!(
            set.rules()[0].rule.scope.category.as_deref(),
            Some("IT & Management Tools")
        );
        let mut r = row("GB", "Contoso", "P1", "S1");
        r.category = "Security, Containers, IT & Management Tools";
        assert_eq!(
            set.winner(&r).map(|w| w.id),
            Some(2),
            "the row's first category"
        );
        r.category = "Containers, IT & Management Tools";
        assert_eq!(set.winner(&r).map(|w| w.id), Some(1));
        r.category = "Containers";
        assert_eq!(set.winner(&r), None);
    }

    #[test]
    fn rounding_goes_up_to_the_ending_or_to_the_nearest_step() {
        assert_eq!(Rounding::Up99.apply(12.30), 12.99);
        assert_eq!(Rounding::Up99.apply(12.99), 12.99);
        assert_eq!(Rounding::Up99.apply(13.00), 13.99);
        assert_eq!(Rounding::Up95.apply(12.96), 13.95);
        assert_eq!(Rounding::Up49.apply(12.30), 12.49);
        assert_eq!(Rounding::Up49.apply(12.50), 13.49);
        assert_eq!(Rounding::Nearest005.apply(12.32), 12.30);
        assert_eq!(Rounding::Nearest005.apply(12.33), 12.35);
        assert_eq!(Rounding::Nearest1.apply(12.5), 13.0);
        assert_eq!(Rounding::None.apply(12.345), 12.345);
        for (typed, read) in [
            (".99", "0.99"),
            ("0.95", "0.95"),
            ("0.49", "0.49"),
            ("0.05", "0.05"),
            ("1", "1"),
            ("", "none"),
        ] {
            assert_eq!(Rounding::parse(typed).unwrap().as_str(), read);
        }
        assert!(Rounding::parse("0.98").is_err());
    }

    #[test]
    fn the_most_specific_rule_wins_then_the_market_then_the_newest() {
        let set = RuleSet::new(vec![
            rule(1, 10.0, RuleScope::default()),
            rule(
                2,
                20.0,
                RuleScope {
                    publisher: Some("Contoso  Ltd".into()),
                    ..Default::default()
                },
            ),
            rule(
                3,
                30.0,
                RuleScope {
                    publisher: Some("contoso ltd".into()),
                    market: Some("GB".into()),
                    ..Default::default()
                },
            ),
            rule(
                4,
                40.0,
                RuleScope {
                    product_id: Some("P1".into()),
                    sku_id: Some("S1".into()),
                    ..Default::default()
                },
            ),
            rule(
                5,
                15.0,
                RuleScope {
                    product_type: Some("saas".into()),
                    ..Default::default()
                },
            ),
            rule(
                6,
                16.0,
                RuleScope {
                    product_type: Some("saas".into()),
                    ..Default::default()
                },
            ),
        ]);
        let id = |r: Row| set.winner(&r).map(|w| w.id);
        assert_eq!(id(row("US", "Contoso Ltd", "P1", "S1")), Some(4), "plan");
        assert_eq!(id(row("GB", "Contoso Ltd", "P1", "S2")), Some(3), "market");
        assert_eq!(
            id(row("US", "Contoso Ltd", "P1", "S2")),
            Some(2),
            "publisher"
        );
        assert_eq!(
            id(row("US", "Fabrikam", "P9", "S9")),
            Some(6),
            "newest type rule"
        );
        let mut other = row("US", "Fabrikam", "P9", "S9");
        other.product_type = "VM";
        assert_eq!(id(other), Some(1), "everything");
        assert_eq!(RuleSet::new(vec![]).winner(&other), None);
    }

    #[test]
    fn prices_never_fall_below_cost_unless_a_promotion_and_trials_stay_free() {
        let up = NewRule {
            percent: Some(20.0),
            rounding: Rounding::Up99,
            ..Default::default()
        };
        assert_eq!(sell_price(&up, 10.0, None), 12.99);
        let erp = NewRule {
            basis: MarkupBasis::Erp,
            fixed: Some(0.5),
            ..Default::default()
        };
        assert_eq!(sell_price(&erp, 10.0, Some(12.0)), 12.5);
        assert_eq!(sell_price(&erp, 10.0, None), 10.5, "no ERP: the unit price");
        assert_eq!(
            sell_price(&erp, 10.0, Some(8.0)),
            10.0,
            "an ERP below cost: cost"
        );
        let cut = NewRule {
            percent: Some(-10.0),
            ..Default::default()
        };
        let e = check(&cut).unwrap_err();
        assert!(e.to_string().contains("below cost"), "{e}");
        let promo = NewRule {
            promotion: true,
            ..cut
        };
        assert_eq!(sell_price(&check(&promo).unwrap(), 10.0, None), 9.0);
        let set = RuleSet::new(vec![rule(1, 50.0, RuleScope::default())]);
        let mut trial = row("US", "A", "P", "S");
        trial.cost = 0.0;
        trial.trial = true;
        assert_eq!(set.price(&trial).sell, 0.0);
        assert!(check(&NewRule::default()).is_err(), "no markup");
        assert!(check(&NewRule {
            percent: Some(5.0),
            scope: RuleScope {
                sku_id: Some("S".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .is_err());
    }
}
