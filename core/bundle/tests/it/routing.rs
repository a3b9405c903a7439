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

/// Niedersachsen and Nordrhein-Westfalen route by Kreis: the app asks, it never guesses.
#[test]
fn kreis_laender_ask_for_the_kreis() {
    for name in ["twins_premature.json", "no_steuer_id.json"] {
        let b = bundle(name);
        assert_eq!(
            routed(&b, "elterngeldstelle"),
            Err("kreis".to_string()),
            "{name}"
        );
    }
}

/// Hessen: one Land agency (HAVS); a clinic postcode missing from the open data (60590)
/// makes the Standesamt ask for the Land rather than guess.
#[test]
fn hessen_land_agency_and_an_unknown_clinic_postcode() {
    let b = bundle("non_eu_title.json");
    assert!(routed(&b, "elterngeldstelle").unwrap().contains("HAVS"));
    assert_eq!(routed(&b, "standesamt"), Err("land".to_string()));
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
    let mut answered = place("21039");
    answered.land = Some(Land::Hamburg);
    assert_eq!(router.land(&answered), Some(Land::Hamburg));
}
