//! Members: registration, simpanan pokok and admission, exit.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, MemberId, Rupiah};
use koperasi_ledger::Side;
use koperasi_membership::{Applicant, MemberStatus, Nik, Permission, Subject};
use koperasi_savings_loans::{
    LoanStatus, Obligation, SavingsAccount, SavingsKind, SavingsProduct, exit_settlement,
};

use crate::error::{Error, Result, membership, sl};
use crate::event::Via;
use crate::posting::PostingRole as R;

use super::{
    Applied, Koperasi, Leg, MemberAccounts, Pair, account_ids, add, member_dims, sub,
    voluntary_product,
};

impl Koperasi {
    pub(super) fn register(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        nik: &str,
        name: &str,
        birth_date: NaiveDate,
    ) -> Result<Applied> {
        let op = "register_member";
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let nik = Nik::parse(nik).map_err(membership(op))?;
        let applicant = Applicant::new(member, nik, name, birth_date, self.config.village);
        self.registry
            .register(applicant, d)
            .map_err(membership(op))?;
        Ok(Applied::default())
    }

    pub(super) fn pay_pokok(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        via: Via,
    ) -> Result<Applied> {
        let op = "pay_principal_savings";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        // The registry's own conditions for recording the payment and admitting, checked
        // before anything is posted so that the registry steps below cannot fail.
        if m.status() != MemberStatus::Candidate || m.pokok_paid_on().is_some() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "not a calon anggota awaiting simpanan pokok",
            });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if self.registry.admission_deadline(m).is_some_and(|dl| d > dl) {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "admission deadline passed",
            });
        }
        if self.accounts.contains_key(&member) {
            return Err(Error::Duplicate {
                op,
                what: "savings accounts of member",
                id: member.to_string(),
            });
        }
        let ids = account_ids(member);
        let mut pokok =
            SavingsAccount::open(ids[0], SavingsProduct::principal(self.config.pokok), d)
                .map_err(sl(op))?;
        pokok.deposit(d, self.config.pokok).map_err(sl(op))?;
        let wajib = SavingsAccount::open(ids[1], SavingsProduct::mandatory(self.config.wajib), d)
            .map_err(sl(op))?;
        let sukarela =
            SavingsAccount::open(ids[2], voluntary_product(&self.config)?, d).map_err(sl(op))?;
        let pair = Pair {
            memo: "Setoran simpanan pokok",
            source: format!("savings:{member}/pokok"),
            amount: self.config.pokok,
            debit: Leg::via(via),
            credit: Leg::Role(
                R::MemberSavings(SavingsKind::Principal),
                member_dims(member),
            ),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.accounts.insert(
            member,
            MemberAccounts {
                pokok,
                wajib,
                sukarela,
            },
        );
        // Checked above: a calon anggota, pokok unpaid, date not before the last change,
        // within the admission deadline.
        let r1 = self.registry.record_pokok_payment(member, d);
        let r2 = self.registry.admit(member, d, "simpanan pokok lunas");
        if let Err(e) = r1.and(r2.map(|_| ())) {
            return Err(Error::Internal {
                op,
                what: format!("registry rejected a pre-checked admission: {e}"),
            });
        }
        Ok(applied)
    }

    pub(super) fn exit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        reason: &str,
    ) -> Result<Applied> {
        let op = "member_exit";
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        if m.status() != MemberStatus::Member {
            return Err(Error::NotActiveMember { op, member });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if reason.trim().is_empty() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "a reason is required",
            });
        }
        if self
            .deposits
            .values()
            .any(|(x, acc)| *x == member && !acc.is_closed())
        {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "has an open simpanan berjangka",
            });
        }
        let accts = self.accounts.get(&member).ok_or(Error::NoSavingsAccount {
            op,
            member,
            kind: "pokok",
        })?;
        let mut obligations = Vec::new();
        let mut open = Vec::new();
        for (id, l) in self
            .loans
            .iter()
            .filter(|(_, l)| l.member == member && l.loan.status() == LoanStatus::Active)
        {
            let owed = l.loan.payoff_amount(d).map_err(sl(op))?;
            obligations.push(Obligation::Loan(*id, owed));
            open.push((*id, l.loan.clone(), owed));
        }
        let s = exit_settlement(&[&accts.pokok, &accts.wajib, &accts.sukarela], &obligations)
            .map_err(sl(op))?;
        let md = member_dims(member);
        let mut lines = Vec::new();
        let mut closed = accts.clone();
        for (kind, acc) in [
            (SavingsKind::Principal, &mut closed.pokok),
            (SavingsKind::Mandatory, &mut closed.wajib),
            (SavingsKind::Voluntary, &mut closed.sukarela),
        ] {
            let bal = acc.balance();
            if !acc.is_closed() {
                acc.close_on_exit(d).map_err(sl(op))?;
            }
            lines.push(self.line(R::MemberSavings(kind), Side::Debit, bal, md)?);
        }
        let mut remaining = s.set_off;
        let mut repaid = Vec::new();
        let mut interest = Rupiah::ZERO;
        for (id, mut state, owed) in open {
            let pay = remaining.min(owed);
            if pay.is_positive() {
                let r = state.repay(d, pay).map_err(sl(op))?;
                remaining = sub(remaining, pay)?;
                interest = add(interest, r.totals.interest)?;
                let mut rl = self.repayment_lines(member, &r)?;
                // No excess: the set-off never exceeds the payoff amount.
                rl.retain(|l| {
                    !(l.side == Side::Credit
                        && l.account.as_str()
                            == self.code(R::MemberSavings(SavingsKind::Voluntary)))
                });
                lines.extend(rl);
                repaid.push((id, state));
            }
        }
        lines.push(self.line(R::ExitRefundPayable, Side::Credit, s.refund, md)?);
        let year = self.year_of(d)?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Anggota keluar: pengembalian simpanan dan kompensasi pinjaman",
            format!("member:{member}/exit"),
            lines,
        )?;
        self.accounts.insert(member, closed);
        for (id, state) in repaid {
            if let Some(x) = self.loans.get_mut(&id) {
                x.loan = state;
            }
        }
        self.add_patronage(year, member, |t| {
            t.loan_interest
                .checked_add(interest)
                .map(|v| t.loan_interest = v)
        });
        self.departed.entry(year).or_default().insert(member);
        if let Err(e) = self.registry.resign(member, d, reason) {
            return Err(Error::Internal {
                op,
                what: format!("registry rejected a pre-checked exit: {e}"),
            });
        }
        Ok(applied)
    }
}
