//! Rules budgets: Elterngeld for one parent incl. PAP (target ≤ 10 µs), a whole two-parent case
//! (≤ 20 µs), and parse + compute of a case as `elternkit calc --jsonl` does per line.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use elternkit_core::model::parse_case;
use elternkit_core::rules::{calculate, calculate_json, elterngeld};

fn parent(id: &str, wage: &str, plan: &str, after: &str) -> String {
    format!(
        r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
        "tax":{{"class":"IV","church_tax":true,"child_allowances":"1.0"}},
        "activities_before_birth":[{{"kind":"employed","monthly_income":"{wage}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],
        "pension_insured":true,"health_insured":true,"unemployment_insured":true}}],
        "plan":{plan},"gross_income_after_birth":{after}}}"#
    )
}

fn case(parents: &[String]) -> String {
    format!(
        r#"{{"schema":"elternkit.case/1","id":"bench","evaluation_date":"2026-02-10","child":{{"birth_date":"2026-01-05"}},
        "siblings":[{{"birth_date":"2024-03-01"}}],"household":{{"postal_code":"28195","taxable_income_year_before_birth":"90000.00"}},
        "parents":[{}],"kindergeld":{{"claimant":"p1"}}}}"#,
        parents.join(",")
    )
}

fn benches(c: &mut Criterion) {
    let p1 = parent(
        "p1",
        "3200.00",
        r#"["basis","basis","basis","basis","basis","basis","basis","basis","basis","basis","plus","plus"]"#,
        r#"["0.00","0.00","0.00","0.00","0.00","0.00","0.00","0.00","0.00","0.00","1200.00","1300.00"]"#,
    );
    let p2 = parent(
        "p2",
        "4100.00",
        r#"["none","none","none","none","none","none","none","none","none","none","none","none","basis","basis"]"#,
        "[]",
    );
    let one = parse_case(&case(std::slice::from_ref(&p1))).expect("bench case");
    let two_json = case(&[p1, p2]);
    let two = parse_case(&two_json).expect("bench case");
    c.bench_function("elterngeld_one_parent", |b| {
        b.iter(|| elterngeld::compute(black_box(&one)))
    });
    c.bench_function("whole_case_two_parents", |b| {
        b.iter(|| calculate(black_box(&two)))
    });
    c.bench_function("parse_and_calculate_json", |b| {
        b.iter(|| calculate_json(black_box(&two_json)))
    });
}

criterion_group!(rules, benches);
criterion_main!(rules);
