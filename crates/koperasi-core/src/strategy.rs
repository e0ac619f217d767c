//! [`proptest`](https://docs.rs/proptest) strategies for the types of this crate, for embedders' own property tests.
//!
//! Money strategies work in sen, so every generated [`Rupiah`] is valid by construction.

use proptest::prelude::*;

use crate::{Rate, RoundingMode, RoundingPolicy, Rupiah};

/// Amounts between −Rp10.000.000.000 and Rp10.000.000.000, in sen.
pub fn rupiah() -> impl Strategy<Value = Rupiah> {
    (-1_000_000_000_000_i64..=1_000_000_000_000).prop_map(Rupiah::from_sen)
}

/// Non-negative whole-rupiah amounts up to Rp10.000.000.000.
pub fn whole_rupiah() -> impl Strategy<Value = Rupiah> {
    (0_i64..=10_000_000_000).prop_map(Rupiah::from_rupiah)
}

/// Any rounding mode.
pub fn rounding_mode() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![
        Just(RoundingMode::HalfUp),
        Just(RoundingMode::HalfEven),
        Just(RoundingMode::Down),
        Just(RoundingMode::Up),
    ]
}

/// Policies with the usual steps: Rp0,01, Rp1, Rp100, Rp1.000.
pub fn rounding_policy() -> impl Strategy<Value = RoundingPolicy> {
    (
        rounding_mode(),
        prop_oneof![Just(1_i64), Just(100), Just(10_000), Just(100_000)],
    )
        .prop_filter_map("positive step", |(m, s)| {
            RoundingPolicy::new(m, Rupiah::from_sen(s)).ok()
        })
}

/// Annual rates from 0% to 100% with up to two decimals.
pub fn annual_rate() -> impl Strategy<Value = Rate> {
    (0_i64..=10_000).prop_filter_map("non-negative", |bp| {
        Rate::per_year(rust_decimal::Decimal::new(bp, 2)).ok()
    })
}
