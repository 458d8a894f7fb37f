//! CSP Desk core: every rule the desktop app and the `cspdesk` CLI share, with no dependency on
//! Tauri and none on the sandbox.
//!
//! The domains (catalog, price lists, orders, subscriptions, billing, publishers), the local
//! SQLite [`store`], the [`settings`], the sign-in ([`auth`]) and the [`connection`] live here.
//! They talk to Microsoft through [`partner_center`] (the `cspdesk-client` crate). The built-in
//! simulator is a separate crate: the CLI and the app hand it to [`connection`] as a starter, so
//! this crate never links an HTTP server of its own beyond the sign-in's loopback redirect.

pub use cspdesk_client as partner_center;
pub use cspdesk_client::{error, secrets};
pub use error::{Error, Result};

pub mod app;
pub mod auth;
pub mod billing;
pub mod bindings;
pub mod catalog;
pub mod connection;
pub mod customers;
pub mod desktop;
pub mod doctor;
pub mod message;
pub mod orders;
pub mod pricelist;
pub mod pricing;
pub mod publishers;
pub mod schedule;
pub mod settings;
pub mod store;
pub mod subscriptions;
pub mod tabular;
