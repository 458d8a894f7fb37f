//! Subscriptions: deadlines, activation queue, cancel, auto-renew, plan and quantity changes (issue 6).

use super::AppCore;

impl AppCore {}
