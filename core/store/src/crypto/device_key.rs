//! The device's age identity and the envelopes made with it.

use std::io::{self, Read, Write};
use std::iter;

use age::x25519;
use zeroize::Zeroizing;

use super::frame::Binding;
use super::mac::StoreMac;
use super::secret_store::{Secret, SecretStore};
use super::{CryptoError, Encrypted};

/// A short public fingerprint of a device key, stored in the clear next to every envelope so a
/// wrong key is told apart from damaged data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId(String);

impl KeyId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn of_public(public: &[u8; 32]) -> Self {
        let digest = age_core::primitives::hkdf(b"elternkit key id v1", b"key id", public);
        let mut hex = String::with_capacity(16);
        for b in &digest[..8] {
            hex.push_str(&format!("{b:02x}"));
        }
        Self(hex)
    }
}

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The device's X25519 identity, held in memory only (zeroized on drop).
pub struct DeviceKey {
    secret: Secret,
    identity: x25519::Identity,
    recipient: x25519::Recipient,
    public: [u8; 32],
    key_id: KeyId,
    mac: StoreMac,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

const SECRET_HRP: &str = "age-secret-key-";
pub(crate) const PUBLIC_HRP: &str = "age";

impl DeviceKey {
    /// The name under which the identity lives in the [`SecretStore`].
    pub const SECRET_NAME: &'static str = "elternkit.device-identity.v1";

    /// Builds the identity from its 32 secret bytes.
    pub fn from_secret(secret: Secret) -> Result<Self, CryptoError> {
        // age only parses identities from their Bech32 text form.
        let hrp = bech32::Hrp::parse(SECRET_HRP)
            .map_err(|e| CryptoError::Encrypt(format!("bad identity prefix: {e}")))?;
        let text = Zeroizing::new(
            bech32::encode_upper::<bech32::Bech32>(hrp, secret.as_slice())
                .map_err(|e| CryptoError::Encrypt(format!("cannot encode identity: {e}")))?,
        );
        let identity: x25519::Identity = text
            .parse()
            .map_err(|e: &str| CryptoError::Encrypt(format!("cannot parse identity: {e}")))?;
        let static_secret = x25519_dalek::StaticSecret::from(*secret);
        let public = *x25519_dalek::PublicKey::from(&static_secret).as_bytes();
        let recipient = identity.to_public();
        let mac = StoreMac::derive(&secret);
        Ok(Self {
            mac,
            secret,
            identity,
            recipient,
            key_id: KeyId::of_public(&public),
            public,
        })
    }

    /// A fresh identity from the OS random generator.
    pub fn generate() -> Result<Self, CryptoError> {
        let text = {
            use age::secrecy::ExposeSecret;
            Zeroizing::new(
                x25519::Identity::generate()
                    .to_string()
                    .expose_secret()
                    .to_owned(),
            )
        };
        let (_, bytes) = bech32::decode(&text)
            .map_err(|e| CryptoError::Encrypt(format!("cannot decode new identity: {e}")))?;
        let bytes = Zeroizing::new(bytes);
        let mut secret = Zeroizing::new([0u8; 32]);
        if bytes.len() != 32 {
            return Err(CryptoError::Encrypt("new identity is not 32 bytes".into()));
        }
        secret.copy_from_slice(&bytes);
        Self::from_secret(secret)
    }

    /// The identity from the secret store, if there is one.
    pub fn load(store: &dyn SecretStore) -> Result<Option<Self>, CryptoError> {
        store
            .load(Self::SECRET_NAME)?
            .map(Self::from_secret)
            .transpose()
    }

    /// Generates an identity and saves it in the secret store unless one is there already;
    /// returns the identity that is stored. Processes racing on first use (app and
    /// extension, three CLI calls) all end up with the same key.
    pub fn create(store: &dyn SecretStore) -> Result<Self, CryptoError> {
        let key = Self::generate()?;
        let stored = store.store_if_absent(Self::SECRET_NAME, &key.secret)?;
        if *stored == *key.secret {
            Ok(key)
        } else {
            Self::from_secret(stored)
        }
    }

    /// The MAC key derived from the secret: authenticates everything the store keeps.
    pub fn mac(&self) -> &StoreMac {
        &self.mac
    }

    /// Removes the identity from the secret store: everything encrypted to it is lost.
    pub fn destroy(store: &dyn SecretStore) -> Result<(), CryptoError> {
        Ok(store.delete(Self::SECRET_NAME)?)
    }

    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The public recipient (`age1…`) another device encrypts to.
    pub fn recipient(&self) -> String {
        self.recipient.to_string()
    }

    pub(crate) fn public_bytes(&self) -> &[u8; 32] {
        &self.public
    }

    pub(crate) fn static_secret(&self) -> x25519_dalek::StaticSecret {
        x25519_dalek::StaticSecret::from(*self.secret)
    }

    pub(crate) fn identity(&self) -> &x25519::Identity {
        &self.identity
    }

    /// Encrypts `body` to this device, bound to `binding`.
    pub fn seal(&self, binding: &Binding, body: &[u8]) -> Result<Encrypted, CryptoError> {
        seal_to(&[&self.recipient], binding, body)
    }

    /// Decrypts an envelope made by [`DeviceKey::seal`] and checks that it belongs to
    /// `binding`. Returns the body.
    pub fn open(
        &self,
        binding: &Binding,
        envelope: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let plain = open_with(&self.identity, envelope)?;
        let (found, body) = Binding::parse(&plain)?;
        binding.check(&found)?;
        Ok(Zeroizing::new(body.to_vec()))
    }

    /// Starts a streaming envelope (documents): write the body, then call
    /// [`SealWriter::finish`].
    pub fn seal_stream<W: Write>(
        &self,
        binding: &Binding,
        out: W,
    ) -> Result<SealWriter<W>, CryptoError> {
        let encryptor =
            age::Encryptor::with_recipients(iter::once(&self.recipient as &dyn age::Recipient))
                .map_err(|e| CryptoError::Encrypt(e.to_string()))?;
        let mut inner = encryptor.wrap_output(out)?;
        inner.write_all(&binding.header()?)?;
        Ok(SealWriter { inner })
    }

    /// Opens a streaming envelope and checks its binding before any body byte is returned.
    pub fn open_stream<R: Read>(
        &self,
        binding: &Binding,
        input: R,
    ) -> Result<StreamOpener<R>, CryptoError> {
        let decryptor = age::Decryptor::new(input).map_err(CryptoError::from_decrypt)?;
        let mut reader = decryptor
            .decrypt(iter::once(&self.identity as &dyn age::Identity))
            .map_err(CryptoError::from_decrypt)?;
        let found = Binding::read_from(&mut reader)?;
        binding.check(&found)?;
        Ok(StreamOpener { inner: reader })
    }
}

/// Encrypts a framed body to several recipients (drafts at rest: one; handoff: two).
pub(crate) fn seal_to(
    recipients: &[&x25519::Recipient],
    binding: &Binding,
    body: &[u8],
) -> Result<Encrypted, CryptoError> {
    let mut plain = Zeroizing::new(binding.header()?);
    plain.extend_from_slice(body);
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| *r as &dyn age::Recipient))
            .map_err(|e| CryptoError::Encrypt(e.to_string()))?;
    // age adds ~200 bytes of header and 16 bytes per 64 KiB chunk.
    let mut bytes = Vec::with_capacity(plain.len() + 400);
    let mut writer = encryptor.wrap_output(&mut bytes)?;
    writer.write_all(&plain)?;
    writer.finish()?;
    Ok(Encrypted { bytes })
}

pub(crate) fn open_with(
    identity: &x25519::Identity,
    envelope: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let decryptor = age::Decryptor::new(envelope).map_err(CryptoError::from_decrypt_in_memory)?;
    let mut reader = decryptor
        .decrypt(iter::once(identity as &dyn age::Identity))
        .map_err(CryptoError::from_decrypt_in_memory)?;
    let mut plain = Zeroizing::new(Vec::with_capacity(envelope.len()));
    // Reading from memory: any error is a cut or altered envelope.
    reader
        .read_to_end(&mut plain)
        .map_err(|_| CryptoError::Damaged)?;
    Ok(plain)
}

/// Writes a streaming envelope; dropping it without [`SealWriter::finish`] leaves a truncated
/// file that will not decrypt.
pub struct SealWriter<W: Write> {
    inner: age::stream::StreamWriter<W>,
}

impl<W: Write> SealWriter<W> {
    pub fn finish(self) -> Result<W, CryptoError> {
        Ok(self.inner.finish()?)
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> std::fmt::Debug for SealWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealWriter { .. }")
    }
}

/// Reads the body of a streaming envelope; each 64 KiB chunk is authenticated before it is
/// returned, and truncation is an error at the end.
pub struct StreamOpener<R: Read> {
    inner: age::stream::StreamReader<R>,
}

impl<R: Read> Read for StreamOpener<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: Read> std::fmt::Debug for StreamOpener<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamOpener { .. }")
    }
}

/// Parses an `age1…` recipient into its key bytes.
pub(crate) fn parse_recipient(input: &str) -> Result<(x25519::Recipient, [u8; 32]), CryptoError> {
    let bad = |reason: &str| CryptoError::BadRecipient {
        input: input.chars().take(80).collect(),
        reason: reason.to_owned(),
    };
    // A QR code carries bech32 in upper case (alphanumeric mode); bech32 forbids mixed case,
    // so an all-upper-case key is the same key.
    let input = input.trim();
    let lower;
    let input = if input.bytes().any(|b| b.is_ascii_uppercase()) {
        if input.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(bad("mixed upper and lower case"));
        }
        lower = input.to_ascii_lowercase();
        lower.as_str()
    } else {
        input
    };
    let recipient: x25519::Recipient = input.parse().map_err(|e: &str| bad(e))?;
    let (hrp, bytes) = bech32::decode(input).map_err(|e| bad(&e.to_string()))?;
    if hrp.to_lowercase() != PUBLIC_HRP {
        return Err(bad("wrong prefix"));
    }
    let public: [u8; 32] = bytes.try_into().map_err(|_| bad("not 32 bytes"))?;
    Ok((recipient, public))
}
