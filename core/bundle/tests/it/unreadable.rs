//! An unreadable case without a given day has no evaluation date: `None` in memory, left out
//! of `elternkit.bundle/1`, and the old wire form (`-009999-01-01`) still reads back as `None`.

use elternkit_bundle::{Bundle, DeriveContext, NoRouter, derive_json};
use jiff::civil::date;

#[test]
fn an_unknown_evaluation_date_is_none_and_left_out() {
    let bundle = derive_json("{", &DeriveContext::default(), &NoRouter);
    assert_eq!(bundle.evaluation_date, None);
    assert_eq!(bundle.problems[0].code, "invalid_json");
    // The German text is the case validation's own, not a copy of the English one.
    assert_ne!(bundle.problems[0].message_de, bundle.problems[0].message_en);
    let mut json = serde_json::to_value(&bundle).expect("serialises");
    assert!(json.get("evaluation_date").is_none(), "{json}");
    let back: Bundle = serde_json::from_value(json.clone()).expect("reads back");
    assert_eq!(back, bundle);
    json["evaluation_date"] = "-009999-01-01".into();
    let old: Bundle = serde_json::from_value(json).expect("the old form reads back");
    assert_eq!(old, bundle);

    let given = DeriveContext {
        evaluation_date: Some(date(2026, 3, 10)),
        land: None,
    };
    let bundle = derive_json("{", &given, &NoRouter);
    assert_eq!(bundle.evaluation_date, Some(date(2026, 3, 10)));
}
