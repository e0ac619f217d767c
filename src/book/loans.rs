//! Loans: application, disbursement, repayment, penalties, write-off and recovery.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, LoanId, MemberId, Rupiah};
use koperasi_ledger::{BusinessUnit, Dimensions, Line, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{Collectibility, Loan, LoanStatus, LoanTerms, Repayment, SavingsKind};

use crate::error::{Error, Result, sl};
use crate::event::Via;
use crate::posting::PostingRole as R;

use super::corrections::{Key, Restore};
use super::{
    Applied, Koperasi, Leg, LoanAccount, LoanApplication, Pair, add, member_dims, pos,
    repayment_ref, sub, via_role,
};

impl Koperasi {
    /// Commits a loan's new state (and class), keeping the earlier one for a reversal.
    pub(super) fn set_loan(&mut self, loan: LoanId, state: Loan, class: Option<Collectibility>) {
        if let Some(x) = self.loans.get_mut(&loan) {
            let old = core::mem::replace(&mut x.loan, state);
            let old_class = x.class;
            if let Some(c) = class {
                x.class = c;
            }
            self.undo
                .changed(Restore::Loan(loan, Some((old, old_class))));
        }
    }

    pub(super) fn apply_loan(
        &mut self,
        a: ActorId,
        loan: LoanId,
        member: MemberId,
        terms: &LoanTerms,
    ) -> Result<Applied> {
        let op = "apply_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Member(member))?;
        self.active_member(op, member)?;
        if self.applications.contains_key(&loan) || self.loans.contains_key(&loan) {
            return Err(Error::Duplicate {
                op,
                what: "loan",
                id: loan.to_string(),
            });
        }
        terms.validate().map_err(sl(op))?;
        self.applications.insert(
            loan,
            LoanApplication {
                member,
                terms: terms.clone(),
                approved: None,
            },
        );
        self.undo.touch(Key::Application(loan));
        Ok(Applied::default())
    }

    pub(super) fn disburse(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        via: Via,
    ) -> Result<Applied> {
        let op = "disburse_loan";
        let app = self
            .applications
            .get(&loan)
            .ok_or(Error::UnknownLoan { op, loan })?;
        self.permit(a, op, Permission::DisburseLoan, Subject::Loan(loan))?;
        if app.approved.is_none() {
            return Err(Error::LoanState {
                op,
                loan,
                state: "not approved",
            });
        }
        let member = app.member;
        self.active_member(op, member)?;
        let mut terms = app.terms.clone();
        terms.disbursement = d;
        let (state, disb) = Loan::disburse(terms, self.config.loan_options, &self.config.loan_fees)
            .map_err(sl(op))?;
        let fees = Rupiah::try_sum(disb.fees_deducted.iter().map(|(_, x)| *x))?;
        let md = member_dims(member);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan pinjaman",
            format!("loan:{loan}/disbursement"),
            vec![
                self.line(R::LoanReceivable, Side::Debit, disb.principal, md)?,
                self.line(
                    via_role(via),
                    Side::Credit,
                    disb.net_cash,
                    Dimensions::default(),
                )?,
                self.line(R::FeeIncome, Side::Credit, fees, md)?,
            ],
        )?;
        let app = self.applications.remove(&loan);
        self.undo.changed(Restore::Application(loan, app));
        self.loans.insert(
            loan,
            LoanAccount {
                member,
                loan: state,
                class: Collectibility::Current,
            },
        );
        self.undo.changed(Restore::Loan(loan, None));
        Ok(applied)
    }

    /// Lines of a repayment (without the money side): principal, interest, penalty, fee,
    /// excess (to sukarela).
    pub(super) fn repayment_lines(&self, member: MemberId, r: &Repayment) -> Result<Vec<Line>> {
        let md = member_dims(member);
        let mut unit_md = md;
        unit_md.unit = Some(BusinessUnit::SimpanPinjam);
        let mut lines = Vec::new();
        for p in &r.penalties_charged {
            lines.push(self.line(R::InterestReceivable, Side::Debit, p.amount, md)?);
            lines.push(self.line(R::PenaltyIncome, Side::Credit, p.amount, md)?);
        }
        lines.push(self.line(R::LoanReceivable, Side::Credit, r.totals.principal, md)?);
        lines.push(self.line(
            R::MemberRevenue(BusinessUnit::SimpanPinjam),
            Side::Credit,
            r.totals.interest,
            unit_md,
        )?);
        lines.push(self.line(R::InterestReceivable, Side::Credit, r.totals.penalty, md)?);
        lines.push(self.line(R::FeeIncome, Side::Credit, r.totals.fee, md)?);
        lines.push(self.line(
            R::MemberSavings(SavingsKind::Voluntary),
            Side::Credit,
            r.excess,
            md,
        )?);
        Ok(lines)
    }

    /// The payoff amount of `loan` on `d`. An event of format 4 or earlier keeps the quote
    /// of its time (a period starting on `d` counted as running, deferred interest left out).
    pub(super) fn payoff_amount(
        &self,
        loan: &Loan,
        d: NaiveDate,
    ) -> koperasi_savings_loans::Result<Rupiah> {
        if self.legacy_repayment() {
            loan.payoff_amount_legacy(d)
        } else {
            loan.payoff_amount(d)
        }
    }

    /// Repays `loan`: a payment of the payoff amount settles it. An event of format 4 or
    /// earlier replays as written: the surplus always followed the overpayment rule.
    pub(super) fn repay_loan(
        &self,
        loan: &mut Loan,
        d: NaiveDate,
        amount: Rupiah,
    ) -> koperasi_savings_loans::Result<Repayment> {
        if self.legacy_repayment() {
            loan.repay_legacy(d, amount)
        } else {
            loan.repay(d, amount)
        }
    }

    /// The event being applied was written before a payoff settled the loan (format ≤ 4).
    fn legacy_repayment(&self) -> bool {
        (1..=4).contains(&self.undo.format())
    }

    pub(super) fn loan_for(&self, op: &'static str, loan: LoanId) -> Result<&LoanAccount> {
        self.loans.get(&loan).ok_or(Error::UnknownLoan { op, loan })
    }

    pub(super) fn active_loan(&self, op: &'static str, loan: LoanId) -> Result<&LoanAccount> {
        let acct = self.loan_for(op, loan)?;
        if acct.loan.status() == LoanStatus::Active {
            Ok(acct)
        } else {
            Err(Error::LoanState {
                op,
                loan,
                state: "not active",
            })
        }
    }

    pub(super) fn repay(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "repay_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        pos(op, "amount", amount)?;
        let acct = self.active_loan(op, loan)?;
        let member = acct.member;
        let owed = self.payoff_amount(&acct.loan, d).map_err(sl(op))?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut state = acct.loan.clone();
        let r = self.repay_loan(&mut state, d, amount).map_err(sl(op))?;
        if r.excess.is_positive()
            && self
                .accounts
                .get(&member)
                .is_none_or(|x| x.sukarela.is_closed())
        {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut sukarela = None;
        if r.excess.is_positive()
            && let Some(x) = self.accounts.get(&member)
        {
            let mut s = x.sukarela.clone();
            s.deposit(d, r.excess).map_err(sl(op))?;
            sukarela = Some(s);
        }
        let mut lines =
            vec![self.line(via_role(via), Side::Debit, amount, Dimensions::default())?];
        lines.extend(self.repayment_lines(member, &r)?);
        let year = self.year_of(d)?;
        let patronage = self.patronage_after(year, member, |t| {
            t.loan_interest
                .checked_add(r.totals.interest)
                .map(|v| t.loan_interest = v)
        })?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Angsuran pinjaman",
            format!("loan:{loan}/repayment/{}", repayment_ref(&r)),
            lines,
        )?;
        self.set_loan(loan, state, None);
        if let (Some(s), Some(x)) = (sukarela, self.accounts.get_mut(&member)) {
            let old = core::mem::replace(&mut x.sukarela, s);
            self.undo
                .changed(Restore::Savings(member, SavingsKind::Voluntary, old));
        }
        self.set_patronage(year, member, patronage);
        Ok(applied)
    }

    pub(super) fn charge_penalties(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
    ) -> Result<Applied> {
        let op = "charge_penalties";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        let acct = self.active_loan(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let charges = state.charge_penalties(d).map_err(sl(op))?;
        let total = Rupiah::try_sum(charges.iter().map(|c| c.amount))?;
        let md = member_dims(member);
        // No penalty due: a zero amount posts nothing.
        let pair = Pair {
            memo: "Denda keterlambatan",
            source: format!("loan:{loan}/penalty"),
            amount: total,
            debit: Leg::Role(R::InterestReceivable, md),
            credit: Leg::Role(R::PenaltyIncome, md),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.set_loan(loan, state, None);
        Ok(applied)
    }

    pub(super) fn write_off(&mut self, d: NaiveDate, a: ActorId, loan: LoanId) -> Result<Applied> {
        let op = "write_off_loan";
        self.permit(a, op, Permission::ApproveLoan, Subject::Loan(loan))?;
        self.check_write_off(op, loan)?;
        if self.registers.overrides.contains_key(&loan) {
            // The override this write-off relies on can no longer be reversed alone.
            self.undo.touch(super::corrections::Key::Override(loan));
        }
        let acct = self.loan_for(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let w = state.write_off(d).map_err(sl(op))?;
        let reserve = self.role_balance(R::LoanLossReserve)?.max(Rupiah::ZERO);
        let from_reserve = w.amounts.principal.min(reserve);
        let expense = sub(w.amounts.principal, from_reserve)?;
        let md = member_dims(member);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Hapus buku pinjaman",
            format!("loan:{loan}/write-off"),
            vec![
                self.line(R::LoanLossReserve, Side::Debit, from_reserve, md)?,
                self.line(
                    R::LoanLossExpense,
                    Side::Debit,
                    add(expense, w.amounts.penalty)?,
                    md,
                )?,
                self.line(R::LoanReceivable, Side::Credit, w.amounts.principal, md)?,
                self.line(R::InterestReceivable, Side::Credit, w.amounts.penalty, md)?,
            ],
        )?;
        self.set_loan(loan, state, Some(Collectibility::Loss));
        Ok(applied)
    }

    pub(super) fn recover(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "recover_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        pos(op, "amount", amount)?;
        let acct = self.loan_for(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let r = state.recover(d, amount).map_err(sl(op))?;
        if r.excess.is_positive() {
            return Err(Error::Overpayment {
                op,
                amount,
                owed: r.recovered,
            });
        }
        let pair = Pair {
            memo: "Penagihan pinjaman yang dihapusbukukan",
            source: format!("loan:{loan}/recovery"),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(R::OtherIncome, member_dims(member)),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.set_loan(loan, state, None);
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use koperasi_core::{Decimal, LoanId, Rate};
    use koperasi_savings_loans::{LoanStatus, LoanTerms, Method};

    use super::super::corrections::Key;
    use crate::Error;
    use crate::book::testkit::{BENDAHARA, KASIR, KETUA, book, d, member, rp};
    use crate::event::{Operation, Via};

    /// A book with one disbursed loan of Rp2.000.000, flat 1% a month over 4 months, from
    /// 10 January (installments due on the 10th).
    fn book_with_a_loan() -> (crate::Koperasi, LoanId) {
        let mut b = book(1);
        let loan = LoanId::from_u128(1);
        let terms = LoanTerms::new(
            rp(2_000_000),
            Rate::per_month(Decimal::ONE).unwrap(),
            4,
            Method::Flat,
            d(1, 10),
        );
        b.run(
            d(1, 10),
            KASIR,
            Operation::ApplyLoan {
                loan,
                member: member(0),
                terms,
            },
        )
        .unwrap();
        b.run(d(1, 10), KETUA, Operation::ApproveLoan { loan })
            .unwrap();
        b.run(
            d(1, 10),
            BENDAHARA,
            Operation::DisburseLoan {
                loan,
                via: Via::Bank,
            },
        )
        .unwrap();
        (b, loan)
    }

    fn repay(loan: LoanId, amount: koperasi_core::Rupiah) -> Operation {
        Operation::RepayLoan {
            loan,
            amount,
            via: Via::Cash,
        }
    }

    #[test]
    fn repaying_the_payoff_amount_closes_the_loan_in_one_payment() {
        let (mut b, loan) = book_with_a_loan();
        // On the first due date: installment 1 (Rp500.000 + Rp20.000) and the rest of the
        // principal; the second period starts that day and owes nothing yet.
        let quote = b.loans()[&loan].loan.payoff_amount(d(2, 10)).unwrap();
        assert_eq!(quote, rp(2_020_000));
        b.run(d(2, 10), KASIR, repay(loan, quote)).unwrap();
        let l = &b.loans()[&loan].loan;
        assert_eq!(l.status(), LoanStatus::Closed);
        assert_eq!(l.outstanding_principal().unwrap(), rp(0));
        assert_eq!(
            b.role_balance(crate::posting::PostingRole::LoanReceivable)
                .unwrap(),
            rp(0)
        );
    }

    #[test]
    fn a_member_whose_savings_cover_the_payoff_leaves_with_the_loan_closed() {
        let (mut b, loan) = book_with_a_loan();
        b.run(
            d(2, 1),
            KASIR,
            Operation::Deposit {
                member: member(0),
                kind: koperasi_savings_loans::SavingsKind::Voluntary,
                amount: rp(3_000_000),
                via: Via::Cash,
            },
        )
        .unwrap();
        let quote = b.loans()[&loan].loan.payoff_amount(d(2, 1)).unwrap();
        assert_eq!(quote, rp(2_020_000));
        b.run(
            d(2, 1),
            KETUA,
            Operation::MemberExit {
                member: member(0),
                reason: "pindah domisili".into(),
            },
        )
        .unwrap();
        assert_eq!(b.loans()[&loan].loan.status(), LoanStatus::Closed);
        assert_eq!(
            b.role_balance(crate::posting::PostingRole::LoanReceivable)
                .unwrap(),
            rp(0)
        );
    }

    #[test]
    fn a_format_4_payoff_replays_as_written() {
        let (mut b, loan) = book_with_a_loan();
        // Format 4 quoted Rp2.040.000 on a due date and paid the next installments' interest
        // ahead with it, leaving Rp40.000 of principal owed and the loan open.
        let old = b.loans()[&loan]
            .loan
            .payoff_amount_legacy(d(2, 10))
            .unwrap();
        assert_eq!(old, rp(2_040_000));
        let mut e = crate::Event::new(d(2, 10), KASIR, repay(loan, old));
        e.format = 4;
        b.apply(e).unwrap();
        assert_eq!(b.loans()[&loan].loan.status(), LoanStatus::Active);
        // A later format-4 repayment of the loan still applies on replay.
        let rest = b.loans()[&loan]
            .loan
            .payoff_amount_legacy(d(3, 10))
            .unwrap();
        let mut e = crate::Event::new(d(3, 10), KASIR, repay(loan, rest));
        e.format = 4;
        b.apply(e).unwrap();
        let again =
            crate::Koperasi::replay(b.config().clone(), b.events().iter().cloned()).unwrap();
        assert_eq!(again.audit_head(), b.audit_head());
        assert_eq!(again.loans()[&loan].loan, b.loans()[&loan].loan);
        // The same payment as a new event is refused: it is more than the payoff.
        let (mut c, loan) = book_with_a_loan();
        let err = c.run(d(2, 10), KASIR, repay(loan, old)).unwrap_err();
        assert!(matches!(err, Error::Overpayment { .. }), "{err:?}");
    }

    #[test]
    fn disbursement_moves_the_application_to_the_loans_and_remembers_both() {
        let (b, loan) = book_with_a_loan();
        let i = b.events.len() - 1;
        assert!(b.applications.is_empty() && b.loans.contains_key(&loan));
        assert_eq!(b.undo.last_change(&Key::Loan(loan)), Some(i));
        assert_eq!(b.undo.last_change(&Key::Application(loan)), Some(i));
        // 1% provisi deducted: the borrower received Rp1.980.000.
        assert_eq!(
            b.role_balance(crate::posting::PostingRole::LoanReceivable)
                .unwrap(),
            rp(2_000_000)
        );
    }
}
