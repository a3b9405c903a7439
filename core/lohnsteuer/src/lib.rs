//! Lohnsteuer: the BMF "Programmablaufplan für die maschinelle Berechnung der vom Arbeitslohn
//! einzubehaltenden Lohnsteuer" (PAP, § 39b Abs. 6 EStG), one generated module per published
//! version.
//!
//! Elterngeld's net income (§ 2e BEEG) is defined through the PAP of the year before the birth,
//! so this module is the foundation of the Elterngeld rules. The code in `generated/` is written
//! by `cargo xtask pap-gen` from the BMF's XML files and never edited by hand; `runtime` gives it
//! Java `BigDecimal` semantics. Amounts are in cents, as the PAP defines them.
//!
//! ```
//! use elternkit_lohnsteuer::{PapInput, PapVersion, compute};
//! use rust_decimal::Decimal;
//!
//! // A monthly wage of 3 000 € in tax class I under the 2026 PAP.
//! let input = PapInput {
//!     LZZ: Some(2),
//!     STKL: Some(1),
//!     RE4: Some(Decimal::from(300_000)),
//!     ..PapInput::default()
//! };
//! let out = compute(PapVersion::Y2026, &input).expect("valid input");
//! assert!(out.LSTLZZ.expect("2026 defines LSTLZZ") > Decimal::ZERO);
//! ```

// Generated code keeps the PAP's names, declarations and bracketing so it can be read against
// the XML line by line; these lints would all ask to depart from it.
#[allow(
    non_snake_case,
    non_camel_case_types,
    unused_parens,
    dead_code,
    clippy::needless_late_init,
    clippy::collapsible_else_if,
    clippy::collapsible_if
)]
mod generated;
pub(crate) mod runtime;

use std::str::FromStr;

use rust_decimal::Decimal;

pub use generated::{InputSlot, PapInput, PapOutput, PapVersion};
pub use runtime::MAX_CENTS;

/// The Java type of a PAP input, which decides how a value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Java `int`: flags, classes, years, counts.
    Int,
    /// Java `double` (only the Faktor `f`); read as an exact decimal.
    Double,
    /// Java `BigDecimal`: amounts in cents, rates, child allowances.
    BigDecimal,
}

/// Why a PAP computation could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PapError {
    /// The input is not defined by this version (e.g. `ALV` before 2026).
    #[error("input {name} is not defined by PAP {}", version.name())]
    UnsupportedInput {
        name: &'static str,
        version: PapVersion,
    },
    /// An input name that no PAP version defines. The name is kept for the caller, but not
    /// displayed: it is whatever was typed as a key.
    #[error("an input name that no PAP version defines")]
    UnknownInput(String),
    /// An input value outside what the PAP can take. The message names the input and the
    /// accepted form, never the value (it may be a wage).
    #[error("input {name}: {problem}")]
    InvalidInput { name: String, problem: ValueProblem },
    /// An input value outside the range the PAP documents for it (the comments of its
    /// `INPUT` declaration: STKL 1–6, LZZ 1–4, flags 0/1, amounts in whole non-negative
    /// cents, …). The message names the range, never the value.
    #[error("input {name} must be {expected}")]
    OutOfRange {
        name: &'static str,
        expected: &'static str,
    },
    /// A step would have to round where the PAP computes exactly (an input far out of range).
    #[error("the PAP step `{0}` would lose precision; the input is out of range")]
    Precision(&'static str),
    /// A `divide` without rounding whose quotient does not terminate (Java throws here).
    #[error("a PAP division has no exact decimal result")]
    NonTerminating,
    /// A division by zero (Java throws here).
    #[error("a PAP division by zero")]
    DivisionByZero,
    /// A table lookup out of range (Java throws here).
    #[error("PAP table index {0} out of range")]
    IndexOutOfBounds(i32),
}

/// Why a value cannot be read as a PAP input: the form it must have, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValueProblem {
    #[error("not a whole number")]
    NotAWholeNumber,
    #[error("not a decimal number (digits and one '.')")]
    NotADecimal,
    #[error("more than {} decimal places", MAX_INPUT_SCALE)]
    TooManyDecimals,
    #[error("more than 15 significant digits")]
    TooManyDigits,
    #[error("outside the accepted range, at most {} in absolute value", MAX_CENTS)]
    AboveMaximum,
    #[error("the value's kind does not fit the input")]
    KindMismatch,
}

/// Largest number of fractional digits accepted for a decimal input.
const MAX_INPUT_SCALE: u32 = 6;

/// What the PAP documents as the values of an input (the comment of its `INPUT` declaration
/// in the BMF's XML), checked by [`PapInput::set_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentedRange {
    /// One of the listed codes.
    Codes(&'static [i32], &'static str),
    /// 0, or a calendar year (AJAHR, VJAHR).
    YearOrZero,
    /// A count of months, 0–12 (ZMVB).
    Months,
    /// The religion key R: 0 for none, else a positive key.
    Religion,
    /// An amount in whole cents, not negative.
    Cents,
    /// A non-negative decimal with at most `scale` places (KVZ: 2, ZKF: 1).
    Decimal { scale: u32, expected: &'static str },
    /// The Faktor f of § 39f EStG: above 0, at most 1, three decimal places.
    Factor,
}

impl DocumentedRange {
    /// The text of [`PapError::OutOfRange`].
    pub fn expected(self) -> &'static str {
        match self {
            DocumentedRange::Codes(_, expected) | DocumentedRange::Decimal { expected, .. } => {
                expected
            }
            DocumentedRange::YearOrZero => "0 or a calendar year from 1900 to 2100",
            DocumentedRange::Months => "a number of months from 0 to 12",
            DocumentedRange::Religion => "0 (no religion) or a positive religion key",
            DocumentedRange::Cents => "a whole, non-negative number of cents",
            DocumentedRange::Factor => {
                "a factor above 0 and at most 1 with up to three decimal places"
            }
        }
    }

    /// Whether `value` lies in the range.
    pub fn admits(self, value: Decimal) -> bool {
        let whole = value.scale() == 0 || value.fract().is_zero() && value.scale() == 0;
        let int = || {
            i32::try_from(value.trunc().mantissa())
                .ok()
                .filter(|_| whole)
        };
        match self {
            DocumentedRange::Codes(codes, _) => int().is_some_and(|v| codes.contains(&v)),
            DocumentedRange::YearOrZero => {
                int().is_some_and(|v| v == 0 || (1900..=2100).contains(&v))
            }
            DocumentedRange::Months => int().is_some_and(|v| (0..=12).contains(&v)),
            DocumentedRange::Religion => int().is_some_and(|v| v >= 0),
            DocumentedRange::Cents => whole && !value.is_sign_negative(),
            DocumentedRange::Decimal { scale, .. } => {
                value.scale() <= scale && !value.is_sign_negative()
            }
            DocumentedRange::Factor => {
                value.scale() <= 3 && value > Decimal::ZERO && value <= Decimal::ONE
            }
        }
    }
}

const FLAG: DocumentedRange = DocumentedRange::Codes(&[0, 1], "0 or 1");

impl PapVersion {
    /// The documented range of the input `name` in this version (`None` for a name the
    /// version does not define).
    pub fn documented_range(self, name: &str) -> Option<DocumentedRange> {
        use DocumentedRange::{Codes, Decimal as Dec};
        let (_, kind) = self.inputs().iter().find(|(n, _)| *n == name)?;
        // KRV and PKV lost their third code with the 2025 and 2026 PAPs.
        let year: u32 = self.name().get(..4)?.parse().ok()?;
        Some(match name {
            "af" | "ALTER1" | "ALV" | "PVS" | "PVZ" => FLAG,
            "STKL" => Codes(&[1, 2, 3, 4, 5, 6], "a tax class from 1 to 6"),
            "LZZ" => Codes(&[1, 2, 3, 4], "1 (year), 2 (month), 3 (week) or 4 (day)"),
            "KRV" if year <= 2024 => Codes(&[0, 1, 2], "0, 1 or 2"),
            "KRV" => FLAG,
            "PKV" if year <= 2025 => Codes(&[0, 1, 2], "0, 1 or 2"),
            "PKV" => FLAG,
            "PVA" => Codes(&[0, 1, 2, 3, 4], "a number of deductions from 0 to 4"),
            "R" => DocumentedRange::Religion,
            "AJAHR" | "VJAHR" => DocumentedRange::YearOrZero,
            "ZMVB" => DocumentedRange::Months,
            "KVZ" => Dec {
                scale: 2,
                expected: "a non-negative percentage with up to two decimal places",
            },
            "ZKF" => Dec {
                scale: 1,
                expected: "a non-negative number of child allowances with one decimal place",
            },
            "f" => DocumentedRange::Factor,
            // Every other BigDecimal input is an amount in cents.
            _ if *kind == InputKind::BigDecimal => DocumentedRange::Cents,
            _ => return None,
        })
    }

    /// The kind of the input `name` in this version, or why it cannot be set.
    pub fn input_kind(self, name: &str) -> Result<InputKind, PapError> {
        if let Some((_, kind)) = self.inputs().iter().find(|(n, _)| *n == name) {
            return Ok(*kind);
        }
        let known = PapVersion::ALL
            .iter()
            .flat_map(|v| v.inputs().iter())
            .find(|(n, _)| *n == name);
        match known {
            Some((static_name, _)) => Err(PapError::UnsupportedInput {
                name: static_name,
                version: self,
            }),
            None => Err(PapError::UnknownInput(name.to_string())),
        }
    }
}

impl PapInput {
    /// Sets the input `name` from its textual value (`"2"`, `"300000"`, `"1.7"`), checking that
    /// `version` defines it, that the value fits its kind and the accepted range, and that it
    /// lies in the range the PAP documents ([`PapVersion::documented_range`]). The errors
    /// never repeat the value (it may be a wage).
    pub fn set_text(
        &mut self,
        version: PapVersion,
        name: &str,
        text: &str,
    ) -> Result<(), PapError> {
        let kind = version.input_kind(name)?;
        let invalid = |problem: ValueProblem| PapError::InvalidInput {
            name: name.to_string(),
            problem,
        };
        let slot = self
            .slot(name)
            .ok_or_else(|| PapError::UnknownInput(name.to_string()))?;
        let in_range = |value: Decimal| match version.documented_range(name) {
            Some(range) if !range.admits(value) => Err(PapError::OutOfRange {
                // The version defines `name` (input_kind above), so its static name exists.
                name: version
                    .inputs()
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("?", |(n, _)| *n),
                expected: range.expected(),
            }),
            _ => Ok(()),
        };
        match (slot, kind) {
            (InputSlot::Int(target), InputKind::Int) => {
                let value = i32::from_str(text.trim())
                    .map_err(|_| invalid(ValueProblem::NotAWholeNumber))?;
                in_range(Decimal::from(value))?;
                *target = Some(value);
            }
            (InputSlot::Decimal(target), InputKind::Double | InputKind::BigDecimal) => {
                let value = parse_decimal(text).map_err(invalid)?;
                if kind == InputKind::Double && significant_digits(value) > 15 {
                    // Java reads a double; beyond 15 digits it is no longer this decimal.
                    return Err(invalid(ValueProblem::TooManyDigits));
                }
                in_range(value)?;
                *target = Some(value);
            }
            _ => return Err(invalid(ValueProblem::KindMismatch)),
        }
        Ok(())
    }
}

fn parse_decimal(text: &str) -> Result<Decimal, ValueProblem> {
    let t = text.trim();
    let plain = !t.is_empty()
        && t.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    let value = if plain {
        Decimal::from_str(t).ok()
    } else {
        None
    }
    .ok_or(ValueProblem::NotADecimal)?;
    if value.scale() > MAX_INPUT_SCALE {
        return Err(ValueProblem::TooManyDecimals);
    }
    if value.abs() > Decimal::from(MAX_CENTS) {
        return Err(ValueProblem::AboveMaximum);
    }
    Ok(value)
}

fn significant_digits(value: Decimal) -> usize {
    value
        .normalize()
        .mantissa()
        .unsigned_abs()
        .to_string()
        .len()
}

/// Runs the PAP `version` on `input`. Inputs left `None` take the version's default.
///
/// Every decimal input is checked against the accepted range first, so the exact
/// arithmetic of the generated code never meets a value it would have to round.
pub fn compute(version: PapVersion, input: &PapInput) -> Result<PapOutput, PapError> {
    generated::compute(version, input)
}

/// The range check of [`compute`] for one decimal input, which it hands to the generated
/// code as the runtime's exact decimal.
fn checked_decimal(name: &'static str, value: Decimal) -> Result<runtime::Dec, PapError> {
    let problem = if value.scale() > MAX_INPUT_SCALE {
        Some(ValueProblem::TooManyDecimals)
    } else if value.abs() > Decimal::from(MAX_CENTS) {
        Some(ValueProblem::AboveMaximum)
    } else {
        None
    };
    if let Some(problem) = problem {
        // Named by its range only: the value may be a wage.
        return Err(PapError::InvalidInput {
            name: name.to_string(),
            problem,
        });
    }
    Ok(runtime::Dec::from_decimal(value))
}

#[cfg(test)]
mod tests;
