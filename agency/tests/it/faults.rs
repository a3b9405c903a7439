//! 1 000 submissions through the fault-injecting proxy (≥ 30 % of requests meet a fault):
//! each is filed exactly once, none is lost, the agency's list has no duplicate, and every
//! app holds the receipt the relay stored. The outbox runs on simulated time (a backoff is
//! skipped, not slept); the relay and the signatures use the real clock.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ed25519_dalek::SigningKey;
use elternkit_agency::Store;
use elternkit_directory::{Destination, Directory};
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::outbox::{self, Next, Outbox};
use elternkit_submit::{SealInput, Sealed, seal};
use elternkit_transport::HttpTransport;
use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::StdRng;
use uuid::Uuid;

use crate::proxy;

pub const SUBMISSIONS: usize = 1_000;
pub const FAULT_RATE: f64 = 0.35;
const WORKERS: usize = 8;

/// The first development destination and a tiny submission to it, sealed by its own device
/// key (each family has its own device).
pub fn tiny_submission(dir: &Directory, n: u64) -> (Sealed, SigningKey, Destination) {
    let dest = dir.destinations()[0].clone();
    let service = &dest.services[0];
    let key = SigningKey::from_bytes(&rand::random());
    let sid = Uuid::new_v4();
    let input = SealInput {
        submission_id: sid,
        bundle_id: Uuid::new_v4(),
        destination: &dest,
        on: Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date(),
        schema: service.schemas[0].clone(),
        region: Region {
            ars: "110000000000".into(),
        },
        metadata: Metadata::unauthenticated(Timestamp::now(), "0.1.0"),
        data: serde_json::json!({ "n": n }),
        attachments: vec![],
    };
    let sealed = seal(&input, &key).expect("seals");
    (sealed, key, dest)
}

/// What a run of many submissions gave.
#[derive(Debug)]
pub struct Run {
    pub receipts: Vec<(Uuid, String)>,
}

/// Files `SUBMISSIONS` tiny submissions through `base` from `WORKERS` threads.
pub fn file_many(base: &str, dir: &Directory) -> Run {
    let next = AtomicUsize::new(0);
    let receipts = std::sync::Mutex::new(Vec::with_capacity(SUBMISSIONS));
    std::thread::scope(|scope| {
        for worker in 0..WORKERS {
            let (next, receipts) = (&next, &receipts);
            scope.spawn(move || {
                let mut rng = StdRng::seed_from_u64(worker as u64);
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= SUBMISSIONS {
                        break;
                    }
                    let (sealed, key, _) = tiny_submission(dir, n as u64);
                    let mut transport =
                        HttpTransport::new(base, Arc::new(key)).expect("loopback http");
                    let mut outbox = Outbox::new(&sealed);
                    let mut now = Timestamp::now();
                    let receipt = loop {
                        match outbox::step(&mut outbox, &sealed, &mut transport, now, &mut rng) {
                            Next::Send(_) => {}
                            Next::WaitUntil(at) => now = at,
                            Next::Submitted { receipt } => break receipt.to_owned(),
                            Next::NeedsUser(failure) => {
                                // Every fault here is transient: nothing may reach the user.
                                panic!("submission {n} went to the user: {failure}");
                            }
                        }
                    };
                    receipts
                        .lock()
                        .expect("not poisoned")
                        .push((sealed.manifest.submission_id, receipt));
                }
            });
        }
    });
    Run {
        receipts: receipts.into_inner().expect("not poisoned"),
    }
}

/// The agency's view: every submitted id of `destination`, in list order.
pub fn listed(store: &dyn Store, destination: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut cursor = 0;
    loop {
        let page = store
            .list_submitted(destination, cursor, 100)
            .expect("lists");
        let Some(last) = page.last() else {
            return out;
        };
        cursor = last.cursor;
        out.extend(page.iter().map(|l| l.submission_id));
    }
}

/// Exactly once, none lost, no duplicate, and the app's receipt is the stored one.
pub fn check_exactly_once(run: &Run, store: &dyn Store, destination: &str, stats: &proxy::Stats) {
    let requests = stats.requests.load(Ordering::Relaxed);
    let faulted = stats.faulted.load(Ordering::Relaxed);
    eprintln!("faults: {}", stats.summary());
    assert!(
        faulted as f64 >= 0.30 * requests as f64,
        "only {faulted} of {requests} requests faulted"
    );
    assert_eq!(run.receipts.len(), SUBMISSIONS, "every submission finished");
    let mine: BTreeSet<Uuid> = run.receipts.iter().map(|(sid, _)| *sid).collect();
    assert_eq!(mine.len(), SUBMISSIONS);
    let at_agency = listed(store, destination);
    let unique: BTreeSet<Uuid> = at_agency.iter().copied().collect();
    assert_eq!(
        unique.len(),
        at_agency.len(),
        "a submission is listed twice"
    );
    assert_eq!(unique, mine, "the agency has exactly the app's submissions");
    for (sid, receipt) in &run.receipts {
        let row = store.get(*sid).expect("reads").expect("stored");
        assert_eq!(row.receipt.as_deref(), Some(receipt.as_str()), "{sid}");
    }
}

#[test]
fn a_thousand_submissions_through_faults_are_each_filed_exactly_once() {
    let dir = crate::support::directory_today();
    let destination = dir.destinations()[0].destination_id.clone();
    let agency = crate::support::start_relay_today();
    let addr = agency
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let proxy = proxy::start(vec![addr], FAULT_RATE, 19);
    let run = file_many(&proxy.base, &dir);
    check_exactly_once(&run, agency.store.as_ref(), &destination, &proxy.stats);
}
