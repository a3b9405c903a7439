//! process_outbox() against a real relay on 127.0.0.1 (the agency's sandbox: throw-away
//! directory root, relay key and agency keys) with the agency's inbox answering: all three
//! applications of a family filed, accepted and verified; a crash at every point of the
//! protocol resumed to exactly one filing; cancellation between requests.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use elternkit_agency::inbox::Outcome;
use elternkit_agency::sandbox::Sandbox;
use elternkit_bundle::routing::Routing;
use elternkit_bundle::{DeriveContext, DirectoryRouter, derive};
use elternkit_sender::{
    CancelToken, Env, FilingStatus, Relay, Report, enqueue, http_connect, http_relay,
    process_outbox, refresh,
};
use elternkit_store::crypto::{MemorySecretStore, device_signing_key};
use elternkit_store::{DraftContent, DraftId, DraftStatus, DraftSummary, Store};
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::outbox::{Failure, PartRef, Transport};
use elternkit_submit::{SealInput, payload, seal};
use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::StdRng;
use uuid::Uuid;

const NOW: &str = "2027-03-01T10:00:00Z";

fn now() -> Timestamp {
    NOW.parse().expect("RFC 3339")
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ek-sender-{name}-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("app.db")
}

/// The family (all three applications ready), its draft saved encrypted, and each ready
/// application sealed with the device key from the secret store and enqueued.
fn family_in_outbox(
    sandbox: &Sandbox,
    store: &mut Store,
    secrets: &MemorySecretStore,
) -> Vec<(Uuid, String)> {
    let path = format!(
        "{}/../bundle/tests/fixtures/bayern_unmarried.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json = std::fs::read_to_string(&path).expect("fixture");
    let case = elternkit_model::parse_case(&json).expect("a valid case");
    let draft = store
        .create_draft(&DraftContent {
            status: DraftStatus::Ready,
            summary: DraftSummary::default(),
            case: serde_json::from_str(&json).expect("JSON"),
        })
        .expect("draft saved")
        .id;
    let bundle = derive(
        &case,
        &DeriveContext::default(),
        &DirectoryRouter(sandbox.directory()),
    );
    let result = elternkit_rules::calculate(&case);
    let device = device_signing_key(secrets).expect("device key");
    let mut out = Vec::new();
    for app in bundle.applications.iter().filter(|a| a.ready) {
        let Some(Routing::Resolved { office, .. }) = &app.routing else {
            panic!("{} not routed", app.id);
        };
        let dest = sandbox
            .directory()
            .destination(&office.destination_id)
            .expect("in the directory");
        let sid = Uuid::new_v4();
        let data = serde_json::to_value(payload::build(app, &case, &result).expect("builds"))
            .expect("JSON");
        let sealed = seal(
            &SealInput {
                submission_id: sid,
                bundle_id: Uuid::from_u128(7),
                destination: dest,
                on: sandbox.directory().checked_on(),
                schema: payload::schema_of(app.service).into(),
                region: Region {
                    ars: "091620000000".into(),
                },
                metadata: Metadata::unauthenticated(now(), "test"),
                data,
                attachments: vec![],
            },
            &device,
        )
        .expect("seals");
        assert_eq!(enqueue(store, &draft, &sealed).expect("enqueued"), sid);
        out.push((sid, office.destination_id.clone()));
    }
    assert_eq!(out.len(), 3);
    out
}

fn run(
    store: &mut Store,
    sandbox: &Sandbox,
    connect: &mut elternkit_sender::Connect<'_>,
    cancel: &CancelToken,
) -> Report {
    let mut rng = StdRng::seed_from_u64(3);
    let mut env = Env {
        now: &now,
        rng: &mut rng,
        cancel,
        connect,
    };
    process_outbox(store, sandbox.directory(), &mut env).expect("processes")
}

fn answer_all(sandbox: &Sandbox, sent: &[(Uuid, String)]) {
    for (_, dest) in sent {
        let mut inbox = sandbox.inbox(dest).expect("inbox");
        for (_, outcome) in inbox
            .poll(Timestamp::now(), &mut |_| "AZ-1".into())
            .expect("polls")
        {
            assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
        }
    }
}

#[test]
fn all_three_applications_are_filed_accepted_and_shown_with_the_relay_date() {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).expect("sandbox");
    let secrets = MemorySecretStore::new();
    let db = temp_db("happy");
    let mut store = Store::open(&db, &secrets).expect("store");
    let sent = family_in_outbox(&sandbox, &mut store, &secrets);
    let cancel = CancelToken::new();
    let mut connect = http_connect(device(&secrets));

    let report = run(&mut store, &sandbox, &mut connect, &cancel);
    assert_eq!(report.submissions.len(), 3);
    for f in &report.submissions {
        let FilingStatus::Filed { received_at } = &f.status else {
            panic!("not filed: {f:?}");
        };
        // The filing date is the relay's receipt time, not the device clock (NOW).
        assert_ne!(received_at, NOW);
        let at: Timestamp = received_at.parse().expect("RFC 3339");
        assert!((Timestamp::now() - at).get_seconds().abs() < 600);
    }
    answer_all(&sandbox, &sent);
    // The next background run fetches the accept events; they verify and are stored.
    let later = now() + jiff::SignedDuration::from_mins(elternkit_sender::EVENT_POLL_MINUTES + 1);
    let mut rng = StdRng::seed_from_u64(4);
    let mut env = Env {
        now: &move || later,
        rng: &mut rng,
        cancel: &cancel,
        connect: &mut connect,
    };
    let report = process_outbox(&mut store, sandbox.directory(), &mut env).expect("processes");
    for f in &report.submissions {
        assert!(
            matches!(&f.status, FilingStatus::Accepted { aktenzeichen: Some(a), .. } if a == "AZ-1"),
            "{f:?}"
        );
        assert_eq!(
            f.events.len(),
            4,
            "announced, submitted, retrieved, accepted"
        );
    }
    let items = store.outbox_items().expect("items");
    assert!(
        items
            .iter()
            .all(|i| i.state == elternkit_store::OutboxState::Sent && i.step == "submitted")
    );
    let draft: DraftId = items[0].draft_id.parse().expect("draft id");
    // The submitted receipt and the accept event of each, stored encrypted.
    assert_eq!(store.receipts(&draft).expect("receipts").len(), 6);
}

#[test]
fn refresh_fetches_the_events_of_filed_submissions_before_their_poll_is_due() {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).expect("sandbox");
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&temp_db("refresh"), &secrets).expect("store");
    let sent = family_in_outbox(&sandbox, &mut store, &secrets);
    let cancel = CancelToken::new();
    let mut connect = http_connect(device(&secrets));
    let report = run(&mut store, &sandbox, &mut connect, &cancel);
    assert!(
        report
            .submissions
            .iter()
            .all(|f| matches!(f.status, FilingStatus::Filed { .. }))
    );
    answer_all(&sandbox, &sent);

    // At the same time the background run has nothing due ...
    let report = run(&mut store, &sandbox, &mut connect, &cancel);
    assert_eq!(report.requests, 0);
    // ... a refresh asks for each filed submission's events once.
    let mut rng = StdRng::seed_from_u64(5);
    let mut env = Env {
        now: &now,
        rng: &mut rng,
        cancel: &cancel,
        connect: &mut connect,
    };
    let report = refresh(&mut store, sandbox.directory(), &mut env).expect("refreshes");
    assert_eq!(report.requests, 3);
    for f in &report.submissions {
        assert!(
            matches!(&f.status, FilingStatus::Accepted { aktenzeichen: Some(a), .. } if a == "AZ-1"),
            "{f:?}"
        );
    }
    // A final answer is not asked for again.
    let report = refresh(&mut store, sandbox.directory(), &mut env).expect("refreshes");
    assert_eq!(report.requests, 0);
}

/// A transport that dies (panics) at request number `at`, before or after the relay has
/// the request: a crash of the app at that point.
struct Crashing {
    inner: Box<dyn Relay>,
    count: std::rc::Rc<std::cell::Cell<usize>>,
    at: usize,
    after: bool,
}

impl Crashing {
    fn tick<T>(&mut self, f: impl FnOnce(&mut dyn Relay) -> T) -> T {
        let n = self.count.get();
        self.count.set(n + 1);
        if n == self.at && !self.after {
            panic!("crash before request {n}");
        }
        let out = f(self.inner.as_mut());
        if n == self.at {
            panic!("crash after request {n}, its reply lost");
        }
        out
    }
}

impl Transport for Crashing {
    fn announce(&mut self, sid: Uuid, manifest: &[u8]) -> Result<(), Failure> {
        self.tick(|r| r.announce(sid, manifest))
    }
    fn upload(&mut self, sid: Uuid, part: &PartRef, bytes: &[u8]) -> Result<(), Failure> {
        self.tick(|r| r.upload(sid, part, bytes))
    }
    fn submit(&mut self, sid: Uuid, signature: &str) -> Result<String, Failure> {
        self.tick(|r| r.submit(sid, signature))
    }
}

impl Relay for Crashing {
    fn events(&mut self, sid: Uuid, after: i64) -> Result<Vec<String>, Failure> {
        self.tick(|r| r.events(sid, after))
    }
}

#[test]
fn a_crash_at_every_point_resumes_to_exactly_one_filing_each() {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).expect("sandbox");
    // Requests of one clean run: per submission announce, payload, submit, events.
    let total = 3 * 4;
    for at in 0..total {
        for after in [false, true] {
            let secrets = MemorySecretStore::new();
            let db = temp_db("crash");
            let sent = {
                let mut store = Store::open(&db, &secrets).expect("store");
                let sent = family_in_outbox(&sandbox, &mut store, &secrets);
                let count = std::rc::Rc::new(std::cell::Cell::new(0));
                let mut connect = |endpoint: &str| -> Result<Box<dyn Relay>, String> {
                    Ok(Box::new(Crashing {
                        inner: http_relay(endpoint, &device(&secrets))?,
                        count: count.clone(),
                        at,
                        after,
                    }))
                };
                let crashed = catch_unwind(AssertUnwindSafe(|| {
                    run(&mut store, &sandbox, &mut connect, &CancelToken::new())
                }));
                assert!(crashed.is_err(), "request {at} was reached");
                sent
            };
            // The app starts again: a new store handle on the same file and key.
            let mut store = Store::open(&db, &secrets).expect("reopens after the crash");
            let report = run(
                &mut store,
                &sandbox,
                &mut http_connect(device(&secrets)),
                &CancelToken::new(),
            );
            for f in &report.submissions {
                assert!(
                    matches!(f.status, FilingStatus::Filed { .. }),
                    "crash at {at} ({after}): {f:?}"
                );
            }
            // At the agency: each submission exactly once, none lost.
            for (sid, dest) in &sent {
                let inbox = sandbox.inbox(dest).expect("inbox");
                let outcome = inbox
                    .handle(*sid, Timestamp::now(), &mut |_| "AZ".into())
                    .expect("handled");
                assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
            }
        }
    }
}

#[test]
fn cancelling_stops_between_requests_and_the_next_run_goes_on() {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).expect("sandbox");
    let secrets = MemorySecretStore::new();
    let db = temp_db("cancel");
    let mut store = Store::open(&db, &secrets).expect("store");
    family_in_outbox(&sandbox, &mut store, &secrets);
    let cancel = CancelToken::new();
    let count = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let token = cancel.clone();
    let mut connect = |endpoint: &str| -> Result<Box<dyn Relay>, String> {
        // Cancels after the second request, as an expiring background task would.
        struct Cancelling(
            Box<dyn Relay>,
            std::rc::Rc<std::cell::Cell<usize>>,
            CancelToken,
        );
        impl Cancelling {
            fn tick(&self) {
                self.1.set(self.1.get() + 1);
                if self.1.get() == 2 {
                    self.2.cancel();
                }
            }
        }
        impl Transport for Cancelling {
            fn announce(&mut self, sid: Uuid, m: &[u8]) -> Result<(), Failure> {
                self.tick();
                self.0.announce(sid, m)
            }
            fn upload(&mut self, sid: Uuid, p: &PartRef, b: &[u8]) -> Result<(), Failure> {
                self.tick();
                self.0.upload(sid, p, b)
            }
            fn submit(&mut self, sid: Uuid, s: &str) -> Result<String, Failure> {
                self.tick();
                self.0.submit(sid, s)
            }
        }
        impl Relay for Cancelling {
            fn events(&mut self, sid: Uuid, after: i64) -> Result<Vec<String>, Failure> {
                self.tick();
                self.0.events(sid, after)
            }
        }
        Ok(Box::new(Cancelling(
            http_relay(endpoint, &device(&secrets))?,
            count.clone(),
            token.clone(),
        )))
    };
    let report = run(&mut store, &sandbox, &mut connect, &cancel);
    assert!(report.cancelled);
    assert_eq!(report.requests, 2, "no request after the cancel");
    let steps: Vec<String> = store
        .outbox_items()
        .expect("items")
        .iter()
        .map(|i| i.step.clone())
        .collect();
    assert!(steps.contains(&"submit".to_owned()), "{steps:?}");
    let report = run(
        &mut store,
        &sandbox,
        &mut http_connect(device(&secrets)),
        &CancelToken::new(),
    );
    assert!(
        report
            .submissions
            .iter()
            .all(|f| matches!(f.status, FilingStatus::Filed { .. }))
    );
}

#[test]
fn a_refused_submission_goes_to_the_family_with_its_problem() {
    let sandbox = Sandbox::start(jiff::Zoned::now().date(), None).expect("sandbox");
    let secrets = MemorySecretStore::new();
    let db = temp_db("refused");
    let mut store = Store::open(&db, &secrets).expect("store");
    // Sealed and signed by the device, then one signature byte flipped before it is queued.
    let draft = store
        .create_draft(&DraftContent {
            status: DraftStatus::Ready,
            summary: DraftSummary::default(),
            case: serde_json::json!({}),
        })
        .expect("draft")
        .id;
    let mut other = Store::open(&temp_db("source"), &secrets).expect("source store");
    let sent = family_in_outbox(&sandbox, &mut other, &secrets);
    let mut sealed: elternkit_submit::Sealed = serde_json::from_slice(
        &other
            .outbox_request(&sent[0].0.to_string())
            .expect("request"),
    )
    .expect("sealed");
    sealed.signature[3] ^= 0x10;
    enqueue(&mut store, &draft, &sealed).expect("enqueued");

    let report = run(
        &mut store,
        &sandbox,
        &mut http_connect(device(&secrets)),
        &CancelToken::new(),
    );
    let [f] = report.submissions.as_slice() else {
        panic!("{report:?}");
    };
    assert!(
        matches!(&f.status, FilingStatus::NeedsUser { failure } if failure.contains("signature-invalid")),
        "{f:?}"
    );
    let item = &store.outbox_items().expect("items")[0];
    assert_eq!(item.state, elternkit_store::OutboxState::Failed);
    assert_eq!(item.step, "needs_user");
    assert_eq!(item.last_error, "http:422:signature-invalid");
    // Reported again on the next run, never sent again by itself.
    let again = run(
        &mut store,
        &sandbox,
        &mut http_connect(device(&secrets)),
        &CancelToken::new(),
    );
    assert_eq!(again.requests, 0);
    assert_eq!(again.submissions.len(), 1);
}

/// The device key the test's submissions are sealed with, as the transport's signer.
fn device(secrets: &MemorySecretStore) -> elternkit_transport::DeviceSigner {
    std::sync::Arc::new(
        elternkit_store::crypto::device_signing_key(secrets).expect("the device key"),
    )
}
