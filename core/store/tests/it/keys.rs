//! A missing, wrong or unreadable key: a clear error, and the database files untouched.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{TempDir, content, fingerprint};
use elternkit_store::crypto::{DeviceKey, FileSecretStore, MemorySecretStore, SecretStore};
use elternkit_store::{Store, StoreError};

/// A database with two drafts, closed cleanly.
fn populated(dir: &TempDir, secrets: &dyn SecretStore) -> std::path::PathBuf {
    let path = dir.join("d.db");
    let mut store = Store::open(&path, secrets).unwrap();
    let id = store.create_draft(&content("k", 1, 2000)).unwrap().id;
    store.save_draft(&id, 1, &content("k", 2, 2000)).unwrap();
    store.create_draft(&content("k2", 1, 2000)).unwrap();
    path
}

fn assert_key_unavailable(result: Result<Store, StoreError>) -> String {
    match result {
        Err(err @ StoreError::KeyUnavailable { .. }) => err.to_string(),
        other => panic!("expected KeyUnavailable, got {other:?}"),
    }
}

#[test]
fn missing_key_is_key_unavailable_and_changes_nothing() {
    let db_dir = TempDir::new("keys-db");
    let path = populated(&db_dir, &MemorySecretStore::new());
    let before = fingerprint(db_dir.path());
    let empty = MemorySecretStore::new();
    let msg = assert_key_unavailable(Store::open(&path, &empty));
    assert!(msg.contains("no key is stored"), "{msg}");
    assert_eq!(fingerprint(db_dir.path()), before);
    // No key was generated behind the user's back.
    assert!(empty.load(DeviceKey::SECRET_NAME).unwrap().is_none());
}

#[test]
fn wrong_key_is_key_unavailable_and_changes_nothing() {
    let db_dir = TempDir::new("keys-db");
    let path = populated(&db_dir, &MemorySecretStore::new());
    let before = fingerprint(db_dir.path());
    let other = MemorySecretStore::new();
    DeviceKey::create(&other).unwrap();
    let msg = assert_key_unavailable(Store::open(&path, &other));
    assert!(msg.contains("encrypted with key"), "{msg}");
    assert_eq!(fingerprint(db_dir.path()), before);
}

#[test]
fn wrong_key_leaves_an_uncheckpointed_wal_untouched() {
    // The state after a crash: data still in the -wal file. Copy it while the writer is open.
    let src = TempDir::new("keys-src");
    let secrets = MemorySecretStore::new();
    let path = src.join("d.db");
    let mut store = Store::open(&path, &secrets).unwrap();
    store.create_draft(&content("wal", 1, 3000)).unwrap();
    let crashed = TempDir::new("keys-crashed");
    for suffix in ["", "-wal"] {
        let from = format!("{}{suffix}", path.display());
        std::fs::copy(&from, crashed.join(&format!("d.db{suffix}"))).unwrap();
    }
    drop(store);
    let before = fingerprint(crashed.path());
    assert!(before.keys().any(|p| p.ends_with("-wal")));
    let other = MemorySecretStore::new();
    DeviceKey::create(&other).unwrap();
    assert_key_unavailable(Store::open(&crashed.join("d.db"), &other));
    let after = fingerprint(crashed.path());
    // SQLite may build the -shm index for reading; the database and its WAL stay as they were.
    let data = |s: &std::collections::BTreeMap<String, (usize, u64)>| {
        s.iter()
            .filter(|(p, _)| !p.ends_with("-shm"))
            .map(|(p, b)| (p.clone(), *b))
            .collect::<Vec<_>>()
    };
    assert_eq!(data(&after), data(&before));
    // With the right key the crashed state opens and the draft is there.
    let store = Store::open(&crashed.join("d.db"), &secrets).unwrap();
    assert_eq!(store.list_drafts().unwrap().len(), 1);
}

#[test]
fn unreadable_or_garbled_key_file_changes_nothing() {
    let keys = TempDir::new("keys-file");
    let db_dir = TempDir::new("keys-db");
    let key_path = keys.join("device.key");
    let path = populated(&db_dir, &FileSecretStore::new(&key_path));
    let before = fingerprint(db_dir.path());

    // Garbage in the key file.
    let garbled = keys.join("garbled.key");
    write_private(&garbled, b"not a key\n");
    let msg = assert_key_unavailable(Store::open(&path, &FileSecretStore::new(&garbled)));
    assert!(msg.contains("not an ElternKit key file"), "{msg}");

    // A truncated secret.
    let text = std::fs::read_to_string(&key_path).unwrap();
    let truncated = keys.join("truncated.key");
    write_private(&truncated, &text.as_bytes()[..text.len() - 10]);
    assert_key_unavailable(Store::open(&path, &FileSecretStore::new(&truncated)));

    // A directory where the file should be.
    assert_key_unavailable(Store::open(&path, &FileSecretStore::new(keys.path())));

    assert_eq!(fingerprint(db_dir.path()), before);
    // The right file still works.
    let store = Store::open(&path, &FileSecretStore::new(&key_path)).unwrap();
    assert_eq!(store.list_drafts().unwrap().len(), 2);
}

/// A key file as the user would keep it: readable by the owner only (others are refused).
fn write_private(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn key_file_is_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let keys = TempDir::new("keys-mode");
    let db_dir = TempDir::new("keys-db");
    let key_path = keys.join("device.key");
    Store::open(&db_dir.join("d.db"), &FileSecretStore::new(&key_path)).unwrap();
    let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_row_from_another_database_is_refused() {
    // Two databases with different keys; a row moved from one to the other.
    let dir = TempDir::new("keys-foreign");
    let (s1, s2) = (MemorySecretStore::new(), MemorySecretStore::new());
    let (p1, p2) = (dir.join("one.db"), dir.join("two.db"));
    let mut one = Store::open(&p1, &s1).unwrap();
    let mut two = Store::open(&p2, &s2).unwrap();
    let id = one.create_draft(&content("foreign", 1, 300)).unwrap().id;
    let own = two.create_draft(&content("own", 1, 300)).unwrap().id;
    drop(one);
    let raw = rusqlite::Connection::open(&p2).unwrap();
    raw.execute("ATTACH DATABASE ?1 AS one", [p1.to_str().unwrap()])
        .unwrap();
    raw.execute("INSERT INTO drafts SELECT * FROM one.drafts", [])
        .unwrap();
    // Schema v2: the set of records no longer matches the head this device wrote.
    let err = two.load_draft(&own).unwrap_err();
    assert!(matches!(&err, StoreError::Tampered { .. }), "{err:?}");
    assert!(matches!(
        two.load_draft(&id),
        Err(StoreError::Tampered { .. })
    ));
    // Also when the clear key id is forged to match.
    raw.execute("UPDATE drafts SET key_id = ?1", [two.key_id()])
        .unwrap();
    assert!(matches!(
        two.load_draft(&id),
        Err(StoreError::Tampered { .. })
    ));
    // Nothing was deleted: taking the foreign row out again restores the database.
    raw.execute("DELETE FROM drafts WHERE id = ?1", [id.to_string()])
        .unwrap();
    assert_eq!(two.list_drafts().unwrap().len(), 1);
}
