//! Drafts: create, load, save (optimistic by version), list, delete, history, handoff.

use std::fmt;
use std::str::FromStr;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, binding, this_minute, today};
use crate::crypto::{Kind, handoff};

/// The current format of the draft payload (`schema` column).
const PAYLOAD_SCHEMA: u32 = 1;

/// A draft's random UUIDv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DraftId(uuid::Uuid);

impl DraftId {
    fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for DraftId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for DraftId {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s.trim()).map(Self).map_err(|_| {
            StoreError::InvalidInput(format!(
                "{s:?} is not a draft id; ids look like 0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00"
            ))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    Draft,
    Ready,
    Submitted,
    Archived,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Ready => "ready",
            Self::Submitted => "submitted",
            Self::Archived => "archived",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "draft" => Self::Draft,
            "ready" => Self::Ready,
            "submitted" => Self::Submitted,
            "archived" => Self::Archived,
            other => {
                return Err(StoreError::Corrupt {
                    reason: format!("unknown draft status {other:?}"),
                });
            }
        })
    }
}

/// What a list shows; encrypted separately so listing never decrypts the case.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub title: String,
    pub benefit_kinds: Vec<String>,
    pub child_names: Vec<String>,
}

impl fmt::Debug for DraftSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Personal data stays out of logs.
        f.write_str("DraftSummary { .. }")
    }
}

/// The sensitive part of a draft. The case JSON is opaque to the store.
#[derive(Clone, PartialEq)]
pub struct DraftContent {
    pub status: DraftStatus,
    pub summary: DraftSummary,
    pub case: serde_json::Value,
}

impl fmt::Debug for DraftContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DraftContent")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The clear columns of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftMeta {
    pub id: DraftId,
    pub version: u64,
    pub status: DraftStatus,
    pub created_day: i64,
    pub updated_minute: i64,
    pub key_id: String,
    pub schema: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub meta: DraftMeta,
    pub content: DraftContent,
}

/// One line of the draft list; a row that cannot be decrypted is reported, not hidden.
#[derive(Debug)]
pub struct DraftListing {
    pub meta: DraftMeta,
    pub summary: Result<DraftSummary, StoreError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub version: u64,
    pub status: DraftStatus,
    pub updated_minute: i64,
}

/// A draft received from the other parent.
#[derive(Debug)]
pub struct ImportedDraft {
    pub meta: DraftMeta,
    /// The sender's device recipient (`age1…`), authenticated: show it for comparison.
    pub sender: String,
}

/// What a handoff carries (inside the envelope).
#[derive(Serialize, Deserialize)]
struct HandoffBody {
    format: String,
    summary: DraftSummary,
    case: serde_json::Value,
}

const HANDOFF_FORMAT: &str = "elternkit.handoff/1";

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::InvalidInput(format!("version {v} is too large")))
}

type Row = (DraftMeta, Vec<u8>, Vec<u8>);

impl Store {
    /// Stores a new draft at version 1.
    pub fn create_draft(&mut self, content: &DraftContent) -> Result<DraftMeta, StoreError> {
        let id = DraftId::new();
        let (summary, payload) = self.seal_draft(&id, 1, content)?;
        let meta = DraftMeta {
            id,
            version: 1,
            status: content.status,
            created_day: today(),
            updated_minute: this_minute(),
            key_id: self.key_id().to_owned(),
            schema: PAYLOAD_SCHEMA,
        };
        self.conn.execute(
            "INSERT INTO drafts (id, version, status, created_day, updated_minute, key_id, \
             schema, summary, payload) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id.to_string(),
                meta.status.as_str(),
                meta.created_day,
                meta.updated_minute,
                meta.key_id,
                meta.schema,
                summary.as_bytes(),
                payload.as_bytes(),
            ],
        )?;
        Ok(meta)
    }

    pub fn load_draft(&self, id: &DraftId) -> Result<Draft, StoreError> {
        let (meta, summary, payload) = self.draft_row(id)?.ok_or_else(|| not_found(id))?;
        self.decrypt_draft(meta, &summary, &payload)
    }

    /// Saves `content` on top of `expected_version` in one small transaction. If the stored
    /// draft has moved on, nothing is written and [`StoreError::Conflict`] carries both sides.
    pub fn save_draft(
        &mut self,
        id: &DraftId,
        expected_version: u64,
        content: &DraftContent,
    ) -> Result<DraftMeta, StoreError> {
        let new_version = expected_version
            .checked_add(1)
            .ok_or_else(|| StoreError::InvalidInput("version overflow".into()))?;
        // Encrypt outside the transaction: the write lock is held only for the SQL.
        let (summary, payload) = self.seal_draft(id, new_version, content)?;
        let id_text = id.to_string();
        let minute = this_minute();
        let limit = i64::from(self.options.history_limit);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Option<(i64, i64)> = tx
            .query_row(
                "SELECT version, created_day FROM drafts WHERE id = ?1",
                [&id_text],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((actual, created_day)) = stored else {
            return Err(not_found(id));
        };
        let actual = to_u64(actual);
        if actual != expected_version {
            drop(tx);
            let current = self.load_draft(id)?;
            return Err(StoreError::Conflict {
                id: *id,
                expected: expected_version,
                actual,
                current: Box::new(current),
                rejected: Box::new(content.clone()),
            });
        }
        if limit > 0 {
            tx.execute(
                "INSERT OR REPLACE INTO draft_history (draft_id, version, status, \
                 updated_minute, key_id, schema, summary, payload) SELECT id, version, status, \
                 updated_minute, key_id, schema, summary, payload FROM drafts WHERE id = ?1",
                [&id_text],
            )?;
        }
        tx.execute(
            "DELETE FROM draft_history WHERE draft_id = ?1 AND version <= ?2",
            params![id_text, to_i64(new_version)? - 1 - limit],
        )?;
        tx.execute(
            "UPDATE drafts SET version = ?2, status = ?3, updated_minute = ?4, key_id = ?5, \
             schema = ?6, summary = ?7, payload = ?8 WHERE id = ?1",
            params![
                id_text,
                to_i64(new_version)?,
                content.status.as_str(),
                minute,
                self.key.key_id().as_str(),
                PAYLOAD_SCHEMA,
                summary.as_bytes(),
                payload.as_bytes(),
            ],
        )?;
        tx.commit()?;
        Ok(DraftMeta {
            id: *id,
            version: new_version,
            status: content.status,
            created_day,
            updated_minute: minute,
            key_id: self.key_id().to_owned(),
            schema: PAYLOAD_SCHEMA,
        })
    }

    /// All drafts, newest first, decrypting only their summaries.
    pub fn list_drafts(&self) -> Result<Vec<DraftListing>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, version, status, created_day, updated_minute, key_id, schema, summary \
             FROM drafts ORDER BY updated_minute DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, Vec<u8>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, version, status, created_day, updated_minute, key_id, schema, summary) = row?;
            let meta = DraftMeta {
                id: parse_stored_id(&id)?,
                version: to_u64(version),
                status: DraftStatus::parse(&status)?,
                created_day,
                updated_minute,
                key_id,
                schema,
            };
            let summary = self.decrypt_summary(&meta, &summary);
            out.push(DraftListing { meta, summary });
        }
        Ok(out)
    }

    /// Deletes a draft, its history and its documents.
    pub fn delete_draft(&mut self, id: &DraftId) -> Result<(), StoreError> {
        let docs = self.document_ids(id)?;
        let n = self
            .conn
            .execute("DELETE FROM drafts WHERE id = ?1", [id.to_string()])?;
        if n == 0 {
            return Err(not_found(id));
        }
        // The rows are gone; the files are unreadable leftovers at worst if this fails.
        for doc in docs {
            self.remove_document_file(&doc)?;
        }
        Ok(())
    }

    /// The kept earlier versions, newest first.
    pub fn draft_history(&self, id: &DraftId) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT version, status, updated_minute FROM draft_history WHERE draft_id = ?1 \
             ORDER BY version DESC",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (version, status, updated_minute) = row?;
            Ok(HistoryEntry {
                version: to_u64(version),
                status: DraftStatus::parse(&status)?,
                updated_minute,
            })
        })
        .collect()
    }

    /// One earlier version of a draft, decrypted.
    pub fn load_draft_version(&self, id: &DraftId, version: u64) -> Result<Draft, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT h.version, h.status, d.created_day, h.updated_minute, h.key_id, \
                 h.schema, h.summary, h.payload FROM draft_history h JOIN drafts d ON \
                 d.id = h.draft_id WHERE h.draft_id = ?1 AND h.version = ?2",
                params![id.to_string(), to_i64(version)?],
                |r| row_to_parts(*id, r),
            )
            .optional()?;
        let Some((meta, summary, payload)) = row else {
            return Err(StoreError::NotFound {
                what: "draft version",
                id: format!("{id} v{version}"),
            });
        };
        let meta = DraftMeta {
            status: DraftStatus::parse(&meta.1)?,
            ..meta.0
        };
        self.decrypt_draft(meta, &summary, &payload)
    }

    /// Makes an earlier version the current one (as a new version; nothing is lost).
    pub fn restore_draft(
        &mut self,
        id: &DraftId,
        from_version: u64,
        expected_version: u64,
    ) -> Result<DraftMeta, StoreError> {
        let old = self.load_draft_version(id, from_version)?;
        self.save_draft(id, expected_version, &old.content)
    }

    /// Encrypts a draft (or the part at the JSON pointer `part`, e.g. `/parents/1`) to the
    /// other parent's recipients; the result is armored text.
    pub fn export_draft(
        &self,
        id: &DraftId,
        to: &[&str],
        part: Option<&str>,
    ) -> Result<String, StoreError> {
        let draft = self.load_draft(id)?;
        let case = match part {
            None => draft.content.case,
            Some(pointer) => draft
                .content
                .case
                .pointer(pointer)
                .cloned()
                .ok_or_else(|| {
                    StoreError::InvalidInput(format!("the draft has no part at {pointer:?}"))
                })?,
        };
        let body = HandoffBody {
            format: HANDOFF_FORMAT.into(),
            summary: draft.content.summary,
            case,
        };
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(&body).map_err(|e| StoreError::InvalidInput(e.to_string()))?,
        );
        handoff::seal(&self.key, to, &bytes).map_err(StoreError::Crypto)
    }

    /// Decrypts a handoff for this device, verifies the sender and stores it as a new draft.
    /// With `expected_sender` (`age1…`, e.g. scanned from the other phone), a handoff from
    /// any other device is refused before anything is stored.
    pub fn import_draft(
        &mut self,
        armored: impl std::io::Read,
        expected_sender: Option<&str>,
    ) -> Result<ImportedDraft, StoreError> {
        let opened = handoff::open(&self.key, armored).map_err(|e| match e {
            crate::crypto::CryptoError::WrongKey => StoreError::DecryptionFailed {
                id: "handoff".into(),
                reason: "it was not encrypted for this device's recipient".into(),
            },
            other => StoreError::Crypto(other),
        })?;
        if let Some(expected) = expected_sender
            && expected.trim() != opened.sender
        {
            return Err(StoreError::InvalidInput(format!(
                "the handoff was sent by {}, not by the expected {}; nothing was imported",
                opened.sender,
                expected.trim()
            )));
        }
        let body: HandoffBody = serde_json::from_slice(&opened.payload)
            .map_err(|e| StoreError::InvalidInput(format!("not an ElternKit handoff: {e}")))?;
        if body.format != HANDOFF_FORMAT {
            return Err(StoreError::InvalidInput(format!(
                "unknown handoff format {:?}; update the app",
                body.format
            )));
        }
        let meta = self.create_draft(&DraftContent {
            status: DraftStatus::Draft,
            summary: body.summary,
            case: body.case,
        })?;
        Ok(ImportedDraft {
            meta,
            sender: opened.sender,
        })
    }

    fn seal_draft(
        &self,
        id: &DraftId,
        version: u64,
        content: &DraftContent,
    ) -> Result<(crate::crypto::Encrypted, crate::crypto::Encrypted), StoreError> {
        let id = id.to_string();
        let json_err = |e: serde_json::Error| StoreError::InvalidInput(e.to_string());
        let summary =
            zeroize::Zeroizing::new(serde_json::to_vec(&content.summary).map_err(json_err)?);
        let payload = zeroize::Zeroizing::new(serde_json::to_vec(&content.case).map_err(json_err)?);
        Ok((
            self.seal(&binding(Kind::DraftSummary, &id, version), &summary)?,
            self.seal(&binding(Kind::DraftPayload, &id, version), &payload)?,
        ))
    }

    fn decrypt_summary(&self, meta: &DraftMeta, blob: &[u8]) -> Result<DraftSummary, StoreError> {
        let id = meta.id.to_string();
        self.check_key_id(&id, &meta.key_id)?;
        let plain = self.open_blob(&binding(Kind::DraftSummary, &id, meta.version), blob)?;
        serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
            reason: format!("summary of {id}: {e}"),
        })
    }

    fn decrypt_draft(
        &self,
        meta: DraftMeta,
        summary: &[u8],
        payload: &[u8],
    ) -> Result<Draft, StoreError> {
        let id = meta.id.to_string();
        let summary = self.decrypt_summary(&meta, summary)?;
        let plain = self.open_blob(&binding(Kind::DraftPayload, &id, meta.version), payload)?;
        let case = serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
            reason: format!("payload of {id}: {e}"),
        })?;
        Ok(Draft {
            content: DraftContent {
                status: meta.status,
                summary,
                case,
            },
            meta,
        })
    }

    fn draft_row(&self, id: &DraftId) -> Result<Option<Row>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT version, status, created_day, updated_minute, key_id, schema, summary, \
                 payload FROM drafts WHERE id = ?1",
                [id.to_string()],
                |r| row_to_parts(*id, r),
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some(((meta, status), summary, payload)) => Ok(Some((
                DraftMeta {
                    status: DraftStatus::parse(&status)?,
                    ..meta
                },
                summary,
                payload,
            ))),
        }
    }
}

type Parts = ((DraftMeta, String), Vec<u8>, Vec<u8>);

/// Columns: version, status, created_day, updated_minute, key_id, schema, summary, payload.
fn row_to_parts(id: DraftId, r: &rusqlite::Row<'_>) -> rusqlite::Result<Parts> {
    let status: String = r.get(1)?;
    Ok((
        (
            DraftMeta {
                id,
                version: to_u64(r.get(0)?),
                // Replaced by the caller after parsing `status`.
                status: DraftStatus::Draft,
                created_day: r.get(2)?,
                updated_minute: r.get(3)?,
                key_id: r.get(4)?,
                schema: r.get(5)?,
            },
            status,
        ),
        r.get(6)?,
        r.get(7)?,
    ))
}

fn parse_stored_id(s: &str) -> Result<DraftId, StoreError> {
    uuid::Uuid::parse_str(s)
        .map(DraftId)
        .map_err(|_| StoreError::Corrupt {
            reason: format!("stored draft id {s:?} is not a UUID"),
        })
}

fn not_found(id: &DraftId) -> StoreError {
    StoreError::NotFound {
        what: "draft",
        id: id.to_string(),
    }
}
