//! The crate's one error type.

use rust_decimal::Decimal;

/// What went wrong on one line of a plaintext-accounting journal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JournalErrorKind {
    /// A feature of hledger/ledger-cli that this reader does not support (named); rejected,
    /// never silently skipped.
    Unsupported(&'static str),
    /// A date that is not `YYYY-MM-DD` (or with `/` or `.`), or not a calendar date.
    InvalidDate,
    /// An amount that is not an exact `IDR` amount with at most two decimals.
    InvalidAmount,
    /// A commodity other than `IDR`.
    UnknownCommodity(String),
    /// A posting without an account name.
    MissingAccount,
    /// A posting line outside a transaction.
    PostingOutsideTransaction,
    /// More than one posting of a transaction has no amount.
    TwoElidedAmounts,
    /// A transaction with fewer than two postings.
    TooFewPostings,
    /// The postings of a transaction do not sum to zero (the sum, in sen).
    Unbalanced {
        /// The sum of the postings, in sen.
        sum_sen: i128,
    },
    /// A posting-level balance assertion failed.
    AssertionFailed {
        /// The account.
        account: String,
        /// Asserted balance, in sen.
        expected_sen: i128,
        /// Actual running balance, in sen.
        actual_sen: i128,
    },
    /// A `comment` block without `end comment`.
    UnterminatedComment,
    /// Sums left the range of exact amounts.
    Overflow,
    /// The file is not UTF-8.
    NotUtf8,
    /// An account that the chart does not know (import into a ledger).
    UnknownAccount(String),
}

impl core::fmt::Display for JournalErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Unsupported(what) => write!(f, "unsupported: {what}"),
            Self::InvalidDate => f.write_str("invalid date (expected YYYY-MM-DD)"),
            Self::InvalidAmount => {
                f.write_str("invalid amount (expected IDR with at most 2 decimals)")
            }
            Self::UnknownCommodity(c) => {
                write!(f, "unknown commodity {c:?} (only IDR is supported)")
            }
            Self::MissingAccount => f.write_str("posting without an account name"),
            Self::PostingOutsideTransaction => {
                f.write_str("indented posting outside a transaction")
            }
            Self::TwoElidedAmounts => f.write_str("more than one posting without an amount"),
            Self::TooFewPostings => f.write_str("transaction with fewer than two postings"),
            Self::Unbalanced { sum_sen } => {
                write!(f, "transaction does not balance (off by {sum_sen} sen)")
            }
            Self::AssertionFailed {
                account,
                expected_sen,
                actual_sen,
            } => write!(
                f,
                "balance assertion failed for {account}: asserted {expected_sen} sen, actual {actual_sen} sen"
            ),
            Self::UnterminatedComment => f.write_str("comment block without `end comment`"),
            Self::Overflow => f.write_str("amount overflow"),
            Self::NotUtf8 => f.write_str("not valid UTF-8"),
            Self::UnknownAccount(a) => write!(f, "account {a:?} is not in the chart of accounts"),
        }
    }
}

/// A problem found when validating a health-assessment profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileProblem {
    /// The weights (bobot) do not sum to 100.
    WeightsDoNotSum {
        /// Their sum.
        total: Decimal,
    },
    /// An indicator has no bands, or its bands overlap or leave a gap.
    BadBands {
        /// The indicator.
        indicator: String,
    },
    /// An indicator has an empty denominator.
    EmptyDenominator {
        /// The indicator.
        indicator: String,
    },
    /// Two indicators share a code.
    DuplicateIndicator {
        /// The code.
        indicator: String,
    },
    /// The predikat bands are not in descending order of minimum score.
    PredikatBandsUnordered,
    /// A rounding precision with more than two decimals.
    PrecisionTooFine {
        /// The number of decimals asked for.
        decimals: u32,
    },
}

impl core::fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::WeightsDoNotSum { total } => write!(f, "weights sum to {total}, not 100"),
            Self::BadBands { indicator } => {
                write!(f, "bands of {indicator} are empty, overlap or leave a gap")
            }
            Self::EmptyDenominator { indicator } => write!(f, "{indicator} has no denominator"),
            Self::DuplicateIndicator { indicator } => write!(f, "indicator {indicator} twice"),
            Self::PredikatBandsUnordered => {
                f.write_str("predikat bands are not in descending order")
            }
            Self::PrecisionTooFine { decimals } => {
                write!(f, "{decimals} decimals asked; at most 2 are supported")
            }
        }
    }
}

/// Every way an operation of `koperasi-reporting` can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Arithmetic or amount error from `koperasi-core`.
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
    /// The ledger refused an operation (import) or a query.
    #[error(transparent)]
    Ledger(#[from] koperasi_ledger::Error),
    /// No health-assessment profile has this id.
    #[error("unknown health profile {id:?} (known: perdep-06-2016)")]
    UnknownProfile {
        /// The id asked for.
        id: String,
    },
    /// A profile is inconsistent.
    #[error("invalid profile {profile}: {problem}")]
    InvalidProfile {
        /// Profile id.
        profile: String,
        /// What is wrong.
        problem: ProfileProblem,
    },
    /// An input needed by an indicator's formula is missing (and no ratio was given).
    #[error("indicator {indicator}: missing input {input:?}")]
    MissingInput {
        /// The indicator.
        indicator: String,
        /// The input key.
        input: String,
    },
    /// An indicator's denominator is zero and the profile defines no nilai for that case.
    #[error("indicator {indicator}: denominator is zero")]
    ZeroDenominator {
        /// The indicator.
        indicator: String,
    },
    /// A ratio falls in no band of the indicator's band table.
    #[error("indicator {indicator}: ratio {ratio} falls in no band")]
    NoBand {
        /// The indicator.
        indicator: String,
        /// The ratio.
        ratio: Decimal,
    },
    /// An input or ratio key that no indicator of the profile uses (probably a typo).
    #[error("unknown input key {key:?} for profile {profile}")]
    UnknownInput {
        /// The profile.
        profile: String,
        /// The key.
        key: String,
    },
    /// A health input that cannot be right: a negative amount that cannot be negative, a
    /// count that is not a whole number, more *ya* answers than questions.
    #[error("health input {key}: {reason} (got {value})")]
    InvalidInput {
        /// The input key (or indicator code of a given ratio).
        key: String,
        /// The value given.
        value: Decimal,
        /// What is wrong.
        reason: String,
    },
    /// A health score outside 0..=100.
    #[error("score {score} is outside 0..=100")]
    ScoreOutOfRange {
        /// The score.
        score: Decimal,
    },
    /// Two cooperatives in a city view share a code.
    #[error("cooperative code {code:?} appears twice")]
    DuplicateCooperative {
        /// The code.
        code: String,
    },
    /// A snapshot is internally inconsistent.
    #[error("cooperative {code:?}: {field} is invalid ({reason})")]
    InvalidSnapshot {
        /// The cooperative code.
        code: String,
        /// The field.
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A plaintext-accounting journal could not be read.
    #[error("line {line}: {kind}")]
    Journal {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        kind: JournalErrorKind,
    },
    /// A report built from plain inputs does not add up (named item).
    #[error("{report}: {item} does not add up")]
    InconsistentReport {
        /// The report.
        report: &'static str,
        /// The line or part that does not add up.
        item: String,
    },
    /// A renderer failed (the format and the writer's message).
    #[error("{format} rendering failed: {detail}")]
    Render {
        /// The output format.
        format: &'static str,
        /// The underlying message.
        detail: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
