//! The embedded tables: every cross-Land postcode asks for the Land (never guesses), the Kreis
//! list is today's 400, and `route` never panics on arbitrary input.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use elternkit_bundle::routing::{
    Land, Place, Routing, Service, all_kreise, cross_land_postcodes, kreise_of, lands_for_postcode,
    localities_for_postcode, required_destinations, route,
};
use elternkit_directory::Directory;
use jiff::civil::date;
use proptest::prelude::*;

fn dev_directory() -> &'static Directory {
    // Verified once: the proptest routes hundreds of places against it.
    static DIR: LazyLock<Directory> = LazyLock::new(|| {
        Directory::development(date(2027, 1, 15)).expect("the shipped dev directory verifies")
    });
    &DIR
}

#[test]
fn every_cross_land_postcode_asks_for_exactly_its_lands() {
    let dir = dev_directory();
    let ambiguous = cross_land_postcodes().expect("table");
    assert_eq!(
        ambiguous.len(),
        15,
        "the pinned package has 15 postcodes in two Länder"
    );
    for (code, lands) in &ambiguous {
        for service in [Service::Elterngeldstelle, Service::Standesamt] {
            let place = Place {
                postal_code: code.clone(),
                ..Place::default()
            };
            let Routing::Ask { question, .. } = route(service, &place, dir).expect("routes") else {
                panic!("{code} must ask for the Land");
            };
            assert_eq!(question.field, "land");
            let mut offered: Vec<Land> = question
                .options
                .iter()
                .map(|o| Land::from_code(&o.value).expect("a Land key"))
                .collect();
            offered.sort();
            assert_eq!(&offered, lands, "{code}");
            // Each answer is accepted and leads on within that Land.
            for land in lands {
                let answered = Place {
                    land: Some(*land),
                    ..place.clone()
                };
                match route(service, &answered, dir).expect("routes") {
                    Routing::Resolved { .. } => {}
                    Routing::Ask { question, .. } => {
                        assert_ne!(question.field, "land", "{code} {land}")
                    }
                }
            }
        }
    }
}

#[test]
fn the_named_border_postcodes() {
    let dir = dev_directory();
    for (code, expected) in [
        ("21039", [Land::Hamburg, Land::SchleswigHolstein]),
        ("57319", [Land::NordrheinWestfalen, Land::Hessen]),
        ("15569", [Land::Berlin, Land::Brandenburg]),
    ] {
        let mut lands = lands_for_postcode(code).expect("table");
        lands.sort();
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(lands, expected, "{code}");
    }
    // The typed locality puts its Land first, and labels name the localities.
    let place = Place {
        postal_code: "21039".into(),
        locality: Some("Escheburg".into()),
        ..Place::default()
    };
    let Routing::Ask { question, .. } =
        route(Service::Elterngeldstelle, &place, dir).expect("routes")
    else {
        panic!("asks");
    };
    assert_eq!(question.options[0].value, "01");
    assert!(question.options[0].label.contains("Escheburg"));
    // Hamburg chosen: next comes the Bezirk; Schleswig-Holstein: the LAsD.
    let hh = Place {
        land: Some(Land::Hamburg),
        ..place.clone()
    };
    let Routing::Ask { question, .. } = route(Service::Elterngeldstelle, &hh, dir).expect("routes")
    else {
        panic!("asks the Bezirk");
    };
    assert_eq!(question.field, "area");
    let sh = Place {
        land: Some(Land::SchleswigHolstein),
        ..place.clone()
    };
    let Routing::Resolved { office, .. } =
        route(Service::Elterngeldstelle, &sh, dir).expect("routes")
    else {
        panic!("resolves");
    };
    assert_eq!(office.destination_id, "eg-sh-lasd");
    // A Land the postcode is not in does not fit.
    let by = Place {
        land: Some(Land::Bayern),
        ..place
    };
    assert!(route(Service::Elterngeldstelle, &by, dir).is_err());
    assert_eq!(
        localities_for_postcode("15569", Land::Brandenburg).expect("table"),
        ["Woltersdorf"]
    );
}

#[test]
fn four_hundred_kreise_and_no_eisenach() {
    let all = all_kreise().expect("table");
    assert_eq!(all.len(), 400);
    let per_land: BTreeMap<Land, usize> = Land::ALL
        .iter()
        .map(|l| (*l, kreise_of(*l).expect("table").len()))
        .collect();
    assert_eq!(per_land.values().sum::<usize>(), 400);
    assert_eq!(per_land[&Land::Thueringen], 22);
    assert_eq!(per_land[&Land::Sachsen], 13);
    assert_eq!(per_land[&Land::Bayern], 96);
    assert_eq!(per_land[&Land::Berlin], 1);
    assert!(
        all.iter().all(|k| k.key != "16056"),
        "Eisenach joined the Wartburgkreis on 2021-07-01"
    );
    assert!(
        all.iter()
            .any(|k| k.key == "16063" && k.name == "Wartburgkreis")
    );
    let kreisfrei = all
        .iter()
        .filter(|k| matches!(k.kind, "Kreisfreie Stadt" | "Stadtkreis"))
        .count();
    assert_eq!(
        kreisfrei, 106,
        "Destatis: 106 kreisfreie Städte since 2021-07-01"
    );
}

#[test]
fn the_dev_directory_has_every_destination_routing_can_produce() {
    let dir = dev_directory();
    let specs = required_destinations().expect("model");
    assert_eq!(
        dir.destinations().len(),
        specs.len(),
        "no stale destinations"
    );
    for spec in specs {
        let dest = dir
            .destination(&spec.destination_id)
            .unwrap_or_else(|| panic!("{} missing", spec.destination_id));
        assert!(dest.serves(spec.service));
        assert_eq!(dest.name, spec.name);
        assert!(dest.placeholder);
    }
    assert!(dir.is_development());
    assert!(dir.signed_by().development);
}

fn postcode() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..100_000).prop_map(|n| format!("{n:05}")),
        "\\PC{0,8}",
        Just("21039".to_owned()),
        Just("27568".to_owned()),
    ]
}

fn answer() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        "\\PC{0,12}".prop_map(Some),
        "[0-9]{5}".prop_map(Some),
        Just(Some("03254".into()))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn route_never_panics(
        code in postcode(),
        locality in answer(),
        land in proptest::option::of(0usize..16),
        kreis in answer(),
        area in answer(),
        service in prop_oneof![Just(Service::Elterngeldstelle), Just(Service::Familienkasse), Just(Service::Standesamt)],
    ) {
        let dir = dev_directory();
        let place = Place { postal_code: code, locality, land: land.map(|i| Land::ALL[i]), kreis, area };
        match route(service, &place, dir) {
            // Free text (no options) only for the birth Gemeinde of a postcode the table lacks.
            Ok(Routing::Ask { question, .. }) => prop_assert!(
                !question.options.is_empty()
                    || (service == Service::Standesamt
                        && question.field == "area"
                        && lands_for_postcode(&place.postal_code).is_ok_and(|l| l.is_empty()))
            ),
            Ok(Routing::Resolved { office, .. }) => prop_assert!(dir.destination(&office.destination_id).is_some()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
