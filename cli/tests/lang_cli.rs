//! One language per run, its number format, and a checklist that explains itself (issue 22),
//! run through the real binary.

mod common;

use common::{elternkit, elternkit_env};

const NO_STEUER_ID: &str = include_str!("../../core/bundle/tests/fixtures/no_steuer_id.json");

/// Words of the CLI's English catalogue (and the English explanation) that must not appear in
/// a German run, and the other way round.
const ENGLISH_ONLY: &[&str] = &[
    "net before birth",
    "hint:",
    "error at",
    "eligible,",
    "€ a month",
    "Amount:",
    "Data:",
    "Deadline",
    "reminder",
    "Symbols:",
    "READY to send",
    "Office:",
    "Income after birth",
    "= true",
    "= false",
    "a couple in Bremen",
];
const GERMAN_ONLY: &[&str] = &[
    "Netto vor der Geburt",
    "Hinweis:",
    "Fehler bei",
    "berechtigt,",
    "€ im Monat",
    "Betrag:",
    "Angaben:",
    "Frist",
    "Erinnerung",
    "Zeichen:",
    "Stelle:",
    "Kind geboren am",
    "= ja",
    "= nein",
];
/// Case-format code names that must never stand in prose.
const CODE_NAMES: &[&str] = &[
    "employed",
    "birth_data_exchange",
    "self_employed",
    "minijob",
];

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn demo_speaks_one_language_with_its_number_format() {
    let de = text(&elternkit(&["demo", "--lang", "de"], ""));
    for word in ENGLISH_ONLY {
        assert!(
            !de.contains(word),
            "English {word:?} in the German demo:\n{de}"
        );
    }
    let en = text(&elternkit(&["demo", "--lang", "en"], ""));
    for word in GERMAN_ONLY {
        assert!(
            !en.contains(word),
            "German {word:?} in the English demo:\n{en}"
        );
    }
    for out in [&de, &en] {
        for code in CODE_NAMES {
            assert!(
                !out.contains(&format!(" {code} ")),
                "{code:?} in prose:\n{out}"
            );
        }
    }
    // Amounts: 1.482,86 € in German, 1,482.86 € in English, never the bare 1482.86.
    assert!(de.contains("1.482,86 €") && !de.contains("1482.86"), "{de}");
    assert!(en.contains("1,482.86 €") && !en.contains("1482.86"), "{en}");
    // The explanation too: the rate and the net amount.
    assert!(de.contains("Ersatzrate 0,650 bei 2.073,92 €"), "{de}");
}

#[test]
fn the_default_language_follows_the_locale() {
    let english = text(&elternkit_env(&["demo"], "", &[("LANG", "en_GB.UTF-8")]));
    assert!(english.contains("net before birth"), "{english}");
    let german = text(&elternkit_env(&["demo"], "", &[("LANG", "de_DE.UTF-8")]));
    assert!(german.contains("Netto vor der Geburt"), "{german}");
    // LC_ALL wins over LANG, and --lang over both.
    let out = elternkit_env(
        &["demo"],
        "",
        &[("LANG", "de_DE.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    assert!(text(&out).contains("net before birth"));
    let out = elternkit_env(&["demo", "--lang", "de"], "", &[("LC_ALL", "en_US.UTF-8")]);
    assert!(text(&out).contains("Netto vor der Geburt"));
}

/// The checklist ends with a legend of its symbols, and names every field that is missing or
/// invalid (with its path) instead of only counting them.
#[test]
fn checklist_explains_its_symbols_and_lists_every_missing_field() {
    let json = elternkit(&["bundle", "-", "--json"], NO_STEUER_ID);
    let bundle: serde_json::Value = serde_json::from_slice(&json.stdout).expect("bundle JSON");
    let mut missing = Vec::new();
    for app in bundle["applications"].as_array().expect("applications") {
        for f in app["fields"].as_array().expect("fields") {
            if matches!(f["status"].as_str(), Some("missing" | "invalid")) {
                missing.push(f["path"].as_str().expect("path").to_owned());
            }
        }
    }
    assert!(!missing.is_empty(), "the fixture lacks a Steuer-ID");
    for (lang, legend, word) in [
        ("de", "Zeichen: ✓", "fehlt"),
        ("en", "Symbols: ✓", "missing"),
    ] {
        let out = elternkit(&["bundle", "-", "--lang", lang], NO_STEUER_ID);
        let checklist = String::from_utf8_lossy(&out.stdout);
        let last = checklist.lines().last().expect("a checklist");
        assert!(last.starts_with(legend), "{lang}: {last}");
        for symbol in ["✓", "✗", "↑", "○", "⏰"] {
            assert!(last.contains(symbol), "{lang}: {symbol} not explained");
        }
        for path in &missing {
            assert!(
                checklist
                    .lines()
                    .any(|l| l.contains(&format!("[{path}]")) && l.contains("✗")),
                "{lang}: {path} not listed:\n{checklist}"
            );
        }
        assert!(checklist.contains(word), "{lang}");
    }
}

/// A range error found after reading still has its file:line:col, from its path.
#[test]
fn errors_found_after_reading_are_located() {
    let case = include_str!("../src/demo_case.json").replacen("\"count\": 1", "\"count\": 0", 1);
    assert_ne!(case, include_str!("../src/demo_case.json"));
    let out = elternkit(&["calc", "-", "--lang", "en"], &case);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("child.count"))
        .unwrap_or_else(|| panic!("{stderr}"));
    // `child` is on line 5 of the demo case; the value 0 after `"count": `.
    assert!(line.starts_with("<stdin>:5:"), "{line}");
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("result");
    assert_eq!(result["errors"][0]["line"], 5);
    assert!(result["errors"][0]["column"].as_u64().is_some());
}

/// `--progress` shows cases and cases/s on stderr, on a line of its own; off a terminal and
/// without the flag there is none, so pipelines and logs stay clean.
#[test]
fn progress_shows_cases_and_rate_only_when_asked_or_on_a_terminal() {
    let case = include_str!("../src/demo_case.json").replace('\n', "");
    let input = format!("{case}\n").repeat(20);
    let out = elternkit(
        &[
            "calc",
            "--jsonl",
            "--no-explanation",
            "--progress",
            "--lang",
            "en",
        ],
        &input,
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.rsplit('\r').next().expect("a progress line");
    assert!(
        last.starts_with("20 cases, ") && last.ends_with(" cases/s\n"),
        "{stderr:?}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 20);

    let de = elternkit(
        &["calc", "--jsonl", "--no-explanation", "--progress"],
        &input,
    );
    assert!(String::from_utf8_lossy(&de.stderr).contains("20 Fälle, "));

    let quiet = elternkit(&["calc", "--jsonl", "--no-explanation"], &input);
    assert!(quiet.stderr.is_empty(), "{quiet:?}");
    // The flag needs --jsonl (a usage error before any input is read).
    let out = elternkit(&["calc", "-", "--progress"], "");
    assert_eq!(out.status.code(), Some(2));
}
