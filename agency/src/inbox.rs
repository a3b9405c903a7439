//! The agency's subscriber (`elternkit-agency inbox`): lists the destination's submitted
//! submissions on the relay, downloads each, runs [`intake::open_and_verify`] and posts the
//! agency-signed `accepted` (with an Aktenzeichen, the agency's case number) or `rejected`
//! (with its problem) event at the chain's next place (`docs/PROTOCOL.md` § 5.2, § 7).
//!
//! Blocking HTTP (reqwest, rustls with ring): an agency runs it as a job or a thread. A
//! submission that already has a final event is skipped, so polling again is harmless, and
//! a post that lost the race for its place in the chain is signed again at the new place.

use std::io::Read as _;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use jiff::Timestamp;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use elternkit_directory::Destination;
use elternkit_submit::Opener;
use elternkit_submit::envelope::{MAX_MANIFEST_BYTES, MAX_PAYLOAD_BYTES, Manifest};
use elternkit_submit::events::{self, Claims, EventKind, chain_hash};

use crate::intake::{self, Checked, Delivery, Rejection};
use crate::relay::ciphertext_bound;

/// How often a post is signed again after another event took its place.
const POST_TRIES: usize = 4;
/// The largest JSON reply the inbox reads (a list of 100 submissions, an event chain).
const MAX_JSON_REPLY: u64 = 1024 * 1024;

/// What went wrong talking to the relay (not a verdict about a submission).
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("the relay could not be reached: {0}")]
    Network(String),
    #[error("the relay answered {status} to {what}: {detail}")]
    Http {
        what: String,
        status: u16,
        detail: String,
    },
    #[error("the relay's reply to {what} is not what FSP/1 promises: {detail}")]
    Protocol { what: String, detail: String },
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// What the inbox did with one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted {
        aktenzeichen: String,
    },
    Rejected(Rejection),
    /// A final event was there already (an earlier run, another inbox instance).
    AlreadyFinal,
}

/// The subscriber of one destination.
pub struct Inbox {
    client: reqwest::blocking::Client,
    endpoint: String,
    token: String,
    destination: Destination,
    opener: Opener,
    event_key: SigningKey,
    event_kid: String,
    /// The relay's list cursor: submissions after it are new to this inbox.
    pub cursor: i64,
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("endpoint", &self.endpoint)
            .field("destination", &self.destination.destination_id)
            .field("event_kid", &self.event_kid)
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

impl Inbox {
    /// `endpoint`: the relay base; `token`: the subscriber's bearer token; `opener`: the
    /// agency's age identities; `event_key` with its `kid` as the directory lists it.
    pub fn new(
        endpoint: &str,
        token: &str,
        destination: Destination,
        opener: Opener,
        event_key: SigningKey,
        event_kid: &str,
    ) -> Result<Self, InboxError> {
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| InboxError::Client(e.to_string()))?;
        Ok(Self {
            client,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            destination,
            opener,
            event_key,
            event_kid: event_kid.to_owned(),
            cursor: 0,
        })
    }

    /// One round: every submission listed after the cursor is opened, checked and answered.
    /// `aktenzeichen` gives the case number of an accepted one. `now` is the events' `iat`.
    pub fn poll(
        &mut self,
        now: Timestamp,
        aktenzeichen: &mut dyn FnMut(&Checked) -> String,
    ) -> Result<Vec<(Uuid, Outcome)>, InboxError> {
        let mut out = Vec::new();
        loop {
            let path = format!(
                "/destinations/{}/submissions?cursor={}&limit=100",
                self.destination.destination_id, self.cursor
            );
            let list = self.get_json(&path)?;
            let items = list["submissions"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return Ok(out);
            }
            for item in &items {
                let sid: Uuid = item["submissionId"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| protocol(&path, "a listed submissionId is not a UUID"))?;
                let outcome = self.handle(sid, now, aktenzeichen)?;
                out.push((sid, outcome));
            }
            self.cursor = list["nextCursor"]
                .as_i64()
                .ok_or_else(|| protocol(&path, "no nextCursor"))?;
        }
    }

    /// Opens, checks and answers one submission.
    pub fn handle(
        &self,
        sid: Uuid,
        now: Timestamp,
        aktenzeichen: &mut dyn FnMut(&Checked) -> String,
    ) -> Result<Outcome, InboxError> {
        if self.has_final(sid)? {
            return Ok(Outcome::AlreadyFinal);
        }
        let (manifest_sha256, verdict) = match self.download(sid)? {
            Err(rejection) => (None, Err(rejection)),
            Ok(delivery) => {
                let sha = events::sha256_hex(&delivery.manifest);
                (
                    Some(sha),
                    intake::open_and_verify(&self.opener, &self.destination, &delivery),
                )
            }
        };
        let (kind, content, outcome) = match verdict {
            Ok(checked) => {
                let az = aktenzeichen(&checked);
                (
                    EventKind::Accepted,
                    json!({"manifestSha256": checked.opened.manifest_sha256, "aktenzeichen": az}),
                    Outcome::Accepted { aktenzeichen: az },
                )
            }
            Err(rejection) => {
                let mut content = json!({"problems": [rejection.problem_json()]});
                if let Some(sha) = manifest_sha256 {
                    content["manifestSha256"] = json!(sha);
                }
                (EventKind::Rejected, content, Outcome::Rejected(rejection))
            }
        };
        match self.post(sid, kind, content, now)? {
            Posted::Done => Ok(outcome),
            Posted::FinalThere => Ok(Outcome::AlreadyFinal),
        }
    }

    /// The manifest, signature and ciphertexts; a manifest the inbox cannot even read is a
    /// verdict (`schema-invalid`), not an error of the relay.
    fn download(&self, sid: Uuid) -> Result<Result<Delivery, Rejection>, InboxError> {
        let path = format!("/submissions/{sid}");
        let meta = self.get_json(&path)?;
        let field = |name: &str| -> Result<Vec<u8>, InboxError> {
            meta[name]
                .as_str()
                .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
                .ok_or_else(|| protocol(&path, &format!("{name} is not base64url")))
        };
        let manifest_bytes = field("manifest")?;
        let signature = field("manifestSignature")?;
        let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
            Ok(m) => m,
            Err(e) => {
                return Ok(Err(Rejection {
                    problem: "schema-invalid",
                    detail: format!("the manifest is not FSP/1 JSON: {e}"),
                }));
            }
        };
        let payload = self.get_bytes(
            &format!("/submissions/{sid}/payload"),
            ciphertext_bound(MAX_PAYLOAD_BYTES),
        )?;
        let limit = ciphertext_bound(self.destination.limits.max_attachment_bytes);
        let mut attachments = Vec::with_capacity(manifest.attachments.len());
        for a in &manifest.attachments {
            let bytes = self.get_bytes(
                &format!("/submissions/{sid}/attachments/{}", a.attachment_id),
                limit,
            )?;
            attachments.push((a.attachment_id, bytes));
        }
        Ok(Ok(Delivery {
            manifest: manifest_bytes,
            signature,
            payload,
            attachments,
        }))
    }

    fn chain(&self, sid: Uuid) -> Result<Vec<String>, InboxError> {
        let path = format!("/submissions/{sid}/events");
        let body = self.get_json(&path)?;
        body["events"]
            .as_array()
            .and_then(|a| a.iter().map(|e| e.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| protocol(&path, "events is not a list of JWS"))
    }

    fn has_final(&self, sid: Uuid) -> Result<bool, InboxError> {
        Ok(self.chain(sid)?.iter().any(|j| {
            events::decode(j)
                .ok()
                .and_then(|d| d.claims.event().ok().map(|(k, _)| k.is_final()))
                .unwrap_or(false)
        }))
    }

    /// Signs `kind` at the chain's next place and posts it; signs again if the place was
    /// taken meanwhile.
    fn post(
        &self,
        sid: Uuid,
        kind: EventKind,
        content: Value,
        now: Timestamp,
    ) -> Result<Posted, InboxError> {
        let path = format!("/submissions/{sid}/events");
        for _ in 0..POST_TRIES {
            let chain = self.chain(sid)?;
            let first = chain
                .first()
                .and_then(|j| events::decode(j).ok())
                .ok_or_else(|| protocol(&path, "the chain has no announced event"))?;
            let mut ev = Map::new();
            ev.insert(kind.urn(), content.clone());
            let claims = Claims {
                jti: Uuid::new_v4(),
                iss: self.destination.destination_id.clone(),
                iat: now.as_second(),
                sub: format!("submission:{sid}"),
                txn: first.claims.txn,
                seq: u64::try_from(chain.len()).unwrap_or(u64::MAX),
                prev: chain.last().map(|j| chain_hash(j)).unwrap_or_default(),
                events: ev,
            };
            let jws = events::sign(&self.event_key, &self.event_kid, &claims);
            let response = self
                .client
                .post(format!("{}{path}", self.endpoint))
                .bearer_auth(&self.token)
                .header(reqwest::header::CONTENT_TYPE, "application/jose")
                .body(jws)
                .send()
                .map_err(|e| InboxError::Network(e.to_string()))?;
            let status = response.status().as_u16();
            if response.status().is_success() {
                return Ok(Posted::Done);
            }
            let problem = read_limited(response, MAX_JSON_REPLY)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .unwrap_or(Value::Null);
            match problem["type"].as_str() {
                Some("urn:fsp:problem:stale-chain") => continue,
                Some("urn:fsp:problem:event-conflict") if self.has_final(sid)? => {
                    return Ok(Posted::FinalThere);
                }
                _ => {
                    return Err(InboxError::Http {
                        what: path,
                        status,
                        detail: problem["detail"].as_str().unwrap_or_default().to_owned(),
                    });
                }
            }
        }
        Err(protocol(&path, "the chain kept moving; try again later"))
    }

    fn get(&self, path: &str) -> Result<reqwest::blocking::Response, InboxError> {
        let response = self
            .client
            .get(format!("{}{path}", self.endpoint))
            .bearer_auth(&self.token)
            .send()
            .map_err(|e| InboxError::Network(e.to_string()))?;
        if response.status().is_success() {
            Ok(response)
        } else {
            let status = response.status().as_u16();
            let detail = read_limited(response, MAX_JSON_REPLY)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .and_then(|v| v["type"].as_str().map(str::to_owned))
                .unwrap_or_default();
            Err(InboxError::Http {
                what: path.to_owned(),
                status,
                detail,
            })
        }
    }

    fn get_json(&self, path: &str) -> Result<Value, InboxError> {
        let bytes = self.get_bytes(path, MAX_JSON_REPLY.max(MAX_MANIFEST_BYTES as u64 * 2))?;
        serde_json::from_slice(&bytes).map_err(|e| protocol(path, &e.to_string()))
    }

    fn get_bytes(&self, path: &str, max: u64) -> Result<Vec<u8>, InboxError> {
        read_limited(self.get(path)?, max).map_err(|detail| protocol(path, &detail))
    }
}

enum Posted {
    Done,
    FinalThere,
}

fn protocol(what: &str, detail: &str) -> InboxError {
    InboxError::Protocol {
        what: what.to_owned(),
        detail: detail.to_owned(),
    }
}

/// Reads at most `max` bytes; a longer body is refused, not buffered.
fn read_limited(response: reqwest::blocking::Response, max: u64) -> Result<Vec<u8>, String> {
    if response.content_length().is_some_and(|n| n > max) {
        return Err(format!("the reply is over {max} bytes"));
    }
    let mut body = Vec::new();
    response
        .take(max.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    if body.len() as u64 > max {
        return Err(format!("the reply is over {max} bytes"));
    }
    Ok(body)
}
