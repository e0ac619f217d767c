//! Thresholds as data with effective dates, the intercept rule, and the flags they raise.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::health::Predikat;

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
