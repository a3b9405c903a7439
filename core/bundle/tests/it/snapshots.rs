//! Snapshots of the `elternkit.bundle/1` contract: every bundle fixture and the demo family,
//! routed with the shipped tables and the development directory, evaluated on 2026-03-10 and
//! serialised exactly as `elternkit bundle --json` prints it. Any change to a field, a finding,
//! a document, a deadline, a routing step or the JSON shape shows up as a snapshot diff to
//! review (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and read `git diff`).

use std::path::PathBuf;

use elternkit_bundle::{DeriveContext, DirectoryRouter, derive_json};
use elternkit_directory::{DEV_DIRECTORY_JSON, Directory};
use jiff::civil::date;

fn bundle_json(case_json: &str) -> String {
    let day = date(2026, 3, 10);
    // The directory is checked against its own issue day, so the snapshot does not depend on
    // the day the test runs (the CLI checks it against the real date).
    let document: serde_json::Value =
        serde_json::from_str(DEV_DIRECTORY_JSON).expect("the development directory is JSON");
    let issued: jiff::civil::Date = document["issuedAt"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("the development directory has an issue day");
    let directory = Directory::development(issued).expect("the development directory verifies");
    let ctx = DeriveContext {
        evaluation_date: Some(day),
        land: None,
    };
    let bundle = derive_json(case_json, &ctx, &DirectoryRouter(&directory));
    serde_json::to_string_pretty(&bundle).expect("a bundle always serialises")
}

#[test]
fn every_fixture() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures folder")
        .map(|e| e.expect("a fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing in {}", dir.display());
    for path in names {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a name");
        let text = std::fs::read_to_string(&path).expect("a readable fixture");
        insta::assert_snapshot!(name, bundle_json(&text));
    }
}

#[test]
fn demo_family() {
    insta::assert_snapshot!(
        "demo",
        bundle_json(include_str!("../../../../cli/src/demo_case.json"))
    );
}
