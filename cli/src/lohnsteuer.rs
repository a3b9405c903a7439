//! `elternkit lohnsteuer`: one computation from `NAME=VALUE` arguments, or a JSONL stream.
//!
//! The JSONL contract is stable (outside checks use it): one JSON object per input line with
//! the PAP's own input names as keys; one JSON object per output line with every output of the
//! version by its PAP name, as integers (cents). A bad line gives an error object on that line
//! and processing goes on; the exit status is 1 if any line failed.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use elternkit_lohnsteuer::{PapError, PapInput, PapOutput, PapVersion, compute};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::out::{errln, outln};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example: elternkit lohnsteuer --pap 2026 LZZ=2 STKL=1 RE4=300000\n\
    (a monthly wage of 3 000.00 EUR in tax class I; amounts are in cents, as in the PAP)"
)]
pub struct Args {
    /// PAP version: the XML file name without `Lohnsteuer` and `.xml` (see --versions).
    #[arg(long, required_unless_present = "versions")]
    pap: Option<String>,
    /// Read one JSON object per line from stdin, write one result per line to stdout (a bad
    /// line gives `{"line": N, "error": {"key", "code", "problem"}}`).
    #[arg(long, conflicts_with = "inputs")]
    jsonl: bool,
    /// List the available PAP versions with their inputs and outputs.
    #[arg(long)]
    versions: bool,
    /// Inputs as NAME=VALUE with the PAP's names (LZZ, RE4, STKL, KVZ, ...); others default.
    /// Each is checked against the range the PAP documents (STKL 1–6, LZZ 1–4, flags 0/1,
    /// amounts in whole non-negative cents, KVZ with two decimals, f in (0, 1]).
    inputs: Vec<String>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    if args.versions {
        for v in PapVersion::ALL {
            let (file, _) = v.source();
            let inputs: Vec<_> = v.inputs().iter().map(|(n, _)| *n).collect();
            outln!("{:<20} {file}", v.name());
            outln!("    inputs:  {}", inputs.join(" "));
            outln!("    outputs: {}", v.outputs().join(" "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.pap.as_deref().context("--pap is required")?;
    let version = parse_version(name)?;
    if args.jsonl {
        return run_jsonl(version);
    }
    let mut input = PapInput::default();
    for arg in &args.inputs {
        let (key, value) = arg
            .split_once('=')
            .context("an input is not of the form NAME=VALUE, e.g. RE4=300000")?;
        input.set_text(version, key.trim(), value)?;
    }
    let output = compute(version, &input)?;
    outln!("PAP {} ({})", version.name(), version.source().0);
    for name in version.outputs() {
        if let Some(value) = output.get(name) {
            outln!("{name:>10} = {:>14} ct  ({} EUR)", value, euros(value));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_version(name: &str) -> Result<PapVersion> {
    match PapVersion::from_name(name) {
        Some(v) => Ok(v),
        None => {
            let known: Vec<_> = PapVersion::ALL.iter().map(|v| v.name()).collect();
            bail!("unknown PAP version {name:?}; known: {}", known.join(", "))
        }
    }
}

fn euros(cents: Decimal) -> Decimal {
    (cents / Decimal::ONE_HUNDRED).round_dp(2)
}

fn run_jsonl(version: PapVersion) -> Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    let mut failed_lines: Vec<String> = Vec::new();
    for (index, line) in stdin.lines().enumerate() {
        let line = line.context("reading stdin")?;
        let response = match process_line(version, &line) {
            Ok(output) => render_output(version, &output),
            Err(LineError { key, code, problem }) => {
                failed += 1;
                // The first 100 are enough to find them; the count says how many there are.
                if failed_lines.len() < 100 {
                    failed_lines.push((index + 1).to_string());
                }
                render_error(index + 1, key.as_deref(), code, &problem)
            }
        };
        writeln!(out, "{response}")?;
    }
    out.flush()?;
    if failed > 0 {
        if failed > failed_lines.len() {
            failed_lines.push("…".into());
        }
        errln!(
            "elternkit lohnsteuer: {failed} line(s) failed: {}",
            failed_lines.join(", ")
        );
        return Ok(ExitCode::from(crate::exit::CONTENT));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a line has no result: the input it concerns, a stable code and a message that never
/// repeats the line's values (they are wages).
struct LineError {
    key: Option<String>,
    code: &'static str,
    problem: String,
}

/// The stable code of a PAP error.
fn pap_code(e: &PapError) -> &'static str {
    match e {
        PapError::UnsupportedInput { .. } => "unsupported_input",
        PapError::UnknownInput(_) => "unknown_input",
        PapError::InvalidInput { .. } => "invalid_value",
        PapError::OutOfRange { .. } => "out_of_range",
        _ => "not_computable",
    }
}

fn process_line(version: PapVersion, line: &str) -> Result<PapOutput, LineError> {
    let value: Value = serde_json::from_str(line).map_err(|e| LineError {
        key: None,
        code: "invalid_json",
        // serde_json's syntax errors name the position only, never the text.
        problem: format!("not valid JSON: {e}"),
    })?;
    let Value::Object(map) = value else {
        return Err(LineError {
            key: None,
            code: "not_an_object",
            problem: "expected a JSON object of PAP inputs".into(),
        });
    };
    let mut input = PapInput::default();
    for (key, value) in &map {
        // Numbers are read as written (exact decimals); the ranges refuse a fraction or an
        // exponent where the PAP wants a whole number.
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => {
                return Err(LineError {
                    key: Some(key.clone()),
                    code: "invalid_type",
                    problem: "expected a number or a decimal string".into(),
                });
            }
        };
        input.set_text(version, key, &text).map_err(|e| LineError {
            key: Some(key.clone()),
            code: pap_code(&e),
            problem: e.to_string(),
        })?;
    }
    compute(version, &input).map_err(|e| LineError {
        key: match &e {
            PapError::InvalidInput { name, .. } => Some(name.clone()),
            _ => None,
        },
        code: pap_code(&e),
        problem: e.to_string(),
    })
}

fn render_output(version: PapVersion, output: &PapOutput) -> String {
    let fields: Vec<String> = version
        .outputs()
        .iter()
        .filter_map(|name| {
            output
                .get(name)
                .map(|v| format!("\"{name}\":{}", v.normalize()))
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

fn render_error(line: usize, key: Option<&str>, code: &str, problem: &str) -> String {
    serde_json::json!({
        "line": line,
        "error": { "key": key, "code": code, "problem": problem }
    })
    .to_string()
}
