//! Elterngeld (BEEG) for births from 2022-01-01: eligibility (§ 1), Bemessungszeitraum
//! (§ 2b), Elterngeld-Netto (§§ 2c–2f), Ersatzrate and amounts (§ 2), supplements (§ 2a),
//! offsetting of Mutterschaftsleistungen (§ 3), ElterngeldPlus and Partnerschaftsbonus
//! (§§ 4a, 4b), the month plan of § 4 and the retroactive limit of § 7.

mod birth_params;
mod bmz;
pub mod income;
mod messages;
mod plan;

pub use birth_params::PlanParams as PlanLimits;
pub use plan::{
    PlanContext, SoleCareGround, earnings_reduced_by_lebensmonat, maternity_lebensmonate,
    premature_extra_months,
};

use jiff::ToSpan;
use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::explain::{Trace, reason};
use crate::params::{At, params};
use crate::residence::{
    ConditionOutcome, TitleStatus, employment_condition, has_free_movement, residence_title,
};
use crate::{CalcOptions, RulesError};
use elternkit_model::{
    Activity, ActivityKind, Case, ElterngeldMonth, ElterngeldParent, ElterngeldResult,
    IncomeAfterBirth, IncomeFigures, Localized, Parent, PlanMonth, PlanProblem, Reason, Template,
    Value, YearMonth,
};

use birth_params::{BirthParams, ErsatzrateParams, SiblingParams};
use income::{
    Insurance, MonthIncome, MonthLimits, NetParams, Period, TaxFeatures, cent, div_round,
    is_positive, net_of, non_negative, whole_cents,
};

/// The highest Lebensmonat with any Elterngeld (§ 4 Abs. 1 S. 4 BEEG).
const LAST_LEBENSMONAT: usize = 32;

/// Elterngeld for every parent of the case, and the § 4 problems of their joint plan, with
/// the explanation.
pub fn compute(case: &Case) -> Result<ElterngeldResult, RulesError> {
    compute_with(case, CalcOptions::default())
}

/// [`compute`] with options.
pub fn compute_with(case: &Case, options: CalcOptions) -> Result<ElterngeldResult, RulesError> {
    let birth = case.child.birth_date;
    if birth < FIRST_BIRTH {
        return Err(RulesError::Unsupported {
            path: "child.birth_date".into(),
            message: "Elterngeld is computed for births from 2022-01-01 on".into(),
        });
    }
    let bp = BirthParams::for_birth(birth)?;
    let np = &bp.net;
    // One step for the PAP, up to seven per parent (Bemessungszeitraum, three nets, rate,
    // amounts, total), and one per Lebensmonat with Mutterschaftsleistungen (two or three).
    let mut trace = Trace::new(options.explanations, 1 + 10 * case.parents.len());
    let (pap_file, _) = np.pap.source();
    trace.step(
        "elterngeld.pap_version",
        "§ 2e Abs. 1 BEEG",
        &["birth_date"],
        || {
            (
                Value::Text(np.pap.name().into()),
                Localized::new(
                    &messages::PAP_VERSION,
                    [
                        ("birth_date", Value::Date(birth)),
                        ("pap_file", Value::Text(pap_file.into())),
                    ],
                ),
            )
        },
    );
    let mut parents = Vec::with_capacity(case.parents.len());
    for parent in &case.parents {
        parents.push(parent_result(case, parent, bp, &mut trace)?);
    }
    let plan_problems = plan::check(
        case,
        &bp.plan,
        bp.partner_reduced_lebensmonate,
        &PlanContext::default(),
    );
    let payable = plan_problems.is_empty();
    if !payable {
        plan::withhold(&mut parents, &plan_problems, &mut trace);
    }
    Ok(ElterngeldResult {
        parents,
        plan_problems,
        payable,
        explanation: trace.into_steps(),
    })
}

/// The parents who claim as single parents what § 4c BEEG allows one parent alone (the
/// partner months, or the Partnerschaftsbonus without the other parent): the application
/// needs their declaration of the § 4c Abs. 1 ground. Empty when the birth date has no
/// parameters (the rules report that themselves).
pub fn single_parent_claims(case: &Case) -> Vec<String> {
    BirthParams::for_birth(case.child.birth_date)
        .map(|bp| plan::single_parent_claims(case, &bp.plan))
        .unwrap_or_default()
}

/// The § 4 limits for a child born on `birth` (Basis and Plus months, budgets, bonus).
pub fn plan_limits(birth: Date) -> Result<PlanLimits, RulesError> {
    Ok(BirthParams::for_birth(birth)?.plan.clone())
}

/// The § 4 problems of the case's joint plan under `limits` (usually [`plan_limits`]), as
/// [`compute`] reports them, with what the case format cannot say in `context`.
pub fn check_plan(
    case: &Case,
    limits: &PlanLimits,
    context: &PlanContext,
) -> Result<Vec<PlanProblem>, RulesError> {
    let reduced_months = params()
        .whole(
            "eg.partner_months.reduced_lebensmonate",
            At::BirthDate(case.child.birth_date),
        )?
        .0;
    Ok(plan::check(case, limits, reduced_months, context))
}

/// Elterngeld of `case.parents[index]` for that parent's own plan, without explanation and
/// without the joint § 4 check: the amounts the plan gives if it is valid (the planner shows
/// them beside the problems; [`compute`] withholds them while a problem remains).
pub fn parent_elterngeld(case: &Case, index: usize) -> Result<ElterngeldParent, RulesError> {
    let parent = case
        .parents
        .get(index)
        .ok_or_else(|| RulesError::Unsupported {
            path: "parents".into(),
            message: format!("no parent {index}"),
        })?;
    if case.child.birth_date < FIRST_BIRTH {
        return Err(RulesError::Unsupported {
            path: "child.birth_date".into(),
            message: "Elterngeld is computed for births from 2022-01-01 on".into(),
        });
    }
    let bp = BirthParams::for_birth(case.child.birth_date)?;
    parent_result(case, parent, bp, &mut Trace::new(false, 0))
}

/// The Lebensmonate of `case.parents[index]` with income after the birth (bit i: Lebensmonat
/// i + 1, up to 32), in classes of months that enter the § 2 Abs. 3 BEEG average alike: the
/// same gross on the same side of their calendar month's Minijob limit and Übergangsbereich,
/// and within the Übergangsbereich the same limits and factor F (the reduced contribution base
/// of § 2f Abs. 2 S. 3 BEEG depends on them; elsewhere the limits enter only through that
/// side). A variant's Elterngeld-Netto averages its months' figures, so it depends
/// only on how many months of each class the variant has; with one class, only on whether it
/// has any. The planner's optimizer then treats those months as months of a fixed amount.
pub fn income_after_classes(case: &Case, index: usize) -> Result<Vec<u64>, RulesError> {
    let parent = case
        .parents
        .get(index)
        .ok_or_else(|| RulesError::Unsupported {
            path: "parents".into(),
            message: format!("no parent {index}"),
        })?;
    let Some(gross) = &parent.gross_income_after_birth else {
        return Ok(Vec::new());
    };
    let months = gross.len().min(LAST_LEBENSMONAT);
    let starts = lebensmonat_starts(case.child.birth_date, months)?;
    let mut classes: Vec<([Decimal; 4], u64)> = Vec::new();
    for (i, g) in gross.iter().take(months).enumerate() {
        if !is_positive(g.0) {
            continue;
        }
        let l = MonthLimits::for_month(YearMonth::of(starts[i]))?;
        let key = if g.0 <= l.minijob {
            [g.0, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO]
        } else if g.0 > l.midijob_upper {
            [g.0, Decimal::ONE, Decimal::ZERO, Decimal::ZERO]
        } else {
            [g.0, l.minijob, l.midijob_upper, l.factor_f]
        };
        match classes.iter_mut().find(|(k, _)| *k == key) {
            Some((_, bits)) => *bits |= 1 << i,
            None => classes.push((key, 1 << i)),
        }
    }
    Ok(classes.into_iter().map(|(_, bits)| bits).collect())
}

/// `a > b`; hours (mostly whole numbers) and wages against limits (two decimals) have the
/// same scale on both sides, which compare as integers where the general comparison aligns
/// scales first.
fn greater(a: Decimal, b: Decimal) -> bool {
    if a.scale() == b.scale() {
        a.mantissa() > b.mantissa()
    } else {
        a > b
    }
}

/// The first birth day the rules compute Elterngeld for.
const FIRST_BIRTH: Date = Date::constant(2022, 1, 1);

/// The first day of Lebensmonat `k` (1-based), the day after Lebensmonat `k − 1` ends.
///
/// Lebensmonate are periods counted from the birth day (§ 4 Abs. 1 S. 1 BEEG; § 26 Abs. 1
/// BEEG with § 26 Abs. 1 SGB X: §§ 187–193 BGB). The birth day counts (§ 187 Abs. 2 BGB), so
/// Lebensmonat `k − 1` ends on the day before the day of the `(k − 1)`-th following month that
/// bears the birth day's number (§ 188 Abs. 2 Alt. 2 BGB), and where that month has no such day
/// on its last day (§ 188 Abs. 3 BGB). Lebensmonat `k` then starts on the birth day's number,
/// or on the 1st of the next month: born 2026-05-31, Lebensmonat 4 ends 2026-09-30 and
/// Lebensmonat 5 starts 2026-10-01.
///
/// `None` for `k = 0` and where the day lies beyond the calendar (after the year 9999).
pub fn lebensmonat_start(birth: Date, k: u32) -> Option<Date> {
    // Month arithmetic by hand: the rules ask for two dates per planned month, and jiff's
    // general span addition was a twentieth of a computation (tested against the BGB reading).
    let index = i32::from(birth.year()) * 12 + i32::from(birth.month()) - 1
        + i32::try_from(k.checked_sub(1)?).ok()?;
    let month_of = |index: i32| {
        Some((
            i16::try_from(index.div_euclid(12)).ok()?,
            i8::try_from(index.rem_euclid(12) + 1).ok()?,
        ))
    };
    let (year, month) = month_of(index)?;
    if birth.day() <= days_in_month(year, month) {
        return Date::new(year, month, birth.day()).ok();
    }
    // § 188 Abs. 3 BGB: the previous Lebensmonat ran to the end of this month.
    let (year, month) = month_of(index + 1)?;
    Date::new(year, month, 1).ok()
}

fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Ersatzrate of § 2 Abs. 1–2 BEEG for the net income before the birth.
pub fn ersatzrate(net: Decimal, birth: Date) -> Result<Decimal, RulesError> {
    Ok(ersatzrate_of(
        &BirthParams::for_birth(birth)?.ersatzrate,
        net,
    ))
}

fn ersatzrate_of(e: &ErsatzrateParams, net: Decimal) -> Decimal {
    // The full steps below or above the limits by integer division of cents: the same whole
    // number the decimal quotient's floor gives (its scale is 0 either way), so the same rate
    // to the last digit and scale (tested against the decimal steps).
    let cents = |d: Decimal| whole_cents(d);
    if let (Some(n), Some(lower), Some(upper), Some(step)) = (
        cents(net),
        cents(e.increase_below),
        cents(e.decrease_above),
        cents(e.step),
    ) && step > 0
    {
        return if n < lower {
            (e.base + e.step_rate * Decimal::from((lower - n) / step)).min(e.max)
        } else if n > upper {
            (e.base - e.step_rate * Decimal::from((n - upper) / step)).max(e.min)
        } else {
            e.base
        };
    }
    ersatzrate_decimal(e, net)
}

fn ersatzrate_decimal(e: &ErsatzrateParams, net: Decimal) -> Decimal {
    let (base, max, min) = (e.base, e.max, e.min);
    let (lower, upper, step, per_step) = (e.increase_below, e.decrease_above, e.step, e.step_rate);
    if net < lower {
        (base + per_step * ((lower - net) / step).floor()).min(max)
    } else if net > upper {
        (base - per_step * ((net - upper) / step).floor()).max(min)
    } else {
        base
    }
}

struct Amounts {
    rate: Decimal,
    net_before: Decimal,
    cap_income: Decimal,
    min_basis: Decimal,
    max_basis: Decimal,
    min_plus: Decimal,
    /// The Basis and Plus amounts without income after the birth, computed once.
    basis_without: Decimal,
    plus_without: Decimal,
    /// The same figures in whole cents where they all are (the rate over 10^scale).
    cents: Option<AmountCents>,
}

/// [`Amounts`] in integers: a Basis or Plus amount is one product and one rounding, which
/// in decimals cost some 450 instructions (four per parent).
#[derive(Clone, Copy)]
struct AmountCents {
    rate: i64,
    unit: i64,
    /// The net before the birth, at most the cap (§ 2 Abs. 3 S. 2).
    net_capped: i64,
    min_basis: i64,
    max_basis: i64,
    min_plus: i64,
    plus_without: i64,
}

impl Amounts {
    /// The amounts of `rate` and `net_before` under the birth's limits, computed in decimals,
    /// before the amounts without income are known.
    fn in_decimals(rate: Decimal, net_before: Decimal, bp: &BirthParams) -> Self {
        Amounts {
            rate,
            net_before,
            cap_income: bp.cap_income,
            min_basis: bp.min_basis,
            max_basis: bp.max_basis,
            min_plus: bp.min_plus,
            basis_without: Decimal::ZERO,
            plus_without: Decimal::ZERO,
            cents: None,
        }
    }

    fn with_cents(self) -> Self {
        let c = |d: Decimal| whole_cents(d);
        let cents = (|| {
            // Rates have three decimals; up to 10^6 the products stay far inside an i64.
            let unit = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]
                .get(usize::try_from(self.rate.scale()).ok()?)
                .copied()?;
            Some(AmountCents {
                rate: i64::try_from(self.rate.mantissa())
                    .ok()
                    .filter(|r| r.unsigned_abs() <= 1_000_000)?,
                unit,
                net_capped: c(self.net_before.min(self.cap_income))?,
                min_basis: c(self.min_basis)?,
                max_basis: c(self.max_basis)?,
                min_plus: c(self.min_plus)?,
                plus_without: c(self.plus_without)?,
            })
        })();
        Amounts { cents, ..self }
    }

    /// `cent(rate × max(0, net before − net after))`, in cents.
    fn replaced(c: &AmountCents, net_after: Decimal) -> Option<i64> {
        let lost = (c.net_capped - whole_cents(net_after)?).max(0);
        Some(div_round(c.rate.checked_mul(lost)?, c.unit))
    }

    /// Basiselterngeld for a month with `net_after` (0 without income), § 2 Abs. 1, 3, 4.
    fn basis(&self, net_after: Decimal) -> Decimal {
        if let Some(c) = &self.cents
            && let Some(amount) = Self::replaced(c, net_after)
        {
            return Decimal::new(amount.clamp(c.min_basis, c.max_basis), 2);
        }
        let lost = non_negative(self.net_before.min(self.cap_income) - net_after);
        // The limits are whole cents: clamping the rounded amount gives the same result, and
        // compares amounts of one scale.
        cent(self.rate * lost).clamp(self.min_basis, self.max_basis)
    }

    /// ElterngeldPlus: the same, at most half the Basiselterngeld without income (§ 4a Abs. 2).
    fn plus(&self, net_after: Decimal) -> Decimal {
        if let Some(c) = &self.cents
            && let Some(amount) = Self::replaced(c, net_after)
        {
            return Decimal::new(amount.clamp(c.min_plus, c.plus_without), 2);
        }
        let lost = non_negative(self.net_before.min(self.cap_income) - net_after);
        cent(self.rate * lost).clamp(self.min_plus, self.plus_without)
    }
}

fn parent_result(
    case: &Case,
    parent: &Parent,
    bp: &BirthParams,
    trace: &mut Trace,
) -> Result<ElterngeldParent, RulesError> {
    let mut reasons = eligibility(case, parent, bp);
    let eligible = !reasons.iter().any(|r| !r.code.starts_with("assumed_"));
    let bmz = bmz::determine(case, parent, bp, trace, &mut reasons)?;
    // § 2b Abs. 4 S. 2: with the application granted, only the wages count before the birth.
    let assessed = if bmz.profit_left_out {
        std::borrow::Cow::Owned(bmz::without_profit(parent))
    } else {
        std::borrow::Cow::Borrowed(parent)
    };
    let before = income_before(&assessed, &bmz.months, bp)?;
    if !before.minijobs_added.is_empty() {
        trace.step(
            "elterngeld.minijobs_added_up",
            "§ 8 Abs. 2 S. 1 SGB IV; § 2f Abs. 2 BEEG",
            &["months"],
            || {
                let months = Value::List(
                    before
                        .minijobs_added
                        .iter()
                        .map(|m| Value::Month(*m))
                        .collect(),
                );
                (
                    Value::Bool(true),
                    Localized::new(
                        &messages::MINIJOBS_ADDED_UP,
                        [("parent", Value::text(&parent.id)), ("months", months)],
                    ),
                )
            },
        );
    }
    record_income(trace, &parent.id, "before", &before.figures);
    let amounts = amounts_without_income(parent, bp, before.figures.net, trace);
    let plan = &parent.plan[..parent.plan.len().min(LAST_LEBENSMONAT)];
    let starts = lebensmonat_starts(case.child.birth_date, plan.len())?;
    let after = income_after(parent, plan, &starts, &before, &bp.net, trace, &mut reasons)?;
    if before.minijob_above_limit || after.minijob_above_limit {
        reasons.push(reason(
            "assumed_minijob_above_limit_is_employment",
            "§ 8 Abs. 1 Nr. 1, Abs. 1b SGB IV; § 2f Abs. 2 BEEG",
            Localized::new(&messages::ASSUMED_MINIJOB_ABOVE_LIMIT, []),
        ));
    }
    let mut paid = paid_months(case, parent, bp, plan, &starts, &amounts, &after, trace)?;
    let total = paid.finish(parent, eligible, bp, &mut reasons, trace);
    Ok(ElterngeldParent {
        id: parent.id.clone(),
        eligible,
        reasons,
        income_before_birth: before.figures,
        income_after_birth: after.figures,
        replacement_rate: amounts.rate,
        basis_without_income: amounts.basis_without,
        plus_without_income: amounts.plus_without,
        months: paid.months,
        total,
    })
}

/// The Elterngeld-Netto before the birth and what the months after it are computed with.
struct IncomeBefore {
    figures: IncomeFigures,
    /// The tax features of the PAP, with the person's pension-insurance status (§ 2e).
    tax: TaxFeatures,
    /// The person's insurance status, kept after the birth (§ 2f Abs. 1).
    insurance: Insurance,
    /// Any positive income in the Bemessungszeitraum: without it, § 2 Abs. 4 pays the
    /// minimum and income after the birth is not counted.
    any: bool,
    /// A `minijob` month above its limit was counted as employment.
    minijob_above_limit: bool,
    /// Months of the Bemessungszeitraum with several Minijobs above the limit together, all
    /// of them counted as employment (§ 8 Abs. 2 S. 1 SGB IV).
    minijobs_added: Vec<YearMonth>,
}

/// §§ 2c–2f BEEG: the monthly average net income in the Bemessungszeitraum `bmz` (§ 2b).
fn income_before(
    parent: &Parent,
    bmz: &[YearMonth; 12],
    bp: &BirthParams,
) -> Result<IncomeBefore, RulesError> {
    let mut months = Vec::with_capacity(12 * parent.activities_before_birth.len());
    // The months' limits by reference into the table (2020–2039), else computed here.
    let owned: [MonthLimits; 12];
    let limits: [&MonthLimits; 12] = match limits_in_table(bmz) {
        Some(limits) => limits,
        None => {
            let mut limits = [MonthLimits::for_month(bmz[0])?; 12];
            for (limit, month) in limits.iter_mut().zip(bmz).skip(1) {
                *limit = MonthLimits::for_month(*month)?;
            }
            owned = limits;
            owned.each_ref()
        }
    };
    // § 8 Abs. 2 S. 1 SGB IV: several geringfügige Beschäftigungen of one month are added up,
    // and above the month's limit together none of them is geringfügig.
    let mut minijob_wages = [Decimal::ZERO; 12];
    let mut minijob_count = [0u8; 12];
    for a in parent
        .activities_before_birth
        .iter()
        .filter(|a| a.kind == ActivityKind::Minijob)
    {
        for (i, _) in a.months_active.iter().take(12).enumerate().filter(|m| *m.1) {
            // The first Minijob of a month is its wage, without adding it to zero.
            minijob_wages[i] = if minijob_count[i] == 0 {
                a.monthly_income
            } else {
                minijob_wages[i] + a.monthly_income
            };
            minijob_count[i] = minijob_count[i].saturating_add(1);
        }
    }
    // A `minijob` (with the other Minijobs of its month) above the month's limit is employment;
    // wages of `employed` activities stay employed here, as several of them in one month are
    // tested together (`net_of`).
    // Decided once per month: the insurance status asks it three times per activity and month.
    let mut minijob_kind = [ActivityKind::Minijob; 12];
    for (slot, kind) in minijob_kind.iter_mut().enumerate() {
        if minijob_count[slot] > 0 {
            *kind = wage_kind(ActivityKind::Minijob, minijob_wages[slot], limits[slot]);
        }
    }
    let kind_in = |a: &Activity, slot: usize| match a.kind {
        ActivityKind::Minijob => minijob_kind[slot],
        other => other,
    };
    let mut minijobs_added = Vec::new();
    for (slot, month) in bmz.iter().enumerate() {
        if minijob_count[slot] > 1 && minijob_kind[slot] == ActivityKind::Employed {
            minijobs_added.push(*month);
        }
    }
    let insurance = person_insurance(parent, kind_in);
    for a in &parent.activities_before_birth {
        for (i, active) in a.months_active.iter().enumerate() {
            if !*active || i >= bmz.len() {
                continue;
            }
            months.push(MonthIncome {
                slot: i,
                kind: kind_in(a, i),
                amount: a.monthly_income,
                insurance,
                limits: *limits[i],
            });
        }
    }
    let mut tax = TaxFeatures::of(parent);
    // § 2e: the pension-insurance status of the person decides the PAP's KRV.
    tax.pension_insured =
        insurance.pension || !months.iter().any(|m| m.kind == ActivityKind::Employed);
    let figures = net_of(
        &bp.net,
        &tax,
        &months,
        Decimal::from(12),
        Period::BeforeBirth,
    )?;
    Ok(IncomeBefore {
        figures,
        tax,
        insurance,
        any: months.iter().any(|m| is_positive(m.amount)),
        minijobs_added,
        minijob_above_limit: parent.activities_before_birth.iter().any(|a| {
            a.kind == ActivityKind::Minijob
                && a.months_active
                    .iter()
                    .take(12)
                    .enumerate()
                    .any(|(i, m)| *m && kind_in(a, i) == ActivityKind::Employed)
        }),
    })
}

/// The limits of twelve months of the table, if all are in it.
fn limits_in_table(months: &[YearMonth; 12]) -> Option<[&'static MonthLimits; 12]> {
    let mut out = [MonthLimits::in_table(months[0])?; 12];
    for (limit, month) in out.iter_mut().zip(months).skip(1) {
        *limit = MonthLimits::in_table(*month)?;
    }
    Some(out)
}

/// § 2 Abs. 1, 2, 4 BEEG, § 4a Abs. 2: the Ersatzrate and the amounts without income after
/// the birth, with their steps.
fn amounts_without_income(
    parent: &Parent,
    bp: &BirthParams,
    net_before: Decimal,
    trace: &mut Trace,
) -> Amounts {
    let rate = ersatzrate_of(&bp.ersatzrate, net_before);
    let amounts = Amounts::in_decimals(rate, net_before, bp).with_cents();
    // The Basis amount does not read `plus_without`; the Plus amounts below do.
    let basis_without = amounts.basis(Decimal::ZERO);
    let plus_without = cent(basis_without * bp.plus_cap_share);
    let amounts = Amounts {
        basis_without,
        plus_without,
        cents: amounts.cents.and_then(|c| {
            Some(AmountCents {
                plus_without: whole_cents(plus_without)?,
                ..c
            })
        }),
        ..amounts
    };
    trace.step(
        "elterngeld.ersatzrate",
        "§ 2 Abs. 1, 2 BEEG",
        &["net"],
        || {
            (
                Value::Rate(rate),
                Localized::new(
                    &messages::ERSATZRATE,
                    [
                        ("parent", Value::text(&parent.id)),
                        ("rate", Value::Rate(rate)),
                        ("net", Value::Money(net_before)),
                    ],
                ),
            )
        },
    );
    trace.step(
        "elterngeld.basis_ohne_einkommen",
        "§ 2 Abs. 1, 4 BEEG; § 4a Abs. 2 BEEG",
        &["net", "rate"],
        || {
            (
                Value::MoneyPair(basis_without, plus_without),
                Localized::new(
                    &messages::WITHOUT_INCOME,
                    [
                        ("parent", Value::text(&parent.id)),
                        ("rate", Value::Rate(rate)),
                        ("net", Value::Money(net_before)),
                        ("basis", Value::Money(basis_without)),
                        ("plus", Value::Money(plus_without)),
                        ("min", Value::Number(amounts.min_basis)),
                        ("max", Value::Number(amounts.max_basis)),
                    ],
                ),
            )
        },
    );
    amounts
}

/// The first day of Lebensmonate 1 to `months + 1` (the last one is where month `months`
/// ends); the rest of the array is unused.
fn lebensmonat_starts(
    birth: Date,
    months: usize,
) -> Result<[Date; LAST_LEBENSMONAT + 1], RulesError> {
    let mut starts = [birth; LAST_LEBENSMONAT + 1];
    // `lebensmonat_start` month by month: the calendar month steps on by one, without its
    // division by twelve per start (tested against it).
    let (mut year, mut month) = (birth.year(), birth.month());
    for (k, start) in (1u32..).zip(starts.iter_mut()).take(months + 1) {
        let next = if month == 12 {
            (year.checked_add(1), 1)
        } else {
            (Some(year), month + 1)
        };
        let day = if birth.day() <= days_in_month(year, month) {
            Date::new(year, month, birth.day()).ok()
        } else {
            next.0.and_then(|y| Date::new(y, next.1, 1).ok())
        };
        *start = day.ok_or_else(|| RulesError::Unsupported {
            path: "child.birth_date".into(),
            message: format!("Lebensmonat {k} of a birth on {birth} lies beyond the year 9999"),
        })?;
        // Beyond i16 the next start is an error above anyway.
        (year, month) = (next.0.unwrap_or(i16::MAX), next.1);
    }
    Ok(starts)
}

/// The income after the birth, per variant.
struct IncomeAfter {
    figures: IncomeAfterBirth,
    /// Bit i: Lebensmonat i + 1 has income that counts (at most 32 months).
    months_with_income: u64,
    /// A `minijob` Lebensmonat above its limit was counted as employment.
    minijob_above_limit: bool,
}

/// § 2 Abs. 3 BEEG: the average income of each variant's months with income, then its net;
/// without income before the birth there is no difference to compute (§ 2 Abs. 4).
fn income_after(
    parent: &Parent,
    plan: &[PlanMonth],
    starts: &[Date],
    before: &IncomeBefore,
    np: &NetParams,
    trace: &mut Trace,
    reasons: &mut Vec<Reason>,
) -> Result<IncomeAfter, RulesError> {
    let any_income = parent
        .gross_income_after_birth
        .as_ref()
        .is_some_and(|g| g.iter().any(|m| is_positive(m.0)));
    // Without any income after the birth no month reads the kind: the default, which sums
    // every activity before the birth, is not looked for.
    let after_kind = match parent.income_after_birth_kind {
        Some(kind) => kind,
        None if any_income => dominant_kind(parent),
        None => ActivityKind::Employed,
    };
    if parent.income_after_birth_kind.is_none() && any_income {
        reasons.push(reason(
            "assumed_income_after_birth_kind",
            "§ 2 Abs. 3 BEEG",
            Localized::new(
                &messages::ASSUMED_INCOME_AFTER_BIRTH_KIND,
                [(
                    "kind",
                    // In words of the text's language, not the case format's code name.
                    Value::Phrase(match after_kind {
                        ActivityKind::Employed => &messages::KIND_EMPLOYED,
                        ActivityKind::SelfEmployed => &messages::KIND_SELF_EMPLOYED,
                        ActivityKind::Minijob => &messages::KIND_MINIJOB,
                    }),
                )],
            ),
        ));
    }
    let mut basis_months = VariantIncome::default();
    let mut plus_months = VariantIncome::default();
    let mut months_with_income: u64 = 0;
    let mut minijob_above_limit = false;
    for (i, kind) in plan.iter().enumerate() {
        let gross = parent
            .gross_income_after_birth
            .as_ref()
            .and_then(|g| g.get(i))
            .map(|m| m.0)
            .unwrap_or(Decimal::ZERO);
        if !is_positive(gross) || *kind == PlanMonth::None {
            continue;
        }
        let month = YearMonth::of(starts[i]);
        let limits = match MonthLimits::in_table(month) {
            Some(limits) => *limits,
            None => MonthLimits::for_month(month)?,
        };
        // A Lebensmonat's wage within that month's Minijob limit is a geringfügige
        // Beschäftigung (§ 8 Abs. 1 Nr. 1 SGB IV), whether the kind says employed or Minijob:
        // no flat contributions (§ 2f Abs. 2 S. 2 BEEG) and, taxed at the flat employer rate,
        // no wage tax (§ 2e Abs. 2 S. 1 BEEG); RULES.md B5. Profit (self-employed) is no wage
        // and has no Minijob limit.
        let month_kind = wage_kind(after_kind, gross, &limits);
        minijob_above_limit |= after_kind == ActivityKind::Minijob && month_kind != after_kind;
        let m = MonthIncome {
            slot: i,
            kind: month_kind,
            amount: gross,
            insurance: before.insurance,
            limits,
        };
        months_with_income |= 1 << i;
        match kind {
            PlanMonth::Basis => basis_months.add(m, plan.len() - i),
            PlanMonth::Plus | PlanMonth::Bonus => plus_months.add(m, plan.len() - i),
            PlanMonth::None => {}
        }
    }
    if !before.any && months_with_income != 0 {
        reasons.push(reason(
            "income_after_birth_not_counted",
            "§ 2 Abs. 3, 4 BEEG",
            Localized::new(&messages::INCOME_AFTER_BIRTH_NOT_COUNTED, []),
        ));
        basis_months = VariantIncome::default();
        plus_months = VariantIncome::default();
        months_with_income = 0;
    }
    let figures = IncomeAfterBirth {
        basis: basis_months.net(np, &before.tax)?,
        plus: plus_months.net(np, &before.tax)?,
    };
    if !basis_months.is_empty() {
        basis_months.record(trace, &parent.id, &messages::NETTO_AFTER_BASIS);
        record_income(trace, &parent.id, "after_basis", &figures.basis);
    }
    if !plus_months.is_empty() {
        plus_months.record(trace, &parent.id, &messages::NETTO_AFTER_PLUS);
        record_income(trace, &parent.id, "after_plus", &figures.plus);
    }
    Ok(IncomeAfter {
        figures,
        months_with_income,
        minijob_above_limit: minijob_above_limit && months_with_income != 0,
    })
}

/// The amount of every planned Lebensmonat before the eligibility check, and the months cut
/// by the hours limit and the retroactive limit.
struct PaidMonths {
    months: Vec<ElterngeldMonth>,
    /// Lebensmonate over the weekly hours limit (§ 1 Abs. 6 BEEG).
    over_hours: Vec<u32>,
    /// Lebensmonate before the retroactive limit (§ 7 Abs. 1 S. 2 BEEG).
    cut_retro: Vec<u32>,
    application_lm: u32,
    retro: u32,
}

/// The amount per Lebensmonat: Basis or Plus with or without income (§ 2 Abs. 1, 3;
/// § 4a Abs. 2), the Geschwisterbonus (§ 2a Abs. 1) and Mehrlingszuschlag (§ 2a Abs. 4), the
/// Mutterschaftsleistungen credited (§ 3 Abs. 1), the hours limit (§ 1 Abs. 6) and the
/// retroactive limit (§ 7 Abs. 1 S. 2).
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one parent's computation"
)]
fn paid_months(
    case: &Case,
    parent: &Parent,
    bp: &BirthParams,
    plan: &[PlanMonth],
    starts: &[Date],
    amounts: &Amounts,
    after: &IncomeAfter,
    trace: &mut Trace,
) -> Result<PaidMonths, RulesError> {
    let birth = case.child.birth_date;
    let siblings_bonus = SiblingBonus::new(case, &bp.sibling);
    let multiples = Decimal::from(case.child.count.saturating_sub(1));
    let mehrling = bp.mehrlingszuschlag;
    let application_lm = lebensmonat_of(birth, case.evaluation_date);
    let retro =
        crate::params::whole_by_application("eg.retroactive_months", case.evaluation_date)?.0;
    let first_payable = application_lm.saturating_sub(retro).max(1);
    let net_after = &after.figures;
    // The four amounts a month can have before supplements (§ 2 Abs. 1, 3; § 4a Abs. 2).
    let basis_amount = [amounts.basis_without, amounts.basis(net_after.basis.net)];
    let plus_amount = [
        amounts.plus(Decimal::ZERO),
        amounts.plus(net_after.plus.net),
    ];
    // The Geschwisterbonus of each of those amounts (§ 2a Abs. 1 S. 1: 10 %, at least the
    // minimum); without siblings it never applies, and is not computed.
    let bonus = |amount: Decimal, min: Decimal| cent(amount * siblings_bonus.rate).max(min);
    let (basis_bonus, plus_bonus) = if case.siblings.is_empty() {
        ([Decimal::ZERO; 2], [Decimal::ZERO; 2])
    } else {
        (
            basis_amount.map(|a| bonus(a, bp.sibling.min_basis)),
            plus_amount.map(|a| bonus(a, bp.sibling.min_plus)),
        )
    };
    let mehrling_plus = if multiples.is_zero() {
        Decimal::ZERO
    } else {
        cent(mehrling / Decimal::TWO)
    };
    let mut paid = PaidMonths {
        months: Vec::with_capacity(plan.len()),
        over_hours: Vec::new(),
        cut_retro: Vec::new(),
        application_lm,
        retro,
    };
    for ((i, kind), lm) in plan.iter().enumerate().zip(1u32..) {
        if *kind == PlanMonth::None {
            continue;
        }
        let start = starts[i];
        let with_income = after.months_with_income & (1 << i) != 0;
        let (mut amount, is_plus) = match kind {
            PlanMonth::Basis => (basis_amount[usize::from(with_income)], false),
            _ => (plus_amount[usize::from(with_income)], true),
        };
        if siblings_bonus.applies(start) {
            amount += if is_plus {
                plus_bonus[usize::from(with_income)]
            } else {
                basis_bonus[usize::from(with_income)]
            };
        }
        // The common case (one child) skips the arithmetic that would leave the amount as it is.
        if !multiples.is_zero() {
            let per_extra_child = if is_plus { mehrling_plus } else { mehrling };
            amount += multiples * per_extra_child;
        }
        let credit = maternity_credit(parent, amount, start, starts[i + 1]);
        let offset = credit.map_or(Decimal::ZERO, |c| c.offset);
        if let Some(c) = &credit {
            record_maternity_credit(trace, &parent.id, lm, amount, c);
            // Only here: most months have nothing to subtract.
            amount -= c.offset;
        }
        let hours = parent
            .weekly_hours_after_birth
            .as_ref()
            .and_then(|h| h.get(i));
        if hours.is_some_and(|h| greater(*h, bp.max_weekly_hours)) {
            paid.over_hours.push(lm);
            amount = Decimal::ZERO;
        }
        if lm < first_payable {
            paid.cut_retro.push(lm);
            amount = Decimal::ZERO;
        }
        paid.months.push(ElterngeldMonth {
            lebensmonat: lm,
            kind: *kind,
            amount,
            offset_maternity: offset,
            // § 2 Abs. 3 S. 1 BEEG: a month's amount is computed with the average net of its
            // variant, so that is the figure shown for the month.
            income_after_birth_net: match (with_income, is_plus) {
                (false, _) => Decimal::ZERO,
                (true, false) => net_after.basis.net,
                (true, true) => net_after.plus.net,
            },
        });
    }
    Ok(paid)
}

impl PaidMonths {
    /// Zero for an ineligible parent, the reasons for cut months, the total and its step.
    fn finish(
        &mut self,
        parent: &Parent,
        eligible: bool,
        bp: &BirthParams,
        reasons: &mut Vec<Reason>,
        trace: &mut Trace,
    ) -> Decimal {
        if !eligible {
            for m in &mut self.months {
                m.amount = Decimal::ZERO;
            }
        }
        // In cents where every amount is whole cents (at most 32 months: no overflow).
        let cents = self
            .months
            .iter()
            .try_fold(0i64, |sum, m| Some(sum + whole_cents(m.amount)?));
        let total = match cents {
            Some(cents) => Decimal::new(cents, 2),
            None => self.months.iter().map(|m| m.amount).sum(),
        };
        if !self.over_hours.is_empty() {
            reasons.push(reason(
                "working_hours_exceeded",
                "§ 1 Abs. 6 BEEG",
                Localized::new(
                    &messages::WORKING_HOURS_EXCEEDED,
                    [
                        ("max_hours", Value::Number(bp.max_weekly_hours)),
                        ("lebensmonate", lebensmonate(&self.over_hours)),
                    ],
                ),
            ));
        }
        if !self.cut_retro.is_empty() {
            reasons.push(reason(
                "retroactive_limit",
                "§ 7 Abs. 1 S. 2 BEEG",
                Localized::new(
                    &messages::RETROACTIVE_LIMIT,
                    [
                        ("application", Value::Int(i64::from(self.application_lm))),
                        ("retro", Value::Int(i64::from(self.retro))),
                        ("lebensmonate", lebensmonate(&self.cut_retro)),
                    ],
                ),
            ));
        }
        let months = self.months.len() as i64;
        trace.step("elterngeld.total", "§ 4 BEEG", &["parent"], || {
            (
                Value::Money(total),
                Localized::new(
                    &messages::TOTAL,
                    [
                        ("parent", Value::text(&parent.id)),
                        ("total", Value::Money(total)),
                        ("months", Value::Int(months)),
                    ],
                ),
            )
        });
        total
    }
}

/// The months with income of one variant after the birth (Basis, or Plus and Bonus), each
/// with the Minijob limit and Übergangsbereich in force on its first day.
///
/// § 2 Abs. 3 BEEG takes the monthly average of the income in the variant's Lebensmonate with
/// income, determined by §§ 2c–2f as before the birth: each month's wage is tested on its own
/// against that month's limits (§ 2f Abs. 2 S. 2, 3 BEEG with §§ 8, 20 Abs. 2 SGB IV) and the
/// resulting amounts are averaged, never one test on the average wage with the first month's
/// limits (RULES.md B5).
#[derive(Default)]
struct VariantIncome {
    months: Vec<MonthIncome>,
}

impl VariantIncome {
    /// Adds a month; the first reserves room for the `left` months of the plan still to come.
    fn add(&mut self, m: MonthIncome, left: usize) {
        if self.months.is_empty() {
            self.months.reserve(left);
        }
        self.months.push(m);
    }

    fn is_empty(&self) -> bool {
        self.months.is_empty()
    }

    /// The Elterngeld-Netto of the variant: the months' gross, taxable wage and contribution
    /// bases averaged over its months with income, by the same computation as before the birth.
    fn net(&self, np: &NetParams, tax: &TaxFeatures) -> Result<IncomeFigures, RulesError> {
        if self.months.is_empty() {
            return Ok(IncomeFigures::default());
        }
        net_of(
            np,
            tax,
            &self.months,
            Decimal::from(self.months.len() as u64),
            Period::AfterBirth,
        )
    }

    /// The explanation step of the month-by-month test: which Lebensmonate were Minijob
    /// wages, which lay in the Übergangsbereich, which above it, each by its own limits.
    fn record(&self, trace: &mut Trace, parent: &str, when: &'static Template) {
        // Profit has no Minijob limit or Übergangsbereich (§ 2f Abs. 2 concerns wages).
        if self
            .months
            .iter()
            .all(|m| m.kind == ActivityKind::SelfEmployed)
        {
            return;
        }
        trace.step(
            "elterngeld.einkommen_je_lebensmonat",
            "§ 2 Abs. 3 BEEG; § 2f Abs. 2 S. 2, 3 BEEG",
            &["full", "midijob", "minijob"],
            || {
                let (mut minijob, mut midijob, mut full) = (Vec::new(), Vec::new(), Vec::new());
                for m in &self.months {
                    let lm = u32::try_from(m.slot + 1).unwrap_or(u32::MAX);
                    match m.kind {
                        ActivityKind::Minijob => minijob.push(lm),
                        ActivityKind::Employed if m.amount <= m.limits.minijob => minijob.push(lm),
                        ActivityKind::Employed if m.amount <= m.limits.midijob_upper => {
                            midijob.push(lm)
                        }
                        _ => full.push(lm),
                    }
                }
                let listed = |months: &[u32]| {
                    if months.is_empty() {
                        Value::Phrase(&messages::NO_LEBENSMONAT)
                    } else {
                        lebensmonate(months)
                    }
                };
                (
                    Value::Int(self.months.len() as i64),
                    Localized::new(
                        &messages::INCOME_PER_LEBENSMONAT,
                        [
                            ("parent", Value::text(parent)),
                            ("when", Value::Phrase(when)),
                            ("minijob", listed(&minijob)),
                            ("midijob", listed(&midijob)),
                            ("full", listed(&full)),
                            ("count", Value::Int(self.months.len() as i64)),
                        ],
                    ),
                )
            },
        );
    }
}

fn record_income(trace: &mut Trace, parent: &str, when: &str, f: &IncomeFigures) {
    let (rule, phrase) = match when {
        "before" => ("elterngeld.netto_before", &messages::NETTO_BEFORE),
        "after_basis" => ("elterngeld.netto_after_basis", &messages::NETTO_AFTER_BASIS),
        _ => ("elterngeld.netto_after_plus", &messages::NETTO_AFTER_PLUS),
    };
    trace.step(
        rule,
        "§§ 2c–2f BEEG",
        &["gross", "social_contributions", "taxes"],
        || {
            (
                Value::Money(f.net),
                Localized::new(
                    &messages::NETTO,
                    [
                        ("parent", Value::text(parent)),
                        ("when", Value::Phrase(phrase)),
                        ("gross", Value::Money(f.gross)),
                        ("taxes", Value::Money(f.taxes)),
                        ("social_contributions", Value::Money(f.social_contributions)),
                        ("net", Value::Money(f.net)),
                    ],
                ),
            )
        },
    );
}

/// Lebensmonate as a list for a text (`3, 4`).
fn lebensmonate(months: &[u32]) -> Value {
    Value::List(months.iter().map(|m| Value::Int(i64::from(*m))).collect())
}

/// An activity's income over the Bemessungszeitraum: its monthly income times its active months.
fn income_in_bmz(a: &elternkit_model::Activity) -> Decimal {
    a.monthly_income * Decimal::from(a.months_active.iter().filter(|m| **m).count() as u64)
}

/// The kind with the most income before the birth (default for income after the birth).
fn dominant_kind(parent: &Parent) -> ActivityKind {
    let mut best = (ActivityKind::Employed, Decimal::MIN);
    for kind in [
        ActivityKind::Employed,
        ActivityKind::SelfEmployed,
        ActivityKind::Minijob,
    ] {
        let sum: Decimal = parent
            .activities_before_birth
            .iter()
            .filter(|a| a.kind == kind)
            .map(income_in_bmz)
            .sum();
        if sum > best.1 {
            best = (kind, sum);
        }
    }
    best.0
}

/// What a month's wage is by the month's Minijob limit (§ 8 Abs. 1 Nr. 1 SGB IV), before the
/// birth and in each Lebensmonat after it alike: within the limit a geringfügige Beschäftigung
/// whatever the case calls it (no flat contributions, § 2f Abs. 2 S. 2 BEEG; taxed at the flat
/// employer rate, no wage tax, § 2e Abs. 2 S. 1 BEEG); above it employment, also where the case
/// says `minijob` (Übergangsbereich or above, § 2f Abs. 2 S. 3; wage tax through the PAP). An
/// occasional, unforeseeable excess that keeps a Minijob (§ 8 Abs. 1b SGB IV) cannot be told
/// from a case; the rules report that they assumed none. Profit has no Minijob limit.
fn wage_kind(kind: ActivityKind, wage: Decimal, limits: &MonthLimits) -> ActivityKind {
    // Wages and limits both carry two decimals: compared as integers (`greater`).
    match kind {
        ActivityKind::Employed if !greater(wage, limits.minijob) => ActivityKind::Minijob,
        ActivityKind::Minijob if greater(wage, limits.minijob) => ActivityKind::Employed,
        other => other,
    }
}

/// The person's insurance status per branch (§ 2f Abs. 1 BEEG: "falls die berechtigte Person
/// … versicherungspflichtig gewesen ist"), one status for all income (§ 2c Abs. 3 S. 2, 3); the BSG compares the months in which each status held (B 10 EG 10/17 R), so only
/// months with income count. A month is insured when an activity other than a Minijob (within
/// the month's limit, `kind_in`) was insured in it (a Minijob is free of KV and AV, § 7 SGB V, § 27 Abs. 2 SGB III). The status
/// that held in more than half of those months counts; a tie is decided by the last month with
/// any income, employment, Minijob or profit alike (RULES.md B3 item 4).
fn person_insurance(
    parent: &Parent,
    kind_in: impl Fn(&elternkit_model::Activity, usize) -> ActivityKind,
) -> Insurance {
    // Month sets as bits (bit i: month i of the twelve): the months with income, and per
    // branch the months in which an activity insured in it, not a Minijob, was active.
    let mut with_income = 0u16;
    let mut insured_in = [0u16; 3];
    for a in &parent.activities_before_birth {
        let mut active = 0u16;
        let mut counted = 0u16;
        for (i, _) in a.months_active.iter().take(12).enumerate().filter(|m| *m.1) {
            active |= 1 << i;
            if kind_in(a, i) != ActivityKind::Minijob {
                counted |= 1 << i;
            }
        }
        with_income |= active;
        for (set, flag) in
            insured_in
                .iter_mut()
                .zip([a.health_insured, a.pension_insured, a.unemployment_insured])
        {
            if flag {
                *set |= counted;
            }
        }
    }
    // The last month with any income decides a tie.
    let deciding = (with_income != 0).then(|| 1u16 << (15 - with_income.leading_zeros()));
    let insured = |set: u16| {
        let count = (set & with_income).count_ones();
        let others = with_income.count_ones() - count;
        count > others || (count == others && deciding.is_some_and(|d| set & d != 0))
    };
    Insurance {
        health: insured(insured_in[0]),
        pension: insured(insured_in[1]),
        unemployment: insured(insured_in[2]),
    }
}

/// The Lebensmonat in which `day` lies (1-based; 0 before the birth).
pub fn lebensmonat_of(birth: Date, day: Date) -> u32 {
    if day < birth {
        return 0;
    }
    // The starts increase, and Lebensmonat k starts in the (k − 1)-th month after the birth
    // month (or on the 1st of the month after it): `day` lies in Lebensmonat k0, the number of
    // its month, or in the one before. Directly, where counting from 1 was a few percent of a
    // computation. The count stops at 1000, as it always did.
    let months = (i32::from(day.year()) - i32::from(birth.year())) * 12 + i32::from(day.month())
        - i32::from(birth.month());
    let k0 = u32::try_from(months + 1).unwrap_or(1);
    if k0 > 1000 {
        return 1000;
    }
    match lebensmonat_start(birth, k0) {
        Some(start) if start <= day => k0,
        // Lebensmonat 1 starts on the birth day, so here k0 ≥ 2.
        _ => k0 - 1,
    }
}

/// How Mutterschaftsleistungen are credited against one Lebensmonat's Elterngeld (§ 3 Abs. 1
/// S. 1 Nr. 1, S. 2 BEEG).
#[derive(Debug, Clone, Copy)]
struct MaternityCredit {
    /// The days of the Lebensmonat, from the birth, for which the benefit is paid.
    covered_days: i32,
    /// The calendar days of the Lebensmonat.
    days: i32,
    /// Mutterschaftsgeld and employer top-up for the covered days.
    benefit: Decimal,
    /// The part of the month's Elterngeld that falls on the covered days.
    share: Decimal,
    /// What is credited: the benefit, at most that part.
    offset: Decimal,
}

/// Mutterschaftsgeld and employer top-up for the days from the birth within the Lebensmonat
/// from `start` to the day before `next_start`, credited against the month's Elterngeld
/// `amount` (§ 3 Abs. 1 S. 1 Nr. 1 BEEG). S. 2: where they are paid for part of the
/// Lebensmonat only, they are credited only against the corresponding part of the Elterngeld,
/// `amount` × covered days / calendar days of the Lebensmonat (rounded half up to the cent,
/// BEEG-RL 2.0.3.3.1); the part of the other days is paid in full. `None` without benefit in
/// the month.
fn maternity_credit(
    parent: &Parent,
    amount: Decimal,
    start: Date,
    next_start: Date,
) -> Option<MaternityCredit> {
    let m = parent.maternity_benefit.as_ref()?;
    let end = next_start.yesterday().ok()?;
    let last = m.until.min(end);
    if last < start {
        return None;
    }
    let days_between = |a: Date, b: Date| a.until(b).map(|s| s.get_days()).unwrap_or(0);
    let covered_days = days_between(start, last) + 1;
    let days = days_between(start, next_start);
    let benefit = cent(Decimal::from(covered_days) * (m.daily_amount + m.employer_top_up_daily));
    let share = if covered_days >= days {
        amount
    } else {
        cent(amount * Decimal::from(covered_days) / Decimal::from(days))
    };
    Some(MaternityCredit {
        covered_days,
        days,
        benefit,
        share,
        offset: benefit.min(share),
    })
}

/// The explanation step of a Lebensmonat's [`MaternityCredit`].
fn record_maternity_credit(
    trace: &mut Trace,
    parent: &str,
    lebensmonat: u32,
    amount: Decimal,
    c: &MaternityCredit,
) {
    trace.step(
        "elterngeld.mutterschaftsleistungen",
        "§ 3 Abs. 1 S. 1 Nr. 1, S. 2 BEEG",
        &["amount", "benefit", "covered", "days"],
        || {
            (
                Value::Money(c.offset),
                Localized::new(
                    if c.covered_days >= c.days {
                        &messages::MATERNITY_CREDIT_WHOLE
                    } else {
                        &messages::MATERNITY_CREDIT
                    },
                    [
                        ("parent", Value::text(parent)),
                        ("lebensmonat", Value::Int(i64::from(lebensmonat))),
                        ("covered", Value::Int(i64::from(c.covered_days))),
                        ("days", Value::Int(i64::from(c.days))),
                        ("benefit", Value::Money(c.benefit)),
                        ("amount", Value::Money(amount)),
                        ("share", Value::Money(c.share)),
                        ("offset", Value::Money(c.offset)),
                        ("paid", Value::Money(amount - c.offset)),
                    ],
                ),
            )
        },
    );
}

/// The Geschwisterbonus test of § 2a Abs. 1 BEEG at the start of a Lebensmonat.
struct SiblingBonus {
    rate: Decimal,
    births_under_3: Vec<Date>,
    births_under_6: Vec<Date>,
    disabled_under_14: Vec<Date>,
}

impl SiblingBonus {
    fn new(case: &Case, sp: &SiblingParams) -> Self {
        let limit = |b: Date, y: i16| b.checked_add(i64::from(y).years()).unwrap_or(Date::MAX);
        SiblingBonus {
            rate: sp.rate,
            births_under_3: case
                .siblings
                .iter()
                .map(|s| limit(s.birth_date, sp.years_one))
                .collect(),
            births_under_6: case
                .siblings
                .iter()
                .map(|s| limit(s.birth_date, sp.years_two))
                .collect(),
            disabled_under_14: case
                .siblings
                .iter()
                .filter(|s| s.disability)
                .map(|s| limit(s.birth_date, sp.years_disabled))
                .collect(),
        }
    }

    /// Two children under 3, three under 6, or a disabled sibling under 14 (counting the
    /// newborn) at `day`.
    fn applies(&self, day: Date) -> bool {
        let under = |limits: &[Date]| limits.iter().filter(|l| day < **l).count();
        under(&self.births_under_3) >= 1
            || under(&self.births_under_6) >= 2
            || under(&self.disabled_under_14) >= 1
    }
}

fn eligibility(case: &Case, parent: &Parent, bp: &BirthParams) -> Vec<Reason> {
    let mut out = Vec::new();
    for (ok, code, message) in [
        (
            parent.lives_in_germany,
            "no_residence_in_germany",
            &messages::NO_RESIDENCE,
        ),
        (
            parent.lives_with_child,
            "not_in_household",
            &messages::NOT_IN_HOUSEHOLD,
        ),
        (
            parent.cares_for_child,
            "no_personal_care",
            &messages::NO_PERSONAL_CARE,
        ),
    ] {
        if !ok {
            out.push(reason(code, "§ 1 Abs. 1 BEEG", Localized::new(message, [])));
        }
    }
    if !has_free_movement(&parent.citizenship) {
        residence_reasons(case, parent, bp.humanitarian_min_stay, &mut out);
    }
    let (ceiling, citation) = if case.household.single_parent {
        bp.ceiling_single
    } else {
        bp.ceiling_couple
    };
    match case.household.taxable_income_year_before_birth {
        Some(zve) if zve > ceiling => out.push(reason(
            "income_ceiling_exceeded",
            citation,
            Localized::new(
                &messages::INCOME_CEILING_EXCEEDED,
                [
                    ("income", Value::Money(zve)),
                    ("ceiling", Value::Number(ceiling)),
                ],
            ),
        )),
        Some(_) => {}
        None => out.push(reason(
            "assumed_income_below_ceiling",
            citation,
            Localized::new(
                &messages::ASSUMED_BELOW_CEILING,
                [("ceiling", Value::Number(ceiling))],
            ),
        )),
    }
    out
}

/// § 1 Abs. 7 BEEG for a parent who is not an EU/EEA/Swiss citizen: the title's row for the
/// birth date, and for a title that needs it the condition of Nr. 2 b, Nr. 3 or Nr. 4 with
/// what was assumed where the case is silent (the same test as Kindergeld's, § 62 Abs. 2 EStG).
fn residence_reasons(case: &Case, parent: &Parent, min_stay: Option<u32>, out: &mut Vec<Reason>) {
    let birth = case.child.birth_date;
    let given = parent.residence_title.as_deref();
    let titled = |t: &'static Template, name: &'static str| {
        Localized::new(t, [("title", Value::Text(name.into()))])
    };
    let Some(rule) = given
        .and_then(residence_title)
        .map(|t| t.elterngeld_on(birth))
    else {
        out.push(reason(
            "residence_title_not_entitling",
            "§ 1 Abs. 7 BEEG",
            match given {
                Some(name) => {
                    Localized::new(&messages::TITLE_UNKNOWN, [("title", Value::text(name))])
                }
                None => Localized::new(&messages::TITLE_MISSING, []),
            },
        ));
        return;
    };
    match rule.status {
        TitleStatus::Eligible => {}
        TitleStatus::NotEligible => out.push(reason(
            "residence_title_not_entitling",
            rule.citation,
            titled(&messages::TITLE_NOT_ENTITLING, rule.name),
        )),
        TitleStatus::EligibleIfEmployed => {
            match employment_condition(parent, &rule, birth, min_stay) {
                ConditionOutcome::MetByStatus(_) | ConditionOutcome::MetByStay => {}
                ConditionOutcome::AssumedEmployed => out.push(reason(
                    "assumed_employed_or_elternzeit",
                    rule.citation,
                    titled(&messages::TITLE_ASSUMED_EMPLOYED, rule.name),
                )),
                ConditionOutcome::NotMet {
                    assumed_not_employed,
                    assumed_short_stay,
                } => {
                    out.push(reason(
                        "residence_title_requires_employment",
                        rule.citation,
                        titled(
                            if rule.humanitarian {
                                &messages::TITLE_REQUIRES_EMPLOYMENT_OR_STAY
                            } else {
                                &messages::TITLE_REQUIRES_EMPLOYMENT
                            },
                            rule.name,
                        ),
                    ));
                    if assumed_not_employed {
                        out.push(reason(
                            "assumed_not_employed",
                            rule.citation,
                            Localized::new(&messages::ASSUMED_NOT_EMPLOYED, []),
                        ));
                    }
                    if assumed_short_stay && let Some(months) = min_stay {
                        out.push(reason(
                            "assumed_stay_under_15_months",
                            "§ 1 Abs. 7 S. 1 Nr. 4 BEEG",
                            Localized::new(
                                &messages::ASSUMED_SHORT_STAY,
                                [("months", Value::Int(i64::from(months)))],
                            ),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
