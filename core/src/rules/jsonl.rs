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
/// same order. `on_result`, if given, sees every result in order (e.g. to print its
/// explanation); without it a result is dropped where it was computed. A bad line gives a
/// result with `errors`, never an error here; only I/O fails the run.
pub fn calculate_jsonl(
    mut input: impl BufRead,
    mut output: impl Write,
    options: JsonlOptions,
    mut on_result: Option<&mut dyn FnMut(&CaseResult)>,
) -> io::Result<JsonlSummary> {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let keep = on_result.is_some();
    let mut summary = JsonlSummary::default();
    // Line and output buffers live across batches: a batch allocates only what grows them.
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    let mut parts: Vec<Part> = (0..workers).map(|_| Part::default()).collect();
    loop {
        let mut filled = 0;
        while filled < BATCH_LINES {
            if batch.len() == filled {
                batch.push(String::new());
            }
            let line = &mut batch[filled];
            line.clear();
            if input.read_line(line)? == 0 {
                break;
            }
            let end = line.trim_end_matches(['\n', '\r']).len();
            line.truncate(end);
            filled += 1;
        }
        if filled == 0 {
            break;
        }
        compute_batch(&batch[..filled], &mut parts, options, keep);
        for part in &mut parts {
            summary.cases += part.cases;
            summary.failed += part.failed;
            if let Some(callback) = on_result.as_mut() {
                part.results.iter().for_each(&mut *callback);
            }
            output.write_all(&part.text)?;
        }
    }
    output.flush()?;
    Ok(summary)
}

/// What one worker produced for its share of a batch: the result lines, in order.
#[derive(Default)]
struct Part {
    text: Vec<u8>,
    cases: usize,
    failed: usize,
    /// The results themselves, only when a caller looks at them.
    results: Vec<CaseResult>,
}

impl Part {
    fn reset(&mut self) {
        self.text.clear();
        self.cases = 0;
        self.failed = 0;
        self.results.clear();
    }

    fn answer(&mut self, line: &str, options: JsonlOptions, keep: bool) {
        let mut result = calculate_json(line);
        if !options.explanations {
            result.clear_explanations();
        }
        self.cases += 1;
        self.failed += usize::from(!result.errors.is_empty());
        serialise_into(&mut self.text, &result);
        self.text.push(b'\n');
        if keep {
            self.results.push(result);
        }
    }
}

/// Answers `lines` on up to `parts.len()` threads; part `i` holds the `i`-th share, so the
/// parts in order are the results in input order.
fn compute_batch(lines: &[String], parts: &mut [Part], options: JsonlOptions, keep: bool) {
    parts.iter_mut().for_each(Part::reset);
    if parts.len() <= 1 || lines.len() < 2 {
        if let Some(part) = parts.first_mut() {
            lines.iter().for_each(|l| part.answer(l, options, keep));
        }
        return;
    }
    let chunk = lines.len().div_ceil(parts.len());
    thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .zip(parts.iter_mut())
            .map(|(share, part)| {
                scope.spawn(move || share.iter().for_each(|l| part.answer(l, options, keep)))
            })
            .collect();
        for handle in handles {
            // The rules do not panic on any input (property-tested); should one ever do, the
            // panic is re-raised here rather than a line being silently dropped.
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// Appends the result's JSON to `out`.
fn serialise_into(out: &mut Vec<u8>, result: &CaseResult) {
    let start = out.len();
    // A result holds only strings, numbers as strings, and maps with string keys, all of
    // which serde_json can always write; should it fail anyway, the line says so.
    if let Err(e) = serde_json::to_writer(&mut *out, result) {
        out.truncate(start);
        let line = serde_json::json!({
            "schema": crate::model::RESULT_SCHEMA,
            "id": result.id,
            "errors": [{ "path": "", "code": "internal", "message": e.to_string() }],
        });
        out.extend_from_slice(line.to_string().as_bytes());
    }
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
        let mut count = |_: &CaseResult| seen += 1;
        let summary = calculate_jsonl(
            input.as_bytes(),
            &mut out,
            JsonlOptions::default(),
            Some(&mut count),
        )
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
    fn crlf_and_a_last_line_without_newline_are_read() {
        let case = include_str!("../../../cli/src/demo_case.json").replace('\n', "");
        let input = format!("{case}\r\n{{\"id\": \"x\"}}\r\n{case}");
        let mut out = Vec::new();
        let summary =
            calculate_jsonl(input.as_bytes(), &mut out, JsonlOptions::default(), None).unwrap();
        assert_eq!((summary.cases, summary.failed), (3, 1));
        let text = String::from_utf8(out).unwrap();
        let errors: Vec<usize> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["errors"]
                    .as_array()
                    .unwrap()
                    .len()
            })
            .collect();
        assert_eq!(errors.len(), 3);
        assert!(
            errors[0] == 0 && errors[1] > 0 && errors[2] == 0,
            "{errors:?}"
        );
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
                None,
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
