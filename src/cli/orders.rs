//! `cspdesk orders …`: buy marketplace SaaS for a customer; list the orders journal.

use clap::Subcommand;

use cspdesk_core::orders::{self, PurchaseRequest};
use cspdesk_core::partner_center::models::BillingCycle;
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum OrdersCmd {
    /// Check, then place an order: cart + checkout. Prints the order, its activation link and cancellation deadline.
    Create {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        sku: String,
        #[arg(long)]
        availability: Option<String>,
        #[arg(long)]
        quantity: Option<u32>,
        /// P1M or P1Y.
        #[arg(long)]
        term: Option<String>,
        /// monthly or annual.
        #[arg(long)]
        billing: Option<String>,
        /// Start the plan's free trial.
        #[arg(long)]
        trial: bool,
        /// Only check and show the review; place nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Orders placed from this app (the local journal), after reconciling unknown outcomes.
    List {
        #[arg(long)]
        customer: Option<String>,
    },
}

pub async fn run(g: &Global, cmd: OrdersCmd) -> Result<()> {
    let conn = g.connect().await?;
    let settled = orders::reconcile(&conn).await?;
    for e in &settled {
        eprintln!(
            "journal entry {} reconciled with Partner Center: {}",
            e.id,
            e.state.as_str()
        );
    }
    match cmd {
        OrdersCmd::Create {
            customer,
            product,
            sku,
            availability,
            quantity,
            term,
            billing,
            trial,
            dry_run,
        } => {
            let billing = match billing.as_deref() {
                None => None,
                Some(b) => match BillingCycle::from_wire(b) {
                    BillingCycle::Unknown(x) => {
                        return Err(Error::Invalid(format!(
                            "unknown billing cycle `{x}`: use monthly or annual"
                        )))
                    }
                    known => Some(known),
                },
            };
            let req = PurchaseRequest {
                customer_id: customer,
                product_id: product,
                sku_id: sku,
                availability_id: availability,
                quantity,
                term,
                billing,
                trial,
            };
            let review = orders::review(&conn, &req).await?;
            if dry_run {
                return if g.json {
                    output::json(&review)
                } else {
                    print_review(&review);
                    Ok(())
                };
            }
            if !g.json {
                print_review(&review);
            }
            let c = orders::place(&conn, &review).await?;
            if g.json {
                return output::json(&c);
            }
            println!("\nOrder {} placed: status {}", c.order.id, c.order.status);
            for l in &c.order.line_items {
                println!(
                    "  line {}: {} × {} ({})",
                    l.line_item_number,
                    l.quantity,
                    l.friendly_name.clone().unwrap_or_default(),
                    l.offer_id
                );
            }
            match &c.activation_link {
                Some(l) => println!(
                    "Activation link (valid until {}): {}",
                    l.expires_at.format("%Y-%m-%d %H:%M UTC"),
                    l.uri
                ),
                None => println!(
                    "Activation link: not available yet; run `cspdesk activation-link` later"
                ),
            }
            if let Some(d) = c.cancellation_allowed_until {
                println!("Can be cancelled until {}", d.format("%Y-%m-%d %H:%M UTC"));
            }
            Ok(())
        }
        OrdersCmd::List { customer } => {
            let entries = orders::journal::list(&conn.store, customer.as_deref())?;
            if g.json {
                return output::json(&entries);
            }
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.created_at.format("%Y-%m-%d %H:%M").to_string(),
                        e.customer_name.clone(),
                        e.product_title.clone(),
                        e.plan.clone().unwrap_or_else(|| e.sku_id.clone()),
                        e.quantity.to_string(),
                        e.state.as_str().into(),
                        e.status.clone().unwrap_or_default(),
                        e.order_id.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output::table(
                &[
                    "#", "CREATED", "CUSTOMER", "PRODUCT", "PLAN", "QTY", "STATE", "STATUS",
                    "ORDER ID",
                ],
                &rows,
            );
            Ok(())
        }
    }
}

fn print_review(r: &orders::Review) {
    println!("Review");
    println!("  Customer:     {} ({})", r.customer_name, r.country);
    println!(
        "  Product:      {} — {} ({})",
        r.product_title, r.plan, r.publisher_name
    );
    println!(
        "  Quantity:     {} (allowed {}–{})",
        r.quantity, r.minimum_quantity, r.maximum_quantity
    );
    let o = &r.chosen;
    if o.trial {
        println!("  Term:         free trial, {}", o.term_duration);
    } else {
        println!(
            "  Term:         {} billed {}",
            o.term_duration, o.billing_cycle
        );
    }
    match &r.price {
        Some(p) => println!(
            "  Price:        {:.2} {} each, {:.2} {} in all ({})",
            p.unit_price, p.currency, p.total, p.currency, p.source
        ),
        None => println!("  Price:        not in the price list"),
    }
    println!(
        "  Cancellation: full refund if cancelled within {} (source: {})",
        o.cancellation.text, o.cancellation.source
    );
}
