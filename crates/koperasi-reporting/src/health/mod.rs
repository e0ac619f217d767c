//! Cooperative health assessment (*penilaian kesehatan koperasi*): a generic scoring engine
//! whose rules are data, and the legacy Perdep 06/Per/Dep.6/IV/2016 profile.
//!
//! A [`Profile`] lists [`Aspect`]s; each aspect lists [`Indicator`]s. An indicator has a
//! [`Formula`] over named inputs (a ratio of two weighted sums, times 100), a [`Scoring`] rule
//! (a band table with explicit inclusive/exclusive bounds, or a clamped linear rule) giving the
//! *nilai* (0–100), and a weight (*bobot*). The *skor* of an indicator is
//! `nilai × bobot / 100`; the total is the sum of the skor; the [`Predikat`] follows from the
//! total. Every figure of an [`Assessment`] carries the inputs it came from.
//!
//! ```
//! use koperasi_reporting::health::{assess, perdep_06_2016, HealthInputs, Predikat};
//! use rust_decimal::Decimal;
//!
//! let profile = perdep_06_2016();
//! let mut inputs = HealthInputs::default();
//! // Give every indicator's ratio directly (percent)…
//! for code in profile.indicator_codes() {
//!     inputs.set_ratio(code, Decimal::from(50));
//! }
//! // …except the cash ratio, computed from its inputs: (kas + bank) / kewajiban lancar × 100.
//! inputs.remove_ratio("rasio_kas");
//! inputs.set_input("kas", Decimal::from(60_000_000));
//! inputs.set_input("bank", Decimal::from(40_000_000));
//! inputs.set_input("kewajiban_lancar", Decimal::from(800_000_000));
//! let a = assess(&profile, &inputs)?;
//! let kas = a.component("rasio_kas").ok_or("no component")?;
//! assert_eq!(kas.ratio, Decimal::new(1250, 2)); // 12,50 % → nilai 100
//! assert_eq!(kas.nilai, Decimal::from(100));
//! assert_eq!(kas.skor, Decimal::from(10));
//! assert!(a.total <= Decimal::from(100));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Layout
//!
//! * `engine` — profiles, bands, formulas, inputs and [`assess`];
//! * `perdep` — the Perdep 06/2016 profile as data ([`perdep_06_2016`], [`profile`]);
//! * `render` — [`Assessment::document`];
//! * `trace` — where each input came from ([`InputTrace`]);
//! * `ledger` — [`inputs_from_ledger`], the inputs a standard-chart ledger knows.

mod engine;
mod ledger;
mod perdep;
mod render;
#[cfg(test)]
pub(crate) mod tests;
mod trace;

pub use engine::*;
pub use ledger::inputs_from_ledger;
pub use perdep::{perdep_06_2016, profile};
pub use trace::{InputTrace, TracePart};
