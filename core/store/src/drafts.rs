//! Drafts: create, load, save (optimistic by version), list, delete, history, handoff.

use std::fmt;
use std::str::FromStr;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::integrity::{self, DraftFields};
use super::{
    HandoffProblem, InputError, Step, Store, StoreError, binding, document_ids_in, this_minute,
    today,
};
use crate::crypto::{CryptoError, Kind, StoreMac, handoff, parse_recipient};

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
        uuid::Uuid::parse_str(s.trim())
            .map(Self)
            .map_err(|_| InputError::DraftId.into())
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

/// One line of the draft list. A row that cannot be read is reported with its id, not
/// hidden, and does not stop the others from being listed.
#[derive(Debug)]
pub struct DraftListing {
    /// The id as stored (kept as text: a damaged row may not hold a valid UUID).
    pub id: String,
    /// The clear columns and the decrypted summary, or why this row cannot be read.
    pub entry: Result<(DraftMeta, DraftSummary), StoreError>,
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
    /// The same handoff was imported before: `meta` is that draft, nothing new was stored.
    pub already_imported: bool,
}

/// What a handoff carries (inside the envelope).
#[derive(Serialize, Deserialize)]
struct HandoffBody {
    format: String,
    summary: DraftSummary,
    case: serde_json::Value,
}

const HANDOFF_FORMAT: &str = "elternkit.handoff/1";

/// The largest draft (case JSON or summary) the store accepts, in bytes. Cases are
/// kilobytes; the cap keeps a bad input from filling memory and disk.
pub const MAX_DRAFT_BYTES: u64 = 4 * 1024 * 1024;

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| InputError::VersionTooLarge.into())
}

/// One draft version as stored: clear columns as text (checked against the tag before they
/// are parsed), tags and ciphertexts.
#[derive(Debug)]
struct RawVersion {
    id: String,
    version: i64,
    status: String,
    created_day: i64,
    updated_minute: i64,
    key_id: String,
    schema: i64,
    prev_tag: Vec<u8>,
    tag: Vec<u8>,
    summary: Vec<u8>,
    payload: Vec<u8>,
}

/// Columns every draft query selects, in [`RawVersion::from_row`] order.
const DRAFT_COLUMNS: &str = "id, version, status, created_day, updated_minute, key_id, schema, prev_tag, tag, summary, \
     payload";
const HISTORY_COLUMNS: &str = "draft_id, version, status, created_day, updated_minute, key_id, \
     schema, prev_tag, tag, summary, payload";

impl RawVersion {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            version: r.get(1)?,
            status: r.get(2)?,
            created_day: r.get(3)?,
            updated_minute: r.get(4)?,
            key_id: r.get(5)?,
            schema: r.get(6)?,
            prev_tag: r.get(7)?,
            tag: r.get(8)?,
            summary: r.get(9)?,
            payload: r.get(10)?,
        })
    }

    fn fields(&self) -> DraftFields<'_> {
        DraftFields {
            id: &self.id,
            version: self.version,
            status: &self.status,
            created_day: self.created_day,
            updated_minute: self.updated_minute,
            key_id: &self.key_id,
            schema: self.schema,
            prev_tag: &self.prev_tag,
            summary: &self.summary,
            payload: &self.payload,
        }
    }

    /// Checks the tag, then parses the clear columns.
    fn meta(&self, mac: &StoreMac) -> Result<DraftMeta, StoreError> {
        self.fields().check(mac, &self.tag)?;
        Ok(DraftMeta {
            id: parse_stored_id(&self.id)?,
            version: to_u64(self.version),
            status: DraftStatus::parse(&self.status)?,
            created_day: self.created_day,
            updated_minute: self.updated_minute,
            key_id: self.key_id.clone(),
            schema: u32::try_from(self.schema).map_err(|_| StoreError::Corrupt {
                reason: format!("draft {}: schema {} out of range", self.id, self.schema),
            })?,
        })
    }
}

impl Store {
    /// Stores a new draft at version 1.
    pub fn create_draft(&mut self, content: &DraftContent) -> Result<DraftMeta, StoreError> {
        let id = DraftId::new();
        let (summary, payload) = self.seal_draft(&id, 1, content)?;
        self.write(|tx, key| {
            insert_draft(tx, key, &id, content.status, &summary, &payload).map(Step::Commit)
        })
    }

    pub fn load_draft(&self, id: &DraftId) -> Result<Draft, StoreError> {
        self.read(|conn| {
            let row = draft_row(conn, id)?.ok_or_else(|| not_found(id))?;
            let meta = row.meta(self.key.mac())?;
            check_chain(conn, &row)?;
            self.decrypt_draft(meta, &row.summary, &row.payload)
        })
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
            .ok_or(StoreError::InvalidInput(InputError::VersionTooLarge))?;
        let new_version_i = to_i64(new_version)?;
        // Encrypt outside the transaction: the write lock is held only for the SQL.
        let (summary, payload) = self.seal_draft(id, new_version, content)?;
        let id_text = id.to_string();
        let minute = this_minute();
        let limit = i64::from(self.options.history_limit);
        let outcome = self.write(|tx, key| {
            let Some(current) = draft_row(tx, id)? else {
                return Err(not_found(id));
            };
            // The new version chains onto the stored one: it must be authentic.
            let stored = current.meta(key.mac())?;
            if stored.version != expected_version {
                return Ok(Step::Abort(Err(stored.version)));
            }
            if limit > 0 {
                tx.execute(
                    &format!(
                        "INSERT OR REPLACE INTO draft_history ({HISTORY_COLUMNS}) SELECT \
                         {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"
                    ),
                    [&id_text],
                )?;
            }
            tx.execute(
                "DELETE FROM draft_history WHERE draft_id = ?1 AND version <= ?2",
                params![id_text, new_version_i - 1 - limit],
            )?;
            let key_id = key.key_id().as_str();
            let tag = DraftFields {
                id: &id_text,
                version: new_version_i,
                status: content.status.as_str(),
                created_day: stored.created_day,
                updated_minute: minute,
                key_id,
                schema: i64::from(PAYLOAD_SCHEMA),
                prev_tag: &current.tag,
                summary: summary.as_bytes(),
                payload: payload.as_bytes(),
            }
            .tag(key.mac());
            tx.execute(
                "UPDATE drafts SET version = ?2, status = ?3, updated_minute = ?4, key_id = ?5, \
                 schema = ?6, prev_tag = ?7, tag = ?8, summary = ?9, payload = ?10 WHERE id = ?1",
                params![
                    id_text,
                    new_version_i,
                    content.status.as_str(),
                    minute,
                    key_id,
                    PAYLOAD_SCHEMA,
                    current.tag,
                    tag.as_slice(),
                    summary.as_bytes(),
                    payload.as_bytes(),
                ],
            )?;
            Ok(Step::Commit(Ok(DraftMeta {
                id: *id,
                version: new_version,
                status: content.status,
                created_day: stored.created_day,
                updated_minute: minute,
                key_id: key_id.to_owned(),
                schema: PAYLOAD_SCHEMA,
            })))
        })?;
        match outcome {
            Ok(meta) => Ok(meta),
            Err(actual) => Err(StoreError::Conflict {
                id: *id,
                expected: expected_version,
                actual,
                current: Box::new(self.load_draft(id)?),
                rejected: Box::new(content.clone()),
            }),
        }
    }

    /// All drafts, newest first, decrypting only their summaries. A row that cannot be read
    /// is listed with its error; only a database whose set of records was changed (the head
    /// does not verify) fails as a whole.
    pub fn list_drafts(&self) -> Result<Vec<DraftListing>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM drafts ORDER BY updated_minute DESC, id"
            ))?;
            let rows = stmt.query_map([], RawVersion::from_row)?;
            let mut out = Vec::new();
            for row in rows {
                let row = row?;
                let entry = row.meta(self.key.mac()).and_then(|meta| {
                    let summary = self.decrypt_summary(&meta, &row.summary)?;
                    Ok((meta, summary))
                });
                out.push(DraftListing { id: row.id, entry });
            }
            Ok(out)
        })
    }

    /// Deletes a draft, its history and its documents (also a draft that can no longer be
    /// read: deleting is how the user gets rid of it).
    pub fn delete_draft(&mut self, id: &DraftId) -> Result<(), StoreError> {
        let id_text = id.to_string();
        let docs = self.write(|tx, _| {
            let docs = document_ids_in(tx, &id_text)?;
            // History, documents and imports go with it (ON DELETE CASCADE).
            let n = tx.execute("DELETE FROM drafts WHERE id = ?1", [&id_text])?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(Step::Commit(docs))
        })?;
        // The rows are gone; the files are unreadable leftovers at worst if this fails.
        for doc in docs {
            self.remove_document_file(&doc)?;
        }
        Ok(())
    }

    /// The kept earlier versions, newest first.
    pub fn draft_history(&self, id: &DraftId) -> Result<Vec<HistoryEntry>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {HISTORY_COLUMNS} FROM draft_history WHERE draft_id = ?1 \
                 ORDER BY version DESC"
            ))?;
            let rows = stmt.query_map([id.to_string()], RawVersion::from_row)?;
            rows.map(|row| {
                let meta = row?.meta(self.key.mac())?;
                Ok(HistoryEntry {
                    version: meta.version,
                    status: meta.status,
                    updated_minute: meta.updated_minute,
                })
            })
            .collect()
        })
    }

    /// One earlier version of a draft, decrypted.
    pub fn load_draft_version(&self, id: &DraftId, version: u64) -> Result<Draft, StoreError> {
        self.read(|conn| {
            let row = conn
                .query_row(
                    &format!(
                        "SELECT {HISTORY_COLUMNS} FROM draft_history WHERE draft_id = ?1 \
                         AND version = ?2"
                    ),
                    params![id.to_string(), to_i64(version)?],
                    RawVersion::from_row,
                )
                .optional()?;
            let Some(row) = row else {
                return Err(StoreError::NotFound {
                    what: "draft version",
                    id: format!("{id} v{version}"),
                });
            };
            let meta = row.meta(self.key.mac())?;
            self.decrypt_draft(meta, &row.summary, &row.payload)
        })
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
                .ok_or(StoreError::InvalidInput(InputError::NoSuchPart))?,
        };
        let body = HandoffBody {
            format: HANDOFF_FORMAT.into(),
            summary: draft.content.summary,
            case,
        };
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(&body).map_err(|_| InputError::NotSerializable)?,
        );
        handoff::seal(&self.key, to, &bytes).map_err(StoreError::Crypto)
    }

    /// Decrypts a handoff for this device, verifies the sender and stores it as a new draft.
    /// With `expected_sender` (`age1…` in either case, e.g. scanned from the other phone's QR
    /// code), a handoff from any other device is refused before anything is stored. The same
    /// handoff imported again returns the draft it made the first time (while that exists).
    pub fn import_draft(
        &mut self,
        armored: impl std::io::Read,
        expected_sender: Option<&str>,
    ) -> Result<ImportedDraft, StoreError> {
        let refused = StoreError::HandoffRefused;
        let opened = handoff::open(&self.key, armored).map_err(|e| match e {
            CryptoError::WrongKey => refused(HandoffProblem::NotForThisDevice),
            CryptoError::Damaged => refused(HandoffProblem::Damaged),
            CryptoError::NotAHandoff => refused(HandoffProblem::NotAHandoff),
            // A sender id that is no recipient cannot be verified either.
            CryptoError::Unauthenticated | CryptoError::BadRecipient { .. } => {
                refused(HandoffProblem::SenderUnverified)
            }
            // Authentic (the age layer opened), but its frame is not a handoff's.
            CryptoError::Misplaced { .. } => refused(HandoffProblem::UnknownFormat),
            CryptoError::TooLarge { what, limit } => StoreError::TooLarge { what, limit },
            other => StoreError::Crypto(other),
        })?;
        if let Some(expected) = expected_sender {
            // Compare keys, not text: a QR code carries the recipient in upper case.
            let (_, expected_key) =
                parse_recipient(expected).map_err(|_| InputError::ExpectedSender)?;
            if expected_key != opened.sender_key {
                return Err(refused(HandoffProblem::UnexpectedSender {
                    sender: opened.sender.clone(),
                }));
            }
        }
        // The sender's MAC verified above, so a body that does not parse, or of another
        // format, comes from another (newer) version, not from damage.
        let body: HandoffBody = serde_json::from_slice(&opened.payload)
            .map_err(|_| refused(HandoffProblem::UnknownFormat))?;
        if body.format != HANDOFF_FORMAT {
            return Err(refused(HandoffProblem::UnknownFormat));
        }
        // Keyed, so the clear digest tells nothing about the content.
        let digest = self
            .key
            .mac()
            .tag("import digest", &[&opened.sender_key, &opened.payload]);
        let content = DraftContent {
            status: DraftStatus::Draft,
            summary: body.summary,
            case: body.case,
        };
        let id = DraftId::new();
        let (summary, payload) = self.seal_draft(&id, 1, &content)?;
        let (draft_id, already_imported) = self.write(|tx, key| {
            let earlier: Option<(String, Vec<u8>)> = tx
                .query_row(
                    "SELECT draft_id, tag FROM imports WHERE digest = ?1",
                    [digest.as_slice()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((draft_id, tag)) = earlier {
                integrity::check_row(
                    key.mac(),
                    "import",
                    &[digest.as_slice(), draft_id.as_bytes()],
                    &tag,
                    &format!("import of {draft_id}"),
                )?;
                return Ok(Step::Abort((parse_stored_id(&draft_id)?, true)));
            }
            insert_draft(tx, key, &id, content.status, &summary, &payload)?;
            let id_text = id.to_string();
            let tag = integrity::import_tag(key.mac(), &digest, &id_text);
            tx.execute(
                "INSERT INTO imports (digest, draft_id, tag) VALUES (?1, ?2, ?3)",
                params![digest.as_slice(), id_text, tag.as_slice()],
            )?;
            Ok(Step::Commit((id, false)))
        })?;
        Ok(ImportedDraft {
            meta: self.load_draft(&draft_id)?.meta,
            sender: opened.sender,
            already_imported,
        })
    }

    fn seal_draft(
        &self,
        id: &DraftId,
        version: u64,
        content: &DraftContent,
    ) -> Result<(crate::crypto::Encrypted, crate::crypto::Encrypted), StoreError> {
        let id = id.to_string();
        let json_err = |_| InputError::NotSerializable;
        let summary =
            zeroize::Zeroizing::new(serde_json::to_vec(&content.summary).map_err(json_err)?);
        let payload = zeroize::Zeroizing::new(serde_json::to_vec(&content.case).map_err(json_err)?);
        if (summary.len() + payload.len()) as u64 > MAX_DRAFT_BYTES {
            return Err(StoreError::TooLarge {
                what: "draft",
                limit: MAX_DRAFT_BYTES,
            });
        }
        Ok((
            self.seal(&binding(Kind::DraftSummary, &id, version), &summary)?,
            self.seal(&binding(Kind::DraftPayload, &id, version), &payload)?,
        ))
    }

    fn decrypt_summary(&self, meta: &DraftMeta, blob: &[u8]) -> Result<DraftSummary, StoreError> {
        let id = meta.id.to_string();
        self.check_key_id(&id, &meta.key_id)?;
        let plain = self.open_blob(&binding(Kind::DraftSummary, &id, meta.version), blob)?;
        serde_json::from_slice(&plain)
            .map_err(|e| StoreError::bad_json(&format!("the summary of {id}"), &e))
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
        let case = serde_json::from_slice(&plain)
            .map_err(|e| StoreError::bad_json(&format!("the payload of {id}"), &e))?;
        Ok(Draft {
            content: DraftContent {
                status: meta.status,
                summary,
                case,
            },
            meta,
        })
    }
}

/// Inserts version 1 of a new draft (inside a write transaction).
fn insert_draft(
    tx: &rusqlite::Connection,
    key: &crate::crypto::DeviceKey,
    id: &DraftId,
    status: DraftStatus,
    summary: &crate::crypto::Encrypted,
    payload: &crate::crypto::Encrypted,
) -> Result<DraftMeta, StoreError> {
    let id_text = id.to_string();
    let meta = DraftMeta {
        id: *id,
        version: 1,
        status,
        created_day: today(),
        updated_minute: this_minute(),
        key_id: key.key_id().as_str().to_owned(),
        schema: PAYLOAD_SCHEMA,
    };
    let tag = DraftFields {
        id: &id_text,
        version: 1,
        status: status.as_str(),
        created_day: meta.created_day,
        updated_minute: meta.updated_minute,
        key_id: &meta.key_id,
        schema: i64::from(PAYLOAD_SCHEMA),
        prev_tag: &[],
        summary: summary.as_bytes(),
        payload: payload.as_bytes(),
    }
    .tag(key.mac());
    tx.execute(
        &format!("INSERT INTO drafts ({DRAFT_COLUMNS}) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, x'', ?7, ?8, ?9)"),
        params![
            id_text,
            status.as_str(),
            meta.created_day,
            meta.updated_minute,
            meta.key_id,
            meta.schema,
            tag.as_slice(),
            summary.as_bytes(),
            payload.as_bytes(),
        ],
    )?;
    Ok(meta)
}

fn draft_row(conn: &rusqlite::Connection, id: &DraftId) -> Result<Option<RawVersion>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE id = ?1"),
            [id.to_string()],
            RawVersion::from_row,
        )
        .optional()?)
}

/// The kept history must be the versions right below the current one, each the predecessor
/// of the next: a draft set back to an older version, or a deleted or replaced history row,
/// breaks that.
fn check_chain(conn: &rusqlite::Connection, current: &RawVersion) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, prev_tag, tag FROM draft_history WHERE draft_id = ?1 ORDER BY version",
    )?;
    let links: Vec<(i64, Vec<u8>, Vec<u8>)> = stmt
        .query_map([&current.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let broken = |version: i64, reason: String| StoreError::Tampered {
        id: format!("{} v{version}", current.id),
        reason,
    };
    for (i, (version, prev_tag, _)) in links.iter().enumerate() {
        if *version >= current.version {
            return Err(broken(
                current.version,
                format!(
                    "the history holds version {version}, so the draft was set back to an \
                     older version"
                ),
            ));
        }
        if let Some((before, _, before_tag)) = i.checked_sub(1).and_then(|j| links.get(j))
            && (*before != version - 1 || before_tag != prev_tag)
        {
            return Err(broken(
                *version,
                "the version before it is missing from the history or was replaced".into(),
            ));
        }
    }
    if let Some((last, _, last_tag)) = links.last()
        && (*last != current.version - 1 || *last_tag != current.prev_tag)
    {
        return Err(broken(
            current.version,
            "the version before it is missing from the history or was replaced".into(),
        ));
    }
    Ok(())
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
