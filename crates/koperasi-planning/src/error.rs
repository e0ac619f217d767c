//! The crate's error type.

use koperasi_core::{Decimal, Rupiah};

/// Everything that can go wrong in this crate. Every variant says what was wrong and where; a
/// function that returns an error has produced nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of the shared vocabulary (amount overflow, invalid date …).
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
    /// A loan schedule could not be built (from `koperasi-savings-loans`).
    #[error("financing schedule: {0}")]
    Schedule(#[from] koperasi_savings_loans::Error),
    /// An amount that must not be negative is negative.
    #[error("{field} must not be negative, got {value}")]
    NegativeAmount {
        /// Where: `units[0].monthly_revenue`, `financing.principal` …
        field: String,
        /// The amount given.
        value: Rupiah,
    },
    /// A percentage or another number outside its range.
    #[error("{field} = {value} is not in {min}..={max}")]
    OutOfRange {
        /// Where.
        field: String,
        /// The value given.
        value: Decimal,
        /// Smallest accepted value.
        min: Decimal,
        /// Largest accepted value.
        max: Decimal,
    },
    /// A count of months outside its range.
    #[error("{field} = {value} months is not in {min}..={max}")]
    MonthsOutOfRange {
        /// Where.
        field: String,
        /// The value given.
        value: u32,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// A list of the wrong length or an empty required list.
    #[error("{field}: {detail}")]
    InvalidList {
        /// Where.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// Terms that break a rule the financing scheme enforces (e.g. a tenor beyond the 72 months
    /// of PMK 49/2025).
    #[error("{scheme}: {rule} — {detail}")]
    SchemeLimit {
        /// The scheme id (`pmk-49-2025` …).
        scheme: String,
        /// The rule broken (`scheme.tenor` …).
        rule: String,
        /// The rule and the value that breaks it.
        detail: String,
    },
    /// A plan start date that is not the first day of a month.
    #[error("plan start {date} must be the first day of a month")]
    StartNotFirstOfMonth {
        /// The date given.
        date: chrono::NaiveDate,
    },
    /// A fiscal year that does not overlap the plan.
    #[error("fiscal year {year} is outside the plan ({first} to {last})")]
    YearOutsidePlan {
        /// The fiscal year asked for.
        year: i32,
        /// First plan month.
        first: chrono::NaiveDate,
        /// Last plan month.
        last: chrono::NaiveDate,
    },
    /// Arithmetic overflow in a named computation (never silently Rp0).
    #[error("arithmetic overflow in {op}")]
    Overflow {
        /// The computation.
        op: &'static str,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
