//! The one managed state: the core facade, plus the log writer's guard so buffered lines are
//! flushed when the app exits.

use std::path::PathBuf;
use std::sync::Arc;

use cspdesk::app::{options_from_env, AppCore};

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

    /// Connection settings from the environment, data in `data_dir` unless `CSPDESK_DATA_DIR`.
    pub fn from_env(
        data_dir: PathBuf,
        log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
    ) -> cspdesk::Result<AppState> {
        let opts = options_from_env(data_dir)?;
        Ok(AppState {
            core: Arc::new(AppCore::new(opts)),
            _log_guard: log_guard,
        })
    }
}
