//! Issue 22, the rest of the error surface, through the real binary: clap's usage errors
//! and the I/O errors in the run's language with their codes, `draft` and `lohnsteuer` in
//! both languages, `lohnsteuer --jsonl FILE`, rule ids in `--explain`, and the registry.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;
#[path = "common/temp_dir.rs"]
mod temp_dir;

use std::process::{Command, Output, Stdio};

use common::{elternkit, elternkit_env};
use temp_dir::TempDir;

const DEMO_CASE: &str = include_str!("../src/demo_case.json");

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The first line of stderr, which carries the message and the code.
fn first_line(out: &Output) -> String {
    stderr(out).lines().next().unwrap_or_default().to_owned()
}

#[test]
fn an_unknown_option_is_german_by_default_and_english_on_request() {
    let out = elternkit(&["calc", "--jsnl"], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        first_line(&out),
        "elternkit: unbekannte Option `--jsnl`; meinten Sie `--jsonl`?; \
         `elternkit calc --help` zeigt alle Optionen [unknown_argument]"
    );
    assert!(
        stderr(&out).contains("\n  Aufruf: elternkit calc"),
        "{}",
        stderr(&out)
    );
    let english = "elternkit: unknown option `--jsnl`; did you mean `--jsonl`?; \
                   `elternkit calc --help` shows every option [unknown_argument]";
    for (args, env) in [
        (vec!["calc", "--jsnl", "--lang", "en"], vec![]),
        (vec!["calc", "--lang=en", "--jsnl"], vec![]),
        (vec!["calc", "--jsnl"], vec![("ELTERNKIT_LANG", "en")]),
        (vec!["calc", "--jsnl"], vec![("LANG", "en_GB.UTF-8")]),
    ] {
        let out = elternkit_env(&args, "", &env);
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}");
        assert_eq!(first_line(&out), english, "{args:?} {env:?}");
        assert!(stderr(&out).contains("\n  Usage: elternkit calc"));
    }
    // --lang on the command line wins over the environment.
    let out = elternkit_env(
        &["calc", "--jsnl", "--lang", "de"],
        "",
        &[("ELTERNKIT_LANG", "en")],
    );
    assert!(first_line(&out).contains("unbekannte Option"), "{out:?}");
}

#[test]
fn every_kind_of_usage_error_has_its_code_and_says_how_to_fix_it() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["clac"],
            "elternkit: unknown command `clac`; did you mean `calc`?",
            "[unknown_command]",
        ),
        (
            &["calc"],
            "elternkit: `<FILE>` is missing",
            "[missing_argument]",
        ),
        (
            &["calc", "x.json", "--lang", "fr"],
            "elternkit: invalid value for `--lang <LANG>`; possible values: `de`, `en`; \
             `elternkit calc --help` shows every option",
            "[invalid_argument_value]",
        ),
        (
            &["draft", "save", "x", "y", "--version", "many"],
            "elternkit: invalid value for `--version <N>`; \
             `elternkit draft save --help` shows every option",
            "[invalid_argument_value]",
        ),
        (
            &["calc", "x.json", "--explain", "--no-explanation"],
            "elternkit: `--explain` cannot be used with `--no-explanation`",
            "[conflicting_arguments]",
        ),
        (
            &["lohnsteuer", "LZZ=1"],
            "elternkit: `--pap <PAP>` is missing",
            "[missing_argument]",
        ),
    ];
    for (args, start, code) in cases {
        let mut all = args.to_vec();
        all.extend(["--lang", "en"]);
        // `--lang fr` must stay the last --lang to be refused.
        if args.contains(&"fr") {
            all = args.to_vec();
        }
        let out = elternkit_env(&all, "", &[("ELTERNKIT_LANG", "en")]);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {out:?}");
        let line = first_line(&out);
        assert!(line.starts_with(start), "{all:?}: {line}");
        assert!(line.ends_with(code), "{all:?}: {line}");
        assert!(line.contains("--help"), "{all:?}: {line}");
    }
    // A value the user typed is never repeated: it may be a name or a Steuer-ID.
    for args in [
        vec!["calc", "x.json", "Marta"],
        vec!["calc", "x.json", "--lang", "Marta"],
        vec!["draft", "save", "x", "y", "--version", "10762903845x"],
    ] {
        let out = elternkit(&args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = stderr(&out);
        assert!(
            !text.contains("Marta") && !text.contains("10762903845"),
            "{args:?}: {text}"
        );
    }
    let out = elternkit(&["calc", "x.json", "Marta"], "");
    assert!(first_line(&out).ends_with("[unexpected_argument]"));
}

#[test]
fn help_and_version_stay_as_clap_prints_them() {
    let out = elternkit(&["calc", "--help"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: elternkit calc"));
    let out = elternkit(&["--version"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("elternkit "));
    // No command at all: the help on stderr, a usage error.
    let out = elternkit(&[], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage: elternkit <COMMAND>"));
}

#[test]
fn io_errors_name_the_path_and_carry_a_typed_code() {
    let tmp = TempDir::new("io");
    let missing = tmp.0.join("missing.json");
    let missing = missing.to_str().unwrap();
    for cmd in ["calc", "bundle", "plan"] {
        let out = elternkit(&[cmd, missing], "");
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert_eq!(
            stderr(&out),
            format!(
                "elternkit: {missing}: Datei nicht gefunden; bitte den Pfad prüfen \
                 (`-` liest die Standardeingabe) [file_not_found]\n"
            ),
            "{cmd}"
        );
        let out = elternkit(&[cmd, missing, "--lang", "en"], "");
        assert_eq!(
            stderr(&out),
            format!(
                "elternkit: {missing}: file not found; check the path (`-` reads standard \
                 input) [file_not_found]\n"
            ),
            "{cmd}"
        );
    }
    let out = elternkit(&["calc", "--jsonl", missing], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(first_line(&out).ends_with("[file_not_found]"));

    let dir = tmp.0.to_str().unwrap();
    let out = elternkit(&["calc", dir, "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("elternkit: {dir}: is a folder; give a file [is_a_directory]\n")
    );

    // Latin-1 "Müller": not UTF-8, from a file and from stdin.
    let latin1 = tmp.file("latin1.json", b"{\"name\": \"M\xfcller\"}");
    let out = elternkit(&["calc", &latin1], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "elternkit: {latin1}: kein UTF-8-Text; bitte die Datei als UTF-8 speichern \
             [not_utf8]\n"
        )
    );
    let out = Command::new(env!("CARGO_BIN_EXE_elternkit"))
        .args(["calc", "-", "--lang", "en"])
        .stdin(std::fs::File::open(&latin1).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("elternkit: <stdin>: not UTF-8 text"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new("perm");
    let file = tmp.file("locked.json", DEMO_CASE.as_bytes());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = elternkit(&["calc", &file, "--lang", "en"], "");
    // A superuser reads the file anyway: then it is computed, which is right too.
    if std::fs::read(&file).is_ok() {
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        return;
    }
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "elternkit: {file}: permission denied; check the permissions of the file and its \
             folder [permission_denied]\n"
        )
    );
}

/// `lohnsteuer --jsonl` reads a file argument as well as stdin, with the same results;
/// `-` is stdin; a missing file is exit 2 with its code.
#[test]
fn lohnsteuer_jsonl_reads_a_file_as_well_as_stdin() {
    let tmp = TempDir::new("lst");
    let input = "{\"LZZ\":1,\"STKL\":1,\"RE4\":3000000,\"KVZ\":\"2.9\"}\n\
                 {\"LZZ\":1,\"STKL\":7,\"RE4\":3000000}\n";
    let file = tmp.file("wages.jsonl", input.as_bytes());
    let from_stdin = elternkit(&["lohnsteuer", "--pap", "2026", "--jsonl"], input);
    let from_dash = elternkit(&["lohnsteuer", "--pap", "2026", "--jsonl", "-"], input);
    let from_file = elternkit(&["lohnsteuer", "--pap", "2026", "--jsonl", &file], "");
    for out in [&from_stdin, &from_dash, &from_file] {
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert_eq!(out.stdout, from_stdin.stdout);
        assert_eq!(
            stderr(out),
            "elternkit lohnsteuer: 1 von 2 Zeilen mit Fehlern: 2\n"
        );
    }
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&from_file.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["LSTLZZ"], 229_400);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "out_of_range");
    assert_eq!(
        lines[1]["error"]["problem"],
        "STKL: muss eine Steuerklasse von 1 bis 6 sein"
    );
    let english = elternkit(
        &[
            "lohnsteuer",
            "--pap",
            "2026",
            "--jsonl",
            &file,
            "--lang",
            "en",
        ],
        "",
    );
    let second: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&english.stdout)
            .lines()
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        second["error"]["problem"],
        "STKL: must be a tax class from 1 to 6"
    );
    assert_eq!(
        stderr(&english),
        "elternkit lohnsteuer: 1 of 2 line(s) failed: 2\n"
    );

    let missing = tmp.0.join("none.jsonl");
    let out = elternkit(
        &[
            "lohnsteuer",
            "--pap",
            "2026",
            "--jsonl",
            missing.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(first_line(&out).ends_with("[file_not_found]"), "{out:?}");
    let out = elternkit(
        &["lohnsteuer", "--pap", "2026", "--jsonl", &file, &file],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        first_line(&out).ends_with("[unexpected_argument]"),
        "{out:?}"
    );
}

#[test]
fn lohnsteuer_messages_follow_lang() {
    let line = "{\"LZZ\":1,\"STKL\":1,\"ALV\":1,\"RE4\":100}\n[1]\n{\"RE4\":true}\n";
    let run = |lang: &str| {
        let out = elternkit(
            &["lohnsteuer", "--pap", "2025", "--jsonl", "--lang", lang],
            line,
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| {
                (
                    v["error"]["code"].as_str().unwrap().to_owned(),
                    v["error"]["problem"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let de = run("de");
    let en = run("en");
    let codes: Vec<&str> = de.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        ["unsupported_input", "not_an_object", "invalid_type"]
    );
    assert_eq!(de[0].1, "ALV: gibt es im PAP 2025 nicht; bitte weglassen");
    assert_eq!(en[0].1, "ALV: not an input of PAP 2025; leave it out");
    assert!(de[1].1.starts_with("erwartet ein JSON-Objekt"), "{de:?}");
    assert!(en[2].1.starts_with("RE4: expected a number"), "{en:?}");
    // The one-shot output in German number format.
    let out = elternkit(
        &[
            "lohnsteuer",
            "--pap",
            "2024",
            "LZZ=2",
            "STKL=1",
            "RE4=300000",
            "KVZ=1.7",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(322,08 €)"));
}

#[test]
fn draft_messages_follow_lang() {
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
    let out = draft(&["list", "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "elternkit: {}: no draft database; nothing was created. Check --db or \
             ELTERNKIT_DB (`elternkit draft new` creates one) [no_database]\n",
            db.display()
        )
    );
    let created = draft(&["new", "-"], DEMO_CASE);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let id = String::from_utf8_lossy(&created.stdout).trim().to_owned();
    let out = draft(&["show", "not-an-id"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "elternkit: `not-an-id` ist keine Entwurfs-ID; IDs sehen so aus: \
         0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00 (`elternkit draft list`) [invalid_draft_id]\n"
    );
    let out = draft(&["show", &id, "--version", "7", "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        first_line(&out).contains(&format!("draft {id} has no version 7"))
            && first_line(&out).ends_with("[version_not_found]"),
        "{out:?}"
    );
    let conflict = draft(
        &["save", &id, "-", "--version", "0", "--lang", "en"],
        DEMO_CASE,
    );
    assert_eq!(conflict.status.code(), Some(3), "{conflict:?}");
    assert!(first_line(&conflict).ends_with("[draft_conflict]"));
    assert!(
        first_line(&conflict).contains("save on top of version 1"),
        "{conflict:?}"
    );
    let bad = draft(&["new", "-"], "{ \"Marta\": ");
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        stderr(&bad),
        "elternkit: <stdin>: kein Fall: erwartet ein JSON-Objekt (`elternkit.case/1`); \
         kein gültiges JSON (Zeile 1, Spalte 11) [not_a_case]\n"
    );
    let export = draft(&["export", &id, "--to", "age1nonsense", "--lang", "en"], "");
    assert_eq!(export.status.code(), Some(2));
    assert!(
        first_line(&export).ends_with("[invalid_recipient]"),
        "{export:?}"
    );
    // A key file that is not one.
    std::fs::write(&key, "garbage").unwrap();
    let out = draft(&["list"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        first_line(&out).ends_with("[key_file_malformed]"),
        "{out:?}"
    );
}

/// Every step of `--explain` shows its stable rule id beside its § citation, a plan problem
/// its code beside its citation.
#[test]
fn explain_shows_the_rule_id_of_every_step() {
    let tmp = TempDir::new("explain");
    let file = tmp.file("case.json", DEMO_CASE.as_bytes());
    let out = elternkit(&["calc", &file, "--explain"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = stderr(&out);
    let mut steps = 0;
    for benefit in ["elterngeld", "kindergeld"] {
        for step in result[benefit]["explanation"].as_array().unwrap() {
            let (citation, rule) = (
                step["citation"].as_str().unwrap(),
                step["rule"].as_str().unwrap(),
            );
            // A stable id: `benefit.name`, lower case.
            assert!(
                rule.starts_with(&format!("{benefit}."))
                    && rule.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b"._".contains(&b)),
                "{rule}"
            );
            assert!(
                text.contains(&format!("[{citation}; {rule}]")),
                "{rule}: {text}"
            );
            steps += 1;
        }
    }
    assert!(steps > 10, "{steps}");
    // The demo plan with Basis in Lebensmonat 15 for p2.
    let bad = DEMO_CASE.replacen(
        r#""basis", "basis"]"#,
        r#""basis", "basis", "none", "none", "basis"]"#,
        1,
    );
    let file = tmp.file("bad.json", bad.as_bytes());
    let out = elternkit(&["calc", &file, "--explain"], "");
    assert!(
        stderr(&out).contains("[§ 4 Abs. 1 S. 3 BEEG; basis_after_limit]"),
        "{}",
        stderr(&out)
    );
}

/// `elternkit errors --json`: one line per code; the Markdown is docs/ERRORS.md.
#[test]
fn the_registry_is_printed_and_is_the_doc_page() {
    let out = elternkit(&["errors", "--json"], "");
    assert_eq!(out.status.code(), Some(0));
    let codes: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |origin: &str| codes.iter().filter(|c| c["origin"] == origin).count();
    assert!(of("ffi") >= 15);
    assert!(of("cli") > 30 && of("case") > 20 && of("plan") > 10 && of("lohnsteuer") > 5);
    assert!(of("bundle") > 30 && of("store") > 5 && of("plan_request") > 5);
    for c in &codes {
        assert!(c["de"].as_str().is_some_and(|t| !t.is_empty()), "{c}");
        assert!(c["en"].as_str().is_some_and(|t| !t.is_empty()), "{c}");
    }
    let page = elternkit(&["errors"], "");
    let doc = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/ERRORS.md")).unwrap();
    assert_eq!(page.stdout, doc);
}

/// A closed stdout ends `lohnsteuer --jsonl`, `draft list` and `errors` quietly with 0.
#[test]
fn more_commands_end_quietly_on_a_closed_pipe() {
    let tmp = TempDir::new("pipe");
    let line = "{\"LZZ\":1,\"STKL\":1,\"RE4\":3000000}\n".repeat(2000);
    let input = tmp.file("wages.jsonl", line.as_bytes());
    let db = tmp.0.join("d.db");
    let key = tmp.0.join("k.key");
    let (db, key) = (db.to_str().unwrap(), key.to_str().unwrap());
    let created = elternkit(
        &["draft", "new", "-", "--db", db, "--key-file", key],
        DEMO_CASE,
    );
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    for args in [
        vec!["lohnsteuer", "--pap", "2026", "--jsonl", input.as_str()],
        vec!["draft", "list", "--db", db, "--key-file", key],
        vec!["errors"],
        vec!["lohnsteuer", "--versions"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_elternkit"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
}

/// A handoff for another device and a damaged one are told apart, by code, in both
/// languages; neither is imported.
#[test]
fn handoff_errors_name_the_file_and_the_reason() {
    let tmp = TempDir::new("handoff");
    let device = |name: &str| {
        let db = tmp.0.join(format!("{name}.db"));
        let key = tmp.0.join(format!("{name}.key"));
        move |args: &[&str], stdin: &str| {
            let mut all = vec!["draft"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--db", db.to_str().unwrap()]);
            all.extend_from_slice(&["--key-file", key.to_str().unwrap()]);
            elternkit(&all, stdin)
        }
    };
    let (mum, dad, other) = (device("mum"), device("dad"), device("other"));
    let text = |out: &Output| String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let dad_key = text(&dad(&["recipient"], ""));
    assert!(text(&other(&["recipient"], "")).starts_with("age1"));
    let id = text(&mum(&["new", "-"], DEMO_CASE));
    let handoff = tmp.0.join("h.age");
    let handoff = handoff.to_str().unwrap();
    let out = mum(&["export", &id, "--to", &dad_key, "--out", handoff], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = other(&["import", handoff, "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        first_line(&out).starts_with(&format!(
            "elternkit: {handoff}: the handoff is not encrypted for this device"
        )) && first_line(&out).ends_with("[handoff_not_for_this_device]"),
        "{out:?}"
    );

    // One character of the encrypted body changed (the armor's middle line).
    let armored = std::fs::read_to_string(handoff).unwrap();
    let mut lines: Vec<String> = armored.lines().map(String::from).collect();
    let middle = lines.len() / 2;
    let flipped: String = lines[middle]
        .chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (3, 'A') => 'B',
            (3, _) => 'A',
            (_, c) => c,
        })
        .collect();
    lines[middle] = flipped;
    let damaged = tmp.file("damaged.age", (lines.join("\n") + "\n").as_bytes());
    let out = dad(&["import", &damaged], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(first_line(&out).ends_with("[handoff_damaged]"), "{out:?}");
    assert!(
        first_line(&out).contains("damaged.age: die Übergabe"),
        "{out:?}"
    );
    // The intact one imports.
    let out = dad(&["import", handoff], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// A JSONL input that is not UTF-8 is named, not mistaken for the output.
#[test]
fn calc_jsonl_names_an_input_that_is_not_utf8() {
    let tmp = TempDir::new("jsonl-utf8");
    let file = tmp.file("cases.jsonl", b"{\"id\": \"M\xfcller\"}\n");
    let out = elternkit(&["calc", "--jsonl", &file, "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("elternkit: {file}: not UTF-8 text; save the file as UTF-8 [not_utf8]\n")
    );
}
