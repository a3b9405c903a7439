//! Settings, outbox and receipts: small encrypted records next to the drafts. The submit
//! module drives the outbox; here is only its storage.

use rusqlite::{OptionalExtension, params};

use super::{DraftId, Store, StoreError, binding, new_id, this_minute, today};
use crate::crypto::Kind;

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

/// The clear scheduling columns of an outbox entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: String,
    pub draft_id: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_minute: i64,
}

/// A stored receipt: its id and the decrypted body.
pub type Receipt = (String, zeroize::Zeroizing<Vec<u8>>);

impl Store {
    /// Stores a setting (a JSON value, encrypted; the name is clear and must not be user data).
    pub fn set_setting(&mut self, name: &str, value: &serde_json::Value) -> Result<(), StoreError> {
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(value).map_err(|e| StoreError::InvalidInput(e.to_string()))?,
        );
        let blob = self.seal(&binding(Kind::Setting, name, 0), &bytes)?;
        self.conn.execute(
            "INSERT OR REPLACE INTO settings (name, key_id, value) VALUES (?1, ?2, ?3)",
            params![name, self.key_id(), blob.as_bytes()],
        )?;
        Ok(())
    }

    pub fn setting(&self, name: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT key_id, value FROM settings WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((key_id, blob)) = row else {
            return Ok(None);
        };
        self.check_key_id(name, &key_id)?;
        let plain = self.open_blob(&binding(Kind::Setting, name, 0), &blob)?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                reason: format!("setting {name}: {e}"),
            })
    }

    /// Queues a request for sending; returns its id (the submission id).
    pub fn enqueue_outbox(
        &mut self,
        draft: &DraftId,
        request: &[u8],
    ) -> Result<String, StoreError> {
        let id = new_id();
        let blob = self.seal(&binding(Kind::OutboxRequest, &id, 0), request)?;
        self.conn.execute(
            "INSERT INTO outbox (id, draft_id, state, attempts, next_attempt_minute, \
             created_day, key_id, request) VALUES (?1, ?2, 'pending', 0, ?3, ?4, ?5, ?6)",
            params![
                id,
                draft.to_string(),
                this_minute(),
                today(),
                self.key_id(),
                blob.as_bytes()
            ],
        )?;
        Ok(id)
    }

    /// Pending entries due at or before `minute` (minutes since 1970), oldest first.
    pub fn outbox_due(&self, minute: i64) -> Result<Vec<OutboxItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, draft_id, state, attempts, next_attempt_minute FROM outbox \
             WHERE state = 'pending' AND next_attempt_minute <= ?1 \
             ORDER BY next_attempt_minute, id",
        )?;
        let rows = stmt.query_map([minute], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (id, draft_id, state, attempts, next_attempt_minute) = row?;
            Ok(OutboxItem {
                id,
                draft_id,
                state: OutboxState::parse(&state)?,
                attempts,
                next_attempt_minute,
            })
        })
        .collect()
    }

    /// The decrypted request of an outbox entry.
    pub fn outbox_request(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        let (key_id, blob): (String, Vec<u8>) = self
            .conn
            .query_row(
                "SELECT key_id, request FROM outbox WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "outbox entry",
                id: id.to_owned(),
            })?;
        self.check_key_id(id, &key_id)?;
        self.open_blob(&binding(Kind::OutboxRequest, id, 0), &blob)
    }

    /// Records an attempt: the new state and, if still pending, when to try again.
    pub fn update_outbox(
        &mut self,
        id: &str,
        state: OutboxState,
        next_attempt_minute: i64,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE outbox SET state = ?2, attempts = attempts + 1, next_attempt_minute = ?3 \
             WHERE id = ?1",
            params![id, state.as_str(), next_attempt_minute],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "outbox entry",
                id: id.to_owned(),
            });
        }
        Ok(())
    }

    /// Stores an agency receipt for a draft.
    pub fn add_receipt(&mut self, draft: &DraftId, body: &[u8]) -> Result<String, StoreError> {
        let id = new_id();
        let blob = self.seal(&binding(Kind::Receipt, &id, 0), body)?;
        self.conn.execute(
            "INSERT INTO receipts (id, draft_id, created_day, key_id, body) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                draft.to_string(),
                today(),
                self.key_id(),
                blob.as_bytes()
            ],
        )?;
        Ok(id)
    }

    /// The receipts of a draft as `(id, body)`, oldest id first.
    pub fn receipts(&self, draft: &DraftId) -> Result<Vec<Receipt>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, key_id, body FROM receipts WHERE draft_id = ?1 ORDER BY created_day, id",
        )?;
        let rows = stmt.query_map([draft.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, key_id, blob) = row?;
            self.check_key_id(&id, &key_id)?;
            let body = self.open_blob(&binding(Kind::Receipt, &id, 0), &blob)?;
            Ok((id, body))
        })
        .collect()
    }
}
