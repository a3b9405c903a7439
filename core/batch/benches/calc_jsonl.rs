//! `elternkit calc --jsonl` throughput: 100 000 generated cases through `calculate_jsonl`
//! (parse, validate, compute both benefits, serialise, in order, on all cores), reported as
//! cases per second. For scale (issue 8): the official calculator takes about 0.37 ms per
//! `egr_official` case, i.e. ~2 700 cases/s; ElternKit should be ≥ 50× faster.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use elternkit_batch::calculate_jsonl;
use elternkit_rules::CalcOptions;

const CASES: usize = 100_000;

#[path = "../tests/generated/mod.rs"]
mod generated;

fn bench(c: &mut Criterion) {
    // The run reads its input on a thread of its own, which needs it for 'static; one copy
    // for the whole bench.
    let input: &'static str = Box::leak(generated::cases(CASES).into_boxed_str());
    // The generated cases must be computable, or the bench would measure error paths.
    let mut sink = Vec::new();
    let summary = calculate_jsonl(input.as_bytes(), &mut sink, CalcOptions::default(), None)
        .expect("in memory");
    assert_eq!(summary.cases, CASES);
    assert!(
        summary.failed * 100 < CASES,
        "{} of {CASES} generated cases failed",
        summary.failed
    );
    let mut group = c.benchmark_group("calc_jsonl");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CASES as u64));
    for (name, explanations) in [
        ("100k_generated_cases", true),
        ("100k_generated_cases_no_explanation", false),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(sink.len());
                black_box(calculate_jsonl(
                    black_box(input.as_bytes()),
                    &mut out,
                    CalcOptions { explanations },
                    None,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(calc_jsonl, bench);
criterion_main!(calc_jsonl);
