//! Proptest strategies for policies and member inputs (feature `proptest`).

use std::collections::BTreeMap;

use koperasi_core::{Rupiah, split_exact};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::{
    AllocationLine, LineKind, MemberContribution, RoundingMethod, Savings, ShareRounding,
    ShuPolicy, Transactions,
};

const FUNDS: [(&str, LineKind); 5] = [
    ("dana_pengurus", LineKind::ManagementFund),
    ("dana_karyawan", LineKind::EmployeeFund),
    ("dana_pendidikan", LineKind::EducationFund),
    ("dana_sosial", LineKind::SocialFund),
    ("bagian_desa", LineKind::VillageShare),
];

/// A valid policy: cadangan, jasa modal, jasa usaha and up to five other funds, with
/// percentages of up to two decimals summing to exactly 100, and a random share rounding
/// (floor or largest remainder; step Rp1, Rp100 or Rp1.000).
pub fn policy() -> impl Strategy<Value = ShuPolicy> {
    (
        prop::collection::vec(0_u32..1000, 3..=8),
        prop_oneof![
            Just(RoundingMethod::Floor),
            Just(RoundingMethod::LargestRemainder)
        ],
        prop_oneof![Just(1_i64), Just(100), Just(1000)],
    )
        .prop_filter_map("a valid policy", |(mut w, method, step)| {
            // Both pools non-empty most of the time; the reserve keeps the sum positive.
            if let Some(first) = w.first_mut() {
                *first = first.saturating_add(1);
            }
            let weights: Vec<Decimal> = w.iter().map(|&x| Decimal::from(x)).collect();
            let percents = split_exact(Rupiah::from_rupiah(100), &weights, Rupiah::SEN).ok()?;
            let mut lines = Vec::with_capacity(percents.len());
            for (i, p) in percents.into_iter().enumerate() {
                let (name, kind) = match i {
                    0 => ("cadangan", LineKind::Reserve),
                    1 => ("jasa_modal", LineKind::CapitalPool),
                    2 => ("jasa_usaha", LineKind::PatronagePool),
                    i => *FUNDS.get(i.checked_sub(3)?)?,
                };
                lines.push(AllocationLine::new(name, p.to_decimal(), kind));
            }
            let rounding = ShareRounding::new(method, Rupiah::from_rupiah(step)).ok()?;
            Some(ShuPolicy::new(lines).ok()?.with_rounding(rounding))
        })
}

/// An amount in sen, often zero, otherwise up to Rp10.000.000.000.
pub fn contribution() -> impl Strategy<Value = Rupiah> {
    prop_oneof![
        1 => Just(Rupiah::ZERO),
        3 => (1_i64..1_000_000_000_000).prop_map(Rupiah::from_sen),
        1 => (1_i64..10_000).prop_map(|r| Rupiah::from_sen(r.saturating_mul(100_000))),
    ]
}

/// 0..`max` members with distinct `u32` keys, random pokok/wajib/sukarela and purchases.
pub fn members(max: usize) -> impl Strategy<Value = Vec<MemberContribution<u32>>> {
    prop::collection::btree_map(
        0_u32..100_000,
        (
            contribution(),
            contribution(),
            contribution(),
            contribution(),
        ),
        0..max,
    )
    .prop_map(|m: BTreeMap<u32, (Rupiah, Rupiah, Rupiah, Rupiah)>| {
        m.into_iter()
            .map(|(id, (pokok, wajib, sukarela, purchases))| {
                MemberContribution::new(
                    id,
                    Savings {
                        pokok,
                        wajib,
                        sukarela,
                    },
                    Transactions {
                        purchases,
                        ..Transactions::default()
                    },
                )
            })
            .collect()
    })
}
