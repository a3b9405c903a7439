//! Attacks from outside the API (issue 17): someone who can write the database files but
//! does not hold the device secret. Each attack edits the files between calls (raw SQLite,
//! file writes) and asserts that the store refuses with an error naming the record, and
//! that the refusal changed nothing else.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::{TempDir, content, fingerprint};
use elternkit_store::crypto::{DeviceKey, FileSecretStore, MemorySecretStore, SecretStore};
use elternkit_store::{DraftId, DraftStatus, OutboxState, Store, StoreError};

/// The database and its WAL, byte for byte (the -shm index may change on any read).
fn data_files(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    fingerprint(dir)
        .into_iter()
        .filter(|(name, _)| !name.ends_with("-shm"))
        .collect()
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// An age envelope with ElternKit's frame, sealed to `recipient` the way anyone who saw the
/// device's QR code can.
fn forge(recipient: &str, kind: u8, id: &str, version: u64, body: &[u8]) -> Vec<u8> {
    let mut plain = b"EKF1".to_vec();
    plain.push(kind);
    plain.extend_from_slice(&version.to_be_bytes());
    plain.extend_from_slice(&(id.len() as u16).to_be_bytes());
    plain.extend_from_slice(id.as_bytes());
    plain.extend_from_slice(body);
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).unwrap();
    w.write_all(&plain).unwrap();
    w.finish().unwrap();
    out
}

fn assert_tampered<T: std::fmt::Debug>(result: Result<T, StoreError>, id: &str) -> String {
    match result {
        Err(err @ StoreError::Tampered { .. }) => {
            let msg = err.to_string();
            assert!(msg.contains(id), "the error must name {id}: {msg}");
            msg
        }
        other => panic!("expected Tampered naming {id}, got {other:?}"),
    }
}

struct Fixture {
    dir: TempDir,
    path: PathBuf,
    secrets: MemorySecretStore,
    store: Store,
    a: DraftId,
    b: DraftId,
}

/// Two drafts, A at version 3 (history 1, 2), B at version 1.
fn fixture(label: &str) -> Fixture {
    let dir = TempDir::new(label);
    let path = dir.join("d.db");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&path, &secrets).unwrap();
    let a = store.create_draft(&content("alpha", 1, 600)).unwrap().id;
    store.save_draft(&a, 1, &content("alpha", 2, 600)).unwrap();
    store.save_draft(&a, 2, &content("alpha", 3, 600)).unwrap();
    let b = store.create_draft(&content("beta", 1, 600)).unwrap().id;
    Fixture {
        dir,
        path,
        secrets,
        store,
        a,
        b,
    }
}

#[test]
fn forged_envelopes_sealed_to_the_public_recipient_are_refused() {
    let f = fixture("attack-forge");
    let recipient = f.store.device_recipient();
    let b = f.b.to_string();
    let mut evil = content("evil", 1, 600);
    evil.case["iban"] = serde_json::json!("DE89370400440532013000 ATTACKER");
    let summary = forge(
        &recipient,
        1,
        &b,
        1,
        &serde_json::to_vec(&evil.summary).unwrap(),
    );
    let payload = forge(
        &recipient,
        2,
        &b,
        1,
        &serde_json::to_vec(&evil.case).unwrap(),
    );
    raw(&f.path)
        .execute(
            "UPDATE drafts SET summary = ?1, payload = ?2 WHERE id = ?3",
            rusqlite::params![summary, payload, b],
        )
        .unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(f.store.load_draft(&f.b), &b);
    let listing = f.store.list_drafts().unwrap();
    let row = listing.iter().find(|l| l.id == b).unwrap();
    assert!(matches!(row.entry, Err(StoreError::Tampered { .. })));
    // Nothing else changed, and the untouched draft still reads.
    assert_eq!(data_files(f.dir.path()), before);
    assert_eq!(
        f.store.load_draft(&f.a).unwrap().content,
        content("alpha", 3, 600)
    );

    // A forged setting added (a value the attacker chose, under a name the app reads): the
    // set of records no longer matches the head.
    let setting = forge(&recipient, 5, "language", 0, b"\"xx\"");
    raw(&f.path)
        .execute(
            "INSERT INTO settings (name, key_id, value, tag) VALUES ('language', ?1, ?2, x'00')",
            rusqlite::params![f.store.key_id(), setting],
        )
        .unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(f.store.setting("language"), "store head");
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn a_draft_set_back_to_an_older_version_is_refused() {
    let f = fixture("attack-rollback");
    let a = f.a.to_string();
    // Version 2 from the history becomes the current row again (every column, its own tag),
    // and version 2 is removed from the history so nothing looks duplicated.
    let db = raw(&f.path);
    db.execute(
        "UPDATE drafts SET (version, status, updated_minute, key_id, schema, prev_tag, tag, \
         summary, payload) = (SELECT version, status, updated_minute, key_id, schema, prev_tag, \
         tag, summary, payload FROM draft_history WHERE draft_id = ?1 AND version = 2) \
         WHERE id = ?1",
        [&a],
    )
    .unwrap();
    db.execute(
        "DELETE FROM draft_history WHERE draft_id = ?1 AND version = 2",
        [&a],
    )
    .unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(f.store.load_draft(&f.a), "store head");
    let mut store = f.store;
    // A save on top of the rolled-back state is refused too: writes build on verified state.
    assert_tampered(
        store.save_draft(&f.a, 2, &content("alpha", 3, 600)),
        "store head",
    );
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn deleted_history_rows_are_refused() {
    let f = fixture("attack-history");
    let a = f.a.to_string();
    raw(&f.path)
        .execute(
            "DELETE FROM draft_history WHERE draft_id = ?1 AND version = 1",
            [&a],
        )
        .unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(f.store.draft_history(&f.a), "store head");
    assert_tampered(f.store.load_draft(&f.b), "store head");
    assert_eq!(data_files(f.dir.path()), before);
    // Closing checkpoints the WAL; reopening does not launder the deletion either.
    drop(f.store);
    let before = data_files(f.dir.path());
    assert_tampered(Store::open(&f.path, &f.secrets), "store head");
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn the_draft_chain_names_the_broken_link() {
    // The head protects the set of row tags; the chain says which version is out of place.
    // Swapping the tags of A's versions 1 and 2 keeps the set (and the head) intact but
    // breaks the links.
    let f = fixture("attack-chain");
    let a = f.a.to_string();
    let db = raw(&f.path);
    let tag = |v: i64| -> Vec<u8> {
        db.query_row(
            "SELECT tag FROM draft_history WHERE draft_id = ?1 AND version = ?2",
            rusqlite::params![a, v],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (t1, t2) = (tag(1), tag(2));
    for (v, t) in [(1, &t2), (2, &t1)] {
        db.execute(
            "UPDATE draft_history SET tag = ?1 WHERE draft_id = ?2 AND version = ?3",
            rusqlite::params![t, a, v],
        )
        .unwrap();
    }
    let before = data_files(f.dir.path());
    let msg = assert_tampered(f.store.load_draft(&f.a), &format!("{a} v2"));
    assert!(
        msg.contains("missing from the history or was replaced"),
        "{msg}"
    );
    assert_tampered(f.store.load_draft_version(&f.a, 1), &format!("{a} v1"));
    // The other draft is not affected.
    f.store.load_draft(&f.b).unwrap();
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn a_whole_file_put_back_is_refused_where_the_secret_store_keeps_a_counter() {
    let f = fixture("attack-file-rollback");
    let Fixture {
        dir,
        path,
        secrets,
        mut store,
        a,
        ..
    } = f;
    drop(store);
    let old: BTreeMap<PathBuf, Vec<u8>> = common::snapshot(dir.path());
    store = Store::open(&path, &secrets).unwrap();
    store.save_draft(&a, 3, &content("alpha", 4, 600)).unwrap();
    drop(store);
    // Put the older copy back, exactly as it was.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::remove_file(p).unwrap();
        }
    }
    for (p, bytes) in &old {
        std::fs::write(p, bytes).unwrap();
    }
    let before = data_files(dir.path());
    let msg = assert_tampered(Store::open(&path, &secrets), "database");
    assert!(msg.contains("older copy"), "{msg}");
    assert_eq!(data_files(dir.path()), before);
}

#[test]
fn without_the_head_no_key_is_accepted_or_created() {
    let f = fixture("attack-head");
    drop(f.store);
    raw(&f.path).execute("DELETE FROM head", []).unwrap();
    let before = data_files(f.dir.path());
    // A wrong key is not accepted (and nothing is recorded for it).
    let other = MemorySecretStore::new();
    DeviceKey::create(&other).unwrap();
    assert!(Store::open(&f.path, &other).is_err());
    // A missing key is not replaced by a new one.
    let empty = MemorySecretStore::new();
    assert!(matches!(
        Store::open(&f.path, &empty),
        Err(StoreError::KeyUnavailable { .. })
    ));
    assert!(empty.load(DeviceKey::SECRET_NAME).unwrap().is_none());
    // The right key finds the check record missing and says so.
    assert_tampered(Store::open(&f.path, &f.secrets), "store head");
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn a_forged_key_id_in_the_head_does_not_let_a_wrong_key_in() {
    let f = fixture("attack-keyid");
    drop(f.store);
    let other = MemorySecretStore::new();
    let other_id = DeviceKey::create(&other).unwrap().key_id().to_string();
    raw(&f.path)
        .execute("UPDATE head SET key_id = ?1", [&other_id])
        .unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(Store::open(&f.path, &other), "store head");
    assert_tampered(Store::open(&f.path, &f.secrets), "store head");
    assert_eq!(data_files(f.dir.path()), before);
}

#[test]
fn clear_columns_that_decide_behaviour_are_bound() {
    let f = fixture("attack-columns");
    let mut store = f.store;
    let (a, b) = (f.a, f.b);
    let doc = store
        .add_document(&a, "scan.pdf", "application/pdf", &b"%PDF scan"[..])
        .unwrap()
        .id
        .unwrap();
    let out = store.enqueue_outbox(&a, b"request").unwrap();
    store
        .update_outbox(&out, OutboxState::Sent, i64::MAX)
        .unwrap();
    let receipt = store.add_receipt(&a, b"receipt").unwrap();
    let db = raw(&f.path);
    let check =
        |sql: &str, undo: &str, what: &dyn Fn(&Store) -> Result<(), StoreError>, id: &str| {
            db.execute(sql, []).unwrap();
            let before = data_files(f.dir.path());
            assert_tampered(what(&store), id);
            assert_eq!(data_files(f.dir.path()), before, "{sql}");
            db.execute(undo, []).unwrap();
            what(&store).unwrap();
        };
    check(
        &format!("UPDATE drafts SET status = 'submitted' WHERE id = '{b}'"),
        &format!("UPDATE drafts SET status = 'draft' WHERE id = '{b}'"),
        &|s| {
            s.load_draft(&b)
                .map(|d| assert_eq!(d.meta.status, DraftStatus::Draft))
        },
        &b.to_string(),
    );
    check(
        &format!("UPDATE documents SET draft_id = '{b}' WHERE id = '{doc}'"),
        &format!("UPDATE documents SET draft_id = '{a}' WHERE id = '{doc}'"),
        &|s| s.document_info(&doc).map(|_| ()),
        &doc.to_string(),
    );
    check(
        &format!("UPDATE outbox SET state = 'pending' WHERE id = '{out}'"),
        &format!("UPDATE outbox SET state = 'sent' WHERE id = '{out}'"),
        &|s| s.outbox_due(i64::MAX).map(|due| assert!(due.is_empty())),
        &out,
    );
    check(
        &format!("UPDATE outbox SET draft_id = '{b}' WHERE id = '{out}'"),
        &format!("UPDATE outbox SET draft_id = '{a}' WHERE id = '{out}'"),
        &|s| s.outbox_request(&out).map(|_| ()),
        &out,
    );
    check(
        &format!("UPDATE receipts SET draft_id = '{b}' WHERE id = '{receipt}'"),
        &format!("UPDATE receipts SET draft_id = '{a}' WHERE id = '{receipt}'"),
        &|s| s.receipts(&b).map(|r| assert!(r.is_empty())),
        &receipt,
    );
}

#[test]
fn empty_or_cut_blobs_name_the_record_and_the_list_goes_on() {
    let f = fixture("attack-errors");
    let b = f.b.to_string();
    let db = raw(&f.path);
    let original: Vec<u8> = db
        .query_row("SELECT summary FROM drafts WHERE id = ?1", [&b], |r| {
            r.get(0)
        })
        .unwrap();
    for blob in [Vec::new(), original[..30].to_vec()] {
        db.execute(
            "UPDATE drafts SET summary = ?1 WHERE id = ?2",
            rusqlite::params![blob, b],
        )
        .unwrap();
        let before = data_files(f.dir.path());
        let msg = assert_tampered(f.store.load_draft(&f.b), &b);
        assert!(!msg.contains("fill whole buffer"), "{msg}");
        let listing = f.store.list_drafts().unwrap();
        assert_eq!(listing.len(), 2);
        for row in &listing {
            if row.id == b {
                let err = row.entry.as_ref().unwrap_err().to_string();
                assert!(err.contains(&b), "{err}");
            } else {
                assert!(row.entry.is_ok(), "{row:?}");
            }
        }
        assert_eq!(data_files(f.dir.path()), before);
    }
    db.execute(
        "UPDATE drafts SET summary = ?1 WHERE id = ?2",
        rusqlite::params![original, b],
    )
    .unwrap();
    f.store.load_draft(&f.b).unwrap();
    // A status the app never writes is reported for that row, not for the whole list.
    db.execute("UPDATE drafts SET status = 'bogus' WHERE id = ?1", [&b])
        .unwrap();
    assert_eq!(
        f.store
            .list_drafts()
            .unwrap()
            .iter()
            .filter(|l| l.entry.is_ok())
            .count(),
        1
    );
}

#[test]
fn a_damaged_document_file_is_refused_before_any_byte() {
    let f = fixture("attack-doc");
    let mut store = f.store;
    let doc = store
        .add_document(&f.a, "scan.pdf", "application/pdf", &b"%PDF-1.7 real"[..])
        .unwrap()
        .id
        .unwrap();
    // A document file sealed to the device's public recipient by someone else.
    let forged = forge(
        &store.device_recipient(),
        4,
        &doc.to_string(),
        0,
        b"%PDF forged",
    );
    let file = f.dir.join(&format!("d.db.documents/{doc}.age"));
    std::fs::write(&file, forged).unwrap();
    let before = data_files(f.dir.path());
    assert_tampered(store.open_document(&doc), &doc.to_string());
    assert_eq!(data_files(f.dir.path()), before);
}

#[cfg(unix)]
#[test]
fn files_are_private_and_a_readable_key_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("attack-modes");
    let keys = TempDir::new("attack-modes-key");
    let key = keys.join("device.key");
    // Planted before first use: a temp file at the old fixed name, and a symlink to a file
    // the attacker can read.
    let stolen = keys.join("stolen");
    std::fs::write(&stolen, b"").unwrap();
    std::fs::set_permissions(&stolen, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::os::unix::fs::symlink(&stolen, keys.join(".device.key.tmp")).unwrap();
    let secrets = FileSecretStore::new(&key);
    let path = dir.join("d.db");
    let mut store = Store::open(&path, &secrets).unwrap();
    let id = store.create_draft(&content("modes", 1, 100)).unwrap().id;
    store
        .add_document(&id, "a.pdf", "application/pdf", &b"%PDF"[..])
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&key), 0o600);
    assert_eq!(
        std::fs::read(&stolen).unwrap(),
        b"",
        "the secret went through the symlink"
    );
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(
            mode(&dir.join(&format!("d.db{suffix}"))),
            0o600,
            "d.db{suffix}"
        );
    }
    assert_eq!(mode(&dir.join("d.db.documents")), 0o700);
    drop(store);

    // A key file others can read is refused, naming the file; nothing is changed.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = data_files(dir.path());
    let err = Store::open(&path, &secrets).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, StoreError::KeyUnavailable { .. }) && msg.contains("chmod 600"),
        "{msg}"
    );
    assert_eq!(data_files(dir.path()), before);
}

#[test]
fn an_oversized_draft_is_refused_with_the_limit() {
    let dir = TempDir::new("attack-size");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let huge = content("huge", 1, elternkit_store::MAX_DRAFT_BYTES as usize + 1000);
    let err = store.create_draft(&huge).unwrap_err();
    assert!(
        matches!(err, StoreError::TooLarge { .. }) && err.to_string().contains("limit"),
        "{err:?}"
    );
    assert!(store.list_drafts().unwrap().is_empty());
}

#[test]
fn the_same_handoff_imports_once_and_an_upper_case_sender_matches() {
    let dir = TempDir::new("attack-handoff");
    let (ms, ds) = (MemorySecretStore::new(), MemorySecretStore::new());
    let mut mum = Store::open(&dir.join("mum.db"), &ms).unwrap();
    let mut dad = Store::open(&dir.join("dad.db"), &ds).unwrap();
    let id = mum.create_draft(&content("handoff", 1, 300)).unwrap().id;
    let armored = mum
        .export_draft(&id, &[&dad.device_recipient().to_uppercase()], None)
        .unwrap();
    let qr_form = mum.device_recipient().to_uppercase();
    let first = dad
        .import_draft(armored.as_bytes(), Some(&qr_form))
        .unwrap();
    assert!(!first.already_imported);
    let again = dad.import_draft(armored.as_bytes(), None).unwrap();
    assert!(again.already_imported);
    assert_eq!(again.meta.id, first.meta.id);
    assert_eq!(dad.list_drafts().unwrap().len(), 1);
    // After the user deletes it, importing it again makes a new draft.
    dad.delete_draft(&first.meta.id).unwrap();
    let third = dad.import_draft(armored.as_bytes(), None).unwrap();
    assert!(!third.already_imported);
    assert_ne!(third.meta.id, first.meta.id);
    // Mixed case is not a bech32 key at all.
    let mut mixed = mum.device_recipient();
    mixed.replace_range(0..1, "A");
    assert!(matches!(
        dad.import_draft(armored.as_bytes(), Some(&mixed)),
        Err(StoreError::InvalidInput(_))
    ));
}

/// The committed v1 fixture (db, key, documents) in `into`.
fn v1_fixture(into: &TempDir) -> (PathBuf, FileSecretStore) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = into.join("d.db");
    std::fs::copy(src.join("v1.db"), &db).unwrap();
    let key = into.join("d.key");
    std::fs::copy(src.join("v1.key"), &key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    (db, FileSecretStore::new(key))
}

#[test]
fn a_v1_database_without_its_meta_row_still_checks_the_key() {
    let dir = TempDir::new("attack-v1-meta");
    let (db, secrets) = v1_fixture(&dir);
    raw(&db).execute("DELETE FROM meta", []).unwrap();
    let before = data_files(dir.path());
    // A wrong key is refused by opening a stored envelope, and nothing is migrated with it.
    let other = MemorySecretStore::new();
    DeviceKey::create(&other).unwrap();
    assert!(matches!(
        Store::open(&db, &other),
        Err(StoreError::KeyUnavailable { .. })
    ));
    // No key: refused, and no new key is made for a database that holds rows.
    let empty = MemorySecretStore::new();
    assert!(matches!(
        Store::open(&db, &empty),
        Err(StoreError::KeyUnavailable { .. })
    ));
    assert!(empty.load(DeviceKey::SECRET_NAME).unwrap().is_none());
    assert_eq!(data_files(dir.path()), before);
    // The right key still opens (and migrates) it.
    let store = Store::open(&db, &secrets).unwrap();
    assert_eq!(store.list_drafts().unwrap().len(), 2);
}

#[cfg(unix)]
#[test]
fn a_planted_lock_symlink_is_not_followed() {
    let dir = TempDir::new("attack-lock");
    let keys = TempDir::new("attack-lock-key");
    let target = keys.join("elsewhere");
    std::os::unix::fs::symlink(&target, keys.join(".device.key.lock")).unwrap();
    let secrets = FileSecretStore::new(keys.join("device.key"));
    let err = Store::open(&dir.join("d.db"), &secrets).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(!target.exists());
    assert!(!keys.join("device.key").exists());
}

/// Another program's SQLite database given as the draft database is refused before the key
/// is made or a table is added: its bytes and the key file stay as they were.
#[test]
fn another_programs_sqlite_database_is_refused_unchanged() {
    let dir = TempDir::new("foreign-db");
    let db = dir.join("photos.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT);")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let key = dir.join("device.key");
    let secrets = FileSecretStore::new(key.clone());
    let err = match Store::open(&db, &secrets) {
        Err(e) => e,
        Ok(_) => panic!("a foreign database was opened"),
    };
    assert!(matches!(err, StoreError::ForeignDatabase { .. }), "{err:?}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!key.exists(), "no key is made for a refused file");
    assert!(!dir.join("photos.db-wal").exists());
}
