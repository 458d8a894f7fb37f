//! `cspdesk subscriptions …` and `cspdesk activation-link`.

use clap::Subcommand;

use cspdesk_core::subscriptions::{self, plans, policy::CancellationPolicy, ListFilter};
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum SubscriptionsCmd {
    /// Subscriptions of one customer or of all, with status and cancellation deadline.
    List {
        #[arg(long)]
        customer: Option<String>,
        /// Only subscriptions waiting for activation on the publisher's site.
        #[arg(long)]
        pending_activation: bool,
        /// Only subscriptions whose cancellation window closes within this time (e.g. 24h).
        #[arg(long, value_name = "DURATION")]
        closing_within: Option<String>,
    },
    /// Cancel a subscription inside its cancellation window.
    Cancel {
        #[arg(long)]
        customer: String,
        subscription_id: String,
    },
    /// Turn auto-renew on or off (read back from Partner Center).
    AutoRenew {
        #[arg(long)]
        customer: String,
        subscription_id: String,
        #[arg(value_parser = ["on", "off"])]
        value: String,
    },
    /// Change the plan (to one Partner Center lists as eligible) or the seat count, or both.
    Change {
        #[arg(long)]
        customer: String,
        subscription_id: String,
        /// New seat count, within the plan's bounds.
        #[arg(long)]
        quantity: Option<u32>,
        /// Target plan: a SKU id, an offer id (product:sku:availability) or a plan title.
        #[arg(long, value_name = "SKU_OR_OFFER")]
        plan: Option<String>,
    },
    /// The plans a subscription can move to, and why the others of its product cannot be chosen.
    Plans {
        #[arg(long)]
        customer: String,
        subscription_id: String,
    },
}

pub async fn run(g: &Global, cmd: SubscriptionsCmd) -> Result<()> {
    let conn = g.connect().await?;
    let policy = CancellationPolicy::load(&conn.data_dir)?;
    let now = conn.now();
    match cmd {
        SubscriptionsCmd::List {
            customer,
            pending_activation,
            closing_within,
        } => {
            let closing_within = closing_within
                .as_deref()
                .map(subscriptions::parse_duration)
                .transpose()?;
            let rows = subscriptions::list(
                &conn,
                &ListFilter {
                    customer_id: customer,
                    pending_activation,
                    closing_within,
                },
                &policy,
                now,
            )
            .await?;
            if g.json {
                let out: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|r| {
                        let mut v = serde_json::to_value(&r.subscription).unwrap_or_default();
                        if let Some(o) = v.as_object_mut() {
                            o.insert("customerId".into(), r.customer_id.clone().into());
                            o.insert("customerName".into(), r.customer_name.clone().into());
                            o.insert("statusLabel".into(), r.status_label.text().into());
                            o.insert(
                                "cancellationDeadline".into(),
                                serde_json::to_value(&r.deadline).unwrap_or_default(),
                            );
                            o.insert("canCancel".into(), r.can_cancel.into());
                        }
                        v
                    })
                    .collect();
                return output::json(&out);
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let s = &r.subscription;
                    vec![
                        r.customer_name.clone(),
                        s.offer_name.clone(),
                        s.publisher_name.clone(),
                        s.quantity.to_string(),
                        format!("{} {}", s.term_duration, s.billing_cycle),
                        r.status_label.text().into(),
                        if s.auto_renew_enabled {
                            "on".into()
                        } else {
                            "off".into()
                        },
                        match (r.time_left(now), &r.deadline) {
                            (Some(left), _) => format!(
                                "{}h {:02}m left",
                                left.num_hours(),
                                left.num_minutes() % 60
                            ),
                            (None, Some(d)) => format!("closed {}", d.at.format("%Y-%m-%d")),
                            (None, None) => String::new(),
                        },
                        s.id.clone(),
                    ]
                })
                .collect();
            output::table(
                &[
                    "CUSTOMER",
                    "PRODUCT",
                    "PUBLISHER",
                    "QTY",
                    "TERM",
                    "STATUS",
                    "AUTO-RENEW",
                    "CANCEL",
                    "ID",
                ],
                &table,
            );
            Ok(())
        }
        SubscriptionsCmd::Cancel {
            customer,
            subscription_id,
        } => {
            let s = subscriptions::cancel(&conn, &customer, &subscription_id, &policy, now).await?;
            if g.json {
                return output::json(&s);
            }
            println!(
                "Subscription {} is now {} (as read back from Partner Center).",
                s.id, s.status
            );
            Ok(())
        }
        SubscriptionsCmd::AutoRenew {
            customer,
            subscription_id,
            value,
        } => {
            let on = value == "on";
            let v = subscriptions::set_auto_renew(&conn, &customer, &subscription_id, on).await?;
            if g.json {
                return output::json(
                    &serde_json::json!({"id": subscription_id, "customerId": customer, "autoRenewEnabled": v}),
                );
            }
            println!(
                "Auto-renew of {subscription_id} is {} (read back from Partner Center).",
                if v { "on" } else { "off" }
            );
            if v != on {
                return Err(Error::Invalid(
                    "Partner Center did not apply the change".into(),
                ));
            }
            Ok(())
        }
        SubscriptionsCmd::Change {
            customer,
            subscription_id,
            quantity,
            plan,
        } => match (quantity, plan) {
            (Some(q), None) => {
                let s = subscriptions::set_quantity(&conn, &customer, &subscription_id, q).await?;
                if g.json {
                    return output::json(&s);
                }
                println!(
                    "Subscription {} now has {}.",
                    s.id,
                    plans::seats(s.quantity)
                );
                Ok(())
            }
            (q, Some(target)) => {
                let c = plans::change_plan(&conn.client, &customer, &subscription_id, &target, q)
                    .await?;
                if g.json {
                    return output::json(&c);
                }
                println!("{}", c.message);
                if c.plan_changed {
                    println!(
                        "Read back from Partner Center: {} ({}), {}, {}.",
                        c.subscription.offer_name,
                        c.subscription.offer_id,
                        plans::seats(c.subscription.quantity),
                        c.subscription.status
                    );
                    println!("Upfront monthly and annual charges are prorated.");
                }
                Ok(())
            }
            (None, None) => Err(Error::Invalid(
                "give --plan SKU_OR_OFFER, --quantity N, or both".into(),
            )),
        },
        SubscriptionsCmd::Plans {
            customer,
            subscription_id,
        } => {
            let choices = plans::plan_options(&conn.client, &customer, &subscription_id).await?;
            if g.json {
                return output::json(&choices);
            }
            let cur = &choices.current;
            println!(
                "{} is on {} ({}), {}, {}.",
                choices.subscription_id,
                cur.title,
                cur.sku_id,
                plans::seats(cur.quantity),
                cur.status
            );
            let bounds = |o: &plans::PlanOption| match (o.minimum_quantity, o.maximum_quantity) {
                (Some(a), Some(b)) => format!("{a}-{b}"),
                _ => String::new(),
            };
            if let (Some(why), Some(link)) = (&choices.not_offered, &choices.portal_link) {
                println!("{why}.");
                println!("Change the plan in the Partner Center portal: {link}");
            } else if choices.eligible.is_empty() {
                println!("Partner Center lists no plan it can move to now.");
            } else {
                println!();
                let rows: Vec<Vec<String>> = choices
                    .eligible
                    .iter()
                    .map(|o| {
                        vec![
                            o.sku_id.clone(),
                            o.title.clone(),
                            bounds(o),
                            o.offer_id.clone(),
                        ]
                    })
                    .collect();
                output::table(&["SKU", "CAN MOVE TO", "SEATS", "OFFER ID"], &rows);
            }
            if !choices.unavailable.is_empty() {
                println!();
                println!("Not available:");
                for o in &choices.unavailable {
                    println!(
                        "  {} {}: {}",
                        o.sku_id,
                        o.title,
                        o.reason.as_deref().unwrap_or("not eligible")
                    );
                }
            }
            println!();
            for n in &choices.notes {
                println!("{n}");
            }
            Ok(())
        }
    }
}

pub async fn activation_link(g: &Global, customer: &str, id: &str) -> Result<()> {
    let conn = g.connect().await?;
    let link = subscriptions::activation_link(&conn, customer, id, conn.now()).await?;
    if g.json {
        return output::json(&link);
    }
    println!("{}", link.uri);
    eprintln!(
        "valid until {}",
        link.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}
