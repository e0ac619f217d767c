//! Discounting: NPV and IRR in exact decimals (no floating point).
//!
//! * [`npv`] discounts period cash flows `flows[0]` (now), `flows[1]` (end of period 1) … at a
//!   rate per period, with Horner's rule in 28-digit decimals.
//! * [`irr`] solves `npv(r) = 0` for the rate per period: Newton's method from 1% (the
//!   derivative is computed in the same Horner pass), with a bisection fallback over
//!   (−30%, 100%) per period when Newton leaves that interval or does not settle. Flows are
//!   first scaled by a power of ten (exactly; the root does not change) so that the powers
//!   stay inside `Decimal`'s range. It stops when a step is below 10⁻¹⁸ (Newton) or the
//!   interval is narrower than 10⁻¹⁸ (bisection), and returns the rate rounded half-up to 16
//!   decimals. A flow without a sign change has no IRR (`None`). With several sign changes
//!   there may be several roots; the one reached from 1% (or the bisection's) is returned.

use koperasi_core::Decimal;

use crate::{Error, Result};

fn ov() -> Error {
    Error::Overflow { op: "discounting" }
}

/// Net present value of `flows` (`flows[0]` undiscounted) at `rate` per period (0,01 = 1%).
///
/// ```
/// use koperasi_core::Decimal;
/// use koperasi_planning::metrics::npv;
/// let flows = [Decimal::from(-100), Decimal::from(110)];
/// assert_eq!(npv(Decimal::new(10, 2), &flows)?, Decimal::ZERO);
/// # Ok::<(), koperasi_planning::Error>(())
/// ```
///
/// # Errors
/// [`Error::Overflow`] if a product leaves `Decimal`'s range, or `rate ≤ −1`.
pub fn npv(rate: Decimal, flows: &[Decimal]) -> Result<Decimal> {
    let base = Decimal::ONE.checked_add(rate).ok_or_else(ov)?;
    if base <= Decimal::ZERO {
        return Err(ov());
    }
    let v = Decimal::ONE.checked_div(base).ok_or_else(ov)?;
    let mut acc = Decimal::ZERO;
    for cf in flows.iter().rev() {
        acc = acc
            .checked_mul(v)
            .ok_or_else(ov)?
            .checked_add(*cf)
            .ok_or_else(ov)?;
    }
    Ok(acc)
}

/// `(npv, d npv / d rate)` at `rate`; `tflows[t] = t × flows[t]`.
fn npv_and_slope(
    rate: Decimal,
    flows: &[Decimal],
    tflows: &[Decimal],
) -> Option<(Decimal, Decimal)> {
    let base = Decimal::ONE.checked_add(rate)?;
    if base <= Decimal::ZERO {
        return None;
    }
    let v = Decimal::ONE.checked_div(base)?;
    let mut f = Decimal::ZERO;
    let mut t_sum = Decimal::ZERO;
    for (cf, tcf) in flows.iter().zip(tflows).rev() {
        f = f.checked_mul(v)?.checked_add(*cf)?;
        t_sum = t_sum.checked_mul(v)?.checked_add(*tcf)?;
    }
    // d/dr Σ cf_t v^t = −Σ t cf_t v^(t+1)
    let slope = Decimal::ZERO.checked_sub(t_sum.checked_mul(v)?)?;
    Some((f, slope))
}

/// Internal rate of return per period of `flows`, or `None` when the flows have no sign
/// change or no root is found in (−30%, 100%) per period.
///
/// ```
/// use koperasi_core::Decimal;
/// use koperasi_planning::metrics::irr;
/// let flows = [Decimal::from(-100), Decimal::from(110)];
/// assert_eq!(irr(&flows)?, Some(Decimal::new(10, 2)));
/// # Ok::<(), koperasi_planning::Error>(())
/// ```
///
/// # Errors
/// [`Error::Overflow`] only if the flows themselves cannot be scaled.
pub fn irr(flows: &[Decimal]) -> Result<Option<Decimal>> {
    irr_from(flows, Decimal::new(1, 2))
}

/// [`irr`] with Newton's method started from `guess` (e.g. the IRR of a neighbouring
/// scenario); the result is the same root when Newton converges to it, only found sooner.
///
/// # Errors
/// As [`irr`].
pub fn irr_from(flows: &[Decimal], guess: Decimal) -> Result<Option<Decimal>> {
    let has_pos = flows.iter().any(|c| c.is_sign_positive() && !c.is_zero());
    let has_neg = flows.iter().any(|c| c.is_sign_negative() && !c.is_zero());
    if !(has_pos && has_neg) {
        return Ok(None);
    }
    // Scale by a power of ten so the largest magnitude is below 1 (exact: only the decimal
    // exponent changes).
    let max = flows.iter().map(Decimal::abs).max().unwrap_or(Decimal::ONE);
    let digits = max
        .trunc()
        .mantissa()
        .unsigned_abs()
        .checked_ilog10()
        .map_or(0, |d| d.saturating_add(1));
    let scaled: Vec<Decimal> = flows
        .iter()
        .map(|c| {
            let mut d = *c;
            d.set_scale(c.scale().saturating_add(digits))
                .map_err(|_| ov())
                .map(|()| d)
        })
        .collect::<Result<_>>()?;
    let tflows: Vec<Decimal> = scaled
        .iter()
        .enumerate()
        .map(|(t, c)| Decimal::from(t).checked_mul(*c).ok_or_else(ov))
        .collect::<Result<_>>()?;
    let lo_bound = Decimal::new(-3, 1);
    let hi_bound = Decimal::ONE;
    let tol = Decimal::new(1, 18);
    // Newton from the guess.
    let mut r = if guess > lo_bound && guess < hi_bound {
        guess
    } else {
        Decimal::new(1, 2)
    };
    for _ in 0..60 {
        let Some((f, slope)) = npv_and_slope(r, &scaled, &tflows) else {
            break;
        };
        if slope.is_zero() {
            break;
        }
        let Some(step) = f.checked_div(slope) else {
            break;
        };
        let Some(next) = r.checked_sub(step) else {
            break;
        };
        if next <= lo_bound || next >= hi_bound {
            break;
        }
        r = next;
        if step.abs() < tol {
            return Ok(Some(crate::num::ratio_dp(r, 16)));
        }
    }
    // Bisection over (lo, hi).
    let f_at = |x: Decimal| npv(x, &scaled).ok();
    let (mut lo, mut hi) = (Decimal::new(-29_999, 5), Decimal::new(99_999, 5));
    let (Some(mut flo), Some(fhi)) = (f_at(lo), f_at(hi)) else {
        return Ok(None);
    };
    if flo.is_zero() {
        return Ok(Some(crate::num::ratio_dp(lo, 16)));
    }
    if (flo.is_sign_negative()) == (fhi.is_sign_negative()) {
        return Ok(None);
    }
    for _ in 0..200 {
        let mid = lo
            .checked_add(hi)
            .and_then(|s| s.checked_div(Decimal::TWO))
            .ok_or_else(ov)?;
        let Some(fm) = f_at(mid) else {
            return Ok(None);
        };
        if fm.is_zero() {
            return Ok(Some(crate::num::ratio_dp(mid, 16)));
        }
        if fm.is_sign_negative() == flo.is_sign_negative() {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
        if hi.checked_sub(lo).ok_or_else(ov)? < tol {
            break;
        }
    }
    Ok(Some(crate::num::ratio_dp(lo, 16)))
}
