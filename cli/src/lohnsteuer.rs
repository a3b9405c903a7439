//! `elternkit lohnsteuer`: one computation from `NAME=VALUE` arguments, or a JSONL stream
//! from a file or stdin.
//!
//! The JSONL contract is stable (outside checks use it): one JSON object per input line with
//! the PAP's own input names as keys; one JSON object per output line with every output of the
//! version by its PAP name, as integers (cents). A bad line gives an error object on that line
//! (its `code` from the registry, its `problem` in the run's language) and processing goes
//! on; the exit status is 1 if any line failed.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use elternkit_lohnsteuer::{PapError, PapInput, PapOutput, PapVersion, compute};
use elternkit_model::{Lang, Template};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::codes;
use crate::error::{Arg, CliError};
use crate::out::{errln, outln};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  elternkit lohnsteuer --pap 2026 LZZ=2 STKL=1 RE4=300000\n  \
    (a monthly wage of 3 000.00 EUR in tax class I; amounts are in cents, as in the PAP)\n  \
    elternkit lohnsteuer --pap 2026 --jsonl wages.jsonl > results.jsonl"
)]
pub struct Args {
    /// PAP version: the XML file name without `Lohnsteuer` and `.xml` (see --versions).
    #[arg(long, required_unless_present = "versions")]
    pap: Option<String>,
    /// Read one JSON object per line from FILE (the one argument; stdin when omitted or
    /// `-`), write one result per line to stdout (a bad line gives
    /// `{"line": N, "error": {"key", "code", "problem"}}`).
    #[arg(long)]
    jsonl: bool,
    /// List the available PAP versions with their inputs and outputs.
    #[arg(long)]
    versions: bool,
    /// Language of the messages, the error `problem` texts and the summary (default: from
    /// ELTERNKIT_LANG, LC_ALL, LC_MESSAGES or LANG; German unless that is English).
    #[arg(long, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
    lang: Lang,
    /// Inputs as NAME=VALUE with the PAP's names (LZZ, RE4, STKL, KVZ, ...); others default.
    /// Each is checked against the range the PAP documents (STKL 1–6, LZZ 1–4, flags 0/1,
    /// amounts in whole non-negative cents, KVZ with two decimals, f in (0, 1]). With
    /// --jsonl: the one input FILE instead.
    #[arg(value_name = "NAME=VALUE | FILE")]
    inputs: Vec<String>,
}

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}

/// "must be …" after an invalid value whose range the PAP documents.
const MUST_BE: Template = Template {
    de: "erlaubt ist {expected}",
    en: "allowed is {expected}",
};
/// The summary of a JSONL run with failed lines.
const LINES_FAILED: Template = Template {
    de: "elternkit lohnsteuer: {failed} von {lines} Zeilen mit Fehlern: {which}",
    en: "elternkit lohnsteuer: {failed} of {lines} line(s) failed: {which}",
};
/// The hint for a second positional argument after `--jsonl`.
const ONE_FILE: Template = Template {
    de: "mit --jsonl gilt nur eine Eingabedatei",
    en: "--jsonl takes one input file",
};
/// The one-shot output's heading.
const PAP_HEADING: Template = Template {
    de: "PAP {version} ({file})",
    en: "PAP {version} ({file})",
};

pub fn run(args: &Args) -> Result<ExitCode> {
    if args.versions {
        // The listing is read by tools (xtask pap-diff): its labels are not translated.
        for v in PapVersion::ALL {
            let (file, _) = v.source();
            let inputs: Vec<_> = v.inputs().iter().map(|(n, _)| *n).collect();
            outln!("{:<20} {file}", v.name());
            outln!("    inputs:  {}", inputs.join(" "));
            outln!("    outputs: {}", v.outputs().join(" "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.pap.as_deref().unwrap_or_default();
    let version = parse_version(name)?;
    if args.jsonl {
        let path = match args.inputs.as_slice() {
            [] => Path::new("-"),
            [file] => Path::new(file.as_str()),
            [..] => Err(CliError::new(&codes::UNEXPECTED_ARGUMENT).hint(&ONE_FILE, None))?,
        };
        return run_jsonl(version, path, args.lang);
    }
    let mut input = PapInput::default();
    for arg in &args.inputs {
        let (key, value) = arg
            .split_once('=')
            .ok_or_else(|| CliError::new(&codes::NOT_NAME_VALUE))?;
        input
            .set_text(version, key.trim(), value)
            .map_err(|e| pap_error(version, &e).in_argument())?;
    }
    let output = compute(version, &input).map_err(|e| pap_error(version, &e).in_argument())?;
    let heading = crate::error::fill(
        PAP_HEADING.get(args.lang),
        &[
            ("version", version.name().to_string()),
            ("file", version.source().0.to_string()),
        ],
    );
    outln!("{heading}");
    for name in version.outputs() {
        if let Some(value) = output.get(name) {
            outln!(
                "{name:>10} = {:>14} ct  ({})",
                value,
                crate::out::euros(euros(value), args.lang)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_version(name: &str) -> Result<PapVersion, CliError> {
    PapVersion::from_name(name).ok_or_else(|| {
        let known: Vec<_> = PapVersion::ALL.iter().map(|v| v.name()).collect();
        CliError::new(&codes::UNKNOWN_PAP_VERSION).with("known", known.join(", "))
    })
}

fn euros(cents: Decimal) -> Decimal {
    (cents / Decimal::ONE_HUNDRED).round_dp(2)
}

fn run_jsonl(version: PapVersion, path: &Path, lang: Lang) -> Result<ExitCode> {
    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| CliError::io(path, &e))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    let mut lines = 0usize;
    let mut failed_lines: Vec<String> = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line = line.map_err(|e| CliError::io(path, &e))?;
        lines += 1;
        let response = match process_line(version, &line) {
            Ok(output) => render_output(version, &output),
            Err(LineError { key, error }) => {
                failed += 1;
                // The first 100 are enough to find them; the count says how many there are.
                if failed_lines.len() < 100 {
                    failed_lines.push((index + 1).to_string());
                }
                render_error(index + 1, key.as_deref(), &error, lang)
            }
        };
        writeln!(out, "{response}")?;
    }
    out.flush()?;
    if failed > 0 {
        if failed > failed_lines.len() {
            failed_lines.push("…".into());
        }
        let summary = crate::error::fill(
            LINES_FAILED.get(lang),
            &[
                ("failed", failed.to_string()),
                ("lines", lines.to_string()),
                ("which", failed_lines.join(", ")),
            ],
        );
        errln!("{summary}");
        return Ok(ExitCode::from(crate::exit::CONTENT));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a line has no result: the input it concerns and the error, whose message never
/// repeats the line's values (they are wages).
struct LineError {
    key: Option<String>,
    error: CliError,
}

/// A PAP error in the registry's terms: its code and a message that names the input and its
/// documented range, never the value.
fn pap_error(version: PapVersion, e: &PapError) -> CliError {
    match e {
        PapError::UnsupportedInput { name, version } => CliError::new(&codes::UNSUPPORTED_INPUT)
            .with("name", name)
            .with("version", version.name()),
        PapError::UnknownInput(_) => CliError::new(&codes::UNKNOWN_INPUT),
        PapError::InvalidInput { name, .. } => {
            let error = CliError::new(&codes::INVALID_PAP_VALUE).with("name", name);
            match version.documented_range(name) {
                Some(range) => error.hint(&MUST_BE, Some(range_text(range.expected()))),
                None => error,
            }
        }
        PapError::OutOfRange { name, expected } => CliError::new(&codes::OUT_OF_RANGE)
            .with("name", name)
            .with_arg(range_text(expected)),
        // A step of the programme itself: its kind, which holds no value.
        other => CliError::new(&codes::NOT_COMPUTABLE).with(
            "reason",
            match other {
                PapError::Precision(step) => format!("precision: {step}"),
                PapError::NonTerminating => "non_terminating".into(),
                PapError::DivisionByZero => "division_by_zero".into(),
                PapError::IndexOutOfBounds(_) => "index_out_of_bounds".into(),
                _ => "pap".into(),
            },
        ),
    }
}

/// The PAP's documented range (`PapError::OutOfRange::expected`, English in the core) as a
/// message argument in both languages.
fn range_text(expected: &str) -> Arg {
    Arg::localized("expected", range_in(expected, Lang::De), expected)
}

/// German for every documented range of the PAP crate (checked by a test over every input
/// of every version).
const RANGES_DE: &[(&str, &str)] = &[
    ("0 or 1", "0 oder 1"),
    ("a tax class from 1 to 6", "eine Steuerklasse von 1 bis 6"),
    (
        "1 (year), 2 (month), 3 (week) or 4 (day)",
        "1 (Jahr), 2 (Monat), 3 (Woche) oder 4 (Tag)",
    ),
    ("0, 1 or 2", "0, 1 oder 2"),
    (
        "a number of deductions from 0 to 4",
        "eine Zahl von Abschlägen von 0 bis 4",
    ),
    (
        "0 or a calendar year from 1900 to 2100",
        "0 oder ein Kalenderjahr von 1900 bis 2100",
    ),
    (
        "a number of months from 0 to 12",
        "eine Zahl von Monaten von 0 bis 12",
    ),
    (
        "0 (no religion) or a positive religion key",
        "0 (keine Religion) oder ein positiver Religionsschlüssel",
    ),
    (
        "a whole, non-negative number of cents",
        "eine ganze, nicht negative Zahl von Cent",
    ),
    (
        "a factor above 0 and at most 1 with up to three decimal places",
        "ein Faktor über 0 und höchstens 1 mit bis zu drei Nachkommastellen",
    ),
    (
        "a non-negative percentage with up to two decimal places",
        "ein nicht negativer Prozentsatz mit bis zu zwei Nachkommastellen",
    ),
    (
        "a non-negative number of child allowances with one decimal place",
        "eine nicht negative Zahl von Kinderfreibeträgen mit einer Nachkommastelle",
    ),
];

/// The range in `lang`: German from [`RANGES_DE`], else the PAP crate's English.
fn range_in(expected: &str, lang: Lang) -> &str {
    match lang {
        Lang::De => RANGES_DE
            .iter()
            .find(|(en, _)| *en == expected)
            .map_or(expected, |(_, de)| de),
        Lang::En => expected,
    }
}

fn process_line(version: PapVersion, line: &str) -> Result<PapOutput, LineError> {
    let value: Value = serde_json::from_str(line).map_err(|e| LineError {
        key: None,
        // serde_json's position, never the text.
        error: CliError::new(&codes::INVALID_JSON_LINE)
            .with("position", format!("{}:{}", e.line(), e.column())),
    })?;
    let Value::Object(map) = value else {
        return Err(LineError {
            key: None,
            error: CliError::new(&codes::NOT_AN_OBJECT),
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
                    error: CliError::new(&codes::INVALID_TYPE_LINE).with("name", key),
                });
            }
        };
        input.set_text(version, key, &text).map_err(|e| LineError {
            key: Some(key.clone()),
            error: pap_error(version, &e),
        })?;
    }
    compute(version, &input).map_err(|e| LineError {
        key: match &e {
            PapError::InvalidInput { name, .. } => Some(name.clone()),
            _ => None,
        },
        error: pap_error(version, &e),
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

fn render_error(line: usize, key: Option<&str>, error: &CliError, lang: Lang) -> String {
    serde_json::json!({
        "line": line,
        "error": { "key": key, "code": error.code.code, "problem": error.message(lang) }
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_whole_in_both_languages() {
        for m in [&MUST_BE, &LINES_FAILED, &ONE_FILE, &PAP_HEADING] {
            assert!(!m.de.is_empty() && !m.en.is_empty(), "{m:?}");
            assert_eq!(
                crate::codes::placeholders(m.de),
                crate::codes::placeholders(m.en),
                "{m:?}"
            );
        }
    }

    /// Every range the PAP crate documents, for every input of every version, has German.
    #[test]
    fn every_documented_range_has_german() {
        let mut seen = 0;
        for v in PapVersion::ALL {
            for (name, _) in v.inputs() {
                if let Some(range) = v.documented_range(name) {
                    let expected = range.expected();
                    assert_ne!(range_in(expected, Lang::De), expected, "{name}: {expected}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "{seen}");
    }

    #[test]
    fn a_range_error_is_german_or_english_without_the_value() {
        let v = PapVersion::from_name("2026").expect("2026");
        let mut input = PapInput::default();
        let e = input
            .set_text(v, "STKL", "7")
            .expect_err("7 is no tax class");
        let error = pap_error(v, &e);
        assert_eq!(error.code.code, "out_of_range");
        assert_eq!(
            error.message(Lang::De),
            "STKL: muss eine Steuerklasse von 1 bis 6 sein"
        );
        assert_eq!(
            error.message(Lang::En),
            "STKL: must be a tax class from 1 to 6"
        );
    }
}
