//! The relay's integration tests: a real relay on 127.0.0.1, the app's outbox and the
//! reqwest transport; nothing of our own server is mocked.

mod auth;
mod e2e;
mod faults;
#[cfg(feature = "postgres-tests")]
mod pg;
mod proxy;
mod retention;
mod security;
mod support;
