//! What only the platform has: the key store and the clock. The core has no clock, and its
//! device key lives in Android Keystore / iOS Keychain, reached through these traits.

use std::fmt;
use std::sync::Arc;

use elternkit_store::crypto::{
    MonotonicCounter, Secret, SecretStore as CoreSecretStore,
    SecretStoreError as CoreSecretStoreError,
};
use zeroize::Zeroizing;

use crate::error::SecretStoreError;

/// Named 32-byte secrets kept in the platform's key store (Android Keystore-wrapped file,
/// iOS Keychain). The implementation must not call back into the `App`: the `App` holds
/// its store lock while it calls out. Sync methods call it on the caller's thread; the
/// submission's async methods on a thread of the `App`'s runtime.
#[uniffi::export(foreign)]
pub trait SecretStore: Send + Sync {
    /// The secret stored under `name`, or `null`/`nil` if there is none.
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, SecretStoreError>;
    /// Stores `secret` under `name`, replacing what was there.
    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), SecretStoreError>;
    /// Stores `secret` only if nothing is stored under `name`, atomically against other
    /// processes (app and extension), and returns what is stored afterwards.
    fn store_if_absent(&self, name: String, secret: Vec<u8>) -> Result<Vec<u8>, SecretStoreError>;
    /// Deleting a missing secret is not an error.
    fn delete(&self, name: String) -> Result<(), SecretStoreError>;
    /// Whether this store keeps monotonic counters (detects a database put back to an
    /// older copy). Keychain and Keystore can; return `false` where it cannot.
    fn keeps_counters(&self) -> bool;
    /// The counter `name`; 0 when never raised.
    fn counter_get(&self, name: String) -> Result<u64, SecretStoreError>;
    /// Raises counter `name` to `value` if it is lower; never lowers it.
    fn counter_raise(&self, name: String, value: u64) -> Result<(), SecretStoreError>;
}

/// The platform's calendar.
#[uniffi::export(foreign)]
pub trait PlatformClock: Send + Sync {
    /// Today's date in Germany as `YYYY-MM-DD` (the bundle's evaluation day and the day
    /// the office directory must be valid on).
    fn today(&self) -> String;
}

/// The platform store as the core's [`CoreSecretStore`].
pub(crate) struct Secrets(pub(crate) Arc<dyn SecretStore>);

fn platform(e: SecretStoreError) -> CoreSecretStoreError {
    CoreSecretStoreError::Platform(e.to_string())
}

fn to_secret(bytes: Vec<u8>) -> Result<Secret, CoreSecretStoreError> {
    let bytes = Zeroizing::new(bytes);
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        CoreSecretStoreError::Platform(format!(
            "the key store returned {} bytes, a secret has 32",
            bytes.len()
        ))
    })?;
    Ok(Secret::new(array))
}

impl CoreSecretStore for Secrets {
    fn load(&self, name: &str) -> Result<Option<Secret>, CoreSecretStoreError> {
        self.0
            .load(name.to_owned())
            .map_err(platform)?
            .map(to_secret)
            .transpose()
    }

    fn store(&self, name: &str, secret: &Secret) -> Result<(), CoreSecretStoreError> {
        self.0
            .store(name.to_owned(), secret.to_vec())
            .map_err(platform)
    }

    fn store_if_absent(&self, name: &str, secret: &Secret) -> Result<Secret, CoreSecretStoreError> {
        to_secret(
            self.0
                .store_if_absent(name.to_owned(), secret.to_vec())
                .map_err(platform)?,
        )
    }

    fn delete(&self, name: &str) -> Result<(), CoreSecretStoreError> {
        self.0.delete(name.to_owned()).map_err(platform)
    }

    fn counter(&self, name: &str) -> Option<Box<dyn MonotonicCounter>> {
        self.0.keeps_counters().then(|| {
            Box::new(Counter {
                store: self.0.clone(),
                name: name.to_owned(),
            }) as Box<dyn MonotonicCounter>
        })
    }
}

/// One counter of the platform store.
struct Counter {
    store: Arc<dyn SecretStore>,
    name: String,
}

impl fmt::Debug for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Counter").field("name", &self.name).finish()
    }
}

impl MonotonicCounter for Counter {
    fn get(&self) -> Result<u64, CoreSecretStoreError> {
        self.store.counter_get(self.name.clone()).map_err(platform)
    }

    fn raise(&self, value: u64) -> Result<(), CoreSecretStoreError> {
        self.store
            .counter_raise(self.name.clone(), value)
            .map_err(platform)
    }
}
