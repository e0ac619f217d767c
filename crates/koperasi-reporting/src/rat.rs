//! Reports for the RAT and for members, from plain inputs: member statement
//! ([`MemberStatement`]), loan portfolio by collectibility with the reserve
//! ([`LoanPortfolio`]), SHU report ([`ShuReport`]). Fill them from the savings-loans and shu
//! crates' results (or any source); each checks its own arithmetic before it renders.
//!
//! ```
//! use koperasi_core::Rupiah;
//! use koperasi_reporting::rat::{Collectibility, LoanPortfolio, PortfolioLoan};
//!
//! let p = LoanPortfolio {
//!     loans: vec![
//!         PortfolioLoan { loan: "PJ-001".into(), member: "Siti Rahayu".into(),
//!             outstanding: Rupiah::from_rupiah(10_000_000), collectibility: Collectibility::Lancar },
//!         PortfolioLoan { loan: "PJ-002".into(), member: "Budi Santoso".into(),
//!             outstanding: Rupiah::from_rupiah(2_000_000), collectibility: Collectibility::Macet },
//!     ],
//!     ..LoanPortfolio::default()
//! };
//! let s = p.summary()?;
//! // Reserve: 0,5 % × 10 jt + 100 % × 2 jt.
//! assert_eq!(s.total_reserve, Rupiah::from_rupiah(2_050_000));
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```

use koperasi_core::{Period, RoundingPolicy, Rupiah};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::health::Precision;
use crate::report::{Block, Cell, Document, Table};

/// The four cooperative collectibility classes (Permen 14/2009).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[doc(alias = "kolektibilitas")]
pub enum Collectibility {
    /// Lancar.
    Lancar,
    /// Kurang lancar.
    KurangLancar,
    /// Diragukan.
    Diragukan,
    /// Macet.
    Macet,
}

impl Collectibility {
    /// All four, best first.
    pub const ALL: [Collectibility; 4] = [
        Collectibility::Lancar,
        Collectibility::KurangLancar,
        Collectibility::Diragukan,
        Collectibility::Macet,
    ];

    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Collectibility::Lancar => "Lancar",
            Collectibility::KurangLancar => "Kurang lancar",
            Collectibility::Diragukan => "Diragukan",
            Collectibility::Macet => "Macet",
        }
    }
}

fn inconsistent(report: &'static str, item: String) -> Error {
    Error::InconsistentReport { report, item }
}

/// One savings account of a member over the period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SavingsLine {
    /// Kind, e.g. `Simpanan wajib`.
    pub kind: String,
    /// Opening balance.
    pub opening: Rupiah,
    /// Deposits.
    pub deposits: Rupiah,
    /// Interest (jasa) credited.
    pub interest: Rupiah,
    /// Withdrawals.
    pub withdrawals: Rupiah,
    /// Closing balance.
    pub closing: Rupiah,
}

/// One installment of a loan schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InstallmentLine {
    /// Number.
    pub number: u32,
    /// Due date.
    pub due: chrono::NaiveDate,
    /// Principal part.
    pub principal: Rupiah,
    /// Interest part.
    pub interest: Rupiah,
    /// Paid so far.
    pub paid: Rupiah,
}

/// One loan of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LoanLine {
    /// Loan number.
    pub loan: String,
    /// Original principal.
    pub principal: Rupiah,
    /// Principal outstanding.
    pub outstanding: Rupiah,
    /// Amount in arrears (*tunggakan*).
    pub arrears: Rupiah,
    /// Days past due.
    pub days_past_due: u32,
    /// Collectibility.
    pub collectibility: Collectibility,
    /// Schedule.
    pub schedule: Vec<InstallmentLine>,
}

/// A member's statement: savings by kind and loans with their schedules and arrears.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "rekening koran anggota")]
pub struct MemberStatement {
    /// Cooperative name.
    pub cooperative: String,
    /// Member number.
    pub member_no: String,
    /// Member name.
    pub name: String,
    /// Period.
    pub period: Period,
    /// Savings.
    pub savings: Vec<SavingsLine>,
    /// Loans.
    pub loans: Vec<LoanLine>,
}

impl MemberStatement {
    /// Checks `opening + deposits + interest − withdrawals = closing` for every savings line.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] naming the line; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        for s in &self.savings {
            let c = s
                .opening
                .checked_add(s.deposits)?
                .checked_add(s.interest)?
                .checked_sub(s.withdrawals)?;
            if c != s.closing {
                return Err(inconsistent("member statement", s.kind.clone()));
            }
        }
        Ok(())
    }

    /// As a document (validated first).
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn document(&self) -> Result<Document> {
        self.validate()?;
        let mut d = Document::new("Laporan Rekening Anggota");
        d.subtitle.push(self.cooperative.clone());
        d.subtitle
            .push(format!("{} — {}", self.member_no, self.name));
        d.subtitle.push(format!(
            "Periode {} s.d. {}",
            self.period.start(),
            self.period.end()
        ));
        let mut t = Table::new(
            "Simpanan",
            &[
                ("kind", "Jenis"),
                ("opening", "Saldo awal"),
                ("deposits", "Setoran"),
                ("interest", "Jasa"),
                ("withdrawals", "Penarikan"),
                ("closing", "Saldo akhir"),
            ],
        );
        for s in &self.savings {
            t.push(vec![
                s.kind.as_str().into(),
                s.opening.into(),
                s.deposits.into(),
                s.interest.into(),
                s.withdrawals.into(),
                s.closing.into(),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            Rupiah::try_sum(self.savings.iter().map(|s| s.opening))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|s| s.deposits))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|s| s.interest))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|s| s.withdrawals))?.into(),
            Rupiah::try_sum(self.savings.iter().map(|s| s.closing))?.into(),
        ]);
        d.blocks.push(Block::Table(t));
        for l in &self.loans {
            let mut t = Table::new(
                &format!(
                    "Pinjaman {} — {} (sisa {}, tunggakan {}, {} hari)",
                    l.loan,
                    l.collectibility.label(),
                    l.outstanding,
                    l.arrears,
                    l.days_past_due
                ),
                &[
                    ("number", "Ke"),
                    ("due", "Jatuh tempo"),
                    ("principal", "Pokok"),
                    ("interest", "Jasa"),
                    ("paid", "Dibayar"),
                ],
            );
            for i in &l.schedule {
                t.push(vec![
                    Cell::Count(u64::from(i.number)),
                    i.due.to_string().into(),
                    i.principal.into(),
                    i.interest.into(),
                    i.paid.into(),
                ]);
            }
            d.blocks.push(Block::Table(t));
        }
        Ok(d)
    }
}

/// One loan in the portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortfolioLoan {
    /// Loan number.
    pub loan: String,
    /// Borrower.
    pub member: String,
    /// Principal outstanding.
    pub outstanding: Rupiah,
    /// Collectibility.
    pub collectibility: Collectibility,
}

/// The loan portfolio and the reserve rates per class (configuration: domain.md §3.4 gives
/// bank-derived defaults 0,5 % / 10 % / 50 % / 100 %, not law).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LoanPortfolio {
    /// Loans.
    pub loans: Vec<PortfolioLoan>,
    /// Reserve rate (percent) per class in [`Collectibility::ALL`] order.
    pub reserve_pct: [Decimal; 4],
    /// Rounding of each class's reserve.
    pub rounding: RoundingPolicy,
}

impl Default for LoanPortfolio {
    fn default() -> Self {
        LoanPortfolio {
            loans: Vec::new(),
            reserve_pct: [
                Decimal::new(5, 1),
                Decimal::from(10),
                Decimal::from(50),
                Decimal::from(100),
            ],
            rounding: RoundingPolicy::WHOLE_RUPIAH,
        }
    }
}

/// One class of the portfolio summary.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CollectibilityRow {
    /// Class.
    pub class: Collectibility,
    /// Number of loans.
    pub count: u64,
    /// Σ outstanding.
    pub outstanding: Rupiah,
    /// Reserve rate, percent.
    pub reserve_pct: Decimal,
    /// Required reserve (rounded per the policy).
    pub reserve: Rupiah,
}

/// The portfolio by collectibility.
///
/// # Invariants
/// Σ class outstanding = Σ loan outstanding; `npl` = KL + D + M.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortfolioSummary {
    /// Per class.
    pub rows: Vec<CollectibilityRow>,
    /// Σ outstanding.
    pub total_outstanding: Rupiah,
    /// Σ reserve.
    pub total_reserve: Rupiah,
    /// Non-performing (KL + D + M).
    pub npl: Rupiah,
    /// NPL / outstanding × 100; `None` without loans.
    pub npl_pct: Option<Decimal>,
}

impl LoanPortfolio {
    /// Sums per class and the reserve.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`] for a negative outstanding amount; [`Error::Core`] on
    /// overflow.
    pub fn summary(&self) -> Result<PortfolioSummary> {
        if let Some(l) = self.loans.iter().find(|l| l.outstanding.is_negative()) {
            return Err(inconsistent("loan portfolio", l.loan.clone()));
        }
        let mut rows = Vec::with_capacity(4);
        for (class, pct) in Collectibility::ALL.iter().zip(self.reserve_pct) {
            let mine = self.loans.iter().filter(|l| l.collectibility == *class);
            let outstanding = Rupiah::try_sum(mine.clone().map(|l| l.outstanding))?;
            let reserve = outstanding.mul_div(pct, Decimal::ONE_HUNDRED, self.rounding)?;
            rows.push(CollectibilityRow {
                class: *class,
                count: u64::try_from(mine.count()).unwrap_or(u64::MAX),
                outstanding,
                reserve_pct: pct,
                reserve,
            });
        }
        let total_outstanding = Rupiah::try_sum(rows.iter().map(|r| r.outstanding))?;
        let npl = Rupiah::try_sum(rows.iter().skip(1).map(|r| r.outstanding))?;
        let npl_pct = if total_outstanding.is_positive() {
            Some(Precision::TWO_HALF_UP.divide(
                npl.to_decimal(),
                Decimal::ONE_HUNDRED,
                total_outstanding.to_decimal(),
            )?)
        } else {
            None
        };
        Ok(PortfolioSummary {
            total_reserve: Rupiah::try_sum(rows.iter().map(|r| r.reserve))?,
            rows,
            total_outstanding,
            npl,
            npl_pct,
        })
    }

    /// As a document: the summary per class and the loans.
    ///
    /// # Errors
    /// As [`summary`](Self::summary).
    pub fn document(&self, cooperative: &str) -> Result<Document> {
        let s = self.summary()?;
        let mut d = Document::new("Portofolio Pinjaman per Kolektibilitas");
        d.subtitle.push(cooperative.to_owned());
        let mut t = Table::new(
            "Ringkasan",
            &[
                ("class", "Kolektibilitas"),
                ("count", "Jumlah pinjaman"),
                ("outstanding", "Sisa pokok"),
                ("reserve_pct", "Cadangan %"),
                ("reserve", "Cadangan (PPAP)"),
            ],
        );
        for r in &s.rows {
            t.push(vec![
                r.class.label().into(),
                Cell::Count(r.count),
                r.outstanding.into(),
                Cell::Percent(Some(r.reserve_pct)),
                r.reserve.into(),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            Cell::Count(u64::try_from(self.loans.len()).unwrap_or(u64::MAX)),
            s.total_outstanding.into(),
            Cell::Empty,
            s.total_reserve.into(),
        ]);
        d.blocks.push(Block::Table(t));
        d.blocks.push(Block::Note(format!(
            "NPL {} ({})",
            s.npl,
            Cell::Percent(s.npl_pct).display()
        )));
        let mut l = Table::new(
            "Rincian",
            &[
                ("loan", "Pinjaman"),
                ("member", "Anggota"),
                ("outstanding", "Sisa pokok"),
                ("class", "Kolektibilitas"),
            ],
        );
        for x in &self.loans {
            l.push(vec![
                x.loan.as_str().into(),
                x.member.as_str().into(),
                x.outstanding.into(),
                x.collectibility.label().into(),
            ]);
        }
        d.blocks.push(Block::Table(l));
        Ok(d)
    }
}

/// One allocation line of the SHU (cadangan, jasa anggota, bagian desa…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShuAllocation {
    /// Label.
    pub label: String,
    /// Percentage of the SHU.
    pub pct: Decimal,
    /// Amount.
    pub amount: Rupiah,
}

/// One member's SHU.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MemberShu {
    /// Member number or name.
    pub member: String,
    /// Jasa modal.
    pub jasa_modal: Rupiah,
    /// Jasa usaha.
    pub jasa_usaha: Rupiah,
}

/// The SHU report for the RAT.
///
/// # Invariants
/// Σ allocations = SHU; Σ member SHU + residue = the members' pool (the allocations marked as
/// the members' share).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShuReport {
    /// Cooperative.
    pub cooperative: String,
    /// Fiscal year label.
    pub year: String,
    /// SHU of the year.
    pub shu: Rupiah,
    /// Allocations.
    pub allocations: Vec<ShuAllocation>,
    /// Index into `allocations` of the members' pool (jasa modal + jasa usaha).
    pub member_pool: Option<usize>,
    /// Per member.
    pub members: Vec<MemberShu>,
    /// Rounding residue (*selisih pembulatan*), credited to cadangan.
    pub residue: Rupiah,
}

impl ShuReport {
    /// Checks that the allocations sum to the SHU and the members plus the residue to the pool.
    ///
    /// # Errors
    /// [`Error::InconsistentReport`]; [`Error::Core`] on overflow.
    pub fn validate(&self) -> Result<()> {
        if Rupiah::try_sum(self.allocations.iter().map(|a| a.amount))? != self.shu {
            return Err(inconsistent("SHU report", "allocations".into()));
        }
        if let Some(pool) = self.member_pool.and_then(|i| self.allocations.get(i)) {
            let mut sum = self.residue;
            for m in &self.members {
                sum = sum.checked_add(m.jasa_modal)?.checked_add(m.jasa_usaha)?;
            }
            if sum != pool.amount {
                return Err(inconsistent("SHU report", "members".into()));
            }
        }
        Ok(())
    }

    /// As a document (validated first).
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn document(&self) -> Result<Document> {
        self.validate()?;
        let mut d = Document::new("Laporan Pembagian SHU");
        d.subtitle.push(self.cooperative.clone());
        d.subtitle
            .push(format!("Tahun buku {} — SHU {}", self.year, self.shu));
        let mut t = Table::new(
            "Alokasi SHU",
            &[("label", "Alokasi"), ("pct", "%"), ("amount", "Jumlah")],
        );
        for a in &self.allocations {
            t.push(vec![
                a.label.as_str().into(),
                Cell::Percent(Some(a.pct)),
                a.amount.into(),
            ]);
        }
        t.total = Some(vec!["Jumlah".into(), Cell::Empty, self.shu.into()]);
        d.blocks.push(Block::Table(t));
        let mut m = Table::new(
            "SHU per anggota",
            &[
                ("member", "Anggota"),
                ("jasa_modal", "Jasa modal"),
                ("jasa_usaha", "Jasa usaha"),
                ("total", "Jumlah"),
            ],
        );
        for x in &self.members {
            m.push(vec![
                x.member.as_str().into(),
                x.jasa_modal.into(),
                x.jasa_usaha.into(),
                x.jasa_modal.checked_add(x.jasa_usaha)?.into(),
            ]);
        }
        m.push(vec![
            "Selisih pembulatan (ke cadangan)".into(),
            Cell::Empty,
            Cell::Empty,
            self.residue.into(),
        ]);
        d.blocks.push(Block::Table(m));
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn rp(x: i64) -> Rupiah {
        Rupiah::from_rupiah(x)
    }

    #[test]
    fn member_statement_checks_and_renders() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut s = MemberStatement {
            cooperative: "KDMP Sukamaju".into(),
            member_no: "A-0001".into(),
            name: "Siti Rahayu".into(),
            period: Period::new(d(1, 1), d(12, 31)).unwrap(),
            savings: vec![SavingsLine {
                kind: "Simpanan wajib".into(),
                opening: rp(100_000),
                deposits: rp(60_000),
                interest: Rupiah::ZERO,
                withdrawals: Rupiah::ZERO,
                closing: rp(160_000),
            }],
            loans: vec![LoanLine {
                loan: "PJ-001".into(),
                principal: rp(1_200_000),
                outstanding: rp(1_000_000),
                arrears: rp(0),
                days_past_due: 0,
                collectibility: Collectibility::Lancar,
                schedule: vec![InstallmentLine {
                    number: 1,
                    due: d(2, 12),
                    principal: rp(200_000),
                    interest: rp(12_000),
                    paid: rp(212_000),
                }],
            }],
        };
        let text = crate::render::text(&s.document().unwrap());
        assert!(
            text.contains("Rp160.000") && text.contains("PJ-001"),
            "{text}"
        );
        s.savings[0].closing = rp(1);
        assert_eq!(
            s.validate(),
            Err(Error::InconsistentReport {
                report: "member statement",
                item: "Simpanan wajib".into()
            })
        );
    }

    #[test]
    fn portfolio_reserve_and_npl() {
        let loan = |n: &str, x, c| PortfolioLoan {
            loan: n.into(),
            member: "m".into(),
            outstanding: rp(x),
            collectibility: c,
        };
        let p = LoanPortfolio {
            loans: vec![
                loan("1", 80_000_000, Collectibility::Lancar),
                loan("2", 10_000_000, Collectibility::KurangLancar),
                loan("3", 6_000_000, Collectibility::Diragukan),
                loan("4", 4_000_000, Collectibility::Macet),
            ],
            ..LoanPortfolio::default()
        };
        let s = p.summary().unwrap();
        // 0,5 % × 80 jt = 400.000; 10 % × 10 jt = 1 jt; 50 % × 6 jt = 3 jt; 100 % × 4 jt.
        assert_eq!(
            s.rows.iter().map(|r| r.reserve).collect::<Vec<_>>(),
            [rp(400_000), rp(1_000_000), rp(3_000_000), rp(4_000_000)]
        );
        assert_eq!(s.total_reserve, rp(8_400_000));
        assert_eq!(s.npl, rp(20_000_000));
        assert_eq!(s.npl_pct, Some(Decimal::from(20)));
        assert!(crate::render::text(&p.document("x").unwrap()).contains("Rp8.400.000"));
        let bad = LoanPortfolio {
            loans: vec![loan("9", -1, Collectibility::Lancar)],
            ..LoanPortfolio::default()
        };
        assert!(matches!(
            bad.summary(),
            Err(Error::InconsistentReport { .. })
        ));
        assert_eq!(LoanPortfolio::default().summary().unwrap().npl_pct, None);
    }

    #[test]
    fn shu_report_checks_and_renders() {
        let a = |l: &str, p: i64, x| ShuAllocation {
            label: l.into(),
            pct: Decimal::from(p),
            amount: rp(x),
        };
        let mut r = ShuReport {
            cooperative: "KDMP Sukamaju".into(),
            year: "2026".into(),
            shu: rp(10_000_000),
            allocations: vec![
                a("Bagian desa", 20, 2_000_000),
                a("Cadangan", 30, 3_000_000),
                a("Jasa anggota", 50, 5_000_000),
            ],
            member_pool: Some(2),
            members: vec![
                MemberShu {
                    member: "Siti Rahayu".into(),
                    jasa_modal: rp(1_666_666),
                    jasa_usaha: rp(1_000_000),
                },
                MemberShu {
                    member: "Budi Santoso".into(),
                    jasa_modal: rp(833_333),
                    jasa_usaha: rp(1_500_000),
                },
            ],
            residue: rp(1),
        };
        assert!(crate::render::text(&r.document().unwrap()).contains("Rp2.666.666"));
        r.residue = Rupiah::ZERO;
        assert_eq!(
            r.validate(),
            Err(Error::InconsistentReport {
                report: "SHU report",
                item: "members".into()
            })
        );
        r.shu = rp(1);
        assert_eq!(
            r.validate(),
            Err(Error::InconsistentReport {
                report: "SHU report",
                item: "allocations".into()
            })
        );
    }
}
