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

use crate::params::{At, ParamError, params};

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

/// The first birth day for which § 1 Abs. 7 S. 1 Nr. 2 BEEG reads in the wording of the
/// skilled-immigration reform (Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung v.
/// 16.08.2023, BGBl. 2023 I Nr. 217): Nr. 2 a names § 20a Abs. 5 S. 1 AufenthG, Nr. 2 b names
/// § 20 and § 20a Abs. 5 S. 2 AufenthG. The day is that on which § 20a AufenthG (Chancenkarte)
/// came into force (Art. 3 of that law); the BEEG article's own date was not read in the
/// Bundesgesetzblatt (see docs/RESIDENCE_TITLES.md).
pub const FACHKRAEFTE_REFORM_FROM: Date = Date::constant(2024, 6, 1);

/// § 62 Abs. 2 EStG and § 1 Abs. 7 S. 1 BEEG (as in force since 2020-03-01, § 24 AufenthG
/// taken out of Nr. 2 c from 2022-06-01, § 20 and § 20a AufenthG split anew in the BEEG from
/// 2024-06-01) as a lookup table, in the order of the statute.
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
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 20 AufenthG (job search; before 2024-06-01 § 20 Abs. 3)",
    ),
    // § 20a Abs. 5 S. 2 AufenthG: Nr. 2 b of the BEEG since the skilled-immigration reform. The
    // EStG's Nr. 2 b still names § 20 Abs. 3 only; Kindergeld is read in parallel (unverified).
    title(
        "chancenkarte_20a_5_2",
        "opportunity card under § 20a Abs. 5 S. 2 (job search or recognition of qualifications, from 2024-06-01)",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG, read in parallel to § 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 20a Abs. 5 S. 2 AufenthG (Chancenkarte)",
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 20a Abs. 5 S. 2 AufenthG (Chancenkarte)",
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
    // § 20 AufenthG: Nr. 2 a of the EStG (wording unchanged), Nr. 2 b of the BEEG for births
    // from 2024-06-01 ("nach § 20 … zur Suche nach einer Erwerbstätigkeit").
    ResidenceTitle {
        beeg_status: EligibleIfEmployed,
        beeg_citation: "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG (births from 2024-06-01); § 20 AufenthG (job search)",
        earlier: Some(Earlier {
            from: FACHKRAEFTE_REFORM_FROM,
            status: NotEligible,
            citation: "§ 62 Abs. 2 Nr. 2 a EStG; § 20 Abs. 1, 2 AufenthG (job search)",
            beeg_status: NotEligible,
            beeg_citation: "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG (births until 2024-05-31); § 20 Abs. 1, 2 AufenthG (job search)",
            humanitarian: false,
        }),
        ..title(
            "aufenthaltserlaubnis_20_1_2",
            "job search of a skilled worker (§ 20 Abs. 1, 2 in the wording until 2024-05-31)",
            NotEligible,
            "§ 62 Abs. 2 Nr. 2 a EStG; § 20 Abs. 1, 2 AufenthG (job search)",
            "",
        )
    },
    // § 20a Abs. 5 S. 1 AufenthG: Nr. 2 a of the BEEG. The EStG's Nr. 2 a still names § 20
    // Abs. 1, 2 only; Kindergeld is read in parallel (unverified).
    title(
        "chancenkarte_20a_5_1",
        "opportunity card under § 20a Abs. 5 S. 1 (job search or recognition of qualifications, from 2024-06-01)",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG, read in parallel to § 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 20a Abs. 5 S. 1 AufenthG (Chancenkarte)",
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 20a Abs. 5 S. 1 AufenthG (Chancenkarte)",
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

/// The minimum stay of Nr. 4 (`kg.humanitarian_min_stay_months`,
/// `eg.humanitarian_min_stay_months`) in force at `at`. `None` only where the parameter has
/// no value for that date although it has values for others (before the rule existed: no
/// stay entitles); any other parameter error, an unknown key included, is the caller's, not a
/// silent "never".
pub fn humanitarian_min_stay(key: &str, at: At) -> Result<Option<u32>, ParamError> {
    match params().whole(key, at) {
        Ok((months, _)) => Ok(Some(months)),
        Err(ParamError::NotCovered {
            covered: Some(_), ..
        }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The condition of Nr. 2 b / Nr. 3 / Nr. 4 (§ 62 Abs. 2 EStG, § 1 Abs. 7 S. 1 BEEG) for a
/// parent on `on`, with `min_stay_months` of stay for a humanitarian title (`None`: the stay
/// rule is not in force). Facts given in the case decide first; only where they are missing
/// is anything assumed.
pub fn employment_condition(
    p: &Parent,
    rule: &TitleRule,
    on: Date,
    min_stay_months: Option<u32>,
) -> ConditionOutcome {
    if let Some(status) = p.current_status
        && status.entitles_with_title()
    {
        return ConditionOutcome::MetByStatus(status);
    }
    let stay_met = rule.humanitarian
        && match (min_stay_months, p.in_germany_since) {
            (Some(months), Some(since)) => since
                .checked_add(i64::from(months).months())
                .is_ok_and(|done| done <= on),
            _ => false,
        };
    if stay_met {
        return ConditionOutcome::MetByStay;
    }
    if p.current_status.is_none() && employment_evidence(p) {
        return ConditionOutcome::AssumedEmployed;
    }
    ConditionOutcome::NotMet {
        assumed_not_employed: p.current_status.is_none(),
        // Only where the stay rule is in force does the missing date decide anything.
        assumed_short_stay: rule.humanitarian
            && min_stay_months.is_some()
            && p.in_germany_since.is_none(),
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
         the nearest ids. Where the law splits an AufenthG paragraph (§ 20, § 20a Abs. 5, § 23\n\
         Abs. 1) the ids are split too.\n\n\
         The skilled-immigration reform (G v. 16.08.2023, BGBl. 2023 I Nr. 217) rewrote § 1 Abs. 7\n\
         S. 1 Nr. 2 BEEG: Nr. 2 a names § 20a Abs. 5 S. 1 AufenthG, Nr. 2 b names § 20 and § 20a\n\
         Abs. 5 S. 2 AufenthG. The table applies this to births from 2024-06-01, the day § 20a\n\
         AufenthG came into force; the BEEG article's own date was not read in the\n\
         Bundesgesetzblatt. § 62 Abs. 2 EStG (text as amended up to 27.03.2024, read in a\n\
         mirror of gesetze-im-internet) still names § 20 Abs. 1, 2 (Nr. 2 a) and § 20 Abs. 3\n\
         (Nr. 2 b) and no § 20a: Kindergeld keeps that reading for `aufenthaltserlaubnis_20_*`,\n\
         and reads the two `chancenkarte_20a_5_*` ids in parallel to the BEEG (not confirmed by\n\
         the EStG's letter).\n\n\
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
            // The laws differ only where the BEEG took up the skilled-immigration reform.
            if t.name != "aufenthaltserlaubnis_20_1_2" {
                assert_eq!(t.status, t.beeg_status, "{}", t.name);
            }
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

    /// § 1 Abs. 7 S. 1 Nr. 2 BEEG after the skilled-immigration reform: § 20 AufenthG and
    /// § 20a Abs. 5 S. 2 AufenthG under Nr. 2 b (entitling with employment, Elternzeit or SGB
    /// III), § 20a Abs. 5 S. 1 under Nr. 2 a (never), for births from 2024-06-01; § 62 Abs. 2
    /// Nr. 2 a EStG still names § 20 Abs. 1, 2.
    #[test]
    fn skilled_immigration_reform_split() {
        let may = Date::constant(2024, 5, 31);
        let june = FACHKRAEFTE_REFORM_FROM;
        let job_search = residence_title("aufenthaltserlaubnis_20_1_2").expect("row exists");
        assert_eq!(job_search.elterngeld_on(may).status, NotEligible);
        assert!(
            job_search
                .elterngeld_on(may)
                .citation
                .contains("Nr. 2 a BEEG")
        );
        assert_eq!(job_search.elterngeld_on(june).status, EligibleIfEmployed);
        assert!(
            job_search
                .elterngeld_on(june)
                .citation
                .contains("Nr. 2 b BEEG")
        );
        for day in [may, june] {
            assert_eq!(job_search.kindergeld_on(day).status, NotEligible, "{day}");
        }
        let after_study = residence_title("aufenthaltserlaubnis_20_3").expect("row exists");
        assert_eq!(after_study.elterngeld_on(june).status, EligibleIfEmployed);
        let s1 = residence_title("chancenkarte_20a_5_1").expect("row exists");
        let s2 = residence_title("chancenkarte_20a_5_2").expect("row exists");
        for rule in [s1.elterngeld_on(june), s1.kindergeld_on(june)] {
            assert_eq!(rule.status, NotEligible);
            assert!(rule.citation.contains("§ 20a Abs. 5 S. 1 AufenthG"));
        }
        for rule in [s2.elterngeld_on(june), s2.kindergeld_on(june)] {
            assert_eq!(rule.status, EligibleIfEmployed);
            assert!(rule.citation.contains("§ 20a Abs. 5 S. 2 AufenthG"));
        }
        // The old undivided id is gone; the nearest ids name both sentences.
        assert!(residence_title("chancenkarte_20a").is_none());
        let nearest = elternkit_model::residence::nearest_residence_titles("chancenkarte_20a");
        assert!(
            nearest.contains(&"chancenkarte_20a_5_1") && nearest.contains(&"chancenkarte_20a_5_2")
        );
    }

    /// Only "no value for this date" means "no minimum stay"; the value itself where covered.
    #[test]
    fn min_stay_lookup_separates_not_covered_from_other_errors() {
        let kg = |d: Date| {
            humanitarian_min_stay(
                "kg.humanitarian_min_stay_months",
                At::PaymentMonth(elternkit_model::YearMonth::of(d)),
            )
        };
        assert_eq!(kg(Date::constant(2026, 1, 1)), Ok(Some(15)));
        assert_eq!(kg(Date::constant(2019, 1, 1)), Ok(None));
        let eg =
            |d: Date| humanitarian_min_stay("eg.humanitarian_min_stay_months", At::BirthDate(d));
        assert_eq!(eg(Date::constant(2020, 3, 1)), Ok(Some(15)));
        assert_eq!(eg(Date::constant(2020, 2, 29)), Ok(None));
        // A lookup by the wrong kind of date is an error, not "no minimum".
        assert!(matches!(
            humanitarian_min_stay("kg.humanitarian_min_stay_months", At::BirthDate(Date::constant(2026, 1, 1))),
            Err(ref e) if !matches!(e, ParamError::NotCovered { .. })
        ));
        // An unknown key is reported, too, not read as "no minimum".
        assert!(
            humanitarian_min_stay("kg.no_such_key", At::BirthDate(Date::constant(2026, 1, 1)))
                .is_err()
        );
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
