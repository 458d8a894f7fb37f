//! `cspdesk sandbox serve`: run the Partner Center simulator until stopped.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Subcommand;

use cspdesk_core::{Error, Result};
use cspdesk_sandbox::{FaultSpec, Sandbox, SandboxConfig};

use super::Global;

#[derive(Subcommand, Debug)]
pub enum SandboxCmd {
    /// Serve Partner Center, the Partner API and the ARM catalog on one loopback URL.
    Serve {
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 2000)]
        offers: usize,
        /// SQLite file that keeps carts, orders and subscriptions across restarts.
        #[arg(long)]
        state: Option<PathBuf>,
        /// e.g. "latency=0-200ms,rate=500/s,429=10%,5xx=5%,drop-after-commit=2%"
        #[arg(long, default_value = "")]
        faults: String,
        /// List a SaaS subscription's other plans as eligible for a plan change (by default the
        /// sandbox follows the safest reading of the docs: none).
        #[arg(long)]
        optimistic_plan_changes: bool,
    },
}

pub async fn run(_g: &Global, cmd: SandboxCmd) -> Result<()> {
    match cmd {
        SandboxCmd::Serve {
            addr,
            seed,
            offers,
            state,
            faults,
            optimistic_plan_changes,
        } => {
            let faults: FaultSpec = faults.parse()?;
            let sandbox = Sandbox::start(SandboxConfig {
                addr,
                seed,
                offers,
                state,
                faults,
            })
            .await?;
            sandbox.set_optimistic_plan_changes(optimistic_plan_changes);
            let url = sandbox.url().as_str().trim_end_matches('/').to_string();
            println!("listening on {url}");
            use std::io::Write;
            let _ = std::io::stdout().flush();
            tokio::signal::ctrl_c()
                .await
                .map_err(|e| Error::io("waiting for Ctrl+C", e))?;
            sandbox.shutdown().await;
            Ok(())
        }
    }
}
