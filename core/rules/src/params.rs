//! Legal parameters as dated, cited data (`core/rules/params/*.toml`, embedded at compile time).
//!
//! Every number the rules use lives there with `valid_from`/`valid_to`, the date that selects
//! it (`applies_by`) and its legal citation. The rules ask for a key at a date and get the
//! value together with its citation, which goes into the explanation.

use std::str::FromStr;
use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashMap;
use serde::Deserialize;

const FILES: [(&str, &str); 2] = [
    ("elterngeld.toml", include_str!("../params/elterngeld.toml")),
    ("kindergeld.toml", include_str!("../params/kindergeld.toml")),
];

/// One parameter value with its validity and legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub key: String,
    pub value: String,
    pub valid_from: Date,
    #[serde(default)]
    pub valid_to: Option<Date>,
    /// Which date selects the value: `birth_date`, `payment_month`, `application_date`, …
    pub applies_by: String,
    pub citation: String,
    pub source: String,
    /// `value` as a number, parsed once at load (lookups sit on the rules' hot path).
    #[serde(skip)]
    number: Option<Decimal>,
    /// `number` when it is a whole, non-negative `u32`.
    #[serde(skip)]
    whole: Option<u32>,
}

impl Param {
    fn covers(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    param: Vec<Param>,
}

/// A parameter the rules asked for but the data does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("no value of {key} is valid on {date}{}", coverage_note(*.covered))]
    NotCovered {
        key: String,
        date: Date,
        /// The first and last day any value of the key covers (`None`: open end), or `None`
        /// if the key has no values at all.
        covered: Option<(Date, Option<Date>)>,
    },
    #[error("parameter {key} is not a number: {value:?}")]
    NotANumber { key: String, value: String },
}

fn coverage_note(covered: Option<(Date, Option<Date>)>) -> String {
    match covered {
        None => "; the parameter data has no such key".to_string(),
        Some((from, Some(to))) => format!("; its values cover {from} to {to}"),
        Some((from, None)) => format!("; its values cover {from} onwards"),
    }
}

/// All parameters, by key.
#[derive(Debug)]
pub struct Params {
    /// Fx rather than SipHash: the keys are our own constants, not attacker-chosen.
    by_key: FxHashMap<String, Vec<Param>>,
}

impl Params {
    fn parse() -> Result<Self, String> {
        let mut by_key: FxHashMap<String, Vec<Param>> = FxHashMap::default();
        for (name, text) in FILES {
            let file: ParamFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            for mut p in file.param {
                p.number = Decimal::from_str(&p.value).ok();
                p.whole = p
                    .number
                    .filter(|n| n.fract().is_zero())
                    .and_then(|n| n.to_u32());
                by_key.entry(p.key.clone()).or_default().push(p);
            }
        }
        Ok(Params { by_key })
    }

    /// The parameter `key` valid on `date`.
    pub fn get(&self, key: &str, date: Date) -> Result<&Param, ParamError> {
        let list = self.by_key.get(key);
        list.and_then(|list| list.iter().find(|p| p.covers(date)))
            .ok_or_else(|| ParamError::NotCovered {
                key: key.to_string(),
                date,
                covered: list.and_then(|list| {
                    let from = list.iter().map(|p| p.valid_from).min()?;
                    // Any open-ended value makes the coverage open-ended.
                    let to = list.iter().map(|p| p.valid_to.unwrap_or(Date::MAX)).max()?;
                    Some((from, (to != Date::MAX).then_some(to)))
                }),
            })
    }

    /// The numeric value of `key` on `date`, with its citation.
    pub fn decimal(&self, key: &str, date: Date) -> Result<(Decimal, &str), ParamError> {
        let p = self.get(key, date)?;
        let value = p.number.ok_or_else(|| ParamError::NotANumber {
            key: key.to_string(),
            value: p.value.clone(),
        })?;
        Ok((value, p.citation.as_str()))
    }

    /// A whole, non-negative parameter (months, ages, hours) on `date`, with its citation. A
    /// fractional or negative value is an error, never silently truncated.
    pub fn whole(&self, key: &str, date: Date) -> Result<(u32, &str), ParamError> {
        let p = self.get(key, date)?;
        let whole = p.whole.ok_or_else(|| ParamError::NotANumber {
            key: key.to_string(),
            value: p.value.clone(),
        })?;
        Ok((whole, p.citation.as_str()))
    }

    /// Every parameter (for checks and documentation).
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.by_key.values().flatten()
    }

    /// The first days of the periods in which no parameter whose key `of_key` accepts changes:
    /// every `valid_from` and every day after a `valid_to` of one, in order, without repeats.
    /// With [`NewYears::Cut`] also every New Year from the year of the earliest such date to
    /// two years after the latest.
    pub fn period_starts(&self, of_key: impl Fn(&str) -> bool, new_years: NewYears) -> Vec<Date> {
        let mut starts: Vec<Date> = Vec::new();
        for p in self.all().filter(|p| of_key(&p.key)) {
            starts.push(p.valid_from);
            if let Some(next) = p.valid_to.and_then(|to| to.tomorrow().ok()) {
                starts.push(next);
            }
        }
        if new_years == NewYears::Cut {
            let first = starts.iter().min().map_or(2000, |d| d.year());
            let last = starts.iter().max().map_or(2050, |d| d.year()).max(first) + 2;
            starts.extend((first..=last).filter_map(|y| Date::new(y, 1, 1).ok()));
        }
        starts.sort_unstable();
        starts.dedup();
        starts
    }
}

/// Whether [`Params::period_starts`] also starts a period at every New Year, for values that
/// follow the calendar year besides the parameters (the PAP inputs of Elterngeld).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewYears {
    Cut,
    Ignore,
}

/// Values derived from parameters, resolved once per period in which none of those
/// parameters changes, instead of by key and date on every computation (each lookup costs a
/// hash and a scan; for Elterngeld and Kindergeld they were a tenth to a fifth of the work).
///
/// Exact only if the periods are cut wherever a value the resolver reads changes: take the
/// starts from [`Params::period_starts`] over the keys it reads, and test the table against
/// resolving directly for every day.
#[derive(Debug)]
pub struct PeriodTable<T> {
    /// Sorted by start; `None` where resolving failed.
    periods: Vec<(Date, Option<T>)>,
}

impl<T> PeriodTable<T> {
    /// Resolves a value for the first day of every period; `starts` must be sorted.
    pub fn new<E>(starts: Vec<Date>, resolve: impl Fn(Date) -> Result<T, E>) -> Self {
        debug_assert!(starts.is_sorted(), "period starts out of order");
        PeriodTable {
            periods: starts
                .into_iter()
                .map(|from| (from, resolve(from).ok()))
                .collect(),
        }
    }

    /// The value of the period containing `date`; `None` before the first period or where
    /// resolving failed: the caller then resolves for `date` itself to get the precise error.
    pub fn get(&self, date: Date) -> Option<&T> {
        let after = self.periods.partition_point(|(from, _)| *from <= date);
        self.periods.get(after.checked_sub(1)?)?.1.as_ref()
    }
}

/// The embedded parameters, parsed once.
pub fn params() -> &'static Params {
    static PARAMS: OnceLock<Params> = OnceLock::new();
    PARAMS.get_or_init(|| {
        // The files are compiled in and parsed by the test `embedded_files_parse`; a broken
        // file cannot reach a release.
        Params::parse().expect("embedded parameter files parse")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse() {
        Params::parse().unwrap();
    }

    #[test]
    fn every_parameter_has_a_citation_and_a_source() {
        for p in params().all() {
            assert!(p.citation.trim().len() > 3, "{} has no citation", p.key);
            assert!(!p.source.trim().is_empty(), "{} has no source", p.key);
            assert!(
                p.valid_to.is_none_or(|to| p.valid_from <= to),
                "{} ends before it starts",
                p.key
            );
        }
    }

    #[test]
    fn validities_of_a_key_do_not_overlap() {
        for list in params().by_key.values() {
            for (i, a) in list.iter().enumerate() {
                for b in &list[i + 1..] {
                    let a_end = a.valid_to.unwrap_or(Date::MAX);
                    let b_end = b.valid_to.unwrap_or(Date::MAX);
                    assert!(
                        a_end < b.valid_from || b_end < a.valid_from,
                        "{} has overlapping validities from {} and {}",
                        a.key,
                        a.valid_from,
                        b.valid_from
                    );
                }
            }
        }
    }

    #[test]
    fn values_switch_on_their_dates() {
        let p = params();
        let d = |s: &str| Date::from_str(s).unwrap();
        assert_eq!(
            p.decimal("kg.amount_eur", d("2024-12-31")).unwrap().0,
            Decimal::from(250)
        );
        assert_eq!(
            p.decimal("kg.amount_eur", d("2025-01-01")).unwrap().0,
            Decimal::from(255)
        );
        assert_eq!(
            p.decimal("kg.amount_eur", d("2026-07-01")).unwrap().0,
            Decimal::from(259)
        );
        let ceiling = |s| p.decimal("eg.income_ceiling.couple_eur", d(s)).unwrap().0;
        assert_eq!(ceiling("2024-03-31"), Decimal::from(300_000));
        assert_eq!(ceiling("2024-04-01"), Decimal::from(200_000));
        assert_eq!(ceiling("2025-04-01"), Decimal::from(175_000));
        assert_eq!(
            p.get("eg.pap_version", d("2024-06-01")).unwrap().value,
            "2023_stand2022-11"
        );
        assert_eq!(
            p.whole("eg.retroactive_months", d("2025-01-01")).unwrap().0,
            3
        );
        assert!(matches!(
            p.whole("eg.ersatzrate.base", d("2025-01-01")),
            Err(ParamError::NotANumber { .. })
        ));
        let early = p.decimal("kg.amount_eur", d("2019-01-01")).unwrap_err();
        assert!(matches!(early, ParamError::NotCovered { .. }));
        // The message says what the data does cover.
        assert_eq!(
            early.to_string(),
            "no value of kg.amount_eur is valid on 2019-01-01; its values cover 2023-01-01 onwards"
        );
        assert_eq!(
            p.get("no.such.key", d("2025-01-01"))
                .unwrap_err()
                .to_string(),
            "no value of no.such.key is valid on 2025-01-01; the parameter data has no such key"
        );
    }

    #[test]
    fn period_table_finds_the_period_of_a_day() {
        let d = |s: &str| Date::from_str(s).unwrap();
        let starts = vec![d("2020-01-01"), d("2021-01-01"), d("2022-01-01")];
        let table = PeriodTable::new(starts, |from| {
            if from.year() == 2021 {
                Err("missing")
            } else {
                Ok(from.year())
            }
        });
        assert_eq!(table.get(d("2019-12-31")), None);
        assert_eq!(table.get(d("2020-01-01")), Some(&2020));
        assert_eq!(table.get(d("2020-12-31")), Some(&2020));
        assert_eq!(table.get(d("2021-06-01")), None);
        assert_eq!(table.get(d("2022-01-01")), Some(&2022));
        assert_eq!(table.get(d("2099-01-01")), Some(&2022));
    }

    #[test]
    fn period_starts_cut_at_validities_and_new_years() {
        let p = params();
        let amount = |key: &str| key == "kg.amount_eur";
        let d = |s: &str| Date::from_str(s).unwrap();
        // Valid 2023-01-01 to 2024-12-31, 2025, from 2026.
        assert_eq!(
            p.period_starts(amount, NewYears::Ignore),
            [d("2023-01-01"), d("2025-01-01"), d("2026-01-01")]
        );
        let with_years = p.period_starts(amount, NewYears::Cut);
        assert_eq!(with_years.first(), Some(&d("2023-01-01")));
        assert_eq!(with_years.last(), Some(&d("2028-01-01")));
        assert_eq!(with_years.len(), 6);
    }

    #[test]
    fn every_pap_version_named_exists() {
        for p in params().all().filter(|p| p.key == "eg.pap_version") {
            assert!(
                elternkit_lohnsteuer::PapVersion::from_name(&p.value).is_some(),
                "unknown PAP version {}",
                p.value
            );
        }
    }
}
