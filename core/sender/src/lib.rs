//! Submitting on the device: [`enqueue`] stores a sealed submission in the encrypted outbox
//! before its first request; [`process_outbox`] — what the platforms' background schedulers
//! call (BGTaskScheduler, WorkManager) — sends what is due, one idempotent FSP/1 request
//! per turn, records every reply in one store commit, then fetches and verifies the events
//! until a final one (`docs/PROTOCOL.md` § 7, § 10).
//!
//! - **Resumable:** the outbox row (sealed bytes, client-made submission id, step, last
//!   error, the state machine's value and the verified events) is written before the first
//!   request and after every reply; a crash at any point resumes from the last commit and
//!   sends the same bytes again, which the relay answers the same.
//! - **Cancellable:** a [`CancelToken`] is checked between requests (a platform's expiry
//!   handler sets it); a request in flight finishes and is recorded.
//! - **Inputs:** the clock, the randomness (retry jitter) and the connection to a relay are
//!   arguments, so tests run in bounded, reproducible time.
//! - **Trust:** events are verified against the signed directory (relay receipt keys,
//!   the destination's event keys) and the hash chain before they are stored; the filing
//!   date shown is the relay's `receivedAt` in the verified `submitted` receipt.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use elternkit_directory::Directory;
use elternkit_store::{
    DraftId, NewSubmission, OutboxItem, OutboxProgress, OutboxState, Store, StoreError,
};
use elternkit_submit::Sealed;
use elternkit_submit::events::{self, EventKeys, EventKind, Verified};
use elternkit_submit::outbox::{self, Failure, Next, Outbox, Step, Transport};
/// The device key that signs the manifests and every request (re-exported so callers need
/// not depend on the transport crate).
pub use elternkit_transport::DeviceSigner;
use elternkit_transport::HttpTransport;
/// The tokio runtime handle of [`http_connect_on`].
pub use elternkit_transport::RuntimeHandle;
use jiff::Timestamp;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long a filed submission waits before its events are asked for again.
pub const EVENT_POLL_MINUTES: i64 = 15;
/// At most this many requests per submission per call, so one call is bounded even against
/// a relay that keeps answering with something to do.
pub const MAX_TURNS: usize = 64;

/// What went wrong that is not a reply of the relay (those are in the outbox's state).
#[derive(Debug, thiserror::Error)]
pub enum SenderError {
    #[error("the store: {0}")]
    Store(#[from] StoreError),
    #[error("outbox entry {id}: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("outbox entry {id}: destination {destination} is not in the directory")]
    UnknownDestination { id: String, destination: String },
}

/// Set by a platform's expiry handler; checked between requests.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// An FSP/1 connection to one relay: the outbox's requests and the events.
pub trait Relay: Transport {
    /// The submission's events after `after` (`-1`: all).
    fn events(&mut self, submission_id: Uuid, after: i64) -> Result<Vec<String>, Failure>;
}

impl Relay for HttpTransport {
    fn events(&mut self, submission_id: Uuid, after: i64) -> Result<Vec<String>, Failure> {
        HttpTransport::events(self, submission_id, after)
    }
}

/// Opens a connection to a destination's `endpoint`.
pub type Connect<'a> = dyn FnMut(&str) -> Result<Box<dyn Relay>, String> + 'a;

/// The reqwest connection (https, or loopback http as a development directory may name),
/// signing every request with `device`, the key that signed the manifests it sends (the
/// relay binds each submission to it, PROTOCOL § 5.1).
pub fn http_relay(endpoint: &str, device: &DeviceSigner) -> Result<Box<dyn Relay>, String> {
    HttpTransport::new(endpoint, Arc::clone(device))
        .map(|t| Box::new(t) as Box<dyn Relay>)
        .map_err(|e| e.to_string())
}

/// A [`Connect`] of [`http_relay`] connections signing with `device`.
pub fn http_connect(device: DeviceSigner) -> impl FnMut(&str) -> Result<Box<dyn Relay>, String> {
    move |endpoint| http_relay(endpoint, &device)
}

/// A [`Connect`] whose connections run their requests on `runtime` (a multi-thread tokio
/// runtime, the FFI's `App` runtime) instead of one of their own; [`process_outbox`] must
/// then run on a thread outside its workers (`spawn_blocking`).
pub fn http_connect_on(
    runtime: RuntimeHandle,
    device: DeviceSigner,
) -> impl FnMut(&str) -> Result<Box<dyn Relay>, String> {
    move |endpoint| {
        HttpTransport::on(runtime.clone(), endpoint, Arc::clone(&device))
            .map(|t| Box::new(t) as Box<dyn Relay>)
            .map_err(|e| e.to_string())
    }
}

/// What [`process_outbox`] needs besides the store and the directory.
pub struct Env<'a> {
    pub now: &'a dyn Fn() -> Timestamp,
    pub rng: &'a mut dyn RngCore,
    pub cancel: &'a CancelToken,
    pub connect: &'a mut Connect<'a>,
}

impl std::fmt::Debug for Env<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("cancelled", &self.cancel.is_cancelled())
            .finish_non_exhaustive()
    }
}

/// The encrypted progress of one outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub outbox: Outbox,
    /// The verified event chain (compact JWS), seq 0 first.
    pub events: Vec<String>,
}

/// Where an application stands for the family, from the outbox and the verified events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FilingStatus {
    /// Being sent (the step it is at).
    Sending { step: String },
    /// Waiting for the family: the failure to show.
    NeedsUser { failure: String },
    /// Received by the relay: `received_at` is the filing date shown.
    Filed { received_at: String },
    /// The office downloaded it.
    Retrieved { received_at: String },
    /// Formally accepted; the office's case number where it gave one.
    Accepted {
        received_at: String,
        aktenzeichen: Option<String>,
    },
    Rejected {
        received_at: String,
        problems: Vec<String>,
    },
    /// A `status` event after the acceptance.
    InProgress {
        received_at: String,
        aktenzeichen: Option<String>,
        state: String,
    },
    /// The relay expired or deleted it before it was submitted.
    Expired,
}

impl FilingStatus {
    /// Follows the verified chain (and the outbox while nothing is filed).
    pub fn of(outbox: &Outbox, chain: &[Verified]) -> Self {
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let received_at = chain
            .iter()
            .find(|e| e.kind == EventKind::Submitted)
            .and_then(|e| text(&e.content()["receivedAt"]));
        let Some(received_at) = received_at else {
            if chain.iter().any(|e| e.kind.is_final()) {
                return FilingStatus::Expired;
            }
            return match &outbox.step {
                Step::NeedsUser { failure, .. } => FilingStatus::NeedsUser {
                    failure: failure.to_string(),
                },
                step => FilingStatus::Sending {
                    step: step_name(step).to_owned(),
                },
            };
        };
        let mut status = FilingStatus::Filed {
            received_at: received_at.clone(),
        };
        let mut aktenzeichen = None;
        for e in chain {
            status = match e.kind {
                EventKind::Retrieved => FilingStatus::Retrieved {
                    received_at: received_at.clone(),
                },
                EventKind::Accepted => {
                    aktenzeichen = text(&e.content()["aktenzeichen"]);
                    FilingStatus::Accepted {
                        received_at: received_at.clone(),
                        aktenzeichen: aktenzeichen.clone(),
                    }
                }
                EventKind::Rejected => FilingStatus::Rejected {
                    received_at: received_at.clone(),
                    problems: e.content()["problems"]
                        .as_array()
                        .map(|p| p.iter().filter_map(|x| text(&x["type"])).collect())
                        .unwrap_or_default(),
                },
                EventKind::Status => FilingStatus::InProgress {
                    received_at: received_at.clone(),
                    aktenzeichen: aktenzeichen.clone(),
                    state: text(&e.content()["state"]).unwrap_or_default(),
                },
                _ => continue,
            };
        }
        status
    }
}

/// The step's name as the store's clear `step` column holds it.
pub fn step_name(step: &Step) -> &'static str {
    match step {
        Step::Announce => "announce",
        Step::Upload { .. } => "upload",
        Step::Submit => "submit",
        Step::Submitted { .. } => "submitted",
        Step::NeedsUser { .. } => "needs_user",
    }
}

/// The failure's class, status and problem name: never user data, so it may be clear.
pub fn error_code(failure: &Failure) -> String {
    match failure {
        Failure::Network { .. } => "network".into(),
        Failure::Http {
            status, problem, ..
        } => {
            let name = problem
                .as_deref()
                .and_then(|p| p.strip_prefix("urn:fsp:problem:"))
                .unwrap_or("");
            format!("http:{status}:{name}")
        }
        Failure::Protocol { .. } => "protocol".into(),
    }
}

/// Stores `sealed` in the outbox of `draft` under its submission id, before the first
/// request; returns that id.
pub fn enqueue(store: &mut Store, draft: &DraftId, sealed: &Sealed) -> Result<Uuid, SenderError> {
    let sid = sealed.manifest.submission_id;
    let progress = Progress {
        outbox: Outbox::new(sealed),
        events: Vec::new(),
    };
    let request = json(sealed, sid)?;
    let progress = json(&progress, sid)?;
    store.enqueue_submission(
        draft,
        NewSubmission {
            submission_id: &sid.to_string(),
            destination_id: &sealed.manifest.destination_id,
            request: &request,
            progress: &progress,
            step: "announce",
        },
    )?;
    Ok(sid)
}

fn json<T: Serialize>(value: &T, sid: Uuid) -> Result<Vec<u8>, SenderError> {
    serde_json::to_vec(value).map_err(|e| SenderError::Corrupt {
        id: sid.to_string(),
        reason: e.to_string(),
    })
}

/// One submission as [`process_outbox`] left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub submission_id: Uuid,
    pub draft_id: String,
    pub destination_id: String,
    pub status: FilingStatus,
    /// While it is being sent: the time its next request waits for (a backoff, the relay's
    /// `Retry-After`); `None` when it is due or no longer being sent.
    pub wait_until: Option<Timestamp>,
    /// The verified chain.
    pub events: Vec<String>,
}

fn wait_until(outbox: &Outbox, now: Timestamp) -> Option<Timestamp> {
    match outbox.next(now) {
        Next::WaitUntil(at) => Some(at),
        _ => None,
    }
}

/// What one call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Requests sent (including event fetches).
    pub requests: usize,
    /// Stopped early because the token was cancelled.
    pub cancelled: bool,
    /// Every submission looked at, with its status after the call.
    pub submissions: Vec<Filed>,
}

/// Sends what is due and fetches events of filed submissions without a final event.
/// Returns when everything is waiting (a backoff, the relay, the user) or cancelled.
pub fn process_outbox(
    store: &mut Store,
    directory: &Directory,
    env: &mut Env<'_>,
) -> Result<Report, SenderError> {
    run(store, directory, env, false)
}

/// [`process_outbox`], except that the events of every filed submission without a final
/// event are fetched now rather than when their poll is due ([`EVENT_POLL_MINUTES`]): the
/// user asked (pull to refresh). Requests still waiting for a backoff keep waiting.
pub fn refresh(
    store: &mut Store,
    directory: &Directory,
    env: &mut Env<'_>,
) -> Result<Report, SenderError> {
    run(store, directory, env, true)
}

/// The store's outbox times are whole minutes since the epoch.
fn minute(t: Timestamp) -> i64 {
    t.as_second().div_euclid(60)
}

fn run(
    store: &mut Store,
    directory: &Directory,
    env: &mut Env<'_>,
    events_now: bool,
) -> Result<Report, SenderError> {
    let mut report = Report::default();
    for item in store.outbox_items()? {
        if env.cancel.is_cancelled() {
            report.cancelled = true;
            return Ok(report);
        }
        // Entries from before FSP/1 (schema v2) have no destination: nothing to send. A
        // failed one is reported (its failure is for the family) but not driven.
        if item.destination_id.is_empty() {
            continue;
        }
        let id = item.id.clone();
        let corrupt = |reason: String| SenderError::Corrupt {
            id: id.clone(),
            reason,
        };
        let Loaded {
            sealed,
            mut progress,
            destination,
            keys,
            manifest_sha256,
            mut chain,
        } = load(store, directory, &item)?;
        let sid = sealed.manifest.submission_id;
        let final_known = chain.iter().any(|e| e.kind.is_final());
        let now = (env.now)();
        // Only a filed submission's event poll is brought forward, never a backoff.
        let due = item.next_attempt_minute <= minute(now)
            || (events_now && matches!(progress.outbox.next(now), Next::Submitted { .. }));
        if !final_known && due && item.state == OutboxState::Pending {
            let draft: DraftId = item
                .draft_id
                .parse()
                .map_err(|_| corrupt("its draft id is not a draft id".into()))?;
            // A relay that cannot even be connected to is tried again on the next call.
            if let Ok(mut relay) = (env.connect)(&destination.endpoint) {
                let mut turn = Turn {
                    relay: relay.as_mut(),
                    sealed: &sealed,
                    draft: &draft,
                    keys: &keys,
                    manifest_sha256: &manifest_sha256,
                };
                if turn.drive(store, &mut progress, &mut chain, env, &mut report)? {
                    report.cancelled = true;
                }
            }
        }
        report.submissions.push(Filed {
            submission_id: sid,
            draft_id: item.draft_id.clone(),
            destination_id: item.destination_id.clone(),
            status: FilingStatus::of(&progress.outbox, &chain),
            wait_until: wait_until(&progress.outbox, (env.now)()),
            events: progress.events.clone(),
        });
        if report.cancelled {
            return Ok(report);
        }
    }
    Ok(report)
}

/// One outbox row read back and checked: its sealed bytes, state and verified events.
struct Loaded<'d> {
    sealed: Sealed,
    progress: Progress,
    destination: &'d elternkit_directory::Destination,
    keys: EventKeys,
    manifest_sha256: String,
    chain: Vec<Verified>,
}

fn load<'d>(
    store: &Store,
    directory: &'d Directory,
    item: &OutboxItem,
) -> Result<Loaded<'d>, SenderError> {
    let id = item.id.clone();
    let corrupt = |reason: String| SenderError::Corrupt {
        id: id.clone(),
        reason,
    };
    let sealed: Sealed = serde_json::from_slice(&store.outbox_request(&id)?)
        .map_err(|e| corrupt(format!("the sealed submission: {e}")))?;
    let progress: Progress = serde_json::from_slice(&store.outbox_progress(&id)?)
        .map_err(|e| corrupt(format!("the outbox state: {e}")))?;
    let sid = sealed.manifest.submission_id;
    if sid.to_string() != id || progress.outbox.submission_id != sid {
        return Err(corrupt(
            "the row, the sealed bytes and the state name other ids".into(),
        ));
    }
    let destination = directory.destination(&item.destination_id).ok_or_else(|| {
        SenderError::UnknownDestination {
            id: id.clone(),
            destination: item.destination_id.clone(),
        }
    })?;
    let keys = EventKeys::for_destination(destination);
    let manifest_sha256 = events::sha256_hex(&sealed.manifest_bytes);
    let chain = events::verify_chain(sid, &manifest_sha256, &progress.events, &keys)
        .map_err(|e| corrupt(format!("the stored events: {e}")))?;
    Ok(Loaded {
        sealed,
        progress,
        destination,
        keys,
        manifest_sha256,
        chain,
    })
}

/// Every FSP/1 submission in the outbox with its status, read from the store alone (no
/// request) as at `now`; the stored events are verified again, as [`process_outbox`] does.
pub fn statuses(
    store: &Store,
    directory: &Directory,
    now: Timestamp,
) -> Result<Vec<Filed>, SenderError> {
    let mut out = Vec::new();
    for item in store.outbox_items()? {
        if item.destination_id.is_empty() {
            continue;
        }
        let loaded = load(store, directory, &item)?;
        out.push(Filed {
            submission_id: loaded.sealed.manifest.submission_id,
            draft_id: item.draft_id.clone(),
            destination_id: item.destination_id.clone(),
            status: FilingStatus::of(&loaded.progress.outbox, &loaded.chain),
            wait_until: wait_until(&loaded.progress.outbox, now),
            events: loaded.progress.events,
        });
    }
    Ok(out)
}

/// What stays the same while one submission is driven.
struct Turn<'t> {
    relay: &'t mut dyn Relay,
    sealed: &'t Sealed,
    draft: &'t DraftId,
    keys: &'t EventKeys,
    manifest_sha256: &'t str,
}

/// The outbox's [`Transport`] through a `dyn Relay`.
struct Through<'r>(&'r mut dyn Relay);

impl Transport for Through<'_> {
    fn announce(&mut self, submission_id: Uuid, manifest: &[u8]) -> Result<(), Failure> {
        self.0.announce(submission_id, manifest)
    }
    fn upload(
        &mut self,
        submission_id: Uuid,
        part: &outbox::PartRef,
        ciphertext: &[u8],
    ) -> Result<(), Failure> {
        self.0.upload(submission_id, part, ciphertext)
    }
    fn submit(&mut self, submission_id: Uuid, manifest_signature: &str) -> Result<String, Failure> {
        self.0.submit(submission_id, manifest_signature)
    }
}

impl Turn<'_> {
    /// Drives one submission until it waits; `true` if cancelled.
    fn drive(
        &mut self,
        store: &mut Store,
        progress: &mut Progress,
        chain: &mut Vec<Verified>,
        env: &mut Env<'_>,
        report: &mut Report,
    ) -> Result<bool, SenderError> {
        let (sealed, keys, manifest_sha256) = (self.sealed, self.keys, self.manifest_sha256);
        let sid = sealed.manifest.submission_id;
        let id = sid.to_string();
        for _ in 0..MAX_TURNS {
            if env.cancel.is_cancelled() {
                return Ok(true);
            }
            let now = (env.now)();
            match progress.outbox.next(now) {
                Next::Send(_) => {
                    report.requests += 1;
                    // The row as stored is what a crash here resumes from; the request may
                    // reach the relay without its reply being recorded, which is harmless.
                    let mut rng = &mut *env.rng;
                    let mut transport = Through(&mut *self.relay);
                    outbox::step(&mut progress.outbox, sealed, &mut transport, now, &mut rng);
                    record(store, &id, progress, OutboxState::Pending, minute(now))?;
                }
                Next::WaitUntil(at) => {
                    record(store, &id, progress, OutboxState::Pending, minute(at))?;
                    return Ok(false);
                }
                Next::NeedsUser(_) => {
                    record(store, &id, progress, OutboxState::Failed, minute(now))?;
                    return Ok(false);
                }
                Next::Submitted { .. } => {
                    report.requests += 1;
                    let after = i64::try_from(progress.events.len()).unwrap_or(i64::MAX) - 1;
                    let next_poll = minute(now) + EVENT_POLL_MINUTES;
                    let Ok(fresh) = self.relay.events(sid, after) else {
                        // The relay is away: ask again later, the receipt is kept.
                        record(store, &id, progress, OutboxState::Pending, next_poll)?;
                        return Ok(false);
                    };
                    let mut all = progress.events.clone();
                    all.extend(fresh);
                    match events::verify_chain(sid, manifest_sha256, &all, keys) {
                        Ok(verified) => {
                            let before = progress.events.len();
                            for e in verified.iter().skip(before) {
                                if matches!(e.kind, EventKind::Submitted) || e.kind.is_final() {
                                    let body = serde_json::json!({
                                        "submissionId": sid, "seq": e.claims.seq, "event": e.jws
                                    });
                                    store.add_receipt(self.draft, body.to_string().as_bytes())?;
                                }
                            }
                            progress.events = all;
                            *chain = verified;
                        }
                        // A chain that does not verify is not stored: the last good one stays,
                        // and the relay is asked again later (a forged event is never shown).
                        Err(e) => {
                            progress.outbox.last_error = Some(Failure::Protocol {
                                message: format!("events: {e}"),
                            });
                        }
                    }
                    let done = chain.iter().any(|e| e.kind.is_final());
                    let state = if done {
                        OutboxState::Sent
                    } else {
                        OutboxState::Pending
                    };
                    record(store, &id, progress, state, next_poll)?;
                    return Ok(false);
                }
            }
        }
        Ok(false)
    }
}

fn record(
    store: &mut Store,
    id: &str,
    progress: &Progress,
    state: OutboxState,
    next_attempt_minute: i64,
) -> Result<(), SenderError> {
    let bytes = serde_json::to_vec(progress).map_err(|e| SenderError::Corrupt {
        id: id.to_owned(),
        reason: e.to_string(),
    })?;
    let last_error = progress
        .outbox
        .last_error
        .as_ref()
        .map(error_code)
        .unwrap_or_default();
    store.record_outbox(
        id,
        OutboxProgress {
            state,
            step: step_name(&progress.outbox.step),
            attempts: progress.outbox.attempt,
            next_attempt_minute,
            last_error: &last_error,
            progress: &bytes,
        },
    )?;
    Ok(())
}
