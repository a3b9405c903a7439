//! Snapshots of the `elternkit.result/1` contract: a set of public cases (every 20th
//! `egr_official` case, every 5th `egr2022` case, every Kindergeld case) and the demo family,
//! each serialised exactly as `elternkit calc` prints it. Any change to a figure, a reason, an
//! explanation text or the JSON shape shows up as a snapshot diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` and read `git diff`).

use elternkit_rules::calculate_json;

use crate::public_common::public_lines;

/// The snapshot name of a case id (`egr-official/3` → `egr-official_3`).
fn snapshot_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn check_every(file: &str, step: usize) {
    let lines = public_lines(file);
    assert!(!lines.is_empty(), "{file} has no cases");
    for line in lines.iter().step_by(step) {
        let result = calculate_json(line);
        let id = result.id.clone().expect("every public case has an id");
        let json = serde_json::to_string_pretty(&result).expect("a result always serialises");
        insta::assert_snapshot!(snapshot_name(&id), json);
    }
}

#[test]
fn egr_official_results() {
    check_every("egr_official.cases.jsonl", 20);
}

#[test]
fn egr2022_results() {
    check_every("egr2022.cases.jsonl", 5);
}

#[test]
fn kindergeld_results() {
    check_every("kindergeld.cases.jsonl", 1);
}

#[test]
fn demo_result() {
    let result = calculate_json(include_str!("../../../../cli/src/demo_case.json"));
    let json = serde_json::to_string_pretty(&result).expect("a result always serialises");
    insta::assert_snapshot!("demo", json);
}
