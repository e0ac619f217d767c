//! # koperasi-planning — business planning and financing feasibility for a KDMP/KKMP
//!
//! Before a Koperasi Desa/Kelurahan Merah Putih starts, its pengurus and members map the
//! business potential of their desa or kelurahan, choose units and plan their finances; the
//! city office mentors them against that plan; a Himbara bank finances the outlets. This crate
//! computes all of it, exactly (integer sen, explicit rounding), with no I/O:
//!
//! 1. **Business-potential mapping** ([`mapping`]): a village profile and candidate units →
//!    a ranked, explained score per unit (every score lists its inputs and weights; weights
//!    are data, [`mapping::Weights::default_profile`]) and a demand estimate.
//! 2. **Unit plans and projections** ([`Plan`], [`UnitPlan`], [`Prepared::project`]): capex and
//!    depreciation, revenue (volume × price, growth, seasonality), HPP, operating costs, staff,
//!    working capital; the cooperative's income statement (PHU), cash flow and balance sheet
//!    every month for up to 120 months.
//! 3. **Financing feasibility** ([`assess`]): schemes as dated configuration
//!    ([`SchemeRules`]: PMK 49/2025 as issued, the draft replacement, an ordinary bank loan,
//!    none), schedules from `koperasi-savings-loans` (interest-only or capitalised grace, due
//!    day), DSCR per month, minimum and average, repayment capacity (RPC), break-even revenue
//!    per unit, payback, NPV and IRR ([`metrics`]), the scheme's rules and the feasibility
//!    tests as [`Finding`]s, and sensitivity ([`Scenario`], [`sensitivity`], [`grid`]).
//! 4. **RAPB and plan versus actual** ([`rapb`]): the budget the RAT approves for a fiscal year,
//!    and variance against a book's actuals ([`rapb::Actuals`], filled by the caller — the CLI
//!    reads them from a `koperasi::Koperasi` book) with mentoring findings.
//! 5. **Reports** ([`report`]): Markdown and self-contained HTML with SVG charts of cash and
//!    DSCR over time, Indonesian labels and number format; the report tables as plain data
//!    for other renderers (the CLI writes XLSX through `koperasi-reporting`).
//!
//! ## Example: a KKMP with three units and Himbara financing
//!
//! ```
//! use koperasi_core::{chrono::NaiveDate, Decimal, Rupiah};
//! use koperasi_planning::{assess, Financing, GraceTreatment, Plan, SchemeId, UnitKind, UnitPlan};
//!
//! let r = Rupiah::from_rupiah;
//! let units = vec![
//!     UnitPlan::new("Gerai sembako", UnitKind::Sembako, r(1_500_000_000), 120,
//!         r(450_000_000), Decimal::from(80), r(20_000_000)),
//!     UnitPlan::new("Apotek desa", UnitKind::Apotek, r(800_000_000), 96,
//!         r(120_000_000), Decimal::from(70), r(12_000_000)),
//!     UnitPlan::new("Cold storage", UnitKind::ColdStorage, r(700_000_000), 96,
//!         r(60_000_000), Decimal::from(20), r(15_000_000)),
//! ];
//! let plan = Plan::new("KKMP Sukamaju", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 72, units)
//!     .with_financing(Financing::loan(SchemeId::Pmk49_2025, r(3_000_000_000),
//!         Decimal::from(6), 72, 6, GraceTreatment::InterestOnly))
//!     .with_own_funds(r(50_000_000), r(150_000_000));
//! let a = assess(&plan)?;
//! assert_eq!(a.installment, Some(r(53_478_818)));
//! assert_eq!(a.months.len(), 72);
//! assert!(a.months.iter().all(|m| m.total_assets == m.total_liabilities_and_equity));
//! println!("DSCR terendah {:?}, layak: {}", a.dscr_min, a.feasible);
//! # Ok::<(), koperasi_planning::Error>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | rencana bisnis, proposal bisnis | [`Plan`] |
//! | rencana usaha unit, gerai sembako, apotek, klinik, cold storage | [`UnitPlan`], [`UnitKind`] |
//! | belanja modal, penyusutan, umur ekonomis | `UnitPlan::capex`, `useful_life_months`, [`UnitMonth::depreciation`] |
//! | pendapatan, HPP, beban operasional, gaji | `monthly_revenue`, `cogs_percent`, `monthly_opex`, [`Staff`] |
//! | persediaan, piutang, utang usaha (hari) | `inventory_days`, `receivable_days`, `payable_days` |
//! | PHU, arus kas, neraca per bulan | [`MonthProjection`] |
//! | pembiayaan Himbara, plafon, masa tenggang, tenor | [`Financing`], [`SchemeRules`], [`GraceTreatment`] |
//! | kemampuan bayar (RPC), DSCR, titik impas, masa pengembalian | [`Assessment`] (`rpc`, `dscr_min`, `break_even_monthly_revenue`, `payback_months`) |
//! | studi kelayakan, temuan | [`Assessment`], [`Finding`], [`Severity`] |
//! | analisis sensitivitas | [`Scenario`], [`sensitivity`] |
//! | pemetaan potensi usaha, profil desa/kelurahan | [`mapping::Profile`], [`mapping::map`] |
//! | RAPB (rencana anggaran pendapatan dan belanja) | [`rapb::Rapb`], [`rapb::rapb`] |
//! | realisasi, selisih anggaran, pendampingan | [`rapb::Actuals`], [`rapb::variance`] |
//!
//! ## Rounding
//! Every amount is rounded once, half-up to the whole rupiah (see [`Prepared`]'s module for the
//! list); depreciation is rounded down with the last month taking the remainder. Ratios (DSCR)
//! are rounded half-up to 4 decimals, IRR to 16 decimals per month and 6 decimals of a percent
//! per year. NPV and IRR are computed in 28-digit decimals ([`metrics`]), never in floating
//! point.
//!
//! ## Invariants (each has a named property test in `tests/properties.rs`)
//! * The projected balance sheet balances every month — `prop_balance_sheet_balances`.
//! * The cash flow reconciles to the change in cash — `prop_cash_flow_reconciles`.
//! * More revenue never lowers DSCR — `prop_more_revenue_never_lowers_dscr`.
//! * A plan with zero financing has zero debt service — `prop_no_financing_no_debt_service`.
//! * Depreciation adds up to the capex on the books — `prop_depreciation_sums_to_capex`.
//! * The RAPB of all fiscal years adds up to the plan — `prop_rapb_years_sum_to_plan`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — deserialize plans and profiles (amounts as decimal strings or integers; floats
//!   are rejected) and serialize every result (amounts as exact strings).
//! * `proptest` — [`strategy`], proptest strategies for plans.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

mod assess;
mod error;
mod financing;
pub mod mapping;
pub mod metrics;
mod num;
mod plan;
mod projection;
pub mod rapb;
pub mod report;
mod scheme;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use assess::{
    Assessment, Finding, SensitivityResult, Severity, UnitSummary, assess, assess_with, grid,
    sensitivity,
};
pub use error::{Error, Result};
pub use plan::{Financing, MAX_PLAN_MONTHS, Plan, Staff, UnitKind, UnitPlan};
pub use projection::{
    MonthProjection, Opening, Prepared, Projection, Scenario, UnitMonth, UnitProjection,
};
pub use scheme::{Borrower, GraceTreatment, SchemeId, SchemeRules, SchemeStatus};
