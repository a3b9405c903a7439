//! Canary: a unique marker written through the store never reaches the disk in the clear.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{TempDir, contains, content, snapshot};
use elternkit_store::Store;
use elternkit_store::crypto::MemorySecretStore;

fn assert_absent(dir: &TempDir, marker: &str, when: &str) {
    let files = snapshot(dir.path());
    assert!(!files.is_empty());
    for (path, bytes) in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            !contains(bytes, marker.as_bytes()),
            "{when}: marker found in {name}"
        );
        // The marker's pieces too: a child name or a title on its own.
        assert!(
            !contains(bytes, b"DE02120300000000202051"),
            "{when}: IBAN in {name}"
        );
    }
}

#[test]
fn draft_marker_never_on_disk() {
    let dir = TempDir::new("canary");
    let marker = format!("CANARY-{}", uuid::Uuid::new_v4().simple());
    let secrets = MemorySecretStore::new();
    let path = dir.join("d.db");
    let mut store = Store::open(&path, &secrets).unwrap();
    let id = store.create_draft(&content(&marker, 1, 4000)).unwrap().id;
    for v in 1..5 {
        store
            .save_draft(&id, v, &content(&marker, v + 1, 4000))
            .unwrap();
    }
    store
        .set_setting("last_search", &serde_json::json!(marker))
        .unwrap();
    store.enqueue_outbox(&id, marker.as_bytes()).unwrap();
    store.add_receipt(&id, marker.as_bytes()).unwrap();
    // While open: the -wal and -shm files hold the recent pages.
    let open_files = snapshot(dir.path());
    assert!(
        open_files
            .keys()
            .any(|p| p.to_string_lossy().ends_with("-wal"))
    );
    assert_absent(&dir, &marker, "while open");
    // Deleting keeps it absent (secure_delete overwrites freed pages anyway).
    store.delete_draft(&id).unwrap();
    drop(store);
    assert_absent(&dir, &marker, "after close");
}

#[test]
fn document_marker_never_on_disk() {
    let dir = TempDir::new("canary-doc");
    let marker = format!("CANARY-DOC-{}", uuid::Uuid::new_v4().simple());
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let id = store.create_draft(&content("doc", 1, 100)).unwrap().id;
    // 300 KB: several age chunks, the marker in each.
    let body: Vec<u8> = marker
        .as_bytes()
        .iter()
        .cycle()
        .take(300_000)
        .copied()
        .collect();
    let info = store
        .add_document(
            &id,
            &format!("{marker}.pdf"),
            "application/pdf",
            body.as_slice(),
        )
        .unwrap();
    assert_absent(&dir, &marker, "document, open");
    drop(store);
    assert_absent(&dir, &marker, "document, closed");
    let store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let mut back = Vec::new();
    std::io::Read::read_to_end(
        &mut store.open_document(&info.id.unwrap()).unwrap(),
        &mut back,
    )
    .unwrap();
    assert_eq!(back, body);
}
