//! Where the refresh token lives between runs: the OS keychain, behind [`SecretStore`].
//!
//! [`KeyringStore`] is the real one (macOS Keychain, Windows Credential Manager, and on Linux
//! the Secret Service — gnome-keyring, KWallet — with the kernel keyutils session keyring as
//! the fallback where no Secret Service answers, e.g. a headless box). [`MemoryStore`] keeps
//! secrets in process memory for tests and CI. Nothing here ever writes a secret to a file,
//! and neither store prints a value in `Debug`.
//!
//! The trait is synchronous because the keychain APIs are: async callers run it on a blocking
//! thread (see [`run_blocking`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::secrets::Secret;

/// The keychain "service" name CSP Desk's entries are filed under.
pub const KEYCHAIN_SERVICE: &str = "cspdesk";

/// A small key → secret store.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    /// The secret under `key`, or `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<Secret>>;
    /// Stores (or replaces) the secret under `key`.
    fn set(&self, key: &str, value: &Secret) -> Result<()>;
    /// Removes the secret under `key`; removing a missing key is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// Runs a keychain call off the async executor (keychains may block on D-Bus or a prompt).
pub(crate) async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Keychain(format!("the keychain task stopped: {e}")))?
}

/// Secrets in process memory. For tests and CI; cheap to share behind an `Arc`.
#[derive(Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, Secret>>,
}

impl MemoryStore {
    pub fn new() -> Arc<MemoryStore> {
        Arc::new(MemoryStore::default())
    }

    /// The keys held (never the values).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.lock().keys().cloned().collect();
        keys.sort();
        keys
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("keys", &self.keys())
            .finish()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        Ok(self.lock().get(key).cloned())
    }
    fn set(&self, key: &str, value: &Secret) -> Result<()> {
        self.lock().insert(key.to_string(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.lock().remove(key);
        Ok(())
    }
}

/// The OS keychain, through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore::new()
    }
}

impl KeyringStore {
    /// Entries under [`KEYCHAIN_SERVICE`], or under `CSPDESK_KEYCHAIN_SERVICE` when set (tests
    /// of the real binary use their own name, so they never touch a person's sign-in).
    pub fn new() -> KeyringStore {
        let service = std::env::var("CSPDESK_KEYCHAIN_SERVICE")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| KEYCHAIN_SERVICE.to_string());
        KeyringStore::with_service(service)
    }

    /// Entries under another service name (tests that must not touch the real entries).
    pub fn with_service(service: impl Into<String>) -> KeyringStore {
        KeyringStore {
            service: service.into(),
        }
    }

    /// The backends to try, best first, each with a name for error messages.
    fn entries(&self, key: &str) -> Vec<(&'static str, keyring::Result<keyring::Entry>)> {
        #[cfg(target_os = "linux")]
        {
            use keyring::keyutils::KeyutilsCredential;
            use keyring::secret_service::SsCredential;
            let ss = SsCredential::new_with_target(None, &self.service, key)
                .map(|c| keyring::Entry::new_with_credential(Box::new(c)));
            let ku = KeyutilsCredential::new_with_target(None, &self.service, key)
                .map(|c| keyring::Entry::new_with_credential(Box::new(c)));
            vec![("Secret Service", ss), ("kernel keyring", ku)]
        }
        #[cfg(not(target_os = "linux"))]
        {
            vec![("keychain", keyring::Entry::new(&self.service, key))]
        }
    }
}

fn keychain_error(what: &str, failures: &[String]) -> Error {
    Error::Keychain(format!(
        "could not {what} in the OS keychain ({}). On Linux, CSP Desk needs a running Secret Service \
         (gnome-keyring or KWallet) or a kernel session keyring (e.g. run it under `keyctl session -`)",
        failures.join("; ")
    ))
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        let mut failures = vec![];
        let mut any_answered = false;
        for (name, entry) in self.entries(key) {
            match entry.and_then(|e| e.get_password()) {
                Ok(v) => return Ok(Some(Secret::new(v))),
                Err(keyring::Error::NoEntry) => any_answered = true,
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        if any_answered {
            if !failures.is_empty() {
                tracing::debug!(failures = %failures.join("; "), "some keychain backends are unavailable");
            }
            return Ok(None);
        }
        Err(keychain_error("read the sign-in", &failures))
    }

    fn set(&self, key: &str, value: &Secret) -> Result<()> {
        let mut failures = vec![];
        let entries = self.entries(key);
        for (i, (name, entry)) in entries.iter().enumerate() {
            let result = match entry {
                Ok(e) => e.set_password(value.expose()),
                Err(e) => Err(keyring::Error::Invalid(name.to_string(), e.to_string())),
            };
            match result {
                Ok(()) => {
                    // A stale copy in a lower backend must not shadow this one later.
                    for (_, other) in entries.iter().skip(i + 1) {
                        if let Ok(o) = other {
                            let _ = o.delete_credential();
                        }
                    }
                    return Ok(());
                }
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        Err(keychain_error("save the sign-in", &failures))
    }

    fn delete(&self, key: &str) -> Result<()> {
        let mut failures = vec![];
        let mut any_answered = false;
        for (name, entry) in self.entries(key) {
            match entry.and_then(|e| e.delete_credential()) {
                Ok(()) | Err(keyring::Error::NoEntry) => any_answered = true,
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        if any_answered {
            Ok(())
        } else {
            Err(keychain_error("remove the sign-in", &failures))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trip_and_redacted_debug() {
        let s = MemoryStore::new();
        assert!(s.get("k").unwrap().is_none());
        s.set("k", &Secret::new("very-secret-value")).unwrap();
        assert_eq!(s.get("k").unwrap().unwrap().expose(), "very-secret-value");
        assert!(!format!("{s:?}").contains("very-secret"));
        s.delete("k").unwrap();
        s.delete("k").unwrap();
        assert!(s.get("k").unwrap().is_none());
    }

    /// Runs against the real keychain when one is usable (under `keyctl session -`, as
    /// `scripts/test.sh` runs the tests, or on a desktop); skips otherwise.
    #[test]
    fn keyring_store_round_trip_when_a_keychain_is_usable() {
        let s = KeyringStore::with_service("cspdesk-test");
        let key = format!("probe-{}", uuid::Uuid::new_v4());
        if let Err(e) = s.set(&key, &Secret::new("probe-value")) {
            eprintln!("skipped: no usable keychain here ({e})");
            return;
        }
        assert_eq!(s.get(&key).unwrap().unwrap().expose(), "probe-value");
        s.delete(&key).unwrap();
        assert!(s.get(&key).unwrap().is_none());
    }
}
