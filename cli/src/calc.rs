//! `elternkit calc`: the rules engine on `elternkit.case/1` JSON, printing `elternkit.result/1`.
//!
//! Stable contract: `calc CASE.json` (or `-` for stdin) prints one result; `calc --jsonl
//! [FILE]` reads one case per line from the file or stdin and writes one result per line in the same order. A bad case gives a result with
//! `errors` filled, never a crash, and the other lines go on; the exit status is 1 at the end if
//! any case had errors. Lines are computed on all cores, up to 32 at a time, and written in input
//! order. `--explain` writes the readable trace to stderr; `--no-explanation` leaves the
//! `explanation` steps out of the result lines (batch checks that need only the figures).

use crate::messages;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use elternkit_batch::calculate_jsonl;
use elternkit_model::{CaseResult, InputError, Lang};
use elternkit_rules::{CalcOptions, calculate_json_with, explain};

use crate::error::CliError;
use crate::out::{errln, outln};

mod progress;

#[derive(clap::Args, Debug)]
#[command(after_help = after_help())]
pub struct Args {
    /// The case file (`elternkit.case/1`), `-` for stdin; with --jsonl a file of one case
    /// per line (stdin when omitted).
    #[arg(required_unless_present = "jsonl", value_name = "FILE")]
    case: Option<PathBuf>,
    /// One case per line in, one result per line out (each with its input `line`).
    #[arg(long)]
    jsonl: bool,
    /// Print the step-by-step explanation to stderr.
    #[arg(long, conflicts_with = "no_explanation")]
    explain: bool,
    /// Leave the `explanation` steps out of the results (empty lists); every figure and
    /// reason stays. For batch checks: results are a third as long and written faster.
    #[arg(long)]
    no_explanation: bool,
    /// Language of the explanation, the error lines and the summary on stderr (default:
    /// from ELTERNKIT_LANG, LC_ALL, LC_MESSAGES or LANG; German unless that is English).
    #[arg(long, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
    lang: Lang,
    /// With --jsonl: show cases done and cases/s on stderr while running. Without this flag
    /// it shows by itself when stderr is a terminal and the run takes more than a second.
    #[arg(long, requires = "jsonl", conflicts_with = "no_progress")]
    progress: bool,
    /// With --jsonl: never show the progress line.
    #[arg(long, requires = "jsonl")]
    no_progress: bool,
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
        // Where the BEEG reads a title differently from the EStG, its reading too.
        if t.beeg_status != t.status {
            out.push_str(&format!("  {:<36} Elterngeld: {}\n", "", t.beeg_citation));
        }
    }
    out.push_str("\nExample: elternkit calc case.json --explain");
    out
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let english = args.lang == Lang::En;
    let options = CalcOptions {
        explanations: !args.no_explanation,
    };
    let stdin = Path::new("-");
    let path = args.case.as_deref().unwrap_or(stdin);
    if args.jsonl {
        let input: Box<dyn Read + Send> = if path == stdin {
            // Read on the engine's reader thread, which locks stdin per read.
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(path).map_err(|e| CliError::io(path, &e))?)
        };
        let read_failed = Arc::new(AtomicBool::new(false));
        let input = Watched {
            inner: input,
            failed: Arc::clone(&read_failed),
        };
        let mut explain = |result: &CaseResult| {
            // Only stderr can fail here; a closed stdout ends the run through the writer.
            let _ = crate::out::stderr(&explanation(result, english));
        };
        let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let on_result = if args.explain {
            Some(&mut explain as &mut dyn FnMut(&CaseResult))
        } else {
            None
        };
        let when = if args.progress {
            progress::When::Always
        } else if args.no_progress || !std::io::stderr().is_terminal() {
            progress::When::Never
        } else {
            progress::When::AfterASecond
        };
        let summary = if when == progress::When::Never {
            // No counting at all: the plain writer costs nothing extra.
            calculate_jsonl(input, out, options, on_result)
        } else {
            let mut counted = progress::Progress::new(out, when, args.lang);
            let summary = calculate_jsonl(input, &mut counted, options, on_result);
            counted.finish()?;
            summary
        }
        .map_err(|e| {
            // Text that is not UTF-8 is found while splitting lines, after a good read.
            if read_failed.load(Ordering::Relaxed) || e.kind() == std::io::ErrorKind::InvalidData {
                CliError::io(path, &e).into()
            } else {
                // stdout: a closed pipe ends the run quietly in `main`.
                anyhow::Error::from(e)
            }
        })?;
        if summary.failed > 0 {
            let t = |m: &'static elternkit_model::Template| m.get(args.lang);
            let mut lines: Vec<String> =
                summary.failed_lines.iter().map(usize::to_string).collect();
            if summary.failed > summary.failed_lines.len() {
                lines.push("…".into());
            }
            errln!(
                "elternkit calc: {} {} {} {}, {} {}",
                summary.failed,
                t(&messages::OF),
                summary.cases,
                t(&messages::CASES_WITH_ERRORS),
                if summary.failed == 1 {
                    t(&messages::LINE)
                } else {
                    t(&messages::LINES)
                },
                lines.join(", ")
            );
            return Ok(ExitCode::from(crate::exit::CONTENT));
        }
        return Ok(ExitCode::from(crate::exit::OK));
    }
    let text = read_text(path)?;
    let result = calculate_json_with(&text, options);
    if args.explain {
        crate::out::stderr(&explanation(&result, english))?;
    }
    outln!("{}", serde_json::to_string_pretty(&result)?);
    crate::out::stderr(&error_lines(path, &result.errors, args.lang))?;
    crate::out::stderr(&plan_lines(path, &result, args.lang))?;
    Ok(if !result.has_problems() {
        ExitCode::from(crate::exit::OK)
    } else {
        ExitCode::from(crate::exit::CONTENT)
    })
}

/// A reader that remembers whether a read failed, so an error of a batch run is put on the
/// input (named by its path) or on the output (a closed pipe, a full disk).
struct Watched<R> {
    inner: R,
    failed: Arc<AtomicBool>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner
            .read(buf)
            .inspect_err(|_| self.failed.store(true, Ordering::Relaxed))
    }
}

/// One `file:line:col: path: message [code]` line per error, like rustc (without a position
/// `file: path: …`), in the run's language; `<stdin>` for `-`.
pub fn error_lines(file: &Path, errors: &[InputError], lang: Lang) -> String {
    let file = if file == Path::new("-") {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let mut out = String::new();
    for e in errors {
        out.push_str(&file);
        if let (Some(line), Some(column)) = (e.line, e.column) {
            out.push_str(&format!(":{line}:{column}"));
        }
        if !e.path.is_empty() {
            out.push_str(&format!(": {}", e.path));
        }
        out.push_str(&format!(": {} [{}]\n", e.message_in(lang), e.code));
    }
    out
}

/// One `file: parents[*].plan: message [citation] [code]` line per § 4 problem of a plan
/// that is therefore not payable (issue 22), in the run's language.
pub fn plan_lines(file: &Path, result: &CaseResult, lang: Lang) -> String {
    let file = if file == Path::new("-") {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let mut out = String::new();
    for p in result.elterngeld.iter().flat_map(|e| &e.plan_problems) {
        let message = match lang {
            Lang::De => &p.message_de,
            Lang::En => &p.message_en,
        };
        out.push_str(&format!(
            "{file}: parents[*].plan: {message} [{}] [{}]\n",
            p.citation, p.code
        ));
    }
    if result.elterngeld.as_ref().is_some_and(|e| !e.payable) {
        out.push_str(&format!(
            "{file}: elterngeld: {}\n",
            messages::PLAN_NOT_PAYABLE.get(lang)
        ));
    }
    out
}

/// The whole text of a file, or of stdin for `-`; a file that cannot be read, or is not
/// UTF-8, is a [`CliError`] that names it.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(path)
    };
    text.map_err(|e| CliError::io(path, &e))
}

fn explanation(result: &CaseResult, english: bool) -> String {
    let mut text = String::new();
    if let Some(id) = &result.id {
        text.push_str(&format!("== {id}\n"));
    }
    if let Some(eg) = &result.elterngeld {
        text.push_str("Elterngeld\n");
        text.push_str(&explain::render(&eg.explanation, english));
        // A problem shows its code where a step shows its rule id: the key to look it up.
        for p in &eg.plan_problems {
            text.push_str(&format!(
                "  ! {} [{}; {}]\n",
                if english {
                    &p.message_en
                } else {
                    &p.message_de
                },
                p.citation,
                p.code
            ));
        }
    }
    if let Some(kg) = &result.kindergeld {
        text.push_str("Kindergeld\n");
        text.push_str(&explain::render(&kg.explanation, english));
    }
    for e in &result.errors {
        text.push_str(&format!(
            "  {} {}: {} [{}]\n",
            messages::ERROR_AT.get(if english { Lang::En } else { Lang::De }),
            e.path,
            e.message_in(if english { Lang::En } else { Lang::De }),
            e.code
        ));
    }
    text
}

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}
