//! `elternkit.case/1` lines in, `elternkit.result/1` lines out, in order: the engine of
//! `elternkit calc --jsonl` and of batch checks on the agency side.
//!
//! Cases are independent and pure, so they go through a pipeline on one thread per core,
//! started once per run. A reader thread reads batches of up to `CHUNK_LINES` lines; the
//! calling thread hands each to a queue as a chunk, persistent workers take chunks from it
//! (parse, compute, serialise), and the calling thread writes finished chunks in input order.
//! It must do the writing and `on_result` itself (neither need be `Send`), and it is the last
//! worker: when it has nothing to hand over or write it answers a queued chunk, so all cores
//! compute all the time and none waits on a slow share. At most `CHUNKS_PER_WORKER` chunks per
//! thread are in flight, and the reader runs at most that far ahead, so memory stays bounded
//! whatever the input size and however slow the output.
//!
//! A stream may also be a conversation: a caller that sends one case and waits for its result
//! before sending the next. The reader sends a batch early when its buffer runs empty, and
//! once every answer is written the output is flushed before waiting for more input.

use std::any::Any;
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use elternkit_model::CaseResult;
use elternkit_rules::{CalcOptions, calculate_json_with};

mod json_out;

/// Lines a worker claims at a time: small enough that no core waits long for a slow share,
/// large enough that handing them over (a lock and a channel message) costs nothing.
const CHUNK_LINES: usize = 32;

/// Chunks in flight per thread (read but not yet written): enough slack that the workers
/// keep going while the calling thread writes or a slow chunk holds up the order; the only
/// bound on memory.
const CHUNKS_PER_WORKER: usize = 8;

/// Failing line numbers a summary keeps: enough to find them, bounded whatever the input.
pub const FAILED_LINES_KEPT: usize = 100;

/// What a run over a stream of cases did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonlSummary {
    /// Lines read (= results written).
    pub cases: usize,
    /// Results with `errors` filled.
    pub failed: usize,
    /// The first [`FAILED_LINES_KEPT`] of their input lines (1-based), ascending.
    pub failed_lines: Vec<usize>,
}

/// Reads one case per line from `input` and writes one result per line to `output`, in the
/// same order; each result carries its 1-based input `line` (first key of the object). `on_result`, if given, sees every result in order (e.g. to print its
/// explanation); without it a result is dropped where it was computed. A bad line gives a
/// result with `errors`, never an error here; only I/O fails the run, and it stops at the
/// first read or write error.
///
/// `input` is read on a thread of its own, which is not joined: a read may wait for ever (an
/// idle terminal) and must not keep an output error from ending the run. After such an early
/// end the thread stops as soon as its read returns.
pub fn calculate_jsonl(
    input: impl Read + Send + 'static,
    output: impl Write,
    options: CalcOptions,
    on_result: Option<&mut dyn FnMut(&CaseResult)>,
) -> io::Result<JsonlSummary> {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    // Without explanations the steps are never built, so a line is only as long as its
    // figures, reasons and problems.
    let compute = move |line: &str| calculate_json_with(line, options);
    pipeline(input, output, on_result, workers, &compute)
}

/// The rule a worker applies to a line; tests swap in slow or panicking ones.
type Compute<'a> = &'a (dyn Fn(&str) -> CaseResult + Sync);

/// A worker's answer: the chunk with its results, or the panic that stopped it.
type Done = Result<Chunk, Box<dyn Any + Send>>;

/// Consecutive lines from the reader thread, without their line endings, or the error that
/// ended the input.
type Lines = io::Result<Vec<String>>;

/// How every line is answered, the same on all threads.
#[derive(Clone, Copy)]
struct Rule<'a> {
    /// Keep the results for `on_result`.
    keep: bool,
    compute: Compute<'a>,
}

/// [`calculate_jsonl`] on `workers` threads, the calling one included, with `compute` as the
/// rule.
fn pipeline(
    input: impl Read + Send + 'static,
    output: impl Write,
    on_result: Option<&mut dyn FnMut(&CaseResult)>,
    workers: usize,
    compute: Compute<'_>,
) -> io::Result<JsonlSummary> {
    let workers = workers.max(1);
    let rule = Rule {
        keep: on_result.is_some(),
        compute,
    };
    let queue = Queue::default();
    // Unbounded, but never holds more than the chunks in flight.
    let (done, done_rx) = mpsc::channel::<Done>();
    thread::scope(|scope| {
        // However `drive` ends (done, an I/O error, a panic), the queue closes and every
        // worker stops after its current chunk, so the scope's join cannot hang.
        let _close = CloseOnDrop(&queue);
        // The calling thread is the last worker: it computes whenever it has nothing to read
        // or write, so there is one busy thread per core and none to switch between.
        let mut threads = 1;
        while threads < workers {
            let (queue, done) = (&queue, done.clone());
            let spawned = thread::Builder::new()
                .name("calc-jsonl".into())
                .spawn_scoped(scope, move || work(queue, &done, rule));
            // Fewer threads only make the run slower: the calling thread computes anyway.
            if spawned.is_err() {
                break;
            }
            threads += 1;
        }
        drop(done);
        let in_flight = threads * CHUNKS_PER_WORKER;
        let (line_tx, lines) = mpsc::sync_channel(in_flight);
        thread::Builder::new()
            .name("calc-jsonl-read".into())
            .spawn(move || read_lines(input, &line_tx))?;
        drive(lines, output, on_result, &queue, done_rx, in_flight, rule)
    })
}

/// The reader thread: sends the lines in batches of up to [`CHUNK_LINES`], until the input
/// ends, a read fails (the error is sent after the lines before it) or nobody listens any
/// more. A batch goes out early when the read buffer is empty, as the next read may wait:
/// bulk input fills whole batches, a caller sending one line at a time gets each answered.
fn read_lines(input: impl Read, lines: &SyncSender<Lines>) {
    let mut input = BufReader::with_capacity(1 << 18, input);
    loop {
        let mut batch = Vec::with_capacity(CHUNK_LINES);
        let mut end: Option<io::Result<()>> = None;
        while batch.len() < CHUNK_LINES {
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) => end = Some(Ok(())),
                Ok(_) => {
                    let len = line.trim_end_matches(['\n', '\r']).len();
                    line.truncate(len);
                    batch.push(line);
                }
                Err(e) => end = Some(Err(e)),
            }
            if end.is_some() || input.buffer().is_empty() {
                break;
            }
        }
        if !batch.is_empty() && lines.send(Ok(batch)).is_err() {
            return;
        }
        match end {
            None => {}
            Some(Ok(())) => return,
            Some(Err(e)) => {
                // Nobody may listen any more; then there is nobody to tell either.
                let _ = lines.send(Err(e));
                return;
            }
        }
    }
}

/// A spawned worker: takes the next chunk, answers its lines, hands it back, until the queue
/// closes.
fn work(queue: &Queue, done: &Sender<Done>, rule: Rule<'_>) {
    while let Some(mut chunk) = queue.pop() {
        // The rules do not panic on any input (property-tested); should one ever do, the
        // panic goes to the calling thread and is re-raised there rather than a line being
        // silently dropped or the run waiting forever for the chunk.
        let answer = panic::catch_unwind(AssertUnwindSafe(|| chunk.answer(rule)));
        if done.send(answer.map(|()| chunk)).is_err() {
            return;
        }
    }
}

/// The calling thread's part: hands the reader's batches to the queue as chunks while fewer
/// than `in_flight` are out, writes finished ones in input order as soon as they are ready,
/// and in between answers queued chunks itself.
fn drive(
    lines: Receiver<Lines>,
    mut output: impl Write,
    on_result: Option<&mut dyn FnMut(&CaseResult)>,
    queue: &Queue,
    done: Receiver<Done>,
    in_flight: usize,
    rule: Rule<'_>,
) -> io::Result<JsonlSummary> {
    let mut order = Order {
        summary: JsonlSummary::default(),
        slots: (0..in_flight).map(|_| None).collect(),
        spare: Vec::new(),
        next_read: 0,
        next_write: 0,
        next_line: 1,
        on_result,
    };
    let mut eof = false;
    loop {
        // Finished chunks first (writing frees room), then the input (it feeds the workers),
        // then computing; wait only when nothing else is left.
        if let Ok(finished) = done.try_recv() {
            order.write(finished, &mut output)?;
            continue;
        }
        let room = order.next_read - order.next_write < in_flight;
        if !eof && room {
            match lines.try_recv() {
                Ok(batch) => {
                    order.hand_over(batch, queue)?;
                    continue;
                }
                Err(TryRecvError::Disconnected) => {
                    eof = true;
                    continue;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some(mut chunk) = queue.try_pop() {
            // A panic here unwinds through `pipeline`, which closes the queue.
            chunk.answer(rule);
            order.write(Ok(chunk), &mut output)?;
        } else if order.next_write < order.next_read {
            // Everything left is on a spawned worker, so one exists and will send.
            order.write(done.recv().map_err(|_| workers_gone())?, &mut output)?;
        } else if eof {
            break;
        } else {
            // Nothing in flight and the input pauses: every answer is written, so flush them
            // for a caller that waits for one before it sends the next line.
            output.flush()?;
            match lines.recv() {
                Ok(batch) => order.hand_over(batch, queue)?,
                Err(_) => eof = true,
            }
        }
    }
    output.flush()?;
    Ok(order.summary)
}

/// Finished chunks on their way out, in input order.
struct Order<'a> {
    summary: JsonlSummary,
    /// Chunks come back in any order; chunk `seq` waits in slot `seq % slots.len()` until all
    /// before it are written. At most that many consecutive chunks are out, so slots never
    /// collide.
    slots: Vec<Option<Chunk>>,
    /// Written chunks, reused so that their output buffers are allocated only once (the
    /// lines come in new from the reader).
    spare: Vec<Chunk>,
    /// Chunks handed to the queue and written so far.
    next_read: usize,
    next_write: usize,
    /// The input line number of the first line of the next chunk handed over.
    next_line: usize,
    on_result: Option<&'a mut dyn FnMut(&CaseResult)>,
}

impl Order<'_> {
    /// Hands a batch of lines to the queue as the next chunk.
    fn hand_over(&mut self, batch: Lines, queue: &Queue) -> io::Result<()> {
        let mut chunk = self.spare.pop().unwrap_or_default();
        chunk.lines = batch?;
        chunk.seq = self.next_read;
        chunk.first_line = self.next_line;
        self.next_line += chunk.lines.len();
        self.next_read += 1;
        queue.push(chunk);
        Ok(())
    }

    /// Takes a finished chunk (re-raising a worker's panic) and writes every chunk that is
    /// next in order.
    fn write(&mut self, finished: Done, output: &mut impl Write) -> io::Result<()> {
        let chunk = finished.unwrap_or_else(|payload| panic::resume_unwind(payload));
        let in_flight = self.slots.len();
        let slot = chunk.seq % in_flight;
        self.slots[slot] = Some(chunk);
        while let Some(mut chunk) = self.slots[self.next_write % in_flight].take() {
            self.summary.cases += chunk.part.cases;
            self.summary.failed += chunk.part.failed;
            let room = FAILED_LINES_KEPT.saturating_sub(self.summary.failed_lines.len());
            self.summary
                .failed_lines
                .extend(chunk.part.failed_lines.iter().take(room));
            if let Some(callback) = self.on_result.as_mut() {
                chunk.part.results.iter().for_each(&mut **callback);
            }
            output.write_all(&chunk.part.text)?;
            self.next_write += 1;
            chunk.reset();
            self.spare.push(chunk);
        }
        Ok(())
    }
}

/// Every spawned worker ended while chunks were still out. One only ends when the queue is
/// closed, after `drive`, and its panics are caught and sent back, so this is a bug.
fn workers_gone() -> io::Error {
    io::Error::other("calc --jsonl: the workers stopped before all cases were answered")
}

/// Chunks waiting for a worker. A `Mutex`/`Condvar` rather than a channel so that the calling
/// thread can take work without ever blocking behind a waiting worker, and so that closing
/// stops the workers at once, not after what is still queued.
#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Default)]
struct QueueState {
    chunks: VecDeque<Chunk>,
    closed: bool,
}

impl Queue {
    /// The lock is only held for a push or a pop, which do not panic, so it is never
    /// poisoned; `into_inner` only avoids an unwrap.
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, chunk: Chunk) {
        self.lock().chunks.push_back(chunk);
        self.ready.notify_one();
    }

    fn try_pop(&self) -> Option<Chunk> {
        self.lock().chunks.pop_front()
    }

    /// The next chunk, waiting for one; `None` once the queue is closed.
    fn pop(&self) -> Option<Chunk> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return None;
            }
            if let Some(chunk) = state.chunks.pop_front() {
                return Some(chunk);
            }
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        drop(state);
        self.ready.notify_all();
    }
}

struct CloseOnDrop<'a>(&'a Queue);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Up to [`CHUNK_LINES`] consecutive input lines and, once a worker answered them, their
/// results.
#[derive(Default)]
struct Chunk {
    /// Position in the input, in chunks.
    seq: usize,
    /// The input line number of `lines[0]`.
    first_line: usize,
    lines: Vec<String>,
    part: Part,
}

impl Chunk {
    fn answer(&mut self, rule: Rule<'_>) {
        for (i, line) in self.lines.iter().enumerate() {
            self.part
                .answer(self.first_line + i, (rule.compute)(line), rule.keep);
        }
    }

    fn reset(&mut self) {
        self.lines.clear();
        self.part.reset();
    }
}

/// The answers to one chunk's lines: the result lines, in order.
#[derive(Default)]
struct Part {
    text: Vec<u8>,
    cases: usize,
    failed: usize,
    failed_lines: Vec<usize>,
    /// The results themselves, only when a caller looks at them.
    results: Vec<CaseResult>,
}

impl Part {
    fn reset(&mut self) {
        self.text.clear();
        self.cases = 0;
        self.failed = 0;
        self.failed_lines.clear();
        self.results.clear();
    }

    fn answer(&mut self, line: usize, result: CaseResult, keep: bool) {
        self.cases += 1;
        // An invalid Elterngeld plan fails its line as an input error does (issue 22).
        if result.has_problems() {
            self.failed += 1;
            self.failed_lines.push(line);
        }
        serialise_into(&mut self.text, line, &result);
        self.text.push(b'\n');
        if keep {
            self.results.push(result);
        }
    }
}

/// Answers one case line as `calc --jsonl` does, on the calling thread: parses, validates and
/// computes it and appends its result line (with `"line":number` first and a newline) to
/// `out`. Returns whether the result has `errors`. The single-core path of the benchmarks.
pub fn answer_line(line: &str, number: usize, options: CalcOptions, out: &mut Vec<u8>) -> bool {
    let result = calculate_json_with(line, options);
    serialise_into(out, number, &result);
    out.push(b'\n');
    !result.errors.is_empty()
}

/// Appends the result's JSON to `out`, with `"line":N` as its first key.
fn serialise_into(out: &mut Vec<u8>, line: usize, result: &CaseResult) {
    let start = out.len();
    if json_out::write_result(out, line, result).is_ok() {
        return;
    }
    // No formatter of a result's values fails; should one ever do, the line says so.
    out.truncate(start);
    let text = serde_json::json!({
        "line": line,
        "schema": elternkit_model::RESULT_SCHEMA,
        "id": result.id,
        "errors": [{ "path": "", "code": "internal", "message": "a value could not be shown" }],
    });
    out.extend_from_slice(text.to_string().as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use elternkit_rules::calculate_json;

    #[test]
    fn order_is_kept_and_bad_lines_become_results() {
        // The CLI's demo family, renamed per line; every seventh line is not a case.
        let mut input = String::new();
        for i in 0..1300 {
            if i % 7 == 3 {
                input.push_str(&format!("{{\"id\": \"bad-{i}\"}}\n"));
            } else {
                input.push_str(&demo_line(&format!("case-{i}")));
                input.push('\n');
            }
        }
        let mut out = Vec::new();
        let mut seen = 0;
        let mut count = |_: &CaseResult| seen += 1;
        let summary = calculate_jsonl(
            owned(&input),
            &mut out,
            CalcOptions::default(),
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
            // Each result names its input line (issue 22).
            assert_eq!(v["line"], i + 1, "{line}");
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
        // The summary names the first failing lines, in order: 4, 11, 18, …
        let expected: Vec<usize> = (0..1300)
            .filter(|i| i % 7 == 3)
            .map(|i| i + 1)
            .take(FAILED_LINES_KEPT)
            .collect();
        assert_eq!(summary.failed_lines, expected);
    }

    #[test]
    fn crlf_and_a_last_line_without_newline_are_read() {
        let case = include_str!("../../../cli/src/demo_case.json").replace('\n', "");
        let input = format!("{case}\r\n{{\"id\": \"x\"}}\r\n{case}");
        let mut out = Vec::new();
        let summary =
            calculate_jsonl(owned(&input), &mut out, CalcOptions::default(), None).unwrap();
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
            calculate_jsonl(owned(&input), &mut out, CalcOptions { explanations }, None).unwrap();
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

    use std::io::{BufReader, Read};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn demo_line(id: &str) -> String {
        let mut case: serde_json::Value =
            serde_json::from_str(include_str!("../../../cli/src/demo_case.json")).unwrap();
        case["id"] = serde_json::json!(id);
        case.to_string()
    }

    fn ids(out: &[u8]) -> Vec<String> {
        std::str::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["id"].as_str().unwrap_or("").to_owned()
            })
            .collect()
    }

    /// Runs `f` on its own thread and fails the test instead of hanging it.
    /// The input as a reader the reader thread can own.
    fn owned(input: &str) -> io::Cursor<Vec<u8>> {
        io::Cursor::new(input.as_bytes().to_vec())
    }

    fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(Duration::from_secs(60))
            .expect("the run hung or panicked")
    }

    /// An output that takes `delay` per write and accepts `left` bytes, then fails every
    /// write. On each write it checks that no more lines were computed than can be in flight.
    struct FailAfter {
        delay: Duration,
        left: usize,
        lines: usize,
        computed: Arc<AtomicUsize>,
        in_flight_lines: usize,
        /// Lines computed when the first write failed.
        computed_at_error: Option<usize>,
    }

    impl Write for FailAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            thread::sleep(self.delay);
            let computed = self.computed.load(Ordering::SeqCst);
            assert!(
                computed <= self.lines + self.in_flight_lines,
                "{computed} lines computed, {} written",
                self.lines
            );
            if self.left == 0 {
                self.computed_at_error.get_or_insert(computed);
                return Err(io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Yields `data`, then fails.
    struct FailingReader {
        data: Vec<u8>,
        pos: usize,
    }

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.pos == self.data.len() {
                return Err(io::Error::other("cable cut"));
            }
            let n = buf.len().min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    #[test]
    fn order_is_kept_across_many_chunks_with_uneven_cost() {
        // Computed cases, cheap bad lines and a few slow lines, so chunks finish out of
        // order; more chunks than are ever in flight.
        let n = 2000;
        let mut input = String::new();
        let mut expected = Vec::new();
        for i in 0..n {
            let id = match i {
                _ if i % 41 == 7 => format!("slow-{i}"),
                _ if i % 3 == 0 => format!("bad-{i}"),
                _ => format!("case-{i}"),
            };
            if id.starts_with("bad") {
                input.push_str(&format!("{{\"id\": \"{id}\"}}\n"));
            } else {
                input.push_str(&demo_line(&id));
                input.push('\n');
            }
            expected.push(id);
        }
        assert!(n > 4 * CHUNKS_PER_WORKER * CHUNK_LINES);
        let slow = |line: &str| {
            if line.contains("slow-") {
                thread::sleep(Duration::from_millis(3));
            }
            calculate_json(line)
        };
        for workers in [1, 2, 5] {
            let mut out = Vec::new();
            let mut seen = Vec::new();
            let mut record = |r: &CaseResult| seen.push(r.id.clone().unwrap_or_default());
            let summary =
                pipeline(owned(&input), &mut out, Some(&mut record), workers, &slow).unwrap();
            assert_eq!(summary.cases, n, "{workers} workers");
            assert_eq!(
                summary.failed,
                expected.iter().filter(|i| i.starts_with("bad")).count()
            );
            assert_eq!(ids(&out), expected, "{workers} workers");
            assert_eq!(seen, expected, "{workers} workers");
        }
    }

    #[test]
    fn tiny_inputs_and_chunk_boundaries() {
        let line = demo_line("c");
        for workers in [1, 2] {
            let lines = [0, 1, CHUNK_LINES - 1, CHUNK_LINES, CHUNK_LINES + 1];
            for n in lines
                .into_iter()
                .chain([workers * CHUNKS_PER_WORKER * CHUNK_LINES + 1])
            {
                for last_newline in [true, false] {
                    let mut input = vec![line.as_str(); n].join("\n");
                    if last_newline && n > 0 {
                        input.push('\n');
                    }
                    let mut out = Vec::new();
                    let mut calls = 0;
                    let mut count = |_: &CaseResult| calls += 1;
                    let summary = pipeline(
                        owned(&input),
                        &mut out,
                        Some(&mut count),
                        workers,
                        &calculate_json,
                    )
                    .unwrap();
                    assert_eq!(
                        summary,
                        JsonlSummary {
                            cases: n,
                            failed: 0,
                            failed_lines: Vec::new(),
                        },
                        "{n} lines"
                    );
                    assert_eq!(calls, n);
                    assert_eq!(ids(&out).len(), n);
                    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), n);
                }
            }
        }
        // An empty line is a case too, a bad one, as it always was.
        let mut out = Vec::new();
        let summary = calculate_jsonl(&b"\n"[..], &mut out, CalcOptions::default(), None);
        assert_eq!(
            summary.unwrap(),
            JsonlSummary {
                cases: 1,
                failed: 1,
                failed_lines: vec![1],
            }
        );
    }

    #[test]
    fn an_output_error_stops_the_run_and_memory_stays_bounded() {
        let n = 20_000;
        let input: String = (0..n)
            .map(|i| format!("{{\"id\": \"bad-{i}\"}}\n"))
            .collect();
        // A slow output (reading must not run ahead of it) and slow lines (the queue is full
        // when the write fails, and must not be worked off).
        let slow_output = (Duration::from_millis(1), Duration::ZERO);
        let slow_lines = (Duration::ZERO, Duration::from_micros(50));
        let runs = [slow_output, slow_lines].into_iter();
        for ((write_delay, line_delay), workers) in runs.flat_map(|d| [1, 2, 3].map(|w| (d, w))) {
            let input = input.clone();
            let in_flight_lines = workers * CHUNKS_PER_WORKER * CHUNK_LINES;
            let computed = Arc::new(AtomicUsize::new(0));
            let c = computed.clone();
            let (result, lines, at_error) = within(move || {
                let mut output = FailAfter {
                    delay: write_delay,
                    left: 400_000,
                    lines: 0,
                    computed: c.clone(),
                    in_flight_lines,
                    computed_at_error: None,
                };
                let count = |line: &str| {
                    c.fetch_add(1, Ordering::SeqCst);
                    thread::sleep(line_delay);
                    calculate_json(line)
                };
                let result = pipeline(owned(&input), &mut output, None, workers, &count);
                (result, output.lines, output.computed_at_error)
            });
            let error = result.expect_err("the write error must fail the run");
            assert_eq!(error.to_string(), "disk full");
            // It stopped there: nothing was read after the error, and the workers stopped
            // after their current chunk (and perhaps one more taken just before the queue
            // closed), leaving the rest of the queue.
            assert!(
                lines > 2 * in_flight_lines && lines < n / 2,
                "{lines} lines written, {workers} workers"
            );
            let computed = computed.load(Ordering::SeqCst);
            assert!(
                computed <= lines + in_flight_lines,
                "{computed} computed, {lines} written, {workers} workers"
            );
            let at_error = at_error.expect("the writer failed");
            assert!(
                computed - at_error <= 2 * (workers - 1) * CHUNK_LINES,
                "{computed} computed, {at_error} when the write failed, {workers} workers"
            );
        }
    }

    #[test]
    fn an_input_error_is_returned() {
        let mut data = String::new();
        for i in 0..1000 {
            data.push_str(&demo_line(&format!("case-{i}")));
            data.push('\n');
        }
        // Cut in the middle of a line.
        data.push_str("{\"id\": \"cut");
        for workers in [1, 2] {
            let data = data.clone().into_bytes();
            let (error, out) = within(move || {
                let input = BufReader::with_capacity(100, FailingReader { data, pos: 0 });
                let mut out = Vec::new();
                let result = pipeline(input, &mut out, None, workers, &calculate_json);
                (result.expect_err("the read error must fail the run"), out)
            });
            assert_eq!(error.to_string(), "cable cut");
            // Whatever was written before is whole lines, in order.
            let ids = ids(&out);
            assert!(ids.len() < 1000);
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(*id, format!("case-{i}"));
            }
        }
    }

    /// An output others can look at while the run writes to it.
    #[derive(Clone, Default)]
    struct SharedOut(Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for SharedOut {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A caller in conversation: gives one line per read, and the next one only once the
    /// answers to all before it can be seen in the output.
    struct Conversation {
        lines: Vec<String>,
        given: usize,
        seen: SharedOut,
    }

    impl Read for Conversation {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let waited = std::time::Instant::now();
            loop {
                let answered = self
                    .seen
                    .0
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                if answered == self.given {
                    break;
                }
                if waited.elapsed() > Duration::from_secs(10) {
                    return Err(io::Error::other(format!(
                        "line {} not answered before the next read",
                        self.given
                    )));
                }
                thread::sleep(Duration::from_millis(1));
            }
            let Some(line) = self.lines.get(self.given) else {
                return Ok(0);
            };
            let bytes = format!("{line}\n").into_bytes();
            assert!(bytes.len() <= buf.len(), "a line fits the reader's buffer");
            buf[..bytes.len()].copy_from_slice(&bytes);
            self.given += 1;
            Ok(bytes.len())
        }
    }

    #[test]
    fn a_caller_waiting_for_each_answer_gets_it() {
        for workers in [1, 2] {
            let lines: Vec<String> = (0..5)
                .map(|i| match i {
                    2 => "{\"id\": \"bad-2\"}".to_string(),
                    _ => demo_line(&format!("case-{i}")),
                })
                .collect();
            let seen = SharedOut::default();
            let input = Conversation {
                lines,
                given: 0,
                seen: seen.clone(),
            };
            let summary = within(move || {
                // Buffered like the CLI's stdout: only a flush makes an answer visible.
                let output = io::BufWriter::with_capacity(1 << 16, seen);
                pipeline(input, output, None, workers, &calculate_json)
            })
            .unwrap();
            assert_eq!((summary.cases, summary.failed), (5, 1), "{workers} workers");
        }
    }

    #[test]
    fn a_panic_in_a_worker_is_raised_not_a_line_dropped() {
        let input: String = (0..500)
            .map(|i| format!("{{\"id\": \"line-{i}\"}}\n"))
            .collect();
        // One worker: the calling thread computes, and panics itself. Three: only the
        // spawned workers panic, so the panic has to be carried over to the calling thread;
        // the calling thread is slow until one has, or it might answer every line itself.
        for workers in [1, 3] {
            let input = input.clone();
            let caught = within(move || {
                let caller = thread::current().id();
                let panicked = std::sync::atomic::AtomicBool::new(false);
                let boom = |line: &str| {
                    if workers == 1 || thread::current().id() != caller {
                        panicked.store(true, Ordering::SeqCst);
                        panic!("boom");
                    }
                    // Not a wait: while the calling thread answers a chunk it hands no new
                    // ones to the workers, so it must finish this one.
                    if !panicked.load(Ordering::SeqCst) {
                        thread::sleep(Duration::from_millis(1));
                    }
                    calculate_json(line)
                };
                std::panic::catch_unwind(AssertUnwindSafe(|| {
                    pipeline(owned(&input), io::sink(), None, workers, &boom)
                }))
                .map_err(|payload| payload.downcast_ref::<&str>().copied())
            });
            assert_eq!(caught.err(), Some(Some("boom")), "{workers} workers");
        }
    }
}
