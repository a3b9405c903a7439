//! Every text the rules produce for the public cases is fully rendered (no `{placeholder}` of
//! the message catalogue left), differs between German and English where it is a sentence,
//! and a result read back from its JSON equals the result it was written from. Computed
//! without explanations, a result is the same but for the steps.

use crate::public_common;
use public_common::public_lines;

use elternkit_model::CaseResult;
use elternkit_rules::explain::unrendered_placeholders;
use elternkit_rules::{CalcOptions, calculate_json, calculate_json_with};

#[test]
fn every_text_of_the_public_cases_is_rendered_and_round_trips() {
    let mut results = 0;
    let mut texts = 0;
    for file in [
        "egr2022.cases.jsonl",
        "egr_official.cases.jsonl",
        "kindergeld.cases.jsonl",
    ] {
        for line in public_lines(file) {
            let result = calculate_json(&line);
            let json = serde_json::to_value(&result).expect("serialises");
            let open = unrendered_placeholders(&json);
            assert!(open.is_empty(), "{file} {:?}: {open:?}", result.id);

            let steps = [
                &result.elterngeld.as_ref().map(|e| &e.explanation),
                &result.kindergeld.as_ref().map(|k| &k.explanation),
            ];
            for step in steps.iter().filter_map(|s| **s).flatten() {
                texts += 1;
                assert_ne!(
                    step.text.de(),
                    step.text.en(),
                    "{}: one language only",
                    step.rule
                );
                assert!(!step.output.render().is_empty(), "{}: no output", step.rule);
            }

            // Without explanations the steps are never built, and nothing else changes.
            let bare = calculate_json_with(
                &line,
                CalcOptions {
                    explanations: false,
                },
            );
            let mut cleared = result.clone();
            cleared.clear_explanations();
            assert_eq!(
                bare, cleared,
                "{file} {:?}: figures without explanations",
                result.id
            );

            let back: CaseResult = serde_json::from_value(json.clone()).expect("reads back");
            assert_eq!(
                back, result,
                "{file} {:?}: differs after a JSON round trip",
                result.id
            );
            assert_eq!(serde_json::to_value(&back).expect("serialises"), json);
            results += 1;
        }
    }
    assert!(
        results >= 250 && texts > 2_000,
        "{results} results, {texts} steps"
    );
}
