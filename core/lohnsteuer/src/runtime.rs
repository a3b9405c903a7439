//! Java `BigDecimal` semantics for the generated PAP code, on an exact fixed-width decimal.
//!
//! The BMF pseudo-code is Java: `add`, `subtract` and `multiply` are exact, `divide(x)` is exact
//! or throws, `divide(x, scale, mode)` and `setScale` round the *exact* quotient once.
//! [`Dec`] is `mantissa · 10^-scale` with an `i128` mantissa (38 digits) and every operation
//! here is exact integer arithmetic: where a result would not fit, it returns
//! [`PapError::Precision`] instead of a wrong cent; nothing ever rounds except where the PAP
//! says so. Inputs are bounded at the edge ([`MAX_CENTS`]) so that, for every version, no
//! intermediate comes near those limits (the differential and property tests exercise the
//! bounds).
//!
//! The scales of results follow the `rust_decimal` implementation this module replaced, so
//! every output is the same `Decimal`, digit for digit and scale for scale (the reference
//! tests below compare each operation with it): a sum has the larger scale, except that a zero
//! operand returns the other one unchanged; a product of or a quotient into zero is a plain
//! `0`; an exact `divide` has the smallest scale ≥ `max(0, scale(a) − scale(b))` that holds
//! the quotient; `setScale` to a larger scale keeps the value as it is.
//!
//! Errors are built only when a step fails (`ok_or_else`): `PapError` has drop glue, so an
//! eager `ok_or(PapError::…)` dropped an unused error on every successful step.

#![allow(
    clippy::unnecessary_lazy_evaluations,
    reason = "an eager PapError is dropped on every successful step (drop glue)"
)]

use rust_decimal::Decimal;

use super::PapError;

/// Largest accepted money input in cents (10^12 cents = 10 billion euros a period).
///
/// Why 38 digits suffice: a yearly amount is at most 360 · 10^12 cents (a daily wage
/// annualised) ≈ 3.6 · 10^14, i.e. 15 digits at scale 2; the PAP multiplies such amounts by
/// rates of at most 5 decimals (or a Java `double` literal of 17 digits) and by factors ≤ 12,
/// and the tariff polynomial works on `Y = (X − GFB) / 10 000` at scale 6, where `X` is only
/// relevant below the zone limits (< 300 000 €). The widest product therefore has fewer than
/// 35 significant digits, below the 38 of an `i128`. The property test
/// `accepted_range_never_loses_precision` runs every version with all money inputs up to this
/// bound. Should a future PAP exceed it anyway, the checks in this module report
/// [`PapError::Precision`] instead of rounding.
pub const MAX_CENTS: i64 = 1_000_000_000_000;

/// Largest scale of a [`Dec`]: every power of ten up to it fits in an `i128`.
const MAX_SCALE: u32 = 38;

/// `10^0 ..= 10^38`.
const POW10: [i128; MAX_SCALE as usize + 1] = {
    let mut table = [1i128; MAX_SCALE as usize + 1];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// An exact decimal `m · 10^-s` with `s ≤ 38`: the PAP's `BigDecimal`.
///
/// Deliberately neither `PartialEq` nor `Ord`: `1.0` and `1.00` are different representations
/// of one value, so values are compared with [`cmp`] as the PAP does.
#[derive(Debug, Clone, Copy)]
pub struct Dec {
    m: i128,
    s: u32,
}

impl Dec {
    pub const ZERO: Dec = lit(0, 0);
    pub const ONE: Dec = lit(1, 0);

    /// The exact value of a `Decimal` (whose scale is at most 28).
    #[inline]
    pub fn from_decimal(value: Decimal) -> Dec {
        Dec {
            m: value.mantissa(),
            s: value.scale(),
        }
    }

    /// The same value and scale as a `Decimal`, if it fits (96-bit mantissa, scale ≤ 28).
    #[inline]
    pub fn to_decimal(self) -> Result<Decimal, PapError> {
        Decimal::try_from_i128_with_scale(self.m, self.s).map_err(|_| PapError::Precision("output"))
    }
}

impl From<i32> for Dec {
    #[inline]
    fn from(value: i32) -> Dec {
        lit(i64::from(value), 0)
    }
}

impl From<i64> for Dec {
    #[inline]
    fn from(value: i64) -> Dec {
        lit(value, 0)
    }
}

/// Rounding modes the PAP uses (`BigDecimal.ROUND_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `ROUND_DOWN`: towards zero.
    Down,
    /// `ROUND_UP`: away from zero.
    Up,
}

/// A decimal literal `mantissa · 10^-scale`; `const` so the generated tables cost nothing.
pub const fn lit(mantissa: i64, scale: u32) -> Dec {
    Dec {
        m: mantissa as i128,
        s: scale,
    }
}

/// `10^e`, if `e ≤ 38`.
#[inline]
fn pow10(e: u32) -> Option<i128> {
    POW10.get(e as usize).copied()
}

/// `a · b`, if it fits. Two factors that fit in `i64` never overflow an `i128` (the product
/// is below 2^126 in magnitude), which the compiler turns into one widening multiply.
#[inline]
fn mul_i128(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) => Some(i128::from(x) * i128::from(y)),
        _ => a.checked_mul(b),
    }
}

/// `m · 10^e`, if it fits.
#[inline]
fn scale_up(m: i128, e: u32) -> Option<i128> {
    if e == 0 {
        return Some(m);
    }
    mul_i128(m, pow10(e)?)
}

/// Truncating quotient and remainder; `None` for the one overflowing case (`MIN / −1`).
/// `divisor` is never zero here.
#[inline]
fn div_rem(numerator: i128, divisor: i128) -> Option<(i128, i128)> {
    if let (Ok(n), Ok(d)) = (i64::try_from(numerator), i64::try_from(divisor))
        && let (Some(q), Some(r)) = (n.checked_div(d), n.checked_rem(d))
    {
        return Some((i128::from(q), i128::from(r)));
    }
    Some((
        numerator.checked_div(divisor)?,
        numerator.checked_rem(divisor)?,
    ))
}

/// The two mantissas at the larger of the two scales, and that scale.
#[inline]
fn align(a: Dec, b: Dec, op: &'static str) -> Result<(i128, i128, u32), PapError> {
    let precision = || PapError::Precision(op);
    if a.s == b.s {
        Ok((a.m, b.m, a.s))
    } else if a.s < b.s {
        Ok((scale_up(a.m, b.s - a.s).ok_or_else(precision)?, b.m, b.s))
    } else {
        Ok((a.m, scale_up(b.m, a.s - b.s).ok_or_else(precision)?, a.s))
    }
}

/// `a.add(b)`, exact.
#[inline]
pub fn add(a: Dec, b: Dec) -> Result<Dec, PapError> {
    if a.m == 0 {
        return Ok(b);
    }
    if b.m == 0 {
        return Ok(a);
    }
    let (x, y, s) = align(a, b, "add")?;
    let m = x.checked_add(y).ok_or_else(|| PapError::Precision("add"))?;
    Ok(Dec { m, s })
}

/// `a.subtract(b)`, exact.
#[inline]
pub fn sub(a: Dec, b: Dec) -> Result<Dec, PapError> {
    if a.m == 0 {
        let m =
            b.m.checked_neg()
                .ok_or_else(|| PapError::Precision("subtract"))?;
        return Ok(Dec { m, s: b.s });
    }
    if b.m == 0 {
        return Ok(a);
    }
    let (x, y, s) = align(a, b, "subtract")?;
    let m = x
        .checked_sub(y)
        .ok_or_else(|| PapError::Precision("subtract"))?;
    Ok(Dec { m, s })
}

/// `a.multiply(b)`, exact.
#[inline]
pub fn mul(a: Dec, b: Dec) -> Result<Dec, PapError> {
    if a.m == 0 || b.m == 0 {
        return Ok(Dec::ZERO);
    }
    let s = a.s + b.s;
    match mul_i128(a.m, b.m) {
        Some(m) if s <= MAX_SCALE => Ok(Dec { m, s }),
        _ => Err(PapError::Precision("multiply")),
    }
}

/// `a.divide(b)`: the exact quotient, or an error where Java throws (division by zero or a
/// non-terminating decimal expansion).
///
/// The scale is the one `rust_decimal` gave (see [`div_exact_rust_decimal`]): the quotient at
/// scale `sa − sb` when that is whole; otherwise `rust_decimal` extends by nine digits and
/// strips trailing zeros in chunks of 4, 2 and 1 (8 only when the low 32 bits are zero), so a
/// quotient one digit longer keeps one zero. That common case is computed here directly; the
/// rest goes through `rust_decimal` itself.
#[inline]
pub fn div_exact(a: Dec, b: Dec) -> Result<Dec, PapError> {
    if b.m == 0 {
        return Err(PapError::DivisionByZero);
    }
    if a.m == 0 {
        return Ok(Dec::ZERO);
    }
    if a.s >= b.s {
        let s0 = a.s - b.s;
        let (q, r) = div_rem(a.m, b.m).ok_or_else(|| PapError::Precision("divide"))?;
        if r == 0 {
            return Ok(Dec { m: q, s: s0 });
        }
        // rust_decimal's single-step regime: a 32-bit divisor, a 96-bit dividend, room for
        // nine more digits in scale (s0 ≤ 19) and in the 96-bit quotient. It then carries on
        // by nine digits and strips the zeros again, which is what the loop below mirrors.
        const BIT96: u128 = 1 << 96;
        let q = q.unsigned_abs();
        if s0 <= 19
            && let Ok(divisor) = u32::try_from(b.m.unsigned_abs())
            && a.m.unsigned_abs() < BIT96
            && (q + 1) * 1_000_000_000 < BIT96
        {
            let divisor = u64::from(divisor);
            // |r| < divisor < 2^32, so the cast is exact and rest · 10 cannot overflow.
            let (mut digits, mut rest) = (q, r.unsigned_abs() as u64);
            for extra in 1..=9 {
                digits = digits * 10 + u128::from(rest * 10 / divisor);
                rest = rest * 10 % divisor;
                if rest == 0 {
                    // One digit more: the nine-digit step left eight zeros, and rust_decimal
                    // strips 4 + 2 + 1 of them unless the low 32 bits are zero (then all 8).
                    let (digits, extra) = if extra == 1 && digits.trailing_zeros() < 24 {
                        (digits * 10, 2)
                    } else {
                        (digits, extra)
                    };
                    // digits < 10^9 · (q + 1) < 2^96.
                    let m = digits as i128;
                    let negative = (a.m < 0) != (b.m < 0);
                    return Ok(Dec {
                        m: if negative { -m } else { m },
                        s: s0 + extra,
                    });
                }
            }
        }
    }
    div_exact_rust_decimal(a, b)
}

/// The general case of [`div_exact`]: the exact quotient, in the representation
/// `rust_decimal` gives where it holds the quotient exactly.
#[cold]
fn div_exact_rust_decimal(a: Dec, b: Dec) -> Result<Dec, PapError> {
    let exact = exact_quotient(a, b)?;
    if let (Ok(x), Ok(y)) = (a.to_decimal(), b.to_decimal())
        && let Some(theirs) = x.checked_div(y)
    {
        let theirs = Dec::from_decimal(theirs);
        if cmp(theirs, exact) == 0 {
            return Ok(theirs);
        }
    }
    // Beyond rust_decimal's 28 digits: any exact representation will do.
    Ok(exact)
}

/// `a / b` at the smallest scale ≥ `max(0, sa − sb)` that holds it, or `NonTerminating`.
fn exact_quotient(a: Dec, b: Dec) -> Result<Dec, PapError> {
    let precision = || PapError::Precision("divide");
    // The quotient at scale s = max(0, sa − sb) is n / d with n = A · 10^(s − sa + sb).
    let (n, s) = if a.s >= b.s {
        (a.m, a.s - b.s)
    } else {
        (scale_up(a.m, b.s - a.s).ok_or_else(precision)?, 0)
    };
    let d = b.m;
    let (q, r) = div_rem(n, d).ok_or_else(precision)?;
    if r == 0 {
        return Ok(Dec { m: q, s });
    }
    // Not whole at scale s: the quotient terminates iff the reduced divisor d / gcd(n, d) is
    // 2^x · 5^y, and then it is whole at scale s + max(x, y) and at no smaller one.
    let g = gcd(r.unsigned_abs(), d.unsigned_abs());
    let reduced = d.unsigned_abs() / g;
    let twos = reduced.trailing_zeros();
    let mut rest = reduced >> twos;
    let mut fives = 0;
    while rest.is_multiple_of(5) {
        rest /= 5;
        fives += 1;
    }
    if rest != 1 {
        return Err(PapError::NonTerminating);
    }
    let extra = twos.max(fives);
    let s = s + extra;
    if s > MAX_SCALE {
        return Err(precision());
    }
    // n / d · 10^extra = (n / g) · (10^extra / reduced), with the sign of d. Both factors
    // fit: g and reduced divide the i128s n and d, and 10^extra ≤ 10^38.
    let factor = (pow10(extra).ok_or_else(precision)? as u128 / reduced) as i128;
    let n_reduced = i128::try_from(n.unsigned_abs() / g).map_err(|_| precision())?;
    let m = mul_i128(n_reduced, factor).ok_or_else(precision)?;
    let negative = (n < 0) != (d < 0);
    Ok(Dec {
        m: if negative { -m } else { m },
        s,
    })
}

/// Greatest common divisor (Euclid; only on the rare general path).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The truncated quotient moved one unit away from zero if `mode` is `Up` and there is a
/// remainder.
#[inline]
fn rounded(quotient: i128, remainder: i128, negative: bool, mode: Mode) -> i128 {
    if mode == Mode::Up && remainder != 0 {
        if negative { quotient - 1 } else { quotient + 1 }
    } else {
        quotient
    }
}

/// `a.divide(b, scale, mode)`: the exact quotient rounded once to `scale` digits.
#[inline]
pub fn div(a: Dec, b: Dec, scale: u32, mode: Mode) -> Result<Dec, PapError> {
    if b.m == 0 {
        return Err(PapError::DivisionByZero);
    }
    let precision = || PapError::Precision("divide");
    if scale > MAX_SCALE {
        return Err(precision());
    }
    // a/b · 10^scale = A · 10^(sb + scale − sa) / B with A, B the integer mantissas.
    let up = b.s + scale;
    let (numerator, denominator) = if up >= a.s {
        (scale_up(a.m, up - a.s).ok_or_else(precision)?, b.m)
    } else {
        (a.m, scale_up(b.m, a.s - up).ok_or_else(precision)?)
    };
    let (quotient, remainder) = div_rem(numerator, denominator).ok_or_else(precision)?;
    let negative = (numerator < 0) != (denominator < 0);
    Ok(Dec {
        m: rounded(quotient, remainder, negative, mode),
        s: scale,
    })
}

/// `a.setScale(scale, mode)`.
#[inline]
pub fn set_scale(a: Dec, scale: u32, mode: Mode) -> Result<Dec, PapError> {
    if a.s <= scale {
        // Widening never changes the value, and only the value is observable here.
        return Ok(a);
    }
    // a.s − scale ≤ 38, so the power exists; the guard keeps this free of panics anyway.
    let divisor = pow10(a.s - scale).ok_or_else(|| PapError::Precision("setScale"))?;
    let (quotient, remainder) =
        div_rem(a.m, divisor).ok_or_else(|| PapError::Precision("setScale"))?;
    Ok(Dec {
        m: rounded(quotient, remainder, a.m < 0, mode),
        s: scale,
    })
}

/// `a.compareTo(b)`: −1, 0 or 1.
#[inline]
pub fn cmp(a: Dec, b: Dec) -> i32 {
    let ordering = if a.s == b.s {
        a.m.cmp(&b.m)
    } else if a.s < b.s {
        match scale_up(a.m, b.s - a.s) {
            Some(x) => x.cmp(&b.m),
            // |a| · 10^(sb − sa) is beyond the i128 range, so beyond |b|: a's sign decides.
            None => a.m.cmp(&0),
        }
    } else {
        match scale_up(b.m, a.s - b.s) {
            Some(y) => a.m.cmp(&y),
            None => 0.cmp(&b.m),
        }
    };
    ordering as i32
}

/// `a.longValue()`: the integer part, truncated towards zero.
pub fn long_value(a: Dec) -> Result<i64, PapError> {
    let precision = || PapError::Precision("longValue");
    let truncated = a.m / pow10(a.s).ok_or_else(precision)?;
    i64::try_from(truncated).map_err(|_| precision())
}

/// `TABLE[index]`, where Java would throw `ArrayIndexOutOfBoundsException`.
#[inline]
pub fn at(table: &[Dec], index: i32) -> Result<Dec, PapError> {
    usize::try_from(index)
        .ok()
        .and_then(|i| table.get(i).copied())
        .ok_or_else(|| PapError::IndexOutOfBounds(index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Dec {
        Dec::from_decimal(Decimal::from_str(s).expect("test literal"))
    }

    /// Value and scale as text (`1.50`), to compare representations, not only values.
    fn text(r: Result<Dec, PapError>) -> String {
        r.and_then(Dec::to_decimal)
            .map_or_else(|e| format!("{e:?}"), |v| v.to_string())
    }

    #[test]
    fn literals_keep_sign_and_scale() {
        assert_eq!(text(Ok(lit(91451, 2))), "914.51");
        assert_eq!(text(Ok(lit(-4, 3))), "-0.004");
        assert_eq!(text(Ok(lit(0, 0))), "0");
    }

    #[test]
    fn divide_rounds_the_exact_quotient_once() {
        // 1/3 to 2 places, both directions.
        assert_eq!(text(div(d("1"), d("3"), 2, Mode::Down)), "0.33");
        assert_eq!(text(div(d("1"), d("3"), 2, Mode::Up)), "0.34");
        // Negative quotients: DOWN is towards zero, UP away from zero.
        assert_eq!(text(div(d("-1"), d("3"), 2, Mode::Down)), "-0.33");
        assert_eq!(text(div(d("-1"), d("3"), 2, Mode::Up)), "-0.34");
        // A remainder far beyond 28 digits must still round UP (the lstgen pitfall).
        let a = d("1.0000000000000000000000000001");
        assert_eq!(text(div(a, d("1"), 2, Mode::Up)), "1.01");
        assert_eq!(
            div(d("5"), d("0"), 2, Mode::Up).map(|_| ()),
            Err(PapError::DivisionByZero)
        );
    }

    #[test]
    fn exact_divide_rejects_non_terminating() {
        // The scales are rust_decimal's (see `div_exact`): one digit more keeps a zero.
        assert_eq!(text(div_exact(d("1050"), d("12"))), "87.50");
        assert_eq!(text(div_exact(d("12.50"), d("5"))), "2.50");
        assert_eq!(text(div_exact(d("12340"), d("100"))), "123.40");
        assert_eq!(text(div_exact(d("12345"), d("100"))), "123.45");
        assert_eq!(text(div_exact(d("3.10"), d("500"))), "0.0062");
        assert_eq!(text(div_exact(d("7.0"), d("0.28"))), "25.0");
        assert_eq!(text(div_exact(d("0.00"), d("3"))), "0");
        assert_eq!(text(div_exact(d("-1"), d("-64"))), "0.015625");
        assert_eq!(text(div_exact(d("1"), d("-80"))), "-0.0125");
        assert_eq!(
            div_exact(d("1"), d("3")).map(|_| ()),
            Err(PapError::NonTerminating)
        );
        assert_eq!(
            div_exact(d("1"), d("0")).map(|_| ()),
            Err(PapError::DivisionByZero)
        );
    }

    #[test]
    fn set_scale_rounds_and_widens() {
        assert_eq!(text(set_scale(d("2.345"), 2, Mode::Down)), "2.34");
        assert_eq!(text(set_scale(d("2.341"), 2, Mode::Up)), "2.35");
        assert_eq!(text(set_scale(d("-2.341"), 2, Mode::Up)), "-2.35");
        assert_eq!(text(set_scale(d("7"), 2, Mode::Down)), "7");
        assert_eq!(text(set_scale(d("0.004"), 2, Mode::Down)), "0.00");
    }

    #[test]
    fn sums_with_zero_are_exact() {
        assert_eq!(text(sub(d("5"), d("0.00"))), "5");
        assert_eq!(text(add(d("0.00"), d("-1.5"))), "-1.5");
        assert_eq!(text(sub(d("0.000"), d("1.5"))), "-1.5");
        assert_eq!(text(sub(d("1.10"), d("1.1"))), "0.00");
        let huge = Dec {
            m: 9 * 10i128.pow(37),
            s: 0,
        };
        assert!(add(huge, d("0.1")).is_err());
        assert!(add(huge, huge).is_err());
    }

    #[test]
    fn multiply_refuses_to_round() {
        let big = Dec {
            m: 10i128.pow(20),
            s: 10,
        };
        assert!(mul(big, big).is_err());
        assert_eq!(text(mul(d("1.5"), d("0.25"))), "0.375");
        assert_eq!(text(mul(d("1.50"), d("0.00"))), "0");
        // 30 digits: more than rust_decimal held, well within an i128.
        let wide = mul(d("123456789012345.67"), d("0.07650000000000001"));
        let wide = wide.expect("fits in i128");
        assert_eq!((wide.m, wide.s), (12345678901234567 * 7650000000000001, 19));
    }

    #[test]
    fn compare_across_scales_and_ranges() {
        assert_eq!(cmp(d("1.0"), d("1.00")), 0);
        assert_eq!(cmp(d("1.01"), d("1.0")), 1);
        assert_eq!(cmp(d("-3"), d("-2.999")), -1);
        let huge = Dec { m: i128::MAX, s: 0 };
        let tiny_scale = Dec { m: 1, s: 38 };
        assert_eq!(cmp(huge, tiny_scale), 1);
        assert_eq!(cmp(tiny_scale, huge), -1);
        let neg = Dec {
            m: -(10i128.pow(37)),
            s: 0,
        };
        assert_eq!(cmp(neg, Dec { m: 5, s: 30 }), -1);
        assert_eq!(cmp(Dec { m: 5, s: 30 }, neg), 1);
    }

    #[test]
    fn long_value_truncates() {
        assert_eq!(long_value(d("12.99")).unwrap(), 12);
        assert_eq!(long_value(d("-12.99")).unwrap(), -12);
    }

    #[test]
    fn table_index_is_checked() {
        let table = [d("1"), d("2")];
        assert_eq!(text(at(&table, 1)), "2");
        assert_eq!(
            at(&table, 2).map(|_| ()),
            Err(PapError::IndexOutOfBounds(2))
        );
        assert_eq!(
            at(&table, -1).map(|_| ()),
            Err(PapError::IndexOutOfBounds(-1))
        );
    }

    /// The `rust_decimal` implementation this module replaced, kept as the reference for the
    /// scales of results.
    mod reference {
        use rust_decimal::{Decimal, RoundingStrategy};

        use super::super::{Mode, PapError};

        pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
            let sum = a.checked_add(b).ok_or(PapError::Precision("add"))?;
            exact_sum(sum, a, b, "add")
        }

        pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
            let diff = a.checked_sub(b).ok_or(PapError::Precision("subtract"))?;
            exact_sum(diff, a, b, "subtract")
        }

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

        pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
            let product = a.checked_mul(b).ok_or(PapError::Precision("multiply"))?;
            exact_scale(product, a.scale() + b.scale(), "multiply")
        }

        fn exact_scale(
            value: Decimal,
            expected: u32,
            op: &'static str,
        ) -> Result<Decimal, PapError> {
            if value.scale() == expected || value.is_zero() {
                Ok(value)
            } else {
                Err(PapError::Precision(op))
            }
        }

        pub fn div_exact(a: Decimal, b: Decimal) -> Result<Decimal, PapError> {
            if b.is_zero() {
                return Err(PapError::DivisionByZero);
            }
            let quotient = a.checked_div(b).ok_or(PapError::Precision("divide"))?;
            match quotient.checked_mul(b) {
                Some(back) if back == a => Ok(quotient),
                _ => Err(PapError::NonTerminating),
            }
        }

        pub fn div(a: Decimal, b: Decimal, scale: u32, mode: Mode) -> Result<Decimal, PapError> {
            if b.is_zero() {
                return Err(PapError::DivisionByZero);
            }
            let shift = i64::from(b.scale()) + i64::from(scale) - i64::from(a.scale());
            let (mut numerator, mut denominator) = (a.mantissa(), b.mantissa());
            let pow10 = |e: i64| {
                u32::try_from(e)
                    .ok()
                    .and_then(|e| 10i128.checked_pow(e))
                    .ok_or(PapError::Precision("divide"))
            };
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
            Decimal::try_from_i128_with_scale(quotient, scale)
                .map_err(|_| PapError::Precision("divide"))
        }

        pub fn set_scale(a: Decimal, scale: u32, mode: Mode) -> Decimal {
            if a.scale() <= scale {
                return a;
            }
            let strategy = match mode {
                Mode::Down => RoundingStrategy::ToZero,
                Mode::Up => RoundingStrategy::AwayFromZero,
            };
            a.round_dp_with_strategy(scale, strategy)
        }
    }

    mod against_reference {
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        use super::super::*;
        use super::reference;

        /// Decimals of every size `rust_decimal` holds, biased to the PAP's: small and
        /// mid-sized mantissas, scales 0–8, sometimes up to 28 digits and scale 28.
        fn decimal() -> impl Strategy<Value = Decimal> {
            let mantissa = prop_oneof![
                3 => -1_000i128..=1_000,
                3 => -10_000_000_000i128..=10_000_000_000,
                2 => i128::from(i64::MIN)..=i128::from(i64::MAX),
                1 => -(1i128 << 96) + 1..(1i128 << 96),
            ];
            let scale = prop_oneof![4 => 0u32..=8, 1 => 0u32..=28];
            (mantissa, scale).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
        }

        fn mode() -> impl Strategy<Value = Mode> {
            prop_oneof![Just(Mode::Down), Just(Mode::Up)]
        }

        /// Same representation (mantissa and scale; the sign of a zero is not kept).
        fn same(ours: Dec, theirs: Decimal) -> bool {
            ours.m == theirs.mantissa() && ours.s == theirs.scale()
        }

        /// Where the reference succeeds, ours gives the same representation. Where ours
        /// differs, `confirm` must show that ours is the exact value (the reference refused
        /// beyond its 28 digits, or rounded a tiny product to zero) or `refute` that the
        /// reference's was not (its exact `divide` could accept a rounded quotient). Other
        /// errors must be the same.
        fn agree(
            ours: Result<Dec, PapError>,
            theirs: Result<Decimal, PapError>,
            confirm: impl Fn(Dec) -> bool,
            refute: impl Fn(Decimal) -> bool,
        ) -> Result<(), TestCaseError> {
            agree_or_refuse(ours, theirs, confirm, refute, false, false)
        }

        /// [`agree`], where ours may also refuse for precision if `may_refuse` (an
        /// intermediate beyond the i128 range that rust_decimal's algorithm avoided), and
        /// say `NonTerminating` where the reference overflowed if `endless` (the quotient
        /// has no finite expansion).
        fn agree_or_refuse(
            ours: Result<Dec, PapError>,
            theirs: Result<Decimal, PapError>,
            confirm: impl Fn(Dec) -> bool,
            refute: impl Fn(Decimal) -> bool,
            may_refuse: bool,
            endless: bool,
        ) -> Result<(), TestCaseError> {
            match (ours, theirs) {
                (Err(PapError::Precision(_)), _) if may_refuse => {}
                (Ok(o), Ok(t)) if same(o, t) => {}
                (Ok(o), Ok(t)) if t.is_zero() => prop_assert!(confirm(o), "{o:?}, reference {t}"),
                // The reference's exact `divide` accepted a rounded quotient.
                (Ok(o), Ok(t)) if refute(t) => prop_assert!(confirm(o), "{o:?}, reference {t}"),
                (Ok(o), Err(PapError::Precision(_) | PapError::NonTerminating)) => {
                    prop_assert!(confirm(o), "unconfirmed {o:?}")
                }
                (Err(PapError::NonTerminating), Ok(t)) => {
                    prop_assert!(refute(t), "reference {t} is exact")
                }
                // Both refuse; the reference also says NonTerminating when it ran out of digits.
                (
                    Err(PapError::Precision(_)),
                    Err(PapError::Precision(_) | PapError::NonTerminating),
                ) => {}
                // Both throw (the quotient does not terminate).
                (Err(PapError::NonTerminating), Err(PapError::Precision(_))) if endless => {}
                // The reference rounded a product beyond scale 28 to zero; ours refuses it.
                (Err(PapError::Precision(_)), Ok(t)) if t.is_zero() => {}
                (o, t) => prop_assert_eq!(format!("{o:?}"), format!("{t:?}")),
            }
            Ok(())
        }

        /// `q` is not the exact quotient `x / y`: that quotient does not terminate, or
        /// `q · y ≠ x`.
        fn not_quotient(q: Decimal, x: Dec, y: Dec) -> bool {
            !terminates(x, y) || mul(Dec::from_decimal(q), y).is_ok_and(|back| cmp(back, x) != 0)
        }

        /// Whether x / y has a finite decimal expansion (y ≠ 0, both from a `Decimal`):
        /// iff |X| · 10^k ≡ 0 (mod |Y|) for some k; |Y| < 2^96 has at most 96 factors 2 and
        /// 41 factors 5, so k = 128 decides.
        fn terminates(x: Dec, y: Dec) -> bool {
            let divisor = y.m.unsigned_abs();
            let mut rest = x.m.unsigned_abs() % divisor;
            for _ in 0..128 {
                rest = rest * 10 % divisor;
            }
            rest == 0
        }

        /// `q · y = x`, checked in unbounded integers: |Q| · |Y| · 10^sx = |X| · 10^(sq + sy)
        /// and the signs agree.
        fn quotient(q: Dec, x: Dec, y: Dec) -> bool {
            let sign = |v: Dec| v.m.signum();
            let left = times_pow10(big_mul(&big(q.m), &big(y.m)), x.s);
            let right = times_pow10(big(x.m), q.s + y.s);
            sign(q) * sign(y) == sign(x) && left == right
        }

        /// |m| in base-2^32 digits, least significant first, without leading zeros.
        fn big(m: i128) -> Vec<u64> {
            let mut magnitude = m.unsigned_abs();
            let mut digits = Vec::new();
            while magnitude != 0 {
                digits.push((magnitude & 0xffff_ffff) as u64);
                magnitude >>= 32;
            }
            digits
        }

        fn big_mul(a: &[u64], b: &[u64]) -> Vec<u64> {
            let mut out = vec![0u64; a.len() + b.len()];
            for (i, &x) in a.iter().enumerate() {
                let mut carry = 0u64;
                for (j, &y) in b.iter().enumerate() {
                    let t = out[i + j] + x * y + carry;
                    out[i + j] = t & 0xffff_ffff;
                    carry = t >> 32;
                }
                out[i + b.len()] += carry;
            }
            while out.last() == Some(&0) {
                out.pop();
            }
            out
        }

        fn times_pow10(mut a: Vec<u64>, e: u32) -> Vec<u64> {
            for _ in 0..e {
                a = big_mul(&a, &[10]);
            }
            a
        }

        fn never<V>(_: V) -> bool {
            false
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]

            #[test]
            fn add_sub_mul(a in decimal(), b in decimal()) {
                let (x, y) = (Dec::from_decimal(a), Dec::from_decimal(b));
                // A sum that rust_decimal could not hold is confirmed by subtracting back.
                agree(add(x, y), reference::add(a, b), |s| {
                    sub(s, y).is_ok_and(|back| cmp(back, x) == 0)
                }, never)?;
                agree(sub(x, y), reference::sub(a, b), |s| {
                    add(s, y).is_ok_and(|back| cmp(back, x) == 0)
                }, never)?;
                // A product is confirmed by dividing back (y ≠ 0 when the product is not 0).
                agree(mul(x, y), reference::mul(a, b), |p| quotient(x, p, y), never)?;
                prop_assert_eq!(cmp(x, y), a.cmp(&b) as i32);
            }

            #[test]
            fn divisions(a in decimal(), b in decimal(), scale in 0u32..=10, m in mode()) {
                let (x, y) = (Dec::from_decimal(a), Dec::from_decimal(b));
                // Ours needs |A| · 10^(sb − sa) in an i128 when sa < sb.
                let wide = x.s < y.s && scale_up(x.m, y.s - x.s).is_none();
                agree_or_refuse(
                    div_exact(x, y),
                    reference::div_exact(a, b),
                    |q| quotient(q, x, y),
                    |q| not_quotient(q, x, y),
                    wide,
                    y.m != 0 && !terminates(x, y),
                )?;
                // The reference computes in i128 too; it only also refuses beyond 96 bits.
                agree(div(x, y, scale, m), reference::div(a, b, scale, m), |q| q.s == scale, never)?;
                agree(set_scale(x, scale, m), Ok(reference::set_scale(a, scale, m)), never, never)?;
            }

            #[test]
            fn exact_divisions_of_pap_shapes(
                a in -1_000_000_000_000i64..=1_000_000_000_000,
                sa in 0u32..=6,
                b in divisor(),
                sb in 0u32..=3,
            ) {
                let (a, b) = (Decimal::new(a, sa), Decimal::new(b, sb));
                let (x, y) = (Dec::from_decimal(a), Dec::from_decimal(b));
                agree(
                    div_exact(x, y),
                    reference::div_exact(a, b),
                    |q| quotient(q, x, y),
                    |q| not_quotient(q, x, y),
                )?;
            }

            /// Dividends with many factors 2 (rust_decimal strips 8 zeros only when the low
            /// 32 bits are zero) and up to 96 bits, around the single-step limits.
            #[test]
            fn exact_divisions_by_powers_of_two(
                odd in 0u64..1_000_000,
                shift in 0u32..=75,
                negative in any::<bool>(),
                sa in 0u32..=22,
                b in divisor(),
            ) {
                // < 2^21 · 2^75 = 2^96.
                let magnitude = (u128::from(odd) * 2 + 1) << shift;
                let m = if negative { -(magnitude as i128) } else { magnitude as i128 };
                let (a, b) = (Decimal::from_i128_with_scale(m, sa), Decimal::new(b, 0));
                let (x, y) = (Dec::from_decimal(a), Dec::from_decimal(b));
                agree(
                    div_exact(x, y),
                    reference::div_exact(a, b),
                    |q| quotient(q, x, y),
                    |q| not_quotient(q, x, y),
                )?;
            }
        }

        /// The PAP's exact divisors (2, 5, 12, 100, 500, KZTAB) and some more.
        fn divisor() -> impl Strategy<Value = i64> {
            prop::sample::select(vec![
                1i64,
                2,
                4,
                5,
                8,
                10,
                12,
                100,
                500,
                360,
                700,
                10_000,
                3,
                7,
                125,
                16,
                80,
                -2,
                -100,
                1 << 31,
                5i64.pow(13),
                4_294_967_295,
            ])
        }
    }
}
