//! Rules of the installed desktop app that are not about Partner Center: where a remembered
//! window may reappear ([`window`]), what "Copy diagnostics" contains and what it must never
//! contain ([`diagnostics`]), and when and from where the app may update itself ([`update`]).
//! The Tauri shell only wires them to its plugins.

pub mod diagnostics;
pub mod update;
pub mod window;

/// What the About box shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AboutInfo {
    pub name: String,
    pub version: String,
    /// The commit the app was built from (baked in at build time).
    pub commit: String,
    pub licence: String,
    pub homepage: String,
    pub data_dir: String,
    pub log_dir: String,
    pub settings_file: String,
}

/// The licence the app is published under (the workspace's).
pub const LICENCE: &str = "MIT";
