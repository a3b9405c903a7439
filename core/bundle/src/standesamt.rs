//! The Standesamt: birth registration (§ 21 PStG), name determination (§§ 1616–1617a BGB)
//! and the certificates for benefit purposes (FORMS.md §§ 1c, 2.4, 3).

use jiff::ToSpan;

use super::builder::{Cx, Draft, OPTIONAL, P, REQUIRED, child_label, cpath, show, text};
use super::deadlines::{Deadline, next_working_day, reminder_dates};
use super::messages as m;
use super::routing::Service;
use super::{Application, DependencyKind, FindingCode, Severity};
use elternkit_model::application::{ConsentKind, DocumentKind, MaritalStatus, NameKind};
use elternkit_model::{Localized, Value};

/// § 33 PStV lists the documents to present for a birth registration.
const PSTV_33: &str = "§ 33 PStV";

/// The Standesamt's application, rule by rule in the order the checklist shows them.
pub(super) fn build(cx: &Cx<'_>) -> Application {
    let parents: Vec<String> = cx.case.parents.iter().map(|p| p.id.clone()).collect();
    let mut d = Draft::new(cx, "standesamt", Service::Standesamt, parents.clone());
    let mother = cx.birth_parent().map(String::from);
    registration(&mut d, &parents, mother.as_deref());
    let married = parentage(&mut d, &parents, mother.as_deref());
    mother_documents(&mut d, mother.as_deref(), parents.len() == 2);
    identity_documents(&mut d, &parents);
    home_birth(&mut d);
    name_determination(&mut d, married, mother.as_deref());
    certificates(&mut d);
    declarations(&mut d, &parents);
    birth_notification(&mut d);
    d.finish()
}

/// § 21 PStG: what the birth register records — the children, the parents, the mother
/// (§ 1591 BGB); registered only after the birth.
fn registration(d: &mut Draft<'_, '_>, parents: &[String], mother: Option<&str>) {
    let cx = d.cx;
    d.depends(
        DependencyKind::Birth,
        None,
        cx.born,
        &m::DEPENDS_BIRTH_REGISTRATION,
    );

    for (i, c) in cx.children().iter().enumerate() {
        let n = i + 1;
        let v = (!c.given_names.is_empty()).then(|| c.given_names.join(" "));
        d.field(
            cpath(i, "given_names"),
            child_label(&m::LABEL_CHILD_GIVEN_NAMES, n),
            v,
            REQUIRED,
        );
        let after_birth = REQUIRED.awaited_if(!cx.born);
        d.field(
            cpath(i, "sex"),
            child_label(&m::LABEL_CHILD_SEX, n),
            c.sex.map(|s| show(&s)),
            after_birth,
        );
        d.field(
            cpath(i, "birth_time"),
            child_label(&m::LABEL_CHILD_BIRTH_TIME, n),
            c.birth_time.map(|t| t.strftime("%H:%M").to_string()),
            after_birth,
        );
        d.field(
            cpath(i, "birth_place"),
            child_label(&m::LABEL_CHILD_BIRTH_PLACE, n),
            c.birth_place.as_ref().map(|b| b.locality.clone()),
            after_birth,
        );
    }

    for id in parents {
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
    d.field(
        "application.parents[*].gave_birth".into(),
        text(&m::LABEL_GAVE_BIRTH),
        mother.map(String::from),
        REQUIRED,
    );
}

/// §§ 1592, 1626a BGB with § 33 PStV: marriage or acknowledgement of paternity and custody
/// declarations, and their deeds. Returns whether the parents are married (`None`: not said).
fn parentage(d: &mut Draft<'_, '_>, parents: &[String], mother: Option<&str>) -> Option<bool> {
    let cx = d.cx;
    let couple = &cx.app.couple;
    let two = parents.len() == 2;
    let married = if two { couple.married } else { Some(false) };
    if two {
        d.field(
            "application.couple.married".into(),
            text(&m::LABEL_MARRIED),
            couple.married.map(|b| b.to_string()),
            REQUIRED,
        );
    }
    match married {
        Some(true) => {
            d.field(
                "application.couple.marriage_date".into(),
                text(&m::LABEL_MARRIAGE_DATE),
                couple.marriage_date.map(|x| x.to_string()),
                REQUIRED,
            );
            d.field(
                "application.couple.marriage_place".into(),
                text(&m::LABEL_MARRIAGE_PLACE),
                couple.marriage_place.clone(),
                REQUIRED,
            );
            d.field(
                "application.couple.ehename".into(),
                text(&m::LABEL_EHENAME),
                couple.ehename.clone(),
                OPTIONAL,
            );
            d.document(
                DocumentKind::Eheurkunde,
                None,
                &m::REASON_EHEURKUNDE,
                PSTV_33,
                None,
            );
            // § 33 PStV: married parents also present both their birth certificates.
            parents_birth_certificates(d, parents, mother);
        }
        Some(false) => {
            if let Some(m) = mother {
                d.document(
                    DocumentKind::GeburtsurkundeMutter,
                    Some(m),
                    &m::REASON_GEBURTSURKUNDE_MUTTER,
                    PSTV_33,
                    None,
                );
            }
            if two {
                match &couple.paternity_acknowledgement {
                    Some(_) => {
                        d.document(
                            DocumentKind::Vaterschaftsanerkennung,
                            None,
                            &m::REASON_VATERSCHAFTSANERKENNUNG,
                            PSTV_33,
                            None,
                        );
                        // § 33 PStV: after an acknowledgement, the father's birth certificate.
                        parents_birth_certificates(d, parents, mother);
                    }
                    None => d.finding(
                        "application.couple.paternity_acknowledgement",
                        FindingCode::NoPaternityAcknowledgement,
                        Severity::Warning,
                        &text(&m::NO_PATERNITY_ACKNOWLEDGEMENT),
                    ),
                }
                if couple.custody_declaration.is_some() {
                    d.document(
                        DocumentKind::Sorgeerklaerung,
                        None,
                        &m::REASON_SORGEERKLAERUNG,
                        PSTV_33,
                        None,
                    );
                }
            }
        }
        None => {}
    }
    married
}

/// § 33 PStV: the birth certificates of the mother and of the father (the mother's husband,
/// or the man who acknowledged paternity, § 1592 Nr. 1, 2 BGB). Without knowing who gave
/// birth the father is not known either: the `gave_birth` field is asked first.
fn parents_birth_certificates(d: &mut Draft<'_, '_>, parents: &[String], mother: Option<&str>) {
    let Some(mother) = mother else { return };
    d.document(
        DocumentKind::GeburtsurkundeMutter,
        Some(mother),
        &m::REASON_GEBURTSURKUNDE_MUTTER,
        PSTV_33,
        None,
    );
    for father in parents.iter().filter(|p| p.as_str() != mother) {
        d.document(
            DocumentKind::GeburtsurkundeVater,
            Some(father),
            &m::REASON_GEBURTSURKUNDE_VATER,
            PSTV_33,
            None,
        );
    }
}

/// § 33 PStV, § 1592 Nr. 1 BGB: the mother's previous marriage.
fn mother_documents(d: &mut Draft<'_, '_>, mother: Option<&str>, two: bool) {
    let cx = d.cx;
    if let Some(m) = mother {
        let status = cx.person(m).and_then(|p| p.marital_status);
        if matches!(
            status,
            Some(MaritalStatus::Geschieden | MaritalStatus::Verwitwet)
        ) {
            d.document(
                DocumentKind::AufloesungDerEhe,
                Some(m),
                &m::REASON_AUFLOESUNG_DER_EHE,
                PSTV_33,
                None,
            );
        }
        if !two && status == Some(MaritalStatus::Verheiratet) {
            d.finding(
                "application.parents[*].marital_status",
                FindingCode::MotherMarried,
                Severity::Warning,
                &text(&m::MOTHER_MARRIED),
            );
        }
    }
}

/// § 33 PStV: every parent's identity document; foreign ones take time (apostille).
fn identity_documents(d: &mut Draft<'_, '_>, parents: &[String]) {
    let cx = d.cx;
    for id in parents {
        d.document(
            DocumentKind::Ausweis,
            Some(id),
            &m::REASON_AUSWEIS,
            "§ 33 PStV; FORMS.md § 3",
            None,
        );
        if cx.parent(id).is_some_and(|p| p.citizenship != "DE") {
            d.finding(
                format!("parents[{id}].citizenship"),
                FindingCode::ForeignDocuments,
                Severity::Warning,
                &text(&m::FOREIGN_DOCUMENTS),
            );
        }
        // § 4 Abs. 3 StAG: a child of a foreign parent with eight years' lawful residence and
        // a permanent right of residence is German by birth; the Standesamt records it
        // (§ 21 Abs. 3 Nr. 4 PStG) and needs the title to tell.
        if cx.non_eu(id) {
            d.document(
                DocumentKind::Aufenthaltstitel,
                Some(id),
                &m::REASON_AUFENTHALTSTITEL_STANDESAMT,
                "§ 4 Abs. 3 StAG; § 21 Abs. 3 Nr. 4 PStG",
                None,
            );
        }
    }
}

/// § 19 PStG: a home birth needs the midwife's or doctor's certificate.
fn home_birth(d: &mut Draft<'_, '_>) {
    let cx = d.cx;
    if cx
        .children()
        .iter()
        .any(|c| c.birth_place.as_ref().is_some_and(|b| !b.in_clinic))
    {
        d.document(
            DocumentKind::Geburtsbescheinigung,
            None,
            &m::REASON_GEBURTSBESCHEINIGUNG,
            "§ 19 PStG",
            None,
        );
    }
}

/// Art. 13 DSGVO, § 60 SGB I: the declarations; § 25 BEEG: the optional data exchange.
fn declarations(d: &mut Draft<'_, '_>, parents: &[String]) {
    let cx = d.cx;
    for id in parents {
        d.declarations(id, false);
    }
    let exchange_by = cx
        .active_consent(ConsentKind::BirthDataExchange, None)
        .map(|c| c.given_by.clone())
        .unwrap_or_else(|| {
            parents
                .first()
                .cloned()
                .expect("a case has a parent (parse_case checks it; see derive)")
        });
    d.consent(
        ConsentKind::BirthDataExchange,
        &exchange_by,
        false,
        &m::PURPOSE_BIRTH_DATA_TO_AGENCIES,
        "§ 25 BEEG",
    );
}

/// § 18 Abs. 1 PStG: the birth notification deadline, until the birth is registered.
///
/// The week runs from the birth (§ 187 Abs. 1 BGB: the day of birth does not count) to the
/// same weekday a week later (§ 188 Abs. 2 BGB); a last day on a Saturday, Sunday or public
/// holiday at the Standesamt moves to the next working day (§ 193 BGB; § 31 Abs. 3 VwVfG).
/// The holidays are those of the birth place's Land, where the Standesamt is.
fn birth_notification(d: &mut Draft<'_, '_>) {
    let cx = d.cx;
    // The clinic reports clinic births (§ 20 PStG), the parents home births (§ 19 PStG).
    let birth = cx.case.child.birth_date;
    let registered = cx.children().iter().all(|c| c.birth_registration.is_some());
    if !registered {
        let week = birth.checked_add(7.days()).unwrap_or(birth);
        let last_day = next_working_day(week, cx.birth_land);
        let (send_by, remind_on) = reminder_dates(last_day, cx.birth_land);
        if cx.today > last_day {
            // The parents' own duty only without a clinic (§ 19 PStG); else the clinic's.
            let clinic = cx
                .children()
                .iter()
                .all(|c| c.birth_place.as_ref().is_some_and(|b| b.in_clinic));
            let (severity, message) = if clinic {
                (Severity::Info, &m::BIRTH_NOTIFICATION_MISSED_CLINIC)
            } else {
                (Severity::Warning, &m::BIRTH_NOTIFICATION_MISSED)
            };
            d.finding(
                "application.children[*].birth_registration",
                FindingCode::BirthNotificationMissed,
                severity,
                &Localized::new(message, [("last_day", Value::Date(last_day))]),
            );
        }
        d.deadline(Deadline {
            kind: "birth_notification".into(),
            parent: None,
            protects: "Geburtsanzeige".into(),
            last_day,
            send_by,
            remind_on: remind_on.max(birth),
            open: cx.today <= last_day,
            citation: "§ 18 Abs. 1, §§ 19, 20 PStG; §§ 187 Abs. 1, 188 Abs. 2, 193 BGB".into(),
            message_de: m::DEADLINE_BIRTH_NOTIFICATION.de.into(),
            message_en: m::DEADLINE_BIRTH_NOTIFICATION.en.into(),
        });
    }
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
        let ehename_arg = || [("ehename", Value::text(ehename))];
        d.finding(
            path,
            FindingCode::NameByLaw,
            Severity::Info,
            &Localized::new(&m::NAME_BY_LAW_EHENAME, ehename_arg()),
        );
        if let Some(c) = &choice
            && (c.kind != NameKind::Ehename || &c.birth_name != ehename)
        {
            d.invalid(
                path,
                FindingCode::NameChoiceNotAllowed,
                &Localized::new(&m::NAME_CHOICE_AGAINST_EHENAME, ehename_arg()),
            );
        }
        return;
    }
    if !joint_custody {
        // § 1626a Abs. 3, § 1617a Abs. 1 BGB: sole custody of the mother, her name; the
        // father's name only by declaration with his consent (§ 1617a Abs. 2 BGB).
        let name = family(mother).unwrap_or_else(|| "…".into());
        d.field(
            path.into(),
            text(&m::LABEL_NAME_CHOICE),
            choice.as_ref().map(|c| c.birth_name.clone()),
            OPTIONAL,
        );
        match choice.as_ref().map(|c| c.kind) {
            None | Some(NameKind::NameMother) => d.finding(
                path,
                FindingCode::NameByLaw,
                Severity::Info,
                &Localized::new(&m::NAME_BY_LAW_MOTHER, [("name", Value::text(&name))]),
            ),
            Some(NameKind::NameFather) if couple.paternity_acknowledgement.is_some() => {}
            // § 1617a Abs. 2 BGB as amended from 2025-05-01: the parent with sole custody may
            // give a Doppelname of both parents' names, with the other parent's consent.
            Some(NameKind::Doppelname) if couple.paternity_acknowledgement.is_some() => {
                if cx.today < jiff::civil::date(2025, 5, 1) {
                    d.invalid(
                        path,
                        FindingCode::DoppelnameBeforeReform,
                        &text(&m::DOPPELNAME_BEFORE_REFORM),
                    );
                }
                let declared = |id: Option<&str>| {
                    id.is_some_and(|i| {
                        choice
                            .as_ref()
                            .is_some_and(|c| c.declared_by.iter().any(|x| x == i))
                    })
                };
                if !declared(mother) || !declared(other) {
                    d.invalid(
                        path,
                        FindingCode::NameChoiceNeedsBoth,
                        &text(&m::DOPPELNAME_SOLE_CUSTODY_NEEDS_CONSENT),
                    );
                }
                if let (Some(a), Some(b), Some(c)) = (family(mother), family(other), &choice) {
                    let options = [
                        format!("{a}-{b}"),
                        format!("{b}-{a}"),
                        format!("{a} {b}"),
                        format!("{b} {a}"),
                    ];
                    if !options.contains(&c.birth_name) {
                        d.finding(
                            path,
                            FindingCode::NameChoiceMismatch,
                            Severity::Warning,
                            &Localized::new(
                                &m::NAME_CHOICE_MISMATCH,
                                [
                                    ("name", Value::text(&c.birth_name)),
                                    ("options", Value::text(&options.join(" / "))),
                                ],
                            ),
                        );
                    }
                }
            }
            Some(_) => d.invalid(
                path,
                FindingCode::NameChoiceNotAllowed,
                &text(&m::NAME_CHOICE_SOLE_CUSTODY),
            ),
        }
        return;
    }
    // § 1617 Abs. 1 BGB: joint custody without an Ehename — the parents choose together.
    d.field(
        path.into(),
        text(&m::LABEL_NAME_CHOICE_JOINT),
        choice
            .as_ref()
            .map(|c| format!("{} ({})", c.birth_name, show(&c.kind))),
        REQUIRED,
    );
    let Some(c) = choice else { return };
    if !parents.iter().all(|p| c.declared_by.iter().any(|x| x == p)) {
        d.invalid(
            path,
            FindingCode::NameChoiceNeedsBoth,
            &text(&m::NAME_CHOICE_NEEDS_BOTH),
        );
    }
    let expected: Option<Vec<String>> = match c.kind {
        NameKind::Ehename => {
            d.invalid(
                path,
                FindingCode::NameChoiceNotAllowed,
                &text(&m::NAME_CHOICE_NO_EHENAME),
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
                    FindingCode::DoppelnameBeforeReform,
                    &text(&m::DOPPELNAME_BEFORE_REFORM),
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
            FindingCode::NameChoiceMismatch,
            Severity::Warning,
            &Localized::new(
                &m::NAME_CHOICE_MISMATCH,
                [
                    ("name", Value::text(&c.birth_name)),
                    ("options", Value::text(&options.join(" / "))),
                ],
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
        text(&m::LABEL_CERTIFICATES),
        summary,
        OPTIONAL,
    );
    if list.is_empty() {
        d.finding(
            "application.certificates",
            FindingCode::NoCertificates,
            Severity::Info,
            &text(&m::NO_CERTIFICATES),
        );
    }
}
