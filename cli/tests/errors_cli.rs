//! Issue 22, errors and the command line as people meet them, run through the real binary:
//! a closed pipe, the exit-code table, `-` and file arguments, and the error lines on stderr.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;
#[path = "common/temp_dir.rs"]
mod temp_dir;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::elternkit;
use temp_dir::TempDir;

const DEMO_CASE: &str = include_str!("../src/demo_case.json");

/// Runs `elternkit ARGS` with stdout (and with `stderr_too` also stderr) on a pipe whose
/// reading end is closed before the program starts, so its first write fails with EPIPE
/// every time, as when `head -1` has read its line and gone.
fn with_closed_stdout(args: &[&str], stdin: Option<&Path>, stderr_too: bool) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_elternkit"));
    cmd.args(args);
    if stderr_too {
        cmd.stderr(Stdio::from(writer.try_clone().unwrap()));
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(Stdio::from(writer));
    match stdin {
        Some(path) => cmd.stdin(std::fs::File::open(path).unwrap()),
        None => cmd.stdin(Stdio::null()),
    };
    cmd.output().unwrap()
}

fn assert_quiet_success(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo case on one line, `n` times.
fn demo_lines(n: usize) -> String {
    let line = serde_json::from_str::<serde_json::Value>(DEMO_CASE)
        .unwrap()
        .to_string();
    format!("{line}\n").repeat(n)
}

#[test]
fn demo_into_a_closed_pipe_ends_quietly() {
    assert_quiet_success(&with_closed_stdout(&["demo"], None, false));
    assert_quiet_success(&with_closed_stdout(&["demo", "--json"], None, false));
}

#[test]
fn calc_explain_into_a_closed_pipe_ends_quietly() {
    let tmp = TempDir::new("pipe-explain");
    let case = tmp.file("case.json", DEMO_CASE);
    // `calc X --explain 2>&1 | head -1`: stderr is the closed pipe as well.
    let out = with_closed_stdout(&["calc", &case, "--explain"], None, true);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn calc_jsonl_into_a_closed_pipe_ends_quietly() {
    let tmp = TempDir::new("pipe-jsonl");
    let input = tmp.file("cases.jsonl", demo_lines(200));
    let out = with_closed_stdout(&["calc", "--jsonl"], Some(Path::new(&input)), false);
    assert_quiet_success(&out);
    let out = with_closed_stdout(&["calc", "--jsonl", &input], None, false);
    assert_quiet_success(&out);
}

#[test]
fn help_prints_the_exit_code_table() {
    let out = elternkit(&["--help"], "");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for row in [
        "0  ok",
        "1  content errors",
        "2  usage error",
        "3  draft conflict",
    ] {
        assert!(help.contains(row), "{row:?} missing in:\n{help}");
    }
}

#[test]
fn calc_reads_stdin_for_dash_and_a_file_with_jsonl() {
    let out = elternkit(&["calc", "-"], DEMO_CASE);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "elternkit.result/1");

    let tmp = TempDir::new("jsonl-file");
    let input = tmp.file("cases.jsonl", demo_lines(3));
    let out = elternkit(&["calc", "--jsonl", &input], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);

    // A file that cannot be read is exit 2 and names the file.
    let missing = tmp.0.join("missing.json");
    let out = elternkit(&["calc", missing.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
}

#[test]
fn bundle_exits_1_where_calc_does() {
    // The rules have no Kindergeld amounts for 2022: calc reports an error for this case.
    let case = DEMO_CASE
        .replace("\"2026-", "\"2022-")
        .replace("\"2025-", "\"2021-");
    let tmp = TempDir::new("bundle-exit");
    let file = tmp.file("case.json", &case);
    let calc = elternkit(&["calc", &file], "");
    assert_eq!(calc.status.code(), Some(1), "{calc:?}");
    let bundle = elternkit(&["bundle", &file], "");
    assert_eq!(bundle.status.code(), Some(1), "{bundle:?}");
    // Invalid JSON, too.
    let broken = tmp.file("broken.json", "{\"schema\":");
    assert_eq!(elternkit(&["calc", &broken], "").status.code(), Some(1));
    assert_eq!(elternkit(&["bundle", &broken], "").status.code(), Some(1));
    // And the demo case, fine in both.
    let good = tmp.file("good.json", DEMO_CASE);
    assert_eq!(elternkit(&["calc", &good], "").status.code(), Some(0));
    assert_eq!(elternkit(&["bundle", &good], "").status.code(), Some(0));
}

/// Issue 22: a plan that breaks § 4 BEEG never yields a payable total. The demo plan with
/// Basis for p2 in Lebensmonat 15 (after the 14th, § 4 Abs. 1 S. 3) is computed, but `calc`
/// shows no amount, says why with the citation on stderr and exits 1; `bundle` shows no
/// amount to expect and exits 1 too; `--jsonl` counts the line as failed.
#[test]
fn an_invalid_plan_is_never_payable() {
    let case = DEMO_CASE.replacen(
        r#""basis", "basis"]"#,
        r#""basis", "basis", "none", "none", "basis"]"#,
        1,
    );
    assert_ne!(case, DEMO_CASE, "the demo's p2 plan changed shape");
    let tmp = TempDir::new("invalid-plan");
    let file = tmp.file("case.json", &case);
    let calc = elternkit(&["calc", "--no-explanation", &file], "");
    assert_eq!(calc.status.code(), Some(1), "{calc:?}");
    let result: serde_json::Value = serde_json::from_slice(&calc.stdout).unwrap();
    let eg = &result["elterngeld"];
    assert_eq!(eg["payable"], false);
    assert_eq!(eg["plan_problems"][0]["code"], "basis_after_limit");
    for p in eg["parents"].as_array().unwrap() {
        assert_eq!(p["total"], "0.00", "{p}");
        assert!(p["reasons"].to_string().contains("plan_not_payable"));
    }
    let stderr = String::from_utf8_lossy(&calc.stderr);
    assert!(
        stderr.contains("case.json: parents[*].plan: ")
            && stderr.contains("[§ 4 Abs. 1 S. 3 BEEG] [basis_after_limit]"),
        "{stderr}"
    );
    let bundle = elternkit(&["bundle", "--json", &file], "");
    assert_eq!(bundle.status.code(), Some(1), "{bundle:?}");
    let bundle: serde_json::Value = serde_json::from_slice(&bundle.stdout).unwrap();
    let elterngeld = bundle["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("elterngeldstelle"))
        })
        .expect("the Elterngeld application");
    assert!(elterngeld["benefit"].is_null(), "{elterngeld}");
    let line = case.replace('\n', "");
    let jsonl = elternkit(
        &["calc", "--jsonl", "--no-explanation"],
        &format!("{line}\n"),
    );
    assert_eq!(jsonl.status.code(), Some(1), "{jsonl:?}");
    let stderr = String::from_utf8_lossy(&jsonl.stderr);
    // German by default (the tests run with the C locale).
    assert!(
        stderr.contains("1 von 1 Fällen mit Fehlern, Zeile 1"),
        "{stderr}"
    );
    // The valid demo plan stays payable.
    let good = elternkit(
        &[
            "calc",
            "--no-explanation",
            &tmp.file("good.json", DEMO_CASE),
        ],
        "",
    );
    let good: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    assert_eq!(good["elterngeld"]["payable"], true);
}

#[test]
fn draft_history_of_an_unknown_id_is_an_error_and_bad_json_is_exit_1() {
    let tmp = TempDir::new("draft");
    let db = tmp.0.join("d.db");
    let key = tmp.0.join("k.key");
    let draft = |args: &[&str], stdin: &str| {
        let mut all = vec!["draft"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--db", db.to_str().unwrap()]);
        all.extend_from_slice(&["--key-file", key.to_str().unwrap()]);
        elternkit(&all, stdin)
    };
    let created = draft(&["new", "-"], DEMO_CASE);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let id = String::from_utf8_lossy(&created.stdout).trim().to_owned();
    let known = draft(&["history", &id], "");
    assert_eq!(known.status.code(), Some(0), "{known:?}");
    let unknown = draft(&["history", "0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00"], "");
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00")
    );
    // Not JSON: a content error, exit 1 as in `calc`.
    let bad = draft(&["new", "-"], "{ not json");
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
}

#[test]
fn a_bad_single_case_names_file_line_column_and_path_on_stderr() {
    let tmp = TempDir::new("located");
    let case = DEMO_CASE.replacen("\"postal_code\"", "\"postcode\"", 1);
    let file = tmp.file("typo.json", &case);
    for cmd in ["calc", "bundle"] {
        let out = elternkit(&[cmd, &file, "--lang", "en"], "");
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.contains("household.postcode"))
            .unwrap_or_else(|| panic!("{cmd}: {stderr}"));
        // file:line:col: path: message [code]
        let rest = line.strip_prefix(&format!("{file}:")).unwrap();
        let mut parts = rest.splitn(3, ':');
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
        assert!(
            line.ends_with(
                "household.postcode: unknown field; did you mean `postal_code`? [unknown_field]"
            ),
            "{line}"
        );
    }
    // The JSON result stays on stdout.
    let out = elternkit(&["calc", &file], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["code"], "unknown_field");
    // German with --lang de (the default), and `<stdin>` for `-`.
    let out = elternkit(&["calc", "-"], &case);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("<stdin>:"), "{stderr}");
    assert!(stderr.contains("unbekanntes Feld"), "{stderr}");
}

#[test]
fn jsonl_results_carry_their_line_and_the_summary_names_the_failing_lines() {
    let good = demo_lines(1);
    let input = format!("{good}{{\"id\":\"bad\"}}\n{good}{good}not json\n");
    let out = elternkit(&["calc", "--jsonl", "--no-explanation"], &input);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = lines.iter().map(|v| v["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // German by default (the locale is C), English with --lang en.
    assert!(
        stderr.contains("2 von 5 Fällen mit Fehlern, Zeilen 2, 5"),
        "{stderr}"
    );
    let out = elternkit(
        &["calc", "--jsonl", "--no-explanation", "--lang", "en"],
        &input,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 of 5 case(s) with errors, lines 2, 5"),
        "{stderr}"
    );
}

/// No error output, on stdout or stderr, repeats a Steuer-ID or a name from the input.
#[test]
fn error_output_never_repeats_a_value_of_the_input() {
    let tmp = TempDir::new("private");
    let variants = [
        DEMO_CASE.replacen("\"28195\"", "10762903845", 1),
        DEMO_CASE.replacen("\"28195\"", "\"Marta\"", 1),
        DEMO_CASE.replacen(
            "\"postal_code\": \"28195\"",
            "\"postal_code\": [\"Marta\"]",
            1,
        ),
        DEMO_CASE.replacen("\"DE\"", "10762903845", 1),
        DEMO_CASE.replacen("\"2026-01-05\"", "\"Marta\"", 1),
        DEMO_CASE.replacen("\"2026-01-05\"", "\"10762903845\"", 1),
        DEMO_CASE.replacen("{", "{\"Marta\": 10762903845,", 1),
    ];
    for (i, case) in variants.iter().enumerate() {
        assert_ne!(case, DEMO_CASE, "variant {i} changed nothing");
        let file = tmp.file(&format!("case{i}.json"), case);
        for args in [
            vec!["calc", file.as_str()],
            vec!["bundle", file.as_str(), "--json"],
        ] {
            let out = elternkit(&args, "");
            assert_eq!(out.status.code(), Some(1), "{args:?} {out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let errors = if args[0] == "calc" {
                stdout["errors"].to_string()
            } else {
                stdout["problems"].to_string()
            };
            for marker in ["10762903845", "Marta"] {
                assert!(!stderr.contains(marker), "{args:?}: {stderr}");
                assert!(!errors.contains(marker), "{args:?}: {errors}");
            }
        }
    }
}
