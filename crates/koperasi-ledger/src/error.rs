//! The crate's error type.

use chrono::NaiveDate;
use koperasi_core::{EntryId, FiscalYear, Rupiah};

use crate::chart::AccountCode;

/// Which field of a journal entry differs from the entry already posted under the same id
/// (see [`Error::ExistsWithDifferent`]). Fields are compared in this order; the first
/// difference is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EntryField {
    /// The posting date.
    Date,
    /// The memo (keterangan).
    Memo,
    /// The lines (accounts, sides, amounts or dimensions, or their number).
    Lines,
    /// The source document or operation.
    Source,
    /// The actor.
    Actor,
    /// The kind (ordinary entry, reversal, closing entry).
    Kind,
}

impl core::fmt::Display for EntryField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            EntryField::Date => "date",
            EntryField::Memo => "memo",
            EntryField::Lines => "lines",
            EntryField::Source => "source",
            EntryField::Actor => "actor",
            EntryField::Kind => "kind",
        })
    }
}

/// Why a chart of accounts or an account code is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeErrorKind {
    /// The code is empty.
    Empty,
    /// The code is longer than [`AccountCode::MAX_LEN`] bytes.
    TooLong,
    /// A character other than ASCII letters, digits, `-` and `.`.
    InvalidCharacter,
}

impl core::fmt::Display for CodeErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            CodeErrorKind::Empty => "empty",
            CodeErrorKind::TooLong => "longer than 32 bytes",
            CodeErrorKind::InvalidCharacter => "only ASCII letters, digits, '-' and '.' allowed",
        })
    }
}

/// Every way an operation of `koperasi-ledger` can fail.
///
/// Posting validation reports exactly one variant per reason, checked in the documented
/// order (see [`Ledger::post`](crate::Ledger::post)). Line numbers (`line`) are 0-based
/// indices into the entry's lines. A rejected operation changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- posting validation, in checking order ---
    /// 1. An entry needs at least two lines.
    #[error("entry has {lines} line(s); at least 2 are needed")]
    TooFewLines {
        /// How many lines it has.
        lines: usize,
    },
    /// 2. A line amount is zero or negative (the side says debit or credit).
    #[error("line {line}: amount {amount} must be positive")]
    NonPositiveAmount {
        /// The line.
        line: usize,
        /// The amount.
        amount: Rupiah,
    },
    /// 3. Debits and credits differ.
    #[error("unbalanced entry: debit {debit} ≠ credit {credit}")]
    Unbalanced {
        /// Σ debit lines.
        debit: Rupiah,
        /// Σ credit lines.
        credit: Rupiah,
    },
    /// 4. A line names an account that is not in the chart.
    #[error("line {line}: unknown account {account}")]
    UnknownAccount {
        /// The line.
        line: usize,
        /// The account code.
        account: AccountCode,
    },
    /// 5. A line names a header (non-postable) account.
    #[error("line {line}: account {account} is a header account (not postable)")]
    HeaderAccount {
        /// The line.
        line: usize,
        /// The account code.
        account: AccountCode,
    },
    /// 6. A line names a closed account.
    #[error("line {line}: account {account} is closed")]
    ClosedAccount {
        /// The line.
        line: usize,
        /// The account code.
        account: AccountCode,
    },
    /// 7. The date falls in a closed fiscal year.
    #[error("date {date} falls in the closed fiscal year {year}")]
    ClosedPeriod {
        /// The entry date.
        date: NaiveDate,
        /// The closed year.
        year: FiscalYear,
    },
    /// 8. The date is before the books' opening date.
    #[error("date {date} is before the opening date {opening} of the books")]
    BeforeOpening {
        /// The entry date.
        date: NaiveDate,
        /// The opening date.
        opening: NaiveDate,
    },
    /// 9. A line amount is not a multiple of the ledger's smallest unit.
    #[error("line {line}: amount {amount} is not a multiple of the unit {unit}")]
    Precision {
        /// The line.
        line: usize,
        /// The amount.
        amount: Rupiah,
        /// The ledger's smallest unit ([`Ledger::unit`](crate::Ledger::unit)).
        unit: Rupiah,
    },
    /// 10. An amount or an account total does not fit the ledger's integer range.
    ///
    /// A line amount is at most `i64::MAX` sen, ≈ Rp92 trillion).
    #[error("line {line}: amount or total of account {account} overflows")]
    Overflow {
        /// The line.
        line: usize,
        /// The account.
        account: AccountCode,
    },
    /// 10. The ledger is full: 2³² − 1 lines or entries, or 4 GiB of memo and source text.
    #[error("ledger capacity exhausted (2^32 lines or entries, or 4 GiB of text)")]
    CapacityExceeded,
    /// 11. The id was already posted with exactly this content.
    ///
    /// The entry is in the books once; treat this as success ([`Error::is_exists`]).
    #[error("entry {id} already exists with the same content (idempotent success)")]
    Exists {
        /// The entry id.
        id: EntryId,
    },
    /// 11. The id was already posted with different content.
    #[error("entry {id} already exists with a different {field}")]
    ExistsWithDifferent {
        /// The entry id.
        id: EntryId,
        /// The first differing field.
        field: EntryField,
    },
    /// 12. Posting would break an account's balance limit.
    #[error("account {account} would reach balance {balance}, beyond its limit")]
    BalanceLimit {
        /// The account.
        account: AccountCode,
        /// Its balance (on its normal side) after the entry.
        balance: Rupiah,
    },

    // --- reversals ---
    /// No entry has this id.
    #[error("no entry {id}")]
    EntryNotFound {
        /// The id.
        id: EntryId,
    },
    /// The entry was already reversed.
    #[error("entry {id} was already reversed by {by}")]
    AlreadyReversed {
        /// The original entry.
        id: EntryId,
        /// Its reversal.
        by: EntryId,
    },
    /// A reversal (or a closing entry) cannot itself be reversed with `reverse`.
    #[error("entry {id} is a reversal or closing entry and cannot be reversed")]
    NotReversible {
        /// The entry.
        id: EntryId,
    },

    // --- batches ---
    /// An entry of a batch was rejected; nothing of the batch was posted.
    #[error("batch entry {index}: {source}")]
    Batch {
        /// 0-based position in the batch.
        index: usize,
        /// Why it was rejected.
        source: Box<Error>,
    },

    // --- period close ---
    /// The fiscal year is already closed.
    #[error("fiscal year {year} is already closed")]
    AlreadyClosed {
        /// The year.
        year: FiscalYear,
    },
    /// The fiscal year is not closed (so it cannot be reopened).
    #[error("fiscal year {year} is not closed")]
    NotClosed {
        /// The year.
        year: FiscalYear,
    },
    /// The account named to receive the result of the year cannot take it (unknown, header,
    /// closed, or not an equity account).
    #[error("account {account} cannot receive SHU tahun berjalan")]
    InvalidShuAccount {
        /// The account.
        account: AccountCode,
    },
    /// The fiscal year's start month differs from the ledger's.
    #[error("fiscal year {year} does not start in the ledger's fiscal start month {start_month}")]
    FiscalYearMismatch {
        /// The year given.
        year: FiscalYear,
        /// The ledger's start month.
        start_month: u32,
    },

    // --- chart of accounts ---
    /// An account code is malformed.
    #[error("invalid account code {code:?}: {kind}")]
    InvalidCode {
        /// The text.
        code: String,
        /// What was wrong.
        kind: CodeErrorKind,
    },
    /// Two accounts share a code.
    #[error("duplicate account {code}")]
    DuplicateAccount {
        /// The code.
        code: AccountCode,
    },
    /// An account's parent is not in the chart.
    #[error("account {code} has unknown parent {parent}")]
    OrphanAccount {
        /// The account.
        code: AccountCode,
        /// The missing parent.
        parent: AccountCode,
    },
    /// Following parents from this account leads back to it.
    #[error("account {code} is its own ancestor (cycle)")]
    AccountCycle {
        /// An account on the cycle.
        code: AccountCode,
    },
    /// A postable account has children (only header accounts may).
    #[error("postable account {code} has child {child}; make it a header account")]
    PostableParent {
        /// The parent.
        code: AccountCode,
        /// One child.
        child: AccountCode,
    },
    /// An account's class differs from its parent's.
    #[error("account {code} is of another class than its parent {parent}")]
    ClassMismatch {
        /// The account.
        code: AccountCode,
        /// The parent.
        parent: AccountCode,
    },
    /// An expense-only kind (HPP, beban perkoperasian, pajak) on a non-expense account.
    #[error("account {code}: kind {kind} is only allowed on expense accounts")]
    KindMismatch {
        /// The account.
        code: AccountCode,
        /// The kind.
        kind: crate::chart::AccountKind,
    },
    /// An account code was looked up but is not in the chart.
    #[error("no account {code}")]
    NoSuchAccount {
        /// The code.
        code: AccountCode,
    },
    /// The ledger's smallest unit must be positive.
    #[error("unit {unit} must be positive")]
    InvalidUnit {
        /// The rejected unit.
        unit: Rupiah,
    },

    // --- audit log ---
    /// `verify`: the stored entries do not match the audit log.
    #[error("audit log mismatch at leaf {index}: {reason}")]
    AuditMismatch {
        /// The first leaf index where they differ.
        index: u64,
        /// What differs.
        reason: &'static str,
    },
    /// `verify_checkpoint`: the checkpoint's `balances` root is not the root of the balance
    /// tree recomputed from the entries at the checkpoint's tree size.
    #[error(
        "checkpoint balances root {claimed} at tree size {tree_size} differs from {computed}, recomputed from the entries"
    )]
    BalancesRootMismatch {
        /// The checkpoint's tree size.
        tree_size: u64,
        /// The balances root the checkpoint claims.
        claimed: crate::audit::Hash,
        /// The balances root recomputed from the entries.
        computed: crate::audit::Hash,
    },

    /// An error of the Merkle audit log (a tree size beyond the log, a proof that does not
    /// verify, a malformed checkpoint…).
    #[error("audit log: {0}")]
    Audit(#[from] crate::audit::Error),

    // --- journal files ---
    /// A line of a JSON Lines journal could not be read or applied.
    #[error("journal line {line}: {source}")]
    Journal {
        /// 1-based line number in the file.
        line: usize,
        /// Why.
        source: Box<Error>,
    },
    /// A record of a journal file is malformed JSON or does not match the format.
    #[error("malformed record: {message}")]
    Format {
        /// The parser's message.
        message: String,
    },
    /// A ledger snapshot ([`Ledger::from_snapshot`](crate::Ledger::from_snapshot)) has a
    /// wrong header or version, is truncated, or does not describe a consistent ledger (its
    /// audit leaves do not give its recorded root).
    #[error("ledger snapshot: {message}")]
    Snapshot {
        /// What is wrong, and where.
        message: String,
    },
    /// An error from `koperasi-core` (dates, amounts).
    #[error(transparent)]
    Core(#[from] koperasi_core::Error),
}

impl Error {
    /// `true` for [`Error::Exists`]: the entry was already posted with the same content, so
    /// the caller's retry has succeeded (nothing was posted twice). Also looks through
    /// [`Error::Batch`].
    pub fn is_exists(&self) -> bool {
        match self {
            Error::Exists { .. } => true,
            Error::Batch { source, .. } => source.is_exists(),
            _ => false,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
