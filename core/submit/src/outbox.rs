//! The outbox of one submission (`docs/PROTOCOL.md` § 10, SUBMISSION.md § 6.7): announce →
//! upload every part → submit, without I/O.
//!
//! [`Outbox`] is a plain serialisable value: the caller stores it **before** each request
//! and after each reply (the store's outbox table, later), so a crash at any point resumes
//! from the last stored value. Every step is idempotent on the relay (the submission id is
//! ours, uploads are content-addressed, a repeated submit returns the same receipt), so
//! re-sending after a crash or a lost reply is always safe; a new submission id is never
//! made here.
//!
//! The clock (`now`) and the randomness (the jitter) are inputs. [`Outbox::next`] says what
//! to do; [`Outbox::record`] takes the reply; [`step`] does both with a [`Transport`].

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::envelope::Sealed;

/// First retry delay bound (full jitter draws from `0..=bound`).
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// Largest retry delay bound: 10 minutes (SUBMISSION.md § 6.7).
pub const BACKOFF_CAP_MS: u64 = 600_000;
/// The problem type of a request whose signature nonce the relay saw before (PROTOCOL § 5.1).
pub const REPLAYED: &str = "urn:fsp:problem:replayed";
/// A `Retry-After` longer than this is shortened to it: the header comes from the network,
/// and an hour is as long as an app should park a filing on a relay's word.
pub const RETRY_AFTER_CAP_MS: u64 = 3_600_000;

/// A part to upload: the payload or one attachment, with what the manifest says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartRef {
    /// `None` for the payload.
    pub attachment_id: Option<Uuid>,
    pub size: u64,
    pub sha256: String,
}

/// Where a submission stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "step")]
pub enum Step {
    Announce,
    /// Uploading `parts[index]` (all before it are stored on the relay).
    Upload {
        index: usize,
    },
    Submit,
    /// The relay's `submitted` receipt; nothing more is sent.
    Submitted {
        receipt: String,
    },
    /// A failure that retrying will not cure (SUBMISSION.md § 6.7); the user decides. The
    /// sealed submission and its id are kept.
    NeedsUser {
        stage: Stage,
        failure: Failure,
    },
}

/// The three request kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Announce,
    Upload,
    Submit,
}

/// What to send now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Announce,
    Upload { index: usize },
    Submit,
}

impl Action {
    fn stage(self) -> Stage {
        match self {
            Action::Announce => Stage::Announce,
            Action::Upload { .. } => Stage::Upload,
            Action::Submit => Stage::Submit,
        }
    }
}

/// What [`Outbox::next`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next<'a> {
    Send(Action),
    /// Nothing before this time (a backoff or `Retry-After`).
    WaitUntil(Timestamp),
    /// Received; `receipt` is the relay's `submitted` SET (compact JWS).
    Submitted {
        receipt: &'a str,
    },
    /// Show this to the user.
    NeedsUser(&'a Failure),
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Success {
    /// `201` or `200` (identical repeat) to the announce.
    Announced,
    /// `204` to an upload.
    Uploaded,
    /// `200` to the submit, with the `submitted` receipt.
    Submitted { receipt: String },
}

/// A failed request as the transport saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Failure {
    /// No HTTP response: DNS, TLS, connection, timeout.
    Network { message: String },
    /// An HTTP error response; `problem` is the problem+json `type` where there was one.
    Http {
        status: u16,
        problem: Option<String>,
        /// `Retry-After` (or `RateLimit-Reset`) in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// A 2xx whose body is not what FSP/1 promises (no receipt, wrong state).
    Protocol { message: String },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network { message } => write!(f, "network: {message}"),
            Failure::Http {
                status, problem, ..
            } => match problem {
                Some(p) => write!(f, "HTTP {status} ({p})"),
                None => write!(f, "HTTP {status}"),
            },
            Failure::Protocol { message } => write!(f, "protocol: {message}"),
        }
    }
}

/// How the outbox treats a failure (SUBMISSION.md § 6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Back off (full jitter), honouring `Retry-After`.
    Retry,
    /// 401/403: retry once at once after the transport refreshed its token/clock, then user.
    RefreshOnce,
    /// Show to the user (or log as a bug); never retried automatically.
    User,
}

impl Failure {
    pub fn disposition(&self) -> Disposition {
        match self {
            Failure::Network { .. } => Disposition::Retry,
            // The relay saw this request's nonce before: a copy of it (a network duplicate)
            // arrived first, so the request itself went through; a new signature settles it.
            Failure::Http {
                status: 401,
                problem: Some(p),
                ..
            } if p == REPLAYED => Disposition::Retry,
            Failure::Http { status, .. } => match status {
                408 | 429 | 500 | 502 | 503 | 504 => Disposition::Retry,
                401 | 403 => Disposition::RefreshOnce,
                _ => Disposition::User,
            },
            Failure::Protocol { .. } => Disposition::User,
        }
    }
}

/// Sends FSP/1 requests (the reqwest implementation lives above the pure crates). Each call
/// is one HTTP request; the ciphertext of an upload is given by the caller from the sealed
/// submission it keeps in its encrypted blob store.
pub trait Transport {
    /// `PUT {endpoint}/submissions/{sid}` with the manifest bytes.
    fn announce(&mut self, submission_id: Uuid, manifest: &[u8]) -> Result<(), Failure>;
    /// `PUT …/payload` or `PUT …/attachments/{aid}` with the age ciphertext.
    fn upload(
        &mut self,
        submission_id: Uuid,
        part: &PartRef,
        ciphertext: &[u8],
    ) -> Result<(), Failure>;
    /// `POST …/submit` with the manifest signature; returns the `submitted` receipt.
    fn submit(&mut self, submission_id: Uuid, manifest_signature: &str) -> Result<String, Failure>;
}

/// The outbox row of one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outbox {
    pub submission_id: Uuid,
    pub destination_id: String,
    /// The payload first, then the attachments in manifest order.
    pub parts: Vec<PartRef>,
    pub step: Step,
    /// Failures in a row of the current step.
    pub attempt: u32,
    pub next_attempt_at: Option<Timestamp>,
    /// A 401/403 was answered by one immediate retry in this step.
    pub auth_retried: bool,
    pub last_error: Option<Failure>,
}

impl Outbox {
    /// The outbox of a sealed submission, to be stored before the first request.
    pub fn new(sealed: &Sealed) -> Self {
        let manifest = &sealed.manifest;
        let mut parts = vec![PartRef {
            attachment_id: None,
            size: manifest.payload.size,
            sha256: manifest.payload.sha256.clone(),
        }];
        parts.extend(manifest.attachments.iter().map(|a| PartRef {
            attachment_id: Some(a.attachment_id),
            size: a.size,
            sha256: a.sha256.clone(),
        }));
        Self {
            submission_id: manifest.submission_id,
            destination_id: manifest.destination_id.clone(),
            parts,
            step: Step::Announce,
            attempt: 0,
            next_attempt_at: None,
            auth_retried: false,
            last_error: None,
        }
    }

    /// What to do at `now`.
    pub fn next(&self, now: Timestamp) -> Next<'_> {
        match &self.step {
            Step::Submitted { receipt } => Next::Submitted { receipt },
            Step::NeedsUser { failure, .. } => Next::NeedsUser(failure),
            _ => match self.next_attempt_at {
                Some(at) if at > now => Next::WaitUntil(at),
                _ => Next::Send(self.action()),
            },
        }
    }

    fn action(&self) -> Action {
        match self.step {
            Step::Upload { index } => Action::Upload { index },
            Step::Submit => Action::Submit,
            // `next` never asks for an action in a final step; announcing again is harmless.
            _ => Action::Announce,
        }
    }

    /// Takes the reply to `action` at `now`. A reply to an action that is not the current
    /// one (a late duplicate) or a success of the wrong kind changes nothing.
    pub fn record(
        &mut self,
        action: Action,
        reply: Result<Success, Failure>,
        now: Timestamp,
        rng: &mut impl Rng,
    ) {
        if matches!(self.next(now), Next::Submitted { .. } | Next::NeedsUser(_))
            || action != self.action()
        {
            return;
        }
        match reply {
            Ok(success) => {
                let advanced = match (action, success) {
                    (Action::Announce, Success::Announced) => Some(self.after_upload(None)),
                    (Action::Upload { index }, Success::Uploaded) => {
                        Some(self.after_upload(Some(index)))
                    }
                    (Action::Submit, Success::Submitted { receipt }) if !receipt.is_empty() => {
                        Some(Step::Submitted { receipt })
                    }
                    _ => None,
                };
                match advanced {
                    Some(step) => {
                        self.step = step;
                        self.attempt = 0;
                        self.next_attempt_at = None;
                        self.auth_retried = false;
                        self.last_error = None;
                    }
                    None => self.fail(
                        action,
                        Failure::Protocol {
                            message: "the reply does not fit the request".into(),
                        },
                        now,
                        rng,
                    ),
                }
            }
            Err(failure) => self.fail(action, failure, now, rng),
        }
    }

    /// The step after `done` was uploaded (`None`: after the announce).
    fn after_upload(&self, done: Option<usize>) -> Step {
        let next = done.map_or(0, |i| i + 1);
        if next < self.parts.len() {
            Step::Upload { index: next }
        } else {
            Step::Submit
        }
    }

    fn fail(&mut self, action: Action, failure: Failure, now: Timestamp, rng: &mut impl Rng) {
        let disposition = match failure.disposition() {
            Disposition::RefreshOnce if !self.auth_retried => {
                self.auth_retried = true;
                self.next_attempt_at = Some(now);
                self.last_error = Some(failure);
                return;
            }
            Disposition::RefreshOnce => Disposition::User,
            d => d,
        };
        match disposition {
            Disposition::Retry => {
                let delay = backoff_ms(self.attempt, &failure, rng);
                self.attempt = self.attempt.saturating_add(1);
                self.next_attempt_at = Some(add_ms(now, delay));
                self.last_error = Some(failure);
            }
            _ => {
                self.step = Step::NeedsUser {
                    stage: action.stage(),
                    failure: failure.clone(),
                };
                self.next_attempt_at = None;
                self.last_error = Some(failure);
            }
        }
    }

    /// The user asks to try again (after fixing what the failure said): back to the stage
    /// that failed, with the same submission id and the same bytes. Re-entering a stage is
    /// safe because every step is idempotent on the relay.
    pub fn retry_now(&mut self) {
        if let Step::NeedsUser { stage, .. } = &self.step {
            self.step = match stage {
                Stage::Announce => Step::Announce,
                // Uploads again from the first part: re-uploading stored parts is a no-op.
                Stage::Upload => Step::Upload { index: 0 },
                Stage::Submit => Step::Submit,
            };
            self.attempt = 0;
            self.next_attempt_at = None;
            self.auth_retried = false;
        }
    }
}

/// Full jitter: uniform in `0..=min(cap, base · 2^attempt)`, but never before `Retry-After`.
pub fn backoff_ms(attempt: u32, failure: &Failure, rng: &mut impl Rng) -> u64 {
    let bound = BACKOFF_BASE_MS
        .checked_shl(attempt.min(32))
        .unwrap_or(u64::MAX)
        .min(BACKOFF_CAP_MS);
    let jitter = rng.random_range(0..=bound);
    match failure {
        Failure::Http {
            retry_after_ms: Some(after),
            ..
        } => jitter.max((*after).min(RETRY_AFTER_CAP_MS)),
        _ => jitter,
    }
}

fn add_ms(now: Timestamp, ms: u64) -> Timestamp {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    now.checked_add(SignedDuration::from_millis(ms))
        .unwrap_or(Timestamp::MAX)
}

/// One turn: if a request is due at `now`, sends it through `transport` and records the
/// reply. Returns what is next. The caller stores `outbox` before calling (the request may
/// reach the relay even if the app dies before the reply) and after.
pub fn step<'o>(
    outbox: &'o mut Outbox,
    sealed: &Sealed,
    transport: &mut impl Transport,
    now: Timestamp,
    rng: &mut impl Rng,
) -> Next<'o> {
    if let Next::Send(action) = outbox.next(now) {
        let sid = outbox.submission_id;
        let reply = match action {
            Action::Announce => transport
                .announce(sid, &sealed.manifest_bytes)
                .map(|()| Success::Announced),
            Action::Upload { index } => match ciphertext(outbox, sealed, index) {
                Ok((part, bytes)) => transport
                    .upload(sid, &part, bytes)
                    .map(|()| Success::Uploaded),
                Err(failure) => Err(failure),
            },
            Action::Submit => transport
                .submit(sid, &sealed.signature_b64())
                .map(|receipt| Success::Submitted { receipt }),
        };
        outbox.record(action, reply, now, rng);
    }
    outbox.next(now)
}

/// The part at `index` and its ciphertext from `sealed`, which must be the sealed
/// submission of this outbox.
fn ciphertext<'s>(
    outbox: &Outbox,
    sealed: &'s Sealed,
    index: usize,
) -> Result<(PartRef, &'s [u8]), Failure> {
    let missing = || Failure::Protocol {
        message: format!("part {index} is not in the sealed submission"),
    };
    let part = outbox.parts.get(index).ok_or_else(missing)?;
    let bytes = match part.attachment_id {
        None => Some(sealed.payload.as_slice()),
        Some(id) => sealed.attachment(id),
    }
    .ok_or_else(missing)?;
    if sealed.manifest.submission_id != outbox.submission_id {
        return Err(Failure::Protocol {
            message: "the sealed submission belongs to another outbox".into(),
        });
    }
    Ok((part.clone(), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn http(status: u16, retry_after_ms: Option<u64>) -> Failure {
        Failure::Http {
            status,
            problem: None,
            retry_after_ms,
        }
    }

    #[test]
    fn the_retry_table_of_section_6_7() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert_eq!(http(status, None).disposition(), Disposition::Retry);
        }
        for status in [401, 403] {
            assert_eq!(http(status, None).disposition(), Disposition::RefreshOnce);
        }
        for status in [400, 404, 409, 410, 413, 422, 501, 302] {
            assert_eq!(http(status, None).disposition(), Disposition::User);
        }
    }

    #[test]
    fn backoff_grows_to_the_cap_and_honours_retry_after() {
        let mut rng = StdRng::seed_from_u64(7);
        for attempt in 0..80 {
            let bound = (BACKOFF_BASE_MS << attempt.min(20)).min(BACKOFF_CAP_MS);
            let d = backoff_ms(attempt, &http(503, None), &mut rng);
            assert!(d <= bound, "attempt {attempt}: {d} > {bound}");
        }
        let d = backoff_ms(0, &http(429, Some(30_000)), &mut rng);
        assert!(d >= 30_000, "{d}");
        let d = backoff_ms(0, &http(429, Some(u64::MAX)), &mut rng);
        assert_eq!(d, RETRY_AFTER_CAP_MS);
    }
}
