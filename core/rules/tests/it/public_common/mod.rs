//! Shared by the tests (and the `rules` bench) that read `../shared/cases/public` in place:
//! the cases are never copied into the repository, and a run without them says so loudly.

use std::path::PathBuf;

/// The public cases' folder beside the checkout.
pub fn public_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/cases/public");
    assert!(
        dir.is_dir(),
        "../shared/cases/public is missing beside the checkout ({}): the public cases are read \
         in place and cannot run without it; they must not be copied into the repository",
        dir.display()
    );
    dir
}

/// The non-empty lines of the public file `name` (a `.jsonl` of cases or expectations).
pub fn public_lines(name: &str) -> Vec<String> {
    let path = public_dir().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}
