//! What the integration tests share: a sandbox with a client or a connection pointed at it
//! (`common`), raw HTTP against the sandbox (`sandbox_support`), and the sign-in with a scripted
//! browser (`auth_support`), and the `cspdesk` binary in a folder of its own (`cli`).

pub mod auth_support;
pub mod cli;
pub mod common;
pub mod sandbox_support;

use cspdesk_sandbox::{Sandbox, SandboxConfig};

/// The one way the tests start a sandbox.
pub async fn start_sandbox(cfg: SandboxConfig) -> Sandbox {
    Sandbox::start(cfg).await.expect("sandbox starts")
}
