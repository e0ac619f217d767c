//! City monitoring (*pemantauan oleh Dinas*): many cooperatives' snapshots aggregated into a
//! [`CityView`] — per cooperative and in total, with flags against configurable
//! [`Thresholds`] and a ranking.
//!
//! The input is a plain [`CooperativeSnapshot`] per cooperative, so any source can fill it
//! (the umbrella's book, a SIMKOPDES export, a spreadsheet).
//!
//! ```
//! use koperasi_reporting::city::{CityView, CooperativeSnapshot, FlagKind, Thresholds};
//! use koperasi_core::Rupiah;
//!
//! let mut a = CooperativeSnapshot::default();
//! a.code = "KDMP-001".into();
//! a.name = "Koperasi Desa Merah Putih Sukamaju".into();
//! a.anggota = 120;
//! a.savings.pokok = Rupiah::from_rupiah(12_000_000);
//! a.loans.lancar = Rupiah::from_rupiah(90_000_000);
//! a.loans.macet = Rupiah::from_rupiah(10_000_000); // NPL 10 % > 5 %
//! let mut b = a.clone();
//! b.code = "KDMP-002".into();
//! b.name = "Koperasi Desa Merah Putih Sukamakmur".into();
//! let city = CityView::build("Kota Probolinggo", vec![a, b], &Thresholds::default())?;
//! assert_eq!(city.totals.anggota, 240);
//! assert_eq!(city.totals.savings.pokok, Rupiah::from_rupiah(24_000_000));
//! assert!(city.flags.iter().any(|f| f.kind == FlagKind::NplHigh));
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```
//!
//! ## Layout
//!
//! * `model` — [`CooperativeSnapshot`] and its parts, [`Metrics`];
//! * `thresholds` — [`Thresholds`] and [`ThresholdSchedule`] (data with effective dates),
//!   [`InterceptRule`], [`FlagKind`];
//! * this module — [`CityView`]: totals, flags and ranking;
//! * `render` — [`CityView::document`] and the CSV files.

use koperasi_core::Rupiah;

use crate::error::{Error, Result};
use crate::health::Predikat;
use crate::report::Cell;

mod model;
mod render;
#[cfg(test)]
pub(crate) mod tests;
mod thresholds;

pub use model::*;
pub use thresholds::*;

/// City totals: every amount and count is exactly the sum over the cooperatives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CityTotals {
    /// Number of cooperatives.
    pub cooperatives: u64,
    /// Σ anggota.
    pub anggota: u64,
    /// Σ calon anggota.
    pub calon_anggota: u64,
    /// Σ savings by kind.
    pub savings: SavingsByKind,
    /// Σ loans by collectibility.
    pub loans: LoansByCollectibility,
    /// Σ loan reserve.
    pub loan_reserve: Rupiah,
    /// Σ kas + bank.
    pub kas_bank: Rupiah,
    /// Σ current liabilities.
    pub kewajiban_lancar: Rupiah,
    /// Σ sales to members.
    pub sales_member: Rupiah,
    /// Σ sales to non-members.
    pub sales_non_member: Rupiah,
    /// Σ SHU.
    pub shu: Rupiah,
    /// Σ desa share.
    pub shu_desa: Rupiah,
    /// Σ Himbara figures (`days_late` is the maximum).
    pub himbara: HimbaraStatus,
    /// Cooperatives whose RAT was on time.
    pub rat_on_time: u64,
    /// Cooperatives whose RAT is late.
    pub rat_late: u64,
    /// Cooperatives per predikat, in [`Predikat::ALL`] order.
    pub predikat_counts: [u64; 4],
    /// Cooperatives without a health assessment.
    pub unassessed: u64,
}

/// One cooperative in the city view.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CooperativeRow {
    /// The snapshot.
    pub snapshot: CooperativeSnapshot,
    /// Its derived figures.
    pub metrics: Metrics,
    /// Its flags.
    pub flags: usize,
}

/// What to rank cooperatives by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RankBy {
    /// Health score, best first (unassessed last), then fewest flags.
    Health,
    /// NPL, lowest first (no loans last).
    Npl,
    /// Total savings, largest first.
    Savings,
    /// Members, most first.
    Members,
    /// Number of flags, fewest first.
    Flags,
}

/// Many cooperatives aggregated for a city office.
///
/// # Invariants
/// Every amount and count of [`totals`](CityView::totals) is exactly the sum over
/// [`cooperatives`](CityView::cooperatives) (`prop_city_total_is_sum_of_cooperatives`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CityView {
    /// City (kabupaten/kota) name.
    pub city: String,
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// Per cooperative, in input order.
    pub cooperatives: Vec<CooperativeRow>,
    /// Totals.
    pub totals: CityTotals,
    /// Derived figures of the totals (ratios recomputed from the sums, not averaged).
    pub total_metrics: Metrics,
    /// Every flag, by cooperative in input order.
    pub flags: Vec<Flag>,
    /// Built from simulated data ([`CityView::mark_simulated`]): every rendering says
    /// SIMULASI.
    #[cfg_attr(feature = "serde", serde(default))]
    pub simulated: bool,
}

/// The notice every rendering of simulated data carries.
pub const SIMULATED_NOTICE: &str =
    "SIMULASI — data rekaan untuk demonstrasi, bukan data koperasi yang sebenarnya.";

/// The file names (English `snake_case`, without `.csv`) of the tables of
/// [`CityView::document`], in order: one CSV file per table.
pub const CSV_TABLES: [&str; 7] = [
    "cooperatives",
    "savings",
    "loans",
    "business_shu",
    "himbara",
    "flags",
    "health_ranking",
];

impl CityView {
    /// Marks the view as built from simulated data.
    pub fn mark_simulated(&mut self) {
        self.simulated = true;
    }

    /// One CSV file per table of [`CityView::document`]: `(name, contents)` with the names of
    /// [`CSV_TABLES`], each with one header row (English `snake_case` keys) and no title
    /// line, so spreadsheets and data-frame readers load it directly. Simulated data gets a
    /// `simulated` column set to `true`.
    ///
    /// # Errors
    /// [`Error::Render`] if the CSV writer fails.
    pub fn csv_files(&self) -> Result<Vec<(String, String)>> {
        let doc = self.document();
        CSV_TABLES
            .iter()
            .zip(doc.tables())
            .map(|(name, t)| {
                let mut t = t.clone();
                if self.simulated {
                    t.columns
                        .push(crate::report::Column::new("simulated", "SIMULASI"));
                    for r in t.rows.iter_mut().chain(t.total.iter_mut()) {
                        r.push(Cell::Text("true".into()));
                    }
                }
                Ok(((*name).to_owned(), crate::render::csv_table(&t)?))
            })
            .collect()
    }

    /// Aggregates snapshots. Validates all of them first.
    ///
    /// # Errors
    /// [`Error::DuplicateCooperative`], [`Error::InvalidSnapshot`] (empty code, a negative
    /// amount, a score outside 0..=100), [`Error::Core`] on overflow.
    pub fn build(
        city: &str,
        snapshots: Vec<CooperativeSnapshot>,
        thresholds: &Thresholds,
    ) -> Result<CityView> {
        let mut seen = std::collections::BTreeSet::new();
        for s in &snapshots {
            s.validate()?;
            if !seen.insert(s.code.as_str()) {
                return Err(Error::DuplicateCooperative {
                    code: s.code.clone(),
                });
            }
        }
        let mut t = CityTotals::default();
        let mut rows = Vec::with_capacity(snapshots.len());
        let mut flags = Vec::new();
        let overflow = || koperasi_core::Error::Overflow { op: "city totals" };
        for s in snapshots {
            let m = s.metrics()?;
            let f = s.flags(&m, thresholds);
            t.cooperatives = t.cooperatives.checked_add(1).ok_or_else(overflow)?;
            t.anggota = t.anggota.checked_add(s.anggota).ok_or_else(overflow)?;
            t.calon_anggota = t
                .calon_anggota
                .checked_add(s.calon_anggota)
                .ok_or_else(overflow)?;
            t.savings = t.savings.checked_add(&s.savings)?;
            t.loans = t.loans.checked_add(&s.loans)?;
            t.loan_reserve = t.loan_reserve.checked_add(s.loan_reserve)?;
            t.kas_bank = t.kas_bank.checked_add(s.kas_bank)?;
            t.kewajiban_lancar = t.kewajiban_lancar.checked_add(s.kewajiban_lancar)?;
            t.sales_member = t.sales_member.checked_add(s.sales_member)?;
            t.sales_non_member = t.sales_non_member.checked_add(s.sales_non_member)?;
            t.shu = t.shu.checked_add(s.shu)?;
            t.shu_desa = t.shu_desa.checked_add(s.shu_desa)?;
            t.himbara = t.himbara.checked_add(&s.himbara)?;
            match s.rat_on_time() {
                Some(true) => t.rat_on_time = t.rat_on_time.saturating_add(1),
                Some(false) => t.rat_late = t.rat_late.saturating_add(1),
                None => {}
            }
            match s.health {
                Some(h) => {
                    let i = Predikat::ALL
                        .iter()
                        .position(|p| *p == h.predikat)
                        .unwrap_or(0);
                    if let Some(c) = t.predikat_counts.get_mut(i) {
                        *c = c.saturating_add(1);
                    }
                }
                None => t.unassessed = t.unassessed.saturating_add(1),
            }
            rows.push(CooperativeRow {
                snapshot: s,
                metrics: m,
                flags: f.len(),
            });
            flags.extend(f);
        }
        let total_metrics = metrics(
            &t.savings,
            &t.loans,
            t.kas_bank,
            t.kewajiban_lancar,
            (t.sales_member, t.sales_non_member),
            t.shu,
            t.shu_desa,
            &t.himbara,
        )?;
        Ok(CityView {
            city: city.to_owned(),
            thresholds: *thresholds,
            cooperatives: rows,
            totals: t,
            total_metrics,
            flags,
            simulated: false,
        })
    }

    /// The cooperatives ranked (1-based rank, row); ties broken by code.
    pub fn ranking(&self, by: RankBy) -> Vec<(usize, &CooperativeRow)> {
        let mut rows: Vec<&CooperativeRow> = self.cooperatives.iter().collect();
        rows.sort_by(|a, b| {
            let ord = match by {
                RankBy::Health => {
                    let sa = a.snapshot.health.map(|h| h.score);
                    let sb = b.snapshot.health.map(|h| h.score);
                    match (sa, sb) {
                        (Some(x), Some(y)) => y.cmp(&x),
                        (Some(_), None) => core::cmp::Ordering::Less,
                        (None, Some(_)) => core::cmp::Ordering::Greater,
                        (None, None) => core::cmp::Ordering::Equal,
                    }
                    .then(a.flags.cmp(&b.flags))
                }
                RankBy::Npl => match (a.metrics.npl_pct, b.metrics.npl_pct) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => core::cmp::Ordering::Less,
                    (None, Some(_)) => core::cmp::Ordering::Greater,
                    (None, None) => core::cmp::Ordering::Equal,
                },
                RankBy::Savings => b.metrics.savings_total.cmp(&a.metrics.savings_total),
                RankBy::Members => b.snapshot.anggota.cmp(&a.snapshot.anggota),
                RankBy::Flags => a.flags.cmp(&b.flags),
            };
            ord.then_with(|| a.snapshot.code.cmp(&b.snapshot.code))
        });
        rows.into_iter()
            .enumerate()
            .map(|(i, r)| (i.saturating_add(1), r))
            .collect()
    }
}
