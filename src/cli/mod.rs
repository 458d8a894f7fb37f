//! Command-line parsing and dispatch. Each command calls core functions and prints; `--json`
//! prints one JSON document (camelCase, Partner Center's field names) on stdout, and errors go
//! to stderr with the server's words and a non-zero exit.

mod account;
mod doctor;
mod invoices;
mod margins;
mod offers;
mod orders;
mod output;
mod prices;
mod publishers;
mod sandbox_cmd;
mod schedule;
mod subscriptions;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use url::Url;

use cspdesk_core::connection::{ConnectOptions, Connection};
use cspdesk_core::secrets::Secret;
use cspdesk_core::settings::Settings;
use cspdesk_core::{customers, Result};

#[derive(Parser, Debug)]
#[command(
    name = "cspdesk",
    version,
    about = "CSP Desk: Azure Marketplace SaaS for Microsoft CSP partners"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Partner Center base URL (default https://api.partnercenter.microsoft.com).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<Url>,
    /// Partner API base URL, for price sheets (default https://api.partner.microsoft.com).
    #[arg(long, global = true, value_name = "URL")]
    pub partner_api: Option<Url>,
    /// Azure Resource Manager base URL, for the marketplace catalog.
    #[arg(long, global = true, value_name = "URL")]
    pub arm_endpoint: Option<Url>,
    /// Entra ID authority (default https://login.microsoftonline.com).
    #[arg(long, global = true, value_name = "URL")]
    pub authority: Option<Url>,
    /// Use the built-in sandbox even if a tenant is configured.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Where the local store and sandbox state live.
    #[arg(long, global = true, value_name = "DIR", env = "CSPDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Azure subscription the marketplace catalog is read through.
    #[arg(
        long,
        global = true,
        value_name = "ID",
        env = "CSPDESK_ARM_SUBSCRIPTION"
    )]
    pub arm_subscription: Option<String>,
    /// The settings file (default: settings.toml in the platform's config dir).
    #[arg(long, global = true, value_name = "FILE", env = "CSPDESK_SETTINGS")]
    pub settings: Option<PathBuf>,
    /// The settings, read once per run.
    #[arg(skip)]
    pub loaded: std::sync::OnceLock<Settings>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Customers of the partner.
    #[command(subcommand)]
    Customers(CustomersCmd),
    /// The marketplace catalog.
    #[command(subcommand)]
    Offers(offers::OffersCmd),
    /// Orders of marketplace SaaS for customers.
    #[command(subcommand)]
    Orders(orders::OrdersCmd),
    /// Subscriptions: deadlines, cancel, auto-renew, plans and seats.
    #[command(subcommand)]
    Subscriptions(subscriptions::SubscriptionsCmd),
    /// A pending subscription's activation link (fetched anew when older than 24 hours).
    ActivationLink {
        #[arg(long)]
        customer: String,
        subscription_id: String,
    },
    /// Invoices and their marketplace line items.
    #[command(subcommand)]
    Invoices(invoices::InvoicesCmd),
    /// Publishers: support contacts, offers, your notes.
    #[command(subcommand)]
    Publishers(publishers::PublishersCmd),
    /// The daily marketplace price list.
    #[command(subcommand)]
    Prices(prices::PricesCmd),
    /// Your margin rules: your sell prices on top of Microsoft's price list.
    #[command(subcommand)]
    Margins(margins::MarginsCmd),
    /// The daily price-list export that runs by itself.
    #[command(subcommand)]
    Schedule(schedule::ScheduleCmd),
    /// Real work against a faulty sandbox, then exactly-once and integrity checks.
    Soak {
        #[arg(long, default_value_t = 400)]
        offers: usize,
        #[arg(long, default_value_t = 200)]
        orders: usize,
        #[arg(long, default_value_t = 100)]
        toggles: usize,
        #[arg(long, default_value_t = 50)]
        cancels: usize,
        #[arg(long, default_value = cspdesk_soak::DEFAULT_FAULTS)]
        faults: String,
        /// Stop starting new work after this many seconds.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
    /// The built-in Partner Center simulator.
    #[command(subcommand)]
    Sandbox(sandbox_cmd::SandboxCmd),
    /// Check the connection: one read-only call to Partner Center, the Partner API, ARM and
    /// Microsoft Graph, each answered or refused and why, with its request id.
    Doctor,
    /// Sign in to Partner Center (App+User); the sign-in is kept in the OS keychain.
    Login {
        /// Sign in with a code entered on another device's browser (for SSH and headless use).
        #[arg(long)]
        device_code: bool,
        /// Directory (tenant) id or domain (default: the settings' tenant_id, or "organizations").
        #[arg(long, value_name = "ID")]
        tenant: Option<String>,
        /// Application (client) id of the app registration (default: the settings' client_id).
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
    },
    /// Sign out: remove the sign-in from the keychain.
    Logout,
    /// Who is signed in, and to which tenant.
    Whoami,
    /// The settings file.
    #[command(subcommand)]
    Settings(account::SettingsCmd),
}

#[derive(Subcommand, Debug)]
pub enum CustomersCmd {
    /// List customers, optionally searching company name, domain or tenant id.
    List {
        #[arg(long)]
        search: Option<String>,
    },
}

impl Global {
    pub fn settings_path(&self) -> PathBuf {
        account::settings_path(self.settings.as_deref())
    }

    /// The settings file's contents; a problem with it is reported once on stderr, and the
    /// run goes on with the defaults.
    pub fn settings(&self) -> &Settings {
        self.loaded.get_or_init(|| {
            let loaded = Settings::load(&self.settings_path());
            if let Some(p) = &loaded.problem {
                eprintln!("warning: {p}");
            }
            for w in &loaded.warnings {
                eprintln!("warning: settings file {}: {w}", loaded.path.display());
            }
            loaded.settings
        })
    }

    /// The market a command uses when it names none.
    pub fn market_or_default(&self, market: Option<String>) -> String {
        market.unwrap_or_else(|| self.settings().default_market().to_string())
    }

    /// The markets a command uses when it names none (all of the settings' markets).
    pub fn markets_or_default(&self, market: Option<String>) -> String {
        market.unwrap_or_else(|| {
            let m = &self.settings().markets;
            if m.is_empty() {
                cspdesk_core::settings::FALLBACK_MARKET.to_string()
            } else {
                m.join(",")
            }
        })
    }

    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            settings: self.settings().clone(),
            secrets: None,
            endpoint: self.endpoint.clone(),
            partner_api: self.partner_api.clone(),
            arm_endpoint: self.arm_endpoint.clone(),
            authority: self.authority.clone(),
            sandbox: self.sandbox,
            data_dir: self.data_dir.clone(),
            access_token: std::env::var("CSPDESK_ACCESS_TOKEN")
                .ok()
                .filter(|t| !t.trim().is_empty())
                .map(Secret::new),
            arm_subscription: self.arm_subscription.clone(),
            sandbox_offers: None,
            sandbox_starter: Some(cspdesk_sandbox::starter()),
        }
    }

    pub async fn connect(&self) -> Result<Connection> {
        Connection::open(self.connect_options()).await
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CSPDESK_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", error_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The one line a failed command prints: the core's words, then what Microsoft's support asks
/// for (Partner Center's code, unless the words already carry it, and the request id).
fn error_line(e: &cspdesk_core::Error) -> String {
    let text = e.to_string();
    let extra: Vec<String> = [
        e.code()
            .filter(|c| !text.contains(&format!("code {c}")) && !text.contains(&format!(", {c})")))
            .map(|c| format!("code {c}")),
        e.request_id()
            .filter(|r| !text.contains(*r))
            .map(|r| format!("request id {r}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if extra.is_empty() {
        format!("error: {text}")
    } else {
        format!("error: {text} [{}]", extra.join(" · "))
    }
}

async fn run(cli: Cli) -> Result<()> {
    let g = &cli.global;
    match cli.command {
        Command::Customers(CustomersCmd::List { search }) => {
            let conn = g.connect().await?;
            let list = customers::list(&conn.client, search.as_deref()).await?;
            if g.json {
                return output::json(&list);
            }
            let rows = list
                .iter()
                .map(|c| {
                    vec![
                        c.id.clone(),
                        c.company_profile.company_name.clone(),
                        c.company_profile.domain.clone(),
                    ]
                })
                .collect::<Vec<_>>();
            output::table(&["ID", "COMPANY", "DOMAIN"], &rows);
            Ok(())
        }
        Command::Offers(cmd) => offers::run(g, cmd).await,
        Command::Prices(cmd) => prices::run(g, cmd).await,
        Command::Invoices(cmd) => invoices::run(g, cmd).await,
        Command::Publishers(cmd) => publishers::run(g, cmd).await,
        Command::Margins(cmd) => margins::run(g, cmd),
        Command::Schedule(cmd) => schedule::run(g, cmd).await,
        Command::Orders(cmd) => orders::run(g, cmd).await,
        Command::Subscriptions(cmd) => subscriptions::run(g, cmd).await,
        Command::ActivationLink {
            customer,
            subscription_id,
        } => subscriptions::activation_link(g, &customer, &subscription_id).await,
        Command::Sandbox(cmd) => sandbox_cmd::run(g, cmd).await,
        Command::Doctor => doctor::run(g).await,
        Command::Soak {
            offers,
            orders,
            toggles,
            cancels,
            faults,
            seconds,
        } => {
            let dir = tempfile::tempdir()
                .map_err(|e| cspdesk_core::Error::io("creating a scratch folder", e))?;
            let mut cfg = cspdesk_soak::SoakConfig::new(dir.path().to_path_buf());
            cfg.offers = offers;
            cfg.orders = orders;
            cfg.toggles = toggles;
            cfg.cancels = cancels;
            cfg.faults = faults;
            cfg.max_duration = std::time::Duration::from_secs(seconds);
            let report = cspdesk_soak::run(&cfg).await?;
            if g.json {
                output::json(&report)?;
            } else {
                let f = &report.faults_injected;
                let c = &report.client;
                println!("soak: {:.0} s", report.seconds);
                println!("faults met: {} requests, {} throttled (429), {} server errors, {} connections dropped after commit, {} writes answered from the idempotency record", f.requests, f.throttled, f.server_errors, f.dropped, f.deduplicated_writes);
                println!("client: {} requests, {} retries, {} throttled, {} server errors, {} transport errors", c.requests, c.retries, c.throttled, c.server_errors, c.transport_errors);
                println!("outcomes: {} orders placed ({} failed, {} reconciled), {} exports complete, {} failed, {} auto-renew changed ({} failed), {} cancelled ({} failed)",
                    report.orders_placed, report.orders_failed, report.orders_reconciled, report.exports_complete, report.exports_failed, report.auto_renew_changed, report.auto_renew_failed, report.cancelled, report.cancel_failed);
                for ch in &report.checks {
                    println!(
                        "  [{}] {} — {}",
                        if ch.ok { "ok" } else { "FAIL" },
                        ch.name,
                        ch.detail
                    );
                }
            }
            if report.passed() {
                Ok(())
            } else {
                Err(cspdesk_core::Error::Invalid(
                    "the soak found a problem (see the checks above)".into(),
                ))
            }
        }
        Command::Login {
            device_code,
            tenant,
            client_id,
        } => account::login(g, device_code, tenant, client_id).await,
        Command::Logout => account::logout(g).await,
        Command::Whoami => account::whoami(g).await,
        Command::Settings(cmd) => account::settings_cmd(g, cmd),
    }
}
