//! Proptest strategies for plans (feature `proptest`).

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};
use proptest::prelude::*;

use crate::plan::{Financing, Plan, UnitKind, UnitPlan};
use crate::scheme::{GraceTreatment, SchemeId};

/// A unit with capex up to Rp2 miliar, revenue up to Rp500 juta a month, HPP 0–95%, opex up
/// to Rp50 juta, optional working capital, growth and a late opening.
pub fn unit() -> impl Strategy<Value = UnitPlan> {
    (
        0_i64..=2_000_000_000,
        12_u32..=120,
        0_i64..=500_000_000,
        0_i64..=95,
        0_i64..=50_000_000,
        (0_i64..=60, 0_i64..=30, 0_i64..=45),
        (-10_i64..=20, 1_u32..=6),
    )
        .prop_map(
            |(capex, life, rev, cogs, opex, (inv, rec, pay), (growth, start))| {
                UnitPlan::new(
                    "Unit",
                    UnitKind::Sembako,
                    Rupiah::from_rupiah(capex),
                    life,
                    Rupiah::from_rupiah(rev),
                    Decimal::from(cogs),
                    Rupiah::from_rupiah(opex),
                )
                .with_working_capital(Decimal::from(inv), Decimal::from(rec), Decimal::from(pay))
                .with_growth(Decimal::from(growth), Decimal::from(5))
                .with_start_month(start)
            },
        )
}

/// Financing: none, a bank loan (any grace treatment) or a PMK 49/2025 loan within its limits.
pub fn financing() -> impl Strategy<Value = Financing> {
    prop_oneof![
        Just(Financing::none()),
        (
            1_i64..=5_000_000_000,
            1_i64..=24,
            12_u32..=96,
            0_u32..=6,
            any::<bool>()
        )
            .prop_map(|(p, rate, tenor, grace, cap)| Financing::loan(
                SchemeId::BankLoan,
                Rupiah::from_rupiah(p),
                Decimal::from(rate),
                tenor,
                grace.min(tenor.saturating_sub(1)),
                if cap {
                    GraceTreatment::Capitalised
                } else {
                    GraceTreatment::InterestOnly
                },
            )),
        (1_i64..=3_000_000_000, 24_u32..=72, 6_u32..=8, any::<bool>()).prop_map(
            |(p, tenor, grace, cap)| Financing::loan(
                SchemeId::Pmk49_2025,
                Rupiah::from_rupiah(p),
                Decimal::from(6),
                tenor,
                grace,
                if cap {
                    GraceTreatment::Capitalised
                } else {
                    GraceTreatment::InterestOnly
                },
            )
        ),
    ]
}

/// A plan of 1–7 units over 12–120 months with any financing and own funds.
pub fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(unit(), 1..=7),
        12_u32..=120,
        financing(),
        0_i64..=3_000_000_000,
        1_u32..=12,
    )
        .prop_map(|(units, months, financing, own, month)| {
            let units = units
                .into_iter()
                .map(|u| {
                    let s = u.start_month.min(months);
                    u.with_start_month(s)
                })
                .collect();
            Plan::new(
                "KKMP",
                NaiveDate::from_ymd_opt(2026, month, 1).unwrap_or_default(),
                months,
                units,
            )
            .with_financing(financing)
            .with_own_funds(Rupiah::from_rupiah(own), Rupiah::ZERO)
        })
}
