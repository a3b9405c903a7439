//! Routing for every Land: a sample postcode per Land resolves (central Länder, Land agencies)
//! or asks the right question, and answering it resolves to an office of that Land.

use elternkit_bundle::routing::{
    Land, Organisation, Place, Question, QuestionField, Routing, RoutingError, Service,
    city_of_postcode, kreise_of, organisation, route,
};
use elternkit_directory::Directory;
use jiff::civil::date;

fn dev_directory() -> Directory {
    Directory::development(date(2027, 1, 15)).expect("the shipped dev directory verifies")
}

fn place(postal_code: &str, locality: &str) -> Place {
    Place {
        postal_code: postal_code.into(),
        locality: Some(locality.into()),
        ..Place::default()
    }
}

fn ask(service: Service, place: &Place, dir: &Directory) -> Question {
    match route(service, place, dir).expect("routes") {
        Routing::Ask { question, .. } => question,
        other => panic!("expected a question for {place:?}, got {other:?}"),
    }
}

fn resolved(service: Service, place: &Place, dir: &Directory) -> elternkit_bundle::routing::Office {
    match route(service, place, dir).expect("routes") {
        Routing::Resolved { office, why } => {
            assert!(!why.is_empty(), "a resolution explains itself");
            for step in &why {
                assert!(
                    !step.text_de.is_empty() && !step.text_en.is_empty() && !step.source.is_empty()
                );
            }
            office
        }
        other => panic!("expected an office for {place:?}, got {other:?}"),
    }
}

/// One unambiguous postcode per Land, with its locality.
const SAMPLES: [(Land, &str, &str); 16] = [
    (Land::SchleswigHolstein, "24103", "Kiel"),
    (Land::Hamburg, "20095", "Hamburg"),
    (Land::Niedersachsen, "37073", "Göttingen"),
    (Land::Bremen, "28195", "Bremen"),
    (Land::NordrheinWestfalen, "50667", "Köln"),
    (Land::Hessen, "60311", "Frankfurt am Main"),
    (Land::RheinlandPfalz, "55116", "Mainz"),
    (Land::BadenWuerttemberg, "70173", "Stuttgart"),
    (Land::Bayern, "80331", "München"),
    (Land::Saarland, "66111", "Saarbrücken"),
    (Land::Berlin, "10117", "Berlin"),
    (Land::Brandenburg, "14467", "Potsdam"),
    (Land::MecklenburgVorpommern, "18055", "Rostock"),
    (Land::Sachsen, "01067", "Dresden"),
    (Land::SachsenAnhalt, "39104", "Magdeburg"),
    (Land::Thueringen, "99084", "Erfurt"),
];

#[test]
fn every_land_routes_elterngeld_to_an_office_of_that_land() {
    let dir = dev_directory();
    for (land, code, locality) in SAMPLES {
        let p = place(code, locality);
        let office = match organisation(land).expect("model") {
            Organisation::Central | Organisation::LandAgency | Organisation::City => {
                resolved(Service::Elterngeldstelle, &p, &dir)
            }
            Organisation::Bezirk => {
                let q = ask(Service::Elterngeldstelle, &p, &dir);
                assert_eq!(q.field, "area", "{land}");
                let expected = if land == Land::Berlin { 12 } else { 7 };
                assert_eq!(q.options.len(), expected, "{land} Bezirke");
                let answered = Place {
                    area: Some(q.options[0].value.clone()),
                    ..p.clone()
                };
                resolved(Service::Elterngeldstelle, &answered, &dir)
            }
            // A postcode wholly inside one kreisfreie Stadt needs no question.
            Organisation::Kreis if city_of_postcode(code, land).expect("table").is_some() => {
                let office = resolved(Service::Elterngeldstelle, &p, &dir);
                let city = city_of_postcode(code, land).unwrap().unwrap();
                assert_eq!(city.short_name(), locality, "{land}");
                let dest = dir.destination(&office.destination_id).expect("office");
                assert!(dest.regions.iter().any(|r| r == city.key), "{land}");
                office
            }
            Organisation::Kreis => {
                let q = ask(Service::Elterngeldstelle, &p, &dir);
                assert_eq!(q.field, "kreis", "{land}");
                let kreise = kreise_of(land).expect("table");
                assert_eq!(q.options.len(), kreise.len(), "{land}: every Kreis offered");
                // The typed locality is a kreisfreie Stadt: it comes first.
                let first = &q.options[0];
                assert!(
                    first.label.starts_with(locality),
                    "{land}: {first:?} first for {locality}"
                );
                assert!(first.value.starts_with(land.code()));
                let answered = Place {
                    kreis: Some(first.value.clone()),
                    ..p.clone()
                };
                resolved(Service::Elterngeldstelle, &answered, &dir)
            }
        };
        let dest = dir
            .destination(&office.destination_id)
            .expect("office in directory");
        assert!(
            dest.regions.iter().all(|r| r.starts_with(land.code())),
            "{land}: {} serves {:?}",
            office.destination_id,
            dest.regions
        );
        assert!(office.age_recipient.starts_with("age1"));
        assert!(!office.verified, "dev directory entries are never verified");
    }
}

#[test]
fn central_lands_resolve_without_questions() {
    let dir = dev_directory();
    for (code, id) in [
        ("70173", "eg-bw-lbank"),
        ("80331", "eg-by-zbfs"),
        ("66111", "eg-sl-las"),
    ] {
        let office = resolved(Service::Elterngeldstelle, &place(code, ""), &dir);
        assert_eq!(office.destination_id, id);
    }
}

#[test]
fn land_agencies_resolve_to_the_agency_and_say_the_region_is_not_verified() {
    let dir = dev_directory();
    for (code, id) in [("24103", "eg-sh-lasd"), ("18055", "eg-mv-lagus")] {
        let Routing::Resolved { office, why } =
            route(Service::Elterngeldstelle, &place(code, ""), &dir).expect("routes")
        else {
            panic!("{code} resolves");
        };
        assert_eq!(office.destination_id, id);
        assert!(
            why.iter().any(|s| s.text_en.contains("not verified")),
            "{why:?}"
        );
    }
}

#[test]
fn every_kreis_of_every_kreis_land_resolves_to_an_office_of_that_kreis() {
    let dir = dev_directory();
    for land in Land::ALL {
        if organisation(land).expect("model") != Organisation::Kreis {
            continue;
        }
        for kreis in kreise_of(land).expect("table") {
            // A postcode the Kreis answer fits: one of the city's own for a kreisfreie Stadt,
            // else one in no kreisfreie Stadt (the answer is checked against the postcode).
            let code = fitting_postcode(&kreis);
            let p = Place {
                postal_code: code,
                kreis: Some(kreis.key.into()),
                ..Place::default()
            };
            let office = match route(Service::Elterngeldstelle, &p, &dir).expect("routes") {
                Routing::Resolved { office, .. } => office,
                Routing::Ask { question, .. } => {
                    // Only Kreise with offices below the Kreis ask: Hildesheim (city and
                    // Landkreis), the Region Hannover (its Gemeinden, § 6 Abs. 2 S. 2
                    // ZustVO-GuS) and Stade (Hansestadt and Landkreis, § 6 Abs. 3).
                    assert!(
                        ["03254", "03241", "03359"].contains(&kreis.key),
                        "{}: {question:?}",
                        kreis.key
                    );
                    assert_eq!(question.field, "area");
                    continue;
                }
            };
            let dest = dir
                .destination(&office.destination_id)
                .expect("in directory");
            assert!(
                dest.regions.iter().any(|r| r == kreis.key),
                "{} serves {}",
                office.destination_id,
                kreis.key
            );
        }
    }
}

/// A postcode of the table the Kreis answer fits (see `every_kreis_…`).
fn fitting_postcode(kreis: &elternkit_bundle::routing::Kreis) -> String {
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/postcodes.tsv"
    ))
    .expect("postcode table");
    let rows: Vec<(&str, &str, &str)> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("postcode"))
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?, c.next()?, c.next()?))
        })
        .collect();
    // Only postcodes in this Land alone (a two-Land postcode asks for the Land first).
    let elsewhere: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|(_, land, _)| *land != kreis.land.code())
        .map(|(code, _, _)| *code)
        .collect();
    let rows: Vec<(&str, &str, &str)> = rows
        .into_iter()
        .filter(|(code, land, _)| *land == kreis.land.code() && !elsewhere.contains(code))
        .collect();
    let found = if kreis.is_city() {
        let name = kreis.short_name();
        rows.iter()
            .find(|(_, _, loc)| *loc == name || loc.starts_with(&format!("{name} ")))
            .or_else(|| rows.iter().find(|(_, _, loc)| name.starts_with(*loc)))
    } else {
        rows.iter()
            .find(|(code, _, _)| city_of_postcode(code, kreis.land).expect("table").is_none())
    };
    found
        .map(|(code, _, _)| (*code).to_owned())
        .unwrap_or_else(|| panic!("no postcode for {}", kreis.key))
}

#[test]
fn dortmund_bochum_and_hagen_share_one_office() {
    let dir = dev_directory();
    let ids: Vec<String> = [("05913", "44135"), ("05911", "44787"), ("05914", "58095")]
        .iter()
        .map(|(kreis, code)| {
            let p = Place {
                postal_code: (*code).into(),
                kreis: Some((*kreis).into()),
                ..Place::default()
            };
            resolved(Service::Elterngeldstelle, &p, &dir).destination_id
        })
        .collect();
    assert_eq!(ids, vec!["eg-nw-dortmund-gemeinsam"; 3]);
    // Essen, next door, has its own.
    let essen = Place {
        postal_code: "45127".into(),
        kreis: Some("05113".into()),
        ..Place::default()
    };
    assert_ne!(
        resolved(Service::Elterngeldstelle, &essen, &dir).destination_id,
        ids[0]
    );
}

#[test]
fn hildesheim_asks_city_or_landkreis() {
    let dir = dev_directory();
    let p = Place {
        postal_code: "31134".into(),
        locality: Some("Hildesheim".into()),
        kreis: Some("03254".into()),
        ..Place::default()
    };
    let q = ask(Service::Elterngeldstelle, &p, &dir);
    assert_eq!(q.field, "area");
    let values: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["stadt-hildesheim", "landkreis-ohne-stadt"]);
    let city = Place {
        area: Some("stadt-hildesheim".into()),
        ..p.clone()
    };
    assert_eq!(
        resolved(Service::Elterngeldstelle, &city, &dir).destination_id,
        "eg-ni-hildesheim-stadt"
    );
    let rest = Place {
        area: Some("landkreis-ohne-stadt".into()),
        ..p.clone()
    };
    assert_eq!(
        resolved(Service::Elterngeldstelle, &rest, &dir).destination_id,
        "eg-ni-hildesheim-landkreis"
    );
    let wrong = Place {
        area: Some("mitte".into()),
        ..p
    };
    assert!(matches!(
        route(Service::Elterngeldstelle, &wrong, &dir),
        Err(RoutingError::AnswerDoesNotFit {
            field: QuestionField::Area,
            ..
        })
    ));
}

#[test]
fn schwedt_is_recorded_as_uncertain_not_routed_on() {
    let dir = dev_directory();
    let p = Place {
        postal_code: "16303".into(),
        locality: Some("Schwedt/Oder".into()),
        kreis: Some("12073".into()),
        ..Place::default()
    };
    let Routing::Resolved { office, why } =
        route(Service::Elterngeldstelle, &p, &dir).expect("routes")
    else {
        panic!("Uckermark resolves");
    };
    assert_eq!(office.destination_id, "eg-kreis-12073");
    assert!(
        why.iter()
            .any(|s| s.text_de.contains("Schwedt/Oder") && s.source.contains("uncertain"))
    );
}

#[test]
fn bremen_and_bremerhaven_by_postcode_and_the_shared_postcode_asks() {
    let dir = dev_directory();
    assert_eq!(
        resolved(Service::Elterngeldstelle, &place("28195", ""), &dir).destination_id,
        "eg-hb-bremen"
    );
    assert_eq!(
        resolved(Service::Elterngeldstelle, &place("28779", ""), &dir).destination_id,
        "eg-hb-bremen"
    );
    for code in ["27570", "27572", "27574", "27576", "27578", "27580"] {
        assert_eq!(
            resolved(Service::Elterngeldstelle, &place(code, ""), &dir).destination_id,
            "eg-hb-bremerhaven",
            "{code}"
        );
    }
    // 27568 names both cities (the city of Bremen's port area lies in Bremerhaven): ask.
    let q = ask(
        Service::Elterngeldstelle,
        &place("27568", "Bremerhaven"),
        &dir,
    );
    assert_eq!(q.field, "area");
    assert_eq!(q.options[0].value, "bremerhaven", "typed locality first");
    assert_eq!(q.options.len(), 2);
    let answered = Place {
        area: Some("bremen".into()),
        ..place("27568", "")
    };
    assert_eq!(
        resolved(Service::Elterngeldstelle, &answered, &dir).destination_id,
        "eg-hb-bremen"
    );
}

#[test]
fn berlin_bezirk_typed_as_locality_comes_first() {
    let dir = dev_directory();
    let q = ask(
        Service::Elterngeldstelle,
        &place("10245", "Friedrichshain-Kreuzberg"),
        &dir,
    );
    assert_eq!(q.options[0].value, "friedrichshain-kreuzberg");
    let q = ask(Service::Elterngeldstelle, &place("22765", "Altona"), &dir);
    assert_eq!(q.options[0].value, "altona");
}

#[test]
fn a_kreis_of_another_land_does_not_fit() {
    let dir = dev_directory();
    let p = Place {
        postal_code: "37073".into(),
        kreis: Some("05913".into()),
        ..Place::default()
    };
    let err =
        route(Service::Elterngeldstelle, &p, &dir).expect_err("Dortmund is not in Niedersachsen");
    assert!(
        matches!(
            err,
            RoutingError::AnswerDoesNotFit {
                field: QuestionField::Kreis,
                ..
            }
        ),
        "{err}"
    );
    let p = Place {
        postal_code: "37073".into(),
        kreis: Some("16056".into()),
        ..Place::default()
    };
    assert!(
        matches!(
            route(Service::Elterngeldstelle, &p, &dir),
            Err(RoutingError::AnswerDoesNotFit {
                field: QuestionField::Kreis,
                ..
            })
        ),
        "Eisenach is no Kreis since 2021"
    );
}

#[test]
fn malformed_postcodes_are_errors() {
    let dir = dev_directory();
    for bad in ["", "1234", "123456", "1234a", "12 345", "١٢٣٤٥"] {
        for service in [
            Service::Elterngeldstelle,
            Service::Familienkasse,
            Service::Standesamt,
        ] {
            assert_eq!(
                route(service, &place(bad, ""), &dir),
                Err(RoutingError::MalformedPostcode(bad.into())),
                "{bad:?}"
            );
        }
    }
}

#[test]
fn an_unknown_postcode_asks_for_the_land_among_those_of_its_zone() {
    let dir = dev_directory();
    // 27000 is not in the table, nor is any postcode beginning with 270; those beginning
    // with 27 lie in four Länder, which are offered.
    let q = ask(Service::Elterngeldstelle, &place("27000", ""), &dir);
    assert_eq!(q.field, "land");
    let offered: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(offered, ["01", "02", "03", "04"]);
    assert_eq!(q.text_en, "Which Land (federal state) is the address in?");
    let answered = Place {
        land: Some(Land::Bremen),
        ..place("27000", "")
    };
    assert_eq!(
        route(Service::Elterngeldstelle, &answered, &dir)
            .map(|r| matches!(r, Routing::Ask { .. } | Routing::Resolved { .. })),
        Ok(true)
    );
    // A Land outside the zone does not fit.
    let wrong = Place {
        land: Some(Land::Bayern),
        ..place("27000", "")
    };
    assert!(matches!(
        route(Service::Elterngeldstelle, &wrong, &dir),
        Err(RoutingError::AnswerDoesNotFit {
            field: QuestionField::Land,
            ..
        })
    ));
}

#[test]
fn a_postcode_that_does_not_exist_is_an_error_even_with_a_land() {
    let dir = dev_directory();
    // No German postcode begins with 00, 05, 43 or 62.
    for code in ["00000", "05123", "43210", "62000"] {
        for land in [None, Some(Land::Bayern)] {
            let p = Place {
                land,
                ..place(code, "")
            };
            for service in [Service::Elterngeldstelle, Service::Standesamt] {
                let err = route(service, &p, &dir).expect_err(code);
                assert_eq!(
                    err,
                    RoutingError::UnknownPostcode {
                        postcode: code.into(),
                        prefix: code[..2].into()
                    }
                );
                assert!(err.to_string().contains("does not exist"));
            }
        }
    }
}

#[test]
fn the_standesamt_asks_for_the_land_of_the_birth_place_not_of_an_address() {
    let dir = dev_directory();
    let q = ask(Service::Standesamt, &place("27000", ""), &dir);
    assert_eq!(q.field, "land");
    assert_eq!(
        q.text_de,
        "In welchem Bundesland liegt der Geburtsort des Kindes?"
    );
    assert!(!q.text_de.contains("Adresse"));
    let q = ask(Service::Standesamt, &place("21039", ""), &dir);
    assert_eq!(q.field, "land");
    assert!(q.text_de.contains("Geburtsort"), "{}", q.text_de);
    assert!(!q.text_de.contains("Adresse"));
}

#[test]
fn familienkasse_is_one_ba_destination_everywhere() {
    let dir = dev_directory();
    for (_, code, locality) in SAMPLES {
        assert_eq!(
            resolved(Service::Familienkasse, &place(code, locality), &dir).destination_id,
            "fk-ba"
        );
    }
    // Even at a Land border: the BA routes internally.
    assert_eq!(
        resolved(Service::Familienkasse, &place("21039", ""), &dir).destination_id,
        "fk-ba"
    );
}

#[test]
fn standesamt_goes_by_the_birth_gemeinde_with_a_placeholder_destination() {
    let dir = dev_directory();
    // Typed locality found under the postcode: resolved, named after the Gemeinde.
    let Routing::Resolved { office, why } =
        route(Service::Standesamt, &place("37073", "Göttingen"), &dir).expect("routes")
    else {
        panic!("resolves");
    };
    assert_eq!(office.name, "Standesamt Göttingen");
    assert_eq!(office.destination_id, "sta-03-placeholder");
    assert!(!office.verified);
    assert!(why.iter().any(|s| s.text_en.contains("placeholder")));
    // No locality: ask for the Gemeinde among the postcode's localities.
    let q = ask(
        Service::Standesamt,
        &place("21039", "").clone_with_land(Land::SchleswigHolstein),
        &dir,
    );
    assert_eq!(q.field, "area");
    let values: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["Börnsen", "Escheburg", "Kröppelshagen-Fahrendorf"]);
    // A Gemeinde that is not under the postcode does not fit.
    let wrong = Place {
        area: Some("Lübeck".into()),
        ..place("21039", "").clone_with_land(Land::SchleswigHolstein)
    };
    assert!(matches!(
        route(Service::Standesamt, &wrong, &dir),
        Err(RoutingError::AnswerDoesNotFit {
            field: QuestionField::Area,
            ..
        })
    ));
    // Berlin: a Standesamt per Bezirk.
    let q = ask(Service::Standesamt, &place("10117", "Berlin"), &dir);
    assert_eq!(q.options.len(), 12);
    let answered = Place {
        area: Some("mitte".into()),
        ..place("10117", "Berlin")
    };
    assert_eq!(
        resolved(Service::Standesamt, &answered, &dir).name,
        "Standesamt Berlin, Bezirk Mitte"
    );
}

trait WithLand {
    fn clone_with_land(&self, land: Land) -> Place;
}

impl WithLand for Place {
    fn clone_with_land(&self, land: Land) -> Place {
        Place {
            land: Some(land),
            ..self.clone()
        }
    }
}

#[test]
fn standesamt_for_an_unknown_postcode_asks_free_text_then_takes_the_name() {
    let dir = dev_directory();
    // 60590 (a Frankfurt clinic) is missing from the table; its zone 605 is Hessen's.
    let p = Place {
        land: Some(Land::Hessen),
        ..place("60590", "")
    };
    let q = ask(
        Service::Standesamt,
        &Place {
            locality: None,
            ..p.clone()
        },
        &dir,
    );
    assert_eq!(q.field, "area");
    assert!(q.options.is_empty(), "free text");
    let answered = Place {
        area: Some("Neuberg".into()),
        ..p
    };
    let office = resolved(Service::Standesamt, &answered, &dir);
    assert_eq!(office.name, "Standesamt Neuberg");
    assert_eq!(office.destination_id, "sta-06-placeholder");
}

/// Hessen: the HAVS Versorgungsämter decide by Kreis (ROUTING.md § 1.2 [R7]). Each Kreis has
/// exactly one destination; the confirmed ones go to their Versorgungsamt (sources in
/// `core/data/elterngeld.toml`), the rest to the HAVS, which passes the application on
/// (§ 16 Abs. 2 SGB I) — and the route says so.
#[test]
fn hessen_routes_by_kreis_to_the_confirmed_versorgungsamt_else_the_havs() {
    let dir = dev_directory();
    let offices = elternkit_bundle::routing::elterngeld_offices().expect("model");
    for kreis in kreise_of(Land::Hessen).expect("table") {
        let serving: Vec<&str> = offices
            .iter()
            .filter(|o| o.regions.iter().any(|r| r == kreis.key))
            .map(|o| o.destination_id.as_str())
            .collect();
        assert_eq!(serving.len(), 1, "{}: {serving:?}", kreis.key);
    }
    for (code, kreis, id) in [
        ("35708", "06532", "eg-he-havs-giessen"), // Haiger, Lahn-Dill-Kreis (haiger.de)
        ("61169", "06440", "eg-he-havs-giessen"), // Friedberg, Wetteraukreis
        ("34225", "06633", "eg-he-havs-kassel"),  // Baunatal, Landkreis Kassel
        ("35037", "06534", "eg-he-havs-giessen"), // Marburg (uni-marburg.de, Familienservice)
        ("34497", "06635", "eg-he-havs-kassel"),  // Korbach (landkreis-waldeck-frankenberg.de)
        ("65719", "06436", "eg-he-havs-wiesbaden"), // Hofheim, Main-Taunus-Kreis (hofheim.de)
        ("36037", "06631", "eg-he-havs"),         // Fulda: not confirmed
        ("64283", "06411", "eg-he-havs"),         // Darmstadt: not confirmed
    ] {
        let p = Place {
            postal_code: code.into(),
            kreis: Some(kreis.into()),
            ..Place::default()
        };
        let Routing::Resolved { office, why } =
            route(Service::Elterngeldstelle, &p, &dir).expect("routes")
        else {
            panic!("{code} resolves");
        };
        assert_eq!(office.destination_id, id, "{code}");
        assert!(
            why.iter().any(|s| s.text_de.contains("§ 16 Abs. 2 SGB I")),
            "the Hessen note: {why:?}"
        );
    }
    // Without a Kreis, a Landkreis postcode asks for it.
    let q = ask(Service::Elterngeldstelle, &place("35708", "Haiger"), &dir);
    assert_eq!(q.field, "kreis");
    assert_eq!(q.options.len(), 26);
}

/// A Kreis answer is checked against the postcode where the tables can tell: a postcode
/// wholly inside one kreisfreie Stadt belongs to no other Kreis, and a kreisfreie Stadt has
/// no postcode outside its own leading digits.
#[test]
fn a_kreis_answer_must_fit_the_postcode() {
    let dir = dev_directory();
    let answer = |code: &str, kreis: &str| {
        route(
            Service::Elterngeldstelle,
            &Place {
                postal_code: code.into(),
                kreis: Some(kreis.into()),
                ..Place::default()
            },
            &dir,
        )
    };
    // 50667 is Köln: not the Rhein-Sieg-Kreis.
    let err = answer("50667", "05382").expect_err("Köln postcode, Rhein-Sieg-Kreis");
    assert!(
        matches!(
            &err,
            RoutingError::AnswerDoesNotFit {
                field: QuestionField::Kreis,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("wholly in Köln"), "{err}");
    // 53721 is Siegburg: Köln has no postcode beginning with 537.
    let err = answer("53721", "05315").expect_err("Siegburg postcode, Köln");
    assert!(
        err.to_string().contains("no postcode beginning with 537"),
        "{err}"
    );
    // The fitting answers resolve.
    assert!(answer("50667", "05315").is_ok());
    assert!(answer("53721", "05382").is_ok());
}

/// With no locality typed, the Kreise named like one of the postcode's localities come
/// first: 36037 is Fulda, so the Landkreis Fulda leads; a typed name that matches no Kreis
/// does not undo that.
#[test]
fn kreis_options_are_ranked_by_the_postcode_without_a_typed_locality() {
    let dir = dev_directory();
    for typed in ["", "Innenstadt"] {
        let q = ask(Service::Elterngeldstelle, &place("36037", typed), &dir);
        assert_eq!(q.field, "kreis");
        assert_eq!(q.options[0].value, "06631", "{typed:?}: {:?}", q.options[0]);
    }
    // A typed Kreis name still comes first.
    let q = ask(
        Service::Elterngeldstelle,
        &place("36037", "Vogelsbergkreis"),
        &dir,
    );
    assert_eq!(q.options[0].value, "06535");
}

/// The regional Familienkasse a paper application goes to (§ 67 S. 1 EStG) where a Land has
/// several and the Agentur district decides: a Kreis in each regional Familienkasse of
/// Baden-Württemberg, Bayern and Nordrhein-Westfalen, each by the page cited in
/// `core/data/familienkasse.toml`, with the postal address where a page gives one; and a
/// Kreis no page confirms, for which the candidates are named, not guessed.
#[test]
fn split_lands_name_the_regional_familienkasse_of_the_kreis_or_the_candidates() {
    let dir = dev_directory();
    let paper_step = |code: &str, kreis: Option<&str>| {
        let p = Place {
            postal_code: code.into(),
            kreis: kreis.map(Into::into),
            ..Place::default()
        };
        let Routing::Resolved { office, why } =
            route(Service::Familienkasse, &p, &dir).expect("routes")
        else {
            panic!("{code}: the Familienkasse never asks");
        };
        assert_eq!(
            office.destination_id, "fk-ba",
            "online: the BA routes itself"
        );
        why.into_iter()
            .find(|s| s.text_en.contains("paper application"))
            .unwrap_or_else(|| panic!("{code}: no paper step"))
    };
    // (postcode, Kreis answer, regional, postal address, basis, a source the step cites)
    type Case = (
        &'static str,
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
        &'static str,
        &'static str,
    );
    let cases: [Case; 8] = [
        // Paderborn: the Kreis's own Kindergeld page.
        (
            "33098",
            Some("05774"),
            "Nordrhein-Westfalen Ost",
            Some("44117 Dortmund"),
            "a page",
            "kreis-paderborn.de",
        ),
        // Krefeld: the postcode lies wholly in the city; the city's family guide.
        (
            "47798",
            None,
            "Nordrhein-Westfalen West",
            Some("50574 Köln"),
            "a page",
            "Krefeld",
        ),
        // Recklinghausen: a site of Nordrhein-Westfalen Nord.
        (
            "45657",
            Some("05562"),
            "Nordrhein-Westfalen Nord",
            None,
            "inferred",
            "dein-hilfexpert.de",
        ),
        // Waldshut-Tiengen: the Landkreis Waldshut's migration portal.
        (
            "79761",
            Some("08337"),
            "Baden-Württemberg West",
            Some("76088 Karlsruhe"),
            "a page",
            "migration-landkreis-waldshut.de",
        ),
        // Stuttgart: a site of Baden-Württemberg Ost.
        (
            "70173",
            None,
            "Baden-Württemberg Ost",
            None,
            "inferred",
            "dein-hilfexpert.de",
        ),
        // Zirndorf, Landkreis Fürth: the Landratsamt's family pages.
        (
            "90513",
            Some("09573"),
            "Bayern Nord",
            None,
            "a page",
            "Landratsamt Fürth",
        ),
        // München: Bayern Süd.
        (
            "81241",
            None,
            "Bayern Süd",
            Some("93013 Regensburg"),
            "a page",
            "the-red-relocators.com",
        ),
        // Augsburg: a site of Bayern Süd.
        (
            "86150",
            None,
            "Bayern Süd",
            Some("93013 Regensburg"),
            "inferred",
            "bayernportal.de",
        ),
    ];
    for (code, kreis, regional, address, basis, source) in cases {
        let s = paper_step(code, kreis);
        assert!(
            s.text_en.contains(&format!("the Familienkasse {regional}")),
            "{code}: {}",
            s.text_en
        );
        assert!(s.text_en.contains(basis), "{code}: {}", s.text_en);
        match address {
            Some(a) => assert!(s.text_en.contains(a), "{code}: {}", s.text_en),
            None => assert!(
                s.text_en.contains("arbeitsagentur.de"),
                "{code}: {}",
                s.text_en
            ),
        }
        assert!(s.source.contains(source), "{code}: {}", s.source);
        assert!(s.source.contains("§ 67 S. 1 EStG"), "{code}");
    }
    // Würzburg: no page confirms its Agentur district's Familienkasse; both are named.
    let s = paper_step("97070", Some("09663"));
    assert!(s.text_en.contains("not confirmed"), "{}", s.text_en);
    assert!(s.text_en.contains("Würzburg"), "{}", s.text_en);
    assert!(
        s.text_en
            .contains("Familienkasse Bayern Nord / Familienkasse Bayern Süd (93013 Regensburg)"),
        "{}",
        s.text_en
    );
    // Rothenburg ob der Tauber without a Kreis answer: the candidates, for the address.
    let s = paper_step("91541", None);
    assert!(
        s.text_en.contains("your address without a Kreis"),
        "{}",
        s.text_en
    );
    // A Land with one regional Familienkasse names it, with the address where known.
    let s = paper_step("20095", None);
    assert!(
        s.text_en.contains("Familienkasse Nord, 20069 Hamburg"),
        "{}",
        s.text_en
    );
}

/// A postcode wholly in a kreisfreie Stadt is found in either Leitregion of a city that
/// spans two (München 80…/81…, Köln 50…/51…), but a namesake village's single postcode in
/// another Leitregion (Amberg in the Unterallgäu, 86854) is not the city of Amberg.
#[test]
fn a_city_spanning_two_leitregionen_is_found_in_both() {
    let city = |code: &str, land: Land| city_of_postcode(code, land).expect("table").map(|k| k.key);
    assert_eq!(city("80331", Land::Bayern), Some("09162"));
    assert_eq!(city("81241", Land::Bayern), Some("09162"));
    assert_eq!(city("50667", Land::NordrheinWestfalen), Some("05315"));
    assert_eq!(city("51063", Land::NordrheinWestfalen), Some("05315"));
    assert_eq!(city("86854", Land::Bayern), None);
}
