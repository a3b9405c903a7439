//! The result `elternkit.result/1`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

use super::{PlanMonth, YearMonth};

/// Text of an explanation or reason: borrowed when it is a constant of the rules (rule ids,
/// citations, fixed messages), owned when it was formatted. Most of a trace is constant, and
/// not allocating it halves the cost of a computation.
pub type Text = std::borrow::Cow<'static, str>;

/// Money shown with two decimals (`"1375.23"`), as the result format prescribes.
pub(crate) mod money2 {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        // `Cents` writes exactly what `{:.2}` writes, without the generic formatter.
        s.collect_str(&crate::model::Cents(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        rust_decimal::serde::str::deserialize(d)
    }
}

/// The whole result of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    pub schema: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elterngeld: Option<ElterngeldResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kindergeld: Option<KindergeldResult>,
    /// Invalid input: field path and message. Empty when the case was computed.
    #[serde(default)]
    pub errors: Vec<InputError>,
}

/// One invalid input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub path: String,
    pub code: String,
    pub message: String,
}

/// A reason for a decision, with its legal basis, in German and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: Text,
    pub citation: Text,
    pub message_de: Text,
    pub message_en: Text,
}

/// One step of an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub rule: Text,
    pub citation: Text,
    pub inputs: BTreeMap<Text, String>,
    pub output: String,
    pub text_de: Text,
    pub text_en: Text,
}

/// Kindergeld for every child of the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergeldResult {
    pub children: Vec<KindergeldChild>,
    #[serde(default)]
    pub hints: Vec<Reason>,
    #[serde(default)]
    pub explanation: Vec<Step>,
}

/// Kindergeld for one child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergeldChild {
    pub birth_date: jiff::civil::Date,
    pub eligible: bool,
    #[serde(with = "money2")]
    pub monthly_amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_from: Option<YearMonth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_until: Option<YearMonth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retroactive_from: Option<YearMonth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payable_from: Option<YearMonth>,
    pub months_lost: u32,
    pub reasons: Vec<Reason>,
}

/// Elterngeld for every parent, and the problems of the joint plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElterngeldResult {
    pub parents: Vec<ElterngeldParent>,
    pub plan_problems: Vec<PlanProblem>,
    pub explanation: Vec<Step>,
}

/// Monthly income figures as the Elterngeldstelle computes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IncomeFigures {
    #[serde(with = "money2")]
    pub gross: Decimal,
    #[serde(with = "money2")]
    pub taxes: Decimal,
    #[serde(with = "money2")]
    pub social_contributions: Decimal,
    #[serde(with = "money2")]
    pub net: Decimal,
}

/// Income after birth, per variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IncomeAfterBirth {
    pub basis: IncomeFigures,
    pub plus: IncomeFigures,
}

/// Elterngeld of one parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElterngeldParent {
    pub id: String,
    pub eligible: bool,
    pub reasons: Vec<Reason>,
    pub income_before_birth: IncomeFigures,
    pub income_after_birth: IncomeAfterBirth,
    #[serde(
        serialize_with = "rate3",
        deserialize_with = "rust_decimal::serde::str::deserialize"
    )]
    pub replacement_rate: Decimal,
    #[serde(with = "money2")]
    pub basis_without_income: Decimal,
    #[serde(with = "money2")]
    pub plus_without_income: Decimal,
    pub months: Vec<ElterngeldMonth>,
    #[serde(with = "money2")]
    pub total: Decimal,
}

fn rate3<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{:.3}", value))
}

/// What is paid for one Lebensmonat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElterngeldMonth {
    pub lebensmonat: u32,
    pub kind: PlanMonth,
    #[serde(with = "money2")]
    pub amount: Decimal,
    #[serde(with = "money2")]
    pub offset_maternity: Decimal,
    #[serde(with = "money2")]
    pub income_after_birth_net: Decimal,
}

/// A violation of § 4 BEEG in the joint plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanProblem {
    pub code: String,
    pub citation: String,
    pub lebensmonate: Vec<u32>,
    pub message_de: String,
    pub message_en: String,
}
