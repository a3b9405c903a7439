//! Property tests of the generated PAP: it never fails on inputs in the accepted range, its
//! outputs are whole non-negative cents, and the wage tax never falls when the wage rises.

use elternkit_lohnsteuer::{PapInput, PapVersion, compute};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn version() -> impl Strategy<Value = PapVersion> {
    proptest::sample::select(PapVersion::ALL.to_vec())
}

/// Inputs common to every version, in their documented ranges.
fn common_input() -> impl Strategy<Value = PapInput> {
    (
        1..=4i32,
        1..=6i32,
        0..100_000_000i64,
        0..=1i32,
        0..=400i64,
        0..=12i64,
        0..=1i32,
        0..=1i32,
        0..=2i32,
        0..=150_000i64,
    )
        .prop_map(
            |(lzz, stkl, re4, r, kvz, zkf_halves, pvs, pvz, pkv, pkpv)| PapInput {
                LZZ: Some(lzz),
                STKL: Some(stkl),
                RE4: Some(Decimal::from(re4)),
                R: Some(r),
                KVZ: Some(Decimal::new(kvz, 2)),
                ZKF: Some(if stkl <= 4 {
                    Decimal::new(zkf_halves * 5, 1)
                } else {
                    Decimal::ZERO
                }),
                PVS: Some(pvs),
                PVZ: Some(pvz),
                PKV: Some(pkv),
                PKPV: Some(if pkv > 0 {
                    Decimal::from(pkpv)
                } else {
                    Decimal::ZERO
                }),
                ..PapInput::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn computes_whole_nonnegative_cents(v in version(), input in common_input()) {
        let out = compute(v, &input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for name in v.outputs() {
            let value = out.get(name).expect("declared output");
            prop_assert!(value >= Decimal::ZERO, "{} {name} = {value}", v.name());
            prop_assert_eq!(value.fract(), Decimal::ZERO, "{} {} = {}", v.name(), name, value);
        }
    }

    #[test]
    fn wage_tax_is_monotone_in_the_wage(
        v in version(),
        input in common_input(),
        raise in 1..5_000_000i64,
    ) {
        let lower = compute(v, &input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut higher_input = input.clone();
        higher_input.RE4 = higher_input.RE4.map(|re4| re4 + Decimal::from(raise));
        let higher = compute(v, &higher_input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(higher.LSTLZZ >= lower.LSTLZZ, "LSTLZZ fell: {:?} -> {:?}", lower.LSTLZZ, higher.LSTLZZ);
        prop_assert!(higher.SOLZLZZ >= lower.SOLZLZZ, "SOLZLZZ fell: {:?} -> {:?}", lower.SOLZLZZ, higher.SOLZLZZ);
    }

    #[test]
    fn extreme_inputs_are_computed_or_refused_never_panic(
        v in version(),
        lzz in -3..8i32,
        stkl in -3..10i32,
        re4 in proptest::num::i64::ANY,
        kvz in proptest::num::i64::ANY,
        vjahr in proptest::num::i32::ANY,
    ) {
        let input = PapInput {
            LZZ: Some(lzz),
            STKL: Some(stkl),
            RE4: Some(Decimal::from(re4)),
            KVZ: Some(Decimal::new(kvz, 2)),
            VJAHR: Some(vjahr),
            VBEZ: Some(Decimal::from(re4 / 3)),
            ..PapInput::default()
        };
        // Any outcome but a panic is acceptable here: out-of-range values are refused.
        let _ = compute(v, &input);
    }
}

/// Every money input of the version set to a value up to the accepted maximum.
fn max_range_input(v: PapVersion) -> impl Strategy<Value = PapInput> {
    let money: Vec<&'static str> = v
        .inputs()
        .iter()
        .filter(|(_, kind)| *kind == elternkit_lohnsteuer::InputKind::BigDecimal)
        .map(|(name, _)| *name)
        .filter(|name| !matches!(*name, "KVZ" | "PVA" | "ZKF"))
        .collect();
    let count = money.len();
    (
        1..=4i32,
        1..=6i32,
        proptest::collection::vec(
            prop_oneof![
                Just(elternkit_lohnsteuer::MAX_CENTS),
                0..=elternkit_lohnsteuer::MAX_CENTS
            ],
            count,
        ),
        2000..2070i32,
        // Private health insurance (PKV 1, 2 with PKPV) and the KRV variants take other
        // paths: PKV = 2 multiplies by the 17-digit double 0.07650000000000001 (2021–2023).
        0..=2i32,
        0..=2i32,
    )
        .prop_map(move |(lzz, stkl, amounts, year, pkv, krv)| {
            let mut input = PapInput {
                LZZ: Some(lzz),
                STKL: Some(stkl),
                PKV: Some(pkv),
                KRV: Some(if v.name() < "2025" { krv } else { krv.min(1) }),
                KVZ: Some(Decimal::new(999, 2)),
                ZKF: Some(Decimal::new(95, 1)),
                VJAHR: Some(year),
                AJAHR: Some(year),
                ALTER1: Some(1),
                ZMVB: Some(12),
                ..PapInput::default()
            };
            for (name, amount) in money.iter().zip(amounts) {
                let slot = input.slot(name).expect("declared input");
                if let elternkit_lohnsteuer::InputSlot::Decimal(target) = slot {
                    *target = Some(Decimal::new(amount, 0));
                }
            }
            input
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The accepted range is safe: with every money input up to `MAX_CENTS`, no step of any
    /// version needs more than the runtime's 38-digit mantissa (it would report
    /// `PapError::Precision` rather than round).
    #[test]
    fn accepted_range_never_loses_precision(
        (v, input) in version().prop_flat_map(|v| (Just(v), max_range_input(v)))
    ) {
        compute(v, &input).map_err(|e| TestCaseError::fail(format!("{}: {e}", v.name())))?;
    }
}
