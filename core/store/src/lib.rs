//! Offline storage: drafts (with history), documents, outbox, receipts and settings in plain
//! SQLite whose every sensitive value is an age envelope from [`crate::crypto`].
//!
//! See `README.md` next to this file for the schema and the threat model.

pub mod crypto;
mod documents;
mod drafts;
mod integrity;
mod records;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::crypto::{
    Binding, CryptoError, DeviceKey, Encrypted, Kind, MonotonicCounter, SecretStore,
};

use documents::document_ids_in;
pub use documents::{DocumentId, DocumentInfo, DocumentReader};
pub use drafts::{
    Draft, DraftContent, DraftId, DraftListing, DraftMeta, DraftStatus, DraftSummary, HistoryEntry,
    ImportedDraft, MAX_DRAFT_BYTES,
};
pub use records::{NewSubmission, OutboxItem, OutboxProgress, OutboxState, Receipt};

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
        "record {id} was changed outside this app: {reason}. It was not used; nothing was \
         changed or deleted. Restore the database from a backup"
    )]
    Tampered { id: String, reason: String },
    #[error("the {what} is larger than the limit of {limit} bytes; nothing was stored")]
    TooLarge { what: &'static str, limit: u64 },
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
    /// The file is not an SQLite database at all (a case file given as the database, say):
    /// not damage, so no talk of backups.
    #[error("{path} is not a draft database (not an SQLite file); it was not changed")]
    NotADatabase { path: PathBuf },
    /// An SQLite database of another program (tables, but no ElternKit schema version):
    /// migrating it would add our tables to someone else's data.
    #[error(
        "{path} is another program's SQLite database, not a draft database; it was not changed"
    )]
    ForeignDatabase { path: PathBuf },
    #[error(
        "the database has schema version {found}, this build knows up to {supported}; update \
         the app"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("invalid input: {0}")]
    InvalidInput(InputError),
    /// A handoff (`import_draft`) was refused; nothing was imported.
    #[error("the handoff was refused: {0}")]
    HandoffRefused(HandoffProblem),
    /// SQLite failed. Displayed by its error code only: SQLite's own text is English and
    /// may name a file.
    #[error("SQLite failed ({})", sqlite_code(.0))]
    Sqlite(rusqlite::Error),
    #[error("file error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Crypto(CryptoError),
}

/// An input the store refuses, by a stable [`code`](InputError::code). The message says
/// what is wrong without repeating the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("not a draft id; ids look like 0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00")]
    DraftId,
    #[error("not a document id")]
    DocumentId,
    #[error("the version number is too large")]
    VersionTooLarge,
    #[error("the database's generation counter is exhausted")]
    CounterOverflow,
    #[error("the draft has no part at the given JSON pointer")]
    NoSuchPart,
    #[error("the value cannot be written as JSON")]
    NotSerializable,
    #[error("the expected sender is not a valid recipient (`age1…`)")]
    ExpectedSender,
    #[error("the outbox already holds this submission; a submission is sealed once")]
    AlreadyInOutbox,
}

impl InputError {
    /// Every variant, for the registry of codes (`cli/src/codes.rs`) and its test; a
    /// variant added to [`InputError::code`] belongs here too.
    pub const ALL: [InputError; 8] = [
        InputError::DraftId,
        InputError::DocumentId,
        InputError::VersionTooLarge,
        InputError::CounterOverflow,
        InputError::NoSuchPart,
        InputError::NotSerializable,
        InputError::ExpectedSender,
        InputError::AlreadyInOutbox,
    ];

    /// The stable code (`elternkit errors` lists it with its German and English text).
    pub fn code(self) -> &'static str {
        match self {
            InputError::DraftId => "invalid_draft_id",
            InputError::DocumentId => "invalid_document_id",
            InputError::VersionTooLarge => "version_too_large",
            InputError::CounterOverflow => "counter_overflow",
            InputError::NoSuchPart => "no_such_part",
            InputError::NotSerializable => "not_serializable",
            InputError::ExpectedSender => "invalid_expected_sender",
            InputError::AlreadyInOutbox => "already_in_outbox",
        }
    }
}

/// Why a handoff was not imported. Typed, so an app and the command line tell a file for
/// another device from a damaged one (each asks the user for something else).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoffProblem {
    /// Not age-encrypted at all (a plain case file given as a handoff): not tampering.
    #[error("not a draft handoff: expected the age-encrypted text of a draft export")]
    NotAHandoff,
    /// Encrypted, but for other recipients: the sender must export it again for this device.
    #[error("it was not encrypted for this device")]
    NotForThisDevice,
    /// For this device, but cut or altered: authentication failed.
    #[error("it is damaged or was altered (authentication failed)")]
    Damaged,
    /// Decrypts, but its sender's signature for this device does not verify.
    #[error("its sender could not be verified")]
    SenderUnverified,
    /// From a sender other than the one the caller expected. `sender` is that device's
    /// public recipient (`age1…`), no secret and no personal data.
    #[error("it was sent by {sender}, not by the expected sender")]
    UnexpectedSender { sender: String },
    /// Authentic, but of a format this version does not know (a newer app's).
    #[error("its format is unknown to this version; update the app")]
    UnknownFormat,
}

impl HandoffProblem {
    /// The stable code, the same as the command line's (`cli/src/codes.rs`).
    pub fn code(&self) -> &'static str {
        match self {
            HandoffProblem::NotAHandoff => "not_a_handoff",
            HandoffProblem::NotForThisDevice => "handoff_not_for_this_device",
            HandoffProblem::Damaged => "handoff_damaged",
            HandoffProblem::SenderUnverified => "sender_unverified",
            HandoffProblem::UnexpectedSender { .. } => "unexpected_sender",
            HandoffProblem::UnknownFormat => "unknown_handoff_format",
        }
    }

    /// One of each, for the registry's test.
    pub fn examples() -> [HandoffProblem; 6] {
        let all = [
            HandoffProblem::NotAHandoff,
            HandoffProblem::NotForThisDevice,
            HandoffProblem::Damaged,
            HandoffProblem::SenderUnverified,
            HandoffProblem::UnexpectedSender {
                sender: String::new(),
            },
            HandoffProblem::UnknownFormat,
        ];
        // A new variant stops compiling here, as a reminder to list it above.
        for p in &all {
            match p {
                HandoffProblem::NotAHandoff
                | HandoffProblem::NotForThisDevice
                | HandoffProblem::Damaged
                | HandoffProblem::SenderUnverified
                | HandoffProblem::UnexpectedSender { .. }
                | HandoffProblem::UnknownFormat => {}
            }
        }
        all
    }
}

/// SQLite's error as codes only (`DatabaseBusy, extended code 5`): its own message is
/// English and can name a file or a column, so it is never shown or logged.
pub fn sqlite_code(err: &rusqlite::Error) -> String {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => {
            format!("{:?}, extended code {}", e.code, e.extended_code)
        }
        // rusqlite's own errors (a type conversion, a wrong column): a bug, named by kind.
        _ => "rusqlite".to_owned(),
    }
}

/// SQLite's failure as a caller acts on it (wait, fix permissions, free space, check the
/// path), without its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteKind {
    /// Another connection holds a lock: try again.
    Busy,
    /// The file or its folder cannot be written.
    ReadOnly,
    DiskFull,
    /// The file cannot be opened (a folder that does not exist, no permission).
    CannotOpen,
    Other,
}

impl SqliteKind {
    pub fn of(err: &rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        match err.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => SqliteKind::Busy,
            Some(C::ReadOnly) => SqliteKind::ReadOnly,
            Some(C::DiskFull) => SqliteKind::DiskFull,
            Some(C::CannotOpen) => SqliteKind::CannotOpen,
            _ => SqliteKind::Other,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt {
                reason: sqlite_code(&err),
            },
            _ => Self::Sqlite(err),
        }
    }
}

impl From<InputError> for StoreError {
    fn from(e: InputError) -> Self {
        StoreError::InvalidInput(e)
    }
}

/// The first bytes of every SQLite database file (SQLite file format, "The Database Header").
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses an existing, non-empty file that does not begin like an SQLite database, before
/// SQLite touches it: a mistyped `--db case.json` is not a damaged database.
fn refuse_foreign_file(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut head = Vec::with_capacity(SQLITE_MAGIC.len());
    match std::fs::File::open(path) {
        Ok(file) => {
            file.take(SQLITE_MAGIC.len() as u64)
                .read_to_end(&mut head)
                .map_err(|source| StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
        }
        // Absent: a new database. Other open errors surface when SQLite opens it.
        Err(_) => return Ok(()),
    }
    if head.is_empty() || head.as_slice() == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        })
    }
}

impl StoreError {
    /// Attributes a decryption problem to the record it came from: every error names it.
    fn for_record(id: &str, err: CryptoError) -> Self {
        let failed = |reason: String| Self::DecryptionFailed {
            id: id.to_owned(),
            reason,
        };
        match err {
            CryptoError::WrongKey => failed("it was sealed with another key".into()),
            CryptoError::Damaged => failed("the data is damaged or was altered".into()),
            CryptoError::Misplaced { .. } => Self::Misplaced { id: id.to_owned() },
            CryptoError::Io(e) => failed(format!("it could not be read: {e}")),
            other => failed(other.to_string()),
        }
    }

    /// Decrypted JSON that does not parse: where, never serde's text (it can quote the data).
    pub(crate) fn bad_json(what: &str, e: &serde_json::Error) -> Self {
        Self::Corrupt {
            reason: format!(
                "{what} is not the expected JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
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
    /// The secret store's monotonic counter for this database, if it keeps one.
    counter: Option<Box<dyn MonotonicCounter>>,
    /// `PRAGMA data_version` when this handle last checked every row tag against the head
    /// (or wrote the head itself). While it is unchanged no other connection has committed,
    /// so the rows are the ones checked or written here and the full check is skipped.
    checked_at: std::cell::Cell<Option<i64>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// What a write closure asks for: commit (and advance the head) or roll back.
pub(crate) enum Step<T> {
    Commit(T),
    Abort(T),
}

/// The name of a database's counter in the secret store.
fn counter_name(db_id: &str) -> String {
    format!("elternkit.store-generation.{db_id}")
}

fn key_unavailable(reason: impl Into<String>) -> StoreError {
    StoreError::KeyUnavailable {
        reason: reason.into(),
    }
}

impl Store {
    /// Opens (or creates) the database at `path` with the device key from `secrets`.
    ///
    /// The key is checked before anything is written: a missing or different key is
    /// [`StoreError::KeyUnavailable`] and leaves the files as they were; a file altered
    /// behind the app's back is [`StoreError::Tampered`], also before anything is written. A
    /// key is generated only for a database that holds nothing, once (see
    /// [`SecretStore::store_if_absent`]).
    pub fn open(path: &Path, secrets: &dyn SecretStore) -> Result<Self, StoreError> {
        Self::open_with(path, secrets, StoreOptions::default())
    }

    pub fn open_with(
        path: &Path,
        secrets: &dyn SecretStore,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        refuse_foreign_file(path)?;
        let loaded = DeviceKey::load(secrets).map_err(|e| key_unavailable(e.to_string()))?;
        // What does the database hold? Asked on a read-only connection, so a wrong key or a
        // tampered file leaves every file (db, -wal, journal) byte for byte as it was.
        let probe = if path.exists() {
            let probe = Probe::open(path)?;
            if probe.version == 0 && probe.holds_foreign_schema()? {
                return Err(StoreError::ForeignDatabase {
                    path: path.to_path_buf(),
                });
            }
            Some(probe)
        } else {
            None
        };
        let key = match (loaded, &probe) {
            (Some(key), _) => key,
            (None, Some(probe)) if probe.holds_data()? => {
                let which = probe
                    .expected_key_id()?
                    .map(|id| format!(" with key {id}"))
                    .unwrap_or_default();
                return Err(key_unavailable(format!(
                    "the database was encrypted{which}, and no key is stored (restored from a \
                     backup, or another device?)"
                )));
            }
            (None, _) => DeviceKey::create(secrets)
                .map_err(|e| key_unavailable(format!("cannot save a new key: {e}")))?,
        };
        if let Some(probe) = probe {
            let counter = probe
                .db_id()?
                .and_then(|db_id| secrets.counter(&counter_name(&db_id)));
            probe.check(&key, counter.as_deref())?;
        }

        // From here on the key is right and writing is allowed.
        create_private_file(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let mode = switch_to_wal(&conn)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt {
                reason: format!("cannot switch to WAL mode (got {mode})"),
            });
        }
        let documents_dir = documents_dir_of(path);
        schema::migrate(
            &mut conn,
            &schema::Context {
                key: &key,
                documents_dir: &documents_dir,
            },
        )?;
        let (head, checked_at) = {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // An empty database without a head (after `wipe_all`) starts afresh; one that
            // holds rows never gets a new head (that would vouch for whatever is in it).
            if integrity::read_head(&tx)?.is_none() && !integrity::holds_rows(&tx)? {
                integrity::write_head(&tx, &key, &new_id(), 0)?;
            }
            let head = integrity::verify(&tx, &key)?;
            let version = data_version(&tx)?;
            tx.commit()?;
            (head, version)
        };
        let counter = secrets.counter(&counter_name(&head.db_id));
        if let Some(counter) = &counter {
            check_counter(Some(counter.as_ref()), &head)?;
            counter
                .raise(head.generation)
                .map_err(|e| StoreError::Crypto(CryptoError::SecretStore(e)))?;
        }
        Ok(Self {
            conn,
            key,
            path: path.to_owned(),
            options,
            counter,
            checked_at: std::cell::Cell::new(Some(checked_at)),
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
             DELETE FROM imports; DELETE FROM draft_history; DELETE FROM documents;
             DELETE FROM drafts; DELETE FROM outbox; DELETE FROM receipts; DELETE FROM settings;
             DELETE FROM head;
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

    /// Runs `read` on one consistent snapshot after checking the head: every row this device
    /// wrote is there, nothing else is (rows are checked one by one as they are read).
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Deferred: the snapshot starts at the first SELECT, the head check.
        let tx = self.conn.unchecked_transaction()?;
        self.check_head(&tx)?;
        let out = read(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs `write` in one write transaction: the head is checked first (no write ever
    /// builds on a tampered state) and, on [`Step::Commit`], sealed again over the new rows
    /// with the next generation, which then goes to the secret store's counter.
    pub(crate) fn write<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>, &DeviceKey) -> Result<Step<T>, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Always the full check here, never the data_version shortcut: a write vouches for
        // every row with the new head, so it must not build on rows it has not checked
        // (bytes changed underneath SQLite do not change data_version).
        let head = integrity::verify(&tx, &self.key)?;
        let version = data_version(&tx)?;
        let key = &self.key;
        let out = match write(&tx, key)? {
            Step::Abort(out) => return Ok(out),
            Step::Commit(out) => out,
        };
        let generation = head
            .generation
            .checked_add(1)
            .ok_or(StoreError::InvalidInput(InputError::CounterOverflow))?;
        integrity::write_head(&tx, key, &head.db_id, generation)?;
        tx.commit()?;
        // This handle's own commit leaves data_version as it was: the rows are ours.
        self.checked_at.set(Some(version));
        if let Some(counter) = &self.counter {
            // The write is committed either way. A counter behind the file is allowed (a
            // crash between the two leaves it so), so a failure here only weakens rollback
            // detection until the next write raises it past this generation.
            let _ = counter.raise(generation);
        }
        Ok(out)
    }

    fn check_head(&self, conn: &Connection) -> Result<integrity::Head, StoreError> {
        check_head(conn, &self.key, &self.checked_at)
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

/// For reads: the head, checked against every row tag unless no other connection has
/// committed since this handle last did so (`checked_at`). Call inside a transaction.
fn check_head(
    conn: &Connection,
    key: &DeviceKey,
    checked_at: &std::cell::Cell<Option<i64>>,
) -> Result<integrity::Head, StoreError> {
    let version = data_version(conn)?;
    if checked_at.get() == Some(version)
        && let Some(head) = integrity::read_head(conn)?
    {
        return Ok(head);
    }
    checked_at.set(None);
    let head = integrity::verify(conn, key)?;
    checked_at.set(Some(version));
    Ok(head)
}

/// Changes when another connection commits to the database (not for this one's commits).
fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// Refuses a head older than what this device already wrote (a whole file put back).
fn check_counter(
    counter: Option<&dyn MonotonicCounter>,
    head: &integrity::Head,
) -> Result<(), StoreError> {
    let Some(counter) = counter else {
        return Ok(());
    };
    let seen = counter
        .get()
        .map_err(|e| StoreError::Crypto(CryptoError::SecretStore(e)))?;
    if seen > head.generation {
        return Err(StoreError::Tampered {
            id: "database".into(),
            reason: format!(
                "the file is at change {} but this device already wrote change {seen}: an \
                 older copy of the whole file was put back",
                head.generation
            ),
        });
    }
    Ok(())
}

/// `<db>.documents`, next to the database.
fn documents_dir_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".documents");
    PathBuf::from(name)
}

/// Creates the database file 0600 before SQLite does (SQLite would use 0644 and gives the
/// -wal, -shm and journal files the mode of the database file).
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// An existing database, read-only: what it holds and whether a key fits it.
struct Probe {
    conn: Connection,
    version: i64,
}

impl Probe {
    fn open(path: &Path) -> Result<Self, StoreError> {
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
        // One snapshot for every question the probe asks: another process may be migrating
        // the same file right now (first use from several processes).
        conn.execute_batch("BEGIN")?;
        let version = schema::user_version(&conn)?;
        if version > schema::LATEST {
            return Err(StoreError::TooNew {
                found: version,
                supported: schema::LATEST,
            });
        }
        Ok(Self { conn, version })
    }

    /// Whether a database at schema version 0 already holds schema objects: ours are all
    /// created by the first migration, which also sets the version.
    fn holds_foreign_schema(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema)", [], |row| {
                row.get::<_, bool>(0)
            })?)
    }

    /// Whether the database holds anything that a new key would make unreadable.
    fn holds_data(&self) -> Result<bool, StoreError> {
        Ok(match self.version {
            v if v < 1 => false,
            1 => self.v1_key_id()?.is_some() || integrity::holds_rows(&self.conn)?,
            _ => integrity::read_head(&self.conn)?.is_some() || integrity::holds_rows(&self.conn)?,
        })
    }

    fn expected_key_id(&self) -> Result<Option<String>, StoreError> {
        Ok(match self.version {
            v if v < 1 => None,
            1 => self.v1_key_id()?,
            _ => integrity::read_head(&self.conn)?.map(|h| h.key_id),
        })
    }

    /// The database id from the head (v2), to find its counter.
    fn db_id(&self) -> Result<Option<String>, StoreError> {
        if self.version < 2 {
            return Ok(None);
        }
        Ok(integrity::read_head(&self.conn)?.map(|h| h.db_id))
    }

    fn v1_key_id(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'key_id'", [], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Refuses a key that does not fit, and (v2) a file changed behind the app's back or put
    /// back to an older copy (where there is a counter).
    fn check(
        self,
        key: &DeviceKey,
        counter: Option<&dyn MonotonicCounter>,
    ) -> Result<(), StoreError> {
        let wrong = |expected: &str| {
            key_unavailable(format!(
                "the database was encrypted with key {expected}, the key given is {}",
                key.key_id()
            ))
        };
        match self.version {
            v if v < 1 => Ok(()),
            1 => {
                // v1's `meta` row is not authenticated: also open a stored envelope.
                if let Some(expected) = self.v1_key_id()?
                    && expected != key.key_id().as_str()
                {
                    return Err(wrong(&expected));
                }
                match self.v1_sample()? {
                    Some((binding, blob)) => match key.open(&binding, &blob) {
                        Err(CryptoError::WrongKey) => Err(key_unavailable(format!(
                            "the stored data was not encrypted with the key given ({})",
                            key.key_id()
                        ))),
                        // Damage in one row is reported when that row is read.
                        _ => Ok(()),
                    },
                    None => Ok(()),
                }
            }
            _ => match integrity::read_head(&self.conn)? {
                None if integrity::holds_rows(&self.conn)? => Err(StoreError::Tampered {
                    id: integrity::HEAD_ID.into(),
                    reason: "the key check and head record is missing".into(),
                }),
                None => Ok(()),
                // Not this key's check, and the clear id names another key: a wrong key.
                // (Anything else is refused by `verify` as an altered head.)
                Some(head)
                    if !integrity::key_check_verifies(&head, key)
                        && head.key_id != key.key_id().as_str() =>
                {
                    Err(wrong(&head.key_id))
                }
                Some(_) => {
                    let head = integrity::verify(&self.conn, key)?;
                    check_counter(counter, &head)
                }
            },
        }
    }

    /// One v1 envelope with its binding, to try the key on.
    fn v1_sample(&self) -> Result<Option<(Binding, Vec<u8>)>, StoreError> {
        let row: Option<(String, i64, Vec<u8>)> = self
            .conn
            .query_row("SELECT id, version, summary FROM drafts LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        if let Some((id, version, blob)) = row {
            let version = u64::try_from(version).unwrap_or(0);
            return Ok(Some((binding(Kind::DraftSummary, &id, version), blob)));
        }
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row("SELECT name, value FROM settings LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((name, blob)) = row {
            return Ok(Some((binding(Kind::Setting, &name, 0), blob)));
        }
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row("SELECT id, request FROM outbox LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((id, blob)) = row {
            return Ok(Some((binding(Kind::OutboxRequest, &id, 0), blob)));
        }
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row("SELECT id, body FROM receipts LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(row.map(|(id, blob)| (binding(Kind::Receipt, &id, 0), blob)))
    }
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

/// Switches a connection to WAL mode. Two processes switching a fresh file at once would
/// deadlock on the lock upgrade, so SQLite answers one of them BUSY at once, without calling
/// the busy handler: that one retries (bounded like the busy timeout, 5 s).
fn switch_to_wal(conn: &Connection) -> Result<String, StoreError> {
    let mut attempts = 0u32;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && attempts < 500 =>
            {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return Ok(other?),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's text never reaches a message: its codes do, and its kind for a remedy.
    #[test]
    fn sqlite_errors_display_codes_not_text() {
        let text = "database is locked: /home/marta/drafts.db";
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(text.into()),
        );
        assert_eq!(SqliteKind::of(&busy), SqliteKind::Busy);
        let shown = StoreError::from(busy).to_string();
        assert_eq!(shown, "SQLite failed (DatabaseBusy, extended code 5)");
        let corrupt = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(text.into()),
        );
        let shown = StoreError::from(corrupt).to_string();
        assert!(
            !shown.contains("marta") && !shown.contains("locked"),
            "{shown}"
        );
        assert!(shown.contains("DatabaseCorrupt"), "{shown}");
    }

    #[test]
    fn input_and_handoff_codes_are_unique() {
        let input: std::collections::BTreeSet<_> =
            InputError::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(input.len(), InputError::ALL.len());
        let handoff: std::collections::BTreeSet<_> = HandoffProblem::examples()
            .iter()
            .map(|p| p.code())
            .collect();
        assert_eq!(handoff.len(), HandoffProblem::examples().len());
    }
}
