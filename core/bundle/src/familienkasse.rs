//! The Familienkasse: Kindergeld (KG 1 + Anlage Kind per child; FORMS.md § 1b).

use super::builder::{
    Cx, Draft, OPTIONAL, P, REQUIRED, child_label, cpath, ppath, rendered, show, text,
    with_citation,
};
use super::deadlines::{Deadline, kindergeld_last_day, reminder_dates};
use super::messages as m;
use super::routing::Service;
use super::{Application, Benefit, DependencyKind, FindingCode, Severity};
use elternkit_model::application::{ConsentKind, DocumentKind};
use elternkit_model::{ActivityKind, Localized, Value, YearMonth};
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
        .expect("a case has a parent (parse_case checks it; see derive)");
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
        &m::DEPENDS_BIRTH_KINDERGELD,
    );
    let children = cx.children();
    let ids_issued = children.iter().all(|c| c.steuer_id.is_some());
    d.depends(
        DependencyKind::ChildSteuerId,
        Some("standesamt"),
        ids_issued,
        &m::DEPENDS_CHILD_STEUER_ID,
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
            child_label(&m::LABEL_CHILD_GIVEN_NAMES, n),
            v,
            REQUIRED.fetch(ConsentKind::BirthDataExchange),
        );
        d.field(
            cpath(i, "sex"),
            child_label(&m::LABEL_CHILD_SEX, n),
            c.sex.map(|s| show(&s)),
            after_birth,
        );
        d.field(
            cpath(i, "birth_place"),
            child_label(&m::LABEL_CHILD_BIRTH_PLACE, n),
            c.birth_place.as_ref().map(|b| b.locality.clone()),
            after_birth.fetch(ConsentKind::BirthDataExchange),
        );
        // Absent until the BZSt has issued it: awaited, not missing.
        d.steuer_id(
            cpath(i, "steuer_id"),
            child_label(&m::LABEL_CHILD_STEUER_ID, n),
            c.steuer_id.as_ref(),
            REQUIRED.awaited_if(true),
        );
    }
    d.bank();

    public_service(&mut d, &claimant);
    if cx.paternity_not_established(&claimant) {
        d.finding(
            "application.couple.paternity_acknowledgement",
            FindingCode::PaternityNotEstablished,
            Severity::Error,
            &text(&m::PATERNITY_NOT_ESTABLISHED_KINDERGELD),
        );
    }
    if let Some(p) = cx.parent(&claimant) {
        if cx.non_eu(&claimant) {
            d.document(
                DocumentKind::Aufenthaltstitel,
                Some(&claimant),
                &m::REASON_AUFENTHALTSTITEL_KINDERGELD,
                "§ 62 Abs. 2 EStG",
                None,
            );
            match p.residence_title.as_deref().and_then(residence_title) {
                None => d.finding(
                    format!("parents[{claimant}].residence_title"),
                    FindingCode::ResidenceTitleUnknown,
                    Severity::Warning,
                    &text(&m::RESIDENCE_TITLE_UNKNOWN),
                ),
                Some(t) if t.status == TitleStatus::EligibleIfEmployed => d.finding(
                    format!("parents[{claimant}].residence_title"),
                    FindingCode::TitleNeedsEmployment,
                    Severity::Info,
                    &Localized::new(
                        &m::TITLE_NEEDS_EMPLOYMENT,
                        [("citation", Value::text(t.citation))],
                    ),
                ),
                Some(_) => {}
            }
        } else if p.citizenship != "DE" && has_free_movement(&p.citizenship) {
            d.finding(
                format!("parents[{claimant}].citizenship"),
                FindingCode::AnlageEu,
                Severity::Info,
                &text(&m::ANLAGE_EU),
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
                &m::PURPOSE_OTHER_PARENT_RECIPIENT,
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
        &m::PURPOSE_BIRTH_DATA_FOR_KINDERGELD,
        "§ 25 BEEG (ELFE); FORMS.md § 2.9",
    );

    deadline_and_benefit(&mut d);
    d.finish()
}

/// § 72 Abs. 1 EStG: a public-service employer (a public-law body) sets and pays the
/// Kindergeld of its staff through its own Familienkasse, unless it has waived that and left
/// it to the Bundesagentur's Familienkasse (S. 3). KG 1 asks every employed claimant; where
/// the employer's own Familienkasse is competent, the application goes there (a finding that
/// blocks sending; `derive` then routes nothing).
fn public_service(d: &mut Draft<'_, '_>, claimant: &str) {
    let cx = d.cx;
    let employer = cx.person(claimant).and_then(|p| p.employer.as_ref());
    let employed = cx.parent(claimant).is_some_and(|p| {
        p.activities_before_birth.iter().any(|a| {
            matches!(a.kind, ActivityKind::Employed | ActivityKind::Minijob)
                && a.months_active.iter().any(|m| *m)
        })
    });
    if !employed && employer.is_none() {
        return;
    }
    let label = |template| {
        Localized::new(
            &m::LABEL_OF_PARENT,
            [
                ("label", Value::Phrase(template)),
                ("parent", Value::text(claimant)),
            ],
        )
    };
    let public = employer.and_then(|e| e.public_service);
    d.field(
        ppath(claimant, "employer.public_service"),
        label(&m::LABEL_PUBLIC_SERVICE),
        public.map(|b| b.to_string()),
        REQUIRED,
    );
    if public != Some(true) {
        return;
    }
    let own = employer.and_then(|e| e.own_familienkasse);
    d.field(
        ppath(claimant, "employer.own_familienkasse"),
        label(&m::LABEL_OWN_FAMILIENKASSE),
        own.map(|b| b.to_string()),
        REQUIRED,
    );
    if own == Some(true) {
        let name = employer.and_then(|e| e.familienkasse.clone());
        d.field(
            ppath(claimant, "employer.familienkasse"),
            label(&m::LABEL_EMPLOYER_FAMILIENKASSE),
            name.clone(),
            OPTIONAL,
        );
        let shown = match &name {
            Some(n) => Value::text(n),
            None => Value::Phrase(&m::EMPLOYER_FAMILIENKASSE_UNNAMED),
        };
        d.finding(
            ppath(claimant, "employer.own_familienkasse"),
            FindingCode::EmployerFamilienkasse,
            Severity::Error,
            &Localized::new(&m::EMPLOYER_FAMILIENKASSE, [("familienkasse", shown)]),
        );
    }
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
    let (message_de, message_en) = rendered(&Localized::new(
        &m::DEADLINE_KINDERGELD,
        [
            ("last_day", Value::Date(last_day)),
            ("month", Value::Month(first)),
            ("retro", Value::Int(retro.into())),
        ],
    ));
    d.deadline(Deadline {
        kind: "kindergeld_retroactive".into(),
        parent: None,
        protects: first.to_string(),
        last_day,
        send_by,
        remind_on,
        open: cx.today <= last_day,
        citation: citation.clone(),
        message_de,
        message_en,
    });
    if first > birth_month {
        let lost = birth_month.months_until(first);
        d.finding(
            "kindergeld.application_date",
            FindingCode::MonthsLost,
            Severity::Warning,
            &Localized::new(
                &m::MONTHS_LOST,
                [
                    ("lost", Value::Int(lost.into())),
                    ("month", Value::Month(birth_month)),
                    ("citation", Value::text(&citation)),
                ],
            ),
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
                    FindingCode::Passed(r.code.to_string()),
                    Severity::Warning,
                    &with_citation(r.message.clone(), &r.citation),
                );
            }
        }
        for h in k.hints.iter().filter(|h| !h.code.starts_with("assumed_")) {
            d.finding(
                "kindergeld",
                FindingCode::Passed(h.code.to_string()),
                Severity::Info,
                &with_citation(h.message.clone(), &h.citation),
            );
        }
    }
}
