//! The month plan of both parents checked against § 4 BEEG (with §§ 4a–4c): reported as
//! `plan_problems`, never silently corrected.

use rust_decimal::Decimal;

use crate::model::{Case, ElterngeldParent, PlanMonth, PlanProblem};
use crate::rules::RulesError;
use crate::rules::params::params;

fn problem(code: &str, citation: &str, months: Vec<u32>, de: String, en: String) -> PlanProblem {
    PlanProblem {
        code: code.to_string(),
        citation: citation.to_string(),
        lebensmonate: months,
        message_de: de,
        message_en: en,
    }
}

/// Extra Basis months for a premature birth (§ 4 Abs. 5 BEEG).
pub fn premature_extra_months(case: &Case) -> Result<u32, RulesError> {
    let Some(expected) = case.child.expected_birth_date else {
        return Ok(0);
    };
    let birth = case.child.birth_date;
    let days = birth.until(expected).map(|s| s.get_days()).unwrap_or(0);
    let weeks = days / 7;
    let p = params();
    let key = match weeks {
        w if w >= 16 => "eg.premature.extra_months_16w",
        w if w >= 12 => "eg.premature.extra_months_12w",
        w if w >= 8 => "eg.premature.extra_months_8w",
        w if w >= 6 => "eg.premature.extra_months_6w",
        _ => return Ok(0),
    };
    Ok(p.whole(key, birth)?.0)
}

/// Checks the joint plan.
pub fn check(case: &Case, _results: &[ElterngeldParent]) -> Result<Vec<PlanProblem>, RulesError> {
    let p = params();
    let birth = case.child.birth_date;
    let extra = premature_extra_months(case)?;
    let basis_last = p.whole("eg.basis.last_life_month", birth)?.0 + extra;
    let plus_last = p.whole("eg.plus.last_life_month", birth)?.0 + extra;
    let per_parent_max = p.whole("eg.basis.max_months_per_parent", birth)?.0 + extra;
    let joint = p.whole("eg.basis.months_joint", birth)?.0 + extra;
    let partner = p.whole("eg.basis.partner_months", birth)?.0;
    let min_months = p.whole("eg.min_months_per_parent", birth)?.0;
    let bonus_min = p.whole("eg.partnerschaftsbonus.months_min", birth)?.0;
    let bonus_max = p.whole("eg.partnerschaftsbonus.months_max", birth)?.0;
    let hours_min = p.decimal("eg.partnerschaftsbonus.hours_min", birth)?.0;
    let hours_max = p.decimal("eg.partnerschaftsbonus.hours_max", birth)?.0;

    let claiming: Vec<_> = case
        .parents
        .iter()
        .filter(|pa| pa.plan.iter().any(|m| *m != PlanMonth::None))
        .collect();
    let single = case.household.single_parent || case.parents.len() == 1;
    let mut out = Vec::new();
    let lm = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);

    let mut joint_used = Decimal::ZERO;
    for parent in &claiming {
        let basis: Vec<u32> = months_of(&parent.plan, |m| m == PlanMonth::Basis);
        let plus: Vec<u32> = months_of(&parent.plan, |m| m == PlanMonth::Plus);
        let bonus: Vec<u32> = months_of(&parent.plan, |m| m == PlanMonth::Bonus);
        let late_basis: Vec<u32> = basis.iter().copied().filter(|m| *m > basis_last).collect();
        if !late_basis.is_empty() {
            out.push(problem(
                "basis_after_limit",
                "§ 4 Abs. 1 S. 3 BEEG",
                late_basis,
                format!(
                    "{}: Basiselterngeld nur bis zum {basis_last}. Lebensmonat",
                    parent.id
                ),
                format!(
                    "{}: Basiselterngeld only up to Lebensmonat {basis_last}",
                    parent.id
                ),
            ));
        }
        let late: Vec<u32> = plus
            .iter()
            .chain(&bonus)
            .copied()
            .filter(|m| *m > plus_last)
            .collect();
        if !late.is_empty() {
            out.push(problem(
                "after_last_lebensmonat",
                "§ 4 Abs. 1 S. 4 BEEG",
                late,
                format!(
                    "{}: Elterngeld nur bis zum {plus_last}. Lebensmonat",
                    parent.id
                ),
                format!(
                    "{}: Elterngeld only up to Lebensmonat {plus_last}",
                    parent.id
                ),
            ));
        }
        let used =
            Decimal::from(basis.len() as u64) + Decimal::from(plus.len() as u64) / Decimal::TWO;
        joint_used += used;
        let own_max = if single {
            per_parent_max + partner
        } else {
            per_parent_max
        };
        if used > Decimal::from(own_max) {
            out.push(problem(
                "too_many_months_parent",
                if single {
                    "§ 4c BEEG"
                } else {
                    "§ 4 Abs. 4 S. 1 BEEG"
                },
                Vec::new(),
                format!(
                    "{}: {used} Basismonate (Plus zählt halb), höchstens {own_max}",
                    parent.id
                ),
                format!(
                    "{}: {used} Basis months (Plus counts half), at most {own_max}",
                    parent.id
                ),
            ));
        }
        let months_taken = parent
            .plan
            .iter()
            .filter(|m| **m != PlanMonth::None)
            .count();
        if (months_taken as u32) < min_months {
            out.push(problem(
                "too_few_months",
                "§ 4 Abs. 4 S. 2 BEEG",
                Vec::new(),
                format!("{}: mindestens {min_months} Lebensmonate", parent.id),
                format!("{}: at least {min_months} Lebensmonate", parent.id),
            ));
        }
        if !bonus.is_empty() {
            let consecutive = bonus.windows(2).all(|w| w[1] == w[0] + 1);
            if !consecutive || (bonus.len() as u32) < bonus_min || (bonus.len() as u32) > bonus_max
            {
                out.push(problem(
                    "partnerschaftsbonus_months",
                    "§ 4b Abs. 1 BEEG",
                    bonus.clone(),
                    format!("{}: Partnerschaftsbonus in {bonus_min} bis {bonus_max} aufeinanderfolgenden Lebensmonaten", parent.id),
                    format!("{}: Partnerschaftsbonus in {bonus_min} to {bonus_max} consecutive Lebensmonate", parent.id),
                ));
            }
            if let Some(hours) = &parent.weekly_hours_after_birth {
                let off: Vec<u32> = bonus
                    .iter()
                    .copied()
                    .filter(|m| {
                        let h = hours.get(*m as usize - 1).copied().unwrap_or(Decimal::ZERO);
                        h < hours_min || h > hours_max
                    })
                    .collect();
                if !off.is_empty() {
                    out.push(problem(
                        "partnerschaftsbonus_hours",
                        "§ 4b Abs. 1 Nr. 1 BEEG",
                        off,
                        format!("{}: im Partnerschaftsbonus {hours_min} bis {hours_max} Wochenstunden", parent.id),
                        format!("{}: {hours_min} to {hours_max} hours a week during the Partnerschaftsbonus", parent.id),
                    ));
                }
            }
        }
    }
    let joint_max = joint + partner;
    if !single && joint_used > Decimal::from(joint_max) {
        out.push(problem(
            "too_many_months",
            "§ 4 Abs. 3 BEEG",
            Vec::new(),
            format!("Zusammen {joint_used} Basismonate, höchstens {joint_max}"),
            format!("Together {joint_used} Basis months, at most {joint_max}"),
        ));
    }
    if claiming.len() == 2 && !single {
        let (a, b) = (&claiming[0].plan, &claiming[1].plan);
        let bonus_a = months_of(a, |m| m == PlanMonth::Bonus);
        let bonus_b = months_of(b, |m| m == PlanMonth::Bonus);
        if bonus_a != bonus_b {
            let mut diff: Vec<u32> = bonus_a.iter().chain(&bonus_b).copied().collect();
            diff.sort_unstable();
            diff.dedup();
            out.push(problem(
                "partnerschaftsbonus_not_parallel",
                "§ 4b Abs. 1 BEEG",
                diff,
                "Beide Eltern beziehen den Partnerschaftsbonus in denselben Lebensmonaten".into(),
                "Both parents draw the Partnerschaftsbonus in the same Lebensmonate".into(),
            ));
        }
        // Parallel Basis months for births from 2024-04-01 (§ 4 Abs. 6).
        if let Ok((max_parallel, citation)) = p.decimal("eg.parallel_basis.max_months", birth) {
            let latest = p.whole("eg.parallel_basis.latest_life_month", birth)?.0;
            let exception = extra > 0
                || case.child.count > 1
                || case.child.disability
                || case.siblings.iter().any(|s| s.disability);
            let parallel: Vec<u32> = (0..a.len().min(b.len()))
                .filter(|i| a[*i] == PlanMonth::Basis && b[*i] == PlanMonth::Basis)
                .map(lm)
                .collect();
            if !exception
                && (Decimal::from(parallel.len() as u64) > max_parallel
                    || parallel.iter().any(|m| *m > latest))
            {
                out.push(problem(
                    "parallel_basis_months",
                    citation,
                    parallel,
                    format!("Gleichzeitiges Basiselterngeld beider Eltern nur in einem Lebensmonat und nur bis zum {latest}. Lebensmonat"),
                    format!("Both parents may draw Basiselterngeld at the same time in one Lebensmonat only, and only up to Lebensmonat {latest}"),
                ));
            }
        }
    }
    // From the month after the last Basis month on, ElterngeldPlus without gaps (§ 4 Abs. 1 S. 4).
    let last_planned = claiming
        .iter()
        .filter_map(|pa| pa.plan.iter().rposition(|m| *m != PlanMonth::None))
        .max();
    if let Some(last) = last_planned {
        let gaps: Vec<u32> = (basis_last as usize..=last)
            .filter(|i| {
                !claiming
                    .iter()
                    .any(|pa| matches!(pa.plan.get(*i), Some(PlanMonth::Plus | PlanMonth::Bonus)))
            })
            .map(lm)
            .collect();
        if !gaps.is_empty() {
            out.push(problem(
                "gap_after_month_14",
                "§ 4 Abs. 1 S. 4 BEEG",
                gaps,
                format!("Ab dem {}. Lebensmonat muss mindestens ein Elternteil ohne Unterbrechung ElterngeldPlus beziehen", basis_last + 1),
                format!("From Lebensmonat {} on, at least one parent must draw ElterngeldPlus without a gap", basis_last + 1),
            ));
        }
    }
    Ok(out)
}

fn months_of(plan: &[PlanMonth], pred: impl Fn(PlanMonth) -> bool) -> Vec<u32> {
    plan.iter()
        .enumerate()
        .filter(|(_, m)| pred(**m))
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect()
}
