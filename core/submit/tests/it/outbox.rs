//! The outbox against a simulated relay that follows FSP/1's idempotency rules and a
//! network that drops requests, loses replies and answers with errors. Time is simulated:
//! waiting jumps the clock, so every case runs in bounded time.

use std::collections::{BTreeSet, VecDeque};
use std::sync::OnceLock;

use elternkit_submit::outbox::{self, Failure, Next, Outbox, PartRef, Stage, Step, Transport};
use elternkit_submit::{Sealed, seal};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::envelope::{device, directory, metadata};

/// Sealed submissions with 0, 1 and 3 attachments, sealed once per test run.
fn sealed(attachments: usize) -> &'static Sealed {
    static SEALED: OnceLock<Vec<Sealed>> = OnceLock::new();
    let all = SEALED.get_or_init(|| {
        let dir = directory();
        let dest = dir.destination("eg-bw-lbank").expect("dev destination");
        let files: Vec<Vec<u8>> = (0..3).map(|i| vec![i as u8; 100 + i]).collect();
        [0usize, 1, 3]
            .iter()
            .map(|&n| {
                let input = elternkit_submit::SealInput {
                    submission_id: Uuid::from_u128(42 + n as u128),
                    bundle_id: Uuid::from_u128(7),
                    destination: dest,
                    on: dir.checked_on(),
                    schema: "urn:elternkit:elterngeld:1".into(),
                    region: elternkit_submit::envelope::Region { ars: "08".into() },
                    metadata: metadata(),
                    data: serde_json::json!({}),
                    attachments: files[..n]
                        .iter()
                        .enumerate()
                        .map(|(i, bytes)| elternkit_submit::AttachmentInput {
                            attachment_id: Uuid::from_u128(100 + i as u128),
                            filename: "f.pdf".into(),
                            mime_type: "application/pdf".into(),
                            purpose: elternkit_submit::Purpose::Evidence,
                            document_kind: None,
                            document_id: None,
                            bytes,
                        })
                        .collect(),
                };
                seal(&input, &device()).expect("seals")
            })
            .collect()
    });
    match attachments {
        0 => &all[0],
        1 => &all[1],
        _ => &all[2],
    }
}

/// What the network does to one request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// Nothing goes wrong.
    Pass,
    /// The request never reaches the relay.
    DropRequest,
    /// The relay acts, the reply is lost.
    LoseReply,
    /// The relay answers with this status (and `Retry-After` in ms) without acting.
    Status(u16, Option<u64>),
}

fn retryable_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::DropRequest),
        Just(Fault::LoseReply),
        (
            prop::sample::select(vec![408u16, 429, 500, 502, 503, 504]),
            prop::option::of(0u64..120_000)
        )
            .prop_map(|(s, r)| Fault::Status(s, r)),
    ]
}

fn any_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => retryable_fault(),
        1 => prop::sample::select(vec![400u16, 401, 403, 404, 409, 410, 413, 422])
            .prop_map(|s| Fault::Status(s, None)),
    ]
}

/// A relay that keeps FSP/1's rules (SUBMISSION.md § 6.3).
#[derive(Debug, Default)]
struct Relay {
    faults: VecDeque<Fault>,
    now: Option<Timestamp>,
    /// No request may arrive before this (the last `Retry-After`).
    not_before: Option<Timestamp>,
    requests: u32,
    submission_ids: BTreeSet<Uuid>,
    manifest: Option<Vec<u8>>,
    stored: BTreeSet<Option<Uuid>>,
    receipt: Option<String>,
    /// Submissions the relay accepted as new (a repeat returns the first receipt).
    filings: u32,
    incomplete_submits: u32,
}

impl Relay {
    fn enter(&mut self, sid: Uuid) -> Result<bool, Failure> {
        self.requests += 1;
        self.submission_ids.insert(sid);
        if let (Some(now), Some(nb)) = (self.now, self.not_before) {
            assert!(now >= nb, "request at {now} before Retry-After {nb}");
        }
        match self.faults.pop_front() {
            None | Some(Fault::Pass) => Ok(false),
            Some(Fault::DropRequest) => Err(network()),
            Some(Fault::LoseReply) => Ok(true),
            Some(Fault::Status(status, retry_after_ms)) => {
                if let (Some(now), Some(ms)) = (self.now, retry_after_ms) {
                    let ms = ms.min(outbox::RETRY_AFTER_CAP_MS) as i64;
                    self.not_before = Some(now + SignedDuration::from_millis(ms));
                }
                Err(Failure::Http {
                    status,
                    problem: None,
                    retry_after_ms,
                })
            }
        }
    }
}

fn network() -> Failure {
    Failure::Network {
        message: "connection reset".into(),
    }
}

fn http(status: u16, problem: &str) -> Failure {
    Failure::Http {
        status,
        problem: Some(format!("urn:fsp:problem:{problem}")),
        retry_after_ms: None,
    }
}

impl Transport for Relay {
    fn announce(&mut self, sid: Uuid, manifest: &[u8]) -> Result<(), Failure> {
        let lose = self.enter(sid)?;
        match &self.manifest {
            Some(m) if m != manifest => return Err(http(409, "announce-mismatch")),
            _ => self.manifest = Some(manifest.to_vec()),
        }
        if lose { Err(network()) } else { Ok(()) }
    }

    fn upload(&mut self, sid: Uuid, part: &PartRef, ciphertext: &[u8]) -> Result<(), Failure> {
        let lose = self.enter(sid)?;
        let Some(manifest) = &self.manifest else {
            return Err(http(404, "unknown-submission"));
        };
        let manifest: elternkit_submit::Manifest =
            serde_json::from_slice(manifest).expect("the relay parses manifests it stored");
        let expected = match part.attachment_id {
            None => Some(manifest.payload.sha256.clone()),
            Some(id) => manifest
                .attachments
                .iter()
                .find(|a| a.attachment_id == id)
                .map(|a| a.sha256.clone()),
        };
        let actual: String = Sha256::digest(ciphertext)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if expected != Some(actual) {
            return Err(http(409, "hash-mismatch"));
        }
        self.stored.insert(part.attachment_id);
        if lose { Err(network()) } else { Ok(()) }
    }

    fn submit(&mut self, sid: Uuid, _signature: &str) -> Result<String, Failure> {
        let lose = self.enter(sid)?;
        let Some(manifest) = &self.manifest else {
            return Err(http(404, "unknown-submission"));
        };
        let manifest: elternkit_submit::Manifest =
            serde_json::from_slice(manifest).expect("the relay parses manifests it stored");
        if self.receipt.is_none() {
            let all = std::iter::once(None)
                .chain(manifest.attachments.iter().map(|a| Some(a.attachment_id)))
                .all(|p| self.stored.contains(&p));
            if !all {
                self.incomplete_submits += 1;
                return Err(http(409, "incomplete"));
            }
            self.filings += 1;
            self.receipt = Some(format!("receipt-of-{sid}-{}", self.requests));
        }
        let receipt = self.receipt.clone().expect("set above");
        if lose { Err(network()) } else { Ok(receipt) }
    }
}

/// Drives the outbox until it is submitted or needs the user, crashing (a JSON round trip
/// of the stored state) where `crashes` says. Returns the outbox and the turns it took.
fn drive(
    mut ob: Outbox,
    sealed: &Sealed,
    relay: &mut Relay,
    clock: &mut Timestamp,
    rng: &mut StdRng,
    crashes: &[bool],
    max_turns: usize,
) -> (Outbox, usize) {
    for turn in 0..max_turns {
        if crashes.get(turn).copied().unwrap_or(false) {
            let stored = serde_json::to_string(&ob).expect("the outbox serialises");
            ob = serde_json::from_str(&stored).expect("and parses back");
        }
        relay.now = Some(*clock);
        let before = relay.requests;
        match outbox::step(&mut ob, sealed, relay, *clock, rng) {
            Next::Send(_) => {}
            Next::WaitUntil(at) => {
                assert!(at > *clock, "waits for the future");
                assert!(
                    at <= *clock + SignedDuration::from_millis(outbox::RETRY_AFTER_CAP_MS as i64),
                    "no wait is longer than the caps"
                );
                *clock = at;
            }
            Next::Submitted { .. } | Next::NeedsUser(_) => {
                // Final: a further turn sends nothing.
                let requests = relay.requests;
                let _ = outbox::step(&mut ob, sealed, relay, *clock, rng);
                assert_eq!(relay.requests, requests, "nothing is sent in a final state");
                return (ob, turn);
            }
        }
        assert!(relay.requests <= before + 1, "one request per turn");
    }
    panic!("the outbox did not finish in {max_turns} turns: {ob:?}");
}

fn start() -> Timestamp {
    "2027-03-01T10:00:00Z".parse().expect("RFC 3339")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// With only failures that retrying cures, every submission ends submitted, exactly
    /// once, under its one id, never with a submit before all parts were stored.
    #[test]
    fn retryable_failures_end_in_exactly_one_filing(
        attachments in prop::sample::select(vec![0usize, 1, 3]),
        faults in prop::collection::vec(retryable_fault(), 0..25),
        crashes in prop::collection::vec(any::<bool>(), 0..60),
        seed in any::<u64>(),
    ) {
        let sealed = sealed(attachments);
        let mut relay = Relay { faults: faults.iter().copied().collect(), ..Relay::default() };
        let mut clock = start();
        let mut rng = StdRng::seed_from_u64(seed);
        let max_turns = 2 * (faults.len() + attachments + 4);
        let (ob, _) = drive(Outbox::new(sealed), sealed, &mut relay, &mut clock, &mut rng,
            &crashes, max_turns);
        let relay_receipt = relay.receipt.clone().expect("the relay filed it");
        prop_assert_eq!(&ob.step, &Step::Submitted { receipt: relay_receipt });
        prop_assert_eq!(relay.filings, 1);
        prop_assert_eq!(relay.incomplete_submits, 0);
        prop_assert_eq!(relay.submission_ids.len(), 1);
        prop_assert!(relay.submission_ids.contains(&sealed.manifest.submission_id));
    }

    /// With any failures, the outbox terminates, files at most once, and a submission that
    /// needed the user is not lost: after "try again" on a healthy network it is filed,
    /// under the same id, still exactly once.
    #[test]
    fn any_failure_terminates_and_loses_nothing(
        attachments in prop::sample::select(vec![0usize, 1, 3]),
        faults in prop::collection::vec(any_fault(), 0..25),
        crashes in prop::collection::vec(any::<bool>(), 0..60),
        seed in any::<u64>(),
    ) {
        let sealed = sealed(attachments);
        let mut relay = Relay { faults: faults.iter().copied().collect(), ..Relay::default() };
        let mut clock = start();
        let mut rng = StdRng::seed_from_u64(seed);
        let max_turns = 2 * (faults.len() + attachments + 4);
        let mut ob = Outbox::new(sealed);
        let mut rounds = 0;
        loop {
            let (next, _) = drive(ob, sealed, &mut relay, &mut clock, &mut rng, &crashes,
                max_turns);
            ob = next;
            prop_assert!(relay.filings <= 1, "filed twice");
            match &ob.step {
                Step::Submitted { .. } => break,
                Step::NeedsUser { failure, stage } => {
                    prop_assert!(
                        matches!(failure, Failure::Http { status, .. }
                            if ![408, 429, 500, 502, 503, 504].contains(status)),
                        "only a non-retryable failure reaches the user: {:?}", failure
                    );
                    prop_assert!(
                        *stage != Stage::Submit || relay.filings == 0,
                        "a filed submission never waits for the user at submit"
                    );
                    rounds += 1;
                    prop_assert!(rounds <= faults.len(), "each user round consumes a fault");
                    ob.retry_now();
                }
                other => prop_assert!(false, "not final: {:?}", other),
            }
        }
        prop_assert_eq!(relay.filings, 1);
        prop_assert_eq!(relay.submission_ids.len(), 1);
        let receipt = relay.receipt.clone().expect("filed");
        prop_assert_eq!(ob.step, Step::Submitted { receipt });
    }
}

#[test]
fn a_lost_submit_reply_is_answered_by_the_same_receipt() {
    let sealed = sealed(1);
    // Three 503s (the announce is retried), announce, payload and attachment pass, the
    // submit's reply is lost: the retried submit gets the first receipt, filed once.
    let busy = Fault::Status(503, Some(2_000));
    let mut relay = Relay {
        faults: [
            busy,
            busy,
            busy,
            Fault::Pass,
            Fault::Pass,
            Fault::Pass,
            Fault::LoseReply,
        ]
        .into_iter()
        .collect(),
        ..Relay::default()
    };
    let mut clock = start();
    let mut rng = StdRng::seed_from_u64(1);
    let (ob, _) = drive(
        Outbox::new(sealed),
        sealed,
        &mut relay,
        &mut clock,
        &mut rng,
        &[],
        40,
    );
    assert_eq!(relay.filings, 1);
    assert_eq!(
        relay.requests, 8,
        "3 busy + 3 parts + lost submit + repeated submit"
    );
    let receipt = relay.receipt.clone().expect("filed");
    assert_eq!(ob.step, Step::Submitted { receipt });
    assert!(
        clock >= start() + SignedDuration::from_secs(6),
        "Retry-After was honoured"
    );
}

#[test]
fn a_second_401_goes_to_the_user_the_first_is_retried_at_once() {
    let sealed = sealed(0);
    let mut relay = Relay {
        faults: [Fault::Status(401, None)].into_iter().collect(),
        ..Relay::default()
    };
    let mut rng = StdRng::seed_from_u64(1);
    let mut ob = Outbox::new(sealed);
    let now = start();
    assert_eq!(
        outbox::step(&mut ob, sealed, &mut relay, now, &mut rng),
        Next::Send(outbox::Action::Announce),
        "retried at once, after the transport refreshed"
    );
    relay.faults.push_back(Fault::Status(403, None));
    let next = outbox::step(&mut ob, sealed, &mut relay, now, &mut rng);
    assert!(matches!(
        next,
        Next::NeedsUser(Failure::Http { status: 403, .. })
    ));
}

#[test]
fn a_replayed_answer_is_retried_with_backoff_however_often() {
    let replayed = Failure::Http {
        status: 401,
        problem: Some(outbox::REPLAYED.into()),
        retry_after_ms: None,
    };
    let refused = Failure::Http {
        status: 401,
        problem: Some("urn:fsp:problem:unauthenticated".into()),
        retry_after_ms: None,
    };
    assert_eq!(replayed.disposition(), outbox::Disposition::Retry);
    assert_eq!(refused.disposition(), outbox::Disposition::RefreshOnce);
    let sealed = sealed(2);
    let mut ob = Outbox::new(sealed);
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..3 {
        ob.record(
            outbox::Action::Announce,
            Err(replayed.clone()),
            start(),
            &mut rng,
        );
        assert!(
            matches!(ob.step, Step::Announce),
            "never the user's: {:?}",
            ob.step
        );
    }
    assert_eq!(ob.attempt, 3, "backed off like a network failure");
}

#[test]
fn a_reply_to_a_stale_action_changes_nothing() {
    let sealed = sealed(1);
    let mut ob = Outbox::new(sealed);
    let before = ob.clone();
    let mut rng = StdRng::seed_from_u64(1);
    ob.record(
        outbox::Action::Submit,
        Ok(outbox::Success::Submitted {
            receipt: "forged".into(),
        }),
        start(),
        &mut rng,
    );
    assert_eq!(ob, before, "a submit reply while announcing is ignored");
    ob.record(
        outbox::Action::Announce,
        Ok(outbox::Success::Uploaded),
        start(),
        &mut rng,
    );
    assert!(
        matches!(
            ob.step,
            Step::NeedsUser {
                failure: Failure::Protocol { .. },
                ..
            }
        ),
        "a success of the wrong kind is a protocol error: {:?}",
        ob.step
    );
}
