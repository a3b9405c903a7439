//! Deadlines: the last day to apply without losing money, and a reminder on a working day of
//! the family's Land.
//!
//! * Elterngeld (§ 7 Abs. 1 S. 2 BEEG): paid retroactively for the last `eg.retroactive_months`
//!   (3) Lebensmonate before the Lebensmonat in which the application is received. Lebensmonat
//!   `n` is still paid when the application arrives by the last day of Lebensmonat `n + 3`.
//! * Kindergeld (§ 70 Abs. 1 S. 2 EStG, before 2019-07-19 § 66 Abs. 3): paid for the last
//!   `kg.retroactive_months` (6) calendar months before the month of receipt. The month of
//!   birth `m` is still paid when the application arrives by the last day of month `m + 6`.
//!
//! The legal last day stays what the law says; only the reminder (`send_by`, `remind_on`)
//! moves to a working day: before a weekend or a public holiday of the Land (`holiday_de`,
//! which tracks the year-by-year changes such as Berlin's one-off holidays), counted with
//! `bdays`' business-day arithmetic. Without a Land a day counts as a holiday if it is one in
//! any Land, so the reminder is never too late.

use bdays::HolidayCalendar;
use chrono::NaiveDate;
use holiday_de::GermanRegion;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::routing::Land;
use elternkit_model::YearMonth;
use elternkit_rules::elterngeld::lebensmonat_start;

/// Working days between the reminder and the last working day: a working week to collect
/// what is still missing. A product choice, not law.
pub const REMINDER_LEAD_WORKING_DAYS: i32 = 5;

/// A date the app should turn into a reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// `elterngeld_retroactive`, `kindergeld_retroactive`, `birth_notification`.
    pub kind: String,
    /// The parent the deadline belongs to, where it is per parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// What is lost after this day (Lebensmonat or calendar month).
    pub protects: String,
    /// The last day the application must be received (legal, not moved).
    pub last_day: Date,
    /// The last working day on or before `last_day` in the family's Land.
    pub send_by: Date,
    /// [`REMINDER_LEAD_WORKING_DAYS`] working days before `send_by`.
    pub remind_on: Date,
    /// `false` when `last_day` lies before the evaluation date.
    pub open: bool,
    pub citation: String,
    pub message_de: String,
    pub message_en: String,
}

/// The last day of Lebensmonat `n + retro` — the last day an application still reaches
/// Lebensmonat `n` (§ 7 Abs. 1 S. 2 BEEG).
pub fn elterngeld_last_day(birth: Date, lebensmonat: u32, retro: u32) -> Date {
    // A window that runs past the calendar (births in the year 9999) never closes.
    lebensmonat_start(birth, lebensmonat + retro + 1)
        .and_then(|next| next.yesterday().ok())
        .unwrap_or(Date::MAX)
}

/// The last day of the month `month + retro` — the last day an application still reaches
/// `month` (§ 70 Abs. 1 S. 2 EStG).
pub fn kindergeld_last_day(month: YearMonth, retro: u32) -> Date {
    let last = month.plus(i32::try_from(retro).unwrap_or(i32::MAX));
    last.first_day().last_of_month()
}

/// Public holidays of one Land, or of any Land when it is not known.
#[derive(Debug, Clone, Copy)]
pub struct LandCalendar(pub Option<Land>);

impl HolidayCalendar<NaiveDate> for LandCalendar {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        match self.0 {
            Some(land) => region(land).is_holiday(date),
            None => ALL_REGIONS.iter().any(|r| r.is_holiday(date)),
        }
    }
}

const ALL_REGIONS: [GermanRegion; 16] = [
    GermanRegion::BadenWuerttemberg,
    GermanRegion::Bayern,
    GermanRegion::Berlin,
    GermanRegion::Brandenburg,
    GermanRegion::Bremen,
    GermanRegion::Hamburg,
    GermanRegion::Hessen,
    GermanRegion::MechlenburgVorpommern,
    GermanRegion::Niedersachsen,
    GermanRegion::NordrheinWestfalen,
    GermanRegion::RheinlandPfalz,
    GermanRegion::Saarland,
    GermanRegion::Sachsen,
    GermanRegion::SachsenAnhalt,
    GermanRegion::SchleswigHolstein,
    GermanRegion::Thueringen,
];

fn region(land: Land) -> GermanRegion {
    match land {
        Land::SchleswigHolstein => GermanRegion::SchleswigHolstein,
        Land::Hamburg => GermanRegion::Hamburg,
        Land::Niedersachsen => GermanRegion::Niedersachsen,
        Land::Bremen => GermanRegion::Bremen,
        Land::NordrheinWestfalen => GermanRegion::NordrheinWestfalen,
        Land::Hessen => GermanRegion::Hessen,
        Land::RheinlandPfalz => GermanRegion::RheinlandPfalz,
        Land::BadenWuerttemberg => GermanRegion::BadenWuerttemberg,
        Land::Bayern => GermanRegion::Bayern,
        Land::Saarland => GermanRegion::Saarland,
        Land::Berlin => GermanRegion::Berlin,
        Land::Brandenburg => GermanRegion::Brandenburg,
        Land::MecklenburgVorpommern => GermanRegion::MechlenburgVorpommern,
        Land::Sachsen => GermanRegion::Sachsen,
        Land::SachsenAnhalt => GermanRegion::SachsenAnhalt,
        Land::Thueringen => GermanRegion::Thueringen,
    }
}

fn to_chrono(d: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).ok()?,
        u32::try_from(d.day()).ok()?,
    )
}

fn from_chrono(d: NaiveDate) -> Option<Date> {
    use chrono::Datelike;
    Date::new(
        i16::try_from(d.year()).ok()?,
        i8::try_from(d.month()).ok()?,
        i8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// `day`, or the next working day after it when it is a Saturday, a Sunday or a public
/// holiday of `land`: where a period's last day falls then, the next working day takes its
/// place (§ 193 BGB; § 31 Abs. 3 VwVfG). With the Land unknown only the holidays of every
/// Land count, so a legal last day is never moved later than it may be.
pub fn next_working_day(day: Date, land: Option<Land>) -> Date {
    let Some(d) = to_chrono(day) else {
        return day;
    };
    let next = match land {
        Some(_) => LandCalendar(land).to_bday(d, true),
        None => EveryLand.to_bday(d, true),
    };
    from_chrono(next).unwrap_or(day)
}

/// Holidays common to all 16 Länder (for a legal last day whose Land is unknown).
#[derive(Debug, Clone, Copy)]
struct EveryLand;

impl HolidayCalendar<NaiveDate> for EveryLand {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        ALL_REGIONS.iter().all(|r| r.is_holiday(date))
    }
}

/// The last working day on or before `day`, and the reminder [`REMINDER_LEAD_WORKING_DAYS`]
/// working days before it.
pub fn reminder_dates(day: Date, land: Option<Land>) -> (Date, Date) {
    let cal = LandCalendar(land);
    let Some(chrono_day) = to_chrono(day) else {
        return (day, day);
    };
    let send_by = cal.to_bday(chrono_day, false);
    let remind = cal.advance_bdays(send_by, -REMINDER_LEAD_WORKING_DAYS);
    let send_by = from_chrono(send_by).unwrap_or(day);
    let remind = from_chrono(remind).unwrap_or_else(|| day.checked_sub(7.days()).unwrap_or(day));
    (send_by, remind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn elterngeld_last_day_is_end_of_lebensmonat_n_plus_3() {
        // Birth 2026-01-05: Lebensmonat 4 runs 2026-04-05 … 2026-05-04; an application then
        // still reaches Lebensmonat 1 (§ 7 Abs. 1 S. 2 BEEG).
        assert_eq!(
            elterngeld_last_day(date(2026, 1, 5), 1, 3),
            date(2026, 5, 4)
        );
        // A 31st: Lebensmonat 5 of a child born 2026-01-31 starts 2026-05-31.
        assert_eq!(
            elterngeld_last_day(date(2026, 1, 31), 1, 3),
            date(2026, 5, 30)
        );
        // No 31st in the end month: Lebensmonat 4 of a child born 2026-05-31 runs to
        // 2026-09-30 (§ 188 Abs. 3 BGB), so an application then still reaches Lebensmonat 1.
        assert_eq!(
            elterngeld_last_day(date(2026, 5, 31), 1, 3),
            date(2026, 9, 30)
        );
    }

    #[test]
    fn kindergeld_last_day_is_end_of_month_plus_6() {
        // Birth in 2026-01: an application in 2026-07 reaches back to 2026-01 (§ 70 Abs. 1
        // S. 2 EStG), one in 2026-08 only to 2026-02.
        assert_eq!(
            kindergeld_last_day(
                YearMonth {
                    year: 2026,
                    month: 1
                },
                6
            ),
            date(2026, 7, 31)
        );
        assert_eq!(
            kindergeld_last_day(
                YearMonth {
                    year: 2025,
                    month: 9
                },
                6
            ),
            date(2026, 3, 31)
        );
    }

    #[test]
    fn weekend_moves_the_reminder_to_friday() {
        // 2026-05-31 is a Sunday; the last working day before it is Friday 2026-05-29. Five
        // working days back skip Pfingstmontag (2026-05-25): 28, 27, 26, 22, 21.
        let (send_by, remind) = reminder_dates(date(2026, 5, 31), Some(Land::Bremen));
        assert_eq!(send_by, date(2026, 5, 29));
        assert_eq!(remind, date(2026, 5, 21));
    }

    #[test]
    fn land_holidays_count() {
        // Reformationstag, Saturday 2026-10-31 is a weekend anyway; take 2025-10-31 (Friday):
        // a holiday in Bremen (since 2017), not in Bayern.
        let (bremen, _) = reminder_dates(date(2025, 10, 31), Some(Land::Bremen));
        let (bayern, _) = reminder_dates(date(2025, 10, 31), Some(Land::Bayern));
        assert_eq!(bremen, date(2025, 10, 30));
        assert_eq!(bayern, date(2025, 10, 31));
        // Frauentag, Berlin only: Monday 2027-03-08 → Friday 2027-03-05.
        let (berlin, _) = reminder_dates(date(2027, 3, 8), Some(Land::Berlin));
        assert_eq!(berlin, date(2027, 3, 5));
        // Unknown Land: a holiday anywhere counts (never too late).
        let (unknown, _) = reminder_dates(date(2027, 3, 8), None);
        assert_eq!(unknown, date(2027, 3, 5));
        // Allerheiligen in Bayern, Monday 2027-11-01; Bremen works.
        let (bayern, _) = reminder_dates(date(2027, 11, 1), Some(Land::Bayern));
        let (bremen, _) = reminder_dates(date(2027, 11, 1), Some(Land::Bremen));
        assert_eq!(bayern, date(2027, 10, 29));
        assert_eq!(bremen, date(2027, 11, 1));
    }

    #[test]
    fn a_last_day_on_a_weekend_or_holiday_moves_to_the_next_working_day() {
        // § 193 BGB. Saturday 2026-05-16 → Monday 2026-05-18.
        assert_eq!(
            next_working_day(date(2026, 5, 16), Some(Land::Bremen)),
            date(2026, 5, 18)
        );
        // A working day stays.
        assert_eq!(
            next_working_day(date(2026, 5, 13), Some(Land::Bremen)),
            date(2026, 5, 13)
        );
        // Fronleichnam, Thursday 2026-06-04: a holiday in Nordrhein-Westfalen, not in Bremen.
        assert_eq!(
            next_working_day(date(2026, 6, 4), Some(Land::NordrheinWestfalen)),
            date(2026, 6, 5)
        );
        assert_eq!(
            next_working_day(date(2026, 6, 4), Some(Land::Bremen)),
            date(2026, 6, 4)
        );
        // Good Friday 2026-04-03 to Easter Monday: Tuesday 2026-04-07.
        assert_eq!(
            next_working_day(date(2026, 4, 3), Some(Land::Bayern)),
            date(2026, 4, 7)
        );
        // Unknown Land: only a holiday everywhere moves the last day — not the Frauentag
        // (Berlin only, Monday 2027-03-08), but the Tag der Deutschen Einheit (Wednesday
        // 2029-10-03).
        assert_eq!(next_working_day(date(2027, 3, 8), None), date(2027, 3, 8));
        assert_eq!(next_working_day(date(2029, 10, 3), None), date(2029, 10, 4));
    }

    #[test]
    fn reminder_skips_holidays_in_the_lead() {
        // Last working day Tuesday 2026-04-07 in Bremen; five working days back skips Good
        // Friday (04-03) and Easter Monday (04-06): 04-02, 04-01, 03-31, 03-30, 03-27.
        let (send_by, remind) = reminder_dates(date(2026, 4, 7), Some(Land::Bremen));
        assert_eq!(send_by, date(2026, 4, 7));
        assert_eq!(remind, date(2026, 3, 27));
    }
}
