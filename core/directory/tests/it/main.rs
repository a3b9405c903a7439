//! Integration tests of the directory: one binary, so a test run links the crate and its
//! dependencies once.

mod replace;
mod signature;
