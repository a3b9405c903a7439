//! `elternkit plan` through the real binary: the table, edits with problems and fixes, JSON,
//! requests and the optimizer, and the exit codes.

mod common;
use common::elternkit;

use serde_json::Value;

const DEMO_CASE: &str = include_str!("../src/demo_case.json");

fn temp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("elternkit-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("temp file");
    path.to_string_lossy().into_owned()
}

#[test]
fn the_demo_plan_as_a_table() {
    let out = elternkit(&["plan", "-"], DEMO_CASE);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("p1") && table.contains("p2"), "{table}");
    assert!(
        table.contains("  11  Plus       674.03  Basis     1646.23"),
        "{table}"
    );
    assert!(table.contains("Der Plan erfüllt § 4 BEEG."), "{table}");
}

#[test]
fn an_edit_that_breaks_a_rule_shows_it_with_its_fix_and_exits_1() {
    let case = temp("demo.json", DEMO_CASE);
    let out = elternkit(&["plan", &case, "--fix", "p2:15=basis", "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("[§ 4 Abs. 1 S. 3 BEEG] [basis_after_limit]"),
        "{table}"
    );
    assert!(table.contains("fix: --fix p2:15=plus"), "{table}");
    // The fix applied: valid again.
    let out = elternkit(
        &[
            "plan",
            &case,
            "--fix",
            "p2:15=plus",
            "--fix",
            "p2:12=none",
            "--json",
        ],
        "",
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "elternkit.plan/1");
    assert_eq!(json["plan"]["valid"], true, "{json}");
    assert_eq!(json["plan"]["parents"][1]["months"][14]["kind"], "plus");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn usage_and_request_errors() {
    let case = temp("demo2.json", DEMO_CASE);
    // A --fix that does not parse is a usage error.
    let out = elternkit(&["plan", &case, "--fix", "p1-3=basis"], "");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // A request with a misspelt field names it and exits 1.
    let req = temp(
        "req.json",
        r#"{"schema":"elternkit.plan-request/1","constraints":{"fixd":[]}}"#,
    );
    let out = elternkit(
        &["plan", &case, "--request", &req, "--optimize", "total"],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("req.json: der Planantrag ist bei `constraints.fixd` ungültig")
            && stderr.ends_with("[invalid_plan_request]\n"),
        "{stderr}"
    );
    // An unknown parent in an edit is a content error, in the language of --lang.
    let out = elternkit(&["plan", &case, "--fix", "p7:1=basis", "--lang", "en"], "");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("demo2.json: a parent named by --fix or the plan request is not in the case")
            && stderr.ends_with("[unknown_plan_parent]\n"),
        "{stderr}"
    );
    let out = elternkit(&["plan", &case, "--fix", "p1:40=basis"], "");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Lebensmonat 40 liegt außerhalb von 1 bis")
            && stderr.ends_with("[lebensmonat_out_of_range]\n"),
        "{stderr}"
    );
}

/// A single parent with earnings: the optimizer's best plan is legal and payable, with the
/// alternatives and the search's size.
#[test]
fn optimize_a_single_parent() {
    let case = r#"{"schema":"elternkit.case/1","evaluation_date":"2025-06-02","child":{"birth_date":"2025-06-02"},
      "household":{"postal_code":"28195","single_parent":true,"taxable_income_year_before_birth":"40000.00"},
      "parents":[{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
        "tax":{"class":"II"},"activities_before_birth":[{"kind":"employed","monthly_income":"2800.00",
        "months_active":[true,true,true,true,true,true,true,true,true,true,true,true],
        "pension_insured":true,"health_insured":true,"unemployment_insured":true}]}]}"#;
    let req = temp(
        "single.json",
        r#"{"schema":"elternkit.plan-request/1","alternatives":1,
            "constraints":{"fixed":[{"parent":"p1","first":1,"last":10,"kind":"basis"}]}}"#,
    );
    let case_file = temp("single-case.json", case);
    let out = elternkit(
        &[
            "plan",
            &case_file,
            "--request",
            &req,
            "--optimize",
            "coverage",
            "--json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["objective"], "coverage");
    let best = &json["best"]["state"];
    assert_eq!(best["valid"], true);
    // 10 Basis months fixed, the other 4 of the 14 (§ 4c Abs. 1) as 8 Plus months.
    let kinds: Vec<&str> = best["parents"][0]["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "basis").count(), 10);
    assert_eq!(kinds.iter().filter(|k| **k == "plus").count(), 8);
    assert_eq!(json["best"]["coverage"], 18);
    assert!(json["search"]["nodes"].as_u64().unwrap() > 0);
    // The best plan, given back to `calc`, is paid as shown.
    let mut c: Value = serde_json::from_str(case).unwrap();
    c["parents"][0]["plan"] = serde_json::json!(kinds);
    let calc = elternkit(&["calc", "--no-explanation", "-"], &c.to_string());
    let result: Value = serde_json::from_slice(&calc.stdout).unwrap();
    assert_eq!(result["elterngeld"]["payable"], true);
    assert_eq!(
        result["elterngeld"]["parents"][0]["total"],
        best["parents"][0]["total"]
    );
}

/// A plan request's reasons come in the run's language, by code (issue 22): no English
/// reason inside a German message, and a misspelt field gets "did you mean".
#[test]
fn request_reasons_speak_the_run_language() {
    let case = temp("demo3.json", DEMO_CASE);
    let cases = [
        (
            "r1.json",
            "{\"schema\": ",
            "kein JSON (Zeile 1, Spalte",
            "not JSON (line 1, column",
        ),
        (
            "r2.json",
            "{}",
            "das Pflichtfeld `schema` fehlt",
            "the required field `schema` is missing",
        ),
        (
            "r3.json",
            r#"{"schema":"elternkit.plan-request/1","alternatives":"Marta"}"#,
            "ein Wert der falschen Art",
            "a value of the wrong kind",
        ),
        (
            "r4.json",
            r#"{"schema":"elternkit.plan-request/1","alternatives":11}"#,
            "(höchstens 10)",
            "(at most 10)",
        ),
        (
            "r5.json",
            r#"{"schema":"elternkit.plan-request/9"}"#,
            "muss elternkit.plan-request/1 sein",
            "must be elternkit.plan-request/1",
        ),
        (
            "r6.json",
            r#"{"schema":"elternkit.plan-request/1","constraints":{"fixd":[]}}"#,
            "(kein Feld eines Planantrags); siehe docs/PLAN_REQUEST.md; meinten Sie `fixed`?",
            "(not a field of a plan request); see docs/PLAN_REQUEST.md; did you mean `fixed`?",
        ),
    ];
    // Words of the English reasons (the code in brackets stays English by design).
    const ENGLISH: &[&str] = &[
        "not JSON",
        "missing",
        "wrong kind",
        "at most",
        "must be",
        "did you mean",
        "expected",
        "not a field",
    ];
    for (name, request, de, en) in cases {
        let req = temp(name, request);
        for (lang, want) in [("de", de), ("en", en)] {
            let out = elternkit(
                &[
                    "plan",
                    &case,
                    "--request",
                    &req,
                    "--optimize",
                    "total",
                    "--lang",
                    lang,
                ],
                "",
            );
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(want), "{name} --lang {lang}: {stderr}");
            assert!(stderr.ends_with("[invalid_plan_request]\n"), "{stderr}");
            assert!(!stderr.contains("Marta"), "{stderr}");
            if lang == "de" {
                for word in ENGLISH {
                    assert!(!stderr.contains(word), "English {word:?} in: {stderr}");
                }
            }
        }
    }
}
