//! The JSONL path's reader of `elternkit.case/1` (feature `fast-parse`, issue 18): serde_json's
//! generic machinery cost about 36k instructions per generated case, two thirds of them in
//! its string and sequence handling; this reads the shapes a case usually has directly from
//! the text.
//!
//! It never decides whether a case is valid: on anything it does not know — an escape in a
//! string, a repeated or unknown key, the `application` section, `null` outside an `Option`,
//! a value of another form — it gives up (`None`) and `parse_case` reads the text with
//! serde_json as before. Where it answers, it must give what serde_json gives: dates, enums,
//! months and the amounts it does not parse itself are read by their own deserializers on
//! the string, the defaults are the derive's, and the tests compare both readers on the
//! public cases, on edge texts and on mutated cases. A field added to a struct fails to
//! compile here until it is read or given its default; a key this reader does not know sends
//! the case to serde_json.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, Error as ValueError};

use crate::{
    Activity, ActivityKind, BmzEvent, BmzEventKind, Case, Child, CurrentStatus, Household,
    KindergeldClaim, MaternityBenefit, MoneyString, Parent, PlanMonth, Sibling,
    SmallProfitApplication, Tax, TaxClass, YearMonth,
};

/// The case in `json`, or `None` where serde_json has to read it.
pub(crate) fn parse(json: &str) -> Option<Case> {
    let mut r = Reader {
        text: json,
        bytes: json.as_bytes(),
        pos: 0,
    };
    let case = r.case()?;
    r.ws();
    (r.pos == r.bytes.len()).then_some(case)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Stores a field's value; `None` if the key came before (serde refuses that) or the value
/// could not be read.
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// A string value read by serde, as serde_json would hand it over (borrowed, no escapes).
fn via_serde<'a, T: Deserialize<'a>>(text: &'a str) -> Option<T> {
    T::deserialize(BorrowedStrDeserializer::<ValueError>::new(text)).ok()
}

/// The index of the first `"`, and with `escapes` also of the first `\\` or control character
/// (below 0x20), eight bytes at a time: strings are most of a case's text.
#[inline(always)]
fn find_special(rest: &[u8], escapes: bool) -> Option<usize> {
    let mut chunks = rest.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let hits = specials(u64::from_le_bytes(chunk.try_into().ok()?), escapes);
        if hits != 0 {
            return Some(offset + hits.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    let tail = chunks.remainder();
    tail.iter()
        .position(|&b| b == b'"' || (escapes && (b == b'\\' || b < 0x20)))
        .map(|i| offset + i)
}

/// The bytes [`find_special`] looks for in a little-endian word: the lowest set high bit
/// marks the first. Borrows only flag bytes above a true hit, so the lowest one is exact.
#[inline(always)]
fn specials(word: u64, escapes: bool) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let quotes = zero(word ^ (ONES * u64::from(b'"')));
    if !escapes {
        return quotes;
    }
    quotes
        | zero(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGH)
}

/// Most digits [`plain_prefix`] takes: 19 decimal digits always fit a `u64`.
const MAX_DIGITS: usize = 19;

/// A plain amount in quotes at the start of `rest`, and the length read with the quotes: one
/// pass over most amounts. `None`: the general way.
fn quoted_plain(rest: &[u8]) -> Option<(Decimal, usize)> {
    let body = rest.strip_prefix(b"\"")?;
    let (d, len) = plain_prefix(body)?;
    (body.get(len) == Some(&b'"')).then_some((d, len + 2))
}

/// `-?[0-9]+(\.[0-9]+)?` with at most 19 digits at the start of `bytes`, as
/// `Decimal::from_str` reads it (mantissa and scale as written, `-0` as `0`), and its length.
/// `None` if there is none, or if it ends in `.` or has more than 19 digits: rust_decimal's.
fn plain_prefix(bytes: &[u8]) -> Option<(Decimal, usize)> {
    let negative = bytes.first() == Some(&b'-');
    let mut len = usize::from(negative);
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut point = None;
    while let Some(&b) = bytes.get(len) {
        if b.is_ascii_digit() {
            // More than 19 digits may wrap; they are refused below.
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            digits += 1;
        } else if b == b'.' && point.is_none() && digits > 0 {
            point = Some(digits);
        } else {
            break;
        }
        len += 1;
    }
    // "1." and ".5" are left to rust_decimal, as are "" and "-".
    if digits == 0 || digits > MAX_DIGITS || point == Some(digits) {
        return None;
    }
    let scale = digits - point.unwrap_or(digits);
    // The scale is at most 19, within Decimal's 28; the mantissa fits 64 bits.
    Some((
        Decimal::from_parts(
            mantissa as u32,
            (mantissa >> 32) as u32,
            0,
            negative,
            scale as u32,
        ),
        len,
    ))
}

/// A number of ASCII digits.
fn digits<const N: usize>(bytes: [u8; N]) -> Option<u16> {
    bytes.iter().try_fold(0u16, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
    })
}

/// The usual unit variants with the JSON serde gives them (`rename_all = "snake_case"`,
/// quotes included; tested against serde).
const PLAN_MONTHS: &[(&[u8], PlanMonth)] = &[
    (b"\"basis\"", PlanMonth::Basis),
    (b"\"plus\"", PlanMonth::Plus),
    (b"\"bonus\"", PlanMonth::Bonus),
    (b"\"none\"", PlanMonth::None),
];

const ACTIVITY_KINDS: &[(&[u8], ActivityKind)] = &[
    (b"\"employed\"", ActivityKind::Employed),
    (b"\"self_employed\"", ActivityKind::SelfEmployed),
    (b"\"minijob\"", ActivityKind::Minijob),
];

const TAX_CLASSES: &[(&[u8], TaxClass)] = &[
    (b"\"I\"", TaxClass::I),
    (b"\"II\"", TaxClass::II),
    (b"\"III\"", TaxClass::III),
    (b"\"IV\"", TaxClass::IV),
    (b"\"V\"", TaxClass::V),
    (b"\"VI\"", TaxClass::VI),
];

impl<'a> Reader<'a> {
    /// Skips JSON whitespace (serde_json's four). All are below `!`: one comparison for the
    /// usual compact line.
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos)
            && b <= b' '
            && matches!(b, b' ' | b'\n' | b'\t' | b'\r')
        {
            self.pos += 1;
        }
    }

    /// The next non-blank byte, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// A string without escapes or control characters, borrowed from the text.
    fn str(&mut self) -> Option<&'a str> {
        let (start, bytes) = self.raw()?;
        self.text_at(start, bytes)
    }

    /// A string as [`Reader::str`] reads it, as bytes, with where it starts: most values are
    /// parsed from the bytes, and only the rare ones need the text.
    fn raw(&mut self) -> Option<(usize, &'a [u8])> {
        self.ws();
        let start = self.pos + 1;
        Some((start, self.quoted(true)?))
    }

    /// The text of a string [`Reader::raw`] read.
    fn text_at(&self, start: usize, bytes: &[u8]) -> Option<&'a str> {
        // Both ends are at ASCII bytes (the quotes), hence at character boundaries.
        self.text.get(start..start + bytes.len())
    }

    /// A unit enum: the usual names directly (`known`), any other by serde.
    fn variant<T: Deserialize<'a> + Copy>(&mut self, known: &[(&[u8], T)]) -> Option<T> {
        self.ws();
        let rest = self.bytes.get(self.pos..)?;
        if let Some(&(quoted, value)) = known.iter().find(|(q, _)| rest.starts_with(q)) {
            self.pos += quoted.len();
            return Some(value);
        }
        let (start, bytes) = self.raw()?;
        via_serde(self.text_at(start, bytes)?)
    }

    /// A key, as bytes: keys are only compared with ours. Only its closing quote is looked
    /// for: a key equal to one of ours has no escapes or control characters, and any other
    /// sends the case to serde_json. Inlined: a call costs a fifth of reading a key.
    #[inline(always)]
    fn key(&mut self) -> Option<&'a [u8]> {
        self.quoted(false)
    }

    /// The bytes of a string up to its closing quote; with `escapes`, `None` for a string
    /// with escapes or control characters.
    #[inline(always)]
    fn quoted(&mut self, escapes: bool) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = self.bytes.get(self.pos..)?;
        let len = find_special(rest, escapes)?;
        if rest[len] != b'"' {
            return None;
        }
        self.pos += len + 1;
        Some(&rest[..len])
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn bool(&mut self) -> Option<bool> {
        self.ws();
        let rest = self.bytes.get(self.pos..)?;
        let (value, len) = if rest.starts_with(b"true") {
            (true, 4)
        } else if rest.starts_with(b"false") {
            (false, 5)
        } else {
            return None;
        };
        self.pos += len;
        Some(value)
    }

    /// An `Option` field: `null` is `None` (serde's `Option`), anything else `read`.
    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? != b'n' {
            return read(self).map(Some);
        }
        self.bytes.get(self.pos..)?.starts_with(b"null").then(|| {
            self.pos += 4;
            None
        })
    }

    /// A small non-negative integer as JSON writes it (no sign, fraction or exponent).
    fn count(&mut self) -> Option<u32> {
        self.ws();
        let rest = self.bytes.get(self.pos..)?;
        let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let after = rest.get(len).copied();
        if len == 0 || len > 9 || (len > 1 && rest[0] == b'0') {
            return None;
        }
        if matches!(after, Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let value = self.text.get(self.pos..self.pos + len)?.parse().ok()?;
        self.pos += len;
        Some(value)
    }

    /// `YYYY-MM-DD` directly, any other form by jiff's own deserializer.
    fn date(&mut self) -> Option<Date> {
        let (start, bytes) = self.raw()?;
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *bytes {
            let year = digits([y0, y1, y2, y3])?;
            let (month, day) = (digits([m0, m1])?, digits([d0, d1])?);
            // jiff's deserializer reads these as `Date::new` does (tested).
            let (year, month, day) = (
                i16::try_from(year).ok()?,
                i8::try_from(month).ok()?,
                i8::try_from(day).ok()?,
            );
            return Date::new(year, month, day).ok();
        }
        via_serde(self.text_at(start, bytes)?)
    }

    /// A plain amount directly, any other by the `money` deserializer.
    fn money(&mut self) -> Option<Decimal> {
        self.ws();
        if let Some((d, len)) = quoted_plain(self.bytes.get(self.pos..)?) {
            self.pos += len;
            return Some(d);
        }
        let text = self.str()?;
        crate::money::deserialize(BorrowedStrDeserializer::<ValueError>::new(text)).ok()
    }

    /// As [`Reader::money`]; `null` and `""` are `None`, as for `money_opt`.
    fn money_opt(&mut self) -> Option<Option<Decimal>> {
        self.ws();
        if let Some((d, len)) = quoted_plain(self.bytes.get(self.pos..)?) {
            self.pos += len;
            return Some(Some(d));
        }
        let Some((start, bytes)) = self.opt(Self::raw)? else {
            return Some(None);
        };
        let text = self.text_at(start, bytes)?;
        crate::money_opt::deserialize(BorrowedStrDeserializer::<ValueError>::new(text)).ok()
    }

    /// A `Decimal` without `with`: a number or a string, read by serde_json itself on the
    /// value's own text (rare fields; serde_json's arbitrary precision keeps the scale).
    fn decimal(&mut self) -> Option<Decimal> {
        let start = {
            self.ws();
            self.pos
        };
        if self.peek()? == b'"' {
            self.str()?;
        } else {
            while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') =
                self.bytes.get(self.pos)
            {
                self.pos += 1;
            }
        }
        serde_json::from_str(self.text.get(start..self.pos)?).ok()
    }

    /// An object: each key with the reader at its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.key()?;
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array; `capacity` is the usual length (12 months, a plan), so one allocation.
    fn array<T>(
        &mut self,
        capacity: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Vec::new());
        }
        let mut out = Vec::with_capacity(capacity);
        loop {
            out.push(item(self)?);
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    fn case(&mut self) -> Option<Case> {
        let (mut schema, mut id, mut evaluation_date, mut child) = (None, None, None, None);
        let (mut siblings, mut household, mut parents, mut kindergeld) = (None, None, None, None);
        self.object(|r, key| match key {
            b"schema" => put(&mut schema, r.string()),
            b"id" => put(&mut id, r.opt(Self::string)),
            b"evaluation_date" => put(&mut evaluation_date, r.date()),
            b"child" => put(&mut child, r.child()),
            b"siblings" => put(&mut siblings, r.array(4, Self::sibling)),
            b"household" => put(&mut household, r.household()),
            b"parents" => put(&mut parents, r.array(2, Self::parent)),
            b"kindergeld" => put(&mut kindergeld, r.opt(Self::kindergeld)),
            // `application` and unknown keys: serde_json's.
            _ => None,
        })?;
        Some(Case {
            schema: schema?,
            id: id.flatten(),
            evaluation_date: evaluation_date?,
            child: child?,
            siblings: siblings.unwrap_or_default(),
            household: household?,
            parents: parents?,
            kindergeld: kindergeld.flatten(),
            application: None,
        })
    }

    fn child(&mut self) -> Option<Child> {
        let (mut birth_date, mut expected, mut count, mut disability) = (None, None, None, None);
        self.object(|r, key| match key {
            b"birth_date" => put(&mut birth_date, r.date()),
            b"expected_birth_date" => put(&mut expected, r.opt(Self::date)),
            b"count" => put(&mut count, r.count()),
            b"disability" => put(&mut disability, r.bool()),
            _ => None,
        })?;
        Some(Child {
            birth_date: birth_date?,
            expected_birth_date: expected.flatten(),
            count: count.unwrap_or(1),
            disability: disability.unwrap_or_default(),
        })
    }

    fn sibling(&mut self) -> Option<Sibling> {
        let (mut birth_date, mut disability, mut before_25, mut in_education) =
            (None, None, None, None);
        let (mut first_done, mut hours, mut unemployed, mut transition) = (None, None, None, None);
        let (mut volunteer, mut no_place, mut minijob) = (None, None, None);
        self.object(|r, key| match key {
            b"birth_date" => put(&mut birth_date, r.date()),
            b"disability" => put(&mut disability, r.bool()),
            b"disability_arose_before_25" => put(&mut before_25, r.opt(Self::bool)),
            b"in_education" => put(&mut in_education, r.bool()),
            b"first_education_completed" => put(&mut first_done, r.opt(Self::bool)),
            b"weekly_work_hours" => put(&mut hours, r.decimal()),
            b"registered_unemployed" => put(&mut unemployed, r.bool()),
            b"transition_period" => put(&mut transition, r.bool()),
            b"volunteer_service" => put(&mut volunteer, r.bool()),
            b"no_training_place" => put(&mut no_place, r.bool()),
            b"minijob" => put(&mut minijob, r.bool()),
            _ => None,
        })?;
        Some(Sibling {
            birth_date: birth_date?,
            disability: disability.unwrap_or_default(),
            disability_arose_before_25: before_25.flatten(),
            in_education: in_education.unwrap_or_default(),
            first_education_completed: first_done.flatten(),
            weekly_work_hours: hours.unwrap_or_default(),
            registered_unemployed: unemployed.unwrap_or_default(),
            transition_period: transition.unwrap_or_default(),
            volunteer_service: volunteer.unwrap_or_default(),
            no_training_place: no_place.unwrap_or_default(),
            minijob: minijob.unwrap_or_default(),
        })
    }

    fn household(&mut self) -> Option<Household> {
        let (mut postal_code, mut single_parent, mut taxable) = (None, None, None);
        self.object(|r, key| match key {
            b"postal_code" => put(&mut postal_code, r.string()),
            b"single_parent" => put(&mut single_parent, r.bool()),
            b"taxable_income_year_before_birth" => put(&mut taxable, r.money_opt()),
            _ => None,
        })?;
        Some(Household {
            postal_code: postal_code?,
            single_parent: single_parent.unwrap_or_default(),
            taxable_income_year_before_birth: taxable.flatten(),
        })
    }

    fn parent(&mut self) -> Option<Parent> {
        let (mut id, mut citizenship, mut title, mut status) = (None, None, None, None);
        let (mut since, mut lives_in_germany, mut lives_with, mut cares) = (None, None, None, None);
        let (mut tax, mut activities, mut excluded, mut events) = (None, None, None, None);
        let (mut waiver, mut covid, mut small_profit, mut maternity) = (None, None, None, None);
        let (mut plan, mut gross, mut income_kind, mut hours) = (None, None, None, None);
        self.object(|r, key| match key {
            b"id" => put(&mut id, r.string()),
            b"citizenship" => put(&mut citizenship, r.string()),
            b"residence_title" => put(&mut title, r.opt(Self::string)),
            b"current_status" => put(
                &mut status,
                r.opt(|r| r.str().and_then(via_serde::<CurrentStatus>)),
            ),
            b"in_germany_since" => put(&mut since, r.opt(Self::date)),
            b"lives_in_germany" => put(&mut lives_in_germany, r.bool()),
            b"lives_with_child" => put(&mut lives_with, r.bool()),
            b"cares_for_child" => put(&mut cares, r.bool()),
            b"tax" => put(&mut tax, r.tax()),
            b"activities_before_birth" => put(&mut activities, r.array(2, Self::activity)),
            b"excluded_months" => put(
                &mut excluded,
                r.array(4, |r| r.str().and_then(via_serde::<YearMonth>)),
            ),
            b"bmz_events" => put(&mut events, r.opt(|r| r.array(2, Self::bmz_event))),
            b"bmz_waiver" => put(
                &mut waiver,
                r.array(2, |r| r.str().and_then(via_serde::<BmzEventKind>)),
            ),
            b"bmz_covid_application" => put(&mut covid, r.opt(Self::bool)),
            b"small_profit_application" => put(&mut small_profit, r.opt(Self::small_profit)),
            b"maternity_benefit" => put(&mut maternity, r.opt(Self::maternity_benefit)),
            b"plan" => put(&mut plan, r.array(16, |r| r.variant(PLAN_MONTHS))),
            b"gross_income_after_birth" => put(
                &mut gross,
                r.opt(|r| r.array(16, |r| r.money().map(MoneyString))),
            ),
            b"income_after_birth_kind" => {
                put(&mut income_kind, r.opt(|r| r.variant(ACTIVITY_KINDS)))
            }
            b"weekly_hours_after_birth" => put(&mut hours, r.opt(|r| r.array(16, Self::decimal))),
            _ => None,
        })?;
        Some(Parent {
            id: id?,
            citizenship: citizenship?,
            residence_title: title.flatten(),
            current_status: status.flatten(),
            in_germany_since: since.flatten(),
            lives_in_germany: lives_in_germany?,
            lives_with_child: lives_with?,
            cares_for_child: cares?,
            tax: tax?,
            activities_before_birth: activities.unwrap_or_default(),
            excluded_months: excluded.unwrap_or_default(),
            bmz_events: events.flatten(),
            bmz_waiver: waiver.unwrap_or_default(),
            bmz_covid_application: covid.flatten(),
            small_profit_application: small_profit.flatten(),
            maternity_benefit: maternity.flatten(),
            plan: plan.unwrap_or_default(),
            gross_income_after_birth: gross.flatten(),
            income_after_birth_kind: income_kind.flatten(),
            weekly_hours_after_birth: hours.flatten(),
        })
    }

    fn tax(&mut self) -> Option<Tax> {
        let (mut class, mut factor, mut church_tax) = (None, None, None);
        let (mut allowances, mut rate, mut private) = (None, None, None);
        self.object(|r, key| match key {
            b"class" => put(&mut class, r.variant(TAX_CLASSES)),
            b"factor" => put(&mut factor, r.money_opt()),
            b"church_tax" => put(&mut church_tax, r.bool()),
            b"child_allowances" => put(&mut allowances, r.money_opt()),
            b"health_insurance_additional_rate" => put(&mut rate, r.money_opt()),
            b"privately_insured" => put(&mut private, r.bool()),
            _ => None,
        })?;
        Some(Tax {
            class: class?,
            factor: factor.flatten(),
            church_tax: church_tax.unwrap_or_default(),
            child_allowances: allowances.flatten(),
            health_insurance_additional_rate: rate.flatten(),
            privately_insured: private.unwrap_or_default(),
        })
    }

    fn activity(&mut self) -> Option<Activity> {
        let (mut kind, mut income, mut months) = (None, None, None);
        let (mut pension, mut health, mut unemployment) = (None, None, None);
        self.object(|r, key| match key {
            b"kind" => put(&mut kind, r.variant(ACTIVITY_KINDS)),
            b"monthly_income" => put(&mut income, r.money()),
            b"months_active" => put(&mut months, r.array(12, Self::bool)),
            b"pension_insured" => put(&mut pension, r.bool()),
            b"health_insured" => put(&mut health, r.bool()),
            b"unemployment_insured" => put(&mut unemployment, r.bool()),
            _ => None,
        })?;
        Some(Activity {
            kind: kind?,
            monthly_income: income?,
            months_active: months?,
            pension_insured: pension.unwrap_or_default(),
            health_insured: health.unwrap_or_default(),
            unemployment_insured: unemployment.unwrap_or_default(),
        })
    }

    fn bmz_event(&mut self) -> Option<BmzEvent> {
        let (mut kind, mut from, mut to, mut reduced) = (None, None, None, None);
        self.object(|r, key| match key {
            b"kind" => put(&mut kind, r.str().and_then(via_serde::<BmzEventKind>)),
            b"from" => put(&mut from, r.date()),
            b"to" => put(&mut to, r.date()),
            b"income_reduced" => put(&mut reduced, r.bool()),
            _ => None,
        })?;
        Some(BmzEvent {
            kind: kind?,
            from: from?,
            to: to?,
            income_reduced: reduced.unwrap_or_default(),
        })
    }

    fn small_profit(&mut self) -> Option<SmallProfitApplication> {
        let (mut last_year, mut to_date) = (None, None);
        self.object(|r, key| match key {
            b"profit_last_tax_year" => put(&mut last_year, r.money()),
            b"profit_birth_year_to_date" => put(&mut to_date, r.money()),
            _ => None,
        })?;
        Some(SmallProfitApplication {
            profit_last_tax_year: last_year?,
            profit_birth_year_to_date: to_date?,
        })
    }

    fn maternity_benefit(&mut self) -> Option<MaternityBenefit> {
        let (mut until, mut daily, mut top_up) = (None, None, None);
        self.object(|r, key| match key {
            b"until" => put(&mut until, r.date()),
            b"daily_amount" => put(&mut daily, r.money()),
            b"employer_top_up_daily" => put(&mut top_up, r.money()),
            _ => None,
        })?;
        Some(MaternityBenefit {
            until: until?,
            daily_amount: daily?,
            employer_top_up_daily: top_up.unwrap_or_default(),
        })
    }

    fn kindergeld(&mut self) -> Option<KindergeldClaim> {
        let (mut claimant, mut date, mut claimant_id, mut child_id) = (None, None, None, None);
        self.object(|r, key| match key {
            b"claimant" => put(&mut claimant, r.string()),
            b"application_date" => put(&mut date, r.opt(Self::date)),
            b"claimant_has_tax_id" => put(&mut claimant_id, r.bool()),
            b"child_has_tax_id" => put(&mut child_id, r.bool()),
            _ => None,
        })?;
        Some(KindergeldClaim {
            claimant: claimant?,
            application_date: date.flatten(),
            claimant_has_tax_id: claimant_id.unwrap_or(true),
            child_has_tax_id: child_id.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A case with every field the reader knows, most of them set.
    const FULL: &str = r#"{"schema":"elternkit.case/1","id":"full-1","evaluation_date":"2026-03-10",
        "child":{"birth_date":"2026-01-05","expected_birth_date":"2026-02-01","count":2,"disability":true},
        "siblings":[{"birth_date":"2010-04-01","disability":true,"disability_arose_before_25":true,
          "in_education":true,"first_education_completed":false,"weekly_work_hours":12.50,
          "registered_unemployed":false,"transition_period":true,"volunteer_service":false,
          "no_training_place":false,"minijob":true},{"birth_date":"2020-01-01","weekly_work_hours":"7.0"}],
        "household":{"postal_code":"28195","single_parent":false,"taxable_income_year_before_birth":"52000.10"},
        "parents":[{"id":"p1","citizenship":"UA","residence_title":"aufenthaltserlaubnis_24",
          "current_status":"parental_leave","in_germany_since":"2022-05-01","lives_in_germany":true,
          "lives_with_child":true,"cares_for_child":true,
          "tax":{"class":"IV","factor":"0.950","church_tax":true,"child_allowances":"1.0",
            "health_insurance_additional_rate":"0.029","privately_insured":false},
          "activities_before_birth":[{"kind":"employed","monthly_income":"3000.00",
            "months_active":[true,true,true,true,true,true,true,true,true,true,true,false],
            "pension_insured":true,"health_insured":true,"unemployment_insured":true},
            {"kind":"self_employed","monthly_income":"-120.5","months_active":[]}],
          "excluded_months":["2025-06","2025-07"],
          "bmz_events":[{"kind":"mutterschutz","from":"2025-11-24","to":"2026-03-02","income_reduced":true}],
          "bmz_waiver":["pregnancy_illness"],"bmz_covid_application":false,
          "small_profit_application":{"profit_last_tax_year":"1200","profit_birth_year_to_date":"0.00"},
          "maternity_benefit":{"until":"2026-03-02","daily_amount":"13","employer_top_up_daily":"61.12"},
          "plan":["basis","plus","bonus","none"],"gross_income_after_birth":["0","450.00"],
          "income_after_birth_kind":"minijob","weekly_hours_after_birth":[0,"20.5",1e1]},
          {"id":"p2","citizenship":"DE","residence_title":null,"current_status":null,
          "lives_in_germany":true,"lives_with_child":false,"cares_for_child":true,
          "tax":{"class":"I","factor":null,"child_allowances":""},"bmz_events":[]}],
        "kindergeld":{"claimant":"p1","application_date":"2026-03-01","claimant_has_tax_id":false,
          "child_has_tax_id":true}}"#;

    /// Reads `json` both ways: where the fast reader answers, serde_json must read the same
    /// case, equal as a value and as JSON (which shows the decimals' scales). Returns whether
    /// the fast reader answered.
    fn agree(json: &str) -> bool {
        let Some(fast) = parse(json) else {
            return false;
        };
        let serde: Case = serde_json::from_str(json).unwrap_or_else(|e| {
            panic!("serde_json refuses ({e}) what the fast reader read: {json}")
        });
        assert_eq!(fast, serde, "{json}");
        assert_eq!(
            serde_json::to_string(&fast).expect("a case serialises"),
            serde_json::to_string(&serde).expect("a case serialises"),
            "{json}"
        );
        true
    }

    #[test]
    fn a_full_case_reads_as_serde_json_reads_it() {
        assert!(agree(FULL));
        // Compact, and with every kind of blank between the tokens.
        let value: serde_json::Value = serde_json::from_str(FULL).expect("FULL is JSON");
        assert!(agree(&value.to_string()));
        let pretty = serde_json::to_string_pretty(&value).expect("a value serialises");
        assert!(agree(&pretty));
        assert!(agree(&format!(" \t\r\n{}\r\n", pretty.replace("  ", "\t"))));
        // The defaults of the derive where the fields are left out.
        let case = parse(FULL).expect("FULL is read");
        assert_eq!(case.siblings[1].weekly_work_hours.to_string(), "7.0");
        assert_eq!(case.parents[1].tax.child_allowances, None);
        assert!(case.parents[1].activities_before_birth.is_empty());
        let minimal = r#"{"schema":"x","evaluation_date":"2026-03-10","child":{"birth_date":"2026-01-05"},
            "household":{"postal_code":"1"},"parents":[]}"#;
        assert!(agree(minimal));
        let case = parse(minimal).expect("the minimal case is read");
        assert_eq!(case.child.count, 1);
        let kg = r#"{"schema":"x","evaluation_date":"2026-03-10","child":{"birth_date":"2026-01-05"},
            "household":{"postal_code":"1"},"parents":[],"kindergeld":{"claimant":"p1"}}"#;
        assert!(agree(kg));
        let claim = parse(kg)
            .and_then(|c| c.kindergeld)
            .expect("the claim is read");
        assert!(claim.claimant_has_tax_id && claim.child_has_tax_id);
    }

    /// What the fast reader leaves to serde_json, and texts serde_json refuses: the reader
    /// must not answer (or, where it does, agree).
    #[test]
    fn edge_texts_are_left_to_serde_json() {
        let field = r#""postal_code":"28195""#;
        let cases = [
            // Repeated and unknown keys, the application section.
            FULL.replace(field, &format!("{field},{field}")),
            FULL.replace(field, &format!("{field},\"postcode\":\"1\"")),
            FULL.replace(r#""kindergeld""#, r#""application":{},"kindergeld""#),
            // Escapes, a lone surrogate, a control character.
            FULL.replace(r#""full-1""#, r#""f\u0041""#),
            FULL.replace(r#""full-1""#, r#""\ud800""#),
            FULL.replace(r#""full-1""#, "\"a\u{1}b\""),
            FULL.replace(r#""schema""#, r#""sch\u0065ma""#),
            FULL.replace(r#""postal_code""#, "\"postal_code\u{1}\""),
            FULL.replace(r#""postal_code""#, r#""postal_code\"""#),
            // Numbers where strings are expected and the reverse.
            FULL.replace(r#""28195""#, "28195"),
            FULL.replace(r#""3000.00""#, "3000.00"),
            FULL.replace(r#""count":2"#, r#""count":"2""#),
            FULL.replace(r#""count":2"#, r#""count":2.0"#),
            FULL.replace(r#""count":2"#, r#""count":02"#),
            FULL.replace(r#""count":2"#, r#""count":-0"#),
            FULL.replace(r#""count":2"#, r#""count":4294967296"#),
            FULL.replace(r#""count":2"#, r#""count":1e0"#),
            // null where no Option is, trailing commas, bad literals.
            FULL.replace(r#""siblings":["#, r#""siblings":null,"x":["#),
            FULL.replace(r#""disability":true}"#, r#""disability":null}"#),
            FULL.replace(r#""minijob":true}"#, r#""minijob":true,}"#),
            FULL.replace(r#""none"]"#, r#""none",]"#),
            FULL.replace(r#""single_parent":false"#, r#""single_parent":False"#),
            FULL.replace(r#""single_parent":false"#, r#""single_parent":falsey"#),
            FULL.replace(r#""residence_title":null"#, r#""residence_title":nul"#),
            // Values of another form.
            FULL.replace("2026-01-05", "2026-02-30"),
            FULL.replace("2026-01-05", "2026-1-05"),
            FULL.replace("2025-06", "2025-6"),
            FULL.replace(r#""basis""#, r#""Basis""#),
            FULL.replace(r#""basis""#, r#"{"basis":null}"#),
            FULL.replace(r#""IV""#, r#""iv""#),
            FULL.replace(r#""3000.00""#, r#""""#),
            FULL.replace(r#""0.950""#, r#""abc""#),
            FULL.replace("12.50", "1.2.3"),
            FULL.replace("12.50", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
            // Text after the case, a byte-order mark (parse_case strips it first), nothing.
            format!("{FULL} x"),
            format!("{FULL}{{}}"),
            format!("\u{feff}{FULL}"),
            String::new(),
            "{".to_string(),
            FULL[..FULL.len() - 1].to_string(),
        ];
        for (i, json) in cases.iter().enumerate() {
            assert_ne!(json, FULL, "edit {i} found nothing to change");
            assert!(!agree(json), "the fast reader answered edit {i}: {json}");
        }
        // These it reads, as serde_json does (rust_decimal's own parser for the last two).
        for json in [
            FULL.replace(r#""3000.00""#, r#""3e3""#),
            FULL.replace(r#""3000.00""#, r#""1_000""#),
            FULL.replace(r#""3000.00""#, r#""-0.00""#),
            FULL.replace(r#""3000.00""#, r#""00.10""#),
            FULL.replace(r#""0.950""#, r#""1""#),
            FULL.replace(r#""full-1""#, r#""Jürgen ✓""#),
            FULL.replace(r#""full-1""#, r#""""#),
        ] {
            assert!(agree(&json), "{json}");
        }
    }

    /// The public cases (`../shared/cases/public`, read in place): every one is read by the
    /// fast reader, as serde_json reads it.
    #[test]
    fn public_cases_read_as_serde_json_reads_them() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/cases/public");
        let mut read = 0;
        for name in [
            "egr_official.cases.jsonl",
            "egr2022.cases.jsonl",
            "kindergeld.cases.jsonl",
        ] {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!("reading {} (beside the checkout): {e}", path.display())
            });
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                assert!(agree(line), "left to serde_json: {line}");
                read += 1;
            }
        }
        assert_eq!(read, 250);
    }

    /// Bytes that make JSON: inserted, deleted or swapped anywhere in the full case.
    const PIECES: [&str; 22] = [
        "\"", "\\", ",", ":", "{", "}", "[", "]", " ", "\n", "0", "-", ".", "e", "null", "true",
        "\"x\"", "\u{1}", "é", "1", "\\u0041", "\\ud800",
    ];

    fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> String {
        let mut text = base.to_string();
        for &(at, op, piece) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let piece = PIECES[piece % PIECES.len()];
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            match op % 3 {
                0 => text.insert_str(at, piece),
                1 => text.replace_range(at..at + next, ""),
                _ => text.replace_range(at..at + next, piece),
            }
        }
        text
    }

    proptest! {
        /// A mutated case: where the fast reader answers, serde_json reads the same.
        #[test]
        fn mutated_cases_read_as_serde_json_reads_them(
            edits in proptest::collection::vec((0usize..4000, 0usize..3, 0usize..64), 1..4)
        ) {
            let json = mutate(FULL, &edits);
            agree(&json);
            let compact = serde_json::from_str::<serde_json::Value>(FULL)
                .expect("FULL is JSON")
                .to_string();
            agree(&mutate(&compact, &edits));
        }

        /// The word-at-a-time search finds what a byte loop finds.
        #[test]
        fn special_bytes_are_found_as_a_loop_finds_them(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), 0u8..0x20, 0x20u8..=0xff, b'a'..=b'z'],
                0..40,
            )
        ) {
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            prop_assert_eq!(find_special(&bytes, true), expected);
            prop_assert_eq!(find_special(&bytes, false), bytes.iter().position(|&b| b == b'"'));
        }

        /// Any text: the direct decimal parser gives rust_decimal's value, scale and sign
        /// included, or leaves the text to rust_decimal.
        #[test]
        fn plain_decimals_read_as_rust_decimal_reads_them(
            text in prop_oneof!["\\PC{0,24}", "-?[0-9]{0,22}(\\.[0-9]{0,22})?", "-?[0-9]{1,3}\\.[0-9]{2}"]
        ) {
            check_plain(&text);
        }
    }

    /// A string value read by a reader method, and by serde.
    fn read_value<T>(text: &str, read: impl FnOnce(&mut Reader<'_>) -> Option<T>) -> Option<T> {
        let quoted = serde_json::to_string(text).expect("a string serialises");
        let mut r = Reader {
            text: &quoted,
            bytes: quoted.as_bytes(),
            pos: 0,
        };
        read(&mut r)
    }

    /// Every variant in a table, under the JSON serde writes for it.
    fn check_table<T: serde::Serialize + PartialEq + std::fmt::Debug + Copy>(
        table: &[(&[u8], T)],
        all: &[T],
    ) {
        assert_eq!(table.len(), all.len());
        for v in all {
            let json = serde_json::to_string(v).expect("a variant serialises");
            let found = table.iter().find(|(q, _)| *q == json.as_bytes());
            assert_eq!(found.map(|(_, t)| t), Some(v), "{json}");
        }
    }

    #[test]
    fn enum_names_are_serdes() {
        use PlanMonth as P;
        check_table(PLAN_MONTHS, &[P::Basis, P::Plus, P::Bonus, P::None]);
        use ActivityKind as A;
        check_table(ACTIVITY_KINDS, &[A::Employed, A::SelfEmployed, A::Minijob]);
        use TaxClass as T;
        check_table(TAX_CLASSES, &[T::I, T::II, T::III, T::IV, T::V, T::VI]);
        for other in ["Basis", "basis ", "", "i", "Employed", "VII", "IVX"] {
            assert_eq!(read_value(other, |r| r.variant(PLAN_MONTHS)), None);
            assert_eq!(read_value(other, |r| r.variant(ACTIVITY_KINDS)), None);
            assert_eq!(read_value(other, |r| r.variant(TAX_CLASSES)), None);
        }
        assert_eq!(
            read_value("VI", |r| r.variant(TAX_CLASSES)),
            Some(TaxClass::VI)
        );
    }

    proptest! {
        /// `YYYY-MM-DD` of any digits: the direct reading is jiff's.
        #[test]
        fn dates_read_as_jiff_reads_them(y in 0u32..10000, m in 0u32..20, d in 0u32..40) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(read_value(&text, |r| r.date()), via_serde::<Date>(&text));
        }
    }

    #[test]
    fn other_date_forms_are_jiffs() {
        for text in [
            "2026-1-05",
            "+002026-01-05",
            "20260105",
            "2026-01-05T00:00",
            "",
            "2026-02-29",
        ] {
            assert_eq!(
                read_value(text, |r| r.date()),
                via_serde::<Date>(text),
                "{text}"
            );
        }
        assert_eq!(
            read_value("2024-02-29", |r| r.date()),
            Some(Date::constant(2024, 2, 29))
        );
    }

    /// The direct parser on a whole text.
    fn parse_plain(text: &[u8]) -> Option<Decimal> {
        plain_prefix(text).and_then(|(d, len)| (len == text.len()).then_some(d))
    }

    fn check_plain(text: &str) {
        use std::str::FromStr;
        let ours = parse_plain(text.as_bytes());
        if let Some(d) = ours {
            let theirs = Decimal::from_str(text).expect("rust_decimal reads what we read");
            assert_eq!(d.serialize(), theirs.serialize(), "{text:?}");
        }
        // What the fast reader's amounts give is what the money deserializers give.
        let quoted = serde_json::to_string(text).expect("a string serialises");
        let fast = read_value(text, |r| r.money_opt()).map(|d| d.map(|d| d.serialize()));
        let serde = crate::money_opt::deserialize(&mut serde_json::Deserializer::from_str(&quoted))
            .ok()
            .map(|d| d.map(|d| d.serialize()));
        if fast.is_some() {
            assert_eq!(fast, serde, "{text:?}");
        }
        let fast = read_value(text, |r| r.money()).map(|d| d.serialize());
        let serde = crate::money::deserialize(&mut serde_json::Deserializer::from_str(&quoted))
            .ok()
            .map(|d| d.serialize());
        if fast.is_some() {
            assert_eq!(fast, serde, "{text:?}");
        }
    }

    #[test]
    fn plain_decimal_edges() {
        for text in [
            "0",
            "-0",
            "-0.00",
            "0.5",
            "1234.56",
            "-1234.56",
            "007",
            "00.10",
            "1.",
            ".5",
            "-",
            "-.5",
            "",
            " 1",
            "1 ",
            "+1",
            "1e3",
            "1_000",
            "1.2.3",
            "--1",
            "9999999999999999999",
            "18446744073709551615",
            "99999999999999999999",
            "1234567890.123456789",
            "0.0000000000000000001",
            "0.00000000000000000001",
            "79228162514264337593543950336",
        ] {
            check_plain(text);
        }
        assert_eq!(parse_plain(b"12.50").map(|d| d.scale()), Some(2));
        assert_eq!(
            parse_plain(b"9999999999999999999").map(|d| d.to_string()),
            Some("9999999999999999999".into())
        );
        assert_eq!(parse_plain(b"99999999999999999999"), None);
        assert_eq!(parse_plain(b"1e3"), None);
    }
}
