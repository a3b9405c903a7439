//! Rules budgets: Elterngeld for one parent incl. PAP (target ≤ 10 µs), a whole two-parent case
//! (≤ 20 µs), and parse + compute of a case as `elternkit calc --jsonl` does per line; with and
//! without explanations.
//!
//! `egr_official_200_cases` computes the 200 `egr_official` cases of `../shared` (couples,
//! multiples, siblings, Midijob, self-employed, mixed income, bonus, Mutterschaftsgeld) once
//! each, so the time per element is the mean per case, the figure to set against the official
//! calculator's median of about 0.37 ms per case of the same set (issue 8: ≥ 50× faster means
//! ≤ 7.4 µs). The case files are read in place; a run without `../shared` says so.

// The public-case reader of the integration tests.
#[path = "../tests/it/public_common/mod.rs"]
mod public_common;
use public_common::public_lines;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use elternkit_model::{Case, parse_case};
use elternkit_rules::{CalcOptions, calculate, calculate_json, calculate_with, elterngeld};

const FIGURES_ONLY: CalcOptions = CalcOptions {
    explanations: false,
};

/// The parsed `egr_official` cases of `../shared/cases/public`.
fn official_cases() -> Vec<Case> {
    public_lines("egr_official.cases.jsonl")
        .iter()
        .map(|l| parse_case(l).expect("the public cases parse"))
        .collect()
}

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
    c.bench_function("whole_case_two_parents_no_explanation", |b| {
        b.iter(|| calculate_with(black_box(&two), FIGURES_ONLY))
    });
    c.bench_function("parse_and_calculate_json", |b| {
        b.iter(|| calculate_json(black_box(&two_json)))
    });

    let official = official_cases();
    let mut group = c.benchmark_group("egr_official_200_cases");
    group.throughput(Throughput::Elements(official.len() as u64));
    for (name, options) in [
        ("with_explanations", CalcOptions::default()),
        ("no_explanation", FIGURES_ONLY),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for case in &official {
                    black_box(calculate_with(black_box(case), options));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(rules, benches);
criterion_main!(rules);
