//! The month plan of both parents checked against § 4 BEEG (with §§ 4a–4c): reported as
//! `plan_problems`, never silently corrected.

use rust_decimal::Decimal;

use super::birth_params::PlanParams;
use super::messages;
use crate::explain::{Trace, reason};
use elternkit_model::{Case, ElterngeldParent, Localized, Parent, PlanMonth, PlanProblem, Value};

fn problem(code: &str, citation: &str, months: Vec<u32>, de: String, en: String) -> PlanProblem {
    PlanProblem {
        code: code.to_string(),
        citation: citation.to_string(),
        lebensmonate: months,
        message_de: de,
        message_en: en,
    }
}

/// Why one parent of a couple may claim the partner months alone (§ 4c Abs. 1 Nr. 2, 3 BEEG).
/// The case format cannot say this; the planner's request can (`elternkit.plan-request/1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoleCareGround {
    /// Care by the other parent would endanger the child (§ 1666 Abs. 1, 2 BGB; Nr. 2).
    ChildEndangered,
    /// Care by the other parent is impossible, e.g. by severe illness (Nr. 3).
    CareImpossible,
}

/// What the plan check needs beyond the case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanContext {
    /// The parent (by id) who may claim alone as a single parent could, and why.
    pub sole_care: Option<(String, SoleCareGround)>,
}

/// The Lebensmonate (1-based, ascending) in which `parent` receives Mutterschaftsleistungen
/// from the birth on: they count as that parent's Basiselterngeld months (§ 4 Abs. 4 S. 3
/// BEEG), whatever the plan says.
pub fn maternity_lebensmonate(case: &Case, parent: &Parent) -> Vec<u32> {
    let Some(m) = &parent.maternity_benefit else {
        return Vec::new();
    };
    let birth = case.child.birth_date;
    if m.until < birth {
        return Vec::new();
    }
    (1..=super::lebensmonat_of(birth, m.until).min(64)).collect()
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

/// A problem's text from its pieces, in one allocation of its size: the `format!` machinery
/// cost more than the rest of a reported problem (the common ones are built so).
fn text(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// A number as `Display` writes it, on the stack.
struct Digits {
    buf: [u8; 24],
    start: usize,
}

impl Digits {
    fn of(n: u32) -> Self {
        Self::with_fraction(u64::from(n), None)
    }

    /// The months used (whole or half: scale 0 or 1) as `Decimal`'s `Display` writes them,
    /// `16.0` included; other values through `Display` itself.
    fn of_decimal(value: Decimal) -> Shown {
        let mantissa = u64::try_from(value.mantissa()).ok();
        match (value.scale(), mantissa) {
            (0, Some(m)) => Shown::Digits(Self::with_fraction(m, None)),
            (1, Some(m)) => Shown::Digits(Self::with_fraction(m / 10, Some(m % 10))),
            _ => Shown::Text(value.to_string()),
        }
    }

    fn with_fraction(mut n: u64, fraction: Option<u64>) -> Self {
        let mut out = Digits {
            buf: [b'0'; 24],
            start: 24,
        };
        if let Some(f) = fraction {
            out.start -= 2;
            out.buf[out.start] = b'.';
            out.buf[out.start + 1] = b'0' + (f % 10) as u8;
        }
        loop {
            out.start -= 1;
            out.buf[out.start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out
    }

    fn as_str(&self) -> &str {
        // ASCII digits and a point only: always UTF-8.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or("")
    }
}

/// A decimal as its text: [`Digits`] where they can write it.
enum Shown {
    Digits(Digits),
    Text(String),
}

impl Shown {
    fn as_str(&self) -> &str {
        match self {
            Shown::Digits(d) => d.as_str(),
            Shown::Text(t) => t,
        }
    }
}

/// A set of Lebensmonate 1 to 64 (a validated plan has no more), a bit each: the checks below
/// are set operations, and a list is made only for a problem that is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct MonthSet(u64);

impl MonthSet {
    /// The Lebensmonate of `plan` whose kind satisfies `pred`.
    fn of(plan: &[PlanMonth], pred: impl Fn(PlanMonth) -> bool) -> Self {
        let mut bits = 0u64;
        for (i, m) in plan.iter().enumerate().take(64) {
            if pred(*m) {
                bits |= 1 << i;
            }
        }
        MonthSet(bits)
    }

    /// Lebensmonate `first` to `last`: the bits below `last` without those below `first`
    /// (a mask, where setting the bits one by one was most of a range).
    fn range(first: u32, last: u32) -> Self {
        let (first, last) = (first.max(1), last.min(64));
        if first > last {
            return MonthSet(0);
        }
        // Bits 0 to n − 1; n = 64 is every bit.
        let below = |n: u32| 1u64.checked_shl(n).map_or(u64::MAX, |b| b - 1);
        MonthSet(below(last) & !below(first - 1))
    }

    fn len(self) -> u32 {
        self.0.count_ones()
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn union(self, other: Self) -> Self {
        MonthSet(self.0 | other.0)
    }

    fn intersection(self, other: Self) -> Self {
        MonthSet(self.0 & other.0)
    }

    fn minus(self, other: Self) -> Self {
        MonthSet(self.0 & !other.0)
    }

    /// The Lebensmonate after `month`.
    fn after(self, month: u32) -> Self {
        self.minus(MonthSet::range(1, month))
    }

    /// The Lebensmonate in ascending order.
    fn iter(self) -> impl Iterator<Item = u32> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let month = bits.trailing_zeros();
            // Clear the lowest set bit; none left at 64.
            (month < 64).then(|| {
                bits &= bits - 1;
                month + 1
            })
        })
    }

    /// Without holes between the first and the last month.
    fn is_consecutive(self) -> bool {
        let shifted = self.0 >> self.0.trailing_zeros().min(63);
        shifted & shifted.wrapping_add(1) == 0
    }

    fn to_vec(self) -> Vec<u32> {
        let mut months = Vec::with_capacity(self.len() as usize);
        months.extend(self.iter());
        months
    }
}

/// Whether the gross of Lebensmonat `i + 1` (`gross_income_after_birth`, none when not given)
/// is below the monthly average of the wages and profits of the Bemessungszeitraum (§ 4 Abs. 3
/// S. 2 BEEG); `None` without any earnings before the birth, when nothing can be reduced.
pub fn earnings_reduced_by_lebensmonat(parent: &Parent) -> Option<impl Fn(usize) -> bool + '_> {
    let earned: Decimal = parent
        .activities_before_birth
        .iter()
        .map(|a| {
            let active = a.months_active.iter().filter(|m| **m).count();
            a.monthly_income.max(Decimal::ZERO) * Decimal::from(active)
        })
        .sum();
    let before = earned / Decimal::from(12);
    (before > Decimal::ZERO).then_some(move |i: usize| {
        let after = parent
            .gross_income_after_birth
            .as_ref()
            .and_then(|v| v.get(i))
            .map_or(Decimal::ZERO, |m| m.0);
        after < before
    })
}

/// Whether the parent's income from employment is reduced in at least `months` Lebensmonate
/// (§ 4 Abs. 3 S. 2, § 4c Abs. 1 Nr. 1 BEEG): Lebensmonate in which the parent draws
/// Elterngeld with a gross income (`gross_income_after_birth`, none when not given) below the
/// monthly average of the wages and profits of the Bemessungszeitraum. Without any earnings
/// before the birth nothing can be reduced (LSG Baden-Württemberg L 11 EG 5027/11).
pub fn income_reduced(parent: &Parent, months: u32) -> bool {
    let Some(reduced_in) = earnings_reduced_by_lebensmonat(parent) else {
        return false;
    };
    let reduced = parent
        .plan
        .iter()
        .enumerate()
        .filter(|(i, m)| **m != PlanMonth::None && reduced_in(*i))
        .count();
    u32::try_from(reduced).unwrap_or(u32::MAX) >= months
}

/// The parents who, as single parents, draw what § 4c BEEG gives one parent alone: more
/// Basis months than one parent may take (the partner months, § 4c Abs. 1), or the
/// Partnerschaftsbonus without the other parent (§ 4c Abs. 2). Each must declare which
/// ground of § 4c Abs. 1 Nr. 1–3 applies.
pub fn single_parent_claims(case: &Case, pp: &PlanParams) -> Vec<String> {
    if !(case.household.single_parent || case.parents.len() == 1) {
        return Vec::new();
    }
    let per_parent_max = Decimal::from(pp.basis_max_per_parent + premature_extra_months(case, pp));
    let claiming = case
        .parents
        .iter()
        .filter(|pa| pa.plan.iter().any(|m| *m != PlanMonth::None))
        .count();
    case.parents
        .iter()
        .filter(|parent| {
            let count = |kind: PlanMonth| parent.plan.iter().filter(|m| **m == kind).count();
            let used = Decimal::from(count(PlanMonth::Basis))
                + Decimal::from(count(PlanMonth::Plus)) / Decimal::TWO;
            used > per_parent_max || (count(PlanMonth::Bonus) > 0 && claiming == 1)
        })
        .map(|p| p.id.clone())
        .collect()
}

/// Checks the joint plan; `reduced_months` is the number of Lebensmonate with reduced income
/// that the partner months need (§ 4 Abs. 3 S. 2 BEEG).
pub fn check(
    case: &Case,
    pp: &PlanParams,
    reduced_months: u32,
    context: &PlanContext,
) -> Vec<PlanProblem> {
    let mut out = Vec::new();
    // § 4 Abs. 4 S. 3 BEEG: months with Mutterschaftsleistungen are the mother's Basis months;
    // the rest of the check counts them so, whatever was planned.
    let mut effective: Vec<Parent> = Vec::new();
    for parent in &case.parents {
        let months = maternity_lebensmonate(case, parent);
        let off: Vec<u32> = months
            .iter()
            .copied()
            .filter(|m| parent.plan.get(*m as usize - 1) != Some(&PlanMonth::Basis))
            .collect();
        if off.is_empty() {
            continue;
        }
        out.push(problem(
            "maternity_months_are_basis",
            "§ 4 Abs. 4 S. 3 BEEG",
            off.clone(),
            format!(
                "{}: Lebensmonate mit Mutterschaftsleistungen gelten als Monate mit Basiselterngeld; als Basis planen",
                parent.id
            ),
            format!(
                "{}: Lebensmonate with Mutterschaftsleistungen count as Basiselterngeld months; plan them as Basis",
                parent.id
            ),
        ));
        let mut p = parent.clone();
        let last = months.last().map_or(0, |m| *m as usize);
        if p.plan.len() < last {
            p.plan.resize(last, PlanMonth::None);
        }
        for m in &months {
            p.plan[*m as usize - 1] = PlanMonth::Basis;
        }
        effective.push(p);
    }
    if let Some((sole, ground)) = &context.sole_care {
        out.extend(other_parent_claims(case, sole, *ground));
    }
    let parents: Vec<&Parent> = case
        .parents
        .iter()
        .map(|pa| effective.iter().find(|e| e.id == pa.id).unwrap_or(pa))
        .collect();
    check_effective(case, &parents, pp, reduced_months, context, out)
}

/// § 4c Abs. 1 Nr. 2, 3 BEEG: the ground for one parent's sole claim is that care by the other
/// parent would endanger the child or is impossible; a parent who does not care for the child
/// has no claim (§ 1 Abs. 1 S. 1 Nr. 3 BEEG). So the other parent's planned months are a
/// problem, except months with Mutterschaftsleistungen, which count as that parent's Basis
/// months whatever is planned (§ 4 Abs. 4 S. 3 BEEG).
fn other_parent_claims(case: &Case, sole: &str, ground: SoleCareGround) -> Vec<PlanProblem> {
    let (citation, de_ground, en_ground) = match ground {
        SoleCareGround::ChildEndangered => (
            "§ 4c Abs. 1 Nr. 2 BEEG",
            "Betreuung durch den anderen Elternteil gefährdet das Kindeswohl",
            "care by the other parent would endanger the child",
        ),
        SoleCareGround::CareImpossible => (
            "§ 4c Abs. 1 Nr. 3 BEEG",
            "Betreuung durch den anderen Elternteil ist unmöglich",
            "care by the other parent is impossible",
        ),
    };
    let mut out = Vec::new();
    for parent in case.parents.iter().filter(|p| p.id != sole) {
        let maternity = maternity_lebensmonate(case, parent);
        let claimed: Vec<u32> = (1u32..)
            .zip(&parent.plan)
            .filter(|(m, kind)| **kind != PlanMonth::None && !maternity.contains(m))
            .map(|(m, _)| m)
            .collect();
        if claimed.is_empty() {
            continue;
        }
        out.push(problem(
            "other_parent_claims_under_sole_care",
            citation,
            claimed,
            format!(
                "{}: {sole} bezieht allein ({de_ground}); wer das Kind nicht selbst betreut, hat keinen Anspruch auf Elterngeld (§ 1 Abs. 1 S. 1 Nr. 3 BEEG)",
                parent.id
            ),
            format!(
                "{}: {sole} claims alone ({en_ground}); a parent who does not care for the child has no claim to Elterngeld (§ 1 Abs. 1 S. 1 Nr. 3 BEEG)",
                parent.id
            ),
        ));
    }
    out
}

fn check_effective(
    case: &Case,
    parents: &[&Parent],
    pp: &PlanParams,
    reduced_months: u32,
    context: &PlanContext,
    mut out: Vec<PlanProblem>,
) -> Vec<PlanProblem> {
    let extra = premature_extra_months(case, pp);
    let basis_last = pp.basis_last_lebensmonat + extra;
    // § 4 Abs. 5 S. 3 Nr. 1–4 c BEEG: after a premature birth ElterngeldPlus still ends with
    // Lebensmonat 32; only the Basis limit and the start of the gap rule move.
    let plus_last = pp.plus_last_lebensmonat;
    let per_parent_max = pp.basis_max_per_parent + extra;
    let joint = pp.basis_months_joint + extra;
    let partner = pp.partner_months;
    let min_months = pp.min_months_per_parent;
    let (bonus_min, bonus_max) = (pp.bonus_months_min, pp.bonus_months_max);
    let (hours_min, hours_max) = (pp.bonus_hours_min, pp.bonus_hours_max);

    let claiming: Vec<&Parent> = parents
        .iter()
        .copied()
        .filter(|pa| pa.plan.iter().any(|m| *m != PlanMonth::None))
        .collect();
    let sole = context.sole_care.as_ref();
    let single = case.household.single_parent || parents.len() == 1 || sole.is_some();
    let single_citation = match sole {
        Some((_, SoleCareGround::ChildEndangered)) => "§ 4c Abs. 1 Nr. 2 BEEG",
        Some((_, SoleCareGround::CareImpossible)) => "§ 4c Abs. 1 Nr. 3 BEEG",
        None => "§ 4c Abs. 1 Nr. 1 BEEG",
    };

    let mut joint_used = Decimal::ZERO;
    // Months in which some parent draws ElterngeldPlus or the Partnerschaftsbonus.
    let mut plus_or_bonus_any = MonthSet::default();
    for parent in &claiming {
        let basis = MonthSet::of(&parent.plan, |m| m == PlanMonth::Basis);
        let plus = MonthSet::of(&parent.plan, |m| m == PlanMonth::Plus);
        let bonus = MonthSet::of(&parent.plan, |m| m == PlanMonth::Bonus);
        plus_or_bonus_any = plus_or_bonus_any.union(plus).union(bonus);
        let late_basis = basis.after(basis_last);
        if !late_basis.is_empty() {
            out.push(problem(
                "basis_after_limit",
                "§ 4 Abs. 1 S. 3 BEEG",
                late_basis.to_vec(),
                text(&[
                    &parent.id,
                    ": Basiselterngeld nur bis zum ",
                    Digits::of(basis_last).as_str(),
                    ". Lebensmonat",
                ]),
                text(&[
                    &parent.id,
                    ": Basiselterngeld only up to Lebensmonat ",
                    Digits::of(basis_last).as_str(),
                ]),
            ));
        }
        let late = plus.union(bonus).after(plus_last);
        if !late.is_empty() {
            out.push(problem(
                "after_last_lebensmonat",
                "§ 4 Abs. 1 S. 4 BEEG",
                late.to_vec(),
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
        let used = Decimal::from(basis.len()) + Decimal::from(plus.len()) / Decimal::TWO;
        joint_used += used;
        let own_max = if single {
            per_parent_max + partner
        } else {
            per_parent_max
        };
        let partner_months_used = used > Decimal::from(per_parent_max);
        if single
            && partner_months_used
            && used <= Decimal::from(own_max)
            && !income_reduced(parent, reduced_months)
        {
            // § 4c Abs. 1 BEEG: a parent claiming alone gets the partner months only with
            // income reduced, as a single parent (Nr. 1) or where care by the other parent
            // would endanger the child or is impossible (Nr. 2, 3: `PlanContext`, since the
            // case format cannot say so).
            out.push(problem(
                "partner_months_without_income_reduction",
                single_citation,
                Vec::new(),
                format!(
                    "{}: {used} Basismonate (Plus zählt halb); die {partner} Partnermonate stehen einem allein erziehenden Elternteil nur zu, wenn sein Einkommen aus Erwerbstätigkeit in {reduced_months} Lebensmonaten gemindert ist; ohne Erwerbseinkommen vor der Geburt höchstens {per_parent_max}",
                    parent.id
                ),
                format!(
                    "{}: {used} Basis months (Plus counts half); a single parent gets the {partner} partner months only if their income from employment is reduced in {reduced_months} Lebensmonate; without earnings before the birth at most {per_parent_max}",
                    parent.id
                ),
            ));
        }
        if used > Decimal::from(own_max) {
            out.push(problem(
                "too_many_months_parent",
                if single {
                    "§ 4c BEEG"
                } else {
                    "§ 4 Abs. 4 S. 1 BEEG"
                },
                Vec::new(),
                text(&[
                    &parent.id,
                    ": ",
                    Digits::of_decimal(used).as_str(),
                    " Basismonate (Plus zählt halb), höchstens ",
                    Digits::of(own_max).as_str(),
                ]),
                text(&[
                    &parent.id,
                    ": ",
                    Digits::of_decimal(used).as_str(),
                    " Basis months (Plus counts half), at most ",
                    Digits::of(own_max).as_str(),
                ]),
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
            if !bonus.is_consecutive() || bonus.len() < bonus_min || bonus.len() > bonus_max {
                out.push(problem(
                    "partnerschaftsbonus_months",
                    "§ 4b Abs. 1 BEEG",
                    bonus.to_vec(),
                    format!("{}: Partnerschaftsbonus in {bonus_min} bis {bonus_max} aufeinanderfolgenden Lebensmonaten", parent.id),
                    format!("{}: Partnerschaftsbonus in {bonus_min} to {bonus_max} consecutive Lebensmonate", parent.id),
                ));
            }
            if let Some(hours) = &parent.weekly_hours_after_birth {
                let off: Vec<u32> = bonus
                    .iter()
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
            text(&[
                "Zusammen ",
                Digits::of_decimal(joint_used).as_str(),
                " Basismonate, höchstens ",
                Digits::of(joint_max).as_str(),
            ]),
            text(&[
                "Together ",
                Digits::of_decimal(joint_used).as_str(),
                " Basis months, at most ",
                Digits::of(joint_max).as_str(),
            ]),
        ));
    } else if !single
        && joint_used > Decimal::from(joint)
        && !parents.iter().any(|pa| income_reduced(pa, reduced_months))
    {
        // § 4 Abs. 3 S. 2 BEEG: the partner months need one parent whose income from
        // employment is reduced in two Lebensmonate.
        out.push(problem(
            "partner_months_without_income_reduction",
            "§ 4 Abs. 3 S. 2 BEEG",
            Vec::new(),
            format!("Zusammen {joint_used} Basismonate (Plus zählt halb); die {partner} Partnermonate stehen nur zu, wenn das Einkommen aus Erwerbstätigkeit eines Elternteils in {reduced_months} Lebensmonaten gemindert ist; ohne Erwerbseinkommen vor der Geburt höchstens {joint}"),
            format!("Together {joint_used} Basis months (Plus counts half); the {partner} partner months need a parent whose income from employment is reduced in {reduced_months} Lebensmonate; without earnings before the birth at most {joint}"),
        ));
    }
    if let [a, b] = claiming[..]
        && !single
    {
        let (a, b) = (&a.plan, &b.plan);
        let bonus_a = MonthSet::of(a, |m| m == PlanMonth::Bonus);
        let bonus_b = MonthSet::of(b, |m| m == PlanMonth::Bonus);
        if bonus_a != bonus_b {
            out.push(problem(
                "partnerschaftsbonus_not_parallel",
                "§ 4b Abs. 1 BEEG",
                bonus_a.union(bonus_b).to_vec(),
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
            let parallel = MonthSet::of(a, |m| m == PlanMonth::Basis)
                .intersection(MonthSet::of(b, |m| m == PlanMonth::Basis));
            if !exception
                && (Decimal::from(parallel.len()) > max_parallel
                    || !parallel.after(latest).is_empty())
            {
                out.push(problem(
                    "parallel_basis_months",
                    citation,
                    parallel.to_vec(),
                    text(&[
                        "Gleichzeitiges Basiselterngeld beider Eltern nur in einem Lebensmonat und nur bis zum ",
                        Digits::of(latest).as_str(),
                        ". Lebensmonat",
                    ]),
                    text(&[
                        "Both parents may draw Basiselterngeld at the same time in one Lebensmonat only, and only up to Lebensmonat ",
                        Digits::of(latest).as_str(),
                    ]),
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
        let last = u32::try_from(last + 1).unwrap_or(u32::MAX);
        let gaps = MonthSet::range(basis_last + 1, last).minus(plus_or_bonus_any);
        if !gaps.is_empty() {
            out.push(problem(
                "gap_after_month_14",
                "§ 4 Abs. 1 S. 4 BEEG",
                gaps.to_vec(),
                text(&[
                    "Ab dem ",
                    Digits::of(basis_last + 1).as_str(),
                    ". Lebensmonat muss mindestens ein Elternteil ohne Unterbrechung ElterngeldPlus beziehen",
                ]),
                text(&[
                    "From Lebensmonat ",
                    Digits::of(basis_last + 1).as_str(),
                    " on, at least one parent must draw ElterngeldPlus without a gap",
                ]),
            ));
        }
    }
    out
}

/// A plan with `problems` is not paid as planned (issue 22): every claiming parent's months
/// and total become 0.00, with a `plan_not_payable` reason that names the statutes broken.
/// The amounts the plan would give are the planner's business (`elternkit-planner`), which
/// shows them beside the problems and their fixes.
pub fn withhold(parents: &mut [ElterngeldParent], problems: &[PlanProblem], trace: &mut Trace) {
    let mut citations: Vec<&str> = problems.iter().map(|p| p.citation.as_str()).collect();
    citations.sort_unstable();
    citations.dedup();
    let citations = citations.join(", ");
    for parent in parents.iter_mut().filter(|p| !p.months.is_empty()) {
        for m in &mut parent.months {
            m.amount = Decimal::ZERO;
        }
        parent.total = Decimal::ZERO;
        let message = Localized::new(
            &messages::PLAN_NOT_PAYABLE,
            [
                ("parent", Value::text(&parent.id)),
                ("citations", Value::text(&citations)),
            ],
        );
        trace.step(
            "elterngeld.plan_not_payable",
            "§ 4 BEEG",
            &["citations"],
            || (Value::Money(Decimal::ZERO), message.clone()),
        );
        parent
            .reasons
            .push(reason("plan_not_payable", "§ 4 BEEG", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_sets_compute_what_the_lists_did() {
        use PlanMonth::{Basis as B, Bonus as X, None as N, Plus as P};
        let plan = [B, B, N, P, P, X, X, N, X];
        let basis = MonthSet::of(&plan, |m| m == B);
        let bonus = MonthSet::of(&plan, |m| m == X);
        assert_eq!(basis.to_vec(), [1, 2]);
        assert_eq!(bonus.to_vec(), [6, 7, 9]);
        assert_eq!(bonus.len(), 3);
        assert!(!bonus.is_consecutive());
        assert!(MonthSet::of(&plan[..8], |m| m == X).is_consecutive());
        assert!(basis.is_consecutive());
        assert!(MonthSet::default().is_consecutive());
        assert_eq!(bonus.after(6).to_vec(), [7, 9]);
        assert_eq!(basis.union(bonus).to_vec(), [1, 2, 6, 7, 9]);
        assert_eq!(MonthSet::range(3, 5).minus(bonus).to_vec(), [3, 4, 5]);
        assert_eq!(MonthSet::range(0, 70).len(), 64);
        assert_eq!(MonthSet::range(5, 4).len(), 0);
        // Month 64 is the last one a set holds; a longer plan is cut there.
        let long = [B; 70];
        assert_eq!(MonthSet::of(&long, |m| m == B).iter().last(), Some(64));
        assert!(MonthSet::of(&long, |m| m == B).is_consecutive());
    }

    /// The numbers of the problem texts are what `Display` writes: every u32 up to 100 000
    /// and the largest, the months used (whole and half, scale 0 and 1, "16.0" included) and
    /// decimals `Digits` leaves to `Display`.
    #[test]
    fn digits_are_display() {
        for n in (0..100_000u32).chain([u32::MAX, 999_999_999, 1_000_000_000]) {
            assert_eq!(Digits::of(n).as_str(), n.to_string());
        }
        let two = Decimal::TWO;
        for basis in 0..40u32 {
            for plus in 0..40u32 {
                let used = Decimal::from(basis) + Decimal::from(plus) / two;
                let joint = used + Decimal::from(plus) / two;
                for value in [used, joint] {
                    assert_eq!(Digits::of_decimal(value).as_str(), value.to_string());
                }
            }
        }
        for text in [
            "16.0",
            "0.5",
            "7.25",
            "-1.5",
            "0.000",
            "123456789012345678901.5",
        ] {
            let value: Decimal = text.parse().unwrap();
            assert_eq!(
                Digits::of_decimal(value).as_str(),
                value.to_string(),
                "{text}"
            );
        }
    }

    /// Ranges as masks and the months of a set by their lowest bits are the month-by-month
    /// reading: every range within 0 to 70, and the sets those ranges and their gaps make.
    #[test]
    fn month_set_masks_are_month_by_month() {
        for first in 0..=70u32 {
            for last in 0..=70u32 {
                let by_month =
                    (first.max(1)..=last.min(64)).fold(0u64, |bits, m| bits | 1 << (m - 1));
                let set = MonthSet::range(first, last);
                assert_eq!(set.0, by_month, "{first}..={last}");
                let listed: Vec<u32> = (0..64u32)
                    .filter(|i| set.0 & 1 << i != 0)
                    .map(|i| i + 1)
                    .collect();
                assert_eq!(set.to_vec(), listed);
                let gaps = MonthSet(!set.0 ^ 0x5555);
                let listed: Vec<u32> = (0..64u32)
                    .filter(|i| gaps.0 & 1 << i != 0)
                    .map(|i| i + 1)
                    .collect();
                assert_eq!(gaps.to_vec(), listed);
            }
        }
    }
}
