//! # koperasi-core — the shared vocabulary of the koperasi crates
//!
//! Exact money ([`Rupiah`]), interest rates ([`Rate`]), rounding as an explicit named policy
//! ([`RoundingPolicy`]), splits that conserve the total to the sen ([`split_exact`],
//! [`split_floor`]), typed ids ([`MemberId`], [`LoanId`], …) and calendar vocabulary
//! ([`FiscalYear`], [`Period`], [`add_months`], working days over a [`HolidayCalendar`]).
//!
//! Built for the Koperasi Desa/Kelurahan Merah Putih programme, usable by any Indonesian
//! cooperative software. A pure library: no I/O, no clock, no global state.
//!
//! ## Example: a member's savings and an SHU split
//!
//! ```
//! use koperasi_core::{split_exact, split_floor, Rate, RoundingPolicy, Rupiah};
//! use rust_decimal::Decimal;
//!
//! // Siti Rahayu pays simpanan pokok Rp100.000 and simpanan wajib Rp50.000.
//! let pokok: Rupiah = "100000".parse()?;
//! let wajib = Rupiah::from_rupiah(50_000);
//! let modal = pokok.checked_add(wajib)?;
//! assert_eq!(modal.to_string(), "Rp150.000");
//!
//! // Interest of 1% per month on a Rp2.500.000 loan, rounded half-up to the rupiah.
//! let bunga = Rate::per_month(Decimal::ONE)?
//!     .interest(Rupiah::from_rupiah(2_500_000), 1, 12, RoundingPolicy::WHOLE_RUPIAH)?;
//! assert_eq!(bunga, Rupiah::from_rupiah(25_000));
//!
//! // Jasa modal of Rp1.000.000 split over three members by their capital (largest remainder):
//! let capital = [150_000, 150_000, 300_000].map(Decimal::from);
//! let parts = split_exact(Rupiah::from_rupiah(1_000_000), &capital, Rupiah::ONE)?;
//! assert_eq!(parts, [250_000, 250_000, 500_000].map(Rupiah::from_rupiah));
//!
//! // …or floored to the rupiah with the residue booked to cadangan:
//! let s = split_floor(Rupiah::from_rupiah(100), &[Decimal::ONE; 3], Rupiah::ONE)?;
//! assert_eq!(s.residue, Rupiah::from_rupiah(1));
//! # Ok::<(), koperasi_core::Error>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | rupiah, sen, nominal | [`Rupiah`] (`Rupiah::SEN`, `Rupiah::ONE`) |
//! | pembulatan (ke atas / ke bawah / setengah ke atas) | [`RoundingMode`] (`Up` / `Down` / `HalfUp`), [`RoundingPolicy`] |
//! | selisih pembulatan | [`FloorSplit::residue`] |
//! | suku bunga per tahun / per bulan | [`Rate`], [`RateUnit`] |
//! | tahun buku | [`FiscalYear`] |
//! | periode, bulan | [`Period`] |
//! | jatuh tempo, hari kerja, hari libur | [`HolidayCalendar::due_date`], [`Holidays`] |
//! | anggota, pinjaman, simpanan, koperasi | [`MemberId`], [`LoanId`], [`SavingsAccountId`], [`CooperativeId`] |
//!
//! ## Rounding
//! Half-up is the default ([`RoundingMode::HalfUp`], PER-11/PJ/2025 Pasal 129 ayat (3):
//! Rp100.499,49 → Rp100.499; Rp100.499,50 → Rp100.500). `Decimal::round` and `round_dp` use
//! banker's rounding and are banned in this workspace by `clippy.toml`.
//!
//! ## Invariants (each has a named property test)
//! * `Rupiah` always has scale 2 — `prop_scale_is_two`; its text forms round-trip —
//!   `prop_parse_display_round_trip`; checked arithmetic never panics —
//!   `prop_checked_arithmetic_never_panics`.
//! * Splits conserve the total — `prop_split_conserves_total`, `prop_floor_split_conserves_total`;
//!   are monotone — `prop_split_is_monotone`; deterministic — `prop_split_is_deterministic`;
//!   `split_exact`'s 64-bit pass gives exactly the straightforward computation's parts and
//!   errors — `prop_split_exact_fast_path_equals_reference`.
//! * Each rounding mode matches its definition — `prop_rounding_mode_matches_definition`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every public type; amounts as exact strings
//!   (`"1500.00"`), never floats.
//! * `proptest` — [`strategy`], proptest strategies for our types.
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

mod error;
mod id;
mod period;
mod rate;
mod rounding;
mod rupiah;
mod split;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use chrono;
pub use rust_decimal;
pub use rust_decimal::Decimal;
pub use uuid;

pub use error::{Error, ParseAmountErrorKind, Result};
pub use id::{
    ActorId, CooperativeId, EntryId, LoanId, MemberId, ProductId, SavingsAccountId, TransactionId,
};
pub use period::{
    BUSINESS_DAY_SEARCH_LIMIT, FiscalYear, HolidayCalendar, Holidays, Period, add_months,
    clamped_date, month_end,
};
pub use rate::{Rate, RateUnit};
pub use rounding::{RoundingMode, RoundingPolicy};
pub use rupiah::{Plain, Rupiah};
pub use split::{FloorSplit, split_exact, split_exact_into, split_floor};
