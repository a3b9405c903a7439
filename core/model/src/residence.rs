//! The vocabulary of `parents[].residence_title`: the ids a case may use. What each id means
//! in law (§ 1 Abs. 7 BEEG, § 62 Abs. 2 EStG) is the rules' table
//! (`elternkit_rules::residence::RESIDENCE_TITLES`, published in `docs/RESIDENCE_TITLES.md`);
//! a test there keeps the two lists equal. The list lives here so that an unknown id is an
//! input error wherever a case is read, with the nearest ids as suggestions.

/// Every accepted id, in the order of the statute (`docs/RESIDENCE_TITLES.md`).
pub const RESIDENCE_TITLE_IDS: &[&str] = &[
    "niederlassungserlaubnis",
    "erlaubnis_zum_daueraufenthalt_eu",
    "blaue_karte_eu",
    "ict_karte",
    "mobiler_ict_karte",
    "aufenthaltserlaubnis_18a",
    "aufenthaltserlaubnis_18b",
    "aufenthaltserlaubnis_18d",
    "aufenthaltserlaubnis_19c",
    "aufenthaltserlaubnis_21",
    "aufenthaltserlaubnis_23_1_sonstige",
    "aufenthaltserlaubnis_25_1",
    "aufenthaltserlaubnis_25_2",
    "aufenthaltserlaubnis_28",
    "aufenthaltserlaubnis_30",
    "aufenthaltserlaubnis_32",
    "aufenthaltserlaubnis_36",
    "aufenthaltserlaubnis_24",
    "beschaeftigungsduldung",
    "aufenthaltserlaubnis_16b",
    "aufenthaltserlaubnis_16d",
    "aufenthaltserlaubnis_20_3",
    "chancenkarte_20a_5_2",
    "aufenthaltserlaubnis_23_1_krieg",
    "aufenthaltserlaubnis_23a",
    "aufenthaltserlaubnis_25_3",
    "aufenthaltserlaubnis_25_4",
    "aufenthaltserlaubnis_25_5",
    "aufenthaltserlaubnis_16e",
    "aufenthaltserlaubnis_19c_au_pair",
    "aufenthaltserlaubnis_19c_saison",
    "aufenthaltserlaubnis_19e",
    "aufenthaltserlaubnis_20_1_2",
    "chancenkarte_20a_5_1",
    "duldung",
    "aufenthaltsgestattung",
];

/// The accepted id that `given` names (case-insensitive, surrounding blanks ignored).
pub fn known_residence_title(given: &str) -> Option<&'static str> {
    let given = given.trim();
    RESIDENCE_TITLE_IDS
        .iter()
        .copied()
        .find(|id| id.eq_ignore_ascii_case(given))
}

/// Up to three accepted ids nearest to `given`: first those that begin with it (a title whose
/// paragraph the law splits, e.g. `aufenthaltserlaubnis_23_1`), then by edit distance.
pub fn nearest_residence_titles(given: &str) -> Vec<&'static str> {
    let given = given.trim().to_ascii_lowercase();
    let mut ranked: Vec<(bool, usize, &'static str)> = RESIDENCE_TITLE_IDS
        .iter()
        .map(|id| (!id.starts_with(&given), edit_distance(&given, id), *id))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().take(3).map(|(_, _, id)| id).collect()
}

/// Levenshtein distance over bytes (the ids are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_lowercase_ascii() {
        let mut ids = RESIDENCE_TITLE_IDS.to_vec();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RESIDENCE_TITLE_IDS.len());
        assert!(ids.iter().all(|id| {
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }));
    }

    #[test]
    fn known_ids_ignore_case_and_blanks() {
        assert_eq!(
            known_residence_title(" Niederlassungserlaubnis "),
            Some("niederlassungserlaubnis")
        );
        assert_eq!(known_residence_title("visum"), None);
    }

    #[test]
    fn a_split_paragraph_suggests_its_parts_first() {
        // § 23 Abs. 1 AufenthG: war in the home country (Nr. 2 c) or another ground.
        let near = nearest_residence_titles("aufenthaltserlaubnis_23_1");
        assert_eq!(
            near[..2],
            [
                "aufenthaltserlaubnis_23_1_krieg",
                "aufenthaltserlaubnis_23_1_sonstige"
            ]
        );
        // A typo finds its id.
        assert_eq!(
            nearest_residence_titles("niederlasungserlaubnis")[0],
            "niederlassungserlaubnis"
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
