//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.

mod bindings;
mod directory_dev;
mod fuzz;
mod generated;
mod jsonl_job;
mod layers;
mod pap;
mod pap_diff;
mod routing_data;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

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
    /// Everything CI runs: format, layering, lints, all tests, the generated-code checks, the
    /// PAP oracle; each step's time is printed.
    TestAll {
        /// Random records per PAP version in the differential test.
        #[arg(long, default_value_t = 2500)]
        pap_records: usize,
    },
    /// Check the crate layering: only allowed edges between our crates, pure crates pure.
    Layers,
    /// Generate the Kotlin and Swift bindings of `elternkit-ffi` into bindings/*/generated.
    Bindings {
        /// Compare with the committed files instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// The Kotlin tests on the JVM (kotlinc, JNA, JUnit) against the built library.
    TestKotlin,
    /// The Swift tests (XCTest) on Linux, in a cached Debian trixie chroot, as root.
    TestSwift,
    /// The stripped x86_64 release size of the FFI library, against the 8 MB budget.
    Size,
    /// Build ios/ElternKitFFI.xcframework (macOS with Xcode only).
    Xcframework,
    /// Build the AFL++ targets in `fuzz/` (cargo-afl) and run them one after another; prints
    /// executions, corpus, crashes and hangs per target. Not part of `test-all`.
    Fuzz {
        /// manifest, age_header, signature, open, or all.
        target: String,
        /// Minutes per target.
        #[arg(long, default_value_t = 10)]
        minutes: u64,
    },
    /// Generate the Lohnsteuer-PAP Rust modules from the BMF XML files.
    PapGen {
        /// Folder with the `LohnsteuerYYYY*.xml` files.
        #[arg(long, default_value = "../shared/pap")]
        xml_dir: PathBuf,
        /// Compare with the committed files instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// Derive the routing tables (postcodes, Kreise) in `core/data/` from the pinned packages.
    RoutingData {
        /// Compare with the committed tables instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// Write the development FSP/1 directory (and its signature) for the core's offices.
    DirectoryDev {
        /// Compare with the committed files instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// The whole job of `elternkit calc --jsonl` on one core (release binary, generated and
    /// public cases): CPU time per case with and without explanations. Not part of `test-all`.
    JsonlJob {
        /// Generated cases beside the 250 public ones.
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Runs per variant; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Write the results here instead of discarding them (the last run's).
        #[arg(long)]
        output: Option<PathBuf>,
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
        Cmd::TestAll { pap_records } => test_all(&root, pap_records),
        Cmd::Layers => layers::run(&root),
        Cmd::Bindings { check } => bindings::bindings(&root, check),
        Cmd::TestKotlin => bindings::test_kotlin(&root).map(drop),
        Cmd::TestSwift => bindings::test_swift(&root).map(drop),
        Cmd::Size => bindings::size(&root),
        Cmd::Xcframework => bindings::xcframework(&root),
        Cmd::Fuzz { target, minutes } => fuzz::run(&root, &target, minutes),
        Cmd::PapGen { xml_dir, check } => {
            let xml_dir = if xml_dir.is_absolute() {
                xml_dir
            } else {
                root.join(xml_dir)
            };
            pap::run(&root, &xml_dir, check)
        }
        Cmd::RoutingData { check } => routing_data::run(&root, check),
        Cmd::JsonlJob {
            cases,
            runs,
            output,
        } => jsonl_job::run(
            &root,
            &jsonl_job::Options {
                cases,
                runs,
                output,
            },
        ),
        Cmd::DirectoryDev { check } => directory_dev::run(&root, check),
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

/// One named check of `test-all`.
type Step<'a> = Box<dyn Fn() -> Result<()> + 'a>;

/// Runs every check in order and stops at the first failure, so the failing step is the last
/// thing printed. The closing line counts the steps.
fn test_all(root: &Path, pap_records: usize) -> Result<()> {
    let shared = root.join("../shared");
    if !shared.join("pap").is_dir() || !shared.join("cases").is_dir() {
        anyhow::bail!(
            "../shared (the PAP XML files and the public cases) is missing beside the checkout at {}; \
             the tests read it in place and cannot run without it",
            shared.display()
        );
    }
    let cargo = |args: &[&str]| -> Result<()> {
        let status = Command::new("cargo")
            .current_dir(root)
            .args(args)
            .status()?;
        anyhow::ensure!(status.success(), "`cargo {}` failed", args.join(" "));
        Ok(())
    };
    let xml_dir = shared.join("pap");
    let steps: Vec<(&str, Step<'_>)> = vec![
        (
            "format",
            Box::new(|| cargo(&["fmt", "--all", "--", "--check"])),
        ),
        ("crate layering", Box::new(|| layers::run(root))),
        (
            "clippy",
            Box::new(|| {
                cargo(&[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
            }),
        ),
        ("cargo test", Box::new(|| cargo(&["test", "--workspace"]))),
        (
            "fuzz targets compile (not run)",
            Box::new(|| {
                // Its own workspace (cargo-afl instruments everything it builds), so the
                // steps above do not see it; `cargo xtask fuzz` runs it.
                cargo(&[
                    "check",
                    "--manifest-path",
                    "fuzz/Cargo.toml",
                    "--all-targets",
                    "--locked",
                ])
                .context(
                    "the fuzz crate does not check; if cargo says fuzz/Cargo.lock needs an \
                     update (the workspace's dependencies changed), refresh it from the \
                     workspace's lock with `cp Cargo.lock fuzz/Cargo.lock && cargo metadata \
                     --manifest-path fuzz/Cargo.toml --format-version 1 >/dev/null`",
                )
            }),
        ),
        (
            "relay on PostgreSQL (throw-away cluster)",
            Box::new(|| {
                // scripts/with-postgres.sh installs Debian's server if missing, runs initdb
                // as a non-root user into a temp dir, listens on 127.0.0.1 and removes it.
                let status = Command::new("bash")
                    .current_dir(root)
                    .args([
                        "scripts/with-postgres.sh",
                        "cargo",
                        "test",
                        "-p",
                        "elternkit-agency",
                        "--features",
                        "postgres-tests",
                        "--test",
                        "it",
                        "pg::",
                    ])
                    .status()?;
                anyhow::ensure!(status.success(), "the PostgreSQL suite failed");
                Ok(())
            }),
        ),
        (
            "generated PAP code is current",
            Box::new(|| pap::run(root, &xml_dir, true)),
        ),
        (
            "routing tables match the pinned packages",
            Box::new(|| routing_data::run(root, true)),
        ),
        (
            "development directory matches the routing model",
            Box::new(|| directory_dev::run(root, true)),
        ),
        (
            "generated Kotlin and Swift bindings are current",
            Box::new(|| bindings::bindings(root, true)),
        ),
        (
            "Kotlin bindings on the JVM",
            Box::new(|| bindings::test_kotlin(root).map(drop)),
        ),
        (
            "Swift bindings on Linux",
            Box::new(|| bindings::test_swift(root).map(drop)),
        ),
        (
            "PAP against the independent oracle",
            Box::new(|| {
                pap_diff::run_diff(
                    root,
                    &pap_diff::Options {
                        records: pap_records,
                        seed: 20_261_123,
                        xml_dir: xml_dir.clone(),
                        only: None,
                    },
                )
            }),
        ),
    ];
    let total = steps.len();
    let started = Instant::now();
    for (i, (name, step)) in steps.iter().enumerate() {
        println!("==> test-all [{}/{total}] {name}", i + 1);
        let step_started = Instant::now();
        let outcome = step();
        println!(
            "==> test-all [{}/{total}] {name}: {} in {:.1} s",
            i + 1,
            if outcome.is_ok() { "ok" } else { "FAILED" },
            step_started.elapsed().as_secs_f64()
        );
        if let Err(err) = outcome {
            println!("test-all: {i} passed, 1 failed");
            return Err(err.context(format!("test-all step `{name}` failed")));
        }
    }
    println!(
        "==> test-all: all {total} steps in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("test-all: {total} passed, 0 failed");
    Ok(())
}
