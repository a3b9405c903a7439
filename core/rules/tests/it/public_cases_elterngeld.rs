//! The public Elterngeld cases of `../shared/cases/public/`, read in place.
//!
//! `egr_official`: the official Elterngeldrechner's figures on 200 random 2023–2026 cases
//! (BMFSFJ, digitalservicebund/elterngeldrechner, EUPL-1.2). A case without
//! `calculator_deviations` is asserted in full, to the cent; the others are reported with
//! their deviations. A figure where we are sure the law differs from the calculator goes into
//! `KNOWN_DIFFERENCES` with its reason; the expectation itself is never edited.

use crate::public_common;
use public_common::public_lines;

use std::collections::BTreeMap;

use elternkit_model::parse_case;
use elternkit_rules::elterngeld;
use serde_json::Value;

/// Month-by-month Minijob limit and Übergangsbereich (§ 8 Abs. 1a, § 20 Abs. 2 SGB IV with
/// § 2f Abs. 2 BEEG; RULES.md B3 item 4): the calculator fixes 538 / 2 000 € for every month.
/// Each of these cases matches the calculator to the cent when the engine is given those fixed
/// limits instead (checked by swapping the parameters), so the limits are the only difference.
const MONTH_LIMITS: &str = "the law takes each month's Minijob limit and Übergangsbereich (520 € in 2023, \
     556 € in 2025, 603 € in 2026); the calculator fixes 538 / 2 000 € for every month";

/// § 20 Abs. 2 SGB IV (last half-sentence): with several employments the total wage decides the
/// Übergangsbereich. The calculator applies the reduced base to each job alone (case 619
/// reproduces exactly that way: 494.14 € = 21 % of the two per-job bases at 538 €).
const SEVERAL_EMPLOYMENTS: &str = "several employments: the law takes their total wage for the \
     Übergangsbereich (§ 20 Abs. 2 SGB IV), the calculator each job alone";

/// Exact half cents: BEEG-Richtlinien 2.0.3.3.1 round half up; the calculator's binary floats
/// fall just below (0.65 × 1 446.10 = 939.965 → 939.97; an average of 304.355 → 304.36).
const HALF_CENT: &str = "an exact half cent, rounded half up by the Richtlinien and down by the \
     calculator's binary floating point";

/// The Richtlinien round taxes and each social contribution to the cent before the net
/// (RULES.md B3 item 5); the calculator's mixed path keeps the contributions unrounded.
const COMPONENT_ROUNDING: &str = "the net is gross − taxes − contributions each rounded to the \
     cent; the calculator's mixed path subtracts unrounded contributions";

/// Two causes in one case: the month limits, and an average wage after the birth of an exact
/// half cent (405.045 €) that the Richtlinien round up and the calculator's floats down.
const MONTH_LIMITS_AND_HALF_CENT: &str = "the law takes each month's Minijob limit and \
     Übergangsbereich, the calculator fixes 538 / 2 000 €; and an exact half cent, rounded half \
     up by the Richtlinien and down by the calculator's binary floating point";

/// § 2e Abs. 1 BEEG computes the taxes with the PAP, and the PAP (§ 39f EStG) floors the
/// yearly tax times the factor to whole euros (`LSTJAHR`, `JBMG` = `ST × f` ROUND_DOWN). The
/// calculator's PAP port multiplies without that floor: case 416 (class IV, factor 0.951, PAP
/// 2025) gets 5 557 × 0.951 = 5 284.707 € instead of 5 284 €, i.e. 440.39 € instead of 440.33 €
/// of monthly wage tax, and 175.93 € instead of 175.91 € of church-tax base.
const FACTOR_NOT_FLOORED: &str = "PAP (§ 2e Abs. 1 BEEG, § 39f EStG): ST × factor is floored to \
     whole euros before the monthly share; the calculator's PAP port keeps the fraction";

/// The PAP 2023 rounds the Vorsorgepauschale up to whole euros (`VSP = (VSP3 + VSP1)` ROUND_UP,
/// each part floored to the cent first); the calculator's PAP 2023 port omits these roundings.
/// Case 493 (profit 6 108.11 € + 100 €, class IV): VSP 12 510 € by the PAP, 12 509.26 € in the
/// port, so the zvE is 0.74 € higher, crosses a euro and gives 1 € more yearly wage tax
/// (15 551 € instead of 15 550 €, 1 295.91 € instead of 1 295.83 € a month).
const VSP_NOT_ROUNDED: &str = "PAP 2023 (§ 2e Abs. 1 BEEG): the Vorsorgepauschale is rounded up \
     to whole euros; the calculator's PAP 2023 port omits that rounding, so its zvE and yearly \
     wage tax come out 1 € higher";

/// § 2 Abs. 3 BEEG with § 2f Abs. 2 S. 3 BEEG, § 20 Abs. 2 SGB IV (RULES.md B5): each
/// Lebensmonat after the birth is tested on its own with the limits in force on its first day,
/// the resulting contribution bases are averaged; the calculator tests the variant's average
/// wage once, with 538 / 2 000 €. Case 683 (Plus, Lebensmonate 13–16 from 2026-04-08, limits
/// 603 / 2 000 €): 1 762 € and 1 567.05 € lie in the Übergangsbereich (bases 1 727.76 € and
/// 1 504.76 €), 3 750 € and 3 185.83 € above it; average base 2 542.09 €, 21 % = 533.84 €,
/// where the calculator takes 21 % of the average wage 2 566.22 € = 538.91 €: net 1 794.47 €
/// instead of 1 789.40 €.
const AFTER_BIRTH_EACH_MONTH: &str = "each Lebensmonat after the birth is tested on its own      with the Minijob limit and Übergangsbereich of its first day, then averaged (§ 2 Abs. 3,      § 2f Abs. 2 S. 3 BEEG); the calculator tests the average wage once, with 538 / 2 000 €";

/// The same, and Lebensmonate whose wage is at or below that month's Minijob limit carry no
/// deductions (§ 2f Abs. 2 S. 2 BEEG, § 8 Abs. 1 Nr. 1 SGB IV). Case 208 (Basis, Lebensmonate
/// 13, 14 from 2024-10-28 and 2024-11-28, limit 538 €): 922.87 € has the reduced base
/// 790.76 €, 536.61 € none; average 395.38 €, 21 % = 83.03 €, net 629.74 − 83.03 = 546.71 €;
/// the calculator takes 21 % of the base of the average 729.74 € (573.94 €) = 120.53 €: 509.21 €.
const AFTER_BIRTH_EACH_MONTH_AND_MINIJOB: &str = "each Lebensmonat after the birth is tested on      its own (§ 2 Abs. 3, § 2f Abs. 2 S. 3 BEEG), and its wage at or below that month's Minijob      limit carries no deductions (§ 2f Abs. 2 S. 2 BEEG); the calculator tests the average wage      once, with 538 / 2 000 €, and deducts the flat rates below 538 € too";

/// § 2f Abs. 2 S. 2 BEEG: wages of a geringfügige Beschäftigung (§ 8 SGB IV) carry no flat
/// social contributions, after the birth as before it (RULES.md B5: the calculator's 21 % on
/// them is a deviation not to be copied). Case 655: 250 € in Lebensmonat 1 (limit 538 €):
/// net 250 − 100 = 150.00 €; the calculator deducts 21 % of 250 € = 52.50 €: 97.50 €.
const MINIJOB_AFTER_BIRTH: &str = "a wage at or below the month's Minijob limit carries no flat      social contributions (§ 2f Abs. 2 S. 2 BEEG), after the birth too; the calculator deducts      21 % from it";

/// Case 280: several employments (p1's Übergangsbereich on the total wage), and the month
/// limits too: p1's Plus net after the birth depends on each month's Minijob limit and
/// Übergangsbereich, which the calculator fixes at 538 / 2 000 €.
const SEVERAL_EMPLOYMENTS_AND_MONTH_LIMITS: &str = "several employments: the law takes their \
     total wage for the Übergangsbereich (§ 20 Abs. 2 SGB IV), the calculator each job alone; \
     and p1's Plus net after the birth: each month's Minijob limit and Übergangsbereich, the \
     calculator fixes 538 / 2 000 €";

/// Case 588: p1 differs by the month limits only; p2 by several employments and the limits.
const P1_MONTH_LIMITS_P2_SEVERAL_EMPLOYMENTS: &str = "p1: only the month limits (the law \
     takes each month's Minijob limit and Übergangsbereich, the calculator fixes 538 / 2 000 €); \
     p2: several employments (their total wage decides the Übergangsbereich, § 20 Abs. 2 SGB IV, \
     the calculator takes each job alone) and the month limits";

/// Case 792: the month limits, and F: its Bemessungszeitraum reaches back before 2022-10-01,
/// where § 2f Abs. 2 S. 3 BEEG gives F = 30 / 42 = 0.7143 (RULES.md B3 item 4); the calculator
/// uses 0.6667 in every month.
const MONTH_LIMITS_AND_FACTOR_F: &str = "the law takes each month's Minijob limit and \
     Übergangsbereich, the calculator fixes 538 / 2 000 €; and F = 0.7143 for income months up \
     to 2022-09-30 (§ 2f Abs. 2 S. 3 BEEG), the calculator uses 0.6667 in every month";

/// Issue 22 and issue 24 point 1: the partner months need a parent whose income from
/// employment is reduced in two Lebensmonate (§ 4 Abs. 3 S. 2 BEEG; for a single parent § 4c
/// Abs. 1 Nr. 1), which is impossible without earnings before the birth (LSG
/// Baden-Württemberg L 11 EG 5027/11). These plans claim 14 months without such earnings;
/// a plan that breaks § 4 is never payable, so every month shows 0.00 €. The calculator pays
/// all 14.
const PARTNER_MONTHS_WITHOUT_REDUCTION: &str = "14 months without earnings before the birth: the \
     partner months need income reduced in two Lebensmonate (§ 4 Abs. 3 S. 2, § 4c Abs. 1 Nr. 1 \
     BEEG), so the plan is invalid and not payable; the calculator pays all 14";

/// (case id, reason) of clean cases where the law is on our side; the expectation is kept.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    ("egr-official/274", PARTNER_MONTHS_WITHOUT_REDUCTION),
    ("egr-official/279", PARTNER_MONTHS_WITHOUT_REDUCTION),
    ("egr-official/299", PARTNER_MONTHS_WITHOUT_REDUCTION),
    ("egr-official/262", MONTH_LIMITS),
    ("egr-official/294", MONTH_LIMITS),
    ("egr-official/359", MONTH_LIMITS),
    ("egr-official/434", MONTH_LIMITS),
    ("egr-official/461", MONTH_LIMITS),
    ("egr-official/509", MONTH_LIMITS),
    ("egr-official/517", MONTH_LIMITS),
    ("egr-official/520", MONTH_LIMITS),
    ("egr-official/604", MONTH_LIMITS),
    ("egr-official/609", MONTH_LIMITS),
    ("egr-official/618", MONTH_LIMITS),
    ("egr-official/778", MONTH_LIMITS),
    ("egr-official/452", MONTH_LIMITS),
    ("egr-official/569", MONTH_LIMITS),
    ("egr-official/792", MONTH_LIMITS_AND_FACTOR_F),
    ("egr-official/18", MONTH_LIMITS),
    ("egr-official/239", MONTH_LIMITS),
    ("egr-official/496", MONTH_LIMITS),
    ("egr-official/171", MONTH_LIMITS_AND_HALF_CENT),
    ("egr-official/280", SEVERAL_EMPLOYMENTS_AND_MONTH_LIMITS),
    ("egr-official/619", SEVERAL_EMPLOYMENTS),
    ("egr-official/588", P1_MONTH_LIMITS_P2_SEVERAL_EMPLOYMENTS),
    ("egr-official/784", HALF_CENT),
    ("egr-official/31", HALF_CENT),
    ("egr-official/754", COMPONENT_ROUNDING),
    ("egr-official/416", FACTOR_NOT_FLOORED),
    ("egr-official/493", VSP_NOT_ROUNDED),
    ("egr-official/617", AFTER_BIRTH_EACH_MONTH),
    ("egr-official/652", AFTER_BIRTH_EACH_MONTH),
    ("egr-official/683", AFTER_BIRTH_EACH_MONTH),
    ("egr-official/198", AFTER_BIRTH_EACH_MONTH_AND_MINIJOB),
    ("egr-official/208", AFTER_BIRTH_EACH_MONTH_AND_MINIJOB),
    ("egr-official/787", AFTER_BIRTH_EACH_MONTH_AND_MINIJOB),
    ("egr-official/655", MINIJOB_AFTER_BIRTH),
];

/// Clean cases not yet reproduced and not yet traced to the statute: work in progress of the
/// rules issue, listed so that the test fails when one starts to match (shrink the list) or
/// when any other clean case breaks.
const PENDING: &[&str] = &[];

/// Flattens the figures of `expect` into path → value, matching parents by id and months by
/// Lebensmonat, and looks the same paths up in our result.
fn compare(expect: &Value, ours: &Value, prefix: &str, diffs: &mut Vec<(String, String, String)>) {
    match expect {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{prefix}.{k}");
                compare(v, ours.get(k).unwrap_or(&Value::Null), &path, diffs);
            }
        }
        Value::Array(items) => {
            for item in items {
                let (key, id) = if let Some(id) = item.get("id") {
                    ("id", id.clone())
                } else if let Some(lm) = item.get("lebensmonat") {
                    ("lebensmonat", lm.clone())
                } else {
                    diffs.push((
                        prefix.to_string(),
                        item.to_string(),
                        "unmatched array item".into(),
                    ));
                    continue;
                };
                let found = ours
                    .as_array()
                    .and_then(|a| a.iter().find(|o| o.get(key) == Some(&id)))
                    .unwrap_or(&Value::Null);
                compare(item, found, &format!("{prefix}[{key}={id}]"), diffs);
            }
        }
        Value::String(s) => {
            let ours_s = ours
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| ours.to_string());
            let equal = match (s.parse::<f64>(), ours_s.parse::<f64>()) {
                // Money and rates are compared as decimals written with ≤ 3 places.
                (Ok(a), Ok(b)) => (a - b).abs() < 0.0005,
                _ => *s == ours_s,
            };
            if !equal {
                diffs.push((prefix.to_string(), s.clone(), ours_s));
            }
        }
        other => {
            if other != ours {
                diffs.push((prefix.to_string(), other.to_string(), ours.to_string()));
            }
        }
    }
}

#[test]
fn egr_official_clean_cases_match_in_full() {
    let cases = public_lines("egr_official.cases.jsonl");
    let expects = public_lines("egr_official.expect.jsonl");
    assert_eq!(cases.len(), expects.len());
    let mut failed = BTreeMap::new();
    let mut field_counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut clean, mut reported, mut reported_equal) = (0, 0, 0);
    let mut known_matching = Vec::new();
    for (case_line, expect_line) in cases.iter().zip(&expects) {
        let expect: Value = serde_json::from_str(expect_line).unwrap();
        let id = expect["id"].as_str().unwrap().to_string();
        let case = parse_case(case_line).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let elterngeld = elterngeld::compute(&case).unwrap_or_else(|e| panic!("{id}: {e}"));
        let ours = serde_json::json!({ "elterngeld": elterngeld });
        let mut diffs = Vec::new();
        compare(&expect["expect"], &ours, "", &mut diffs);
        if let Some((_, reason)) = KNOWN_DIFFERENCES.iter().find(|(k, _)| *k == id) {
            if diffs.is_empty() {
                known_matching.push(id.clone());
            }
            println!("known difference {id}: {} figures ({reason})", diffs.len());
            continue;
        }
        let deviations = expect["calculator_deviations"].as_array().unwrap();
        if deviations.is_empty() {
            clean += 1;
            if !diffs.is_empty() {
                for (path, _, _) in &diffs {
                    let generic: String = path
                        .split('.')
                        .filter(|s| !s.is_empty())
                        .map(|s| s.split('[').next().unwrap_or(s))
                        .collect::<Vec<_>>()
                        .join(".");
                    *field_counts.entry(generic).or_default() += 1;
                }
                failed.insert(id, diffs);
            }
        } else {
            reported += 1;
            if diffs.is_empty() {
                reported_equal += 1;
            } else {
                println!(
                    "reported {id} ({} figures differ; deviations {deviations:?})",
                    diffs.len()
                );
            }
        }
    }
    println!(
        "egr_official: {clean} clean cases, {} match in full; {reported} with calculator deviations, \
         {reported_equal} of them match anyway",
        clean - failed.len()
    );
    for (field, n) in &field_counts {
        println!("  differing field {field}: {n}");
    }
    println!(
        "failing: {}",
        failed.keys().cloned().collect::<Vec<_>>().join(" ")
    );
    // EGR_SHOW_PENDING=1 prints the pending cases' differences too (for working on them).
    let show_pending = std::env::var_os("EGR_SHOW_PENDING").is_some();
    for (id, diffs) in failed
        .iter()
        .filter(|(id, _)| show_pending || !PENDING.contains(&id.as_str()))
        .take(if show_pending { 40 } else { 8 })
    {
        println!("FAIL {id}:");
        for (path, want, got) in diffs.iter().take(if show_pending { 4 } else { 6 }) {
            println!("    {path}: expected {want}, ours {got}");
        }
    }
    let unexpected: Vec<_> = failed
        .keys()
        .filter(|id| !PENDING.contains(&id.as_str()))
        .collect();
    let now_passing: Vec<_> = PENDING
        .iter()
        .filter(|id| !failed.contains_key(**id))
        .collect();
    println!(
        "egr_official: {} known differences (law), {} pending",
        KNOWN_DIFFERENCES.len(),
        PENDING.len()
    );
    assert!(
        unexpected.is_empty(),
        "clean cases that differ: {unexpected:?}"
    );
    assert!(
        now_passing.is_empty(),
        "pending cases that now match, remove them from PENDING: {now_passing:?}"
    );
}

/// § 2f Abs. 1 S. 2 Nr. 3 BEEG: 2 % only if the person was insured under the SGB III. The sheet
/// deducts them whenever its status is "employee with social insurance" and never for status
/// "self-employed", whatever the AV flags say (re-computed: with that rule each figure below
/// matches to the cent).
const SHEET_AV_BY_STATUS: &str = "§ 2f Abs. 1 S. 2 Nr. 3 BEEG: 2 % only if the person was \
     unemployment-insured; the sheet ties them to its employee/self-employed status instead";

/// § 2f Abs. 2 S. 2 BEEG leaves out only Minijob wages (§ 8 SGB IV); § 2e taxes the rest. The
/// sheet rates a person "Minijob" when the average Elterngeld-Brutto is at most 450 € and then
/// deducts nothing, before and after the birth, although a job above 450 € was taxed or insured.
const SHEET_MINIJOB_STATUS: &str = "only Minijob wages (§ 8 SGB IV) are free of deductions \
     (§ 2f Abs. 2 S. 2 BEEG); the sheet frees the whole income when the average gross is ≤ 450 €";

/// § 8 Abs. 2 S. 1 SGB IV: several Minijobs of one month are added up. Case 77: 97 € + 401 € in
/// 2022-08 (498 € above 450 €), so both are employment that month; case 85: 304 € + 205 € in
/// 2022-06 and 2022-07 (509 €). The sheet takes each Minijob alone.
const SHEET_AV_AND_MINIJOBS_ADDED: &str = "the sheet's AV by status (§ 2f Abs. 1 S. 2 Nr. 3 \
     BEEG), and several Minijobs of a month added up (§ 8 Abs. 2 S. 1 SGB IV: 498 € in 2022-08, \
     above 450 €, so employment), the sheet takes each alone";
const SHEET_AV_HALF_CENT_AND_MINIJOBS_ADDED: &str = "the sheet's AV by status (§ 2f Abs. 1 \
     S. 2 Nr. 3 BEEG), an exact half cent rounded down by its floats, and several Minijobs of a \
     month added up (§ 8 Abs. 2 S. 1 SGB IV), the sheet takes each alone";
const SHEET_MINIJOB_STATUS_AND_ADDED: &str = "only Minijob wages (§ 8 SGB IV) are free of \
     deductions (§ 2f Abs. 2 S. 2 BEEG), the sheet frees the whole income when the average gross \
     is ≤ 450 €; and several Minijobs of a month added up (§ 8 Abs. 2 S. 1 SGB IV: 509 € in \
     2022-06 and 2022-07, so employment), the sheet takes each alone";

/// An exact half cent (e.g. (34 302 − 6 × 83.33) / 12 = 2 816.835): the Richtlinien round half
/// up (BEEG-RL 2.0.3.3.1); the sheet's binary floats fall below (case 5 rounds 1 037.835 up).
const SHEET_HALF_CENT: &str = "an exact half cent, rounded half up by the Richtlinien and down \
     by the sheet's binary floating point";

/// Case 47: no activity is pension-insured, so § 2e Abs. 2 S. 2 Nr. 2 a BEEG takes the
/// Vorsorgepauschale without the pension part (PAP KRV = 2: 9.58 € wage tax); the sheet uses
/// KRV = 0 for every employee status (0.00 €). Its contributions also reduce each job alone.
const SHEET_KRV_AND_SEVERAL_EMPLOYMENTS: &str = "no pension insurance: Vorsorgepauschale \
     without its pension part (§ 2e Abs. 2 S. 2 Nr. 2 a BEEG, PAP KRV = 2), the sheet uses \
     KRV = 0; and several employments reduced job by job";

/// § 2f Abs. 1 S. 2, Abs. 2 S. 1 BEEG: one Bemessungsgrundlage (the monthly average, a cent
/// amount) times the Pauschalen; the statute names no amount per insurance branch, so the
/// deduction is rounded once. The sheet rounds 9 %, 10 % and 2 % of it each to the cent and
/// adds them (case 52: 70.305 → 70.31 plus 78.117 → 78.12 = 148.43; rounded once 148.42).
const SHEET_BRANCH_ROUNDING: &str = "the deduction for social insurance is one amount \
     (§ 2f Abs. 1 S. 2, Abs. 2 S. 1 BEEG) rounded once; the sheet rounds each flat rate's \
     share to the cent and adds them (1 ct)";

const SHEET_AV_AND_BRANCH_ROUNDING: &str = "the sheet's AV by status (§ 2f Abs. 1 S. 2 Nr. 3 \
     BEEG), then rounding per flat rate (floats: 77.805 → 77.80)";
/// Case 3, Plus months in Lebensmonate 15-18 (2023-11 … 2024-02): 1 943.25 € lies in the
/// Übergangsbereich of those months (§ 20 Abs. 2 SGB IV: 520 / 538 … 2 000 €, F 0.6667), the
/// sheet keeps 450 / 1 300 of 2021 and so takes the full wage; and it adds AV by status.
/// Sheet: 12 % of 1 943.25 rounded per rate = 233.18 (re-computed).
const SHEET_AV_AND_LIMITS_AFTER_BIRTH: &str = "income after birth in 2023/24 lies in that \
     time's Übergangsbereich (§ 2f Abs. 2 S. 3 BEEG, § 20 Abs. 2 SGB IV: up to 2 000 €), the \
     sheet keeps 2021's 1 300 €; plus its AV by status (§ 2f Abs. 1 S. 2 Nr. 3 BEEG)";
/// Case 39: status "Minijob" frees the whole income after birth (see SHEET_MINIJOB_STATUS),
/// and the sheet deducts the Werbungskostenpauschale month by month but at most the month's
/// wage (29 € and 10 € months count 0): Σ max(0, x − 83.33) / 19 = 298.34 (re-computed).
const SHEET_MINIJOB_STATUS_AFTER_BIRTH: &str = "only Minijob wages are free of deductions \
     (§ 2f Abs. 2 S. 2 BEEG), the sheet frees all income after birth for its status \
     'Minijob'; it also caps the Pauschale per month at that month's wage";
/// Case 81: income after birth of 190 € (Basis) / 169.40 € (Plus) a month, at or below the
/// Minijob limit of 450 €: § 2f Abs. 2 S. 2 BEEG leaves them free of flat contributions and,
/// taxed at the flat rate, of wage tax (§ 2e Abs. 2 S. 1): 190 − 83.33 = 106.67 €. The sheet
/// deducts the flat rates anyway (with AV by status, rounded per rate), and for Plus caps the
/// Pauschale per month. Sheet Basis: 190 − 83.33 − 0 − 21 % × 190 = 66.77 (re-computed).
const SHEET_AV_AND_NO_TAX_AFTER_BIRTH: &str = "a wage at or below the Minijob limit carries no \
     flat social contributions (§ 2f Abs. 2 S. 2 BEEG), in each Lebensmonat after the birth \
     too; the sheet deducts them, with its AV by status (§ 2f Abs. 1 S. 2 Nr. 3 BEEG) and \
     rounding per flat rate";

/// § 2f Abs. 2 S. 3 BEEG: F from the BEEG flat rates, 30 / 42 = 0.7143 up to 2022-09-30
/// (RULES.md B3 item 4, Correction); the sheet's old implementation used the social-insurance
/// F of 2021, 0.7509 (the expectation file marks these figures `F_0.7143`).
const SHEET_AV_AND_F: &str = "the sheet's AV by status (§ 2f Abs. 1 S. 2 Nr. 3 BEEG), and \
     F = 0.7143 from the BEEG flat rates (§ 2f Abs. 2 S. 3 BEEG) where the sheet used 0.7509";
const SHEET_SEVERAL_EMPLOYMENTS_AND_F: &str = "several employments in a month: their total \
     wage decides the Übergangsbereich (§ 20 Abs. 2 SGB IV), the sheet takes each job alone; \
     and F = 0.7143 (§ 2f Abs. 2 S. 3 BEEG) where the sheet used 0.7509";
const SHEET_KRV_SEVERAL_EMPLOYMENTS_AND_F: &str = "no pension insurance: Vorsorgepauschale \
     without its pension part (§ 2e Abs. 2 S. 2 Nr. 2 a BEEG, PAP KRV = 2), the sheet uses \
     KRV = 0; several employments reduced job by job; and F = 0.7143 (§ 2f Abs. 2 S. 3 BEEG) \
     where the sheet used 0.7509";
const SHEET_AV_SEVERAL_F_AND_LIMITS: &str = "the sheet's AV by status (§ 2f Abs. 1 S. 2 Nr. 3 \
     BEEG), several employments reduced job by job (§ 20 Abs. 2 SGB IV), F = 0.7143 (§ 2f \
     Abs. 2 S. 3 BEEG) where the sheet used 0.7509, and each month's Minijob limit and \
     Übergangsbereich (450 / 1 300 € up to 2022-09, 520 / 1 600 € from 2022-10)";
const SHEET_AV_F_AND_ROUNDING_PER_RATE: &str = "the sheet's AV by status (§ 2f Abs. 1 S. 2 \
     Nr. 3 BEEG), F = 0.7143 (§ 2f Abs. 2 S. 3 BEEG) where the sheet used 0.7509, and rounding \
     per flat rate";

/// Law-determined figures of the sheet where the statute, traced, gives another figure: the
/// sheet's old implementation departs from it there. Reported with the reason; the test fails
/// when one starts to match. The expectations are kept as they are.
/// Issue 22: the sheet's plans run to Lebensmonat 35–46, beyond the 32nd (§ 4 Abs. 1 S. 4
/// BEEG), a test artifact of the calculator's previous implementation. A plan that breaks § 4
/// is never payable, so every month shows 0.00 €; the sheet's amounts would be paid only for
/// a corrected plan.
const SHEET_PLAN_BEYOND_32: &str = "the plan runs beyond Lebensmonat 32 (§ 4 Abs. 1 S. 4 \
     BEEG): an invalid plan is never payable, so the month shows 0.00 €";

const SHEET_KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    ("61 basis_with_income", SHEET_PLAN_BEYOND_32),
    ("64 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("67 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("68 basis_with_income", SHEET_PLAN_BEYOND_32),
    ("68 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("73 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("77 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("79 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("91 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("94 basis_with_income", SHEET_PLAN_BEYOND_32),
    ("95 basis_with_income", SHEET_PLAN_BEYOND_32),
    ("95 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("96 plus_with_income", SHEET_PLAN_BEYOND_32),
    ("97 plus_with_income", SHEET_PLAN_BEYOND_32),
    (
        "3 income_before_birth.social_contributions",
        SHEET_AV_BY_STATUS,
    ),
    ("3 income_before_birth.net", SHEET_AV_BY_STATUS),
    ("3 basis_without_income", SHEET_AV_BY_STATUS),
    (
        "5 income_before_birth.social_contributions",
        SHEET_AV_BY_STATUS,
    ),
    (
        "37 income_before_birth.social_contributions",
        SHEET_AV_BY_STATUS,
    ),
    ("37 income_after_birth.plus.net", SHEET_AV_BY_STATUS),
    (
        "44 income_before_birth.social_contributions",
        SHEET_AV_AND_F,
    ),
    ("44 income_before_birth.net", SHEET_AV_AND_F),
    ("44 basis_without_income", SHEET_AV_AND_F),
    ("44 plus_without_income", SHEET_AV_AND_F),
    ("44 income_after_birth.basis.net", SHEET_AV_BY_STATUS),
    ("44 income_after_birth.plus.net", SHEET_AV_BY_STATUS),
    (
        "51 income_before_birth.social_contributions",
        SHEET_AV_AND_F,
    ),
    (
        "65 income_before_birth.social_contributions",
        SHEET_AV_AND_F,
    ),
    ("65 income_after_birth.basis.net", SHEET_AV_BY_STATUS),
    (
        "68 income_before_birth.social_contributions",
        SHEET_AV_BY_STATUS,
    ),
    ("68 income_before_birth.net", SHEET_AV_BY_STATUS),
    ("68 basis_without_income", SHEET_AV_BY_STATUS),
    (
        "77 income_before_birth.social_contributions",
        SHEET_AV_AND_MINIJOBS_ADDED,
    ),
    ("77 income_before_birth.net", SHEET_AV_AND_MINIJOBS_ADDED),
    ("77 basis_without_income", SHEET_AV_AND_MINIJOBS_ADDED),
    (
        "77 plus_without_income",
        SHEET_AV_HALF_CENT_AND_MINIJOBS_ADDED,
    ),
    (
        "81 income_before_birth.social_contributions",
        SHEET_AV_SEVERAL_F_AND_LIMITS,
    ),
    ("39 income_before_birth.net", SHEET_MINIJOB_STATUS),
    ("85 income_before_birth.net", SHEET_MINIJOB_STATUS_AND_ADDED),
    ("85 basis_without_income", SHEET_MINIJOB_STATUS_AND_ADDED),
    ("85 income_after_birth.basis.net", SHEET_MINIJOB_STATUS),
    ("85 income_after_birth.plus.net", SHEET_MINIJOB_STATUS),
    ("18 income_before_birth.gross", SHEET_HALF_CENT),
    ("51 income_before_birth.gross", SHEET_HALF_CENT),
    ("30 plus_without_income", SHEET_HALF_CENT),
    ("64 plus_without_income", SHEET_HALF_CENT),
    (
        "47 income_before_birth.social_contributions",
        SHEET_SEVERAL_EMPLOYMENTS_AND_F,
    ),
    (
        "47 income_before_birth.taxes",
        SHEET_KRV_AND_SEVERAL_EMPLOYMENTS,
    ),
    (
        "47 income_before_birth.net",
        SHEET_KRV_SEVERAL_EMPLOYMENTS_AND_F,
    ),
    (
        "47 basis_without_income",
        SHEET_KRV_SEVERAL_EMPLOYMENTS_AND_F,
    ),
    (
        "28 income_before_birth.social_contributions",
        SHEET_BRANCH_ROUNDING,
    ),
    (
        "52 income_before_birth.social_contributions",
        SHEET_BRANCH_ROUNDING,
    ),
    ("52 income_before_birth.net", SHEET_BRANCH_ROUNDING),
    ("52 basis_without_income", SHEET_BRANCH_ROUNDING),
    ("52 plus_without_income", SHEET_BRANCH_ROUNDING),
    ("52 plus_with_income", SHEET_BRANCH_ROUNDING),
    (
        "18 income_before_birth.social_contributions",
        SHEET_AV_F_AND_ROUNDING_PER_RATE,
    ),
    (
        "61 income_before_birth.social_contributions",
        SHEET_AV_F_AND_ROUNDING_PER_RATE,
    ),
    (
        "61 income_after_birth.basis.net",
        SHEET_AV_AND_BRANCH_ROUNDING,
    ),
    (
        "3 income_after_birth.plus.net",
        SHEET_AV_AND_LIMITS_AFTER_BIRTH,
    ),
    (
        "39 income_after_birth.plus.net",
        SHEET_MINIJOB_STATUS_AFTER_BIRTH,
    ),
    (
        "81 income_after_birth.basis.net",
        SHEET_AV_AND_NO_TAX_AFTER_BIRTH,
    ),
    (
        "81 income_after_birth.plus.net",
        SHEET_AV_AND_NO_TAX_AFTER_BIRTH,
    ),
];

/// Our figure for a key of `egr2022.expect.jsonl` (MAPPING.md, "Expectations").
fn sheet_figure(case: &elternkit_model::Case, p: &Value, key: &str) -> Option<String> {
    let income = |i: usize| {
        case.parents[0]
            .gross_income_after_birth
            .as_ref()
            .and_then(|g| g.get(i))
            .is_some_and(|m| m.0 > rust_decimal::Decimal::ZERO)
    };
    let first_with_income = |kind: &str, up_to: u64| {
        p["months"].as_array()?.iter().find(|m| {
            m["kind"] == kind
                && m["lebensmonat"]
                    .as_u64()
                    .is_some_and(|lm| lm <= up_to && income(lm as usize - 1))
        })
    };
    let v = match key {
        "basis_with_income" => &first_with_income("basis", 64)?["amount"],
        "plus_with_income" => {
            &first_with_income("plus", 32).or_else(|| first_with_income("bonus", 32))?["amount"]
        }
        path => path.split('.').fold(p, |v, k| &v[k]),
    };
    v.as_str().map(String::from)
}

/// The official test sheet `Testfaelle_2022_3.xlsx` (BMFSFJ, EUPL-1.2): every figure in
/// `law_determined` to the cent; the rest reported with the sheet's notes.
#[test]
fn egr2022_law_determined_figures_match() {
    let cases = public_lines("egr2022.cases.jsonl");
    let expects = public_lines("egr2022.expect.jsonl");
    assert_eq!(cases.len(), expects.len());
    let (mut asserted, mut reported_off) = (0, 0);
    let mut failures = Vec::new();
    let mut known_matching = Vec::new();
    for (case_line, expect_line) in cases.iter().zip(&expects) {
        let expect: Value = serde_json::from_str(expect_line).unwrap();
        let id = expect["id"].as_str().unwrap();
        let case = parse_case(case_line).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let result = elterngeld::compute(&case).unwrap_or_else(|e| panic!("{id}: {e}"));
        let p = serde_json::to_value(&result.parents[0]).unwrap();
        let law: Vec<&str> = expect["law_determined"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for (key, want) in expect["expect"].as_object().unwrap() {
            let want = want.as_str().unwrap();
            let ours = sheet_figure(&case, &p, key).unwrap_or_else(|| "-".into());
            let equal = match (want.parse::<f64>(), ours.parse::<f64>()) {
                (Ok(a), Ok(b)) => (a - b).abs() < 0.005,
                _ => false,
            };
            let known = id.strip_prefix("egr/Testfaelle_2022_3/").and_then(|n| {
                SHEET_KNOWN_DIFFERENCES
                    .iter()
                    .find(|(k, _)| *k == format!("{n} {key}"))
            });
            if let Some((_, reason)) = known {
                if equal {
                    known_matching.push(format!("{id} {key}"));
                } else {
                    println!("known difference {id} {key}: sheet {want}, ours {ours} ({reason})");
                }
            } else if law.contains(&key.as_str()) {
                asserted += 1;
                if !equal {
                    failures.push(format!("{id} {key}: sheet {want}, ours {ours}"));
                }
            } else if !equal {
                reported_off += 1;
                println!(
                    "reported {id} {key}: sheet {want}, ours {ours} (notes {})",
                    expect["sheet_notes"]
                );
            }
        }
    }
    // Figures not yet reproduced and not yet traced to the statute (work in progress of the
    // rules issue): the test fails when one of them starts to match (shrink the file) or when
    // any other law-determined figure differs.
    let pending: Vec<String> = include_str!("egr2022_pending.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    let failing_keys: Vec<String> = failures
        .iter()
        .map(|f| f.split(':').next().unwrap_or_default().to_string())
        .collect();
    println!(
        "egr2022: {asserted} law-determined figures asserted, {} differ ({} pending); {} known \
         differences (law); {reported_off} other figures differ (reported)",
        failures.len(),
        pending.len(),
        SHEET_KNOWN_DIFFERENCES.len()
    );
    if std::env::var_os("EGR_SHOW_PENDING").is_some() {
        for f in &failures {
            println!("differs: {f}");
        }
    }
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|f| !pending.iter().any(|p| f.starts_with(&format!("{p}:"))))
        .collect();
    let now_matching: Vec<_> = pending
        .iter()
        .filter(|p| !failing_keys.contains(p))
        .collect();
    assert!(
        unexpected.is_empty(),
        "law-determined figures that differ: {unexpected:#?}"
    );
    assert!(
        now_matching.is_empty(),
        "pending figures that now match, remove them: {now_matching:#?}"
    );
    assert!(
        known_matching.is_empty(),
        "known differences that now match, remove them from SHEET_KNOWN_DIFFERENCES: \
         {known_matching:#?}"
    );
}
