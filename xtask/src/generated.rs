//! Committed generated files: write them, or with `--check` report which differ.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes each `(path relative to root, content)` that differs from what is on disk, or with
/// `check` writes nothing and returns the differing paths (for the caller's error message).
pub fn write_or_check<P: AsRef<Path>>(
    root: &Path,
    files: impl IntoIterator<Item = (P, impl AsRef<str>)>,
    check: bool,
) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for (rel, content) in files {
        let (rel, content) = (rel.as_ref(), content.as_ref());
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(rel.display().to_string());
        } else {
            std::fs::create_dir_all(path.parent().context("output path has a parent")?)?;
            std::fs::write(&path, content).with_context(|| format!("writing {}", rel.display()))?;
            println!("wrote {}", rel.display());
        }
    }
    Ok(stale)
}
