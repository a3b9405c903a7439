//! Offline storage: drafts (with history), documents, outbox, receipts and settings in plain
//! SQLite whose every sensitive value is an age envelope from [`crate::crypto`].
//!
//! See `README.md` next to this file for the schema and the threat model.

pub mod crypto;
mod documents;
mod drafts;
mod records;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::crypto::{Binding, CryptoError, DeviceKey, Encrypted, Kind, SecretStore};

pub use documents::{DocumentId, DocumentInfo, DocumentReader};
pub use drafts::{
    Draft, DraftContent, DraftId, DraftListing, DraftMeta, DraftStatus, DraftSummary, HistoryEntry,
    ImportedDraft,
};
pub use records::{OutboxItem, OutboxState, Receipt};

/// What went wrong in the store. Messages never contain draft contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the device key is not available: {reason}. Nothing was changed or deleted; open the \
         database with the key it was created with"
    )]
    KeyUnavailable { reason: String },
    #[error(
        "record {id} could not be decrypted with this device's key ({reason}); it was kept \
         unchanged"
    )]
    DecryptionFailed { id: String, reason: String },
    #[error("record {id} holds data that belongs to another record; it was kept unchanged")]
    Misplaced { id: String },
    #[error(
        "draft {id} was changed elsewhere: this save was based on version {expected}, the \
         stored draft is at version {actual}; load it, merge, and save on top of version {actual}"
    )]
    Conflict {
        id: DraftId,
        expected: u64,
        actual: u64,
        /// The stored version that won.
        current: Box<Draft>,
        /// The content this save tried to write.
        rejected: Box<DraftContent>,
    },
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("the database is damaged: {reason}; keep the file and restore it from a backup")]
    Corrupt { reason: String },
    #[error(
        "the database has schema version {found}, this build knows up to {supported}; update \
         the app"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("SQLite error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("file error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Crypto(CryptoError),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt {
                reason: err.to_string(),
            },
            _ => Self::Sqlite(err),
        }
    }
}

impl StoreError {
    /// Attributes a decryption problem to the record it came from.
    fn for_record(id: &str, err: CryptoError) -> Self {
        match err {
            CryptoError::WrongKey => Self::DecryptionFailed {
                id: id.to_owned(),
                reason: "it was sealed with another key".into(),
            },
            CryptoError::Damaged => Self::DecryptionFailed {
                id: id.to_owned(),
                reason: "the data is damaged or was altered".into(),
            },
            CryptoError::Misplaced { .. } => Self::Misplaced { id: id.to_owned() },
            other => Self::Crypto(other),
        }
    }

    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Tunables; the defaults fit the phone.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// How many earlier versions of each draft are kept.
    pub history_limit: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { history_limit: 10 }
    }
}

/// An open database with the device key. One writer per handle; several handles (processes)
/// may share a file, optimistic versions keep their saves apart.
pub struct Store {
    conn: Connection,
    key: DeviceKey,
    path: PathBuf,
    options: StoreOptions,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

const META_KEY_ID: &str = "key_id";

impl Store {
    /// Opens (or creates) the database at `path` with the device key from `secrets`.
    ///
    /// The key is checked before anything is written: a missing or different key is
    /// [`StoreError::KeyUnavailable`] and leaves the files as they were. A key is generated
    /// only for a database that has none yet.
    pub fn open(path: &Path, secrets: &dyn SecretStore) -> Result<Self, StoreError> {
        Self::open_with(path, secrets, StoreOptions::default())
    }

    pub fn open_with(
        path: &Path,
        secrets: &dyn SecretStore,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        let key = DeviceKey::load(secrets).map_err(|e| StoreError::KeyUnavailable {
            reason: e.to_string(),
        })?;
        // Which key does the database expect? Asked on a read-only connection, so a wrong
        // key leaves every file (db, -wal, journal) byte for byte as it was.
        let stored_key_id = if path.exists() {
            probe_key_id(path)?
        } else {
            None
        };
        let key = match (key, stored_key_id) {
            (Some(key), Some(expected)) if key.key_id().as_str() != expected => {
                return Err(StoreError::KeyUnavailable {
                    reason: format!(
                        "the database was encrypted with key {expected}, the key given is {}",
                        key.key_id()
                    ),
                });
            }
            (None, Some(expected)) => {
                return Err(StoreError::KeyUnavailable {
                    reason: format!(
                        "the database was encrypted with key {expected}, and no key is stored \
                         (restored from a backup, or another device?)"
                    ),
                });
            }
            (Some(key), _) => key,
            (None, None) => DeviceKey::create(secrets).map_err(|e| StoreError::KeyUnavailable {
                reason: format!("cannot save a new key: {e}"),
            })?,
        };

        // From here on the key is right and writing is allowed.
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt {
                reason: format!("cannot switch to WAL mode (got {mode})"),
            });
        }
        schema::migrate(&mut conn)?;
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
            [META_KEY_ID, key.key_id().as_str()],
        )?;
        Ok(Self {
            conn,
            key,
            path: path.to_owned(),
            options,
        })
    }

    /// This device's recipient (`age1…`), to show as a QR code for the other parent.
    pub fn device_recipient(&self) -> String {
        self.key.recipient()
    }

    pub fn key_id(&self) -> &str {
        self.key.key_id().as_str()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA integrity_check`: `Ok` when SQLite reports "ok".
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt { reason: result })
        }
    }

    /// Delete all my data: the identity first (crypto-shredding every envelope, including
    /// copies in backups), then the rows and document files.
    pub fn wipe_all(self, secrets: &dyn SecretStore) -> Result<(), StoreError> {
        DeviceKey::destroy(secrets).map_err(StoreError::Crypto)?;
        self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM draft_history; DELETE FROM documents; DELETE FROM drafts;
             DELETE FROM outbox; DELETE FROM receipts; DELETE FROM settings; DELETE FROM meta;
             COMMIT;",
        )?;
        self.conn.execute_batch("VACUUM")?;
        let dir = self.documents_dir();
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(&dir, e)),
        }
    }

    fn seal(&self, binding: &Binding, body: &[u8]) -> Result<Encrypted, StoreError> {
        self.key.seal(binding, body).map_err(StoreError::Crypto)
    }

    fn open_blob(
        &self,
        binding: &Binding,
        blob: &[u8],
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        self.key
            .open(binding, blob)
            .map_err(|e| StoreError::for_record(&binding.id, e))
    }

    /// Checks the clear key id before trying to decrypt, for a clearer error.
    fn check_key_id(&self, id: &str, key_id: &str) -> Result<(), StoreError> {
        if key_id == self.key.key_id().as_str() {
            Ok(())
        } else {
            Err(StoreError::DecryptionFailed {
                id: id.to_owned(),
                reason: format!(
                    "it was sealed with key {key_id}, this device has {}",
                    self.key.key_id()
                ),
            })
        }
    }
}

/// The key id recorded in an existing database, read without writing anything.
fn probe_key_id(path: &Path) -> Result<Option<String>, StoreError> {
    use rusqlite::config::DbConfig;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let conn = if Path::new(&wal).exists() {
        // Data may still sit in the WAL: a read-only handle reads it (and may rebuild the
        // -shm index) but can neither checkpoint nor change the -wal or the database.
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    } else {
        // Closed cleanly: everything is in the file. `immutable` creates no -wal/-shm.
        Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(path)),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    // A read-only handle cannot checkpoint anyway; say so explicitly.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let version = schema::user_version(&conn)?;
    if version > schema::LATEST {
        return Err(StoreError::TooNew {
            found: version,
            supported: schema::LATEST,
        });
    }
    if version < 1 {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [META_KEY_ID],
            |row| row.get(0),
        )
        .optional()?)
}

/// A path as the path part of an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Connection settings that write nothing to the file.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    use rusqlite::config::DbConfig;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DDL, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DML, false)?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA trusted_schema = OFF;
         PRAGMA journal_size_limit = 1048576;",
    )?;
    // FULL: a save that returned survives power loss too, not only a killed process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn today() -> i64 {
    now_secs() / 86_400
}

fn this_minute() -> i64 {
    now_secs() / 60
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Kind of record for [`StoreError::NotFound`] and bindings.
fn binding(kind: Kind, id: &str, version: u64) -> Binding {
    Binding::new(kind, id, version)
}
