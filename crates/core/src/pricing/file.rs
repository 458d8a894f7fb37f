//! Margin rules as a small file a team can share: TOML (`[[rule]]` tables) or CSV (one rule a
//! row), chosen by the file's extension. Reading names the line (and for CSV the column) of
//! anything it cannot use, and reads nothing into the store until the whole file is good.
//!
//! ```toml
//! [[rule]]
//! markup = "20%"      # a percentage; `fixed = 1.50` adds an amount (both may be set)
//! on = "unit"         # or "erp": the percentage of the ERP price
//! round = "0.99"      # 0.99 | 0.95 | 0.49 | 0.05 | 1 | none
//! type = "SaaS"       # and/or publisher, category, product, sku, market
//! promotion = false   # true lets the rule sell below cost
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{check, MarginRule, MarkupBasis, NewRule, Rounding, RuleScope};
use crate::error::{Error, Result};
use crate::message::Message;

/// One rule as the file spells it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Spelled {
    #[serde(skip_serializing_if = "Option::is_none")]
    markup: Option<Markup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    round: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    product_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    promotion: bool,
}

/// `"20%"`, `"20"` or `20`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
enum Markup {
    Number(f64),
    Text(String),
}

/// A percentage as typed: `20%`, `20`, `-5 %`, `12,5%` (a decimal comma).
pub fn parse_percent(s: &str) -> Result<f64> {
    number(s.trim().trim_end_matches('%'))
        .ok_or_else(|| Message::MarkupNotPercent { value: s.into() }.into())
}

/// An amount as typed: `1.50`, `-2`, `1,5` (a decimal comma).
pub fn parse_amount(s: &str) -> Result<f64> {
    number(s).ok_or_else(|| Message::NotAnAmount { value: s.into() }.into())
}

/// A finite number, with a point or one decimal comma.
fn number(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = if t.contains('.') {
        t.to_string()
    } else {
        t.replacen(',', ".", 1)
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Spelled {
    fn rule(self) -> Result<NewRule> {
        let percent = match self.markup {
            None => None,
            Some(Markup::Number(n)) => Some(n),
            Some(Markup::Text(t)) => Some(parse_percent(&t)?),
        };
        let basis = MarkupBasis::parse(self.on.as_deref().unwrap_or_default())?;
        check(&NewRule {
            percent,
            fixed: self.fixed,
            basis,
            rounding: Rounding::parse(self.round.as_deref().unwrap_or(""))?,
            scope: RuleScope {
                product_type: self.product_type,
                publisher: self.publisher,
                category: self.category,
                product_id: self.product,
                sku_id: self.sku,
                market: self.market,
            },
            promotion: self.promotion,
        })
    }

    fn of(r: &NewRule) -> Spelled {
        let s = r.scope.clone();
        Spelled {
            markup: r.percent.map(|p| Markup::Text(format!("{p}%"))),
            fixed: r.fixed,
            on: (r.basis == MarkupBasis::Erp).then(|| "erp".into()),
            round: (r.rounding != Rounding::None).then(|| r.rounding.as_str().into()),
            product_type: s.product_type,
            publisher: s.publisher,
            category: s.category,
            product: s.product_id,
            sku: s.sku_id,
            market: s.market,
            promotion: r.promotion,
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<Spelled>>,
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Read the rules of a TOML text; `what` names it in errors.
pub fn from_toml(text: &str, what: &str) -> Result<Vec<NewRule>> {
    let file: TomlFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        Error::from(Message::RulesFileLine {
            file: what.into(),
            line,
            why: Box::new(Message::Verbatim {
                text: e.message().into(),
            }),
        })
    })?;
    file.rule
        .into_iter()
        .map(|spanned| {
            let line = line_of(text, spanned.span().start);
            spanned.into_inner().rule().map_err(|e| {
                Error::from(Message::RulesFileRule {
                    file: what.into(),
                    line,
                    why: Box::new(Message::of(&e)),
                })
            })
        })
        .collect()
}

const CSV_HEADER: [&str; 11] = [
    "markup",
    "fixed",
    "on",
    "round",
    "type",
    "publisher",
    "category",
    "product",
    "sku",
    "market",
    "promotion",
];

/// Read the rules of a CSV text (a header row naming the columns, any order); `what` names it.
pub fn from_csv(text: &str, what: &str) -> Result<Vec<NewRule>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| {
            Error::from(Message::RulesFileLine {
                file: what.into(),
                line: 1,
                why: Box::new(Message::Verbatim {
                    text: e.to_string(),
                }),
            })
        })?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    if let Some(unknown) = header
        .iter()
        .position(|h| !CSV_HEADER.iter().any(|k| k.eq_ignore_ascii_case(h)))
    {
        return Err(Message::RulesFileColumnUnknown {
            file: what.into(),
            column: unknown + 1,
            name: header[unknown].to_string(),
            columns: CSV_HEADER.join(", "),
        }
        .into());
    }
    let mut out = vec![];
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            Error::from(Message::RulesFileUnreadable {
                file: what.into(),
                why: e.to_string(),
            })
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |name: &str| {
            col(name)
                .and_then(|i| rec.get(i))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        let at = |name: &str, why: Message| {
            let why = Box::new(why);
            Error::from(match col(name) {
                Some(i) => Message::RulesFileCell {
                    file: what.into(),
                    line: line as usize,
                    column: i + 1,
                    why,
                },
                None => Message::RulesFileLine {
                    file: what.into(),
                    line: line as usize,
                    why,
                },
            })
        };
        let fixed = match get("fixed") {
            Some(f) => Some(
                parse_amount(&f)
                    .map_err(|_| at("fixed", Message::NotAnAmount { value: f.clone() }))?,
            ),
            None => None,
        };
        let promotion = match get("promotion").map(|p| p.to_ascii_lowercase()) {
            None => false,
            Some(p) if ["yes", "true", "1", "y"].contains(&p.as_str()) => true,
            Some(p) if ["no", "false", "0", "n"].contains(&p.as_str()) => false,
            Some(p) => return Err(at("promotion", Message::NotYesNo { value: p })),
        };
        let spelled = Spelled {
            markup: get("markup").map(Markup::Text),
            fixed,
            on: get("on"),
            round: get("round"),
            product_type: get("type"),
            publisher: get("publisher"),
            category: get("category"),
            product: get("product"),
            sku: get("sku"),
            market: get("market"),
            promotion,
        };
        out.push(spelled.rule().map_err(|e| {
            Error::from(Message::RulesFileLine {
                file: what.into(),
                line: line as usize,
                why: Box::new(Message::of(&e)),
            })
        })?);
    }
    Ok(out)
}

/// Read a rules file (`.csv`, else TOML).
pub fn read(path: &Path) -> Result<Vec<NewRule>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let what = path.display().to_string();
    if is_csv(path) {
        from_csv(&text, &what)
    } else {
        from_toml(&text, &what)
    }
}

/// The rules as TOML.
pub fn to_toml(rules: &[MarginRule]) -> Result<String> {
    let file = TomlFile {
        rule: rules
            .iter()
            .map(|r| toml::Spanned::new(0..0, Spelled::of(&r.rule)))
            .collect(),
    };
    let body = toml::to_string(&file)
        .map_err(|e| Error::Internal(format!("writing the rules as TOML: {e}")))?;
    Ok(format!(
        "# CSP Desk margin rules (cspdesk margins import FILE)\n{body}"
    ))
}

/// The rules as CSV.
pub fn to_csv(rules: &[MarginRule]) -> Result<String> {
    let mut w = csv::Writer::from_writer(vec![]);
    let err = |e: csv::Error| Error::Internal(format!("writing the rules as CSV: {e}"));
    w.write_record(CSV_HEADER).map_err(err)?;
    for r in rules {
        let s = Spelled::of(&r.rule);
        let text = |v: Option<String>| v.unwrap_or_default();
        w.write_record([
            r.rule.percent.map(|p| format!("{p}%")).unwrap_or_default(),
            s.fixed.map(|f| f.to_string()).unwrap_or_default(),
            text(s.on),
            text(s.round),
            text(s.product_type),
            text(s.publisher),
            text(s.category),
            text(s.product),
            text(s.sku),
            text(s.market),
            if s.promotion {
                "yes".into()
            } else {
                String::new()
            },
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("writing the rules as CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Write the rules to `path` (`.csv`, else TOML), through a temporary file renamed into place.
pub fn write(path: &Path, rules: &[MarginRule]) -> Result<()> {
    let text = if is_csv(path) {
        to_csv(rules)?
    } else {
        to_toml(rules)?
    };
    let tmp = crate::tabular::temp_beside(path)?;
    std::fs::write(tmp.path(), text)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    crate::tabular::persist(tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
# a team's rules
[[rule]]
markup = "20%"
round = "0.99"

[[rule]]
markup = 35
on = "erp"
publisher = "Contoso"
market = "gb"

[[rule]]
fixed = -2
product = "P1"
sku = "S1"
promotion = true
"#;

    fn stored(rules: Vec<NewRule>) -> Vec<MarginRule> {
        rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| MarginRule {
                id: i as i64 + 1,
                rule,
            })
            .collect()
    }

    #[test]
    fn toml_and_csv_read_back_what_they_write() {
        let rules = from_toml(TOML, "rules.toml").unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].percent, Some(20.0));
        assert_eq!(rules[0].rounding, Rounding::Up99);
        assert_eq!(rules[1].basis, MarkupBasis::Erp);
        assert_eq!(rules[1].scope.market.as_deref(), Some("GB"));
        assert!(rules[2].promotion && rules[2].fixed == Some(-2.0));
        let again = from_toml(&to_toml(&stored(rules.clone())).unwrap(), "x").unwrap();
        assert_eq!(again, rules);
        let csv = to_csv(&stored(rules.clone())).unwrap();
        assert_eq!(from_csv(&csv, "x").unwrap(), rules);
    }

    #[test]
    fn a_bad_file_names_the_line() {
        let bad = TOML.replace("round = \"0.99\"", "round = \"0.98\"");
        let e = from_toml(&bad, "rules.toml").unwrap_err().to_string();
        assert!(e.contains("rules.toml, the rule at line 3"), "{e}");
        assert!(e.contains("0.98"), "{e}");
        let e = from_toml("[[rule]]\nmarkup = \"20%\"\ncolour = \"red\"\n", "r.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        let e = from_toml("[[rule]]\nmarkup = -5\n", "r.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("below cost") && e.contains("line 1"), "{e}");
        let e = from_csv("markup,fixed\n20%,\n10%,abc\n", "r.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.csv, line 3, column 2"), "{e}");
        let e = from_csv("markup,colour\n20%,red\n", "r.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1, column 2"), "{e}");
    }

    #[test]
    fn a_bad_file_is_said_as_codes_with_the_line_and_column() {
        let bad = TOML.replace("round = \"0.99\"", "round = \"0.98\"");
        let e = from_toml(&bad, "rules.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "rules.toml, the rule at line 3: `0.98` is not a rounding: use 0.99, 0.95, 0.49, 0.05, 1 or none"
        );
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "rulesFileRule", "params": {"file": "rules.toml", "line": 3,
                "why": {"code": "roundingUnknown", "params": {"value": "0.98"}}}})
        );
        let e = from_csv("markup,fixed\n20%,\n10%,abc\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv, line 3, column 2: `abc` is not an amount"
        );
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "rulesFileCell", "params": {"file": "r.csv", "line": 3, "column": 2,
                "why": {"code": "notAnAmount", "params": {"value": "abc"}}}})
        );
        let e = from_csv("markup,promotion\n20%,maybe\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv, line 2, column 2: `maybe` is not yes or no"
        );
        let e = from_csv("markup,colour\n20%,red\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv, line 1, column 2: `colour` is not a rule column \
             (use markup, fixed, on, round, type, publisher, category, product, sku, market, promotion)"
        );
        assert_eq!(e.said().unwrap()["code"], "rulesFileColumnUnknown");
        let e = from_csv("markup,on\n20%,list\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv, line 2: `list`: a markup is taken of the unit price (unit) or the ERP price (erp)"
        );
        assert_eq!(
            e.said().unwrap()["params"]["why"]["code"],
            "markupBasisUnknown"
        );
        let e = from_csv("markup\nlots\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv, line 2: `lots` is not a markup: write a percentage such as 20%"
        );
        // The parser's own words are data: passed on as they are.
        let e = from_toml("[[rule]]\nmarkup = \"20%\"\ncolour = \"red\"\n", "r.toml").unwrap_err();
        assert_eq!(e.said().unwrap()["code"], "rulesFileLine");
        assert_eq!(e.said().unwrap()["params"]["why"]["code"], "verbatim");
    }
}
