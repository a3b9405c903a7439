//! `cargo xtask pap-gen`: BMF Lohnsteuer-PAP XML → Rust in `core/lohnsteuer/src/generated/`.

mod emit;
mod expr;
mod model;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// The versions the project generates, by XML file name without `Lohnsteuer`/`.xml`.
/// A new year: add its name here, place the XML beside the others, run `cargo xtask pap-gen`.
pub const VERSIONS: [&str; 11] = [
    "2021",
    "2022_stand2021-11",
    "2022",
    "2023_stand2022-11",
    "2023",
    "2023AbJuli",
    "2024",
    "2024Dezember",
    "2025_stand2024-11",
    "2025",
    "2026",
];

/// Where the generated modules live, relative to the workspace root.
pub const OUT_DIR: &str = "core/lohnsteuer/src/generated";

/// All generated files as (path relative to the workspace, formatted content).
pub fn generate(xml_dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut paps = Vec::new();
    for version in VERSIONS {
        let file_name = format!("Lohnsteuer{version}.xml");
        let path = xml_dir.join(&file_name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let text = String::from_utf8(bytes).with_context(|| format!("{file_name} is not UTF-8"))?;
        let pap = model::parse(&text).with_context(|| format!("parsing {file_name}"))?;
        paps.push((version, file_name, sha256, pap));
    }
    let mut files = Vec::new();
    let mut infos = Vec::new();
    for (version, file_name, sha256, pap) in &paps {
        let (module, variant) = emit::names_for(version);
        let code = emit::version_module(pap, version, file_name, sha256)
            .with_context(|| format!("generating {file_name}"))?;
        files.push((
            Path::new(OUT_DIR).join(format!("{module}.rs")),
            rustfmt(&code)?,
        ));
        infos.push(emit::VersionInfo {
            version: version.to_string(),
            module,
            variant,
            pap,
        });
    }
    let registry = emit::registry_module(&infos)?;
    files.push((Path::new(OUT_DIR).join("mod.rs"), rustfmt(&registry)?));
    Ok(files)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rustfmt(code: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running rustfmt (is the rustfmt component installed?)")?;
    child
        .stdin
        .take()
        .context("rustfmt stdin")?
        .write_all(code.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "rustfmt rejected generated code:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Writes the generated files, or with `check` compares them and fails on any difference.
pub fn run(root: &Path, xml_dir: &Path, check: bool) -> Result<()> {
    let files = generate(xml_dir)?;
    let mut stale = crate::generated::write_or_check(
        root,
        files.iter().map(|(rel, content)| (rel, content)),
        check,
    )?;
    // A generated file whose version was removed from VERSIONS must not linger.
    let expected: Vec<_> = files.iter().map(|(rel, _)| root.join(rel)).collect();
    if let Ok(entries) = std::fs::read_dir(root.join(OUT_DIR)) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") && !expected.contains(&path) {
                if check {
                    stale.push(format!("{} (no longer generated)", path.display()));
                } else {
                    std::fs::remove_file(&path)?;
                    println!("removed {}", path.display());
                }
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "generated PAP code differs from {}: {}\nrun `cargo xtask pap-gen` and commit the result",
            xml_dir.display(),
            stale.join(", ")
        );
    }
    if check {
        println!(
            "pap-gen: {} generated files match {}",
            files.len(),
            xml_dir.display()
        );
    }
    Ok(())
}
