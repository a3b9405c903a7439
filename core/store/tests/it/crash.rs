//! Crash safety: a child process autosaves in a loop and is killed with SIGKILL at random
//! moments; every time, the database must open, pass `integrity_check`, and hold at least the
//! last save that returned, intact.
//!
//! The child is this test binary itself, running the ignored `crash_child` test.

// Test helpers outside #[test] fns: a panic is how they report a failure.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::{TempDir, content};
use elternkit_store::crypto::FileSecretStore;
use elternkit_store::{DraftId, Store};

const ENV_DB: &str = "ELTERNKIT_CRASH_DB";
const ENV_KEY: &str = "ELTERNKIT_CRASH_KEY";
const ENV_ID: &str = "ELTERNKIT_CRASH_ID";
const SIZE: usize = 4000;

#[test]
#[ignore = "the child process of autosave_survives_sigkill; does nothing on its own"]
fn crash_child() {
    let (Ok(db), Ok(key), Ok(id)) = (
        std::env::var(ENV_DB),
        std::env::var(ENV_KEY),
        std::env::var(ENV_ID),
    ) else {
        return;
    };
    let secrets = FileSecretStore::new(key);
    let mut store = Store::open(Path::new(&db), &secrets).unwrap();
    let id: DraftId = id.parse().unwrap();
    let mut version = store.load_draft(&id).unwrap().meta.version;
    let mut out = std::io::stdout();
    loop {
        version = store
            .save_draft(&id, version, &content("crash", version + 1, SIZE))
            .unwrap()
            .version;
        // Only after save_draft returned: this is what the parent may rely on.
        writeln!(out, "SAVED {version}").unwrap();
        out.flush().unwrap();
    }
}

/// xorshift64*: random kill moments without a dependency; the seed is printed on failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn autosave_survives_sigkill() {
    let iterations: u32 = std::env::var("ELTERNKIT_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let dir = TempDir::new("crash");
    let keys = TempDir::new("crash-key");
    let db = dir.join("d.db");
    let key = keys.join("device.key");
    let secrets = FileSecretStore::new(&key);
    let id = Store::open(&db, &secrets)
        .unwrap()
        .create_draft(&content("crash", 1, SIZE))
        .unwrap()
        .id;

    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut last_returned = 1u64;
    let mut total_saves = 0u64;
    let mut killed_mid_loop = 0u32;
    for round in 0..iterations {
        let mut child = Command::new(&exe)
            .args(["crash::crash_child", "--exact", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(ENV_DB, &db)
            .env(ENV_KEY, &key)
            .env(ENV_ID, id.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(v) = line.strip_prefix("SAVED ") {
                    let _ = tx.send(v.trim().parse::<u64>().unwrap());
                }
            }
        });
        let mut first = None;
        if rng.next().is_multiple_of(4) {
            // Anywhere in start-up: during open, WAL recovery, the first save.
            std::thread::sleep(Duration::from_micros(rng.next() % 40_000));
        } else {
            // Inside the save loop: after the first save, a few saves later.
            first = Some(
                rx.recv_timeout(Duration::from_secs(10))
                    .unwrap_or_else(|_| panic!("seed {seed} round {round}: child never saved")),
            );
            std::thread::sleep(Duration::from_micros(rng.next() % 15_000));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        if let Some(v) = rx.try_iter().last().or(first) {
            assert!(v >= last_returned, "seed {seed}: versions went backwards");
            total_saves += v - last_returned;
            last_returned = v;
            killed_mid_loop += 1;
        }

        let store = Store::open(&db, &secrets)
            .unwrap_or_else(|e| panic!("seed {seed} round {round}: open failed: {e}"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("seed {seed} round {round}: {e}"));
        let draft = store
            .load_draft(&id)
            .unwrap_or_else(|e| panic!("seed {seed} round {round}: load failed: {e}"));
        let v = draft.meta.version;
        // The save in flight at the kill may or may not have committed; never less.
        assert!(
            v >= last_returned,
            "seed {seed} round {round}: stored version {v} < last returned {last_returned}"
        );
        assert_eq!(
            draft.content,
            content("crash", v, SIZE),
            "seed {seed} round {round}: version {v} is not intact"
        );
        last_returned = v;
    }
    eprintln!(
        "{iterations} kills ({killed_mid_loop} inside the save loop), {total_saves} saves, \
         {:.1} s, seed {seed}",
        started.elapsed().as_secs_f64()
    );
    assert!(
        killed_mid_loop >= iterations / 2,
        "too few kills hit the save loop ({killed_mid_loop}); the delays are too short"
    );
}
