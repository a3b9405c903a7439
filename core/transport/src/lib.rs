//! The app's FSP/1 transport: [`elternkit_submit::outbox::Transport`] over reqwest's async
//! client (rustls with the *ring* provider; no OpenSSL, no aws-lc).
//!
//! - **Trust:** server certificates are checked by the platform's verifier
//!   (`rustls-platform-verifier`): Android's trust manager with the user's and the
//!   device's CA settings, Apple's Security framework, the system certificates on Linux.
//!   No root list is compiled in. On Android the verifier needs the app's context first
//!   (`elternkit-ffi`'s JNI `PlatformVerifier.init`, see `android/README.md`).
//! - **One runtime:** the outbox's [`Transport`] is synchronous, so each request is
//!   blocked on: on the caller's tokio runtime when one is given ([`HttpTransport::on`],
//!   the FFI's `App` runtime, from a thread of its blocking pool), else on a current-thread
//!   runtime of the transport's own, driven only while a request runs. reqwest's
//!   `blocking` client would start a further runtime on a thread of its own.
//!
//! Every reply is mapped onto the outbox's [`Failure`] classes (`docs/PROTOCOL.md` § 10):
//! no response → `Network`; an HTTP error → `Http{status, problem, retry_after_ms}` with the
//! problem+json `type` and `Retry-After`; a 2xx that is not what FSP/1 promises →
//! `Protocol`. Bodies read from the network are bounded before they are buffered.
//!
//! Every request is signed with the device key (RFC 9421, `elternkit_submit::httpsig`): a
//! fresh `created` and nonce each time, retries included, so the relay's replay check never
//! refuses a genuine retry.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use elternkit_submit::Signer;
use elternkit_submit::httpsig;
use elternkit_submit::outbox::{Failure, PartRef, Transport};
use jiff::Timestamp;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Client, Method, Response, StatusCode};
use rustls_platform_verifier::BuilderVerifierExt as _;
/// The runtime handle [`HttpTransport::on`] takes (re-exported so callers need no tokio).
pub use tokio::runtime::Handle as RuntimeHandle;
use tokio::runtime::{Handle, Runtime};
use uuid::Uuid;

/// The most of a reply body this transport reads (a receipt is a few hundred bytes; a
/// problem document a few hundred more).
pub const MAX_REPLY_BYTES: u64 = 64 * 1024;
/// Connecting may take this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// One request, upload included, may take this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Why a transport could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("endpoint {0:?} is neither https:// nor a loopback http:// address (development only)")]
    InsecureEndpoint(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
    #[error("the platform's certificate verifier is not available: {0}")]
    Verifier(String),
    #[error("the transport's runtime could not be started: {0}")]
    Runtime(String),
}

/// Where the requests run.
#[derive(Clone)]
enum Exec {
    /// A runtime whose worker threads drive the I/O; requests are blocked on from a thread
    /// outside its workers (a `spawn_blocking` thread).
    On(Handle),
    /// A current-thread runtime of our own, driven by each request's `block_on`.
    Own(Arc<Runtime>),
}

impl Exec {
    fn block_on<F: Future>(&self, f: F) -> F::Output {
        match self {
            Exec::On(handle) => handle.block_on(f),
            Exec::Own(rt) => rt.block_on(f),
        }
    }
}

/// A reply as read: status, headers and the body (bounded; an error if it was too long or
/// broke off).
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Result<Vec<u8>, Failure>,
}

/// The device key that signs every request (the same key that signs the manifests).
pub type DeviceSigner = Arc<dyn Signer + Send + Sync>;

/// The clock whose seconds go into `created` (an input so tests can skew it).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The FSP/1 sender endpoints of one destination.
#[derive(Clone)]
pub struct HttpTransport {
    client: Client,
    exec: Exec,
    /// The destination's `endpoint` from the directory, without a trailing slash.
    endpoint: String,
    signer: DeviceSigner,
    clock: Clock,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("endpoint", &self.endpoint)
            .field("device", &httpsig::keyid(&self.signer.verifying_key()))
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// `endpoint` is the destination's base (`https://…/fsp/v1`). Plain `http://` is only
    /// accepted for a loopback relay (`127.0.0.1`, `[::1]`, `localhost`), as a development
    /// directory may name; anything else would send a manifest in the clear. `signer` is
    /// the device key of the manifests this transport sends (the relay binds each
    /// submission to the key that announced it). Requests run on a current-thread runtime
    /// of the transport's own; call it from outside any async context.
    pub fn new(endpoint: &str, signer: DeviceSigner) -> Result<Self, TransportError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TransportError::Runtime(e.kind().to_string()))?;
        Self::with_exec(endpoint, signer, Exec::Own(Arc::new(rt)))
    }

    /// As [`Self::new`], with the requests on `runtime`, a multi-thread runtime whose
    /// workers drive the I/O. The transport's methods block the calling thread, which must
    /// not be one of the runtime's workers (use `spawn_blocking`).
    pub fn on(
        runtime: Handle,
        endpoint: &str,
        signer: DeviceSigner,
    ) -> Result<Self, TransportError> {
        Self::with_exec(endpoint, signer, Exec::On(runtime))
    }

    fn with_exec(endpoint: &str, signer: DeviceSigner, exec: Exec) -> Result<Self, TransportError> {
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        if !endpoint_allowed(&endpoint) {
            return Err(TransportError::InsecureEndpoint(endpoint));
        }
        let client = Client::builder()
            .use_preconfigured_tls(tls_config()?)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // A redirect would move a request to a host the directory did not name.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("elternkit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::Client(e.to_string()))?;
        Ok(Self {
            client,
            exec,
            endpoint,
            signer,
            clock: Arc::new(Timestamp::now),
        })
    }

    /// Replaces the clock of `created` (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn url(&self, sid: Uuid, rest: &str) -> String {
        format!("{}/submissions/{sid}{rest}", self.endpoint)
    }

    /// Sends one signed request and reads the reply. A key that cannot sign is a failure
    /// for the user (the platform keystore is locked or lost), not a retry.
    fn send(
        &self,
        method: Method,
        url: String,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Reply, Failure> {
        let nonce = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let signed = httpsig::sign_request(
            self.signer.as_ref(),
            method.as_str(),
            &url,
            &body,
            (self.clock)().as_second(),
            &nonce,
        )
        .map_err(|e| Failure::Protocol {
            message: e.to_string(),
        })?;
        let mut request = self
            .client
            .request(method, url)
            .header("content-digest", signed.content_digest)
            .header("signature-input", signed.signature_input)
            .header("signature", signed.signature);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        self.exec.block_on(async move {
            let response = request.body(body).send().await.map_err(network)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = bounded_body(response).await;
            Ok(Reply {
                status,
                headers,
                body,
            })
        })
    }

    /// `DELETE /submissions/{sid}`: withdraws an announced, not yet submitted submission
    /// (`204`; `409 already-submitted` once submitted).
    pub fn delete(&self, submission_id: Uuid) -> Result<(), Failure> {
        let response = self.send(
            Method::DELETE,
            self.url(submission_id, ""),
            None,
            Vec::new(),
        )?;
        match response.status {
            StatusCode::NO_CONTENT => Ok(()),
            s if s.is_success() => Err(Failure::Protocol {
                message: format!("delete answered {s}, FSP/1 promises 204"),
            }),
            _ => Err(http_failure(response)),
        }
    }
}

fn endpoint_allowed(endpoint: &str) -> bool {
    if let Some(rest) = endpoint.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = endpoint.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    host == "127.0.0.1" || host == "::1" || host == "localhost"
}

impl HttpTransport {
    /// `GET …/events?after=<seq>`: the submission's events after `after` (`-1`: all), as
    /// compact JWS in chain order. The caller verifies them (`events::verify_chain`).
    /// Signed like every sender request: only the announcing device reads them.
    pub fn events(&mut self, submission_id: Uuid, after: i64) -> Result<Vec<String>, Failure> {
        let url = format!("{}?after={after}", self.url(submission_id, "/events"));
        let response = self.send(Method::GET, url, None, Vec::new())?;
        if response.status != StatusCode::OK {
            return Err(http_failure(response));
        }
        let body = json_body(response)?;
        body.get("events")
            .and_then(|e| e.as_array())
            .and_then(|list| {
                list.iter()
                    .map(|e| e.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| Failure::Protocol {
                message: "the events reply is not a list of JWS".into(),
            })
    }
}

impl Transport for HttpTransport {
    fn announce(&mut self, submission_id: Uuid, manifest: &[u8]) -> Result<(), Failure> {
        let response = self.send(
            Method::PUT,
            self.url(submission_id, ""),
            Some("application/json"),
            manifest.to_vec(),
        )?;
        match response.status {
            StatusCode::OK | StatusCode::CREATED => {
                let body = json_body(response)?;
                expect_state(&body, "announced")?;
                Ok(())
            }
            _ => Err(http_failure(response)),
        }
    }

    fn upload(
        &mut self,
        submission_id: Uuid,
        part: &PartRef,
        ciphertext: &[u8],
    ) -> Result<(), Failure> {
        let rest = match part.attachment_id {
            None => "/payload".to_owned(),
            Some(aid) => format!("/attachments/{aid}"),
        };
        let response = self.send(
            Method::PUT,
            self.url(submission_id, &rest),
            Some("application/age"),
            ciphertext.to_vec(),
        )?;
        match response.status {
            StatusCode::NO_CONTENT => Ok(()),
            s if s.is_success() => Err(Failure::Protocol {
                message: format!("upload answered {s}, FSP/1 promises 204"),
            }),
            _ => Err(http_failure(response)),
        }
    }

    fn submit(&mut self, submission_id: Uuid, manifest_signature: &str) -> Result<String, Failure> {
        let body = serde_json::json!({ "manifestSignature": manifest_signature });
        let response = self.send(
            Method::POST,
            self.url(submission_id, "/submit"),
            Some("application/json"),
            body.to_string().into_bytes(),
        )?;
        match response.status {
            StatusCode::OK => {
                let body = json_body(response)?;
                expect_state(&body, "submitted")?;
                match body.get("receipt").and_then(|r| r.as_str()) {
                    Some(receipt) if !receipt.is_empty() => Ok(receipt.to_owned()),
                    _ => Err(Failure::Protocol {
                        message: "the submit reply carries no receipt".into(),
                    }),
                }
            }
            s if s.is_success() => Err(Failure::Protocol {
                message: format!("submit answered {s}, FSP/1 promises 200"),
            }),
            _ => Err(http_failure(response)),
        }
    }
}

fn network(e: reqwest::Error) -> Failure {
    Failure::Network {
        message: e.to_string(),
    }
}

/// The platform verifier over the *ring* provider (the one reqwest's `rustls-tls` features
/// build with), TLS 1.2 and 1.3 as rustls' defaults.
fn tls_config() -> Result<rustls::ClientConfig, TransportError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Verifier(e.to_string()))?
        .with_platform_verifier()
        .map_err(|e| TransportError::Verifier(e.to_string()))?
        .with_no_client_auth())
}

/// Reads at most [`MAX_REPLY_BYTES`]; a longer body is a protocol failure, not a buffer.
async fn bounded_body(mut response: Response) -> Result<Vec<u8>, Failure> {
    let too_long = || Failure::Protocol {
        message: "the reply is too long".into(),
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_REPLY_BYTES)
    {
        return Err(too_long());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Failure::Network {
        message: format!("reading the reply: {e}"),
    })? {
        let len = u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX);
        if len > MAX_REPLY_BYTES {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn json_body(response: Reply) -> Result<serde_json::Value, Failure> {
    let body = response.body?;
    serde_json::from_slice(&body).map_err(|e| Failure::Protocol {
        message: format!("the reply is not JSON: {e}"),
    })
}

fn expect_state(body: &serde_json::Value, state: &str) -> Result<(), Failure> {
    match body.get("state").and_then(|s| s.as_str()) {
        Some(s) if s == state => Ok(()),
        other => Err(Failure::Protocol {
            message: format!("expected state {state:?}, the relay said {other:?}"),
        }),
    }
}

/// An HTTP error reply: status, the problem `type` (if the body is problem+json) and the
/// `Retry-After` delay.
fn http_failure(response: Reply) -> Failure {
    let status = response.status.as_u16();
    let retry_after_ms = retry_after_ms(&response.headers, Timestamp::now());
    let is_problem = response
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    let problem = if is_problem {
        response
            .body
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
    } else {
        None
    };
    Failure::Http {
        status,
        problem,
        retry_after_ms,
    }
}

/// `Retry-After` as delta-seconds or an HTTP date (RFC 9110 § 10.2.3), else
/// `RateLimit-Reset` (seconds); in milliseconds from `now`. The outbox caps it.
pub fn retry_after_ms(headers: &HeaderMap, now: Timestamp) -> Option<u64> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = text(RETRY_AFTER.as_str()) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(seconds.saturating_mul(1000));
        }
        if let Ok(at) = jiff::fmt::rfc2822::parse(value) {
            let ms = at.timestamp().duration_since(now).as_millis();
            return Some(u64::try_from(ms.max(0)).unwrap_or(u64::MAX));
        }
    }
    text("ratelimit-reset")
        .and_then(|v| v.parse::<u64>().ok())
        .map(|s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn only_https_or_loopback_http() {
        assert!(endpoint_allowed("https://relay.example/fsp/v1"));
        assert!(endpoint_allowed("http://127.0.0.1:8080/fsp/v1"));
        assert!(endpoint_allowed("http://[::1]:8080"));
        assert!(endpoint_allowed("http://localhost:1"));
        assert!(!endpoint_allowed("http://127.0.0.1.evil.example/"));
        assert!(!endpoint_allowed("http://relay.example/fsp/v1"));
        assert!(!endpoint_allowed("ftp://127.0.0.1/"));
        assert!(!endpoint_allowed("https://"));
        let key: DeviceSigner = Arc::new(ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        assert!(HttpTransport::new("http://10.0.0.1/", Arc::clone(&key)).is_err());
    }

    #[test]
    fn https_clients_build_with_the_platform_verifier_on_either_runtime() {
        let key: DeviceSigner = Arc::new(ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        // Its own current-thread runtime (the CLI's way).
        assert!(HttpTransport::new("https://relay.example/fsp/v1", Arc::clone(&key)).is_ok());
        // A caller's multi-thread runtime (the FFI's way).
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let t = HttpTransport::on(rt.handle().clone(), "https://relay.example/fsp/v1", key);
        assert!(matches!(t.map(|t| t.exec), Ok(Exec::On(_))));
    }

    #[test]
    fn a_refused_connection_is_a_network_failure_on_the_callers_runtime() {
        // A port nobody listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let key: DeviceSigner = Arc::new(ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
        let mut t = HttpTransport::on(
            rt.handle().clone(),
            &format!("http://127.0.0.1:{port}/fsp/v1"),
            key,
        )
        .expect("loopback");
        // Blocked on from a thread outside the runtime's workers, as the FFI does.
        let failure = rt
            .block_on(rt.spawn_blocking(move || t.events(Uuid::nil(), -1)))
            .expect("joined");
        assert!(
            matches!(failure, Err(Failure::Network { .. })),
            "{failure:?}"
        );
    }

    #[test]
    fn retry_after_seconds_date_and_ratelimit_reset() {
        let now: Timestamp = "2027-03-01T10:00:00Z".parse().expect("RFC 3339");
        let mut h = HeaderMap::new();
        assert_eq!(retry_after_ms(&h, now), None);
        h.insert("ratelimit-reset", HeaderValue::from_static("7"));
        assert_eq!(retry_after_ms(&h, now), Some(7_000));
        h.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after_ms(&h, now), Some(120_000));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Mon, 01 Mar 2027 10:00:30 GMT"),
        );
        assert_eq!(retry_after_ms(&h, now), Some(30_000));
        // A date in the past means "now", not a negative or wrapped delay.
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Mon, 01 Mar 2027 09:00:00 GMT"),
        );
        assert_eq!(retry_after_ms(&h, now), Some(0));
    }
}
