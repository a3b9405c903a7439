//! `elternkit.case/1` lines in, `elternkit.result/1` lines out, in order: the engine of
//! `elternkit calc --jsonl` and of batch checks on the agency side.
//!
//! Cases are independent and pure, so a batch of lines is computed on all cores and written
//! back in input order; memory stays bounded by the batch size, not the input.

use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;
use std::thread;

use crate::model::CaseResult;
use crate::rules::calculate_json;

/// Lines computed together; large enough to keep every core busy, small enough that a slow
/// consumer never holds much memory.
const BATCH_LINES: usize = 512;

/// How a stream of cases is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonlOptions {
    /// Write each result's `explanation` steps. Without them (batch checks that only need
    /// the figures) a result line is about a third as long and written three times as fast;
    /// everything else, reasons included, is the same.
    pub explanations: bool,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions { explanations: true }
    }
}

/// What a run over a stream of cases did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonlSummary {
    /// Lines read (= results written).
    pub cases: usize,
    /// Results with `errors` filled.
    pub failed: usize,
}

/// Reads one case per line from `input` and writes one result per line to `output`, in the
/// same order. `on_result` sees every result in order (e.g. to print its explanation). A bad
/// line gives a result with `errors`, never an error here; only I/O fails the run.
pub fn calculate_jsonl(
    input: impl BufRead,
    mut output: impl Write,
    options: JsonlOptions,
    mut on_result: impl FnMut(&CaseResult),
) -> io::Result<JsonlSummary> {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let mut summary = JsonlSummary::default();
    let mut lines = input.lines();
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        for line in lines.by_ref().take(BATCH_LINES) {
            batch.push(line?);
        }
        if batch.is_empty() {
            break;
        }
        for (result, json) in compute_batch(&batch, workers, options) {
            summary.cases += 1;
            summary.failed += usize::from(!result.errors.is_empty());
            on_result(&result);
            output.write_all(json.as_bytes())?;
            output.write_all(b"\n")?;
        }
    }
    output.flush()?;
    Ok(summary)
}

/// Results and their serialised lines, in the order of `lines`.
fn compute_batch(
    lines: &[String],
    workers: usize,
    options: JsonlOptions,
) -> Vec<(CaseResult, String)> {
    let one = |line: &String| {
        let mut result = calculate_json(line);
        if !options.explanations {
            if let Some(e) = &mut result.elterngeld {
                e.explanation.clear();
            }
            if let Some(k) = &mut result.kindergeld {
                k.explanation.clear();
            }
        }
        let json = serialise(&result);
        (result, json)
    };
    if workers <= 1 || lines.len() < 2 {
        return lines.iter().map(one).collect();
    }
    let chunk = lines.len().div_ceil(workers);
    thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                // The rules do not panic on any input (property-tested); should one ever do,
                // the panic is re-raised here rather than a line being silently dropped.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

fn serialise(result: &CaseResult) -> String {
    // A result holds only strings, numbers as strings, and maps with string keys, all of
    // which serde_json can always write.
    serde_json::to_string(result).unwrap_or_else(|e| {
        serde_json::json!({
            "schema": crate::model::RESULT_SCHEMA,
            "id": result.id,
            "errors": [{ "path": "", "code": "internal", "message": e.to_string() }],
        })
        .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_and_bad_lines_become_results() {
        // The CLI's demo family, renamed per line; every seventh line is not a case.
        let mut good: serde_json::Value =
            serde_json::from_str(include_str!("../../../cli/src/demo_case.json")).unwrap();
        let mut input = String::new();
        for i in 0..1300 {
            if i % 7 == 3 {
                input.push_str(&format!("{{\"id\": \"bad-{i}\"}}\n"));
            } else {
                good["id"] = serde_json::json!(format!("case-{i}"));
                input.push_str(&good.to_string());
                input.push('\n');
            }
        }
        let mut out = Vec::new();
        let mut seen = 0;
        let summary = calculate_jsonl(input.as_bytes(), &mut out, JsonlOptions::default(), |_| {
            seen += 1
        })
        .unwrap();
        assert_eq!(summary.cases, 1300);
        assert_eq!(seen, 1300);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1300);
        let mut failed = 0;
        for (i, line) in lines.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors = v["errors"].as_array().map_or(0, Vec::len);
            if i % 7 == 3 {
                assert_eq!(v["id"], format!("bad-{i}"));
                assert!(errors > 0, "line {i} should have errors");
                failed += 1;
            } else {
                assert_eq!(v["id"], format!("case-{i}"));
                assert_eq!(errors, 0, "line {i}: {line}");
                assert!(v["elterngeld"].is_object() && v["kindergeld"].is_object());
            }
        }
        assert_eq!(summary.failed, failed);
    }

    #[test]
    fn without_explanations_only_the_steps_are_left_out() {
        let case = include_str!("../../../cli/src/demo_case.json").replace('\n', "");
        let input = format!("{case}\n{case}\n");
        let run = |explanations| {
            let mut out = Vec::new();
            calculate_jsonl(
                input.as_bytes(),
                &mut out,
                JsonlOptions { explanations },
                |_| {},
            )
            .unwrap();
            let text = String::from_utf8(out).unwrap();
            text.lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                .collect::<Vec<_>>()
        };
        let (full, bare) = (run(true), run(false));
        assert_eq!(bare.len(), 2);
        for (mut f, b) in full.into_iter().zip(bare) {
            assert!(
                !f["elterngeld"]["explanation"]
                    .as_array()
                    .unwrap()
                    .is_empty()
            );
            assert!(
                !f["kindergeld"]["explanation"]
                    .as_array()
                    .unwrap()
                    .is_empty()
            );
            f["elterngeld"]["explanation"] = serde_json::json!([]);
            f["kindergeld"]["explanation"] = serde_json::json!([]);
            assert_eq!(f, b);
        }
    }
}
