//! Integration tests of the store: one binary, so a test run links the crate and its
//! dependencies once.

mod attacks;
mod canary;
mod common;
mod crash;
mod documents;
mod drafts;
mod first_use;
mod keys;
mod log_safe;
mod migrations;
