//! The RAT package (*laporan pertanggungjawaban* for the *Rapat Anggota Tahunan*) as data, and
//! its renderings: HTML (one self-contained, print-friendly file), XLSX (one sheet per table)
//! and CSV (one file per table).
//!
//! The figures are **computed elsewhere** — by the umbrella crate's `koperasi::rat::build`
//! from a real book, with the collectibility classes and the PPAP (*cadangan kerugian
//! pinjaman*) of `koperasi-savings-loans` and the SHU distribution of `koperasi-shu`. This
//! module holds them in [`RatPackage`], checks their arithmetic ([`RatPackage::validate`]) and
//! lays them out; it computes no class and no reserve of its own (one computation: the types
//! [`Collectibility`], [`ReserveRates`], [`ReserveRequirement`] and [`ByClass`] are
//! savings-loans' own).
//!
//! Personal data arrive already masked: a [`MemberRef`] carries the NIK as the reader may see
//! it (masked unless the reader is that member) and the name only if names are shown, so no
//! renderer can leak what the builder withheld.
//!
//! ```
//! use koperasi_core::Rupiah;
//! use koperasi_reporting::rat::{SavingsKind, SavingsLine};
//!
//! let wajib = SavingsLine {
//!     kind: SavingsKind::Mandatory,
//!     opening: Rupiah::from_rupiah(100_000),
//!     deposits: Rupiah::from_rupiah(120_000),
//!     interest: Rupiah::ZERO,
//!     withdrawals: Rupiah::ZERO,
//!     closing: Rupiah::from_rupiah(220_000),
//! };
//! // Closing = opening + deposits + jasa − withdrawals.
//! assert!(wajib.validate("A-1").is_ok());
//! assert_eq!(koperasi_reporting::rat::savings_label(wajib.kind), "Simpanan wajib");
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```

use std::fmt::Write as _;

use chrono::NaiveDate;
use koperasi_core::{Period, Rupiah};
use rust_decimal::Decimal;

pub use koperasi_savings_loans::{
    ByClass, Collectibility, ReserveRates, ReserveRequirement, SavingsKind,
};

use crate::city::SIMULATED_NOTICE;
use crate::error::{Error, Result};
use crate::health::Assessment;
use crate::render;
use crate::report::{Block, Cell, Document, Table};
use crate::statements::FinancialStatements;

fn inconsistent(report: &'static str, item: String) -> Error {
    Error::InconsistentReport { report, item }
}

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

fn sub(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_sub(b)?)
}

fn count(n: usize) -> Cell {
    Cell::Count(u64::try_from(n).unwrap_or(u64::MAX))
}

/// The Indonesian label of a savings kind (`Simpanan pokok`, …).
pub fn savings_label(kind: SavingsKind) -> &'static str {
    match kind {
        SavingsKind::Principal => "Simpanan pokok",
        SavingsKind::Mandatory => "Simpanan wajib",
        SavingsKind::Voluntary => "Simpanan sukarela",
        SavingsKind::TimeDeposit => "Simpanan berjangka",
    }
}

/// The four savings kinds in report order.
pub const SAVINGS_KINDS: [SavingsKind; 4] = [
    SavingsKind::Principal,
    SavingsKind::Mandatory,
    SavingsKind::Voluntary,
    SavingsKind::TimeDeposit,
];

/// The four collectibility classes, best first.
pub const CLASSES: [Collectibility; 4] = [
    Collectibility::Current,
    Collectibility::Substandard,
    Collectibility::Doubtful,
    Collectibility::Loss,
];

fn class_amount(b: &ByClass, c: Collectibility) -> Rupiah {
    match c {
        Collectibility::Current => b.current,
        Collectibility::Substandard => b.substandard,
        Collectibility::Doubtful => b.doubtful,
        Collectibility::Loss => b.loss,
    }
}

fn class_total(b: &ByClass) -> Result<Rupiah> {
    Ok(Rupiah::try_sum([
        b.current,
        b.substandard,
        b.doubtful,
        b.loss,
    ])?)
}

fn class_rate(r: &ReserveRates, c: Collectibility) -> Decimal {
    match c {
        Collectibility::Current => r.current,
        Collectibility::Substandard => r.substandard,
        Collectibility::Doubtful => r.doubtful,
        Collectibility::Loss => r.loss,
    }
}

/// A member as the reader may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "anggota")]
pub struct MemberRef {
    /// Member number (*nomor anggota*).
    pub number: String,
    /// Name, when names are shown.
    pub name: Option<String>,
    /// NIK as the reader may see it: in full for the member themself, masked
    /// (`3574**********01`) for anyone else.
    pub nik: String,
}

impl MemberRef {
    /// The name if shown, else the member number.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.number)
    }
}

/// One savings kind of a member over the year.
///
/// # Invariant
/// `closing = opening + deposits + interest − withdrawals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SavingsLine {
    /// The kind.
    pub kind: SavingsKind,
    /// Balance at the start of the year (*saldo awal*).
    pub opening: Rupiah,
    /// Deposits, SHU credited to savings and other credits (*setoran*).
    pub deposits: Rupiah,
    /// Interest credited, net of tax (*jasa simpanan*).
    pub interest: Rupiah,
    /// Withdrawals, refunds and set-offs (*penarikan*).
    pub withdrawals: Rupiah,
    /// Balance at the year end (*saldo akhir*).
    pub closing: Rupiah,
}

impl SavingsLine {
    /// Checks `closing = opening + deposits + interest − withdrawals`.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] naming the member and kind; [`Error::Core`] on overflow.
    pub fn validate(&self, member: &str) -> Result<()> {
        let expected = sub(
            add(add(self.opening, self.deposits)?, self.interest)?,
            self.withdrawals,
        )?;
        if expected == self.closing {
            Ok(())
        } else {
            Err(inconsistent(
                "member statement",
                format!("{member}: {}", savings_label(self.kind)),
            ))
        }
    }
}

/// One loan of a member over the year.
///
/// # Invariant
/// `closing = opening + disbursed − principal_paid − written_off + other`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LoanLine {
    /// Loan number.
    pub loan: String,
    /// The amount lent.
    pub principal: Rupiah,
    /// Disbursement date.
    pub disbursed_on: NaiveDate,
    /// Principal outstanding at the start of the year.
    pub opening: Rupiah,
    /// Disbursed in the year.
    pub disbursed: Rupiah,
    /// Principal repaid in the year (*angsuran pokok*).
    pub principal_paid: Rupiah,
    /// Interest paid in the year (*jasa pinjaman*).
    pub interest_paid: Rupiah,
    /// Penalties paid in the year (*denda*).
    pub penalty_paid: Rupiah,
    /// Written off in the year (*hapus buku*).
    pub written_off: Rupiah,
    /// Other principal movements: savings set off against the loan when the member left
    /// (*kompensasi simpanan*); zero otherwise.
    pub other: Rupiah,
    /// Principal outstanding at the year end (*sisa pokok*).
    pub closing: Rupiah,
    /// Days past due at the year end.
    pub days_past_due: u32,
    /// Collectibility at the year end.
    pub class: Collectibility,
}

impl LoanLine {
    /// Checks `closing = opening + disbursed − principal_paid − written_off + other`.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] naming the loan; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        let expected = add(
            sub(
                sub(add(self.opening, self.disbursed)?, self.principal_paid)?,
                self.written_off,
            )?,
            self.other,
        )?;
        if expected == self.closing {
            Ok(())
        } else {
            Err(inconsistent(
                "member statement",
                format!("loan {}", self.loan),
            ))
        }
    }
}

/// A member's SHU of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShuShare {
    /// *Jasa modal* (on savings).
    #[doc(alias = "jasa modal")]
    pub jasa_modal: Rupiah,
    /// *Jasa usaha* (on transactions).
    #[doc(alias = "jasa usaha")]
    pub jasa_usaha: Rupiah,
    /// `jasa_modal + jasa_usaha`.
    pub total: Rupiah,
}

/// A member's annual statement (*laporan tahunan anggota*).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rekening anggota")]
pub struct MemberStatement {
    /// The member.
    pub member: MemberRef,
    /// Status at the year end (`anggota`, `keluar`…).
    pub status: String,
    /// One line per savings kind, in [`SAVINGS_KINDS`] order.
    pub savings: Vec<SavingsLine>,
    /// The member's loans with a movement or a balance in the year.
    pub loans: Vec<LoanLine>,
    /// SHU of the year received (or proposed, before the RAT decides).
    pub shu: ShuShare,
}

impl MemberStatement {
    /// Checks every savings and loan line.
    ///
    /// # Errors
    /// As [`SavingsLine::validate`] and [`LoanLine::validate`].
    pub fn validate(&self) -> Result<()> {
        for s in &self.savings {
            s.validate(&self.member.number)?;
        }
        for l in &self.loans {
            l.validate()?;
        }
        if add(self.shu.jasa_modal, self.shu.jasa_usaha)? != self.shu.total {
            return Err(inconsistent(
                "member statement",
                format!("{}: SHU", self.member.number),
            ));
        }
        Ok(())
    }

    /// As a document: identity, savings, loans, SHU.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn document(&self, cooperative: &str, period: Period) -> Result<Document> {
        self.validate()?;
        let mut d = Document::new(&format!(
            "Laporan Tahunan Anggota — {}",
            self.member.display()
        ));
        d.subtitle.push(cooperative.to_owned());
        d.subtitle.push(format!(
            "Periode {} s.d. {}",
            period.start().format("%d-%m-%Y"),
            period.end().format("%d-%m-%Y")
        ));
        d.subtitle.push(format!(
            "No. anggota {} — NIK {} — status {}",
            self.member.number, self.member.nik, self.status
        ));
        let mut s = Table::new(
            "Simpanan",
            &[
                ("kind", "Jenis simpanan"),
                ("opening", "Saldo awal"),
                ("deposits", "Setoran"),
                ("interest", "Jasa simpanan"),
                ("withdrawals", "Penarikan"),
                ("closing", "Saldo akhir"),
            ],
        );
        for l in &self.savings {
            s.push(vec![
                savings_label(l.kind).into(),
                l.opening.into(),
                l.deposits.into(),
                l.interest.into(),
                l.withdrawals.into(),
                l.closing.into(),
            ]);
        }
        s.total = Some(vec![
            "Jumlah".into(),
            Rupiah::try_sum(self.savings.iter().map(|l| l.opening))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|l| l.deposits))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|l| l.interest))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|l| l.withdrawals))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|l| l.closing))?.into(),
        ]);
        d.blocks.push(Block::Table(s));
        if self.loans.is_empty() {
            d.blocks.push(Block::Note(
                "Tidak ada pinjaman dalam tahun buku ini.".into(),
            ));
        } else {
            d.blocks
                .push(Block::Table(loan_table("Pinjaman", &self.loans, None)));
        }
        let mut shu = Table::new(
            "SHU tahun buku",
            &[
                ("jasa_modal", "Jasa modal"),
                ("jasa_usaha", "Jasa usaha"),
                ("total", "Jumlah SHU"),
            ],
        );
        shu.push(vec![
            self.shu.jasa_modal.into(),
            self.shu.jasa_usaha.into(),
            self.shu.total.into(),
        ]);
        d.blocks.push(Block::Table(shu));
        Ok(d)
    }
}

fn loan_table(title: &str, loans: &[LoanLine], member: Option<&[String]>) -> Table {
    let mut cols = Vec::new();
    if member.is_some() {
        cols.push(("member", "Anggota"));
    }
    cols.extend([
        ("loan", "Pinjaman"),
        ("disbursed_on", "Tanggal cair"),
        ("principal", "Plafon"),
        ("opening", "Sisa pokok awal"),
        ("disbursed", "Pencairan"),
        ("principal_paid", "Angsuran pokok"),
        ("interest_paid", "Jasa pinjaman"),
        ("penalty_paid", "Denda"),
        ("written_off", "Hapus buku"),
        ("other", "Kompensasi simpanan"),
        ("closing", "Sisa pokok akhir"),
        ("days_past_due", "Hari tunggakan"),
        ("class", "Kolektibilitas"),
    ]);
    let mut t = Table::new(title, &cols);
    for (i, l) in loans.iter().enumerate() {
        let mut row = Vec::with_capacity(cols.len());
        if let Some(names) = member {
            row.push(names.get(i).map_or("", String::as_str).into());
        }
        row.extend([
            l.loan.as_str().into(),
            Cell::Text(l.disbursed_on.format("%d-%m-%Y").to_string()),
            l.principal.into(),
            l.opening.into(),
            l.disbursed.into(),
            l.principal_paid.into(),
            l.interest_paid.into(),
            l.penalty_paid.into(),
            l.written_off.into(),
            l.other.into(),
            l.closing.into(),
            Cell::Count(u64::from(l.days_past_due)),
            l.class.indonesian().into(),
        ]);
        t.push(row);
    }
    t
}

/// One loan of the portfolio at the year end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortfolioLoan {
    /// Loan number.
    pub loan: String,
    /// The borrower, or `None` when withheld from this reader.
    pub member: Option<MemberRef>,
    /// Principal outstanding.
    pub outstanding: Rupiah,
    /// Days past due.
    pub days_past_due: u32,
    /// Collectibility (savings-loans' `classify` as of the year end).
    pub class: Collectibility,
}

/// The loan portfolio by collectibility at the year end, with the PPAP as
/// `koperasi-savings-loans` computes it.
///
/// # Invariants
/// Σ `outstanding` by class of the loans = [`by_class`](Self::by_class); `npl` = KL + D + M.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "kolektibilitas")]
#[doc(alias = "PPAP")]
pub struct LoanPortfolio {
    /// The date.
    pub as_of: NaiveDate,
    /// Loans with principal outstanding.
    pub loans: Vec<PortfolioLoan>,
    /// Σ outstanding per class (savings-loans' `portfolio_by_class`).
    pub by_class: ByClass,
    /// The book's reserve rates.
    pub rates: ReserveRates,
    /// The PPAP required (savings-loans' `required_reserve`).
    pub reserve_required: ReserveRequirement,
    /// The PPAP booked (the loan-loss reserve account).
    pub reserve_booked: Rupiah,
    /// Non-performing loans (KL + D + M).
    pub npl: Rupiah,
    /// NPL as a percentage of the outstanding (two decimals, half-up); `None` without loans.
    pub npl_pct: Option<Decimal>,
}

impl LoanPortfolio {
    /// Checks the loans against the class sums.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] naming the class; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        for c in CLASSES {
            let sum = Rupiah::try_sum(
                self.loans
                    .iter()
                    .filter(|l| l.class == c)
                    .map(|l| l.outstanding),
            )?;
            if sum != class_amount(&self.by_class, c) {
                return Err(inconsistent("loan portfolio", c.indonesian().into()));
            }
        }
        let npl = Rupiah::try_sum([
            self.by_class.substandard,
            self.by_class.doubtful,
            self.by_class.loss,
        ])?;
        if npl != self.npl {
            return Err(inconsistent("loan portfolio", "NPL".into()));
        }
        Ok(())
    }

    /// As a document: the summary per class with the PPAP, then the loans.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn document(&self, cooperative: &str) -> Result<Document> {
        self.validate()?;
        let mut d = Document::new("Portofolio Pinjaman per Kolektibilitas");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle
            .push(format!("Per {}", self.as_of.format("%d-%m-%Y")));
        let mut t = Table::new(
            "Ringkasan kolektibilitas",
            &[
                ("class", "Kolektibilitas"),
                ("count", "Jumlah pinjaman"),
                ("outstanding", "Sisa pokok"),
                ("reserve_pct", "Tarif PPAP %"),
                ("reserve", "PPAP wajib"),
            ],
        );
        for c in CLASSES {
            t.push(vec![
                c.indonesian().into(),
                count(self.loans.iter().filter(|l| l.class == c).count()),
                class_amount(&self.by_class, c).into(),
                Cell::Percent(Some(class_rate(&self.rates, c))),
                class_amount(&self.reserve_required.by_class, c).into(),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            count(self.loans.len()),
            class_total(&self.by_class)?.into(),
            Cell::Empty,
            self.reserve_required.total.into(),
        ]);
        d.blocks.push(Block::Table(t));
        d.blocks.push(Block::Note(format!(
            "Pinjaman bermasalah (NPL) {} ({}). PPAP dibukukan {}, PPAP wajib {}{}.",
            self.npl,
            Cell::Percent(self.npl_pct).display(),
            self.reserve_booked,
            self.reserve_required.total,
            if self.rates.net_of_collateral {
                " (setelah dikurangi agunan)"
            } else {
                ""
            }
        )));
        let mut l = Table::new(
            "Rincian pinjaman",
            &[
                ("loan", "Pinjaman"),
                ("member", "Anggota"),
                ("outstanding", "Sisa pokok"),
                ("days_past_due", "Hari tunggakan"),
                ("class", "Kolektibilitas"),
            ],
        );
        for x in &self.loans {
            l.push(vec![
                x.loan.as_str().into(),
                x.member
                    .as_ref()
                    .map_or("(dirahasiakan)", MemberRef::display)
                    .into(),
                x.outstanding.into(),
                Cell::Count(u64::from(x.days_past_due)),
                x.class.indonesian().into(),
            ]);
        }
        d.blocks.push(Block::Table(l));
        Ok(d)
    }
}

/// One allocation line of the SHU (cadangan, jasa modal, bagian desa…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShuAllocation {
    /// The line's name in the policy.
    pub name: String,
    /// What kind of line it is (Indonesian: `dana cadangan`, `jasa modal`…).
    pub kind: String,
    /// Percentage of the SHU.
    pub pct: Decimal,
    /// Its share of the SHU.
    pub amount: Rupiah,
    /// Rounding residue and undistributed member pools credited to it (cadangan only).
    pub received: Rupiah,
}

/// One member pool of the SHU (jasa modal or jasa usaha).
///
/// # Invariant
/// `paid + unpaid + residue + undistributed = amount`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShuPool {
    /// The pool line's name.
    pub line: String,
    /// `true` for jasa modal, `false` for jasa usaha.
    pub capital: bool,
    /// The pool.
    pub amount: Rupiah,
    /// Σ of the members' shares.
    pub paid: Rupiah,
    /// Shares of members not given.
    pub unpaid: Rupiah,
    /// *Selisih pembulatan*, to cadangan.
    pub residue: Rupiah,
    /// Nobody had a basis for it, to cadangan.
    pub undistributed: Rupiah,
}

/// One member's SHU in the SHU report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MemberShu {
    /// The member.
    pub member: MemberRef,
    /// The share.
    pub share: ShuShare,
}

/// The SHU report of the closed year.
///
/// # Invariants
/// Σ allocations = SHU (a positive SHU); each pool: paid + unpaid + residue + undistributed
/// = amount; Σ members' jasa modal = Σ paid of the jasa modal pools, likewise jasa usaha.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "laporan pembagian SHU")]
pub struct ShuReport {
    /// SHU of the year (negative: a loss).
    pub shu: Rupiah,
    /// Part earned from non-members.
    pub from_non_members: Rupiah,
    /// The allocation (empty for a loss or a zero SHU).
    pub allocations: Vec<ShuAllocation>,
    /// The member pools.
    pub pools: Vec<ShuPool>,
    /// Per member, by member number.
    pub members: Vec<MemberShu>,
    /// Members left out (left during the year, per the policy).
    pub excluded: u64,
    /// Σ rounding residues (to cadangan).
    pub residue: Rupiah,
    /// Σ undistributed pools (to cadangan).
    pub undistributed: Rupiah,
}

impl ShuReport {
    /// Checks the allocation and the pools.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`]; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        if self.shu.is_positive()
            && Rupiah::try_sum(self.allocations.iter().map(|a| a.amount))? != self.shu
        {
            return Err(inconsistent("SHU report", "allocations".into()));
        }
        for p in &self.pools {
            let sum = Rupiah::try_sum([p.paid, p.unpaid, p.residue, p.undistributed])?;
            if sum != p.amount {
                return Err(inconsistent("SHU report", p.line.clone()));
            }
        }
        for (capital, what) in [(true, "jasa modal"), (false, "jasa usaha")] {
            let pools = Rupiah::try_sum(
                self.pools
                    .iter()
                    .filter(|p| p.capital == capital)
                    .map(|p| p.paid),
            )?;
            let members = Rupiah::try_sum(self.members.iter().map(|m| {
                if capital {
                    m.share.jasa_modal
                } else {
                    m.share.jasa_usaha
                }
            }))?;
            if pools != members {
                return Err(inconsistent("SHU report", what.into()));
            }
        }
        Ok(())
    }

    /// As a document (validated first).
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn document(&self, cooperative: &str, year: i32) -> Result<Document> {
        self.validate()?;
        let mut d = Document::new("Pembagian SHU");
        d.subtitle.push(cooperative.to_owned());
        d.subtitle
            .push(format!("Tahun buku {year} — SHU {}", self.shu));
        if !self.shu.is_positive() {
            d.blocks.push(Block::Note(if self.shu.is_negative() {
                format!(
                    "Tahun buku {year} ditutup dengan rugi {}: tidak ada SHU yang dibagikan.",
                    self.shu.abs()
                )
            } else {
                format!("Tahun buku {year} tanpa SHU: tidak ada yang dibagikan.")
            }));
            return Ok(d);
        }
        if self.from_non_members.is_positive() {
            d.blocks.push(Block::Note(format!(
                "Bagian SHU dari usaha dengan non-anggota: {} (tidak dibagikan kepada anggota).",
                self.from_non_members
            )));
        }
        let mut t = Table::new(
            "Alokasi SHU",
            &[
                ("name", "Alokasi"),
                ("kind", "Jenis"),
                ("pct", "%"),
                ("amount", "Jumlah"),
                ("received", "Tambahan (pembulatan, tidak terbagi)"),
            ],
        );
        for a in &self.allocations {
            t.push(vec![
                a.name.as_str().into(),
                a.kind.as_str().into(),
                Cell::Percent(Some(a.pct)),
                a.amount.into(),
                a.received.into(),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            Cell::Empty,
            Cell::Empty,
            self.shu.into(),
            add(self.residue, self.undistributed)?.into(),
        ]);
        d.blocks.push(Block::Table(t));
        let mut p = Table::new(
            "Dana jasa anggota",
            &[
                ("line", "Dana"),
                ("amount", "Jumlah"),
                ("paid", "Dibagikan ke anggota"),
                ("unpaid", "Bagian anggota lain"),
                ("residue", "Selisih pembulatan"),
                ("undistributed", "Tidak terbagi"),
            ],
        );
        for x in &self.pools {
            p.push(vec![
                x.line.as_str().into(),
                x.amount.into(),
                x.paid.into(),
                x.unpaid.into(),
                x.residue.into(),
                x.undistributed.into(),
            ]);
        }
        d.blocks.push(Block::Table(p));
        let mut m = Table::new(
            "SHU per anggota",
            &[
                ("number", "No. anggota"),
                ("member", "Anggota"),
                ("nik", "NIK"),
                ("jasa_modal", "Jasa modal"),
                ("jasa_usaha", "Jasa usaha"),
                ("total", "Jumlah"),
            ],
        );
        for x in &self.members {
            m.push(vec![
                x.member.number.as_str().into(),
                x.member.name.as_deref().unwrap_or("").into(),
                x.member.nik.as_str().into(),
                x.share.jasa_modal.into(),
                x.share.jasa_usaha.into(),
                x.share.total.into(),
            ]);
        }
        m.total = Some(vec![
            "Jumlah".into(),
            Cell::Empty,
            Cell::Empty,
            Rupiah::try_sum(self.members.iter().map(|x| x.share.jasa_modal))?.into(),
            Rupiah::try_sum(self.members.iter().map(|x| x.share.jasa_usaha))?.into(),
            Rupiah::try_sum(self.members.iter().map(|x| x.share.total))?.into(),
        ]);
        d.blocks.push(Block::Table(m));
        if self.excluded > 0 {
            d.blocks.push(Block::Note(format!(
                "{} anggota yang keluar dalam tahun buku tidak menerima SHU (kebijakan AD/ART).",
                self.excluded
            )));
        }
        Ok(d)
    }
}

/// The control balances at the year end that the member statements must sum to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Controls {
    /// Each savings kind's control account, in [`SAVINGS_KINDS`] order.
    pub savings: Vec<(SavingsKind, Rupiah)>,
    /// The loan receivable control account.
    pub loans_outstanding: Rupiah,
}

/// The RAT package of one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "paket RAT")]
#[doc(alias = "laporan pertanggungjawaban")]
pub struct RatPackage {
    /// The cooperative's name.
    pub cooperative: String,
    /// The fiscal year (named by the calendar year it starts in).
    pub year: i32,
    /// Its period.
    pub period: Period,
    /// Who the package was made for, in Indonesian (`pengurus/pengawas`, `anggota …`, `umum`).
    pub reader: String,
    /// Built from a simulated book: every rendering says SIMULASI.
    pub simulated: bool,
    /// Member statements the reader may see (all for an officer, their own for a member,
    /// none for the public), by member number.
    pub members: Vec<MemberStatement>,
    /// The control balances at the year end.
    pub controls: Controls,
    /// The loan portfolio.
    pub portfolio: LoanPortfolio,
    /// The SHU report.
    pub shu: ShuReport,
    /// Neraca, PHU, perubahan ekuitas, arus kas — with the prior year alongside.
    pub statements: FinancialStatements,
    /// The health assessment, when the management questionnaires were given and the profile
    /// can score the book.
    pub health: Option<Assessment>,
    /// Why there is no health assessment, if there is none.
    pub health_note: Option<String>,
}

/// Σ of one kind over the statements.
fn sum_kind(members: &[MemberStatement], kind: SavingsKind) -> Result<Rupiah> {
    Ok(Rupiah::try_sum(
        members
            .iter()
            .flat_map(|m| m.savings.iter())
            .filter(|s| s.kind == kind)
            .map(|s| s.closing),
    )?)
}

impl RatPackage {
    /// Checks every part's arithmetic; for an officer's package (every member's statement),
    /// also that the statements sum to the control balances.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] naming the part; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        for m in &self.members {
            m.validate()?;
        }
        self.portfolio.validate()?;
        self.shu.validate()?;
        if class_total(&self.portfolio.by_class)? != self.controls.loans_outstanding {
            return Err(inconsistent("RAT package", "loans outstanding".into()));
        }
        Ok(())
    }

    /// Whether the member statements sum to the control balances (savings by kind, loans
    /// outstanding) — true of a package with every member's statement.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn statements_sum_to_controls(&self) -> Result<bool> {
        for (kind, control) in &self.controls.savings {
            if sum_kind(&self.members, *kind)? != *control {
                return Ok(false);
            }
        }
        let loans = Rupiah::try_sum(
            self.members
                .iter()
                .flat_map(|m| m.loans.iter())
                .map(|l| l.closing),
        )?;
        Ok(loans == self.controls.loans_outstanding)
    }

    fn label(&self, mut d: Document) -> Document {
        if self.simulated {
            d.title = format!("SIMULASI — {}", d.title);
            d.blocks.insert(0, Block::Note(SIMULATED_NOTICE.to_owned()));
            d.blocks.push(Block::Note(SIMULATED_NOTICE.to_owned()));
        }
        d
    }

    /// The cover: cooperative, year, reader, contents and the control balances.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn cover(&self) -> Result<Document> {
        let mut d = Document::new("Laporan Pertanggungjawaban Pengurus — Rapat Anggota Tahunan");
        d.subtitle.push(self.cooperative.clone());
        d.subtitle.push(format!(
            "Tahun buku {} ({} s.d. {})",
            self.year,
            self.period.start().format("%d-%m-%Y"),
            self.period.end().format("%d-%m-%Y")
        ));
        d.subtitle.push(format!("Untuk: {}", self.reader));
        d.blocks.push(Block::Note(
            "Semua angka dari buku besar dan buku pembantu koperasi per akhir tahun buku; \
             kolektibilitas dan PPAP menurut modul simpan pinjam; pembagian SHU menurut kebijakan \
             AD/ART atas tahun buku yang telah ditutup. Data pribadi: NIK disamarkan kecuali bagi \
             anggota yang bersangkutan."
                .into(),
        ));
        let mut t = Table::new(
            "Saldo akun kontrol akhir tahun",
            &[
                ("account", "Akun kontrol"),
                ("balance", "Saldo"),
                ("members", "Jumlah rincian anggota"),
            ],
        );
        for (kind, control) in &self.controls.savings {
            t.push(vec![
                savings_label(*kind).into(),
                (*control).into(),
                sum_kind(&self.members, *kind)?.into(),
            ]);
        }
        t.push(vec![
            "Piutang pinjaman anggota".into(),
            self.controls.loans_outstanding.into(),
            Rupiah::try_sum(
                self.members
                    .iter()
                    .flat_map(|m| m.loans.iter())
                    .map(|l| l.closing),
            )?
            .into(),
        ]);
        d.blocks.push(Block::Table(t));
        if self.members.is_empty() {
            d.blocks.push(Block::Note(
                "Laporan tahunan anggota tidak disertakan untuk pembaca ini.".into(),
            ));
        }
        Ok(self.label(d))
    }

    /// Every member's savings, loans and SHU as three tables (for XLSX and CSV).
    pub fn member_tables(&self) -> Document {
        let mut d = Document::new("Rincian Anggota");
        d.subtitle.push(self.cooperative.clone());
        let mut s = Table::new(
            "Simpanan anggota",
            &[
                ("number", "No. anggota"),
                ("member", "Anggota"),
                ("nik", "NIK"),
                ("kind", "Jenis simpanan"),
                ("opening", "Saldo awal"),
                ("deposits", "Setoran"),
                ("interest", "Jasa simpanan"),
                ("withdrawals", "Penarikan"),
                ("closing", "Saldo akhir"),
            ],
        );
        let mut names = Vec::new();
        let mut loans = Vec::new();
        let mut shu = Table::new(
            "SHU anggota",
            &[
                ("number", "No. anggota"),
                ("member", "Anggota"),
                ("jasa_modal", "Jasa modal"),
                ("jasa_usaha", "Jasa usaha"),
                ("total", "Jumlah SHU"),
            ],
        );
        for m in &self.members {
            for l in &m.savings {
                s.push(vec![
                    m.member.number.as_str().into(),
                    m.member.name.as_deref().unwrap_or("").into(),
                    m.member.nik.as_str().into(),
                    savings_label(l.kind).into(),
                    l.opening.into(),
                    l.deposits.into(),
                    l.interest.into(),
                    l.withdrawals.into(),
                    l.closing.into(),
                ]);
            }
            for l in &m.loans {
                names.push(m.member.display().to_owned());
                loans.push(l.clone());
            }
            shu.push(vec![
                m.member.number.as_str().into(),
                m.member.name.as_deref().unwrap_or("").into(),
                m.shu.jasa_modal.into(),
                m.shu.jasa_usaha.into(),
                m.shu.total.into(),
            ]);
        }
        d.blocks.push(Block::Table(s));
        d.blocks.push(Block::Table(loan_table(
            "Pinjaman anggota",
            &loans,
            Some(&names),
        )));
        d.blocks.push(Block::Table(shu));
        self.label(d)
    }

    /// The package's documents in order, with a short key each: `sampul`, `neraca`, `phu`,
    /// `perubahan_ekuitas`, `arus_kas`, `kolektibilitas`, `shu`, `kesehatan` and, with
    /// `per_member`, one `anggota_<number>` per member statement (else `anggota`, the three
    /// member tables).
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn documents(&self, per_member: bool) -> Result<Vec<(String, Document)>> {
        self.validate()?;
        let c = self.cooperative.as_str();
        let st = &self.statements;
        let mut out = vec![
            ("sampul".to_owned(), self.cover()?),
            ("neraca".to_owned(), st.balance_sheet.document(c)),
            ("phu".to_owned(), st.income_statement.document(c)),
            (
                "perubahan_ekuitas".to_owned(),
                st.changes_in_equity.document(c),
            ),
            ("arus_kas".to_owned(), st.cash_flow.document(c)),
            ("kolektibilitas".to_owned(), self.portfolio.document(c)?),
            ("shu".to_owned(), self.shu.document(c, self.year)?),
        ];
        let health = match (&self.health, &self.health_note) {
            (Some(a), _) => a.document(),
            (None, note) => {
                let mut d = Document::new("Penilaian Kesehatan Koperasi");
                d.blocks
                    .push(Block::Note(note.clone().unwrap_or_else(|| {
                        "Penilaian kesehatan tidak disertakan.".into()
                    })));
                d
            }
        };
        out.push(("kesehatan".to_owned(), health));
        if per_member {
            for m in &self.members {
                out.push((
                    format!("anggota_{}", m.member.number),
                    m.document(c, self.period)?,
                ));
            }
        } else if !self.members.is_empty() {
            out.push(("anggota".to_owned(), self.member_tables()));
        }
        Ok(out
            .into_iter()
            .map(|(k, d)| {
                let d = if k == "sampul" || k == "anggota" {
                    d
                } else {
                    self.label(d)
                };
                (k, d)
            })
            .collect())
    }

    /// One self-contained, print-friendly HTML file: inline CSS (each part starts on a new
    /// page when printed), no script, no external resource; Indonesian labels and
    /// `Rp1.234.567,89` amounts; a member statement per member the reader may see.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn html(&self) -> Result<String> {
        let docs = self.documents(true)?;
        let title = format!(
            "{}Paket RAT {} — {}",
            if self.simulated { "SIMULASI — " } else { "" },
            self.year,
            self.cooperative
        );
        let mut out =
            String::from("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n");
        let _ = writeln!(out, "<title>{}</title>", render::html_escape(&title));
        out.push_str(
            "<style>\nbody{font-family:system-ui,sans-serif;margin:2em;color:#111}\n\
             table{border-collapse:collapse;margin:0 0 1.5em;font-size:.9em}\n\
             th,td{border:1px solid #bbb;padding:.2em .5em}\nth{background:#f3f4f6;text-align:left}\n\
             td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n\
             tr.total td{font-weight:bold;border-top:2px solid #111}\n\
             caption{font-weight:bold;text-align:left;padding:.3em 0}\n\
             section{margin-bottom:2em}\n.sim{border:2px solid #b91c1c;color:#b91c1c;padding:.4em;font-weight:bold}\n\
             nav li{margin:.1em 0}\n\
             @media print{body{margin:0}section{break-before:page}nav{display:none}thead{display:table-header-group}tr{break-inside:avoid}}\n\
             </style>\n</head>\n<body>\n",
        );
        if self.simulated {
            let _ = writeln!(
                out,
                "<p class=\"sim\">{}</p>",
                render::html_escape(SIMULATED_NOTICE)
            );
        }
        let _ = writeln!(out, "<h1>{}</h1>", render::html_escape(&title));
        out.push_str("<nav><h2>Daftar isi</h2>\n<ol>\n");
        for (k, d) in &docs {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                render::html_escape(k),
                render::html_escape(&d.title)
            );
        }
        out.push_str("</ol>\n</nav>\n");
        for (k, d) in &docs {
            let _ = writeln!(out, "<section id=\"{}\">", render::html_escape(k));
            section_html(&mut out, d);
            out.push_str("</section>\n");
        }
        if self.simulated {
            let _ = writeln!(
                out,
                "<p class=\"sim\">{}</p>",
                render::html_escape(SIMULATED_NOTICE)
            );
        }
        out.push_str("</body>\n</html>\n");
        Ok(out)
    }

    /// All tables as one document (titles prefixed by their part, a notice first when
    /// simulated): what the XLSX and CSV renderings write.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn tables(&self) -> Result<Vec<(String, Table)>> {
        let mut out = Vec::new();
        if self.simulated {
            let mut t = Table::new("SIMULASI", &[("notice", "Keterangan")]);
            t.push(vec![SIMULATED_NOTICE.into()]);
            out.push(("00_simulasi".to_owned(), t));
        }
        for (key, d) in self.documents(false)? {
            let short = d.title.trim_start_matches("SIMULASI — ").to_owned();
            for t in d.tables() {
                let mut t = t.clone();
                let n = out.len().saturating_add(1);
                let name = format!("{n:02}_{key}_{}", slug(&t.title));
                if !t.title.to_lowercase().contains(&short.to_lowercase()) {
                    t.title = format!("{short} — {}", t.title);
                }
                if self.simulated {
                    t.title = format!("{} (SIMULASI)", t.title);
                    t.columns
                        .push(crate::report::Column::new("simulated", "SIMULASI"));
                    for r in &mut t.rows {
                        r.push("ya".into());
                    }
                    if let Some(r) = &mut t.total {
                        r.push("ya".into());
                    }
                }
                out.push((name, t));
            }
        }
        Ok(out)
    }

    /// One CSV per table: `(file name, contents)`, names `NN_<part>_<table>.csv` in package
    /// order; English `snake_case` headers. A simulated package has a `simulated` column.
    ///
    /// # Errors
    /// As [`validate`](Self::validate); [`Error::Render`] if a table cannot be written.
    pub fn csv_files(&self) -> Result<Vec<(String, String)>> {
        self.tables()?
            .into_iter()
            .map(|(name, t)| Ok((format!("{name}.csv"), render::csv_table(&t)?)))
            .collect()
    }

    /// An XLSX workbook with one worksheet per table.
    ///
    /// # Errors
    /// As [`validate`](Self::validate); [`Error::Render`] if the workbook cannot be built.
    #[cfg(feature = "xlsx")]
    pub fn xlsx(&self) -> Result<Vec<u8>> {
        let mut d = Document::new(&format!("Paket RAT {} — {}", self.year, self.cooperative));
        for (_, t) in self.tables()? {
            d.blocks.push(Block::Table(t));
        }
        render::xlsx(&d)
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').chars().take(40).collect()
}

fn section_html(out: &mut String, doc: &Document) {
    let _ = writeln!(out, "<h2>{}</h2>", render::html_escape(&doc.title));
    for s in &doc.subtitle {
        let _ = writeln!(out, "<p>{}</p>", render::html_escape(s));
    }
    for b in &doc.blocks {
        match b {
            Block::Table(t) => {
                let _ = writeln!(
                    out,
                    "<table>\n<caption>{}</caption>",
                    render::html_escape(&t.title)
                );
                out.push_str("<thead><tr>");
                for c in &t.columns {
                    let _ = write!(out, "<th>{}</th>", render::html_escape(&c.label));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                let row_html = |out: &mut String, row: &[Cell], class: &str| {
                    let _ = write!(out, "<tr{class}>");
                    for c in row {
                        let cls = if c.is_numeric() { " class=\"n\"" } else { "" };
                        let _ = write!(out, "<td{cls}>{}</td>", render::html_escape(&c.display()));
                    }
                    out.push_str("</tr>\n");
                };
                for row in &t.rows {
                    row_html(out, row, "");
                }
                if let Some(total) = &t.total {
                    row_html(out, total, " class=\"total\"");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart(c) => {
                out.push_str("<figure>\n");
                out.push_str(&render::svg_chart(c));
                out.push_str("</figure>\n");
            }
            Block::Note(n) => {
                let _ = writeln!(out, "<p>{}</p>", render::html_escape(n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(x: i64) -> Rupiah {
        Rupiah::from_rupiah(x)
    }

    #[test]
    fn savings_line_checks_its_movements() {
        let mut s = SavingsLine {
            kind: SavingsKind::Voluntary,
            opening: rp(100_000),
            deposits: rp(50_000),
            interest: rp(1_250),
            withdrawals: rp(20_000),
            closing: rp(131_250),
        };
        assert!(s.validate("A-1").is_ok());
        s.closing = rp(131_251);
        assert_eq!(
            s.validate("A-1"),
            Err(Error::InconsistentReport {
                report: "member statement",
                item: "A-1: Simpanan sukarela".into()
            })
        );
    }

    #[test]
    fn loan_line_checks_its_movements() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let mut l = LoanLine {
            loan: "PJ-1".into(),
            principal: rp(2_000_000),
            disbursed_on: d,
            opening: Rupiah::ZERO,
            disbursed: rp(2_000_000),
            principal_paid: rp(600_000),
            interest_paid: rp(60_000),
            penalty_paid: rp(5_000),
            written_off: Rupiah::ZERO,
            other: Rupiah::ZERO,
            closing: rp(1_400_000),
            days_past_due: 0,
            class: Collectibility::Current,
        };
        assert!(l.validate().is_ok());
        l.written_off = rp(1);
        assert!(matches!(
            l.validate(),
            Err(Error::InconsistentReport { .. })
        ));
    }

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("Ringkasan kolektibilitas"), "ringkasan_kolektibilitas");
        assert_eq!(slug("Aset — lancar (Rp)"), "aset_lancar_rp");
    }
}
