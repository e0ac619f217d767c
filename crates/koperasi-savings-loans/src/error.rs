//! The crate's error type.

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};

use crate::himbara::HimbaraViolation;
use crate::savings::SavingsKind;

/// Everything that can go wrong in this crate. Every variant names what was wrong and where;
/// an operation that returns an error has changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of the shared vocabulary (amount overflow, invalid date, no working day …).
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
    /// The loan amount is zero, negative, or finer than the schedule's precision.
    #[error("loan principal {principal} must be positive and a multiple of {precision}")]
    InvalidPrincipal {
        /// The amount given.
        principal: Rupiah,
        /// The schedule's precision (Rp1 or Rp0,01).
        precision: Rupiah,
    },
    /// The number of installments is outside `1..=max`.
    #[error("number of installments {installments} is not in 1..={max}")]
    InvalidTenor {
        /// The number given.
        installments: u32,
        /// The largest accepted number.
        max: u32,
    },
    /// Repayment every `every_months` months, outside `1..=12`.
    #[error("repayment every {every_months} months is not in 1..=12")]
    InvalidFrequency {
        /// The frequency given.
        every_months: u32,
    },
    /// A fixed due day outside `1..=31`.
    #[error("due day {day} is not in 1..=31")]
    InvalidDueDay {
        /// The day given.
        day: u32,
    },
    /// A rate that is too large (above 10.000% a year) or has more than 10 decimals.
    #[error("rate {percent}% is out of range (at most 10000% a year, at most 10 decimals)")]
    RateOutOfRange {
        /// The percentage given.
        percent: Decimal,
    },
    /// A grace (or interest-free) period that leaves no installment to pay.
    #[error("{what} of {periods} periods is too long for {installments} installments")]
    InvalidGrace {
        /// Which grace: `"grace on principal"`, `"grace on interest"`, `"interest-free period"`.
        what: &'static str,
        /// The number of periods given.
        periods: u32,
        /// The number of installments of the loan.
        installments: u32,
    },
    /// An installment multiple that is not positive or not a multiple of the precision.
    #[error("installment multiple {multiple} must be positive and a multiple of {precision}")]
    InvalidInstallmentMultiple {
        /// The multiple given.
        multiple: Rupiah,
        /// The schedule's precision.
        precision: Rupiah,
    },
    /// An installment multiple too large for the loan: rounded to it, a regular installment
    /// would repay no principal (interest-only rows and one balloon), or would repay the whole
    /// loan before its last installment. Such a multiple cannot produce the schedule asked for.
    #[error(
        "installment multiple {multiple} is too large for this loan of {installments} installments: installment {row} would {what}; use a smaller multiple"
    )]
    InstallmentMultipleTooLarge {
        /// The multiple given.
        multiple: Rupiah,
        /// The number of installments asked for.
        installments: u32,
        /// The first installment (1-based) that shows it.
        row: u32,
        /// What goes wrong there.
        what: &'static str,
    },
    /// A money amount that must be positive (a payment, a deposit, a fee …) is not.
    #[error("{what} must be positive, got {amount}")]
    NonPositiveAmount {
        /// What the amount is.
        what: &'static str,
        /// The amount given.
        amount: Rupiah,
    },
    /// A percentage outside `0..=100` (penalty, reserve, tax …).
    #[error("{what} of {percent}% is not in 0..=100")]
    InvalidPercent {
        /// What the percentage is.
        what: &'static str,
        /// The percentage given.
        percent: Decimal,
    },
    /// A date earlier than the last date the account or loan has already seen.
    #[error("{what} on {date} is before {earliest}")]
    DateOutOfOrder {
        /// What is being dated.
        what: &'static str,
        /// The date given.
        date: NaiveDate,
        /// The earliest accepted date.
        earliest: NaiveDate,
    },
    /// The loan is closed or written off and cannot take this operation.
    #[error("loan is {status}, not active")]
    LoanNotActive {
        /// The loan's status (`closed` or `written off`).
        status: &'static str,
    },
    /// The loan is not written off, so there is nothing to recover.
    #[error("loan is not written off")]
    NotWrittenOff,
    /// An allocation order that does not name each component exactly once.
    #[error("allocation order must list penalty, fee, interest and principal exactly once")]
    InvalidAllocationOrder,
    /// A withdrawal that would take the balance below the product's minimum.
    #[error("withdrawal of {requested} leaves less than the minimum {minimum} (balance {balance})")]
    InsufficientBalance {
        /// The balance before the withdrawal.
        balance: Rupiah,
        /// The amount asked for.
        requested: Rupiah,
        /// The minimum balance of the product.
        minimum: Rupiah,
    },
    /// Simpanan pokok and wajib cannot be withdrawn while the holder is an active member.
    #[error("{kind} savings cannot be withdrawn by an active member")]
    NotWithdrawable {
        /// The kind of savings.
        kind: SavingsKind,
    },
    /// The operation does not apply to this kind of savings.
    #[error("operation {operation} does not apply to {kind} savings")]
    WrongSavingsKind {
        /// The operation attempted.
        operation: &'static str,
        /// The kind of the account.
        kind: SavingsKind,
    },
    /// The savings account is closed.
    #[error("savings account is closed")]
    AccountClosed,
    /// Simpanan pokok is paid once, for exactly the product's amount.
    #[error("simpanan pokok must be paid once for exactly {expected}, got {amount}")]
    PrincipalSavingsAmount {
        /// The product's amount.
        expected: Rupiah,
        /// The amount offered.
        amount: Rupiah,
    },
    /// Terms outside the Himbara financing rules of PMK 49/2025.
    #[error("outside PMK 49/2025: {0}")]
    Himbara(HimbaraViolation),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
