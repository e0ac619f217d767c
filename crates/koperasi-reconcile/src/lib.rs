//! # koperasi-reconcile — bank statements and QRIS settlements matched to the books
//!
//! "Transparent down to each rupiah" needs outside evidence: what the bank (*mutasi
//! rekening*, *rekening koran*) and the QRIS acquirer say happened. This crate reads that
//! evidence and matches it to a [`koperasi_ledger::Ledger`] account, exactly to the sen.
//!
//! * **Importers**: SWIFT MT940 ([`mt940::parse`]); CSV and XLSX statements through a
//!   column [`Mapping`] (separator, date format, decimal and thousands marks, debit/credit
//!   or signed or directed amounts, running balance, rows to skip) with presets for the
//!   column sets observed for BRI, BNI and Mandiri ([`Mapping::preset`]); QRIS settlement
//!   reports ([`QrisMapping`]). Every line keeps its file and line ([`SourceRef`]).
//! * **Checks on import**: the running balance (saldo) is continuous line by line and ties
//!   to the opening and closing balances; every line gets a stable [`Fingerprint`] so a
//!   file imported twice or overlapping statements add nothing ([`ProblemKind::Duplicate`]).
//! * **Matching** ([`reconcile`]): reference token first, then amount and date window
//!   (±3 days by default) one to one, then many to one; ambiguity becomes a
//!   [`Suggestion`], never a silent choice. Known differences only through named rules
//!   ([`Rule`]: bank fee, interest, tax on interest; [`QrisRule`]: settlement net of MDR by
//!   the [`MdrSchedule`]) — never a percentage tolerance.
//! * **Result** ([`Reconciliation`]): saldo per bank vs saldo per books, outstanding
//!   deposits and payments, unrecorded bank items, [`ProposedEntry`]s for them, ageing of
//!   unmatched items; rendered as text, JSON, HTML and XLSX.
//!
//! A pure library: no I/O, no clock, no global state. Callers pass file names and bytes.
//!
//! ## Example
//!
//! ```
//! use chrono::NaiveDate;
//! use koperasi_core::{ActorId, EntryId, Rupiah};
//! use koperasi_ledger::{kkmp, ChartOfAccounts, JournalEntry, Ledger};
//! use koperasi_reconcile::{mt940, reconcile, Config};
//!
//! let day = |d| NaiveDate::from_ymd_opt(2025, 1, d).unwrap();
//! let bendahara = ActorId::from_u128(1);
//! let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, day(1));
//! // Siti Rahayu's simpanan wajib, paid by transfer TRF-0001, booked on 2 January
//! books.post(
//!     &JournalEntry::new(EntryId::from_u128(1), day(2), bendahara)
//!         .with_source("transfer:TRF-0001")
//!         .debit(kkmp::BANK, Rupiah::from_rupiah(50_000))?
//!         .credit(kkmp::SIMPANAN_WAJIB, Rupiah::from_rupiah(50_000))?,
//! )?;
//!
//! // The bank's statement: the transfer (a day later) and an admin fee the books lack.
//! let sta = "\
//! :20:STMT1
//! :25:0123456789
//! :28C:1/1
//! :60F:C250101IDR0,00
//! :61:2501030103C50000,00NTRFTRF-0001
//! :86:TRANSFER DARI SITI RAHAYU
//! :61:2501310131D5000,00NCHGNONREF
//! :86:BIAYA ADM BULANAN
//! :62F:C250131IDR45000,00
//! ";
//! let statements = mt940::parse("januari.sta", sta.as_bytes())?;
//! let r = reconcile(&books, kkmp::BANK, &statements, &Config::default())?;
//! assert_eq!(r.matched.len(), 1);                        // by the reference TRF-0001
//! assert_eq!(r.unmatched_bank.len(), 1);                 // the fee …
//! assert_eq!(r.proposed_entries[0].rule, "bank_fee");    // … explained by a named rule
//! assert!(r.unexplained.is_zero() && !r.is_reconciled());
//!
//! // Post the proposed entry (after two-person approval) and everything reconciles.
//! let fee = r.proposed_entries[0].to_journal_entry(EntryId::from_u128(2), bendahara)?;
//! books.post(&fee)?;
//! let again = reconcile(&books, kkmp::BANK, &statements, &Config::default())?;
//! assert!(again.is_reconciled());
//! assert_eq!(again.saldo_bank, again.saldo_books);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | mutasi rekening, rekening koran | [`Statement`], [`StatementLine`] |
//! | saldo awal / saldo akhir | [`Statement::opening`] / [`Statement::closing`] |
//! | saldo berjalan | [`StatementLine::running_balance`] |
//! | debet / kredit (bank) | negative / positive [`StatementLine::amount`] |
//! | rekonsiliasi bank | [`reconcile`], [`Reconciliation`] |
//! | setoran dalam perjalanan | [`Reconciliation::outstanding_deposits`] |
//! | cek/pembayaran yang belum dicairkan | [`Reconciliation::outstanding_payments`] |
//! | biaya administrasi bank, bunga, pajak bunga | [`Rule::bank_fee`], [`Rule::bank_interest`], [`Rule::interest_tax`] |
//! | jurnal penyesuaian (usulan) | [`ProposedEntry`] |
//! | umur pos terbuka | [`Ageing`] |
//! | MDR, usaha mikro | [`MdrSchedule`], [`MerchantCategory::Micro`] |
//! | settlement QRIS | [`QrisRule`], [`QrisReport`] |
//!
//! ## Invariants (each has a named property test)
//! * Every bank line is matched at most once and every book line at most once; for each
//!   match Σ bank = Σ books exactly — `prop_matches_are_one_to_one_and_exact`.
//! * A proposed entry balances and a QRIS proposal's bank amount is Σ gross − Σ MDR − fee —
//!   `prop_proposed_entries_balance`.
//! * Importing a statement again adds nothing (fingerprints) — `prop_reimport_is_idempotent`.
//! * The reconciliation identity: adjusted bank − adjusted books equals the opening
//!   difference — `prop_generated_statement_reconciles`.
//! * The importers never panic on arbitrary bytes — `prop_importers_never_panic`.
//!
//! ## Panics
//! No function of this crate panics on any input; the lints `unwrap_used`, `expect_used`,
//! `panic`, `indexing_slicing` and `arithmetic_side_effects` are denied outside tests.
//!
//! ## Crate features
//! * `serde` — serialize every result and read mapping files (TOML/JSON through serde);
//!   [`Reconciliation::to_json`].
//! * `xlsx` — XLSX statements in ([`Mapping::import_xlsx`], calamine) and
//!   [`Reconciliation::to_xlsx`] out (`rust_xlsxwriter`; amounts become `f64` only there).
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

mod amount;
mod engine;
mod error;
mod mapping;
mod model;
pub mod mt940;
mod qris;
mod result;
mod rules;
mod settle;
mod table;

pub use amount::NumberFormat;
pub use engine::reconcile;
pub use error::{Error, FieldErrorKind, Mt940ErrorKind, Problem, ProblemKind, Result, Severity};
pub use mapping::{Amounts, Column, Mapping};
pub use model::{Fingerprint, SourceRef, StatedBalance, Statement, StatementLine};
pub use qris::{
    MdrBracket, MdrRate, MdrSchedule, MerchantCategory, QrisMapping, QrisReport, QrisSettlement,
    QrisTransaction,
};
pub use result::{
    AgeBucket, Ageing, BankRef, BookRef, Match, MatchKind, ProposedEntry, ProposedLine,
    Reconciliation, Suggestion, SuggestionKind, UnmatchedBank, UnmatchedBook,
};
pub use rules::{Config, Flow, QrisRule, Rule};

/// Deterministic fast hash maps (foldhash, fixed seed).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
