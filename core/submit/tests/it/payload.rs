//! Payloads built from the bundle's golden families, checked against the JSON Schemas, and
//! carried through a sealed envelope to the agency side.

use elternkit_bundle::{DeriveContext, NoRouter, derive};
use elternkit_model::parse_case;
use elternkit_submit::payload::{self, PayloadError, SCHEMAS, build, schema_of};
use serde_json::Value;

const FAMILIES: &[&str] = &[
    "bayern_unmarried",
    "berlin_single",
    "bremen_married",
    "no_steuer_id",
    "non_eu_title",
    "twins_premature",
];

fn validator(schema: &str) -> jsonschema::Validator {
    let text = SCHEMAS
        .iter()
        .find(|(urn, _)| *urn == schema)
        .map(|(_, text)| *text)
        .expect("a schema file for every URN");
    let json: Value = serde_json::from_str(text).expect("the schema is JSON");
    jsonschema::validator_for(&json).expect("the schema is a valid JSON Schema")
}

fn family(
    name: &str,
) -> (
    elternkit_bundle::Bundle,
    elternkit_model::Case,
    elternkit_model::CaseResult,
) {
    let path = format!(
        "{}/../bundle/tests/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json = std::fs::read_to_string(&path).expect("fixture is readable");
    let case = parse_case(&json).expect("fixture is a valid case");
    let bundle = derive(&case, &DeriveContext::default(), &NoRouter);
    let result = elternkit_rules::calculate(&case);
    (bundle, case, result)
}

#[test]
fn every_ready_application_of_the_golden_families_fits_its_schema() {
    let mut built = std::collections::BTreeMap::<&str, usize>::new();
    for name in FAMILIES {
        let (bundle, case, result) = family(name);
        for app in &bundle.applications {
            match build(app, &case, &result) {
                Ok(data) => {
                    let schema = schema_of(app.service);
                    let value = serde_json::to_value(&data).expect("serialises");
                    let errors: Vec<String> = validator(schema)
                        .iter_errors(&value)
                        .map(|e| format!("{} at {}", e, e.instance_path()))
                        .collect();
                    assert!(errors.is_empty(), "{name}/{}: {errors:#?}", app.id);
                    // Round trip: the agency reads back exactly what was sent.
                    let back: payload::ApplicationPayload =
                        serde_json::from_value(value).expect("parses back");
                    assert_eq!(back, data);
                    *built.entry(schema).or_default() += 1;
                }
                Err(PayloadError::NotReady { .. }) => assert!(!app.ready, "{name}/{}", app.id),
                Err(e) => panic!("{name}/{}: {e}", app.id),
            }
        }
    }
    for (schema, _) in SCHEMAS {
        assert!(
            built.get(schema).copied().unwrap_or(0) > 0,
            "no golden family produced a ready {schema} application: {built:?}"
        );
    }
}

#[test]
fn the_schemas_refuse_what_the_agency_could_not_use() {
    let (bundle, case, result) = FAMILIES
        .iter()
        .map(|name| family(name))
        .find(|(b, _, _)| {
            b.applications
                .iter()
                .any(|a| a.ready && a.benefit.is_some())
        })
        .expect("a golden family with a ready benefit application");
    let app = bundle
        .applications
        .iter()
        .find(|a| a.ready && a.benefit.is_some())
        .expect("found above");
    let good = serde_json::to_value(build(app, &case, &result).expect("builds")).expect("JSON");
    let v = validator(schema_of(app.service));
    assert!(v.is_valid(&good));
    let mut no_figures = good.clone();
    no_figures["shown"]
        .as_object_mut()
        .expect("shown")
        .remove("benefit");
    assert!(!v.is_valid(&no_figures), "the figures shown are required");
    let mut no_input = good.clone();
    no_input["shown"]
        .as_object_mut()
        .expect("shown")
        .remove("input");
    assert!(
        !v.is_valid(&no_input),
        "the case to re-compute from is required"
    );
    let mut wrong_schema = good.clone();
    wrong_schema["schema"] = "urn:elternkit:other:1".into();
    assert!(!v.is_valid(&wrong_schema));
    let mut extra = good;
    extra["smuggled"] = true.into();
    assert!(!v.is_valid(&extra));
}

#[test]
fn an_application_that_is_not_ready_gives_no_payload() {
    let (bundle, case, result) = family("no_steuer_id");
    let Some(app) = bundle.applications.iter().find(|a| !a.ready) else {
        panic!("the family without Steuer-ID has an application that is not ready");
    };
    assert!(matches!(
        build(app, &case, &result),
        Err(PayloadError::NotReady { .. })
    ));
}
