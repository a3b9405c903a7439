//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.

mod pap;
mod pap_diff;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(about = "ElternKit project automation")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Generate the Lohnsteuer-PAP Rust modules from the BMF XML files.
    PapGen {
        /// Folder with the `LohnsteuerYYYY*.xml` files.
        #[arg(long, default_value = "../shared/pap")]
        xml_dir: PathBuf,
        /// Compare with the committed files instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// Compare every PAP version with the independent oracle on random inputs.
    PapDiff {
        /// Random records per version.
        #[arg(long, default_value_t = 2500)]
        records: usize,
        /// Seed of the input generator (fixed by default, so a failure reproduces).
        #[arg(long, default_value_t = 20_261_123)]
        seed: u64,
        /// Folder with the `LohnsteuerYYYY*.xml` files.
        #[arg(long, default_value = "../shared/pap")]
        xml_dir: PathBuf,
        /// Only this version.
        #[arg(long)]
        only: Option<String>,
    },
}

fn workspace_root() -> Result<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives one folder below the workspace root")
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = workspace_root()?;
    match cli.command {
        Cmd::PapGen { xml_dir, check } => {
            let xml_dir = if xml_dir.is_absolute() {
                xml_dir
            } else {
                root.join(xml_dir)
            };
            pap::run(&root, &xml_dir, check)
        }
        Cmd::PapDiff {
            records,
            seed,
            xml_dir,
            only,
        } => {
            let xml_dir = if xml_dir.is_absolute() {
                xml_dir
            } else {
                root.join(xml_dir)
            };
            pap_diff::run_diff(
                &root,
                &pap_diff::Options {
                    records,
                    seed,
                    xml_dir,
                    only,
                },
            )
        }
    }
}
