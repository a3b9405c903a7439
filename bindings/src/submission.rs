//! Submission through the FFI: the records of `App::submit`, `App::process_outbox` and
//! `App::submission_statuses`, and the blocking work they run on the `App`'s runtime. The
//! work itself is the core's (`elternkit_submit::seal`, `elternkit_sender`); this module
//! only assembles its inputs and mirrors its results.

use std::sync::Arc;

use elternkit_bundle::routing::Routing;
use elternkit_bundle::{Application, DocumentStatus};
use elternkit_bundle::{DeriveContext, DirectoryRouter};
use elternkit_directory::Directory;
use elternkit_model::application::DocumentKind;
use elternkit_sender::{DeviceSigner, Env, Filed, FilingStatus, SenderError};
use elternkit_store::crypto::device_signing_key;
use elternkit_store::{DocumentInfo, DraftId, OutboxItem, Store};
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::events::{self, EventKind};
use elternkit_submit::payload::{self, PayloadError};
use elternkit_submit::{AttachmentInput, Purpose, SealError, SealInput, seal};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::error::{ElternKitError, internal};
use crate::platform::Secrets;

type Result<T> = std::result::Result<T, ElternKitError>;

/// One application queued by `App::submit`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QueuedSubmission {
    /// The client-made FSP/1 submission id (UUIDv4), stored before the first request.
    pub submission_id: String,
    /// The bundle's application id (e.g. `elterngeld-p1`).
    pub application_id: String,
    /// The office's FSP/1 `destinationId` and its name.
    pub destination_id: String,
    pub office_name: String,
}

/// Where one submission stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SubmissionState {
    /// Due now: the next `process_outbox` sends its next request (`announce`, `upload`,
    /// `submit`).
    Sending { step: String },
    /// Waiting for a retry (backoff, or the relay's `Retry-After`) until `until` (RFC 3339);
    /// `last_error` is the failure's class, HTTP status and problem name, e.g.
    /// `http:503:` or `network`.
    Waiting {
        step: String,
        until: String,
        last_error: String,
    },
    /// Retrying will not help (FSP/1 § 10): show it to the user. `reason` is the failure's
    /// class, status and problem name (e.g. `http:422:wrong-recipient`), never user data.
    NeedsUser { reason: String },
    /// Received by the relay: `received_at` (RFC 3339) is the filing date to show.
    Filed { received_at: String },
    /// The office has downloaded it.
    Retrieved { received_at: String },
    /// The office accepted it; its case number (Aktenzeichen) where it gave one.
    Accepted {
        received_at: String,
        aktenzeichen: Option<String>,
    },
    /// The office rejected it; `problems` are the problem type names it gave.
    Rejected {
        received_at: String,
        problems: Vec<String>,
    },
    /// A status event after the acceptance (`state` as the office named it).
    InProgress {
        received_at: String,
        aktenzeichen: Option<String>,
        state: String,
    },
    /// The relay expired or deleted it before it was filed.
    Expired,
}

/// One verified event of a submission (the relay's receipts and the office's answers).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SubmissionEvent {
    pub seq: u64,
    /// `announced`, `submitted`, `retrieved`, `accepted`, `rejected`, `status`, `expired`,
    /// `deleted`.
    pub kind: String,
    /// When it was signed (RFC 3339).
    pub issued_at: String,
    /// The case number, on `accepted`.
    pub aktenzeichen: Option<String>,
    /// The problem type names, on `rejected`.
    pub problems: Vec<String>,
}

/// One submission with its status and its verified events.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SubmissionStatus {
    pub submission_id: String,
    pub draft_id: String,
    pub destination_id: String,
    pub state: SubmissionState,
    pub events: Vec<SubmissionEvent>,
}

/// What one `process_outbox` call did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxRun {
    /// Requests sent (event fetches included).
    pub requests: u64,
    /// Stopped early through the `CancelToken`; call again later to go on.
    pub cancelled: bool,
    /// Every submission in the outbox, after the call.
    pub submissions: Vec<SubmissionStatus>,
}

impl From<SenderError> for ElternKitError {
    fn from(e: SenderError) -> Self {
        match e {
            SenderError::Store(e) => e.into(),
            // The row was authenticated and decrypted, yet does not parse: a bug or a newer
            // format. The parser's text may quote the data, so only the id is kept.
            SenderError::Corrupt { id, .. } => internal(format!("outbox entry {id} is unreadable")),
            SenderError::UnknownDestination { id, destination } => {
                ElternKitError::DirectoryInvalid {
                    reason: format!(
                        "submission {id} is for office {destination}, which the directory no \
                         longer lists"
                    ),
                }
            }
        }
    }
}

fn seal_error(e: SealError) -> ElternKitError {
    match e {
        // Directory data only (public): the app needs a newer directory.
        SealError::SchemaNotAccepted { .. }
        | SealError::NoRecipient { .. }
        | SealError::BadRecipient { .. } => ElternKitError::DirectoryInvalid {
            reason: e.to_string(),
        },
        SealError::TooManyAttachments { max, .. } => ElternKitError::TooLarge {
            what: "number of attachments".into(),
            limit_bytes: u64::from(max),
        },
        SealError::AttachmentTooLarge { max, .. } => ElternKitError::TooLarge {
            what: "attachment".into(),
            limit_bytes: max,
        },
        SealError::PayloadTooLarge { .. } => ElternKitError::TooLarge {
            what: "application".into(),
            limit_bytes: elternkit_submit::envelope::MAX_PAYLOAD_BYTES,
        },
        other => internal(format!("sealing failed: {other}")),
    }
}

/// Seals every application of the draft for its office and stores them in the outbox, all
/// before the first request. Nothing is queued unless every application is ready.
pub(crate) fn submit(
    store: &mut Store,
    secrets: &Secrets,
    directory: &Directory,
    draft: &DraftId,
    today: Date,
    now: Timestamp,
) -> Result<Vec<QueuedSubmission>> {
    let already: Vec<String> = store
        .outbox_items()?
        .into_iter()
        .filter(|i| i.draft_id == draft.to_string() && !i.destination_id.is_empty())
        .map(|i| i.id)
        .collect();
    if !already.is_empty() {
        return Err(ElternKitError::AlreadySubmitted {
            draft_id: draft.to_string(),
            submission_ids: already,
        });
    }
    let content = store.load_draft(draft)?.content;
    let case = elternkit_model::parse_case(&content.case.to_string()).map_err(|problems| {
        ElternKitError::InvalidArgument {
            argument: "draft_id".into(),
            reason: format!(
                "the draft's case is not valid ({} problem(s)); check it with bundle()",
                problems.len()
            ),
        }
    })?;
    let ctx = DeriveContext {
        evaluation_date: Some(today),
        land: None,
    };
    let bundle = elternkit_bundle::derive(&case, &ctx, &DirectoryRouter(directory));
    let result = elternkit_rules::calculate(&case);

    let not_ready: Vec<String> = bundle
        .applications
        .iter()
        .filter(|a| !a.ready || !matches!(a.routing, Some(Routing::Resolved { .. })))
        .map(|a| a.id.clone())
        .collect();
    if !not_ready.is_empty() || bundle.applications.is_empty() {
        return Err(ElternKitError::NotReady {
            applications: not_ready,
        });
    }

    let device = device_signing_key(secrets)?;
    let mut sealed = Vec::with_capacity(bundle.applications.len());
    for app in &bundle.applications {
        let Some(Routing::Resolved { office, .. }) = &app.routing else {
            continue; // checked above
        };
        let destination = directory
            .destination(&office.destination_id)
            .ok_or_else(|| ElternKitError::DirectoryInvalid {
                reason: format!("office {} is not in the directory", office.destination_id),
            })?;
        let data = payload::build(app, &case, &result).map_err(|e| match e {
            PayloadError::NotReady { application, .. } => ElternKitError::NotReady {
                applications: vec![application],
            },
            other => internal(other.to_string()),
        })?;
        let data = serde_json::to_value(data)
            .map_err(|_| internal("the application payload cannot be serialised"))?;
        // The family's ARS is not asked for; the office's most specific region is a prefix
        // of it, which the manifest allows (PROTOCOL § 4).
        let ars = destination
            .regions
            .iter()
            .max_by_key(|r| r.len())
            .cloned()
            .unwrap_or_default();
        let files = stored_attachments(store, draft, app)?;
        let attachments = files
            .iter()
            .map(|f| AttachmentInput {
                attachment_id: Uuid::new_v4(),
                filename: f.info.file_name.clone(),
                mime_type: f.info.media_type.clone(),
                purpose: Purpose::Evidence,
                document_kind: Some(f.kind.as_str().to_owned()),
                document_id: Some(f.document_id.clone()),
                bytes: &f.bytes,
            })
            .collect();
        let input = SealInput {
            submission_id: Uuid::new_v4(),
            bundle_id: Uuid::new_v4(),
            destination,
            on: directory.checked_on(),
            schema: payload::schema_of(app.service).into(),
            region: Region { ars },
            metadata: Metadata::unauthenticated(now, env!("CARGO_PKG_VERSION")),
            data,
            attachments,
        };
        sealed.push((
            app.id.clone(),
            office.clone(),
            seal(&input, &device).map_err(seal_error)?,
        ));
    }
    let mut queued = Vec::with_capacity(sealed.len());
    for (application_id, office, s) in &sealed {
        let sid = elternkit_sender::enqueue(store, draft, s)?;
        queued.push(QueuedSubmission {
            submission_id: sid.to_string(),
            application_id: application_id.clone(),
            destination_id: office.destination_id.clone(),
            office_name: office.name.clone(),
        });
    }
    Ok(queued)
}

/// A document stored with the draft that an application sends, decrypted for sealing.
struct StoredAttachment {
    /// The case's document id (`application.documents[].id`), which is the id the store
    /// gave the file (`App::add_document`).
    document_id: String,
    kind: DocumentKind,
    info: DocumentInfo,
    bytes: Zeroizing<Vec<u8>>,
}

/// The files of the documents `app` lists as uploaded, read from the draft's encrypted
/// documents: a document the case names by a stored document's id is sent as an attachment
/// with that `documentId` (the payload's reference). A reference without a stored file
/// stays a reference, as before documents could be stored (the office asks for it).
fn stored_attachments(
    store: &Store,
    draft: &DraftId,
    app: &Application,
) -> Result<Vec<StoredAttachment>> {
    let stored = store.documents(draft)?;
    let mut out: Vec<StoredAttachment> = Vec::new();
    for need in &app.documents {
        let Some(document_id) = need.document.as_deref() else {
            continue;
        };
        if need.status != DocumentStatus::Uploaded
            || out.iter().any(|a| a.document_id == document_id)
        {
            continue;
        }
        let Some((id, info)) = stored.iter().find_map(|info| {
            let id = info.id.as_ref()?;
            (id.to_string() == document_id).then(|| (*id, info.clone()))
        }) else {
            continue;
        };
        let mut reader = store.open_document(&id)?;
        let mut bytes = Zeroizing::new(Vec::new());
        // Every chunk is authenticated as it is read; a failure is a damaged or foreign file.
        std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(|_| {
            ElternKitError::DecryptionFailed {
                record: format!("document {document_id}"),
            }
        })?;
        out.push(StoredAttachment {
            document_id: document_id.to_owned(),
            kind: need.kind,
            info,
            bytes,
        });
    }
    Ok(out)
}

/// Runs the sender once over `store` (the `App`'s second handle) and reports every
/// submission; with `events_now` the filed submissions' events are fetched now
/// (`elternkit_sender::refresh`), not when their poll is due.
pub(crate) fn process_outbox(
    store: &mut Store,
    secrets: &Secrets,
    directory: &Directory,
    cancel: &elternkit_sender::CancelToken,
    now: &dyn Fn() -> Timestamp,
    runtime: elternkit_sender::RuntimeHandle,
    events_now: bool,
) -> Result<OutboxRun> {
    let device: DeviceSigner = Arc::new(device_signing_key(secrets)?);
    // The requests run on the `App`'s runtime; this thread (its blocking pool) waits.
    let mut connect = elternkit_sender::http_connect_on(runtime, device);
    let mut rng = rand::rng();
    let mut env = Env {
        now,
        rng: &mut rng,
        cancel,
        connect: &mut connect,
    };
    let report = if events_now {
        elternkit_sender::refresh(store, directory, &mut env)?
    } else {
        elternkit_sender::process_outbox(store, directory, &mut env)?
    };
    let items = store.outbox_items()?;
    Ok(OutboxRun {
        requests: report.requests as u64,
        cancelled: report.cancelled,
        submissions: report
            .submissions
            .iter()
            .map(|f| status_of(f, &items))
            .collect(),
    })
}

/// Every submission's status from the store alone.
pub(crate) fn statuses(
    store: &Store,
    directory: &Directory,
    now: Timestamp,
) -> Result<Vec<SubmissionStatus>> {
    let items = store.outbox_items()?;
    Ok(elternkit_sender::statuses(store, directory, now)?
        .iter()
        .map(|f| status_of(f, &items))
        .collect())
}

fn status_of(f: &Filed, items: &[OutboxItem]) -> SubmissionStatus {
    let sid = f.submission_id.to_string();
    let item = items.iter().find(|i| i.id == sid);
    let state = match &f.status {
        FilingStatus::Sending { step } => match f.wait_until {
            Some(until) => SubmissionState::Waiting {
                step: step.clone(),
                until: until.to_string(),
                last_error: item.map(|i| i.last_error.clone()).unwrap_or_default(),
            },
            None => SubmissionState::Sending { step: step.clone() },
        },
        // The clear error code, not the failure's text (which may carry a server message).
        FilingStatus::NeedsUser { .. } => SubmissionState::NeedsUser {
            reason: item.map(|i| i.last_error.clone()).unwrap_or_default(),
        },
        FilingStatus::Filed { received_at } => SubmissionState::Filed {
            received_at: received_at.clone(),
        },
        FilingStatus::Retrieved { received_at } => SubmissionState::Retrieved {
            received_at: received_at.clone(),
        },
        FilingStatus::Accepted {
            received_at,
            aktenzeichen,
        } => SubmissionState::Accepted {
            received_at: received_at.clone(),
            aktenzeichen: aktenzeichen.clone(),
        },
        FilingStatus::Rejected {
            received_at,
            problems,
        } => SubmissionState::Rejected {
            received_at: received_at.clone(),
            problems: problems.clone(),
        },
        FilingStatus::InProgress {
            received_at,
            aktenzeichen,
            state,
        } => SubmissionState::InProgress {
            received_at: received_at.clone(),
            aktenzeichen: aktenzeichen.clone(),
            state: state.clone(),
        },
        FilingStatus::Expired => SubmissionState::Expired,
    };
    SubmissionStatus {
        submission_id: sid,
        draft_id: f.draft_id.clone(),
        destination_id: f.destination_id.clone(),
        state,
        events: f.events.iter().filter_map(|j| event_of(j)).collect(),
    }
}

/// The stored chain was verified before it was stored and again when it was read; here it
/// is only decoded for display.
fn event_of(jws: &str) -> Option<SubmissionEvent> {
    let decoded = events::decode(jws).ok()?;
    let (kind, content) = decoded.claims.event().ok()?;
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    Some(SubmissionEvent {
        seq: decoded.claims.seq,
        kind: kind.name().to_owned(),
        issued_at: Timestamp::from_second(decoded.claims.iat)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        aktenzeichen: (kind == EventKind::Accepted)
            .then(|| text(&content["aktenzeichen"]))
            .flatten(),
        problems: if kind == EventKind::Rejected {
            content["problems"]
                .as_array()
                .map(|p| p.iter().filter_map(|x| text(&x["type"])).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        },
    })
}
