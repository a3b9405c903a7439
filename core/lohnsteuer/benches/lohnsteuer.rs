//! One monthly PAP computation (target ≤ 5 µs: the Elterngeld rules run it up to three times
//! per parent within their 10 µs budget).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use elternkit_lohnsteuer::{PapInput, PapVersion, compute};
use rust_decimal::Decimal;

fn monthly(c: &mut Criterion) {
    let mut group = c.benchmark_group("lohnsteuer_monthly");
    for version in [PapVersion::Y2026, PapVersion::Y2024, PapVersion::Y2021] {
        let input = PapInput {
            LZZ: Some(2),
            STKL: Some(1),
            RE4: Some(Decimal::from(345_678)),
            KVZ: Some(Decimal::new(25, 1)),
            R: Some(1),
            ZKF: Some(Decimal::ONE),
            ..PapInput::default()
        };
        group.bench_function(version.name(), |b| {
            b.iter(|| compute(black_box(version), black_box(&input)))
        });
    }
    group.finish();
}

criterion_group!(benches, monthly);
criterion_main!(benches);
