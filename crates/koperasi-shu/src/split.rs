//! The member-pool splits on integers: the rules of [`koperasi_core::split_floor`] and
//! [`koperasi_core::split_exact`] (same results, same tie-break), on weights already in sen, so
//! that a million members cost no `Decimal` arithmetic. Each function returns `None` when an
//! intermediate would exceed 128 bits; the caller then takes koperasi-core's general path.
//! `prop_integer_split_matches_core` checks the equivalence.

/// Floor rule: part `i` is `⌊amount × wᵢ / (Σw × step)⌋ × step`, in sen. The weights are
/// `weights` followed by `others` (if any); `all` is their (non-zero) sum.
pub(crate) fn floor(
    amount: u128,
    weights: impl Iterator<Item = u128>,
    count: usize,
    others: Option<u128>,
    all: u128,
    step: u128,
) -> Option<Vec<u128>> {
    let denom = all.checked_mul(step)?;
    if denom == 0 {
        return None;
    }
    // One bound check up front: every weight is ≤ `all`, so `amount × all` fitting means
    // every `amount × wᵢ` fits, and each quotient is ≤ amount / step, so `× step` fits too.
    amount.checked_mul(all)?;
    let mut parts = Vec::with_capacity(count.saturating_add(1));
    for w in weights.chain(others) {
        // Exact: no overflow (checked above), `denom` non-zero.
        parts.push(
            amount
                .wrapping_mul(w)
                .checked_div(denom)
                .unwrap_or(0)
                .wrapping_mul(step),
        );
    }
    Some(parts)
}

/// Largest remainder: `units` whole steps over the weights (then `others`), each first its
/// floor, the leftover steps one each to the largest remainders, ties to the earlier weight.
/// Parts in sen; they sum to `units × step`.
pub(crate) fn largest_remainder(
    units: u128,
    weights: impl Iterator<Item = u128>,
    count: usize,
    others: Option<u128>,
    all: u128,
    step: u128,
) -> Option<Vec<u128>> {
    if all == 0 {
        return None;
    }
    // One bound check up front (every weight is ≤ `all`); then the loop is exact with
    // wrapping operations: `qᵢ × all ≤ prod`, so the remainder never wraps.
    units.checked_mul(all)?;
    units.checked_mul(step)?;
    let mut q: Vec<u128> = Vec::with_capacity(count.saturating_add(1));
    // Remainders are < `all`: kept in 64 bits when `all` fits, halving what is selected over.
    let small = u64::try_from(all).is_ok();
    let mut rem64: Vec<(u64, usize)> = Vec::new();
    let mut rem128: Vec<(u128, usize)> = Vec::new();
    let mut given: u128 = 0;
    for (i, w) in weights.chain(others).enumerate() {
        let prod = units.wrapping_mul(w);
        let qi = prod.checked_div(all).unwrap_or(0);
        let r = prod.wrapping_sub(qi.wrapping_mul(all));
        if r != 0 {
            if small {
                rem64.push((u64::try_from(r).ok()?, i));
            } else {
                rem128.push((r, i));
            }
        }
        given = given.checked_add(qi)?;
        q.push(qi);
    }
    let left = usize::try_from(units.checked_sub(given)?).ok()?;
    if small {
        award(&mut rem64, left, &mut q)?;
    } else {
        award(&mut rem128, left, &mut q)?;
    }
    // Each qᵢ ≤ units and `units × step` fits (checked above).
    Some(q.into_iter().map(|u| u.wrapping_mul(step)).collect())
}

/// One more unit each to the `left` largest remainders; equal remainders: earlier index first.
fn award<R: Ord + Copy>(remainders: &mut [(R, usize)], left: usize, q: &mut [u128]) -> Option<()> {
    if left == 0 {
        return Some(());
    }
    let order = |a: &(R, usize), b: &(R, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    let winners: &[(R, usize)] = if left < remainders.len() {
        let (head, _, _) = remainders.select_nth_unstable_by(left, order);
        head
    } else {
        remainders
    };
    for &(_, i) in winners {
        let u = q.get_mut(i)?;
        *u = u.checked_add(1)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use koperasi_core::{Decimal, Rupiah, split_exact, split_floor};
    use proptest::prelude::*;

    fn to_sen(parts: Vec<Rupiah>) -> Vec<u128> {
        parts
            .into_iter()
            .map(|p| u128::try_from(p.to_sen()).unwrap())
            .collect()
    }

    proptest! {
        /// The integer splits give exactly what koperasi-core's splits give.
        #[test]
        fn prop_integer_split_matches_core(
            amount in 0_u64..10_000_000_000_000_000,
            weights in prop::collection::vec(prop_oneof![Just(0_u64), 0_u64..10_000_000_000_000], 1..40),
            others in prop::option::of(0_u64..10_000_000_000_000),
            step in prop_oneof![Just(1_u64), Just(100), Just(100_000), 1_u64..1_000_000],
        ) {
            let w: Vec<u128> = weights.iter().map(|&x| u128::from(x)).collect();
            let o = others.map(u128::from);
            let all: u128 = w.iter().sum::<u128>() + o.unwrap_or(0);
            prop_assume!(all > 0);
            let dec: Vec<Decimal> = w.iter().chain(o.as_ref()).map(|&x| Decimal::from(x)).collect();
            let amount_r = Rupiah::from_sen(i64::try_from(amount).unwrap());
            let step_r = Rupiah::from_sen(i64::try_from(step).unwrap());

            let ours = floor(u128::from(amount), w.iter().copied(), w.len(), o, all, u128::from(step)).unwrap();
            prop_assert_eq!(ours, to_sen(split_floor(amount_r, &dec, step_r).unwrap().parts));

            let units = u128::from(amount / step);
            let payable = Rupiah::from_sen(i64::try_from(amount / step * step).unwrap());
            let ours = largest_remainder(units, w.iter().copied(), w.len(), o, all, u128::from(step)).unwrap();
            prop_assert_eq!(ours, to_sen(split_exact(payable, &dec, step_r).unwrap()));
        }
    }

    #[test]
    fn overflow_is_reported_as_none() {
        assert_eq!(floor(u128::MAX, [2].into_iter(), 1, None, 2, 1), None);
        assert_eq!(
            largest_remainder(u128::MAX, [2].into_iter(), 1, None, 2, 1),
            None
        );
    }
}
