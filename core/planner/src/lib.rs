//! The Elterngeld month planner of both parents (issue 20): a [`Planner`] owns a case, takes
//! edits ("p2 draws Plus in Lebensmonat 13") and answers with both parents' monthly amounts,
//! their totals, and every broken § 4 BEEG rule with its citation and a suggested fix; and
//! [`optimize`] finds the best legal plan exactly. Pure: no I/O, no clock, no threads.
//!
//! Amounts are the rules' own (`elternkit_rules::elterngeld::parent_elterngeld`), so a plan's
//! figures equal a fresh `calc` of it once the plan is valid (`calc` shows nothing payable while
//! a problem remains, issue 22).
//!
//! **Incremental.** An edit changes one parent's plan. The § 2 Abs. 3 BEEG averages of income
//! after the birth run over all of that parent's months of a variant (Basis, or Plus with
//! Bonus), so moving one month between variants changes the average, and with it the amount,
//! of every month of both variants of that parent. An edit therefore recomputes that parent's
//! amounts in full and nobody else's: the other parent's amounts depend only on their own plan.
//! The joint § 4 check then runs again over both plans (bit sets of Lebensmonate). The
//! Bemessungszeitraum and Elterngeld-Netto before the birth do not depend on the plan, but the
//! rules recompute them with the parent (a few µs; the bench `edit` measures the whole edit).

mod fix;
mod optimize;
mod request;

use elternkit_model::{Case, ElterngeldParent, PlanMonth, PlanProblem};
use elternkit_rules::RulesError;
use elternkit_rules::elterngeld::{self, PlanContext, PlanLimits};
use rust_decimal::Decimal;
use serde::Serialize;

pub use elternkit_rules::elterngeld::SoleCareGround;
pub use fix::Edit;
pub use optimize::{
    Alternative, CHECK_EVERY, Objective, Optimized, SearchControl, SearchProgress, SearchStats,
    bound_violation, exhaustive, optimize, optimize_with, scores,
};
pub use request::{
    AtHome, Constraints, FixedMonths, MinHouseholdIncome, PLAN_REQUEST_SCHEMA, PlanRequest,
    RequestProblem, ReturnToWork, SoleCare, parse_request,
};

/// Why a plan could not be built, edited or optimised. The texts name fields and statutes,
/// never a value of the case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("parents: no parent has this id")]
    UnknownParent,
    #[error("Lebensmonat {lebensmonat} lies outside 1 to {last}")]
    LebensmonatOutOfRange { lebensmonat: u32, last: u32 },
    #[error("parents: the planner plans for one or two parents")]
    ParentCount,
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The plan request is invalid at `path` (a field's path, `.` for the whole request).
    #[error("{path}: {problem}")]
    Request {
        path: String,
        problem: RequestProblem,
    },
    #[error("no plan satisfies the request's constraints and § 4 BEEG")]
    NoLegalPlan,
    /// The [`SearchControl`] stopped the optimizer.
    #[error("the search was cancelled")]
    Cancelled,
}

/// A two-parent (or single-parent) month plan over a case, kept computed and checked.
#[derive(Debug, Clone)]
pub struct Planner {
    case: Case,
    limits: PlanLimits,
    context: PlanContext,
    /// The last Lebensmonat that can carry Elterngeld (§ 4 Abs. 1 S. 4, Abs. 5 S. 3 BEEG):
    /// 32, also after a premature birth.
    horizon: u32,
    parents: Vec<ElterngeldParent>,
    problems: Vec<PlanProblem>,
}

/// One parent's plan as shown: every Lebensmonat 1 to the horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentPlan {
    pub id: String,
    pub eligible: bool,
    pub months: Vec<PlannedMonth>,
    /// The sum of the months, as the plan would pay once it is valid.
    #[serde(serialize_with = "money")]
    pub total: Decimal,
}

/// One Lebensmonat of one parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlannedMonth {
    pub lebensmonat: u32,
    pub kind: PlanMonth,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
}

/// A broken § 4 rule and an edit that mends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanIssue {
    #[serde(flatten)]
    pub problem: PlanProblem,
    /// Edits that remove this problem (they may leave or cause others, which the next
    /// check reports). Empty where no single edit is obvious.
    pub fix: Vec<Edit>,
}

/// The planner's answer after every edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanState {
    pub parents: Vec<ParentPlan>,
    /// Both parents together.
    #[serde(serialize_with = "money")]
    pub total: Decimal,
    /// No problem: `calc` pays exactly these amounts.
    pub valid: bool,
    pub issues: Vec<PlanIssue>,
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{value:.2}"))
}

impl Planner {
    /// A planner over `case` with the plan it carries, under the statute's limits for its
    /// birth date.
    pub fn new(case: Case) -> Result<Self, PlanError> {
        let limits = elterngeld::plan_limits(case.child.birth_date)?;
        Self::with_limits(case, limits, PlanContext::default())
    }

    /// A planner with what the case format cannot say (§ 4c Abs. 1 Nr. 2, 3 BEEG).
    pub fn with_context(case: Case, context: PlanContext) -> Result<Self, PlanError> {
        let limits = elterngeld::plan_limits(case.child.birth_date)?;
        Self::with_limits(case, limits, context)
    }

    /// A planner under other § 4 limits than the statute's: for what-ifs and for the tests
    /// that prove the optimizer on instances small enough to enumerate.
    pub fn with_limits(
        case: Case,
        limits: PlanLimits,
        context: PlanContext,
    ) -> Result<Self, PlanError> {
        if case.parents.is_empty() || case.parents.len() > 2 {
            return Err(PlanError::ParentCount);
        }
        // Elterngeld ends with Lebensmonat 32 (§ 4 Abs. 1 S. 4 BEEG), after a premature birth
        // too (§ 4 Abs. 5 S. 3 Nr. 1–4 c BEEG: its extra months are Basis months within it).
        let horizon = limits.plus_last_lebensmonat.min(32);
        let mut planner = Planner {
            case,
            limits,
            context,
            horizon,
            parents: Vec::new(),
            problems: Vec::new(),
        };
        for i in 0..planner.case.parents.len() {
            let p = elterngeld::parent_elterngeld(&planner.case, i)?;
            planner.parents.push(p);
        }
        planner.recheck()?;
        Ok(planner)
    }

    pub fn case(&self) -> &Case {
        &self.case
    }

    pub fn limits(&self) -> &PlanLimits {
        &self.limits
    }

    pub fn context(&self) -> &PlanContext {
        &self.context
    }

    /// The last Lebensmonat a plan may use.
    pub fn horizon(&self) -> u32 {
        self.horizon
    }

    /// The index of the parent with `id`.
    pub fn parent_index(&self, id: &str) -> Result<usize, PlanError> {
        self.case
            .parents
            .iter()
            .position(|p| p.id == id)
            .ok_or(PlanError::UnknownParent)
    }

    /// What `parent` draws in `lebensmonat`.
    pub fn get(&self, parent: usize, lebensmonat: u32) -> PlanMonth {
        self.case
            .parents
            .get(parent)
            .and_then(|p| p.plan.get(lebensmonat as usize - 1))
            .copied()
            .unwrap_or(PlanMonth::None)
    }

    /// Sets what parent `id` draws in Lebensmonat `lebensmonat`, then re-computes that parent
    /// and re-checks the joint plan.
    pub fn set(&mut self, id: &str, lebensmonat: u32, kind: PlanMonth) -> Result<(), PlanError> {
        self.set_range(id, lebensmonat, lebensmonat, kind)
    }

    /// Sets Lebensmonate `first` to `last` of parent `id` at once (one re-computation).
    pub fn set_range(
        &mut self,
        id: &str,
        first: u32,
        last: u32,
        kind: PlanMonth,
    ) -> Result<(), PlanError> {
        let index = self.parent_index(id)?;
        // Months after the horizon can only be cleared (a fix of `after_last_lebensmonat`).
        let last_allowed = if kind == PlanMonth::None {
            64
        } else {
            self.horizon
        };
        for m in [first, last] {
            if m == 0 || m > last_allowed || first > last {
                return Err(PlanError::LebensmonatOutOfRange {
                    lebensmonat: m,
                    last: last_allowed,
                });
            }
        }
        let plan = &mut self.case.parents[index].plan;
        if plan.len() < last as usize {
            plan.resize(last as usize, PlanMonth::None);
        }
        for m in first..=last {
            plan[m as usize - 1] = kind;
        }
        while plan.last() == Some(&PlanMonth::None) {
            plan.pop();
        }
        self.parents[index] = elterngeld::parent_elterngeld(&self.case, index)?;
        self.recheck()
    }

    /// Applies the edits of a fix (or any list of edits), re-checking once per parent touched.
    pub fn apply(&mut self, edits: &[Edit]) -> Result<(), PlanError> {
        for e in edits {
            self.set_range(&e.parent, e.first, e.last, e.kind)?;
        }
        Ok(())
    }

    /// Replaces the whole plan of parent `index` (the optimizer's answers).
    pub fn set_plan(&mut self, index: usize, plan: Vec<PlanMonth>) -> Result<(), PlanError> {
        let parent = self
            .case
            .parents
            .get_mut(index)
            .ok_or(PlanError::UnknownParent)?;
        parent.plan = plan;
        while parent.plan.last() == Some(&PlanMonth::None) {
            parent.plan.pop();
        }
        self.parents[index] = elterngeld::parent_elterngeld(&self.case, index)?;
        self.recheck()
    }

    fn recheck(&mut self) -> Result<(), PlanError> {
        self.problems = elterngeld::check_plan(&self.case, &self.limits, &self.context)?;
        Ok(())
    }

    /// The § 4 problems of the current plan.
    pub fn problems(&self) -> &[PlanProblem] {
        &self.problems
    }

    /// Both parents' Elterngeld as the rules compute it for their plans.
    pub fn results(&self) -> &[ElterngeldParent] {
        &self.parents
    }

    /// The plan as shown: months, amounts, totals, problems with fixes.
    pub fn state(&self) -> PlanState {
        let parents: Vec<ParentPlan> = self
            .case
            .parents
            .iter()
            .zip(&self.parents)
            .enumerate()
            .map(|(i, (p, r))| ParentPlan {
                id: p.id.clone(),
                eligible: r.eligible,
                months: (1..=self.horizon)
                    .map(|lm| PlannedMonth {
                        lebensmonat: lm,
                        kind: self.get(i, lm),
                        amount: r
                            .months
                            .iter()
                            .find(|m| m.lebensmonat == lm)
                            .map_or(Decimal::ZERO, |m| m.amount),
                    })
                    .collect(),
                total: r.total,
            })
            .collect();
        let issues = self
            .problems
            .iter()
            .map(|p| PlanIssue {
                problem: p.clone(),
                fix: fix::suggest(self, p),
            })
            .collect();
        PlanState {
            total: parents.iter().map(|p| p.total).sum(),
            parents,
            valid: self.problems.is_empty(),
            issues,
        }
    }
}
