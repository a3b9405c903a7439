//! Kindergeld for a family with three children: the newborn and two older siblings, one in
//! education, one under 18 (target ≤ 2 µs per case).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use elternkit_model::parse_case;
use elternkit_rules::kindergeld::compute;

const CASE: &str = r#"{
  "schema": "elternkit.case/1", "id": "bench/kg-3-children", "evaluation_date": "2026-03-10",
  "child": {"birth_date": "2026-01-05", "count": 1},
  "siblings": [
    {"birth_date": "2006-09-15", "in_education": true, "weekly_work_hours": 8},
    {"birth_date": "2015-04-01"}
  ],
  "household": {"postal_code": "28195", "single_parent": false},
  "parents": [
    {"id": "p1", "citizenship": "DE", "residence_title": null, "lives_in_germany": true,
     "lives_with_child": true, "cares_for_child": true, "tax": {"class": "IV"}},
    {"id": "p2", "citizenship": "US", "residence_title": "niederlassungserlaubnis",
     "lives_in_germany": true, "lives_with_child": true, "cares_for_child": true,
     "tax": {"class": "IV"}}
  ],
  "kindergeld": {"claimant": "p1", "application_date": "2026-03-10",
                 "claimant_has_tax_id": true, "child_has_tax_id": true}
}"#;

fn three_children(c: &mut Criterion) {
    let case = match parse_case(CASE) {
        Ok(case) => case,
        Err(problems) => panic!("benchmark case is invalid: {problems:?}"),
    };
    // Warm the parameter table once, outside the measurement.
    assert!(compute(&case).is_ok());
    c.bench_function("kindergeld_3_children", |b| {
        b.iter(|| compute(black_box(&case)))
    });
}

criterion_group!(benches, three_children);
criterion_main!(benches);
