//! The surface as Rust sees it, with platform traits written in Rust. The same scenarios run
//! in Kotlin (bindings/kotlin) and Swift (bindings/swift) against the built library.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::*;

const DEMO: &str = include_str!("../../../cli/src/demo_case.json");

#[derive(Default)]
struct MemorySecrets {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
    counters: Mutex<HashMap<String, u64>>,
    /// Hands out secrets of this length instead of what was stored (a broken platform).
    wrong_length: Option<usize>,
}

impl SecretStore for MemorySecrets {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, SecretStoreError> {
        let got = self.secrets.lock().unwrap().get(&name).cloned();
        Ok(got.map(|s| match self.wrong_length {
            Some(n) => vec![7; n],
            None => s,
        }))
    }
    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), SecretStoreError> {
        self.secrets.lock().unwrap().insert(name, secret);
        Ok(())
    }
    fn store_if_absent(&self, name: String, secret: Vec<u8>) -> Result<Vec<u8>, SecretStoreError> {
        let mut map = self.secrets.lock().unwrap();
        let stored = map.entry(name).or_insert(secret).clone();
        Ok(match self.wrong_length {
            Some(n) => vec![7; n],
            None => stored,
        })
    }
    fn delete(&self, name: String) -> Result<(), SecretStoreError> {
        self.secrets.lock().unwrap().remove(&name);
        Ok(())
    }
    fn keeps_counters(&self) -> bool {
        true
    }
    fn counter_get(&self, name: String) -> Result<u64, SecretStoreError> {
        Ok(*self.counters.lock().unwrap().get(&name).unwrap_or(&0))
    }
    fn counter_raise(&self, name: String, value: u64) -> Result<(), SecretStoreError> {
        let mut map = self.counters.lock().unwrap();
        let c = map.entry(name).or_insert(0);
        *c = (*c).max(value);
        Ok(())
    }
}

struct FixedClock(&'static str);

impl PlatformClock for FixedClock {
    fn today(&self) -> String {
        self.0.to_owned()
    }
}

fn app_in(dir: &tempfile::TempDir, name: &str, locale: Language) -> Arc<App> {
    App::new(
        AppConfig {
            database_path: dir.path().join(name).to_string_lossy().into_owned(),
            language: locale,
            directory: DirectoryConfig::Development,
        },
        Arc::new(MemorySecrets::default()),
        Arc::new(FixedClock("2026-12-01")),
    )
    .unwrap()
}

fn demo_app(locale: Language) -> (tempfile::TempDir, Arc<App>) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(&dir, "drafts.sqlite", locale);
    (dir, app)
}

#[test]
fn calculate_gives_the_demo_figures_as_decimal_strings() {
    let (_dir, app) = demo_app(Language::De);
    let r = app.calculate(DEMO.into()).unwrap();
    let eg = r.elterngeld.unwrap();
    assert_eq!(eg.parents[0].id, "p1");
    assert_eq!(eg.parents[0].total, "14530.11");
    assert_eq!(eg.parents[1].total, "3292.46");
    assert_eq!(eg.parents[0].replacement_rate, "0.650");
    let lm2 = &eg.parents[0].months[1];
    assert_eq!((lm2.lebensmonat, lm2.kind.as_str()), (2, "basis"));
    assert_eq!(
        (lm2.amount.as_str(), lm2.offset_maternity.as_str()),
        ("105.92", "1376.94")
    );
    let kg = r.kindergeld.unwrap();
    assert_eq!(kg.children.len(), 2);
    assert!(kg.children.iter().all(|c| c.monthly_amount == "259.00"));
    assert!(r.problems.is_empty());
}

#[test]
fn explain_has_every_step_with_citation_in_the_locale() {
    let (_dir, de) = demo_app(Language::De);
    let (_dir2, en) = demo_app(Language::En);
    let (de, en) = (
        de.explain(DEMO.into()).unwrap(),
        en.explain(DEMO.into()).unwrap(),
    );
    assert!(!de.elterngeld.is_empty() && !de.kindergeld.is_empty());
    assert_eq!(de.elterngeld.len(), en.elterngeld.len());
    for (d, e) in de.elterngeld.iter().zip(&en.elterngeld) {
        assert!(!d.citation.is_empty(), "{} has no citation", d.rule);
        assert_eq!((&d.rule, &d.citation), (&e.rule, &e.citation));
        assert!(!d.text.is_empty() && !e.text.is_empty());
    }
    assert!(de.elterngeld.iter().any(|s| s.citation.contains("BEEG")));
    assert_ne!(de.elterngeld[0].text, en.elterngeld[0].text);
}

#[test]
fn an_invalid_case_is_a_typed_error_without_its_values() {
    let (_dir, app) = demo_app(Language::En);
    let bad = DEMO.replace("\"class\": \"IV\"", "\"class\": \"IX-secret\"");
    match app.calculate(bad) {
        Err(ElternKitError::InvalidCase { problems }) => {
            assert!(!problems.is_empty());
            for p in &problems {
                assert!(!p.text.contains("IX-secret"), "{p:?} quotes the case");
            }
            assert!(
                problems.iter().any(|p| p.path.contains("tax")),
                "{problems:?}"
            );
        }
        other => panic!("expected InvalidCase, got {other:?}"),
    }
    assert!(matches!(
        app.calculate("{ not json".into()),
        Err(ElternKitError::InvalidCase { .. })
    ));
}

#[test]
fn bundle_is_evaluated_on_the_clock_s_day_and_routed() {
    let (_dir, app) = demo_app(Language::De);
    let b = app.bundle(DEMO.into()).unwrap();
    assert_eq!(b.evaluation_date.as_deref(), Some("2026-12-01"));
    assert_eq!(b.order, ["standesamt", "elterngeldstelle", "familienkasse"]);
    let status: Vec<_> = b.applications.iter().map(|a| a.status).collect();
    assert_eq!(
        status,
        [
            ApplicationStatus::Ready,
            ApplicationStatus::Incomplete,
            ApplicationStatus::Ready
        ]
    );
    let offices: Vec<_> = b
        .applications
        .iter()
        .map(|a| a.office.as_ref().map(|o| o.name.as_str()))
        .collect();
    assert_eq!(
        offices,
        [
            Some("Standesamt Bremen-Mitte"),
            Some("Amt für Soziale Dienste Bremen, Elterngeldstelle"),
            Some("Bundesagentur für Arbeit, Familienkasse")
        ]
    );
    assert!(
        b.applications[1]
            .deadlines
            .iter()
            .all(|d| d.last_day.len() == 10)
    );
}

fn input(title: &str, case_json: &str) -> DraftInput {
    DraftInput {
        status: DraftStatus::Draft,
        summary: DraftSummary {
            title: title.into(),
            benefit_kinds: vec!["elterngeld".into()],
            child_names: vec!["Mia".into()],
        },
        case_json: case_json.into(),
    }
}

#[test]
fn drafts_round_trip_and_a_stale_save_is_a_conflict() {
    let (_dir, app) = demo_app(Language::De);
    let meta = app.create_draft(input("Mia", DEMO)).unwrap();
    assert_eq!(meta.version, 1);
    let loaded = app.load_draft(meta.id.clone()).unwrap();
    assert_eq!(loaded.summary.title, "Mia");
    let same: serde_json::Value = serde_json::from_str(&loaded.case_json).unwrap();
    assert_eq!(
        same,
        serde_json::from_str::<serde_json::Value>(DEMO).unwrap()
    );

    let v2 = app
        .save_draft(meta.id.clone(), 1, input("Mia 2", "{}"))
        .unwrap();
    assert_eq!(v2.version, 2);
    match app.save_draft(meta.id.clone(), 1, input("stale", "{}")) {
        Err(ElternKitError::Conflict {
            expected_version: 1,
            actual_version: 2,
            ..
        }) => {}
        other => panic!("expected Conflict, got {other:?}"),
    }
    let list = app.list_drafts().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].summary.as_ref().unwrap().title, "Mia 2");
    app.delete_draft(meta.id.clone()).unwrap();
    assert!(matches!(
        app.load_draft(meta.id),
        Err(ElternKitError::NotFound { .. })
    ));
    assert!(matches!(
        app.load_draft("not-an-id".into()),
        Err(ElternKitError::InvalidArgument { .. })
    ));
}

#[test]
fn a_handoff_reaches_the_other_device_only() {
    let dir = tempfile::tempdir().unwrap();
    let a = app_in(&dir, "a.sqlite", Language::De);
    let b = app_in(&dir, "b.sqlite", Language::De);
    let c = app_in(&dir, "c.sqlite", Language::De);
    let meta = a.create_draft(input("Mia", DEMO)).unwrap();
    let armored = a
        .export_draft(meta.id, vec![b.device_recipient()], None)
        .unwrap();
    let got = b
        .import_draft(armored.clone(), Some(a.device_recipient()))
        .unwrap();
    assert!(!got.already_imported);
    assert_eq!(got.sender, a.device_recipient());
    assert!(
        b.import_draft(armored.clone(), None)
            .unwrap()
            .already_imported
    );
    assert!(matches!(
        c.import_draft(armored.clone(), None),
        Err(ElternKitError::HandoffNotForThisDevice)
    ));
    // The same handoff with one base64 character of its payload changed is damaged, a
    // variant of its own (issue 22): the app asks for it again instead of a new export.
    let mut lines: Vec<String> = armored.lines().map(str::to_owned).collect();
    let at = lines.len() - 3;
    let line = &mut lines[at];
    let old = line.remove(10);
    line.insert(10, if old == 'A' { 'B' } else { 'A' });
    let damaged = lines.join("\n") + "\n";
    assert!(matches!(
        b.import_draft(damaged, None),
        Err(ElternKitError::HandoffDamaged)
    ));
    // Another sender than the expected one: refused, with the code first.
    match b.import_draft(armored, Some(c.device_recipient())) {
        Err(ElternKitError::HandoffRefused { reason }) => {
            assert!(reason.starts_with("unexpected_sender: "), "{reason}");
        }
        other => panic!("expected HandoffRefused, got {other:?}"),
    }
}

#[test]
fn a_secret_of_the_wrong_length_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let open = |secrets: Arc<MemorySecrets>| {
        App::new(
            AppConfig {
                database_path: dir.path().join("d.sqlite").to_string_lossy().into_owned(),
                language: Language::En,
                directory: DirectoryConfig::Development,
            },
            secrets,
            Arc::new(FixedClock("2026-12-01")),
        )
    };
    let broken = Arc::new(MemorySecrets {
        wrong_length: Some(31),
        ..MemorySecrets::default()
    });
    match open(broken) {
        // The store reports a key it cannot save or read as unavailable, with the reason.
        Err(ElternKitError::KeyUnavailable { reason }) => assert!(reason.contains("31 bytes")),
        other => panic!("expected KeyUnavailable, got {other:?}"),
    }
}

#[test]
fn a_bad_clock_or_directory_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let open = |today: &'static str, directory: DirectoryConfig| {
        App::new(
            AppConfig {
                database_path: dir.path().join("d.sqlite").to_string_lossy().into_owned(),
                language: Language::En,
                directory,
            },
            Arc::new(MemorySecrets::default()),
            Arc::new(FixedClock(today)),
        )
    };
    assert!(matches!(
        open("10.03.2026", DirectoryConfig::Development),
        Err(ElternKitError::InvalidArgument { .. })
    ));
    let forged = DirectoryConfig::Signed {
        document_json: "{}".into(),
        signature: "nonsense".into(),
    };
    assert!(matches!(
        open("2026-12-01", forged),
        Err(ElternKitError::DirectoryInvalid { .. })
    ));
}

struct Counting(AtomicU64, Option<Arc<CancelToken>>);

impl ProgressListener for Counting {
    fn on_progress(&self, done: u64, total: u64) {
        assert!(done <= total);
        self.0.store(done, Ordering::SeqCst);
        if let Some(token) = &self.1
            && done == 2
        {
            token.cancel();
        }
    }
}

#[test]
fn calculate_many_reports_progress_and_stops_when_cancelled() {
    let (_dir, app) = demo_app(Language::De);
    let cases = vec![
        DEMO.to_owned(),
        "{".to_owned(),
        DEMO.to_owned(),
        DEMO.to_owned(),
    ];
    let seen = Arc::new(Counting(AtomicU64::new(0), None));
    let results = app
        .calculate_many(
            cases.clone(),
            Arc::new(CancelToken::new()),
            Some(seen.clone()),
        )
        .unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(seen.0.load(Ordering::SeqCst), 4);
    assert!(results[0].problems.is_empty() && !results[1].problems.is_empty());
    assert_eq!(
        results[3].elterngeld.as_ref().unwrap().parents[0].total,
        "14530.11"
    );

    let token = Arc::new(CancelToken::new());
    let cancelling = Arc::new(Counting(AtomicU64::new(0), Some(token.clone())));
    assert!(matches!(
        app.calculate_many(cases, token.clone(), Some(cancelling.clone())),
        Err(ElternKitError::Cancelled)
    ));
    assert_eq!(cancelling.0.load(Ordering::SeqCst), 2);
    assert!(token.is_cancelled());
}

struct Panicking;

impl ProgressListener for Panicking {
    fn on_progress(&self, _: u64, _: u64) {
        panic!("a listener bug");
    }
}

#[test]
fn a_panic_becomes_an_internal_error_and_the_app_goes_on() {
    let (_dir, app) = demo_app(Language::De);
    match app.calculate_many(
        vec![DEMO.into()],
        Arc::new(CancelToken::new()),
        Some(Arc::new(Panicking)),
    ) {
        Err(ElternKitError::Internal { reason }) => assert!(reason.contains("bug")),
        other => panic!("expected Internal, got {other:?}"),
    }
    assert!(app.create_draft(input("after", DEMO)).is_ok());
}

#[test]
fn the_integrity_check_runs_on_the_app_s_runtime() {
    let (_dir, app) = demo_app(Language::De);
    app.create_draft(input("Mia", DEMO)).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(app.clone().check_integrity()).unwrap();
    // A second call reuses the runtime built by the first.
    rt.block_on(app.check_integrity()).unwrap();
}

#[test]
fn wipe_all_removes_every_draft_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let open = || {
        App::new(
            AppConfig {
                database_path: dir.path().join("d.sqlite").to_string_lossy().into_owned(),
                language: Language::De,
                directory: DirectoryConfig::Development,
            },
            secrets.clone(),
            Arc::new(FixedClock("2026-12-01")),
        )
        .unwrap()
    };
    let app = open();
    let recipient = app.device_recipient();
    app.create_draft(input("Mia", DEMO)).unwrap();
    app.wipe_all().unwrap();
    drop(app);
    assert!(secrets.secrets.lock().unwrap().is_empty());
    let fresh = open();
    assert!(fresh.list_drafts().unwrap().is_empty());
    assert_ne!(fresh.device_recipient(), recipient);
}

fn demo_planner(locale: Language) -> (tempfile::TempDir, Arc<Planner>) {
    let (dir, app) = demo_app(locale);
    let planner = app.planner(DEMO.into(), None).unwrap();
    (dir, planner)
}

fn parent<'a>(state: &'a PlanState, id: &str) -> &'a ParentPlan {
    state.parents.iter().find(|p| p.id == id).unwrap()
}

#[test]
fn the_planner_starts_from_the_case_s_plan_with_the_calculation_s_amounts() {
    let (_dir, app) = demo_app(Language::De);
    let planner = app.planner(DEMO.into(), None).unwrap();
    let state = planner.state().unwrap();
    assert!(state.valid && state.issues.is_empty());
    let calc = app.calculate(DEMO.into()).unwrap().elterngeld.unwrap();
    for (plan, calc) in state.parents.iter().zip(&calc.parents) {
        assert_eq!((&plan.id, &plan.total), (&calc.id, &calc.total));
    }
    let p1 = parent(&state, "p1");
    assert_eq!(p1.months.len() as u32, planner.last_lebensmonat());
    assert_eq!(
        (p1.months[1].kind, p1.months[1].amount.as_str()),
        (PlanMonthKind::Basis, "105.92")
    );
    assert_eq!(p1.months[20].kind, PlanMonthKind::NoElterngeld);
}

#[test]
fn an_edit_changes_the_amounts_and_a_broken_rule_comes_with_citation_and_fix() {
    let (_dir, planner) = demo_planner(Language::En);
    let before = planner.state().unwrap();
    // p2 takes Plus in Lebensmonat 13 and 14: their amounts appear, the total grows.
    let after = planner
        .set_range("p2".into(), 13, 14, PlanMonthKind::Plus)
        .unwrap();
    assert_eq!(after, planner.state().unwrap());
    let p2 = parent(&after, "p2");
    assert_eq!(p2.months[12].kind, PlanMonthKind::Plus);
    assert_ne!(p2.months[12].amount, "0.00");
    assert_ne!(p2.total, parent(&before, "p2").total);
    assert_eq!(parent(&after, "p1"), parent(&before, "p1"));

    // Basis for p2 in Lebensmonat 1 to 8 as well: more Basis months than § 4 allows.
    let broken = planner
        .set_range("p2".into(), 1, 8, PlanMonthKind::Basis)
        .unwrap();
    assert!(!broken.valid && !broken.issues.is_empty());
    for issue in &broken.issues {
        assert!(issue.problem.citation.contains("§ 4"), "{issue:?}");
        assert!(!issue.problem.text.is_empty() && !issue.problem.code.is_empty());
    }
    let fixable = broken.issues.iter().find(|i| !i.fix.is_empty()).unwrap();
    let mended = planner.apply(fixable.fix.clone()).unwrap();
    assert!(
        !mended
            .issues
            .iter()
            .any(|i| i.problem.code == fixable.problem.code),
        "{mended:?}"
    );
}

#[test]
fn a_refused_edit_is_a_typed_error_and_changes_nothing() {
    let (_dir, planner) = demo_planner(Language::En);
    let before = planner.state().unwrap();
    match planner.set("p9".into(), 3, PlanMonthKind::Basis) {
        Err(ElternKitError::InvalidArgument { argument, .. }) => assert_eq!(argument, "parent_id"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    match planner.set("p1".into(), 40, PlanMonthKind::Plus) {
        Err(ElternKitError::InvalidArgument { argument, reason }) => {
            assert_eq!(argument, "lebensmonat");
            assert!(reason.contains("40"), "{reason}");
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    // All or nothing: the first edit is valid, the second is not, neither is kept.
    let edits = vec![
        PlanEdit {
            parent_id: "p2".into(),
            first: 13,
            last: 13,
            kind: PlanMonthKind::Plus,
        },
        PlanEdit {
            parent_id: "p1".into(),
            first: 0,
            last: 1,
            kind: PlanMonthKind::Basis,
        },
    ];
    assert!(matches!(
        planner.apply(edits),
        Err(ElternKitError::InvalidArgument { .. })
    ));
    assert_eq!(planner.state().unwrap(), before);
}

#[test]
fn a_bad_plan_request_names_the_field_and_an_impossible_one_has_no_legal_plan() {
    let (_dir, app) = demo_app(Language::En);
    match app.planner(
        DEMO.into(),
        Some(r#"{"schema": "elternkit.plan-request/9"}"#.into()),
    ) {
        Err(ElternKitError::InvalidArgument { argument, .. }) => {
            assert_eq!(argument, "request_json.schema");
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    let impossible = r#"{"schema": "elternkit.plan-request/1",
        "constraints": {"min_household_income": {"monthly": "99999.00", "through": 2}}}"#;
    let planner = app.planner(DEMO.into(), Some(impossible.into())).unwrap();
    assert!(matches!(
        planner.optimize(Arc::new(CancelToken::new()), None),
        Err(ElternKitError::NoLegalPlan)
    ));
}

/// Records every progress call; cancels `token` at the `cancel_at`-th.
#[derive(Default)]
struct Steps {
    seen: Mutex<Vec<(u64, u64)>>,
    cancel: Option<(Arc<CancelToken>, usize)>,
}

impl ProgressListener for Steps {
    fn on_progress(&self, done: u64, total: u64) {
        let mut seen = self.seen.lock().unwrap();
        seen.push((done, total));
        if let Some((token, at)) = &self.cancel
            && seen.len() >= *at
        {
            token.cancel();
        }
    }
}

#[test]
fn optimize_finds_a_valid_plan_at_least_as_good_and_reports_progress() {
    let (_dir, planner) = demo_planner(Language::De);
    let current = planner.state().unwrap();
    let steps = Arc::new(Steps::default());
    let found = planner
        .optimize(Arc::new(CancelToken::new()), Some(steps.clone()))
        .unwrap();
    let best = &found.best;
    assert!(best.state.valid && best.difference.is_empty());
    let euros = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    assert!(euros(&best.state.total) >= euros(&current.total));
    assert_eq!(found.alternatives.len(), 3);
    for a in &found.alternatives {
        assert!(a.state.valid && !a.difference.is_empty());
        assert!(euros(&a.state.total) <= euros(&best.state.total));
    }
    assert!(found.stats.nodes > 0 && found.stats.checked > 0);
    // The plan being edited is not changed by the search.
    assert_eq!(planner.state().unwrap(), current);

    let seen = steps.seen.lock().unwrap();
    assert!(seen.len() >= 2, "{seen:?}");
    let total = seen[0].1;
    assert!(seen.iter().all(|&(_, t)| t == total));
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(seen.last(), Some(&(total, total)));

    // The best plan taken over parent by parent is the best plan.
    for p in &best.state.parents {
        let kinds = p.months.iter().map(|m| m.kind).collect();
        planner.set_plan(p.id.clone(), kinds).unwrap();
    }
    assert_eq!(planner.state().unwrap(), best.state);
}

#[test]
fn a_cancelled_search_stops_with_cancelled() {
    // Ten alternatives: a search long enough that the second progress report comes before its
    // end (the best plan alone takes a few dozen partial plans, less than one report apart).
    let (_dir, app) = demo_app(Language::De);
    let request = r#"{"schema": "elternkit.plan-request/1", "alternatives": 10}"#;
    let planner = app.planner(DEMO.into(), Some(request.into())).unwrap();
    let token = Arc::new(CancelToken::new());
    let steps = Arc::new(Steps {
        cancel: Some((token.clone(), 2)),
        ..Steps::default()
    });
    assert!(matches!(
        planner.optimize(token, Some(steps.clone())),
        Err(ElternKitError::Cancelled)
    ));
    // Cancelled at the second report: no report after it, and none says "finished".
    let seen = steps.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].0 < seen[1].1);

    let token = Arc::new(CancelToken::new());
    token.cancel();
    assert!(matches!(
        planner.optimize(token, None),
        Err(ElternKitError::Cancelled)
    ));
}

#[test]
fn a_panic_in_the_search_is_internal_and_the_planner_goes_on() {
    let (_dir, planner) = demo_planner(Language::De);
    let before = planner.state().unwrap();
    match planner.optimize(Arc::new(CancelToken::new()), Some(Arc::new(Panicking))) {
        Err(ElternKitError::Internal { reason }) => assert_eq!(reason, crate::guard::PANIC_REASON),
        other => panic!("expected Internal, got {other:?}"),
    }
    assert_eq!(planner.state().unwrap(), before);
    assert!(planner.set("p2".into(), 13, PlanMonthKind::Plus).is_ok());
}

/// Set in the child process of the test below.
const PANIC_CHILD: &str = "ELTERNKIT_FFI_PANIC_CHILD";
/// A stand-in for personal data in a panic's message.
const MARKER: &str = "Erika-Mustermann-1984";

struct LeakingListener;

impl ProgressListener for LeakingListener {
    fn on_progress(&self, _: u64, _: u64) {
        panic!("listener failed for {MARKER}");
    }
}

/// The child's half: a guarded call panics with the marker in its message.
#[test]
fn panic_hook_child() {
    if std::env::var_os(PANIC_CHILD).is_none() {
        return;
    }
    let (_dir, app) = demo_app(Language::De);
    let result = app.calculate_many(
        vec![DEMO.into()],
        Arc::new(CancelToken::new()),
        Some(Arc::new(LeakingListener)),
    );
    assert!(matches!(result, Err(ElternKitError::Internal { .. })));
}

/// The hook writes where a guarded panic happened, never its message: run in a child
/// process of this test binary, whose real stderr is read here.
#[test]
fn the_panic_hook_logs_the_place_but_not_the_message() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "tests::panic_hook_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PANIC_CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(
        stderr.contains("elternkit: panic at bindings/src/tests/mod.rs:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(MARKER) && !stdout.contains(MARKER),
        "{stderr}"
    );
}

mod submission;

/// A plain file given as a handoff is the user's wrong pick: `HandoffRefused`, not `Internal`.
#[test]
fn not_a_handoff_is_refused_not_internal() {
    let e = ElternKitError::from(elternkit_store::crypto::CryptoError::NotAHandoff);
    assert!(
        matches!(&e, ElternKitError::HandoffRefused { reason } if reason.contains("not a draft handoff")),
        "{e:?}"
    );
}
