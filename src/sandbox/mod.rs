//! TEMPORARY STUB — replaced by the real simulator from the `sandbox` branch.
#![allow(missing_docs, clippy::all)]
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const SANDBOX_TENANT_ID: &str = "00000000-0000-0000-0000-000000000000";
pub const SANDBOX_ARM_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub addr: SocketAddr,
    pub seed: u64,
    pub offers: usize,
    pub state: Option<PathBuf>,
    pub faults: FaultSpec,
}
impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: "127.0.0.1:0".parse().unwrap(),
            seed: 42,
            offers: 2000,
            state: None,
            faults: FaultSpec::default(),
        }
    }
}
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSpec {
    pub latency: Option<(Duration, Duration)>,
    pub rate_per_sec: Option<u32>,
    pub throttle_pct: f64,
    pub throttle_every: Option<u32>,
    pub server_error_pct: f64,
    pub drop_after_commit_pct: f64,
}
impl std::str::FromStr for FaultSpec {
    type Err = crate::Error;
    fn from_str(_s: &str) -> crate::Result<Self> {
        Ok(FaultSpec::default())
    }
}
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct FaultStats {
    pub requests: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub dropped: u64,
    pub deduplicated_writes: u64,
}
pub struct Sandbox {
    url: url::Url,
}
impl Sandbox {
    pub async fn start(_cfg: SandboxConfig) -> crate::Result<Sandbox> {
        Err(crate::Error::Invalid("stub".into()))
    }
    pub fn url(&self) -> &url::Url {
        &self.url
    }
    pub fn set_faults(&self, _f: FaultSpec) {}
    pub fn stats(&self) -> FaultStats {
        FaultStats::default()
    }
    pub async fn shutdown(self) {}
}
