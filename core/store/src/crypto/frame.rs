//! The plaintext frame inside every envelope: `EKF1 ‖ kind ‖ version(u64 BE) ‖ id_len(u16 BE)
//! ‖ id ‖ body`. It binds the body to its place, because age has no associated data.

use super::CryptoError;

const MAGIC: &[u8; 4] = b"EKF1";

/// Which value an envelope holds. The numbers are persisted: never reuse one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    DraftSummary = 1,
    DraftPayload = 2,
    DocumentMeta = 3,
    DocumentBody = 4,
    Setting = 5,
    OutboxRequest = 6,
    Receipt = 7,
    Handoff = 8,
    OutboxProgress = 9,
}

impl Kind {
    fn from_u8(b: u8) -> Option<Self> {
        Some(match b {
            1 => Self::DraftSummary,
            2 => Self::DraftPayload,
            3 => Self::DocumentMeta,
            4 => Self::DocumentBody,
            5 => Self::Setting,
            6 => Self::OutboxRequest,
            7 => Self::Receipt,
            8 => Self::Handoff,
            9 => Self::OutboxProgress,
            _ => return None,
        })
    }
}

/// Where an envelope belongs: checked after every decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub kind: Kind,
    pub id: String,
    pub version: u64,
}

impl Binding {
    pub fn new(kind: Kind, id: impl Into<String>, version: u64) -> Self {
        Self {
            kind,
            id: id.into(),
            version,
        }
    }

    fn describe(&self) -> String {
        format!("{:?} {} v{}", self.kind, self.id, self.version)
    }

    pub(crate) fn header(&self) -> Result<Vec<u8>, CryptoError> {
        let id = self.id.as_bytes();
        let id_len = u16::try_from(id.len())
            .map_err(|_| CryptoError::Encrypt("record id longer than 65535 bytes".into()))?;
        let mut out = Vec::with_capacity(15 + id.len());
        out.extend_from_slice(MAGIC);
        out.push(self.kind as u8);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&id_len.to_be_bytes());
        out.extend_from_slice(id);
        Ok(out)
    }

    /// Splits a decrypted plaintext into its binding and body.
    pub(crate) fn parse(plain: &[u8]) -> Result<(Binding, &[u8]), CryptoError> {
        let head = plain.get(..15).ok_or(CryptoError::Damaged)?;
        if &head[..4] != MAGIC {
            return Err(CryptoError::Damaged);
        }
        let kind = Kind::from_u8(head[4]).ok_or(CryptoError::Damaged)?;
        let mut v = [0u8; 8];
        v.copy_from_slice(&head[5..13]);
        let id_len = usize::from(u16::from_be_bytes([head[13], head[14]]));
        let id = plain.get(15..15 + id_len).ok_or(CryptoError::Damaged)?;
        let id = std::str::from_utf8(id).map_err(|_| CryptoError::Damaged)?;
        let binding = Binding::new(kind, id, u64::from_be_bytes(v));
        Ok((binding, &plain[15 + id_len..]))
    }

    /// The header length is 15 + id: a reader of streams needs it before the body.
    pub(crate) fn read_from(r: &mut impl std::io::Read) -> Result<Binding, CryptoError> {
        let mut head = [0u8; 15];
        r.read_exact(&mut head).map_err(CryptoError::from_read)?;
        let id_len = usize::from(u16::from_be_bytes([head[13], head[14]]));
        let mut buf = head.to_vec();
        buf.resize(15 + id_len, 0);
        r.read_exact(&mut buf[15..])
            .map_err(CryptoError::from_read)?;
        Ok(Self::parse(&buf)?.0)
    }

    pub(crate) fn check(&self, found: &Binding) -> Result<(), CryptoError> {
        if self == found {
            Ok(())
        } else {
            Err(CryptoError::Misplaced {
                expected: self.describe(),
                found: found.describe(),
            })
        }
    }
}
