//! Rules of the installed desktop app that are not about Partner Center: where a remembered
//! window may reappear ([`window`]), what "Copy diagnostics" contains and what it must never
//! contain ([`diagnostics`]), and when and from where the app may update itself ([`update`]).
//! The Tauri shell only wires them to its plugins.

pub mod diagnostics;
pub mod update;
pub mod window;
