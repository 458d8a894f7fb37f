//! CSP Desk's client for Microsoft's services: Partner Center, the Partner API (price sheets),
//! Azure Resource Manager (the marketplace catalog) and the sign-in's token audiences. One
//! transport, typed requests, open models, explicit paging and retry, and the one error type.
//!
//! What it deliberately does not do: business rules (what may be bought, cancellation windows).
//! Those live in `cspdesk-core`, which calls it. It knows nothing of the sandbox either, beyond
//! the well-known ids in [`sandbox_ids`] that a client needs to talk to one.

pub mod api;
pub mod arm;
pub mod auth;
pub mod categories;
pub mod client;
pub mod embedded;
pub mod error;
pub mod graph;
pub mod json;
pub mod models;
pub mod paging;
pub mod retry;
pub mod sandbox_ids;
pub mod secrets;
pub mod transitions;

pub use client::{Client, ClientConfig, Endpoints, Host, Request};
pub use error::{Error, Result};
