//! Price lists and the Changes view: export with progress and cancel, snapshots, diffs (issue 4).

use super::AppCore;

impl AppCore {}
