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
/// # Errors
/// [`Error::InvalidStep`] for a unit ≤ 0; [`Error::NotMultipleOfUnit`]; [`Error::NoWeights`];
/// [`Error::NegativeWeight`] (with its index); [`Error::AllZeroWeights`]; [`Error::Overflow`]
/// (see the module's limits).
#[doc(alias = "pembagian")]
#[doc(alias = "largest remainder")]
pub fn split_exact(total: Rupiah, weights: &[Decimal], unit: Rupiah) -> Result<Vec<Rupiah>> {
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
    let (w, sum) = integer_weights(weights)?;
    let max_w = w.iter().copied().max().unwrap_or(0);
    // Fast path: every product t × wᵢ and the sum fit in 64 bits (the common case: totals up
    // to ~Rp10¹² in whole rupiah with weights up to ~10⁷), so 64-bit division suffices.
    let part = Part {
        unit_sen,
        negative: total_sen < 0,
    };
    match (u64::try_from(sum), t.checked_mul(max_w).map(u64::try_from)) {
        (Ok(sum64), Some(Ok(_))) => largest_remainder::<u64>(&w, t, sum64, part),
        _ => largest_remainder::<u128>(&w, t, sum, part),
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
