//! The relay's storage behind a small synchronous trait ([`Store`]) so that PostgreSQL can
//! follow SQLite. It holds only what the relay may see: manifests, ciphertexts, signatures
//! and its own receipts. Every method is one transaction.

use std::path::Path;
use std::sync::Mutex;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Where a submission stands on the relay (`docs/PROTOCOL.md` § 9, the part built so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Announced,
    Submitted,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Announced => "announced",
            State::Submitted => "submitted",
        }
    }
    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "announced" => Ok(State::Announced),
            "submitted" => Ok(State::Submitted),
            other => Err(StoreError(format!("unknown state {other:?} in the store"))),
        }
    }
}

/// One submission as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub submission_id: Uuid,
    pub destination_id: String,
    /// The exact announced bytes.
    pub manifest: Vec<u8>,
    pub manifest_sha256: String,
    pub case_id: Uuid,
    pub announced_at: Timestamp,
    pub upload_deadline: Timestamp,
    /// The relay's `announced` event (seq 0).
    pub announce_receipt: String,
    pub state: State,
    /// Set on submit: the verified manifest signature, the `submitted` event (seq 1), when.
    pub signature: Option<Vec<u8>>,
    pub receipt: Option<String>,
    pub submitted_at: Option<Timestamp>,
}

/// What [`Store::announce`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announce {
    Created(Submission),
    /// The id was taken; the stored row (the caller compares the bytes).
    Existing(Submission),
}

/// One line of the subscriber's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub cursor: i64,
    pub submission_id: Uuid,
    pub submitted_at: Timestamp,
}

/// One event after the `submitted` receipt (seq ≥ 2): the relay's `retrieved`, the
/// agency's `accepted`/`rejected`/`status`. Seq 0 and 1 are the submission row's receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    /// The token's `jti`; unique per submission, which makes posting idempotent.
    pub jti: Uuid,
    /// The event name (`accepted`, …), so a store can answer without decoding.
    pub kind: String,
    /// The compact JWS as received or signed.
    pub jws: String,
}

/// What [`Store::append_event`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    Added,
    /// An event with this `jti` is stored (the caller compares the bytes).
    JtiExists(StoredEvent),
    /// Another event took this `seq` first; the caller reads the chain again.
    SeqTaken,
}

/// The storage failed; the relay answers `503 unavailable` and the app retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// The relay's storage. `part` is `"payload"` or an attachment id.
pub trait Store: Send + Sync {
    /// Inserts `new` unless its id exists.
    fn announce(&self, new: &Submission) -> Result<Announce, StoreError>;
    fn get(&self, submission_id: Uuid) -> Result<Option<Submission>, StoreError>;
    /// Stores a verified ciphertext; a repeat is a no-op (content-addressed by the caller).
    fn put_part(&self, submission_id: Uuid, part: &str, bytes: &[u8]) -> Result<(), StoreError>;
    /// The names of the stored parts.
    fn parts(&self, submission_id: Uuid) -> Result<Vec<String>, StoreError>;
    fn part(&self, submission_id: Uuid, part: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// `announced → submitted` once; returns the row after (the earlier one if another
    /// request won the race).
    fn submit(
        &self,
        submission_id: Uuid,
        signature: &[u8],
        receipt: &str,
        at: Timestamp,
    ) -> Result<Submission, StoreError>;
    /// Submitted submissions of `destination_id` after `cursor`, oldest first.
    fn list_submitted(
        &self,
        destination_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Listed>, StoreError>;
    /// The stored events of `submission_id` with `seq > after`, by `seq`.
    fn events(&self, submission_id: Uuid, after: i64) -> Result<Vec<StoredEvent>, StoreError>;
    /// Stores `event` unless its `jti` or its `seq` is taken for this submission (one
    /// transaction; `(sid, seq)` and `(sid, jti)` are unique, so two relays racing for the
    /// same place in the chain cannot both win).
    fn append_event(
        &self,
        submission_id: Uuid,
        event: &StoredEvent,
    ) -> Result<Appended, StoreError>;
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS submission (
    sid TEXT PRIMARY KEY NOT NULL,
    destination_id TEXT NOT NULL,
    manifest BLOB NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    case_id TEXT NOT NULL,
    announced_at TEXT NOT NULL,
    upload_deadline TEXT NOT NULL,
    announce_receipt TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('announced', 'submitted')),
    signature BLOB,
    receipt TEXT,
    submitted_at TEXT,
    submitted_seq INTEGER UNIQUE
) STRICT;
CREATE INDEX IF NOT EXISTS submission_by_destination
    ON submission (destination_id, submitted_seq);
CREATE TABLE IF NOT EXISTS event (
    sid TEXT NOT NULL REFERENCES submission (sid),
    seq INTEGER NOT NULL CHECK (seq >= 2),
    jti TEXT NOT NULL,
    kind TEXT NOT NULL,
    jws TEXT NOT NULL,
    PRIMARY KEY (sid, seq),
    UNIQUE (sid, jti)
) STRICT;
CREATE TABLE IF NOT EXISTS part (
    sid TEXT NOT NULL REFERENCES submission (sid),
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (sid, name)
) STRICT;
";

/// SQLite: one file, or in memory for tests.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::init(conn)
    }

    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StoreError("the connection lock is poisoned".into()))?;
        f(&mut conn)
    }
}

const COLUMNS: &str = "sid, destination_id, manifest, manifest_sha256, case_id, announced_at, \
    upload_deadline, announce_receipt, state, signature, receipt, submitted_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<rusqlite::types::Value>; 12]> {
    let mut out: [Option<rusqlite::types::Value>; 12] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(out)
}

fn decode(values: [Option<rusqlite::types::Value>; 12]) -> Result<Submission, StoreError> {
    use rusqlite::types::Value as V;
    let bad = |what: &str| StoreError(format!("the stored {what} is not what was written"));
    let text = |v: &Option<V>, what: &str| match v {
        Some(V::Text(s)) => Ok(s.clone()),
        _ => Err(bad(what)),
    };
    let blob = |v: &Option<V>, what: &str| match v {
        Some(V::Blob(b)) => Ok(b.clone()),
        _ => Err(bad(what)),
    };
    let uuid = |v: &Option<V>, what: &str| -> Result<Uuid, StoreError> {
        text(v, what)?.parse().map_err(|_| bad(what))
    };
    let time = |v: &Option<V>, what: &str| -> Result<Timestamp, StoreError> {
        text(v, what)?.parse().map_err(|_| bad(what))
    };
    Ok(Submission {
        submission_id: uuid(&values[0], "id")?,
        destination_id: text(&values[1], "destination")?,
        manifest: blob(&values[2], "manifest")?,
        manifest_sha256: text(&values[3], "manifest hash")?,
        case_id: uuid(&values[4], "case id")?,
        announced_at: time(&values[5], "announce time")?,
        upload_deadline: time(&values[6], "deadline")?,
        announce_receipt: text(&values[7], "announce receipt")?,
        state: State::parse(&text(&values[8], "state")?)?,
        signature: values[9]
            .is_some()
            .then(|| blob(&values[9], "signature"))
            .transpose()?,
        receipt: values[10]
            .is_some()
            .then(|| text(&values[10], "receipt"))
            .transpose()?,
        submitted_at: values[11]
            .is_some()
            .then(|| time(&values[11], "submit time"))
            .transpose()?,
    })
}

fn get(conn: &Connection, sid: Uuid) -> Result<Option<Submission>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM submission WHERE sid = ?1"),
        [sid.to_string()],
        row,
    )
    .optional()?
    .map(decode)
    .transpose()
}

impl Store for SqliteStore {
    fn announce(&self, new: &Submission) -> Result<Announce, StoreError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO submission (sid, destination_id, manifest, manifest_sha256, \
                 case_id, announced_at, upload_deadline, announce_receipt, state) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'announced')",
                params![
                    new.submission_id.to_string(),
                    new.destination_id,
                    new.manifest,
                    new.manifest_sha256,
                    new.case_id.to_string(),
                    new.announced_at.to_string(),
                    new.upload_deadline.to_string(),
                    new.announce_receipt,
                ],
            )?;
            let stored = get(&tx, new.submission_id)?
                .ok_or_else(|| StoreError("the announced row vanished".into()))?;
            tx.commit()?;
            Ok(if inserted == 1 {
                Announce::Created(stored)
            } else {
                Announce::Existing(stored)
            })
        })
    }

    fn get(&self, submission_id: Uuid) -> Result<Option<Submission>, StoreError> {
        self.with(|conn| get(conn, submission_id))
    }

    fn put_part(&self, submission_id: Uuid, part: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.with(|conn| {
            conn.execute(
                "INSERT OR IGNORE INTO part (sid, name, bytes) VALUES (?1, ?2, ?3)",
                params![submission_id.to_string(), part, bytes],
            )?;
            Ok(())
        })
    }

    fn parts(&self, submission_id: Uuid) -> Result<Vec<String>, StoreError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached("SELECT name FROM part WHERE sid = ?1")?;
            let names = stmt
                .query_map([submission_id.to_string()], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(names)
        })
    }

    fn part(&self, submission_id: Uuid, part: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.with(|conn| {
            Ok(conn
                .query_row(
                    "SELECT bytes FROM part WHERE sid = ?1 AND name = ?2",
                    params![submission_id.to_string(), part],
                    |r| r.get::<_, Vec<u8>>(0),
                )
                .optional()?)
        })
    }

    fn submit(
        &self,
        submission_id: Uuid,
        signature: &[u8],
        receipt: &str,
        at: Timestamp,
    ) -> Result<Submission, StoreError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "UPDATE submission SET state = 'submitted', signature = ?2, receipt = ?3, \
                 submitted_at = ?4, \
                 submitted_seq = (SELECT COALESCE(MAX(submitted_seq), 0) + 1 FROM submission) \
                 WHERE sid = ?1 AND state = 'announced'",
                params![
                    submission_id.to_string(),
                    signature,
                    receipt,
                    at.to_string()
                ],
            )?;
            let stored = get(&tx, submission_id)?
                .ok_or_else(|| StoreError("the submitted row vanished".into()))?;
            tx.commit()?;
            Ok(stored)
        })
    }

    fn list_submitted(
        &self,
        destination_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Listed>, StoreError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT submitted_seq, sid, submitted_at FROM submission \
                 WHERE destination_id = ?1 AND state = 'submitted' AND submitted_seq > ?2 \
                 ORDER BY submitted_seq LIMIT ?3",
            )?;
            let rows = stmt
                .query_map(params![destination_id, after, limit], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(cursor, sid, at)| {
                    Ok(Listed {
                        cursor,
                        submission_id: sid
                            .parse()
                            .map_err(|_| StoreError("a stored id is not a UUID".into()))?,
                        submitted_at: at
                            .parse()
                            .map_err(|_| StoreError("a stored time is not RFC 3339".into()))?,
                    })
                })
                .collect()
        })
    }

    fn events(&self, submission_id: Uuid, after: i64) -> Result<Vec<StoredEvent>, StoreError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, jti, kind, jws FROM event WHERE sid = ?1 AND seq > ?2 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map(params![submission_id.to_string(), after], event_row)?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(decode_event).collect()
        })
    }

    fn append_event(
        &self,
        submission_id: Uuid,
        event: &StoredEvent,
    ) -> Result<Appended, StoreError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let sid = submission_id.to_string();
            let existing = tx
                .query_row(
                    "SELECT seq, jti, kind, jws FROM event WHERE sid = ?1 AND jti = ?2",
                    params![sid, event.jti.to_string()],
                    event_row,
                )
                .optional()?;
            if let Some(row) = existing {
                return Ok(Appended::JtiExists(decode_event(row)?));
            }
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO event (sid, seq, jti, kind, jws) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![sid, event.seq, event.jti.to_string(), event.kind, event.jws],
            )?;
            tx.commit()?;
            Ok(if inserted == 1 {
                Appended::Added
            } else {
                Appended::SeqTaken
            })
        })
    }
}

type EventRow = (i64, String, String, String);

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn decode_event((seq, jti, kind, jws): EventRow) -> Result<StoredEvent, StoreError> {
    Ok(StoredEvent {
        seq,
        jti: jti
            .parse()
            .map_err(|_| StoreError("a stored jti is not a UUID".into()))?,
        kind,
        jws,
    })
}
