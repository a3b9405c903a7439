//! Converts the Elterngeld offices' model (`core/data/elterngeld.toml`, generated and
//! reviewed as TOML) to JSON in `OUT_DIR`, which the crate embeds and reads with serde_json:
//! the library then carries no TOML parser (issue 21). Same data, same field names.

use std::path::Path;

fn main() {
    let source = "../data/elterngeld.toml";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("core/data/elterngeld.toml");
    let value: serde_json::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("core/data/elterngeld.toml: {e}"));
    let json = value.to_string();
    // TOML dates would arrive as serde's private table; the file writes none.
    assert!(
        !json.contains("$__toml_private_datetime"),
        "core/data/elterngeld.toml: a TOML date or time; write dates as strings"
    );
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("elterngeld.json"), json).expect("writing to OUT_DIR");
}
