//! The device's Ed25519 signing key (FSP/1: it signs submission manifests; SUBMISSION.md
//! § 6.1), kept in the platform [`SecretStore`] beside the X25519 device identity, under its
//! own name. The seed never leaves the secret store but to sign.

use ed25519_dalek::SigningKey;
use zeroize::Zeroizing;

use super::CryptoError;
use super::secret_store::SecretStore;

/// The name of the signing key's seed in the [`SecretStore`].
pub const SIGNING_SECRET_NAME: &str = "elternkit.device-signing-key.v1";

/// The device signing key from the secret store, made (once, also when several processes
/// race on first use) if there is none yet.
pub fn device_signing_key(store: &dyn SecretStore) -> Result<SigningKey, CryptoError> {
    if let Some(seed) = store.load(SIGNING_SECRET_NAME)? {
        return Ok(SigningKey::from_bytes(&seed));
    }
    let fresh: Zeroizing<[u8; 32]> = Zeroizing::new(rand::random());
    let stored = store.store_if_absent(SIGNING_SECRET_NAME, &fresh)?;
    Ok(SigningKey::from_bytes(&stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::MemorySecretStore;

    #[test]
    fn made_once_and_then_loaded() {
        let store = MemorySecretStore::new();
        let first = device_signing_key(&store).expect("made");
        let again = device_signing_key(&store).expect("loaded");
        assert_eq!(first.to_bytes(), again.to_bytes());
        let other = device_signing_key(&MemorySecretStore::new()).expect("made");
        assert_ne!(first.to_bytes(), other.to_bytes());
    }
}
