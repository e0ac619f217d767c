//! # koperasi — cooperative accounting for Indonesian koperasi
//!
//! The umbrella crate of the koperasi workspace, built for the Koperasi Desa/Kelurahan Merah
//! Putih programme. It re-exports the domain crates ([`core`], [`ledger`], [`membership`],
//! [`savings_loans`], [`shu`], [`qris`], [`reporting`]) and holds [`Koperasi`], **one
//! cooperative's book** wiring them together.
//!
//! ## The book
//!
//! A [`Koperasi`] holds the chart of accounts and ledger, the member registry and access
//! control, every member's savings accounts, loans and applications, stock per business
//! unit, QRIS sales awaiting settlement, the Himbara loan, the products and policies
//! ([`BookConfig`]) and the log of every operation. Each change is an [`Operation`] applied
//! by an actor on a date ([`Koperasi::run`], [`Koperasi::apply`]), always in the same steps
//! (DESIGN §3):
//!
//! 1. **validate** the input and **check the permission** of the actor (roles of
//!    `koperasi-membership`); an operation that needs two people becomes a request that a
//!    second person completes ([`Operation::Approve`]);
//! 2. **compute** with the domain crates on *copies* of the state (a loan's repayment
//!    allocation, a savings account's interest, an SHU distribution…);
//! 3. **build balanced journal entries** through the [`PostingMap`] — roles such as
//!    [`PostingRole::LoanReceivable`] or [`PostingRole::MemberSavings`] mapped to the standard
//!    KKMP chart, overridable — each carrying its `source` (loan and installment, member and
//!    savings kind, QRIS reference…) and its `actor`;
//! 4. **post them atomically** ([`ledger::Ledger::post_batch`]); only then commit the new
//!    domain state (which cannot fail any more) and record the [`Event`].
//!
//! A rejected operation returns a typed [`Error`] and changes nothing — not the ledger, not
//! an account, not the registry, not the event log.
//!
//! ```
//! use koperasi::core::{ActorId, CooperativeId, Decimal, LoanId, MemberId, Rate, Rupiah};
//! use koperasi::core::chrono::NaiveDate;
//! use koperasi::membership::Role;
//! use koperasi::savings_loans::{LoanTerms, Method, SavingsKind};
//! use koperasi::{BookConfig, CapitalKind, Koperasi, Operation, PostingRole, Via};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
//! let [ketua, bendahara, kasir] = [1, 2, 3].map(ActorId::from_u128);
//! let siti = MemberId::from_u128(7);
//! let config = BookConfig::kkmp(
//!     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(1, 1),
//!     vec![(ketua, Role::Chair), (bendahara, Role::Treasurer), (kasir, Role::Teller)],
//! );
//! let mut book = Koperasi::new(config)?;
//! book.run(d(1, 2), bendahara, Operation::Capital { kind: CapitalKind::Grant, amount: Rupiah::from_rupiah(50_000_000), via: Via::Bank })?;
//!
//! // Siti registers (calon anggota), pays simpanan pokok (anggota) and saves.
//! book.run(d(1, 5), ketua, Operation::RegisterMember {
//!     member: siti, nik: "3574044506900001".into(), name: "Siti Rahayu".into(),
//!     birth_date: NaiveDate::from_ymd_opt(1990, 6, 5).unwrap(),
//!     domicile: None, gender: None, associate: false,
//! })?;
//! book.run(d(1, 5), kasir, Operation::PayPrincipalSavings { member: siti, via: Via::Cash })?;
//! book.run(d(1, 5), kasir, Operation::Deposit { member: siti, kind: SavingsKind::Mandatory, amount: Rupiah::from_rupiah(10_000), via: Via::Cash })?;
//!
//! // A loan of Rp2.000.000: applied, approved, disbursed less 1% provisi, repaid once.
//! let loan = LoanId::from_u128(1);
//! let terms = LoanTerms::new(Rupiah::from_rupiah(2_000_000), Rate::per_month(Decimal::ONE)?, 10, Method::Flat, d(1, 6));
//! book.run(d(1, 6), kasir, Operation::ApplyLoan { loan, member: siti, terms })?;
//! book.run(d(1, 6), ketua, Operation::ApproveLoan { loan })?;
//! book.run(d(1, 6), bendahara, Operation::DisburseLoan { loan, via: Via::Bank })?;
//! book.run(d(2, 6), kasir, Operation::RepayLoan { loan, amount: Rupiah::from_rupiah(220_000), via: Via::Cash })?;
//! book.run(d(2, 28), bendahara, Operation::MonthEnd)?;
//!
//! assert_eq!(book.role_balance(PostingRole::LoanReceivable)?, Rupiah::from_rupiah(1_800_000));
//! // Every control account equals the sum of its subledger.
//! assert!(book.reconcile()?.iter().all(|c| c.reconciles()));
//! // Bad input: a typed error, and nothing changed.
//! let before = book.audit_head();
//! assert!(book.run(d(3, 1), kasir, Operation::Withdraw { member: siti, amount: Rupiah::from_rupiah(1), via: Via::Cash }).is_err());
//! assert_eq!(book.audit_head(), before);
//! // The event log replays to an identical book.
//! let again = Koperasi::replay(book.config().clone(), book.events().iter().cloned())?;
//! assert_eq!(again.audit_head(), book.audit_head());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Reports, simulation, the city
//!
//! [`Koperasi::statements`] reads the ledger into the statements of `koperasi-reporting`
//! ([`reporting::statements`]): neraca, PHU (member / non-member by account and by
//! counterparty, by business unit), perubahan ekuitas and arus kas (direct method), each a
//! document for its renderers. [`city`] turns books into the city monitoring view and the
//! report files of `koperasi demo`. The simulation of cooperatives through a year lives in the
//! separate crate `koperasi-sim` (so this library does not depend on `rand`); it drives the
//! book through its public operations only. Examples: `minimal`, `cashier`, `kkmp_year`,
//! `city`.
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | buku koperasi | [`Koperasi`] |
//! | AD/ART, produk, kebijakan | [`BookConfig`] |
//! | peta akun, akun kontrol | [`PostingMap`], [`PostingRole`], [`Koperasi::reconcile`] |
//! | calon anggota, pendaftaran | [`Operation::RegisterMember`] |
//! | simpanan pokok / wajib / sukarela / berjangka | [`Operation::PayPrincipalSavings`], [`Operation::Deposit`], [`Operation::Withdraw`], [`Operation::OpenTimeDeposit`] |
//! | pengajuan, persetujuan, pencairan, angsuran pinjaman | [`Operation::ApplyLoan`], [`Operation::ApproveLoan`], [`Operation::DisburseLoan`], [`Operation::RepayLoan`] |
//! | denda, hapus buku, penagihan kembali | [`Operation::ChargePenalties`], [`Operation::WriteOffLoan`], [`Operation::RecoverLoan`] |
//! | pembelian, penjualan, HPP, persediaan | [`Operation::Purchase`], [`Operation::Sale`], [`Stock`] |
//! | penjualan QRIS, settlement, MDR | [`Operation::QrisSale`], [`Operation::SettleQris`] |
//! | pinjaman Himbara (PMK 49/2025) | [`Operation::HimbaraDrawdown`], [`Operation::HimbaraInstallment`] |
//! | tutup bulan: jasa simpanan, akrual, kolektibilitas, PPAP | [`Operation::MonthEnd`] |
//! | anggota keluar, kompensasi | [`Operation::MemberExit`] |
//! | tutup buku, pembagian SHU | [`Operation::CloseYear`], [`Operation::DistributeShu`] |
//! | prinsip empat mata: permohonan, persetujuan, penolakan, pembatalan oleh pembuat | [`Request`], [`Operation::Approve`], [`Operation::Reject`], [`Operation::WithdrawRequest`], [`Koperasi::open_requests`] |
//! | koreksi (jurnal pembalik), jurnal penyesuaian, buka kembali tahun buku | [`Operation::Reverse`], [`Operation::Adjust`], [`Operation::ReopenYear`] |
//! | koreksi setelah tutup bulan (amortisasi, penyusutan, denda, akrual ikut dibalik) | [`Operation::CorrectAfterMonthEnd`] |
//! | pemberhentian, anggota meninggal (ahli waris), anggota luar biasa | [`Operation::DismissMember`], [`Operation::MemberDeath`], [`Operation::RegisterMember`] |
//! | neraca, PHU, perubahan ekuitas, arus kas | [`Koperasi::statements`], [`Koperasi::statement_policy`] |
//! | RAT, laporan pertanggungjawaban, laporan tahunan anggota | [`rat::build`], [`rat::RatPackage`] |
//! | log kejadian | [`Event`], [`Koperasi::events`], [`Koperasi::to_json_lines`] |
//!
//! ## Invariants (each has a named test in `tests/integration`)
//! * Every control account (each savings kind, loans, QRIS receivable, inventory, Himbara)
//!   equals the sum of its subledger — `prop_control_accounts_reconcile`.
//! * A rejected operation changes nothing — `prop_rejected_operation_changes_nothing`, and
//!   `every_operation_rejects_bad_input` for each operation.
//! * No payable goes below zero; a reversal nets its original to zero; a two-person request
//!   posts nothing until a second person completes it — `prop_no_payable_goes_negative`,
//!   `prop_reversals_net_to_zero_and_requests_post_nothing` (and `docs/invariants.md`).
//! * Replaying the event log (directly or through JSON Lines) rebuilds an identical book —
//!   `prop_replay_is_deterministic`, `replay_rebuilds_an_identical_book`.
//! * A simulated year: the statements agree with the ledger (neraca totals, kas + bank) and
//!   the balance sheet balances, PHU result = SHU of the year, the cash flow reconciles, the
//!   audit log verifies — `full_year_invariants`; city totals are sums —
//!   `city_totals_are_sums`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` (default) — serde for the book's configuration and events, JSON Lines event logs
//!   ([`Koperasi::to_json_lines`], [`Koperasi::from_json_lines`]) and the domain crates' serde
//!   features.
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
pub use koperasi_reconcile as reconcile;
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
pub mod rat;
pub mod simkopdes;
pub mod snapshot;

#[cfg(feature = "serde")]
pub use book::BOOK_SNAPSHOT_VERSION;
pub use book::{
    Applied, BookConfig, ClosedYear, ControlCheck, DomicileScope, Koperasi, LoanAccount,
    LoanApplication, MemberAccounts, PendingQris, Request, RequestState, ShuLine, Stock,
};
pub use book::{BankAdjustment, BankReconciliation};
pub use book::{Collateral, CollateralKind, FixedAsset, Payable, PayoutRoute, Prepaid};
pub use error::{Error, Result};
pub use event::{
    AdjustLine, Buyer, CapitalKind, EVENT_FORMAT, Event, Item, Operation, PurchasePayment,
    RequestId, ReversalTarget, ShuPayout, Via,
};
pub use posting::{PostingMap, PostingRole};
pub use snapshot::{BookSnapshot, LoanAsOf};
