//! Numbered migrations. `PRAGMA user_version` is the number of the last one applied. Never
//! edit a shipped migration: add the next one, and commit a fixture database of the version
//! it replaces (`core/store/tests/fixtures/v{N}.db`).
//!
//! Column comments say `clear` or `enc` (an age envelope from `crate::crypto`).

use rusqlite::Connection;

use super::StoreError;

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

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the missing migrations, each in its own transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current = user_version(conn)?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            found: current,
            supported: LATEST,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another handle may have migrated while this one waited for the lock.
        if user_version(&tx)? > index as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
