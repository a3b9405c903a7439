//! Elterngeld-Netto (§§ 2c–2f BEEG): the fixed, simplified net income before and after the
//! birth. Gross less the Werbungskostenpauschale (employment), taxes from the BMF PAP of the
//! year before the birth with the BEEG's fixed inputs (§ 2e), and the flat social rates of
//! § 2f on the wage (reduced base in the Übergangsbereich, none for a Minijob).

use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::RulesError;
use crate::params::{At, params};
use elternkit_lohnsteuer::{PapInput, PapVersion};
use elternkit_model::{ActivityKind, IncomeFigures, Parent, TaxClass, YearMonth};

/// Rounds half up to the cent (BEEG-Richtlinien 2.0.3.3.1).
pub fn cent(value: Decimal) -> Decimal {
    // Most amounts are cents already; rounding them would return them unchanged.
    let scale = value.scale();
    if scale <= 2 {
        return value;
    }
    // The rules round a dozen amounts per parent, all of them small: with the digits in 64 bits
    // one integer division does it, where the general rounding took a tenth of a computation.
    // Same result, sign and scale as the general one (tested on random values).
    let magnitude = value.mantissa().unsigned_abs();
    let cents = match (u64::try_from(magnitude), 10u64.checked_pow(scale - 2)) {
        (Ok(magnitude), Some(divisor)) => {
            let (whole, rest) = (magnitude / divisor, magnitude % divisor);
            // rest ≥ divisor / 2, without overflow: half away from zero.
            u128::from(whole + u64::from(rest >= divisor - rest))
        }
        // The 28 digits of an Übergangsbereich base: a 128-bit division, still a fraction of
        // the general rounding. A scale is at most 28, so the divisor fits.
        _ => match 10u128.checked_pow(scale - 2) {
            Some(divisor) => {
                let (whole, rest) = (magnitude / divisor, magnitude % divisor);
                whole + u128::from(rest >= divisor - rest)
            }
            None => return value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        },
    };
    // At most the 96-bit mantissa divided by 10, plus one: it fits the three words.
    Decimal::from_parts(
        cents as u32,
        (cents >> 32) as u32,
        (cents >> 64) as u32,
        value.is_sign_negative(),
        2,
    )
}

/// `value` with at least two decimals (`556` → `556.00`), the same number. Amounts of money
/// carry two; a parameter held so compares with them without aligning scales first, which
/// was a tenth of a computation.
pub fn at_cent_scale(value: Decimal) -> Decimal {
    let mut value = value;
    if value.scale() < 2 {
        value.rescale(2);
    }
    value
}

/// Parameters of the net computation, fixed by the birth date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetParams {
    pub pap: PapVersion,
    /// Average KV-Zusatzbeitrag of the year before the birth, in percent (PAP `KVZ`).
    pub kvz_percent: Decimal,
    /// Werbungskostenpauschale per month with employment (1/12 of the yearly amount, cents).
    pub wkp_monthly: Decimal,
    pub church_rate: Decimal,
    pub rate_kv: Decimal,
    pub rate_rv: Decimal,
    pub rate_av: Decimal,
    /// [`social_rate`] of each insurance status (indexed as in `SocialBases`) as integers
    /// over one power of ten (the second figure), for the deduction in whole cents; `None`
    /// if they do not fit.
    status_rates: Option<([i64; 8], i64)>,
    /// The PAP's `KRV` for a person not insured in the pension insurance: 1 from 2025 on,
    /// 2 before (read from the version's year once, not per PAP call).
    krv_not_insured: i32,
}

impl NetParams {
    /// The parameters for a child born on `birth`.
    pub fn for_birth(birth: Date) -> Result<Self, RulesError> {
        let p = params();
        let at = At::BirthDate(birth);
        let pap_name = &p.get("eg.pap_version", at)?.value;
        let pap = PapVersion::from_name(pap_name).ok_or_else(|| RulesError::Unsupported {
            path: "child.birth_date".into(),
            message: format!("PAP version {pap_name} is not generated"),
        })?;
        let (kvz, _) = p.decimal("eg.pap_kvz_avg_zusatzbeitrag", At::YearBeforeBirth(birth))?;
        let (wkp_yearly, _) = p.decimal("eg.werbungskostenpauschale_yearly_eur", at)?;
        let mut np = NetParams {
            pap,
            kvz_percent: kvz * Decimal::ONE_HUNDRED,
            wkp_monthly: cent(wkp_yearly / Decimal::from(12)),
            church_rate: p.decimal("eg.kirchensteuer_rate", at)?.0,
            rate_kv: p.decimal("eg.sv_pauschale.kv_pv", at)?.0,
            rate_rv: p.decimal("eg.sv_pauschale.rv", at)?.0,
            rate_av: p.decimal("eg.sv_pauschale.alv", at)?.0,
            status_rates: None,
            krv_not_insured: if version_year(pap) >= 2025 { 1 } else { 2 },
        };
        np.status_rates = np.integer_status_rates();
        Ok(np)
    }

    /// The rate of every insurance status as `numerator / 10^scale`, one scale for all, with
    /// 10^scale.
    fn integer_status_rates(&self) -> Option<([i64; 8], i64)> {
        let rates: [Decimal; 8] =
            std::array::from_fn(|i| social_rate(self, Insurance::of_index(i)));
        let scale = rates.iter().map(Decimal::scale).max().unwrap_or(0);
        if scale > 12 {
            return None;
        }
        let mut out = [0i64; 8];
        for (o, r) in out.iter_mut().zip(rates) {
            let factor = 10i128.pow(scale - r.scale());
            let n = r.mantissa().checked_mul(factor)?;
            // Small numerators keep every product of the deduction far inside an i128.
            *o = i64::try_from(n)
                .ok()
                .filter(|n| n.unsigned_abs() < 1 << 40)?;
        }
        Some((out, 10i64.pow(scale)))
    }
}

const TABLE_START: YearMonth = YearMonth {
    year: 2020,
    month: 1,
};
const TABLE_MONTHS: i32 = 20 * 12;

/// The Minijob limit and the upper limit of the Übergangsbereich in a calendar month, and the
/// factor F of § 2f Abs. 2 BEEG.
#[derive(Debug, Clone, Copy)]
pub struct MonthLimits {
    pub minijob: Decimal,
    pub midijob_upper: Decimal,
    pub factor_f: Decimal,
    /// The parts of the Übergangsbereich formula that do not depend on the wage, computed
    /// once per month: F·G, and O/(O−G) − G/(O−G)·F.
    midijob_offset: Decimal,
    midijob_slope: Decimal,
    /// The month's row in the table of [`MonthLimits::for_month`] (`u32::MAX`: none), which
    /// also holds the limits in cents: kept out of this struct, which every month copies.
    row: u32,
}

/// The limits of a month in whole cents, for `net_of`'s integer sums.
#[derive(Debug, Clone, Copy)]
struct LimitCents {
    minijob: i64,
    midijob_upper: i64,
    /// The Übergangsbereich formula as integers, see [`LimitCents::midijob_cents`].
    midijob: Option<MidijobInt>,
}

/// The months 2020–2039, with their limits in cents where they are whole cents.
type LimitTable = Vec<Option<(MonthLimits, Option<LimitCents>)>>;
static TABLE: OnceLock<LimitTable> = OnceLock::new();

/// `midijob_base` in units of 10^−`scale` cents: `slope · (wage − minijob) + offset`, the
/// wage in cents; exact, where the decimals round the product to 28 digits.
#[derive(Debug, Clone, Copy)]
struct MidijobInt {
    slope: i128,
    offset: i128,
    minijob: i64,
    /// 10^scale, and the margin of 10^−12 cents as twice that many units.
    unit: i128,
    margin: i128,
}

impl LimitCents {
    fn of(l: &MonthLimits) -> Option<Self> {
        Some(LimitCents {
            minijob: whole_cents(l.minijob)?,
            midijob_upper: whole_cents(l.midijob_upper)?,
            midijob: MidijobInt::new(l.midijob_slope, l.midijob_offset, l.minijob),
        })
    }

    /// `cent(midijob_base(wage))` for a wage of `wage` cents in the Übergangsbereich, in
    /// cents, without the 28-digit decimals (most of a month's cost there). The exact value
    /// and the decimals' (rounded to 28 digits, far below 10^−12 cents for these amounts)
    /// round to the same cent unless the exact one lies within 10^−12 cents of a half cent:
    /// then `None`, and the caller computes the decimals (tested against them).
    fn midijob_cents(&self, wage: i64) -> Option<i64> {
        let m = self.midijob?;
        let units = m
            .slope
            .checked_mul(i128::from(wage - m.minijob))?
            .checked_add(m.offset)?;
        let unit = m.unit;
        let (cents, rest) = (units / unit, units % unit);
        // Positive and below a million euros: the case the decimals' precision is argued for.
        if units <= 0 || cents >= 100_000_000 || (2 * rest - unit).abs() <= m.margin {
            return None;
        }
        i64::try_from(cents + i128::from(2 * rest > unit)).ok()
    }
}

impl MidijobInt {
    fn new(slope: Decimal, offset: Decimal, minijob: Decimal) -> Option<Self> {
        let (s, o) = (slope.scale(), offset.scale());
        let scale = s.max(o.saturating_sub(2));
        Some(MidijobInt {
            slope: slope
                .mantissa()
                .checked_mul(10i128.checked_pow(scale - s)?)?,
            offset: offset
                .mantissa()
                .checked_mul(10i128.checked_pow(scale + 2 - o)?)?,
            minijob: whole_cents(minijob)?,
            unit: 10i128.checked_pow(scale)?,
            margin: scale.checked_sub(12).map_or(0, |s| 2 * 10i128.pow(s)),
        })
    }
}

impl MonthLimits {
    /// The limits of `month`; months of 2020–2039 come from a table built once, since the
    /// rules ask for every month of the Bemessungszeitraum and of the plan.
    pub fn for_month(month: YearMonth) -> Result<Self, RulesError> {
        match Self::in_table(month) {
            Some(limits) => Ok(*limits),
            None => Self::from_params(month),
        }
    }

    /// The limits of a month of the table, by reference: the hot callers copy them once
    /// instead of through a `Result`.
    pub(crate) fn in_table(month: YearMonth) -> Option<&'static Self> {
        let table = TABLE.get_or_init(|| {
            (0..TABLE_MONTHS)
                .map(|i| {
                    let mut limits = Self::from_params(TABLE_START.plus(i)).ok()?;
                    limits.row = u32::try_from(i).ok()?;
                    Some((limits, LimitCents::of(&limits)))
                })
                .collect()
        });
        let index = usize::try_from(TABLE_START.months_until(month)).ok()?;
        table.get(index)?.as_ref().map(|(limits, _)| limits)
    }

    /// The limits in cents, for months of the table.
    fn cents(&self) -> Option<&'static LimitCents> {
        let row = usize::try_from(self.row).ok()?;
        TABLE.get()?.get(row)?.as_ref()?.1.as_ref()
    }

    fn from_params(month: YearMonth) -> Result<Self, RulesError> {
        let at = At::IncomeMonth(month);
        let p = params();
        Ok(Self::new(
            p.decimal("eg.minijob_limit_eur", at)?.0,
            p.decimal("eg.midijob_upper_limit_eur", at)?.0,
            p.decimal("eg.midijob_factor_F", at)?.0,
        ))
    }

    /// Limits G (Minijob) and O (upper end of the Übergangsbereich) with the factor F.
    fn new(minijob: Decimal, midijob_upper: Decimal, factor_f: Decimal) -> Self {
        let (g, o, f) = (minijob, midijob_upper, factor_f);
        let span = o - g;
        // A span of zero would make the Übergangsbereich empty; no month's parameters have it.
        let slope = if span.is_zero() {
            Decimal::ZERO
        } else {
            o / span - g / span * f
        };
        MonthLimits {
            minijob: at_cent_scale(minijob),
            midijob_upper: at_cent_scale(midijob_upper),
            factor_f,
            midijob_offset: f * g,
            midijob_slope: slope,
            row: u32::MAX,
        }
    }

    /// The reduced contribution base in the Übergangsbereich (§ 2f Abs. 2 S. 3 BEEG with
    /// § 20 Abs. 2a SGB IV): F·G + (O/(O−G) − G/(O−G)·F)·(AE − G).
    pub fn midijob_base(&self, wage: Decimal) -> Decimal {
        self.midijob_offset + self.midijob_slope * (wage - self.minijob)
    }
}

/// Insurance branches that carry a flat rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Insurance {
    pub health: bool,
    pub pension: bool,
    pub unemployment: bool,
}

impl Insurance {
    /// The index of the status among the eight (one bit per branch).
    fn index(self) -> usize {
        usize::from(self.health)
            | usize::from(self.pension) << 1
            | usize::from(self.unemployment) << 2
    }

    fn of_index(index: usize) -> Self {
        Insurance {
            health: index & 1 != 0,
            pension: index & 2 != 0,
            unemployment: index & 4 != 0,
        }
    }
}

/// One month's income of one activity in the Bemessungszeitraum or after the birth.
#[derive(Debug, Clone, Copy)]
pub struct MonthIncome {
    /// Which calendar month (or Lebensmonat) this is: the Werbungskostenpauschale is deducted
    /// once per month with employment, however many jobs it had.
    pub slot: usize,
    pub kind: ActivityKind,
    pub amount: Decimal,
    pub insurance: Insurance,
    pub limits: MonthLimits,
}

/// The wage-tax features used for the PAP.
#[derive(Debug, Clone, Copy)]
pub struct TaxFeatures {
    pub class: TaxClass,
    pub factor: Option<Decimal>,
    pub church: bool,
    pub child_allowances: Decimal,
    pub pension_insured: bool,
}

impl TaxFeatures {
    pub fn of(parent: &Parent) -> Self {
        TaxFeatures {
            class: parent.tax.class,
            factor: parent.tax.factor,
            church: parent.tax.church_tax,
            child_allowances: parent.tax.child_allowances.unwrap_or(Decimal::ZERO),
            pension_insured: true,
        }
    }
}

/// Taxes of § 2e BEEG on a monthly taxable gross (euros): LSt + Soli + 8 % of the BK.
pub fn taxes(
    np: &NetParams,
    tax: &TaxFeatures,
    monthly_taxable: Decimal,
) -> Result<Decimal, RulesError> {
    if !is_positive(monthly_taxable) {
        return Ok(Decimal::ZERO);
    }
    taxes_on_re4(np, tax, re4_cents(monthly_taxable))
}

/// [`taxes`] for the PAP input `RE4` (whole cents).
fn taxes_on_re4(np: &NetParams, tax: &TaxFeatures, re4: Decimal) -> Result<Decimal, RulesError> {
    let version = np.pap;
    let not_insured_krv = np.krv_not_insured;
    let mut input = PapInput {
        LZZ: Some(2),
        STKL: Some(tax.class.number()),
        RE4: Some(re4),
        ZKF: Some(tax.child_allowances),
        R: Some(i32::from(tax.church)),
        KVZ: Some(np.kvz_percent),
        KRV: Some(if tax.pension_insured {
            0
        } else {
            not_insured_krv
        }),
        ..PapInput::default()
    };
    if let Some(f) = tax
        .factor
        .filter(|f| *f != Decimal::ONE && tax.class == TaxClass::IV)
    {
        input.af = Some(1);
        input.f = Some(f);
    }
    let out = elternkit_lohnsteuer::compute(version, &input)?;
    let euros = |v: Option<Decimal>| hundredth(v.unwrap_or(Decimal::ZERO));
    let church = cent(euros(out.BK) * np.church_rate);
    Ok(euros(out.LSTLZZ) + euros(out.SOLZLZZ) + if tax.church { church } else { Decimal::ZERO })
}

/// `value / 100` (the PAP's cents as euros), exactly: the same digits two places further
/// right, where the general division cost more than the rest of the conversion.
fn hundredth(value: Decimal) -> Decimal {
    let mut out = value;
    match out.set_scale(value.scale() + 2) {
        Ok(()) => out,
        Err(_) => value / Decimal::ONE_HUNDRED,
    }
}

/// The PAP input `RE4` for a monthly taxable gross in euros: `RE4` is defined in whole cents,
/// so the monthly average is rounded half up to the cent (BEEG-RL 2.0.3.3.1) on every path
/// (wages, profit, mixed, after the birth) before it becomes cents; no fraction of a cent
/// reaches the PAP.
pub fn re4_cents(monthly_taxable: Decimal) -> Decimal {
    let mut re4 = cent(monthly_taxable) * Decimal::ONE_HUNDRED;
    re4.rescale(0);
    re4
}

/// The year of a PAP version: its name starts with it ("2023abjuli"), as the generator
/// writes every name from the BMF file's (tested for every version).
pub(crate) fn version_year(v: PapVersion) -> i32 {
    v.name()
        .get(..4)
        .and_then(|y| y.parse().ok())
        .expect("every PAP version's name starts with its four-digit year")
}

/// The contribution base of § 2f Abs. 2 BEEG for one month's income: nothing for a Minijob
/// (S. 2), the reduced amount in the Übergangsbereich (S. 3), else the income itself.
pub fn social_base(m: &MonthIncome) -> Decimal {
    match m.kind {
        ActivityKind::Minijob => Decimal::ZERO,
        // Wages up to the month's Minijob limit are a geringfügige Beschäftigung (§ 8 Abs. 1
        // Nr. 1 SGB IV), before the birth and in each Lebensmonat after it alike.
        ActivityKind::Employed if m.amount <= m.limits.minijob => Decimal::ZERO,
        // The reduced base is the beitragspflichtige Einnahme, an amount of money: rounded
        // half up to the cent like every intermediate amount (BEEG-RL 2.0.3.3.1).
        ActivityKind::Employed if m.amount <= m.limits.midijob_upper => {
            cent(m.limits.midijob_base(m.amount))
        }
        _ => m.amount,
    }
}

/// The sum of the Beitragssatzpauschalen of § 2f Abs. 1 S. 2 BEEG for an insurance status.
pub fn social_rate(np: &NetParams, insurance: Insurance) -> Decimal {
    [
        (insurance.health, np.rate_kv),
        (insurance.pension, np.rate_rv),
        (insurance.unemployment, np.rate_av),
    ]
    .iter()
    .filter(|(insured, _)| *insured)
    .map(|(_, rate)| *rate)
    .sum()
}

/// The Abzüge für Sozialabgaben of a set of months (§ 2f BEEG), collected month by month: the
/// Bemessungsgrundlage is the monthly average of the bases (Abs. 2 S. 1), an amount rounded to
/// the cent (BEEG-RL 2.0.3.3.1); the deduction is that amount times the Pauschalen (Abs. 1
/// S. 2), one amount rounded once, since the statute names no amount per insurance branch.
#[derive(Default)]
struct SocialBases {
    /// The sum of the bases per insurance status, indexed by the status's three flags. One
    /// status holds for all months of a period (§ 2c Abs. 3 S. 2); grouped anyway.
    by_status: [Option<Decimal>; 8],
    /// The last base computed, with what it was computed from: an activity has the same wage
    /// in every month of the Bemessungszeitraum, and the Übergangsbereich formula with its
    /// rounding (28 digits, beyond the fast cent) cost more than the rest of the month.
    last: Option<(BaseKey, Decimal)>,
}

/// Everything [`social_base`] reads of a month, the decimals as their exact representation:
/// equal keys give the same base, to the last digit and scale.
#[derive(Clone, Copy, PartialEq, Eq)]
struct BaseKey {
    kind: ActivityKind,
    decimals: [[u8; 16]; 5],
}

impl BaseKey {
    fn of(m: &MonthIncome) -> Self {
        let l = &m.limits;
        BaseKey {
            kind: m.kind,
            decimals: [
                m.amount.serialize(),
                l.minijob.serialize(),
                l.midijob_upper.serialize(),
                l.midijob_offset.serialize(),
                l.midijob_slope.serialize(),
            ],
        }
    }
}

impl SocialBases {
    /// The base of `m`, computed again only where it differs from the last one.
    fn base(&mut self, m: &MonthIncome) -> Decimal {
        let key = BaseKey::of(m);
        match self.last {
            Some((last, base)) if last == key => base,
            _ => {
                let base = social_base(m);
                self.last = Some((key, base));
                base
            }
        }
    }

    fn add(&mut self, m: &MonthIncome) {
        let base = self.base(m);
        *self.by_status[m.insurance.index()].get_or_insert(Decimal::ZERO) += base;
    }

    fn deduction(&self, np: &NetParams, divisor: Decimal) -> Decimal {
        let mut total = Decimal::ZERO;
        for (index, sum) in self.by_status.iter().enumerate() {
            if let Some(sum) = sum {
                total += cent(*sum / divisor) * social_rate(np, Insurance::of_index(index));
            }
        }
        cent(total)
    }
}

/// Which period a set of months belongs to: the Werbungskostenpauschale is deducted
/// differently before and after the birth (RULES.md B3 item 2, B5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The Bemessungszeitraum: 1/12 of the Pauschbetrag for each month with wages, not capped
    /// per month; only the average is floored at 0 (§ 2c Abs. 1 S. 1 BEEG).
    BeforeBirth,
    /// The Lebensmonate of one variant: 1/12 in each Lebensmonat with wages, capped at that
    /// month's wages (§ 2 Abs. 3 with § 2c Abs. 1 S. 1 BEEG).
    AfterBirth,
}

/// The Elterngeld-Netto of a set of months (the Bemessungszeitraum, or the months of one
/// variant after the birth), averaged over `divisor` months.
pub fn net_of(
    np: &NetParams,
    tax: &TaxFeatures,
    months: &[MonthIncome],
    divisor: Decimal,
    period: Period,
) -> Result<IncomeFigures, RulesError> {
    if !is_positive(divisor) {
        return Ok(IncomeFigures::default());
    }
    match in_cents(np, tax, months, divisor, period) {
        Some(parts) => parts.figures(np),
        None => net_of_decimal(np, tax, months, divisor, period),
    }
}

/// What [`net_of`] computes before the taxes, in whole cents.
struct CentParts {
    gross: i64,
    social: i64,
    /// The tax features after § 2e Abs. 3 S. 2 BEEG, and `RE4` (`None`: no taxable income).
    tax: TaxFeatures,
    re4: Option<i64>,
}

impl CentParts {
    fn figures(&self, np: &NetParams) -> Result<IncomeFigures, RulesError> {
        let taxes = match self.re4 {
            Some(re4) => taxes_on_re4(np, &self.tax, Decimal::from(re4))?,
            None => Decimal::ZERO,
        };
        let (gross, social) = (Decimal::new(self.gross, 2), Decimal::new(self.social, 2));
        let net = match whole_cents(taxes) {
            Some(t) => Decimal::new((self.gross - t - self.social).max(0), 2),
            None => non_negative(gross - taxes - social),
        };
        Ok(IncomeFigures {
            gross,
            taxes,
            social_contributions: social,
            net,
        })
    }
}

/// An amount of money in whole cents, if it is one and small enough for sums of many in 64
/// bits (below ten trillion euros).
pub(crate) fn whole_cents(value: Decimal) -> Option<i64> {
    let scale = value.scale();
    if scale > 2 {
        return None;
    }
    // A table, not `pow`: this runs for every month of every net.
    let cents = i64::try_from(value.mantissa())
        .ok()?
        .checked_mul([100, 10, 1][scale as usize])?;
    (cents.unsigned_abs() < 1_000_000_000_000_000).then_some(cents)
}

/// `n / d` rounded half away from zero (BEEG-RL 2.0.3.3.1), for `d > 0`.
pub(crate) fn div_round(n: i64, d: i64) -> i64 {
    let (q, r) = (n / d, n % d);
    // |r| < d ≤ 10^18, so 2·|r| fits.
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// [`div_round`] for a wide numerator; 64-bit division where it fits (a 128-bit one costs
/// many times more).
fn div_round_wide(n: i128, d: i64) -> Option<i64> {
    match i64::try_from(n) {
        Ok(n) => Some(div_round(n, d)),
        Err(_) => {
            let d = i128::from(d);
            let (q, r) = (n / d, n % d);
            i64::try_from(if 2 * r.abs() >= d { q + n.signum() } else { q }).ok()
        }
    }
}

/// The sums of [`net_of`] in whole cents, `None` where an amount is no whole cent (or beyond
/// its bounds): the Decimal sums aligned their scales on every addition, most of a net.
///
/// The same rounding points as [`net_of_decimal`], the same results (tested against it): a
/// Decimal quotient of cents by at most 1000 months differs from the exact one by far less
/// than its distance to the next half cent, so rounding either gives the same cent.
fn in_cents(
    np: &NetParams,
    tax: &TaxFeatures,
    months: &[MonthIncome],
    divisor: Decimal,
    period: Period,
) -> Option<CentParts> {
    // With at most 1000 months of amounts below 10^15 cents every sum fits an i64.
    if months.len() > 1000 || divisor.scale() != 0 {
        return None;
    }
    let d = i64::try_from(divisor.mantissa())
        .ok()
        .filter(|d| (1..=1000).contains(d))?;
    let (status_rates, rate_unit) = np.status_rates?;
    let wkp = whole_cents(np.wkp_monthly)?;
    let mut gross = 0i64;
    let mut profit = 0i64;
    let mut any_self = false;
    let mut bases = [None::<i64>; 8];
    // Per month slot (below 32, else the decimal path): the wages (employment and Minijob),
    // the employed wages and the first employed month, whose limits and status the month's
    // total is tested with (§ 20 Abs. 2 SGB IV, as in `net_of_decimal`).
    let mut wages = [0i64; 32];
    let mut employed = [0i64; 32];
    let mut first_employed = [0u16; 32];
    let (mut wage_slots, mut employed_slots) = (0u32, 0u32);
    for (i, m) in months.iter().enumerate() {
        let amount = whole_cents(m.amount)?;
        gross += amount;
        let bit = 1u32.checked_shl(u32::try_from(m.slot).ok()?)?;
        match m.kind {
            ActivityKind::Employed | ActivityKind::Minijob => {
                wages[m.slot] += amount;
                wage_slots |= bit;
                if m.kind == ActivityKind::Employed {
                    if employed_slots & bit == 0 {
                        // At most 1000 months: the index fits.
                        first_employed[m.slot] = i as u16;
                    }
                    employed[m.slot] += amount;
                    employed_slots |= bit;
                }
            }
            ActivityKind::SelfEmployed => {
                any_self = true;
                *bases[m.insurance.index()].get_or_insert(0) += amount;
                profit += amount;
            }
        }
    }
    let mut taxed_wages = 0i64;
    let mut taxed_slots = 0i64;
    let mut midijob = SocialBases::default();
    let mut slots = employed_slots;
    while slots != 0 {
        let slot = slots.trailing_zeros() as usize;
        slots &= slots - 1;
        let m = &months[usize::from(first_employed[slot])];
        let total = employed[slot];
        let limits = m.limits.cents()?;
        let minijob = limits.minijob;
        let base = if total <= minijob {
            0
        } else if total <= limits.midijob_upper {
            match limits.midijob_cents(total) {
                Some(base) => base,
                // Next to a half cent: the decimal formula, with the month's wage.
                None => {
                    let month = MonthIncome {
                        amount: Decimal::new(total, 2),
                        ..*m
                    };
                    whole_cents(midijob.base(&month))?
                }
            }
        } else {
            total
        };
        *bases[m.insurance.index()].get_or_insert(0) += base;
        if total > minijob {
            taxed_wages += total;
            taxed_slots += 1;
        }
    }
    let wkp_total = match period {
        Period::BeforeBirth => i64::from(wage_slots.count_ones()) * wkp,
        // After the birth the Pauschale of each Lebensmonat, at most its wages.
        Period::AfterBirth => {
            let mut capped = 0;
            let mut slots = wage_slots;
            while slots != 0 {
                capped += wkp.min(wages[slots.trailing_zeros() as usize].max(0));
                slots &= slots - 1;
            }
            capped
        }
    };
    let gross = div_round(gross - wkp_total, d);
    let mut tax = *tax;
    let mut taxable = taxed_wages + profit;
    if any_self && taxed_slots == 0 {
        // As in `net_of_decimal`: profit alone, class IV and the Pauschale added back.
        tax.class = TaxClass::IV;
        tax.factor = None;
        tax.pension_insured = true;
        taxable += wkp * d;
    } else if any_self {
        let surplus = taxed_wages - taxed_slots * wkp;
        if profit > surplus {
            tax.class = TaxClass::IV;
            tax.factor = None;
        }
    }
    // The Pauschalen times the average base of each status, summed, rounded once.
    let mut social = 0i128;
    for (sum, rate) in bases.iter().zip(status_rates) {
        if let Some(sum) = sum {
            social += i128::from(div_round(*sum, d)) * i128::from(rate);
        }
    }
    let social = div_round_wide(social, rate_unit)?;
    Some(CentParts {
        gross,
        social,
        tax,
        re4: (taxable > 0).then(|| div_round(taxable, d)),
    })
}

/// [`net_of`] in decimals throughout, for amounts [`in_cents`] does not take.
fn net_of_decimal(
    np: &NetParams,
    tax: &TaxFeatures,
    months: &[MonthIncome],
    divisor: Decimal,
    period: Period,
) -> Result<IncomeFigures, RulesError> {
    let mut gross = Decimal::ZERO;
    // Wages that enter the tax base (§ 2e Abs. 2 S. 1: not Minijob wages taxed at the flat
    // employer rate) and profit (§ 2d), for the tax class of § 2e Abs. 3 S. 2.
    let mut taxed_wages = Decimal::ZERO;
    let mut profit = Decimal::ZERO;
    // Months with wages (employment or Minijob): the Werbungskostenpauschale once per month.
    let mut wage_slots = SlotSet::default();
    let mut employed_slots = SlotSet::default();
    let mut taxed_slots = SlotSet::default();
    // After the birth: the Pauschale of each Lebensmonat, at most its wages.
    let mut wkp_capped = Decimal::ZERO;
    let mut social = SocialBases::default();
    for (i, m) in months.iter().enumerate() {
        gross += m.amount;
        match m.kind {
            ActivityKind::Employed | ActivityKind::Minijob => {
                if wage_slots.insert(m.slot) && period == Period::AfterBirth {
                    let wages: Decimal = months[i..]
                        .iter()
                        .filter(|o| o.slot == m.slot && o.kind != ActivityKind::SelfEmployed)
                        .map(|o| o.amount)
                        .sum();
                    wkp_capped += np.wkp_monthly.min(non_negative(wages));
                }
                // § 20 Abs. 2 SGB IV: with several employments the total wage of the month
                // decides the Übergangsbereich, so a month's employed wages are taken together,
                // at the first of them.
                if m.kind == ActivityKind::Employed && employed_slots.insert(m.slot) {
                    let mut month = *m;
                    for other in &months[i + 1..] {
                        if other.kind == ActivityKind::Employed && other.slot == m.slot {
                            month.amount += other.amount;
                        }
                    }
                    social.add(&month);
                    if month.amount > month.limits.minijob {
                        taxed_wages += month.amount;
                        taxed_slots.insert(m.slot);
                    }
                }
            }
            ActivityKind::SelfEmployed => {
                social.add(m);
                profit += m.amount;
            }
        }
    }
    let any_self = months.iter().any(|m| m.kind == ActivityKind::SelfEmployed);
    let any_taxed_wages = taxed_slots.len() > 0;
    let wkp = match period {
        Period::BeforeBirth => Decimal::from(wage_slots.len()) * np.wkp_monthly,
        Period::AfterBirth => wkp_capped,
    };
    let gross = cent((gross - wkp) / divisor);
    let mut tax = *tax;
    let mut monthly_taxable = (taxed_wages + profit) / divisor;
    if any_self && !any_taxed_wages {
        // Profit alone (or beside Minijob wages only, which are no income to tax, § 2e Abs. 2
        // S. 1): class IV, and the PAP's Arbeitnehmer-Pauschbetrag neutralised by adding the
        // Pauschale back (official calculator, BEEG-RL 2e).
        tax.class = TaxClass::IV;
        tax.factor = None;
        tax.pension_insured = true;
        monthly_taxable += np.wkp_monthly;
    } else if any_self {
        // § 2e Abs. 3 S. 2 BEEG: where the profit to be counted (§ 2d) is higher than the
        // surplus of the wages over 1/12 of the Arbeitnehmer-Pauschbetrag per month (§ 2c),
        // class IV (without factor) applies to the whole income. With § 2c income present the
        // PAP keeps its Arbeitnehmer-Pauschbetrag (§ 2e Abs. 2 S. 2 Nr. 1): no add-back.
        let surplus = taxed_wages - Decimal::from(taxed_slots.len()) * np.wkp_monthly;
        if profit > surplus {
            tax.class = TaxClass::IV;
            tax.factor = None;
        }
    }
    let taxes = taxes(np, &tax, monthly_taxable)?;
    let social = social.deduction(np, divisor);
    let net = non_negative(gross - taxes - social);
    Ok(IncomeFigures {
        gross,
        taxes,
        social_contributions: social,
        net,
    })
}

/// `value > 0`, without the general comparison (which aligns scales first).
pub fn is_positive(value: Decimal) -> bool {
    !value.is_zero() && value.is_sign_positive()
}

/// `value.max(0)`, without the general comparison.
pub fn non_negative(value: Decimal) -> Decimal {
    if value.is_sign_negative() && !value.is_zero() {
        Decimal::ZERO
    } else {
        value
    }
}

/// A set of month slots: a bit per slot for the calendar months of a Bemessungszeitraum and the
/// Lebensmonate of a plan (both below 64), a list beyond.
#[derive(Default)]
struct SlotSet {
    bits: u64,
    beyond: Vec<usize>,
}

impl SlotSet {
    /// Adds `slot`; true if it was not in the set yet.
    fn insert(&mut self, slot: usize) -> bool {
        match u32::try_from(slot).ok().and_then(|s| 1u64.checked_shl(s)) {
            Some(bit) => {
                let new = self.bits & bit == 0;
                self.bits |= bit;
                new
            }
            None if !self.beyond.contains(&slot) => {
                self.beyond.push(slot);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> u64 {
        u64::from(self.bits.count_ones()) + self.beyond.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn cent_rounds_as_the_general_rounding(
            mantissa in proptest::prelude::any::<i64>(),
            wide in proptest::prelude::any::<i128>(),
            scale in 0u32..=28,
            use_wide in proptest::prelude::any::<bool>(),
        ) {
            let m = if use_wide { wide % 10i128.pow(28) } else { i128::from(mantissa) };
            let value = Decimal::from_i128_with_scale(m, scale);
            let expected = if value.scale() <= 2 {
                value
            } else {
                value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            };
            let got = cent(value);
            // The same number, sign and scale (the JSON shows all three).
            proptest::prop_assert_eq!(got.serialize(), expected.serialize(), "{}", value);
        }
    }

    /// Amounts in cents around the limits of 2022–2026 (Minijob 450–603, Übergangsbereich to
    /// 1 300–2 000), some far above, some negative (a loss), written with 0–2 decimals.
    fn amount() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        (
            prop_oneof![
                40_000i64..210_000,
                -50_000i64..1_000_000,
                Just(52_000i64),
                Just(160_000i64)
            ],
            0u32..3,
        )
            .prop_map(|(cents, scale)| {
                // The fewest decimals the amount allows, at least `scale`.
                let mut d = Decimal::new(cents, 2).normalize();
                if d.scale() < scale {
                    d.rescale(scale);
                }
                d
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// The sums in whole cents give what the decimal sums give, to the cent, on every path
        /// (Minijob, Übergangsbereich, above it, profit, mixed, several jobs a month).
        #[test]
        fn net_in_cents_is_the_decimal_net(
            birth in proptest::sample::select(vec!["2022-10-12", "2023-08-01", "2024-05-01", "2025-02-03", "2026-03-10"]),
            months in proptest::collection::vec(
                (0usize..32, 0usize..3, amount(), 0usize..8, 0i32..60),
                1..16,
            ),
            divisor in proptest::prop_oneof![proptest::strategy::Just(0u32), 1u32..33],
            after in proptest::prelude::any::<bool>(),
            class in 0usize..6,
            church in proptest::prelude::any::<bool>(),
            allowances in proptest::sample::select(vec!["0", "1", "1.5"]),
            factor in proptest::option::of(proptest::sample::select(vec!["0.9", "1", "0.874"])),
        ) {
            let d = |s: &str| s.parse::<Decimal>().unwrap();
            let np = NetParams::for_birth(birth.parse().unwrap()).unwrap();
            let kinds = [ActivityKind::Employed, ActivityKind::Minijob, ActivityKind::SelfEmployed];
            let months: Vec<MonthIncome> = months
                .into_iter()
                .map(|(slot, kind, amount, insurance, month)| MonthIncome {
                    slot,
                    kind: kinds[kind],
                    amount,
                    insurance: Insurance::of_index(insurance),
                    limits: MonthLimits::for_month(YearMonth { year: 2021, month: 1 }.plus(month)).unwrap(),
                })
                .collect();
            // 0: the Bemessungszeitraum's twelve months.
            let divisor = Decimal::from(if divisor == 0 { 12 } else { divisor });
            let period = if after { Period::AfterBirth } else { Period::BeforeBirth };
            let tax = TaxFeatures {
                class: [TaxClass::I, TaxClass::II, TaxClass::III, TaxClass::IV, TaxClass::V, TaxClass::VI][class],
                factor: factor.map(d),
                church,
                child_allowances: d(allowances),
                pension_insured: church,
            };
            proptest::prop_assert!(in_cents(&np, &tax, &months, divisor, period).is_some());
            let fast = net_of(&np, &tax, &months, divisor, period);
            let decimal = net_of_decimal(&np, &tax, &months, divisor, period);
            proptest::prop_assert_eq!(fast, decimal);
        }
    }

    /// The integer Übergangsbereich base is the decimal one, for every month's limits of
    /// 2021–2027 and wages across the whole range (every 7th cent, and the ends).
    #[test]
    fn midijob_cents_is_the_decimal_base() {
        let mut checked = 0;
        for i in 0..84 {
            let l = MonthLimits::for_month(
                YearMonth {
                    year: 2021,
                    month: 1,
                }
                .plus(i),
            )
            .unwrap();
            let c = l.cents().unwrap();
            let (low, high) = (c.minijob, c.midijob_upper);
            for wage in (low + 1..=high).step_by(7).chain([low + 1, high]) {
                let decimal = cent(l.midijob_base(Decimal::new(wage, 2)));
                let int = c
                    .midijob_cents(wage)
                    .expect("no wage here is that close to a half cent");
                assert_eq!(Decimal::new(int, 2), decimal, "{wage} cents in month {i}");
                checked += 1;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn cent_rounds_half_away_from_zero_at_the_edges() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (input, out) in [
            ("1.005", "1.01"),
            ("1.00499999", "1.00"),
            ("-1.005", "-1.01"),
            ("-0.004", "0.00"),
            ("0.995", "1.00"),
            ("1844674407370955.1615", "1844674407370955.16"),
        ] {
            assert_eq!(cent(d(input)).to_string(), out, "{input}");
            let general =
                d(input).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(cent(d(input)).serialize(), general.serialize(), "{input}");
        }
    }

    #[test]
    fn slot_set_counts_each_slot_once_below_and_beyond_the_bits() {
        let mut set = SlotSet::default();
        let new: Vec<bool> = [0, 3, 3, 63, 64, 64, 200, 0]
            .into_iter()
            .map(|slot| set.insert(slot))
            .collect();
        assert_eq!(new, [true, true, false, true, true, false, true, false]);
        assert_eq!(set.len(), 5);
    }
}
