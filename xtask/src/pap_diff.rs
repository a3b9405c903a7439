//! `cargo xtask pap-diff`: the differential test of the generated PAP against an independent
//! implementation (LstGen's Python translation of the same XML, corrected to Java semantics by
//! `oracle/lstgen_oracle.py`), through the stable CLI contract `elternkit lohnsteuer --jsonl`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::pap::VERSIONS;

/// The LstGen release the oracle is pinned to.
pub const LSTGEN_VERSION: &str = "0.7.1";

/// The cache folder outside the repository (venv, generated oracle modules).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("ELTERNKIT_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("elternkit")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/elternkit")))
        .unwrap_or_else(|| PathBuf::from("/tmp/elternkit-cache"))
}

/// Creates the oracle's venv with `lstgen` if it is not there yet; returns its python.
pub fn setup_oracle() -> Result<PathBuf> {
    let venv = cache_dir().join(format!("lstgen-{LSTGEN_VERSION}-venv"));
    let python = venv.join("bin/python");
    let marker = venv.join(".installed");
    if marker.exists() {
        return Ok(python);
    }
    std::fs::create_dir_all(cache_dir())?;
    println!(
        "setting up the PAP oracle (lstgen {LSTGEN_VERSION}) in {}",
        venv.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        &format!("lstgen=={LSTGEN_VERSION}"),
    ]))?;
    std::fs::write(&marker, LSTGEN_VERSION)?;
    Ok(python)
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Options of one differential run.
#[derive(Debug, Clone)]
pub struct Options {
    pub records: usize,
    pub seed: u64,
    pub xml_dir: PathBuf,
    pub only: Option<String>,
}

/// Runs the comparison for every version; fails on any difference.
pub fn run_diff(root: &Path, opts: &Options) -> Result<()> {
    let python = setup_oracle()?;
    let oracle = root.join("xtask/oracle/lstgen_oracle.py");
    run(Command::new("cargo").current_dir(root).args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "elternkit-cli",
        // Without the demo's submission part: no tokio, axum or reqwest in this full-LTO
        // build (issue 19: keep CI within its limit).
        "--no-default-features",
    ]))?;
    let elternkit = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("release/elternkit");
    let mut total_diffs = 0usize;
    let mut total = 0usize;
    for (vi, version) in VERSIONS.iter().enumerate() {
        if opts.only.as_deref().is_some_and(|o| o != *version) {
            continue;
        }
        let started = Instant::now();
        let xml = opts.xml_dir.join(format!("Lohnsteuer{version}.xml"));
        let inputs = version_inputs(&elternkit, version)?;
        let mut rng = StdRng::seed_from_u64(opts.seed ^ ((vi as u64) << 32));
        let records: Vec<String> = (0..opts.records)
            .map(|_| random_record(&mut rng, version, &inputs))
            .collect();
        let payload = records.join("\n") + "\n";
        let ours = pipe(
            Command::new(&elternkit).args(["lohnsteuer", "--pap", version, "--jsonl"]),
            &payload,
        )?;
        let theirs = pipe(
            Command::new(&python)
                .arg(&oracle)
                .arg("--xml")
                .arg(&xml)
                .arg("--cache")
                .arg(cache_dir().join("lstgen-modules")),
            &payload,
        )?;
        let (ours, theirs): (Vec<_>, Vec<_>) = (ours.lines().collect(), theirs.lines().collect());
        if ours.len() != records.len() || theirs.len() != records.len() {
            bail!(
                "{version}: {} records in, {} lines from elternkit, {} from the oracle",
                records.len(),
                ours.len(),
                theirs.len()
            );
        }
        let mut diffs = 0usize;
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            let a: Value = serde_json::from_str(a)?;
            let b: Value = serde_json::from_str(b)?;
            if a != b {
                diffs += 1;
                if diffs <= 5 {
                    println!(
                        "  DIFF {version} #{i}\n    input:  {}\n    ours:   {a}\n    oracle: {b}",
                        records[i]
                    );
                }
            }
        }
        println!(
            "pap-diff {version:<20} {:>6} records, {diffs} differences ({:.1} s)",
            records.len(),
            started.elapsed().as_secs_f64()
        );
        total += records.len();
        total_diffs += diffs;
    }
    if total_diffs > 0 {
        bail!("{total_diffs} of {total} records differ from the oracle");
    }
    println!(
        "pap-diff: {total} records, 0 differences (seed {})",
        opts.seed
    );
    Ok(())
}

fn pipe(cmd: &mut Command, input: &str) -> Result<String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {cmd:?}"))?;
    let mut stdin = child.stdin.take().context("child stdin")?;
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("stdin writer panicked"))??;
    // elternkit exits 1 when a line failed; the comparison still reads every line.
    Ok(String::from_utf8(out.stdout)?)
}

/// The version's inputs, from the CLI's own listing (so xtask needs no link to the core).
fn version_inputs(elternkit: &Path, version: &str) -> Result<Vec<String>> {
    let out = Command::new(elternkit)
        .args(["lohnsteuer", "--versions"])
        .output()?;
    let text = String::from_utf8(out.stdout)?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.split_whitespace().next() == Some(version) {
            let inputs = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("inputs:"))
                .context("inputs line")?;
            return Ok(inputs.split_whitespace().map(String::from).collect());
        }
    }
    bail!("version {version} not listed by elternkit lohnsteuer --versions")
}

/// Cents of a yearly amount in euros for the period LZZ (1 year, 2 month, 3 week, 4 day).
fn per_period(yearly_cents: i64, lzz: i64) -> i64 {
    match lzz {
        1 => yearly_cents,
        2 => yearly_cents / 12,
        3 => yearly_cents * 7 / 360,
        _ => yearly_cents / 360,
    }
}

/// One random record over the dimensions that matter: every class, ZKF, church tax, the
/// KRV/ALV variants, PKV with PKPV, wages that are whole euros, near the Soli-Freigrenze and
/// the BBG, very high, and LZZ 1–4; pensions, other payments and allowances now and then.
fn random_record(rng: &mut StdRng, version: &str, inputs: &[String]) -> String {
    let year: i64 = version[..4].parse().unwrap_or(2026);
    let lzz = rng.random_range(1..=4i64);
    let stkl = rng.random_range(1..=6i64);
    let yearly_euros: i64 = match rng.random_range(0..100) {
        0..=29 => rng.random_range(0..120_000),
        30..=39 => rng.random_range(0..15_000),
        // Soli-Freigrenze region (tax of roughly 17 000–21 000 € a year).
        40..=54 => rng.random_range(60_000..140_000),
        // Around the BBGs of KV/PV and RV/AV.
        55..=69 => rng.random_range(55_000..110_000),
        70..=79 => rng.random_range(140_000..400_000),
        80..=84 => rng.random_range(400_000..5_000_000),
        _ => rng.random_range(0..200_000),
    };
    let mut yearly_cents = yearly_euros * 100;
    if rng.random_bool(0.5) {
        yearly_cents += rng.random_range(0..100);
    }
    let re4 = per_period(yearly_cents, lzz);
    let some = |rng: &mut StdRng, p: f64, max: i64| -> i64 {
        if rng.random_bool(p) && max > 0 {
            rng.random_range(0..=max)
        } else {
            0
        }
    };
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    let vbez = some(rng, 0.1, re4);
    let has_sonst = rng.random_bool(0.1);
    for name in inputs {
        let value = match name.as_str() {
            "LZZ" => lzz.to_string(),
            "STKL" => stkl.to_string(),
            "RE4" => re4.to_string(),
            "R" => rng.random_range(0..=1).to_string(),
            "KVZ" => {
                let basis_points = rng.random_range(0..=400);
                format!("\"{}.{:02}\"", basis_points / 100, basis_points % 100)
            }
            "KRV" => rng
                .random_range(0..=if year <= 2024 { 2 } else { 1 })
                .to_string(),
            "ALV" => rng.random_range(0..=1).to_string(),
            // Code 2 (private with employer subsidy) exists up to the 2025 PAP.
            "PKV" => (if rng.random_bool(0.2) {
                rng.random_range(1..=if year <= 2025 { 2 } else { 1 })
            } else {
                0
            })
            .to_string(),
            "PKPV" | "PKPVAGZ" => some(rng, 0.3, 120_000).to_string(),
            "PVS" => i64::from(rng.random_bool(0.1)).to_string(),
            "PVZ" => rng.random_range(0..=1).to_string(),
            "PVA" => rng.random_range(0..=4).to_string(),
            "ZKF" if stkl <= 4 => {
                let halves = rng.random_range(0..=12);
                format!("\"{}.{}\"", halves / 2, if halves % 2 == 1 { 5 } else { 0 })
            }
            "ZKF" => "0".into(),
            "af" => i64::from(stkl == 4 && rng.random_bool(0.5)).to_string(),
            "f" if stkl == 4 => format!("\"0.{}\"", rng.random_range(700..=999)),
            "f" => "1".into(),
            "LZZFREIB" | "LZZHINZU" => some(rng, 0.1, re4 / 2).to_string(),
            "ALTER1" => i64::from(rng.random_bool(0.1)).to_string(),
            "AJAHR" | "VJAHR" => rng.random_range(2000..=2060).to_string(),
            "ZMVB" => rng.random_range(1..=12).to_string(),
            "VBEZ" => vbez.to_string(),
            "VBEZM" if vbez > 0 => (per_period(vbez, 1) / 12).to_string(),
            "VBEZS" | "STERBE" | "VKAPA" | "VBS" | "VKVSONST" => {
                some(rng, 0.05, 500_000).to_string()
            }
            "JRE4" if has_sonst => yearly_cents.to_string(),
            "JVBEZ" if has_sonst => (vbez * 12).to_string(),
            "SONSTB" if has_sonst => rng.random_range(0..=2_000_000).to_string(),
            "JFREIB" | "JHINZU" | "SONSTENT" | "JRE4ENT" | "MBV" | "VMT" | "ENTSCH" => {
                some(rng, 0.05, 1_000_000).to_string()
            }
            _ => "0".into(),
        };
        fields.insert(name.as_str(), value);
    }
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}
