//! Reading and checking a case. Problems are data (path, code, message), never panics.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::residence::{known_residence_title, nearest_residence_titles};
use super::{CASE_SCHEMA, Case, InputError, TaxClass};

/// A problem with the input: where, what kind, and what to do.
pub type Problem = InputError;

fn problem(
    path: impl Into<String>,
    code: &str,
    en: impl Into<String>,
    de: impl Into<String>,
) -> Problem {
    InputError::new(path, code, en, de)
}

/// Parses a case from JSON, naming the field path and position of the first error. A
/// leading byte-order mark is accepted. The messages are our own, chosen by the kind of
/// serde's error, and never contain a value of the input (a Steuer-ID, a name).
pub fn parse_case(json: &str) -> Result<Case, Vec<Problem>> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    // With `fast-parse`, the usual shapes of a case are read directly (`fast.rs`); other
    // valid input by serde_json without paths. Only a failure is parsed again with path
    // tracking, which costs as much as the parse itself and is needed only to say where it
    // failed.
    #[cfg(feature = "fast-parse")]
    if let Some(case) = crate::fast::parse(json) {
        return checked(json, case);
    }
    #[cfg(feature = "fast-parse")]
    if let Ok(case) = serde_json::from_str::<Case>(json) {
        return checked(json, case);
    }
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, Case>(&mut *de) {
        Ok(case) => match de.end() {
            // Text follows the case.
            Err(e) => Err(vec![parse_error(json, &[], &e)]),
            Ok(()) if cfg!(feature = "fast-parse") => Err(vec![problem(
                "",
                "invalid_json",
                "the case could not be read",
                "der Fall konnte nicht gelesen werden",
            )]),
            Ok(()) => checked(json, case),
        },
        Err(err) => {
            let path: Vec<String> = err.path().iter().filter_map(segment).collect();
            Err(vec![parse_error(json, &path, err.inner())])
        }
    }
}

/// A case that was read, validated; problems found after reading are located by their
/// paths.
fn checked(json: &str, case: Case) -> Result<Case, Vec<Problem>> {
    let mut problems = validate(&case);
    if problems.is_empty() {
        Ok(case)
    } else {
        crate::locate::fill_positions(json, &mut problems);
        Err(problems)
    }
}

/// A path segment as our notation writes it (`parents[0]`, `.tax`), or `None` for one that
/// adds nothing. A map key that does not look like a field name is written `?`: an unknown
/// key may be a value typed in the wrong place.
fn segment(seg: &serde_path_to_error::Segment) -> Option<String> {
    use serde_path_to_error::Segment;
    match seg {
        Segment::Seq { index } => Some(format!("[{index}]")),
        Segment::Map { key } | Segment::Enum { variant: key } => Some(if is_field_name(key) {
            key.clone()
        } else {
            "?".to_string()
        }),
        Segment::Unknown => None,
    }
}

/// Lower-case ASCII letters, digits and `_`, starting with a letter: the shape of our field
/// names, and of no Steuer-ID, IBAN or (capitalised) name.
fn is_field_name(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A serde path in our notation (`constraints.fixed[0].kind`), `.` for the root, with a key
/// that does not look like a field name written `?`: for formats beside the case (the plan
/// request) whose errors must not repeat what was typed.
pub fn log_safe_path(path: &serde_path_to_error::Path) -> String {
    let segments: Vec<String> = path.iter().filter_map(segment).collect();
    if segments.is_empty() {
        ".".to_string()
    } else {
        join(&segments)
    }
}

/// For serde's "unknown field `x`, expected one of …": the expected field name closest to
/// the one typed, if one is close enough to be meant. Only a name of the format is returned,
/// never the typed key.
pub fn closest_field(serde_text: &str) -> Option<&str> {
    let typed = first_quoted(serde_text).unwrap_or("").to_lowercase();
    expected_names(serde_text)
        .into_iter()
        .map(|k| (distance(&typed, k), k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .map(|(_, k)| k)
}

/// Joins segments to a path: `parents`, `[0]`, `tax` → `parents[0].tax`.
fn join(segments: &[String]) -> String {
    let mut out = String::new();
    for s in segments {
        if !out.is_empty() && !s.starts_with('[') {
            out.push('.');
        }
        out.push_str(s);
    }
    out
}

/// serde's error as ours: a code by the error's category, our own message, the position.
fn parse_error(json: &str, path: &[String], err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let at = |p: Problem| InputError {
        line: (err.line() > 0).then_some(err.line()),
        column: (err.line() > 0).then_some(err.column()),
        ..p
    };
    // serde_json's own texts end in " at line L column C".
    let full = err.to_string();
    let text = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => at(syntax_problem(json, err, text)),
        Category::Data => at(data_problem(path, text)),
    }
}

/// A text that is not JSON. serde_json's syntax messages are fixed texts without the input,
/// but we say what to do.
fn syntax_problem(json: &str, err: &serde_json::Error, text: &str) -> Problem {
    let here = json
        .lines()
        .nth(err.line().saturating_sub(1))
        .and_then(|l| {
            l.char_indices()
                .nth(err.column().saturating_sub(1))
                .map(|(i, _)| &l[i..])
        })
        .unwrap_or("")
        .trim_start();
    let (en, de) = if here.starts_with("//") || here.starts_with("/*") {
        (
            "JSON has no comments: remove the // notes (the example in CASE_FORMAT.md is annotated)",
            "JSON kennt keine Kommentare: bitte die //-Anmerkungen entfernen (das Beispiel in CASE_FORMAT.md ist kommentiert)",
        )
    } else if err.classify() == serde_json::error::Category::Eof {
        (
            "the text ends in the middle of the case: a closing } or ] or \" is missing",
            "der Text endet mitten im Fall: ein schließendes } oder ] oder \" fehlt",
        )
    } else if text.starts_with("key must be a string") {
        (
            "a field name must be in double quotes",
            "ein Feldname steht in doppelten Anführungszeichen",
        )
    } else if text.starts_with("trailing comma") {
        (
            "remove the comma before the closing bracket",
            "bitte das Komma vor der schließenden Klammer entfernen",
        )
    } else if text.starts_with("trailing characters") {
        (
            "text follows the end of the case; give one case per file (or per line with --jsonl)",
            "nach dem Ende des Falls folgt weiterer Text; ein Fall je Datei (oder je Zeile mit --jsonl)",
        )
    } else if text.starts_with("expected `:`") {
        (
            "a colon (:) must follow the field name",
            "nach dem Feldnamen muss ein Doppelpunkt (:) stehen",
        )
    } else if text.starts_with("expected `,` or") {
        (
            "a comma (,) or a closing bracket is missing",
            "ein Komma (,) oder eine schließende Klammer fehlt",
        )
    } else {
        (
            "not valid JSON here: check quotes, commas and brackets",
            "hier kein gültiges JSON: bitte Anführungszeichen, Kommas und Klammern prüfen",
        )
    };
    problem("", "invalid_json", en, de)
}

/// The names in serde's "expected one of `a`, `b`" (our field or variant names).
fn expected_names(text: &str) -> Vec<&str> {
    let Some(i) = text.find("expected") else {
        return Vec::new();
    };
    text[i..].split('`').skip(1).step_by(2).collect()
}

/// The first backquoted name in serde's text: the unknown field or variant.
fn first_quoted(text: &str) -> Option<&str> {
    text.split('`').nth(1)
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A value of the wrong type or form, an unknown or missing field: serde's message is only
/// classified, never shown (it quotes the value: "invalid type: integer `10762903845`").
fn data_problem(path: &[String], text: &str) -> Problem {
    let at = join(path);
    if let Some(field) = text.strip_prefix("missing field ").and_then(first_quoted) {
        let mut full = path.to_vec();
        full.push(field.to_string());
        return problem(
            join(&full),
            "missing_field",
            format!("the required field `{field}` is missing"),
            format!("das Pflichtfeld `{field}` fehlt"),
        );
    }
    if text.starts_with("unknown field") {
        let known = expected_names(text);
        let (en, de) = match closest_field(text) {
            Some(k) => (
                format!("unknown field; did you mean `{k}`?"),
                format!("unbekanntes Feld; gemeint ist wohl `{k}`?"),
            ),
            None if known.is_empty() => (
                "unknown field; no fields are allowed here".to_string(),
                "unbekanntes Feld; hier sind keine Felder erlaubt".to_string(),
            ),
            None => (
                format!("unknown field; the fields here are {}", known.join(", ")),
                format!("unbekanntes Feld; möglich sind hier {}", known.join(", ")),
            ),
        };
        return problem(at, "unknown_field", en, de);
    }
    if text.starts_with("unknown variant") {
        let allowed = expected_names(text).join(", ");
        return problem(
            at,
            "unknown_value",
            format!("not an allowed value; use one of {allowed}"),
            format!("kein zulässiger Wert; möglich sind {allowed}"),
        );
    }
    let expected = text
        .rfind("expected ")
        .map_or("", |i| &text[i + "expected ".len()..]);
    let (want_en, want_de) = expected_kind(path, expected);
    if let Some(found) = text.strip_prefix("invalid type: ") {
        let (found_en, found_de) = found_kind(found);
        return problem(
            at,
            "invalid_type",
            format!("expected {want_en}, found {found_en}"),
            format!("erwartet {want_de}, gefunden {found_de}"),
        );
    }
    if text.starts_with("invalid length") {
        return problem(
            at,
            "invalid_length",
            format!("wrong number of entries; expected {want_en}"),
            format!("falsche Anzahl von Einträgen; erwartet {want_de}"),
        );
    }
    // "invalid value" and the custom texts of the date, month and decimal parsers (which
    // may quote the value): the field's form.
    problem(
        at,
        "invalid_value",
        format!("this value cannot be read; expected {want_en}"),
        format!("dieser Wert ist nicht lesbar; erwartet {want_de}"),
    )
}

/// What a field expects, in words, from serde's "expected …" and the field's name.
fn expected_kind(path: &[String], expected: &str) -> (&'static str, &'static str) {
    let field = path
        .iter()
        .rev()
        .find(|s| !s.starts_with('['))
        .map_or("", String::as_str);
    if expected.contains("Decimal") || expected.contains("decimal") {
        (
            "an amount or number as a string such as \"1234.56\"",
            "einen Betrag oder eine Zahl als Text wie \"1234.56\"",
        )
    } else if field.ends_with("date") || field.ends_with("_since") || field.ends_with("_at") {
        (
            "a date as a string \"YYYY-MM-DD\"",
            "ein Datum als Text \"JJJJ-MM-TT\"",
        )
    } else if expected.contains("YYYY-MM") || field.ends_with("month") || field.ends_with("_from") {
        (
            "a month as a string \"YYYY-MM\"",
            "einen Monat als Text \"JJJJ-MM\"",
        )
    } else if expected.starts_with("struct") || expected.contains("map") {
        ("an object { … }", "ein Objekt { … }")
    } else if expected.contains("sequence")
        || expected.contains("array")
        || expected.contains("tuple")
    {
        ("a list [ … ]", "eine Liste [ … ]")
    } else if expected.contains("bool") {
        ("true or false", "true oder false")
    } else if expected.starts_with("u8")
        || expected.starts_with("u16")
        || expected.starts_with("u32")
        || expected.starts_with("u64")
        || expected.starts_with("i32")
        || expected.starts_with("i64")
        || expected.contains("integer")
    {
        ("a whole number", "eine ganze Zahl")
    } else if expected.contains("string") || expected.starts_with("variant") {
        (
            "a string in double quotes",
            "einen Text in doppelten Anführungszeichen",
        )
    } else {
        (
            "the form given in CASE_FORMAT.md",
            "die Form aus CASE_FORMAT.md",
        )
    }
}

/// What was found, from serde's "integer `…`", "string \"…\"" (the value itself dropped).
fn found_kind(found: &str) -> (&'static str, &'static str) {
    const KINDS: [(&str, &str, &str); 9] = [
        ("integer", "a number", "eine Zahl"),
        ("floating point", "a number", "eine Zahl"),
        ("string", "a string", "einen Text"),
        ("boolean", "true or false", "true oder false"),
        ("map", "an object", "ein Objekt"),
        ("sequence", "a list", "eine Liste"),
        ("null", "null", "null"),
        ("unit", "null", "null"),
        ("char", "a string", "einen Text"),
    ];
    KINDS.iter().find(|(k, _, _)| found.starts_with(k)).map_or(
        ("another kind of value", "einen anderen Wert"),
        |(_, en, de)| (*en, *de),
    )
}

/// The largest amount in euros a case may give, either sign. Far above any real income, and
/// low enough that no sum, average or conversion to cents in the rules leaves the range of
/// exact decimals (28 digits): found by fuzzing, 5.4 · 10²⁷ € after the birth overflowed
/// the conversion of the tax base to cents.
const MAX_AMOUNT_EUR: u32 = 1_000_000_000;

/// An `out_of_range` problem at `path` when `amount` lies beyond [`MAX_AMOUNT_EUR`].
/// `path` is made only for a problem: most cases have none, and every amount is checked.
fn amount_beyond_limit(out: &mut Vec<Problem>, path: impl FnOnce() -> String, amount: Decimal) {
    // 10⁹ as a decimal: lowest 32 bits, no sign, scale 0.
    const MAX: Decimal = Decimal::from_parts(MAX_AMOUNT_EUR, 0, 0, false, 0);
    if amount.abs() > MAX {
        out.push(problem(
            path(),
            "out_of_range",
            "amounts lie between -1 000 000 000 and 1 000 000 000 €",
            "Beträge liegen zwischen -1.000.000.000 und 1.000.000.000 €",
        ));
    }
}

/// Checks what serde cannot: value ranges and references between fields.
pub fn validate(case: &Case) -> Vec<Problem> {
    let mut out = Vec::new();
    if case.schema != CASE_SCHEMA {
        out.push(problem(
            "schema",
            "unsupported_schema",
            format!("use \"{CASE_SCHEMA}\", the only case format this version reads"),
            format!("nur \"{CASE_SCHEMA}\" wird gelesen; bitte dieses Format angeben"),
        ));
    }
    if case.child.count == 0 || case.child.count > 8 {
        out.push(problem(
            "child.count",
            "out_of_range",
            "count must be 1 (one child) to 8",
            "count ist 1 (ein Kind) bis 8",
        ));
    }
    let pc = &case.household.postal_code;
    if pc.len() != 5 || !pc.chars().all(|c| c.is_ascii_digit()) {
        out.push(problem(
            "household.postal_code",
            "invalid_postal_code",
            "a German postal code has five digits",
            "eine deutsche Postleitzahl hat fünf Ziffern",
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
            "das zu versteuernde Einkommen ist hier nicht negativ; bei einem Verlust 0 angeben",
        ));
    }
    if let Some(income) = case.household.taxable_income_year_before_birth {
        amount_beyond_limit(
            &mut out,
            || "household.taxable_income_year_before_birth".into(),
            income,
        );
    }
    if case.parents.is_empty() || case.parents.len() > 2 {
        out.push(problem(
            "parents",
            "parent_count",
            "a case has one or two parents",
            "ein Fall hat einen oder zwei Elternteile",
        ));
    }
    // A case has one or two parents: comparing with the earlier ones beats hashing; a set
    // only for long (invalid) lists, which must not cost quadratic time.
    let mut ids = HashSet::new();
    let few = case.parents.len() <= 8;
    for (i, parent) in case.parents.iter().enumerate() {
        let at = |field: &str| format!("parents[{i}].{field}");
        let repeated = if few {
            case.parents[..i].iter().any(|p| p.id == parent.id)
        } else {
            !ids.insert(parent.id.as_str())
        };
        if repeated {
            out.push(problem(
                at("id"),
                "duplicate_id",
                "two parents have the same id",
                "zwei Elternteile haben dieselbe id",
            ));
        }
        if parent.citizenship.len() != 2
            || !parent.citizenship.chars().all(|c| c.is_ascii_uppercase())
        {
            out.push(problem(
                at("citizenship"),
                "invalid_country",
                "use an ISO 3166-1 alpha-2 code such as DE",
                "bitte einen Ländercode nach ISO 3166-1 alpha-2 wie DE angeben",
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
                    "not a residence-title id; nearest: {} (every id with its statute: docs/RESIDENCE_TITLES.md, `elternkit calc --help`)",
                    nearest_residence_titles(given).join(", ")
                ),
                format!(
                    "keine bekannte Aufenthaltstitel-id; am nächsten: {} (alle ids mit Rechtsgrundlage: docs/RESIDENCE_TITLES.md, `elternkit calc --help`)",
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
                "der Aufenthalt in Deutschland kann nicht nach dem Stichtag (evaluation_date) beginnen",
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
                "der Faktor liegt zwischen 0 und 1",
            ));
        }
        if parent.tax.factor.is_some_and(|f| f != Decimal::ONE) && parent.tax.class != TaxClass::IV
        {
            out.push(problem(
                at("tax.factor"),
                "factor_needs_class_iv",
                "the Faktorverfahren exists only in class IV",
                "das Faktorverfahren gibt es nur in Steuerklasse IV",
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
                "Kinderfreibeträge in Schritten von 0,5 ab 0",
            ));
        }
        for (j, a) in parent.activities_before_birth.iter().enumerate() {
            if a.months_active.len() != 12 {
                out.push(problem(
                    at(&format!("activities_before_birth[{j}].months_active")),
                    "twelve_months",
                    "give exactly 12 flags, the months of the Bemessungszeitraum, oldest first",
                    "genau 12 Angaben, die Monate des Bemessungszeitraums, der älteste zuerst",
                ));
            }
            amount_beyond_limit(
                &mut out,
                || at(&format!("activities_before_birth[{j}].monthly_income")),
                a.monthly_income,
            );
            if a.monthly_income < Decimal::ZERO && a.kind != super::ActivityKind::SelfEmployed {
                out.push(problem(
                    at(&format!("activities_before_birth[{j}].monthly_income")),
                    "negative",
                    "a wage cannot be negative",
                    "ein Lohn ist nicht negativ",
                ));
            }
        }
        for (j, e) in parent.bmz_events.iter().flatten().enumerate() {
            if e.from > e.to {
                out.push(problem(
                    at(&format!("bmz_events[{j}].to")),
                    "ends_before_start",
                    "an event ends on or after the day it starts",
                    "ein Ereignis endet am Tag seines Beginns oder danach",
                ));
            }
        }
        if parent
            .bmz_waiver
            .contains(&super::BmzEventKind::CovidIncomeLoss)
        {
            out.push(problem(
                at("bmz_waiver"),
                "not_waivable",
                "COVID-19 months are skipped only on application (bmz_covid_application); the waiver covers the other kinds",
                "COVID-19-Monate bleiben nur auf Antrag unberücksichtigt (bmz_covid_application); der Verzicht gilt für die anderen Arten",
            ));
        }
        if let Some(incomes) = &parent.gross_income_after_birth {
            for (j, m) in incomes.iter().enumerate() {
                amount_beyond_limit(
                    &mut out,
                    || at(&format!("gross_income_after_birth[{j}]")),
                    m.0,
                );
                if m.0 < Decimal::ZERO {
                    out.push(problem(
                        at(&format!("gross_income_after_birth[{j}]")),
                        "negative",
                        "income cannot be negative",
                        "ein Einkommen ist nicht negativ",
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
                        "die Wochenstunden liegen zwischen 0 und 168",
                    ));
                }
            }
        }
        if parent.plan.len() > 64 {
            out.push(problem(
                at("plan"),
                "too_long",
                "a plan covers at most the Lebensmonate 1 to 64",
                "ein Plan umfasst höchstens die Lebensmonate 1 bis 64",
            ));
        }
        if let Some(m) = &parent.maternity_benefit {
            amount_beyond_limit(
                &mut out,
                || at("maternity_benefit.daily_amount"),
                m.daily_amount,
            );
            amount_beyond_limit(
                &mut out,
                || at("maternity_benefit.employer_top_up_daily"),
                m.employer_top_up_daily,
            );
        }
        if let Some(p) = &parent.small_profit_application {
            amount_beyond_limit(
                &mut out,
                || at("small_profit_application.profit_last_tax_year"),
                p.profit_last_tax_year,
            );
            amount_beyond_limit(
                &mut out,
                || at("small_profit_application.profit_birth_year_to_date"),
                p.profit_birth_year_to_date,
            );
        }
        if parent.maternity_benefit.as_ref().is_some_and(|m| {
            m.daily_amount < Decimal::ZERO || m.employer_top_up_daily < Decimal::ZERO
        }) {
            out.push(problem(
                at("maternity_benefit"),
                "negative",
                "daily amounts cannot be negative",
                "Tagesbeträge sind nicht negativ",
            ));
        }
    }
    for (i, s) in case.siblings.iter().enumerate() {
        if s.birth_date > case.child.birth_date {
            out.push(problem(
                format!("siblings[{i}].birth_date"),
                "sibling_younger",
                "a sibling is born after the child; list only older children as siblings",
                "ein Geschwisterkind ist nach dem Kind geboren; als Geschwister nur ältere Kinder angeben",
            ));
        }
        if s.weekly_work_hours < Decimal::ZERO {
            out.push(problem(
                format!("siblings[{i}].weekly_work_hours"),
                "negative",
                "hours cannot be negative",
                "Stunden sind nicht negativ",
            ));
        }
    }
    if let Some(kg) = &case.kindergeld
        && !case.parents.iter().any(|p| p.id == kg.claimant)
    {
        out.push(problem(
            "kindergeld.claimant",
            "unknown_parent",
            "not the id of a parent of this case",
            "keine id eines Elternteils dieses Falls",
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
                "not the id of a parent of this case",
                "keine id eines Elternteils dieses Falls",
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
                "zwei Einträge für denselben Elternteil",
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
            format!(
                "ein Eintrag je Neugeborenem: child.count ist {}, application.children hat {}",
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
                "zwei Einwilligungen haben dieselbe id",
            ));
        }
        if c.revoked_at.is_some() && !c.kind.revocable() {
            out.push(problem(
                format!("application.consents[{i}].revoked_at"),
                "not_revocable",
                "a declaration of fact cannot be revoked; correct the data instead",
                "eine Erklärung über Tatsachen kann nicht widerrufen werden; bitte die Angaben berichtigen",
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
                "zwei Dokumente haben dieselbe id",
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
                    "not the id of a consent of this case",
                    "keine id einer Einwilligung dieses Falls",
                ));
            }
            super::application::Source::Document { document }
                if !document_ids.contains(document.as_str()) =>
            {
                out.push(problem(
                    at,
                    "unknown_document",
                    "not the id of a document of this case",
                    "keine id eines Dokuments dieses Falls",
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

    /// A sibling born after the child is refused, and the message says "after" (it said
    /// "before" until 2026-12).
    #[test]
    fn a_sibling_born_after_the_child_is_named_so() {
        let json = MINIMAL.replace(
            r#""household""#,
            r#""siblings":[{"birth_date":"2026-02-01"}],"household""#,
        );
        let err = parse_case(&json).unwrap_err();
        let p = err
            .iter()
            .find(|p| p.code == "sibling_younger")
            .expect("the younger sibling is a problem");
        assert_eq!(p.path, "siblings[0].birth_date");
        assert!(p.message.contains("after the child"), "{}", p.message);
        assert!(p.message_de.contains("nach dem Kind"), "{}", p.message_de);
    }

    /// Every amount of a case is bounded, so that the rules' exact arithmetic cannot
    /// overflow (a panic the fuzzer found): at the limit it is read, beyond it, of either sign,
    /// it is `out_of_range` at its own path.
    #[test]
    fn amounts_beyond_the_limit_are_out_of_range() {
        let case = |amount: &str| {
            MINIMAL
                .replace(
                    r#""postal_code":"28195""#,
                    &format!(r#""postal_code":"28195","taxable_income_year_before_birth":"{amount}""#),
                )
                .replace(
                    r#""tax":{"class":"I"}"#,
                    &format!(
                        r#""tax":{{"class":"I"}},
                        "activities_before_birth":[{{"kind":"self_employed","monthly_income":"-{amount}",
                          "months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}}],
                        "small_profit_application":{{"profit_last_tax_year":"{amount}","profit_birth_year_to_date":"-{amount}"}},
                        "maternity_benefit":{{"until":"2026-03-02","daily_amount":"{amount}","employer_top_up_daily":"{amount}"}},
                        "gross_income_after_birth":["0","{amount}"]"#
                    ),
                )
        };
        assert!(parse_case(&case("1000000000.00")).is_ok());
        let paths: Vec<_> = parse_case(&case("1000000000.01"))
            .unwrap_err()
            .into_iter()
            .inspect(|p| assert_eq!(p.code, "out_of_range", "{p:?}"))
            .map(|p| p.path)
            .collect();
        assert_eq!(
            paths,
            [
                "household.taxable_income_year_before_birth",
                "parents[0].activities_before_birth[0].monthly_income",
                "parents[0].gross_income_after_birth[1]",
                "parents[0].maternity_benefit.daily_amount",
                "parents[0].maternity_benefit.employer_top_up_daily",
                "parents[0].small_profit_application.profit_last_tax_year",
                "parents[0].small_profit_application.profit_birth_year_to_date",
            ]
        );
    }

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
        assert_eq!(err[0].code, "unknown_field");
        assert!(
            err[0].message.contains("did you mean `postal_code`"),
            "{}",
            err[0].message
        );
        assert!(err[0].message_de.contains("`postal_code`"));
        assert!(err[0].line.is_some() && err[0].column.is_some());
    }

    #[test]
    fn text_after_the_case_is_invalid_json() {
        let err = parse_case(&format!("{MINIMAL} x")).unwrap_err();
        assert_eq!(
            (err[0].code.as_str(), err[0].path.as_str()),
            ("invalid_json", "")
        );
        assert!(
            err[0].message.contains("text follows"),
            "{}",
            err[0].message
        );
        assert_eq!(err[0].line, Some(4));
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

    /// Issue 22: a byte-order mark is accepted; a missing `schema` or `child` is reported at
    /// its own path; comments are named.
    #[test]
    fn bom_missing_fields_and_comments() {
        assert!(parse_case(&format!("\u{feff}{MINIMAL}")).is_ok());
        let no_schema = MINIMAL.replace(r#""schema":"elternkit.case/1","#, "");
        let err = parse_case(&no_schema).unwrap_err();
        assert_eq!(
            (err[0].path.as_str(), err[0].code.as_str()),
            ("schema", "missing_field")
        );
        let no_child = MINIMAL.replace(r#""child":{"birth_date":"2026-01-05"},"#, "");
        assert_eq!(parse_case(&no_child).unwrap_err()[0].path, "child");
        let no_class = MINIMAL.replace(r#""tax":{"class":"I"}"#, r#""tax":{}"#);
        assert_eq!(
            parse_case(&no_class).unwrap_err()[0].path,
            "parents[0].tax.class"
        );
        let commented = MINIMAL.replace(
            r#""evaluation_date":"2026-03-10","#,
            "\"evaluation_date\":\"2026-03-10\", // today\n",
        );
        let err = parse_case(&commented).unwrap_err();
        assert!(err[0].message.contains("no comments"), "{err:?}");
        assert_eq!((err[0].line, err[0].column.is_some()), (Some(1), true));
    }

    /// Issue 22: no error of the parser or of the checks contains a value of the input. A
    /// Steuer-ID and a name are put, as a number, a string and a list, in every value
    /// position of a full case (and as a key), and every message is searched for them.
    #[test]
    fn no_error_message_contains_an_input_value() {
        const MARKERS: [&str; 2] = ["10762903845", "Marta"];
        let full: serde_json::Value = serde_json::from_str(
            &MINIMAL
                .replace(
                    r#""tax":{"class":"I"}"#,
                    r#""tax":{"class":"IV","factor":"0.9","child_allowances":"1.0"},
                    "residence_title":"x","in_germany_since":"2020-01-01",
                    "plan":["basis","basis"],
                    "activities_before_birth":[{"kind":"employed","monthly_income":"3000",
                      "months_active":[true,true,true,true,true,true,true,true,true,true,true,true]}]"#,
                )
                .replace(
                    r#""parents""#,
                    r#""id":"x","siblings":[{"birth_date":"2024-01-01"}],"kindergeld":{"claimant":"p1"},"parents""#,
                ),
        )
        .unwrap();
        // Every path to a scalar or container of the case.
        fn paths(
            v: &serde_json::Value,
            at: Vec<serde_json::Value>,
            out: &mut Vec<Vec<serde_json::Value>>,
        ) {
            out.push(at.clone());
            match v {
                serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| {
                    let mut p = at.clone();
                    p.push(k.as_str().into());
                    paths(v, p, out);
                }),
                serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| {
                    let mut p = at.clone();
                    p.push(i.into());
                    paths(v, p, out);
                }),
                _ => {}
            }
        }
        let mut all = Vec::new();
        paths(&full, Vec::new(), &mut all);
        let replacements = [
            serde_json::json!(10762903845u64),
            serde_json::json!(10762903845.5),
            serde_json::json!("10762903845"),
            serde_json::json!("Marta"),
            serde_json::json!(["Marta", 10762903845u64]),
            serde_json::json!({"Marta": "10762903845"}),
        ];
        let mut cases = Vec::new();
        for path in all.iter().filter(|p| !p.is_empty()) {
            for r in &replacements {
                let mut case = full.clone();
                let mut at = &mut case;
                for seg in path {
                    at = match seg {
                        serde_json::Value::String(k) => &mut at[k.as_str()],
                        _ => &mut at[seg.as_u64().unwrap() as usize],
                    };
                }
                *at = r.clone();
                cases.push(case.to_string());
            }
        }
        // An unknown key that is a value, and values in broken JSON.
        cases.push(MINIMAL.replace(r#""postal_code""#, r#""Marta":"x","postal_code""#));
        cases.push(MINIMAL.replace(r#""postal_code""#, r#""10762903845":1,"postal_code""#));
        cases.push(MINIMAL.replace(r#""28195""#, "10762903845,,"));
        cases.push(MINIMAL.replace(r#""28195""#, "Marta"));
        cases.push(MINIMAL.replace(r#""28195""#, r#""Marta"#));
        assert!(cases.len() > 200, "{}", cases.len());
        let mut errors = 0;
        for case in &cases {
            let Err(problems) = parse_case(case) else {
                continue;
            };
            for p in problems {
                errors += 1;
                assert!(!p.message.is_empty() && !p.message_de.is_empty(), "{p:?}");
                let text = format!("{} {} {} {}", p.path, p.code, p.message, p.message_de);
                for m in MARKERS {
                    assert!(!text.contains(m), "{m} in {p:?}\nfrom {case}");
                }
            }
        }
        assert!(errors > 200, "{errors}");
    }
}
