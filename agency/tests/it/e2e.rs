//! End to end over loopback: a real relay on 127.0.0.1 (in-memory SQLite), the app's
//! outbox with the reqwest transport, and the agency fetching and opening what was filed.
//! Nothing of our own server is mocked.

use std::io::Write as _;
use std::str::FromStr as _;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use elternkit_agency::receipt::{self, sha256_hex};
use elternkit_agency::{SqliteStore, Store};
use elternkit_bundle::{DeriveContext, NoRouter, derive};
use elternkit_directory::{Destination, dev};
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::outbox::{self, Failure, Next, Outbox, PartRef, Transport};
use elternkit_submit::{AttachmentInput, Opener, Purpose, SealInput, Sealed, payload, seal};
use elternkit_transport::HttpTransport;
use jiff::civil::date;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::Value;
use uuid::Uuid;

use crate::support::{
    DEVICE, NOW, TOKEN, directory, now, signed_request, start_relay, start_relay_on, transport,
};

/// A ready application of a golden family from the bundle fixtures, sealed with the submit
/// crate for the destination that takes its schema.
pub fn sealed_family_application(sid: Uuid) -> (Sealed, Destination, Value) {
    // The first golden family (bundle fixtures) with a ready benefit application.
    let (app, case, result) = [
        "bremen_married",
        "bayern_unmarried",
        "berlin_single",
        "twins_premature",
    ]
    .iter()
    .find_map(|name| {
        let path = format!(
            "{}/../core/bundle/tests/fixtures/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let json = std::fs::read_to_string(&path).expect("fixture is readable");
        let case = elternkit_model::parse_case(&json).expect("fixture is a valid case");
        let bundle = derive(&case, &DeriveContext::default(), &NoRouter);
        let app = bundle
            .applications
            .into_iter()
            .find(|a| a.ready && a.benefit.is_some())?;
        let result = elternkit_rules::calculate(&case);
        Some((app, case, result))
    })
    .expect("a golden family has a ready benefit application");
    let app = &app;
    let data =
        serde_json::to_value(payload::build(app, &case, &result).expect("builds")).expect("JSON");
    let schema = payload::schema_of(app.service);
    let dir = directory();
    let dest = dir
        .destinations()
        .iter()
        .find(|d| {
            d.services
                .iter()
                .any(|s| s.schemas.iter().any(|x| x == schema))
        })
        .expect("a dev destination takes the schema")
        .clone();
    let files: [&[u8]; 2] = [b"%PDF-1.7 Lohnabrechnung", b"%PDF-1.7 Geburtsurkunde"];
    let input = SealInput {
        submission_id: sid,
        bundle_id: Uuid::from_u128(1000),
        destination: &dest,
        on: date(2027, 3, 1),
        schema: schema.into(),
        region: Region {
            ars: "110000000000".into(),
        },
        metadata: Metadata::unauthenticated(now(), "0.1.0"),
        data: data.clone(),
        attachments: files
            .iter()
            .enumerate()
            .map(|(i, bytes)| AttachmentInput {
                attachment_id: Uuid::from_u128(2000 + i as u128),
                filename: format!("nachweis-{i}.pdf"),
                mime_type: "application/pdf".into(),
                purpose: Purpose::Evidence,
                document_kind: Some("lohnabrechnung".into()),
                document_id: Some(format!("doc{i}")),
                bytes,
            })
            .collect(),
    };
    let sealed = seal(&input, &*DEVICE).expect("seals");
    (sealed, dest, data)
}

/// How an outbox run ended.
#[derive(Debug)]
enum Done {
    Filed(String),
    User(Failure),
}

/// Runs the outbox until it is final; no reply here may ask for a wait (the relay is up).
fn run_outbox(outbox: &mut Outbox, sealed: &Sealed, transport: &mut HttpTransport) -> Done {
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..32 {
        match outbox::step(outbox, sealed, transport, now(), &mut rng) {
            Next::Send(_) => continue,
            Next::WaitUntil(at) => {
                panic!(
                    "the relay asked to wait until {at}: {:?}",
                    outbox.last_error
                )
            }
            Next::Submitted { receipt } => return Done::Filed(receipt.to_owned()),
            Next::NeedsUser(f) => return Done::User(f.clone()),
        }
    }
    panic!("the outbox did not finish in 32 steps: {outbox:?}");
}

pub fn problem(f: Failure) -> (u16, String) {
    match f {
        Failure::Http {
            status,
            problem: Some(p),
            ..
        } => (status, p),
        other => panic!("expected an HTTP problem, got {other:?}"),
    }
}

pub fn part_refs(sealed: &Sealed) -> Vec<PartRef> {
    Outbox::new(sealed).parts
}

fn agency_get(base: &str, path: &str, token: Option<&str>) -> reqwest::blocking::Response {
    let mut req = reqwest::blocking::Client::new().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().expect("the relay answers")
}

#[test]
fn a_family_application_is_filed_through_the_relay_and_opened_by_the_agency() {
    happy_path(Arc::new(
        SqliteStore::in_memory().expect("in-memory SQLite"),
    ));
}

/// A golden family's application filed by the outbox, its receipt verified, listed,
/// fetched and opened by the agency, on a relay over `store`.
pub fn happy_path(store: Arc<dyn Store>) {
    let sid = Uuid::new_v4();
    let (sealed, dest, data) = sealed_family_application(sid);
    let agency = start_relay_on(&dest.destination_id, store);
    let mut transport = transport(&agency.base);
    let mut outbox = Outbox::new(&sealed);
    let Done::Filed(receipt) = run_outbox(&mut outbox, &sealed, &mut transport) else {
        panic!("not filed: {outbox:?}");
    };

    // The receipt is the relay's, about this manifest, chained to the announce.
    let claims = receipt::verify(&receipt, &agency.receipt_key).expect("the receipt verifies");
    assert_eq!(claims["sub"], format!("submission:{sid}"));
    assert_eq!(claims["seq"], 1);
    let event = &claims["events"]["urn:fsp:event:submitted"];
    assert_eq!(event["manifestSha256"], sha256_hex(&sealed.manifest_bytes));
    assert_eq!(event["receivedAt"], NOW);
    assert_eq!(
        event["ciphertexts"]["payload"],
        sealed.manifest.payload.sha256
    );
    let other = SigningKey::from_bytes(&[10; 32]).verifying_key();
    assert!(receipt::verify(&receipt, &other).is_err());

    // The agency lists, fetches and opens it.
    let list: Value = agency_get(
        &agency.base,
        &format!("/destinations/{}/submissions", dest.destination_id),
        Some(TOKEN),
    )
    .bytes()
    .map(|b| serde_json::from_slice(&b).expect("JSON"))
    .expect("body");
    assert_eq!(list["submissions"][0]["submissionId"], sid.to_string());
    let meta: Value = agency_get(&agency.base, &format!("/submissions/{sid}"), Some(TOKEN))
        .bytes()
        .map(|b| serde_json::from_slice(&b).expect("JSON"))
        .expect("body");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let manifest = b64
        .decode(meta["manifest"].as_str().expect("manifest"))
        .expect("base64url");
    let signature = b64
        .decode(meta["manifestSignature"].as_str().expect("signature"))
        .expect("base64url");
    let fetch = |path: String| -> Vec<u8> {
        let r = agency_get(&agency.base, &path, Some(TOKEN));
        assert_eq!(r.status(), 200, "{path}");
        r.bytes().expect("body").to_vec()
    };
    let payload = fetch(format!("/submissions/{sid}/payload"));
    let attachments: Vec<(Uuid, Vec<u8>)> = sealed
        .manifest
        .attachments
        .iter()
        .map(|a| {
            (
                a.attachment_id,
                fetch(format!(
                    "/submissions/{sid}/attachments/{}",
                    a.attachment_id
                )),
            )
        })
        .collect();
    let refs: Vec<(Uuid, &[u8])> = attachments
        .iter()
        .map(|(i, b)| (*i, b.as_slice()))
        .collect();
    let opener = Opener::new(&dest, &[&dev::age_identity(&dest.destination_id)])
        .expect("dev identity parses");
    let opened = opener
        .open(&manifest, &signature, &payload, &refs)
        .expect("the agency opens what the app sealed");
    assert_eq!(opened.payload.submission_id, sid);
    assert_eq!(opened.payload.data, data);
    assert_eq!(
        opened.attachments[1].1.as_slice(),
        b"%PDF-1.7 Geburtsurkunde"
    );

    // Without the subscriber's token nothing is served.
    let r = agency_get(&agency.base, &format!("/submissions/{sid}"), None);
    assert_eq!(r.status(), 401);
    let r = agency_get(
        &agency.base,
        &format!("/submissions/{sid}/payload"),
        Some("guess"),
    );
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

#[test]
fn every_step_repeated_answers_the_same_and_a_conflicting_repeat_is_refused() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let mut t = transport(&agency.base);
    let parts = part_refs(&sealed);

    t.announce(sid, &sealed.manifest_bytes).expect("announced");
    t.announce(sid, &sealed.manifest_bytes)
        .expect("an identical repeat is fine");
    // Sealing again gives other ciphertexts, so another manifest under the same id.
    let (resealed, _, _) = sealed_family_application(sid);
    assert_ne!(resealed.manifest_bytes, sealed.manifest_bytes);
    assert_eq!(
        problem(t.announce(sid, &resealed.manifest_bytes).unwrap_err()),
        (409, "urn:fsp:problem:announce-mismatch".into())
    );

    // Submitting before every part is there names what is missing.
    let r = signed_request(
        &DEVICE,
        "POST",
        &format!("{}/submissions/{sid}/submit", agency.base),
        "application/json",
        serde_json::json!({"manifestSignature": sealed.signature_b64()})
            .to_string()
            .into_bytes(),
    );
    assert_eq!(r.status(), 409);
    let body: Value = serde_json::from_slice(&r.bytes().expect("body")).expect("problem JSON");
    assert_eq!(body["type"], "urn:fsp:problem:incomplete");
    assert_eq!(body["missing"].as_array().map(Vec::len), Some(parts.len()));

    // Another ciphertext than the manifest names is refused and not stored.
    assert_eq!(
        problem(t.upload(sid, &parts[0], &resealed.payload).unwrap_err()),
        (409, "urn:fsp:problem:hash-mismatch".into())
    );
    let mut longer = sealed.payload.clone();
    longer.push(0);
    assert_eq!(
        problem(t.upload(sid, &parts[0], &longer).unwrap_err()),
        (409, "urn:fsp:problem:hash-mismatch".into())
    );
    for _ in 0..2 {
        t.upload(sid, &parts[0], &sealed.payload)
            .expect("payload stored");
        for p in &parts[1..] {
            let id = p.attachment_id.expect("attachment");
            t.upload(sid, p, sealed.attachment(id).expect("sealed"))
                .expect("attachment stored");
        }
    }
    let unknown = PartRef {
        attachment_id: Some(Uuid::from_u128(99)),
        ..parts[1].clone()
    };
    assert_eq!(
        problem(t.upload(sid, &unknown, &sealed.payload).unwrap_err()),
        (404, "urn:fsp:problem:unknown-attachment".into())
    );

    let first = t.submit(sid, &sealed.signature_b64()).expect("submitted");
    let again = t.submit(sid, &sealed.signature_b64()).expect("repeat");
    assert_eq!(first, again, "a repeated submit answers the same receipt");
    assert_eq!(
        problem(t.submit(sid, &resealed.signature_b64()).unwrap_err()),
        (409, "urn:fsp:problem:already-submitted".into())
    );
    // The announce and uploads still answer the same after the submit.
    t.announce(sid, &sealed.manifest_bytes)
        .expect("repeat after submit");
    t.upload(sid, &parts[0], &sealed.payload)
        .expect("repeat after submit");

    // An outbox that crashed before it saw the submit reply resumes to the same receipt.
    let mut outbox = Outbox::new(&sealed);
    let Done::Filed(receipt) = run_outbox(&mut outbox, &sealed, &mut t) else {
        panic!("not filed: {outbox:?}");
    };
    assert_eq!(receipt, first);
}

#[test]
fn a_forged_manifest_signature_is_refused_and_goes_to_the_user() {
    let sid = Uuid::new_v4();
    let (mut sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let mut t = transport(&agency.base);
    sealed.signature[5] ^= 0x40;
    let mut outbox = Outbox::new(&sealed);
    let Done::User(failure) = run_outbox(&mut outbox, &sealed, &mut t) else {
        panic!("a forged signature was accepted: {outbox:?}");
    };
    assert_eq!(
        problem(failure.clone()),
        (422, "urn:fsp:problem:signature-invalid".into())
    );
    // Signed by another device key than the manifest names: refused the same way.
    use ed25519_dalek::Signer as _;
    let forged = SigningKey::from_bytes(&[66; 32]).sign(
        &elternkit_submit::envelope::signed_message(&sealed.manifest_bytes),
    );
    use base64::Engine as _;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged.to_bytes());
    assert_eq!(
        problem(t.submit(sid, &forged).unwrap_err()),
        (422, "urn:fsp:problem:signature-invalid".into())
    );
}

fn age_encrypt(recipients: &[&str], plain: &[u8]) -> Vec<u8> {
    let rs: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| age::x25519::Recipient::from_str(r).expect("recipient"))
        .collect();
    let e = age::Encryptor::with_recipients(rs.iter().map(|r| r as &dyn age::Recipient))
        .expect("encryptor");
    let mut out = vec![];
    let mut w = e.wrap_output(&mut out).expect("writer");
    w.write_all(plain).expect("write");
    w.finish().expect("finish");
    out
}

#[test]
fn oversized_bodies_and_headers_are_refused_with_their_problem_type() {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let agency = start_relay(&dest.destination_id);
    let mut t = transport(&agency.base);

    // A manifest over 64 KiB is refused before it is read.
    let mut big = sealed.manifest_bytes.clone();
    big.resize(64 * 1024 + 1, b' ');
    assert_eq!(
        problem(t.announce(sid, &big).unwrap_err()),
        (413, "urn:fsp:problem:too-large".into())
    );
    // Unknown fields, a URL id that is not the manifest's: malformed.
    assert_eq!(
        problem(
            t.announce(Uuid::new_v4(), &sealed.manifest_bytes)
                .unwrap_err()
        ),
        (400, "urn:fsp:problem:malformed".into())
    );

    // Parts whose age header is too long or has too many stanzas, announced honestly (the
    // manifest's hashes match), are refused by shape.
    let recipient = dev::age_recipient(&dest.destination_id);
    let three = age_encrypt(&[&recipient, &recipient, &recipient], b"x");
    let many: Vec<String> = (0..40).map(|_| recipient.clone()).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let long = age_encrypt(&many, b"x");
    for (bytes, status, name) in [
        (&three, 413, "too-large"),
        (&long, 413, "too-large"),
        (&b"not age at all".to_vec(), 400, "malformed"),
    ] {
        let sid = Uuid::new_v4();
        let mut manifest = sealed.manifest.clone();
        manifest.submission_id = sid;
        manifest.attachments.clear();
        manifest.payload.size = bytes.len() as u64;
        manifest.payload.sha256 = sha256_hex(bytes);
        t.announce(sid, &serde_json::to_vec(&manifest).expect("JSON"))
            .expect("announced");
        let part = PartRef {
            attachment_id: None,
            size: manifest.payload.size,
            sha256: manifest.payload.sha256.clone(),
        };
        assert_eq!(
            problem(t.upload(sid, &part, bytes).unwrap_err()),
            (status, format!("urn:fsp:problem:{name}")),
        );
    }

    // More attachments than the destination accepts.
    let mut manifest = sealed.manifest.clone();
    let sid = Uuid::new_v4();
    manifest.submission_id = sid;
    let template = manifest.attachments[0].clone();
    manifest.attachments = (0..=dest.limits.max_attachments)
        .map(|i| elternkit_submit::envelope::AttachmentRef {
            attachment_id: Uuid::from_u128(5000 + u128::from(i)),
            ..template.clone()
        })
        .collect();
    assert_eq!(
        problem(
            t.announce(sid, &serde_json::to_vec(&manifest).expect("JSON"))
                .unwrap_err()
        ),
        (413, "urn:fsp:problem:too-large".into())
    );
}
