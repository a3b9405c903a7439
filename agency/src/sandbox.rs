//! A throw-away FSP/1 world on loopback, for `elternkit demo` and tests: a relay on
//! `127.0.0.1` (in-memory SQLite) and a development directory whose every destination points
//! at it, with keys made fresh for this run — directory root, relay receipt key, and each
//! destination's age identity and event key. Nothing of it outlives the process, and the
//! directory says `development: true`, signed by the published development root 0
//! (`elternkit_directory::dev::root_seed`), so no production code path would take it, and an
//! app configured for a development directory (the FFI's tests) verifies it with the
//! development roots it already has.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use elternkit_directory::{
    AgeRecipient, DEV_DIRECTORY_JSON, Directory, DirectoryDocument, EventKey, Jwk,
    SIGNATURE_CONTEXT, TrustAnchors, dev, kid_of, signature_line,
};
use elternkit_submit::Opener;
use elternkit_submit::events::relay_kid;
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::inbox::{Inbox, InboxError, Outcome};
use crate::keys::event_kid;
use crate::relay::{Clock, Relay};
use crate::{RelayKey, SqliteStore, Store as _};

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("binding a loopback port: {0}")]
    Bind(std::io::Error),
    #[error("the sandbox directory: {0}")]
    Directory(String),
    #[error("the relay's store: {0}")]
    Store(String),
    #[error("no destination {0} in the sandbox directory")]
    UnknownDestination(String),
    #[error("the inbox: {0}")]
    Inbox(#[from] InboxError),
}

/// One destination's secrets in the sandbox.
struct AgencySecrets {
    identity: String,
    event_key: SigningKey,
    token: String,
}

/// A running sandbox. The relay serves on its own thread until the process ends.
pub struct Sandbox {
    directory: Directory,
    directory_json: String,
    directory_signature: String,
    endpoint: String,
    agencies: BTreeMap<String, AgencySecrets>,
    /// The relay's store, shared with it: [`Offices`] look here which office has new mail.
    store: Arc<SqliteStore>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("endpoint", &self.endpoint)
            .field("destinations", &self.agencies.len())
            .finish_non_exhaustive()
    }
}

fn random_key() -> SigningKey {
    SigningKey::from_bytes(&rand::random())
}

fn jwk_of(key: &SigningKey) -> Jwk {
    Jwk {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        x: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
    }
}

impl Sandbox {
    /// Starts the relay and builds the directory, valid from `today` for a year; `clock` is
    /// the relay's (the system clock if `None`).
    pub fn start(today: Date, clock: Option<Clock>) -> Result<Self, SandboxError> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(SandboxError::Bind)?;
        listener.set_nonblocking(true).map_err(SandboxError::Bind)?;
        let addr = listener.local_addr().map_err(SandboxError::Bind)?;
        let endpoint = format!("http://{addr}/fsp/v1");

        let root = SigningKey::from_bytes(&dev::root_seed(0));
        let relay_key = random_key();
        let relay_entry = EventKey {
            kid: relay_kid(&relay_key.verifying_key()),
            jwk: jwk_of(&relay_key),
        };
        let mut doc: DirectoryDocument = serde_json::from_str(DEV_DIRECTORY_JSON)
            .map_err(|e| SandboxError::Directory(e.to_string()))?;
        doc.development = true;
        doc.issued_at = today;
        doc.expires_at = today
            .checked_add(jiff::Span::new().years(1))
            .map_err(|e| SandboxError::Directory(e.to_string()))?;
        let mut agencies = BTreeMap::new();
        for d in &mut doc.destinations {
            let identity = age::x25519::Identity::generate();
            let recipient = identity.to_public().to_string();
            let event_key = random_key();
            d.endpoint = endpoint.clone();
            d.age_recipients = vec![AgeRecipient {
                kid: kid_of(&recipient),
                recipient,
                not_before: doc.issued_at,
                not_after: doc.expires_at,
            }];
            d.event_keys = vec![EventKey {
                kid: event_kid(&event_key.verifying_key()),
                jwk: jwk_of(&event_key),
            }];
            d.relay_keys = vec![relay_entry.clone()];
            use age::secrecy::ExposeSecret as _;
            let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>());
            agencies.insert(
                d.destination_id.clone(),
                AgencySecrets {
                    identity: identity.to_string().expose_secret().to_owned(),
                    event_key,
                    token,
                },
            );
        }
        let json = serde_json::to_vec(&doc).map_err(|e| SandboxError::Directory(e.to_string()))?;
        let mut message = SIGNATURE_CONTEXT.to_vec();
        message.extend_from_slice(&json);
        let signature = signature_line(
            root.verifying_key().as_bytes(),
            &root.sign(&message).to_bytes(),
        );
        let directory = Directory::verify(&json, &signature, today, &TrustAnchors::development())
            .map_err(|e| SandboxError::Directory(e.to_string()))?;
        let directory_json =
            String::from_utf8(json).map_err(|e| SandboxError::Directory(e.to_string()))?;

        let store = SqliteStore::in_memory().map_err(|e| SandboxError::Store(e.to_string()))?;
        // The router is nested under /fsp/v1, where axum hands it the path without the
        // prefix: the signed `@target-uri` is rebuilt from the endpoint (PROTOCOL § 5.1).
        let store = Arc::new(store);
        let mut relay = Relay::new(
            Arc::clone(&store) as _,
            directory.clone(),
            RelayKey::new(relay_key, endpoint.clone()),
        )
        .with_public_base(&endpoint);
        if let Some(clock) = clock {
            relay = relay.with_clock(clock);
        }
        for (dest, secrets) in &agencies {
            relay = relay.with_subscriber(&secrets.token, dest);
        }
        let router = relay.router();
        let app = axum::Router::new().nest("/fsp/v1", router);
        std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                    let _ = axum::serve(listener, app).await;
                }
            });
        });
        Ok(Self {
            directory,
            directory_json,
            directory_signature: signature,
            endpoint,
            agencies,
            store,
        })
    }

    /// The sandbox directory (verified, development).
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The signed directory document as it was signed (what an app is configured with).
    pub fn directory_json(&self) -> &str {
        &self.directory_json
    }

    /// The detached signature line of [`Self::directory_json`], by development root 0.
    pub fn directory_signature(&self) -> &str {
        &self.directory_signature
    }

    /// The relay's base URL (`http://127.0.0.1:PORT/fsp/v1`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The inbox of `destination_id`, with its sandbox keys and token.
    pub fn inbox(&self, destination_id: &str) -> Result<Inbox, SandboxError> {
        let secrets = self
            .agencies
            .get(destination_id)
            .ok_or_else(|| SandboxError::UnknownDestination(destination_id.to_owned()))?;
        let dest = self
            .directory
            .destination(destination_id)
            .ok_or_else(|| SandboxError::UnknownDestination(destination_id.to_owned()))?
            .clone();
        let opener = Opener::new(&dest, &[&secrets.identity])
            .map_err(|e| SandboxError::Directory(e.to_string()))?;
        let kid = event_kid(&secrets.event_key.verifying_key());
        Ok(Inbox::new(
            &self.endpoint,
            &secrets.token,
            dest,
            opener,
            secrets.event_key.clone(),
            &kid,
        )?)
    }

    /// Every destination's inbox, answering as one office would.
    pub fn offices(&self) -> Result<Offices, SandboxError> {
        self.offices_of(self.agencies.keys().map(String::as_str))
    }

    /// The inboxes of `destination_ids` only (a run that knows where it sent need not ask
    /// all the directory's offices).
    pub fn offices_of<'a>(
        &self,
        destination_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Offices, SandboxError> {
        let inboxes = destination_ids
            .into_iter()
            .map(|dest| Ok((dest.to_owned(), self.inbox(dest)?)))
            .collect::<Result<_, SandboxError>>()?;
        Ok(Offices {
            inboxes,
            store: Arc::clone(&self.store),
        })
    }
}

/// The offices of the sandbox: every destination's inbox, each keeping its cursor.
pub struct Offices {
    inboxes: Vec<(String, Inbox)>,
    store: Arc<SqliteStore>,
}

impl std::fmt::Debug for Offices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Offices")
            .field("inboxes", &self.inboxes)
            .finish_non_exhaustive()
    }
}

impl Offices {
    /// One pass over every inbox: each new submission is downloaded, decrypted, verified,
    /// re-computed and answered with a signed event, accepted with the Aktenzeichen of
    /// [`crate::keys::aktenzeichen`] unless the check rejects it. Returns the destination,
    /// submission and answer of each.
    pub fn poll(&mut self, now: Timestamp) -> Result<Vec<(String, Uuid, Outcome)>, SandboxError> {
        let mut out = Vec::new();
        for (dest, inbox) in &mut self.inboxes {
            // Only an office with new mail is asked over HTTP (the same query the relay's
            // list answers with): a pass over the directory's hundreds of destinations then
            // costs a few SQLite lookups, not hundreds of requests.
            let new_mail = self
                .store
                .list_submitted(dest, inbox.cursor, 1)
                .map_err(|e| SandboxError::Store(e.to_string()))?;
            if new_mail.is_empty() {
                continue;
            }
            let outcomes =
                inbox.poll(now, &mut |checked| crate::keys::aktenzeichen(dest, checked))?;
            out.extend(outcomes.into_iter().map(|(sid, o)| (dest.clone(), sid, o)));
        }
        Ok(out)
    }
}
