//! The exact optimizer: branch and bound over both parents' Lebensmonate.
//!
//! **Search space.** Lebensmonate 1 to the horizon (32, also after a premature birth, § 4
//! Abs. 5 S. 3 BEEG); per parent and month one of none, Basis (up to the Basis limit, 14 plus
//! the § 4 Abs. 5 months), Plus, or Bonus (only where the case gives 24–32 weekly hours for
//! that month, § 4b Abs. 1 Nr. 1), narrowed by the request (fixed months, months at home,
//! return to work, parents who cannot claim, the other parent under sole care, § 4c Abs. 1
//! Nr. 2, 3) and by § 4 Abs. 4 S. 3 (months with Mutterschaftsleistungen are the mother's
//! Basis months). A plan is legal when the rules' own § 4 check finds no problem and the
//! household minimum holds.
//!
//! **Search.** Depth first, month by month, both parents' choices at once. A branch is cut
//! by necessary conditions of the check (a parent's and the joint month budget, a Bonus block
//! longer than allowed or resumed, more parallel Basis months than § 4 Abs. 6 allows, a month
//! planned after a gap beyond the Basis limit, a month whose best possible household income
//! is under the minimum), by dominance, and by the bound: the months decided so far at their
//! amounts without income after the birth plus the exact optimum of a relaxation of the § 4
//! check over the months still open (`bound.rs`: budgets, one variant per parent and month,
//! Bonus blocks and their parallelism, parallel Basis months and the end of the plan kept;
//! minimum months, the partner months' income condition and the income averages dropped),
//! tabled backwards once per request by dynamic programming over (month, budgets used, Bonus
//! block, parallel months), so a bound is one lookup. The choices of a month are tried best
//! bound first; where the relaxation's optimum is legal (it is wherever the dropped rules do
//! not bind), the first complete plans are optimal and every other branch is cut. The state
//! that decides the future (budgets, Bonus block, parallel months, the gap, who claims, months
//! claimed and with income reduced, the months with income per variant, the shape) is kept
//! along the branch, a small `Copy` value, and is the dominance key as it is: nothing is
//! recomputed from the prefix and nothing is allocated per node.
//!
//! **Months with income.** § 2 Abs. 3 BEEG averages the income of a variant's months with
//! income, so such a month's amount depends on which months the variant has. Where all of a
//! parent's months with income are of one class (the same gross and limits,
//! `elterngeld::income_after_classes`: one part-time job), every non-empty set has the same
//! average, so their amounts are fixed: exact in the bound's tables, and no set to tell states
//! apart. Otherwise they enter the state as sets, and every complete plan is evaluated exactly:
//! months with income per variant from the rules, once per set (memoised).
//!
//! **Alternatives.** The best plan of each *shape* (per parent the number of Basis, Plus
//! and Bonus months); the alternatives are the next-best shapes. A branch is cut when its
//! bound cannot beat the k-th best shape, which keeps the result exact for all k shapes.

#![expect(
    clippy::needless_range_loop,
    reason = "parent and month indices address several parallel tables at once"
)]

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use elternkit_model::{Case, PlanMonth};
use elternkit_rules::elterngeld;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use elternkit_rules::RulesError;

use crate::{PlanError, PlanRequest, PlanState, Planner};

mod bound;

use bound::{COVERAGE_UNIT, Suffix};

/// What the optimizer maximises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The total Elterngeld of both parents.
    #[default]
    Total,
    /// The number of Lebensmonate in which the household receives Elterngeld; ties by total.
    Coverage,
}

/// A plan the optimizer found, as the planner shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    pub state: PlanState,
    /// Lebensmonate with Elterngeld for the household.
    pub coverage: u32,
    /// How this plan differs from the best (empty for the best).
    pub difference_de: String,
    pub difference_en: String,
}

/// The best plan, the next-best alternatives and what the search did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Optimized {
    pub best: Alternative,
    pub alternatives: Vec<Alternative>,
    pub stats: SearchStats,
}

/// The size of the search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SearchStats {
    /// Plans in the search space before any rule (product of the months' choices).
    pub space: f64,
    /// Partial plans visited.
    pub nodes: u64,
    /// Complete plans reached.
    pub leaves: u64,
    /// Complete plans good enough to be checked by the rules.
    pub checked: u64,
    /// Rules computations for months with income (one per variant and set of such months).
    pub income_evaluations: u64,
}

/// Watches a long search and may stop it: [`optimize_with`] calls it on the search's own
/// (the caller's) thread, so a platform callback behind it needs no locking of ours.
pub trait SearchControl {
    /// Asked every [`CHECK_EVERY`] partial plans; `true` stops the search with
    /// [`PlanError::Cancelled`] before the next partial plan.
    fn cancelled(&mut self) -> bool {
        false
    }

    /// How far the search is, whenever that moved (at most `total + 1` calls).
    fn progress(&mut self, _progress: SearchProgress) {}
}

/// Partial plans between two [`SearchControl::cancelled`] checks: a stop waits for at most
/// this many, and asking (an atomic load behind the FFI's token) is rare against their work.
pub const CHECK_EVERY: u64 = 256;

/// How far the search is. The search is depth first, Lebensmonat 1 and 2 outermost, so its
/// position among the choices of those two months (both parents' at once, `total` pairs of
/// pairs, counted in the order the search takes them) only grows: `done` of `total` is an
/// honest order, not a time estimate — later branches are often cut faster, and the search
/// may end before `done` reaches `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchProgress {
    pub done: u32,
    pub total: u32,
    /// Partial plans visited so far.
    pub nodes: u64,
}

/// A search nobody watches.
struct Unwatched;

impl SearchControl for Unwatched {}

const NONE: u8 = 1;
const BASIS: u8 = 2;
const PLUS: u8 = 4;
const BONUS: u8 = 8;
const KINDS: [(u8, PlanMonth); 4] = [
    (BASIS, PlanMonth::Basis),
    (PLUS, PlanMonth::Plus),
    (BONUS, PlanMonth::Bonus),
    (NONE, PlanMonth::None),
];

fn cents(d: Decimal) -> i64 {
    // Elterngeld amounts are whole cents far below i64::MAX.
    (d * Decimal::ONE_HUNDRED)
        .round()
        .try_into()
        .unwrap_or(i64::MAX)
}

fn halves(kind: u8) -> u8 {
    match kind {
        BASIS => 2,
        PLUS => 1,
        _ => 0,
    }
}

/// Everything the search reads, fixed for one request.
pub(crate) struct Model {
    n: usize,
    horizon: usize,
    /// Allowed kinds per parent and month (index 0 = Lebensmonat 1).
    domain: Vec<Vec<u8>>,
    /// The amount without income after the birth per parent, month, Basis (0) / Plus (1).
    ub: Vec<Vec<[i64; 2]>>,
    /// Months whose amount depends on the variant's income average (bit i = Lebensmonat i+1).
    income: Vec<u64>,
    own_cap: Vec<u32>,
    joint_cap: Option<u32>,
    basis_last: usize,
    bonus_max: u32,
    /// Two parents, neither alone under § 4c: the joint rules apply.
    couple: bool,
    /// Per parent, months whose claim counts as one with income reduced (§ 4 Abs. 3 S. 2,
    /// § 4c Abs. 1: gross after the birth below the monthly average before it).
    reduced: Vec<u64>,
    reduced_needed: u32,
    min_months: u32,
    /// Whether two partial plans in the same state may be compared by value (not with a
    /// household minimum, which ties a month's income to the later months' choices).
    dominance: bool,
    /// Most parallel Basis months and the last Lebensmonat they may lie in, where § 4 Abs. 6
    /// applies.
    parallel: Option<(u32, usize)>,
    /// Per month: Elterngeld the household needs at least (cents), where a minimum applies.
    need: Vec<Option<i64>>,
    objective: Objective,
    alternatives: usize,
    /// The shortest Bonus block (§ 4b Abs. 1).
    bonus_min: u32,
    /// Per month: both parents' allowed choices, best possible month amount first, so that the
    /// first complete plans are good ones and the bound bites early.
    order: Vec<Vec<[u8; 2]>>,
}

/// Evaluates complete plans exactly, remembering the rules' answers for months with income.
pub(crate) struct Evaluator {
    case: Case,
    memo: HashMap<(usize, bool, u64), Vec<(usize, i64)>>,
    pub(crate) evaluations: u64,
}

impl Evaluator {
    fn new(case: &Case) -> Self {
        Evaluator {
            case: case.clone(),
            memo: HashMap::new(),
            evaluations: 0,
        }
    }

    /// Amounts of the months in `mask` when exactly they are the parent's months with income
    /// in the Basis (`plus` false) or Plus/Bonus variant.
    fn group(&mut self, p: usize, plus: bool, mask: u64) -> Result<&[(usize, i64)], PlanError> {
        if !self.memo.contains_key(&(p, plus, mask)) {
            let kind = if plus {
                PlanMonth::Plus
            } else {
                PlanMonth::Basis
            };
            let len = 64 - mask.leading_zeros() as usize;
            let plan: Vec<PlanMonth> = (0..len)
                .map(|i| {
                    if mask & (1 << i) != 0 {
                        kind
                    } else {
                        PlanMonth::None
                    }
                })
                .collect();
            self.case.parents[p].plan = plan;
            let r = elterngeld::parent_elterngeld(&self.case, p)?;
            self.evaluations += 1;
            let amounts = r
                .months
                .iter()
                .map(|m| (m.lebensmonat as usize - 1, cents(m.amount)))
                .collect();
            self.memo.insert((p, plus, mask), amounts);
        }
        Ok(self.memo.get(&(p, plus, mask)).map_or(&[], Vec::as_slice))
    }

    /// Per month the household's Elterngeld (cents) of `plan`.
    fn amounts(&mut self, model: &Model, plan: &[Vec<u8>]) -> Result<Vec<i64>, PlanError> {
        let mut out = vec![0i64; model.horizon];
        for p in 0..model.n {
            let (mut basis, mut plus) = (0u64, 0u64);
            for (m, kind) in plan[p].iter().enumerate() {
                let bit = 1u64 << m;
                match *kind {
                    BASIS if model.income[p] & bit != 0 => basis |= bit,
                    PLUS | BONUS if model.income[p] & bit != 0 => plus |= bit,
                    BASIS => out[m] += model.ub[p][m][0],
                    PLUS | BONUS => out[m] += model.ub[p][m][1],
                    _ => {}
                }
            }
            for (is_plus, mask) in [(false, basis), (true, plus)] {
                if mask != 0 {
                    for (m, a) in self.group(p, is_plus, mask)? {
                        out[*m] += a;
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Classes of income months up to which [`tighten_income_months`] tries every union of them.
const FEW_CLASSES: usize = 3;

/// A tighter upper bound than the amount without income for months with income of a few
/// classes. A month's amount falls as its variant's average income rises (§ 2 Abs. 3 BEEG),
/// and the average depends only on how many months of each class the variant has
/// (`elterngeld::income_after_classes`). The lowest average of a set of months holding month
/// `m` is that of `m` with every month of the classes below that average (a month below the
/// average lowers it, one above raises it, and the months of a class are alike), so the best
/// amount of `m` over `m` with any union of the other classes' months (those the variant may
/// take) bounds every amount `m` can have. 2^(classes − 1) rules evaluations per month and
/// variant, so only for a few classes; with more the amount without income stays the bound.
fn tighten_income_months(
    case: &Case,
    p: usize,
    domain: &[u8],
    income: u64,
    classes: &[u64],
    ub: &mut [[i64; 2]],
) -> Result<(), PlanError> {
    let horizon = domain.len();
    let classes: Vec<u64> = classes
        .iter()
        .map(|c| c & income)
        .filter(|c| *c != 0)
        .collect();
    if classes.len() > FEW_CLASSES {
        return Ok(());
    }
    let mut case = case.clone();
    for (v, kind, allowed) in [
        (0, PlanMonth::Basis, BASIS),
        (1, PlanMonth::Plus, PLUS | BONUS),
    ] {
        let months: u64 = (0..horizon)
            .filter(|m| domain[*m] & allowed != 0)
            .fold(0, |acc, m| acc | 1 << m);
        let mut best = vec![i64::MIN; horizon];
        for (ci, class) in classes.iter().enumerate() {
            let others: Vec<u64> = classes
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != ci)
                .map(|(_, c)| c & months)
                .collect();
            for subset in 0..1u32 << others.len() {
                let union = others
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| subset & (1 << i) != 0)
                    .fold(0u64, |acc, (_, c)| acc | c);
                for m in (0..horizon).filter(|m| class & months & (1 << m) != 0) {
                    let set = union | 1 << m;
                    case.parents[p].plan = (0..horizon)
                        .map(|i| {
                            if set & (1 << i) != 0 {
                                kind
                            } else {
                                PlanMonth::None
                            }
                        })
                        .collect();
                    let r = elterngeld::parent_elterngeld(&case, p)?;
                    if let Some(a) = r.months.iter().find(|a| a.lebensmonat as usize == m + 1) {
                        best[m] = best[m].max(cents(a.amount));
                    }
                }
            }
        }
        for (m, b) in best.into_iter().enumerate() {
            if b > i64::MIN {
                ub[m][v] = ub[m][v].min(b);
            }
        }
    }
    Ok(())
}

/// The value of a plan, compared lexicographically: (coverage, total) or (0, total).
type Score = (u32, i64);

#[derive(Clone)]
struct Found {
    score: Score,
    shape: Vec<[u32; 3]>,
    plan: Vec<Vec<u8>>,
}

fn shape(plan: &[Vec<u8>]) -> Vec<[u32; 3]> {
    plan.iter()
        .map(|months| {
            let count = |k: u8| months.iter().filter(|m| **m == k).count() as u32;
            [count(BASIS), count(PLUS), count(BONUS)]
        })
        .collect()
}

impl Model {
    pub(crate) fn new(planner: &Planner, request: &PlanRequest) -> Result<Self, PlanError> {
        let case = planner.case();
        let l = planner.limits();
        let n = case.parents.len();
        let horizon = planner.horizon() as usize;
        let extra = elterngeld::premature_extra_months(case, l);
        let basis_last = (l.basis_last_lebensmonat + extra) as usize;
        let context = planner.context();
        let single = case.household.single_parent || n == 1 || context.sole_care.is_some();
        let per_parent = l.basis_max_per_parent + extra;
        let own_cap = 2 * if single {
            per_parent + l.partner_months
        } else {
            per_parent
        };
        let joint_cap = (!single).then_some(2 * (l.basis_months_joint + extra + l.partner_months));
        let exception = extra > 0
            || case.child.count > 1
            || case.child.disability
            || case.siblings.iter().any(|s| s.disability);
        let parallel = match l.parallel_basis {
            Some((max, _, latest)) if !exception && !single => {
                Some((max.floor().to_u32().unwrap_or(0), latest as usize))
            }
            _ => None,
        };
        let c = &request.constraints;
        let index = |id: &str| planner.parent_index(id);
        let mut domain = vec![vec![0u8; horizon]; n];
        for (p, parent) in case.parents.iter().enumerate() {
            for m in 0..horizon {
                let mut d = NONE | PLUS;
                if m < basis_last {
                    d |= BASIS;
                }
                let hours = parent
                    .weekly_hours_after_birth
                    .as_ref()
                    .and_then(|h| h.get(m));
                if hours.is_some_and(|h| *h >= l.bonus_hours_min && *h <= l.bonus_hours_max) {
                    d |= BONUS;
                }
                domain[p][m] = d;
            }
            let maternity = elterngeld::maternity_lebensmonate(case, parent);
            for m in &maternity {
                if let Some(d) = domain[p].get_mut(*m as usize - 1) {
                    *d &= BASIS;
                }
            }
            // § 4c Abs. 1 Nr. 2, 3 BEEG: the other parent does not care for the child and
            // claims nothing; months with Mutterschaftsleistungen stay that parent's Basis
            // months (§ 4 Abs. 4 S. 3 BEEG).
            if context
                .sole_care
                .as_ref()
                .is_some_and(|(sole, _)| *sole != parent.id)
            {
                for (m, d) in domain[p].iter_mut().enumerate() {
                    if !maternity.contains(&(m as u32 + 1)) {
                        *d &= NONE;
                    }
                }
            }
        }
        let months = |first: u32, last: u32| -> Result<std::ops::Range<usize>, PlanError> {
            for m in [first, last] {
                if m == 0 || m as usize > horizon {
                    return Err(PlanError::LebensmonatOutOfRange {
                        lebensmonat: m,
                        last: horizon as u32,
                    });
                }
            }
            Ok(first as usize - 1..last as usize)
        };
        for f in &c.fixed {
            let p = index(&f.parent)?;
            let bit = KINDS
                .iter()
                .find(|(_, k)| *k == f.kind)
                .map_or(NONE, |(b, _)| *b);
            for m in months(f.first, f.last)? {
                domain[p][m] &= bit;
            }
        }
        for a in &c.at_home {
            let p = index(&a.parent)?;
            for m in months(a.first, a.last)? {
                domain[p][m] &= BASIS | PLUS;
            }
        }
        for r in &c.return_to_work {
            let p = index(&r.parent)?;
            for m in months(r.from, r.from)?.start..horizon {
                domain[p][m] &= !BASIS;
            }
        }
        for id in &c.cannot_claim {
            let p = index(id)?;
            for d in &mut domain[p] {
                *d &= NONE;
            }
        }
        let mut need = vec![None; horizon];
        if let Some(min) = &c.min_household_income {
            for (m, slot) in need.iter_mut().enumerate().take(min.through as usize) {
                let other = min.other_income.get(m).map_or(Decimal::ZERO, |x| x.0);
                *slot = Some(cents(min.monthly.0 - other));
            }
        }
        // Amounts without income after the birth: exact for months without income, and an
        // upper bound for the others (income only lowers an amount, § 2 Abs. 3 BEEG).
        let mut ub = vec![vec![[0i64; 2]; horizon]; n];
        let mut income = vec![0u64; n];
        for p in 0..n {
            let mut without = case.clone();
            without.parents[p].gross_income_after_birth = None;
            for (v, kind) in [(0, PlanMonth::Basis), (1, PlanMonth::Plus)] {
                without.parents[p].plan = vec![kind; horizon];
                let r = elterngeld::parent_elterngeld(&without, p)?;
                for m in &r.months {
                    ub[p][m.lebensmonat as usize - 1][v] = cents(m.amount);
                }
            }
            if let Some(g) = &case.parents[p].gross_income_after_birth {
                for (m, x) in g.iter().enumerate().take(horizon) {
                    if x.0 > Decimal::ZERO {
                        income[p] |= 1 << m;
                    }
                }
            }
            // Months with income of one class (the same gross and limits, the usual part-time
            // job) give the same average whichever of them a variant has, so their amounts are
            // fixed: exact in the table, and no set of them to tell states apart.
            let classes = elterngeld::income_after_classes(case, p)?;
            if income[p] != 0 && classes.iter().filter(|c| **c & income[p] != 0).count() == 1 {
                let mut with = case.clone();
                for (v, kind) in [(0, PlanMonth::Basis), (1, PlanMonth::Plus)] {
                    with.parents[p].plan = vec![kind; horizon];
                    let r = elterngeld::parent_elterngeld(&with, p)?;
                    for m in &r.months {
                        let i = m.lebensmonat as usize - 1;
                        if income[p] & (1 << i) != 0 {
                            ub[p][i][v] = cents(m.amount);
                        }
                    }
                }
                income[p] = 0;
            } else if income[p] != 0 {
                tighten_income_months(case, p, &domain[p], income[p], &classes, &mut ub[p])?;
            }
        }
        // The rules' own test of a reduced income (§ 4 Abs. 3 S. 2 BEEG), per Lebensmonat.
        let mut reduced = vec![0u64; n];
        for (p, parent) in case.parents.iter().enumerate() {
            let Some(reduced_in) = elterngeld::earnings_reduced_by_lebensmonat(parent) else {
                continue;
            };
            for m in (0..horizon).filter(|m| reduced_in(*m)) {
                reduced[p] |= 1 << m;
            }
        }
        let reduced_needed = elternkit_rules::params()
            .whole(
                "eg.partner_months.reduced_lebensmonate",
                elternkit_rules::At::BirthDate(case.child.birth_date),
            )
            .map_err(RulesError::from)?
            .0;
        let bonus_max = l.bonus_months_max;
        let month_ub = |m: usize, kinds: &[u8; 2]| -> i64 {
            (0..n)
                .map(|p| match kinds[p] {
                    BASIS => ub[p][m][0],
                    PLUS | BONUS => ub[p][m][1],
                    _ => 0,
                })
                .sum()
        };
        let mut order = Vec::with_capacity(horizon);
        for m in 0..horizon {
            let mut combos = Vec::new();
            for c0 in KINDS {
                for c1 in KINDS.iter().take(if n == 2 { 4 } else { 1 }) {
                    let kinds = [c0.0, if n == 2 { c1.0 } else { NONE }];
                    if (0..n).all(|p| domain[p][m] & kinds[p] != 0) {
                        combos.push(kinds);
                    }
                }
            }
            // Stable: equal amounts keep the order Basis, Plus, Bonus, none.
            combos.sort_by_key(|k| std::cmp::Reverse(month_ub(m, k)));
            order.push(combos);
        }
        Ok(Model {
            n,
            horizon,
            domain,
            ub,
            income,
            own_cap: vec![own_cap; n],
            joint_cap,
            basis_last,
            bonus_max,
            couple: n == 2 && !single,
            reduced,
            reduced_needed,
            min_months: l.min_months_per_parent,
            dominance: c.min_household_income.is_none(),
            parallel,
            need,
            objective: request.objective,
            alternatives: request.alternatives,
            bonus_min: l.bonus_months_min,
            order,
        })
    }

    /// The best possible amount of month `m` with `kinds` (without income after the birth).
    fn month_ub(&self, m: usize, kinds: &[u8; 2]) -> i64 {
        (0..self.n)
            .map(|p| match kinds[p] {
                BASIS => self.ub[p][m][0],
                PLUS | BONUS => self.ub[p][m][1],
                _ => 0,
            })
            .sum()
    }

    /// Plans in the space: the product of the months' choices.
    fn space(&self) -> f64 {
        self.domain
            .iter()
            .flatten()
            .map(|d| f64::from(d.count_ones()))
            .product()
    }

    fn score(&self, amounts: &[i64]) -> Score {
        let total = amounts.iter().sum();
        match self.objective {
            Objective::Total => (0, total),
            Objective::Coverage => (amounts.iter().filter(|a| **a > 0).count() as u32, total),
        }
    }

    fn meets_minimum(&self, amounts: &[i64]) -> bool {
        self.need
            .iter()
            .zip(amounts)
            .all(|(need, a)| need.is_none_or(|n| *a >= n))
    }
}

/// What decides the legality and the later amounts of a partial plan's completions: kept
/// along the branch month by month (never recomputed from the prefix), and itself the key of
/// the dominance table.
///
/// Small integers and 32-bit month sets (Lebensmonate 1–32): the dominance table holds one
/// per state reached, and its size decides how many of its lookups miss the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
struct State {
    /// Half months of Basis budget used per parent (a Basis month 2, a Plus month 1).
    used: [u8; 2],
    /// Per parent: Bonus months so far, and whether the block has ended.
    bonus: [(u8, bool); 2],
    parallel: u8,
    closed: bool,
    /// Per parent: any month claimed so far.
    claimed: [bool; 2],
    /// A month so far with the Bonus for one parent only.
    bonus_mismatch: bool,
    /// Per parent: months claimed, and of those with income reduced (both capped).
    taken: [u8; 2],
    reduced: [u8; 2],
    /// Per parent: the months with income in the Basis and in the Plus/Bonus variant so far.
    income_masks: [[u32; 2]; 2],
    /// Per parent: Basis, Plus and Bonus months (the shape, for alternatives; else zero).
    shape: [[u8; 3]; 2],
}

/// The search's state along the current branch.
struct Search<'a> {
    model: &'a Model,
    /// The bound's tables.
    suffix: &'a Suffix,
    /// Per Lebensmonat 1 and 2: the rank of the current choice in the search's order.
    rank: [u32; 2],
    planner: &'a Planner,
    eval: Evaluator,
    scratch: Case,
    plan: Vec<Vec<u8>>,
    state: State,
    /// The best value reached per month and state, for dominance.
    seen: FxHashMap<(u8, State), i64>,
    found: Vec<Found>,
    stats: SearchStats,
    control: &'a mut dyn SearchControl,
    /// The last `done` told to `control`.
    reported: Option<u32>,
}

impl<'a> Search<'a> {
    fn new(
        model: &'a Model,
        suffix: &'a Suffix,
        planner: &'a Planner,
        control: &'a mut dyn SearchControl,
    ) -> Self {
        Search {
            model,
            suffix,
            rank: [0; 2],
            planner,
            eval: Evaluator::new(planner.case()),
            scratch: planner.case().clone(),
            plan: vec![vec![NONE; model.horizon]; model.n],
            state: State::default(),
            seen: FxHashMap::default(),
            found: Vec::new(),
            stats: SearchStats {
                space: model.space(),
                ..SearchStats::default()
            },
            control,
            reported: None,
        }
    }

    /// The k-th best shape's score, below which a branch cannot matter.
    fn threshold(&self) -> Option<Score> {
        (self.found.len() > self.model.alternatives)
            .then(|| self.found[self.model.alternatives].score)
    }

    fn record(&mut self, score: Score) {
        let shape = shape(&self.plan);
        if let Some(i) = self.found.iter().position(|f| f.shape == shape) {
            if self.found[i].score >= score {
                return;
            }
            self.found.remove(i);
        }
        let at = self.found.partition_point(|f| f.score >= score);
        self.found.insert(
            at,
            Found {
                score,
                shape,
                plan: self.plan.clone(),
            },
        );
        self.found.truncate(self.model.alternatives + 1);
    }

    /// An upper bound of every legal completion from month `m` on (0-based, not yet
    /// decided): the amounts decided so far plus the relaxation's optimum over the rest
    /// ([`Suffix`]); `None` if no completion can be legal.
    fn bound(&self, m: usize, decided: Score) -> Option<Score> {
        if self.state.closed {
            return Some(decided);
        }
        let rest = self.suffix.value(m, &self.state)?;
        Some(match self.model.objective {
            Objective::Total => (0, decided.1 + rest),
            Objective::Coverage => (
                decided.0 + u32::try_from(rest / COVERAGE_UNIT).unwrap_or(u32::MAX),
                decided.1 + rest % COVERAGE_UNIT,
            ),
        })
    }

    /// Asks `control` whether to stop and tells it the progress; `m` months are decided.
    fn checkpoint(&mut self, m: usize) -> Result<(), PlanError> {
        let (done, total) = position(self.model, &self.rank, m);
        if self.reported.is_none_or(|r| done > r) {
            self.reported = Some(done);
            self.control.progress(SearchProgress {
                done,
                total,
                nodes: self.stats.nodes,
            });
        }
        if self.control.cancelled() {
            return Err(PlanError::Cancelled);
        }
        Ok(())
    }

    fn run(&mut self, m: usize, decided: Score) -> Result<(), PlanError> {
        self.stats.nodes += 1;
        if self.stats.nodes % CHECK_EVERY == 1 {
            self.checkpoint(m)?;
        }
        let Some(bound) = self.bound(m, decided) else {
            return Ok(());
        };
        if self.threshold().is_some_and(|t| bound <= t) {
            return Ok(());
        }
        if m == self.model.horizon {
            return self.leaf();
        }
        if self.model.dominance && m > 0 && self.dominated(m, decided) {
            return Ok(());
        }
        let model = self.model;
        let n = model.n;
        // The month's choices with their children's bounds, the best bound first: with a
        // tight bound the first complete plans are the best ones, and the rest is cut.
        let mut children = [([NONE; 2], (0, 0), (0, 0)); 16];
        let mut count = 0;
        for kinds in &model.order[m] {
            if !self.allowed(m, kinds) {
                continue;
            }
            let month_ub = model.month_ub(m, kinds);
            if model.need[m].is_some_and(|need| month_ub < need) {
                continue;
            }
            let next = (decided.0 + u32::from(month_ub > 0), decided.1 + month_ub);
            let saved = self.state;
            self.step(m, kinds);
            let child = self.bound(m + 1, next);
            self.state = saved;
            for p in 0..n {
                self.plan[p][m] = NONE;
            }
            if let Some(child) = child {
                children[count] = (*kinds, next, child);
                count += 1;
            }
        }
        let children = &mut children[..count];
        // Stable: equal bounds keep the order of `order` (best month amount first).
        children.sort_by_key(|c| std::cmp::Reverse(c.2));
        for (rank, (kinds, next, child)) in children.iter().enumerate() {
            if self.threshold().is_some_and(|t| *child <= t) {
                // Sorted: no later choice can matter either.
                break;
            }
            if m < self.rank.len() {
                self.rank[m] = u32::try_from(rank).unwrap_or(u32::MAX);
            }
            let saved = self.state;
            self.step(m, kinds);
            let result = self.run(m + 1, *next);
            self.state = saved;
            for p in 0..n {
                self.plan[p][m] = NONE;
            }
            result?;
        }
        if m < self.rank.len() {
            self.rank[m] = 0;
        }
        Ok(())
    }

    /// Whether another partial plan reached the same state with at least this value. The
    /// state holds everything the § 4 check and the amounts of the later months depend on
    /// (budgets, Bonus block, parallel months, the gap, who claims, months claimed and with
    /// income reduced, the months with income per variant) and, for alternatives, the shape;
    /// so every completion of this plan completes the other one to a plan as legal and at
    /// least as good. The value is the decided amounts at their amounts without income: the
    /// months with income lie in equal sets, so their part is equal too and the comparison is
    /// the one of the months without income.
    fn dominated(&mut self, m: usize, decided: Score) -> bool {
        let value = match self.model.objective {
            // Coverage counts months with an amount: compare it first, as the score does.
            Objective::Coverage => i64::from(decided.0) * (1 << 40) + decided.1,
            Objective::Total => decided.1,
        };
        let mut key = self.state;
        if self.model.alternatives == 0 {
            key.shape = [[0; 3]; 2];
        }
        match self.seen.entry((m as u8, key)) {
            Entry::Occupied(mut best) => {
                if *best.get() >= value {
                    return true;
                }
                best.insert(value);
                false
            }
            Entry::Vacant(slot) => {
                slot.insert(value);
                false
            }
        }
    }

    /// Necessary conditions of the § 4 check for choosing `kinds` in month `m`.
    fn allowed(&self, m: usize, kinds: &[u8; 2]) -> bool {
        let model = self.model;
        let st = &self.state;
        let n = model.n;
        if st.closed && kinds[..n].iter().any(|k| *k != NONE) {
            return false;
        }
        let mut joint = 0;
        for p in 0..n {
            let used = u32::from(st.used[p] + halves(kinds[p]));
            if used > model.own_cap[p] {
                return false;
            }
            joint += used;
            let (len, ended) = st.bonus[p];
            if kinds[p] == BONUS && (ended || u32::from(len) + 1 > model.bonus_max) {
                return false;
            }
        }
        if model.joint_cap.is_some_and(|cap| joint > cap) {
            return false;
        }
        // § 4b Abs. 1: two claiming parents draw the Bonus in the same months.
        if model.couple
            && (st.claimed[0] || kinds[0] != NONE)
            && (st.claimed[1] || kinds[1] != NONE)
            && (st.bonus_mismatch || (kinds[0] == BONUS) != (kinds[1] == BONUS))
        {
            return false;
        }
        if n == 2
            && kinds[0] == BASIS
            && kinds[1] == BASIS
            && let Some((max, latest)) = model.parallel
            && (u32::from(st.parallel) + 1 > max || m + 1 > latest)
        {
            return false;
        }
        true
    }

    fn step(&mut self, m: usize, kinds: &[u8; 2]) {
        let model = self.model;
        let n = model.n;
        let st = &mut self.state;
        let bit = 1u64 << m;
        for p in 0..n {
            let kind = kinds[p];
            self.plan[p][m] = kind;
            st.used[p] += halves(kind);
            let b = &mut st.bonus[p];
            if kind == BONUS {
                b.0 += 1;
            } else if b.0 > 0 {
                b.1 = true;
            }
            if kind == NONE {
                continue;
            }
            st.claimed[p] = true;
            st.shape[p][match kind {
                BASIS => 0,
                PLUS => 1,
                _ => 2,
            }] += 1;
            // Both counts matter only up to what the rules ask for, so they stay small.
            if u32::from(st.taken[p]) < model.min_months {
                st.taken[p] += 1;
            }
            if model.reduced[p] & bit != 0 && u32::from(st.reduced[p]) < model.reduced_needed {
                st.reduced[p] += 1;
            }
            if model.income[p] & bit != 0 {
                // The horizon is at most 32 Lebensmonate, so `m` < 32.
                st.income_masks[p][usize::from(kind != BASIS)] |= 1u32 << m;
            }
        }
        if n == 2 && kinds[0] == BASIS && kinds[1] == BASIS {
            st.parallel += 1;
        }
        st.bonus_mismatch |= (kinds[0] == BONUS) != (kinds[1] == BONUS);
        // § 4 Abs. 1 S. 4: after the Basis limit, a month without Plus or Bonus ends the plan.
        if m >= model.basis_last && !kinds[..n].iter().any(|k| *k == PLUS || *k == BONUS) {
            st.closed = true;
        }
    }

    fn leaf(&mut self) -> Result<(), PlanError> {
        self.stats.leaves += 1;
        let model = self.model;
        // Cheap necessary conditions of the check first: a claiming parent's two months
        // (§ 4 Abs. 4 S. 2), a Bonus block long enough (§ 4b Abs. 1).
        let min_months = self.planner.limits().min_months_per_parent;
        let bonus_min = self.planner.limits().bonus_months_min;
        for p in 0..model.n {
            let taken = self.plan[p].iter().filter(|k| **k != NONE).count() as u32;
            if taken > 0 && taken < min_months {
                return Ok(());
            }
            let (len, _) = self.state.bonus[p];
            if len > 0 && u32::from(len) < bonus_min {
                return Ok(());
            }
        }
        let amounts = self.eval.amounts(model, &self.plan)?;
        let score = model.score(&amounts);
        // A plan that cannot enter the best shapes needs no check.
        if self.threshold().is_some_and(|t| score <= t) || !model.meets_minimum(&amounts) {
            return Ok(());
        }
        self.stats.checked += 1;
        for (p, plan) in self.plan.iter().enumerate() {
            let target = &mut self.scratch.parents[p].plan;
            target.clear();
            target.extend(plan.iter().map(|k| to_kind(*k)));
        }
        let problems =
            elterngeld::check_plan(&self.scratch, self.planner.limits(), self.planner.context())?;
        if problems.is_empty() {
            self.record(score);
        }
        Ok(())
    }
}

/// The search's position among the choices of Lebensmonat 1 and 2 (see [`SearchProgress`]),
/// with `m` months decided: the ranks of the current choices in the order the search takes
/// them, read as digits, so it only grows.
fn position(model: &Model, rank: &[u32; 2], m: usize) -> (u32, u32) {
    // Choices per month: 4 kinds per parent.
    let per_month = 4u32.pow(model.n as u32);
    let levels = model.horizon.min(2);
    let mut done = 0;
    for mm in 0..levels {
        done = done * per_month + if mm < m { rank[mm] } else { 0 };
    }
    (done, per_month.pow(levels as u32))
}

fn to_kind(bit: u8) -> PlanMonth {
    KINDS
        .iter()
        .find(|(b, _)| *b == bit)
        .map_or(PlanMonth::None, |(_, k)| *k)
}

/// The best legal plan for `request` and the next-best alternatives, exactly.
pub fn optimize(planner: &Planner, request: &PlanRequest) -> Result<Optimized, PlanError> {
    optimize_with(planner, request, &mut Unwatched)
}

/// [`optimize`] under a [`SearchControl`]: progress while it searches, and
/// [`PlanError::Cancelled`] as soon as the control asks to stop.
pub fn optimize_with(
    planner: &Planner,
    request: &PlanRequest,
    control: &mut dyn SearchControl,
) -> Result<Optimized, PlanError> {
    let model = Model::new(planner, request)?;
    let suffix = Suffix::new(&model);
    let mut search = Search::new(&model, &suffix, planner, control);
    search.run(0, (0, 0))?;
    let (_, total) = position(&model, &search.rank, 0);
    search.control.progress(SearchProgress {
        done: total,
        total,
        nodes: search.stats.nodes,
    });
    let mut stats = search.stats;
    stats.income_evaluations = search.eval.evaluations;
    let found = search.found;
    let best = found.first().ok_or(PlanError::NoLegalPlan)?;
    let show = |f: &Found| -> Result<(Alternative, Planner), PlanError> {
        let mut p = planner.clone();
        for (i, plan) in f.plan.iter().enumerate() {
            p.set_plan(i, plan.iter().map(|k| to_kind(*k)).collect())?;
        }
        let state = p.state();
        let coverage = (0..model.horizon)
            .filter(|m| {
                state
                    .parents
                    .iter()
                    .any(|pp| pp.months[*m].amount > Decimal::ZERO)
            })
            .count() as u32;
        Ok((
            Alternative {
                state,
                coverage,
                difference_de: String::new(),
                difference_en: String::new(),
            },
            p,
        ))
    };
    let (best_alt, _) = show(best)?;
    let mut alternatives = Vec::new();
    for f in found.iter().skip(1) {
        let (mut alt, _) = show(f)?;
        let (de, en) = difference(&best_alt, &alt);
        alt.difference_de = de;
        alt.difference_en = en;
        alternatives.push(alt);
    }
    Ok(Optimized {
        best: best_alt,
        alternatives,
        stats,
    })
}

/// Why an alternative differs from the best: its months per parent and variant, and the
/// totals.
fn difference(best: &Alternative, alt: &Alternative) -> (String, String) {
    let count = |a: &Alternative, i: usize, k: PlanMonth| {
        a.state.parents[i]
            .months
            .iter()
            .filter(|m| m.kind == k)
            .count() as i64
    };
    let mut de = Vec::new();
    let mut en = Vec::new();
    for (i, p) in alt.state.parents.iter().enumerate() {
        for (k, name) in [
            (PlanMonth::Basis, "Basis"),
            (PlanMonth::Plus, "Plus"),
            (PlanMonth::Bonus, "Bonus"),
        ] {
            let d = count(alt, i, k) - count(best, i, k);
            if d != 0 {
                de.push(format!("{}: {d:+} {name}", p.id));
                en.push(format!("{}: {d:+} {name}", p.id));
            }
        }
    }
    if de.is_empty() {
        de.push("andere Lebensmonate".into());
        en.push("other Lebensmonate".into());
    }
    let diff = alt.state.total - best.state.total;
    let cov = i64::from(alt.coverage) - i64::from(best.coverage);
    (
        format!(
            "{}; {diff:+.2} € insgesamt, {cov:+} Lebensmonate mit Elterngeld",
            de.join(", ")
        ),
        format!(
            "{}; {diff:+.2} € in total, {cov:+} Lebensmonate with Elterngeld",
            en.join(", ")
        ),
    )
}

/// Calls `visit` with every legal plan of the search space (the rules' check and the
/// household minimum) and its months' amounts. Exponential in the horizon: for the tests.
fn enumerate(
    planner: &Planner,
    model: &Model,
    mut visit: impl FnMut(&[Vec<u8>], &[i64]) -> Result<(), PlanError>,
) -> Result<(), PlanError> {
    let cells: Vec<(usize, usize)> = (0..model.n)
        .flat_map(|p| (0..model.horizon).map(move |m| (p, m)))
        .collect();
    let choices: Vec<Vec<u8>> = cells
        .iter()
        .map(|(p, m)| {
            KINDS
                .iter()
                .map(|(b, _)| *b)
                .filter(|b| model.domain[*p][*m] & b != 0)
                .collect()
        })
        .collect();
    if choices.iter().any(Vec::is_empty) {
        return Ok(());
    }
    let mut eval = Evaluator::new(planner.case());
    let mut scratch = planner.case().clone();
    let mut index = vec![0usize; cells.len()];
    let mut plan = vec![vec![NONE; model.horizon]; model.n];
    loop {
        for (c, (p, m)) in cells.iter().enumerate() {
            plan[*p][*m] = choices[c][index[c]];
        }
        for (p, months) in plan.iter().enumerate() {
            scratch.parents[p].plan = months.iter().map(|k| to_kind(*k)).collect();
        }
        if elterngeld::check_plan(&scratch, planner.limits(), planner.context())?.is_empty() {
            let amounts = eval.amounts(model, &plan)?;
            if model.meets_minimum(&amounts) {
                visit(&plan, &amounts)?;
            }
        }
        // The next combination, like an odometer.
        let mut c = 0;
        loop {
            if c == cells.len() {
                return Ok(());
            }
            index[c] += 1;
            if index[c] < choices[c].len() {
                break;
            }
            index[c] = 0;
            c += 1;
        }
    }
}

/// Every plan of the search space, checked and evaluated like the optimizer's leaves: the
/// best score per shape, best first, `alternatives + 1` of them. For the tests that prove the
/// optimizer exact on small instances; exponential in the horizon.
#[doc(hidden)]
pub fn exhaustive(planner: &Planner, request: &PlanRequest) -> Result<Vec<(u32, i64)>, PlanError> {
    let model = Model::new(planner, request)?;
    let mut best: HashMap<Vec<[u32; 3]>, Score> = HashMap::new();
    enumerate(planner, &model, |plan, amounts| {
        let score = model.score(amounts);
        let entry = best.entry(shape(plan)).or_insert(score);
        if score > *entry {
            *entry = score;
        }
        Ok(())
    })?;
    let mut scores: Vec<Score> = best.into_values().collect();
    scores.sort_by(|a, b| b.cmp(a));
    scores.truncate(model.alternatives + 1);
    Ok(scores)
}

/// The proof obligation of the bound, checked by enumeration: for every legal plan and every
/// prefix of it (Lebensmonate 1 to `m`, `m` = 0 to the horizon), the optimizer's bound of the
/// prefix exists and is at least the plan's score. Returns the first violation, described
/// (months and kinds, no amounts of the case). For the tests; exponential in the horizon.
#[doc(hidden)]
pub fn bound_violation(
    planner: &Planner,
    request: &PlanRequest,
) -> Result<Option<String>, PlanError> {
    let model = Model::new(planner, request)?;
    let suffix = Suffix::new(&model);
    let mut control = Unwatched;
    let mut search = Search::new(&model, &suffix, planner, &mut control);
    let mut violation = None;
    enumerate(planner, &model, |plan, amounts| {
        if violation.is_some() {
            return Ok(());
        }
        let score = model.score(amounts);
        search.state = State::default();
        let mut decided: Score = (0, 0);
        for m in 0..=model.horizon {
            if search.bound(m, decided).is_none_or(|b| b < score) {
                let kinds: Vec<Vec<PlanMonth>> = plan
                    .iter()
                    .map(|p| p.iter().map(|k| to_kind(*k)).collect())
                    .collect();
                violation = Some(format!("after {m} months of {kinds:?}"));
                return Ok(());
            }
            if m < model.horizon {
                let kinds = [plan[0][m], plan.get(1).map_or(NONE, |p| p[m])];
                let month_ub = model.month_ub(m, &kinds);
                decided = (decided.0 + u32::from(month_ub > 0), decided.1 + month_ub);
                search.step(m, &kinds);
            }
        }
        Ok(())
    })?;
    Ok(violation)
}

/// The optimizer's scores in the same form as [`exhaustive`]'s, for the tests.
#[doc(hidden)]
pub fn scores(opt: &Optimized, objective: Objective) -> Vec<(u32, i64)> {
    std::iter::once(&opt.best)
        .chain(&opt.alternatives)
        .map(|a| {
            let cov = match objective {
                Objective::Total => 0,
                Objective::Coverage => a.coverage,
            };
            (cov, cents(a.state.total))
        })
        .collect()
}
