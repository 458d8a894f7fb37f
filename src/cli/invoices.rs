//! `cspdesk invoices …`: invoices with their billing-period rule, marketplace line items, export.

use std::path::PathBuf;

use clap::Subcommand;

use cspdesk_core::billing::{self, LineFilter};
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::Result;

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum InvoicesCmd {
    /// Invoices, newest first, each with its billing period in words.
    List {
        /// Only invoices with lines for this customer (id or name).
        #[arg(long)]
        customer: Option<String>,
    },
    /// One invoice's marketplace line items (`unbilled` for the current period,
    /// `unbilled-last` for the previous one). Recent invoices are exported by Microsoft Graph,
    /// which can take minutes; a billed invoice is read once, then kept locally.
    Show {
        invoice_id: String,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        publisher: Option<String>,
        #[arg(long)]
        product: Option<String>,
        /// Write the lines to a .xlsx or .csv file (by extension).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

pub async fn run(g: &Global, cmd: InvoicesCmd) -> Result<()> {
    let conn = g.connect().await?;
    match cmd {
        InvoicesCmd::List { customer } => {
            let mut invoices = billing::invoices(&conn.client).await?;
            if let Some(c) = &customer {
                let filter = LineFilter {
                    customer: Some(c.clone()),
                    ..Default::default()
                };
                let mut keep = Vec::new();
                for inv in invoices {
                    if !billing::line_items(&conn.client, &inv.id, &filter)
                        .await?
                        .is_empty()
                    {
                        keep.push(inv);
                    }
                }
                invoices = keep;
            }
            if g.json {
                let out: Vec<serde_json::Value> = invoices
                    .iter()
                    .map(|i| {
                        let mut v = serde_json::to_value(i).unwrap_or_default();
                        if let (Some(o), Some(p)) =
                            (v.as_object_mut(), billing::period_of_invoice(i))
                        {
                            o.insert(
                                "billingPeriod".into(),
                                serde_json::to_value(p).unwrap_or_default(),
                            );
                        }
                        v
                    })
                    .collect();
                return output::json(&out);
            }
            let rows: Vec<Vec<String>> = invoices
                .iter()
                .map(|i| {
                    vec![
                        i.id.clone(),
                        i.invoice_date
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                        format!("{:.2} {}", i.total_charges.unwrap_or(0.0), i.currency_code),
                        billing::period_of_invoice(i)
                            .map(|p| p.label)
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            output::table(&["INVOICE", "DATE", "TOTAL", "BILLING PERIOD"], &rows);
            let current = billing::period_of(conn.now().date_naive());
            eprintln!(
                "Current period (unbilled, `cspdesk invoices show unbilled`): {}",
                current.label
            );
            Ok(())
        }
        InvoicesCmd::Show {
            invoice_id,
            customer,
            publisher,
            product,
            out,
        } => {
            let invoice_id = billing::invoice_id(&invoice_id)?;
            let filter = LineFilter::new(customer, publisher, product);
            let progress = |p: billing::ExportProgress| {
                eprintln!("{}", billing::describe_progress(&p));
            };
            let got = billing::fetch_lines(
                &conn.client,
                Some(&conn.store),
                &invoice_id,
                &Default::default(),
                &progress,
            )
            .await?;
            eprintln!(
                "Lines from {}{}",
                got.route.label(),
                if got.cached { " (kept locally)" } else { "" }
            );
            let mut lines = got.lines;
            lines.retain(|l| filter.matches(l));
            if let Some(path) = &out {
                let format = ExportFormat::parse(
                    path.extension().and_then(|e| e.to_str()).unwrap_or("csv"),
                )?;
                let n = billing::export_lines(path, format, &invoice_id, &lines)?;
                eprintln!("{n} lines written to {}", path.display());
            }
            if g.json {
                return output::json(&lines);
            }
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        l.customer_name.clone(),
                        l.publisher_name.clone(),
                        format!("{} — {}", l.product_name, l.sku_name),
                        if l.is_trial() {
                            format!("{} (trial)", l.charge_type)
                        } else {
                            l.charge_type.clone()
                        },
                        format!("{}", l.quantity.unwrap_or(0.0)),
                        format!(
                            "{:.2} {}",
                            l.total_for_customer.or(l.subtotal).unwrap_or(0.0),
                            l.currency
                        ),
                    ]
                })
                .collect();
            output::table(
                &["CUSTOMER", "PUBLISHER", "PRODUCT", "CHARGE", "QTY", "TOTAL"],
                &rows,
            );
            Ok(())
        }
    }
}
