//! The Standesamt: birth registration (§ 21 PStG), name determination (§§ 1616–1617a BGB)
//! and the certificates for benefit purposes (FORMS.md §§ 1c, 2.4, 3).

use jiff::ToSpan;

use super::builder::{Cx, Draft, OPTIONAL, P, REQUIRED, cpath, show};
use super::deadlines::{Deadline, reminder_dates};
use super::routing::Service;
use super::{Application, DependencyKind, Severity};
use elternkit_model::application::{ConsentKind, DocumentKind, MaritalStatus, NameKind};

/// § 33 PStV lists the documents to present for a birth registration.
const PSTV_33: &str = "§ 33 PStV";

pub(super) fn build(cx: &Cx<'_>) -> Application {
    let parents: Vec<String> = cx.case.parents.iter().map(|p| p.id.clone()).collect();
    let mut d = Draft::new(cx, "standesamt", Service::Standesamt, parents.clone());
    d.depends(
        DependencyKind::Birth,
        None,
        cx.born,
        (
            "Die Geburt wird nach der Geburt beurkundet; alles andere lässt sich vorher vorbereiten.".into(),
            "The birth is registered after it happens; everything else can be prepared before.".into(),
        ),
    );

    for (i, c) in cx.children().iter().enumerate() {
        let n = i + 1;
        let v = (!c.given_names.is_empty()).then(|| c.given_names.join(" "));
        d.field(
            cpath(i, "given_names"),
            &format!("Vorname(n) Kind {n}"),
            &format!("Given names, child {n}"),
            v,
            REQUIRED,
        );
        let after_birth = REQUIRED.awaited_if(!cx.born);
        d.field(
            cpath(i, "sex"),
            &format!("Geschlecht Kind {n}"),
            &format!("Sex, child {n}"),
            c.sex.map(|s| show(&s)),
            after_birth,
        );
        d.field(
            cpath(i, "birth_time"),
            &format!("Geburtszeit Kind {n}"),
            &format!("Time of birth, child {n}"),
            c.birth_time.map(|t| t.strftime("%H:%M").to_string()),
            after_birth,
        );
        d.field(
            cpath(i, "birth_place"),
            &format!("Geburtsort Kind {n}"),
            &format!("Place of birth, child {n}"),
            c.birth_place.as_ref().map(|b| b.locality.clone()),
            after_birth,
        );
    }

    for id in &parents {
        d.person(
            id,
            &[
                P::FamilyName,
                P::GivenNames,
                P::BirthName,
                P::Sex,
                P::BirthDate,
                P::BirthPlace,
                P::Address,
                P::MaritalStatus,
            ],
        );
    }
    let mother = cx.birth_parent().map(String::from);
    d.field(
        "application.parents[*].gave_birth".into(),
        "Wer hat das Kind geboren (Mutter, § 1591 BGB)",
        "Who gave birth (the mother, § 1591 BGB)",
        mother.clone(),
        REQUIRED,
    );

    let couple = &cx.app.couple;
    let two = parents.len() == 2;
    let married = if two { couple.married } else { Some(false) };
    if two {
        d.field(
            "application.couple.married".into(),
            "Miteinander verheiratet",
            "Married to each other",
            couple.married.map(|b| b.to_string()),
            REQUIRED,
        );
    }
    match married {
        Some(true) => {
            d.field(
                "application.couple.marriage_date".into(),
                "Datum der Eheschließung",
                "Date of marriage",
                couple.marriage_date.map(|x| x.to_string()),
                REQUIRED,
            );
            d.field(
                "application.couple.marriage_place".into(),
                "Ort der Eheschließung",
                "Place of marriage",
                couple.marriage_place.clone(),
                REQUIRED,
            );
            d.field(
                "application.couple.ehename".into(),
                "Ehename",
                "Married name",
                couple.ehename.clone(),
                OPTIONAL,
            );
            d.document(
                DocumentKind::Eheurkunde,
                None,
                (
                    "Eheurkunde oder Auszug aus dem Eheregister",
                    "Marriage certificate or marriage register extract",
                ),
                PSTV_33,
                None,
            );
        }
        Some(false) => {
            if let Some(m) = &mother {
                d.document(
                    DocumentKind::GeburtsurkundeMutter,
                    Some(m),
                    (
                        "Geburtsurkunde der Mutter (nicht verheiratete Eltern)",
                        "Mother's birth certificate (parents not married)",
                    ),
                    PSTV_33,
                    None,
                );
            }
            if two {
                match &couple.paternity_acknowledgement {
                    Some(_) => d.document(DocumentKind::Vaterschaftsanerkennung, None, ("Urkunde über die Vaterschaftsanerkennung", "Deed of acknowledgement of paternity"), PSTV_33, None),
                    None => d.finding(
                        "application.couple.paternity_acknowledgement",
                        "no_paternity_acknowledgement",
                        Severity::Warning,
                        "Ohne Vaterschaftsanerkennung wird der andere Elternteil nicht als Vater eingetragen (§ 1592 Nr. 2 BGB). Sie ist schon vor der Geburt beim Jugendamt oder Standesamt möglich.",
                        "Without an acknowledgement of paternity the other parent is not registered as father (§ 1592 no. 2 BGB). It can be made before the birth at the Jugendamt or the Standesamt.",
                    ),
                }
                if couple.custody_declaration.is_some() {
                    d.document(
                        DocumentKind::Sorgeerklaerung,
                        None,
                        (
                            "Urkunde über die Sorgeerklärungen",
                            "Deed of the joint custody declarations",
                        ),
                        PSTV_33,
                        None,
                    );
                }
            }
        }
        None => {}
    }
    if let Some(m) = &mother {
        let status = cx.person(m).and_then(|p| p.marital_status);
        if matches!(
            status,
            Some(MaritalStatus::Geschieden | MaritalStatus::Verwitwet)
        ) {
            d.document(
                DocumentKind::AufloesungDerEhe,
                Some(m),
                (
                    "Nachweis über die Auflösung der letzten Ehe",
                    "Proof that the last marriage ended",
                ),
                PSTV_33,
                None,
            );
        }
        if !two && status == Some(MaritalStatus::Verheiratet) {
            d.finding(
                "application.parents[*].marital_status",
                "mother_married",
                Severity::Warning,
                "Die Mutter ist verheiratet: Ihr Ehemann gilt als Vater des Kindes (§ 1592 Nr. 1 BGB); das Standesamt wird dazu fragen.",
                "The mother is married: her husband counts as the child's father (§ 1592 no. 1 BGB); the Standesamt will ask about it.",
            );
        }
    }
    for id in &parents {
        d.document(
            DocumentKind::Ausweis,
            Some(id),
            (
                "Personalausweis oder Reisepass",
                "Identity card or passport",
            ),
            "§ 33 PStV; FORMS.md § 3",
            None,
        );
        if cx.parent(id).is_some_and(|p| p.citizenship != "DE") {
            d.finding(
                format!("parents[{id}].citizenship"),
                "foreign_documents",
                Severity::Warning,
                "Ausländische Urkunden brauchen oft eine Apostille oder Legalisation und eine beglaubigte Übersetzung; das kann Wochen dauern – früh beschaffen.",
                "Foreign certificates often need an apostille or legalisation and a certified translation; this can take weeks – get them early.",
            );
        }
    }
    if cx
        .children()
        .iter()
        .any(|c| c.birth_place.as_ref().is_some_and(|b| !b.in_clinic))
    {
        d.document(
            DocumentKind::Geburtsbescheinigung,
            None,
            (
                "Geburtsbescheinigung der Hebamme oder Ärztin (Hausgeburt)",
                "Birth certificate from the midwife or doctor (home birth)",
            ),
            "§ 19 PStG",
            None,
        );
    }

    name_determination(&mut d, married, mother.as_deref());
    certificates(&mut d);

    for id in &parents {
        d.declarations(id, false);
    }
    let exchange_by = cx
        .active_consent(ConsentKind::BirthDataExchange, None)
        .map(|c| c.given_by.clone())
        .unwrap_or_else(|| parents.first().cloned().unwrap_or_default());
    d.consent(
        ConsentKind::BirthDataExchange,
        &exchange_by,
        false,
        (
            "Das Standesamt übermittelt die Geburtsdaten an Elterngeldstelle und Familienkasse; die Geburtsurkunde für Elterngeld entfällt",
            "The Standesamt passes the birth data to the Elterngeldstelle and the Familienkasse; no birth certificate for Elterngeld needed",
        ),
        "§ 25 BEEG",
    );

    // § 18 Abs. 1 PStG: the birth is reported within a week (the clinic does it for clinic
    // births, § 20 PStG; the parents for home births, § 19 PStG).
    let birth = cx.case.child.birth_date;
    let registered = cx.children().iter().all(|c| c.birth_registration.is_some());
    if !registered {
        let last_day = birth.checked_add(7.days()).unwrap_or(birth);
        let (send_by, remind_on) = reminder_dates(last_day, cx.land);
        d.deadline(Deadline {
            kind: "birth_notification".into(),
            parent: None,
            protects: "Geburtsanzeige".into(),
            last_day,
            send_by,
            remind_on: remind_on.max(birth),
            open: cx.today <= last_day,
            citation: "§ 18 Abs. 1, §§ 19, 20 PStG".into(),
            message_de: "Die Geburt ist binnen einer Woche beim Standesamt des Geburtsorts anzuzeigen; bei Klinikgeburten zeigt die Klinik an, die Eltern geben ihr die Unterlagen mit.".into(),
            message_en: "The birth must be reported to the Standesamt of the birth place within a week; for clinic births the clinic reports it, the parents hand it the documents.".into(),
        });
    }
    d.finish()
}

/// The name rule of §§ 1616–1617a BGB for the facts given, and the check of the choice.
fn name_determination(d: &mut Draft<'_, '_>, married: Option<bool>, mother: Option<&str>) {
    let cx = d.cx;
    let couple = &cx.app.couple;
    let parents: Vec<&str> = cx.case.parents.iter().map(|p| p.id.as_str()).collect();
    let other = parents.iter().copied().find(|p| Some(*p) != mother);
    let family = |id: Option<&str>| {
        id.and_then(|i| cx.person(i))
            .and_then(|p| p.family_name.clone())
    };
    let choice = cx.app.name_choice.clone();
    let path = "application.name_choice";
    let joint_custody = match married {
        Some(true) => true,
        Some(false) => parents.len() == 2 && couple.custody_declaration.is_some(),
        None => return,
    };
    if married == Some(true)
        && let Some(ehename) = &couple.ehename
    {
        // § 1616 BGB: the Ehename is the child's birth name; nothing to choose.
        d.finding(
            path,
            "name_by_law",
            Severity::Info,
            format!("Das Kind erhält den Ehenamen {ehename} (§ 1616 BGB)."),
            format!("The child gets the married name {ehename} (§ 1616 BGB)."),
        );
        if let Some(c) = &choice
            && (c.kind != NameKind::Ehename || &c.birth_name != ehename)
        {
            d.invalid(path, "name_choice_not_allowed", format!("Bei einem Ehenamen ist keine andere Namenswahl möglich; das Kind heißt {ehename} (§ 1616 BGB)."), format!("With a married name no other choice is possible; the child's name is {ehename} (§ 1616 BGB)."));
        }
        return;
    }
    if !joint_custody {
        // § 1626a Abs. 3, § 1617a Abs. 1 BGB: sole custody of the mother, her name; the
        // father's name only by declaration with his consent (§ 1617a Abs. 2 BGB).
        let name = family(mother).unwrap_or_else(|| "…".into());
        d.field(
            path.into(),
            "Namensbestimmung",
            "Name choice",
            choice.as_ref().map(|c| c.birth_name.clone()),
            OPTIONAL,
        );
        match choice.as_ref().map(|c| c.kind) {
            None | Some(NameKind::NameMother) => d.finding(path, "name_by_law", Severity::Info, format!("Das Kind erhält den Familiennamen der Mutter: {name} (§ 1617a Abs. 1 BGB)."), format!("The child gets the mother's family name: {name} (§ 1617a Abs. 1 BGB).")),
            Some(NameKind::NameFather) if couple.paternity_acknowledgement.is_some() => {}
            Some(_) => d.invalid(path, "name_choice_not_allowed", "Bei alleiniger Sorge der Mutter erhält das Kind ihren Namen; den Namen des Vaters nur nach Vaterschaftsanerkennung und mit seiner Einwilligung (§ 1617a BGB).".into(), "With the mother's sole custody the child gets her name; the father's name only after acknowledgement of paternity and with his consent (§ 1617a BGB).".into()),
        }
        return;
    }
    // § 1617 Abs. 1 BGB: joint custody without an Ehename — the parents choose together.
    d.field(
        path.into(),
        "Namensbestimmung (gemeinsame Erklärung)",
        "Name choice (joint declaration)",
        choice
            .as_ref()
            .map(|c| format!("{} ({})", c.birth_name, show(&c.kind))),
        REQUIRED,
    );
    let Some(c) = choice else { return };
    if !parents.iter().all(|p| c.declared_by.iter().any(|x| x == p)) {
        d.invalid(
            path,
            "name_choice_needs_both",
            "Bei gemeinsamer Sorge bestimmen beide Eltern den Namen gemeinsam (§ 1617 Abs. 1 BGB)."
                .into(),
            "With joint custody both parents declare the name together (§ 1617 Abs. 1 BGB).".into(),
        );
    }
    let expected: Option<Vec<String>> = match c.kind {
        NameKind::Ehename => {
            d.invalid(
                path,
                "name_choice_not_allowed",
                "Ohne Ehenamen gibt es keinen Ehenamen für das Kind.".into(),
                "Without a married name the child cannot get one.".into(),
            );
            None
        }
        NameKind::NameMother => family(mother).map(|n| vec![n]),
        NameKind::NameFather => family(other).map(|n| vec![n]),
        NameKind::Doppelname => {
            // The reform of the naming law allows a Doppelname for declarations from 2025-05-01.
            if cx.today < jiff::civil::date(2025, 5, 1) {
                d.invalid(
                    path,
                    "doppelname_before_reform",
                    "Ein Doppelname ist erst für Erklärungen ab dem 1. Mai 2025 möglich.".into(),
                    "A double name is possible only for declarations from 1 May 2025.".into(),
                );
            }
            match (family(mother), family(other)) {
                (Some(a), Some(b)) => Some(vec![
                    format!("{a}-{b}"),
                    format!("{b}-{a}"),
                    format!("{a} {b}"),
                    format!("{b} {a}"),
                ]),
                _ => None,
            }
        }
    };
    if let Some(options) = expected
        && !options.contains(&c.birth_name)
    {
        d.finding(
            path,
            "name_choice_mismatch",
            Severity::Warning,
            format!(
                "Der gewählte Name {} passt nicht zur Art der Wahl ({}).",
                c.birth_name,
                options.join(" / ")
            ),
            format!(
                "The chosen name {} does not match the kind of choice ({}).",
                c.birth_name,
                options.join(" / ")
            ),
        );
    }
}

/// The child's birth name where the law fixes it without a choice: the Ehename (§ 1616
/// BGB), or the mother's name under her sole custody (§ 1617a Abs. 1 BGB).
pub(super) fn name_by_law(cx: &Cx<'_>) -> Option<String> {
    let couple = &cx.app.couple;
    let two = cx.case.parents.len() == 2;
    match (two, couple.married) {
        (true, Some(true)) => couple.ehename.clone(),
        (true, Some(false)) if couple.custody_declaration.is_some() => None,
        (true, None) => None,
        _ => cx
            .birth_parent()
            .and_then(|m| cx.person(m))
            .and_then(|p| p.family_name.clone()),
    }
}

/// Certificates for benefit purposes are free; suggest them when none are ordered.
fn certificates(d: &mut Draft<'_, '_>) {
    let list = &d.cx.app.certificates;
    let summary = (!list.is_empty()).then(|| {
        list.iter()
            .map(|c| format!("{}×{}", c.count, show(&c.purpose)))
            .collect::<Vec<_>>()
            .join(", ")
    });
    d.field(
        "application.certificates".into(),
        "Geburtsurkunden",
        "Birth certificates",
        summary,
        OPTIONAL,
    );
    if list.is_empty() {
        d.finding(
            "application.certificates",
            "no_certificates",
            Severity::Info,
            "Geburtsurkunden für Elterngeld, Kindergeld und Mutterschaftsgeld sind gebührenfrei – gleich mitbestellen, soweit sie nicht elektronisch übermittelt werden.",
            "Birth certificates for Elterngeld, Kindergeld and Mutterschaftsgeld are free – order them now unless the data are transmitted electronically.",
        );
    }
}
