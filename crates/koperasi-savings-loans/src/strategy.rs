//! [`proptest`](https://docs.rs/proptest) strategies for loan terms, for embedders' own
//! property tests.

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, RoundingMode, Rupiah};
use proptest::prelude::*;

use crate::terms::{
    DayCount, FirstDue, Grace, InstallmentRounding, InterestPeriod, LoanTerms, Method, Precision,
};

/// Any method.
pub fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Flat),
        Just(Method::Annuity),
        Just(Method::EqualPrincipal)
    ]
}

/// Rates from 0% to 600% a year or 0% to 50% a month, up to 3 decimals (extremes included).
pub fn rate() -> impl Strategy<Value = Rate> {
    prop_oneof![
        (0_i64..=600_000).prop_filter_map("rate", |m| Rate::per_year(Decimal::new(m, 3)).ok()),
        (0_i64..=50_000).prop_filter_map("rate", |m| Rate::per_month(Decimal::new(m, 3)).ok()),
        Just(Rate::ZERO),
    ]
}

/// Valid loan terms: 1–360 installments, any method, grace combinations, daily interest,
/// fixed due days, both precisions, every rounding mode and installment multiples (those
/// the loan can use: see [`crate::Error::InstallmentMultipleTooLarge`]).
pub fn loan_terms() -> impl Strategy<Value = LoanTerms> {
    (
        (
            1_i64..=5_000_000_000,
            method(),
            rate(),
            1_u32..=360,
            1_u32..=12,
        ),
        (0_u32..=40, 0_u32..=40, 0_u32..=40),
        (
            prop::option::of(1_u32..=31),
            prop_oneof![
                Just(InterestPeriod::Repayment),
                Just(InterestPeriod::Daily(DayCount::Actual365)),
                Just(InterestPeriod::Daily(DayCount::ActualActual)),
                Just(InterestPeriod::Daily(DayCount::Thirty360)),
            ],
            any::<bool>(),
            koperasi_core::strategy::rounding_mode(),
            prop::option::of((
                prop_oneof![Just(1_i64), Just(100), Just(1_000), Just(50_000)],
                any::<bool>(),
            )),
            0_i64..=3650,
        ),
    )
        .prop_map(
            |((p, m, r, n, every), (gp, gi, gf), (day, ip, sen, mode, mult, start))| {
                let precision = if sen {
                    Precision::Sen
                } else {
                    Precision::WholeRupiah
                };
                let principal = if sen {
                    Rupiah::from_sen(p)
                } else {
                    Rupiah::from_rupiah(p.saturating_div(100).saturating_add(1))
                };
                let start = NaiveDate::from_ymd_opt(2020, 1, 1)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(start.unsigned_abs())))
                    .unwrap_or_default();
                let every = if n > 120 { 1 } else { every };
                let mut t = LoanTerms::new(principal, r, n, m, start)
                    .with_every_months(every)
                    .with_interest_period(ip)
                    .with_grace(Grace::new(
                        gp.min(n.saturating_sub(1)),
                        gi.min(n.saturating_sub(1)),
                        gf.min(n),
                    ))
                    .with_precision(precision)
                    .with_rounding_mode(mode_or_default(mode));
                if let Some(d) = day {
                    t = t.with_first_due(FirstDue::DayOfMonth(d));
                }
                if let Some((mult, up)) = mult {
                    let how = if up {
                        InstallmentRounding::Up
                    } else {
                        InstallmentRounding::Nearest
                    };
                    let with = t
                        .clone()
                        .with_installment_multiple(Rupiah::from_rupiah(mult), how);
                    // Only multiples the loan can use: a larger one is rejected by design
                    // (`Error::InstallmentMultipleTooLarge`), so the terms keep none.
                    let fits = !matches!(
                        with.schedule(),
                        Err(crate::Error::InstallmentMultipleTooLarge { .. })
                    );
                    if fits {
                        t = with;
                    }
                }
                t
            },
        )
}

fn mode_or_default(m: RoundingMode) -> RoundingMode {
    m
}
