//! Documents (scans, PDFs up to tens of MB): each one is a streaming age envelope in its own
//! file `<db>.documents/<id>.age`; the database row holds the encrypted name, type and size.
//! Memory use is bounded by age's 64 KiB chunks, never by the document size.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{DraftId, Store, StoreError, binding, today};
use crate::crypto::{Kind, StreamOpener};

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
            .map_err(|_| StoreError::InvalidInput(format!("{s:?} is not a document id")))
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

impl Store {
    pub(crate) fn documents_dir(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".documents");
        PathBuf::from(name)
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
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let path = self.document_path(&id);
        let tmp = dir.join(format!("{id_text}.tmp"));
        let size = self
            .write_document_file(&id_text, &tmp, body)
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
            serde_json::to_vec(&info).map_err(|e| StoreError::InvalidInput(e.to_string()))?,
        );
        let meta = self.seal(&binding(Kind::DocumentMeta, &id_text, 0), &meta_json)?;
        let inserted = self.conn.execute(
            "INSERT INTO documents (id, draft_id, created_day, key_id, meta) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id_text,
                draft.to_string(),
                today(),
                self.key_id(),
                meta.as_bytes()
            ],
        );
        if let Err(err) = inserted {
            let _ = fs::remove_file(&path);
            let err = StoreError::from(err);
            let fk = matches!(&err, StoreError::Sqlite(e)
                if e.sqlite_error_code() == Some(rusqlite::ffi::ErrorCode::ConstraintViolation));
            return Err(if fk {
                StoreError::NotFound {
                    what: "draft",
                    id: draft.to_string(),
                }
            } else {
                err
            });
        }
        Ok(info)
    }

    fn write_document_file(
        &self,
        id: &str,
        tmp: &std::path::Path,
        body: impl Read,
    ) -> Result<u64, StoreError> {
        let io_err = |e| StoreError::io(tmp, e);
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(tmp).map_err(io_err)?;
        let mut sealer = self
            .key
            .seal_stream(&binding(Kind::DocumentBody, id, 0), BufWriter::new(file))
            .map_err(StoreError::Crypto)?;
        let mut counting = Counting {
            inner: body,
            count: 0,
        };
        io::copy(&mut counting, &mut sealer).map_err(io_err)?;
        let mut buffered = sealer.finish().map_err(StoreError::Crypto)?;
        buffered.flush().map_err(io_err)?;
        let file = buffered.into_inner().map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        Ok(counting.count)
    }

    /// The documents of a draft.
    pub fn documents(&self, draft: &DraftId) -> Result<Vec<DocumentInfo>, StoreError> {
        self.document_ids(draft)?
            .iter()
            .map(|id| self.document_info(id))
            .collect()
    }

    pub fn document_info(&self, id: &DocumentId) -> Result<DocumentInfo, StoreError> {
        let id_text = id.to_string();
        let row: Option<(String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT key_id, meta FROM documents WHERE id = ?1",
                [&id_text],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (key_id, blob) = row.ok_or_else(|| StoreError::NotFound {
            what: "document",
            id: id_text.clone(),
        })?;
        self.check_key_id(&id_text, &key_id)?;
        let plain = self.open_blob(&binding(Kind::DocumentMeta, &id_text, 0), &blob)?;
        let mut info: DocumentInfo =
            serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
                reason: format!("document {id_text}: {e}"),
            })?;
        info.id = Some(*id);
        Ok(info)
    }

    /// Opens a document for streaming decryption.
    pub fn open_document(&self, id: &DocumentId) -> Result<DocumentReader, StoreError> {
        let info = self.document_info(id)?;
        let path = self.document_path(id);
        let file = File::open(&path).map_err(|e| StoreError::io(&path, e))?;
        let inner = self
            .key
            .open_stream(
                &binding(Kind::DocumentBody, &id.to_string(), 0),
                BufReader::new(file),
            )
            .map_err(|e| StoreError::for_record(&id.to_string(), e))?;
        Ok(DocumentReader { info, inner })
    }

    pub fn delete_document(&mut self, id: &DocumentId) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM documents WHERE id = ?1", [id.to_string()])?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "document",
                id: id.to_string(),
            });
        }
        self.remove_document_file(id)
    }

    pub(crate) fn document_ids(&self, draft: &DraftId) -> Result<Vec<DocumentId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM documents WHERE draft_id = ?1 ORDER BY id")?;
        let ids = stmt.query_map([draft.to_string()], |r| r.get::<_, String>(0))?;
        ids.map(|id| id?.parse()).collect()
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
