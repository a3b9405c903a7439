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
    /// An input name that no PAP version defines.
    #[error("unknown PAP input {0:?}")]
    UnknownInput(String),
    /// An input value outside what the PAP can take.
    #[error("input {name}: {problem}")]
    InvalidInput { name: String, problem: String },
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

/// Largest number of fractional digits accepted for a decimal input.
const MAX_INPUT_SCALE: u32 = 6;

impl PapVersion {
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
    /// `version` defines it and that the value fits its kind and the accepted range.
    pub fn set_text(
        &mut self,
        version: PapVersion,
        name: &str,
        text: &str,
    ) -> Result<(), PapError> {
        let kind = version.input_kind(name)?;
        let invalid = |problem: String| PapError::InvalidInput {
            name: name.to_string(),
            problem,
        };
        let slot = self
            .slot(name)
            .ok_or_else(|| PapError::UnknownInput(name.to_string()))?;
        match (slot, kind) {
            (InputSlot::Int(target), InputKind::Int) => {
                let value = i32::from_str(text.trim())
                    .map_err(|_| invalid(format!("{text:?} is not a whole number")))?;
                *target = Some(value);
            }
            (InputSlot::Decimal(target), InputKind::Double | InputKind::BigDecimal) => {
                let value = parse_decimal(text).map_err(invalid)?;
                if kind == InputKind::Double && significant_digits(value) > 15 {
                    // Java reads a double; beyond 15 digits it is no longer this decimal.
                    return Err(invalid(format!(
                        "{text:?} has more than 15 significant digits"
                    )));
                }
                *target = Some(value);
            }
            _ => return Err(invalid("input kind mismatch".into())),
        }
        Ok(())
    }
}

fn parse_decimal(text: &str) -> Result<Decimal, String> {
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
    .ok_or_else(|| format!("{text:?} is not a decimal number (digits and one '.')"))?;
    if value.scale() > MAX_INPUT_SCALE {
        return Err(format!(
            "{text:?} has more than {MAX_INPUT_SCALE} decimal places"
        ));
    }
    if value.abs() > Decimal::from(MAX_CENTS) {
        return Err(format!("{text:?} exceeds the accepted maximum {MAX_CENTS}"));
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
    if value.scale() > MAX_INPUT_SCALE || value.abs() > Decimal::from(MAX_CENTS) {
        return Err(PapError::InvalidInput {
            name: name.to_string(),
            problem: format!("{value} is out of the accepted range"),
        });
    }
    Ok(runtime::Dec::from_decimal(value))
}

#[cfg(test)]
mod tests;
