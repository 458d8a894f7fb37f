//! CSP Desk's desktop shell: window, IPC commands, logging. Everything else is the core's.
//!
//! [`run`] starts the real app; [`build_app`] wires plugins and commands onto any runtime, so a
//! test can pass `tauri::test::mock_builder()` and call the commands through real IPC. The shell
//! deliberately holds no logic: each command calls one [`cspdesk_core::app::AppCore`] method.

#[cfg(test)]
mod bindings;
mod commands;
pub mod ipc_error;
mod logging;
pub mod state;
mod updates;

use tauri::{Manager, Runtime};

pub use ipc_error::{ErrorKind, IpcError};
pub use state::AppState;

/// The invoke handler of every command in `commands/list.rs` (see there).
macro_rules! commands {
    ($($capability:ident: { $($area:ident: [$($command:ident),* $(,)?]),* $(,)? }),* $(,)?) => {
        tauri::generate_handler![$($($(commands::$area::$command,)*)*)*]
    };
}

/// Plugins and commands, on any runtime.
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(updates::Updates::default())
        .invoke_handler(include!("commands/list.rs"))
}

/// A second launch focuses the running window instead of opening another app.
fn focus_main<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Brings the restored window back onto a monitor if the one it was on is gone (the core's
/// rule, `cspdesk_core::desktop::window::on_screen`).
fn keep_on_screen<R: Runtime>(w: &tauri::WebviewWindow<R>) -> tauri::Result<()> {
    use cspdesk_core::desktop::window::{on_screen, Rect};
    let (pos, size) = (w.outer_position()?, w.outer_size()?);
    let now = Rect::new(pos.x, pos.y, size.width, size.height);
    let monitors: Vec<Rect> = w
        .available_monitors()?
        .iter()
        .map(|m| {
            let (p, s) = (m.position(), m.size());
            Rect::new(p.x, p.y, s.width, s.height)
        })
        .collect();
    let fixed = on_screen(now, &monitors);
    if fixed != now {
        tracing::info!(?now, ?fixed, "the window was off-screen; moved back");
        w.set_size(tauri::PhysicalSize::new(fixed.width, fixed.height))?;
        w.set_position(tauri::PhysicalPosition::new(fixed.x, fixed.y))?;
    }
    Ok(())
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
    // Window geometry under WebDriver (tauri-driver sets this) is the test's, not the user's.
    let automated = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    let mut builder = tauri::Builder::default()
        // First, so that a second launch exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main(app)
        }))
        .plugin(tauri_plugin_updater::Builder::new().build());
    if !automated {
        use tauri_plugin_window_state::StateFlags;
        builder = builder.plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
                .build(),
        );
    }
    build_app(builder)
        .setup(move |app| {
            if let Some(w) = app.get_webview_window("main") {
                if let Err(e) = keep_on_screen(&w) {
                    tracing::warn!(error = %e, "could not check the window position");
                }
            }
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
