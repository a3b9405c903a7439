//! FSP/1 events (`docs/PROTOCOL.md` § 7, SUBMISSION.md § 6.5): Security Event Tokens as
//! compact JWS (`alg: EdDSA`, `typ: secevent+jwt`), signed by the relay (`announced`,
//! `submitted`, `retrieved`, `expired`, `deleted`) or by the destination's event key
//! (`accepted`, `rejected`, `status`), and chained per submission: `seq` counts from 0, the
//! `prev` of event 0 is the SHA-256 of the manifest bytes, every later `prev` the SHA-256 of
//! the previous event's compact JWS.
//!
//! Signing, decoding and the whole-chain check live here, without I/O, because the relay,
//! the agency's inbox and the app all need the same rules.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

use elternkit_directory::{Destination, Jwk};

use crate::to_hex;

/// The prefix of every event name in `events`.
pub const EVENT_PREFIX: &str = "urn:fsp:event:";
/// An event JWS longer than this is refused before it is decoded (a `rejected` with a few
/// problems is well under 4 KiB).
pub const MAX_EVENT_BYTES: usize = 16 * 1024;

/// The event names of § 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Announced,
    Submitted,
    Retrieved,
    Accepted,
    Rejected,
    Status,
    Expired,
    Deleted,
}

/// Who must have signed an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    Relay,
    Agency,
    /// `rejected`: the agency, or the relay for `not-retrieved-in-time`.
    RelayOrAgency,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::Announced,
        EventKind::Submitted,
        EventKind::Retrieved,
        EventKind::Accepted,
        EventKind::Rejected,
        EventKind::Status,
        EventKind::Expired,
        EventKind::Deleted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Announced => "announced",
            EventKind::Submitted => "submitted",
            EventKind::Retrieved => "retrieved",
            EventKind::Accepted => "accepted",
            EventKind::Rejected => "rejected",
            EventKind::Status => "status",
            EventKind::Expired => "expired",
            EventKind::Deleted => "deleted",
        }
    }

    /// `urn:fsp:event:<name>`.
    pub fn urn(self) -> String {
        format!("{EVENT_PREFIX}{}", self.name())
    }

    pub fn from_urn(urn: &str) -> Option<Self> {
        let name = urn.strip_prefix(EVENT_PREFIX)?;
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// A final event ends the case on the relay: no second one is accepted, and after it
    /// only the agency's `status` (after `accepted`) ([`may_follow`]).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            EventKind::Accepted | EventKind::Rejected | EventKind::Expired | EventKind::Deleted
        )
    }

    pub fn signer(self) -> Signer {
        match self {
            EventKind::Accepted | EventKind::Status => Signer::Agency,
            EventKind::Rejected => Signer::RelayOrAgency,
            _ => Signer::Relay,
        }
    }
}

/// The claims of an FSP/1 event. Unknown claims are refused: the signer decides every byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    pub jti: Uuid,
    /// The relay's URL, or the `destinationId` for an agency event.
    pub iss: String,
    /// Seconds since the epoch.
    pub iat: i64,
    /// `submission:<sid>`.
    pub sub: String,
    /// `case:<caseId>`.
    pub txn: String,
    pub seq: u64,
    pub prev: String,
    /// Exactly one `urn:fsp:event:<name>` key.
    pub events: Map<String, Value>,
}

impl Claims {
    /// The one event this token carries and its content.
    pub fn event(&self) -> Result<(EventKind, &Value), EventError> {
        let mut it = self.events.iter();
        match (it.next(), it.next()) {
            (Some((urn, content)), None) => EventKind::from_urn(urn)
                .map(|k| (k, content))
                .ok_or_else(|| EventError::UnknownEvent(urn.clone())),
            _ => Err(EventError::NotOneEvent),
        }
    }

    /// The submission id in `sub`.
    pub fn submission_id(&self) -> Option<Uuid> {
        self.sub.strip_prefix("submission:")?.parse().ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
}

/// Why an event or a chain was refused.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum EventError {
    #[error("the event is not a compact JWS of at most {MAX_EVENT_BYTES} bytes")]
    Malformed,
    #[error("the event header is not EdDSA secevent+jwt with a kid")]
    Header,
    #[error("the event claims are not FSP/1 claims: {0}")]
    Claims(String),
    #[error("the event carries not exactly one event")]
    NotOneEvent,
    #[error("unknown event {0}")]
    UnknownEvent(String),
    #[error("key {kid} is not a key that may sign {event} events")]
    UnknownKey { kid: String, event: &'static str },
    #[error("the signature does not verify with key {kid}")]
    Signature { kid: String },
    #[error("event {seq} is about another submission or case")]
    WrongSubject { seq: u64 },
    #[error("event {index} has seq {seq}; the chain has a gap or is reordered")]
    Sequence { index: usize, seq: u64 },
    #[error("event {seq}'s prev does not hash the event before it")]
    BrokenChain { seq: u64 },
    #[error("event {seq}'s content is not what {event} carries: {reason}")]
    Content {
        seq: u64,
        event: &'static str,
        reason: String,
    },
    #[error("event {seq} follows a final event")]
    AfterFinal { seq: u64 },
}

/// An event decoded but not yet verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub kid: String,
    pub claims: Claims,
    signing_input: String,
    signature: Signature,
}

impl Decoded {
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), EventError> {
        key.verify_strict(self.signing_input.as_bytes(), &self.signature)
            .map_err(|_| EventError::Signature {
                kid: self.kid.clone(),
            })
    }
}

/// Signs `claims` as a compact JWS with `key`, naming `kid`.
pub fn sign(key: &SigningKey, kid: &str, claims: &Claims) -> String {
    let header = Header {
        alg: "EdDSA".into(),
        typ: "secevent+jwt".into(),
        kid: kid.into(),
    };
    // Serialising these plain structs cannot fail (string keys, no floats).
    let header = serde_json::to_vec(&header).unwrap_or_default();
    let body = serde_json::to_vec(claims).unwrap_or_default();
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(body)
    );
    let signature = ed25519_dalek::Signer::sign(key, signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

/// Decodes a compact JWS without verifying it.
pub fn decode(jws: &str) -> Result<Decoded, EventError> {
    if jws.len() > MAX_EVENT_BYTES {
        return Err(EventError::Malformed);
    }
    let mut parts = jws.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(EventError::Malformed);
    };
    let bytes = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|_| EventError::Malformed);
    let header: Header = serde_json::from_slice(&bytes(h)?).map_err(|_| EventError::Header)?;
    if header.alg != "EdDSA" || header.typ != "secevent+jwt" || header.kid.is_empty() {
        return Err(EventError::Header);
    }
    let signature: [u8; 64] = bytes(s)?.try_into().map_err(|_| EventError::Malformed)?;
    let claims: Claims =
        serde_json::from_slice(&bytes(c)?).map_err(|e| EventError::Claims(e.to_string()))?;
    Ok(Decoded {
        kid: header.kid,
        claims,
        signing_input: format!("{h}.{c}"),
        signature: Signature::from_bytes(&signature),
    })
}

/// The chain hash of an event: hex SHA-256 of its compact JWS.
pub fn chain_hash(jws: &str) -> String {
    to_hex(&Sha256::digest(jws.as_bytes()))
}

/// Hex SHA-256 of bytes: what `manifestSha256` and the first `prev` name of a manifest.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Key id of a relay receipt key: the first 16 hex digits of SHA-256 of the raw public key.
pub fn relay_kid(key: &VerifyingKey) -> String {
    to_hex(&Sha256::digest(key.as_bytes())[..8])
}

/// An Ed25519 public key from a JWK (RFC 8037, `OKP`/`Ed25519`).
pub fn jwk_key(jwk: &Jwk) -> Option<VerifyingKey> {
    if jwk.kty != "OKP" || jwk.crv != "Ed25519" {
        return None;
    }
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(&jwk.x).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// The keys a chain is checked against: the relay's receipt keys and the destination's event
/// keys, each by `kid`, both from the verified directory.
#[derive(Debug, Clone, Default)]
pub struct EventKeys {
    pub relay: Vec<(String, VerifyingKey)>,
    pub agency: Vec<(String, VerifyingKey)>,
    /// The `iss` of agency events: the destination id.
    pub destination_id: String,
}

impl EventKeys {
    /// The destination's event keys from the directory (a JWK that is not Ed25519 is left
    /// out; the directory refuses such keys when it loads) and the relay's receipt keys.
    pub fn for_destination(destination: &Destination) -> Self {
        Self {
            relay: destination
                .relay_keys
                .iter()
                .filter_map(|k| Some((k.kid.clone(), jwk_key(&k.jwk)?)))
                .collect(),
            agency: destination
                .event_keys
                .iter()
                .filter_map(|k| Some((k.kid.clone(), jwk_key(&k.jwk)?)))
                .collect(),
            destination_id: destination.destination_id.clone(),
        }
    }

    /// Verifies one decoded event's signature with a key allowed to sign its kind.
    pub fn verify(&self, decoded: &Decoded) -> Result<EventKind, EventError> {
        let (kind, _) = decoded.claims.event()?;
        let relay = || self.relay.iter().find(|(kid, _)| *kid == decoded.kid);
        let agency = || self.agency.iter().find(|(kid, _)| *kid == decoded.kid);
        let key = match kind.signer() {
            Signer::Relay => relay(),
            Signer::Agency => agency(),
            Signer::RelayOrAgency => agency().or_else(relay),
        }
        .ok_or_else(|| EventError::UnknownKey {
            kid: decoded.kid.clone(),
            event: kind.name(),
        })?;
        decoded.verify(&key.1)?;
        // An agency event names its destination as issuer.
        let by_agency = self.agency.iter().any(|(kid, _)| *kid == decoded.kid);
        if by_agency && decoded.claims.iss != self.destination_id {
            return Err(EventError::Content {
                seq: decoded.claims.seq,
                event: kind.name(),
                reason: format!("iss {:?} is not the destination", decoded.claims.iss),
            });
        }
        Ok(kind)
    }
}

/// Whether an event of `kind` may follow `before`: nothing follows a final event, except
/// the agency's `status` after its own `accepted` (the case goes on at the agency).
pub fn may_follow(before: impl IntoIterator<Item = EventKind>, kind: EventKind) -> bool {
    match before.into_iter().find(|k| k.is_final()) {
        None => true,
        Some(EventKind::Accepted) => kind == EventKind::Status,
        Some(_) => false,
    }
}

/// One event of a verified chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub kind: EventKind,
    pub claims: Claims,
    pub jws: String,
}

impl Verified {
    pub fn content(&self) -> &Value {
        self.claims.event().map(|(_, v)| v).unwrap_or(&Value::Null)
    }
}

/// Checks a submission's whole event list as the relay returned it: every signature with a
/// key allowed for its kind, `seq` 0, 1, 2… without gaps, each `prev` the hash of the one
/// before (event 0's the manifest hash), every `sub` this submission and every `txn` the
/// first event's, nothing after a final event, and what `announced`, `submitted` and
/// `accepted` say about the manifest. A prefix of the chain is verified the same way.
pub fn verify_chain(
    submission_id: Uuid,
    manifest_sha256: &str,
    events: &[String],
    keys: &EventKeys,
) -> Result<Vec<Verified>, EventError> {
    let sub = format!("submission:{submission_id}");
    let mut out: Vec<Verified> = Vec::with_capacity(events.len());
    let mut prev = manifest_sha256.to_owned();
    for (index, jws) in events.iter().enumerate() {
        let decoded = decode(jws)?;
        let kind = keys.verify(&decoded)?;
        let claims = decoded.claims;
        let seq = claims.seq;
        if usize::try_from(seq).ok() != Some(index) {
            return Err(EventError::Sequence { index, seq });
        }
        if claims.prev != prev {
            return Err(EventError::BrokenChain { seq });
        }
        let txn = out.first().map(|e| e.claims.txn.as_str());
        if claims.sub != sub || txn.is_some_and(|t| t != claims.txn) {
            return Err(EventError::WrongSubject { seq });
        }
        if !may_follow(out.iter().map(|e| e.kind), kind) {
            return Err(EventError::AfterFinal { seq });
        }
        let expected_first = match index {
            0 => Some(EventKind::Announced),
            1 => Some(EventKind::Submitted),
            _ => None,
        };
        let bad = |reason: String| EventError::Content {
            seq,
            event: kind.name(),
            reason,
        };
        if let Some(k) = expected_first {
            // Only the relay's own end states may stand in for the submitted receipt.
            if kind != k && !(index == 1 && matches!(kind, EventKind::Expired | EventKind::Deleted))
            {
                return Err(bad(format!("event {index} must be {}", k.name())));
            }
        } else if matches!(kind, EventKind::Announced | EventKind::Submitted) {
            return Err(bad("announced and submitted come first, once".into()));
        }
        let content = claims
            .events
            .values()
            .next()
            .cloned()
            .unwrap_or(Value::Null);
        if matches!(
            kind,
            EventKind::Announced | EventKind::Submitted | EventKind::Accepted
        ) && content.get("manifestSha256").and_then(Value::as_str) != Some(manifest_sha256)
        {
            return Err(bad("manifestSha256 is not this manifest's".into()));
        }
        let problems = content.get("problems").and_then(Value::as_array);
        if kind == EventKind::Rejected && problems.is_none_or(Vec::is_empty) {
            return Err(bad("a rejection names no problem".into()));
        }
        prev = chain_hash(jws);
        out.push(Verified {
            kind,
            claims,
            jws: jws.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_finals_are_the_four() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_urn(&k.urn()), Some(k));
        }
        assert_eq!(EventKind::from_urn("urn:fsp:event:nope"), None);
        let finals: Vec<_> = EventKind::ALL
            .into_iter()
            .filter(|k| k.is_final())
            .collect();
        assert_eq!(
            finals,
            [
                EventKind::Accepted,
                EventKind::Rejected,
                EventKind::Expired,
                EventKind::Deleted
            ]
        );
    }

    #[test]
    fn a_signed_event_decodes_and_verifies_only_with_its_key() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let mut events = Map::new();
        events.insert(EventKind::Retrieved.urn(), serde_json::json!({"at": 1}));
        let claims = Claims {
            jti: Uuid::from_u128(1),
            iss: "urn:relay".into(),
            iat: 1,
            sub: format!("submission:{}", Uuid::from_u128(2)),
            txn: "case:x".into(),
            seq: 2,
            prev: "00".into(),
            events,
        };
        let jws = sign(&key, "k", &claims);
        let d = decode(&jws).expect("decodes");
        assert_eq!(d.claims, claims);
        assert_eq!(d.claims.submission_id(), Some(Uuid::from_u128(2)));
        d.verify(&key.verifying_key()).expect("verifies");
        let other = SigningKey::from_bytes(&[4; 32]).verifying_key();
        assert!(matches!(
            d.verify(&other),
            Err(EventError::Signature { .. })
        ));
        // One changed claim byte breaks the signature.
        let mut parts: Vec<&str> = jws.split('.').collect();
        let tampered_claims = URL_SAFE_NO_PAD.encode(
            String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).expect("b64"))
                .expect("utf8")
                .replace("\"seq\":2", "\"seq\":3"),
        );
        parts[1] = &tampered_claims;
        let tampered = decode(&parts.join(".")).expect("still decodes");
        assert!(tampered.verify(&key.verifying_key()).is_err());
        assert_eq!(decode("a.b"), Err(EventError::Malformed));
        assert_eq!(
            decode(&"x".repeat(MAX_EVENT_BYTES + 1)),
            Err(EventError::Malformed)
        );
    }
}
