//! Built-in Partner Center simulator (being written on the `sandbox` branch).
