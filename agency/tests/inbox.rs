//! The agency's inbox against a real relay on 127.0.0.1: all three applications of a
//! family filed by the app's outbox, each opened, verified and re-computed by the inbox of
//! its destination and answered with a signed `accepted`; a figure changed after the rules
//! computed it is `rejected` with `recomputation-differs`. The app verifies the chains.

mod common;

use common::*;
use ed25519_dalek::SigningKey;
use elternkit_agency::inbox::{Inbox, Outcome};
use elternkit_agency::intake::{self, Delivery};
use elternkit_directory::{Destination, dev};
use elternkit_submit::events::{EventKind, sha256_hex, verify_chain};
use elternkit_submit::{Opener, Sealed};
use rust_decimal::Decimal;
use uuid::Uuid;

fn inbox_for(base: &str, dest: &Destination) -> Inbox {
    let identity = dev::age_identity(&dest.destination_id);
    let opener = Opener::new(dest, &[&identity]).expect("the dev identity parses");
    let (kid, key) = agency_key(dest);
    Inbox::new(base, &token(dest), dest.clone(), opener, key, &kid).expect("an inbox")
}

#[test]
fn all_three_applications_are_accepted_and_the_app_verifies_each_chain() {
    let (case, apps) = family();
    assert_eq!(apps.len(), 3, "the family's three applications are ready");
    let dests: Vec<Destination> = apps.iter().map(destination_for).collect();
    let readers: Vec<&str> = dests.iter().map(|d| d.destination_id.as_str()).collect();
    let base = start_relay(&readers);

    let mut filed: Vec<(Sealed, Destination)> = Vec::new();
    for (app, dest) in apps.iter().zip(&dests) {
        let sealed = seal_application(&case, app, dest, Uuid::new_v4());
        file(&base, &sealed);
        filed.push((sealed, dest.clone()));
    }

    for (sealed, dest) in &filed {
        let mut inbox = inbox_for(&base, dest);
        let outcomes = inbox
            .poll(now(), &mut |c| format!("AZ-{}", c.application.application))
            .expect("the inbox runs");
        let sid = sealed.manifest.submission_id;
        let mine: Vec<_> = outcomes.iter().filter(|(s, _)| *s == sid).collect();
        assert_eq!(mine.len(), 1, "{}: {outcomes:?}", dest.destination_id);
        let Outcome::Accepted { aktenzeichen } = &mine[0].1 else {
            panic!("{} not accepted: {:?}", dest.destination_id, mine[0].1);
        };
        // Polling again finds nothing new; answering again changes nothing.
        assert!(
            inbox
                .poll(now(), &mut |_| "again".into())
                .expect("runs")
                .is_empty()
        );
        assert_eq!(
            inbox
                .handle(sid, now(), &mut |_| "again".into())
                .expect("runs"),
            Outcome::AlreadyFinal
        );

        // The app's view: the whole chain verifies against the directory's keys.
        let chain = events_of(&base, sid);
        let verified = verify_chain(
            sid,
            &sha256_hex(&sealed.manifest_bytes),
            &chain,
            &event_keys(dest),
        )
        .expect("the chain verifies");
        let kinds: Vec<EventKind> = verified.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Announced,
                EventKind::Submitted,
                EventKind::Retrieved,
                EventKind::Accepted
            ]
        );
        assert_eq!(verified[3].content()["aktenzeichen"], aktenzeichen.as_str());
        assert_eq!(verified[3].claims.iss, dest.destination_id);
    }
}

fn events_of(base: &str, sid: Uuid) -> Vec<String> {
    let bytes = common::device_get(&format!("{base}/submissions/{sid}/events"))
        .bytes()
        .expect("body");
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e.as_str().expect("JWS").to_owned())
        .collect()
}

/// `app` sealed with its `shown` figures changed after the rules computed them.
fn seal_with_changed_figure(dest: &Destination, sid: Uuid) -> Sealed {
    let (case, apps) = family();
    let app = apps
        .iter()
        .find(|a| a.benefit.is_some() && destination_for(a).destination_id == dest.destination_id)
        .expect("the application of this destination");
    let sealed = seal_application(&case, app, dest, sid);
    // Re-seal the same input with one figure raised by a cent.
    let identity = dev::age_identity(&dest.destination_id);
    let opened = Opener::new(dest, &[&identity])
        .expect("opener")
        .open(
            &sealed.manifest_bytes,
            &sealed.signature,
            &sealed.payload,
            &[(
                sealed.attachments[0].attachment_id,
                &sealed.attachments[0].ciphertext,
            )],
        )
        .expect("opens");
    let mut data = opened.payload.data.clone();
    let shown = &mut data["shown"];
    let section = if shown.get("elterngeld").is_some() {
        "elterngeld"
    } else {
        "kindergeld"
    };
    let total = if section == "elterngeld" {
        &mut shown["elterngeld"]["parents"][0]["total"]
    } else {
        &mut shown["kindergeld"]["children"][0]["monthly_amount"]
    };
    let raised: Decimal = total
        .to_string()
        .trim_matches('"')
        .parse::<Decimal>()
        .expect("a decimal")
        + Decimal::new(1, 2);
    *total = serde_json::to_value(raised).expect("JSON");
    let input = elternkit_submit::SealInput {
        submission_id: sid,
        bundle_id: opened.payload.bundle_id,
        destination: dest,
        on: jiff::civil::date(2027, 3, 1),
        schema: opened.payload.service.schema.clone(),
        region: opened.payload.region.clone(),
        metadata: opened.payload.metadata.clone(),
        data,
        attachments: vec![],
    };
    elternkit_submit::seal(&input, &SigningKey::from_bytes(&[7; 32])).expect("seals")
}

#[test]
fn a_figure_changed_after_the_rules_is_rejected_as_recomputation_differs() {
    let (_, apps) = family();
    let app = apps
        .iter()
        .find(|a| a.benefit.is_some())
        .expect("a benefit application");
    let dest = destination_for(app);
    let base = start_relay(&[&dest.destination_id]);
    let sid = Uuid::new_v4();
    let sealed = seal_with_changed_figure(&dest, sid);
    file(&base, &sealed);

    let mut inbox = inbox_for(&base, &dest);
    let outcomes = inbox.poll(now(), &mut |_| "never".into()).expect("runs");
    let [(got, Outcome::Rejected(rejection))] = outcomes.as_slice() else {
        panic!("not rejected: {outcomes:?}");
    };
    assert_eq!(*got, sid);
    assert_eq!(rejection.problem, "recomputation-differs");
    assert!(
        rejection.detail.contains("parents[0].total")
            || rejection.detail.contains("monthly_amount"),
        "{}",
        rejection.detail
    );

    let chain = events_of(&base, sid);
    let verified = verify_chain(
        sid,
        &sha256_hex(&sealed.manifest_bytes),
        &chain,
        &event_keys(&dest),
    )
    .expect("verifies");
    let last = verified.last().expect("events");
    assert_eq!(last.kind, EventKind::Rejected);
    assert_eq!(
        last.content()["problems"][0]["type"],
        "urn:fsp:problem:recomputation-differs"
    );
}

#[test]
fn open_and_verify_names_the_problem_of_each_forgery() {
    let (case, apps) = family();
    let app = apps
        .iter()
        .find(|a| a.benefit.is_some())
        .expect("a benefit application");
    let dest = destination_for(app);
    let sealed = seal_application(&case, app, &dest, Uuid::new_v4());
    let identity = dev::age_identity(&dest.destination_id);
    let opener = Opener::new(&dest, &[&identity]).expect("opener");
    let delivery = Delivery {
        manifest: sealed.manifest_bytes.clone(),
        signature: sealed.signature.clone(),
        payload: sealed.payload.clone(),
        attachments: sealed
            .attachments
            .iter()
            .map(|a| (a.attachment_id, a.ciphertext.clone()))
            .collect(),
    };
    let checked = intake::open_and_verify(&opener, &dest, &delivery).expect("the real one passes");
    assert_eq!(
        checked.schema,
        elternkit_submit::payload::schema_of(app.service)
    );

    let mut forged = delivery.clone();
    forged.signature[0] ^= 1;
    assert_eq!(
        intake::open_and_verify(&opener, &dest, &forged)
            .map(|_| ())
            .unwrap_err()
            .problem,
        "signature-invalid"
    );
    let mut swapped = delivery.clone();
    swapped.attachments[0].1 = sealed.payload.clone();
    assert_eq!(
        intake::open_and_verify(&opener, &dest, &swapped)
            .map(|_| ())
            .unwrap_err()
            .problem,
        "hash-mismatch"
    );
    // Another destination's identity cannot open it.
    let other = directory()
        .destinations()
        .iter()
        .find(|d| d.destination_id != dest.destination_id && d.services == dest.services)
        .expect("another destination of the same service")
        .clone();
    let other_identity = dev::age_identity(&other.destination_id);
    let wrong = Opener::new(&dest, &[&other_identity]).expect("opener");
    assert_eq!(
        intake::open_and_verify(&wrong, &dest, &delivery)
            .map(|_| ())
            .unwrap_err()
            .problem,
        "decryption-failed"
    );
    let elsewhere = Opener::new(&other, &[&other_identity]).expect("opener");
    assert_eq!(
        intake::open_and_verify(&elsewhere, &other, &delivery)
            .map(|_| ())
            .unwrap_err()
            .problem,
        "wrong-destination"
    );
}
