//! Integer helpers: amounts in sen (`i128`), exact rational rates, rounding of quotients.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, RoundingMode, Rupiah};

use crate::{Error, Result};

pub(crate) fn overflow(op: &'static str) -> Error {
    Error::Core(koperasi_core::Error::Overflow { op })
}

/// `n / d` rounded to a whole number under `mode` (`d > 0`). Symmetric around zero.
pub(crate) fn div_round(n: i128, d: i128, mode: RoundingMode) -> Result<i128> {
    if d <= 0 {
        return Err(Error::Core(koperasi_core::Error::DivisionByZero {
            op: "div_round",
        }));
    }
    // Fast path: 64-bit division is native; 128-bit division is a library call.
    if let (Ok(n64), Ok(d64)) = (i64::try_from(n), i64::try_from(d)) {
        return div_round_64(n64, d64, mode).map(i128::from);
    }
    let q = n.checked_div(d).ok_or_else(|| overflow("div_round"))?;
    let r = n.checked_rem(d).ok_or_else(|| overflow("div_round"))?;
    if r == 0 {
        return Ok(q);
    }
    let away = rounds_away(mode, r.unsigned_abs(), d.unsigned_abs(), q % 2 != 0);
    let sign = if r < 0 { -1 } else { 1 };
    Ok(if away { q.saturating_add(sign) } else { q })
}

/// Whether a quotient with remainder magnitude `r` (non-zero) over divisor magnitude `d`
/// moves one unit away from zero under `mode`; `odd` is the truncated quotient's parity.
fn rounds_away(mode: RoundingMode, r: u128, d: u128, odd: bool) -> bool {
    let twice = r.saturating_mul(2);
    match mode {
        RoundingMode::Down => false,
        RoundingMode::Up => true,
        RoundingMode::HalfEven => twice > d || (twice == d && odd),
        _ => twice >= d,
    }
}

fn div_round_64(n: i64, d: i64, mode: RoundingMode) -> Result<i64> {
    let q = n.checked_div(d).ok_or_else(|| overflow("div_round"))?;
    let r = n.checked_rem(d).ok_or_else(|| overflow("div_round"))?;
    if r == 0 {
        return Ok(q);
    }
    let away = rounds_away(
        mode,
        u128::from(r.unsigned_abs()),
        u128::from(d.unsigned_abs()),
        q % 2 != 0,
    );
    let sign = if r < 0 { -1 } else { 1 };
    Ok(if away { q.saturating_add(sign) } else { q })
}

/// `date` plus `months` months, clamped to the month's end (as `koperasi_core::add_months`,
/// without its general machinery).
pub(crate) fn add_months_clamped(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let m0 = date.month0().checked_add(months)?;
    let year = date.year().checked_add(i32::try_from(m0 / 12).ok()?)?;
    month_day_clamped(year, (m0 % 12).saturating_add(1), date.day())
}

/// `year-month-day`, the day clamped to the month's end.
#[inline]
pub(crate) fn month_day_clamped(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if day <= 28 {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    let mut day = day;
    loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
            return Some(d);
        }
        day = day.checked_sub(1)?;
        if day < 28 {
            return None;
        }
    }
}

/// `value` (sen) rounded to a multiple of `step` (sen, > 0).
pub(crate) fn round_to(value: i128, step: i128, mode: RoundingMode) -> Result<i128> {
    div_round(value, step, mode)?
        .checked_mul(step)
        .ok_or_else(|| overflow("round_to"))
}

/// `a × b / d` rounded to a multiple of `step` sen.
pub(crate) fn mul_div_round(
    a: i128,
    b: i128,
    d: i128,
    step: i128,
    mode: RoundingMode,
) -> Result<i128> {
    // Fast path: everything in 64 bits (every realistic loan).
    if let (Ok(a64), Ok(b64), Ok(d64), Ok(s64)) = (
        i64::try_from(a),
        i64::try_from(b),
        i64::try_from(d),
        i64::try_from(step),
    ) && let (Some(n), Some(dd)) = (a64.checked_mul(b64), d64.checked_mul(s64))
        && dd > 0
    {
        return div_round_64(n, dd, mode)?
            .checked_mul(s64)
            .map(i128::from)
            .ok_or_else(|| overflow("mul_div_round"));
    }
    let n = a.checked_mul(b).ok_or_else(|| overflow("mul_div_round"))?;
    let dd = d
        .checked_mul(step)
        .ok_or_else(|| overflow("mul_div_round"))?;
    div_round(n, dd, mode)?
        .checked_mul(step)
        .ok_or_else(|| overflow("mul_div_round"))
}

pub(crate) fn rp(sen: i128) -> Result<Rupiah> {
    Ok(Rupiah::try_from_sen_i128(sen)?)
}

pub(crate) fn add(a: i128, b: i128) -> Result<i128> {
    a.checked_add(b).ok_or_else(|| overflow("add"))
}

pub(crate) fn sub(a: i128, b: i128) -> Result<i128> {
    a.checked_sub(b).ok_or_else(|| overflow("sub"))
}

/// A non-negative rational number `num / den` (`den > 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub(crate) num: i128,
    pub(crate) den: i128,
}

impl Ratio {
    pub(crate) fn mul(self, other: Ratio) -> Result<Ratio> {
        Ok(Ratio {
            num: self
                .num
                .checked_mul(other.num)
                .ok_or_else(|| overflow("Ratio::mul"))?,
            den: self
                .den
                .checked_mul(other.den)
                .ok_or_else(|| overflow("Ratio::mul"))?,
        })
    }

    pub(crate) fn is_zero(self) -> bool {
        self.num == 0
    }

    /// `sen × self`, rounded to a multiple of `step` sen.
    pub(crate) fn apply(self, sen: i128, step: i128, mode: RoundingMode) -> Result<i128> {
        mul_div_round(sen, self.num, self.den, step, mode)
    }

    /// `self` prepared for many [`apply`](Ratio::apply)s with the same step and mode.
    pub(crate) fn prepared(self, step: i128, mode: RoundingMode) -> PreparedRatio {
        let fast = match (
            u64::try_from(self.num),
            self.den.checked_mul(step).map(u64::try_from),
            u64::try_from(step),
        ) {
            (Ok(num), Some(Ok(den)), Ok(step)) if den > 0 => Some((num, den, step)),
            _ => None,
        };
        PreparedRatio {
            ratio: self,
            step,
            mode,
            fast,
        }
    }

    pub(crate) fn to_decimal(self) -> Result<Decimal> {
        Decimal::from_i128_with_scale(self.num, 0)
            .checked_div(Decimal::from_i128_with_scale(self.den, 0))
            .ok_or_else(|| overflow("Ratio::to_decimal"))
    }
}

/// A [`Ratio`] with a step and mode, for applying it to many amounts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PreparedRatio {
    ratio: Ratio,
    step: i128,
    mode: RoundingMode,
    /// `num`, `den × step` and `step` when they fit 64 bits.
    fast: Option<(u64, u64, u64)>,
}

impl PreparedRatio {
    /// `sen × ratio`, rounded to a multiple of `step` sen: [`Ratio::apply`], with one native
    /// 64-bit division for non-negative amounts (`prop_prepared_ratio_equals_apply`).
    #[inline]
    pub(crate) fn apply(&self, sen: i128) -> Result<i128> {
        if let Ok(s) = u64::try_from(sen)
            && let Some(v) = self.apply_u64(s)
        {
            return Ok(i128::from(v));
        }
        self.ratio.apply(sen, self.step, self.mode)
    }

    /// [`apply`](PreparedRatio::apply) in 64 bits; `None` if anything does not fit.
    #[inline]
    pub(crate) fn apply_u64(&self, sen: u64) -> Option<u64> {
        let (num, den, step) = self.fast?;
        let n = sen.checked_mul(num)?;
        let q = n.checked_div(den)?;
        let r = n.checked_rem(den)?;
        let away = r != 0
            && match self.mode {
                RoundingMode::Down => false,
                RoundingMode::Up => true,
                RoundingMode::HalfEven => {
                    let twice = u128::from(r).saturating_mul(2);
                    twice > u128::from(den) || (twice == u128::from(den) && q % 2 != 0)
                }
                _ => u128::from(r).saturating_mul(2) >= u128::from(den),
            };
        let q = if away { q.checked_add(1)? } else { q };
        q.checked_mul(step)
    }
}

/// A percentage as an exact fraction: `percent / 100`.
pub(crate) fn percent_ratio(percent: Decimal, max_scale: u32) -> Option<Ratio> {
    let p = percent.normalize();
    if p.is_sign_negative() && !p.is_zero() {
        return None;
    }
    let scale = p.scale();
    if scale > max_scale {
        return None;
    }
    let den = 10_i128.checked_pow(scale)?.checked_mul(100)?;
    Some(Ratio {
        num: p.mantissa(),
        den,
    })
}

/// Validates a percentage in `0..=100`.
pub(crate) fn check_percent(what: &'static str, percent: Decimal) -> Result<Ratio> {
    match percent_ratio(percent, 10) {
        Some(r) if percent <= Decimal::ONE_HUNDRED => Ok(r),
        _ => Err(Error::InvalidPercent { what, percent }),
    }
}

/// Days from `a` to `b` (may be negative).
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

pub(crate) fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// 30/360 (US bond basis) day count between two dates.
pub(crate) fn days_30_360(a: NaiveDate, b: NaiveDate) -> i64 {
    let (y1, m1, mut d1) = (
        i64::from(a.year()),
        i64::from(a.month()),
        i64::from(a.day()),
    );
    let (y2, m2, mut d2) = (
        i64::from(b.year()),
        i64::from(b.month()),
        i64::from(b.day()),
    );
    if d1 == 31 {
        d1 = 30;
    }
    if d2 == 31 && d1 == 30 {
        d2 = 30;
    }
    y2.saturating_sub(y1)
        .saturating_mul(360)
        .saturating_add(m2.saturating_sub(m1).saturating_mul(30))
        .saturating_add(d2.saturating_sub(d1))
}

/// A decimal number of sen rounded to a multiple of `step` sen.
pub(crate) fn div_round_decimal(value: Decimal, step: i128, mode: RoundingMode) -> Result<i128> {
    let s = value.scale();
    let den = 10_i128
        .checked_pow(s)
        .and_then(|p| p.checked_mul(step))
        .ok_or_else(|| overflow("div_round_decimal"))?;
    div_round(value.mantissa(), den, mode)?
        .checked_mul(step)
        .ok_or_else(|| overflow("div_round_decimal"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div_round_modes() {
        assert_eq!(div_round(5, 2, RoundingMode::HalfUp).unwrap(), 3);
        assert_eq!(div_round(5, 2, RoundingMode::HalfEven).unwrap(), 2);
        assert_eq!(div_round(7, 2, RoundingMode::HalfEven).unwrap(), 4);
        assert_eq!(div_round(5, 2, RoundingMode::Down).unwrap(), 2);
        assert_eq!(div_round(4, 3, RoundingMode::Up).unwrap(), 2);
        assert_eq!(div_round(-5, 2, RoundingMode::HalfUp).unwrap(), -3);
        assert!(div_round(1, 0, RoundingMode::HalfUp).is_err());
    }

    #[test]
    fn thirty_360() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(days_30_360(d(2025, 1, 31), d(2025, 2, 28)), 28);
        assert_eq!(days_30_360(d(2025, 1, 15), d(2025, 2, 15)), 30);
        assert_eq!(days_30_360(d(2025, 1, 31), d(2025, 3, 31)), 60);
    }
}
