//! FSP/1, the client side of submitting an application (`docs/PROTOCOL.md`,
//! `../shared/domain/SUBMISSION.md` § 6), without network code and without storage:
//!
//! - [`envelope`]: seal an application for one destination (age to the destination's
//!   recipient from the verified directory, a manifest signed with the device's Ed25519 key)
//!   and the agency's side that opens and checks it;
//! - [`payload`]: the application data of each schema, built from the bundle's
//!   [`Application`](elternkit_bundle::Application) and the rules' result;
//! - [`httpsig`]: the RFC 9421 request signature by the device key, made by the app and
//!   checked by the relay;
//! - [`events`]: the signed events (receipts, accept/reject/status) and their hash chain;
//! - [`outbox`]: the announce → upload → submit state machine with retries, whose clock and
//!   randomness are inputs and whose state is a plain serialisable value.
//!
//! The device signing key is an input ([`Signer`]); keeping it in the platform `SecretStore`
//! belongs to `elternkit-store`.

pub mod envelope;
pub mod events;
pub mod httpsig;
pub mod outbox;
pub mod payload;

pub use envelope::{
    AttachmentInput, Manifest, OpenError, Opened, Opener, Purpose, SealError, SealInput, Sealed,
    Signer, seal,
};
pub use outbox::{Outbox, Transport};

/// The protocol version carried in every manifest and payload.
pub const FSP_VERSION: &str = "1";

/// Lower-case hex of `bytes`.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lower_case_and_complete() {
        assert_eq!(super::to_hex(&[0, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(super::to_hex(&[]), "");
    }
}
