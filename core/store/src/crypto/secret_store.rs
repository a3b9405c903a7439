//! Where the device's 32-byte secrets live. The apps implement [`SecretStore`] over Android
//! Keystore / iOS Keychain; tests use [`MemorySecretStore`], the CLI [`FileSecretStore`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use zeroize::Zeroizing;

/// A 32-byte secret, wiped from memory when dropped.
pub type Secret = Zeroizing<[u8; 32]>;

/// Loads, stores and deletes named 32-byte secrets. Implementations must not call back into
/// the store (it may hold a lock while calling out).
///
/// Several processes may use one store at the same time (on a phone: the app and an
/// extension or background task), so first use is create-once: see
/// [`SecretStore::store_if_absent`].
pub trait SecretStore: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError>;
    /// Stores `secret` under `name`, replacing what was there.
    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError>;
    /// Stores `secret` under `name` only if nothing is stored there, atomically with respect
    /// to every other caller (other threads and processes); returns the secret stored
    /// afterwards, which is the other caller's when it came first. Keychain: `SecItemAdd`
    /// answering `errSecDuplicateItem`, then read; Android: the same under a file lock.
    fn store_if_absent(&self, name: &str, secret: &Secret) -> Result<Secret, SecretStoreError>;
    /// Deleting a missing secret is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretStoreError>;
    /// A monotonic counter kept where the database's attacker cannot write (the platform key
    /// store), used to detect that a whole database file was put back to an older copy.
    /// `None` when this store cannot keep one; see the threat model for what that leaves.
    fn counter(&self, name: &str) -> Option<Box<dyn MonotonicCounter>> {
        let _ = name;
        None
    }
}

/// A number that only grows. Owned by the caller, so a store can keep it across calls.
pub trait MonotonicCounter: Send + Sync + std::fmt::Debug {
    /// The current value; 0 when it was never raised.
    fn get(&self) -> Result<u64, SecretStoreError>;
    /// Raises the counter to `value` if it is lower; never lowers it.
    fn raise(&self, value: u64) -> Result<(), SecretStoreError>;
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
    #[error(
        "the key file {path} can be read by other users (mode {mode:o}); nothing was read. \
         Restrict it with `chmod 600` and check who may have copied it"
    )]
    Insecure { path: PathBuf, mode: u32 },
    #[error("the platform key store failed: {0}")]
    Platform(String),
}

/// Secrets in memory only: for tests and throw-away sessions. Clones share their contents,
/// and it keeps counters (tests of rollback detection).
#[derive(Default, Clone)]
pub struct MemorySecretStore {
    inner: Arc<Mutex<MemoryInner>>,
}

#[derive(Default)]
struct MemoryInner {
    secrets: HashMap<String, Secret>,
    counters: HashMap<String, u64>,
}

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }
}

fn lock_memory(
    inner: &Mutex<MemoryInner>,
) -> Result<MutexGuard<'_, MemoryInner>, SecretStoreError> {
    inner
        .lock()
        .map_err(|_| SecretStoreError::Platform("memory secret store lock poisoned".into()))
}

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemorySecretStore { .. }")
    }
}

impl SecretStore for MemorySecretStore {
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(lock_memory(&self.inner)?.secrets.get(name).cloned())
    }
    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        lock_memory(&self.inner)?
            .secrets
            .insert(name.to_owned(), secret.clone());
        Ok(())
    }
    fn store_if_absent(&self, name: &str, secret: &Secret) -> Result<Secret, SecretStoreError> {
        Ok(lock_memory(&self.inner)?
            .secrets
            .entry(name.to_owned())
            .or_insert_with(|| secret.clone())
            .clone())
    }
    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        lock_memory(&self.inner)?.secrets.remove(name);
        Ok(())
    }
    fn counter(&self, name: &str) -> Option<Box<dyn MonotonicCounter>> {
        Some(Box::new(MemoryCounter {
            inner: Arc::clone(&self.inner),
            name: name.to_owned(),
        }))
    }
}

struct MemoryCounter {
    inner: Arc<Mutex<MemoryInner>>,
    name: String,
}

impl std::fmt::Debug for MemoryCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryCounter")
            .field("name", &self.name)
            .finish()
    }
}

impl MonotonicCounter for MemoryCounter {
    fn get(&self) -> Result<u64, SecretStoreError> {
        Ok(lock_memory(&self.inner)?
            .counters
            .get(&self.name)
            .copied()
            .unwrap_or(0))
    }
    fn raise(&self, value: u64) -> Result<(), SecretStoreError> {
        let mut inner = lock_memory(&self.inner)?;
        let slot = inner.counters.entry(self.name.clone()).or_insert(0);
        *slot = (*slot).max(value);
        Ok(())
    }
}

/// Secrets in one text file (mode 0600), one `name hex` line each, and counters as
/// `counter:name decimal` lines. For the CLI and tests; a phone keeps them in the platform key
/// store instead.
///
/// Every change is a read-modify-write under an exclusive lock on `.<file>.lock` next to the
/// file, written to a fresh uniquely named temp file (created new, so a planted file or
/// symlink is never followed), fsynced, renamed over the file, and the directory fsynced.
/// A key file that others may read is refused.
#[derive(Debug, Clone)]
pub struct FileSecretStore {
    path: PathBuf,
}

const FILE_HEADER: &str =
    "# elternkit secret store v1: keep this file private and apart from the database";
const COUNTER_PREFIX: &str = "counter:";

/// The parsed file: secrets and counters in file order.
#[derive(Default)]
struct Entries {
    secrets: Vec<(String, Secret)>,
    counters: Vec<(String, u64)>,
}

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

    fn dir(&self) -> &Path {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    fn sibling(&self, suffix: &str) -> Result<PathBuf, SecretStoreError> {
        let file_name = self
            .path
            .file_name()
            .ok_or_else(|| self.malformed("the path has no file name"))?;
        let mut name = std::ffi::OsString::from(".");
        name.push(file_name);
        name.push(suffix);
        Ok(self.path.with_file_name(name))
    }

    /// Holds an exclusive lock on `.<file>.lock` until dropped: one read-modify-write at a
    /// time across threads and processes.
    fn lock(&self) -> Result<fs::File, SecretStoreError> {
        let path = self.sibling(".lock")?;
        // Only ever locked, never written; still, a planted symlink is not followed into
        // creating a file elsewhere.
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(SecretStoreError::Malformed {
                path,
                reason: "the lock file is a symbolic link".into(),
            });
        }
        let mut opts = fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(&path).map_err(|e| self.io(e))?;
        file.lock().map_err(|e| self.io(e))?;
        Ok(file)
    }

    /// All entries; `None` when the file does not exist.
    fn read_all(&self) -> Result<Option<Entries>, SecretStoreError> {
        let mut file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        let meta = file.metadata().map_err(|e| self.io(e))?;
        if !meta.is_file() {
            return Err(self.malformed("it is not a regular file"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(SecretStoreError::Insecure {
                    path: self.path.clone(),
                    mode,
                });
            }
        }
        let mut text = Zeroizing::new(Vec::new());
        file.read_to_end(&mut text).map_err(|e| self.io(e))?;
        let text = std::str::from_utf8(&text).map_err(|_| self.malformed("not UTF-8 text"))?;
        let mut lines = text.lines();
        if lines.next() != Some(FILE_HEADER) {
            return Err(self.malformed("the first line is not the ElternKit header"));
        }
        let mut out = Entries::default();
        for (n, line) in lines.enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once(' ')
                .ok_or_else(|| self.malformed(format!("line {}: expected `name hex`", n + 2)))?;
            if let Some(counter) = name.strip_prefix(COUNTER_PREFIX) {
                let value = value.trim().parse::<u64>().map_err(|_| {
                    self.malformed(format!("line {}: the counter is not a number", n + 2))
                })?;
                out.counters.push((counter.to_owned(), value));
                continue;
            }
            let secret = decode_hex32(value.trim()).ok_or_else(|| {
                self.malformed(format!("line {}: the secret is not 64 hex digits", n + 2))
            })?;
            out.secrets.push((name.to_owned(), secret));
        }
        Ok(Some(out))
    }

    /// Replaces the file atomically. Call with the lock held.
    fn write_all(&self, entries: &Entries) -> Result<(), SecretStoreError> {
        let mut text = Zeroizing::new(format!("{FILE_HEADER}\n"));
        for (name, secret) in &entries.secrets {
            text.push_str(name);
            text.push(' ');
            for b in secret.iter() {
                // Writing into a String cannot fail.
                let _ = write!(text, "{b:02x}");
            }
            text.push('\n');
        }
        for (name, value) in &entries.counters {
            let _ = writeln!(text, "{COUNTER_PREFIX}{name} {value}");
        }
        // A fresh name each time, created new: a planted temp file or symlink is never opened.
        let tmp = self.sibling(&format!(".{}.tmp", uuid::Uuid::new_v4().simple()))?;
        let result = self.write_new(&tmp, text.as_bytes());
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn write_new(&self, tmp: &Path, bytes: &[u8]) -> Result<(), SecretStoreError> {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(tmp).map_err(|e| self.io(e))?;
        #[cfg(unix)]
        {
            // fchmod on the open file: the umask cannot widen it, nothing can swap the path.
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(0o600))
                .map_err(|e| self.io(e))?;
        }
        file.write_all(bytes).map_err(|e| self.io(e))?;
        file.sync_all().map_err(|e| self.io(e))?;
        drop(file);
        fs::rename(tmp, &self.path).map_err(|e| self.io(e))?;
        sync_dir(self.dir()).map_err(|e| self.io(e))
    }

    fn check_name(&self, name: &str) -> Result<(), SecretStoreError> {
        if name.is_empty() || name.contains(char::is_whitespace) || name.starts_with(COUNTER_PREFIX)
        {
            return Err(self.malformed(format!("invalid secret name {name:?}")));
        }
        Ok(())
    }
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

impl SecretStore for FileSecretStore {
    fn load(&self, name: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self.read_all()?.and_then(|entries| {
            entries
                .secrets
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s)
        }))
    }

    fn store(&self, name: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.check_name(name)?;
        let _lock = self.lock()?;
        let mut entries = self.read_all()?.unwrap_or_default();
        entries.secrets.retain(|(n, _)| n != name);
        entries.secrets.push((name.to_owned(), secret.clone()));
        self.write_all(&entries)
    }

    fn store_if_absent(&self, name: &str, secret: &Secret) -> Result<Secret, SecretStoreError> {
        self.check_name(name)?;
        let _lock = self.lock()?;
        let mut entries = self.read_all()?.unwrap_or_default();
        if let Some((_, existing)) = entries.secrets.iter().find(|(n, _)| n == name) {
            return Ok(existing.clone());
        }
        entries.secrets.push((name.to_owned(), secret.clone()));
        self.write_all(&entries)?;
        // Use what is stored, not what was meant to be stored.
        self.load(name)?
            .ok_or_else(|| self.malformed("the secret just stored cannot be read back"))
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        let _lock = self.lock()?;
        let Some(mut entries) = self.read_all()? else {
            return Ok(());
        };
        let before = entries.secrets.len();
        entries.secrets.retain(|(n, _)| n != name);
        if entries.secrets.len() == before {
            return Ok(());
        }
        if entries.secrets.is_empty() && entries.counters.is_empty() {
            fs::remove_file(&self.path).map_err(|e| self.io(e))?;
            return sync_dir(self.dir()).map_err(|e| self.io(e));
        }
        self.write_all(&entries)
    }

    fn counter(&self, name: &str) -> Option<Box<dyn MonotonicCounter>> {
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        Some(Box::new(FileCounter {
            store: self.clone(),
            name: name.to_owned(),
        }))
    }
}

#[derive(Debug)]
struct FileCounter {
    store: FileSecretStore,
    name: String,
}

impl MonotonicCounter for FileCounter {
    fn get(&self) -> Result<u64, SecretStoreError> {
        Ok(self
            .store
            .read_all()?
            .and_then(|e| e.counters.into_iter().find(|(n, _)| *n == self.name))
            .map_or(0, |(_, v)| v))
    }

    fn raise(&self, value: u64) -> Result<(), SecretStoreError> {
        let _lock = self.store.lock()?;
        let mut entries = self.store.read_all()?.unwrap_or_default();
        match entries.counters.iter_mut().find(|(n, _)| *n == self.name) {
            Some((_, stored)) if *stored >= value => return Ok(()),
            Some((_, stored)) => *stored = value,
            None => entries.counters.push((self.name.clone(), value)),
        }
        self.store.write_all(&entries)
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
