//! Errors are log-safe (issue 22): no `StoreError` `Display` repeats what the caller passed
//! in or what a draft holds. Marker values go into ids, a part's pointer, an expected sender,
//! a file given as a handoff, and the draft itself.

#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use crate::common::{TempDir, content};
use elternkit_store::crypto::MemorySecretStore;
use elternkit_store::{DocumentId, DraftId, Store, StoreError};

const MARKERS: [&str; 2] = ["10762903845", "Marta"];

fn assert_clean(e: &StoreError, what: &str) {
    let text = e.to_string();
    for m in MARKERS {
        assert!(!text.contains(m), "{what}: {text}");
    }
}

#[test]
fn no_store_error_displays_an_input_value() {
    let dir = TempDir::new("log-safe");
    let (s1, s2, s3) = (
        MemorySecretStore::new(),
        MemorySecretStore::new(),
        MemorySecretStore::new(),
    );
    let mut mum = Store::open(&dir.join("mum.db"), &s1).unwrap();
    let mut dad = Store::open(&dir.join("dad.db"), &s2).unwrap();
    let mut stranger = Store::open(&dir.join("x.db"), &s3).unwrap();
    let id = mum
        .create_draft(&content("Marta 10762903845", 1, 600))
        .unwrap()
        .id;
    let armored = mum
        .export_draft(&id, &[&dad.device_recipient()], None)
        .unwrap();

    let marker = "Marta 10762903845";
    let mut errors: Vec<(StoreError, &str)> = vec![
        (DraftId::from_str(marker).unwrap_err(), "a draft id"),
        (DocumentId::from_str(marker).unwrap_err(), "a document id"),
        (
            mum.export_draft(&id, &[&dad.device_recipient()], Some("/Marta10762903845"))
                .unwrap_err(),
            "a part",
        ),
        (
            dad.import_draft(armored.as_bytes(), Some("age1Marta10762903845"))
                .unwrap_err(),
            "an expected sender",
        ),
        (
            dad.import_draft(marker.as_bytes(), None).unwrap_err(),
            "a file that is no handoff",
        ),
        (
            stranger.import_draft(armored.as_bytes(), None).unwrap_err(),
            "a handoff of this draft for another device",
        ),
        (
            mum.load_draft(&DraftId::from_str("0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00").unwrap())
                .unwrap_err(),
            "an unknown draft",
        ),
    ];
    // A recipient with a marker: the crypto layer's own error.
    errors.push((
        mum.export_draft(&id, &["Marta10762903845"], None)
            .unwrap_err(),
        "a recipient",
    ));
    for (e, what) in &errors {
        assert_clean(e, what);
    }
}
