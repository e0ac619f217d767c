//! The snapshot of one cooperative and the figures derived from it.

use chrono::NaiveDate;
use koperasi_core::Rupiah;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::health::{Precision, Predikat};

use super::{CityTotals, Flag, FlagKind, Thresholds};

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

    pub(super) fn checked_add(&self, o: &SavingsByKind) -> Result<SavingsByKind> {
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

    pub(super) fn checked_add(&self, o: &LoansByCollectibility) -> Result<LoansByCollectibility> {
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
    pub(super) fn checked_add(&self, o: &HimbaraStatus) -> Result<HimbaraStatus> {
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

pub(super) fn pct(num: Rupiah, den: Rupiah) -> Result<Option<Decimal>> {
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
pub(super) fn metrics(
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

    pub(super) fn validate(&self) -> Result<()> {
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

    pub(super) fn flags(&self, m: &Metrics, t: &Thresholds) -> Vec<Flag> {
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
