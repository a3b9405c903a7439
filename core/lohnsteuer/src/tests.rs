//! Reference values for the generated PAP. Each names where its figure comes from; the
//! differential test (`cargo xtask pap-diff`) covers the rest of the input space.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;

fn cents(s: &str) -> Decimal {
    Decimal::from_str(s).expect("test literal")
}

fn input(pairs: &[(&str, &str)], version: PapVersion) -> PapInput {
    let mut input = PapInput::default();
    for (name, value) in pairs {
        input
            .set_text(version, name, value)
            .expect("valid test input");
    }
    input
}

/// BMF calculator, PAP 2026: yearly wage 30 000 €, KVZ 2.9 %, classes I–VI give
/// 2 294 / 1 230 / 0 / 2 294 / 5 664 / 6 195 € (cross-check quoted in `shared/pap/README.md`).
#[test]
fn pap_2026_yearly_30000_all_classes() {
    let expected = ["229400", "123000", "0", "229400", "566400", "619500"];
    for (class, want) in (1..=6).zip(expected) {
        let stkl = class.to_string();
        let i = input(
            &[
                ("LZZ", "1"),
                ("RE4", "3000000"),
                ("KVZ", "2.9"),
                ("STKL", &stkl),
            ],
            PapVersion::Y2026,
        );
        let out = compute(PapVersion::Y2026, &i).expect("computes");
        assert_eq!(out.LSTLZZ, Some(cents(want)), "class {class}");
    }
}

/// The December-2024 PAP recomputes the whole year with the raised Grundfreibetrag:
/// 3 000 €/month, class I, KVZ 1.7 → 288.08 € instead of 322.08 € under the January PAP
/// (`shared/pap/README.md`, "Code-level differences").
#[test]
fn december_2024_differs_from_january_2024() {
    let pairs = [
        ("LZZ", "2"),
        ("RE4", "300000"),
        ("KVZ", "1.7"),
        ("STKL", "1"),
    ];
    let january = compute(PapVersion::Y2024, &input(&pairs, PapVersion::Y2024)).unwrap();
    let december = compute(
        PapVersion::Y2024Dezember,
        &input(&pairs, PapVersion::Y2024Dezember),
    )
    .unwrap();
    assert_eq!(january.LSTLZZ, Some(cents("32208")));
    assert_eq!(december.LSTLZZ, Some(cents("28808")));
}

/// The mid-year 2022 revision lowered the tax: about 10 €/month at 2 300 € gross
/// (`shared/pap/README.md`, "Which PAP for which birth").
#[test]
fn pap_2022_revision_is_about_ten_euros_lower() {
    let pairs = [
        ("LZZ", "2"),
        ("RE4", "230000"),
        ("KVZ", "1.3"),
        ("STKL", "1"),
    ];
    let nov = PapVersion::Y2022_Stand2021_11;
    let may = PapVersion::Y2022;
    let before = compute(nov, &input(&pairs, nov)).unwrap().LSTLZZ.unwrap();
    let after = compute(may, &input(&pairs, may)).unwrap().LSTLZZ.unwrap();
    let gap = before - after;
    assert!(gap > cents("900") && gap < cents("1100"), "gap {gap} ct");
}

/// Without church tax (R = 0) the church-tax base is still computed (BK), but a wage below
/// the Grundfreibetrag pays no tax at all.
#[test]
fn below_grundfreibetrag_no_tax() {
    // 12 000 € a year is below the 2026 Grundfreibetrag of 12 348 €.
    let i = input(
        &[("LZZ", "1"), ("RE4", "1200000"), ("STKL", "1")],
        PapVersion::Y2026,
    );
    let out = compute(PapVersion::Y2026, &i).unwrap();
    assert_eq!(out.LSTLZZ, Some(Decimal::ZERO));
    assert_eq!(out.SOLZLZZ, Some(Decimal::ZERO));
}

#[test]
fn every_version_runs_on_its_defaults_and_reports_its_outputs() {
    for version in PapVersion::ALL {
        let out = compute(version, &PapInput::default()).expect("defaults compute");
        for name in version.outputs() {
            assert!(out.get(name).is_some(), "{} lacks {name}", version.name());
        }
        assert_eq!(PapVersion::from_name(version.name()), Some(version));
        let (file, sha) = version.source();
        assert_eq!(file, format!("Lohnsteuer{}.xml", version.name()));
        assert_eq!(sha.len(), 64);
    }
}

#[test]
fn inputs_of_other_versions_are_refused() {
    // ALV is new in 2026; MBV in 2022; PVA in 2024.
    let err = PapInput::default()
        .set_text(PapVersion::Y2025, "ALV", "1")
        .unwrap_err();
    assert!(matches!(
        err,
        PapError::UnsupportedInput { name: "ALV", .. }
    ));
    let typed = PapInput {
        PVA: Some(Decimal::ONE),
        ..PapInput::default()
    };
    assert!(matches!(
        compute(PapVersion::Y2023, &typed),
        Err(PapError::UnsupportedInput { name: "PVA", .. })
    ));
    assert!(matches!(
        PapInput::default().set_text(PapVersion::Y2026, "RE5", "1"),
        Err(PapError::UnknownInput(_))
    ));
}

#[test]
fn bad_values_are_typed_errors() {
    let v = PapVersion::Y2026;
    let mut i = PapInput::default();
    for (name, value) in [
        ("STKL", "1.5"),
        ("LZZ", "two"),
        ("RE4", "1e5"),
        ("RE4", "12,50"),
        ("RE4", ""),
        ("KVZ", "1.1234567"),
        ("RE4", "100000000000000"),
        ("f", "0.1234567890123456"),
    ] {
        match i.set_text(v, name, value) {
            Err(PapError::InvalidInput { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{name}={value:?} gave {other:?}"),
        }
    }
    // The typed API checks the same range before running.
    let huge = PapInput {
        RE4: Some(Decimal::from(MAX_CENTS) + Decimal::ONE),
        ..PapInput::default()
    };
    assert!(matches!(
        compute(v, &huge),
        Err(PapError::InvalidInput { .. })
    ));
}

/// Each input is checked against the range its `INPUT` comment documents, with a typed error
/// that names the range and never the value.
#[test]
fn documented_ranges_are_enforced() {
    let v = PapVersion::Y2026;
    for (name, value) in [
        ("STKL", "7"),
        ("STKL", "0"),
        ("LZZ", "9"),
        ("LZZ", "0"),
        ("RE4", "-1"),
        ("RE4", "300000.5"),
        // A float where the PAP wants whole cents, even without a fraction.
        ("RE4", "300000.0"),
        ("JRE4", "-100"),
        ("af", "2"),
        ("ALTER1", "-1"),
        ("ALV", "3"),
        ("PVZ", "2"),
        ("KRV", "2"),
        ("PKV", "2"),
        ("PVA", "5"),
        ("PVA", "1.5"),
        ("R", "-1"),
        ("AJAHR", "1850"),
        ("VJAHR", "12345"),
        ("ZMVB", "13"),
        ("KVZ", "-0.5"),
        ("KVZ", "2.555"),
        ("ZKF", "-1"),
        ("ZKF", "0.25"),
        ("f", "0"),
        ("f", "1.5"),
        ("f", "0.9999"),
    ] {
        match PapInput::default().set_text(v, name, value) {
            Err(e @ PapError::OutOfRange { name: n, expected }) => {
                assert_eq!(n, name);
                assert!(!expected.is_empty());
                // Short values ("0", "13") may be part of the range's own text.
                assert!(
                    value.len() < 3 || !e.to_string().contains(value),
                    "{e} repeats {value}"
                );
            }
            other => panic!("{name}={value:?} gave {other:?}"),
        }
    }
    // The edges of each range are accepted.
    for (name, value) in [
        ("STKL", "1"),
        ("STKL", "6"),
        ("LZZ", "4"),
        ("RE4", "0"),
        ("KRV", "1"),
        ("PVA", "4"),
        ("AJAHR", "0"),
        ("AJAHR", "2026"),
        ("ZMVB", "12"),
        ("KVZ", "2.50"),
        ("ZKF", "1.5"),
        ("f", "1"),
        ("f", "0.001"),
        ("R", "3"),
    ] {
        PapInput::default()
            .set_text(v, name, value)
            .unwrap_or_else(|e| panic!("{name}={value:?}: {e}"));
    }
    // Codes that older versions document: KRV 2 (no statutory pension) until 2024, PKV 2
    // (private with employer subsidy) until 2025.
    assert!(
        PapInput::default()
            .set_text(PapVersion::Y2024, "KRV", "2")
            .is_ok()
    );
    assert!(
        PapInput::default()
            .set_text(PapVersion::Y2025, "KRV", "2")
            .is_err()
    );
    assert!(
        PapInput::default()
            .set_text(PapVersion::Y2025, "PKV", "2")
            .is_ok()
    );
}

/// The Faktorverfahren (class IV with factor f < 1) lowers the tax by exactly the factor
/// before rounding down to whole euros (PAP `MLSTJAHR`: ST · f, ROUND_DOWN).
#[test]
fn faktorverfahren_scales_the_yearly_tax() {
    let v = PapVersion::Y2026;
    let base = [("LZZ", "1"), ("RE4", "5000000"), ("STKL", "4")];
    let plain = compute(v, &input(&base, v)).unwrap().LSTLZZ.unwrap();
    let mut with_factor = base.to_vec();
    with_factor.extend([("af", "1"), ("f", "0.9")]);
    let factored = compute(v, &input(&with_factor, v)).unwrap().LSTLZZ.unwrap();
    let expected = (plain / Decimal::ONE_HUNDRED * cents("0.9")).trunc() * Decimal::ONE_HUNDRED;
    assert_eq!(factored, expected);
}

/// No error's `Display` repeats the value (issue 22): a value may be a wage or, typed into
/// the wrong field, a Steuer-ID. Marker values go into every input of every version, as text
/// and as typed decimals, and under an unknown name.
#[test]
fn errors_never_display_the_value() {
    const MARKERS: [&str; 3] = ["10762903845", "98765432109", "Marta"];
    let values = [
        "10762903845",
        "-10762903845",
        "10762903845.5",
        "1076290384.5123456",
        "98765432109876543",
        "98765432109e3",
        "Marta",
        "0.10762903845",
    ];
    let mut errors = 0;
    let check = |e: &PapError, what: &str| {
        let text = e.to_string();
        for m in MARKERS {
            assert!(!text.contains(m), "{what}: {text}");
        }
    };
    for version in PapVersion::ALL {
        for (name, _) in version.inputs() {
            for value in values {
                if let Err(e) = PapInput::default().set_text(version, name, value) {
                    errors += 1;
                    check(&e, &format!("{name}={value}"));
                }
            }
        }
        let e = PapInput::default()
            .set_text(version, "Marta", "1")
            .expect_err("an unknown name");
        check(&e, "an unknown name");
        for value in ["98765432109876543", "10762903845.1234567"] {
            let typed = PapInput {
                RE4: Some(cents(value)),
                ..PapInput::default()
            };
            let e = compute(version, &typed).expect_err("out of the accepted range");
            errors += 1;
            check(&e, &format!("typed RE4 {value}"));
        }
    }
    // The markers reached the checks of every version (not refused earlier for another reason).
    assert!(errors > 500, "only {errors} errors");
}
