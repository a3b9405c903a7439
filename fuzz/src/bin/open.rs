//! The agency's inbox (`Opener::open`) on a submission built from arbitrary bytes: the
//! manifest, the payload and the attachments as a sender of its own choosing makes them
//! (see `OpenHarness::run` for the input format). A typed error, never a panic.
fn main() {
    let harness = elternkit_fuzz::OpenHarness::new();
    afl::fuzz!(|data: &[u8]| {
        let _ = harness.run(data);
    });
}
