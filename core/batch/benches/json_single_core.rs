//! The whole job of `elternkit calc --jsonl` for one case on one thread: parse the line,
//! validate, compute both benefits and write the result line, over the 250 public cases of
//! `../shared/cases/public` (issue 18: at most 12 µs per case, 30× the official calculator's
//! 0.37 ms for the computation alone). Reported per case, with and without explanations.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use elternkit_batch::answer_line;
use elternkit_rules::CalcOptions;

#[path = "../tests/generated/mod.rs"]
mod generated;

fn bench(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/cases/public");
    let lines = generated::public_lines(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lines.len(), 250, "the public cases changed");
    // The public cases are computable: the bench measures the happy path.
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        assert!(
            !answer_line(line, i + 1, CalcOptions::default(), &mut out),
            "public case {} fails",
            i + 1
        );
    }
    let mut group = c.benchmark_group("json_single_core");
    group.throughput(Throughput::Elements(lines.len() as u64));
    for (name, explanations) in [
        ("public_cases_per_case", true),
        ("public_cases_per_case_no_explanation", false),
    ] {
        let options = CalcOptions { explanations };
        group.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                for (i, line) in lines.iter().enumerate() {
                    black_box(answer_line(black_box(line), i + 1, options, &mut out));
                }
                black_box(out.len())
            })
        });
    }
    group.finish();
}

criterion_group!(json_single_core, bench);
criterion_main!(json_single_core);
