//! Properties of the Kindergeld rules over generated valid cases: no panic and no error; a child
//! that is not eligible gets 0 € and no months; an eligible child gets exactly the
//! `kg.amount_eur` of its reference month (the evaluation month, or the month of birth for a
//! child not yet born); `payable_from` ≥ `paid_from` and `paid_until` ≥ the reference month.

use elternkit_model::{YearMonth, parse_case};
use elternkit_rules::kindergeld::compute;
use elternkit_rules::residence::RESIDENCE_TITLES;
use elternkit_rules::{At, params};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn day(base: Date, offset: i32) -> Date {
    base.checked_add(offset.days())
        .expect("generated dates stay within jiff's range")
}

fn sibling_strategy() -> impl Strategy<Value = (i32, [bool; 7], u8, Option<bool>, Option<bool>)> {
    (
        1..15_000i32,
        any::<[bool; 7]>(),
        0..45u8,
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    )
}

fn parent_strategy() -> impl Strategy<Value = (usize, usize, bool, bool, bool)> {
    (
        0..7usize,
        0..RESIDENCE_TITLES.len() + 2,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
}

const CITIZENSHIPS: [&str; 7] = ["DE", "FR", "US", "SY", "IN", "TR", "UA"];

fn parent_json(id: &str, p: (usize, usize, bool, bool, bool)) -> Value {
    let (cit, title, in_germany, with_child, employed) = p;
    let title = RESIDENCE_TITLES
        .get(title)
        .map(|t| Value::from(t.name))
        .unwrap_or_else(|| {
            // An unknown id is an input error (docs/RESIDENCE_TITLES.md); a blank one reads
            // as none given.
            if title % 2 == 0 {
                Value::Null
            } else {
                Value::from(" ")
            }
        });
    let activities = if employed {
        json!([{"kind": "employed", "monthly_income": "2500.00", "months_active": vec![true; 12]}])
    } else {
        json!([])
    };
    json!({
        "id": id, "citizenship": CITIZENSHIPS[cit], "residence_title": title,
        "lives_in_germany": in_germany, "lives_with_child": with_child, "cares_for_child": true,
        "tax": {"class": "IV"}, "activities_before_birth": activities, "plan": []
    })
}

#[allow(clippy::type_complexity)]
fn case_strategy() -> impl Strategy<Value = (Value, Date)> {
    (
        0..4_800i32,
        -1_100..280i32,
        1..=3u32,
        any::<bool>(),
        proptest::collection::vec(sibling_strategy(), 0..=3),
        parent_strategy(),
        proptest::option::of(parent_strategy()),
        proptest::option::of((any::<bool>(), proptest::option::of(-400..200i32), any::<bool>(), any::<bool>())),
    )
        .prop_map(|(eval, birth, count, disability, sibs, p1, p2, claim)| {
            let today = day(date(2023, 1, 1), eval);
            let birth = day(today, birth);
            let siblings: Vec<Value> = sibs
                .into_iter()
                .map(|(older, f, hours, completed, arose)| {
                    let mut s = json!({
                        "birth_date": day(birth, -older).to_string(),
                        "disability": f[0], "in_education": f[1], "registered_unemployed": f[2],
                        "transition_period": f[3], "volunteer_service": f[4],
                        "no_training_place": f[5], "weekly_work_hours": hours
                    });
                    if let Some(c) = completed {
                        s["first_education_completed"] = json!(c);
                    }
                    if let Some(a) = arose.filter(|_| f[6]) {
                        s["disability_arose_before_25"] = json!(a);
                    }
                    s
                })
                .collect();
            let mut parents = vec![parent_json("p1", p1)];
            if let Some(p2) = p2 {
                parents.push(parent_json("p2", p2));
            }
            let mut case = json!({
                "schema": "elternkit.case/1",
                "evaluation_date": today.to_string(),
                "child": {"birth_date": birth.to_string(), "count": count, "disability": disability},
                "siblings": siblings,
                "household": {"postal_code": "28195"},
                "parents": parents,
            });
            if let Some((second, app, tax1, tax2)) = claim {
                let claimant = if second && case["parents"].as_array().is_some_and(|p| p.len() == 2) {
                    "p2"
                } else {
                    "p1"
                };
                let mut k = json!({"claimant": claimant, "claimant_has_tax_id": tax1, "child_has_tax_id": tax2});
                if let Some(offset) = app {
                    k["application_date"] = json!(day(today, offset).to_string());
                }
                case["kindergeld"] = k;
            }
            (case, today)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn kindergeld_properties((json, today) in case_strategy()) {
        let case = parse_case(&json.to_string())
            .map_err(|p| TestCaseError::fail(format!("generated case invalid: {p:?}")))?;
        let result = compute(&case)
            .map_err(|e| TestCaseError::fail(format!("compute failed: {e}")))?;
        prop_assert_eq!(result.children.len(), case.child.count as usize + case.siblings.len());
        for child in &result.children {
            if child.eligible {
                let month = YearMonth::of(today).max(YearMonth::of(child.birth_date));
                let (amount, _) = params().decimal("kg.amount_eur", At::PaymentMonth(month)).unwrap();
                prop_assert_eq!(child.monthly_amount, amount);
                let from = child.paid_from.expect("eligible child has paid_from");
                prop_assert_eq!(from, YearMonth::of(child.birth_date));
                if let Some(payable) = child.payable_from {
                    prop_assert!(payable >= from);
                }
                if let Some(until) = child.paid_until {
                    prop_assert!(until >= month);
                }
            } else {
                prop_assert_eq!(child.monthly_amount, Decimal::ZERO);
                prop_assert!(child.paid_from.is_none() && child.payable_from.is_none());
                prop_assert_eq!(child.months_lost, 0);
                prop_assert!(!child.reasons.is_empty(), "a child without Kindergeld has a reason");
            }
        }
    }
}
