//! The relay's [`Store`] on PostgreSQL (`serve --database postgres://…`): tokio-postgres with
//! a deadpool connection pool. Every relay instance keeps nothing of its own, so several
//! instances share one database: the nonces and the rate counts, the submit order and the
//! retention sweep are all decided in PostgreSQL.
//!
//! The [`Store`] trait is synchronous (the relay calls it from `spawn_blocking`), so the
//! store drives its async client on a small runtime of its own; it works from any thread,
//! inside or outside the relay's runtime, as long as that thread may block.

use std::future::Future;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use jiff::Timestamp;
use tokio_postgres::{NoTls, Row};
use uuid::Uuid;

use crate::store::{
    Admission, Announce, Appended, Keep, Listed, State, Store, StoreError, StoredEvent, Submission,
    Swept,
};

/// Advisory lock ids (`pg_advisory_xact_lock`): the schema set-up, the submit order, the sweep.
const LOCK_SCHEMA: i64 = 0x4653_5031_0001;
const LOCK_SUBMIT: i64 = 0x4653_5031_0002;
const LOCK_SWEEP: i64 = 0x4653_5031_0003;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS submission (
    sid TEXT PRIMARY KEY NOT NULL,
    destination_id TEXT NOT NULL,
    manifest BYTEA NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    case_id TEXT NOT NULL,
    announced_at TEXT NOT NULL,
    upload_deadline TEXT NOT NULL,
    announce_receipt TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('announced', 'submitted', 'expired', 'deleted', 'unretrieved')),
    signature BYTEA,
    receipt TEXT,
    submitted_at TEXT,
    submitted_seq BIGINT UNIQUE,
    keep_unretrieved_s BIGINT NOT NULL,
    keep_after_retrieval_s BIGINT NOT NULL,
    keep_events_s BIGINT NOT NULL,
    deadline_ms BIGINT NOT NULL,
    retrieved_at TEXT,
    purge_at_ms BIGINT,
    purged BOOLEAN NOT NULL DEFAULT FALSE,
    forget_at_ms BIGINT
);
CREATE SEQUENCE IF NOT EXISTS submitted_seq;
CREATE INDEX IF NOT EXISTS submission_by_destination
    ON submission (destination_id, submitted_seq);
CREATE INDEX IF NOT EXISTS submission_by_deadline ON submission (state, deadline_ms);
CREATE INDEX IF NOT EXISTS submission_by_purge ON submission (purge_at_ms);
CREATE INDEX IF NOT EXISTS submission_by_forget ON submission (forget_at_ms);
CREATE TABLE IF NOT EXISTS event (
    sid TEXT NOT NULL REFERENCES submission (sid),
    seq BIGINT NOT NULL CHECK (seq >= 2),
    jti TEXT NOT NULL,
    kind TEXT NOT NULL,
    jws TEXT NOT NULL,
    PRIMARY KEY (sid, seq),
    UNIQUE (sid, jti)
);
CREATE TABLE IF NOT EXISTS part (
    sid TEXT NOT NULL REFERENCES submission (sid),
    name TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (sid, name)
);
CREATE TABLE IF NOT EXISTS request_nonce (
    keyid TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    keep_until BIGINT NOT NULL,
    PRIMARY KEY (keyid, nonce)
);
CREATE INDEX IF NOT EXISTS request_nonce_by_key ON request_nonce (keyid, seen_at);
CREATE INDEX IF NOT EXISTS request_nonce_by_expiry ON request_nonce (keep_until);
";

const COLUMNS: &str = "sid, destination_id, manifest, manifest_sha256, case_id, announced_at, \
    upload_deadline, announce_receipt, state, signature, receipt, submitted_at, \
    keep_unretrieved_s, keep_after_retrieval_s, keep_events_s, retrieved_at, purged";

/// PostgreSQL behind the relay's [`Store`].
pub struct PgStore {
    pool: Pool,
    /// `Some` until dropped; shut down in the background so a drop inside another runtime
    /// does not block it.
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn pg(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("postgres: {e}"))
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`, libpq syntax also accepted) with
    /// at most `max_connections` connections, and creates the tables if they are missing.
    /// No TLS: the database is on the relay's host or private network.
    pub fn connect(url: &str, max_connections: usize) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(pg)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("elternkit-pg")
            .enable_all()
            .build()
            .map_err(pg)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(max_connections.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(pg)?;
        let store = Self {
            pool,
            runtime: Some(runtime),
        };
        store.run(async {
            let mut client = store.pool.get().await.map_err(pg)?;
            let tx = client.transaction().await.map_err(pg)?;
            // Two instances starting at once must not both create the tables.
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_SCHEMA])
                .await
                .map_err(pg)?;
            tx.batch_execute(SCHEMA).await.map_err(pg)?;
            tx.commit().await.map_err(pg)
        })?;
        Ok(store)
    }

    fn run<T>(&self, f: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
        match &self.runtime {
            Some(runtime) => runtime.block_on(f),
            None => Err(StoreError("the store is shut down".into())),
        }
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pg)
    }
}

fn decode(row: &Row) -> Result<Submission, StoreError> {
    let bad = |what: &str| StoreError(format!("the stored {what} is not what was written"));
    let uuid = |i: usize, what: &str| -> Result<Uuid, StoreError> {
        row.try_get::<_, String>(i)
            .map_err(pg)?
            .parse()
            .map_err(|_| bad(what))
    };
    let time = |v: String, what: &str| -> Result<Timestamp, StoreError> {
        v.parse().map_err(|_| bad(what))
    };
    let get_s = |i: usize| row.try_get::<_, String>(i).map_err(pg);
    let opt_s = |i: usize| row.try_get::<_, Option<String>>(i).map_err(pg);
    Ok(Submission {
        submission_id: uuid(0, "id")?,
        destination_id: get_s(1)?,
        manifest: row.try_get(2).map_err(pg)?,
        manifest_sha256: get_s(3)?,
        case_id: uuid(4, "case id")?,
        announced_at: time(get_s(5)?, "announce time")?,
        upload_deadline: time(get_s(6)?, "deadline")?,
        announce_receipt: get_s(7)?,
        state: State::parse(&get_s(8)?)?,
        signature: row.try_get(9).map_err(pg)?,
        receipt: opt_s(10)?,
        submitted_at: opt_s(11)?.map(|t| time(t, "submit time")).transpose()?,
        keep: Keep {
            unretrieved_s: row.try_get(12).map_err(pg)?,
            after_retrieval_s: row.try_get(13).map_err(pg)?,
            events_s: row.try_get(14).map_err(pg)?,
        },
        retrieved_at: opt_s(15)?.map(|t| time(t, "retrieval time")).transpose()?,
        purged: row.try_get(16).map_err(pg)?,
    })
}

async fn get(
    client: &impl deadpool_postgres::GenericClient,
    sid: Uuid,
) -> Result<Option<Submission>, StoreError> {
    client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM submission WHERE sid = $1"),
            &[&sid.to_string()],
        )
        .await
        .map_err(pg)?
        .as_ref()
        .map(decode)
        .transpose()
}

impl Store for PgStore {
    fn announce(&self, new: &Submission) -> Result<Announce, StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let inserted = tx
                .execute(
                    "INSERT INTO submission (sid, destination_id, manifest, manifest_sha256, \
                     case_id, announced_at, upload_deadline, announce_receipt, state, \
                     keep_unretrieved_s, keep_after_retrieval_s, keep_events_s, deadline_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'announced', $9, $10, $11, $12) \
                     ON CONFLICT (sid) DO NOTHING",
                    &[
                        &new.submission_id.to_string(),
                        &new.destination_id,
                        &new.manifest,
                        &new.manifest_sha256,
                        &new.case_id.to_string(),
                        &new.announced_at.to_string(),
                        &new.upload_deadline.to_string(),
                        &new.announce_receipt,
                        &new.keep.unretrieved_s,
                        &new.keep.after_retrieval_s,
                        &new.keep.events_s,
                        &new.upload_deadline.as_millisecond(),
                    ],
                )
                .await
                .map_err(pg)?;
            let stored = get(&tx, new.submission_id)
                .await?
                .ok_or_else(|| StoreError("the announced row vanished".into()))?;
            tx.commit().await.map_err(pg)?;
            Ok(if inserted == 1 {
                Announce::Created(stored)
            } else {
                Announce::Existing(stored)
            })
        })
    }

    fn get(&self, submission_id: Uuid) -> Result<Option<Submission>, StoreError> {
        self.run(async {
            let client = self.client().await?;
            get(&client, submission_id).await
        })
    }

    fn put_part(&self, submission_id: Uuid, part: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "INSERT INTO part (sid, name, bytes) SELECT $1, $2, $3 \
                     WHERE EXISTS (SELECT 1 FROM submission WHERE sid = $1 AND state = 'announced') \
                     ON CONFLICT (sid, name) DO NOTHING",
                    &[&submission_id.to_string(), &part, &bytes],
                )
                .await
                .map_err(pg)?;
            Ok(())
        })
    }

    fn parts(&self, submission_id: Uuid) -> Result<Vec<String>, StoreError> {
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT name FROM part WHERE sid = $1",
                    &[&submission_id.to_string()],
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| r.try_get::<_, String>(0).map_err(pg))
                .collect()
        })
    }

    fn part(&self, submission_id: Uuid, part: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.run(async {
            let row = self
                .client()
                .await?
                .query_opt(
                    "SELECT bytes FROM part WHERE sid = $1 AND name = $2",
                    &[&submission_id.to_string(), &part],
                )
                .await
                .map_err(pg)?;
            row.map(|r| r.try_get::<_, Vec<u8>>(0).map_err(pg))
                .transpose()
        })
    }

    fn submit(
        &self,
        submission_id: Uuid,
        signature: &[u8],
        receipt: &str,
        at: Timestamp,
    ) -> Result<Submission, StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            // Submits take their sequence number and commit one at a time, so a subscriber's
            // cursor never passes a number whose row is not yet visible.
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_SUBMIT])
                .await
                .map_err(pg)?;
            tx.execute(
                "UPDATE submission SET state = 'submitted', signature = $2, receipt = $3, \
                 submitted_at = $4, purge_at_ms = $5 + keep_unretrieved_s * 1000, \
                 submitted_seq = nextval('submitted_seq') \
                 WHERE sid = $1 AND state = 'announced'",
                &[
                    &submission_id.to_string(),
                    &signature,
                    &receipt,
                    &at.to_string(),
                    &at.as_millisecond(),
                ],
            )
            .await
            .map_err(pg)?;
            let stored = get(&tx, submission_id)
                .await?
                .ok_or_else(|| StoreError("the submitted row vanished".into()))?;
            tx.commit().await.map_err(pg)?;
            Ok(stored)
        })
    }

    fn list_submitted(
        &self,
        destination_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Listed>, StoreError> {
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT submitted_seq, sid, submitted_at FROM submission \
                     WHERE destination_id = $1 AND state = 'submitted' AND submitted_seq > $2 \
                     ORDER BY submitted_seq LIMIT $3",
                    &[&destination_id, &after, &i64::from(limit)],
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| {
                    Listed::from_stored(
                        r.try_get(0).map_err(pg)?,
                        r.try_get(1).map_err(pg)?,
                        r.try_get(2).map_err(pg)?,
                    )
                })
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
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let inserted = tx
                .execute(
                    "INSERT INTO request_nonce (keyid, nonce, seen_at, keep_until) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (keyid, nonce) DO NOTHING",
                    &[
                        &keyid,
                        &nonce,
                        &now.as_millisecond(),
                        &keep_until.as_millisecond(),
                    ],
                )
                .await
                .map_err(pg)?;
            if inserted == 0 {
                return Ok(Admission::Replayed);
            }
            let recent: i64 = tx
                .query_one(
                    "SELECT COUNT(*) FROM request_nonce WHERE keyid = $1 AND seen_at > $2",
                    &[&keyid, &since.as_millisecond()],
                )
                .await
                .map_err(pg)?
                .try_get(0)
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
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
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let sid = submission_id.to_string();
            let changed = tx
                .execute(
                    "UPDATE submission SET state = 'deleted', purged = TRUE, \
                     forget_at_ms = $2 + keep_events_s * 1000 \
                     WHERE sid = $1 AND state = 'announced'",
                    &[&sid, &now.as_millisecond()],
                )
                .await
                .map_err(pg)?;
            if changed == 1 {
                tx.execute("DELETE FROM part WHERE sid = $1", &[&sid])
                    .await
                    .map_err(pg)?;
            }
            let row = get(&tx, submission_id).await?;
            tx.commit().await.map_err(pg)?;
            Ok(row)
        })
    }

    fn mark_retrieved(&self, submission_id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "UPDATE submission SET retrieved_at = $2, \
                     purge_at_ms = $3 + keep_after_retrieval_s * 1000 \
                     WHERE sid = $1 AND state = 'submitted' AND retrieved_at IS NULL",
                    &[
                        &submission_id.to_string(),
                        &now.to_string(),
                        &now.as_millisecond(),
                    ],
                )
                .await
                .map_err(pg)?;
            Ok(())
        })
    }

    fn sweep(&self, now: Timestamp) -> Result<Swept, StoreError> {
        let now = now.as_millisecond();
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            // One instance sweeps at a time; the others find the lock taken and skip.
            let locked: bool = tx
                .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&LOCK_SWEEP])
                .await
                .map_err(pg)?
                .try_get(0)
                .map_err(pg)?;
            if !locked {
                return Ok(Swept::default());
            }
            let expired = tx
                .execute(
                    "UPDATE submission SET state = 'expired', purged = TRUE, \
                     forget_at_ms = $1 + keep_events_s * 1000 \
                     WHERE state = 'announced' AND deadline_ms < $1",
                    &[&now],
                )
                .await
                .map_err(pg)?;
            let unretrieved = tx
                .execute(
                    "UPDATE submission SET state = 'unretrieved', purged = TRUE, \
                     forget_at_ms = $1 + keep_events_s * 1000 \
                     WHERE state = 'submitted' AND retrieved_at IS NULL AND purge_at_ms < $1",
                    &[&now],
                )
                .await
                .map_err(pg)?;
            let purged = tx
                .execute(
                    "UPDATE submission SET purged = TRUE, \
                     forget_at_ms = $1 + keep_events_s * 1000 \
                     WHERE state = 'submitted' AND retrieved_at IS NOT NULL AND NOT purged \
                     AND purge_at_ms < $1",
                    &[&now],
                )
                .await
                .map_err(pg)?;
            tx.execute(
                "DELETE FROM part p USING submission s WHERE p.sid = s.sid AND s.purged",
                &[],
            )
            .await
            .map_err(pg)?;
            tx.execute(
                "DELETE FROM event e USING submission s \
                 WHERE e.sid = s.sid AND s.forget_at_ms < $1",
                &[&now],
            )
            .await
            .map_err(pg)?;
            let forgotten = tx
                .execute("DELETE FROM submission WHERE forget_at_ms < $1", &[&now])
                .await
                .map_err(pg)?;
            let nonces = tx
                .execute("DELETE FROM request_nonce WHERE keep_until < $1", &[&now])
                .await
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(Swept {
                expired,
                unretrieved,
                purged,
                forgotten,
                nonces,
            })
        })
    }

    fn events(&self, submission_id: Uuid, after: i64) -> Result<Vec<StoredEvent>, StoreError> {
        self.run(async {
            let rows = self
                .client()
                .await?
                .query(
                    "SELECT seq, jti, kind, jws FROM event WHERE sid = $1 AND seq > $2 \
                     ORDER BY seq",
                    &[&submission_id.to_string(), &after],
                )
                .await
                .map_err(pg)?;
            rows.iter().map(decode_event).collect()
        })
    }

    fn append_event(
        &self,
        submission_id: Uuid,
        event: &StoredEvent,
    ) -> Result<Appended, StoreError> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let sid = submission_id.to_string();
            let existing = tx
                .query_opt(
                    "SELECT seq, jti, kind, jws FROM event WHERE sid = $1 AND jti = $2",
                    &[&sid, &event.jti.to_string()],
                )
                .await
                .map_err(pg)?;
            if let Some(row) = existing {
                return Ok(Appended::JtiExists(decode_event(&row)?));
            }
            // Both (sid, seq) and (sid, jti) are unique: a racing writer makes this insert
            // do nothing, and the caller reads the chain again.
            let inserted = tx
                .execute(
                    "INSERT INTO event (sid, seq, jti, kind, jws) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT DO NOTHING",
                    &[
                        &sid,
                        &event.seq,
                        &event.jti.to_string(),
                        &event.kind,
                        &event.jws,
                    ],
                )
                .await
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(if inserted == 1 {
                Appended::Added
            } else {
                Appended::SeqTaken
            })
        })
    }
}

fn decode_event(row: &Row) -> Result<StoredEvent, StoreError> {
    Ok(StoredEvent {
        seq: row.try_get(0).map_err(pg)?,
        jti: row
            .try_get::<_, String>(1)
            .map_err(pg)?
            .parse()
            .map_err(|_| StoreError("a stored jti is not a UUID".into()))?,
        kind: row.try_get(2).map_err(pg)?,
        jws: row.try_get(3).map_err(pg)?,
    })
}
