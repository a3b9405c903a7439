//! Device keys and `age` envelopes: the only place that encrypts or decrypts stored data.
//!
//! Every sensitive value the store keeps is an age (X25519) envelope to the device's own
//! recipient. age has no associated data, so the plaintext starts with a small frame that
//! repeats where the value belongs (kind, row id, version); [`DeviceKey::open`] checks it, so
//! an envelope copied into another row is refused. The same envelope format carries a draft
//! to the other parent ([`handoff`]).
//!
//! age is public-key encryption, so anyone holding the device's (shareable) recipient can
//! seal an envelope it decrypts. [`StoreMac`] (HMAC-SHA256 keyed from the device secret)
//! authenticates what the store keeps; see `store/integrity.rs`.
//!
//! [`Encrypted`] can only be built here: the store's DAO takes nothing else, so a new column
//! cannot be written in the clear by accident.

mod device_key;
mod frame;
pub mod handoff;
mod mac;
mod secret_store;
mod signing_key;

pub(crate) use device_key::parse_recipient;
pub use device_key::{DeviceKey, KeyId, SealWriter, StreamOpener};
pub use frame::{Binding, Kind};
pub use mac::{StoreMac, TAG_LEN, Tag, TagBuilder};
pub use secret_store::{
    FileSecretStore, MemorySecretStore, MonotonicCounter, Secret, SecretStore, SecretStoreError,
};
pub use signing_key::{SIGNING_SECRET_NAME, device_signing_key};

/// An age envelope made by this module; the store persists it as an opaque blob.
///
/// The fields are private to `crypto`, so nothing else can wrap plaintext in this type.
#[derive(Clone, PartialEq, Eq)]
pub struct Encrypted {
    bytes: Vec<u8>,
}

impl Encrypted {
    /// The envelope bytes to persist.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for Encrypted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encrypted({} bytes)", self.bytes.len())
    }
}

/// What went wrong while encrypting, decrypting or loading a key.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "the data was encrypted for another key; open it on the device that created it, or \
         with that device's key file"
    )]
    WrongKey,
    #[error("the encrypted data is damaged or was altered (authentication failed)")]
    Damaged,
    /// Not age-encrypted at all (a plain case file given as a handoff): not tampering.
    #[error(
        "this is not a draft handoff: expected the age-encrypted text that `draft export` \
         writes (-----BEGIN AGE ENCRYPTED FILE-----)"
    )]
    NotAHandoff,
    #[error(
        "the encrypted data belongs to {found}, not to {expected}; it was moved or copied \
         between records"
    )]
    Misplaced { expected: String, found: String },
    /// `input` (its first 80 characters) is for the caller; the message leaves it out, as
    /// it may be anything pasted into the wrong field.
    #[error("not a valid age recipient ({reason}); expected `age1…` as shown by the other device")]
    BadRecipient { input: String, reason: String },
    #[error(
        "the sender of this handoff could not be verified (no valid signature for this \
         device); ask the other parent to export it again for your key"
    )]
    Unauthenticated,
    #[error("the secret store failed: {0}")]
    SecretStore(#[from] SecretStoreError),
    #[error("the {what} is larger than the limit of {limit} bytes; nothing was read")]
    TooLarge { what: &'static str, limit: u64 },
    #[error("encryption failed: {0}")]
    Encrypt(String),
    #[error("I/O error while encrypting or decrypting: {0}")]
    Io(#[from] std::io::Error),
}

impl CryptoError {
    /// Decrypting a stream (a document file): a read error is a real I/O error.
    fn from_decrypt(err: age::DecryptError) -> Self {
        match err {
            age::DecryptError::NoMatchingKeys => Self::WrongKey,
            age::DecryptError::Io(e) if e.kind() != std::io::ErrorKind::InvalidData => Self::Io(e),
            _ => Self::Damaged,
        }
    }

    /// Decrypting bytes in memory cannot fail to read: an end of input inside the header
    /// ("failed to fill whole buffer") is a cut or empty envelope, so damage.
    fn from_decrypt_in_memory(err: age::DecryptError) -> Self {
        match err {
            age::DecryptError::NoMatchingKeys => Self::WrongKey,
            _ => Self::Damaged,
        }
    }

    /// Read errors from age's stream reader: a failed chunk tag is `InvalidData`.
    pub(crate) fn from_read(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::InvalidData {
            Self::Damaged
        } else {
            Self::Io(err)
        }
    }
}
