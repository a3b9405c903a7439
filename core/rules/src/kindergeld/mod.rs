//! Kindergeld (EStG §§ 62–78, § 32 Abs. 3–5; `shared/RULES.md` § C).
//!
//! Who may claim (§ 62 EStG), which children count (§ 63, § 32 Abs. 3–4 EStG), the amount per
//! month (§ 66 Abs. 1 EStG, `kg.amount_eur` by payment month) and the months an application
//! still reaches (§ 66 Abs. 2, § 70 Abs. 1 S. 2 EStG).
//!
//! Everything is evaluated at `case.evaluation_date` ("today"); the readings this module takes
//! where the case format leaves room:
//! * **Reference month.** A child's status flags describe today, so whether a child counts is
//!   decided for the month of the evaluation date (§ 66 Abs. 2 EStG: one day in the month
//!   suffices). For a child not yet born it is the month of birth. `monthly_amount` is the
//!   `kg.amount_eur` of that month; the explanation names the month.
//! * **paid_until** is the last month of entitlement known today: the month in which the child
//!   is still under the age limit of the ground it counts under on at least one day — 18
//!   (§ 32 Abs. 3), 21 (Abs. 4 S. 1 Nr. 1) or 25 (Abs. 4 S. 1 Nr. 2). A child born on the 1st
//!   completes its year at the end of the previous month (§ 187 Abs. 2, § 188 Abs. 2 BGB), so
//!   its last month is one earlier. A child under 18 gets the 18-year limit whatever its flags
//!   (later grounds are not known today); a child counted for a disability (Nr. 3) has no age
//!   limit and no `paid_until`.
//! * **The application** (`kindergeld.application_date`) is the one for the newborn:
//!   `retroactive_from`, `payable_from` and `months_lost` are computed for `case.child`.
//!   Older siblings are taken to receive Kindergeld already (reported as
//!   `assumed_sibling_already_claimed`): `paid_from` = `payable_from` = their month of birth,
//!   no `retroactive_from`, no months lost.
//! * Assumptions about the claim as a whole (claimant, application date, tax IDs) and the
//!   § 64 priority hint are reported in `KindergeldResult::hints`; assumptions about one child
//!   in that child's `reasons`.

mod messages;

use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::explain::{Trace, reason};
use super::params::{At, NewYears, ParamError, PeriodTable, params};
use super::{CalcOptions, RulesError};
use elternkit_model::{
    Args, Case, KindergeldChild, KindergeldResult, Localized, OneOffBonus, Parent, Reason,
    Template, Value, YearMonth,
};

use super::residence::{
    ConditionOutcome, TitleRule, TitleStatus, employment_condition, has_free_movement,
    humanitarian_min_stay, residence_title,
};
use TitleStatus::{Eligible, EligibleIfEmployed, NotEligible};

/// The last month in which a child born on `birth` is still under `years` on at least one
/// day (§ 66 Abs. 2 EStG): the month of the birthday, or the month before for a child born on
/// the 1st, who completes the year at the end of the previous day (§ 187 Abs. 2, § 188 Abs. 2
/// BGB). A child born on 29 February is never born on the 1st, so the clamp of its birthday to
/// 28 February does not matter.
pub fn last_month_under(birth: Date, years: i16) -> YearMonth {
    let birthday_month = YearMonth {
        year: birth.year().saturating_add(years),
        month: birth.month(),
    };
    if birth.day() == 1 {
        birthday_month.plus(-1)
    } else {
        birthday_month
    }
}

/// Completed years of life on `on` (§ 187 Abs. 2, § 188 Abs. 2 BGB); 0 before the birth.
fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0)
}

/// A message of the catalogue without arguments.
fn msg(t: &'static Template) -> Localized {
    Localized::new(t, [])
}

/// An integer parameter (ages, months, hours) with its citation.
fn int_param(key: &str, at: At) -> Result<(i16, &'static str), RulesError> {
    let (value, citation) = match at {
        At::ApplicationDate(day) => crate::params::whole_by_application(key, day)?,
        _ => params().whole(key, at)?,
    };
    let int = i16::try_from(value).map_err(|_| ParamError::NotANumber {
        key: key.to_string(),
        value: value.to_string(),
    })?;
    Ok((int, citation))
}

/// The age and work-time parameters of § 32 Abs. 3–4 EStG, read once per case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AgeLimits {
    unconditional: (i16, &'static str),
    unemployed: (i16, &'static str),
    conditional: (i16, &'static str),
    disability_onset: (i16, &'static str),
    transition_months: (i16, &'static str),
    hours: (Decimal, &'static str),
}

impl AgeLimits {
    /// The keys `resolve` reads.
    const KEYS: [&'static str; 6] = [
        "kg.age_unconditional",
        "kg.age_max_unemployed",
        "kg.age_max_conditional",
        "kg.disability_onset_before_age",
        "kg.transition_max_months",
        "kg.max_weekly_hours_after_first_education",
    ];

    /// The limits on `date`, from a table of the periods in which none of them changes: the
    /// six lookups by key were a sixth of a Kindergeld computation without explanations.
    fn at(date: Date) -> Result<Self, RulesError> {
        static TABLE: OnceLock<PeriodTable<AgeLimits>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let starts = params().period_starts(|key| Self::KEYS.contains(&key), NewYears::Ignore);
            PeriodTable::new(starts, Self::resolve)
        });
        match table.get(date) {
            Some(limits) => Ok(*limits),
            // Not covered: resolving for the day itself names the missing parameter.
            None => Self::resolve(date),
        }
    }

    /// Looks every limit up for `date`: the limits of its month, since the conditions of
    /// § 32 Abs. 3-4 EStG are examined for each month of payment (§ 66 Abs. 2 EStG).
    fn resolve(date: Date) -> Result<Self, RulesError> {
        let at = At::PaymentMonth(YearMonth::of(date));
        Ok(AgeLimits {
            unconditional: int_param("kg.age_unconditional", at)?,
            unemployed: int_param("kg.age_max_unemployed", at)?,
            conditional: int_param("kg.age_max_conditional", at)?,
            disability_onset: int_param("kg.disability_onset_before_age", at)?,
            transition_months: int_param("kg.transition_max_months", at)?,
            hours: params().decimal("kg.max_weekly_hours_after_first_education", at)?,
        })
    }
}

/// The facts of one child that § 32 Abs. 3–4 EStG asks about, today.
#[derive(Debug, Clone, Copy)]
struct ChildFacts {
    birth_date: Date,
    newborn: bool,
    disability: bool,
    disability_arose_before_25: Option<bool>,
    in_education: bool,
    first_education_completed: Option<bool>,
    weekly_work_hours: Decimal,
    registered_unemployed: bool,
    transition_period: bool,
    volunteer_service: bool,
    no_training_place: bool,
    /// The work is a Minijob: harmless whatever its hours (§ 32 Abs. 4 S. 3 EStG).
    minijob: bool,
}

/// Whether and until when a child counts (§ 32 Abs. 3–4 EStG), with the reasons.
#[derive(Debug)]
struct ChildStatus {
    counts: bool,
    /// `None` with `counts`: no age limit (disability, Nr. 3).
    paid_until: Option<YearMonth>,
    citation: &'static str,
    text: Localized,
    reasons: Vec<Reason>,
}

/// § 32 Abs. 3–4 EStG for the month `month` (the reference month, see the module docs).
/// What every text about a child's status names: the child, its birth, the reference month
/// and its age then.
struct ChildText {
    label: usize,
    birth: Date,
    month: YearMonth,
    age: i32,
}

impl ChildText {
    fn text<const N: usize>(
        &self,
        template: &'static Template,
        extra: [(&'static str, Value); N],
    ) -> Localized {
        let mut args = Args::with_capacity(4 + N);
        args.extend([
            ("child", Value::Int(self.label as i64)),
            ("birth_date", Value::Date(self.birth)),
            ("month", Value::Month(self.month)),
            ("age", Value::Int(i64::from(self.age))),
        ]);
        args.extend(extra);
        Localized::Template(template, args)
    }
}

fn child_status(
    c: &ChildFacts,
    label: usize,
    month: YearMonth,
    today: Date,
    lim: &AgeLimits,
) -> ChildStatus {
    let age = age_on(c.birth_date, today);
    let who = ChildText {
        label,
        birth: c.birth_date,
        month,
        age,
    };
    let last18 = last_month_under(c.birth_date, lim.unconditional.0);
    if month <= last18 {
        return under_18(c, &who, last18, lim);
    }
    // Past the unconditional age: each ground of § 32 Abs. 4 S. 1 EStG.
    let mut grounds = Grounds::default();
    if c.registered_unemployed {
        grounds.unemployed(c, month, lim);
    }
    if c.in_education || c.transition_period || c.no_training_place || c.volunteer_service {
        grounds.education(c, month, age, lim);
    }
    if c.disability {
        grounds.disability(c, lim);
    }
    grounds.finish(&who, age, lim)
}

/// § 32 Abs. 3 EStG: a child under 18 counts whatever else is true of it.
fn under_18(c: &ChildFacts, who: &ChildText, last18: YearMonth, lim: &AgeLimits) -> ChildStatus {
    let mut reasons = Vec::new();
    if c.disability {
        reasons.push(reason(
            "disability_beyond_18",
            "§ 32 Abs. 4 S. 1 Nr. 3 EStG",
            msg(&messages::DISABILITY_BEYOND_18),
        ));
    }
    ChildStatus {
        counts: true,
        paid_until: Some(last18),
        citation: lim.unconditional.1,
        text: who.text(
            &messages::CHILD_UNDER_18,
            [
                ("age_limit", Value::Int(i64::from(lim.unconditional.0))),
                ("until", Value::Month(last18)),
            ],
        ),
        reasons,
    }
}

/// What the grounds of § 32 Abs. 4 S. 1 EStG found for a child over 18, collected ground by
/// ground in the order of the statute.
#[derive(Debug, Default)]
struct Grounds {
    /// `None`: no ground holds; `Some(None)`: one holds without an age limit (Nr. 3).
    counted_until: Option<Option<YearMonth>>,
    grounds: Vec<Value>,
    citations: Vec<&'static str>,
    /// Assumptions, in the order found.
    reasons: Vec<Reason>,
    /// Why a ground that was claimed does not hold.
    denials: Vec<Reason>,
}

impl Grounds {
    /// A ground holds until `until` (`None`: no age limit); the widest ground wins.
    fn widen(&mut self, until: Option<YearMonth>) {
        self.counted_until = Some(match (self.counted_until, until) {
            (None, u) => u,
            (Some(None), _) | (Some(_), None) => None,
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
        });
    }

    /// Nr. 1: under 21, not employed, registered as a job-seeker.
    fn unemployed(&mut self, c: &ChildFacts, month: YearMonth, lim: &AgeLimits) {
        let last21 = last_month_under(c.birth_date, lim.unemployed.0);
        if month > last21 {
            self.denials.push(reason(
                "unemployed_over_21",
                lim.unemployed.1,
                Localized::new(
                    &messages::UNEMPLOYED_OVER_21,
                    [
                        ("age_limit", Value::Int(i64::from(lim.unemployed.0))),
                        ("until", Value::Month(last21)),
                    ],
                ),
            ));
            return;
        }
        self.widen(Some(last21));
        self.grounds
            .push(Value::Phrase(&messages::GROUND_UNEMPLOYED));
        self.citations.push(lim.unemployed.1);
        if !c.minijob && !c.weekly_work_hours.is_zero() && c.weekly_work_hours.is_sign_positive() {
            self.reasons.push(reason(
                "assumed_marginal_employment",
                "§ 32 Abs. 4 S. 1 Nr. 1 EStG",
                Localized::new(
                    &messages::ASSUMED_MARGINAL_EMPLOYMENT,
                    [("hours", Value::Number(c.weekly_work_hours))],
                ),
            ));
        }
    }

    /// Nr. 2 a–d with S. 2–3: education, a transition of at most 4 months, no training place,
    /// voluntary service; under 25, and after a first education only without harmful work.
    fn education(&mut self, c: &ChildFacts, month: YearMonth, age: i32, lim: &AgeLimits) {
        let last25 = last_month_under(c.birth_date, lim.conditional.0);
        if month > last25 {
            self.denials.push(reason(
                "over_age_limit_25",
                lim.conditional.1,
                Localized::new(
                    &messages::OVER_AGE_LIMIT_25,
                    [
                        ("age_limit", Value::Int(i64::from(lim.conditional.0))),
                        ("until", Value::Month(last25)),
                        ("age", Value::Int(i64::from(age))),
                    ],
                ),
            ));
            return;
        }
        let completed = c.first_education_completed.unwrap_or(false);
        // § 32 Abs. 4 S. 3 EStG: a Minijob (§§ 8, 8a SGB IV) is harmless whatever its hours.
        let harmful_work = !c.minijob && c.weekly_work_hours > lim.hours.0;
        if harmful_work && c.first_education_completed.is_none() {
            self.reasons.push(reason(
                "assumed_first_education_not_completed",
                lim.hours.1,
                msg(&messages::ASSUMED_FIRST_EDUCATION_NOT_COMPLETED),
            ));
        }
        if completed && harmful_work {
            self.denials.push(reason(
                "employment_after_first_education",
                lim.hours.1,
                Localized::new(
                    &messages::EMPLOYMENT_AFTER_FIRST_EDUCATION,
                    [
                        ("limit", Value::Number(lim.hours.0)),
                        ("hours", Value::Number(c.weekly_work_hours)),
                    ],
                ),
            ));
            return;
        }
        self.widen(Some(last25));
        self.citations.push(lim.conditional.1);
        for (applies, ground) in [
            (c.in_education, &messages::GROUND_EDUCATION),
            (c.transition_period, &messages::GROUND_TRANSITION),
            (c.no_training_place, &messages::GROUND_NO_TRAINING_PLACE),
            (c.volunteer_service, &messages::GROUND_VOLUNTEER),
        ] {
            if applies {
                self.grounds.push(Value::Phrase(ground));
            }
        }
    }

    /// Nr. 3: a disability that arose before 25; no age limit.
    fn disability(&mut self, c: &ChildFacts, lim: &AgeLimits) {
        let before_25 = c.disability_arose_before_25.unwrap_or(true);
        if c.disability_arose_before_25.is_none() {
            self.reasons.push(reason(
                "assumed_disability_arose_before_25",
                lim.disability_onset.1,
                Localized::new(
                    &messages::ASSUMED_DISABILITY_BEFORE_25,
                    [("age_limit", Value::Int(i64::from(lim.disability_onset.0)))],
                ),
            ));
        }
        if before_25 {
            self.widen(None);
            self.grounds
                .push(Value::Phrase(&messages::GROUND_DISABILITY));
            self.citations.push(lim.disability_onset.1);
        } else {
            self.denials.push(reason(
                "disability_arose_after_25",
                lim.disability_onset.1,
                Localized::new(
                    &messages::DISABILITY_AFTER_25,
                    [("age_limit", Value::Int(i64::from(lim.disability_onset.0)))],
                ),
            ));
        }
    }

    /// The child's status from the grounds found: counted until the widest limit, or not
    /// counted with every denial (or, with none claimed, that no ground was given).
    fn finish(self, who: &ChildText, age: i32, lim: &AgeLimits) -> ChildStatus {
        let Grounds {
            counted_until,
            grounds,
            citations,
            mut reasons,
            mut denials,
        } = self;
        if let Some(until) = counted_until {
            let grounds = ("grounds", Value::List(grounds));
            let text = match until {
                Some(m) => who.text(
                    &messages::CHILD_COUNTS_UNTIL,
                    [grounds, ("until", Value::Month(m))],
                ),
                None => who.text(&messages::CHILD_COUNTS_NO_LIMIT, [grounds]),
            };
            return ChildStatus {
                counts: true,
                paid_until: until,
                citation: citations.first().copied().unwrap_or("§ 32 Abs. 4 EStG"),
                text,
                reasons,
            };
        }
        if denials.is_empty() {
            denials.push(reason(
                "over_18_without_ground",
                "§ 32 Abs. 3, 4 EStG",
                Localized::new(
                    &messages::OVER_18_WITHOUT_GROUND,
                    [
                        ("age", Value::Int(i64::from(age))),
                        ("transition", Value::Int(i64::from(lim.transition_months.0))),
                    ],
                ),
            ));
        }
        reasons.extend(denials);
        ChildStatus {
            counts: false,
            paid_until: None,
            citation: "§ 32 Abs. 3, 4 EStG",
            text: who.text(&messages::CHILD_DOES_NOT_COUNT, []),
            reasons,
        }
    }
}

/// § 62 EStG for one parent.
#[derive(Debug)]
struct ClaimantStatus {
    eligible: bool,
    citation: &'static str,
    /// Why not (or what was assumed).
    reasons: Vec<Reason>,
}

/// § 62 EStG for one parent, in the month of `on` (the reference month of the claim), with
/// the Nr. 4 minimum stay in force then ([`crate::residence::humanitarian_min_stay`]).
fn claimant_status(
    p: &Parent,
    has_tax_id: bool,
    on: Date,
    min_stay: Option<u32>,
) -> ClaimantStatus {
    let mut reasons = Vec::new();
    let mut eligible = true;
    let mut citation = "§ 62 Abs. 1 EStG";
    if !p.lives_in_germany {
        eligible = false;
        reasons.push(reason(
            "claimant_not_resident",
            "§ 62 Abs. 1 S. 1 Nr. 1 EStG",
            msg(&messages::CLAIMANT_NOT_RESIDENT),
        ));
    }
    if !has_tax_id {
        eligible = false;
        reasons.push(reason(
            "claimant_no_tax_id",
            "§ 62 Abs. 1 S. 2 EStG",
            msg(&messages::CLAIMANT_NO_TAX_ID),
        ));
    }
    if !has_free_movement(&p.citizenship) {
        citation = "§ 62 Abs. 2 EStG";
        match p
            .residence_title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => {
                eligible = false;
                reasons.push(reason(
                    "residence_title_missing",
                    "§ 62 Abs. 2 EStG",
                    msg(&messages::RESIDENCE_TITLE_MISSING),
                ));
            }
            Some(name) => match residence_title(name) {
                None => {
                    eligible = false;
                    reasons.push(reason(
                        "residence_title_unknown",
                        "§ 62 Abs. 2 EStG",
                        Localized::new(
                            &messages::RESIDENCE_TITLE_UNKNOWN,
                            [("title", Value::text(name))],
                        ),
                    ));
                }
                Some(t) => {
                    let rule = t.kindergeld_on(on);
                    citation = rule.citation;
                    if !title_entitles(p, &rule, on, min_stay, &mut reasons) {
                        eligible = false;
                    }
                }
            },
        }
    }
    ClaimantStatus {
        eligible,
        citation,
        reasons,
    }
}

/// § 62 Abs. 2 EStG: whether the row of a title entitles the parent in the month of `on`,
/// with the reasons (refusals and what was assumed where the case is silent). The condition
/// of Nr. 2 b, Nr. 3 and Nr. 4 is the same test as Elterngeld's (§ 1 Abs. 7 BEEG).
fn title_entitles(
    p: &Parent,
    rule: &TitleRule,
    on: Date,
    min_stay: Option<u32>,
    reasons: &mut Vec<Reason>,
) -> bool {
    let titled =
        |m: &'static Template| Localized::new(m, [("title", Value::Text(rule.name.into()))]);
    match rule.status {
        Eligible => true,
        NotEligible => {
            reasons.push(reason(
                "residence_title_not_eligible",
                rule.citation,
                titled(&messages::RESIDENCE_TITLE_NOT_ELIGIBLE),
            ));
            false
        }
        EligibleIfEmployed => match employment_condition(p, rule, on, min_stay) {
            ConditionOutcome::MetByStatus(_) | ConditionOutcome::MetByStay => true,
            ConditionOutcome::AssumedEmployed => {
                reasons.push(reason(
                    "assumed_employment_or_parental_leave",
                    rule.citation,
                    titled(&messages::ASSUMED_EMPLOYMENT_OR_PARENTAL_LEAVE),
                ));
                true
            }
            ConditionOutcome::NotMet {
                assumed_not_employed,
                assumed_short_stay,
            } => {
                reasons.push(reason(
                    "residence_title_requires_employment",
                    rule.citation,
                    titled(if rule.humanitarian {
                        &messages::RESIDENCE_TITLE_REQUIRES_EMPLOYMENT_OR_STAY
                    } else {
                        &messages::RESIDENCE_TITLE_REQUIRES_EMPLOYMENT
                    }),
                ));
                if assumed_not_employed {
                    reasons.push(reason(
                        "assumed_not_employed",
                        rule.citation,
                        msg(&messages::ASSUMED_NOT_EMPLOYED),
                    ));
                }
                if assumed_short_stay && let Some(months) = min_stay {
                    reasons.push(reason(
                        "assumed_stay_under_15_months",
                        "§ 62 Abs. 2 Nr. 4 EStG",
                        Localized::new(
                            &messages::ASSUMED_SHORT_STAY,
                            [("months", Value::Int(i64::from(months)))],
                        ),
                    ));
                }
                false
            }
        },
    }
}

/// The application: who claims, when, and whether the tax IDs are there.
#[derive(Debug)]
struct Application<'a> {
    claimant: &'a Parent,
    date: Date,
    claimant_has_tax_id: bool,
    child_has_tax_id: bool,
}

fn application<'a>(case: &'a Case, hints: &mut Vec<Reason>) -> Result<Application<'a>, RulesError> {
    let first = case
        .parents
        .first()
        .ok_or_else(|| RulesError::Unsupported {
            path: "parents".into(),
            message: "a case needs at least one parent to claim Kindergeld".into(),
        })?;
    let Some(claim) = &case.kindergeld else {
        hints.push(reason(
            "assumed_claimant_first_parent",
            "§ 67 EStG",
            Localized::new(
                &messages::ASSUMED_CLAIMANT_FIRST_PARENT,
                [("claimant", Value::text(&first.id))],
            ),
        ));
        hints.push(assumed_application_date(case.evaluation_date));
        hints.push(reason(
            "assumed_tax_ids_present",
            "§ 62 Abs. 1 S. 2, § 63 Abs. 1 S. 3 EStG",
            msg(&messages::ASSUMED_TAX_IDS_PRESENT),
        ));
        return Ok(Application {
            claimant: first,
            date: case.evaluation_date,
            claimant_has_tax_id: true,
            child_has_tax_id: true,
        });
    };
    let claimant = case
        .parents
        .iter()
        .find(|p| p.id == claim.claimant)
        .ok_or_else(|| RulesError::Unsupported {
            path: "kindergeld.claimant".into(),
            message: format!(
                "{:?} is not the id of a parent of this case",
                claim.claimant
            ),
        })?;
    let date = match claim.application_date {
        Some(d) => d,
        None => {
            hints.push(assumed_application_date(case.evaluation_date));
            case.evaluation_date
        }
    };
    Ok(Application {
        claimant,
        date,
        claimant_has_tax_id: claim.claimant_has_tax_id,
        child_has_tax_id: claim.child_has_tax_id,
    })
}

fn assumed_application_date(date: Date) -> Reason {
    reason(
        "assumed_application_on_evaluation_date",
        "§ 70 Abs. 1 S. 2 EStG",
        Localized::new(
            &messages::ASSUMED_APPLICATION_ON_EVALUATION_DATE,
            [("date", Value::Date(date))],
        ),
    )
}

/// § 64 EStG: only one person receives Kindergeld for a child (Abs. 1). A claimant who does not
/// have the child in the household has no entitlement of their own where another entitled
/// person has it there (Abs. 2 S. 1): the returned reason names that person and goes with every
/// child. Parents who share the household decide between themselves (Abs. 2 S. 2–3), and a
/// child in no entitled person's household goes to whoever pays maintenance (Abs. 3): both are
/// reported as hints, since the case does not say what was decided or who pays.
fn priority(
    case: &Case,
    claimant: &Parent,
    on: Date,
    min_stay: Option<u32>,
    hints: &mut Vec<Reason>,
) -> Option<Reason> {
    let living_with_child = case.parents.iter().filter(|p| p.lives_with_child).count();
    if claimant.lives_with_child {
        if living_with_child >= 2 {
            hints.push(reason(
                "berechtigtenbestimmung",
                "§ 64 Abs. 1, Abs. 2 S. 2–3 EStG",
                msg(&messages::BERECHTIGTENBESTIMMUNG),
            ));
        }
        return None;
    }
    let household_parent = case
        .parents
        .iter()
        .filter(|p| p.id != claimant.id && p.lives_with_child)
        .find(|p| claimant_status(p, true, on, min_stay).eligible);
    if let Some(first) = household_parent {
        return Some(reason(
            "priority_household_parent",
            "§ 64 Abs. 2 S. 1 EStG",
            Localized::new(
                &messages::PRIORITY_HOUSEHOLD_PARENT,
                [
                    ("claimant", Value::text(&claimant.id)),
                    ("priority", Value::text(&first.id)),
                ],
            ),
        ));
    }
    if living_with_child == 0 {
        hints.push(reason(
            "priority_maintenance",
            "§ 64 Abs. 3 EStG",
            msg(&messages::PRIORITY_MAINTENANCE),
        ));
    }
    None
}

/// Kindergeld for every child of the case: `case.child` (`count` identical entries for
/// multiples) first, then every sibling in the order given; with the explanation.
pub fn compute(case: &Case) -> Result<KindergeldResult, RulesError> {
    compute_with(case, CalcOptions::default())
}

/// [`compute`] with options.
pub fn compute_with(case: &Case, options: CalcOptions) -> Result<KindergeldResult, RulesError> {
    if case.child.count == 0 || case.child.count > 8 {
        return Err(RulesError::Unsupported {
            path: "child.count".into(),
            message: "count must be 1 (one child) to 8".into(),
        });
    }
    let today = case.evaluation_date;
    let mut hints = Vec::new();
    let mut steps = Trace::new(
        options.explanations,
        2 + 3 * (case.child.count as usize + case.siblings.len()),
    );
    let app = application(case, &mut hints)?;
    // The claimant's status is that of the reference month: today's, or the month of birth
    // for a child not yet born (see the module docs).
    let on = today.max(case.child.birth_date);
    let min_stay = humanitarian_min_stay(
        "kg.humanitarian_min_stay_months",
        At::PaymentMonth(YearMonth::of(on)),
    )?;
    let claimant = claimant_status(app.claimant, app.claimant_has_tax_id, on, min_stay);
    record_claimant(&mut steps, &app, &claimant);
    claimant_hints(case, &app, &claimant, on, min_stay, &mut hints);
    let priority = priority(case, app.claimant, on, min_stay, &mut hints);

    // § 70 Abs. 1 S. 2 EStG: the months the application still reaches.
    let (retro_months, retro_citation) =
        int_param("kg.retroactive_months", At::ApplicationDate(app.date))?;
    let claim = Claim {
        app: &app,
        claimant: &claimant,
        priority,
        lim: AgeLimits::at(today)?,
        today,
        retro_months,
        retro_citation,
        retroactive_from: YearMonth::of(app.date).plus(-i32::from(retro_months)),
    };
    let facts: Vec<ChildFacts> = child_facts(case).collect();
    let orders = child_orders(&facts, today, &claim.lim);
    let mut children = Vec::with_capacity(facts.len());
    for (i, (facts, order)) in facts.iter().zip(orders).enumerate() {
        children.push(claim.child(facts, i + 1, order, &mut steps)?);
    }
    Ok(KindergeldResult {
        children,
        hints,
        explanation: steps.into_steps(),
    })
}

/// § 62 EStG: the claimant's step of the explanation.
fn record_claimant(steps: &mut Trace, app: &Application<'_>, claimant: &ClaimantStatus) {
    steps.step(
        "kindergeld.anspruchsberechtigt",
        claimant.citation,
        &[
            "citizenship",
            "claimant",
            "claimant_has_tax_id",
            "lives_in_germany",
            "residence_title",
        ],
        || {
            (
                Value::Bool(claimant.eligible),
                Localized::new(
                    if claimant.eligible {
                        &messages::CLAIMANT_ELIGIBLE
                    } else {
                        &messages::CLAIMANT_NOT_ELIGIBLE
                    },
                    [
                        ("claimant", Value::text(&app.claimant.id)),
                        ("citizenship", Value::text(&app.claimant.citizenship)),
                        (
                            "residence_title",
                            Value::text(
                                app.claimant.residence_title.as_deref().unwrap_or_default(),
                            ),
                        ),
                        (
                            "lives_in_germany",
                            Value::Bool(app.claimant.lives_in_germany),
                        ),
                        ("claimant_has_tax_id", Value::Bool(app.claimant_has_tax_id)),
                    ],
                ),
            )
        },
    );
}

/// Hints about the claimant: another parent who could claim (§§ 62, 64 EStG), or the first
/// three months of an EU citizen's residence (§ 62 Abs. 1a EStG).
fn claimant_hints(
    case: &Case,
    app: &Application<'_>,
    claimant: &ClaimantStatus,
    on: Date,
    min_stay: Option<u32>,
    hints: &mut Vec<Reason>,
) {
    if !claimant.eligible {
        let other = case
            .parents
            .iter()
            .filter(|p| p.id != app.claimant.id)
            .find(|p| claimant_status(p, true, on, min_stay).eligible);
        if let Some(other) = other {
            hints.push(reason(
                "other_parent_may_claim",
                "§ 62, § 64 EStG",
                Localized::new(
                    &messages::OTHER_PARENT_MAY_CLAIM,
                    [("parent", Value::text(&other.id))],
                ),
            ));
        }
    } else if app.claimant.citizenship != "DE" && has_free_movement(&app.claimant.citizenship) {
        hints.push(reason(
            "eu_first_three_months",
            "§ 62 Abs. 1a EStG",
            msg(&messages::EU_FIRST_THREE_MONTHS),
        ));
    }
}

/// Every child of the case in result order: `case.child` (`count` identical entries for
/// multiples), then the siblings as given.
fn child_facts(case: &Case) -> impl Iterator<Item = ChildFacts> + '_ {
    let newborn = ChildFacts {
        birth_date: case.child.birth_date,
        newborn: true,
        disability: case.child.disability,
        disability_arose_before_25: None,
        in_education: false,
        first_education_completed: None,
        weekly_work_hours: Decimal::ZERO,
        registered_unemployed: false,
        transition_period: false,
        volunteer_service: false,
        no_training_place: false,
        minijob: false,
    };
    let siblings = case.siblings.iter().map(|s| ChildFacts {
        birth_date: s.birth_date,
        newborn: false,
        disability: s.disability,
        disability_arose_before_25: s.disability_arose_before_25,
        in_education: s.in_education,
        first_education_completed: s.first_education_completed,
        weekly_work_hours: s.weekly_work_hours,
        registered_unemployed: s.registered_unemployed,
        transition_period: s.transition_period,
        volunteer_service: s.volunteer_service,
        no_training_place: s.no_training_place,
        minijob: s.minijob,
    });
    std::iter::repeat_n(newborn, case.child.count as usize).chain(siblings)
}

/// § 66 Abs. 1 EStG (until 2022 the amount depends on the child's order): each child's place
/// in the order of birth among all children that count (§ 32 Abs. 3–5 EStG) in their reference
/// month, Zählkinder included (children for whom another person has priority still count, so
/// the claimant's § 64 priority is not looked at here). Children of one birth date take
/// successive places in the order given. A child that does not count gets the place after all
/// older counting children (it is paid nothing).
fn child_orders(facts: &[ChildFacts], today: Date, lim: &AgeLimits) -> Vec<usize> {
    let counts: Vec<bool> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let month = YearMonth::of(today).max(YearMonth::of(f.birth_date));
            child_status(f, i + 1, month, today, lim).counts
        })
        .collect();
    facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let older = facts
                .iter()
                .enumerate()
                .filter(|(j, o)| {
                    counts[*j]
                        && (o.birth_date < f.birth_date || (o.birth_date == f.birth_date && *j < i))
                })
                .count();
            older + 1
        })
        .collect()
}

/// What every child of one claim shares: the application, the claimant's § 62 status, the
/// age limits and the § 70 window.
struct Claim<'a> {
    app: &'a Application<'a>,
    claimant: &'a ClaimantStatus,
    /// § 64 EStG: another person has priority; the claimant has no entitlement of their own.
    priority: Option<Reason>,
    lim: AgeLimits,
    today: Date,
    retro_months: i16,
    retro_citation: &'static str,
    retroactive_from: YearMonth,
}

impl Claim<'_> {
    /// One child: whether it counts (§ 63, § 32 EStG), and if so the amount (§ 66 Abs. 1), the
    /// period (§ 66 Abs. 2) and, for the newborn, the § 70 window.
    fn child(
        &self,
        facts: &ChildFacts,
        label: usize,
        order: usize,
        steps: &mut Trace,
    ) -> Result<KindergeldChild, RulesError> {
        let birth_month = YearMonth::of(facts.birth_date);
        let month = YearMonth::of(self.today).max(birth_month);
        let status = child_status(facts, label, month, self.today, &self.lim);
        let mut reasons =
            Vec::with_capacity(self.claimant.reasons.len() + status.reasons.len() + 1);
        reasons.extend(self.claimant.reasons.iter().cloned());
        reasons.extend(status.reasons);
        let mut eligible = self.claimant.eligible && status.counts;
        if let Some(priority) = &self.priority {
            eligible = false;
            reasons.push(priority.clone());
        }
        if facts.newborn && !self.app.child_has_tax_id {
            eligible = false;
            reasons.push(reason(
                "child_no_tax_id",
                "§ 63 Abs. 1 S. 3 EStG",
                msg(&messages::CHILD_NO_TAX_ID),
            ));
        }
        if facts.newborn && facts.birth_date > self.today {
            reasons.push(reason(
                "birth_expected",
                "§ 66 Abs. 2 EStG",
                Localized::new(
                    &messages::BIRTH_EXPECTED,
                    [
                        ("birth", Value::Date(facts.birth_date)),
                        ("month", Value::Month(birth_month)),
                    ],
                ),
            ));
        }
        steps.step(
            "kindergeld.kind_beruecksichtigt",
            status.citation,
            &["birth_date", "child", "month"],
            || (Value::Bool(status.counts), status.text),
        );
        if !eligible {
            return Ok(KindergeldChild {
                birth_date: facts.birth_date,
                eligible: false,
                monthly_amount: Decimal::ZERO,
                paid_from: None,
                paid_until: None,
                retroactive_from: None,
                payable_from: None,
                months_lost: 0,
                reasons,
                one_off_bonus: None,
            });
        }
        let amount = record_amount(steps, label, month, order)?;
        let one_off_bonus = record_kinderbonus(steps, label, month.year);
        let paid_from = birth_month;
        record_period(steps, facts, label, paid_from, status.paid_until);
        let (retro, payable_from, months_lost) = if facts.newborn {
            self.retroactive(steps, label, paid_from, status.paid_until)
        } else {
            reasons.push(reason(
                "assumed_sibling_already_claimed",
                "§ 70 Abs. 1 S. 2 EStG",
                msg(&messages::ASSUMED_SIBLING_ALREADY_CLAIMED),
            ));
            (None, Some(paid_from), 0)
        };
        Ok(KindergeldChild {
            birth_date: facts.birth_date,
            eligible: true,
            monthly_amount: amount,
            paid_from: Some(paid_from),
            paid_until: status.paid_until,
            retroactive_from: retro,
            payable_from,
            months_lost,
            reasons,
            one_off_bonus,
        })
    }

    /// § 70 Abs. 1 S. 2 EStG: paid out only for the last `retro_months` months before the
    /// month the application was received. Returns the window's start, the first month paid
    /// (none when the whole entitlement lies before it) and the months lost.
    fn retroactive(
        &self,
        steps: &mut Trace,
        label: usize,
        paid_from: YearMonth,
        paid_until: Option<YearMonth>,
    ) -> (Option<YearMonth>, Option<YearMonth>, u32) {
        let retroactive_from = self.retroactive_from;
        let first_payable = paid_from.max(retroactive_from);
        let (payable_from, lost) = match paid_until {
            Some(until) if first_payable > until => {
                (None, paid_from.months_until(until).saturating_add(1))
            }
            _ => (Some(first_payable), paid_from.months_until(first_payable)),
        };
        let lost = u32::try_from(lost.max(0)).unwrap_or(0);
        let payable = match payable_from {
            Some(p) => Value::Month(p),
            None => Value::Text("–".into()),
        };
        let inputs = &[
            "application_date",
            "child",
            "paid_from",
            "retroactive_months",
        ];
        steps.step(
            "kindergeld.rueckwirkung",
            self.retro_citation,
            inputs,
            || {
                (
                    Value::Fields(vec![
                        ("retroactive_from", Value::Month(retroactive_from)),
                        ("payable_from", payable.clone()),
                        ("months_lost", Value::Int(i64::from(lost))),
                    ]),
                    Localized::new(
                        &messages::RETROACTIVE,
                        [
                            ("child", Value::Int(label as i64)),
                            ("application_date", Value::Date(self.app.date)),
                            ("paid_from", Value::Month(paid_from)),
                            (
                                "retroactive_months",
                                Value::Int(i64::from(self.retro_months)),
                            ),
                            ("retroactive_from", Value::Month(retroactive_from)),
                            ("payable_from", payable),
                            ("lost", Value::Int(i64::from(lost))),
                        ],
                    ),
                )
            },
        );
        (Some(retroactive_from), payable_from, lost)
    }
}

/// § 66 Abs. 1 EStG: the amount of the reference month, with its step: one amount for every
/// child from 2023 (`kg.amount_eur`), before that the amount for the child's `order`
/// (`kg.amount_eur.child1` … `child4plus`). Neither for the month: not covered (the error).
fn record_amount(
    steps: &mut Trace,
    label: usize,
    month: YearMonth,
    order: usize,
) -> Result<Decimal, RulesError> {
    let at = At::PaymentMonth(month);
    if let Ok((amount, citation)) = params().decimal("kg.amount_eur", at) {
        return Ok(record_uniform_amount(steps, label, month, amount, citation));
    }
    let key = match order {
        0 | 1 => "kg.amount_eur.child1",
        2 => "kg.amount_eur.child2",
        3 => "kg.amount_eur.child3",
        _ => "kg.amount_eur.child4plus",
    };
    let (amount, citation) = params().decimal(key, at)?;
    steps.step(
        "kindergeld.betrag",
        citation,
        &["child", "month", "order"],
        || {
            (
                Value::Money(amount),
                Localized::new(
                    &messages::AMOUNT_BY_ORDER,
                    [
                        ("child", Value::Int(label as i64)),
                        ("month", Value::Month(month)),
                        ("amount", Value::Money(amount)),
                        ("order", Value::Int(order as i64)),
                    ],
                ),
            )
        },
    );
    Ok(amount)
}

/// § 66 Abs. 1 S. 2–4 EStG: the one-off Kinderbonus of `year` (2020: 200 + 100 €, 2021: 150 €,
/// 2022: 100 €), due once for a child entitled in any month of that year, with its step; `None`
/// for a year without one (no `kg.kinderbonus_eur` value in any of its months).
fn record_kinderbonus(steps: &mut Trace, label: usize, year: i16) -> Option<OneOffBonus> {
    let (amount, citation) = kinderbonus_of(year)?;
    steps.step(
        "kindergeld.kinderbonus",
        citation,
        &["child", "year"],
        || {
            (
                Value::Money(amount),
                Localized::new(
                    &messages::KINDERBONUS,
                    [
                        ("child", Value::Int(label as i64)),
                        ("year", Value::Int(i64::from(year))),
                        ("amount", Value::Money(amount)),
                    ],
                ),
            )
        },
    );
    Some(OneOffBonus { year, amount })
}

/// The Kinderbonus of `year` with its citation: the sum of its months' `kg.kinderbonus_eur`
/// values. Every child of every case asks for it, and a month without a value costs a failed
/// lookup, so the years the values touch are summed once; a year before them has none, and a
/// year after them (only possible with an open-ended value) is summed when asked.
fn kinderbonus_of(year: i16) -> Option<(Decimal, &'static str)> {
    /// The first year with a value, the sums from it on, and whether a value is open-ended.
    type Table = (i16, Vec<Option<(Decimal, &'static str)>>, bool);
    static TABLE: OnceLock<Table> = OnceLock::new();
    let (first, years, open) = TABLE.get_or_init(|| {
        let values = params()
            .param("kg.kinderbonus_eur")
            .map_or(&[][..], |p| p.values.as_slice());
        let open = values.iter().any(|v| v.valid_to.is_none());
        let first = values.iter().map(|v| v.valid_from.year()).min();
        let last = values
            .iter()
            .map(|v| v.valid_to.unwrap_or(v.valid_from).year())
            .max();
        match (first, last) {
            (Some(first), Some(last)) => {
                (first, (first..=last).map(sum_kinderbonus).collect(), open)
            }
            _ => (i16::MAX, Vec::new(), false),
        }
    });
    if year < *first {
        return None;
    }
    match years.get(usize::try_from(year - first).ok()?) {
        Some(bonus) => *bonus,
        None if *open => sum_kinderbonus(year),
        None => None,
    }
}

/// [`kinderbonus_of`] by looking up every month of `year`.
fn sum_kinderbonus(year: i16) -> Option<(Decimal, &'static str)> {
    let mut amount = Decimal::ZERO;
    let mut citation = None;
    for month in 1..=12 {
        // A month without a value has no bonus instalment; that is the only lookup error.
        if let Ok((part, c)) = params().decimal(
            "kg.kinderbonus_eur",
            At::PaymentMonth(YearMonth { year, month }),
        ) {
            amount += part;
            citation.get_or_insert(c);
        }
    }
    Some((amount, citation?))
}

/// The uniform amount's step (from 2023).
fn record_uniform_amount(
    steps: &mut Trace,
    label: usize,
    month: YearMonth,
    amount: Decimal,
    amount_citation: &'static str,
) -> Decimal {
    steps.step(
        "kindergeld.betrag",
        amount_citation,
        &["child", "month"],
        || {
            (
                Value::Money(amount),
                Localized::new(
                    &messages::AMOUNT,
                    [
                        ("child", Value::Int(label as i64)),
                        ("month", Value::Month(month)),
                        ("amount", Value::Money(amount)),
                    ],
                ),
            )
        },
    );
    amount
}

/// § 66 Abs. 2 EStG: from the month of birth to the last month under the age limit.
fn record_period(
    steps: &mut Trace,
    facts: &ChildFacts,
    label: usize,
    paid_from: YearMonth,
    paid_until: Option<YearMonth>,
) {
    let period = |template: &'static Template, until: Option<YearMonth>| {
        let mut args = Args::with_capacity(4);
        args.extend([
            ("child", Value::Int(label as i64)),
            ("birth_date", Value::Date(facts.birth_date)),
            ("from", Value::Month(paid_from)),
        ]);
        args.extend(until.map(|u| ("until", Value::Month(u))));
        Localized::Template(template, args)
    };
    steps.step(
        "kindergeld.zeitraum",
        "§ 66 Abs. 2 EStG; § 32 Abs. 3, 4 EStG; § 187 Abs. 2, § 188 Abs. 2 BGB",
        &["birth_date", "child"],
        || {
            (
                Value::MonthRange(paid_from, paid_until),
                match paid_until {
                    Some(until) => period(&messages::PERIOD_UNTIL, Some(until)),
                    None => period(&messages::PERIOD_NO_LIMIT, None),
                },
            )
        },
    );
}

#[cfg(test)]
mod tests {
    //! One test per rule; each names the rule and where the expected figure comes from.

    use serde_json::{Value, json};

    use super::*;
    use elternkit_model::parse_case;

    /// The table of Kinderbonus sums gives for every year what summing its months gives,
    /// before, inside and after the years with values.
    #[test]
    fn kinderbonus_table_equals_the_monthly_lookups() {
        for year in 1990..2070 {
            assert_eq!(kinderbonus_of(year), sum_kinderbonus(year), "{year}");
        }
        assert!(kinderbonus_of(2021).is_some());
        assert!(kinderbonus_of(2023).is_none());
    }

    /// The table of age limits gives exactly what looking them up gives, for every day from
    /// 2000 to 2035, and an error on the same days.
    #[test]
    fn age_limit_table_matches_direct_lookups_every_day() {
        let mut day = Date::new(2000, 1, 1).unwrap();
        let end = Date::new(2035, 12, 31).unwrap();
        let mut covered = 0;
        while day <= end {
            match (AgeLimits::at(day), AgeLimits::resolve(day)) {
                (Ok(table), Ok(direct)) => {
                    assert_eq!(table, direct, "{day}");
                    covered += 1;
                }
                (Err(table), Err(direct)) => assert_eq!(table, direct, "{day}"),
                (table, direct) => panic!("{day}: table {table:?}, direct {direct:?}"),
            }
            day = day.tomorrow().unwrap();
        }
        // All six are in force from 2012 (the hours limit) on.
        assert!(covered > 365 * 20, "{covered} days covered");
    }

    fn parent(id: &str) -> Value {
        json!({
            "id": id, "citizenship": "DE", "residence_title": null,
            "lives_in_germany": true, "lives_with_child": true, "cares_for_child": true,
            "tax": {"class": "IV", "church_tax": false},
            "activities_before_birth": [], "plan": []
        })
    }

    /// A valid case: one German parent, newborn born `birth`, evaluated on `today`, applied
    /// for on `today`.
    fn base(today: &str, birth: &str) -> Value {
        json!({
            "schema": "elternkit.case/1",
            "evaluation_date": today,
            "child": {"birth_date": birth, "count": 1},
            "siblings": [],
            "household": {"postal_code": "28195", "single_parent": true},
            "parents": [parent("p1")],
            "kindergeld": {"claimant": "p1", "application_date": today,
                           "claimant_has_tax_id": true, "child_has_tax_id": true}
        })
    }

    fn run(v: &Value) -> KindergeldResult {
        let case = parse_case(&v.to_string()).expect("valid case");
        compute(&case).expect("computes")
    }

    /// The rules under test, with every text of the result checked to be fully rendered.
    fn compute(case: &Case) -> Result<KindergeldResult, RulesError> {
        let result = super::compute(case);
        if let Ok(r) = &result {
            let json = serde_json::to_value(r).expect("serialises");
            let open = crate::explain::unrendered_placeholders(&json);
            assert!(open.is_empty(), "texts with a placeholder left: {open:?}");
        }
        result
    }

    fn sibling(birth: &str, flags: Value) -> Value {
        let mut s = json!({"birth_date": birth});
        if let (Some(s), Some(f)) = (s.as_object_mut(), flags.as_object()) {
            for (k, v) in f {
                s.insert(k.clone(), v.clone());
            }
        }
        s
    }

    /// The newborn (born 2026-02-01) plus one sibling, evaluated 2026-03-10.
    fn with_sibling(birth: &str, flags: Value) -> KindergeldChild {
        let mut v = base("2026-03-10", "2026-02-01");
        v["siblings"] = json!([sibling(birth, flags)]);
        let r = run(&v);
        assert_eq!(r.children.len(), 2);
        r.children[1].clone()
    }

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn codes(c: &KindergeldChild) -> Vec<&str> {
        c.reasons.iter().map(|r| r.code.as_ref()).collect()
    }

    #[test]
    fn amount_follows_the_payment_month() {
        // § 66 Abs. 1 EStG; RULES.md C1 / F kg.amount_eur: 250 (2023-2024), 255 (2025), 259 (2026-).
        for (today, birth, amount) in [
            ("2024-03-15", "2024-02-20", 250),
            ("2025-01-02", "2024-12-30", 255),
            ("2026-03-10", "2026-01-05", 259),
        ] {
            let c = &run(&base(today, birth)).children[0];
            assert!(c.eligible);
            assert_eq!(c.monthly_amount, Decimal::from(amount), "{today}");
        }
    }

    /// § 66 Abs. 1 EStG before 2023 (RULES.md C1): the amount by the child's order among all
    /// children that count, and the one-off Kinderbonus of § 66 Abs. 1 S. 2–4 EStG. By hand:
    /// newborn 2021-03-10 with siblings born 2015 and 2018, evaluated 2021-06-15: the siblings
    /// are the 1st and 2nd child (219 € each, 2021), the newborn the 3rd (225 €); each gets the
    /// 150 € bonus of 2021. A fourth child born 2022-05-02 (evaluated 2022-08-01) gets 250 € and
    /// the 100 € of 2022; a first child in 2020-11 gets 204 € and 200 + 100 = 300 €; a 2019-03
    /// first child 194 € and no bonus.
    #[test]
    fn amounts_by_order_and_kinderbonus_before_2023() {
        let mut v = base("2021-06-15", "2021-03-10");
        v["siblings"] = json!([
            sibling("2015-04-01", json!({})),
            sibling("2018-09-20", json!({}))
        ]);
        let r = run(&v);
        let amounts: Vec<Decimal> = r.children.iter().map(|c| c.monthly_amount).collect();
        assert_eq!(
            amounts,
            [Decimal::from(225), Decimal::from(219), Decimal::from(219)]
        );
        for c in &r.children {
            let bonus = c.one_off_bonus.expect("2021 has a bonus");
            assert_eq!((bonus.year, bonus.amount), (2021, Decimal::from(150)));
        }
        assert!(
            r.explanation
                .iter()
                .any(|s| s.rule == "kindergeld.kinderbonus")
        );
        let mut v = base("2022-08-01", "2022-05-02");
        v["siblings"] = json!([
            sibling("2012-01-15", json!({})),
            sibling("2015-04-01", json!({})),
            sibling("2018-09-20", json!({}))
        ]);
        let newborn = &run(&v).children[0];
        assert_eq!(newborn.monthly_amount, Decimal::from(250));
        assert_eq!(
            newborn.one_off_bonus.map(|b| b.amount),
            Some(Decimal::from(100))
        );
        let first = &run(&base("2020-11-15", "2020-10-01")).children[0];
        assert_eq!(first.monthly_amount, Decimal::from(204));
        assert_eq!(
            first.one_off_bonus.map(|b| b.amount),
            Some(Decimal::from(300))
        );
        let early = &run(&base("2019-03-15", "2019-03-01")).children[0];
        assert_eq!(early.monthly_amount, Decimal::from(194));
        assert_eq!(early.one_off_bonus, None);
        // From 2023 no bonus and one amount (the field stays absent in the JSON).
        let late = &run(&base("2024-03-15", "2024-02-20")).children[0];
        assert_eq!(late.one_off_bonus, None);
        let json = serde_json::to_value(late).unwrap();
        assert!(json.get("one_off_bonus").is_none());
    }

    /// A Zählkind counts for the order: a sibling for whom another person has priority still
    /// makes the newborn the 2nd child. Here a sibling over 25 in education does not count, so
    /// the newborn born 2021-03-10 next to it is the 1st child (219 €, same as the 2nd in 2021),
    /// and next to a counting sibling and a not-counting one the 2nd (219 €); the order only
    /// reaches 225 € with two counting older children (test above).
    #[test]
    fn children_that_do_not_count_take_no_place_in_the_order() {
        let mut v = base("2021-06-15", "2021-03-10");
        v["siblings"] = json!([
            sibling("1990-01-01", json!({"in_education": true})),
            sibling("2015-04-01", json!({}))
        ]);
        let r = run(&v);
        assert_eq!(r.children[0].monthly_amount, Decimal::from(219));
        assert!(!r.children[1].eligible);
    }

    #[test]
    fn under_18_always_counts_until_the_birthday_month() {
        // § 32 Abs. 3 EStG, § 66 Abs. 2 EStG; CASE_FORMAT.md example: born 2026-01-05 →
        // paid_from 2026-01, paid_until 2044-01 (month of the 18th birthday).
        let c = &run(&base("2026-03-10", "2026-01-05")).children[0];
        assert_eq!(c.paid_from, Some(ym("2026-01")));
        assert_eq!(c.paid_until, Some(ym("2044-01")));
        // A 17-year-old sibling with no flags at all still counts (§ 32 Abs. 3 EStG).
        let s = with_sibling("2008-06-15", json!({}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2026-06")));
    }

    #[test]
    fn born_on_the_first_ends_one_month_earlier() {
        // § 187 Abs. 2, § 188 Abs. 2 BGB (CASE_FORMAT.md): born 2026-02-01 completes 18 at the
        // end of 2044-01-31, so no day of 2044-02 is under 18: last month 2044-01.
        let c = &run(&base("2026-03-10", "2026-02-01")).children[0];
        assert_eq!(c.paid_until, Some(ym("2044-01")));
        let c = &run(&base("2026-03-10", "2026-02-02")).children[0];
        assert_eq!(c.paid_until, Some(ym("2044-02")));
        // The same rule at the 18th birthday of a sibling: born 2008-03-01 completes 18 at the
        // end of 2026-02-28 → not counted in 2026-03 without a ground of § 32 Abs. 4.
        let s = with_sibling("2008-03-01", json!({}));
        assert!(!s.eligible);
        assert_eq!(codes(&s), ["over_18_without_ground"]);
        // Born 2008-03-02: still 17 on 2026-03-01 → March counts (§ 66 Abs. 2 EStG).
        let s = with_sibling("2008-03-02", json!({}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2026-03")));
        // 29 February: birthday month February.
        assert_eq!(
            last_month_under(Date::constant(2008, 2, 29), 18),
            ym("2026-02")
        );
    }

    #[test]
    fn nr2a_education_until_25() {
        // § 32 Abs. 4 S. 1 Nr. 2 a EStG; public case kg/19-in-education; limit 25
        // (kg.age_max_conditional) → paid_until = month of the 25th birthday.
        let s = with_sibling("2006-09-15", json!({"in_education": true}));
        assert!(s.eligible);
        assert_eq!(s.monthly_amount, Decimal::from(259));
        assert_eq!(s.paid_until, Some(ym("2031-09")));
        assert_eq!(codes(&s), ["assumed_sibling_already_claimed"]);
        assert_eq!(s.months_lost, 0);
        assert_eq!(s.retroactive_from, None);
    }

    #[test]
    fn nr2b_transition_period() {
        // § 32 Abs. 4 S. 1 Nr. 2 b EStG; public case kg/23-transition-period. Born on the
        // 1st (2002-10-01) → last month under 25 is 2027-09 (§ 188 Abs. 2 BGB).
        let s = with_sibling("2002-10-01", json!({"transition_period": true}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2027-09")));
    }

    #[test]
    fn nr2c_no_training_place_and_nr2d_volunteer_service() {
        // § 32 Abs. 4 S. 1 Nr. 2 c and d EStG.
        let s = with_sibling("2007-01-20", json!({"no_training_place": true}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2032-01")));
        let s = with_sibling("2007-01-20", json!({"volunteer_service": true}));
        assert!(s.eligible);
    }

    #[test]
    fn nr2_ends_with_the_25th_birthday_month() {
        // § 32 Abs. 4 S. 1 Nr. 2 EStG; public case kg/25-in-education-too-old (25th birthday
        // 2025-11-20; in 2026-03 no longer counted).
        let s = with_sibling("2000-11-20", json!({"in_education": true}));
        assert!(!s.eligible);
        assert_eq!(s.monthly_amount, Decimal::ZERO);
        assert_eq!(codes(&s), ["over_age_limit_25"]);
        // Birthday in the evaluation month: the month still counts (§ 66 Abs. 2 EStG).
        let s = with_sibling("2001-03-20", json!({"in_education": true}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2026-03")));
    }

    #[test]
    fn nr1_registered_unemployed_until_21() {
        // § 32 Abs. 4 S. 1 Nr. 1 EStG; public case kg/20-registered-unemployed; limit 21.
        let s = with_sibling("2005-11-02", json!({"registered_unemployed": true}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, Some(ym("2026-11")));
        // 21 already (born 2005-01-10): no longer.
        let s = with_sibling("2005-01-10", json!({"registered_unemployed": true}));
        assert!(!s.eligible);
        assert_eq!(codes(&s), ["unemployed_over_21"]);
        // Hours while registered: assumed to be a Minijob, reported.
        let s = with_sibling(
            "2005-11-02",
            json!({"registered_unemployed": true, "weekly_work_hours": 8}),
        );
        assert!(s.eligible);
        assert!(codes(&s).contains(&"assumed_marginal_employment"));
    }

    #[test]
    fn nr3_disability_before_25_has_no_age_limit() {
        // § 32 Abs. 4 S. 1 Nr. 3 EStG; public case kg/30-disabled-before-25; the omitted
        // `disability_arose_before_25` defaults to true and is reported (CASE_FORMAT.md).
        let s = with_sibling("1995-06-12", json!({"disability": true}));
        assert!(s.eligible);
        assert_eq!(s.paid_until, None);
        assert!(codes(&s).contains(&"assumed_disability_arose_before_25"));
        // Stated explicitly: no assumption.
        let s = with_sibling(
            "1995-06-12",
            json!({"disability": true, "disability_arose_before_25": true}),
        );
        assert!(!codes(&s).contains(&"assumed_disability_arose_before_25"));
        // Arisen after 25: not counted.
        let s = with_sibling(
            "1990-06-12",
            json!({"disability": true, "disability_arose_before_25": false}),
        );
        assert!(!s.eligible);
        assert_eq!(codes(&s), ["disability_arose_after_25"]);
    }

    #[test]
    fn work_after_first_education_20_hours() {
        // § 32 Abs. 4 S. 2-3 EStG; kg.max_weekly_hours_after_first_education = 20; public case
        // kg/22-working-25h-after-first-education.
        let s = with_sibling(
            "2003-08-20",
            json!({"in_education": true, "first_education_completed": true, "weekly_work_hours": 25}),
        );
        assert!(!s.eligible);
        assert_eq!(codes(&s), ["employment_after_first_education"]);
        // Exactly 20 h is harmless ("bis zu 20 Stunden").
        let s = with_sibling(
            "2003-08-20",
            json!({"in_education": true, "first_education_completed": true, "weekly_work_hours": 20}),
        );
        assert!(s.eligible);
        // Before a first completed education the hours do not matter; the omitted flag is an
        // assumption (CASE_FORMAT.md: default false) and reported.
        let s = with_sibling(
            "2003-08-20",
            json!({"in_education": true, "weekly_work_hours": 25}),
        );
        assert!(s.eligible);
        assert!(codes(&s).contains(&"assumed_first_education_not_completed"));
    }

    #[test]
    fn retroactive_limit_across_a_year_boundary() {
        // § 70 Abs. 1 S. 2 EStG, kg.retroactive_months = 6 (RULES.md C5): application
        // 2026-02-10 reaches back to 2025-08; birth 2025-05-20 → months 2025-05..07 lost.
        let c = &run(&base("2026-02-10", "2025-05-20")).children[0];
        assert_eq!(c.retroactive_from, Some(ym("2025-08")));
        assert_eq!(c.payable_from, Some(ym("2025-08")));
        assert_eq!(c.paid_from, Some(ym("2025-05")));
        assert_eq!(c.months_lost, 3);
        // Amount of the evaluation month 2026-02: 259 (not the 255 of 2025).
        assert_eq!(c.monthly_amount, Decimal::from(259));
    }

    #[test]
    fn months_lost_public_case_and_nothing_lost_in_time() {
        // Public case kg/retroactive-6-months: birth 2025-03-14, application 2025-12-15 →
        // retroactive_from 2025-06, 3 months (03, 04, 05) lost.
        let c = &run(&base("2025-12-15", "2025-03-14")).children[0];
        assert_eq!(c.retroactive_from, Some(ym("2025-06")));
        assert_eq!(c.payable_from, Some(ym("2025-06")));
        assert_eq!(c.months_lost, 3);
        // Application within 6 months: payable from the birth month, nothing lost.
        let c = &run(&base("2025-09-30", "2025-03-14")).children[0];
        assert_eq!(c.retroactive_from, Some(ym("2025-03")));
        assert_eq!(c.payable_from, Some(ym("2025-03")));
        assert_eq!(c.months_lost, 0);
    }

    #[test]
    fn application_date_defaults_to_evaluation_date() {
        // CASE_FORMAT.md: application_date defaults to evaluation_date, reported as assumed_.
        let mut v = base("2025-12-15", "2025-03-14");
        v["kindergeld"]
            .as_object_mut()
            .unwrap()
            .remove("application_date");
        let r = run(&v);
        assert_eq!(r.children[0].retroactive_from, Some(ym("2025-06")));
        assert!(
            r.hints
                .iter()
                .any(|h| h.code == "assumed_application_on_evaluation_date")
        );
        // Without the claim block: first parent claims, reported.
        v.as_object_mut().unwrap().remove("kindergeld");
        let r = run(&v);
        assert!(r.children[0].eligible);
        assert!(
            r.hints
                .iter()
                .any(|h| h.code == "assumed_claimant_first_parent")
        );
    }

    #[test]
    fn multiples_give_identical_children() {
        // § 63 Abs. 1, § 66 Abs. 1 EStG: Kindergeld per child; twins (count 2) = 2 × 259 €.
        let mut v = base("2026-03-10", "2026-01-05");
        v["child"]["count"] = json!(3);
        let r = run(&v);
        assert_eq!(r.children.len(), 3);
        assert!(r.children.iter().all(|c| c == &r.children[0]));
        let total: Decimal = r.children.iter().map(|c| c.monthly_amount).sum();
        assert_eq!(total, Decimal::from(777));
    }

    #[test]
    fn section_64_hint_when_both_parents_live_with_the_child() {
        // § 64 Abs. 2 S. 2-3 EStG (RULES.md C4): the parents determine the Berechtigter.
        let mut v = base("2026-03-10", "2026-01-05");
        v["parents"] = json!([parent("p1"), parent("p2")]);
        let r = run(&v);
        assert!(r.hints.iter().any(|h| h.code == "berechtigtenbestimmung"));
        assert!(r.children[0].eligible);
        // Single parent household: no such hint.
        let r = run(&base("2026-03-10", "2026-01-05"));
        assert!(!r.hints.iter().any(|h| h.code == "berechtigtenbestimmung"));
    }

    /// § 64 Abs. 2 S. 1 EStG: Kindergeld goes to the entitled person who has the child in the
    /// household. A claimant without the child is not eligible (CASE_FORMAT: `eligible` is the
    /// claimant's own entitlement), for every child, and the reason names who has priority.
    #[test]
    fn section_64_claimant_without_the_child_is_not_eligible() {
        let mut v = base("2026-03-10", "2026-01-05");
        let mut away = parent("p1");
        away["lives_with_child"] = json!(false);
        v["parents"] = json!([away, parent("p2")]);
        v["siblings"] = json!([sibling("2020-05-05", json!({}))]);
        let r = run(&v);
        for c in &r.children {
            assert!(!c.eligible);
            assert_eq!(c.monthly_amount, Decimal::ZERO);
            assert_eq!(codes(c), ["priority_household_parent"]);
            let why = &c.reasons[0];
            assert_eq!(why.citation, "§ 64 Abs. 2 S. 1 EStG");
            assert!(
                why.message.get(elternkit_model::Lang::En).contains("p2"),
                "{why:?}"
            );
        }
        // The household parent is not entitled (no residence title): no one has priority
        // over the claimant, who keeps the claim.
        let mut home = parent("p2");
        home["citizenship"] = json!("US");
        let mut away = parent("p1");
        away["lives_with_child"] = json!(false);
        v["parents"] = json!([away, home]);
        let r = run(&v);
        assert!(r.children.iter().all(|c| c.eligible), "{:?}", r.children);
        // Nobody lives with the child: § 64 Abs. 3 (maintenance) stays a hint.
        let mut v = base("2026-03-10", "2026-01-05");
        v["parents"][0]["lives_with_child"] = json!(false);
        let r = run(&v);
        assert!(r.children[0].eligible);
        assert!(r.hints.iter().any(|h| h.code == "priority_maintenance"));
    }

    #[test]
    fn claimant_residence_and_tax_ids() {
        // § 62 Abs. 1 S. 1 Nr. 1 EStG: residence in Germany.
        let mut v = base("2026-03-10", "2026-01-05");
        v["parents"][0]["lives_in_germany"] = json!(false);
        let c = &run(&v).children[0];
        assert!(!c.eligible);
        assert_eq!(c.monthly_amount, Decimal::ZERO);
        assert_eq!(codes(c), ["claimant_not_resident"]);
        // § 62 Abs. 1 S. 2 EStG: the claimant's tax ID.
        let mut v = base("2026-03-10", "2026-01-05");
        v["kindergeld"]["claimant_has_tax_id"] = json!(false);
        assert_eq!(codes(&run(&v).children[0]), ["claimant_no_tax_id"]);
        // § 63 Abs. 1 S. 3 EStG: the child's tax ID (newborn only).
        let mut v = base("2026-03-10", "2026-01-05");
        v["kindergeld"]["child_has_tax_id"] = json!(false);
        v["siblings"] = json!([sibling("2020-05-05", json!({}))]);
        let r = run(&v);
        assert_eq!(codes(&r.children[0]), ["child_no_tax_id"]);
        assert!(r.children[1].eligible);
    }

    /// A case read without validation: the rules' own answer to what `parse_case` refuses.
    fn run_unvalidated(v: &Value) -> KindergeldResult {
        let case: Case = serde_json::from_value(v.clone()).expect("readable case");
        compute(&case).expect("computes")
    }

    #[test]
    fn residence_titles() {
        // § 62 Abs. 2 EStG as a lookup table (RULES.md C2, docs/RESIDENCE_TITLES.md).
        let check = |citizenship: &str, title: Option<&str>, employed: bool| {
            let mut v = base("2026-03-10", "2026-01-05");
            v["parents"][0]["citizenship"] = json!(citizenship);
            v["parents"][0]["residence_title"] = json!(title);
            if employed {
                v["parents"][0]["activities_before_birth"] = json!([{
                    "kind": "employed", "monthly_income": "2000.00", "months_active": vec![true; 12]
                }]);
            }
            run_unvalidated(&v).children[0].clone()
        };
        // EU/EEA/CH citizens are treated like Germans: no title needed.
        for c in ["FR", "PL", "NO", "CH", "LI"] {
            assert!(check(c, None, false).eligible, "{c}");
        }
        // Nr. 1 / Nr. 2: settlement permit, EU long-term residence, Blue Card, § 18b, § 24,
        // § 23 Abs. 1 for a reason other than war, and job search after a German degree
        // (§ 20 Abs. 3, Nr. 2 b) while employed.
        for t in [
            "niederlassungserlaubnis",
            "erlaubnis_zum_daueraufenthalt_eu",
            "blaue_karte_eu",
            "aufenthaltserlaubnis_18b",
            "aufenthaltserlaubnis_24",
            "aufenthaltserlaubnis_23_1_sonstige",
        ] {
            assert!(check("US", Some(t), false).eligible, "{t}");
        }
        assert!(check("US", Some("aufenthaltserlaubnis_20_3"), true).eligible);
        // Nr. 2 b: study (§ 16b) only while employed; no 15-month rule, so only the
        // missing employment is assumed.
        let c = check("IN", Some("aufenthaltserlaubnis_16b"), false);
        assert!(!c.eligible);
        assert_eq!(
            codes(&c),
            [
                "residence_title_requires_employment",
                "assumed_not_employed"
            ]
        );
        assert!(check("IN", Some("aufenthaltserlaubnis_16b"), true).eligible);
        // Nr. 2 c with Nr. 3: humanitarian titles only with employment / Elternzeit / SGB III.
        for t in [
            "aufenthaltserlaubnis_23_1_krieg",
            "aufenthaltserlaubnis_25_3",
        ] {
            assert!(!check("SY", Some(t), false).eligible, "{t}");
            let c = check("SY", Some(t), true);
            assert!(c.eligible, "{t}");
            assert!(codes(&c).contains(&"assumed_employment_or_parental_leave"));
        }
        // Nr. 2 a: job search of skilled workers (§ 20 Abs. 1, 2; the Chancenkarte of § 20a)
        // never; a Duldung is no title.
        for t in [
            "aufenthaltserlaubnis_20_1_2",
            "chancenkarte_20a_5_1",
            "duldung",
        ] {
            assert!(!check("TR", Some(t), true).eligible, "{t}");
        }
        // Missing title: not eligible, with a clear reason. An unknown one is an input error
        // (model validation); a case built without validation is still refused, not guessed.
        assert_eq!(
            codes(&check("US", None, false)),
            ["residence_title_missing"]
        );
        assert_eq!(
            codes(&check("US", Some("touristenvisum"), true)),
            ["residence_title_unknown"]
        );
        // Case and blanks do not matter.
        assert!(check("US", Some(" Niederlassungserlaubnis "), false).eligible);
    }

    /// § 62 Abs. 2 Nr. 3 and Nr. 4 EStG for a humanitarian title (§ 25 Abs. 3 AufenthG):
    /// employment (a Minijob too), Elternzeit or SGB III benefits entitle, and so do 15 months
    /// of permitted stay; where `current_status` or `in_germany_since` is missing and decides,
    /// the refusal says what was assumed.
    #[test]
    fn humanitarian_title_status_stay_and_assumptions() {
        let check = |status: Option<&str>, since: Option<&str>, minijob_before: bool| {
            let mut v = base("2026-03-10", "2026-01-05");
            v["parents"][0]["citizenship"] = json!("SY");
            v["parents"][0]["residence_title"] = json!("aufenthaltserlaubnis_25_3");
            if let Some(s) = status {
                v["parents"][0]["current_status"] = json!(s);
            }
            if let Some(s) = since {
                v["parents"][0]["in_germany_since"] = json!(s);
            }
            if minijob_before {
                v["parents"][0]["activities_before_birth"] = json!([{
                    "kind": "minijob", "monthly_income": "400.00", "months_active": vec![true; 12]
                }]);
            }
            run(&v).children[0].clone()
        };
        // Nr. 3: every status but "none" entitles, without an assumption.
        for s in ["employed", "minijob", "parental_leave", "sgb3_benefit"] {
            let c = check(Some(s), None, false);
            assert!(c.eligible && codes(&c).is_empty(), "{s}: {:?}", codes(&c));
        }
        // A Minijob before the birth is employment: assumed to continue (no minimum extent).
        let c = check(None, None, true);
        assert!(c.eligible);
        assert_eq!(codes(&c), ["assumed_employment_or_parental_leave"]);
        // Nr. 4: 15 months of stay on the reference day (2026-03-10) entitle without work.
        assert!(check(Some("none"), Some("2024-12-10"), false).eligible);
        let c = check(Some("none"), Some("2024-12-11"), false);
        assert!(!c.eligible);
        assert_eq!(codes(&c), ["residence_title_requires_employment"]);
        // Both missing: refused, and both assumptions are named.
        let c = check(None, None, false);
        assert!(!c.eligible);
        assert_eq!(
            codes(&c),
            [
                "residence_title_requires_employment",
                "assumed_not_employed",
                "assumed_stay_under_15_months"
            ]
        );
        assert_eq!(c.reasons[2].citation, "§ 62 Abs. 2 Nr. 4 EStG");
    }

    /// § 62 Abs. 2 EStG before 2022-06-01: § 24 AufenthG was a Nr. 2 c title (needing
    /// employment or 15 months); from June 2022 it entitles by itself (G v. 23.05.2022). The
    /// amounts of 2022 are not in the parameters, so the claimant test is asked directly.
    #[test]
    fn section_24_before_and_after_june_2022() {
        let mut v = base("2026-03-10", "2026-01-05");
        v["parents"][0]["citizenship"] = json!("UA");
        v["parents"][0]["residence_title"] = json!("aufenthaltserlaubnis_24");
        v["parents"][0]["in_germany_since"] = json!("2022-03-01");
        let case = parse_case(&v.to_string()).expect("valid case");
        let p = &case.parents[0];
        let may = claimant_status(p, true, Date::constant(2022, 5, 31), Some(15));
        assert!(!may.eligible);
        assert_eq!(
            may.reasons
                .iter()
                .map(|r| r.code.as_ref())
                .collect::<Vec<_>>(),
            [
                "residence_title_requires_employment",
                "assumed_not_employed"
            ]
        );
        let june = claimant_status(p, true, Date::constant(2022, 6, 1), Some(15));
        assert!(june.eligible && june.reasons.is_empty(), "{june:?}");
        assert!(june.citation.contains("BGBl. I S. 760"));
    }

    /// § 32 Abs. 4 S. 3 EStG: after a first education a Minijob is harmless whatever its hours;
    /// other work only up to 20 hours.
    #[test]
    fn sibling_minijob_is_harmless_whatever_its_hours() {
        let with = |minijob: bool| {
            with_sibling(
                "2004-05-05",
                json!({"in_education": true, "first_education_completed": true,
                       "weekly_work_hours": 25, "minijob": minijob}),
            )
        };
        assert!(!with(false).eligible);
        let c = with(true);
        assert!(c.eligible, "{:?}", codes(&c));
        assert!(!codes(&c).contains(&"employment_after_first_education"));
    }

    #[test]
    fn other_parent_hint_when_claimant_not_eligible() {
        // § 62, § 64 EStG: if the claimant is not entitled but the other parent is, say so.
        let mut v = base("2026-03-10", "2026-01-05");
        let mut p1 = parent("p1");
        p1["citizenship"] = json!("US");
        v["parents"] = json!([p1, parent("p2")]);
        let r = run(&v);
        assert!(!r.children[0].eligible);
        assert!(r.hints.iter().any(|h| h.code == "other_parent_may_claim"));
    }

    #[test]
    fn expected_birth_is_computed_for_the_birth_month() {
        // § 66 Abs. 2 EStG: entitlement from the month of birth; the amount of that month.
        let c = &run(&base("2025-12-10", "2026-02-20")).children[0];
        assert!(c.eligible);
        assert_eq!(c.monthly_amount, Decimal::from(259));
        assert_eq!(c.payable_from, Some(ym("2026-02")));
        assert_eq!(c.months_lost, 0);
        assert!(codes(c).contains(&"birth_expected"));
    }

    #[test]
    fn every_figure_has_an_explanation_step() {
        let r = run(&base("2026-03-10", "2026-01-05"));
        let rules: Vec<&str> = r.explanation.iter().map(|s| s.rule.as_ref()).collect();
        assert_eq!(
            rules,
            [
                "kindergeld.anspruchsberechtigt",
                "kindergeld.kind_beruecksichtigt",
                "kindergeld.betrag",
                "kindergeld.zeitraum",
                "kindergeld.rueckwirkung"
            ]
        );
        assert!(
            r.explanation.iter().all(|s| !s.citation.is_empty()
                && !s.text.de().is_empty()
                && !s.text.en().is_empty())
        );
        assert_eq!(r.explanation[2].output.render(), "259.00");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let case = parse_case(&base("2026-03-10", "2026-01-05").to_string()).unwrap();
        let mut bad = case.clone();
        bad.child.count = 0;
        assert!(matches!(compute(&bad), Err(RulesError::Unsupported { .. })));
        let mut bad = case.clone();
        bad.parents.clear();
        assert!(matches!(compute(&bad), Err(RulesError::Unsupported { .. })));
        let mut bad = case.clone();
        if let Some(k) = bad.kindergeld.as_mut() {
            k.claimant = "p9".into();
        }
        assert!(matches!(compute(&bad), Err(RulesError::Unsupported { .. })));
        // Before the parameters: a typed parameter error.
        let mut old = case;
        old.evaluation_date = Date::constant(2016, 1, 1);
        old.child.birth_date = Date::constant(2015, 12, 1);
        if let Some(k) = old.kindergeld.as_mut() {
            k.application_date = Some(Date::constant(2016, 1, 1));
        }
        assert!(matches!(compute(&old), Err(RulesError::Param(_))));
    }
}
