//! The result `elternkit.result/1`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::text::{Lang, Localized, Text, Value};
use super::{PlanMonth, YearMonth};

/// Money shown with two decimals (`"1375.23"`), as the result format prescribes.
pub(crate) mod money2 {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        // `Cents` writes exactly what `{:.2}` writes, without the generic formatter.
        serde::Serialize::serialize(&crate::Cents(*value), s)
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

impl CaseResult {
    /// Whether the case has content problems: input errors, or an Elterngeld plan that
    /// breaks § 4 BEEG and so yields no payable amount. The command line exits 1 for either.
    pub fn has_problems(&self) -> bool {
        !self.errors.is_empty() || self.elterngeld.as_ref().is_some_and(|e| !e.payable)
    }

    /// Leaves out the explanation steps (batch checks that need only the figures); every
    /// figure and reason stays.
    pub fn clear_explanations(&mut self) {
        if let Some(e) = &mut self.elterngeld {
            e.explanation.clear();
        }
        if let Some(k) = &mut self.kindergeld {
            k.explanation.clear();
        }
    }
}

/// One invalid input: a stable `code`, the field `path` (`parents[0].tax.class`, "" for the
/// whole text), the position in the text where there is one, and what to do in English
/// (`message`) and German (`message_de`). Never contains a value of the input, so it may be
/// logged and stored (issue 22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub path: String,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_de: String,
    /// 1-based line of the case text, for errors found while reading it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters of that line) where the error was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl InputError {
    /// An error without a position, in English and German.
    pub fn new(
        path: impl Into<String>,
        code: &str,
        en: impl Into<String>,
        de: impl Into<String>,
    ) -> Self {
        InputError {
            path: path.into(),
            code: code.to_string(),
            message: en.into(),
            message_de: de.into(),
            line: None,
            column: None,
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::De if !self.message_de.is_empty() => &self.message_de,
            _ => &self.message,
        }
    }
}

/// A reason for a decision, with its legal basis, in German and English
/// (`message_de`/`message_en` in JSON, rendered when written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: Text,
    pub citation: Text,
    pub message: Localized,
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Reason", 4)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("citation", &self.citation)?;
        st.serialize_field("message_de", &Rendered(&self.message, Lang::De))?;
        st.serialize_field("message_en", &Rendered(&self.message, Lang::En))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            code: String,
            citation: String,
            message_de: String,
            message_en: String,
        }
        let w = Wire::deserialize(d)?;
        Ok(Reason {
            code: w.code.into(),
            citation: w.citation.into(),
            message: Localized::fixed(w.message_de, w.message_en),
        })
    }
}

/// One step of an explanation: the rule, its legal basis, the typed inputs and output, and
/// the text (`text_de`/`text_en` in JSON, rendered when written).
#[derive(Debug, Clone)]
pub struct Step {
    pub rule: Text,
    pub citation: Text,
    pub inputs: StepInputs,
    pub output: Value,
    pub text: Localized,
}

/// The named inputs of a step, in name order.
#[derive(Debug, Clone)]
pub enum StepInputs {
    /// Arguments of the step's text, by name: a step of the rules keeps every value once,
    /// in its text, and lists which of them were its inputs.
    Arguments(&'static [&'static str]),
    /// Inputs with their own values (a step read back from JSON).
    Values(Vec<(Text, Value)>),
}

impl Step {
    /// The inputs with their values, in name order.
    pub fn inputs(&self) -> impl Iterator<Item = (&str, &Value)> {
        let (names, values): (&[&str], &[(Text, Value)]) = match &self.inputs {
            StepInputs::Arguments(names) => (names, &[]),
            StepInputs::Values(values) => (&[], values),
        };
        // A name the text has no argument for is left out; `Trace::step` rules that out, and
        // the tests check every step of the public cases.
        let named = names
            .iter()
            .filter_map(|name| Some((*name, self.text.argument(name)?)));
        named.chain(values.iter().map(|(k, v)| (k.as_ref(), v)))
    }
}

/// Steps compare by what they show: the same inputs, whether named or read back.
impl PartialEq for Step {
    fn eq(&self, other: &Step) -> bool {
        self.rule == other.rule
            && self.citation == other.citation
            && self.inputs().eq(other.inputs())
            && self.output == other.output
            && self.text == other.text
    }
}

impl Eq for Step {}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inputs<'a>(&'a Step);
        impl Serialize for Inputs<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                for (k, v) in self.0.inputs() {
                    map.serialize_entry(k, &Shown(v))?;
                }
                map.end()
            }
        }
        let mut st = s.serialize_struct("Step", 6)?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("citation", &self.citation)?;
        st.serialize_field("inputs", &Inputs(self))?;
        st.serialize_field("output", &Shown(&self.output))?;
        st.serialize_field("text_de", &Rendered(&self.text, Lang::De))?;
        st.serialize_field("text_en", &Rendered(&self.text, Lang::En))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            rule: String,
            citation: String,
            inputs: BTreeMap<String, String>,
            output: String,
            text_de: String,
            text_en: String,
        }
        let w = Wire::deserialize(d)?;
        Ok(Step {
            rule: w.rule.into(),
            citation: w.citation.into(),
            inputs: StepInputs::Values(
                w.inputs
                    .into_iter()
                    .map(|(k, v)| (Text::from(k), Value::Text(v.into())))
                    .collect(),
            ),
            output: Value::Text(w.output.into()),
            text: Localized::fixed(w.text_de, w.text_en),
        })
    }
}

/// A text written straight into the serialiser in one language.
struct Rendered<'a>(&'a Localized, Lang);

impl Serialize for Rendered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.with_rendered(self.1, |text| s.serialize_str(text))
    }
}

/// A value as the JSON shows it.
struct Shown<'a>(&'a Value);

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Text(t) => s.serialize_str(t),
            Value::Short(t) => s.serialize_str(t),
            Value::Money(d) => super::Cents(*d).serialize(s),
            v => s.collect_str(v),
        }
    }
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
    /// The one-off Kinderbonus of the reference month's year (§ 66 Abs. 1 S. 2–4 EStG: 2020,
    /// 2021, 2022), once per entitled child; absent where none is due (optional, added in
    /// `elternkit.result/1` without breaking it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_off_bonus: Option<OneOffBonus>,
}

/// A one-off payment per child beside the monthly Kindergeld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneOffBonus {
    /// The calendar year the bonus belongs to.
    pub year: i16,
    #[serde(with = "money2")]
    pub amount: Decimal,
}

/// Elterngeld for every parent, and the problems of the joint plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElterngeldResult {
    pub parents: Vec<ElterngeldParent>,
    pub plan_problems: Vec<PlanProblem>,
    /// `false` when `plan_problems` is not empty: a plan that breaks § 4 BEEG is never paid
    /// as planned, so every month's `amount` and every `total` is 0.00 and each claiming
    /// parent has a `plan_not_payable` reason (issue 22). Absent in results written before
    /// the field existed, which read back as payable.
    #[serde(default = "payable_default")]
    pub payable: bool,
    pub explanation: Vec<Step>,
}

fn payable_default() -> bool {
    true
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
