//! IPC commands, one area per file. Each takes owned arguments and the state, calls one core
//! function, and maps its error to [`crate::IpcError`].

pub mod account;
pub mod catalog;
pub mod connection;
pub mod desktop;
pub mod orders;
pub mod prices;
pub mod pricing;
pub mod subscriptions;
pub mod support;
