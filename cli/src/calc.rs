//! `elternkit calc`: the rules engine on `elternkit.case/1` JSON, printing `elternkit.result/1`.
//!
//! Stable contract: `calc CASE.json` prints one result; `calc --jsonl` reads one case per line
//! from stdin and writes one result per line in the same order. A bad case gives a result with
//! `errors` filled, never a crash, and the other lines go on; the exit status is 1 at the end if
//! any case had errors. Lines are computed on all cores, up to 32 at a time, and written in input
//! order. `--explain` writes the readable trace to stderr; `--no-explanation` leaves the
//! `explanation` steps out of the result lines (batch checks that need only the figures).

use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use elternkit_batch::calculate_jsonl;
use elternkit_model::{CaseResult, Lang};
use elternkit_rules::{CalcOptions, calculate_json_with, explain};

#[derive(clap::Args, Debug)]
#[command(after_help = after_help())]
pub struct Args {
    /// The case file (`elternkit.case/1`); omit with --jsonl.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    case: Option<PathBuf>,
    /// Read one case per line from stdin, write one result per line.
    #[arg(long)]
    jsonl: bool,
    /// Print the step-by-step explanation to stderr.
    #[arg(long, conflicts_with = "no_explanation")]
    explain: bool,
    /// Leave the `explanation` steps out of the results (empty lists); every figure and
    /// reason stays. For batch checks: results are a third as long and written faster.
    #[arg(long)]
    no_explanation: bool,
    /// Language of the explanation.
    #[arg(long, default_value = "de", value_parser = crate::lang_parser())]
    lang: Lang,
}

/// The example and the residence-title vocabulary of `parents[].residence_title`, from the
/// rules' table (the same list as docs/RESIDENCE_TITLES.md), with the statute each follows.
fn after_help() -> String {
    let mut out = String::from(
        "Residence titles (parents[].residence_title; an unknown id is an input error, details \
         in docs/RESIDENCE_TITLES.md):\n",
    );
    for t in elternkit_rules::residence::RESIDENCE_TITLES {
        out.push_str(&format!("  {:<36} {}\n", t.name, t.citation));
    }
    out.push_str("\nExample: elternkit calc case.json --explain");
    out
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let english = args.lang == Lang::En;
    let options = CalcOptions {
        explanations: !args.no_explanation,
    };
    if args.jsonl {
        let mut explain = |result: &CaseResult| print_explanation(result, english);
        let summary = calculate_jsonl(
            // Read on the engine's reader thread, which locks stdin per read.
            std::io::stdin(),
            BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            options,
            if args.explain {
                Some(&mut explain)
            } else {
                None
            },
        )
        .context("reading cases from stdin or writing results")?;
        if summary.failed > 0 {
            eprintln!(
                "elternkit calc: {} of {} case(s) with errors",
                summary.failed, summary.cases
            );
            return Ok(ExitCode::from(1));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let path = args.case.as_ref().context("a case file is required")?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let result = calculate_json_with(&text, options);
    if args.explain {
        print_explanation(&result, english);
    }
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(if result.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_explanation(result: &CaseResult, english: bool) {
    let mut text = String::new();
    if let Some(id) = &result.id {
        text.push_str(&format!("== {id}\n"));
    }
    if let Some(eg) = &result.elterngeld {
        text.push_str("Elterngeld\n");
        text.push_str(&explain::render(&eg.explanation, english));
        for p in &eg.plan_problems {
            text.push_str(&format!(
                "  ! {} [{}]\n",
                if english {
                    &p.message_en
                } else {
                    &p.message_de
                },
                p.citation
            ));
        }
    }
    if let Some(kg) = &result.kindergeld {
        text.push_str("Kindergeld\n");
        text.push_str(&explain::render(&kg.explanation, english));
    }
    for e in &result.errors {
        text.push_str(&format!("  error at {}: {}\n", e.path, e.message));
    }
    eprint!("{text}");
}
