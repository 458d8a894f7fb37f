//! `cspdesk offers …`: sync, list with the marketplace filters, show one offer.

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use cspdesk_core::catalog::detail::{self, OfferDetail};
use cspdesk_core::catalog::query::{OfferIndex, OfferQuery, SortKey};
use cspdesk_core::catalog::sync::{self, Phase, Progress, SyncOptions, SyncReport};
use cspdesk_core::catalog::Offer;
use cspdesk_core::connection::Connection;
use cspdesk_core::{Error, Result};

use super::prices::FilterArgs;
use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum OffersCmd {
    /// Fetch a market's catalog from Partner Center and the marketplace into the local store.
    Sync {
        /// Default: the first of the settings' markets.
        #[arg(long)]
        market: Option<String>,
    },
    /// List offers from the local store (synced first if the market never was).
    List {
        /// Default: the first of the settings' markets.
        #[arg(long)]
        market: Option<String>,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Show one offer with its plans, terms and markets.
    Show {
        product_id: String,
        /// Default: the first of the settings' markets.
        #[arg(long)]
        market: Option<String>,
    },
}

pub async fn run(g: &Global, cmd: OffersCmd) -> Result<()> {
    let conn = g.connect().await?;
    match cmd {
        OffersCmd::Sync { market } => {
            let market = g.market_or_default(market);
            let report = sync_with_bar(&conn, &market).await?;
            if g.json {
                return output::json(&report);
            }
            println!(
                "Synced {} offers for {} ({} Partner Center products, {} marketplace entries).",
                report.offers, report.market, report.products, report.marketplace_products
            );
            if let Some(e) = &report.marketplace_error {
                eprintln!("warning: the marketplace catalog could not be read, so categories and contacts are missing: {e}");
            }
            Ok(())
        }
        OffersCmd::List { market, filters } => {
            let market = g.market_or_default(market);
            let filter = filters.to_filter()?;
            let offers = load_or_sync(&conn, &market).await?;
            let index = OfferIndex::new(offers);
            let q = OfferQuery {
                filter,
                sort: SortKey::Title,
                descending: false,
                offset: 0,
                limit: usize::MAX,
            };
            let window = index.query(&q);
            if g.json {
                let full: Vec<&Offer> = window
                    .rows
                    .iter()
                    .filter_map(|r| index.offer(&r.key))
                    .collect();
                return output::json(&full);
            }
            let rows: Vec<Vec<String>> = window
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.product_id
                            .clone()
                            .unwrap_or_else(|| "(not in CSP)".into()),
                        r.title.clone(),
                        r.publisher_name.clone(),
                        r.offer_type.label().into(),
                        r.categories.join(", "),
                        if r.free_trial {
                            "yes".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            output::table(
                &[
                    "PRODUCT ID",
                    "TITLE",
                    "PUBLISHER",
                    "TYPE",
                    "CATEGORIES",
                    "TRIAL",
                ],
                &rows,
            );
            eprintln!("{} offers", window.total);
            Ok(())
        }
        OffersCmd::Show { product_id, market } => {
            let market = g.market_or_default(market);
            let offers = load_or_sync(&conn, &market).await?;
            let offer = offers
                .into_iter()
                .find(|o| o.product_id.as_deref() == Some(product_id.as_str()) || o.marketplace_id.as_deref() == Some(product_id.as_str()))
                .ok_or_else(|| Error::not_found(format!("offer {product_id} in market {}", market.to_uppercase()), "Check the id with `cspdesk offers list`, or run `cspdesk offers sync` for that market"))?;
            let detail = detail::offer_detail(&conn, &offer, &market.to_uppercase()).await?;
            if g.json {
                return output::json(&detail);
            }
            print_detail(&detail);
            Ok(())
        }
    }
}

/// The detail panel's content, in the same order: who sells it and how to reach them, whether
/// CSP can sell it (and why not), the legal links, then the plans.
fn print_detail(d: &OfferDetail) {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "not known".into());
    println!(
        "{}  ({})",
        d.title,
        d.product_id
            .as_deref()
            .unwrap_or("not in the Partner Center catalog")
    );
    println!(
        "Publisher:    {}{}",
        d.publisher.name,
        if d.publisher.microsoft {
            " (Microsoft)"
        } else {
            ""
        }
    );
    println!("Support:      {}", opt(&d.publisher.support_uri));
    if let Some(e) = &d.publisher.email {
        println!("Email:        {e}");
    }
    if let Some(p) = &d.publisher.phone {
        println!("Phone:        {p}");
    }
    for l in &d.publisher.links {
        println!("Link:         {} — {}", l.label, l.uri);
    }
    println!("Type:         {}", d.type_label);
    println!("Categories:   {}", d.categories.join(", "));
    println!(
        "Free trial:   {}",
        match (d.free_trial, &d.trial_length) {
            (true, Some(l)) => format!("yes, {l}"),
            (true, None) => "yes".into(),
            _ => "no".into(),
        }
    );
    match &d.purchase_note {
        None if d.purchasable => println!("CSP:          can be sold through CSP"),
        note => println!(
            "CSP:          cannot be sold through CSP — {}",
            note.clone().unwrap_or_default()
        ),
    }
    println!("Terms of use: {}", opt(&d.terms_of_use_uri));
    println!("CSP terms:    {}", opt(&d.csp_terms_uri));
    println!("Privacy:      {}", opt(&d.privacy_policy_uri));
    if !d.markets.is_empty() {
        println!("Markets:      {}", d.markets.join(", "));
    }
    if let Some(n) = &d.marketplace_note {
        println!("Note:         {n}");
    }
    println!("\n{}\n", d.description);
    for p in &d.plans {
        println!(
            "Plan {} — {} (quantity {}–{}){}",
            p.id,
            p.title,
            p.min_quantity,
            p.max_quantity,
            if p.trial { ", free trial" } else { "" }
        );
        for t in &p.terms {
            println!(
                "    {:<8} {:<10} {}{}",
                t.duration_label,
                t.billing_label,
                t.description,
                t.refund_window
                    .as_ref()
                    .map(|w| format!(" (refund within {w})"))
                    .unwrap_or_default()
            );
        }
    }
}

/// Stored offers of `market`, syncing first if it never was.
pub async fn load_or_sync(conn: &Connection, market: &str) -> Result<Vec<Offer>> {
    if sync::last_sync(&conn.store, market)?.is_none() {
        eprintln!(
            "No catalog stored for {} yet; syncing it first.",
            market.to_uppercase()
        );
        sync_with_bar(conn, market).await?;
    }
    sync::load_offers(&conn.store, market)
}

pub async fn sync_with_bar(conn: &Connection, market: &str) -> Result<SyncReport> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let on_progress = |p: Progress| {
        bar.set_message(match p.phase {
            Phase::Products => "products",
            Phase::Details => "plans",
            Phase::Marketplace => "marketplace",
            Phase::Saving => "saving",
        });
        if p.total > 0 {
            bar.set_length(p.total);
            bar.set_position(p.done);
        }
    };
    let mut opts = SyncOptions::new(market);
    opts.arm_subscription = conn.arm_subscription.clone();
    let result = sync::sync(&conn.client, &conn.store, &opts, &on_progress).await;
    bar.finish_and_clear();
    result
}
