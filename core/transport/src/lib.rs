//! The app's FSP/1 transport: [`elternkit_submit::outbox::Transport`] over reqwest's
//! blocking client (rustls with the *ring* provider, webpki roots; no OpenSSL, no aws-lc).
//!
//! Every reply is mapped onto the outbox's [`Failure`] classes (`docs/PROTOCOL.md` § 10):
//! no response → `Network`; an HTTP error → `Http{status, problem, retry_after_ms}` with the
//! problem+json `type` and `Retry-After`; a 2xx that is not what FSP/1 promises →
//! `Protocol`. Bodies read from the network are bounded before they are buffered.
//!
//! Every request is signed with the device key (RFC 9421, `elternkit_submit::httpsig`): a
//! fresh `created` and nonce each time, retries included, so the relay's replay check never
//! refuses a genuine retry.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use elternkit_submit::Signer;
use elternkit_submit::httpsig;
use elternkit_submit::outbox::{Failure, PartRef, Transport};
use jiff::Timestamp;
use reqwest::blocking::{Client, Response};
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
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
}

/// The device key that signs every request (the same key that signs the manifests).
pub type DeviceSigner = Arc<dyn Signer + Send + Sync>;

/// The clock whose seconds go into `created` (an input so tests can skew it).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The FSP/1 sender endpoints of one destination.
#[derive(Clone)]
pub struct HttpTransport {
    client: Client,
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
    /// submission to the key that announced it).
    pub fn new(endpoint: &str, signer: DeviceSigner) -> Result<Self, TransportError> {
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        if !endpoint_allowed(&endpoint) {
            return Err(TransportError::InsecureEndpoint(endpoint));
        }
        let client = Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // A redirect would move a request to a host the directory did not name.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("elternkit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::Client(e.to_string()))?;
        Ok(Self {
            client,
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

    /// Sends one signed request. A key that cannot sign is a failure for the user (the
    /// platform keystore is locked or lost), not a retry.
    fn send(
        &self,
        method: Method,
        url: String,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Response, Failure> {
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
        request.body(body).send().map_err(network)
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
        match response.status() {
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
        if response.status() != StatusCode::OK {
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
        match response.status() {
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
        match response.status() {
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
        match response.status() {
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

/// Reads at most [`MAX_REPLY_BYTES`]; a longer body is a protocol failure, not a buffer.
fn bounded_body(response: Response) -> Result<Vec<u8>, Failure> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_REPLY_BYTES)
    {
        return Err(Failure::Protocol {
            message: "the reply is too long".into(),
        });
    }
    let mut body = Vec::new();
    response
        .take(MAX_REPLY_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| Failure::Network {
            message: format!("reading the reply: {e}"),
        })?;
    if u64::try_from(body.len()).unwrap_or(u64::MAX) > MAX_REPLY_BYTES {
        return Err(Failure::Protocol {
            message: "the reply is too long".into(),
        });
    }
    Ok(body)
}

fn json_body(response: Response) -> Result<serde_json::Value, Failure> {
    let body = bounded_body(response)?;
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
fn http_failure(response: Response) -> Failure {
    let status = response.status().as_u16();
    let retry_after_ms = retry_after_ms(response.headers(), Timestamp::now());
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    let problem = if is_problem {
        bounded_body(response)
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
        assert!(HttpTransport::new("http://10.0.0.1/", key).is_err());
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
