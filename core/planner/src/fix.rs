//! A suggested fix per § 4 problem: the smallest obvious edit that removes it.

use elternkit_model::{PlanMonth, PlanProblem};
use elternkit_rules::elterngeld;
use serde::{Deserialize, Serialize};

use crate::Planner;

/// Set Lebensmonate `first` to `last` of `parent` to `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub parent: String,
    pub first: u32,
    pub last: u32,
    pub kind: PlanMonth,
}

impl Edit {
    fn one(parent: &str, month: u32, kind: PlanMonth) -> Self {
        Edit {
            parent: parent.to_string(),
            first: month,
            last: month,
            kind,
        }
    }
}

/// Limits with the premature-birth months added where § 4 Abs. 5 BEEG adds them.
struct Limits {
    basis_last: u32,
    plus_last: u32,
    per_parent: u32,
    joint: u32,
    partner: u32,
}

fn limits(p: &Planner) -> Limits {
    let l = p.limits();
    let extra = elterngeld::premature_extra_months(p.case(), l);
    Limits {
        basis_last: l.basis_last_lebensmonat + extra,
        // § 4 Abs. 5 S. 3 Nr. 1–4 c: ElterngeldPlus still ends with Lebensmonat 32.
        plus_last: l.plus_last_lebensmonat,
        per_parent: l.basis_max_per_parent + extra,
        joint: l.basis_months_joint + extra,
        partner: l.partner_months,
    }
}

/// Basis months count 2 halves, Plus one (§ 4 Abs. 3 S. 1, § 4a Abs. 2 S. 2 BEEG); Bonus none.
fn halves(plan: &[PlanMonth]) -> u32 {
    plan.iter()
        .map(|m| match m {
            PlanMonth::Basis => 2,
            PlanMonth::Plus => 1,
            _ => 0,
        })
        .sum()
}

/// Drops `parent`'s latest Basis and Plus months until it uses at most `cap` halves.
fn trim(p: &Planner, parent: usize, cap: u32, out: &mut Vec<Edit>) {
    let pa = &p.case().parents[parent];
    let mut used = halves(&pa.plan);
    for (i, m) in pa.plan.iter().enumerate().rev() {
        if used <= cap {
            break;
        }
        let h = halves(std::slice::from_ref(m));
        if h > 0 {
            used -= h;
            out.push(Edit::one(&pa.id, i as u32 + 1, PlanMonth::None));
        }
    }
}

fn last_month(plan: &[PlanMonth]) -> u32 {
    plan.iter()
        .rposition(|m| *m != PlanMonth::None)
        .map_or(0, |i| i as u32 + 1)
}

/// The edits that remove `problem` from the planner's plan.
pub fn suggest(p: &Planner, problem: &PlanProblem) -> Vec<Edit> {
    let l = limits(p);
    let parents = &p.case().parents;
    let single =
        p.case().household.single_parent || parents.len() == 1 || p.context().sole_care.is_some();
    let mut out = Vec::new();
    let months = &problem.lebensmonate;
    match problem.code.as_str() {
        // Basis after month 14: the same months as ElterngeldPlus (§ 4 Abs. 1 S. 3, 4).
        "basis_after_limit" => {
            for pa in parents {
                for m in months {
                    if pa.plan.get(*m as usize - 1) == Some(&PlanMonth::Basis) {
                        let kind = if *m <= l.plus_last {
                            PlanMonth::Plus
                        } else {
                            PlanMonth::None
                        };
                        out.push(Edit::one(&pa.id, *m, kind));
                    }
                }
            }
        }
        "after_last_lebensmonat" => {
            for pa in parents {
                for m in months {
                    if pa
                        .plan
                        .get(*m as usize - 1)
                        .is_some_and(|k| *k != PlanMonth::None)
                    {
                        out.push(Edit::one(&pa.id, *m, PlanMonth::None));
                    }
                }
            }
        }
        "maternity_months_are_basis" => {
            for pa in parents {
                let own = elterngeld::maternity_lebensmonate(p.case(), pa);
                for m in months.iter().filter(|m| own.contains(m)) {
                    out.push(Edit::one(&pa.id, *m, PlanMonth::Basis));
                }
            }
        }
        "too_many_months_parent" | "partner_months_without_income_reduction" if single => {
            // Without the partner months a parent alone keeps the 12 (§ 4c Abs. 1 BEEG).
            let cap = if problem.code == "too_many_months_parent" {
                l.per_parent + l.partner
            } else {
                l.per_parent
            };
            for i in 0..parents.len() {
                trim(p, i, 2 * cap, &mut out);
            }
        }
        "too_many_months_parent" => {
            for i in 0..parents.len() {
                trim(p, i, 2 * l.per_parent, &mut out);
            }
        }
        "too_many_months" | "partner_months_without_income_reduction" => {
            let cap = if problem.code == "too_many_months" {
                l.joint + l.partner
            } else {
                l.joint
            };
            // The parent whose months end last gives them up.
            let Some(last) = (0..parents.len()).max_by_key(|i| last_month(&parents[*i].plan))
            else {
                return out;
            };
            let others: u32 = (0..parents.len())
                .filter(|i| *i != last)
                .map(|i| halves(&parents[i].plan))
                .sum();
            trim(p, last, (2 * cap).saturating_sub(others), &mut out);
        }
        "too_few_months" => {
            // One more month after the only one: Basis up to month 14, else Plus.
            for pa in parents {
                let taken = pa.plan.iter().filter(|m| **m != PlanMonth::None).count();
                if taken == 1 {
                    let next = last_month(&pa.plan) + 1;
                    let kind = if next <= l.basis_last {
                        PlanMonth::Basis
                    } else {
                        PlanMonth::Plus
                    };
                    if next <= p.horizon() {
                        out.push(Edit::one(&pa.id, next, kind));
                    }
                }
            }
        }
        // A Partnerschaftsbonus that does not meet § 4b: the months as ElterngeldPlus.
        "partnerschaftsbonus_months"
        | "partnerschaftsbonus_hours"
        | "partnerschaftsbonus_not_parallel" => {
            for pa in parents {
                for m in months {
                    if pa.plan.get(*m as usize - 1) == Some(&PlanMonth::Bonus) {
                        out.push(Edit::one(&pa.id, *m, PlanMonth::Plus));
                    }
                }
            }
        }
        // Parallel Basis: the parent with fewer Basis months draws Plus there instead.
        "parallel_basis_months" => {
            let basis = |i: usize| {
                parents[i]
                    .plan
                    .iter()
                    .filter(|m| **m == PlanMonth::Basis)
                    .count()
            };
            if parents.len() == 2 {
                let who = if basis(0) < basis(1) { 0 } else { 1 };
                for m in months {
                    out.push(Edit::one(&parents[who].id, *m, PlanMonth::Plus));
                }
            }
        }
        // Sole care (§ 4c Abs. 1 Nr. 2, 3 BEEG): the other parent's months go.
        "other_parent_claims_under_sole_care" => {
            let sole = p.context().sole_care.as_ref().map(|(id, _)| id.as_str());
            for pa in parents.iter().filter(|pa| Some(pa.id.as_str()) != sole) {
                for m in months {
                    if pa
                        .plan
                        .get(*m as usize - 1)
                        .is_some_and(|k| *k != PlanMonth::None)
                    {
                        out.push(Edit::one(&pa.id, *m, PlanMonth::None));
                    }
                }
            }
        }
        // A gap after month 14: the parent whose months end last fills it with Plus.
        "gap_after_month_14" => {
            if let Some(who) = (0..parents.len()).max_by_key(|i| last_month(&parents[*i].plan)) {
                for m in months {
                    out.push(Edit::one(&parents[who].id, *m, PlanMonth::Plus));
                }
            }
        }
        _ => {}
    }
    merge(out)
}

/// Adjacent single-month edits of one parent and kind as one range.
fn merge(edits: Vec<Edit>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    let mut sorted = edits;
    sorted.sort_by(|a, b| (&a.parent, a.first).cmp(&(&b.parent, b.first)));
    for e in sorted {
        match out.last_mut() {
            Some(prev)
                if prev.parent == e.parent && prev.kind == e.kind && prev.last + 1 == e.first =>
            {
                prev.last = e.last;
            }
            _ => out.push(e),
        }
    }
    out
}
