//! Reading and checking a case. Problems are data (path, code, message), never panics.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::residence::{known_residence_title, nearest_residence_titles};
use super::{CASE_SCHEMA, Case, InputError, TaxClass};

/// A problem with the input: where, what kind, and what to do.
pub type Problem = InputError;

fn problem(path: impl Into<String>, code: &str, message: impl Into<String>) -> Problem {
    InputError {
        path: path.into(),
        code: code.to_string(),
        message: message.into(),
    }
}

/// Parses a case from JSON, naming the field path of the first error.
pub fn parse_case(json: &str) -> Result<Case, Vec<Problem>> {
    // Valid input is parsed directly; only a failure is parsed again with path tracking,
    // which costs as much as the parse itself and is needed only to say where it failed.
    if let Ok(case) = serde_json::from_str::<Case>(json) {
        let problems = validate(&case);
        return if problems.is_empty() {
            Ok(case)
        } else {
            Err(problems)
        };
    }
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, Case>(&mut *de) {
        // The plain parse failed although the value parses: text follows the case.
        Ok(_) => Err(vec![problem(
            String::new(),
            "invalid_json",
            match de.end() {
                Err(e) => e.to_string(),
                Ok(()) => "the case could not be read".to_string(),
            },
        )]),
        Err(err) => {
            let path = err.path().to_string();
            let path = if path == "." { String::new() } else { path };
            Err(vec![problem(
                path,
                "invalid_json",
                err.into_inner().to_string(),
            )])
        }
    }
}

/// Checks what serde cannot: value ranges and references between fields.
pub fn validate(case: &Case) -> Vec<Problem> {
    let mut out = Vec::new();
    if case.schema != CASE_SCHEMA {
        out.push(problem(
            "schema",
            "unsupported_schema",
            format!("expected {CASE_SCHEMA:?}, found {:?}", case.schema),
        ));
    }
    if case.child.count == 0 || case.child.count > 8 {
        out.push(problem(
            "child.count",
            "out_of_range",
            "count must be 1 (one child) to 8",
        ));
    }
    let pc = &case.household.postal_code;
    if pc.len() != 5 || !pc.chars().all(|c| c.is_ascii_digit()) {
        out.push(problem(
            "household.postal_code",
            "invalid_postal_code",
            "a German postal code has five digits",
        ));
    }
    if case
        .household
        .taxable_income_year_before_birth
        .is_some_and(|v| v < Decimal::ZERO)
    {
        out.push(problem(
            "household.taxable_income_year_before_birth",
            "negative",
            "the taxable income cannot be negative here; give 0 for a loss",
        ));
    }
    if case.parents.is_empty() || case.parents.len() > 2 {
        out.push(problem(
            "parents",
            "parent_count",
            "a case has one or two parents",
        ));
    }
    let mut ids = HashSet::new();
    for (i, parent) in case.parents.iter().enumerate() {
        let at = |field: &str| format!("parents[{i}].{field}");
        if !ids.insert(parent.id.as_str()) {
            out.push(problem(
                at("id"),
                "duplicate_id",
                "two parents have the same id",
            ));
        }
        if parent.citizenship.len() != 2
            || !parent.citizenship.chars().all(|c| c.is_ascii_uppercase())
        {
            out.push(problem(
                at("citizenship"),
                "invalid_country",
                "use an ISO 3166-1 alpha-2 code such as DE",
            ));
        }
        if let Some(given) = parent.residence_title.as_deref()
            && !given.trim().is_empty()
            && known_residence_title(given).is_none()
        {
            out.push(problem(
                at("residence_title"),
                "unknown_residence_title",
                format!(
                    "{given:?} is not a residence-title id; nearest: {} (every id with its statute: docs/RESIDENCE_TITLES.md, `elternkit calc --help`)",
                    nearest_residence_titles(given).join(", ")
                ),
            ));
        }
        if parent
            .in_germany_since
            .is_some_and(|d| d > case.evaluation_date)
        {
            out.push(problem(
                at("in_germany_since"),
                "in_future",
                "the stay in Germany cannot start after the evaluation date",
            ));
        }
        if parent
            .tax
            .factor
            .is_some_and(|f| f <= Decimal::ZERO || f > Decimal::ONE)
        {
            out.push(problem(
                at("tax.factor"),
                "out_of_range",
                "the Faktor lies between 0 and 1",
            ));
        }
        if parent.tax.factor.is_some_and(|f| f != Decimal::ONE) && parent.tax.class != TaxClass::IV
        {
            out.push(problem(
                at("tax.factor"),
                "factor_needs_class_iv",
                "the Faktorverfahren exists only in class IV",
            ));
        }
        if parent.tax.child_allowances.is_some_and(|zkf| {
            zkf < Decimal::ZERO
                || zkf > Decimal::from(20)
                || (zkf * Decimal::TWO).fract() != Decimal::ZERO
        }) {
            out.push(problem(
                at("tax.child_allowances"),
                "out_of_range",
                "child allowances come in steps of 0.5 from 0",
            ));
        }
        for (j, a) in parent.activities_before_birth.iter().enumerate() {
            if a.months_active.len() != 12 {
                out.push(problem(
                    at(&format!("activities_before_birth[{j}].months_active")),
                    "twelve_months",
                    "give exactly 12 flags, the months of the Bemessungszeitraum, oldest first",
                ));
            }
            if a.monthly_income < Decimal::ZERO && a.kind != super::ActivityKind::SelfEmployed {
                out.push(problem(
                    at(&format!("activities_before_birth[{j}].monthly_income")),
                    "negative",
                    "a wage cannot be negative",
                ));
            }
        }
        if let Some(incomes) = &parent.gross_income_after_birth {
            for (j, m) in incomes.iter().enumerate() {
                if m.0 < Decimal::ZERO {
                    out.push(problem(
                        at(&format!("gross_income_after_birth[{j}]")),
                        "negative",
                        "income cannot be negative",
                    ));
                }
            }
        }
        if let Some(hours) = &parent.weekly_hours_after_birth {
            for (j, h) in hours.iter().enumerate() {
                if *h < Decimal::ZERO || *h > Decimal::from(168) {
                    out.push(problem(
                        at(&format!("weekly_hours_after_birth[{j}]")),
                        "out_of_range",
                        "weekly hours lie between 0 and 168",
                    ));
                }
            }
        }
        if parent.plan.len() > 64 {
            out.push(problem(
                at("plan"),
                "too_long",
                "a plan covers at most the Lebensmonate 1 to 64",
            ));
        }
        if parent.maternity_benefit.as_ref().is_some_and(|m| {
            m.daily_amount < Decimal::ZERO || m.employer_top_up_daily < Decimal::ZERO
        }) {
            out.push(problem(
                at("maternity_benefit"),
                "negative",
                "daily amounts cannot be negative",
            ));
        }
    }
    for (i, s) in case.siblings.iter().enumerate() {
        if s.birth_date > case.child.birth_date {
            out.push(problem(
                format!("siblings[{i}].birth_date"),
                "sibling_younger",
                "a sibling is born before the child",
            ));
        }
        if s.weekly_work_hours < Decimal::ZERO {
            out.push(problem(
                format!("siblings[{i}].weekly_work_hours"),
                "negative",
                "hours cannot be negative",
            ));
        }
    }
    if let Some(kg) = &case.kindergeld
        && !case.parents.iter().any(|p| p.id == kg.claimant)
    {
        out.push(problem(
            "kindergeld.claimant",
            "unknown_parent",
            format!("{:?} is not the id of a parent of this case", kg.claimant),
        ));
    }
    if let Some(app) = &case.application {
        validate_application(case, app, &mut out);
    }
    out
}

/// References inside the `application` section: parents, consents and documents it names
/// must exist. Whether the data is complete is the bundle's finding, not a parse error.
fn validate_application(case: &Case, app: &super::ApplicationData, out: &mut Vec<Problem>) {
    let parent_ids: HashSet<&str> = case.parents.iter().map(|p| p.id.as_str()).collect();
    let check_parent = |path: String, id: &str, out: &mut Vec<Problem>| {
        if !parent_ids.contains(id) {
            out.push(problem(
                path,
                "unknown_parent",
                format!("{id:?} is not the id of a parent of this case"),
            ));
        }
    };
    let mut seen = HashSet::new();
    for (i, p) in app.parents.iter().enumerate() {
        check_parent(format!("application.parents[{i}].id"), &p.id, out);
        if !seen.insert(p.id.as_str()) {
            out.push(problem(
                format!("application.parents[{i}].id"),
                "duplicate_id",
                "two entries for the same parent",
            ));
        }
    }
    if !app.children.is_empty() && app.children.len() != case.child.count as usize {
        out.push(problem(
            "application.children",
            "children_count",
            format!(
                "give one entry per newborn: child.count is {}, application.children has {}",
                case.child.count,
                app.children.len()
            ),
        ));
    }
    if let Some(choice) = &app.name_choice {
        for (i, id) in choice.declared_by.iter().enumerate() {
            check_parent(format!("application.name_choice.declared_by[{i}]"), id, out);
        }
    }
    let mut consent_ids = HashSet::new();
    for (i, c) in app.consents.iter().enumerate() {
        check_parent(
            format!("application.consents[{i}].given_by"),
            &c.given_by,
            out,
        );
        if !consent_ids.insert(c.id.as_str()) {
            out.push(problem(
                format!("application.consents[{i}].id"),
                "duplicate_id",
                "two consents have the same id",
            ));
        }
        if c.revoked_at.is_some() && !c.kind.revocable() {
            out.push(problem(
                format!("application.consents[{i}].revoked_at"),
                "not_revocable",
                "a declaration of fact cannot be revoked; correct the data instead",
            ));
        }
    }
    let mut document_ids = HashSet::new();
    for (i, d) in app.documents.iter().enumerate() {
        if let Some(p) = &d.parent {
            check_parent(format!("application.documents[{i}].parent"), p, out);
        }
        if !document_ids.insert(d.id.as_str()) {
            out.push(problem(
                format!("application.documents[{i}].id"),
                "duplicate_id",
                "two documents have the same id",
            ));
        }
    }
    for (path, source) in &app.sources {
        let at = format!("application.sources[{path:?}]");
        match source {
            super::application::Source::Fetched { consent }
                if !consent_ids.contains(consent.as_str()) =>
            {
                out.push(problem(
                    at,
                    "unknown_consent",
                    format!("{consent:?} is not the id of a consent of this case"),
                ));
            }
            super::application::Source::Document { document }
                if !document_ids.contains(document.as_str()) =>
            {
                out.push(problem(
                    at,
                    "unknown_document",
                    format!("{document:?} is not the id of a document of this case"),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"schema":"elternkit.case/1","evaluation_date":"2026-03-10",
        "child":{"birth_date":"2026-01-05"},"household":{"postal_code":"28195"},
        "parents":[{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
        "cares_for_child":true,"tax":{"class":"I"}}]}"#;

    #[test]
    fn minimal_case_parses_with_defaults() {
        let case = parse_case(MINIMAL).unwrap();
        assert_eq!(case.child.count, 1);
        assert!(case.siblings.is_empty());
    }

    #[test]
    fn unknown_field_names_its_path() {
        let bad = MINIMAL.replace(
            r#""postal_code":"28195""#,
            r#""postal_code":"28195","postcode":"1""#,
        );
        let err = parse_case(&bad).unwrap_err();
        assert_eq!(err[0].path, "household.postcode");
        assert!(err[0].message.contains("postcode"), "{}", err[0].message);
    }

    #[test]
    fn text_after_the_case_is_invalid_json() {
        let err = parse_case(&format!("{MINIMAL} x")).unwrap_err();
        assert_eq!(
            (err[0].code.as_str(), err[0].path.as_str()),
            ("invalid_json", "")
        );
        assert!(err[0].message.contains("trailing"), "{}", err[0].message);
        assert!(parse_case(&format!("{MINIMAL} \n")).is_ok());
    }

    #[test]
    fn wrong_type_names_its_path() {
        let bad = MINIMAL.replace(r#""class":"I""#, r#""class":"VII""#);
        let err = parse_case(&bad).unwrap_err();
        assert_eq!(err[0].path, "parents[0].tax.class");
    }

    #[test]
    fn references_and_ranges_are_checked() {
        let bad = MINIMAL
            .replace(r#""28195""#, r#""2819""#)
            .replace(
                r#""tax":{"class":"I"}"#,
                r#""tax":{"class":"I","factor":"0.9"}"#,
            )
            .replace(
                r#""parents""#,
                r#""kindergeld":{"claimant":"p9"},"parents""#,
            );
        let codes: Vec<_> = parse_case(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert!(codes.contains(&"invalid_postal_code".to_string()));
        assert!(codes.contains(&"factor_needs_class_iv".to_string()));
        assert!(codes.contains(&"unknown_parent".to_string()));
    }

    /// The residence-title vocabulary (docs/RESIDENCE_TITLES.md): an unknown id is an input
    /// error at its field path that lists the nearest ids; a known one in any case is fine.
    #[test]
    fn unknown_residence_title_is_an_input_error_with_suggestions() {
        let with = |title: &str| {
            MINIMAL.replace(
                r#""citizenship":"DE""#,
                &format!(r#""citizenship":"UA","residence_title":"{title}""#),
            )
        };
        assert!(parse_case(&with("Aufenthaltserlaubnis_24")).is_ok());
        let err = parse_case(&with("aufenthaltserlaubnis_23_1")).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].path, "parents[0].residence_title");
        assert_eq!(err[0].code, "unknown_residence_title");
        assert!(
            err[0].message.contains("aufenthaltserlaubnis_23_1_krieg")
                && err[0]
                    .message
                    .contains("aufenthaltserlaubnis_23_1_sonstige"),
            "{}",
            err[0].message
        );
    }

    /// The optional fields of 2026-12 parse; a stay starting after "today" is an error.
    #[test]
    fn current_status_and_stay_parse() {
        let case = parse_case(&MINIMAL.replace(
            r#""cares_for_child":true"#,
            r#""cares_for_child":true,"current_status":"minijob","in_germany_since":"2024-11-01""#,
        ))
        .unwrap();
        assert_eq!(
            case.parents[0].current_status,
            Some(super::super::CurrentStatus::Minijob)
        );
        let err = parse_case(&MINIMAL.replace(
            r#""cares_for_child":true"#,
            r#""cares_for_child":true,"in_germany_since":"2026-04-01""#,
        ))
        .unwrap_err();
        assert_eq!(err[0].path, "parents[0].in_germany_since");
    }
}
