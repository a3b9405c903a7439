//! The one error type of the FFI surface, mapped from the core's errors in one place.
//!
//! Every variant is something the app acts on differently (ask for input, restore a
//! backup, merge, update, retry later). Texts never carry personal data: no case values,
//! no names, no amounts, no file paths — only record ids, field paths, codes and counts
//! (the model is application-services' split of internal and public errors).

use elternkit_directory::DirectoryError;
use elternkit_model::Lang;
use elternkit_planner::PlanError;
use elternkit_store::crypto::{CryptoError, SecretStoreError as CoreSecretStoreError};
use elternkit_store::{HandoffProblem, InputError, StoreError};

use crate::records::CaseProblem;

/// What went wrong, as the app sees it. Kotlin: `ElternKitException`; Swift: `ElternKitError`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ElternKitError {
    /// The case JSON cannot be read or is invalid; `problems` say where and why.
    #[error("the case is not valid ({} problem(s))", problems.len())]
    InvalidCase { problems: Vec<CaseProblem> },
    /// An argument other than the case is malformed (a draft id, a recipient, a date).
    #[error("invalid {argument}: {reason}")]
    InvalidArgument { argument: String, reason: String },
    /// The device key cannot be loaded, or differs from the one the database was made with.
    /// Nothing was changed; do not delete the database.
    #[error("the device key is not available: {reason}")]
    KeyUnavailable { reason: String },
    /// The platform's key store (Keystore, Keychain) failed.
    #[error("the platform key store failed: {reason}")]
    SecretStoreFailed { reason: String },
    /// A record could not be decrypted with this device's key; it was kept unchanged.
    #[error("record {record} could not be decrypted")]
    DecryptionFailed { record: String },
    /// A record or the database was changed outside the app (or rolled back); not used.
    #[error("record {record} was changed outside the app; restore from a backup")]
    StorageTampered { record: String },
    /// The database file is damaged; keep it and restore it from a backup.
    #[error("the database is damaged: {reason}")]
    StorageCorrupt { reason: String },
    /// The draft was saved elsewhere since `expected_version`: load it, merge, save again.
    #[error("draft {draft_id} is at version {actual_version}, not {expected_version}")]
    Conflict {
        draft_id: String,
        expected_version: u64,
        actual_version: u64,
    },
    #[error("no {what} with id {id}")]
    NotFound { what: String, id: String },
    #[error("the {what} is larger than {limit_bytes} bytes")]
    TooLarge { what: String, limit_bytes: u64 },
    /// Data written by a newer app version: update the app.
    #[error("update the app: {reason}")]
    UpdateRequired { reason: String },
    /// A handoff could not be accepted (unknown sender, not for this device, bad recipient).
    #[error("the handoff was refused: {reason}")]
    HandoffRefused { reason: String },
    /// The FSP/1 directory does not verify or is out of date: update the app's directory.
    #[error("the office directory cannot be used: {reason}")]
    DirectoryInvalid { reason: String },
    /// Stopped through a `CancelToken`.
    #[error("cancelled")]
    Cancelled,
    /// A bug or an unexpected system failure (also a caught panic); report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
    /// No month plan satisfies both § 4 BEEG and the plan request's constraints: relax the
    /// constraints (fixed months, months at home, the household minimum).
    #[error("no plan satisfies the request's constraints and § 4 BEEG")]
    NoLegalPlan,
    /// These applications of the draft are not ready to send (missing answers, documents or
    /// an office); `bundle()` lists what each one lacks. Nothing was queued.
    #[error("{} application(s) are not ready to send: {}", applications.len(), applications.join(", "))]
    NotReady { applications: Vec<String> },
    /// The draft's applications are already in the outbox under these submission ids;
    /// follow them with `submission_statuses()` instead of submitting again.
    #[error("draft {draft_id} was already submitted")]
    AlreadySubmitted {
        draft_id: String,
        submission_ids: Vec<String>,
    },
    /// The handoff was encrypted for other devices: ask the other parent to export it again
    /// for this device's `device_recipient()`. Nothing was imported.
    #[error("the handoff was not encrypted for this device")]
    HandoffNotForThisDevice,
    /// The handoff is for this device but damaged or altered (authentication failed): ask
    /// the other parent to send it again. Nothing was imported.
    #[error("the handoff is damaged or was altered")]
    HandoffDamaged,
}

pub(crate) fn internal(reason: impl Into<String>) -> ElternKitError {
    ElternKitError::Internal {
        reason: reason.into(),
    }
}

/// The planner's error; `lang` for the rules' problems, which become `InvalidCase`.
pub(crate) fn plan_error(e: PlanError, lang: Lang) -> ElternKitError {
    use ElternKitError as E;
    match e {
        PlanError::UnknownParent => E::InvalidArgument {
            argument: "parent_id".into(),
            reason: "no parent of the case has this id".into(),
        },
        // Lebensmonate are positions in the plan, not personal data.
        PlanError::LebensmonatOutOfRange { lebensmonat, last } => E::InvalidArgument {
            argument: "lebensmonat".into(),
            reason: format!("Lebensmonat {lebensmonat} lies outside 1 to {last}"),
        },
        PlanError::ParentCount => E::InvalidArgument {
            argument: "case_json".into(),
            reason: "the planner plans for one or two parents".into(),
        },
        PlanError::Rules(e) => E::InvalidCase {
            problems: vec![CaseProblem::from_core(&e.into_input_error(), lang)],
        },
        // The path names a field of the request; the message never quotes its value.
        PlanError::Request { path, problem } => E::InvalidArgument {
            argument: if path.is_empty() || path == "." {
                "request_json".into()
            } else {
                format!("request_json.{path}")
            },
            reason: format!("{}: {problem}", problem.code()),
        },
        PlanError::NoLegalPlan => E::NoLegalPlan,
        PlanError::Cancelled => E::Cancelled,
    }
}

impl From<StoreError> for ElternKitError {
    fn from(e: StoreError) -> Self {
        use ElternKitError as E;
        match e {
            StoreError::KeyUnavailable { reason } => E::KeyUnavailable { reason },
            StoreError::HandoffRefused(HandoffProblem::NotForThisDevice) => {
                E::HandoffNotForThisDevice
            }
            StoreError::HandoffRefused(HandoffProblem::Damaged) => E::HandoffDamaged,
            // The code first, for an app that tells the others apart; the sender in
            // `UnexpectedSender` is a device's public recipient.
            StoreError::HandoffRefused(problem) => E::HandoffRefused {
                reason: format!("{}: {problem}", problem.code()),
            },
            StoreError::DecryptionFailed { id, .. } => E::DecryptionFailed { record: id },
            StoreError::Misplaced { id } | StoreError::Tampered { id, .. } => {
                E::StorageTampered { record: id }
            }
            StoreError::TooLarge { what, limit } => E::TooLarge {
                what: what.into(),
                limit_bytes: limit,
            },
            StoreError::Conflict {
                id,
                expected,
                actual,
                ..
            } => E::Conflict {
                draft_id: id.to_string(),
                expected_version: expected,
                actual_version: actual,
            },
            StoreError::NotFound { what, id } => E::NotFound {
                what: what.into(),
                id,
            },
            // The store's reason names codes and positions only, never SQLite's text.
            StoreError::Corrupt { reason } => E::StorageCorrupt { reason },
            // The path may hold the user's name: say what it is without it.
            StoreError::NotADatabase { .. } => E::StorageCorrupt {
                reason: "the file is not a draft database (not an SQLite file); it was not changed"
                    .into(),
            },
            StoreError::ForeignDatabase { .. } => E::StorageCorrupt {
                reason: "the file is another program's SQLite database, not a draft database; it \
                         was not changed"
                    .into(),
            },
            StoreError::TooNew { found, supported } => E::UpdateRequired {
                reason: format!(
                    "the database has schema version {found}, this build knows up to {supported}"
                ),
            },
            StoreError::InvalidInput(e) => E::InvalidArgument {
                argument: match e {
                    InputError::DraftId => "draft_id",
                    InputError::DocumentId => "document_id",
                    InputError::NoSuchPart => "part",
                    InputError::ExpectedSender => "expected_sender",
                    _ => "input",
                }
                .into(),
                reason: format!("{}: {e}", e.code()),
            },
            // SQLite's codes, never its text (English, may name a file).
            StoreError::Sqlite(e) => {
                internal(format!("SQLite: {}", elternkit_store::sqlite_code(&e)))
            }
            // The path may hold the user's name (a home folder): leave it out.
            StoreError::Io { source, .. } => internal(format!("file error: {}", source.kind())),
            StoreError::Crypto(e) => e.into(),
        }
    }
}

impl From<CryptoError> for ElternKitError {
    fn from(e: CryptoError) -> Self {
        use ElternKitError as E;
        match e {
            CryptoError::WrongKey => E::KeyUnavailable {
                reason: "the data was encrypted for another key".into(),
            },
            CryptoError::Damaged => E::DecryptionFailed {
                record: "data".into(),
            },
            CryptoError::Misplaced { found, .. } => E::StorageTampered { record: found },
            CryptoError::BadRecipient { reason, .. } => E::HandoffRefused {
                reason: format!("not a valid recipient: {reason}"),
            },
            // A plain file given as a handoff: the user picked the wrong file, not a bug.
            CryptoError::NotAHandoff => E::HandoffRefused {
                reason: "not a draft handoff (expected an age-encrypted export)".into(),
            },
            CryptoError::Unauthenticated => E::HandoffRefused {
                reason: "the sender could not be verified".into(),
            },
            CryptoError::SecretStore(e) => e.into(),
            CryptoError::TooLarge { what, limit } => E::TooLarge {
                what: what.into(),
                limit_bytes: limit,
            },
            CryptoError::Io(e) => internal(format!("file error: {}", e.kind())),
            other => internal(other.to_string()),
        }
    }
}

impl From<CoreSecretStoreError> for ElternKitError {
    fn from(e: CoreSecretStoreError) -> Self {
        let reason = match e {
            CoreSecretStoreError::Platform(reason) => reason,
            CoreSecretStoreError::Io { source, .. } => format!("file error: {}", source.kind()),
            CoreSecretStoreError::Malformed { reason, .. } => reason,
            CoreSecretStoreError::Insecure { mode, .. } => {
                format!("the key file is readable by others (mode {mode:o})")
            }
        };
        ElternKitError::SecretStoreFailed { reason }
    }
}

impl From<DirectoryError> for ElternKitError {
    fn from(e: DirectoryError) -> Self {
        // The directory is public data; its errors name dates and key ids only.
        ElternKitError::DirectoryInvalid {
            reason: e.to_string(),
        }
    }
}

/// The error a platform `SecretStore` throws. Kotlin: `SecretStoreException`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SecretStoreError {
    /// The key store cannot be used now (locked device, user not authenticated, …).
    #[error("the key store is unavailable: {reason}")]
    Unavailable { reason: String },
    /// The implementation threw something it did not declare.
    #[error("the key store failed unexpectedly: {reason}")]
    Unexpected { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for SecretStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        SecretStoreError::Unexpected { reason: e.reason }
    }
}
