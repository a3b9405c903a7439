//! The bundle's and routing's message catalogues: every entry has both languages and the
//! same placeholders in each, and every text of the bundles of the fixtures — with the
//! places moved so that each kind of routing question and routing error occurs — is
//! rendered whole: nothing empty, no `{placeholder}` left open.

use std::collections::BTreeSet;

use elternkit_bundle::routing::{self, QuestionField, RoutingError, Service};
use elternkit_bundle::{Bundle, DeriveContext, DirectoryRouter, Explained, derive_json, messages};
use elternkit_directory::Directory;
use elternkit_model::{Lang, Localized, Template, Value};
use elternkit_rules::explain::unrendered_placeholders;
use jiff::civil::date;

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        found.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    found
}

fn catalogues() -> impl Iterator<Item = &'static (&'static str, &'static Template)> {
    messages::ALL.iter().chain(routing::messages::ALL)
}

#[test]
fn every_entry_renders_whole_in_both_languages() {
    let mut names = BTreeSet::new();
    for (name, template) in catalogues() {
        assert!(names.insert(*name), "{name} twice");
        let (de, en) = (placeholders(template.de), placeholders(template.en));
        assert_eq!(de, en, "{name}: other placeholders in German and English");
        // Every placeholder given: nothing stays open, nothing is empty.
        let args: Vec<(&'static str, Value)> = template_args(template);
        let text = Localized::Template(template, args);
        for lang in [Lang::De, Lang::En] {
            let rendered = text.get(lang);
            assert!(!rendered.trim().is_empty(), "{name} {lang:?}: empty");
            let open = unrendered_placeholders(&serde_json::Value::String(rendered.into()));
            assert!(open.is_empty(), "{name} {lang:?}: {open:?}");
        }
    }
    assert!(names.len() > 100, "{} entries", names.len());
}

/// An argument for each placeholder of a template (the German names them all: see above).
fn template_args(template: &'static Template) -> Vec<(&'static str, Value)> {
    placeholders(template.de)
        .into_iter()
        .map(|name| (name, Value::text("x")))
        .collect()
}

#[test]
fn routing_errors_speak_each_language_whole_and_log_in_english() {
    let errors = [
        RoutingError::MalformedPostcode("1234".into()),
        RoutingError::AnswerDoesNotFit {
            field: QuestionField::Kreis,
            value: "99999".into(),
            reason: Localized::new(&routing::messages::NOT_A_KREIS_KEY, []),
        },
        RoutingError::MissingDestination {
            destination_id: "fk-ba".into(),
            service: Service::Familienkasse,
        },
        RoutingError::NoValidRecipient {
            destination_id: "fk-ba".into(),
            date: date(2027, 1, 15),
        },
        RoutingError::Data("broken".into()),
    ];
    for e in errors {
        let message = e.message();
        // The log line and the family's English text are one text.
        assert_eq!(message.en(), e.to_string());
        assert_ne!(message.de(), message.en(), "{e}");
    }
}

/// The cases whose bundles are checked: the fixtures and the demo, each also moved to places
/// that make routing ask or fail.
fn cases() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<String> = std::fs::read_dir(format!("{root}/tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path().display().to_string())
        .filter(|p| p.ends_with(".json"))
        .collect();
    files.sort();
    files.push(format!("{root}/../../cli/src/demo_case.json"));
    let places: [(&str, &[(&str, &str)]); 12] = [
        ("10115", &[("locality", "Berlin")]),
        ("10115", &[("area", "nowhere")]),
        ("20095", &[("locality", "Hamburg")]),
        ("14715", &[]),
        ("14715", &[("land", "01")]),
        ("00000", &[("locality", "Nirgendwo")]),
        ("00000", &[("land", "03")]),
        ("1234", &[]),
        ("31134", &[("locality", "Hildesheim")]),
        ("31134", &[("kreis", "09162")]),
        ("31134", &[("kreis", "99999")]),
        ("27568", &[("locality", "Bremerhaven")]),
    ];
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let case: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for (postcode, answers) in places {
            let mut moved = case.clone();
            moved["household"]["postal_code"] = postcode.into();
            if let Some(app) = moved.get_mut("application").and_then(|a| a.as_object_mut()) {
                let mut place = serde_json::json!({ "postal_code": postcode });
                for (k, v) in answers {
                    place[*k] = (*v).into();
                }
                app.insert("place".into(), place);
                if let Some(children) = app.get_mut("children").and_then(|c| c.as_array_mut()) {
                    for child in children {
                        if let Some(bp) =
                            child.get_mut("birth_place").and_then(|b| b.as_object_mut())
                        {
                            bp.insert("postal_code".into(), postcode.into());
                        }
                    }
                }
            }
            out.push((
                format!("{file} @ {postcode} {answers:?}"),
                moved.to_string(),
            ));
        }
        out.push((file, text));
    }
    out
}

#[test]
fn every_text_of_the_bundles_is_rendered_whole() {
    let directory = Directory::development(date(2027, 1, 15)).expect("dev directory verifies");
    let ctx = DeriveContext {
        evaluation_date: Some(date(2026, 3, 10)),
        land: None,
    };
    let mut codes = BTreeSet::new();
    let mut texts = 0;
    for (name, json) in cases() {
        let bundle: Bundle = derive_json(&json, &ctx, &DirectoryRouter(&directory));
        let value = serde_json::to_value(&bundle).expect("serialises");
        let open = unrendered_placeholders(&value);
        assert!(open.is_empty(), "{name}: {open:?}");
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        if k.ends_with("_de") || k.ends_with("_en") {
                            let s = v.as_str().expect("a text");
                            assert!(!s.trim().is_empty(), "{name}: empty {k}");
                            texts += 1;
                        }
                        stack.push(v);
                    }
                }
                serde_json::Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        for p in bundle
            .problems
            .iter()
            .chain(bundle.applications.iter().flat_map(|a| &a.problems))
        {
            codes.insert(p.code.as_str().to_owned());
        }
    }
    // The places did reach routing: questions and failures were rendered too.
    for code in ["routing_question", "routing_failed", "missing"] {
        assert!(codes.contains(code), "no {code} among {codes:?}");
    }
    assert!(texts > 5_000, "{texts} texts");
}
