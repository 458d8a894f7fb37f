//! Settings, sign-in and sign-out, who is signed in (issue 8).

use super::AppCore;

impl AppCore {}
