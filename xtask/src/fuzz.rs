//! `cargo xtask fuzz <target|all> --minutes N`: builds the AFL++ targets in `fuzz/` with
//! cargo-afl and runs them one after another (one fuzzer at a time: CI machines have two
//! cores), then prints AFL's own figures per target and fails if any crash or hang was
//! saved. Never part of `test-all`, which only checks that the targets compile.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

/// The `[[bin]]` targets of `fuzz/Cargo.toml`, each with a seed folder `fuzz/seeds/<name>`.
pub const TARGETS: [&str; 5] = ["manifest", "age_header", "signature", "open", "case_line"];

/// AFL++ settings for machines where we cannot tune the kernel (no root to change
/// `core_pattern` or the CPU governor) and where no terminal UI is wanted. A value already
/// in the environment wins.
const AFL_ENV: [(&str, &str); 4] = [
    ("AFL_SKIP_CPUFREQ", "1"),
    ("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1"),
    ("AFL_NO_UI", "1"),
    // An existing `fuzz/out/<target>` is resumed (its queue kept), not refused.
    ("AFL_AUTORESUME", "1"),
];

pub fn run(root: &Path, target: &str, minutes: u64) -> Result<()> {
    let targets: Vec<&str> = match target {
        "all" => TARGETS.to_vec(),
        t if TARGETS.contains(&t) => vec![t],
        other => bail!(
            "unknown fuzz target `{other}`; one of {} or `all`",
            TARGETS.join(", ")
        ),
    };
    ensure!(minutes >= 1, "--minutes must be at least 1");
    let fuzz = root.join("fuzz");
    let cargo = |args: &[&str]| -> Result<()> {
        let status = Command::new("cargo")
            .current_dir(&fuzz)
            .args(args)
            .status()
            .with_context(|| format!("running `cargo {}`", args.join(" ")))?;
        ensure!(status.success(), "`cargo {}` failed", args.join(" "));
        Ok(())
    };
    let has_afl = Command::new("cargo")
        .args(["afl", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    ensure!(
        has_afl,
        "cargo-afl is missing: `cargo install cargo-afl --locked && cargo afl config --build`"
    );
    // The harness tests show the seeds still reach the outcome their names say; a fuzzer
    // started from seeds that stop early explores nothing behind them.
    cargo(&["test", "--lib", "--locked"])?;
    let mut build = vec!["afl", "build", "--release", "--locked"];
    for t in &targets {
        build.extend(["--bin", t]);
    }
    cargo(&build)?;

    let out = fuzz.join("out");
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let seconds = (minutes * 60).to_string();
    let mut failed = Vec::new();
    for t in &targets {
        let log_path = out.join(format!("{t}.log"));
        let log = File::create(&log_path)?;
        let (seeds, dir, binary) = (
            format!("seeds/{t}"),
            format!("out/{t}"),
            format!("target/release/{t}"),
        );
        let args = [
            "afl", "fuzz", "-i", &seeds, "-o", &dir, "-V", &seconds, &binary,
        ];
        println!(
            "==> fuzz {t}: `cargo {}` for {minutes} min (log: {})",
            args.join(" "),
            log_path.display()
        );
        let mut command = Command::new("cargo");
        command
            .current_dir(&fuzz)
            .args(args)
            .stdout(log.try_clone()?)
            .stderr(log);
        for (key, value) in AFL_ENV {
            if std::env::var_os(key).is_none() {
                command.env(key, value);
            }
        }
        let status = command.status()?;
        ensure!(
            status.success(),
            "afl-fuzz for `{t}` failed; see {}",
            log_path.display()
        );
        let stats_path = out.join(t).join("default/fuzzer_stats");
        let stats = parse_stats(
            &fs::read_to_string(&stats_path)
                .with_context(|| format!("reading {}", stats_path.display()))?,
        );
        let field = |key: &str| stats.get(key).map_or("?", String::as_str);
        // AFL's counters add up over resumed runs, also for inputs already looked at and
        // removed; what is still in the folders is what needs looking at.
        let crashes = saved_inputs(&out.join(t).join("default/crashes"))?;
        let hangs = saved_inputs(&out.join(t).join("default/hangs"))?;
        println!(
            "==> fuzz {t}: {} s, {} executions ({} /s), corpus {}, coverage {}, stability {}, \
             {crashes} crashes, {hangs} hangs kept (AFL's totals over resumed runs: {}, {})",
            field("run_time"),
            field("execs_done"),
            field("execs_per_sec"),
            field("corpus_count"),
            field("bitmap_cvg"),
            field("stability"),
            field("saved_crashes"),
            field("saved_hangs"),
        );
        if crashes + hangs > 0 {
            failed.push(format!("fuzz/out/{t}/default/{{crashes,hangs}}"));
        }
    }
    ensure!(
        failed.is_empty(),
        "inputs that crash or hang were saved: {}; reproduce with \
         `fuzz/target/release/<target> < FILE`, minimise with `cargo afl tmin`",
        failed.join(", ")
    );
    Ok(())
}

/// The inputs AFL saved in `dir` (`id:…` files; AFL adds a README.txt). A missing folder
/// holds none.
fn saved_inputs(dir: &Path) -> Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut count = 0;
    for entry in entries {
        let name = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .file_name();
        count += usize::from(name.to_string_lossy().starts_with("id:"));
    }
    Ok(count)
}

/// `fuzzer_stats` is one `key : value` per line.
fn parse_stats(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_lines_parse() {
        let stats = parse_stats(
            "start_time        : 1796205419\nexecs_done        : 2433902\n\
             execs_per_sec     : 4056.48\ncommand_line      : afl-fuzz -i a -o b\n",
        );
        assert_eq!(stats["execs_done"], "2433902");
        assert_eq!(stats["execs_per_sec"], "4056.48");
        assert_eq!(stats["command_line"], "afl-fuzz -i a -o b");
    }

    /// Only AFL's `id:` files count, and a folder AFL has not made holds none.
    #[test]
    fn saved_inputs_are_the_id_files() {
        let dir = std::env::temp_dir().join(format!("xtask-fuzz-saved-{}", std::process::id()));
        assert_eq!(saved_inputs(&dir).expect("a missing folder reads"), 0);
        fs::create_dir_all(&dir).expect("temp folder");
        fs::write(dir.join("README.txt"), "afl").expect("write");
        assert_eq!(saved_inputs(&dir).expect("reads"), 0);
        fs::write(dir.join("id:000000,sig:06"), "x").expect("write");
        fs::write(dir.join("id:000001,sig:11"), "y").expect("write");
        assert_eq!(saved_inputs(&dir).expect("reads"), 2);
        fs::remove_dir_all(&dir).expect("clean up");
    }

    /// The list here, the `[[bin]]`s of `fuzz/Cargo.toml` and the seed folders agree.
    #[test]
    fn targets_match_the_fuzz_crate() {
        let root = crate::workspace_root().expect("root");
        let manifest =
            fs::read_to_string(root.join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml reads");
        let mut bins = Vec::new();
        let mut in_bin = false;
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_bin = line == "[[bin]]";
            } else if in_bin && let Some(name) = line.strip_prefix("name = ") {
                bins.push(name.trim_matches('"').to_owned());
            }
        }
        bins.sort();
        let mut listed: Vec<String> = TARGETS.iter().map(|t| (*t).to_owned()).collect();
        listed.sort();
        assert_eq!(bins, listed);
        for t in TARGETS {
            let seeds = fs::read_dir(root.join("fuzz/seeds").join(t))
                .unwrap_or_else(|e| panic!("fuzz/seeds/{t}: {e}"))
                .count();
            assert!(seeds > 0, "fuzz/seeds/{t} holds no seed");
        }
    }
}
