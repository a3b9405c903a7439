//! The relay's integration tests: a real relay on 127.0.0.1, the app's outbox and the
//! reqwest transport; nothing of our own server is mocked.

mod auth;
mod e2e;
#[cfg(feature = "postgres-tests")]
mod pg;
mod retention;
mod security;
mod support;
