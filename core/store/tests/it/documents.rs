//! Documents: streamed in and out in chunks, bound to their id, damage detected.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::{self, Read};

use common::{TempDir, content};
use elternkit_store::crypto::MemorySecretStore;
use elternkit_store::{Store, StoreError};

/// A deterministic 20 MB "scan" generated on the fly (never held in memory as a whole).
struct Scan {
    left: u64,
    state: u64,
}

impl Read for Scan {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.left as usize);
        for b in &mut buf[..n] {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            *b = self.state as u8;
        }
        self.left -= n as u64;
        Ok(n)
    }
}

const SIZE: u64 = 20 * 1024 * 1024;

#[test]
fn twenty_megabytes_stream_through() {
    let dir = TempDir::new("docs");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let draft = store.create_draft(&content("docs", 1, 100)).unwrap().id;
    let info = store
        .add_document(
            &draft,
            "scan.pdf",
            "application/pdf",
            Scan {
                left: SIZE,
                state: 7,
            },
        )
        .unwrap();
    assert_eq!(info.size, SIZE);
    let id = info.id.unwrap();
    let listed = store.documents(&draft).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].file_name, "scan.pdf");

    // Compare block by block against a regenerated stream.
    let mut reader = store.open_document(&id).unwrap();
    let mut expected = Scan {
        left: SIZE,
        state: 7,
    };
    let (mut a, mut b) = (vec![0u8; 65_536], vec![0u8; 65_536]);
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut a).unwrap();
        if n == 0 {
            break;
        }
        expected.read_exact(&mut b[..n]).unwrap();
        assert_eq!(a[..n], b[..n]);
        total += n as u64;
    }
    assert_eq!(total, SIZE);

    store.delete_document(&id).unwrap();
    assert!(store.documents(&draft).unwrap().is_empty());
}

fn doc_file(dir: &TempDir, id: &str) -> std::path::PathBuf {
    dir.path().join("d.db.documents").join(format!("{id}.age"))
}

#[test]
fn damaged_swapped_or_truncated_documents_are_refused() {
    let dir = TempDir::new("docs-bad");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let draft = store.create_draft(&content("docs", 1, 100)).unwrap().id;
    let body = vec![42u8; 200_000];
    let a = store
        .add_document(&draft, "a.jpg", "image/jpeg", body.as_slice())
        .unwrap()
        .id
        .unwrap();
    let b = store
        .add_document(&draft, "b.jpg", "image/jpeg", body.as_slice())
        .unwrap()
        .id
        .unwrap();
    let (fa, fb) = (
        doc_file(&dir, &a.to_string()),
        doc_file(&dir, &b.to_string()),
    );

    // File of A under B's name: B's record holds the tag of B's file (schema v2), and the
    // binding inside says A as well.
    let original_b = std::fs::read(&fb).unwrap();
    std::fs::copy(&fa, &fb).unwrap();
    assert!(matches!(
        store.open_document(&b),
        Err(StoreError::Tampered { id, .. }) if id == b.to_string()
    ));
    std::fs::write(&fb, &original_b).unwrap();

    // A flipped byte in the last chunk: refused before the first byte is returned.
    let mut bytes = std::fs::read(&fa).unwrap();
    let at = bytes.len() - 1000;
    bytes[at] ^= 1;
    std::fs::write(&fa, &bytes).unwrap();
    assert!(matches!(
        store.open_document(&a),
        Err(StoreError::Tampered { id, .. }) if id == a.to_string()
    ));

    // Truncation too.
    let good = std::fs::read(&fb).unwrap();
    std::fs::write(&fb, &good[..good.len() - 70_000]).unwrap();
    assert!(matches!(
        store.open_document(&b),
        Err(StoreError::Tampered { .. })
    ));
    std::fs::write(&fb, &good).unwrap();
    let mut out = Vec::new();
    store
        .open_document(&b)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, body);

    // Deleting the draft removes its documents' rows and files.
    store.delete_draft(&draft).unwrap();
    assert!(!fa.exists() && !fb.exists());
}

#[test]
fn a_document_needs_an_existing_draft() {
    let dir = TempDir::new("docs-orphan");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.join("d.db"), &secrets).unwrap();
    let ghost = "7c9e6679-7425-40de-944b-e07fc1f90ae7".parse().unwrap();
    let err = store
        .add_document(&ghost, "x", "text/plain", &b"x"[..])
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { what: "draft", .. }),
        "{err:?}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("d.db.documents"))
        .unwrap()
        .collect();
    assert!(left.is_empty());
}
