//! Financing: the Himbara loan, grants and equity participation, kas/bank transfers.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Rupiah};
use koperasi_ledger::{Dimensions, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{GraceInterest, HimbaraProfile, Loan, LoanOptions, LoanStatus};

use crate::error::{Error, Result, sl};
use crate::event::{CapitalKind, Via};
use crate::posting::PostingRole as R;

use super::{Applied, Koperasi, Leg, Pair, add, pos, repayment_ref, sub, via_role};

impl Koperasi {
    pub(super) fn himbara_drawdown(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        principal: Rupiah,
        operational: Rupiah,
        tenor: u32,
        grace: u32,
    ) -> Result<Applied> {
        let op = "himbara_drawdown";
        self.permit(a, op, Permission::ApproveLoan, Subject::Cooperative)?;
        if self
            .himbara
            .as_ref()
            .is_some_and(|l| l.status() == LoanStatus::Active)
        {
            return Err(Error::HimbaraState {
                op,
                state: "a Himbara loan is already outstanding",
            });
        }
        let terms = HimbaraProfile::pmk_49_2025()
            .terms(principal, operational, tenor, grace, GraceInterest::Paid, d)
            .map_err(sl(op))?;
        let (state, disb) = Loan::disburse(terms, LoanOptions::default(), &[]).map_err(sl(op))?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan pinjaman Himbara (PMK 49/2025)",
            "himbara:drawdown".into(),
            vec![
                self.line(R::Bank, Side::Debit, disb.net_cash, Dimensions::default())?,
                self.line(
                    R::HimbaraLoan,
                    Side::Credit,
                    disb.principal,
                    Dimensions::default(),
                )?,
            ],
        )?;
        self.himbara = Some(state);
        Ok(applied)
    }

    pub(super) fn himbara_installment(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        amount: Rupiah,
    ) -> Result<Applied> {
        let op = "himbara_installment";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let l = self
            .himbara
            .as_ref()
            .filter(|l| l.status() == LoanStatus::Active)
            .ok_or(Error::HimbaraState {
                op,
                state: "no Himbara loan outstanding",
            })?;
        let owed = self.payoff_amount(l, d).map_err(sl(op))?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut state = l.clone();
        let r = self.repay_loan(&mut state, d, amount).map_err(sl(op))?;
        let interest = add(add(r.totals.interest, r.totals.penalty)?, r.totals.fee)?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Angsuran pinjaman Himbara",
            format!("himbara:installment/{}", repayment_ref(&r)),
            vec![
                self.line(
                    R::HimbaraLoan,
                    Side::Debit,
                    r.totals.principal,
                    Dimensions::default(),
                )?,
                self.line(
                    R::BankInterestExpense,
                    Side::Debit,
                    interest,
                    Dimensions::default(),
                )?,
                self.line(
                    R::Bank,
                    Side::Credit,
                    sub(amount, r.excess)?,
                    Dimensions::default(),
                )?,
            ],
        )?;
        self.himbara = Some(state);
        Ok(applied)
    }

    pub(super) fn transfer(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        from: Via,
        to: Via,
        amount: Rupiah,
    ) -> Result<Applied> {
        let op = "transfer";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        if via_role(from) == via_role(to) {
            return Err(Error::SameAccount { op });
        }
        let pair = Pair {
            memo: "Pemindahan kas/bank",
            source: "transfer".into(),
            amount,
            debit: Leg::via(to),
            credit: Leg::via(from),
        };
        self.post_pair(op, d, a, pair)
    }

    pub(super) fn capital(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        kind: CapitalKind,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "capital";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let (role, memo) = match kind {
            CapitalKind::Grant => (R::Grant, "Penerimaan hibah"),
            _ => (R::EquityParticipation, "Penerimaan modal penyertaan"),
        };
        let pair = Pair {
            memo,
            source: "capital".into(),
            amount,
            debit: Leg::via(via),
            credit: Leg::role(role),
        };
        self.post_pair(op, d, a, pair)
    }
}

#[cfg(test)]
mod tests {
    use koperasi_savings_loans::LoanStatus;

    use crate::book::testkit::{BENDAHARA, KETUA, book, d, rp};
    use crate::error::Error;
    use crate::event::{CapitalKind, Operation, Via};
    use crate::posting::PostingRole;

    #[test]
    fn paying_the_himbara_payoff_closes_the_loan_and_frees_the_next_drawdown() {
        let mut b = book(0);
        let drawdown = Operation::HimbaraDrawdown {
            principal: rp(50_000_000),
            operational: rp(0),
            tenor_months: 60,
            grace_months: 6,
        };
        b.run(d(1, 20), KETUA, drawdown.clone()).unwrap();
        // Between due dates (12 Feb – 12 Mar running): the principal and the interest of the
        // two periods that have started, Rp250.000 a month at 6% a year.
        let quote = b.himbara().unwrap().payoff_amount(d(3, 1)).unwrap();
        assert_eq!(quote, rp(50_000_000 + 250_000 + 250_000));
        b.run(
            d(3, 1),
            BENDAHARA,
            Operation::HimbaraInstallment { amount: quote },
        )
        .unwrap();
        assert_eq!(b.himbara().unwrap().status(), LoanStatus::Closed);
        assert_eq!(b.role_balance(PostingRole::HimbaraLoan).unwrap(), rp(0));
        b.run(d(3, 2), KETUA, drawdown).unwrap();
        assert_eq!(b.himbara().unwrap().status(), LoanStatus::Active);
    }

    #[test]
    fn transfers_need_two_accounts_and_participation_is_equity() {
        let mut b = book(0);
        let err = b
            .run(
                d(1, 5),
                BENDAHARA,
                Operation::Transfer {
                    from: Via::Bank,
                    to: Via::Bank,
                    amount: rp(1),
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::SameAccount { .. }), "{err:?}");
        b.run(
            d(1, 5),
            BENDAHARA,
            Operation::Capital {
                kind: CapitalKind::Participation,
                amount: rp(7_000_000),
                via: Via::Bank,
            },
        )
        .unwrap();
        assert_eq!(
            b.role_balance(PostingRole::EquityParticipation).unwrap(),
            rp(7_000_000)
        );
        assert_eq!(b.role_balance(PostingRole::Grant).unwrap(), rp(100_000_000));
    }
}
