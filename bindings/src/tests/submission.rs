//! Submission through the FFI against a real FSP/1 relay and the offices' inboxes on
//! loopback (`elternkit_agency::sandbox`, a dev-dependency only), as `elternkit demo` runs
//! them: the app's async methods are awaited on a caller's runtime, as the Kotlin coroutine
//! or Swift task would.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use elternkit_agency::inbox::Outcome;
use elternkit_agency::sandbox::Sandbox;
use jiff::{SignedDuration, Timestamp};

use super::{DEMO, MemorySecrets};
use crate::*;

/// The platform clock on the machine's today (the sandbox directory is valid from today).
struct Today(String);

impl PlatformClock for Today {
    fn today(&self) -> String {
        self.0.clone()
    }
}

/// The demo family's case with the document the demo uploads (p2's employer confirmation of
/// Elternzeit), so that all three applications are ready, as in `elternkit demo`.
fn ready_case() -> String {
    case_with_confirmation("d-ez-p2")
}

/// The demo case whose p2 Elternzeit confirmation is the document `id`.
fn case_with_confirmation(id: &str) -> String {
    let mut case: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    case["application"]["documents"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": id, "kind": "elternzeit_bestaetigung", "parent": "p2"}));
    case.to_string()
}

struct World {
    _dir: tempfile::TempDir,
    app: Arc<App>,
    /// Minutes the app's clock runs ahead of the system's.
    ahead: Arc<AtomicI64>,
    rt: tokio::runtime::Runtime,
}

fn world(directory: DirectoryConfig) -> World {
    let dir = tempfile::tempdir().unwrap();
    let today = jiff::Zoned::now().date().to_string();
    let mut app = App::new(
        AppConfig {
            database_path: dir
                .path()
                .join("drafts.sqlite")
                .to_string_lossy()
                .into_owned(),
            language: Language::En,
            directory,
        },
        Arc::new(MemorySecrets::default()),
        Arc::new(Today(today)),
    )
    .unwrap();
    let ahead = Arc::new(AtomicI64::new(0));
    let offset = Arc::clone(&ahead);
    assert!(app.set_now_for_tests(move || {
        Timestamp::now()
            .checked_add(SignedDuration::from_mins(offset.load(Ordering::SeqCst)))
            .unwrap()
    }));
    // The caller's runtime (the coroutine's, the task's); the App runs the work on its own.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    World {
        _dir: dir,
        app,
        ahead,
        rt,
    }
}

fn sandbox_world() -> (Sandbox, World) {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).unwrap();
    let w = world(DirectoryConfig::DevelopmentSigned {
        document_json: sandbox.directory_json().to_owned(),
        signature: sandbox.directory_signature().to_owned(),
    });
    (sandbox, w)
}

fn ready_draft(app: &App) -> String {
    app.create_draft(DraftInput {
        status: DraftStatus::Ready,
        summary: DraftSummary {
            title: "Familie Demo".into(),
            benefit_kinds: vec![],
            child_names: vec![],
        },
        case_json: ready_case(),
    })
    .unwrap()
    .id
}

#[test]
fn a_draft_is_submitted_filed_and_accepted_through_a_loopback_relay() {
    let (sandbox, w) = sandbox_world();
    let draft = ready_draft(&w.app);

    let queued = w.rt.block_on(w.app.clone().submit(draft.clone())).unwrap();
    assert_eq!(queued.len(), 3, "Elterngeld, Kindergeld, Geburtsanzeige");
    let mut ids: Vec<&str> = queued.iter().map(|q| q.submission_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(queued.iter().all(|q| !q.office_name.is_empty()));

    // Queued before any request: every one waits for its announce.
    let before = w.rt.block_on(w.app.clone().submission_statuses()).unwrap();
    assert_eq!(before.len(), 3);
    for s in &before {
        assert_eq!(s.draft_id, draft);
        assert_eq!(
            s.state,
            SubmissionState::Sending {
                step: "announce".into()
            }
        );
        assert!(s.events.is_empty());
    }

    // A second submit of the same draft queues nothing.
    let again = w.rt.block_on(w.app.clone().submit(draft.clone()));
    match again {
        Err(ElternKitError::AlreadySubmitted { submission_ids, .. }) => {
            assert_eq!(submission_ids.len(), 3)
        }
        other => panic!("expected AlreadySubmitted, got {other:?}"),
    }

    // The background run: every application is filed, the relay's receipt verified.
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    assert!(!run.cancelled);
    assert!(run.requests >= 9, "announce, upload(s), submit each");
    assert_eq!(run.submissions.len(), 3);
    for s in &run.submissions {
        let SubmissionState::Filed { received_at } = &s.state else {
            panic!("{} not filed: {:?}", s.submission_id, s.state);
        };
        let filed: Timestamp = received_at.parse().unwrap();
        assert!((Timestamp::now() - filed).get_seconds().abs() < 300);
        assert!(s.events.iter().any(|e| e.kind == "submitted"));
    }

    // The offices open, verify, re-compute and accept.
    let destinations: std::collections::BTreeSet<&str> =
        queued.iter().map(|q| q.destination_id.as_str()).collect();
    let answered = sandbox
        .offices_of(destinations)
        .unwrap()
        .poll(Timestamp::now())
        .unwrap();
    assert_eq!(answered.len(), 3);
    for (_, _, outcome) in &answered {
        assert!(
            matches!(outcome, Outcome::Accepted { .. }),
            "the office did not accept: {outcome:?}"
        );
    }

    // The events are fetched once their poll is due (15 minutes later).
    let early = w.rt.block_on(w.app.clone().submission_statuses()).unwrap();
    assert!(
        early
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Filed { .. }))
    );
    w.ahead
        .store(elternkit_sender::EVENT_POLL_MINUTES + 1, Ordering::SeqCst);
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    for s in &run.submissions {
        let SubmissionState::Accepted {
            aktenzeichen: Some(az),
            ..
        } = &s.state
        else {
            panic!("{} not accepted: {:?}", s.submission_id, s.state);
        };
        let event = s.events.iter().find(|e| e.kind == "accepted").unwrap();
        assert_eq!(event.aktenzeichen.as_ref(), Some(az));
        assert!(s.events.windows(2).all(|p| p[1].seq == p[0].seq + 1));
    }
    // The store says the same without a request.
    let stored = w.rt.block_on(w.app.clone().submission_statuses()).unwrap();
    assert_eq!(stored, run.submissions);
}

#[test]
fn a_cancelled_token_stops_before_the_first_request() {
    let (_sandbox, w) = sandbox_world();
    let draft = ready_draft(&w.app);
    w.rt.block_on(w.app.clone().submit(draft)).unwrap();
    let cancel = Arc::new(CancelToken::new());
    cancel.cancel();
    let run = w.rt.block_on(w.app.clone().process_outbox(cancel)).unwrap();
    assert!(run.cancelled);
    assert_eq!(run.requests, 0);
    let statuses = w.rt.block_on(w.app.clone().submission_statuses()).unwrap();
    assert!(statuses.iter().all(|s| s.state
        == SubmissionState::Sending {
            step: "announce".into()
        }));
    // A later run goes on where the cancelled one stopped.
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    assert!(
        run.submissions
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Filed { .. }))
    );
}

#[test]
fn an_unreachable_relay_is_a_waiting_state_not_an_error() {
    // The shipped development directory names a relay under `.invalid`, which never
    // resolves.
    let w = world(DirectoryConfig::Development);
    let draft = ready_draft(&w.app);
    let queued = w.rt.block_on(w.app.clone().submit(draft)).unwrap();
    assert_eq!(queued.len(), 3);
    let before = Timestamp::now();
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    let after = Timestamp::now();
    assert_eq!(run.submissions.len(), 3);
    for s in &run.submissions {
        let SubmissionState::Waiting {
            step,
            until,
            last_error,
        } = &s.state
        else {
            panic!("expected Waiting, got {:?}", s.state);
        };
        assert_eq!(
            (step.as_str(), last_error.as_str()),
            ("announce", "network")
        );
        // Full jitter may draw a zero delay (and a due retry may run again in the same
        // turn), so the retry lies between the run's start and the backoff cap past its end.
        let until = until.parse::<Timestamp>().unwrap();
        let bound = SignedDuration::from_millis(
            i64::try_from(elternkit_submit::outbox::BACKOFF_CAP_MS).unwrap(),
        );
        assert!(until >= before && until <= after + bound, "{until}");
    }
}

#[test]
fn a_draft_that_is_not_ready_or_not_a_draft_is_a_typed_error() {
    let w = world(DirectoryConfig::Development);
    let not_ready = w
        .app
        .create_draft(DraftInput {
            status: DraftStatus::Draft,
            summary: DraftSummary {
                title: String::new(),
                benefit_kinds: vec![],
                child_names: vec![],
            },
            // Without p2's Elternzeit confirmation p2's Elterngeld cannot be sent.
            case_json: DEMO.into(),
        })
        .unwrap()
        .id;
    match w.rt.block_on(w.app.clone().submit(not_ready)) {
        Err(ElternKitError::NotReady { applications }) => assert!(!applications.is_empty()),
        other => panic!("expected NotReady, got {other:?}"),
    }
    assert!(
        w.rt.block_on(w.app.clone().submission_statuses())
            .unwrap()
            .is_empty(),
        "nothing was queued"
    );
    match w.rt.block_on(w.app.clone().submit("not-an-id".into())) {
        Err(ElternKitError::InvalidArgument { argument, .. }) => assert_eq!(argument, "draft_id"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    let missing = "0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00".to_owned();
    assert!(matches!(
        w.rt.block_on(w.app.clone().submit(missing)),
        Err(ElternKitError::NotFound { .. })
    ));
}

#[test]
fn a_stored_document_is_sent_with_the_applications_that_list_it() {
    let (sandbox, w) = sandbox_world();
    let input = |case_json: String| DraftInput {
        status: DraftStatus::Ready,
        summary: DraftSummary {
            title: "Familie Demo".into(),
            benefit_kinds: vec![],
            child_names: vec![],
        },
        case_json,
    };
    // The draft, then the file stored with it, then the case naming the file by its id.
    let draft = w.app.create_draft(input(DEMO.into())).unwrap();
    let file = b"%PDF-1.7 Bestaetigung der Elternzeit (p2)".to_vec();
    let doc = w
        .app
        .add_document(
            draft.id.clone(),
            "elternzeit-p2.pdf".into(),
            "application/pdf".into(),
            file.clone(),
        )
        .unwrap();
    assert_eq!(doc.size, file.len() as u64);
    assert_eq!(
        w.app.list_documents(draft.id.clone()).unwrap(),
        vec![doc.clone()]
    );
    let case = case_with_confirmation(&doc.id);
    let listing = w
        .app
        .bundle(case.clone())
        .unwrap()
        .applications
        .iter()
        .filter(|a| {
            a.documents
                .iter()
                .any(|d| d.kind == "elternzeit_bestaetigung" && d.status == "uploaded")
        })
        .count();
    assert!(listing >= 1, "some application needs the confirmation");
    w.app
        .save_draft(draft.id.clone(), draft.version, input(case))
        .unwrap();

    let queued =
        w.rt.block_on(w.app.clone().submit(draft.id.clone()))
            .unwrap();
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    assert!(
        run.submissions
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Filed { .. }))
    );

    // What the offices decrypt: the file, byte for byte, named by the case's document id,
    // with each application that lists it and with no other.
    let mut received = Vec::new();
    let destinations: std::collections::BTreeSet<String> =
        queued.iter().map(|q| q.destination_id.clone()).collect();
    for dest in &destinations {
        let mut inbox = sandbox.inbox(dest).unwrap();
        inbox
            .poll(Timestamp::now(), &mut |checked| {
                for (aid, bytes) in &checked.opened.attachments {
                    let meta = checked
                        .opened
                        .payload
                        .attachments
                        .iter()
                        .find(|m| m.attachment_id == *aid)
                        .unwrap();
                    received.push((
                        meta.document_id.clone(),
                        meta.filename.clone(),
                        meta.mime_type.clone(),
                        bytes.to_vec(),
                    ));
                }
                elternkit_agency::keys::aktenzeichen(dest, checked)
            })
            .unwrap();
    }
    assert_eq!(received.len(), listing);
    for (document_id, filename, mime, bytes) in &received {
        assert_eq!(document_id.as_deref(), Some(doc.id.as_str()));
        assert_eq!(
            (filename.as_str(), mime.as_str()),
            ("elternzeit-p2.pdf", "application/pdf")
        );
        assert_eq!(bytes, &file);
    }

    // Deleting it leaves the draft without documents.
    w.app.delete_document(doc.id.clone()).unwrap();
    assert!(w.app.list_documents(draft.id).unwrap().is_empty());
}

#[test]
fn refresh_statuses_fetches_the_offices_answers_before_the_poll_is_due() {
    let (sandbox, w) = sandbox_world();
    let draft = ready_draft(&w.app);
    w.rt.block_on(w.app.clone().submit(draft)).unwrap();
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    assert!(
        run.submissions
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Filed { .. }))
    );

    // Every office of the directory, as `elternkit-agency sandbox --offices-every` runs them.
    let mut offices = sandbox.offices().unwrap();
    let answered = offices.poll(Timestamp::now()).unwrap();
    assert_eq!(answered.len(), 3);
    // Each office keeps its cursor: the next pass has nothing new.
    assert!(offices.poll(Timestamp::now()).unwrap().is_empty());

    // The clock has not moved: the background run does not ask yet ...
    let run =
        w.rt.block_on(w.app.clone().process_outbox(Arc::new(CancelToken::new())))
            .unwrap();
    assert_eq!(run.requests, 0);
    assert!(
        run.submissions
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Filed { .. }))
    );
    // ... the user's refresh does, once per filed submission.
    let run =
        w.rt.block_on(w.app.clone().refresh_statuses(Arc::new(CancelToken::new())))
            .unwrap();
    assert_eq!(run.requests, 3);
    for s in &run.submissions {
        let SubmissionState::Accepted {
            aktenzeichen: Some(az),
            ..
        } = &s.state
        else {
            panic!("{} not accepted: {:?}", s.submission_id, s.state);
        };
        assert!(answered.iter().any(|(_, sid, outcome)| {
            sid.to_string() == s.submission_id
                && matches!(outcome, Outcome::Accepted { aktenzeichen } if aktenzeichen == az)
        }));
    }
    // A final answer is not asked for again.
    let again =
        w.rt.block_on(w.app.clone().refresh_statuses(Arc::new(CancelToken::new())))
            .unwrap();
    assert_eq!(again.requests, 0);
    assert_eq!(again.submissions, run.submissions);
}
