//! Settings, outbox and receipts: small encrypted records next to the drafts. The submit
//! module drives the outbox; here is only its storage.

use rusqlite::{OptionalExtension, params};

use super::integrity;
use super::{DraftId, InputError, Step, Store, StoreError, binding, new_id, this_minute, today};
use crate::crypto::{Kind, StoreMac};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Sent,
    Failed,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "pending" => Self::Pending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            other => {
                return Err(StoreError::Corrupt {
                    reason: format!("unknown outbox state {other:?}"),
                });
            }
        })
    }
}

/// The clear columns of an outbox entry (schema v3: one FSP/1 submission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// The client-made submission id.
    pub id: String,
    pub draft_id: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_minute: i64,
    /// The FSP/1 `destinationId` (empty for an entry from before schema v3).
    pub destination_id: String,
    /// The protocol step: `announce`, `upload`, `submit`, `submitted`, `needs_user`.
    pub step: String,
    /// The last failure's class, HTTP status and problem name (never user data); empty when
    /// the last request succeeded.
    pub last_error: String,
}

/// A new submission for the outbox: written before its first request.
#[derive(Debug, Clone, Copy)]
pub struct NewSubmission<'a> {
    /// The client-made submission id (UUIDv4); also the row id.
    pub submission_id: &'a str,
    pub destination_id: &'a str,
    /// What is sent, byte for byte, on every attempt (the sealed submission); encrypted.
    pub request: &'a [u8],
    /// The outbox state machine's value; encrypted.
    pub progress: &'a [u8],
    pub step: &'a str,
}

/// What one outbox turn changed; written after every reply.
#[derive(Debug, Clone, Copy)]
pub struct OutboxProgress<'a> {
    pub state: OutboxState,
    pub step: &'a str,
    pub attempts: u32,
    pub next_attempt_minute: i64,
    pub last_error: &'a str,
    pub progress: &'a [u8],
}

/// A stored receipt: its id and the decrypted body.
pub type Receipt = (String, zeroize::Zeroizing<Vec<u8>>);

/// An outbox row as stored.
struct OutboxRow {
    id: String,
    draft_id: String,
    state: String,
    attempts: i64,
    next_attempt_minute: i64,
    created_day: i64,
    key_id: String,
    request: Vec<u8>,
    tag: Vec<u8>,
    destination_id: String,
    step: String,
    last_error: String,
    progress: Vec<u8>,
}

const OUTBOX_COLUMNS: &str = "id, draft_id, state, attempts, next_attempt_minute, created_day, \
     key_id, request, tag, destination_id, step, last_error, progress";

impl OutboxRow {
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            draft_id: r.get(1)?,
            state: r.get(2)?,
            attempts: r.get(3)?,
            next_attempt_minute: r.get(4)?,
            created_day: r.get(5)?,
            key_id: r.get(6)?,
            request: r.get(7)?,
            tag: r.get(8)?,
            destination_id: r.get(9)?,
            step: r.get(10)?,
            last_error: r.get(11)?,
            progress: r.get(12)?,
        })
    }

    fn fields(&self) -> integrity::OutboxFields<'_> {
        integrity::OutboxFields {
            id: &self.id,
            draft_id: &self.draft_id,
            state: &self.state,
            attempts: self.attempts,
            next_attempt_minute: self.next_attempt_minute,
            created_day: self.created_day,
            key_id: &self.key_id,
            destination_id: &self.destination_id,
            step: &self.step,
            last_error: &self.last_error,
            request: &self.request,
            progress: &self.progress,
        }
    }

    /// Checks the tag over every column (the state decides whether it is sent again).
    fn check(&self, mac: &StoreMac) -> Result<OutboxItem, StoreError> {
        let expected = self.fields().tag(mac);
        if !integrity::constant_time_eq(&expected, &self.tag) {
            return Err(StoreError::Tampered {
                id: self.id.clone(),
                reason: "the outbox entry or one of its clear columns (state, step, \
                         destination, …) is not authentic"
                    .into(),
            });
        }
        Ok(OutboxItem {
            id: self.id.clone(),
            draft_id: self.draft_id.clone(),
            state: OutboxState::parse(&self.state)?,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            next_attempt_minute: self.next_attempt_minute,
            destination_id: self.destination_id.clone(),
            step: self.step.clone(),
            last_error: self.last_error.clone(),
        })
    }

    /// Writes this row (insert or full update) with a fresh tag.
    fn store(&mut self, tx: &rusqlite::Connection, mac: &StoreMac) -> Result<(), StoreError> {
        self.tag = self.fields().tag(mac).to_vec();
        tx.execute(
            &format!(
                "INSERT OR REPLACE INTO outbox ({OUTBOX_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                self.id,
                self.draft_id,
                self.state,
                self.attempts,
                self.next_attempt_minute,
                self.created_day,
                self.key_id,
                self.request,
                self.tag,
                self.destination_id,
                self.step,
                self.last_error,
                self.progress
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// Stores a setting (a JSON value, encrypted; the name is clear and must not be user data).
    pub fn set_setting(&mut self, name: &str, value: &serde_json::Value) -> Result<(), StoreError> {
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(value).map_err(|_| InputError::NotSerializable)?,
        );
        let blob = self.seal(&binding(Kind::Setting, name, 0), &bytes)?;
        self.write(|tx, key| {
            let key_id = key.key_id().as_str();
            let tag = integrity::setting_tag(key.mac(), name, key_id, blob.as_bytes());
            tx.execute(
                "INSERT OR REPLACE INTO settings (name, key_id, value, tag) VALUES (?1, ?2, ?3, ?4)",
                params![name, key_id, blob.as_bytes(), tag.as_slice()],
            )?;
            Ok(Step::Commit(()))
        })
    }

    pub fn setting(&self, name: &str) -> Result<Option<serde_json::Value>, StoreError> {
        self.read(|conn| {
            let row: Option<(String, Vec<u8>, Vec<u8>)> = conn
                .query_row(
                    "SELECT key_id, value, tag FROM settings WHERE name = ?1",
                    [name],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((key_id, blob, tag)) = row else {
                return Ok(None);
            };
            integrity::check_row(
                self.key.mac(),
                "setting",
                &[name.as_bytes(), key_id.as_bytes(), &blob],
                &tag,
                name,
            )?;
            self.check_key_id(name, &key_id)?;
            let plain = self.open_blob(&binding(Kind::Setting, name, 0), &blob)?;
            serde_json::from_slice(&plain)
                .map(Some)
                .map_err(|e| StoreError::bad_json(&format!("setting {name}"), &e))
        })
    }

    /// Queues a request for sending under a new random id; returns the id.
    pub fn enqueue_outbox(
        &mut self,
        draft: &DraftId,
        request: &[u8],
    ) -> Result<String, StoreError> {
        let id = new_id();
        self.enqueue_submission(
            draft,
            NewSubmission {
                submission_id: &id,
                destination_id: "",
                request,
                progress: &[],
                step: "announce",
            },
        )?;
        Ok(id)
    }

    /// Stores a sealed submission in the outbox under its client-made id, before its first
    /// request. Enqueuing the same id again is refused: a submission is sealed once.
    pub fn enqueue_submission(
        &mut self,
        draft: &DraftId,
        new: NewSubmission<'_>,
    ) -> Result<(), StoreError> {
        let id = new.submission_id;
        let request = self.seal(&binding(Kind::OutboxRequest, id, 0), new.request)?;
        let progress = self.seal(&binding(Kind::OutboxProgress, id, 0), new.progress)?;
        let draft_id = draft.to_string();
        self.write(|tx, key| {
            let exists: Option<String> = tx
                .query_row("SELECT id FROM outbox WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Err(InputError::AlreadyInOutbox.into());
            }
            let mut row = OutboxRow {
                id: id.to_owned(),
                draft_id: draft_id.clone(),
                state: OutboxState::Pending.as_str().to_owned(),
                attempts: 0,
                next_attempt_minute: this_minute(),
                created_day: today(),
                key_id: key.key_id().as_str().to_owned(),
                request: request.as_bytes().to_vec(),
                tag: Vec::new(),
                destination_id: new.destination_id.to_owned(),
                step: new.step.to_owned(),
                last_error: String::new(),
                progress: progress.as_bytes().to_vec(),
            };
            row.store(tx, key.mac())?;
            Ok(Step::Commit(()))
        })
    }

    /// Pending entries due at or before `minute` (minutes since 1970), oldest first. An entry
    /// whose clear columns were altered is an error naming it: it is never sent.
    pub fn outbox_due(&self, minute: i64) -> Result<Vec<OutboxItem>, StoreError> {
        Ok(self
            .outbox_items()?
            .into_iter()
            .filter(|i| i.state == OutboxState::Pending && i.next_attempt_minute <= minute)
            .collect())
    }

    /// Every outbox entry, each checked, by schedule.
    pub fn outbox_items(&self) -> Result<Vec<OutboxItem>, StoreError> {
        self.read(|conn| {
            // Every entry is checked, not only the pending ones: a `sent` entry turned back
            // into `pending` must not slip through, and neither must one hidden from a
            // query by an altered state.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY next_attempt_minute, id"
            ))?;
            let rows = stmt.query_map([], OutboxRow::from_row)?;
            let mut items = Vec::new();
            for row in rows {
                items.push(row?.check(self.key.mac())?);
            }
            Ok(items)
        })
    }

    /// The decrypted request of an outbox entry.
    pub fn outbox_request(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        self.read(|conn| {
            let row = outbox_row(conn, id)?;
            row.check(self.key.mac())?;
            self.check_key_id(id, &row.key_id)?;
            self.open_blob(&binding(Kind::OutboxRequest, id, 0), &row.request)
        })
    }

    /// The decrypted progress (the outbox state) of an entry; empty for one from before v3.
    pub fn outbox_progress(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        self.read(|conn| {
            let row = outbox_row(conn, id)?;
            row.check(self.key.mac())?;
            if row.progress.is_empty() {
                return Ok(zeroize::Zeroizing::new(Vec::new()));
            }
            self.check_key_id(id, &row.key_id)?;
            self.open_blob(&binding(Kind::OutboxProgress, id, 0), &row.progress)
        })
    }

    /// Records one turn of the outbox: state, step, schedule, last error and progress, in one
    /// commit, so a crash leaves either the turn before or this one.
    pub fn record_outbox(
        &mut self,
        id: &str,
        update: OutboxProgress<'_>,
    ) -> Result<(), StoreError> {
        let progress = self.seal(&binding(Kind::OutboxProgress, id, 0), update.progress)?;
        self.write(|tx, key| {
            let mut row = outbox_row(tx, id)?;
            row.check(key.mac())?;
            row.state = update.state.as_str().to_owned();
            row.step = update.step.to_owned();
            row.attempts = i64::from(update.attempts);
            row.next_attempt_minute = update.next_attempt_minute;
            row.last_error = update.last_error.to_owned();
            row.progress = progress.as_bytes().to_vec();
            row.store(tx, key.mac())?;
            Ok(Step::Commit(()))
        })
    }

    /// Records an attempt: the new state and, if still pending, when to try again.
    pub fn update_outbox(
        &mut self,
        id: &str,
        state: OutboxState,
        next_attempt_minute: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx, key| {
            let mut row = outbox_row(tx, id)?;
            row.check(key.mac())?;
            row.attempts = row.attempts.saturating_add(1);
            row.state = state.as_str().to_owned();
            row.next_attempt_minute = next_attempt_minute;
            row.store(tx, key.mac())?;
            Ok(Step::Commit(()))
        })
    }

    /// Stores an agency receipt for a draft.
    pub fn add_receipt(&mut self, draft: &DraftId, body: &[u8]) -> Result<String, StoreError> {
        let id = new_id();
        let blob = self.seal(&binding(Kind::Receipt, &id, 0), body)?;
        let draft_id = draft.to_string();
        self.write(|tx, key| {
            let (day, key_id) = (today(), key.key_id().as_str());
            let tag =
                integrity::receipt_tag(key.mac(), &id, &draft_id, day, key_id, blob.as_bytes());
            tx.execute(
                "INSERT INTO receipts (id, draft_id, created_day, key_id, body, tag) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, draft_id, day, key_id, blob.as_bytes(), tag.as_slice()],
            )?;
            Ok(Step::Commit(()))
        })?;
        Ok(id)
    }

    /// The receipts of a draft as `(id, body)`, oldest id first.
    pub fn receipts(&self, draft: &DraftId) -> Result<Vec<Receipt>, StoreError> {
        let draft_id = draft.to_string();
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, created_day, key_id, body, tag FROM receipts WHERE draft_id = ?1 \
                 ORDER BY created_day, id",
            )?;
            let rows = stmt.query_map([&draft_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                ))
            })?;
            rows.map(|row| {
                let (id, created_day, key_id, blob, tag) = row?;
                let expected = integrity::receipt_tag(
                    self.key.mac(),
                    &id,
                    &draft_id,
                    created_day,
                    &key_id,
                    &blob,
                );
                if !integrity::constant_time_eq(&expected, &tag) {
                    return Err(StoreError::Tampered {
                        id,
                        reason: "the receipt or one of its clear columns (draft, …) is not \
                                 authentic"
                            .into(),
                    });
                }
                self.check_key_id(&id, &key_id)?;
                let body = self.open_blob(&binding(Kind::Receipt, &id, 0), &blob)?;
                Ok((id, body))
            })
            .collect()
        })
    }
}

fn outbox_row(conn: &rusqlite::Connection, id: &str) -> Result<OutboxRow, StoreError> {
    conn.query_row(
        &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1"),
        [id],
        OutboxRow::from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "outbox entry",
        id: id.to_owned(),
    })
}
