//! The relay's age header shape check on arbitrary ciphertexts: a problem, never a panic.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = elternkit_agency::relay::check_age_header(data);
    });
}
