//! The annuity payment without 28-digit `Decimal` powers, when that is provably the same.
//!
//! The reference computation (`schedule::annuity_reference`) evaluates
//! `V = bal × i / (1 − (1 + i)^−n)` in `Decimal` (28 significant digits, `(1 + i)^n` by
//! squaring) and rounds `V` to the schedule's step. That costs a few thousand instructions per
//! schedule, mostly `Decimal` rescaling.
//!
//! This fast path encloses the exact `V` in an interval `[lo, hi]` with 64-bit binary floats
//! rounded outwards (every operation on the lower bound rounds down, on the upper bound up, so
//! `lo ≤ V ≤ hi` is guaranteed, not estimated). It then widens the interval by a relative
//! 2⁻⁵⁰ (≈ 8.9 × 10⁻¹⁶) to cover the reference's own error, and rounds both ends. Rounding is
//! monotone in every mode, so if both ends round to the same multiple, so does every value in
//! between, the reference's `Decimal` result included. Otherwise (`V` within ~10⁻¹⁵ of a
//! rounding boundary, e.g. exactly on one) it returns `None` and the caller uses the reference.
//!
//! # Why 2⁻⁵⁰ covers the reference's error
//!
//! Inside the domain accepted here — `i ≥ 10⁻⁶`, `0 < bal < 2⁶⁴`, numerator and denominator
//! of `i` below 2⁶⁴, at most [`MAX_INSTALLMENTS`] periods and
//! `(1 + i)^n < 2⁶²` — every `Decimal` operation of the reference stays below 2⁹⁶ (no
//! overflow branch, no `f ≥ 10²⁰` branch) and rounds to ≥ 28 significant digits or to the 28th
//! decimal:
//! * `i` has an absolute error ≤ 10⁻²⁸ below 1 and a relative one ≤ 1.3 × 10⁻²⁸ above, i.e. a
//!   relative error ≤ 10⁻²² (`i ≥ 10⁻⁶`);
//! * `1 + i` and the ≤ 20 products of the power by squaring (n ≤ 600) each add a relative error
//!   ≤ 1.3 × 10⁻²⁸, so `f = (1+i)^n` is off by ≤ 3 × 10⁻²⁷ relative;
//! * `f − 1 ≥ n·i ≥ 10⁻⁶` so that error is at most ~3 × 10⁻²¹ relative to `f − 1`;
//! * the product and quotient (either order) add ≤ 3 × 10⁻²⁸;
//! * an error of `i` alone moves `V` by ≤ (1 + n)·10⁻²² relative.
//!
//! The total, ≤ 10⁻¹⁸ relative, is a thousand times smaller than the 2⁻⁵⁰ margin.
//! `prop_annuity_fast_path_equals_decimal` checks the equality on random loans, and
//! `annuity_fast_path_declines_on_a_boundary` the fallback on exact boundaries.

use koperasi_core::RoundingMode;

use crate::money::{Ratio, div_round};
use crate::terms::MAX_INSTALLMENTS;

/// Rounding direction of a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Down,
    Up,
}

/// A positive binary float `m × 2^e` with `2⁶³ ≤ m < 2⁶⁴`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bf {
    m: u64,
    e: i32,
}

impl Bf {
    /// `x × 2^e` (`x > 0`) rounded to 64 bits in direction `dir`.
    fn new(x: u128, e: i32, dir: Dir) -> Option<Bf> {
        if x == 0 {
            return None;
        }
        let bits = 128_u32.checked_sub(x.leading_zeros())?;
        if let Some(s) = 64_u32.checked_sub(bits) {
            // fits: shift left, exact
            let m = u64::try_from(x.checked_shl(s)?).ok()?;
            return Some(Bf {
                m,
                e: e.checked_sub(i32::try_from(s).ok()?)?,
            });
        }
        let s = bits.checked_sub(64)?;
        let m = u64::try_from(x.checked_shr(s)?).ok()?;
        let e = e.checked_add(i32::try_from(s).ok()?)?;
        let lost = x.checked_shl(128_u32.checked_sub(s)?).unwrap_or(0) != 0;
        if dir == Dir::Up && lost {
            match m.checked_add(1) {
                Some(m) => Some(Bf { m, e }),
                // m was 2⁶⁴ − 1: the next float up is 2⁶³ × 2^(e+1)
                None => Some(Bf {
                    m: 1 << 63,
                    e: e.checked_add(1)?,
                }),
            }
        } else {
            Some(Bf { m, e })
        }
    }

    /// `self × o`, rounded in direction `dir`.
    fn mul(self, o: Bf, dir: Dir) -> Option<Bf> {
        let p = u128::from(self.m).checked_mul(u128::from(o.m))?;
        Bf::new(p, self.e.checked_add(o.e)?, dir)
    }

    /// `self / o`, rounded in direction `dir`.
    fn div(self, o: Bf, dir: Dir) -> Option<Bf> {
        // self.m × 2⁶⁴ / o.m lies in (2⁶³, 2⁶⁵); a sticky bit below it keeps the rounding
        // direction exact.
        let n = u128::from(self.m).checked_shl(64)?;
        let d = u128::from(o.m);
        let q = n.checked_div(d)?;
        let sticky = u128::from(n.checked_rem(d)? != 0);
        let q2 = q.checked_shl(1)? | sticky;
        let e = self.e.checked_sub(o.e)?.checked_sub(65)?;
        Bf::new(q2, e, dir)
    }

    /// `self × 2⁶⁴` as an integer, if `1 ≤ self < 2⁶²` (exact).
    fn fixed_64(self) -> Option<u128> {
        // self = m × 2^e with m ≥ 2⁶³: 1 ≤ self < 2⁶² means −63 ≤ e ≤ −2.
        if !(-63..=-2).contains(&self.e) {
            return None;
        }
        let s = u32::try_from(self.e.checked_add(64)?).ok()?;
        u128::from(self.m).checked_shl(s)
    }

    /// `self − 1` for `1 < self < 2⁶²`, rounded in direction `dir`.
    fn minus_one(self, dir: Dir) -> Option<Bf> {
        let f = self.fixed_64()?;
        Bf::new(f.checked_sub(1 << 64)?, -64, dir)
    }

    /// `self^n` by squaring, every product rounded in direction `dir`.
    fn pow(self, mut n: u32, dir: Dir) -> Option<Bf> {
        let mut result: Option<Bf> = None;
        let mut b = self;
        while n > 0 {
            if n & 1 == 1 {
                result = Some(match result {
                    None => b,
                    Some(r) => r.mul(b, dir)?,
                });
            }
            n >>= 1;
            if n > 0 {
                b = b.mul(b, dir)?;
            }
        }
        result
    }
}

/// `m × 2^e` (`m > 0`) rounded under `mode` to a multiple of `step` sen.
fn round_scaled(m: u128, e: i32, step: i128, mode: RoundingMode) -> Option<i128> {
    let m = i128::try_from(m).ok()?;
    let q = if e >= 0 {
        // m < 2⁶⁵, so m × 2^e fits for e ≤ 60
        if e > 60 {
            return None;
        }
        div_round(m.checked_shl(u32::try_from(e).ok()?)?, step, mode).ok()?
    } else {
        let s = u32::try_from(e.checked_neg()?).ok()?;
        if s > 120 {
            return None;
        }
        let den = step.checked_mul(1_i128.checked_shl(s)?)?;
        div_round(m, den, mode).ok()?
    };
    q.checked_mul(step)
}

/// The annuity installment `bal × i / (1 − (1 + i)^−rows)` rounded under `mode` to a multiple
/// of `step` sen — exactly the reference `Decimal` computation's result — or `None` when the
/// loan is outside the fast path's domain or too close to a rounding boundary to decide.
pub(crate) fn annuity_rounded(
    bal: i128,
    periodic: Ratio,
    rows: i128,
    step: i128,
    mode: RoundingMode,
) -> Option<i128> {
    // domain (see the module docs)
    let bal = u64::try_from(bal).ok().filter(|b| *b > 0)?;
    let a = u64::try_from(periodic.num).ok().filter(|a| *a > 0)?;
    let b = u64::try_from(periodic.den).ok().filter(|b| *b > 0)?;
    if u128::from(a).checked_mul(1_000_000)? < u128::from(b) {
        return None;
    }
    let n = u32::try_from(rows)
        .ok()
        .filter(|n| (1..=MAX_INSTALLMENTS).contains(n))?;
    if step <= 0 {
        return None;
    }
    let (down, up) = (Dir::Down, Dir::Up);
    // x = 1 + i = (a + b) / b
    let ab = u128::from(a).checked_add(u128::from(b))?;
    let bd = Bf::new(u128::from(b), 0, down)?; // exact: b < 2⁶⁴
    let x_lo = Bf::new(ab, 0, down)?.div(bd, down)?;
    let x_hi = Bf::new(ab, 0, up)?.div(bd, up)?;
    // f = x^n; the domain ends at f < 2⁶² (checked by minus_one)
    let f_lo = x_lo.pow(n, down)?;
    let f_hi = x_hi.pow(n, up)?;
    // g = f / (f − 1) falls as f grows
    let g_hi = f_lo.div(f_lo.minus_one(down)?, up)?;
    let g_lo = f_hi.div(f_hi.minus_one(up)?, down)?;
    // bal × i = bal × a / b
    let ba = u128::from(bal).checked_mul(u128::from(a))?;
    let bi_lo = Bf::new(ba, 0, down)?.div(bd, down)?;
    let bi_hi = Bf::new(ba, 0, up)?.div(bd, up)?;
    let v_lo = bi_lo.mul(g_lo, down)?;
    let v_hi = bi_hi.mul(g_hi, up)?;
    // widen by 2⁻⁵⁰ relative for the reference's own error
    let lo = u128::from(v_lo.m)
        .checked_sub(u128::from(v_lo.m >> 50))?
        .checked_sub(1)?;
    let hi = u128::from(v_hi.m)
        .checked_add(u128::from(v_hi.m >> 50))?
        .checked_add(1)?;
    let r_lo = round_scaled(lo, v_lo.e, step, mode)?;
    let r_hi = round_scaled(hi, v_hi.e, step, mode)?;
    (r_lo == r_hi).then_some(r_lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bf_rounds_outwards() {
        let x = (1_u128 << 70) + 1;
        let lo = Bf::new(x, 0, Dir::Down).unwrap();
        let hi = Bf::new(x, 0, Dir::Up).unwrap();
        assert_eq!(lo, Bf { m: 1 << 63, e: 7 });
        assert_eq!(
            hi,
            Bf {
                m: (1 << 63) + 1,
                e: 7
            }
        );
        let exact = Bf::new(12_000, 0, Dir::Up).unwrap();
        assert_eq!(exact, Bf::new(12_000, 0, Dir::Down).unwrap());
        // carry out of the mantissa
        let all = Bf::new((u128::from(u64::MAX) << 1) | 1, 0, Dir::Up).unwrap();
        assert_eq!(all, Bf { m: 1 << 63, e: 2 });
        // 1/3 brackets
        let one = Bf::new(1, 0, Dir::Down).unwrap();
        let three = Bf::new(3, 0, Dir::Down).unwrap();
        let a = one.div(three, Dir::Down).unwrap();
        let b = one.div(three, Dir::Up).unwrap();
        assert_eq!(b.m - a.m, 1);
        // a = m_a × 2^e ≤ 1/3 ≤ m_b × 2^e, i.e. 3 m_a ≤ 2^−e ≤ 3 m_b
        assert_eq!((a.e, b.e), (-65, -65));
        let unit = 1_u128 << 65;
        assert!(3 * u128::from(a.m) <= unit && unit <= 3 * u128::from(b.m));
    }

    #[test]
    fn pow_brackets() {
        let x = Bf::new(3, 0, Dir::Down).unwrap();
        assert_eq!(x.pow(5, Dir::Down), Bf::new(243, 0, Dir::Down));
        assert_eq!(x.pow(5, Dir::Up), Bf::new(243, 0, Dir::Down));
        assert_eq!(x.pow(0, Dir::Up), None);
    }
}
