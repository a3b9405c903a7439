//! The relay's storage behind a small synchronous trait ([`Store`]) so that PostgreSQL can
//! follow SQLite. It holds only what the relay may see: manifests, ciphertexts, signatures
//! and its own receipts. Every method is one transaction.

use std::path::Path;
use std::sync::Mutex;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Where a submission stands on the relay (`docs/PROTOCOL.md` § 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Announced,
    Submitted,
    /// Announced and not submitted before the upload deadline; its parts are deleted.
    Expired,
    /// Withdrawn by its device (`DELETE`) while announced; its parts are deleted.
    Deleted,
    /// Submitted and not retrieved within `unretrievedDays`: rejected with
    /// `not-retrieved-in-time`, its ciphertexts deleted.
    Unretrieved,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Announced => "announced",
            State::Submitted => "submitted",
            State::Expired => "expired",
            State::Deleted => "deleted",
            State::Unretrieved => "unretrieved",
        }
    }
    pub(crate) fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "announced" => Ok(State::Announced),
            "submitted" => Ok(State::Submitted),
            "expired" => Ok(State::Expired),
            "deleted" => Ok(State::Deleted),
            "unretrieved" => Ok(State::Unretrieved),
            other => Err(StoreError(format!("unknown state {other:?} in the store"))),
        }
    }
}

/// The destination's retention (directory `retention`) in seconds, fixed per submission
/// when it is announced, so the sweep needs no directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Submitted and not retrieved: the ciphertexts are kept this long after the submit.
    pub unretrieved_s: i64,
    /// Retrieved: the ciphertexts are kept this long after the first retrieval.
    pub after_retrieval_s: i64,
    /// The row (manifest, receipts) is kept this long after its ciphertexts are gone.
    pub events_s: i64,
}

impl Keep {
    pub fn of(retention: &elternkit_directory::Retention) -> Self {
        const DAY: i64 = 86_400;
        Self {
            unretrieved_s: i64::from(retention.unretrieved_days) * DAY,
            after_retrieval_s: i64::from(retention.after_retrieval_days) * DAY,
            events_s: i64::from(retention.events_days) * DAY,
        }
    }
}

/// What one [`Store::sweep`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Announced submissions past their upload deadline → `expired`.
    pub expired: u64,
    /// Submitted, never retrieved, past `unretrievedDays` → `unretrieved`.
    pub unretrieved: u64,
    /// Retrieved submissions whose ciphertexts were deleted after `afterRetrievalDays`.
    pub purged: u64,
    /// Rows deleted after `eventsDays`.
    pub forgotten: u64,
    /// Request nonces past their window.
    pub nonces: u64,
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
    /// The destination's retention at announce time.
    pub keep: Keep,
    /// The first fetch of the payload by the subscriber.
    pub retrieved_at: Option<Timestamp>,
    /// The ciphertexts are deleted (expiry, withdrawal, retention).
    pub purged: bool,
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

impl Listed {
    /// A listing row as both stores keep it: the id and the time as text.
    pub(crate) fn from_stored(
        cursor: i64,
        submission_id: &str,
        submitted_at: &str,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            cursor,
            submission_id: submission_id
                .parse()
                .map_err(|_| StoreError("a stored id is not a UUID".into()))?,
            submitted_at: submitted_at
                .parse()
                .map_err(|_| StoreError("a stored time is not RFC 3339".into()))?,
        })
    }
}

/// What [`Store::admit`] found for a request's nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// First use; `recent` requests of this key (this one included) since the window start.
    Fresh { recent: u32 },
    /// The key used this nonce before: a replayed request.
    Replayed,
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
    /// Records the nonce of a verified request of device `keyid` (kept until `keep_until`)
    /// and counts the key's requests seen after `since`, in one transaction: the replay
    /// check and the per-device rate limit, shared by every relay instance on the store.
    fn admit(
        &self,
        keyid: &str,
        nonce: &str,
        now: Timestamp,
        keep_until: Timestamp,
        since: Timestamp,
    ) -> Result<Admission, StoreError>;
    /// `announced → deleted` (parts deleted); any other state is left alone. The row
    /// after, `None` if unknown.
    fn withdraw(
        &self,
        submission_id: Uuid,
        now: Timestamp,
    ) -> Result<Option<Submission>, StoreError>;
    /// Records the first retrieval (later ones change nothing): the ciphertexts are then
    /// kept `keep.after_retrieval_s` from `now`.
    fn mark_retrieved(&self, submission_id: Uuid, now: Timestamp) -> Result<(), StoreError>;
    /// Applies retention at `now` (PROTOCOL § 9); idempotent, so any number of relay
    /// instances may sweep the same store.
    fn sweep(&self, now: Timestamp) -> Result<Swept, StoreError>;
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

/// The layout version in `PRAGMA user_version`; a file of another version is refused.
const SCHEMA_VERSION: i64 = 1;

// Times a sweep compares are integer milliseconds (`*_ms`); the RFC 3339 texts are what
// the protocol shows.
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
    state TEXT NOT NULL
        CHECK (state IN ('announced', 'submitted', 'expired', 'deleted', 'unretrieved')),
    signature BLOB,
    receipt TEXT,
    submitted_at TEXT,
    submitted_seq INTEGER UNIQUE,
    keep_unretrieved_s INTEGER NOT NULL,
    keep_after_retrieval_s INTEGER NOT NULL,
    keep_events_s INTEGER NOT NULL,
    deadline_ms INTEGER NOT NULL,
    retrieved_at TEXT,
    purge_at_ms INTEGER,
    purged INTEGER NOT NULL DEFAULT 0,
    forget_at_ms INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS submission_by_destination
    ON submission (destination_id, submitted_seq);
CREATE INDEX IF NOT EXISTS submission_by_deadline ON submission (state, deadline_ms);
CREATE INDEX IF NOT EXISTS submission_by_purge ON submission (purge_at_ms);
CREATE INDEX IF NOT EXISTS submission_by_forget ON submission (forget_at_ms);
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
CREATE TABLE IF NOT EXISTS request_nonce (
    keyid TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (keyid, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS request_nonce_by_key ON request_nonce (keyid, seen_at);
CREATE INDEX IF NOT EXISTS request_nonce_by_expiry ON request_nonce (keep_until);
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
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tables: i64 = conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 && version != SCHEMA_VERSION {
            return Err(StoreError(format!(
                "the relay database has layout version {version}, this relay reads {SCHEMA_VERSION}"
            )));
        }
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
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
    upload_deadline, announce_receipt, state, signature, receipt, submitted_at, \
    keep_unretrieved_s, keep_after_retrieval_s, keep_events_s, retrieved_at, purged";
const NCOLUMNS: usize = 17;

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<rusqlite::types::Value>; NCOLUMNS]> {
    let mut out: [Option<rusqlite::types::Value>; NCOLUMNS] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(out)
}

fn decode(values: [Option<rusqlite::types::Value>; NCOLUMNS]) -> Result<Submission, StoreError> {
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
    let int = |v: &Option<V>, what: &str| match v {
        Some(V::Integer(i)) => Ok(*i),
        _ => Err(bad(what)),
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
        keep: Keep {
            unretrieved_s: int(&values[12], "retention")?,
            after_retrieval_s: int(&values[13], "retention")?,
            events_s: int(&values[14], "retention")?,
        },
        retrieved_at: values[15]
            .is_some()
            .then(|| time(&values[15], "retrieval time"))
            .transpose()?,
        purged: int(&values[16], "purged")? != 0,
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
                 case_id, announced_at, upload_deadline, announce_receipt, state, \
                 keep_unretrieved_s, keep_after_retrieval_s, keep_events_s, deadline_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'announced', ?9, ?10, ?11, ?12)",
                params![
                    new.submission_id.to_string(),
                    new.destination_id,
                    new.manifest,
                    new.manifest_sha256,
                    new.case_id.to_string(),
                    new.announced_at.to_string(),
                    new.upload_deadline.to_string(),
                    new.announce_receipt,
                    new.keep.unretrieved_s,
                    new.keep.after_retrieval_s,
                    new.keep.events_s,
                    new.upload_deadline.as_millisecond(),
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
            // Only while announced: a part arriving after an expiry or a withdrawal is not
            // stored again.
            conn.execute(
                "INSERT OR IGNORE INTO part (sid, name, bytes) SELECT ?1, ?2, ?3 \
                 WHERE EXISTS (SELECT 1 FROM submission WHERE sid = ?1 AND state = 'announced')",
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
                 submitted_at = ?4, purge_at_ms = ?5 + keep_unretrieved_s * 1000, \
                 submitted_seq = (SELECT COALESCE(MAX(submitted_seq), 0) + 1 FROM submission) \
                 WHERE sid = ?1 AND state = 'announced'",
                params![
                    submission_id.to_string(),
                    signature,
                    receipt,
                    at.to_string(),
                    at.as_millisecond(),
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
                .map(|(cursor, sid, at)| Listed::from_stored(cursor, &sid, &at))
                .collect()
        })
    }

    fn admit(
        &self,
        keyid: &str,
        nonce: &str,
        now: Timestamp,
        keep_until: Timestamp,
        since: Timestamp,
    ) -> Result<Admission, StoreError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO request_nonce (keyid, nonce, seen_at, keep_until) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    keyid,
                    nonce,
                    now.as_millisecond(),
                    keep_until.as_millisecond()
                ],
            )?;
            if inserted == 0 {
                return Ok(Admission::Replayed);
            }
            let recent: i64 = tx.query_row(
                "SELECT COUNT(*) FROM request_nonce WHERE keyid = ?1 AND seen_at > ?2",
                params![keyid, since.as_millisecond()],
                |r| r.get(0),
            )?;
            tx.commit()?;
            Ok(Admission::Fresh {
                recent: u32::try_from(recent).unwrap_or(u32::MAX),
            })
        })
    }

    fn withdraw(
        &self,
        submission_id: Uuid,
        now: Timestamp,
    ) -> Result<Option<Submission>, StoreError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let sid = submission_id.to_string();
            let changed = tx.execute(
                "UPDATE submission SET state = 'deleted', purged = 1, \
                 forget_at_ms = ?2 + keep_events_s * 1000 WHERE sid = ?1 AND state = 'announced'",
                params![sid, now.as_millisecond()],
            )?;
            if changed == 1 {
                tx.execute("DELETE FROM part WHERE sid = ?1", [&sid])?;
            }
            let row = get(&tx, submission_id)?;
            tx.commit()?;
            Ok(row)
        })
    }

    fn mark_retrieved(&self, submission_id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        self.with(|conn| {
            conn.execute(
                "UPDATE submission SET retrieved_at = ?2, \
                 purge_at_ms = ?3 + keep_after_retrieval_s * 1000 \
                 WHERE sid = ?1 AND state = 'submitted' AND retrieved_at IS NULL",
                params![
                    submission_id.to_string(),
                    now.to_string(),
                    now.as_millisecond()
                ],
            )?;
            Ok(())
        })
    }

    fn sweep(&self, now: Timestamp) -> Result<Swept, StoreError> {
        let now = now.as_millisecond();
        self.with(|conn| {
            let tx = conn.transaction()?;
            let expired = tx.execute(
                "UPDATE submission SET state = 'expired', purged = 1, \
                 forget_at_ms = ?1 + keep_events_s * 1000 \
                 WHERE state = 'announced' AND deadline_ms < ?1",
                [now],
            )?;
            let unretrieved = tx.execute(
                "UPDATE submission SET state = 'unretrieved', purged = 1, \
                 forget_at_ms = ?1 + keep_events_s * 1000 \
                 WHERE state = 'submitted' AND retrieved_at IS NULL AND purge_at_ms < ?1",
                [now],
            )?;
            let purged = tx.execute(
                "UPDATE submission SET purged = 1, forget_at_ms = ?1 + keep_events_s * 1000 \
                 WHERE state = 'submitted' AND retrieved_at IS NOT NULL AND purged = 0 \
                 AND purge_at_ms < ?1",
                [now],
            )?;
            tx.execute(
                "DELETE FROM part WHERE sid IN (SELECT sid FROM submission WHERE purged = 1)",
                [],
            )?;
            tx.execute(
                "DELETE FROM event WHERE sid IN \
                 (SELECT sid FROM submission WHERE forget_at_ms < ?1)",
                [now],
            )?;
            let forgotten = tx.execute("DELETE FROM submission WHERE forget_at_ms < ?1", [now])?;
            let nonces = tx.execute("DELETE FROM request_nonce WHERE keep_until < ?1", [now])?;
            tx.commit()?;
            let n = |rows: usize| rows as u64;
            Ok(Swept {
                expired: n(expired),
                unretrieved: n(unretrieved),
                purged: n(purged),
                forgotten: n(forgotten),
                nonces: n(nonces),
            })
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
