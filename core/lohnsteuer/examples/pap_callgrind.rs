//! A driver for instruction counts of one PAP run (the input of `benches/lohnsteuer.rs`):
//!
//! ```text
//! cargo build --profile bench -p elternkit-lohnsteuer --example pap_callgrind
//! valgrind --tool=callgrind target/release/examples/pap_callgrind 2025 1001
//! valgrind --tool=callgrind target/release/examples/pap_callgrind 2025 1
//! ```
//!
//! The difference of the two totals divided by 1000 is the cost of one run.

use std::hint::black_box;

use elternkit_lohnsteuer::{PapInput, PapVersion, compute};
use rust_decimal::Decimal;

fn main() {
    let mut args = std::env::args().skip(1);
    let version = args
        .next()
        .and_then(|name| PapVersion::from_name(&name))
        .unwrap_or(PapVersion::Y2025);
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let input = PapInput {
        LZZ: Some(2),
        STKL: Some(1),
        RE4: Some(Decimal::from(345_678)),
        KVZ: Some(Decimal::new(25, 1)),
        R: Some(1),
        ZKF: Some(Decimal::ONE),
        ..PapInput::default()
    };
    let mut failures = 0u32;
    for _ in 0..runs {
        if compute(black_box(version), black_box(&input)).is_err() {
            failures += 1;
        }
    }
    println!("{} runs of PAP {}, {failures} failed", runs, version.name());
}
