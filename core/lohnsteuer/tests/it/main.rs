//! Integration tests of the PAP: one binary, so a test run links the crate and its
//! dependencies once.

mod properties;
