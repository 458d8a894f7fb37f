//! `cspdesk publishers …`: publishers, their support contacts and offers, and the staff's notes.

use std::path::PathBuf;

use clap::Subcommand;

use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::publishers::{self, NewNote, PublisherView};
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum PublishersCmd {
    /// Every publisher in the synced catalog.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value = "US")]
        market: String,
    },
    /// A publisher's contacts, offers and notes — by name, or from a customer's subscription.
    Show {
        name: Option<String>,
        #[arg(long, requires = "customer")]
        subscription: Option<String>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, default_value = "US")]
        market: String,
    },
    /// Add your own note or contact to a publisher (kept locally; survives catalog syncs).
    Note {
        name: String,
        #[arg(long, default_value = "")]
        text: String,
        /// Record a contact person instead of a note.
        #[arg(long)]
        contact: bool,
        #[arg(long = "contact-name")]
        contact_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Export every note and contact to .xlsx or .csv (by extension).
    ExportNotes {
        #[arg(long)]
        out: PathBuf,
    },
}

fn print_view(v: &PublisherView) {
    let s = &v.summary;
    println!(
        "{}{}",
        s.name,
        s.id.as_ref()
            .map(|i| format!("  ({i})"))
            .unwrap_or_default()
    );
    for r in &v.responsibilities {
        println!("  · {r}");
    }
    let c = &v.contacts;
    println!("Support URL: {}", c.support_uri.as_deref().unwrap_or("—"));
    println!("Email:       {}", c.email.as_deref().unwrap_or("—"));
    println!("Phone:       {}", c.phone.as_deref().unwrap_or("—"));
    for l in &c.links {
        println!("{:<12} {}", format!("{}:", l.label), l.uri);
    }
    if let Some(n) = &v.contacts_note {
        println!("Note: {n}");
    }
    println!("\nOffers ({}):", v.offers.len());
    for o in &v.offers {
        let how = if o.purchasable {
            "CSP"
        } else {
            "not through CSP"
        };
        println!(
            "  {:<14} {} [{}; {}]",
            o.product_id.as_deref().unwrap_or("—"),
            o.title,
            o.offer_type,
            how
        );
    }
    if !v.notes.is_empty() {
        println!("\nYour notes:");
        for n in &v.notes {
            let who = [n.name.as_deref(), n.email.as_deref(), n.phone.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            println!(
                "  #{} {} {} {}",
                n.id,
                n.created_at.format("%Y-%m-%d"),
                n.text,
                who
            );
        }
    }
}

pub async fn run(g: &Global, cmd: PublishersCmd) -> Result<()> {
    let conn = g.connect().await?;
    match cmd {
        PublishersCmd::List { search, market } => {
            super::offers::load_or_sync(&conn, &market).await?;
            let list = publishers::list(&conn.store, &market, search.as_deref())?;
            if g.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.id.clone().unwrap_or_default(),
                        p.offers.to_string(),
                        p.csp_offers.to_string(),
                    ]
                })
                .collect();
            output::table(&["PUBLISHER", "ID", "OFFERS", "CSP"], &rows);
            Ok(())
        }
        PublishersCmd::Show {
            name,
            subscription,
            customer,
            market,
        } => match (name, subscription, customer) {
            (None, Some(sub), Some(cust)) => {
                let found = publishers::for_subscription(&conn, &cust, &sub).await?;
                if g.json {
                    return output::json(&found);
                }
                let ctx = &found.subscription;
                println!(
                    "{} — {} (subscription {}, order {})\n",
                    ctx.customer_name, ctx.product, ctx.subscription_id, ctx.order_id
                );
                print_view(&found.publisher);
                println!("\nContact publisher: {}", found.contact_mailto);
                Ok(())
            }
            (Some(name), None, _) => {
                super::offers::load_or_sync(&conn, &market).await?;
                let view = publishers::show(&conn, &market, &name).await?;
                if g.json {
                    return output::json(&view);
                }
                print_view(&view);
                Ok(())
            }
            _ => Err(Error::Invalid(
                "give a publisher NAME, or --subscription ID --customer ID".into(),
            )),
        },
        PublishersCmd::Note {
            name,
            text,
            contact,
            contact_name,
            email,
            phone,
        } => {
            let note = publishers::add_note(
                &conn.store,
                &name,
                &NewNote {
                    kind: if contact {
                        "contact".into()
                    } else {
                        "note".into()
                    },
                    text,
                    name: contact_name,
                    email,
                    phone,
                },
            )?;
            if g.json {
                return output::json(&note);
            }
            println!("Saved note #{} for {}.", note.id, note.publisher_name);
            Ok(())
        }
        PublishersCmd::ExportNotes { out } => {
            let format =
                ExportFormat::parse(out.extension().and_then(|e| e.to_str()).unwrap_or("csv"))?;
            let n = publishers::export_notes(&conn.store, &out, format)?;
            println!("{n} notes written to {}", out.display());
            Ok(())
        }
    }
}
