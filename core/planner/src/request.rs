//! `elternkit.plan-request/1`: what the parents want from the optimizer, beside the case (the
//! case format rejects unknown fields, so this is a file of its own). `docs/PLAN_REQUEST.md`.

use elternkit_model::{MoneyString, PlanMonth};
use elternkit_rules::elterngeld::{PlanContext, SoleCareGround};
use serde::{Deserialize, Serialize};

use crate::{Objective, PlanError};

/// The schema tag of a plan request.
pub const PLAN_REQUEST_SCHEMA: &str = "elternkit.plan-request/1";

/// A plan request. Every field but `schema` is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// Must be `elternkit.plan-request/1`.
    pub schema: String,
    /// `total` (default) or `coverage`.
    #[serde(default)]
    pub objective: Objective,
    /// How many next-best alternatives to return besides the best plan (default 3, at most 10).
    #[serde(default = "three")]
    pub alternatives: usize,
    #[serde(default)]
    pub constraints: Constraints,
    /// § 4c Abs. 1 Nr. 2, 3 BEEG: one parent may claim the partner months alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sole_care: Option<SoleCare>,
}

fn three() -> usize {
    3
}

/// What every plan must satisfy besides § 4 BEEG.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Months the parents have decided already.
    #[serde(default)]
    pub fixed: Vec<FixedMonths>,
    /// Months in which a parent is at home: draws Basis or Plus (not the Bonus, which needs
    /// 24–32 hours of work, and not nothing).
    #[serde(default)]
    pub at_home: Vec<AtHome>,
    /// From this Lebensmonat on the parent works again: no Basiselterngeld any more (Plus and
    /// the Bonus are the variants for part-time work, § 4a Abs. 2, § 4b BEEG).
    #[serde(default)]
    pub return_to_work: Vec<ReturnToWork>,
    /// Parents (by id) who do not claim at all.
    #[serde(default)]
    pub cannot_claim: Vec<String>,
    /// The household's income in each Lebensmonat up to `through`: Elterngeld of both parents
    /// plus `other_income`, at least `monthly`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_household_income: Option<MinHouseholdIncome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedMonths {
    pub parent: String,
    pub first: u32,
    pub last: u32,
    pub kind: PlanMonth,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtHome {
    pub parent: String,
    pub first: u32,
    pub last: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnToWork {
    pub parent: String,
    /// The first Lebensmonat back at work.
    pub from: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinHouseholdIncome {
    /// Euros a month, a decimal string.
    pub monthly: MoneyString,
    /// The last Lebensmonat the minimum applies to.
    pub through: u32,
    /// Net income of the household besides Elterngeld per Lebensmonat 1, 2, … (missing: 0).
    #[serde(default)]
    pub other_income: Vec<MoneyString>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoleCare {
    pub parent: String,
    pub ground: Ground,
}

/// The grounds of § 4c Abs. 1 Nr. 2 and 3 BEEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    ChildEndangered,
    CareImpossible,
}

impl PlanRequest {
    /// A request for the best total without constraints.
    pub fn new(objective: Objective) -> Self {
        PlanRequest {
            schema: PLAN_REQUEST_SCHEMA.into(),
            objective,
            alternatives: 3,
            ..PlanRequest::default()
        }
    }

    /// The plan check's context from `sole_care`.
    pub fn context(&self) -> PlanContext {
        PlanContext {
            sole_care: self.sole_care.as_ref().map(|s| {
                (
                    s.parent.clone(),
                    match s.ground {
                        Ground::ChildEndangered => SoleCareGround::ChildEndangered,
                        Ground::CareImpossible => SoleCareGround::CareImpossible,
                    },
                )
            }),
        }
    }
}

/// Why a plan request is invalid, by a stable [`code`](RequestProblem::code). The message
/// names what the field needs, never the value given (serde's texts can quote it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestProblem {
    #[error("not JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    /// `suggestion` is the request format's field name closest to the one typed (never the
    /// typed key itself).
    #[error(
        "not a field of a plan request{}",
        suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
    )]
    UnknownField { suggestion: Option<String> },
    /// `name` is the request format's own field name, as serde names it.
    #[error("the required field `{name}` is missing")]
    MissingField { name: String },
    #[error("a value of the wrong kind, or outside what the field takes")]
    InvalidValue,
    #[error("must be {PLAN_REQUEST_SCHEMA}")]
    UnsupportedSchema,
    #[error("at most 10")]
    TooManyAlternatives,
}

impl RequestProblem {
    /// The stable code (`elternkit errors` lists it with its German and English text).
    pub fn code(&self) -> &'static str {
        match self {
            RequestProblem::NotJson { .. } => "invalid_json",
            RequestProblem::UnknownField { .. } => "unknown_field",
            RequestProblem::MissingField { .. } => "missing_field",
            RequestProblem::InvalidValue => "invalid_value",
            RequestProblem::UnsupportedSchema => "unsupported_schema",
            RequestProblem::TooManyAlternatives => "too_many_alternatives",
        }
    }

    /// One of each, for the registry's test.
    pub fn examples() -> [RequestProblem; 6] {
        let all = [
            RequestProblem::NotJson { line: 1, column: 1 },
            RequestProblem::UnknownField { suggestion: None },
            RequestProblem::MissingField {
                name: "schema".into(),
            },
            RequestProblem::InvalidValue,
            RequestProblem::UnsupportedSchema,
            RequestProblem::TooManyAlternatives,
        ];
        // A new variant stops compiling here, as a reminder to list it above.
        for p in &all {
            match p {
                RequestProblem::NotJson { .. }
                | RequestProblem::UnknownField { .. }
                | RequestProblem::MissingField { .. }
                | RequestProblem::InvalidValue
                | RequestProblem::UnsupportedSchema
                | RequestProblem::TooManyAlternatives => {}
            }
        }
        all
    }
}

/// Parses a plan request; the error names the field, never its value.
pub fn parse_request(json: &str) -> Result<PlanRequest, PlanError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let request: PlanRequest = serde_path_to_error::deserialize(de).map_err(|e| {
        // An unknown key is in the path; one that is no field name may be a value.
        let path = elternkit_model::log_safe_path(e.path());
        let inner = e.into_inner();
        let problem = if inner.is_syntax() || inner.is_eof() {
            RequestProblem::NotJson {
                line: inner.line(),
                column: inner.column(),
            }
        } else {
            // serde's text is read for its kind only; it can quote the value.
            let text = inner.to_string();
            if text.starts_with("unknown field") {
                RequestProblem::UnknownField {
                    suggestion: elternkit_model::closest_field(&text).map(str::to_owned),
                }
            } else if let Some(rest) = text.strip_prefix("missing field `") {
                // serde names the struct's own field here, never input.
                let name = rest.split('`').next().unwrap_or_default();
                RequestProblem::MissingField {
                    name: name.to_owned(),
                }
            } else {
                RequestProblem::InvalidValue
            }
        };
        PlanError::Request { path, problem }
    })?;
    if request.schema != PLAN_REQUEST_SCHEMA {
        return Err(PlanError::Request {
            path: "schema".into(),
            problem: RequestProblem::UnsupportedSchema,
        });
    }
    if request.alternatives > 10 {
        return Err(PlanError::Request {
            path: "alternatives".into(),
            problem: RequestProblem::TooManyAlternatives,
        });
    }
    Ok(request)
}
