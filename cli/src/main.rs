//! `elternkit`: the command-line face of the ElternKit core.

mod bundle;
mod calc;
mod demo;
#[cfg(feature = "submit")]
mod demo_submit;
mod draft;
mod lohnsteuer;
mod messages;
mod out;
mod plan;

use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use elternkit_model::Lang;

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
Every FILE argument also accepts `-` for stdin.";

/// The default of `--lang`: the locale's language (`LC_ALL`, then `LC_MESSAGES`, then
/// `LANG`, the first one set, as POSIX orders them), English for `en…`, else German.
fn locale_lang() -> &'static str {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    if locale.starts_with("en") { "en" } else { "de" }
}

/// `--lang`: the model's [`Lang`], named `de` and `en` on the command line.
fn lang_parser() -> impl TypedValueParser<Value = Lang> {
    // The possible values admit only these two names.
    PossibleValuesParser::new(["de", "en"]).map(|name| match name.as_str() {
        "en" => Lang::En,
        _ => Lang::De,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Calc(args) => calc::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Lohnsteuer(args) => lohnsteuer::run(&args),
        Command::Draft(args) => draft::run(&args),
        Command::Bundle(args) => bundle::run(&args),
        Command::Plan(args) => plan::run(&args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output has all it wanted.
        Err(err) if out::is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            // If stderr is gone too there is nobody left to tell.
            let _ = out::stderr(&format!("elternkit: {err:#}\n"));
            ExitCode::from(exit::USAGE)
        }
    }
}
