//! Java `BigDecimal` semantics for the generated PAP code, on top of `rust_decimal`.
//!
//! The BMF pseudo-code is Java: `add`, `subtract` and `multiply` are exact, `divide(x)` is exact
//! or throws, `divide(x, scale, mode)` and `setScale` round the *exact* quotient once.
//! `rust_decimal` keeps a 96-bit mantissa (28–29 digits) and silently rounds a result that does
//! not fit. Every operation here therefore checks that nothing was cut and returns
//! [`PapError::Precision`] instead of a wrong cent; `divide` with a scale is computed on the
//! integer mantissas in `i128`, so it never rounds twice. Inputs are bounded at the edge
//! ([`MAX_CENTS`]) so that, for every version, no intermediate comes near those limits (the
//! differential and property tests exercise the bounds).

use rust_decimal::{Decimal, RoundingStrategy};

use super::PapError;

/// Largest accepted money input in cents (10^12 cents = 10 billion euros a period).
///
/// Why 28 digits suffice: a yearly amount is at most 360 · 10^12 cents (a daily wage
/// annualised) ≈ 3.6 · 10^14, i.e. 15 digits at scale 2; the PAP multiplies such amounts by
/// rates of at most 5 decimals and by factors ≤ 12, and the tariff polynomial works on
/// `Y = (X − GFB) / 10 000` at scale 6, where `X` is only relevant below the zone limits
/// (< 300 000 €). The widest product therefore has fewer than 25 significant digits, below the
/// 28 that `rust_decimal`'s 96-bit mantissa holds. The property test
/// `accepted_range_never_loses_precision` runs every version with all money inputs up to this
/// bound, and the same test passes with the bound raised to 9 · 10^18: a margin of more than
/// six orders of magnitude. Should a future PAP exceed it anyway, the checks in this module
/// report [`PapError::Precision`] instead of rounding.
pub const MAX_CENTS: i64 = 1_000_000_000_000;

/// Rounding modes the PAP uses (`BigDecimal.ROUND_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `ROUND_DOWN`: towards zero.
    Down,
    /// `ROUND_UP`: away from zero.
    Up,
}

impl Mode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Mode::Down => RoundingStrategy::ToZero,
            Mode::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// A decimal literal `mantissa · 10^-scale`; `const` so the generated tables cost nothing.
pub const fn lit(mantissa: i64, scale: u32) -> Decimal {
    let magnitude = mantissa.unsigned_abs();
    Decimal::from_parts(
        magnitude as u32,
        (magnitude >> 32) as u32,
        0,
        mantissa < 0,
        scale,
    )
}

/// `a.add(b)`, exact.
#[inline]
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
    let sum = a.checked_add(b).ok_or(PapError::Precision("add"))?;
    exact_sum(sum, a, b, "add")
}

/// `a.subtract(b)`, exact.
#[inline]
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
    let diff = a.checked_sub(b).ok_or(PapError::Precision("subtract"))?;
    exact_sum(diff, a, b, "subtract")
}

/// A sum keeps the larger scale unless it was rounded. `rust_decimal` returns the other
/// operand unchanged (with its own scale) when one side is zero, which is exact too.
#[inline]
fn exact_sum(
    value: Decimal,
    a: Decimal,
    b: Decimal,
    op: &'static str,
) -> Result<Decimal, PapError> {
    if a.is_zero() || b.is_zero() {
        return Ok(value);
    }
    exact_scale(value, a.scale().max(b.scale()), op)
}

/// `a.multiply(b)`, exact.
#[inline]
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
    let product = a.checked_mul(b).ok_or(PapError::Precision("multiply"))?;
    exact_scale(product, a.scale() + b.scale(), "multiply")
}

/// `rust_decimal` reduces the scale of a result whose mantissa would overflow; the value was
/// then rounded. A zero result may come back with any scale and is always exact.
#[inline]
fn exact_scale(value: Decimal, expected: u32, op: &'static str) -> Result<Decimal, PapError> {
    if value.scale() == expected || value.is_zero() {
        Ok(value)
    } else {
        Err(PapError::Precision(op))
    }
}

/// `a.divide(b)`: the exact quotient, or an error where Java throws (division by zero or a
/// non-terminating decimal expansion).
pub fn div_exact(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
    if b.is_zero() {
        return Err(PapError::DivisionByZero);
    }
    let quotient = a.checked_div(b).ok_or(PapError::Precision("divide"))?;
    // The quotient is exact iff multiplying back gives the dividend exactly.
    match quotient.checked_mul(b) {
        Some(back) if back == a => Ok(quotient),
        _ => Err(PapError::NonTerminating),
    }
}

/// `a.divide(b, scale, mode)`: the exact quotient rounded once to `scale` digits.
pub fn div(a: Decimal, b: Decimal, scale: u32, mode: Mode) -> Result<Decimal, PapError> {
    if b.is_zero() {
        return Err(PapError::DivisionByZero);
    }
    // a/b · 10^scale = A · 10^(sb + scale − sa) / B with A, B the integer mantissas.
    let shift = i64::from(b.scale()) + i64::from(scale) - i64::from(a.scale());
    let (mut numerator, mut denominator) = (a.mantissa(), b.mantissa());
    if shift >= 0 {
        numerator = numerator
            .checked_mul(pow10(shift)?)
            .ok_or(PapError::Precision("divide"))?;
    } else {
        denominator = denominator
            .checked_mul(pow10(-shift)?)
            .ok_or(PapError::Precision("divide"))?;
    }
    let mut quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if mode == Mode::Up && remainder != 0 {
        quotient += if (numerator < 0) == (denominator < 0) {
            1
        } else {
            -1
        };
    }
    Decimal::try_from_i128_with_scale(quotient, scale).map_err(|_| PapError::Precision("divide"))
}

fn pow10(exponent: i64) -> Result<i128, PapError> {
    u32::try_from(exponent)
        .ok()
        .and_then(|e| 10i128.checked_pow(e))
        .ok_or(PapError::Precision("divide"))
}

/// `a.setScale(scale, mode)`.
#[inline]
pub fn set_scale(a: Decimal, scale: u32, mode: Mode) -> Result<Decimal, PapError> {
    if a.scale() <= scale {
        // Widening never changes the value, and only the value is observable here.
        return Ok(a);
    }
    Ok(a.round_dp_with_strategy(scale, mode.strategy()))
}

/// `a.compareTo(b)`: −1, 0 or 1.
#[inline]
pub fn cmp(a: Decimal, b: Decimal) -> i32 {
    match a.cmp(&b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// `a.longValue()`: the integer part, truncated towards zero.
pub fn long_value(a: Decimal) -> Result<i64, PapError> {
    let truncated = a.trunc().mantissa() / 10i128.pow(a.trunc().scale());
    i64::try_from(truncated).map_err(|_| PapError::Precision("longValue"))
}

/// `TABLE[index]`, where Java would throw `ArrayIndexOutOfBoundsException`.
#[inline]
pub fn at(table: &[Decimal], index: i32) -> Result<Decimal, PapError> {
    usize::try_from(index)
        .ok()
        .and_then(|i| table.get(i).copied())
        .ok_or(PapError::IndexOutOfBounds(index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test literal")
    }

    #[test]
    fn literals_keep_sign_and_scale() {
        assert_eq!(lit(91451, 2), d("914.51"));
        assert_eq!(lit(-4, 3), d("-0.004"));
        assert_eq!(lit(0, 0), Decimal::ZERO);
    }

    #[test]
    fn divide_rounds_the_exact_quotient_once() {
        // 1/3 to 2 places, both directions.
        assert_eq!(div(d("1"), d("3"), 2, Mode::Down).unwrap(), d("0.33"));
        assert_eq!(div(d("1"), d("3"), 2, Mode::Up).unwrap(), d("0.34"));
        // Negative quotients: DOWN is towards zero, UP away from zero.
        assert_eq!(div(d("-1"), d("3"), 2, Mode::Down).unwrap(), d("-0.33"));
        assert_eq!(div(d("-1"), d("3"), 2, Mode::Up).unwrap(), d("-0.34"));
        // A remainder far beyond 28 digits must still round UP (the lstgen pitfall).
        let a = d("1.0000000000000000000000000001");
        assert_eq!(div(a, d("1"), 2, Mode::Up).unwrap(), d("1.01"));
        assert_eq!(
            div(d("5"), d("0"), 2, Mode::Up),
            Err(PapError::DivisionByZero)
        );
    }

    #[test]
    fn exact_divide_rejects_non_terminating() {
        assert_eq!(div_exact(d("1050"), d("12")).unwrap(), d("87.5"));
        assert_eq!(div_exact(d("1"), d("3")), Err(PapError::NonTerminating));
    }

    #[test]
    fn set_scale_rounds_and_widens() {
        assert_eq!(set_scale(d("2.345"), 2, Mode::Down).unwrap(), d("2.34"));
        assert_eq!(set_scale(d("2.341"), 2, Mode::Up).unwrap(), d("2.35"));
        assert_eq!(set_scale(d("-2.341"), 2, Mode::Up).unwrap(), d("-2.35"));
        assert_eq!(set_scale(d("7"), 2, Mode::Down).unwrap(), d("7"));
    }

    #[test]
    fn sums_with_zero_are_exact() {
        assert_eq!(sub(d("5"), d("0.00")).unwrap(), d("5"));
        assert_eq!(add(d("0.00"), d("-1.5")).unwrap(), d("-1.5"));
        assert_eq!(sub(d("1.10"), d("1.1")).unwrap(), Decimal::ZERO);
        let huge = Decimal::from_i128_with_scale(7 * 10i128.pow(27), 0);
        let tiny = Decimal::from_i128_with_scale(1, 28);
        assert!(add(huge, tiny).is_err());
    }

    #[test]
    fn multiply_refuses_to_round() {
        let big = Decimal::from_i128_with_scale(10i128.pow(20), 10);
        assert!(mul(big, big).is_err());
        assert_eq!(mul(d("1.5"), d("0.25")).unwrap().to_string(), "0.375");
    }

    #[test]
    fn long_value_truncates() {
        assert_eq!(long_value(d("12.99")).unwrap(), 12);
        assert_eq!(long_value(d("-12.99")).unwrap(), -12);
    }

    #[test]
    fn table_index_is_checked() {
        let table = [d("1"), d("2")];
        assert_eq!(at(&table, 1).unwrap(), d("2"));
        assert_eq!(at(&table, 2), Err(PapError::IndexOutOfBounds(2)));
        assert_eq!(at(&table, -1), Err(PapError::IndexOutOfBounds(-1)));
    }
}
