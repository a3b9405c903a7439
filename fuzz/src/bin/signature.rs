//! The RFC 9421 request-signature check on arbitrary header values: the input is split at
//! the first two newlines into Signature-Input, Signature and Content-Digest; the rest is
//! the body. A typed error, never a panic.
use elternkit_submit::httpsig::{Received, check_content_digest, verify_request};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let mut parts = text.splitn(4, '\n');
        let input = parts.next();
        let signature = parts.next();
        let digest = parts.next();
        let body = parts.next().unwrap_or_default();
        let request = Received {
            method: "PUT",
            target_uri: "http://127.0.0.1:8080/submissions/0b7e4bbd-2d0a-4b8e-9d6b-4b1f0c2d9e01",
            content_digest: digest,
            signature_input: input,
            signature,
        };
        let _ = verify_request(&request, 1_800_000_000);
        if let Some(d) = digest {
            let _ = check_content_digest(d, body.as_bytes());
        }
    });
}
