//! End to end: the real app in a real window (Xvfb) driven through tauri-driver and
//! WebKitWebDriver. It filters by type, category and publisher, types a search, opens a detail,
//! and checks after each step that the rows on screen are the rows the core answers for the same
//! query on the same store. It also measures cold start and keystroke-to-rows latency, prints
//! peak RSS, and saves screenshots under `target/e2e-shots/` (1280×800 and 1024×700).
//!
//! One module per view; each test starts the driver on a fresh data dir and drives the real
//! app. Self-skips unless `E2E=1`. Run by `scripts/test.sh` under `xvfb-run` (build notes §5, G2–G4).

mod common;
// Accessibility (axe-core) on every view, both themes, with the accessibility bus on:
mod a11y;
// One module per area:
mod buy;
mod desk;
mod korean;
mod marketplace;
mod package;
mod prices;
mod publishers;
mod settings;
mod subscriptions;
//
