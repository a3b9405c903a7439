//! Request authentication (PROTOCOL § 5.1): every sender request is signed by the device
//! key (RFC 9421); the announce binds the submission id to that key; nonces are used once;
//! a device is rate-limited.

use std::sync::Arc;

use ed25519_dalek::SigningKey;
use elternkit_agency::{Relay, SqliteStore, Store};
use elternkit_submit::outbox::Transport as _;
use uuid::Uuid;

use crate::e2e::{part_refs, problem, sealed_family_application};
use crate::support::{
    DEVICE, TOKEN, directory, now, problem_of, receipt_key, send, serve, sign, signed_request,
    start_relay, transport, transport_for,
};

fn unauthenticated() -> (u16, String) {
    (401, "urn:fsp:problem:unauthenticated".into())
}

#[test]
fn an_unsigned_or_wrongly_signed_request_is_refused() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let url = format!("{}/submissions/{sid}", agency.base);
    let manifest = sealed.manifest_bytes.clone();

    // No signature at all.
    let r = send("PUT", &url, "application/json", manifest.clone(), None);
    assert_eq!(problem_of(r), unauthenticated());

    // A signature whose bytes were altered.
    let mut s = sign(&DEVICE, "PUT", &url, &manifest, now().as_second());
    s.signature = {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let inner = s
            .signature
            .trim_start_matches("fsp=:")
            .trim_end_matches(':');
        let mut bytes = b64.decode(inner).expect("base64");
        bytes[10] ^= 1;
        format!("fsp=:{}:", b64.encode(bytes))
    };
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(problem_of(r), unauthenticated());

    // Signed for another URL (a request moved to another submission).
    let other = format!("{}/submissions/{}", agency.base, Uuid::new_v4());
    let s = sign(&DEVICE, "PUT", &other, &manifest, now().as_second());
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(problem_of(r), unauthenticated());

    // A valid signature over another body: the body is not the signed Content-Digest's.
    let s = sign(&DEVICE, "PUT", &url, b"{}", now().as_second());
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(problem_of(r), unauthenticated());

    // Ten minutes late.
    let s = sign(&DEVICE, "PUT", &url, &manifest, now().as_second() - 600);
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(problem_of(r), (401, "urn:fsp:problem:clock-skew".into()));

    // Nothing of it was stored: the genuine announce is the first.
    let r = signed_request(&DEVICE, "PUT", &url, "application/json", manifest);
    assert_eq!(r.status(), 201);
}

#[test]
fn a_replayed_request_is_refused_and_a_fresh_signature_is_accepted() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let url = format!("{}/submissions/{sid}", agency.base);
    let manifest = sealed.manifest_bytes.clone();
    let s = sign(&DEVICE, "PUT", &url, &manifest, now().as_second());
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(r.status(), 201);
    // The same bytes again, as an attacker who captured them would send them.
    let r = send("PUT", &url, "application/json", manifest.clone(), Some(&s));
    assert_eq!(problem_of(r), (401, "urn:fsp:problem:replayed".into()));
    // The app's own retry signs anew and is answered as an identical repeat.
    let r = signed_request(&DEVICE, "PUT", &url, "application/json", manifest);
    assert_eq!(r.status(), 200);
}

#[test]
fn every_step_after_the_announce_must_be_signed_by_the_announcing_device() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let thief = SigningKey::from_bytes(&[13; 32]);
    let mut theirs = transport_for(&agency.base, &thief);
    let wrong_device = (403, "urn:fsp:problem:wrong-device".to_owned());

    // Announcing someone else's manifest under one's own key.
    assert_eq!(
        problem(theirs.announce(sid, &sealed.manifest_bytes).unwrap_err()),
        wrong_device
    );
    let mut mine = transport(&agency.base);
    mine.announce(sid, &sealed.manifest_bytes)
        .expect("announced");
    let parts = part_refs(&sealed);
    assert_eq!(
        problem(theirs.upload(sid, &parts[0], &sealed.payload).unwrap_err()),
        wrong_device
    );
    assert_eq!(
        problem(theirs.submit(sid, &sealed.signature_b64()).unwrap_err()),
        wrong_device
    );
    // The device itself goes on.
    mine.upload(sid, &parts[0], &sealed.payload)
        .expect("uploaded");
}

#[test]
fn a_device_over_its_rate_is_told_when_to_come_back() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("SQLite"));
    let agency = serve(
        Relay::new(store, directory(), receipt_key())
            .with_subscriber(TOKEN, &dest.destination_id)
            .with_clock(Arc::new(now))
            .with_rate_limit(3),
    );
    let url = format!("{}/submissions/{sid}", agency.base);
    for status in [201, 200, 200] {
        let r = signed_request(
            &DEVICE,
            "PUT",
            &url,
            "application/json",
            sealed.manifest_bytes.clone(),
        );
        assert_eq!(r.status(), status);
    }
    let r = signed_request(
        &DEVICE,
        "PUT",
        &url,
        "application/json",
        sealed.manifest_bytes.clone(),
    );
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    assert_eq!(r.headers()["ratelimit-limit"], "3");
    assert_eq!(r.headers()["ratelimit-remaining"], "0");
    assert_eq!(problem_of(r).1, "urn:fsp:problem:rate-limited");
    // Another device is not affected.
    let other = SigningKey::from_bytes(&[21; 32]);
    let r = signed_request(
        &other,
        "PUT",
        &url,
        "application/json",
        sealed.manifest_bytes.clone(),
    );
    assert_eq!(
        problem_of(r).0,
        403,
        "counted on its own, then refused as the wrong device"
    );
}
