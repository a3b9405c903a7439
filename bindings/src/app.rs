//! The `App` object: one per process, kept for the app's lifetime.
//!
//! Sync methods for pure work (microseconds to milliseconds) and for the drafts; the app
//! calls them off its main thread. Async methods run on a tokio runtime the `App` owns,
//! built on first use: `check_integrity`, and the submission (`submit`, `process_outbox`,
//! `refresh_statuses`, `submission_statuses`). Their work is blocking (SQLite; the outbox's synchronous
//! transport, whose requests run on this same runtime), so it runs on the runtime's
//! blocking pool and the caller's coroutine or task only awaits.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use elternkit_bundle::{DeriveContext, DirectoryRouter};
use elternkit_directory::{Directory, TrustAnchors};
use elternkit_model::{Case, Lang, parse_case};
use elternkit_rules::CalcOptions;
use elternkit_store::{DocumentId, DraftContent, DraftId, Store};
use jiff::Timestamp;
use jiff::civil::Date;
use zeroize::Zeroizing;

use crate::cancel::{CancelToken, ProgressListener};
use crate::error::{ElternKitError, internal};
use crate::guard::guard;
use crate::plan::Planner;
use crate::platform::{PlatformClock, SecretStore, Secrets};
use crate::records::{
    AppConfig, ApplicationBundle, CalculationResult, CaseProblem, DirectoryConfig, Draft,
    DraftInput, DraftListEntry, DraftMeta, Explanation, ImportedDraft, Language, StoredDocument,
};
use crate::submission::{self, OutboxRun, QueuedSubmission, SubmissionStatus};

type Result<T> = std::result::Result<T, ElternKitError>;

/// The app's handle on the core: the encrypted store, the verified office directory, the
/// locale of every returned text and the platform's clock.
#[derive(uniffi::Object)]
pub struct App {
    /// `Store` is not `Sync` (it caches a check in a `Cell`); one caller at a time.
    store: Mutex<Store>,
    secrets: Secrets,
    directory: Directory,
    locale: Lang,
    clock: Arc<dyn PlatformClock>,
    runtime: OnceLock<tokio::runtime::Runtime>,
    /// A second handle on the same database for the sender, opened on first use: a
    /// `process_outbox` waiting on the network then never holds the lock the drafts use.
    /// Its mutex also keeps two `process_outbox` calls from running at once.
    sender_store: Mutex<Option<Store>>,
    /// The time for the outbox's backoff and event polling: the system's (the platform
    /// clock gives dates only); tests move it forward.
    now: Box<dyn Fn() -> Timestamp + Send + Sync>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // The last reference may go away on one of the runtime's own threads (an async call
        // still running when the app closes the `App`); dropping a runtime there panics.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

fn today(clock: &dyn PlatformClock) -> Result<Date> {
    let text = clock.today();
    Date::from_str(text.trim()).map_err(|_| ElternKitError::InvalidArgument {
        argument: "PlatformClock.today".into(),
        reason: "expected a date YYYY-MM-DD".into(),
    })
}

fn draft_id(id: &str) -> Result<DraftId> {
    DraftId::from_str(id).map_err(|_| ElternKitError::InvalidArgument {
        argument: "draft_id".into(),
        reason: "not a draft id; ids look like 0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00".into(),
    })
}

fn case_json_value(json: &str) -> Result<serde_json::Value> {
    serde_json::from_str(json).map_err(|e| ElternKitError::InvalidArgument {
        argument: "case_json".into(),
        // Line and column only: serde's message may quote the text.
        reason: format!("not JSON (line {}, column {})", e.line(), e.column()),
    })
}

impl App {
    fn parse(&self, case_json: &str) -> Result<Case> {
        parse_case(case_json).map_err(|problems| ElternKitError::InvalidCase {
            problems: problems
                .iter()
                .map(|p| CaseProblem::from_core(p, self.locale))
                .collect(),
        })
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while the lock was held left no half-done write: every write of the
        // store is one SQLite transaction, rolled back when it is dropped.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.runtime.get() {
            return Ok(rt);
        }
        // Two workers drive the requests' I/O; the blocking pool does the SQLite work and
        // waits for the replies.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("elternkit")
            .enable_all()
            .build()
            .map_err(|e| internal(format!("cannot start the runtime: {}", e.kind())))?;
        Ok(self.runtime.get_or_init(|| rt))
    }

    /// Runs blocking `work` on the runtime's blocking pool, guarded, and awaits it.
    async fn blocking<T: Send + 'static>(
        self: Arc<Self>,
        what: &'static str,
        work: impl FnOnce(&Self) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let rt = self.runtime()?.handle().clone();
        let app = Arc::clone(&self);
        rt.spawn_blocking(move || guard(|| work(&app)))
            .await
            .map_err(|_| internal(format!("{what} stopped unexpectedly")))?
    }

    fn sender_store(&self) -> Result<MutexGuard<'_, Option<Store>>> {
        // Every store write is one transaction: a panic left nothing half-done.
        let mut slot = self
            .sender_store
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            let path = self.store().path().to_owned();
            *slot = Some(Store::open(&path, &self.secrets)?);
        }
        Ok(slot)
    }

    #[cfg(test)]
    pub(crate) fn set_now_for_tests(
        self: &mut Arc<Self>,
        now: impl Fn() -> Timestamp + Send + Sync + 'static,
    ) -> bool {
        Arc::get_mut(self)
            .map(|app| app.now = Box::new(now))
            .is_some()
    }
}

#[uniffi::export]
impl App {
    /// Opens (or creates) the encrypted database with the device key from `secrets`, and
    /// verifies the office directory on the clock's today.
    #[uniffi::constructor]
    pub fn new(
        config: AppConfig,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn PlatformClock>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let today = today(clock.as_ref())?;
            let directory = match &config.directory {
                DirectoryConfig::Development => Directory::development(today)?,
                DirectoryConfig::Signed {
                    document_json,
                    signature,
                } => Directory::verify(
                    document_json.as_bytes(),
                    signature,
                    today,
                    &TrustAnchors::production(),
                )?,
                DirectoryConfig::DevelopmentSigned {
                    document_json,
                    signature,
                } => Directory::verify(
                    document_json.as_bytes(),
                    signature,
                    today,
                    &TrustAnchors::development(),
                )?,
            };
            let secrets = Secrets(secrets);
            let store = Store::open(&PathBuf::from(&config.database_path), &secrets)?;
            Ok(Arc::new(Self {
                store: Mutex::new(store),
                secrets,
                directory,
                locale: config.language.into(),
                clock,
                runtime: OnceLock::new(),
                sender_store: Mutex::new(None),
                now: Box::new(Timestamp::now),
            }))
        })
    }

    pub fn language(&self) -> Language {
        match self.locale {
            Lang::De => Language::De,
            Lang::En => Language::En,
        }
    }

    /// The figures of a case (`elternkit.case/1` JSON), without the explanation steps. An
    /// unreadable or invalid case is `InvalidCase`; a benefit the rules cannot compute is
    /// listed in `problems` beside the other.
    pub fn calculate(&self, case_json: String) -> Result<CalculationResult> {
        guard(|| {
            let case = self.parse(&case_json)?;
            let result = elternkit_rules::calculate_with(
                &case,
                CalcOptions {
                    explanations: false,
                },
            );
            Ok(CalculationResult::from_core(&result, self.locale))
        })
    }

    /// The step-by-step explanation of a case's calculation, each step with its citation.
    pub fn explain(&self, case_json: String) -> Result<Explanation> {
        guard(|| {
            let case = self.parse(&case_json)?;
            let result = elternkit_rules::calculate(&case);
            Ok(Explanation::from_core(&result, self.locale))
        })
    }

    /// The figures of many cases (variants to compare), in order. A case that cannot be read
    /// gives a result with `problems` and the others go on. `progress` is told after each
    /// case; `cancel` is checked before each.
    pub fn calculate_many(
        &self,
        cases_json: Vec<String>,
        cancel: Arc<CancelToken>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<Vec<CalculationResult>> {
        guard(|| {
            let total = cases_json.len() as u64;
            let options = CalcOptions {
                explanations: false,
            };
            let mut out = Vec::with_capacity(cases_json.len());
            for (done, json) in cases_json.iter().enumerate() {
                if cancel.is_cancelled() {
                    return Err(ElternKitError::Cancelled);
                }
                let result = elternkit_rules::calculate_json_with(json, options);
                out.push(CalculationResult::from_core(&result, self.locale));
                if let Some(p) = &progress {
                    p.on_progress(done as u64 + 1, total);
                }
            }
            Ok(out)
        })
    }

    /// The month planner over a case (`elternkit.case/1` JSON; the plan it carries is the
    /// start) under a plan request (`elternkit.plan-request/1`, docs/PLAN_REQUEST.md; none:
    /// the best total without constraints). Texts in the `App`'s locale.
    pub fn planner(&self, case_json: String, request_json: Option<String>) -> Result<Arc<Planner>> {
        guard(|| {
            let case = self.parse(&case_json)?;
            Ok(Arc::new(Planner::create(
                case,
                request_json.as_deref(),
                self.locale,
            )?))
        })
    }

    /// The three applications of a case, evaluated on the clock's today and routed with the
    /// verified directory: fields, findings, documents, consents, deadlines, offices.
    pub fn bundle(&self, case_json: String) -> Result<ApplicationBundle> {
        guard(|| {
            let case = self.parse(&case_json)?;
            let ctx = DeriveContext {
                evaluation_date: Some(today(self.clock.as_ref())?),
                land: None,
            };
            let bundle = elternkit_bundle::derive(&case, &ctx, &DirectoryRouter(&self.directory));
            Ok(ApplicationBundle::from_core(&bundle, self.locale))
        })
    }

    /// This device's public recipient (`age1…`): the other parent exports drafts to it.
    pub fn device_recipient(&self) -> String {
        self.store().device_recipient()
    }

    /// Saves a new draft (version 1).
    pub fn create_draft(&self, draft: DraftInput) -> Result<DraftMeta> {
        guard(|| {
            let content = DraftContent {
                status: draft.status.into(),
                summary: draft.summary.into(),
                case: case_json_value(&draft.case_json)?,
            };
            Ok((&self.store().create_draft(&content)?).into())
        })
    }

    pub fn load_draft(&self, draft_id: String) -> Result<Draft> {
        guard(|| {
            let d = self.store().load_draft(&self::draft_id(&draft_id)?)?;
            Ok(Draft {
                meta: (&d.meta).into(),
                summary: d.content.summary.into(),
                case_json: d.content.case.to_string(),
            })
        })
    }

    /// Saves on top of `expected_version`; a draft saved elsewhere since is `Conflict`.
    pub fn save_draft(
        &self,
        draft_id: String,
        expected_version: u64,
        draft: DraftInput,
    ) -> Result<DraftMeta> {
        guard(|| {
            let id = self::draft_id(&draft_id)?;
            let content = DraftContent {
                status: draft.status.into(),
                summary: draft.summary.into(),
                case: case_json_value(&draft.case_json)?,
            };
            Ok((&self.store().save_draft(&id, expected_version, &content)?).into())
        })
    }

    pub fn list_drafts(&self) -> Result<Vec<DraftListEntry>> {
        guard(|| {
            Ok(self
                .store()
                .list_drafts()?
                .into_iter()
                .map(|l| match l.entry {
                    Ok((meta, summary)) => DraftListEntry {
                        id: l.id,
                        meta: Some((&meta).into()),
                        summary: Some(summary.into()),
                        unreadable: None,
                    },
                    Err(e) => DraftListEntry {
                        id: l.id,
                        meta: None,
                        summary: None,
                        unreadable: Some(ElternKitError::from(e).to_string()),
                    },
                })
                .collect())
        })
    }

    pub fn delete_draft(&self, draft_id: String) -> Result<()> {
        guard(|| Ok(self.store().delete_draft(&self::draft_id(&draft_id)?)?))
    }

    /// Stores a document's file encrypted with the draft (streamed into the store, then
    /// the bytes handed over are wiped). Put the returned `id` into the case's
    /// `application.documents` entry for it: `submit` sends the file with every
    /// application that lists that document as uploaded.
    pub fn add_document(
        &self,
        draft_id: String,
        file_name: String,
        media_type: String,
        bytes: Vec<u8>,
    ) -> Result<StoredDocument> {
        guard(|| {
            let bytes = Zeroizing::new(bytes);
            let info = self.store().add_document(
                &self::draft_id(&draft_id)?,
                &file_name,
                &media_type,
                bytes.as_slice(),
            )?;
            Ok(StoredDocument::from_core(&info))
        })
    }

    /// The documents stored with the draft.
    pub fn list_documents(&self, draft_id: String) -> Result<Vec<StoredDocument>> {
        guard(|| {
            Ok(self
                .store()
                .documents(&self::draft_id(&draft_id)?)?
                .iter()
                .map(StoredDocument::from_core)
                .collect())
        })
    }

    pub fn delete_document(&self, document_id: String) -> Result<()> {
        guard(|| {
            let id = DocumentId::from_str(&document_id).map_err(|_| {
                ElternKitError::InvalidArgument {
                    argument: "document_id".into(),
                    reason: "not a document id (from add_document)".into(),
                }
            })?;
            Ok(self.store().delete_document(&id)?)
        })
    }

    /// The draft (or its part at the JSON pointer `part`, e.g. `/parents/1`) encrypted to
    /// the other parent's device recipients, as armored text to send or show as a QR code.
    pub fn export_draft(
        &self,
        draft_id: String,
        recipients: Vec<String>,
        part: Option<String>,
    ) -> Result<String> {
        guard(|| {
            let to: Vec<&str> = recipients.iter().map(String::as_str).collect();
            Ok(self
                .store()
                .export_draft(&self::draft_id(&draft_id)?, &to, part.as_deref())?)
        })
    }

    /// Decrypts a handoff for this device and stores it as a new draft. With
    /// `expected_sender`, a handoff from any other device is refused before anything is
    /// stored.
    pub fn import_draft(
        &self,
        armored: String,
        expected_sender: Option<String>,
    ) -> Result<ImportedDraft> {
        guard(|| {
            let imported = self
                .store()
                .import_draft(armored.as_bytes(), expected_sender.as_deref())?;
            Ok(ImportedDraft {
                meta: (&imported.meta).into(),
                sender: imported.sender,
                already_imported: imported.already_imported,
            })
        })
    }

    /// Deletes every draft, document and key of this device (crypto-shredding first). The
    /// `App` cannot be used afterwards; create a new one.
    pub fn wipe_all(&self) -> Result<()> {
        guard(|| {
            let path = self.store().path().to_owned();
            // Reopen a second handle to consume; this handle's calls fail afterwards.
            let store = Store::open(&path, &self.secrets)?;
            Ok(store.wipe_all(&self.secrets)?)
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl App {
    /// SQLite's full integrity check of the database, on the `App`'s runtime (it reads
    /// every page, so it is kept off the caller's thread).
    pub async fn check_integrity(self: Arc<Self>) -> Result<()> {
        self.blocking("the integrity check", |app| {
            Ok(app.store().integrity_check()?)
        })
        .await
    }

    /// Seals every application of the draft for its office (age to the office, manifest
    /// signed with the device key) and stores them in the outbox before any request; returns
    /// the submission ids. Nothing is sent yet: call `process_outbox` (now, and from the
    /// platform's background scheduler). A draft whose applications are not all ready is
    /// `NotReady`; a draft already submitted is `AlreadySubmitted`.
    pub async fn submit(self: Arc<Self>, draft_id: String) -> Result<Vec<QueuedSubmission>> {
        self.blocking("the submission", move |app| {
            let id = self::draft_id(&draft_id)?;
            let today = today(app.clock.as_ref())?;
            submission::submit(
                &mut app.store(),
                &app.secrets,
                &app.directory,
                &id,
                today,
                (app.now)(),
            )
        })
        .await
    }

    /// Sends what is due in the outbox, one idempotent FSP/1 request at a time, and fetches
    /// and verifies the events of filed submissions; returns when everything waits (a
    /// backoff, the office, the user) or `cancel` is cancelled (checked between requests).
    /// Network failures are not errors: they are each submission's `Waiting` state. Safe to
    /// call from a background task at any time; a second call waits for the first.
    pub async fn process_outbox(self: Arc<Self>, cancel: Arc<CancelToken>) -> Result<OutboxRun> {
        self.run_outbox(cancel, false).await
    }

    /// `process_outbox`, but the events of every filed submission that has no final answer
    /// yet are fetched now instead of at their next poll (the background run asks every
    /// 15 minutes): for pull to refresh on the status screen, when the user wants to see
    /// whether the office has answered. Retries waiting for a backoff still wait.
    pub async fn refresh_statuses(self: Arc<Self>, cancel: Arc<CancelToken>) -> Result<OutboxRun> {
        self.run_outbox(cancel, true).await
    }

    /// Every submission in the outbox with its status and verified events, from the store
    /// alone (no request).
    pub async fn submission_statuses(self: Arc<Self>) -> Result<Vec<SubmissionStatus>> {
        self.blocking("reading the outbox", |app| {
            submission::statuses(&app.store(), &app.directory, (app.now)())
        })
        .await
    }
}

impl App {
    /// The sender's run behind `process_outbox` and `refresh_statuses`.
    async fn run_outbox(
        self: Arc<Self>,
        cancel: Arc<CancelToken>,
        events_now: bool,
    ) -> Result<OutboxRun> {
        self.blocking("the outbox", move |app| {
            // The platform verifier panics on its first certificate without the context.
            #[cfg(target_os = "android")]
            if !crate::android::verifier_ready() {
                return Err(internal(
                    "PlatformVerifier.init(context) must run before process_outbox",
                ));
            }
            let mut slot = app.sender_store()?;
            let store = slot
                .as_mut()
                .ok_or_else(|| internal("the sender's store is not open"))?;
            submission::process_outbox(
                store,
                &app.secrets,
                &app.directory,
                &cancel.sender_token(),
                &*app.now,
                app.runtime()?.handle().clone(),
                events_now,
            )
        })
        .await
    }
}
