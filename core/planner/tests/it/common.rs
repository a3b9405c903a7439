//! Cases for the tests, written as `elternkit.case/1` JSON.

use elternkit_model::{Case, PlanMonth, parse_case};

/// One parent: id, gross wage before the birth (0: none), plan, and extra fields.
pub fn parent(id: &str, wage: u32, plan: &[PlanMonth], extra: &str) -> String {
    let plan: Vec<String> = plan
        .iter()
        .map(|k| format!("\"{}\"", kind_name(*k)))
        .collect();
    let activities = if wage > 0 {
        format!(
            r#"[{{"kind":"employed","monthly_income":"{wage}.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}]"#
        )
    } else {
        "[]".into()
    };
    format!(
        r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
        "tax":{{"class":"IV"}},"activities_before_birth":{activities},"plan":[{}]{extra}}}"#,
        plan.join(",")
    )
}

pub fn kind_name(k: PlanMonth) -> &'static str {
    match k {
        PlanMonth::Basis => "basis",
        PlanMonth::Plus => "plus",
        PlanMonth::Bonus => "bonus",
        PlanMonth::None => "none",
    }
}

/// A case born on `birth` with `parents` (JSON objects) and household extras.
pub fn case(birth: &str, parents: &[String], household: &str) -> Case {
    let json = format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"{birth}","child":{{"birth_date":"{birth}"}},
        "household":{{"postal_code":"28195","taxable_income_year_before_birth":"60000.00"{household}}},
        "parents":[{}]}}"#,
        parents.join(",")
    );
    parse_case(&json).unwrap_or_else(|e| panic!("{e:?}\n{json}"))
}

/// `n` months of `kind`.
pub fn months(kind: PlanMonth, n: usize) -> Vec<PlanMonth> {
    vec![kind; n]
}

/// Concatenates plan pieces.
pub fn plan(pieces: &[(PlanMonth, usize)]) -> Vec<PlanMonth> {
    pieces.iter().flat_map(|(k, n)| months(*k, *n)).collect()
}
