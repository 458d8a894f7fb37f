//! `cspdesk margins …`: the partner's margin rules, kept in the local store (issue 20).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use cspdesk_core::connection::open_store;
use cspdesk_core::pricing::{self, file, MarkupBasis, NewRule, Rounding, RuleScope};
use cspdesk_core::Result;

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum MarginsCmd {
    /// Add a rule: a markup (a percentage, a fixed amount, or both) and a rounding, for
    /// everything or for a product type, publisher, category, product or plan, in one market
    /// or all. The most specific rule prices a row.
    Add(Box<AddRule>),
    /// Every rule, with its id.
    List,
    /// Remove rule ID.
    Remove { id: i64 },
    /// Replace every rule with those of FILE (.toml or .csv); a bad file changes nothing.
    Import { file: PathBuf },
    /// Write every rule to FILE (.toml or .csv).
    Export { file: PathBuf },
}

#[derive(Args, Debug)]
pub struct AddRule {
    /// A percentage, e.g. 20%.
    #[arg(long, allow_hyphen_values = true)]
    markup: Option<String>,
    /// An amount added after the percentage, in the market's currency.
    #[arg(long, allow_hyphen_values = true)]
    fixed: Option<f64>,
    /// What the percentage is taken of: unit (the cost) or erp.
    #[arg(long, default_value = "unit")]
    on: String,
    /// 0.99, 0.95, 0.49 (up to that ending), 0.05 or 1 (to the nearest), or none.
    #[arg(long, default_value = "none")]
    round: String,
    #[arg(long = "type")]
    product_type: Option<String>,
    #[arg(long)]
    publisher: Option<String>,
    #[arg(long)]
    category: Option<String>,
    #[arg(long)]
    product: Option<String>,
    /// One plan of --product.
    #[arg(long)]
    sku: Option<String>,
    /// Only in this market.
    #[arg(long)]
    market: Option<String>,
    /// May sell below cost.
    #[arg(long)]
    promotion: bool,
}

pub fn run(g: &Global, cmd: MarginsCmd) -> Result<()> {
    let (_, store) = open_store(&g.connect_options())?;
    match cmd {
        MarginsCmd::Add(add) => {
            let AddRule {
                markup,
                fixed,
                on,
                round,
                product_type,
                publisher,
                category,
                product,
                sku,
                market,
                promotion,
            } = *add;
            let rule = NewRule {
                percent: markup.as_deref().map(file::parse_percent).transpose()?,
                fixed,
                basis: MarkupBasis::parse(&on)?,
                rounding: Rounding::parse(&round)?,
                scope: RuleScope::of(product_type, publisher, category, product, sku, market),
                promotion,
            };
            let added = pricing::store::add(&store, &rule)?;
            if g.json {
                return output::json(&added);
            }
            println!("Added {}", added.describe());
            Ok(())
        }
        MarginsCmd::List => {
            let rules = pricing::store::list(&store)?;
            if g.json {
                return output::json(&rules);
            }
            if rules.is_empty() {
                println!("No margin rules: the price list is at cost. Add one with `cspdesk margins add --markup 20%`.");
            }
            for r in &rules {
                println!("{}", r.describe());
            }
            Ok(())
        }
        MarginsCmd::Remove { id } => {
            pricing::store::remove(&store, id)?;
            if !g.json {
                println!("Removed rule #{id}.");
            }
            Ok(())
        }
        MarginsCmd::Import { file: path } => {
            let rules = file::read(&path)?;
            let now = pricing::store::replace_all(&store, &rules)?;
            if g.json {
                return output::json(&now);
            }
            println!(
                "{} rules read from {}; they replace the earlier rules.",
                now.len(),
                path.display()
            );
            Ok(())
        }
        MarginsCmd::Export { file: path } => {
            let rules = pricing::store::list(&store)?;
            file::write(&path, &rules)?;
            if !g.json {
                println!("{} rules written to {}.", rules.len(), path.display());
            }
            Ok(())
        }
    }
}
