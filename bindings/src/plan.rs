//! The `Planner` object: the Elterngeld month plan of both parents over one case
//! (`elternkit-planner`), edited month by month and optimised under a `CancelToken`.
//!
//! Every edit is all or nothing: it runs on a copy of the core planner, which replaces the
//! kept one only when the whole edit succeeded, so a refused edit (or a bug) never leaves a
//! half-applied plan behind.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use elternkit_model::{Lang, PlanMonth};
use elternkit_planner as core;

use crate::cancel::{CancelToken, ProgressListener};
use crate::error::{ElternKitError, plan_error};
use crate::guard::guard;
use crate::records::{PlanProblem, money, pick};

type Result<T> = std::result::Result<T, ElternKitError>;

/// What a parent draws in one Lebensmonat (§ 4 Abs. 1 BEEG: month of the child's life).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PlanMonthKind {
    /// Basiselterngeld (§ 4a Abs. 1 BEEG).
    Basis,
    /// ElterngeldPlus (§ 4a Abs. 2 BEEG).
    Plus,
    /// Partnerschaftsbonus (§ 4b BEEG).
    Bonus,
    /// No Elterngeld in this month (`none` on the wire; not `None`, which Swift would
    /// confuse with `Optional.none`).
    NoElterngeld,
}

impl From<PlanMonthKind> for PlanMonth {
    fn from(k: PlanMonthKind) -> Self {
        match k {
            PlanMonthKind::Basis => PlanMonth::Basis,
            PlanMonthKind::Plus => PlanMonth::Plus,
            PlanMonthKind::Bonus => PlanMonth::Bonus,
            PlanMonthKind::NoElterngeld => PlanMonth::None,
        }
    }
}

impl From<PlanMonth> for PlanMonthKind {
    fn from(k: PlanMonth) -> Self {
        match k {
            PlanMonth::Basis => PlanMonthKind::Basis,
            PlanMonth::Plus => PlanMonthKind::Plus,
            PlanMonth::Bonus => PlanMonthKind::Bonus,
            PlanMonth::None => PlanMonthKind::NoElterngeld,
        }
    }
}

/// Set Lebensmonate `first` to `last` of parent `parent_id` to `kind`: an edit the app
/// makes, or one of a problem's suggested fixes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanEdit {
    pub parent_id: String,
    pub first: u32,
    pub last: u32,
    pub kind: PlanMonthKind,
}

impl From<&core::Edit> for PlanEdit {
    fn from(e: &core::Edit) -> Self {
        Self {
            parent_id: e.parent.clone(),
            first: e.first,
            last: e.last,
            kind: e.kind.into(),
        }
    }
}

impl From<&PlanEdit> for core::Edit {
    fn from(e: &PlanEdit) -> Self {
        Self {
            parent: e.parent_id.clone(),
            first: e.first,
            last: e.last,
            kind: e.kind.into(),
        }
    }
}

/// One Lebensmonat of one parent's plan; `amount` in euros (`"1375.23"`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlannedMonth {
    pub lebensmonat: u32,
    pub kind: PlanMonthKind,
    pub amount: String,
}

/// One parent's plan: every Lebensmonat from 1 to the last one a plan may use.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ParentPlan {
    pub id: String,
    pub eligible: bool,
    pub months: Vec<PlannedMonth>,
    /// The sum of the months, as the plan would pay once it is valid.
    pub total: String,
}

/// A broken § 4 BEEG rule of the plan and the edits that mend it (empty where no single
/// edit is obvious; an edit may leave or cause other problems, which the next state shows).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanIssue {
    pub problem: PlanProblem,
    pub fix: Vec<PlanEdit>,
}

/// The plan after every edit: both parents' amounts per month, the totals, the problems.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanState {
    pub parents: Vec<ParentPlan>,
    /// Both parents together.
    pub total: String,
    /// No problem: the calculation pays exactly these amounts. While a problem remains,
    /// nothing of the plan is payable.
    pub valid: bool,
    pub issues: Vec<PlanIssue>,
}

impl PlanState {
    fn from_core(s: &core::PlanState, lang: Lang) -> Self {
        Self {
            parents: s
                .parents
                .iter()
                .map(|p| ParentPlan {
                    id: p.id.clone(),
                    eligible: p.eligible,
                    months: p
                        .months
                        .iter()
                        .map(|m| PlannedMonth {
                            lebensmonat: m.lebensmonat,
                            kind: m.kind.into(),
                            amount: money(m.amount),
                        })
                        .collect(),
                    total: money(p.total),
                })
                .collect(),
            total: money(s.total),
            valid: s.valid,
            issues: s
                .issues
                .iter()
                .map(|i| PlanIssue {
                    problem: PlanProblem::from_core(&i.problem, lang),
                    fix: i.fix.iter().map(PlanEdit::from).collect(),
                })
                .collect(),
        }
    }
}

/// A legal plan the optimizer found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanAlternative {
    pub state: PlanState,
    /// Lebensmonate in which the household receives Elterngeld.
    pub coverage: u32,
    /// How this plan differs from the best, in the locale (empty for the best).
    pub difference: String,
}

impl PlanAlternative {
    fn from_core(a: &core::Alternative, lang: Lang) -> Self {
        Self {
            state: PlanState::from_core(&a.state, lang),
            coverage: a.coverage,
            difference: pick(lang, &a.difference_de, &a.difference_en),
        }
    }
}

/// The size of an optimizer's search.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanSearchStats {
    /// Plans in the search space before any rule (a count too large for an integer).
    pub space: f64,
    /// Partial plans visited.
    pub nodes: u64,
    /// Complete plans reached.
    pub leaves: u64,
    /// Complete plans checked by the rules.
    pub checked: u64,
}

/// The best legal plan, the next-best alternatives (one per shape of the plan) and the
/// search's size.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OptimizedPlan {
    pub best: PlanAlternative,
    pub alternatives: Vec<PlanAlternative>,
    pub stats: PlanSearchStats,
}

/// The token and the listener as the optimizer's control: the token is checked, and the
/// listener told, on the calling thread.
struct Control<'a> {
    cancel: &'a CancelToken,
    progress: Option<&'a dyn ProgressListener>,
}

impl core::SearchControl for Control<'_> {
    fn cancelled(&mut self) -> bool {
        self.cancel.is_cancelled()
    }

    fn progress(&mut self, p: core::SearchProgress) {
        if let Some(listener) = self.progress {
            listener.on_progress(p.done.into(), p.total.into());
        }
    }
}

/// The month planner of one case. Made by `App.planner`; safe to share between threads
/// (one edit at a time; `optimize` works on a copy and does not block edits).
#[derive(uniffi::Object)]
pub struct Planner {
    inner: Mutex<core::Planner>,
    request: core::PlanRequest,
    locale: Lang,
}

impl std::fmt::Debug for Planner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planner")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Planner {
    /// A planner over a parsed case under `request_json` (`elternkit.plan-request/1`; none:
    /// the best total without constraints).
    pub(crate) fn create(
        case: elternkit_model::Case,
        request_json: Option<&str>,
        locale: Lang,
    ) -> Result<Self> {
        let err = |e| plan_error(e, locale);
        let request = match request_json {
            Some(json) => core::parse_request(json).map_err(err)?,
            None => core::PlanRequest::new(core::Objective::Total),
        };
        let inner = core::Planner::with_context(case, request.context()).map_err(err)?;
        Ok(Self {
            inner: Mutex::new(inner),
            request,
            locale,
        })
    }

    fn inner(&self) -> MutexGuard<'_, core::Planner> {
        // Edits never change the kept planner in place (see `edit`), so a panic while the
        // lock was held left it as it was.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `change` on a copy and keeps the copy only if it succeeded.
    fn edit(
        &self,
        change: impl FnOnce(&mut core::Planner) -> std::result::Result<(), core::PlanError>,
    ) -> Result<PlanState> {
        guard(|| {
            let mut inner = self.inner();
            let mut next = inner.clone();
            change(&mut next).map_err(|e| plan_error(e, self.locale))?;
            *inner = next;
            Ok(PlanState::from_core(&inner.state(), self.locale))
        })
    }
}

#[uniffi::export]
impl Planner {
    /// The plan as it stands.
    pub fn state(&self) -> Result<PlanState> {
        guard(|| Ok(PlanState::from_core(&self.inner().state(), self.locale)))
    }

    /// The last Lebensmonat a plan may use (32 at most; later with § 4 Abs. 5 BEEG months
    /// for a premature birth).
    pub fn last_lebensmonat(&self) -> u32 {
        self.inner().horizon()
    }

    /// Sets what parent `parent_id` draws in `lebensmonat`, and answers with the new state.
    pub fn set(
        &self,
        parent_id: String,
        lebensmonat: u32,
        kind: PlanMonthKind,
    ) -> Result<PlanState> {
        self.edit(|p| p.set(&parent_id, lebensmonat, kind.into()))
    }

    /// Sets Lebensmonate `first` to `last` of `parent_id` at once.
    pub fn set_range(
        &self,
        parent_id: String,
        first: u32,
        last: u32,
        kind: PlanMonthKind,
    ) -> Result<PlanState> {
        self.edit(|p| p.set_range(&parent_id, first, last, kind.into()))
    }

    /// Applies edits (a problem's `fix`, or the app's own), all or none.
    pub fn apply(&self, edits: Vec<PlanEdit>) -> Result<PlanState> {
        let edits: Vec<core::Edit> = edits.iter().map(core::Edit::from).collect();
        self.edit(|p| p.apply(&edits))
    }

    /// Replaces parent `parent_id`'s whole plan, Lebensmonat 1 first: to take over a plan
    /// the optimizer found.
    pub fn set_plan(&self, parent_id: String, months: Vec<PlanMonthKind>) -> Result<PlanState> {
        let plan: Vec<PlanMonth> = months.into_iter().map(PlanMonth::from).collect();
        self.edit(|p| {
            let index = p.parent_index(&parent_id)?;
            p.set_plan(index, plan)
        })
    }

    /// The best legal plan under the request and the next-best alternatives, exactly
    /// (branch and bound; from milliseconds to seconds). Runs on the calling thread: call it
    /// off the main thread. `progress` is told how far the search is, in an order that only
    /// grows (not a time estimate); `cancel` stops the search at its next check (every
    /// 256 partial plans) with `Cancelled`. The plan being edited is not changed and edits are not blocked.
    pub fn optimize(
        &self,
        cancel: Arc<CancelToken>,
        progress: Option<Arc<dyn ProgressListener>>,
    ) -> Result<OptimizedPlan> {
        guard(|| {
            let planner = self.inner().clone();
            let mut control = Control {
                cancel: &cancel,
                progress: progress.as_deref(),
            };
            let found = core::optimize_with(&planner, &self.request, &mut control)
                .map_err(|e| plan_error(e, self.locale))?;
            Ok(OptimizedPlan {
                best: PlanAlternative::from_core(&found.best, self.locale),
                alternatives: found
                    .alternatives
                    .iter()
                    .map(|a| PlanAlternative::from_core(a, self.locale))
                    .collect(),
                stats: PlanSearchStats {
                    space: found.stats.space,
                    nodes: found.stats.nodes,
                    leaves: found.stats.leaves,
                    checked: found.stats.checked,
                },
            })
        })
    }
}
