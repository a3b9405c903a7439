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
        let d = self.0;
        let scale = d.scale();
        if scale > 2 {
            return None;
        }
        // |mantissa| < 2^96 and scale ≤ 2, so the cents fit an u128; u64 arithmetic (no
        // 128-bit division) covers every amount below 184 quadrillion euros.
        let to_cents: u128 = match scale {
            0 => 100,
            1 => 10,
            _ => 1,
        };
        let cents = d.mantissa().unsigned_abs() * to_cents;
        let cents = u64::try_from(cents).ok()?;
        let (mut euros, cents) = (cents / 100, cents % 100);
        // Two digits at a time from a table, as itoa does: a result writes some hundred amounts.
        let pair = |n: u64| {
            let n = 2 * n as usize;
            [PAIRS[n], PAIRS[n + 1]]
        };
        let [tens, ones] = pair(cents);
        let mut at = buf.len() - 3;
        buf[at..].copy_from_slice(&[b'.', tens, ones]);
        while euros >= 100 {
            at -= 2;
            buf[at..at + 2].copy_from_slice(&pair(euros % 100));
            euros /= 100;
        }
        if euros >= 10 {
            at -= 2;
            buf[at..at + 2].copy_from_slice(&pair(euros));
        } else {
            at -= 1;
            buf[at] = b'0' + euros as u8;
        }
        if d.is_sign_negative() && !d.is_zero() {
            at -= 1;
            buf[at] = b'-';
        }
        Some(&buf[at..])
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::Cents;

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
            "2.345",
            "-2.345",
            "1.005",
            "79228162514264337593543950335",
            "-7922816251426433759354395033.5",
        ] {
            let d = Decimal::from_str(s).unwrap();
            assert_eq!(Cents(d).to_string(), format!("{d:.2}"), "{s}");
        }
    }
}
