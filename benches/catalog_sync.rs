//! Benchmark: sync 10,000 products from a sandbox with 20 ms of injected latency per request and
//! a 500 requests/s rate limit, concurrently vs. strictly serially, in the same run.
//!
//! `cargo bench --bench catalog_sync` (set `SYNC_BENCH_OFFERS` to change the catalog size).
//! Prints wall times, the ratio, request counts and whether any request failed.

use std::sync::Arc;
use std::time::Instant;

use cspdesk_core::catalog::sync::{fetch, SyncOptions};
use cspdesk_core::connection::SANDBOX_TOKEN;
use cspdesk_core::partner_center::auth::StaticToken;
use cspdesk_core::partner_center::{Client, ClientConfig, Endpoints};
use cspdesk_core::secrets::Secret;
use cspdesk_sandbox::{Sandbox, SandboxConfig, SANDBOX_ARM_SUBSCRIPTION};

fn client(sb: &Sandbox, max_rps: Option<f64>) -> Client {
    let mut cfg = ClientConfig::new(
        Endpoints::single(sb.url()),
        Arc::new(StaticToken(Secret::new(SANDBOX_TOKEN))),
    );
    cfg.max_rps = max_rps;
    Client::new(cfg).expect("client")
}

async fn run(
    sb: &Sandbox,
    concurrency: usize,
    max_rps: Option<f64>,
) -> (
    f64,
    usize,
    cspdesk_core::partner_center::client::StatsSnapshot,
) {
    let c = client(sb, max_rps);
    let mut opts = SyncOptions::new("US");
    opts.concurrency = concurrency;
    opts.arm_subscription = Some(SANDBOX_ARM_SUBSCRIPTION.into());
    let t = Instant::now();
    let (offers, _, arm_err) = fetch(&c, &opts, &|_| {})
        .await
        .expect("sync succeeds: no request may fail");
    assert!(arm_err.is_none(), "{arm_err:?}");
    (t.elapsed().as_secs_f64(), offers.len(), c.stats())
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("SYNC_BENCH_OFFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let faults = "latency=20ms,rate=500/s".parse().expect("faults");
    let sb = Sandbox::start(SandboxConfig {
        offers: n,
        faults,
        ..Default::default()
    })
    .await
    .expect("sandbox");
    println!("catalog_sync: {n} products, sandbox faults latency=20ms rate=500/s");

    let (par, offers, ps) = run(&sb, 16, Some(480.0)).await;
    println!("concurrent (16 in flight, paced 480 req/s): {par:.1} s, {offers} offers, {} requests, {} throttled, {} retries", ps.requests, ps.throttled, ps.retries);
    let (ser, offers2, ss) = run(&sb, 1, None).await;
    println!("serial (1 in flight):                      {ser:.1} s, {offers2} offers, {} requests, {} throttled, {} retries", ss.requests, ss.throttled, ss.retries);
    assert_eq!(offers, offers2, "both runs see the same catalog");
    println!("speed-up: {:.1}x (target >= 8x)", ser / par);
    println!("sandbox: {:?}", sb.stats());
}
