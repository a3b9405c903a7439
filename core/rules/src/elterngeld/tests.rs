//! Rules of the BEEG, one test each; the expected figures come from the statute or the
//! worked examples in RULES.md, named per test.

use std::str::FromStr;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::*;
use elternkit_model::parse_case;

/// The rules under test, with every text of the result checked to be fully rendered.
fn compute(case: &Case) -> Result<ElterngeldResult, RulesError> {
    let result = super::compute(case);
    if let Ok(r) = &result {
        let json = serde_json::to_value(r).expect("serialises");
        let open = crate::explain::unrendered_placeholders(&json);
        assert!(open.is_empty(), "texts with a placeholder left: {open:?}");
    }
    result
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(s: &str) -> Date {
    Date::from_str(s).unwrap()
}

/// § 2 Abs. 2 BEEG; RULES.md B4: 1 220 → 0.660, 1 202 → 0.669, ≤ 340 → 1.00, 999 → 0.67
/// (only full 2-euro steps count), 2 000 → 0.65.
#[test]
fn ersatzrate_steps() {
    let b = day("2025-06-01");
    for (net, rate) in [
        ("1220", "0.660"),
        ("1202", "0.669"),
        ("1201.99", "0.670"),
        ("1200", "0.67"),
        ("1000", "0.67"),
        ("999", "0.67"),
        ("998", "0.671"),
        ("340", "1.00"),
        ("0", "1.00"),
        ("1240", "0.65"),
        ("2000", "0.65"),
    ] {
        assert_eq!(ersatzrate(d(net), b).unwrap(), d(rate), "net {net}");
    }
}

fn case_json(extra_parent: &str, siblings: &str, child: &str) -> String {
    format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"2025-07-01",
        "child":{child},"siblings":{siblings},"household":{{"postal_code":"28195","taxable_income_year_before_birth":"60000.00"}},
        "parents":[{{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
        "cares_for_child":true,"tax":{{"class":"IV","child_allowances":"0.0"}}{extra_parent}}}]}}"#
    )
}

fn one_parent(extra: &str) -> ElterngeldParent {
    let json = case_json(extra, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let case = parse_case(&json).unwrap();
    compute(&case).unwrap().parents.remove(0)
}

/// § 2 Abs. 4 BEEG: 300 € without any income before birth; Plus 150 € (§ 4a Abs. 2).
#[test]
fn minimum_without_income() {
    let p = one_parent(r#","plan":["basis","plus"]"#);
    assert_eq!(p.months[0].amount, d("300"));
    assert_eq!(p.months[1].amount, d("150"));
    assert_eq!(p.total, d("450"));
}

/// § 2 Abs. 1 S. 2 BEEG: at most 1 800 € (6 000 € wage, net far above 2 770 €).
#[test]
fn maximum_basis() {
    let p = one_parent(
        r#","activities_before_birth":[{"kind":"employed","monthly_income":"9000.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}],"plan":["basis","plus"]"#,
    );
    assert_eq!(p.basis_without_income, d("1800"));
    assert_eq!(p.plus_without_income, d("900"));
    assert_eq!(p.replacement_rate, d("0.65"));
}

/// § 2a Abs. 1 BEEG: a sibling under 3 gives +10 %, at least 75 € (Plus: 37.50 €); the bonus
/// ends with the Lebensmonat in which the sibling turns 3 (tested at each month's start).
#[test]
fn geschwisterbonus_minimum_and_end() {
    let json = case_json(
        r#","plan":["basis","plus","basis","basis"]"#,
        r#"[{"birth_date":"2022-08-01"}]"#,
        r#"{"birth_date":"2025-06-10"}"#,
    );
    let case = parse_case(&json).unwrap();
    let p = compute(&case).unwrap().parents.remove(0);
    // Lebensmonat 1 starts 2025-06-10, sibling is 2 → 300 + 75; LM 2 Plus → 150 + 37.50.
    assert_eq!(p.months[0].amount, d("375"));
    assert_eq!(p.months[1].amount, d("187.50"));
    // LM 3 starts 2025-08-10, after the third birthday (2025-08-01): no bonus.
    assert_eq!(p.months[2].amount, d("300"));
}

/// § 2a Abs. 4 BEEG: +300 € per additional child of a multiple birth (Plus: 150 €).
#[test]
fn mehrlingszuschlag() {
    let json = case_json(
        r#","plan":["basis","plus"]"#,
        "[]",
        r#"{"birth_date":"2025-06-10","count":3}"#,
    );
    let p = compute(&parse_case(&json).unwrap())
        .unwrap()
        .parents
        .remove(0);
    assert_eq!(p.months[0].amount, d("900"));
    assert_eq!(p.months[1].amount, d("450"));
}

/// The amounts and offsets of a parent's Lebensmonate.
fn paid_and_offset(p: &ElterngeldParent) -> Vec<(u32, Decimal, Decimal)> {
    p.months
        .iter()
        .map(|m| (m.lebensmonat, m.amount, m.offset_maternity))
        .collect()
}

/// § 3 Abs. 1 S. 1 Nr. 1, S. 2 BEEG: Mutterschaftsgeld and top-up for part of a Lebensmonat
/// are credited only against the Elterngeld of those days (amount × covered days / calendar
/// days of the Lebensmonat); the other days' share is paid in full, and the 300 € minimum is
/// no protection against them (§ 3 Abs. 2 covers only Nr. 4, 5). Birth 2025-06-10, no income
/// (300 €), 13 + 50 € a day. Lebensmonat 1: 2025-06-10 … 07-09, Lebensmonat 2: 07-10 … 08-09
/// (31 days). By hand, benefit until
/// * 07-29 (20 days of 31): share 300 × 20/31 = 193.548 → 193.55 € < 20 × 63 = 1 260 €,
///   paid 300 − 193.55 = 106.45 €;
/// * 07-10 (the first day only): share 300 / 31 = 9.677 → 9.68 € < 63 €, paid 290.32 €;
/// * 08-08 (all but the last day): share 300 × 30/31 = 290.322 → 290.32 €, paid 9.68 €.
#[test]
fn maternity_offset_pro_rata() {
    let with_until = |until: &str| {
        one_parent(&format!(
            r#","maternity_benefit":{{"until":"{until}","daily_amount":"13.00","employer_top_up_daily":"50.00"}},"plan":["basis","basis","basis"]"#
        ))
    };
    let z = Decimal::ZERO;
    for (until, paid, offset) in [
        ("2025-07-29", "106.45", "193.55"),
        ("2025-07-10", "290.32", "9.68"),
        ("2025-08-08", "9.68", "290.32"),
    ] {
        let p = with_until(until);
        assert_eq!(
            paid_and_offset(&p),
            [(1, z, d("300")), (2, d(paid), d(offset)), (3, d("300"), z)],
            "until {until}"
        );
    }
}

/// A Mutterschutz ending exactly on a Lebensmonat's last day (2025-08-09, Lebensmonat 2 of a
/// birth on 2025-06-10) covers that month whole: 31 × 63 € ≥ 300 €, nothing paid; Lebensmonat
/// 3 starts after it and is paid in full, without a credit step. Ending on 07-09 (the last day
/// of Lebensmonat 1) leaves Lebensmonat 2 untouched.
#[test]
fn maternity_offset_ending_on_a_lebensmonat_boundary() {
    let z = Decimal::ZERO;
    let plan = r#","plan":["basis","basis","basis"]"#;
    let case = |until: &str| {
        let json = case_json(
            &format!(
                r#","maternity_benefit":{{"until":"{until}","daily_amount":"13.00","employer_top_up_daily":"50.00"}}{plan}"#
            ),
            "[]",
            r#"{"birth_date":"2025-06-10"}"#,
        );
        compute(&parse_case(&json).unwrap()).unwrap()
    };
    let r = case("2025-08-09");
    assert_eq!(
        paid_and_offset(&r.parents[0]),
        [(1, z, d("300")), (2, z, d("300")), (3, d("300"), z)]
    );
    let steps = |r: &ElterngeldResult| {
        r.explanation
            .iter()
            .filter(|s| s.rule == "elterngeld.mutterschaftsleistungen")
            .count()
    };
    assert_eq!(steps(&r), 2);
    let r = case("2025-07-09");
    assert_eq!(
        paid_and_offset(&r.parents[0]),
        [(1, z, d("300")), (2, d("300"), z), (3, d("300"), z)]
    );
    assert_eq!(steps(&r), 1);
}

/// The issue's example (§ 3 Abs. 1 S. 2 BEEG): birth 2025-03-10, class I, 3 000 € a month
/// insured, Basis in Lebensmonate 1–4 (1 264.52 € each), Mutterschaftsgeld until 2025-05-05
/// (8 weeks, § 3 Abs. 2 S. 1 MuSchG) at 13 + 70 € a day. Lebensmonat 1 (03-10 … 04-09) is
/// covered whole: 31 × 83 = 2 573 € ≥ 1 264.52 €, nothing paid. Lebensmonat 2 (04-10 … 05-09,
/// 30 days) has 26 covered days: share 1 264.52 × 26/30 = 1 095.917 → 1 095.92 € < 26 × 83 =
/// 2 158 €, so 1 095.92 € are credited and 168.60 € paid (4/30 of the month). The explanation
/// shows the covered days, the share and the offset.
#[test]
fn maternity_offset_for_part_of_a_lebensmonat_is_explained() {
    let r = insured_3000_result(
        r#"{"birth_date":"2025-03-10"}"#,
        &["basis", "basis", "basis", "basis"],
        &[],
        r#","maternity_benefit":{"until":"2025-05-05","daily_amount":"13.00","employer_top_up_daily":"70.00"}"#,
    );
    let p = &r.parents[0];
    assert_eq!(p.basis_without_income, d("1264.52"));
    let z = Decimal::ZERO;
    assert_eq!(
        paid_and_offset(p),
        [
            (1, z, d("1264.52")),
            (2, d("168.60"), d("1095.92")),
            (3, d("1264.52"), z),
            (4, d("1264.52"), z)
        ]
    );
    assert_eq!(p.total, d("2697.64"));
    let step = r
        .explanation
        .iter()
        .filter(|s| s.rule == "elterngeld.mutterschaftsleistungen")
        .nth(1)
        .expect("a credit step for Lebensmonat 2");
    assert_eq!(step.citation, "§ 3 Abs. 1 S. 1 Nr. 1, S. 2 BEEG");
    assert_eq!(step.output, Value::Money(d("1095.92")));
    let de = step.text.de();
    for part in [
        "Lebensmonat 2",
        "26 von 30 Tagen",
        "2158.00 €",
        "1264.52 €",
        "1095.92 €",
        "168.60 € ausgezahlt",
    ] {
        assert!(de.contains(part), "{part}: {de}");
    }
    let en = step.text.en();
    assert!(
        en.contains("26 of 30 days") && en.contains("168.60 € paid"),
        "{en}"
    );
}

/// A premature birth (§ 3 Abs. 2 S. 2 Nr. 1, S. 3 MuSchG): born 2025-03-10, expected 2025-05-05
/// (8 weeks early, two more Basis months, § 4 Abs. 5 BEEG), so the 6 weeks before the expected
/// day (2025-03-24 … 05-04, 42 days) were not taken. Protection after the birth: 12 weeks, to
/// 2025-06-02, plus those 42 days: until 2025-07-14. Lebensmonat 4 (06-10 … 07-09) is covered
/// whole; Lebensmonat 5 (07-10 … 08-09, 31 days) for 5 days: share 1 264.52 × 5/31 = 203.955
/// → 203.95 € < 5 × 83 = 415 €, paid 1 264.52 − 203.95 = 1 060.57 €.
#[test]
fn maternity_offset_after_a_premature_birth() {
    let r = insured_3000_result(
        r#"{"birth_date":"2025-03-10","expected_birth_date":"2025-05-05"}"#,
        &["basis"; 6],
        &[],
        r#","maternity_benefit":{"until":"2025-07-14","daily_amount":"13.00","employer_top_up_daily":"70.00"}"#,
    );
    let p = &r.parents[0];
    let z = Decimal::ZERO;
    let months = paid_and_offset(p);
    assert_eq!(months[3], (4, z, d("1264.52")));
    assert_eq!(months[4], (5, d("1060.57"), d("203.95")));
    assert_eq!(months[5], (6, d("1264.52"), z));
    assert!(r.plan_problems.is_empty(), "{:?}", r.plan_problems);
}

/// Twins (§ 3 Abs. 2 S. 2 Nr. 2 MuSchG: 12 weeks): born Tuesday 2025-06-10, protected until
/// Tuesday 2025-09-02; no income before the birth, so 300 € + 300 € Mehrlingszuschlag (§ 2a
/// Abs. 4 BEEG) = 600 € a Basis month. The credit is the benefit, at most the covered days'
/// share. With Mutterschaftsgeld of 13 € a day alone:
/// * Lebensmonat 1 (06-10 … 07-09, 30 days, whole): 30 × 13 = 390 €, paid 210 €;
/// * Lebensmonat 2 (07-10 … 08-09, 31 days, whole): 31 × 13 = 403 €, paid 197 €;
/// * Lebensmonat 3 (08-10 … 09-09, 31 days, 24 covered): share 600 × 24/31 = 464.516 →
///   464.52 €, the benefit 24 × 13 = 312 € is less, paid 600 − 312 = 288 €;
/// * Lebensmonat 4: 600 €.
///
/// With 20 € top-up a day (33 €): Lebensmonate 1 and 2 are credited whole (990 €, 1 023 €), in
/// Lebensmonat 3 the benefit 792 € exceeds the share, 464.52 € are credited, 135.48 € paid.
#[test]
fn maternity_offset_after_a_multiple_birth() {
    let twins = |top_up: &str| {
        let json = case_json(
            &format!(
                r#","maternity_benefit":{{"until":"2025-09-02","daily_amount":"13.00","employer_top_up_daily":"{top_up}"}},"plan":["basis","basis","basis","basis"]"#
            ),
            "[]",
            r#"{"birth_date":"2025-06-10","count":2}"#,
        );
        let p = compute(&parse_case(&json).unwrap())
            .unwrap()
            .parents
            .remove(0);
        paid_and_offset(&p)
    };
    let z = Decimal::ZERO;
    assert_eq!(
        twins("0.00"),
        [
            (1, d("210"), d("390")),
            (2, d("197"), d("403")),
            (3, d("288"), d("312")),
            (4, d("600"), z)
        ]
    );
    assert_eq!(
        twins("20.00"),
        [
            (1, z, d("600")),
            (2, z, d("600")),
            (3, d("135.48"), d("464.52")),
            (4, d("600"), z)
        ]
    );
}

/// The covered days follow the Lebensmonate of §§ 187, 188 BGB: born Friday 2025-01-31,
/// protected 8 weeks to Friday 2025-03-28; Lebensmonat 1 runs 01-31 … 02-28 (covered whole),
/// Lebensmonat 2 03-01 … 03-30 (30 days, 28 covered): share 300 × 28/30 = 280.00 €, paid
/// 20.00 €. (With Lebensmonat 2 starting on 02-28 it would be 29 of 31 days, 19.35 € paid.)
#[test]
fn maternity_offset_counts_days_of_the_bgb_lebensmonat() {
    let json = case_json(
        r#","maternity_benefit":{"until":"2025-03-28","daily_amount":"13.00","employer_top_up_daily":"50.00"},"plan":["basis","basis","basis"]"#,
        "[]",
        r#"{"birth_date":"2025-01-31"}"#,
    )
    .replace("2025-07-01", "2025-02-10");
    let p = compute(&parse_case(&json).unwrap())
        .unwrap()
        .parents
        .remove(0);
    let z = Decimal::ZERO;
    assert_eq!(
        paid_and_offset(&p),
        [
            (1, z, d("300")),
            (2, d("20.00"), d("280.00")),
            (3, d("300"), z)
        ]
    );
}

/// The last day of Lebensmonat `k`, read directly from the BGB (§ 26 Abs. 1 BEEG, § 26 Abs. 1
/// SGB X): the birth day counts (§ 187 Abs. 2), the period of `k` months ends with the day
/// before the day of the `k`-th following month that bears the birth day's number (§ 188
/// Abs. 2 Alt. 2), and with that month's last day where it has no such day (§ 188 Abs. 3).
fn lebensmonat_end_by_bgb(birth: Date, k: u32) -> Date {
    let end_month = birth
        .first_of_month()
        .checked_add(jiff::Span::new().months(i64::from(k)))
        .unwrap();
    if birth.day() <= end_month.days_in_month() {
        end_month
            .with()
            .day(birth.day())
            .build()
            .unwrap()
            .yesterday()
            .unwrap()
    } else {
        end_month.last_of_month()
    }
}

/// § 4 Abs. 1 BEEG with §§ 187 Abs. 2, 188 Abs. 2, 3 BGB: Lebensmonat 1 starts on the birth
/// day, each further one the day after the previous one ends, for every birth day of a common
/// (2027) and a leap year (2028) and 40 Lebensmonate. Where the birth day is missing in the
/// end month the Lebensmonat runs to that month's last day: born 2026-05-31, Lebensmonat 4
/// ends 2026-09-30 (not 09-29); born 2027-10-31, Lebensmonat 4 ends 2028-02-29; born
/// 2027-01-29, Lebensmonat 1 ends 2027-02-28 and Lebensmonat 2 runs 2027-03-01 … 03-28.
#[test]
fn lebensmonate() {
    let mut birth = day("2027-01-01");
    while birth < day("2029-01-01") {
        assert_eq!(lebensmonat_start(birth, 1).unwrap(), birth);
        assert_eq!(lebensmonat_of(birth, birth), 1);
        for k in 1..=40u32 {
            let end = lebensmonat_end_by_bgb(birth, k);
            let next = lebensmonat_start(birth, k + 1).unwrap();
            assert_eq!(
                next,
                end.tomorrow().unwrap(),
                "born {birth}, Lebensmonat {k}"
            );
            assert_eq!(lebensmonat_of(birth, end), k, "born {birth}, {end}");
            assert_eq!(lebensmonat_of(birth, next), k + 1, "born {birth}, {next}");
        }
        birth = birth.tomorrow().unwrap();
    }
    assert_eq!(
        lebensmonat_start(day("2026-05-31"), 5).unwrap(),
        day("2026-10-01")
    );
    assert_eq!(
        lebensmonat_start(day("2027-10-31"), 5).unwrap(),
        day("2028-03-01")
    );
    assert_eq!(
        lebensmonat_start(day("2027-01-29"), 2).unwrap(),
        day("2027-03-01")
    );
    assert_eq!(
        lebensmonat_start(day("2027-01-29"), 3).unwrap(),
        day("2027-03-29")
    );
    assert_eq!(
        lebensmonat_start(day("2028-01-29"), 2).unwrap(),
        day("2028-02-29")
    );
    let b = day("2025-01-31");
    assert_eq!(lebensmonat_start(b, 2).unwrap(), day("2025-03-01"));
    assert_eq!(lebensmonat_of(b, day("2025-02-28")), 1);
    assert_eq!(lebensmonat_of(b, day("2025-03-01")), 2);
    assert_eq!(lebensmonat_of(b, day("2025-01-30")), 0);
}

/// The starts of a plan's Lebensmonate are `lebensmonat_start` of each: every birth day of
/// a common and a leap year, and births whose starts pass the end of the calendar.
#[test]
fn lebensmonat_starts_are_each_start() {
    let mut birth = day("2027-01-01");
    while birth < day("2029-01-01") {
        let starts = lebensmonat_starts(birth, LAST_LEBENSMONAT).unwrap();
        for (k, start) in (1u32..).zip(starts) {
            assert_eq!(
                Some(start),
                lebensmonat_start(birth, k),
                "born {birth}, {k}"
            );
        }
        birth = birth.tomorrow().unwrap();
    }
    for birth in ["9997-10-31", "9999-01-31"] {
        let birth = day(birth);
        for months in 0..=LAST_LEBENSMONAT {
            let expected: Option<Vec<Date>> = (1..=months as u32 + 1)
                .map(|k| lebensmonat_start(birth, k))
                .collect();
            let got = lebensmonat_starts(birth, months)
                .ok()
                .map(|s| s[..=months].to_vec());
            assert_eq!(got, expected, "born {birth}, {months} months");
        }
    }
}

/// `lebensmonat_of` finds the Lebensmonat as counting the starts up from 1 (up to 1000)
/// finds it: births on every 3rd day of a common and a leap year, days before the birth to
/// three years after it, and the cap of 1000.
#[test]
fn lebensmonat_of_is_counting_the_starts() {
    let counted = |birth: Date, day: Date| {
        if day < birth {
            return 0;
        }
        let mut k = 1;
        while k < 1000 && lebensmonat_start(birth, k + 1).is_some_and(|next| next <= day) {
            k += 1;
        }
        k
    };
    let mut birth = day("2027-01-01");
    while birth < day("2029-01-01") {
        let mut d = birth.checked_sub(jiff::Span::new().days(2)).unwrap();
        while d < birth.checked_add(jiff::Span::new().years(3)).unwrap() {
            assert_eq!(
                lebensmonat_of(birth, d),
                counted(birth, d),
                "born {birth}, {d}"
            );
            d = d.tomorrow().unwrap();
        }
        birth = birth.checked_add(jiff::Span::new().days(3)).unwrap();
    }
    for (birth, d) in [
        ("1900-01-31", "1983-04-30"),
        ("1900-01-31", "1983-05-01"),
        ("1900-01-31", "2026-01-01"),
        ("9999-11-15", "9999-12-31"),
    ] {
        assert_eq!(
            lebensmonat_of(day(birth), day(d)),
            counted(day(birth), day(d)),
            "{birth} {d}"
        );
    }
}

/// § 1 Abs. 8 BEEG: zvE above 175 000 € for a birth from 2025-04-01 excludes Elterngeld.
#[test]
fn income_ceiling() {
    let json = case_json(
        r#","plan":["basis","basis"]"#,
        "[]",
        r#"{"birth_date":"2025-06-10"}"#,
    )
    .replace("60000.00", "175000.01");
    let p = compute(&parse_case(&json).unwrap())
        .unwrap()
        .parents
        .remove(0);
    assert!(!p.eligible);
    assert!(
        p.reasons
            .iter()
            .any(|r| r.code == "income_ceiling_exceeded")
    );
    assert_eq!(p.total, Decimal::ZERO);
}

/// § 7 Abs. 1 S. 2 BEEG: an application in Lebensmonat 6 reaches back to Lebensmonat 3 only.
#[test]
fn retroactive_limit() {
    let json = case_json(
        r#","plan":["basis","basis","basis","basis"]"#,
        "[]",
        r#"{"birth_date":"2025-01-10"}"#,
    );
    let p = compute(&parse_case(&json).unwrap())
        .unwrap()
        .parents
        .remove(0);
    // evaluation 2025-07-01 lies in LM 6 (06-10..07-09).
    assert_eq!(p.months[0].amount, Decimal::ZERO);
    assert_eq!(p.months[1].amount, Decimal::ZERO);
    assert_eq!(p.months[2].amount, d("300"));
    assert!(p.reasons.iter().any(|r| r.code == "retroactive_limit"));
}

/// The plan problems of a couple; p2 earned a wage before the birth, so the partner months
/// of § 4 Abs. 3 S. 2 BEEG are open when p2 claims.
fn couple_plan(birth: &str, p1: &str, p2: &str) -> Vec<String> {
    couple_plan_with(birth, p1, "", p2, &employed("2500.00"))
}

/// [`couple_plan`] with each parent's further fields.
fn couple_plan_with(
    birth: &str,
    p1: &str,
    p1_extra: &str,
    p2: &str,
    p2_extra: &str,
) -> Vec<String> {
    let parent = |id: &str, plan: &str, extra: &str| {
        format!(
            r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
            "cares_for_child":true,"tax":{{"class":"IV"}},"plan":{plan}{extra}}}"#
        )
    };
    let json = format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"{birth}","child":{{"birth_date":"{birth}"}},
        "household":{{"postal_code":"28195"}},"parents":[{},{}]}}"#,
        parent("p1", p1, p1_extra),
        parent("p2", p2, p2_extra)
    );
    compute(&parse_case(&json).unwrap())
        .unwrap()
        .plan_problems
        .into_iter()
        .map(|p| p.code)
        .collect()
}

/// § 4 Abs. 6 BEEG (births from 2024-04-01): parallel Basis in one Lebensmonat only.
#[test]
fn parallel_basis_rule_by_birth_date() {
    let p1 = r#"["basis","basis","basis"]"#;
    let p2 = r#"["basis","basis"]"#;
    assert!(couple_plan("2024-04-01", p1, p2).contains(&"parallel_basis_months".to_string()));
    assert!(!couple_plan("2024-03-31", p1, p2).contains(&"parallel_basis_months".to_string()));
    assert!(
        !couple_plan(
            "2024-04-01",
            p1,
            r#"["basis","none","none","basis","basis"]"#
        )
        .contains(&"parallel_basis_months".to_string())
    );
}

/// § 4 Abs. 1 S. 3–4, Abs. 3, Abs. 4 BEEG: no Basis after LM 14, no gap after LM 14, at most
/// 14 months together, at least 2 per parent.
#[test]
fn plan_limits() {
    let late_basis = format!("[{}]", [r#""none""#; 14].join(",") + r#","basis""#);
    assert!(
        couple_plan("2025-01-10", &late_basis, r#"["basis","basis"]"#)
            .contains(&"basis_after_limit".to_string())
    );
    let gap = format!("[{}]", [r#""plus""#; 14].join(",") + r#","none","plus""#);
    assert!(
        couple_plan("2025-01-10", &gap, r#"["none","basis","basis"]"#)
            .contains(&"gap_after_month_14".to_string())
    );
    let twelve = format!("[{}]", [r#""basis""#; 12].join(","));
    let three = r#"["none","none","none","none","none","none","none","none","none","none","none","none","basis","basis","basis"]"#;
    assert!(couple_plan("2025-01-10", &twelve, three).contains(&"too_many_months".to_string()));
    assert!(
        couple_plan("2025-01-10", &twelve, r#"["none","basis"]"#)
            .contains(&"too_few_months".to_string())
    );
    assert!(couple_plan("2025-01-10", &twelve, r#"["none","none","none","none","none","none","none","none","none","none","none","none","basis","basis"]"#).is_empty());
}

fn employed(wage: &str) -> String {
    format!(
        r#","activities_before_birth":[{{"kind":"employed","monthly_income":"{wage}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}]"#
    )
}

/// § 2 Abs. 1, 3 BEEG: the difference method takes the net before the birth only up to
/// 2 770 €; 0.65 × (2 770 − 1 000) = 1 150.50. Below it the real difference counts:
/// 0.67 × (1 100 − 400) = 469.00. The minimum of § 2 Abs. 4 still applies: 300.
#[test]
fn difference_method_cap() {
    let amounts = |net_before: &str, rate: &str| Amounts {
        rate: d(rate),
        net_before: d(net_before),
        cap_income: d("2770"),
        min_basis: d("300"),
        max_basis: d("1800"),
        min_plus: d("150"),
        basis_without: d("1800"),
        plus_without: d("900"),
        cents: None,
    };
    // In decimals and in integers alike.
    for cents in [false, true] {
        let amounts = |net_before: &str, rate: &str| {
            let a = amounts(net_before, rate);
            if cents { a.with_cents() } else { a }
        };
        assert_eq!(amounts("3400", "0.65").cents.is_some(), cents);
        assert_eq!(amounts("3400", "0.65").basis(d("1000")), d("1150.50"));
        assert_eq!(amounts("1100", "0.67").basis(d("400")), d("469.00"));
        assert_eq!(amounts("1100", "0.67").basis(d("1050")), d("300"));
        // § 4a Abs. 2: Plus at most half of the Basis without income (here 900).
        assert_eq!(amounts("3400", "0.65").plus(d("0")), d("900"));
    }
}

/// § 4 Abs. 5 BEEG: a birth at least 6, 8, 12, 16 weeks before the expected date gives 1, 2,
/// 3, 4 extra Basis months; 41 days early give none.
#[test]
fn premature_birth_extra_months() {
    for (expected, extra) in [
        ("2025-07-20", 0), // 40 days
        ("2025-07-21", 0), // 41 days
        ("2025-07-22", 1), // 42 days = 6 weeks
        ("2025-08-05", 2), // 8 weeks
        ("2025-09-02", 3), // 12 weeks
        ("2025-09-30", 4), // 16 weeks
        ("2025-12-01", 4),
    ] {
        let json = case_json(
            r#","plan":["basis"]"#,
            "[]",
            &format!(r#"{{"birth_date":"2025-06-10","expected_birth_date":"{expected}"}}"#),
        );
        let case = parse_case(&json).unwrap();
        assert_eq!(
            plan::premature_extra_months(
                &case,
                &birth_params::BirthParams::resolve(case.child.birth_date)
                    .unwrap()
                    .plan
            ),
            extra,
            "expected {expected}"
        );
    }
}

/// § 4 Abs. 5 with § 4 Abs. 1: the extra months also move the last Basis Lebensmonat; a
/// child born 8 weeks early may take Basis in Lebensmonat 16 (14 + 2).
#[test]
fn premature_birth_moves_the_basis_limit() {
    let plan = format!("[{}]", [r#""none""#; 15].join(",") + r#","basis""#);
    let json = case_json(
        &format!(r#","plan":{plan}"#),
        "[]",
        r#"{"birth_date":"2025-06-10","expected_birth_date":"2025-08-05"}"#,
    );
    let problems: Vec<String> = compute(&parse_case(&json).unwrap())
        .unwrap()
        .plan_problems
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert!(
        !problems.contains(&"basis_after_limit".to_string()),
        "{problems:?}"
    );
    let json = case_json(
        &format!(r#","plan":{plan}"#),
        "[]",
        r#"{"birth_date":"2025-06-10"}"#,
    );
    let problems: Vec<String> = compute(&parse_case(&json).unwrap())
        .unwrap()
        .plan_problems
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert!(
        problems.contains(&"basis_after_limit".to_string()),
        "{problems:?}"
    );
}

/// § 4c Abs. 1 Nr. 1 BEEG: a single parent whose income from employment is reduced may take all
/// 14 Basis months, one without earnings before the birth only 12; one parent of a couple only
/// 12 (§ 4 Abs. 4 S. 1).
#[test]
fn single_parent_takes_fourteen_months() {
    let fourteen = format!(r#","plan":[{}]"#, [r#""basis""#; 14].join(","));
    let single = case_json(&fourteen, "[]", r#"{"birth_date":"2025-06-10"}"#).replace(
        r#""postal_code":"28195""#,
        r#""postal_code":"28195","single_parent":true"#,
    );
    let codes = |json: &str| -> Vec<String> {
        compute(&parse_case(json).unwrap())
            .unwrap()
            .plan_problems
            .into_iter()
            .map(|p| p.code)
            .collect()
    };
    assert!(
        codes(&single).contains(&"partner_months_without_income_reduction".to_string()),
        "without earnings before the birth (§ 4c Abs. 1 Nr. 1 BEEG): {:?}",
        codes(&single)
    );
    let earning = single.replace(
        r#""plan":["#,
        &format!(r#"{},"plan":["#, &employed("2500.00")[1..]),
    );
    assert!(codes(&earning).is_empty(), "{:?}", codes(&earning));
    let couple = couple_plan("2025-06-10", &fourteen[8..], r#"["none"]"#);
    assert!(
        couple.contains(&"too_many_months_parent".to_string()),
        "{couple:?}"
    );
}

/// § 4c BEEG: who must declare the ground of drawing alone — a single parent with more Basis
/// months than one parent may take (Plus counts half), or with Partnerschaftsbonus months
/// while nobody else claims; never one parent of a couple, nor a single parent within 12.
#[test]
fn single_parent_claims_name_who_draws_on_section_4c() {
    let months = |list: &[&str]| {
        let quoted: Vec<String> = list.iter().map(|m| format!(r#""{m}""#)).collect();
        format!(r#","plan":[{}]"#, quoted.join(","))
    };
    let single = |plan: &str| {
        let json = case_json(plan, "[]", r#"{"birth_date":"2025-06-10"}"#).replace(
            r#""postal_code":"28195""#,
            r#""postal_code":"28195","single_parent":true"#,
        );
        single_parent_claims(&parse_case(&json).unwrap())
    };
    assert_eq!(single(&months(&["basis"; 14])), ["p1"]);
    assert!(single(&months(&["basis"; 12])).is_empty());
    // 11 Basis + 4 Plus = 13 Basis-equivalents: the partner months.
    let mut mixed = vec!["basis"; 11];
    mixed.extend(["plus"; 4]);
    assert_eq!(single(&months(&mixed)), ["p1"]);
    // 10 Basis + 2 Bonus, alone: the Partnerschaftsbonus by § 4c Abs. 2.
    let mut bonus = vec!["basis"; 10];
    bonus.extend(["bonus"; 2]);
    assert_eq!(single(&months(&bonus)), ["p1"]);
    // A couple: § 4 Abs. 4 limits apply, not § 4c.
    let fourteen = months(&["basis"; 14]);
    let json = case_json(&fourteen, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let mut case = parse_case(&json).unwrap();
    case.household.single_parent = false;
    let mut other = case.parents[0].clone();
    other.id = "p2".into();
    other.plan = vec![PlanMonth::None];
    case.parents.push(other);
    assert!(single_parent_claims(&case).is_empty());
}

/// § 1 Abs. 6 BEEG: more than 32 hours a week in a Lebensmonat: no Elterngeld in it.
#[test]
fn more_than_32_hours_pays_nothing_that_month() {
    let p = one_parent(
        r#","plan":["basis","basis","basis"],"weekly_hours_after_birth":["0","32","32.5"]"#,
    );
    assert_eq!(p.months[0].amount, d("300"));
    assert_eq!(p.months[1].amount, d("300"));
    assert_eq!(p.months[2].amount, d("0"));
    assert!(p.reasons.iter().any(|r| r.code == "working_hours_exceeded"));
}

/// § 1 Abs. 7 BEEG: a Niederlassungserlaubnis entitles (Nr. 1); a § 25 Abs. 3 AufenthG title
/// only with employment (Nr. 2 c, Nr. 3); a student's § 16b permit only while employed or on
/// Elternzeit (Nr. 2 b); a § 19e volunteer permit never (Nr. 2 a); an unknown string is not
/// guessed.
#[test]
fn residence_titles_of_section_1_7() {
    let parent = |title: &str, work: &str| {
        let json = case_json(
            &format!(r#","plan":["basis","basis"]{work}"#),
            "[]",
            r#"{"birth_date":"2025-06-10"}"#,
        )
        .replace(
            r#""citizenship":"DE""#,
            &format!(r#""citizenship":"IN","residence_title":"{title}""#),
        );
        // Read without validation: an unknown id is an input error there (model), and the
        // rules' own answer to it is tested here.
        let case: elternkit_model::Case = serde_json::from_str(&json).unwrap();
        compute(&case).unwrap().parents.remove(0)
    };
    let p = parent("niederlassungserlaubnis", "");
    assert!(p.eligible, "{:?}", p.reasons);
    let p = parent("aufenthaltserlaubnis_25_3", "");
    assert!(!p.eligible);
    assert!(
        p.reasons
            .iter()
            .any(|r| r.code == "residence_title_requires_employment")
    );
    let p = parent("aufenthaltserlaubnis_25_3", &employed("2500.00"));
    assert!(p.eligible, "{:?}", p.reasons);
    assert!(
        p.reasons
            .iter()
            .any(|r| r.code == "assumed_employed_or_elternzeit")
    );
    let has = |p: &ElterngeldParent, code: &str| p.reasons.iter().any(|r| r.code == code);
    let p = parent("aufenthaltserlaubnis_16b", &employed("2500.00"));
    assert!(p.eligible, "{:?}", p.reasons);
    let p = parent("aufenthaltserlaubnis_16b", "");
    assert!(has(&p, "residence_title_requires_employment"));
    assert!(
        p.reasons
            .iter()
            .any(|r| r.citation.contains("Nr. 2 b BEEG"))
    );
    let p = parent("aufenthaltserlaubnis_19e", &employed("2500.00"));
    assert!(!p.eligible && has(&p, "residence_title_not_entitling"));
    assert_eq!(p.total, d("0"));
    let p = parent("visum_unbekannt", &employed("2500.00"));
    assert!(!p.eligible && has(&p, "residence_title_not_entitling"));
}

/// § 2f Abs. 2 BEEG with § 20 Abs. 2a SGB IV: in the Übergangsbereich the contribution base
/// runs from F·G at the Minijob limit G to the full wage at the upper limit O (2025: G = 556,
/// O = 2 000, F = 0.6667 from the BEEG flat rates); a Minijob pays no flat contributions at all.
#[test]
fn uebergangsbereich_base_and_minijob() {
    let limits = income::MonthLimits::for_month(YearMonth {
        year: 2025,
        month: 3,
    })
    .unwrap();
    assert_eq!(limits.minijob, d("556"));
    assert_eq!(limits.midijob_upper, d("2000"));
    assert_eq!(limits.midijob_base(d("556")), limits.factor_f * d("556"));
    assert_eq!(limits.midijob_base(d("2000")).round_dp(10), d("2000"));
    let low = limits.midijob_base(d("1000"));
    let high = limits.midijob_base(d("1500"));
    assert!(low < d("1000") && high < d("1500") && low < high);
    // The precomputed parts give the straight line F·G + (O/(O−G) − G/(O−G)·F)·(AE − G) itself.
    let (g, o, f) = (d("556"), d("2000"), limits.factor_f);
    let direct = f * g + (o / (o - g) - g / (o - g) * f) * (d("1000") - g);
    assert_eq!(low, direct);
    // A Minijob parent: Elterngeld-Netto = gross less the Werbungskostenpauschale, no
    // taxes (pauschal) and no social contributions.
    let p = one_parent(
        r#","activities_before_birth":[{"kind":"minijob","monthly_income":"500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"]"#,
    );
    assert_eq!(p.income_before_birth.social_contributions, d("0"));
    assert_eq!(p.income_before_birth.taxes, d("0"));
    assert_eq!(p.income_before_birth.net, p.income_before_birth.gross);
}

/// § 4b BEEG: the Partnerschaftsbonus needs 2 to 4 consecutive Lebensmonate, parallel for
/// both parents, with 24 to 32 hours a week.
#[test]
fn partnerschaftsbonus_rules() {
    let bonus_parent = |id: &str, months: usize, hours: &str| {
        let mut plan = vec![r#""none""#; 2];
        plan.extend(std::iter::repeat_n(r#""bonus""#, months));
        let hours: Vec<String> = (0..plan.len()).map(|_| format!(r#""{hours}""#)).collect();
        format!(
            r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
            "cares_for_child":true,"tax":{{"class":"IV"}},"plan":[{}],"weekly_hours_after_birth":[{}]}}"#,
            plan.join(","),
            hours.join(",")
        )
    };
    let codes = |a: String, b: String| -> Vec<String> {
        let json = format!(
            r#"{{"schema":"elternkit.case/1","evaluation_date":"2025-06-10","child":{{"birth_date":"2025-06-10"}},
            "household":{{"postal_code":"28195"}},"parents":[{a},{b}]}}"#
        );
        compute(&parse_case(&json).unwrap())
            .unwrap()
            .plan_problems
            .into_iter()
            .map(|p| p.code)
            .filter(|c| c.starts_with("partnerschaftsbonus"))
            .collect()
    };
    assert!(codes(bonus_parent("p1", 2, "28"), bonus_parent("p2", 2, "24")).is_empty());
    assert_eq!(
        codes(bonus_parent("p1", 5, "28"), bonus_parent("p2", 5, "28")),
        ["partnerschaftsbonus_months", "partnerschaftsbonus_months"]
    );
    assert_eq!(
        codes(bonus_parent("p1", 2, "20"), bonus_parent("p2", 2, "28")),
        ["partnerschaftsbonus_hours"]
    );
    assert_eq!(
        codes(bonus_parent("p1", 2, "28"), bonus_parent("p2", 3, "28")),
        ["partnerschaftsbonus_not_parallel"]
    );
}

fn activity(kind: &str, months: std::ops::Range<usize>, insured: bool) -> String {
    let active: Vec<String> = (0..12).map(|i| months.contains(&i).to_string()).collect();
    format!(
        r#"{{"kind":"{kind}","monthly_income":"2000.00","months_active":[{}],"pension_insured":{insured},"health_insured":{insured},"unemployment_insured":{insured}}}"#,
        active.join(",")
    )
}

fn status_of(activities: &[String]) -> Insurance {
    let extra = format!(r#","activities_before_birth":[{}]"#, activities.join(","));
    let case = parse_case(&case_json(&extra, "[]", r#"{"birth_date":"2025-06-10"}"#)).unwrap();
    person_insurance(&case.parents[0], |a, _| a.kind)
}

/// § 2f Abs. 1 with § 2c Abs. 3 S. 2, 3 BEEG and BSG B 10 EG 10/17 R: only months with income
/// are compared; the status of more than half of them counts, a tie is decided by the last month
/// with any income (RULES.md B3 item 4); Minijob months count as uninsured whatever their flags
/// say.
#[test]
fn insurance_status_over_months_with_income() {
    let all = Insurance {
        health: true,
        pension: true,
        unemployment: true,
    };
    // Four insured months and no other income: insured (not 4 of 12).
    assert_eq!(status_of(&[activity("employed", 0..4, true)]), all);
    // Job change 6:6, the later job insured: the last month decides.
    let change = [
        activity("employed", 0..6, false),
        activity("employed", 6..12, true),
    ];
    assert_eq!(status_of(&change), all);
    let change_back = [
        activity("employed", 0..6, true),
        activity("employed", 6..12, false),
    ];
    assert_eq!(status_of(&change_back), Insurance::default());
    // 3 insured months against 6 Minijob months: not insured.
    let with_minijob = [
        activity("employed", 0..3, true),
        activity("minijob", 3..9, true),
    ];
    assert_eq!(status_of(&with_minijob), Insurance::default());
    // Tie 6:6, insured employment first, then uninsured profit: the last month with any income
    // (profit, month 12) decides, not the last month with employment (month 6).
    let then_profit = [
        activity("employed", 0..6, true),
        activity("self_employed", 6..12, false),
    ];
    assert_eq!(status_of(&then_profit), Insurance::default());
    // And the other way round: uninsured wages, then insured profit.
    let then_insured_profit = [
        activity("employed", 0..6, false),
        activity("self_employed", 6..12, true),
    ];
    assert_eq!(status_of(&then_insured_profit), all);
}

/// § 2f Abs. 2 S. 3 BEEG with § 163 Abs. 10 SGB VI in the version of 2019-07-01 … 2022-09-30:
/// beitragspflichtige Einnahme = F × 450 + (1 300 / 850 − 450 / 850 × F) × (AE − 450), the
/// same shape as today's § 20 Abs. 2a SGB IV with G = 450, O = 1 300. F is "unter
/// Zugrundelegung der Beitragssatzpauschalen nach Absatz 1" (§ 2f Abs. 2 S. 3 BEEG): 30 % of
/// 2 × 21 % = 0.7143 for income months up to 2022-09-30, whatever the year (RULES.md B3 item 4,
/// Correction; not the SGB IV factor 0.7509 of 2021 that the 2022 test sheet used).
/// Expected, by hand from the statute: F·G = 0.7143 × 450 = 321.435; slope 1 300 / 850 −
/// 450 / 850 × 0.7143 = 1.5294117647 − 0.3781588235 = 1.1512529412; AE = 797 → 321.435 +
/// 1.1512529412 × 347 = 321.435 + 399.4847706 = 720.9197706 → 720.92.
#[test]
fn uebergangsbereich_2021_formula_and_factor() {
    let limits = income::MonthLimits::for_month(YearMonth {
        year: 2021,
        month: 5,
    })
    .unwrap();
    assert_eq!(limits.minijob, d("450"));
    assert_eq!(limits.midijob_upper, d("1300"));
    assert_eq!(limits.factor_f, d("0.7143"));
    assert_eq!(income::cent(limits.midijob_base(d("797"))), d("720.92"));
    assert_eq!(limits.midijob_base(d("450")), d("321.435"));
    assert_eq!(limits.midijob_base(d("1300")).round_dp(10), d("1300"));
    // The same F in every income month up to 2022-09-30, whatever the year.
    for (year, month) in [(2019, 7), (2020, 6), (2022, 9)] {
        let m = income::MonthLimits::for_month(YearMonth { year, month }).unwrap();
        assert_eq!(m.factor_f, d("0.7143"), "{year}-{month}");
    }
    // From 2022-10-01: 28 % / 42 % = 0.6667 with G = 520, O = 1 600.
    let oct = income::MonthLimits::for_month(YearMonth {
        year: 2022,
        month: 10,
    })
    .unwrap();
    assert_eq!(
        (oct.minijob, oct.midijob_upper, oct.factor_f),
        (d("520"), d("1600"), d("0.6667"))
    );
}

/// § 2f Abs. 1 S. 2, Abs. 2 S. 1 BEEG: the Bemessungsgrundlage is the monthly average of the
/// bases (a cent amount), the deduction is that amount times the Pauschalen, rounded once.
/// Expected (by hand, figures of the 2022 test sheet's case 52): profit 1 340 € in 6 months
/// and wages 1 334 € in one month, KV and RV: (8 040 + 1 334) / 12 = 781.17; × 19 % =
/// 148.4223 → 148.42 (rounding 9 % and 10 % separately would give 70.31 + 78.12 = 148.43).
#[test]
fn social_deduction_from_average_base_rounded_once() {
    let np = income::NetParams::for_birth(day("2022-10-12")).unwrap();
    let limits = income::MonthLimits::for_month(YearMonth {
        year: 2021,
        month: 1,
    })
    .unwrap();
    let insurance = income::Insurance {
        health: true,
        pension: true,
        unemployment: false,
    };
    let month = |slot: usize, kind: ActivityKind, amount: &str| income::MonthIncome {
        slot,
        kind,
        amount: d(amount),
        insurance,
        limits,
    };
    let mut months: Vec<_> = (4..10)
        .map(|i| month(i, ActivityKind::SelfEmployed, "1340"))
        .collect();
    months.push(month(5, ActivityKind::Employed, "1334"));
    let tax = income::TaxFeatures {
        class: elternkit_model::TaxClass::III,
        factor: None,
        church: true,
        child_allowances: d("2"),
        pension_insured: true,
    };
    let f = income::net_of(&np, &tax, &months, d("12"), income::Period::BeforeBirth).unwrap();
    assert_eq!(f.social_contributions, d("148.42"));
}

/// The Bemessungszeitraum the rules choose for a parent (birth 2025-06-10).
fn bmz_of(extra: &str) -> (YearMonth, YearMonth) {
    bmz_at("2025-06-10", "[]", extra)
}

/// The first and last month of the Bemessungszeitraum for a child born on `birth`.
fn bmz_at(birth: &str, siblings: &str, extra: &str) -> (YearMonth, YearMonth) {
    let months = bmz_months(birth, siblings, extra);
    (months[0], months[11])
}

fn bmz_months(birth: &str, siblings: &str, extra: &str) -> [YearMonth; 12] {
    let json = case_json(extra, siblings, &format!(r#"{{"birth_date":"{birth}"}}"#));
    let case = parse_case(&json).unwrap();
    let bp = BirthParams::for_birth(case.child.birth_date).unwrap();
    let mut trace = Trace::new(true, 4);
    let mut reasons = Vec::new();
    bmz::determine(&case, &case.parents[0], bp, &mut trace, &mut reasons)
        .unwrap()
        .months
}

fn ym(year: i16, month: i8) -> YearMonth {
    YearMonth { year, month }
}

const SELF_EMPLOYED: &str = r#","activities_before_birth":[{"kind":"self_employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"]"#;
const MIXED: &str = r#","activities_before_birth":[{"kind":"self_employed","monthly_income":"400.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]},{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"]"#;

/// § 2b Abs. 2 S. 1 BEEG: profit counts from the assessment year completed before the birth
/// (2024 for a birth in June 2025); months excluded in the birth year (Mutterschutz from
/// 2025-04) do not move it. S. 2: if the conditions of Abs. 1 S. 2 held in 2024 (here
/// Elterngeld for an older child, 2024-01 … 2024-03, listed in `excluded_months`), the year
/// before these events counts, on application: 2023 as a whole. Events reaching back into
/// 2023 (from 2023-10) move it to 2022 (the year "diesen Ereignissen vorangegangen").
#[test]
fn bmz_self_employed_moves_back_a_whole_year() {
    assert_eq!(bmz_of(SELF_EMPLOYED), (ym(2024, 1), ym(2024, 12)));
    let in_birth_year = format!(r#"{SELF_EMPLOYED},"excluded_months":["2025-04","2025-05"]"#);
    assert_eq!(bmz_of(&in_birth_year), (ym(2024, 1), ym(2024, 12)));
    let older_child =
        format!(r#"{SELF_EMPLOYED},"excluded_months":["2024-01","2024-02","2024-03"]"#);
    assert_eq!(bmz_of(&older_child), (ym(2023, 1), ym(2023, 12)));
    // The explanation names the moved year and its rule, fully rendered.
    let json = case_json(&older_child, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let result = compute(&parse_case(&json).unwrap()).unwrap();
    let text = serde_json::to_string(&result).unwrap();
    assert!(text.contains("§ 2b Abs. 2 S. 2, Abs. 3 BEEG"));
    let chain = format!(
        r#"{SELF_EMPLOYED},"excluded_months":["2023-10","2023-11","2023-12","2024-01","2024-02"]"#
    );
    assert_eq!(bmz_of(&chain), (ym(2022, 1), ym(2022, 12)));
}

/// § 2b Abs. 3 S. 1 BEEG: with profit beside wages the assessment year counts for the wages
/// too (2024, not 2024-06 … 2025-05), and it moves with the profit's year (Abs. 2 S. 2): an
/// excluded 2024-08 gives 2023 for both. An employee alone keeps Abs. 1: the 12 months before
/// the birth month, an excluded month (2025-05) replaced by an earlier one (2024-05 … 2025-04).
#[test]
fn bmz_mixed_income_uses_the_assessment_year() {
    assert_eq!(bmz_of(MIXED), (ym(2024, 1), ym(2024, 12)));
    let shifted = format!(r#"{MIXED},"excluded_months":["2024-08"]"#);
    assert_eq!(bmz_of(&shifted), (ym(2023, 1), ym(2023, 12)));
    let employee = r#","activities_before_birth":[{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"],"excluded_months":["2025-05"]"#;
    assert_eq!(bmz_of(employee), (ym(2024, 5), ym(2025, 4)));
}

/// § 2b Abs. 4 BEEG: wages beside a profit averaging under 35 € a month (here 240 € in 2024,
/// 20 € a month) could, on application, be assessed on the 12 months before the birth alone;
/// the case cannot say whether that application is made or give those months, so the rules keep
/// Abs. 3 (assessment year 2024) and report the assumption. A profit of 400 € a month, or wages
/// alone, give no such reason. The 35 € are the statute's.
#[test]
fn small_profit_beside_wages_is_reported_as_an_assumption() {
    let small = r#","activities_before_birth":[{"kind":"self_employed","monthly_income":"20.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]},{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"]"#;
    let codes = |extra: &str| -> Vec<String> {
        let json = case_json(extra, "[]", r#"{"birth_date":"2025-06-10"}"#);
        let result = compute(&parse_case(&json).unwrap()).unwrap();
        let parent = &result.parents[0];
        assert!(
            parent.eligible,
            "an assumption never makes a parent ineligible"
        );
        parent.reasons.iter().map(|r| r.code.to_string()).collect()
    };
    let json = case_json(small, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let result = compute(&parse_case(&json).unwrap()).unwrap();
    let reason = result.parents[0]
        .reasons
        .iter()
        .find(|r| r.code == "assumed_no_small_profit_application")
        .expect("reported");
    assert_eq!(reason.citation, "§ 2b Abs. 4 S. 1 BEEG");
    let de = reason.message.de();
    assert!(
        de.contains("2024") && de.contains("20.00 €") && de.contains("35 €"),
        "{de}"
    );
    assert_eq!(bmz_of(small), (ym(2024, 1), ym(2024, 12)));

    assert!(!codes(MIXED).contains(&"assumed_no_small_profit_application".to_string()));
    let employee = r#","activities_before_birth":[{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"plan":["basis"]"#;
    assert!(!codes(employee).contains(&"assumed_no_small_profit_application".to_string()));
    // 34.99 € a month on average still qualifies, 35.00 € does not (weniger als 35 Euro).
    let at = |monthly: &str| small.replace("\"20.00\"", &format!("\"{monthly}\""));
    assert!(codes(&at("34.99")).contains(&"assumed_no_small_profit_application".to_string()));
    assert!(!codes(&at("35.00")).contains(&"assumed_no_small_profit_application".to_string()));
}

/// The parent of a child born on `birth`, with 3 000 € a month insured in all three branches
/// before the birth (tax class I), `plan` and `income` per Lebensmonat, and `extra` fields.
fn insured_3000(birth: &str, plan: &[&str], income: &[&str], extra: &str) -> ElterngeldParent {
    let child = format!(r#"{{"birth_date":"{birth}"}}"#);
    insured_3000_result(&child, plan, income, extra)
        .parents
        .remove(0)
}

/// [`insured_3000`] for a `child` given as JSON, with the whole result (explanation too); the
/// evaluation date is the birth day, so no month is cut by § 7.
fn insured_3000_result(
    child: &str,
    plan: &[&str],
    income: &[&str],
    extra: &str,
) -> ElterngeldResult {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let birth = child
        .split('"')
        .nth(3)
        .expect("the child's JSON starts with its birth date");
    let json = format!(
        r#"{{"schema":"elternkit.case/1","evaluation_date":"{birth}",
        "child":{child},"household":{{"postal_code":"28195","taxable_income_year_before_birth":"60000.00"}},
        "parents":[{{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,
        "cares_for_child":true,"tax":{{"class":"I","child_allowances":"0.0"}},
        "activities_before_birth":[{{"kind":"employed","monthly_income":"3000.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}],
        "plan":[{}],"gross_income_after_birth":[{}],"income_after_birth_kind":"employed"{extra}}}]}}"#,
        list(plan),
        list(income)
    );
    compute(&parse_case(&json).unwrap()).unwrap()
}

/// § 2 Abs. 3 BEEG with § 2f Abs. 2 S. 3 BEEG, § 20 Abs. 2a SGB IV (RULES.md B5): each
/// Lebensmonat after the birth is tested on its own. Birth 2025-03-10, Plus in Lebensmonate
/// 1–4 (2025-03-10 … 2025-07-09, limits 556 / 2 000 €, F = 0.6667) at 2 400, 1 200, 2 400,
/// 1 200 €. By hand: 2 400 € lies above the Übergangsbereich (base 2 400 €); 1 200 € in it,
/// base F·G + (O/(O−G) − G/(O−G)·F)·(AE − G) = 0.6667·556 + (2000/1444 − 556/1444·0.6667)·644
/// = 1 097.33 €. Average base (2 400 + 1 097.33) / 2 = 1 748.665 → 1 748.67 €, × 21 % =
/// 367.2207 → 367.22 €. Gross 1 800 − 102.50 = 1 697.50 €; wage tax of the average taxable
/// 1 800 € (PAP 2024, class I) 71.00 €. Net 1 697.50 − 71.00 − 367.22 = 1 259.28 €. One test
/// of the average 1 800 € put both months into the Übergangsbereich (base 1 774.33 €, 21 % =
/// 372.61 €) and gave 1 253.89 €.
#[test]
fn after_birth_each_lebensmonat_is_tested_on_its_own() {
    let p = insured_3000(
        "2025-03-10",
        &["plus", "plus", "plus", "plus"],
        &["2400.00", "1200.00", "2400.00", "1200.00"],
        "",
    );
    let plus = &p.income_after_birth.plus;
    assert_eq!(plus.gross, d("1697.50"));
    assert_eq!(plus.taxes, d("71.00"));
    assert_eq!(plus.social_contributions, d("367.22"));
    assert_eq!(plus.net, d("1259.28"));
}

/// A variant whose months cross both limits (§ 2f Abs. 2 S. 2, 3 BEEG; § 8 Abs. 1 Nr. 1,
/// § 20 Abs. 2 SGB IV), birth 2025-03-10, Basis in Lebensmonate 3–6 (2025-05-10 … 09-09,
/// limits 556 / 2 000 €) at 300, 500, 1 200, 2 100 €. By hand: 300 and 500 € are Minijob
/// wages, no contribution base and (flat-taxed, § 2e Abs. 2 S. 1) no wage tax; 1 200 € has
/// the reduced base 1 097.33 € (above); 2 100 € the full base. Average base 3 197.33 / 4 =
/// 799.3325 → 799.33 €, × 21 % = 167.8593 → 167.86 €. Gross 4 100 / 4 − 102.50 = 922.50 €.
/// Taxable average (1 200 + 2 100) / 4 = 825 €: 9 900 € a year less Arbeitnehmer-Pauschbetrag
/// and Vorsorgepauschale stays under the Grundfreibetrag of 11 604 € (PAP 2024, § 32a EStG),
/// no wage tax. Net 922.50 − 167.86 = 754.64 €. (One test of the average wage 1 025 € put
/// every month into the Übergangsbereich: 21 % of 899.87 € = 188.97 €, net 733.53 €.)
#[test]
fn after_birth_months_cross_minijob_and_uebergangsbereich() {
    let p = insured_3000(
        "2025-03-10",
        &["basis", "basis", "basis", "basis", "basis", "basis"],
        &["0.00", "0.00", "300.00", "500.00", "1200.00", "2100.00"],
        "",
    );
    let basis = &p.income_after_birth.basis;
    assert_eq!(basis.gross, d("922.50"));
    assert_eq!(basis.taxes, d("0"));
    assert_eq!(basis.social_contributions, d("167.86"));
    assert_eq!(basis.net, d("754.64"));
    // Lebensmonate 3–6 are paid with that average, 1 and 2 without income.
    assert_eq!(p.months[2].income_after_birth_net, d("754.64"));
    assert_eq!(p.months[0].income_after_birth_net, d("0"));
    // The explanation names each Lebensmonat's band, with its citation.
    let r = insured_3000_result(
        r#"{"birth_date":"2025-03-10"}"#,
        &["basis", "basis", "basis", "basis", "basis", "basis"],
        &["0.00", "0.00", "300.00", "500.00", "1200.00", "2100.00"],
        "",
    );
    let step = r
        .explanation
        .iter()
        .find(|s| s.rule == "elterngeld.einkommen_je_lebensmonat")
        .expect("a step for the Basis months");
    assert_eq!(step.citation, "§ 2 Abs. 3 BEEG; § 2f Abs. 2 S. 2, 3 BEEG");
    let de = step.text.de();
    for part in [
        "Minijob ohne Abzüge in Lebensmonat 3, 4;",
        "Übergangsbereich (reduzierte Beitragsbemessungsgrundlage) in Lebensmonat 5;",
        "darüber in Lebensmonat 6;",
        "über 4 Lebensmonate",
    ] {
        assert!(de.contains(part), "{part}: {de}");
    }
    assert!(step.text.en().contains("above it in Lebensmonat 6;"));
}

/// A Lebensmonat spanning 1 January takes the limits of its first day (RULES.md B5). Birth
/// 2025-06-10, Plus in Lebensmonate 7 (2025-12-10 … 2026-01-09, limits of 2025: 556 €) and
/// 8 (2026-01-10 … 02-09, 2026: 603 €), 580 € each. By hand: in Lebensmonat 7, 580 € lies in
/// the Übergangsbereich, base 0.6667·556 + (2000/1444 − 556/1444·0.6667)·24 = 397.77 €; in
/// Lebensmonat 8 it is a Minijob wage (≤ 603 €): no base, no wage tax. Average base 397.77 / 2
/// = 198.885 → 198.89 €, × 21 % = 41.7669 → 41.77 €. Gross 580 − 102.50 = 477.50 €; taxable
/// average 580 / 2 = 290 €, no wage tax. Net 477.50 − 41.77 = 435.73 €. (Lebensmonat 7's
/// limits for both months gave 477.50 − 83.53 = 393.97 €.)
#[test]
fn after_birth_limits_change_on_1_january() {
    let mut plan = vec!["none"; 6];
    plan.extend(["plus", "plus"]);
    let mut income = vec!["0.00"; 6];
    income.extend(["580.00", "580.00"]);
    let p = insured_3000("2025-06-10", &plan, &income, "");
    let plus = &p.income_after_birth.plus;
    assert_eq!(plus.gross, d("477.50"));
    assert_eq!(plus.taxes, d("0"));
    assert_eq!(plus.social_contributions, d("41.77"));
    assert_eq!(plus.net, d("435.73"));
}

/// RULES.md B3 item 3 (§ 2e Abs. 2 S. 1, Abs. 3 S. 2 BEEG): Minijob wages taxed at the flat
/// rate are no income the person has to tax, so profit beside them alone is taxed like profit
/// alone: class IV (not the person's class III) with the Pauschale added back to neutralise
/// the PAP's Arbeitnehmer-Pauschbetrag. Profit 2 000 € and a Minijob of 500 € (limit 556 €)
/// in all months of 2025: the taxes are those of class IV on 2 000 + 102.50 = 2 102.50 €.
#[test]
fn profit_beside_minijob_wages_only_is_taxed_as_profit_alone() {
    let np = income::NetParams::for_birth(day("2026-03-10")).unwrap();
    let limits = income::MonthLimits::for_month(ym(2025, 5)).unwrap();
    let insurance = income::Insurance::default();
    let mut months = Vec::new();
    for slot in 0..12 {
        for (kind, amount) in [
            (ActivityKind::SelfEmployed, "2000"),
            (ActivityKind::Employed, "500"),
        ] {
            months.push(income::MonthIncome {
                slot,
                kind,
                amount: d(amount),
                insurance,
                limits,
            });
        }
    }
    let tax = income::TaxFeatures {
        class: elternkit_model::TaxClass::III,
        factor: None,
        church: false,
        child_allowances: d("0"),
        pension_insured: false,
    };
    let f = income::net_of(&np, &tax, &months, d("12"), income::Period::BeforeBirth).unwrap();
    let as_profit_alone = income::TaxFeatures {
        class: elternkit_model::TaxClass::IV,
        pension_insured: true,
        ..tax
    };
    let expected = income::taxes(&np, &as_profit_alone, d("2000") + np.wkp_monthly).unwrap();
    assert!(expected > d("0"));
    assert_eq!(f.taxes, expected);
    assert_ne!(f.taxes, income::taxes(&np, &tax, d("2000")).unwrap());
    // Both the profit and the Minijob carry no flat contributions here (none insured).
    assert_eq!(f.gross, cent(d("2500") - np.wkp_monthly));
}

/// Past the calendar (after 9999-12-31) there is no Lebensmonat start, and none before the
/// first: `None`, never a made-up day.
#[test]
fn lebensmonat_start_beyond_the_calendar_is_none() {
    let late = day("9999-11-15");
    assert_eq!(lebensmonat_start(late, 1), Some(late));
    assert_eq!(lebensmonat_start(late, 2), Some(day("9999-12-15")));
    assert_eq!(lebensmonat_start(late, 3), None);
    assert_eq!(lebensmonat_start(late, 0), None);
    assert_eq!(lebensmonat_of(late, day("9999-12-31")), 2);
}

/// Every generated PAP version names its year first, which the KRV choice reads.
#[test]
fn every_pap_version_names_its_year() {
    for v in elternkit_lohnsteuer::PapVersion::ALL {
        let year = income::version_year(v);
        assert!((2021..=2026).contains(&year), "{}: {year}", v.name());
    }
}

/// § 4 Abs. 3 S. 2 BEEG: the two partner months need a parent whose income from employment is
/// reduced in two Lebensmonate. Neither parent earned before the birth: 12 months together,
/// not 14 (LSG Baden-Württemberg L 11 EG 5027/11). A parent who earned and draws Elterngeld
/// with less (or no) income opens them; one who keeps the full wage does not.
#[test]
fn partner_months_need_a_drop_in_earnings() {
    let twelve = format!("[{}]", [r#""basis""#; 12].join(","));
    let lm_13_14 = format!("[{},\"basis\",\"basis\"]", [r#""none""#; 12].join(","));
    let code = "partner_months_without_income_reduction".to_string();
    let none_earned = couple_plan_with("2025-01-10", &twelve, "", &lm_13_14, "");
    assert_eq!(none_earned, std::slice::from_ref(&code));
    // Twelve months together without earnings are within the budget.
    let eleven_plus_one = format!("[{}]", [r#""basis""#; 10].join(","));
    assert!(couple_plan_with("2025-01-10", &eleven_plus_one, "", &lm_13_14, "").is_empty());
    // p2 earned 2 500 € and draws the two months without income: reduced, 14 months.
    let reduced = couple_plan_with("2025-01-10", &twelve, "", &lm_13_14, &employed("2500.00"));
    assert!(reduced.is_empty(), "{reduced:?}");
    // p2 keeps earning 2 500 € in those months: nothing is reduced.
    let full = format!(
        "{},\"gross_income_after_birth\":[{}]",
        employed("2500.00"),
        [r#""2500.00""#; 14].join(",")
    );
    assert_eq!(
        couple_plan_with("2025-01-10", &twelve, "", &lm_13_14, &full),
        std::slice::from_ref(&code)
    );
    // Two months at 1 000 € are a reduction.
    let part_time = format!(
        "{},\"gross_income_after_birth\":[{}]",
        employed("2500.00"),
        [r#""1000.00""#; 14].join(",")
    );
    assert!(couple_plan_with("2025-01-10", &twelve, "", &lm_13_14, &part_time).is_empty());
}

/// A parent of a non-EU country with `title` and further fields, child born on `birth`.
fn titled_parent(title: &str, birth: &str, extra: &str) -> ElterngeldParent {
    let json = case_json(
        &format!(r#","plan":["basis","basis"]{extra}"#),
        "[]",
        &format!(r#"{{"birth_date":"{birth}"}}"#),
    )
    .replace(
        r#""citizenship":"DE""#,
        &format!(r#""citizenship":"UA","residence_title":"{title}""#),
    )
    .replace(
        r#""evaluation_date":"2025-07-01""#,
        &format!(r#""evaluation_date":"{birth}""#),
    );
    compute(&parse_case(&json).unwrap())
        .unwrap()
        .parents
        .remove(0)
}

fn codes_of(p: &ElterngeldParent) -> Vec<&str> {
    p.reasons
        .iter()
        .map(|r| r.code.as_ref())
        .filter(|c| *c != "assumed_income_below_ceiling")
        .collect()
}

/// § 1 Abs. 7 S. 1 Nr. 2 BEEG: since 2022-06-01 a § 24 AufenthG title (temporary protection)
/// entitles without employment, as for Kindergeld (G v. 23.05.2022, BGBl. I S. 760 took § 24
/// out of Nr. 2 c). Before, it needed employment, Elternzeit or SGB III benefits (Nr. 3).
#[test]
fn section_24_entitles_without_employment_since_june_2022() {
    let p = titled_parent("aufenthaltserlaubnis_24", "2025-06-10", "");
    assert!(p.eligible, "{:?}", codes_of(&p));
    assert!(codes_of(&p).is_empty(), "{:?}", codes_of(&p));
    let p = titled_parent("aufenthaltserlaubnis_24", "2022-05-10", "");
    assert!(!p.eligible);
    assert!(codes_of(&p).contains(&"residence_title_requires_employment"));
    assert!(
        p.reasons
            .iter()
            .any(|r| r.citation.contains("until 2022-05-31"))
    );
}

/// § 1 Abs. 7 S. 1 Nr. 3 BEEG: "berechtigt erwerbstätig" has no minimum extent, so a Minijob
/// is employment, as for Kindergeld (§ 62 Abs. 2 Nr. 3 EStG), and so is work after the birth.
#[test]
fn minijob_is_employment_for_a_humanitarian_title() {
    let minijob = r#","activities_before_birth":[{"kind":"minijob","monthly_income":"450.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}],"bmz_events":[]"#;
    let p = titled_parent("aufenthaltserlaubnis_25_3", "2025-06-10", minijob);
    assert!(p.eligible, "{:?}", codes_of(&p));
    assert_eq!(codes_of(&p), ["assumed_employed_or_elternzeit"]);
    let after = r#","gross_income_after_birth":["0.00","400.00"]"#;
    let p = titled_parent("aufenthaltserlaubnis_25_3", "2025-06-10", after);
    assert!(p.eligible, "{:?}", codes_of(&p));
    // Said outright: nothing assumed.
    let p = titled_parent(
        "aufenthaltserlaubnis_25_3",
        "2025-06-10",
        r#","current_status":"minijob""#,
    );
    assert!(p.eligible && codes_of(&p).is_empty(), "{:?}", codes_of(&p));
}

/// § 1 Abs. 7 S. 1 Nr. 3, Nr. 4 BEEG: without employment a humanitarian title entitles after 15
/// months of permitted, allowed or tolerated stay (at the birth). Where `current_status` or
/// `in_germany_since` is missing and the refusal depends on it, the reasons say what was
/// assumed.
#[test]
fn humanitarian_title_assumptions_and_fifteen_months() {
    let p = titled_parent("aufenthaltserlaubnis_25_3", "2025-06-10", "");
    assert!(!p.eligible);
    assert_eq!(
        codes_of(&p),
        [
            "residence_title_requires_employment",
            "assumed_not_employed",
            "assumed_stay_under_15_months"
        ]
    );
    assert_eq!(p.reasons[2].citation, "§ 1 Abs. 7 S. 1 Nr. 4 BEEG");
    let stay = |since: &str| {
        titled_parent(
            "aufenthaltserlaubnis_25_3",
            "2025-06-10",
            &format!(r#","current_status":"none","in_germany_since":"{since}""#),
        )
    };
    assert!(stay("2024-03-10").eligible);
    let p = stay("2024-03-11");
    assert!(!p.eligible);
    assert_eq!(codes_of(&p), ["residence_title_requires_employment"]);
    // Nr. 2 b (study): no 15-month rule, so no stay is assumed.
    let p = titled_parent("aufenthaltserlaubnis_16b", "2025-06-10", "");
    assert_eq!(
        codes_of(&p),
        [
            "residence_title_requires_employment",
            "assumed_not_employed"
        ]
    );
}

/// Twelve months of 2025 (birth 2026-03-10, Pauschale 102.50 €) with wages and profit.
fn mixed_months(wage: &str, profit: &str) -> Vec<income::MonthIncome> {
    let limits = income::MonthLimits::for_month(ym(2025, 5)).unwrap();
    let mut months = Vec::new();
    for slot in 0..12 {
        for (kind, amount) in [
            (ActivityKind::Employed, wage),
            (ActivityKind::SelfEmployed, profit),
        ] {
            months.push(income::MonthIncome {
                slot,
                kind,
                amount: d(amount),
                insurance: income::Insurance::default(),
                limits,
            });
        }
    }
    months
}

fn class_iii() -> income::TaxFeatures {
    income::TaxFeatures {
        class: elternkit_model::TaxClass::III,
        factor: None,
        church: false,
        child_allowances: d("0"),
        pension_insured: false,
    }
}

/// § 2e Abs. 3 S. 2 BEEG (RULES.md B3 item 3): where the profit to be counted is higher than
/// the surplus of the wages over 1/12 of the Arbeitnehmer-Pauschbetrag, class IV applies to the
/// whole income, without adding the Pauschale back (the PAP keeps its Arbeitnehmer-Pauschbetrag,
/// § 2e Abs. 2 S. 2 Nr. 1). By hand: wages 1 602.50 € a month, surplus 1 602.50 − 102.50 =
/// 1 500.00 €. Profit 1 500.01 € is higher: class IV on 1 602.50 + 1 500.01 = 3 102.51 €.
/// Profit 1 500.00 € is not higher: the person's class III on 3 102.50 €.
#[test]
fn mixed_income_class_iv_when_profit_exceeds_the_wage_surplus() {
    let np = income::NetParams::for_birth(day("2026-03-10")).unwrap();
    let tax = class_iii();
    let class_iv = income::TaxFeatures {
        class: elternkit_model::TaxClass::IV,
        ..tax
    };
    let before = income::Period::BeforeBirth;
    let higher = income::net_of(
        &np,
        &tax,
        &mixed_months("1602.50", "1500.01"),
        d("12"),
        before,
    )
    .unwrap();
    assert_eq!(
        higher.taxes,
        income::taxes(&np, &class_iv, d("3102.51")).unwrap()
    );
    assert_ne!(
        higher.taxes,
        income::taxes(&np, &tax, d("3102.51")).unwrap()
    );
    let equal = income::net_of(
        &np,
        &tax,
        &mixed_months("1602.50", "1500.00"),
        d("12"),
        before,
    )
    .unwrap();
    assert_eq!(equal.taxes, income::taxes(&np, &tax, d("3102.50")).unwrap());
}

/// RULES.md B5: after the birth the Pauschale is deducted in each Lebensmonat with wages, at
/// most that month's wage; before it, 1/12 per month with wages, not capped per month.
/// By hand (birth 2026, Pauschale 102.50 €), wages 50 € and 1 000 € in two months: after the
/// birth (50 + 1 000 − min(102.50, 50) − 102.50) / 2 = 897.50 / 2 = 448.75 €; in the
/// Bemessungszeitraum's way (1 050 − 2 × 102.50) / 2 = 422.50 €. The 50 € month is a Minijob
/// wage (limit 556 €): no contribution, no wage tax; 1 000 € lies in the Übergangsbereich.
#[test]
fn after_birth_pauschale_capped_at_each_months_wage() {
    let np = income::NetParams::for_birth(day("2026-03-10")).unwrap();
    let limits = income::MonthLimits::for_month(ym(2026, 4)).unwrap();
    let months: Vec<_> = [(0, "50"), (1, "1000")]
        .into_iter()
        .map(|(slot, amount)| income::MonthIncome {
            slot,
            kind: ActivityKind::Employed,
            amount: d(amount),
            insurance: income::Insurance::default(),
            limits,
        })
        .collect();
    let tax = class_iii();
    let after = income::net_of(&np, &tax, &months, d("2"), income::Period::AfterBirth).unwrap();
    assert_eq!(after.gross, d("448.75"));
    let before = income::net_of(&np, &tax, &months, d("2"), income::Period::BeforeBirth).unwrap();
    assert_eq!(before.gross, d("422.50"));
}

/// RULES.md B5 through the whole computation: a Lebensmonat's wage within that month's Minijob
/// limit carries no flat contributions and no wage tax, and its Pauschale is capped at the wage.
/// Birth 2025-03-10, Basis with 300 € in Lebensmonat 1 (limit 556 €), insured parent: by hand
/// gross 300 − min(102.50, 300) = 197.50 €, taxes 0, contributions 0, net 197.50 €.
#[test]
fn after_birth_minijob_wage_free_of_deductions() {
    let p = insured_3000("2025-03-10", &["basis"], &["300.00"], "");
    let basis = &p.income_after_birth.basis;
    assert_eq!(basis.gross, d("197.50"));
    assert_eq!(basis.taxes, d("0"));
    assert_eq!(basis.social_contributions, d("0"));
    assert_eq!(basis.net, d("197.50"));
    // 60 € in the month: the Pauschale is capped at 60 €, gross 0.00 € (not −42.50 €).
    let p = insured_3000("2025-03-10", &["basis"], &["60.00"], "");
    assert_eq!(p.income_after_birth.basis.gross, d("0"));
}

/// RULES.md B3 item 3: `RE4` is defined in whole cents; the monthly average is rounded half up
/// to the cent before it becomes `RE4`. By hand: 20 944 € / 12 = 1 745.3333… € → 174 533 ct;
/// 1 000.125 € → 100 013 ct (half up); 0.004 € → 0 ct.
#[test]
fn pap_input_in_whole_cents_on_every_path() {
    for (euros, cents) in [
        ("1745.333333333333", "174533"),
        ("1000.125", "100013"),
        ("1000.124999", "100012"),
        ("0.004", "0"),
        ("2102.50", "210250"),
    ] {
        let re4 = income::re4_cents(d(euros));
        assert_eq!(re4, d(cents), "{euros}");
        assert_eq!(re4.scale(), 0, "{euros}");
    }
    // The mixed path (profit higher: class IV) averages 20 944 € over 12 months: the taxes are
    // those of the cent amount 1 745.33 €, not of the fraction.
    let np = income::NetParams::for_birth(day("2026-03-10")).unwrap();
    let tax = class_iii();
    let months = mixed_months("745.00", "1000.3333333333");
    let f = income::net_of(&np, &tax, &months, d("12"), income::Period::BeforeBirth).unwrap();
    let class_iv = income::TaxFeatures {
        class: elternkit_model::TaxClass::IV,
        ..tax
    };
    assert_eq!(
        f.taxes,
        income::taxes(&np, &class_iv, d("1745.33")).unwrap()
    );
    // Profit alone (Pauschale added back) and wages alone reach the PAP in cents too.
    for monthly in ["1745.333", "2222.2249", "3333.335"] {
        assert_eq!(
            income::taxes(&np, &tax, d(monthly)).unwrap(),
            income::taxes(&np, &tax, cent(d(monthly))).unwrap(),
            "{monthly}"
        );
    }
}

// § 2b Abs. 1 S. 2–4, Abs. 2–4 BEEG: the Bemessungszeitraum from what happened (bmz_events).

const EMPLOYEE: &str = r#","activities_before_birth":[{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}],"plan":["basis"]"#;

/// The whole result for an employee (2 500 €) with `extra`, child born on `birth`.
fn bmz_result(birth: &str, siblings: &str, extra: &str) -> ElterngeldResult {
    let json = case_json(
        &format!("{EMPLOYEE}{extra}"),
        siblings,
        &format!(r#"{{"birth_date":"{birth}"}}"#),
    );
    compute(&parse_case(&json).unwrap()).unwrap()
}

/// The explanation steps of `rule`: (citation, German text).
fn steps_of(result: &ElterngeldResult, rule: &str) -> Vec<(String, String)> {
    result
        .explanation
        .iter()
        .filter(|s| s.rule == rule)
        .map(|s| (s.citation.to_string(), s.text.de().to_string()))
        .collect()
}

fn bmz_codes(result: &ElterngeldResult) -> Vec<String> {
    result.parents[0]
        .reasons
        .iter()
        .map(|r| r.code.to_string())
        .collect()
}

fn events(list: &str) -> String {
    format!(r#","bmz_events":[{list}]"#)
}

/// Nr. 2: Mutterschutz from 2025-04-28 (six weeks before the expected birth) touches April and
/// May 2025, so both are skipped and replaced by 2024-05 and 2024-04: 2024-04 … 2025-03. Each
/// skipped month has its step with the Nr. and the month that takes its place.
#[test]
fn bmz_mutterschutz_skips_every_month_it_touches() {
    let mutterschutz = events(r#"{"kind":"mutterschutz","from":"2025-04-28","to":"2025-07-21"}"#);
    let extra = format!("{EMPLOYEE}{mutterschutz}");
    assert_eq!(bmz_of(&extra), (ym(2024, 4), ym(2025, 3)));
    let result = bmz_result("2025-06-10", "[]", &mutterschutz);
    let steps = steps_of(&result, "elterngeld.bmz_skipped_month");
    assert_eq!(
        steps,
        vec![
            (
                "§ 2b Abs. 1 S. 2 Nr. 2 BEEG".to_string(),
                "p1: 2025-05 bleibt im Bemessungszeitraum unberücksichtigt (Mutterschutz oder Mutterschaftsgeld); an seine Stelle tritt 2024-05".to_string()
            ),
            (
                "§ 2b Abs. 1 S. 2 Nr. 2 BEEG".to_string(),
                "p1: 2025-04 bleibt im Bemessungszeitraum unberücksichtigt (Mutterschutz oder Mutterschaftsgeld); an seine Stelle tritt 2024-04".to_string()
            ),
        ]
    );
    // The case said what happened: no assumption about events.
    assert!(!bmz_codes(&result).contains(&"assumed_no_bmz_events".to_string()));
}

/// Silence is reported: without `bmz_events` (and without `excluded_months`) a parent with
/// income is computed on the plain twelve months, with `assumed_no_bmz_events`; an empty list
/// says nothing happened, and a parent without income needs no Bemessungszeitraum.
#[test]
fn bmz_without_events_is_an_assumption() {
    let silent = bmz_result("2025-06-10", "[]", "");
    let reason = silent.parents[0]
        .reasons
        .iter()
        .find(|r| r.code == "assumed_no_bmz_events")
        .expect("reported");
    assert_eq!(reason.citation, "§ 2b Abs. 1 S. 2 BEEG");
    assert!(silent.parents[0].eligible);
    let told = bmz_result("2025-06-10", "[]", &events(""));
    assert!(!bmz_codes(&told).contains(&"assumed_no_bmz_events".to_string()));
    let listed = bmz_result("2025-06-10", "[]", r#","excluded_months":["2025-05"]"#);
    assert!(!bmz_codes(&listed).contains(&"assumed_no_bmz_events".to_string()));
    let json = case_json(
        r#","plan":["basis"]"#,
        "[]",
        r#"{"birth_date":"2025-06-10"}"#,
    );
    let no_income = compute(&parse_case(&json).unwrap()).unwrap();
    assert!(!bmz_codes(&no_income).contains(&"assumed_no_bmz_events".to_string()));
}

/// A skip across New Year: born 2025-02-15, Mutterschutz from 2024-12-30 touches December
/// and January; the twelve months become 2023-12 … 2024-11.
#[test]
fn bmz_shift_across_a_calendar_year() {
    let extra = format!(
        "{EMPLOYEE}{}",
        events(r#"{"kind":"mutterschutz","from":"2024-12-30","to":"2025-04-12"}"#)
    );
    let months = bmz_months("2025-02-15", "[]", &extra);
    assert_eq!((months[0], months[11]), (ym(2023, 12), ym(2024, 11)));
    assert!(!months.contains(&ym(2024, 12)) && !months.contains(&ym(2025, 1)));
}

/// Nr. 1: Elterngeld for an older child skips months only inside that child's Lebensmonate
/// 1–14. Sibling born 2023-03-15: its Lebensmonat 14 ends 2024-05-14, so Elterngeld drawn
/// until 2024-09-14 (Plus months) skips 2023-03 … 2024-05 and no later month. Born 2025-01-10,
/// the months are 2024-06 … 2024-12 and, before the skipped ones, 2022-10 … 2023-02.
/// Without the sibling in the case no Lebensmonat is known: nothing is skipped, and a step says
/// why.
#[test]
fn bmz_older_child_only_in_its_lebensmonate_1_to_14() {
    let sibling = r#"[{"birth_date":"2023-03-15"}]"#;
    let older =
        events(r#"{"kind":"elterngeld_older_child","from":"2023-03-15","to":"2024-09-14"}"#);
    let months = bmz_months("2025-01-10", sibling, &format!("{EMPLOYEE}{older}"));
    assert_eq!((months[0], months[11]), (ym(2022, 10), ym(2024, 12)));
    assert!(months.contains(&ym(2024, 6)) && !months.contains(&ym(2024, 5)));
    let result = bmz_result("2025-01-10", sibling, &older);
    let steps = steps_of(&result, "elterngeld.bmz_skipped_month");
    assert_eq!(steps.len(), 5, "2024-05 … 2024-01 are passed: {steps:?}");
    assert!(
        steps
            .iter()
            .all(|(c, _)| c == "§ 2b Abs. 1 S. 2 Nr. 1 BEEG")
    );
    let alone = bmz_result("2025-01-10", "[]", &older);
    let why = steps_of(&alone, "elterngeld.bmz_event_not_counted");
    assert_eq!(why.len(), 1);
    assert_eq!(why[0].0, "§ 2b Abs. 1 S. 2 Nr. 1 BEEG");
    assert!(why[0].1.contains("Lebensmonaten 1 bis 14"), "{}", why[0].1);
    let plain = bmz_months("2025-01-10", "[]", &format!("{EMPLOYEE}{older}"));
    assert_eq!((plain[0], plain[11]), (ym(2024, 1), ym(2024, 12)));
}

/// Nr. 3 and Nr. 4 skip months only where the income was reduced: an illness in March 2025
/// and service from October to December 2024 with `income_reduced` move the twelve months back
/// by four; without it they move nothing and the step says the income was not reduced.
#[test]
fn bmz_illness_and_service_only_with_reduced_income() {
    let both = events(
        r#"{"kind":"pregnancy_illness","from":"2025-03-03","to":"2025-03-20","income_reduced":true},
           {"kind":"military_service","from":"2024-10-01","to":"2024-12-31","income_reduced":true}"#,
    );
    let months = bmz_months("2025-06-10", "[]", &format!("{EMPLOYEE}{both}"));
    assert_eq!((months[0], months[11]), (ym(2024, 2), ym(2025, 5)));
    for gone in [ym(2024, 10), ym(2024, 11), ym(2024, 12), ym(2025, 3)] {
        assert!(!months.contains(&gone), "{gone}");
    }
    let result = bmz_result("2025-06-10", "[]", &both);
    let citations: Vec<String> = steps_of(&result, "elterngeld.bmz_skipped_month")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(
        citations,
        [
            "§ 2b Abs. 1 S. 2 Nr. 3 BEEG",
            "§ 2b Abs. 1 S. 2 Nr. 4 BEEG",
            "§ 2b Abs. 1 S. 2 Nr. 4 BEEG",
            "§ 2b Abs. 1 S. 2 Nr. 4 BEEG"
        ]
    );
    let unreduced = events(
        r#"{"kind":"pregnancy_illness","from":"2025-03-03","to":"2025-03-20"},
           {"kind":"military_service","from":"2024-10-01","to":"2024-12-31","income_reduced":false}"#,
    );
    assert_eq!(
        bmz_of(&format!("{EMPLOYEE}{unreduced}")),
        (ym(2024, 6), ym(2025, 5))
    );
    let result = bmz_result("2025-06-10", "[]", &unreduced);
    let why = steps_of(&result, "elterngeld.bmz_event_not_counted");
    assert_eq!(why.len(), 2);
    assert!(
        why.iter().all(|(_, t)| t.contains("nicht geringer")),
        "{why:?}"
    );
}

/// S. 3 (births from 2021-09-01): a waived kind skips nothing; the others still do.
#[test]
fn bmz_waiver_keeps_the_waived_kind() {
    let list = events(
        r#"{"kind":"mutterschutz","from":"2025-04-28","to":"2025-07-21"},
           {"kind":"military_service","from":"2024-10-01","to":"2024-10-31","income_reduced":true}"#,
    );
    let waived = format!(r#"{list},"bmz_waiver":["mutterschutz"]"#);
    let months = bmz_months("2025-06-10", "[]", &format!("{EMPLOYEE}{waived}"));
    assert_eq!((months[0], months[11]), (ym(2024, 5), ym(2025, 5)));
    assert!(!months.contains(&ym(2024, 10)));
    let result = bmz_result("2025-06-10", "[]", &waived);
    let why = steps_of(&result, "elterngeld.bmz_event_not_counted");
    assert_eq!(why.len(), 1);
    assert_eq!(why[0].0, "§ 2b Abs. 1 S. 3 BEEG");
    // COVID months cannot be waived: they are skipped only on application.
    let json = case_json(
        &format!(r#"{EMPLOYEE},"bmz_waiver":["covid_income_loss"]"#),
        "[]",
        r#"{"birth_date":"2025-06-10"}"#,
    );
    let problems = parse_case(&json).unwrap_err();
    assert_eq!(problems[0].path, "parents[0].bmz_waiver");
    assert_eq!(problems[0].code, "not_waivable");
}

/// S. 4: COVID months (2020-03-01 … 2022-09-23) with lower income are skipped only on
/// application. Born 2023-03-10 (months 2022-03 … 2023-02), a loss from March to September
/// 2022 skips seven months with the application (2021-08 … 2023-02), none without it or
/// without a statement (then `assumed_no_covid_application`). At the window's end: a loss from
/// 2022-09-23 still skips September, one from 2022-09-24 skips nothing.
#[test]
fn bmz_covid_only_on_application_and_inside_the_window() {
    let loss = |from: &str, to: &str, application: &str| {
        format!(
            r#"{}{application}"#,
            events(&format!(
                r#"{{"kind":"covid_income_loss","from":"{from}","to":"{to}","income_reduced":true}}"#
            ))
        )
    };
    let applied = loss(
        "2022-03-01",
        "2022-09-30",
        r#","bmz_covid_application":true"#,
    );
    let months = bmz_months("2023-03-10", "[]", &format!("{EMPLOYEE}{applied}"));
    assert_eq!((months[0], months[11]), (ym(2021, 8), ym(2023, 2)));
    let result = bmz_result("2023-03-10", "[]", &applied);
    let steps = steps_of(&result, "elterngeld.bmz_skipped_month");
    assert_eq!(steps.len(), 7);
    assert!(steps.iter().all(|(c, _)| c == "§ 2b Abs. 1 S. 4 BEEG"));

    let refused = loss(
        "2022-03-01",
        "2022-09-30",
        r#","bmz_covid_application":false"#,
    );
    assert_eq!(
        bmz_at("2023-03-10", "[]", &format!("{EMPLOYEE}{refused}")),
        (ym(2022, 3), ym(2023, 2))
    );
    let result = bmz_result("2023-03-10", "[]", &refused);
    assert!(!bmz_codes(&result).contains(&"assumed_no_covid_application".to_string()));
    let silent = loss("2022-03-01", "2022-09-30", "");
    let result = bmz_result("2023-03-10", "[]", &silent);
    assert!(bmz_codes(&result).contains(&"assumed_no_covid_application".to_string()));
    assert!(steps_of(&result, "elterngeld.bmz_skipped_month").is_empty());

    let last_day = loss(
        "2022-09-23",
        "2022-10-31",
        r#","bmz_covid_application":true"#,
    );
    let months = bmz_months("2023-03-10", "[]", &format!("{EMPLOYEE}{last_day}"));
    assert!(!months.contains(&ym(2022, 9)) && months.contains(&ym(2022, 10)));
    assert_eq!(months[0], ym(2022, 2));
    let after = loss(
        "2022-09-24",
        "2022-10-31",
        r#","bmz_covid_application":true"#,
    );
    assert_eq!(
        bmz_at("2023-03-10", "[]", &format!("{EMPLOYEE}{after}")),
        (ym(2022, 3), ym(2023, 2))
    );
    let result = bmz_result("2023-03-10", "[]", &after);
    let why = steps_of(&result, "elterngeld.bmz_event_not_counted");
    assert_eq!(why.len(), 1);
    assert!(why[0].1.contains("23. September 2022"), "{}", why[0].1);
}

/// Abs. 2 S. 2: events in the assessment year move a self-employed parent's year back as a
/// whole. Elterngeld for an older child (born 2023-06-01) in 2024-01 … 2024-03 gives 2023 for a
/// birth in June 2025, with a step citing the rule; waived, the year stays 2024.
#[test]
fn bmz_self_employed_year_moves_back_with_events() {
    let sibling = r#"[{"birth_date":"2023-06-01"}]"#;
    let older =
        events(r#"{"kind":"elterngeld_older_child","from":"2024-01-01","to":"2024-03-31"}"#);
    let extra = format!("{SELF_EMPLOYED}{older}");
    assert_eq!(
        bmz_at("2025-06-10", sibling, &extra),
        (ym(2023, 1), ym(2023, 12))
    );
    let json = case_json(&extra, sibling, r#"{"birth_date":"2025-06-10"}"#);
    let result = compute(&parse_case(&json).unwrap()).unwrap();
    let moved = steps_of(&result, "elterngeld.bmz_assessment_year_moved");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].0, "§ 2b Abs. 2 S. 2, Abs. 3 S. 2 BEEG");
    assert!(
        moved[0].1.contains("2024-01, 2024-02, 2024-03"),
        "{}",
        moved[0].1
    );
    let waived = format!(r#"{extra},"bmz_waiver":["elterngeld_older_child"]"#);
    assert_eq!(
        bmz_at("2025-06-10", sibling, &waived),
        (ym(2024, 1), ym(2024, 12))
    );
}

/// Abs. 4: with the application, a profit averaging under 35 € a month in 2024 (Nr. 1) and in
/// January to May 2025 (Nr. 2) leaves the profit out: the wages of 2024-06 … 2025-05 alone
/// count, exactly as for an employee without profit. 34.99 € (419.88 € a year, 174.95 € in five
/// months) qualifies, and so does 34.996 € (419.95 €, shown as 35.00 €); 35.00 € in either
/// period does not, and the assessment year 2024 with the profit stays.
#[test]
fn bmz_small_profit_application_at_the_limit() {
    let mixed = r#","activities_before_birth":[{"kind":"self_employed","monthly_income":"34.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true]},{"kind":"employed","monthly_income":"2500.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}],"plan":["basis"],"bmz_events":[]"#;
    let apply = |last: &str, to_date: &str| {
        format!(
            r#"{mixed},"small_profit_application":{{"profit_last_tax_year":"{last}","profit_birth_year_to_date":"{to_date}"}}"#
        )
    };
    let result_of = |extra: &str| {
        let json = case_json(extra, "[]", r#"{"birth_date":"2025-06-10"}"#);
        compute(&parse_case(&json).unwrap()).unwrap()
    };
    let employee = bmz_result("2025-06-10", "[]", &events(""));
    for (last, to_date) in [
        ("419.88", "174.95"),
        ("419.95", "0.00"),
        ("-1200.00", "10.00"),
    ] {
        let extra = apply(last, to_date);
        assert_eq!(
            bmz_of(&extra),
            (ym(2024, 6), ym(2025, 5)),
            "{last} {to_date}"
        );
        let result = result_of(&extra);
        assert_eq!(
            result.parents[0].income_before_birth, employee.parents[0].income_before_birth,
            "{last} {to_date}"
        );
        let step = steps_of(&result, "elterngeld.small_profit_application");
        assert_eq!(step.len(), 1);
        assert_eq!(step[0].0, "§ 2b Abs. 4 S. 1 BEEG");
        assert!(!bmz_codes(&result).contains(&"assumed_no_small_profit_application".to_string()));
    }
    for (last, to_date) in [("420.00", "174.95"), ("419.88", "175.00")] {
        let extra = apply(last, to_date);
        assert_eq!(
            bmz_of(&extra),
            (ym(2024, 1), ym(2024, 12)),
            "{last} {to_date}"
        );
        let result = result_of(&extra);
        assert_ne!(
            result.parents[0].income_before_birth.gross,
            employee.parents[0].income_before_birth.gross
        );
        let step = steps_of(&result, "elterngeld.small_profit_application");
        assert!(
            step[0].1.contains("nicht beide unter 35 €"),
            "{}",
            step[0].1
        );
    }
    // Born in January: Nr. 2 has no month; a profit given for it is an input error.
    let json = case_json(
        &apply("100.00", "5.00"),
        "[]",
        r#"{"birth_date":"2025-01-10"}"#,
    );
    let result = crate::calculate_json(&json);
    let error = result
        .errors
        .iter()
        .find(|e| e.code == "no_months_before_birth")
        .expect("refused");
    assert_eq!(
        error.path,
        "parents[0].small_profit_application.profit_birth_year_to_date"
    );
    let json = case_json(
        &apply("100.00", "0.00"),
        "[]",
        r#"{"birth_date":"2025-01-10"}"#,
    );
    let months = {
        let case = parse_case(&json).unwrap();
        let bp = BirthParams::for_birth(case.child.birth_date).unwrap();
        let mut trace = Trace::new(false, 0);
        bmz::determine(&case, &case.parents[0], bp, &mut trace, &mut Vec::new())
            .unwrap()
            .months
    };
    assert_eq!((months[0], months[11]), (ym(2024, 1), ym(2024, 12)));
}

/// `excluded_months` beside `bmz_events` must name the months the events skip: the same set
/// is accepted, another one is an input error at `excluded_months` (no panic, the Kindergeld
/// part is still computed).
#[test]
fn bmz_excluded_months_must_agree_with_the_events() {
    let mutterschutz = events(r#"{"kind":"mutterschutz","from":"2025-04-28","to":"2025-07-21"}"#);
    let agreeing = format!(r#"{mutterschutz},"excluded_months":["2025-05","2025-04"]"#);
    assert_eq!(
        bmz_of(&format!("{EMPLOYEE}{agreeing}")),
        (ym(2024, 4), ym(2025, 3))
    );
    let other = format!(r#"{EMPLOYEE}{mutterschutz},"excluded_months":["2025-05"]"#);
    let json = case_json(&other, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let result = crate::calculate_json(&json);
    assert!(result.elterngeld.is_none());
    assert!(result.kindergeld.is_some());
    assert_eq!(result.errors.len(), 1);
    assert_eq!(result.errors[0].path, "parents[0].excluded_months");
    assert_eq!(result.errors[0].code, "bmz_events_disagree");
    assert!(!result.errors[0].message_de.is_empty());
}

/// An event that ends before it starts is an input error; one that skips every month back to
/// fifty years back is refused instead of searching on.
#[test]
fn bmz_impossible_events_are_input_errors() {
    let backwards = format!(
        "{EMPLOYEE}{}",
        events(r#"{"kind":"mutterschutz","from":"2025-05-01","to":"2025-04-01"}"#)
    );
    let json = case_json(&backwards, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let problems = parse_case(&json).unwrap_err();
    assert_eq!(problems[0].path, "parents[0].bmz_events[0].to");
    let everything = format!(
        "{EMPLOYEE}{}",
        events(r#"{"kind":"mutterschutz","from":"1900-01-01","to":"2025-06-01"}"#)
    );
    let json = case_json(&everything, "[]", r#"{"birth_date":"2025-06-10"}"#);
    let result = crate::calculate_json(&json);
    assert_eq!(result.errors[0].code, "no_bemessungszeitraum");
}

/// § 8 Abs. 1 Nr. 1 SGB IV with § 2f Abs. 2, § 2e Abs. 2 S. 1 BEEG: a `minijob` wage above its
/// month's Minijob limit is no geringfügige Beschäftigung. Born 2025-06-10, 2024-06 … 2025-05:
/// 700 € a month lies above 538 € (2024) and 556 € (2025), so it is employment in the
/// Übergangsbereich, exactly as the same wage given as `employed` (same flags), with the
/// assumption reported; 500 € stays a Minijob (no deductions, no tax, no reason). After the
/// birth the same holds per Lebensmonat.
#[test]
fn minijob_above_the_limit_is_employment() {
    let job = |kind: &str, wage: &str| {
        format!(
            r#","activities_before_birth":[{{"kind":"{kind}","monthly_income":"{wage}","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}],"plan":["basis","basis"],"bmz_events":[]"#
        )
    };
    let above = one_parent(&job("minijob", "700.00"));
    let employed = one_parent(&job("employed", "700.00"));
    assert_eq!(above.income_before_birth, employed.income_before_birth);
    assert!(is_positive(above.income_before_birth.social_contributions));
    let codes: Vec<&str> = above.reasons.iter().map(|r| r.code.as_ref()).collect();
    assert!(codes.contains(&"assumed_minijob_above_limit_is_employment"));
    let within = one_parent(&job("minijob", "500.00"));
    assert!(within.income_before_birth.social_contributions.is_zero());
    assert!(within.income_before_birth.taxes.is_zero());
    assert!(
        !within
            .reasons
            .iter()
            .any(|r| r.code == "assumed_minijob_above_limit_is_employment")
    );
    // After the birth (Lebensmonat 2 starts 2025-07-10): 700 € as `minijob` is taxed and
    // insured like `employed`, 400 € is a Minijob either way.
    let after = |kind: &str, wage: &str| {
        one_parent(&format!(
            r#"{},"gross_income_after_birth":["0.00","{wage}"],"income_after_birth_kind":"{kind}""#,
            job("employed", "3000.00")
        ))
    };
    assert_eq!(
        after("minijob", "700.00").income_after_birth,
        after("employed", "700.00").income_after_birth
    );
    assert!(is_positive(
        after("minijob", "700.00")
            .income_after_birth
            .basis
            .social_contributions
    ));
    assert_eq!(
        after("minijob", "400.00").income_after_birth,
        after("employed", "400.00").income_after_birth
    );
    assert!(
        after("minijob", "700.00")
            .reasons
            .iter()
            .any(|r| r.code == "assumed_minijob_above_limit_is_employment")
    );
}

/// Issue 22: a plan with a § 4 problem yields no payable amount: every month and total of
/// the claiming parents is 0.00, the result says `payable: false`, and each parent has a
/// `plan_not_payable` reason naming the statute broken. The same parents with a valid plan
/// are paid.
#[test]
fn an_invalid_plan_is_never_payable() {
    let case = |p2: &str| {
        let json = format!(
            r#"{{"schema":"elternkit.case/1","evaluation_date":"2025-01-10","child":{{"birth_date":"2025-01-10"}},
            "household":{{"postal_code":"28195","taxable_income_year_before_birth":"60000.00"}},
            "parents":[
              {{"id":"p1","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
                "tax":{{"class":"IV"}},"plan":["basis","basis","basis"]}},
              {{"id":"p2","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
                "tax":{{"class":"IV"}},"plan":{p2}}}]}}"#
        );
        compute(&parse_case(&json).unwrap()).unwrap()
    };
    let valid = case(r#"["none","none","none","basis","basis"]"#);
    assert!(valid.payable && valid.plan_problems.is_empty());
    assert_eq!(valid.parents[0].total, d("900"));
    assert_eq!(valid.parents[1].total, d("600"));
    // Basis in Lebensmonat 15 (§ 4 Abs. 1 S. 3 BEEG).
    let mut late = vec!["\"none\""; 14];
    late.push("\"basis\"");
    late.insert(3, "\"basis\"");
    let invalid = case(&format!("[{}]", late.join(",")));
    assert!(!invalid.payable);
    assert_eq!(invalid.plan_problems[0].code, "basis_after_limit");
    for p in &invalid.parents {
        assert_eq!(p.total, Decimal::ZERO, "{}", p.id);
        assert!(p.months.iter().all(|m| m.amount.is_zero()));
        let r = p.reasons.iter().find(|r| r.code == "plan_not_payable");
        let r = r.expect("the reason");
        assert!(
            r.message.en().contains("§ 4 Abs. 1 S. 3 BEEG"),
            "{}",
            r.message.en()
        );
    }
    assert!(
        invalid
            .explanation
            .iter()
            .any(|s| s.rule == "elterngeld.plan_not_payable")
    );
}

/// § 8 Abs. 2 S. 1 SGB IV: several Minijobs of one month are added up. Born 2025-06-10, so
/// 2024-06 … 2025-05 (limits 538 € and 556 €): two Minijobs of 300 € are 600 € together, above
/// the limit, and count exactly as one employment of 600 € (same flags), with a step naming
/// the months; two of 200 € stay a Minijob of 400 € (no deductions, no tax, no step). Where
/// the second job ran only eight months, only those are added up (and, employment in most
/// months, the person counts as insured, RULES.md B3 item 4).
#[test]
fn several_minijobs_are_added_up() {
    let all = "true,true,true,true,true,true,true,true,true,true,true,true";
    let most = "true,true,true,true,true,true,true,true,false,false,false,false";
    let job = |kind: &str, wage: &str, months: &str| {
        format!(
            r#"{{"kind":"{kind}","monthly_income":"{wage}","months_active":[{months}],"pension_insured":true,"health_insured":true,"unemployment_insured":true}}"#
        )
    };
    let parent = |jobs: &[String]| {
        let extra = format!(
            r#","activities_before_birth":[{}],"plan":["basis","basis"],"bmz_events":[]"#,
            jobs.join(",")
        );
        let json = case_json(&extra, "[]", r#"{"birth_date":"2025-06-10"}"#);
        let result = compute(&parse_case(&json).unwrap()).unwrap();
        let added: Vec<String> = result
            .explanation
            .iter()
            .filter(|s| s.rule == "elterngeld.minijobs_added_up")
            .map(|s| s.text.en().into_owned())
            .collect();
        (result.parents[0].clone(), added)
    };
    let (two, added) = parent(&[job("minijob", "300.00", all), job("minijob", "300.00", all)]);
    let (one, none) = parent(&[job("employed", "600.00", all)]);
    assert_eq!(two.income_before_birth, one.income_before_birth);
    assert!(is_positive(two.income_before_birth.social_contributions));
    assert!(none.is_empty());
    assert_eq!(added.len(), 1);
    assert!(
        added[0].contains("2024-06") && added[0].contains("2025-05"),
        "{added:?}"
    );
    assert!(
        two.reasons
            .iter()
            .any(|r| r.code == "assumed_minijob_above_limit_is_employment")
    );

    let (small, none) = parent(&[job("minijob", "200.00", all), job("minijob", "200.00", all)]);
    let (single, _) = parent(&[job("minijob", "400.00", all)]);
    assert_eq!(small.income_before_birth, single.income_before_birth);
    assert!(small.income_before_birth.social_contributions.is_zero());
    assert!(small.income_before_birth.taxes.is_zero());
    assert!(none.is_empty());

    let (partly, added) = parent(&[
        job("minijob", "300.00", all),
        job("minijob", "300.00", most),
    ]);
    assert_eq!(added.len(), 1);
    let text = &added[0];
    assert!(
        text.contains("2024-06") && text.contains("2025-01"),
        "{text}"
    );
    assert!(
        !text.contains("2025-02") && !text.contains("2025-05"),
        "{text}"
    );
    // Eight months of 600 € employment and four of a 300 € Minijob: less than all twelve.
    assert!(partly.income_before_birth.social_contributions > Decimal::ZERO);
    assert!(
        partly.income_before_birth.social_contributions
            < two.income_before_birth.social_contributions
    );
}

/// Months with income after the birth are alike for the § 2 Abs. 3 BEEG average when their
/// gross is equal on the same side of their month's limits, and within the Übergangsbereich
/// under the same limits. Born 2025-06-10: Lebensmonate 1–7 start in 2025 (Minijob limit
/// 556 €), 8–12 in 2026 (603 €); the Übergangsbereich ends at 2 000 € in both years.
#[test]
fn income_after_classes_group_months_that_average_alike() {
    let gross = [
        "0.00", "0.00", // 1–2
        "1000.00", "1000.00", // 3–4: Übergangsbereich 2025
        "2500.00", // 5: above it
        "580.00",  // 6: Übergangsbereich 2025
        "300.00",  // 7: Minijob
        "1000.00", "1000.00", // 8–9: Übergangsbereich 2026, other limits
        "2500.00", // 10: above it, like 5
        "580.00",  // 11: Minijob in 2026
        "300.00",  // 12: Minijob, like 7
    ]
    .map(|g| format!("\"{g}\""))
    .join(",");
    let json = case_json(
        &format!(r#","plan":["basis"],"gross_income_after_birth":[{gross}]"#),
        "[]",
        r#"{"birth_date":"2025-06-10"}"#,
    );
    let case = parse_case(&json).unwrap();
    let bits = |months: &[u32]| months.iter().fold(0u64, |b, m| b | 1 << (m - 1));
    assert_eq!(
        income_after_classes(&case, 0).unwrap(),
        [
            bits(&[3, 4]),
            bits(&[5, 10]),
            bits(&[6]),
            bits(&[7, 12]),
            bits(&[8, 9]),
            bits(&[11]),
        ]
    );
    assert!(income_after_classes(&case, 1).is_err());
}

proptest::proptest! {
    /// The Basis and Plus amounts in integers are the decimal ones: any Ersatzrate of § 2,
    /// nets before and after (to the cent, also above the cap and after above before), for
    /// births under every set of limits.
    #[test]
    fn amounts_in_cents_are_the_decimal_amounts(
        birth in proptest::sample::select(vec!["2022-10-12", "2024-05-01", "2026-03-10"]),
        net_before in 0i64..800_000,
        net_after in 0i64..800_000,
        rate in 650i64..=1000,
    ) {
        let bp = BirthParams::for_birth(day(birth)).unwrap();
        let decimal = Amounts::in_decimals(Decimal::new(rate, 3), Decimal::new(net_before, 2), bp);
        let decimal = Amounts {
            plus_without: cent(decimal.basis(Decimal::ZERO) * bp.plus_cap_share),
            ..decimal
        };
        let cents = Amounts { ..decimal }.with_cents();
        proptest::prop_assert!(cents.cents.is_some());
        for after in [Decimal::ZERO, Decimal::new(net_after, 2)] {
            proptest::prop_assert_eq!(cents.basis(after), decimal.basis(after));
            proptest::prop_assert_eq!(cents.plus(after), decimal.plus(after));
        }
    }
}

/// The hours comparison is the general one, with equal and with different scales.
#[test]
fn greater_is_the_decimal_comparison() {
    let values = [
        "0",
        "-0",
        "32",
        "32.0",
        "32.5",
        "31.99",
        "-1",
        "20",
        "40.00",
        "32.000001",
    ];
    for a in values {
        for b in values {
            assert_eq!(greater(d(a), d(b)), d(a) > d(b), "{a} > {b}");
        }
    }
}

proptest::proptest! {
    /// The insurance status from month sets as bits is the status from counting months one by
    /// one (the reading of RULES.md B3 item 4 as first written), for any activities, months
    /// (also fewer or more than twelve), flags and Minijob months.
    #[test]
    fn person_insurance_counts_months_as_before(
        acts in proptest::collection::vec(
            (0usize..3, proptest::collection::vec(proptest::prelude::any::<bool>(), 0..14), proptest::prelude::any::<[bool; 3]>()),
            0..4,
        ),
        minijob_employment in proptest::prelude::any::<[bool; 12]>(),
    ) {
        let kinds = [ActivityKind::Employed, ActivityKind::SelfEmployed, ActivityKind::Minijob];
        let mut parent = parse_case(&case_json("", "[]", r#"{"birth_date":"2025-06-10"}"#))
            .unwrap()
            .parents[0]
            .clone();
        parent.activities_before_birth = acts
            .into_iter()
            .map(|(kind, months_active, [p, h, u])| Activity {
                kind: kinds[kind],
                monthly_income: d("100"),
                months_active,
                pension_insured: p,
                health_insured: h,
                unemployment_insured: u,
            })
            .collect();
        let kind_in = |a: &Activity, slot: usize| match a.kind {
            ActivityKind::Minijob if minijob_employment[slot] => ActivityKind::Employed,
            other => other,
        };
        let acts = &parent.activities_before_birth;
        let active = |a: &Activity, i: usize| a.months_active.get(i).copied().unwrap_or(false);
        let with_income: Vec<usize> = (0..12).filter(|i| acts.iter().any(|a| active(a, *i))).collect();
        let deciding = with_income.last().copied();
        let insured = |flag: fn(&Activity) -> bool| {
            let in_month = |i: usize| {
                acts.iter().any(|a| kind_in(a, i) != ActivityKind::Minijob && active(a, i) && flag(a))
            };
            let count = with_income.iter().filter(|i| in_month(**i)).count();
            let others = with_income.len() - count;
            count > others || (count == others && deciding.is_some_and(in_month))
        };
        let expected = Insurance {
            health: insured(|a| a.health_insured),
            pension: insured(|a| a.pension_insured),
            unemployment: insured(|a| a.unemployment_insured),
        };
        proptest::prop_assert_eq!(person_insurance(&parent, kind_in), expected);
    }
}

proptest::proptest! {
    /// The Ersatzrate from whole cents is the decimal one to the last digit and scale, for
    /// nets across all steps (negative, within the limits, beyond the minimum and maximum),
    /// written with 0 to 2 decimals, under every set of parameters.
    #[test]
    fn ersatzrate_in_cents_is_the_decimal_rate(
        birth in proptest::sample::select(vec!["2022-10-12", "2024-05-01", "2026-03-10"]),
        cents in -10_000i64..600_000,
        scale in 0u32..3,
    ) {
        let e = &BirthParams::for_birth(day(birth)).unwrap().ersatzrate;
        let mut net = Decimal::new(cents, 2).normalize();
        if net.scale() < scale {
            net.rescale(scale);
        }
        proptest::prop_assert_eq!(
            ersatzrate_of(e, net).serialize(),
            ersatzrate_decimal(e, net).serialize(),
            "{}", net
        );
    }
}
