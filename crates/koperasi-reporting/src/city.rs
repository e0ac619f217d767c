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

use chrono::NaiveDate;
use koperasi_core::Rupiah;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::health::{Precision, Predikat};
use crate::report::{Block, Cell, Chart, ChartUnit, Document, Series, Table};

/// Member savings by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct SavingsByKind {
    /// Simpanan pokok.
    #[doc(alias = "simpanan pokok")]
    pub pokok: Rupiah,
    /// Simpanan wajib.
    #[doc(alias = "simpanan wajib")]
    pub wajib: Rupiah,
    /// Simpanan sukarela.
    #[doc(alias = "simpanan sukarela")]
    pub sukarela: Rupiah,
    /// Simpanan berjangka.
    #[doc(alias = "simpanan berjangka")]
    pub berjangka: Rupiah,
}

// `Rupiah::default()` is a scale-0 zero that `checked_add` rejects; zeros here are
// `Rupiah::ZERO`.
impl Default for SavingsByKind {
    fn default() -> Self {
        SavingsByKind {
            pokok: Rupiah::ZERO,
            wajib: Rupiah::ZERO,
            sukarela: Rupiah::ZERO,
            berjangka: Rupiah::ZERO,
        }
    }
}

impl Default for LoansByCollectibility {
    fn default() -> Self {
        LoansByCollectibility {
            lancar: Rupiah::ZERO,
            kurang_lancar: Rupiah::ZERO,
            diragukan: Rupiah::ZERO,
            macet: Rupiah::ZERO,
        }
    }
}

impl Default for HimbaraStatus {
    fn default() -> Self {
        HimbaraStatus {
            outstanding: Rupiah::ZERO,
            due: Rupiah::ZERO,
            paid: Rupiah::ZERO,
            late: Rupiah::ZERO,
            days_late: 0,
            intercepted: Rupiah::ZERO,
        }
    }
}

impl Default for AllocationLine {
    fn default() -> Self {
        AllocationLine {
            label: String::new(),
            amount: Rupiah::ZERO,
        }
    }
}

impl Default for CooperativeSnapshot {
    fn default() -> Self {
        CooperativeSnapshot {
            code: String::new(),
            name: String::new(),
            as_of: NaiveDate::default(),
            anggota: 0,
            calon_anggota: 0,
            savings: SavingsByKind::default(),
            loans: LoansByCollectibility::default(),
            loan_reserve: Rupiah::ZERO,
            kas_bank: Rupiah::ZERO,
            kewajiban_lancar: Rupiah::ZERO,
            sales_member: Rupiah::ZERO,
            sales_non_member: Rupiah::ZERO,
            shu: Rupiah::ZERO,
            shu_allocation: Vec::new(),
            shu_desa: Rupiah::ZERO,
            himbara: HimbaraStatus::default(),
            rat_deadline: None,
            rat_held: None,
            health: None,
            reported_on: None,
        }
    }
}

impl Default for CityTotals {
    fn default() -> Self {
        CityTotals {
            cooperatives: 0,
            anggota: 0,
            calon_anggota: 0,
            savings: SavingsByKind::default(),
            loans: LoansByCollectibility::default(),
            loan_reserve: Rupiah::ZERO,
            kas_bank: Rupiah::ZERO,
            kewajiban_lancar: Rupiah::ZERO,
            sales_member: Rupiah::ZERO,
            sales_non_member: Rupiah::ZERO,
            shu: Rupiah::ZERO,
            shu_desa: Rupiah::ZERO,
            himbara: HimbaraStatus::default(),
            rat_on_time: 0,
            rat_late: 0,
            predikat_counts: [0; 4],
            unassessed: 0,
        }
    }
}

impl SavingsByKind {
    /// The total.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn total(&self) -> Result<Rupiah> {
        Ok(Rupiah::try_sum([
            self.pokok,
            self.wajib,
            self.sukarela,
            self.berjangka,
        ])?)
    }

    fn checked_add(&self, o: &SavingsByKind) -> Result<SavingsByKind> {
        Ok(SavingsByKind {
            pokok: self.pokok.checked_add(o.pokok)?,
            wajib: self.wajib.checked_add(o.wajib)?,
            sukarela: self.sukarela.checked_add(o.sukarela)?,
            berjangka: self.berjangka.checked_add(o.berjangka)?,
        })
    }
}

/// Loans outstanding by collectibility (the four cooperative classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[doc(alias = "kolektibilitas")]
pub struct LoansByCollectibility {
    /// Lancar.
    pub lancar: Rupiah,
    /// Kurang lancar.
    pub kurang_lancar: Rupiah,
    /// Diragukan.
    pub diragukan: Rupiah,
    /// Macet.
    pub macet: Rupiah,
}

impl LoansByCollectibility {
    /// Σ all classes.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn outstanding(&self) -> Result<Rupiah> {
        Ok(Rupiah::try_sum([
            self.lancar,
            self.kurang_lancar,
            self.diragukan,
            self.macet,
        ])?)
    }

    /// Non-performing loans: kurang lancar + diragukan + macet.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    #[doc(alias = "NPL")]
    pub fn non_performing(&self) -> Result<Rupiah> {
        Ok(Rupiah::try_sum([
            self.kurang_lancar,
            self.diragukan,
            self.macet,
        ])?)
    }

    fn checked_add(&self, o: &LoansByCollectibility) -> Result<LoansByCollectibility> {
        Ok(LoansByCollectibility {
            lancar: self.lancar.checked_add(o.lancar)?,
            kurang_lancar: self.kurang_lancar.checked_add(o.kurang_lancar)?,
            diragukan: self.diragukan.checked_add(o.diragukan)?,
            macet: self.macet.checked_add(o.macet)?,
        })
    }
}

/// The Himbara loan (PMK 49/2025) as of the snapshot date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct HimbaraStatus {
    /// Principal outstanding.
    pub outstanding: Rupiah,
    /// Installments due so far (cumulative).
    pub due: Rupiah,
    /// Installments paid so far (cumulative).
    pub paid: Rupiah,
    /// Installments past their due date and unpaid.
    pub late: Rupiah,
    /// Days the oldest unpaid installment is late.
    pub days_late: u32,
    /// Amount placed from Dana Desa (KDMP) or DAU/DBH (KKMP) under PMK 49 Pasal 11 — a
    /// receivable of the desa/pemda from the cooperative.
    pub intercepted: Rupiah,
}

impl HimbaraStatus {
    fn checked_add(&self, o: &HimbaraStatus) -> Result<HimbaraStatus> {
        Ok(HimbaraStatus {
            outstanding: self.outstanding.checked_add(o.outstanding)?,
            due: self.due.checked_add(o.due)?,
            paid: self.paid.checked_add(o.paid)?,
            late: self.late.checked_add(o.late)?,
            days_late: self.days_late.max(o.days_late),
            intercepted: self.intercepted.checked_add(o.intercepted)?,
        })
    }
}

/// One line of the SHU allocation (cadangan, jasa anggota, bagian desa…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AllocationLine {
    /// Label, e.g. `Cadangan`.
    pub label: String,
    /// Amount.
    pub amount: Rupiah,
}

/// The latest health assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HealthStatus {
    /// Total score.
    pub score: Decimal,
    /// Predikat.
    pub predikat: Predikat,
}

/// One cooperative as the city office sees it on a date. Plain data: fill it from a book,
/// a spreadsheet or a national system.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct CooperativeSnapshot {
    /// Unique code within the city (e.g. the nomor induk koperasi).
    pub code: String,
    /// Name.
    pub name: String,
    /// Snapshot date.
    pub as_of: NaiveDate,
    /// Members (*anggota*).
    pub anggota: u64,
    /// Prospective members (*calon anggota*).
    pub calon_anggota: u64,
    /// Member savings by kind.
    pub savings: SavingsByKind,
    /// Loans outstanding by collectibility.
    pub loans: LoansByCollectibility,
    /// Loss reserve (*cadangan kerugian / PPAP*).
    pub loan_reserve: Rupiah,
    /// Cash and bank (*kas + bank*).
    pub kas_bank: Rupiah,
    /// Current liabilities (*kewajiban lancar*).
    pub kewajiban_lancar: Rupiah,
    /// Sales to members.
    pub sales_member: Rupiah,
    /// Sales to non-members.
    pub sales_non_member: Rupiah,
    /// SHU of the latest year (may be negative).
    pub shu: Rupiah,
    /// Its allocation (as decided or proposed), including the desa share.
    pub shu_allocation: Vec<AllocationLine>,
    /// The desa's share of the SHU (Permendes 10/2025 Pasal 7: at least 20 %).
    pub shu_desa: Rupiah,
    /// The Himbara loan.
    pub himbara: HimbaraStatus,
    /// RAT deadline for the latest fiscal year.
    pub rat_deadline: Option<NaiveDate>,
    /// Date the RAT was held, if it was (by `reported_on`).
    pub rat_held: Option<NaiveDate>,
    /// Latest health assessment, if any.
    pub health: Option<HealthStatus>,
    /// The date of the report, when it is later than `as_of` (a year's figures reported after
    /// the year's end): the RAT is checked on this date. `None`: on `as_of`.
    pub reported_on: Option<NaiveDate>,
}

/// When a late installment of the cooperative's bank financing exposes the Dana Desa (KDMP)
/// or DAU/DBH (KKMP) to a placement request — the rule of the financing scheme in force,
/// which is configuration (the scheme changed in late 2025, see `docs/decisions.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum InterceptRule {
    /// PMK 49/2025 Pasal 11: the bank requests the placement when an installment is still
    /// unpaid `working_days` working days (Monday–Friday; public holidays are not modelled)
    /// after its due date (4 in PMK 49/2025).
    #[doc(alias = "PMK 49/2025 Pasal 11")]
    AfterWorkingDays {
        /// Working days after the due date.
        working_days: u32,
    },
    /// The installments are paid from the transfers (DAU/DBH or Dana Desa) by design — the
    /// draft replacement of PMK 49/2025, where the credit is to PT Agrinas and not to the
    /// cooperative: there is no intercept *risk* to flag.
    TransferFunded,
}

impl InterceptRule {
    /// PMK 49/2025 Pasal 11: four working days after the due date.
    pub const PMK_49_2025: InterceptRule = InterceptRule::AfterWorkingDays { working_days: 4 };

    /// Whether an installment due on `due` and unpaid on `as_of` is exposed to a placement
    /// request on `as_of`.
    pub fn exposed(self, due: NaiveDate, as_of: NaiveDate) -> bool {
        match self {
            InterceptRule::AfterWorkingDays { working_days } => {
                working_days_between(due, as_of) > working_days
            }
            InterceptRule::TransferFunded => false,
        }
    }
}

/// Monday–Friday days after `from`, up to and including `to`.
fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    use chrono::{Datelike, Weekday};
    let mut n = 0u32;
    let mut d = from;
    while d < to {
        let Some(next) = d.succ_opt() else { break };
        d = next;
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n = n.saturating_add(1);
        }
    }
    n
}

/// Thresholds for the flags. Every number is configuration (domain.md: treat regulated
/// numbers as data); a [`ThresholdSchedule`] dates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Thresholds {
    /// Highest acceptable NPL, percent (default 5).
    pub npl_max_pct: Decimal,
    /// Lowest acceptable cash ratio, percent (default 10: ≤ 10 scores 25 in Perdep 06/2016).
    pub rasio_kas_min_pct: Decimal,
    /// Highest cash ratio before cash counts as idle, percent; `None` (the default): not
    /// flagged — the health assessment already scores the cash ratio, and a KKMP holding its
    /// grant or a Himbara drawdown in the bank is not idle (`docs/decisions.md`, *Idle
    /// cash*).
    pub rasio_kas_max_pct: Option<Decimal>,
    /// Lowest desa share of a positive SHU, percent (default 20, Permendes 10/2025 Pasal 7).
    pub desa_share_min_pct: Decimal,
    /// Highest share of sales to non-members, percent (`None`: not checked).
    pub non_member_sales_max_pct: Option<Decimal>,
    /// Worst acceptable predikat (default Cukup Sehat).
    pub worst_predikat: Predikat,
    /// Months after the fiscal year's end by which the RAT must be held (default 3: the end
    /// of March for a calendar year, as reported for primary cooperatives — to verify).
    pub rat_deadline_months: u32,
    /// The Dana Desa/DAU intercept rule of the financing scheme (default PMK 49/2025).
    pub intercept: InterceptRule,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            npl_max_pct: Decimal::from(5),
            rasio_kas_min_pct: Decimal::from(10),
            rasio_kas_max_pct: None,
            desa_share_min_pct: Decimal::from(20),
            non_member_sales_max_pct: None,
            worst_predikat: Predikat::CukupSehat,
            rat_deadline_months: 3,
            intercept: InterceptRule::PMK_49_2025,
        }
    }
}

impl Thresholds {
    /// With the intercept rule of a financing scheme.
    #[must_use]
    pub fn with_intercept(mut self, rule: InterceptRule) -> Thresholds {
        self.intercept = rule;
        self
    }

    /// With an idle-cash limit (cash ratio, percent).
    #[must_use]
    pub fn with_idle_cash_pct(mut self, pct: Decimal) -> Thresholds {
        self.rasio_kas_max_pct = Some(pct);
        self
    }
}

/// Thresholds with effective dates: the set in force on a date is the latest one effective
/// on or before it (the earliest one before any).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ThresholdSchedule {
    entries: Vec<(NaiveDate, Thresholds)>,
}

impl ThresholdSchedule {
    /// One set in force from `from`.
    pub fn new(from: NaiveDate, thresholds: Thresholds) -> ThresholdSchedule {
        ThresholdSchedule {
            entries: vec![(from, thresholds)],
        }
    }

    /// Adds a set in force from `from` (replacing one with the same date).
    #[must_use]
    pub fn with(mut self, from: NaiveDate, thresholds: Thresholds) -> ThresholdSchedule {
        self.entries.retain(|(d, _)| *d != from);
        self.entries.push((from, thresholds));
        self.entries.sort_by_key(|(d, _)| *d);
        self
    }

    /// The thresholds in force on `date`.
    pub fn on(&self, date: NaiveDate) -> Thresholds {
        self.entries
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .or(self.entries.first())
            .map_or_else(Thresholds::default, |(_, t)| *t)
    }

    /// The dated sets, oldest first.
    pub fn entries(&self) -> &[(NaiveDate, Thresholds)] {
        &self.entries
    }
}

impl Default for ThresholdSchedule {
    /// [`Thresholds::default`] from PMK 49/2025's date (21 July 2025).
    fn default() -> Self {
        ThresholdSchedule::new(
            NaiveDate::from_ymd_opt(2025, 7, 21).unwrap_or_default(),
            Thresholds::default(),
        )
    }
}

/// What a flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FlagKind {
    /// NPL above the threshold.
    NplHigh,
    /// Cash ratio below the minimum.
    LiquidityLow,
    /// Cash ratio above the maximum (idle cash).
    LiquidityIdle,
    /// Desa share of a positive SHU below the minimum.
    DesaShareLow,
    /// Non-member sales share above the maximum.
    NonMemberSalesHigh,
    /// Himbara installments late.
    HimbaraLate,
    /// A late Himbara installment exposes the Dana Desa/DAU to a placement request under the
    /// financing scheme's [`InterceptRule`] (PMK 49/2025 Pasal 11: still unpaid 4 working
    /// days after the due date).
    DanaDesaInterceptRisk,
    /// Dana Desa/DAU has been placed to cover an installment.
    DanaDesaIntercepted,
    /// RAT held after its deadline, or not held and the deadline has passed.
    RatLate,
    /// Predikat worse than the acceptable one.
    HealthBelowThreshold,
    /// No health assessment.
    NoHealthAssessment,
    /// Negative SHU (a loss).
    ShuNegative,
}

impl FlagKind {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::NplHigh => "NPL di atas batas",
            FlagKind::LiquidityLow => "Rasio kas terlalu rendah",
            FlagKind::LiquidityIdle => "Kas menganggur (rasio kas terlalu tinggi)",
            FlagKind::DesaShareLow => "Bagian desa dari SHU di bawah minimum",
            FlagKind::NonMemberSalesHigh => "Penjualan non-anggota di atas batas",
            FlagKind::HimbaraLate => "Angsuran Himbara terlambat",
            FlagKind::DanaDesaInterceptRisk => "Risiko penempatan Dana Desa/DAU (PMK 49 Ps. 11)",
            FlagKind::DanaDesaIntercepted => "Dana Desa/DAU telah ditempatkan",
            FlagKind::RatLate => "RAT terlambat",
            FlagKind::HealthBelowThreshold => "Predikat kesehatan di bawah batas",
            FlagKind::NoHealthAssessment => "Belum dinilai kesehatannya",
            FlagKind::ShuNegative => "SHU negatif (rugi)",
        }
    }
}

/// A flag raised for one cooperative.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Flag {
    /// Cooperative code.
    pub cooperative: String,
    /// What.
    pub kind: FlagKind,
    /// The observed value and the threshold, in words.
    pub detail: String,
}

/// Figures derived from one snapshot (or from the totals).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Metrics {
    /// Σ savings.
    pub savings_total: Rupiah,
    /// Σ loans outstanding.
    pub loans_outstanding: Rupiah,
    /// KL + D + M.
    pub npl_amount: Rupiah,
    /// NPL / outstanding × 100 (2 decimals, half-up); `None` without loans.
    pub npl_pct: Option<Decimal>,
    /// (kas + bank) / kewajiban lancar × 100; `None` without current liabilities.
    pub rasio_kas_pct: Option<Decimal>,
    /// Non-member sales / all sales × 100; `None` without sales.
    pub non_member_sales_pct: Option<Decimal>,
    /// Desa share / SHU × 100; `None` unless SHU > 0.
    pub desa_share_pct: Option<Decimal>,
    /// Himbara paid / due × 100; `None` when nothing is due yet.
    pub himbara_paid_pct: Option<Decimal>,
}

fn pct(num: Rupiah, den: Rupiah) -> Result<Option<Decimal>> {
    if !den.is_positive() {
        return Ok(None);
    }
    Ok(Some(Precision::TWO_HALF_UP.divide(
        num.to_decimal(),
        Decimal::ONE_HUNDRED,
        den.to_decimal(),
    )?))
}

#[expect(
    clippy::too_many_arguments,
    reason = "shared by a snapshot and the totals"
)]
fn metrics(
    savings: &SavingsByKind,
    loans: &LoansByCollectibility,
    kas_bank: Rupiah,
    kewajiban_lancar: Rupiah,
    sales: (Rupiah, Rupiah),
    shu: Rupiah,
    desa: Rupiah,
    himbara: &HimbaraStatus,
) -> Result<Metrics> {
    let outstanding = loans.outstanding()?;
    let npl = loans.non_performing()?;
    let all_sales = sales.0.checked_add(sales.1)?;
    Ok(Metrics {
        savings_total: savings.total()?,
        loans_outstanding: outstanding,
        npl_amount: npl,
        npl_pct: pct(npl, outstanding)?,
        rasio_kas_pct: pct(kas_bank, kewajiban_lancar)?,
        non_member_sales_pct: pct(sales.1, all_sales)?,
        desa_share_pct: pct(desa, shu)?,
        himbara_paid_pct: pct(himbara.paid, himbara.due)?,
    })
}

impl CooperativeSnapshot {
    /// The derived figures.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn metrics(&self) -> Result<Metrics> {
        metrics(
            &self.savings,
            &self.loans,
            self.kas_bank,
            self.kewajiban_lancar,
            (self.sales_member, self.sales_non_member),
            self.shu,
            self.shu_desa,
            &self.himbara,
        )
    }

    /// `Some(true)` if the RAT was held by its deadline, `Some(false)` if it was held late or
    /// the deadline passed without it, `None` if no deadline is known or it is still ahead.
    pub fn rat_on_time(&self) -> Option<bool> {
        match (self.rat_deadline, self.rat_held) {
            (Some(d), Some(h)) => Some(h <= d),
            (Some(d), None) if self.reported_on.unwrap_or(self.as_of) > d => Some(false),
            _ => None,
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |field: &'static str, reason: &'static str| Error::InvalidSnapshot {
            code: self.code.clone(),
            field,
            reason,
        };
        if self.code.is_empty() {
            return Err(bad("code", "empty"));
        }
        let non_negative = [
            ("savings.pokok", self.savings.pokok),
            ("savings.wajib", self.savings.wajib),
            ("savings.sukarela", self.savings.sukarela),
            ("savings.berjangka", self.savings.berjangka),
            ("loans.lancar", self.loans.lancar),
            ("loans.kurang_lancar", self.loans.kurang_lancar),
            ("loans.diragukan", self.loans.diragukan),
            ("loans.macet", self.loans.macet),
            ("loan_reserve", self.loan_reserve),
            ("kas_bank", self.kas_bank),
            ("kewajiban_lancar", self.kewajiban_lancar),
            ("sales_member", self.sales_member),
            ("sales_non_member", self.sales_non_member),
            ("shu_desa", self.shu_desa),
            ("himbara.outstanding", self.himbara.outstanding),
            ("himbara.due", self.himbara.due),
            ("himbara.paid", self.himbara.paid),
            ("himbara.late", self.himbara.late),
            ("himbara.intercepted", self.himbara.intercepted),
        ];
        if let Some((field, _)) = non_negative.iter().find(|(_, v)| v.is_negative()) {
            return Err(bad(field, "negative"));
        }
        if let Some(h) = self.health
            && (h.score < Decimal::ZERO || h.score > Decimal::ONE_HUNDRED)
        {
            return Err(bad("health.score", "outside 0..=100"));
        }
        Ok(())
    }

    fn flags(&self, m: &Metrics, t: &Thresholds) -> Vec<Flag> {
        let mut out = Vec::new();
        let mut flag = |kind: FlagKind, detail: String| {
            out.push(Flag {
                cooperative: self.code.clone(),
                kind,
                detail,
            });
        };
        let p = |d: Decimal| crate::report::decimal_id(d);
        if let Some(n) = m.npl_pct
            && n > t.npl_max_pct
        {
            flag(
                FlagKind::NplHigh,
                format!("NPL {} % > {} %", p(n), p(t.npl_max_pct)),
            );
        }
        if let Some(k) = m.rasio_kas_pct {
            if k <= t.rasio_kas_min_pct {
                flag(
                    FlagKind::LiquidityLow,
                    format!("rasio kas {} % ≤ {} %", p(k), p(t.rasio_kas_min_pct)),
                );
            } else if let Some(max) = t.rasio_kas_max_pct
                && k > max
            {
                flag(
                    FlagKind::LiquidityIdle,
                    format!("rasio kas {} % > {} %", p(k), p(max)),
                );
            }
        }
        if let Some(s) = m.desa_share_pct
            && s < t.desa_share_min_pct
        {
            flag(
                FlagKind::DesaShareLow,
                format!("bagian desa {} % < {} %", p(s), p(t.desa_share_min_pct)),
            );
        }
        if let (Some(s), Some(max)) = (m.non_member_sales_pct, t.non_member_sales_max_pct)
            && s > max
        {
            flag(
                FlagKind::NonMemberSalesHigh,
                format!("penjualan non-anggota {} % > {} %", p(s), p(max)),
            );
        }
        if self.himbara.late.is_positive() {
            flag(
                FlagKind::HimbaraLate,
                format!(
                    "{} terlambat {} hari",
                    self.himbara.late, self.himbara.days_late
                ),
            );
            let oldest_due = self
                .as_of
                .checked_sub_days(chrono::Days::new(u64::from(self.himbara.days_late)));
            if let Some(due) = oldest_due
                && self.himbara.days_late > 0
                && t.intercept.exposed(due, self.as_of)
            {
                flag(
                    FlagKind::DanaDesaInterceptRisk,
                    format!(
                        "bank dapat meminta penempatan {} dari Dana Desa/DAU (jatuh tempo {due})",
                        self.himbara.late
                    ),
                );
            }
        }
        if self.himbara.intercepted.is_positive() {
            flag(
                FlagKind::DanaDesaIntercepted,
                format!(
                    "{} ditempatkan (piutang desa/pemda)",
                    self.himbara.intercepted
                ),
            );
        }
        if self.rat_on_time() == Some(false) {
            let detail = match (self.rat_held, self.rat_deadline) {
                (Some(h), Some(d)) => format!("RAT {h}, batas {d}"),
                (None, Some(d)) => format!("belum RAT, batas {d}"),
                _ => String::new(),
            };
            flag(FlagKind::RatLate, detail);
        }
        match self.health {
            Some(h) if h.predikat > t.worst_predikat => flag(
                FlagKind::HealthBelowThreshold,
                format!("{} (skor {})", h.predikat.label(), p(h.score)),
            ),
            Some(_) => {}
            None => flag(FlagKind::NoHealthAssessment, String::new()),
        }
        if self.shu.is_negative() {
            flag(FlagKind::ShuNegative, format!("SHU {}", self.shu));
        }
        out
    }
}

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

    /// The city view as a document: overview, savings by kind, loans by collectibility,
    /// Himbara installments, SHU and desa share, flags, ranking, and three charts (savings and
    /// loans per cooperative, collectibility mix, predikat distribution).
    pub fn document(&self) -> Document {
        let title = if self.simulated {
            format!("SIMULASI — Pemantauan Koperasi — {}", self.city)
        } else {
            format!("Pemantauan Koperasi — {}", self.city)
        };
        let mut doc = Document::new(&title);
        if self.simulated {
            doc.blocks.push(Block::Note(SIMULATED_NOTICE.to_owned()));
        }
        let t = &self.totals;
        doc.subtitle.push(format!(
            "{} koperasi · {} anggota · {} calon anggota",
            t.cooperatives, t.anggota, t.calon_anggota
        ));
        let pcell = Cell::Percent;
        let total_label = || Cell::Text("Jumlah kota".to_owned());

        let mut o = Table::new(
            "Ringkasan per koperasi",
            &[
                ("code", "Kode"),
                ("name", "Koperasi"),
                ("members", "Anggota"),
                ("candidates", "Calon"),
                ("savings", "Simpanan"),
                ("loans", "Pinjaman"),
                ("npl_pct", "NPL %"),
                ("cash_ratio_pct", "Rasio kas %"),
                ("rat_on_time", "RAT tepat waktu"),
                ("rating", "Predikat"),
                ("flags", "Peringatan"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot;
            o.push(vec![
                s.code.as_str().into(),
                s.name.as_str().into(),
                Cell::Count(s.anggota),
                Cell::Count(s.calon_anggota),
                r.metrics.savings_total.into(),
                r.metrics.loans_outstanding.into(),
                pcell(r.metrics.npl_pct),
                pcell(r.metrics.rasio_kas_pct),
                match s.rat_on_time() {
                    Some(true) => "ya".into(),
                    Some(false) => "tidak".into(),
                    None => Cell::Empty,
                },
                s.health.map_or(Cell::Empty, |h| h.predikat.label().into()),
                Cell::Count(u64::try_from(r.flags).unwrap_or(u64::MAX)),
            ]);
        }
        o.total = Some(vec![
            total_label(),
            Cell::Empty,
            Cell::Count(t.anggota),
            Cell::Count(t.calon_anggota),
            self.total_metrics.savings_total.into(),
            self.total_metrics.loans_outstanding.into(),
            pcell(self.total_metrics.npl_pct),
            pcell(self.total_metrics.rasio_kas_pct),
            Cell::Text(format!("{}/{}", t.rat_on_time, t.cooperatives)),
            Cell::Empty,
            Cell::Count(u64::try_from(self.flags.len()).unwrap_or(u64::MAX)),
        ]);
        doc.blocks.push(Block::Table(o));

        let mut sv = Table::new(
            "Simpanan per jenis",
            &[
                ("code", "Kode"),
                ("principal", "Pokok"),
                ("mandatory", "Wajib"),
                ("voluntary", "Sukarela"),
                ("time_deposit", "Berjangka"),
                ("total", "Jumlah"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot.savings;
            sv.push(vec![
                r.snapshot.code.as_str().into(),
                s.pokok.into(),
                s.wajib.into(),
                s.sukarela.into(),
                s.berjangka.into(),
                r.metrics.savings_total.into(),
            ]);
        }
        sv.total = Some(vec![
            total_label(),
            t.savings.pokok.into(),
            t.savings.wajib.into(),
            t.savings.sukarela.into(),
            t.savings.berjangka.into(),
            self.total_metrics.savings_total.into(),
        ]);
        doc.blocks.push(Block::Table(sv));

        let mut ln = Table::new(
            "Pinjaman per kolektibilitas",
            &[
                ("code", "Kode"),
                ("current", "Lancar"),
                ("substandard", "Kurang lancar"),
                ("doubtful", "Diragukan"),
                ("loss", "Macet"),
                ("outstanding", "Jumlah"),
                ("reserve", "Cadangan"),
                ("npl_pct", "NPL %"),
            ],
        );
        for r in &self.cooperatives {
            let l = &r.snapshot.loans;
            ln.push(vec![
                r.snapshot.code.as_str().into(),
                l.lancar.into(),
                l.kurang_lancar.into(),
                l.diragukan.into(),
                l.macet.into(),
                r.metrics.loans_outstanding.into(),
                r.snapshot.loan_reserve.into(),
                pcell(r.metrics.npl_pct),
            ]);
        }
        ln.total = Some(vec![
            total_label(),
            t.loans.lancar.into(),
            t.loans.kurang_lancar.into(),
            t.loans.diragukan.into(),
            t.loans.macet.into(),
            self.total_metrics.loans_outstanding.into(),
            t.loan_reserve.into(),
            pcell(self.total_metrics.npl_pct),
        ]);
        doc.blocks.push(Block::Table(ln));

        let mut us = Table::new(
            "Usaha dan SHU",
            &[
                ("code", "Kode"),
                ("sales_member", "Penjualan anggota"),
                ("sales_non_member", "Penjualan non-anggota"),
                ("shu", "SHU"),
                ("desa_share", "Bagian desa"),
                ("desa_share_pct", "Bagian desa %"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot;
            us.push(vec![
                s.code.as_str().into(),
                s.sales_member.into(),
                s.sales_non_member.into(),
                s.shu.into(),
                s.shu_desa.into(),
                pcell(r.metrics.desa_share_pct),
            ]);
        }
        us.total = Some(vec![
            total_label(),
            t.sales_member.into(),
            t.sales_non_member.into(),
            t.shu.into(),
            t.shu_desa.into(),
            pcell(self.total_metrics.desa_share_pct),
        ]);
        doc.blocks.push(Block::Table(us));

        let mut hb = Table::new(
            "Angsuran pinjaman Himbara (PMK 49/2025)",
            &[
                ("code", "Kode"),
                ("outstanding", "Sisa pokok"),
                ("due", "Jatuh tempo"),
                ("paid", "Dibayar"),
                ("late", "Terlambat"),
                ("days_late", "Hari"),
                ("intercepted", "Dana Desa/DAU"),
            ],
        );
        for r in &self.cooperatives {
            let h = &r.snapshot.himbara;
            hb.push(vec![
                r.snapshot.code.as_str().into(),
                h.outstanding.into(),
                h.due.into(),
                h.paid.into(),
                h.late.into(),
                Cell::Count(u64::from(h.days_late)),
                h.intercepted.into(),
            ]);
        }
        hb.total = Some(vec![
            total_label(),
            t.himbara.outstanding.into(),
            t.himbara.due.into(),
            t.himbara.paid.into(),
            t.himbara.late.into(),
            Cell::Count(u64::from(t.himbara.days_late)),
            t.himbara.intercepted.into(),
        ]);
        doc.blocks.push(Block::Table(hb));

        let mut fl = Table::new(
            "Peringatan",
            &[
                ("code", "Kode"),
                ("flag", "Peringatan"),
                ("detail", "Rincian"),
            ],
        );
        for f in &self.flags {
            fl.push(vec![
                f.cooperative.as_str().into(),
                f.kind.label().into(),
                f.detail.as_str().into(),
            ]);
        }
        doc.blocks.push(Block::Table(fl));

        let mut rk = Table::new(
            "Peringkat kesehatan",
            &[
                ("rank", "Peringkat"),
                ("code", "Kode"),
                ("name", "Koperasi"),
                ("score", "Skor"),
                ("rating", "Predikat"),
            ],
        );
        for (i, r) in self.ranking(RankBy::Health) {
            rk.push(vec![
                Cell::Count(u64::try_from(i).unwrap_or(u64::MAX)),
                r.snapshot.code.as_str().into(),
                r.snapshot.name.as_str().into(),
                r.snapshot
                    .health
                    .map_or(Cell::Empty, |h| Cell::Number(h.score)),
                r.snapshot
                    .health
                    .map_or(Cell::Empty, |h| h.predikat.label().into()),
            ]);
        }
        doc.blocks.push(Block::Table(rk));

        let labels: Vec<String> = self
            .cooperatives
            .iter()
            .map(|r| r.snapshot.code.clone())
            .collect();
        let col = |f: &dyn Fn(&CooperativeRow) -> Rupiah| -> Vec<Decimal> {
            self.cooperatives
                .iter()
                .map(|r| f(r).to_decimal())
                .collect()
        };
        doc.blocks.push(Block::Chart(Chart {
            title: "Simpanan dan pinjaman per koperasi".into(),
            labels: labels.clone(),
            series: vec![
                Series {
                    name: "Simpanan".into(),
                    values: col(&|r| r.metrics.savings_total),
                },
                Series {
                    name: "Pinjaman".into(),
                    values: col(&|r| r.metrics.loans_outstanding),
                },
            ],
            stacked: false,
            unit: ChartUnit::Rupiah,
        }));
        doc.blocks.push(Block::Chart(Chart {
            title: "Komposisi kolektibilitas pinjaman".into(),
            labels,
            series: vec![
                Series {
                    name: "Lancar".into(),
                    values: col(&|r| r.snapshot.loans.lancar),
                },
                Series {
                    name: "Kurang lancar".into(),
                    values: col(&|r| r.snapshot.loans.kurang_lancar),
                },
                Series {
                    name: "Diragukan".into(),
                    values: col(&|r| r.snapshot.loans.diragukan),
                },
                Series {
                    name: "Macet".into(),
                    values: col(&|r| r.snapshot.loans.macet),
                },
            ],
            stacked: true,
            unit: ChartUnit::Rupiah,
        }));
        let mut plabels: Vec<String> = Predikat::ALL.iter().map(|p| p.label().to_owned()).collect();
        plabels.push("Belum dinilai".into());
        let mut pvals: Vec<Decimal> = t
            .predikat_counts
            .iter()
            .map(|c| Decimal::from(*c))
            .collect();
        pvals.push(Decimal::from(t.unassessed));
        doc.blocks.push(Block::Chart(Chart {
            title: "Predikat kesehatan".into(),
            labels: plabels,
            series: vec![Series {
                name: "Jumlah koperasi".into(),
                values: pvals,
            }],
            stacked: false,
            unit: ChartUnit::Number,
        }));
        if self.simulated {
            doc.blocks.push(Block::Note(SIMULATED_NOTICE.to_owned()));
        }
        doc
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    pub(crate) fn fixture() -> Vec<CooperativeSnapshot> {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let rp = Rupiah::from_rupiah;
        let base = CooperativeSnapshot {
            as_of: d(2026, 6, 30),
            rat_deadline: Some(d(2026, 3, 31)),
            ..CooperativeSnapshot::default()
        };
        vec![
            CooperativeSnapshot {
                code: "KDMP-001".into(),
                name: "KDMP Sukamaju".into(),
                anggota: 412,
                calon_anggota: 35,
                savings: SavingsByKind {
                    pokok: rp(4_120_000),
                    wajib: rp(24_720_000),
                    sukarela: rp(51_300_000),
                    berjangka: rp(20_000_000),
                },
                loans: LoansByCollectibility {
                    lancar: rp(180_000_000),
                    kurang_lancar: rp(6_000_000),
                    diragukan: rp(2_000_000),
                    macet: rp(1_000_000),
                },
                loan_reserve: rp(4_200_000),
                kas_bank: rp(30_000_000),
                kewajiban_lancar: rp(240_000_000),
                sales_member: rp(310_000_000),
                sales_non_member: rp(95_000_000),
                shu: rp(42_500_000),
                shu_allocation: vec![AllocationLine {
                    label: "Cadangan".into(),
                    amount: rp(17_000_000),
                }],
                shu_desa: rp(8_500_000),
                himbara: HimbaraStatus {
                    outstanding: rp(1_450_000_000),
                    due: rp(116_000_000),
                    paid: rp(116_000_000),
                    ..HimbaraStatus::default()
                },
                rat_held: Some(d(2026, 3, 20)),
                health: Some(HealthStatus {
                    score: dec!(84.75),
                    predikat: Predikat::Sehat,
                }),
                ..base.clone()
            },
            CooperativeSnapshot {
                code: "KDMP-002".into(),
                name: "KDMP Sukamakmur".into(),
                anggota: 268,
                calon_anggota: 80,
                savings: SavingsByKind {
                    pokok: rp(2_680_000),
                    wajib: rp(12_060_000),
                    sukarela: rp(9_500_000),
                    berjangka: Rupiah::ZERO,
                },
                loans: LoansByCollectibility {
                    lancar: rp(70_000_000),
                    kurang_lancar: rp(9_000_000),
                    diragukan: rp(4_000_000),
                    macet: rp(7_000_000),
                },
                loan_reserve: rp(9_100_000),
                kas_bank: rp(3_000_000),
                kewajiban_lancar: rp(60_000_000),
                sales_member: rp(120_000_000),
                sales_non_member: rp(140_000_000),
                shu: rp(10_000_000),
                shu_desa: rp(1_500_000),
                himbara: HimbaraStatus {
                    outstanding: rp(980_000_000),
                    due: rp(58_000_000),
                    paid: rp(43_500_000),
                    late: rp(14_500_000),
                    days_late: 9,
                    intercepted: rp(14_500_000),
                },
                rat_held: Some(d(2026, 4, 15)),
                health: Some(HealthStatus {
                    score: dec!(58.5),
                    predikat: Predikat::DalamPengawasan,
                }),
                ..base.clone()
            },
            CooperativeSnapshot {
                code: "KKMP-003".into(),
                name: "KKMP Jati".into(),
                anggota: 150,
                calon_anggota: 12,
                savings: SavingsByKind {
                    pokok: rp(1_500_000),
                    wajib: rp(6_000_000),
                    sukarela: rp(2_000_000),
                    berjangka: Rupiah::ZERO,
                },
                kas_bank: rp(15_000_000),
                kewajiban_lancar: rp(50_000_000),
                sales_member: rp(20_000_000),
                shu: rp(-2_500_000),
                ..base
            },
        ]
    }

    /// PMK 49/2025 Pasal 11: an installment unpaid more than 4 working days after its due
    /// date exposes the Dana Desa/DAU; not within those days; never under a transfer-funded
    /// scheme. The rule in force is chosen by date.
    #[test]
    fn intercept_flag_follows_the_financing_scheme() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let as_of = d(2026, 6, 30); // a Tuesday
        let snap = |days_late: u32| {
            let mut s = fixture().remove(1);
            s.as_of = as_of;
            s.himbara.days_late = days_late;
            s.himbara.intercepted = Rupiah::ZERO;
            vec![s]
        };
        let risk = |v: &CityView| {
            v.flags
                .iter()
                .any(|f| f.kind == FlagKind::DanaDesaInterceptRisk)
        };
        let pmk = Thresholds::default();
        // Due Wed 24 June: Thu, Fri, Mon, Tue = 4 working days: not yet.
        assert!(!risk(&CityView::build("K", snap(6), &pmk).unwrap()));
        // Due Tue 23 June: 5 working days: exposed.
        assert!(risk(&CityView::build("K", snap(7), &pmk).unwrap()));
        let agrinas = Thresholds::default().with_intercept(InterceptRule::TransferFunded);
        let v = CityView::build("K", snap(30), &agrinas).unwrap();
        assert!(!risk(&v));
        assert!(v.flags.iter().any(|f| f.kind == FlagKind::HimbaraLate));
        // Dated configuration: the scheme in force on the date applies.
        let schedule = ThresholdSchedule::default().with(d(2026, 1, 1), agrinas);
        assert_eq!(schedule.on(d(2025, 12, 31)), pmk);
        assert_eq!(schedule.on(as_of), agrinas);
        assert_eq!(schedule.on(d(2020, 1, 1)), pmk);
    }

    #[test]
    fn fixture_totals_metrics_and_flags() {
        let t = Thresholds::default().with_idle_cash_pct(dec!(20));
        let v = CityView::build("Kota Probolinggo", fixture(), &t).unwrap();
        assert_eq!(v.totals.cooperatives, 3);
        assert_eq!(v.totals.anggota, 830);
        assert_eq!(v.totals.savings.pokok, Rupiah::from_rupiah(8_300_000));
        assert_eq!(v.totals.loans.macet, Rupiah::from_rupiah(8_000_000));
        // NPL: 9 jt / 189 jt = 4,76 %; 20 jt / 90 jt = 22,22 %; city 29 / 279 = 10,39 %.
        assert_eq!(v.cooperatives[0].metrics.npl_pct, Some(dec!(4.76)));
        assert_eq!(v.cooperatives[1].metrics.npl_pct, Some(dec!(22.22)));
        assert_eq!(v.total_metrics.npl_pct, Some(dec!(10.39)));
        assert_eq!(v.cooperatives[2].metrics.npl_pct, None);
        // Rasio kas: 12,5 % (ok), 5 % (low), 30 % (idle).
        assert_eq!(v.cooperatives[0].metrics.rasio_kas_pct, Some(dec!(12.5)));
        let kinds = |code: &str| -> Vec<FlagKind> {
            v.flags
                .iter()
                .filter(|f| f.cooperative == code)
                .map(|f| f.kind)
                .collect()
        };
        assert_eq!(kinds("KDMP-001"), Vec::<FlagKind>::new());
        assert_eq!(
            kinds("KDMP-002"),
            vec![
                FlagKind::NplHigh,
                FlagKind::LiquidityLow,
                FlagKind::DesaShareLow,
                FlagKind::HimbaraLate,
                FlagKind::DanaDesaInterceptRisk,
                FlagKind::DanaDesaIntercepted,
                FlagKind::RatLate,
                FlagKind::HealthBelowThreshold,
            ]
        );
        assert_eq!(
            kinds("KKMP-003"),
            vec![
                FlagKind::LiquidityIdle,
                FlagKind::RatLate,
                FlagKind::NoHealthAssessment,
                FlagKind::ShuNegative
            ]
        );
        // Without an idle-cash limit (the default) the 30 % cash ratio raises nothing.
        let plain = CityView::build("Kota", fixture(), &Thresholds::default()).unwrap();
        assert!(
            plain
                .flags
                .iter()
                .all(|f| f.kind != FlagKind::LiquidityIdle)
        );
        assert_eq!(v.totals.rat_on_time, 1);
        assert_eq!(v.totals.rat_late, 2);
        assert_eq!(v.totals.predikat_counts, [1, 0, 1, 0]);
        assert_eq!(v.totals.unassessed, 1);
        let rank: Vec<&str> = v
            .ranking(RankBy::Health)
            .iter()
            .map(|(_, r)| r.snapshot.code.as_str())
            .collect();
        assert_eq!(rank, ["KDMP-001", "KDMP-002", "KKMP-003"]);
        let rank: Vec<&str> = v
            .ranking(RankBy::Npl)
            .iter()
            .map(|(_, r)| r.snapshot.code.as_str())
            .collect();
        assert_eq!(rank, ["KDMP-001", "KDMP-002", "KKMP-003"]);
        let rank: Vec<usize> = v
            .ranking(RankBy::Flags)
            .iter()
            .map(|(_, r)| r.flags)
            .collect();
        assert_eq!(rank, [0, 4, 8]);
        assert_eq!(v.ranking(RankBy::Members)[0].1.snapshot.anggota, 412);
        assert_eq!(v.ranking(RankBy::Savings)[0].1.snapshot.code, "KDMP-001");
    }

    #[test]
    fn threshold_configuration_changes_flags() {
        let t = Thresholds {
            non_member_sales_max_pct: Some(dec!(50)),
            npl_max_pct: dec!(25),
            ..Thresholds::default()
        };
        let v = CityView::build("Kota Probolinggo", fixture(), &t).unwrap();
        let k2: Vec<FlagKind> = v
            .flags
            .iter()
            .filter(|f| f.cooperative == "KDMP-002")
            .map(|f| f.kind)
            .collect();
        assert!(k2.contains(&FlagKind::NonMemberSalesHigh));
        assert!(!k2.contains(&FlagKind::NplHigh));
    }

    #[test]
    fn errors() {
        let mut f = fixture();
        f[1].code = "KDMP-001".into();
        assert_eq!(
            CityView::build("x", f, &Thresholds::default()),
            Err(Error::DuplicateCooperative {
                code: "KDMP-001".into()
            })
        );
        let mut f = fixture();
        f[0].savings.wajib = Rupiah::from_rupiah(-1);
        assert_eq!(
            CityView::build("x", f, &Thresholds::default()),
            Err(Error::InvalidSnapshot {
                code: "KDMP-001".into(),
                field: "savings.wajib",
                reason: "negative"
            })
        );
        let mut f = fixture();
        f[0].code = String::new();
        assert!(matches!(
            CityView::build("x", f, &Thresholds::default()),
            Err(Error::InvalidSnapshot { field: "code", .. })
        ));
        let mut f = fixture();
        f[0].health = Some(HealthStatus {
            score: dec!(101),
            predikat: Predikat::Sehat,
        });
        assert!(matches!(
            CityView::build("x", f, &Thresholds::default()),
            Err(Error::InvalidSnapshot {
                field: "health.score",
                ..
            })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn prop_city_total_is_sum_of_cooperatives(snaps in crate::strategy::snapshots(12)) {
            let v = CityView::build("Kota", snaps.clone(), &Thresholds::default()).unwrap();
            let sum = |f: &dyn Fn(&CooperativeSnapshot) -> Rupiah| Rupiah::try_sum(snaps.iter().map(f)).unwrap();
            let t = &v.totals;
            prop_assert_eq!(t.cooperatives, snaps.len() as u64);
            prop_assert_eq!(t.anggota, snaps.iter().map(|s| s.anggota).sum::<u64>());
            prop_assert_eq!(t.calon_anggota, snaps.iter().map(|s| s.calon_anggota).sum::<u64>());
            prop_assert_eq!(t.savings.pokok, sum(&|s| s.savings.pokok));
            prop_assert_eq!(t.savings.wajib, sum(&|s| s.savings.wajib));
            prop_assert_eq!(t.savings.sukarela, sum(&|s| s.savings.sukarela));
            prop_assert_eq!(t.savings.berjangka, sum(&|s| s.savings.berjangka));
            prop_assert_eq!(t.loans.lancar, sum(&|s| s.loans.lancar));
            prop_assert_eq!(t.loans.kurang_lancar, sum(&|s| s.loans.kurang_lancar));
            prop_assert_eq!(t.loans.diragukan, sum(&|s| s.loans.diragukan));
            prop_assert_eq!(t.loans.macet, sum(&|s| s.loans.macet));
            prop_assert_eq!(t.loan_reserve, sum(&|s| s.loan_reserve));
            prop_assert_eq!(t.kas_bank, sum(&|s| s.kas_bank));
            prop_assert_eq!(t.kewajiban_lancar, sum(&|s| s.kewajiban_lancar));
            prop_assert_eq!(t.sales_member, sum(&|s| s.sales_member));
            prop_assert_eq!(t.sales_non_member, sum(&|s| s.sales_non_member));
            prop_assert_eq!(t.shu, sum(&|s| s.shu));
            prop_assert_eq!(t.shu_desa, sum(&|s| s.shu_desa));
            prop_assert_eq!(t.himbara.due, sum(&|s| s.himbara.due));
            prop_assert_eq!(t.himbara.paid, sum(&|s| s.himbara.paid));
            prop_assert_eq!(t.himbara.late, sum(&|s| s.himbara.late));
            prop_assert_eq!(t.himbara.outstanding, sum(&|s| s.himbara.outstanding));
            prop_assert_eq!(t.himbara.intercepted, sum(&|s| s.himbara.intercepted));
            prop_assert_eq!(
                t.predikat_counts.iter().sum::<u64>() + t.unassessed,
                snaps.len() as u64
            );
            let row_sum = Rupiah::try_sum(v.cooperatives.iter().map(|r| r.metrics.savings_total)).unwrap();
            prop_assert_eq!(v.total_metrics.savings_total, row_sum);
            prop_assert_eq!(v.flags.len(), v.cooperatives.iter().map(|r| r.flags).sum::<usize>());
        }
    }
}
