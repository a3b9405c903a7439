//! Legal parameters as dated, cited data (`core/rules/params/*.toml`, embedded at compile time
//! as JSON converted by `build.rs`, so the library carries no TOML parser).
//!
//! Each key is described once (unit, labels, the norm it implements, the kind of date that
//! selects its value, when its values were last checked) and holds its dated values, each
//! with `valid_from`/`valid_to`, the citation as in force, the amending law where known and
//! the source. The rules ask for a key at a typed date ([`At`]) and get the value together
//! with its citation, which goes into the explanation; a date of another kind than the key's
//! `applies_by` is refused ([`ParamError::WrongDate`]).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use elternkit_model::YearMonth;
use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The parameter files as JSON (`build.rs`), under their source names.
const FILES: [(&str, &str); 2] = [
    (
        "elterngeld.toml",
        include_str!(concat!(env!("OUT_DIR"), "/elterngeld.json")),
    ),
    (
        "kindergeld.toml",
        include_str!(concat!(env!("OUT_DIR"), "/kindergeld.json")),
    ),
];

/// The kind of date that selects a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesBy {
    /// The child's birth date: the BEEG applies in the version in force at the birth
    /// (§ 28 BEEG).
    BirthDate,
    /// The calendar month for which Kindergeld is paid; its conditions are examined month by
    /// month (§ 66 Abs. 2 EStG).
    PaymentMonth,
    /// The day the application is received.
    ApplicationDate,
    /// The calendar month in which income was earned (the Minijob and Übergangsbereich limits
    /// of that month, § 2f Abs. 2 BEEG with § 8, § 20 SGB IV).
    IncomeMonth,
    /// The calendar year before the birth (§ 2e Abs. 1 BEEG).
    YearBeforeBirth,
}

impl AppliesBy {
    /// The name used in the parameter files.
    pub fn name(self) -> &'static str {
        match self {
            AppliesBy::BirthDate => "birth_date",
            AppliesBy::PaymentMonth => "payment_month",
            AppliesBy::ApplicationDate => "application_date",
            AppliesBy::IncomeMonth => "income_month",
            AppliesBy::YearBeforeBirth => "year_before_birth",
        }
    }

    /// Whether a value of this kind is selected by a whole calendar month.
    #[cfg(test)]
    fn is_monthly(self) -> bool {
        matches!(self, AppliesBy::PaymentMonth | AppliesBy::IncomeMonth)
    }
}

impl fmt::Display for AppliesBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The date a lookup passes, saying which kind of date it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    BirthDate(Date),
    PaymentMonth(YearMonth),
    ApplicationDate(Date),
    IncomeMonth(YearMonth),
    /// The year before the birth of a child born on this date.
    YearBeforeBirth(Date),
}

impl At {
    /// The kind of date.
    pub fn kind(self) -> AppliesBy {
        match self {
            At::BirthDate(_) => AppliesBy::BirthDate,
            At::PaymentMonth(_) => AppliesBy::PaymentMonth,
            At::ApplicationDate(_) => AppliesBy::ApplicationDate,
            At::IncomeMonth(_) => AppliesBy::IncomeMonth,
            At::YearBeforeBirth(_) => AppliesBy::YearBeforeBirth,
        }
    }

    /// The day whose values apply: the date itself, the first day of a month, and a day in
    /// the middle of the year before a birth (the values of that kind cover whole years).
    pub fn day(self) -> Date {
        match self {
            At::BirthDate(d) | At::ApplicationDate(d) => d,
            At::PaymentMonth(m) | At::IncomeMonth(m) => m.first_day(),
            At::YearBeforeBirth(birth) => Date::new(birth.year() - 1, 7, 1).unwrap_or(birth),
        }
    }
}

/// One key with the metadata that holds for all its values, and its dated values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub key: String,
    /// What the value counts: `EUR/month`, `fraction`, `months`, …
    pub unit: String,
    pub label_de: String,
    pub label_en: String,
    /// The paragraph the key implements.
    pub norm: String,
    /// The kind of date that selects a value; lookups must pass this kind.
    pub applies_by: AppliesBy,
    /// When the values were last compared with their sources.
    pub checked_on: Date,
    /// Never shown to users.
    #[serde(default)]
    pub note: Option<String>,
    /// Sorted by `valid_from` at load.
    #[serde(rename = "value")]
    pub values: Vec<DatedValue>,
}

/// One value of a key with its validity and legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    pub value: String,
    pub valid_from: Date,
    #[serde(default)]
    pub valid_to: Option<Date>,
    /// The norm as in force, shown to users: legal references only, no notes.
    pub citation: String,
    /// The amending law that set this value, where known.
    #[serde(default)]
    pub amended_by: Option<String>,
    pub source: String,
    /// Never shown to users.
    #[serde(default)]
    pub note: Option<String>,
    /// `value` as a number, parsed once at load (lookups sit on the rules' hot path).
    #[serde(skip)]
    number: Option<Decimal>,
    /// `number` when it is a whole, non-negative `u32`.
    #[serde(skip)]
    whole: Option<u32>,
}

impl DatedValue {
    fn covers(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    param: Vec<Param>,
}

/// A parameter the rules asked for but the data does not have, or asked for wrongly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The message leaves `date` out: it comes from the case (a birth date).
    #[error("no value of {key} is valid on the date asked for{}", coverage_note(*.covered))]
    NotCovered {
        key: String,
        date: Date,
        /// The first and last day any value of the key covers (`None`: open end), or `None`
        /// if the key has no values at all.
        covered: Option<(Date, Option<Date>)>,
    },
    #[error("parameter {key} is not a number: {value:?}")]
    NotANumber { key: String, value: String },
    #[error("parameter {key} is not a date: {value:?}")]
    NotADate { key: String, value: String },
    #[error("parameter {key} is selected by the {expected}, but was asked for by a {asked}")]
    WrongDate {
        key: String,
        expected: AppliesBy,
        asked: AppliesBy,
    },
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
    by_key: FxHashMap<String, Param>,
}

impl Params {
    fn parse(files: &[(&str, &str)]) -> Result<Self, String> {
        let mut by_key: FxHashMap<String, Param> = FxHashMap::default();
        for (name, text) in files {
            let file: ParamFile = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            for mut p in file.param {
                for v in &mut p.values {
                    v.number = Decimal::from_str(&v.value).ok();
                    v.whole = v
                        .number
                        .filter(|n| n.fract().is_zero())
                        .and_then(|n| n.to_u32());
                }
                p.values.sort_by_key(|v| v.valid_from);
                if by_key.contains_key(&p.key) {
                    return Err(format!("{name}: key {} is described twice", p.key));
                }
                by_key.insert(p.key.clone(), p);
            }
        }
        Ok(Params { by_key })
    }

    /// The key `key` with its metadata and values.
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.by_key.get(key)
    }

    /// The value of `key` that applies at `at`; `at` must be of the kind the key's
    /// `applies_by` names.
    pub fn get(&self, key: &str, at: At) -> Result<&DatedValue, ParamError> {
        let date = at.day();
        let Some(param) = self.by_key.get(key) else {
            return Err(ParamError::NotCovered {
                key: key.to_string(),
                date,
                covered: None,
            });
        };
        if param.applies_by != at.kind() {
            return Err(ParamError::WrongDate {
                key: key.to_string(),
                expected: param.applies_by,
                asked: at.kind(),
            });
        }
        let list = &param.values;
        list.iter()
            .find(|v| v.covers(date))
            .ok_or_else(|| ParamError::NotCovered {
                key: key.to_string(),
                date,
                covered: list.first().map(|first| {
                    // Any open-ended value makes the coverage open-ended.
                    let to = list.iter().map(|v| v.valid_to.unwrap_or(Date::MAX)).max();
                    (first.valid_from, to.filter(|to| *to != Date::MAX))
                }),
            })
    }

    /// The numeric value of `key` at `at`, with its citation.
    pub fn decimal(&self, key: &str, at: At) -> Result<(Decimal, &str), ParamError> {
        let v = self.get(key, at)?;
        let value = v.number.ok_or_else(|| ParamError::NotANumber {
            key: key.to_string(),
            value: v.value.clone(),
        })?;
        Ok((value, v.citation.as_str()))
    }

    /// A whole, non-negative parameter (months, ages, hours) at `at`, with its citation. A
    /// fractional or negative value is an error, never silently truncated.
    pub fn whole(&self, key: &str, at: At) -> Result<(u32, &str), ParamError> {
        let v = self.get(key, at)?;
        let whole = v.whole.ok_or_else(|| ParamError::NotANumber {
            key: key.to_string(),
            value: v.value.clone(),
        })?;
        Ok((whole, v.citation.as_str()))
    }

    /// A date-valued parameter (`YYYY-MM-DD`, e.g. the end of a statutory window) at `at`,
    /// with its citation.
    pub fn date(&self, key: &str, at: At) -> Result<(Date, &str), ParamError> {
        let v = self.get(key, at)?;
        let date = v.value.parse::<Date>().map_err(|_| ParamError::NotADate {
            key: key.to_string(),
            value: v.value.clone(),
        })?;
        Ok((date, v.citation.as_str()))
    }

    /// Every key (for checks and documentation).
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.by_key.values()
    }

    /// The first days of the periods in which no parameter whose key `of_key` accepts changes:
    /// every `valid_from` and every day after a `valid_to` of one, in order, without repeats.
    /// With [`NewYears::Cut`] also every New Year from the year of the earliest such date to
    /// two years after the latest.
    pub fn period_starts(&self, of_key: impl Fn(&str) -> bool, new_years: NewYears) -> Vec<Date> {
        let mut starts: Vec<Date> = Vec::new();
        for v in self
            .all()
            .filter(|p| of_key(&p.key))
            .flat_map(|p| &p.values)
        {
            starts.push(v.valid_from);
            if let Some(next) = v.valid_to.and_then(|to| to.tomorrow().ok()) {
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

/// `params().whole(key, At::ApplicationDate(date))` for the keys asked once or twice per
/// case (the retroactive months of both benefits), from a table of their periods: the lookup
/// by key (hashing it, scanning its values) was some 200 instructions each time. Other keys,
/// and dates outside the periods, take the lookup itself, with its error.
pub fn whole_by_application(key: &str, date: Date) -> Result<(u32, &'static str), ParamError> {
    type Table = OnceLock<PeriodTable<(u32, &'static str)>>;
    static ELTERNGELD: Table = OnceLock::new();
    static KINDERGELD: Table = OnceLock::new();
    let (cell, key) = match key {
        "eg.retroactive_months" => (&ELTERNGELD, "eg.retroactive_months"),
        "kg.retroactive_months" => (&KINDERGELD, "kg.retroactive_months"),
        _ => return params().whole(key, At::ApplicationDate(date)),
    };
    let table = cell.get_or_init(|| {
        let p = params();
        PeriodTable::new(p.period_starts(|k| k == key, NewYears::Ignore), |day| {
            p.whole(key, At::ApplicationDate(day))
        })
    });
    match table.get(date) {
        Some(value) => Ok(*value),
        None => params().whole(key, At::ApplicationDate(date)),
    }
}

/// The embedded parameters, parsed once.
pub fn params() -> &'static Params {
    static PARAMS: OnceLock<Params> = OnceLock::new();
    PARAMS.get_or_init(|| {
        // The files are compiled in and parsed by the test `embedded_files_parse`; a broken
        // file cannot reach a release.
        Params::parse(&FILES).expect("embedded parameter files parse")
    })
}

/// The first parenthesised part of a citation or norm that is not a legal reference, or a
/// colon (which introduces an explanation): notes belong in `note`, never in what users see.
/// A parenthesis is a reference if it names where or by what the norm was enacted: "BGBl",
/// "Art.", "G v." or "i. d. F.". Checked by the tests over all the data.
#[cfg(test)]
fn note_in_citation(citation: &str) -> Option<&str> {
    const REFERENCE: [&str; 4] = ["BGBl", "Art.", "G v.", "i. d. F."];
    if let Some(at) = citation.find(':') {
        return Some(&citation[at..]);
    }
    let mut rest = citation;
    while let Some(open) = rest.find('(') {
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(')') else {
            return Some(&rest[open..]);
        };
        let group = &inner[..close];
        if !REFERENCE.iter().any(|r| group.contains(r)) {
            return Some(&rest[open..open + close + 2]);
        }
        rest = &inner[close + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of the retroactive months gives what the lookup gives, value, citation and
    /// error, for every day from 1990 to 2040, and other keys are looked up as before.
    #[test]
    fn whole_by_application_is_the_lookup() {
        let mut day = Date::new(1990, 1, 1).unwrap();
        let mut found = 0;
        while day < Date::new(2040, 1, 1).unwrap() {
            for key in [
                "eg.retroactive_months",
                "kg.retroactive_months",
                "eg.basis.min_eur",
            ] {
                let direct = params().whole(key, At::ApplicationDate(day));
                found += usize::from(direct.is_ok());
                assert_eq!(whole_by_application(key, day), direct, "{key} {day}");
            }
            day = day.tomorrow().unwrap();
        }
        assert!(found > 365 * 20, "{found}");
    }

    /// A parameter file written as TOML, as `build.rs` hands it to the crate.
    fn json(toml_text: &str) -> String {
        toml::from_str::<serde_json::Value>(toml_text)
            .expect("TOML")
            .to_string()
    }

    fn d(s: &str) -> Date {
        Date::from_str(s).unwrap()
    }

    fn ym(s: &str) -> YearMonth {
        YearMonth::of(d(&format!("{s}-01")))
    }

    #[test]
    fn embedded_files_parse() {
        Params::parse(&FILES).unwrap();
    }

    #[test]
    fn every_key_has_its_metadata_and_every_value_a_citation() {
        let mut keys = 0;
        for p in params().all() {
            keys += 1;
            for (field, text) in [
                ("unit", &p.unit),
                ("label_de", &p.label_de),
                ("label_en", &p.label_en),
                ("norm", &p.norm),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {field}", p.key);
            }
            assert!(p.norm.contains('§'), "{}: norm {:?}", p.key, p.norm);
            assert!(
                (d("2020-01-01")..=d("2030-12-31")).contains(&p.checked_on),
                "{}: checked_on {}",
                p.key,
                p.checked_on
            );
            assert!(!p.values.is_empty(), "{} has no values", p.key);
            for v in &p.values {
                assert!(v.citation.trim().len() > 3, "{} has no citation", p.key);
                assert!(!v.source.trim().is_empty(), "{} has no source", p.key);
                assert!(
                    v.amended_by.as_deref().is_none_or(|a| !a.trim().is_empty()),
                    "{}: empty amended_by",
                    p.key
                );
                assert!(
                    v.valid_to.is_none_or(|to| v.valid_from <= to),
                    "{} ends before it starts",
                    p.key
                );
            }
        }
        assert_eq!(keys, 71);
        assert_eq!(
            params().all().map(|p| p.values.len()).sum::<usize>(),
            88 + 12 + 4 + 4
        );
    }

    #[test]
    fn validities_of_a_key_do_not_overlap() {
        for p in params().all() {
            for (i, a) in p.values.iter().enumerate() {
                for b in &p.values[i + 1..] {
                    let a_end = a.valid_to.unwrap_or(Date::MAX);
                    let b_end = b.valid_to.unwrap_or(Date::MAX);
                    assert!(
                        a_end < b.valid_from || b_end < a.valid_from,
                        "{} has overlapping validities from {} and {}",
                        p.key,
                        a.valid_from,
                        b.valid_from
                    );
                }
            }
        }
    }

    /// A value selected by a month changes only between months: a validity starting or ending
    /// inside a month would make the month's value depend on which of its days is asked.
    #[test]
    fn values_selected_by_a_month_cover_whole_months() {
        for p in params().all().filter(|p| p.applies_by.is_monthly()) {
            for v in &p.values {
                assert_eq!(v.valid_from.day(), 1, "{} from {}", p.key, v.valid_from);
                if let Some(to) = v.valid_to {
                    assert_eq!(to, to.last_of_month(), "{} to {to}", p.key);
                }
            }
        }
    }

    #[test]
    fn citations_and_norms_are_free_of_notes() {
        for p in params().all() {
            assert_eq!(note_in_citation(&p.norm), None, "{} norm", p.key);
            for v in &p.values {
                assert_eq!(
                    note_in_citation(&v.citation),
                    None,
                    "{} from {}: {:?}",
                    p.key,
                    v.valid_from,
                    v.citation
                );
            }
        }
    }

    #[test]
    fn the_note_rule_tells_references_from_notes() {
        assert_eq!(
            note_in_citation("§ 1 Abs. 8 BEEG (same laws)"),
            Some("(same laws)")
        );
        assert_eq!(
            note_in_citation("§ 70 Abs. 1 S. 2 EStG (applications received after 2019-07-18)"),
            Some("(applications received after 2019-07-18)")
        );
        assert_eq!(
            note_in_citation("§ 2f Abs. 2 S. 3 BEEG: F of § 163 SGB VI"),
            Some(": F of § 163 SGB VI")
        );
        assert_eq!(note_in_citation("§ 2 Abs. 1 (unclosed"), Some("(unclosed"));
        for reference in [
            "§ 1 Abs. 8 BEEG",
            "§ 66 Abs. 1 EStG; § 6 Abs. 1 BKGG (Art. 6 G v. 08.12.2022, BGBl. I S. 2230)",
            "§ 1 Abs. 8 BEEG i. d. F. Art. 1 G v. 22.12.2023 (BGBl. 2023 I Nr. 412), Art. 7 G v. \
             27.03.2024 (BGBl. 2024 I Nr. 107)",
        ] {
            assert_eq!(note_in_citation(reference), None, "{reference}");
        }
        // A reference first does not let a note after it through.
        assert_eq!(
            note_in_citation("§ 6 BKGG (BGBl. I S. 1) (note)"),
            Some("(note)")
        );
    }

    #[test]
    fn a_lookup_by_another_kind_of_date_is_refused() {
        let p = params();
        let wrong = p
            .decimal("kg.amount_eur", At::BirthDate(d("2025-03-01")))
            .unwrap_err();
        assert_eq!(
            wrong,
            ParamError::WrongDate {
                key: "kg.amount_eur".into(),
                expected: AppliesBy::PaymentMonth,
                asked: AppliesBy::BirthDate,
            }
        );
        assert_eq!(
            wrong.to_string(),
            "parameter kg.amount_eur is selected by the payment_month, but was asked for by a \
             birth_date"
        );
        assert!(matches!(
            p.whole("eg.retroactive_months", At::BirthDate(d("2025-01-01"))),
            Err(ParamError::WrongDate { .. })
        ));
        assert!(matches!(
            p.decimal("eg.minijob_limit_eur", At::PaymentMonth(ym("2025-01"))),
            Err(ParamError::WrongDate { .. })
        ));
        assert!(matches!(
            p.decimal("eg.ersatzrate.base", At::YearBeforeBirth(d("2025-01-01"))),
            Err(ParamError::WrongDate { .. })
        ));
        // Every key answers to its own kind of date and to no other.
        let kinds = |day: Date| {
            [
                At::BirthDate(day),
                At::PaymentMonth(YearMonth::of(day)),
                At::ApplicationDate(day),
                At::IncomeMonth(YearMonth::of(day)),
                At::YearBeforeBirth(day),
            ]
        };
        for param in p.all() {
            let day = param.values[0].valid_from;
            let day = Date::new(day.year() + 1, day.month(), 1).unwrap();
            for at in kinds(day) {
                let refused = matches!(p.get(&param.key, at), Err(ParamError::WrongDate { .. }));
                assert_eq!(
                    refused,
                    at.kind() != param.applies_by,
                    "{} {at:?}",
                    param.key
                );
            }
        }
    }

    #[test]
    fn unknown_kinds_of_date_and_duplicate_keys_do_not_load() {
        let key = |applies_by: &str| {
            format!(
                "[[param]]\nkey = \"x\"\nunit = \"EUR\"\nlabel_de = \"x\"\nlabel_en = \"x\"\n\
                 norm = \"§ 1 X\"\napplies_by = \"{applies_by}\"\nchecked_on = \"2026-01-02\"\n\
                 [[param.value]]\nvalue = \"1\"\nvalid_from = \"2020-01-01\"\n\
                 citation = \"§ 1 X\"\nsource = \"s\"\n"
            )
        };
        let good = json(&key("payment_month"));
        assert!(Params::parse(&[("a", &good)]).is_ok());
        // `month` was a duplicate of `payment_month` and `income_month`; it is no kind now.
        assert!(Params::parse(&[("a", &json(&key("month")))]).is_err());
        assert!(Params::parse(&[("a", &json(&key("life_month")))]).is_err());
        let twice = Params::parse(&[("a", &good), ("b", &good)]).unwrap_err();
        assert_eq!(twice, "b: key x is described twice");
    }

    #[test]
    fn values_switch_on_their_dates() {
        let p = params();
        let amount = |m: &str| p.decimal("kg.amount_eur", At::PaymentMonth(ym(m)));
        assert_eq!(amount("2024-12").unwrap().0, Decimal::from(250));
        assert_eq!(amount("2025-01").unwrap().0, Decimal::from(255));
        assert_eq!(amount("2026-07").unwrap().0, Decimal::from(259));
        let ceiling = |s| {
            p.decimal("eg.income_ceiling.couple_eur", At::BirthDate(d(s)))
                .unwrap()
        };
        assert_eq!(ceiling("2024-03-31").0, Decimal::from(300_000));
        assert_eq!(ceiling("2024-04-01").0, Decimal::from(200_000));
        assert_eq!(
            ceiling("2025-04-01"),
            (Decimal::from(175_000), "§ 1 Abs. 8 BEEG")
        );
        assert_eq!(
            p.get("eg.pap_version", At::BirthDate(d("2024-06-01")))
                .unwrap()
                .value,
            "2023_stand2022-11"
        );
        // The KV-Zusatzbeitrag of 2024 serves births in 2025.
        assert_eq!(
            p.decimal(
                "eg.pap_kvz_avg_zusatzbeitrag",
                At::YearBeforeBirth(d("2025-02-10"))
            )
            .unwrap()
            .0,
            Decimal::from_str("0.017").unwrap()
        );
        assert_eq!(
            p.whole(
                "eg.retroactive_months",
                At::ApplicationDate(d("2025-01-01"))
            )
            .unwrap()
            .0,
            3
        );
        let retro = |s| p.whole("kg.retroactive_months", At::ApplicationDate(d(s)));
        assert_eq!(retro("2019-07-18").unwrap(), (6, "§ 66 Abs. 3 EStG a. F."));
        assert_eq!(retro("2019-07-19").unwrap(), (6, "§ 70 Abs. 1 S. 2 EStG"));
        assert!(matches!(
            p.whole("eg.ersatzrate.base", At::BirthDate(d("2025-01-01"))),
            Err(ParamError::NotANumber { .. })
        ));
        let early = amount("2019-01").unwrap_err();
        assert!(matches!(early, ParamError::NotCovered { .. }));
        // The message says what the data does cover.
        assert_eq!(
            early.to_string(),
            "no value of kg.amount_eur is valid on the date asked for; its values cover 2023-01-01 \
             onwards"
        );
        assert_eq!(
            p.get("no.such.key", At::BirthDate(d("2025-01-01")))
                .unwrap_err()
                .to_string(),
            "no value of no.such.key is valid on the date asked for; the parameter data has no such \
             key"
        );
        let closed = p
            .decimal(
                "eg.pap_kvz_avg_zusatzbeitrag",
                At::YearBeforeBirth(d("2029-01-01")),
            )
            .unwrap_err();
        assert_eq!(
            closed.to_string(),
            "no value of eg.pap_kvz_avg_zusatzbeitrag is valid on the date asked for; its values \
             cover 2021-01-01 to 2026-12-31"
        );
    }

    #[test]
    fn metadata_is_read() {
        let p = params().param("kg.amount_eur").unwrap();
        assert_eq!(p.applies_by, AppliesBy::PaymentMonth);
        assert_eq!(p.norm, "§ 66 Abs. 1 EStG");
        assert_eq!(p.values.len(), 3);
        assert_eq!(
            p.values[1].amended_by.as_deref(),
            Some("Art. 5 SteFeG v. 23.12.2024 (BGBl. 2024 I Nr. 449)")
        );
        let ceiling = params().param("eg.income_ceiling.couple_eur").unwrap();
        let last = ceiling.values.last().unwrap();
        assert_eq!(last.citation, "§ 1 Abs. 8 BEEG");
        assert!(last.note.is_some());
    }

    #[test]
    fn period_table_finds_the_period_of_a_day() {
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
        let versions = params().param("eg.pap_version").unwrap();
        for v in &versions.values {
            assert!(
                elternkit_lohnsteuer::PapVersion::from_name(&v.value).is_some(),
                "unknown PAP version {}",
                v.value
            );
        }
    }
}
