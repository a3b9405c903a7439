//! The message catalogue of the bundle: every finding, field label, document reason, consent
//! purpose, dependency and deadline text, German and English, with `{name}` placeholders for
//! the arguments the builders record. Routing has its own (`routing/messages.rs`).

use elternkit_model::Template;

catalogue! {
    // Case-level findings.
    COULD_NOT_COMPUTE:
        "Berechnung nicht möglich: {message}",
        "Could not compute: {message}";
    NO_APPLICATION_DATA:
        "Noch keine Antragsdaten (Namen, Anschriften, Steuer-IDs, Konto, Einwilligungen) erfasst.",
        "No application data yet (names, addresses, tax IDs, account, consents).";
    SOURCE_FOR_UNKNOWN_FIELD:
        "Quelle für „{path}“ angegeben, aber kein Antrag fragt dieses Feld ab",
        "A source is recorded for \"{path}\", but no application asks for that field";
    ROUTING_FAILED:
        "Zuständige Stelle nicht ermittelbar: {error}",
        "Competent office could not be determined: {error}";
    OFFICE_PENDING_STANDESAMT:
        "Zuständig ist das Standesamt des Geburtsorts; es steht fest, sobald der Geburtsort (mit Postleitzahl) eingetragen ist.",
        "The Standesamt of the birth place is competent; it is known once the birth place (with postcode) is entered.";
    OFFICE_PENDING_RESIDENCE:
        "Die zuständige Stelle ergibt sich aus der Wohnanschrift.",
        "The competent office follows from the home address.";
    /// A reason of the rules, with its legal basis.
    WITH_CITATION:
        "{text} ({citation})",
        "{text} ({citation})";

    // Fields.
    FETCH_WITHOUT_CONSENT:
        "{label}: Abruf ohne gültige Einwilligung ({consent})",
        "{label}: fetched without a consent in force ({consent})";
    MISSING:
        "Angabe fehlt: {label}",
        "Missing: {label}";
    STEUER_ID_INVALID:
        "{label}: keine gültige Steuer-ID (11 Ziffern, Prüfziffer nach § 139b AO) – bitte mit dem Schreiben des Bundeszentralamts für Steuern vergleichen",
        "{label}: not a valid tax ID (11 digits with check digit, § 139b AO) – compare with the letter from the Federal Central Tax Office";
    IBAN_INVALID:
        "Die IBAN ist ungültig (Länge oder Prüfziffer); bitte von der Bankkarte oder dem Kontoauszug abschreiben.",
        "The IBAN is invalid (length or check digits); copy it from the bank card or a statement.";
    POSTAL_CODE_DIFFERS:
        "Die Postleitzahl der Anschrift ({address}) weicht von {field} ({routing}) ab, nach der die zuständige Stelle bestimmt wird.",
        "The address's postcode ({address}) differs from {field} ({routing}), by which the competent office is found.";
    PLACE_LAND_DIFFERS:
        "Der Wohnort für die Zuständigkeit ({place}, {place_land}) liegt in einem anderen Land als household.postal_code ({household}, {household_land}), mit dem gerechnet wird; bitte beide prüfen.",
        "The residence used for routing ({place}, {place_land}) lies in another Land than household.postal_code ({household}, {household_land}), which the calculation uses; please check both.";
    RESIDENCE_TITLE_EXPIRED:
        "Der Aufenthaltstitel von {parent} ist abgelaufen ({until}); bitte den aktuellen Titel angeben.",
        "The residence title of {parent} has expired ({until}); give the current title.";

    // Labels of a parent's fields, `(p1)` after them.
    LABEL_OF_PARENT: "{label} ({parent})", "{label} ({parent})";
    LABEL_FAMILY_NAME: "Familienname", "Family name";
    LABEL_GIVEN_NAMES: "Vorname(n)", "Given names";
    LABEL_BIRTH_NAME: "Geburtsname", "Birth name";
    LABEL_SEX: "Geschlecht", "Sex";
    LABEL_BIRTH_DATE: "Geburtsdatum", "Date of birth";
    LABEL_BIRTH_PLACE: "Geburtsort", "Place of birth";
    LABEL_ADDRESS: "Wohnanschrift", "Home address";
    LABEL_STEUER_ID: "Steuer-ID", "Tax ID";
    LABEL_MARITAL_STATUS: "Familienstand", "Marital status";
    LABEL_HEALTH_INSURANCE: "Krankenversicherung", "Health insurance";
    LABEL_HEALTH_INSURER: "Krankenkasse / Versicherer", "Health insurer";
    LABEL_TITLE_VALID_UNTIL: "Aufenthaltstitel gültig bis", "Residence title valid until";
    LABEL_EMPLOYMENT_ALLOWED: "Erwerbstätigkeit erlaubt", "Employment allowed";
    LABEL_IBAN: "IBAN", "IBAN";
    LABEL_BIC: "BIC", "BIC";

    // Labels of a child's fields.
    LABEL_CHILD_GIVEN_NAMES: "Vorname(n) Kind {n}", "Given names, child {n}";
    LABEL_CHILD_SEX: "Geschlecht Kind {n}", "Sex, child {n}";
    LABEL_CHILD_BIRTH_TIME: "Geburtszeit Kind {n}", "Time of birth, child {n}";
    LABEL_CHILD_BIRTH_PLACE: "Geburtsort Kind {n}", "Place of birth, child {n}";
    LABEL_CHILD_STEUER_ID: "Steuer-ID Kind {n}", "Tax ID, child {n}";
    LABEL_CHILD_BIRTH_NAME: "Geburtsname des Kindes", "Child's birth name";

    // Declarations every applicant signs.
    PURPOSE_PRIVACY_NOTICE:
        "Datenschutzhinweise zur Kenntnis genommen",
        "Privacy notice acknowledged";
    PURPOSE_TRUTHFULNESS:
        "Angaben vollständig und richtig; Änderungen werden mitgeteilt",
        "Data complete and true; changes will be reported";

    // Standesamt: registration.
    DEPENDS_BIRTH_REGISTRATION:
        "Die Geburt wird nach der Geburt beurkundet; alles andere lässt sich vorher vorbereiten.",
        "The birth is registered after it happens; everything else can be prepared before.";
    LABEL_GAVE_BIRTH:
        "Wer hat das Kind geboren (Mutter, § 1591 BGB)",
        "Who gave birth (the mother, § 1591 BGB)";
    LABEL_MARRIED: "Miteinander verheiratet", "Married to each other";
    LABEL_MARRIAGE_DATE: "Datum der Eheschließung", "Date of marriage";
    LABEL_MARRIAGE_PLACE: "Ort der Eheschließung", "Place of marriage";
    LABEL_EHENAME: "Ehename", "Married name";
    REASON_EHEURKUNDE:
        "Eheurkunde oder Auszug aus dem Eheregister",
        "Marriage certificate or marriage register extract";
    REASON_GEBURTSURKUNDE_MUTTER:
        "Geburtsurkunde der Mutter",
        "Mother's birth certificate";
    REASON_GEBURTSURKUNDE_VATER:
        "Geburtsurkunde des Vaters (verheiratete Eltern oder nach Vaterschaftsanerkennung)",
        "Father's birth certificate (married parents, or after an acknowledgement of paternity)";
    REASON_VATERSCHAFTSANERKENNUNG:
        "Urkunde über die Vaterschaftsanerkennung",
        "Deed of acknowledgement of paternity";
    NO_PATERNITY_ACKNOWLEDGEMENT:
        "Ohne Vaterschaftsanerkennung wird der andere Elternteil nicht als Vater eingetragen (§ 1592 Nr. 2 BGB). Sie ist schon vor der Geburt beim Jugendamt oder Standesamt möglich.",
        "Without an acknowledgement of paternity the other parent is not registered as father (§ 1592 no. 2 BGB). It can be made before the birth at the Jugendamt or the Standesamt.";
    REASON_SORGEERKLAERUNG:
        "Urkunde über die Sorgeerklärungen",
        "Deed of the joint custody declarations";
    REASON_AUFLOESUNG_DER_EHE:
        "Eheurkunde der letzten Ehe der Mutter mit dem Vermerk über ihre Auflösung (Scheidung oder Tod), oder ein beglaubigter Ausdruck aus dem Eheregister mit diesem Hinweis",
        "The mother's last marriage certificate with the note that it ended (divorce or death), or a certified marriage register extract saying so";
    REASON_AUFENTHALTSTITEL_STANDESAMT:
        "Aufenthaltstitel (das Standesamt vermerkt, ob das Kind nach § 4 Abs. 3 StAG Deutsche oder Deutscher wird)",
        "Residence title (the Standesamt records whether the child becomes German under § 4 Abs. 3 StAG)";
    MOTHER_MARRIED:
        "Die Mutter ist verheiratet: Ihr Ehemann gilt als Vater des Kindes (§ 1592 Nr. 1 BGB); das Standesamt wird dazu fragen.",
        "The mother is married: her husband counts as the child's father (§ 1592 no. 1 BGB); the Standesamt will ask about it.";
    REASON_AUSWEIS: "Personalausweis oder Reisepass", "Identity card or passport";
    FOREIGN_DOCUMENTS:
        "Ausländische Urkunden brauchen oft eine Apostille oder Legalisation und eine beglaubigte Übersetzung; das kann Wochen dauern – früh beschaffen.",
        "Foreign certificates often need an apostille or legalisation and a certified translation; this can take weeks – get them early.";
    REASON_GEBURTSBESCHEINIGUNG:
        "Geburtsbescheinigung der Hebamme oder Ärztin (Hausgeburt)",
        "Birth certificate from the midwife or doctor (home birth)";
    PURPOSE_BIRTH_DATA_TO_AGENCIES:
        "Das Standesamt übermittelt die Geburtsdaten an Elterngeldstelle und Familienkasse; die Geburtsurkunde für Elterngeld entfällt",
        "The Standesamt passes the birth data to the Elterngeldstelle and the Familienkasse; no birth certificate for Elterngeld needed";
    BIRTH_NOTIFICATION_MISSED:
        "Die Wochenfrist für die Geburtsanzeige ist am {last_day} abgelaufen: bitte die Anzeige sofort nachholen (§ 19 PStG; eine verspätete Anzeige ist eine Ordnungswidrigkeit, § 70 Abs. 1 Nr. 1 PStG).",
        "The one-week period to report the birth ended on {last_day}: please report it at once (§ 19 PStG; a late report is an administrative offence, § 70 Abs. 1 no. 1 PStG).";
    BIRTH_NOTIFICATION_MISSED_CLINIC:
        "Die Wochenfrist für die Geburtsanzeige ist am {last_day} abgelaufen; anzuzeigen hatte die Klinik (§ 20 PStG). Hat sich das Standesamt noch nicht gemeldet, bitte dort nachfragen.",
        "The one-week period to report the birth ended on {last_day}; the clinic had to report it (§ 20 PStG). If the Standesamt has not been in touch, please ask there.";
    DEADLINE_BIRTH_NOTIFICATION:
        "Die Geburt ist binnen einer Woche beim Standesamt des Geburtsorts anzuzeigen; bei Klinikgeburten zeigt die Klinik an, die Eltern geben ihr die Unterlagen mit.",
        "The birth must be reported to the Standesamt of the birth place within a week; for clinic births the clinic reports it, the parents hand it the documents.";

    // Standesamt: name determination (§§ 1616–1617a BGB).
    NAME_BY_LAW_EHENAME:
        "Das Kind erhält den Ehenamen {ehename} (§ 1616 BGB).",
        "The child gets the married name {ehename} (§ 1616 BGB).";
    NAME_CHOICE_AGAINST_EHENAME:
        "Bei einem Ehenamen ist keine andere Namenswahl möglich; das Kind heißt {ehename} (§ 1616 BGB).",
        "With a married name no other choice is possible; the child's name is {ehename} (§ 1616 BGB).";
    LABEL_NAME_CHOICE: "Namensbestimmung", "Name choice";
    NAME_BY_LAW_MOTHER:
        "Das Kind erhält den Familiennamen der Mutter: {name} (§ 1617a Abs. 1 BGB).",
        "The child gets the mother's family name: {name} (§ 1617a Abs. 1 BGB).";
    NAME_CHOICE_SOLE_CUSTODY:
        "Bei alleiniger Sorge der Mutter erhält das Kind ihren Namen; den Namen des Vaters oder einen Doppelnamen aus beiden Namen nur nach Vaterschaftsanerkennung und mit seiner Einwilligung (§ 1617a BGB).",
        "With the mother's sole custody the child gets her name; the father's name or a double name of both only after acknowledgement of paternity and with his consent (§ 1617a BGB).";
    PATERNITY_NOT_ESTABLISHED_KINDERGELD:
        "Kindergeld gibt es nur für ein im ersten Grad verwandtes Kind (§ 63 Abs. 1, § 32 Abs. 1 Nr. 1 EStG). Ohne Ehe mit der Mutter wird die Vaterschaft erst durch Anerkennung oder gerichtliche Feststellung begründet (§ 1592 BGB): bitte die Vaterschaftsanerkennung angeben oder die Mutter beantragen lassen.",
        "Kindergeld is paid only for a child related in the first degree (§ 63 Abs. 1, § 32 Abs. 1 Nr. 1 EStG). Without marriage to the mother, paternity exists only by acknowledgement or a court finding (§ 1592 BGB): enter the acknowledgement of paternity, or let the mother apply.";
    PATERNITY_NOT_ESTABLISHED_ELTERNGELD:
        "Elterngeld setzt voraus, dass Sie Elternteil des Kindes sind (§ 1 Abs. 1 BEEG) oder Ihre Vaterschaftsanerkennung erklärt, aber noch nicht wirksam ist (§ 1 Abs. 3 S. 1 Nr. 3 BEEG). Bitte die Vaterschaftsanerkennung angeben.",
        "Elterngeld requires that you are the child's parent (§ 1 Abs. 1 BEEG) or that you have declared the acknowledgement of paternity and it is not yet effective (§ 1 Abs. 3 S. 1 Nr. 3 BEEG). Please enter the acknowledgement of paternity.";
    DOPPELNAME_SOLE_CUSTODY_NEEDS_CONSENT:
        "Einen Doppelnamen aus beiden Namen bestimmt bei alleiniger Sorge die Mutter; der andere Elternteil muss einwilligen (§ 1617a Abs. 2 BGB, seit 1. 5. 2025). Beide müssen die Erklärung abgeben.",
        "Under sole custody the mother determines a double name of both names; the other parent must consent (§ 1617a Abs. 2 BGB, since 1 May 2025). Both must make the declaration.";
    LABEL_NAME_CHOICE_JOINT:
        "Namensbestimmung (gemeinsame Erklärung)",
        "Name choice (joint declaration)";
    NAME_CHOICE_NEEDS_BOTH:
        "Bei gemeinsamer Sorge bestimmen beide Eltern den Namen gemeinsam (§ 1617 Abs. 1 BGB).",
        "With joint custody both parents declare the name together (§ 1617 Abs. 1 BGB).";
    NAME_CHOICE_NO_EHENAME:
        "Ohne Ehenamen gibt es keinen Ehenamen für das Kind.",
        "Without a married name the child cannot get one.";
    DOPPELNAME_BEFORE_REFORM:
        "Ein Doppelname ist erst für Erklärungen ab dem 1. Mai 2025 möglich.",
        "A double name is possible only for declarations from 1 May 2025.";
    NAME_CHOICE_MISMATCH:
        "Der gewählte Name {name} passt nicht zur Art der Wahl ({options}).",
        "The chosen name {name} does not match the kind of choice ({options}).";

    // Standesamt: certificates.
    LABEL_CERTIFICATES: "Geburtsurkunden", "Birth certificates";
    NO_CERTIFICATES:
        "Geburtsurkunden für Elterngeld, Kindergeld und Mutterschaftsgeld sind gebührenfrei – gleich mitbestellen, soweit sie nicht elektronisch übermittelt werden.",
        "Birth certificates for Elterngeld, Kindergeld and Mutterschaftsgeld are free – order them now unless the data are transmitted electronically.";

    // Elterngeldstelle.
    NO_PLAN:
        "Noch kein Elternteil hat Lebensmonate mit Elterngeld geplant (plan).",
        "No parent has planned Lebensmonate with Elterngeld yet (plan).";
    DEPENDS_BIRTH_ELTERNGELD:
        "Der Antrag kann erst nach der Geburt gestellt werden; vorbereiten lässt er sich vorher.",
        "The application can be filed only after the birth; it can be prepared before.";
    DEPENDS_REGISTRATION_ELTERNGELD:
        "Wartet auf die Beurkundung der Geburt (Geburtsurkunde bzw. Datenübermittlung des Standesamts).",
        "Waits for the birth registration (birth certificate or the Standesamt's data transfer).";
    REASON_FRUEHGEBURT:
        "Ärztliche Bescheinigung über den errechneten Geburtstermin (Frühgeburt: zusätzliche Basismonate)",
        "Medical certificate of the expected date (premature birth: extra Basis months)";
    REASON_GEBURTSURKUNDE_ELTERNGELD:
        "Geburtsurkunde „für Elterngeld“",
        "Birth certificate \"for Elterngeld\"";
    PURPOSE_BIRTH_DATA_FOR_ELTERNGELD:
        "Geburtsdaten vom Standesamt abrufen statt Geburtsurkunde",
        "Fetch the birth data from the Standesamt instead of a birth certificate";
    PURPOSE_OTHER_PARENT_MONTHS:
        "Zustimmung des anderen Elternteils zur Aufteilung der Monate",
        "The other parent agrees to the allocation of months";
    REASON_GEHALTSNACHWEISE:
        "Entgeltabrechnungen der 12 Monate des Bemessungszeitraums",
        "Payslips of the 12 months of the Bemessungszeitraum";
    PURPOSE_PAY_DATA_VIA_DRV:
        "Entgeltdaten über die Datenstelle der Rentenversicherung beim Arbeitgeber abrufen statt Gehaltsnachweise",
        "Fetch the pay data from the employer through the pension insurance data office instead of payslips";
    REASON_ELTERNZEIT_BESTAETIGUNG:
        "Bestätigung des Arbeitgebers über Elternzeit und Arbeitszeit",
        "Employer's confirmation of parental leave and working hours";
    REASON_GEWINNNACHWEIS:
        "Einkommensteuerbescheid oder Gewinnermittlung (EÜR) des Bemessungszeitraums",
        "Income-tax assessment or profit statement (EÜR) of the Bemessungszeitraum";
    REASON_MUTTERSCHAFTSGELD:
        "Bescheinigung der Krankenkasse über das Mutterschaftsgeld",
        "Health insurer's certificate of the maternity benefit";
    PURPOSE_MUTTERSCHAFTSGELD_FROM_GKV:
        "Mutterschaftsgeld-Daten von der Krankenkasse abrufen statt Bescheinigung",
        "Fetch the maternity benefit data from the health insurer instead of a certificate";
    REASON_ARBEITGEBERZUSCHUSS:
        "Bescheinigung des Arbeitgebers über den Zuschuss zum Mutterschaftsgeld",
        "Employer's certificate of the maternity benefit top-up";
    REASON_AUFENTHALTSTITEL_ELTERNGELD:
        "Kopie des Aufenthaltstitels",
        "Copy of the residence title";
    DEADLINE_ELTERNGELD:
        "Antrag von {parent} bis {last_day} bei der Elterngeldstelle, sonst entfällt Lebensmonat {lebensmonat} (rückwirkend nur {retro} Lebensmonate vor dem Antragsmonat).",
        "{parent}'s application must reach the Elterngeldstelle by {last_day}, or Lebensmonat {lebensmonat} is lost (only {retro} Lebensmonate before the month of application are paid).";
    LEBENSMONATE_LOST:
        "Für {parent} sind die Lebensmonate {lost} nicht mehr rückwirkend erreichbar (§ 7 Abs. 1 S. 2 BEEG).",
        "For {parent} the Lebensmonate {lost} can no longer be reached retroactively (§ 7 Abs. 1 S. 2 BEEG).";
    LABEL_SINGLE_PARENT_GROUND:
        "Grund für den alleinigen Bezug (§ 4c Abs. 1 Nr. 1–3 BEEG)",
        "Ground for drawing Elterngeld alone (§ 4c Abs. 1 no. 1–3 BEEG)";
    PURPOSE_SINGLE_PARENT_DECLARATION:
        "Erklärung für Alleinerziehende: Der angegebene Grund des § 4c Abs. 1 BEEG liegt vor (Nr. 1: Entlastungsbetrag für Alleinerziehende nach § 24b EStG, und der andere Elternteil lebt weder mit mir noch mit dem Kind in einer Wohnung; Nr. 2: Gefährdung des Kindeswohls; Nr. 3: Betreuung durch den anderen Elternteil unmöglich)",
        "Declaration for single parents: the ground of § 4c Abs. 1 BEEG given applies (no. 1: the tax relief for single parents under § 24b EStG, and the other parent lives neither with me nor with the child; no. 2: a danger to the child's welfare; no. 3: care by the other parent impossible)";
    REASON_NACHWEIS_ALLEINIGER_BEZUG:
        "Nachweis des Grundes nach § 4c Abs. 1 Nr. 2 oder 3 BEEG (z. B. ärztliche Bescheinigung, Stellungnahme des Jugendamts oder Entscheidung des Familiengerichts)",
        "Proof of the ground under § 4c Abs. 1 no. 2 or 3 BEEG (e.g. a medical certificate, a statement of the Jugendamt or a decision of the family court)";
    PROVISIONAL_DATES:
        "Fristen vorläufig: berechnet mit dem erwarteten Geburtsdatum.",
        "Deadlines are provisional: computed from the expected date of birth.";

    // Familienkasse.
    DEPENDS_BIRTH_KINDERGELD:
        "Kindergeld gibt es ab dem Geburtsmonat; der Antrag folgt der Geburt.",
        "Kindergeld starts with the month of birth; the application follows the birth.";
    DEPENDS_CHILD_STEUER_ID:
        "Wartet auf die Steuer-ID des Kindes: Das Bundeszentralamt für Steuern vergibt sie nach der Beurkundung und Anmeldung, sie kommt per Brief (§ 63 Abs. 1 S. 3 EStG).",
        "Waits for the child's tax ID: the Federal Central Tax Office issues it after the registration and sends it by letter (§ 63 Abs. 1 S. 3 EStG).";
    LABEL_PUBLIC_SERVICE:
        "Im öffentlichen Dienst beschäftigt (§ 72 EStG)",
        "Employed in the public service (§ 72 EStG)";
    LABEL_OWN_FAMILIENKASSE:
        "Arbeitgeber zahlt Kindergeld über eine eigene Familienkasse (Gehaltsabrechnung oder Personalstelle)",
        "Employer pays Kindergeld through its own Familienkasse (payslip or personnel office)";
    LABEL_EMPLOYER_FAMILIENKASSE:
        "Name der Familienkasse des Arbeitgebers",
        "Name of the employer's Familienkasse";
    EMPLOYER_FAMILIENKASSE:
        "Zuständig ist die Familienkasse Ihres Arbeitgebers ({familienkasse}), nicht die der Bundesagentur für Arbeit (§ 72 Abs. 1 EStG). ElternKit kann dorthin nicht senden: Bitte den Antrag (KG 1 mit Anlage Kind) dort einreichen.",
        "Your employer's Familienkasse ({familienkasse}) is competent, not the Bundesagentur für Arbeit's (§ 72 Abs. 1 EStG). ElternKit cannot send there: please file the application (KG 1 with Anlage Kind) with it.";
    EMPLOYER_FAMILIENKASSE_UNNAMED: "Familienkasse des Arbeitgebers", "the employer's Familienkasse";
    REASON_AUFENTHALTSTITEL_KINDERGELD:
        "Kopie des Aufenthaltstitels (mit Erlaubnis zur Erwerbstätigkeit)",
        "Copy of the residence title (with permission to work)";
    RESIDENCE_TITLE_UNKNOWN:
        "Der Aufenthaltstitel ist nicht in der Liste des § 62 Abs. 2 EStG; die Familienkasse prüft ihn einzeln.",
        "The residence title is not in the list of § 62 Abs. 2 EStG; the Familienkasse checks it individually.";
    TITLE_NEEDS_EMPLOYMENT:
        "Dieser Titel berechtigt nur bei Erwerbstätigkeit, Elternzeit oder Leistungen nach dem SGB III ({citation}); einen Nachweis bereithalten.",
        "This title entitles only with employment, parental leave or SGB III benefits ({citation}); keep proof ready.";
    ANLAGE_EU:
        "EU-/EWR-/Schweizer Staatsangehörigkeit: zum Antrag gehört die „Anlage EU“.",
        "EU/EEA/Swiss citizenship: the application needs the \"Anlage EU\".";
    PURPOSE_OTHER_PARENT_RECIPIENT:
        "Berechtigtenbestimmung: der andere Elternteil ist einverstanden, dass die antragstellende Person das Kindergeld erhält",
        "Choice of recipient: the other parent agrees that the claimant receives the Kindergeld";
    PURPOSE_BIRTH_DATA_FOR_KINDERGELD:
        "Geburtsdaten vom Standesamt übernehmen",
        "Take the birth data from the Standesamt";
    DEADLINE_KINDERGELD:
        "Antrag bis {last_day} bei der Familienkasse, sonst entfällt das Kindergeld für {month} (rückwirkend nur {retro} Monate vor dem Antragsmonat).",
        "The application must reach the Familienkasse by {last_day}, or the Kindergeld for {month} is lost (only {retro} months before the month of application are paid).";
    MONTHS_LOST:
        "{lost} Monat(e) Kindergeld ab {month} sind nicht mehr erreichbar ({citation}).",
        "{lost} month(s) of Kindergeld from {month} can no longer be reached ({citation}).";
}
