//! Residence titles of non-EU/EEA/Swiss parents: § 62 Abs. 2 EStG (Kindergeld) and
//! § 1 Abs. 7 BEEG (Elterngeld), one lookup table from the AufenthG paragraph to the status.
//! The two lists share their structure; where they differ (§ 24 AufenthG since 2022-06-01)
//! the row says so.

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
    /// Only while the person is lawfully employed, on parental leave (§ 15 BEEG) or drawing
    /// SGB III benefits (§ 62 Abs. 2 Nr. 2 b, Nr. 3 EStG; § 1 Abs. 7 S. 1 Nr. 2 b, Nr. 3 BEEG).
    EligibleIfEmployed,
    /// Never entitles.
    NotEligible,
}

/// One row of the residence-title table: § 62 Abs. 2 EStG (Kindergeld) and § 1 Abs. 7 BEEG
/// (Elterngeld) list the titles in the same structure, so one table serves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidenceTitle {
    /// The string used in `parents[].residence_title`.
    pub name: &'static str,
    /// Kindergeld, § 62 Abs. 2 EStG.
    pub status: TitleStatus,
    pub citation: &'static str,
    /// Elterngeld, § 1 Abs. 7 BEEG.
    pub beeg_status: TitleStatus,
    pub beeg_citation: &'static str,
}

const fn title(
    name: &'static str,
    status: TitleStatus,
    citation: &'static str,
    beeg_status: TitleStatus,
    beeg_citation: &'static str,
) -> ResidenceTitle {
    ResidenceTitle {
        name,
        status,
        citation,
        beeg_status,
        beeg_citation,
    }
}

use TitleStatus::{Eligible, EligibleIfEmployed, NotEligible};

/// § 62 Abs. 2 EStG (as in force since 2020-03-01, § 24 AufenthG taken out of Nr. 2 c from
/// 2022-06-01) as a lookup table. A title not listed is not eligible, with a reason asking
/// the user to check it with the Familienkasse.
pub const RESIDENCE_TITLES: &[ResidenceTitle] = &[
    // Nr. 1: settlement permits.
    title(
        "niederlassungserlaubnis",
        Eligible,
        "§ 62 Abs. 2 Nr. 1 EStG; § 9 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 1 BEEG; § 9 AufenthG",
    ),
    title(
        "erlaubnis_zum_daueraufenthalt_eu",
        Eligible,
        "§ 62 Abs. 2 Nr. 1 EStG; § 9a AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 1 BEEG; § 9a AufenthG",
    ),
    // Nr. 2: Blue Card, ICT cards and residence permits allowing employment for ≥ 6 months.
    title(
        "blaue_karte_eu",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18g AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18g AufenthG",
    ),
    title(
        "ict_karte",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19 AufenthG",
    ),
    title(
        "mobiler_ict_karte",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19b AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18a",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18a AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18a AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18b",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18b AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_18d",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 18d AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 18d AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 19c Abs. 1, 2 AufenthG (employment other than au pair or seasonal work)",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 19c Abs. 1, 2 AufenthG (employment other than au pair or seasonal work)",
    ),
    title(
        "aufenthaltserlaubnis_21",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 21 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 21 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_1",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 25 Abs. 1 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 25 Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_2",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 25 Abs. 2 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 25 Abs. 2 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_28",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 28 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 28 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_30",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 30 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 30 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_32",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 32 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 32 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_36",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG; § 36 AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 BEEG; § 36 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_24",
        Eligible,
        "§ 62 Abs. 2 Nr. 2 EStG (§ 24 AufenthG removed from Nr. 2 c by Art. 11 G v. 23.05.2022, BGBl. I S. 760)",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 24 AufenthG (RULES.md A3; no change for the BEEG recorded there)",
    ),
    // Nr. 5: Beschäftigungsduldung.
    title(
        "beschaeftigungsduldung",
        Eligible,
        "§ 62 Abs. 2 Nr. 5 EStG; § 60d AufenthG",
        Eligible,
        "§ 1 Abs. 7 S. 1 Nr. 5 BEEG; § 60d AufenthG",
    ),
    // Nr. 2 b: study, recognition of qualifications: only while employed / Elternzeit / SGB III.
    title(
        "aufenthaltserlaubnis_16b",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG; § 16b AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 16b AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_16d",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 b EStG; § 16d AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 b BEEG; § 16d AufenthG",
    ),
    // Nr. 2 c with Nr. 3 (or Nr. 4: 15 months' stay): humanitarian titles.
    title(
        "aufenthaltserlaubnis_23_1",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3 EStG; § 23 Abs. 1 AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 23 Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_23a",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3 EStG; § 23a AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 23a AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_3",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3 EStG; § 25 Abs. 3 AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 25 Abs. 3 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_4",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3 EStG; § 25 Abs. 4 AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 25 Abs. 4 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_25_5",
        EligibleIfEmployed,
        "§ 62 Abs. 2 Nr. 2 c, Nr. 3 EStG; § 25 Abs. 5 AufenthG",
        EligibleIfEmployed,
        "§ 1 Abs. 7 S. 1 Nr. 2 c, Nr. 3 BEEG; § 25 Abs. 5 AufenthG",
    ),
    // Nr. 2 a: training internships, au-pair/seasonal work, volunteer service, job search.
    title(
        "aufenthaltserlaubnis_16e",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 16e AufenthG",
        NotEligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 16e AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c_au_pair",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19c Abs. 1 AufenthG",
        NotEligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19c Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19c_saison",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19c Abs. 1 AufenthG",
        NotEligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19c Abs. 1 AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_19e",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 19e AufenthG",
        NotEligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 19e AufenthG",
    ),
    title(
        "aufenthaltserlaubnis_20",
        NotEligible,
        "§ 62 Abs. 2 Nr. 2 a EStG; § 20 AufenthG",
        NotEligible,
        "§ 1 Abs. 7 S. 1 Nr. 2 a BEEG; § 20 AufenthG",
    ),
    // No residence title at all.
    title(
        "duldung",
        NotEligible,
        "§ 62 Abs. 2 EStG; § 60a AufenthG (no residence title)",
        NotEligible,
        "§ 1 Abs. 7 S. 1 BEEG; § 60a AufenthG (no residence title)",
    ),
    title(
        "aufenthaltsgestattung",
        NotEligible,
        "§ 62 Abs. 2 EStG; § 55 AsylG (no residence title)",
        NotEligible,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row cites both laws and the AufenthG paragraph, and the two laws differ only
    /// where the row says so (§ 24 AufenthG).
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
            if t.name != "aufenthaltserlaubnis_24" {
                assert_eq!(t.status, t.beeg_status, "{}", t.name);
            }
        }
        assert_eq!(
            residence_title(" Niederlassungserlaubnis ").map(|t| t.beeg_status),
            Some(TitleStatus::Eligible)
        );
        assert!(residence_title("visum").is_none());
        assert!(has_free_movement("PL") && has_free_movement("CH") && !has_free_movement("TR"));
    }
}
