//! Concurrent first use (issue 17, item 2): several handles open a fresh database with an
//! empty key file at the same moment and each saves a draft. Every draft reported saved must
//! be readable with the one key that ends up stored. Run many times: the race is narrow.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::{Arc, Barrier};

use common::{TempDir, content};
use elternkit_store::Store;
use elternkit_store::crypto::{DeviceKey, FileSecretStore, SecretStore};

#[test]
fn racing_first_use_ends_with_one_key_and_every_draft() {
    let rounds: usize = std::env::var("ELTERNKIT_FIRST_USE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    for round in 0..rounds {
        let dir = TempDir::new("first-use");
        let db = dir.join("d.db");
        let key = dir.join("device.key");
        let barrier = Arc::new(Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|who| {
                let (barrier, db, key) = (barrier.clone(), db.clone(), key.clone());
                std::thread::spawn(move || {
                    // Each thread has its own store object, as separate processes would.
                    let secrets = FileSecretStore::new(key);
                    barrier.wait();
                    let mut store = Store::open(&db, &secrets)?;
                    let id = store.create_draft(&content(&format!("w{who}"), 1, 500))?.id;
                    Ok::<_, elternkit_store::StoreError>((id, store.key_id().to_owned()))
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let secrets = FileSecretStore::new(&key);
        let stored =
            DeviceKey::from_secret(secrets.load(DeviceKey::SECRET_NAME).unwrap().unwrap()).unwrap();
        let store = Store::open(&db, &secrets).unwrap();
        for result in results {
            let (id, key_id) = result.unwrap_or_else(|e| panic!("round {round}: {e}"));
            assert_eq!(key_id, stored.key_id().as_str(), "round {round}");
            store.load_draft(&id).unwrap();
        }
        assert_eq!(store.list_drafts().unwrap().len(), 3, "round {round}");
    }
}

#[test]
fn store_if_absent_keeps_the_first_secret() {
    let dir = TempDir::new("first-use-secret");
    let secrets = FileSecretStore::new(dir.join("k.key"));
    let first = zeroize::Zeroizing::new([1u8; 32]);
    let second = zeroize::Zeroizing::new([2u8; 32]);
    assert_eq!(*secrets.store_if_absent("n", &first).unwrap(), [1u8; 32]);
    assert_eq!(*secrets.store_if_absent("n", &second).unwrap(), [1u8; 32]);
    assert_eq!(*secrets.load("n").unwrap().unwrap(), [1u8; 32]);
}
