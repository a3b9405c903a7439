//! One line of `elternkit calc --jsonl` on arbitrary bytes: the direct case reader must read
//! what serde_json reads, and the batch must answer one JSON line, never panic.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = elternkit_fuzz::case_line(data);
    });
}
