//! Golden cases of the bundle: six families (`tests/fixtures/*.json`, fictitious people,
//! valid test Steuer-IDs and IBANs) and what their three applications must say. Each
//! expectation names the rule or source it follows.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::convert::Infallible;

use elternkit_bundle::routing::{
    Land, Office, Place, Question, QuestionField, QuestionOption, Routing, Service,
};
use elternkit_bundle::{
    Application, Bundle, ConsentStatus, DependencyKind, DeriveContext, DocumentStatus, FieldStatus,
    NoRouter, Router, Severity, Status, derive, derive_json,
};
use elternkit_model::application::{ConsentKind, DocumentKind, Source};
use elternkit_model::{Case, parse_case};
use elternkit_rules::calculate;
use jiff::civil::date;

/// A stand-in for the routing module: resolves everything, except Elterngeld in Berlin,
/// which is organised by Bezirk and needs the `area` answer (ROUTING.md).
struct TestRouter;

impl Router for TestRouter {
    type Error = Infallible;

    fn route(&self, service: Service, place: &Place) -> Result<Option<Routing>, Infallible> {
        if service == Service::Elterngeldstelle
            && place.land == Some(Land::Berlin)
            && place.area.is_none()
        {
            return Ok(Some(Routing::Ask {
                question: Question {
                    field: QuestionField::Area,
                    text_de: "In welchem Bezirk wohnen Sie?".into(),
                    text_en: "Which district do you live in?".into(),
                    options: vec![QuestionOption {
                        value: "mitte".into(),
                        label: "Mitte".into(),
                    }],
                },
                why: Vec::new(),
            }));
        }
        Ok(Some(Routing::Resolved {
            office: Office {
                destination_id: format!("test:{service:?}:{}", place.postal_code),
                name: format!("Test office {service:?} {}", place.postal_code),
                address: None,
                endpoint: "https://relay.invalid".into(),
                age_recipient: "age1test".into(),
                age_kid: "k1".into(),
                verified: false,
                // An office that takes part in every exchange (as ELFE in Bremen), so the
                // consents of the fixtures replace their documents here.
                data_exchanges: vec![
                    ConsentKind::BirthDataExchange,
                    ConsentKind::PayDataViaDrv,
                    ConsentKind::MutterschaftsgeldFromGkv,
                ],
            },
            why: Vec::new(),
        }))
    }
}

fn load(name: &str) -> Case {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse_case(&text).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn bundle(name: &str) -> Bundle {
    derive(&load(name), &DeriveContext::default(), &TestRouter)
}

fn app<'a>(b: &'a Bundle, id: &str) -> &'a Application {
    b.applications
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no application {id}"))
}

fn docs(a: &Application, status: DocumentStatus) -> Vec<(DocumentKind, Option<&str>)> {
    a.documents
        .iter()
        .filter(|d| d.status == status)
        .map(|d| (d.kind, d.parent.as_deref()))
        .collect()
}

fn errors(a: &Application) -> Vec<(&str, &str)> {
    a.problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.path.as_str(), p.code.as_str()))
        .collect()
}

fn waits_for(a: &Application) -> Vec<DependencyKind> {
    a.depends_on
        .iter()
        .filter(|d| !d.satisfied)
        .map(|d| d.kind)
        .collect()
}

fn field<'a>(a: &'a Application, path: &str) -> &'a elternkit_bundle::Field {
    a.fields
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{}: no field {path}", a.id))
}

fn deadline(
    a: &Application,
    kind: &str,
    parent: Option<&str>,
) -> (jiff::civil::Date, jiff::civil::Date, jiff::civil::Date) {
    let d = a
        .deadlines
        .iter()
        .find(|d| d.kind == kind && d.parent.as_deref() == parent)
        .unwrap_or_else(|| panic!("{}: no deadline {kind}", a.id));
    (d.last_day, d.send_by, d.remind_on)
}

#[test]
fn married_couple_in_bremen() {
    let b = bundle("bremen_married");
    assert_eq!(b.order, ["standesamt", "elterngeldstelle", "familienkasse"]);
    assert_eq!(b.land, Some(Land::Bremen));

    // Standesamt: married with Ehename → the child's name is fixed (§ 1616 BGB); the
    // marriage certificate and both IDs are uploaded (§ 33 PStV) → ready.
    let sta = app(&b, "standesamt");
    assert_eq!(sta.status, Status::Ready, "{:?}", errors(sta));
    assert!(
        sta.problems
            .iter()
            .any(|p| p.code == "name_by_law" && p.message_en.contains("Kranich"))
    );
    // § 33 PStV: married parents present the marriage certificate and both their birth
    // certificates.
    assert_eq!(
        docs(sta, DocumentStatus::Uploaded),
        [
            (DocumentKind::Eheurkunde, None),
            (DocumentKind::GeburtsurkundeMutter, Some("p1")),
            (DocumentKind::GeburtsurkundeVater, Some("p2")),
            (DocumentKind::Ausweis, Some("p1")),
            (DocumentKind::Ausweis, Some("p2"))
        ]
    );
    assert!(matches!(sta.routing, Some(Routing::Resolved { .. })));
    // § 18 Abs. 1 PStG: one week after the birth on 2026-01-05.
    assert_eq!(
        deadline(sta, "birth_notification", None).0,
        date(2026, 1, 12)
    );

    // Elterngeld, joint application (Bundesantrag): the consents replace the birth
    // certificate (§ 25 BEEG), p1's payslips (§ 108a SGB IV) and the Mutterschaftsgeld
    // certificate (§ 203 SGB V, p1 is a GKV member); p2 uploaded payslips but not the
    // employer's Elternzeit confirmation.
    let eg = app(&b, "elterngeldstelle");
    assert_eq!(eg.applicants, ["p1", "p2"]);
    assert_eq!(
        docs(eg, DocumentStatus::ReplacedByFetch),
        [
            (DocumentKind::GeburtsurkundeElterngeld, None),
            (DocumentKind::Gehaltsnachweise, Some("p1")),
            (DocumentKind::MutterschaftsgeldBescheinigung, Some("p1")),
        ]
    );
    assert_eq!(
        docs(eg, DocumentStatus::Missing),
        [(DocumentKind::ElternzeitBestaetigung, Some("p2"))]
    );
    assert_eq!(docs(eg, DocumentStatus::Uploaded).len(), 3);
    // Waits for the Standesamt's registration (the data flow only after it), and is
    // incomplete because of the missing confirmation.
    assert_eq!(waits_for(eg), [DependencyKind::BirthRegistration]);
    assert_eq!(eg.status, Status::Incomplete);
    assert!(errors(eg).is_empty(), "{:?}", errors(eg));
    // § 7 Abs. 1 S. 2 BEEG: Lebensmonat 1 (2026-01-05 …) is reached until the end of
    // Lebensmonat 4, 2026-05-04 (a Monday). The reminder five working days earlier skips
    // 1 May: 2026-04-24. p2 starts in Lebensmonat 11 → end of Lebensmonat 14, 2027-03-04.
    assert_eq!(
        deadline(eg, "elterngeld_retroactive", Some("p1")),
        (date(2026, 5, 4), date(2026, 5, 4), date(2026, 4, 24))
    );
    assert_eq!(
        deadline(eg, "elterngeld_retroactive", Some("p2")).0,
        date(2027, 3, 4)
    );
    // The amount is the rules' total for both parents.
    let rules = calculate(&load("bremen_married"));
    let total: rust_decimal::Decimal = rules
        .elterngeld
        .unwrap()
        .parents
        .iter()
        .map(|p| p.total)
        .sum();
    assert_eq!(eg.benefit.as_ref().unwrap().amount, format!("{total:.2}"));

    // Kindergeld: only waiting for the child's Steuer-ID (§ 63 Abs. 1 S. 3 EStG); the IBAN in
    // print form is valid; 259 € once the ID is there (§ 66 Abs. 1 EStG, 2026).
    let kg = app(&b, "familienkasse");
    assert_eq!(kg.status, Status::Waiting);
    assert_eq!(waits_for(kg), [DependencyKind::ChildSteuerId]);
    assert_eq!(
        field(kg, "application.children[0].steuer_id").status,
        FieldStatus::Awaited
    );
    assert_eq!(
        field(kg, "application.bank.iban").status,
        FieldStatus::Provided
    );
    let benefit = kg.benefit.as_ref().unwrap();
    assert_eq!(
        (benefit.amount.as_str(), benefit.provisional),
        ("259.00", true)
    );
    // § 70 Abs. 1 S. 2 EStG: January 2026 is reached by applications until 2026-07-31.
    assert_eq!(
        deadline(kg, "kindergeld_retroactive", None),
        (date(2026, 7, 31), date(2026, 7, 31), date(2026, 7, 24))
    );
    // The other parent's Berechtigtenbestimmung (§ 64 Abs. 2 S. 2 EStG) is given.
    let agrees = kg
        .consents
        .iter()
        .find(|c| c.kind == ConsentKind::OtherParentAgrees)
        .unwrap();
    assert_eq!(
        (agrees.given_by.as_str(), agrees.status, agrees.required),
        ("p2", ConsentStatus::Given, true)
    );
}

#[test]
fn unmarried_couple_in_bavaria() {
    let b = bundle("bayern_unmarried");
    // Standesamt: unmarried → mother's birth certificate, Vaterschaftsanerkennung and
    // Sorgeerklärung (§ 33 PStV), all uploaded; joint custody by declaration → the parents
    // choose; a Doppelname declared by both after 2025-05-01 is allowed.
    let sta = app(&b, "standesamt");
    assert_eq!(sta.status, Status::Ready, "{:?}", errors(sta));
    let kinds: Vec<_> = sta.documents.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&DocumentKind::GeburtsurkundeMutter));
    assert!(kinds.contains(&DocumentKind::Vaterschaftsanerkennung));
    assert!(kinds.contains(&DocumentKind::Sorgeerklaerung));
    assert!(!kinds.contains(&DocumentKind::Eheurkunde));
    assert_eq!(
        field(sta, "application.name_choice").status,
        FieldStatus::Provided
    );
    assert!(
        sta.deadlines.is_empty(),
        "registered: no notification deadline"
    );

    // Elterngeld: only p1 claims; p2 must agree to the allocation of months.
    let eg = app(&b, "elterngeldstelle");
    assert_eq!(eg.applicants, ["p1"]);
    assert_eq!(
        eg.status,
        Status::Ready,
        "{:?} {:?}",
        errors(eg),
        docs(eg, DocumentStatus::Missing)
    );
    let agree = eg
        .consents
        .iter()
        .find(|c| c.kind == ConsentKind::OtherParentAgrees)
        .unwrap();
    assert_eq!(
        (agree.given_by.as_str(), agree.status),
        ("p2", ConsentStatus::Given)
    );
    // Routed by the residence (Bavaria: one central Land office, ZBFS).
    match &eg.routing {
        Some(Routing::Resolved { office, .. }) => assert!(office.name.contains("80331")),
        other => panic!("{other:?}"),
    }
    // Birth 2026-03-20: Lebensmonat 4 ends 2026-07-19, a Sunday → send by Friday 07-17.
    assert_eq!(
        deadline(eg, "elterngeld_retroactive", Some("p1")),
        (date(2026, 7, 19), date(2026, 7, 17), date(2026, 7, 10))
    );

    // Kindergeld: the child's Steuer-ID is there → ready; 2026-03 reached until 2026-09-30.
    let kg = app(&b, "familienkasse");
    assert_eq!(kg.status, Status::Ready, "{:?}", errors(kg));
    assert_eq!(
        deadline(kg, "kindergeld_retroactive", None).0,
        date(2026, 9, 30)
    );
    assert!(b.applications.iter().all(|a| a.ready));
}

#[test]
fn single_parent_in_berlin() {
    let b = bundle("berlin_single");
    // One parent: no couple fields, the child gets the mother's name (§ 1617a Abs. 1 BGB).
    let sta = app(&b, "standesamt");
    assert!(
        sta.fields
            .iter()
            .all(|f| !f.path.starts_with("application.couple"))
    );
    assert!(
        sta.problems
            .iter()
            .any(|p| p.code == "name_by_law" && p.message_en.contains("Sommer"))
    );
    assert_eq!(
        docs(sta, DocumentStatus::Missing),
        [
            (DocumentKind::GeburtsurkundeMutter, Some("p1")),
            (DocumentKind::Ausweis, Some("p1"))
        ]
    );

    // Elterngeld in Berlin is organised by Bezirk: the router asks, and the application is
    // not ready until the answer is in application.place.area.
    let eg = app(&b, "elterngeldstelle");
    assert!(matches!(eg.routing, Some(Routing::Ask { .. })));
    assert!(errors(eg).contains(&("application.place.area", "routing_question")));
    assert!(!eg.ready);
    // No consents: the birth certificate and payslips must be uploaded. While the office is
    // still asked for, no consent can replace them: whether it takes part in the exchange is
    // a property of the office (ELFE.md), not of the consent.
    let missing = docs(eg, DocumentStatus::Missing);
    assert_eq!(
        missing,
        [
            (DocumentKind::GeburtsurkundeElterngeld, None),
            (DocumentKind::Gehaltsnachweise, Some("p1")),
            (DocumentKind::ElternzeitBestaetigung, Some("p1")),
        ]
    );
    let replaceable: Vec<_> = eg.documents.iter().map(|d| d.replaceable_by).collect();
    assert_eq!(replaceable, [None, None, None]);
    // No other parent: nobody else must agree.
    assert!(
        eg.consents
            .iter()
            .all(|c| c.kind != ConsentKind::OtherParentAgrees)
    );
    // The name is fixed by law; the birth name is awaited from the registration.
    assert_eq!(
        field(eg, "application.name_choice").value.as_deref(),
        Some("Sommer")
    );
    // Birth 2026-11-09: Lebensmonat 4 ends 2027-03-08, Frauentag in Berlin (a Monday) →
    // send by Friday 2027-03-05 (holiday_de: Berlin since 2019).
    assert_eq!(
        deadline(eg, "elterngeld_retroactive", Some("p1")),
        (date(2027, 3, 8), date(2027, 3, 5), date(2027, 2, 26))
    );

    // Kindergeld: single claimant, no Berechtigtenbestimmung needed.
    let kg = app(&b, "familienkasse");
    assert!(
        kg.consents
            .iter()
            .all(|c| c.kind != ConsentKind::OtherParentAgrees)
    );
    assert_eq!(kg.status, Status::Waiting);
}

#[test]
fn premature_twins() {
    let b = bundle("twins_premature");
    // Born 8 weeks early (expected 2026-03-30, born 2026-02-02): the medical certificate of
    // the expected date is needed for the extra Basis months (§ 4 Abs. 5 BEEG).
    let eg = app(&b, "elterngeldstelle");
    assert_eq!(
        docs(eg, DocumentStatus::Missing),
        [(DocumentKind::AerztlicheBescheinigungFruehgeburt, None)]
    );
    assert!(errors(eg).is_empty(), "{:?}", errors(eg));
    // Both twins registered: the birth data flow under the consent.
    assert!(waits_for(eg).is_empty());
    assert_eq!(
        field(eg, "application.children[1].given_names")
            .value
            .as_deref(),
        Some("Pia")
    );

    // Standesamt: one field set per child.
    let sta = app(&b, "standesamt");
    assert_eq!(
        field(sta, "application.children[0].birth_time")
            .value
            .as_deref(),
        Some("03:10")
    );
    assert_eq!(
        field(sta, "application.children[1].birth_time")
            .value
            .as_deref(),
        Some("03:24")
    );

    // Kindergeld: one Anlage Kind per child; Pia's Steuer-ID has not come yet → waiting.
    // 2 × 259 € (§ 66 Abs. 1 EStG).
    let kg = app(&b, "familienkasse");
    assert_eq!(
        field(kg, "application.children[0].steuer_id").status,
        FieldStatus::Provided
    );
    assert_eq!(
        field(kg, "application.children[1].steuer_id").status,
        FieldStatus::Awaited
    );
    assert_eq!(waits_for(kg), [DependencyKind::ChildSteuerId]);
    assert_eq!(kg.status, Status::Waiting);
    assert_eq!(kg.benefit.as_ref().unwrap().amount, "518.00");
    assert_eq!(kg.applicants, ["p2"]);
}

#[test]
fn parent_without_steuer_id() {
    let b = bundle("no_steuer_id");
    // The claimant p2 has no Steuer-ID yet: required for Kindergeld (§ 62 Abs. 1 S. 2 EStG,
    // § 139b AO) and "zwingend" on the Elterngeld form for both parents (FORMS.md [E2]).
    let kg = app(&b, "familienkasse");
    assert!(errors(kg).contains(&("application.parents[p2].steuer_id", "missing")));
    // The rules' hint: p1 could claim instead (§ 62, § 64 EStG).
    assert!(
        kg.problems
            .iter()
            .any(|p| p.code == "other_parent_may_claim")
    );
    // p2 is French: Anlage EU.
    assert!(kg.problems.iter().any(|p| p.code == "anlage_eu"));
    // p1 has not agreed to p2 receiving the Kindergeld.
    let agree = kg
        .consents
        .iter()
        .find(|c| c.kind == ConsentKind::OtherParentAgrees)
        .unwrap();
    assert_eq!(
        (agree.given_by.as_str(), agree.status),
        ("p1", ConsentStatus::Missing)
    );
    assert_eq!(kg.status, Status::Incomplete);

    let eg = app(&b, "elterngeldstelle");
    assert!(errors(eg).contains(&("application.parents[p2].steuer_id", "missing")));
    assert!(!errors(eg).contains(&("application.parents[p1].steuer_id", "missing")));
    // p2 had no income before the birth: no payslips or Elternzeit confirmation for p2.
    assert!(
        eg.documents
            .iter()
            .all(|d| d.parent.as_deref() != Some("p2"))
    );
    // Married without Ehename → the parents choose; the mother's name, declared by both.
    let sta = app(&b, "standesamt");
    assert!(
        !sta.problems
            .iter()
            .any(|p| p.path == "application.name_choice" && p.severity == Severity::Error)
    );
}

#[test]
fn non_eu_parent_with_residence_title() {
    let b = bundle("non_eu_title");
    // A Blue Card entitles (§ 62 Abs. 2 Nr. 2 EStG, § 1 Abs. 7 BEEG); the title's copy is
    // required for both benefits, and its details are asked.
    let eg = app(&b, "elterngeldstelle");
    let kg = app(&b, "familienkasse");
    for a in [eg, kg] {
        let title = a
            .documents
            .iter()
            .find(|d| d.kind == DocumentKind::Aufenthaltstitel)
            .unwrap();
        assert_eq!(
            (title.parent.as_deref(), title.status),
            (Some("p1"), DocumentStatus::Uploaded)
        );
        assert_eq!(
            field(a, "application.parents[p1].residence_title.valid_until")
                .value
                .as_deref(),
            Some("2029-03-31")
        );
        // The IBAN has a wrong check digit (iban_validate) → invalid, not ready.
        assert!(errors(a).contains(&("application.bank.iban", "iban_invalid")));
        assert_eq!(
            field(a, "application.bank.iban").status,
            FieldStatus::Invalid
        );
        assert!(!a.ready);
    }
    // The German parent needs no title.
    assert!(eg.fields.iter().all(|f| {
        !f.path
            .starts_with("application.parents[p2].residence_title")
    }));
    // Foreign documents at the Standesamt take time (ELFE.md § 8).
    let sta = app(&b, "standesamt");
    assert!(
        sta.problems
            .iter()
            .any(|p| p.code == "foreign_documents" && p.path.contains("p1"))
    );
    assert_eq!(sta.status, Status::Ready);
    // Married without Ehename, the father's name chosen by both (§ 1617 Abs. 1 BGB).
    assert!(
        sta.problems
            .iter()
            .all(|p| p.code != "name_choice_mismatch")
    );
}

#[test]
fn the_rules_ignore_the_application_section() {
    // The application data must not change any amount: the same case without it computes
    // the identical result.
    for name in [
        "bremen_married",
        "bayern_unmarried",
        "berlin_single",
        "twins_premature",
        "no_steuer_id",
        "non_eu_title",
    ] {
        let case = load(name);
        let mut bare = case.clone();
        bare.application = None;
        let (mut a, mut b) = (calculate(&case), calculate(&bare));
        a.id = None;
        b.id = None;
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn nothing_flows_without_a_consent() {
    let mut case = load("bremen_married");
    let app_data = case.application.as_mut().unwrap();
    // Revoke the birth-data consent before the evaluation date (Art. 7 Abs. 3 DSGVO).
    let c = app_data
        .consents
        .iter_mut()
        .find(|c| c.id == "c-exchange")
        .unwrap();
    c.revoked_at = Some("2026-01-10T12:00:00Z".parse().unwrap());
    // A value claimed as fetched under that consent.
    app_data.sources.insert(
        "application.children[0].given_names".into(),
        Source::Fetched {
            consent: "c-exchange".into(),
        },
    );
    let b = derive(&case, &DeriveContext::default(), &TestRouter);
    let eg = app(&b, "elterngeldstelle");
    let cert = eg
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::GeburtsurkundeElterngeld)
        .unwrap();
    assert_eq!(cert.status, DocumentStatus::Missing);
    assert!(errors(eg).contains(&(
        "application.children[0].given_names",
        "fetch_without_consent"
    )));
    let sta = app(&b, "standesamt");
    let exchange = sta
        .consents
        .iter()
        .find(|c| c.kind == ConsentKind::BirthDataExchange)
        .unwrap();
    assert_eq!(exchange.status, ConsentStatus::Revoked);
    assert!(exchange.revocable);
    // A consent given after the evaluation date does not count yet.
    let mut later = load("bremen_married");
    let c = later
        .application
        .as_mut()
        .unwrap()
        .consents
        .iter_mut()
        .find(|c| c.id == "c-drv-p1")
        .unwrap();
    c.given_at = "2026-02-01T09:00:00Z".parse().unwrap();
    let b = derive(&later, &DeriveContext::default(), &TestRouter);
    let eg = app(&b, "elterngeldstelle");
    let pay = eg
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::Gehaltsnachweise && d.parent.as_deref() == Some("p1"))
        .unwrap();
    assert_eq!(pay.status, DocumentStatus::Missing);
}

#[test]
fn consented_fetch_fills_absent_fields() {
    // With the § 25 BEEG consent the child's names need not be typed for Elterngeld: the
    // field is "to be fetched" under that consent.
    let mut case = load("bremen_married");
    case.application.as_mut().unwrap().children[0]
        .given_names
        .clear();
    let b = derive(&case, &DeriveContext::default(), &TestRouter);
    let f = field(
        app(&b, "elterngeldstelle"),
        "application.children[0].given_names",
    );
    assert_eq!(f.status, FieldStatus::ToBeFetched);
    assert_eq!(
        f.source,
        Some(Source::Fetched {
            consent: "c-exchange".into()
        })
    );
    // The Standesamt records the names itself: there they are missing.
    let f = field(app(&b, "standesamt"), "application.children[0].given_names");
    assert_eq!(f.status, FieldStatus::Missing);
}

#[test]
fn before_the_birth_everything_can_be_prepared() {
    // Evaluated three weeks before the birth: each application waits for the birth, the
    // fields that only the birth yields are awaited (not missing), and the deadlines exist.
    let ctx = DeriveContext {
        evaluation_date: Some(date(2025, 12, 15)),
        ..DeriveContext::default()
    };
    let b = derive(&load("bremen_married"), &ctx, &TestRouter);
    for a in &b.applications {
        assert!(waits_for(a).contains(&DependencyKind::Birth), "{}", a.id);
        assert!(!a.ready);
    }
    let sta = app(&b, "standesamt");
    // No data errors; what is open are the declarations, signed only on 2026-01-02.
    assert!(errors(sta).is_empty(), "{:?}", errors(sta));
    assert_eq!(sta.status, Status::Incomplete);
    assert!(
        sta.consents
            .iter()
            .filter(|c| c.required)
            .all(|c| c.status == ConsentStatus::Missing)
    );
    // Consents given 2026-01-02 do not exist yet on 2025-12-15.
    let eg = app(&b, "elterngeldstelle");
    assert!(
        eg.consents
            .iter()
            .all(|c| c.status == ConsentStatus::Missing)
    );
    assert!(eg.problems.iter().any(|p| p.code == "provisional_dates"));
}

#[test]
fn bad_input_is_data_not_a_panic() {
    let b = derive_json("{not json", &DeriveContext::default(), &NoRouter);
    assert!(b.applications.is_empty());
    assert_eq!(b.problems[0].code, "invalid_json");
    // An unknown parent in the application section is a reference error with its path.
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/berlin_single.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("\"given_by\": \"p1\"", "\"given_by\": \"p7\"");
    let b = derive_json(&text, &DeriveContext::default(), &NoRouter);
    assert!(
        b.problems
            .iter()
            .any(|p| p.code == "unknown_parent" && p.path == "application.consents[0].given_by"),
        "{:?}",
        b.problems
    );
    // Without a router the applications carry no office and do not wait for one.
    let b = derive(
        &load("bayern_unmarried"),
        &DeriveContext::default(),
        &NoRouter,
    );
    assert!(
        b.applications
            .iter()
            .all(|a| a.routing.is_none() && a.ready)
    );
}

#[test]
fn a_case_without_application_data_still_derives() {
    // The embedded demo case without its application section: every application
    // incomplete, with the missing fields listed, and a case-level note.
    let mut case: serde_json::Value =
        serde_json::from_str(include_str!("../../../../cli/src/demo_case.json"))
            .expect("demo JSON");
    case.as_object_mut()
        .expect("an object")
        .remove("application")
        .expect("the demo case has an application section");
    let b = derive_json(&case.to_string(), &DeriveContext::default(), &NoRouter);
    assert!(b.problems.iter().any(|p| p.code == "no_application_data"));
    let kg = app(&b, "familienkasse");
    assert!(errors(kg).contains(&("application.bank.iban", "missing")));
    assert!(errors(kg).contains(&("application.parents[p1].steuer_id", "missing")));
    assert_eq!(kg.status, Status::Incomplete);
    assert_eq!(b.land, None);
}

/// A source recorded for a path that no application asks for (here a typo of `steuer_id`) is
/// reported as a warning on the case; a source for a real field is not.
#[test]
fn a_source_for_an_unknown_field_is_reported() {
    let mut case = load("bremen_married");
    let application = case.application.as_mut().expect("application data");
    application.sources.insert(
        "application.children[0].given_names".to_string(),
        Source::Entered,
    );
    application.sources.insert(
        "application.parents[p1].steur_id".to_string(),
        Source::Entered,
    );
    let b = derive(&case, &DeriveContext::default(), &NoRouter);
    let unknown: Vec<&str> = b
        .problems
        .iter()
        .filter(|p| p.code == "source_for_unknown_field")
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(
        unknown,
        ["application.sources[application.parents[p1].steur_id]"]
    );
    assert!(
        b.problems
            .iter()
            .filter(|p| p.code == "source_for_unknown_field")
            .all(|p| p.severity == Severity::Warning)
    );
}

/// The Bavarian family, edited.
fn edited(
    name: &str,
    edit: impl FnOnce(&mut elternkit_model::application::ApplicationData),
) -> Bundle {
    let mut case = load(name);
    edit(case.application.as_mut().unwrap());
    derive(&case, &DeriveContext::default(), &TestRouter)
}

/// § 1617a Abs. 2 BGB as amended from 2025-05-01: under the mother's sole custody a Doppelname
/// of both parents' names is allowed with the other parent's consent (he declares it too);
/// without his declaration, or without an acknowledged paternity, it is not.
#[test]
fn doppelname_under_sole_custody() {
    let sole = |a: &mut elternkit_model::application::ApplicationData| {
        a.couple.custody_declaration = None;
    };
    let b = edited("bayern_unmarried", sole);
    let sta = app(&b, "standesamt");
    assert!(
        !errors(sta)
            .iter()
            .any(|(p, _)| *p == "application.name_choice"),
        "{:?}",
        errors(sta)
    );
    let b = edited("bayern_unmarried", |a| {
        sole(a);
        if let Some(c) = a.name_choice.as_mut() {
            c.declared_by = vec!["p1".into()];
        }
    });
    assert!(
        errors(app(&b, "standesamt"))
            .contains(&("application.name_choice", "name_choice_needs_both"))
    );
    let b = edited("bayern_unmarried", |a| {
        sole(a);
        a.couple.paternity_acknowledgement = None;
    });
    assert!(
        errors(app(&b, "standesamt"))
            .contains(&("application.name_choice", "name_choice_not_allowed"))
    );
}

/// An unmarried father without an acknowledged paternity is not a parent in law (§ 1592 BGB):
/// Kindergeld needs a child in the first degree (§ 63 Abs. 1, § 32 Abs. 1 Nr. 1 EStG),
/// Elterngeld the parent relationship or a declared acknowledgement (§ 1 Abs. 1, Abs. 3 S. 1
/// Nr. 3 BEEG). With the acknowledgement on record (the fixture) there is no such finding.
#[test]
fn unmarried_father_without_acknowledged_paternity() {
    let has = |b: &Bundle, id: &str| {
        app(b, id)
            .problems
            .iter()
            .any(|p| p.code == "paternity_not_established" && p.severity == Severity::Error)
    };
    let b = bundle("bayern_unmarried");
    assert!(!has(&b, "familienkasse") && !has(&b, "elterngeldstelle"));
    // The father claims two Elterngeld months and the Kindergeld, without acknowledgement.
    let mut case = load("bayern_unmarried");
    case.parents[1].plan = case.parents[0].plan[..2].to_vec();
    case.kindergeld
        .as_mut()
        .expect("the fixture claims Kindergeld")
        .claimant = "p2".into();
    case.application
        .as_mut()
        .unwrap()
        .couple
        .paternity_acknowledgement = None;
    let b = derive(&case, &DeriveContext::default(), &TestRouter);
    assert!(
        has(&b, "elterngeldstelle"),
        "§ 1 Abs. 1, Abs. 3 S. 1 Nr. 3 BEEG"
    );
    assert!(
        has(&b, "familienkasse"),
        "§ 63 Abs. 1, § 32 Abs. 1 Nr. 1 EStG"
    );
}
