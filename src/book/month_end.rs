//! Month-end (tutup bulan): savings interest, late penalties, loan interest accrual,
//! collectibility and the loss reserve (PPAP).

use koperasi_core::chrono::{Datelike, NaiveDate};
use koperasi_core::{ActorId, Rupiah, month_end};
use koperasi_ledger::{BusinessUnit, Dimensions, Line, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{
    CollateralInfo, Collectibility, LoanStatus, PortfolioLine, SavingsKind, required_reserve,
};

use crate::error::{Error, Result, sl};
use crate::posting::PostingRole as R;

use super::{Applied, Draft, Koperasi, add, member_dims, sub};

impl Koperasi {
    pub(super) fn month_end(&mut self, d: NaiveDate, a: ActorId) -> Result<Applied> {
        let op = "month_end";
        self.permit(a, op, Permission::ClosePeriod, Subject::Cooperative)?;
        if month_end(d.year(), d.month())? != d {
            return Err(Error::MonthEnd {
                op,
                reason: format!("{d} is not a month's last day"),
            });
        }
        if self.last_month_end.is_some_and(|l| l >= d) {
            return Err(Error::MonthEnd {
                op,
                reason: format!("month-end {d} already run"),
            });
        }
        let mut dr = Draft::new();
        // 1. Savings interest on sukarela (credited less tax).
        let mut new_sukarela = Vec::new();
        let mut interest_lines = Vec::new();
        let (mut gross, mut tax) = (Rupiah::ZERO, Rupiah::ZERO);
        for (m, x) in &self.accounts {
            if x.sukarela.is_closed() || x.sukarela.product().interest.is_none() {
                continue;
            }
            let mut s = x.sukarela.clone();
            let p = s.close_interest_period(d).map_err(sl(op))?;
            if p.posted && p.gross.is_positive() {
                gross = add(gross, p.gross)?;
                tax = add(tax, p.tax_withheld)?;
                interest_lines.push(self.line(
                    R::MemberSavings(SavingsKind::Voluntary),
                    Side::Credit,
                    p.net,
                    member_dims(*m),
                )?);
            }
            new_sukarela.push((*m, s));
        }
        if gross.is_positive() {
            let mut lines = vec![self.line(
                R::SavingsInterestExpense,
                Side::Debit,
                gross,
                Dimensions::default(),
            )?];
            lines.append(&mut interest_lines);
            lines.push(self.line(R::TaxPayable, Side::Credit, tax, Dimensions::default())?);
            dr.push(
                self,
                d,
                a,
                "Jasa simpanan sukarela",
                format!("month-end:{d}/savings-interest"),
                lines,
            );
        }
        // 2. Penalties, 3. accrual, 4. collectibility and reserve — loan by loan.
        let mut new_loans = Vec::new();
        let mut penalty_lines = Vec::new();
        let mut accrual_lines = Vec::new();
        let mut portfolio = Vec::new();
        for (id, l) in &self.loans {
            if l.loan.status() != LoanStatus::Active {
                continue;
            }
            let mut s = l.loan.clone();
            let md = member_dims(l.member);
            let charged = Rupiah::try_sum(
                s.charge_penalties(d)
                    .map_err(sl(op))?
                    .iter()
                    .map(|c| c.amount),
            )?;
            if charged.is_positive() {
                penalty_lines.push(self.line(R::InterestReceivable, Side::Debit, charged, md)?);
                penalty_lines.push(self.line(R::PenaltyIncome, Side::Credit, charged, md)?);
            }
            let class = s.classify(d, &CollateralInfo::default()).map_err(sl(op))?;
            let outstanding = s.outstanding_principal().map_err(sl(op))?;
            portfolio.push(PortfolioLine {
                class,
                outstanding,
                eligible_collateral: Rupiah::ZERO,
            });
            if matches!(class, Collectibility::Current | Collectibility::Substandard) {
                let due = s.arrears(d).map_err(sl(op))?.interest;
                if due.is_positive() {
                    let mut umd = md;
                    umd.unit = Some(BusinessUnit::SimpanPinjam);
                    accrual_lines.push(self.line(R::InterestReceivable, Side::Debit, due, md)?);
                    accrual_lines.push(self.line(
                        R::MemberRevenue(BusinessUnit::SimpanPinjam),
                        Side::Credit,
                        due,
                        umd,
                    )?);
                }
            }
            new_loans.push((*id, s, class));
        }
        if !penalty_lines.is_empty() {
            dr.push(
                self,
                d,
                a,
                "Denda keterlambatan",
                format!("month-end:{d}/penalties"),
                penalty_lines,
            );
        }
        if !self.accrual.is_empty() {
            let reversal: Vec<Line> = self
                .accrual
                .iter()
                .cloned()
                .map(|mut l| {
                    l.side = l.side.opposite();
                    l
                })
                .collect();
            dr.push(
                self,
                d,
                a,
                "Pembalikan akrual jasa pinjaman",
                format!("month-end:{d}/accrual-reversal"),
                reversal,
            );
        }
        if !accrual_lines.is_empty() {
            dr.push(
                self,
                d,
                a,
                "Akrual jasa pinjaman tertunggak",
                format!("month-end:{d}/accrual"),
                accrual_lines.clone(),
            );
        }
        let required = required_reserve(&portfolio, &self.config.reserve_rates).map_err(sl(op))?;
        let current = self.role_balance(R::LoanLossReserve)?;
        let adj = sub(required.total, current)?;
        if !adj.is_zero() {
            let (dside, cside) = if adj.is_positive() {
                (Side::Debit, Side::Credit)
            } else {
                (Side::Credit, Side::Debit)
            };
            dr.push(
                self,
                d,
                a,
                "Penyisihan kerugian pinjaman (PPAP)",
                format!("month-end:{d}/reserve"),
                vec![
                    self.line(R::LoanLossExpense, dside, adj.abs(), Dimensions::default())?,
                    self.line(R::LoanLossReserve, cside, adj.abs(), Dimensions::default())?,
                ],
            );
        }
        let applied = self.post(op, &dr)?;
        for (m, s) in new_sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = s;
            }
        }
        for (id, s, class) in new_loans {
            if let Some(x) = self.loans.get_mut(&id) {
                x.loan = s;
                x.class = class;
            }
        }
        self.accrual = accrual_lines;
        self.last_month_end = Some(d);
        Ok(applied)
    }
}
