//! `YYYY-MM` calendar months.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, serialised as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i16,
    /// 1–12.
    pub month: i8,
}

impl YearMonth {
    /// The month a date falls in.
    pub fn of(date: Date) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> Self {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + n;
        YearMonth {
            // Years stay within ±9999 for any month a case can name; jiff's Date bounds them.
            year: i16::try_from(index.div_euclid(12)).unwrap_or(i16::MAX),
            month: i8::try_from(index.rem_euclid(12) + 1).unwrap_or(12),
        }
    }

    /// Whole months from `self` to `other` (positive if `other` is later).
    pub fn months_until(self, other: YearMonth) -> i32 {
        (i32::from(other.year) - i32::from(self.year)) * 12 + i32::from(other.month)
            - i32::from(self.month)
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        // month is 1..=12 by construction and the year comes from a valid Date or a parse
        // checked by jiff, so this date exists.
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written digit by digit: explanations and results show many months.
        match (u16::try_from(self.year), u8::try_from(self.month)) {
            (Ok(y), Ok(m)) if y <= 9999 && (1..=12).contains(&m) => {
                let digits = [
                    b'0' + (y / 1000) as u8,
                    b'0' + (y / 100 % 10) as u8,
                    b'0' + (y / 10 % 10) as u8,
                    b'0' + (y % 10) as u8,
                    b'-',
                    b'0' + m / 10,
                    b'0' + m % 10,
                ];
                // ASCII digits and '-' only.
                f.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
            }
            _ => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a month of the form YYYY-MM");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        Date::new(year, month, 1).map_err(|_| bad())?;
        Ok(YearMonth { year, month })
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_crosses_years() {
        let m: YearMonth = "2025-11".parse().unwrap();
        assert_eq!(m.plus(3).to_string(), "2026-02");
        assert_eq!(m.plus(-11).to_string(), "2024-12");
        assert_eq!(m.months_until("2026-05".parse().unwrap()), 6);
        assert!("2025-13".parse::<YearMonth>().is_err());
        assert!("2025-1".parse::<YearMonth>().is_err());
    }

    /// The digit-by-digit display writes what the padded formatter writes, inside and
    /// outside the years it handles itself.
    #[test]
    fn display_matches_the_padded_format() {
        for year in [-5, 0, 7, 99, 2026, 9999, 10000, i16::MAX] {
            for month in [-1, 0, 1, 9, 10, 12, 13] {
                let m = YearMonth { year, month };
                assert_eq!(
                    m.to_string(),
                    format!("{year:04}-{month:02}"),
                    "{year} {month}"
                );
            }
        }
    }
}
