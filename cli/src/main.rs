//! `elternkit`: the command-line face of the ElternKit core.

mod bundle;
mod calc;
mod codes;
mod demo;
#[cfg(feature = "submit")]
mod demo_submit;
mod draft;
mod error;
mod lohnsteuer;
mod messages;
mod out;
mod plan;

use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use elternkit_model::Lang;

use crate::error::CliError;

#[derive(Parser, Debug)]
#[command(
    name = "elternkit",
    version,
    about = "ElternKit: Elterngeld, Kindergeld and the birth registration in one application",
    after_help = EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The whole flow on an embedded example family (no files needed).
    Demo(demo::Args),
    /// Compute Elterngeld and Kindergeld for a case (`elternkit.case/1` → `elternkit.result/1`).
    Calc(calc::Args),
    /// Run the BMF Lohnsteuer-PAP (wage tax, Soli, church-tax base) of a given version.
    Lohnsteuer(lohnsteuer::Args),
    /// The Elterngeld month plan of both parents: amounts, § 4 problems with fixes, and the
    /// best plan (`--optimize`).
    Plan(plan::Args),
    /// The three applications of a case: what is ready, missing, to upload, deadlines.
    Bundle(bundle::Args),
    /// Offline drafts in the encrypted store: new, save, list, show, delete, export, import.
    Draft(draft::Args),
    /// Every error code with its German and English message or meaning (docs/ERRORS.md).
    Errors(codes::Args),
}

/// The exit codes of every subcommand (also in `--help` and cli/README.md).
pub mod exit {
    /// Done; every case computed without errors.
    pub const OK: u8 = 0;
    /// The input was read, but a case (or line, or draft) has errors: see the result's
    /// `errors` and the `file:line:col: path: message` lines on stderr.
    pub const CONTENT: u8 = 1;
    /// Usage error (unknown option, missing argument) or input that cannot be read or
    /// opened (missing file, not a draft database, damaged key).
    pub const USAGE: u8 = 2;
    /// `draft save`: the draft was changed elsewhere since the given version.
    pub const CONFLICT: u8 = 3;
}

const EXIT_CODES_HELP: &str = "Exit codes (every subcommand):
  0  ok
  1  content errors: a case, line or draft has errors (one `file:line:col: path: message`
     line per error on stderr; the JSON result still goes to stdout)
  2  usage error, or input that cannot be read (missing file, not a database, bad key)
  3  draft conflict: the draft changed since the version given to `draft save`

A closed output pipe (`elternkit demo | head -1`) ends the run quietly with 0.
Every FILE argument also accepts `-` for stdin.
Every error line ends in its code, e.g. [file_not_found]; `elternkit errors` lists them all.
Language: --lang, else ELTERNKIT_LANG, else the locale (English for en…, else German).";

/// The default of `--lang`: `ELTERNKIT_LANG`, else the locale's language (`LC_ALL`, then
/// `LC_MESSAGES`, then `LANG`, the first one set, as POSIX orders them); English for `en…`,
/// else German.
fn locale_lang() -> &'static str {
    let locale = ["ELTERNKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    if locale.starts_with("en") { "en" } else { "de" }
}

/// The language of a run whose arguments clap refused: `--lang en`/`--lang=en` where it
/// stands (the last one wins, as in clap), else the default of `--lang`.
fn lang_before_parsing(args: &[std::ffi::OsString]) -> Lang {
    let mut lang = locale_lang();
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        match value {
            Some("en") => lang = "en",
            Some("de") => lang = "de",
            _ => {}
        }
    }
    lang_of(lang)
}

/// `en` as English, anything else as German.
fn lang_of(name: &str) -> Lang {
    if name == "en" { Lang::En } else { Lang::De }
}

/// `--lang`: the model's [`Lang`], named `de` and `en` on the command line.
fn lang_parser() -> impl TypedValueParser<Value = Lang> {
    // The possible values admit only these two names.
    PossibleValuesParser::new(["de", "en"]).map(|name| match name.as_str() {
        "en" => Lang::En,
        _ => Lang::De,
    })
}

impl Command {
    /// The language of the run, for the errors `main` prints.
    fn lang(&self) -> Lang {
        match self {
            Command::Calc(args) => args.lang(),
            Command::Demo(args) => args.lang(),
            Command::Lohnsteuer(args) => args.lang(),
            Command::Draft(args) => args.lang(),
            Command::Bundle(args) => args.lang(),
            Command::Plan(args) => args.lang(),
            Command::Errors(args) => args.lang(),
        }
    }
}

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err, &argv),
    };
    let lang = cli.command.lang();
    let result = match cli.command {
        Command::Calc(args) => calc::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Lohnsteuer(args) => lohnsteuer::run(&args),
        Command::Draft(args) => draft::run(&args),
        Command::Bundle(args) => bundle::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Errors(args) => codes::run(&args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output has all it wanted.
        Err(err) if out::is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            let err = match err.downcast::<CliError>() {
                Ok(known) => known,
                Err(other) => unexpected(&other),
            };
            // If stderr is gone too there is nobody left to tell.
            let _ = out::stderr(&err.render(lang));
            ExitCode::from(err.exit())
        }
    }
}

/// clap's refusal of the arguments in the run's language (exit 2); help and version as
/// clap prints them (exit 0, or 2 for the help shown instead of a missing command).
fn usage_error(err: &clap::Error, argv: &[std::ffi::OsString]) -> ExitCode {
    match CliError::from_clap(err, &command_path(argv)) {
        Some(e) => {
            let _ = out::stderr(&e.render(lang_before_parsing(argv)));
            ExitCode::from(e.exit())
        }
        None => {
            // A closed pipe while printing help is no error either.
            let _ = err.print();
            ExitCode::from(if err.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            })
        }
    }
}

/// The subcommands named in the arguments, `elternkit draft new`, for "see --help".
fn command_path(argv: &[std::ffi::OsString]) -> String {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut path = vec!["elternkit".to_string()];
    for word in argv.iter().skip(1).filter_map(|a| a.to_str()) {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        command = sub;
    }
    path.join(" ")
}

/// An error no subcommand gave a code: an I/O error is located where it can be (stdout),
/// anything else is ours to fix.
fn unexpected(err: &anyhow::Error) -> CliError {
    if let Some(io) = err.chain().find_map(|c| c.downcast_ref::<std::io::Error>()) {
        return CliError::io(std::path::Path::new("<stdout>"), io);
    }
    CliError::new(&codes::INTERNAL_ERROR).with("reason", format!("{err:#}"))
}
