//! The crate's error type (unusable input) and its problems (checks that failed on usable
//! input).

use core::fmt;

use chrono::NaiveDate;
use koperasi_core::Rupiah;

use crate::model::{Fingerprint, SourceRef};

/// Why an input could not be used at all. Each variant names the file and line (and column,
/// for tabular input) where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An MT940 file is malformed.
    #[error("{file}:{line}: MT940: {kind}")]
    Mt940 {
        /// The file.
        file: String,
        /// 1-based line.
        line: u32,
        /// What was wrong.
        kind: Mt940ErrorKind,
    },
    /// A field of a CSV or XLSX row could not be read with the mapping.
    #[error("{file}:{line}: column {column:?}: {kind} in {value:?}")]
    Field {
        /// The file.
        file: String,
        /// 1-based line (CSV) or row (XLSX).
        line: u32,
        /// The column's name (or number) in the mapping.
        column: String,
        /// What was wrong.
        kind: FieldErrorKind,
        /// The cell's text.
        value: String,
    },
    /// A CSV file is not valid CSV (e.g. not UTF-8, an unterminated quote).
    #[error("{file}:{line}: CSV: {message}")]
    Csv {
        /// The file.
        file: String,
        /// 1-based line.
        line: u32,
        /// The CSV reader's message.
        message: String,
    },
    /// An XLSX file could not be opened or has no sheet.
    #[error("{file}: XLSX: {message}")]
    Xlsx {
        /// The file.
        file: String,
        /// The reader's message.
        message: String,
    },
    /// A mapping (column configuration) is invalid.
    #[error("mapping {mapping:?}: {message}")]
    Mapping {
        /// The mapping's name.
        mapping: String,
        /// What is wrong.
        message: String,
    },
    /// A file has no statement lines and no balances.
    #[error("{file}: no statement found")]
    Empty {
        /// The file.
        file: String,
    },
    /// The ledger account to reconcile does not exist or is a header account.
    #[error("account {code:?} is not a postable account of the ledger")]
    UnknownAccount {
        /// The code asked for.
        code: String,
    },
    /// A configuration value is invalid (date window, MDR schedule, rule).
    #[error("configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// An amount is out of range.
    #[error("arithmetic overflow in {op}")]
    Overflow {
        /// The operation.
        op: &'static str,
    },
    /// A renderer failed (XLSX writer).
    #[error("render: {message}")]
    Render {
        /// The writer's message.
        message: String,
    },
}

/// What is wrong in an MT940 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mt940ErrorKind {
    /// A record appears before `:20:` (or outside a statement).
    OutsideStatement,
    /// A balance (`:60F:`, `:62F:` …) is not `C|D YYMMDD CCY amount`.
    BadBalance,
    /// A `:61:` statement line cannot be read.
    BadStatementLine,
    /// A date is not a valid `YYMMDD` (or `MMDD`).
    BadDate,
    /// An amount is not `digits,digits` (comma decimal, at most two decimals).
    BadAmount,
    /// The currency is not IDR.
    NotRupiah,
    /// A statement has no `:60F:`/`:60M:` opening balance.
    MissingOpening,
    /// A statement has no `:62F:`/`:62M:` closing balance.
    MissingClosing,
    /// A second opening or closing balance in one statement.
    DuplicateBalance,
    /// The file is not UTF-8 text.
    NotText,
}

impl fmt::Display for Mt940ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OutsideStatement => "record outside a statement (no :20: before it)",
            Self::BadBalance => "balance is not C|D, YYMMDD, currency, amount",
            Self::BadStatementLine => "statement line (:61:) cannot be read",
            Self::BadDate => "invalid date",
            Self::BadAmount => "invalid amount (digits with a decimal comma, at most 2 decimals)",
            Self::NotRupiah => "currency is not IDR",
            Self::MissingOpening => "statement has no opening balance (:60F:/:60M:)",
            Self::MissingClosing => "statement has no closing balance (:62F:/:62M:)",
            Self::DuplicateBalance => "second opening or closing balance in one statement",
            Self::NotText => "not UTF-8 text",
        })
    }
}

/// What is wrong with one field of a tabular row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// The row has no such column.
    MissingColumn,
    /// A required cell is empty.
    Empty,
    /// A date does not follow the mapping's date format.
    BadDate,
    /// A time does not follow the mapping's time format.
    BadTime,
    /// An amount does not follow the mapping's decimal and thousands marks.
    BadAmount,
    /// An amount has more than two decimals.
    TooPrecise,
    /// An amount is too large.
    TooLarge,
    /// Both the debit and the credit cell hold an amount.
    DebitAndCredit,
    /// The direction cell is neither the debit nor the credit marker.
    BadDirection,
}

impl fmt::Display for FieldErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingColumn => "no such column",
            Self::Empty => "empty cell",
            Self::BadDate => "date does not follow the date format",
            Self::BadTime => "time does not follow the time format",
            Self::BadAmount => "amount does not follow the decimal and thousands marks",
            Self::TooPrecise => "amount has more than 2 decimals",
            Self::TooLarge => "amount too large",
            Self::DebitAndCredit => "both debit and credit hold an amount",
            Self::BadDirection => "direction is neither the debit nor the credit marker",
        })
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Severity {
    /// Worth a look; the reconciliation can still be complete (a duplicate line that was
    /// skipped, an MDR the acquirer charged differently from the schedule).
    Warning,
    /// A check failed: the statement cannot be trusted as it is (a broken saldo).
    Error,
}

/// A check that failed on input that could otherwise be read, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Problem {
    /// Warning or error.
    pub severity: Severity,
    /// File and line.
    pub source: SourceRef,
    /// What was found.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub kind: ProblemKind,
}

impl Problem {
    pub(crate) fn error(source: SourceRef, kind: ProblemKind) -> Problem {
        Problem {
            severity: Severity::Error,
            source,
            kind,
        }
    }
    pub(crate) fn warning(source: SourceRef, kind: ProblemKind) -> Problem {
        Problem {
            severity: Severity::Warning,
            source,
            kind,
        }
    }
    /// `true` for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {sev}: {}", self.source, self.kind)
    }
}

/// The checks of import and reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ProblemKind {
    /// A line's running balance is not the previous balance plus the line.
    SaldoBreak {
        /// Previous balance + this line.
        expected: Rupiah,
        /// The balance the statement prints.
        stated: Rupiah,
    },
    /// Opening balance + Σ lines ≠ closing balance.
    ClosingMismatch {
        /// Opening + Σ lines.
        computed: Rupiah,
        /// The stated closing balance.
        stated: Rupiah,
    },
    /// A statement's opening balance is not the previous statement's closing balance.
    OpeningMismatch {
        /// The previous statement's closing balance.
        previous_closing: Rupiah,
        /// This statement's opening balance.
        opening: Rupiah,
    },
    /// A line was already imported (same fingerprint); it was skipped.
    Duplicate {
        /// The line's fingerprint.
        fingerprint: Fingerprint,
        /// Where it was first seen.
        first: SourceRef,
    },
    /// A QRIS transaction's net is not gross − MDR.
    NetMismatch {
        /// Gross.
        gross: Rupiah,
        /// MDR.
        mdr: Rupiah,
        /// The stated net.
        net: Rupiah,
    },
    /// The acquirer's MDR differs from the configured schedule.
    MdrDiffers {
        /// The transaction reference (RRN).
        reference: String,
        /// MDR in the report.
        charged: Rupiah,
        /// MDR by the schedule.
        schedule: Rupiah,
    },
    /// A settlement total is not the sum of its transactions' net amounts.
    SettlementTotalMismatch {
        /// Settlement date.
        date: NaiveDate,
        /// Σ net of the transactions.
        computed: Rupiah,
        /// The stated total.
        stated: Rupiah,
    },
    /// The statement's opening balance does not tie to the books at the day before it
    /// (after items of the books that clear within this statement).
    OpeningDiffersFromBooks {
        /// The bank's opening balance.
        bank: Rupiah,
        /// Books balance adjusted for items in transit.
        books: Rupiah,
    },
    /// The statement is for a different bank account than another statement of the same run.
    AccountMismatch {
        /// The first statement's account.
        expected: String,
        /// This statement's account.
        found: String,
    },
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SaldoBreak { expected, stated } => write!(
                f,
                "saldo break: previous saldo and this line give {expected}, the statement says {stated}"
            ),
            Self::ClosingMismatch { computed, stated } => write!(
                f,
                "closing balance {stated} differs from opening + lines = {computed}"
            ),
            Self::OpeningMismatch {
                previous_closing,
                opening,
            } => write!(
                f,
                "opening balance {opening} differs from the previous statement's closing balance {previous_closing}"
            ),
            Self::Duplicate { fingerprint, first } => write!(
                f,
                "duplicate of the line at {first} (fingerprint {fingerprint}); skipped"
            ),
            Self::NetMismatch { gross, mdr, net } => {
                write!(f, "net {net} is not gross {gross} − MDR {mdr}")
            }
            Self::MdrDiffers {
                reference,
                charged,
                schedule,
            } => write!(
                f,
                "transaction {reference}: MDR charged {charged}, schedule says {schedule}"
            ),
            Self::SettlementTotalMismatch {
                date,
                computed,
                stated,
            } => write!(
                f,
                "settlement of {date}: total {stated} differs from Σ net {computed}"
            ),
            Self::OpeningDiffersFromBooks { bank, books } => write!(
                f,
                "opening balance {bank} does not tie to the books ({books})"
            ),
            Self::AccountMismatch { expected, found } => {
                write!(f, "statement for account {found}, expected {expected}")
            }
        }
    }
}
