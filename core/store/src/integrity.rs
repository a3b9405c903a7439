//! Authentication of what is stored (schema v2).
//!
//! - Every row carries `tag` = HMAC-SHA256, keyed from the device secret, over its table, id,
//!   every clear column that decides behaviour and its ciphertext(s); see the `*_tag`
//!   functions for the exact field lists. A draft version's tag also covers the tag of the
//!   version before it (`prev_tag`), so the versions of a draft form a chain.
//! - The single `head` row holds the database id, the key id, a generation (one more per
//!   committed write) and `tag` = HMAC over those and over the sorted set of all row tags
//!   (the ledger). Adding, deleting or putting back an older row changes the set; only the
//!   device can make a head for the new set. `key_check` = HMAC over the database and key id
//!   is the key check: it tells a wrong key from a tampered file.
//! - A whole older copy of the file has a valid head too: where the [`SecretStore`] keeps a
//!   monotonic counter, the generation is compared with it on open.
//!
//! [`SecretStore`]: crate::crypto::SecretStore

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use crate::crypto::{DeviceKey, StoreMac, TAG_LEN, Tag};

/// Every table whose rows carry a tag, in name order (the order of the ledger).
const LEDGER_TABLES: [&str; 7] = [
    "documents",
    "draft_history",
    "drafts",
    "imports",
    "outbox",
    "receipts",
    "settings",
];

/// The id errors use for the head record.
pub(crate) const HEAD_ID: &str = "store head";

/// The clear columns of the head row.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub db_id: String,
    pub key_id: String,
    pub generation: u64,
    pub key_check: Vec<u8>,
    pub tag: Vec<u8>,
}

pub(crate) fn read_head(conn: &Connection) -> Result<Option<Head>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT db_id, key_id, generation, key_check, tag FROM head WHERE one = 1",
            [],
            |r| {
                Ok(Head {
                    db_id: r.get(0)?,
                    key_id: r.get(1)?,
                    generation: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(u64::MAX),
                    key_check: r.get(3)?,
                    tag: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Whether any table holds a record (a database that holds rows never gets a new key).
pub(crate) fn holds_rows(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM drafts) OR EXISTS (SELECT 1 FROM draft_history) \
         OR EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM outbox) \
         OR EXISTS (SELECT 1 FROM receipts) OR EXISTS (SELECT 1 FROM settings)",
        [],
        |r| r.get(0),
    )?)
}

fn key_check(mac: &StoreMac, db_id: &str, key_id: &str) -> Tag {
    mac.tag("key check", &[db_id.as_bytes(), key_id.as_bytes()])
}

/// Whether `key` made the head's key check (computed over the given key's own id, so an
/// altered clear `key_id` column does not hide the right key).
pub(crate) fn key_check_verifies(head: &Head, key: &DeviceKey) -> bool {
    key.mac().verify(
        "key check",
        &[head.db_id.as_bytes(), key.key_id().as_str().as_bytes()],
        &head.key_check,
    )
}

/// The head tag over its clear columns and the ledger (every row tag, sorted).
fn head_tag(
    conn: &Connection,
    mac: &StoreMac,
    db_id: &str,
    key_id: &str,
    generation: u64,
) -> Result<Tag, StoreError> {
    let mut builder = mac.builder("head");
    builder
        .field(db_id.as_bytes())
        .field(key_id.as_bytes())
        .field(&generation.to_be_bytes());
    // Tables in name order, tags sorted: each query reads only its covering index.
    for table in LEDGER_TABLES {
        let mut stmt = conn.prepare_cached(&format!("SELECT tag FROM {table} ORDER BY tag"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let tag = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
            builder.field(table.as_bytes()).field(tag);
        }
    }
    Ok(builder.finish())
}

/// Checks the head against the rows: the key, then the ledger. The error names the head.
pub(crate) fn verify(conn: &Connection, key: &DeviceKey) -> Result<Head, StoreError> {
    let head = read_head(conn)?.ok_or_else(|| StoreError::Tampered {
        id: HEAD_ID.into(),
        reason: "the key check and head record is missing".into(),
    })?;
    if !key_check_verifies(&head, key) {
        return Err(StoreError::Tampered {
            id: HEAD_ID.into(),
            reason: "its key check does not verify with this device's key".into(),
        });
    }
    if head.key_id != key.key_id().as_str() {
        return Err(StoreError::Tampered {
            id: HEAD_ID.into(),
            reason: "its clear key id was changed".into(),
        });
    }
    let expected = head_tag(conn, key.mac(), &head.db_id, &head.key_id, head.generation)?;
    if head.tag.len() != TAG_LEN || !constant_time_eq(&expected, &head.tag) {
        return Err(StoreError::Tampered {
            id: HEAD_ID.into(),
            reason: "records were added, deleted or put back to an older version since this \
                     device last wrote"
                .into(),
        });
    }
    Ok(head)
}

/// Writes the head for the rows as they are now (inside the caller's write transaction).
pub(crate) fn write_head(
    conn: &Connection,
    key: &DeviceKey,
    db_id: &str,
    generation: u64,
) -> Result<(), StoreError> {
    let key_id = key.key_id().as_str();
    let tag = head_tag(conn, key.mac(), db_id, key_id, generation)?;
    let generation = i64::try_from(generation)
        .map_err(|_| StoreError::InvalidInput(crate::InputError::CounterOverflow))?;
    conn.execute(
        "INSERT OR REPLACE INTO head (one, db_id, key_id, generation, key_check, tag) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![
            db_id,
            key_id,
            generation,
            key_check(key.mac(), db_id, key_id).as_slice(),
            tag.as_slice()
        ],
    )?;
    Ok(())
}

/// Compares tags in constant time.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a stored row tag; the error names the record.
pub(crate) fn check_row(
    mac: &StoreMac,
    domain: &str,
    fields: &[&[u8]],
    tag: &[u8],
    id: &str,
) -> Result<(), StoreError> {
    if mac.verify(domain, fields, tag) {
        Ok(())
    } else {
        Err(StoreError::Tampered {
            id: id.to_owned(),
            reason: format!("its {domain} record or one of its clear columns is not authentic"),
        })
    }
}

/// The clear columns and ciphertexts of one draft version (current row or history row).
#[derive(Debug)]
pub(crate) struct DraftFields<'a> {
    pub id: &'a str,
    pub version: i64,
    pub status: &'a str,
    pub created_day: i64,
    pub updated_minute: i64,
    pub key_id: &'a str,
    pub schema: i64,
    pub prev_tag: &'a [u8],
    pub summary: &'a [u8],
    pub payload: &'a [u8],
}

impl DraftFields<'_> {
    pub const DOMAIN: &'static str = "draft";

    fn with<T>(&self, f: impl FnOnce(&[&[u8]]) -> T) -> T {
        let (v, c, u, s) = (
            self.version.to_be_bytes(),
            self.created_day.to_be_bytes(),
            self.updated_minute.to_be_bytes(),
            self.schema.to_be_bytes(),
        );
        f(&[
            self.id.as_bytes(),
            &v,
            self.status.as_bytes(),
            &c,
            &u,
            self.key_id.as_bytes(),
            &s,
            self.prev_tag,
            self.summary,
            self.payload,
        ])
    }

    pub fn tag(&self, mac: &StoreMac) -> Tag {
        self.with(|fields| mac.tag(Self::DOMAIN, fields))
    }

    pub fn check(&self, mac: &StoreMac, tag: &[u8]) -> Result<(), StoreError> {
        self.with(|fields| check_row(mac, Self::DOMAIN, fields, tag, self.id))
            .map_err(|e| match e {
                StoreError::Tampered { id, .. } => StoreError::Tampered {
                    id: format!("{id} v{}", self.version),
                    reason: "this version or one of its clear columns (status, version, …) \
                             is not authentic"
                        .into(),
                },
                other => other,
            })
    }
}

pub(crate) fn document_tag(
    mac: &StoreMac,
    id: &str,
    draft_id: &str,
    created_day: i64,
    key_id: &str,
    body_tag: &[u8],
    meta: &[u8],
) -> Tag {
    mac.tag(
        "document",
        &[
            id.as_bytes(),
            draft_id.as_bytes(),
            &created_day.to_be_bytes(),
            key_id.as_bytes(),
            body_tag,
            meta,
        ],
    )
}

#[allow(clippy::too_many_arguments)] // One argument per bound column.
pub(crate) fn outbox_tag(
    mac: &StoreMac,
    id: &str,
    draft_id: &str,
    state: &str,
    attempts: i64,
    next_attempt_minute: i64,
    created_day: i64,
    key_id: &str,
    request: &[u8],
) -> Tag {
    mac.tag(
        "outbox",
        &[
            id.as_bytes(),
            draft_id.as_bytes(),
            state.as_bytes(),
            &attempts.to_be_bytes(),
            &next_attempt_minute.to_be_bytes(),
            &created_day.to_be_bytes(),
            key_id.as_bytes(),
            request,
        ],
    )
}

/// The bound columns of a schema v3 outbox row.
#[derive(Debug)]
pub(crate) struct OutboxFields<'a> {
    pub id: &'a str,
    pub draft_id: &'a str,
    pub state: &'a str,
    pub attempts: i64,
    pub next_attempt_minute: i64,
    pub created_day: i64,
    pub key_id: &'a str,
    pub destination_id: &'a str,
    pub step: &'a str,
    pub last_error: &'a str,
    pub request: &'a [u8],
    pub progress: &'a [u8],
}

impl OutboxFields<'_> {
    /// Schema v3: every column, the protocol step, destination and last error included,
    /// under its own domain so a v2 tag never verifies as a v3 one.
    pub(crate) fn tag(&self, mac: &StoreMac) -> Tag {
        mac.tag(
            "outbox/3",
            &[
                self.id.as_bytes(),
                self.draft_id.as_bytes(),
                self.state.as_bytes(),
                &self.attempts.to_be_bytes(),
                &self.next_attempt_minute.to_be_bytes(),
                &self.created_day.to_be_bytes(),
                self.key_id.as_bytes(),
                self.destination_id.as_bytes(),
                self.step.as_bytes(),
                self.last_error.as_bytes(),
                self.request,
                self.progress,
            ],
        )
    }
}

pub(crate) fn receipt_tag(
    mac: &StoreMac,
    id: &str,
    draft_id: &str,
    created_day: i64,
    key_id: &str,
    body: &[u8],
) -> Tag {
    mac.tag(
        "receipt",
        &[
            id.as_bytes(),
            draft_id.as_bytes(),
            &created_day.to_be_bytes(),
            key_id.as_bytes(),
            body,
        ],
    )
}

pub(crate) fn setting_tag(mac: &StoreMac, name: &str, key_id: &str, value: &[u8]) -> Tag {
    mac.tag("setting", &[name.as_bytes(), key_id.as_bytes(), value])
}

pub(crate) fn import_tag(mac: &StoreMac, digest: &[u8], draft_id: &str) -> Tag {
    mac.tag("import", &[digest, draft_id.as_bytes()])
}

/// The tag over a document file's bytes (its age envelope), streamed.
pub(crate) fn document_body_builder(mac: &StoreMac, id: &str) -> crate::crypto::TagBuilder {
    let mut builder = mac.builder("document body");
    builder.field(id.as_bytes());
    builder
}
