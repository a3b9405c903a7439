//! The optimizer against exhaustive enumeration on 500 random small instances, and its plans
//! against a fresh `calc`.
//!
//! "Small": the § 4 limits are scaled down (Basis up to Lebensmonat 1–3, Plus up to 3 or 4,
//! budgets of 1–3 months, Bonus blocks of 2–3), so that every combination of both parents'
//! choices in Lebensmonate 1–4 can be enumerated: at most 4^8 = 65 536 plans per instance.
//! The limits bind as the statute's do over 32 months: budgets, the gap rule, parallel Basis,
//! Bonus blocks and hours, minimum months, the partner months, household minimums.

use elternkit_model::{Case, MoneyString, PlanMonth};
use elternkit_planner::{
    AtHome, FixedMonths, MinHouseholdIncome, Objective, PlanError, PlanRequest, Planner,
    ReturnToWork, bound_violation, exhaustive, optimize, scores,
};
use elternkit_rules::elterngeld::{self, PlanContext, PlanLimits};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use crate::common::case;

const KINDS: [PlanMonth; 4] = [
    PlanMonth::Basis,
    PlanMonth::Plus,
    PlanMonth::Bonus,
    PlanMonth::None,
];

/// A random parent; income after the birth in each month with probability `income_share`,
/// of a random amount per month or, with `uniform`, always that amount (one part-time job).
fn random_parent(
    rng: &mut StdRng,
    id: &str,
    horizon: usize,
    mother: bool,
    birth: jiff::civil::Date,
    income_share: f64,
    uniform: Option<u32>,
) -> String {
    let wage = if rng.random_bool(0.25) {
        0
    } else {
        rng.random_range(1000..6000)
    };
    let activities = if wage > 0 {
        format!(
            r#"[{{"kind":"employed","monthly_income":"{wage}.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}]"#
        )
    } else {
        "[]".into()
    };
    let after: Vec<String> = (0..horizon)
        .map(|_| {
            if !rng.random_bool(income_share) {
                "\"0.00\"".into()
            } else if let Some(amount) = uniform {
                format!("\"{amount}.00\"")
            } else {
                format!("\"{}.00\"", rng.random_range(300..2500))
            }
        })
        .collect();
    let hours: Vec<String> = (0..horizon)
        .map(|_| ["0", "15", "28", "30", "35"][rng.random_range(0..5)].to_string())
        .collect();
    let maternity = if mother && rng.random_bool(0.3) {
        let until = birth
            .checked_add(jiff::Span::new().days(rng.random_range(20..70)))
            .unwrap();
        format!(
            r#","maternity_benefit":{{"until":"{until}","daily_amount":"13.00","employer_top_up_daily":"40.00"}}"#
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
        "tax":{{"class":"IV"}},"activities_before_birth":{activities},
        "gross_income_after_birth":[{}],"weekly_hours_after_birth":[{}]{maternity}}}"#,
        after.join(","),
        hours.join(",")
    )
}

struct Instance {
    case: Case,
    limits: PlanLimits,
    request: PlanRequest,
}

/// How the instances of a test vary beyond the first 500.
#[derive(Clone, Copy)]
struct Variation {
    income_share: f64,
    /// Some instances with one income amount per parent, some born 7 weeks early (§ 4 Abs. 5
    /// BEEG: one extra Basis month in the scaled limits).
    uniform_and_premature: bool,
}

const PLAIN: Variation = Variation {
    income_share: 0.4,
    uniform_and_premature: false,
};

fn instance(seed: u64, variation: Variation) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let horizon = rng.random_range(3..=4usize);
    let birth = jiff::civil::date(2024, 5, 1)
        .checked_add(jiff::Span::new().days(rng.random_range(0..700)))
        .unwrap();
    let n = if rng.random_bool(0.2) { 1 } else { 2 };
    let parents: Vec<String> = (0..n)
        .map(|i| {
            let uniform = (variation.uniform_and_premature && rng.random_bool(0.5))
                .then(|| rng.random_range(300..2500));
            random_parent(
                &mut rng,
                &format!("p{}", i + 1),
                horizon,
                i == 0,
                birth,
                variation.income_share,
                uniform,
            )
        })
        .collect();
    let single = n == 1 || rng.random_bool(0.1);
    let sibling = rng.random_bool(0.2);
    let mut case = case(
        &birth.to_string(),
        &parents,
        if single {
            r#","single_parent":true"#
        } else {
            ""
        },
    );
    if sibling {
        case.siblings = vec![elternkit_model::Sibling {
            birth_date: birth.checked_sub(jiff::Span::new().years(2)).unwrap(),
            disability: false,
            disability_arose_before_25: None,
            in_education: false,
            first_education_completed: None,
            weekly_work_hours: Decimal::ZERO,
            registered_unemployed: false,
            transition_period: false,
            volunteer_service: false,
            no_training_place: false,
            minijob: false,
        }];
    }
    if rng.random_bool(0.3) {
        case.evaluation_date = birth
            .checked_add(jiff::Span::new().months(rng.random_range(1..8)))
            .unwrap();
    }
    let premature = variation.uniform_and_premature && rng.random_bool(0.3);
    if premature {
        case.child.expected_birth_date = birth.checked_add(jiff::Span::new().weeks(7)).ok();
    }
    let basis_last = rng.random_range(1..horizon as u32);
    let limits = PlanLimits {
        basis_last_lebensmonat: basis_last,
        plus_last_lebensmonat: horizon as u32,
        basis_max_per_parent: rng.random_range(1..=2),
        basis_months_joint: rng.random_range(1..=3),
        partner_months: rng.random_range(0..=1),
        min_months_per_parent: rng.random_range(1..=2),
        bonus_months_min: 2,
        bonus_months_max: rng.random_range(2..=3),
        bonus_hours_min: Decimal::from(24),
        bonus_hours_max: Decimal::from(32),
        premature_extra_months: if premature { [1; 4] } else { [0; 4] },
        parallel_basis: rng.random_bool(0.5).then(|| {
            (
                Decimal::ONE,
                "§ 4 Abs. 6 BEEG",
                rng.random_range(1..=basis_last),
            )
        }),
    };
    let mut request = PlanRequest::new(if rng.random_bool(0.5) {
        Objective::Total
    } else {
        Objective::Coverage
    });
    request.alternatives = rng.random_range(0..=3);
    let parent_id = |rng: &mut StdRng| format!("p{}", rng.random_range(1..=n));
    let c = &mut request.constraints;
    if rng.random_bool(0.2) {
        let m = rng.random_range(1..=horizon as u32);
        c.fixed.push(FixedMonths {
            parent: parent_id(&mut rng),
            first: m,
            last: m,
            kind: KINDS[rng.random_range(0..4)],
        });
    }
    if n == 2 && rng.random_bool(0.1) {
        c.cannot_claim.push("p2".into());
    }
    if rng.random_bool(0.15) {
        c.at_home.push(AtHome {
            parent: parent_id(&mut rng),
            first: 1,
            last: rng.random_range(1..=2),
        });
    }
    if rng.random_bool(0.1) {
        c.return_to_work.push(ReturnToWork {
            parent: parent_id(&mut rng),
            from: rng.random_range(1..=horizon as u32),
        });
    }
    if rng.random_bool(0.2) {
        c.min_household_income = Some(MinHouseholdIncome {
            monthly: MoneyString(Decimal::from(rng.random_range(500..2500))),
            through: rng.random_range(1..=horizon as u32),
            other_income: vec![MoneyString(Decimal::from(rng.random_range(0..1500)))],
        });
    }
    Instance {
        case,
        limits,
        request,
    }
}

/// The optimizer's scores against exhaustive enumeration on `seeds`; each plan it returns
/// passes the check and has the amounts a fresh computation of that plan gives. Returns how
/// many instances had a legal plan and how many had none.
fn against_enumeration(seeds: std::ops::Range<u64>, variation: Variation) -> (u32, u32) {
    let (mut legal, mut none) = (0, 0);
    for seed in seeds {
        let inst = instance(seed, variation);
        let planner = Planner::with_limits(
            inst.case.clone(),
            inst.limits.clone(),
            inst.request.context(),
        )
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let expected = exhaustive(&planner, &inst.request).unwrap();
        match optimize(&planner, &inst.request) {
            Err(PlanError::NoLegalPlan) => {
                assert!(
                    expected.is_empty(),
                    "seed {seed}: enumeration found {expected:?}"
                );
                none += 1;
            }
            Err(e) => panic!("seed {seed}: {e}"),
            Ok(found) => {
                legal += 1;
                assert_eq!(
                    scores(&found, inst.request.objective),
                    expected,
                    "seed {seed}: optimizer and enumeration differ"
                );
                for alt in std::iter::once(&found.best).chain(&found.alternatives) {
                    let mut case = inst.case.clone();
                    for (p, parent) in alt.state.parents.iter().enumerate() {
                        case.parents[p].plan = parent.months.iter().map(|m| m.kind).collect();
                    }
                    let problems =
                        elterngeld::check_plan(&case, &inst.limits, &inst.request.context())
                            .unwrap();
                    assert!(problems.is_empty(), "seed {seed}: {problems:?}");
                    for (p, parent) in alt.state.parents.iter().enumerate() {
                        let fresh = elterngeld::parent_elterngeld(&case, p).unwrap();
                        assert_eq!(fresh.total, parent.total, "seed {seed}");
                    }
                }
            }
        }
    }
    (legal, none)
}

/// The optimizer finds exactly the best scores of exhaustive enumeration, for the best plan
/// and every alternative shape, on 500 seeded random instances.
#[test]
fn optimizer_equals_exhaustive_enumeration_on_500_small_instances() {
    let (legal, none) = against_enumeration(0..500, PLAIN);
    // The instances exercise both outcomes.
    assert!(
        legal > 300 && none > 0,
        "legal {legal}, without legal plan {none}"
    );
}

/// The same on 200 more instances in which the parents earn in most months after the birth:
/// half of them at one amount (months of one class, whose amounts the optimizer fixes), half
/// at a random amount per month (compared by their sets); and some children born early.
#[test]
fn optimizer_equals_exhaustive_enumeration_with_income_after_the_birth() {
    let (legal, none) = against_enumeration(
        1000..1200,
        Variation {
            income_share: 0.8,
            uniform_and_premature: true,
        },
    );
    assert!(
        legal > 100 && none > 0,
        "legal {legal}, without legal plan {none}"
    );
}

/// The same on 200 instances without income after the birth: every month's amount is fixed,
/// so the bound's tables are exact and many plans tie, which is where a bound cut at equality
/// (`bound <= threshold`) or a wrong tie between shapes would lose a plan.
#[test]
fn optimizer_equals_exhaustive_enumeration_without_income_after_the_birth() {
    let (legal, none) = against_enumeration(
        2000..2200,
        Variation {
            income_share: 0.0,
            uniform_and_premature: true,
        },
    );
    assert!(
        legal > 100 && none > 0,
        "legal {legal}, without legal plan {none}"
    );
}

/// What exactness rests on, checked directly: on every prefix of every legal plan of 450
/// instances (the three variations above), the optimizer's bound exists and is at least the
/// plan's score. A bound below a legal plan's score would cut that plan.
#[test]
fn the_bound_is_at_least_every_legal_completion() {
    let variations = [
        (0..150, PLAIN),
        (
            1000..1150,
            Variation {
                income_share: 0.8,
                uniform_and_premature: true,
            },
        ),
        (
            2000..2150,
            Variation {
                income_share: 0.0,
                uniform_and_premature: true,
            },
        ),
    ];
    for (seeds, variation) in variations {
        for seed in seeds {
            let inst = instance(seed, variation);
            let planner = Planner::with_limits(
                inst.case.clone(),
                inst.limits.clone(),
                inst.request.context(),
            )
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            let violation = bound_violation(&planner, &inst.request).unwrap();
            assert_eq!(violation, None, "seed {seed}");
        }
    }
}

/// On full cases under the statute's limits, every plan the optimizer returns is payable by
/// `calc` with exactly the planner's amounts, month by month: a full 32-month search with
/// income after the birth in a few months, what the exhaustive tests prove on small instances
/// checked on the statute's sizes.
#[test]
fn optimizer_plans_are_payable_by_calc_with_the_same_amounts() {
    let mut rng = StdRng::seed_from_u64(20);
    {
        let birth = jiff::civil::date(2025, 1, 15)
            .checked_add(jiff::Span::new().days(rng.random_range(0..300)))
            .unwrap();
        let parents = vec![
            random_parent(&mut rng, "p1", 32, true, birth, 0.05, None),
            random_parent(&mut rng, "p2", 32, false, birth, 0.05, None),
        ];
        let case = case(&birth.to_string(), &parents, "");
        let planner = Planner::with_context(case.clone(), PlanContext::default()).unwrap();
        let mut request = PlanRequest::new(Objective::Total);
        request.alternatives = 1;
        let found = optimize(&planner, &request).unwrap();
        for alt in std::iter::once(&found.best).chain(&found.alternatives) {
            assert!(alt.state.valid);
            let mut case = case.clone();
            for (p, parent) in alt.state.parents.iter().enumerate() {
                case.parents[p].plan = parent.months.iter().map(|m| m.kind).collect();
            }
            let result = elternkit_rules::calculate(&case);
            let eg = result.elterngeld.unwrap();
            assert!(eg.payable, "{:?}", eg.plan_problems);
            for (ours, theirs) in alt.state.parents.iter().zip(&eg.parents) {
                assert_eq!(ours.total, theirs.total);
                for m in &theirs.months {
                    assert_eq!(ours.months[m.lebensmonat as usize - 1].amount, m.amount);
                }
            }
        }
        // No alternative beats the best.
        assert!(
            found
                .alternatives
                .iter()
                .all(|a| a.state.total <= found.best.state.total)
        );
    }
}
