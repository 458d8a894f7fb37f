//! Partner Center client: one transport, typed requests, open models, explicit paging and retry.
//!
//! What it deliberately does not do: business rules (what may be bought, cancellation windows).
//! Those live in the domain modules that call it.

pub mod api;
pub mod arm;
pub mod auth;
pub mod client;
pub mod graph;
pub mod json;
pub mod models;
pub mod paging;
pub mod retry;
pub mod transitions;

pub use client::{Client, ClientConfig, Endpoints, Host, Request};
