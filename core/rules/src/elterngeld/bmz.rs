//! The Bemessungszeitraum (§ 2b BEEG): the calendar months whose income counts before the
//! birth. The rules derive the months to skip from what happened (Abs. 1 S. 2, 4), honour the
//! waiver (S. 3), move the assessment year for profit and mixed income (Abs. 2 S. 2, Abs. 3
//! S. 2) and apply the small-profit application (Abs. 4).

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::birth_params::{BirthParams, BmzParams};
use super::{income::cent, income_in_bmz, lebensmonat_start, messages};
use crate::RulesError;
use crate::explain::{Trace, reason};
use elternkit_model::{
    Activity, ActivityKind, BmzEvent, BmzEventKind, Case, InputError, Localized, Parent, Reason,
    Template, Value, YearMonth,
};

/// How far back a skipped month may push the Bemessungszeitraum: far beyond any real chain of
/// events, and a bound for input that skips everything.
const MAX_MONTHS_BACK: i32 = 50 * 12;

/// The Bemessungszeitraum of one parent.
pub(super) struct Bmz {
    /// The twelve calendar months, oldest first.
    pub months: [YearMonth; 12],
    /// § 2b Abs. 4 BEEG applies: the profit is left out, the wages of the twelve months count.
    pub profit_left_out: bool,
}

/// Why a month is skipped: an event of § 2b Abs. 1 S. 2 Nr. 1–4 or S. 4, or a month the
/// case lists in `excluded_months` without saying why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ground {
    Event(BmzEventKind),
    Listed,
}

impl Ground {
    fn citation(self) -> &'static str {
        match self {
            Ground::Event(BmzEventKind::ElterngeldOlderChild) => "§ 2b Abs. 1 S. 2 Nr. 1 BEEG",
            Ground::Event(BmzEventKind::Mutterschutz) => "§ 2b Abs. 1 S. 2 Nr. 2 BEEG",
            Ground::Event(BmzEventKind::PregnancyIllness) => "§ 2b Abs. 1 S. 2 Nr. 3 BEEG",
            Ground::Event(BmzEventKind::MilitaryService) => "§ 2b Abs. 1 S. 2 Nr. 4 BEEG",
            Ground::Event(BmzEventKind::CovidIncomeLoss) => "§ 2b Abs. 1 S. 4 BEEG",
            Ground::Listed => "§ 2b Abs. 1 S. 2 BEEG",
        }
    }

    fn phrase(self) -> &'static Template {
        match self {
            Ground::Event(kind) => kind_phrase(kind),
            Ground::Listed => &messages::BMZ_GROUND_LISTED,
        }
    }
}

fn kind_phrase(kind: BmzEventKind) -> &'static Template {
    match kind {
        BmzEventKind::ElterngeldOlderChild => &messages::BMZ_KIND_OLDER_CHILD,
        BmzEventKind::Mutterschutz => &messages::BMZ_KIND_MUTTERSCHUTZ,
        BmzEventKind::PregnancyIllness => &messages::BMZ_KIND_ILLNESS,
        BmzEventKind::MilitaryService => &messages::BMZ_KIND_SERVICE,
        BmzEventKind::CovidIncomeLoss => &messages::BMZ_KIND_COVID,
    }
}

/// Why an event skips no month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotCounted {
    /// The parent waived the skipping of this kind (Abs. 1 S. 3).
    Waived,
    /// Illness, service and COVID skip months only where they reduced the income.
    IncomeNotReduced,
    /// COVID months are skipped only on application (S. 4).
    NoCovidApplication,
    /// The event lies outside the COVID window of S. 4.
    OutsideCovidWindow,
    /// No older child in `siblings` was in its Lebensmonate 1–14 then (Nr. 1).
    OutsideOlderChildMonths,
    /// The event lies in or after the month of birth.
    NotBeforeBirth,
}

impl NotCounted {
    fn citation(self, kind: BmzEventKind, bp: &BmzParams) -> &'static str {
        match self {
            NotCounted::Waived => bp.waiver.unwrap_or("§ 2b Abs. 1 S. 3 BEEG"),
            NotCounted::NoCovidApplication | NotCounted::OutsideCovidWindow => bp.covid_citation,
            NotCounted::IncomeNotReduced
            | NotCounted::OutsideOlderChildMonths
            | NotCounted::NotBeforeBirth => Ground::Event(kind).citation(),
        }
    }

    fn phrase(self) -> &'static Template {
        match self {
            NotCounted::Waived => &messages::BMZ_NOT_COUNTED_WAIVED,
            NotCounted::IncomeNotReduced => &messages::BMZ_NOT_COUNTED_INCOME,
            NotCounted::NoCovidApplication => &messages::BMZ_NOT_COUNTED_NO_APPLICATION,
            NotCounted::OutsideCovidWindow => &messages::BMZ_NOT_COUNTED_COVID_WINDOW,
            NotCounted::OutsideOlderChildMonths => &messages::BMZ_NOT_COUNTED_OLDER_CHILD,
            NotCounted::NotBeforeBirth => &messages::BMZ_NOT_COUNTED_AFTER_BIRTH,
        }
    }
}

/// The months the events skip, each with its ground (ascending, one entry per month), and the
/// events that skip none with the reason.
#[derive(Debug, Default, PartialEq, Eq)]
struct Derived {
    skipped: Vec<(YearMonth, Ground)>,
    not_counted: Vec<(usize, NotCounted)>,
}

/// The days of `event` that skip months, or why there are none. `before` is the first day of
/// the month of birth; `earliest` the first day the rules look at.
fn counted_span(
    case: &Case,
    parent: &Parent,
    event: &BmzEvent,
    bp: &BmzParams,
    (earliest, before): (Date, Date),
) -> Result<Vec<(Date, Date)>, NotCounted> {
    let kind = event.kind;
    // S. 3: the waiver covers Nr. 1–4 (COVID is refused in the waiver by validation).
    if bp.waiver.is_some() && parent.bmz_waiver.contains(&kind) {
        return Err(NotCounted::Waived);
    }
    let needs_reduction = matches!(
        kind,
        BmzEventKind::PregnancyIllness
            | BmzEventKind::MilitaryService
            | BmzEventKind::CovidIncomeLoss
    );
    if needs_reduction && !event.income_reduced {
        return Err(NotCounted::IncomeNotReduced);
    }
    let mut spans = vec![(event.from, event.to)];
    if kind == BmzEventKind::CovidIncomeLoss {
        if parent.bmz_covid_application != Some(true) {
            return Err(NotCounted::NoCovidApplication);
        }
        spans = clip(&spans, &[(bp.covid_from, bp.covid_to)]);
        if spans.is_empty() {
            return Err(NotCounted::OutsideCovidWindow);
        }
    }
    if kind == BmzEventKind::ElterngeldOlderChild {
        // Nr. 1: only Elterngeld paid in an older child's Lebensmonate 1–14 (§ 4 Abs. 1 S. 2,
        // 3); the child is one of the case's siblings.
        let last = bp.older_child_last_lebensmonat;
        let windows: Vec<(Date, Date)> = case
            .siblings
            .iter()
            .map(|s| {
                let end = lebensmonat_start(s.birth_date, last + 1)
                    .and_then(|d| d.yesterday().ok())
                    .unwrap_or(Date::MAX);
                (s.birth_date, end)
            })
            .collect();
        spans = clip(&spans, &windows);
        if spans.is_empty() {
            return Err(NotCounted::OutsideOlderChildMonths);
        }
    }
    let last_day = before.yesterday().unwrap_or(before);
    let spans = clip(&spans, &[(earliest, last_day)]);
    if spans.is_empty() {
        return Err(NotCounted::NotBeforeBirth);
    }
    Ok(spans)
}

/// The parts of `spans` that lie inside one of `windows` (all inclusive).
fn clip(spans: &[(Date, Date)], windows: &[(Date, Date)]) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    for (from, to) in spans {
        for (w_from, w_to) in windows {
            let (a, b) = ((*from).max(*w_from), (*to).min(*w_to));
            if a <= b {
                out.push((a, b));
            }
        }
    }
    out
}

/// The months the parent's events skip (Abs. 1 S. 2–4): any day of an event in a month skips
/// the whole month (BSG B 10 EG 3/23 R).
fn derive(case: &Case, parent: &Parent, events: &[BmzEvent], bp: &BmzParams) -> Derived {
    let birth_month = YearMonth::of(case.child.birth_date);
    let range = (
        birth_month.plus(-MAX_MONTHS_BACK).first_day(),
        birth_month.first_day(),
    );
    let mut derived = Derived::default();
    for (i, event) in events.iter().enumerate() {
        match counted_span(case, parent, event, bp, range) {
            Ok(spans) => {
                for (from, to) in spans {
                    let (mut m, last) = (YearMonth::of(from), YearMonth::of(to));
                    while m <= last {
                        derived.skipped.push((m, Ground::Event(event.kind)));
                        m = m.plus(1);
                    }
                }
            }
            Err(why) => derived.not_counted.push((i, why)),
        }
    }
    // One ground per month: the first of the statute's order.
    derived.skipped.sort();
    derived.skipped.dedup_by_key(|(m, _)| *m);
    derived
}

fn input_error(parent_index: usize, field: &str, code: &str, en: &str, de: &str) -> RulesError {
    RulesError::Input(Box::new(InputError::new(
        format!("parents[{parent_index}].{field}"),
        code,
        en,
        de,
    )))
}

/// The Bemessungszeitraum of `parent`, with a step for every skipped and replacing month,
/// every event that skips none, a moved assessment year and the small-profit application.
pub(super) fn determine(
    case: &Case,
    parent: &Parent,
    bp: &BirthParams,
    trace: &mut Trace,
    reasons: &mut Vec<Reason>,
) -> Result<Bmz, RulesError> {
    let index = case
        .parents
        .iter()
        .position(|p| std::ptr::eq(p, parent))
        .unwrap_or(0);
    let birth_month = YearMonth::of(case.child.birth_date);
    let active = |a: &&Activity| a.months_active.iter().any(|m| *m);
    let has_income = parent.activities_before_birth.iter().any(|a| active(&a));
    let skipped = skipped_months(case, parent, index, bp, trace, reasons, has_income)?;

    let has_profit = parent
        .activities_before_birth
        .iter()
        .filter(active)
        .any(|a| a.kind == ActivityKind::SelfEmployed);
    let profit_left_out = has_profit && small_profit_application(case, parent, index, bp, trace)?;
    if !profit_left_out && let Some(r) = small_profit_hint(parent, birth_month, bp) {
        reasons.push(r);
    }
    let self_employed = has_profit && !profit_left_out;
    let months = if self_employed {
        assessment_year_months(parent, birth_month, &skipped, trace)
    } else {
        twelve_months(parent, index, birth_month, &skipped, trace)?
    };
    let (first, last) = (months[0], months[11]);
    let shifted = self_employed && months[0].year != birth_month.year - 1;
    let (citation, basis) = if shifted {
        (
            "§ 2b Abs. 2 S. 2, Abs. 3 BEEG",
            &messages::BMZ_CALENDAR_YEAR_SHIFTED,
        )
    } else if self_employed {
        ("§ 2b Abs. 2, 3 BEEG", &messages::BMZ_CALENDAR_YEAR)
    } else if profit_left_out {
        (
            "§ 2b Abs. 1, 4 BEEG",
            &messages::BMZ_TWELVE_MONTHS_SMALL_PROFIT,
        )
    } else {
        ("§ 2b Abs. 1 BEEG", &messages::BMZ_TWELVE_MONTHS)
    };
    trace.step(
        "elterngeld.bemessungszeitraum",
        citation,
        &["parent"],
        || {
            (
                Value::MonthRange(first, Some(last)),
                Localized::new(
                    &messages::BEMESSUNGSZEITRAUM,
                    [
                        ("parent", Value::text(&parent.id)),
                        ("first", Value::Month(first)),
                        ("last", Value::Month(last)),
                        ("basis", Value::Phrase(basis)),
                    ],
                ),
            )
        },
    );
    Ok(Bmz {
        months,
        profit_left_out,
    })
}

/// The skipped months with their grounds: derived from `bmz_events`, or as listed in
/// `excluded_months`; both given must agree. Steps for the events that skip nothing, and the
/// `assumed_*` reasons where the case is silent.
#[allow(clippy::too_many_arguments)]
fn skipped_months(
    case: &Case,
    parent: &Parent,
    index: usize,
    bp: &BirthParams,
    trace: &mut Trace,
    reasons: &mut Vec<Reason>,
    has_income: bool,
) -> Result<Vec<(YearMonth, Ground)>, RulesError> {
    let mut listed: Vec<YearMonth> = parent.excluded_months.clone();
    listed.sort();
    listed.dedup();
    let Some(events) = &parent.bmz_events else {
        if listed.is_empty() && has_income {
            reasons.push(reason(
                "assumed_no_bmz_events",
                "§ 2b Abs. 1 S. 2 BEEG",
                Localized::new(&messages::ASSUMED_NO_BMZ_EVENTS, []),
            ));
        }
        return Ok(listed.into_iter().map(|m| (m, Ground::Listed)).collect());
    };
    let derived = derive(case, parent, events, &bp.bmz);
    if !parent.excluded_months.is_empty()
        && !derived
            .skipped
            .iter()
            .map(|(m, _)| *m)
            .eq(listed.iter().copied())
    {
        return Err(input_error(
            index,
            "excluded_months",
            "bmz_events_disagree",
            "excluded_months and bmz_events name different months; give only bmz_events, the rules derive the months from them",
            "excluded_months und bmz_events nennen verschiedene Monate; bitte nur bmz_events angeben, die Regeln leiten die Monate daraus ab",
        ));
    }
    if parent.bmz_covid_application.is_none()
        && events
            .iter()
            .any(|e| e.kind == BmzEventKind::CovidIncomeLoss)
    {
        reasons.push(reason(
            "assumed_no_covid_application",
            bp.bmz.covid_citation,
            Localized::new(&messages::ASSUMED_NO_COVID_APPLICATION, []),
        ));
    }
    for (i, why) in &derived.not_counted {
        let event = &events[*i];
        trace.step(
            "elterngeld.bmz_event_not_counted",
            why.citation(event.kind, &bp.bmz),
            &["from", "kind", "parent", "to"],
            || {
                (
                    Value::Bool(false),
                    Localized::new(
                        &messages::BMZ_EVENT_NOT_COUNTED,
                        [
                            ("parent", Value::text(&parent.id)),
                            ("kind", Value::Phrase(kind_phrase(event.kind))),
                            ("from", Value::Date(event.from)),
                            ("to", Value::Date(event.to)),
                            ("why", Value::Phrase(why.phrase())),
                        ],
                    ),
                )
            },
        );
    }
    Ok(derived.skipped)
}

/// Abs. 1: the twelve months before the month of birth, every skipped month replaced by the
/// next earlier one, with a step per skipped month naming the month that takes its place.
/// The month before `m`, as `m.plus(-1)` gives it, without its division by twelve (a dozen
/// times per parent); anything but a month of the calendar goes through `plus`.
fn previous(m: YearMonth) -> YearMonth {
    match (m.year, m.month) {
        (-9999..=9999, 2..=12) => YearMonth {
            year: m.year,
            month: m.month - 1,
        },
        (-9998..=9999, 1) => YearMonth {
            year: m.year - 1,
            month: 12,
        },
        _ => m.plus(-1),
    }
}

fn twelve_months(
    parent: &Parent,
    index: usize,
    birth_month: YearMonth,
    skipped: &[(YearMonth, Ground)],
    trace: &mut Trace,
) -> Result<[YearMonth; 12], RulesError> {
    let ground = |m: YearMonth| {
        skipped
            .binary_search_by_key(&m, |(s, _)| *s)
            .ok()
            .map(|i| skipped[i].1)
    };
    let limit = birth_month.plus(-MAX_MONTHS_BACK);
    let mut list = [birth_month; 12];
    let mut passed: Vec<(YearMonth, Ground)> = Vec::new();
    let mut m = previous(birth_month);
    for slot in list.iter_mut().rev() {
        while let Some(g) = ground(m) {
            passed.push((m, g));
            m = previous(m);
            if m < limit {
                return Err(input_error(
                    index,
                    "bmz_events",
                    "no_bemessungszeitraum",
                    "the skipped months leave no twelve months in the 50 years before the birth",
                    "die ausgeklammerten Monate lassen in den 50 Jahren vor der Geburt keine zwölf Monate übrig",
                ));
            }
        }
        *slot = m;
        m = previous(m);
    }
    // The k-th latest skipped month is replaced by the k-th latest month added before the
    // plain twelve months.
    let plain_first = birth_month.plus(-12);
    let replacements = list.iter().rev().filter(|r| **r < plain_first);
    for ((month, ground), replacement) in passed.iter().zip(replacements) {
        let (month, ground, replacement) = (*month, *ground, *replacement);
        trace.step(
            "elterngeld.bmz_skipped_month",
            ground.citation(),
            &["month", "parent"],
            || {
                (
                    Value::Month(replacement),
                    Localized::new(
                        &messages::BMZ_SKIPPED_MONTH,
                        [
                            ("parent", Value::text(&parent.id)),
                            ("month", Value::Month(month)),
                            ("ground", Value::Phrase(ground.phrase())),
                            ("replacement", Value::Month(replacement)),
                        ],
                    ),
                )
            },
        );
    }
    Ok(list)
}

/// Abs. 2, 3: with profit, the calendar year before the birth (the last completed assessment
/// year), for the wages too. Abs. 2 S. 2 (Abs. 3 S. 2 for the wages): if a skipping ground of
/// Abs. 1 S. 2 or S. 4 held in it, the year before these events counts, on application. The
/// case format has no separate application: a skipping ground that is not waived asks for it,
/// as the parent's months would be skipped. A whole year moves, never single months
/// (Tillmanns/Mutschler § 2b Rz. 27); grounds running back over several years move it before
/// all of them.
fn assessment_year_months(
    parent: &Parent,
    birth_month: YearMonth,
    skipped: &[(YearMonth, Ground)],
    trace: &mut Trace,
) -> [YearMonth; 12] {
    let mut year = birth_month.year - 1;
    // Bounded: no chain of Elterngeld or Mutterschutz plausibly spans more years.
    for _ in 0..10 {
        let in_year: Vec<Value> = skipped
            .iter()
            .filter(|(m, _)| m.year == year)
            .map(|(m, _)| Value::Month(*m))
            .collect();
        if in_year.is_empty() {
            break;
        }
        let mut grounds: Vec<Ground> = skipped
            .iter()
            .filter(|(m, _)| m.year == year)
            .map(|(_, g)| *g)
            .collect();
        grounds.sort();
        grounds.dedup();
        let moved_from = year;
        year -= 1;
        trace.step(
            "elterngeld.bmz_assessment_year_moved",
            "§ 2b Abs. 2 S. 2, Abs. 3 S. 2 BEEG",
            &["months", "parent", "year"],
            || {
                (
                    Value::Int(i64::from(moved_from - 1)),
                    Localized::new(
                        &messages::BMZ_ASSESSMENT_YEAR_MOVED,
                        [
                            ("parent", Value::text(&parent.id)),
                            ("year", Value::Int(i64::from(moved_from))),
                            ("months", Value::List(in_year)),
                            (
                                "grounds",
                                Value::List(
                                    grounds.iter().map(|g| Value::Phrase(g.phrase())).collect(),
                                ),
                            ),
                            ("earlier", Value::Int(i64::from(moved_from - 1))),
                        ],
                    ),
                )
            },
        );
    }
    let first = YearMonth { year, month: 1 };
    std::array::from_fn(|i| first.plus(i as i32))
}

/// § 2b Abs. 4 BEEG: on application, when the profit averaged under the limit both in the
/// last completed assessment year before the birth (Nr. 1, twelve months) and in the birth
/// year up to the month before the birth (Nr. 2), only the wages of the twelve months of
/// Abs. 1 count, the profit not at all (S. 2). A January birth has no month of Nr. 2: the
/// rules take Nr. 2 as met, and a profit given for it is an input error.
fn small_profit_application(
    case: &Case,
    parent: &Parent,
    index: usize,
    bp: &BirthParams,
    trace: &mut Trace,
) -> Result<bool, RulesError> {
    let Some(application) = &parent.small_profit_application else {
        return Ok(false);
    };
    let (limit, citation) = bp.small_profit_limit;
    let months_to_date = u32::from(case.child.birth_date.month().unsigned_abs()) - 1;
    let last_year = cent(application.profit_last_tax_year / Decimal::from(12));
    let to_date = if months_to_date == 0 {
        if !application.profit_birth_year_to_date.is_zero() {
            return Err(input_error(
                index,
                "small_profit_application.profit_birth_year_to_date",
                "no_months_before_birth",
                "a child born in January has no month of the birth year before its birth; give 0.00",
                "ein im Januar geborenes Kind hat keinen Monat des Geburtsjahres vor der Geburt; bitte 0.00 angeben",
            ));
        }
        Decimal::ZERO
    } else {
        cent(application.profit_birth_year_to_date / Decimal::from(months_to_date))
    };
    // "durchschnittlich weniger als 35 Euro": the exact averages, strictly below (34.996 €
    // qualifies although it shows as 35.00 €).
    let applies = application.profit_last_tax_year < limit * Decimal::from(12)
        // January: no month, and the profit was checked to be zero above.
        && application.profit_birth_year_to_date < limit * Decimal::from(months_to_date.max(1));
    trace.step(
        "elterngeld.small_profit_application",
        citation,
        &["last_year", "parent", "to_date"],
        || {
            (
                Value::Bool(applies),
                Localized::new(
                    if applies {
                        &messages::SMALL_PROFIT_APPLIED
                    } else {
                        &messages::SMALL_PROFIT_NOT_APPLIED
                    },
                    [
                        ("parent", Value::text(&parent.id)),
                        ("last_year", Value::Money(last_year)),
                        ("to_date", Value::Money(to_date)),
                        ("months", Value::Int(i64::from(months_to_date))),
                        ("limit", Value::Number(limit)),
                    ],
                ),
            )
        },
    );
    Ok(applies)
}

/// Without an application: where the profit in the case qualifies for § 2b Abs. 4 BEEG, say
/// that the rules computed without it.
fn small_profit_hint(parent: &Parent, birth_month: YearMonth, bp: &BirthParams) -> Option<Reason> {
    if parent.small_profit_application.is_some() {
        return None;
    }
    let active = |a: &&Activity| a.months_active.iter().any(|m| *m);
    let acts = || parent.activities_before_birth.iter().filter(active);
    let has_wages = acts().any(|a| a.kind != ActivityKind::SelfEmployed);
    let mut profits = acts()
        .filter(|a| a.kind == ActivityKind::SelfEmployed)
        .peekable();
    // Only mixed income is assessed by the tax year (Abs. 3), which Abs. 4 departs from.
    if !has_wages || profits.peek().is_none() {
        return None;
    }
    let profit: Decimal = profits.map(income_in_bmz).sum();
    let average = cent(profit / Decimal::from(12));
    let (limit, citation) = bp.small_profit_limit;
    if average >= limit {
        return None;
    }
    Some(reason(
        "assumed_no_small_profit_application",
        citation,
        Localized::new(
            &messages::ASSUMED_NO_SMALL_PROFIT_APPLICATION,
            [
                ("year", Value::Int(i64::from(birth_month.year - 1))),
                ("average", Value::Money(average)),
                ("limit", Value::Number(limit)),
            ],
        ),
    ))
}

/// The parent as § 2b Abs. 4 S. 2 BEEG counts them: the wages alone.
pub(super) fn without_profit(parent: &Parent) -> Parent {
    let mut wages = parent.clone();
    wages
        .activities_before_birth
        .retain(|a| a.kind != ActivityKind::SelfEmployed);
    wages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    fn params(waiver: bool) -> BmzParams {
        BmzParams {
            covid_from: d("2020-03-01"),
            covid_to: d("2022-09-23"),
            covid_citation: "§ 2b Abs. 1 S. 4 BEEG",
            waiver: waiver.then_some("§ 2b Abs. 1 S. 3 BEEG"),
            older_child_last_lebensmonat: 14,
        }
    }

    fn case_with(parent: &str, siblings: &str, birth: &str) -> Case {
        let json = format!(
            r#"{{"schema":"elternkit.case/1","evaluation_date":"{birth}","child":{{"birth_date":"{birth}"}},
            "siblings":[{siblings}],"household":{{"postal_code":"28195"}},
            "parents":[{{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
            "cares_for_child":true,"tax":{{"class":"I"}}{parent}}}]}}"#
        );
        serde_json::from_str(&json).expect("test case")
    }

    fn ym(s: &str) -> YearMonth {
        s.parse().expect("test month")
    }

    /// Births before 2021-09-01 have no waiver: the waived kind still skips its months.
    #[test]
    fn without_the_waiver_a_waived_kind_still_skips() {
        let case = case_with(
            r#","bmz_events":[{"kind":"mutterschutz","from":"2021-06-20","to":"2021-08-02"}],"bmz_waiver":["mutterschutz"]"#,
            "",
            "2021-08-05",
        );
        let parent = &case.parents[0];
        let events = parent.bmz_events.as_deref().unwrap_or_default();
        let without = derive(&case, parent, events, &params(false));
        assert_eq!(
            without.skipped,
            vec![
                (ym("2021-06"), Ground::Event(BmzEventKind::Mutterschutz)),
                (ym("2021-07"), Ground::Event(BmzEventKind::Mutterschutz)),
            ]
        );
        let with = derive(&case, parent, events, &params(true));
        assert!(with.skipped.is_empty());
        assert_eq!(with.not_counted, vec![(0, NotCounted::Waived)]);
    }

    #[test]
    fn clip_keeps_the_overlaps_inclusive() {
        let spans = [(d("2024-01-10"), d("2024-03-05"))];
        assert_eq!(
            clip(&spans, &[(d("2024-03-05"), d("2024-12-31"))]),
            vec![(d("2024-03-05"), d("2024-03-05"))]
        );
        assert!(clip(&spans, &[(d("2024-03-06"), d("2024-12-31"))]).is_empty());
        assert_eq!(
            clip(
                &spans,
                &[
                    (d("2023-01-01"), d("2024-01-31")),
                    (d("2024-03-01"), d("2024-03-31"))
                ]
            ),
            vec![
                (d("2024-01-10"), d("2024-01-31")),
                (d("2024-03-01"), d("2024-03-05"))
            ]
        );
    }

    /// `previous` is `plus(-1)` for every month of the calendar and for hand-built months
    /// outside it (the fields are public): months 0 and 13, years beyond ±9999.
    #[test]
    fn previous_is_one_month_back() {
        for year in -10_001i16..=10_001 {
            for month in -1i8..=14 {
                let m = YearMonth { year, month };
                assert_eq!(previous(m), m.plus(-1), "{year}-{month}");
            }
        }
    }
}
