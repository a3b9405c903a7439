//! The result line's JSON, written straight from the result's types: byte for byte what
//! `serde_json::to_writer` writes for the same `CaseResult` (with `"line"` as the first key),
//! without serde's machinery. A result line is about 6 KB (13 KB with explanations) of mostly
//! escape-free text and some hundred field names and amounts. Here every field name is part
//! of a literal written in one piece, an amount's digits go straight into the buffer, a
//! message is rendered straight into it, and a string is checked for escapes eight bytes at
//! a time and copied whole. The tests compare both writers on every public case, on generated
//! cases, on a result with every optional field, and on strings made of every character that
//! needs an escape.
//!
//! Each type is taken apart field by field without `..`, so a field added to a result type
//! does not compile here until it is written (and the comparison tests show how).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use elternkit_model::{
    Args, CaseResult, Cents, ElterngeldMonth, ElterngeldParent, ElterngeldResult, IncomeAfterBirth,
    IncomeFigures, InputError, KindergeldChild, KindergeldResult, Lang, Localized, OneOffBonus,
    PlanMonth, PlanProblem, Reason, Step, Thousandths, Value, YearMonth,
};
use rust_decimal::Decimal;

/// Appends `result` as one JSON object with `"line":line` as its first key. Fails only if a
/// value's own formatter fails (none does; the caller still writes an error line then).
pub fn write_result(out: &mut Vec<u8>, line: usize, result: &CaseResult) -> fmt::Result {
    let CaseResult {
        schema,
        id,
        elterngeld,
        kindergeld,
        errors,
    } = result;
    out.extend_from_slice(b"{\"line\":");
    int(out, line);
    out.extend_from_slice(b",\"schema\":");
    string(out, schema);
    if let Some(id) = id {
        out.extend_from_slice(b",\"id\":");
        string(out, id);
    }
    if let Some(e) = elterngeld {
        out.extend_from_slice(b",\"elterngeld\":");
        elterngeld_result(out, e)?;
    }
    if let Some(k) = kindergeld {
        out.extend_from_slice(b",\"kindergeld\":");
        kindergeld_result(out, k)?;
    }
    out.extend_from_slice(b",\"errors\":");
    list(out, errors, |out, e| {
        input_error(out, e);
        Ok(())
    })?;
    out.push(b'}');
    Ok(())
}

fn elterngeld_result(out: &mut Vec<u8>, e: &ElterngeldResult) -> fmt::Result {
    let ElterngeldResult {
        parents,
        plan_problems,
        payable,
        explanation,
    } = e;
    out.extend_from_slice(b"{\"parents\":");
    list(out, parents, elterngeld_parent)?;
    out.extend_from_slice(b",\"plan_problems\":");
    list(out, plan_problems, |out, p| {
        plan_problem(out, p);
        Ok(())
    })?;
    out.extend_from_slice(b",\"payable\":");
    boolean(out, *payable);
    out.extend_from_slice(b",\"explanation\":");
    list(out, explanation, step)?;
    out.push(b'}');
    Ok(())
}

fn elterngeld_parent(out: &mut Vec<u8>, p: &ElterngeldParent) -> fmt::Result {
    let ElterngeldParent {
        id,
        eligible,
        reasons,
        income_before_birth,
        income_after_birth,
        replacement_rate,
        basis_without_income,
        plus_without_income,
        months,
        total,
    } = p;
    out.extend_from_slice(b"{\"id\":");
    string(out, id);
    out.extend_from_slice(b",\"eligible\":");
    boolean(out, *eligible);
    out.extend_from_slice(b",\"reasons\":");
    list(out, reasons, reason)?;
    out.extend_from_slice(b",\"income_before_birth\":");
    income_figures(out, income_before_birth)?;
    out.extend_from_slice(b",\"income_after_birth\":");
    let IncomeAfterBirth { basis, plus } = income_after_birth;
    out.extend_from_slice(b"{\"basis\":");
    income_figures(out, basis)?;
    out.extend_from_slice(b",\"plus\":");
    income_figures(out, plus)?;
    out.extend_from_slice(b"},\"replacement_rate\":");
    rate(out, *replacement_rate)?;
    out.extend_from_slice(b",\"basis_without_income\":");
    money(out, *basis_without_income)?;
    out.extend_from_slice(b",\"plus_without_income\":");
    money(out, *plus_without_income)?;
    out.extend_from_slice(b",\"months\":");
    list(out, months, elterngeld_month)?;
    out.extend_from_slice(b",\"total\":");
    money(out, *total)?;
    out.push(b'}');
    Ok(())
}

fn income_figures(out: &mut Vec<u8>, f: &IncomeFigures) -> fmt::Result {
    let IncomeFigures {
        gross,
        taxes,
        social_contributions,
        net,
    } = f;
    out.extend_from_slice(b"{\"gross\":");
    money(out, *gross)?;
    out.extend_from_slice(b",\"taxes\":");
    money(out, *taxes)?;
    out.extend_from_slice(b",\"social_contributions\":");
    money(out, *social_contributions)?;
    out.extend_from_slice(b",\"net\":");
    money(out, *net)?;
    out.push(b'}');
    Ok(())
}

fn elterngeld_month(out: &mut Vec<u8>, m: &ElterngeldMonth) -> fmt::Result {
    let ElterngeldMonth {
        lebensmonat,
        kind,
        amount,
        offset_maternity,
        income_after_birth_net,
    } = m;
    out.extend_from_slice(b"{\"lebensmonat\":");
    int(out, *lebensmonat);
    out.extend_from_slice(match kind {
        PlanMonth::Basis => b",\"kind\":\"basis\",\"amount\":",
        PlanMonth::Plus => b",\"kind\":\"plus\",\"amount\":",
        PlanMonth::Bonus => b",\"kind\":\"bonus\",\"amount\":",
        PlanMonth::None => b",\"kind\":\"none\",\"amount\":",
    });
    money(out, *amount)?;
    out.extend_from_slice(b",\"offset_maternity\":");
    money(out, *offset_maternity)?;
    out.extend_from_slice(b",\"income_after_birth_net\":");
    money(out, *income_after_birth_net)?;
    out.push(b'}');
    Ok(())
}

fn plan_problem(out: &mut Vec<u8>, p: &PlanProblem) {
    let PlanProblem {
        code,
        citation,
        lebensmonate,
        message_de,
        message_en,
    } = p;
    out.extend_from_slice(b"{\"code\":");
    string(out, code);
    out.extend_from_slice(b",\"citation\":");
    string(out, citation);
    out.extend_from_slice(b",\"lebensmonate\":[");
    for (i, lm) in lebensmonate.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        int(out, *lm);
    }
    out.extend_from_slice(b"],\"message_de\":");
    string(out, message_de);
    out.extend_from_slice(b",\"message_en\":");
    string(out, message_en);
    out.push(b'}');
}

fn kindergeld_result(out: &mut Vec<u8>, k: &KindergeldResult) -> fmt::Result {
    let KindergeldResult {
        children,
        hints,
        explanation,
    } = k;
    out.extend_from_slice(b"{\"children\":");
    list(out, children, kindergeld_child)?;
    out.extend_from_slice(b",\"hints\":");
    list(out, hints, reason)?;
    out.extend_from_slice(b",\"explanation\":");
    list(out, explanation, step)?;
    out.push(b'}');
    Ok(())
}

fn kindergeld_child(out: &mut Vec<u8>, c: &KindergeldChild) -> fmt::Result {
    let KindergeldChild {
        birth_date,
        eligible,
        monthly_amount,
        paid_from,
        paid_until,
        retroactive_from,
        payable_from,
        months_lost,
        reasons,
        one_off_bonus,
    } = c;
    out.extend_from_slice(b"{\"birth_date\":");
    rendered(out, |w| write!(w, "{birth_date}"))?;
    out.extend_from_slice(b",\"eligible\":");
    boolean(out, *eligible);
    out.extend_from_slice(b",\"monthly_amount\":");
    money(out, *monthly_amount)?;
    for (key, month) in [
        (&b",\"paid_from\":"[..], paid_from),
        (b",\"paid_until\":", paid_until),
        (b",\"retroactive_from\":", retroactive_from),
        (b",\"payable_from\":", payable_from),
    ] {
        if let Some(month) = month {
            out.extend_from_slice(key);
            year_month(out, *month)?;
        }
    }
    out.extend_from_slice(b",\"months_lost\":");
    int(out, *months_lost);
    out.extend_from_slice(b",\"reasons\":");
    list(out, reasons, reason)?;
    if let Some(OneOffBonus { year, amount }) = one_off_bonus {
        out.extend_from_slice(b",\"one_off_bonus\":{\"year\":");
        int(out, *year);
        out.extend_from_slice(b",\"amount\":");
        money(out, *amount)?;
        out.push(b'}');
    }
    out.push(b'}');
    Ok(())
}

fn input_error(out: &mut Vec<u8>, e: &InputError) {
    let InputError {
        path,
        code,
        message,
        message_de,
        line,
        column,
    } = e;
    out.extend_from_slice(b"{\"path\":");
    string(out, path);
    out.extend_from_slice(b",\"code\":");
    string(out, code);
    out.extend_from_slice(b",\"message\":");
    string(out, message);
    out.extend_from_slice(b",\"message_de\":");
    string(out, message_de);
    if let Some(line) = line {
        out.extend_from_slice(b",\"line\":");
        int(out, *line);
    }
    if let Some(column) = column {
        out.extend_from_slice(b",\"column\":");
        int(out, *column);
    }
    out.push(b'}');
}

fn reason(out: &mut Vec<u8>, r: &Reason) -> fmt::Result {
    let Reason {
        code,
        citation,
        message,
    } = r;
    out.extend_from_slice(b"{\"code\":");
    string(out, code);
    out.extend_from_slice(b",\"citation\":");
    string(out, citation);
    out.extend_from_slice(b",\"message_de\":");
    localized(out, message, Lang::De)?;
    out.extend_from_slice(b",\"message_en\":");
    localized(out, message, Lang::En)?;
    out.push(b'}');
    Ok(())
}

fn step(out: &mut Vec<u8>, s: &Step) -> fmt::Result {
    let Step {
        rule,
        citation,
        inputs: _,
        output,
        text,
    } = s;
    out.extend_from_slice(b"{\"rule\":");
    string(out, rule);
    out.extend_from_slice(b",\"citation\":");
    string(out, citation);
    out.extend_from_slice(b",\"inputs\":{");
    // `Step::inputs` gives the named inputs with their values whichever way they are kept.
    for (i, (name, value)) in s.inputs().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, name);
        out.push(b':');
        shown(out, value)?;
    }
    out.extend_from_slice(b"},\"output\":");
    shown(out, output)?;
    out.extend_from_slice(b",\"text_de\":");
    localized(out, text, Lang::De)?;
    out.extend_from_slice(b",\"text_en\":");
    localized(out, text, Lang::En)?;
    out.push(b'}');
    Ok(())
}

/// A value as the result's JSON shows it: texts as they are, amounts with two decimals,
/// anything else as its German display (the model's `Shown`).
fn shown(out: &mut Vec<u8>, value: &Value) -> fmt::Result {
    match value {
        Value::Text(t) => string(out, t),
        Value::Short(t) => string(out, t),
        Value::Money(d) => money(out, *d)?,
        v => rendered(out, |w| v.write(Lang::De, w))?,
    }
    Ok(())
}

/// A message in `lang`, rendered straight into the output.
fn localized(out: &mut Vec<u8>, text: &Localized, lang: Lang) -> fmt::Result {
    match text {
        Localized::Fixed { de, en } => {
            string(out, if lang == Lang::De { de } else { en });
            Ok(())
        }
        Localized::Template(template, args) => {
            let template = template.get(lang);
            SPLIT_TEMPLATES.with(|cell| match cell.try_borrow_mut() {
                Ok(mut split) => {
                    let parts = split
                        .entry((template.as_ptr() as usize, template.len()))
                        .or_insert_with(|| split_template(template));
                    filled(out, template, parts, args, lang)
                }
                // Only if rendering a value rendered a template of this thread again.
                Err(_) => rendered(out, |w| text.write(lang, w)),
            })
        }
    }
}

/// A piece of a catalogue template: text between placeholders, or a placeholder.
#[derive(Debug, PartialEq)]
enum Part {
    /// `template[range]` as it stands; `plain` when it needs no escape.
    Text { range: Range<usize>, plain: bool },
    /// `{name}`: the argument `template[name]`, or `template[whole]` as it stands when the
    /// message has no such argument.
    Argument {
        name: Range<usize>,
        whole: Range<usize>,
    },
}

thread_local! {
    /// Templates split at their placeholders, by the address and length of their text: a
    /// template is a `&'static str`, so one address and length always hold the same text.
    /// Bounded by the templates in the binary.
    static SPLIT_TEMPLATES: RefCell<HashMap<(usize, usize), Vec<Part>, AddressHash>> =
        RefCell::new(HashMap::default());
}

/// Splits `template` as `Localized::write` reads it: `{name}` up to the next `}` is a
/// placeholder; a `{` without a `}` after it is text.
fn split_template(template: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let text = |parts: &mut Vec<Part>, range: Range<usize>| {
        if !range.is_empty() {
            let plain = !any_needs_escape(&template.as_bytes()[range.clone()]);
            parts.push(Part::Text { range, plain });
        }
    };
    let mut at = 0;
    while let Some(open) = template[at..].find('{').map(|i| at + i) {
        let Some(close) = template[open + 1..].find('}').map(|i| open + 1 + i) else {
            break;
        };
        text(&mut parts, at..open);
        parts.push(Part::Argument {
            name: open + 1..close,
            whole: open..close + 1,
        });
        at = close + 1;
    }
    text(&mut parts, at..template.len());
    parts
}

/// The template's parts with the arguments filled in, as one JSON string: text found plain
/// is copied as it is, and only what an argument wrote is checked for escapes.
fn filled(
    out: &mut Vec<u8>,
    template: &str,
    parts: &[Part],
    args: &Args,
    lang: Lang,
) -> fmt::Result {
    let quote = out.len();
    out.push(b'"');
    for part in parts {
        match part {
            Part::Text { range, plain: true } => {
                out.extend_from_slice(&template.as_bytes()[range.clone()]);
            }
            Part::Text { range, .. } => escaped(out, &template.as_bytes()[range.clone()]),
            Part::Argument { name, whole } => {
                let name = &template[name.clone()];
                let Some((_, value)) = args.iter().find(|(n, _)| *n == name) else {
                    escaped(out, &template.as_bytes()[whole.clone()]);
                    continue;
                };
                let start = out.len();
                if let Err(e) = value.write(lang, &mut Bytes(out)) {
                    out.truncate(quote);
                    return Err(e);
                }
                if any_needs_escape(&out[start..]) {
                    let raw = out.split_off(start);
                    escaped(out, &raw);
                }
            }
        }
    }
    out.push(b'"');
    Ok(())
}

/// Hashes an address (a template's key): Fibonacci hashing of the address and length, enough
/// for keys that are distinct addresses in one binary.
#[derive(Default, Clone, Copy)]
struct AddressHash;

impl BuildHasher for AddressHash {
    type Hasher = AddressHasher;
    fn build_hasher(&self) -> AddressHasher {
        AddressHasher(0)
    }
}

struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        const FIB: u64 = 0x9E37_79B9_7F4A_7C15;
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(FIB);
    }
}

/// An amount with two decimals, as a JSON string (the model's `money2`).
fn money(out: &mut Vec<u8>, value: Decimal) -> fmt::Result {
    // Most amounts of a result are months without income or offset: "0.00" whatever the
    // sign or a scale up to two (above two `{:.2}` decides).
    if value.is_zero() && value.scale() <= 2 {
        out.extend_from_slice(b"\"0.00\"");
        return Ok(());
    }
    let mut buf = [0u8; 48];
    match Cents(value).digit_bytes(&mut buf) {
        Some(digits) => {
            // Digits, '.' and '-' only: nothing to escape.
            out.push(b'"');
            out.extend_from_slice(digits);
            out.push(b'"');
            Ok(())
        }
        None => rendered(out, |w| write!(w, "{value:.2}")),
    }
}

/// A rate with three decimals, as a JSON string (the model's `rate3`).
fn rate(out: &mut Vec<u8>, value: Decimal) -> fmt::Result {
    let mut buf = [0u8; 48];
    match Thousandths(value).digit_bytes(&mut buf) {
        Some(digits) => {
            // Digits, '.' and '-' only: nothing to escape.
            out.push(b'"');
            out.extend_from_slice(digits);
            out.push(b'"');
            Ok(())
        }
        None => rendered(out, |w| write!(w, "{value:.3}")),
    }
}

fn year_month(out: &mut Vec<u8>, month: YearMonth) -> fmt::Result {
    rendered(out, |w| month.write_to(w))
}

fn boolean(out: &mut Vec<u8>, value: bool) {
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

fn int(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// A JSON array of `items`, each written by `each`.
fn list<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut each: impl FnMut(&mut Vec<u8>, &T) -> fmt::Result,
) -> fmt::Result {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item)?;
    }
    out.push(b']');
    Ok(())
}

/// The output buffer as a formatter's target: texts are rendered into it in place.
struct Bytes<'a>(&'a mut Vec<u8>);

impl fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A JSON string of what `write` writes: rendered into the output in place, then checked for
/// escapes a word at a time; only a text that needs one is taken out and escaped. On an
/// error the output is left as it was.
fn rendered(out: &mut Vec<u8>, write: impl FnOnce(&mut Bytes<'_>) -> fmt::Result) -> fmt::Result {
    let quote = out.len();
    out.push(b'"');
    let start = out.len();
    if let Err(e) = write(&mut Bytes(out)) {
        out.truncate(quote);
        return Err(e);
    }
    if any_needs_escape(&out[start..]) {
        let raw = out.split_off(start);
        escaped(out, &raw);
    }
    out.push(b'"');
    Ok(())
}

/// Appends `s` as a JSON string with serde_json's escapes. Nearly every string of a result
/// needs none: it is checked a word at a time and copied in one piece.
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if any_needs_escape(bytes) {
        escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// `bytes` (UTF-8) with every byte that needs it escaped, as serde_json does.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if needs_escape(b) {
            out.extend_from_slice(&bytes[start..i]);
            escape(out, b);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\x08' => out.extend_from_slice(b"\\b"),
        b'\x0c' => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

/// Whether a byte must be escaped inside a JSON string (as serde_json does: control
/// characters, the quote and the backslash; nothing else).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Every byte of a word set to `b`.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Whether any of the eight bytes of `w` needs an escape. The classic bit tricks: `(x - 1…1) &
/// !x & 80…80` is non-zero exactly when some byte of `x` is zero, and `(x - n…n) & !x & 80…80`
/// exactly when some byte is below `n` (for `n` ≤ 128); a false alarm in *which* byte is
/// possible, a wrong answer to *whether* is not.
fn word_needs_escape(w: u64) -> bool {
    const HIGH: u64 = splat(0x80);
    let below_space = w.wrapping_sub(splat(0x20)) & !w;
    let q = w ^ splat(b'"');
    let quote = q.wrapping_sub(splat(1)) & !q;
    let bs = w ^ splat(b'\\');
    let backslash = bs.wrapping_sub(splat(1)) & !bs;
    (below_space | quote | backslash) & HIGH != 0
}

/// Whether any byte of `bytes` needs an escape, eight at a time. A string shorter than a word
/// (most amounts and codes) is checked byte by byte; a longer one ends with its last eight
/// bytes, overlapping the words before, so no padded copy of the tail is made.
fn any_needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| needs_escape(b));
    }
    let mut words = bytes.chunks_exact(8);
    if words.any(chunk_needs_escape) {
        return true;
    }
    !words.remainder().is_empty() && chunk_needs_escape(&bytes[bytes.len() - 8..])
}

/// Whether the eight bytes of `chunk` need an escape. A chunk of another length (never
/// passed) counts as needing one, which only sends the string down the careful path.
fn chunk_needs_escape(chunk: &[u8]) -> bool {
    <[u8; 8]>::try_from(chunk).map_or(true, |w| word_needs_escape(u64::from_le_bytes(w)))
}

/// The public case lines for the tests (shared with the batch's tests and benches).
#[cfg(test)]
#[path = "../tests/generated/mod.rs"]
mod generated;

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::PathBuf;

    use elternkit_model::CaseResult;
    use elternkit_rules::{CalcOptions, calculate_json_with};

    /// Our line and serde_json's for the same result (with `"line"` put first by hand).
    fn both(result: &CaseResult) -> (String, String) {
        let mut fast = Vec::new();
        super::write_result(&mut fast, 7, result).expect("writes");
        let body = serde_json::to_string(result).expect("serde_json writes");
        (
            String::from_utf8(fast).expect("utf-8"),
            format!("{{\"line\":7,{}", &body[1..]),
        )
    }

    /// The word-at-a-time check agrees with the byte test for every byte value at every
    /// position of strings up to three words long, beside clean bytes and beside bytes ≥ 0x80.
    #[test]
    fn the_word_check_finds_every_byte_that_needs_an_escape() {
        for len in 1..24 {
            for at in 0..len {
                for fill in [b'a', 0xc3, 0x7f, b' '] {
                    for b in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        let expected = bytes.iter().any(|b| super::needs_escape(*b));
                        assert_eq!(super::any_needs_escape(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
        assert!(!super::any_needs_escape(b""));
    }

    /// Every character that needs an escape, at every position around the word boundaries,
    /// beside multi-byte characters and DEL (which JSON leaves as it is), written directly and
    /// rendered in place.
    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}', 'ä', '€', '𝄞', '\u{2028}'])
            .collect();
        let mut texts = Vec::new();
        for special in &specials {
            for at in 0..40 {
                texts.push(
                    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
                        .chars()
                        .take(at)
                        .chain(std::iter::once(*special))
                        .chain("tail after it".chars())
                        .collect::<String>(),
                );
            }
        }
        texts.push(specials.iter().collect::<String>().repeat(5));
        for text in &texts {
            let reference = serde_json::to_string(text).expect("serde_json writes");
            let mut direct = b"x".to_vec();
            super::string(&mut direct, text);
            assert_eq!(&direct[1..], reference.as_bytes(), "{text:?}");
            let mut in_place = b"x".to_vec();
            super::rendered(&mut in_place, |w| w.write_str(text)).expect("writes");
            assert_eq!(&in_place[1..], reference.as_bytes(), "{text:?}");
        }
    }

    /// Templates are filled as `Localized::write` fills them, whatever their braces, with
    /// arguments and text that need escapes, nested texts, and each template used twice
    /// (split once, then from the thread's memory).
    #[test]
    fn templates_are_filled_as_the_model_fills_them() {
        use elternkit_model::{Lang, Localized, Template, Value};
        let odd = Value::text("q\"b\\\n\u{1}ä");
        let inner: &'static Template = Box::leak(Box::new(Template {
            de: "innen {a}\"",
            en: "inner {a}",
        }));
        let nested = Value::Localized(Box::new(Localized::new(inner, [("a", odd.clone())])));
        for text in [
            "",
            "plain",
            "{a}",
            "x{a}y{b}z",
            "{",
            "{a",
            "}{a}",
            "{missing}",
            "{{a}}",
            "a\"b{a}\\{a}\n",
            "{a}{a}{n}",
            "tab\t{}{ a}",
            "€ {b} 𝄞 {a",
        ] {
            let template: &'static Template = Box::leak(Box::new(Template { de: text, en: text }));
            let message = Localized::new(
                template,
                [
                    ("a", odd.clone()),
                    ("b", Value::Money("1234.5".parse().expect("a decimal"))),
                    ("n", nested.clone()),
                ],
            );
            for lang in [Lang::De, Lang::En, Lang::De] {
                let mut model = String::new();
                message.write(lang, &mut model).expect("writes");
                let reference = serde_json::to_string(&model).expect("serde_json writes");
                let mut ours = Vec::new();
                super::localized(&mut ours, &message, lang).expect("writes");
                assert_eq!(
                    String::from_utf8(ours).expect("utf-8"),
                    reference,
                    "{text:?}"
                );
            }
        }
    }

    /// A formatter's error leaves the output as it was and reaches the caller.
    #[test]
    fn a_failing_formatter_leaves_the_output_unchanged() {
        let mut out = b"{\"a\":".to_vec();
        let failed = super::rendered(&mut out, |w| {
            w.write_str("half")?;
            Err(std::fmt::Error)
        });
        assert!(failed.is_err());
        assert_eq!(out, b"{\"a\":");
    }

    /// The result lines of every public case, with and without explanations, and of cases
    /// whose texts need escapes, are byte for byte serde_json's.
    #[test]
    fn results_are_written_as_serde_json_does() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/cases/public");
        let mut lines = super::generated::public_lines(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lines.len(), 250);
        // An id and parent ids that need escapes (they appear inside messages too), and a
        // line that is no case at all.
        let demo = include_str!("../../../cli/src/demo_case.json");
        let mut odd: serde_json::Value = serde_json::from_str(demo).expect("demo case");
        odd["id"] = "quote \" backslash \\ tab \t bell \u{7} ümlaut".into();
        odd["parents"][0]["id"] = "p\"1\\\n".into();
        lines.push(odd.to_string());
        lines.push("{\"id\": \"x\\u0001\", \"schema\": 3}".into());
        for explanations in [true, false] {
            for line in &lines {
                let result = calculate_json_with(line, CalcOptions { explanations });
                let (fast, reference) = both(&result);
                assert_eq!(fast, reference, "{line}");
            }
        }
    }

    /// A result with every optional field present and a string needing escapes in every
    /// string field, read back from JSON (so its steps keep their inputs as values).
    #[test]
    fn every_field_is_written_as_serde_json_does() {
        let odd = "a\"b\\c\n\u{1}ä€";
        let reason = serde_json::json!({
            "code": odd, "citation": odd, "message_de": odd, "message_en": odd,
        });
        let step = serde_json::json!({
            "rule": odd, "citation": odd, "inputs": { odd: odd, "b": "1.50" },
            "output": odd, "text_de": odd, "text_en": odd,
        });
        let figures = serde_json::json!({
            "gross": "1.00", "taxes": "-2.50", "social_contributions": "0.00", "net": "1234567.89",
        });
        let text = serde_json::json!({
            "schema": odd,
            "id": odd,
            "elterngeld": {
                "parents": [{
                    "id": odd, "eligible": false, "reasons": [reason, reason],
                    "income_before_birth": figures,
                    "income_after_birth": { "basis": figures, "plus": figures },
                    "replacement_rate": "0.65", "basis_without_income": "300",
                    "plus_without_income": "150.5",
                    "months": [
                        { "lebensmonat": 1, "kind": "basis", "amount": "1.1",
                          "offset_maternity": "0", "income_after_birth_net": "-0.00" },
                        { "lebensmonat": 2, "kind": "plus", "amount": "0.005",
                          "offset_maternity": "0", "income_after_birth_net": "0" },
                        { "lebensmonat": 3, "kind": "bonus", "amount": "1",
                          "offset_maternity": "-0.000", "income_after_birth_net": "0.000" },
                        { "lebensmonat": 4, "kind": "none", "amount": "-0",
                          "offset_maternity": "-0.0", "income_after_birth_net": "0.0" },
                    ],
                    "total": "79228162514264337593543950335",
                }],
                "plan_problems": [{
                    "code": odd, "citation": odd, "lebensmonate": [1, 14, 32],
                    "message_de": odd, "message_en": odd,
                }, {
                    "code": "x", "citation": "y", "lebensmonate": [],
                    "message_de": "", "message_en": "",
                }],
                "payable": false,
                "explanation": [step, step],
            },
            "kindergeld": {
                "children": [{
                    "birth_date": "2024-02-29", "eligible": true, "monthly_amount": "255.00",
                    "paid_from": "2024-02", "paid_until": "2042-01",
                    "retroactive_from": "2024-03", "payable_from": "2024-08",
                    "months_lost": 3, "reasons": [reason],
                    "one_off_bonus": { "year": 2021, "amount": "150" },
                }, {
                    "birth_date": "2021-01-01", "eligible": false, "monthly_amount": "0",
                    "months_lost": 0, "reasons": [],
                }],
                "hints": [reason],
                "explanation": [step],
            },
            "errors": [
                { "path": odd, "code": odd, "message": odd, "message_de": odd,
                  "line": 3, "column": 17 },
                { "path": "", "code": "c", "message": "m", "message_de": "" },
            ],
        });
        let result: CaseResult = serde_json::from_value(text).expect("a result");
        let (fast, reference) = both(&result);
        assert_eq!(fast, reference);
        // And the smallest result: no id, no benefits, no errors.
        let bare: CaseResult =
            serde_json::from_str(r#"{"schema":"elternkit.result/1"}"#).expect("a result");
        let (fast, reference) = both(&bare);
        assert_eq!(fast, reference);
    }
}
