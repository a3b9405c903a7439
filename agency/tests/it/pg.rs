//! The same suites on PostgreSQL, and two relay processes sharing one database. Built with
//! `--features postgres-tests` and run by `scripts/with-postgres.sh` (the `cargo xtask
//! test-all` step "relay on PostgreSQL"), which starts a throw-away cluster and names it in
//! `ELTERNKIT_TEST_POSTGRES`; without it these tests fail, they never pass silently.

use std::sync::Arc;

use elternkit_agency::{PgStore, Store};
use elternkit_submit::outbox::Transport as _;
use uuid::Uuid;

use crate::e2e::sealed_family_application;
use crate::support::{DEVICE, now, problem_of, send, sign, start_relay_on};
use crate::{e2e, retention};

/// A database of its own for one test on the cluster of `scripts/with-postgres.sh`.
pub fn fresh_database() -> String {
    let admin = std::env::var("ELTERNKIT_TEST_POSTGRES")
        .expect("ELTERNKIT_TEST_POSTGRES: run these tests through scripts/with-postgres.sh");
    let name = format!("t_{}", Uuid::new_v4().simple());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .expect("the test cluster answers");
        let driver = tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("creates a database");
        drop(client);
        let _ = driver.await;
    });
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

fn store() -> Arc<dyn Store> {
    Arc::new(PgStore::connect(&fresh_database(), 8).expect("connects"))
}

#[test]
fn happy_path_on_postgres() {
    e2e::happy_path(store());
}

#[test]
fn retention_on_postgres() {
    retention::an_announce_not_submitted_in_24_hours_expires_and_its_parts_are_deleted(store());
    retention::delete_withdraws_an_announced_submission_and_not_a_submitted_one(store());
    retention::a_submission_never_retrieved_is_rejected_after_14_days(store());
    retention::ciphertexts_go_7_days_after_retrieval_and_the_row_after_the_event_period(store());
}

#[test]
fn a_request_replayed_to_another_instance_is_refused() {
    let url = fresh_database();
    let sid = Uuid::new_v4();
    let (sealed, dest, _) = sealed_family_application(sid);
    let one = start_relay_on(
        &dest.destination_id,
        Arc::new(PgStore::connect(&url, 4).expect("connects")),
    );
    let two = start_relay_on(
        &dest.destination_id,
        Arc::new(PgStore::connect(&url, 4).expect("connects")),
    );
    // Both instances are reached under one name, as behind a load balancer: the signed
    // @target-uri is the same.
    let target = format!("{}/submissions/{sid}", one.base);
    let s = sign(
        &DEVICE,
        "PUT",
        &target,
        &sealed.manifest_bytes,
        now().as_second(),
    );
    let r = send(
        "PUT",
        &target,
        "application/json",
        sealed.manifest_bytes.clone(),
        Some(&s),
    );
    assert_eq!(r.status(), 201);
    let host = one.base.trim_start_matches("http://").to_owned();
    let r = reqwest::blocking::Client::new()
        .put(format!("{}/submissions/{sid}", two.base))
        .header("host", host)
        .header("content-type", "application/json")
        .header("content-digest", &s.content_digest)
        .header("signature-input", &s.signature_input)
        .header("signature", &s.signature)
        .body(sealed.manifest_bytes.clone())
        .send()
        .expect("answers");
    assert_eq!(problem_of(r), (401, "urn:fsp:problem:replayed".into()));
    // The second instance sees the first one's row.
    let mut app = crate::support::transport(&two.base);
    app.announce(sid, &sealed.manifest_bytes)
        .expect("an identical repeat through the other instance");
}
