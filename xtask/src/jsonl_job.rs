//! `cargo xtask jsonl-job`: the whole job of `elternkit calc --jsonl` as a user meets it, on
//! one core: the release binary started once per run, reading generated cases and the public
//! ones, parsing, computing, writing every result line. Reported as CPU time per case (the
//! child's user + system time from `/proc/self/stat`), the median of several runs, with and
//! without explanations. The in-process figure beside it is `cargo bench -p elternkit-batch
//! --bench json_single_core`.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

#[path = "../../core/batch/tests/generated/mod.rs"]
mod generated;

/// Options of one measurement.
pub struct Options {
    /// Generated cases beside the 250 public ones.
    pub cases: usize,
    /// Runs per variant; the median is reported.
    pub runs: usize,
    /// Write the results to this file instead of discarding them.
    pub output: Option<std::path::PathBuf>,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
    let status = Command::new("cargo")
        .current_dir(root)
        .args(["build", "--release", "--locked", "-p", "elternkit-cli"])
        .status()?;
    anyhow::ensure!(status.success(), "building the release CLI failed");
    let binary = root.join("target/release/elternkit");

    let mut input = generated::cases(options.cases);
    let public = generated::public_lines(&root.join("../shared/cases/public"))
        .map_err(anyhow::Error::msg)?;
    for line in public {
        input.push_str(&line);
        input.push('\n');
    }
    let lines = input.lines().count();
    let dir = root.join("target/jsonl-job");
    fs::create_dir_all(&dir)?;
    let input_path = dir.join("cases.jsonl");
    fs::write(&input_path, &input)?;
    drop(input);

    println!(
        "{lines} cases ({} generated + the public ones), one core (taskset -c 0), {} runs each",
        options.cases, options.runs
    );
    for (label, flag) in [
        ("no explanations", Some("--no-explanation")),
        ("with explanations", None),
    ] {
        let mut per_case = Vec::with_capacity(options.runs);
        for _ in 0..options.runs {
            let before = children_cpu_seconds()?;
            let output = match &options.output {
                Some(path) => Stdio::from(fs::File::create(path)?),
                None => Stdio::null(),
            };
            let mut command = Command::new("taskset");
            command
                .args(["-c", "0"])
                .arg(&binary)
                .args(["calc", "--jsonl", "--no-progress"]);
            command.args(flag);
            let status = command
                .stdin(fs::File::open(&input_path)?)
                .stdout(output)
                .stderr(Stdio::null())
                .status()
                .context("running taskset (util-linux) with the CLI")?;
            // Exit 1 means some cases have content problems (plan rules): still a full run.
            anyhow::ensure!(
                matches!(status.code(), Some(0 | 1)),
                "the CLI failed: {status}"
            );
            let seconds = children_cpu_seconds()? - before;
            per_case.push(seconds / lines as f64 * 1e6);
        }
        per_case.sort_by(f64::total_cmp);
        let median = per_case[per_case.len() / 2];
        println!(
            "{label}: {median:.1} µs CPU per case (median; runs {})",
            per_case
                .iter()
                .map(|v| format!("{v:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// User + system CPU seconds of this process's waited-for children (`cutime` + `cstime`,
/// fields 16 and 17 of `/proc/self/stat`, in clock ticks of 1/100 s on Linux).
fn children_cpu_seconds() -> Result<f64> {
    let stat = fs::read_to_string("/proc/self/stat").context("reading /proc/self/stat (Linux)")?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("unexpected /proc/self/stat")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3, so field n is at index n - 3.
    let ticks = |n: usize| -> Result<f64> {
        Ok(fields
            .get(n - 3)
            .context("unexpected /proc/self/stat")?
            .parse::<f64>()?)
    };
    Ok((ticks(16)? + ticks(17)?) / 100.0)
}
