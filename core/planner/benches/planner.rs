//! Planner budgets (issue 20): the optimal plan of two parents over 32 Lebensmonate (target
//! ≤ 20 ms) and one edit re-computed and re-checked (target ≤ 100 µs). The search's size is
//! printed once per case (`search: …`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use elternkit_model::{PlanMonth, parse_case};
use elternkit_planner::{Objective, PlanRequest, Planner, optimize};

/// Income and weekly hours of one parent after the birth: `amount` € gross and `hours` hours
/// a week in Lebensmonate `months`, none otherwise.
struct Work {
    months: std::ops::RangeInclusive<usize>,
    amount: &'static str,
    hours: &'static str,
    /// Hours a week outside `months`.
    other_hours: &'static str,
}

/// A couple born 2025-03-10: p1 earns 3 400 € before the birth, p2 4 100 €. p1 has
/// Mutterschaftsgeld until 8 weeks after the birth. The plan is the usual 12 + 2. After the
/// birth each parent works as `p1` and `p2` say; `with_income` false drops the income (the
/// hours stay).
fn case(p1: &Work, p2: &Work, with_income: bool) -> elternkit_model::Case {
    let months = |f: &dyn Fn(usize) -> &'static str| {
        (1..=32)
            .map(|m| f(m).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let after = |w: &Work| {
        months(&|m| {
            if with_income && w.months.contains(&m) {
                w.amount
            } else {
                "\"0.00\""
            }
        })
    };
    let hours = |w: &Work| {
        months(&|m| {
            if w.months.contains(&m) {
                w.hours
            } else {
                w.other_hours
            }
        })
    };
    let parent = |id: &str, wage: &str, plan: &str, after: &str, hours: &str, extra: &str| {
        format!(
            r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
            "tax":{{"class":"IV"}},
            "activities_before_birth":[{{"kind":"employed","monthly_income":"{wage}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],
            "pension_insured":true,"health_insured":true,"unemployment_insured":true}}],
            "plan":{plan},"gross_income_after_birth":[{after}],"weekly_hours_after_birth":[{hours}]{extra}}}"#
        )
    };
    let json = format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"2025-03-10","child":{{"birth_date":"2025-03-10"}},
        "household":{{"postal_code":"28195","taxable_income_year_before_birth":"90000.00"}},
        "parents":[{},{}]}}"#,
        parent(
            "p1",
            "3400.00",
            r#"["basis","basis","basis","basis","basis","basis","basis","basis","basis","basis","basis","basis"]"#,
            &after(p1),
            &hours(p1),
            r#","maternity_benefit":{"until":"2025-05-05","daily_amount":"13.00","employer_top_up_daily":"90.00"}"#
        ),
        parent(
            "p2",
            "4100.00",
            r#"["none","none","none","none","none","none","none","none","none","none","none","none","basis","basis"]"#,
            &after(p2),
            &hours(p2),
            ""
        )
    );
    parse_case(&json).expect("the bench case parses")
}

/// The cases of the bench: both parents part time in Lebensmonate 13–16 (p1 25 hours for
/// 1 700 €, p2 28 hours for 2 900 €: Partnerschaftsbonus possible; p2 works 40 hours a week
/// otherwise), without and with that income; and a long part-time case, where p1 works 20
/// hours for 2 100 € in Lebensmonate 7–20 and p2 28 hours for 2 600 € in 13–24 (26 months
/// with income after the birth, above the Übergangsbereich, so one class per parent; with
/// 1 100 € p1's months would fall in the Übergangsbereich of 2025 and of 2026, two classes,
/// and the search is exponential in them: 24.7 million partial plans, see
/// `docs/PLAN_REQUEST.md`).
fn cases() -> Vec<(&'static str, elternkit_model::Case)> {
    let short = (
        Work {
            months: 13..=16,
            amount: "\"1700.00\"",
            hours: "25",
            other_hours: "0",
        },
        Work {
            months: 13..=16,
            amount: "\"2900.00\"",
            hours: "28",
            other_hours: "40",
        },
    );
    let long = (
        Work {
            months: 7..=20,
            amount: "\"2100.00\"",
            hours: "20",
            other_hours: "0",
        },
        Work {
            months: 13..=24,
            amount: "\"2600.00\"",
            hours: "28",
            other_hours: "40",
        },
    );
    vec![
        ("no_income_after", case(&short.0, &short.1, false)),
        ("part_time", case(&short.0, &short.1, true)),
        ("long_part_time", case(&long.0, &long.1, true)),
    ]
}

fn benches(c: &mut Criterion) {
    for (name, case) in cases() {
        let planner = Planner::new(case).expect("planner");
        for objective in [Objective::Total, Objective::Coverage] {
            let request = PlanRequest::new(objective);
            let found = optimize(&planner, &request).expect("a legal plan");
            eprintln!(
                "search {name} {objective:?}: space {:.3e} plans, {} nodes, {} complete plans, {} checked by the rules, {} income evaluations; best {:.2} €, coverage {}",
                found.stats.space,
                found.stats.nodes,
                found.stats.leaves,
                found.stats.checked,
                found.stats.income_evaluations,
                found.best.state.total,
                found.best.coverage
            );
            c.bench_function(&format!("optimize_32_months/{name}/{objective:?}"), |b| {
                b.iter(|| optimize(black_box(&planner), black_box(&request)))
            });
        }
        let mut planner = planner;
        let mut plus = false;
        c.bench_function(&format!("edit/{name}"), |b| {
            b.iter(|| {
                plus = !plus;
                let kind = if plus {
                    PlanMonth::Plus
                } else {
                    PlanMonth::Basis
                };
                planner.set("p2", 13, kind).expect("edit");
                black_box(planner.state())
            })
        });
    }
}

criterion_group! {
    name = planner;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(planner);
