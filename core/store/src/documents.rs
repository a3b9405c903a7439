//! Documents (scans, PDFs up to tens of MB): each one is a streaming age envelope in its own
//! file `<db>.documents/<id>.age`; the database row holds the encrypted name, type and size.
//! Memory use is bounded by age's 64 KiB chunks, never by the document size.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::integrity;
use super::{DraftId, Step, Store, StoreError, binding, today};
use crate::crypto::{Kind, StreamOpener, TagBuilder};

/// A document's random UUIDv4 (also its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentId(uuid::Uuid);

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl std::str::FromStr for DocumentId {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s.trim())
            .map(Self)
            .map_err(|_| crate::InputError::DocumentId.into())
    }
}

/// The encrypted description of a document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    #[serde(skip)]
    pub id: Option<DocumentId>,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
}

impl std::fmt::Debug for DocumentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentInfo")
            .field("id", &self.id)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Streams a document's decrypted bytes; every chunk is authenticated before it is returned.
#[derive(Debug)]
pub struct DocumentReader {
    pub info: DocumentInfo,
    inner: StreamOpener<BufReader<File>>,
}

impl Read for DocumentReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Writes to the file and feeds the same bytes to the body tag.
struct Tee<W> {
    inner: W,
    tag: TagBuilder,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.tag.raw(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A documents row as stored.
struct DocumentRow {
    draft_id: String,
    created_day: i64,
    key_id: String,
    body_tag: Vec<u8>,
    meta: Vec<u8>,
    tag: Vec<u8>,
}

impl Store {
    pub(crate) fn documents_dir(&self) -> PathBuf {
        super::documents_dir_of(&self.path)
    }

    fn document_path(&self, id: &DocumentId) -> PathBuf {
        self.documents_dir().join(format!("{id}.age"))
    }

    /// Encrypts `body` into a new document of draft `draft`, streaming.
    pub fn add_document(
        &mut self,
        draft: &DraftId,
        file_name: &str,
        media_type: &str,
        body: impl Read,
    ) -> Result<DocumentInfo, StoreError> {
        let id = DocumentId(uuid::Uuid::new_v4());
        let id_text = id.to_string();
        let dir = self.documents_dir();
        create_private_dir(&dir)?;
        let path = self.document_path(&id);
        let tmp = dir.join(format!("{id_text}.tmp"));
        let (size, body_tag) =
            self.write_document_file(&id_text, &tmp, body)
                .inspect_err(|_| {
                    let _ = fs::remove_file(&tmp);
                })?;
        fs::rename(&tmp, &path).map_err(|e| StoreError::io(&path, e))?;
        // Make the rename durable before the row points at the file.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        let info = DocumentInfo {
            id: Some(id),
            file_name: file_name.to_owned(),
            media_type: media_type.to_owned(),
            size,
        };
        let meta_json = zeroize::Zeroizing::new(
            serde_json::to_vec(&info).map_err(|_| crate::InputError::NotSerializable)?,
        );
        let meta = self.seal(&binding(Kind::DocumentMeta, &id_text, 0), &meta_json)?;
        let draft_text = draft.to_string();
        let inserted = self.write(|tx, key| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM drafts WHERE id = ?1)",
                [&draft_text],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NotFound {
                    what: "draft",
                    id: draft_text.clone(),
                });
            }
            let created_day = today();
            let key_id = key.key_id().as_str();
            let tag = integrity::document_tag(
                key.mac(),
                &id_text,
                &draft_text,
                created_day,
                key_id,
                &body_tag,
                meta.as_bytes(),
            );
            tx.execute(
                "INSERT INTO documents (id, draft_id, created_day, key_id, meta, body_tag, tag) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id_text,
                    draft_text,
                    created_day,
                    key_id,
                    meta.as_bytes(),
                    body_tag.as_slice(),
                    tag.as_slice()
                ],
            )?;
            Ok(Step::Commit(()))
        });
        if let Err(err) = inserted {
            let _ = fs::remove_file(&path);
            return Err(err);
        }
        Ok(info)
    }

    /// Writes the envelope to `tmp`; returns the plaintext size and the file's body tag.
    fn write_document_file(
        &self,
        id: &str,
        tmp: &std::path::Path,
        body: impl Read,
    ) -> Result<(u64, crate::crypto::Tag), StoreError> {
        let io_err = |e| StoreError::io(tmp, e);
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(tmp).map_err(io_err)?;
        let tee = Tee {
            inner: BufWriter::new(file),
            tag: integrity::document_body_builder(self.key.mac(), id),
        };
        let mut sealer = self
            .key
            .seal_stream(&binding(Kind::DocumentBody, id, 0), tee)
            .map_err(StoreError::Crypto)?;
        let mut counting = Counting {
            inner: body,
            count: 0,
        };
        io::copy(&mut counting, &mut sealer).map_err(io_err)?;
        let mut tee = sealer.finish().map_err(StoreError::Crypto)?;
        tee.flush().map_err(io_err)?;
        let file = tee.inner.into_inner().map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        Ok((counting.count, tee.tag.finish()))
    }

    /// The documents of a draft.
    pub fn documents(&self, draft: &DraftId) -> Result<Vec<DocumentInfo>, StoreError> {
        self.read(|conn| {
            document_ids_in(conn, &draft.to_string())?
                .iter()
                .map(|id| self.document_info_in(conn, id).map(|(info, _)| info))
                .collect()
        })
    }

    pub fn document_info(&self, id: &DocumentId) -> Result<DocumentInfo, StoreError> {
        self.read(|conn| self.document_info_in(conn, id).map(|(info, _)| info))
    }

    /// The checked row and decrypted description; also the body tag the file must have.
    fn document_info_in(
        &self,
        conn: &rusqlite::Connection,
        id: &DocumentId,
    ) -> Result<(DocumentInfo, Vec<u8>), StoreError> {
        let id_text = id.to_string();
        let row = conn
            .query_row(
                "SELECT draft_id, created_day, key_id, body_tag, meta, tag FROM documents \
                 WHERE id = ?1",
                [&id_text],
                |r| {
                    Ok(DocumentRow {
                        draft_id: r.get(0)?,
                        created_day: r.get(1)?,
                        key_id: r.get(2)?,
                        body_tag: r.get(3)?,
                        meta: r.get(4)?,
                        tag: r.get(5)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "document",
                id: id_text.clone(),
            })?;
        let expected = integrity::document_tag(
            self.key.mac(),
            &id_text,
            &row.draft_id,
            row.created_day,
            &row.key_id,
            &row.body_tag,
            &row.meta,
        );
        if !integrity::constant_time_eq(&expected, &row.tag) {
            return Err(StoreError::Tampered {
                id: id_text,
                reason: "the document record or one of its clear columns (draft, …) is not \
                         authentic"
                    .into(),
            });
        }
        self.check_key_id(&id_text, &row.key_id)?;
        let plain = self.open_blob(&binding(Kind::DocumentMeta, &id_text, 0), &row.meta)?;
        let mut info: DocumentInfo = serde_json::from_slice(&plain)
            .map_err(|e| StoreError::bad_json(&format!("document {id_text}"), &e))?;
        info.id = Some(*id);
        Ok((info, row.body_tag))
    }

    /// Opens a document for streaming decryption. The whole file is checked against its tag
    /// first (one extra read), then decrypted from the same open file, so a file replaced
    /// in between is never read.
    pub fn open_document(&self, id: &DocumentId) -> Result<DocumentReader, StoreError> {
        let (info, body_tag) = self.read(|conn| self.document_info_in(conn, id))?;
        let id_text = id.to_string();
        let path = self.document_path(id);
        let mut file = File::open(&path).map_err(|e| StoreError::io(&path, e))?;
        let mut builder = integrity::document_body_builder(self.key.mac(), &id_text);
        io::copy(&mut file, &mut builder).map_err(|e| StoreError::io(&path, e))?;
        if !builder.verify(&body_tag) {
            return Err(StoreError::Tampered {
                id: id_text,
                reason: "the document file is not the one this device wrote".into(),
            });
        }
        file.seek(SeekFrom::Start(0))
            .map_err(|e| StoreError::io(&path, e))?;
        let inner = self
            .key
            .open_stream(
                &binding(Kind::DocumentBody, &id_text, 0),
                BufReader::new(file),
            )
            .map_err(|e| StoreError::for_record(&id_text, e))?;
        Ok(DocumentReader { info, inner })
    }

    pub fn delete_document(&mut self, id: &DocumentId) -> Result<(), StoreError> {
        let id_text = id.to_string();
        self.write(|tx, _| {
            let n = tx.execute("DELETE FROM documents WHERE id = ?1", [&id_text])?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    what: "document",
                    id: id_text.clone(),
                });
            }
            Ok(Step::Commit(()))
        })?;
        self.remove_document_file(id)
    }

    pub(crate) fn remove_document_file(&self, id: &DocumentId) -> Result<(), StoreError> {
        let path = self.document_path(id);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(&path, e)),
        }
    }
}

/// The documents of a draft, by id.
pub(crate) fn document_ids_in(
    conn: &rusqlite::Connection,
    draft: &str,
) -> Result<Vec<DocumentId>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM documents WHERE draft_id = ?1 ORDER BY id")?;
    let ids = stmt.query_map([draft], |r| r.get::<_, String>(0))?;
    ids.map(|id| {
        let id = id?;
        uuid::Uuid::parse_str(&id)
            .map(DocumentId)
            .map_err(|_| StoreError::Tampered {
                id: id.clone(),
                reason: "a document id is not a UUID".into(),
            })
    })
    .collect()
}

/// The documents folder, private (0700) when it is created.
fn create_private_dir(dir: &std::path::Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| StoreError::io(dir, e))
}
