//! Tags that authenticate stored values with a key derived from the device secret.
//!
//! age is public-key encryption: whoever holds the device's recipient (shown as a QR code for
//! the other parent) can seal an envelope this device decrypts. So every stored value also
//! carries an HMAC-SHA256 tag keyed from the secret, over its ciphertext and every clear
//! column that decides behaviour. Only the device can make one.

use std::io::{self, Write};

use hmac::{Hmac, Mac};
use sha2_hmac::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// A 32-byte HMAC-SHA256 tag.
pub type Tag = [u8; 32];

/// Length of a [`Tag`].
pub const TAG_LEN: usize = 32;

/// The MAC key of a device (HKDF-SHA256 of the device secret), zeroized on drop.
pub struct StoreMac {
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for StoreMac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreMac { .. }")
    }
}

/// Label of the derivation: a new label means a new, unrelated key.
const DERIVE_LABEL: &[u8] = b"elternkit store mac v2";

impl StoreMac {
    pub(crate) fn derive(secret: &[u8; 32]) -> Self {
        Self {
            key: Zeroizing::new(age_core::primitives::hkdf(
                b"elternkit",
                DERIVE_LABEL,
                secret,
            )),
        }
    }

    /// Starts a tag over `domain` and then fields added with [`TagBuilder::field`].
    pub fn builder(&self, domain: &str) -> TagBuilder {
        // HMAC takes keys of any length; 32 bytes cannot be refused.
        let mac = <HmacSha256 as Mac>::new_from_slice(self.key.as_slice())
            .expect("HMAC accepts a 32-byte key");
        let mut builder = TagBuilder { mac };
        builder.field(domain.as_bytes());
        builder
    }

    /// The tag over `domain` and `fields`, each length-prefixed (so no two field lists give
    /// the same input).
    pub fn tag(&self, domain: &str, fields: &[&[u8]]) -> Tag {
        let mut builder = self.builder(domain);
        for field in fields {
            builder.field(field);
        }
        builder.finish()
    }

    /// Checks `tag` in constant time.
    pub fn verify(&self, domain: &str, fields: &[&[u8]], tag: &[u8]) -> bool {
        let mut builder = self.builder(domain);
        for field in fields {
            builder.field(field);
        }
        builder.verify(tag)
    }
}

/// An HMAC in progress; also a [`Write`] sink for streams (document files).
pub struct TagBuilder {
    mac: HmacSha256,
}

impl std::fmt::Debug for TagBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TagBuilder { .. }")
    }
}

impl TagBuilder {
    /// Adds one length-prefixed field.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.mac.update(&(bytes.len() as u64).to_be_bytes());
        self.mac.update(bytes);
        self
    }

    /// Adds raw bytes (a stream whose length is fixed by its own framing or by a later field).
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.mac.update(bytes);
        self
    }

    pub fn finish(self) -> Tag {
        self.mac.finalize().into_bytes().into()
    }

    /// Constant-time comparison with `tag`.
    pub fn verify(self, tag: &[u8]) -> bool {
        self.mac.verify_slice(tag).is_ok()
    }
}

impl Write for TagBuilder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.mac.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_depend_on_key_domain_and_field_boundaries() {
        let a = StoreMac::derive(&[1; 32]);
        let b = StoreMac::derive(&[2; 32]);
        let t = a.tag("draft", &[b"ab", b"c"]);
        assert!(a.verify("draft", &[b"ab", b"c"], &t));
        assert!(!b.verify("draft", &[b"ab", b"c"], &t));
        assert!(!a.verify("outbox", &[b"ab", b"c"], &t));
        assert!(!a.verify("draft", &[b"a", b"bc"], &t));
        assert!(!a.verify("draft", &[b"ab", b"c"], &t[..31]));
    }
}
