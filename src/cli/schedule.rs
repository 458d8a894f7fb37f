//! `cspdesk schedule …`: the daily price-list export that runs by itself (issue 20).

use std::sync::atomic::AtomicBool;

use clap::Subcommand;

use cspdesk_core::connection::open_store;
use cspdesk_core::pricelist;
use cspdesk_core::schedule::{self, ScheduleSettings};
use cspdesk_core::tabular::ExportFormat;
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum ScheduleCmd {
    /// Export the price list every day at a time, whether or not the app is open: registers a
    /// systemd user timer, else a crontab line (replacing an earlier schedule).
    Set {
        /// Local time of day, HH:MM.
        #[arg(long)]
        at: String,
        /// Markets, e.g. GB,US (default: the settings' markets).
        #[arg(long)]
        market: Option<String>,
        /// xlsx, csv, or both: xlsx,csv.
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// The folder for the dated files (default: the settings' export folder).
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
        /// Remove dated files older than this many days.
        #[arg(long, default_value_t = 30)]
        keep_days: u32,
        /// Also write the customer price list (the margin rules applied) of each format.
        #[arg(long)]
        customer_prices: bool,
        /// The customer's name in the customer price list's header block.
        #[arg(long, value_name = "NAME")]
        customer: Option<String>,
        /// The partner's name in the customer price list's header block.
        #[arg(long, value_name = "NAME")]
        partner: Option<String>,
    },
    /// The schedule and where it is registered.
    Show,
    /// Turn the schedule off: its OS entry is removed (the history stays).
    Remove,
    /// Every run, newest first, with its files or why it failed.
    History,
    /// Run the scheduled export now (what the OS schedule runs).
    Run {
        /// Record the run as started by hand rather than by the OS schedule.
        #[arg(long)]
        manual: bool,
    },
}

pub async fn run(g: &Global, cmd: ScheduleCmd) -> Result<()> {
    let (data_dir, store) = open_store(&g.connect_options())?;
    match cmd {
        ScheduleCmd::Set {
            at,
            market,
            format,
            dir,
            keep_days,
            customer_prices,
            customer,
            partner,
        } => {
            let formats = format
                .split(',')
                .filter(|f| !f.trim().is_empty())
                .map(ExportFormat::parse)
                .collect::<Result<Vec<_>>>()?;
            let settings = schedule::check(&ScheduleSettings {
                at,
                markets: pricelist::parse_markets(&g.markets_or_default(market))?,
                formats,
                dir: dir
                    .unwrap_or_else(|| g.settings().export_dir())
                    .display()
                    .to_string(),
                customer_prices,
                customer_list: cspdesk_core::pricelist::layout::CustomerList {
                    customer: customer.unwrap_or_default(),
                    partner: partner.unwrap_or_default(),
                    valid_days: cspdesk_core::pricelist::layout::DEFAULT_VALID_DAYS,
                    internal: false,
                },
                keep_days,
            })?;
            let exe = std::env::current_exe().map_err(|e| Error::io("finding this program", e))?;
            let command =
                schedule::command(&exe, &data_dir, &g.settings_path(), &g.connect_options());
            let reg = schedule::register(&settings.at, &command)?;
            schedule::save(&store, &settings, chrono::Utc::now())?;
            if g.json {
                return output::json(
                    &serde_json::json!({"schedule": settings, "registration": reg}),
                );
            }
            println!(
                "Every day at {} the price list of {} is written to {} ({}).",
                settings.at,
                settings.markets.join(", "),
                settings.dir,
                reg.backend
            );
            println!("Registered: {}", reg.entry);
            Ok(())
        }
        ScheduleCmd::Show => {
            let s = schedule::load(&store)?;
            if g.json {
                return output::json(&s);
            }
            match s {
                Some(s) => println!(
                    "Every day at {}: {} as {} to {} (files kept {} days).",
                    s.at,
                    s.markets.join(", "),
                    s.formats
                        .iter()
                        .map(|f| f.ext())
                        .collect::<Vec<_>>()
                        .join(" and "),
                    s.dir,
                    s.keep_days
                ),
                None => println!("No schedule. Set one with `cspdesk schedule set --at 06:30`."),
            }
            Ok(())
        }
        ScheduleCmd::Remove => {
            schedule::unregister()?;
            schedule::clear(&store)?;
            if !g.json {
                println!("The schedule is off.");
            }
            Ok(())
        }
        ScheduleCmd::History => {
            let runs = schedule::history(&store)?;
            if g.json {
                return output::json(&runs);
            }
            for r in &runs {
                let what = if r.ok {
                    format!("{} rows: {}", r.rows, r.files.join(", "))
                } else {
                    r.error.clone().unwrap_or_default()
                };
                println!(
                    "{}  {}  {:9}  {what}",
                    r.started_at
                        .with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M"),
                    if r.ok { "ok    " } else { "FAILED" },
                    if r.manual { "by hand" } else { "scheduled" },
                );
            }
            Ok(())
        }
        ScheduleCmd::Run { manual } => {
            let Some(s) = schedule::load(&store)? else {
                return Err(Error::Invalid(
                    "no schedule is set: `cspdesk schedule set --at HH:MM` first".into(),
                ));
            };
            let done = schedule::run(
                &store,
                &s,
                manual,
                g.connect(),
                &AtomicBool::new(false),
                &|_| {},
            )
            .await?;
            if g.json {
                return output::json(&done);
            }
            for f in &done.files {
                println!("{}", f.display());
            }
            Ok(())
        }
    }
}
