//! The surface as Rust sees it, with platform traits written in Rust. The same scenarios run
//! in Kotlin (bindings/kotlin) and Swift (bindings/swift) against the built library.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::*;

const DEMO: &str = include_str!("../../cli/src/demo_case.json");

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
        c.import_draft(armored, None),
        Err(ElternKitError::DecryptionFailed { .. })
    ));
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
