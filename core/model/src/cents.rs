//! Money shown with two decimals, fast (explanations and the result's JSON).

/// A money amount shown with exactly two decimals, like `{:.2}` on a `Decimal`, written
/// without the generic decimal formatter: explanations print several amounts per step, and
/// that formatter was a sixth of an Elterngeld computation. Amounts with more than two
/// decimals (not rounded to the cent yet) fall back to it, so the text is always identical.
#[derive(Debug, Clone, Copy)]
pub struct Cents(pub rust_decimal::Decimal);

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.width().is_some() || f.precision().is_some() {
            return write!(f, "{:.2}", self.0);
        }
        self.write_to(f)
    }
}

/// As a JSON string (`"1375.23"`), written in one piece.
impl serde::Serialize for Cents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 48];
        match self.digits(&mut buf) {
            Some(digits) => s.serialize_str(digits),
            None => s.collect_str(&format_args!("{:.2}", self.0)),
        }
    }
}

/// "00" to "99", two bytes each.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

impl Cents {
    /// Writes the amount to `out` without going through a formatter.
    pub fn write_to(self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        let mut buf = [0u8; 48];
        match self.digits(&mut buf) {
            Some(s) => out.write_str(s),
            None => write!(out, "{:.2}", self.0),
        }
    }

    /// The amount written into `buf`, or `None` when it needs the generic formatter (more
    /// than two decimals, or beyond 184 quadrillion euros).
    pub fn digits(self, buf: &mut [u8; 48]) -> Option<&str> {
        // Only ASCII digits, '.' and '-' are written.
        std::str::from_utf8(self.digit_bytes(buf)?).ok()
    }

    /// [`Cents::digits`] as bytes, for a writer that appends them to a byte buffer.
    pub fn digit_bytes(self, buf: &mut [u8; 48]) -> Option<&[u8]> {
        fixed_point(self.0, 2, buf)
    }
}

/// A rate shown with exactly three decimals (`0.650`), like `{:.3}` on a `Decimal`, without
/// the generic formatter where the rate has at most three decimals.
#[derive(Debug, Clone, Copy)]
pub struct Thousandths(pub rust_decimal::Decimal);

impl Thousandths {
    /// Writes the rate to `out` without going through a formatter.
    pub fn write_to(self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        let mut buf = [0u8; 48];
        match self.digit_bytes(&mut buf).map(std::str::from_utf8) {
            Some(Ok(s)) => out.write_str(s),
            _ => write!(out, "{:.3}", self.0),
        }
    }

    /// The rate written into `buf` as bytes, or `None` when it needs the generic formatter.
    pub fn digit_bytes(self, buf: &mut [u8; 48]) -> Option<&[u8]> {
        fixed_point(self.0, 3, buf)
    }
}

/// `d` with exactly `places` (2 or 3) decimals written into the end of `buf`, or `None` when
/// `d` has more decimals (then `{:.places}` must round) or its digits exceed 64 bits.
fn fixed_point(d: rust_decimal::Decimal, places: u32, buf: &mut [u8; 48]) -> Option<&[u8]> {
    let scale = d.scale();
    if scale > places {
        return None;
    }
    // |mantissa| < 2^96 and scale ≤ places, so the units fit an u128; u64 arithmetic (no
    // 128-bit division) covers every amount below 184 quadrillion euros.
    let to_units = [1u128, 10, 100, 1000].get(usize::try_from(places - scale).ok()?)?;
    let units = d.mantissa().unsigned_abs() * to_units;
    let units = u64::try_from(units).ok()?;
    let (mut whole, mut fraction) = if places == 3 {
        (units / 1000, units % 1000)
    } else {
        (units / 100, units % 100)
    };
    // Two digits at a time from a table, as itoa does: a result writes some hundred amounts.
    let pair = |n: u64| {
        let n = 2 * n as usize;
        [PAIRS[n], PAIRS[n + 1]]
    };
    let mut at = buf.len();
    if places == 3 {
        at -= 1;
        buf[at] = b'0' + (fraction % 10) as u8;
        fraction /= 10;
    }
    at -= 3;
    let [tens, ones] = pair(fraction);
    buf[at..at + 3].copy_from_slice(&[b'.', tens, ones]);
    while whole >= 100 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&pair(whole % 100));
        whole /= 100;
    }
    if whole >= 10 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&pair(whole));
    } else {
        at -= 1;
        buf[at] = b'0' + whole as u8;
    }
    if d.is_sign_negative() && !d.is_zero() {
        at -= 1;
        buf[at] = b'-';
    }
    Some(&buf[at..])
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::{Cents, Thousandths};

    /// `Cents` prints exactly what `{:.2}` prints, for every scale and sign.
    #[test]
    fn cents_match_the_decimal_formatter() {
        for s in [
            "0",
            "0.0",
            "0.00",
            "-0.00",
            "1",
            "-1",
            "0.5",
            "0.05",
            "-0.05",
            "12.3",
            "1234.56",
            "-1234.56",
            "1800",
            "9.99",
            "10",
            "-10.01",
            "99.99",
            "100.00",
            "999.5",
            "1000",
            "10000.1",
            "12345678.9",
            "184467440737095516.15",
            "184467440737095516.16",
            "99999999999.99",
            "0.001",
            "0.650",
            "0.65",
            "-0.001",
            "0.000",
            "-0.000",
            "-0.0",
            "12.3456",
            "0.9995",
            "999.999",
            "2.345",
            "-2.345",
            "1.005",
            "79228162514264337593543950335",
            "-7922816251426433759354395033.5",
        ] {
            let d = Decimal::from_str(s).unwrap();
            assert_eq!(Cents(d).to_string(), format!("{d:.2}"), "{s}");
            // rust_decimal's own `{:.3}` overflows its buffer on 28-digit values (a panic in
            // rust_decimal 1.43); rates are below 10.
            if d.abs() < Decimal::from(10u64.pow(18)) {
                let mut rate = String::new();
                Thousandths(d).write_to(&mut rate).unwrap();
                assert_eq!(rate, format!("{d:.3}"), "{s}");
            }
        }
    }
}
