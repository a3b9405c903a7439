//! `elternkit-agency`: the FSP/1 relay (`docs/PROTOCOL.md` § 5–9) as a library and the
//! `elternkit-agency` binary. The relay stores manifests, ciphertexts and its own signed
//! receipts; it holds no key that decrypts, and checks what it can see — sizes, SHA-256
//! against the manifest, the device's manifest signature, the age header's shape.
//!
//! The agency's side is here too: [`intake::open_and_verify`] (open, verify, re-compute)
//! for an agency to embed, and [`inbox::Inbox`], the subscriber that answers each submission
//! with a signed `accepted` or `rejected` event.

pub mod events;
pub mod inbox;
pub mod intake;
pub mod keys;
pub mod pg;
pub mod problem;
pub mod receipt;
pub mod relay;
pub mod sandbox;
pub mod store;

pub use pg::PgStore;
pub use problem::Problem;
pub use receipt::RelayKey;
pub use relay::Relay;
pub use store::{SqliteStore, Store, Swept};

/// Serves `relay` on `listener` until the future is dropped or the listener fails.
pub async fn serve(listener: tokio::net::TcpListener, relay: Relay) -> std::io::Result<()> {
    axum::serve(listener, relay.router()).await
}
