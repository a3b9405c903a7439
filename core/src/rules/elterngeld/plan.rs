//! The month plan of both parents checked against § 4 BEEG (with §§ 4a–4c): reported as
//! `plan_problems`, never silently corrected.

use rust_decimal::Decimal;

use super::birth_params::PlanParams;
use crate::model::{Case, PlanMonth, PlanProblem};

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
pub fn premature_extra_months(case: &Case, pp: &PlanParams) -> u32 {
    let Some(expected) = case.child.expected_birth_date else {
        return 0;
    };
    let birth = case.child.birth_date;
    let days = birth.until(expected).map(|s| s.get_days()).unwrap_or(0);
    let [six, eight, twelve, sixteen] = pp.premature_extra_months;
    match days / 7 {
        w if w >= 16 => sixteen,
        w if w >= 12 => twelve,
        w if w >= 8 => eight,
        w if w >= 6 => six,
        _ => 0,
    }
}

/// Checks the joint plan.
pub fn check(case: &Case, pp: &PlanParams) -> Vec<PlanProblem> {
    let extra = premature_extra_months(case, pp);
    let basis_last = pp.basis_last_lebensmonat + extra;
    let plus_last = pp.plus_last_lebensmonat + extra;
    let per_parent_max = pp.basis_max_per_parent + extra;
    let joint = pp.basis_months_joint + extra;
    let partner = pp.partner_months;
    let min_months = pp.min_months_per_parent;
    let (bonus_min, bonus_max) = (pp.bonus_months_min, pp.bonus_months_max);
    let (hours_min, hours_max) = (pp.bonus_hours_min, pp.bonus_hours_max);

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
        if let Some((max_parallel, citation, latest)) = pp.parallel_basis {
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
    out
}

fn months_of(plan: &[PlanMonth], pred: impl Fn(PlanMonth) -> bool) -> Vec<u32> {
    plan.iter()
        .enumerate()
        .filter(|(_, m)| pred(**m))
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect()
}
