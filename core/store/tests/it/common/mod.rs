//! Helpers shared by the `store_*` integration tests.
#![allow(dead_code)]
// Test helpers: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use elternkit_store::{DraftContent, DraftStatus, DraftSummary};
use serde_json::json;

/// A temporary directory removed on drop (also when the test panics).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "elternkit-{label}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A draft whose title, child name and case all carry `marker`, padded to about `size` bytes.
pub fn content(marker: &str, n: u64, size: usize) -> DraftContent {
    let pad = "x".repeat(size.saturating_sub(200));
    DraftContent {
        status: DraftStatus::Draft,
        summary: DraftSummary {
            title: format!("Elterngeld {marker}"),
            benefit_kinds: vec!["elterngeld".into(), "kindergeld".into()],
            child_names: vec![format!("Kind {marker}")],
        },
        case: json!({
            "schema": "elternkit.case/1",
            "n": n,
            "iban": format!("DE02120300000000202051 {marker}"),
            "child": { "name": marker, "birth_date": "2026-01-05" },
            "pad": pad,
        }),
    }
}

/// Every file in `dir` (recursively) with its length and a hash of its bytes.
pub fn fingerprint(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            // FNV-1a: enough to see a changed byte in a test.
            let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            });
            (name, (bytes.len(), hash))
        })
        .collect()
}

/// Every file in `dir` (recursively) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
