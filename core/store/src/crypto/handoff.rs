//! Partner handoff: a draft (or a part of it) as an armored age envelope to the other parent.
//!
//! age authenticates no sender, so the body carries the sender's device key and, per
//! recipient, a tag keyed by the static X25519 agreement between sender and recipient. Only
//! the holder of the sender's identity (or the recipient itself) can make that tag, so the
//! sender key shown on import is one the user can compare with the other phone's screen.

use std::io::{Read, Write};

use zeroize::Zeroizing;

use super::device_key::{parse_recipient, seal_to};
use super::frame::{Binding, Kind};
use super::{CryptoError, DeviceKey};

const KEY_LABEL: &[u8] = b"elternkit handoff key v1";
const TAG_LABEL: &[u8] = b"elternkit handoff tag v1";
/// Bounds an import before decryption allocates (drafts are kilobytes; 16 MiB of armor is far
/// more than any case).
pub const MAX_ARMORED: u64 = 16 * 1024 * 1024;

/// An imported handoff: the verified sender and the payload.
pub struct OpenedHandoff {
    /// The sender's device recipient (`age1…`): show it so the user can compare.
    pub sender: String,
    /// The sender's public key bytes (compare these, not the text: case may differ).
    pub sender_key: [u8; 32],
    pub payload: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for OpenedHandoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedHandoff")
            .field("sender", &self.sender)
            .field("payload", &format_args!("{} bytes", self.payload.len()))
            .finish()
    }
}

/// The tag for one recipient. `other` is the other side's public key: the recipient's when
/// sealing, the sender's when opening; both sides reach the same X25519 agreement.
fn tag(
    secret: &x25519_dalek::StaticSecret,
    other: &[u8; 32],
    sender: &[u8; 32],
    recipient: &[u8; 32],
    payload: &[u8],
) -> Result<[u8; 32], CryptoError> {
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(*other));
    if !shared.was_contributory() {
        return Err(CryptoError::Unauthenticated);
    }
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(sender);
    salt[32..].copy_from_slice(recipient);
    let key = Zeroizing::new(age_core::primitives::hkdf(
        &salt,
        KEY_LABEL,
        shared.as_bytes(),
    ));
    Ok(age_core::primitives::hkdf(
        key.as_slice(),
        TAG_LABEL,
        payload,
    ))
}

/// Encrypts `payload` to the other parent(s) and to this device, armored for pasting.
pub fn seal(sender: &DeviceKey, to: &[&str], payload: &[u8]) -> Result<String, CryptoError> {
    let mut recipients = vec![(sender.identity().to_public(), *sender.public_bytes())];
    for r in to {
        let parsed = parse_recipient(r)?;
        if !recipients.iter().any(|(_, p)| *p == parsed.1) {
            recipients.push(parsed);
        }
    }
    let count = u8::try_from(recipients.len())
        .map_err(|_| CryptoError::Encrypt("too many recipients (at most 255)".into()))?;
    let secret = sender.static_secret();
    let mut body = Zeroizing::new(Vec::with_capacity(
        payload.len() + 33 + 64 * recipients.len(),
    ));
    body.extend_from_slice(sender.public_bytes());
    body.push(count);
    for (_, public) in &recipients {
        body.extend_from_slice(public);
        body.extend_from_slice(&tag(
            &secret,
            public,
            sender.public_bytes(),
            public,
            payload,
        )?);
    }
    body.extend_from_slice(payload);
    let binding = Binding::new(Kind::Handoff, sender.recipient(), 1);
    let refs: Vec<_> = recipients.iter().map(|(r, _)| r).collect();
    let envelope = seal_to(&refs, &binding, &body)?;

    let mut out = Vec::new();
    let mut armor =
        age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)?;
    armor.write_all(envelope.as_bytes())?;
    armor.finish()?;
    String::from_utf8(out).map_err(|_| CryptoError::Encrypt("armor is not text".into()))
}

/// Decrypts a handoff made for this device and verifies its sender.
pub fn open(me: &DeviceKey, armored: impl Read) -> Result<OpenedHandoff, CryptoError> {
    // Cap while reading: one byte more than allowed tells "too large" from "exactly full".
    let mut raw = Vec::new();
    armored
        .take(MAX_ARMORED + 1)
        .read_to_end(&mut raw)
        .map_err(CryptoError::Io)?;
    if raw.len() as u64 > MAX_ARMORED {
        return Err(CryptoError::TooLarge {
            what: "handoff",
            limit: MAX_ARMORED,
        });
    }
    // age's armor or its binary header; anything else was never a handoff.
    let start = raw.trim_ascii_start();
    if !start.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
        && !start.starts_with(b"age-encryption.org/")
    {
        return Err(CryptoError::NotAHandoff);
    }
    let mut envelope = Vec::new();
    age::armor::ArmoredReader::new(raw.as_slice())
        .read_to_end(&mut envelope)
        .map_err(|_| CryptoError::Damaged)?;
    let plain = super::device_key::open_with(me.identity(), &envelope)?;
    let (binding, body) = Binding::parse(&plain)?;
    if binding.kind != Kind::Handoff || binding.version != 1 {
        return Err(CryptoError::Misplaced {
            expected: "a handoff".into(),
            found: format!("{:?}", binding.kind),
        });
    }
    let sender: [u8; 32] = body
        .get(..32)
        .and_then(|s| s.try_into().ok())
        .ok_or(CryptoError::Damaged)?;
    let (_, claimed) = parse_recipient(&binding.id)?;
    if claimed != sender {
        return Err(CryptoError::Unauthenticated);
    }
    let count = usize::from(*body.get(32).ok_or(CryptoError::Damaged)?);
    let tags_end = 33 + 64 * count;
    let tags = body.get(33..tags_end).ok_or(CryptoError::Damaged)?;
    let payload = &body[tags_end..];
    let mine = tags
        .chunks_exact(64)
        .find(|entry| &entry[..32] == me.public_bytes())
        .ok_or(CryptoError::Unauthenticated)?;
    let expected = tag(
        &me.static_secret(),
        &sender,
        &sender,
        me.public_bytes(),
        payload,
    )?;
    // Constant-time comparison: the tag is a MAC.
    let diff = expected
        .iter()
        .zip(&mine[32..])
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return Err(CryptoError::Unauthenticated);
    }
    Ok(OpenedHandoff {
        sender: binding.id,
        sender_key: sender,
        payload: Zeroizing::new(payload.to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DeviceKey {
        DeviceKey::generate().unwrap()
    }

    #[test]
    fn round_trip_shows_the_sender() {
        let (mum, dad) = (key(), key());
        let armored = seal(&mum, &[&dad.recipient()], b"payload").unwrap();
        let opened = open(&dad, armored.as_bytes()).unwrap();
        assert_eq!(opened.sender, mum.recipient());
        assert_eq!(opened.payload.as_slice(), b"payload");
        // The sender is always a recipient too.
        assert_eq!(
            open(&mum, armored.as_bytes()).unwrap().sender,
            mum.recipient()
        );
        assert!(matches!(
            open(&key(), armored.as_bytes()),
            Err(CryptoError::WrongKey)
        ));
    }

    #[test]
    fn a_stranger_cannot_claim_to_be_mum() {
        let (mum, dad, stranger) = (key(), key(), key());
        let payload = b"{}";
        // The stranger writes mum's key as the sender but can only key the tag with its own.
        let mut body = mum.public_bytes().to_vec();
        body.push(1);
        body.extend_from_slice(dad.public_bytes());
        let forged = tag(
            &stranger.static_secret(),
            dad.public_bytes(),
            mum.public_bytes(),
            dad.public_bytes(),
            payload,
        )
        .unwrap();
        body.extend_from_slice(&forged);
        body.extend_from_slice(payload);
        let binding = Binding::new(Kind::Handoff, mum.recipient(), 1);
        let dad_recipient = dad.identity().to_public();
        let envelope = seal_to(&[&dad_recipient], &binding, &body).unwrap();
        let mut armored = Vec::new();
        let mut w =
            age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor)
                .unwrap();
        w.write_all(envelope.as_bytes()).unwrap();
        w.finish().unwrap();
        assert!(matches!(
            open(&dad, armored.as_slice()),
            Err(CryptoError::Unauthenticated)
        ));
    }
}
