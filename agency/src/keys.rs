//! An agency's keys (`elternkit-agency keygen`): the age X25519 identity the app encrypts
//! to, and the Ed25519 event key that signs `accepted`/`rejected`/`status`. The private
//! parts go into files only the owner can read (created new, mode 0600, never
//! overwritten); the public parts are printed as the destination's directory entries.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::intake::Checked;
use crate::receipt::hex;

/// Why a key file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} can be read by others (mode {mode:o}); a private key file must be 0600 — chmod 600 it"
    )]
    TooOpen { path: PathBuf, mode: u32 },
}

/// A freshly made pair of agency keys.
pub struct AgencyKeys {
    age: age::x25519::Identity,
    event: SigningKey,
}

impl std::fmt::Debug for AgencyKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyKeys")
            .field("recipient", &self.recipient())
            .field("event_kid", &event_kid(&self.event.verifying_key()))
            .finish_non_exhaustive()
    }
}

impl AgencyKeys {
    /// New random keys (the OS random source).
    pub fn generate() -> Self {
        let seed: [u8; 32] = rand::random();
        Self {
            age: age::x25519::Identity::generate(),
            event: SigningKey::from_bytes(&seed),
        }
    }

    /// The age recipient (`age1…`) the directory lists.
    pub fn recipient(&self) -> String {
        self.age.to_public().to_string()
    }

    /// The age identity (`AGE-SECRET-KEY-1…`).
    pub fn identity(&self) -> Zeroizing<String> {
        Zeroizing::new(self.age.to_string().expose_secret().to_owned())
    }

    pub fn event_key(&self) -> &SigningKey {
        &self.event
    }

    /// Writes `<destination>.age-identity` and `<destination>.event-key` (64 hex digits)
    /// into `dir`, each created new with mode 0600.
    pub fn write(&self, dir: &Path, destination: &str) -> Result<Vec<PathBuf>, KeyFileError> {
        std::fs::create_dir_all(dir).map_err(|source| KeyFileError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let age_path = dir.join(format!("{destination}.age-identity"));
        let event_path = dir.join(format!("{destination}.event-key"));
        write_private(&age_path, self.identity().as_bytes())?;
        write_private(&event_path, hex(self.event.as_bytes()).as_bytes())?;
        Ok(vec![age_path, event_path])
    }

    /// The public parts as the destination's directory fields (`ageRecipients[]` without
    /// dates, which the directory's governance sets, and `eventKeys[]`).
    pub fn directory_entry(&self) -> Value {
        let recipient = self.recipient();
        let x = URL_SAFE_NO_PAD.encode(self.event.verifying_key().as_bytes());
        json!({
            "ageRecipients": [{
                "kid": elternkit_directory::kid_of(&recipient),
                "recipient": recipient,
            }],
            "eventKeys": [{
                "kid": elternkit_directory::kid_of(&x),
                "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x},
            }],
        })
    }
}

/// The `kid` of an event key as the directory lists it: the first 16 hex digits of SHA-256
/// of the JWK's `x` (the convention of `cargo xtask directory-dev`).
pub fn event_kid(key: &VerifyingKey) -> String {
    elternkit_directory::kid_of(&URL_SAFE_NO_PAD.encode(key.as_bytes()))
}

/// A case number for an accepted submission: the destination and the first 12 hex digits
/// of the submission id, so answering the same submission twice gives the same number.
pub fn aktenzeichen(destination: &str, checked: &Checked) -> String {
    let sid = checked.opened.manifest.submission_id.simple().to_string();
    format!(
        "{}-{}",
        destination.to_uppercase(),
        sid[..12].to_uppercase()
    )
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), KeyFileError> {
    let io = |source| KeyFileError::Io {
        path: path.to_owned(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut file = opts.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.write_all(b"\n").map_err(io)?;
    file.sync_all().map_err(io)
}

/// Reads a private key file, refusing one that others can read.
pub fn read_private(path: &Path) -> Result<Zeroizing<String>, KeyFileError> {
    let io = |source| KeyFileError::Io {
        path: path.to_owned(),
        source,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyFileError::TooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_private_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("ek-keygen-{}", uuid::Uuid::new_v4()));
        let keys = AgencyKeys::generate();
        let paths = keys.write(&dir, "eg-test").expect("written");
        let identity = read_private(&paths[0]).expect("readable");
        assert_eq!(identity.trim(), keys.identity().as_str());
        let seed = read_private(&paths[1]).expect("readable");
        assert_eq!(seed.trim(), hex(keys.event_key().as_bytes()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            for p in &paths {
                let mode = std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{}", p.display());
            }
            std::fs::set_permissions(&paths[1], std::fs::Permissions::from_mode(0o644))
                .expect("chmod");
            assert!(matches!(
                read_private(&paths[1]),
                Err(KeyFileError::TooOpen { mode: 0o644, .. })
            ));
        }
        // Never overwritten.
        assert!(AgencyKeys::generate().write(&dir, "eg-test").is_err());
        let entry = keys.directory_entry();
        assert_eq!(entry["ageRecipients"][0]["recipient"], keys.recipient());
        assert_eq!(
            entry["eventKeys"][0]["kid"],
            event_kid(&keys.event_key().verifying_key())
        );
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
