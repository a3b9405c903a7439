//! The bundle with the real routing: the six golden families through the shipped routing
//! tables and the development FSP/1 directory. Which office or which question each
//! application gets follows from ROUTING.md (who is competent in each Land) and the data.

use std::path::PathBuf;

use elternkit_bundle::routing::{Land, Routing};
use elternkit_bundle::{Bundle, DeriveContext, DirectoryRouter, Router, derive};
use elternkit_directory::Directory;
use elternkit_model::parse_case;
use jiff::civil::date;

fn bundle(name: &str) -> Bundle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let case = parse_case(&text).expect("fixture parses");
    // A day inside the development directory's validity (2026-11-23 .. 2028-12-31).
    let directory = Directory::development(date(2027, 1, 15)).expect("dev directory verifies");
    derive(
        &case,
        &DeriveContext::default(),
        &DirectoryRouter(&directory),
    )
}

/// `Ok(name)` for a resolved office, `Err(field)` for a question.
fn routed(b: &Bundle, id: &str) -> Result<String, String> {
    let app = b
        .applications
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no application {id}"));
    match app.routing.as_ref().expect("routing present") {
        Routing::Resolved { office, why } => {
            assert!(!why.is_empty(), "{id}: a resolved office says why");
            assert!(!office.verified, "development offices are never verified");
            assert!(office.age_recipient.starts_with("age1"));
            Ok(office.name.clone())
        }
        Routing::Ask { question, .. } => {
            assert!(
                question.options.len() > 1 || question.field == "area",
                "{id}: a question offers a choice"
            );
            Err(question.field.as_str().to_owned())
        }
    }
}

/// Bayern organises Elterngeld centrally (ZBFS, § 12 BEEG with the Land's law): no question.
#[test]
fn bavaria_is_central() {
    let b = bundle("bayern_unmarried.json");
    assert!(routed(&b, "elterngeldstelle").unwrap().contains("ZBFS"));
    assert!(
        routed(&b, "familienkasse")
            .unwrap()
            .contains("Familienkasse")
    );
    assert!(routed(&b, "standesamt").unwrap().starts_with("Standesamt"));
    assert!(
        b.applications.iter().all(|a| a.ready),
        "{:#?}",
        b.applications
    );
}

/// Bremen: the city's Amt für Soziale Dienste, decided by the postcode.
#[test]
fn bremen_city_office() {
    let b = bundle("bremen_married.json");
    assert_eq!(
        routed(&b, "elterngeldstelle").unwrap(),
        "Amt für Soziale Dienste Bremen, Elterngeldstelle"
    );
}

/// Berlin routes by Bezirk, which no postcode table can give: the app asks.
#[test]
fn berlin_asks_for_the_bezirk() {
    let b = bundle("berlin_single.json");
    assert_eq!(routed(&b, "elterngeldstelle"), Err("area".to_string()));
    let eg = b
        .applications
        .iter()
        .find(|a| a.id == "elterngeldstelle")
        .unwrap();
    assert!(!eg.ready, "an open routing question blocks sending");
}

/// Niedersachsen and Nordrhein-Westfalen route by Kreis: the app asks, it never guesses —
/// unless the postcode lies wholly in one kreisfreie Stadt (50667: Köln), which then is the
/// Kreis.
#[test]
fn kreis_laender_ask_for_the_kreis_unless_the_postcode_is_in_one_city() {
    let b = bundle("twins_premature.json");
    assert_eq!(routed(&b, "elterngeldstelle"), Err("kreis".to_string()));
    let b = bundle("no_steuer_id.json");
    assert_eq!(
        routed(&b, "elterngeldstelle").unwrap(),
        "Elterngeldstelle Köln (Kreisfreie Stadt)"
    );
}

/// Hessen: Frankfurt am Main belongs to the HAVS Versorgungsamt Frankfurt (ROUTING.md § 1.2
/// [R7]; core/data/elterngeld.toml names the page). The clinic postcode 60590 is missing from
/// the open data, but every postcode beginning with 605 lies in Hessen: the Standesamt is
/// found without a question, by the birth place's locality.
#[test]
fn hessen_versorgungsamt_and_an_unknown_clinic_postcode() {
    let b = bundle("non_eu_title.json");
    assert_eq!(
        routed(&b, "elterngeldstelle").unwrap(),
        "Hessisches Amt für Versorgung und Soziales Frankfurt (Versorgungsamt), Elterngeldstelle"
    );
    assert_eq!(
        routed(&b, "standesamt").unwrap(),
        "Standesamt Frankfurt am Main"
    );
}

/// The router knows the Land of a postcode in one Land (for the reminders' holidays), and
/// leaves a cross-border postcode to the user's answer.
#[test]
fn land_for_holidays() {
    let directory = Directory::development(date(2027, 1, 15)).unwrap();
    let router = DirectoryRouter(&directory);
    let place = |code: &str| elternkit_bundle::routing::Place {
        postal_code: code.to_string(),
        ..Default::default()
    };
    assert_eq!(router.land(&place("80331")), Some(Land::Bayern));
    assert_eq!(router.land(&place("21039")), None);
    // Not in the table, but its zone 605 lies wholly in Hessen.
    assert_eq!(router.land(&place("60590")), Some(Land::Hessen));
    // A zone in several Länder, and a postcode that does not exist: no Land.
    assert_eq!(router.land(&place("27000")), None);
    assert_eq!(router.land(&place("00000")), None);
    let mut answered = place("21039");
    answered.land = Some(Land::Hamburg);
    assert_eq!(router.land(&answered), Some(Land::Hamburg));
}

/// A fixture with its JSON changed by `edit`, derived with the real routing.
fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Bundle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture readable"))
            .expect("fixture is JSON");
    edit(&mut json);
    let case = parse_case(&json.to_string()).expect("edited fixture parses");
    let directory = Directory::development(date(2027, 1, 15)).expect("dev directory verifies");
    derive(
        &case,
        &DeriveContext::default(),
        &DirectoryRouter(&directory),
    )
}

/// The routing question's finding path of an application.
fn question_path(b: &Bundle, id: &str) -> Option<String> {
    b.applications
        .iter()
        .find(|a| a.id == id)?
        .problems
        .iter()
        .find(|p| p.code == "routing_question")
        .map(|p| p.path.clone())
}

/// § 18 Abs. 1 PStG: the Standesamt of the place of birth. Its routing questions are filed at
/// the birth place's own answer fields (not at the residence's `application.place`), and an
/// answer there resolves them: a birth postcode in two Länder (21039: Hamburg and
/// Schleswig-Holstein) by the birth Land.
#[test]
fn standesamt_questions_are_answered_at_the_birth_place() {
    let born_in_21039 = |j: &mut serde_json::Value| {
        j["application"]["children"][0]["birth_place"]["postal_code"] = "21039".into();
        j["application"]["children"][0]["birth_place"]["locality"] = "Börnsen".into();
    };
    let b = edited("non_eu_title.json", born_in_21039);
    assert_eq!(
        question_path(&b, "standesamt").as_deref(),
        Some("application.children[0].birth_place.land")
    );
    let b = edited("non_eu_title.json", |j| {
        born_in_21039(j);
        j["application"]["children"][0]["birth_place"]["land"] = "01".into();
    });
    assert_eq!(
        routed(&b, "standesamt"),
        Ok("Standesamt Börnsen".to_string())
    );
    // The residence's answer is not the birth place's: still asked.
    let b = edited("non_eu_title.json", |j| {
        born_in_21039(j);
        j["application"]["place"]["land"] = "01".into();
    });
    assert_eq!(routed(&b, "standesamt"), Err("land".to_string()));
}

/// § 18 Abs. 1 PStG in Berlin: the birth Bezirk (Mitte, the clinic) may differ from the home
/// Bezirk (Pankow); each is answered in its own field and routes its own service.
#[test]
fn berlin_birth_bezirk_differs_from_the_home_bezirk() {
    let b = bundle("berlin_single.json");
    assert_eq!(
        question_path(&b, "standesamt").as_deref(),
        Some("application.children[0].birth_place.area")
    );
    let b = edited("berlin_single.json", |j| {
        j["application"]["children"][0]["birth_place"]["area"] = "mitte".into();
        j["application"]["place"]["area"] = "pankow".into();
    });
    assert_eq!(
        routed(&b, "standesamt"),
        Ok("Standesamt Berlin, Bezirk Mitte".to_string())
    );
    assert!(routed(&b, "elterngeldstelle").unwrap().contains("Pankow"));
}

/// A birth postcode in two Länder (21039: Hamburg and Schleswig-Holstein): the birth Land and
/// then the Hamburg Bezirk are asked at the birth place and resolve it.
#[test]
fn two_land_birth_postcode_is_answered_at_the_birth_place() {
    let set = |land: Option<&'static str>, area: Option<&'static str>| {
        move |j: &mut serde_json::Value| {
            let bp = &mut j["application"]["children"][0]["birth_place"];
            bp["postal_code"] = "21039".into();
            bp["locality"] = "Hamburg".into();
            if let Some(l) = land {
                bp["land"] = l.into();
            }
            if let Some(a) = area {
                bp["area"] = a.into();
            }
        }
    };
    let b = edited("bayern_unmarried.json", set(None, None));
    assert_eq!(
        question_path(&b, "standesamt").as_deref(),
        Some("application.children[0].birth_place.land")
    );
    let b = edited("bayern_unmarried.json", set(Some("02"), None));
    assert_eq!(
        question_path(&b, "standesamt").as_deref(),
        Some("application.children[0].birth_place.area")
    );
    let b = edited("bayern_unmarried.json", set(Some("02"), Some("bergedorf")));
    assert_eq!(
        routed(&b, "standesamt"),
        Ok("Standesamt Hamburg, Bezirk Bergedorf".to_string())
    );
    // The Bavarian residence is untouched by the birth place's answers.
    assert!(routed(&b, "elterngeldstelle").unwrap().contains("ZBFS"));
}

/// The Elterngeld office of a residence, routed directly.
fn eg_route(place: elternkit_bundle::routing::Place) -> Result<String, String> {
    let directory = Directory::development(date(2027, 1, 15)).expect("dev directory verifies");
    match elternkit_bundle::routing::route(
        elternkit_bundle::routing::Service::Elterngeldstelle,
        &place,
        &directory,
    )
    .expect("routes")
    {
        Routing::Resolved { office, .. } => Ok(office.name),
        Routing::Ask { question, .. } => Err(question.field.as_str().to_owned()),
    }
}

fn ni_place(postcode: &str, kreis: &str, area: Option<&str>) -> elternkit_bundle::routing::Place {
    elternkit_bundle::routing::Place {
        postal_code: postcode.into(),
        land: Some(Land::Niedersachsen),
        kreis: Some(kreis.into()),
        area: area.map(String::from),
        ..Default::default()
    }
}

/// § 6 Abs. 2 S. 2 ZustVO-GuS (Niedersachsen): "Anstelle der Region Hannover sind die
/// regionsangehörigen Gemeinden zuständig". The Region (03241) is never the destination: the
/// postcode's Gemeinde decides (Hannover, Garbsen), else the Gemeinde is asked.
#[test]
fn region_hannover_routes_by_gemeinde() {
    assert_eq!(
        eg_route(ni_place("30159", "03241", None)),
        Ok("Landeshauptstadt Hannover, Elterngeldstelle".into())
    );
    assert_eq!(
        eg_route(ni_place("30823", "03241", None)),
        Ok("Stadt Garbsen, Elterngeldstelle".into())
    );
    assert_eq!(
        eg_route(ni_place("30823", "03241", Some("wedemark"))),
        Ok("Gemeinde Wedemark, Elterngeldstelle".into())
    );
    let offices = elternkit_bundle::routing::elterngeld_offices().unwrap();
    let region: Vec<_> = offices
        .iter()
        .filter(|o| o.regions.iter().any(|r| r == "03241"))
        .collect();
    assert_eq!(region.len(), 21, "the 21 Gemeinden of the Region Hannover");
    assert!(region.iter().all(|o| !o.name.contains("Region")));
}

/// § 6 Abs. 3 ZustVO-GuS transfer, confirmed by the Landkreis Stade's own page: the Hansestadt
/// Stade runs the Elterngeldstelle for its residents; elsewhere in the Kreis the Landkreis.
/// A postcode of another town in the Kreis (Buxtehude) cannot decide: asked.
#[test]
fn hansestadt_stade_has_its_own_office() {
    assert_eq!(
        eg_route(ni_place("21680", "03359", None)),
        Ok("Hansestadt Stade, Elterngeldstelle".into())
    );
    assert_eq!(
        eg_route(ni_place("21614", "03359", None)),
        Err("area".into())
    );
    assert_eq!(
        eg_route(ni_place(
            "21614",
            "03359",
            Some("landkreis-ohne-hansestadt")
        )),
        Ok("Landkreis Stade, Elterngeldstelle (ohne Hansestadt Stade)".into())
    );
}

/// The Elterngeld application's documents as (kind, status, replaceable_by).
fn eg_documents(
    b: &Bundle,
) -> Vec<(
    elternkit_model::application::DocumentKind,
    elternkit_bundle::DocumentStatus,
    Option<elternkit_model::application::ConsentKind>,
)> {
    b.applications
        .iter()
        .find(|a| a.id == "elterngeldstelle")
        .expect("an Elterngeld application")
        .documents
        .iter()
        .map(|d| (d.kind, d.status, d.replaceable_by))
        .collect()
}

/// ELFE.md: the consented exchanges (birth data § 25 BEEG, pay data § 108a SGB IV,
/// Mutterschaftsgeld § 203 SGB V) run where the office takes part — Bremen. There the consents
/// replace the birth certificate and the payslips; the same family living in Dortmund (whose
/// Elterngeldstelle asks for the special birth certificate, dortmund.de) must upload them.
#[test]
fn consents_replace_documents_only_where_the_office_takes_part() {
    use elternkit_bundle::DocumentStatus::{Missing, ReplacedByFetch};
    use elternkit_model::application::DocumentKind::{GeburtsurkundeElterngeld, Gehaltsnachweise};
    let bremen = eg_documents(&bundle("bremen_married.json"));
    for kind in [GeburtsurkundeElterngeld, Gehaltsnachweise] {
        assert!(
            bremen
                .iter()
                .any(|(k, s, r)| *k == kind && *s == ReplacedByFetch && r.is_some()),
            "Bremen: {kind:?} replaced by the consent: {bremen:?}"
        );
    }
    let dortmund = eg_documents(&edited("bremen_married.json", |j| {
        j["application"]["place"] =
            serde_json::json!({ "postal_code": "44135", "land": "05", "kreis": "05913" });
    }));
    for kind in [GeburtsurkundeElterngeld, Gehaltsnachweise] {
        assert!(
            dortmund
                .iter()
                .any(|(k, s, r)| *k == kind && *s == Missing && r.is_none()),
            "Dortmund: {kind:?} stays required: {dortmund:?}"
        );
    }
    assert!(dortmund.iter().all(|(_, s, _)| *s != ReplacedByFetch));
}
