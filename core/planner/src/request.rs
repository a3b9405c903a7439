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

/// Parses a plan request; the error names the field, never its value.
pub fn parse_request(json: &str) -> Result<PlanRequest, PlanError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let request: PlanRequest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if inner.is_syntax() || inner.is_eof() {
            format!(
                "not JSON (line {}, column {})",
                inner.line(),
                inner.column()
            )
        } else {
            // serde's texts can quote the value ("invalid type: string \"…\""): keep only
            // what was expected, and the field name of an unknown field.
            let text = inner.to_string();
            let text = text.split(" at line").next().unwrap_or_default();
            let expected = text.find("expected").map_or("", |i| &text[i..]);
            if text.starts_with("unknown field") || text.starts_with("missing field") {
                text.to_string()
            } else {
                format!("invalid value, {expected}")
            }
        };
        PlanError::Request { path, message }
    })?;
    if request.schema != PLAN_REQUEST_SCHEMA {
        return Err(PlanError::Request {
            path: "schema".into(),
            message: format!("must be {PLAN_REQUEST_SCHEMA}"),
        });
    }
    if request.alternatives > 10 {
        return Err(PlanError::Request {
            path: "alternatives".into(),
            message: "at most 10".into(),
        });
    }
    Ok(request)
}
