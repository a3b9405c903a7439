//! Events on the relay (`docs/PROTOCOL.md` § 5.2, § 7): `GET /submissions/{sid}/events`,
//! `POST /submissions/{sid}/events` (an agency-signed SET, verified against the directory's
//! `eventKeys`, idempotent by `jti`) and the relay-signed `retrieved` event on the first
//! fetch of a ciphertext.
//!
//! Seq 0 and 1 are the `announced` and `submitted` receipts kept in the submission row; the
//! store holds seq ≥ 2. Every event names its place in the chain (`seq`, `prev`) inside its
//! signature, so the agency signs against the chain it read: when another event took the
//! place meanwhile, the post is answered `409 stale-chain` and the agency reads and signs
//! again. `(sid, seq)` is unique in the store, so at most one final event can ever be added.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use elternkit_submit::events::{
    self, Claims, EventKeys, EventKind, MAX_EVENT_BYTES, Signer, chain_hash, may_follow,
};

use crate::problem::Problem;
use crate::relay::{
    Relay, Reply, authenticate, content_type_is, json_reply, load, parse_sid, read_body,
    stored_manifest, subscriber,
};
use crate::store::{Appended, State as RowState, StoredEvent, Submission};

/// How often the relay re-reads the chain when another writer took the next place.
const APPEND_TRIES: usize = 4;

/// The states a `status` event may report (§ 7).
pub const STATUS_STATES: [&str; 3] = [
    "in_bearbeitung",
    "unterlagen_nachgefordert",
    "bescheid_erlassen",
];

/// The whole chain of `row`, seq 0 first.
pub(crate) async fn chain(relay: &Relay, row: &Submission) -> Result<Vec<String>, Problem> {
    let mut out = vec![row.announce_receipt.clone()];
    let Some(receipt) = &row.receipt else {
        return Ok(out);
    };
    out.push(receipt.clone());
    let sid = row.submission_id;
    let stored = relay.blocking(move |s| s.events(sid, 1)).await?;
    for (i, e) in stored.into_iter().enumerate() {
        // The store hands out seq 2, 3, … without gaps; anything else is damage.
        if usize::try_from(e.seq).ok() != Some(i + 2) {
            return Err(Problem::unavailable("the stored event chain has a gap"));
        }
        out.push(e.jws);
    }
    Ok(out)
}

fn kinds(chain: &[String]) -> Vec<EventKind> {
    chain
        .iter()
        .filter_map(|j| events::decode(j).ok()?.claims.event().ok().map(|(k, _)| k))
        .collect()
}

#[derive(Deserialize)]
pub(crate) struct AfterQuery {
    after: Option<i64>,
}

/// `GET /submissions/{sid}/events?after=<seq>`: `{events:[JWS…], nextSeq}`. Readable by the
/// announcing device (a signed request, § 5.1) and by the destination's subscriber (its
/// bearer token); anyone else learns nothing.
pub(crate) async fn list(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<AfterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let reply = async {
        let sid = parse_sid(&sid)?;
        let Ok(Query(q)) = query else {
            return Err(Problem::malformed("after must be an integer"));
        };
        let row = if headers.contains_key(header::AUTHORIZATION) {
            let destination = subscriber(&relay, &headers)?;
            let row = load(&relay, sid).await?;
            if row.destination_id != destination {
                return Err(Problem::unknown_submission());
            }
            row
        } else {
            let device = authenticate(&relay, &method, &uri, &headers).await?;
            let row = load(&relay, sid).await?;
            device.owns(&stored_manifest(&row)?)?;
            row
        };
        let all = chain(&relay, &row).await?;
        let next = all.len();
        let after = q.after.unwrap_or(-1);
        let skip = usize::try_from(after.saturating_add(1)).unwrap_or(0);
        let events: Vec<&String> = all.iter().skip(skip).collect();
        Ok::<_, Problem>(json_reply(
            StatusCode::OK,
            json!({"events": events, "nextSeq": next}),
        ))
    };
    reply
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

/// `POST /submissions/{sid}/events` (subscriber): one agency-signed SET, `application/jose`.
pub(crate) async fn post(
    State(relay): State<Relay>,
    Path(sid): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    post_inner(relay, sid, headers, body)
        .await
        .unwrap_or_else(|p| p.at(uri.path()).into_response())
}

fn conflict(detail: impl Into<String>) -> Problem {
    Problem::conflict("event-conflict", detail)
}

async fn post_inner(relay: Relay, sid: String, headers: HeaderMap, body: Body) -> Reply {
    let sid = parse_sid(&sid)?;
    let destination = subscriber(&relay, &headers)?;
    content_type_is(&headers, "application/jose")?;
    let bytes = read_body(&headers, body, MAX_EVENT_BYTES).await?;
    let jws = std::str::from_utf8(&bytes)
        .map_err(|_| Problem::malformed("the event is not a compact JWS"))?
        .trim()
        .to_owned();
    let row = load(&relay, sid).await?;
    if row.destination_id != destination {
        return Err(Problem::unknown_submission());
    }
    let dest = relay
        .directory
        .destination(&row.destination_id)
        .ok_or_else(|| {
            Problem::unprocessable(
                "destination-state-invalid",
                "the destination is no longer in the directory",
            )
        })?;
    let signature_invalid = |e: events::EventError| {
        Problem::unprocessable("signature-invalid", format!("the event: {e}"))
    };
    let decoded = events::decode(&jws).map_err(|e| Problem::malformed(e.to_string()))?;
    // Only the destination's own event keys may sign what is posted here.
    let keys = EventKeys {
        relay: Vec::new(),
        ..EventKeys::for_destination(dest)
    };
    let kind = keys.verify(&decoded).map_err(signature_invalid)?;
    if kind.signer() == Signer::Relay {
        return Err(signature_invalid(events::EventError::UnknownKey {
            kid: decoded.kid.clone(),
            event: kind.name(),
        }));
    }
    let claims = decoded.claims;
    check_agency_event(&row, &claims, kind)?;
    if row.state != RowState::Submitted {
        return Err(conflict("the submission is not submitted"));
    }

    for _ in 0..APPEND_TRIES {
        let all = chain(&relay, &row).await?;
        // Idempotent by jti: the identical token again is answered as the first time.
        let jti = claims.jti;
        if let Some((seq, stored)) = all
            .iter()
            .enumerate()
            .find(|(_, j)| events::decode(j).is_ok_and(|d| d.claims.jti == jti))
        {
            return if *stored == jws {
                Ok(json_reply(StatusCode::OK, json!({"seq": seq})))
            } else {
                Err(conflict("another event has this jti"))
            };
        }
        let before = kinds(&all);
        if kind.is_final() && before.iter().any(|k| k.is_final()) {
            return Err(conflict("the submission already has a final event"));
        }
        if !may_follow(before.iter().copied(), kind) {
            return Err(conflict("no event may follow the final one"));
        }
        let next = all.len();
        let prev = all.last().map(|j| chain_hash(j)).unwrap_or_default();
        if usize::try_from(claims.seq).ok() != Some(next) || claims.prev != prev {
            return Err(Problem::conflict(
                "stale-chain",
                format!(
                    "the chain's next place is seq {next} after prev {prev}; \
                     read the events and sign again"
                ),
            ));
        }
        let stored = StoredEvent {
            seq: i64::try_from(next).unwrap_or(i64::MAX),
            jti,
            kind: kind.name().to_owned(),
            jws: jws.clone(),
        };
        match relay
            .blocking(move |s| s.append_event(sid, &stored))
            .await?
        {
            Appended::Added => {
                return Ok(json_reply(StatusCode::CREATED, json!({"seq": next})));
            }
            Appended::JtiExists(e) if e.jws == jws => {
                return Ok(json_reply(StatusCode::OK, json!({"seq": e.seq})));
            }
            Appended::JtiExists(_) => return Err(conflict("another event has this jti")),
            // Another writer took the place: read the chain again (the answer becomes a
            // stale-chain, a duplicate or a second final).
            Appended::SeqTaken => continue,
        }
    }
    Err(Problem::unavailable("the event chain is busy; try again"))
}

/// What an agency event must say about this submission.
fn check_agency_event(row: &Submission, claims: &Claims, kind: EventKind) -> Result<(), Problem> {
    let bad = |detail: String| Problem::unprocessable("schema-invalid", detail);
    if claims.submission_id() != Some(row.submission_id) {
        return Err(bad("sub is not this submission".into()));
    }
    if claims.txn != format!("case:{}", row.case_id) {
        return Err(bad("txn is not this submission's case".into()));
    }
    let (_, content) = claims.event().map_err(|e| bad(e.to_string()))?;
    match kind {
        EventKind::Accepted => {
            if content.get("manifestSha256").and_then(Value::as_str)
                != Some(row.manifest_sha256.as_str())
            {
                return Err(bad("accepted names another manifest".into()));
            }
            if content
                .get("aktenzeichen")
                .is_some_and(|a| !a.as_str().is_some_and(|s| !s.is_empty() && s.len() <= 200))
            {
                return Err(bad("aktenzeichen is not a short text".into()));
            }
        }
        EventKind::Rejected => {
            let ok = content
                .get("problems")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty() && p.iter().all(|x| x.get("type").is_some()));
            if !ok {
                return Err(bad("rejected must list problems with a type".into()));
            }
        }
        EventKind::Status => {
            let state = content.get("state").and_then(Value::as_str);
            if !state.is_some_and(|s| STATUS_STATES.contains(&s)) {
                return Err(bad(format!(
                    "status.state must be one of {}",
                    STATUS_STATES.join(", ")
                )));
            }
        }
        _ => return Err(bad(format!("{} is not an agency event", kind.name()))),
    }
    Ok(())
}

/// Records the relay-signed `retrieved` event the first time the subscriber fetches a
/// ciphertext of `row` (a later fetch, or one after a final event, adds nothing).
pub(crate) async fn record_retrieved(relay: &Relay, row: &Submission) -> Result<(), Problem> {
    let sid = row.submission_id;
    for _ in 0..APPEND_TRIES {
        let all = chain(relay, row).await?;
        let before = kinds(&all);
        if before.contains(&EventKind::Retrieved) || !may_follow(before, EventKind::Retrieved) {
            return Ok(());
        }
        let now = (relay.clock)();
        let mut content = Map::new();
        content.insert(
            EventKind::Retrieved.urn(),
            json!({"client": row.destination_id, "at": now}),
        );
        let seq = all.len();
        let claims = Claims {
            jti: Uuid::new_v4(),
            iss: String::new(),
            iat: now.as_second(),
            sub: format!("submission:{sid}"),
            txn: format!("case:{}", row.case_id),
            seq: u64::try_from(seq).unwrap_or(u64::MAX),
            prev: all.last().map(|j| chain_hash(j)).unwrap_or_default(),
            events: content,
        };
        let jws = relay.key.sign_claims(claims.clone());
        let stored = StoredEvent {
            seq: i64::try_from(seq).unwrap_or(i64::MAX),
            jti: claims.jti,
            kind: EventKind::Retrieved.name().to_owned(),
            jws,
        };
        match relay
            .blocking(move |s| s.append_event(sid, &stored))
            .await?
        {
            Appended::Added | Appended::JtiExists(_) => return Ok(()),
            Appended::SeqTaken => continue,
        }
    }
    Err(Problem::unavailable("the event chain is busy; try again"))
}
