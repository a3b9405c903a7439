//! Numbered migrations. `PRAGMA user_version` is the number of the last one applied. Never
//! edit a shipped migration: add the next one, and commit a fixture database of the version
//! it replaces (`core/store/tests/fixtures/v{N}.db`).
//!
//! Column comments say `clear` or `enc` (an age envelope from `crate::crypto`).

use std::path::Path;

use rusqlite::{Connection, params};

use super::StoreError;
use super::integrity::{self, DraftFields};
use crate::crypto::DeviceKey;

const V1: &str = "
CREATE TABLE meta (            -- clear: installation facts
    key   TEXT PRIMARY KEY,    -- clear: 'key_id'
    value TEXT NOT NULL        -- clear: the device key's public fingerprint
) STRICT;

CREATE TABLE drafts (
    id             TEXT PRIMARY KEY,  -- clear: random UUIDv4
    version        INTEGER NOT NULL,  -- clear: optimistic concurrency, 1, 2, ...
    status         TEXT NOT NULL,     -- clear: draft | ready | submitted | archived
    created_day    INTEGER NOT NULL,  -- clear: days since 1970-01-01 (coarse on purpose)
    updated_minute INTEGER NOT NULL,  -- clear: minutes since 1970-01-01
    key_id         TEXT NOT NULL,     -- clear: which device key sealed the blobs
    schema         INTEGER NOT NULL,  -- clear: format of the payload
    summary        BLOB NOT NULL,     -- enc: title, benefit kinds, child names
    payload        BLOB NOT NULL      -- enc: the case JSON
) STRICT;

CREATE TABLE draft_history (          -- the last N versions of each draft, same envelopes
    draft_id       TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL,
    updated_minute INTEGER NOT NULL,
    key_id         TEXT NOT NULL,
    schema         INTEGER NOT NULL,
    summary        BLOB NOT NULL,     -- enc
    payload        BLOB NOT NULL,     -- enc
    PRIMARY KEY (draft_id, version)
) STRICT;

CREATE TABLE documents (              -- body: encrypted file <db>.documents/<id>.age
    id          TEXT PRIMARY KEY,     -- clear: random UUIDv4, also the file name
    draft_id    TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    created_day INTEGER NOT NULL,     -- clear
    key_id      TEXT NOT NULL,        -- clear
    meta        BLOB NOT NULL         -- enc: file name, media type, size
) STRICT;
CREATE INDEX documents_by_draft ON documents(draft_id);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY, -- clear: random UUIDv4 (the submission id)
    draft_id        TEXT NOT NULL,    -- clear
    state           TEXT NOT NULL,    -- clear: pending | sent | failed
    attempts        INTEGER NOT NULL, -- clear
    next_attempt_minute INTEGER NOT NULL, -- clear: scheduling
    created_day     INTEGER NOT NULL, -- clear
    key_id          TEXT NOT NULL,    -- clear
    request         BLOB NOT NULL     -- enc
) STRICT;

CREATE TABLE receipts (
    id          TEXT PRIMARY KEY,     -- clear: random UUIDv4
    draft_id    TEXT NOT NULL,        -- clear
    created_day INTEGER NOT NULL,     -- clear
    key_id      TEXT NOT NULL,        -- clear
    body        BLOB NOT NULL         -- enc: the agency's signed receipt
) STRICT;

CREATE TABLE settings (
    name   TEXT PRIMARY KEY,          -- clear: setting name (never user data)
    key_id TEXT NOT NULL,             -- clear
    value  BLOB NOT NULL              -- enc: JSON value
) STRICT;
";

/// Schema v2: every row authenticated (see `integrity.rs`), drafts chained, a head record
/// instead of the unauthenticated `meta`, handoff imports remembered. The SQL adds columns;
/// [`v2_authenticate`] then computes the tags of the rows v1 left, in the same transaction.
const V2: &str = "
ALTER TABLE drafts ADD COLUMN prev_tag BLOB NOT NULL DEFAULT x'';  -- clear: tag of version - 1
ALTER TABLE drafts ADD COLUMN tag BLOB NOT NULL DEFAULT x'';       -- clear: HMAC, see integrity.rs
ALTER TABLE draft_history ADD COLUMN created_day INTEGER NOT NULL DEFAULT 0; -- clear
ALTER TABLE draft_history ADD COLUMN prev_tag BLOB NOT NULL DEFAULT x'';
ALTER TABLE draft_history ADD COLUMN tag BLOB NOT NULL DEFAULT x'';
ALTER TABLE documents ADD COLUMN body_tag BLOB NOT NULL DEFAULT x''; -- clear: HMAC of the file
ALTER TABLE documents ADD COLUMN tag BLOB NOT NULL DEFAULT x'';
ALTER TABLE outbox ADD COLUMN tag BLOB NOT NULL DEFAULT x'';
ALTER TABLE receipts ADD COLUMN tag BLOB NOT NULL DEFAULT x'';
ALTER TABLE settings ADD COLUMN tag BLOB NOT NULL DEFAULT x'';

CREATE TABLE imports (                -- handoffs already imported (import is idempotent)
    digest   BLOB PRIMARY KEY,        -- clear: HMAC of sender and payload (keyed: no content hash)
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE, -- clear
    tag      BLOB NOT NULL            -- clear: HMAC
) STRICT;
CREATE INDEX imports_by_tag ON imports(tag);

CREATE TABLE head (                   -- the key check and the authenticated state of the file
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    db_id      TEXT NOT NULL,         -- clear: random UUIDv4 of this database
    key_id     TEXT NOT NULL,         -- clear: the device key's public fingerprint
    generation INTEGER NOT NULL,      -- clear: committed writes so far
    key_check  BLOB NOT NULL,         -- clear: HMAC over db_id and key_id
    tag        BLOB NOT NULL          -- clear: HMAC over the above and every row tag
) STRICT;

-- The head check reads every tag; covering indexes keep it off the rows (whose tags come
-- after kilobytes of ciphertext in overflow pages) and hand the tags over sorted.
CREATE INDEX drafts_by_tag ON drafts(tag);
CREATE INDEX draft_history_by_tag ON draft_history(tag);
CREATE INDEX documents_by_tag ON documents(tag);
CREATE INDEX outbox_by_tag ON outbox(tag);
CREATE INDEX receipts_by_tag ON receipts(tag);
CREATE INDEX settings_by_tag ON settings(tag);

DROP TABLE meta;
";

/// Schema v3: an outbox row is one FSP/1 submission (issue 19). Its id is the client-made
/// submission id, written before the first request; the row names the destination, the
/// protocol step and the last error, and keeps the outbox state machine's value. The tag
/// now covers these too; [`v3_retag`] checks each v2 tag before it writes the v3 one.
const V3: &str = "
ALTER TABLE outbox ADD COLUMN destination_id TEXT NOT NULL DEFAULT ''; -- clear: FSP/1 destinationId
ALTER TABLE outbox ADD COLUMN step TEXT NOT NULL DEFAULT '';           -- clear: announce | upload | submit | submitted | needs_user
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';     -- clear: failure class, status and problem name; never user data
ALTER TABLE outbox ADD COLUMN progress BLOB NOT NULL DEFAULT x'';      -- enc: the outbox state and the verified events (JSON)
";

/// A migration step in Rust, run after the step's SQL in the same transaction.
type RustStep = fn(&Connection, &Context<'_>) -> Result<(), StoreError>;

/// One migration step: SQL, then optionally Rust code in the same transaction.
struct Migration {
    sql: &'static str,
    rust: Option<RustStep>,
}

/// What Rust migration steps may use.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub key: &'a DeviceKey,
    pub documents_dir: &'a Path,
}

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        rust: None,
    },
    Migration {
        sql: V2,
        rust: Some(v2_authenticate),
    },
    Migration {
        sql: V3,
        rust: Some(v3_retag),
    },
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the missing migrations, all in one transaction: the file is at its old version
/// or at the latest, never in between, and a fresh database costs one commit (one fsync).
pub(crate) fn migrate(conn: &mut Connection, cx: &Context<'_>) -> Result<(), StoreError> {
    let current = user_version(conn)?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            found: current,
            supported: LATEST,
        });
    }
    if current == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another handle may have migrated while this one waited for the lock.
    let current = user_version(&tx)?;
    for step in MIGRATIONS.iter().skip(current.max(0) as usize) {
        tx.execute_batch(step.sql)?;
        if let Some(rust) = step.rust {
            rust(&tx, cx)?;
        }
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// v1 → v2: tags for every row v1 left (v1 had no authentication, so what is in the file at
/// this moment is what gets vouched for), the draft chains oldest first, document files
/// tagged as they are, and the head. The key was checked against the v1 rows before.
fn v2_authenticate(tx: &Connection, cx: &Context<'_>) -> Result<(), StoreError> {
    let mac = cx.key.mac();
    tx.execute(
        "UPDATE draft_history SET created_day = \
         (SELECT created_day FROM drafts WHERE drafts.id = draft_history.draft_id)",
        [],
    )?;
    // Current rows, then their history oldest first: the chain is built in version order.
    let drafts: Vec<V1Version> = {
        let mut stmt = tx.prepare(
            "SELECT id, version, status, created_day, updated_minute, key_id, schema, summary, \
             payload FROM drafts",
        )?;
        stmt.query_map([], V1Version::from_row)?
            .collect::<Result<_, _>>()?
    };
    for current in drafts {
        let history: Vec<V1Version> = {
            let mut stmt = tx.prepare(
                "SELECT draft_id, version, status, created_day, updated_minute, key_id, schema, \
                 summary, payload FROM draft_history WHERE draft_id = ?1 AND version < ?2 \
                 ORDER BY version",
            )?;
            stmt.query_map(params![current.id, current.version], V1Version::from_row)?
                .collect::<Result<_, _>>()?
        };
        // History rows at or above the current version cannot be chained: v1 never wrote
        // them, so they are left untagged and will be reported.
        let mut prev: Vec<u8> = Vec::new();
        for old in history {
            let tag = old.fields(&prev).tag(mac);
            tx.execute(
                "UPDATE draft_history SET prev_tag = ?3, tag = ?4 WHERE draft_id = ?1 \
                 AND version = ?2",
                params![old.id, old.version, prev, tag.as_slice()],
            )?;
            prev = tag.to_vec();
        }
        let tag = current.fields(&prev).tag(mac);
        tx.execute(
            "UPDATE drafts SET prev_tag = ?2, tag = ?3 WHERE id = ?1",
            params![current.id, prev, tag.as_slice()],
        )?;
    }

    let documents: Vec<(String, String, i64, String, Vec<u8>)> = {
        let mut stmt =
            tx.prepare("SELECT id, draft_id, created_day, key_id, meta FROM documents")?;
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?
    };
    for (id, draft_id, created_day, key_id, meta) in documents {
        let path = cx.documents_dir.join(format!("{id}.age"));
        // A file missing now keeps an empty body tag: opening it reports the document.
        let body_tag = match std::fs::File::open(&path) {
            Ok(mut file) => {
                let mut builder = integrity::document_body_builder(mac, &id);
                std::io::copy(&mut file, &mut builder).map_err(|e| StoreError::io(&path, e))?;
                builder.finish().to_vec()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(StoreError::io(&path, e)),
        };
        let tag =
            integrity::document_tag(mac, &id, &draft_id, created_day, &key_id, &body_tag, &meta);
        tx.execute(
            "UPDATE documents SET body_tag = ?2, tag = ?3 WHERE id = ?1",
            params![id, body_tag, tag.as_slice()],
        )?;
    }

    let mut stmt = tx.prepare(
        "SELECT id, draft_id, state, attempts, next_attempt_minute, created_day, key_id, \
         request FROM outbox",
    )?;
    let tags: Vec<(String, crate::crypto::Tag)> = stmt
        .query_map([], |r| {
            let id: String = r.get(0)?;
            let tag = integrity::outbox_tag(
                mac,
                &id,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                &r.get::<_, String>(6)?,
                &r.get::<_, Vec<u8>>(7)?,
            );
            Ok((id, tag))
        })?
        .collect::<Result<_, _>>()?;
    drop(stmt);
    for (id, tag) in tags {
        tx.execute(
            "UPDATE outbox SET tag = ?2 WHERE id = ?1",
            params![id, tag.as_slice()],
        )?;
    }

    let receipts: Vec<(String, String, i64, String, Vec<u8>)> = {
        let mut stmt =
            tx.prepare("SELECT id, draft_id, created_day, key_id, body FROM receipts")?;
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?
    };
    for (id, draft_id, created_day, key_id, body) in receipts {
        let tag = integrity::receipt_tag(mac, &id, &draft_id, created_day, &key_id, &body);
        tx.execute(
            "UPDATE receipts SET tag = ?2 WHERE id = ?1",
            params![id, tag.as_slice()],
        )?;
    }

    let settings: Vec<(String, String, Vec<u8>)> = {
        let mut stmt = tx.prepare("SELECT name, key_id, value FROM settings")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (name, key_id, value) in settings {
        let tag = integrity::setting_tag(mac, &name, &key_id, &value);
        tx.execute(
            "UPDATE settings SET tag = ?2 WHERE name = ?1",
            params![name, tag.as_slice()],
        )?;
    }

    integrity::write_head(tx, cx.key, &uuid::Uuid::new_v4().to_string(), 0)
}

/// v2 → v3: every outbox row's v2 tag is checked (a row altered before the migration stays
/// refused, it is not laundered into a valid v3 row), then tagged with the v3 columns; the
/// head is written again for the new tags, one generation on.
fn v3_retag(tx: &Connection, cx: &Context<'_>) -> Result<(), StoreError> {
    let mac = cx.key.mac();
    let Some(head) = integrity::read_head(tx)? else {
        // v2 always has a head once it holds rows; a v2 file without one is empty.
        return Ok(());
    };
    type V2Row = (
        String,
        String,
        String,
        i64,
        i64,
        i64,
        String,
        Vec<u8>,
        Vec<u8>,
    );
    let rows: Vec<V2Row> = {
        let mut stmt = tx.prepare(
            "SELECT id, draft_id, state, attempts, next_attempt_minute, created_day, key_id, \
             request, tag FROM outbox",
        )?;
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<Result<_, _>>()?
    };
    for (id, draft_id, state, attempts, next, created_day, key_id, request, tag) in rows {
        let v2 = integrity::outbox_tag(
            mac,
            &id,
            &draft_id,
            &state,
            attempts,
            next,
            created_day,
            &key_id,
            &request,
        );
        if !integrity::constant_time_eq(&v2, &tag) {
            return Err(StoreError::Tampered {
                id,
                reason: "the outbox entry was altered before the v3 migration".into(),
            });
        }
        // A v2 entry was made before FSP/1 existed: no destination and no progress; its
        // step follows its state.
        let step = match state.as_str() {
            "sent" => "submitted",
            "failed" => "needs_user",
            _ => "announce",
        };
        let fields = integrity::OutboxFields {
            id: &id,
            draft_id: &draft_id,
            state: &state,
            attempts,
            next_attempt_minute: next,
            created_day,
            key_id: &key_id,
            destination_id: "",
            step,
            last_error: "",
            request: &request,
            progress: &[],
        };
        tx.execute(
            "UPDATE outbox SET step = ?2, tag = ?3 WHERE id = ?1",
            params![id, step, fields.tag(mac).as_slice()],
        )?;
    }
    integrity::write_head(tx, cx.key, &head.db_id, head.generation.saturating_add(1))
}

/// A v1 draft version (current row or history row; history's `created_day` was copied from
/// the draft before this is read).
struct V1Version {
    id: String,
    version: i64,
    status: String,
    created_day: i64,
    updated_minute: i64,
    key_id: String,
    schema: i64,
    summary: Vec<u8>,
    payload: Vec<u8>,
}

impl V1Version {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            version: r.get(1)?,
            status: r.get(2)?,
            created_day: r.get(3)?,
            updated_minute: r.get(4)?,
            key_id: r.get(5)?,
            schema: r.get(6)?,
            summary: r.get(7)?,
            payload: r.get(8)?,
        })
    }

    fn fields<'a>(&'a self, prev_tag: &'a [u8]) -> DraftFields<'a> {
        DraftFields {
            id: &self.id,
            version: self.version,
            status: &self.status,
            created_day: self.created_day,
            updated_minute: self.updated_minute,
            key_id: &self.key_id,
            schema: self.schema,
            prev_tag,
            summary: &self.summary,
            payload: &self.payload,
        }
    }
}
