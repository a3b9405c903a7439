//! The attacks of issue 19 that reach the relay, each refused with its problem type. Also
//! covered elsewhere: a forged manifest signature (`e2e`), an oversized age header and too
//! many stanzas (`e2e`), unsigned and wrongly signed requests (`auth`).

use elternkit_directory::dev;
use elternkit_submit::Opener;
use elternkit_submit::outbox::Transport as _;
use uuid::Uuid;

use crate::e2e::{part_refs, problem, sealed_family_application};
use crate::support::{DEVICE, now, problem_of, send, sign, start_relay, transport};

#[test]
fn a_ciphertext_swapped_in_from_another_submission_is_refused() {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let (sealed_a, dest, _) = sealed_family_application(a);
    let (sealed_b, _, _) = sealed_family_application(b);
    let agency = start_relay(&dest.destination_id);
    let mut app = transport(&agency.base);
    app.announce(a, &sealed_a.manifest_bytes)
        .expect("announced");
    app.announce(b, &sealed_b.manifest_bytes)
        .expect("announced");
    let parts_a = part_refs(&sealed_a);
    // B's genuine payload under A's name, and A's first attachment in the place of its second.
    assert_eq!(
        problem(app.upload(a, &parts_a[0], &sealed_b.payload).unwrap_err()),
        (409, "urn:fsp:problem:hash-mismatch".into())
    );
    let first = sealed_a
        .attachment(parts_a[1].attachment_id.expect("id"))
        .expect("sealed");
    assert_eq!(
        problem(app.upload(a, &parts_a[2], first).unwrap_err()),
        (409, "urn:fsp:problem:hash-mismatch".into())
    );
    assert!(
        agency.store.parts(a).expect("reads").is_empty(),
        "nothing stored"
    );
}

#[test]
fn a_replayed_submission_is_filed_once() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let mut app = transport(&agency.base);
    app.announce(sid, &sealed.manifest_bytes)
        .expect("announced");
    for p in part_refs(&sealed) {
        let bytes = match p.attachment_id {
            None => sealed.payload.as_slice(),
            Some(id) => sealed.attachment(id).expect("sealed"),
        };
        app.upload(sid, &p, bytes).expect("uploaded");
    }
    // The submit request as captured on the wire, sent twice.
    let url = format!("{}/submissions/{sid}/submit", agency.base);
    let body = serde_json::json!({"manifestSignature": sealed.signature_b64()})
        .to_string()
        .into_bytes();
    let s = sign(&DEVICE, "POST", &url, &body, now().as_second());
    let r = send("POST", &url, "application/json", body.clone(), Some(&s));
    assert_eq!(r.status(), 200);
    let r = send("POST", &url, "application/json", body, Some(&s));
    assert_eq!(problem_of(r), (401, "urn:fsp:problem:replayed".into()));
    // The whole submission sent again by the device: the same receipt, still one filing.
    let receipt = app.submit(sid, &sealed.signature_b64()).expect("repeat");
    let stored = agency.store.get(sid).expect("reads").expect("row");
    assert_eq!(stored.receipt.as_deref(), Some(receipt.as_str()));
    let listed = agency
        .store
        .list_submitted(&dest.destination_id, 0, 100)
        .expect("lists");
    assert_eq!(listed.len(), 1);
    // The signed manifest replayed under a new submission id.
    let other = Uuid::new_v4();
    assert_eq!(
        problem(app.announce(other, &sealed.manifest_bytes).unwrap_err()),
        (400, "urn:fsp:problem:malformed".into())
    );
}

#[test]
fn a_submission_for_the_wrong_recipient_is_refused() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let mut app = transport(&agency.base);
    // A manifest naming a key the destination does not list (re-signed by the device, so
    // only the recipient is wrong).
    let mut manifest = sealed.manifest.clone();
    manifest.recipient_kid = "0123456789abcdef".into();
    let bytes = serde_json::to_vec(&manifest).expect("JSON");
    assert_eq!(
        problem(app.announce(sid, &bytes).unwrap_err()),
        (422, "urn:fsp:problem:wrong-recipient".into())
    );
    // A payload sealed to another key under the destination's kid passes the relay (it
    // cannot see the recipient) and is refused when the agency opens it.
    let stranger = age::x25519::Identity::generate().to_public();
    let mut forged = Vec::new();
    {
        use std::io::Write as _;
        let e = age::Encryptor::with_recipients(std::iter::once(&stranger as &dyn age::Recipient))
            .expect("encryptor");
        let mut w = e.wrap_output(&mut forged).expect("writer");
        w.write_all(b"{}").expect("writes");
        w.finish().expect("finishes");
    }
    let mut manifest = sealed.manifest.clone();
    manifest.attachments.clear();
    manifest.payload.size = forged.len() as u64;
    manifest.payload.sha256 = elternkit_agency::receipt::sha256_hex(&forged);
    let bytes = serde_json::to_vec(&manifest).expect("JSON");
    let signature = ed25519_dalek::Signer::sign(
        &*DEVICE,
        &elternkit_submit::envelope::signed_message(&bytes),
    );
    let opener = Opener::new(&dest, &[&dev::age_identity(&dest.destination_id)])
        .expect("dev identity parses");
    let err = opener
        .open(&bytes, &signature.to_bytes(), &forged, &[])
        .expect_err("refused");
    assert_eq!(err.problem(), "decryption-failed", "{err}");
}
