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
    /// Input the rules find contradictory or impossible, with its own texts (they name fields
    /// and statutes, never a value of the case).
    #[error("{}: {}", .0.path, .0.message)]
    Input(Box<InputError>),
}

impl RulesError {
    /// The error as an input error with English and German text. The rules' own texts are
    /// not passed on where they may quote the case (an id, an amount): the message is chosen
    /// by the variant and the path, and names only parameters and statutes.
    pub fn into_input_error(self) -> InputError {
        match &self {
            RulesError::Param(ParamError::NotCovered { key, covered, .. }) => {
                let (en, de) = match covered {
                    None => (String::new(), String::new()),
                    Some((from, Some(to))) => (
                        format!("; its values cover {from} to {to}"),
                        format!("; seine Werte gelten vom {from} bis {to}"),
                    ),
                    Some((from, None)) => (
                        format!("; its values cover {from} onwards"),
                        format!("; seine Werte gelten ab {from}"),
                    ),
                };
                InputError::new(
                    "child.birth_date",
                    "not_covered",
                    format!("the rules have no value of {key} for the dates of this case{en}"),
                    format!(
                        "für die Daten dieses Falls haben die Regeln keinen Wert von {key}{de}"
                    ),
                )
            }
            RulesError::Param(e) => InputError::new(
                "child.birth_date",
                "not_covered",
                format!("the parameter data cannot be used: {e}"),
                format!("die Parameterdaten sind nicht verwendbar: {e}"),
            ),
            RulesError::Pap(_) => InputError::new(
                "parents",
                "wage_tax",
                "the BMF wage-tax programme (PAP) cannot compute these incomes; check the amounts before the birth",
                "das Lohnsteuer-Programm des BMF (PAP) kann diese Einkommen nicht berechnen; bitte die Beträge vor der Geburt prüfen",
            ),
            RulesError::Input(e) => (**e).clone(),
            RulesError::Unsupported { path, .. } => {
                let (en, de) = match path.as_str() {
                    "parents" => (
                        "a case needs at least one parent to claim Kindergeld",
                        "für Kindergeld braucht ein Fall mindestens einen Elternteil",
                    ),
                    "kindergeld.claimant" => (
                        "not the id of a parent of this case",
                        "keine id eines Elternteils dieses Falls",
                    ),
                    "child.count" => (
                        "count must be 1 (one child) to 8",
                        "count ist 1 (ein Kind) bis 8",
                    ),
                    "child.birth_date" => (
                        "the rules do not cover this birth date yet",
                        "für dieses Geburtsdatum gibt es noch keine Regeln",
                    ),
                    _ => (
                        "the rules cannot compute this case",
                        "die Regeln können diesen Fall nicht berechnen",
                    ),
                };
                InputError::new(path.clone(), "unsupported", en, de)
            }
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
        Ok(case) => {
            let mut result = calculate_with(&case, options);
            // Errors of the rules know their path; the text knows where that is.
            elternkit_model::locate::fill_positions(json, &mut result.errors);
            result
        }
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
