//! The Elterngeldstelle: one joint application for the claiming parents (the Bundesantrag's
//! layout, both sign) or one per claiming parent (FORMS.md §§ 1a, 2.5–2.8, 3).

use rust_decimal::Decimal;

use super::builder::{
    Cx, Draft, P, REQUIRED, child_label, cpath, rendered, show, text, with_citation,
};
use super::deadlines::{Deadline, elterngeld_last_day, reminder_dates};
use super::messages as m;
use super::routing::Service;
use super::{Application, Benefit, DependencyKind, FindingCode, Severity};
use elternkit_model::application::{
    ConsentKind, DocumentKind, FilingMode, InsuranceKind, SingleParentGround,
};
use elternkit_model::{ActivityKind, PlanMonth};
use elternkit_model::{Localized, Value};
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
            FindingCode::NoPlan,
            Severity::Error,
            &text(&m::NO_PLAN),
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
    for a in applicants
        .iter()
        .filter(|a| cx.paternity_not_established(a))
    {
        d.finding(
            format!("application.parents[{a}]"),
            FindingCode::PaternityNotEstablished,
            Severity::Error,
            &text(&m::PATERNITY_NOT_ESTABLISHED_ELTERNGELD),
        );
    }
    let all: Vec<String> = cx.case.parents.iter().map(|p| p.id.clone()).collect();

    // Dependencies: the birth, then the birth certificate data (§ 25 BEEG exchange or the
    // certificate "für Elterngeld").
    d.depends(
        DependencyKind::Birth,
        None,
        cx.born,
        &m::DEPENDS_BIRTH_ELTERNGELD,
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
        &m::DEPENDS_REGISTRATION_ELTERNGELD,
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
            child_label(&m::LABEL_CHILD_GIVEN_NAMES, n),
            v,
            need,
        );
    }
    d.field(
        "application.name_choice".into(),
        text(&m::LABEL_CHILD_BIRTH_NAME),
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
            &m::REASON_FRUEHGEBURT,
            "§ 4 Abs. 5 BEEG",
            None,
        );
    }
    d.document(
        DocumentKind::GeburtsurkundeElterngeld,
        None,
        &m::REASON_GEBURTSURKUNDE_ELTERNGELD,
        "§ 25 BEEG",
        Some((ConsentKind::BirthDataExchange, None)),
    );
    d.consent(
        ConsentKind::BirthDataExchange,
        &exchange_giver(cx, &applicants),
        false,
        &m::PURPOSE_BIRTH_DATA_FOR_ELTERNGELD,
        "§ 25 BEEG",
    );

    for p in &applicants {
        applicant_documents(&mut d, p);
        d.declarations(p, false);
    }
    single_parent(&mut d, &applicants);
    // The other parent signs too: the month allocation affects them (FORMS.md § 1a, 11.).
    for p in all.iter().filter(|p| !applicants.contains(p)) {
        d.consent(
            ConsentKind::OtherParentAgrees,
            p,
            true,
            &m::PURPOSE_OTHER_PARENT_MONTHS,
            "§ 4 Abs. 3, 4 BEEG; FORMS.md § 2.9",
        );
    }

    deadlines_and_benefit(&mut d, &applicants);
    d.finish()
}

/// § 4c BEEG: a single parent who draws the partner months or the Partnerschaftsbonus alone
/// states the ground (Nr. 1–3 of Abs. 1) and declares that it holds; grounds 2 and 3 need
/// proof. Asked only when the plan draws on § 4c.
fn single_parent(d: &mut Draft<'_, '_>, applicants: &[String]) {
    let cx = d.cx;
    let claims = elternkit_rules::elterngeld::single_parent_claims(cx.case);
    for id in applicants.iter().filter(|a| claims.contains(a)) {
        let ground = cx.app.elterngeld.single_parent_ground;
        d.field(
            "application.elterngeld.single_parent_ground".into(),
            text(&m::LABEL_SINGLE_PARENT_GROUND),
            ground.map(|g| show(&g)),
            REQUIRED,
        );
        d.consent(
            ConsentKind::SingleParentDeclaration,
            id,
            true,
            &m::PURPOSE_SINGLE_PARENT_DECLARATION,
            "§ 4c Abs. 1 BEEG",
        );
        if matches!(
            ground,
            Some(SingleParentGround::ChildWelfare | SingleParentGround::CareImpossible)
        ) {
            d.document(
                DocumentKind::NachweisAlleinigerBezug,
                Some(id),
                &m::REASON_NACHWEIS_ALLEINIGER_BEZUG,
                "§ 4c Abs. 1 Nr. 2, 3 BEEG",
                None,
            );
        }
    }
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
        .expect("an Elterngeld application has an applicant: build() returns early without one")
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
            &m::REASON_GEHALTSNACHWEISE,
            "§ 2b Abs. 1, § 2c BEEG; § 108a SGB IV",
            Some((ConsentKind::PayDataViaDrv, Some(id))),
        );
        d.consent(
            ConsentKind::PayDataViaDrv,
            id,
            false,
            &m::PURPOSE_PAY_DATA_VIA_DRV,
            "§ 108a SGB IV",
        );
        d.document(
            DocumentKind::ElternzeitBestaetigung,
            Some(id),
            &m::REASON_ELTERNZEIT_BESTAETIGUNG,
            "§ 1 Abs. 6, § 2 Abs. 3 BEEG",
            None,
        );
    }
    if active(ActivityKind::SelfEmployed) {
        // § 108a SGB IV covers employees only: profit needs the Steuerbescheid or an EÜR.
        d.document(
            DocumentKind::Gewinnnachweis,
            Some(id),
            &m::REASON_GEWINNNACHWEIS,
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
                &m::REASON_MUTTERSCHAFTSGELD,
                "§ 3 Abs. 1 Nr. 1 BEEG; § 203 SGB V",
                replace,
            );
            if statutory {
                d.consent(
                    ConsentKind::MutterschaftsgeldFromGkv,
                    id,
                    false,
                    &m::PURPOSE_MUTTERSCHAFTSGELD_FROM_GKV,
                    "§ 203 SGB V",
                );
            }
        }
        if m.employer_top_up_daily > Decimal::ZERO {
            d.document(
                DocumentKind::ArbeitgeberzuschussBescheinigung,
                Some(id),
                &m::REASON_ARBEITGEBERZUSCHUSS,
                "§ 3 Abs. 1 Nr. 1 BEEG; § 20 MuSchG",
                None,
            );
        }
    }
    if cx.non_eu(id) {
        d.document(
            DocumentKind::Aufenthaltstitel,
            Some(id),
            &m::REASON_AUFENTHALTSTITEL_ELTERNGELD,
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
            let (message_de, message_en) = rendered(&Localized::new(
                &m::DEADLINE_ELTERNGELD,
                [
                    ("parent", Value::text(id)),
                    ("last_day", Value::Date(last_day)),
                    ("lebensmonat", Value::Int(lm.into())),
                    ("retro", Value::Int(retro.into())),
                ],
            ));
            d.deadline(Deadline {
                kind: "elterngeld_retroactive".into(),
                parent: Some(id.clone()),
                protects: format!("Lebensmonat {lm}"),
                last_day,
                send_by,
                remind_on,
                open: cx.today <= last_day,
                citation: citation.clone(),
                message_de,
                message_en,
            });
        }
        if !lost.is_empty() {
            d.finding(
                format!("parents[{id}].plan"),
                FindingCode::LebensmonateLost,
                Severity::Warning,
                &Localized::new(
                    &m::LEBENSMONATE_LOST,
                    [
                        ("parent", Value::text(id)),
                        // As a list in brackets: `[1, 2]`.
                        ("lost", Value::text(&format!("{lost:?}"))),
                    ],
                ),
            );
        }
        if let Some(r) = results.and_then(|r| r.parents.iter().find(|p| &p.id == id)) {
            eligible |= r.eligible;
            total += r.total;
            if !r.eligible {
                for reason in r.reasons.iter().filter(|x| !x.code.starts_with("assumed_")) {
                    d.finding(
                        format!("parents[{id}]"),
                        FindingCode::Passed(reason.code.to_string()),
                        Severity::Warning,
                        &with_citation(reason.message.clone(), &reason.citation),
                    );
                }
            }
        }
    }
    if let Some(r) = results {
        for p in &r.plan_problems {
            d.finding(
                "parents[*].plan",
                FindingCode::Passed(p.code.clone()),
                Severity::Error,
                &with_citation(
                    Localized::fixed(p.message_de.clone(), p.message_en.clone()),
                    &p.citation,
                ),
            );
        }
        // A plan that breaks § 4 BEEG yields no amount to expect (issue 22): the findings
        // above say why.
        d.app.benefit = r.payable.then(|| Benefit {
            eligible,
            amount: format!("{total:.2}"),
            amount_kind: "total".into(),
            provisional: false,
        });
    }
    if !cx.born {
        d.finding(
            "child.birth_date",
            FindingCode::ProvisionalDates,
            Severity::Info,
            &text(&m::PROVISIONAL_DATES),
        );
    }
}
