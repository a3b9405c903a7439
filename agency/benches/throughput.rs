//! Complete submissions per second through the relay on loopback, and each submission's
//! latency (announce + payload upload + submit, all signed, as the app sends them).
//!
//! `cargo bench -p elternkit-agency --bench throughput` measures SQLite (a file in WAL mode
//! with `synchronous=FULL`, as `serve` opens it); with `ELTERNKIT_TEST_POSTGRES` set (run it
//! through `scripts/with-postgres.sh`) PostgreSQL as well. The clients run on the same
//! machine as the relay, so the figures include their cost. Optional arguments:
//! `SUBMISSIONS CLIENTS` (default 3000 and 16).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use elternkit_agency::{PgStore, Relay, RelayKey, SqliteStore, Store};
use elternkit_directory::Directory;
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::outbox::{PartRef, Transport as _};
use elternkit_submit::{SealInput, Sealed, seal};
use elternkit_transport::HttpTransport;
use jiff::Timestamp;
use uuid::Uuid;

fn directory() -> Directory {
    Directory::development(jiff::Zoned::now().date()).expect("the dev directory verifies")
}

/// A tiny sealed submission (payload only) by a device key of its own.
fn tiny(dir: &Directory, n: usize) -> (Sealed, SigningKey) {
    let dest = &dir.destinations()[0];
    let key = SigningKey::from_bytes(&rand::random());
    let input = SealInput {
        submission_id: Uuid::new_v4(),
        bundle_id: Uuid::new_v4(),
        destination: dest,
        on: jiff::Zoned::now().date(),
        schema: dest.services[0].schemas[0].clone(),
        region: Region {
            ars: "110000000000".into(),
        },
        metadata: Metadata::unauthenticated(Timestamp::now(), "0.1.0"),
        data: serde_json::json!({ "n": n }),
        attachments: vec![],
    };
    (seal(&input, &key).expect("seals"), key)
}

fn serve(store: Arc<dyn Store>) -> String {
    let relay = Relay::new(
        store,
        directory(),
        RelayKey::new(SigningKey::from_bytes(&[9; 32]), "urn:bench:relay"),
    )
    .with_rate_limit(u32::MAX);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                elternkit_agency::serve(listener, relay)
                    .await
                    .expect("serves");
            });
    });
    format!("http://{addr}")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run(name: &str, store: Arc<dyn Store>, submissions: usize, clients: usize) {
    let dir = directory();
    let base = serve(store);
    let work: Vec<(Sealed, HttpTransport)> = (0..submissions)
        .map(|n| {
            let (sealed, key) = tiny(&dir, n);
            let t = HttpTransport::new(&base, Arc::new(key)).expect("loopback");
            (sealed, t)
        })
        .collect();
    let work = Mutex::new(work);
    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(submissions));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..clients {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let _ = next.fetch_add(1, Ordering::Relaxed);
                    let Some((sealed, mut t)) = work.lock().expect("not poisoned").pop() else {
                        break;
                    };
                    let sid = sealed.manifest.submission_id;
                    let part = PartRef {
                        attachment_id: None,
                        size: sealed.manifest.payload.size,
                        sha256: sealed.manifest.payload.sha256.clone(),
                    };
                    let t0 = Instant::now();
                    t.announce(sid, &sealed.manifest_bytes).expect("announced");
                    t.upload(sid, &part, &sealed.payload).expect("uploaded");
                    t.submit(sid, &sealed.signature_b64()).expect("submitted");
                    mine.push(t0.elapsed());
                }
                latencies.lock().expect("not poisoned").extend(mine);
            });
        }
    });
    let wall = started.elapsed();
    let mut l = latencies.into_inner().expect("not poisoned");
    l.sort_unstable();
    println!(
        "{name}: {submissions} submissions, {clients} clients: {:.0} submissions/s, \
         p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (wall {:.2} s)",
        submissions as f64 / wall.as_secs_f64(),
        percentile(&l, 0.50).as_secs_f64() * 1e3,
        percentile(&l, 0.99).as_secs_f64() * 1e3,
        l.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        wall.as_secs_f64(),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; the numbers after it are ours.
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let submissions = numbers.first().copied().unwrap_or(3000);
    let clients = numbers.get(1).copied().unwrap_or(16);
    let dir = std::env::temp_dir().join(format!("elternkit-bench-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sqlite = SqliteStore::open(&dir.join("relay.sqlite")).expect("opens");
    run(
        "SQLite (file, WAL, synchronous=FULL)",
        Arc::new(sqlite),
        submissions,
        clients,
    );
    if let Ok(url) = std::env::var("ELTERNKIT_TEST_POSTGRES") {
        let store = PgStore::connect(&url, 16).expect("connects");
        run(
            "PostgreSQL (16 connections)",
            Arc::new(store),
            submissions,
            clients,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
