//! The family model: the stable JSON contract `elternkit.case/1` and `elternkit.result/1`
//! (`shared/cases/CASE_FORMAT.md`). Unknown fields are errors (typo protection); optional
//! fields may be omitted. Money is a decimal string in euros, dates are ISO dates, months
//! `YYYY-MM`.

pub mod application;
mod cents;
// Built for the tests too, which compare it with serde_json whatever the features.
#[cfg(any(test, feature = "fast-parse"))]
mod fast;
pub mod locate;
mod month;
pub mod place;
pub mod residence;
mod result;
pub mod text;
mod validate;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use application::ApplicationData;
pub use cents::{Cents, Thousandths};
pub use month::YearMonth;
pub use result::*;
pub use text::{Args, Lang, Localized, Template, Text, Value};
pub use validate::{Problem, closest_field, log_safe_path, parse_case, validate};

/// The schema tag of a case.
pub const CASE_SCHEMA: &str = "elternkit.case/1";
/// The schema tag of a result.
pub const RESULT_SCHEMA: &str = "elternkit.result/1";

/// Money in euros as a decimal string (`"1234.56"`).
pub(crate) mod money {
    pub use rust_decimal::serde::str::{deserialize, serialize};
}

/// Optional money as a decimal string or absent/null.
pub(crate) mod money_opt {
    pub use rust_decimal::serde::str_option::{deserialize, serialize};
}

/// One family and its newborn: everything the rules need, entered once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Must be `elternkit.case/1`.
    pub schema: String,
    /// Free text, echoed in the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// "Today" for the rules: application date, deadlines, ages.
    pub evaluation_date: Date,
    pub child: Child,
    #[serde(default)]
    pub siblings: Vec<Sibling>,
    pub household: Household,
    pub parents: Vec<Parent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kindergeld: Option<KindergeldClaim>,
    /// What the three applications need beyond the rules' inputs (names, addresses,
    /// Steuer-IDs, IBAN, consents, documents). Optional; the rules never read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<ApplicationData>,
}

/// The newborn (or expected) child; `count` > 1 for multiples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub birth_date: Date,
    /// Expected date of delivery; earlier births give extra Basis months (§ 4 Abs. 5 BEEG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_birth_date: Option<Date>,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub disability: bool,
}

fn one() -> u32 {
    1
}

/// An older child in the household (Geschwisterbonus, Kindergeld for older children).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sibling {
    pub birth_date: Date,
    #[serde(default)]
    pub disability: bool,
    /// Default `true` when `disability` is set (reported as an assumption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability_arose_before_25: Option<bool>,
    #[serde(default)]
    pub in_education: bool,
    /// Default `false`: the ≤ 20 h rule applies only after a first completed education.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_education_completed: Option<bool>,
    #[serde(default)]
    pub weekly_work_hours: Decimal,
    #[serde(default)]
    pub registered_unemployed: bool,
    #[serde(default)]
    pub transition_period: bool,
    #[serde(default)]
    pub volunteer_service: bool,
    #[serde(default)]
    pub no_training_place: bool,
    /// The work is a Minijob (§§ 8, 8a SGB IV): harmless whatever its hours
    /// (§ 32 Abs. 4 S. 3 EStG). Optional, default `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub minijob: bool,
}

/// Where and how the family lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    pub postal_code: String,
    #[serde(default)]
    pub single_parent: bool,
    /// zvE of the parent(s) in the last assessment period before the birth (§ 1 Abs. 8 BEEG).
    #[serde(default, with = "money_opt", skip_serializing_if = "Option::is_none")]
    pub taxable_income_year_before_birth: Option<Decimal>,
}

/// One parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    pub id: String,
    /// ISO 3166-1 alpha-2.
    pub citizenship: String,
    /// Residence title of a non-EU/EEA/CH citizen, e.g. `niederlassungserlaubnis`: one of
    /// [`residence::RESIDENCE_TITLE_IDS`] (`docs/RESIDENCE_TITLES.md`).
    #[serde(default)]
    pub residence_title: Option<String>,
    /// The parent's situation now (§ 1 Abs. 7 S. 1 Nr. 3 BEEG, § 62 Abs. 2 Nr. 3 EStG).
    /// Optional: where it is missing and decides the outcome, the rules report what they
    /// assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_status: Option<CurrentStatus>,
    /// Start of the lawful, permitted or tolerated stay in Germany (15-month rule for
    /// humanitarian titles, § 1 Abs. 7 S. 1 Nr. 4 BEEG, § 62 Abs. 2 Nr. 4 EStG). Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_germany_since: Option<Date>,
    pub lives_in_germany: bool,
    pub lives_with_child: bool,
    pub cares_for_child: bool,
    pub tax: Tax,
    #[serde(default)]
    pub activities_before_birth: Vec<Activity>,
    /// Months skipped from the Bemessungszeitraum (Mutterschutz, Elterngeld for an older child).
    /// Given together with `bmz_events` they must agree.
    #[serde(default)]
    pub excluded_months: Vec<YearMonth>,
    /// What happened in or before the Bemessungszeitraum (§ 2b Abs. 1 S. 2, 4 BEEG); the rules
    /// derive the skipped months from it. `None`: the case says nothing (reported as assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bmz_events: Option<Vec<BmzEvent>>,
    /// Kinds whose skipping the parent waives on application (§ 2b Abs. 1 S. 3 BEEG).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bmz_waiver: Vec<BmzEventKind>,
    /// The application of § 2b Abs. 1 S. 4 BEEG: COVID-19 months are skipped only with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bmz_covid_application: Option<bool>,
    /// The application of § 2b Abs. 4 BEEG (mixed income with a small profit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_profit_application: Option<SmallProfitApplication>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maternity_benefit: Option<MaternityBenefit>,
    /// Per Lebensmonat 1, 2, …
    #[serde(default)]
    pub plan: Vec<PlanMonth>,
    /// Per Lebensmonat, gross income after the birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_income_after_birth: Option<Vec<MoneyString>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_after_birth_kind: Option<ActivityKind>,
    /// Per Lebensmonat, average weekly working hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_hours_after_birth: Option<Vec<Decimal>>,
}

/// A decimal string in euros inside a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MoneyString(#[serde(with = "money")] pub Decimal);

/// The wage-tax features of a parent (the PAP inputs of § 2e BEEG).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tax {
    pub class: TaxClass,
    /// Faktor of the Faktorverfahren (class IV only).
    #[serde(default, with = "money_opt", skip_serializing_if = "Option::is_none")]
    pub factor: Option<Decimal>,
    #[serde(default)]
    pub church_tax: bool,
    /// Kinderfreibetrag-Zähler (PAP `ZKF`).
    #[serde(default, with = "money_opt", skip_serializing_if = "Option::is_none")]
    pub child_allowances: Option<Decimal>,
    /// PAP `KVZ` as a fraction (0.029); the Elterngeld rules use the statutory average instead.
    #[serde(default, with = "money_opt", skip_serializing_if = "Option::is_none")]
    pub health_insurance_additional_rate: Option<Decimal>,
    #[serde(default)]
    pub privately_insured: bool,
}

/// Lohnsteuerklasse I–VI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxClass {
    I,
    II,
    III,
    IV,
    V,
    VI,
}

impl TaxClass {
    /// The PAP's `STKL` number.
    pub fn number(self) -> i32 {
        match self {
            TaxClass::I => 1,
            TaxClass::II => 2,
            TaxClass::III => 3,
            TaxClass::IV => 4,
            TaxClass::V => 5,
            TaxClass::VI => 6,
        }
    }
}

/// Kind of an income activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Employed,
    SelfEmployed,
    Minijob,
}

impl ActivityKind {
    /// The name used in the case format.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Employed => "employed",
            ActivityKind::SelfEmployed => "self_employed",
            ActivityKind::Minijob => "minijob",
        }
    }
}

/// What a parent does now, as far as the residence-title rules ask
/// (§ 1 Abs. 7 S. 1 Nr. 3 BEEG, § 62 Abs. 2 Nr. 3 EStG).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurrentStatus {
    Employed,
    /// A Minijob (§§ 8, 8a SGB IV) is employment: the statutes name no minimum extent.
    Minijob,
    /// Elternzeit under § 15 BEEG.
    ParentalLeave,
    /// Ongoing cash benefits under the SGB III (e.g. Arbeitslosengeld).
    Sgb3Benefit,
    None,
}

impl CurrentStatus {
    /// Whether the status is one of those that § 1 Abs. 7 S. 1 Nr. 3 BEEG and § 62 Abs. 2
    /// Nr. 3 EStG accept: lawful employment (any extent), Elternzeit, or SGB III benefits.
    pub fn entitles_with_title(self) -> bool {
        !matches!(self, CurrentStatus::None)
    }

    /// The name used in the case format.
    pub fn as_str(self) -> &'static str {
        match self {
            CurrentStatus::Employed => "employed",
            CurrentStatus::Minijob => "minijob",
            CurrentStatus::ParentalLeave => "parental_leave",
            CurrentStatus::Sgb3Benefit => "sgb3_benefit",
            CurrentStatus::None => "none",
        }
    }
}

/// One income activity in the 12 months before the birth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub kind: ActivityKind,
    /// Gross wage, or monthly profit for self-employment.
    #[serde(with = "money")]
    pub monthly_income: Decimal,
    /// The 12 months of the Bemessungszeitraum, oldest first.
    pub months_active: Vec<bool>,
    #[serde(default)]
    pub pension_insured: bool,
    #[serde(default)]
    pub health_insured: bool,
    #[serde(default)]
    pub unemployment_insured: bool,
}

/// An event that can move the Bemessungszeitraum (§ 2b Abs. 1 S. 2, 4 BEEG), from and to
/// inclusive. Any day of a calendar month counts for the whole month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BmzEvent {
    pub kind: BmzEventKind,
    pub from: Date,
    pub to: Date,
    /// Whether the event reduced the income; illness, service and COVID count only then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub income_reduced: bool,
}

/// The grounds of § 2b Abs. 1 S. 2 Nr. 1–4 and S. 4 BEEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BmzEventKind {
    /// Elterngeld for an older child (Nr. 1), only in its Lebensmonate 1–14.
    ElterngeldOlderChild,
    /// Mutterschutz periods or Mutterschaftsgeld (Nr. 2).
    Mutterschutz,
    /// Illness mainly caused by the pregnancy (Nr. 3).
    PregnancyIllness,
    /// Wehrdienst or Zivildienst (Nr. 4).
    MilitaryService,
    /// Lower income because of the COVID-19 pandemic (S. 4), only on application.
    CovidIncomeLoss,
}

impl BmzEventKind {
    /// The name used in the case format.
    pub fn as_str(self) -> &'static str {
        match self {
            BmzEventKind::ElterngeldOlderChild => "elterngeld_older_child",
            BmzEventKind::Mutterschutz => "mutterschutz",
            BmzEventKind::PregnancyIllness => "pregnancy_illness",
            BmzEventKind::MilitaryService => "military_service",
            BmzEventKind::CovidIncomeLoss => "covid_income_loss",
        }
    }
}

/// The profits that decide an application under § 2b Abs. 4 BEEG, in euros.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmallProfitApplication {
    /// Profit of the last completed assessment year before the birth (Nr. 1).
    #[serde(with = "money")]
    pub profit_last_tax_year: Decimal,
    /// Profit of the birth year up to the month before the birth (Nr. 2).
    #[serde(with = "money")]
    pub profit_birth_year_to_date: Decimal,
}

/// Mutterschaftsleistungen after the birth (§ 3 BEEG).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaternityBenefit {
    pub until: Date,
    #[serde(with = "money")]
    pub daily_amount: Decimal,
    #[serde(default, with = "money")]
    pub employer_top_up_daily: Decimal,
}

/// What a parent draws in one Lebensmonat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanMonth {
    Basis,
    Plus,
    Bonus,
    None,
}

/// The Kindergeld application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindergeldClaim {
    pub claimant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_date: Option<Date>,
    #[serde(default = "yes")]
    pub claimant_has_tax_id: bool,
    #[serde(default = "yes")]
    pub child_has_tax_id: bool,
}

fn yes() -> bool {
    true
}
