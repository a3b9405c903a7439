//! The FSP/1 envelope (`docs/PROTOCOL.md` § 3, SUBMISSION.md § 6.2): what the app seals once,
//! before the first request, and what the agency opens.
//!
//! - The payload (JSON) and every attachment are encrypted separately with age (binary, one
//!   X25519 stanza) to the destination's recipient valid on the day of sealing, taken from the
//!   **verified** directory.
//! - The manifest is clear: ids, the recipient's `kid`, and size + SHA-256 of each
//!   **ciphertext** only. Its exact bytes are signed:
//!   `Ed25519(device key, "FSP/1 manifest\n" || manifest bytes)`.
//! - The payload repeats the submission id, the destination, the bundle id, the device key,
//!   the service and the region, and carries size + SHA-512 of each attachment's
//!   **plaintext**, so a ciphertext cut from another submission or another destination is
//!   refused after decryption even though age authenticates no sender.
//!
//! [`Opener::open`] is the agency's side; it checks everything in the order an attacker on
//! the network could interfere and returns a typed [`OpenError`] for each failure.

use std::collections::BTreeSet;
use std::fmt;
use std::io::{Read, Write};
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroizing;

use elternkit_directory::{Destination, Limits};

use crate::{FSP_VERSION, to_hex};

/// Domain separation prefix of the manifest signature.
pub const MANIFEST_CONTEXT: &[u8] = b"FSP/1 manifest\n";
/// Largest manifest accepted (a manifest of the directory's maximum attachments is ~10 KiB).
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024;
/// Largest payload plaintext (the application JSON with its explanation), sealed or opened.
pub const MAX_PAYLOAD_BYTES: u64 = 4 * 1024 * 1024;
/// An age header of one or two X25519 stanzas is ~200–400 bytes; anything longer is refused
/// before age parses it.
pub const MAX_AGE_HEADER_BYTES: usize = 2048;
/// One recipient, or two during a key rollover (SUBMISSION.md § 6.2).
pub const MAX_RECIPIENT_STANZAS: usize = 2;
/// age's overhead on top of the plaintext: header plus 16 bytes per 64 KiB chunk and a nonce.
const AGE_OVERHEAD_BOUND: u64 = MAX_AGE_HEADER_BYTES as u64 + 64;

/// Signs manifests with the device key. Implemented for [`SigningKey`]; the platform keystore
/// implements it later (the key never has to leave it).
pub trait Signer {
    fn verifying_key(&self) -> VerifyingKey;
    fn sign(&self, message: &[u8]) -> Result<Signature, SignerError>;
}

/// The keystore could not sign (locked, key lost).
#[derive(Debug, Error)]
#[error("the device key could not sign: {0}")]
pub struct SignerError(pub String);

impl Signer for SigningKey {
    fn verifying_key(&self) -> VerifyingKey {
        SigningKey::verifying_key(self)
    }

    fn sign(&self, message: &[u8]) -> Result<Signature, SignerError> {
        Ok(ed25519_dalek::Signer::sign(self, message))
    }
}

/// What an attachment is for (FIT-Connect `purpose`, SUBMISSION.md § 6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A rendered form of the application.
    Form,
    /// A Nachweis.
    Evidence,
}

/// `service` of the manifest: the LeiKa key only, which the relay needs for nothing but
/// statistics; the schema stays inside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManifestService {
    pub leika: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Region {
    /// Amtlicher Regionalschlüssel (or a prefix of it) of the family's place.
    pub ars: String,
}

/// Size and SHA-256 of one ciphertext as the relay sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CiphertextRef {
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachmentRef {
    pub attachment_id: Uuid,
    pub size: u64,
    pub sha256: String,
}

/// The clear, signed manifest (SUBMISSION.md § 6.2 step 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub fsp: String,
    pub submission_id: Uuid,
    pub destination_id: String,
    pub bundle_id: Uuid,
    pub service: ManifestService,
    pub region: Region,
    pub recipient_kid: String,
    pub payload: CiphertextRef,
    pub attachments: Vec<AttachmentRef>,
    /// base64url (no padding) of the device's Ed25519 public key.
    pub device_key: String,
    pub created_at: Timestamp,
}

/// `service` inside the payload: the LeiKa key and the schema of `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayloadService {
    pub leika: Option<String>,
    pub schema: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

/// How the applicant was identified: `none` until BundID/eID exist (SUBMISSION.md § 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Authentication {
    pub method: AuthMethod,
    pub loa: Option<String>,
    pub assertion: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    None,
    Bundid,
    Eid,
}

/// A consent as recorded: who gave it, when, to which text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentRecord {
    pub kind: String,
    pub by: String,
    pub at: Option<Timestamp>,
    pub text_version: Option<String>,
}

/// Where the agency's encrypted replies go (`status` events, SUBMISSION.md § 6.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyTo {
    pub age_recipient: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    pub created_at: Timestamp,
    pub app: AppInfo,
    pub authentication: Authentication,
    pub consents: Vec<ConsentRecord>,
    pub reply_to: Option<ReplyTo>,
}

impl Metadata {
    /// ElternKit's metadata without an eID login: no authentication, no consent records and no
    /// reply channel in the envelope (the application's own consents travel in `data`).
    pub fn unauthenticated(created_at: Timestamp, app_version: impl Into<String>) -> Self {
        Self {
            created_at,
            app: AppInfo {
                name: "ElternKit".into(),
                version: app_version.into(),
            },
            authentication: Authentication {
                method: AuthMethod::None,
                loa: None,
                assertion: None,
            },
            consents: vec![],
            reply_to: None,
        }
    }
}

/// An attachment as the payload describes it (plaintext size and SHA-512).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachmentMeta {
    pub attachment_id: Uuid,
    pub filename: String,
    pub mime_type: String,
    pub purpose: Purpose,
    pub document_kind: Option<String>,
    /// The case's `documents[].id` this file is, which the payload's `data` refers to.
    pub document_id: Option<String>,
    pub plain_size: u64,
    pub plain_sha512: String,
}

/// The encrypted payload (SUBMISSION.md § 6.2 step 1). `deviceKey` is repeated inside too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayloadDocument {
    pub fsp: String,
    pub submission_id: Uuid,
    pub destination_id: String,
    pub bundle_id: Uuid,
    pub device_key: String,
    pub service: PayloadService,
    pub region: Region,
    pub metadata: Metadata,
    /// The application data of `service.schema` ([`crate::payload`]).
    pub data: serde_json::Value,
    pub attachments: Vec<AttachmentMeta>,
}

/// One attachment to seal. The bytes are borrowed; the caller owns (and zeroizes) them.
#[derive(Debug, Clone)]
pub struct AttachmentInput<'a> {
    pub attachment_id: Uuid,
    pub filename: String,
    pub mime_type: String,
    pub purpose: Purpose,
    pub document_kind: Option<String>,
    pub document_id: Option<String>,
    pub bytes: &'a [u8],
}

/// Everything [`seal`] needs; no clock and no randomness but age's own.
#[derive(Debug, Clone)]
pub struct SealInput<'a> {
    /// Made once by the caller (UUIDv4) and stored before sealing.
    pub submission_id: Uuid,
    /// Shared by the submissions of one birth.
    pub bundle_id: Uuid,
    /// From a verified [`elternkit_directory::Directory`].
    pub destination: &'a Destination,
    /// The recipient valid on this day is used (the directory's `checked_on`).
    pub on: Date,
    pub schema: String,
    pub region: Region,
    pub metadata: Metadata,
    pub data: serde_json::Value,
    pub attachments: Vec<AttachmentInput<'a>>,
}

/// A sealed submission: what the outbox sends, byte for byte, on every attempt. Never
/// re-sealed after the announce (age output is random; new bytes break idempotency).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sealed {
    pub manifest: Manifest,
    /// The exact bytes that were signed and are announced.
    #[serde(with = "b64")]
    pub manifest_bytes: Vec<u8>,
    #[serde(with = "b64")]
    pub signature: Vec<u8>,
    #[serde(with = "b64")]
    pub payload: Vec<u8>,
    pub attachments: Vec<SealedAttachment>,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("manifest", &self.manifest)
            .field("payload_bytes", &self.payload.len())
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealedAttachment {
    pub attachment_id: Uuid,
    #[serde(with = "b64")]
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    /// The manifest signature as sent in `submit` (base64url).
    pub fn signature_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.signature)
    }

    /// The ciphertext of one attachment.
    pub fn attachment(&self, attachment_id: Uuid) -> Option<&[u8]> {
        self.attachments
            .iter()
            .find(|a| a.attachment_id == attachment_id)
            .map(|a| a.ciphertext.as_slice())
    }
}

/// Why sealing failed; nothing was produced.
#[derive(Debug, Error)]
pub enum SealError {
    #[error("destination {destination} does not accept schema {schema}")]
    SchemaNotAccepted { destination: String, schema: String },
    #[error("destination {destination} has no age recipient valid on {on}; update the directory")]
    NoRecipient { destination: String, on: Date },
    #[error("the directory's recipient {kid} is not a valid age X25519 recipient")]
    BadRecipient { kid: String },
    #[error("{count} attachments, the destination accepts at most {max}")]
    TooManyAttachments { count: usize, max: u32 },
    #[error("attachment {attachment_id} has {size} bytes, the destination accepts at most {max}")]
    AttachmentTooLarge {
        attachment_id: Uuid,
        size: u64,
        max: u64,
    },
    #[error("the payload has {size} bytes, FSP/1 accepts at most {MAX_PAYLOAD_BYTES}")]
    PayloadTooLarge { size: u64 },
    #[error("attachment id {0} is used twice")]
    DuplicateAttachment(Uuid),
    #[error("the submission id is nil; make a random UUIDv4 once and store it")]
    NilSubmissionId,
    #[error(transparent)]
    Signer(#[from] SignerError),
    #[error("encryption failed: {0}")]
    Encrypt(String),
    #[error("serialising the envelope failed: {0}")]
    Json(#[from] serde_json::Error),
}

/// Seals one application for `input.destination`.
pub fn seal(input: &SealInput<'_>, signer: &impl Signer) -> Result<Sealed, SealError> {
    let dest = input.destination;
    if input.submission_id.is_nil() {
        return Err(SealError::NilSubmissionId);
    }
    let service = dest
        .services
        .iter()
        .find(|s| s.schemas.contains(&input.schema))
        .ok_or_else(|| SealError::SchemaNotAccepted {
            destination: dest.destination_id.clone(),
            schema: input.schema.clone(),
        })?;
    let recipient_entry =
        dest.age_recipient_on(input.on)
            .ok_or_else(|| SealError::NoRecipient {
                destination: dest.destination_id.clone(),
                on: input.on,
            })?;
    let recipient = age::x25519::Recipient::from_str(&recipient_entry.recipient).map_err(|_| {
        SealError::BadRecipient {
            kid: recipient_entry.kid.clone(),
        }
    })?;
    check_attachment_limits(&input.attachments, &dest.limits)?;

    let device_key = URL_SAFE_NO_PAD.encode(signer.verifying_key().as_bytes());
    let mut metas = Vec::with_capacity(input.attachments.len());
    let mut sealed_attachments = Vec::with_capacity(input.attachments.len());
    let mut refs = Vec::with_capacity(input.attachments.len());
    for a in &input.attachments {
        let ciphertext = encrypt(&recipient, a.bytes)?;
        refs.push(AttachmentRef {
            attachment_id: a.attachment_id,
            size: len64(&ciphertext),
            sha256: to_hex(&Sha256::digest(&ciphertext)),
        });
        metas.push(AttachmentMeta {
            attachment_id: a.attachment_id,
            filename: a.filename.clone(),
            mime_type: a.mime_type.clone(),
            purpose: a.purpose,
            document_kind: a.document_kind.clone(),
            document_id: a.document_id.clone(),
            plain_size: len64(a.bytes),
            plain_sha512: to_hex(&Sha512::digest(a.bytes)),
        });
        sealed_attachments.push(SealedAttachment {
            attachment_id: a.attachment_id,
            ciphertext,
        });
    }
    let document = PayloadDocument {
        fsp: FSP_VERSION.to_owned(),
        submission_id: input.submission_id,
        destination_id: dest.destination_id.clone(),
        bundle_id: input.bundle_id,
        device_key: device_key.clone(),
        service: PayloadService {
            leika: service.leika.clone(),
            schema: input.schema.clone(),
        },
        region: input.region.clone(),
        metadata: input.metadata.clone(),
        data: input.data.clone(),
        attachments: metas,
    };
    let plaintext = Zeroizing::new(serde_json::to_vec(&document)?);
    if len64(&plaintext) > MAX_PAYLOAD_BYTES {
        return Err(SealError::PayloadTooLarge {
            size: len64(&plaintext),
        });
    }
    let payload = encrypt(&recipient, &plaintext)?;
    let manifest = Manifest {
        fsp: FSP_VERSION.to_owned(),
        submission_id: input.submission_id,
        destination_id: dest.destination_id.clone(),
        bundle_id: input.bundle_id,
        service: ManifestService {
            leika: service.leika.clone(),
        },
        region: input.region.clone(),
        recipient_kid: recipient_entry.kid.clone(),
        payload: CiphertextRef {
            size: len64(&payload),
            sha256: to_hex(&Sha256::digest(&payload)),
        },
        attachments: refs,
        device_key,
        created_at: input.metadata.created_at,
    };
    let manifest_bytes = serde_json::to_vec(&manifest)?;
    let signature = signer.sign(&signed_message(&manifest_bytes))?;
    Ok(Sealed {
        manifest,
        manifest_bytes,
        signature: signature.to_bytes().to_vec(),
        payload,
        attachments: sealed_attachments,
    })
}

fn check_attachment_limits(
    attachments: &[AttachmentInput<'_>],
    limits: &Limits,
) -> Result<(), SealError> {
    if attachments.len() > usize::try_from(limits.max_attachments).unwrap_or(usize::MAX) {
        return Err(SealError::TooManyAttachments {
            count: attachments.len(),
            max: limits.max_attachments,
        });
    }
    let mut ids = BTreeSet::new();
    for a in attachments {
        if !ids.insert(a.attachment_id) {
            return Err(SealError::DuplicateAttachment(a.attachment_id));
        }
        if len64(a.bytes) > limits.max_attachment_bytes {
            return Err(SealError::AttachmentTooLarge {
                attachment_id: a.attachment_id,
                size: len64(a.bytes),
                max: limits.max_attachment_bytes,
            });
        }
    }
    Ok(())
}

fn encrypt(recipient: &age::x25519::Recipient, plain: &[u8]) -> Result<Vec<u8>, SealError> {
    let fail = |e: &dyn fmt::Display| SealError::Encrypt(e.to_string());
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(|e| fail(&e))?;
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| fail(&e))?;
    writer.write_all(plain).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))?;
    Ok(out)
}

/// `"FSP/1 manifest\n" || manifest bytes`.
pub fn signed_message(manifest_bytes: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(MANIFEST_CONTEXT.len() + manifest_bytes.len());
    message.extend_from_slice(MANIFEST_CONTEXT);
    message.extend_from_slice(manifest_bytes);
    message
}

fn len64(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

/// Which part of a submission an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Manifest,
    Payload,
    Attachment(Uuid),
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Manifest => f.write_str("the manifest"),
            Part::Payload => f.write_str("the payload"),
            Part::Attachment(id) => write!(f, "attachment {id}"),
        }
    }
}

/// Why a submission was refused when opened. Each maps onto an FSP/1 `rejected` problem
/// ([`OpenError::problem`]).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum OpenError {
    #[error("{part} has {size} bytes, at most {max} are accepted")]
    TooLarge { part: Part, size: u64, max: u64 },
    #[error("the manifest is malformed: {0}")]
    MalformedManifest(String),
    #[error("FSP version {0:?} is not supported")]
    UnsupportedVersion(String),
    #[error("the submission is addressed to {found}, not to {expected}")]
    WrongDestination { expected: String, found: String },
    #[error("the manifest signature is malformed")]
    MalformedSignature,
    #[error("the device key in the manifest is not an Ed25519 public key")]
    MalformedDeviceKey,
    #[error("the manifest signature does not verify: forged or altered")]
    ForgedSignature,
    #[error("{count} attachments, at most {max} are accepted")]
    TooManyAttachments { count: usize, max: u32 },
    #[error("attachment {0} is listed twice")]
    DuplicateAttachment(Uuid),
    #[error("attachment {0} is in the manifest but was not delivered")]
    MissingAttachment(Uuid),
    #[error("attachment {0} was delivered but is not in the manifest")]
    UnexpectedAttachment(Uuid),
    #[error("{part} does not match the manifest's size and SHA-256: swapped or altered")]
    CiphertextMismatch { part: Part },
    #[error("{part} is not encrypted to a key of this agency (kid {kid})")]
    WrongRecipient { part: Part, kid: String },
    #[error("{part} is not an acceptable age file: {reason}")]
    MalformedAge { part: Part, reason: &'static str },
    #[error("{part} does not decrypt: altered or truncated")]
    DecryptionFailed { part: Part },
    #[error("the payload is malformed: {0}")]
    MalformedPayload(String),
    #[error("the payload's {field} differs from the manifest's: cut from another submission")]
    IdMismatch { field: &'static str },
    #[error("the payload's attachment list differs from the manifest's")]
    AttachmentListMismatch,
    #[error("attachment {attachment_id}'s plaintext does not match its size and SHA-512")]
    PlaintextMismatch { attachment_id: Uuid },
}

impl OpenError {
    /// The FSP/1 problem name (`urn:fsp:problem:<name>`) for a `rejected` event.
    pub fn problem(&self) -> &'static str {
        match self {
            OpenError::TooLarge { .. } | OpenError::TooManyAttachments { .. } => "too-large",
            OpenError::MalformedManifest(_)
            | OpenError::UnsupportedVersion(_)
            | OpenError::DuplicateAttachment(_)
            | OpenError::MalformedPayload(_) => "schema-invalid",
            OpenError::WrongDestination { .. } => "wrong-destination",
            OpenError::MalformedSignature
            | OpenError::MalformedDeviceKey
            | OpenError::ForgedSignature => "signature-invalid",
            OpenError::MissingAttachment(_)
            | OpenError::UnexpectedAttachment(_)
            | OpenError::CiphertextMismatch { .. }
            | OpenError::AttachmentListMismatch
            | OpenError::PlaintextMismatch { .. } => "hash-mismatch",
            OpenError::WrongRecipient { .. }
            | OpenError::MalformedAge { .. }
            | OpenError::DecryptionFailed { .. } => "decryption-failed",
            OpenError::IdMismatch { .. } => "id-mismatch",
        }
    }
}

/// A submission opened and checked: every value in it is authenticated as described in the
/// module documentation.
#[derive(Debug)]
pub struct Opened {
    pub manifest: Manifest,
    /// SHA-256 of the manifest bytes, which the `accepted` event names.
    pub manifest_sha256: String,
    pub payload: PayloadDocument,
    /// Attachment plaintexts in manifest order, zeroized on drop.
    pub attachments: Vec<(Uuid, Zeroizing<Vec<u8>>)>,
}

/// The agency's side: its identities for one destination and that destination's limits.
pub struct Opener {
    destination_id: String,
    limits: Limits,
    /// `(kid, identity)`; the kid is computed from the identity, never taken from a message.
    identities: Vec<(String, age::x25519::Identity)>,
}

impl fmt::Debug for Opener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opener")
            .field("destination_id", &self.destination_id)
            .field(
                "kids",
                &self.identities.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// An identity string was not an age X25519 identity.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("identity {index} is not an age X25519 identity (AGE-SECRET-KEY-1…)")]
pub struct BadIdentity {
    pub index: usize,
}

impl Opener {
    /// The destination as the (verified) directory lists it, and the agency's age identities
    /// (the current and those of older recipients still in use).
    pub fn new(destination: &Destination, identities: &[&str]) -> Result<Self, BadIdentity> {
        let identities = identities
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let identity =
                    age::x25519::Identity::from_str(text).map_err(|_| BadIdentity { index })?;
                let kid = elternkit_directory::kid_of(&identity.to_public().to_string());
                Ok((kid, identity))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            destination_id: destination.destination_id.clone(),
            limits: destination.limits.clone(),
            identities,
        })
    }

    /// Opens a submission as the relay delivered it. `attachments` are `(id, ciphertext)`.
    pub fn open(
        &self,
        manifest_bytes: &[u8],
        signature: &[u8],
        payload: &[u8],
        attachments: &[(Uuid, &[u8])],
    ) -> Result<Opened, OpenError> {
        let manifest = self.check_manifest(manifest_bytes, signature)?;
        self.check_ciphertexts(&manifest, payload, attachments)?;
        let identity = self
            .identities
            .iter()
            .find(|(kid, _)| *kid == manifest.recipient_kid)
            .map(|(_, identity)| identity)
            .ok_or_else(|| OpenError::WrongRecipient {
                part: Part::Manifest,
                kid: manifest.recipient_kid.clone(),
            })?;

        let plain = decrypt(identity, &manifest.recipient_kid, Part::Payload, payload, {
            MAX_PAYLOAD_BYTES
        })?;
        let document: PayloadDocument = serde_json::from_slice(&plain)
            .map_err(|e| OpenError::MalformedPayload(e.to_string()))?;
        check_repetition(&manifest, &document)?;

        let mut opened = Vec::with_capacity(manifest.attachments.len());
        for (reference, meta) in manifest.attachments.iter().zip(&document.attachments) {
            let id = reference.attachment_id;
            let ciphertext = attachments
                .iter()
                .find(|(a, _)| *a == id)
                .map(|(_, c)| *c)
                .ok_or(OpenError::MissingAttachment(id))?;
            let part = Part::Attachment(id);
            let max = meta.plain_size.min(self.limits.max_attachment_bytes);
            let plain = decrypt(identity, &manifest.recipient_kid, part, ciphertext, max)?;
            if len64(&plain) != meta.plain_size
                || to_hex(&Sha512::digest(plain.as_slice())) != meta.plain_sha512
            {
                return Err(OpenError::PlaintextMismatch { attachment_id: id });
            }
            opened.push((id, plain));
        }
        Ok(Opened {
            manifest_sha256: to_hex(&Sha256::digest(manifest_bytes)),
            manifest,
            payload: document,
            attachments: opened,
        })
    }

    /// Size, shape, version, destination and signature of the manifest.
    fn check_manifest(&self, bytes: &[u8], signature: &[u8]) -> Result<Manifest, OpenError> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(OpenError::TooLarge {
                part: Part::Manifest,
                size: len64(bytes),
                max: MAX_MANIFEST_BYTES as u64,
            });
        }
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| OpenError::MalformedManifest(e.to_string()))?;
        if manifest.fsp != FSP_VERSION {
            return Err(OpenError::UnsupportedVersion(manifest.fsp));
        }
        if manifest.destination_id != self.destination_id {
            return Err(OpenError::WrongDestination {
                expected: self.destination_id.clone(),
                found: manifest.destination_id,
            });
        }
        let signature: [u8; 64] = signature
            .try_into()
            .map_err(|_| OpenError::MalformedSignature)?;
        let key_bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(&manifest.device_key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or(OpenError::MalformedDeviceKey)?;
        let key =
            VerifyingKey::from_bytes(&key_bytes).map_err(|_| OpenError::MalformedDeviceKey)?;
        key.verify_strict(&signed_message(bytes), &Signature::from_bytes(&signature))
            .map_err(|_| OpenError::ForgedSignature)?;
        Ok(manifest)
    }

    /// Counts, limits and the ciphertexts' size + SHA-256 against the signed manifest.
    fn check_ciphertexts(
        &self,
        manifest: &Manifest,
        payload: &[u8],
        attachments: &[(Uuid, &[u8])],
    ) -> Result<(), OpenError> {
        let max = self.limits.max_attachments;
        let too_many = |count: usize| count > usize::try_from(max).unwrap_or(usize::MAX);
        if too_many(manifest.attachments.len()) {
            return Err(OpenError::TooManyAttachments {
                count: manifest.attachments.len(),
                max,
            });
        }
        let mut ids = BTreeSet::new();
        for a in &manifest.attachments {
            if !ids.insert(a.attachment_id) {
                return Err(OpenError::DuplicateAttachment(a.attachment_id));
            }
        }
        let mut delivered = BTreeSet::new();
        for (id, _) in attachments {
            if !ids.contains(id) {
                return Err(OpenError::UnexpectedAttachment(*id));
            }
            if !delivered.insert(*id) {
                return Err(OpenError::DuplicateAttachment(*id));
            }
        }
        if let Some(missing) = ids.difference(&delivered).next() {
            return Err(OpenError::MissingAttachment(*missing));
        }
        let matches = |reference: &CiphertextRef, bytes: &[u8]| {
            reference.size == len64(bytes) && reference.sha256 == to_hex(&Sha256::digest(bytes))
        };
        if len64(payload) > MAX_PAYLOAD_BYTES + AGE_OVERHEAD_BOUND + MAX_PAYLOAD_BYTES / 4096 {
            return Err(OpenError::TooLarge {
                part: Part::Payload,
                size: len64(payload),
                max: MAX_PAYLOAD_BYTES,
            });
        }
        if !matches(&manifest.payload, payload) {
            return Err(OpenError::CiphertextMismatch {
                part: Part::Payload,
            });
        }
        for (id, bytes) in attachments {
            let Some(reference) = manifest.attachments.iter().find(|a| a.attachment_id == *id)
            else {
                return Err(OpenError::UnexpectedAttachment(*id));
            };
            let as_ref = CiphertextRef {
                size: reference.size,
                sha256: reference.sha256.clone(),
            };
            if !matches(&as_ref, bytes) {
                return Err(OpenError::CiphertextMismatch {
                    part: Part::Attachment(*id),
                });
            }
        }
        Ok(())
    }
}

/// The payload repeats what the manifest says; any difference means a ciphertext was moved
/// between submissions (or destinations, or devices).
fn check_repetition(manifest: &Manifest, document: &PayloadDocument) -> Result<(), OpenError> {
    let checks: [(&'static str, bool); 8] = [
        ("fsp", document.fsp == manifest.fsp),
        (
            "submissionId",
            document.submission_id == manifest.submission_id,
        ),
        (
            "destinationId",
            document.destination_id == manifest.destination_id,
        ),
        ("bundleId", document.bundle_id == manifest.bundle_id),
        ("deviceKey", document.device_key == manifest.device_key),
        ("service", document.service.leika == manifest.service.leika),
        ("region", document.region == manifest.region),
        (
            "createdAt",
            document.metadata.created_at == manifest.created_at,
        ),
    ];
    if let Some((field, _)) = checks.iter().find(|(_, ok)| !ok) {
        return Err(OpenError::IdMismatch { field });
    }
    let listed: Vec<Uuid> = document
        .attachments
        .iter()
        .map(|a| a.attachment_id)
        .collect();
    let signed: Vec<Uuid> = manifest
        .attachments
        .iter()
        .map(|a| a.attachment_id)
        .collect();
    if listed != signed {
        return Err(OpenError::AttachmentListMismatch);
    }
    Ok(())
}

/// Checks the age header by hand (only X25519 stanzas, at most two, a bounded header), then
/// decrypts at most `max` plaintext bytes.
fn decrypt(
    identity: &age::x25519::Identity,
    kid: &str,
    part: Part,
    ciphertext: &[u8],
    max: u64,
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    check_age_header(ciphertext, part)?;
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|_| OpenError::MalformedAge {
            part,
            reason: "the header does not parse",
        })?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => OpenError::WrongRecipient {
                part,
                kid: kid.to_owned(),
            },
            _ => OpenError::DecryptionFailed { part },
        })?;
    let mut plain = Zeroizing::new(Vec::new());
    (&mut reader)
        .take(max.saturating_add(1))
        .read_to_end(&mut plain)
        .map_err(|_| OpenError::DecryptionFailed { part })?;
    if len64(&plain) > max {
        return Err(OpenError::TooLarge {
            part,
            size: len64(&plain),
            max,
        });
    }
    Ok(plain)
}

fn check_age_header(ciphertext: &[u8], part: Part) -> Result<(), OpenError> {
    let bad = |reason| OpenError::MalformedAge { part, reason };
    let window = &ciphertext[..ciphertext.len().min(MAX_AGE_HEADER_BYTES)];
    let Some(rest) = window.strip_prefix(b"age-encryption.org/v1\n") else {
        return Err(bad("not a binary age v1 file"));
    };
    let end = rest
        .windows(4)
        .position(|w| w == b"--- ")
        .ok_or(bad("the header is too long or unterminated"))?;
    let (mut stanzas, mut grease) = (0, 0);
    for line in rest[..end].split(|b| *b == b'\n') {
        let Some(stanza) = line.strip_prefix(b"-> ") else {
            continue;
        };
        let kind = stanza.split(|b| *b == b' ').next().unwrap_or_default();
        if kind == b"X25519" {
            stanzas += 1;
        } else if kind.ends_with(b"-grease") {
            // age adds one random "grease" stanza so parsers keep tolerating unknown ones.
            grease += 1;
        } else {
            return Err(bad("only X25519 recipient stanzas are accepted"));
        }
    }
    if grease > 1 {
        return Err(bad("at most one grease stanza is accepted"));
    }
    if stanzas == 0 || stanzas > MAX_RECIPIENT_STANZAS {
        return Err(bad("one or two recipient stanzas are accepted"));
    }
    Ok(())
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(serde::de::Error::custom)
    }
}
