//! What a connection needs of a built-in sandbox, and the one clock.
//!
//! The core does not link the simulator and the simulator does not link the core; both know
//! these types, so the CLI and the desktop can hand the core a sandbox starter.

use std::any::Any;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use url::Url;

use crate::error::Result;

/// The one clock every deadline reads: the embedded sandbox's (which a test or a demo can move),
/// else the system's. The CLI and the desktop take "now" from here, never from `Utc::now`.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// A clock that reads `now` from somewhere else (the sandbox's clock, a test's).
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// A built-in sandbox that was started for a connection.
pub struct RunningSandbox {
    /// Its base URL; it serves every host and the sign-in.
    pub url: Url,
    /// Its clock.
    pub clock: Clock,
    /// Keeps it running; dropping it stops the server.
    pub guard: Box<dyn Any + Send + Sync>,
}

/// How to start the built-in sandbox. The core does not link the simulator: the CLI and the
/// desktop pass `cspdesk_sandbox::starter()` in `cspdesk_core::connection::ConnectOptions`.
pub type SandboxStarter =
    Arc<dyn Fn(SandboxStart) -> BoxFuture<'static, Result<RunningSandbox>> + Send + Sync>;

/// What the core asks of a built-in sandbox.
#[derive(Debug, Clone)]
pub struct SandboxStart {
    /// Its state file (orders survive a restart).
    pub state: PathBuf,
    /// Catalog size; `None`: the sandbox's default.
    pub offers: Option<usize>,
}
