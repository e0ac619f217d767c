//! # koperasi-reporting — reports for koperasi
//!
//! What a cooperative's pengurus needs for the RAT, what the pengawas checks, and what a city
//! office (Dinas) monitors across many cooperatives:
//!
//! * [`statements`] — from a [`koperasi_ledger::Ledger`]: laporan posisi keuangan (neraca,
//!   current/non-current, member savings as equity or liability per policy), laporan hasil
//!   usaha (PHU: member participation vs non-member business, by business unit and by the
//!   lines' counterparty), laporan
//!   perubahan ekuitas, laporan arus kas (direct method), with a comparative period; trial
//!   balance and general ledger; every line keeps its accounts, and [`statements::entries_behind`]
//!   lists the entries behind any figure.
//! * [`health`] — the health-assessment engine (rules are data: versioned [`health::Profile`]s,
//!   indicator → formula over named inputs, band tables with explicit inclusive/exclusive
//!   bounds, weights, rounding) and the legacy Perdep 06/Per/Dep.6/IV/2016 seven-aspect profile.
//! * [`city`] — a [`city::CityView`] over any number of [`city::CooperativeSnapshot`]s: totals
//!   that are exactly the sum, flags against [`city::Thresholds`] (NPL, liquidity, desa share,
//!   Himbara arrears and the PMK 49/2025 Pasal 11 Dana Desa/DAU intercept risk, RAT, predikat),
//!   ranking.
//! * [`rat`] — the RAT package (laporan pertanggungjawaban): member statements, the loan
//!   portfolio by collectibility with savings-loans' PPAP, the SHU report, the statements and
//!   the health assessment, as one HTML file, an XLSX workbook or CSV files (built from a book
//!   by `koperasi::rat`).
//! * [`report`] and [`render`] — every report becomes a renderer-neutral
//!   [`report::Document`]; renderers: aligned text with Indonesian labels and `Rp` amounts,
//!   CSV, Markdown, self-contained HTML with inline SVG charts, JSON (feature `serde`) and XLSX
//!   (feature `xlsx`).
//! * [`plaintext`] and [`interop`] — read hledger/ledger-cli journals (line-numbered
//!   rejection of anything unsupported, checked balance assertions) and compute their trial
//!   balance fast; export a ledger to hledger or beancount; import a journal into a ledger.
//!
//! ## Example: a city office's view of two cooperatives
//!
//! ```
//! use koperasi_core::Rupiah;
//! use koperasi_reporting::city::{CityView, CooperativeSnapshot, HealthStatus, Thresholds};
//! use koperasi_reporting::health::{self, HealthInputs, Predikat};
//! use koperasi_reporting::render;
//! use rust_decimal::Decimal;
//!
//! // A health assessment under the legacy profile (ratios given directly, in percent).
//! let profile = health::perdep_06_2016();
//! let mut inputs = HealthInputs::default();
//! for code in profile.indicator_codes() {
//!     inputs.set_ratio(code, Decimal::from(50));
//! }
//! let a = health::assess(&profile, &inputs)?;
//!
//! let mut sukamaju = CooperativeSnapshot::default();
//! sukamaju.code = "KDMP-001".into();
//! sukamaju.name = "Koperasi Desa Merah Putih Sukamaju".into();
//! sukamaju.anggota = 412;
//! sukamaju.savings.wajib = Rupiah::from_rupiah(24_720_000);
//! sukamaju.health = Some(HealthStatus { score: a.total, predikat: a.predikat });
//! let mut sukamakmur = sukamaju.clone();
//! sukamakmur.code = "KDMP-002".into();
//! sukamakmur.name = "Koperasi Desa Merah Putih Sukamakmur".into();
//!
//! let city = CityView::build("Kota Probolinggo", vec![sukamaju, sukamakmur], &Thresholds::default())?;
//! assert_eq!(city.totals.savings.wajib, Rupiah::from_rupiah(49_440_000));
//! let page = render::html(&city.document());
//! assert!(page.contains("<svg") && !page.contains("<script"));
//! assert!(render::text(&city.document()).contains("Rp49.440.000"));
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | laporan posisi keuangan, neraca | [`statements::BalanceSheet`] |
//! | laporan hasil usaha, perhitungan hasil usaha (PHU) | [`statements::IncomeStatement`] |
//! | partisipasi anggota / usaha dengan non-anggota | [`statements::StatementPolicy::member_revenue`] / [`non_member_revenue`](statements::StatementPolicy::non_member_revenue) (by account), [`statements::RevenueByCounterparty`] (by counterparty) |
//! | laporan perubahan ekuitas | [`statements::ChangesInEquity`] |
//! | laporan arus kas (metode langsung) | [`statements::CashFlowStatement`], [`statements::Activity`] |
//! | neraca saldo, buku besar | [`statements::trial_balance_document`], [`statements::general_ledger_document`] |
//! | simpanan pokok/wajib sebagai ekuitas atau liabilitas | [`statements::MemberSavingsPresentation`] |
//! | penilaian kesehatan koperasi | [`health::assess`], [`health::Assessment`] |
//! | aspek, komponen, rasio, nilai, bobot, skor | [`health::Aspect`], [`health::Indicator`], [`health::ComponentScore`] |
//! | predikat: sehat, cukup sehat, dalam pengawasan, dalam pengawasan khusus | [`health::Predikat`] |
//! | rasio likuiditas / rasio kas | indicator `rasio_kas`; [`city::Metrics::rasio_kas_pct`] |
//! | NPL (pinjaman bermasalah), kolektibilitas | [`city::LoansByCollectibility`], [`rat::LoanPortfolio`] |
//! | Dinas (pemantauan koperasi) | [`city::CityView`] |
//! | RAT (rapat anggota tahunan) | [`city::CooperativeSnapshot::rat_on_time`], [`rat`] |
//! | bagian desa (Permendes 10/2025) | [`city::CooperativeSnapshot::shu_desa`] |
//! | angsuran Himbara, penempatan Dana Desa/DAU (PMK 49/2025 Ps. 11) | [`city::HimbaraStatus`], [`city::FlagKind::DanaDesaInterceptRisk`] |
//! | cadangan kerugian pinjaman (PPAP) | [`rat::LoanPortfolio`] |
//! | laporan pembagian SHU | [`rat::ShuReport`] |
//! | rekening anggota, laporan tahunan anggota | [`rat::MemberStatement`] |
//! | paket RAT, laporan pertanggungjawaban | [`rat::RatPackage`] |
//! | jasa modal, jasa usaha | [`rat::ShuShare`] |
//!
//! ## Invariants (each has a named property test)
//! * The balance sheet balances, for both member-savings presentations and the comparative
//!   date — `statements::tests::prop_balance_sheet_balances`.
//! * The PHU result equals the SHU the year-end closing moves into SHU tahun berjalan (and
//!   the unclosed SHU line of the neraca before closing); revenue by counterparty sums to the
//!   revenue — `statements::tests::prop_income_statement_result_equals_shu`.
//! * The cash flow statement reconciles to the change in cash —
//!   `statements::tests::prop_cash_flow_reconciles`.
//! * A city total is the sum of its cooperatives —
//!   `city::tests::prop_city_total_is_sum_of_cooperatives`.
//! * A health total is the sum of its component scores; every ratio falls in exactly one band
//!   — `health::tests::prop_total_is_sum_of_components`,
//!   `health::tests::prop_every_ratio_falls_in_exactly_one_band`.
//! * Export → read → import round-trips a ledger's trial balance —
//!   `interop::tests::prop_export_import_round_trip`; `hledger bal` on the export equals our
//!   trial balance — `tests/hledger_oracle.rs`.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`], which
//! names what and where (the indicator and input, the cooperative and field, the journal line).
//! The lints `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and
//! `arithmetic_side_effects` are denied outside tests. Money is exact ([`koperasi_core::Rupiah`],
//! `Decimal`, integer sen); the only `f64` is in the XLSX renderer, where Excel needs it.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every report and input type; the JSON renderer
//!   [`render::json`].
//! * `xlsx` — the XLSX renderer (`rust_xlsxwriter`): amounts become `f64` there and only there
//!   (exact up to about Rp10 triliun with sen).
//! * `proptest` — `strategy`, proptest strategies for [`city::CooperativeSnapshot`].
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

pub mod city;
mod error;
pub mod health;
pub mod interop;
pub mod plaintext;
pub mod rat;
pub mod render;
pub mod report;
pub mod statements;
#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use error::{Error, JournalErrorKind, ProfileProblem, Result};
