//! The FSP/1 destination directory (`../shared/domain/SUBMISSION.md` § 6.1): a JSON document
//! signed by a pinned Ed25519 root key, verified offline before any office is taken from it.
//!
//! Signature: detached, in a one-line file beside the JSON
//! (`fsp1-directory-signature ed25519 <root kid> <hex signature>`), over
//! `"FSP/1 directory\n" || <the JSON file's exact bytes>`. Signing the bytes as shipped needs no
//! JSON canonicalisation; the prefix keeps the signature from meaning anything else.
//!
//! The verification takes `today` as an input (the core has no clock).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use elternkit_model::application::ConsentKind;
use elternkit_model::place::Service;

/// Domain separation prefix of the directory signature.
pub const SIGNATURE_CONTEXT: &[u8] = b"FSP/1 directory\n";
/// First word of the signature file.
const SIGNATURE_MAGIC: &str = "fsp1-directory-signature";

/// The development directory shipped for tests and the demo (`cargo xtask directory-dev`).
pub const DEV_DIRECTORY_JSON: &str = include_str!("../../data/directory.dev.json");
pub const DEV_DIRECTORY_SIG: &str = include_str!("../../data/directory.dev.json.sig");

/// A pinned directory root key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RootKey {
    pub label: &'static str,
    /// Ed25519 public key.
    pub public: [u8; 32],
    /// A development key: its private half is derivable from a published seed
    /// ([`dev::root_seed`]), so it proves nothing outside development.
    pub development: bool,
}

impl RootKey {
    /// `kid`: first 16 hex characters of SHA-256 of the public key.
    pub fn kid(&self) -> String {
        short_hash(&self.public)
    }
}

/// The production roots (two, so one can be rotated). None exists yet: until project
/// governance creates them, only [`TrustAnchors::development`] can load a directory, and a
/// directory loaded that way says so ([`Directory::signed_by`]).
pub const PRODUCTION_ROOTS: [RootKey; 0] = [];

/// The development roots, derived from [`dev::root_seed`] 0 and 1 (a test checks it). Two,
/// like production, so rotation is exercised.
pub const DEVELOPMENT_ROOTS: [RootKey; 2] = [
    RootKey {
        label: "ElternKit DEVELOPMENT root 0 (published seed, not for production)",
        public: [
            0xf5, 0x1a, 0xf3, 0x8b, 0x0c, 0xc3, 0x99, 0x5b, 0x0c, 0x34, 0xb1, 0xa5, 0xb8, 0xa8,
            0xf8, 0x6d, 0xa5, 0x7c, 0x6e, 0x63, 0x9f, 0x52, 0x07, 0x26, 0x0c, 0x7f, 0xe2, 0x1b,
            0xf9, 0xab, 0xaf, 0xeb,
        ],
        development: true,
    },
    RootKey {
        label: "ElternKit DEVELOPMENT root 1 (published seed, not for production)",
        public: [
            0xae, 0x39, 0xc3, 0x87, 0x5c, 0xaf, 0x60, 0x56, 0x3c, 0x3b, 0xfe, 0x66, 0x53, 0x93,
            0xcb, 0xfd, 0xe1, 0xe8, 0xbf, 0x51, 0xb5, 0xde, 0xaa, 0x39, 0x7f, 0xec, 0x6a, 0xac,
            0x37, 0xbc, 0x15, 0x2c,
        ],
        development: true,
    },
];

/// The root keys a verification accepts. Chosen explicitly by the caller, so trusting the
/// development roots is never silent.
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    roots: Vec<RootKey>,
}

impl TrustAnchors {
    /// The production roots only (none yet, see [`PRODUCTION_ROOTS`]).
    pub fn production() -> Self {
        Self {
            roots: PRODUCTION_ROOTS.to_vec(),
        }
    }

    /// The development roots: for tests, the demo and a dev agency server only.
    pub fn development() -> Self {
        Self {
            roots: DEVELOPMENT_ROOTS.to_vec(),
        }
    }

    /// Exactly these roots (tests of rotation, a private deployment).
    pub fn custom(roots: Vec<RootKey>) -> Self {
        Self { roots }
    }

    pub fn roots(&self) -> &[RootKey] {
        &self.roots
    }
}

/// What can be wrong with a directory; every one means "do not use it".
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DirectoryError {
    #[error(
        "directory signature file is malformed: {0}; expected `{SIGNATURE_MAGIC} ed25519 <kid> <128 hex digits>`"
    )]
    MalformedSignature(String),
    #[error(
        "directory is signed by root {kid}, which this build does not trust; update the app or use the matching trust anchors"
    )]
    UnknownRoot { kid: String },
    #[error(
        "directory signature does not verify: the file was changed or signed by another key; do not use it"
    )]
    BadSignature,
    #[error("directory JSON is invalid at {path}: {message}")]
    Json { path: String, message: String },
    #[error("directory expired on {expires_at} (today is {today}); fetch a current one")]
    Expired { expires_at: Date, today: Date },
    #[error("directory is issued for {issued_at}, after today {today}; check the device date")]
    NotYetValid { issued_at: Date, today: Date },
    #[error(
        "destination {destination_id}: kid {kid} does not match its recipient (expected {expected})"
    )]
    KidMismatch {
        destination_id: String,
        kid: String,
        expected: String,
    },
    #[error("destination {destination_id}: {problem}")]
    BadDestination {
        destination_id: String,
        problem: String,
    },
    #[error("destination id {0} appears twice")]
    DuplicateDestination(String),
    #[error(
        "directory version {offered} is older than the version {current} in use; a directory is never replaced by an older one"
    )]
    Older { current: u64, offered: u64 },
    #[error(
        "directory version {version} differs from the one in use with the same version; refused"
    )]
    SameVersionDiffers { version: u64 },
}

impl DirectoryError {
    /// A stable code: what a message in another language (the CLI's German) names instead
    /// of this English text.
    pub fn code(&self) -> &'static str {
        match self {
            DirectoryError::MalformedSignature(_) => "malformed_signature",
            DirectoryError::UnknownRoot { .. } => "unknown_root",
            DirectoryError::BadSignature => "bad_signature",
            DirectoryError::Json { .. } => "invalid_json",
            DirectoryError::Expired { .. } => "expired",
            DirectoryError::NotYetValid { .. } => "not_yet_valid",
            DirectoryError::KidMismatch { .. } => "kid_mismatch",
            DirectoryError::BadDestination { .. } => "bad_destination",
            DirectoryError::DuplicateDestination(_) => "duplicate_destination",
            DirectoryError::Older { .. } => "older",
            DirectoryError::SameVersionDiffers { .. } => "same_version_differs",
        }
    }
}

/// The signed document (field names as in SUBMISSION.md § 6.1; `address`, `placeholder`,
/// `services[].service` and `development` are ElternKit additions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryDocument {
    /// Increases with every published directory.
    pub version: u64,
    pub issued_at: Date,
    /// Last day the directory may be used.
    pub expires_at: Date,
    /// `true` for a development directory (placeholder offices, published keys).
    #[serde(default)]
    pub development: bool,
    pub destinations: Vec<Destination>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub destination_id: String,
    pub name: String,
    /// Postal address where known.
    #[serde(default)]
    pub address: Option<String>,
    /// `true` when this is not (yet) a real agency inbox.
    #[serde(default)]
    pub placeholder: bool,
    /// Relay base URL.
    pub endpoint: String,
    pub services: Vec<DestinationService>,
    /// ARS prefixes (2/5/… digits) the destination serves.
    pub regions: Vec<String>,
    /// The consented data exchanges this office takes part in (ELFE: § 25 BEEG birth data,
    /// § 108a SGB IV pay data, § 203 SGB V Mutterschaftsgeld). Only here does a consent
    /// replace the document; elsewhere the document stays required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_exchanges: Vec<ConsentKind>,
    pub age_recipients: Vec<AgeRecipient>,
    pub event_keys: Vec<EventKey>,
    /// The relay's receipt keys (`docs/PROTOCOL.md` § 2): the app verifies the relay's
    /// `announced`/`submitted`/`retrieved` events with these, so a relay cannot sign receipts
    /// with a key of its own choosing. `kid` = first 16 hex digits of SHA-256 of the raw key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relay_keys: Vec<EventKey>,
    pub limits: Limits,
    pub retention: Retention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationService {
    /// Which of the bundle's services this is.
    pub service: Service,
    /// LeiKa key, where one is known.
    #[serde(default)]
    pub leika: Option<String>,
    pub schemas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgeRecipient {
    /// First 16 hex characters of SHA-256 of `recipient` (checked on load).
    pub kid: String,
    /// `age1…`
    pub recipient: String,
    pub not_before: Date,
    pub not_after: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventKey {
    pub kid: String,
    pub jwk: Jwk,
}

/// An Ed25519 public key as JWK (RFC 8037).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    /// base64url of the 32 key bytes, no padding.
    pub x: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub max_attachment_bytes: u64,
    pub max_attachments: u32,
}

/// SUBMISSION.md § 6.6 retention, per destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// An announced submission not submitted within this many hours expires.
    pub announced_hours: u32,
    /// A submitted one not retrieved within this many days is rejected.
    pub unretrieved_days: u32,
    /// Ciphertexts are deleted this many days after retrieval.
    pub after_retrieval_days: u32,
    /// Events (without content) are kept this many days.
    pub events_days: u32,
}

impl Destination {
    /// The age recipient to encrypt to on `date`: of those valid then, the newest.
    pub fn age_recipient_on(&self, date: Date) -> Option<&AgeRecipient> {
        self.age_recipients
            .iter()
            .filter(|r| r.not_before <= date && date <= r.not_after)
            .max_by_key(|r| r.not_before)
    }

    pub fn serves(&self, service: Service) -> bool {
        self.services.iter().any(|s| s.service == service)
    }
}

/// A verified directory, valid on the day it was checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    document: DirectoryDocument,
    checked_on: Date,
    signed_by: RootKey,
}

impl Directory {
    /// Verifies `json` against its detached `signature` with one of `anchors`, then checks
    /// validity on `today` and every destination's key ids.
    pub fn verify(
        json: &[u8],
        signature: &str,
        today: Date,
        anchors: &TrustAnchors,
    ) -> Result<Self, DirectoryError> {
        let (kid, sig) = parse_signature(signature)?;
        let root = anchors
            .roots()
            .iter()
            .find(|r| r.kid() == kid)
            .ok_or_else(|| DirectoryError::UnknownRoot { kid: kid.clone() })?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&root.public)
            .map_err(|_| DirectoryError::UnknownRoot { kid: kid.clone() })?;
        let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + json.len());
        message.extend_from_slice(SIGNATURE_CONTEXT);
        message.extend_from_slice(json);
        key.verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&sig))
            .map_err(|_| DirectoryError::BadSignature)?;

        let de = &mut serde_json::Deserializer::from_slice(json);
        let document: DirectoryDocument =
            serde_path_to_error::deserialize(de).map_err(|e| DirectoryError::Json {
                path: e.path().to_string(),
                message: e.inner().to_string(),
            })?;
        if today > document.expires_at {
            return Err(DirectoryError::Expired {
                expires_at: document.expires_at,
                today,
            });
        }
        if today < document.issued_at {
            return Err(DirectoryError::NotYetValid {
                issued_at: document.issued_at,
                today,
            });
        }
        check_destinations(
            &document.destinations,
            document.development && root.development,
        )?;
        Ok(Self {
            document,
            checked_on: today,
            signed_by: *root,
        })
    }

    /// The shipped development directory, verified with the development roots.
    pub fn development(today: Date) -> Result<Self, DirectoryError> {
        Self::verify(
            DEV_DIRECTORY_JSON.as_bytes(),
            DEV_DIRECTORY_SIG,
            today,
            &TrustAnchors::development(),
        )
    }

    pub fn document(&self) -> &DirectoryDocument {
        &self.document
    }

    pub fn destinations(&self) -> &[Destination] {
        &self.document.destinations
    }

    pub fn destination(&self, destination_id: &str) -> Option<&Destination> {
        self.document
            .destinations
            .iter()
            .find(|d| d.destination_id == destination_id)
    }

    /// The day the validity was checked for; recipients are chosen for this day.
    pub fn checked_on(&self) -> Date {
        self.checked_on
    }

    /// The root that signed it; `development` is `true` for a development root.
    pub fn signed_by(&self) -> &RootKey {
        &self.signed_by
    }

    /// `true` if anything about it is development-only (the root or the document's flag).
    pub fn is_development(&self) -> bool {
        self.signed_by.development || self.document.development
    }

    /// Whether `offered` (verified) may replace `self`, the directory in use: only a higher
    /// `version`, or the same document again. An older one is refused, so whoever serves the
    /// directory cannot roll an app back to revoked keys or offices.
    pub fn check_replacement(&self, offered: &Directory) -> Result<(), DirectoryError> {
        let (current, new) = (self.document.version, offered.document.version);
        if new < current {
            return Err(DirectoryError::Older {
                current,
                offered: new,
            });
        }
        if new == current && offered.document != self.document {
            return Err(DirectoryError::SameVersionDiffers { version: new });
        }
        Ok(())
    }
}

/// Whether `endpoint` may carry submissions: `https://`, or — in a development directory
/// signed by a development root only — plain `http://` to a loopback relay
/// (`127.0.0.1`, `[::1]`, `localhost`), as the demo and the tests run one.
pub fn endpoint_allowed(endpoint: &str, development: bool) -> bool {
    if let Some(rest) = endpoint.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = endpoint.strip_prefix("http://") else {
        return false;
    };
    if !development {
        return false;
    }
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    host == "127.0.0.1" || host == "::1" || host == "localhost"
}

fn parse_signature(text: &str) -> Result<(String, [u8; 64]), DirectoryError> {
    let bad = |why: &str| DirectoryError::MalformedSignature(why.to_owned());
    let words: Vec<&str> = text.split_whitespace().collect();
    let [magic, alg, kid, sig] = words.as_slice() else {
        return Err(bad("not four words"));
    };
    if *magic != SIGNATURE_MAGIC || *alg != "ed25519" {
        return Err(bad("wrong header"));
    }
    let bytes = from_hex(sig).ok_or_else(|| bad("signature is not hex"))?;
    let sig: [u8; 64] = bytes
        .try_into()
        .map_err(|_| bad("signature is not 64 bytes"))?;
    Ok(((*kid).to_owned(), sig))
}

fn check_destinations(
    destinations: &[Destination],
    development: bool,
) -> Result<(), DirectoryError> {
    let mut seen = std::collections::BTreeSet::new();
    for d in destinations {
        if !seen.insert(d.destination_id.as_str()) {
            return Err(DirectoryError::DuplicateDestination(
                d.destination_id.clone(),
            ));
        }
        let bad = |problem: String| DirectoryError::BadDestination {
            destination_id: d.destination_id.clone(),
            problem,
        };
        if !endpoint_allowed(&d.endpoint, development) {
            return Err(bad(format!(
                "endpoint {:?} is not https (plain http only to a loopback relay in a \
                 development directory)",
                d.endpoint
            )));
        }
        if d.age_recipients.is_empty() {
            return Err(bad("no age recipient".into()));
        }
        for r in &d.age_recipients {
            let expected = kid_of(&r.recipient);
            if r.kid != expected {
                return Err(DirectoryError::KidMismatch {
                    destination_id: d.destination_id.clone(),
                    kid: r.kid.clone(),
                    expected,
                });
            }
            if !is_age_recipient(&r.recipient) {
                return Err(bad(format!(
                    "{:?} is not an age X25519 recipient",
                    r.recipient
                )));
            }
            if r.not_after < r.not_before {
                return Err(bad(format!("recipient {} ends before it starts", r.kid)));
            }
        }
        for k in d.event_keys.iter().chain(&d.relay_keys) {
            if k.jwk.kty != "OKP" || k.jwk.crv != "Ed25519" || k.jwk.x.len() != 43 {
                return Err(bad(format!("key {} is not an Ed25519 JWK", k.kid)));
            }
        }
    }
    Ok(())
}

fn is_age_recipient(text: &str) -> bool {
    match bech32::decode(text) {
        Ok((hrp, data)) => hrp.as_str() == "age" && data.len() == 32,
        Err(_) => false,
    }
}

/// `kid` of an age recipient: first 16 hex characters of SHA-256 of the recipient string.
pub fn kid_of(recipient: &str) -> String {
    short_hash(recipient.as_bytes())
}

fn short_hash(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes)[..8])
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Formats a signature file line (used by `cargo xtask directory-dev` and tests).
pub fn signature_line(root_public: &[u8; 32], signature: &[u8; 64]) -> String {
    format!(
        "{SIGNATURE_MAGIC} ed25519 {} {}\n",
        short_hash(root_public),
        to_hex(signature)
    )
}

/// Development identities, derived deterministically from published seeds so that a
/// development agency server (and the tests) can recreate them. DEVELOPMENT ONLY: anybody can
/// compute these keys; nothing signed or encrypted with them is protected.
///
/// Every seed is SHA-256 of a label: `elternkit/dev/directory-root/<n>`,
/// `elternkit/dev/age-identity/<destinationId>`, `elternkit/dev/event-key/<destinationId>`,
/// `elternkit/dev/relay-key`.
pub mod dev {
    use sha2::{Digest, Sha256};

    fn seed(label: &str) -> [u8; 32] {
        Sha256::digest(label.as_bytes()).into()
    }

    /// Ed25519 seed (secret key bytes) of development root `index`.
    pub fn root_seed(index: u8) -> [u8; 32] {
        seed(&format!("elternkit/dev/directory-root/{index}"))
    }

    /// Ed25519 seed of the development relay's receipt key.
    pub fn relay_key_seed() -> [u8; 32] {
        seed("elternkit/dev/relay-key")
    }

    /// Ed25519 seed of a destination's development event key.
    pub fn event_key_seed(destination_id: &str) -> [u8; 32] {
        seed(&format!("elternkit/dev/event-key/{destination_id}"))
    }

    /// X25519 secret of a destination's development age identity.
    pub fn age_secret(destination_id: &str) -> [u8; 32] {
        seed(&format!("elternkit/dev/age-identity/{destination_id}"))
    }

    /// The development age recipient (`age1…`) of a destination.
    pub fn age_recipient(destination_id: &str) -> String {
        let secret = x25519_dalek::StaticSecret::from(age_secret(destination_id));
        let public = x25519_dalek::PublicKey::from(&secret);
        // The HRP is a constant valid bech32 prefix; encoding 32 bytes cannot exceed the limit.
        bech32::encode::<bech32::Bech32>(bech32::Hrp::parse_unchecked("age"), public.as_bytes())
            .unwrap_or_default()
    }

    /// The matching age identity (`AGE-SECRET-KEY-1…`) for a development agency server.
    pub fn age_identity(destination_id: &str) -> String {
        bech32::encode_upper::<bech32::Bech32>(
            bech32::Hrp::parse_unchecked("age-secret-key-"),
            &age_secret(destination_id),
        )
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error has its own snake_case code, which the CLI shows instead of the English
    /// text.
    #[test]
    fn error_codes_are_distinct() {
        let d = jiff::civil::date(2026, 1, 1);
        let all = [
            DirectoryError::MalformedSignature(String::new()),
            DirectoryError::UnknownRoot { kid: String::new() },
            DirectoryError::BadSignature,
            DirectoryError::Json {
                path: String::new(),
                message: String::new(),
            },
            DirectoryError::Expired {
                expires_at: d,
                today: d,
            },
            DirectoryError::NotYetValid {
                issued_at: d,
                today: d,
            },
            DirectoryError::KidMismatch {
                destination_id: String::new(),
                kid: String::new(),
                expected: String::new(),
            },
            DirectoryError::BadDestination {
                destination_id: String::new(),
                problem: String::new(),
            },
            DirectoryError::DuplicateDestination(String::new()),
            DirectoryError::Older {
                current: 2,
                offered: 1,
            },
            DirectoryError::SameVersionDiffers { version: 1 },
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(DirectoryError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(
            codes
                .iter()
                .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(to_hex(&bytes), "0001abff");
        assert_eq!(from_hex("0001abff"), Some(bytes.to_vec()));
        assert_eq!(from_hex("0g"), None);
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("éé"), None, "multi-byte text is not hex");
    }

    #[test]
    fn kid_is_the_first_16_hex_of_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea…
        assert_eq!(kid_of("abc"), "ba7816bf8f01cfea");
    }

    #[test]
    fn signature_lines_parse_back() {
        let line = signature_line(&[1; 32], &[2; 64]);
        let (kid, sig) = parse_signature(&line).expect("parses");
        assert_eq!(kid, short_hash(&[1; 32]));
        assert_eq!(sig, [2; 64]);
        assert!(parse_signature("fsp1-directory-signature rsa k 00").is_err());
    }

    #[test]
    fn plain_http_only_to_loopback_and_only_in_development() {
        for ok in [
            "http://127.0.0.1:8080/fsp/v1",
            "http://[::1]:1",
            "http://localhost:9",
        ] {
            assert!(endpoint_allowed(ok, true), "{ok}");
            assert!(!endpoint_allowed(ok, false), "{ok} in production");
        }
        for bad in [
            "http://127.0.0.1.evil.example/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "https://",
        ] {
            assert!(!endpoint_allowed(bad, true), "{bad}");
        }
        assert!(endpoint_allowed("https://relay.example/fsp/v1", false));
    }

    #[test]
    fn dev_recipients_are_valid_age_recipients() {
        let r = dev::age_recipient("x");
        assert!(is_age_recipient(&r), "{r}");
        assert!(!is_age_recipient("age1notbech32"));
        assert_ne!(dev::age_recipient("a"), dev::age_recipient("b"));
    }
}
