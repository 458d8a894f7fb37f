//! CSP Desk's desktop shell: window, IPC commands, logging. Everything else is the core's.
//!
//! [`run`] starts the real app; [`build_app`] wires plugins and commands onto any runtime, so a
//! test can pass `tauri::test::mock_builder()` and call the commands through real IPC. The shell
//! deliberately holds no logic: each command calls one [`cspdesk::app::AppCore`] method.

mod commands;
pub mod ipc_error;
mod logging;
pub mod state;

use tauri::{Manager, Runtime};

pub use ipc_error::{ErrorKind, IpcError};
pub use state::AppState;

/// Plugins and commands, on any runtime.
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![
            commands::connection::connection_status,
            commands::connection::markets,
            commands::catalog::last_sync,
            commands::catalog::sync_catalog,
            commands::catalog::cancel_sync,
            commands::catalog::query_offers,
            commands::catalog::offer_detail,
            commands::catalog::publishers,
            // prices
            commands::prices::price_list_status,
            commands::prices::default_price_list_path,
            commands::prices::export_prices,
            commands::prices::cancel_price_export,
            commands::prices::fetch_price_snapshots,
            commands::prices::price_changes,
            commands::prices::default_changes_path,
            commands::prices::export_price_changes,
            commands::prices::open_exported_file,
            commands::prices::reveal_exported_file,
            // orders
            commands::orders::customers,
            commands::orders::customer_detail,
            commands::orders::purchase_options,
            commands::orders::review_order,
            commands::orders::place_order,
            commands::orders::order_activation_link,
            commands::orders::orders,
            // subscriptions
            commands::subscriptions::list_subscriptions,
            commands::subscriptions::subscription_badges,
            commands::subscriptions::get_subscription,
            commands::subscriptions::cancel_subscription,
            commands::subscriptions::set_auto_renew,
            commands::subscriptions::set_auto_renew_bulk,
            commands::subscriptions::quantity_bounds,
            commands::subscriptions::set_quantity,
            commands::subscriptions::subscription_activation_link,
            commands::subscriptions::cancellation_policy,
            commands::subscriptions::export_subscriptions,
            commands::subscriptions::plan_options,
            commands::subscriptions::change_plan,
            //
            // support
            commands::support::list_invoices,
            commands::support::invoice_lines,
            commands::support::export_invoice_lines,
            commands::support::list_publishers,
            commands::support::publisher_detail,
            commands::support::publisher_for_subscription,
            commands::support::add_publisher_note,
            commands::support::delete_publisher_note,
            commands::support::export_publisher_notes,
            //
            // account
            commands::account::read_settings,
            commands::account::save_settings,
            commands::account::whoami,
            commands::account::check_connection,
            commands::account::sign_in,
            commands::account::cancel_sign_in,
            commands::account::sign_out,
            commands::account::restart_app,
        ])
}

/// Without a GPU (no DRM render node), WebKitGTK's accelerated compositing runs on software
/// OpenGL and its frames arrive late. Measured here under Xvfb on 2 cores (marketplace E2E,
/// keystroke → rows painted): p99 46–74 ms composited, 25–29 ms with compositing off, and the web
/// process's peak RSS 365 → 230 MiB. So without a GPU, compositing is turned off unless the user
/// chose. Must run before any thread starts (it sets the process environment).
fn no_compositing_without_gpu() -> bool {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if !cfg!(target_os = "linux") || std::env::var_os(VAR).is_some() {
        return false;
    }
    let gpu = std::fs::read_dir("/dev/dri").is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if !gpu {
        std::env::set_var(VAR, "1");
    }
    !gpu
}

/// Start the desktop app.
pub fn run() {
    let no_gpu = no_compositing_without_gpu();
    build_app(tauri::Builder::default())
        .setup(move |app| {
            let log_guard = logging::init(app.path().app_log_dir().ok());
            if no_gpu {
                tracing::info!("no GPU render node: WebKit compositing is off");
            }
            let data_dir = app.path().app_data_dir()?;
            let state = AppState::from_env(data_dir, log_guard)?;
            // Open the connection (and start the embedded sandbox) while the window paints.
            let core = state.core.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = core.connection().await {
                    tracing::error!(error = %e, "could not connect");
                } else if let Err(e) = core.reconcile_orders().await {
                    tracing::warn!(error = %e, "orders journal not reconciled");
                }
            });
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running CSP Desk");
}
