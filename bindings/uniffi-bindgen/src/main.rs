//! The `uniffi-bindgen` command at exactly the UniFFI version the FFI crate links, so the
//! generated Kotlin and Swift always match the library's checksums and ABI.

fn main() {
    uniffi::uniffi_bindgen_main()
}
