//! Retention and expiry (PROTOCOL § 8/§ 9) on an injected clock: announced 24 h,
//! unretrieved 14 days, 7 days after retrieval, events (the row) 730 days; `DELETE` while
//! announced.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use elternkit_agency::store::State;
use elternkit_agency::{Relay, SqliteStore, Store, Swept};
use elternkit_submit::outbox::Transport as _;
use elternkit_transport::HttpTransport;
use jiff::Timestamp;
use uuid::Uuid;

use crate::e2e::{part_refs, problem, sealed_family_application};
use crate::support::{Agency, DEVICE, TOKEN, directory, now, receipt_key, serve};

/// A relay and an app sharing a clock the test moves.
struct Timed {
    agency: Agency,
    clock: Arc<AtomicI64>,
    relay: Relay,
}

impl Timed {
    fn start(destination: &str, store: Arc<dyn Store>) -> Self {
        let clock = Arc::new(AtomicI64::new(now().as_second()));
        let c = Arc::clone(&clock);
        let relay = Relay::new(store, directory(), receipt_key())
            .with_subscriber(TOKEN, destination)
            .with_clock(Arc::new(move || {
                Timestamp::from_second(c.load(Ordering::SeqCst)).expect("in range")
            }));
        Self {
            agency: serve(relay.clone()),
            clock,
            relay,
        }
    }

    fn advance(&self, seconds: i64) {
        self.clock.fetch_add(seconds, Ordering::SeqCst);
    }

    fn transport(&self) -> HttpTransport {
        let c = Arc::clone(&self.clock);
        HttpTransport::new(&self.agency.base, Arc::new(DEVICE.clone()))
            .expect("loopback")
            .with_clock(Arc::new(move || {
                Timestamp::from_second(c.load(Ordering::SeqCst)).expect("in range")
            }))
    }

    fn state(&self, sid: Uuid) -> Option<State> {
        self.agency.store.get(sid).expect("reads").map(|r| r.state)
    }

    fn get(&self, path: &str) -> u16 {
        reqwest::blocking::Client::new()
            .get(format!("{}{path}", self.agency.base))
            .bearer_auth(TOKEN)
            .send()
            .expect("answers")
            .status()
            .as_u16()
    }
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

fn gone() -> (u16, String) {
    (410, "urn:fsp:problem:expired".into())
}

pub fn an_announce_not_submitted_in_24_hours_expires_and_its_parts_are_deleted(
    store: Arc<dyn Store>,
) {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    assert_eq!(
        dest.retention.announced_hours, 24,
        "the dev directory's retention"
    );
    let t = Timed::start(&dest.destination_id, store);
    let mut app = t.transport();
    app.announce(sid, &sealed.manifest_bytes)
        .expect("announced");
    let parts = part_refs(&sealed);
    app.upload(sid, &parts[0], &sealed.payload)
        .expect("uploaded");

    t.advance(24 * HOUR);
    assert_eq!(
        t.relay.sweep().expect("sweeps"),
        Swept {
            nonces: 2,
            ..Swept::default()
        },
        "only the two requests' nonces: the deadline is not passed yet"
    );
    t.advance(1);
    // Past the deadline the relay refuses at once, before any sweep.
    assert_eq!(
        problem(
            app.upload(
                sid,
                &parts[1],
                sealed
                    .attachment(parts[1].attachment_id.expect("id"))
                    .expect("sealed")
            )
            .expect_err("refused")
        ),
        gone()
    );
    let swept = t.relay.sweep().expect("sweeps");
    assert_eq!(swept.expired, 1);
    assert_eq!(t.state(sid), Some(State::Expired));
    assert!(
        t.agency.store.parts(sid).expect("reads").is_empty(),
        "parts deleted"
    );
    assert_eq!(
        problem(
            app.announce(sid, &sealed.manifest_bytes)
                .expect_err("refused")
        ),
        gone()
    );
    assert_eq!(
        problem(
            app.submit(sid, &sealed.signature_b64())
                .expect_err("refused")
        ),
        gone()
    );
    // A second sweep (another instance) changes nothing.
    assert_eq!(t.relay.sweep().expect("sweeps").expired, 0);

    // The row is kept eventsDays, then forgotten.
    t.advance(i64::from(dest.retention.events_days) * DAY + 1);
    assert_eq!(t.relay.sweep().expect("sweeps").forgotten, 1);
    assert_eq!(t.state(sid), None);
}

pub fn delete_withdraws_an_announced_submission_and_not_a_submitted_one(store: Arc<dyn Store>) {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let t = Timed::start(&dest.destination_id, store);
    let mut app = t.transport();
    assert_eq!(
        problem(app.delete(sid).expect_err("refused")),
        (404, "urn:fsp:problem:unknown-submission".into())
    );
    app.announce(sid, &sealed.manifest_bytes)
        .expect("announced");
    let parts = part_refs(&sealed);
    app.upload(sid, &parts[0], &sealed.payload)
        .expect("uploaded");
    app.delete(sid).expect("withdrawn");
    app.delete(sid).expect("a repeat is 204");
    assert_eq!(t.state(sid), Some(State::Deleted));
    assert!(t.agency.store.parts(sid).expect("reads").is_empty());
    assert_eq!(
        problem(
            app.upload(sid, &parts[0], &sealed.payload)
                .expect_err("refused")
        ),
        gone()
    );
    assert_eq!(
        problem(
            app.announce(sid, &sealed.manifest_bytes)
                .expect_err("refused")
        ),
        gone()
    );

    // Submitted: too late to withdraw.
    let sid = Uuid::new_v4();
    let (sealed, _, _) = sealed_family_application(sid);
    file(&mut app, sid, &sealed);
    assert_eq!(
        problem(app.delete(sid).expect_err("refused")),
        (409, "urn:fsp:problem:already-submitted".into())
    );
    assert_eq!(t.state(sid), Some(State::Submitted));
}

fn file(app: &mut HttpTransport, sid: Uuid, sealed: &elternkit_submit::Sealed) -> String {
    app.announce(sid, &sealed.manifest_bytes)
        .expect("announced");
    for p in part_refs(sealed) {
        let bytes = match p.attachment_id {
            None => sealed.payload.as_slice(),
            Some(id) => sealed.attachment(id).expect("sealed"),
        };
        app.upload(sid, &p, bytes).expect("uploaded");
    }
    app.submit(sid, &sealed.signature_b64()).expect("submitted")
}

pub fn a_submission_never_retrieved_is_rejected_after_14_days(store: Arc<dyn Store>) {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    assert_eq!(dest.retention.unretrieved_days, 14);
    let t = Timed::start(&dest.destination_id, store);
    let mut app = t.transport();
    let receipt = file(&mut app, sid, &sealed);
    t.advance(14 * DAY);
    assert_eq!(t.relay.sweep().expect("sweeps").unretrieved, 0);
    t.advance(1);
    assert_eq!(t.relay.sweep().expect("sweeps").unretrieved, 1);
    assert_eq!(t.state(sid), Some(State::Unretrieved));
    assert_eq!(t.get(&format!("/submissions/{sid}/payload")), 404);
    assert_eq!(
        t.get(&format!(
            "/destinations/{}/submissions",
            dest.destination_id
        )),
        200
    );
    assert!(
        t.agency
            .store
            .list_submitted(&dest.destination_id, 0, 100)
            .expect("lists")
            .is_empty()
    );
    assert_eq!(
        problem(
            app.submit(sid, &sealed.signature_b64())
                .expect_err("refused")
        ),
        gone()
    );
    assert!(!receipt.is_empty());
}

pub fn ciphertexts_go_7_days_after_retrieval_and_the_row_after_the_event_period(
    store: Arc<dyn Store>,
) {
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    assert_eq!(dest.retention.after_retrieval_days, 7);
    let t = Timed::start(&dest.destination_id, store);
    let mut app = t.transport();
    file(&mut app, sid, &sealed);
    t.advance(10 * DAY);
    assert_eq!(t.get(&format!("/submissions/{sid}/payload")), 200);
    let retrieved = t
        .agency
        .store
        .get(sid)
        .expect("reads")
        .expect("row")
        .retrieved_at;
    assert_eq!(
        retrieved.map(|r| r.as_second()),
        Some(now().as_second() + 10 * DAY)
    );
    // A later fetch does not move the retention.
    t.advance(DAY);
    assert_eq!(t.get(&format!("/submissions/{sid}/payload")), 200);
    t.advance(6 * DAY);
    assert_eq!(
        t.relay.sweep().expect("sweeps"),
        Swept {
            nonces: 5,
            ..Swept::default()
        }
    );
    t.advance(1);
    let swept = t.relay.sweep().expect("sweeps");
    assert_eq!(
        (swept.purged, swept.unretrieved),
        (1, 0),
        "retrieved, so only purged"
    );
    assert_eq!(t.get(&format!("/submissions/{sid}/payload")), 410);
    assert_eq!(
        t.get(&format!("/submissions/{sid}")),
        200,
        "the manifest and receipt stay"
    );
    t.advance(i64::from(dest.retention.events_days) * DAY + 1);
    assert_eq!(t.relay.sweep().expect("sweeps").forgotten, 1);
    assert_eq!(t.get(&format!("/submissions/{sid}")), 404);
}

#[test]
fn an_announce_not_submitted_in_24_hours_expires_and_its_parts_are_deleted_sqlite() {
    an_announce_not_submitted_in_24_hours_expires_and_its_parts_are_deleted(Arc::new(
        SqliteStore::in_memory().expect("SQLite"),
    ));
}

#[test]
fn delete_withdraws_an_announced_submission_and_not_a_submitted_one_sqlite() {
    delete_withdraws_an_announced_submission_and_not_a_submitted_one(Arc::new(
        SqliteStore::in_memory().expect("SQLite"),
    ));
}

#[test]
fn a_submission_never_retrieved_is_rejected_after_14_days_sqlite() {
    a_submission_never_retrieved_is_rejected_after_14_days(Arc::new(
        SqliteStore::in_memory().expect("SQLite"),
    ));
}

#[test]
fn ciphertexts_go_7_days_after_retrieval_and_the_row_after_the_event_period_sqlite() {
    ciphertexts_go_7_days_after_retrieval_and_the_row_after_the_event_period(Arc::new(
        SqliteStore::in_memory().expect("SQLite"),
    ));
}
