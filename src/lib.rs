//! # koperasi — cooperative accounting for Indonesian koperasi
//!
//! The umbrella crate of the koperasi workspace, built for the Koperasi Desa/Kelurahan Merah
//! Putih programme. It re-exports the domain crates; later it holds `Koperasi`, one
//! cooperative's book wiring them together.
//!
//! ```
//! use koperasi::core::Rupiah;
//!
//! let simpanan_pokok = Rupiah::from_rupiah(100_000);
//! assert_eq!(simpanan_pokok.to_string(), "Rp100.000");
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

/// Money, rates, rounding, splits, ids and periods ([`koperasi_core`]).
pub use koperasi_core as core;

// [re-exports of domain crates: one line per crate, e.g. `pub use koperasi_ledger as ledger;`]
/// Double-entry books: chart of accounts, journal, balances, period close, Merkle audit log ([`koperasi_ledger`]).
pub use koperasi_ledger as ledger;
/// Members: NIK, registry and lifecycle, organs, Rapat Anggota, roles, permissions, maker-checker ([`koperasi_membership`]).
pub use koperasi_membership as membership;
/// QRIS / `EMVCo` merchant-presented QR: parse, validate, build, static to dynamic ([`koperasi_qris`]).
pub use koperasi_qris as qris;
/// Statements, health assessment, city monitoring, renderers, plaintext-accounting interop ([`koperasi_reporting`]).
pub use koperasi_reporting as reporting;
/// Savings and loans: schedules, repayments, collectibility, PPAP, savings products ([`koperasi_savings_loans`]).
pub use koperasi_savings_loans as savings_loans;
/// SHU: allocation policy, exact distribution to funds and members (jasa modal, jasa usaha) ([`koperasi_shu`]).
pub use koperasi_shu as shu;

// ---- the umbrella's own modules: one cooperative's book ----
mod book;
pub mod city;
mod error;
pub mod event;
#[cfg(feature = "serde")]
mod jsonl;
pub mod posting;
pub mod sim;
pub mod statements;

pub use book::{
    Applied, BookConfig, ClosedYear, ControlCheck, Koperasi, LoanAccount, LoanApplication,
    MemberAccounts, PendingQris, Stock,
};
pub use error::{Error, Result};
pub use event::{Buyer, CapitalKind, Event, Item, Operation, PurchasePayment, ShuPayout, Via};
pub use posting::{PostingMap, PostingRole};
