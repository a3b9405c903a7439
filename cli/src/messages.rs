//! The command line's own texts (headings, labels, statuses), German and English: one
//! catalogue, as the rules and the bundle have, so `--lang` gives one language per run.

use elternkit_model::Template;

pub const ABOUT_THE_CASE: Template = Template {
    de: "Zum Fall:",
    en: "About the case:",
};
pub const AS_OF: Template = Template {
    de: "Stand:",
    en: "As of:",
};
pub const STANDESAMT_BIRTH_REGISTRATION_NAME_CERTIFICATES: Template = Template {
    de: "Standesamt (Geburtsbeurkundung, Name, Urkunden)",
    en: "Standesamt (birth registration, name, certificates)",
};
pub const FAMILIENKASSE_KINDERGELD: Template = Template {
    de: "Familienkasse (Kindergeld)",
    en: "Familienkasse (Kindergeld)",
};
pub const ELTERNGELDSTELLE_ELTERNGELD: Template = Template {
    de: "Elterngeldstelle (Elterngeld)",
    en: "Elterngeldstelle (Elterngeld)",
};
pub const READY_TO_SEND: Template = Template {
    de: "BEREIT zum Senden",
    en: "READY to send",
};
pub const WAITING: Template = Template {
    de: "wartet",
    en: "waiting",
};
pub const INCOMPLETE: Template = Template {
    de: "unvollständig",
    en: "incomplete",
};
pub const APPLICANTS: Template = Template {
    de: "Antragsteller:",
    en: "Applicants:",
};
pub const DEVELOPMENT_DIRECTORY_OFFICE_NOT_VERIFIED: Template = Template {
    de: "(Entwicklungsverzeichnis, Stelle nicht geprüft)",
    en: "(development directory, office not verified)",
};
pub const NOT_DETERMINED_YET: Template = Template {
    de: "noch nicht bestimmt",
    en: "not determined yet",
};
pub const OFFICE: Template = Template {
    de: "Stelle:",
    en: "Office:",
};
pub const A_MONTH: Template = Template {
    de: "€ im Monat",
    en: "€ a month",
};
pub const IN_TOTAL: Template = Template {
    de: "€ insgesamt",
    en: "€ in total",
};
pub const ONCE_THE_CHILD_S_TAX: Template = Template {
    de: " (sobald die Steuer-ID des Kindes da ist)",
    en: " (once the child's tax ID is there)",
};
pub const NOT_ENTITLED_UNDER_THE_RULES: Template = Template {
    de: " (nach den Regeln kein Anspruch)",
    en: " (not entitled under the rules)",
};
pub const AMOUNT: Template = Template {
    de: "Betrag:",
    en: "Amount:",
};
pub const WAITS_FOR: Template = Template {
    de: "wartet auf:",
    en: "waits for:",
};
pub const DATA: Template = Template {
    de: "Angaben:",
    en: "Data:",
};
pub const PRESENT: Template = Template {
    de: "vorhanden",
    en: "present",
};
pub const TO_BE_FETCHED: Template = Template {
    de: "werden abgerufen",
    en: "to be fetched",
};
pub const FETCHED_ELECTRONICALLY: Template = Template {
    de: " — wird elektronisch abgerufen",
    en: " — fetched electronically",
};
pub const OR_CONSENT_INSTEAD_OF_UPLOADING: Template = Template {
    de: " — oder statt Upload einwilligen:",
    en: " — or consent instead of uploading:",
};
pub const OPTIONAL: Template = Template {
    de: " (freiwillig)",
    en: " (optional)",
};
pub const PASSED: Template = Template {
    de: " (verstrichen)",
    en: " (passed)",
};
pub const DEADLINE: Template = Template {
    de: "Frist",
    en: "Deadline",
};
pub const SEND_BY: Template = Template {
    de: "senden bis",
    en: "send by",
};
pub const REMINDER: Template = Template {
    de: "Erinnerung",
    en: "reminder",
};
pub const ERROR_AT: Template = Template {
    de: "Fehler bei",
    en: "error at",
};
pub const NET_BEFORE_BIRTH: Template = Template {
    de: "Netto vor der Geburt",
    en: "net before birth",
};
pub const RATE: Template = Template {
    de: "Ersatzrate",
    en: "rate",
};
pub const TOTAL: Template = Template {
    de: "zusammen",
    en: "total",
};
pub const PLAN_PROBLEM: Template = Template {
    de: "Problem im Plan:",
    en: "plan problem:",
};
pub const PLAN_NOT_PAYABLE: Template = Template {
    de: "kein auszahlbarer Betrag: der Monatsplan verstößt gegen § 4 BEEG (Zeilen oben); erst ein berichtigter Plan ergibt einen Betrag",
    en: "no payable amount: the month plan breaks § 4 BEEG (lines above); only a corrected plan gives an amount",
};
pub const NO_ELTERNGELD: Template = Template {
    de: "—", en: "—"
};
pub const PLAN_VALID: Template = Template {
    de: "Der Plan erfüllt § 4 BEEG.",
    en: "The plan meets § 4 BEEG.",
};
pub const PLAN_FIX: Template = Template {
    de: "Vorschlag:",
    en: "fix:",
};
pub const BEST_PLAN: Template = Template {
    de: "Bester Plan",
    en: "Best plan",
};
pub const ALTERNATIVE: Template = Template {
    de: "Alternative",
    en: "Alternative",
};
pub const SEARCH_SPACE: Template = Template {
    de: "Suchraum (Pläne)",
    en: "search space (plans)",
};
pub const SEARCH_NODES: Template = Template {
    de: "Teilpläne besucht",
    en: "partial plans visited",
};
pub const SEARCH_LEAVES: Template = Template {
    de: "vollständige Pläne geprüft",
    en: "complete plans checked",
};
pub const CHILD_BORN: Template = Template {
    de: "Kind geboren am",
    en: "child born",
};
pub const ELIGIBLE: Template = Template {
    de: "berechtigt,",
    en: "eligible,",
};
pub const NOT_ELIGIBLE: Template = Template {
    de: "nicht berechtigt,",
    en: "not eligible,",
};
pub const MONTH: Template = Template {
    de: "Monat",
    en: "month",
};
pub const FROM: Template = Template {
    de: "ab",
    en: "from",
};
pub const HINT: Template = Template {
    de: "Hinweis:",
    en: "hint:",
};
pub const APPLICATIONS_ELTERNKIT_BUNDLE: Template = Template {
    de: "Anträge (elternkit bundle)",
    en: "Applications (elternkit bundle)",
};

pub const DEMO_TITLE: Template = Template {
    de: "Demo: ein Paar in Bremen, zweites Kind geboren am",
    en: "Demo: a couple in Bremen, second child born",
};
pub const OPTIONAL_EMPTY: Template = Template {
    de: "freiwillig, nicht angegeben",
    en: "optional, not given",
};
pub const FIELD_MISSING: Template = Template {
    de: "fehlt",
    en: "missing",
};
pub const FIELD_INVALID: Template = Template {
    de: "ungültig",
    en: "invalid",
};
pub const FIELD_AWAITED: Template = Template {
    de: "kommt später (siehe „wartet auf“)",
    en: "comes later (see “waits for”)",
};
pub const LEGEND: Template = Template {
    de: "Zeichen: ✓ vorhanden oder erteilt · ✗ fehlt, nötig · ↑ hochzuladen · ○ freiwillig, offen · … kommt später · ⏰ Frist · ! Problem im Fall · • Hinweis",
    en: "Symbols: ✓ present or given · ✗ missing, needed · ↑ to upload · ○ optional, open · … comes later · ⏰ deadline · ! problem with the case · • note",
};
pub const CASES_WITH_ERRORS: Template = Template {
    de: "Fällen mit Fehlern",
    en: "case(s) with errors",
};
pub const OF: Template = Template {
    de: "von",
    en: "of",
};
pub const LINE: Template = Template {
    de: "Zeile",
    en: "line",
};
pub const LINES: Template = Template {
    de: "Zeilen",
    en: "lines",
};
pub const PROGRESS_CASES: Template = Template {
    de: "Fälle",
    en: "cases",
};
pub const PROGRESS_PER_SECOND: Template = Template {
    de: "Fälle/s",
    en: "cases/s",
};
pub const MATERNITY_BENEFIT: Template = Template {
    de: "Mutterschaftsleistungen",
    en: "Mutterschaftsleistungen (maternity benefit)",
};

/// Every entry, for the test that each is whole in both languages.
#[cfg(test)]
const ALL: &[&Template] = &[
    &ABOUT_THE_CASE,
    &AS_OF,
    &STANDESAMT_BIRTH_REGISTRATION_NAME_CERTIFICATES,
    &FAMILIENKASSE_KINDERGELD,
    &ELTERNGELDSTELLE_ELTERNGELD,
    &READY_TO_SEND,
    &WAITING,
    &INCOMPLETE,
    &APPLICANTS,
    &DEVELOPMENT_DIRECTORY_OFFICE_NOT_VERIFIED,
    &NOT_DETERMINED_YET,
    &OFFICE,
    &A_MONTH,
    &IN_TOTAL,
    &ONCE_THE_CHILD_S_TAX,
    &NOT_ENTITLED_UNDER_THE_RULES,
    &AMOUNT,
    &WAITS_FOR,
    &DATA,
    &PRESENT,
    &TO_BE_FETCHED,
    &FETCHED_ELECTRONICALLY,
    &OR_CONSENT_INSTEAD_OF_UPLOADING,
    &OPTIONAL,
    &PASSED,
    &DEADLINE,
    &SEND_BY,
    &REMINDER,
    &ERROR_AT,
    &NET_BEFORE_BIRTH,
    &RATE,
    &TOTAL,
    &PLAN_PROBLEM,
    &PLAN_NOT_PAYABLE,
    &NO_ELTERNGELD,
    &PLAN_VALID,
    &PLAN_FIX,
    &BEST_PLAN,
    &ALTERNATIVE,
    &SEARCH_SPACE,
    &SEARCH_NODES,
    &SEARCH_LEAVES,
    &CHILD_BORN,
    &ELIGIBLE,
    &NOT_ELIGIBLE,
    &MONTH,
    &FROM,
    &HINT,
    &APPLICATIONS_ELTERNKIT_BUNDLE,
    &DEMO_TITLE,
    &OPTIONAL_EMPTY,
    &FIELD_MISSING,
    &FIELD_INVALID,
    &FIELD_AWAITED,
    &LEGEND,
    &CASES_WITH_ERRORS,
    &OF,
    &LINE,
    &LINES,
    &PROGRESS_CASES,
    &PROGRESS_PER_SECOND,
    &MATERNITY_BENEFIT,
    &SUBMIT_HEADING,
    &SUBMIT_RELAY,
    &SUBMIT_DRAFT_SAVED,
    &SUBMIT_UPLOADED,
    &SUBMIT_FILED,
    &SUBMIT_RECEIPT,
    &SUBMIT_AGENCY_ACCEPTED,
    &SUBMIT_STATUS_HEADING,
    &SUBMIT_STATUS_ACCEPTED,
    &SUBMIT_EVENTS_VERIFIED,
];

// `elternkit demo`: the submission part (feature `submit`; the ALL list's test checks them
// in every build).
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_HEADING: Template = Template {
    de: "Einreichen (FSP/1 über ein eingebettetes Relay auf 127.0.0.1, Schlüssel nur für diesen Lauf)",
    en: "Submitting (FSP/1 through an embedded relay on 127.0.0.1, keys made for this run only)",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_RELAY: Template = Template {
    de: "Relay:",
    en: "Relay:",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_DRAFT_SAVED: Template = Template {
    de: "Entwurf verschlüsselt gespeichert, Geräteschlüssel",
    en: "Draft saved encrypted, device key",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_UPLOADED: Template = Template {
    de: "Fehlendes Dokument hochgeladen (Platzhalter-PDF):",
    en: "Missing document uploaded (stand-in PDF):",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_FILED: Template = Template {
    de: "eingegangen am",
    en: "received on",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_RECEIPT: Template = Template {
    de: "Eingangsquittung des Relays (signiert, geprüft),",
    en: "Relay receipt (signed, verified),",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_AGENCY_ACCEPTED: Template = Template {
    de: "Stelle hat geöffnet, geprüft, nachgerechnet und angenommen, Aktenzeichen",
    en: "Office opened, verified, re-computed and accepted it, case number",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_STATUS_HEADING: Template = Template {
    de: "Stand der Anträge (aus den geprüften Ereignissen)",
    en: "Status of the applications (from the verified events)",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_STATUS_ACCEPTED: Template = Template {
    de: "angenommen, Aktenzeichen",
    en: "accepted, case number",
};
#[cfg_attr(not(feature = "submit"), allow(dead_code))]
pub const SUBMIT_EVENTS_VERIFIED: Template = Template {
    de: "geprüfte Ereignisse:",
    en: "verified events:",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry has a German and an English text, without placeholders left open, and
    /// the two differ wherever the words differ between the languages.
    #[test]
    fn every_entry_is_whole_in_both_languages() {
        assert!(ALL.len() > 30);
        for m in ALL {
            for text in [m.de, m.en] {
                assert!(!text.trim().is_empty(), "{m:?}");
                assert!(!text.contains('{') && !text.contains('}'), "{m:?}");
            }
        }
    }
}
