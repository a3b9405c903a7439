//! `elternkit demo` goes on past the bundle: it submits the family's three applications
//! through an embedded relay on 127.0.0.1, the offices' inboxes accept them, and the app
//! shows the verified receipts and each application's status.

mod common;

use common::elternkit;

#[test]
fn the_demo_submits_all_three_applications_and_shows_them_accepted() {
    let out = elternkit(&["demo", "--lang", "en"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let submit = text
        .split_once("Submitting (FSP/1")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no submission part in:\n{text}"));
    assert!(submit.contains("Relay: http://127.0.0.1:"), "{submit}");
    assert!(submit.contains("Draft saved encrypted"), "{submit}");
    for app in ["[standesamt]", "[elterngeldstelle]", "[familienkasse]"] {
        assert!(submit.contains(app), "missing {app} in:\n{submit}");
    }
    assert_eq!(
        submit.matches("Relay receipt (signed, verified)").count(),
        3
    );
    assert_eq!(
        submit
            .matches("Office opened, verified, re-computed and accepted it, case number")
            .count(),
        3
    );
    let status = submit
        .split_once("Status of the applications")
        .map(|(_, rest)| rest)
        .expect("a status part");
    assert_eq!(
        status.matches("accepted, case number").count(),
        3,
        "{status}"
    );
    assert_eq!(status.matches("verified events: 4").count(), 3, "{status}");
    // The filing date is the relay's receipt time (just now), not anything of the case.
    let times: Vec<jiff::Timestamp> = status
        .split("received on ")
        .skip(1)
        .map(|rest| {
            rest.split_whitespace()
                .next()
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("no receipt time in {rest:?}"))
        })
        .collect();
    assert_eq!(times.len(), 3);
    for t in times {
        let age = jiff::Timestamp::now().duration_since(t).as_secs();
        assert!((0..300).contains(&age), "{t}");
    }
}

#[test]
fn no_submit_stops_after_the_bundle() {
    let out = elternkit(&["demo", "--no-submit"], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("[familienkasse]"));
    assert!(!text.contains("Einreichen"), "{text}");
}
