//! Properties of the Elterngeld rules (§§ 2, 4a BEEG) over generated cases.

use elternkit_model::{PlanMonth, parse_case};
use elternkit_rules::calculate_json;
use elternkit_rules::elterngeld::{compute, ersatzrate};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// One employed parent without siblings, multiples or Mutterschaftsgeld, and no income after
/// the birth; `wage_cents` a month in all 12 months.
fn case(
    birth: Date,
    wage_cents: i64,
    class: &str,
    church: bool,
    basis: usize,
    plus: usize,
) -> String {
    let mut plan = vec!["\"basis\""; basis];
    plan.extend(vec!["\"plus\""; plus]);
    format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"{birth}","child":{{"birth_date":"{birth}"}},
        "household":{{"postal_code":"10115","single_parent":true,"taxable_income_year_before_birth":"1000.00"}},
        "parents":[{{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
        "tax":{{"class":"{class}","church_tax":{church},"child_allowances":"0.0"}},
        "activities_before_birth":[{{"kind":"employed","monthly_income":"{}.{:02}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],
        "pension_insured":true,"health_insured":true,"unemployment_insured":true}}],
        "plan":[{}]}}]}}"#,
        wage_cents / 100,
        wage_cents % 100,
        plan.join(",")
    )
}

fn birth() -> impl Strategy<Value = Date> {
    (2023i16..=2026, 1i8..=12, 1i8..=28)
        .prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid day"))
}

fn class() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec!["I", "II", "III", "IV", "V"])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// § 2 Abs. 1, 4 BEEG: 300 ≤ Basis ≤ 1 800 without income after birth; § 4a Abs. 2:
    /// Plus without income is half the Basis amount (rounded to the cent).
    #[test]
    fn basis_bounds_and_plus_half(b in birth(), wage in 0i64..1_500_000, c in class(), church: bool, basis in 1usize..6, plus in 1usize..6) {
        let case = parse_case(&case(b, wage, c, church, basis, plus)).expect("valid case");
        let p = compute(&case).expect("computes").parents.remove(0);
        prop_assert!(p.basis_without_income >= Decimal::from(300) && p.basis_without_income <= Decimal::from(1800));
        let half = (p.basis_without_income / Decimal::TWO)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(p.plus_without_income, half);
        for m in &p.months {
            let want = if m.kind == PlanMonth::Basis { p.basis_without_income } else { p.plus_without_income };
            prop_assert_eq!(m.amount, want, "Lebensmonat {}", m.lebensmonat);
        }
        let sum: Decimal = p.months.iter().map(|m| m.amount).sum();
        prop_assert_eq!(p.total, sum);
    }

    /// § 2 Abs. 2 S. 2 BEEG: above 1 000 € the Ersatzrate never rises with the net income.
    #[test]
    fn ersatzrate_non_increasing_above_1000(a in 100_000i64..600_000, step in 0i64..200_000, b in birth()) {
        let low = Decimal::new(a, 2);
        let high = Decimal::new(a + step, 2);
        prop_assert!(ersatzrate(low, b).unwrap() >= ersatzrate(high, b).unwrap());
    }

    /// The amount never falls when the wage rises, within the same social-insurance band
    /// (above every Übergangsbereich start; the Minijob cliff of § 2f is the law's own), except
    /// by the law's own saw-tooth: § 2 Abs. 2 S. 2 BEEG lowers the Ersatzrate by 0.1 points
    /// for each full 2 € of net income above 1 200 €, so crossing a step can cost up to 0.1 %
    /// of a net income of at most 1 240 € (1.24 €; found at birth 2026-01-01, class I,
    /// 1 693.48 € → 1 701.41 €: 804.80 € → 804.40 €).
    #[test]
    fn amount_monotone_in_wage(b in birth(), wage in 70_000i64..1_000_000, raise in 0i64..300_000, c in class()) {
        let lower = compute(&parse_case(&case(b, wage, c, false, 2, 0)).unwrap()).unwrap().parents.remove(0);
        let higher = compute(&parse_case(&case(b, wage + raise, c, false, 2, 0)).unwrap()).unwrap().parents.remove(0);
        let step = Decimal::new(124, 2);
        prop_assert!(higher.basis_without_income + step >= lower.basis_without_income,
            "{} -> {}", lower.basis_without_income, higher.basis_without_income);
    }

    /// Away from the Ersatzrate's steps (net income above 1 240 €, where it stays 65 %), the
    /// amount is monotone without any tolerance.
    #[test]
    fn amount_monotone_above_the_ersatzrate_steps(b in birth(), wage in 250_000i64..1_000_000, raise in 0i64..300_000, c in proptest::sample::select(vec!["I", "III", "IV"])) {
        let lower = compute(&parse_case(&case(b, wage, c, false, 2, 0)).unwrap()).unwrap().parents.remove(0);
        let higher = compute(&parse_case(&case(b, wage + raise, c, false, 2, 0)).unwrap()).unwrap().parents.remove(0);
        prop_assert!(higher.basis_without_income >= lower.basis_without_income,
            "{} -> {}", lower.basis_without_income, higher.basis_without_income);
    }

    /// No amount makes the engine panic, however large or fine: every amount field of a case
    /// with a birth, a Mutterschaftsgeld and income after the birth gets a decimal of up to 28
    /// digits at any scale (a fuzzer found 5.4 · 10²⁷ € after the birth overflowing the
    /// conversion to cents). Within the case format's limit the case is computed; beyond it
    /// the case is refused as `out_of_range`.
    #[test]
    fn no_panic_on_extreme_amounts(
        amounts in proptest::collection::vec(extreme_amount(), 7),
    ) {
        let [taxable, wage, profit, after, daily, top_up, last_year] =
            <[String; 7]>::try_from(amounts).expect("seven amounts");
        let json = format!(
            r#"{{"schema":"elternkit.case/1","evaluation_date":"2025-07-01","child":{{"birth_date":"2025-05-05"}},
            "household":{{"postal_code":"10115","single_parent":true,"taxable_income_year_before_birth":"{taxable}"}},
            "parents":[{{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
            "tax":{{"class":"IV","church_tax":true,"child_allowances":"0.5"}},
            "activities_before_birth":[{{"kind":"employed","monthly_income":"{wage}","months_active":[true,true,true,true,true,true,true,true,true,true,true,false],
              "pension_insured":true,"health_insured":true,"unemployment_insured":true}},
              {{"kind":"self_employed","monthly_income":"{profit}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}}],
            "small_profit_application":{{"profit_last_tax_year":"{last_year}","profit_birth_year_to_date":"{profit}"}},
            "maternity_benefit":{{"until":"2025-07-01","daily_amount":"{daily}","employer_top_up_daily":"{top_up}"}},
            "plan":["basis","basis","plus","plus"],"gross_income_after_birth":["0","{after}","{after}","{wage}"]}}],
            "kindergeld":{{"claimant":"p1"}}}}"#
        );
        let read: Option<Vec<Decimal>> = [&taxable, &wage, &profit, &after, &daily, &top_up, &last_year]
            .iter()
            .map(|a| a.parse().ok())
            .collect();
        let result = calculate_json(&json);
        match read {
            Some(values) if values.iter().any(|d| d.abs() > Decimal::from(1_000_000_000)) => {
                prop_assert!(result.errors.iter().any(|e| e.code == "out_of_range"), "{:?}", result.errors);
            }
            _ => prop_assert!(result.elterngeld.is_some() || !result.errors.is_empty()),
        }
    }

    /// No input makes the engine panic: arbitrary text, and cases with arbitrary field values.
    #[test]
    fn no_panic_on_any_input(text in ".{0,200}", wage in any::<i64>(), hours in any::<i32>(), count in 0u32..20) {
        let _ = calculate_json(&text);
        let json = case(Date::constant(2025, 5, 5), wage.rem_euclid(1_000_000_000_000), "IV", true, 3, 3)
            .replace(r#""child":{"birth_date":"2025-05-05"}"#, &format!(r#""child":{{"birth_date":"2025-05-05","count":{count}}}"#))
            .replace(r#""plan":["#, &format!(r#""weekly_hours_after_birth":[{hours}],"plan":["#));
        let result = calculate_json(&json);
        prop_assert!(result.elterngeld.is_some() || !result.errors.is_empty());
    }
}

/// Decimal text from ordinary amounts to 28 digits, with up to 28 places, of either sign.
fn extreme_amount() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..100_000_000).prop_map(|c| format!("{}.{:02}", c / 100, c % 100)),
        "-?[0-9]{1,28}",
        "-?[0-9]{1,14}\\.[0-9]{1,28}",
        "-?[1-9][0-9]{8,27}\\.[0-9]{2}",
    ]
}
