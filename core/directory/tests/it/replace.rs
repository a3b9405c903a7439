//! A directory is never replaced by an older one, and plain-http loopback endpoints are
//! accepted only in a development directory signed by a development root.

use ed25519_dalek::{Signer as _, SigningKey};
use elternkit_directory::{
    DEV_DIRECTORY_JSON, Directory, DirectoryDocument, DirectoryError, RootKey, SIGNATURE_CONTEXT,
    TrustAnchors, dev, signature_line,
};
use jiff::civil::date;

/// The dev directory's document with `edit` applied, signed by dev root 0 (or by a root that
/// is not marked development).
fn signed(
    edit: impl FnOnce(&mut DirectoryDocument),
    development_root: bool,
) -> Result<Directory, DirectoryError> {
    let mut doc: DirectoryDocument = serde_json::from_str(DEV_DIRECTORY_JSON).expect("parses");
    edit(&mut doc);
    let json = serde_json::to_string(&doc).expect("JSON");
    let key = SigningKey::from_bytes(&dev::root_seed(0));
    let mut message = SIGNATURE_CONTEXT.to_vec();
    message.extend_from_slice(json.as_bytes());
    let sig = signature_line(
        key.verifying_key().as_bytes(),
        &key.sign(&message).to_bytes(),
    );
    let anchors = TrustAnchors::custom(vec![RootKey {
        label: "test root",
        public: key.verifying_key().to_bytes(),
        development: development_root,
    }]);
    Directory::verify(json.as_bytes(), &sig, date(2027, 6, 1), &anchors)
}

#[test]
fn an_older_directory_is_refused() {
    let v5 = signed(|d| d.version = 5, true).expect("verifies");
    let v4 = signed(|d| d.version = 4, true).expect("verifies");
    let v6 = signed(|d| d.version = 6, true).expect("verifies");
    assert_eq!(
        v5.check_replacement(&v4),
        Err(DirectoryError::Older {
            current: 5,
            offered: 4
        })
    );
    assert_eq!(v5.check_replacement(&v6), Ok(()));
    assert_eq!(
        v5.check_replacement(&v5.clone()),
        Ok(()),
        "the same one again"
    );
    let v5_other = signed(
        |d| {
            d.version = 5;
            d.destinations.pop();
        },
        true,
    )
    .expect("verifies");
    assert_eq!(
        v5.check_replacement(&v5_other),
        Err(DirectoryError::SameVersionDiffers { version: 5 })
    );
}

#[test]
fn loopback_http_only_in_a_development_directory() {
    let loopback = |d: &mut DirectoryDocument| {
        d.destinations[0].endpoint = "http://127.0.0.1:8443/fsp/v1".into();
    };
    let dir = signed(loopback, true).expect("a dev directory may name a loopback relay");
    assert!(
        dir.destinations()[0]
            .endpoint
            .starts_with("http://127.0.0.1")
    );
    // Not when the root is a production one, nor when the document is not development.
    assert!(matches!(
        signed(loopback, false),
        Err(DirectoryError::BadDestination { .. })
    ));
    assert!(matches!(
        signed(
            |d| {
                loopback(d);
                d.development = false;
            },
            true
        ),
        Err(DirectoryError::BadDestination { .. })
    ));
    // Plain http to anything but loopback is refused even in development.
    assert!(matches!(
        signed(
            |d| d.destinations[0].endpoint = "http://relay.example/fsp/v1".into(),
            true
        ),
        Err(DirectoryError::BadDestination { .. })
    ));
}

#[test]
fn the_dev_directory_names_the_dev_relay_key() {
    let dir = Directory::development(date(2027, 6, 1)).expect("verifies");
    let relay = SigningKey::from_bytes(&dev::relay_key_seed()).verifying_key();
    use base64::Engine as _;
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(relay.as_bytes());
    assert!(
        dir.destinations()
            .iter()
            .all(|d| d.relay_keys.len() == 1 && d.relay_keys[0].jwk.x == x)
    );
}
