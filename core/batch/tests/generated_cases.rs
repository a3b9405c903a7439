//! The batch writes exactly what serde_json writes for the same result, on generated cases as
//! on the public ones (`json_out`'s own tests): the fast writer must never change a byte of
//! `elternkit calc --jsonl`. 8 000 cases without explanations (the batch's usual mode) and
//! 1 000 with them by default, so that CI's debug build stays under a minute here;
//! `ELTERNKIT_GENERATED_CASES=40000` runs a larger sample (the explained run gets a twentieth).

mod generated;

use elternkit_batch::answer_line;
use elternkit_rules::{CalcOptions, calculate_json_with};

/// `answer_line`'s output for one line, as `serde_json` would write the same result.
fn reference(line: &str, number: usize, options: CalcOptions) -> String {
    let result = calculate_json_with(line, options);
    let body = serde_json::to_string(&result).expect("a result is always JSON");
    // `{"line":N,` and then the result's own fields.
    format!("{{\"line\":{number},{}\n", &body[1..])
}

/// How many generated cases to compare: `ELTERNKIT_GENERATED_CASES`, or `default`.
fn sample_size(default: usize) -> usize {
    std::env::var("ELTERNKIT_GENERATED_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn compare(count: usize, explanations: bool) {
    let options = CalcOptions { explanations };
    let text = generated::cases(count);
    let mut out = Vec::new();
    let mut computed = 0;
    for (i, line) in text.lines().enumerate() {
        out.clear();
        let failed = answer_line(line, i + 1, options, &mut out);
        computed += usize::from(!failed);
        let fast = std::str::from_utf8(&out).expect("the batch writes UTF-8");
        assert_eq!(fast, reference(line, i + 1, options), "line {}", i + 1);
    }
    // The comparison is worth something only if most cases are computed, not refused.
    assert!(
        computed * 100 >= count * 99,
        "only {computed} of {count} computed"
    );
}

#[test]
fn generated_results_are_written_as_serde_json_writes_them() {
    compare(sample_size(8_000), false);
}

#[test]
fn generated_results_with_explanations_are_written_as_serde_json_writes_them() {
    compare((sample_size(20_000) / 20).max(1), true);
}
