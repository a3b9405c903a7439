//! Errors are log-safe (issue 22): no `PlanError` `Display` repeats a value of the case or of
//! the plan request. Every leaf of the demo case and of a full request is replaced in turn by
//! marker values (a Steuer-ID-like number, a name, large amounts, a far date); the rules'
//! errors reach the `Display` through `PlanError::Rules`, the request's through
//! `PlanError::Request`.

use elternkit_model::parse_case;
use elternkit_planner::{PLAN_REQUEST_SCHEMA, Planner, parse_request};
use serde_json::{Value, json};

#[path = "../../../rules/tests/it/marker_values.rs"]
mod marker_values;
use marker_values::{leaves, replacements, set};

const DEMO: &str = include_str!("../../../../cli/src/demo_case.json");
const MARKERS: [&str; 4] = ["10762903845", "Marta", "987654321", "9876-05"];

fn assert_clean(text: &str, what: &str) {
    for m in MARKERS {
        assert!(!text.contains(m), "{m} in {text:?} ({what})");
    }
}

#[test]
fn no_plan_error_displays_a_value_of_the_case() {
    let demo: Value = serde_json::from_str(DEMO).unwrap();
    let mut paths = Vec::new();
    leaves(&demo, &mut Vec::new(), &mut paths);
    let mut errors = 0;
    for path in &paths {
        for to in replacements() {
            let mut case = demo.clone();
            set(&mut case, path, to.clone());
            // A case the parser refuses never reaches the planner (the rules' test covers
            // the parser's texts).
            let Ok(case) = parse_case(&case.to_string()) else {
                continue;
            };
            if let Err(e) = Planner::new(case) {
                errors += 1;
                assert_clean(&e.to_string(), &format!("{path:?} = {to}"));
            }
        }
    }
    // Since amounts are bounded when a case is read (2026-12), a huge amount stops at the
    // parser (covered by the rules' test) and no longer makes the PAP refuse its input; the
    // far birth date still reaches the rules (`not_covered`).
    assert!(errors >= 1, "no error: the markers did not reach the rules");
}

#[test]
fn no_request_error_displays_a_value_of_the_request() {
    let request = json!({
        "schema": PLAN_REQUEST_SCHEMA,
        "objective": "total",
        "alternatives": 3,
        "constraints": {
            "fixed": [{"parent": "p1", "first": 1, "last": 2, "kind": "basis"}],
            "at_home": [{"parent": "p1", "first": 1, "last": 2}],
            "return_to_work": [{"parent": "p2", "from": 5}],
            "cannot_claim": ["p2"],
            "min_household_income": {"monthly": "100.00", "through": 3, "other_income": ["1.00"]}
        },
        "sole_care": {"parent": "p1", "ground": "child_endangered"}
    });
    parse_request(&request.to_string()).expect("the full request is valid");
    let mut paths = Vec::new();
    leaves(&request, &mut Vec::new(), &mut paths);
    let mut errors = 0;
    for path in &paths {
        for to in replacements() {
            let mut r = request.clone();
            set(&mut r, path, to.clone());
            if let Err(e) = parse_request(&r.to_string()) {
                errors += 1;
                assert_clean(&e.to_string(), &format!("{path:?} = {to}"));
            }
        }
    }
    assert!(errors > 40, "only {errors} errors");
    // A marker as an unknown key, and a marker in text that is not JSON.
    for text in [
        r#"{"schema": "elternkit.plan-request/1", "Marta10762903845": 1}"#.to_string(),
        r#"{"schema": "elternkit.plan-request/1", "constraints": {"Marta": []}}"#.to_string(),
        "Marta 10762903845".to_string(),
        r#"{"schema": "elternkit.plan-request/1", "alternatives": 9876543210}"#.to_string(),
    ] {
        let e = parse_request(&text).expect_err("invalid");
        assert_clean(&e.to_string(), &text);
    }
}
