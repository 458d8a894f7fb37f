//! Logs through `tracing` to stdout and to a daily rolling file in the app's log dir.
//! The level comes from `CSPDESK_LOG` (e.g. `debug`, `cspdesk=debug,info`); the default is `info`.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Install the subscriber once. Returns the file writer's guard (keep it alive) when the log
/// dir is usable.
pub fn init(log_dir: Option<PathBuf>) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_env("CSPDESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,reqwest=warn,tao=warn,wry=warn"));
    let (file_layer, guard) = match log_dir.filter(|d| std::fs::create_dir_all(d).is_ok()) {
        Some(dir) => {
            let (writer, guard) = tracing_appender::non_blocking(tracing_appender::rolling::daily(
                dir,
                "cspdesk.log",
            ));
            (
                Some(fmt::layer().with_ansi(false).with_writer(writer)),
                Some(guard),
            )
        }
        None => (None, None),
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stdout))
        .with(file_layer)
        .try_init()
        .is_ok();
    installed.then_some(guard).flatten()
}
