//! # koperasi-ledger — double-entry books for a cooperative
//!
//! (Guide in progress.)
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

pub mod audit;
mod chart;
pub mod encoding;
mod entry;
mod error;
mod fx;
#[cfg(feature = "serde")]
pub mod jsonl;
pub mod kkmp;
mod ledger;
mod period;
mod query;
mod verify;

pub use chart::{
    Account, AccountClass, AccountCode, AccountKind, BalanceLimit, ChartOfAccounts, Side,
};
pub use entry::{
    BusinessUnit, Counterparty, Dimensions, EntryKind, JournalEntry, Line, PostedEntry,
};
pub use error::{CodeErrorKind, EntryField, Error, Result};
pub use ledger::{
    Balance, GeneralLedger, GeneralLedgerRow, Ledger, LedgerOptions, PeriodEvent, Reversal,
    TrialBalance, TrialBalanceRow, YearClose, YearReopen,
};
pub use query::{EntryRef, LineRef};
