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

    /// The month `n` months later (earlier for negative `n`), saturating at the ends of the
    /// calendar (-9999-01 and 9999-12): no month a case can name comes near them, and a
    /// saturated month still orders correctly against every real one.
    pub fn plus(self, n: i32) -> Self {
        let index = (i32::from(self.year) * 12 + i32::from(self.month) - 1)
            .saturating_add(n)
            .clamp(FIRST_INDEX, LAST_INDEX);
        YearMonth {
            year: i16::try_from(index.div_euclid(12)).expect("clamped to years -9999..=9999"),
            month: i8::try_from(index.rem_euclid(12) + 1).expect("a remainder of 12 plus 1"),
        }
    }

    /// Whole months from `self` to `other` (positive if `other` is later).
    pub fn months_until(self, other: YearMonth) -> i32 {
        (i32::from(other.year) - i32::from(self.year)) * 12 + i32::from(other.month)
            - i32::from(self.month)
    }

    /// The first day of the month. A hand-built month outside the calendar (the fields are
    /// public) saturates at its ends, as [`YearMonth::plus`] does.
    pub fn first_day(self) -> Date {
        let year = self.year.clamp(-9999, 9999);
        let month = self.month.clamp(1, 12);
        Date::new(year, month, 1).expect("a year of -9999..=9999 and a month of 1..=12 exist")
    }
}

/// Month indexes (year × 12 + month − 1) of the first and last month of jiff's calendar.
const FIRST_INDEX: i32 = -9999 * 12;
const LAST_INDEX: i32 = 9999 * 12 + 11;

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl YearMonth {
    /// Writes `YYYY-MM` to `out`, digit by digit where the year has four digits:
    /// explanations and results show many months, and a formatter call costs more than this.
    pub fn write_to(self, out: &mut impl fmt::Write) -> fmt::Result {
        match (u16::try_from(self.year), u8::try_from(self.month)) {
            (Ok(y), Ok(m)) if y <= 9999 && (1..=12).contains(&m) => {
                for c in [
                    b'0' + (y / 1000) as u8,
                    b'0' + (y / 100 % 10) as u8,
                    b'0' + (y / 10 % 10) as u8,
                    b'0' + (y % 10) as u8,
                    b'-',
                    b'0' + m / 10,
                    b'0' + m % 10,
                ] {
                    out.write_char(char::from(c))?;
                }
                Ok(())
            }
            _ => write!(out, "{:04}-{:02}", self.year, self.month),
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

    /// Past the calendar's ends a month saturates; it never wraps or becomes a made-up day.
    #[test]
    fn arithmetic_saturates_at_the_calendar() {
        let late: YearMonth = "9999-11".parse().unwrap();
        assert_eq!(late.plus(1).to_string(), "9999-12");
        assert_eq!(late.plus(5).to_string(), "9999-12");
        assert_eq!(late.plus(i32::MAX).to_string(), "9999-12");
        let early = YearMonth {
            year: -9999,
            month: 2,
        };
        assert_eq!(
            early.plus(i32::MIN),
            YearMonth {
                year: -9999,
                month: 1
            }
        );
        assert_eq!(late.plus(3).first_day(), Date::constant(9999, 12, 1));
        let hand_built = YearMonth {
            year: i16::MAX,
            month: 13,
        };
        assert_eq!(hand_built.first_day(), Date::constant(9999, 12, 1));
        assert_eq!(
            YearMonth {
                year: 2026,
                month: 0
            }
            .first_day(),
            Date::constant(2026, 1, 1)
        );
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
