//! The RFC 9421 request-signature check on arbitrary header values: the input is split at
//! the first three newlines into Signature-Input, Signature and Content-Digest; the rest is
//! the body (`elternkit_fuzz::signature`). A typed error, never a panic.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = elternkit_fuzz::signature(data);
    });
}
