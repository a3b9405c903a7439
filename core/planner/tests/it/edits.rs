//! Edits through the public API: amounts, totals and problems after each; a property over
//! random plans.

use elternkit_model::PlanMonth::{self, Basis as B, None as N, Plus as P};
use elternkit_planner::{PlanError, Planner};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use crate::common::{case, parent, plan};

fn couple() -> Planner {
    Planner::new(case(
        "2025-03-10",
        &[
            parent("p1", 3000, &plan(&[(B, 12)]), ""),
            parent("p2", 3500, &plan(&[(N, 12), (B, 2)]), ""),
        ],
        "",
    ))
    .unwrap()
}

/// An edit changes the edited parent's months and total, leaves the other's, and is checked
/// at once; undoing it restores the first state.
#[test]
fn an_edit_is_recomputed_and_rechecked() {
    let mut planner = couple();
    let before = planner.state();
    assert!(before.valid);
    assert_eq!(before.parents[0].months.len(), 32);
    // Plus for p2 in Lebensmonat 13: 13.5 months together, still valid; p2's month halves.
    planner.set("p2", 13, P).unwrap();
    let after = planner.state();
    assert!(after.valid, "{:?}", after.issues);
    assert_eq!(after.parents[0], before.parents[0]);
    let (b, a) = (&before.parents[1].months[12], &after.parents[1].months[12]);
    assert_eq!((b.kind, a.kind), (B, P));
    assert!(a.amount < b.amount && a.amount * Decimal::TWO >= b.amount - Decimal::ONE);
    assert_eq!(after.total, after.parents[0].total + after.parents[1].total);
    // Basis for p2 in Lebensmonat 15: after the 14th (§ 4 Abs. 1 S. 3), and a gap.
    planner.set("p2", 15, B).unwrap();
    let bad = planner.state();
    assert!(!bad.valid);
    assert!(
        bad.issues
            .iter()
            .any(|i| i.problem.code == "basis_after_limit")
    );
    planner.set("p2", 15, N).unwrap();
    planner.set("p2", 13, B).unwrap();
    assert_eq!(planner.state(), before);
}

#[test]
fn bad_edits_are_typed_errors() {
    let mut planner = couple();
    assert_eq!(planner.set("p9", 1, B), Err(PlanError::UnknownParent));
    assert!(matches!(
        planner.set("p1", 0, B),
        Err(PlanError::LebensmonatOutOfRange { .. })
    ));
    assert!(matches!(
        planner.set("p1", 33, P),
        Err(PlanError::LebensmonatOutOfRange { last: 32, .. })
    ));
    // The plan is unchanged by a refused edit.
    assert!(planner.state().valid);
}

/// A planner's amounts for a valid plan are what `calc` pays.
#[test]
fn a_valid_plan_is_paid_as_planned() {
    let planner = couple();
    let result = elternkit_rules::calculate(planner.case());
    let eg = result.elterngeld.unwrap();
    assert!(eg.payable);
    let state = planner.state();
    for (ours, theirs) in state.parents.iter().zip(&eg.parents) {
        assert_eq!(ours.total, theirs.total);
    }
}

/// Property: where no income is earned after the birth, adding a Basis month that keeps the
/// plan legal never lowers the total (each month's amount stands on its own, § 2 Abs. 1
/// BEEG); and turning a legal Basis month into Plus never raises that month's amount
/// (§ 4a Abs. 2: at most half the Basis amount without income).
#[test]
fn adding_a_legal_basis_month_never_lowers_the_total() {
    let mut rng = StdRng::seed_from_u64(4);
    let mut added = 0;
    for _ in 0..60 {
        let wage = |rng: &mut StdRng| {
            if rng.random_bool(0.2) {
                0
            } else {
                rng.random_range(800..7000)
            }
        };
        let random_plan = |rng: &mut StdRng| -> Vec<PlanMonth> {
            (0..14)
                .map(|_| [B, P, N, N][rng.random_range(0..4)])
                .collect()
        };
        let (w1, w2) = (wage(&mut rng), wage(&mut rng));
        let (p1, p2) = (random_plan(&mut rng), random_plan(&mut rng));
        let mut planner = Planner::new(case(
            "2025-06-02",
            &[parent("p1", w1, &p1, ""), parent("p2", w2, &p2, "")],
            "",
        ))
        .unwrap();
        if !planner.state().valid {
            continue;
        }
        for m in 1..=14 {
            for who in ["p1", "p2"] {
                let index = planner.parent_index(who).unwrap();
                if planner.get(index, m) != N {
                    continue;
                }
                let before = planner.state();
                planner.set(who, m, B).unwrap();
                let after = planner.state();
                if after.valid {
                    added += 1;
                    assert!(after.total >= before.total, "{who} LM {m}");
                    let mut plus = planner.clone();
                    plus.set(who, m, P).unwrap();
                    let month =
                        |p: &Planner| p.state().parents[index].months[m as usize - 1].amount;
                    assert!(month(&plus) <= month(&planner));
                }
                planner.set(who, m, N).unwrap();
            }
        }
    }
    assert!(added > 50, "only {added} legal additions tried");
}
