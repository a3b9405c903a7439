//! Drafts on a real database file: lifecycle, history, conflicts, row swaps, handoff, wipe.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::{Arc, Barrier};

use common::{TempDir, content};
use elternkit_store::crypto::{DeviceKey, MemorySecretStore, SecretStore};
use elternkit_store::{
    DraftStatus, HandoffProblem, InputError, OutboxState, Store, StoreError, StoreOptions,
};
use serde_json::json;

#[test]
fn create_load_save_list_delete() {
    let dir = TempDir::new("drafts");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();

    let a = store.create_draft(&content("alpha", 1, 1000)).unwrap();
    let b = store.create_draft(&content("beta", 1, 1000)).unwrap();
    assert_eq!(a.version, 1);
    assert_eq!(
        store.load_draft(&a.id).unwrap().content,
        content("alpha", 1, 1000)
    );

    let mut next = content("alpha", 2, 1000);
    next.status = DraftStatus::Ready;
    let saved = store.save_draft(&a.id, 1, &next).unwrap();
    assert_eq!(saved.version, 2);
    let loaded = store.load_draft(&a.id).unwrap();
    assert_eq!(loaded.meta.version, 2);
    assert_eq!(loaded.meta.status, DraftStatus::Ready);
    assert_eq!(loaded.content, next);

    let list = store.list_drafts().unwrap();
    assert_eq!(list.len(), 2);
    let titles: Vec<_> = list
        .iter()
        .map(|l| l.entry.as_ref().unwrap().1.title.clone())
        .collect();
    assert!(titles.contains(&"Elterngeld alpha".to_owned()));
    assert!(titles.contains(&"Elterngeld beta".to_owned()));

    store.delete_draft(&b.id).unwrap();
    assert!(matches!(
        store.load_draft(&b.id),
        Err(StoreError::NotFound { what: "draft", .. })
    ));
    assert!(matches!(
        store.delete_draft(&b.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.list_drafts().unwrap().len(), 1);
    store.integrity_check().unwrap();

    // Reopening with the same secret store finds everything again.
    drop(store);
    let store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    assert_eq!(store.load_draft(&a.id).unwrap().content, next);
}

#[test]
fn history_keeps_the_last_n_and_restores() {
    let dir = TempDir::new("history");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open_with(
        &dir.join("d.db"),
        &secrets,
        StoreOptions { history_limit: 3 },
    )
    .unwrap();
    let id = store.create_draft(&content("h", 1, 500)).unwrap().id;
    for v in 1..=6 {
        store.save_draft(&id, v, &content("h", v + 1, 500)).unwrap();
    }
    let history: Vec<u64> = store
        .draft_history(&id)
        .unwrap()
        .iter()
        .map(|h| h.version)
        .collect();
    assert_eq!(history, [6, 5, 4]);
    assert_eq!(
        store.load_draft_version(&id, 5).unwrap().content.case["n"],
        json!(5)
    );
    assert!(matches!(
        store.load_draft_version(&id, 2),
        Err(StoreError::NotFound { .. })
    ));

    let restored = store.restore_draft(&id, 4, 7).unwrap();
    assert_eq!(restored.version, 8);
    assert_eq!(store.load_draft(&id).unwrap().content.case["n"], json!(4));
    // Deleting a draft takes its history with it.
    store.delete_draft(&id).unwrap();
    assert!(store.draft_history(&id).unwrap().is_empty());
}

#[test]
fn stale_save_is_a_conflict_with_both_versions() {
    let dir = TempDir::new("conflict");
    let secrets = MemorySecretStore::new();
    let path = dir.join("d.db");
    let mut phone = Store::open(&path, &secrets).unwrap();
    let mut tablet = Store::open(&path, &secrets).unwrap();
    let id = phone.create_draft(&content("base", 1, 800)).unwrap().id;

    let mine = content("phone", 2, 800);
    let theirs = content("tablet", 2, 800);
    phone.save_draft(&id, 1, &mine).unwrap();
    let err = tablet.save_draft(&id, 1, &theirs).unwrap_err();
    let StoreError::Conflict {
        expected,
        actual,
        current,
        rejected,
        ..
    } = err
    else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!((expected, actual), (1, 2));
    assert_eq!(current.content, mine);
    assert_eq!(*rejected, theirs);
    // Nothing lost: the winner is stored, the loser can be merged and saved on top.
    tablet.save_draft(&id, actual, &rejected).unwrap();
    assert_eq!(phone.load_draft(&id).unwrap().content, theirs);
    assert_eq!(phone.load_draft_version(&id, 2).unwrap().content, mine);
}

#[test]
fn racing_saves_from_two_threads_give_exactly_one_conflict() {
    let dir = TempDir::new("race");
    let secrets = Arc::new(MemorySecretStore::new());
    let path = dir.join("d.db");
    let id = Store::open(&path, secrets.as_ref())
        .unwrap()
        .create_draft(&content("base", 1, 4000))
        .unwrap()
        .id;
    for round in 0..20u64 {
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|who| {
                let (barrier, secrets, path) = (barrier.clone(), secrets.clone(), path.clone());
                std::thread::spawn(move || {
                    let mut store = Store::open(&path, secrets.as_ref()).unwrap();
                    let expected = store.load_draft(&id).unwrap().meta.version;
                    barrier.wait();
                    let c = content(&format!("t{who}r{round}"), expected + 1, 4000);
                    (c.clone(), store.save_draft(&id, expected, &c))
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let ok: Vec<_> = results.iter().filter(|(_, r)| r.is_ok()).collect();
        let conflicts = results
            .iter()
            .filter(|(_, r)| matches!(r, Err(StoreError::Conflict { .. })))
            .count();
        assert_eq!((ok.len(), conflicts), (1, 1), "round {round}: {results:?}");
        let store = Store::open(&path, secrets.as_ref()).unwrap();
        assert_eq!(store.load_draft(&id).unwrap().content, ok[0].0);
    }
}

#[test]
fn an_envelope_copied_into_another_row_is_detected() {
    let dir = TempDir::new("swap");
    let secrets = MemorySecretStore::new();
    let path = dir.join("d.db");
    let mut store = Store::open(&path, &secrets).unwrap();
    let a = store.create_draft(&content("alpha", 1, 300)).unwrap().id;
    let b = store.create_draft(&content("beta", 1, 300)).unwrap().id;
    store.save_draft(&a, 1, &content("alpha", 2, 300)).unwrap();

    let raw = rusqlite::Connection::open(&path).unwrap();
    // Payload of A into B (same version, same key: only the binding can tell).
    raw.execute(
        "UPDATE drafts SET payload = (SELECT payload FROM draft_history WHERE draft_id = ?1), \
         summary = (SELECT summary FROM draft_history WHERE draft_id = ?1) WHERE id = ?2",
        [a.to_string(), b.to_string()],
    )
    .unwrap();
    // Schema v2: the row tag (over every column) refuses it before decryption; the frame
    // inside the envelope would refuse it too (`Misplaced`).
    assert!(matches!(
        store.load_draft(&b),
        Err(StoreError::Tampered { id, .. }) if id.starts_with(&b.to_string())
    ));
    let listing = store.list_drafts().unwrap();
    let bad = listing.iter().find(|l| l.id == b.to_string()).unwrap();
    assert!(matches!(bad.entry, Err(StoreError::Tampered { .. })));
    // The other row still lists fine.
    let good = listing.iter().find(|l| l.id == a.to_string()).unwrap();
    assert!(good.entry.is_ok());

    // An older version of the same draft put back as current is detected too.
    raw.execute(
        "UPDATE drafts SET payload = (SELECT payload FROM draft_history WHERE draft_id = ?1) \
         WHERE id = ?1",
        [a.to_string()],
    )
    .unwrap();
    assert!(matches!(
        store.load_draft(&a),
        Err(StoreError::Tampered { .. })
    ));

    // A flipped byte is an authentication failure, not a panic or garbage.
    raw.execute(
        "UPDATE drafts SET summary = CAST(substr(summary, 1, length(summary) - 20) || x'00' \
         || substr(summary, length(summary) - 18) AS BLOB) WHERE id = ?1",
        [a.to_string()],
    )
    .unwrap();
    assert!(matches!(
        store.load_draft(&a),
        Err(StoreError::Tampered { .. })
    ));
}

#[test]
fn settings_outbox_and_receipts_round_trip_encrypted() {
    let dir = TempDir::new("records");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let draft = store.create_draft(&content("r", 1, 100)).unwrap().id;

    assert_eq!(store.setting("language").unwrap(), None);
    store.set_setting("language", &json!("de")).unwrap();
    assert_eq!(store.setting("language").unwrap(), Some(json!("de")));

    let out = store.enqueue_outbox(&draft, b"request bytes").unwrap();
    let due = store.outbox_due(i64::MAX).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].state, OutboxState::Pending);
    assert_eq!(
        store.outbox_request(&out).unwrap().as_slice(),
        b"request bytes"
    );
    store
        .update_outbox(&out, OutboxState::Pending, i64::MAX)
        .unwrap();
    assert!(store.outbox_due(0).unwrap().is_empty());
    store.update_outbox(&out, OutboxState::Sent, 0).unwrap();
    assert!(store.outbox_due(i64::MAX).unwrap().is_empty());

    let rid = store.add_receipt(&draft, b"signed receipt").unwrap();
    let receipts = store.receipts(&draft).unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0].0, rid);
    assert_eq!(receipts[0].1.as_slice(), b"signed receipt");
}

#[test]
fn handoff_to_the_other_parent_with_verified_sender() {
    let dir = TempDir::new("handoff");
    let (s1, s2, s3) = (
        MemorySecretStore::new(),
        MemorySecretStore::new(),
        MemorySecretStore::new(),
    );
    let mut mum = Store::open(&dir.join("mum.db"), &s1).unwrap();
    let mut dad = Store::open(&dir.join("dad.db"), &s2).unwrap();
    let mut stranger = Store::open(&dir.join("x.db"), &s3).unwrap();
    let mut c = content("family", 1, 300);
    c.case["parents"] = json!([{"id": "p1"}, {"id": "p2", "plan": ["basis"]}]);
    let id = mum.create_draft(&c).unwrap().id;

    let armored = mum
        .export_draft(&id, &[&dad.device_recipient()], None)
        .unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    let imported = dad
        .import_draft(armored.as_bytes(), Some(&mum.device_recipient()))
        .unwrap();
    assert_eq!(imported.sender, mum.device_recipient());
    assert_eq!(
        dad.load_draft(&imported.meta.id).unwrap().content.case,
        c.case
    );
    // The sender can read its own export back; a third device cannot.
    mum.import_draft(armored.as_bytes(), None).unwrap();
    assert!(matches!(
        stranger.import_draft(armored.as_bytes(), None),
        Err(StoreError::HandoffRefused(HandoffProblem::NotForThisDevice))
    ));
    // Expecting another sender refuses before storing anything, and names the real one.
    let before = dad.list_drafts().unwrap().len();
    match dad.import_draft(armored.as_bytes(), Some(&stranger.device_recipient())) {
        Err(StoreError::HandoffRefused(HandoffProblem::UnexpectedSender { sender })) => {
            assert_eq!(sender, mum.device_recipient());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(dad.list_drafts().unwrap().len(), before);

    // Only the partner's part.
    let part = mum
        .export_draft(&id, &[&dad.device_recipient()], Some("/parents/1"))
        .unwrap();
    let imported = dad.import_draft(part.as_bytes(), None).unwrap();
    assert_eq!(
        dad.load_draft(&imported.meta.id).unwrap().content.case,
        json!({"id": "p2", "plan": ["basis"]})
    );
    assert!(mum.export_draft(&id, &["age1notarecipient"], None).is_err());
    assert!(matches!(
        mum.export_draft(&id, &[&dad.device_recipient()], Some("/no/such/part")),
        Err(StoreError::InvalidInput(InputError::NoSuchPart))
    ));
}

/// A damaged handoff, one for another device and a file that is no handoff are three
/// typed refusals, not one text to tell apart (issue 22); none stores anything.
#[test]
fn handoff_refusals_are_typed() {
    let dir = TempDir::new("handoff-refusals");
    let (s1, s2, s3) = (
        MemorySecretStore::new(),
        MemorySecretStore::new(),
        MemorySecretStore::new(),
    );
    let mut mum = Store::open(&dir.join("mum.db"), &s1).unwrap();
    let mut dad = Store::open(&dir.join("dad.db"), &s2).unwrap();
    let mut stranger = Store::open(&dir.join("x.db"), &s3).unwrap();
    let id = mum.create_draft(&content("family", 1, 3000)).unwrap().id;
    let armored = mum
        .export_draft(&id, &[&dad.device_recipient()], None)
        .unwrap();

    // One base64 character of the payload changed (the header's lines come first).
    let mut lines: Vec<String> = armored.lines().map(str::to_owned).collect();
    let at = lines.len() - 3;
    let flipped: String = lines[at]
        .chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (10, 'A') => 'B',
            (10, _) => 'A',
            _ => c,
        })
        .collect();
    lines[at] = flipped;
    let damaged = lines.join("\n") + "\n";
    assert_ne!(damaged, armored);

    let refusal = |store: &mut Store, text: &str| match store.import_draft(text.as_bytes(), None) {
        Err(StoreError::HandoffRefused(problem)) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(refusal(&mut dad, &damaged), HandoffProblem::Damaged);
    assert_eq!(
        refusal(&mut stranger, &armored),
        HandoffProblem::NotForThisDevice
    );
    assert_eq!(
        refusal(&mut dad, r#"{"schema": "elternkit.case/1"}"#),
        HandoffProblem::NotAHandoff
    );
    assert!(dad.list_drafts().unwrap().is_empty());
    assert!(stranger.list_drafts().unwrap().is_empty());
    // The codes the command line and the FFI show.
    assert_eq!(HandoffProblem::Damaged.code(), "handoff_damaged");
    assert_eq!(
        HandoffProblem::NotForThisDevice.code(),
        "handoff_not_for_this_device"
    );
    // The intact handoff still imports.
    dad.import_draft(armored.as_bytes(), None).unwrap();
}

#[test]
fn wipe_all_shreds_the_key_and_the_rows() {
    let dir = TempDir::new("wipe");
    let secrets = MemorySecretStore::new();
    let path = dir.join("d.db");
    let mut store = Store::open(&path, &secrets).unwrap();
    let id = store.create_draft(&content("wipe", 1, 300)).unwrap().id;
    store
        .add_document(&id, "scan.pdf", "application/pdf", &b"%PDF-1.7 scan"[..])
        .unwrap();
    let old_key = store.key_id().to_owned();
    store.wipe_all(&secrets).unwrap();
    assert!(secrets.load(DeviceKey::SECRET_NAME).unwrap().is_none());
    let mut docs = path.as_os_str().to_owned();
    docs.push(".documents");
    assert!(!std::path::Path::new(&docs).exists());

    // The database is usable again with a fresh key, and empty.
    let store = Store::open(&path, &secrets).unwrap();
    assert_ne!(store.key_id(), old_key);
    assert!(store.list_drafts().unwrap().is_empty());
    store.integrity_check().unwrap();
}
