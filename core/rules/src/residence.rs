//! Residence titles of non-EU/EEA/Swiss parents: § 62 Abs. 2 EStG (Kindergeld) and
//! § 1 Abs. 7 BEEG (Elterngeld), one lookup table from the AufenthG paragraph to the status,
//! and the test of the conditions some titles add (employment, Elternzeit, SGB III benefits,
//! 15 months' stay), shared by both benefits. The two lists share their structure; where they
//! differed (§ 24 AufenthG until 2022-05-31) the row says so.
//!
//! The ids are the vocabulary of `parents[].residence_title`
//! ([`elternkit_model::residence::RESIDENCE_TITLE_IDS`]); [`vocabulary_markdown`] renders this
//! table as `docs/RESIDENCE_TITLES.md`, and a test keeps the page, the model's list and the
//! table equal.

use jiff::ToSpan;
use jiff::civil::Date;
use rust_decimal::Decimal;

use elternkit_model::{CurrentStatus, Parent};

/// ISO 3166-1 alpha-2 codes of the EU (27), EEA (IS, LI, NO) and Switzerland: citizens are
/// freizügigkeitsberechtigt (FreizügG/EU; EEA Agreement; EU–CH Agreement on the Free Movement
/// of Persons) and are not subject to § 62 Abs. 2 EStG, i.e. they are treated like Germans.
pub const FREE_MOVEMENT_COUNTRIES: [&str; 31] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", // EU
    "IS", "LI", "NO", // EEA
    "CH",
];

/// What § 62 Abs. 2 EStG or § 1 Abs. 7 BEEG makes of a residence title of a non-EU/EEA/CH citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleStatus {
    /// The title entitles by itself.
    Eligible,
    /// Only while the person is lawfully employed (a Minijob included), on parental leave
    /// (§ 15 BEEG) or drawing SGB III benefits (§ 62 Abs. 2 Nr. 2 b, Nr. 3 EStG; § 1 Abs. 7
    /// S. 1 Nr. 2 b, Nr. 3 BEEG); for a humanitarian title (Nr. 2 c) also after 15 months'
    /// stay (Nr. 4), see [`ResidenceTitle::humanitarian`].
    EligibleIfEmployed,
    /// Never entitles.
    NotEligible,
}

impl TitleStatus {
    fn describe(self) -> &'static str {
        match self {
            TitleStatus::Eligible => "entitles",
            TitleStatus::EligibleIfEmployed => "only with employment, Elternzeit or SGB III",
            TitleStatus::NotEligible => "does not entitle",
        }
    }
}

/// How a row read before a change of the law: until the day before `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earlier {
    /// The first day of the row's current reading.
    pub from: Date,
    pub status: TitleStatus,
    pub citation: &'static str,
    pub beeg_status: TitleStatus,
    pub beeg_citation: &'static str,
    pub humanitarian: bool,
}

/// One row of the residence-title table: § 62 Abs. 2 EStG (Kindergeld) and § 1 Abs. 7 BEEG
/// (Elterngeld) list the titles in the same structure, so one table serves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidenceTitle {
    /// The id used in `parents[].residence_title`.
    pub name: &'static str,
    /// What the title is, in a few words (English), for the documentation.
    pub description: &'static str,
    /// Kindergeld, § 62 Abs. 2 EStG, as in force now.
    pub status: TitleStatus,
    pub citation: &'static str,
    /// Elterngeld, § 1 Abs. 7 BEEG, as in force now.
    pub beeg_status: TitleStatus,
    pub beeg_citation: &'static str,
    /// A Nr. 2 c title (humanitarian): besides employment, Elternzeit or SGB III benefits
    /// (Nr. 3), 15 months of permitted, allowed or tolerated stay entitle (Nr. 4).
    pub humanitarian: bool,
    /// The reading before a change of the law, if the row changed.
    pub earlier: Option<Earlier>,
}

/// What a row says for one benefit on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TitleRule {
    pub name: &'static str,
    pub status: TitleStatus,
    pub citation: &'static str,
    pub humanitarian: bool,
}

impl ResidenceTitle {
    /// Kindergeld (§ 62 Abs. 2 EStG) for a month starting on or containing `on`.
    pub fn kindergeld_on(&self, on: Date) -> TitleRule {
        match self.earlier {
            Some(e) if on < e.from => self.rule(e.status, e.citation, e.humanitarian),
            _ => self.rule(self.status, self.citation, self.humanitarian),
        }
    }

    /// Elterngeld (§ 1 Abs. 7 BEEG) for a child born on `birth`.
    pub fn elterngeld_on(&self, birth: Date) -> TitleRule {
        match self.earlier {
            Some(e) if birth < e.from => self.rule(e.beeg_status, e.beeg_citation, e.humanitarian),
            _ => self.rule(self.beeg_status, self.beeg_citation, self.humanitarian),
        }
    }

    fn rule(&self, status: TitleStatus, citation: &'static str, humanitarian: bool) -> TitleRule {
        TitleRule {
            name: self.name,
            status,
            citation,
            humanitarian,
        }
    }
}

/// A row whose two laws agree and have not changed.
const fn title(
    name: &'static str,
    description: &'static str,
    status: TitleStatus,
    citation: &'static str,
    beeg_citation: &'static str,
) -> ResidenceTitle {
    ResidenceTitle {
        name,
        description,
        status,
        citation,
        beeg_status: status,
        beeg_citation,
        humanitarian: false,
        earlier: None,
    }
}

/// A humanitarian row of Nr. 2 c (with Nr. 3 and Nr. 4).
const fn humanitarian(
    name: &'static str,
    description: &'static str,
    citation: &'static str,
    beeg_citation: &'static str,
) -> ResidenceTitle {
    ResidenceTitle {
        humanitarian: true,
        ..title(
            name,
            description,
            EligibleIfEmployed,
            citation,
            beeg_citation,
        )
    }
}

use TitleStatus::{Eligible, EligibleIfEmployed, NotEligible};

/// The day from which § 24 AufenthG (temporary protection) is no longer a Nr. 2 c title: the
/// law of 23.05.2022 on the Sofortzuschlag (BGBl. I S. 760) took it out of § 62 Abs. 2 Nr. 2 c
/// EStG and § 1 Abs. 7 S. 1 Nr. 2 c BEEG from 2022-06-01.
pub const SECTION_24_ENTITLES_FROM: Date = Date::constant(2022, 6, 1);

/// § 62 Abs. 2 EStG and § 1 Abs. 7 S. 1 BEEG (as in force since 2020-03-01, § 24 AufenthG
/// taken out of Nr. 2 c from 2022-06-01) as a lookup table, in the order of the statute.
pub const RESIDENCE_TITLES: &[ResidenceTitle] = &[
    // Nr. 1: settlement permits.
    title(
        "niederlassungserlaubnis",
        "settlement permit",
        Eligible,
        "§ 62 Abs. 2 Nr. 1 EStG; § 9 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 1 BEEG; § 9 AufenthG",
    ),
    title(
        "erlaubnis_zum_daueraufenthalt_eu",
        "EU long-term residence permit",
        Eligible,
        "§ 62 Abs. 2 Nr. 1 EStG; § 9a AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 1 BEEG; § 9a AufenthG",
    ),
    // Nr. 2: Blue Card, ICT cards and residence permits allowing employment for ≥ 6 months.
    title(
        "blaue_karte_eu",
        "EU Blue Card",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18g AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18g AufenthG",
    ),
    title(
        "ict_karte",
        "ICT card (intra-corporate transfer)",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19 AufenthG",
    ),
    title(
        "mobiler_ict_karte",
        "mobile ICT card",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19b AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18a",
        "skilled worker with vocational training",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18a AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18a AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18b",
        "skilled worker with an academic degree",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18b AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18d",
        "research",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18d AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18d AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c",
        "other employment (not au pair or seasonal work)",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19c Abs. 1, 2 AufenthG (employment other than au pair or seasonal work)",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19c Abs. 1, 2 AufenthG (employment other than au pair or seasonal work)",
    ),
    title(
        "aufenthaltserlaubnis_21",
        "self-employment",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 21 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 21 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_23_1_sonstige",
        "admission by a Land for a reason other than a war in the home country",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 23 Abs. 1 AufenthG (not because of a war in the home country: not in Nr. 2 c)",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 23 Abs. 1 AufenthG (not because of a war in the home country: not in Nr. 2 c)",
    ),
    title(
        "aufenthaltserlaubnis_25_1",
        "recognised asylum seeker",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 25 Abs. 1 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 25 Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_2",
        "refugee or subsidiary protection",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 25 Abs. 2 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 25 Abs. 2 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_28",
        "family reunion with a German",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 28 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 28 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_30",
        "spouse reunion",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 30 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 30 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_32",
        "child reunion",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 32 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 32 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_36",
        "reunion of parents and other relatives",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 36 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 36 AufenthG",
    ),
    ResidenceTitle {
        earlier: Some(Earlier {
            from: SECTION_24_ENTITLES_FROM,
            status: EligibleIfEmployed,
            citation: "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG (until 2022-05-31); § 24 AufenthG",
            beeg_status: EligibleIfEmployed,
            beeg_citation: "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG (until 2022-05-31); § 24 AufenthG",
            humanitarian: true,
        }),
        ..title(
            "aufenthaltserlaubnis_24",
            "temporary protection (e.g. refugees from Ukraine)",
            Eligible,
            "§ 62 Abs. 2 Nr. 2 EStG; § 24 AufenthG (taken out of Nr. 2 c from 2022-06-01 by G v. 23.05.2022, BGBl. I S. 760)",
            "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 24 AufenthG (taken out of Nr. 2 c from 2022-06-01 by G v. 23.05.2022, BGBl. I S. 760)",
        )
    },
    // Nr. 5: Beschäftigungsduldung.
    title(
        "beschaeftigungsduldung",
        "toleration for employment",
        Eligible,
        "§ 62 Abs. 2 Nr. 5 EStG; § 60d AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 5 BEEG; § 60d AufenthG",
    ),
    // Nr. 2 b: study, recognition of qualifications, job search after a German degree:
    // only while employed / Elternzeit / SGB III.
    title(
        "aufenthaltserlaubnis_16b",
        "study",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG; § 16b AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 16b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_16d",
        "recognition of foreign professional qualifications",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG; § 16d AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 16d AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_20_3",
        "job search after a degree, research or training in Germany",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG; § 20 Abs. 3 AufenthG (job search after a degree, research or training in Germany)",
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 20 Abs. 3 AufenthG (job search after a degree, research or training in Germany)",
    ),
    // Nr. 2 c with Nr. 3 or Nr. 4 (15 months' stay): humanitarian titles.
    humanitarian(
        "aufenthaltserlaubnis_23_1_krieg",
        "admission by a Land because of a war in the home country",
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG; § 23 Abs. 1 AufenthG (war in the home country)",
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG; § 23 Abs. 1 AufenthG (war in the home country)",
    ),
    humanitarian(
        "aufenthaltserlaubnis_23a",
        "hardship case",
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG; § 23a AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG; § 23a AufenthG",
    ),
    humanitarian(
        "aufenthaltserlaubnis_25_3",
        "ban on deportation",
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG; § 25 Abs. 3 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG; § 25 Abs. 3 AufenthG",
    ),
    humanitarian(
        "aufenthaltserlaubnis_25_4",
        "temporary stay for urgent humanitarian or personal reasons",
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG; § 25 Abs. 4 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG; § 25 Abs. 4 AufenthG",
    ),
    humanitarian(
        "aufenthaltserlaubnis_25_5",
        "departure impossible",
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3, Nr. 4 EStG; § 25 Abs. 5 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3, Nr. 4 BEEG; § 25 Abs. 5 AufenthG",
    ),
    // Nr. 2 a: training internships, au-pair/seasonal work, volunteer service, job search.
    title(
        "aufenthaltserlaubnis_16e",
        "study-related internship (EU)",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 16e AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 16e AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c_au_pair",
        "au pair",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19c Abs. 1 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19c Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c_saison",
        "seasonal work",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19c Abs. 1 AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19c Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19e",
        "European voluntary service",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19e AufenthG",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19e AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_20_1_2",
        "job search of a skilled worker (§ 20 Abs. 1, 2 in the wording until 2024-05-31)",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 20 Abs. 1, 2 AufenthG (job search)",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 20 Abs. 1, 2 AufenthG (job search)",
    ),
    title(
        "chancenkarte_20a",
        "opportunity card for job search (Chancenkarte, from 2024-06-01)",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 20a AufenthG (Chancenkarte: job search, successor of § 20 Abs. 1, 2)",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 20a AufenthG (Chancenkarte: job search, successor of § 20 Abs. 1, 2)",
    ),
    // No residence title at all.
    title(
        "duldung",
        "toleration (no residence title)",
        NotEligible,
        "§ 62 Abs. 2 EStG; § 60a AufenthG (no residence title)",
        "§ 1 Abs. 7 S. 1 BEEG; § 60a AufenthG (no residence title)",
    ),
    title(
        "aufenthaltsgestattung",
        "permission to stay during the asylum procedure (no residence title)",
        NotEligible,
        "§ 62 Abs. 2 EStG; § 55 AsylG (no residence title)",
        "§ 1 Abs. 7 S. 1 BEEG; § 55 AsylG (no residence title)",
    ),
];

/// The table row of a title string (case-insensitive, surrounding blanks ignored).
pub fn residence_title(name: &str) -> Option<&'static ResidenceTitle> {
    let name = name.trim();
    RESIDENCE_TITLES
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// Whether a citizenship (ISO alpha-2) is German or EU/EEA/Swiss.
pub fn has_free_movement(citizenship: &str) -> bool {
    FREE_MOVEMENT_COUNTRIES.contains(&citizenship)
}

/// Evidence in the case that a parent works or rests an employment during Elternzeit: any
/// activity before the birth (a Minijob included), or income or hours after it. One reading
/// for both benefits: "berechtigt erwerbstätig" (§ 1 Abs. 7 S. 1 Nr. 3 BEEG, § 62 Abs. 2 Nr. 3
/// EStG) names no minimum extent.
pub fn employment_evidence(p: &Parent) -> bool {
    p.activities_before_birth
        .iter()
        .any(|a| a.months_active.iter().any(|m| *m))
        || p.gross_income_after_birth
            .as_ref()
            .is_some_and(|v| v.iter().any(|m| m.0 > Decimal::ZERO))
        || p.weekly_hours_after_birth
            .as_ref()
            .is_some_and(|v| v.iter().any(|h| *h > Decimal::ZERO))
}

/// What the condition of an [`TitleStatus::EligibleIfEmployed`] title comes to for a parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOutcome {
    /// `current_status` is employment (a Minijob included), Elternzeit or SGB III benefits.
    MetByStatus(CurrentStatus),
    /// A humanitarian title held with 15 months' stay (Nr. 4), by `in_germany_since`.
    MetByStay,
    /// `current_status` not given, but the case shows employment: assumed to continue or to
    /// rest during Elternzeit (an `assumed_*` reason).
    AssumedEmployed,
    /// Not met. `assumed_not_employed`: `current_status` was not given (and the case shows
    /// no employment), so "none" was assumed; `assumed_short_stay`: a humanitarian title
    /// without `in_germany_since`, so a stay under 15 months was assumed.
    NotMet {
        assumed_not_employed: bool,
        assumed_short_stay: bool,
    },
}

/// The condition of Nr. 2 b / Nr. 3 / Nr. 4 (§ 62 Abs. 2 EStG, § 1 Abs. 7 S. 1 BEEG) for a
/// parent on `on`, with `min_stay_months` of stay for a humanitarian title. Facts given in the
/// case decide first; only where they are missing is anything assumed.
pub fn employment_condition(
    p: &Parent,
    rule: &TitleRule,
    on: Date,
    min_stay_months: u32,
) -> ConditionOutcome {
    if let Some(status) = p.current_status
        && status.entitles_with_title()
    {
        return ConditionOutcome::MetByStatus(status);
    }
    let stay_met = rule.humanitarian
        && p.in_germany_since.is_some_and(|since| {
            since
                .checked_add(i64::from(min_stay_months).months())
                .is_ok_and(|done| done <= on)
        });
    if stay_met {
        return ConditionOutcome::MetByStay;
    }
    if p.current_status.is_none() && employment_evidence(p) {
        return ConditionOutcome::AssumedEmployed;
    }
    ConditionOutcome::NotMet {
        assumed_not_employed: p.current_status.is_none(),
        assumed_short_stay: rule.humanitarian && p.in_germany_since.is_none(),
    }
}

/// `docs/RESIDENCE_TITLES.md`: the vocabulary with the statute each id follows, rendered
/// from [`RESIDENCE_TITLES`] (a test compares the page with this text).
pub fn vocabulary_markdown() -> String {
    let mut out = String::from(
        "# Residence titles (`parents[].residence_title`)\n\n\
         Generated from `core/rules/src/residence.rs` (`RESIDENCE_TITLES`); the test\n\
         `residence_titles_doc_is_current` fails when this page and the table differ. Regenerate\n\
         with `ELTERNKIT_WRITE_DOCS=1 cargo test -p elternkit-rules residence_titles_doc`.\n\n\
         Citizens of the EU, the EEA and Switzerland need no title (they are treated like\n\
         Germans). Any other parent gives one of these ids (case does not matter); an unknown id\n\
         is an input error (`unknown_residence_title` at `parents[i].residence_title`) that names\n\
         the nearest ids. Where the law splits an AufenthG paragraph (§ 20, § 23 Abs. 1) the ids\n\
         are split too.\n\n\
         \"only with employment, Elternzeit or SGB III\": the parent is lawfully employed (a\n\
         Minijob counts: the statutes name no minimum extent), on Elternzeit (§ 15 BEEG) or draws\n\
         ongoing SGB III benefits (`current_status`). For a humanitarian title (Nr. 2 c,\n\
         \"15 months\" below) 15 months of permitted, allowed or tolerated stay in Germany\n\
         (`in_germany_since`) entitle as well (§ 62 Abs. 2 Nr. 4 EStG, § 1 Abs. 7 S. 1 Nr. 4 BEEG).\n\
         Where these fields are missing and decide the outcome, the result says what was assumed\n\
         (`assumed_*` reasons).\n\n\
         | id | title | Kindergeld (§ 62 Abs. 2 EStG) | Elterngeld (§ 1 Abs. 7 BEEG) | 15 months | earlier reading |\n\
         |---|---|---|---|---|---|\n",
    );
    for t in RESIDENCE_TITLES {
        let earlier = match t.earlier {
            Some(e) => format!(
                "until {}: Kindergeld {}, Elterngeld {} ({})",
                e.from.yesterday().unwrap_or(e.from),
                e.status.describe(),
                e.beeg_status.describe(),
                e.beeg_citation
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {}: {} | {}: {} | {} | {} |\n",
            t.name,
            t.description,
            t.status.describe(),
            t.citation,
            t.beeg_status.describe(),
            t.beeg_citation,
            if t.humanitarian { "yes" } else { "" },
            earlier
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row cites both laws and the AufenthG paragraph, and the two laws agree (they
    /// differed only for § 24 AufenthG until 2022-05-31, the row's earlier reading).
    #[test]
    fn table_is_complete_and_consistent() {
        let mut names: Vec<&str> = RESIDENCE_TITLES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RESIDENCE_TITLES.len(), "duplicate title names");
        for t in RESIDENCE_TITLES {
            assert!(t.citation.contains("EStG"), "{}", t.name);
            assert!(t.beeg_citation.contains("BEEG"), "{}", t.name);
            let aufenthg = |c: &str| c.contains("AufenthG") || c.contains("AsylG");
            assert!(
                aufenthg(t.citation) && aufenthg(t.beeg_citation),
                "{}",
                t.name
            );
            assert_eq!(t.status, t.beeg_status, "{}", t.name);
            // Nr. 4 (15 months) exists only for Nr. 2 c titles, which need employment.
            assert!(
                !t.humanitarian || t.status == EligibleIfEmployed,
                "{}",
                t.name
            );
            assert_eq!(
                t.humanitarian,
                t.citation.contains("Nr. 2 c, Nr. 3, Nr. 4"),
                "{}: Nr. 2 c rows are the humanitarian ones",
                t.name
            );
        }
        assert_eq!(
            residence_title(" Niederlassungserlaubnis ").map(|t| t.beeg_status),
            Some(TitleStatus::Eligible)
        );
        assert!(residence_title("visum").is_none());
        assert!(has_free_movement("PL") && has_free_movement("CH") && !has_free_movement("TR"));
    }

    /// The model's vocabulary (what a case may say) is exactly this table's ids, in order.
    #[test]
    fn vocabulary_matches_the_model() {
        let ids: Vec<&str> = RESIDENCE_TITLES.iter().map(|t| t.name).collect();
        assert_eq!(ids, elternkit_model::residence::RESIDENCE_TITLE_IDS);
    }

    /// § 24 AufenthG: a Nr. 2 c title until 2022-05-31, entitling by itself from 2022-06-01
    /// (G v. 23.05.2022, BGBl. I S. 760), for both benefits.
    #[test]
    fn section_24_changes_on_2022_06_01() {
        let t = residence_title("aufenthaltserlaubnis_24").expect("row exists");
        let may = Date::constant(2022, 5, 31);
        let june = Date::constant(2022, 6, 1);
        for rule in [t.kindergeld_on(may), t.elterngeld_on(may)] {
            assert_eq!(rule.status, EligibleIfEmployed);
            assert!(rule.humanitarian);
        }
        for rule in [t.kindergeld_on(june), t.elterngeld_on(june)] {
            assert_eq!(rule.status, Eligible);
            assert!(rule.citation.contains("BGBl. I S. 760"));
        }
    }

    /// docs/RESIDENCE_TITLES.md is this table rendered: the page cannot drift from the code.
    #[test]
    fn residence_titles_doc_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/RESIDENCE_TITLES.md"
        );
        let want = vocabulary_markdown();
        if std::env::var_os("ELTERNKIT_WRITE_DOCS").is_some() {
            std::fs::write(path, &want).expect("docs/RESIDENCE_TITLES.md is writable");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/RESIDENCE_TITLES.md differs from RESIDENCE_TITLES; regenerate with \
             ELTERNKIT_WRITE_DOCS=1 cargo test -p elternkit-rules residence_titles_doc"
        );
        for t in RESIDENCE_TITLES {
            assert!(have.contains(&format!("| `{}` |", t.name)), "{}", t.name);
        }
    }
}
