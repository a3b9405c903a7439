//! An unreadable case without a given day has no evaluation date: `None` in memory, written
//! as `elternkit.bundle/1` always wrote it, and read back as `None`.

use elternkit_bundle::{Bundle, DeriveContext, NoRouter, derive_json};
use jiff::civil::date;

#[test]
fn an_unknown_evaluation_date_is_none_and_keeps_its_wire_form() {
    let bundle = derive_json("{", &DeriveContext::default(), &NoRouter);
    assert_eq!(bundle.evaluation_date, None);
    assert_eq!(bundle.problems[0].code, "invalid_json");
    let json = serde_json::to_value(&bundle).expect("serialises");
    assert_eq!(json["evaluation_date"], "-009999-01-01");
    let back: Bundle = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, bundle);

    let given = DeriveContext {
        evaluation_date: Some(date(2026, 3, 10)),
        land: None,
    };
    let bundle = derive_json("{", &given, &NoRouter);
    assert_eq!(bundle.evaluation_date, Some(date(2026, 3, 10)));
}
