//! The optimizer under a `SearchControl`: progress that only grows and ends at its total,
//! the same answer as without a control, and cancellation that really ends the search.

use elternkit_planner::{
    CHECK_EVERY, Objective, PlanError, PlanRequest, Planner, SearchControl, SearchProgress,
    optimize, optimize_with,
};

use crate::common::{case, parent};

/// Records every call; answers `cancelled()` with `true` from its `cancel_at`-th call on.
#[derive(Default)]
struct Recorder {
    progress: Vec<SearchProgress>,
    checks: u64,
    cancel_at: Option<u64>,
}

impl SearchControl for Recorder {
    fn cancelled(&mut self) -> bool {
        self.checks += 1;
        self.cancel_at.is_some_and(|at| self.checks >= at)
    }

    fn progress(&mut self, progress: SearchProgress) {
        self.progress.push(progress);
    }
}

/// A couple under the statute's limits, 32 Lebensmonate: asked for the longest coverage and
/// three alternatives, a search of about two thousand nodes (the total alone needs a few
/// dozen).
fn planner() -> Planner {
    let parents = [parent("p1", 3400, &[], ""), parent("p2", 4100, &[], "")];
    Planner::new(case("2025-03-10", &parents, "")).unwrap()
}

fn request() -> PlanRequest {
    let mut r = PlanRequest::new(Objective::Coverage);
    r.alternatives = 3;
    r
}

#[test]
fn progress_only_grows_ends_at_its_total_and_changes_nothing() {
    let planner = planner();
    let plain = optimize(&planner, &request()).unwrap();
    let mut control = Recorder::default();
    let watched = optimize_with(&planner, &request(), &mut control).unwrap();
    assert_eq!(watched, plain);

    let p = &control.progress;
    assert!(p.len() > 2, "{p:?}");
    // Two parents, two outermost Lebensmonate: (4 × 4)² choices.
    assert!(p.iter().all(|x| x.total == 256));
    assert_eq!(p[0].done, 0);
    assert!(
        p.windows(2)
            .all(|w| w[0].done < w[1].done && w[0].nodes <= w[1].nodes)
    );
    let last = p.last().unwrap();
    assert_eq!((last.done, last.nodes), (256, plain.stats.nodes));
    // One check per CHECK_EVERY partial plans, the first at the first.
    assert_eq!(control.checks, plain.stats.nodes.div_ceil(CHECK_EVERY));
}

#[test]
fn cancelling_ends_the_search_at_the_next_check() {
    let planner = planner();
    let full = optimize(&planner, &request()).unwrap().stats.nodes;
    // Cancelled at the second check (after CHECK_EVERY partial plans), the search must still
    // have had more to do.
    assert!(
        full > 2 * CHECK_EVERY,
        "the search is too small to show it: {full}"
    );

    let mut control = Recorder {
        cancel_at: Some(2),
        ..Recorder::default()
    };
    assert_eq!(
        optimize_with(&planner, &request(), &mut control),
        Err(PlanError::Cancelled)
    );
    // Asked exactly twice: after the "stop" nothing more was searched, and no final
    // progress claims the search finished.
    assert_eq!(control.checks, 2);
    let last = control.progress.last().unwrap();
    assert!(last.nodes <= CHECK_EVERY + 1 && last.done < last.total);
}

#[test]
fn a_token_cancelled_before_the_start_stops_at_the_first_partial_plan() {
    let mut control = Recorder {
        cancel_at: Some(1),
        ..Recorder::default()
    };
    assert_eq!(
        optimize_with(&planner(), &request(), &mut control),
        Err(PlanError::Cancelled)
    );
    assert_eq!(control.checks, 1);
    assert_eq!(
        control.progress,
        vec![SearchProgress {
            done: 0,
            total: 256,
            nodes: 1
        }]
    );
}
