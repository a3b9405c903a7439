//! The 10 hand-made public Kindergeld cases (`shared/cases/public/kindergeld.*.jsonl`), read in
//! place from the shared folder next to the repository and asserted in full: every field an
//! expectation lists (money to the cent), except its `comment`.

use crate::public_common;
use public_common::public_lines;

use elternkit_model::parse_case;
use elternkit_rules::kindergeld::compute;
use rust_decimal::Decimal;
use serde_json::Value;

fn decimal(v: &Value, what: &str) -> Decimal {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.parse()
        .unwrap_or_else(|e| panic!("{what}: {s:?} is not a decimal: {e}"))
}

#[test]
fn all_public_kindergeld_cases_match_in_full() {
    let cases = public_lines("kindergeld.cases.jsonl");
    let expects = public_lines("kindergeld.expect.jsonl");
    assert_eq!(cases.len(), 10, "expected the 10 public Kindergeld cases");
    assert_eq!(
        cases.len(),
        expects.len(),
        "cases and expectations differ in length"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for (line, (case_json, expect_json)) in cases.iter().zip(&expects).enumerate() {
        let case = parse_case(case_json)
            .unwrap_or_else(|p| panic!("case line {}: invalid: {p:?}", line + 1));
        let expect: Value = serde_json::from_str(expect_json)
            .unwrap_or_else(|e| panic!("expect line {}: {e}", line + 1));
        let id = case.id.clone().unwrap_or_default();
        assert_eq!(
            expect["id"].as_str(),
            Some(id.as_str()),
            "line {}: ids differ",
            line + 1
        );

        let result = compute(&case).unwrap_or_else(|e| panic!("{id}: compute failed: {e}"));
        let wanted = expect["expect_kindergeld_children"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no expect_kindergeld_children"));
        assert_eq!(
            result.children.len(),
            wanted.len(),
            "{id}: number of children"
        );
        for (i, (got, want)) in result.children.iter().zip(wanted).enumerate() {
            let got = serde_json::to_value(got).unwrap();
            let want = want
                .as_object()
                .unwrap_or_else(|| panic!("{id}: child {i} not an object"));
            for (key, want_value) in want {
                if key == "comment" {
                    continue;
                }
                checked += 1;
                let got_value = got.get(key).cloned().unwrap_or(Value::Null);
                let same = match key.as_str() {
                    "monthly_amount" => {
                        decimal(&got_value, key).round_dp(2) == decimal(want_value, key).round_dp(2)
                    }
                    "months_lost" => decimal(&got_value, key) == decimal(want_value, key),
                    "birth_date" | "eligible" | "paid_from" | "paid_until" | "retroactive_from"
                    | "payable_from" | "reasons" => &got_value == want_value,
                    other => panic!("{id}: child {i}: unsupported expectation key {other:?}"),
                };
                if !same {
                    failures.push(format!(
                        "{id}: child {i} {key}: got {got_value}, expected {want_value}\n    ({})",
                        want.get("comment").and_then(Value::as_str).unwrap_or("")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} figures checked");
}
