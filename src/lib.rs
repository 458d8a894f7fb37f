//! CSP Desk core.
//!
//! Everything the desktop app and the `cspdesk` CLI do lives here, with no dependency on Tauri:
//! the Partner Center client ([`partner_center`]), the built-in Partner Center simulator
//! ([`sandbox`]), the local SQLite [`store`], and the domain modules built on them.

pub mod auth;
pub mod error;
pub mod partner_center;
pub mod sandbox;
pub mod secrets;
pub mod settings;

pub use error::{Error, Result};
pub mod app;
pub mod billing;
pub mod catalog;
pub mod connection;
pub mod customers;
pub mod doctor;
pub mod orders;
pub mod pricelist;
pub mod publishers;
pub mod soak;
pub mod store;
pub mod subscriptions;
pub mod tabular;
