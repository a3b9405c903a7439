//! Where the device's 32-byte secrets live. The apps implement [`SecretStore`] over Android
//! Keystore / iOS Keychain; tests use [`MemorySecretStore`], the CLI [`FileSecretStore`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zeroize::Zeroizing;

/// A 32-byte secret, wiped from memory when dropped.
pub type Secret = Zeroizing<[u8; 32]>;

/// Loads, stores and deletes named 32-byte secrets. Implementations must not call back into
/// the store (it may hold a lock while calling out).
pub trait SecretStore: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError>;
    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError>;
    /// Deleting a missing secret is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretStoreError>;
}

#[derive(Debug, thiserror::Error)]
pub enum SecretStoreError {
    #[error(
        "cannot read or write the key file {path}: {source}; check the path and its permissions"
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the key file {path} is not an ElternKit key file ({reason}); pass the file that was \
         created with this database"
    )]
    Malformed { path: PathBuf, reason: String },
    #[error("the platform key store failed: {0}")]
    Platform(String),
}

/// Secrets in memory only: for tests and throw-away sessions.
#[derive(Default)]
pub struct MemorySecretStore {
    secrets: Mutex<HashMap<String, Secret>>,
}

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Secret>>, SecretStoreError> {
        self.secrets
            .lock()
            .map_err(|_| SecretStoreError::Platform("memory secret store lock poisoned".into()))
    }
}

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemorySecretStore { .. }")
    }
}

impl SecretStore for MemorySecretStore {
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self.map()?.get(name).cloned())
    }
    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.map()?.insert(name.to_owned(), secret.clone());
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.map()?.remove(name);
        Ok(())
    }
}

/// Secrets in one text file (mode 0600), one `name hex` line each. For the CLI and tests; a
/// phone keeps them in the platform key store instead.
#[derive(Debug)]
pub struct FileSecretStore {
    path: PathBuf,
}

const FILE_HEADER: &str =
    "# elternkit secret store v1: keep this file private and apart from the database";

impl FileSecretStore {
    /// The file is read on every call and created by the first `store`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> SecretStoreError {
        SecretStoreError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn malformed(&self, reason: impl Into<String>) -> SecretStoreError {
        SecretStoreError::Malformed {
            path: self.path.clone(),
            reason: reason.into(),
        }
    }

    /// All entries; `None` when the file does not exist.
    fn read_all(&self) -> Result<Option<Vec<(String, Secret)>>, SecretStoreError> {
        let text = match fs::read(&self.path) {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        let text = std::str::from_utf8(&text).map_err(|_| self.malformed("not UTF-8 text"))?;
        let mut lines = text.lines();
        if lines.next() != Some(FILE_HEADER) {
            return Err(self.malformed("the first line is not the ElternKit header"));
        }
        let mut out = Vec::new();
        for (n, line) in lines.enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, hex) = line
                .split_once(' ')
                .ok_or_else(|| self.malformed(format!("line {}: expected `name hex`", n + 2)))?;
            let secret = decode_hex32(hex.trim()).ok_or_else(|| {
                self.malformed(format!("line {}: the secret is not 64 hex digits", n + 2))
            })?;
            out.push((name.to_owned(), secret));
        }
        Ok(Some(out))
    }

    /// Replaces the file atomically (temp file with mode 0600, fsync, rename).
    fn write_all(&self, entries: &[(String, Secret)]) -> Result<(), SecretStoreError> {
        let mut text = Zeroizing::new(format!("{FILE_HEADER}\n"));
        for (name, secret) in entries {
            text.push_str(name);
            text.push(' ');
            for b in secret.iter() {
                // Writing into a String cannot fail.
                let _ = write!(text, "{b:02x}");
            }
            text.push('\n');
        }
        let file_name = self
            .path
            .file_name()
            .ok_or_else(|| self.malformed("the path has no file name"))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(file_name);
        tmp_name.push(".tmp");
        let tmp = self.path.with_file_name(tmp_name);
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&tmp).map_err(|e| self.io(e))?;
        file.write_all(text.as_bytes()).map_err(|e| self.io(e))?;
        file.sync_all().map_err(|e| self.io(e))?;
        drop(file);
        fs::rename(&tmp, &self.path).map_err(|e| self.io(e))?;
        Ok(())
    }
}

impl SecretStore for FileSecretStore {
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self
            .read_all()?
            .and_then(|entries| entries.into_iter().find(|(n, _)| n == name).map(|(_, s)| s)))
    }

    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(self.malformed(format!("invalid secret name {name:?}")));
        }
        let mut entries = self.read_all()?.unwrap_or_default();
        entries.retain(|(n, _)| n != name);
        entries.push((name.to_owned(), secret.clone()));
        self.write_all(&entries)
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        let Some(mut entries) = self.read_all()? else {
            return Ok(());
        };
        let before = entries.len();
        entries.retain(|(n, _)| n != name);
        if entries.len() == before {
            return Ok(());
        }
        if entries.is_empty() {
            return fs::remove_file(&self.path).map_err(|e| self.io(e));
        }
        self.write_all(&entries)
    }
}

fn decode_hex32(hex: &str) -> Option<Secret> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = Zeroizing::new([0u8; 32]);
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        // Both digits are < 16, so the byte fits.
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}
