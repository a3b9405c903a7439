//! Events on a real relay on 127.0.0.1 (`docs/PROTOCOL.md` § 5.2, § 7): the `retrieved`
//! event on the first fetch, agency-signed events verified against the directory's event
//! keys, idempotent by `jti`, one final event only, and the hash chain the app verifies.

mod common;

use common::*;
use ed25519_dalek::SigningKey;
use elternkit_submit::Sealed;
use elternkit_submit::events::{self, Claims, EventError, EventKind, chain_hash, verify_chain};
use serde_json::{Map, Value, json};
use uuid::Uuid;

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

fn get_events(base: &str, sid: Uuid, after: Option<i64>) -> (Vec<String>, u64) {
    let url = match after {
        Some(a) => format!("{base}/submissions/{sid}/events?after={a}"),
        None => format!("{base}/submissions/{sid}/events"),
    };
    let r = device_get(&url);
    assert_eq!(r.status(), 200);
    let body: Value = serde_json::from_slice(&r.bytes().expect("body")).expect("JSON");
    let events = body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e.as_str().expect("a JWS").to_owned())
        .collect();
    (events, body["nextSeq"].as_u64().expect("nextSeq"))
}

/// Posts `jws` as the destination's subscriber; returns the status and the problem type.
fn post_event(base: &str, token: &str, sid: Uuid, jws: &str) -> (u16, Option<String>) {
    let r = client()
        .post(format!("{base}/submissions/{sid}/events"))
        .bearer_auth(token)
        .header("content-type", "application/jose")
        .body(jws.to_owned())
        .send()
        .expect("answers");
    let status = r.status().as_u16();
    let body: Value = serde_json::from_slice(&r.bytes().expect("body")).unwrap_or(Value::Null);
    (status, body["type"].as_str().map(str::to_owned))
}

/// An agency event at the chain's next place.
fn agency_event(
    sealed: &Sealed,
    chain: &[String],
    kind: EventKind,
    content: Value,
    key: &SigningKey,
    kid: &str,
) -> (Claims, String) {
    let first = events::decode(&chain[0]).expect("decodes");
    let mut ev = Map::new();
    ev.insert(kind.urn(), content);
    let claims = Claims {
        jti: Uuid::new_v4(),
        iss: sealed.manifest.destination_id.clone(),
        iat: now().as_second(),
        sub: format!("submission:{}", sealed.manifest.submission_id),
        txn: first.claims.txn,
        seq: chain.len() as u64,
        prev: chain_hash(chain.last().expect("a chain")),
        events: ev,
    };
    let jws = events::sign(key, kid, &claims);
    (claims, jws)
}

fn fetch_payload(base: &str, token: &str, sid: Uuid) {
    let r = client()
        .get(format!("{base}/submissions/{sid}/payload"))
        .bearer_auth(token)
        .send()
        .expect("answers");
    assert_eq!(r.status(), 200);
}

fn filed() -> (String, Sealed, elternkit_directory::Destination) {
    let (case, apps) = family();
    let app = apps
        .iter()
        .find(|a| a.benefit.is_some())
        .expect("a benefit application");
    let dest = destination_for(app);
    let base = start_relay(&[&dest.destination_id]);
    let sealed = seal_application(&case, app, &dest, Uuid::new_v4());
    file(&base, &sealed);
    (base, sealed, dest)
}

#[test]
fn the_first_fetch_is_receipted_and_the_agency_accepts_once() {
    let (base, sealed, dest) = filed();
    let sid = sealed.manifest.submission_id;
    let manifest_sha = envelope_sha(&sealed);
    let keys = event_keys(&dest);
    let (chain, next) = get_events(&base, sid, None);
    assert_eq!((chain.len(), next), (2, 2), "announced and submitted");

    // The first fetch adds one `retrieved` event; the next fetches add nothing.
    let token = token(&dest);
    for _ in 0..3 {
        fetch_payload(&base, &token, sid);
    }
    let (chain, next) = get_events(&base, sid, None);
    assert_eq!(next, 3);
    let verified = verify_chain(sid, &manifest_sha, &chain, &keys).expect("the chain verifies");
    assert_eq!(verified[2].kind, EventKind::Retrieved);
    assert_eq!(
        verified[2].content()["client"],
        dest.destination_id.as_str()
    );

    // The agency accepts with a case number.
    let (kid, key) = agency_key(&dest);
    let (_, accepted) = agency_event(
        &sealed,
        &chain,
        EventKind::Accepted,
        json!({"manifestSha256": manifest_sha, "aktenzeichen": "EG-2027-0001"}),
        &key,
        &kid,
    );
    assert_eq!(post_event(&base, &token, sid, &accepted), (201, None));
    // The identical token again is answered the same way and stored once.
    assert_eq!(post_event(&base, &token, sid, &accepted).0, 200);
    let (chain, next) = get_events(&base, sid, None);
    assert_eq!(next, 4);
    let verified = verify_chain(sid, &manifest_sha, &chain, &keys).expect("verifies");
    assert_eq!(verified[3].kind, EventKind::Accepted);
    assert_eq!(verified[3].content()["aktenzeichen"], "EG-2027-0001");
    let (tail, _) = get_events(&base, sid, Some(2));
    assert_eq!(tail, chain[3..].to_vec(), "after=2 gives seq 3 on");

    // A second final event is refused; a status after the acceptance is not.
    let (_, rejected) = agency_event(
        &sealed,
        &chain,
        EventKind::Rejected,
        json!({"problems": [{"type": "urn:fsp:problem:duplicate"}]}),
        &key,
        &kid,
    );
    assert_eq!(
        post_event(&base, &token, sid, &rejected),
        (409, Some("urn:fsp:problem:event-conflict".into()))
    );
    let (_, status) = agency_event(
        &sealed,
        &chain,
        EventKind::Status,
        json!({"state": "in_bearbeitung"}),
        &key,
        &kid,
    );
    assert_eq!(post_event(&base, &token, sid, &status).0, 201);
    // A token signed for a place already taken: read again and sign again.
    let (_, late) = agency_event(
        &sealed,
        &chain,
        EventKind::Status,
        json!({"state": "bescheid_erlassen"}),
        &key,
        &kid,
    );
    assert_eq!(
        post_event(&base, &token, sid, &late),
        (409, Some("urn:fsp:problem:stale-chain".into()))
    );
    let (chain, _) = get_events(&base, sid, None);
    assert_eq!(
        verify_chain(sid, &manifest_sha, &chain, &keys)
            .expect("verifies")
            .len(),
        5
    );
}

fn envelope_sha(sealed: &Sealed) -> String {
    elternkit_agency::receipt::sha256_hex(&sealed.manifest_bytes)
}

#[test]
fn an_event_not_signed_by_the_agency_is_refused() {
    let (base, sealed, dest) = filed();
    let sid = sealed.manifest.submission_id;
    let token = token(&dest);
    let manifest_sha = envelope_sha(&sealed);
    let (chain, _) = get_events(&base, sid, None);
    let accepted = json!({"manifestSha256": manifest_sha});
    let (kid, key) = agency_key(&dest);

    // Another key under the agency's kid, and another key under its own kid.
    let intruder = SigningKey::from_bytes(&[66; 32]);
    for (k, kid) in [(&intruder, kid.as_str()), (&intruder, "0123456789abcdef")] {
        let (_, jws) = agency_event(
            &sealed,
            &chain,
            EventKind::Accepted,
            accepted.clone(),
            k,
            kid,
        );
        assert_eq!(
            post_event(&base, &token, sid, &jws),
            (422, Some("urn:fsp:problem:signature-invalid".into()))
        );
    }
    // The relay's own key may not post agency events, nor the agency relay events.
    let relay = SigningKey::from_bytes(&relay_seed());
    let relay_kid = events::relay_kid(&relay.verifying_key());
    let (_, jws) = agency_event(
        &sealed,
        &chain,
        EventKind::Accepted,
        accepted.clone(),
        &relay,
        &relay_kid,
    );
    assert_eq!(post_event(&base, &token, sid, &jws).0, 422);
    let (_, jws) = agency_event(
        &sealed,
        &chain,
        EventKind::Retrieved,
        json!({"client": "x", "at": 0}),
        &key,
        &kid,
    );
    assert_eq!(post_event(&base, &token, sid, &jws).0, 422);
    // Accepting another manifest, or without the subscriber's token.
    let (_, jws) = agency_event(
        &sealed,
        &chain,
        EventKind::Accepted,
        json!({"manifestSha256": "00".repeat(32)}),
        &key,
        &kid,
    );
    assert_eq!(
        post_event(&base, &token, sid, &jws),
        (422, Some("urn:fsp:problem:schema-invalid".into()))
    );
    let (_, jws) = agency_event(
        &sealed,
        &chain,
        EventKind::Accepted,
        accepted.clone(),
        &key,
        &kid,
    );
    assert_eq!(post_event(&base, "guess", sid, &jws).0, 401);
    // Nothing of this was stored.
    let (after, _) = get_events(&base, sid, None);
    assert_eq!(after, chain);

    // The same jti with other content is a conflict, not a second event.
    let (claims, jws) = agency_event(&sealed, &chain, EventKind::Accepted, accepted, &key, &kid);
    assert_eq!(post_event(&base, &token, sid, &jws).0, 201);
    let (chain, _) = get_events(&base, sid, None);
    let mut again = claims;
    again.seq = chain.len() as u64;
    again.prev = chain_hash(chain.last().expect("chain"));
    let mut ev = Map::new();
    ev.insert(EventKind::Status.urn(), json!({"state": "in_bearbeitung"}));
    again.events = ev;
    assert_eq!(
        post_event(&base, &token, sid, &events::sign(&key, &kid, &again)),
        (409, Some("urn:fsp:problem:event-conflict".into()))
    );
}

#[test]
fn the_app_refuses_a_chain_with_a_dropped_forged_or_reordered_event() {
    let (base, sealed, dest) = filed();
    let sid = sealed.manifest.submission_id;
    let token = token(&dest);
    let manifest_sha = envelope_sha(&sealed);
    fetch_payload(&base, &token, sid);
    let (chain, _) = get_events(&base, sid, None);
    let (kid, key) = agency_key(&dest);
    let (_, jws) = agency_event(
        &sealed,
        &chain,
        EventKind::Accepted,
        json!({"manifestSha256": manifest_sha}),
        &key,
        &kid,
    );
    assert_eq!(post_event(&base, &token, sid, &jws).0, 201);
    let (chain, _) = get_events(&base, sid, None);
    let keys = event_keys(&dest);
    verify_chain(sid, &manifest_sha, &chain, &keys).expect("the real chain verifies");

    let mut dropped = chain.clone();
    dropped.remove(2);
    assert!(matches!(
        verify_chain(sid, &manifest_sha, &dropped, &keys),
        Err(EventError::Sequence { index: 2, seq: 3 })
    ));
    let mut swapped = chain.clone();
    swapped.swap(2, 3);
    assert!(verify_chain(sid, &manifest_sha, &swapped, &keys).is_err());
    // Another manifest: the chain's start does not hash it.
    assert!(matches!(
        verify_chain(sid, &"11".repeat(32), &chain, &keys),
        Err(EventError::BrokenChain { seq: 0 })
    ));
    // Receipts from a relay key the directory does not name.
    let mut no_relay = keys.clone();
    no_relay.relay.clear();
    assert!(matches!(
        verify_chain(sid, &manifest_sha, &chain, &no_relay),
        Err(EventError::UnknownKey { .. })
    ));
    // Another submission's chain.
    assert!(verify_chain(Uuid::new_v4(), &manifest_sha, &chain, &keys).is_err());
}
