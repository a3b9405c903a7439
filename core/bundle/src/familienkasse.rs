//! The Familienkasse: Kindergeld (KG 1 + Anlage Kind per child; FORMS.md § 1b).

use super::builder::{Cx, Draft, P, REQUIRED, cpath, show};
use super::deadlines::{Deadline, kindergeld_last_day, reminder_dates};
use super::routing::Service;
use super::{Application, Benefit, DependencyKind, Severity};
use elternkit_model::YearMonth;
use elternkit_model::application::{ConsentKind, DocumentKind};
use elternkit_rules::params::{At, params};
use elternkit_rules::residence::{TitleStatus, has_free_movement, residence_title};

pub(super) fn build(cx: &Cx<'_>) -> Application {
    // The claimant as the rules take it: `kindergeld.claimant`, else the first parent.
    let claimant = cx
        .case
        .kindergeld
        .as_ref()
        .map(|k| k.claimant.clone())
        .or_else(|| cx.case.parents.first().map(|p| p.id.clone()))
        .unwrap_or_default();
    let mut d = Draft::new(
        cx,
        "familienkasse",
        Service::Familienkasse,
        vec![claimant.clone()],
    );
    let others: Vec<String> = cx
        .case
        .parents
        .iter()
        .filter(|p| p.id != claimant)
        .map(|p| p.id.clone())
        .collect();

    d.depends(
        DependencyKind::Birth,
        None,
        cx.born,
        (
            "Kindergeld gibt es ab dem Geburtsmonat; der Antrag folgt der Geburt.".into(),
            "Kindergeld starts with the month of birth; the application follows the birth.".into(),
        ),
    );
    let children = cx.children();
    let ids_issued = children.iter().all(|c| c.steuer_id.is_some());
    d.depends(
        DependencyKind::ChildSteuerId,
        Some("standesamt"),
        ids_issued,
        (
            "Wartet auf die Steuer-ID des Kindes: Das Bundeszentralamt für Steuern vergibt sie nach der Beurkundung und Anmeldung, sie kommt per Brief (§ 63 Abs. 1 S. 3 EStG).".into(),
            "Waits for the child's tax ID: the Federal Central Tax Office issues it after the registration and sends it by letter (§ 63 Abs. 1 S. 3 EStG).".into(),
        ),
    );

    // KG 1 section 1: the claimant; section 2: the other parent.
    d.person(
        &claimant,
        &[
            P::FamilyName,
            P::GivenNames,
            P::BirthName,
            P::Sex,
            P::BirthDate,
            P::BirthPlace,
            P::Address,
            P::SteuerId,
            P::MaritalStatus,
            P::ResidenceTitle,
        ],
    );
    for o in &others {
        d.person(
            o,
            &[P::FamilyName, P::GivenNames, P::BirthDate, P::SteuerId],
        );
    }
    // Anlage Kind, one per child.
    for (i, c) in children.iter().enumerate() {
        let n = i + 1;
        let after_birth = REQUIRED.awaited_if(!cx.born);
        let v = (!c.given_names.is_empty()).then(|| c.given_names.join(" "));
        d.field(
            cpath(i, "given_names"),
            &format!("Vorname(n) Kind {n}"),
            &format!("Given names, child {n}"),
            v,
            REQUIRED.fetch(ConsentKind::BirthDataExchange),
        );
        d.field(
            cpath(i, "sex"),
            &format!("Geschlecht Kind {n}"),
            &format!("Sex, child {n}"),
            c.sex.map(|s| show(&s)),
            after_birth,
        );
        d.field(
            cpath(i, "birth_place"),
            &format!("Geburtsort Kind {n}"),
            &format!("Place of birth, child {n}"),
            c.birth_place.as_ref().map(|b| b.locality.clone()),
            after_birth.fetch(ConsentKind::BirthDataExchange),
        );
        // Absent until the BZSt has issued it: awaited, not missing.
        d.steuer_id(
            cpath(i, "steuer_id"),
            &format!("Steuer-ID Kind {n}"),
            &format!("Tax ID, child {n}"),
            c.steuer_id.as_ref(),
            REQUIRED.awaited_if(true),
        );
    }
    d.bank();

    if let Some(emp) = cx.person(&claimant).and_then(|p| p.employer.as_ref())
        && emp.public_service
    {
        d.finding(
            format!("application.parents[{claimant}].employer.public_service"),
            "public_service_employer",
            Severity::Info,
            "Öffentlicher Dienst: Einige Arbeitgeber haben noch eine eigene Familienkasse (§ 72 EStG); die Zuständigkeit prüfen.",
            "Public service: some employers still have their own Familienkasse (§ 72 EStG); check which one is competent.",
        );
    }
    if let Some(p) = cx.parent(&claimant) {
        if cx.non_eu(&claimant) {
            d.document(
                DocumentKind::Aufenthaltstitel,
                Some(&claimant),
                (
                    "Kopie des Aufenthaltstitels (mit Erlaubnis zur Erwerbstätigkeit)",
                    "Copy of the residence title (with permission to work)",
                ),
                "§ 62 Abs. 2 EStG",
                None,
            );
            match p.residence_title.as_deref().and_then(residence_title) {
                None => d.finding(
                    format!("parents[{claimant}].residence_title"),
                    "residence_title_unknown",
                    Severity::Warning,
                    "Der Aufenthaltstitel ist nicht in der Liste des § 62 Abs. 2 EStG; die Familienkasse prüft ihn einzeln.",
                    "The residence title is not in the list of § 62 Abs. 2 EStG; the Familienkasse checks it individually.",
                ),
                Some(t) if t.status == TitleStatus::EligibleIfEmployed => d.finding(
                    format!("parents[{claimant}].residence_title"),
                    "title_needs_employment",
                    Severity::Info,
                    format!("Dieser Titel berechtigt nur bei Erwerbstätigkeit, Elternzeit oder Leistungen nach dem SGB III ({}); einen Nachweis bereithalten.", t.citation),
                    format!("This title entitles only with employment, parental leave or SGB III benefits ({}); keep proof ready.", t.citation),
                ),
                Some(_) => {}
            }
        } else if p.citizenship != "DE" && has_free_movement(&p.citizenship) {
            d.finding(
                format!("parents[{claimant}].citizenship"),
                "anlage_eu",
                Severity::Info,
                "EU-/EWR-/Schweizer Staatsangehörigkeit: zum Antrag gehört die „Anlage EU“.",
                "EU/EEA/Swiss citizenship: the application needs the \"Anlage EU\".",
            );
        }
    }

    d.declarations(&claimant, true);
    // § 64 Abs. 2 S. 2 EStG: parents in one household decide who receives Kindergeld.
    for o in &others {
        if cx.parent(o).is_some_and(|p| p.lives_with_child) {
            d.consent(
                ConsentKind::OtherParentAgrees,
                o,
                true,
                ("Berechtigtenbestimmung: der andere Elternteil ist einverstanden, dass die antragstellende Person das Kindergeld erhält", "Choice of recipient: the other parent agrees that the claimant receives the Kindergeld"),
                "§ 64 Abs. 2 S. 2 EStG",
            );
        }
    }
    let giver = cx
        .active_consent(ConsentKind::BirthDataExchange, None)
        .map(|c| c.given_by.clone())
        .unwrap_or_else(|| claimant.clone());
    d.consent(
        ConsentKind::BirthDataExchange,
        &giver,
        false,
        (
            "Geburtsdaten vom Standesamt übernehmen",
            "Take the birth data from the Standesamt",
        ),
        "§ 25 BEEG (ELFE); FORMS.md § 2.9",
    );

    deadline_and_benefit(&mut d);
    d.finish()
}

/// § 70 Abs. 1 S. 2 EStG: the last day to keep the month of birth, and the rules' result.
fn deadline_and_benefit(d: &mut Draft<'_, '_>) {
    let cx = d.cx;
    let birth_month = YearMonth::of(cx.case.child.birth_date);
    let (retro, citation) =
        match params().whole("kg.retroactive_months", At::ApplicationDate(cx.today)) {
            Ok((v, c)) => (v, c.to_string()),
            Err(_) => (6, "§ 70 Abs. 1 S. 2 EStG".to_string()),
        };
    // Months before today's reach are lost already; the deadline protects the first month
    // an application could still reach.
    let reach_today = YearMonth::of(cx.today).plus(-i32::try_from(retro).unwrap_or(6));
    let first = birth_month.max(reach_today);
    let last_day = kindergeld_last_day(first, retro);
    let (send_by, remind_on) = reminder_dates(last_day, cx.land);
    d.deadline(Deadline {
        kind: "kindergeld_retroactive".into(),
        parent: None,
        protects: first.to_string(),
        last_day,
        send_by,
        remind_on,
        open: cx.today <= last_day,
        citation: citation.clone(),
        message_de: format!("Antrag bis {last_day} bei der Familienkasse, sonst entfällt das Kindergeld für {first} (rückwirkend nur {retro} Monate vor dem Antragsmonat)."),
        message_en: format!("The application must reach the Familienkasse by {last_day}, or the Kindergeld for {first} is lost (only {retro} months before the month of application are paid)."),
    });
    if first > birth_month {
        let lost = birth_month.months_until(first);
        d.finding(
            "kindergeld.application_date",
            "months_lost",
            Severity::Warning,
            format!("{lost} Monat(e) Kindergeld ab {birth_month} sind nicht mehr erreichbar ({citation})."),
            format!("{lost} month(s) of Kindergeld from {birth_month} can no longer be reached ({citation})."),
        );
    }
    if let Some(k) = &cx.result.kindergeld
        && let Some(c) = k.children.first()
    {
        let newborns = cx.case.child.count as usize;
        let only_child_id_missing = !c.eligible
            && c.reasons.iter().any(|r| r.code == "child_no_tax_id")
            && c.reasons
                .iter()
                .all(|r| r.code == "child_no_tax_id" || r.code.starts_with("assumed_"));
        // Before the child's Steuer-ID the rules say 0 (§ 63 Abs. 1 S. 3 EStG); show what
        // the same case gives once it is there, marked provisional.
        let (children, provisional) = if only_child_id_missing {
            let mut with_id = cx.case.clone();
            if let Some(claim) = with_id.kindergeld.as_mut() {
                claim.child_has_tax_id = true;
            }
            match elternkit_rules::kindergeld::compute(&with_id) {
                Ok(r) => (r.children, true),
                Err(_) => (k.children.clone(), false),
            }
        } else {
            (k.children.clone(), false)
        };
        let monthly: rust_decimal::Decimal = children
            .iter()
            .take(newborns)
            .map(|c| c.monthly_amount)
            .sum();
        d.app.benefit = Some(Benefit {
            eligible: children.first().is_some_and(|c| c.eligible),
            amount: format!("{monthly:.2}"),
            amount_kind: "monthly".into(),
            provisional,
        });
        // The rules' reasons against eligibility, except the child's missing Steuer-ID,
        // which is a dependency here, and assumptions.
        if !c.eligible {
            for r in c
                .reasons
                .iter()
                .filter(|r| !r.code.starts_with("assumed_") && r.code != "child_no_tax_id")
            {
                d.finding(
                    "kindergeld",
                    &r.code,
                    Severity::Warning,
                    format!("{} ({})", r.message.de(), r.citation),
                    format!("{} ({})", r.message.en(), r.citation),
                );
            }
        }
        for h in k.hints.iter().filter(|h| !h.code.starts_with("assumed_")) {
            d.finding(
                "kindergeld",
                &h.code,
                Severity::Info,
                format!("{} ({})", h.message.de(), h.citation),
                format!("{} ({})", h.message.en(), h.citation),
            );
        }
    }
}
