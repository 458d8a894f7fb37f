//! The well-known identities of CSP Desk's sandbox, the simulator on loopback.
//!
//! They live in the client, not in the sandbox, because both sides need them: the sandbox
//! serves them, and the core picks them when it talks to a sandbox with no sign-in (the token
//! it sends, the app registration it signs in with, the Azure subscription in ARM paths).

/// The token the sandbox accepts from a client that has not signed in.
pub const SANDBOX_TOKEN: &str = "sandbox-access-token";
/// Tenant id of the simulated partner.
pub const SANDBOX_TENANT_ID: &str = "5b1d6a3e-0c4f-4e7a-9d2b-7f3c1e8a9b40";
/// An application (client) id for signing in to a sandbox without an app registration.
pub const SANDBOX_CLIENT_ID: &str = "c5d3e4f1-0a2b-4c6d-8e9f-1a2b3c4d5e6f";
/// The Azure subscription id used in ARM paths.
pub const SANDBOX_ARM_SUBSCRIPTION: &str = "0f3a9c2e-7b1d-4c58-a6e2-3d9b8f1c4e70";
