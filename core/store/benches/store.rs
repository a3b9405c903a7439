//! The encrypted store: open + migrate (target ≤ 30 ms), autosave of a 4 KB draft (target
//! p99 ≤ 5 ms, printed after the criterion runs, also in a database of 100 drafts with full
//! histories), list of 100 drafts.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use elternkit_store::crypto::MemorySecretStore;
use elternkit_store::{DraftContent, DraftStatus, DraftSummary, Store};
use serde_json::json;

struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "elternkit-bench-{label}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// About `size` bytes of case JSON.
fn draft(n: u64, size: usize) -> DraftContent {
    DraftContent {
        status: DraftStatus::Draft,
        summary: DraftSummary {
            title: format!("Elterngeld {n}"),
            benefit_kinds: vec!["elterngeld".into()],
            child_names: vec!["Mia".into()],
        },
        case: json!({ "n": n, "pad": "x".repeat(size.saturating_sub(40)) }),
    }
}

fn open_and_migrate(c: &mut Criterion) {
    let mut group = c.benchmark_group("store_open");
    let secrets = MemorySecretStore::new();
    let existing = TempDir::new("open");
    let path = existing.0.join("d.db");
    {
        let mut store = Store::open(&path, &secrets).expect("open");
        for n in 0..100 {
            store.create_draft(&draft(n, 4096)).expect("create");
        }
    }
    group.bench_function("existing_100_drafts", |b| {
        b.iter(|| black_box(Store::open(&path, &secrets).expect("open")))
    });
    let fresh = TempDir::new("fresh");
    let mut i = 0u64;
    group.bench_function("create_and_migrate", |b| {
        b.iter_batched(
            || {
                i += 1;
                (fresh.0.join(format!("{i}.db")), MemorySecretStore::new())
            },
            |(p, s)| black_box(Store::open(&p, &s).expect("open")),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn save_and_list(c: &mut Criterion) {
    let secrets = MemorySecretStore::new();
    let dir = TempDir::new("save");
    let mut store = Store::open(&dir.0.join("d.db"), &secrets).expect("open");
    let id = store.create_draft(&draft(0, 4096)).expect("create").id;
    let mut version = 1;
    c.bench_function("store_save_4k", |b| {
        b.iter(|| {
            version = store
                .save_draft(&id, version, &draft(version, 4096))
                .expect("save")
                .version;
        })
    });
    for n in 1..100 {
        store.create_draft(&draft(n, 4096)).expect("create");
    }
    c.bench_function("store_list_100", |b| {
        b.iter(|| black_box(store.list_drafts().expect("list")))
    });
    c.bench_function("store_load_4k", |b| {
        b.iter(|| black_box(store.load_draft(&id).expect("load")))
    });
}

/// A database like a long-used phone's: `drafts` drafts of 4 KB, each with a full history
/// (10 earlier versions). Every read and write checks the tags of all of these rows.
fn populate(store: &mut Store, drafts: u64) {
    for n in 0..drafts {
        let id = store.create_draft(&draft(n, 4096)).expect("create").id;
        for v in 1..=10 {
            store.save_draft(&id, v, &draft(v + 1, 4096)).expect("save");
        }
    }
}

fn save_among_many(c: &mut Criterion) {
    let secrets = MemorySecretStore::new();
    let dir = TempDir::new("many");
    let path = dir.0.join("d.db");
    let mut store = Store::open(&path, &secrets).expect("open");
    populate(&mut store, 100);
    let id = store.create_draft(&draft(0, 4096)).expect("create").id;
    let mut version = 1;
    c.bench_function("store_save_4k_among_100_with_history", |b| {
        b.iter(|| {
            version = store
                .save_draft(&id, version, &draft(version, 4096))
                .expect("save")
                .version;
        })
    });
    drop(store);
    c.bench_function("store_open_100_with_history", |b| {
        b.iter(|| black_box(Store::open(&path, &secrets).expect("open")))
    });
}

/// Criterion reports means; the autosave budget is a p99, so time single saves. With
/// `others`, in a database that also holds that many drafts with full histories.
fn save_percentiles(path: &Path, others: u64) {
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(path, &secrets).expect("open");
    populate(&mut store, others);
    let id = store.create_draft(&draft(0, 4096)).expect("create").id;
    let mut version = 1;
    let mut times: Vec<Duration> = (0..1000)
        .map(|_| {
            let content = draft(version, 4096);
            let start = Instant::now();
            version = store
                .save_draft(&id, version, &content)
                .expect("save")
                .version;
            start.elapsed()
        })
        .collect();
    times.sort();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "store_save_4k single saves (n=1000, {others} other drafts with history): p50 {:?}  \
         p90 {:?}  p99 {:?}  max {:?}",
        pct(50),
        pct(90),
        pct(99),
        times[times.len() - 1]
    );
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    open_and_migrate(&mut c);
    save_and_list(&mut c);
    save_among_many(&mut c);
    c.final_summary();
    let dir = TempDir::new("p99");
    save_percentiles(&dir.0.join("d.db"), 0);
    save_percentiles(&dir.0.join("many.db"), 100);
}
