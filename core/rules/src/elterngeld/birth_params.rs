//! The Elterngeld parameters that the birth date selects (BEEG: amounts, rates, limits and
//! the PAP inputs of § 2e), resolved once for every period in which none of them changes.
//!
//! A computation needs some thirty of them per parent; looking each up by key and date was a
//! tenth of an Elterngeld computation. The periods are cut at every `valid_from` and
//! `valid_to` of an `eg.*` parameter and at every New Year (the PAP inputs follow the year
//! before the birth), so within a period every value here is the same, and a table of
//! resolved sets gives exactly what the lookups would give (tested for every birth day).

use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::income::{NetParams, at_cent_scale};
use crate::RulesError;
use crate::params::{At, NewYears, ParamError, PeriodTable, params};

/// The Ersatzrate of § 2 Abs. 1, 2 BEEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErsatzrateParams {
    pub base: Decimal,
    pub max: Decimal,
    pub min: Decimal,
    pub increase_below: Decimal,
    pub decrease_above: Decimal,
    pub step: Decimal,
    pub step_rate: Decimal,
}

/// The Geschwisterbonus of § 2a Abs. 1 BEEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiblingParams {
    pub rate: Decimal,
    pub min_basis: Decimal,
    pub min_plus: Decimal,
    /// Age limits in years: one sibling under 3, two under 6, a disabled one under 14.
    pub years_one: i16,
    pub years_two: i16,
    pub years_disabled: i16,
}

/// The month plan of § 4 BEEG (with §§ 4a–4c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanParams {
    pub basis_last_lebensmonat: u32,
    pub plus_last_lebensmonat: u32,
    pub basis_max_per_parent: u32,
    pub basis_months_joint: u32,
    pub partner_months: u32,
    pub min_months_per_parent: u32,
    pub bonus_months_min: u32,
    pub bonus_months_max: u32,
    pub bonus_hours_min: Decimal,
    pub bonus_hours_max: Decimal,
    /// Extra months for a birth at least 6, 8, 12, 16 weeks early (§ 4 Abs. 5).
    pub premature_extra_months: [u32; 4],
    /// Parallel Basis months (§ 4 Abs. 6, births from 2024-04-01): the most, its citation,
    /// and the last Lebensmonat they may lie in.
    pub parallel_basis: Option<(Decimal, &'static str, u32)>,
}

/// Every birth-date parameter of one computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthParams {
    pub net: NetParams,
    pub ersatzrate: ErsatzrateParams,
    pub cap_income: Decimal,
    pub min_basis: Decimal,
    pub max_basis: Decimal,
    pub min_plus: Decimal,
    pub plus_cap_share: Decimal,
    pub mehrlingszuschlag: Decimal,
    pub max_weekly_hours: Decimal,
    /// The Lebensmonate with reduced income that the partner months need (§ 4 Abs. 3 S. 2).
    pub partner_reduced_lebensmonate: u32,
    pub sibling: SiblingParams,
    pub plan: PlanParams,
    /// The income limit of § 1 Abs. 8 BEEG with its citation: single parent, couple.
    pub ceiling_single: (Decimal, &'static str),
    pub ceiling_couple: (Decimal, &'static str),
    /// The monthly average profit below which § 2b Abs. 4 BEEG lets a person with mixed
    /// income be assessed on the wages of the 12 months alone, on application.
    pub small_profit_limit: (Decimal, &'static str),
    pub bmz: BmzParams,
    /// § 1 Abs. 7 S. 1 Nr. 4 BEEG: months of stay that entitle a humanitarian-title holder
    /// (`None`: not in force for this birth, so no stay entitles).
    pub humanitarian_min_stay: Option<u32>,
}

/// The parameters of the Bemessungszeitraum shift (§ 2b Abs. 1 S. 2–4 BEEG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmzParams {
    /// First and last day of the COVID-19 window of S. 4, with its citation.
    pub covid_from: Date,
    pub covid_to: Date,
    pub covid_citation: &'static str,
    /// Whether the waiver of S. 3 exists for this birth, with its citation.
    pub waiver: Option<&'static str>,
    /// The last Lebensmonat of an older child whose Elterngeld skips months (Nr. 1).
    pub older_child_last_lebensmonat: u32,
}

impl BirthParams {
    /// The parameters for a child born on `birth`.
    pub fn for_birth(birth: Date) -> Result<&'static BirthParams, RulesError> {
        static TABLE: OnceLock<PeriodTable<BirthParams>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            // The PAP inputs follow the calendar year, hence the New Years.
            let starts = params().period_starts(|key| key.starts_with("eg."), NewYears::Cut);
            PeriodTable::new(starts, BirthParams::resolve)
        });
        match table.get(birth) {
            Some(p) => Ok(p),
            // Not covered: resolving for the day itself names the missing parameter and date.
            _ => {
                Err(BirthParams::resolve(birth)
                    .err()
                    .unwrap_or_else(|| RulesError::Unsupported {
                        path: "child.birth_date".into(),
                        message: format!("no Elterngeld parameter set for {birth}"),
                    }))
            }
        }
    }

    /// Looks every parameter up for `birth`.
    pub fn resolve(birth: Date) -> Result<BirthParams, RulesError> {
        let p = params();
        let at = At::BirthDate(birth);
        let dec = |key: &str| -> Result<Decimal, RulesError> { Ok(p.decimal(key, at)?.0) };
        // Amounts compared with amounts of money: held with two decimals like them.
        let money = |key: &str| -> Result<Decimal, RulesError> { Ok(at_cent_scale(dec(key)?)) };
        let years = |key: &str| -> Result<i16, RulesError> {
            Ok(i16::try_from(p.whole(key, at)?.0).unwrap_or(i16::MAX))
        };
        let cited =
            |key: &str| -> Result<(Decimal, &'static str), RulesError> { Ok(p.decimal(key, at)?) };
        let whole = |key: &str| -> Result<u32, RulesError> { Ok(p.whole(key, at)?.0) };
        Ok(BirthParams {
            net: NetParams::for_birth(birth)?,
            ersatzrate: ErsatzrateParams {
                base: dec("eg.ersatzrate.base")?,
                max: dec("eg.ersatzrate.max")?,
                min: dec("eg.ersatzrate.min")?,
                increase_below: money("eg.ersatzrate.increase_below_eur")?,
                decrease_above: money("eg.ersatzrate.decrease_above_eur")?,
                step: dec("eg.ersatzrate.step_eur")?,
                step_rate: dec("eg.ersatzrate.step_rate")?,
            },
            cap_income: money("eg.difference_method.cap_income_before_eur")?,
            min_basis: money("eg.basis.min_eur")?,
            max_basis: money("eg.basis.max_eur")?,
            min_plus: money("eg.plus.min_eur")?,
            plus_cap_share: dec("eg.plus.cap_share_of_basis")?,
            mehrlingszuschlag: money("eg.mehrlingszuschlag_eur")?,
            max_weekly_hours: dec("eg.max_weekly_hours")?,
            partner_reduced_lebensmonate: whole("eg.partner_months.reduced_lebensmonate")?,
            sibling: SiblingParams {
                rate: dec("eg.geschwisterbonus.rate")?,
                min_basis: money("eg.geschwisterbonus.min_eur")?,
                min_plus: money("eg.geschwisterbonus.min_eur_plus")?,
                years_one: years("eg.geschwisterbonus.age_limit_1_sibling")?,
                years_two: years("eg.geschwisterbonus.age_limit_2_siblings")?,
                years_disabled: years("eg.geschwisterbonus.age_limit_disabled_sibling")?,
            },
            plan: PlanParams {
                basis_last_lebensmonat: whole("eg.basis.last_life_month")?,
                plus_last_lebensmonat: whole("eg.plus.last_life_month")?,
                basis_max_per_parent: whole("eg.basis.max_months_per_parent")?,
                basis_months_joint: whole("eg.basis.months_joint")?,
                partner_months: whole("eg.basis.partner_months")?,
                min_months_per_parent: whole("eg.min_months_per_parent")?,
                bonus_months_min: whole("eg.partnerschaftsbonus.months_min")?,
                bonus_months_max: whole("eg.partnerschaftsbonus.months_max")?,
                bonus_hours_min: dec("eg.partnerschaftsbonus.hours_min")?,
                bonus_hours_max: dec("eg.partnerschaftsbonus.hours_max")?,
                premature_extra_months: [
                    whole("eg.premature.extra_months_6w")?,
                    whole("eg.premature.extra_months_8w")?,
                    whole("eg.premature.extra_months_12w")?,
                    whole("eg.premature.extra_months_16w")?,
                ],
                // Not in force before 2024-04-01: no limit then.
                parallel_basis: match p.decimal("eg.parallel_basis.max_months", at) {
                    Ok((max, citation)) => {
                        Some((max, citation, whole("eg.parallel_basis.latest_life_month")?))
                    }
                    Err(_) => None,
                },
            },
            ceiling_single: cited("eg.income_ceiling.single_eur")?,
            ceiling_couple: cited("eg.income_ceiling.couple_eur")?,
            small_profit_limit: cited("eg.mixed_income.small_profit_limit_eur")?,
            bmz: BmzParams {
                covid_from: p.date("eg.bmz.covid_window_from", at)?.0,
                covid_to: p.date("eg.bmz.covid_window_to", at)?.0,
                covid_citation: p.date("eg.bmz.covid_window_to", at)?.1,
                // No value before the waiver was enacted: then there is none.
                waiver: match p.date("eg.bmz.waiver_from_birth", at) {
                    Ok((from, citation)) if birth >= from => Some(citation),
                    Ok(_) | Err(ParamError::NotCovered { .. }) => None,
                    Err(e) => return Err(e.into()),
                },
                older_child_last_lebensmonat: whole("eg.bmz.older_child_last_lebensmonat")?,
            },
            humanitarian_min_stay: crate::residence::humanitarian_min_stay(
                "eg.humanitarian_min_stay_months",
                at,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives exactly what looking every parameter up gives, for every birth day of
    /// the years the rules cover, and the same error where a parameter is missing.
    #[test]
    fn table_matches_direct_lookups_every_day() {
        let mut day = Date::new(2021, 1, 1).unwrap();
        let end = Date::new(2031, 1, 1).unwrap();
        let mut covered = 0;
        while day < end {
            match (BirthParams::for_birth(day), BirthParams::resolve(day)) {
                (Ok(table), Ok(direct)) => {
                    assert_eq!(*table, direct, "{day}");
                    covered += 1;
                }
                (Err(_), Err(_)) => {}
                (table, direct) => panic!("{day}: table {table:?}, direct {direct:?}"),
            }
            day = day.tomorrow().unwrap();
        }
        assert!(covered > 365 * 4, "{covered} days covered");
    }
}
