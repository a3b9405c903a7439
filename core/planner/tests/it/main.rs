//! The planner's integration tests: § 4 rules with fixes, edits, and the optimizer proved
//! against exhaustive enumeration.

// Test helpers panic on a broken fixture, as the tests themselves do.
#![allow(clippy::unwrap_used)]

mod common;
mod control;
mod edits;
mod log_safe;
mod optimizer;
mod rules;
