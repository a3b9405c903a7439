//! The optimizer's upper bound: the exact optimum of a relaxation of the § 4 check over the
//! months still open, tabled backwards once per request, so a node's bound is one lookup.
//!
//! **The relaxation.** Every month is worth its amount without income after the birth (`ub`:
//! exact for months without income and for months of one income class, above the amount
//! otherwise, since income only lowers it, § 2 Abs. 3 BEEG). Kept from the check: the month
//! domains (Basis limit, Bonus hours, Mutterschaftsleistungen, the request), the budgets of
//! each parent and the joint one, one variant per parent and month, Bonus blocks of
//! `bonus_min..=bonus_max` consecutive months, both parents' Bonus in the same months (§ 4b
//! Abs. 1), the parallel Basis months (§ 4 Abs. 6) and the end of the plan at the first month
//! after the Basis limit without Plus or Bonus (§ 4 Abs. 1 S. 4). Dropped: the minimum months,
//! the income reduction the partner months need, household minimums and the income averages.
//! Every legal completion is a completion of the relaxation worth at most as much, so the
//! table's optimum bounds it from above.
//!
//! **Who claims.** A couple's Bonus must be parallel only if both claim (§ 4b Abs. 1; the
//! check compares the Bonus months of two claiming parents). So a couple's completions are
//! bounded by two tables: the joint one (Bonus strictly parallel), valid while the prefix has
//! no unpaired Bonus month, and one per parent alone (the other claims nothing, Bonus alone
//! allowed), valid while the other parent has not claimed. Two parents who are not a couple
//! (§ 4c) share no budget and no Bonus: the sum of their own tables, without the end rule,
//! which the two plans share.
//!
//! **Coverage.** Values are `months with an amount << 40 | total` (totals stay far below
//! 2^40 cents), so sums and the lexicographic order of (coverage, total) agree; the joint table
//! counts a month once whoever claims it.

use super::{BASIS, BONUS, Model, NONE, Objective, PLUS, State, halves};

/// No completion of the relaxation.
pub(super) const NEG: i64 = i64::MIN / 4;
/// The weight of one month with an amount in the coverage objective.
pub(super) const COVERAGE_UNIT: i64 = 1 << 40;

/// One choice of both parents in one month, as the tables need it.
#[derive(Clone, Copy)]
struct Move {
    halves: [usize; 2],
    value: i64,
    bonus: bool,
    parallel: bool,
    /// After the Basis limit without Plus or Bonus: the plan ends here (§ 4 Abs. 1 S. 4).
    ends: bool,
}

/// Bonus block states: 0 none yet, 1..=max that many months running, max + 1 ended.
#[derive(Clone, Copy)]
struct Blocks {
    min: usize,
    max: usize,
}

impl Blocks {
    fn count(self) -> usize {
        self.max + 2
    }

    fn ended(self) -> usize {
        self.max + 1
    }

    /// The state after a month with (`bonus`) or without the Bonus; `None` if not allowed.
    fn next(self, b: usize, bonus: bool) -> Option<usize> {
        let running = (1..=self.max).contains(&b);
        match (bonus, running) {
            (true, _) if b < self.max => Some(b + 1),
            (true, _) => None,
            (false, true) if b >= self.min => Some(self.ended()),
            (false, true) => None,
            (false, false) => Some(b),
        }
    }

    /// Whether a plan may end in state `b` (a running block must be long enough).
    fn may_end(self, b: usize) -> bool {
        !(1..self.min).contains(&b)
    }

    /// The state of a branch's block: `len` months so far, `ended`.
    fn of(self, len: u8, ended: bool) -> usize {
        match (len, ended) {
            (0, _) => 0,
            (_, true) => self.ended(),
            (l, false) => usize::from(l).min(self.max),
        }
    }
}

/// Upper bounds of the completions of a partial plan (see the module documentation).
pub(super) struct Suffix {
    couple: bool,
    n: usize,
    blocks: Blocks,
    /// Budget states per parent (half months used: 0..=cap).
    cap: [usize; 2],
    /// Parallel Basis states: `max + 1` where § 4 Abs. 6 applies, else 1 (not counted).
    parallel: usize,
    /// Couple: `[m][used0][used1][block][parallel]`.
    joint: Vec<i64>,
    /// Per parent alone, with the end rule: `[m][used][block]`.
    alone: [Vec<i64>; 2],
    /// Per parent alone, without the end rule (two parents who are not a couple).
    free: [Vec<i64>; 2],
}

fn month_value(objective: Objective, v: i64) -> i64 {
    match objective {
        Objective::Coverage if v > 0 => COVERAGE_UNIT + v,
        _ => v,
    }
}

impl Suffix {
    pub(super) fn new(model: &Model) -> Self {
        let n = model.n;
        let max = model.bonus_max.max(1) as usize;
        let blocks = Blocks {
            min: (model.bonus_min as usize).clamp(1, max),
            max,
        };
        let joint_cap = model.joint_cap.map(|c| c as usize);
        let mut cap = [0usize; 2];
        for p in 0..n {
            let own = model.own_cap[p] as usize;
            cap[p] = if model.couple {
                joint_cap.map_or(own, |j| own.min(j))
            } else {
                own
            };
        }
        let parallel = model.parallel.map_or(1, |(max, _)| max as usize + 1);
        let mut suffix = Suffix {
            couple: model.couple,
            n,
            blocks,
            cap,
            parallel,
            joint: Vec::new(),
            alone: [Vec::new(), Vec::new()],
            free: [Vec::new(), Vec::new()],
        };
        for p in 0..n {
            suffix.alone[p] = suffix.single_table(model, p, true);
            if n == 2 && !model.couple {
                suffix.free[p] = suffix.single_table(model, p, false);
            }
        }
        if model.couple {
            suffix.joint = suffix.joint_table(model, joint_cap);
        }
        suffix
    }

    fn single_index(&self, p: usize, m: usize, used: usize, b: usize) -> usize {
        (m * (self.cap[p] + 1) + used) * self.blocks.count() + b
    }

    /// One parent's table: the best value from month `m` on with `used` halves of the budget
    /// spent and Bonus state `b`; `ends` applies the end rule to this parent's plan alone.
    fn single_table(&self, model: &Model, p: usize, ends: bool) -> Vec<i64> {
        let horizon = model.horizon;
        let (caps, bs) = (self.cap[p] + 1, self.blocks.count());
        let mut t = vec![NEG; (horizon + 1) * caps * bs];
        for used in 0..caps {
            for b in 0..bs {
                if self.blocks.may_end(b) {
                    t[self.single_index(p, horizon, used, b)] = 0;
                }
            }
        }
        for m in (0..horizon).rev() {
            let moves: Vec<Move> = [NONE, BASIS, PLUS, BONUS]
                .into_iter()
                .filter(|k| model.domain[p][m] & k != 0)
                .map(|k| Move {
                    halves: [usize::from(halves(k)), 0],
                    value: month_value(
                        model.objective,
                        match k {
                            BASIS => model.ub[p][m][0],
                            PLUS | BONUS => model.ub[p][m][1],
                            _ => 0,
                        },
                    ),
                    bonus: k == BONUS,
                    parallel: false,
                    ends: ends && m >= model.basis_last && k != PLUS && k != BONUS,
                })
                .collect();
            for used in 0..caps {
                for b in 0..bs {
                    let mut best = NEG;
                    for mv in &moves {
                        let u = used + mv.halves[0];
                        let Some(nb) = self.blocks.next(b, mv.bonus) else {
                            continue;
                        };
                        if u >= caps {
                            continue;
                        }
                        let rest = if mv.ends {
                            if self.blocks.may_end(nb) { 0 } else { NEG }
                        } else {
                            t[self.single_index(p, m + 1, u, nb)]
                        };
                        if rest > NEG {
                            best = best.max(mv.value + rest);
                        }
                    }
                    t[self.single_index(p, m, used, b)] = best;
                }
            }
        }
        t
    }

    fn joint_index(&self, m: usize, u0: usize, u1: usize, b: usize, par: usize) -> usize {
        (((m * (self.cap[0] + 1) + u0) * (self.cap[1] + 1) + u1) * self.blocks.count() + b)
            * self.parallel
            + par
    }

    /// The couple's table: both parents' months at once, Bonus strictly parallel.
    fn joint_table(&self, model: &Model, joint_cap: Option<usize>) -> Vec<i64> {
        let horizon = model.horizon;
        let (c0, c1) = (self.cap[0] + 1, self.cap[1] + 1);
        let (bs, ps) = (self.blocks.count(), self.parallel);
        let within =
            |u0: usize, u1: usize| u0 < c0 && u1 < c1 && joint_cap.is_none_or(|j| u0 + u1 <= j);
        let mut t = vec![NEG; (horizon + 1) * c0 * c1 * bs * ps];
        for u0 in 0..c0 {
            for u1 in 0..c1 {
                for b in (0..bs).filter(|b| self.blocks.may_end(*b)) {
                    for par in 0..ps {
                        if within(u0, u1) {
                            t[self.joint_index(horizon, u0, u1, b, par)] = 0;
                        }
                    }
                }
            }
        }
        for m in (0..horizon).rev() {
            let mut moves = Vec::new();
            for k0 in [NONE, BASIS, PLUS, BONUS] {
                for k1 in [NONE, BASIS, PLUS, BONUS] {
                    if model.domain[0][m] & k0 == 0
                        || model.domain[1][m] & k1 == 0
                        || (k0 == BONUS) != (k1 == BONUS)
                    {
                        continue;
                    }
                    let parallel = k0 == BASIS && k1 == BASIS;
                    if parallel
                        && model
                            .parallel
                            .is_some_and(|(max, latest)| max == 0 || m + 1 > latest)
                    {
                        continue;
                    }
                    let kinds = [k0, k1];
                    let raw: i64 = (0..2)
                        .map(|p| match kinds[p] {
                            BASIS => model.ub[p][m][0],
                            PLUS | BONUS => model.ub[p][m][1],
                            _ => 0,
                        })
                        .sum();
                    moves.push(Move {
                        halves: [usize::from(halves(k0)), usize::from(halves(k1))],
                        value: month_value(model.objective, raw),
                        bonus: k0 == BONUS,
                        parallel: parallel && model.parallel.is_some(),
                        ends: m >= model.basis_last
                            && !kinds.iter().any(|k| *k == PLUS || *k == BONUS),
                    });
                }
            }
            // Only states a prefix of `m` months can reach: at most two halves a month per
            // parent, a running Bonus block and parallel months no longer than `m`. Once no
            // parallel Basis month is possible any more, the parallel count changes nothing.
            let parallel_open = moves.iter().any(|mv| mv.parallel)
                || model.parallel.is_some_and(|(_, latest)| m + 1 < latest);
            let pars = if parallel_open { ps.min(m + 1) } else { 1 };
            for u0 in 0..c0.min(2 * m + 1) {
                for u1 in 0..c1.min(2 * m + 1) {
                    if !within(u0, u1) {
                        continue;
                    }
                    for b in (0..bs).filter(|b| *b <= m || *b == self.blocks.ended()) {
                        for par in 0..pars {
                            let mut best = NEG;
                            for mv in &moves {
                                let (n0, n1) = (u0 + mv.halves[0], u1 + mv.halves[1]);
                                let np = par + usize::from(mv.parallel);
                                if !within(n0, n1) || np >= ps {
                                    continue;
                                }
                                let Some(nb) = self.blocks.next(b, mv.bonus) else {
                                    continue;
                                };
                                let rest = if mv.ends {
                                    if self.blocks.may_end(nb) { 0 } else { NEG }
                                } else {
                                    t[self.joint_index(m + 1, n0, n1, nb, np)]
                                };
                                if rest > NEG {
                                    best = best.max(mv.value + rest);
                                }
                            }
                            t[self.joint_index(m, u0, u1, b, par)] = best;
                        }
                        for par in pars..ps.min(m + 1) {
                            t[self.joint_index(m, u0, u1, b, par)] =
                                t[self.joint_index(m, u0, u1, b, 0)];
                        }
                    }
                }
            }
        }
        t
    }

    /// The most any legal completion of a branch in state `st` can add from month `m` on
    /// (encoded as the tables are), or `None` if it has none.
    pub(super) fn value(&self, m: usize, st: &State) -> Option<i64> {
        let b = |p: usize| self.blocks.of(st.bonus[p].0, st.bonus[p].1);
        let used = |p: usize| usize::from(st.used[p]);
        let single = |t: &[i64], p: usize| {
            if used(p) > self.cap[p] {
                return NEG;
            }
            t[self.single_index(p, m, used(p), b(p))]
        };
        let best = if !self.couple {
            let tables = if self.n == 2 { &self.free } else { &self.alone };
            let mut sum = 0;
            for p in 0..self.n {
                let v = single(tables[p].as_slice(), p);
                if v <= NEG {
                    return None;
                }
                sum += v;
            }
            sum
        } else {
            let mut best = NEG;
            if !st.bonus_mismatch && used(0) <= self.cap[0] && used(1) <= self.cap[1] {
                let par = usize::from(st.parallel).min(self.parallel - 1);
                best = self.joint[self.joint_index(m, used(0), used(1), b(0), par)];
            }
            for p in 0..2 {
                if !st.claimed[1 - p] {
                    best = best.max(single(self.alone[p].as_slice(), p));
                }
            }
            best
        };
        (best > NEG).then_some(best)
    }
}
