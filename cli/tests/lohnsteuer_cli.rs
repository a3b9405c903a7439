//! The `elternkit lohnsteuer` contract, run through the real binary.

mod common;
use common::elternkit;

use std::process::Output;

use serde_json::Value;

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

#[test]
fn jsonl_answers_every_line_in_order_and_reports_bad_ones() {
    let input = [
        r#"{"LZZ":1,"STKL":1,"RE4":3000000,"KVZ":"2.9"}"#,
        r#"{"LZZ":1,"STKL":2,"RE4":3000000,"KVZ":2.9}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":"abc"}"#,
        r#"not json"#,
        r#"{"ALV":1,"LZZ":1,"STKL":6,"RE4":3000000,"KVZ":"2.90"}"#,
        r#"{"LZZ":1,"STKL":1,"RE5":1}"#,
    ]
    .join("\n");
    let out = elternkit(&["lohnsteuer", "--pap", "2026", "--jsonl"], &input);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed line makes the exit status 1"
    );
    let results = lines(&out);
    assert_eq!(results.len(), 6);
    // BMF calculator, PAP 2026, 30 000 €/year, KVZ 2.9: class I 2 294 €, II 1 230 €, VI 6 195 €.
    assert_eq!(results[0]["LSTLZZ"], 229_400);
    assert_eq!(results[1]["LSTLZZ"], 123_000);
    assert_eq!(results[4]["LSTLZZ"], 619_500);
    // Every output of the version, as integers.
    for name in [
        "BK", "BKS", "LSTLZZ", "SOLZLZZ", "SOLZS", "STS", "VFRB", "WVFRB",
    ] {
        assert!(results[0][name].is_i64(), "{name} is an integer");
    }
    assert_eq!(results[2]["error"]["key"], "RE4");
    assert_eq!(results[2]["line"], 3);
    assert!(
        results[3]["error"]["problem"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );
    assert_eq!(results[5]["error"]["key"], "RE5");
}

#[test]
fn jsonl_rejects_inputs_the_version_does_not_define() {
    let out = elternkit(
        &["lohnsteuer", "--pap", "2025", "--jsonl"],
        r#"{"ALV":1,"RE4":100}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out);
    assert_eq!(results[0]["error"]["key"], "ALV");
    assert!(
        results[0]["error"]["problem"]
            .as_str()
            .unwrap()
            .contains("2025")
    );
}

#[test]
fn one_shot_prints_the_outputs() {
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
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // 3 000 €/month, class I, January-2024 PAP: 322.08 € (shared/pap/README.md).
    assert!(text.contains("LSTLZZ =          32208 ct"), "{text}");
}

#[test]
fn unknown_version_and_bad_arguments_fail_clearly() {
    let out = elternkit(
        &["lohnsteuer", "--pap", "2019", "--lang", "en", "RE4=1"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown PAP version") && err.contains("2026"),
        "{err}"
    );
    assert!(err.ends_with("[unknown_pap_version]\n"), "{err}");

    let out = elternkit(&["lohnsteuer", "--pap", "2026", "RE4"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "elternkit: eine Eingabe hat nicht die Form NAME=WERT, z. B. RE4=300000 [not_name_value]\n"
    );
}

#[test]
fn versions_lists_every_generated_version() {
    let out = elternkit(&["lohnsteuer", "--versions"], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for v in [
        "2021",
        "2022_stand2021-11",
        "2023AbJuli",
        "2024Dezember",
        "2025_stand2024-11",
        "2026",
    ] {
        assert!(text.lines().any(|l| l.starts_with(v)), "{v} missing");
    }
}

/// Inputs outside the PAP's documented ranges are refused line by line with a typed code,
/// never computed: STKL=7, LZZ=9, a negative RE4, a float where whole cents belong. The
/// problem text does not repeat the value; the summary names the failing lines.
#[test]
fn jsonl_refuses_values_outside_the_documented_ranges() {
    let input = [
        r#"{"LZZ":1,"STKL":7,"RE4":3000000}"#,
        r#"{"LZZ":9,"STKL":1,"RE4":3000000}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":-3000000}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":3000000.5}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":3000000.0}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":3e6}"#,
        r#"{"LZZ":1,"STKL":1,"RE4":3000000}"#,
    ]
    .join("\n");
    let out = elternkit(&["lohnsteuer", "--pap", "2026", "--jsonl"], &input);
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out);
    assert_eq!(results.len(), 7);
    for (i, key) in ["STKL", "LZZ", "RE4", "RE4", "RE4", "RE4"]
        .iter()
        .enumerate()
    {
        let error = &results[i]["error"];
        assert_eq!(error["key"], *key, "line {}", i + 1);
        assert!(
            matches!(
                error["code"].as_str(),
                Some("out_of_range" | "invalid_value")
            ),
            "line {}: {error}",
            i + 1
        );
        let problem = error["problem"].as_str().expect("text");
        assert!(!problem.contains("3000000"), "{problem}");
    }
    assert_eq!(results[0]["error"]["code"], "out_of_range");
    assert!(results[6]["LSTLZZ"].is_i64());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("elternkit lohnsteuer: 6 von 7 Zeilen mit Fehlern: 1, 2, 3, 4, 5, 6"),
        "{err}"
    );
}

#[test]
fn arguments_outside_the_documented_ranges_are_usage_errors() {
    for arg in ["STKL=7", "LZZ=9", "RE4=-1", "ALV=2", "f=1.5"] {
        let out = elternkit(
            &["lohnsteuer", "--pap", "2026", "--lang", "en", "LZZ=2", arg],
            "",
        );
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert!(err.contains("must be"), "{arg}: {err}");
        assert!(err.ends_with("[out_of_range]\n"), "{arg}: {err}");
        let out = elternkit(&["lohnsteuer", "--pap", "2026", "LZZ=2", arg], "");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert!(
            err.contains("muss") && !err.contains("must"),
            "{arg}: {err}"
        );
    }
}
