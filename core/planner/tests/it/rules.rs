//! Every § 4 BEEG rule (with §§ 4a–4c) with a plan that passes and one that fails, and the
//! suggested fix removing the failure.

use elternkit_model::PlanMonth::{Basis as B, Bonus as X, None as N, Plus as P};
use elternkit_model::{Case, PlanMonth};
use elternkit_planner::{Planner, SoleCareGround};
use elternkit_rules::elterngeld::PlanContext;

use crate::common::{case, parent, plan};

fn codes(planner: &Planner) -> Vec<String> {
    planner.problems().iter().map(|p| p.code.clone()).collect()
}

/// `bad` breaks the rule `code` (with `citation`), its fix removes it; `good` has no problem.
fn rule(code: &str, citation: &str, bad: Case, good: Case, context: PlanContext) {
    let good = Planner::with_context(good, context.clone()).unwrap();
    assert!(good.problems().is_empty(), "{code}: {:?}", good.problems());
    assert!(good.state().valid);
    let mut bad = Planner::with_context(bad, context).unwrap();
    let state = bad.state();
    assert!(!state.valid);
    let issue = state
        .issues
        .iter()
        .find(|i| i.problem.code == code)
        .unwrap_or_else(|| panic!("{code} not reported: {:?}", codes(&bad)));
    assert_eq!(issue.problem.citation, citation);
    assert!(!issue.fix.is_empty(), "{code}: no fix");
    bad.apply(&issue.fix).unwrap();
    assert!(
        !codes(&bad).contains(&code.to_string()),
        "{code} after its fix {:?}: {:?}",
        issue.fix,
        codes(&bad)
    );
}

fn couple(p1: &[PlanMonth], p2: &[PlanMonth]) -> Case {
    case(
        "2025-03-10",
        &[parent("p1", 3000, p1, ""), parent("p2", 3500, p2, "")],
        "",
    )
}

fn couple_hours(p1: &[PlanMonth], p2: &[PlanMonth], hours: &str) -> Case {
    let extra = format!(r#","weekly_hours_after_birth":{hours}"#);
    case(
        "2025-03-10",
        &[
            parent("p1", 3000, p1, &extra),
            parent("p2", 3500, p2, &extra),
        ],
        "",
    )
}

const NONE: PlanContext = PlanContext { sole_care: None };

#[test]
fn basis_after_month_14() {
    rule(
        "basis_after_limit",
        "§ 4 Abs. 1 S. 3 BEEG",
        couple(&plan(&[(B, 10), (N, 4), (B, 1)]), &plan(&[(N, 10), (B, 2)])),
        couple(&plan(&[(B, 10), (N, 4), (P, 4)]), &plan(&[(N, 10), (B, 2)])),
        NONE,
    );
}

#[test]
fn nothing_after_month_32() {
    rule(
        "after_last_lebensmonat",
        "§ 4 Abs. 1 S. 4 BEEG",
        couple(
            &plan(&[(B, 10), (N, 4), (P, 19)]),
            &plan(&[(N, 10), (B, 2)]),
        ),
        couple(&plan(&[(B, 10), (N, 4), (P, 4)]), &plan(&[(N, 10), (B, 2)])),
        NONE,
    );
}

#[test]
fn at_most_12_basis_months_per_parent() {
    rule(
        "too_many_months_parent",
        "§ 4 Abs. 4 S. 1 BEEG",
        couple(&plan(&[(B, 13)]), &plan(&[(N, 13), (B, 1)])),
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 2)])),
        NONE,
    );
}

#[test]
fn at_most_14_months_together() {
    rule(
        "too_many_months",
        "§ 4 Abs. 3 BEEG",
        couple(&plan(&[(B, 12)]), &plan(&[(B, 1), (N, 11), (P, 4)])),
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (P, 4)])),
        NONE,
    );
}

#[test]
fn partner_months_need_reduced_earnings() {
    // § 4 Abs. 3 S. 2: neither parent earned before the birth, so nothing is reduced.
    let without = |p2: &[PlanMonth]| {
        case(
            "2025-03-10",
            &[
                parent("p1", 0, &plan(&[(B, 12)]), ""),
                parent("p2", 0, p2, ""),
            ],
            "",
        )
    };
    rule(
        "partner_months_without_income_reduction",
        "§ 4 Abs. 3 S. 2 BEEG",
        without(&plan(&[(N, 12), (B, 2)])),
        // With earnings before the birth and none after, the income is reduced.
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 2)])),
        NONE,
    );
}

#[test]
fn single_parent_partner_months_need_reduced_earnings() {
    // § 4c Abs. 1 Nr. 1: alone 14 months only with earnings reduced.
    let single = |wage| {
        case(
            "2025-03-10",
            &[parent("p1", wage, &plan(&[(B, 14)]), "")],
            r#","single_parent":true"#,
        )
    };
    rule(
        "partner_months_without_income_reduction",
        "§ 4c Abs. 1 Nr. 1 BEEG",
        single(0),
        single(2800),
        NONE,
    );
}

#[test]
fn sole_care_lets_one_parent_of_a_couple_take_14() {
    // § 4c Abs. 1 Nr. 3: care by p2 is impossible; p1, whose earnings drop, may take the
    // partner months alone. Without that ground 13 and 14 are too many for one parent.
    let c = || couple(&plan(&[(B, 14)]), &[]);
    let plain = Planner::new(c()).unwrap();
    assert!(codes(&plain).contains(&"too_many_months_parent".to_string()));
    let sole = PlanContext {
        sole_care: Some(("p1".into(), SoleCareGround::CareImpossible)),
    };
    assert!(
        Planner::with_context(c(), sole)
            .unwrap()
            .problems()
            .is_empty()
    );
    // Without earnings before the birth the same ground does not help (§ 4c Abs. 1).
    let poor = case(
        "2025-03-10",
        &[
            parent("p1", 0, &plan(&[(B, 14)]), ""),
            parent("p2", 0, &[], ""),
        ],
        "",
    );
    let sole = PlanContext {
        sole_care: Some(("p1".into(), SoleCareGround::ChildEndangered)),
    };
    let p = Planner::with_context(poor, sole).unwrap();
    let problem = &p.problems()[0];
    assert_eq!(
        (problem.code.as_str(), problem.citation.as_str()),
        (
            "partner_months_without_income_reduction",
            "§ 4c Abs. 1 Nr. 2 BEEG"
        )
    );
}

#[test]
fn at_least_2_months_per_parent() {
    rule(
        "too_few_months",
        "§ 4 Abs. 4 S. 2 BEEG",
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 1)])),
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 2)])),
        NONE,
    );
}

#[test]
fn bonus_two_to_four_consecutive_months() {
    let hours = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,28,28,28,28,28]";
    rule(
        "partnerschaftsbonus_months",
        "§ 4b Abs. 1 BEEG",
        couple_hours(
            &plan(&[(B, 10), (N, 4), (X, 1)]),
            &plan(&[(N, 10), (B, 2), (N, 2), (X, 1)]),
            hours,
        ),
        couple_hours(
            &plan(&[(B, 10), (N, 4), (X, 2)]),
            &plan(&[(N, 10), (B, 2), (N, 2), (X, 2)]),
            hours,
        ),
        NONE,
    );
}

#[test]
fn bonus_needs_24_to_32_hours() {
    let short = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,20,20]";
    let hours = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,30,30]";
    let p1 = plan(&[(B, 10), (N, 4), (X, 2)]);
    let p2 = plan(&[(N, 10), (B, 2), (N, 2), (X, 2)]);
    rule(
        "partnerschaftsbonus_hours",
        "§ 4b Abs. 1 Nr. 1 BEEG",
        couple_hours(&p1, &p2, short),
        couple_hours(&p1, &p2, hours),
        NONE,
    );
}

#[test]
fn bonus_in_the_same_months() {
    let hours = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,28,28,28,28]";
    rule(
        "partnerschaftsbonus_not_parallel",
        "§ 4b Abs. 1 BEEG",
        couple_hours(
            &plan(&[(B, 10), (N, 4), (X, 2)]),
            &plan(&[(N, 10), (B, 2), (N, 3), (X, 2)]),
            hours,
        ),
        couple_hours(
            &plan(&[(B, 10), (N, 4), (X, 2)]),
            &plan(&[(N, 10), (B, 2), (N, 2), (X, 2)]),
            hours,
        ),
        NONE,
    );
}

#[test]
fn one_parallel_basis_month_from_april_2024() {
    rule(
        "parallel_basis_months",
        "§ 4 Abs. 6 BEEG",
        couple(&plan(&[(B, 12)]), &plan(&[(B, 2)])),
        couple(&plan(&[(B, 12)]), &plan(&[(B, 1), (N, 11), (B, 1)])),
        NONE,
    );
}

#[test]
fn no_gap_after_month_14() {
    rule(
        "gap_after_month_14",
        "§ 4 Abs. 1 S. 4 BEEG",
        couple(
            &plan(&[(B, 10), (N, 4), (P, 1), (N, 1), (P, 1)]),
            &plan(&[(N, 10), (B, 2)]),
        ),
        couple(&plan(&[(B, 10), (N, 4), (P, 4)]), &plan(&[(N, 10), (B, 2)])),
        NONE,
    );
}

#[test]
fn maternity_months_are_the_mothers_basis_months() {
    // § 4 Abs. 4 S. 3: Mutterschaftsgeld until 8 weeks after the birth covers Lebensmonate
    // 1 and 2.
    let mother = |p: &[PlanMonth]| {
        parent(
            "p1",
            3000,
            p,
            r#","maternity_benefit":{"until":"2025-05-05","daily_amount":"13.00","employer_top_up_daily":"70.00"}"#,
        )
    };
    let c = |p: &[PlanMonth]| {
        case(
            "2025-03-10",
            &[mother(p), parent("p2", 3500, &plan(&[(N, 12), (B, 2)]), "")],
            "",
        )
    };
    rule(
        "maternity_months_are_basis",
        "§ 4 Abs. 4 S. 3 BEEG",
        c(&plan(&[(P, 2), (B, 10)])),
        c(&plan(&[(B, 12)])),
        NONE,
    );
    // They count as Basis months whatever is planned: 2 counted + 11 planned is 13.
    let over = Planner::new(c(&plan(&[(N, 2), (B, 11)]))).unwrap();
    let codes = codes(&over);
    assert!(
        codes.contains(&"too_many_months_parent".to_string()),
        "{codes:?}"
    );
}

#[test]
fn sole_care_the_other_parent_claims_nothing() {
    // § 4c Abs. 1 Nr. 3 with § 1 Abs. 1 S. 1 Nr. 3 BEEG: care by p2 is impossible, so p2,
    // who does not care for the child, has no claim; p1 may take all 14 months.
    let sole = |ground| PlanContext {
        sole_care: Some(("p1".into(), ground)),
    };
    rule(
        "other_parent_claims_under_sole_care",
        "§ 4c Abs. 1 Nr. 3 BEEG",
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 2)])),
        couple(&plan(&[(B, 14)]), &[]),
        sole(SoleCareGround::CareImpossible),
    );
    let p = Planner::with_context(
        couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (P, 2)])),
        sole(SoleCareGround::ChildEndangered),
    )
    .unwrap();
    let problem = p
        .problems()
        .iter()
        .find(|p| p.code == "other_parent_claims_under_sole_care")
        .unwrap();
    assert_eq!(problem.citation, "§ 4c Abs. 1 Nr. 2 BEEG");
    assert_eq!(problem.lebensmonate, [13, 14]);
    // Without the ground the same plan is the usual 12 + 2.
    assert!(
        Planner::new(couple(&plan(&[(B, 12)]), &plan(&[(N, 12), (B, 2)])))
            .unwrap()
            .problems()
            .is_empty()
    );
}

#[test]
fn sole_care_keeps_the_other_parents_maternity_months() {
    // The mother (p1) cannot care for the child (§ 4c Abs. 1 Nr. 3); her months with
    // Mutterschaftsgeld still count as her Basis months (§ 4 Abs. 4 S. 3) and are no claim
    // to flag; the father takes the rest alone.
    let mother = parent(
        "p1",
        3000,
        &plan(&[(B, 2)]),
        r#","maternity_benefit":{"until":"2025-05-05","daily_amount":"13.00","employer_top_up_daily":"70.00"}"#,
    );
    let c = |p2: &[PlanMonth]| {
        case(
            "2025-03-10",
            &[mother.clone(), parent("p2", 3500, p2, "")],
            "",
        )
    };
    let sole = PlanContext {
        sole_care: Some(("p2".into(), SoleCareGround::CareImpossible)),
    };
    let p = Planner::with_context(c(&plan(&[(N, 2), (B, 12)])), sole.clone()).unwrap();
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    // A third month of the mother is flagged, and its fix keeps the two.
    let mut p = Planner::with_context(
        case(
            "2025-03-10",
            &[
                parent(
                    "p1",
                    3000,
                    &plan(&[(B, 3)]),
                    r#","maternity_benefit":{"until":"2025-05-05","daily_amount":"13.00","employer_top_up_daily":"70.00"}"#,
                ),
                parent("p2", 3500, &plan(&[(N, 3), (B, 11)]), ""),
            ],
            "",
        ),
        sole,
    )
    .unwrap();
    let issue = p
        .state()
        .issues
        .into_iter()
        .find(|i| i.problem.code == "other_parent_claims_under_sole_care")
        .unwrap();
    assert_eq!(issue.problem.lebensmonate, [3]);
    p.apply(&issue.fix).unwrap();
    assert!(p.problems().is_empty(), "{:?}", p.problems());
}

/// Born 2025-03-10, 8 weeks before the expected 2025-05-05: § 4 Abs. 5 S. 1 Nr. 2 BEEG.
fn premature(p1: &[PlanMonth], p2: &[PlanMonth]) -> Case {
    let mut c = couple(p1, p2);
    c.child.expected_birth_date = Some(jiff::civil::date(2025, 5, 5));
    c
}

#[test]
fn premature_birth_extra_basis_months() {
    // 14 Basis months and 2 partner months together, 14 for one parent (S. 3 Nr. 2 a), Basis
    // up to Lebensmonat 16 (b).
    let p = Planner::new(premature(&plan(&[(B, 14)]), &plan(&[(N, 14), (B, 2)]))).unwrap();
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    assert_eq!(p.horizon(), 32);
    let term = Planner::new(couple(&plan(&[(B, 14)]), &plan(&[(N, 14), (B, 2)]))).unwrap();
    let codes = codes(&term);
    for code in [
        "basis_after_limit",
        "too_many_months_parent",
        "too_many_months",
    ] {
        assert!(codes.contains(&code.to_string()), "{code}: {codes:?}");
    }
    // Lebensmonat 17 is Plus only.
    rule(
        "basis_after_limit",
        "§ 4 Abs. 1 S. 3 BEEG",
        premature(&plan(&[(B, 12)]), &plan(&[(N, 16), (B, 2)])),
        premature(&plan(&[(B, 12)]), &plan(&[(N, 14), (B, 2)])),
        NONE,
    );
}

#[test]
fn premature_birth_plus_still_ends_with_month_32() {
    // § 4 Abs. 5 S. 3 Nr. 2 c BEEG: ElterngeldPlus up to Lebensmonat 32, without gaps from
    // Lebensmonat 17 on; Lebensmonat 33 is no Lebensmonat with Elterngeld.
    rule(
        "after_last_lebensmonat",
        "§ 4 Abs. 1 S. 4 BEEG",
        premature(&plan(&[(N, 16), (P, 17)]), &plan(&[(B, 7)])),
        premature(&plan(&[(N, 16), (P, 16)]), &plan(&[(B, 7)])),
        NONE,
    );
    // The gap rule starts after the moved Basis limit: Lebensmonate 15 and 16 may be empty.
    let p = Planner::new(premature(
        &plan(&[(B, 12), (N, 4), (P, 2)]),
        &plan(&[(N, 12), (B, 2)]),
    ))
    .unwrap();
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    let p = Planner::new(premature(
        &plan(&[(B, 12), (N, 4), (P, 1), (N, 1), (P, 1)]),
        &plan(&[(N, 12), (B, 2)]),
    ))
    .unwrap();
    let gap = p
        .problems()
        .iter()
        .find(|p| p.code == "gap_after_month_14")
        .unwrap();
    assert_eq!(gap.lebensmonate, [18]);
}
