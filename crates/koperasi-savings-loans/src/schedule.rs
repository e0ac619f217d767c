//! The schedule engine: flat, annuity and equal-principal amortisation with grace, daily
//! interest and rounding; the effective rate of a schedule.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, HolidayCalendar, RoundingMode, Rupiah, add_months};

#[cfg(doc)]
use crate::Error;
use crate::Result;
use crate::money::{Ratio, days_30_360, days_between, is_leap, overflow, round_to, rp, sub};
use crate::terms::{DayCount, FirstDue, Grace, InterestPeriod, LoanTerms, Method, Params};

/// One row of a repayment schedule (jadwal angsuran).
///
/// # Invariants
/// `installment = principal + interest`; `balance` is the principal still owed after this row
/// and is never negative; the last row's balance is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "angsuran")]
pub struct ScheduledInstallment {
    /// 1-based number (angsuran ke-).
    pub number: u32,
    /// Start of the interest period (the previous due date, or the disbursement).
    pub period_start: NaiveDate,
    /// Due date (jatuh tempo), already moved past holidays.
    pub due_date: NaiveDate,
    /// Principal part (pokok).
    pub principal: Rupiah,
    /// Interest part (bunga / jasa), including interest deferred from a grace period.
    pub interest: Rupiah,
    /// Principal + interest (angsuran).
    pub installment: Rupiah,
    /// Principal outstanding after this installment (sisa pinjaman).
    pub balance: Rupiah,
}

/// Column totals of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScheduleTotals {
    /// Σ principal (= the loan amount, exactly).
    pub principal: Rupiah,
    /// Σ interest.
    pub interest: Rupiah,
    /// Σ installments.
    pub installment: Rupiah,
}

/// A repayment schedule (jadwal angsuran).
///
/// # Invariants
/// Σ principal = loan amount exactly; every balance ≥ 0; the last balance is 0
/// (`prop_schedule_principal_sums_to_loan`, `prop_balance_never_negative_and_ends_at_zero`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "jadwal angsuran")]
pub struct Schedule {
    principal: Rupiah,
    every_months: u32,
    installments: Vec<ScheduledInstallment>,
}

/// The effective rate of a schedule's cash flows (the rate that discounts the installments
/// back to the loan amount), for disclosure of flat loans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "bunga efektif")]
#[allow(
    clippy::struct_field_names,
    reason = "the unit is part of each field's meaning"
)]
pub struct EffectiveRate {
    /// Percent per repayment period, 6 decimals.
    pub periodic_percent: Decimal,
    /// Percent per year, nominal (periodic × periods per year), 4 decimals: the "bunga
    /// efektif per tahun" of Indonesian disclosures.
    pub annual_percent: Decimal,
    /// Percent per year compounded (`(1 + periodic)^(12 / every) − 1`), 4 decimals.
    pub compounded_annual_percent: Decimal,
}

impl Schedule {
    /// The rows.
    pub fn installments(&self) -> &[ScheduledInstallment] {
        &self.installments
    }

    /// The loan amount.
    pub fn principal(&self) -> Rupiah {
        self.principal
    }

    /// Repayment every N months.
    pub fn every_months(&self) -> u32 {
        self.every_months
    }

    /// Column totals.
    ///
    /// # Errors
    /// [`Error::Core`] (overflow) if a total does not fit.
    pub fn totals(&self) -> Result<ScheduleTotals> {
        let mut p = 0_i128;
        let mut i = 0_i128;
        for r in &self.installments {
            p = crate::money::add(p, r.principal.to_sen())?;
            i = crate::money::add(i, r.interest.to_sen())?;
        }
        Ok(ScheduleTotals {
            principal: rp(p)?,
            interest: rp(i)?,
            installment: rp(crate::money::add(p, i)?)?,
        })
    }

    /// The effective rate of the installments: the periodic rate `r` with
    /// `Σ installment_k / (1 + r)^k = principal`, found by bisection in exact decimals (never
    /// floating point) until the bracket is narrower than 10⁻¹⁴ per period; the annual figures
    /// are then rounded half-up to 4 decimals of a percent (the bracket error is far below
    /// that). Periods are counted in installments, not days. A schedule whose installments
    /// add up to no more than the principal has an effective rate of zero.
    ///
    /// ```
    /// use koperasi_core::{chrono::NaiveDate, Rate, Rupiah, Decimal};
    /// use koperasi_savings_loans::{LoanTerms, Method};
    ///
    /// // Flat 1% a month for 12 months is about 21,46% a year effective.
    /// let terms = LoanTerms::new(Rupiah::from_rupiah(12_000_000), Rate::per_month(Decimal::ONE)?,
    ///     12, Method::Flat, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// let eff = terms.schedule()?.effective_rate()?;
    /// assert_eq!(eff.annual_percent.to_string(), "21.4572");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Core`] (overflow) for amounts or rates beyond decimal range.
    pub fn effective_rate(&self) -> Result<EffectiveRate> {
        let p = self.principal.to_decimal();
        let flows: Vec<Decimal> = self
            .installments
            .iter()
            .map(|r| r.installment.to_decimal())
            .collect();
        let total = flows
            .iter()
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
            .ok_or_else(|| overflow("effective_rate"))?;
        let r = if total <= p {
            Decimal::ZERO
        } else {
            solve_rate(p, &flows)?
        };
        let per_year = Decimal::from(12_u32.checked_div(self.every_months).unwrap_or(1).max(1));
        let hundred = Decimal::ONE_HUNDRED;
        let periodic = r
            .checked_mul(hundred)
            .ok_or_else(|| overflow("effective_rate"))?;
        let annual = periodic
            .checked_mul(per_year)
            .ok_or_else(|| overflow("effective_rate"))?;
        let compounded = pow(
            Decimal::ONE
                .checked_add(r)
                .ok_or_else(|| overflow("effective_rate"))?,
            12_u32.checked_div(self.every_months).unwrap_or(1).max(1),
        )
        .and_then(|f| f.checked_sub(Decimal::ONE))
        .and_then(|f| f.checked_mul(hundred))
        .ok_or_else(|| overflow("effective_rate"))?;
        Ok(EffectiveRate {
            periodic_percent: round_places(periodic, 6)?,
            annual_percent: round_places(annual, 4)?,
            compounded_annual_percent: round_places(compounded, 4)?,
        })
    }

    pub(crate) fn from_rows(
        principal: Rupiah,
        every_months: u32,
        installments: Vec<ScheduledInstallment>,
    ) -> Schedule {
        Schedule {
            principal,
            every_months,
            installments,
        }
    }
}

/// `d` rounded half-up to `places` decimals.
pub(crate) fn round_places(d: Decimal, places: u32) -> Result<Decimal> {
    let s = d.scale();
    if s <= places {
        return Ok(d.normalize());
    }
    let div = 10_i128
        .checked_pow(s.saturating_sub(places))
        .ok_or_else(|| overflow("round_places"))?;
    let q = crate::money::div_round(d.mantissa(), div, RoundingMode::HalfUp)?;
    Decimal::try_from_i128_with_scale(q, places)
        .map(|d| d.normalize())
        .map_err(|_| overflow("round_places"))
}

/// Present value of `flows` at periodic rate `r`.
fn present_value(flows: &[Decimal], r: Decimal) -> Option<Decimal> {
    let v = Decimal::ONE.checked_div(Decimal::ONE.checked_add(r)?)?;
    let mut f = Decimal::ONE;
    let mut pv = Decimal::ZERO;
    for c in flows {
        f = f.checked_mul(v)?;
        pv = pv.checked_add(c.checked_mul(f)?)?;
    }
    Some(pv)
}

fn solve_rate(p: Decimal, flows: &[Decimal]) -> Result<Decimal> {
    let err = || overflow("effective_rate");
    let mut lo = Decimal::ZERO;
    let mut hi = Decimal::ONE;
    // widen until PV(hi) < p
    let mut guard = 0_u32;
    while present_value(flows, hi).ok_or_else(err)? > p {
        lo = hi;
        hi = hi.checked_mul(Decimal::TWO).ok_or_else(err)?;
        guard = guard.saturating_add(1);
        if guard > 40 {
            return Err(err());
        }
    }
    let tol = Decimal::new(1, 14);
    for _ in 0..200 {
        if hi.checked_sub(lo).ok_or_else(err)? <= tol {
            break;
        }
        let mid = lo
            .checked_add(hi)
            .and_then(|s| s.checked_div(Decimal::TWO))
            .ok_or_else(err)?;
        if present_value(flows, mid).ok_or_else(err)? > p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo.checked_add(hi)
        .and_then(|s| s.checked_div(Decimal::TWO))
        .ok_or_else(err)
}

/// `base^n` by squaring; `None` on overflow.
pub(crate) fn pow(base: Decimal, mut n: u32) -> Option<Decimal> {
    let mut result = Decimal::ONE;
    let mut b = base;
    while n > 0 {
        if n & 1 == 1 {
            result = result.checked_mul(b)?;
        }
        n >>= 1;
        if n > 0 {
            b = b.checked_mul(b)?;
        }
    }
    Some(result)
}

/// A calendar in which every day is a working day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoHolidays;

impl HolidayCalendar for NoHolidays {
    fn is_holiday(&self, _date: NaiveDate) -> bool {
        false
    }
}

/// Interest periods `(start, due)` of a loan.
///
/// Due dates are advanced month by month from the disbursement's year and month (the same
/// dates as `add_months` from the disbursement, clamped to the month's end, never drifting);
/// `prop_incremental_due_dates_equal_recomputed` checks them against `periods_reference`.
/// Generic so that [`NoHolidays`] compiles the business-day search away.
pub(crate) fn periods<C: HolidayCalendar + ?Sized>(
    terms: &LoanTerms,
    calendar: &C,
) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let n = terms.installments;
    let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    let mut months = DueMonths::new(terms);
    let mut start = terms.disbursement;
    for _ in 0..n {
        let nominal = match months.next_nominal() {
            Some(d) => d,
            None => nominal_due(terms.disbursement, months.months)?,
        };
        let due = due_date(terms, calendar, nominal)?;
        out.push((start, due));
        start = due;
    }
    Ok(out)
}

/// The due date of a nominal due date: the fixed day of that month (moved to a working day by
/// the calendar), or the nominal date moved to a working day.
fn due_date<C: HolidayCalendar + ?Sized>(
    terms: &LoanTerms,
    calendar: &C,
    nominal: NaiveDate,
) -> Result<NaiveDate> {
    Ok(match terms.first_due {
        FirstDue::DayOfMonth(day) => calendar.due_date(nominal.year(), nominal.month(), day)?,
        _ => calendar.next_business_day(nominal)?,
    })
}

/// Nominal due dates (before any holiday move), month by month.
#[derive(Debug, Clone, Copy)]
struct DueMonths {
    every: u32,
    day0: u32,
    /// The due month: `year` (`None` past `i32`) and 0-based `month0`.
    year: Option<i32>,
    month0: u32,
    /// Months from the disbursement to the due month (at most 600 × 12 for valid terms).
    months: u32,
}

impl DueMonths {
    fn new(terms: &LoanTerms) -> DueMonths {
        let d0 = terms.disbursement;
        DueMonths {
            every: terms.every_months,
            day0: d0.day(),
            year: Some(d0.year()),
            month0: d0.month0(),
            months: 0,
        }
    }

    /// Advances `every` (1–12) months and returns the disbursement's day in that month,
    /// clamped to its end; `None` if that date is out of range (the caller then recomputes it
    /// from the disbursement, `nominal_due`, for the same date or error as ever).
    #[inline]
    fn next_nominal(&mut self) -> Option<NaiveDate> {
        self.months = self.months.saturating_add(self.every);
        self.month0 = self.month0.saturating_add(self.every);
        while self.month0 >= 12 {
            self.month0 = self.month0.saturating_sub(12);
            self.year = self.year.and_then(|y| y.checked_add(1));
        }
        crate::money::month_day_clamped(self.year?, self.month0.saturating_add(1), self.day0)
    }
}

/// The nominal due date `months` after `disbursement`, recomputed from the disbursement.
fn nominal_due(disbursement: NaiveDate, months: u32) -> Result<NaiveDate> {
    match crate::money::add_months_clamped(disbursement, months) {
        Some(d) => Ok(d),
        None => Ok(add_months(
            disbursement,
            i32::try_from(months).map_err(|_| overflow("periods"))?,
        )?),
    }
}

/// The straightforward [`periods`]: every due date recomputed from the disbursement.
#[cfg(test)]
pub(crate) fn periods_reference(
    terms: &LoanTerms,
    calendar: &dyn HolidayCalendar,
) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let mut out = Vec::new();
    let mut start = terms.disbursement;
    for k in 1..=terms.installments {
        let months = terms
            .every_months
            .checked_mul(k)
            .ok_or_else(|| overflow("periods"))?;
        let nominal = nominal_due(terms.disbursement, months)?;
        let due = due_date(terms, calendar, nominal)?;
        out.push((start, due));
        start = due;
    }
    Ok(out)
}

/// The fraction of a year between two dates under a day count.
pub(crate) fn year_fraction(start: NaiveDate, end: NaiveDate, dc: DayCount) -> Result<Ratio> {
    let days = |a, b| i128::from(days_between(a, b).max(0));
    Ok(match dc {
        DayCount::Thirty360 => Ratio {
            num: i128::from(days_30_360(start, end).max(0)),
            den: 360,
        },
        DayCount::ActualActual => {
            let mut num = 0_i128;
            let mut a = start;
            while a < end {
                let next_year = NaiveDate::from_ymd_opt(a.year().saturating_add(1), 1, 1)
                    .ok_or_else(|| overflow("year_fraction"))?;
                let b = next_year.min(end);
                let w = if is_leap(a.year()) { 365 } else { 366 };
                num = crate::money::add(num, days(a, b).saturating_mul(w))?;
                a = b;
            }
            Ratio {
                num,
                den: 365 * 366,
            }
        }
        _ => Ratio {
            num: days(start, end),
            den: 365,
        },
    })
}

/// The first regular installment (1-based, after the grace on principal, before the last)
/// that repays no principal or leaves no balance, with what goes wrong there. `rows` gives
/// each row's principal and the balance after it, in sen.
pub(crate) fn degenerate_row(
    grace_principal: u32,
    rows: impl ExactSizeIterator<Item = (i128, i128)>,
) -> Option<(u32, &'static str)> {
    let n = rows.len();
    let grace = usize::try_from(grace_principal).unwrap_or(usize::MAX);
    for (i, (principal, balance)) in rows.enumerate().take(n.saturating_sub(1)).skip(grace) {
        let what = if balance <= 0 {
            "repay the whole loan before the last installment"
        } else if principal <= 0 {
            "repay no principal (interest only, then one balloon)"
        } else {
            continue;
        };
        return Some((u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX), what));
    }
    None
}

/// The error for an installment multiple that turns a schedule that is regular without it
/// into a degenerate one ([`degenerate_row`]). `without` computes the rows without the
/// multiple; it is only called when the schedule with it is degenerate.
pub(crate) fn check_multiple_fits(
    terms: &LoanTerms,
    with: impl ExactSizeIterator<Item = (i128, i128)>,
    without: impl FnOnce() -> Result<Vec<(i128, i128)>>,
) -> Result<()> {
    let Some(multiple) = terms.rounding.installment_multiple else {
        return Ok(());
    };
    let Some((row, what)) = degenerate_row(terms.grace.principal, with) else {
        return Ok(());
    };
    // A loan too small for its tenor is degenerate anyway: not the multiple's doing.
    if degenerate_row(terms.grace.principal, without()?.into_iter()).is_some() {
        return Ok(());
    }
    Err(crate::Error::InstallmentMultipleTooLarge {
        multiple,
        installments: terms.installments,
        row,
        what,
    })
}

/// What the amortisation aims at in each row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// Compute from the method (annuity payment, principal ÷ rows).
    Compute,
    /// Keep this installment (annuity, reduce-tenor prepayment).
    Installment(i128),
    /// Keep this principal part (flat and equal principal, reduce-tenor prepayment).
    Principal(i128),
}

/// One computed row, in sen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawRow {
    pub(crate) start: NaiveDate,
    pub(crate) due: NaiveDate,
    pub(crate) principal: i128,
    pub(crate) interest: i128,
    /// The period's own interest (before deferral), earned over the period.
    pub(crate) regular: i128,
    pub(crate) balance: i128,
}

#[allow(
    clippy::too_many_arguments,
    reason = "internal engine entry, called from two places"
)]
/// The core amortisation: `balance` over `periods`, grace counted from the first period.
/// `flat_base` is the principal flat interest is charged on.
pub(crate) fn amortize(
    params: &Params,
    balance: i128,
    flat_base: i128,
    periods: &[(NaiveDate, NaiveDate)],
    grace: Grace,
    target: Target,
    initial_deferred: i128,
    out: &mut Vec<RawRow>,
) -> Result<Option<i128>> {
    let n = periods.len();
    let g_principal = usize::try_from(grace.principal)
        .unwrap_or(usize::MAX)
        .min(n);
    let g_interest = usize::try_from(grace.interest).unwrap_or(usize::MAX).min(n);
    let free = usize::try_from(grace.interest_free)
        .unwrap_or(usize::MAX)
        .min(n);
    let amortizing =
        i128::try_from(n.saturating_sub(g_principal)).map_err(|_| overflow("amortize"))?;
    let step = params.step;
    let mode = params.mode;
    let mut bal = balance;
    let mut deferred = initial_deferred;
    let mut level: Option<i128> = match target {
        Target::Compute => None,
        Target::Installment(a) | Target::Principal(a) => Some(a),
    };
    let periodic = params.periodic.prepared(step, mode);
    out.reserve(n);
    for (idx, &(start, due)) in periods.iter().enumerate() {
        // interest of the period
        let base = if params.method == Method::Flat {
            flat_base
        } else {
            bal
        };
        let mut interest = if idx < free || base == 0 {
            0
        } else {
            match params.interest_period {
                InterestPeriod::Daily(dc) => params
                    .annual
                    .mul(year_fraction(start, due, dc)?)?
                    .apply(base, step, mode)?,
                _ => periodic.apply(base)?,
            }
        };
        let regular = interest;
        if idx < g_interest {
            deferred = crate::money::add(deferred, interest)?;
            interest = 0;
        } else if deferred != 0 {
            interest = crate::money::add(interest, deferred)?;
            deferred = 0;
        }
        // principal of the period
        let last = idx.saturating_add(1) == n;
        let mut principal = if last {
            bal
        } else if idx < g_principal {
            0
        } else {
            let lvl = if let Some(l) = level {
                l
            } else {
                let l = level_amount(params, bal, amortizing)?;
                level = Some(l);
                l
            };
            match (params.method, target) {
                (Method::Annuity, Target::Compute) | (_, Target::Installment(_)) => {
                    sub(lvl, regular)?
                }
                _ => match params.multiple {
                    Some((m, how)) => {
                        sub(round_to(crate::money::add(lvl, regular)?, m, how)?, regular)?
                    }
                    None => lvl,
                },
            }
        };
        principal = principal.clamp(0, bal);
        bal = sub(bal, principal)?;
        out.push(RawRow {
            start,
            due,
            principal,
            interest,
            regular,
            balance: bal,
        });
    }
    Ok(level)
}

/// The level amount: the annuity installment, or the principal part of flat and
/// equal-principal loans, rounded under the schedule's policy (annuity: then to the multiple).
fn level_amount(params: &Params, bal: i128, rows: i128) -> Result<i128> {
    let rows = rows.max(1);
    let step = params.step;
    match params.method {
        Method::Annuity => {
            let a = if params.periodic.is_zero() {
                let exact = Decimal::from_i128_with_scale(bal, 0)
                    .checked_div(Decimal::from_i128_with_scale(rows, 0))
                    .ok_or_else(|| overflow("annuity"))?;
                crate::money::div_round_decimal(exact, step, params.mode)?
            } else {
                match crate::annuity::annuity_rounded(bal, params.periodic, rows, step, params.mode)
                {
                    Some(a) => a,
                    None => annuity_reference(bal, params.periodic, rows, step, params.mode)?,
                }
            };
            match params.multiple {
                Some((m, how)) => round_to(a, m, how),
                None => Ok(a),
            }
        }
        _ => crate::money::mul_div_round(bal, 1, rows, step, params.mode),
    }
}

/// The reference annuity installment: [`annuity_exact`] rounded to a multiple of `step` sen.
/// [`annuity_rounded`](crate::annuity::annuity_rounded) returns the same amount without the
/// `Decimal` power whenever it can prove it is the same.
pub(crate) fn annuity_reference(
    bal: i128,
    periodic: Ratio,
    rows: i128,
    step: i128,
    mode: RoundingMode,
) -> Result<i128> {
    crate::money::div_round_decimal(annuity_exact(bal, periodic, rows)?, step, mode)
}

/// `bal × i / (1 − (1 + i)^−n)` in sen, unrounded (28-digit `Decimal`).
fn annuity_exact(bal: i128, periodic: Ratio, rows: i128) -> Result<Decimal> {
    let err = || overflow("annuity");
    let i = periodic.to_decimal()?;
    let b = Decimal::try_from_i128_with_scale(bal, 0).map_err(|_| err())?;
    let bi = b.checked_mul(i).ok_or_else(err)?;
    let n = u32::try_from(rows).map_err(|_| err())?;
    match Decimal::ONE.checked_add(i).and_then(|x| pow(x, n)) {
        // (1+i)^n beyond 10^20: f / (f − 1) is 1 to far below a sen.
        Some(f) if f < Decimal::from_i128_with_scale(100_000_000_000_000_000_000, 0) => {
            let d = f.checked_sub(Decimal::ONE).ok_or_else(err)?;
            bi.checked_mul(f)
                .and_then(|x| x.checked_div(d))
                .or_else(|| bi.checked_div(d).and_then(|x| x.checked_mul(f)))
                .ok_or_else(err)
        }
        _ => Ok(bi),
    }
}

/// The rows of a new loan without grace, with interest per repayment period and every amount
/// in 64 bits (nearly every loan), straight from the terms: the same dates as [`periods`] and
/// the same arithmetic as [`amortize`] followed by [`to_rows`], without `i128` amounts or the
/// intermediate vectors. `None` for any other loan, an amount beyond 64 bits or any error: the
/// general engine then computes the schedule (and reports its errors in the same order as
/// ever). `prop_plain_schedule_equals_general` checks the two agree.
fn schedule_plain<C: HolidayCalendar + ?Sized>(
    terms: &LoanTerms,
    params: &Params,
    calendar: &C,
) -> Option<Vec<ScheduledInstallment>> {
    if terms.grace != Grace::NONE || params.interest_period != InterestPeriod::Repayment {
        return None;
    }
    let loan = terms.principal.to_sen();
    let p = u64::try_from(loan).ok()?;
    let rate = params.periodic.prepared(params.step, params.mode);
    let n = usize::try_from(terms.installments).ok()?;
    let rows_i128 = i128::try_from(n).ok()?;
    let flat = params.method == Method::Flat;
    let by_installment = params.method == Method::Annuity;
    // the level amount, computed (as in `amortize`) at the first row that is not the last
    let mut level: Option<u64> = None;
    let cv = |x: u64| i64::try_from(x).ok().map(Rupiah::from_sen);
    let mut months = DueMonths::new(terms);
    let mut start = terms.disbursement;
    let mut rows = Vec::with_capacity(n);
    let mut bal = p;
    let mut last_installment = (0_u64, Rupiah::ZERO);
    let mut number = 1_u32;
    for idx in 0..n {
        let nominal = months.next_nominal()?;
        let due = match terms.first_due {
            FirstDue::DayOfMonth(day) => calendar
                .due_date(nominal.year(), nominal.month(), day)
                .ok()?,
            _ => calendar.next_business_day(nominal).ok()?,
        };
        let base = if flat { p } else { bal };
        let interest = if base == 0 { 0 } else { rate.apply_u64(base)? };
        let principal = if idx.saturating_add(1) == n {
            bal
        } else {
            let level = match level {
                Some(l) => l,
                None => {
                    *level.insert(u64::try_from(level_amount(params, loan, rows_i128).ok()?).ok()?)
                }
            };
            if by_installment {
                // level − interest, clamped at zero (below) as in `amortize`
                level.saturating_sub(interest)
            } else {
                match params.multiple {
                    Some((m, how)) => {
                        let total = i128::from(level).saturating_add(i128::from(interest));
                        let v = sub(round_to(total, m, how).ok()?, i128::from(interest)).ok()?;
                        if v < 0 { 0 } else { u64::try_from(v).ok()? }
                    }
                    None => level,
                }
            }
        }
        .min(bal);
        bal = bal.saturating_sub(principal);
        let installment = principal.checked_add(interest)?;
        if installment != last_installment.0 || number == 1 {
            last_installment = (installment, cv(installment)?);
        }
        rows.push(ScheduledInstallment {
            number,
            period_start: start,
            due_date: due,
            principal: cv(principal)?,
            interest: cv(interest)?,
            installment: last_installment.1,
            balance: cv(bal)?,
        });
        start = due;
        number = number.saturating_add(1);
    }
    Some(rows)
}

pub(crate) fn to_rows(raw: &[RawRow], first_number: u32) -> Result<Vec<ScheduledInstallment>> {
    // Every amount is bounded by the loan amount plus its interest; check the largest once,
    // then convert without a fallible path per field.
    let mut max = 0_i128;
    for r in raw {
        let inst = crate::money::add(r.principal, r.interest)?;
        max = max
            .max(inst)
            .max(r.balance)
            .max(r.principal.abs())
            .max(r.interest.abs());
    }
    if i64::try_from(max).is_err() {
        return to_rows_wide(raw, first_number);
    }
    let cv = |x: i128| Rupiah::from_sen(i64::try_from(x).unwrap_or_default());
    let mut rows = Vec::with_capacity(raw.len());
    let mut number = first_number;
    // an annuity's installments repeat: convert each distinct one once
    let mut last_installment = (0_i128, Rupiah::ZERO);
    for r in raw {
        let inst = r.principal.saturating_add(r.interest);
        if inst != last_installment.0 {
            last_installment = (inst, cv(inst));
        }
        rows.push(ScheduledInstallment {
            number,
            period_start: r.start,
            due_date: r.due,
            principal: cv(r.principal),
            interest: cv(r.interest),
            installment: last_installment.1,
            balance: cv(r.balance),
        });
        number = number.saturating_add(1);
    }
    Ok(rows)
}

fn to_rows_wide(raw: &[RawRow], first_number: u32) -> Result<Vec<ScheduledInstallment>> {
    let mut rows = Vec::with_capacity(raw.len());
    let mut number = first_number;
    for r in raw {
        rows.push(ScheduledInstallment {
            number,
            period_start: r.start,
            due_date: r.due,
            principal: rp(r.principal)?,
            interest: rp(r.interest)?,
            installment: rp(crate::money::add(r.principal, r.interest)?)?,
            balance: rp(r.balance)?,
        });
        number = number.saturating_add(1);
    }
    Ok(rows)
}

impl LoanTerms {
    /// The repayment schedule, with every day a working day.
    ///
    /// # Errors
    /// As [`validate`](LoanTerms::validate); [`Error::InstallmentMultipleTooLarge`] when the
    /// installment multiple makes a regular installment repay no principal or the whole loan
    /// early (a loan too small for its tenor is not the multiple's doing and is not
    /// rejected); [`Error::Core`] on overflow or a date beyond the calendar's range.
    pub fn schedule(&self) -> Result<Schedule> {
        self.schedule_in(&NoHolidays)
    }

    /// The repayment schedule, due dates moved to the next working day of `calendar`.
    ///
    /// ```
    /// use koperasi_core::{chrono::NaiveDate, Holidays, Rate, Rupiah, Decimal};
    /// use koperasi_savings_loans::{FirstDue, LoanTerms, Method};
    ///
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let terms = LoanTerms::new(Rupiah::from_rupiah(6_000_000), Rate::per_year(Decimal::from(6))?,
    ///     6, Method::EqualPrincipal, d(2025, 9, 1))
    ///     .with_first_due(FirstDue::DayOfMonth(12));
    /// let s = terms.schedule_with(&Holidays::weekends())?;
    /// // 12 October 2025 is a Sunday: due on Monday the 13th.
    /// assert_eq!(s.installments()[0].due_date, d(2025, 10, 13));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`schedule`](LoanTerms::schedule), and [`Error::Core`] with
    /// `koperasi_core::Error::NoBusinessDay` for a calendar without working days.
    pub fn schedule_with(&self, calendar: &dyn HolidayCalendar) -> Result<Schedule> {
        self.schedule_in(calendar)
    }

    fn schedule_in<C: HolidayCalendar + ?Sized>(&self, calendar: &C) -> Result<Schedule> {
        let params = self.params()?;
        let s = if let Some(rows) = schedule_plain(self, &params, calendar) {
            Schedule::from_rows(self.principal, self.every_months, rows)
        } else {
            let periods = periods(self, calendar)?;
            self.schedule_general(&params, &periods)?
        };
        check_multiple_fits(
            self,
            s.installments()
                .iter()
                .map(|r| (r.principal.to_sen(), r.balance.to_sen())),
            || {
                let mut plain = self.clone();
                plain.rounding.installment_multiple = None;
                Ok(plain
                    .schedule_in(calendar)?
                    .installments()
                    .iter()
                    .map(|r| (r.principal.to_sen(), r.balance.to_sen()))
                    .collect())
            },
        )?;
        Ok(s)
    }

    /// The schedule through the general engine ([`amortize`] and [`to_rows`]).
    pub(crate) fn schedule_general(
        &self,
        params: &Params,
        periods: &[(NaiveDate, NaiveDate)],
    ) -> Result<Schedule> {
        let p = self.principal.to_sen();
        let mut raw = Vec::with_capacity(periods.len());
        amortize(
            params,
            p,
            p,
            periods,
            self.grace,
            Target::Compute,
            0,
            &mut raw,
        )?;
        Ok(Schedule::from_rows(
            self.principal,
            self.every_months,
            to_rows(&raw, 1)?,
        ))
    }
}
