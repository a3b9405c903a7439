//! Texts of explanations and reasons, rendered when they are shown.
//!
//! A rule records *what* it decided — a message of the catalogue (a [`Template`] with a German
//! and an English text) and its typed arguments — and the words are produced only when a
//! person or a serialiser asks for them. A computation therefore costs no string formatting,
//! and a caller that never shows the texts (batch checks) never pays for them. The result's
//! JSON is unchanged: `text_de`/`text_en` and `message_de`/`message_en` are rendered into the
//! output as it is written.

use std::borrow::Cow;
use std::fmt;

use arrayvec::ArrayString;
use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Cents, Thousandths, YearMonth};

/// The arguments of a template.
pub type Args = Vec<(&'static str, Value)>;

/// The longest text kept inline in a [`Value`] (a parent's id, a short name): as long as the
/// value's largest other variant allows.
pub const SHORT_TEXT: usize = 28;

/// Text that is a constant of the rules (borrowed) or was built at run time (owned).
pub type Text = Cow<'static, str>;

/// The language of a rendered text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    De,
    En,
}

/// A message of the catalogue: the same statement in German and English, with `{name}`
/// placeholders for the arguments it is given.
#[derive(Debug, PartialEq, Eq)]
pub struct Template {
    pub de: &'static str,
    pub en: &'static str,
}

impl Template {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.de,
            Lang::En => self.en,
        }
    }
}

/// A typed value of an explanation: an input, an output or a message argument.
#[derive(Debug, Clone)]
pub enum Value {
    /// Euros with two decimals (`1375.23`).
    Money(Decimal),
    /// A rate with three decimals (`0.650`).
    Rate(Decimal),
    /// A number as it is (`32`, `0.5`).
    Number(Decimal),
    Int(i64),
    /// `true` / `false`.
    Bool(bool),
    Date(Date),
    Month(YearMonth),
    /// `first – last`, or `first –` without an end.
    MonthRange(YearMonth, Option<YearMonth>),
    /// Two amounts, `a / b`.
    MoneyPair(Decimal, Decimal),
    Text(Text),
    /// A short text the user entered, kept inline (see [`Value::text`]).
    Short(ArrayString<SHORT_TEXT>),
    /// A phrase of the catalogue, in the language of the text it is shown in (German where
    /// no language applies, e.g. as an input).
    Phrase(&'static Template),
    /// Values joined with `, `.
    List(Vec<Value>),
    /// Named values, `name value` joined with `, `.
    Fields(Vec<(&'static str, Value)>),
    /// A text with its own arguments (a field's label inside a finding), in the language of
    /// the text it is shown in.
    Localized(Box<Localized>),
}

/// How values are written: as the result's JSON keeps them, or for people reading a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Json,
    People,
}

/// A decimal in the number format of `lang` with `places` decimals (rounded half away from
/// zero, as amounts are): `1.234,56` in German, `1,234.56` in English; `−` for a minus.
pub fn format_number(value: Decimal, places: u32, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let rounded =
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", places as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 3);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('−');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

// A short text inline must not make every value larger: values fill the steps of a trace.
const _: () = assert!(std::mem::size_of::<Value>() <= 40);

impl Value {
    /// A text the user entered (an id, a name): inline when it is short, as ids are, so the
    /// steps that name a parent allocate nothing.
    pub fn text(s: &str) -> Value {
        match ArrayString::from(s) {
            Ok(short) => Value::Short(short),
            Err(_) => Value::Text(Cow::Owned(s.to_owned())),
        }
    }

    /// Writes the value as shown in `lang` in the result's JSON: numbers with a `.` and no
    /// grouping in both languages, so the texts stay the contract they were.
    pub fn write(&self, lang: Lang, out: &mut impl fmt::Write) -> fmt::Result {
        self.write_as(lang, Style::Json, out)
    }

    /// Writes the value for people reading `lang`: `1.234,56 €`-style numbers in German,
    /// `1,234.56` in English, `ja`/`yes` for a flag (`elternkit calc --explain`, the demo).
    pub fn write_for_people(&self, lang: Lang, out: &mut impl fmt::Write) -> fmt::Result {
        self.write_as(lang, Style::People, out)
    }

    fn write_as(&self, lang: Lang, style: Style, out: &mut impl fmt::Write) -> fmt::Result {
        let people = style == Style::People;
        match self {
            Value::Money(d) if people => out.write_str(&format_number(*d, 2, lang)),
            Value::Rate(d) if people => out.write_str(&format_number(*d, 3, lang)),
            Value::Number(d) if people => {
                let d = d.normalize();
                out.write_str(&format_number(d, d.scale(), lang))
            }
            // Years are Ints too: only five digits and more are grouped.
            Value::Int(i) if people && i.unsigned_abs() >= 10_000 => {
                out.write_str(&format_number(Decimal::from(*i), 0, lang))
            }
            Value::Bool(b) if people => out.write_str(match (b, lang) {
                (true, Lang::De) => "ja",
                (false, Lang::De) => "nein",
                (true, Lang::En) => "yes",
                (false, Lang::En) => "no",
            }),
            Value::MoneyPair(a, b) if people => {
                out.write_str(&format_number(*a, 2, lang))?;
                out.write_str(" / ")?;
                out.write_str(&format_number(*b, 2, lang))
            }
            Value::Money(d) => Cents(*d).write_to(out),
            Value::Rate(d) => Thousandths(*d).write_to(out),
            Value::Number(d) => write!(out, "{}", d.normalize()),
            Value::Int(i) => write_int(*i, out),
            Value::Bool(b) => out.write_str(if *b { "true" } else { "false" }),
            Value::Date(d) => write_date(*d, out),
            Value::Month(m) => m.write_to(out),
            Value::MonthRange(a, Some(b)) => {
                a.write_to(out)?;
                out.write_str(" – ")?;
                b.write_to(out)
            }
            Value::MonthRange(a, None) => {
                a.write_to(out)?;
                out.write_str(" –")
            }
            Value::MoneyPair(a, b) => {
                Cents(*a).write_to(out)?;
                out.write_str(" / ")?;
                Cents(*b).write_to(out)
            }
            Value::Text(t) => out.write_str(t),
            Value::Short(t) => out.write_str(t),
            Value::Phrase(t) => out.write_str(t.get(lang)),
            Value::Localized(t) => t.write_as(lang, style, out),
            Value::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    v.write_as(lang, style, out)?;
                }
                Ok(())
            }
            Value::Fields(fields) => {
                for (i, (name, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    out.write_str(name)?;
                    out.write_str(" ")?;
                    v.write_as(lang, style, out)?;
                }
                Ok(())
            }
        }
    }

    /// The value as a string, as the result's JSON shows it.
    pub fn render(&self) -> String {
        let mut s = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(Lang::De, &mut s);
        s
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(Lang::De, f)
    }
}

/// Values compare by what they show: a value read back from JSON (text) equals the typed
/// value it was written from.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.render() == other.render()
    }
}

impl Eq for Value {}

/// An integer without the generic formatter (counts, months, ages are written often).
fn write_int(i: i64, out: &mut impl fmt::Write) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = i.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.write_str("-")?;
    }
    // ASCII digits only.
    out.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
}

/// `YYYY-MM-DD` for years 0–9999 without the generic formatter; jiff's own otherwise.
fn write_date(d: Date, out: &mut impl fmt::Write) -> fmt::Result {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return write!(out, "{d}");
    }
    let y = y as u16;
    let bytes = [
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (day / 10) as u8,
        b'0' + (day % 10) as u8,
    ];
    // ASCII digits and '-' only.
    out.write_str(std::str::from_utf8(&bytes).map_err(|_| fmt::Error)?)
}

/// A German and English text: fixed, or a template of the catalogue with its arguments,
/// rendered when it is shown.
#[derive(Debug, Clone)]
pub enum Localized {
    Fixed { de: Text, en: Text },
    Template(&'static Template, Args),
}

impl Localized {
    /// Fixed texts.
    pub fn fixed(de: impl Into<Text>, en: impl Into<Text>) -> Self {
        Localized::Fixed {
            de: de.into(),
            en: en.into(),
        }
    }

    /// A template with its arguments.
    pub fn new<const N: usize>(
        template: &'static Template,
        args: [(&'static str, Value); N],
    ) -> Self {
        Localized::Template(template, Vec::from(args))
    }

    /// The argument `name` of a template.
    pub fn argument(&self, name: &str) -> Option<&Value> {
        match self {
            Localized::Template(_, args) => args.iter().find(|(n, _)| *n == name).map(|(_, v)| v),
            Localized::Fixed { .. } => None,
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> Cow<'_, str> {
        match self {
            Localized::Fixed { de, en } => Cow::Borrowed(match lang {
                Lang::De => de,
                Lang::En => en,
            }),
            Localized::Template(t, args) if args.is_empty() => Cow::Borrowed(t.get(lang)),
            Localized::Template(..) => {
                let mut s = String::new();
                // Writing to a String cannot fail.
                let _ = self.write(lang, &mut s);
                Cow::Owned(s)
            }
        }
    }

    /// The German text.
    pub fn de(&self) -> Cow<'_, str> {
        self.get(Lang::De)
    }

    /// The English text.
    pub fn en(&self) -> Cow<'_, str> {
        self.get(Lang::En)
    }

    /// Writes the text in `lang`. A placeholder without an argument is written as it stands
    /// (`{name}`), so a gap in the catalogue shows instead of vanishing; the catalogue test
    /// renders every message the rules produce and fails on any.
    pub fn write(&self, lang: Lang, out: &mut impl fmt::Write) -> fmt::Result {
        self.write_as(lang, Style::Json, out)
    }

    /// The text in `lang` for people: numbers in the language's format (see
    /// [`Value::write_for_people`]). The result's JSON keeps [`Localized::get`].
    pub fn for_people(&self, lang: Lang) -> String {
        let mut s = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_as(lang, Style::People, &mut s);
        s
    }

    fn write_as(&self, lang: Lang, style: Style, out: &mut impl fmt::Write) -> fmt::Result {
        let (template, args) = match self {
            Localized::Fixed { .. } => return out.write_str(&self.get(lang)),
            Localized::Template(t, args) => (t.get(lang), args),
        };
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.write_str(&rest[..open])?;
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                rest = &rest[open..];
                break;
            };
            let name = &after[..close];
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, v)) => v.write_as(lang, style, out)?,
                None => out.write_str(&rest[open..open + close + 2])?,
            }
            rest = &after[close + 1..];
        }
        out.write_str(rest)
    }

    /// Calls `f` with the text in `lang`, rendered into a buffer reused by the thread: a
    /// serialiser then escapes it in one pass instead of fragment by fragment.
    pub fn with_rendered<R>(&self, lang: Lang, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        match self {
            Localized::Fixed { .. } => return f(&self.get(lang)),
            // Without arguments every placeholder is written as it stands: the text is the
            // template itself, with nothing to render.
            Localized::Template(t, args) if args.is_empty() => return f(t.get(lang)),
            Localized::Template(..) => {}
        }
        BUFFER.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                // Writing to a String cannot fail.
                let _ = self.write(lang, &mut *buf);
                f(&buf)
            }
            // Only if `f` itself renders a text again: use a fresh buffer.
            Err(_) => f(&self.get(lang)),
        })
    }
}

/// Texts compare by what they say in both languages.
impl PartialEq for Localized {
    fn eq(&self, other: &Localized) -> bool {
        self.de() == other.de() && self.en() == other.en()
    }
}

impl Eq for Localized {}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    const GREETING: Template = Template {
        de: "{who} erhält {amount} € ab {month}{missing}",
        en: "{who} receives {amount} € from {month}{missing}",
    };
    /// A template without arguments is shown as it stands, placeholders and a lone brace
    /// included, whether rendered into a buffer or written.
    #[test]
    fn a_template_without_arguments_is_its_own_text() {
        const BARE: Template = Template {
            de: "{who} {x erhält {",
            en: "{who}} receives }{",
        };
        let text = Localized::new(&BARE, []);
        for lang in [Lang::De, Lang::En] {
            let mut written = String::new();
            text.write(lang, &mut written).unwrap();
            assert_eq!(written, BARE.get(lang));
            text.with_rendered(lang, |t| assert_eq!(t, BARE.get(lang)));
        }
    }

    const NONE: Template = Template {
        de: "ohne Grenze",
        en: "without a limit",
    };

    #[test]
    fn templates_render_typed_arguments_per_language() {
        let text = Localized::new(
            &GREETING,
            [
                ("who", Value::text("p1")),
                ("amount", Value::Money(Decimal::from_str("1375.2").unwrap())),
                (
                    "month",
                    Value::Month(YearMonth {
                        year: 2026,
                        month: 3,
                    }),
                ),
            ],
        );
        assert_eq!(text.de(), "p1 erhält 1375.20 € ab 2026-03{missing}");
        assert_eq!(text.en(), "p1 receives 1375.20 € from 2026-03{missing}");
    }

    #[test]
    fn values_show_as_the_result_format_prescribes() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let m = |month| YearMonth { year: 2044, month };
        assert_eq!(Value::Rate(d("0.65")).render(), "0.650");
        assert_eq!(Value::Number(d("20.0")).render(), "20");
        assert_eq!(
            Value::Date(Date::new(2026, 1, 5).unwrap()).render(),
            "2026-01-05"
        );
        assert_eq!(
            Value::Date(Date::new(-5, 1, 5).unwrap()).render(),
            "-000005-01-05"
        );
        assert_eq!(
            Value::MonthRange(m(1), Some(m(12))).render(),
            "2044-01 – 2044-12"
        );
        assert_eq!(Value::MonthRange(m(1), None).render(), "2044-01 –");
        let list = Value::List(vec![Value::Phrase(&NONE), Value::Int(3)]);
        let mut en = String::new();
        list.write(Lang::En, &mut en).unwrap();
        assert_eq!(en, "without a limit, 3");
        assert_eq!(Value::text("0.650"), Value::Rate(d("0.65")));
        for i in [0, 7, -42, i64::MAX, i64::MIN] {
            assert_eq!(Value::Int(i).render(), i.to_string());
        }
        // More than two decimals: the generic formatter, same text as `{:.2}`.
        assert_eq!(
            Value::Money(d("2.345")).render(),
            format!("{:.2}", d("2.345"))
        );
        // The buffered rendering a serialiser uses says the same as `get`.
        let text = Localized::new(&GREETING, [("who", Value::text("p2"))]);
        text.with_rendered(Lang::De, |s| assert_eq!(s, text.de()));
        text.with_rendered(Lang::En, |s| {
            // Nested use of the thread's buffer falls back to a fresh string.
            text.with_rendered(Lang::De, |inner| assert_eq!(inner, text.de()));
            assert_eq!(s, text.en());
        });
    }

    #[test]
    fn unbalanced_braces_are_kept() {
        const ODD: Template = Template {
            de: "a {x} b {",
            en: "}{",
        };
        let t = Localized::new(&ODD, [("x", Value::Int(1))]);
        assert_eq!(t.de(), "a 1 b {");
        assert_eq!(t.en(), "}{");
    }
}
