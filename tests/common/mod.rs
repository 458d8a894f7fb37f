//! Shared test setup: a sandbox on loopback and a client pointed at it.
#![allow(dead_code)]

use std::sync::Arc;

use cspdesk::connection::SANDBOX_TOKEN;
use cspdesk::partner_center::auth::StaticToken;
use cspdesk::partner_center::retry::RetryPolicy;
use cspdesk::partner_center::{Client, ClientConfig, Endpoints};
use cspdesk::sandbox::{FaultSpec, Sandbox, SandboxConfig};
use cspdesk::secrets::Secret;

pub async fn sandbox_with(offers: usize, faults: &str) -> Sandbox {
    let faults: FaultSpec = faults.parse().expect("fault spec");
    Sandbox::start(SandboxConfig { offers, faults, ..Default::default() }).await.expect("sandbox starts")
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(300, "").await
}

pub fn client_with(sandbox: &Sandbox, retry: RetryPolicy) -> Client {
    let mut cfg = ClientConfig::new(Endpoints::single(sandbox.url()), Arc::new(StaticToken(Secret::new(SANDBOX_TOKEN))));
    cfg.retry = retry;
    Client::new(cfg).expect("client")
}

pub fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, fast_retry(6))
}

/// Short backoffs so tests stay quick; `Retry-After` is still honoured as sent.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: std::time::Duration::from_millis(5),
        max_delay: std::time::Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}
