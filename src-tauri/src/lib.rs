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
            //
            // orders
            //
            // subscriptions
            commands::subscriptions::list_subscriptions,
            commands::subscriptions::subscription_badges,
            commands::subscriptions::get_subscription,
            commands::subscriptions::cancel_subscription,
            commands::subscriptions::set_auto_renew,
            commands::subscriptions::set_auto_renew_bulk,
            commands::subscriptions::quantity_bounds,
            commands::subscriptions::set_quantity,
            commands::subscriptions::activation_link,
            commands::subscriptions::cancellation_policy,
            commands::subscriptions::export_subscriptions,
            commands::subscriptions::plan_options,
            commands::subscriptions::change_plan,
            //
            // support
            //
            // account
        ])
}

/// Start the desktop app.
pub fn run() {
    build_app(tauri::Builder::default())
        .setup(|app| {
            let log_guard = logging::init(app.path().app_log_dir().ok());
            let data_dir = app.path().app_data_dir()?;
            let state = AppState::from_env(data_dir, log_guard)?;
            // Open the connection (and start the embedded sandbox) while the window paints.
            let core = state.core.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = core.connection().await {
                    tracing::error!(error = %e, "could not connect");
                }
            });
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running CSP Desk");
}
