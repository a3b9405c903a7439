//! Converts the routing models written and reviewed as TOML (`core/data/elterngeld.toml`,
//! `core/data/familienkasse.toml`) to JSON in `OUT_DIR`, which the crate embeds and reads
//! with serde_json: the library then carries no TOML parser (issue 21). Same data, same
//! field names.

use std::path::Path;

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["elterngeld", "familienkasse"] {
        let source = format!("../data/{name}.toml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let value: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        let json = value.to_string();
        // TOML dates would arrive as serde's private table; the files write none.
        assert!(
            !json.contains("$__toml_private_datetime"),
            "{source}: a TOML date or time; write dates as strings"
        );
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .expect("writing to OUT_DIR");
    }
}
