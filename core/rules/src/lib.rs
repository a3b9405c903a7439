//! The rules: eligibility and exact amounts for Elterngeld (BEEG) and Kindergeld (EStG), as
//! pure functions of a [`Case`]. No I/O, no clock: the evaluation date is part of the case.

pub mod elterngeld;
pub mod explain;
pub mod kindergeld;
pub mod params;
pub mod residence;

use elternkit_lohnsteuer::PapError;
use elternkit_model::{Case, CaseResult, InputError, RESULT_SCHEMA, parse_case};

pub use params::{AppliesBy, At, ParamError, params};

/// Why a case could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error("wage tax: {0}")]
    Pap(#[from] PapError),
    #[error("{path}: {message}")]
    Unsupported { path: String, message: String },
}

impl RulesError {
    fn into_input_error(self) -> InputError {
        let (path, code) = match &self {
            RulesError::Param(_) => (String::from("child.birth_date"), "not_covered"),
            RulesError::Pap(_) => (String::from("parents"), "wage_tax"),
            RulesError::Unsupported { path, .. } => (path.clone(), "unsupported"),
        };
        InputError {
            path,
            code: code.to_string(),
            message: self.to_string(),
        }
    }
}

fn empty_result(id: Option<String>) -> CaseResult {
    CaseResult {
        schema: RESULT_SCHEMA.to_string(),
        id,
        elterngeld: None,
        kindergeld: None,
        errors: Vec::new(),
    }
}

/// What a computation produces besides the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalcOptions {
    /// Record the explanation steps. Without them the figures, reasons, hints and plan
    /// problems are the same; the steps are never built, which saves about a sixth of the
    /// work (batch checks that only need the figures).
    pub explanations: bool,
}

impl Default for CalcOptions {
    fn default() -> Self {
        CalcOptions { explanations: true }
    }
}

/// Computes every benefit of a valid case, with its explanation. A rule that cannot be
/// applied is reported in `errors`; the other benefit is still computed.
pub fn calculate(case: &Case) -> CaseResult {
    calculate_with(case, CalcOptions::default())
}

/// [`calculate`] with options.
pub fn calculate_with(case: &Case, options: CalcOptions) -> CaseResult {
    let mut result = empty_result(case.id.clone());
    match kindergeld::compute_with(case, options) {
        Ok(k) => result.kindergeld = Some(k),
        Err(e) => result.errors.push(e.into_input_error()),
    }
    match elterngeld::compute_with(case, options) {
        Ok(e) => result.elterngeld = Some(e),
        Err(e) => result.errors.push(e.into_input_error()),
    }
    result
}

/// Parses, validates and computes one case given as JSON. Never panics on bad input: the
/// problems come back in `errors`, with the `id` echoed where it could be read.
pub fn calculate_json(json: &str) -> CaseResult {
    calculate_json_with(json, CalcOptions::default())
}

/// [`calculate_json`] with options.
pub fn calculate_json_with(json: &str, options: CalcOptions) -> CaseResult {
    match parse_case(json) {
        Ok(case) => calculate_with(&case, options),
        Err(problems) => {
            let id = serde_json::from_str::<serde_json::Value>(json)
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(String::from));
            let mut result = empty_result(id);
            result.errors = problems;
            result
        }
    }
}
