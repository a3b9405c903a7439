//! Both sides of the envelope against each other, and every way an attacker on the network
//! (who holds no secret key but may hold a device key of their own) can interfere.

use std::io::Write;
use std::str::FromStr;

use ed25519_dalek::SigningKey;
use elternkit_directory::{Destination, Directory, dev};
use elternkit_submit::envelope::{
    AppInfo, AuthMethod, Authentication, Manifest, Metadata, OpenError, Part, Region, SealError,
    signed_message,
};
use elternkit_submit::{AttachmentInput, Opener, Purpose, SealInput, Sealed, seal};
use jiff::civil::date;
use sha2::{Digest, Sha256};
use uuid::Uuid;

const DEST: &str = "eg-bw-lbank";
const OTHER: &str = "eg-by-zbfs";

pub fn directory() -> Directory {
    Directory::development(date(2027, 3, 1)).expect("the shipped dev directory verifies")
}

fn destination(id: &str) -> Destination {
    directory()
        .destination(id)
        .expect("in the dev directory")
        .clone()
}

pub fn device() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn attacker() -> SigningKey {
    SigningKey::from_bytes(&[66; 32])
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn metadata() -> Metadata {
    Metadata {
        created_at: "2027-03-01T10:00:00Z".parse().expect("RFC 3339"),
        app: AppInfo {
            name: "ElternKit".into(),
            version: "0.1.0".into(),
        },
        authentication: Authentication {
            method: AuthMethod::None,
            loa: None,
            assertion: None,
        },
        consents: vec![],
        reply_to: None,
    }
}

fn input<'a>(dest: &'a Destination, sid: u128, files: &[&'a [u8]]) -> SealInput<'a> {
    SealInput {
        submission_id: id(sid),
        bundle_id: id(1000),
        destination: dest,
        on: date(2027, 3, 1),
        schema: "urn:elternkit:elterngeld:1".into(),
        region: Region {
            ars: "081110000000".into(),
        },
        metadata: metadata(),
        data: serde_json::json!({"schema": "urn:elternkit:elterngeld:1", "x": 1}),
        attachments: files
            .iter()
            .enumerate()
            .map(|(i, bytes)| AttachmentInput {
                attachment_id: id(2000 + i as u128),
                filename: format!("nachweis-{i}.pdf"),
                mime_type: "application/pdf".into(),
                purpose: Purpose::Evidence,
                document_kind: Some("lohnabrechnung".into()),
                document_id: Some(format!("doc{i}")),
                bytes,
            })
            .collect(),
    }
}

fn sealed(sid: u128, files: &[&[u8]]) -> Sealed {
    let dest = destination(DEST);
    seal(&input(&dest, sid, files), &device()).expect("seals")
}

fn opener(id: &str) -> Opener {
    Opener::new(&destination(id), &[&dev::age_identity(id)]).expect("dev identity parses")
}

fn open(o: &Opener, s: &Sealed) -> Result<elternkit_submit::Opened, OpenError> {
    let atts: Vec<(Uuid, &[u8])> = s
        .attachments
        .iter()
        .map(|a| (a.attachment_id, a.ciphertext.as_slice()))
        .collect();
    o.open(&s.manifest_bytes, &s.signature, &s.payload, &atts)
}

/// Re-serialises `manifest` and signs it with `key`: what anyone with a device key can do.
fn resign(s: &mut Sealed, manifest: Manifest, key: &SigningKey) {
    use ed25519_dalek::Signer as _;
    s.manifest_bytes = serde_json::to_vec(&manifest).expect("serialises");
    s.signature = key
        .sign(&signed_message(&s.manifest_bytes))
        .to_bytes()
        .to_vec();
    s.manifest = manifest;
}

fn age_encrypt(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let r = age::x25519::Recipient::from_str(recipient).expect("recipient");
    let e = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        .expect("encryptor");
    let mut out = vec![];
    let mut w = e.wrap_output(&mut out).expect("writer");
    w.write_all(plain).expect("write");
    w.finish().expect("finish");
    out
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn sealed_by_the_app_opens_at_the_agency() {
    let files: [&[u8]; 2] = [b"%PDF-1.7 payslip", b"%PDF-1.7 id card"];
    let s = sealed(1, &files);
    let opened = open(&opener(DEST), &s).expect("opens");
    assert_eq!(opened.payload.submission_id, id(1));
    assert_eq!(opened.payload.destination_id, DEST);
    assert_eq!(opened.payload.data["x"], 1);
    assert_eq!(opened.attachments.len(), 2);
    assert_eq!(opened.attachments[0].1.as_slice(), files[0]);
    assert_eq!(opened.attachments[1].1.as_slice(), files[1]);
    assert_eq!(opened.manifest_sha256, hex_sha256(&s.manifest_bytes));
    // The clear manifest carries only sizes and ciphertext hashes.
    let clear = String::from_utf8(s.manifest_bytes.clone()).expect("JSON is UTF-8");
    assert!(!clear.contains("payslip") && !clear.contains("nachweis") && !clear.contains("Sha512"));
    assert!(
        !clear.contains("elterngeld:1"),
        "the schema stays inside: {clear}"
    );
    assert_eq!(
        s.manifest.recipient_kid,
        destination(DEST).age_recipients[0].kid
    );
}

#[test]
fn the_sealed_value_round_trips_through_json() {
    let s = sealed(1, &[b"a"]);
    let json = serde_json::to_string(&s).expect("serialises");
    let back: Sealed = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, s);
    open(&opener(DEST), &back).expect("still opens");
}

#[test]
fn a_forged_or_altered_manifest_is_refused() {
    let mut s = sealed(1, &[b"a"]);
    s.signature[0] ^= 1;
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::ForgedSignature
    );

    // The relay changes the region but cannot re-sign as the device.
    let mut s = sealed(1, &[b"a"]);
    let text = String::from_utf8(s.manifest_bytes.clone()).expect("UTF-8");
    s.manifest_bytes = text.replace("081110000000", "091620000000").into_bytes();
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::ForgedSignature
    );

    // Signed by another key than the one the manifest names.
    let mut s = sealed(1, &[b"a"]);
    let m = s.manifest.clone();
    resign(&mut s, m.clone(), &attacker());
    s.manifest_bytes = serde_json::to_vec(&m).expect("serialises");
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::ForgedSignature
    );

    let mut s = sealed(1, &[b"a"]);
    s.signature.truncate(10);
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::MalformedSignature
    );
}

#[test]
fn a_swapped_ciphertext_is_refused_before_decryption() {
    let a = sealed(1, &[b"first"]);
    let b = sealed(2, &[b"second"]);
    let mut s = a.clone();
    s.payload = b.payload.clone();
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::CiphertextMismatch {
            part: Part::Payload
        }
    );
    let mut s = a.clone();
    s.attachments[0].ciphertext = b.attachments[0].ciphertext.clone();
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::CiphertextMismatch {
            part: Part::Attachment(id(2000))
        }
    );
}

#[test]
fn a_payload_cut_from_another_submission_is_refused_after_decryption() {
    // The device (or anyone with a device key) signs a manifest for submission 2 that
    // carries the payload of submission 1: the hashes match, the inner ids do not.
    let a = sealed(1, &[]);
    let mut b = sealed(2, &[]);
    let mut m = b.manifest.clone();
    m.payload = a.manifest.payload.clone();
    b.payload = a.payload.clone();
    resign(&mut b, m, &device());
    assert_eq!(
        open(&opener(DEST), &b).unwrap_err(),
        OpenError::IdMismatch {
            field: "submissionId"
        }
    );

    // Another device re-signs the whole submission as its own.
    let mut s = sealed(1, &[]);
    let mut m = s.manifest.clone();
    m.device_key = base64_url(attacker().verifying_key().as_bytes());
    resign(&mut s, m, &attacker());
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::IdMismatch { field: "deviceKey" }
    );
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn a_submission_for_another_destination_is_refused() {
    let s = sealed(1, &[]);
    assert_eq!(
        open(&opener(OTHER), &s).unwrap_err(),
        OpenError::WrongDestination {
            expected: OTHER.into(),
            found: DEST.into()
        }
    );
}

#[test]
fn the_wrong_recipient_is_named() {
    // The agency holds only another identity than the manifest's kid.
    let s = sealed(1, &[]);
    let o = Opener::new(&destination(DEST), &[&dev::age_identity(OTHER)]).expect("parses");
    assert!(matches!(
        open(&o, &s).unwrap_err(),
        OpenError::WrongRecipient {
            part: Part::Manifest,
            ..
        }
    ));

    // A directory entry whose kid is ours but whose recipient is another's (a swapped key):
    // the manifest names our kid, the ciphertext is not for us.
    let mut dest = destination(DEST);
    dest.age_recipients[0].recipient = dev::age_recipient(OTHER);
    let s = seal(&input(&dest, 1, &[]), &device()).expect("seals");
    assert!(matches!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::WrongRecipient {
            part: Part::Payload,
            ..
        }
    ));
}

#[test]
fn an_attachment_whose_plaintext_differs_from_the_payload_is_refused() {
    let mut s = sealed(1, &[b"the real payslip"]);
    let forged = age_encrypt(&dev::age_recipient(DEST), b"the fake payslip");
    let mut m = s.manifest.clone();
    m.attachments[0].size = forged.len() as u64;
    m.attachments[0].sha256 = hex_sha256(&forged);
    s.attachments[0].ciphertext = forged;
    resign(&mut s, m, &device());
    assert_eq!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::PlaintextMismatch {
            attachment_id: id(2000)
        }
    );

    // Longer than the payload says: refused while reading, before it is all in memory.
    let mut s = sealed(1, &[b"short"]);
    let forged = age_encrypt(&dev::age_recipient(DEST), &[0u8; 4096]);
    let mut m = s.manifest.clone();
    m.attachments[0].size = forged.len() as u64;
    m.attachments[0].sha256 = hex_sha256(&forged);
    s.attachments[0].ciphertext = forged;
    resign(&mut s, m, &device());
    assert!(matches!(
        open(&opener(DEST), &s).unwrap_err(),
        OpenError::TooLarge {
            part: Part::Attachment(_),
            size: 6,
            max: 5
        }
    ));
}

#[test]
fn missing_extra_and_duplicate_attachments_are_refused() {
    let s = sealed(1, &[b"a", b"b"]);
    let o = opener(DEST);
    let first = (id(2000), s.attachments[0].ciphertext.as_slice());
    let second = (id(2001), s.attachments[1].ciphertext.as_slice());
    let extra = (id(9), s.attachments[1].ciphertext.as_slice());
    let open_with = |atts: &[(Uuid, &[u8])]| {
        o.open(&s.manifest_bytes, &s.signature, &s.payload, atts)
            .unwrap_err()
    };
    assert_eq!(open_with(&[first]), OpenError::MissingAttachment(id(2001)));
    assert_eq!(
        open_with(&[first, second, extra]),
        OpenError::UnexpectedAttachment(id(9))
    );
    assert_eq!(
        open_with(&[first, first, second]),
        OpenError::DuplicateAttachment(id(2000))
    );
}

#[test]
fn malformed_and_oversized_input_gives_typed_errors() {
    let o = opener(DEST);
    let s = sealed(1, &[]);
    let err = o
        .open(b"not json", &s.signature, &s.payload, &[])
        .unwrap_err();
    assert!(matches!(err, OpenError::MalformedManifest(_)), "{err:?}");

    let mut v: serde_json::Value = serde_json::from_slice(&s.manifest_bytes).expect("JSON");
    v["extra"] = serde_json::json!("smuggled");
    let err = o
        .open(
            &serde_json::to_vec(&v).expect("JSON"),
            &s.signature,
            &s.payload,
            &[],
        )
        .unwrap_err();
    assert!(matches!(err, OpenError::MalformedManifest(_)), "{err:?}");

    let huge = vec![b' '; 70 * 1024];
    assert!(matches!(
        o.open(&huge, &s.signature, &s.payload, &[]).unwrap_err(),
        OpenError::TooLarge {
            part: Part::Manifest,
            ..
        }
    ));

    let mut m = s.manifest.clone();
    m.fsp = "2".into();
    let mut s2 = s.clone();
    resign(&mut s2, m, &device());
    assert_eq!(
        open(&o, &s2).unwrap_err(),
        OpenError::UnsupportedVersion("2".into())
    );

    // A payload that is not age, one with a passphrase stanza, one with three stanzas.
    let scrypt = b"age-encryption.org/v1\n-> scrypt c2FsdA 18\nAAAA\n--- mac\n".to_vec();
    let three = {
        let x = "-> X25519 AAAA\nAAAA\n";
        format!("age-encryption.org/v1\n{x}{x}{x}--- mac\n").into_bytes()
    };
    for (bytes, reason) in [
        (b"%PDF plain".to_vec(), "not a binary age v1 file"),
        (scrypt, "only X25519 recipient stanzas are accepted"),
        (three, "one or two recipient stanzas are accepted"),
        (
            [b"age-encryption.org/v1\n".as_slice(), &[b'A'; 4000]].concat(),
            "the header is too long or unterminated",
        ),
    ] {
        let mut s3 = s.clone();
        let mut m = s3.manifest.clone();
        m.payload.size = bytes.len() as u64;
        m.payload.sha256 = hex_sha256(&bytes);
        s3.payload = bytes;
        resign(&mut s3, m, &device());
        assert_eq!(
            open(&o, &s3).unwrap_err(),
            OpenError::MalformedAge {
                part: Part::Payload,
                reason
            }
        );
    }

    // Truncated ciphertext (hashes re-signed): age's STREAM refuses it.
    let mut s4 = s.clone();
    s4.payload.truncate(s4.payload.len() - 5);
    let mut m = s4.manifest.clone();
    m.payload.size = s4.payload.len() as u64;
    m.payload.sha256 = hex_sha256(&s4.payload);
    resign(&mut s4, m, &device());
    assert_eq!(
        open(&o, &s4).unwrap_err(),
        OpenError::DecryptionFailed {
            part: Part::Payload
        }
    );
}

#[test]
fn sealing_refuses_what_the_destination_does_not_take() {
    let mut dest = destination(DEST);
    dest.limits.max_attachments = 1;
    dest.limits.max_attachment_bytes = 4;
    let k = device();
    assert!(matches!(
        seal(&input(&dest, 1, &[b"a", b"b"]), &k),
        Err(SealError::TooManyAttachments { count: 2, max: 1 })
    ));
    assert!(matches!(
        seal(&input(&dest, 1, &[b"12345"]), &k),
        Err(SealError::AttachmentTooLarge {
            size: 5,
            max: 4,
            ..
        })
    ));
    let mut i = input(&dest, 1, &[]);
    i.schema = "urn:elternkit:kindergeld:1".into();
    assert!(matches!(
        seal(&i, &k),
        Err(SealError::SchemaNotAccepted { .. })
    ));
    let mut i = input(&dest, 1, &[]);
    i.on = date(2030, 1, 1);
    assert!(matches!(seal(&i, &k), Err(SealError::NoRecipient { .. })));
    assert!(matches!(
        seal(&input(&dest, 0, &[]), &k),
        Err(SealError::NilSubmissionId)
    ));
    let mut i = input(&dest, 1, &[]);
    i.data = serde_json::json!({"big": "x".repeat(5 * 1024 * 1024)});
    assert!(matches!(
        seal(&i, &k),
        Err(SealError::PayloadTooLarge { .. })
    ));
    let full = destination(DEST);
    let mut dup = input(&full, 1, &[b"a", b"b"]);
    dup.attachments[1].attachment_id = dup.attachments[0].attachment_id;
    assert!(matches!(
        seal(&dup, &k),
        Err(SealError::DuplicateAttachment(_))
    ));
}

#[test]
fn every_open_error_has_a_problem_name() {
    let e = OpenError::ForgedSignature;
    assert_eq!(e.problem(), "signature-invalid");
    assert_eq!(
        OpenError::IdMismatch { field: "x" }.problem(),
        "id-mismatch"
    );
}
