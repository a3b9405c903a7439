//! Converts the parameter files (`params/*.toml`, the reviewed source) to JSON in `OUT_DIR`,
//! which the crate embeds and reads with serde_json: the library then carries no TOML
//! parser (~160 KB of the phone library, issue 21). Same data, same field names.

use std::path::Path;

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["elterngeld", "kindergeld"] {
        let source = format!("params/{name}.toml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).expect("a parameter file");
        let json = toml_to_json(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .expect("writing to OUT_DIR");
    }
}

/// The TOML document as JSON. TOML dates would not survive the conversion (serde hands them
/// over as a private table), so the files write dates as strings and any other is refused.
fn toml_to_json(text: &str) -> Result<String, String> {
    let value: serde_json::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    if value.to_string().contains("$__toml_private_datetime") {
        return Err("a TOML date or time; write dates as strings \"YYYY-MM-DD\"".into());
    }
    Ok(value.to_string())
}
