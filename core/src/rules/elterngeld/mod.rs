//! Elterngeld (BEEG) for births from 2022-01-01: eligibility (§ 1), Bemessungszeitraum
//! (§ 2b), Elterngeld-Netto (§§ 2c–2f), Ersatzrate and amounts (§ 2), supplements (§ 2a),
//! offsetting of Mutterschaftsleistungen (§ 3), ElterngeldPlus and Partnerschaftsbonus
//! (§§ 4a, 4b), the month plan of § 4 and the retroactive limit of § 7.

pub mod income;
mod plan;

use jiff::ToSpan;
use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::model::{
    ActivityKind, Case, ElterngeldMonth, ElterngeldParent, ElterngeldResult, IncomeAfterBirth,
    IncomeFigures, Parent, PlanMonth, Reason, YearMonth,
};
use crate::rules::RulesError;
use crate::rules::explain::{Cents, Trace, reason};
use crate::rules::params::params;
use crate::rules::residence::{TitleStatus, has_free_movement, residence_title};

use income::{Insurance, MonthIncome, MonthLimits, NetParams, TaxFeatures, cent, net_of};

/// The highest Lebensmonat with any Elterngeld (§ 4 Abs. 1 S. 4 BEEG).
const LAST_LEBENSMONAT: usize = 32;

/// Elterngeld for every parent of the case, and the § 4 problems of their joint plan.
pub fn compute(case: &Case) -> Result<ElterngeldResult, RulesError> {
    let birth = case.child.birth_date;
    if birth < date(2022, 1, 1) {
        return Err(RulesError::Unsupported {
            path: "child.birth_date".into(),
            message: "Elterngeld is computed for births from 2022-01-01 on".into(),
        });
    }
    let np = NetParams::for_birth(birth)?;
    let mut trace = Trace::default();
    let (pap_file, _) = np.pap.source();
    trace.step(
        "elterngeld.pap_version",
        "§ 2e Abs. 1 BEEG",
        [("birth_date", birth.to_string())],
        np.pap.name(),
        format!("Steuern nach dem Programmablaufplan des Vorjahres der Geburt ({pap_file})"),
        format!("Taxes use the BMF PAP of the year before the birth ({pap_file})"),
    );
    let mut parents = Vec::with_capacity(case.parents.len());
    for parent in &case.parents {
        parents.push(parent_result(case, parent, &np, &mut trace)?);
    }
    let plan_problems = plan::check(case, &parents)?;
    Ok(ElterngeldResult {
        parents,
        plan_problems,
        explanation: trace.into_steps(),
    })
}

fn date(y: i16, m: i8, d: i8) -> Date {
    // Constant, valid calendar dates only.
    Date::new(y, m, d).unwrap_or(Date::MIN)
}

/// The first day of Lebensmonat `k` (1-based): the birth day `k − 1` months later
/// (§ 4 Abs. 1 BEEG; a 31st maps to the month's last day).
pub fn lebensmonat_start(birth: Date, k: u32) -> Date {
    birth
        .checked_add(i64::from(k.saturating_sub(1)).months())
        .unwrap_or(birth)
}

/// The calendar months of the Bemessungszeitraum, oldest first (§ 2b BEEG): the 12 months
/// before the month of birth, skipping excluded months; the calendar year before the birth
/// when there is income from self-employment (§ 2b Abs. 3).
fn bemessungszeitraum(case: &Case, parent: &Parent, trace: &mut Trace) -> Vec<YearMonth> {
    let birth_month = YearMonth::of(case.child.birth_date);
    let self_employed = parent
        .activities_before_birth
        .iter()
        .any(|a| a.kind == ActivityKind::SelfEmployed && a.months_active.iter().any(|m| *m));
    let months: Vec<YearMonth> = if self_employed {
        let first = YearMonth {
            year: birth_month.year - 1,
            month: 1,
        };
        (0..12).map(|i| first.plus(i)).collect()
    } else {
        let mut list = Vec::with_capacity(12);
        let mut m = birth_month.plus(-1);
        while list.len() < 12 {
            if !parent.excluded_months.contains(&m) {
                list.push(m);
            }
            m = m.plus(-1);
        }
        list.reverse();
        list
    };
    let (first, last) = (months[0], months[11]);
    let (citation, de, en) = if self_employed {
        (
            "§ 2b Abs. 2, 3 BEEG",
            "Kalenderjahr vor der Geburt (Gewinneinkünfte)",
            "calendar year before the birth (self-employment)",
        )
    } else {
        (
            "§ 2b Abs. 1 BEEG",
            "12 Kalendermonate vor dem Geburtsmonat",
            "12 calendar months before the month of birth",
        )
    };
    trace.step(
        "elterngeld.bemessungszeitraum",
        citation,
        [("parent", parent.id.clone())],
        format!("{first} – {last}"),
        format!(
            "{}: Bemessungszeitraum {first} bis {last} ({de})",
            parent.id
        ),
        format!("{}: Bemessungszeitraum {first} to {last} ({en})", parent.id),
    );
    months
}

/// Ersatzrate of § 2 Abs. 1–2 BEEG for the net income before the birth.
pub fn ersatzrate(net: Decimal, birth: Date) -> Result<Decimal, RulesError> {
    let p = params();
    let base = p.decimal("eg.ersatzrate.base", birth)?.0;
    let max = p.decimal("eg.ersatzrate.max", birth)?.0;
    let min = p.decimal("eg.ersatzrate.min", birth)?.0;
    let lower = p.decimal("eg.ersatzrate.increase_below_eur", birth)?.0;
    let upper = p.decimal("eg.ersatzrate.decrease_above_eur", birth)?.0;
    let step = p.decimal("eg.ersatzrate.step_eur", birth)?.0;
    let per_step = p.decimal("eg.ersatzrate.step_rate", birth)?.0;
    Ok(if net < lower {
        (base + per_step * ((lower - net) / step).floor()).min(max)
    } else if net > upper {
        (base - per_step * ((net - upper) / step).floor()).max(min)
    } else {
        base
    })
}

struct Amounts {
    rate: Decimal,
    net_before: Decimal,
    cap_income: Decimal,
    min_basis: Decimal,
    max_basis: Decimal,
    min_plus: Decimal,
    plus_without: Decimal,
}

impl Amounts {
    /// Basiselterngeld for a month with `net_after` (0 without income), § 2 Abs. 1, 3, 4.
    fn basis(&self, net_after: Decimal) -> Decimal {
        let lost = (self.net_before.min(self.cap_income) - net_after).max(Decimal::ZERO);
        cent((self.rate * lost).clamp(self.min_basis, self.max_basis))
    }

    /// ElterngeldPlus: the same, at most half the Basiselterngeld without income (§ 4a Abs. 2).
    fn plus(&self, net_after: Decimal) -> Decimal {
        let lost = (self.net_before.min(self.cap_income) - net_after).max(Decimal::ZERO);
        cent((self.rate * lost).clamp(self.min_plus, self.plus_without))
    }
}

fn parent_result(
    case: &Case,
    parent: &Parent,
    np: &NetParams,
    trace: &mut Trace,
) -> Result<ElterngeldParent, RulesError> {
    let birth = case.child.birth_date;
    let p = params();
    let mut reasons = eligibility(case, parent)?;
    let eligible = !reasons.iter().any(|r| !r.code.starts_with("assumed_"));

    // Income before the birth.
    let bmz = bemessungszeitraum(case, parent, trace);
    let mut months = Vec::new();
    let status = person_insurance(parent);
    for a in &parent.activities_before_birth {
        for (i, active) in a.months_active.iter().enumerate() {
            if !*active || i >= bmz.len() {
                continue;
            }
            months.push(MonthIncome {
                slot: i,
                keeps_status_below_minijob_limit: false,
                kind: a.kind,
                amount: a.monthly_income,
                insurance: status,
                limits: MonthLimits::for_month(bmz[i])?,
            });
        }
    }
    let mut tax = TaxFeatures::of(parent);
    // § 2e: the pension-insurance status of the person decides the PAP's KRV.
    tax.pension_insured = status.pension
        || !parent
            .activities_before_birth
            .iter()
            .any(|a| a.kind == ActivityKind::Employed && a.months_active.iter().any(|m| *m));
    let before = net_of(np, &tax, &months, Decimal::from(12))?;
    record_income(trace, &parent.id, "before", &before);

    let rate = ersatzrate(before.net, birth)?;
    let amounts = Amounts {
        rate,
        net_before: before.net,
        cap_income: p
            .decimal("eg.difference_method.cap_income_before_eur", birth)?
            .0,
        min_basis: p.decimal("eg.basis.min_eur", birth)?.0,
        max_basis: p.decimal("eg.basis.max_eur", birth)?.0,
        min_plus: p.decimal("eg.plus.min_eur", birth)?.0,
        plus_without: Decimal::ZERO,
    };
    let basis_without = amounts.basis(Decimal::ZERO);
    let plus_without = cent(basis_without * p.decimal("eg.plus.cap_share_of_basis", birth)?.0);
    let amounts = Amounts {
        plus_without,
        ..amounts
    };
    trace.step(
        "elterngeld.ersatzrate",
        "§ 2 Abs. 1, 2 BEEG",
        [("net", Cents(before.net).to_string())],
        format!("{rate:.3}"),
        format!(
            "{}: Ersatzrate {rate:.3} bei {} € Netto vor der Geburt",
            parent.id,
            Cents(before.net)
        ),
        format!(
            "{}: replacement rate {rate:.3} for a net income of {} € before birth",
            parent.id,
            Cents(before.net)
        ),
    );
    trace.step(
        "elterngeld.basis_ohne_einkommen",
        "§ 2 Abs. 1, 4 BEEG; § 4a Abs. 2 BEEG",
        [("rate", format!("{rate:.3}")), ("net", Cents(before.net).to_string())],
        format!("{} / {}", Cents(basis_without), Cents(plus_without)),
        format!(
            "{}: Basiselterngeld ohne Einkommen {} € (mindestens 300, höchstens 1 800 €), ElterngeldPlus {} €",
            parent.id,
            Cents(basis_without),
            Cents(plus_without)
        ),
        format!(
            "{}: Basiselterngeld without income {} € (300 to 1 800 €), ElterngeldPlus {} €",
            parent.id,
            Cents(basis_without),
            Cents(plus_without)
        ),
    );

    // Income after the birth, averaged per variant over the months with income (§ 2 Abs. 3).
    let plan: Vec<PlanMonth> = parent.plan.iter().copied().take(LAST_LEBENSMONAT).collect();
    let after_kind = parent
        .income_after_birth_kind
        .unwrap_or_else(|| dominant_kind(parent));
    if parent.income_after_birth_kind.is_none()
        && parent
            .gross_income_after_birth
            .as_ref()
            .is_some_and(|g| g.iter().any(|m| m.0 > Decimal::ZERO))
    {
        reasons.push(reason(
            "assumed_income_after_birth_kind",
            "§ 2 Abs. 3 BEEG",
            format!(
                "Einkommen nach der Geburt als {} angenommen (überwiegende Art vor der Geburt)",
                after_kind.as_str()
            ),
            format!(
                "Income after birth assumed to be {} (the main kind before birth)",
                after_kind.as_str()
            ),
        ));
    }
    let after_insurance = status;
    let mut basis_months = Vec::new();
    let mut plus_months = Vec::new();
    let mut month_income: Vec<Option<MonthIncome>> = vec![None; plan.len()];
    for (i, kind) in plan.iter().enumerate() {
        let gross = parent
            .gross_income_after_birth
            .as_ref()
            .and_then(|g| g.get(i))
            .map(|m| m.0)
            .unwrap_or(Decimal::ZERO);
        if gross <= Decimal::ZERO || *kind == PlanMonth::None {
            continue;
        }
        let start = lebensmonat_start(birth, u32::try_from(i + 1).unwrap_or(1));
        let m = MonthIncome {
            slot: i,
            keeps_status_below_minijob_limit: true,
            kind: after_kind,
            amount: gross,
            insurance: after_insurance,
            limits: MonthLimits::for_month(YearMonth::of(start))?,
        };
        month_income[i] = Some(m);
        match kind {
            PlanMonth::Basis => basis_months.push(m),
            PlanMonth::Plus | PlanMonth::Bonus => plus_months.push(m),
            PlanMonth::None => {}
        }
    }
    // § 2 Abs. 3 BEEG: the average income of the variant's months with income, then its net.
    // Without income before the birth there is no difference to compute: § 2 Abs. 4 pays the
    // minimum and income after the birth is not counted.
    let had_income_before = !months.is_empty() && months.iter().any(|m| m.amount > Decimal::ZERO);
    let has_income_after = !(basis_months.is_empty() && plus_months.is_empty());
    if !had_income_before && has_income_after {
        reasons.push(reason(
            "income_after_birth_not_counted",
            "§ 2 Abs. 3, 4 BEEG",
            "Kein Einkommen vor der Geburt: Einkommen nach der Geburt wird nicht angerechnet, es gilt der Mindestbetrag",
            "No income before birth: income after birth is not counted, the minimum amount applies",
        ));
        basis_months.clear();
        plus_months.clear();
        month_income.iter_mut().for_each(|m| *m = None);
    }
    let after = IncomeAfterBirth {
        basis: net_of_average(np, &tax, &basis_months)?,
        plus: net_of_average(np, &tax, &plus_months)?,
    };
    if !basis_months.is_empty() {
        record_income(trace, &parent.id, "after_basis", &after.basis);
    }
    if !plus_months.is_empty() {
        record_income(trace, &parent.id, "after_plus", &after.plus);
    }

    // Amount per Lebensmonat.
    let siblings_bonus = SiblingBonus::new(case)?;
    let multiples = Decimal::from(case.child.count.saturating_sub(1));
    let mehrling = p.decimal("eg.mehrlingszuschlag_eur", birth)?.0;
    let max_hours = p.decimal("eg.max_weekly_hours", birth)?.0;
    let application_lm = lebensmonat_of(birth, case.evaluation_date);
    let retro = p.whole("eg.retroactive_months", case.evaluation_date)?.0;
    let first_payable = application_lm.saturating_sub(retro).max(1);
    let sibling_min_basis = p.decimal("eg.geschwisterbonus.min_eur", birth)?.0;
    let sibling_min_plus = p.decimal("eg.geschwisterbonus.min_eur_plus", birth)?.0;
    let mut out_months = Vec::with_capacity(plan.len());
    let mut total = Decimal::ZERO;
    let mut cut_retro = Vec::new();
    let mut over_hours = Vec::new();
    for (i, kind) in plan.iter().enumerate() {
        if *kind == PlanMonth::None {
            continue;
        }
        let lm = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let start = lebensmonat_start(birth, lm);
        let end = lebensmonat_start(birth, lm + 1)
            .yesterday()
            .unwrap_or(start);
        let with_income = month_income[i].is_some();
        let (mut amount, is_plus) = match kind {
            PlanMonth::Basis => (
                amounts.basis(if with_income {
                    after.basis.net
                } else {
                    Decimal::ZERO
                }),
                false,
            ),
            _ => (
                amounts.plus(if with_income {
                    after.plus.net
                } else {
                    Decimal::ZERO
                }),
                true,
            ),
        };
        if siblings_bonus.applies(start) {
            let min = if is_plus {
                sibling_min_plus
            } else {
                sibling_min_basis
            };
            amount += cent(amount * siblings_bonus.rate).max(min);
        }
        let per_extra_child = if is_plus {
            cent(mehrling / Decimal::TWO)
        } else {
            mehrling
        };
        amount += multiples * per_extra_child;
        let offset = maternity_offset(parent, start, end).min(amount);
        amount -= offset;
        let hours = parent
            .weekly_hours_after_birth
            .as_ref()
            .and_then(|h| h.get(i))
            .copied()
            .unwrap_or(Decimal::ZERO);
        if hours > max_hours {
            over_hours.push(lm);
            amount = Decimal::ZERO;
        }
        if lm < first_payable {
            cut_retro.push(lm);
            amount = Decimal::ZERO;
        }
        if !eligible {
            amount = Decimal::ZERO;
        }
        total += amount;
        out_months.push(ElterngeldMonth {
            lebensmonat: lm,
            kind: *kind,
            amount,
            offset_maternity: offset,
            // § 2 Abs. 3 S. 1 BEEG: a month's amount is computed with the average net of its
            // variant, so that is the figure shown for the month.
            income_after_birth_net: match (with_income, is_plus) {
                (false, _) => Decimal::ZERO,
                (true, false) => after.basis.net,
                (true, true) => after.plus.net,
            },
        });
    }
    if !over_hours.is_empty() {
        reasons.push(reason(
            "working_hours_exceeded",
            "§ 1 Abs. 6 BEEG",
            format!("Mehr als {max_hours} Wochenstunden in Lebensmonat {over_hours:?}: kein Elterngeld in diesen Monaten"),
            format!("More than {max_hours} hours a week in Lebensmonat {over_hours:?}: no Elterngeld in those months"),
        ));
    }
    if !cut_retro.is_empty() {
        reasons.push(reason(
            "retroactive_limit",
            "§ 7 Abs. 1 S. 2 BEEG",
            format!("Antrag im Lebensmonat {application_lm}: rückwirkend nur die letzten {retro} Lebensmonate; Lebensmonat {cut_retro:?} entfällt"),
            format!("Application in Lebensmonat {application_lm}: only the {retro} Lebensmonate before it are paid retroactively; Lebensmonat {cut_retro:?} is lost"),
        ));
    }
    trace.step(
        "elterngeld.total",
        "§ 4 BEEG",
        [("parent", parent.id.clone())],
        Cents(total).to_string(),
        format!(
            "{}: Elterngeld insgesamt {} € in {} Lebensmonaten",
            parent.id,
            Cents(total),
            out_months.len()
        ),
        format!(
            "{}: Elterngeld in total {} € over {} Lebensmonate",
            parent.id,
            Cents(total),
            out_months.len()
        ),
    );
    Ok(ElterngeldParent {
        id: parent.id.clone(),
        eligible,
        reasons,
        income_before_birth: before,
        income_after_birth: after,
        replacement_rate: rate,
        basis_without_income: basis_without,
        plus_without_income: plus_without,
        months: out_months,
        total,
    })
}

/// The Elterngeld-Netto of the average gross over `months` (one variant after the birth),
/// with the limits of the first of them.
fn net_of_average(
    np: &NetParams,
    tax: &TaxFeatures,
    months: &[MonthIncome],
) -> Result<IncomeFigures, RulesError> {
    let Some(first) = months.first() else {
        return Ok(IncomeFigures::default());
    };
    let total: Decimal = months.iter().map(|m| m.amount).sum();
    let average = MonthIncome {
        // The average is an amount of money: rounded half up to the cent before the
        // contribution base and the taxes are taken from it (BEEG-RL 2.0.3.3.1).
        amount: cent(total / Decimal::from(months.len() as u64)),
        ..*first
    };
    net_of(np, tax, &[average], Decimal::ONE)
}

fn record_income(trace: &mut Trace, parent: &str, when: &str, f: &IncomeFigures) {
    let (rule, de, en) = match when {
        "before" => (
            "elterngeld.netto_before",
            "vor der Geburt (Monatsdurchschnitt im Bemessungszeitraum)",
            "before birth (monthly average over the Bemessungszeitraum)",
        ),
        "after_basis" => (
            "elterngeld.netto_after_basis",
            "nach der Geburt in Basis-Monaten mit Einkommen",
            "after birth in Basis months with income",
        ),
        _ => (
            "elterngeld.netto_after_plus",
            "nach der Geburt in Plus-/Bonus-Monaten mit Einkommen",
            "after birth in Plus/bonus months with income",
        ),
    };
    trace.step(
        rule,
        "§§ 2c–2f BEEG",
        [
            ("gross", Cents(f.gross).to_string()),
            ("taxes", Cents(f.taxes).to_string()),
            ("social_contributions", Cents(f.social_contributions).to_string()),
        ],
        Cents(f.net).to_string(),
        format!(
            "{parent}: Elterngeld-Netto {de}: {} € brutto − {} € Steuern − {} € Sozialabgaben = {} €",
            Cents(f.gross),
            Cents(f.taxes),
            Cents(f.social_contributions),
            Cents(f.net)
        ),
        format!(
            "{parent}: Elterngeld net income {en}: {} € gross − {} € taxes − {} € social contributions = {} €",
            Cents(f.gross),
            Cents(f.taxes),
            Cents(f.social_contributions),
            Cents(f.net)
        ),
    );
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
            .map(|a| {
                a.monthly_income
                    * Decimal::from(a.months_active.iter().filter(|m| **m).count() as u64)
            })
            .sum();
        if sum > best.1 {
            best = (kind, sum);
        }
    }
    best.0
}

/// The person's insurance status per branch (§ 2f Abs. 1 BEEG: "falls die berechtigte Person
/// … versicherungspflichtig gewesen ist"), one status for all income. § 2c Abs. 3 S. 2, 3: the
/// status of the last month with employment income holds, unless the other status held in more
/// months; the BSG compares the months in which each status held (B 10 EG 10/17 R), so only
/// months with income count. A month is insured when an activity other than a Minijob was
/// insured in it (a Minijob is free of KV and AV, § 7 SGB V, § 27 Abs. 2 SGB III); without
/// employment the last month with income decides a tie.
fn person_insurance(parent: &Parent) -> Insurance {
    let acts = &parent.activities_before_birth;
    let active =
        |a: &crate::model::Activity, i: usize| a.months_active.get(i).copied().unwrap_or(false);
    let with_income: Vec<usize> = (0..12)
        .filter(|i| acts.iter().any(|a| active(a, *i)))
        .collect();
    let last_employed = with_income.iter().rev().copied().find(|i| {
        acts.iter()
            .any(|a| a.kind != ActivityKind::SelfEmployed && active(a, *i))
    });
    let deciding = last_employed.or(with_income.last().copied());
    let insured = |flag: fn(&crate::model::Activity) -> bool| {
        let in_month = |i: usize| {
            acts.iter()
                .any(|a| a.kind != ActivityKind::Minijob && active(a, i) && flag(a))
        };
        let count = with_income.iter().filter(|i| in_month(**i)).count();
        let others = with_income.len() - count;
        count > others || (count == others && deciding.is_some_and(in_month))
    };
    Insurance {
        health: insured(|a| a.health_insured),
        pension: insured(|a| a.pension_insured),
        unemployment: insured(|a| a.unemployment_insured),
    }
}

/// The Lebensmonat in which `day` lies (1-based; 0 before the birth).
pub fn lebensmonat_of(birth: Date, day: Date) -> u32 {
    if day < birth {
        return 0;
    }
    let mut k = 1;
    while k < 1000 && lebensmonat_start(birth, k + 1) <= day {
        k += 1;
    }
    k
}

/// Mutterschaftsgeld and employer top-up for the days from the birth within a Lebensmonat
/// (§ 3 Abs. 1 S. 1 Nr. 1, S. 2 BEEG: partial months pro rata by day).
fn maternity_offset(parent: &Parent, start: Date, end: Date) -> Decimal {
    let Some(m) = &parent.maternity_benefit else {
        return Decimal::ZERO;
    };
    let last = m.until.min(end);
    if last < start {
        return Decimal::ZERO;
    }
    let days = start.until(last).map(|s| s.get_days()).unwrap_or(0) + 1;
    cent(Decimal::from(days) * (m.daily_amount + m.employer_top_up_daily))
}

/// The Geschwisterbonus test of § 2a Abs. 1 BEEG at the start of a Lebensmonat.
struct SiblingBonus {
    rate: Decimal,
    births_under_3: Vec<Date>,
    births_under_6: Vec<Date>,
    disabled_under_14: Vec<Date>,
}

impl SiblingBonus {
    fn new(case: &Case) -> Result<Self, RulesError> {
        let p = params();
        let birth = case.child.birth_date;
        let years = |key: &str| -> Result<i16, RulesError> {
            Ok(i16::try_from(p.whole(key, birth)?.0).unwrap_or(0))
        };
        let (y3, y6, y14) = (
            years("eg.geschwisterbonus.age_limit_1_sibling")?,
            years("eg.geschwisterbonus.age_limit_2_siblings")?,
            years("eg.geschwisterbonus.age_limit_disabled_sibling")?,
        );
        let limit = |b: Date, y: i16| b.checked_add(i64::from(y).years()).unwrap_or(Date::MAX);
        Ok(SiblingBonus {
            rate: p.decimal("eg.geschwisterbonus.rate", birth)?.0,
            births_under_3: case
                .siblings
                .iter()
                .map(|s| limit(s.birth_date, y3))
                .collect(),
            births_under_6: case
                .siblings
                .iter()
                .map(|s| limit(s.birth_date, y6))
                .collect(),
            disabled_under_14: case
                .siblings
                .iter()
                .filter(|s| s.disability)
                .map(|s| limit(s.birth_date, y14))
                .collect(),
        })
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

fn eligibility(case: &Case, parent: &Parent) -> Result<Vec<Reason>, RulesError> {
    let mut out = Vec::new();
    let birth = case.child.birth_date;
    for (ok, code, de, en) in [
        (
            parent.lives_in_germany,
            "no_residence_in_germany",
            "Kein Wohnsitz oder gewöhnlicher Aufenthalt in Deutschland",
            "No domicile or habitual residence in Germany",
        ),
        (
            parent.lives_with_child,
            "not_in_household",
            "Lebt nicht mit dem Kind in einem Haushalt",
            "Does not live in one household with the child",
        ),
        (
            parent.cares_for_child,
            "no_personal_care",
            "Betreut und erzieht das Kind nicht selbst",
            "Does not care for and bring up the child personally",
        ),
    ] {
        if !ok {
            out.push(reason(code, "§ 1 Abs. 1 BEEG", de, en));
        }
    }
    if !has_free_movement(&parent.citizenship) {
        let works = parent
            .activities_before_birth
            .iter()
            .any(|a| a.kind != ActivityKind::Minijob && a.months_active.iter().any(|m| *m));
        let title = parent.residence_title.as_deref().and_then(residence_title);
        match title.map(|t| (t, t.beeg_status)) {
            Some((_, TitleStatus::Eligible)) => {}
            Some((t, TitleStatus::EligibleIfEmployed)) if works => out.push(reason(
                "assumed_employed_or_elternzeit",
                t.beeg_citation,
                format!("Aufenthaltstitel {}: berechtigt, da erwerbstätig bzw. in Elternzeit angenommen", t.name),
                format!("Residence title {}: entitled, assuming employment or Elternzeit", t.name),
            )),
            Some((t, TitleStatus::EligibleIfEmployed)) => out.push(reason(
                "residence_title_requires_employment",
                t.beeg_citation,
                format!("Aufenthaltstitel {} berechtigt nur bei Erwerbstätigkeit, Arbeitslosengeld oder Elternzeit", t.name),
                format!("Residence title {} entitles only with employment, unemployment benefit or Elternzeit", t.name),
            )),
            Some((t, TitleStatus::NotEligible)) => out.push(reason(
                "residence_title_not_entitling",
                t.beeg_citation,
                format!("Aufenthaltstitel {} berechtigt nicht zum Elterngeld", t.name),
                format!("Residence title {} does not entitle to Elterngeld", t.name),
            )),
            None => out.push(reason(
                "residence_title_not_entitling",
                "§ 1 Abs. 7 BEEG",
                format!("Aufenthaltstitel {:?} ist keiner der Titel des § 1 Abs. 7 BEEG; bitte mit der Elterngeldstelle klären", parent.residence_title),
                format!("Residence title {:?} is none of the titles of § 1 Abs. 7 BEEG; please check with the Elterngeldstelle", parent.residence_title),
            )),
        }
    }
    let key = if case.household.single_parent {
        "eg.income_ceiling.single_eur"
    } else {
        "eg.income_ceiling.couple_eur"
    };
    let (ceiling, citation) = params().decimal(key, birth)?;
    match case.household.taxable_income_year_before_birth {
        Some(zve) if zve > ceiling => out.push(reason(
            "income_ceiling_exceeded",
            citation,
            format!("Zu versteuerndes Einkommen {zve:.2} € über der Grenze von {ceiling} €"),
            format!("Taxable income {zve:.2} € above the limit of {ceiling} €"),
        )),
        Some(_) => {}
        None => out.push(reason(
            "assumed_income_below_ceiling",
            citation,
            format!("Zu versteuerndes Einkommen nicht angegeben: unter {ceiling} € angenommen"),
            format!("Taxable income not given: assumed below {ceiling} €"),
        )),
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
