//! Exact splitting of a total by weights.
//!
//! Two rules, both exact to the sen and both computed in integers (no division in `Decimal`,
//! whose `1/3 × 3` is `0.9999999999999999999999999999`):
//!
//! * [`split_exact`]: **largest remainder** (Hamilton). Each part first gets the whole units of
//!   its exact share `total × wᵢ / Σw`; the units left over go one each to the parts with the
//!   largest fractional remainders. **Tie-break**: among equal remainders, the part that comes
//!   first in the input wins. The parts sum exactly to the total.
//! * [`split_floor`]: each part is its exact share rounded **down** to a multiple of the step;
//!   what is left is returned separately as the **residue** (*selisih pembulatan*), for the
//!   caller to book explicitly (e.g. to cadangan). Parts + residue = total.
//!
//! Zero weights get zero. A negative weight, an empty or all-zero weight list is a typed error.
//! A negative total is split as its absolute value and negated part by part, so both rules are
//! symmetric around zero.
//!
//! # Limits
//! Weights are brought to one decimal scale and multiplied by the total in units, in 128-bit
//! integers; a product beyond 2¹²⁸ is reported as [`Error::Overflow`] (it needs, e.g., a total of
//! Rp10¹⁵ split by weights with more than 20 significant digits).

use std::num::NonZeroU64;

use rust_decimal::Decimal;

use crate::{Error, Result, Rupiah};

/// The result of [`split_floor`]: the parts and the residue left over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FloorSplit {
    /// One part per weight, in input order.
    pub parts: Vec<Rupiah>,
    /// `total − Σ parts`: non-negative for a non-negative total, and less than one step per
    /// non-zero weight.
    pub residue: Rupiah,
}

/// Splits `total` by `weights` into multiples of `unit`, largest remainder, exact.
///
/// `unit` is the granularity of the parts (Rp0,01 for sen, Rp1 for whole rupiah…); `total`
/// must be a multiple of it.
///
/// ```
/// use koperasi_core::{split_exact, Rupiah};
/// use rust_decimal::Decimal;
///
/// // Rp100 over three equal weights: 34 + 33 + 33 (first in input wins the tie).
/// let parts = split_exact(Rupiah::from_rupiah(100), &[Decimal::ONE; 3], Rupiah::ONE)?;
/// assert_eq!(parts, [34, 33, 33].map(Rupiah::from_rupiah));
/// # Ok::<(), koperasi_core::Error>(())
/// ```
///
/// Cost: when the weights (at one common scale), their sum, the products `total × wᵢ` in units
/// and the total in sen fit 64 bits, three passes over the weights, allocating only the result
/// (use [`split_exact_into`] to reuse a buffer); otherwise in 128-bit integers with
/// intermediate vectors.
///
/// # Errors
/// [`Error::InvalidStep`] for a unit ≤ 0; [`Error::NotMultipleOfUnit`]; [`Error::NoWeights`];
/// [`Error::NegativeWeight`] (with its index); [`Error::AllZeroWeights`]; [`Error::Overflow`]
/// (see the module's limits).
#[doc(alias = "pembagian")]
#[doc(alias = "largest remainder")]
pub fn split_exact(total: Rupiah, weights: &[Decimal], unit: Rupiah) -> Result<Vec<Rupiah>> {
    let mut out = Vec::new();
    split_exact_into(total, weights, unit, &mut out)?;
    Ok(out)
}

/// [`split_exact`] into a buffer the caller keeps: `out` is cleared and filled with one part
/// per weight, reusing its allocation (for repeated large splits).
///
/// The parts are exactly those of [`split_exact`]. On error, `out` is left untouched.
///
/// ```
/// use koperasi_core::{split_exact_into, Rupiah};
/// use rust_decimal::Decimal;
///
/// let mut parts = Vec::new();
/// for total in [100, 101] {
///     split_exact_into(Rupiah::from_rupiah(total), &[Decimal::ONE; 3], Rupiah::ONE, &mut parts)?;
/// }
/// assert_eq!(parts, [34, 34, 33].map(Rupiah::from_rupiah));
/// # Ok::<(), koperasi_core::Error>(())
/// ```
///
/// # Errors
/// As [`split_exact`].
#[doc(alias = "pembagian")]
pub fn split_exact_into(
    total: Rupiah,
    weights: &[Decimal],
    unit: Rupiah,
    out: &mut Vec<Rupiah>,
) -> Result<()> {
    let (unit_sen, total_sen, t) = units_of(total, unit)?;
    if let Some(fast) = Fast::new(t, weights, unit_sen, total_sen)? {
        fast.run(weights, BUCKET_BITS, out);
        return Ok(());
    }
    let parts = split_exact_reference(total, weights, unit)?;
    out.clear();
    out.extend_from_slice(&parts);
    Ok(())
}

/// `unit` and `total` in sen, and the number of units to split (`|total| / unit`).
fn units_of(total: Rupiah, unit: Rupiah) -> Result<(i128, i128, u128)> {
    let unit_sen = unit_sen(unit)?;
    let total_sen = total.to_sen();
    if total_sen.checked_rem(unit_sen) != Some(0) {
        return Err(Error::NotMultipleOfUnit {
            total: total.to_decimal(),
            unit: unit.to_decimal(),
        });
    }
    let t = total_sen
        .checked_div(unit_sen)
        .ok_or(Error::Overflow { op: "split_exact" })?
        .unsigned_abs();
    Ok((unit_sen, total_sen, t))
}

/// The straightforward largest remainder: weights converted to a vector of 128-bit integers,
/// every remainder collected and the winners selected among them. The fallback of
/// [`split_exact_into`] when its 64-bit pass does not apply, and its reference in tests
/// (`prop_split_exact_fast_path_equals_reference`).
fn split_exact_reference(total: Rupiah, weights: &[Decimal], unit: Rupiah) -> Result<Vec<Rupiah>> {
    let (unit_sen, total_sen, t) = units_of(total, unit)?;
    let (w, sum) = integer_weights(weights)?;
    let max_w = w.iter().copied().max().unwrap_or(0);
    // When every product t × wᵢ and the sum fit in 64 bits, 64-bit division suffices.
    let part = Part {
        unit_sen,
        negative: total_sen < 0,
    };
    match (u64::try_from(sum), t.checked_mul(max_w).map(u64::try_from)) {
        (Ok(sum64), Some(Ok(_))) => largest_remainder::<u64>(&w, t, sum64, part),
        _ => largest_remainder::<u128>(&w, t, sum, part),
    }
}

/// Bits of a remainder that pick its histogram bucket in [`Fast::cut`] (2,048 buckets).
const BUCKET_BITS: u32 = 11;
const BUCKET_MASK: u64 = (1 << BUCKET_BITS) - 1;

/// Powers of ten that fit a `u64`, for bringing weights to one scale.
const POW10: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// The 64-bit largest remainder, for the common case: weights whose integers at one common
/// scale fit 64 bits, as do their sum, every product `t × wᵢ` and the total in sen (totals up
/// to ~Rp10¹² in whole rupiah with weights up to ~10⁷, and much beyond).
///
/// It allocates nothing but the output and the remainders that fall in the cut's bucket (about
/// one in a thousand for varied weights; all of them when every remainder is equal). Three passes over the weights, each reading them in order:
///
/// 1. [`Fast::new`] validates them, finds the common scale, the sum and the largest weight;
/// 2. [`Fast::cut`] sums the shares' floors (giving the `left` units still to give) and counts
///    their remainders in a histogram over the remainders' top bits, which locates the bucket
///    holding the `left`-th largest remainder;
/// 3. [`Fast::run`] writes each part once: floor + 1 if its remainder's bucket is above that
///    bucket, the floor otherwise; the remainders *in* that bucket are kept and the rest of the
///    `left` units go to the largest of them (earlier index first). Buckets are ordered as the
///    remainders they hold, so the winners are exactly the reference's: the `left` largest
///    remainders, earlier index first among equals.
///
/// The division is done again in pass 3 rather than stored: it costs a few instructions per
/// weight, where scratch vectors the size of the input cost page faults and memory traffic
/// (the version with four of them spent more time in page faults than in arithmetic).
#[derive(Clone, Copy)]
struct Fast {
    /// Units to split (`|total| / unit`).
    t: u64,
    /// Sum of the integer weights: non-zero.
    sum: NonZeroU64,
    /// The common scale of the weights (the largest scale among them).
    scale: u32,
    /// The unit in sen.
    unit_sen: u64,
    /// The sign of the total.
    negative: bool,
}

/// The weight's mantissa (when its top 32 bits are zero) and scale.
#[inline]
fn unpack(w: &Decimal) -> (u64, u32, bool) {
    let u = w.unpack();
    let low = u64::from(u.mid) << 32 | u64::from(u.lo);
    (low, u.scale, u.hi == 0 && (!u.negative || low == 0))
}

impl Fast {
    /// Pass 1. `Ok(None)` if some quantity exceeds 64 bits (the reference then decides,
    /// including which error, if any); the errors returned here are those the reference
    /// returns for the same input.
    fn new(t: u128, weights: &[Decimal], unit_sen: i128, total_sen: i128) -> Result<Option<Fast>> {
        if weights.is_empty() {
            return Err(Error::NoWeights);
        }
        let mut scale = 0_u32;
        let mut sum = 0_u64;
        let mut max = 0_u64;
        for (index, w) in weights.iter().enumerate() {
            let (mut v, s, fits) = unpack(w);
            if !fits {
                if w.is_sign_negative() && !w.is_zero() {
                    return Err(Error::NegativeWeight { index, weight: *w });
                }
                // Beyond 64 bits; a negative weight further on is still reported first by
                // the reference.
                return Ok(None);
            }
            if s != scale {
                let factor = |k: u32| POW10.get(usize::try_from(k).ok()?).copied();
                if s > scale {
                    // A finer scale: what was summed so far is brought to it.
                    let Some(f) = factor(s.saturating_sub(scale)) else {
                        return Ok(None);
                    };
                    let (Some(s2), Some(m2)) = (sum.checked_mul(f), max.checked_mul(f)) else {
                        return Ok(None);
                    };
                    (sum, max, scale) = (s2, m2, s);
                } else {
                    let Some(v2) = factor(scale.saturating_sub(s)).and_then(|f| v.checked_mul(f))
                    else {
                        return Ok(None);
                    };
                    v = v2;
                }
            }
            let Some(s2) = sum.checked_add(v) else {
                return Ok(None);
            };
            sum = s2;
            max = max.max(v);
        }
        let Some(sum) = NonZeroU64::new(sum) else {
            return Err(Error::AllZeroWeights {
                count: weights.len(),
            });
        };
        // Every part is at most |total| in sen, so a total that fits 64 bits keeps every part
        // (units × unit) in 64 bits.
        let fits = u64::try_from(total_sen.unsigned_abs()).is_ok()
            && u128::from(max)
                .checked_mul(t)
                .is_some_and(|p| u64::try_from(p).is_ok());
        let (Ok(t), Ok(unit_sen), true) = (u64::try_from(t), u64::try_from(unit_sen), fits) else {
            return Ok(None);
        };
        Ok(Some(Fast {
            t,
            sum,
            scale,
            unit_sen,
            negative: total_sen < 0,
        }))
    }

    /// `t × w / sum` as floor and remainder, `w` at the common scale.
    #[inline]
    fn share(self, w: &Decimal) -> (u64, u64) {
        let (m, s, _) = unpack(w);
        // Pass 1 checked that every weight at the common scale fits 64 bits, so the mantissa
        // is exact, the power of ten exists and the product does not wrap; t × w ≤ t × max
        // < 2⁶⁴ (pass 1), so neither does the product.
        let v = if s == self.scale {
            m
        } else {
            let f = usize::try_from(self.scale.saturating_sub(s))
                .ok()
                .and_then(|k| POW10.get(k))
                .copied()
                .unwrap_or(0);
            m.wrapping_mul(f)
        };
        let p = self.t.wrapping_mul(v);
        (p / self.sum, p % self.sum)
    }

    /// The part of `units` units.
    #[inline]
    fn part(self, units: u64) -> Rupiah {
        // units ≤ t and t × unit = |total| in sen < 2⁶⁴ (pass 1): no wrap.
        Rupiah::from_sen_magnitude(units.wrapping_mul(self.unit_sen), self.negative)
    }

    /// The right shift that leaves the top `bits` bits of a remainder: remainders are below
    /// `sum`, so shifting by its bit length less `bits` leaves at most `bits` bits.
    fn shift(self, bits: u32) -> u32 {
        u64::BITS
            .saturating_sub(self.sum.leading_zeros())
            .saturating_sub(bits)
    }

    /// Pass 2: the bucket (remainders' top `bits` bits, 1 ≤ `bits` ≤ [`BUCKET_BITS`]) that
    /// holds the `left`-th largest remainder and how many of the `left` units go to remainders
    /// in it; `None` if every share is whole after the floors.
    fn cut(self, weights: &[Decimal], bits: u32) -> Option<(u64, usize)> {
        let shift = self.shift(bits);
        let mut histogram = [0_usize; 1 << BUCKET_BITS];
        let mut given = 0_u64;
        for w in weights {
            let (q, r) = self.share(w);
            // Σ floors ≤ t: no wrap.
            given = given.wrapping_add(q);
            // The mask keeps the index in range (it is below 2^bits anyway).
            if let Some(c) = usize::try_from((r >> shift) & BUCKET_MASK)
                .ok()
                .and_then(|b| histogram.get_mut(b))
            {
                // At most `weights.len()`.
                *c = c.wrapping_add(1);
            }
        }
        // Σ exact shares = t, Σ floors = given, so `left` < number of non-zero remainders
        // (each below one unit): the `left` largest remainders are all non-zero.
        let mut left = usize::try_from(self.t.saturating_sub(given)).ok()?;
        if left == 0 {
            return None;
        }
        for (b, &c) in (0_u64..=BUCKET_MASK).rev().zip(histogram.iter().rev()) {
            if c >= left {
                return Some((b, left));
            }
            left = left.saturating_sub(c);
        }
        None
    }

    /// Passes 2 and 3 (see [`Fast`]), `bits` as in [`Fast::cut`].
    fn run(self, weights: &[Decimal], bits: u32, out: &mut Vec<Rupiah>) {
        out.clear();
        out.reserve(weights.len());
        let Some((cut, left)) = self.cut(weights, bits) else {
            out.extend(weights.iter().map(|w| self.part(self.share(w).0)));
            return;
        };
        let shift = self.shift(bits);
        let mut straddling: Vec<(u64, usize, u64)> = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            let (q, r) = self.share(w);
            let b = (r >> shift) & BUCKET_MASK;
            if b == cut {
                straddling.push((r, i, q));
            }
            // A floor is below t, so adding one unit does not wrap.
            out.push(self.part(q.wrapping_add(u64::from(b > cut))));
        }
        // Largest remainder first; equal remainders: earlier index first (a total order).
        let order =
            |a: &(u64, usize, u64), b: &(u64, usize, u64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        let winners: &mut [(u64, usize, u64)] = if left < straddling.len() {
            let (head, _, _) = straddling.select_nth_unstable_by(left, order);
            head
        } else {
            &mut straddling[..]
        };
        for &(_, i, q) in winners.iter() {
            if let Some(p) = out.get_mut(i) {
                *p = self.part(q.wrapping_add(1));
            }
        }
    }
}

/// How a number of units becomes a part: units × unit, negated for a negative total.
#[derive(Clone, Copy)]
struct Part {
    unit_sen: i128,
    negative: bool,
}

impl Part {
    /// Every part, in order (a plain loop: collecting `Result`s through an iterator adapter
    /// costs several times more per element).
    fn all(self, units: &[u128]) -> Result<Vec<Rupiah>> {
        let mut out = Vec::with_capacity(units.len());
        for &u in units {
            out.push(self.of(u)?);
        }
        Ok(out)
    }

    #[inline]
    fn of(self, units: u128) -> Result<Rupiah> {
        // Fast path: the part fits an i64 count of sen (any part below ~Rp92 quadrillion).
        if let Ok(u) = i64::try_from(units)
            && let Ok(unit) = i64::try_from(self.unit_sen)
            && let Some(sen) = u.checked_mul(unit)
        {
            return Ok(Rupiah::from_sen(if self.negative {
                sen.saturating_neg()
            } else {
                sen
            }));
        }
        let sen = i128::try_from(units)
            .ok()
            .and_then(|u| u.checked_mul(self.unit_sen))
            .and_then(|s| {
                if self.negative {
                    s.checked_neg()
                } else {
                    Some(s)
                }
            })
            .ok_or(Error::Overflow { op: "split parts" })?;
        Rupiah::try_from_sen_i128(sen)
    }
}

/// Integer arithmetic for [`largest_remainder`]: `u64` (fast) or `u128` (wide).
trait Word: Copy + Ord + TryFrom<u128> + Into<u128> {
    const ZERO: Self;
    fn mul(self, rhs: Self) -> Option<Self>;
    fn div_rem(self, rhs: Self) -> (Self, Self);
}

impl Word for u64 {
    const ZERO: Self = 0;
    fn mul(self, rhs: Self) -> Option<Self> {
        self.checked_mul(rhs)
    }
    fn div_rem(self, rhs: Self) -> (Self, Self) {
        (
            self.checked_div(rhs).unwrap_or(0),
            self.checked_rem(rhs).unwrap_or(0),
        )
    }
}

impl Word for u128 {
    const ZERO: Self = 0;
    fn mul(self, rhs: Self) -> Option<Self> {
        self.checked_mul(rhs)
    }
    fn div_rem(self, rhs: Self) -> (Self, Self) {
        (
            self.checked_div(rhs).unwrap_or(0),
            self.checked_rem(rhs).unwrap_or(0),
        )
    }
}

/// Largest remainder over integer weights `w` (sum `sum` > 0) for `t` units, computed in the
/// word type `W`. Returns the parts.
fn largest_remainder<W: Word>(w: &[u128], t: u128, sum: W, part: Part) -> Result<Vec<Rupiah>> {
    let overflow = || Error::Overflow { op: "split_exact" };
    let narrow = |x: u128| W::try_from(x).map_err(|_| overflow());
    let t_w = narrow(t)?;
    let mut units: Vec<u128> = Vec::with_capacity(w.len());
    let mut remainders: Vec<(W, usize)> = Vec::with_capacity(w.len());
    let mut given: u128 = 0;
    for (i, &wi) in w.iter().enumerate() {
        let prod = t_w.mul(narrow(wi)?).ok_or_else(overflow)?;
        // `sum` is non-zero (checked by `integer_weights`).
        let (q, r) = prod.div_rem(sum);
        if r != W::ZERO {
            remainders.push((r, i));
        }
        let q: u128 = q.into();
        given = given.checked_add(q).ok_or_else(overflow)?;
        units.push(q);
    }
    // Σ exact shares = t, Σ floors = given, so t − given < number of non-zero remainders.
    let left = usize::try_from(t.saturating_sub(given)).map_err(|_| overflow())?;
    if left > 0 {
        // Largest remainder first; equal remainders: earlier index first. A total order, so
        // the selection is deterministic.
        let order = |a: &(W, usize), b: &(W, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        let winners: &mut [(W, usize)] = if left < remainders.len() {
            let (head, _, _) = remainders.select_nth_unstable_by(left, order);
            head
        } else {
            &mut remainders[..]
        };
        for &(_, i) in winners.iter() {
            if let Some(u) = units.get_mut(i) {
                *u = u.checked_add(1).ok_or_else(overflow)?;
            }
        }
    }
    part.all(&units)
}

/// Splits `total` by `weights`, each part rounded **down** to a multiple of `step`, and returns
/// the residue separately.
///
/// ```
/// use koperasi_core::{split_floor, Rupiah};
/// use rust_decimal::Decimal;
///
/// let s = split_floor(Rupiah::from_rupiah(100), &[Decimal::ONE; 3], Rupiah::ONE)?;
/// assert_eq!(s.parts, [33, 33, 33].map(Rupiah::from_rupiah));
/// assert_eq!(s.residue, Rupiah::from_rupiah(1)); // selisih pembulatan, e.g. to cadangan
/// # Ok::<(), koperasi_core::Error>(())
/// ```
///
/// # Errors
/// As [`split_exact`], except that `total` need not be a multiple of `step`.
#[doc(alias = "selisih pembulatan")]
pub fn split_floor(total: Rupiah, weights: &[Decimal], step: Rupiah) -> Result<FloorSplit> {
    let step_sen = unit_sen(step)?;
    let total_sen = total.to_sen();
    let t = total_sen.unsigned_abs();
    let (w, sum) = integer_weights(weights)?;
    let overflow = || Error::Overflow { op: "split_floor" };
    let denom = sum
        .checked_mul(step_sen.unsigned_abs())
        .ok_or_else(overflow)?;
    let mut units: Vec<u128> = Vec::with_capacity(w.len());
    let mut given_sen: u128 = 0;
    for &wi in &w {
        let q = t
            .checked_mul(wi)
            .and_then(|p| p.checked_div(denom))
            .ok_or_else(overflow)?;
        given_sen = q
            .checked_mul(step_sen.unsigned_abs())
            .and_then(|s| s.checked_add(given_sen))
            .ok_or_else(overflow)?;
        units.push(q);
    }
    let parts = to_parts(&units, step_sen, total_sen < 0)?;
    let residue_sen =
        i128::try_from(t.checked_sub(given_sen).ok_or_else(overflow)?).map_err(|_| overflow())?;
    let residue = Rupiah::try_from_sen_i128(if total_sen < 0 {
        residue_sen.checked_neg().ok_or_else(overflow)?
    } else {
        residue_sen
    })?;
    Ok(FloorSplit { parts, residue })
}

fn unit_sen(unit: Rupiah) -> Result<i128> {
    if unit.is_positive() {
        Ok(unit.to_sen())
    } else {
        Err(Error::InvalidStep {
            step: unit.to_decimal(),
        })
    }
}

/// Validates weights and brings them to integers at one common scale. Returns them and their
/// (non-zero) sum.
fn integer_weights(weights: &[Decimal]) -> Result<(Vec<u128>, u128)> {
    if weights.is_empty() {
        return Err(Error::NoWeights);
    }
    let mut scale = 0;
    for (index, w) in weights.iter().enumerate() {
        if w.is_sign_negative() && !w.is_zero() {
            return Err(Error::NegativeWeight { index, weight: *w });
        }
        scale = scale.max(w.scale());
    }
    let overflow = || Error::Overflow {
        op: "split weights",
    };
    let mut out = Vec::with_capacity(weights.len());
    let mut sum: u128 = 0;
    for w in weights {
        let m = w.mantissa().unsigned_abs();
        let v = if w.scale() == scale {
            m
        } else {
            10_u128
                .checked_pow(scale.saturating_sub(w.scale()))
                .and_then(|f| m.checked_mul(f))
                .ok_or_else(overflow)?
        };
        sum = sum.checked_add(v).ok_or_else(overflow)?;
        out.push(v);
    }
    if sum == 0 {
        return Err(Error::AllZeroWeights {
            count: weights.len(),
        });
    }
    Ok((out, sum))
}

fn to_parts(units: &[u128], unit_sen: i128, negative: bool) -> Result<Vec<Rupiah>> {
    Part { unit_sen, negative }.all(units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn r(n: i64) -> Rupiah {
        Rupiah::from_rupiah(n)
    }

    #[test]
    fn equal_weights_tie_break_by_index() {
        let parts = split_exact(r(100), &[Decimal::ONE; 3], Rupiah::ONE).unwrap();
        assert_eq!(parts, vec![r(34), r(33), r(33)]);
        let parts = split_exact(r(101), &[Decimal::ONE; 3], Rupiah::ONE).unwrap();
        assert_eq!(parts, vec![r(34), r(34), r(33)]);
    }

    #[test]
    fn zero_weight_gets_zero() {
        let parts = split_exact(r(10), &[dec!(0), dec!(1), dec!(0)], Rupiah::ONE).unwrap();
        assert_eq!(parts, vec![r(0), r(10), r(0)]);
    }

    #[test]
    fn mixed_scales_and_sen() {
        let parts = split_exact(
            Rupiah::from_sen(1000),
            &[dec!(0.5), dec!(1.25)],
            Rupiah::SEN,
        )
        .unwrap();
        // 10.00 × 0.5/1.75 = 2.857… ; 10.00 × 1.25/1.75 = 7.142…
        assert_eq!(parts, vec![Rupiah::from_sen(286), Rupiah::from_sen(714)]);
    }

    #[test]
    fn negative_total_is_symmetric() {
        let parts = split_exact(r(-100), &[Decimal::ONE; 3], Rupiah::ONE).unwrap();
        assert_eq!(parts, vec![r(-34), r(-33), r(-33)]);
        let s = split_floor(r(-100), &[Decimal::ONE; 3], Rupiah::ONE).unwrap();
        assert_eq!(s.residue, r(-1));
    }

    #[test]
    fn errors() {
        assert_eq!(split_exact(r(1), &[], Rupiah::ONE), Err(Error::NoWeights));
        assert_eq!(
            split_exact(r(1), &[dec!(1), dec!(-2)], Rupiah::ONE),
            Err(Error::NegativeWeight {
                index: 1,
                weight: dec!(-2)
            })
        );
        assert_eq!(
            split_exact(r(1), &[dec!(0), dec!(0)], Rupiah::ONE),
            Err(Error::AllZeroWeights { count: 2 })
        );
        assert_eq!(
            split_exact(Rupiah::from_sen(150), &[dec!(1)], Rupiah::ONE),
            Err(Error::NotMultipleOfUnit {
                total: dec!(1.50),
                unit: dec!(1.00)
            })
        );
        assert!(matches!(
            split_exact(r(1), &[dec!(1)], Rupiah::ZERO),
            Err(Error::InvalidStep { .. })
        ));
        assert!(matches!(
            split_floor(r(1), &[dec!(1)], r(-1)),
            Err(Error::InvalidStep { .. })
        ));
        assert!(matches!(
            split_exact(
                r(1_000_000_000_000),
                &[Decimal::MAX, Decimal::MAX],
                Rupiah::ONE
            ),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn floor_split_with_thousand_step() {
        let s = split_floor(r(10_000), &[dec!(1), dec!(2)], r(1000)).unwrap();
        assert_eq!(s.parts, vec![r(3000), r(6000)]);
        assert_eq!(s.residue, r(1000));
    }

    fn weights() -> impl Strategy<Value = Vec<Decimal>> {
        prop::collection::vec(
            prop_oneof![
                Just(Decimal::ZERO),
                (0_i64..1_000_000_000, 0_u32..5).prop_map(|(m, s)| Decimal::new(m, s)),
            ],
            1..60,
        )
        .prop_filter("not all zero", |w| w.iter().any(|x| !x.is_zero()))
    }

    /// The fast path with its remainders bucketed by their top `bits` bits, or `None` if it
    /// does not apply (through the same checks as [`split_exact_into`]).
    fn fast_with_bits(
        total: Rupiah,
        weights: &[Decimal],
        unit: Rupiah,
        bits: u32,
    ) -> Option<Result<Vec<Rupiah>>> {
        let (unit_sen, total_sen, t) = units_of(total, unit).ok()?;
        match Fast::new(t, weights, unit_sen, total_sen) {
            Err(e) => Some(Err(e)),
            Ok(None) => None,
            Ok(Some(fast)) => {
                let mut out = vec![r(7); 3];
                fast.run(weights, bits, &mut out);
                Some(Ok(out))
            }
        }
    }

    /// Weights meant to stress the fast path: many ties (small integers), mixed scales, zeros
    /// and large mantissas; in about one case in four, one weight beyond 64 bits or negative
    /// (the reference's path, errors).
    fn hard_weights() -> impl Strategy<Value = Vec<Decimal>> {
        let plain = prop::collection::vec(
            prop_oneof![
                3 => Just(Decimal::ZERO),
                6 => (0_i64..4).prop_map(Decimal::from),
                4 => (0_i64..1_000, 0_u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
                2 => (0_i64..i64::MAX, 0_u32..8).prop_map(|(m, s)| Decimal::new(m, s)),
                1 => Just(Decimal::NEGATIVE_ONE * Decimal::ZERO),
            ],
            0..80,
        );
        let odd = prop_oneof![
            (0_u32..=u32::MAX, 0_u32..=28)
                .prop_map(|(hi, s)| Decimal::from_parts(1, 0, hi, false, s)),
            (1_i64..100).prop_map(|m| Decimal::new(-m, 1)),
            Just(Decimal::from(u64::MAX)),
        ];
        (
            plain,
            prop::option::weighted(0.25, (odd, any::<prop::sample::Index>())),
        )
            .prop_map(|(mut w, odd)| {
                if let Some((x, at)) = odd {
                    let at = at.index(w.len() + 1);
                    w.insert(at, x);
                }
                w
            })
    }

    fn hard_total() -> impl Strategy<Value = (Rupiah, Rupiah)> {
        (
            prop_oneof![
                4 => -1_000_000_000_000_i128..1_000_000_000_000,
                2 => -100_i128..100,
                1 => (i128::from(i64::MIN) * 4)..(i128::from(i64::MAX) * 4),
            ],
            prop_oneof![Just(1_i64), Just(100), Just(100_000), 1_i64..1_000, Just(0)],
        )
            .prop_map(|(units, unit)| {
                let unit = Rupiah::from_sen(unit);
                let total = unit.checked_mul_int(units).unwrap_or(unit);
                (total, unit)
            })
    }

    #[test]
    fn fast_path_is_taken_for_ordinary_inputs() {
        let w = [dec!(150000), dec!(150000), dec!(300000.5), dec!(0)];
        assert!(fast_with_bits(r(1_000_000), &w, Rupiah::ONE, BUCKET_BITS).is_some());
        // Beyond 64 bits: the reference decides.
        let wide = [Decimal::MAX, Decimal::ONE];
        assert!(fast_with_bits(r(1), &wide, Rupiah::ONE, BUCKET_BITS).is_none());
    }

    /// 200,000 weights with many equal remainders, every bucket width against the reference.
    #[test]
    fn fast_path_equals_reference_on_a_large_split() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let w: Vec<Decimal> = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let m = i64::try_from(x % 1_000).unwrap();
                if x.is_multiple_of(3) {
                    Decimal::new(m, 2)
                } else {
                    Decimal::from(m % 7)
                }
            })
            .collect();
        for total in [r(1_234_567_891), r(-999_999), Rupiah::from_sen(7)] {
            let reference = split_exact_reference(total, &w, Rupiah::SEN).unwrap();
            assert_eq!(split_exact(total, &w, Rupiah::SEN).unwrap(), reference);
            for bits in 1..=BUCKET_BITS {
                let fast = fast_with_bits(total, &w, Rupiah::SEN, bits)
                    .unwrap()
                    .unwrap();
                assert_eq!(fast, reference, "bits = {bits}");
            }
        }
    }

    #[test]
    fn split_exact_into_reuses_the_buffer_and_is_untouched_on_error() {
        let mut out = vec![r(5); 10];
        split_exact_into(r(100), &[Decimal::ONE; 3], Rupiah::ONE, &mut out).unwrap();
        assert_eq!(out, vec![r(34), r(33), r(33)]);
        let before = out.clone();
        assert_eq!(
            split_exact_into(r(1), &[dec!(0)], Rupiah::ONE, &mut out),
            Err(Error::AllZeroWeights { count: 1 })
        );
        assert_eq!(
            split_exact_into(r(1), &[dec!(1), dec!(-1)], Rupiah::ONE, &mut out),
            Err(Error::NegativeWeight {
                index: 1,
                weight: dec!(-1)
            })
        );
        assert_eq!(out, before);
        // The reference's path (weights beyond 64 bits) also replaces the contents.
        split_exact_into(r(3), &[Decimal::MAX, Decimal::MAX], Rupiah::ONE, &mut out).unwrap();
        assert_eq!(out, vec![r(2), r(1)]);
    }

    proptest! {
        /// Parts sum exactly to the total, zero weights get zero, each part is within one
        /// unit of its exact share.
        #[test]
        fn prop_split_conserves_total(
            units in -1_000_000_000_000_i64..1_000_000_000_000,
            unit in prop_oneof![Just(1_i64), Just(100), Just(100_000)],
            w in weights(),
        ) {
            let unit = Rupiah::from_sen(unit);
            let total = unit.checked_mul_int(i128::from(units) / 100).unwrap();
            let parts = split_exact(total, &w, unit).unwrap();
            prop_assert_eq!(parts.len(), w.len());
            prop_assert_eq!(Rupiah::try_sum(parts.iter().copied()).unwrap(), total);
            let sum: Decimal = w.iter().sum();
            for (p, wi) in parts.iter().zip(&w) {
                if wi.is_zero() { prop_assert!(p.is_zero()); }
                let exact = total.to_decimal() * *wi / sum;
                prop_assert!((p.to_decimal() - exact).abs() < unit.to_decimal());
                prop_assert_eq!(p.to_sen() % unit.to_sen(), 0);
            }
        }

        /// A larger weight never gets a smaller part (for a non-negative total).
        #[test]
        fn prop_split_is_monotone(units in 0_i64..1_000_000_000, w in weights()) {
            let total = Rupiah::from_rupiah(units);
            let parts = split_exact(total, &w, Rupiah::ONE).unwrap();
            for i in 0..w.len() {
                for j in 0..w.len() {
                    if w[i] > w[j] { prop_assert!(parts[i] >= parts[j]); }
                }
            }
        }

        /// Floor split: parts + residue = total; each part ≤ its exact share; the residue is
        /// non-negative and below one step per weight.
        #[test]
        fn prop_floor_split_conserves_total(
            sen in 0_i64..1_000_000_000_000,
            step in prop_oneof![Just(1_i64), Just(100), Just(100_000)],
            w in weights(),
        ) {
            let total = Rupiah::from_sen(sen);
            let step = Rupiah::from_sen(step);
            let s = split_floor(total, &w, step).unwrap();
            let sum_parts = Rupiah::try_sum(s.parts.iter().copied()).unwrap();
            prop_assert_eq!(sum_parts.checked_add(s.residue).unwrap(), total);
            prop_assert!(!s.residue.is_negative());
            let bound = step.checked_mul_int(w.len() as i128).unwrap();
            prop_assert!(s.residue < bound);
            let sum: Decimal = w.iter().sum();
            for (p, wi) in s.parts.iter().zip(&w) {
                prop_assert!(p.to_decimal() <= total.to_decimal() * *wi / sum + dec!(0.0000001));
            }
        }

        /// The 64-bit pass (`Fast`) gives exactly the reference's parts or error, for every
        /// bucket width; `split_exact` and `split_exact_into` agree with the reference on
        /// every input, fast path or not.
        #[test]
        fn prop_split_exact_fast_path_equals_reference(
            (total, unit) in hard_total(),
            w in hard_weights(),
            bits in 1_u32..=BUCKET_BITS,
        ) {
            let reference = split_exact_reference(total, &w, unit);
            prop_assert_eq!(&split_exact(total, &w, unit), &reference);
            let mut out = vec![r(1); 2];
            match split_exact_into(total, &w, unit, &mut out) {
                Ok(()) => prop_assert_eq!(Ok(out), reference.clone()),
                Err(e) => {
                    prop_assert_eq!(Err(e), reference.clone());
                    prop_assert_eq!(out, vec![r(1); 2]);
                }
            }
            if let Some(fast) = fast_with_bits(total, &w, unit, bits) {
                prop_assert_eq!(fast, reference);
            }
        }

        /// The same input always gives the same output (the tie-break is deterministic).
        #[test]
        fn prop_split_is_deterministic(units in 0_i64..1_000_000, n in 1_usize..50) {
            let w = vec![Decimal::ONE; n];
            let a = split_exact(Rupiah::from_rupiah(units), &w, Rupiah::ONE).unwrap();
            let b = split_exact(Rupiah::from_rupiah(units), &w, Rupiah::ONE).unwrap();
            prop_assert_eq!(&a, &b);
            // equal weights: the extra units go to the first ones in input order
            for pair in a.windows(2) { prop_assert!(pair[0] >= pair[1]); }
        }
    }
}
