//! Errors are log-safe (issue 22): no error message of the parser or the rules repeats a value
//! of the input, and every error code comes with a German and an English text.
//!
//! Every leaf of the demo case is replaced in turn by marker values (a Steuer-ID-like number,
//! a name, a large amount and one beyond the case format's limit, a far date), so the cases
//! reach the parser's checks and the rules' own errors alike; the markers must appear in no
//! `errors[]` text.

use std::collections::BTreeMap;

use elternkit_rules::calculate_json;
use serde_json::Value;

use crate::marker_values::{leaves, replacements, set};

const DEMO: &str = include_str!("../../../../cli/src/demo_case.json");
const MARKERS: [&str; 3] = ["10762903845", "Marta", "987654321"];

#[test]
fn no_error_repeats_an_input_value_and_every_code_has_both_texts() {
    let demo: Value = serde_json::from_str(DEMO).expect("the demo case is JSON");
    let mut paths = Vec::new();
    leaves(&demo, &mut Vec::new(), &mut paths);
    let replacements = replacements();
    let mut codes: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut errors = 0;
    for path in &paths {
        for to in &replacements {
            let mut case = demo.clone();
            set(&mut case, path, to.clone());
            let result = calculate_json(&case.to_string());
            for e in &result.errors {
                errors += 1;
                let text = format!("{} {} {} {}", e.path, e.code, e.message, e.message_de);
                for m in MARKERS {
                    assert!(!text.contains(m), "{m} in {e:?}\nat {path:?} = {to}");
                }
                codes
                    .entry(e.code.clone())
                    .or_insert_with(|| (e.message.clone(), e.message_de.clone()));
            }
        }
    }
    assert!(
        errors > 100,
        "only {errors} errors: the markers did not reach the checks"
    );
    // Parser codes and the rules' own codes were both reached.
    for code in ["invalid_type", "invalid_value"] {
        assert!(codes.contains_key(code), "{code} not reached: {codes:?}");
    }
    for (code, (en, de)) in &codes {
        assert!(!en.trim().is_empty() && !de.trim().is_empty(), "{code}");
        assert_ne!(en, de, "{code}: the German text is the English one");
    }
}
