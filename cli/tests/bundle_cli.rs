//! `elternkit bundle`, run through the real binary: checklist, JSON, errors.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::process::Output;

mod common;

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/../core/bundle/tests/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn elternkit(args: &[&str]) -> Output {
    common::elternkit(args, "")
}

#[test]
fn json_is_the_bundle_schema_with_three_applications() {
    let out = elternkit(&["bundle", &fixture("bremen_married"), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["schema"], "elternkit.bundle/1");
    assert_eq!(v["land"], "04");
    let ids: Vec<&str> = v["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["standesamt", "elterngeldstelle", "familienkasse"]);
    assert_eq!(v["applications"][0]["status"], "ready");
    assert_eq!(v["applications"][2]["status"], "waiting");
}

#[test]
fn checklist_in_both_languages_with_today_and_land() {
    let out = elternkit(&["bundle", &fixture("berlin_single"), "--lang", "en"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("== Familienkasse (Kindergeld) [familienkasse] — waiting"),
        "{text}"
    );
    assert!(text.contains("Mother's birth certificate"), "{text}");
    // Frauentag (Berlin, Monday 2027-03-08) moves the send-by date to Friday.
    assert!(text.contains("send by 2027-03-05"), "{text}");
    let out = elternkit(&["bundle", &fixture("berlin_single"), "--land", "09"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Stand: 2026-11-30"), "{text}");
    // In Bayern 2027-03-08 is a working day.
    assert!(text.contains("senden bis 2027-03-08"), "{text}");
    let out = elternkit(&[
        "bundle",
        &fixture("berlin_single"),
        "--today",
        "2027-04-01",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["evaluation_date"], "2027-04-01");
}

#[test]
fn bad_input_gives_a_clear_error_and_no_panic() {
    let dir = std::env::temp_dir().join(format!("elternkit-bundle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"schema":"elternkit.case/1","evaluation_date":"2026-01-01"}"#,
    )
    .unwrap();
    let out = elternkit(&["bundle", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("child"), "{text}");

    let out = elternkit(&["bundle", "/nonexistent/case.json"]);
    assert_eq!(out.status.code(), Some(2));
    // German by default (the tests run with the C locale), the path and the code named.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "elternkit: /nonexistent/case.json: Datei nicht gefunden; bitte den Pfad prüfen \
         (`-` liest die Standardeingabe) [file_not_found]\n"
    );

    let out = elternkit(&[
        "bundle",
        &fixture("bremen_married"),
        "--land",
        "99",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--land: give the two-digit Land key") && err.ends_with("[invalid_land]\n"),
        "{err}"
    );
    let out = elternkit(&["bundle", &fixture("bremen_married"), "--today", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--today: erwartet ein Datum JJJJ-MM-TT") && err.ends_with("[invalid_date]\n"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
