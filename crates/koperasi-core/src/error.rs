//! The crate's one error type.

use rust_decimal::Decimal;

/// Why a text could not be read as a [`Rupiah`](crate::Rupiah) amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseAmountErrorKind {
    /// The input is empty (or only a sign).
    Empty,
    /// A character that is not an ASCII digit, a single `.` or a leading `-`.
    InvalidCharacter,
    /// A second decimal point.
    SecondDecimalPoint,
    /// A decimal point with no digit before or after it (`.5`, `5.`).
    MissingDigits,
    /// More than two digits after the decimal point (amounts are whole sen).
    TooManyDecimals,
    /// More digits than an amount can hold.
    TooLarge,
}

impl core::fmt::Display for ParseAmountErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty amount",
            Self::InvalidCharacter => "invalid character (only digits, one '.', a leading '-')",
            Self::SecondDecimalPoint => "second decimal point",
            Self::MissingDigits => "decimal point needs digits on both sides",
            Self::TooManyDecimals => "more than 2 decimals (amounts are whole sen)",
            Self::TooLarge => "too many digits",
        })
    }
}

/// Every way an operation of `koperasi-core` can fail.
///
/// Each variant names what was wrong and where (the offending value, the index of a weight,
/// the byte offset in a parsed text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A text is not a valid amount.
    #[error("invalid amount {input:?} at byte {offset}: {kind}")]
    ParseAmount {
        /// The rejected text.
        input: String,
        /// Byte offset of the first offending character.
        offset: usize,
        /// What was wrong.
        kind: ParseAmountErrorKind,
    },
    /// An amount has more than two decimals (rupiah amounts are whole sen).
    #[error("amount {value} has more than 2 decimals (amounts are whole sen)")]
    TooPrecise {
        /// The rejected value.
        value: Decimal,
    },
    /// An arithmetic result does not fit.
    #[error("arithmetic overflow in {op}")]
    Overflow {
        /// The operation that overflowed.
        op: &'static str,
    },
    /// A division by zero was asked for.
    #[error("division by zero in {op}")]
    DivisionByZero {
        /// The operation.
        op: &'static str,
    },
    /// A rounding step or split unit is zero or negative.
    #[error("rounding step {step} must be positive")]
    InvalidStep {
        /// The rejected step.
        step: Decimal,
    },
    /// A total that must be split in whole units of `unit` is not a multiple of it.
    #[error("total {total} is not a multiple of the unit {unit}")]
    NotMultipleOfUnit {
        /// The total.
        total: Decimal,
        /// The unit.
        unit: Decimal,
    },
    /// A split was asked with no weights.
    #[error("cannot split over an empty list of weights")]
    NoWeights,
    /// A split weight is negative.
    #[error("weight {weight} at index {index} is negative")]
    NegativeWeight {
        /// Position of the weight in the input.
        index: usize,
        /// The weight.
        weight: Decimal,
    },
    /// Every split weight is zero, so there is no proportion to split by.
    #[error("all {count} weights are zero")]
    AllZeroWeights {
        /// How many weights were given.
        count: usize,
    },
    /// A rate is negative.
    #[error("rate {percent}% is negative")]
    NegativeRate {
        /// The rejected percentage.
        percent: Decimal,
    },
    /// A rounding mode name is not one of `half-up`, `half-even`, `down`, `up`.
    #[error("unknown rounding mode {input:?} (expected half-up, half-even, down or up)")]
    UnknownRoundingMode {
        /// The rejected text.
        input: String,
    },
    /// A month number is outside 1..=12.
    #[error("month {month} is not in 1..=12")]
    InvalidMonth {
        /// The rejected month.
        month: u32,
    },
    /// A day of the month is outside 1..=31.
    #[error("day {day} is not in 1..=31")]
    InvalidDay {
        /// The rejected day.
        day: u32,
    },
    /// A year/month/day does not name a calendar date, or date arithmetic left chrono's range.
    #[error("no such date: {year:04}-{month:02}-{day:02}")]
    InvalidDate {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// Day.
        day: u32,
    },
    /// A period ends before it starts.
    #[error("period ends ({end}) before it starts ({start})")]
    InvalidPeriod {
        /// Start date.
        start: chrono::NaiveDate,
        /// End date.
        end: chrono::NaiveDate,
    },
    /// No working day was found within the search window (a calendar marking every day a holiday).
    #[error("no working day within {days} days after {from}")]
    NoBusinessDay {
        /// The date the search started at.
        from: chrono::NaiveDate,
        /// How many days were searched.
        days: u32,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
