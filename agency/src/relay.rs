//! The FSP/1 relay's HTTP interface (`docs/PROTOCOL.md` § 5): the sender endpoints
//! (announce, content-addressed uploads, submit with the signed `submitted` receipt) and the
//! subscriber's read endpoints. It checks what it can see — sizes, hashes, the manifest
//! signature, the age header's shape — and never holds a key that decrypts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};
use elternkit_directory::{Destination, Directory};
use elternkit_submit::envelope::{
    MAX_AGE_HEADER_BYTES, MAX_MANIFEST_BYTES, MAX_PAYLOAD_BYTES, MAX_RECIPIENT_STANZAS, Manifest,
    signed_message,
};
use elternkit_submit::httpsig::{self, RequestAuthError};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::problem::Problem;
use crate::receipt::{RelayKey, hex, sha256_hex};
use crate::store::{
    Admission, Announce, Keep, State as RowState, Store, StoreError, Submission, Swept,
};

/// The submit body is `{"manifestSignature": "<86 characters>"}`.
pub const MAX_SUBMIT_BODY: usize = 1024;
/// The name under which the payload ciphertext is stored.
pub const PAYLOAD: &str = "payload";

/// The largest age ciphertext of `plain` bytes to one recipient: the header (bounded by
/// [`MAX_AGE_HEADER_BYTES`]), the 16-byte nonce and one 16-byte tag per 64 KiB chunk.
pub fn ciphertext_bound(plain: u64) -> u64 {
    let chunks = plain / 65_536 + 1;
    plain
        .saturating_add(chunks.saturating_mul(16))
        .saturating_add(16)
        .saturating_add(MAX_AGE_HEADER_BYTES as u64)
}

/// A relay's clock (an input, so tests can move time).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Requests one device key may make in [`RATE_WINDOW_SECONDS`] by default: a submission
/// with the directory's most attachments is ~25 requests, a family files three.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 120;
/// The per-device rate window.
pub const RATE_WINDOW_SECONDS: i64 = 60;

/// Everything the handlers share.
#[derive(Clone)]
pub struct Relay {
    pub store: Arc<dyn Store>,
    pub directory: Arc<Directory>,
    pub key: Arc<RelayKey>,
    /// SHA-256 of each subscriber's bearer token → the destination it reads.
    pub subscribers: Arc<BTreeMap<[u8; 32], String>>,
    pub clock: Clock,
    /// The base URL the apps reach this relay at (the directory's `endpoint`); the
    /// `@target-uri` the device signed is this plus the request path. `None`: `http://`
    /// plus the `Host` header (loopback development only).
    pub public_base: Option<Arc<str>>,
    /// Requests per device key per [`RATE_WINDOW_SECONDS`].
    pub rate_per_minute: u32,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("key", &self.key)
            .field("subscribers", &self.subscribers.len())
            .finish_non_exhaustive()
    }
}

impl Relay {
    pub fn new(store: Arc<dyn Store>, directory: Directory, key: RelayKey) -> Self {
        Self {
            store,
            directory: Arc::new(directory),
            key: Arc::new(key),
            subscribers: Arc::new(BTreeMap::new()),
            clock: Arc::new(Timestamp::now),
            public_base: None,
            rate_per_minute: DEFAULT_RATE_PER_MINUTE,
        }
    }

    /// The URL the apps use for this relay (behind TLS termination), e.g.
    /// `https://relay.example/fsp/v1`.
    pub fn with_public_base(mut self, base: &str) -> Self {
        self.public_base = Some(base.trim_end_matches('/').into());
        self
    }

    pub fn with_rate_limit(mut self, per_minute: u32) -> Self {
        self.rate_per_minute = per_minute;
        self
    }

    /// Applies retention now (PROTOCOL § 9): expires announces past their deadline, rejects
    /// submissions never retrieved, deletes ciphertexts and old rows and nonces.
    pub fn sweep(&self) -> Result<Swept, StoreError> {
        self.store.sweep((self.clock)())
    }

    /// Sweeps every `every` on the current runtime until the task is aborted. A failed
    /// sweep is reported and retried at the next tick (the store may be restarting).
    pub fn spawn_sweeper(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let relay = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let r = relay.clone();
                match tokio::task::spawn_blocking(move || r.sweep()).await {
                    Ok(Ok(swept)) if swept != Swept::default() => {
                        eprintln!("elternkit-agency: retention sweep {swept:?}");
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => eprintln!("elternkit-agency: retention sweep failed: {e}"),
                    Err(e) => eprintln!("elternkit-agency: retention sweep panicked: {e}"),
                }
            }
        })
    }

    /// Lets the holder of `token` read the submissions to `destination_id`.
    pub fn with_subscriber(mut self, token: &str, destination_id: &str) -> Self {
        let mut map = (*self.subscribers).clone();
        map.insert(
            Sha256::digest(token.as_bytes()).into(),
            destination_id.into(),
        );
        self.subscribers = Arc::new(map);
        self
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The axum router of the FSP/1 endpoints, relative to the destination's base URL.
    pub fn router(self) -> Router {
        Router::new()
            .route(
                "/submissions/{sid}",
                put(announce).get(subscriber_submission).delete(withdraw),
            )
            .route(
                "/submissions/{sid}/payload",
                put(upload_payload).get(subscriber_payload),
            )
            .route(
                "/submissions/{sid}/attachments/{aid}",
                put(upload_attachment).get(subscriber_attachment),
            )
            .route("/submissions/{sid}/submit", post(submit))
            .route(
                "/submissions/{sid}/events",
                get(crate::events::list).post(crate::events::post),
            )
            .route("/destinations/{did}/submissions", get(subscriber_list))
            .fallback(|uri: Uri| async move {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint").at(uri.path())
            })
            // Every handler reads its body itself, each with its own bound.
            .layer(DefaultBodyLimit::disable())
            .with_state(self)
    }

    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Problem> {
        let store = Arc::clone(&self.store);
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(Problem::unavailable(e.to_string())),
            Err(_) => Err(Problem::unavailable("the storage task failed")),
        }
    }
}

pub(crate) type Reply = Result<Response, Problem>;

/// A sender request whose RFC 9421 signature verified and whose nonce was fresh.
#[derive(Debug)]
pub(crate) struct Device {
    /// base64url of the device key (= the manifest's `deviceKey`).
    keyid: String,
    /// The signed `Content-Digest`, checked against the body once it is read.
    content_digest: String,
}

impl Device {
    fn check_body(&self, body: &[u8]) -> Result<(), Problem> {
        httpsig::check_content_digest(&self.content_digest, body).map_err(auth_problem)
    }

    /// `403 wrong-device` unless `manifest` was announced by this device.
    pub(crate) fn owns(&self, manifest: &Manifest) -> Result<(), Problem> {
        if manifest.device_key == self.keyid {
            Ok(())
        } else {
            Err(Problem::wrong_device())
        }
    }
}

fn auth_problem(e: RequestAuthError) -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, e.problem(), e.to_string())
}

/// The `@target-uri` of this request as the device addressed it.
fn target_uri(relay: &Relay, uri: &Uri, headers: &HeaderMap) -> Result<String, Problem> {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if let Some(base) = &relay.public_base {
        return Ok(format!("{base}{path}"));
    }
    if uri.scheme().is_some() {
        return Ok(uri.to_string());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Problem::malformed("the request has no Host header"))?;
    Ok(format!("http://{host}{path}"))
}

/// Verifies a sender request's signature (headers only), then records its nonce and
/// counts the device's requests: `401 unauthenticated`/`clock-skew`/`replayed`, `429
/// rate-limited`. Runs before the body is read, so an unsigned request costs no buffer and
/// no store write.
pub(crate) async fn authenticate(
    relay: &Relay,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Device, Problem> {
    let target = target_uri(relay, uri, headers)?;
    let field = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let received = httpsig::Received {
        method: method.as_str(),
        target_uri: &target,
        content_digest: field("content-digest"),
        signature_input: field("signature-input"),
        signature: field("signature"),
    };
    let now = (relay.clock)();
    let verified = httpsig::verify_request(&received, now.as_second()).map_err(auth_problem)?;
    // A nonce must be remembered as long as its `created` is accepted, and as long as it
    // counts for the rate.
    let keep_until = Timestamp::from_second(verified.created + httpsig::MAX_SKEW_SECONDS + 1)
        .unwrap_or(now)
        .max(now + SignedDuration::from_secs(RATE_WINDOW_SECONDS));
    let since = now - SignedDuration::from_secs(RATE_WINDOW_SECONDS);
    let (keyid, nonce) = (verified.keyid.clone(), verified.nonce);
    let admission = relay
        .blocking(move |s| s.admit(&keyid, &nonce, now, keep_until, since))
        .await?;
    match admission {
        Admission::Replayed => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "replayed",
            "this request's nonce was used before; sign each request anew",
        )),
        Admission::Fresh { recent } if recent > relay.rate_per_minute => Err(
            Problem::rate_limited(relay.rate_per_minute, RATE_WINDOW_SECONDS as u64),
        ),
        Admission::Fresh { .. } => Ok(Device {
            keyid: verified.keyid,
            content_digest: field("content-digest").unwrap_or_default().to_owned(),
        }),
    }
}

pub(crate) fn parse_sid(raw: &str) -> Result<Uuid, Problem> {
    raw.parse::<Uuid>()
        .map_err(|_| Problem::malformed("the submission id is not a UUID"))
}

/// The largest refused body that is drained before the refusal is sent.
const DRAIN_REFUSED_BODY_MAX: usize = 1024 * 1024;

/// Reads at most `max` bytes; a declared or actual longer body is refused before it is
/// buffered.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> Result<Bytes, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > max as u64) {
        // A small refused body is still read and dropped: a client that is still writing
        // would otherwise see a connection reset instead of the 413 (RFC 9112 § 9.6).
        if n <= DRAIN_REFUSED_BODY_MAX as u64 {
            let _ = axum::body::to_bytes(body, DRAIN_REFUSED_BODY_MAX).await;
        }
        return Err(Problem::too_large(format!(
            "the body has {n} bytes, at most {max} are accepted here"
        )));
    }
    axum::body::to_bytes(body, max)
        .await
        .map_err(|_| Problem::too_large(format!("the body is over {max} bytes")))
}

pub(crate) fn content_type_is(headers: &HeaderMap, expected: &str) -> Result<(), Problem> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(expected));
    if ok {
        Ok(())
    } else {
        Err(Problem::malformed(format!(
            "Content-Type must be {expected}"
        )))
    }
}

pub(crate) fn json_reply(status: StatusCode, body: serde_json::Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn announce_body(row: &Submission) -> serde_json::Value {
    json!({
        "state": "announced",
        "caseId": row.case_id,
        "uploadDeadline": row.upload_deadline,
        "receipt": row.announce_receipt,
    })
}

/// Checks what the relay can check of a manifest before it stores it (public for the
/// fuzzer): strict FSP/1 JSON, the URL's id, a destination of `directory`, the device key's
/// form, the attachment count and sizes, the hashes' form.
pub fn check_manifest(
    directory: &Directory,
    sid: Uuid,
    bytes: &[u8],
) -> Result<(Manifest, Destination), Problem> {
    let manifest: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| Problem::malformed(format!("the manifest is not FSP/1 JSON: {e}")))?;
    if manifest.fsp != "1" {
        return Err(Problem::malformed("only FSP version 1 is accepted"));
    }
    if manifest.submission_id != sid {
        return Err(Problem::malformed(
            "the manifest's submissionId differs from the URL's",
        ));
    }
    let dest = directory
        .destination(&manifest.destination_id)
        .ok_or_else(|| {
            Problem::unprocessable(
                "destination-state-invalid",
                format!("{} is not in the directory", manifest.destination_id),
            )
        })?
        .clone();
    // A submission sealed to a key the destination does not list could never be opened;
    // refused here rather than found out by the agency weeks later.
    if !dest
        .age_recipients
        .iter()
        .any(|r| r.kid == manifest.recipient_kid)
    {
        return Err(Problem::unprocessable(
            "wrong-recipient",
            format!(
                "recipientKid {} is not an age recipient of {}",
                manifest.recipient_kid, dest.destination_id
            ),
        ));
    }
    device_key(&manifest)?;
    if manifest.attachments.len() > usize::try_from(dest.limits.max_attachments).unwrap_or(0) {
        return Err(Problem::too_large(format!(
            "{} attachments, the destination accepts at most {}",
            manifest.attachments.len(),
            dest.limits.max_attachments
        )));
    }
    let mut seen = BTreeSet::new();
    for a in &manifest.attachments {
        if !seen.insert(a.attachment_id) {
            return Err(Problem::malformed("an attachment id is listed twice"));
        }
        if a.size > ciphertext_bound(dest.limits.max_attachment_bytes) {
            return Err(Problem::too_large(format!(
                "attachment {} is over the destination's limit",
                a.attachment_id
            )));
        }
        check_sha256_hex(&a.sha256)?;
    }
    if manifest.payload.size > ciphertext_bound(MAX_PAYLOAD_BYTES) {
        return Err(Problem::too_large("the payload is over 4 MiB"));
    }
    check_sha256_hex(&manifest.payload.sha256)?;
    Ok((manifest, dest))
}

fn check_sha256_hex(s: &str) -> Result<(), Problem> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(Problem::malformed(
            "a sha256 is not 64 lower-case hex digits",
        ))
    }
}

fn device_key(manifest: &Manifest) -> Result<VerifyingKey, Problem> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(&manifest.device_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Problem::malformed("deviceKey is not a base64url Ed25519 key"))?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| Problem::malformed("deviceKey is not an Ed25519 public key"))
}

/// The stored manifest, parsed again (it was checked when announced).
pub(crate) fn stored_manifest(row: &Submission) -> Result<Manifest, Problem> {
    serde_json::from_slice(&row.manifest)
        .map_err(|_| Problem::unavailable("a stored manifest no longer parses"))
}

/// `PUT /submissions/{sid}`.
async fn announce(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    announce_inner(relay, sid, method, &uri, headers, body)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

async fn announce_inner(
    relay: Relay,
    sid: String,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let sid = parse_sid(&sid)?;
    let device = authenticate(&relay, &method, uri, &headers).await?;
    content_type_is(&headers, "application/json")?;
    let bytes = read_body(&headers, body, MAX_MANIFEST_BYTES).await?;
    device.check_body(&bytes)?;
    let (manifest, dest) = check_manifest(&relay.directory, sid, &bytes)?;
    // The announce binds the id to the key that signed it: the manifest's own.
    device.owns(&manifest)?;
    let now = (relay.clock)();
    let hours = i64::from(dest.retention.announced_hours);
    let deadline = now
        .checked_add(SignedDuration::from_hours(hours))
        .map_err(|_| Problem::unavailable("the deadline is out of range"))?;
    let manifest_sha256 = sha256_hex(&bytes);
    let case_id = Uuid::new_v4();
    let receipt = relay.key.sign(json!({
        "jti": Uuid::new_v4(),
        "iat": now.as_second(),
        "sub": format!("submission:{sid}"),
        "txn": format!("case:{case_id}"),
        "seq": 0,
        "prev": manifest_sha256,
        "events": {"urn:fsp:event:announced": {
            "manifestSha256": manifest_sha256, "uploadDeadline": deadline}},
    }));
    let new = Submission {
        submission_id: sid,
        destination_id: manifest.destination_id,
        manifest: bytes.to_vec(),
        manifest_sha256,
        case_id,
        announced_at: now,
        upload_deadline: deadline,
        announce_receipt: receipt,
        state: RowState::Announced,
        signature: None,
        receipt: None,
        submitted_at: None,
        keep: Keep::of(&dest.retention),
        retrieved_at: None,
        purged: false,
    };
    match relay.blocking(move |s| s.announce(&new)).await? {
        Announce::Created(row) => Ok(json_reply(StatusCode::CREATED, announce_body(&row))),
        Announce::Existing(row) if row.manifest == bytes.as_ref() => {
            check_alive(&relay, &row)?;
            Ok(json_reply(StatusCode::OK, announce_body(&row)))
        }
        Announce::Existing(_) => Err(Problem::conflict(
            "announce-mismatch",
            "this submission id was announced with another manifest",
        )),
    }
}

async fn upload_payload(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    upload(relay, sid, None, method, &uri, headers, body)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

async fn upload_attachment(
    State(relay): State<Relay>,
    Path((sid, aid)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    upload(relay, sid, Some(aid), method, &uri, headers, body)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

pub(crate) async fn load(relay: &Relay, sid: Uuid) -> Result<Submission, Problem> {
    relay
        .blocking(move |s| s.get(sid))
        .await?
        .ok_or_else(Problem::unknown_submission)
}

/// `410 expired` for a submission that is gone (expired, withdrawn, never retrieved) or
/// announced past its upload deadline (the sweep may not have run yet).
fn check_alive(relay: &Relay, row: &Submission) -> Result<(), Problem> {
    match row.state {
        RowState::Announced if (relay.clock)() > row.upload_deadline => Err(Problem::expired()),
        RowState::Announced | RowState::Submitted => Ok(()),
        RowState::Expired => Err(Problem::expired()),
        RowState::Deleted => Err(Problem::gone("the device withdrew this submission")),
        RowState::Unretrieved => Err(Problem::gone(
            "the agency did not retrieve this submission in time; it was deleted",
        )),
    }
}

/// `DELETE /submissions/{sid}` (sender): withdraws an announced submission.
async fn withdraw(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let reply = async {
        let sid = parse_sid(&sid)?;
        let device = authenticate(&relay, &method, &uri, &headers).await?;
        let bytes = read_body(&headers, body, 0).await?;
        device.check_body(&bytes)?;
        let row = load(&relay, sid).await?;
        device.owns(&stored_manifest(&row)?)?;
        let now = (relay.clock)();
        let after = relay
            .blocking(move |s| s.withdraw(sid, now))
            .await?
            .ok_or_else(Problem::unknown_submission)?;
        match after.state {
            RowState::Deleted | RowState::Expired => Ok(StatusCode::NO_CONTENT.into_response()),
            RowState::Announced => Err(Problem::unavailable("the withdrawal did not take")),
            RowState::Submitted | RowState::Unretrieved => Err(Problem::conflict(
                "already-submitted",
                "a submitted submission cannot be withdrawn",
            )),
        }
    };
    reply
        .await
        .unwrap_or_else(|p: Problem| p.at(uri.path()).into_response())
}

/// `PUT …/payload`, `PUT …/attachments/{aid}`: content-addressed by the manifest.
async fn upload(
    relay: Relay,
    sid: String,
    aid: Option<String>,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let sid = parse_sid(&sid)?;
    let aid = aid
        .map(|a| {
            a.parse::<Uuid>()
                .map_err(|_| Problem::malformed("the attachment id is not a UUID"))
        })
        .transpose()?;
    let device = authenticate(&relay, &method, uri, &headers).await?;
    content_type_is(&headers, "application/age")?;
    let row = load(&relay, sid).await?;
    let manifest = stored_manifest(&row)?;
    device.owns(&manifest)?;
    let (name, size, sha256) = match aid {
        None => (
            PAYLOAD.to_owned(),
            manifest.payload.size,
            manifest.payload.sha256,
        ),
        Some(aid) => {
            let a = manifest
                .attachments
                .into_iter()
                .find(|a| a.attachment_id == aid)
                .ok_or_else(Problem::unknown_attachment)?;
            (aid.to_string(), a.size, a.sha256)
        }
    };
    check_alive(&relay, &row)?;
    // The manifest's size bounds the read (it was bounded when announced).
    let max = usize::try_from(size).map_err(|_| Problem::too_large("the part is too large"))?;
    let bytes = read_body(&headers, body, max).await.map_err(|_| {
        Problem::conflict("hash-mismatch", "the body is longer than the manifest says")
    })?;
    device.check_body(&bytes)?;
    if bytes.len() as u64 != size || sha256_hex(&bytes) != sha256 {
        return Err(Problem::conflict(
            "hash-mismatch",
            "size or SHA-256 differ from the manifest; nothing was stored",
        ));
    }
    check_age_header(&bytes)?;
    relay
        .blocking(move |s| s.put_part(sid, &name, &bytes))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The shape of an age v1 header as far as the relay can see it: binary v1, at most
/// [`MAX_AGE_HEADER_BYTES`], one or two `X25519` stanzas and at most one grease stanza.
/// The agency checks the same again when it opens.
pub fn check_age_header(ciphertext: &[u8]) -> Result<(), Problem> {
    let Some(rest) = ciphertext.strip_prefix(b"age-encryption.org/v1\n") else {
        return Err(Problem::malformed("the body is not a binary age v1 file"));
    };
    let window = &rest[..rest.len().min(MAX_AGE_HEADER_BYTES)];
    let Some(end) = window.windows(4).position(|w| w == b"--- ") else {
        return Err(Problem::too_large(format!(
            "the age header is longer than {MAX_AGE_HEADER_BYTES} bytes or unterminated"
        )));
    };
    let (mut x25519, mut grease) = (0usize, 0usize);
    for line in window[..end].split(|b| *b == b'\n') {
        let Some(stanza) = line.strip_prefix(b"-> ") else {
            continue;
        };
        let kind = stanza.split(|b| *b == b' ').next().unwrap_or_default();
        if kind == b"X25519" {
            x25519 += 1;
        } else if kind.ends_with(b"-grease") {
            grease += 1;
        } else {
            return Err(Problem::malformed(
                "only X25519 recipient stanzas are accepted",
            ));
        }
    }
    if x25519 > MAX_RECIPIENT_STANZAS || grease > 1 {
        return Err(Problem::too_large(format!(
            "the age header has {x25519} X25519 and {grease} grease stanzas; \
             at most {MAX_RECIPIENT_STANZAS} and 1 are accepted"
        )));
    }
    if x25519 == 0 {
        return Err(Problem::malformed(
            "the age header names no X25519 recipient",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubmitBody {
    manifest_signature: String,
}

/// `POST …/submit`.
async fn submit(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    submit_inner(relay, sid, method, &uri, headers, body)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

fn submitted_body(receipt: &str) -> Response {
    json_reply(
        StatusCode::OK,
        json!({"state": "submitted", "receipt": receipt}),
    )
}

async fn submit_inner(
    relay: Relay,
    sid: String,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let sid = parse_sid(&sid)?;
    let device = authenticate(&relay, &method, uri, &headers).await?;
    content_type_is(&headers, "application/json")?;
    let bytes = read_body(&headers, body, MAX_SUBMIT_BODY).await?;
    device.check_body(&bytes)?;
    let request: SubmitBody = serde_json::from_slice(&bytes)
        .map_err(|e| Problem::malformed(format!("the submit body is not FSP/1 JSON: {e}")))?;
    let signature: [u8; 64] = URL_SAFE_NO_PAD
        .decode(&request.manifest_signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            Problem::unprocessable(
                "signature-invalid",
                "manifestSignature is not a base64url Ed25519 signature",
            )
        })?;
    let row = load(&relay, sid).await?;
    device.owns(&stored_manifest(&row)?)?;
    if let (RowState::Submitted, Some(stored), Some(receipt)) =
        (row.state, &row.signature, &row.receipt)
    {
        return if stored.as_slice() == signature.as_slice() {
            Ok(submitted_body(receipt))
        } else {
            Err(Problem::conflict(
                "already-submitted",
                "submitted before with another signature",
            ))
        };
    }
    check_alive(&relay, &row)?;
    let manifest = stored_manifest(&row)?;
    device_key(&manifest)?
        .verify_strict(
            &signed_message(&row.manifest),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| {
            Problem::unprocessable(
                "signature-invalid",
                "the manifest signature does not verify with its deviceKey",
            )
        })?;
    let stored: BTreeSet<String> = relay
        .blocking(move |s| s.parts(sid))
        .await?
        .into_iter()
        .collect();
    let mut ciphertexts = serde_json::Map::new();
    let mut missing = Vec::new();
    let wanted = std::iter::once((PAYLOAD.to_owned(), manifest.payload.sha256.clone())).chain(
        manifest
            .attachments
            .iter()
            .map(|a| (a.attachment_id.to_string(), a.sha256.clone())),
    );
    for (name, sha) in wanted {
        if !stored.contains(&name) {
            missing.push(name.clone());
        }
        ciphertexts.insert(name, json!(sha));
    }
    if !missing.is_empty() {
        let mut p = Problem::conflict("incomplete", "not every part is uploaded");
        p.missing = missing;
        return Err(p);
    }
    let now = (relay.clock)();
    let receipt = relay.key.sign(json!({
        "jti": Uuid::new_v4(),
        "iat": now.as_second(),
        "sub": format!("submission:{sid}"),
        "txn": format!("case:{}", row.case_id),
        "seq": 1,
        "prev": hex(&Sha256::digest(row.announce_receipt.as_bytes())),
        "events": {"urn:fsp:event:submitted": {
            "manifestSha256": row.manifest_sha256,
            "ciphertexts": ciphertexts,
            "receivedAt": now,
        }},
    }));
    let after = relay
        .blocking(move |s| s.submit(sid, &signature, &receipt, now))
        .await?;
    // Another request may have submitted first: answer with whatever is stored.
    match (&after.signature, &after.receipt) {
        (Some(s), Some(r)) if s.as_slice() == signature.as_slice() => Ok(submitted_body(r)),
        _ => Err(Problem::conflict(
            "already-submitted",
            "submitted before with another signature",
        )),
    }
}

/// The destination the bearer token reads, or `401 unauthenticated`.
pub(crate) fn subscriber(relay: &Relay, headers: &HeaderMap) -> Result<String, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Problem::unauthenticated("a subscriber bearer token is required"))?;
    let digest: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
    relay
        .subscribers
        .get(&digest)
        .cloned()
        .ok_or_else(|| Problem::unauthenticated("unknown subscriber token"))
}

/// The submitted submission `sid` of the subscriber's destination; anything else is
/// `404`, so a subscriber learns nothing of other destinations.
pub(crate) async fn subscriber_row(
    relay: &Relay,
    headers: &HeaderMap,
    sid: &str,
) -> Result<Submission, Problem> {
    let destination = subscriber(relay, headers)?;
    let row = load(relay, parse_sid(sid)?).await?;
    if row.destination_id != destination || row.state != RowState::Submitted {
        return Err(Problem::unknown_submission());
    }
    Ok(row)
}

/// `GET /submissions/{sid}` (subscriber).
async fn subscriber_submission(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let reply = async {
        let row = subscriber_row(&relay, &headers, &sid).await?;
        Ok::<_, Problem>(json_reply(
            StatusCode::OK,
            json!({
                "manifest": URL_SAFE_NO_PAD.encode(&row.manifest),
                "manifestSignature": row.signature.as_deref().map(|s| URL_SAFE_NO_PAD.encode(s)),
                "state": row.state.as_str(),
                "submittedAt": row.submitted_at,
                "receipt": row.receipt,
            }),
        ))
    };
    reply
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

async fn subscriber_part(
    relay: Relay,
    headers: HeaderMap,
    sid: String,
    name: Option<String>,
) -> Reply {
    let row = subscriber_row(&relay, &headers, &sid).await?;
    let name = match name {
        None => PAYLOAD.to_owned(),
        Some(aid) => aid
            .parse::<Uuid>()
            .map_err(|_| Problem::malformed("the attachment id is not a UUID"))?
            .to_string(),
    };
    if row.purged {
        return Err(Problem::gone(
            "the ciphertexts were deleted after the retention period",
        ));
    }
    let sid = row.submission_id;
    let is_payload = name == PAYLOAD;
    let bytes = relay
        .blocking(move |s| s.part(sid, &name))
        .await?
        .ok_or_else(Problem::unknown_attachment)?;
    if is_payload {
        // The first fetch starts the after-retrieval retention.
        let now = (relay.clock)();
        relay.blocking(move |s| s.mark_retrieved(sid, now)).await?;
    }
    crate::events::record_retrieved(&relay, &row).await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/age"),
    );
    Ok(r)
}

async fn subscriber_payload(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    subscriber_part(relay, headers, sid, None)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

async fn subscriber_attachment(
    State(relay): State<Relay>,
    Path((sid, aid)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    subscriber_part(relay, headers, sid, Some(aid))
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    cursor: Option<i64>,
    limit: Option<u32>,
}

/// `GET /destinations/{did}/submissions?cursor=&limit=` (subscriber).
async fn subscriber_list(
    State(relay): State<Relay>,
    Path(did): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let reply = async {
        let destination = subscriber(&relay, &headers)?;
        if destination != did {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "wrong-subscriber",
                "this token reads another destination",
            ));
        }
        let Ok(Query(q)) = query else {
            return Err(Problem::malformed("cursor and limit must be integers"));
        };
        let after = q.cursor.unwrap_or(0);
        let limit = q.limit.unwrap_or(100).clamp(1, 100);
        let rows = relay
            .blocking(move |s| s.list_submitted(&destination, after, limit))
            .await?;
        let next = rows.last().map_or(after, |r| r.cursor);
        let list: Vec<_> = rows
            .iter()
            .map(|r| json!({"submissionId": r.submission_id, "state": "submitted", "submittedAt": r.submitted_at}))
            .collect();
        Ok(json_reply(
            StatusCode::OK,
            json!({"submissions": list, "nextCursor": next}),
        ))
    };
    reply
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}
