//! `cspdesk prices …`: fetch a day's snapshot, export the price list, show changes.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use cspdesk_core::catalog::query::{OfferFilter, PublisherFilter};
use cspdesk_core::catalog::OfferType;
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::pricelist::{self, diff::ChangeKind, ExportRequest};
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// saas, vm, container or azure-app (repeatable).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Category id or name (repeatable: any of them).
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,
    /// microsoft, partner, or a publisher's name.
    #[arg(long)]
    pub publisher: Option<String>,
    /// Words to find in title, publisher or description.
    #[arg(long)]
    pub search: Option<String>,
    /// Only offers with a free trial.
    #[arg(long)]
    pub trial: bool,
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<OfferFilter> {
        let mut types = Vec::new();
        for t in &self.types {
            types.push(OfferType::parse(t).ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown offer type `{t}`: use saas, vm, container or azure-app"
                ))
            })?);
        }
        Ok(OfferFilter {
            types,
            categories: self.categories.clone(),
            publisher: self
                .publisher
                .as_deref()
                .map(PublisherFilter::parse)
                .unwrap_or_default(),
            trial_only: self.trial,
            search: self.search.clone().unwrap_or_default(),
        })
    }
}

#[derive(Subcommand, Debug)]
// A command line is parsed once per process: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum PricesCmd {
    /// Download today's marketplace price sheet and keep it as the day's snapshot.
    Fetch {
        /// Default: the settings' markets.
        #[arg(long, value_name = "CC[,CC…]")]
        market: Option<String>,
        /// Count and report bad rows instead of failing on the first.
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Export the price list (free trials as two rows) to .xlsx or .csv.
    Export {
        /// Default: the settings' markets.
        #[arg(long, value_name = "CC[,CC…]")]
        market: Option<String>,
        #[arg(long, default_value = "xlsx", value_name = "xlsx|csv")]
        format: String,
        /// Default: pricelist-<markets>-<date>.<format> in the settings' export folder.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Start the CSV with a byte-order mark, for Excel.
        #[arg(long)]
        bom: bool,
        #[arg(long)]
        skip_bad_rows: bool,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        customer: CustomerArgs,
    },
    /// Changes between two snapshots: new, removed, price increases and decreases.
    Diff {
        #[arg(long)]
        market: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<NaiveDate>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<NaiveDate>,
        /// Also write the changes to this .xlsx or .csv file (by extension).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Customers touched by price changes: the changes of each market's newest snapshot
    /// matched against the plans held in active subscriptions, removed plans first, then by
    /// next renewal.
    Impact {
        /// Default: the settings' markets.
        #[arg(long, value_name = "CC[,CC…]")]
        market: Option<String>,
        /// Compare with the snapshot this many days before the newest (default: the one before).
        #[arg(long, value_name = "N")]
        days: Option<u32>,
        /// Also write the list to this .xlsx or .csv file (by extension).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

pub async fn run(g: &Global, cmd: PricesCmd) -> Result<()> {
    let conn = g.connect().await?;
    match cmd {
        PricesCmd::Fetch {
            market,
            skip_bad_rows,
        } => {
            let market = g.markets_or_default(market);
            let mut out = Vec::new();
            for m in pricelist::parse_markets(&market)? {
                let taken = pricelist::take_snapshot(&conn, &m, skip_bad_rows, None).await?;
                report_bad_rows(&m, &taken.bad_rows);
                if !g.json {
                    println!("{m}: {} price rows kept as today's snapshot", taken.rows);
                }
                out.push(taken);
            }
            if g.json {
                output::json(&out)?;
            }
            Ok(())
        }
        PricesCmd::Export {
            market,
            format,
            out,
            bom,
            skip_bad_rows,
            filters,
            customer,
        } => {
            let markets = pricelist::parse_markets(&g.markets_or_default(market))?;
            let customer = customer.export();
            let out = match out {
                Some(out) => out,
                None => {
                    let dir = g.settings().export_dir();
                    std::fs::create_dir_all(&dir).map_err(|e| {
                        cspdesk_core::Error::io(format!("creating {}", dir.display()), e)
                    })?;
                    let format = ExportFormat::parse(&format)?;
                    let day = conn.now().date_naive();
                    let name = match customer {
                        Some(_) => pricelist::customer_export_name(&markets, day),
                        None => pricelist::export_name(&markets, day),
                    };
                    dir.join(format!("{name}.{}", format.ext()))
                }
            };
            let req = ExportRequest {
                markets,
                format: ExportFormat::parse(&format)?,
                out,
                bom,
                filter: filters.to_filter()?,
                skip_bad_rows,
                day: None,
                customer,
            };
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {pos} rows ({per_sec})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("exporting");
            let cancel = AtomicBool::new(false);
            let progress = |n: u64| bar.set_position(n);
            let result = pricelist::export(&conn, &req, &cancel, &progress).await;
            bar.finish_and_clear();
            let report = result?;
            for m in &report.markets {
                report_bad_rows(&m.market, &m.bad_rows);
            }
            if g.json {
                return output::json(&report);
            }
            println!("{} rows written to {}", report.rows, report.path.display());
            Ok(())
        }
        PricesCmd::Impact { market, days, out } => {
            let markets = pricelist::parse_markets(&g.markets_or_default(market))?;
            let report = pricelist::impact::impact(&conn, &markets, days).await?;
            if let Some(path) = &out {
                let format = ExportFormat::parse(
                    path.extension().and_then(|e| e.to_str()).unwrap_or("csv"),
                )?;
                cspdesk_core::tabular::write(
                    path,
                    format,
                    &[pricelist::impact::table(&report.rows)],
                )?;
            }
            for s in &report.skipped {
                eprintln!("skipped {s}");
            }
            if g.json {
                return output::json(&report.rows);
            }
            for s in &report.spans {
                eprintln!(
                    "{}: {} changes from {} to {}",
                    s.market, s.changes, s.from, s.to
                );
            }
            let rows: Vec<Vec<String>> = report
                .rows
                .iter()
                .map(|r| {
                    let money = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
                    vec![
                        r.renewal
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                        r.customer_name.clone(),
                        r.subscription.clone(),
                        format!("{} / {}", r.change.product, r.change.plan),
                        r.change.kind.label().into(),
                        format!(
                            "{} → {} {}",
                            money(r.change.old_price),
                            money(r.change.new_price),
                            r.change.currency
                        ),
                        r.change
                            .percent
                            .map(|p| format!("{p:+.1}%"))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            output::table(
                &[
                    "RENEWAL",
                    "CUSTOMER",
                    "SUBSCRIPTION",
                    "PRODUCT / PLAN",
                    "CHANGE",
                    "PRICE",
                    "PERCENT",
                ],
                &rows,
            );
            eprintln!("{} subscriptions touched", report.rows.len());
            Ok(())
        }
        PricesCmd::Diff {
            market,
            from,
            to,
            out,
        } => {
            let report = pricelist::changes(&conn, &market, from, to)?;
            if let Some(path) = &out {
                write_changes_csv(path, &report.changes)?;
            }
            if g.json {
                return output::json(&report);
            }
            println!(
                "{}: changes from {} to {}",
                report.market, report.from, report.to
            );
            let rows: Vec<Vec<String>> = report
                .changes
                .iter()
                .map(|c| {
                    let money = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
                    vec![
                        c.kind.label().into(),
                        c.product_id.clone(),
                        c.product.clone(),
                        c.sku_id.clone(),
                        format!("{} {}", c.term, c.billing_plan),
                        money(c.old_price),
                        money(c.new_price),
                        c.amount
                            .map(|a| format!("{a:+.2} {}", c.currency))
                            .unwrap_or_default(),
                        c.percent.map(|p| format!("{p:+.1}%")).unwrap_or_default(),
                    ]
                })
                .collect();
            output::table(
                &[
                    "CHANGE",
                    "PRODUCT ID",
                    "PRODUCT",
                    "SKU",
                    "TERM",
                    "OLD",
                    "NEW",
                    "AMOUNT",
                    "PERCENT",
                ],
                &rows,
            );
            let count = |k: ChangeKind| report.changes.iter().filter(|c| c.kind == k).count();
            eprintln!(
                "{} new, {} removed, {} increases, {} decreases",
                count(ChangeKind::New),
                count(ChangeKind::Removed),
                count(ChangeKind::Increase),
                count(ChangeKind::Decrease)
            );
            Ok(())
        }
    }
}

fn report_bad_rows(market: &str, bad: &[cspdesk_core::pricelist::sheet::BadRow]) {
    if bad.is_empty() {
        return;
    }
    eprintln!(
        "warning: {market}: skipped {} bad rows in the price sheet:",
        bad.len()
    );
    for b in bad.iter().take(20) {
        eprintln!("  {b}");
    }
    if bad.len() > 20 {
        eprintln!("  … and {} more", bad.len() - 20);
    }
}

fn write_changes_csv(
    path: &std::path::Path,
    changes: &[cspdesk_core::pricelist::diff::PriceChange],
) -> Result<()> {
    let format = ExportFormat::parse(path.extension().and_then(|e| e.to_str()).unwrap_or("csv"))?;
    cspdesk_core::tabular::write(
        path,
        format,
        &[cspdesk_core::pricelist::diff::changes_table(changes)],
    )?;
    Ok(())
}

/// `prices export --customer-prices …`: the customer's price list (issue 20).
#[derive(clap::Args, Debug)]
pub struct CustomerArgs {
    /// Write a customer price list: the partner's sell prices (the margin rules applied) in
    /// the `Unit price` column, no cost or ERP columns, a header block above the table.
    #[arg(long)]
    customer_prices: bool,
    /// With --customer-prices: add the cost, ERP price, margin and rule columns (for the
    /// account manager, not for the customer).
    #[arg(long)]
    internal: bool,
    /// The customer's name, in the header block.
    #[arg(long, value_name = "NAME")]
    customer: Option<String>,
    /// The partner's name, in the header block.
    #[arg(long, value_name = "NAME")]
    partner: Option<String>,
    /// Days the prices hold, from today (default 30).
    #[arg(long, value_name = "DAYS")]
    valid_days: Option<u32>,
    /// Price with the rules in this TOML or CSV file instead of the stored ones (implies
    /// --customer-prices).
    #[arg(long, value_name = "FILE")]
    margin: Option<PathBuf>,
}

impl CustomerArgs {
    fn export(self) -> Option<pricelist::CustomerExport> {
        let wanted = self.customer_prices || self.margin.is_some() || self.internal;
        wanted.then(|| pricelist::CustomerExport {
            list: pricelist::layout::CustomerList {
                customer: self.customer.unwrap_or_default(),
                partner: self.partner.unwrap_or_default(),
                valid_days: self
                    .valid_days
                    .unwrap_or(pricelist::layout::DEFAULT_VALID_DAYS),
                internal: self.internal,
            },
            rules_file: self.margin,
        })
    }
}
