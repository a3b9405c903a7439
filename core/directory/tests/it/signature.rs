//! The signed FSP/1 directory: the shipped dev directory verifies; a flipped byte, an expired
//! or not-yet-valid directory, a wrong kid, an unknown root are all refused.

use ed25519_dalek::{Signer as _, SigningKey};
use elternkit_directory::{
    DEV_DIRECTORY_JSON, DEV_DIRECTORY_SIG, DEVELOPMENT_ROOTS, Directory, DirectoryError, RootKey,
    SIGNATURE_CONTEXT, TrustAnchors, dev, kid_of, signature_line,
};
use jiff::civil::date;

fn sign(json: &str, seed: [u8; 32]) -> String {
    let key = SigningKey::from_bytes(&seed);
    let mut message = SIGNATURE_CONTEXT.to_vec();
    message.extend_from_slice(json.as_bytes());
    signature_line(
        key.verifying_key().as_bytes(),
        &key.sign(&message).to_bytes(),
    )
}

#[test]
fn the_dev_directory_verifies_with_the_development_roots_only() {
    let today = date(2027, 6, 1);
    let dir = Directory::verify(
        DEV_DIRECTORY_JSON.as_bytes(),
        DEV_DIRECTORY_SIG,
        today,
        &TrustAnchors::development(),
    )
    .expect("verifies");
    assert_eq!(dir.checked_on(), today);
    assert!(dir.signed_by().development);
    assert!(dir.destinations().len() > 200);
    // Production trusts nothing yet, so the dev directory is refused, not silently accepted.
    let err = Directory::verify(
        DEV_DIRECTORY_JSON.as_bytes(),
        DEV_DIRECTORY_SIG,
        today,
        &TrustAnchors::production(),
    )
    .expect_err("no production root");
    assert!(matches!(err, DirectoryError::UnknownRoot { .. }));
}

#[test]
fn pinned_development_roots_are_the_published_seeds() {
    for (i, root) in DEVELOPMENT_ROOTS.iter().enumerate() {
        let derived = SigningKey::from_bytes(&dev::root_seed(u8::try_from(i).expect("two roots")));
        assert_eq!(root.public, derived.verifying_key().to_bytes());
        assert!(root.development);
        assert!(root.label.contains("DEVELOPMENT"));
    }
    assert_ne!(DEVELOPMENT_ROOTS[0].kid(), DEVELOPMENT_ROOTS[1].kid());
}

#[test]
fn one_flipped_byte_fails() {
    let today = date(2027, 6, 1);
    let mut json = DEV_DIRECTORY_JSON.as_bytes().to_vec();
    for at in [0, json.len() / 2, json.len() - 2] {
        json[at] ^= 0x01;
        let err = Directory::verify(
            &json,
            DEV_DIRECTORY_SIG,
            today,
            &TrustAnchors::development(),
        )
        .expect_err("tampered");
        assert_eq!(err, DirectoryError::BadSignature, "byte {at}");
        json[at] ^= 0x01;
    }
    // A flipped signature byte fails too.
    let mut sig = DEV_DIRECTORY_SIG.to_owned();
    let last = sig.trim_end().len() - 1;
    let flipped = if sig.as_bytes()[last] == b'0' {
        "1"
    } else {
        "0"
    };
    sig.replace_range(last..=last, flipped);
    assert_eq!(
        Directory::verify(&json, &sig, today, &TrustAnchors::development()),
        Err(DirectoryError::BadSignature)
    );
    assert!(matches!(
        Directory::verify(&json, "garbage", today, &TrustAnchors::development()),
        Err(DirectoryError::MalformedSignature(_))
    ));
}

#[test]
fn expired_and_not_yet_valid_fail() {
    let dev = TrustAnchors::development();
    let json = DEV_DIRECTORY_JSON.as_bytes();
    assert!(
        Directory::verify(json, DEV_DIRECTORY_SIG, date(2028, 12, 31), &dev).is_ok(),
        "last valid day"
    );
    assert_eq!(
        Directory::verify(json, DEV_DIRECTORY_SIG, date(2029, 1, 1), &dev),
        Err(DirectoryError::Expired {
            expires_at: date(2028, 12, 31),
            today: date(2029, 1, 1)
        })
    );
    assert!(matches!(
        Directory::verify(json, DEV_DIRECTORY_SIG, date(2026, 11, 22), &dev),
        Err(DirectoryError::NotYetValid { .. })
    ));
    // A correctly signed directory with a past expiry is refused as expired.
    let old = DEV_DIRECTORY_JSON.replace(
        "\"expiresAt\": \"2028-12-31\"",
        "\"expiresAt\": \"2027-01-01\"",
    );
    let sig = sign(&old, dev::root_seed(0));
    assert!(matches!(
        Directory::verify(old.as_bytes(), &sig, date(2027, 1, 2), &dev),
        Err(DirectoryError::Expired { .. })
    ));
}

#[test]
fn a_wrong_kid_fails_even_when_signed() {
    let recipient = dev::age_recipient("eg-bw-lbank");
    let kid = kid_of(&recipient);
    assert_eq!(kid.len(), 16);
    assert!(DEV_DIRECTORY_JSON.contains(&format!("\"kid\": \"{kid}\"")));
    let tampered = DEV_DIRECTORY_JSON.replacen(&kid, "0000000000000000", 1);
    let sig = sign(&tampered, dev::root_seed(1));
    let err = Directory::verify(
        tampered.as_bytes(),
        &sig,
        date(2027, 6, 1),
        &TrustAnchors::development(),
    )
    .expect_err("kid mismatch");
    assert!(
        matches!(err, DirectoryError::KidMismatch { ref destination_id, .. } if destination_id == "eg-bw-lbank"),
        "{err}"
    );
}

#[test]
fn rotation_root_one_signs_too_and_an_unpinned_key_does_not() {
    let today = date(2027, 6, 1);
    let sig = sign(DEV_DIRECTORY_JSON, dev::root_seed(1));
    let dir = Directory::verify(
        DEV_DIRECTORY_JSON.as_bytes(),
        &sig,
        today,
        &TrustAnchors::development(),
    )
    .expect("root 1");
    assert_eq!(dir.signed_by(), &DEVELOPMENT_ROOTS[1]);
    let stranger = [7u8; 32];
    let sig = sign(DEV_DIRECTORY_JSON, stranger);
    assert!(matches!(
        Directory::verify(
            DEV_DIRECTORY_JSON.as_bytes(),
            &sig,
            today,
            &TrustAnchors::development()
        ),
        Err(DirectoryError::UnknownRoot { .. })
    ));
    // A custom anchor set with that key accepts it and is not marked development.
    let public = SigningKey::from_bytes(&stranger).verifying_key().to_bytes();
    let anchors = TrustAnchors::custom(vec![RootKey {
        label: "test",
        public,
        development: false,
    }]);
    let dir = Directory::verify(DEV_DIRECTORY_JSON.as_bytes(), &sig, today, &anchors)
        .expect("custom root");
    assert!(dir.is_development(), "the document itself says development");
}

#[test]
fn dev_identities_are_deterministic_and_match_the_directory() {
    let dir = Directory::development(date(2027, 6, 1)).expect("verifies");
    for dest in dir.destinations().iter().take(20) {
        let recipient = dev::age_recipient(&dest.destination_id);
        assert_eq!(dest.age_recipients[0].recipient, recipient);
        assert!(dev::age_identity(&dest.destination_id).starts_with("AGE-SECRET-KEY-1"));
    }
}
