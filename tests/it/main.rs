//! The integration tests of the CLI, the core and the sandbox, in one binary: they share one
//! build of the sandbox (axum and all) and one set of helpers (`support`). Each module is one
//! area; `cargo test --test it <area>` runs one.
//!
//! Two test files stay binaries of their own, each for a reason given in its module doc:
//! `fuzz.rs` (run alone for a bounded time by the gate) and `auth_leaks.rs` (it captures the
//! whole process's logs at `trace`).

mod support;

mod app_account;
mod app_core;
mod app_orders;
mod app_prices;
mod app_pricing;
mod app_subscriptions;
mod app_support;
mod arm_versions;
mod auth;
mod billing;
mod cli_auth;
mod cli_offers;
mod client_decoding;
mod client_http;
mod crash;
mod customer_prices;
mod doctor;
mod documented_shapes;
mod graph_billing;
mod impact;
mod margins;
mod orders;
mod plans;
mod pricelist;
mod pricelist_golden;
mod publishers;
mod sandbox_catalog;
mod sandbox_commerce;
mod schedule;
mod soak;
mod subscriptions;
mod trials;
