//! Settings, sign-in and sign-out, who is signed in (issue 8).
