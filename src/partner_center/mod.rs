//! Partner Center client.
