//! Integration tests of the rules: one binary, so a test run links the crate and its
//! dependencies once.

mod elterngeld_properties;
mod explanation_texts;
mod kindergeld_properties;
mod log_safe;
mod marker_values;
mod public_cases_elterngeld;
mod public_cases_kindergeld;
mod public_common;
mod snapshots;
