//! Financing schemes as dated configuration: PMK 49/2025 as issued, the draft replacement
//! (the bank lends to the builder; repaid from regional transfers or Dana Desa), an ordinary
//! bank loan and no financing.
//!
//! Nothing here is a constant of the law: every limit is a field of [`SchemeRules`], the
//! built-in profiles carry their legal basis, status and dates, and a plan may supply its own
//! rules (`scheme_rules` in the plan input) when a bank or a new regulation says otherwise.

use chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};
use koperasi_savings_loans::HimbaraProfile;

/// Which financing scheme a plan uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum SchemeId {
    /// PMK 49/2025 as issued: the cooperative borrows from a Himbara bank; limits enforced.
    #[doc(alias = "Himbara")]
    #[doc(alias = "PMK 49/2025")]
    #[cfg_attr(feature = "serde", serde(rename = "pmk-49-2025"))]
    Pmk49_2025,
    /// The draft replacement (RPMK, public consultation December 2025): the bank lends to the
    /// builder (PT Agrinas), repaid from DAU/DBH or Dana Desa; the outlet becomes a village or
    /// regional asset. Limits reported as findings (draft).
    KdmpRevisedDraft,
    /// An ordinary bank loan on the given terms; no scheme limits.
    BankLoan,
    /// No borrowing: own capital and member savings only.
    #[default]
    None,
}

impl SchemeId {
    /// The id as written in plan files (`pmk-49-2025` …).
    pub fn as_str(self) -> &'static str {
        match self {
            SchemeId::Pmk49_2025 => "pmk-49-2025",
            SchemeId::KdmpRevisedDraft => "kdmp-revised-draft",
            SchemeId::BankLoan => "bank-loan",
            SchemeId::None => "none",
        }
    }
}

impl core::fmt::Display for SchemeId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for SchemeId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pmk-49-2025" => Ok(SchemeId::Pmk49_2025),
            "kdmp-revised-draft" => Ok(SchemeId::KdmpRevisedDraft),
            "bank-loan" => Ok(SchemeId::BankLoan),
            "none" => Ok(SchemeId::None),
            _ => Err(format!(
                "unknown scheme {s:?} (expected pmk-49-2025, kdmp-revised-draft, bank-loan or none)"
            )),
        }
    }
}

/// Who borrows under a scheme, and so whose books carry the loan and the asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Borrower {
    /// The cooperative borrows and repays from its own cash flow; the asset is its own.
    Cooperative,
    /// The builder borrows; the build is repaid from regional transfers (DAU/DBH) or Dana
    /// Desa and becomes a village/regional asset the cooperative uses. Neither the loan nor
    /// the financed asset is on the cooperative's books.
    BuilderRepaidByTransfers,
}

/// The legal status of a scheme's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum SchemeStatus {
    /// In force as issued.
    InForce,
    /// In force as issued, but announced as being revised or replaced.
    BeingReplaced,
    /// A draft (public consultation); not law.
    Draft,
    /// Not a regulation: the terms a lender offers.
    Contractual,
}

/// How the grace period of a scheme loan is treated (bank-specific; domain.md §8 gap 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum GraceTreatment {
    /// Interest-only installments during the grace; principal from the month after it.
    #[default]
    #[doc(alias = "masa tenggang pokok")]
    InterestOnly,
    /// Nothing paid during the grace; its interest is added to the principal (compounded
    /// monthly, rounded half-up to the rupiah once at the end of the grace), which is then
    /// repaid in equal installments over the remaining months.
    #[cfg_attr(feature = "serde", serde(alias = "capitalized"))]
    Capitalised,
}

/// The rules of a financing scheme, dated, with their legal basis.
///
/// `None` in a limit means the scheme sets none. [`enforce`](SchemeRules::enforce) decides
/// whether a breach is an input error (the plan is rejected) or a `violation` finding.
///
/// ```
/// use koperasi_planning::{SchemeId, SchemeRules};
/// let pmk = SchemeRules::builtin(SchemeId::Pmk49_2025);
/// assert_eq!(pmk.max_tenor_months, Some(72));
/// assert_eq!(pmk.grace_months, Some((6, 8)));
/// assert!(pmk.enforce);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SchemeRules {
    /// The scheme.
    pub id: SchemeId,
    /// Its name.
    pub name: String,
    /// The legal basis and where the limits are stated.
    pub basis: String,
    /// Status of the text.
    pub status: SchemeStatus,
    /// In force (or proposed) from.
    pub effective_from: Option<NaiveDate>,
    /// Known end of validity, if any.
    pub effective_until: Option<NaiveDate>,
    /// Who borrows.
    pub borrower: Borrower,
    /// Ceiling of the principal (plafon).
    pub max_principal: Option<Rupiah>,
    /// Ceiling of the part for operating costs (belanja operasional).
    pub max_operational: Option<Rupiah>,
    /// The rate the scheme fixes, percent per year.
    pub rate_percent_per_year: Option<Decimal>,
    /// Longest tenor in months, grace included.
    pub max_tenor_months: Option<u32>,
    /// Grace months allowed, `(min, max)`.
    pub grace_months: Option<(u32, u32)>,
    /// Day of the month installments fall due.
    pub due_day: u32,
    /// Reject plans that break a limit (`true`), or report each breach as a `violation`
    /// finding (`false`).
    pub enforce: bool,
}

impl SchemeRules {
    /// The built-in rules of a scheme.
    ///
    /// * `pmk-49-2025`: from [`HimbaraProfile::pmk_49_2025`] (Rp3 miliar, of which ≤ Rp500 juta
    ///   operating costs, 6%, ≤ 72 months grace included, grace 6–8 months, due on the 12th);
    ///   effective 21 July 2025; announced as being revised on 14 November 2025; enforced.
    /// * `kdmp-revised-draft`: the December 2025 draft (same limits per unit; the bank lends to
    ///   the builder; instalments through DAU/DBH or Dana Desa); reported, not enforced.
    /// * `bank-loan`: no limits (the given terms). `none`: no borrowing.
    pub fn builtin(id: SchemeId) -> SchemeRules {
        let h = HimbaraProfile::pmk_49_2025();
        let base = SchemeRules {
            id,
            name: String::new(),
            basis: String::new(),
            status: SchemeStatus::Contractual,
            effective_from: None,
            effective_until: None,
            borrower: Borrower::Cooperative,
            max_principal: None,
            max_operational: None,
            rate_percent_per_year: None,
            max_tenor_months: None,
            grace_months: None,
            due_day: h.due_day,
            enforce: false,
        };
        match id {
            SchemeId::Pmk49_2025 => SchemeRules {
                name: "Pinjaman Himbara untuk KDMP/KKMP (PMK 49/2025)".to_owned(),
                basis: "PMK 49/2025 Pasal 3, 5–7 (plafon, belanja operasional, bunga, tenor, \
                        masa tenggang, jatuh tempo tanggal 12)"
                    .to_owned(),
                status: SchemeStatus::BeingReplaced,
                effective_from: NaiveDate::from_ymd_opt(2025, 7, 21),
                max_principal: Some(h.max_principal),
                max_operational: Some(h.max_operational),
                rate_percent_per_year: Some(h.annual_percent),
                max_tenor_months: Some(h.max_tenor_months),
                grace_months: Some((h.min_grace_months, h.max_grace_months)),
                enforce: true,
                ..base
            },
            SchemeId::KdmpRevisedDraft => SchemeRules {
                name: "Pembangunan fisik gerai KDKMP oleh PT Agrinas (rancangan PMK pengganti)"
                    .to_owned(),
                basis: "RPMK penyaluran DAU/DBH atau Dana Desa untuk percepatan pembangunan \
                        fisik gerai, pergudangan, kelengkapan dan operasional KDKMP (konsultasi \
                        publik Desember 2025); Inpres 17/2025"
                    .to_owned(),
                status: SchemeStatus::Draft,
                effective_from: None,
                borrower: Borrower::BuilderRepaidByTransfers,
                max_principal: Some(h.max_principal),
                max_operational: None,
                rate_percent_per_year: Some(h.annual_percent),
                max_tenor_months: Some(h.max_tenor_months),
                grace_months: Some((h.min_grace_months, h.max_grace_months)),
                enforce: false,
                ..base
            },
            SchemeId::BankLoan => SchemeRules {
                name: "Pinjaman bank (syarat komersial)".to_owned(),
                basis: "perjanjian kredit dengan bank".to_owned(),
                ..base
            },
            SchemeId::None => SchemeRules {
                name: "Tanpa pinjaman (modal sendiri dan simpanan anggota)".to_owned(),
                basis: "-".to_owned(),
                ..base
            },
        }
    }
}
