//! `elternkit`: the command-line face of the ElternKit core.

mod bundle;
mod calc;
mod demo;
mod draft;
mod lohnsteuer;

use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use elternkit_model::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "elternkit",
    version,
    about = "ElternKit: Elterngeld, Kindergeld and the birth registration in one application"
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
    /// The three applications of a case: what is ready, missing, to upload, deadlines.
    Bundle(bundle::Args),
    /// Offline drafts in the encrypted store: new, save, list, show, delete, export, import.
    Draft(draft::Args),
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
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("elternkit: {err:#}");
            ExitCode::from(2)
        }
    }
}
