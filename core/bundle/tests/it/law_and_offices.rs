//! The bundle against the law and the offices (issue 23): the § 33 PStV documents, the
//! Standesamt's week (§ 18 Abs. 1 PStG with §§ 187, 188, 193 BGB), the two Bremen
//! Standesämter, the § 4c BEEG declaration of single parents and the employer's Familienkasse
//! of § 72 EStG. Each test names the rule it follows. The families are the golden fixtures,
//! changed where a test needs another fact, and routed through the shipped tables and the
//! development directory.

use std::path::PathBuf;

use elternkit_bundle::routing::Routing;
use elternkit_bundle::{
    Application, Bundle, ConsentStatus, DeriveContext, DirectoryRouter, DocumentStatus,
    FieldStatus, Severity, derive,
};
use elternkit_directory::Directory;
use elternkit_model::application::{ConsentKind, DocumentKind};
use elternkit_model::parse_case;
use jiff::civil::{Date, date};
use serde_json::{Value, json};

/// A fixture with `edit` applied, derived on `today` with the real routing.
fn derived(name: &str, today: Option<Date>, edit: impl FnOnce(&mut Value)) -> Bundle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"));
    let mut case: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    edit(&mut case);
    let case = parse_case(&case.to_string()).expect("edited fixture parses");
    let directory = Directory::development(date(2027, 1, 15)).expect("dev directory verifies");
    let ctx = DeriveContext {
        evaluation_date: today,
        ..DeriveContext::default()
    };
    derive(&case, &ctx, &DirectoryRouter(&directory))
}

fn app<'a>(b: &'a Bundle, id: &str) -> &'a Application {
    b.applications
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no application {id}"))
}

fn documents(a: &Application) -> Vec<(DocumentKind, Option<&str>)> {
    a.documents
        .iter()
        .map(|d| (d.kind, d.parent.as_deref()))
        .collect()
}

fn has_code(a: &Application, code: &str) -> Option<Severity> {
    a.problems
        .iter()
        .find(|p| p.code == code)
        .map(|p| p.severity)
}

/// The uploaded documents of a fixture without those of `kinds`.
fn without_documents(case: &mut Value, kinds: &[&str]) {
    let docs = case["application"]["documents"]
        .as_array_mut()
        .expect("documents");
    docs.retain(|d| !kinds.contains(&d["kind"].as_str().unwrap_or_default()));
}

// § 33 PStV: the documents for the birth registration.

#[test]
fn married_parents_present_both_birth_certificates_and_the_marriage_certificate() {
    let b = derived("bremen_married", None, |c| {
        without_documents(c, &["geburtsurkunde_mutter", "geburtsurkunde_vater"]);
    });
    let sta = app(&b, "standesamt");
    let docs = documents(sta);
    for need in [
        (DocumentKind::Eheurkunde, None),
        (DocumentKind::GeburtsurkundeMutter, Some("p1")),
        (DocumentKind::GeburtsurkundeVater, Some("p2")),
    ] {
        assert!(docs.contains(&need), "{need:?} in {docs:?}");
    }
    let missing: Vec<_> = sta
        .documents
        .iter()
        .filter(|d| d.status == DocumentStatus::Missing)
        .map(|d| (d.kind, d.citation.as_str()))
        .collect();
    assert_eq!(
        missing,
        [
            (DocumentKind::GeburtsurkundeMutter, "§ 33 PStV"),
            (DocumentKind::GeburtsurkundeVater, "§ 33 PStV")
        ]
    );
    assert!(!sta.ready);
}

#[test]
fn after_an_acknowledgement_the_fathers_birth_certificate_is_needed_too() {
    let b = derived("bayern_unmarried", None, |_| {});
    let docs = documents(app(&b, "standesamt"));
    assert!(docs.contains(&(DocumentKind::GeburtsurkundeMutter, Some("p1"))));
    assert!(docs.contains(&(DocumentKind::Vaterschaftsanerkennung, None)));
    assert!(docs.contains(&(DocumentKind::GeburtsurkundeVater, Some("p2"))));
    // Without an acknowledgement there is no father to document (§ 1592 Nr. 2 BGB).
    let b = derived("bayern_unmarried", None, |c| {
        c["application"]["couple"]
            .as_object_mut()
            .expect("couple")
            .remove("paternity_acknowledgement");
    });
    let docs = documents(app(&b, "standesamt"));
    assert!(docs.contains(&(DocumentKind::GeburtsurkundeMutter, Some("p1"))));
    assert!(
        !docs
            .iter()
            .any(|(k, _)| *k == DocumentKind::GeburtsurkundeVater)
    );
}

#[test]
fn a_divorced_mother_presents_her_marriage_certificate_with_the_note() {
    let b = derived("bayern_unmarried", None, |c| {
        c["application"]["parents"][0]["marital_status"] = "geschieden".into();
    });
    let sta = app(&b, "standesamt");
    let need = sta
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::AufloesungDerEhe)
        .expect("proof of the dissolution");
    assert_eq!(need.parent.as_deref(), Some("p1"));
    assert!(need.reason_de.contains("Eheurkunde"), "{}", need.reason_de);
    assert!(need.reason_de.contains("Auflösung"), "{}", need.reason_de);
    assert_eq!(need.citation, "§ 33 PStV");
}

#[test]
fn a_parent_from_outside_the_eu_brings_the_residence_title_to_the_standesamt() {
    // § 4 Abs. 3 StAG, § 21 Abs. 3 Nr. 4 PStG: whether the child is German by birth.
    let b = derived("non_eu_title", None, |_| {});
    let sta = app(&b, "standesamt");
    let title = sta
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::Aufenthaltstitel)
        .expect("title at the Standesamt");
    assert_eq!(title.parent.as_deref(), Some("p1"));
    assert!(title.citation.contains("§ 4 Abs. 3 StAG"));
    // The German parent brings none.
    assert!(
        !documents(sta).contains(&(DocumentKind::Aufenthaltstitel, Some("p2"))),
        "{:?}",
        documents(sta)
    );
}

// § 18 Abs. 1 PStG: the week to report the birth.

fn notification(b: &Bundle) -> (Date, bool) {
    let d = app(b, "standesamt")
        .deadlines
        .iter()
        .find(|d| d.kind == "birth_notification")
        .expect("birth notification deadline");
    (d.last_day, d.open)
}

fn born(c: &mut Value, day: &str, postal_code: &str, locality: &str) {
    c["child"]["birth_date"] = day.into();
    c["application"]["children"][0]["birth_place"]["postal_code"] = postal_code.into();
    c["application"]["children"][0]["birth_place"]["locality"] = locality.into();
}

#[test]
fn the_week_ends_on_the_same_weekday_and_a_weekend_moves_it_to_monday() {
    // Born Tuesday 2026-05-05: §§ 187 Abs. 1, 188 Abs. 2 BGB → Tuesday 2026-05-12.
    let b = derived("bremen_married", Some(date(2026, 5, 6)), |c| {
        born(c, "2026-05-05", "28209", "Bremen");
    });
    assert_eq!(notification(&b), (date(2026, 5, 12), true));
    // Born Saturday 2026-05-09: the week ends on Saturday 2026-05-16, so Monday 2026-05-18
    // takes its place (§ 193 BGB).
    let b = derived("bremen_married", Some(date(2026, 5, 10)), |c| {
        born(c, "2026-05-09", "28209", "Bremen");
    });
    assert_eq!(notification(&b), (date(2026, 5, 18), true));
}

#[test]
fn the_holidays_are_those_of_the_birth_places_land() {
    // Born Thursday 2026-05-28; a week later is Fronleichnam (2026-06-04), a holiday in
    // Nordrhein-Westfalen, not in Bremen. The family lives in Bremen either way.
    let in_cologne = derived("bremen_married", Some(date(2026, 5, 29)), |c| {
        born(c, "2026-05-28", "50667", "Köln");
    });
    assert_eq!(notification(&in_cologne), (date(2026, 6, 5), true));
    let deadline = app(&in_cologne, "standesamt")
        .deadlines
        .iter()
        .find(|d| d.kind == "birth_notification")
        .expect("deadline");
    assert!(
        deadline.citation.contains("193 BGB"),
        "{}",
        deadline.citation
    );
    let in_bremen = derived("bremen_married", Some(date(2026, 5, 29)), |c| {
        born(c, "2026-05-28", "28209", "Bremen");
    });
    assert_eq!(notification(&in_bremen), (date(2026, 6, 4), true));
}

#[test]
fn a_passed_week_is_shown_as_missed() {
    let day_after = Some(date(2026, 5, 19));
    // Clinic birth: the clinic had to report (§ 20 PStG); the family is told to ask.
    let clinic = derived("bremen_married", day_after, |c| {
        born(c, "2026-05-09", "28209", "Bremen");
    });
    assert_eq!(notification(&clinic), (date(2026, 5, 18), false));
    assert_eq!(
        has_code(app(&clinic, "standesamt"), "birth_notification_missed"),
        Some(Severity::Info)
    );
    // Home birth: the parents' own duty (§ 19 PStG).
    let home = derived("bremen_married", day_after, |c| {
        born(c, "2026-05-09", "28209", "Bremen");
        c["application"]["children"][0]["birth_place"]["in_clinic"] = false.into();
    });
    assert_eq!(
        has_code(app(&home, "standesamt"), "birth_notification_missed"),
        Some(Severity::Warning)
    );
    // On the last day itself, nothing is missed yet.
    let last_day = derived("bremen_married", Some(date(2026, 5, 18)), |c| {
        born(c, "2026-05-09", "28209", "Bremen");
    });
    assert_eq!(notification(&last_day), (date(2026, 5, 18), true));
    assert_eq!(
        has_code(app(&last_day, "standesamt"), "birth_notification_missed"),
        None
    );
    // Once registered, there is no deadline and nothing missed.
    let registered = derived("bremen_married", day_after, |c| {
        born(c, "2026-05-09", "28209", "Bremen");
        c["application"]["children"][0]["birth_registration"] =
            json!({"register_number": "G 1/2026", "standesamt": "Bremen-Mitte"});
    });
    let sta = app(&registered, "standesamt");
    assert!(sta.deadlines.is_empty());
    assert_eq!(has_code(sta, "birth_notification_missed"), None);
}

// The two Standesämter of the city of Bremen (BremAGPStG: Bremen-Mitte, Bremen-Nord).

fn standesamt_name(b: &Bundle) -> String {
    match app(b, "standesamt").routing.as_ref().expect("routed") {
        Routing::Resolved { office, .. } => office.name.clone(),
        Routing::Ask { question, .. } => panic!("asked {question:?}"),
    }
}

#[test]
fn bremen_nord_and_bremen_mitte_are_told_apart() {
    // Vegesack (28755): Bremen-Nord; Schwachhausen (28209): Bremen-Mitte; Bremerhaven: its
    // own Gemeinde and Standesamt.
    for (code, locality, expected) in [
        ("28755", "Bremen", "Standesamt Bremen-Nord"),
        ("28779", "Bremen", "Standesamt Bremen-Nord"),
        ("28717", "Bremen", "Standesamt Bremen-Nord"),
        ("28209", "Bremen", "Standesamt Bremen-Mitte"),
        ("28359", "Bremen", "Standesamt Bremen-Mitte"),
        ("27568", "Bremerhaven", "Standesamt Bremerhaven"),
    ] {
        let b = derived("bremen_married", None, |c| {
            born(c, "2026-01-05", code, locality);
        });
        assert_eq!(standesamt_name(&b), expected, "{code}");
    }
}

// § 4c BEEG: a single parent drawing the partner months alone.

#[test]
fn a_single_parent_with_fourteen_months_states_and_declares_the_ground() {
    // berlin_single: 14 Basis months alone.
    let b = derived("berlin_single", None, |_| {});
    let eg = app(&b, "elterngeldstelle");
    let ground = eg
        .fields
        .iter()
        .find(|f| f.path == "application.elterngeld.single_parent_ground")
        .expect("the § 4c ground is asked");
    assert_eq!(ground.status, FieldStatus::Missing);
    let declaration = eg
        .consents
        .iter()
        .find(|c| c.kind == ConsentKind::SingleParentDeclaration)
        .expect("the § 4c declaration");
    assert!(declaration.required && !declaration.revocable);
    assert_eq!(declaration.citation, "§ 4c Abs. 1 BEEG");
    assert_eq!(declaration.status, ConsentStatus::Missing);

    // Ground Nr. 1 (alleinerziehend, § 24b EStG) declared: no further proof.
    let b = derived("berlin_single", None, |c| {
        c["application"]["elterngeld"] =
            json!({"single_parent_ground": "tax_relief_single_parent"});
        c["application"]["consents"]
            .as_array_mut()
            .expect("consents")
            .push(json!({"id": "c-4c", "kind": "single_parent_declaration",
                         "text_version": "2026-01", "given_by": "p1",
                         "given_at": "2026-01-10T10:00:00Z"}));
    });
    let eg = app(&b, "elterngeldstelle");
    assert!(
        eg.fields
            .iter()
            .any(|f| f.path == "application.elterngeld.single_parent_ground"
                && f.status == FieldStatus::Provided)
    );
    assert!(eg.consents.iter().any(
        |c| c.kind == ConsentKind::SingleParentDeclaration && c.status == ConsentStatus::Given
    ));
    assert!(
        !eg.documents
            .iter()
            .any(|d| d.kind == DocumentKind::NachweisAlleinigerBezug)
    );

    // Nr. 3 (care by the other parent impossible) needs proof.
    let b = derived("berlin_single", None, |c| {
        c["application"]["elterngeld"] = json!({"single_parent_ground": "care_impossible"});
    });
    let proof = app(&b, "elterngeldstelle")
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::NachweisAlleinigerBezug)
        .expect("proof of Nr. 3");
    assert_eq!(proof.status, DocumentStatus::Missing);
    assert!(proof.citation.contains("§ 4c Abs. 1 Nr. 2, 3 BEEG"));
}

#[test]
fn a_single_parent_within_twelve_months_is_not_asked() {
    let b = derived("berlin_single", None, |c| {
        c["parents"][0]["plan"] = json!(vec!["basis"; 12]);
    });
    let eg = app(&b, "elterngeldstelle");
    assert!(
        !eg.fields
            .iter()
            .any(|f| f.path == "application.elterngeld.single_parent_ground")
    );
    assert!(
        !eg.consents
            .iter()
            .any(|c| c.kind == ConsentKind::SingleParentDeclaration)
    );
}

// § 72 EStG: the employer's Familienkasse.

fn familienkasse_field(b: &Bundle, path: &str) -> Option<FieldStatus> {
    app(b, "familienkasse")
        .fields
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.status)
}

#[test]
fn an_employed_claimant_is_asked_about_the_public_service() {
    let b = derived("bremen_married", None, |c| {
        c["application"]["parents"][0]
            .as_object_mut()
            .expect("p1")
            .remove("employer");
    });
    assert_eq!(
        familienkasse_field(&b, "application.parents[p1].employer.public_service"),
        Some(FieldStatus::Missing)
    );
    assert!(!app(&b, "familienkasse").ready);
    // A claimant without employment is not asked (no_steuer_id: p2 has no activity).
    let b = derived("no_steuer_id", None, |_| {});
    assert_eq!(
        familienkasse_field(&b, "application.parents[p2].employer.public_service"),
        None
    );
}

#[test]
fn a_public_employer_that_kept_its_familienkasse_takes_the_application() {
    let employer = |own: Value| {
        move |c: &mut Value| {
            c["application"]["parents"][0]["employer"] = json!({
                "name": "Freie Hansestadt Bremen", "public_service": true,
                "own_familienkasse": own, "familienkasse": "Performa Nord, Familienkasse"});
        }
    };
    // Not yet said whether it kept one: asked.
    let b = derived("bremen_married", None, employer(Value::Null));
    assert_eq!(
        familienkasse_field(&b, "application.parents[p1].employer.own_familienkasse"),
        Some(FieldStatus::Missing)
    );
    // Kept (§ 72 Abs. 1 EStG): that Familienkasse, not the BA, and not through ElternKit.
    let b = derived("bremen_married", None, employer(true.into()));
    let kg = app(&b, "familienkasse");
    let finding = kg
        .problems
        .iter()
        .find(|p| p.code == "employer_familienkasse")
        .expect("routed to the employer");
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.message_de.contains("Performa Nord, Familienkasse"));
    assert!(finding.message_de.contains("§ 72 Abs. 1 EStG"));
    assert!(kg.routing.is_none(), "no FSP/1 destination of ours");
    assert!(!kg.ready);
    // Waived (§ 72 Abs. 1 S. 3 EStG): the BA, as for everyone else.
    let b = derived("bremen_married", None, employer(false.into()));
    let kg = app(&b, "familienkasse");
    assert_eq!(has_code(kg, "employer_familienkasse"), None);
    match kg.routing.as_ref().expect("routed") {
        Routing::Resolved { office, .. } => assert_eq!(office.destination_id, "fk-ba"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_route_to_the_ba_names_the_regional_familienkasse_for_paper() {
    let regional = |name: &str| -> String {
        let b = derived(name, None, |_| {});
        match app(&b, "familienkasse").routing.as_ref().expect("routed") {
            Routing::Resolved { why, .. } => why
                .iter()
                .find(|s| s.text_en.contains("paper application"))
                .map(|s| s.text_en.clone())
                .expect("regional step"),
            other => panic!("{other:?}"),
        }
    };
    assert!(regional("bremen_married").contains("Familienkasse Niedersachsen-Bremen"));
    assert!(regional("berlin_single").contains("Familienkasse Berlin-Brandenburg"));
    // 50667 lies wholly in Köln, which holds a site of Nordrhein-Westfalen West
    // (core/data/familienkasse.toml); of NRW's three, only that one is named.
    let cologne = regional("no_steuer_id");
    assert!(
        cologne.contains("Familienkasse Nordrhein-Westfalen West, 50574 Köln"),
        "{cologne}"
    );
    assert!(!cologne.contains("Nordrhein-Westfalen Ost"), "{cologne}");
}

// Which postcode routing uses, and a residence in another Land than the household.

#[test]
fn the_postcode_finding_names_the_field_routing_uses() {
    // bremen_married routes by `application.place` (28195). An address elsewhere differs
    // from that field.
    let b = derived("bremen_married", None, |c| {
        c["application"]["parents"][0]["address"]["postal_code"] = "28209".into();
    });
    let differs = app(&b, "elterngeldstelle")
        .problems
        .iter()
        .find(|p| p.code == "postal_code_differs")
        .expect("flagged");
    assert!(
        differs
            .message_en
            .contains("application.place.postal_code (28195)"),
        "{}",
        differs.message_en
    );
    // Without `application.place`, routing uses the household's postcode.
    let b = derived("bremen_married", None, |c| {
        c["application"]
            .as_object_mut()
            .expect("application")
            .remove("place");
        c["application"]["parents"][0]["address"]["postal_code"] = "28209".into();
    });
    let differs = app(&b, "elterngeldstelle")
        .problems
        .iter()
        .find(|p| p.code == "postal_code_differs")
        .expect("flagged");
    assert!(
        differs.message_en.contains("household.postal_code (28195)"),
        "{}",
        differs.message_en
    );
}

#[test]
fn a_residence_in_another_land_than_the_household_is_flagged() {
    let b = derived("bremen_married", None, |c| {
        c["application"]["place"] = json!({"postal_code": "50667"});
    });
    let finding = b
        .problems
        .iter()
        .find(|p| p.code == "place_land_differs")
        .expect("flagged");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.path, "application.place.postal_code");
    assert!(finding.message_en.contains("Nordrhein-Westfalen"));
    assert!(finding.message_en.contains("Bremen"));
    // The same Land: nothing to say.
    let b = derived("bremen_married", None, |_| {});
    assert!(!b.problems.iter().any(|p| p.code == "place_land_differs"));
}
