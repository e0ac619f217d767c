//! # koperasi-shu — SHU allocation and per-member distribution, exact to the rupiah
//!
//! *Sisa hasil usaha* (SHU) is a cooperative's net result of the year (UU 25/1992 Pasal 45).
//! The Rapat Anggota Tahunan (RAT) allocates it by the percentages of the AD/ART — cadangan,
//! the member pools *jasa modal* (by savings) and *jasa usaha* (by transactions), dana
//! pengurus, dana karyawan, dana pendidikan, dana sosial, and for a Koperasi Desa Merah Putih
//! the desa's share — and pays each member's part.
//!
//! This crate computes that, and proves it adds up:
//! * [`ShuPolicy`]: allocation lines that sum to **exactly 100%** (a policy summing to 105%, as
//!   several published AD/ART copies do, is refused), with presets [`ShuPolicy::typical`]
//!   (40/40/5/5/5/5) and [`ShuPolicy::kdmp`] (desa ≥ 20%, Permendes 10/2025 Pasal 7).
//! * [`distribute`]: the SHU to every line, each member pool to the members
//!   (`JMA_i = S_i/ΣS × pool`, `JUA_i = T_i/ΣT × pool`), each member floored to the rupiah
//!   with the residue (*selisih pembulatan*) shown and credited to cadangan — or paid out
//!   exactly by largest remainder. A loss year gives [`ShuOutcome::Loss`] instead.
//!
//! It computes; it does not post. The umbrella's book turns a [`Distribution`] into journal
//! entries (cadangan, fund liabilities, *SHU bagian anggota* payable per member).
//!
//! ## Example: the RAT of Koperasi Desa Merah Putih Sukamaju
//!
//! ```
//! use koperasi_core::Rupiah;
//! use koperasi_shu::{
//!     distribute, MemberContribution, Savings, ShuOutcome, ShuPolicy, ShuYear, Transactions,
//! };
//!
//! let rp = Rupiah::from_rupiah;
//! // SHU after tax Rp50.000.000, of which Rp5.000.000 from selling to non-members.
//! let year = ShuYear::new(rp(50_000_000)).with_non_member_part(rp(5_000_000));
//! let members = vec![
//!     MemberContribution::new(
//!         "Siti Rahayu",
//!         Savings { pokok: rp(100_000), wajib: rp(1_200_000), sukarela: rp(5_000_000) },
//!         Transactions { purchases: rp(7_500_000), ..Transactions::default() },
//!     ),
//!     MemberContribution::simple("Budi Santoso", rp(1_300_000), rp(2_500_000)),
//!     MemberContribution::simple("Agus Salim", rp(700_000), Rupiah::ZERO),
//! ];
//! let ShuOutcome::Distributed(d) = distribute(&ShuPolicy::kdmp(), &year, &members)? else {
//!     unreachable!("a positive SHU is distributed")
//! };
//!
//! // The desa gets 20% of the member part and its pro-rata share of the non-member part:
//! // 9.000.000 + 5.000.000 × 20/70 = 10.428.571,43 (≥ 20% of Rp50.000.000).
//! assert_eq!(d.line("bagian_desa").unwrap().amount, Rupiah::from_sen(1_042_857_143));
//! // Lines sum to the SHU exactly.
//! assert_eq!(Rupiah::try_sum(d.lines.iter().map(|l| l.amount))?, rp(50_000_000));
//!
//! // Jasa modal: 15% of the member part = 6.750.000 over pokok + wajib 1.300.000 : 1.300.000 : 700.000.
//! let siti = d.member(&"Siti Rahayu").unwrap();
//! assert_eq!(siti.capital, rp(2_659_090));   // 6.750.000 × 13/33 = 2.659.090,90…
//! assert_eq!(siti.patronage, rp(5_062_500)); // 6.750.000 × 7,5/10
//! // The floors leave a residue (2.659.090 + 2.659.090 + 1.431.818 = 6.749.998), credited to
//! // cadangan:
//! assert_eq!(d.residue, rp(2));
//! assert_eq!(d.residue_to.as_deref(), Some("cadangan"));
//! # Ok::<(), koperasi_shu::Error>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | SHU, sisa hasil usaha | [`ShuYear::shu`], [`Distribution`] |
//! | SHU bagian anggota / SHU dari non-anggota | [`Distribution::from_members`] / [`ShuYear::from_non_members`], [`NonMemberShu`] |
//! | pembagian SHU | [`distribute`], [`ShuPolicy::distribute`] |
//! | AD/ART, keputusan RAT | [`ShuPolicy`], [`AllocationLine`] |
//! | jasa modal (JMA) | [`Pool::Capital`], [`LineKind::CapitalPool`], [`MemberShare::capital`] |
//! | jasa usaha (JUA) | [`Pool::Patronage`], [`LineKind::PatronagePool`], [`MemberShare::patronage`] |
//! | dana cadangan | [`LineKind::Reserve`] |
//! | dana pengurus / dana karyawan | [`LineKind::ManagementFund`] / [`LineKind::EmployeeFund`] |
//! | dana pendidikan / dana sosial | [`LineKind::EducationFund`] / [`LineKind::SocialFund`] |
//! | dana pembangunan daerah kerja | [`LineKind::RegionalDevelopmentFund`] |
//! | bagian desa (imbal jasa, Permendes 10/2025) | [`LineKind::VillageShare`], [`AllocationLine::village_share`], [`KDMP_MIN_VILLAGE_PERCENT`] |
//! | simpanan pokok / wajib / sukarela | [`Savings`], [`CapitalBasis`] |
//! | saldo rata-rata / saldo akhir tahun | [`BalanceKind`] |
//! | transaksi (pembelian, jasa pinjaman, per unit usaha) | [`Transactions`], [`PatronageBasis`] |
//! | selisih pembulatan | [`PoolResult::residue`], [`Distribution::residue`] |
//! | (dana) tidak terbagi | [`PoolResult::undistributed`], [`Distribution::undistributed`] |
//! | pembulatan ke bawah / sisa terbesar | [`RoundingMethod::Floor`] / [`RoundingMethod::LargestRemainder`] |
//! | anggota keluar | [`DepartedMembers`], [`MemberContribution::left_during_year`] |
//! | rugi, SHU negatif | [`ShuOutcome::Loss`], [`LossYear`] |
//!
//! ## Member keys
//! Members are identified by a caller-chosen key `K: Ord + Clone + Display` — the book passes
//! [`koperasi_core::MemberId`], a CLI passes `String` member numbers. A generic key (rather
//! than a string newtype) costs nothing per member and keeps the book's ids typed. Members are
//! **sorted by key before each split**: the result does not depend on the input order, and a
//! tie in the largest-remainder method goes to the lower key.
//!
//! ## Invariants (each has a named property test, DESIGN §5 invariant 10)
//! * Σ line amounts = SHU — `prop_allocation_conserves_total`.
//! * For each pool: Σ member shares + unpaid + residue + undistributed = pool (unpaid is zero
//!   without stated totals; undistributed is the whole pool when no member has a basis for
//!   it — never counted as rounding residue) — `prop_member_shares_plus_residue_equal_pool`.
//! * A member with no savings (no transactions) gets nothing from jasa modal (jasa usaha) —
//!   `prop_zero_contribution_gets_nothing`.
//! * More contribution never yields less: within a distribution, a larger basis gets at least
//!   as much from that pool; and with floor rounding, raising one member's basis never lowers
//!   their share — `prop_more_contribution_never_less`. (Largest remainder, like every Hamilton
//!   apportionment, can suffer the population paradox between two runs; within a run it is
//!   monotone.)
//! * Permuting the members changes nobody's share — `prop_member_order_does_not_matter`.
//! * Equal contributions: ties resolved by key, deterministically —
//!   `prop_ties_are_deterministic`.
//!
//! ## Rounding
//! Percentages are applied by largest remainder **to the sen**, so lines add up to the SHU
//! exactly. Member amounts are rounded per [`ShareRounding`]: by default floored to Rp1
//! (domain §4.5: published solutions floor, e.g. Rp397.058,82 → Rp397.058), the residue going
//! to the first cadangan line.
//!
//! ## Performance
//! The member pools are split on integers (sen as `u128`), with exactly the rules and results of
//! [`koperasi_core::split_floor`] and [`koperasi_core::split_exact`] (a property test checks
//! the equivalence); an intermediate beyond 128 bits falls back to koperasi-core. Members are
//! read in one sequential pass; input already in key order (as the book iterates its members)
//! is not re-sorted. Figures: `docs/performance.md`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every public type; amounts as exact strings.
//!   Deserialising a [`ShuPolicy`] validates it.
//! * `proptest` — [`strategy`], proptest strategies for policies and member inputs.
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

mod distribute;
mod error;
mod policy;
mod split;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use distribute::{
    Distribution, LineAmount, LossCoverage, LossYear, MemberContribution, MemberShare, PoolResult,
    Savings, ShuOutcome, ShuYear, Totals, Transactions, UnitResult, distribute,
};
pub use error::{Error, Result};
pub use policy::{
    AllocationLine, BalanceKind, CapitalBasis, DepartedMembers, KDMP_MIN_VILLAGE_PERCENT, LineKind,
    NonMemberShu, PatronageBasis, Pool, RoundingMethod, ShareRounding, ShuPolicy, UnitWeight,
};

#[cfg(test)]
mod tests;
