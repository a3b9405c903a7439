//! Integration tests of the bundle: one binary, so a test run links the crate and its
//! dependencies once.

mod catalogue;
mod golden;
mod law_and_offices;
mod routing;
mod routing_lands;
mod routing_tables;
mod snapshots;
mod unreadable;
