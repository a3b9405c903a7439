//! The same suites on PostgreSQL, and two relay processes sharing one database. Built with
//! `--features postgres-tests` and run by `scripts/with-postgres.sh` (the `cargo xtask
//! test-all` step "relay on PostgreSQL"), which starts a throw-away cluster and names it in
//! `ELTERNKIT_TEST_POSTGRES`; without it these tests fail, they never pass silently.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use elternkit_agency::{PgStore, Store};
use elternkit_submit::outbox::Transport as _;
use uuid::Uuid;

use crate::e2e::sealed_family_application;
use crate::support::{DEVICE, now, problem_of, send, sign, start_relay_on};
use crate::{e2e, faults, proxy, retention};

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

/// A relay process (`elternkit-agency serve`) on `database`; killed when dropped.
struct RelayProcess {
    child: Child,
    addr: SocketAddr,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("binds")
        .local_addr()
        .expect("bound")
        .port()
}

fn spawn_relay(database: &str, seed_file: &std::path::Path) -> RelayProcess {
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let child = Command::new(env!("CARGO_BIN_EXE_elternkit-agency"))
        .args([
            "serve",
            "--listen",
            &addr.to_string(),
            "--database",
            database,
        ])
        .args(["--dev-directory", "--receipt-key"])
        .arg(seed_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the relay binary starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the relay did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    RelayProcess { child, addr }
}

#[test]
fn a_thousand_submissions_through_faults_to_two_relay_processes_on_one_database() {
    let url = fresh_database();
    let dir = tempdir();
    let seed = dir.join("receipt.key");
    std::fs::write(&seed, "09".repeat(32)).expect("writes the receipt key");
    let one = spawn_relay(&url, &seed);
    let two = spawn_relay(&url, &seed);
    let proxy = proxy::start(vec![one.addr, two.addr], faults::FAULT_RATE, 1919);
    let directory = crate::support::directory_today();
    let run = faults::file_many(&proxy.base, &directory);
    let store = PgStore::connect(&url, 2).expect("connects");
    let destination = directory.destinations()[0].destination_id.clone();
    faults::check_exactly_once(&run, &store, &destination, &proxy.stats);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("elternkit-relay-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("creates a temp dir");
    dir
}
