//! Harnesses shared by the AFL targets in `src/bin/` and by the seed tests below.
//!
//! The inbox harness ([`OpenHarness`]) plays a malicious *sender*: anyone may hold a device
//! key of their own and encrypt to the agency's public age recipient, so everything
//! `Opener::open` parses after the signature and decryption checks is reachable by an
//! attacker and must be fuzzed too, not only the bytes in front of the signature.

use std::io::Write as _;
use std::str::FromStr as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use elternkit_batch::answer_line;
use elternkit_directory::{Directory, dev};
use elternkit_model::locate::fill_positions;
use elternkit_model::{Case, validate};
use elternkit_rules::CalcOptions;
use elternkit_submit::envelope::{OpenError, signed_message};
use elternkit_submit::httpsig::{
    Received, RequestAuthError, Verified, check_content_digest, verify_request,
};
use elternkit_submit::{Opened, Opener};
use sha2::{Digest as _, Sha256, Sha512};
use uuid::Uuid;

/// The destination every `open` seed is addressed to.
pub const DESTINATION: &str = "eg-bw-lbank";
/// Separates the sections of an `open` input (a byte sequence JSON text never holds raw).
pub const SEPARATOR: &[u8] = b"\n\x1e";
/// More attachments than any destination allows are not worth encrypting.
const MAX_SECTIONS: usize = 12;

/// How an `open` input's sections after the manifest are used (its first byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `E`: the sections are plaintexts; the harness encrypts them to the destination and
    /// signs the manifest with its device key (a sender who follows the format).
    Encrypt,
    /// `C`: the sections are ciphertexts as delivered; the harness still signs the
    /// manifest, so malformed age files reach the decryption step.
    Ciphertext,
    /// `U`: nothing is signed; the first section after the manifest is the raw signature
    /// (the bytes in front of the signature check, as a network attacker sends them).
    Unsigned,
}

/// The agency's opener for [`DESTINATION`] and the sender's device key.
pub struct OpenHarness {
    opener: Opener,
    recipient: age::x25519::Recipient,
    device: SigningKey,
    device_key_b64: String,
}

/// What one `open` input led to: `None` when the input was not in the harness's format.
pub type OpenOutcome = Option<Result<Opened, OpenError>>;

impl OpenHarness {
    /// Builds the fixture from the shipped development directory. Panics (before fuzzing
    /// starts, never inside the loop) if that directory is broken.
    pub fn new() -> Self {
        let directory = Directory::development(jiff::civil::date(2027, 3, 1))
            .expect("the shipped development directory verifies");
        let destination = directory
            .destination(DESTINATION)
            .expect("the development directory lists the seeds' destination");
        let opener = Opener::new(destination, &[&dev::age_identity(DESTINATION)])
            .expect("the development identity parses");
        let recipient = age::x25519::Recipient::from_str(&dev::age_recipient(DESTINATION))
            .expect("the development recipient parses");
        let device = SigningKey::from_bytes(&[7; 32]);
        let device_key_b64 = URL_SAFE_NO_PAD.encode(device.verifying_key().as_bytes());
        Self {
            opener,
            recipient,
            device,
            device_key_b64,
        }
    }

    /// One fuzz input: `mode byte`, then sections split at [`SEPARATOR`]: the manifest
    /// template, the payload, then one section per attachment (`<uuid><bytes>`, the id as 36
    /// characters of text). In the manifest and the payload plaintext `@DK` becomes the
    /// device key, `@PS`/`@PH` the payload ciphertext's size/SHA-256, `@S<i>`/`@H<i>`
    /// attachment i's ciphertext size/SHA-256 and `@N<i>`/`@X<i>` its plaintext size/SHA-512.
    pub fn run(&self, data: &[u8]) -> OpenOutcome {
        let (&mode, rest) = data.split_first()?;
        let mode = match mode {
            b'E' => Mode::Encrypt,
            b'C' => Mode::Ciphertext,
            b'U' => Mode::Unsigned,
            _ => return None,
        };
        let mut sections = split(rest, SEPARATOR);
        if sections.len() > MAX_SECTIONS {
            return None;
        }
        let template = sections.next_or_empty();
        let signature_raw = if mode == Mode::Unsigned {
            Some(sections.next_or_empty())
        } else {
            None
        };
        let payload_in = sections.next_or_empty();
        let mut attachments = Vec::new();
        for section in sections.rest() {
            let (id, bytes) = section.split_at_checked(36)?;
            let id = Uuid::try_parse_ascii(id).ok()?;
            attachments.push((id, bytes));
        }

        // Placeholders about the attachments, for both the payload and the manifest.
        let mut plain_facts = Vec::new();
        let mut cipher_facts = Vec::new();
        let mut ciphertexts = Vec::with_capacity(attachments.len());
        for (i, (id, bytes)) in attachments.iter().enumerate() {
            plain_facts.push((format!("@N{i}"), bytes.len().to_string()));
            plain_facts.push((format!("@X{i}"), hex(&Sha512::digest(bytes))));
            let ciphertext = match mode {
                Mode::Encrypt => self.encrypt(bytes),
                Mode::Ciphertext | Mode::Unsigned => bytes.to_vec(),
            };
            cipher_facts.push((format!("@S{i}"), ciphertext.len().to_string()));
            cipher_facts.push((format!("@H{i}"), hex(&Sha256::digest(&ciphertext))));
            ciphertexts.push((*id, ciphertext));
        }

        let payload = match mode {
            Mode::Encrypt => {
                let mut plain = replace(payload_in, "@DK", &self.device_key_b64);
                for (name, value) in &plain_facts {
                    plain = replace(&plain, name, value);
                }
                self.encrypt(&plain)
            }
            Mode::Ciphertext | Mode::Unsigned => payload_in.to_vec(),
        };
        let mut manifest = replace(template, "@DK", &self.device_key_b64);
        manifest = replace(&manifest, "@PS", &payload.len().to_string());
        manifest = replace(&manifest, "@PH", &hex(&Sha256::digest(&payload)));
        for (name, value) in &cipher_facts {
            manifest = replace(&manifest, name, value);
        }
        let signature = match signature_raw {
            Some(raw) => raw.to_vec(),
            None => self
                .device
                .sign(&signed_message(&manifest))
                .to_bytes()
                .to_vec(),
        };
        let delivered: Vec<(Uuid, &[u8])> = ciphertexts
            .iter()
            .map(|(id, c)| (*id, c.as_slice()))
            .collect();
        Some(
            self.opener
                .open(&manifest, &signature, &payload, &delivered),
        )
    }

    fn encrypt(&self, plain: &[u8]) -> Vec<u8> {
        // Encrypting to one valid recipient into a Vec cannot fail; an empty output would
        // only make the opener answer a typed error, which the fuzzer then explores.
        let encrypt = || -> Option<Vec<u8>> {
            let encryptor = age::Encryptor::with_recipients(std::iter::once(
                &self.recipient as &dyn age::Recipient,
            ))
            .ok()?;
            let mut out = Vec::with_capacity(plain.len() + 256);
            let mut writer = encryptor.wrap_output(&mut out).ok()?;
            writer.write_all(plain).ok()?;
            writer.finish().ok()?;
            Some(out)
        };
        encrypt().unwrap_or_default()
    }
}

impl Default for OpenHarness {
    fn default() -> Self {
        Self::new()
    }
}

/// The relay's clock in the `signature` seeds (2027-01-15).
pub const SIGNATURE_NOW: i64 = 1_800_000_000;

/// What the request-signature check answered, and the content-digest check if a
/// Content-Digest was given.
pub type SignatureOutcome = (
    Result<Verified, RequestAuthError>,
    Option<Result<(), RequestAuthError>>,
);

/// One `signature` input, UTF-8 split at the first three newlines into Signature-Input,
/// Signature and Content-Digest; the rest is the body. `None` when it is not UTF-8 (header
/// values reach the relay as text).
pub fn signature(data: &[u8]) -> Option<SignatureOutcome> {
    let text = std::str::from_utf8(data).ok()?;
    let mut parts = text.splitn(4, '\n');
    let input = parts.next();
    let signature = parts.next();
    let digest = parts.next();
    let body = parts.next().unwrap_or_default();
    let request = Received {
        method: "PUT",
        target_uri: "http://127.0.0.1:8080/submissions/0b7e4bbd-2d0a-4b8e-9d6b-4b1f0c2d9e01",
        content_digest: digest,
        signature_input: input,
        signature,
    };
    let verified = verify_request(&request, SIGNATURE_NOW);
    let digest = digest.map(|d| check_content_digest(d, body.as_bytes()));
    Some((verified, digest))
}

/// One `case_line` input: a line of `elternkit calc --jsonl`, read, computed and written as
/// the batch does. `None` when it is not UTF-8 (the batch refuses such a line before
/// reading it); otherwise whether the answer carries errors.
///
/// Panics, which AFL reports as crashes, where the direct case reader (`fast-parse`)
/// disagrees with serde_json and `validate` on the same text, or where the answer is not one
/// JSON line: the reader is ours and hand-written, the reference is not.
pub fn case_line(data: &[u8]) -> Option<bool> {
    let text = std::str::from_utf8(data).ok()?;
    let read = elternkit_model::parse_case(text);
    let plain = text.strip_prefix('\u{feff}').unwrap_or(text);
    match (serde_json::from_str::<Case>(plain), &read) {
        (Ok(reference), Ok(case)) => {
            assert!(
                validate(&reference).is_empty(),
                "read a case validate refuses"
            );
            // As JSON, so that the decimals' scales are compared too.
            assert_eq!(json(case), json(&reference), "read a different case");
        }
        (Ok(reference), Err(problems)) => {
            let mut expected = validate(&reference);
            fill_positions(plain, &mut expected);
            assert_eq!(problems, &expected, "other problems than validate's");
        }
        (Err(e), Ok(_)) => panic!("read a case serde_json refuses: {e}"),
        (Err(_), Err(_)) => {}
    }
    let mut out = Vec::new();
    let failed = answer_line(text, 1, CalcOptions { explanations: true }, &mut out);
    assert!(
        failed || read.is_ok(),
        "an unread case answered without errors"
    );
    assert_eq!(out.last(), Some(&b'\n'), "the answer ends its line");
    assert_eq!(
        out.iter().filter(|&&b| b == b'\n').count(),
        1,
        "the answer is one line"
    );
    let answer: serde_json::Value =
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("the answer is not JSON: {e}"));
    assert_eq!(answer["line"], 1, "the answer names its line");
    Some(failed)
}

fn json(case: &Case) -> String {
    serde_json::to_string(case).unwrap_or_else(|e| panic!("a case serialises: {e}"))
}

/// Sections of a byte string, split at every occurrence of `separator`.
struct Sections<'a> {
    parts: std::vec::IntoIter<&'a [u8]>,
}

impl<'a> Sections<'a> {
    fn len(&self) -> usize {
        self.parts.len()
    }
    fn next_or_empty(&mut self) -> &'a [u8] {
        self.parts.next().unwrap_or_default()
    }
    fn rest(self) -> std::vec::IntoIter<&'a [u8]> {
        self.parts
    }
}

fn split<'a>(data: &'a [u8], separator: &[u8]) -> Sections<'a> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + separator.len() <= data.len() {
        if &data[i..i + separator.len()] == separator {
            parts.push(&data[start..i]);
            i += separator.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&data[start..]);
    Sections {
        parts: parts.into_iter(),
    }
}

fn replace(haystack: &[u8], needle: &str, value: &str) -> Vec<u8> {
    let needle = needle.as_bytes();
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(value.as_bytes());
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(target);
        let mut out: Vec<_> = std::fs::read_dir(&dir)
            .expect("the seed folder exists")
            .map(|entry| {
                let path = entry.expect("readable").path();
                let name = path.file_name().expect("a file").to_string_lossy().into();
                (name, std::fs::read(&path).expect("readable seed"))
            })
            .collect();
        out.sort();
        out
    }

    /// The `valid*` seeds must open, so the fuzzer starts from inputs that reach the end of
    /// `Opener::open`; the others must end in the typed error their name says.
    #[test]
    fn open_seeds_reach_their_outcome() {
        let harness = OpenHarness::new();
        let all = seeds("open");
        assert!(all.len() >= 4, "the open seeds are there");
        for (name, bytes) in all {
            let outcome = harness
                .run(&bytes)
                .unwrap_or_else(|| panic!("{name}: format"));
            let expected = name.split('.').next().unwrap_or_default();
            match (expected.strip_prefix("valid"), outcome) {
                (Some(_), Ok(opened)) => {
                    assert_eq!(opened.manifest.destination_id, DESTINATION, "{name}");
                    assert_eq!(
                        opened.attachments.len(),
                        opened.payload.attachments.len(),
                        "{name}"
                    );
                }
                (None, Err(e)) => assert_eq!(e.problem(), expected, "{name}: {e}"),
                (_, other) => panic!("{name}: unexpected {other:?}"),
            }
        }
    }

    /// `valid.txt` is a request the app signed (`sign_request`, key `[7; 32]`) at
    /// [`SIGNATURE_NOW`]: it must verify all the way, so the fuzzer starts past the checks.
    #[test]
    fn signature_seeds_reach_their_outcome() {
        for (name, bytes) in seeds("signature") {
            let (verified, digest) = signature(&bytes).unwrap_or_else(|| panic!("{name}: UTF-8"));
            if name.starts_with("valid") {
                let verified = verified.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    verified.keyid,
                    "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw"
                );
                assert_eq!(digest, Some(Ok(())), "{name}");
            } else {
                assert!(verified.is_err(), "{name} must not verify");
            }
        }
        assert!(signature(b"\xff").is_none());
    }

    /// `valid*` seeds are computed without errors, so the fuzzer starts from cases that
    /// reach the end of the rules; the others are answered with errors.
    #[test]
    fn case_line_seeds_reach_their_outcome() {
        let all = seeds("case_line");
        assert!(all.iter().any(|(name, _)| name.starts_with("valid")));
        for (name, bytes) in all {
            let failed = case_line(&bytes).unwrap_or_else(|| panic!("{name}: UTF-8"));
            assert_eq!(failed, !name.starts_with("valid"), "{name}");
        }
        assert!(case_line(b"{\xff}").is_none());
    }

    #[test]
    fn inputs_outside_the_format_are_skipped() {
        let harness = OpenHarness::new();
        assert!(harness.run(b"").is_none());
        assert!(harness.run(b"Z{}").is_none());
        // An attachment section too short to hold an id.
        assert!(harness.run(b"E{}\n\x1e{}\n\x1eshort").is_none());
    }

    #[test]
    fn placeholders_and_sections() {
        assert_eq!(replace(b"a@PSb@PS", "@PS", "12"), b"a12b12");
        let mut s = split(b"a\n\x1eb\n\x1e", SEPARATOR);
        assert_eq!(s.len(), 3);
        assert_eq!(s.next_or_empty(), b"a");
        assert_eq!(s.next_or_empty(), b"b");
        assert_eq!(s.next_or_empty(), b"");
        assert_eq!(s.next_or_empty(), b"", "past the end: empty");
    }
}
