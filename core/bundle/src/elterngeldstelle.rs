//! The Elterngeldstelle: one joint application for the claiming parents (the Bundesantrag's
//! layout, both sign) or one per claiming parent (FORMS.md §§ 1a, 2.5–2.8, 3).

use rust_decimal::Decimal;

use super::builder::{Cx, Draft, P, REQUIRED, cpath};
use super::deadlines::{Deadline, elterngeld_last_day, reminder_dates};
use super::routing::Service;
use super::{Application, Benefit, DependencyKind, Severity};
use elternkit_model::application::{ConsentKind, DocumentKind, FilingMode, InsuranceKind};
use elternkit_model::{ActivityKind, PlanMonth};
use elternkit_rules::params::{At, params};

/// § 4 Abs. 5 BEEG: a birth at least six weeks before the expected date adds months.
const PREMATURE_DAYS: i64 = 42;

pub(super) fn build(cx: &Cx<'_>) -> Vec<Application> {
    let claiming: Vec<String> = cx
        .case
        .parents
        .iter()
        .filter(|p| p.plan.iter().any(|m| *m != PlanMonth::None))
        .map(|p| p.id.clone())
        .collect();
    if claiming.is_empty() {
        let mut d = Draft::new(
            cx,
            "elterngeldstelle",
            Service::Elterngeldstelle,
            Vec::new(),
        );
        d.finding(
            "parents[*].plan",
            "no_plan",
            Severity::Error,
            "Noch kein Elternteil hat Lebensmonate mit Elterngeld geplant (plan).",
            "No parent has planned Lebensmonate with Elterngeld yet (plan).",
        );
        return vec![d.finish()];
    }
    match cx.app.elterngeld.mode {
        FilingMode::Joint => vec![application(cx, "elterngeldstelle".into(), claiming)],
        FilingMode::Separate => claiming
            .iter()
            .map(|id| application(cx, format!("elterngeldstelle:{id}"), vec![id.clone()]))
            .collect(),
    }
}

fn application(cx: &Cx<'_>, id: String, applicants: Vec<String>) -> Application {
    let mut d = Draft::new(cx, id, Service::Elterngeldstelle, applicants.clone());
    let all: Vec<String> = cx.case.parents.iter().map(|p| p.id.clone()).collect();

    // Dependencies: the birth, then the birth certificate data (§ 25 BEEG exchange or the
    // certificate "für Elterngeld").
    d.depends(
        DependencyKind::Birth,
        None,
        cx.born,
        (
            "Der Antrag kann erst nach der Geburt gestellt werden; vorbereiten lässt er sich vorher.".into(),
            "The application can be filed only after the birth; it can be prepared before.".into(),
        ),
    );
    let certificate_uploaded = cx
        .app
        .documents
        .iter()
        .any(|x| x.kind == DocumentKind::GeburtsurkundeElterngeld);
    let registered = cx.children().iter().all(|c| c.birth_registration.is_some());
    d.depends(
        DependencyKind::BirthRegistration,
        Some("standesamt"),
        certificate_uploaded || registered,
        (
            "Wartet auf die Beurkundung der Geburt (Geburtsurkunde bzw. Datenübermittlung des Standesamts).".into(),
            "Waits for the birth registration (birth certificate or the Standesamt's data transfer).".into(),
        ),
    );

    // The child: from the Standesamt under § 25 BEEG when consented, else typed.
    for (i, c) in cx.children().iter().enumerate() {
        let n = i + 1;
        let need = REQUIRED
            .awaited_if(!cx.born)
            .fetch(ConsentKind::BirthDataExchange);
        let v = (!c.given_names.is_empty()).then(|| c.given_names.join(" "));
        d.field(
            cpath(i, "given_names"),
            &format!("Vorname(n) Kind {n}"),
            &format!("Given names, child {n}"),
            v,
            need,
        );
    }
    d.field(
        "application.name_choice".into(),
        "Geburtsname des Kindes",
        "Child's birth name",
        child_birth_name(cx),
        REQUIRED
            .awaited_if(!cx.born)
            .fetch(ConsentKind::BirthDataExchange),
    );

    // Both parents' data ("zwingend" for both, FORMS.md [E2]); applicants' in full.
    for p in &all {
        if applicants.contains(p) {
            d.person(
                p,
                &[
                    P::FamilyName,
                    P::GivenNames,
                    P::BirthDate,
                    P::Address,
                    P::SteuerId,
                    P::MaritalStatus,
                    P::HealthInsurance,
                    P::ResidenceTitle,
                ],
            );
        } else {
            d.person(
                p,
                &[P::FamilyName, P::GivenNames, P::BirthDate, P::SteuerId],
            );
        }
    }
    d.bank();

    let birth = cx.case.child.birth_date;
    if let Some(expected) = cx.case.child.expected_birth_date
        && (expected - birth).get_days() >= PREMATURE_DAYS as i32
    {
        d.document(
            DocumentKind::AerztlicheBescheinigungFruehgeburt,
            None,
            ("Ärztliche Bescheinigung über den errechneten Geburtstermin (Frühgeburt: zusätzliche Basismonate)", "Medical certificate of the expected date (premature birth: extra Basis months)"),
            "§ 4 Abs. 5 BEEG",
            None,
        );
    }
    d.document(
        DocumentKind::GeburtsurkundeElterngeld,
        None,
        (
            "Geburtsurkunde „für Elterngeld“",
            "Birth certificate \"for Elterngeld\"",
        ),
        "§ 25 BEEG",
        Some((ConsentKind::BirthDataExchange, None)),
    );
    d.consent(
        ConsentKind::BirthDataExchange,
        &exchange_giver(cx, &applicants),
        false,
        (
            "Geburtsdaten vom Standesamt abrufen statt Geburtsurkunde",
            "Fetch the birth data from the Standesamt instead of a birth certificate",
        ),
        "§ 25 BEEG",
    );

    for p in &applicants {
        applicant_documents(&mut d, p);
        d.declarations(p, false);
    }
    // The other parent signs too: the month allocation affects them (FORMS.md § 1a, 11.).
    for p in all.iter().filter(|p| !applicants.contains(p)) {
        d.consent(
            ConsentKind::OtherParentAgrees,
            p,
            true,
            (
                "Zustimmung des anderen Elternteils zur Aufteilung der Monate",
                "The other parent agrees to the allocation of months",
            ),
            "§ 4 Abs. 3, 4 BEEG; FORMS.md § 2.9",
        );
    }

    deadlines_and_benefit(&mut d, &applicants);
    d.finish()
}

/// The child's birth name as far as it is known (chosen or by law).
fn child_birth_name(cx: &Cx<'_>) -> Option<String> {
    match &cx.app.name_choice {
        Some(c) => Some(c.birth_name.clone()),
        None => super::standesamt::name_by_law(cx),
    }
}

fn exchange_giver(cx: &Cx<'_>, applicants: &[String]) -> String {
    cx.active_consent(ConsentKind::BirthDataExchange, None)
        .map(|c| c.given_by.clone())
        .or_else(|| applicants.first().cloned())
        .unwrap_or_default()
}

/// Income and maternity documents of one applicant (FORMS.md § 3, Elterngeld).
fn applicant_documents(d: &mut Draft<'_, '_>, id: &str) {
    let cx = d.cx;
    let Some(parent) = cx.parent(id) else { return };
    let active = |kind: ActivityKind| {
        parent
            .activities_before_birth
            .iter()
            .any(|a| a.kind == kind && a.months_active.iter().any(|m| *m))
    };
    let employed = active(ActivityKind::Employed) || active(ActivityKind::Minijob);
    if employed {
        d.document(
            DocumentKind::Gehaltsnachweise,
            Some(id),
            (
                "Entgeltabrechnungen der 12 Monate des Bemessungszeitraums",
                "Payslips of the 12 months of the Bemessungszeitraum",
            ),
            "§ 2b Abs. 1, § 2c BEEG; § 108a SGB IV",
            Some((ConsentKind::PayDataViaDrv, Some(id))),
        );
        d.consent(
            ConsentKind::PayDataViaDrv,
            id,
            false,
            ("Entgeltdaten über die Datenstelle der Rentenversicherung beim Arbeitgeber abrufen statt Gehaltsnachweise", "Fetch the pay data from the employer through the pension insurance data office instead of payslips"),
            "§ 108a SGB IV",
        );
        d.document(
            DocumentKind::ElternzeitBestaetigung,
            Some(id),
            (
                "Bestätigung des Arbeitgebers über Elternzeit und Arbeitszeit",
                "Employer's confirmation of parental leave and working hours",
            ),
            "§ 1 Abs. 6, § 2 Abs. 3 BEEG",
            None,
        );
    }
    if active(ActivityKind::SelfEmployed) {
        // § 108a SGB IV covers employees only: profit needs the Steuerbescheid or an EÜR.
        d.document(
            DocumentKind::Gewinnnachweis,
            Some(id),
            (
                "Einkommensteuerbescheid oder Gewinnermittlung (EÜR) des Bemessungszeitraums",
                "Income-tax assessment or profit statement (EÜR) of the Bemessungszeitraum",
            ),
            "§ 2b Abs. 2, 3, § 2d BEEG",
            None,
        );
    }
    if let Some(m) = &parent.maternity_benefit {
        let statutory = cx
            .person(id)
            .and_then(|p| p.health_insurance.as_ref())
            .is_some_and(|h| matches!(h.kind, InsuranceKind::GkvMember | InsuranceKind::GkvFamily));
        if m.daily_amount > Decimal::ZERO {
            // § 203 SGB V: only a statutory Krankenkasse reports electronically.
            let replace = statutory.then_some((ConsentKind::MutterschaftsgeldFromGkv, Some(id)));
            d.document(
                DocumentKind::MutterschaftsgeldBescheinigung,
                Some(id),
                (
                    "Bescheinigung der Krankenkasse über das Mutterschaftsgeld",
                    "Health insurer's certificate of the maternity benefit",
                ),
                "§ 3 Abs. 1 Nr. 1 BEEG; § 203 SGB V",
                replace,
            );
            if statutory {
                d.consent(
                    ConsentKind::MutterschaftsgeldFromGkv,
                    id,
                    false,
                    ("Mutterschaftsgeld-Daten von der Krankenkasse abrufen statt Bescheinigung", "Fetch the maternity benefit data from the health insurer instead of a certificate"),
                    "§ 203 SGB V",
                );
            }
        }
        if m.employer_top_up_daily > Decimal::ZERO {
            d.document(
                DocumentKind::ArbeitgeberzuschussBescheinigung,
                Some(id),
                (
                    "Bescheinigung des Arbeitgebers über den Zuschuss zum Mutterschaftsgeld",
                    "Employer's certificate of the maternity benefit top-up",
                ),
                "§ 3 Abs. 1 Nr. 1 BEEG; § 20 MuSchG",
                None,
            );
        }
    }
    if cx.non_eu(id) {
        d.document(
            DocumentKind::Aufenthaltstitel,
            Some(id),
            ("Kopie des Aufenthaltstitels", "Copy of the residence title"),
            "§ 1 Abs. 7 BEEG",
            None,
        );
    }
}

/// § 7 Abs. 1 S. 2 BEEG deadlines per applicant, and the rules' result.
fn deadlines_and_benefit(d: &mut Draft<'_, '_>, applicants: &[String]) {
    let cx = d.cx;
    let birth = cx.case.child.birth_date;
    let (retro, citation) =
        match params().whole("eg.retroactive_months", At::ApplicationDate(cx.today)) {
            Ok((v, c)) => (v, c.to_string()),
            Err(_) => (3, "§ 7 Abs. 1 S. 2 BEEG".to_string()),
        };
    let results = cx.result.elterngeld.as_ref();
    let mut total = Decimal::ZERO;
    let mut eligible = false;
    for id in applicants {
        let Some(parent) = cx.parent(id) else {
            continue;
        };
        let planned: Vec<u32> = parent
            .plan
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != PlanMonth::None)
            .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
            .collect();
        let lost: Vec<u32> = planned
            .iter()
            .copied()
            .filter(|lm| elterngeld_last_day(birth, *lm, retro) < cx.today)
            .collect();
        let next = planned.iter().copied().find(|lm| !lost.contains(lm));
        if let Some(lm) = next.or(planned.last().copied()) {
            let last_day = elterngeld_last_day(birth, lm, retro);
            let (send_by, remind_on) = reminder_dates(last_day, cx.land);
            d.deadline(Deadline {
                kind: "elterngeld_retroactive".into(),
                parent: Some(id.clone()),
                protects: format!("Lebensmonat {lm}"),
                last_day,
                send_by,
                remind_on,
                open: cx.today <= last_day,
                citation: citation.clone(),
                message_de: format!("Antrag von {id} bis {last_day} bei der Elterngeldstelle, sonst entfällt Lebensmonat {lm} (rückwirkend nur {retro} Lebensmonate vor dem Antragsmonat)."),
                message_en: format!("{id}'s application must reach the Elterngeldstelle by {last_day}, or Lebensmonat {lm} is lost (only {retro} Lebensmonate before the month of application are paid)."),
            });
        }
        if !lost.is_empty() {
            d.finding(
                format!("parents[{id}].plan"),
                "lebensmonate_lost",
                Severity::Warning,
                format!("Für {id} sind die Lebensmonate {lost:?} nicht mehr rückwirkend erreichbar (§ 7 Abs. 1 S. 2 BEEG)."),
                format!("For {id} the Lebensmonate {lost:?} can no longer be reached retroactively (§ 7 Abs. 1 S. 2 BEEG)."),
            );
        }
        if let Some(r) = results.and_then(|r| r.parents.iter().find(|p| &p.id == id)) {
            eligible |= r.eligible;
            total += r.total;
            if !r.eligible {
                for reason in r.reasons.iter().filter(|x| !x.code.starts_with("assumed_")) {
                    d.finding(
                        format!("parents[{id}]"),
                        &reason.code,
                        Severity::Warning,
                        format!("{} ({})", reason.message.de(), reason.citation),
                        format!("{} ({})", reason.message.en(), reason.citation),
                    );
                }
            }
        }
    }
    if let Some(r) = results {
        for p in &r.plan_problems {
            d.finding(
                "parents[*].plan",
                &p.code,
                Severity::Error,
                format!("{} ({})", p.message_de, p.citation),
                format!("{} ({})", p.message_en, p.citation),
            );
        }
        d.app.benefit = Some(Benefit {
            eligible,
            amount: format!("{total:.2}"),
            amount_kind: "total".into(),
            provisional: false,
        });
    }
    if !cx.born {
        d.finding(
            "child.birth_date",
            "provisional_dates",
            Severity::Info,
            "Fristen vorläufig: berechnet mit dem erwarteten Geburtsdatum.",
            "Deadlines are provisional: computed from the expected date of birth.",
        );
    }
}
