//! Migrations: every earlier schema version has a committed fixture database
//! (`tests/fixtures/v{N}.db` with its key file); each must open, migrate to the latest schema,
//! match a fresh database's schema and still hold its drafts.
//!
//! When a migration is added, first write the fixture of the version it replaces:
//! `ELTERNKIT_WRITE_STORE_FIXTURE=1 cargo test -p elternkit-store --test it \
//!  -- --ignored migrations::write_fixture_of_latest_schema`

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::{TempDir, content};
use elternkit_store::crypto::FileSecretStore;
use elternkit_store::{DraftId, Store, schema};
use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

const DOC_BODY: &[u8] = b"%PDF-1.7 fixture document";
const OUTBOX_REQUEST: &[u8] = b"sealed submission bytes of the fixture";
const OUTBOX_PROGRESS: &[u8] = b"{\"step\":\"upload\",\"index\":0}";

/// Writes `v{LATEST}.db`, its key file and the expected contents.
#[test]
#[ignore = "writes the fixture files; run by hand before adding a migration"]
fn write_fixture_of_latest_schema() {
    if std::env::var("ELTERNKIT_WRITE_STORE_FIXTURE").is_err() {
        return;
    }
    let v = schema::LATEST;
    let dir = fixtures();
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("v{v}.db"));
    assert!(
        !db.exists(),
        "{} exists: fixtures are never rewritten",
        db.display()
    );
    let secrets = FileSecretStore::new(dir.join(format!("v{v}.key")));
    let mut store = Store::open(&db, &secrets).unwrap();
    let a = store
        .create_draft(&content("fixture-a", 1, 1500))
        .unwrap()
        .id;
    store
        .save_draft(&a, 1, &content("fixture-a", 2, 1500))
        .unwrap();
    store
        .save_draft(&a, 2, &content("fixture-a", 3, 1500))
        .unwrap();
    let b = store
        .create_draft(&content("fixture-b", 1, 600))
        .unwrap()
        .id;
    let doc = store
        .add_document(&b, "geburtsurkunde.pdf", "application/pdf", DOC_BODY)
        .unwrap();
    store.set_setting("language", &json!("de")).unwrap();
    // From schema v3 on: one FSP/1 submission in the outbox, after one recorded turn.
    let outbox = (v >= 3).then(|| {
        let sid = "6f1c2a52-8a0e-4c61-9d8f-0c9a3e7b1d42";
        store
            .enqueue_submission(
                &b,
                elternkit_store::NewSubmission {
                    submission_id: sid,
                    destination_id: "eg-by-zbfs",
                    request: OUTBOX_REQUEST,
                    progress: b"{\"step\":\"announce\"}",
                    step: "announce",
                },
            )
            .unwrap();
        store
            .record_outbox(
                sid,
                elternkit_store::OutboxProgress {
                    state: elternkit_store::OutboxState::Pending,
                    step: "upload",
                    attempts: 1,
                    next_attempt_minute: 29_000_000,
                    last_error: "http:503:unavailable",
                    progress: OUTBOX_PROGRESS,
                },
            )
            .unwrap();
        json!([{"id": sid, "destination": "eg-by-zbfs", "step": "upload",
                "last_error": "http:503:unavailable", "attempts": 1}])
    });
    drop(store);
    let mut expected = json!({
        "schema_version": v,
        "drafts": [
            {"id": a.to_string(), "marker": "fixture-a", "size": 1500, "version": 3,
             "history": [2, 1]},
            {"id": b.to_string(), "marker": "fixture-b", "size": 600, "version": 1,
             "history": [], "document": doc.id.unwrap().to_string()},
        ],
        "settings": {"language": "de"},
    });
    if let Some(outbox) = outbox {
        expected["outbox"] = outbox;
    }
    std::fs::write(
        dir.join(format!("v{v}.expected.json")),
        serde_json::to_string_pretty(&expected).unwrap(),
    )
    .unwrap();
}

/// Copies fixture `v` (db, key, documents) into `into`; returns the db path and key store.
fn copy_fixture(v: i64, into: &TempDir) -> (PathBuf, FileSecretStore) {
    let src = fixtures();
    let db = into.join("d.db");
    std::fs::copy(src.join(format!("v{v}.db")), &db).unwrap();
    std::fs::copy(src.join(format!("v{v}.key")), into.join("d.key")).unwrap();
    // git keeps 0644; a key file others can read is refused (schema v2 and later).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(into.join("d.key"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let docs = src.join(format!("v{v}.db.documents"));
    if docs.exists() {
        let target = into.join("d.db.documents");
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(docs).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
        }
    }
    (db, FileSecretStore::new(into.join("d.key")))
}

fn schema_of(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, ifnull(sql, '') FROM sqlite_master ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_schema_version_has_a_fixture() {
    for v in 1..=schema::LATEST {
        for file in [
            format!("v{v}.db"),
            format!("v{v}.key"),
            format!("v{v}.expected.json"),
        ] {
            assert!(
                fixtures().join(&file).exists(),
                "missing fixture {file}: write it before changing the schema (see the module doc)"
            );
        }
    }
}

#[test]
fn every_fixture_migrates_to_the_latest_schema_with_its_data() {
    let fresh = TempDir::new("migrate-fresh");
    Store::open(
        &fresh.join("d.db"),
        &FileSecretStore::new(fresh.join("d.key")),
    )
    .unwrap();
    let fresh_schema = schema_of(&fresh.join("d.db"));

    for v in 1..=schema::LATEST {
        let dir = TempDir::new(&format!("migrate-v{v}"));
        let (db, secrets) = copy_fixture(v, &dir);
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures().join(format!("v{v}.expected.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(expected["schema_version"], json!(v));

        let mut store = Store::open(&db, &secrets).unwrap();
        store.integrity_check().unwrap();
        for d in expected["drafts"].as_array().unwrap() {
            let id: DraftId = d["id"].as_str().unwrap().parse().unwrap();
            let marker = d["marker"].as_str().unwrap();
            let size = d["size"].as_u64().unwrap() as usize;
            let version = d["version"].as_u64().unwrap();
            let draft = store.load_draft(&id).unwrap();
            assert_eq!(draft.meta.version, version, "fixture v{v}");
            assert_eq!(
                draft.content,
                content(marker, version, size),
                "fixture v{v}"
            );
            let history: Vec<u64> = store
                .draft_history(&id)
                .unwrap()
                .iter()
                .map(|h| h.version)
                .collect();
            let want: Vec<u64> = d["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_u64().unwrap())
                .collect();
            assert_eq!(history, want, "fixture v{v}");
            for old in want {
                assert_eq!(
                    store.load_draft_version(&id, old).unwrap().content,
                    content(marker, old, size)
                );
            }
            if let Some(doc) = d.get("document").and_then(Value::as_str) {
                let mut body = Vec::new();
                store
                    .open_document(&doc.parse().unwrap())
                    .unwrap()
                    .read_to_end(&mut body)
                    .unwrap();
                assert_eq!(body, DOC_BODY);
            }
            // A migrated draft can be saved on.
            store
                .save_draft(&id, version, &content(marker, version + 1, size))
                .unwrap();
        }
        for (name, value) in expected["settings"].as_object().unwrap() {
            assert_eq!(store.setting(name).unwrap().as_ref(), Some(value));
        }
        let items = store.outbox_items().unwrap();
        let want = expected["outbox"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), want.len(), "fixture v{v}");
        for (item, want) in items.iter().zip(&want) {
            assert_eq!(item.id, want["id"].as_str().unwrap());
            assert_eq!(item.destination_id, want["destination"].as_str().unwrap());
            assert_eq!(item.step, want["step"].as_str().unwrap());
            assert_eq!(item.last_error, want["last_error"].as_str().unwrap());
            assert_eq!(u64::from(item.attempts), want["attempts"].as_u64().unwrap());
            assert_eq!(
                store.outbox_request(&item.id).unwrap().as_slice(),
                OUTBOX_REQUEST
            );
            assert_eq!(
                store.outbox_progress(&item.id).unwrap().as_slice(),
                OUTBOX_PROGRESS
            );
        }
        drop(store);
        assert_eq!(schema_of(&db), fresh_schema, "fixture v{v} after migration");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let uv: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(uv, schema::LATEST);
    }
}

#[test]
fn a_database_from_a_newer_app_is_refused_untouched() {
    let dir = TempDir::new("migrate-newer");
    let (db, secrets) = copy_fixture(schema::LATEST, &dir);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", schema::LATEST + 1)
            .unwrap();
    }
    let before = common::fingerprint(dir.path());
    let err = Store::open(&db, &secrets).unwrap_err();
    assert!(err.to_string().contains("update the app"), "{err}");
    assert_eq!(common::fingerprint(dir.path()), before);
}
