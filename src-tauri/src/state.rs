//! The one managed state: the core facade, plus the log writer's guard so buffered lines are
//! flushed when the app exits.

use std::path::PathBuf;
use std::sync::Arc;

use cspdesk_core::app::account::desktop_settings_path;
use cspdesk_core::app::AppCore;

pub struct AppState {
    pub core: Arc<AppCore>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl AppState {
    pub fn new(core: AppCore) -> AppState {
        AppState {
            core: Arc::new(core),
            _log_guard: None,
        }
    }

    /// Connection settings from the settings file (`CSPDESK_SETTINGS`, else the CLI's), with
    /// the `CSPDESK_*` variables on top; data in `data_dir` unless `CSPDESK_DATA_DIR`.
    pub fn from_env(
        data_dir: PathBuf,
        log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
    ) -> cspdesk_core::Result<AppState> {
        Ok(AppState {
            core: Arc::new(AppCore::for_desktop(
                desktop_settings_path(),
                data_dir,
                Some(cspdesk_sandbox::starter()),
            )?),
            _log_guard: log_guard,
        })
    }
}
