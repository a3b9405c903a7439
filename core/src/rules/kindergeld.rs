//! Kindergeld (EStG §§ 62–78, § 32). Being written; see the rules issue.

use crate::model::{Case, KindergeldResult};

use super::RulesError;

/// Kindergeld for every child of the case.
pub fn compute(_case: &Case) -> Result<KindergeldResult, RulesError> {
    Err(RulesError::Unsupported {
        path: "kindergeld".into(),
        message: "Kindergeld rules are being implemented".into(),
    })
}
