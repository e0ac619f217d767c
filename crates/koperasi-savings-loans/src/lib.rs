//! # koperasi-savings-loans — the simpan pinjam engine
//!
//! Loan schedules (flat, annuity, equal principal) with grace periods, daily interest, holiday
//! calendars and explicit rounding; repayments with a configurable allocation order, late
//! penalties, prepayment and days past due; collectibility (the cooperative four-class scheme
//! and an optional bank five-class profile), problem-loan risk and the loss reserve (PPAP);
//! write-off and recovery; savings products (pokok, wajib, sukarela, berjangka) with their
//! withdrawal rules, interest and withholding tax; exit settlement; and the cooperative as a
//! borrower of Himbara financing under PMK 49/2025.
//!
//! The crate **computes and returns results with exact amounts; it does not post**. Each
//! operation returns what the umbrella book needs to build journal entries: a
//! [`Disbursement`], a [`Repayment`] with an [`Allocation`] `{penalty, fee, interest,
//! principal}` per installment and the `excess`, [`PenaltyCharge`]s, [`WriteOff`],
//! [`Recovery`], [`InterestPosting`] (interest, tax withheld, net), [`TimeDepositPayout`],
//! [`ExitSettlement`], [`ReserveRequirement`].
//!
//! Money is [`Rupiah`](koperasi_core::Rupiah) (exact sen); internally amounts are integer sen
//! and rates exact fractions. No floating point anywhere; rounding only through explicit
//! policies.
//!
//! ## Example: a member's loan, from schedule to repayment
//!
//! ```
//! use koperasi_core::{chrono::NaiveDate, Decimal, Rate, Rupiah};
//! use koperasi_savings_loans::{
//!     InstallmentRounding, Loan, LoanOptions, LoanTerms, Method, PenaltyRule, Charge,
//! };
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let r = Rupiah::from_rupiah;
//! // Siti Rahayu borrows Rp5.000.000 at 1,5% a month flat for 10 months; installments rounded
//! // up to Rp1.000.
//! let terms = LoanTerms::new(r(5_000_000), Rate::per_month(Decimal::new(15, 1))?, 10,
//!         Method::Flat, d(2025, 1, 10))
//!     .with_installment_multiple(r(1_000), InstallmentRounding::Up);
//! let schedule = terms.schedule()?;
//! assert_eq!(schedule.installments()[0].installment, r(575_000));
//! assert_eq!(schedule.totals()?.principal, r(5_000_000)); // exact, always
//!
//! // Denda Rp1.000 per day late, waived when paid within 3 days.
//! let options = LoanOptions::default()
//!     .with_penalty(PenaltyRule::PerDay { charge: Charge::Fixed(r(1_000)), grace_days: 3 });
//! let (mut loan, _disbursement) = Loan::disburse(terms, options, &[])?;
//! // The first installment (due 10 February) is paid 5 days late.
//! let paid = loan.repay(d(2025, 2, 15), r(580_000))?;
//! assert_eq!(paid.totals.penalty, r(5_000));
//! assert_eq!(paid.totals.interest, r(75_000));
//! assert_eq!(paid.totals.principal, r(500_000));
//! assert_eq!(paid.excess, r(0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | pinjaman, pokok pinjaman, tenor | [`LoanTerms`] (`principal`, `installments`), [`Loan`] |
//! | jadwal angsuran, angsuran ke-, sisa pinjaman | [`Schedule`], [`ScheduledInstallment`] (`number`, `balance`) |
//! | angsuran, pokok, bunga / jasa | [`ScheduledInstallment`] (`installment`, `principal`, `interest`) |
//! | bunga flat / anuitas / efektif (menurun, sliding) | [`Method::Flat`], [`Method::Annuity`], [`Method::EqualPrincipal`] |
//! | bunga efektif per tahun | [`Schedule::effective_rate`], [`EffectiveRate`] |
//! | masa tenggang (grace) pokok / bunga, bebas bunga | [`Grace`] (`principal`, `interest`, `interest_free`) |
//! | jatuh tempo, tanggal 12 | [`FirstDue`], [`LoanTerms::schedule_with`] over a `HolidayCalendar` |
//! | pembulatan angsuran ke atas Rp1.000 | [`ScheduleRounding`], [`InstallmentRounding::Up`] |
//! | pencairan, provisi, biaya administrasi | [`Loan::disburse`], [`Disbursement`], [`Fee`], [`FeeKind`] |
//! | pembayaran angsuran, pelunasan dipercepat | [`Loan::repay`], [`Repayment`], [`Overpayment`], [`Loan::payoff_amount`] |
//! | urutan alokasi pembayaran | [`AllocationOrder`], [`allocate`] |
//! | denda keterlambatan | [`PenaltyRule`], [`PenaltyCharge`] |
//! | tunggakan, hari keterlambatan | [`Loan::arrears`], [`Loan::days_past_due`] |
//! | kolektibilitas: lancar, kurang lancar, diragukan, macet | [`Collectibility`] (`Current`, `Substandard`, `Doubtful`, `Loss`), [`classify`] |
//! | dalam perhatian khusus (bank) | [`BankCollectibility::SpecialMention`] |
//! | agunan | [`CollateralInfo`] |
//! | risiko pinjaman bermasalah | [`problem_loan_risk`] |
//! | PPAP, cadangan kerugian piutang | [`ReserveRates`], [`required_reserve`] |
//! | hapus buku, penagihan kembali | [`Loan::write_off`], [`Loan::recover`] |
//! | simpanan pokok / wajib / sukarela / berjangka | [`SavingsKind`] (`Principal`, `Mandatory`, `Voluntary`, `TimeDeposit`) |
//! | tunggakan simpanan wajib | [`SavingsAccount::mandatory_arrears`] |
//! | jasa simpanan, saldo harian / rata-rata / terendah | [`InterestPolicy`], [`BalanceMethod`], [`SavingsAccount::close_interest_period`] |
//! | `PPh` final bunga simpanan | [`WithholdingTax`] |
//! | anggota keluar, pengembalian simpanan, kompensasi | [`exit_settlement`], [`ExitSettlement`], [`SavingsAccount::close_on_exit`] |
//! | pembiayaan Himbara (PMK 49/2025) | [`HimbaraProfile`], [`GraceInterest`] |
//!
//! ## Rounding
//! Every amount of a schedule is rounded at its precision (whole rupiah by default, or sen) by
//! its mode (half-up by default); an installment multiple rounds the installment, and the
//! **last installment absorbs every difference**, so Σ principal is the loan amount exactly.
//! Annuity payments are computed with 28-digit decimals and rounded once; that computation
//! itself runs only near a rounding boundary, elsewhere an outward-rounded 64-bit interval
//! proves the same rounded amount far more cheaply. Savings interest is rounded half-up to the
//! sen per period; taxes and penalties to the rupiah.
//!
//! ## Invariants (each has a named property test)
//! * Schedules: Σ principal = loan amount — `prop_schedule_principal_sums_to_loan`; every
//!   balance ≥ 0 and the last is 0 — `prop_balance_never_negative_and_ends_at_zero`;
//!   installment = principal + interest — `prop_installment_is_principal_plus_interest`.
//! * Repayments: allocated parts + excess = payment, and nothing is paid beyond what is owed —
//!   `prop_allocation_sums_to_payment`, `prop_allocate_never_exceeds_dues`; a loan repaid
//!   in full has paid exactly its principal — `prop_prepayment_keeps_principal_exact`;
//!   repaying the payoff amount closes the loan with nothing outstanding and no excess —
//!   `prop_payoff_closes_the_loan`.
//! * Savings: a withdrawal never leaves less than the product minimum —
//!   `prop_withdrawal_never_overdraws`; pokok and wajib are never withdrawable by an active
//!   member — `prop_pokok_wajib_not_withdrawable_by_active_member`.
//! * A rejected operation changes nothing — `prop_rejected_repayment_changes_nothing`.
//! * Fast paths equal their straightforward references: the annuity installment —
//!   `prop_annuity_fast_path_equals_decimal`; due dates advanced month by month —
//!   `prop_incremental_due_dates_equal_recomputed`; 64-bit interest —
//!   `prop_prepared_ratio_equals_apply`; 64-bit schedules of loans without grace —
//!   `prop_plain_schedule_equals_general`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every state and result type (amounts as exact
//!   strings, dates as ISO 8601), so loans and accounts can be persisted as they are.
//! * `proptest` — [`strategy`], proptest strategies for loan terms.
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

mod allocation;
mod annuity;
mod collectibility;
mod error;
mod himbara;
mod loan;
mod money;
mod savings;
mod schedule;
mod terms;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

#[cfg(test)]
mod tests;

pub use allocation::{
    AllocationOrder, AllocationPlan, AllocationStrategy, Component, Dues, allocate,
};
pub use collectibility::{
    BankCollectibility, ByClass, CollateralInfo, Collectibility, CollectibilityFacts,
    PortfolioLine, ReserveRates, ReserveRequirement, bank_collectibility, classify,
    portfolio_by_class, problem_loan_risk, required_reserve,
};
pub use error::{Error, Result};
pub use himbara::{GraceInterest, HimbaraProfile, HimbaraViolation};
pub use loan::{
    Allocation, Charge, Disbursement, Fee, FeeCollection, FeeKind, InstallmentState, Loan,
    LoanOptions, LoanStatus, Overpayment, PenaltyCharge, PenaltyRule, Recovery, Repayment,
    WriteOff,
};
pub use savings::{
    BalanceMethod, EarlyWithdrawal, ExitSettlement, InterestPolicy, InterestPosting,
    MemberStanding, Obligation, Posting, SavingsAccount, SavingsKind, SavingsProduct,
    SavingsTransaction, TimeDepositPayout, WithholdingTax, exit_settlement,
};
pub use schedule::{EffectiveRate, Schedule, ScheduleTotals, ScheduledInstallment};
pub use terms::{
    DayCount, FirstDue, Grace, InstallmentRounding, InterestPeriod, LoanTerms, MAX_INSTALLMENTS,
    Method, Precision, ScheduleRounding,
};
